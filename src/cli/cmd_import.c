/* docket import: record a document issued outside docket as issued, with its own number. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *file, *id, *message;
} import_args;

static int run_import(cli_ctx *ctx, void *args)
{
	import_args *a = args;
	docket_import_options io = DOCKET_IMPORT_OPTIONS_INIT;
	docket_action_result res;
	int error, code;

	io.actor = ctx->actor;
	io.message = a->message;
	io.id = a->id;
	io.key = ctx->key;
	error = docket_import_file(&res, ctx->repo, a->file, &io);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings)) {
		cli_print_findings(res.findings);
		code = cli_fail(error, "cannot import '%s': it is not valid", a->file);
	} else if (error < 0) {
		code = cli_fail_last(error, NULL);
	} else {
		printf("%s\n", res.id);
		code = EXIT_OK;
	}
	docket_action_result_free(&res);
	return cli_finish(code);
}

static const cli_option import_opts[] = {
	CLI_OPT_STRING(import_args, message, "message", 'm', "PROVENANCE",
	               "where the document comes from (\"paper archive, file 2021/KH\"), kept in its\n"
	               "workflow step and the commit message"),
	CLI_OPT_STRING(import_args, id, "id", 0, "ID", "use ID as the document id instead of the file's own"),
	CLI_OPT_END
};

static const cli_positional import_pos[] = { CLI_POS(import_args, file, "FILE", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_import = {
	"import", run_import, CMD_NEEDS_REPO | CMD_SIGNS,
	"record a document issued outside docket, with its own number and date", sizeof(import_args),
	import_opts, import_pos,
	"Record FILE, a document issued outside docket (a paper archive, another system), as\n"
	"issued: it keeps its own number, notation and date, enters in the state its workflow's\n"
	"numbering transition leads to (issued) with one workflow step 'import' saying who\n"
	"recorded it and from where (-m), and its number enters its issuer's register for the\n"
	"year of its date, so the next number docket gives there is one more than the highest\n"
	"known. One commit, by the acting person (--as), who must be one who may issue (the\n"
	"records clerk). The document must validate and carry no workflow steps or signatures.\n"
	"Prints the document id alone on stdout. A document to be issued here is added with\n"
	"'docket add --draft' instead.\n",
	"docket --as thu import 354-KH-PGDDT.xml -m \"paper archive, file 2021/KH\"",
	"0 recorded; 1 invalid, refused (not a clerk, number taken, no number or date, the id\n"
	"exists); 2 usage; 3 other errors.", NULL
};
