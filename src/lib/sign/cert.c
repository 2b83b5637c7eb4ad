/*
 * cert: the public certificate handle. docket_cert wraps an OpenSSL X509 so that callers of
 * the library never see OpenSSL's types; the work is done by the X509 functions of ca.c and
 * sshsig.c, which the layers above call directly.
 */
#include <stdlib.h>
#include <string.h>
#include <openssl/err.h>
#include "sign_internal.h"

docket_cert *docket_cert_wrap(X509 *x)
{
	docket_cert *cert;

	if (!x)
		return NULL;
	if ((cert = calloc(1, sizeof(*cert))) == NULL) {
		X509_free(x);
		return NULL;
	}
	cert->x509 = x;
	return cert;
}

X509 *docket_cert_x509(const docket_cert *cert)
{
	return cert ? cert->x509 : NULL;
}

int docket_cert_load(docket_cert **out, const char *path)
{
	X509 *x = NULL;
	int error;

	if (out)
		*out = NULL;
	if (!out || !path)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_load: OUT and PATH are required");
	if ((error = docket_x509_load(&x, path)) < 0)
		return error;
	if ((*out = docket_cert_wrap(x)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

int docket_cert_parse(docket_cert **out, const char *pem, size_t len)
{
	X509 *x;

	if (out)
		*out = NULL;
	if (!out || !pem)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_parse: OUT and PEM are required");
	if (len > (size_t)(1024 * 1024))
		return docket_error_set(DOCKET_EINVALID, "the PEM text is too large for a certificate");
	if ((x = docket_cert_from_pem(pem, (int)len)) == NULL)
		return docket_error_ssl(DOCKET_EINVALID, "the text holds no PEM certificate");
	if ((*out = docket_cert_wrap(x)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

void docket_cert_free(docket_cert *cert)
{
	if (!cert)
		return;
	X509_free(cert->x509);
	free(cert);
}

int docket_cert_subject_cn(char **out, const docket_cert *cert)
{
	if (out)
		*out = NULL;
	if (!out || !cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_subject_cn: OUT and CERT are required");
	return docket_x509_subject_cn(out, cert->x509);
}

int docket_cert_fingerprint(char **out, const docket_cert *cert)
{
	if (out)
		*out = NULL;
	if (!out || !cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_fingerprint: OUT and CERT are required");
	return docket_x509_fingerprint(out, cert->x509);
}

int docket_cert_ssh_pubkey(char **out, const docket_cert *cert)
{
	if (out)
		*out = NULL;
	if (!out || !cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_ssh_pubkey: OUT and CERT are required");
	return docket_x509_ssh_pubkey(out, cert->x509);
}

int docket_cert_verify_chain(const docket_cert *cert, const char *trust_pem_file, time_t at)
{
	if (!cert)
		return docket_error_set(DOCKET_EUSAGE, "docket_cert_verify_chain: no certificate");
	return docket_x509_verify_chain(cert->x509, trust_pem_file, at);
}
