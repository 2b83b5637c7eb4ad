#ifndef DOCKET_CLI_H
#define DOCKET_CLI_H
/* The docket command line: shared declarations of main.c, common.c and cmd_*.c. */
#include <stdio.h>
#include "docket/docket.h"

/* Exit codes, documented in `docket help` and the README. */
#define EXIT_OK 0
#define EXIT_CHECK 1   /* the check failed: invalid, refused, verification failed, findings */
#define EXIT_USAGE 2
#define EXIT_OTHER 3   /* anything else: I/O, repository, internal */

typedef struct {
	const char *dir;    /* -C DIR */
	const char *actor;  /* --as ID or DOCKET_ACTOR */
	const char *prog;
} cli_globals;

typedef int (*cli_cmd_fn)(int argc, char **argv, cli_globals *g);

#define CMD_NEEDS_REPO 1

typedef struct {
	const char *name;
	cli_cmd_fn fn;
	int flags;
	const char *summary;
	const char *usage;   /* full help text */
} cli_command;

/* Option tables for cli_parse. */
typedef struct {
	const char *name;      /* long name without "--", e.g. "rev" */
	char short_name;       /* 0 when none */
	int takes_value;
	const char **value;    /* where the value goes (takes_value) */
	int *flag;             /* set to 1 when given (no value) */
} cli_opt;

/*
 * Parse ARGV (ARGV[0] is the command name) against OPTS; positional arguments are collected
 * into POS (at most MAXPOS). Returns -1 when parsing succeeded, else the exit code to
 * return at once (0 after printing help, 2 after a usage error).
 */
int cli_parse(int argc, char **argv, const cli_opt *opts, const char **pos, int maxpos,
              int *npos, const cli_command *cmd);

/* Print "docket: MESSAGE" on stderr and return the exit code for CODE. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "docket: <context>: <last error>" and return the exit code for the last error. */
int cli_fail_last(int code, const char *context);
/* The exit code for a library error code. */
int cli_exit_code(int code);

/* Open the repository named by -C (or the current directory); prints the failure. */
int cli_open_repo(docket_repo **out, cli_globals *g);

/* Print the usage of CMD to F. */
void cli_usage(FILE *f, const cli_command *cmd);

/* Flush stdout and report a write error (git does the same): returns CODE or EXIT_OTHER. */
int cli_finish(int code);

const cli_command *cli_find_command(const char *name);

/* Passphrases, keys (common.c). */
char *cli_passphrase(const char *prompt);
void cli_passphrase_free(char *p);
int cli_default_key_path(char *out, size_t size, const char *person);
int cli_load_key(docket_key **out, cli_globals *g);
int cli_open_repo_signing(docket_repo **out, docket_key **key, cli_globals *g, int want_key);
/* The trust anchor: FLAG, else the user's own configuration; never the repository. */
const char *cli_trust_anchor(const char *flag);

/* S as a JSON string on stdout (null when S is NULL). */
void cli_json_str(const char *s);

/* Print S padded with spaces to WIDTH columns (UTF-8 aware), then one space. */
void cli_pad(FILE *f, const char *s, int width);

extern const char usage_init[], usage_add[], usage_validate[], usage_show[], usage_help[];
extern const char usage_org[], usage_unit[], usage_person[], usage_status[], usage_commit[];
extern const char usage_submit[], usage_review[], usage_approve[], usage_issue[], usage_return[];
extern const char usage_transition[];
extern const char usage_log[], usage_diff[], usage_audit[];
extern const char usage_key[], usage_ca[], usage_signers[], usage_verify[];
extern const char usage_new[], usage_assign[], usage_aggregate[];

int cmd_init(int argc, char **argv, cli_globals *g);
int cmd_add(int argc, char **argv, cli_globals *g);
int cmd_validate(int argc, char **argv, cli_globals *g);
int cmd_show(int argc, char **argv, cli_globals *g);
int cmd_help(int argc, char **argv, cli_globals *g);
int cmd_org(int argc, char **argv, cli_globals *g);
int cmd_unit(int argc, char **argv, cli_globals *g);
int cmd_person(int argc, char **argv, cli_globals *g);
int cmd_status(int argc, char **argv, cli_globals *g);
int cmd_commit(int argc, char **argv, cli_globals *g);
int cmd_submit(int argc, char **argv, cli_globals *g);
int cmd_review(int argc, char **argv, cli_globals *g);
int cmd_approve(int argc, char **argv, cli_globals *g);
int cmd_issue(int argc, char **argv, cli_globals *g);
int cmd_return(int argc, char **argv, cli_globals *g);
int cmd_transition(int argc, char **argv, cli_globals *g);
int cmd_log(int argc, char **argv, cli_globals *g);
int cmd_diff(int argc, char **argv, cli_globals *g);
int cmd_audit(int argc, char **argv, cli_globals *g);
int cmd_key(int argc, char **argv, cli_globals *g);
int cmd_ca(int argc, char **argv, cli_globals *g);
int cmd_signers(int argc, char **argv, cli_globals *g);
int cmd_verify(int argc, char **argv, cli_globals *g);
int cmd_new(int argc, char **argv, cli_globals *g);
int cmd_assign(int argc, char **argv, cli_globals *g);
int cmd_aggregate(int argc, char **argv, cli_globals *g);
/* docket status --plan PLAN --year YEAR [--json] (cmd_new.c, called by cmd_status) */
int cmd_status_plan(cli_globals *g, const char *plan, const char *year, int json);

#endif
