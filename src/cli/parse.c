/*
 * parse: the arguments of a command against its option table and positional arguments.
 * --opt=value, --opt value, -m value and -mvalue; "--" ends the options; -h/--help prints the
 * generated help; the global options -C DIR and --as PERSON are taken anywhere before "--".
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_global_option(cli_ctx *ctx, int argc, char **argv, int *i)
{
	const char *a = argv[*i];

	if (strcmp(a, "-C") == 0) {
		if (*i + 1 >= argc) {
			fputs("docket: option '-C' needs a directory\n", stderr);
			return -1;
		}
		ctx->dir = argv[++*i];
		return 1;
	}
	if (strncmp(a, "-C", 2) == 0) {
		ctx->dir = a + 2;
		return 1;
	}
	if (strcmp(a, "--as") == 0) {
		if (*i + 1 >= argc) {
			fputs("docket: option '--as' needs a person id\n", stderr);
			return -1;
		}
		ctx->actor = argv[++*i];
		return 1;
	}
	if (strncmp(a, "--as=", 5) == 0) {
		ctx->actor = a + 5;
		return 1;
	}
	return 0;
}

static const cli_option *find_long(const cli_option *opts, const char *name, size_t n)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == n && strncmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

static const cli_option *find_short(const cli_option *opts, char c)
{
	for (; opts && opts->name; opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

static int list_add(cli_list *l, const char *s)
{
	const char **v = realloc(l->v, (l->n + 2) * sizeof(*v));
	if (!v)
		return -1;
	v[l->n++] = s;
	v[l->n] = NULL;
	l->v = v;
	return 0;
}

/* An unknown option: say so, name the closest options of the command, show its usage. */
static int unknown_option(cli_ctx *ctx, const cli_command *cmd, const char *arg)
{
	fprintf(stderr, "docket %s: unknown option '%s'\n", ctx->name, arg);
	if (arg[0] == '-' && arg[1] == '-' && cmd->opts) {
		const char *names[64];
		size_t n = 0;
		const cli_option *o;
		char word[128];
		snprintf(word, sizeof(word), "%.*s", (int)strcspn(arg + 2, "="), arg + 2);
		for (o = cmd->opts; o->name && n < 62; o++)
			names[n++] = o->name;
		names[n++] = "help";
		names[n] = NULL;
		cli_suggest(word, names, "option", "--");
	}
	cli_usage(stderr, ctx->cmd, ctx->sub);
	return EXIT_USAGE;
}

int cli_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, void *args)
{
	const char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	const cli_positional *p;
	const cli_option *o;
	int i, npos = 0, only_pos = 0, k, r, code = -1;
	char *base = args;

	if (!pos)
		return cli_fail(DOCKET_ERROR, "out of memory");
	for (i = 0; i < argc; i++) {
		const char *a = argv[i], *val = NULL;
		char optname[160];

		if (only_pos || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = a;
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			cli_help(stdout, ctx->cmd);
			code = cli_finish(EXIT_OK);
			goto done;
		}
		if ((r = cli_global_option(ctx, argc, argv, &i)) != 0) {
			if (r < 0) {
				code = EXIT_USAGE;
				goto done;
			}
			continue;
		}
		if (a[1] == '-') {
			size_t n = strcspn(a + 2, "=");
			if (!(o = find_long(cmd->opts, a + 2, n))) {
				code = unknown_option(ctx, cmd, a);
				goto done;
			}
			if (a[2 + n] == '=')
				val = a + 3 + n;
			snprintf(optname, sizeof(optname), "--%s", o->name);
		} else {
			if (!(o = find_short(cmd->opts, a[1]))) {
				code = unknown_option(ctx, cmd, a);
				goto done;
			}
			if (a[2]) {
				if (o->kind == CLI_FLAG) {
					code = unknown_option(ctx, cmd, a);
					goto done;
				}
				val = a + 2;   /* -mvalue */
			}
			snprintf(optname, sizeof(optname), "-%c", o->short_name);
		}
		if (o->kind == CLI_FLAG) {
			if (val) {
				fprintf(stderr, "docket %s: option '%s' takes no value\n", ctx->name, optname);
				code = EXIT_USAGE;
				goto done;
			}
			*(int *)(base + o->offset) = 1;
			continue;
		}
		if (!val) {
			if (i + 1 >= argc) {
				fprintf(stderr, "docket %s: option '%s' needs a value\n", ctx->name, optname);
				code = EXIT_USAGE;
				goto done;
			}
			val = argv[++i];
		}
		if (o->kind == CLI_STRING)
			*(const char **)(base + o->offset) = val;
		else if (list_add((cli_list *)(base + o->offset), val) < 0) {
			code = cli_fail(DOCKET_ERROR, "out of memory");
			goto done;
		}
	}

	/* the positional arguments, in the order of the table */
	k = 0;
	for (p = cmd->pos; p && p->name; p++) {
		if (p->kind == CLI_POS_MANY) {
			cli_list *l = (cli_list *)(base + p->offset);
			for (; k < npos; k++)
				if (list_add(l, pos[k]) < 0) {
					code = cli_fail(DOCKET_ERROR, "out of memory");
					goto done;
				}
			if (!l->v && list_add(l, NULL) == 0)   /* an empty list still has its NULL */
				l->n = 0;
			continue;
		}
		if (k < npos) {
			*(const char **)(base + p->offset) = pos[k++];
		} else if (p->kind == CLI_POS_ONE) {
			code = cli_usage_error(ctx, "missing %s", p->name);
			goto done;
		}
	}
	if (k < npos) {
		code = cli_usage_error(ctx, "unexpected argument '%s'", pos[k]);
		goto done;
	}
	for (o = cmd->opts; o && o->name; o++)
		if ((o->flags & CLI_REQUIRED) && !*(const char **)(base + o->offset)) {
			code = cli_usage_error(ctx, "option '--%s' is required", o->name);
			goto done;
		}
done:
	free(pos);
	return code;
}

void cli_parse_free(const cli_command *cmd, void *args)
{
	const cli_option *o;
	const cli_positional *p;
	char *base = args;

	for (o = cmd->opts; o && o->name; o++)
		if (o->kind == CLI_LIST)
			free(((cli_list *)(base + o->offset))->v);
	for (p = cmd->pos; p && p->name; p++)
		if (p->kind == CLI_POS_MANY)
			free(((cli_list *)(base + p->offset))->v);
}
