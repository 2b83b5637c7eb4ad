/*
 * docket: the command line. The table of commands, the global options (-C DIR, --as PERSON)
 * and dispatch: the arguments are parsed against the command's option table, then the
 * repository (and the signing key) the command's flags ask for are opened here, from the
 * globals, and passed to the command in a cli_ctx. Each command lives in a cmd_*.c file and
 * is a thin layer over the library. Only this directory prints to the terminal or decides
 * exit codes.
 */
#include <stdlib.h>
#include <string.h>
#include <git2.h>
#include <libxml/parser.h>
#include <openssl/crypto.h>
#include "cli.h"

#ifndef DOCKET_VERSION_STRING
#ifdef DOCKET_CLI_VERSION
#define DOCKET_VERSION_STRING DOCKET_CLI_VERSION
#else
#define DOCKET_VERSION_STRING "unknown"
#endif
#endif

/* In the order `docket help` lists them. */
const cli_command *const cli_commands[] = {
	&cli_cmd_init, &cli_cmd_add, &cli_cmd_import, &cli_cmd_validate, &cli_cmd_show, &cli_cmd_render, &cli_cmd_status,
	&cli_cmd_submit, &cli_cmd_review, &cli_cmd_approve, &cli_cmd_issue, &cli_cmd_return,
	&cli_cmd_transition, &cli_cmd_commit, &cli_cmd_new, &cli_cmd_assign, &cli_cmd_aggregate,
	&cli_cmd_fill, &cli_cmd_log, &cli_cmd_diff, &cli_cmd_audit, &cli_cmd_site, &cli_cmd_verify, &cli_cmd_key,
	&cli_cmd_ca, &cli_cmd_enrol, &cli_cmd_signers, &cli_cmd_checkpoint, &cli_cmd_org, &cli_cmd_unit,
	&cli_cmd_person, &cli_cmd_migrate, &cli_cmd_serve, &cli_cmd_clone, &cli_cmd_pull, &cli_cmd_push,
	&cli_cmd_server, &cli_cmd_hook, &cli_cmd_help,
	&cli_cmd_version, NULL
};

const cli_command *cli_find_command(const char *name)
{
	const cli_command *const *c;
	for (c = cli_commands; *c; c++)
		if (strcmp((*c)->name, name) == 0)
			return *c;
	return NULL;
}

void cli_print_version(FILE *f)
{
	int maj = 0, min = 0, rev = 0;
	long xml = atol(xmlParserVersion);

	git_libgit2_version(&maj, &min, &rev);
	fprintf(f, "docket %s\n", DOCKET_VERSION_STRING);
	fprintf(f, "libgit2 %d.%d.%d\n", maj, min, rev);
	fprintf(f, "libxml2 %ld.%ld.%ld\n", xml / 10000, xml / 100 % 100, xml % 100);
	fprintf(f, "%s\n", OpenSSL_version(OPENSSL_VERSION));
}

/* --- docket help, docket version ----------------------------------------------------- */

typedef struct {
	const char *command;
} help_args;

static int run_help(cli_ctx *ctx, void *args)
{
	help_args *a = args;
	const cli_command *c;

	if (!a->command) {
		cli_main_help(stdout);
	} else if (!(c = cli_find_command(a->command))) {
		return cli_unknown_command(a->command);
	} else {
		cli_help(stdout, c);
	}
	return cli_finish(EXIT_OK);
}

static const cli_positional help_pos[] = {
	CLI_POS(help_args, command, "COMMAND", CLI_POS_OPTIONAL), CLI_POS_END
};

const cli_command cli_cmd_help = {
	"help", run_help, 0, "show help for docket or a command", sizeof(help_args), NULL, help_pos,
	"Show the list of commands, or the help of COMMAND (the same as 'docket COMMAND --help').\n",
	"docket help\n"
	"docket help submit",
	"0 shown; 2 no such command.", NULL
};

typedef struct {
	int unused;
} version_args;

static int run_version(cli_ctx *ctx, void *args)
{
	cli_print_version(stdout);
	return cli_finish(EXIT_OK);
}

const cli_command cli_cmd_version = {
	"version", run_version, 0, "print the version of docket and of its libraries",
	sizeof(version_args), NULL, NULL,
	"Print 'docket VERSION', then the versions of libgit2, libxml2 and OpenSSL in use, one a\n"
	"line (the same as 'docket --version').\n",
	"docket version",
	"0 printed; 2 usage.", NULL
};

/* --- dispatch ----------------------------------------------------------------------- */

static int is_help(const char *a)
{
	return strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0;
}

/* Run CMD (or its subcommand) on ARGV[I..): parse, open what it needs, run, free. */
static int dispatch(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, int i)
{
	const cli_command *c = cmd;
	char name[128];
	void *args;
	int code, error, flags = cmd->flags;

	ctx->cmd = cmd;
	ctx->name = cmd->name;
	if (cmd->subs) {
		const cli_command *s;
		int r;
		/* global options may come between the command and its subcommand */
		for (; i < argc; i++) {
			if ((r = cli_global_option(ctx, argc, argv, &i)) < 0)
				return EXIT_USAGE;
			if (r == 0)
				break;
		}
		if (i >= argc) {
			cli_usage(stderr, cmd, NULL);
			return EXIT_USAGE;
		}
		if (is_help(argv[i])) {
			cli_help(stdout, cmd);
			return cli_finish(EXIT_OK);
		}
		for (s = cmd->subs; s->name; s++)
			if (strcmp(s->name, argv[i]) == 0)
				break;
		if (!s->name) {
			const char *names[16];
			size_t n = 0;
			fprintf(stderr, "docket %s: unknown subcommand '%s'\n", cmd->name, argv[i]);
			for (s = cmd->subs; s->name && n < 15; s++)
				names[n++] = s->name;
			names[n] = NULL;
			cli_suggest(argv[i], names, "subcommand", "");
			cli_usage(stderr, cmd, NULL);
			return EXIT_USAGE;
		}
		snprintf(name, sizeof(name), "%s %s", cmd->name, s->name);
		ctx->sub = c = s;
		ctx->name = name;
		flags |= s->flags;
		i++;
	}
	if (!(args = calloc(1, c->args_size ? c->args_size : 1)))
		return cli_fail(DOCKET_ERROR, "out of memory");
	if ((code = cli_parse(ctx, c, argc - i, argv + i, args)) >= 0)
		goto done;
	if (docket_global_init() < 0) {
		code = cli_fail_last(DOCKET_ERROR, "cannot start");
		goto done;
	}
	if (flags & (CMD_NEEDS_REPO | CMD_WANTS_REPO)) {
		if ((error = cli_open_repo(&ctx->repo, ctx)) < 0) {
			if (flags & CMD_NEEDS_REPO) {
				code = cli_fail_last(error, NULL);
				goto shutdown;
			}
			ctx->repo_error = error;
			ctx->repo_message = strdup(docket_error_last());
			docket_error_clear();
		}
	}
	if ((flags & CMD_SIGNS) && (code = cli_load_key(&ctx->key, ctx)) != 0)
		goto shutdown;
	if (ctx->key && ctx->repo)
		docket_repo_set_commit_signer(ctx->repo, docket_sshsig_commit_signer, ctx->key);
	code = c->run(ctx, args);
shutdown:
	docket_repo_free(ctx->repo);
	docket_key_free(ctx->key);
	free(ctx->repo_message);
	docket_global_shutdown();
done:
	cli_parse_free(c, args);
	free(args);
	return code;
}

/* The library's notices, as messages of this command (the library never prints). */
static void print_notice(const char *message, void *payload)
{
	(void)payload;
	fprintf(stderr, "docket: %s\n", message);
}

int main(int argc, char **argv)
{
	cli_ctx ctx;
	const cli_command *cmd;
	int i, r;

	memset(&ctx, 0, sizeof(ctx));
	ctx.actor = getenv("DOCKET_ACTOR");
	docket_notice_set(print_notice, NULL);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		if ((r = cli_global_option(&ctx, argc, argv, &i)) < 0)
			return EXIT_USAGE;
		if (r > 0)
			continue;
		if (is_help(a)) {
			cli_main_help(stdout);
			return cli_finish(EXIT_OK);
		} else if (strcmp(a, "--version") == 0) {
			cli_print_version(stdout);
			return cli_finish(EXIT_OK);
		} else if (strcmp(a, "--generate-man") == 0) {
			return cli_finish(cli_generate_man(stdout));
		} else if (strcmp(a, "--generate-bash-completion") == 0) {
			return cli_finish(cli_generate_bash_completion(stdout));
		} else if (a[0] == '-') {
			fprintf(stderr, "docket: unknown option '%s'\n", a);
			cli_main_help(stderr);
			return EXIT_USAGE;
		} else {
			break;
		}
	}
	if (i >= argc) {
		cli_main_help(stderr);
		return EXIT_USAGE;
	}
	if (!(cmd = cli_find_command(argv[i])))
		return cli_unknown_command(argv[i]);
	return dispatch(&ctx, cmd, argc, argv, i + 1);
}
