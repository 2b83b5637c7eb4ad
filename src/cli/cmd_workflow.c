/* docket submit / review / approve / issue / return / transition / commit / status. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

#define TRANSITION_HELP \
	"Check the workflow in force, the acting person's role and unit, separation of duties,\n" \
	"the reason when the workflow requires one, and that the document validates; then append\n" \
	"a workflow step and write exactly one commit whose message ends with the trailers\n" \
	"Docket-Document, Docket-Transition, Docket-From, Docket-To, Docket-Actor.\n" \
	"The acting person comes from --as PERSON (before the command) or $DOCKET_ACTOR.\n" \
	"\n" \
	"  -m, --message MSG   the reason or comment recorded in the step and the commit\n" \
	"\n" \
	"Exit status: 0 done; 1 refused (wrong state, role or unit, same person on both sides\n" \
	"of a separated duty, missing reason, invalid document, document changed meanwhile);\n" \
	"2 usage; 3 other errors.\n"

const char usage_submit[] = "usage: docket [--as PERSON] submit DOC [-m MESSAGE]\n\nTake the 'submit' transition.\n" TRANSITION_HELP;
const char usage_review[] = "usage: docket [--as PERSON] review DOC [-m MESSAGE]\n\nTake the 'review' transition (head of the drafting unit checks the content).\n" TRANSITION_HELP;
const char usage_approve[] = "usage: docket [--as PERSON] approve DOC [-m MESSAGE]\n\nTake the 'approve' transition (the competent person approves).\n" TRANSITION_HELP;
const char usage_issue[] = "usage: docket [--as PERSON] issue DOC [-m MESSAGE]\n\nTake the 'issue' transition: the records clerk assigns the next number of the\nissuer's register for the year (01, 02, ...) and the date, in the same commit.\n" TRANSITION_HELP;
const char usage_return[] = "usage: docket [--as PERSON] return DOC -m REASON\n\nSend the document back to draft; the reason is required.\n" TRANSITION_HELP;
const char usage_transition[] = "usage: docket [--as PERSON] transition DOC NAME [-m MESSAGE]\n\nTake the transition NAME of the document's workflow (any workflow, including a\nrepository's own).\n" TRANSITION_HELP;

const char usage_commit[] =
	"usage: docket [--as PERSON] commit DOC -m MESSAGE\n"
	"\n"
	"Record the edits made to DOC's file in the work tree (with any editor) as one commit.\n"
	"Allowed only while the document is in an editable state (draft), by a drafter or reviewer\n"
	"of its drafting unit; the edited document must validate, and its workflow steps, state\n"
	"and signatures must be unchanged.\n"
	"\n"
	"Exit status: 0 committed; 1 refused (state not editable, invalid, not allowed);\n"
	"2 usage; 3 other errors.\n";

const char usage_status[] =
	"usage: docket [--as PERSON] status [DOC] [--json]\n"
	"       docket status --plan PLAN --year YEAR [--json]\n"
	"\n"
	"With DOC: its state, its last step, and the transitions the acting person may take now.\n"
	"Without: every document of the repository with its kind, state, drafting unit and number,\n"
	"then the count of documents in each state.\n"
	"With --plan and --year: per unit expected to report on PLAN for YEAR, where its report\n"
	"stands: not-started, drafting, returned, overdue (its task's due date passed before it\n"
	"was submitted), submitted, in-review, approved.\n"
	"\n"
	"Exit status: 0 shown; 1 the document or its workflow definition is not valid; 2 usage;\n"
	"3 other errors.\n";

static int run_transition(cli_globals *g, const char *doc, const char *name, const char *message)
{
	docket_repo *repo = NULL;
	docket_action a = { doc, name, g->actor, message, NULL, NULL };
	docket_action_result res;
	docket_key *key = NULL;
	int code, error;

	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if ((code = cli_load_key(&key, g)) != 0) {
		docket_repo_free(repo);
		return code;
	}
	a.key = key;
	error = docket_action_run(&res, repo, &a);
	docket_key_free(key);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings)) {
		for (size_t i = 0; i < docket_findings_count(res.findings); i++) {
			const docket_finding *f = docket_findings_get(res.findings, i);
			fprintf(stderr, "%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
		}
	}
	if (error < 0) {
		code = cli_fail_last(error, NULL);
	} else {
		printf("%s: %s -> %s", res.id, res.from, res.to);
		if (res.number)
			printf(", number %s", res.number);
		printf(" [%.12s]\n", res.commit);
		code = EXIT_OK;
	}
	docket_action_result_free(&res);
	docket_repo_free(repo);
	return cli_finish(code);
}

static int transition_cmd(int argc, char **argv, cli_globals *g, const char *fixed)
{
	const cli_command *cmd = cli_find_command(argv[0]);
	const char *pos[2], *message = NULL;
	const cli_opt opts[] = { { "message", 'm', 1, &message, NULL }, { NULL, 0, 0, NULL, NULL } };
	int npos, r, want = fixed ? 1 : 2;

	if ((r = cli_parse(argc, argv, opts, pos, want, &npos, cmd)) >= 0)
		return r;
	if (npos != want) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	return run_transition(g, pos[0], fixed ? fixed : pos[1], message);
}

int cmd_submit(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, "submit"); }
int cmd_review(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, "review"); }
int cmd_approve(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, "approve"); }
int cmd_issue(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, "issue"); }
int cmd_return(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, "return"); }
int cmd_transition(int argc, char **argv, cli_globals *g) { return transition_cmd(argc, argv, g, NULL); }

int cmd_commit(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("commit");
	const char *pos[1], *message = NULL;
	const cli_opt opts[] = { { "message", 'm', 1, &message, NULL }, { NULL, 0, 0, NULL, NULL } };
	docket_repo *repo = NULL;
	docket_action_result res;
	int npos, r, code, error;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		return r;
	if (npos != 1 || !message || !*message) {
		fprintf(stderr, "docket commit: give DOC and -m MESSAGE\n");
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	error = docket_edit_commit(&res, repo, pos[0], g->actor, message);
	if (error == DOCKET_EINVALID && res.findings) {
		for (size_t i = 0; i < docket_findings_count(res.findings); i++) {
			const docket_finding *f = docket_findings_get(res.findings, i);
			fprintf(stderr, "%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
		}
	}
	if (error < 0)
		code = cli_fail_last(error, NULL);
	else
		printf("%s: edit recorded in state %s [%.12s]\n", res.id, res.to, res.commit);
	docket_action_result_free(&res);
	docket_repo_free(repo);
	return cli_finish(code);
}


static int status_one(docket_repo *repo, cli_globals *g, const char *id, int json)
{
	const char **avail = NULL;
	char *state = NULL;
	docket_doc *doc = NULL;
	docket_doc_summary sum;
	int error, code = EXIT_OK;
	size_t i;

	memset(&sum, 0, sizeof(sum));
	if ((error = docket_doc_load(&doc, repo, id, NULL)) < 0 ||
	    (error = docket_action_available(&avail, &state, repo, id, g->actor)) < 0) {
		code = cli_fail(error, "cannot read '%s': %s", id, docket_error_last());
		goto cleanup;
	}
	docket_doc_summarize(&sum, doc);
	if (json) {
		printf("{\"id\": ");
		cli_json_str(docket_doc_id(doc));
		printf(", \"kind\": ");
		cli_json_str(docket_doc_kind(doc));
		printf(", \"state\": ");
		cli_json_str(state);
		printf(", \"number\": ");
		cli_json_str(sum.number);
		printf(", \"last_step\": ");
		if (sum.last_transition) {
			printf("{\"date\": ");
			cli_json_str(sum.last_date);
			printf(", \"actor\": ");
			cli_json_str(sum.last_actor);
			printf(", \"role\": ");
			cli_json_str(sum.last_role);
			printf(", \"transition\": ");
			cli_json_str(sum.last_transition);
			printf("}");
		} else {
			printf("null");
		}
		printf(", \"actor\": ");
		if (g->actor)
			cli_json_str(g->actor);
		else
			printf("null");
		printf(", \"may\": [");
		for (i = 0; avail[i]; i++) {
			printf("%s", i ? ", " : "");
			cli_json_str(avail[i]);
		}
		printf("]}\n");
	} else {
		printf("document:  %s (%s)\n", docket_doc_id(doc), docket_doc_kind(doc));
		printf("state:     %s\n", state);
		if (sum.number && *sum.number)
			printf("number:    %s\n", sum.number);
		if (sum.last_transition)
			printf("last step: %s %s by %s (%s)\n", sum.last_date, sum.last_transition, sum.last_actor,
			       sum.last_role);
		else
			printf("last step: none\n");
		if (!g->actor)
			printf("next:      say who you are (--as PERSON) to see what you may do\n");
		else if (!avail[0])
			printf("next:      %s may take no transition now\n", g->actor);
		else {
			printf("next:      %s may", g->actor);
			for (i = 0; avail[i]; i++)
				printf("%s %s", i ? "," : "", avail[i]);
			printf("\n");
		}
	}
cleanup:
	for (i = 0; avail && avail[i]; i++)
		free((char *)avail[i]);
	free(avail);
	free(state);
	docket_doc_summary_free(&sum);
	docket_doc_free(doc);
	return code;
}

typedef struct {
	docket_repo *repo;
	int json;
	size_t n;
	char **states;
	size_t *counts;
	size_t nstates;
} status_all_state;

static int status_row(const char *path, void *payload)
{
	status_all_state *st = payload;
	docket_doc *doc = NULL;
	docket_doc_summary sum;
	char *buf = NULL, *unit = NULL;
	const char *state;
	size_t len = 0, i;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml"))
		return 0;
	memset(&sum, 0, sizeof(sum));
	if (docket_repo_read(&buf, &len, st->repo, NULL, path) < 0 ||
	    docket_doc_parse(&doc, buf, len, path) < 0) {
		fprintf(stderr, "docket: %s\n", docket_error_last());
		free(buf);
		return 0;
	}
	docket_doc_summarize(&sum, doc);
	state = docket_doc_state(doc) ? docket_doc_state(doc) : "draft";
	unit = docket_doc_drafting_unit(doc);
	if (st->json) {
		printf("%s{\"id\": ", st->n ? ",\n " : "");
		cli_json_str(docket_doc_id(doc));
		printf(", \"kind\": ");
		cli_json_str(docket_doc_kind(doc));
		printf(", \"state\": ");
		cli_json_str(state);
		printf(", \"unit\": ");
		cli_json_str(unit);
		printf(", \"number\": ");
		cli_json_str(sum.number);
		printf(", \"path\": ");
		cli_json_str(path);
		printf("}");
	} else {
		if (st->n == 0)
			printf("%-24s %-7s %-10s %-10s %-16s %s\n", "ID", "KIND", "STATE", "UNIT", "NUMBER", "PATH");
		cli_pad(stdout, docket_doc_id(doc), 24);
		cli_pad(stdout, docket_doc_kind(doc), 7);
		cli_pad(stdout, state, 10);
		cli_pad(stdout, unit ? unit : "-", 10);
		cli_pad(stdout, sum.number && *sum.number ? sum.number : "-", 16);
		printf("%s\n", path);
	}
	st->n++;
	for (i = 0; i < st->nstates; i++)
		if (strcmp(st->states[i], state) == 0)
			break;
	if (i == st->nstates) {
		st->states = realloc(st->states, (st->nstates + 1) * sizeof(char *));
		st->counts = realloc(st->counts, (st->nstates + 1) * sizeof(size_t));
		st->states[i] = strdup(state);
		st->counts[i] = 0;
		st->nstates++;
	}
	st->counts[i]++;
	free(unit);
	free(buf);
	docket_doc_summary_free(&sum);
	docket_doc_free(doc);
	return 0;
}

int cmd_status(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("status");
	const char *pos[1];
	int json = 0, npos, r, code, error;
	/* --- drafting (cmd_new.c): status --plan PLAN --year YEAR --- */
	const char *plan = NULL, *year = NULL;
	const cli_opt opts[] = { { "json", 0, 0, NULL, &json }, { "plan", 0, 1, &plan, NULL },
	                         { "year", 0, 1, &year, NULL }, { NULL, 0, 0, NULL, NULL } };
	/* --- end drafting --- */
	docket_repo *repo = NULL;
	status_all_state st;
	size_t i;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		return r;
	/* --- drafting --- */
	if (plan || year) {
		if (npos) {
			fprintf(stderr, "docket status: DOC and --plan do not go together\n");
			return EXIT_USAGE;
		}
		return cmd_status_plan(g, plan, year, json);
	}
	/* --- end drafting --- */
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if (npos == 1) {
		code = status_one(repo, g, pos[0], json);
		docket_repo_free(repo);
		return cli_finish(code);
	}
	memset(&st, 0, sizeof(st));
	st.repo = repo;
	st.json = json;
	if (json)
		printf("[");
	error = docket_repo_walk(repo, NULL, "documents/", status_row, &st);
	if (json)
		printf("]\n");
	if (error < 0)
		code = cli_fail_last(error, NULL);
	else if (!json) {
		if (st.n == 0)
			printf("no documents\n");
		else {
			printf("\n%zu document%s:", st.n, st.n == 1 ? "" : "s");
			for (i = 0; i < st.nstates; i++)
				printf("%s %zu %s", i ? "," : "", st.counts[i], st.states[i]);
			printf("\n");
		}
	}
	for (i = 0; i < st.nstates; i++)
		free(st.states[i]);
	free(st.states);
	free(st.counts);
	docket_repo_free(repo);
	return cli_finish(code);
}
