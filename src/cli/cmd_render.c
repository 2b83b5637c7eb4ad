/* docket render: a document as its Decree 30 A4 page, in HTML or PDF. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "web.h"

/* WeasyPrint takes 2-3 s for the seed plan on a loaded machine; a stuck one is stopped. */
#define PDF_TIMEOUT_SECONDS 180

typedef struct {
	const char *doc, *format, *output, *trust, *rev;
} render_args;

static int run_render(cli_ctx *ctx, void *args)
{
	render_args *a = args;
	const char *format = a->format ? a->format : "html";
	docket_render_options opts = DOCKET_RENDER_OPTIONS_INIT;
	docket_doc *doc = NULL;
	char *html = NULL;
	size_t len = 0;
	int error, code, pdf, from_file = 0, to_stdout = !a->output || strcmp(a->output, "-") == 0;

	if (strcmp(format, "html") && strcmp(format, "pdf"))
		return cli_usage_error(ctx, "unknown format '%s' (html or pdf)", format);
	pdf = strcmp(format, "pdf") == 0;
	if (pdf && to_stdout)
		return cli_usage_error(ctx, "a PDF needs -o FILE");
	if ((code = cli_doc_arg(&doc, NULL, NULL, &from_file, ctx, a->doc, a->rev, "render")) != EXIT_OK)
		goto cleanup;
	/* without a trust anchor nothing is verified, and no box says valid */
	opts.trust = cli_trust_anchor(a->trust);
	if ((error = docket_render_html(&html, &len, doc, ctx->repo, from_file ? NULL : a->rev, &opts)) < 0) {
		code = cli_fail(error, "cannot render '%s': %s", a->doc, docket_error_last());
		goto cleanup;
	}
	if (pdf)
		error = web_pdf_write(a->output, html, len, PDF_TIMEOUT_SECONDS);
	else if (to_stdout)
		error = fwrite(html, 1, len, stdout) == len ? 0 : web_error(DOCKET_ERROR, "cannot write the page");
	else
		error = web_file_write(a->output, html, len);
	if (error < 0) {
		/* a missing converter is not the document's fault: exit 3, whatever the code */
		code = cli_fail(DOCKET_ERROR, "cannot render '%s': %s", a->doc, web_error_last());
		goto cleanup;
	}
	code = EXIT_OK;
cleanup:
	docket_free(html);
	docket_doc_free(doc);
	return cli_finish(code);
}

static const cli_option render_opts[] = {
	CLI_OPT_STRING(render_args, format, "format", 0, "html|pdf", "html (default) or pdf"),
	CLI_OPT_STRING(render_args, output, "output", 'o', "FILE",
	               "write to FILE (atomically); '-' or none: standard output (html only)"),
	CLI_OPT_STRING(render_args, trust, "trust", 0, "CA.pem",
	               "verify the signatures against this CA certificate (default:\n"
	               "~/.config/docket/trust.pem when it exists); without one, no signature\n"
	               "is shown valid"),
	CLI_OPT_STRING(render_args, rev, "rev", 0, "REV", "the document as it was at revision REV"),
	CLI_OPT_END
};

static const cli_positional render_pos[] = { CLI_POS(render_args, doc, "DOC|FILE", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_render = {
	"render", run_render, CMD_WANTS_REPO, "render a document as an A4 page (HTML or PDF)",
	sizeof(render_args), render_opts, render_pos,
	"Render the document DOC (its id or repository path, or a file on disk, inside a\n"
	"repository or outside any) as the A4 page Decree 30 lays out: one self-contained HTML\n"
	"file that loads nothing, from the repository's pinned .docket/schemas/page.xsl, else the\n"
	"built-in one (see docs/rendering.md).\n"
	"\n"
	"Each digital signature is a box on the page. With a trust anchor (--trust, or the\n"
	"user's own ~/.config/docket/trust.pem) docket verifies every signature and the box says\n"
	"valid or invalid; without one, every box says not verified.\n"
	"\n"
	"--format pdf runs WeasyPrint (the Debian package weasyprint) on the page and needs -o.\n",
	"docket render kh-2021-354 -o 354.html\n"
	"docket render kh-2021-354 --format pdf -o 354.pdf --trust ca.pem\n"
	"docket render ~/Downloads/354-KH-PGDDT.xml > 354.html   # a file, outside any repository",
	"0 rendered; 1 the document is not well-formed; 2 usage; 3 other errors (no such\n"
	"document, trust anchor unreadable, weasyprint not installed or failed, I/O).", NULL
};
