/* docket status: the state of a document, of every document, or of the reports on a plan. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
	const char *doc, *plan, *year;
	int json, csv, overdue, progress;
} status_args;

static int status_one(docket_repo *repo, cli_ctx *g, const char *id, int json)
{
	char **avail = NULL;
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
	docket_strv_free(avail);
	docket_free(state);
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
		docket_free(buf);
		return 0;
	}
	docket_doc_summarize(&sum, doc);
	state = docket_doc_state(doc) ? docket_doc_state(doc) : "draft";
	(void)docket_doc_drafting_unit(&unit, doc); /* only fails on a NULL argument */
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
	docket_free(unit);
	docket_free(buf);
	docket_doc_summary_free(&sum);
	docket_doc_free(doc);
	return 0;
}

/* docket status --plan PLAN --year YEAR: where each unit's report on PLAN stands. */
static int status_plan(docket_repo *repo, const char *plan, int y, int json, int csv)
{
	docket_rollup res;
	size_t i, count[DOCKET_REPORT_APPROVED + 1];
	int error;

	if ((error = docket_draft_status(&res, repo, plan, y, NULL)) < 0)
		return cli_fail(error, "cannot read the reports of %d on '%s': %s", y, plan, docket_error_last());
	if (json) {
		cli_json_rollup_units(&res, 0);
		putchar('\n');
	} else if (csv) {
		fputs("unit,name,status,report,state,task,due,last_step,reason\n", stdout);
		for (i = 0; i < res.n; i++) {
			const docket_unit_report *u = &res.units[i];
			cli_csv_field(u->unit, 0);
			cli_csv_field(u->unit_name, 0);
			cli_csv_field(docket_report_status_name(u->status), 0);
			cli_csv_field(u->report, 0);
			cli_csv_field(u->state, 0);
			cli_csv_field(u->task, 0);
			cli_csv_field(u->due, 0);
			cli_csv_field(u->last_date, 0);
			cli_csv_field(u->reason, 1);
		}
	} else {
		memset(count, 0, sizeof(count));
		printf("%-12s %-11s %-22s %-10s %s\n", "UNIT", "STATUS", "REPORT", "DUE", "NAME");
		for (i = 0; i < res.n; i++) {
			const docket_unit_report *u = &res.units[i];
			cli_pad(stdout, u->unit, 12);
			cli_pad(stdout, docket_report_status_name(u->status), 11);
			cli_pad(stdout, u->report ? u->report : "-", 22);
			cli_pad(stdout, u->due ? u->due : "-", 10);
			printf("%s\n", u->unit_name ? u->unit_name : "");
			if (u->reason)
				printf("%14sreturned: %s\n", "", u->reason);
			count[u->status]++;
		}
		{
			static const docket_report_status order[] = {
				DOCKET_REPORT_APPROVED, DOCKET_REPORT_IN_REVIEW, DOCKET_REPORT_SUBMITTED,
				DOCKET_REPORT_RETURNED, DOCKET_REPORT_DRAFTING, DOCKET_REPORT_OVERDUE,
				DOCKET_REPORT_NOT_STARTED
			};
			int first = 1;
			printf("\n%zu unit%s:", res.n, res.n == 1 ? "" : "s");
			for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
				if (!count[order[i]])
					continue;
				printf("%s %zu %s", first ? "" : ",", count[order[i]], docket_report_status_name(order[i]));
				first = 0;
			}
			printf("\n");
		}
	}
	docket_rollup_free(&res);
	return EXIT_OK;
}

/* docket status --overdue: what is late, and who should act. */
static int status_overdue(docket_repo *repo, int json, int csv)
{
	docket_overdue o;
	int error;
	size_t i;

	if ((error = docket_draft_overdue(&o, repo, NULL)) < 0)
		return cli_fail(error, "cannot list what is late: %s", docket_error_last());
	if (json)
		putchar('[');
	else if (csv)
		fputs("due,unit,name,what,document,state,action,who,task\n", stdout);
	for (i = 0; i < o.n; i++) {
		const docket_late *l = &o.items[i];
		if (json) {
			printf("%s{\"due\": ", i ? ",\n " : "");
			cli_json_str(l->due);
			fputs(", \"unit\": ", stdout);
			cli_json_str(l->unit);
			fputs(", \"name\": ", stdout);
			cli_json_str(l->unit_name);
			fputs(", \"what\": ", stdout);
			cli_json_str(l->what);
			fputs(", \"document\": ", stdout);
			cli_json_str(l->doc);
			fputs(", \"state\": ", stdout);
			cli_json_str(l->state);
			fputs(", \"action\": ", stdout);
			cli_json_str(l->action);
			fputs(", \"who\": ", stdout);
			cli_json_str(l->who);
			fputs(", \"task\": ", stdout);
			cli_json_str(l->task);
			putchar('}');
		} else if (csv) {
			cli_csv_field(l->due, 0);
			cli_csv_field(l->unit, 0);
			cli_csv_field(l->unit_name, 0);
			cli_csv_field(l->what, 0);
			cli_csv_field(l->doc, 0);
			cli_csv_field(l->state, 0);
			cli_csv_field(l->action, 0);
			cli_csv_field(l->who, 0);
			cli_csv_field(l->task, 1);
		} else {
			printf("%s  %s (%s): %s %s is %s; %s: %s\n", l->due, l->unit_name ? l->unit_name : l->unit, l->unit,
			       l->what, l->doc ? l->doc : "(none)", l->state, l->action && *l->action ? l->action : "-",
			       l->who && *l->who ? l->who : "nobody may act: check the roles");
		}
	}
	if (json)
		puts("]");
	else if (!csv)
		printf("%zu late\n", o.n);
	docket_overdue_free(&o);
	return EXIT_OK;
}

/* How far main is from what was last fetched of the central repository (no network). */
static void remote_line(docket_repo *repo)
{
	size_t ahead = 0, behind = 0;

	if (docket_remote_ahead_behind(&ahead, &behind, repo, NULL) < 0) {
		docket_error_clear(); /* not a clone: nothing to say */
		return;
	}
	if (!ahead && !behind)
		printf("main:      up to date with origin/main (as last fetched)\n");
	else
		printf("main:      %zu ahead of, %zu behind origin/main (as last fetched; 'docket push', "
		       "'docket pull')\n", ahead, behind);
}

static int run_status(cli_ctx *ctx, void *args)
{
	status_args *a = args;
	docket_repo *repo = ctx->repo;
	status_all_state st;
	int code = EXIT_OK, error, y = 0;
	size_t i;

	if (a->json && a->csv)
		return cli_usage_error(ctx, "--json or --csv, not both");
	if (a->overdue) {
		if (a->doc || a->plan || a->year)
			return cli_usage_error(ctx, "--overdue lists everything late: no DOC, no --plan");
		return cli_finish(status_overdue(repo, a->json, a->csv));
	}
	if (a->plan || a->year) {
		if (a->doc)
			return cli_usage_error(ctx, "DOC and --plan do not go together");
		if (!a->plan || cli_parse_year(a->year, &y) < 0)
			return cli_usage_error(ctx, "give --plan PLAN and --year YYYY together");
		if ((error = cli_lookup_progress(repo, !a->json && (a->progress || isatty(2)))) < 0)
			return cli_fail(error, "cannot read the reports of %d on '%s': %s", y, a->plan, docket_error_last());
		return cli_finish(status_plan(repo, a->plan, y, a->json, a->csv));
	}
	if (a->csv)
		return cli_usage_error(ctx, "--csv goes with --plan and --year, or --overdue");
	if (a->doc)
		return cli_finish(status_one(repo, ctx, a->doc, a->json));
	memset(&st, 0, sizeof(st));
	st.repo = repo;
	st.json = a->json;
	if (a->json)
		printf("[");
	error = docket_repo_walk(repo, NULL, "documents/", status_row, &st);
	if (a->json)
		printf("]\n");
	if (error < 0)
		code = cli_fail_last(error, NULL);
	else if (!a->json) {
		if (st.n == 0)
			printf("no documents\n");
		else {
			printf("\n%zu document%s:", st.n, st.n == 1 ? "" : "s");
			for (i = 0; i < st.nstates; i++)
				printf("%s %zu %s", i ? "," : "", st.counts[i], st.states[i]);
			printf("\n");
		}
		remote_line(repo);
	}
	for (i = 0; i < st.nstates; i++)
		free(st.states[i]);
	free(st.states);
	free(st.counts);
	return cli_finish(code);
}

static const cli_option status_opts[] = {
	CLI_OPT_FLAG(status_args, json, "json", 0, "print JSON: an object for DOC, else an array"),
	CLI_OPT_STRING(status_args, plan, "plan", 0, "PLAN", "with --year: the units' reports on PLAN"),
	CLI_OPT_STRING(status_args, year, "year", 0, "YEAR", "with --plan: the year of the reports"),
	CLI_OPT_FLAG(status_args, csv, "csv", 0, "with --plan or --overdue: CSV with a header row"),
	CLI_OPT_FLAG(status_args, progress, "progress", 0,
	             "with --plan: count the documents read while the reference index\n"
	             "is built, on stderr (the default when stderr is a terminal; never with --json)"),
	CLI_OPT_FLAG(status_args, overdue, "overdue", 0,
	             "what is late (tasks past their due date, their reports not approved), with the\n"
	             "unit and who should act"),
	CLI_OPT_END
};

static const cli_positional status_pos[] = {
	CLI_POS(status_args, doc, "DOC", CLI_POS_OPTIONAL), CLI_POS_END
};

const cli_command cli_cmd_status = {
	"status", run_status, CMD_NEEDS_REPO, "states of documents and what you may do next",
	sizeof(status_args), status_opts, status_pos,
	"With DOC: its state, its last step, and the transitions the acting person may take now.\n"
	"Without: every document of the repository with its kind, state, drafting unit and number,\n"
	"then the count of documents in each state, and in a clone how far main is ahead of and\n"
	"behind origin/main as last fetched (no network: 'docket pull' fetches).\n"
	"With --plan and --year: per unit expected to report on PLAN for YEAR, where its report\n"
	"stands: not-started, drafting, returned, overdue (its task's due date passed before it\n"
	"was submitted), submitted, in-review, approved.\n"
	"With --overdue: every task past its due date whose deliverable (its report) is not yet\n"
	"approved, or that has not reached its workflow's final state: the unit, the late\n"
	"document and its state, the transitions awaited and the people who may take them.\n",
	"docket status\n"
	"docket status --overdue\n"
	"docket status --plan kh-2021-354 --year 2022 --csv > tinh-hinh.csv\n"
	"docket status kh-2021-354 --as hoa\n"
	"docket status --plan kh-2021-354 --year 2022 --json",
	"0 shown; 1 the document or its workflow definition is not valid; 2 usage; 3 other errors.",
	NULL
};
