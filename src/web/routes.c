/*
 * routes: the pages of the web workspace and the actions behind its buttons.
 *
 *   GET  /                          documents by kind, state, year and unit; search
 *   GET  /doc/ID                    a document: header, state, the buttons of exactly the
 *                                   transitions the acting person may take now
 *   GET  /doc/ID/page               the document as its A4 page
 *   GET  /doc/ID/log                its timeline
 *   GET  /doc/ID/diff?from=&to=     the semantic diff of two versions
 *   GET  /doc/ID/figures, /edit     forms (forms.c)
 *   POST /doc/ID/act                take the transition named by the button (docket_action_run)
 *   GET  /plan/ID/status?year=Y     every unit's report on the plan, and the aggregate
 *   POST /plan/ID/aggregate         draft the department's report (docket_draft_aggregate)
 *   POST /plan/ID/report            draft the acting person's unit report (docket_draft_report)
 *
 * Every page is written through web_escape; every action is the library call the CLI makes,
 * so it writes the same commit with the same trailers and signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "serve_internal.h"

/* --- page frame ------------------------------------------------------------------------ */

static const char STYLE[] =
	"body{font-family:'Liberation Sans',Arial,sans-serif;margin:0;background:#f4f4f2;color:#222}"
	"header.bar{background:#1d3a5f;color:#fff;padding:.5em 1em;display:flex;gap:1.5em;align-items:center}"
	"header.bar a{color:#fff;text-decoration:none;font-weight:bold}"
	"header.bar .who{margin-left:auto}"
	"main{max-width:1100px;margin:1em auto;background:#fff;padding:1em 1.5em;border:1px solid #ddd}"
	"table{border-collapse:collapse;width:100%;margin:.5em 0}"
	"th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}"
	"th{background:#eef}"
	".state{display:inline-block;padding:0 .4em;border-radius:3px;background:#e8e8e8}"
	".returned,.overdue{background:#fde2e2}.approved,.issued{background:#e1f5e1}"
	".flash{background:#e1f5e1;border:1px solid #9c9;padding:.5em}"
	".error{background:#fde2e2;border:1px solid #c99;padding:.5em}"
	"form.act{display:inline-block;margin:.3em .6em .3em 0;vertical-align:top}"
	"form.act textarea{display:block;width:22em;height:3em}"
	"dl.fields{display:grid;grid-template-columns:12em auto;gap:.2em 1em}dl.fields dt{font-weight:bold}"
	"nav.tabs a{margin-right:1em}"
	"input[type=number]{width:7em}";

void serve_page_begin(wreq *r, const char *title)
{
	web_buf *b = &r->out;

	web_buf_free(b);
	web_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	           "<meta name=\"viewport\" content=\"width=device-width\">"
	           "<link rel=\"icon\" href=\"data:,\"><title>");
	web_escape(b, title);
	web_puts(b, " — docket</title><style>");
	web_puts(b, STYLE);
	web_puts(b, "</style></head><body><header class=\"bar\"><a href=\"/\">docket</a>");
	web_puts(b, "<span class=\"who\">");
	if (web_read_only(r))
		web_puts(b, "Lưu trữ, chỉ xem (read-only)");
	else if (r->person) {
		web_puts(b, "Người thực hiện: ");
		web_escape(b, r->person);
	} else
		web_puts(b, "Chưa xác định người thực hiện (nobody is acting)");
	web_puts(b, "</span></header><main>\n");
}

void serve_page_end(wreq *r)
{
	web_puts(&r->out, "\n</main></body></html>\n");
}

void serve_error(wreq *r, int status, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->status = status;
	serve_page_begin(r, status == 404 ? "Không tìm thấy" : "Lỗi");
	web_printf(&r->out, "<h1>%d</h1><p class=\"error\">", status);
	web_escape(&r->out, msg);
	web_puts(&r->out, "</p><p><a href=\"/\">Danh sách văn bản</a></p>");
	serve_page_end(r);
}

int web_status_for(int code)
{
	switch (code) {
	case DOCKET_ENOTFOUND: return 404;
	case DOCKET_EDENIED: return 403;
	case DOCKET_EINVALID: return 422;
	case DOCKET_ECONFLICT:
	case DOCKET_EEXISTS: return 409;
	case DOCKET_EUSAGE: return 400;
	default: return 500;
	}
}

void web_csrf_field(wreq *r, const char *action)
{
	char tok[65];
	web_csrf_token(r, action, tok);
	web_printf(&r->out, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", tok);
}

/* A refusal of the library: its message, and the findings that explain an invalid document. */
static void library_error(wreq *r, int code, const char *what, const docket_findings *f)
{
	size_t i;

	r->status = web_status_for(code);
	serve_page_begin(r, "Không thực hiện được");
	web_printf(&r->out, "<h1>%d</h1><p class=\"error\">", r->status);
	web_escape(&r->out, what);
	web_puts(&r->out, ": ");
	web_escape(&r->out, docket_error_last());
	web_puts(&r->out, "</p>");
	if (f && docket_findings_count(f)) {
		web_puts(&r->out, "<ul class=\"findings\">");
		for (i = 0; i < docket_findings_count(f); i++) {
			const docket_finding *x = docket_findings_get(f, i);
			web_puts(&r->out, "<li>");
			web_escape(&r->out, x->message);
			web_printf(&r->out, " (line %d)</li>", x->line);
		}
		web_puts(&r->out, "</ul>");
	}
	web_puts(&r->out, "<p>Nothing was written. <a href=\"/\">Danh sách văn bản</a></p>");
	serve_page_end(r);
}

static void redirect(wreq *r, const char *a, const char *id, const char *b, const char *query)
{
	web_buf u = WEB_BUF_INIT;
	web_puts(&u, a);
	serve_url(&u, id);
	web_puts(&u, b);
	if (query)
		web_puts(&u, query);
	if (u.failed) {
		web_buf_free(&u);
		serve_error(r, 500, "out of memory");
		return;
	}
	r->location = u.ptr;
}

/* --- documents, as XML ---------------------------------------------------------------- */

xmlNodePtr web_child(xmlNodePtr parent, const char *name)
{
	xmlNodePtr c;
	for (c = parent ? parent->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && c->ns && strcmp((const char *)c->ns->href, DOCKET_NS) == 0 &&
		    strcmp((const char *)c->name, name) == 0)
			return c;
	return NULL;
}

char *web_text(xmlNodePtr n)
{
	xmlChar *t;
	char *s;
	if (!n || !(t = xmlNodeGetContent(n)))
		return NULL;
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

char *web_attr(xmlNodePtr n, const char *name)
{
	xmlChar *t;
	char *s;
	if (!n || !(t = xmlGetProp(n, (const xmlChar *)name)))
		return NULL;
	s = strdup((const char *)t);
	xmlFree(t);
	return s;
}

/* The text at PATH ("header/subject"), malloc'd (docket_free) or NULL. */
static char *doc_text(docket_doc *d, const char *path)
{
	char *s = NULL;
	if (docket_doc_text(&s, d, path) < 0)
		docket_error_clear();
	return s;
}

static const char *transition_label(const char *t)
{
	static const char *const labels[][2] = {
		{ "submit", "Trình" }, { "review", "Kiểm tra" }, { "approve", "Phê duyệt" },
		{ "issue", "Ban hành" }, { "return", "Trả lại" }, { "assign", "Giao" },
		{ "accept", "Nhận" }, { "done", "Hoàn thành" }, { "verify", "Xác nhận" },
	};
	size_t i;
	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (strcmp(labels[i][0], t) == 0)
			return labels[i][1];
	return NULL;
}

static const char *status_label(docket_report_status s)
{
	switch (s) {
	case DOCKET_REPORT_NOT_STARTED: return "Chưa bắt đầu";
	case DOCKET_REPORT_DRAFTING: return "Đang soạn";
	case DOCKET_REPORT_RETURNED: return "Bị trả lại";
	case DOCKET_REPORT_OVERDUE: return "Quá hạn";
	case DOCKET_REPORT_SUBMITTED: return "Đã trình";
	case DOCKET_REPORT_IN_REVIEW: return "Đang xem xét";
	case DOCKET_REPORT_APPROVED: return "Đã phê duyệt";
	}
	return "?";
}

static void doc_link(web_buf *b, const char *id, const char *text)
{
	web_puts(b, "<a href=\"/doc/");
	serve_url(b, id);
	web_puts(b, "\">");
	web_escape(b, text ? text : id);
	web_puts(b, "</a>");
}

static void state_badge(web_buf *b, const char *state)
{
	web_puts(b, "<span class=\"state ");
	web_escape(b, state);
	web_puts(b, "\">");
	web_escape(b, state);
	web_puts(b, "</span>");
}

/* --- the list ------------------------------------------------------------------------------ */

#define LIST_MAX 500

typedef struct {
	wreq *r;
	const char *kind, *state, *year, *unit, *q;
	size_t shown, matched;
	web_buf rows;
} list_ctx;

/* ASCII case-insensitive substring; other bytes (Vietnamese letters) compared as they are. */
static int contains(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (!hay)
		return 0;
	for (; *hay; hay++)
		if (strncasecmp(hay, needle, n) == 0)
			return 1;
	return n == 0;
}

static int list_one(const char *path, void *payload)
{
	list_ctx *c = payload;
	char *buf = NULL, *subject = NULL, *date = NULL, *unit = NULL, *year = NULL, kind[32];
	const char *state;
	size_t len = 0;
	docket_doc *d = NULL;
	docket_doc_summary sum;

	memset(&sum, 0, sizeof(sum));
	if (strlen(path) < 5 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	if (docket_repo_read(&buf, &len, c->r->repo, NULL, path) < 0 || docket_doc_parse(&d, buf, len, path) < 0) {
		docket_error_clear();
		goto done;
	}
	snprintf(kind, sizeof(kind), "%s", docket_doc_kind(d) ? docket_doc_kind(d) : "");
	state = docket_doc_state(d) ? docket_doc_state(d) : "draft";
	if (docket_doc_drafting_unit(&unit, d) < 0 || docket_doc_year(&year, d) < 0)
		docket_error_clear();
	subject = doc_text(d, "header/subject");
	date = doc_text(d, "header/date");
	docket_doc_summarize(&sum, d);
	if ((c->kind && strcmp(c->kind, kind)) || (c->state && strcmp(c->state, state)) ||
	    (c->unit && (!unit || strcmp(c->unit, unit))) || (c->year && (!year || strcmp(c->year, year))))
		goto done;
	if (c->q && !contains(subject, c->q) && !contains(sum.number, c->q) && !contains(docket_doc_id(d), c->q))
		goto done;
	c->matched++;
	if (c->shown >= LIST_MAX)
		goto done;
	c->shown++;
	web_puts(&c->rows, "<tr><td>");
	doc_link(&c->rows, docket_doc_id(d), NULL);
	web_puts(&c->rows, "</td><td>");
	web_escape(&c->rows, sum.number ? sum.number : "");
	web_puts(&c->rows, "</td><td>");
	web_escape(&c->rows, kind);
	web_puts(&c->rows, "</td><td>");
	state_badge(&c->rows, state);
	web_puts(&c->rows, "</td><td>");
	web_escape(&c->rows, unit ? unit : "");
	web_puts(&c->rows, "</td><td>");
	web_escape(&c->rows, date ? date : "");
	web_puts(&c->rows, "</td><td>");
	web_escape(&c->rows, subject ? subject : "");
	web_puts(&c->rows, "</td></tr>\n");
done:
	docket_doc_summary_free(&sum);
	docket_doc_free(d);
	free(buf);
	docket_free(subject);
	docket_free(date);
	docket_free(unit);
	docket_free(year);
	return 0;
}

/* An empty filter is none; a filter that is not a well-formed value matches nothing. */
static const char *filter(wreq *r, const char *name, int *bad)
{
	const char *v = web_query(r, name);
	char folder[65];
	if (!v || !*v)
		return NULL;
	/* a unit id may be in Vietnamese letters (BCĐ); everything else is ASCII */
	if (strcmp(name, "unit") == 0 ? docket_unit_folder_name(folder, v) < 0 : strcmp(name, "q") != 0 && !web_safe_id(v))
		*bad = 1;
	docket_error_clear();
	return v;
}

static void select_field(web_buf *b, const char *name, const char *label, const char *const *values,
                         const char *current)
{
	web_printf(b, "<label>%s <select name=\"%s\"><option value=\"\">—</option>", label, name);
	for (; *values; values++) {
		web_puts(b, "<option value=\"");
		web_escape(b, *values);
		web_puts(b, current && strcmp(current, *values) == 0 ? "\" selected>" : "\">");
		web_escape(b, *values);
		web_puts(b, "</option>");
	}
	web_puts(b, "</select></label> ");
}

static void list_page(wreq *r)
{
	static const char *const kinds[] = { "document", "plan", "report", "task", NULL };
	static const char *const states[] = { "draft", "submitted", "reviewed", "approved", "issued", "assigned",
		                              "accepted", "done", "verified", NULL };
	list_ctx c;
	char prefix[256];
	const char **units = NULL;
	docket_config *cfg = NULL;
	size_t i, nunits = 0;
	int bad = 0;

	memset(&c, 0, sizeof(c));
	c.r = r;
	c.kind = filter(r, "kind", &bad);
	c.state = filter(r, "state", &bad);
	c.year = filter(r, "year", &bad);
	c.unit = filter(r, "unit", &bad);
	c.q = filter(r, "q", &bad);
	if (docket_config_load(&cfg, r->repo, NULL) == 0) {
		nunits = docket_config_unit_count(cfg);
		units = calloc(nunits + 1, sizeof(*units));
		for (i = 0; units && i < nunits; i++) {
			docket_unit u;
			units[i] = docket_config_unit_at(&u, cfg, i) == 0 ? u.id : "";
		}
	}
	docket_error_clear();
	/* the path says kind, year and drafting unit: walk only the trees that can match */
	if (c.kind && c.year && c.unit && !bad) {
		char folder[65] = "";
		docket_unit_folder_name(folder, c.unit); /* the unit's ASCII folder: BCĐ files under BCD */
		snprintf(prefix, sizeof(prefix), "documents/%s/%s/%s/", c.kind, c.year, folder);
	}
	else if (c.kind && c.year && !bad)
		snprintf(prefix, sizeof(prefix), "documents/%s/%s/", c.kind, c.year);
	else if (c.kind && !bad)
		snprintf(prefix, sizeof(prefix), "documents/%s/", c.kind);
	else
		snprintf(prefix, sizeof(prefix), "documents/");
	if (!bad && docket_repo_walk(r->repo, NULL, prefix, list_one, &c) < 0)
		docket_error_clear(); /* no such folder: nothing matches */

	serve_page_begin(r, "Văn bản");
	web_puts(&r->out, "<h1>Văn bản (documents)</h1><form method=\"get\" action=\"/\" class=\"filters\">");
	select_field(&r->out, "kind", "Loại", kinds, c.kind);
	select_field(&r->out, "state", "Trạng thái", states, c.state);
	web_puts(&r->out, "<label>Năm <input name=\"year\" size=\"5\" value=\"");
	web_escape(&r->out, c.year);
	web_puts(&r->out, "\"></label> ");
	if (units)
		select_field(&r->out, "unit", "Đơn vị", units, c.unit);
	web_puts(&r->out, "<label>Tìm <input name=\"q\" value=\"");
	web_escape(&r->out, c.q);
	web_puts(&r->out, "\" placeholder=\"trích yếu, số\"></label> <button type=\"submit\">Lọc</button></form>");
	web_printf(&r->out, "<p class=\"count\">%zu văn bản", c.matched);
	if (c.matched > c.shown)
		web_printf(&r->out, " (the first %zu shown: narrow the search)", c.shown);
	web_puts(&r->out, "</p><table class=\"docs\"><thead><tr><th>Id</th><th>Số</th><th>Loại</th><th>Trạng thái</th>"
	                 "<th>Đơn vị</th><th>Ngày</th><th>Trích yếu</th></tr></thead><tbody>\n");
	web_put(&r->out, c.rows.ptr ? c.rows.ptr : "", c.rows.len);
	web_puts(&r->out, "</tbody></table>");
	serve_page_end(r);
	if (c.rows.failed)
		r->out.failed = 1;
	web_buf_free(&c.rows);
	free(units);
	docket_config_free(cfg);
}

/* --- a document ------------------------------------------------------------------------ */

static void field_row(web_buf *b, const char *label, const char *value)
{
	if (!value || !*value)
		return;
	web_puts(b, "<dt>");
	web_escape(b, label);
	web_puts(b, "</dt><dd>");
	web_escape(b, value);
	web_puts(b, "</dd>");
}

static void doc_tabs(wreq *r, const char *id)
{
	static const char *const tabs[][2] = {
		{ "", "Văn bản" }, { "/page", "Trang A4" }, { "/log", "Lịch sử" }, { "/diff", "So sánh" },
	};
	size_t i;
	web_puts(&r->out, "<nav class=\"tabs\">");
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++) {
		web_puts(&r->out, "<a href=\"/doc/");
		serve_url(&r->out, id);
		web_printf(&r->out, "%s\">%s</a>", tabs[i][0], tabs[i][1]);
	}
	web_puts(&r->out, "</nav>");
}

static void action_forms(wreq *r, docket_doc *d, const char *id)
{
	char **avail = NULL;
	char *state = NULL, action[512];
	docket_workflow *wf = NULL;
	size_t i;

	web_puts(&r->out, "<section class=\"actions\"><h2>Thao tác (actions)</h2>");
	if (web_read_only(r)) {
		web_puts(&r->out, "<p>Lưu trữ chỉ xem: no action is offered here.</p></section>");
		return;
	}
	if (!r->person) {
		web_puts(&r->out, "<p>Nobody is acting in this workspace: no action is offered.</p></section>");
		return;
	}
	if (docket_action_available(&avail, &state, r->repo, id, r->person) < 0 ||
	    docket_workflow_load(&wf, r->repo, NULL, docket_doc_kind(d)) < 0) {
		web_puts(&r->out, "<p class=\"error\">");
		web_escape(&r->out, docket_error_last());
		web_puts(&r->out, "</p>");
		docket_error_clear();
		goto done;
	}
	if (!avail[0]) {
		web_escape(&r->out, r->person);
		web_puts(&r->out, " may take no transition now.");
	}
	/* one form per transition, all posting to the document's /act with the same token: the
	 * transition is the button pressed */
	{
		web_buf path = WEB_BUF_INIT;
		web_puts(&path, "/doc/");
		serve_url(&path, id);
		web_puts(&path, "/act");
		snprintf(action, sizeof(action), "%s", path.ptr ? path.ptr : "");
		web_buf_free(&path);
	}
	for (i = 0; avail[i]; i++) {
		const docket_transition_def *t = docket_workflow_transition(wf, avail[i]);
		const char *label = transition_label(avail[i]);
		web_puts(&r->out, "<form class=\"act\" method=\"post\" action=\"");
		web_escape(&r->out, action);
		web_puts(&r->out, "\">");
		web_csrf_field(r, action);
		web_printf(&r->out, "<textarea name=\"message\" placeholder=\"%s\"%s></textarea>",
		          t && t->reason_required ? "Lý do (bắt buộc)" : "Ghi chú",
		          t && t->reason_required ? " required" : "");
		web_puts(&r->out, "<button type=\"submit\" name=\"transition\" value=\"");
		web_escape(&r->out, avail[i]);
		web_puts(&r->out, "\">");
		if (label) {
			web_escape(&r->out, label);
			web_puts(&r->out, " (");
			web_escape(&r->out, avail[i]);
			web_puts(&r->out, ")");
		} else
			web_escape(&r->out, avail[i]);
		if (t && t->signature)
			web_puts(&r->out, " — ký số");
		web_puts(&r->out, "</button></form>");
	}
done:
	web_puts(&r->out, "</section>");
	docket_strv_free(avail);
	docket_free(state);
	docket_workflow_free(wf);
}

/* The years of a plan's period, for its report status. */
static void plan_years(wreq *r, docket_doc *d, const char *id)
{
	xmlDocPtr x = serve_xml(d);
	xmlNodePtr period = web_child(web_child(web_child(xmlDocGetRootElement(x), "content"), "plan"), "period");
	char *s = web_attr(period, "start"), *e = web_attr(period, "end");
	int a = s ? atoi(s) : 0, z = e ? atoi(e) : 0, y;

	free(s);
	free(e);
	xmlFreeDoc(x);
	if (a < 1900 || z > 2200 || z < a || z - a > 30)
		return;
	web_puts(&r->out, "<section><h2>Báo cáo của các đơn vị (reports on this plan)</h2><p>");
	for (y = a; y <= z; y++) {
		web_puts(&r->out, "<a href=\"/plan/");
		serve_url(&r->out, id);
		web_printf(&r->out, "/status?year=%d\">%d</a> ", y, y);
	}
	web_puts(&r->out, "</p></section>");
}

static void doc_page(wreq *r, const char *id)
{
	docket_doc *d = NULL;
	docket_doc_summary sum;
	docket_workflow *wf = NULL;
	char *subject = NULL, *date = NULL, *place = NULL, *unit = NULL, *signer = NULL, *path = NULL;
	const char *done = web_query(r, "done"), *kind, *state;
	int error;

	memset(&sum, 0, sizeof(sum));
	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		goto cleanup;
	}
	docket_doc_summarize(&sum, d);
	kind = docket_doc_kind(d) ? docket_doc_kind(d) : "";
	state = docket_doc_state(d) ? docket_doc_state(d) : "draft";
	subject = doc_text(d, "header/subject");
	date = doc_text(d, "header/date");
	place = doc_text(d, "header/place");
	signer = doc_text(d, "header/signer/fullName");
	if (docket_doc_drafting_unit(&unit, d) < 0)
		docket_error_clear();
	docket_doc_find(&path, r->repo, id, NULL);
	docket_error_clear();

	serve_page_begin(r, sum.number ? sum.number : id);
	web_puts(&r->out, "<h1>");
	web_escape(&r->out, sum.number ? sum.number : id);
	web_puts(&r->out, "</h1><p class=\"subject\">");
	web_escape(&r->out, subject);
	web_puts(&r->out, "</p>");
	doc_tabs(r, id);
	if (done && web_safe_id(done)) {
		web_puts(&r->out, "<p class=\"flash\">Đã thực hiện: ");
		web_escape(&r->out, done);
		web_puts(&r->out, "</p>");
	}
	web_puts(&r->out, "<dl class=\"fields\">");
	field_row(&r->out, "Id", id);
	field_row(&r->out, "Loại (kind)", kind);
	web_puts(&r->out, "<dt>Trạng thái (state)</dt><dd>");
	state_badge(&r->out, state);
	web_puts(&r->out, "</dd>");
	field_row(&r->out, "Số, ký hiệu", sum.number);
	field_row(&r->out, "Nơi, ngày", place && date ? place : date);
	field_row(&r->out, "Ngày", place && date ? date : NULL);
	field_row(&r->out, "Trích yếu", subject);
	field_row(&r->out, "Đơn vị soạn", unit);
	field_row(&r->out, "Người ký", signer);
	if (sum.last_transition) {
		web_buf last = WEB_BUF_INIT;
		web_printf(&last, "%s %s — %s (%s)", sum.last_transition, sum.last_date ? sum.last_date : "",
		          sum.last_actor ? sum.last_actor : "", sum.last_role ? sum.last_role : "");
		field_row(&r->out, "Bước cuối", last.ptr);
		web_buf_free(&last);
	}
	field_row(&r->out, "Tệp", path);
	web_puts(&r->out, "</dl>");
	action_forms(r, d, id);
	if (!web_read_only(r) && r->person && docket_workflow_load(&wf, r->repo, NULL, kind) == 0 &&
	    docket_workflow_is_editable(wf, state)) {
		web_puts(&r->out, "<section><h2>Soạn thảo (drafting)</h2><p><a href=\"/doc/");
		serve_url(&r->out, id);
		web_puts(&r->out, "/edit\">Sửa nội dung (edit the text)</a>");
		if (strcmp(kind, "report") == 0) {
			web_puts(&r->out, " · <a href=\"/doc/");
			serve_url(&r->out, id);
			web_puts(&r->out, "/figures\">Nhập số liệu (fill in the figures)</a>");
		}
		web_puts(&r->out, "</p></section>");
	}
	docket_error_clear();
	if (strcmp(kind, "plan") == 0)
		plan_years(r, d, id);
	serve_page_end(r);
cleanup:
	docket_doc_summary_free(&sum);
	docket_doc_free(d);
	docket_workflow_free(wf);
	docket_free(subject);
	docket_free(date);
	docket_free(place);
	docket_free(unit);
	docket_free(signer);
	docket_free(path);
}

/*
 * The A4 page, as `docket render` makes it (docket_render_html: the pinned page.xsl, its
 * signatures verified against the server's trust anchor, never the repository's), served as
 * it is: a page of its own, self-contained, without the workspace around it.
 */
static void a4_page(wreq *r, const char *id)
{
	docket_render_options ro = DOCKET_RENDER_OPTIONS_INIT;
	docket_doc *d = NULL;
	char *html = NULL;
	size_t len = 0;
	int error;

	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return;
	}
	ro.trust = web_trust(r);
	if ((error = docket_render_html(&html, &len, d, r->repo, NULL, &ro)) < 0) {
		serve_error(r, web_status_for(error), "cannot render '%s': %s", id, docket_error_last());
	} else {
		web_buf_free(&r->out);
		web_put(&r->out, html, len);
	}
	docket_free(html);
	docket_doc_free(d);
}

/* --- timeline and diff ----------------------------------------------------------------------- */

static void log_page(wreq *r, const char *id)
{
	docket_log_entry *e = NULL;
	size_t n = 0, i, k;
	int error;

	if ((error = docket_log(&e, &n, r->repo, id, web_trust(r))) < 0) {
		serve_error(r, web_status_for(error), "no timeline for '%s': %s", id, docket_error_last());
		return;
	}
	serve_page_begin(r, id);
	web_puts(&r->out, "<h1>Lịch sử (timeline): ");
	web_escape(&r->out, id);
	web_puts(&r->out, "</h1>");
	doc_tabs(r, id);
	web_puts(&r->out, "<table class=\"timeline\"><thead><tr><th>Thời gian</th><th>Người thực hiện</th><th>Thao tác</th>"
	                 "<th>Trạng thái</th><th>Nội dung</th><th>Commit</th><th>Chữ ký</th></tr></thead><tbody>\n");
	for (i = 0; i < n; i++) {
		web_puts(&r->out, "<tr><td>");
		web_escape(&r->out, e[i].time);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, e[i].actor_name ? e[i].actor_name : e[i].actor);
		if (e[i].actor_position) {
			web_puts(&r->out, ", ");
			web_escape(&r->out, e[i].actor_position);
		}
		web_puts(&r->out, " (");
		web_escape(&r->out, e[i].actor);
		web_puts(&r->out, ")</td><td class=\"action\">");
		web_escape(&r->out, e[i].action);
		web_puts(&r->out, "</td><td>");
		if (e[i].from && e[i].to && strcmp(e[i].from, e[i].to)) {
			web_escape(&r->out, e[i].from);
			web_puts(&r->out, " → ");
		}
		web_escape(&r->out, e[i].to);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, e[i].message);
		web_printf(&r->out, "</td><td><code>%.12s</code></td><td>", e[i].commit);
		for (k = 0; k < e[i].nsigs; k++) {
			web_puts(&r->out, k ? "<br>" : "");
			web_escape(&r->out, e[i].sigs[k].meaning);
			web_puts(&r->out, ": ");
			web_escape(&r->out, e[i].sigs[k].signer);
			web_puts(&r->out, " — ");
			web_escape(&r->out, e[i].sigs[k].status);
		}
		web_puts(&r->out, "</td></tr>\n");
	}
	web_puts(&r->out, "</tbody></table>");
	if (n > 1) {
		web_puts(&r->out, "<form method=\"get\" action=\"/doc/");
		serve_url(&r->out, id);
		web_puts(&r->out, "/diff\"><label>So sánh <select name=\"from\">");
		for (i = 0; i < n; i++)
			web_printf(&r->out, "<option value=\"%s\"%s>%.12s %s</option>", e[i].commit,
			          i + 2 == n ? " selected" : "", e[i].commit, e[i].action ? e[i].action : "");
		web_puts(&r->out, "</select></label> <label>với <select name=\"to\">");
		for (i = 0; i < n; i++)
			web_printf(&r->out, "<option value=\"%s\"%s>%.12s %s</option>", e[i].commit,
			          i + 1 == n ? " selected" : "", e[i].commit, e[i].action ? e[i].action : "");
		web_puts(&r->out, "</select></label> <button type=\"submit\">So sánh (diff)</button></form>");
	}
	serve_page_end(r);
	docket_log_free(e, n);
}

static void diff_page(wreq *r, const char *id)
{
	const char *from = web_query(r, "from"), *to = web_query(r, "to");
	docket_diff_item *items = NULL;
	char r1[41] = "", r2[41] = "";
	size_t n = 0, i;
	int error;

	if (from && !*from)
		from = NULL;
	if (to && !*to)
		to = NULL;
	if ((from && !web_valid_rev(from)) || (to && !web_valid_rev(to))) {
		serve_error(r, 400, "a version is given as a commit id (hexadecimal)");
		return;
	}
	if ((error = docket_diff(&items, &n, r1, r2, r->repo, id, from, to)) < 0) {
		serve_error(r, web_status_for(error), "cannot compare versions of '%s': %s", id, docket_error_last());
		return;
	}
	serve_page_begin(r, id);
	web_puts(&r->out, "<h1>So sánh (diff): ");
	web_escape(&r->out, id);
	web_puts(&r->out, "</h1>");
	doc_tabs(r, id);
	web_printf(&r->out, "<p>%.12s → %.12s: %zu thay đổi</p>", r1, r2, n);
	web_puts(&r->out, "<table class=\"diff\"><thead><tr><th></th><th>Mục</th><th>Trước</th><th>Sau</th></tr></thead>"
	                 "<tbody>\n");
	for (i = 0; i < n; i++) {
		web_printf(&r->out, "<tr><td>%s</td><td>", items[i].change == '+' ? "+" : items[i].change == '-' ? "−" : "~");
		web_escape(&r->out, items[i].path);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, items[i].old_value);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, items[i].new_value);
		web_puts(&r->out, "</td></tr>\n");
	}
	web_puts(&r->out, "</tbody></table>");
	serve_page_end(r);
	docket_diff_free(items, n);
}

/* --- actions --------------------------------------------------------------------------------- */

static void act_post(wreq *r, const char *id)
{
	const char *message = web_form(r, "message"), *transition = web_form(r, "transition");
	docket_action_options a = DOCKET_ACTION_OPTIONS_INIT;
	docket_action_result res;
	int error;

	memset(&res, 0, sizeof(res));
	if (!transition || !web_safe_id(transition)) {
		serve_error(r, 400, "which transition? the form names none");
		return;
	}
	if ((error = web_load_key(r)) < 0) {
		library_error(r, error, "cannot load the signing key", NULL);
		return;
	}
	a.doc = id;
	a.transition = transition;
	a.actor = r->person;
	a.message = message && *message ? message : NULL;
	a.key = r->key;
	if ((error = docket_action_run(&res, r->repo, &a)) < 0)
		library_error(r, error, transition, res.findings);
	else
		redirect(r, "/doc/", res.id, "?done=", transition);
	docket_action_result_free(&res);
}

static int form_year(wreq *r, int *year)
{
	const char *y = web_form(r, "year");
	char *end;
	long v;
	if (!y)
		return -1;
	v = strtol(y, &end, 10);
	if (*end || end == y || v < 1900 || v > 2200)
		return -1;
	*year = (int)v;
	return 0;
}

static void aggregate_post(wreq *r, const char *plan)
{
	docket_draft_options o = DOCKET_DRAFT_OPTIONS_INIT;
	docket_rollup roll;
	int year, error;

	if (form_year(r, &year) < 0) {
		serve_error(r, 400, "which year? the form gives none");
		return;
	}
	o.actor = r->person;
	if ((error = web_load_key(r)) < 0) {
		library_error(r, error, "cannot load the signing key", NULL);
		return;
	}
	if ((error = docket_draft_aggregate(&roll, r->repo, plan, year, &o)) < 0)
		library_error(r, error, "aggregate", roll.doc.findings);
	else
		redirect(r, "/doc/", roll.doc.id, "", NULL);
	docket_findings_free(roll.doc.findings);
	roll.doc.findings = NULL;
	docket_rollup_free(&roll);
}

static void report_post(wreq *r, const char *plan)
{
	docket_draft_options o = DOCKET_DRAFT_OPTIONS_INIT;
	docket_add_result res;
	docket_config *cfg = NULL;
	docket_person p;
	int year, error;

	memset(&res, 0, sizeof(res));
	if (form_year(r, &year) < 0) {
		serve_error(r, 400, "which year? the form gives none");
		return;
	}
	if ((error = docket_config_load(&cfg, r->repo, NULL)) < 0 ||
	    (error = docket_config_person(&p, cfg, r->person)) < 0) {
		library_error(r, error, "new report", NULL);
		goto done;
	}
	o.actor = r->person;
	o.unit = p.unit;
	if ((error = web_load_key(r)) < 0) {
		library_error(r, error, "cannot load the signing key", NULL);
		goto done;
	}
	if ((error = docket_draft_report(&res, r->repo, plan, year, NULL, &o)) < 0)
		library_error(r, error, "new report", res.findings);
	else
		redirect(r, "/doc/", res.id, "/figures", NULL);
done:
	docket_add_result_free(&res);
	docket_config_free(cfg);
}

/* --- report status of a plan -------------------------------------------------------------------- */

/* A one-button form that posts YEAR to /plan/PLAN/WHAT, with its CSRF token. */
static void plan_year_form(wreq *r, const char *plan, const char *what, int year, const char *label)
{
	web_buf a = WEB_BUF_INIT;

	web_puts(&a, "/plan/");
	serve_url(&a, plan);
	web_puts(&a, "/");
	web_puts(&a, what);
	web_puts(&r->out, "<form class=\"act\" method=\"post\" action=\"");
	web_escape(&r->out, a.ptr ? a.ptr : "");
	web_puts(&r->out, "\">");
	web_csrf_field(r, a.ptr ? a.ptr : "");
	web_printf(&r->out, "<input type=\"hidden\" name=\"year\" value=\"%d\">"
	                   "<button type=\"submit\">", year);
	web_escape(&r->out, label);
	web_puts(&r->out, "</button></form>");
	web_buf_free(&a);
}

static void status_page(wreq *r, const char *plan)
{
	const char *y = web_query(r, "year");
	docket_rollup roll;
	docket_config *cfg = NULL;
	docket_person p;
	char *now = NULL;
	int year = 0, error, may_draft = 0;
	size_t i;

	memset(&roll, 0, sizeof(roll));
	if (y && *y) {
		char *end;
		long v = strtol(y, &end, 10);
		if (*end || v < 1900 || v > 2200) {
			serve_error(r, 400, "the year is four digits");
			return;
		}
		year = (int)v;
	} else if (docket_now(&now) == 0 && now) {
		year = atoi(now);
	}
	docket_free(now);
	if ((error = docket_draft_totals(&roll, r->repo, plan, year, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no report status for '%s': %s", plan, docket_error_last());
		return;
	}
	if (r->person && docket_config_load(&cfg, r->repo, NULL) == 0 && docket_config_person(&p, cfg, r->person) == 0)
		for (i = 0; i < roll.n; i++)
			may_draft |= strcmp(roll.units[i].unit, p.unit) == 0 && !roll.units[i].report;
	docket_error_clear();

	serve_page_begin(r, plan);
	web_printf(&r->out, "<h1>Báo cáo năm %d theo kế hoạch ", year);
	doc_link(&r->out, plan, NULL);
	web_puts(&r->out, "</h1><table class=\"status\"><thead><tr><th>Đơn vị</th><th>Tình trạng</th><th>Báo cáo</th>"
	                 "<th>Hạn</th><th>Bước cuối</th><th>Lý do trả lại</th><th>Tổng hợp</th></tr></thead><tbody>\n");
	for (i = 0; i < roll.n; i++) {
		const docket_unit_report *u = &roll.units[i];
		web_puts(&r->out, "<tr><td>");
		web_escape(&r->out, u->unit);
		if (u->unit_name) {
			web_puts(&r->out, " — ");
			web_escape(&r->out, u->unit_name);
		}
		web_puts(&r->out, "</td><td><span class=\"state ");
		web_escape(&r->out, docket_report_status_name(u->status));
		web_puts(&r->out, "\">");
		web_escape(&r->out, status_label(u->status));
		web_puts(&r->out, " (");
		web_escape(&r->out, docket_report_status_name(u->status));
		web_puts(&r->out, ")</span></td><td>");
		if (u->report)
			doc_link(&r->out, u->report, NULL);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, u->due);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, u->last_date);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, u->reason);
		web_puts(&r->out, "</td><td>");
		web_puts(&r->out, u->counted ? "có (counted)" : "");
		web_escape(&r->out, u->counted ? NULL : u->note);
		web_puts(&r->out, "</td></tr>\n");
	}
	web_puts(&r->out, "</tbody></table><h2>Tổng hợp (aggregate of the approved reports)</h2>"
	                 "<table class=\"totals\"><thead><tr><th>Chỉ tiêu</th><th>Tên</th><th>Tử số</th><th>Mẫu số</th>"
	                 "<th>Giá trị</th><th>Mục tiêu</th><th>Đánh giá</th><th>Số đơn vị</th></tr></thead><tbody>\n");
	for (i = 0; i < roll.ntotals; i++) {
		const docket_indicator_total *t = &roll.totals[i];
		int rate = t->measure && strcmp(t->measure, "rate") == 0;
		web_puts(&r->out, "<tr><td>");
		web_escape(&r->out, t->indicator);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, t->name);
		if (rate && t->value)
			web_printf(&r->out, "</td><td>%llu</td><td>%llu</td><td>", (unsigned long long)t->numerator,
			          (unsigned long long)t->denominator);
		else
			web_puts(&r->out, "</td><td></td><td></td><td>");
		web_escape(&r->out, t->value ? t->value : "—");
		web_puts(&r->out, "</td><td>");
		if (t->target) {
			web_puts(&r->out, serve_cmp_sign(t->comparison));
			web_puts(&r->out, " ");
			web_escape(&r->out, t->target);
			web_printf(&r->out, " (%d)", t->target_year);
		}
		web_printf(&r->out, "</td><td>%s</td><td>%zu</td></tr>\n",
		          t->met > 0 ? "Đạt" : t->met == 0 ? "Chưa đạt" : "", t->units);
	}
	web_puts(&r->out, "</tbody></table>");
	if (!web_read_only(r) && r->person) {
		web_puts(&r->out, "<section class=\"actions\"><h2>Thao tác</h2>");
		if (may_draft)
			plan_year_form(r, plan, "report", year, "Soạn báo cáo của đơn vị (draft our report)");
		plan_year_form(r, plan, "aggregate", year, "Lập báo cáo tổng hợp (create the aggregate report)");
		web_puts(&r->out, "</section>");
	}
	serve_page_end(r);
	docket_rollup_free(&roll);
	docket_config_free(cfg);
}

/* --- dispatch ---------------------------------------------------------------------------------- */

void web_route(wreq *r)
{
	char *copy = strdup(r->url), *seg[6], *save = NULL, *s;
	size_t n = 0;
	int post = strcmp(r->method, "POST") == 0;

	if (!copy) {
		serve_error(r, 500, "out of memory");
		return;
	}
	for (s = strtok_r(copy, "/", &save); s && n < 6; s = strtok_r(NULL, "/", &save))
		seg[n++] = s;
	if (s) {
		serve_error(r, 404, "no such page");
		goto done;
	}
	if (n == 1 && !post && strcmp(seg[0], "favicon.ico") == 0) {
		r->status = 204; /* none: a browser asks anyway */
		goto done;
	}
	if (n == 0) {
		if (post)
			serve_error(r, 405, "nothing to post here");
		else
			list_page(r);
		goto done;
	}
	if ((strcmp(seg[0], "doc") && strcmp(seg[0], "plan")) || n < 2) {
		serve_error(r, 404, "no such page");
		goto done;
	}
	if (!web_safe_id(seg[1])) {
		serve_error(r, 404, "no document '%s'", seg[1]);
		goto done;
	}
	if (strcmp(seg[0], "plan") == 0) {
		if (n == 3 && !post && strcmp(seg[2], "status") == 0)
			status_page(r, seg[1]);
		else if (n == 3 && post && strcmp(seg[2], "aggregate") == 0)
			aggregate_post(r, seg[1]);
		else if (n == 3 && post && strcmp(seg[2], "report") == 0)
			report_post(r, seg[1]);
		else
			serve_error(r, 404, "no such page");
		goto done;
	}
	if (n == 2 && !post)
		doc_page(r, seg[1]);
	else if (n == 3 && !post && strcmp(seg[2], "page") == 0)
		a4_page(r, seg[1]);
	else if (n == 3 && !post && strcmp(seg[2], "log") == 0)
		log_page(r, seg[1]);
	else if (n == 3 && !post && strcmp(seg[2], "diff") == 0)
		diff_page(r, seg[1]);
	else if (n == 3 && strcmp(seg[2], "figures") == 0)
		post ? web_figures_post(r, seg[1]) : web_figures_page(r, seg[1]);
	else if (n == 3 && strcmp(seg[2], "edit") == 0)
		post ? web_edit_post(r, seg[1]) : web_edit_page(r, seg[1]);
	else if (n == 3 && post && strcmp(seg[2], "act") == 0)
		act_post(r, seg[1]);
	else
		serve_error(r, 404, "no such page");
done:
	free(copy);
}
