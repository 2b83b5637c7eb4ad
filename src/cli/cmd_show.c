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
	docket_doc *doc = NULL;
	char *bytes = NULL, *out = NULL;
	size_t len = 0;
	int error, code, xml, from_file = 0;

	if (strcmp(format, "text") && strcmp(format, "xml"))
		return cli_usage_error(ctx, "unknown format '%s' (text or xml)", format);
	xml = strcmp(format, "xml") == 0;
	/* the XML exactly as stored: read, not parsed */
	if ((code = cli_doc_arg(xml ? NULL : &doc, xml ? &bytes : NULL, &len, &from_file, ctx, a->doc,
	                        a->rev, "show")) != EXIT_OK)
		goto cleanup;
	if (xml) {
		fwrite(bytes, 1, len, stdout);
	} else {
		/* a file is shown with the stylesheet the repository pins at its tip, if in one */
		if ((error = docket_render_text(&out, &len, doc, ctx->repo, from_file ? NULL : a->rev)) < 0) {
			code = cli_fail(error, "cannot show '%s': %s", a->doc, docket_error_last());
			goto cleanup;
		}
		fwrite(out, 1, len, stdout);
	}
	code = EXIT_OK;
cleanup:
	docket_free(out);
	docket_free(bytes);
	docket_doc_free(doc);
	return cli_finish(code);
}

static const cli_option show_opts[] = {
	CLI_OPT_STRING(show_args, format, "format", 0, "text|xml", "text (default) or xml"),
	CLI_OPT_STRING(show_args, rev, "rev", 0, "REV", "the document as it was at revision REV"),
	CLI_OPT_END
};

static const cli_positional show_pos[] = { CLI_POS(show_args, doc, "DOC|FILE", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_show = {
	"show", run_show, CMD_WANTS_REPO, "print a document as text or XML", sizeof(show_args),
	show_opts, show_pos,
	"Print the document DOC (its id, or its path in the repository) as Decree-30-style plain\n"
	"text, 80 columns wide, laid out as on paper: issuing body beside the national motto,\n"
	"number beside place and date, type and summary, the body, then the recipients beside\n"
	"the signer block, and the footnotes. Units, people, plans and indicators the document\n"
	"cites by id are printed by name, number and date, as the repository knows them. With\n"
	"--format xml, print the stored XML exactly.\n"
	"\n"
	"When the argument names a file on disk, that file is shown instead: inside a repository\n"
	"with the repository's stylesheet and names at its tip, outside any with the built-in\n"
	"stylesheet and the ids as the file has them.\n",
	"docket show kh-2021-354\n"
	"docket show kh-2021-354 --format xml --rev main~3\n"
	"docket show ~/Downloads/354-KH-PGDDT.xml      # a file, outside any repository",
	"0 shown; 1 the document is not well-formed; 2 usage; 3 other errors (no such\n"
	"document, repository).", NULL
};
