/*
 * fill: a report's figures without editing XML. The caller gives, per indicator, a rate's
 * numerator and denominator, a count's or value's value, or "not applicable"; docket checks
 * each against the indicator of the plan the report is on (a rate lies between 0 and 100 %
 * and needs a positive denominator, a count is a whole number of 0 or more), computes every
 * rate exactly as the aggregation does (docket_rate_format: half up to 2 places, more when
 * the rounded value would contradict the verdict against the year's target) and writes the
 * results in the plan's order.
 *
 * Filling is an edit: allowed only in an editable state, by whom the report workflow lets
 * edit (its drafters and head, and the department's statistician), validated like any
 * edit, and committed as one commit - one for several reports too, so that a spreadsheet of
 * every school's figures is one act that either goes in whole or leaves nothing behind.
 * Every problem of every figure is reported, each naming the indicator by its id and name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draft_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

int docket_fill_options_init(docket_fill_options *opts, unsigned int version)
{
	const docket_fill_options init = DOCKET_FILL_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_fill_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_FILL_OPTIONS_VERSION, "docket_fill_options",
	                                  "DOCKET_FILL_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

void docket_fill_result_free(docket_fill_result *r)
{
	if (!r)
		return;
	docket_findings_free(r->findings);
	memset(r, 0, sizeof(*r));
}

/* A whole number of 0 or more, at most 18 digits. */
static int parse_count(uint64_t *out, const char *s)
{
	uint64_t v = 0;
	size_t n = 0;

	if (!s)
		return -1;
	for (; *s >= '0' && *s <= '9'; s++, n++) {
		if (n >= 18)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	if (*s || !n)
		return -1;
	*out = v;
	return 0;
}

typedef struct {
	const docket_report_figures *reports;
	size_t n;
	const docket_fill_options *opts;
	docket_findings *findings;
	char **paths;              /* per report, found at the first attempt */
} fill_ctx;

static void fig_finding(fill_ctx *c, const char *report, const docket_figure *f, const char *fmt, ...)
	DOCKET_PRINTF(4, 5);
static void fig_finding(fill_ctx *c, const char *report, const docket_figure *f, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	docket_findings_add(c->findings, c->opts && c->opts->source ? c->opts->source : report,
	                    f && f->line > 0 ? f->line : 0, 0, "%s", msg);
}

/* The whitespace that indents a child of NODE, two spaces a level as the templates write. */
static void indent_of(char *out, size_t size, xmlNodePtr node, int extra)
{
	int depth = extra;
	size_t i = 0;

	for (xmlNodePtr p = node; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		depth++;
	if (size)
		out[i++] = '\n';
	for (int k = 0; k < depth * 2 && i + 1 < size; k++)
		out[i++] = ' ';
	out[i] = '\0';
}

static xmlNodePtr result_for(xmlNodePtr results, const char *indicator)
{
	DFOR(r, results, "result") {
		char *id = docket_attr(r, "indicator");
		int same = id && strcmp(id, indicator) == 0;
		free(id);
		if (same)
			return r;
	}
	return NULL;
}

static size_t plan_index(xmlNodePtr plan, xmlNodePtr result)
{
	char *id = docket_attr(result, "indicator");
	size_t i = 0;
	xmlNodePtr ind;

	for (ind = docket_plan_next_indicator(plan, NULL); ind; ind = docket_plan_next_indicator(plan, ind), i++) {
		char *v = docket_attr(ind, "id");
		int same = v && id && strcmp(v, id) == 0;
		free(v);
		if (same)
			break;
	}
	free(id);
	return i;
}

/* The results element of REPORT, made (after <unit>) when it has none; the skeleton's
 * commented-out place for the figures goes once the figures are written. */
static xmlNodePtr ensure_results(xmlNodePtr report)
{
	xmlNodePtr results = DN(report, "results"), unit, n, next;
	char ws[64];

	if (results)
		return results;
	for (n = report->children; n; n = next) {
		next = n->next;
		if (n->type == XML_COMMENT_NODE && n->content &&
		    strstr((const char *)n->content, "docket: the figures")) {
			/* the comment's own line goes with it */
			xmlNodePtr line = n->prev;
			if (line && line->type == XML_TEXT_NODE && xmlIsBlankNode(line)) {
				xmlUnlinkNode(line);
				xmlFreeNode(line);
			}
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
	}
	if (!(results = xmlNewDocNode(report->doc, report->ns, (const xmlChar *)"results", NULL)))
		return NULL;
	indent_of(ws, sizeof(ws), report, 0);
	if ((unit = DN(report, "unit")) != NULL) {
		xmlAddNextSibling(unit, results);
		xmlAddPrevSibling(results, xmlNewDocText(report->doc, (const xmlChar *)ws));
	} else {
		xmlAddChild(report, results);
	}
	return results;
}

/* Put the results in the plan's order, one a line. */
static int order_results(xmlNodePtr results, xmlNodePtr plan)
{
	xmlNodePtr *v = NULL, n, next;
	size_t count = 0, i, j;
	char ws[64], end[64];

	for (n = results->children; n; n = n->next)
		count += n->type == XML_ELEMENT_NODE;
	if (!(v = calloc(count + 1, sizeof(*v))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	count = 0;
	for (n = results->children; n; n = next) {
		next = n->next;
		xmlUnlinkNode(n);
		if (n->type == XML_ELEMENT_NODE)
			v[count++] = n;
		else
			xmlFreeNode(n);
	}
	/* insertion sort: stable, and a report has a few dozen results */
	for (i = 1; i < count; i++) {
		xmlNodePtr x = v[i];
		size_t xi = plan_index(plan, x);
		for (j = i; j > 0 && plan_index(plan, v[j - 1]) > xi; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
	indent_of(ws, sizeof(ws), results, 0);
	indent_of(end, sizeof(end), results, -1);
	for (i = 0; i < count; i++) {
		xmlAddChild(results, xmlNewDocText(results->doc, (const xmlChar *)ws));
		xmlAddChild(results, v[i]);
	}
	xmlAddChild(results, xmlNewDocText(results->doc, (const xmlChar *)end));
	free(v);
	return 0;
}

static void clear_figures(xmlNodePtr r)
{
	static const char *const attrs[] = { "numerator", "denominator", "value", "applicable", NULL };
	for (const char *const *a = attrs; *a; a++) {
		xmlAttrPtr p = xmlHasProp(r, (const xmlChar *)*a);
		if (p)
			xmlRemoveProp(p);
	}
}

/*
 * Check figure F against the plan's indicator IND and write it into RESULTS; YEAR decides
 * the target the rounding must not contradict. Problems go to the findings.
 */
static int fill_one(fill_ctx *c, const char *report, xmlNodePtr results, xmlNodePtr ind, int year,
                    const docket_figure *f)
{
	char *measure = docket_attr(ind, "measure"), *name = docket_xml_text_trim(DN(ind, "name"));
	char *target = NULL, value[64] = "", num[32] = "", den[32] = "";
	const char *id = f->indicator;
	xmlNodePtr r, tnode;
	uint64_t n = 0, d = 0;
	int ty = 0, error = 0, bad = 0;

	if (!measure || !name) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (f->not_applicable) {
		if (f->numerator || f->denominator || f->value) {
			fig_finding(c, report, f, "indicator %s (%s): marked not applicable, it takes no figures", id, name);
			bad = 1;
		}
	} else if (strcmp(measure, "rate") == 0) {
		if (!f->numerator || !f->denominator) {
			fig_finding(c, report, f, "indicator %s (%s) is a rate: give NUMERATOR/DENOMINATOR (e.g. 149/150), "
			            "or na when it does not apply", id, name);
			bad = 1;
		} else if (parse_count(&n, f->numerator) < 0 || parse_count(&d, f->denominator) < 0) {
			fig_finding(c, report, f, "indicator %s (%s): '%s/%s' is not a rate: numerator and denominator are "
			            "whole numbers of 0 or more", id, name, f->numerator, f->denominator);
			bad = 1;
		} else if (d == 0) {
			fig_finding(c, report, f, "indicator %s (%s): the denominator is 0: a rate needs a positive "
			            "denominator (write na when the indicator does not apply)", id, name);
			bad = 1;
		} else if (n > d) {
			fig_finding(c, report, f, "indicator %s (%s): the numerator %llu is larger than the denominator "
			            "%llu: a rate lies between 0 and 100 %%", id, name, (unsigned long long)n,
			            (unsigned long long)d);
			bad = 1;
		}
		if (!bad) {
			if ((tnode = docket_indicator_target(ind, year, &ty)) != NULL)
				target = docket_attr(tnode, "value");
			if ((error = docket_rate_format(value, sizeof(value), n, d, target)) < 0)
				goto cleanup;
			snprintf(num, sizeof(num), "%llu", (unsigned long long)n);
			snprintf(den, sizeof(den), "%llu", (unsigned long long)d);
		}
	} else {
		docket_dec v;
		if (!f->value || f->numerator || f->denominator) {
			fig_finding(c, report, f, "indicator %s (%s) is a %s: give one value, or na when it does not apply",
			            id, name, measure);
			bad = 1;
		} else if (strcmp(measure, "count") == 0 && parse_count(&n, f->value) < 0) {
			fig_finding(c, report, f, "indicator %s (%s) is a count: '%s' is not a whole number of 0 or more",
			            id, name, f->value);
			bad = 1;
		} else if (docket_dec_parse(&v, f->value) < 0) {
			fig_finding(c, report, f, "indicator %s (%s): '%s' is not a number", id, name, f->value);
			bad = 1;
		} else {
			docket_dec_format(value, sizeof(value), &v);
		}
	}
	if (bad)
		goto cleanup;
	if (!(r = result_for(results, id))) {
		if (!(r = xmlNewDocNode(results->doc, results->ns, (const xmlChar *)"result", NULL)) ||
		    !xmlSetProp(r, (const xmlChar *)"indicator", (const xmlChar *)id)) {
			xmlFreeNode(r);
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		xmlAddChild(results, r);
	}
	clear_figures(r);
	if (f->not_applicable) {
		if (!xmlSetProp(r, (const xmlChar *)"applicable", (const xmlChar *)"false"))
			error = docket_error_set(DOCKET_ERROR, "out of memory");
	} else if ((num[0] && (!xmlSetProp(r, (const xmlChar *)"numerator", (const xmlChar *)num) ||
	                       !xmlSetProp(r, (const xmlChar *)"denominator", (const xmlChar *)den))) ||
	           !xmlSetProp(r, (const xmlChar *)"value", (const xmlChar *)value)) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
	}
cleanup:
	free(measure);
	free(name);
	free(target);
	return error;
}

/* Fill one report read at the base commit; its new text is staged in TXN. */
static int fill_report(fill_ctx *c, docket_txn *txn, const docket_report_figures *rf, const char *path,
                       const docket_config *cfg, const docket_person *person, docket_workflow *wf,
                       docket_schema *schema)
{
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn), *state;
	docket_doc *doc = NULL, *pdoc = NULL, *check = NULL;
	const docket_transition_def *edit;
	docket_buf why = DOCKET_BUF_INIT;
	xmlNodePtr report, plan, results;
	char *buf = NULL, *ref = NULL, *year = NULL, *unit = NULL, *out = NULL;
	size_t len = 0, outlen = 0, i, before = docket_findings_count(c->findings);
	int error;

	if ((error = docket_txn_read(&buf, &len, txn, path)) < 0 ||
	    (error = docket_doc_parse(&doc, buf, len, path)) < 0)
		goto cleanup;
	if (!(report = docket_doc_body(doc, "report"))) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a report: only a report has figures", rf->report);
		goto cleanup;
	}
	state = docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf);
	if (!(edit = docket_workflow_edit(wf, state))) {
		error = docket_error_set(DOCKET_EDENIED, "cannot fill '%s': its state '%s' is not editable (figures "
		                         "change only in a draft; the report must be returned first)", rf->report, state);
		goto cleanup;
	}
	if (docket_doc_drafting_unit(&unit, doc) < 0)
		docket_error_clear();
	if (!docket_authorise(edit, person, cfg, doc, unit, &why)) {
		error = docket_error_set(DOCKET_EDENIED, "cannot fill '%s': %s", rf->report, why.ptr);
		goto cleanup;
	}
	ref = docket_attr(DN(report, "plan"), "ref");
	year = docket_xml_text_trim(DN(report, "year"));
	if (!ref || (error = docket_doc_load(&pdoc, repo, ref, base)) < 0 || !(plan = docket_doc_body(pdoc, "plan"))) {
		error = docket_error_set(DOCKET_EINVALID, "cannot fill '%s': the plan it reports on, '%s', is not a plan "
		                         "of this repository", rf->report, ref ? ref : "");
		goto cleanup;
	}
	if (!(results = ensure_results(report))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < rf->n; i++) {
		const docket_figure *f = &rf->figures[i];
		xmlNodePtr ind;
		if (!f->indicator || !*f->indicator) {
			fig_finding(c, rf->report, f, "a figure without an indicator");
			continue;
		}
		if (!(ind = docket_plan_indicator(plan, f->indicator))) {
			fig_finding(c, rf->report, f, "the plan %s has no indicator '%s'", ref, f->indicator);
			continue;
		}
		for (size_t k = 0; k < i; k++)
			if (rf->figures[k].indicator && strcmp(rf->figures[k].indicator, f->indicator) == 0) {
				fig_finding(c, rf->report, f, "indicator %s is given twice", f->indicator);
				ind = NULL;
				break;
			}
		if (ind && (error = fill_one(c, rf->report, results, ind, year ? atoi(year) : 0, f)) < 0)
			goto cleanup;
	}
	if (docket_findings_count(c->findings) > before)
		goto cleanup;
	if ((error = order_results(results, plan)) < 0 ||
	    (error = docket_doc_serialize(&out, &outlen, doc)) < 0 ||
	    (error = docket_doc_parse(&check, out, outlen, path)) < 0 ||
	    (error = docket_validate(c->findings, schema, check, repo, base)) < 0)
		goto cleanup;
	if (docket_findings_count(c->findings) == before)
		error = docket_txn_write(txn, path, out, outlen);
cleanup:
	docket_buf_free(&why);
	free(buf);
	free(ref);
	free(year);
	free(unit);
	free(out);
	docket_doc_free(doc);
	docket_doc_free(pdoc);
	docket_doc_free(check);
	return error;
}

static int fill_txn(docket_txn *txn, void *payload)
{
	fill_ctx *c = payload;
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn);
	const docket_fill_options *o = c->opts;
	docket_config *cfg = NULL;
	docket_workflow *wf = NULL;
	docket_schema *schema = NULL;
	docket_person person;
	docket_buf msg = DOCKET_BUF_INIT;
	char *cfgbuf = NULL;
	size_t cfglen = 0, i;
	int error;

	/* findings of an earlier attempt are stale */
	docket_findings_free(c->findings);
	c->findings = NULL;
	if ((error = docket_findings_new(&c->findings)) < 0)
		goto cleanup;
	if (!c->paths) {
		/* each report through the id index: its cost is the reports', not the repository's */
		if (!(c->paths = calloc(c->n + 1, sizeof(char *)))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		for (i = 0; i < c->n; i++) {
			const char *id = c->reports[i].report ? c->reports[i].report : "";
			if ((error = docket_doc_find(&c->paths[i], repo, id, base[0] ? base : NULL)) < 0) {
				if (error == DOCKET_ENOTFOUND)
					error = docket_error_set(DOCKET_ENOTFOUND, "no document with the id '%s'", id);
				goto cleanup;
			}
		}
	}
	if ((error = docket_txn_read(&cfgbuf, &cfglen, txn, DOCKET_CONFIG_PATH)) < 0 ||
	    (error = docket_config_parse(&cfg, cfgbuf, cfglen, DOCKET_CONFIG_PATH)) < 0)
		goto cleanup;
	if (docket_config_person(&person, cfg, o->actor) < 0) {
		error = docket_error_set(DOCKET_EDENIED, "'%s' is not a person of this organisation (see 'docket person "
		                         "list')", o->actor);
		goto cleanup;
	}
	/* every action is signed by its actor once certificates are recorded */
	if ((error = docket_commit_signing_check(repo, cfg, o->actor, NULL, NULL, "fill the figures")) < 0)
		goto cleanup;
	if ((error = docket_workflow_load(&wf, repo, base, "report")) < 0 ||
	    (error = docket_schema_load(&schema, repo, base)) < 0)
		goto cleanup;
	for (i = 0; i < c->n; i++)
		if ((error = fill_report(c, txn, &c->reports[i], c->paths[i], cfg, &person, wf, schema)) < 0)
			goto cleanup;
	if (docket_findings_count(c->findings)) {
		error = c->n == 1 ?
			docket_error_set(DOCKET_EINVALID, "cannot fill '%s': %zu problem%s with the figures", c->reports[0].report,
			                 docket_findings_count(c->findings), docket_findings_count(c->findings) == 1 ? "" : "s") :
			docket_error_set(DOCKET_EINVALID, "cannot fill the %zu reports: %zu problem%s with the figures; nothing "
			                 "was written", c->n, docket_findings_count(c->findings),
			                 docket_findings_count(c->findings) == 1 ? "" : "s");
		goto cleanup;
	}
	if (c->n == 1)
		error = docket_buf_printf(&msg, "docket: fill %s\n\n", c->reports[0].report);
	else
		error = docket_buf_printf(&msg, "docket: fill (%zu reports)\n\n", c->n);
	if (!error && o->message && *o->message)
		error = docket_buf_printf(&msg, "%s\n\n", o->message);
	for (i = 0; i < c->n && !error; i++)
		error = docket_buf_printf(&msg, "Docket-Document: %s\n", c->reports[i].report);
	if (!error)
		error = docket_buf_printf(&msg, "Docket-Action: edit\nDocket-State: %s\nDocket-Actor: %s\n",
		                          docket_workflow_initial(wf), o->actor);
	if (!error)
		error = docket_txn_message(txn, msg.ptr);
cleanup:
	free(cfgbuf);
	docket_buf_free(&msg);
	docket_config_free(cfg);
	docket_workflow_free(wf);
	docket_schema_free(schema);
	return error;
}

int docket_report_fill_many(docket_fill_result *out, docket_repo *repo, const docket_report_figures *reports,
                            size_t n, const docket_fill_options *opts)
{
	fill_ctx c;
	int error;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "no result to fill in");
	memset(out, 0, sizeof(*out));
	if (!repo || !opts || (!reports && n))
		return docket_error_set(DOCKET_EUSAGE, "fill: a repository, the reports and the options are required");
	if ((error = docket_options_check(opts->version, DOCKET_FILL_OPTIONS_VERSION, "docket_fill_options",
	                                  "DOCKET_FILL_OPTIONS_INIT")) < 0)
		return error;
	if (!opts->actor || !*opts->actor)
		return docket_error_set(DOCKET_EUSAGE, "who is filling? give --as PERSON or set DOCKET_ACTOR");
	if (!n)
		return docket_error_set(DOCKET_EUSAGE, "no report to fill");
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < i; k++)
			if (reports[i].report && reports[k].report && strcmp(reports[i].report, reports[k].report) == 0)
				return docket_error_set(DOCKET_EUSAGE, "the report '%s' is named twice", reports[i].report);
	memset(&c, 0, sizeof(c));
	c.reports = reports;
	c.n = n;
	c.opts = opts;
	error = docket_repo_transact(out->commit, repo, fill_txn, &c);
	if (error < 0) {
		out->findings = c.findings;
		c.findings = NULL;
		out->commit[0] = '\0';
	}
	docket_findings_free(c.findings);
	for (size_t i = 0; c.paths && i < n; i++)
		free(c.paths[i]);
	free(c.paths);
	return error;
}

int docket_report_fill(docket_fill_result *out, docket_repo *repo, const char *report,
                       const docket_figure *figures, size_t n, const docket_fill_options *opts)
{
	docket_report_figures rf;

	rf.report = report;
	rf.figures = figures;
	rf.n = n;
	if (!report) {
		if (out)
			memset(out, 0, sizeof(*out));
		return docket_error_set(DOCKET_EUSAGE, "which report? give its id");
	}
	return docket_report_fill_many(out, repo, &rf, 1, opts);
}
