/*
 * claims: what a commit or a signature says of itself, read without verifying it - commit
 * trailers, the words a reader uses for a commitment type, a signature's claimed signer,
 * role and time. Shared by the log, the diff and the verification, so that neither calls
 * the other.
 */
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"

/*
 * The trailers docket wrote: the message's final paragraph, when every line of it is
 * "Docket-Key: value". Nothing else counts: git's own trailer parsing stops at a "---" line
 * and accepts other keys, so a message a person typed could end it early or add to it.
 * Sets *start and *end to the block within MESSAGE; 0 when there is no such block.
 */
static int final_block(const char *message, const char **start, const char **end)
{
	const char *e = message + strlen(message), *s, *line;

	while (e > message && (e[-1] == '\n' || e[-1] == ' ' || e[-1] == '\r'))
		e--;
	for (s = e; s > message && !(s[-1] == '\n' && s - 1 > message && s[-2] == '\n'); s--)
		;
	if (s == e)
		return 0;
	for (line = s; line < e;) {
		const char *nl = memchr(line, '\n', (size_t)(e - line)), *stop = nl ? nl : e, *colon;
		if (strncmp(line, "Docket-", 7) != 0 || !(colon = memchr(line, ':', (size_t)(stop - line))) ||
		    colon == line + 7 || colon + 1 >= stop || colon[1] != ' ')
			return 0;
		for (const char *k = line + 7; k < colon; k++)
			if (!((*k >= 'A' && *k <= 'Z') || (*k >= 'a' && *k <= 'z') || *k == '-'))
				return 0;
		line = nl ? nl + 1 : e;
	}
	*start = s;
	*end = e;
	return 1;
}

char *docket_trailer(const char *message, const char *key)
{
	const char *s, *e, *line;
	size_t klen = strlen(key);
	char *v = NULL;

	if (!message || !final_block(message, &s, &e))
		return NULL;
	for (line = s; line < e;) {
		const char *nl = memchr(line, '\n', (size_t)(e - line)), *stop = nl ? nl : e;
		if ((size_t)(stop - line) > klen + 1 && strncmp(line, key, klen) == 0 && line[klen] == ':') {
			free(v);
			v = docket_strndup(line + klen + 2, (size_t)(stop - line) - klen - 2);
		}
		line = nl ? nl + 1 : e;
	}
	return v;
}

/* Keys a commit writing several documents repeats, one line per document or template. */
static int repeatable(const char *key, size_t len)
{
	return (len == 15 && strncmp(key, "Docket-Document", 15) == 0) ||
	       (len == 15 && strncmp(key, "Docket-Template", 15) == 0);
}

int docket_trailers_ambiguous(const char *message, docket_buf *why)
{
	const char *s = NULL, *e = NULL, *line, *end;
	int has_block;

	if (!message)
		return 0;
	has_block = final_block(message, &s, &e);
	for (line = message; *line; line = *end ? end + 1 : end) {
		const char *p = line;
		size_t n;
		end = line + strcspn(line, "\n");
		if (has_block && line >= s && line < e)
			continue;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		n = (size_t)(end - p);
		if (n >= 7 && strncasecmp(p, "docket-", 7) == 0 && memchr(p, ':', n)) {
			docket_buf_printf(why, "the message has the line '%.*s' outside docket's trailers",
			                  (int)(n > 60 ? 60 : n), p);
			return 1;
		}
		if (has_block && n >= 3 && strncmp(p, "---", 3) == 0) {
			docket_buf_printf(why, "the message has a line starting with '---' before docket's trailers, "
			                  "where git stops reading trailers");
			return 1;
		}
	}
	for (line = s; has_block && line < e; line = end + 1) {
		const char *colon, *other, *oend;
		end = memchr(line, '\n', (size_t)(e - line));
		end = end ? end : e;
		colon = memchr(line, ':', (size_t)(end - line));
		if (repeatable(line, (size_t)(colon - line)))
			continue;
		for (other = end + 1; other < e; other = oend + 1) {
			oend = memchr(other, '\n', (size_t)(e - other));
			oend = oend ? oend : e;
			if ((size_t)(oend - other) > (size_t)(colon - line) &&
			    strncmp(other, line, (size_t)(colon - line + 1)) == 0) {
				docket_buf_printf(why, "the trailer '%.*s' is given twice", (int)(colon - line), line);
				return 1;
			}
		}
		if (end >= e)
			break;
	}
	return 0;
}

const char *docket_meaning_word(const char *commitment)
{
	if (!commitment)
		return "unknown";
	if (strstr(commitment, "ProofOfApproval"))
		return "approval";
	if (strstr(commitment, "ProofOfOrigin"))
		return "origin";
	if (strstr(commitment, "review"))
		return "review";
	if (strstr(commitment, "ProofOfReceipt"))
		return "receipt";
	if (strstr(commitment, "ProofOfCreation"))
		return "authorship";
	return commitment;
}

void docket_sig_claims(xmlNodePtr sig, char **signer, char **role, char **commitment, char **when)
{
	static const char *const props[] = { DOCKET_DSIG_NS, "Object", DOCKET_XADES_NS, "QualifyingProperties",
		DOCKET_XADES_NS, "SignedProperties", DOCKET_XADES_NS, "SignedSignatureProperties", NULL };
	static const char *const time_[] = { DOCKET_XADES_NS, "SigningTime", NULL };
	static const char *const role_[] = { DOCKET_XADES_NS, "SignerRole", DOCKET_XADES_NS, "ClaimedRoles",
		DOCKET_XADES_NS, "ClaimedRole", NULL };
	static const char *const commitment_[] = { DOCKET_DSIG_NS, "Object", DOCKET_XADES_NS, "QualifyingProperties",
		DOCKET_XADES_NS, "SignedProperties", DOCKET_XADES_NS, "SignedDataObjectProperties", DOCKET_XADES_NS,
		"CommitmentTypeIndication", DOCKET_XADES_NS, "CommitmentTypeId", DOCKET_XADES_NS, "Identifier", NULL };
	static const char *const cert_[] = { DOCKET_DSIG_NS, "KeyInfo", DOCKET_DSIG_NS, "X509Data", DOCKET_DSIG_NS,
		"X509Certificate", NULL };
	xmlNodePtr ssp = docket_xml_steps(sig, props), n;
	char *text;
	unsigned char *der = NULL;
	size_t derlen = 0;

	*signer = *role = *commitment = *when = NULL;
	if ((n = docket_xml_steps(ssp, time_)) != NULL)
		*when = docket_xml_text_trim(n);
	if ((n = docket_xml_steps(ssp, role_)) != NULL)
		*role = docket_xml_text_trim(n);
	if ((n = docket_xml_steps(sig, commitment_)) != NULL)
		*commitment = docket_xml_text_trim(n);
	if ((n = docket_xml_steps(sig, cert_)) != NULL && (text = docket_xml_text(n)) != NULL) {
		if (docket_base64_decode(&der, &derlen, text) == 0) {
			X509 *x = docket_cert_from_der(der, derlen);
			if (x)
				docket_x509_subject_cn(signer, x);
			X509_free(x);
		}
		free(text);
		free(der);
	}
	docket_error_clear();
}
