/* docket fill: a report's figures from the command line or a spreadsheet, never typed into XML. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *csv, *plan, *year, *message;
	cli_list specs;
} fill_args;

/* What a cell or a NAME=... says: "149/150", "12", "na". Points into TEXT, which it changes. */
static int parse_figure(docket_figure *f, char *text)
{
	char *slash;

	while (*text == ' ')
		text++;
	for (size_t n = strlen(text); n && text[n - 1] == ' '; n--)
		text[n - 1] = '\0';
	if (!*text)
		return -1;
	if (strcmp(text, "na") == 0 || strcmp(text, "NA") == 0 || strcmp(text, "n/a") == 0) {
		f->not_applicable = 1;
		return 0;
	}
	if ((slash = strchr(text, '/')) != NULL) {
		*slash = '\0';
		f->numerator = text;
		f->denominator = slash + 1;
		return 0;
	}
	f->value = text;
	return 0;
}

static void print_problems(const docket_findings *f)
{
	for (size_t i = 0; f && i < docket_findings_count(f); i++) {
		const docket_finding *x = docket_findings_get(f, i);
		if (x->line > 0 && x->col > 1)
			fprintf(stderr, "%s:%d:%d: error: %s\n", x->file, x->line, x->col, x->message);
		else if (x->line > 0)
			fprintf(stderr, "%s:%d: error: %s\n", x->file, x->line, x->message);
		else
			fprintf(stderr, "docket: %s: %s\n", x->file, x->message);
	}
}

static char *dup_cell(const docket_csv *csv, size_t row, int col)
{
	const char *c = col >= 0 ? docket_csv_field(csv, row, (size_t)col) : NULL;
	return strdup(c ? c : "");
}

/*
 * The figures of one report from CSV: a row per indicator, columns indicator and figure
 * ("149/150", "12", "na") or indicator, numerator, denominator, value.
 */
static int figures_of_rows(docket_figure **out, char ***keep, size_t *n, const docket_csv *csv, const char *file)
{
	int ci = docket_csv_column(csv, "indicator"), cf = docket_csv_column(csv, "figure");
	int cn = docket_csv_column(csv, "numerator"), cd = docket_csv_column(csv, "denominator");
	int cv = docket_csv_column(csv, "value");
	size_t rows = docket_csv_rows(csv), i, k = 0;
	docket_figure *f;
	char **kept;

	if (ci < 0 || (cf < 0 && cv < 0 && (cn < 0 || cd < 0)))
		return cli_fail(DOCKET_EINVALID, "%s:%d: the columns are indicator and figure (or indicator, "
		                "numerator, denominator, value)", file, docket_csv_line(csv, 0));
	if (!(f = calloc(rows, sizeof(*f))) || !(kept = calloc(rows * 4 + 1, sizeof(char *)))) {
		free(f);
		return cli_fail(DOCKET_ERROR, "out of memory");
	}
	*keep = kept;
	*out = f;
	for (i = 1; i < rows; i++) {
		docket_figure *x = &f[*n];
		char *ind = kept[k++] = dup_cell(csv, i, ci);
		x->line = docket_csv_line(csv, i);
		x->indicator = ind;
		if (cf >= 0) {
			char *cell = kept[k++] = dup_cell(csv, i, cf);
			if (parse_figure(x, cell) < 0)
				continue;
		} else {
			char *num = kept[k++] = dup_cell(csv, i, cn), *den = kept[k++] = dup_cell(csv, i, cd);
			char *val = kept[k++] = dup_cell(csv, i, cv);
			if (strcmp(val, "na") == 0)
				x->not_applicable = 1;
			else if (*num || *den) {
				x->numerator = num;
				x->denominator = den;
			} else if (*val)
				x->value = val;
			else
				continue;
		}
		(*n)++;
	}
	return EXIT_OK;
}

/* docket fill --plan PLAN --year YEAR --csv FILE: a row per unit, a column per indicator. */
static int fill_plan(cli_ctx *ctx, fill_args *a, const docket_csv *csv, docket_fill_options *o)
{
	docket_rollup roll;
	docket_fill_result res;
	docket_findings *f = NULL;
	docket_report_figures *reports = NULL;
	docket_figure *figs = NULL;
	char **cells = NULL;
	size_t rows = docket_csv_rows(csv), width = docket_csv_width(csv, 0), nrep = 0, nfig = 0, nc = 0, i, k;
	int cu = docket_csv_column(csv, "unit"), y, code = EXIT_OK, error;

	memset(&res, 0, sizeof(res));
	if (cli_parse_year(a->year, &y) < 0)
		return cli_usage_error(ctx, "give --plan PLAN and --year YYYY");
	if (cu < 0)
		return cli_fail(DOCKET_EINVALID, "%s:%d: the first column is 'unit', then one column per indicator",
		                a->csv, docket_csv_line(csv, 0));
	if ((error = docket_draft_status(&roll, ctx->repo, a->plan, y, NULL)) < 0)
		return cli_fail(error, "cannot read the reports of %d on '%s': %s", y, a->plan, docket_error_last());
	reports = calloc(rows, sizeof(*reports));
	figs = calloc(rows * width + 1, sizeof(*figs));
	cells = calloc(rows * width + 1, sizeof(*cells));
	if (!reports || !figs || !cells || docket_findings_new(&f) < 0) {
		code = cli_fail(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 1; i < rows; i++) {
		const char *unit = docket_csv_field(csv, i, (size_t)cu);
		int line = docket_csv_line(csv, i);
		const docket_unit_report *u = NULL;
		for (k = 0; unit && k < roll.n; k++)
			if (strcmp(roll.units[k].unit, unit) == 0)
				u = &roll.units[k];
		if (docket_csv_width(csv, i) != width) {
			docket_findings_add(f, a->csv, line, 0, "%zu fields where the header has %zu", docket_csv_width(csv, i),
			                    width);
			continue;
		}
		if (!u || !u->report) {
			docket_findings_add(f, a->csv, line, 0, "the unit '%s' has no report of %d on %s%s", unit ? unit : "", y,
			                    a->plan, u ? " (draft them all with 'docket new report --all')" :
			                    ": it is not a unit expected to report");
			continue;
		}
		for (k = 0; k < nrep; k++)
			if (strcmp(reports[k].report, u->report) == 0)
				docket_findings_add(f, a->csv, line, 0, "the unit '%s' has a row already", unit);
		reports[nrep].report = u->report;
		reports[nrep].figures = &figs[nfig];
		for (k = 0; k < width; k++) {
			docket_figure *x = &figs[nfig];
			if ((int)k == cu)
				continue;
			cells[nc] = dup_cell(csv, i, (int)k);
			x->indicator = docket_csv_field(csv, 0, k);
			x->line = line;
			if (parse_figure(x, cells[nc++]) < 0) {
				memset(x, 0, sizeof(*x));
				continue;
			}
			nfig++;
			reports[nrep].n++;
		}
		if (reports[nrep].n)
			nrep++;
	}
	if (!docket_findings_count(f) && !nrep)
		docket_findings_add(f, a->csv, docket_csv_line(csv, 0), 0, "no figures after the header");
	if (docket_findings_count(f)) {
		print_problems(f);
		code = cli_fail(DOCKET_EINVALID, "cannot fill from '%s': %zu problem%s; nothing was written", a->csv,
		                docket_findings_count(f), docket_findings_count(f) == 1 ? "" : "s");
		goto cleanup;
	}
	if ((error = docket_report_fill_many(&res, ctx->repo, reports, nrep, o)) < 0) {
		print_problems(res.findings);
		code = cli_fail(error, "%s", docket_error_last());
		goto cleanup;
	}
	printf("%zu reports, %zu figures filled in one commit [%.12s]\n", nrep, nfig, res.commit);
cleanup:
	for (i = 0; cells && i < nc; i++)
		free(cells[i]);
	free(cells);
	free(figs);
	free(reports);
	docket_findings_free(f);
	docket_fill_result_free(&res);
	docket_rollup_free(&roll);
	return code;
}

static int run_fill(cli_ctx *ctx, void *args)
{
	fill_args *a = args;
	docket_fill_options o = DOCKET_FILL_OPTIONS_INIT;
	docket_fill_result res;
	docket_csv *csv = NULL;
	docket_figure *figs = NULL;
	char **keep = NULL;
	size_t n = 0, i;
	int code = EXIT_OK, error;

	memset(&res, 0, sizeof(res));
	o.actor = ctx->actor;
	o.message = a->message;
	if (a->plan || a->year) {
		if (a->doc || a->specs.n)
			return cli_usage_error(ctx, "--plan and --year fill every unit's report from --csv: no DOC");
		if (!a->plan || !a->year || !a->csv)
			return cli_usage_error(ctx, "give --plan PLAN --year YEAR --csv FILE together");
	} else if (!a->doc) {
		return cli_usage_error(ctx, "which report? give DOC, or --plan PLAN --year YEAR --csv FILE");
	} else if (!a->csv == !a->specs.n) {
		return cli_usage_error(ctx, "give the figures as INDICATOR=NUM/DEN... or --csv FILE, not both");
	}
	if (a->csv) {
		if ((code = cli_read_csv(&csv, a->csv)) != EXIT_OK)
			return cli_finish(code);
		o.source = a->csv;
	}
	if (a->plan) {
		code = fill_plan(ctx, a, csv, &o);
		goto cleanup;
	}
	if (csv) {
		if ((code = figures_of_rows(&figs, &keep, &n, csv, a->csv)) != EXIT_OK)
			goto cleanup;
	} else {
		if (!(figs = calloc(a->specs.n, sizeof(*figs))) || !(keep = calloc(a->specs.n + 1, sizeof(char *)))) {
			code = cli_fail(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		for (i = 0; i < a->specs.n; i++) {
			char *eq;
			if (!(keep[i] = strdup(a->specs.v[i]))) {
				code = cli_fail(DOCKET_ERROR, "out of memory");
				goto cleanup;
			}
			if (!(eq = strchr(keep[i], '=')) || eq == keep[i]) {
				code = cli_usage_error(ctx, "'%s': write INDICATOR=NUM/DEN, INDICATOR=VALUE or INDICATOR=na",
				                       a->specs.v[i]);
				goto cleanup;
			}
			*eq = '\0';
			figs[n].indicator = keep[i];
			if (parse_figure(&figs[n], eq + 1) < 0) {
				code = cli_usage_error(ctx, "'%s': no figure after '='", a->specs.v[i]);
				goto cleanup;
			}
			n++;
		}
	}
	if ((error = docket_report_fill(&res, ctx->repo, a->doc, figs, n, &o)) < 0) {
		print_problems(res.findings);
		code = cli_fail(error, "%s", docket_error_last());
		goto cleanup;
	}
	printf("%s: %zu figure%s filled [%.12s]\n", a->doc, n, n == 1 ? "" : "s", res.commit);
cleanup:
	for (i = 0; keep && keep[i]; i++)
		free(keep[i]);
	free(keep);
	free(figs);
	docket_fill_result_free(&res);
	docket_csv_free(csv);
	return cli_finish(code);
}

static const cli_option fill_opts[] = {
	CLI_OPT_STRING(fill_args, csv, "csv", 0, "FILE",
	               "the figures from a CSV file (UTF-8): for DOC a row per indicator, columns\n"
	               "indicator,figure; with --plan a row per unit, columns unit and one per indicator"),
	CLI_OPT_STRING(fill_args, plan, "plan", 0, "PLAN", "with --year and --csv: every unit's report on PLAN"),
	CLI_OPT_STRING(fill_args, year, "year", 0, "YEAR", "with --plan: the year of the reports"),
	CLI_OPT_STRING(fill_args, message, "message", 'm', "MESSAGE", "added to the commit message"),
	CLI_OPT_END
};

static const cli_positional fill_pos[] = {
	CLI_POS(fill_args, doc, "DOC", CLI_POS_OPTIONAL), CLI_POS(fill_args, specs, "INDICATOR=FIGURE", CLI_POS_MANY),
	CLI_POS_END
};

const cli_command cli_cmd_fill = {
	"fill", run_fill, CMD_NEEDS_REPO | CMD_SIGNS, "write a report's figures (no XML editing)",
	sizeof(fill_args), fill_opts, fill_pos,
	"Write the figures of the report DOC: INDICATOR=NUM/DEN for a rate (docket computes the\n"
	"value with the plan's rounding: half up to 2 places, more where 2 would contradict the\n"
	"verdict against the year's target), INDICATOR=VALUE for a count or a value, INDICATOR=na\n"
	"for an indicator that does not apply to the unit (not required at submission, not\n"
	"counted by 'aggregate'). Each figure is checked against the plan's indicator: a rate's\n"
	"numerator lies between 0 and its denominator, which is not 0; a count is a whole number.\n"
	"Every problem is named with the indicator's name; then nothing is written.\n"
	"\n"
	"With --plan PLAN --year YEAR --csv FILE, every unit's report on PLAN is filled from one\n"
	"spreadsheet: a header 'unit,1,2,4.1,...' (indicator ids), a row per unit, each cell\n"
	"NUM/DEN, VALUE, na or empty (left as it is). All the reports are filled in ONE commit:\n"
	"the file is one act of data entry, checked whole, and either goes in whole or not at all.\n"
	"\n"
	"Like 'docket commit': only while the reports are drafts, by someone the report workflow\n"
	"lets edit them (the unit's drafters and head; the department's statistician for all).\n",
	"docket --as gv-qt fill bc-2025-th-qt-1 1=3/3 4.1=149/150 4.2=0/500 6=12 2=na\n"
	"docket --as gv-qt fill bc-2025-th-qt-1 --csv figures.csv      # indicator,figure\n"
	"docket --as tk fill --plan kh-2021-354 --year 2025 --csv so-lieu-2025.csv",
	"0 filled; 1 refused (a figure out of range, a denominator of 0, an unknown indicator or\n"
	"unit, not a draft, not allowed); 2 usage; 3 other errors.", NULL
};
