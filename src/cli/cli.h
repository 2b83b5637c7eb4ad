#ifndef DOCKET_CLI_H
#define DOCKET_CLI_H
/*
 * The docket command line: shared declarations of main.c, parse.c, help.c, generate.c,
 * common.c and cmd_*.c.
 *
 * Every command is one cli_command: its name, what it needs (a repository, a signing key),
 * a one-line summary, an option table, its positional arguments, a description, examples
 * and its exit status. The dispatcher (main.c) parses the arguments against the table into
 * the command's own argument struct, opens what the flags ask for, and calls the command's
 * run function with both. The usage line, --help, `docket help CMD`, the man page and the
 * bash completion are all generated from the same tables (help.c, generate.c), so they
 * cannot disagree with what the parser accepts.
 */
#include <stddef.h>
#include <stdio.h>
#include "docket/docket.h"

/* Exit codes, documented in `docket help` and the README. */
#define EXIT_OK 0
#define EXIT_CHECK 1   /* the check failed: invalid, refused, verification failed, findings */
#define EXIT_USAGE 2
#define EXIT_OTHER 3   /* anything else: I/O, repository, internal */

/* Strings given several times (a repeatable option, FILE...): V is NULL-terminated. */
typedef struct {
	const char **v;
	size_t n;
} cli_list;

typedef enum {
	CLI_FLAG,    /* no value: the int at offset is set to 1 */
	CLI_STRING,  /* one value: the const char * at offset (given again: the last one wins) */
	CLI_LIST     /* repeatable: every value is appended to the cli_list at offset */
} cli_kind;

#define CLI_REQUIRED 1   /* shown without brackets in the usage; missing: a usage error */

typedef struct {
	const char *name;     /* long name without "--", e.g. "rev" */
	char short_name;      /* 0 when none */
	const char *value;    /* the value's name in the usage (REV), NULL for a flag */
	const char *help;     /* one or more lines, no trailing newline */
	cli_kind kind;
	size_t offset;        /* where the value goes in the command's argument struct */
	int flags;            /* CLI_REQUIRED */
} cli_option;

#define CLI_OPT_FLAG(T, field, lname, sname, helptext) \
	{ lname, sname, NULL, helptext, CLI_FLAG, offsetof(T, field), 0 }
#define CLI_OPT_STRING(T, field, lname, sname, valname, helptext) \
	{ lname, sname, valname, helptext, CLI_STRING, offsetof(T, field), 0 }
#define CLI_OPT_REQUIRED(T, field, lname, sname, valname, helptext) \
	{ lname, sname, valname, helptext, CLI_STRING, offsetof(T, field), CLI_REQUIRED }
#define CLI_OPT_LIST(T, field, lname, sname, valname, helptext) \
	{ lname, sname, valname, helptext, CLI_LIST, offsetof(T, field), 0 }
#define CLI_OPT_END { NULL, 0, NULL, NULL, CLI_FLAG, 0, 0 }

typedef enum {
	CLI_POS_ONE,       /* exactly one: const char * */
	CLI_POS_OPTIONAL,  /* zero or one: const char * (optional ones come last, nested) */
	CLI_POS_MANY       /* zero or more: cli_list (the last one) */
} cli_pos_kind;

typedef struct {
	const char *name;     /* as shown: DOC, FILE, KIND */
	cli_pos_kind kind;
	size_t offset;
} cli_positional;

#define CLI_POS(T, field, pname, pkind) { pname, pkind, offsetof(T, field) }
#define CLI_POS_END { NULL, CLI_POS_ONE, 0 }

/* cli_command.flags */
#define CMD_NEEDS_REPO 1   /* the dispatcher opens the repository (-C DIR or .); none: exit 3 */
#define CMD_WANTS_REPO 2   /* opened when there is one; the command decides what its absence means */
#define CMD_SIGNS 4        /* the acting person's key is loaded (when there is one) and signs commits */
#define CMD_HIDDEN 8       /* not listed (the build-time generators) */

typedef struct cli_ctx cli_ctx;
typedef int (*cli_run_fn)(cli_ctx *ctx, void *args);

typedef struct cli_command {
	const char *name;
	cli_run_fn run;
	int flags;
	const char *summary;             /* one line, for `docket help` */
	size_t args_size;                /* sizeof the command's argument struct */
	const cli_option *opts;          /* NULL or ended by CLI_OPT_END */
	const cli_positional *pos;       /* NULL or ended by CLI_POS_END */
	const char *description;         /* paragraphs, wrapped at 90 columns, no usage */
	const char *examples;            /* lines "docket ...  # comment", or NULL */
	const char *exit_status;         /* "0 done; 1 ...; 2 usage; 3 other errors." */
	const struct cli_command *subs;  /* subcommands (key generate, unit add), ended by name NULL */
} cli_command;

#define CLI_CMD_END { NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, NULL, NULL, NULL }

/* What a command runs with: the global options and what the dispatcher opened for it. */
struct cli_ctx {
	const char *dir;        /* -C DIR */
	const char *actor;      /* --as PERSON, else $DOCKET_ACTOR */
	const cli_command *cmd; /* the command (for a subcommand: its parent) */
	const cli_command *sub; /* the subcommand, or NULL */
	const char *name;       /* "show", "unit add": for messages */
	docket_repo *repo;      /* CMD_NEEDS_REPO, CMD_WANTS_REPO (NULL when there is none) */
	int repo_error;         /* CMD_WANTS_REPO without a repository: the error and its message */
	char *repo_message;
	docket_key *key;        /* CMD_SIGNS: the acting person's key, NULL when none */
};

/* The command table (main.c), ended by a NULL name. */
extern const cli_command *const cli_commands[];
const cli_command *cli_find_command(const char *name);

/* The commands, one file per command or group (cmd_*.c). */
extern const cli_command cli_cmd_init, cli_cmd_add, cli_cmd_validate, cli_cmd_show, cli_cmd_status;
extern const cli_command cli_cmd_submit, cli_cmd_review, cli_cmd_approve, cli_cmd_issue;
extern const cli_command cli_cmd_return, cli_cmd_transition, cli_cmd_commit;
extern const cli_command cli_cmd_correct, cli_cmd_replace, cli_cmd_recall, cli_cmd_attach;
extern const cli_command cli_cmd_new, cli_cmd_assign, cli_cmd_aggregate;
extern const cli_command cli_cmd_log, cli_cmd_diff, cli_cmd_audit;
extern const cli_command cli_cmd_verify, cli_cmd_signers, cli_cmd_key, cli_cmd_ca, cli_cmd_enrol;
extern const cli_command cli_cmd_fill, cli_cmd_import;
extern const cli_command cli_cmd_org, cli_cmd_unit, cli_cmd_person;
extern const cli_command cli_cmd_render, cli_cmd_site;
extern const cli_command cli_cmd_serve;
extern const cli_command cli_cmd_clone, cli_cmd_pull, cli_cmd_push, cli_cmd_server, cli_cmd_hook;
extern const cli_command cli_cmd_help, cli_cmd_version;
extern const cli_command cli_cmd_migrate, cli_cmd_checkpoint;
extern const cli_command cli_cmd_export, cli_cmd_receive, cli_cmd_external;

/*
 * parse.c: parse ARGV[0..ARGC) (the arguments after the command or subcommand name) against
 * CMD's table into ARGS; the global options -C DIR and --as PERSON are taken anywhere before
 * "--" into CTX. --opt=value, --opt value, -m value, -mvalue; "--" ends the options.
 * Returns -1 when parsing succeeded, else the exit code to return at once (0 after printing
 * the help, 2 after a usage error).
 */
int cli_parse(cli_ctx *ctx, const cli_command *cmd, int argc, char **argv, void *args);
/* Free the lists cli_parse allocated in ARGS. */
void cli_parse_free(const cli_command *cmd, void *args);
/* Take a global option at ARGV[*I] into CTX: 1 taken (I advanced past its value), 0 not a
 * global option, -1 usage error (printed). */
int cli_global_option(cli_ctx *ctx, int argc, char **argv, int *i);

/* help.c: usage and help, generated from the tables. */
/* The usage line of CMD's subcommand SUB, or of CMD (all its subcommands when SUB is NULL). */
void cli_usage(FILE *f, const cli_command *cmd, const cli_command *sub);
/* One usage line "docket NAME ARGS [OPTIONS]" wrapped at 90 columns (no "usage: "). */
void cli_usage_line(FILE *f, const char *name, const cli_command *c, size_t indent);
void cli_help(FILE *f, const cli_command *cmd);           /* usage, description, options, ... */
void cli_main_help(FILE *f);                              /* `docket help` */
/* The option column of O: "-m, --message MESSAGE" (the man page and --help share it). */
void cli_option_label(char *out, size_t size, const cli_option *o);
/* "docket: 'X' is not a docket command" and the closest commands; returns EXIT_USAGE. */
int cli_unknown_command(const char *name);
/* Print the closest of the NULL-terminated CANDIDATES to WORD (each shown with PREFIX) on
 * stderr, as "The most similar WHAT is"; nothing when none is close. */
void cli_suggest(const char *word, const char *const *candidates, const char *what, const char *prefix);
/* Damerau-Levenshtein (optimal string alignment) distance of A and B. */
size_t cli_edit_distance(const char *a, const char *b);

/* generate.c: the build-time generators (hidden global options). */
int cli_generate_man(FILE *f);
int cli_generate_bash_completion(FILE *f);

/* The version line and the libraries' versions (main.c). */
void cli_print_version(FILE *f);

/* common.c */
/* Print "docket: MESSAGE" on stderr and return the exit code for CODE. */
int cli_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "docket: <context>: <last error>" and return the exit code for the last error. */
int cli_fail_last(int code, const char *context);
/* The exit code for a library error code. */
int cli_exit_code(int code);
/* Print CTX's usage on stderr after "docket NAME: MESSAGE" (when given): EXIT_USAGE. */
int cli_usage_error(cli_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Open the repository named by -C (or the current directory) with the actor's identity;
 * returns the library's error code, the message left in docket_error_last(). */
int cli_open_repo(docket_repo **out, cli_ctx *ctx);

/* Flush stdout and report a write error (git does the same): returns CODE or EXIT_OTHER. */
int cli_finish(int code);

/* Passphrases, keys. */
char *cli_passphrase(const char *prompt);
/* A new passphrase: as cli_passphrase, but asked twice on a terminal (NULL when the two
 * differ, with the error printed). */
char *cli_new_passphrase(const char *prompt);
void cli_passphrase_free(char *p);
int cli_default_key_path(char *out, size_t size, const char *person);
int cli_load_key(docket_key **out, cli_ctx *ctx);
/* The trust anchor: FLAG, else the user's own configuration; never the repository. */
const char *cli_trust_anchor(const char *flag);

/*
 * The document a command names with ARG: the file ARG when one exists on disk (as `validate`
 * reads files; REV must then be NULL), else the document with that id or repository path in
 * the repository at REV. *out is the parsed document (not made when OUT is NULL), *bytes
 * (when BYTES is not NULL) its text, malloc'd; *from_file (may be NULL) says which it was.
 * On failure prints "docket: cannot VERB 'ARG': ..." and returns the exit code; EXIT_OK else.
 */
int cli_doc_arg(docket_doc **out, char **bytes, size_t *len, int *from_file, cli_ctx *ctx,
                const char *arg, const char *rev, const char *verb);

/* Findings as FILE:LINE:COL: error: MESSAGE on stderr. */
void cli_print_findings(const docket_findings *f);
/* The units of a rollup as a JSON array (status --plan; aggregate adds "counted"). */
void cli_json_rollup_units(const docket_rollup *r, int aggregate);
/* A year 1900..2200: 0, else -1. */
int cli_parse_year(const char *s, int *out);

/* Read and parse the CSV file FILE ("-": stdin); EXIT_OK, or the exit code after printing why. */
int cli_read_csv(docket_csv **out, const char *file);

/* S as one CSV field on stdout (RFC 4180 quoting; NULL: empty), then ',' or, LAST, a newline. */
void cli_csv_field(const char *s, int last);

/* S as a JSON string on stdout (null when S is NULL). */
void cli_json_str(const char *s);

/* Print S padded with spaces to WIDTH columns (UTF-8 aware), then one space. */
void cli_pad(FILE *f, const char *s, int width);

/*
 * Progress on stderr ("docket: indexing history 2048/20002"), one line rewritten in place,
 * as a docket_progress_cb with a cli_progress_state as payload. Shown only when ON (set it
 * from --progress or stderr being a terminal, never with --json); cli_progress_end ends the
 * line.
 */
typedef struct {
	int on;
	int open;          /* a line is being rewritten */
	char what[64];
} cli_progress_state;
int cli_progress(const char *what, size_t done, size_t total, void *payload);
void cli_progress_end(cli_progress_state *st);
/*
 * Build REPO's id and reference indexes ahead of a command that reads them, counting the
 * documents read on stderr when ON (--progress or stderr a terminal, never with --json): the
 * first lookup of a fresh clone reads every document. 0 or a docket error code.
 */
int cli_lookup_progress(docket_repo *repo, int on);
/* The number of threads of --jobs N (1 to 64); NULL: 0, the library's default (the cores). */
int cli_jobs(unsigned int *out, const char *arg);

#endif
