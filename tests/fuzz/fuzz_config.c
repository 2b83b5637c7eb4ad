/*
 * Workflow definitions and the organisation's configuration: the first byte chooses which
 * (even: a workflow, checked against workflow.xsd; odd: .docket/config.xml), the rest is
 * the file.
 */
#include <stdlib.h>
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static docket_schema *wf_schema;
	docket_findings *findings = NULL;
	docket_workflow *wf = NULL;
	docket_config *cfg = NULL;

	fuzz_init();
	if (!wf_schema && docket_schema_builtin_entry(&wf_schema, "workflow.xsd") < 0)
		abort();
	if (size < 1)
		return 0;
	if (data[0] % 2 == 0) {
		if (docket_findings_new(&findings) < 0)
			return 0;
		docket_workflow_parse(&wf, findings, wf_schema, (const char *)data + 1, size - 1, "fuzz.xml");
		docket_workflow_free(wf);
		docket_findings_free(findings);
	} else {
		docket_config_parse(&cfg, (const char *)data + 1, size - 1, "config.xml");
		docket_config_free(cfg);
	}
	docket_error_clear();
	return 0;
}
