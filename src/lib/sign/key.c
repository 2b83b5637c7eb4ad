/*
 * key: private keys for signing, from an encrypted PEM file or from a PKCS#11 token, and
 * the small helpers every signing subsystem shares (OpenSSL error text, base64, creating a
 * file that must never replace another).
 *
 * The idea: a docket_key hides where the private half lives. File keys are encrypted
 * PKCS#8 (AES-256-CBC under scrypt; older files under PBKDF2 still open), created through a temporary file that is link(2)ed
 * into place, so an existing key is never overwritten and a half-written key is never
 * visible. Token keys go through OpenSSL's ENGINE "pkcs11" (libp11), the only PKCS#11 path
 * in Debian 12 that exports public keys reliably; the private half never leaves the token.
 * Public keys are always handled in one canonical form (public-only, EC points
 * uncompressed) because tokens report compressed points, which would change fingerprints
 * and SSH key lines.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include "sign_internal.h"

/* Longest passphrase accepted: OpenSSL's PEM password callback buffer is PEM_BUFSIZE. */
#define MAX_PASSPHRASE (PEM_BUFSIZE - 1)
/* A PEM key file is a few kilobytes; anything much larger is not a key. */
#define MAX_KEY_FILE (64 * 1024)

struct docket_key {
	EVP_PKEY *pkey;
	ENGINE *engine;   /* the pkcs11 engine holding the token session, or NULL */
	char *spec;
};

/* --- shared helpers ------------------------------------------------------------------------ */

int docket_error_ssl(int code, const char *fmt, ...)
{
	docket_buf msg = DOCKET_BUF_INIT;
	unsigned long e;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n >= 0 && docket_buf_grow(&msg, (size_t)n) == 0) {
		va_start(ap, fmt);
		vsnprintf(msg.ptr, (size_t)n + 1, fmt, ap);
		va_end(ap);
		msg.len = (size_t)n;
	}
	/* OpenSSL's own words, oldest first, and the queue left empty for the next call */
	while ((e = ERR_get_error()) != 0) {
		const char *reason = ERR_reason_error_string(e);
		if (reason)
			docket_buf_printf(&msg, ": %s", reason);
		else
			docket_buf_printf(&msg, ": OpenSSL error 0x%lx", e);
	}
	docket_error_set(code, "%s", msg.ptr ? msg.ptr : "OpenSSL error");
	docket_buf_free(&msg);
	return code;
}

/* --- public keys --------------------------------------------------------------------------- */

static int ec_canonical(EVP_PKEY **out, EVP_PKEY *pub)
{
	char group[64];
	unsigned char point[256], *uncompressed = NULL;
	size_t plen = 0, ulen;
	EC_GROUP *g = NULL;
	EC_POINT *p = NULL;
	OSSL_PARAM_BLD *bld = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int nid, error = DOCKET_ERROR;

	if (!EVP_PKEY_get_utf8_string_param(pub, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL) ||
	    !EVP_PKEY_get_octet_string_param(pub, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point), &plen)) {
		error = docket_error_ssl(DOCKET_EINVALID, "cannot read the EC public key");
		goto cleanup;
	}
	if ((nid = OBJ_txt2nid(group)) == NID_undef || (g = EC_GROUP_new_by_curve_name(nid)) == NULL ||
	    (p = EC_POINT_new(g)) == NULL || !EC_POINT_oct2point(g, p, point, plen, NULL)) {
		error = docket_error_ssl(DOCKET_EINVALID, "invalid EC public key on curve '%s'", group);
		goto cleanup;
	}
	if ((ulen = EC_POINT_point2buf(g, p, POINT_CONVERSION_UNCOMPRESSED, &uncompressed, NULL)) == 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode the EC public key");
		goto cleanup;
	}
	if ((bld = OSSL_PARAM_BLD_new()) == NULL ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, group, 0) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, uncompressed, ulen) ||
	    (params = OSSL_PARAM_BLD_to_param(bld)) == NULL ||
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, out, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot rebuild the EC public key");
		goto cleanup;
	}
	error = 0;
cleanup:
	OPENSSL_free(uncompressed);
	EC_POINT_free(p);
	EC_GROUP_free(g);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return error;
}

int docket_pubkey_canonical(EVP_PKEY **out, EVP_PKEY *pkey)
{
	unsigned char *der = NULL;
	const unsigned char *p;
	EVP_PKEY *pub = NULL;
	int len, error = DOCKET_ERROR;

	*out = NULL;
	/* Through DER and back: works for provider, legacy and engine keys alike, and drops the
	 * private half. */
	if ((len = i2d_PUBKEY(pkey, &der)) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode the public key");
		goto cleanup;
	}
	p = der;
	if ((pub = d2i_PUBKEY(NULL, &p, len)) == NULL) {
		error = docket_error_ssl(DOCKET_EINVALID, "cannot decode the public key");
		goto cleanup;
	}
	if (EVP_PKEY_get_base_id(pub) == EVP_PKEY_EC) {
		error = ec_canonical(out, pub);
		goto cleanup;
	}
	*out = pub;
	pub = NULL;
	error = 0;
cleanup:
	OPENSSL_free(der);
	EVP_PKEY_free(pub);
	return error;
}

int docket_pubkey_fingerprint(char **out, EVP_PKEY *pkey)
{
	EVP_PKEY *canon = NULL;
	unsigned char *der = NULL, md[32];
	int len, error;

	*out = NULL;
	if ((error = docket_pubkey_canonical(&canon, pkey)) < 0)
		goto cleanup;
	if ((len = i2d_PUBKEY(canon, &der)) <= 0 || !EVP_Digest(der, (size_t)len, md, NULL, EVP_sha256(), NULL)) {
		error = docket_error_ssl(DOCKET_ERROR, "cannot compute the key fingerprint");
		goto cleanup;
	}
	if ((*out = docket_hex(md, sizeof(md))) == NULL)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	OPENSSL_free(der);
	EVP_PKEY_free(canon);
	return error;
}

int docket_pubkey_acceptable(EVP_PKEY *pkey, const char *what)
{
	EVP_PKEY *canon = NULL;
	char group[64];
	int error;

	if ((error = docket_pubkey_canonical(&canon, pkey)) < 0)
		return error;
	switch (EVP_PKEY_get_base_id(canon)) {
	case EVP_PKEY_EC:
		if (!EVP_PKEY_get_utf8_string_param(canon, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group), NULL))
			group[0] = '\0';
		if (strcmp(group, "prime256v1") != 0 && strcmp(group, "secp384r1") != 0)
			error = docket_error_set(DOCKET_EINVALID,
				"%s: EC curve '%s' is not accepted (P-256 or P-384 only)", what, group);
		break;
	case EVP_PKEY_RSA:
		if (EVP_PKEY_get_bits(canon) < 2048)
			error = docket_error_set(DOCKET_EINVALID,
				"%s: RSA key of %d bits is too short (2048 at least)", what, EVP_PKEY_get_bits(canon));
		break;
	default:
		error = docket_error_set(DOCKET_EINVALID,
			"%s: key algorithm '%s' is not accepted (ECDSA P-256/P-384 or RSA only)", what,
			OBJ_nid2sn(EVP_PKEY_get_base_id(canon)));
	}
	EVP_PKEY_free(canon);
	return error;
}

/* --- keys ---------------------------------------------------------------------------------- */

EVP_PKEY *docket_key_pkey(docket_key *key)
{
	return key ? key->pkey : NULL;
}

int docket_key_is_rsa(const docket_key *key)
{
	return key && EVP_PKEY_get_base_id(key->pkey) == EVP_PKEY_RSA;
}

void docket_key_free(docket_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
	if (key->engine) {
		ENGINE_finish(key->engine);
		ENGINE_free(key->engine);
	}
#pragma GCC diagnostic pop
	free(key->spec);
	free(key);
}

int docket_key_sign(unsigned char **out, size_t *out_len, docket_key *key, const EVP_MD *md,
                    const unsigned char *data, size_t len)
{
	EVP_MD_CTX *ctx = NULL;
	unsigned char *sig = NULL;
	size_t siglen = 0;
	int error = DOCKET_ERROR;

	*out = NULL;
	*out_len = 0;
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, md, NULL, key->pkey) <= 0 ||
	    EVP_DigestSign(ctx, NULL, &siglen, data, len) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot sign with key '%s'", key->spec);
		goto cleanup;
	}
	if ((sig = OPENSSL_malloc(siglen)) == NULL) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (EVP_DigestSign(ctx, sig, &siglen, data, len) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot sign with key '%s'", key->spec);
		goto cleanup;
	}
	/* hand over a malloc'd copy so callers free() it like everything else */
	if ((*out = malloc(siglen)) == NULL) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	memcpy(*out, sig, siglen);
	*out_len = siglen;
	error = 0;
cleanup:
	OPENSSL_free(sig);
	EVP_MD_CTX_free(ctx);
	return error;
}

int docket_key_fingerprint(char **out, docket_key *key)
{
	if (!out || !key)
		return docket_error_set(DOCKET_EUSAGE, "docket_key_fingerprint: missing argument");
	return docket_pubkey_fingerprint(out, key->pkey);
}

int docket_key_csr(char **out, docket_key *key, const char *subject_cn, const char *email)
{
	X509_REQ *req = NULL;
	X509_NAME *name;
	EVP_PKEY *canon = NULL;
	BIO *bio = NULL;
	int error = DOCKET_ERROR;

	if (out)
		*out = NULL;
	if (!out || !key || !subject_cn || !*subject_cn)
		return docket_error_set(DOCKET_EUSAGE, "a certificate request needs a key and a subject name");
	if ((error = docket_pubkey_canonical(&canon, key->pkey)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if ((req = X509_REQ_new()) == NULL || !X509_REQ_set_version(req, X509_REQ_VERSION_1)) {
		docket_error_ssl(DOCKET_ERROR, "cannot create a certificate request");
		goto cleanup;
	}
	name = X509_REQ_get_subject_name(req);
	if (!X509_NAME_add_entry_by_NID(name, NID_commonName, MBSTRING_UTF8,
	                                (const unsigned char *)subject_cn, -1, -1, 0)) {
		error = docket_error_ssl(DOCKET_EUSAGE, "invalid subject name '%s'", subject_cn);
		goto cleanup;
	}
	if (email && *email &&
	    !X509_NAME_add_entry_by_NID(name, NID_pkcs9_emailAddress, MBSTRING_ASC,
	                                (const unsigned char *)email, -1, -1, 0)) {
		error = docket_error_ssl(DOCKET_EUSAGE, "invalid e-mail address '%s'", email);
		goto cleanup;
	}
	/* the request carries the canonical public key (uncompressed point) even for tokens */
	if (!X509_REQ_set_pubkey(req, canon) || X509_REQ_sign(req, key->pkey, EVP_sha256()) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot sign the certificate request with '%s'", key->spec);
		goto cleanup;
	}
	if ((bio = BIO_new(BIO_s_mem())) == NULL || !PEM_write_bio_X509_REQ(bio, req)) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode the certificate request");
		goto cleanup;
	}
	if (docket_bio_take(out, NULL, bio) < 0)
		goto cleanup;
	error = 0;
cleanup:
	BIO_free(bio);
	X509_REQ_free(req);
	EVP_PKEY_free(canon);
	return error;
}

static int check_passphrase(const char *passphrase)
{
	if (!passphrase || !*passphrase)
		return docket_error_set(DOCKET_EUSAGE, "a non-empty passphrase is required to protect the key");
	if (strlen(passphrase) > MAX_PASSPHRASE)
		return docket_error_set(DOCKET_EUSAGE, "the passphrase is longer than %d bytes", MAX_PASSPHRASE);
	return 0;
}

/*
 * The key derivation for new key files: scrypt N=2^14, r=8, p=5, one of OWASP's equivalent
 * minimums (2023) and, at 16 MiB, inside the 32 MiB OpenSSL allows scrypt by default, so
 * `openssl pkcs8` and `openssl pkey` open docket's keys too. OpenSSL's own default for
 * PKCS#8 is PBKDF2 with 2,048 iterations: a guess costs about a millisecond on one core; here
 * it costs about 0.2 s and 16 MiB. Key files written with that default still open (the
 * parameters are read from the file).
 */
#define SCRYPT_N 16384
#define SCRYPT_R 8
#define SCRYPT_P 5

/* Encrypted PKCS#8 PEM of PKEY into *out (malloc'd): AES-256-CBC under scrypt (PBES2). */
static int encrypt_key(char **out, size_t *out_len, EVP_PKEY *pkey, const char *passphrase)
{
	BIO *bio = NULL;
	PKCS8_PRIV_KEY_INFO *p8 = NULL;
	X509_ALGOR *pbe = NULL;
	X509_SIG *enc = NULL;
	unsigned char salt[16];
	int error = DOCKET_ERROR;

	*out = NULL;
	/* a 16-byte salt (OpenSSL's default is 8); a NULL IV: OpenSSL draws a fresh one */
	if (RAND_bytes(salt, sizeof(salt)) != 1 || !(p8 = EVP_PKEY2PKCS8(pkey)) ||
	    !(pbe = PKCS5_pbe2_set_scrypt(EVP_aes_256_cbc(), salt, (int)sizeof(salt), NULL,
	                                  SCRYPT_N, SCRYPT_R, SCRYPT_P)) ||
	    !(enc = PKCS8_set0_pbe(passphrase, (int)strlen(passphrase), p8, pbe))) {
		docket_error_ssl(DOCKET_ERROR, "cannot encrypt the key");
		goto cleanup;
	}
	pbe = NULL; /* owned by ENC now */
	if ((bio = BIO_new(BIO_s_mem())) == NULL || !PEM_write_bio_PKCS8(bio, enc)) {
		docket_error_ssl(DOCKET_ERROR, "cannot encrypt the key");
		goto cleanup;
	}
	if (docket_bio_take(out, out_len, bio) < 0)
		goto cleanup;
	error = 0;
cleanup:
	BIO_free(bio); /* only the encrypted form went through it */
	X509_SIG_free(enc);
	X509_ALGOR_free(pbe);
	PKCS8_PRIV_KEY_INFO_free(p8); /* clears the private key as it frees it */
	return error;
}

/* A fresh key: EC P-256, or RSA-3072. */
static EVP_PKEY *new_pkey(int rsa)
{
	return rsa ? EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)3072)
	           : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
}

int docket_key_generate(const char *path, int rsa, const char *passphrase,
                        const char *subject_cn, const char *email)
{
	docket_buf csr_path = DOCKET_BUF_INIT;
	docket_key key = { NULL, NULL, NULL };
	char *pem = NULL, *csr = NULL;
	size_t pem_len = 0;
	int error, key_written = 0;

	if (!path || !*path || !subject_cn || !*subject_cn) {
		error = docket_error_set(DOCKET_EUSAGE, "generating a key needs a path and a subject name");
		goto cleanup;
	}
	if ((error = check_passphrase(passphrase)) < 0)
		goto cleanup;
	if ((error = docket_buf_printf(&csr_path, "%s.csr", path)) < 0)
		goto cleanup;
	/* refuse before spending time on an RSA key */
	if (docket_path_exists(path) || docket_path_exists(csr_path.ptr)) {
		error = docket_error_set(DOCKET_EEXISTS, "'%s' already exists; docket never overwrites a key",
		                         docket_path_exists(path) ? path : csr_path.ptr);
		goto cleanup;
	}
	key.spec = (char *)path;
	if ((key.pkey = new_pkey(rsa)) == NULL) {
		error = docket_error_ssl(DOCKET_ERROR, "cannot generate a key");
		goto cleanup;
	}
	if ((error = encrypt_key(&pem, &pem_len, key.pkey, passphrase)) < 0 ||
	    (error = docket_key_csr(&csr, &key, subject_cn, email)) < 0)
		goto cleanup;
	if ((error = docket_file_create_new(path, pem, pem_len, 0600)) < 0)
		goto cleanup;
	key_written = 1;
	if ((error = docket_file_create_new(csr_path.ptr, csr, strlen(csr), 0644)) < 0)
		goto cleanup;
	key_written = 0;
cleanup:
	if (key_written)
		unlink(path);
	EVP_PKEY_free(key.pkey);
	free(pem);
	free(csr);
	docket_buf_free(&csr_path);
	return error;
}

int docket_key_write_new(const char *path, EVP_PKEY *pkey, const char *passphrase)
{
	char *pem = NULL;
	size_t len = 0;
	int error;

	if ((error = check_passphrase(passphrase)) < 0)
		return error;
	if ((error = encrypt_key(&pem, &len, pkey, passphrase)) == 0)
		error = docket_file_create_new(path, pem, len, 0600);
	free(pem);
	return error;
}

EVP_PKEY *docket_key_new_pkey(int rsa)
{
	return new_pkey(rsa);
}

/* --- loading ------------------------------------------------------------------------------- */

typedef struct {
	const char *passphrase;
	int asked;
} pass_state;

/* Hand OpenSSL the passphrase; never let it prompt on a terminal. OpenSSL wipes BUF. */
static int pass_cb(char *buf, int size, int rwflag, void *u)
{
	pass_state *st = u;
	size_t n;

	st->asked = 1;
	if (!st->passphrase || size <= 0)
		return -1;
	n = strlen(st->passphrase);
	if (n >= (size_t)size)
		return -1;
	memcpy(buf, st->passphrase, n);
	return (int)n;
}

int docket_key_read_pem(EVP_PKEY **out, const char *path, const char *passphrase)
{
	char *text = NULL;
	size_t len = 0;
	BIO *bio = NULL;
	pass_state st = { passphrase, 0 };
	int error, encrypted;

	*out = NULL;
	if ((error = docket_file_read(&text, &len, path, MAX_KEY_FILE)) < 0) {
		if (error == DOCKET_EINVALID)
			docket_error_set(DOCKET_EINVALID, "'%s' is too large to be a key", path);
		goto cleanup;
	}
	encrypted = strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") != NULL ||
	            strstr(text, "Proc-Type: 4,ENCRYPTED") != NULL;
	if ((bio = BIO_new_mem_buf(text, (int)len)) == NULL) {
		error = docket_error_ssl(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	ERR_clear_error();
	*out = PEM_read_bio_PrivateKey(bio, NULL, pass_cb, &st);
	if (!*out) {
		if (encrypted && !passphrase)
			error = docket_error_set(DOCKET_EDENIED, "key '%s' is encrypted: a passphrase is needed", path);
		else if (encrypted)
			error = docket_error_set(DOCKET_EDENIED, "cannot decrypt key '%s': wrong passphrase", path);
		else
			error = docket_error_ssl(DOCKET_EINVALID, "'%s' holds no PEM private key", path);
		ERR_clear_error();
		goto cleanup;
	}
	error = 0;
cleanup:
	BIO_free(bio);
	if (text) {
		/* an unencrypted key file holds the private key itself */
		OPENSSL_cleanse(text, len);
		free(text);
	}
	return error;
}

/* Decode %XX escapes (RFC 3986) of S[0..n) into a malloc'd string. */
static char *pct_decode(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	size_t i;

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n && isxdigit((unsigned char)s[i + 1]) &&
		    isxdigit((unsigned char)s[i + 2])) {
			char hex[3] = { s[i + 1], s[i + 2], '\0' };
			*o++ = (char)strtoul(hex, NULL, 16);
			i += 2;
		} else {
			*o++ = s[i];
		}
	}
	*o = '\0';
	return out;
}

/*
 * Split "pkcs11:PATH?QUERY": *uri gets "pkcs11:PATH" for the engine, *module the decoded
 * module-path query attribute (or NULL). Other query attributes (pin-value, pin-source) are
 * dropped: the PIN comes only from the caller.
 */
static int split_pkcs11_uri(char **uri, char **module, const char *spec)
{
	const char *q = strchr(spec, '?'), *p;

	*uri = *module = NULL;
	if ((*uri = docket_strndup(spec, q ? (size_t)(q - spec) : strlen(spec))) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	for (p = q ? q + 1 : NULL; p && *p;) {
		const char *amp = strchr(p, '&');
		size_t n = amp ? (size_t)(amp - p) : strlen(p);
		if (n > 12 && strncmp(p, "module-path=", 12) == 0) {
			free(*module);
			if ((*module = pct_decode(p + 12, n - 12)) == NULL)
				return docket_error_set(DOCKET_ERROR, "out of memory");
		}
		p = amp ? amp + 1 : NULL;
	}
	return 0;
}

static int ssl_errors_mention(const char *needle)
{
	unsigned long e;
	int found = 0;
	char buf[256];

	while ((e = ERR_get_error()) != 0) {
		ERR_error_string_n(e, buf, sizeof(buf));
		if (strstr(buf, needle))
			found = 1;
	}
	return found;
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
/* ENGINE is deprecated in OpenSSL 3.0 but it is the only working PKCS#11 path on Debian 12
 * (pkcs11-provider is in backports only and crashes on public-key export). */
static int load_pkcs11(docket_key *key, const char *spec, const char *pin)
{
	char *uri = NULL, *module = NULL;
	const char *env;
	ENGINE *e = NULL;
	int error, inited = 0;

	if ((error = split_pkcs11_uri(&uri, &module, spec)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (!module && (env = getenv("DOCKET_PKCS11_MODULE")) != NULL && *env &&
	    (module = docket_strdup(env)) == NULL) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	OPENSSL_init_crypto(OPENSSL_INIT_ENGINE_DYNAMIC, NULL);
	if ((e = ENGINE_by_id("pkcs11")) == NULL) {
		docket_error_ssl(DOCKET_ERROR,
			"cannot load the OpenSSL engine 'pkcs11' (install libengine-pkcs11-openssl)");
		goto cleanup;
	}
	if (module && !ENGINE_ctrl_cmd_string(e, "MODULE_PATH", module, 0)) {
		docket_error_ssl(DOCKET_ERROR, "cannot set the PKCS#11 module '%s'", module);
		goto cleanup;
	}
	if (!ENGINE_init(e)) {
		docket_error_ssl(DOCKET_ERROR, "cannot initialise the PKCS#11 engine%s%s",
		                 module ? " with module " : "", module ? module : "");
		goto cleanup;
	}
	inited = 1;
	if (pin && *pin && !ENGINE_ctrl_cmd_string(e, "PIN", pin, 0)) {
		docket_error_ssl(DOCKET_ERROR, "cannot pass the PIN to the PKCS#11 engine");
		goto cleanup;
	}
	ERR_clear_error();
	if ((key->pkey = ENGINE_load_private_key(e, uri, NULL, NULL)) == NULL) {
		if (ssl_errors_mention("PIN"))
			error = docket_error_set(DOCKET_EDENIED, "cannot log in to the token of '%s': wrong PIN", uri);
		else
			error = docket_error_set(DOCKET_ENOTFOUND, "no private key at '%s'%s", uri,
			                         pin && *pin ? "" : " (no PIN given)");
		goto cleanup;
	}
	key->engine = e;
	e = NULL;
	error = 0;
cleanup:
	if (e) {
		if (inited)
			ENGINE_finish(e);
		ENGINE_free(e);
	}
	free(uri);
	free(module);
	return error;
}
#pragma GCC diagnostic pop

int docket_key_load(docket_key **out, const char *spec, const char *passphrase)
{
	docket_key *key = NULL;
	int error;

	if (out)
		*out = NULL;
	if (!out || !spec || !*spec)
		return docket_error_set(DOCKET_EUSAGE, "loading a key needs a file or a PKCS#11 URI");
	if (passphrase && strlen(passphrase) > MAX_PASSPHRASE)
		return docket_error_set(DOCKET_EUSAGE, "the passphrase is longer than %d bytes", MAX_PASSPHRASE);
	if ((key = calloc(1, sizeof(*key))) == NULL || (key->spec = docket_strdup(spec)) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (strncmp(spec, "pkcs11:", 7) == 0)
		error = load_pkcs11(key, spec, passphrase);
	else
		error = docket_key_read_pem(&key->pkey, spec, passphrase);
	if (error < 0)
		goto cleanup;
	if ((error = docket_pubkey_acceptable(key->pkey, spec)) < 0)
		goto cleanup;
	*out = key;
	key = NULL;
cleanup:
	docket_key_free(key);
	return error;
}

/* --- ECDSA signature encodings ------------------------------------------------------------- */

int docket_ecdsa_der_to_raw(unsigned char **out, size_t *out_len, const unsigned char *der,
                            size_t der_len, size_t field_len)
{
	const unsigned char *p = der;
	ECDSA_SIG *sig = NULL;
	const BIGNUM *r, *s;
	unsigned char *raw = NULL;
	int error = DOCKET_ERROR;

	*out = NULL;
	*out_len = 0;
	if (der_len > LONG_MAX || (sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len)) == NULL) {
		docket_error_ssl(DOCKET_ERROR, "cannot decode an ECDSA signature");
		goto cleanup;
	}
	ECDSA_SIG_get0(sig, &r, &s);
	if ((raw = malloc(2 * field_len)) == NULL) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (BN_bn2binpad(r, raw, (int)field_len) < 0 || BN_bn2binpad(s, raw + field_len, (int)field_len) < 0) {
		docket_error_set(DOCKET_ERROR, "ECDSA signature value larger than the curve");
		goto cleanup;
	}
	*out = raw;
	*out_len = 2 * field_len;
	raw = NULL;
	error = 0;
cleanup:
	free(raw);
	ECDSA_SIG_free(sig);
	return error;
}

int docket_ecdsa_raw_to_der(unsigned char **out, size_t *out_len, const unsigned char *raw,
                            size_t raw_len)
{
	ECDSA_SIG *sig = NULL;
	BIGNUM *r = NULL, *s = NULL;
	unsigned char *der = NULL;
	int len, error = DOCKET_ERROR;

	*out = NULL;
	*out_len = 0;
	if (raw_len == 0 || raw_len % 2 || raw_len > 2 * 66)
		return docket_error_set(DOCKET_EINVALID, "ECDSA signature value of %zu bytes", raw_len);
	if ((sig = ECDSA_SIG_new()) == NULL ||
	    (r = BN_bin2bn(raw, (int)(raw_len / 2), NULL)) == NULL ||
	    (s = BN_bin2bn(raw + raw_len / 2, (int)(raw_len / 2), NULL)) == NULL ||
	    !ECDSA_SIG_set0(sig, r, s)) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode an ECDSA signature");
		goto cleanup;
	}
	r = s = NULL;  /* owned by sig now */
	if ((len = i2d_ECDSA_SIG(sig, &der)) <= 0) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode an ECDSA signature");
		goto cleanup;
	}
	if ((*out = malloc((size_t)len)) == NULL) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	memcpy(*out, der, (size_t)len);
	*out_len = (size_t)len;
	error = 0;
cleanup:
	OPENSSL_free(der);
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	return error;
}
