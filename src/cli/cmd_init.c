/* docket init: a new document repository from the built-in template. */
#include <stdio.h>
#include "cli.h"

typedef struct {
	int bare;
	const char *dir;
} init_args;

static int run_init(cli_ctx *ctx, void *args)
{
	init_args *a = args;
	docket_repo *repo = NULL;
	char path[4096];
	int error;

	/* like git -C: a relative DIR is taken inside the -C directory */
	if (ctx->dir && a->dir[0] != '/')
		snprintf(path, sizeof(path), "%s/%s", ctx->dir, a->dir);
	else
		snprintf(path, sizeof(path), "%s", a->dir);
	if ((error = docket_repo_init(&repo, path, a->bare)) < 0)
		return cli_fail(error, "cannot create a repository in '%s': %s", path, docket_error_last());
	printf("Initialised docket repository in %s\n", docket_repo_workdir(repo) ?
	       docket_repo_workdir(repo) : docket_repo_gitdir(repo));
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}

static const cli_option init_opts[] = {
	CLI_OPT_FLAG(init_args, bare, "bare", 0, "make a bare repository (for a server; no work tree)"),
	CLI_OPT_END
};

static const cli_positional init_pos[] = { CLI_POS(init_args, dir, "DIR", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_init = {
	"init", run_init, 0, "create a new document repository", sizeof(init_args), init_opts, init_pos,
	"Create a new docket repository in DIR (which must not exist, or be empty): a git\n"
	"repository on branch 'main' whose first commit holds .docket/config.xml, the pinned\n"
	"schemas (.docket/schemas/) and workflows (.docket/workflows/), templates/ and documents/.\n"
	"With -C, a relative DIR is taken inside the -C directory.\n",
	"docket init pgd\n"
	"docket init --bare /srv/pgd.git",
	"0 created; 1 DIR is not empty; 2 usage; 3 other errors.", NULL
};
