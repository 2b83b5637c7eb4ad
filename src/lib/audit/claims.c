/*
 * claims: what a commit or a signature says of itself, read without verifying it - commit
 * trailers, the words a reader uses for a commitment type, a signature's claimed signer,
 * role and time. Shared by the log, the diff and the verification, so that neither calls
 * the other.
 */
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"

char *docket_trailer(const char *message, const char *key)
{
	git_message_trailer_array arr;
	char *v = NULL;
	size_t i;

	memset(&arr, 0, sizeof(arr));
	if (git_message_trailers(&arr, message) < 0)
		return NULL;
	for (i = 0; i < arr.count; i++)
		if (strcmp(arr.trailers[i].key, key) == 0) {
			free(v);
			v = docket_strdup(arr.trailers[i].value);
		}
	git_message_trailer_array_free(&arr);
	return v;
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
