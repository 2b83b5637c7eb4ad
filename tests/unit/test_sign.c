/*
 * Keys, the organisation CA, certificate chains, SSH commit signatures and PKCS#11 tokens,
 * checked against real OpenSSL, libgit2 and the independent tools: ssh-keygen and
 * `git verify-commit` for SSH signatures, xmlsec1 for a token-made XML signature.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <git2.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include "xml_internal.h"
#include "docket/doc.h"
#include "sign_internal.h"
#include "sign_fixtures.h"

#define PASS "correct horse battery staple"
#define SOFTHSM_MODULE "/usr/lib/softhsm/libsofthsm2.so"

typedef struct {
	char dir[FX_PATH];
} fixture;

static int setup(void **state)
{
	fixture *f = calloc(1, sizeof(*f));

	if (!f || fx_mktemp(f->dir, "sign") < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	fixture *f = *state;

	fx_rmtree(f->dir);
	free(f);
	return 0;
}

static int group_setup(void **state)
{
	(void)state;
	return docket_global_init();
}

static int group_teardown(void **state)
{
	(void)state;
	docket_global_shutdown();
	return 0;
}

static void read_text(char **out, const char *path)
{
	size_t len;
	assert_int_equal(docket_file_read(out, &len, path, 1 << 20), 0);
}

static X509_REQ *load_csr(const char *path)
{
	FILE *f = fopen(path, "r");
	X509_REQ *req;

	assert_non_null(f);
	req = PEM_read_X509_REQ(f, NULL, NULL, NULL);
	fclose(f);
	assert_non_null(req);
	return req;
}

/* The subject's NID entry as UTF-8 into out. */
static void name_entry(char *out, size_t n, const X509_NAME *name, int nid)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	unsigned char *utf8 = NULL;
	int len;

	out[0] = '\0';
	if (i < 0)
		return;
	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	if (len >= 0)
		snprintf(out, n, "%.*s", len, (const char *)utf8);
	OPENSSL_free(utf8);
}

/* ------------------------------------------------------------------------------------------ */

static void test_key_generate_load_round_trip(void **state)
{
	fixture *f = *state;
	char key[FX_PATH], csr[FX_PATH], cn[128], email[128], *ssh = NULL, *fp = NULL, *text = NULL;
	docket_key *k = NULL;
	X509_REQ *req;
	EVP_PKEY *csr_pub;
	struct stat st;

	fx_join(key, f->dir, "lan.key");
	fx_join(csr, f->dir, "lan.key.csr");
	assert_int_equal(docket_key_generate(key, 0, PASS, "Lê Thị Lan", "lan@example.org"), 0);

	/* the key file: 0600, encrypted PKCS#8, no stray temporary files */
	assert_int_equal(lstat(key, &st), 0);
	assert_true(S_ISREG(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0600);
	read_text(&text, key);
	assert_non_null(strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----"));
	assert_null(strstr(text, "BEGIN PRIVATE KEY"));
	free(text);
	assert_int_equal(fx_run("ls -A %s | wc -l", f->dir), 0);
	assert_int_equal(atoi(fx_output()), 2);

	/* the CSR: self-signed, CN and e-mail as given, same public key */
	req = load_csr(csr);
	assert_int_equal(X509_REQ_verify(req, X509_REQ_get0_pubkey(req)), 1);
	name_entry(cn, sizeof(cn), X509_REQ_get_subject_name(req), NID_commonName);
	name_entry(email, sizeof(email), X509_REQ_get_subject_name(req), NID_pkcs9_emailAddress);
	assert_string_equal(cn, "Lê Thị Lan");
	assert_string_equal(email, "lan@example.org");
	assert_int_equal(X509_REQ_get_signature_nid(req), NID_ecdsa_with_SHA256);

	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	assert_false(docket_key_is_rsa(k));
	csr_pub = X509_REQ_get0_pubkey(req);
	assert_int_equal(EVP_PKEY_eq(csr_pub, docket_key_pkey(k)), 1);
	X509_REQ_free(req);

	/* the SSH public key is what OpenSSH itself derives from the key file */
	assert_int_equal(docket_key_ssh_pubkey(&ssh, k), 0);
	assert_true(strncmp(ssh, "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBB", 72) == 0);
	assert_cmd(fx_run("ssh-keygen -y -P '" PASS "' -f %s", key), 1);
	assert_true(strncmp(fx_output(), ssh, strlen(ssh)) == 0);

	/* the fingerprint: 64 hex digits, stable across loads */
	assert_int_equal(docket_key_fingerprint(&fp, k), 0);
	assert_int_equal(strlen(fp), 64);
	assert_int_equal(strspn(fp, "0123456789abcdef"), 64);
	docket_key_free(k);
	k = NULL;
	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	{
		char *fp2 = NULL;
		assert_int_equal(docket_key_fingerprint(&fp2, k), 0);
		assert_string_equal(fp, fp2);
		docket_free(fp2);
	}
	docket_free(fp);
	docket_free(ssh);
	docket_key_free(k);
	docket_key_free(NULL);
}

static void test_key_generate_refuses_overwrite(void **state)
{
	fixture *f = *state;
	char key[FX_PATH], link_path[FX_PATH], target[FX_PATH], csr_only[FX_PATH], csr[FX_PATH];
	char *before = NULL, *after = NULL;

	fx_join(key, f->dir, "k.key");
	assert_int_equal(docket_key_generate(key, 0, PASS, "A", NULL), 0);
	read_text(&before, key);
	assert_int_equal(docket_key_generate(key, 0, PASS, "A", NULL), DOCKET_EEXISTS);
	assert_non_null(strstr(docket_error_last(), "already exists"));
	read_text(&after, key);
	assert_string_equal(before, after);

	/* a (dangling) symbolic link is never followed */
	fx_join(link_path, f->dir, "link.key");
	fx_join(target, f->dir, "target.key");
	assert_int_equal(symlink(target, link_path), 0);
	assert_int_equal(docket_key_generate(link_path, 0, PASS, "A", NULL), DOCKET_EEXISTS);
	assert_false(docket_path_exists(target));

	/* an existing request alone is enough to refuse, and no key is left behind */
	fx_join(csr_only, f->dir, "c.key");
	fx_join(csr, f->dir, "c.key.csr");
	assert_int_equal(fx_write(csr, "not mine\n"), 0);
	assert_int_equal(docket_key_generate(csr_only, 0, PASS, "A", NULL), DOCKET_EEXISTS);
	assert_false(docket_path_exists(csr_only));

	/* a missing directory is an I/O error that leaves nothing */
	fx_join(key, f->dir, "no/such/dir.key");
	assert_int_equal(docket_key_generate(key, 0, PASS, "A", NULL), DOCKET_ERROR);
	free(before);
	free(after);
}

static void test_key_passphrase_rules(void **state)
{
	fixture *f = *state;
	char key[FX_PATH], junk[FX_PATH], plain[FX_PATH];
	docket_key *k = NULL;
	EVP_PKEY *pkey;
	FILE *out;

	fx_join(key, f->dir, "p.key");
	assert_int_equal(docket_key_generate(key, 0, "", "A", NULL), DOCKET_EUSAGE);
	assert_int_equal(docket_key_generate(key, 0, NULL, "A", NULL), DOCKET_EUSAGE);
	assert_false(docket_path_exists(key));
	assert_int_equal(docket_key_generate(key, 0, PASS, "A", NULL), 0);

	assert_int_equal(docket_key_load(&k, key, "wrong passphrase"), DOCKET_EDENIED);
	assert_null(k);
	assert_non_null(strstr(docket_error_last(), "wrong passphrase"));
	assert_int_equal(docket_key_load(&k, key, NULL), DOCKET_EDENIED);
	assert_non_null(strstr(docket_error_last(), "passphrase is needed"));
	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	docket_key_free(k);
	k = NULL;

	fx_join(junk, f->dir, "missing.key");
	assert_int_equal(docket_key_load(&k, junk, PASS), DOCKET_ENOTFOUND);
	fx_join(junk, f->dir, "junk.key");
	assert_int_equal(fx_write(junk, "hello\n"), 0);
	assert_int_equal(docket_key_load(&k, junk, PASS), DOCKET_EINVALID);
	assert_int_equal(docket_key_load(&k, "", PASS), DOCKET_EUSAGE);

	/* an unencrypted PKCS#8 key loads without a passphrase; an Ed25519 key is refused */
	fx_join(plain, f->dir, "plain.key");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	assert_non_null(pkey);
	assert_non_null(out = fopen(plain, "w"));
	assert_int_equal(PEM_write_PKCS8PrivateKey(out, pkey, NULL, NULL, 0, NULL, NULL), 1);
	fclose(out);
	EVP_PKEY_free(pkey);
	assert_int_equal(docket_key_load(&k, plain, NULL), 0);
	docket_key_free(k);
	k = NULL;
	fx_join(plain, f->dir, "ed.key");
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	assert_non_null(pkey);
	assert_non_null(out = fopen(plain, "w"));
	assert_int_equal(PEM_write_PKCS8PrivateKey(out, pkey, NULL, NULL, 0, NULL, NULL), 1);
	fclose(out);
	EVP_PKEY_free(pkey);
	assert_int_equal(docket_key_load(&k, plain, NULL), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "not accepted"));
}

static void test_key_rsa(void **state)
{
	fixture *f = *state;
	char key[FX_PATH], csr[FX_PATH], allowed[FX_PATH], sigf[FX_PATH], msg[FX_PATH], line[8192];
	char *ssh = NULL, *armored = NULL, *who = NULL;
	docket_key *k = NULL;
	X509_REQ *req;

	fx_join(key, f->dir, "rsa.key");
	fx_join(csr, f->dir, "rsa.key.csr");
	assert_int_equal(docket_key_generate(key, 1, PASS, "Nguyễn Văn Hòa", NULL), 0);
	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	assert_true(docket_key_is_rsa(k));
	assert_int_equal(EVP_PKEY_get_bits(docket_key_pkey(k)), 3072);
	req = load_csr(csr);
	assert_int_equal(X509_REQ_get_signature_nid(req), NID_sha256WithRSAEncryption);
	X509_REQ_free(req);

	assert_int_equal(docket_key_ssh_pubkey(&ssh, k), 0);
	assert_true(strncmp(ssh, "ssh-rsa AAAAB3NzaC1yc2E", 23) == 0);
	assert_cmd(fx_run("ssh-keygen -y -P '" PASS "' -f %s", key), 1);
	assert_true(strncmp(fx_output(), ssh, strlen(ssh)) == 0);

	/* an SSH signature OpenSSH accepts */
	assert_int_equal(docket_sshsig_sign(&armored, k, "tree 1\n\nmsg\n", 12), 0);
	fx_join(allowed, f->dir, "allowed");
	fx_join(sigf, f->dir, "msg.sig");
	fx_join(msg, f->dir, "msg");
	snprintf(line, sizeof(line), "hoa@example.org namespaces=\"git\" %s\n", ssh);
	assert_int_equal(fx_write(allowed, line), 0);
	snprintf(line, sizeof(line), "%s\n", armored);
	assert_int_equal(fx_write(sigf, line), 0);
	assert_int_equal(fx_write(msg, "tree 1\n\nmsg\n"), 0);
	assert_cmd(fx_run("ssh-keygen -Y verify -f %s -I hoa@example.org -n git -s %s < %s", allowed, sigf, msg), 1);
	assert_int_equal(docket_sshsig_verify(&who, armored, "tree 1\n\nmsg\n", 12), 0);
	assert_string_equal(who, ssh);
	assert_int_equal(docket_sshsig_verify(NULL, armored, "tree 2\n\nmsg\n", 12), DOCKET_EVERIFY);
	docket_free(who);
	docket_free(armored);
	docket_free(ssh);
	docket_key_free(k);
}

/* ------------------------------------------------------------------------------------------ */

static void test_ca_init_issue_chain(void **state)
{
	fixture *f = *state;
	char ca[FX_PATH], ca_key[FX_PATH], ca_pem[FX_PATH], key[FX_PATH], csr[FX_PATH], cert[FX_PATH];
	char *cn = NULL, *fp_key = NULL, *fp_cert = NULL;
	docket_cert *ca_cert = NULL, *c = NULL;
	docket_key *k = NULL;
	struct stat st;
	BIGNUM *serial;
	time_t now = time(NULL);

	fx_join(ca, f->dir, "ca");
	fx_join(ca_key, ca, "ca.key");
	fx_join(ca_pem, ca, "ca.pem");
	assert_int_equal(docket_ca_init(ca, "Phòng GDĐT Cẩm Phả", ""), DOCKET_EUSAGE);
	assert_int_equal(docket_ca_init(ca, "Phòng GDĐT Cẩm Phả", "ca pass"), 0);
	assert_int_equal(stat(ca_key, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(docket_ca_init(ca, "Again", "ca pass"), DOCKET_EEXISTS);

	assert_int_equal(docket_cert_load(&ca_cert, ca_pem), 0);
	assert_int_equal(X509_check_ca(docket_cert_x509(ca_cert)), 1);
	assert_true(X509_get_key_usage(docket_cert_x509(ca_cert)) & KU_KEY_CERT_SIGN);
	assert_int_equal(X509_cmp_time(X509_get0_notAfter(docket_cert_x509(ca_cert)), &(time_t){ now + 3650L * 86400 }), 1);
	assert_int_equal(docket_cert_subject_cn(&cn, ca_cert), 0);
	assert_string_equal(cn, "Phòng GDĐT Cẩm Phả");
	docket_free(cn);
	cn = NULL;
	/* OpenSSL's own tool agrees the CA certificate is self-consistent */
	assert_cmd(fx_run("openssl verify -CAfile %s %s", ca_pem, ca_pem), 1);

	fx_join(key, f->dir, "lan.key");
	fx_join(csr, f->dir, "lan.key.csr");
	fx_join(cert, f->dir, "lan.pem");
	assert_int_equal(docket_key_generate(key, 0, PASS, "Lê Thị Lan", "lan@example.org"), 0);
	assert_int_equal(docket_ca_issue(ca, "wrong", csr, cert, 365), DOCKET_EDENIED);
	assert_false(docket_path_exists(cert));
	assert_int_equal(docket_ca_issue(ca, "ca pass", csr, cert, 0), DOCKET_EUSAGE);
	assert_int_equal(docket_ca_issue(ca, "ca pass", csr, cert, 365), 0);
	assert_int_equal(docket_ca_issue(ca, "ca pass", csr, cert, 365), DOCKET_EEXISTS);

	assert_int_equal(docket_cert_load(&c, cert), 0);
	assert_int_equal(X509_check_ca(docket_cert_x509(c)), 0);
	assert_int_equal(X509_get_key_usage(docket_cert_x509(c)), KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION);
	assert_int_equal(X509_get_signature_nid(docket_cert_x509(c)), NID_ecdsa_with_SHA256);
	serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(docket_cert_x509(c)), NULL);
	assert_int_equal(BN_num_bits(serial), 127);
	BN_free(serial);
	assert_int_equal(docket_cert_subject_cn(&cn, c), 0);
	assert_string_equal(cn, "Lê Thị Lan");
	assert_int_equal(X509_check_email(docket_cert_x509(c), "lan@example.org", 0, 0), 1);

	/* the certificate is for the key: same fingerprint */
	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	assert_int_equal(docket_key_fingerprint(&fp_key, k), 0);
	assert_int_equal(docket_cert_fingerprint(&fp_cert, c), 0);
	assert_string_equal(fp_key, fp_cert);

	assert_int_equal(docket_cert_verify_chain(c, ca_pem, now), 0);
	assert_cmd(fx_run("openssl verify -CAfile %s %s", ca_pem, cert), 1);
	/* the CA is not trusted by its own certificate being a signer */
	assert_int_equal(docket_cert_verify_chain(ca_cert, ca_pem, now), DOCKET_EVERIFY);
	assert_non_null(strstr(docket_error_last(), "not for signing"));
	assert_int_equal(docket_cert_verify_chain(c, "/nonexistent/ca.pem", now), DOCKET_ENOTFOUND);
	assert_int_equal(docket_cert_verify_chain(c, key, now), DOCKET_EINVALID);

	docket_free(cn);
	docket_free(fp_key);
	docket_free(fp_cert);
	docket_key_free(k);
	docket_cert_free(c);
	docket_cert_free(ca_cert);
}

static void test_cert_chain_failures(void **state)
{
	fixture *f = *state;
	char ca[FX_PATH], other[FX_PATH], ca_pem[FX_PATH], key[FX_PATH], csr[FX_PATH], cert[FX_PATH];
	docket_cert *c = NULL;
	time_t now = time(NULL);

	fx_join(ca, f->dir, "ca");
	fx_join(other, f->dir, "other-ca");
	fx_join(ca_pem, ca, "ca.pem");
	/* a CA in service for a year already, so that certificates can have expired under it */
	assert_int_equal(docket_ca_init_validity(ca, "Phòng GDĐT Cẩm Phả", "ca pass", now - 400 * 86400,
	                                         now + 3650L * 86400), 0);
	assert_int_equal(docket_ca_init(other, "Phòng GDĐT Cẩm Phả", "ca pass"), 0);  /* same name! */
	fx_join(key, f->dir, "lan.key");
	fx_join(csr, f->dir, "lan.key.csr");
	assert_int_equal(docket_key_generate(key, 0, PASS, "Lê Thị Lan", NULL), 0);

	/* a certificate cannot be valid before its CA, nor after it */
	fx_join(cert, f->dir, "before-ca.pem");
	assert_int_equal(docket_ca_issue_validity(other, "ca pass", csr, cert, now - 40 * 86400, now), DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "outside the validity of its CA"));
	assert_int_equal(docket_ca_issue(other, "ca pass", csr, cert, 36500), DOCKET_EUSAGE);
	assert_false(docket_path_exists(cert));

	/* expired: valid for ten days, a month ago */
	fx_join(cert, f->dir, "expired.pem");
	assert_int_equal(docket_ca_issue_validity(ca, "ca pass", csr, cert, now - 40 * 86400, now - 30 * 86400), 0);
	assert_int_equal(docket_cert_load(&c, cert), 0);
	assert_int_equal(docket_cert_verify_chain(c, ca_pem, now), DOCKET_EVERIFY);
	assert_non_null(strstr(docket_error_last(), "certificate expired"));
	/* but it was valid then */
	assert_int_equal(docket_cert_verify_chain(c, ca_pem, now - 35 * 86400), 0);
	docket_cert_free(c);

	/* not yet valid */
	fx_join(cert, f->dir, "future.pem");
	assert_int_equal(docket_ca_issue_validity(ca, "ca pass", csr, cert, now + 86400, now + 90 * 86400), 0);
	assert_int_equal(docket_cert_load(&c, cert), 0);
	assert_int_equal(docket_cert_verify_chain(c, ca_pem, now), DOCKET_EVERIFY);
	assert_non_null(strstr(docket_error_last(), "certificate not yet valid"));
	docket_cert_free(c);

	/* another CA with the very same name */
	fx_join(cert, f->dir, "other.pem");
	assert_int_equal(docket_ca_issue(other, "ca pass", csr, cert, 365), 0);
	assert_int_equal(docket_cert_load(&c, cert), 0);
	assert_int_equal(docket_cert_verify_chain(c, ca_pem, now), DOCKET_EVERIFY);
	assert_non_null(strstr(docket_error_last(), "certificate not issued by the trusted CA"));
	docket_cert_free(c);
	assert_int_equal(docket_ca_issue_validity(ca, "ca pass", csr, cert, now, now), DOCKET_EUSAGE);
}

/* ------------------------------------------------------------------------------------------ */

/* Commit BUF signed by KEY into REPO_DIR's main branch; returns 0. */
static void signed_commit(const char *repo_dir, docket_key *key, char **out_buf, size_t *out_len,
                          char **out_armored)
{
	git_repository *repo = NULL;
	git_treebuilder *tb = NULL;
	git_tree *tree = NULL;
	git_signature *who = NULL;
	git_oid blob, tree_id, commit;
	git_buf buf = { 0 };
	git_reference *ref = NULL;
	char *armored = NULL;

	assert_int_equal(git_repository_init(&repo, repo_dir, 0), 0);
	assert_int_equal(git_blob_create_from_buffer(&blob, repo, "plan\n", 5), 0);
	assert_int_equal(git_treebuilder_new(&tb, repo, NULL), 0);
	assert_int_equal(git_treebuilder_insert(NULL, tb, "kh-2021-354.xml", &blob, GIT_FILEMODE_BLOB), 0);
	assert_int_equal(git_treebuilder_write(&tree_id, tb), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &tree_id), 0);
	assert_int_equal(git_signature_new(&who, "Lê Thị Lan", "lan@example.org", 1620700200, 420), 0);
	assert_int_equal(git_commit_create_buffer(&buf, repo, who, who, NULL, "approve kh-2021-354\n", tree, 0, NULL), 0);
	assert_int_equal(docket_sshsig_sign(&armored, key, buf.ptr, buf.size), 0);
	assert_true(armored[strlen(armored) - 1] != '\n');
	assert_int_equal(git_commit_create_with_signature(&commit, repo, buf.ptr, armored, "gpgsig"), 0);
	assert_int_equal(git_reference_create(&ref, repo, "refs/heads/main", &commit, 1, "signed commit"), 0);
	assert_int_equal(git_repository_set_head(repo, "refs/heads/main"), 0);
	*out_buf = docket_strndup(buf.ptr, buf.size);
	*out_len = buf.size;
	*out_armored = armored;
	git_reference_free(ref);
	git_buf_dispose(&buf);
	git_signature_free(who);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_repository_free(repo);
}

static void write_signers(const char *path, docket_key *key, const char *email)
{
	char *ssh = NULL, line[4096];

	assert_int_equal(docket_key_ssh_pubkey(&ssh, key), 0);
	snprintf(line, sizeof(line), "%s namespaces=\"git\" %s\n", email, ssh);
	assert_int_equal(fx_write(path, line), 0);
	docket_free(ssh);
}

static void test_sshsig_git_verify_commit(void **state)
{
	fixture *f = *state;
	char key[FX_PATH], other_key[FX_PATH], repo[FX_PATH], signers[FX_PATH], strangers[FX_PATH];
	char *buf = NULL, *armored = NULL, *who = NULL, *ssh = NULL;
	size_t len = 0;
	docket_key *k = NULL, *other = NULL;

	fx_join(key, f->dir, "lan.key");
	fx_join(other_key, f->dir, "mallory.key");
	fx_join(repo, f->dir, "repo");
	fx_join(signers, f->dir, "allowed_signers");
	fx_join(strangers, f->dir, "strangers");
	assert_int_equal(docket_key_generate(key, 0, PASS, "Lê Thị Lan", NULL), 0);
	assert_int_equal(docket_key_generate(other_key, 0, PASS, "Mallory", NULL), 0);
	assert_int_equal(docket_key_load(&k, key, PASS), 0);
	assert_int_equal(docket_key_load(&other, other_key, PASS), 0);

	signed_commit(repo, k, &buf, &len, &armored);
	assert_true(strncmp(armored, "-----BEGIN SSH SIGNATURE-----\n", 30) == 0);
	write_signers(signers, k, "lan@example.org");
	write_signers(strangers, other, "mallory@example.org");

	assert_cmd(fx_run("git -C %s -c gpg.ssh.allowedSignersFile=%s verify-commit HEAD", repo, signers), 1);
	assert_non_null(strstr(fx_output(), "Good \"git\" signature"));
	assert_cmd(fx_run("git -C %s -c gpg.ssh.allowedSignersFile=%s verify-commit HEAD", repo, strangers), 0);
	assert_cmd(fx_run("git -C %s fsck --strict", repo), 1);

	/* docket's own verifier agrees, and names the key */
	assert_int_equal(docket_sshsig_verify(&who, armored, buf, len), 0);
	assert_int_equal(docket_key_ssh_pubkey(&ssh, k), 0);
	assert_string_equal(who, ssh);
	buf[len - 2] ^= 1;
	assert_int_equal(docket_sshsig_verify(NULL, armored, buf, len), DOCKET_EVERIFY);
	assert_int_equal(docket_sshsig_verify(NULL, "garbage", buf, len), DOCKET_EINVALID);

	/* the adapter for docket_repo_set_commit_signer signs the same way */
	docket_free(armored);
	armored = NULL;
	buf[len - 2] ^= 1;
	assert_int_equal(docket_sshsig_commit_signer(&armored, buf, len, k), 0);
	assert_int_equal(docket_sshsig_verify(NULL, armored, buf, len), 0);

	docket_free(who);
	docket_free(ssh);
	free(buf);
	docket_free(armored);
	docket_key_free(k);
	docket_key_free(other);
}

/* ------------------------------------------------------------------------------------------ */

static void test_pkcs11_token(void **state)
{
	fixture *f = *state;
	char conf[FX_PATH], tokens[FX_PATH], text[FX_PATH * 2], ca[FX_PATH], csr[FX_PATH], cert[FX_PATH],
	     doc_path[FX_PATH], signed_path[FX_PATH], repo[FX_PATH], signers[FX_PATH], uri[FX_PATH];
	char *csr_pem = NULL, *ssh = NULL, *fp_key = NULL, *fp_cert = NULL, *buf = NULL, *armored = NULL,
	     *sig_id = NULL;
	unsigned char *blob = NULL;
	size_t len = 0, bloblen = 0;
	docket_key *k = NULL;
	X509 *c = NULL;
	xmlDocPtr doc;
	docket_sig_result *res = NULL;
	size_t n = 0;
	docket_sig_props props = DOCKET_SIG_PROPS_INIT;

	props.role = "KT. TRƯỞNG PHÒNG — PHÓ TRƯỞNG PHÒNG";
	props.commitment = DOCKET_COMMITMENT_APPROVAL;
	props.transition = "approve";
	if (access(SOFTHSM_MODULE, R_OK) != 0) {
		print_message("SoftHSM2 (%s) is not installed: PKCS#11 test skipped\n", SOFTHSM_MODULE);
		skip();
	}
	fx_join(conf, f->dir, "softhsm2.conf");
	fx_join(tokens, f->dir, "tokens");
	assert_int_equal(mkdir(tokens, 0700), 0);
	snprintf(text, sizeof(text), "directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n", tokens);
	assert_int_equal(fx_write(conf, text), 0);
	assert_int_equal(setenv("SOFTHSM2_CONF", conf, 1), 0);
	assert_cmd(fx_run("softhsm2-util --init-token --free --label docket-test --pin 123456 --so-pin 12345678"), 1);
	assert_cmd(fx_run("pkcs11-tool --module " SOFTHSM_MODULE " --token-label docket-test --login --pin 123456 "
	                  "--keypairgen --key-type EC:prime256v1 --id 01 --label approver"), 1);

	snprintf(uri, sizeof(uri), "pkcs11:token=docket-test;object=approver;type=private?module-path=%s", SOFTHSM_MODULE);
	assert_int_equal(docket_key_load(&k, uri, "654321"), DOCKET_EDENIED);
	assert_int_equal(docket_key_load(&k, "pkcs11:token=docket-test;object=nobody;type=private?module-path="
	                                 SOFTHSM_MODULE, "123456"), DOCKET_ENOTFOUND);
	assert_int_equal(docket_key_load(&k, uri, "123456"), 0);
	assert_false(docket_key_is_rsa(k));

	/* the SSH key carries the uncompressed point even if the token reports it compressed */
	assert_int_equal(docket_key_ssh_pubkey(&ssh, k), 0);
	assert_int_equal(docket_base64_decode(&blob, &bloblen, strchr(ssh, ' ') + 1), 0);
	assert_int_equal(bloblen, 4 + 19 + 4 + 8 + 4 + 65);
	assert_int_equal(blob[4 + 19 + 4 + 8 + 4], 0x04);
	free(blob);

	/* a certificate for the token key, from the organisation CA */
	fx_join(ca, f->dir, "ca");
	fx_join(csr, f->dir, "token.csr");
	fx_join(cert, f->dir, "token.pem");
	assert_int_equal(docket_ca_init(ca, "Phòng GDĐT Cẩm Phả", "ca pass"), 0);
	assert_int_equal(docket_key_csr(&csr_pem, k, "Lê Thị Lan", "lan@example.org"), 0);
	assert_int_equal(fx_write(csr, csr_pem), 0);
	assert_int_equal(docket_ca_issue(ca, "ca pass", csr, cert, 365), 0);
	assert_int_equal(docket_x509_load(&c, cert), 0);
	assert_int_equal(docket_key_fingerprint(&fp_key, k), 0);
	assert_int_equal(docket_x509_fingerprint(&fp_cert, c), 0);
	assert_string_equal(fp_key, fp_cert);

	/* an XML signature made on the token, verified by docket and by xmlsec1 */
	snprintf(doc_path, sizeof(doc_path), "%s/tests/resources/sign/task.xml", fx_src());
	fx_join(signed_path, f->dir, "signed.xml");
	assert_non_null(doc = fx_load_doc(doc_path));
	assert_int_equal(docket_xmldsig_sign_xml(&sig_id, doc, k, c, &props), 0);
	assert_string_equal(sig_id, "sig-1");
	assert_int_equal(fx_save_doc(doc, signed_path), 0);
	fx_join(text, ca, "ca.pem");
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, text), 0);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	assert_cmd(fx_run("xmlsec1 --verify --trusted-pem %s --enabled-key-data x509 --enabled-reference-uris same-doc "
	                  "--id-attr:Id urn:docket:document:1:content %s", text, signed_path), 1);
	docket_sig_results_free(res, n);
	xmlFreeDoc(doc);

	/* an SSH commit signature made on the token, verified by git */
	fx_join(repo, f->dir, "repo");
	fx_join(signers, f->dir, "allowed_signers");
	signed_commit(repo, k, &buf, &len, &armored);
	write_signers(signers, k, "lan@example.org");
	assert_cmd(fx_run("git -C %s -c gpg.ssh.allowedSignersFile=%s verify-commit HEAD", repo, signers), 1);

	unsetenv("SOFTHSM2_CONF");
	free(sig_id);
	free(buf);
	docket_free(armored);
	docket_free(csr_pem);
	docket_free(ssh);
	docket_free(fp_key);
	free(fp_cert);
	X509_free(c);
	docket_key_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_key_generate_load_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_generate_refuses_overwrite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_passphrase_rules, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_rsa, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ca_init_issue_chain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cert_chain_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sshsig_git_verify_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pkcs11_token, setup, teardown),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
