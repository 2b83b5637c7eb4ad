/*
 * rollup: where the units' annual reports on a plan stand, and the department's own report
 * drafted from them.
 *
 * Both read the repository the same way: the plan, the unit plans that cite it, every report
 * of the year on one of those plans and every task drawn from them whose deliverable is a
 * report due that year. The units expected to report are the affiliated units and the
 * assignees of those tasks; the plan's drafting unit is the one that aggregates, so it is
 * not expected to report to itself.
 *
 * Aggregation counts approved reports only and recomputes every rate from the summed
 * numerators and denominators: an average of percentages would weigh a school of 40 pupils
 * like one of 1,200. Verdicts against the targets are exact (draftcheck.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draft_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

/* --- reading the repository ---------------------------------------------------------------- */

typedef struct {
	char *id, *unit, *state, *last_transition, *last_date, *reason;
	docket_doc *doc;
} rep;

typedef struct {
	char *id, *unit, *due;
} tsk;

typedef struct {
	docket_repo *repo;
	char **plans;
	size_t nplans;
	int year;
	rep *reps;
	size_t nreps;
	tsk *tasks;
	size_t ntasks;
	int error;
} scan;

static void scan_free(scan *s)
{
	size_t i;
	for (i = 0; i < s->nplans; i++)
		free(s->plans[i]);
	for (i = 0; i < s->nreps; i++) {
		rep *r = &s->reps[i];
		free(r->id); free(r->unit); free(r->state); free(r->last_transition);
		free(r->last_date); free(r->reason);
		docket_doc_free(r->doc);
	}
	for (i = 0; i < s->ntasks; i++) {
		free(s->tasks[i].id); free(s->tasks[i].unit); free(s->tasks[i].due);
	}
	free(s->plans);
	free(s->reps);
	free(s->tasks);
	memset(s, 0, sizeof(*s));
}

static int oom(scan *s)
{
	s->error = docket_error_set(DOCKET_ERROR, "out of memory");
	return 1;
}

static int in_plans(const scan *s, const char *id)
{
	size_t i;
	for (i = 0; id && i < s->nplans; i++)
		if (strcmp(s->plans[i], id) == 0)
			return 1;
	return 0;
}

/* Parse PATH; NULL (and no error) for anything unreadable: that is validate's business. */
static docket_doc *read_doc(scan *s, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	docket_doc *doc = NULL;

	if (docket_repo_read(&buf, &len, s->repo, NULL, path) < 0 || docket_doc_parse(&doc, buf, len, path) < 0)
		docket_error_clear();
	free(buf);
	return doc;
}

static int scan_plan(const char *path, void *payload)
{
	scan *s = payload;
	docket_doc *doc = read_doc(s, path);
	int cites = 0;

	if (!doc || !docket_doc_id(doc) || in_plans(s, docket_doc_id(doc)))
		goto done;
	DFOR(b, DN(docket_doc_root(doc), "header/bases"), "basis") {
		char *ref = docket_attr(b, "ref");
		cites |= ref && strcmp(ref, s->plans[0]) == 0;
		free(ref);
	}
	if (cites) {
		char **p = realloc(s->plans, (s->nplans + 1) * sizeof(*p));
		if (!p || !(p[s->nplans] = docket_strdup(docket_doc_id(doc)))) {
			if (p)
				s->plans = p;
			docket_doc_free(doc);
			return oom(s);
		}
		s->plans = p;
		s->nplans++;
	}
done:
	docket_doc_free(doc);
	return 0;
}

static int scan_report(const char *path, void *payload)
{
	scan *s = payload;
	docket_doc *doc = read_doc(s, path);
	xmlNodePtr report, last = NULL;
	char *ref = NULL, *year = NULL;
	rep *r;

	if (!doc || !(report = docket_doc_body(doc, "report")))
		goto skip;
	ref = docket_attr(DN(report, "plan"), "ref");
	year = docket_xml_text_trim(DN(report, "year"));
	if (!in_plans(s, ref) || !year || atoi(year) != s->year)
		goto skip;
	if (!(r = realloc(s->reps, (s->nreps + 1) * sizeof(*r)))) {
		docket_doc_free(doc);
		free(ref);
		free(year);
		return oom(s);
	}
	s->reps = r;
	r = &s->reps[s->nreps++];
	memset(r, 0, sizeof(*r));
	r->id = docket_strdup(docket_doc_id(doc));
	r->unit = docket_xml_text_trim(DN(report, "unit"));
	r->state = docket_strdup(docket_doc_state(doc) ? docket_doc_state(doc) : "");
	DFOR(st, DN(docket_doc_root(doc), "workflow"), "step")
		last = st;
	if (last) {
		r->last_transition = docket_attr(last, "transition");
		r->last_date = docket_attr(last, "date");
		if (r->last_transition && strcmp(r->last_transition, "return") == 0)
			r->reason = docket_xml_text_trim(last);
	}
	r->doc = doc;
	doc = NULL;
skip:
	free(ref);
	free(year);
	docket_doc_free(doc);
	return 0;
}

static int scan_task(const char *path, void *payload)
{
	scan *s = payload;
	docket_doc *doc = read_doc(s, path);
	xmlNodePtr task;
	char *src = NULL, *due = NULL, *kind = NULL, *unit = NULL;

	if (!doc || !(task = docket_doc_body(doc, "task")))
		goto done;
	src = docket_attr(DN(task, "source"), "plan");
	due = docket_xml_text_trim(DN(task, "due"));
	kind = docket_attr(DN(task, "deliverable"), "kind");
	unit = docket_attr(DN(task, "assignee"), "unit");
	if (in_plans(s, src) && due && atoi(due) == s->year && kind && strcmp(kind, "report") == 0 && unit) {
		tsk *t = realloc(s->tasks, (s->ntasks + 1) * sizeof(*t));
		if (!t) {
			oom(s);
			goto done;
		}
		s->tasks = t;
		t = &s->tasks[s->ntasks++];
		t->id = docket_strdup(docket_doc_id(doc));
		t->unit = unit;
		t->due = due;
		unit = due = NULL;
	}
done:
	free(src);
	free(due);
	free(kind);
	free(unit);
	docket_doc_free(doc);
	return s->error ? 1 : 0;
}

/* The documents under a folder that name a plan (the reference index: a superset). */
typedef struct {
	const char *prefix;
	char **paths;
	size_t n, cap;
	int error;
} cand;

static int cand_cb(const char *target, size_t len, const char *path, void *payload)
{
	cand *c = payload;

	(void)target;
	(void)len;
	if (strncmp(path, c->prefix, strlen(c->prefix)) != 0)
		return 0;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 16;
		char **p = realloc(c->paths, cap * sizeof(*p));
		if (!p) {
			c->error = docket_error_set(DOCKET_ERROR, "out of memory");
			return 1;
		}
		c->paths = p;
		c->cap = cap;
	}
	if (!(c->paths[c->n] = docket_strdup(path))) {
		c->error = DOCKET_ERROR;
		return 1;
	}
	c->n++;
	return 0;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Run FN over the documents under PREFIX naming one of S's plans, once each, in the order a
 * walk of the tree would give (the full paths' order is git's tree order): a cost of the
 * plan's documents, not of the repository's.
 */
static int scan_refs(scan *s, docket_repo *repo, const char *prefix, docket_repo_walk_fn fn)
{
	cand c = { prefix, NULL, 0, 0, 0 };
	size_t i, nplans = s->nplans;
	int error = 0;

	for (i = 0; i < nplans && !error; i++)
		if ((error = docket_refs_each(repo, NULL, s->plans[i], cand_cb, &c)) > 0 || c.error)
			error = c.error ? c.error : DOCKET_ERROR;
	if (!error && c.n)
		qsort(c.paths, c.n, sizeof(char *), cmp_path);
	/* (each path compared with the one before it: all freed after the loop) */
	for (i = 0; i < c.n && !error; i++)
		if ((i == 0 || strcmp(c.paths[i], c.paths[i - 1]) != 0) && fn(c.paths[i], s) != 0)
			error = s->error ? s->error : DOCKET_ERROR;
	for (i = 0; i < c.n; i++)
		free(c.paths[i]);
	free(c.paths);
	return error;
}

static int run_scan(scan *s, docket_repo *repo, const char *plan, int year)
{
	int error;

	s->repo = repo;
	s->year = year;
	if (!(s->plans = calloc(1, sizeof(char *))) || !(s->plans[0] = docket_strdup(plan)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	s->nplans = 1;
	/* the plans citing PLAN, then the reports and tasks on any of them */
	if ((error = scan_refs(s, repo, "documents/plan/", scan_plan)) >= 0 && !s->error &&
	    (error = scan_refs(s, repo, "documents/report/", scan_report)) >= 0 && !s->error)
		error = scan_refs(s, repo, "documents/task/", scan_task);
	if (s->error)
		return s->error;
	return error < 0 ? error : 0;
}

/* --- the units and where their reports stand --------------------------------------------------- */

const char *docket_report_status_name(docket_report_status st)
{
	switch (st) {
	case DOCKET_REPORT_NOT_STARTED: return "not-started";
	case DOCKET_REPORT_DRAFTING: return "drafting";
	case DOCKET_REPORT_RETURNED: return "returned";
	case DOCKET_REPORT_OVERDUE: return "overdue";
	case DOCKET_REPORT_SUBMITTED: return "submitted";
	case DOCKET_REPORT_IN_REVIEW: return "in-review";
	case DOCKET_REPORT_APPROVED: return "approved";
	}
	return "unknown";
}

static void unit_report_clear(docket_unit_report *u)
{
	free(u->unit); free(u->unit_name); free(u->report); free(u->state); free(u->task);
	free(u->due); free(u->last_date); free(u->reason); free(u->note);
}

void docket_rollup_free(docket_rollup *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++)
		unit_report_clear(&r->units[i]);
	for (i = 0; i < r->ntotals; i++) {
		docket_indicator_total *t = &r->totals[i];
		free(t->indicator); free(t->name); free(t->measure); free(t->comparison);
		free(t->value); free(t->target);
	}
	free(r->units);
	free(r->totals);
	docket_add_result_free(&r->doc);
	memset(r, 0, sizeof(*r));
}

static docket_unit_report *row_for(docket_rollup *out, const docket_config *cfg, const char *unit, int create)
{
	docket_unit_report *p;
	docket_unit u;
	size_t i;

	for (i = 0; i < out->n; i++)
		if (strcmp(out->units[i].unit, unit) == 0)
			return &out->units[i];
	if (!create || !(p = realloc(out->units, (out->n + 1) * sizeof(*p))))
		return NULL;
	out->units = p;
	p = &out->units[out->n];
	memset(p, 0, sizeof(*p));
	if (!(p->unit = docket_strdup(unit)))
		return NULL;
	if (docket_config_unit(&u, cfg, unit) == 0 && u.name)
		p->unit_name = docket_strdup(u.name);
	docket_error_clear();
	out->n++;
	return p;
}

/* How far along a report is, to pick the one that counts when a unit has several. */
static int rank(const char *state)
{
	return !state ? 0 : strcmp(state, "approved") == 0 ? 3 : strcmp(state, "reviewed") == 0 ? 2 :
	       strcmp(state, "submitted") == 0 ? 1 : 0;
}

static int build_rows(docket_rollup *out, scan *s, const docket_config *cfg, docket_workflow *wf,
                      const char *aggregator, const char *today, rep **chosen)
{
	size_t i;
	docket_unit u;

	/* expected: affiliated units, then assignees, then whoever reported */
	for (i = 0; docket_config_unit_at(&u, cfg, i) == 0; i++)
		if (u.affiliated && (!aggregator || strcmp(u.id, aggregator)) && !row_for(out, cfg, u.id, 1))
			return docket_error_set(DOCKET_ERROR, "out of memory");
	for (i = 0; i < s->ntasks; i++) {
		docket_unit_report *row;
		if (aggregator && strcmp(s->tasks[i].unit, aggregator) == 0)
			continue;
		if (!(row = row_for(out, cfg, s->tasks[i].unit, 1)))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		if (!row->task) {
			row->task = docket_strdup(s->tasks[i].id);
			row->due = docket_strdup(s->tasks[i].due);
		}
	}
	for (i = 0; i < s->nreps; i++)
		if (s->reps[i].unit && (!aggregator || strcmp(s->reps[i].unit, aggregator)) &&
		    !row_for(out, cfg, s->reps[i].unit, 1))
			return docket_error_set(DOCKET_ERROR, "out of memory");
	for (i = 0; i < out->n; i++) {
		docket_unit_report *row = &out->units[i];
		rep *best = NULL;
		size_t k;
		int overdue = row->due && today && strcmp(today, row->due) > 0;
		for (k = 0; k < s->nreps; k++) {
			rep *r = &s->reps[k];
			if (!r->unit || strcmp(r->unit, row->unit))
				continue;
			if (!best || rank(r->state) >= rank(best->state))
				best = r;
		}
		chosen[i] = best;
		if (!best) {
			row->status = overdue ? DOCKET_REPORT_OVERDUE : DOCKET_REPORT_NOT_STARTED;
			continue;
		}
		row->report = docket_strdup(best->id);
		row->state = docket_strdup(best->state && *best->state ? best->state : docket_workflow_initial(wf));
		row->last_date = best->last_date ? docket_strdup(best->last_date) : NULL;
		row->reason = best->reason ? docket_strdup(best->reason) : NULL;
		if (strcmp(row->state, "approved") == 0)
			row->status = DOCKET_REPORT_APPROVED;
		else if (strcmp(row->state, "reviewed") == 0)
			row->status = DOCKET_REPORT_IN_REVIEW;
		else if (!docket_workflow_is_editable(wf, row->state) &&
		         strcmp(row->state, docket_workflow_initial(wf)))
			row->status = DOCKET_REPORT_SUBMITTED;
		else if (overdue)
			row->status = DOCKET_REPORT_OVERDUE;
		else if (best->last_transition && strcmp(best->last_transition, "return") == 0)
			row->status = DOCKET_REPORT_RETURNED;
		else
			row->status = DOCKET_REPORT_DRAFTING;
	}
	return 0;
}

/* Everything status and aggregate share. */
static int rollup_read(docket_rollup *out, scan *s, rep ***chosen, docket_repo *repo, docket_config *cfg,
                       const char *plan, int year, const char *aggregator, const char *today)
{
	docket_workflow *wf = NULL;
	int error;

	if ((error = docket_workflow_load(&wf, repo, NULL, "report")) < 0 ||
	    (error = run_scan(s, repo, plan, year)) < 0)
		goto cleanup;
	if (!(*chosen = calloc(docket_config_unit_count(cfg) + s->ntasks + s->nreps + 1, sizeof(rep *)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = build_rows(out, s, cfg, wf, aggregator, today, *chosen);
cleanup:
	docket_workflow_free(wf);
	return error;
}

int docket_draft_status(docket_rollup *out, docket_repo *repo, const char *plan, int year,
                        const char *today)
{
	docket_config *cfg = NULL;
	docket_doc *pdoc = NULL;
	scan s;
	rep **chosen = NULL;
	char *aggregator = NULL, *now = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --plan PLAN");
	if (!today && !(today = now = docket_today()))
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	if (!docket_doc_body(pdoc, "plan")) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	aggregator = docket_doc_unit_text(pdoc);
	error = rollup_read(out, &s, &chosen, repo, cfg, docket_doc_id(pdoc), year, aggregator, today);
cleanup:
	if (error < 0)
		docket_rollup_free(out);
	free(chosen);
	free(aggregator);
	free(now);
	scan_free(&s);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}

/* --- aggregation ------------------------------------------------------------------------------- */

/* "99.5" → "99,5": numbers in running Vietnamese text take a decimal comma. */
static void vn_number(char *out, size_t size, const char *s)
{
	size_t i;
	snprintf(out, size, "%s", s ? s : "");
	for (i = 0; out[i]; i++)
		if (out[i] == '.')
			out[i] = ',';
}

static const char *cmp_sign(const char *cmp)
{
	if (!cmp) return "";
	return strcmp(cmp, "ge") == 0 ? "≥" : strcmp(cmp, "gt") == 0 ? ">" : strcmp(cmp, "le") == 0 ? "≤" :
	       strcmp(cmp, "lt") == 0 ? "<" : strcmp(cmp, "eq") == 0 ? "=" : cmp;
}

static xmlNodePtr result_of(docket_doc *doc, const char *indicator)
{
	DFOR(r, DN(docket_doc_body(doc, "report"), "results"), "result") {
		char *id = docket_attr(r, "indicator");
		int same = id && strcmp(id, indicator) == 0;
		free(id);
		if (same)
			return r;
	}
	return NULL;
}

static const char *row_name(const docket_unit_report *row)
{
	return row->unit_name ? row->unit_name : row->unit;
}

/* The sums for one indicator over the counted reports. */
static int total_one(docket_indicator_total *t, xmlNodePtr ind, docket_rollup *out, rep **chosen, int year,
                     docket_buf *missing)
{
	docket_dec sum = { 0, 0 };
	xmlNodePtr target;
	size_t i;
	int error = 0;

	t->indicator = docket_attr(ind, "id");
	t->name = docket_xml_text_trim(DN(ind, "name"));
	t->measure = docket_attr(ind, "measure");
	t->comparison = docket_attr(ind, "comparison");
	t->met = -1;
	if (!t->indicator || !t->measure || !t->comparison)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if ((target = docket_indicator_target(ind, year, &t->target_year)) != NULL)
		t->target = docket_attr(target, "value");
	for (i = 0; i < out->n; i++) {
		xmlNodePtr r;
		char *num, *den, *val;
		docket_dec n, d, v;
		int ok = 0;
		if (!out->units[i].counted)
			continue;
		r = result_of(chosen[i]->doc, t->indicator);
		if (r && docket_result_not_applicable(r)) {
			/* neither counted nor missing: the indicator does not apply to the unit */
			t->na_units++;
			continue;
		}
		num = docket_attr(r, "numerator");
		den = docket_attr(r, "denominator");
		val = docket_attr(r, "value");
		if (r && strcmp(t->measure, "rate") == 0) {
			ok = docket_dec_parse(&n, num) == 0 && docket_dec_parse(&d, den) == 0 && !n.scale && !d.scale &&
			     n.mant >= 0 && d.mant > 0;
			if (ok) {
				t->numerator += (uint64_t)n.mant;
				t->denominator += (uint64_t)d.mant;
			}
		} else if (r && (strcmp(t->measure, "count") == 0 || strcmp(t->measure, "value") == 0)) {
			/* counts and values (the schema makes every value a decimal number) are summed */
			ok = docket_dec_parse(&v, val) == 0 && docket_dec_add(&sum, &sum, &v) == 0;
		}
		free(num);
		free(den);
		free(val);
		if (ok)
			t->units++;
		else if ((error = docket_buf_printf(missing, "%s%s", missing->len ? ", " : "", row_name(&out->units[i]))) < 0)
			return error;
	}
	docket_error_clear();
	if (!t->units)
		return 0;
	if (strcmp(t->measure, "rate") == 0) {
		char v[64];
		if ((error = docket_rate_format(v, sizeof(v), t->numerator, t->denominator, t->target)) < 0)
			return error;
		t->value = docket_strdup(v);
		if (t->target && docket_target_met(&t->met, t->comparison, t->target, t->numerator, t->denominator, 1) < 0)
			t->met = -1;
	} else {
		char v[64];
		docket_dec_format(v, sizeof(v), &sum);
		t->value = docket_strdup(v);
		if (t->target && docket_value_met(&t->met, t->comparison, t->target, &sum) < 0)
			t->met = -1;
	}
	docket_error_clear();
	return t->value ? 0 : docket_error_set(DOCKET_ERROR, "out of memory");
}

/* A paragraph of running text under PARENT (in the scratch document). */
static xmlNodePtr add_block(xmlNodePtr parent, const char *name, const char *text)
{
	xmlNodePtr n = xmlNewDocNode(parent->doc, parent->ns, (const xmlChar *)name, NULL);
	if (!n)
		return NULL;
	if (text && *text)
		xmlAddChild(n, xmlNewDocText(parent->doc, (const xmlChar *)text));
	xmlAddChild(parent, n);
	return n;
}

static int has_text(xmlNodePtr n)
{
	xmlChar *t = xmlNodeGetContent(n);
	int yes = 0;
	for (const xmlChar *p = t; p && *p && !yes; p++)
		yes = *p != ' ' && *p != '\n' && *p != '\t' && *p != '\r';
	xmlFree(t);
	return yes;
}

/* Each counted unit's narrative for GROUP, its blocks prefixed with the unit's name. */
static int narrative_of(xmlNodePtr dst, const char *group, docket_rollup *out, rep **chosen)
{
	size_t i;

	for (i = 0; i < out->n; i++) {
		if (!out->units[i].counted)
			continue;
		DFOR(nv, DN(docket_doc_body(chosen[i]->doc, "report"), "narratives"), "narrative") {
			char *g = docket_attr(nv, "group");
			int same = g && strcmp(g, group) == 0;
			free(g);
			if (!same)
				continue;
			for (xmlNodePtr b = nv->children; b; b = b->next) {
				xmlNodePtr nb;
				docket_buf prefix = DOCKET_BUF_INIT;
				if (!(docket_xml_is(b, DOCKET_NS, "item") || docket_xml_is(b, DOCKET_NS, "p")) || !has_text(b))
					continue;
				if (docket_buf_printf(&prefix, "%s: ", row_name(&out->units[i])) < 0 ||
				    !(nb = add_block(dst, (const char *)b->name, prefix.ptr))) {
					docket_buf_free(&prefix);
					return docket_error_set(DOCKET_ERROR, "out of memory");
				}
				docket_buf_free(&prefix);
				for (xmlNodePtr ch = b->children; ch; ch = ch->next) {
					xmlNodePtr c = xmlDocCopyNode(ch, dst->doc, 1);
					if (!c)
						return docket_error_set(DOCKET_ERROR, "out of memory");
					xmlAddChild(nb, c);
				}
			}
		}
	}
	return 0;
}

/* The paragraph on who reported: counted, not counted (with the state), missing. */
static int rollup_text(xmlNodePtr dst, docket_rollup *out, const docket_buf *unaggregated)
{
	docket_buf counted = DOCKET_BUF_INIT, pending = DOCKET_BUF_INIT, missing = DOCKET_BUF_INIT, line = DOCKET_BUF_INIT;
	size_t i, nc = 0, np = 0, nm = 0;
	int error = 0;

	for (i = 0; i < out->n && !error; i++) {
		docket_unit_report *row = &out->units[i];
		if (row->counted)
			error = docket_buf_printf(&counted, "%s%s (%s)", nc++ ? "; " : "", row_name(row), row->report);
		else if (row->report)
			error = docket_buf_printf(&pending, "%s%s - %s, trạng thái %s", np++ ? "; " : "", row_name(row),
			                          row->report, row->state);
		else
			error = docket_buf_printf(&missing, "%s%s", nm++ ? "; " : "", row_name(row));
	}
	if (!error)
		error = docket_buf_printf(&line, "Đơn vị có báo cáo đã phê duyệt, được tổng hợp (%zu): %s.", nc,
		                          nc ? counted.ptr : "không có");
	if (!error && !add_block(dst, "item", line.ptr))
		error = DOCKET_ERROR;
	if (!error && np) {
		line.len = 0;
		error = docket_buf_printf(&line, "Báo cáo chưa được phê duyệt, không tổng hợp (%zu): %s.", np, pending.ptr);
		if (!error && !add_block(dst, "item", line.ptr))
			error = DOCKET_ERROR;
	}
	if (!error && nm) {
		line.len = 0;
		error = docket_buf_printf(&line, "Đơn vị chưa báo cáo (%zu): %s.", nm, missing.ptr);
		if (!error && !add_block(dst, "item", line.ptr))
			error = DOCKET_ERROR;
	}
	if (!error && unaggregated->len) {
		line.len = 0;
		error = docket_buf_printf(&line, "Chỉ tiêu chưa tổng hợp được số liệu: %s.", unaggregated->ptr);
		if (!error && !add_block(dst, "item", line.ptr))
			error = DOCKET_ERROR;
	}
	if (error == DOCKET_ERROR && !docket_error_code())
		error = docket_error_set(DOCKET_ERROR, "out of memory");
	docket_buf_free(&counted);
	docket_buf_free(&pending);
	docket_buf_free(&missing);
	docket_buf_free(&line);
	return error;
}

/*
 * What the aggregation counts (the approved reports; the others noted) and the totals per
 * indicator of PPLAN for YEAR; UNAGGREGATED collects the indicators that could not be added up.
 */
static int rollup_totals(docket_rollup *out, rep **chosen, xmlNodePtr pplan, int year, docket_buf *unaggregated)
{
	docket_buf missing = DOCKET_BUF_INIT;
	xmlNodePtr ind;
	size_t i, nind = 0;
	int error = 0;

	for (i = 0; i < out->n; i++) {
		docket_unit_report *row = &out->units[i];
		docket_buf note = DOCKET_BUF_INIT;
		row->counted = row->status == DOCKET_REPORT_APPROVED;
		if (row->counted)
			continue;
		if (row->report)
			error = docket_buf_printf(&note, "not approved (state '%s'): not counted", row->state);
		else
			error = docket_buf_puts(&note, "no report");
		row->note = docket_buf_detach(&note, NULL);
		if (error < 0 || !row->note) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto done;
		}
	}
	for (ind = docket_plan_next_indicator(pplan, NULL); ind; ind = docket_plan_next_indicator(pplan, ind))
		nind++;
	if (nind && !(out->totals = calloc(nind, sizeof(*out->totals)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto done;
	}
	for (ind = docket_plan_next_indicator(pplan, NULL); ind; ind = docket_plan_next_indicator(pplan, ind)) {
		docket_indicator_total *t = &out->totals[out->ntotals++];
		missing.len = 0;
		if ((error = total_one(t, ind, out, chosen, year, &missing)) < 0)
			goto done;
		if (!t->value && !t->units && t->na_units)
			error = docket_buf_printf(unaggregated, "%s%s (không áp dụng đối với các đơn vị đã báo cáo)",
			                          unaggregated->len ? "; " : "", t->indicator);
		else if (!t->value)
			error = docket_buf_printf(unaggregated, "%s%s (không có số liệu)", unaggregated->len ? "; " : "",
			                          t->indicator);
		else if (missing.len)
			error = docket_buf_printf(unaggregated, "%s%s (thiếu số liệu của %s)", unaggregated->len ? "; " : "",
			                          t->indicator, missing.ptr);
		if (error < 0)
			goto done;
	}

	error = 0;
done:
	docket_buf_free(&missing);
	return error;
}

int docket_draft_aggregate(docket_rollup *out, docket_repo *repo, const char *plan, int year,
                           const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_doc *pdoc = NULL;
	docket_job job;
	docket_findings *findings = NULL;
	docket_buf title = DOCKET_BUF_INIT, unaggregated = DOCKET_BUF_INIT;
	docket_org org;
	xmlDocPtr scratch = NULL;
	xmlNodePtr holder = NULL, pplan;
	scan s;
	rep **chosen = NULL;
	char *unit = NULL, *code = NULL, *today = NULL, commit[41] = "";
	size_t i;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	memset(&job, 0, sizeof(job));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --plan PLAN");
	if (year < 1900 || year > 2200)
		return docket_error_set(DOCKET_EUSAGE, "give the year reported on with --year YYYY");
	if (!(today = docket_today()))
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	if (!(pplan = docket_doc_body(pdoc, "plan"))) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	unit = opts->unit ? docket_strdup(opts->unit) : docket_doc_unit_text(pdoc);
	if ((error = docket_draft_authorise(&person, cfg, opts->actor, unit)) < 0)
		goto cleanup;
	if (!unit && !(unit = docket_strdup(person.unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if ((error = rollup_read(out, &s, &chosen, repo, cfg, docket_doc_id(pdoc), year, unit, today)) < 0)
		goto cleanup;
	/* the department's own report of the year, from an earlier run: rewritten while it is a
	 * draft, never a second one, and never one that has moved on */
	{
		docket_workflow *wf = NULL;
		for (i = 0; i < s.nreps && !error; i++) {
			rep *r = &s.reps[i];
			if (!r->unit || strcmp(r->unit, unit))
				continue;
			if (!wf && (error = docket_workflow_load(&wf, repo, NULL, "report")) < 0)
				break;
			if (*r->state && !docket_workflow_is_editable(wf, r->state))
				error = docket_error_set(DOCKET_EDENIED, "the report '%s' of %s on %d is in the state '%s': it has "
				                         "left draft and is not rewritten (return it first)", r->id, unit, year,
				                         r->state);
			else if (!job.replace && !(job.replace = docket_strdup(r->id)))
				error = docket_error_set(DOCKET_ERROR, "out of memory");
		}
		docket_workflow_free(wf);
		if (error < 0)
			goto cleanup;
	}
	if ((error = rollup_totals(out, chosen, pplan, year, &unaggregated)) < 0)
		goto cleanup;

	/* the document */
	docket_config_org(&org, cfg);
	code = docket_doc_code(pdoc);
	if ((error = docket_buf_printf(&title, "Tổng hợp kết quả thực hiện năm %d %s %s", year,
	                               code ? "Kế hoạch số" : "kế hoạch", code ? code : docket_doc_id(pdoc))) < 0)
		goto cleanup;
	job.kind = "report";
	job.template_name = opts->template_name ? opts->template_name : "annual-report";
	job.year = year;
	if ((error = docket_tpl_vars_new(&job.vars)) < 0 ||
	    (error = docket_draft_base_vars(job.vars, cfg, &person, unit, opts->title ? opts->title : title.ptr,
	                                    NULL)) < 0)
		goto cleanup;
	{
		int any = 0;
		for (i = 0; i < out->ntotals; i++)
			any |= out->totals[i].value != NULL;
		/* nothing to add up: the skeleton, as a unit's report has it */
		if ((error = docket_draft_report_vars(job.vars, cfg, pdoc, year, NULL, !any)) < 0)
			goto cleanup;
	}
	if (org.parent && ((error = docket_tpl_vars_set(job.vars, "to.text", org.parent)) < 0 ||
	                   (error = docket_tpl_vars_set(job.vars, "addressee", org.parent)) < 0))
		goto cleanup;
	for (i = 0; i < out->n; i++)
		if (out->units[i].counted && (error = docket_draft_basis_item(job.vars, chosen[i]->doc, today)) < 0)
			goto cleanup;
	for (i = 0; i < out->ntotals; i++) {
		docket_indicator_total *t = &out->totals[i];
		docket_tpl_vars *iv;
		docket_buf note = DOCKET_BUF_INIT;
		char n[32], d[32], target[64];
		if (!t->value && !t->units && t->na_units) {
			/* every counted unit says the indicator does not apply: neither does the sum */
			if ((error = docket_tpl_vars_append(&iv, job.vars, "indicators")) < 0 ||
			    (error = docket_tpl_vars_set(iv, "id", t->indicator)) < 0 ||
			    (error = docket_tpl_vars_set(iv, "applicable", "false")) < 0)
				goto cleanup;
			continue;
		}
		if (!t->value)
			continue;
		vn_number(target, sizeof(target), t->target);
		if (t->met >= 0)
			error = docket_buf_printf(&note, "%s mục tiêu năm %d (%s %s%s). ", t->met ? "Đạt" : "Chưa đạt",
			                          t->target_year, cmp_sign(t->comparison), target,
			                          strcmp(t->measure, "rate") == 0 ? "%" : "");
		if (error >= 0)
			error = docket_buf_printf(&note, "Tổng hợp từ %zu đơn vị.", t->units);
		snprintf(n, sizeof(n), "%llu", (unsigned long long)t->numerator);
		snprintf(d, sizeof(d), "%llu", (unsigned long long)t->denominator);
		if (error < 0 ||
		    (error = docket_tpl_vars_append(&iv, job.vars, "indicators")) < 0 ||
		    (error = docket_tpl_vars_set(iv, "id", t->indicator)) < 0 ||
		    (error = docket_tpl_vars_set(iv, "value", t->value)) < 0 ||
		    (error = docket_tpl_vars_set(iv, "note", note.ptr)) < 0 ||
		    (strcmp(t->measure, "rate") == 0 &&
		     ((error = docket_tpl_vars_set(iv, "numerator", n)) < 0 ||
		      (error = docket_tpl_vars_set(iv, "denominator", d)) < 0))) {
			docket_buf_free(&note);
			goto cleanup;
		}
		docket_buf_free(&note);
	}
	/* narratives: the units' own words per task group, and who reported */
	if (!(scratch = xmlNewDoc((const xmlChar *)"1.0")) ||
	    !(holder = xmlNewDocNode(scratch, NULL, (const xmlChar *)"scratch", NULL))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	xmlDocSetRootElement(scratch, holder);
	xmlSetNs(holder, xmlNewNs(holder, (const xmlChar *)DOCKET_NS, NULL));
	{
		xmlNodePtr status = add_block(holder, "status", NULL);
		if (!status)
			error = docket_error_set(DOCKET_ERROR, "out of memory");
		if (error < 0 || (error = rollup_text(status, out, &unaggregated)) < 0 ||
		    (error = docket_tpl_vars_set_xml(job.vars, "rollup", status)) < 0)
			goto cleanup;
	}
	{
		size_t gi = 0;
		DFOR(g, DN(pplan, "tasks"), "group") {
			char *gid = docket_attr(g, "id");
			xmlNodePtr text = add_block(holder, "text", NULL);
			/* the matching item of the "groups" list docket_draft_report_vars made */
			docket_tpl_vars *gv = docket_tpl_vars_item(job.vars, "groups", gi++);
			if (!text || !gv)
				error = docket_error_set(DOCKET_ERROR, "out of memory");
			else
				error = narrative_of(text, gid ? gid : "", out, chosen);
			if (!error && text->children)
				error = docket_tpl_vars_set_xml(gv, "text", text);
			free(gid);
			if (error < 0)
				goto cleanup;
		}
	}
	{
		const char *const *set = opts->set;
		for (; set && *set; set++)
			if ((error = docket_tpl_vars_assign(job.vars, *set)) < 0)
				goto cleanup;
	}
	if (!(job.unit = docket_strdup(unit)) || !(job.id_unit = docket_strdup(unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = docket_job_run(commit, &findings, repo, &job, 1, opts->actor, "aggregate");
	if (error == DOCKET_EINVALID && job.replace && job.path && (!findings || !docket_findings_count(findings))) {
		/* the draft says it already: nothing to commit, nothing refused */
		docket_error_clear();
		commit[0] = '\0';
		error = 0;
	}
	out->doc.findings = findings;
	if (error < 0)
		goto cleanup;
	out->doc.id = job.id;
	out->doc.path = job.path;
	job.id = job.path = NULL;
	memcpy(out->doc.commit, commit, 41);
cleanup:
	if (error < 0) {
		docket_findings *keep = out->doc.findings;
		out->doc.findings = NULL;
		docket_rollup_free(out);
		out->doc.findings = keep;
	}
	docket_job_clear(&job);
	xmlFreeDoc(scratch);
	free(chosen);
	free(unit);
	free(code);
	free(today);
	docket_buf_free(&title);
	docket_buf_free(&unaggregated);
	scan_free(&s);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}

/*
 * What docket_draft_aggregate would add up, without writing anything: the rows of
 * docket_draft_status with counted and note set, and the totals per indicator.
 */
int docket_draft_totals(docket_rollup *out, docket_repo *repo, const char *plan, int year, const char *today)
{
	docket_config *cfg = NULL;
	docket_doc *pdoc = NULL;
	docket_buf unaggregated = DOCKET_BUF_INIT;
	xmlNodePtr pplan;
	scan s;
	rep **chosen = NULL;
	char *aggregator = NULL, *now = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&s, 0, sizeof(s));
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --plan PLAN");
	if (year < 1900 || year > 2200)
		return docket_error_set(DOCKET_EUSAGE, "give the year reported on with --year YYYY");
	if (!today && !(today = now = docket_today()))
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	if (!(pplan = docket_doc_body(pdoc, "plan"))) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	aggregator = docket_doc_unit_text(pdoc);
	if ((error = rollup_read(out, &s, &chosen, repo, cfg, docket_doc_id(pdoc), year, aggregator, today)) < 0)
		goto cleanup;
	error = rollup_totals(out, chosen, pplan, year, &unaggregated);
cleanup:
	if (error < 0)
		docket_rollup_free(out);
	free(chosen);
	free(aggregator);
	free(now);
	docket_buf_free(&unaggregated);
	scan_free(&s);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}

/* --- every missing report at once ------------------------------------------------------------ */

int docket_draft_report_all(docket_batch_result *out, docket_repo *repo, const char *plan, int year,
                            const char *recipient_unit, const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_doc *pdoc = NULL;
	docket_rollup roll;
	docket_job *jobs = NULL;
	docket_findings *findings = NULL;
	docket_buf title = DOCKET_BUF_INIT;
	char *code = NULL, *to = NULL;
	size_t i, n = 0;
	int error, statistician;

	memset(out, 0, sizeof(*out));
	memset(&roll, 0, sizeof(roll));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --plan PLAN");
	if (year < 1900 || year > 2200)
		return docket_error_set(DOCKET_EUSAGE, "give the year reported on with --year YYYY");
	if (!opts || !opts->actor || !*opts->actor)
		return docket_error_set(DOCKET_EUSAGE, "who is drafting? give --as PERSON or set DOCKET_ACTOR");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	if (docket_config_person(&person, cfg, opts->actor) < 0) {
		error = docket_error_set(DOCKET_EDENIED, "'%s' is not a person of this organisation (see 'docket person "
		                         "list')", opts->actor);
		goto cleanup;
	}
	/* the department's statistician drafts for every unit; anyone else for the units they may */
	statistician = docket_person_has_role(&person, "statistician");
	if (!docket_doc_body(pdoc, "plan") || strcmp(docket_doc_kind(pdoc), "plan")) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	if ((error = docket_draft_status(&roll, repo, docket_doc_id(pdoc), year, NULL)) < 0)
		goto cleanup;
	if (recipient_unit)
		to = docket_strdup(recipient_unit);
	else if ((error = docket_doc_drafting_unit(&to, pdoc)) < 0)
		goto cleanup;
	code = docket_doc_code(pdoc);
	if ((error = docket_buf_printf(&title, "Kết quả thực hiện năm %d %s %s", year, code ? "Kế hoạch số" : "kế hoạch",
	                               code ? code : docket_doc_id(pdoc))) < 0)
		goto cleanup;
	if (!(jobs = calloc(roll.n + 1, sizeof(*jobs)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < roll.n; i++) {
		const docket_unit_report *u = &roll.units[i];
		docket_person who;
		docket_job *j;
		if (u->report)
			continue;
		if (!statistician && docket_draft_authorise(&who, cfg, opts->actor, u->unit) < 0) {
			docket_draft_item *s = realloc(out->skipped, (out->nskipped + 1) * sizeof(*s));
			if (!s) {
				error = docket_error_set(DOCKET_ERROR, "out of memory");
				goto cleanup;
			}
			out->skipped = s;
			s = &s[out->nskipped++];
			memset(s, 0, sizeof(*s));
			s->unit = docket_strdup(u->unit);
			s->reason = docket_strdup(docket_error_last());
			docket_error_clear();
			continue;
		}
		j = &jobs[n++];
		j->kind = "report";
		j->template_name = opts->template_name ? opts->template_name : "annual-report";
		j->year = year;
		if ((error = docket_tpl_vars_new(&j->vars)) < 0 ||
		    (error = docket_draft_base_vars(j->vars, cfg, &person, u->unit, opts->title ? opts->title : title.ptr,
		                                    NULL)) < 0 ||
		    (error = docket_draft_report_vars(j->vars, cfg, pdoc, year, to, 1)) < 0)
			goto cleanup;
		for (const char *const *set = opts->set; set && *set; set++)
			if ((error = docket_tpl_vars_assign(j->vars, *set)) < 0)
				goto cleanup;
		if (!(j->unit = docket_strdup(u->unit)) || !(j->id_unit = docket_strdup(u->unit))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
	}
	if (!n) {
		error = docket_error_set(DOCKET_EINVALID, "no report to draft: every unit expected to report on '%s' for %d "
		                         "has one%s", plan, year, out->nskipped ? " or was skipped" : "");
		goto cleanup;
	}
	error = docket_job_run(out->commit, &findings, repo, jobs, n, opts->actor, "new report");
	out->findings = findings;
	if (error < 0)
		goto cleanup;
	if (!(out->items = calloc(n, sizeof(*out->items)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		out->items[i].id = jobs[i].id;
		out->items[i].path = jobs[i].path;
		out->items[i].unit = jobs[i].unit;
		jobs[i].id = jobs[i].path = jobs[i].unit = NULL;
	}
	out->n = n;
cleanup:
	for (i = 0; jobs && i < n; i++)
		docket_job_clear(&jobs[i]);
	free(jobs);
	free(code);
	free(to);
	docket_buf_free(&title);
	docket_rollup_free(&roll);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}

/* --- what is late ------------------------------------------------------------------------------ */

void docket_overdue_free(docket_overdue *o)
{
	if (!o)
		return;
	for (size_t i = 0; i < o->n; i++) {
		docket_late *l = &o->items[i];
		free(l->task); free(l->unit); free(l->unit_name); free(l->due); free(l->what); free(l->doc);
		free(l->state); free(l->action); free(l->who);
	}
	free(o->items);
	memset(o, 0, sizeof(*o));
}

typedef struct {
	docket_repo *repo;
	docket_doc **docs;
	size_t n;
	int error;
} doc_list;

static int collect_docs(const char *path, void *payload)
{
	doc_list *l = payload;
	char *buf = NULL;
	size_t len = 0;
	docket_doc *doc = NULL, **p;

	if (docket_repo_read(&buf, &len, l->repo, NULL, path) < 0 || docket_doc_parse(&doc, buf, len, path) < 0) {
		docket_error_clear();
		free(buf);
		return 0;
	}
	free(buf);
	if (!(p = realloc(l->docs, (l->n + 1) * sizeof(*p)))) {
		docket_doc_free(doc);
		l->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return 1;
	}
	l->docs = p;
	p[l->n++] = doc;
	return 0;
}

/* The names of the people who may take a transition of WF out of STATE on DOC ("; "-joined),
 * and those transitions; for no document (DOC NULL) the drafters and heads of UNIT. */
static int who_acts(docket_buf *who, docket_buf *action, const docket_config *cfg, docket_workflow *wf,
                    docket_doc *doc, const char *state, const char *unit)
{
	docket_buf why = DOCKET_BUF_INIT;
	docket_person p;
	char *dunit = NULL;
	int error = 0;

	if (doc && docket_doc_drafting_unit(&dunit, doc) < 0)
		docket_error_clear();

	for (size_t i = 0; !doc && docket_config_person_at(&p, cfg, i) == 0 && !error; i++)
		if ((docket_person_has_role(&p, "drafter") || docket_person_has_role(&p, "reviewer")) &&
		    docket_unit_covers(cfg, p.unit, unit))
			error = docket_buf_printf(who, "%s%s (%s)", who->len ? "; " : "", p.name ? p.name : p.id, p.id);
	if (!doc)
		error = error < 0 ? error : docket_buf_puts(action, "draft the report");
	for (size_t t = 0; doc && t < docket_workflow_transition_count(wf) && !error; t++) {
		const docket_transition_def *d = docket_workflow_transition_at(wf, t);
		int from = 0, any = 0;
		for (const char *const *f = d->from; f && *f; f++)
			from |= strcmp(*f, state) == 0;
		/* a return is how a late document gets later still: not the action awaited */
		if (!from || strcmp(d->id, "return") == 0)
			continue;
		for (size_t i = 0; docket_config_person_at(&p, cfg, i) == 0 && !error; i++)
			if (docket_authorise(d, &p, cfg, doc, dunit, &why) &&
			    docket_separated(d, docket_doc_root(doc), p.id, &why)) {
				error = docket_buf_printf(who, "%s%s (%s)", who->len ? "; " : "", p.name ? p.name : p.id, p.id);
				any = 1;
			}
		if (!error && any)
			error = docket_buf_printf(action, "%s%s", action->len ? ", " : "", d->id);
	}
	docket_error_clear();
	free(dunit);
	docket_buf_free(&why);
	return error;
}

int docket_draft_overdue(docket_overdue *out, docket_repo *repo, const char *today)
{
	docket_config *cfg = NULL;
	docket_workflow *twf = NULL, *rwf = NULL;
	doc_list tasks = { repo, NULL, 0, 0 }, reports = { repo, NULL, 0, 0 };
	char *now = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (!today && !(today = now = docket_today()))
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_workflow_load(&twf, repo, NULL, "task")) < 0 ||
	    (error = docket_workflow_load(&rwf, repo, NULL, "report")) < 0 ||
	    (error = docket_repo_walk(repo, NULL, "documents/task/", collect_docs, &tasks)) < 0 ||
	    (error = docket_repo_walk(repo, NULL, "documents/report/", collect_docs, &reports)) < 0)
		goto cleanup;
	if ((error = tasks.error ? tasks.error : reports.error) < 0)
		goto cleanup;
	for (size_t i = 0; i < tasks.n; i++) {
		docket_doc *t = tasks.docs[i], *rdoc = NULL;
		xmlNodePtr body = docket_doc_body(t, "task");
		char *due = docket_xml_text_trim(DN(body, "due")), *unit = docket_attr(DN(body, "assignee"), "unit");
		char *kind = docket_attr(DN(body, "deliverable"), "kind"), *plan = docket_attr(DN(body, "source"), "plan");
		const char *tstate = docket_doc_state(t) ? docket_doc_state(t) : docket_workflow_initial(twf);
		docket_buf who = DOCKET_BUF_INIT, action = DOCKET_BUF_INIT;
		docket_late *l;
		docket_unit u;
		int late = due && unit && strcmp(today, due) > 0 && !docket_workflow_is_final(twf, tstate);

		if (late && kind && strcmp(kind, "report") == 0 && plan) {
			/* the report is what was asked for: late until it is approved */
			for (size_t k = 0; k < reports.n; k++) {
				xmlNodePtr r = docket_doc_body(reports.docs[k], "report");
				char *ref = docket_attr(DN(r, "plan"), "ref"), *y = docket_xml_text_trim(DN(r, "year"));
				char *ru = docket_xml_text_trim(DN(r, "unit"));
				if (ref && y && ru && strcmp(ref, plan) == 0 && atoi(y) == atoi(due) && strcmp(ru, unit) == 0 &&
				    (!rdoc || rank(docket_doc_state(reports.docs[k])) >= rank(docket_doc_state(rdoc))))
					rdoc = reports.docs[k];
				free(ref);
				free(y);
				free(ru);
			}
			late = !rdoc || !docket_doc_state(rdoc) || !docket_workflow_is_final(rwf, docket_doc_state(rdoc));
		}
		if (late) {
			const char *rstate = rdoc ? (docket_doc_state(rdoc) ? docket_doc_state(rdoc) : docket_workflow_initial(rwf)) : NULL;
			if (kind && strcmp(kind, "report") == 0)
				error = who_acts(&who, &action, cfg, rwf, rdoc, rstate, unit);
			else
				error = who_acts(&who, &action, cfg, twf, t, tstate, unit);
			if (error >= 0 && !(l = realloc(out->items, (out->n + 1) * sizeof(*l))))
				error = docket_error_set(DOCKET_ERROR, "out of memory");
			if (error >= 0) {
				out->items = l;
				l = &l[out->n++];
				memset(l, 0, sizeof(*l));
				l->task = docket_strdup(docket_doc_id(t));
				l->unit = docket_strdup(unit);
				l->unit_name = docket_config_unit(&u, cfg, unit) == 0 && u.name ? docket_strdup(u.name) : NULL;
				l->due = docket_strdup(due);
				l->what = docket_strdup(kind && strcmp(kind, "report") == 0 ? "report" : "task");
				l->doc = rdoc ? docket_strdup(docket_doc_id(rdoc)) : kind && strcmp(kind, "report") == 0 ? NULL :
				         docket_strdup(docket_doc_id(t));
				l->state = docket_strdup(rdoc ? rstate : kind && strcmp(kind, "report") == 0 ? "not-started" : tstate);
				l->action = docket_buf_detach(&action, NULL);
				l->who = docket_buf_detach(&who, NULL);
				docket_error_clear();
			}
		}
		docket_buf_free(&who);
		docket_buf_free(&action);
		free(due);
		free(unit);
		free(kind);
		free(plan);
		if (error < 0)
			goto cleanup;
	}
cleanup:
	if (error < 0)
		docket_overdue_free(out);
	for (size_t i = 0; i < tasks.n; i++)
		docket_doc_free(tasks.docs[i]);
	for (size_t i = 0; i < reports.n; i++)
		docket_doc_free(reports.docs[i]);
	free(tasks.docs);
	free(reports.docs);
	free(now);
	docket_workflow_free(twf);
	docket_workflow_free(rwf);
	docket_config_free(cfg);
	return error;
}
