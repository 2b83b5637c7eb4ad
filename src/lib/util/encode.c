/*
 * encode: binary data as text - lowercase hex and base64 (RFC 4648) - for fingerprints,
 * digests and signature values.
 */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include "util_internal.h"

char *docket_hex(const unsigned char *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(len * 2 + 1);
	size_t i;

	if (!s)
		return NULL;
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[data[i] >> 4];
		s[2 * i + 1] = digits[data[i] & 15];
	}
	s[2 * len] = '\0';
	return s;
}

int docket_base64_encode(char **out, const unsigned char *data, size_t len)
{
	char *s;

	*out = NULL;
	if (len > INT_MAX / 2)
		return docket_error_set(DOCKET_EINVALID, "data too large to encode");
	if ((s = malloc(4 * ((len + 2) / 3) + 1)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	EVP_EncodeBlock((unsigned char *)s, data, (int)len);
	*out = s;
	return 0;
}

int docket_base64_decode(unsigned char **out, size_t *out_len, const char *text)
{
	char *clean = NULL;
	unsigned char *bin = NULL;
	size_t i, n = 0, pad = 0;
	int got, error = DOCKET_EINVALID;

	*out = NULL;
	*out_len = 0;
	if ((clean = malloc(strlen(text) + 1)) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; text[i]; i++) {
		char c = text[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
			continue;
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/' || c == '=')) {
			docket_error_set(DOCKET_EINVALID, "invalid base64 character '%c'", c);
			goto cleanup;
		}
		if (c != '=' && pad) {
			docket_error_set(DOCKET_EINVALID, "invalid base64: data after padding");
			goto cleanup;
		}
		if (c == '=')
			pad++;
		clean[n++] = c;
	}
	clean[n] = '\0';
	if (n % 4 != 0 || pad > 2 || n > INT_MAX) {
		docket_error_set(DOCKET_EINVALID, "invalid base64 length");
		goto cleanup;
	}
	if ((bin = malloc(n / 4 * 3 + 1)) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	got = n ? EVP_DecodeBlock(bin, (unsigned char *)clean, (int)n) : 0;
	if (got < 0 || (size_t)got < pad) {
		docket_error_set(DOCKET_EINVALID, "invalid base64");
		goto cleanup;
	}
	/* EVP_DecodeBlock counts the padding as zero bytes */
	*out_len = (size_t)got - pad;
	*out = bin;
	bin = NULL;
	error = 0;
cleanup:
	free(clean);
	free(bin);
	return error;
}
