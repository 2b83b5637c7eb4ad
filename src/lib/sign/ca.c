/*
 * ca: X.509 certificates — a small organisation CA for organisations that have none, and
 * the chain check every signature verification relies on.
 *
 * The CA is two files, DIR/ca.key (encrypted like any docket key) and DIR/ca.pem. Issued
 * certificates take only the subject and public key from a request, never its extensions:
 * what a certificate may do is decided here (CA:FALSE, digitalSignature+nonRepudiation).
 * Chains are checked at a given moment (a signature's signing time), and the reasons
 * OpenSSL gives are turned into the few sentences a reader of an audit needs.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include "sign_internal.h"

#define CA_DAYS 3653          /* ten years, leap days included */
#define CLOCK_SKEW 3600       /* certificates start an hour early: signers' clocks run behind */
#define MAX_PEM_FILE (1024 * 1024)

static int random_serial(X509 *cert)
{
	unsigned char raw[16];
	BIGNUM *bn = NULL;
	int error = DOCKET_ERROR;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		goto fail;
	/* positive, and 128 bits of it random apart from the sign bit */
	raw[0] &= 0x7f;
	raw[0] |= 0x40;
	if ((bn = BN_bin2bn(raw, sizeof(raw), NULL)) == NULL ||
	    !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)))
		goto fail;
	error = 0;
	goto cleanup;
fail:
	docket_error_ssl(DOCKET_ERROR, "cannot make a certificate serial number");
cleanup:
	BN_free(bn);
	return error;
}

static int add_ext(X509 *cert, X509 *issuer, int nid, const char *value)
{
	X509V3_CTX ctx;
	X509_EXTENSION *ext;
	int ok;

	X509V3_set_ctx(&ctx, issuer, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return docket_error_ssl(DOCKET_ERROR, "cannot add certificate extension %s", OBJ_nid2sn(nid));
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ok)
		return docket_error_ssl(DOCKET_ERROR, "cannot add certificate extension %s", OBJ_nid2sn(nid));
	return 0;
}

static int cert_pem(char **out, X509 *cert)
{
	BIO *bio = NULL;
	int error = DOCKET_ERROR;

	*out = NULL;
	if ((bio = BIO_new(BIO_s_mem())) == NULL || !PEM_write_bio_X509(bio, cert)) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode the certificate");
		goto cleanup;
	}
	if (docket_bio_take(out, NULL, bio) < 0)
		goto cleanup;
	error = 0;
cleanup:
	BIO_free(bio);
	return error;
}

static int set_validity(X509 *cert, time_t not_before, time_t not_after)
{
	if (!ASN1_TIME_set(X509_getm_notBefore(cert), not_before) ||
	    !ASN1_TIME_set(X509_getm_notAfter(cert), not_after))
		return docket_error_ssl(DOCKET_ERROR, "cannot set the certificate validity");
	return 0;
}

int docket_ca_init(const char *dir, const char *name, const char *passphrase)
{
	time_t now;
	int error;

	if ((error = docket_sign_now(&now)) < 0)
		return error;
	return docket_ca_init_validity(dir, name, passphrase, now - CLOCK_SKEW, now + (time_t)CA_DAYS * 86400);
}

int docket_ca_init_validity(const char *dir, const char *name, const char *passphrase,
                            time_t not_before, time_t not_after)
{
	docket_buf key_path = DOCKET_BUF_INIT, cert_path = DOCKET_BUF_INIT;
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	X509_NAME *subject;
	char *pem = NULL;
	struct stat st;
	int error, key_written = 0;

	if (!dir || !*dir || !name || !*name) {
		error = docket_error_set(DOCKET_EUSAGE, "a CA needs a directory and a name");
		goto cleanup;
	}
	if (not_before >= not_after) {
		error = docket_error_set(DOCKET_EUSAGE, "a CA certificate must be valid for some time");
		goto cleanup;
	}
	if (!passphrase || !*passphrase) {
		error = docket_error_set(DOCKET_EUSAGE, "a non-empty passphrase is required to protect the CA key");
		goto cleanup;
	}
	if ((error = docket_buf_printf(&key_path, "%s/ca.key", dir)) < 0 ||
	    (error = docket_buf_printf(&cert_path, "%s/ca.pem", dir)) < 0)
		goto cleanup;
	if (mkdir(dir, 0700) < 0 && (errno != EEXIST || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))) {
		error = docket_error_set(DOCKET_ERROR, "cannot create directory '%s': %s", dir, strerror(errno));
		goto cleanup;
	}
	if (docket_path_exists(key_path.ptr) || docket_path_exists(cert_path.ptr)) {
		error = docket_error_set(DOCKET_EEXISTS, "'%s' already holds a CA; docket never overwrites it", dir);
		goto cleanup;
	}
	error = DOCKET_ERROR;
	if ((pkey = docket_key_new_pkey(0)) == NULL) {
		docket_error_ssl(DOCKET_ERROR, "cannot generate the CA key");
		goto cleanup;
	}
	if ((cert = X509_new()) == NULL || !X509_set_version(cert, X509_VERSION_3)) {
		docket_error_ssl(DOCKET_ERROR, "cannot create the CA certificate");
		goto cleanup;
	}
	subject = X509_get_subject_name(cert);
	if (!X509_NAME_add_entry_by_NID(subject, NID_commonName, MBSTRING_UTF8,
	                                (const unsigned char *)name, -1, -1, 0)) {
		error = docket_error_ssl(DOCKET_EUSAGE, "invalid CA name '%s'", name);
		goto cleanup;
	}
	if (!X509_set_issuer_name(cert, subject) || !X509_set_pubkey(cert, pkey)) {
		docket_error_ssl(DOCKET_ERROR, "cannot create the CA certificate");
		goto cleanup;
	}
	if ((error = random_serial(cert)) < 0 ||
	    (error = set_validity(cert, not_before, not_after)) < 0 ||
	    (error = add_ext(cert, cert, NID_basic_constraints, "critical,CA:TRUE")) < 0 ||
	    (error = add_ext(cert, cert, NID_key_usage, "critical,keyCertSign,cRLSign")) < 0 ||
	    (error = add_ext(cert, cert, NID_subject_key_identifier, "hash")) < 0 ||
	    (error = add_ext(cert, cert, NID_authority_key_identifier, "keyid:always")) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (X509_sign(cert, pkey, EVP_sha256()) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot sign the CA certificate");
		goto cleanup;
	}
	if ((error = cert_pem(&pem, cert)) < 0 ||
	    (error = docket_key_write_new(key_path.ptr, pkey, passphrase)) < 0)
		goto cleanup;
	key_written = 1;
	if ((error = docket_file_create_new(cert_path.ptr, pem, strlen(pem), 0644)) < 0)
		goto cleanup;
	key_written = 0;
cleanup:
	if (key_written)
		unlink(key_path.ptr);
	EVP_PKEY_free(pkey);
	X509_free(cert);
	free(pem);
	docket_buf_free(&key_path);
	docket_buf_free(&cert_path);
	return error;
}

static int read_csr(X509_REQ **out, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	EVP_PKEY *pub;
	int error;

	*out = NULL;
	if ((error = docket_file_read(&text, &len, path, MAX_PEM_FILE)) < 0)
		goto cleanup;
	error = DOCKET_EINVALID;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL ||
	    (*out = PEM_read_bio_X509_REQ(bio, NULL, NULL, NULL)) == NULL) {
		docket_error_ssl(DOCKET_EINVALID, "'%s' holds no PEM certificate request", path);
		goto cleanup;
	}
	if ((pub = X509_REQ_get0_pubkey(*out)) == NULL || X509_REQ_verify(*out, pub) <= 0) {
		docket_error_ssl(DOCKET_EINVALID, "the certificate request '%s' is not signed by its own key", path);
		goto cleanup;
	}
	if ((error = docket_pubkey_acceptable(pub, path)) < 0)
		goto cleanup;
	error = 0;
cleanup:
	if (error < 0) {
		X509_REQ_free(*out);
		*out = NULL;
	}
	BIO_free(bio);
	free(text);
	return error;
}

static int asn1_to_time(time_t *out, const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = timegm(&tm);
	return 0;
}

/* START_AT_CA: move a NOT_BEFORE earlier than the CA's own start up to it. */
static int issue(const char *ca_dir, const char *passphrase, const char *csr_path,
                 const char *out_cert, time_t not_before, time_t not_after, int start_at_ca)
{
	docket_buf key_path = DOCKET_BUF_INIT, cert_path = DOCKET_BUF_INIT;
	EVP_PKEY *ca_key = NULL, *pub = NULL;
	X509 *ca = NULL, *cert = NULL;
	X509_REQ *req = NULL;
	X509_NAME *subject;
	char *pem = NULL;
	time_t ca_from, ca_to;
	int error;

	if (!ca_dir || !*ca_dir || !csr_path || !out_cert || !*out_cert) {
		error = docket_error_set(DOCKET_EUSAGE, "issuing a certificate needs a CA, a request and an output file");
		goto cleanup;
	}
	if (not_before >= not_after) {
		error = docket_error_set(DOCKET_EUSAGE, "a certificate must be valid for some time");
		goto cleanup;
	}
	if (docket_path_exists(out_cert)) {
		error = docket_error_set(DOCKET_EEXISTS, "'%s' already exists; docket never overwrites it", out_cert);
		goto cleanup;
	}
	if ((error = docket_buf_printf(&key_path, "%s/ca.key", ca_dir)) < 0 ||
	    (error = docket_buf_printf(&cert_path, "%s/ca.pem", ca_dir)) < 0)
		goto cleanup;
	if ((error = docket_x509_load(&ca, cert_path.ptr)) < 0)
		goto cleanup;
	if (asn1_to_time(&ca_from, X509_get0_notBefore(ca)) < 0 || asn1_to_time(&ca_to, X509_get0_notAfter(ca)) < 0) {
		error = docket_error_ssl(DOCKET_EINVALID, "cannot read the validity of '%s'", cert_path.ptr);
		goto cleanup;
	}
	if (start_at_ca && not_before < ca_from)
		not_before = ca_from;
	/* a certificate valid outside its CA's validity would only ever fail to verify there */
	if (not_before < ca_from || not_after > ca_to) {
		char a[32], b[32], c[32], d[32];
		docket_time_utc(a, not_before);
		docket_time_utc(b, not_after);
		docket_time_utc(c, ca_from);
		docket_time_utc(d, ca_to);
		error = docket_error_set(DOCKET_EUSAGE, "a certificate valid from %s to %s lies outside the validity "
		                         "of its CA (%s to %s)", a, b, c, d);
		goto cleanup;
	}
	if ((error = docket_key_read_pem(&ca_key, key_path.ptr, passphrase)) < 0 ||
	    (error = read_csr(&req, csr_path)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (!X509_check_private_key(ca, ca_key)) {
		error = docket_error_ssl(DOCKET_EINVALID, "'%s' is not the key of '%s'", key_path.ptr, cert_path.ptr);
		goto cleanup;
	}
	if ((error = docket_pubkey_canonical(&pub, X509_REQ_get0_pubkey(req))) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if ((cert = X509_new()) == NULL || !X509_set_version(cert, X509_VERSION_3) ||
	    !X509_set_issuer_name(cert, X509_get_subject_name(ca)) ||
	    !X509_set_subject_name(cert, X509_REQ_get_subject_name(req)) ||
	    !X509_set_pubkey(cert, pub)) {
		docket_error_ssl(DOCKET_ERROR, "cannot create the certificate");
		goto cleanup;
	}
	subject = X509_get_subject_name(cert);
	if ((error = random_serial(cert)) < 0 ||
	    (error = set_validity(cert, not_before, not_after)) < 0 ||
	    (error = add_ext(cert, ca, NID_basic_constraints, "critical,CA:FALSE")) < 0 ||
	    (error = add_ext(cert, ca, NID_key_usage, "critical,digitalSignature,nonRepudiation")) < 0 ||
	    (error = add_ext(cert, ca, NID_subject_key_identifier, "hash")) < 0 ||
	    (error = add_ext(cert, ca, NID_authority_key_identifier, "keyid:always")) < 0)
		goto cleanup;
	if (X509_NAME_get_index_by_NID(subject, NID_pkcs9_emailAddress, -1) >= 0 &&
	    (error = add_ext(cert, ca, NID_subject_alt_name, "email:copy")) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (X509_sign(cert, ca_key, EVP_sha256()) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot sign the certificate");
		goto cleanup;
	}
	if ((error = cert_pem(&pem, cert)) < 0)
		goto cleanup;
	error = docket_file_create_new(out_cert, pem, strlen(pem), 0644);
cleanup:
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(pub);
	X509_free(ca);
	X509_free(cert);
	X509_REQ_free(req);
	free(pem);
	docket_buf_free(&key_path);
	docket_buf_free(&cert_path);
	return error;
}

int docket_ca_issue_validity(const char *ca_dir, const char *passphrase, const char *csr_path,
                             const char *out_cert, time_t not_before, time_t not_after)
{
	return issue(ca_dir, passphrase, csr_path, out_cert, not_before, not_after, 0);
}

int docket_ca_issue(const char *ca_dir, const char *passphrase, const char *csr_path,
                    const char *out_cert, int days)
{
	time_t now;
	int error;

	if (days < 1 || days > 36500)
		return docket_error_set(DOCKET_EUSAGE, "a certificate is valid for 1 to 36500 days, not %d", days);
	if ((error = docket_sign_now(&now)) < 0)
		return error;
	return issue(ca_dir, passphrase, csr_path, out_cert, now - CLOCK_SKEW, now + (time_t)days * 86400, 1);
}

/* --- certificates -------------------------------------------------------------------------- */

X509 *docket_cert_from_pem(const char *pem, int len)
{
	BIO *bio;
	X509 *x;

	if (!pem || !(bio = BIO_new_mem_buf(pem, len)))
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	BIO_free(bio);
	return x;
}

X509 *docket_cert_from_der(const unsigned char *der, size_t len)
{
	const unsigned char *p = der;
	X509 *x;

	if (!der || len > LONG_MAX)
		return NULL;
	/* exactly one certificate: nothing may follow it */
	if (!(x = d2i_X509(NULL, &p, (long)len)) || p != der + len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

int docket_x509_load(X509 **out, const char *path)
{
	char *text = NULL;
	size_t len = 0;
	int error;

	if (out)
		*out = NULL;
	if (!out || !path)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_load: missing argument");
	if ((error = docket_file_read(&text, &len, path, MAX_PEM_FILE)) < 0)
		goto cleanup;
	if ((*out = docket_cert_from_pem(text, (int)len)) == NULL)
		error = docket_error_ssl(DOCKET_EINVALID, "'%s' holds no PEM certificate", path);
cleanup:
	free(text);
	return error;
}

static char *name_cn(const X509_NAME *name)
{
	const X509_NAME_ENTRY *entry;
	unsigned char *utf8 = NULL;
	char *s;
	int i, n;

	if (!name || (i = X509_NAME_get_index_by_NID(name, NID_commonName, -1)) < 0)
		return docket_strdup("");
	entry = X509_NAME_get_entry(name, i);
	if ((n = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry))) < 0)
		return docket_strdup("");
	s = docket_strndup((const char *)utf8, (size_t)n);
	OPENSSL_free(utf8);
	return s;
}

int docket_x509_subject_cn(char **out, X509 *cert)
{
	if (out)
		*out = NULL;
	if (!out || !cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_subject_cn: missing argument");
	if ((*out = name_cn(X509_get_subject_name(cert))) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

int docket_x509_fingerprint(char **out, X509 *cert)
{
	EVP_PKEY *pub;

	if (out)
		*out = NULL;
	if (!out || !cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_fingerprint: missing argument");
	if ((pub = X509_get0_pubkey(cert)) == NULL)
		return docket_error_ssl(DOCKET_EINVALID, "the certificate's public key cannot be read");
	return docket_pubkey_fingerprint(out, pub);
}

int docket_trust_store_load(X509_STORE **out, const char *trust_pem_file)
{
	char *text = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	X509 *cert = NULL;
	X509_STORE *store = NULL;
	int error, count = 0;

	*out = NULL;
	if (!trust_pem_file || !*trust_pem_file)
		return docket_error_set(DOCKET_EUSAGE, "no trust anchor given: verification needs the CA certificate");
	if ((error = docket_file_read(&text, &len, trust_pem_file, MAX_PEM_FILE)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL || (store = X509_STORE_new()) == NULL) {
		docket_error_ssl(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	while ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)) != NULL) {
		if (!X509_STORE_add_cert(store, cert)) {
			docket_error_ssl(DOCKET_ERROR, "cannot use the certificates of '%s'", trust_pem_file);
			goto cleanup;
		}
		X509_free(cert);
		cert = NULL;
		count++;
	}
	ERR_clear_error();  /* the end of the file reads as an error */
	if (count == 0) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' holds no PEM certificate", trust_pem_file);
		goto cleanup;
	}
	*out = store;
	store = NULL;
	error = 0;
cleanup:
	X509_free(cert);
	X509_STORE_free(store);
	BIO_free(bio);
	free(text);
	return error;
}

static void asn1_time_text(char out[32], const ASN1_TIME *t)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "(unknown)");
}

int docket_cert_check(X509 *cert, STACK_OF(X509) *untrusted, X509_STORE *store, time_t at,
                      int at_signing)
{
	X509_STORE_CTX *ctx = NULL;
	X509 *bad;
	char when[32], bound[32], *issuer = NULL, *who = NULL;
	const char *what, *moment = at_signing ? " at signing time" : "",
	           *label = at_signing ? "signed" : "checked at";
	int err, depth, error = DOCKET_ERROR;

	docket_time_utc(when, at);
	if ((ctx = X509_STORE_CTX_new()) == NULL || !X509_STORE_CTX_init(ctx, store, cert, untrusted)) {
		docket_error_ssl(DOCKET_ERROR, "cannot check the certificate chain");
		goto cleanup;
	}
	/* sets X509_V_FLAG_USE_CHECK_TIME: validity is judged at AT, not now */
	X509_STORE_CTX_set_time(ctx, 0, at);
	if (X509_verify_cert(ctx) == 1) {
		uint32_t ku = X509_get_key_usage(cert);
		if (ku != UINT32_MAX && !(ku & (KU_DIGITAL_SIGNATURE | KU_NON_REPUDIATION))) {
			error = docket_error_set(DOCKET_EVERIFY, "certificate is not for signing (key usage)");
			goto cleanup;
		}
		error = 0;
		goto cleanup;
	}
	ERR_clear_error();
	err = X509_STORE_CTX_get_error(ctx);
	depth = X509_STORE_CTX_get_error_depth(ctx);
	bad = X509_STORE_CTX_get_current_cert(ctx);
	what = depth > 0 ? "CA certificate" : "certificate";
	who = name_cn(bad ? X509_get_subject_name(bad) : NULL);
	issuer = name_cn(X509_get_issuer_name(cert));
	switch (err) {
	case X509_V_ERR_CERT_HAS_EXPIRED:
		asn1_time_text(bound, bad ? X509_get0_notAfter(bad) : NULL);
		error = docket_error_set(DOCKET_EVERIFY, "%s expired%s (valid until %s, %s %s)", what, moment,
		                         bound, label, when);
		break;
	case X509_V_ERR_CERT_NOT_YET_VALID:
		asn1_time_text(bound, bad ? X509_get0_notBefore(bad) : NULL);
		error = docket_error_set(DOCKET_EVERIFY, "%s not yet valid%s (valid from %s, %s %s)", what,
		                         moment, bound, label, when);
		break;
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
	case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
	case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
	case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
	case X509_V_ERR_CERT_SIGNATURE_FAILURE:
	case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
	case X509_V_ERR_UNABLE_TO_DECRYPT_CERT_SIGNATURE:
		error = docket_error_set(DOCKET_EVERIFY, "certificate not issued by the trusted CA (issuer '%s')",
		                         issuer ? issuer : "");
		break;
	default:
		error = docket_error_set(DOCKET_EVERIFY, "%s '%s' not accepted: %s", what, who ? who : "",
		                         X509_verify_cert_error_string(err));
	}
cleanup:
	free(issuer);
	free(who);
	X509_STORE_CTX_free(ctx);
	return error;
}

int docket_x509_verify_chain(X509 *cert, const char *trust_pem_file, time_t at)
{
	X509_STORE *store = NULL;
	int error;

	if (!cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_verify_chain: no certificate");
	if ((error = docket_trust_store_load(&store, trust_pem_file)) == 0)
		error = docket_cert_check(cert, NULL, store, at, 0);
	X509_STORE_free(store);
	return error;
}

int docket_file_read_pem_cert(char **out, size_t *out_len, const char *path)
{
	X509 *x = NULL;
	BIO *bio = NULL;
	int error = DOCKET_EINVALID;

	*out = NULL;
	if (!(bio = BIO_new_file(path, "r"))) {
		error = docket_error_set(DOCKET_ERROR, "cannot open '%s'", path);
		goto cleanup;
	}
	if (!(x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
		docket_error_set(DOCKET_EINVALID, "'%s' is not a PEM X.509 certificate", path);
		goto cleanup;
	}
	/* store the certificate alone, re-encoded: nothing else from the file travels */
	if ((error = cert_pem(out, x)) < 0)
		goto cleanup;
	if (out_len)
		*out_len = strlen(*out);
cleanup:
	BIO_free(bio);
	X509_free(x);
	return error;
}

int docket_bio_take(char **out, size_t *out_len, BIO *bio)
{
	char *mem = NULL;
	long n = BIO_get_mem_data(bio, &mem);

	if (n < 0 || !(*out = docket_strndup(mem ? mem : "", (size_t)n)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (out_len)
		*out_len = (size_t)n;
	return 0;
}
