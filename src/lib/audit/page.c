/*
 * page: a document as its Decree 30 A4 HTML page, with each signature box saying what a
 * verification against the caller's trust anchor found. The layout is the xml layer's
 * (page.xsl, pinned or built in); this layer adds what needs the signing layer below it:
 * the verdicts, computed here with docket_xmldsig_verify, never read from the document or
 * the repository. Without a trust anchor nothing is claimed valid. A report's page also gets
 * what its plan says, read from the repository at the same revision: each indicator's name,
 * unit, comparison and the target of the milestone the aggregation judges the year against,
 * with the report's figure judged against it by the xml layer's exact arithmetic.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"
#include "docket/draft.h"      /* the public arithmetic only: defined in the xml layer */
#include "docket/render.h"
#include "docket/sign.h"

int docket_render_options_init(docket_render_options *opts, unsigned int version)
{
	docket_render_options init = DOCKET_RENDER_OPTIONS_INIT;

	if (!opts || version != DOCKET_RENDER_OPTIONS_VERSION)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_options version %u is not %u",
		                        version, DOCKET_RENDER_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

/* An Id or a state goes into a space-separated "id=status" list: keep to a safe alphabet. */
static int plain_token(const char *s, const char *extra)
{
	const char *p;

	if (!s || !*s || strlen(s) > 128)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || strchr(extra, *p)))
			return 0;
	return 1;
}

static const char *status_word(docket_render_sig_status s)
{
	switch (s) {
	case DOCKET_RENDER_SIG_VALID: return "valid";
	case DOCKET_RENDER_SIG_INVALID: return "invalid";
	case DOCKET_RENDER_SIG_UNKNOWN: return "unknown";
	default: return NULL;
	}
}

static int add_verdict(docket_buf *b, const char *id, const char *word)
{
	if (!plain_token(id, ".:"))
		return 0;   /* an Id page.xsl could not match anyway: its box says "not verified" */
	if ((b->len && docket_buf_puts(b, " ") < 0) || docket_buf_printf(b, "%s=%s", id, word) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

/* The `verified` parameter: from a verification against TRUST, else the caller's verdicts. */
static int verdicts(docket_buf *b, docket_doc *doc, const docket_render_options *o)
{
	docket_sig_result *res = NULL;
	size_t n = 0, i;
	int error = 0;

	if (!o->trust) {
		for (i = 0; i < o->nsigs; i++) {
			const char *w = status_word(o->sigs[i].status);
			if (!o->sigs[i].id || !plain_token(o->sigs[i].id, ".:"))
				return docket_error_set(DOCKET_EUSAGE, "bad signature id '%s' in the render options",
				                        o->sigs[i].id ? o->sigs[i].id : "(null)");
			if (w && (error = add_verdict(b, o->sigs[i].id, w)) < 0)
				return error;
		}
		return 0;
	}
	error = docket_xmldsig_verify(&res, &n, doc, o->trust);
	if (error < 0 && error != DOCKET_EVERIFY)
		return error;   /* the trust file is unusable: nothing could be checked */
	error = 0;
	for (i = 0; i < n && !error; i++)
		error = add_verdict(b, res[i].id, res[i].status == DOCKET_SIG_OK ? "valid" : "invalid");
	docket_sig_results_free(res, n);
	docket_error_clear();
	return error;
}

/* --- a report's targets -------------------------------------------------------------------- */

static int known_comparison(const char *c)
{
	return c && (!strcmp(c, "ge") || !strcmp(c, "gt") || !strcmp(c, "le") || !strcmp(c, "lt") ||
	             !strcmp(c, "eq"));
}

/* The report's result for the indicator ID, or NULL. */
static xmlNodePtr result_of(xmlNodePtr report, const char *id)
{
	xmlNodePtr r;

	for (r = docket_xml_path(report, DOCKET_NS, "results/result"); r; r = docket_xml_next(r)) {
		char *v = docket_attr(r, "indicator");
		int same = v && strcmp(v, id) == 0;
		free(v);
		if (same)
			return r;
	}
	return NULL;
}

/* Whether RESULT meets TARGET under CMP: "1", "0", or "" when it cannot be judged (no figure). */
static const char *judge(xmlNodePtr result, const char *measure, const char *cmp, const char *target)
{
	char *num = docket_attr(result, "numerator"), *den = docket_attr(result, "denominator");
	char *val = docket_attr(result, "value");
	docket_dec n, d, v;
	int met = -1;

	if (measure && strcmp(measure, "rate") == 0 && docket_dec_parse(&n, num) == 0 &&
	    docket_dec_parse(&d, den) == 0 && !n.scale && !d.scale && n.mant >= 0 && d.mant > 0) {
		/* the exact fraction, as the aggregation judges a rate */
		if (docket_target_met(&met, cmp, target, (uint64_t)n.mant, (uint64_t)d.mant, 1) < 0)
			met = -1;
	} else if (docket_dec_parse(&v, val) == 0 && docket_value_met(&met, cmp, target, &v) < 0) {
		met = -1;
	}
	free(num);
	free(den);
	free(val);
	docket_error_clear();
	return met < 0 ? "" : met ? "1" : "0";
}

/*
 * The `targets` parameter of a report's page: for each indicator of the plan the report is on
 * (the plan in REPO at REV), one line "\nID\tCOMPARISON\tTARGET\tYEAR\tMET\tUNIT\tNAME": the
 * target the report's year is judged against (docket_indicator_target, the aggregation's
 * rule) and whether the report's figure meets it. Empty when DOC is not a report, or its plan
 * is not in REPO: the page is then the report's own figures only.
 */
static int report_targets(docket_buf *b, docket_doc *doc, docket_repo *repo, const char *rev)
{
	xmlNodePtr report, plan, ind;
	docket_doc *pdoc = NULL;
	char *ref = NULL, *year = NULL, *end = NULL;
	long y;
	int error = 0;

	if (!repo || !docket_doc_kind(doc) || strcmp(docket_doc_kind(doc), "report") != 0)
		return 0;
	report = docket_xml_path(xmlDocGetRootElement(docket_doc_xml(doc)), DOCKET_NS, "content/report");
	ref = docket_attr(docket_xml_child(report, DOCKET_NS, "plan"), "ref");
	year = docket_xml_text_trim(docket_xml_child(report, DOCKET_NS, "year"));
	y = year ? strtol(year, &end, 10) : 0;
	if (!ref || !year || end == year || *end || y < 1 || y > 9999)
		goto cleanup;
	if ((error = docket_doc_load(&pdoc, repo, ref, rev)) < 0) {
		/* a plan that is not there (or unreadable) leaves the page as the report alone */
		if (error != DOCKET_ENOTFOUND && error != DOCKET_EINVALID)
			goto cleanup;
		docket_error_clear();
		error = 0;
		goto cleanup;
	}
	plan = docket_xml_path(xmlDocGetRootElement(docket_doc_xml(pdoc)), DOCKET_NS, "content/plan");
	for (ind = docket_plan_next_indicator(plan, NULL); ind && !error; ind = docket_plan_next_indicator(plan, ind)) {
		char *id = docket_attr(ind, "id"), *cmp = docket_attr(ind, "comparison");
		char *measure = docket_attr(ind, "measure"), *unit = docket_attr(ind, "unit");
		char *name = docket_xml_text_trim(docket_xml_child(ind, DOCKET_NS, "name"));
		char *target = NULL;
		xmlNodePtr t;
		docket_dec check;
		int ty = 0;

		if ((t = docket_indicator_target(ind, (int)y, &ty)) != NULL)
			target = docket_attr(t, "value");
		/* only what page.xsl can split and show as it is: the schema's alphabets */
		if (plain_token(id, ".") && known_comparison(cmp) && target && docket_dec_parse(&check, target) == 0) {
			xmlNodePtr r = result_of(report, id);
			if (docket_buf_printf(b, "\n%s\t%s\t%s\t%d\t%s\t", id, cmp, target, ty,
			                      r ? judge(r, measure, cmp, target) : "") < 0)
				error = docket_error_set(DOCKET_ERROR, "out of memory");
			if (!error && (error = docket_render_put_text(b, unit)) == 0 && docket_buf_puts(b, "\t") < 0)
				error = docket_error_set(DOCKET_ERROR, "out of memory");
			if (!error)
				error = docket_render_put_text(b, name);
		}
		free(id);
		free(cmp);
		free(measure);
		free(unit);
		free(name);
		free(target);
	}
	if (!error && b->len && docket_buf_puts(b, "\n") < 0)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	docket_doc_free(pdoc);
	free(ref);
	free(year);
	return error;
}

int docket_render_html(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                       const char *rev, const docket_render_options *opts)
{
	docket_render_options defaults = DOCKET_RENDER_OPTIONS_INIT;
	docket_buf verified = DOCKET_BUF_INIT;
	docket_buf targets = DOCKET_BUF_INIT;
	docket_buf names = DOCKET_BUF_INIT;
	char *xsl = NULL;
	size_t len = 0;
	int error;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_html: no out");
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_html: no document");
	if (!opts)
		opts = &defaults;
	if (opts->version != DOCKET_RENDER_OPTIONS_VERSION)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_options version %u is not %u",
		                        opts->version, DOCKET_RENDER_OPTIONS_VERSION);
	if (opts->state && !plain_token(opts->state, ""))
		return docket_error_set(DOCKET_EUSAGE, "bad state '%s' in the render options", opts->state);
	if ((error = verdicts(&verified, doc, opts)) < 0)
		goto cleanup;
	if ((error = report_targets(&targets, doc, repo, rev)) < 0 ||
	    (error = docket_render_names(&names, doc, repo, rev)) < 0)
		goto cleanup;
	/* the repository's own stylesheet when it pins one, else the built-in */
	if (repo) {
		error = docket_repo_read(&xsl, &len, repo, rev, ".docket/schemas/page.xsl");
		if (error == DOCKET_ENOTFOUND)
			error = 0;
		else if (error < 0)
			goto cleanup;
	}
	error = docket_render_page_xsl(out, out_len, doc, xsl, len, ".docket/schemas/page.xsl",
	                               verified.ptr, opts->state, targets.ptr, names.ptr);
cleanup:
	free(xsl);
	docket_buf_free(&verified);
	docket_buf_free(&targets);
	docket_buf_free(&names);
	return error;
}
