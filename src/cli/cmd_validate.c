/* docket validate: XSD plus docket's rules, findings as FILE:LINE:COL: error: MESSAGE. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char usage_validate[] =
	"usage: docket validate [FILE...] [--all] [--rev REV] [--json]\n"
	"\n"
	"Check documents against the XSD schemas and the rules XSD cannot express (percentage\n"
	"targets in 0..100, milestone years inside the plan period, unique ids, Decree 30 number\n"
	"and notation, recipients ending with 'Lưu: ...', references to documents in the\n"
	"repository, NFC text). Inside a repository the schemas pinned in .docket/schemas/ are\n"
	"used; outside one, the built-in schemas. A workflow definition (namespace\n"
	"urn:docket:workflow:1) is checked against workflow.xsd and for consistency: every state\n"
	"declared, one initial state, every state reachable, nothing leaving a final state.\n"
	"\n"
	"  --all      validate every document and workflow of the repository at the tip (or at\n"
	"             REV), read from the git object store: no work tree needed\n"
	"  --rev REV  with --all: the revision to validate\n"
	"  --json     print the findings as a JSON array of {file, line, col, message}\n"
	"\n"
	"Each finding is printed as FILE:LINE:COL: error: MESSAGE.\n"
	"Exit status: 0 all valid; 1 any finding; 2 usage; 3 other errors.\n";


/* A workflow definition is recognised by its namespace and checked as one. */
static int is_workflow(const char *buf)
{
	return strstr(buf, DOCKET_WORKFLOW_NS) != NULL && strstr(buf, "<workflow") != NULL &&
	       strstr(buf, DOCKET_NS) == NULL;
}

static int validate_workflow(docket_findings *findings, docket_repo *repo, const char *rev,
                             const char *buf, size_t len, const char *name)
{
	docket_schema *schema = NULL;
	docket_workflow *wf = NULL;
	int error;

	if (repo)
		error = docket_schema_load_entry(&schema, repo, rev, "workflow.xsd");
	else
		error = docket_schema_builtin_entry(&schema, "workflow.xsd");
	if (error < 0)
		return error;
	error = docket_workflow_parse(&wf, findings, schema, buf, len, name);
	docket_workflow_free(wf);
	docket_schema_free(schema);
	return error == DOCKET_EINVALID ? 0 : error;
}

typedef struct {
	docket_repo *repo;
	const char *rev;
	docket_schema *schema;
	docket_findings *findings;
	int error;
	size_t count;
} all_state;

static int validate_one(const char *path, void *payload)
{
	all_state *st = payload;
	char *buf = NULL;
	size_t len = 0;
	int error;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	st->count++;
	if ((error = docket_repo_read(&buf, &len, st->repo, st->rev, path)) < 0) {
		st->error = error;
		return 1;
	}
	error = docket_validate_buffer(st->findings, st->schema, buf, len, path, st->repo, st->rev);
	free(buf);
	if (error < 0 && error != DOCKET_EINVALID) {
		st->error = error;
		return 1;
	}
	return 0;
}

static int validate_workflow_file(const char *path, void *payload)
{
	all_state *st = payload;
	char *buf = NULL;
	size_t len = 0;
	int error;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	if ((error = docket_repo_read(&buf, &len, st->repo, st->rev, path)) < 0 ||
	    (error = validate_workflow(st->findings, st->repo, st->rev, buf, len, path)) < 0) {
		free(buf);
		st->error = error;
		return 1;
	}
	free(buf);
	return 0;
}

int cmd_validate(int argc, char **argv, cli_globals *g)
{
	const char **pos = NULL, *rev = NULL;
	int all = 0, json = 0, npos = 0, r, error = 0, code = EXIT_OK;
	const cli_opt opts[] = {
		{ "all", 0, 0, NULL, &all }, { "rev", 0, 1, &rev, NULL }, { "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};
	docket_repo *repo = NULL;
	docket_schema *schema = NULL;
	docket_findings *findings = NULL;
	size_t i;

	if (!(pos = calloc((size_t)argc, sizeof(*pos))))
		return cli_fail(DOCKET_ERROR, "out of memory");
	if ((r = cli_parse(argc, argv, opts, pos, argc, &npos, cli_find_command("validate"))) >= 0) {
		free(pos);
		return r;
	}
	if ((!all && npos == 0) || (rev && !all)) {
		fprintf(stderr, "docket validate: give FILE arguments or --all (--rev needs --all)\n");
		cli_usage(stderr, cli_find_command("validate"));
		free(pos);
		return EXIT_USAGE;
	}
	if (docket_findings_new(&findings) < 0) {
		code = cli_fail_last(DOCKET_ERROR, NULL);
		goto cleanup;
	}
	error = docket_repo_open(&repo, g->dir);
	if (error < 0 && (all || g->dir)) {
		code = cli_fail_last(error, NULL);
		goto cleanup;
	}
	error = repo ? docket_schema_load(&schema, repo, all ? rev : NULL) : docket_schema_builtin(&schema);
	if (error < 0) {
		code = cli_fail_last(error, "cannot load the schemas");
		goto cleanup;
	}
	for (i = 0; i < (size_t)npos; i++) {
		char *buf = NULL;
		size_t len = 0;
		error = docket_doc_read_file(&buf, &len, pos[i]);
		if (error == DOCKET_EINVALID) {
			docket_findings_add(findings, pos[i], 1, 1, "%s", docket_error_last());
			continue;
		} else if (error < 0) {
			code = cli_fail_last(error, NULL);
			continue;
		}
		if (is_workflow(buf))
			error = validate_workflow(findings, repo, NULL, buf, len, pos[i]);
		else
			error = docket_validate_buffer(findings, schema, buf, len, pos[i], repo, NULL);
		free(buf);
		if (error < 0 && error != DOCKET_EINVALID)
			code = cli_fail_last(error, pos[i]);
	}
	if (all) {
		all_state st = { repo, rev, schema, findings, 0, 0 };
		error = docket_repo_walk(repo, rev, "documents/", validate_one, &st);
		if (st.error || error < 0)
			code = cli_fail_last(st.error ? st.error : error, "cannot validate the repository");
		st.error = 0;
		error = docket_repo_walk(repo, rev, ".docket/workflows/", validate_workflow_file, &st);
		if (st.error || error < 0)
			code = cli_fail_last(st.error ? st.error : error, "cannot validate the workflows");
	}
	if (json) {
		fputs("[", stdout);
		for (i = 0; i < docket_findings_count(findings); i++) {
			const docket_finding *f = docket_findings_get(findings, i);
			fputs(i ? ",\n {\"file\": " : "{\"file\": ", stdout);
			cli_json_str(f->file);
			printf(", \"line\": %d, \"col\": %d, \"message\": ", f->line, f->col);
			cli_json_str(f->message);
			fputs("}", stdout);
		}
		fputs("]\n", stdout);
	} else {
		for (i = 0; i < docket_findings_count(findings); i++) {
			const docket_finding *f = docket_findings_get(findings, i);
			printf("%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
		}
	}
	if (code == EXIT_OK && docket_findings_count(findings))
		code = EXIT_CHECK;
cleanup:
	docket_findings_free(findings);
	docket_schema_free(schema);
	docket_repo_free(repo);
	free(pos);
	return cli_finish(code);
}
