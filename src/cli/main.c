/*
 * docket: the command line. A table of commands, the global options (-C DIR, --as ID)
 * and dispatch; each command lives in its own cmd_<name>.c and is a thin layer over the
 * library. Only this directory prints to the terminal or decides exit codes.
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const cli_command commands[] = {
	{ "init", cmd_init, 0, "create a new document repository", usage_init },
	{ "add", cmd_add, CMD_NEEDS_REPO, "add an XML document to the repository", usage_add },
	{ "validate", cmd_validate, 0, "check documents against the schemas and rules", usage_validate },
	{ "show", cmd_show, CMD_NEEDS_REPO, "print a document as text or XML", usage_show },
	{ "status", cmd_status, CMD_NEEDS_REPO, "states of documents and what you may do next", usage_status },
	{ "submit", cmd_submit, CMD_NEEDS_REPO, "submit a draft", usage_submit },
	{ "review", cmd_review, CMD_NEEDS_REPO, "record the unit head's review", usage_review },
	{ "approve", cmd_approve, CMD_NEEDS_REPO, "approve (the competent person)", usage_approve },
	{ "issue", cmd_issue, CMD_NEEDS_REPO, "number, date and issue (records clerk)", usage_issue },
	{ "return", cmd_return, CMD_NEEDS_REPO, "send back to draft with a reason", usage_return },
	{ "transition", cmd_transition, CMD_NEEDS_REPO, "take any transition by name", usage_transition },
	{ "commit", cmd_commit, CMD_NEEDS_REPO, "record edits of a draft made in the work tree", usage_commit },
	{ "new", cmd_new, CMD_NEEDS_REPO, "draft a document from a template (unit plan, report...)", usage_new },
	{ "assign", cmd_assign, CMD_NEEDS_REPO, "draft the task assignments of a plan", usage_assign },
	{ "aggregate", cmd_aggregate, CMD_NEEDS_REPO, "draft the report summing the units' approved reports",
	  usage_aggregate },
	{ "log", cmd_log, CMD_NEEDS_REPO, "the timeline of a document", usage_log },
	{ "diff", cmd_diff, CMD_NEEDS_REPO, "what changed between two versions of a document", usage_diff },
	{ "audit", cmd_audit, CMD_NEEDS_REPO, "replay the history and report every finding", usage_audit },
	{ "verify", cmd_verify, CMD_NEEDS_REPO, "check every signature of a document", usage_verify },
	{ "key", cmd_key, 0, "generate a signing key and its certificate request", usage_key },
	{ "ca", cmd_ca, 0, "a small certificate authority for the organisation", usage_ca },
	{ "signers", cmd_signers, CMD_NEEDS_REPO, "print git's allowed-signers file", usage_signers },
	{ "org", cmd_org, CMD_NEEDS_REPO, "set or show the organisation", usage_org },
	{ "unit", cmd_unit, CMD_NEEDS_REPO, "add or list units", usage_unit },
	{ "person", cmd_person, CMD_NEEDS_REPO, "add or list people and their roles", usage_person },
	{ "help", cmd_help, 0, "show help for docket or a command", usage_help },
	{ NULL, NULL, 0, NULL, NULL }
};

const cli_command *cli_find_command(const char *name)
{
	const cli_command *c;
	for (c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

static void main_usage(FILE *f)
{
	const cli_command *c;

	fputs("usage: docket [-C DIR] [--as PERSON] COMMAND [ARGS]\n"
	      "\n"
	      "docket keeps official documents (plans, reports, task assignments) as XML files in a\n"
	      "git repository, validates them and records every action as one commit.\n"
	      "\n"
	      "Global options:\n"
	      "  -C DIR         run as if started in DIR (a work tree or a bare repository)\n"
	      "  --as PERSON    act as PERSON (default: $DOCKET_ACTOR)\n"
	      "  -h, --help     show this help\n"
	      "\n"
	      "Commands:\n", f);
	for (c = commands; c->name; c++)
		fprintf(f, "  %-12s %s\n", c->name, c->summary);
	fputs("\n"
	      "Exit status: 0 success; 1 the check failed or the action was refused (invalid\n"
	      "document, findings, wrong state or role); 2 usage error; 3 any other error\n"
	      "(I/O, repository, internal).\n"
	      "\n"
	      "Run 'docket help COMMAND' or 'docket COMMAND -h' for a command's options.\n", f);
}

const char usage_help[] =
	"usage: docket help [COMMAND]\n"
	"\n"
	"Show the list of commands, or the help of COMMAND.\n";

int cmd_help(int argc, char **argv, cli_globals *g)
{
	const cli_command *c;

	if (argc > 1 && strcmp(argv[1], "-h") && strcmp(argv[1], "--help")) {
		if (!(c = cli_find_command(argv[1])))
			return cli_fail(DOCKET_EUSAGE, "'%s' is not a docket command; see 'docket help'", argv[1]);
		cli_usage(stdout, c);
	} else {
		main_usage(stdout);
	}
	return cli_finish(EXIT_OK);
}

int main(int argc, char **argv)
{
	cli_globals g = { NULL, NULL, "docket" };
	const cli_command *cmd;
	int i, code;

	g.actor = getenv("DOCKET_ACTOR");
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-C") == 0) {
			if (i + 1 >= argc) {
				fputs("docket: option '-C' needs a directory\n", stderr);
				return EXIT_USAGE;
			}
			g.dir = argv[++i];
		} else if (strcmp(argv[i], "--as") == 0) {
			if (i + 1 >= argc) {
				fputs("docket: option '--as' needs a person id\n", stderr);
				return EXIT_USAGE;
			}
			g.actor = argv[++i];
		} else if (strncmp(argv[i], "--as=", 5) == 0) {
			g.actor = argv[i] + 5;
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			main_usage(stdout);
			return cli_finish(EXIT_OK);
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "docket: unknown option '%s'\n", argv[i]);
			main_usage(stderr);
			return EXIT_USAGE;
		} else {
			break;
		}
	}
	if (i >= argc) {
		main_usage(stderr);
		return EXIT_USAGE;
	}
	if (!(cmd = cli_find_command(argv[i]))) {
		fprintf(stderr, "docket: '%s' is not a docket command; see 'docket help'\n", argv[i]);
		return EXIT_USAGE;
	}
	if (docket_global_init() < 0)
		return cli_fail_last(DOCKET_ERROR, "cannot start");
	code = cmd->fn(argc - i, argv + i, &g);
	docket_global_shutdown();
	return code;
}
