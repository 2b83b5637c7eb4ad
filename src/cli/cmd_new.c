/* docket new / assign / aggregate, and status --plan: drafting and the plan cascade. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"
#include "docket/draft.h"

#define DRAFT_OPTIONS \
	"  --unit UNIT          the drafting unit (default: your own; for assign and aggregate:\n" \
	"                       the plan's drafting unit); you need the role drafter or reviewer\n" \
	"                       in it or in a unit above it\n" \
	"  --title TEXT         the summary (trích yếu) instead of the template's\n" \
	"  --template NAME      templates/NAME.xml of the repository instead of the default\n" \
	"  --set NAME=VALUE     give a template variable a value (repeatable)\n"

const char usage_new[] =
	"usage: docket [--as PERSON] new plan|report|task [--template NAME] [--unit UNIT] [--title TEXT]\n"
	"                                 [--set NAME=VALUE]...\n"
	"       docket [--as PERSON] new unit-plan --from PLAN [--unit UNIT] [--title TEXT]\n"
	"       docket [--as PERSON] new report --plan PLAN --year YEAR [--unit UNIT] [--to UNIT]\n"
	"       docket new --list\n"
	"\n"
	"Draft a new document from a template of the repository (templates/*.xml) and commit it\n"
	"as one commit; print its id. The id is <prefix>-<year>-<unit>-<n> (kh plan, bc report,\n"
	"nv task; n the next free number). The issuing body and place come from the configuration\n"
	"(the school itself when the drafting unit is an affiliated unit), the date is today's.\n"
	"Default templates: department-plan, annual-report, task, unit-plan.\n"
	"\n"
	"  unit-plan --from PLAN\n"
	"                       the unit's own plan carrying out PLAN (which must be numbered):\n"
	"                       PLAN cited as legal basis, its indicators with its targets as the\n"
	"                       floor, its task groups to fill, the responsibilities of the unit\n"
	"  report --plan PLAN --year YEAR\n"
	"                       the unit's annual report on PLAN: a place for every indicator's\n"
	"                       figures (numerator and denominator for rates), a narrative per\n"
	"                       task group; sent to --to UNIT (default: PLAN's drafting unit),\n"
	"                       which reviews it\n"
	"  --list               list the templates of the repository\n"
	DRAFT_OPTIONS
	"\n"
	"A draft may be incomplete; 'docket submit' refuses a report that is not complete.\n"
	"Exit status: 0 drafted; 1 refused (invalid result, not allowed, plan not numbered);\n"
	"2 usage; 3 other errors (no such plan or template).\n";

const char usage_assign[] =
	"usage: docket [--as PERSON] assign PLAN [--due YYYY-MM-DD] [--unit UNIT] [--title TEXT]\n"
	"                                   [--template NAME] [--set NAME=VALUE]...\n"
	"\n"
	"Draft the task assignments of PLAN's responsibilities section: one task per unit named\n"
	"there, and for \"*affiliated\" one per affiliated unit of the configuration, each with the\n"
	"annual report of the plan as deliverable, the due date (default: 15 December of this\n"
	"year), the plan and section it comes from and the section's items as description. All of\n"
	"them in one commit. Units the configuration lacks, and units that have a task from PLAN\n"
	"due the same year already, are skipped and named on stderr. Prints 'ID UNIT SECTION' per\n"
	"task.\n"
	"\n"
	"  --due DATE           the due date\n"
	DRAFT_OPTIONS
	"\n"
	"Exit status: 0 assigned; 1 refused (nothing to assign, invalid result, not allowed);\n"
	"2 usage; 3 other errors.\n";

const char usage_aggregate[] =
	"usage: docket [--as PERSON] aggregate --plan PLAN --year YEAR [--unit UNIT] [--title TEXT]\n"
	"                                      [--template NAME] [--json]\n"
	"\n"
	"Draft the department's report of YEAR on PLAN from the APPROVED reports of its units:\n"
	"rates recomputed from the summed numerators and denominators, counts summed, each\n"
	"indicator judged against PLAN's target for the year (else the nearest milestone), the\n"
	"units that did not report and the reports not counted (with their state) listed, the\n"
	"counted reports cited as bases. One commit; prints the id, and on stderr who was\n"
	"counted. --json prints the id, the units and the totals as JSON instead.\n"
	"\n"
	DRAFT_OPTIONS
	"\n"
	"Exit status: 0 drafted; 1 refused; 2 usage; 3 other errors.\n";

/* Take every "--set X" / "--set=X" out of ARGV (in place) into SETS (NULL-terminated). */
static int take_sets(int *argc, char **argv, const char ***sets)
{
	int i, o = 0, n = 0;
	const char **v = calloc((size_t)*argc + 1, sizeof(*v));

	if (!v)
		return -1;
	for (i = 0; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			while (i < *argc)
				argv[o++] = argv[i++];
			break;
		}
		if (strcmp(argv[i], "--set") == 0 && i + 1 < *argc) {
			v[n++] = argv[++i];
		} else if (strncmp(argv[i], "--set=", 6) == 0) {
			v[n++] = argv[i] + 6;
		} else if (strcmp(argv[i], "--set") == 0) {
			fprintf(stderr, "docket %s: option '--set' needs NAME=VALUE\n", argv[0]);
			free(v);
			return -2;
		} else {
			argv[o++] = argv[i];
		}
	}
	*argc = o;
	*sets = v;
	return 0;
}

static void print_findings(const docket_findings *f)
{
	size_t i;
	for (i = 0; f && i < docket_findings_count(f); i++) {
		const docket_finding *x = docket_findings_get(f, i);
		fprintf(stderr, "%s:%d:%d: error: %s\n", x->file, x->line, x->col, x->message);
	}
}

static int parse_year(const char *s, int *out)
{
	char *end;
	long y;
	if (!s)
		return -1;
	y = strtol(s, &end, 10);
	if (*end || end == s || y < 1900 || y > 2200)
		return -1;
	*out = (int)y;
	return 0;
}


static void json_opt(const char *s)
{
	if (s)
		cli_json_str(s);
	else
		fputs("null", stdout);
}

static int list_templates(cli_globals *g)
{
	docket_repo *repo = NULL;
	char **names = NULL;
	int code, error;

	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if ((error = docket_template_list(&names, repo, NULL)) < 0)
		code = cli_fail_last(error, "cannot list the templates");
	for (size_t i = 0; names && names[i]; i++)
		printf("%s\n", names[i]);
	docket_strv_free(names);
	docket_repo_free(repo);
	return cli_finish(code);
}

int cmd_new(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("new");
	const char *pos[1], *tpl = NULL, *unit = NULL, *title = NULL, *from = NULL, *plan = NULL;
	const char *year = NULL, *to = NULL, **sets = NULL;
	int list = 0, npos, r, code, error, y = 0;
	const cli_opt opts[] = {
		{ "template", 0, 1, &tpl, NULL }, { "unit", 0, 1, &unit, NULL }, { "title", 0, 1, &title, NULL },
		{ "from", 0, 1, &from, NULL }, { "plan", 0, 1, &plan, NULL }, { "year", 0, 1, &year, NULL },
		{ "to", 0, 1, &to, NULL }, { "list", 0, 0, NULL, &list }, { NULL, 0, 0, NULL, NULL }
	};
	docket_draft_options o;
	docket_add_result res;
	docket_repo *repo = NULL;

	if ((r = take_sets(&argc, argv, &sets)) < 0)
		return r == -1 ? cli_fail(DOCKET_ERROR, "out of memory") : EXIT_USAGE;
	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		goto done_usage;
	if (list) {
		free(sets);
		return npos ? (cli_usage(stderr, cmd), EXIT_USAGE) : list_templates(g);
	}
	r = EXIT_USAGE;
	if (npos != 1) {
		cli_usage(stderr, cmd);
		goto done_usage;
	}
	if (strcmp(pos[0], "unit-plan") == 0) {
		if (!from) {
			fprintf(stderr, "docket new unit-plan: give the plan it carries out with --from PLAN\n");
			goto done_usage;
		}
		if (plan || year || to) {
			fprintf(stderr, "docket new unit-plan: --plan, --year and --to are for reports\n");
			goto done_usage;
		}
	} else if (strcmp(pos[0], "report") == 0 && (plan || !tpl)) {
		if (!plan || parse_year(year, &y) < 0) {
			fprintf(stderr, "docket new report: give --plan PLAN and --year YYYY\n");
			goto done_usage;
		}
		if (from) {
			fprintf(stderr, "docket new report: --from is for unit plans\n");
			goto done_usage;
		}
	} else if (strcmp(pos[0], "plan") && strcmp(pos[0], "report") && strcmp(pos[0], "task")) {
		fprintf(stderr, "docket new: '%s' is not a kind (plan, report, task, unit-plan)\n", pos[0]);
		goto done_usage;
	} else if (from || plan || year || to) {
		fprintf(stderr, "docket new %s: --from, --plan, --year and --to are for unit-plan and report\n", pos[0]);
		goto done_usage;
	}
	if ((code = cli_open_repo(&repo, g)) != 0) {
		free(sets);
		return code;
	}
	memset(&o, 0, sizeof(o));
	o.actor = g->actor;
	o.unit = unit;
	o.title = title;
	o.template_name = tpl;
	o.set = sets;
	if (strcmp(pos[0], "unit-plan") == 0)
		error = docket_draft_unit_plan(&res, repo, from, &o);
	else if (strcmp(pos[0], "report") == 0 && plan)
		error = docket_draft_report(&res, repo, plan, y, to, &o);
	else
		error = docket_draft_new(&res, repo, pos[0], &o);
	if (error == DOCKET_EINVALID)
		print_findings(res.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot draft the %s: %s", pos[0], docket_error_last());
	} else {
		printf("%s\n", res.id);
		code = EXIT_OK;
	}
	docket_add_result_free(&res);
	docket_repo_free(repo);
	free(sets);
	return cli_finish(code);
done_usage:
	free(sets);
	return r;
}

int cmd_assign(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("assign");
	const char *pos[1], *due = NULL, *unit = NULL, *title = NULL, *tpl = NULL, **sets = NULL;
	const cli_opt opts[] = {
		{ "due", 0, 1, &due, NULL }, { "unit", 0, 1, &unit, NULL }, { "title", 0, 1, &title, NULL },
		{ "template", 0, 1, &tpl, NULL }, { NULL, 0, 0, NULL, NULL }
	};
	docket_draft_options o;
	docket_batch_result res;
	docket_repo *repo = NULL;
	int npos, r, code, error;
	size_t i;

	if ((r = take_sets(&argc, argv, &sets)) < 0)
		return r == -1 ? cli_fail(DOCKET_ERROR, "out of memory") : EXIT_USAGE;
	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0 || npos != 1) {
		if (r < 0) {
			cli_usage(stderr, cmd);
			r = EXIT_USAGE;
		}
		free(sets);
		return r;
	}
	if ((code = cli_open_repo(&repo, g)) != 0) {
		free(sets);
		return code;
	}
	memset(&o, 0, sizeof(o));
	o.actor = g->actor;
	o.unit = unit;
	o.title = title;
	o.template_name = tpl;
	o.set = sets;
	error = docket_draft_assign(&res, repo, pos[0], due, &o);
	for (i = 0; i < res.nskipped; i++)
		fprintf(stderr, "docket: skipped '%s' (section %s): %s\n", res.skipped[i].unit,
		        res.skipped[i].section ? res.skipped[i].section : "?", res.skipped[i].reason);
	if (error == DOCKET_EINVALID)
		print_findings(res.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot assign the tasks of '%s': %s", pos[0], docket_error_last());
	} else {
		for (i = 0; i < res.n; i++)
			printf("%s %s %s\n", res.items[i].id, res.items[i].unit, res.items[i].section);
		code = EXIT_OK;
	}
	docket_batch_result_free(&res);
	docket_repo_free(repo);
	free(sets);
	return cli_finish(code);
}

static void json_units(const docket_rollup *r, int aggregate)
{
	size_t i;
	fputs("[", stdout);
	for (i = 0; i < r->n; i++) {
		const docket_unit_report *u = &r->units[i];
		printf("%s{\"unit\": ", i ? ",\n  " : "\n  ");
		cli_json_str(u->unit);
		fputs(", \"name\": ", stdout);
		json_opt(u->unit_name);
		fputs(", \"status\": ", stdout);
		cli_json_str(docket_report_status_name(u->status));
		fputs(", \"report\": ", stdout);
		json_opt(u->report);
		fputs(", \"state\": ", stdout);
		json_opt(u->state);
		fputs(", \"task\": ", stdout);
		json_opt(u->task);
		fputs(", \"due\": ", stdout);
		json_opt(u->due);
		fputs(", \"last_step\": ", stdout);
		json_opt(u->last_date);
		fputs(", \"reason\": ", stdout);
		json_opt(u->reason);
		if (aggregate)
			printf(", \"counted\": %s", u->counted ? "true" : "false");
		fputs("}", stdout);
	}
	fputs(r->n ? "\n]" : "]", stdout);
}

int cmd_aggregate(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("aggregate");
	const char *pos[1], *plan = NULL, *year = NULL, *unit = NULL, *title = NULL, *tpl = NULL, **sets = NULL;
	int json = 0, npos, r, code, error, y = 0;
	const cli_opt opts[] = {
		{ "plan", 0, 1, &plan, NULL }, { "year", 0, 1, &year, NULL }, { "unit", 0, 1, &unit, NULL },
		{ "title", 0, 1, &title, NULL }, { "template", 0, 1, &tpl, NULL }, { "json", 0, 0, NULL, &json },
		{ NULL, 0, 0, NULL, NULL }
	};
	docket_draft_options o;
	docket_rollup res;
	docket_repo *repo = NULL;
	size_t i;

	if ((r = take_sets(&argc, argv, &sets)) < 0)
		return r == -1 ? cli_fail(DOCKET_ERROR, "out of memory") : EXIT_USAGE;
	if ((r = cli_parse(argc, argv, opts, pos, 0, &npos, cmd)) >= 0) {
		free(sets);
		return r;
	}
	if (!plan || parse_year(year, &y) < 0) {
		fprintf(stderr, "docket aggregate: give --plan PLAN and --year YYYY\n");
		free(sets);
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0) {
		free(sets);
		return code;
	}
	memset(&o, 0, sizeof(o));
	o.actor = g->actor;
	o.unit = unit;
	o.title = title;
	o.template_name = tpl;
	o.set = sets;
	error = docket_draft_aggregate(&res, repo, plan, y, &o);
	if (error == DOCKET_EINVALID)
		print_findings(res.doc.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot aggregate the reports of %d on '%s': %s", y, plan, docket_error_last());
	} else if (json) {
		fputs("{\"id\": ", stdout);
		cli_json_str(res.doc.id);
		fputs(", \"path\": ", stdout);
		cli_json_str(res.doc.path);
		fputs(", \"units\": ", stdout);
		json_units(&res, 1);
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
			printf(", \"target_year\": %d, \"met\": %s, \"units\": %zu}", t->target_year,
			       t->met < 0 ? "null" : t->met ? "true" : "false", t->units);
		}
		fputs(res.ntotals ? "\n]}\n" : "]}\n", stdout);
		code = EXIT_OK;
	} else {
		printf("%s\n", res.doc.id);
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
	docket_repo_free(repo);
	free(sets);
	return cli_finish(code);
}

/* docket status --plan PLAN --year YEAR (called by cmd_status). */
int cmd_status_plan(cli_globals *g, const char *plan, const char *year, int json)
{
	docket_repo *repo = NULL;
	docket_rollup res;
	size_t i, count[DOCKET_REPORT_APPROVED + 1];
	int code, error, y = 0;

	if (!plan || parse_year(year, &y) < 0) {
		fprintf(stderr, "docket status: give --plan PLAN and --year YYYY together\n");
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if ((error = docket_draft_status(&res, repo, plan, y, NULL)) < 0) {
		code = cli_fail(error, "cannot read the reports of %d on '%s': %s", y, plan, docket_error_last());
		docket_repo_free(repo);
		return cli_finish(code);
	}
	if (json) {
		json_units(&res, 0);
		putchar('\n');
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
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}
