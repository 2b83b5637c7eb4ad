/*
 * sshsig: git's SSH signature format (OpenSSH PROTOCOL.sshsig) for signed commits, and
 * OpenSSH public key lines, built with OpenSSL alone.
 *
 * A commit is signed by hashing it (SHA-512), wrapping the hash with the magic "SSHSIG",
 * the namespace "git" and the hash name, and signing that with the key as SSH signs
 * (ECDSA over SHA-256 for nistp256, SHA-384 for nistp384, rsa-sha2-512 for RSA). The
 * result is what `ssh-keygen -Y sign -n git` writes and what stock `git verify-commit`
 * checks against an allowed-signers file. The verifier here is for audits that must check
 * thousands of commits without starting a process per commit; it reports the signing key
 * and leaves the allowed-signers decision to the caller.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include "sign_internal.h"

#define SSHSIG_MAGIC "SSHSIG"
#define SSHSIG_NAMESPACE "git"
#define ARMOR_BEGIN "-----BEGIN SSH SIGNATURE-----"
#define ARMOR_END "-----END SSH SIGNATURE-----"
#define ARMOR_COLUMNS 70
#define MAX_ARMOR (64 * 1024)

/* --- SSH wire encoding (RFC 4251) ---------------------------------------------------------- */

static int put_u32(docket_buf *b, uint32_t v)
{
	char be[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v };
	return docket_buf_put(b, be, 4);
}

static int put_string(docket_buf *b, const void *data, size_t len)
{
	if (len > UINT32_MAX)
		return docket_error_set(DOCKET_EINVALID, "SSH string too long");
	if (put_u32(b, (uint32_t)len) < 0 || docket_buf_put(b, data, len) < 0)
		return DOCKET_ERROR;
	return 0;
}

static int put_cstring(docket_buf *b, const char *s)
{
	return put_string(b, s, strlen(s));
}

/* An mpint from a non-negative big-endian magnitude: no leading zeros, 0x00 before a high bit. */
static int put_mpint_bytes(docket_buf *b, const unsigned char *p, size_t len)
{
	while (len && *p == 0) {
		p++;
		len--;
	}
	if (len && (*p & 0x80)) {
		if (put_u32(b, (uint32_t)(len + 1)) < 0 || docket_buf_put(b, "", 1) < 0)
			return DOCKET_ERROR;
		return docket_buf_put(b, (const char *)p, len);
	}
	return put_string(b, p, len);
}

static int put_mpint(docket_buf *b, const BIGNUM *bn)
{
	unsigned char *p;
	int n = BN_num_bytes(bn), error;

	if ((p = malloc(n > 0 ? (size_t)n : 1)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	BN_bn2bin(bn, p);
	error = put_mpint_bytes(b, p, (size_t)n);
	free(p);
	return error;
}

typedef struct {
	const unsigned char *p;
	size_t left;
} reader;

static int get_u32(reader *r, uint32_t *v)
{
	if (r->left < 4)
		return -1;
	*v = ((uint32_t)r->p[0] << 24) | ((uint32_t)r->p[1] << 16) | ((uint32_t)r->p[2] << 8) | r->p[3];
	r->p += 4;
	r->left -= 4;
	return 0;
}

static int get_string(reader *r, const unsigned char **data, size_t *len)
{
	uint32_t n;

	if (get_u32(r, &n) < 0 || n > r->left)
		return -1;
	*data = r->p;
	*len = n;
	r->p += n;
	r->left -= n;
	return 0;
}

static int string_is(const unsigned char *data, size_t len, const char *s)
{
	return len == strlen(s) && memcmp(data, s, len) == 0;
}

/* --- public keys --------------------------------------------------------------------------- */

static const char *ssh_curve(const char *group)
{
	if (strcmp(group, "prime256v1") == 0)
		return "nistp256";
	if (strcmp(group, "secp384r1") == 0)
		return "nistp384";
	return NULL;
}

int docket_ssh_pubkey_blob(docket_buf *out, EVP_PKEY *pkey)
{
	EVP_PKEY *canon = NULL;
	BIGNUM *n = NULL, *e = NULL;
	unsigned char point[133];
	char group[64], type[64];
	const char *curve;
	size_t plen = 0;
	int error;

	if ((error = docket_pubkey_canonical(&canon, pkey)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	switch (EVP_PKEY_get_base_id(canon)) {
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(canon, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) ||
		    !EVP_PKEY_get_octet_string_param(canon, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &plen)) {
			docket_error_ssl(DOCKET_ERROR, "cannot read the EC public key");
			goto cleanup;
		}
		if ((curve = ssh_curve(group)) == NULL) {
			error = docket_error_set(DOCKET_EINVALID, "SSH has no key type for curve '%s'", group);
			goto cleanup;
		}
		snprintf(type, sizeof(type), "ecdsa-sha2-%s", curve);
		if (put_cstring(out, type) < 0 || put_cstring(out, curve) < 0 || put_string(out, point, plen) < 0)
			goto cleanup;
		break;
	case EVP_PKEY_RSA:
		if (!EVP_PKEY_get_bn_param(canon, OSSL_PKEY_PARAM_RSA_N, &n) ||
		    !EVP_PKEY_get_bn_param(canon, OSSL_PKEY_PARAM_RSA_E, &e)) {
			docket_error_ssl(DOCKET_ERROR, "cannot read the RSA public key");
			goto cleanup;
		}
		if (put_cstring(out, "ssh-rsa") < 0 || put_mpint(out, e) < 0 || put_mpint(out, n) < 0)
			goto cleanup;
		break;
	default:
		error = docket_error_set(DOCKET_EINVALID, "SSH signatures need an ECDSA or RSA key");
		goto cleanup;
	}
	error = 0;
cleanup:
	BN_free(n);
	BN_free(e);
	EVP_PKEY_free(canon);
	return error;
}

/* "TYPE BASE64(blob)" for a public key blob whose first string is TYPE. */
static int pubkey_line(char **out, const unsigned char *blob, size_t len)
{
	docket_buf line = DOCKET_BUF_INIT;
	reader r = { blob, len };
	const unsigned char *type;
	size_t tlen;
	char *b64 = NULL;
	int error = DOCKET_EINVALID;

	*out = NULL;
	if (get_string(&r, &type, &tlen) < 0) {
		docket_error_set(DOCKET_EINVALID, "malformed SSH public key");
		goto cleanup;
	}
	if ((error = docket_base64_encode(&b64, blob, len)) < 0 ||
	    (error = docket_buf_put(&line, (const char *)type, tlen)) < 0 ||
	    (error = docket_buf_printf(&line, " %s", b64)) < 0)
		goto cleanup;
	if ((*out = docket_buf_detach(&line, NULL)) == NULL)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	free(b64);
	docket_buf_free(&line);
	return error;
}

int docket_key_ssh_pubkey(char **out, docket_key *key)
{
	docket_buf blob = DOCKET_BUF_INIT;
	int error;

	if (out)
		*out = NULL;
	if (!out || !key)
		return docket_error_set(DOCKET_EUSAGE, "docket_key_ssh_pubkey: missing argument");
	if ((error = docket_ssh_pubkey_blob(&blob, docket_key_pkey(key))) == 0)
		error = pubkey_line(out, (const unsigned char *)blob.ptr, blob.len);
	docket_buf_free(&blob);
	return error;
}

int docket_x509_ssh_pubkey(char **out, X509 *cert)
{
	docket_buf blob = DOCKET_BUF_INIT;
	EVP_PKEY *pk;
	int error;

	if (out)
		*out = NULL;
	if (!out || !cert || !(pk = X509_get0_pubkey(cert)))
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_ssh_pubkey: missing argument");
	if ((error = docket_ssh_pubkey_blob(&blob, pk)) == 0)
		error = pubkey_line(out, (const unsigned char *)blob.ptr, blob.len);
	docket_buf_free(&blob);
	return error;
}

/* --- signing ------------------------------------------------------------------------------- */

/* "SSHSIG" string(namespace) string(reserved) string(hash name) string(H(message)). */
static int signed_data(docket_buf *out, const char *hash_name, const EVP_MD *md,
                       const char *buf, size_t len)
{
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned int hlen = 0;

	if (!EVP_Digest(buf, len, h, &hlen, md, NULL))
		return docket_error_ssl(DOCKET_ERROR, "cannot hash the message");
	if (docket_buf_puts(out, SSHSIG_MAGIC) < 0 || put_cstring(out, SSHSIG_NAMESPACE) < 0 ||
	    put_cstring(out, "") < 0 || put_cstring(out, hash_name) < 0 || put_string(out, h, hlen) < 0)
		return DOCKET_ERROR;
	return 0;
}

/* The digest SSH uses for an ECDSA key of BITS bits. */
static const EVP_MD *ecdsa_md(int bits)
{
	return bits > 256 ? EVP_sha384() : EVP_sha256();
}

/* The SSH signature blob: string(sig type) string(sig bytes). */
static int ssh_signature(docket_buf *out, docket_key *key, const docket_buf *data)
{
	EVP_PKEY *pkey = docket_key_pkey(key);
	docket_buf inner = DOCKET_BUF_INIT;
	unsigned char *sig = NULL, *raw = NULL;
	size_t siglen = 0, rawlen = 0, field;
	docket_buf pub = DOCKET_BUF_INIT;
	reader r;
	const unsigned char *type;
	size_t tlen;
	int error;

	if (docket_key_is_rsa(key)) {
		if ((error = docket_key_sign(&sig, &siglen, key, EVP_sha512(),
		                             (const unsigned char *)data->ptr, data->len)) == 0 &&
		    (error = put_cstring(out, "rsa-sha2-512")) == 0)
			error = put_string(out, sig, siglen);
		goto cleanup;
	}
	/* the signature type is the key type, "ecdsa-sha2-nistpNNN" */
	if ((error = docket_ssh_pubkey_blob(&pub, pkey)) < 0)
		goto cleanup;
	r.p = (const unsigned char *)pub.ptr;
	r.left = pub.len;
	if (get_string(&r, &type, &tlen) < 0) {
		error = docket_error_set(DOCKET_ERROR, "malformed SSH public key");
		goto cleanup;
	}
	field = ((size_t)EVP_PKEY_get_bits(pkey) + 7) / 8;
	if ((error = docket_key_sign(&sig, &siglen, key, ecdsa_md(EVP_PKEY_get_bits(pkey)),
	                             (const unsigned char *)data->ptr, data->len)) < 0 ||
	    (error = docket_ecdsa_der_to_raw(&raw, &rawlen, sig, siglen, field)) < 0)
		goto cleanup;
	if ((error = put_mpint_bytes(&inner, raw, field)) < 0 ||
	    (error = put_mpint_bytes(&inner, raw + field, field)) < 0 ||
	    (error = put_string(out, type, tlen)) < 0 ||
	    (error = put_string(out, inner.ptr, inner.len)) < 0)
		goto cleanup;
cleanup:
	free(sig);
	free(raw);
	docket_buf_free(&inner);
	docket_buf_free(&pub);
	return error;
}

int docket_sshsig_sign(char **armored, docket_key *key, const char *buf, size_t len)
{
	docket_buf data = DOCKET_BUF_INIT, sig = DOCKET_BUF_INIT, pub = DOCKET_BUF_INIT,
	           blob = DOCKET_BUF_INIT, text = DOCKET_BUF_INIT;
	char *b64 = NULL;
	size_t i, n;
	int error;

	if (armored)
		*armored = NULL;
	if (!armored || !key || (!buf && len))
		return docket_error_set(DOCKET_EUSAGE, "docket_sshsig_sign: missing argument");
	if ((error = signed_data(&data, "sha512", EVP_sha512(), buf ? buf : "", len)) < 0 ||
	    (error = ssh_signature(&sig, key, &data)) < 0 ||
	    (error = docket_ssh_pubkey_blob(&pub, docket_key_pkey(key))) < 0)
		goto cleanup;
	if ((error = docket_buf_puts(&blob, SSHSIG_MAGIC)) < 0 || (error = put_u32(&blob, 1)) < 0 ||
	    (error = put_string(&blob, pub.ptr, pub.len)) < 0 ||
	    (error = put_cstring(&blob, SSHSIG_NAMESPACE)) < 0 || (error = put_cstring(&blob, "")) < 0 ||
	    (error = put_cstring(&blob, "sha512")) < 0 || (error = put_string(&blob, sig.ptr, sig.len)) < 0)
		goto cleanup;
	if ((error = docket_base64_encode(&b64, (const unsigned char *)blob.ptr, blob.len)) < 0 ||
	    (error = docket_buf_puts(&text, ARMOR_BEGIN "\n")) < 0)
		goto cleanup;
	n = strlen(b64);
	for (i = 0; i < n; i += ARMOR_COLUMNS) {
		if ((error = docket_buf_put(&text, b64 + i, n - i < ARMOR_COLUMNS ? n - i : ARMOR_COLUMNS)) < 0 ||
		    (error = docket_buf_puts(&text, "\n")) < 0)
			goto cleanup;
	}
	/* no trailing newline: git_commit_create_with_signature adds the header's own */
	if ((error = docket_buf_puts(&text, ARMOR_END)) < 0)
		goto cleanup;
	if ((*armored = docket_buf_detach(&text, NULL)) == NULL)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	free(b64);
	docket_buf_free(&data);
	docket_buf_free(&sig);
	docket_buf_free(&pub);
	docket_buf_free(&blob);
	docket_buf_free(&text);
	return error;
}

int docket_sshsig_commit_signer(char **armored, const char *buf, size_t len, void *key)
{
	return docket_sshsig_sign(armored, key, buf, len);
}

/* --- verifying ----------------------------------------------------------------------------- */

/* An EVP_PKEY from an SSH public key blob. */
static int pkey_from_blob(EVP_PKEY **out, const unsigned char *blob, size_t len, int *is_rsa)
{
	reader r = { blob, len };
	const unsigned char *type, *a, *b;
	size_t tlen, alen, blen;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	BIGNUM *e = NULL, *n = NULL;
	const char *group = NULL, *alg;
	int error = DOCKET_EINVALID;

	*out = NULL;
	if (get_string(&r, &type, &tlen) < 0 || get_string(&r, &a, &alen) < 0 ||
	    get_string(&r, &b, &blen) < 0 || r.left != 0) {
		docket_error_set(DOCKET_EINVALID, "malformed SSH public key in the signature");
		goto cleanup;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (string_is(type, tlen, "ecdsa-sha2-nistp256") && string_is(a, alen, "nistp256"))
		group = "prime256v1";
	else if (string_is(type, tlen, "ecdsa-sha2-nistp384") && string_is(a, alen, "nistp384"))
		group = "secp384r1";
	if (group) {
		*is_rsa = 0;
		alg = "EC";
		if (!OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
		    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, b, blen))
			goto ssl_fail;
	} else if (string_is(type, tlen, "ssh-rsa")) {
		*is_rsa = 1;
		alg = "RSA";
		if ((e = BN_bin2bn(a, (int)alen, NULL)) == NULL || (n = BN_bin2bn(b, (int)blen, NULL)) == NULL ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
		    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e))
			goto ssl_fail;
	} else {
		docket_error_set(DOCKET_EINVALID, "SSH key type '%.*s' is not accepted", (int)(tlen > 64 ? 64 : tlen),
		                 (const char *)type);
		goto cleanup;
	}
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, alg, NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 || EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		goto ssl_fail;
	if ((error = docket_pubkey_acceptable(*out, "SSH signature")) < 0) {
		EVP_PKEY_free(*out);
		*out = NULL;
		goto cleanup;
	}
	error = 0;
	goto cleanup;
ssl_fail:
	error = docket_error_ssl(DOCKET_EINVALID, "invalid SSH public key in the signature");
cleanup:
	BN_free(e);
	BN_free(n);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return error;
}

static int unarmor(unsigned char **out, size_t *out_len, const char *armored)
{
	const char *b, *e;
	char *body = NULL;
	int error;

	*out = NULL;
	*out_len = 0;
	if (strlen(armored) > MAX_ARMOR || (b = strstr(armored, ARMOR_BEGIN)) == NULL ||
	    (e = strstr(b, ARMOR_END)) == NULL)
		return docket_error_set(DOCKET_EINVALID, "not an SSH signature (no armour)");
	b += strlen(ARMOR_BEGIN);
	if ((body = docket_strndup(b, (size_t)(e - b))) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	error = docket_base64_decode(out, out_len, body);
	free(body);
	return error;
}

static int verify_with(EVP_PKEY *pkey, int is_rsa, const unsigned char *sigblob, size_t siglen,
                       const docket_buf *data)
{
	reader r = { sigblob, siglen }, rs;
	const unsigned char *type, *sig, *rp, *sp;
	size_t tlen, slen, rlen, splen, field;
	const EVP_MD *md;
	unsigned char *raw = NULL, *der = NULL;
	size_t derlen = 0;
	EVP_MD_CTX *ctx = NULL;
	int error = DOCKET_EINVALID;

	if (get_string(&r, &type, &tlen) < 0 || get_string(&r, &sig, &slen) < 0 || r.left != 0) {
		docket_error_set(DOCKET_EINVALID, "malformed SSH signature value");
		goto cleanup;
	}
	if (is_rsa) {
		if (string_is(type, tlen, "rsa-sha2-512"))
			md = EVP_sha512();
		else if (string_is(type, tlen, "rsa-sha2-256"))
			md = EVP_sha256();
		else {
			docket_error_set(DOCKET_EINVALID, "RSA signature type '%.*s' is not accepted",
			                 (int)(tlen > 64 ? 64 : tlen), (const char *)type);
			goto cleanup;
		}
		der = malloc(slen ? slen : 1);
		if (!der) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		memcpy(der, sig, slen);
		derlen = slen;
	} else {
		field = ((size_t)EVP_PKEY_get_bits(pkey) + 7) / 8;
		md = ecdsa_md(EVP_PKEY_get_bits(pkey));
		if (!string_is(type, tlen, field > 32 ? "ecdsa-sha2-nistp384" : "ecdsa-sha2-nistp256")) {
			docket_error_set(DOCKET_EINVALID, "signature type does not match the key");
			goto cleanup;
		}
		rs.p = sig;
		rs.left = slen;
		if (get_string(&rs, &rp, &rlen) < 0 || get_string(&rs, &sp, &splen) < 0 || rs.left != 0) {
			docket_error_set(DOCKET_EINVALID, "malformed ECDSA signature value");
			goto cleanup;
		}
		/* mpints may carry one leading zero byte */
		while (rlen > field && *rp == 0) { rp++; rlen--; }
		while (splen > field && *sp == 0) { sp++; splen--; }
		if (rlen > field || splen > field) {
			docket_error_set(DOCKET_EINVALID, "malformed ECDSA signature value");
			goto cleanup;
		}
		if ((raw = calloc(2, field)) == NULL) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		memcpy(raw + field - rlen, rp, rlen);
		memcpy(raw + 2 * field - splen, sp, splen);
		if ((error = docket_ecdsa_raw_to_der(&der, &derlen, raw, 2 * field)) < 0)
			goto cleanup;
	}
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestVerifyInit(ctx, NULL, md, NULL, pkey) <= 0) {
		error = docket_error_ssl(DOCKET_ERROR, "cannot verify the SSH signature");
		goto cleanup;
	}
	if (EVP_DigestVerify(ctx, der, derlen, (const unsigned char *)data->ptr, data->len) != 1) {
		ERR_clear_error();
		error = docket_error_set(DOCKET_EVERIFY, "the SSH signature does not match the commit");
		goto cleanup;
	}
	error = 0;
cleanup:
	free(raw);
	free(der);
	EVP_MD_CTX_free(ctx);
	return error;
}

int docket_sshsig_verify(char **out_pubkey, const char *armored, const char *buf, size_t len)
{
	unsigned char *blob = NULL;
	size_t bloblen = 0, publen, nslen, reslen, hlen, siglen;
	const unsigned char *pub, *ns, *res, *hash, *sig;
	docket_buf data = DOCKET_BUF_INIT;
	EVP_PKEY *pkey = NULL;
	uint32_t version;
	reader r;
	int error, is_rsa = 0;

	if (out_pubkey)
		*out_pubkey = NULL;
	if (!armored || (!buf && len))
		return docket_error_set(DOCKET_EUSAGE, "docket_sshsig_verify: missing argument");
	if ((error = unarmor(&blob, &bloblen, armored)) < 0)
		goto cleanup;
	error = DOCKET_EINVALID;
	r.p = blob;
	r.left = bloblen;
	if (r.left < 6 || memcmp(r.p, SSHSIG_MAGIC, 6) != 0) {
		docket_error_set(DOCKET_EINVALID, "not an SSH signature (bad magic)");
		goto cleanup;
	}
	r.p += 6;
	r.left -= 6;
	if (get_u32(&r, &version) < 0 || get_string(&r, &pub, &publen) < 0 ||
	    get_string(&r, &ns, &nslen) < 0 || get_string(&r, &res, &reslen) < 0 ||
	    get_string(&r, &hash, &hlen) < 0 || get_string(&r, &sig, &siglen) < 0 || r.left != 0) {
		docket_error_set(DOCKET_EINVALID, "malformed SSH signature");
		goto cleanup;
	}
	if (version != 1) {
		docket_error_set(DOCKET_EINVALID, "SSH signature version %u is not supported", version);
		goto cleanup;
	}
	if (!string_is(ns, nslen, SSHSIG_NAMESPACE)) {
		error = docket_error_set(DOCKET_EVERIFY, "SSH signature made for namespace '%.*s', not 'git'",
		                         (int)(nslen > 64 ? 64 : nslen), (const char *)ns);
		goto cleanup;
	}
	if ((error = pkey_from_blob(&pkey, pub, publen, &is_rsa)) < 0)
		goto cleanup;
	if (string_is(hash, hlen, "sha512"))
		error = signed_data(&data, "sha512", EVP_sha512(), buf ? buf : "", len);
	else if (string_is(hash, hlen, "sha256"))
		error = signed_data(&data, "sha256", EVP_sha256(), buf ? buf : "", len);
	else
		error = docket_error_set(DOCKET_EINVALID, "SSH signature hash '%.*s' is not accepted",
		                         (int)(hlen > 64 ? 64 : hlen), (const char *)hash);
	if (error < 0)
		goto cleanup;
	if ((error = verify_with(pkey, is_rsa, sig, siglen, &data)) < 0)
		goto cleanup;
	if (out_pubkey)
		error = pubkey_line(out_pubkey, pub, publen);
cleanup:
	free(blob);
	docket_buf_free(&data);
	EVP_PKEY_free(pkey);
	return error;
}
