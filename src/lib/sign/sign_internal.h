#ifndef DOCKET_SIGN_INTERNAL_H
#define DOCKET_SIGN_INTERNAL_H
/* The sign layer: keys, certificates, XML-DSig/XAdES, SSH signatures. Shared by key.c,
 * ca.c, xmldsig.c, sshsig.c and the layers above; not part of the public API. Signing times
 * come from the caller (or util/time.c), never from a layer above. */
#include <stddef.h>
#include <time.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "xml_internal.h"
#include "docket/sign.h"

/* A certificate (the public docket_cert): an X509 the handle owns. */
struct docket_cert {
	X509 *x509;
};
/* A handle owning X (on failure X is freed and NULL returned). */
docket_cert *docket_cert_wrap(X509 *x);
/* CERT's X509 (borrowed). */
X509 *docket_cert_x509(const docket_cert *cert);

/* What the public docket_cert_* functions do, on an X509. */
int docket_x509_load(X509 **out, const char *path);
int docket_x509_subject_cn(char **out, X509 *cert);
int docket_x509_fingerprint(char **out, X509 *cert);
int docket_x509_ssh_pubkey(char **out, X509 *cert);
int docket_x509_verify_chain(X509 *cert, const char *trust_pem_file, time_t at);

/*
 * What the public docket_xmldsig_sign / docket_xmldsig_verify do, on a libxml2 tree (for the
 * layers above, which hold the tree, and for the unit tests).
 */
int docket_xmldsig_sign_xml(char **out_id, xmlDocPtr doc, docket_key *key, X509 *cert,
                            const docket_sig_props *props);
int docket_xmldsig_verify_xml(docket_sig_result **out, size_t *n, xmlDocPtr doc,
                              const char *trust_pem_file);
/*
 * The same, leaving out the signatures of DOC in SKIP (NSKIP nodes, children of its
 * signatures element): they are neither verified nor reported, and DOC is not changed, so
 * other threads may read it meanwhile (the audit skips signatures it verified before).
 */
int docket_xmldsig_verify_xml_skip(docket_sig_result **out, size_t *n, xmlDocPtr doc,
                                   const char *trust_pem_file, xmlNodePtr const *skip, size_t nskip);

/* Set the last error to CODE with the message and OpenSSL's error queue appended (and cleared). */
int docket_error_ssl(int code, const char *fmt, ...) DOCKET_PRINTF(2, 3);

/*
 * What a memory BIO holds, copied into *OUT (NUL-terminated; docket_free) with its length in
 * *OUT_LEN (may be NULL). DOCKET_ERROR when out of memory.
 */
struct bio_st;
int docket_bio_take(char **out, size_t *out_len, struct bio_st *bio);

/* KEY's EVP_PKEY (borrowed; for token keys the private half stays on the token). */
EVP_PKEY *docket_key_pkey(docket_key *key);

/*
 * Sign DATA with KEY and digest MD (EVP_DigestSign). For EC keys *out is the DER
 * ECDSA-Sig-Value, for RSA a PKCS#1 v1.5 signature. malloc'd.
 */
int docket_key_sign(unsigned char **out, size_t *out_len, docket_key *key, const EVP_MD *md,
                    const unsigned char *data, size_t len);

/* A public-only copy of PKEY with EC points uncompressed (*out: EVP_PKEY_free). */
int docket_pubkey_canonical(EVP_PKEY **out, EVP_PKEY *pkey);

/* Lowercase hex SHA-256 of the canonical SubjectPublicKeyInfo of PKEY, malloc'd. */
int docket_pubkey_fingerprint(char **out, EVP_PKEY *pkey);

/* Whether docket accepts PKEY: EC P-256 / P-384, or RSA of 2048 bits or more. */
int docket_pubkey_acceptable(EVP_PKEY *pkey, const char *what);

/* ECDSA-Sig-Value DER <-> raw r||s (each FIELD_LEN bytes, left-padded). *out malloc'd. */
int docket_ecdsa_der_to_raw(unsigned char **out, size_t *out_len, const unsigned char *der,
                            size_t der_len, size_t field_len);
int docket_ecdsa_raw_to_der(unsigned char **out, size_t *out_len, const unsigned char *raw,
                            size_t raw_len);

/* A fresh private key: EC P-256, or RSA-3072 when RSA. NULL on failure (OpenSSL queue set). */
EVP_PKEY *docket_key_new_pkey(int rsa);

/* Write PKEY as encrypted PKCS#8 PEM to PATH (0600, never overwriting; DOCKET_EEXISTS). */
int docket_key_write_new(const char *path, EVP_PKEY *pkey, const char *passphrase);

/*
 * Read the PEM private key in PATH, decrypting with PASSPHRASE (may be NULL for an
 * unencrypted key). DOCKET_ENOTFOUND, DOCKET_EDENIED (wrong or missing passphrase),
 * DOCKET_EINVALID (no key in the file).
 */
int docket_key_read_pem(EVP_PKEY **out, const char *path, const char *passphrase);

/* The OpenSSH public key blob of PKEY (any form; made canonical) into OUT. */
int docket_ssh_pubkey_blob(docket_buf *out, EVP_PKEY *pkey);

/*
 * The chain check behind docket_x509_verify_chain, for a trust store already loaded.
 * AT_SIGNING words the messages for a signature's signing time ("certificate expired at
 * signing time: ..."). Returns 0 or DOCKET_EVERIFY (message set).
 */
int docket_cert_check(X509 *cert, STACK_OF(X509) *untrusted, X509_STORE *store, time_t at,
                      int at_signing);

/* Load every certificate of TRUST_PEM_FILE into a new store. */
int docket_trust_store_load(X509_STORE **out, const char *trust_pem_file);

/* The first PEM certificate in PEM (LEN bytes, or -1: NUL-terminated), or NULL (OpenSSL's
 * queue says why). The one reader of certificates kept as PEM (configuration, files). */
X509 *docket_cert_from_pem(const char *pem, int len);
/* The certificate DER (LEN bytes, exactly one certificate), or NULL. */
X509 *docket_cert_from_der(const unsigned char *der, size_t len);

#endif
