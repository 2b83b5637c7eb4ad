/*
 * draftcheck: the rules of the plan cascade. Two rules that XSD cannot say and that need
 * other documents of the repository: a unit plan may not set a target weaker than the plan
 * it carries out (the floor), and an annual report may be submitted only when complete
 * (every indicator of the plan, rates consistent with their numerator and denominator, the
 * year inside the plan's period, the plan issued). Both add findings in the FILE:LINE:COL
 * form of validate.c. The arithmetic (exact decimals, targets, rates) is the xml layer's
 * figures.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draft_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

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
			else if (!docket_rate_consistent(val, num, den)) {
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
	/* a report standing alone, or on a plan issued elsewhere and cited by number and date
	 * (docs/format.md): nothing of a plan here to check its figures against */
	if (!ref || !*ref)
		goto cleanup;
	if ((error = docket_doc_load(&pdoc, repo, ref, rev)) < 0) {
		if (error != DOCKET_ENOTFOUND && error != DOCKET_EINVALID) {
			c.error = error;
			goto cleanup;
		}
		finding(&c, pref, "ref", "the plan reported on, '%s', is not a document of this repository: "
		        "a report is submitted on a plan it holds, or cites one issued elsewhere by its number "
		        "and date alone (<plan code=\"…\" date=\"…\"/>)", ref);
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
