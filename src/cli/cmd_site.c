/* docket site: the archive as a static web site (index, pages, timelines). */
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "web.h"

typedef struct {
	const char *outdir, *trust;
	int force;
} site_args;

static void print_warning(void *payload, const char *what, const char *message)
{
	(void)payload;
	fprintf(stderr, "docket: site: left out '%s': %s\n", what, message);
}

static int run_site(cli_ctx *ctx, void *args)
{
	site_args *a = args;
	web_site_options o = { 0 };
	web_site_result r = { 0, 0 };
	int error, code;

	o.trust = cli_trust_anchor(a->trust);
	o.force = a->force;
	o.warn = print_warning;
	if ((error = web_site_write(&r, ctx->repo, a->outdir, &o)) < 0)
		return cli_fail(error, "cannot write the site into '%s': %s", a->outdir, web_error_last());
	printf("%s: %zu document%s%s\n", a->outdir, r.documents, r.documents == 1 ? "" : "s",
	       o.trust ? ", signatures verified" : ", signatures not verified (no trust anchor)");
	code = r.failed ? EXIT_CHECK : EXIT_OK;
	if (r.failed)
		fprintf(stderr, "docket: site: %zu document%s left out\n", r.failed, r.failed == 1 ? "" : "s");
	return cli_finish(code);
}

static const cli_option site_opts[] = {
	CLI_OPT_STRING(site_args, trust, "trust", 0, "CA.pem",
	               "verify the signatures against this CA certificate (default:\n"
	               "~/.config/docket/trust.pem when it exists)"),
	CLI_OPT_FLAG(site_args, force, "force", 0, "replace OUTDIR when it is not empty"),
	CLI_OPT_END
};

static const cli_positional site_pos[] = { CLI_POS(site_args, outdir, "OUTDIR", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_site = {
	"site", run_site, CMD_NEEDS_REPO, "write the archive as a static web site",
	sizeof(site_args), site_opts, site_pos,
	"Write the repository's documents as a static web site into OUTDIR: index.html lists\n"
	"every document by kind and year (number, date, subject, state, drafting unit),\n"
	"doc/ID.html is each document's A4 page (as `docket render` makes it) and log/ID.html\n"
	"its timeline (as `docket log` prints it). Links are relative and nothing is loaded from\n"
	"anywhere, so the folder can be opened from disk, copied or served as it is.\n"
	"\n"
	"The site is built beside OUTDIR and renamed into place: OUTDIR is either as it was or\n"
	"the whole new site. A non-empty OUTDIR is refused unless --force. A document that\n"
	"cannot be read is left out and named on stderr; the others are written.\n",
	"docket site /srv/www/archive --trust ca.pem --force",
	"0 written; 1 OUTDIR is not empty (without --force) or a document was left out;\n"
	"2 usage; 3 other errors (repository, trust anchor, I/O).", NULL
};
