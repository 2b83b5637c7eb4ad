/*
 * docket clone / pull / push / server / hook: many offices, one history. The offices' side
 * (clone, pull, push) and the central side (server init, server install-hook, and the hook
 * git runs before it takes a push).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
	const char *url, *dir, *remote, *trust;
	int tries;
	const char *tries_s;
} remote_args;

/* --- what libgit2 asks of the command line --------------------------------------------------- */

/*
 * HTTP basic authentication: the user is $DOCKET_REMOTE_USER, else the acting person (--as);
 * the password $DOCKET_REMOTE_PASSWORD, else the first line of $DOCKET_REMOTE_PASSWORD_FILE.
 * Credentials written in the URL itself are used by libgit2 before asking.
 */
static int credentials(char **user, char **password, const char *url, void *payload)
{
	cli_ctx *ctx = payload;
	const char *u = getenv("DOCKET_REMOTE_USER"), *p = getenv("DOCKET_REMOTE_PASSWORD");
	const char *file = getenv("DOCKET_REMOTE_PASSWORD_FILE");
	char line[1024] = "";

	if (!u || !*u)
		u = ctx->actor;
	if (!u || !*u) {
		fprintf(stderr, "docket: '%s' asks who you are: give --as PERSON or set DOCKET_REMOTE_USER\n", url);
		return -1;
	}
	if (!p && file) {
		FILE *f = fopen(file, "r");
		if (!f || !fgets(line, sizeof(line), f)) {
			fprintf(stderr, "docket: cannot read the password file '%s'\n", file);
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		line[strcspn(line, "\r\n")] = '\0';
		p = line;
	}
	if (!p) {
		fprintf(stderr, "docket: '%s' asks for a password: set DOCKET_REMOTE_PASSWORD or "
		        "DOCKET_REMOTE_PASSWORD_FILE\n", url);
		return -1;
	}
	*user = strdup(u);
	*password = strdup(p);
	memset(line, 0, sizeof(line));
	return *user && *password ? 0 : -1;
}

/* The server's words (its hook's refusals above all); git's own progress lines are left out. */
static void server_message(const char *line, void *payload)
{
	static const char *const progress[] = { "Enumerating ", "Counting ", "Compressing ", "Total ", "Writing ",
	                                        "Resolving ", "Delta ", "remote: Counting", NULL };
	for (const char *const *p = progress; *p; p++)
		if (strncmp(line, *p, strlen(*p)) == 0)
			return;
	if (*line)
		fprintf(stderr, "remote: %s\n", line);
}

/*
 * The key a replayed action is signed with anew: $DOCKET_KEY for the acting person (--as; for
 * everyone when no one is named), else PERSON's key at its default place, else none.
 */
static int key_for(docket_key **out, const char *person, void *payload)
{
	cli_ctx *ctx = payload;
	const char *spec = getenv("DOCKET_KEY");
	char path[4096], *pass;
	int error;

	*out = NULL;
	if (!spec || !*spec || (ctx->actor && strcmp(ctx->actor, person) != 0)) {
		if (cli_default_key_path(path, sizeof(path), person) < 0 || access(path, R_OK) != 0)
			return 0;
		spec = path;
	}
	if (!(pass = cli_passphrase(strncmp(spec, "pkcs11:", 7) == 0 ? "Token PIN: " : "Key passphrase: ")))
		return DOCKET_ERROR;
	error = docket_key_load(out, spec, pass);
	cli_passphrase_free(pass);
	if (error < 0)
		fprintf(stderr, "docket: cannot load the signing key of '%s' ('%s'): %s\n", person, spec, docket_error_last());
	return error;
}

static void remote_opts(docket_remote_options *o, cli_ctx *ctx, remote_args *a)
{
	o->remote = a->remote;
	o->credentials = credentials;
	o->credentials_payload = ctx;
	o->message = server_message;
	o->key = key_for;
	o->key_payload = ctx;
}

static int parse_tries(cli_ctx *ctx, remote_args *a)
{
	char *end;
	long n;

	a->tries = 0;
	if (!a->tries_s)
		return 0;
	n = strtol(a->tries_s, &end, 10);
	if (*end || end == a->tries_s || n < 1 || n > 1000)
		return cli_usage_error(ctx, "--tries takes a number from 1 to 1000");
	a->tries = (int)n;
	return 0;
}

static void print_sync(const docket_sync_result *r)
{
	for (char **n = r->notes; n && *n; n++)
		printf("%s\n", *n);
}

/* --- docket clone ----------------------------------------------------------------------------- */

static int run_clone(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	docket_remote_options o = DOCKET_REMOTE_OPTIONS_INIT;
	docket_repo *repo = NULL;
	char path[4096];
	int error;

	if (ctx->dir && a->dir[0] != '/')
		snprintf(path, sizeof(path), "%s/%s", ctx->dir, a->dir);
	else
		snprintf(path, sizeof(path), "%s", a->dir);
	remote_opts(&o, ctx, a);
	o.remote = NULL;
	if ((error = docket_clone(&repo, a->url, path, &o)) < 0)
		return cli_fail(error, "cannot clone '%s': %s", a->url, docket_error_last());
	printf("Cloned %s into %s\n", a->url, docket_repo_workdir(repo) ? docket_repo_workdir(repo) : path);
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}

/* --- docket pull / push ----------------------------------------------------------------------- */

static int run_pull(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	docket_remote_options o = DOCKET_REMOTE_OPTIONS_INIT;
	docket_sync_result r;
	int error, code = EXIT_OK;

	remote_opts(&o, ctx, a);
	error = docket_pull(&r, ctx->repo, &o);
	print_sync(&r);
	if (error < 0)
		code = cli_fail(error, "cannot pull: %s", docket_error_last());
	else if (!r.received)
		printf("main is up to date with %s [%.12s]\n", a->remote ? a->remote : "origin", r.after);
	else if (r.fast_forward)
		printf("main moved forward by %zu commit%s of %s [%.12s]\n", r.received, r.received == 1 ? "" : "s",
		       a->remote ? a->remote : "origin", r.after);
	else
		printf("%zu commit%s of %s taken; %zu local commit%s made anew on them [%.12s]\n", r.received,
		       r.received == 1 ? "" : "s", a->remote ? a->remote : "origin", r.replayed,
		       r.replayed == 1 ? "" : "s", r.after);
	docket_sync_result_free(&r);
	return cli_finish(code);
}

static int run_push(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	docket_remote_options o = DOCKET_REMOTE_OPTIONS_INIT;
	docket_sync_result r;
	int error, code;

	if ((code = parse_tries(ctx, a)) != 0)
		return code;
	remote_opts(&o, ctx, a);
	o.tries = a->tries;
	error = docket_push(&r, ctx->repo, &o);
	print_sync(&r);
	if (error < 0) {
		code = cli_fail(error, "cannot push: %s", docket_error_last());
	} else {
		if (r.replayed)
			printf("%zu commit%s of %s taken first; %zu local commit%s made anew on them\n", r.received,
			       r.received == 1 ? "" : "s", a->remote ? a->remote : "origin", r.replayed,
			       r.replayed == 1 ? "" : "s");
		printf("%s has main at %.12s (%d tr%s)\n", a->remote ? a->remote : "origin", r.remote, r.tries,
		       r.tries == 1 ? "y" : "ies");
		code = EXIT_OK;
	}
	docket_sync_result_free(&r);
	return cli_finish(code);
}

/* --- docket server ---------------------------------------------------------------------------- */

static int run_server_init(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	docket_repo *repo = NULL;
	int error;

	if ((error = docket_server_init(&repo, a->dir)) < 0)
		return cli_fail(error, "cannot create a server repository in '%s': %s", a->dir, docket_error_last());
	printf("Initialised docket server repository in %s\n", docket_repo_gitdir(repo));
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}

static int run_server_install_hook(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	char self[PATH_MAX];
	ssize_t n;
	int error;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return cli_fail(DOCKET_ERROR, "cannot find the docket program itself (/proc/self/exe)");
	self[n] = '\0';
	if ((error = docket_server_install_hook(a->dir, self, a->trust)) < 0)
		return cli_fail(error, "cannot install the hook in '%s': %s", a->dir, docket_error_last());
	printf("Installed %s/hooks/pre-receive (%s)\n", a->dir,
	       a->trust ? "signatures verified against the server's copy of the trust anchor" :
	                  "no trust anchor: signatures are only checked to be present");
	return cli_finish(EXIT_OK);
}

/* --- docket hook pre-receive -------------------------------------------------------------------- */

static int run_hook_pre_receive(cli_ctx *ctx, void *args)
{
	remote_args *a = args;
	docket_hook_options o = DOCKET_HOOK_OPTIONS_INIT;
	docket_repo *repo = NULL;
	const char *gitdir = getenv("GIT_DIR");
	char *line = NULL;
	size_t cap = 0, refused = 0;
	ssize_t len;
	int error, code = EXIT_OK;

	if (!gitdir || !*gitdir)
		gitdir = ctx->dir ? ctx->dir : ".";
	if ((error = docket_repo_open(&repo, gitdir)) < 0)
		return cli_fail(error, "refused: cannot open the repository: %s", docket_error_last());
	o.trust = a->trust;
	/* who authenticated the push: smart HTTP passes REMOTE_USER on, gitolite sets GL_USER */
	o.pusher = getenv("REMOTE_USER") && *getenv("REMOTE_USER") ? getenv("REMOTE_USER") : getenv("GL_USER");
	o.objects = getenv("GIT_OBJECT_DIRECTORY");
	while ((len = getline(&line, &cap, stdin)) > 0) {
		char old[64], new_id[64], ref[1024];
		docket_audit_result r;
		if (sscanf(line, "%63s %63s %1023s", old, new_id, ref) != 3) {
			code = cli_fail(DOCKET_EUSAGE, "refused: cannot read the update '%.*s'", (int)strcspn(line, "\n"), line);
			break;
		}
		if ((error = docket_hook_check(&r, repo, ref, old, new_id, &o)) < 0) {
			code = cli_fail(error, "refused: cannot check %s: %s", ref, docket_error_last());
			break;
		}
		for (size_t i = 0; i < r.n; i++)
			fprintf(stderr, "docket: refused %s: %s%.12s%s%s%s%s\n", r.findings[i].kind, r.findings[i].commit[0] ? "commit " : "",
			        r.findings[i].commit, r.findings[i].document ? " " : "",
			        r.findings[i].document ? r.findings[i].document : "", r.findings[i].commit[0] || r.findings[i].document ? ": " : "",
			        r.findings[i].message);
		refused += r.n;
		docket_audit_result_free(&r);
	}
	free(line);
	docket_repo_free(repo);
	if (refused) {
		fprintf(stderr, "docket: the push was refused (%zu finding%s; the rules: docs/audit.md, docs/server.md)\n",
		        refused, refused == 1 ? "" : "s");
		return EXIT_CHECK;
	}
	return code;
}

/* --- the tables ---------------------------------------------------------------------------------- */

static const cli_positional clone_pos[] = {
	CLI_POS(remote_args, url, "URL", CLI_POS_ONE), CLI_POS(remote_args, dir, "DIR", CLI_POS_ONE), CLI_POS_END
};

const cli_command cli_cmd_clone = {
	"clone", run_clone, 0, "clone a central docket repository", sizeof(remote_args), NULL, clone_pos,
	"Clone the docket repository at URL into DIR (which must not exist, or be empty), with\n"
	"the remote 'origin' and main checked out. URL is a path, file://, git://, http(s)://\n"
	"(basic authentication: the user $DOCKET_REMOTE_USER or the acting person, the password\n"
	"$DOCKET_REMOTE_PASSWORD or the file $DOCKET_REMOTE_PASSWORD_FILE; or written in the URL),\n"
	"or ssh:// and user@host:path (keys from ssh-agent, then ~/.ssh/id_ed25519, id_ecdsa,\n"
	"id_rsa). Every action works offline in the clone; 'docket pull' and 'docket push'\n"
	"exchange them with the central repository.\n",
	"docket clone https://docs.pgd.example/pgd.git pgd\n"
	"docket clone git://10.0.0.2/pgd.git truong-qt\n"
	"docket clone /srv/git/pgd.git pgd",
	"0 cloned; 1 DIR is not empty, or authentication refused; 2 usage; 3 other errors (network,\n"
	"not a docket repository).", NULL
};

static const cli_option sync_opts[] = {
	CLI_OPT_STRING(remote_args, remote, "remote", 0, "NAME", "the remote (default: origin)"),
	CLI_OPT_END
};

static const cli_option push_opts[] = {
	CLI_OPT_STRING(remote_args, remote, "remote", 0, "NAME", "the remote (default: origin)"),
	CLI_OPT_STRING(remote_args, tries_s, "tries", 0, "N", "attempts when the remote keeps moving (default 5)"),
	CLI_OPT_END
};

#define REPLAY_HELP \
	"When both main and the remote's main moved, each local commit, oldest first, is made\n" \
	"anew on the remote's tip: carried over as it is when nothing it changed was changed\n" \
	"remotely - the same document, the same XML signatures - its commit signed anew by its\n" \
	"actor; an issue whose number the remote took meanwhile is issued again with the next free\n" \
	"number and signed anew. When a document (or the configuration) that a local commit\n" \
	"changed was also changed remotely, nothing changes here and the document is named.\n" \
	"Main moves only once every commit was made anew; then the work tree follows. Keys: the\n" \
	"actor's key at its default place (~/.config/docket/keys/PERSON.pem); $DOCKET_KEY for the\n" \
	"acting person (--as), or for everyone when no one is named.\n"

const cli_command cli_cmd_pull = {
	"pull", run_pull, CMD_NEEDS_REPO, "take the central repository's actions", sizeof(remote_args),
	sync_opts, NULL,
	"Fetch the remote's main (into refs/remotes/origin/main) and bring main up to it: a\n"
	"fast-forward when main has nothing of its own.\n"
	"\n" REPLAY_HELP,
	"docket pull\n"
	"docket --as thu pull",
	"0 up to date; 1 refused (a conflict: the document named changed on both sides; edits\n"
	"not yet recorded; authentication); 2 usage; 3 other errors (network).", NULL
};

const cli_command cli_cmd_push = {
	"push", run_push, CMD_NEEDS_REPO, "send the office's actions to the central repository",
	sizeof(remote_args), push_opts, NULL,
	"Push main to the remote's main, never forcing. When the remote moved meanwhile, its\n"
	"commits are pulled and main's own made anew on them, then the push is tried again\n"
	"(--tries in all). The central repository's hook may refuse the push: its reasons are\n"
	"shown as 'remote: docket: refused KIND: ...' and nothing is taken.\n"
	"\n" REPLAY_HELP,
	"docket --as hoa push\n"
	"DOCKET_REMOTE_PASSWORD_FILE=~/.pgd-pass docket --as lan push --tries 10",
	"0 pushed (or nothing to push); 1 refused (the server's hook, a conflict, the remote kept\n"
	"moving, authentication); 2 usage; 3 other errors (network).", NULL
};

static const cli_positional server_pos[] = { CLI_POS(remote_args, dir, "BARE.git", CLI_POS_ONE), CLI_POS_END };

static const cli_option install_hook_opts[] = {
	CLI_OPT_STRING(remote_args, trust, "trust", 0, "CA.pem",
	               "the server's trust anchor, copied into BARE.git/docket/trust.pem"),
	CLI_OPT_END
};

static const cli_command server_subs[] = {
	{ "init", run_server_init, 0, "a bare repository for the central server", sizeof(remote_args), NULL,
	  server_pos, NULL, NULL, NULL, NULL },
	{ "install-hook", run_server_install_hook, 0, "install the pre-receive hook", sizeof(remote_args),
	  install_hook_opts, server_pos, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_server = {
	"server", NULL, 0, "set up the central repository", sizeof(remote_args), NULL, NULL,
	"'init' makes BARE.git, a bare docket repository for a git server (git http-backend behind\n"
	"nginx, git daemon, gitolite: docs/server.md), with git's own guards on: no forced update\n"
	"or deletion (receive.denyNonFastForwards, receive.denyDeletes), every object checked\n"
	"(receive.fsckObjects), pushes over smart HTTP by authenticated users (http.receivepack).\n"
	"'install-hook' writes BARE.git/hooks/pre-receive, which runs 'docket hook pre-receive'\n"
	"with the server's own trust anchor: CA.pem is copied into BARE.git/docket/trust.pem,\n"
	"outside refs, where no push reaches it; never a certificate from the repository.\n",
	"docket server init /srv/git/pgd.git\n"
	"docket server install-hook /srv/git/pgd.git --trust /etc/docket/pgd-ca.pem",
	"0 done; 1 BARE.git is not empty; 2 usage; 3 other errors.", server_subs
};

static const cli_option hook_opts[] = {
	CLI_OPT_STRING(remote_args, trust, "trust", 0, "CA.pem", "the server's trust anchor"),
	CLI_OPT_END
};

static const cli_command hook_subs[] = {
	{ "pre-receive", run_hook_pre_receive, 0, "judge a push (git runs it)", sizeof(remote_args), hook_opts,
	  NULL, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_hook = {
	"hook", NULL, 0, "the central repository's pre-receive hook", sizeof(remote_args), NULL, NULL,
	"Run by git in the central repository before it takes a push ('docket server\n"
	"install-hook' installs it): reads 'OLD NEW REF' lines on stdin. Main only moves forward,\n"
	"by commits in a line; each pushed commit - only those - is judged by the audit's rules\n"
	"(docs/audit.md) against the rules in force at its parent, signatures against --trust.\n"
	"The authenticated user ($REMOTE_USER over smart HTTP, $GL_USER under gitolite) must be\n"
	"every pushed commit's actor.\n"
	"Other refs are refused unless the repository's git configuration docket.allowRef (a\n"
	"pattern, may be given several times) matches. Each refusal is one line on stderr,\n"
	"'docket: refused KIND: commit C DOC: MESSAGE', which git shows as 'remote: ...'; one\n"
	"refusal refuses the whole push. The pushed objects are read from the quarantine git\n"
	"names in $GIT_OBJECT_DIRECTORY.\n",
	"echo \"$old $new refs/heads/main\" | GIT_DIR=/srv/git/pgd.git docket hook pre-receive --trust ca.pem",
	"0 accepted; 1 refused; 2 usage; 3 other errors (also a refusal for git).", hook_subs
};
