/*
 * draftcheck: the arithmetic and the rules of the plan cascade. Two rules that XSD cannot
 * say and that need other documents of the repository: a unit plan may not set a target
 * weaker than the plan it carries out (the floor), and an annual report may be submitted
 * only when complete (every indicator of the plan, rates consistent with their numerator and
 * denominator, the year inside the plan's period, the plan issued). Both add findings in the
 * FILE:LINE:COL form of validate.c.
 *
 * Figures are compared exactly: decimals are read as integer mantissas with a scale, rates as
 * fractions, and compared by cross-multiplying in 128-bit integers, so "0.08 < 0.08" or
 * "99.99 >= 99.99" never depend on binary floating point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draft_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

__extension__ typedef __int128 i128;

/* --- decimals -------------------------------------------------------------------------------- */

int docket_dec_parse(docket_dec *out, const char *s)
{
	int neg = 0, digits = 0, scale = 0, dot = 0;
	int64_t m = 0;

	if (!s)
		return DOCKET_EINVALID;
	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		if (m > (INT64_MAX - 9) / 10) {
			/* beyond 18 digits: drop digits after the point, refuse digits before it */
			if (dot)
				continue;
			return DOCKET_EINVALID;
		}
		m = m * 10 + (*s - '0');
		scale += dot;
		digits++;
	}
	while (*s == ' ')
		s++;
	if (*s || !digits)
		return DOCKET_EINVALID;
	while (scale > 0 && m % 10 == 0) {
		m /= 10;
		scale--;
	}
	/* keeps every product below in 128 bits */
	if (scale > 12)
		return DOCKET_EINVALID;
	out->mant = neg ? -m : m;
	out->scale = scale;
	return 0;
}

static i128 pow10i(int n)
{
	i128 p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

int docket_dec_cmp(const docket_dec *a, const docket_dec *b)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	i128 x = (i128)a->mant * pow10i(s - a->scale), y = (i128)b->mant * pow10i(s - b->scale);
	return x < y ? -1 : x > y;
}

int docket_dec_add(docket_dec *out, const docket_dec *a, const docket_dec *b)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	i128 x = (i128)a->mant * pow10i(s - a->scale) + (i128)b->mant * pow10i(s - b->scale);

	if (x > INT64_MAX || x < -INT64_MAX)
		return docket_error_set(DOCKET_EINVALID, "the sum is too large");
	out->mant = (int64_t)x;
	out->scale = s;
	while (out->scale > 0 && out->mant % 10 == 0) {
		out->mant /= 10;
		out->scale--;
	}
	return 0;
}

void docket_dec_format(char *out, size_t size, const docket_dec *d)
{
	uint64_t m = d->mant < 0 ? (uint64_t)(-(d->mant + 1)) + 1 : (uint64_t)d->mant;
	char digits[32], buf[64];
	int n, scale = d->scale, i, o = 0;

	if (m == 0)
		scale = 0;
	n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)m);
	while (scale > 0 && n > 1 && digits[n - 1] == '0') {
		digits[--n] = '\0';
		scale--;
	}
	if (d->mant < 0)
		buf[o++] = '-';
	if (scale >= n) {
		/* 0.0…digits */
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < scale - n; i++)
			buf[o++] = '0';
		memcpy(buf + o, digits, (size_t)n);
		o += n;
	} else {
		memcpy(buf + o, digits, (size_t)(n - scale));
		o += n - scale;
		if (scale > 0) {
			buf[o++] = '.';
			memcpy(buf + o, digits + n - scale, (size_t)scale);
			o += scale;
		}
	}
	buf[o] = '\0';
	snprintf(out, size, "%s", buf);
}

/* --- targets and rates ------------------------------------------------------------------------ */

/* Compare the fraction K * NUM / DEN with T: -1, 0, 1. */
static int frac_cmp(uint64_t num, uint64_t den, int k, const docket_dec *t)
{
	i128 lhs = (i128)num * k * pow10i(t->scale), rhs = (i128)t->mant * (i128)den;
	return lhs < rhs ? -1 : lhs > rhs;
}

static int verdict(const char *cmp, int sign)
{
	if (strcmp(cmp, "ge") == 0) return sign >= 0;
	if (strcmp(cmp, "gt") == 0) return sign > 0;
	if (strcmp(cmp, "le") == 0) return sign <= 0;
	if (strcmp(cmp, "lt") == 0) return sign < 0;
	if (strcmp(cmp, "eq") == 0) return sign == 0;
	return -1;
}

int docket_target_met(int *met, const char *comparison, const char *target, uint64_t num,
                      uint64_t den, int rate)
{
	docket_dec t;
	int v;

	if (!met || !comparison || !target || den == 0 || docket_dec_parse(&t, target) < 0)
		return docket_error_set(DOCKET_EUSAGE, "cannot judge against the target '%s'", target ? target : "");
	if ((v = verdict(comparison, frac_cmp(num, den, rate ? 100 : 1, &t))) < 0)
		return docket_error_set(DOCKET_EUSAGE, "unknown comparison '%s'", comparison);
	*met = v;
	return 0;
}

int docket_rate_format(char *out, size_t size, uint64_t num, uint64_t den, const char *target)
{
	docket_dec t, r;
	int places, have_target;

	if (den == 0 || size == 0)
		return docket_error_set(DOCKET_EUSAGE, "a rate needs a positive denominator");
	have_target = target && docket_dec_parse(&t, target) == 0;
	for (places = 2; places <= 8; places++) {
		/* round half up: floor((2 * 100 * num * 10^places + den) / (2 * den)) */
		i128 scaled = ((i128)num * 200 * pow10i(places) + den) / ((i128)den * 2);
		if (scaled > INT64_MAX)
			return docket_error_set(DOCKET_EUSAGE, "the rate %llu/%llu is too large",
			                        (unsigned long long)num, (unsigned long long)den);
		r.mant = (int64_t)scaled;
		r.scale = places;
		if (!have_target || docket_dec_cmp(&r, &t) == frac_cmp(num, den, 100, &t))
			break;
	}
	docket_dec_format(out, size, &r);
	return 0;
}

int docket_target_not_weaker(const char *parent_cmp, const char *parent_value,
                             const char *unit_cmp, const char *unit_value)
{
	docket_dec p, u;
	int c, lower_p, lower_u;

	if (!parent_cmp || !unit_cmp || docket_dec_parse(&p, parent_value) < 0 ||
	    docket_dec_parse(&u, unit_value) < 0 || verdict(parent_cmp, 0) < 0 || verdict(unit_cmp, 0) < 0)
		return docket_error_set(DOCKET_EUSAGE, "cannot compare the targets '%s' and '%s'",
		                        parent_value ? parent_value : "", unit_value ? unit_value : "");
	c = docket_dec_cmp(&u, &p);
	if (strcmp(parent_cmp, "eq") == 0 || strcmp(unit_cmp, "eq") == 0)
		return strcmp(parent_cmp, unit_cmp) == 0 && c == 0;
	lower_p = parent_cmp[0] == 'g';
	lower_u = unit_cmp[0] == 'g';
	if (lower_p != lower_u)
		return 0;
	if (lower_p) {
		/* a floor: the unit's must be at least as high, and as strict when equal */
		if (c != 0)
			return c > 0;
		return !(strcmp(parent_cmp, "gt") == 0 && strcmp(unit_cmp, "ge") == 0);
	}
	if (c != 0)
		return c < 0;
	return !(strcmp(parent_cmp, "lt") == 0 && strcmp(unit_cmp, "le") == 0);
}

static const char *cmp_sign(const char *cmp)
{
	if (!cmp) return "?";
	if (strcmp(cmp, "ge") == 0) return "≥";
	if (strcmp(cmp, "gt") == 0) return ">";
	if (strcmp(cmp, "le") == 0) return "≤";
	if (strcmp(cmp, "lt") == 0) return "<";
	if (strcmp(cmp, "eq") == 0) return "=";
	return cmp;
}

/* --- documents and plans -------------------------------------------------------------------- */

xmlNodePtr docket_doc_root(docket_doc *doc)
{
	return xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
}

xmlNodePtr docket_doc_body(docket_doc *doc, const char *kind)
{
	return docket_xml_child(DN(docket_doc_root(doc), "content"), DOCKET_NS, kind);
}

char *docket_doc_code(docket_doc *doc)
{
	docket_doc_summary s;
	char *code;

	docket_doc_summarize(&s, doc);
	code = s.number;
	s.number = NULL;
	docket_doc_summary_free(&s);
	return code;
}

int docket_result_not_applicable(xmlNodePtr result)
{
	char *v = docket_attr(result, "applicable");
	int na = v && (strcmp(v, "false") == 0 || strcmp(v, "0") == 0);
	free(v);
	return na;
}

xmlNodePtr docket_plan_next_indicator(xmlNodePtr plan, xmlNodePtr prev)
{
	xmlNodePtr obj, ind;

	if (prev) {
		if ((ind = docket_xml_next(prev)) != NULL)
			return ind;
		obj = docket_xml_next(prev->parent);
	} else {
		obj = DN(plan, "objectives/specific/objective");
	}
	for (; obj; obj = docket_xml_next(obj))
		if ((ind = docket_xml_child(obj, DOCKET_NS, "indicator")) != NULL)
			return ind;
	return NULL;
}

xmlNodePtr docket_plan_indicator(xmlNodePtr plan, const char *id)
{
	xmlNodePtr ind;

	for (ind = docket_plan_next_indicator(plan, NULL); ind && id; ind = docket_plan_next_indicator(plan, ind)) {
		char *v = docket_attr(ind, "id");
		int same = v && strcmp(v, id) == 0;
		free(v);
		if (same)
			return ind;
	}
	return NULL;
}

static int int_attr(xmlNodePtr n, const char *name, int fallback)
{
	char *v = docket_attr(n, name), *end = NULL;
	long l = v ? strtol(v, &end, 10) : fallback;
	int ok = v && end && end != v && *end == '\0';
	free(v);
	return ok ? (int)l : fallback;
}

static int bool_attr(xmlNodePtr n, const char *name)
{
	char *v = docket_attr(n, name);
	int yes = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	free(v);
	return yes;
}

xmlNodePtr docket_indicator_target(xmlNodePtr indicator, int year, int *target_year)
{
	xmlNodePtr prev = NULL, next = NULL, best = NULL;
	int py = 0, ny = 0;

	*target_year = 0;
	DFOR(t, indicator, "target") {
		int y = int_attr(t, "year", 0);
		if (y == year) {
			*target_year = y;
			return t;
		}
		if (y < year && (!prev || y > py)) {
			prev = t;
			py = y;
		}
		if (y > year && (!next || y < ny)) {
			next = t;
			ny = y;
		}
	}
	/* "duy trì": a maintain target holds in every year since the previous milestone */
	if (next && prev && bool_attr(next, "maintain"))
		best = next;
	else if (next && prev)
		best = (ny - year) <= (year - py) ? next : prev;
	else
		best = next ? next : prev;
	if (best)
		*target_year = best == next ? ny : py;
	return best;
}

int docket_plan_issued(docket_doc *plan, docket_repo *repo, const char *rev)
{
	const char *state = docket_doc_state(plan);
	docket_workflow *wf = NULL;
	int issued;

	if (!state) {
		char *code = docket_doc_code(plan);
		issued = code != NULL;
		free(code);
		return issued;
	}
	if (docket_workflow_load(&wf, repo, rev, "plan") < 0) {
		docket_error_clear();
		return strcmp(state, "issued") == 0;
	}
	issued = docket_workflow_is_final(wf, state);
	docket_workflow_free(wf);
	return issued;
}

/* --- the floor rule ------------------------------------------------------------------------- */

typedef struct {
	docket_findings *out;
	docket_doc *doc;
	int error;
} rule_ctx;

static void finding(rule_ctx *c, xmlNodePtr node, const char *attr, const char *fmt, ...) DOCKET_PRINTF(4, 5);
static void finding(rule_ctx *c, xmlNodePtr node, const char *attr, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	int line, col;

	docket_doc_position(c->doc, node, attr, &line, &col);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (docket_findings_add(c->out, docket_doc_name(c->doc), line, col, "%s", msg) < 0)
		c->error = DOCKET_ERROR;
}

static xmlNodePtr target_of_year(xmlNodePtr indicator, const char *year)
{
	DFOR(t, indicator, "target") {
		char *y = docket_attr(t, "year");
		int same = y && year && strcmp(y, year) == 0;
		free(y);
		if (same)
			return t;
	}
	return NULL;
}

static void floor_against(rule_ctx *c, xmlNodePtr plan, xmlNodePtr parent, const char *parent_id)
{
	xmlNodePtr ind;

	for (ind = docket_plan_next_indicator(plan, NULL); ind && !c->error; ind = docket_plan_next_indicator(plan, ind)) {
		char *id = docket_attr(ind, "id"), *cmp = docket_attr(ind, "comparison"), *pcmp = NULL;
		xmlNodePtr pind = docket_plan_indicator(parent, id);
		int reported_cmp = 0;

		if (!pind)
			goto next;
		pcmp = docket_attr(pind, "comparison");
		DFOR(t, ind, "target") {
			char *year = docket_attr(t, "year"), *val = docket_attr(t, "value"), *pval = NULL;
			xmlNodePtr pt = target_of_year(pind, year);
			int ok;
			if (!pt)
				goto next_target;
			pval = docket_attr(pt, "value");
			ok = docket_target_not_weaker(pcmp, pval, cmp, val);
			if (ok < 0) {
				docket_error_clear();
			} else if (!ok && cmp && pcmp && (cmp[0] != pcmp[0] || !strcmp(cmp, "eq") != !strcmp(pcmp, "eq"))) {
				if (!reported_cmp)
					finding(c, ind, "comparison", "indicator %s: the comparison '%s' (%s) goes the other way "
					        "from '%s' (%s) in the plan %s it carries out", id, cmp, cmp_sign(cmp), pcmp,
					        cmp_sign(pcmp), parent_id);
				reported_cmp = 1;
			} else if (!ok) {
				finding(c, t, "value", "indicator %s: the target %s %s for %s is weaker than %s %s set by "
				        "the plan %s it carries out", id, cmp_sign(cmp), val, year, cmp_sign(pcmp), pval,
				        parent_id);
			}
next_target:
			free(year);
			free(val);
			free(pval);
		}
next:
		free(id);
		free(cmp);
		free(pcmp);
	}
}

int docket_draft_check_targets(docket_findings *findings, docket_doc *doc, docket_repo *repo,
                               const char *rev)
{
	rule_ctx c = { findings, doc, 0 };
	xmlNodePtr plan = docket_doc_body(doc, "plan");
	const char *self = docket_doc_id(doc);

	if (!repo || !plan || !docket_doc_kind(doc) || strcmp(docket_doc_kind(doc), "plan"))
		return 0;
	DFOR(b, DN(docket_doc_root(doc), "header/bases"), "basis") {
		char *ref = docket_attr(b, "ref");
		docket_doc *parent = NULL;
		xmlNodePtr pplan;

		if (ref && *ref && (!self || strcmp(ref, self)) && docket_doc_load(&parent, repo, ref, rev) == 0 &&
		    docket_doc_kind(parent) && strcmp(docket_doc_kind(parent), "plan") == 0 &&
		    (pplan = docket_doc_body(parent, "plan")) != NULL)
			floor_against(&c, plan, pplan, ref);
		/* a basis that does not resolve is rule_refs' finding, not ours */
		docket_error_clear();
		docket_doc_free(parent);
		free(ref);
		if (c.error)
			break;
	}
	return c.error;
}

/* --- completeness at submission -------------------------------------------------------------- */

/* Whether VALUE is 100 * NUM / DEN as rounded to VALUE's own number of places. */
static int rate_consistent(const char *value, const char *num, const char *den)
{
	docket_dec v, n, d;
	i128 diff;

	if (docket_dec_parse(&v, value) < 0 || docket_dec_parse(&n, num) < 0 || docket_dec_parse(&d, den) < 0 ||
	    n.scale || d.scale || d.mant <= 0 || n.mant < 0)
		return 0;
	/* |v - 100 n / d| <= 1 / (2 * 10^scale)  <=>  2 * |v.mant * d - 100 * n * 10^scale| <= d */
	diff = (i128)v.mant * d.mant - (i128)n.mant * 100 * pow10i(v.scale);
	if (diff < 0)
		diff = -diff;
	return 2 * diff <= (i128)d.mant;
}

static void check_results(rule_ctx *c, xmlNodePtr report, xmlNodePtr plan, const char *plan_id)
{
	xmlNodePtr results = DN(report, "results"), ind;

	for (ind = docket_plan_next_indicator(plan, NULL); ind && !c->error; ind = docket_plan_next_indicator(plan, ind)) {
		char *id = docket_attr(ind, "id"), *measure = docket_attr(ind, "measure");
		char *name = docket_xml_text_trim(DN(ind, "name"));
		xmlNodePtr r = NULL;

		DFOR(x, results, "result") {
			char *xi = docket_attr(x, "indicator");
			int same = xi && id && strcmp(xi, id) == 0;
			free(xi);
			if (same) {
				r = x;
				break;
			}
		}
		if (!r) {
			finding(c, results ? results : report, NULL, "indicator %s (%s) has no result: fill it in before "
			        "submitting ('docket fill', or na when it does not apply)", id ? id : "?", name ? name : "");
		} else if (docket_result_not_applicable(r)) {
			/* the indicator does not apply to the unit: nothing to require */
		} else if (measure && strcmp(measure, "rate") == 0) {
			char *num = docket_attr(r, "numerator"), *den = docket_attr(r, "denominator");
			char *val = docket_attr(r, "value");
			if (!num || !den)
				finding(c, r, NULL, "indicator %s is a rate: give its numerator and denominator", id);
			else if (!rate_consistent(val, num, den)) {
				char want[64] = "?";
				docket_dec n, d;
				if (docket_dec_parse(&n, num) == 0 && docket_dec_parse(&d, den) == 0 && d.mant > 0 && n.mant >= 0)
					docket_rate_format(want, sizeof(want), (uint64_t)n.mant, (uint64_t)d.mant, NULL);
				finding(c, r, "value", "indicator %s: the value %s does not match 100 × %s / %s = %s", id,
				        val ? val : "", num, den, want);
			}
			free(num);
			free(den);
			free(val);
		}
		free(id);
		free(measure);
		free(name);
	}
	DFOR(x, results, "result") {
		char *xi = docket_attr(x, "indicator");
		if (xi && !docket_plan_indicator(plan, xi))
			finding(c, x, "indicator", "the plan %s has no indicator '%s'", plan_id, xi);
		free(xi);
	}
	DFOR(nv, DN(report, "narratives"), "narrative") {
		char *g = docket_attr(nv, "group");
		int found = 0;
		DFOR(pg, DN(plan, "tasks"), "group") {
			char *pid = docket_attr(pg, "id");
			found |= pid && g && strcmp(pid, g) == 0;
			free(pid);
		}
		if (g && !found)
			finding(c, nv, "group", "the plan %s has no task group '%s'", plan_id, g);
		free(g);
	}
}

int docket_draft_check_submit(docket_findings *findings, docket_doc *doc, docket_repo *repo,
                              const char *rev)
{
	rule_ctx c = { findings, doc, 0 };
	xmlNodePtr report = docket_doc_body(doc, "report"), pref, plan, period;
	docket_doc *pdoc = NULL;
	char *ref = NULL, *year = NULL, *ps = NULL, *pe = NULL;
	int error = 0;

	if (!repo || !report || !docket_doc_kind(doc) || strcmp(docket_doc_kind(doc), "report"))
		return 0;
	pref = DN(report, "plan");
	ref = docket_attr(pref, "ref");
	if (!ref || (error = docket_doc_load(&pdoc, repo, ref, rev)) < 0) {
		if (ref && error != DOCKET_ENOTFOUND && error != DOCKET_EINVALID) {
			c.error = error;
			goto cleanup;
		}
		finding(&c, pref, "ref", "the plan reported on, '%s', is not a document of this repository: "
		        "a report is submitted on a plan it holds", ref ? ref : "");
		docket_error_clear();
		goto cleanup;
	}
	if (!(plan = docket_doc_body(pdoc, "plan")) || strcmp(docket_doc_kind(pdoc), "plan")) {
		finding(&c, pref, "ref", "'%s' is not a plan", ref);
		goto cleanup;
	}
	if (!docket_plan_issued(pdoc, repo, rev))
		finding(&c, pref, "ref", "the plan %s is not issued (its state is '%s'): a report can be submitted "
		        "only on an issued plan", ref, docket_doc_state(pdoc) ? docket_doc_state(pdoc) : "draft");
	year = docket_xml_text_trim(DN(report, "year"));
	period = DN(plan, "period");
	ps = docket_attr(period, "start");
	pe = docket_attr(period, "end");
	if (year && ps && pe && (atoi(year) < atoi(ps) || atoi(year) > atoi(pe)))
		finding(&c, DN(report, "year"), NULL, "the year %s is outside the period %s-%s of the plan %s",
		        year, ps, pe, ref);
	check_results(&c, report, plan, ref);
cleanup:
	free(ref);
	free(year);
	free(ps);
	free(pe);
	docket_doc_free(pdoc);
	return c.error;
}
