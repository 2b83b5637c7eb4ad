#ifndef DOCKET_SIGN_H
#define DOCKET_SIGN_H
/*
 * Signing: keys (files or PKCS#11 tokens), a small organisation CA, W3C XML-DSig signatures
 * with XAdES signed properties inside documents, and git's SSH signature format for commits.
 *
 * Nothing here is home-made crypto: the XML signatures are what xmlsec1 verifies
 * (`xmlsec1 --verify --trusted-pem ca.pem --enabled-key-data x509 --enabled-reference-uris
 * same-doc --id-attr:Id urn:docket:document:1:content FILE`), the commit signatures are what
 * `git verify-commit` verifies. Trust comes from the caller: every verification takes the
 * trust anchors (a PEM file of CA certificates) as an argument, never from the document.
 *
 * All functions set docket_error_last() on failure. Passphrases and PINs are borrowed: docket
 * copies them only into buffers it wipes with OPENSSL_cleanse; the caller wipes its own.
 */
#include <stddef.h>
#include <time.h>
#include "common.h"
#include "doc.h"

DOCKET_BEGIN_DECL

/* Namespaces and algorithm identifiers used in signatures. */
#define DOCKET_XADES_NS "http://uri.etsi.org/01903/v1.3.2#"

/* XAdES commitment types (ETSI TS 101 903, 7.2.6) and docket's own for a review. */
#define DOCKET_COMMITMENT_ORIGIN   "http://uri.etsi.org/01903/v1.2.2#ProofOfOrigin"
#define DOCKET_COMMITMENT_APPROVAL "http://uri.etsi.org/01903/v1.2.2#ProofOfApproval"
#define DOCKET_COMMITMENT_CREATION "http://uri.etsi.org/01903/v1.2.2#ProofOfCreation"
#define DOCKET_COMMITMENT_RECEIPT  "http://uri.etsi.org/01903/v1.2.2#ProofOfReceipt"
#define DOCKET_COMMITMENT_REVIEW   "urn:docket:commitment:1:review"

/* The offset written in SigningTime: Vietnam's time zone. */
#define DOCKET_SIGNING_UTC_OFFSET_MINUTES (7 * 60)

/* ------------------------------------------------------------------------------------------ */
/* Keys                                                                                        */
/* ------------------------------------------------------------------------------------------ */

/* A private key, from an encrypted PEM file or a PKCS#11 token. Opaque. */
typedef struct docket_key docket_key;

/*
 * Generate a key and write it to PATH as encrypted PKCS#8 PEM (PBES2, AES-256-CBC), created
 * with O_EXCL|O_NOFOLLOW and mode 0600 (through a temporary file linked into place, so no
 * half-written key is ever visible), plus a certificate signing request beside it at
 * PATH.csr (PEM, mode 0644, SHA-256, subject CN=SUBJECT_CN and emailAddress=EMAIL when
 * EMAIL is not NULL). ECDSA P-256, or RSA-3072 when RSA is non-zero.
 *
 * PASSPHRASE is required and must not be empty. Errors: DOCKET_EUSAGE (missing or empty
 * argument), DOCKET_EEXISTS (PATH or PATH.csr exists, symbolic links included: nothing is
 * overwritten), DOCKET_ERROR (I/O, OpenSSL). On failure nothing is left behind.
 */
DOCKET_EXTERN(int) docket_key_generate(const char *path, int rsa, const char *passphrase,
                                       const char *subject_cn, const char *email);

/*
 * Load a private key. SPEC is either
 *   - a path to a PEM private key (encrypted PKCS#8 as docket_key_generate writes, or an
 *     unencrypted one, in which case PASSPHRASE may be NULL), or
 *   - a PKCS#11 URI (RFC 7512) "pkcs11:token=T;object=O[;type=private][?module-path=LIB]",
 *     loaded through OpenSSL's ENGINE "pkcs11" (libengine-pkcs11-openssl) with PASSPHRASE
 *     as the PIN. The PKCS#11 module is module-path from the URI, else the environment
 *     variable DOCKET_PKCS11_MODULE, else the engine's default (p11-kit-proxy).
 * Only ECDSA (P-256, P-384) and RSA (2048 bits or more) keys are accepted.
 *
 * *out is freed with docket_key_free. Errors: DOCKET_EUSAGE (bad argument),
 * DOCKET_ENOTFOUND (no such file or token object), DOCKET_EDENIED (wrong passphrase or PIN,
 * or an encrypted key without a passphrase), DOCKET_EINVALID (not a key, an unsupported
 * algorithm), DOCKET_ERROR (engine missing, I/O, OpenSSL).
 */
DOCKET_EXTERN(int) docket_key_load(docket_key **out, const char *spec, const char *passphrase);

/* Free KEY (NULL allowed); releases the token session for PKCS#11 keys. */
DOCKET_EXTERN(void) docket_key_free(docket_key *key);

/* Whether KEY is an RSA key (else ECDSA). */
DOCKET_EXTERN(int) docket_key_is_rsa(const docket_key *key);

/*
 * KEY's public key in OpenSSH's one-line form, without comment or newline:
 * "ecdsa-sha2-nistp256 AAAA..." (always the uncompressed point, even when a token reports a
 * compressed one), "ecdsa-sha2-nistp384 ..." or "ssh-rsa AAAA...". Free *out with docket_free.
 * Errors: DOCKET_EINVALID (a curve SSH does not know), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_key_ssh_pubkey(char **out, docket_key *key);

/*
 * Read the first certificate of the PEM file PATH into *OUT: the certificate alone, re-encoded
 * as PEM (NUL-terminated; *OUT_LEN, may be NULL, its length); free it with docket_free.
 * Errors: DOCKET_EINVALID (no PEM certificate), DOCKET_ERROR (cannot open, out of memory).
 */
DOCKET_EXTERN(int) docket_file_read_pem_cert(char **out, size_t *out_len, const char *path);

/*
 * The fingerprint that identifies KEY: lowercase hex SHA-256 (64 characters) of the DER
 * SubjectPublicKeyInfo of its public key, EC points taken uncompressed. Equal to
 * docket_cert_fingerprint of a certificate for this key. Free *out with docket_free.
 */
DOCKET_EXTERN(int) docket_key_fingerprint(char **out, docket_key *key);

/*
 * A certificate signing request for KEY (file or token), PEM, SHA-256, subject
 * CN=SUBJECT_CN (+ emailAddress=EMAIL when not NULL). *out is NUL-terminated; free it with docket_free.
 * Errors: DOCKET_EUSAGE, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_key_csr(char **out, docket_key *key, const char *subject_cn, const char *email);

/* ------------------------------------------------------------------------------------------ */
/* Certificates and the organisation CA                                                         */
/* ------------------------------------------------------------------------------------------ */

/*
 * The instant docket signs and issues at: $DOCKET_NOW when set (see docket_now), else
 * the system clock. DOCKET_EUSAGE when $DOCKET_NOW is malformed.
 */
DOCKET_EXTERN(int) docket_sign_now(time_t *out);

/*
 * Create a small CA in DIR (created with mode 0700 when absent): DIR/ca.key (ECDSA P-256,
 * encrypted PKCS#8 PEM, mode 0600, O_EXCL|O_NOFOLLOW) and DIR/ca.pem (self-signed, subject
 * CN=NAME, basicConstraints critical CA:TRUE, keyUsage critical keyCertSign+cRLSign, random
 * 128-bit serial, valid for 10 years from docket_sign_now() less one hour, so that a
 * signer's clock running a little behind does not make fresh certificates "not yet valid").
 * PASSPHRASE is required and non-empty. Errors: DOCKET_EUSAGE, DOCKET_EEXISTS (either file
 * exists), DOCKET_ERROR. On failure nothing is left behind except DIR itself.
 */
DOCKET_EXTERN(int) docket_ca_init(const char *dir, const char *name, const char *passphrase);

/* The same with an explicit validity window [NOT_BEFORE, NOT_AFTER] (e.g. for an existing history). */
DOCKET_EXTERN(int) docket_ca_init_validity(const char *dir, const char *name, const char *passphrase,
                                           time_t not_before, time_t not_after);

/*
 * Issue an end-entity certificate from the CA in CA_DIR for the CSR in CSR_PATH and write it
 * to OUT_CERT (PEM, mode 0644, never overwritten): subject copied from the CSR (its
 * self-signature checked), basicConstraints critical CA:FALSE, keyUsage critical
 * digitalSignature+nonRepudiation, subjectAltName email when the CSR names one, random
 * 128-bit serial, SHA-256, valid from docket_sign_now() less one hour (not before the CA)
 * for DAYS days (1 to 36500; not past the CA's own end).
 * Errors: DOCKET_EUSAGE (bad argument, validity outside the CA's), DOCKET_ENOTFOUND (a file
 * is missing), DOCKET_EDENIED (wrong CA passphrase), DOCKET_EINVALID (bad CSR, unsupported
 * key), DOCKET_EEXISTS, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_ca_issue(const char *ca_dir, const char *passphrase, const char *csr_path,
                                   const char *out_cert, int days);

/*
 * The same with an explicit validity window [NOT_BEFORE, NOT_AFTER], which must lie within
 * the CA certificate's own (DOCKET_EUSAGE otherwise).
 */
DOCKET_EXTERN(int) docket_ca_issue_validity(const char *ca_dir, const char *passphrase, const char *csr_path,
                                            const char *out_cert, time_t not_before, time_t not_after);

/* An X.509 certificate. Opaque. */
typedef struct docket_cert docket_cert;

/*
 * Read the first certificate of the PEM file PATH into *OUT; free it with docket_cert_free.
 * Errors: DOCKET_EUSAGE (NULL argument), DOCKET_ENOTFOUND (no such file), DOCKET_EINVALID
 * (no PEM certificate in it), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_load(docket_cert **out, const char *path);

/*
 * Read the first certificate of PEM (LEN bytes of PEM text, e.g. a person's certificate from
 * the configuration, docket_person.cert) into *OUT; free it with docket_cert_free.
 * Errors: DOCKET_EUSAGE, DOCKET_EINVALID (no PEM certificate), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_parse(docket_cert **out, const char *pem, size_t len);

/* Free CERT (NULL allowed). */
DOCKET_EXTERN(void) docket_cert_free(docket_cert *cert);

/*
 * CERT's subject commonName (UTF-8; "" when it has none) into *OUT; free it with docket_free.
 * Errors: DOCKET_EUSAGE, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_subject_cn(char **out, const docket_cert *cert);

/*
 * Like docket_key_fingerprint, for the public key in CERT; *OUT is freed with docket_free.
 * Errors: DOCKET_EUSAGE, DOCKET_EINVALID (unreadable public key), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_fingerprint(char **out, const docket_cert *cert);

/*
 * The "TYPE BASE64" line of docket_key_ssh_pubkey for the public key of CERT (for
 * allowed-signers files) into *OUT; free it with docket_free. Errors: DOCKET_EUSAGE,
 * DOCKET_EINVALID (a key SSH cannot name), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_ssh_pubkey(char **out, const docket_cert *cert);

/*
 * Check that CERT chains to a CA certificate in TRUST_PEM_FILE (one or more PEM
 * certificates: the anchors, possibly with intermediates) at time AT
 * (X509_V_FLAG_USE_CHECK_TIME), and that CERT may sign (keyUsage digitalSignature or
 * nonRepudiation, when present). Returns 0, or DOCKET_EVERIFY with a precise message:
 * "certificate expired on 2026-01-01T00:00:00Z, before 2026-02-01T...",
 * "certificate not yet valid ...", "certificate not issued by the trusted CA (issuer '...')",
 * "CA certificate expired ...", "certificate is not for signing (key usage)", ...
 * Errors: DOCKET_EUSAGE, DOCKET_ENOTFOUND / DOCKET_EINVALID (trust file), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_cert_verify_chain(const docket_cert *cert, const char *trust_pem_file, time_t at);

/* ------------------------------------------------------------------------------------------ */
/* XML-DSig signatures inside a document                                                       */
/* ------------------------------------------------------------------------------------------ */

/*
 * What a signature says about itself (its XAdES signed properties): the options of
 * docket_xmldsig_sign. All strings borrowed. Initialise with DOCKET_SIG_PROPS_INIT (or
 * docket_sig_props_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;    /* DOCKET_SIG_PROPS_VERSION */
	const char *role;        /* SignerRole/ClaimedRoles/ClaimedRole, e.g. "KT. TRƯỞNG PHÒNG — PHÓ TRƯỞNG PHÒNG"; NULL: none */
	const char *commitment;  /* CommitmentTypeId/Identifier URI (DOCKET_COMMITMENT_*); required */
	const char *transition;  /* docket's Transition, e.g. "approve"; NULL: none */
	time_t signing_time;     /* SigningTime, written in +07:00; 0: docket_sign_now() */
	int covers_header;       /* non-zero: reference the whole header (number and date at issue); else
	                          * the signed properties carry the digest of the header without its
	                          * number and date (HeaderDigest), which only the issue sets */
	int bind_step;           /* non-zero: bind the signature to the document's last workflow step,
	                          * which must take TRANSITION: its sequence number (Step) and the
	                          * digest of every step up to it (StepsDigest) */
} docket_sig_props;

#define DOCKET_SIG_PROPS_VERSION 1
#define DOCKET_SIG_PROPS_INIT { DOCKET_INIT_VERSION(DOCKET_SIG_PROPS_VERSION) }

/*
 * Initialise PROPS as DOCKET_SIG_PROPS_INIT does, for VERSION (DOCKET_SIG_PROPS_VERSION).
 * Errors: DOCKET_EUSAGE (PROPS NULL, a version this library does not know).
 */
DOCKET_EXTERN(int) docket_sig_props_init(docket_sig_props *props, unsigned int version);

/*
 * Sign DOC (a docket document: root {urn:docket:document:1}document with an id and a single
 * content child with an Id) with KEY and its certificate CERT (borrowed; must hold KEY's
 * public key, else DOCKET_EINVALID). Appends <ds:Signature Id="sig-N"> (N: the first number
 * whose sig-N and sig-N-props Ids are unused) to the document's signatures element, which is
 * created after workflow (else after content) when absent. SignedInfo: exclusive C14N,
 * ecdsa-sha256 (raw r||s) or rsa-sha256; references "#<content Id>" (exclusive C14N
 * transform), "#header" when PROPS->covers_header (the header element gets Id="header"), and
 * "#sig-N-props" (xades:SignedProperties: SigningTime, SigningCertificateV2, SignerRole,
 * CommitmentTypeIndication with docket's Transition and DocumentId as its qualifier, and
 * HeaderDigest unless the header is referenced, Step and StepsDigest with PROPS->bind_step).
 * KeyInfo holds CERT. CERT's validity is not checked here: check it with
 * docket_cert_verify_chain first.
 *
 * On success *out_id (may be NULL) receives the signature's Id (free it with docket_free). On failure DOC is
 * left as it was. Errors: DOCKET_EUSAGE, DOCKET_EINVALID (not a signable document, key and
 * certificate do not match, duplicate Ids), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_xmldsig_sign(char **out_id, docket_doc *doc, docket_key *key, const docket_cert *cert,
                                       const docket_sig_props *props);

typedef enum {
	DOCKET_SIG_OK = 0,
	DOCKET_SIG_FAILED = 1
} docket_sig_status;

/* The verdict on one ds:Signature. Every pointer is owned by the result array. */
typedef struct {
	char *id;                /* the Signature's Id ("" when it has none) */
	docket_sig_status status;
	char *reason;            /* why it failed, plain English; NULL when ok */
	char *signer;            /* subject CN of the signing certificate; NULL when unknown */
	docket_cert *cert;       /* the signing certificate; NULL when absent or unreadable */
	time_t signing_time;     /* 0 when unknown */
	char *signing_time_text; /* as written, e.g. "2021-05-11T09:30:00+07:00" */
	char *role;              /* ClaimedRole */
	char *commitment;        /* CommitmentTypeId Identifier */
	char *transition;        /* docket Transition */
	char *document_id;       /* docket DocumentId */
	int covers_header;       /* the signature also covers the header */
	int step;                /* the workflow step it is bound to (1 = the first); 0 when unbound */
	int legacy;              /* made before step binding: neither Step nor HeaderDigest (still verified) */
	int misplaced;           /* failed because its step binding does not match where it sits */
} docket_sig_result;

/*
 * Verify every ds:Signature child of DOC's signatures element against the CA certificates
 * in TRUST_PEM_FILE. For each: the references are exactly "#<content Id>", its own
 * "#<Id>-props" SignedProperties and optionally "#header"; each resolves to exactly one
 * element (duplicate Ids refused), the content reference to the root's single content
 * element and the header reference to the root's single header element (so signature
 * wrapping is refused); only same-document "#id" URIs, exclusive C14N and SHA-256; the key
 * comes only from the X509Certificate in KeyInfo (never KeyValue), which must match the signed
 * SigningCertificateV2 and chain to the trust anchor at the signed SigningTime; the signed
 * DocumentId must equal the root's id; then the digests and the signature value; a signed
 * HeaderDigest must match the header without number and date; a signed Step N must name a
 * step of the document taking the signed Transition, and StepsDigest the steps 1..N as they
 * are (else it failed with misplaced set: a signature moved to where it does not belong).
 *
 * *out receives an array of *n results in document order (free with docket_sig_results_free),
 * also when some failed. Returns 0 when every signature holds (also when there are none),
 * DOCKET_EVERIFY when at least one failed (the last-error message names the first), or
 * DOCKET_EUSAGE / DOCKET_ENOTFOUND / DOCKET_EINVALID / DOCKET_ERROR for a problem that
 * prevented verification (then *out is NULL and *n 0).
 */
DOCKET_EXTERN(int) docket_xmldsig_verify(docket_sig_result **out, size_t *n, docket_doc *doc,
                                         const char *trust_pem_file);

/* Free the N results of RESULTS (NULL allowed), their strings and certificates included. */
DOCKET_EXTERN(void) docket_sig_results_free(docket_sig_result *results, size_t n);

/* ------------------------------------------------------------------------------------------ */
/* SSH signatures for git commits                                                              */
/* ------------------------------------------------------------------------------------------ */

/*
 * Sign BUF (a commit as git_commit_create_buffer makes it) in git's SSH signature format
 * (OpenSSH PROTOCOL.sshsig, namespace "git", hash sha512; ECDSA with SHA-256 as SSH
 * specifies for nistp256, rsa-sha2-512 for RSA). *armored (free it with docket_free) is "-----BEGIN SSH
 * SIGNATURE-----" ... "-----END SSH SIGNATURE-----" without a trailing newline, ready for
 * git_commit_create_with_signature(..., "gpgsig").
 */
DOCKET_EXTERN(int) docket_sshsig_sign(char **armored, docket_key *key, const char *buf, size_t len);

/*
 * docket_sshsig_sign in the shape of repo.h's docket_commit_signer, with the docket_key as
 * payload: docket_repo_set_commit_signer(repo, docket_sshsig_commit_signer, key).
 */
DOCKET_EXTERN(int) docket_sshsig_commit_signer(char **armored, const char *buf, size_t len, void *key);

/*
 * Verify ARMORED (an SSH signature as above) over BUF: namespace must be "git", hash sha256
 * or sha512, the signature must be valid for the public key it names. On success
 * *out_pubkey (may be NULL) receives that key in OpenSSH form ("ecdsa-sha2-nistp256
 * AAAA..."), freed with docket_free: the caller must check it is an allowed signer. Errors:
 * DOCKET_EVERIFY (bad signature, wrong namespace), DOCKET_EINVALID (malformed),
 * DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_sshsig_verify(char **out_pubkey, const char *armored, const char *buf, size_t len);

DOCKET_END_DECL

#endif
