/* docket show: a document as Decree-30-style text, or its XML. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *format, *rev;
} show_args;

static int run_show(cli_ctx *ctx, void *args)
{
	show_args *a = args;
	const char *format = a->format ? a->format : "text";
	docket_repo *repo = ctx->repo;
	docket_doc *doc = NULL;
	char *path = NULL, *out = NULL;
	size_t len = 0;
	int error, code;

	if (strcmp(format, "text") && strcmp(format, "xml"))
		return cli_usage_error(ctx, "unknown format '%s' (text or xml)", format);
	if ((error = docket_doc_find(&path, repo, a->doc, a->rev)) < 0) {
		code = cli_fail(error, "cannot show '%s': %s", a->doc, docket_error_last());
		goto cleanup;
	}
	if (strcmp(format, "xml") == 0) {
		if ((error = docket_repo_read(&out, &len, repo, a->rev, path)) < 0) {
			code = cli_fail_last(error, a->doc);
			goto cleanup;
		}
	} else {
		char *buf = NULL;
		size_t blen = 0;
		if ((error = docket_repo_read(&buf, &blen, repo, a->rev, path)) < 0 ||
		    (error = docket_doc_parse(&doc, buf, blen, path)) < 0) {
			docket_free(buf);
			code = cli_fail(error, "cannot show '%s': %s", a->doc, docket_error_last());
			goto cleanup;
		}
		docket_free(buf);
		if ((error = docket_render_text(&out, &len, doc, repo, a->rev)) < 0) {
			code = cli_fail(error, "cannot show '%s': %s", a->doc, docket_error_last());
			goto cleanup;
		}
	}
	fwrite(out, 1, len, stdout);
	code = EXIT_OK;
cleanup:
	docket_free(out);
	docket_free(path);
	docket_doc_free(doc);
	return cli_finish(code);
}

static const cli_option show_opts[] = {
	CLI_OPT_STRING(show_args, format, "format", 0, "text|xml", "text (default) or xml"),
	CLI_OPT_STRING(show_args, rev, "rev", 0, "REV", "the document as it was at revision REV"),
	CLI_OPT_END
};

static const cli_positional show_pos[] = { CLI_POS(show_args, doc, "DOC", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_show = {
	"show", run_show, CMD_NEEDS_REPO, "print a document as text or XML", sizeof(show_args),
	show_opts, show_pos,
	"Print the document DOC (its id, or its path in the repository) as Decree-30-style plain\n"
	"text: national motto, issuing body, number, place and date, type and summary, body,\n"
	"signer block and recipients. With --format xml, print the stored XML exactly.\n",
	"docket show kh-2021-354\n"
	"docket show kh-2021-354 --format xml --rev main~3",
	"0 shown; 1 the stored document is not well-formed; 2 usage; 3 other errors (no such\n"
	"document, repository).", NULL
};
