/* Document loading and validation: the safe parser, the built-in schemas, the C rules. */
#include <stdlib.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static docket_schema *schema;
	docket_findings *findings = NULL;
	docket_doc *doc = NULL;

	fuzz_init();
	if (!schema && docket_schema_builtin(&schema) < 0)
		abort();
	if (docket_findings_new(&findings) < 0)
		return 0;
	if (docket_doc_parse(&doc, (const char *)data, size, "fuzz.xml") == 0)
		docket_validate(findings, schema, doc, NULL, NULL);
	else
		docket_validate_buffer(findings, schema, (const char *)data, size, "fuzz.xml", NULL, NULL);
	docket_doc_free(doc);
	docket_findings_free(findings);
	docket_error_clear();
	return 0;
}
