/* docket validate: XSD plus docket's rules, findings as FILE:LINE:COL: error: MESSAGE. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

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
	docket_free(buf);
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
		docket_free(buf);
		st->error = error;
		return 1;
	}
	docket_free(buf);
	return 0;
}

typedef struct {
	cli_list files;
	int all, json;
	const char *rev;
} validate_args;

static int run_validate(cli_ctx *ctx, void *args)
{
	validate_args *a = args;
	const char *const *pos = a->files.v, *rev = a->rev;
	int all = a->all, json = a->json, error = 0, code = EXIT_OK;
	docket_repo *repo = ctx->repo;
	docket_schema *schema = NULL;
	docket_findings *findings = NULL;
	size_t i, npos = a->files.n;

	if ((!all && npos == 0) || (rev && !all))
		return cli_usage_error(ctx, "give FILE or DOC arguments or --all (--rev needs --all)");
	if (docket_findings_new(&findings) < 0) {
		code = cli_fail_last(DOCKET_ERROR, NULL);
		goto cleanup;
	}
	/* outside a repository the built-in schemas check files; --all and -C need one */
	if (!repo && (all || ctx->dir)) {
		code = cli_fail(ctx->repo_error, "%s", ctx->repo_message ? ctx->repo_message : "no repository");
		goto cleanup;
	}
	error = repo ? docket_schema_load(&schema, repo, all ? rev : NULL) : docket_schema_builtin(&schema);
	if (error < 0) {
		code = cli_fail_last(error, "cannot load the schemas");
		goto cleanup;
	}
	for (i = 0; i < (size_t)npos; i++) {
		char *buf = NULL, *path = NULL;
		const char *name = pos[i];
		size_t len = 0;
		struct stat st;
		if (repo && stat(pos[i], &st) != 0 && errno == ENOENT) {
			/* not a file: a document of the repository, by id or path, at the tip */
			if ((error = docket_doc_find(&path, repo, pos[i], NULL)) < 0 ||
			    (error = docket_repo_read(&buf, &len, repo, NULL, path)) < 0) {
				code = cli_fail(error, "cannot validate '%s': no such file, and %s", pos[i],
				                docket_error_last());
				free(path);
				continue;
			}
			error = docket_validate_buffer(findings, schema, buf, len, path, repo, NULL);
			docket_free(buf);
			if (error < 0 && error != DOCKET_EINVALID)
				code = cli_fail_last(error, path);
			free(path);
			continue;
		}
		error = docket_doc_read_file(&buf, &len, name);
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
		docket_free(buf);
		if (error < 0 && error != DOCKET_EINVALID)
			code = cli_fail_last(error, pos[i]);
	}
	if (all) {
		all_state st = { repo, rev, schema, findings, 0, 0 };
		error = docket_repo_walk(repo, rev, "documents/", validate_one, &st);
		if (st.error || error < 0)
			code = cli_fail_last(st.error ? st.error : error, "cannot validate the repository");
		if ((error = docket_validate_numbers(findings, repo, rev)) < 0)
			code = cli_fail_last(error, "cannot check the numbers of the repository");
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
	return cli_finish(code);
}

static const cli_option validate_opts[] = {
	CLI_OPT_FLAG(validate_args, all, "all", 0,
	             "validate every document and workflow of the repository at the tip (or at\n"
	             "REV), read from the git object store: no work tree needed"),
	CLI_OPT_STRING(validate_args, rev, "rev", 0, "REV", "with --all: the revision to validate"),
	CLI_OPT_FLAG(validate_args, json, "json", 0,
	             "print the findings as a JSON array of {file, line, col, message}"),
	CLI_OPT_END
};

static const cli_positional validate_pos[] = {
	CLI_POS(validate_args, files, "FILE|DOC", CLI_POS_MANY), CLI_POS_END
};

const cli_command cli_cmd_validate = {
	"validate", run_validate, CMD_WANTS_REPO, "check documents against the schemas and rules",
	sizeof(validate_args), validate_opts, validate_pos,
	"Check documents against the XSD schemas and the rules XSD cannot express (percentage\n"
	"targets in 0..100, milestone years inside the plan period, unique ids, Decree 30 number\n"
	"and notation, recipients ending with 'Lưu: ...', references to documents in the\n"
	"repository, NFC text). Inside a repository the schemas pinned in .docket/schemas/ are\n"
	"used; outside one, the built-in schemas. A workflow definition (namespace\n"
	"urn:docket:workflow:1) is checked against workflow.xsd and for consistency: every state\n"
	"declared, one initial state, every state reachable, nothing leaving a final state.\n"
	"\n"
	"Each argument is a file on disk; inside a repository, an argument that is not a file\n"
	"names a document of the repository (its id, or its path in the repository), checked as\n"
	"committed at the tip.\n"
	"\n"
	"Each finding is printed as FILE:LINE:COL: error: MESSAGE.\n",
	"docket validate plan.xml\n"
	"docket validate kh-2021-354                    # a document of the repository, by id\n"
	"docket validate --all\n"
	"docket -C /srv/pgd.git validate --all --rev main~3 --json",
	"0 all valid; 1 any finding; 2 usage; 3 other errors (no such file or document,\n"
	"repository).", NULL
};
