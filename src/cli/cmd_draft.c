/* docket new / assign / aggregate: drafting documents, and the plan cascade. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

/* The options every drafting command shares. */
typedef struct {
	const char *kind, *plan, *year, *from, *to, *due;
	const char *unit, *title, *tpl, *reply_to;
	cli_list set;
	int list, json, draft, all, csv, progress;
} draft_args;

static void draft_options(docket_draft_options *o, cli_ctx *ctx, const draft_args *a)
{
	const docket_draft_options init = DOCKET_DRAFT_OPTIONS_INIT;

	*o = init;
	o->actor = ctx->actor;
	o->unit = a->unit;
	o->title = a->title;
	o->template_name = a->tpl;
	o->set = a->set.v;
	o->keep_draft = a->draft;
	o->reply_to = a->reply_to;
}

static void json_opt(const char *s)
{
	if (s)
		cli_json_str(s);
	else
		fputs("null", stdout);
}

static int list_templates(docket_repo *repo)
{
	char **names = NULL;
	int code = EXIT_OK, error;

	if ((error = docket_template_list(&names, repo, NULL)) < 0)
		code = cli_fail_last(error, "cannot list the templates");
	for (size_t i = 0; names && names[i]; i++)
		printf("%s\n", names[i]);
	docket_strv_free(names);
	return cli_finish(code);
}

static int run_new(cli_ctx *ctx, void *args)
{
	draft_args *a = args;
	docket_draft_options o;
	docket_add_result res;
	docket_repo *repo = ctx->repo;
	int code, error, y = 0;

	if (a->list)
		return a->kind ? cli_usage_error(ctx, "--list takes no KIND") : list_templates(repo);
	if (!a->kind)
		return cli_usage_error(ctx, "missing KIND");
	if (strcmp(a->kind, "unit-plan") == 0) {
		if (!a->from)
			return cli_usage_error(ctx, "unit-plan: give the plan it carries out with --from PLAN");
		if (a->plan || a->year || a->to)
			return cli_usage_error(ctx, "unit-plan: --plan, --year and --to are for reports");
	} else if (strcmp(a->kind, "report") == 0 && (a->plan || !a->tpl)) {
		if (!a->plan || cli_parse_year(a->year, &y) < 0)
			return cli_usage_error(ctx, "report: give --plan PLAN and --year YYYY");
		if (a->from)
			return cli_usage_error(ctx, "report: --from is for unit plans");
	} else if (strcmp(a->kind, "document") && strcmp(a->kind, "plan") && strcmp(a->kind, "report") &&
	           strcmp(a->kind, "task")) {
		return cli_usage_error(ctx, "'%s' is not a kind (document, plan, report, task, unit-plan)", a->kind);
	} else if (a->from || a->plan || a->year || a->to) {
		return cli_usage_error(ctx, "%s: --from, --plan, --year and --to are for unit-plan and report",
		                       a->kind);
	}
	if (a->reply_to && (strcmp(a->kind, "unit-plan") == 0 || a->plan || a->all))
		return cli_usage_error(ctx, "--reply-to drafts a plan, report or task from a template: not with "
		                       "unit-plan, --plan or --all");
	draft_options(&o, ctx, a);
	if (a->all) {
		docket_batch_result all;
		size_t i;
		if (strcmp(a->kind, "report") || !a->plan || a->unit)
			return cli_usage_error(ctx, "--all drafts the reports of every unit: 'new report --plan PLAN --year "
			                       "YEAR --all', without --unit");
		error = docket_draft_report_all(&all, repo, a->plan, y, a->to, &o);
		for (i = 0; i < all.nskipped; i++)
			fprintf(stderr, "docket: skipped '%s': %s\n", all.skipped[i].unit, all.skipped[i].reason);
		if (error == DOCKET_EINVALID)
			cli_print_findings(all.findings);
		if (error < 0)
			code = cli_fail(error, "cannot draft the reports: %s", docket_error_last());
		else {
			for (i = 0; i < all.n; i++)
				printf("%s %s\n", all.items[i].id, all.items[i].unit);
			fprintf(stderr, "%zu reports drafted in one commit [%.12s]\n", all.n, all.commit);
			code = all.nskipped ? EXIT_CHECK : EXIT_OK;
		}
		docket_batch_result_free(&all);
		return cli_finish(code);
	}
	if (strcmp(a->kind, "unit-plan") == 0)
		error = docket_draft_unit_plan(&res, repo, a->from, &o);
	else if (strcmp(a->kind, "report") == 0 && a->plan)
		error = docket_draft_report(&res, repo, a->plan, y, a->to, &o);
	else
		error = docket_draft_new(&res, repo, a->kind, &o);
	if (error == DOCKET_EINVALID)
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot draft the %s: %s", a->kind, docket_error_last());
	} else {
		printf("%s\n", res.id);
		code = EXIT_OK;
	}
	docket_add_result_free(&res);
	return cli_finish(code);
}

static int run_assign(cli_ctx *ctx, void *args)
{
	draft_args *a = args;
	docket_draft_options o;
	docket_batch_result res;
	docket_repo *repo = ctx->repo;
	const char *due = a->due;
	int code, error;
	size_t i;

	draft_options(&o, ctx, a);
	error = docket_draft_assign(&res, repo, a->plan, due, &o);
	for (i = 0; i < res.nskipped; i++)
		fprintf(stderr, "docket: skipped '%s' (section %s): %s\n", res.skipped[i].unit,
		        res.skipped[i].section ? res.skipped[i].section : "?", res.skipped[i].reason);
	if (error == DOCKET_EINVALID)
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot assign the tasks of '%s': %s", a->plan, docket_error_last());
	} else {
		for (i = 0; i < res.n; i++)
			printf("%s %s %s\n", res.items[i].id, res.items[i].unit, res.items[i].section);
		code = EXIT_OK;
	}
	docket_batch_result_free(&res);
	return cli_finish(code);
}

static int run_aggregate(cli_ctx *ctx, void *args)
{
	draft_args *a = args;
	docket_draft_options o;
	docket_rollup res;
	docket_repo *repo = ctx->repo;
	const char *plan = a->plan;
	int json = a->json, code, error, y = 0;
	size_t i;

	if (cli_parse_year(a->year, &y) < 0)
		return cli_usage_error(ctx, "give --plan PLAN and --year YYYY");
	if (json && a->csv)
		return cli_usage_error(ctx, "--json or --csv, not both");
	if ((error = cli_lookup_progress(repo, !json && (a->progress || isatty(2)))) < 0)
		return cli_fail(error, "cannot aggregate the reports of %d on '%s': %s", y, plan, docket_error_last());
	draft_options(&o, ctx, a);
	error = docket_draft_aggregate(&res, repo, plan, y, &o);
	if (error == DOCKET_EINVALID)
		cli_print_findings(res.doc.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot aggregate the reports of %d on '%s': %s", y, plan, docket_error_last());
	} else if (a->csv) {
		fprintf(stderr, "%s%s\n", res.doc.id, res.doc.commit[0] ? "" : " (unchanged)");
		fputs("indicator,name,measure,numerator,denominator,value,comparison,target,target_year,met,units,"
		      "not_applicable\n", stdout);
		for (i = 0; i < res.ntotals; i++) {
			const docket_indicator_total *t = &res.totals[i];
			char n[32], d[32], ty[16], u[32], na[32];
			int rate = strcmp(t->measure, "rate") == 0;
			snprintf(n, sizeof(n), "%llu", (unsigned long long)t->numerator);
			snprintf(d, sizeof(d), "%llu", (unsigned long long)t->denominator);
			snprintf(ty, sizeof(ty), "%d", t->target_year);
			snprintf(u, sizeof(u), "%zu", t->units);
			snprintf(na, sizeof(na), "%zu", t->na_units);
			cli_csv_field(t->indicator, 0);
			cli_csv_field(t->name, 0);
			cli_csv_field(t->measure, 0);
			cli_csv_field(rate ? n : NULL, 0);
			cli_csv_field(rate ? d : NULL, 0);
			cli_csv_field(t->value, 0);
			cli_csv_field(t->comparison, 0);
			cli_csv_field(t->target, 0);
			cli_csv_field(t->target_year ? ty : NULL, 0);
			cli_csv_field(t->met < 0 ? NULL : t->met ? "true" : "false", 0);
			cli_csv_field(u, 0);
			cli_csv_field(na, 1);
		}
		code = EXIT_OK;
	} else if (json) {
		fputs("{\"id\": ", stdout);
		cli_json_str(res.doc.id);
		printf(", \"changed\": %s", res.doc.commit[0] ? "true" : "false");
		fputs(", \"path\": ", stdout);
		cli_json_str(res.doc.path);
		fputs(", \"units\": ", stdout);
		cli_json_rollup_units(&res, 1);
		fputs(", \"indicators\": [", stdout);
		for (i = 0; i < res.ntotals; i++) {
			const docket_indicator_total *t = &res.totals[i];
			printf("%s{\"indicator\": ", i ? ",\n  " : "\n  ");
			cli_json_str(t->indicator);
			fputs(", \"measure\": ", stdout);
			cli_json_str(t->measure);
			printf(", \"numerator\": %llu, \"denominator\": %llu, \"value\": ",
			       (unsigned long long)t->numerator, (unsigned long long)t->denominator);
			json_opt(t->value);
			fputs(", \"comparison\": ", stdout);
			cli_json_str(t->comparison);
			fputs(", \"target\": ", stdout);
			json_opt(t->target);
			printf(", \"target_year\": %d, \"met\": %s, \"units\": %zu, \"not_applicable\": %zu}", t->target_year,
			       t->met < 0 ? "null" : t->met ? "true" : "false", t->units, t->na_units);
		}
		fputs(res.ntotals ? "\n]}\n" : "]}\n", stdout);
		code = EXIT_OK;
	} else {
		printf("%s\n", res.doc.id);
		if (!res.doc.commit[0])
			fprintf(stderr, "unchanged: %s says this already\n", res.doc.id);
		for (i = 0; i < res.n; i++) {
			const docket_unit_report *u = &res.units[i];
			if (u->counted)
				fprintf(stderr, "counted:      %s %s\n", u->unit, u->report);
			else if (u->report)
				fprintf(stderr, "not counted:  %s %s (state '%s')\n", u->unit, u->report, u->state);
			else
				fprintf(stderr, "not reported: %s%s%s%s\n", u->unit, u->unit_name ? " (" : "",
				        u->unit_name ? u->unit_name : "", u->unit_name ? ")" : "");
		}
		for (i = 0; i < res.ntotals; i++) {
			const docket_indicator_total *t = &res.totals[i];
			if (!t->value)
				fprintf(stderr, "indicator %s: not aggregated\n", t->indicator);
			else if (strcmp(t->measure, "rate") == 0)
				fprintf(stderr, "indicator %s: %s (%llu/%llu), target %s %s (%d): %s\n", t->indicator, t->value,
				        (unsigned long long)t->numerator, (unsigned long long)t->denominator, t->comparison,
				        t->target ? t->target : "-", t->target_year,
				        t->met < 0 ? "not judged" : t->met ? "met" : "not met");
			else
				fprintf(stderr, "indicator %s: %s, target %s %s (%d): %s\n", t->indicator, t->value,
				        t->comparison, t->target ? t->target : "-", t->target_year,
				        t->met < 0 ? "not judged" : t->met ? "met" : "not met");
		}
		code = EXIT_OK;
	}
	docket_rollup_free(&res);
	return cli_finish(code);
}

#define DRAFT_OPTIONS \
	CLI_OPT_STRING(draft_args, unit, "unit", 0, "UNIT", \
	               "the drafting unit (default: your own; for assign and aggregate: the plan's\n" \
	               "drafting unit); you need the role drafter or reviewer in it or in a unit\n" \
	               "above it"), \
	CLI_OPT_STRING(draft_args, title, "title", 0, "TEXT", "the summary (trích yếu) instead of the template's"), \
	CLI_OPT_STRING(draft_args, tpl, "template", 0, "NAME", \
	               "templates/NAME.xml of the repository instead of the default"), \
	CLI_OPT_LIST(draft_args, set, "set", 0, "NAME=VALUE", "give a template variable a value (repeatable)")

static const cli_option new_opts[] = {
	CLI_OPT_STRING(draft_args, from, "from", 0, "PLAN",
	               "unit-plan: the plan it carries out (which must be numbered): PLAN cited as\n"
	               "legal basis, its indicators with its targets as the floor, its task groups to\n"
	               "fill, the responsibilities of the unit"),
	CLI_OPT_STRING(draft_args, plan, "plan", 0, "PLAN",
	               "report: the plan reported on: a place for every indicator's figures\n"
	               "(numerator and denominator for rates), a narrative per task group"),
	CLI_OPT_STRING(draft_args, year, "year", 0, "YEAR", "report: the year reported on"),
	CLI_OPT_STRING(draft_args, to, "to", 0, "UNIT",
	               "report: the unit it is sent to, which reviews it (default: PLAN's drafting unit)"),
	CLI_OPT_FLAG(draft_args, all, "all", 0,
	             "report: every unit expected to report that has no report yet, in one commit"),
	CLI_OPT_FLAG(draft_args, list, "list", 0, "list the templates of the repository"),
	CLI_OPT_STRING(draft_args, reply_to, "reply-to", 0, "INCOMING",
	               "the incoming document this one answers: cited as a basis, its sender among\n"
	               "the recipients; its edXML export carries ResponseFor (docs/exchange.md)"),
	DRAFT_OPTIONS,
	CLI_OPT_END
};

static const cli_positional new_pos[] = {
	CLI_POS(draft_args, kind, "KIND", CLI_POS_OPTIONAL), CLI_POS_END
};

const cli_command cli_cmd_new = {
	"new", run_new, CMD_NEEDS_REPO | CMD_SIGNS, "draft a document from a template (unit plan, report...)",
	sizeof(draft_args), new_opts, new_pos,
	"Draft a new document from a template of the repository (templates/*.xml) and commit it\n"
	"as one commit; print its id. KIND is document (any type of Decree 30/2020, or a công văn),\n"
	"plan, report, task or unit-plan. The id is <prefix>-<year>-<unit>-<n> (vb document, kh\n"
	"plan, bc report, nv task; n the next free number). The\n"
	"issuing body and place come from the configuration (the school itself when the drafting\n"
	"unit is an affiliated unit), the date is today's. Default templates: document,\n"
	"department-plan, annual-report, task, unit-plan.\n"
	"\n"
	"'new unit-plan --from PLAN' drafts a unit's own plan carrying out PLAN; 'new report\n"
	"--plan PLAN --year YEAR' a unit's annual report on PLAN, with --all those of every unit\n"
	"expected to report that has none yet (the affiliated units and the plan's assignees), in\n"
	"one commit, printing 'ID UNIT' each; 'new --list' lists the templates.\n"
	"'new plan --reply-to INCOMING' drafts the answer to a document received.\n"
	"A draft may be incomplete; 'docket submit' refuses a report that is not complete.\n",
	"docket --as hoa new plan --title \"Kế hoạch ...\" --set period=2021-2025\n"
	"docket --as hieutruong new unit-plan --from kh-2021-354 --unit THCS1\n"
	"docket --as hieutruong new report --plan kh-2021-354 --year 2022 --unit THCS1\n"
	"docket --as tk new report --plan kh-2021-354 --year 2022 --all\n"
	"docket new --list",
	"0 drafted; 1 refused (invalid result, not allowed, plan not numbered); 2 usage; 3 other\n"
	"errors (no such plan or template).", NULL
};

static const cli_option assign_opts[] = {
	CLI_OPT_STRING(draft_args, due, "due", 0, "YYYY-MM-DD", "the due date (default: 15 December of this year)"),
	CLI_OPT_FLAG(draft_args, draft, "draft", 0, "leave the tasks drafts (default: send them: state assigned)"),
	DRAFT_OPTIONS,
	CLI_OPT_END
};

static const cli_positional assign_pos[] = {
	CLI_POS(draft_args, plan, "PLAN", CLI_POS_ONE), CLI_POS_END
};

const cli_command cli_cmd_assign = {
	"assign", run_assign, CMD_NEEDS_REPO | CMD_SIGNS, "make and send the task assignments of a plan",
	sizeof(draft_args), assign_opts, assign_pos,
	"Make the task assignments of PLAN's responsibilities section and send them: one task per\n"
	"unit named there, and for \"*affiliated\" one per affiliated unit of the configuration,\n"
	"each with the annual report of the plan as deliverable, the due date, the plan and section\n"
	"it comes from and the section's items as description, each taken to the state 'assigned'\n"
	"(the task workflow's 'assign', by you: the head of the assigning unit or an approver).\n"
	"All of them in ONE commit. With --draft they stay drafts for the head to send. Units the\n"
	"configuration lacks, and units that have a task from PLAN due the same year already, are\n"
	"skipped and named on stderr. Prints 'ID UNIT SECTION' per task.\n",
	"docket --as minh assign kh-2021-354 --due 2022-12-15\n"
	"docket --as hoa assign kh-2021-354 --draft",
	"0 assigned; 1 refused (nothing to assign, invalid result, not allowed); 2 usage; 3 other\n"
	"errors.", NULL
};

static const cli_option aggregate_opts[] = {
	CLI_OPT_REQUIRED(draft_args, plan, "plan", 0, "PLAN", "the plan the units reported on"),
	CLI_OPT_REQUIRED(draft_args, year, "year", 0, "YEAR", "the year of the reports"),
	CLI_OPT_FLAG(draft_args, json, "json", 0, "print the id, the units and the totals as JSON"),
	CLI_OPT_FLAG(draft_args, csv, "csv", 0, "print the totals as CSV, a row per indicator (the id on stderr)"),
	CLI_OPT_FLAG(draft_args, progress, "progress", 0,
	             "count the documents read while the reference index is built, on\n"
	             "stderr (the default when stderr is a terminal; never with --json)"),
	DRAFT_OPTIONS,
	CLI_OPT_END
};

const cli_command cli_cmd_aggregate = {
	"aggregate", run_aggregate, CMD_NEEDS_REPO | CMD_SIGNS, "draft the report summing the units' approved reports",
	sizeof(draft_args), aggregate_opts, NULL,
	"Draft the department's report of YEAR on PLAN from the APPROVED reports of its units:\n"
	"rates recomputed from the summed numerators and denominators, counts summed, each\n"
	"indicator judged against PLAN's target for the year (else the nearest milestone), the\n"
	"units that did not report and the reports not counted (with their state) listed, the\n"
	"counted reports cited as bases. One commit; prints the id, and on stderr who was\n"
	"counted. Run again, it rewrites the department's report in place while it is a draft\n"
	"(nothing is committed when nothing changed), and refuses, naming it, once it has left\n"
	"draft: never a second report. Indicators a unit marks not applicable are not counted.\n"
	"--json: the id, 'changed', the units, and per indicator indicator, measure, numerator,\n"
	"denominator, value, comparison, target, target_year, met, units, not_applicable.\n",
	"docket --as hoa aggregate --plan kh-2021-354 --year 2022\n"
	"docket aggregate --plan=kh-2021-354 --year=2022 --json --as hoa",
	"0 drafted; 1 refused; 2 usage; 3 other errors.", NULL
};
