/* docket add: put a validated XML document into the repository as one commit. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *file, *id;
	int draft;
} add_args;

static int run_add(cli_ctx *ctx, void *args)
{
	add_args *a = args;
	docket_add_options ao = DOCKET_ADD_OPTIONS_INIT;
	docket_add_result res;
	int error, code;

	memset(&res, 0, sizeof(res));
	ao.id = a->id;
	ao.draft = a->draft;
	ao.actor = ctx->actor;
	error = docket_add_file(&res, ctx->repo, a->file, &ao);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings)) {
		cli_print_findings(res.findings);
		code = cli_fail(error, "cannot add '%s': it is not valid", a->file);
	} else if (error < 0) {
		code = cli_fail(error, "cannot add '%s': %s", a->file, docket_error_last());
	} else {
		printf("%s\n", res.id);
		code = EXIT_OK;
	}
	docket_add_result_free(&res);
	return cli_finish(code);
}

static const cli_option add_opts[] = {
	CLI_OPT_STRING(add_args, id, "id", 0, "ID", "use ID as the document id instead of the file's own"),
	CLI_OPT_FLAG(add_args, draft, "draft", 0,
	             "add it as a fresh draft: drop its number and notation, workflow steps and\n"
	             "signatures (to walk an issued example such as the seed plan again)"),
	CLI_OPT_END
};

static const cli_positional add_pos[] = { CLI_POS(add_args, file, "FILE", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_add = {
	"add", run_add, CMD_NEEDS_REPO | CMD_SIGNS, "add an XML document to the repository", sizeof(add_args),
	add_opts, add_pos,
	"Validate FILE against the repository's pinned schemas and rules, then commit it at\n"
	"documents/<kind>/<year>/<unit>/<id>.xml as one commit (built without the index, so it\n"
	"works in bare repositories too). Prints the document id alone on stdout.\n"
	"\n"
	"A document without workflow metadata starts in its workflow's initial state. A document\n"
	"that names no drafting unit is filed under the unit of the acting person. A document of\n"
	"a kind docket numbers (a plan) that carries a number was issued: it is refused; record\n"
	"it with 'docket import', or add it with --draft to issue it here again.\n",
	"docket --as hoa add --draft ../examples/354-KH-PGDDT.xml\n"
	"docket add plan.xml --id kh-2021-400",
	"0 added; 1 invalid document, a numbered plan, or the id exists already; 2 usage; 3 other\n"
	"errors.", NULL
};
