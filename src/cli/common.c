/* common: option parsing, error printing and exit codes shared by every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "cli.h"

int cli_exit_code(int code)
{
	switch (code) {
	case 0:
		return EXIT_OK;
	case DOCKET_EINVALID:
	case DOCKET_EVERIFY:
	case DOCKET_EDENIED:
	case DOCKET_ECONFLICT:
	case DOCKET_EEXISTS:
		return EXIT_CHECK;
	case DOCKET_EUSAGE:
		return EXIT_USAGE;
	default:
		return EXIT_OTHER;
	}
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("docket: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_exit_code(code);
}

int cli_fail_last(int code, const char *context)
{
	if (context && *context)
		return cli_fail(code, "%s: %s", context, docket_error_last());
	return cli_fail(code, "%s", docket_error_last());
}

/*
 * Commits made while acting as a person carry that person as author and committer, so that
 * plain `git log` tells who did what too.
 */
int cli_open_repo(docket_repo **out, cli_globals *g)
{
	docket_config *cfg = NULL;
	docket_person p;
	int error = docket_repo_open(out, g->dir);

	if (error < 0)
		return cli_fail_last(error, NULL);
	if (g->actor && docket_config_load(&cfg, *out, NULL) == 0 &&
	    docket_config_person(&p, cfg, g->actor) == 0) {
		char email[256];
		if (p.email && *p.email)
			snprintf(email, sizeof(email), "%s", p.email);
		else
			snprintf(email, sizeof(email), "%s@docket.invalid", p.id);
		docket_repo_set_identity(*out, p.name, email);
	}
	docket_config_free(cfg);
	docket_error_clear();
	return 0;
}

void cli_usage(FILE *f, const cli_command *cmd)
{
	fputs(cmd->usage, f);
}

int cli_finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "docket: cannot write the output: %s\n", strerror(errno));
		return EXIT_OTHER;
	}
	return code;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t n)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == n && strncmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
	for (; opts && opts->name; opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

int cli_parse(int argc, char **argv, const cli_opt *opts, const char **pos, int maxpos,
              int *npos, const cli_command *cmd)
{
	int i, only_pos = 0;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const cli_opt *o = NULL;
		const char *val = NULL;

		if (!only_pos && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			cli_usage(stdout, cmd);
			return cli_finish(EXIT_OK);
		}
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(opts, a + 2, n);
			if (!o) {
				fprintf(stderr, "docket %s: unknown option '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
			if (eq)
				val = eq + 1;
		} else if (!only_pos && a[0] == '-' && a[1] && !a[2]) {
			o = find_short(opts, a[1]);
			if (!o) {
				fprintf(stderr, "docket %s: unknown option '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
		} else {
			if (*npos == maxpos) {
				fprintf(stderr, "docket %s: unexpected argument '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (o->takes_value) {
			if (!val) {
				if (i + 1 >= argc) {
					fprintf(stderr, "docket %s: option '%s' needs a value\n", cmd->name, a);
					return EXIT_USAGE;
				}
				val = argv[++i];
			}
			*o->value = val;
		} else {
			if (val) {
				fprintf(stderr, "docket %s: option '--%s' takes no value\n", cmd->name, o->name);
				return EXIT_USAGE;
			}
			*o->flag = 1;
		}
	}
	return -1;
}

void cli_pad(FILE *f, const char *s, int width)
{
	int cols = 0;
	const unsigned char *p;

	if (!s)
		s = "";
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			cols++;
	fputs(s, f);
	for (; cols < width; cols++)
		fputc(' ', f);
	fputc(' ', f);
}
