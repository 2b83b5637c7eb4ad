/* docket add: put a validated XML document into the repository as one commit. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char usage_add[] =
	"usage: docket [--as PERSON] add FILE [--id ID] [--draft]\n"
	"\n"
	"Validate FILE against the repository's pinned schemas and rules, then commit it at\n"
	"documents/<kind>/<year>/<unit>/<id>.xml as one commit (built without the index, so it\n"
	"works in bare repositories too). Prints the document id alone on stdout.\n"
	"\n"
	"  --id ID    use ID as the document id instead of the file's own\n"
	"  --draft    add it as a fresh draft: drop its number and notation, workflow steps and\n"
	"             signatures (to walk an issued example such as the seed plan again)\n"
	"\n"
	"A document without workflow metadata starts in its workflow's initial state. A document\n"
	"that names no drafting unit is filed under the unit of the acting person.\n"
	"\n"
	"Exit status: 0 added; 1 invalid document or the id exists already; 2 usage;\n"
	"3 other errors.\n";

int cmd_add(int argc, char **argv, cli_globals *g)
{
	const char *pos[1], *id = NULL;
	int draft = 0;
	const cli_opt opts[] = { { "id", 0, 1, &id, NULL }, { "draft", 0, 0, NULL, &draft },
	                         { NULL, 0, 0, NULL, NULL } };
	docket_add_options ao;
	docket_repo *repo = NULL;
	docket_add_result res;
	int npos, r, error, code;

	memset(&res, 0, sizeof(res));
	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cli_find_command("add"))) >= 0)
		return r;
	if (npos != 1) {
		cli_usage(stderr, cli_find_command("add"));
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	ao.id = id;
	ao.draft = draft;
	ao.actor = g->actor;
	error = docket_add_file(&res, repo, pos[0], &ao);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings)) {
		for (size_t i = 0; i < docket_findings_count(res.findings); i++) {
			const docket_finding *f = docket_findings_get(res.findings, i);
			fprintf(stderr, "%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
		}
		code = cli_fail(error, "cannot add '%s': it is not valid", pos[0]);
	} else if (error < 0) {
		code = cli_fail(error, "cannot add '%s': %s", pos[0], docket_error_last());
	} else {
		printf("%s\n", res.id);
		code = EXIT_OK;
	}
	docket_add_result_free(&res);
	docket_repo_free(repo);
	return cli_finish(code);
}
