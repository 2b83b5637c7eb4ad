/* docket init: a new document repository from the built-in template. */
#include <stdio.h>
#include "cli.h"

const char usage_init[] =
	"usage: docket init [--bare] DIR\n"
	"\n"
	"Create a new docket repository in DIR (which must not exist, or be empty): a git\n"
	"repository on branch 'main' whose first commit holds .docket/config.xml, the pinned\n"
	"schemas (.docket/schemas/) and workflows (.docket/workflows/), templates/ and documents/.\n"
	"\n"
	"  --bare     make a bare repository (for a server; no work tree)\n"
	"\n"
	"Exit status: 0 created; 1 DIR is not empty; 2 usage; 3 other errors.\n";

int cmd_init(int argc, char **argv, cli_globals *g)
{
	const char *pos[1];
	int npos, bare = 0, r, error;
	docket_repo *repo = NULL;
	const cli_opt opts[] = { { "bare", 0, 0, NULL, &bare }, { NULL, 0, 0, NULL, NULL } };

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cli_find_command("init"))) >= 0)
		return r;
	if (npos != 1) {
		cli_usage(stderr, cli_find_command("init"));
		return EXIT_USAGE;
	}
	{
		/* like git -C: a relative DIR is taken inside the -C directory */
		char path[4096];
		if (g->dir && pos[0][0] != '/')
			snprintf(path, sizeof(path), "%s/%s", g->dir, pos[0]);
		else
			snprintf(path, sizeof(path), "%s", pos[0]);
		if ((error = docket_repo_init(&repo, path, bare)) < 0)
			return cli_fail(error, "cannot create a repository in '%s': %s", path, docket_error_last());
	}
	printf("Initialised docket repository in %s\n", docket_repo_workdir(repo) ?
	       docket_repo_workdir(repo) : docket_repo_gitdir(repo));
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}
