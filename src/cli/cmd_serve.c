/* docket serve: the web workspace over the repository (src/web/), until SIGINT or SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"
#include "serve.h"

typedef struct {
	const char *listen, *trust, *auth_header, *proxy;
	int read_only;
} serve_args;

typedef struct {
	docket_key *shared;   /* --as PERSON's key, or $DOCKET_KEY for everyone */
	int per_person;       /* behind the proxy: each person's key from its default place */
} key_source;

/*
 * Behind a proxy each person signs with their own key from the default place
 * (~/.config/docket/keys/PERSON.pem of the user running the server), as `docket --as PERSON`
 * would; a server has no terminal to ask on, so the passphrase comes from $DOCKET_PASSPHRASE
 * or $DOCKET_PASSPHRASE_FILE, else the key is not used.
 */
static int person_key(docket_key **out, int *owned, const char *person, void *payload)
{
	key_source *ks = payload;
	char path[4096], *pass;
	int error;

	*out = NULL;
	*owned = 0;
	if (ks->shared || !ks->per_person) {
		*out = ks->shared;
		return 0;
	}
	if (cli_default_key_path(path, sizeof(path), person) < 0 || access(path, R_OK) != 0)
		return 0;
	if (!getenv("DOCKET_PASSPHRASE") && !getenv("DOCKET_PASSPHRASE_FILE"))
		return 0;
	if (!(pass = cli_passphrase("")))
		return DOCKET_ERROR;
	error = docket_key_load(out, path, pass);
	cli_passphrase_free(pass);
	if (error < 0)
		return error;
	*owned = 1;
	return 0;
}

static int run_serve(cli_ctx *ctx, void *args)
{
	serve_args *a = args;
	web_options o;
	web_server *srv = NULL;
	key_source ks;
	sigset_t stop;
	char bound[128], err[512];
	const char *root = docket_repo_workdir(ctx->repo) ? docket_repo_workdir(ctx->repo) : docket_repo_gitdir(ctx->repo);
	int sig = 0, code;

	memset(&o, 0, sizeof(o));
	memset(&ks, 0, sizeof(ks));
	if (a->proxy && !a->auth_header)
		return cli_usage_error(ctx, "--proxy goes with --auth-header");
	if (a->auth_header && ctx->actor)
		return cli_usage_error(ctx, "--as PERSON (or $DOCKET_ACTOR) and --auth-header exclude each other");
	if (a->read_only && a->auth_header)
		return cli_usage_error(ctx, "--read-only and --auth-header exclude each other");
	o.repo_path = root;
	o.listen = a->listen ? a->listen : WEB_DEFAULT_LISTEN;
	o.read_only = a->read_only;
	o.trust = cli_trust_anchor(a->trust);
	o.as = a->read_only ? NULL : ctx->actor;
	o.auth_header = a->auth_header;
	o.proxy = a->proxy;
	o.key = person_key;
	o.key_payload = &ks;
	if (!a->read_only && (ctx->actor || getenv("DOCKET_KEY"))) {
		/* as `docket --as PERSON submit` loads it: $DOCKET_KEY, else the person's own */
		if ((code = cli_load_key(&ks.shared, ctx)) != 0)
			return code;
	}
	ks.per_person = a->auth_header != NULL;

	/* the server's thread inherits this mask: the signals come to sigwait below only */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (web_server_start(&srv, &o, bound, sizeof(bound), err, sizeof(err)) < 0) {
		code = cli_fail(DOCKET_ERROR, "%s", err);
		goto done;
	}
	fprintf(stderr, "docket: serving %s on http://%s/", root, bound);
	if (o.read_only)
		fprintf(stderr, " read-only");
	else if (o.as)
		fprintf(stderr, " as %s", o.as);
	else if (o.auth_header)
		fprintf(stderr, " for the person named by %s from %s", o.auth_header, o.proxy ? o.proxy : "127.0.0.1");
	else
		fprintf(stderr, " with nobody acting");
	fprintf(stderr, "; stop with Ctrl-C\n");
	fflush(stderr);
	if (sigwait(&stop, &sig) != 0)
		sig = 0;
	web_server_stop(srv);
	fprintf(stderr, "docket: stopped%s\n", sig == SIGTERM ? " (SIGTERM)" : sig == SIGINT ? " (SIGINT)" : "");
	code = EXIT_OK;
done:
	docket_key_free(ks.shared);
	return cli_finish(code);
}

static const cli_option serve_opts[] = {
	CLI_OPT_STRING(serve_args, listen, "listen", 0, "ADDR:PORT",
	               "where to listen (default 127.0.0.1:8080; [::1]:8080 for IPv6; port 0: any free port)"),
	CLI_OPT_FLAG(serve_args, read_only, "read-only", 0, "serve the archive to anyone; offer no action (POST is refused)"),
	CLI_OPT_STRING(serve_args, trust, "trust", 0, "CA.pem",
	               "the trust anchor signatures are verified against (default ~/.config/docket/trust.pem)"),
	CLI_OPT_STRING(serve_args, auth_header, "auth-header", 0, "NAME",
	               "behind an authenticating proxy: the person is the value of the request header NAME"),
	CLI_OPT_STRING(serve_args, proxy, "proxy", 0, "ADDR",
	               "the proxy's address; with --auth-header only requests from it are served (default\n"
	               "127.0.0.1)"),
	CLI_OPT_END
};

const cli_command cli_cmd_serve = {
	"serve", run_serve, CMD_NEEDS_REPO, "the web workspace over the repository", sizeof(serve_args), serve_opts,
	NULL,
	"Serve the repository as a web workspace until interrupted (SIGINT, SIGTERM): documents by\n"
	"kind, state, year and unit with search; each document with its state, its A4 page, its\n"
	"timeline and the semantic diff of any two versions, and the buttons of exactly the\n"
	"transitions the acting person may take now; a plan's report status per unit and the\n"
	"aggregate; forms for a report's figures and a draft's subject. Every action is the same\n"
	"library call and the same signed commit as on the command line.\n"
	"\n"
	"Who acts: --as PERSON (or $DOCKET_ACTOR) for a person's own workspace, signing with that\n"
	"person's key ($DOCKET_KEY, else ~/.config/docket/keys/PERSON.pem); or, behind a reverse\n"
	"proxy that authenticates, the person named by the header --auth-header NAME, believed\n"
	"from the --proxy address only (any request from elsewhere is refused 403), each person\n"
	"signing with their key from the default place (passphrase from $DOCKET_PASSPHRASE or\n"
	"$DOCKET_PASSPHRASE_FILE). --read-only serves the archive to anyone, with no action.\n"
	"Every form carries a CSRF token; request bodies over 1 MiB are refused (413). One access\n"
	"log line per request goes to stderr. See docs/web.md, with an nginx configuration.\n",
	"docket serve --as hoa                                   # hoa's workspace on 127.0.0.1:8080\n"
	"docket serve --read-only --listen 0.0.0.0:8080 --trust ~/pgd-ca/ca.pem\n"
	"docket serve --auth-header X-Remote-User --proxy 127.0.0.1 --trust ca.pem",
	"0 stopped by a signal; 2 usage; 3 cannot listen or other errors.", NULL
};
