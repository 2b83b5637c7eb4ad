/*
 * help: usage lines and help texts generated from the command tables, and "did you mean"
 * for a mistyped command or option (the idea of git's help.c, with our own distance).
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define WIDTH 90

/* The usage token of one option: [--rev REV], --name NAME, [--set NAME=VALUE]..., [--json]. */
static void option_token(char *out, size_t size, const cli_option *o)
{
	char names[80];

	if (o->short_name)   /* like git: the short form in the usage, both in the options */
		snprintf(names, sizeof(names), "-%c", o->short_name);
	else
		snprintf(names, sizeof(names), "--%s", o->name);
	if (o->kind == CLI_FLAG)
		snprintf(out, size, "[%s]", names);
	else if (o->flags & CLI_REQUIRED)
		snprintf(out, size, "%s %s", names, o->value);
	else
		snprintf(out, size, "[%s %s]%s", names, o->value, o->kind == CLI_LIST ? "..." : "");
}

void cli_option_label(char *out, size_t size, const cli_option *o)
{
	if (o->short_name && o->value)
		snprintf(out, size, "-%c, --%s %s", o->short_name, o->name, o->value);
	else if (o->short_name)
		snprintf(out, size, "-%c, --%s", o->short_name, o->name);
	else if (o->value)
		snprintf(out, size, "--%s %s", o->name, o->value);
	else
		snprintf(out, size, "--%s", o->name);
}

void cli_usage_line(FILE *f, const char *name, const cli_command *c, size_t indent)
{
	char tok[160];
	size_t col, nopt = 0;
	const cli_positional *p;
	const cli_option *o;
	int first = 1;

	col = indent + (size_t)fprintf(f, "docket %s", name);
	indent = col + 1;
#define EMIT(s) do { \
		size_t n_ = strlen(s); \
		if (!first && col + 1 + n_ > WIDTH) { \
			fprintf(f, "\n%*s", (int)indent, ""); \
			col = indent; \
		} else { \
			fputc(' ', f); \
			col++; \
		} \
		fputs(s, f); \
		col += n_; \
		first = 0; \
	} while (0)
	for (p = c->pos; p && p->name; p++) {
		if (p->kind == CLI_POS_ONE)
			snprintf(tok, sizeof(tok), "%s", p->name);
		else if (p->kind == CLI_POS_MANY)
			snprintf(tok, sizeof(tok), "[%s...]", p->name);
		else {
			/* consecutive optional ones nest: [REV1 [REV2]] */
			nopt++;
			snprintf(tok, sizeof(tok), "[%s", p->name);
			if (!p[1].name || p[1].kind != CLI_POS_OPTIONAL) {
				for (; nopt; nopt--)
					strncat(tok, "]", sizeof(tok) - strlen(tok) - 1);
			}
		}
		EMIT(tok);
	}
	for (o = c->opts; o && o->name; o++) {
		option_token(tok, sizeof(tok), o);
		EMIT(tok);
	}
#undef EMIT
	fputc('\n', f);
}

void cli_usage(FILE *f, const cli_command *cmd, const cli_command *sub)
{
	char name[128];
	const cli_command *s;
	int first = 1;

	if (!cmd->subs) {
		fputs("usage: ", f);
		cli_usage_line(f, cmd->name, cmd, 7);
		return;
	}
	for (s = cmd->subs; s->name; s++) {
		if (sub && s != sub)
			continue;
		fputs(first ? "usage: " : "   or: ", f);
		snprintf(name, sizeof(name), "%s %s", cmd->name, s->name);
		cli_usage_line(f, name, s, 7);
		first = 0;
	}
}

/* TEXT indented by INDENT on every line. */
static void indented(FILE *f, const char *text, int indent)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		if (n)
			fprintf(f, "%*s%.*s", indent, "", (int)n, text);
		fputc('\n', f);
		text += n;
		if (*text)
			text++;
	}
}

/* The display width of the N bytes at S (UTF-8: continuation bytes take no column). */
static size_t columns(const char *s, size_t n)
{
	size_t cols = 0, i;
	for (i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xC0) != 0x80;
	return cols;
}

/*
 * TEXT (its line breaks taken as spaces) wrapped at WIDTH columns, the cursor at column COL;
 * continuation lines are indented by INDENT.
 */
static void wrap(FILE *f, const char *text, size_t col, size_t indent)
{
	int first = 1;

	while (*text) {
		size_t n, w;
		text += strspn(text, " \n");
		n = strcspn(text, " \n");
		if (!n)
			break;
		w = columns(text, n);
		if (!first && col + 1 + w > WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (!first) {
			fputc(' ', f);
			col++;
		}
		fprintf(f, "%.*s", (int)n, text);
		col += w;
		text += n;
		first = 0;
	}
	fputc('\n', f);
}

static void options_help(FILE *f, const cli_option *opts)
{
	char label[160];
	const cli_option *o;

	for (o = opts; o && o->name; o++) {
		cli_option_label(label, sizeof(label), o);
		if (strlen(label) > 22)
			fprintf(f, "  %s\n%25s", label, "");
		else
			fprintf(f, "  %-22s ", label);
		wrap(f, o->help, 25, 25);
	}
}

void cli_help(FILE *f, const cli_command *cmd)
{
	const cli_command *s;

	cli_usage(f, cmd, NULL);
	fputc('\n', f);
	fputs(cmd->description, f);
	if (cmd->subs) {
		for (s = cmd->subs; s->name; s++) {
			if (!s->opts || !s->opts->name)
				continue;
			fprintf(f, "\nOptions of '%s %s':\n", cmd->name, s->name);
			options_help(f, s->opts);
		}
		fputs("\nOptions:\n", f);
	} else {
		fputs("\nOptions:\n", f);
		options_help(f, cmd->opts);
	}
	fprintf(f, "  %-22s %s\n", "-h, --help", "show this help");
	fputs("Global options, before or after the command: -C DIR, --as PERSON (see 'docket help').\n", f);
	if (cmd->examples) {
		fputs("\nExamples:\n", f);
		indented(f, cmd->examples, 2);
	}
	fputs("\nExit status: ", f);
	wrap(f, cmd->exit_status, 13, 0);
}

void cli_main_help(FILE *f)
{
	const cli_command *const *c;

	fputs("usage: docket [-C DIR] [--as PERSON] COMMAND [ARGS]\n"
	      "       docket --version | --help\n"
	      "\n"
	      "docket keeps official documents (plans, reports, task assignments) as XML files in a\n"
	      "git repository, validates them and records every action as one commit.\n"
	      "\n"
	      "Global options (before or after the command):\n"
	      "  -C DIR         run as if started in DIR (a work tree or a bare repository)\n"
	      "  --as PERSON    act as PERSON (default: $DOCKET_ACTOR)\n"
	      "  -h, --help     show this help\n"
	      "  --version      print the version of docket and of its libraries\n"
	      "\n"
	      "Commands:\n", f);
	for (c = cli_commands; *c; c++)
		if (!((*c)->flags & CMD_HIDDEN))
			fprintf(f, "  %-12s %s\n", (*c)->name, (*c)->summary);
	fputs("\n"
	      "Exit status: 0 success; 1 the check failed or the action was refused (invalid\n"
	      "document, findings, wrong state or role); 2 usage error; 3 any other error\n"
	      "(I/O, repository, internal).\n"
	      "\n"
	      "Run 'docket help COMMAND' or 'docket COMMAND -h' for a command's options.\n", f);
}

/*
 * The optimal string alignment distance (Damerau-Levenshtein where a transposed pair is one
 * edit and no substring is edited twice): insertions, deletions, substitutions and
 * transpositions of adjacent characters each cost 1.
 */
size_t cli_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i, j, d;
	size_t *prev2, *prev, *cur, *row;

	if (!(row = calloc(3 * (lb + 1), sizeof(*row))))
		return (size_t)-1;
	prev2 = row;
	prev = row + lb + 1;
	cur = row + 2 * (lb + 1);
	for (j = 0; j <= lb; j++)
		prev[j] = j;
	for (i = 1; i <= la; i++) {
		size_t *t;
		cur[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			d = prev[j] + 1;                          /* deletion */
			if (cur[j - 1] + 1 < d)
				d = cur[j - 1] + 1;                   /* insertion */
			if (prev[j - 1] + cost < d)
				d = prev[j - 1] + cost;               /* substitution */
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && prev2[j - 2] + 1 < d)
				d = prev2[j - 2] + 1;                 /* transposition */
			cur[j] = d;
		}
		t = prev2;
		prev2 = prev;
		prev = cur;
		cur = t;
	}
	d = prev[lb];
	free(row);
	return d;
}

/* How far off a word may be and still be suggested: short words little, long ones more. */
static size_t tolerance(size_t len)
{
	return len <= 3 ? 1 : len <= 6 ? 2 : 3;
}

void cli_suggest(const char *word, const char *const *candidates, const char *what, const char *prefix)
{
	size_t best = (size_t)-1, i, n = 0, *score;

	for (i = 0; candidates[i]; i++)
		n++;
	if (!n || !(score = calloc(n, sizeof(*score))))
		return;
	for (i = 0; i < n; i++) {
		/* a prefix of a command ("stat") is as good as a typo-free match */
		if (*word && strncmp(candidates[i], word, strlen(word)) == 0)
			score[i] = 0;
		else
			score[i] = cli_edit_distance(word, candidates[i]);
		if (score[i] < best)
			best = score[i];
	}
	if (best <= tolerance(strlen(word))) {
		size_t k = 0;
		for (i = 0; i < n; i++)
			k += score[i] == best;
		fprintf(stderr, "\nThe most similar %s%s\n", what, k == 1 ? " is" : "s are");
		for (i = 0; i < n; i++)
			if (score[i] == best)
				fprintf(stderr, "\t%s%s\n", prefix, candidates[i]);
	}
	free(score);
}

int cli_unknown_command(const char *name)
{
	const char *names[64];
	size_t n = 0;
	const cli_command *const *c;

	fprintf(stderr, "docket: '%s' is not a docket command; see 'docket help'\n", name);
	for (c = cli_commands; *c && n < 63; c++)
		if (!((*c)->flags & CMD_HIDDEN))
			names[n++] = (*c)->name;
	names[n] = NULL;
	cli_suggest(name, names, "command", "");
	return EXIT_USAGE;
}
