/* docket show: a document as Decree-30-style text, or its XML. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char usage_show[] =
	"usage: docket show DOC [--format text|xml] [--rev REV]\n"
	"\n"
	"Print the document DOC (its id, or its path in the repository) as Decree-30-style plain\n"
	"text: national motto, issuing body, number, place and date, type and summary, body,\n"
	"signer block and recipients. With --format xml, print the stored XML exactly.\n"
	"\n"
	"  --format F   text (default) or xml\n"
	"  --rev REV    the document as it was at revision REV\n"
	"\n"
	"Exit status: 0 shown; 1 the stored document is not well-formed; 2 usage;\n"
	"3 other errors (no such document, repository).\n";

int cmd_show(int argc, char **argv, cli_globals *g)
{
	const char *pos[1], *format = "text", *rev = NULL;
	const cli_opt opts[] = {
		{ "format", 0, 1, &format, NULL }, { "rev", 0, 1, &rev, NULL }, { NULL, 0, 0, NULL, NULL }
	};
	docket_repo *repo = NULL;
	docket_doc *doc = NULL;
	char *path = NULL, *out = NULL;
	size_t len = 0;
	int npos, r, error, code;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cli_find_command("show"))) >= 0)
		return r;
	if (npos != 1 || (strcmp(format, "text") && strcmp(format, "xml"))) {
		if (npos == 1)
			fprintf(stderr, "docket show: unknown format '%s' (text or xml)\n", format);
		cli_usage(stderr, cli_find_command("show"));
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if ((error = docket_doc_find(&path, repo, pos[0], rev)) < 0) {
		code = cli_fail(error, "cannot show '%s': %s", pos[0], docket_error_last());
		goto cleanup;
	}
	if (strcmp(format, "xml") == 0) {
		if ((error = docket_repo_read(&out, &len, repo, rev, path)) < 0) {
			code = cli_fail_last(error, pos[0]);
			goto cleanup;
		}
	} else {
		char *buf = NULL;
		size_t blen = 0;
		if ((error = docket_repo_read(&buf, &blen, repo, rev, path)) < 0 ||
		    (error = docket_doc_parse(&doc, buf, blen, path)) < 0) {
			free(buf);
			code = cli_fail(error, "cannot show '%s': %s", pos[0], docket_error_last());
			goto cleanup;
		}
		free(buf);
		if ((error = docket_render_text(&out, &len, doc, repo, rev)) < 0) {
			code = cli_fail(error, "cannot show '%s': %s", pos[0], docket_error_last());
			goto cleanup;
		}
	}
	fwrite(out, 1, len, stdout);
	code = EXIT_OK;
cleanup:
	free(out);
	free(path);
	docket_doc_free(doc);
	docket_repo_free(repo);
	return cli_finish(code);
}
