/* docket attach: carry a file with a document as an annex (phụ lục), listed in its content. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *file, *name, *type, *message;
	int json;
} attach_args;

static int run_attach(cli_ctx *ctx, void *args)
{
	attach_args *a = args;
	docket_attach_options ao = DOCKET_ATTACH_OPTIONS_INIT;
	docket_action_result res;
	docket_annex_item *items = NULL;
	const docket_annex_item *it = NULL;
	size_t n = 0, i;
	int error, code;

	ao.doc = a->doc;
	ao.file = a->file;
	ao.name = a->name;
	ao.type = a->type;
	ao.actor = ctx->actor;
	ao.message = a->message;
	error = docket_annex_attach(&res, ctx->repo, &ao);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings))
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail_last(error, NULL);
		goto cleanup;
	}
	/* what was recorded, read back from the commit */
	if ((error = docket_annex_verify(&items, &n, ctx->repo, res.id, res.commit)) < 0) {
		code = cli_fail_last(error, NULL);
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		const char *want = a->name ? a->name : strrchr(a->file, '/') ? strrchr(a->file, '/') + 1 : a->file;
		if (items[i].name && strcmp(items[i].name, want) == 0)
			it = &items[i];
	}
	if (!it) {
		code = cli_fail(DOCKET_ERROR, "the annex of '%s' is not in the commit %.12s", res.id, res.commit);
		goto cleanup;
	}
	if (a->json) {
		fputs("{\"document\": ", stdout);
		cli_json_str(res.id);
		fputs(", \"annex\": ", stdout);
		cli_json_str(it->name);
		fputs(", \"type\": ", stdout);
		cli_json_str(it->type);
		printf(", \"size\": %llu, \"sha256\": \"%s\", \"commit\": \"%s\"}\n", it->size, it->sha256, res.commit);
	} else {
		printf("%s: attached %s (%s, %llu bytes, sha256 %s) [%.12s]\n", res.id, it->name, it->type, it->size,
		       it->sha256, res.commit);
	}
	code = EXIT_OK;
cleanup:
	docket_annex_items_free(items, n);
	docket_action_result_free(&res);
	return cli_finish(code);
}

static const cli_option attach_opts[] = {
	CLI_OPT_STRING(attach_args, name, "name", 0, "NAME",
	               "the annex's name in the repository (default: FILE's base name); letters, digits,\n"
	               "'.', '_', '-', at most 100, starting with a letter or digit"),
	CLI_OPT_STRING(attach_args, type, "type", 0, "MEDIA",
	               "its media type, e.g. application/pdf (default: from the name's extension,\n"
	               "else application/octet-stream)"),
	CLI_OPT_STRING(attach_args, message, "message", 'm', "MESSAGE", "a comment for the commit"),
	CLI_OPT_FLAG(attach_args, json, "json", 0,
	             "print one JSON object {document, annex, type, size, sha256, commit}"),
	CLI_OPT_END
};

static const cli_positional attach_pos[] = {
	CLI_POS(attach_args, doc, "DOC", CLI_POS_ONE), CLI_POS(attach_args, file, "FILE", CLI_POS_ONE), CLI_POS_END
};

const cli_command cli_cmd_attach = {
	"attach", run_attach, CMD_NEEDS_REPO | CMD_SIGNS, "attach a file to a draft as an annex", sizeof(attach_args),
	attach_opts, attach_pos,
	"Store FILE byte for byte beside document DOC, as\n"
	"documents/KIND/YEAR/UNIT/ID.annexes/NAME, and list it in DOC's content with its name,\n"
	"media type, size and SHA-256: <annexes><annex name type size sha256/></annexes>. The\n"
	"list is inside the signed content, so every later signature covers the annex's bytes.\n"
	"One commit (trailers Docket-Action: attach, Docket-Annex: NAME), allowed where an edit\n"
	"is: in an editable state (draft), by a drafter or reviewer of the drafting unit.\n"
	"\n"
	"An annex may hold at most the repository's limit (20 MiB unless the configuration's\n"
	"<limits annex-max-bytes=\"N\"/> says otherwise); an empty file, a name outside the safe\n"
	"set (no '/', '..', spaces or control characters) and a name the document lists already\n"
	"are refused. 'docket verify' and 'docket audit' compare the files with the list.\n",
	"docket --as hoa attach kh-2021-354 phu-luc-1.pdf\n"
	"docket --as hoa attach kh-2021-354 ~/Bang\\ chi\\ tieu.xlsx --name phu-luc-2.xlsx",
	"0 attached; 1 refused (state not editable, not allowed, too large, empty, bad name or\n"
	"media type, name listed already, document invalid); 2 usage; 3 other errors.", NULL
};
