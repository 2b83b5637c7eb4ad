/*
 * XML-DSig verification of a document against a fixed trust anchor (the CA of the signed
 * fixture tests/page/fixtures/kh-2021-354-issued.xml, the seed): references, C14N, the
 * certificate chain, the signature values.
 */
#include <stdlib.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	docket_sig_result *res = NULL;
	docket_doc *doc = NULL;
	size_t n = 0;

	fuzz_init();
	if (docket_doc_parse(&doc, (const char *)data, size, "fuzz.xml") == 0) {
		docket_xmldsig_verify(&res, &n, doc, DOCKET_FUZZ_CA);
		docket_sig_results_free(res, n);
	}
	docket_doc_free(doc);
	docket_error_clear();
	return 0;
}
