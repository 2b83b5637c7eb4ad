/*
 * forms: what the web workspace reads from a request body, and the two forms that change a
 * draft's content - a report's figures and a draft's subject.
 *
 * A body is application/x-www-form-urlencoded, decoded here strictly: bad escapes, invalid
 * UTF-8 and control characters refuse the whole request. Ids and commit ids from a request
 * are checked against what docket itself writes before they reach the library. A changed
 * document is recorded with docket_edit_buffer, the same checks and commit as
 * `docket commit`: only in an editable state, by a drafter or reviewer of the drafting unit,
 * valid, its workflow steps and signatures untouched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "serve_internal.h"

/* --- request values ----------------------------------------------------------------------- */

int web_valid_rev(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");
	return n >= 4 && n <= 40 && s[n] == '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Well-formed UTF-8 (no overlong forms, no surrogates, at most U+10FFFF), no control
 * characters but tab, CR and LF. */
static int text_ok(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		unsigned cp, need, k;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			need = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c <= 0xef)
			need = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c <= 0xf4)
			need = 3, cp = c & 0x07;
		else
			return 0;
		if (i + need >= n)
			return 0;
		for (k = 1; k <= need; k++) {
			if (i + k >= n || (s[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i + k] & 0x3f);
		}
		if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += need + 1;
	}
	return 1;
}

/* Decode S[0..N) in place into OUT (at most N bytes + NUL); -1 on a bad escape. */
static int urldecode(char *out, const char *s, size_t n, size_t *outlen)
{
	size_t i, o = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '+') {
			out[o++] = ' ';
		} else if (s[i] == '%') {
			int h, l;
			if (i + 2 >= n)
				return -1;
			if ((h = hexval(s[i + 1])) < 0 || (l = hexval(s[i + 2])) < 0)
				return -1;
			out[o++] = (char)(h * 16 + l);
			i += 2;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

/* CRLF and lone CR become LF: what a textarea sends is stored as the documents write it. */
static void unix_newlines(char *s)
{
	char *w = s;
	for (; *s; s++) {
		if (*s == '\r') {
			*w++ = '\n';
			if (s[1] == '\n')
				s++;
		} else {
			*w++ = *s;
		}
	}
	*w = '\0';
}

int web_form_parse(wreq *r)
{
	const char *p = r->body ? r->body : "", *end = p + r->body_len;
	size_t cap = 0;

	while (p < end) {
		const char *amp = memchr(p, '&', (size_t)(end - p)), *eq;
		size_t len = amp ? (size_t)(amp - p) : (size_t)(end - p), nl, vl;
		wfield f;
		if (len) {
			eq = memchr(p, '=', len);
			nl = eq ? (size_t)(eq - p) : len;
			f.name = malloc(nl + 1);
			f.value = malloc(len - nl + 1);
			if (!f.name || !f.value || urldecode(f.name, p, nl, &nl) < 0 ||
			    urldecode(f.value, eq ? eq + 1 : "", eq ? len - nl - 1 : 0, &vl) < 0 ||
			    strlen(f.name) != nl || strlen(f.value) != vl ||
			    !text_ok((const unsigned char *)f.name, nl) || !text_ok((const unsigned char *)f.value, vl)) {
				free(f.name);
				free(f.value);
				return -1;
			}
			unix_newlines(f.value);
			if (r->nform == cap) {
				wfield *nf = realloc(r->form, (cap ? cap * 2 : 16) * sizeof(*nf));
				if (!nf) {
					free(f.name);
					free(f.value);
					return -1;
				}
				r->form = nf;
				cap = cap ? cap * 2 : 16;
			}
			r->form[r->nform++] = f;
		}
		p += len + 1;
	}
	return 0;
}

const char *web_form(const wreq *r, const char *name)
{
	size_t i;
	for (i = 0; i < r->nform; i++)
		if (strcmp(r->form[i].name, name) == 0)
			return r->form[i].value;
	return NULL;
}

void web_form_free(wreq *r)
{
	size_t i;
	for (i = 0; i < r->nform; i++) {
		free(r->form[i].name);
		free(r->form[i].value);
	}
	free(r->form);
	r->form = NULL;
	r->nform = 0;
}

/* --- shared ----------------------------------------------------------------------------------- */

xmlDocPtr serve_xml(docket_doc *d)
{
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr x = NULL;

	/* what docket serialises has passed its hostile-input checks; still: no network, no DTD */
	if (docket_doc_serialize(&buf, &len, d) == 0 && len <= DOCKET_DOC_MAX_BYTES)
		x = xmlReadMemory(buf, (int)len, docket_doc_name(d), "UTF-8", XML_PARSE_NONET | XML_PARSE_NOCDATA);
	docket_free(buf);
	docket_error_clear();
	return x;
}

static char *path_of(const char *a, const char *id, const char *b)
{
	web_buf u = WEB_BUF_INIT;
	web_puts(&u, a);
	serve_url(&u, id);
	web_puts(&u, b);
	if (u.failed) {
		web_buf_free(&u);
		return NULL;
	}
	return u.ptr;
}

static void form_begin(wreq *r, const char *action)
{
	web_puts(&r->out, "<form method=\"post\" action=\"");
	web_escape(&r->out, action);
	web_puts(&r->out, "\">");
	web_csrf_field(r, action);
}

/* Record DOC as ID's new content; a redirect to the document, or the refusal. */
static void record(wreq *r, const char *id, xmlDocPtr doc, const char *message, const char *done)
{
	docket_action_result res;
	xmlChar *buf = NULL;
	int len = 0, error;

	memset(&res, 0, sizeof(res));
	xmlDocDumpMemoryEnc(doc, &buf, &len, "UTF-8");
	if (!buf) {
		serve_error(r, 500, "out of memory");
		return;
	}
	if ((error = web_load_key(r)) < 0 ||
	    (error = docket_edit_buffer(&res, r->repo, id, r->person, message, (const char *)buf, (size_t)len)) < 0) {
		r->status = web_status_for(error);
		serve_page_begin(r, "Không ghi được");
		web_printf(&r->out, "<h1>%d</h1><p class=\"error\">", r->status);
		web_escape(&r->out, docket_error_last());
		web_puts(&r->out, "</p>");
		if (res.findings && docket_findings_count(res.findings)) {
			size_t i;
			web_puts(&r->out, "<ul class=\"findings\">");
			for (i = 0; i < docket_findings_count(res.findings); i++) {
				web_puts(&r->out, "<li>");
				web_escape(&r->out, docket_findings_get(res.findings, i)->message);
				web_puts(&r->out, "</li>");
			}
			web_puts(&r->out, "</ul>");
		}
		web_puts(&r->out, "<p>Nothing was written.</p>");
		serve_page_end(r);
	} else {
		web_buf u = WEB_BUF_INIT;
		web_puts(&u, "/doc/");
		serve_url(&u, id);
		web_puts(&u, "?done=");
		web_puts(&u, done);
		r->location = u.failed ? NULL : u.ptr;
		if (u.failed) {
			web_buf_free(&u);
			serve_error(r, 500, "out of memory");
		}
	}
	docket_action_result_free(&res);
	xmlFree(buf);
}

/* --- a draft's subject -------------------------------------------------------------------------- */

void web_edit_page(wreq *r, const char *id)
{
	docket_doc *d = NULL;
	char *subject = NULL, *action = NULL;
	int error;

	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return;
	}
	if (!(action = path_of("/doc/", id, "/edit"))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	if (docket_doc_text(&subject, d, "header/subject") < 0)
		docket_error_clear();
	serve_page_begin(r, id);
	web_puts(&r->out, "<h1>Sửa văn bản (edit): <a href=\"/doc/");
	serve_url(&r->out, id);
	web_puts(&r->out, "\">");
	web_escape(&r->out, id);
	web_puts(&r->out, "</a></h1>");
	if (web_read_only(r) || !r->person) {
		web_puts(&r->out, "<p>No action is offered here.</p>");
	} else {
		form_begin(r, action);
		web_puts(&r->out, "<p><label>Trích yếu (subject)<br><textarea name=\"subject\" rows=\"3\" cols=\"80\" "
		                 "required maxlength=\"1000\">");
		web_escape(&r->out, subject);
		web_puts(&r->out, "</textarea></label></p><p><label>Ghi chú thay đổi (commit message) "
		                 "<input name=\"message\" size=\"60\"></label></p>"
		                 "<p><button type=\"submit\">Ghi (record)</button></p></form>");
	}
	serve_page_end(r);
done:
	free(action);
	docket_free(subject);
	docket_doc_free(d);
}

void web_edit_post(wreq *r, const char *id)
{
	const char *subject = web_form(r, "subject"), *message = web_form(r, "message");
	docket_doc *d = NULL;
	xmlDocPtr x = NULL;
	xmlNodePtr node, text;
	int error;

	if (!subject || !*subject || strlen(subject) > 4000) {
		serve_error(r, 400, "the subject is required (at most 4000 bytes)");
		return;
	}
	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return;
	}
	if (!(x = serve_xml(d))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	if (!(node = web_child(web_child(xmlDocGetRootElement(x), "header"), "subject"))) {
		serve_error(r, 422, "'%s' has no subject to edit", id);
		goto done;
	}
	/* the text as text: nothing in it is read as markup or an entity */
	xmlNodeSetContent(node, NULL);
	if (!(text = xmlNewText((const xmlChar *)subject)) || !xmlAddChild(node, text)) {
		xmlFreeNode(text);
		serve_error(r, 500, "out of memory");
		goto done;
	}
	record(r, id, x, message && *message ? message : "Sửa trích yếu", "edit");
done:
	xmlFreeDoc(x);
	docket_doc_free(d);
}

/* --- a report's figures -------------------------------------------------------------------------- */

typedef struct {
	xmlNodePtr node;
	char *id, *name, *measure, *unit, *comparison, *target;
} indicator;

typedef struct {
	indicator *v;
	size_t n, cap;
	const char *year;
} indicators;

static void indicators_free(indicators *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].name);
		free(l->v[i].measure);
		free(l->v[i].unit);
		free(l->v[i].comparison);
		free(l->v[i].target);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* Every indicator of a plan's content, in document order, with its target for the year. */
static int collect(indicators *l, xmlNodePtr n)
{
	xmlNodePtr c;
	for (c = n ? n->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (c->ns && strcmp((const char *)c->ns->href, DOCKET_NS) == 0 && strcmp((const char *)c->name, "indicator") == 0) {
			indicator *x;
			xmlNodePtr t;
			if (l->n == l->cap) {
				indicator *nv = realloc(l->v, (l->cap ? l->cap * 2 : 16) * sizeof(*nv));
				if (!nv)
					return -1;
				l->v = nv;
				l->cap = l->cap ? l->cap * 2 : 16;
			}
			x = &l->v[l->n++];
			memset(x, 0, sizeof(*x));
			x->node = c;
			x->id = web_attr(c, "id");
			x->measure = web_attr(c, "measure");
			x->unit = web_attr(c, "unit");
			x->comparison = web_attr(c, "comparison");
			x->name = web_text(web_child(c, "name"));
			for (t = c->children; t; t = t->next) {
				char *y;
				if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "target") != 0)
					continue;
				y = web_attr(t, "year");
				if (y && l->year && strcmp(y, l->year) == 0) {
					free(x->target);
					x->target = web_attr(t, "value");
				}
				free(y);
			}
			if (!x->id)
				l->n--;
			continue;
		}
		if (collect(l, c) < 0)
			return -1;
	}
	return 0;
}

static xmlNodePtr result_for(xmlNodePtr results, const char *id)
{
	xmlNodePtr c;
	for (c = results ? results->children : NULL; c; c = c->next) {
		char *a;
		int same;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "result") != 0)
			continue;
		a = web_attr(c, "indicator");
		same = a && strcmp(a, id) == 0;
		free(a);
		if (same)
			return c;
	}
	return NULL;
}

/* The report, its plan (as XML trees of their own) and the plan's indicators; 0, or an error
 * page written. */
static int load_report(wreq *r, const char *id, xmlDocPtr *rep, xmlDocPtr *plan, indicators *l,
                       xmlNodePtr *report)
{
	docket_doc *d = NULL;
	char *ref = NULL, *year = NULL;
	int error;

	memset(l, 0, sizeof(*l));
	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return -1;
	}
	*rep = serve_xml(d);
	docket_doc_free(d);
	d = NULL;
	*report = web_child(web_child(xmlDocGetRootElement(*rep), "content"), "report");
	if (!*report || !(ref = web_attr(web_child(*report, "plan"), "ref"))) {
		serve_error(r, 404, "'%s' is not a report on a plan", id);
		return -1;
	}
	if ((error = docket_doc_load(&d, r->repo, ref, NULL)) < 0) {
		serve_error(r, web_status_for(error), "the plan '%s' of '%s' is not in the repository", ref, id);
		free(ref);
		return -1;
	}
	free(ref);
	*plan = serve_xml(d);
	docket_doc_free(d);
	year = web_text(web_child(*report, "year"));
	l->year = year;
	error = collect(l, web_child(web_child(xmlDocGetRootElement(*plan), "content"), "plan"));
	l->year = NULL;
	free(year);
	if (error < 0 || !*plan) {
		serve_error(r, 500, "out of memory");
		return -1;
	}
	return 0;
}

const char *serve_cmp_sign(const char *c)
{
	if (!c)
		return "";
	return !strcmp(c, "ge") ? "≥" : !strcmp(c, "gt") ? ">" : !strcmp(c, "le") ? "≤" : !strcmp(c, "lt") ? "<" : "=";
}

static void number_input(wreq *r, const char *prefix, const char *id, const char *value, const char *label)
{
	web_printf(&r->out, "<input type=\"text\" inputmode=\"numeric\" size=\"8\" aria-label=\"%s\" name=\"%s", label,
	          prefix);
	web_escape(&r->out, id);
	web_puts(&r->out, "\" value=\"");
	web_escape(&r->out, value);
	web_puts(&r->out, "\">");
}

void web_figures_page(wreq *r, const char *id)
{
	xmlDocPtr rep = NULL, plan = NULL;
	indicators l;
	xmlNodePtr report = NULL, results;
	char *action = NULL, *year = NULL;
	size_t i;

	if (load_report(r, id, &rep, &plan, &l, &report) < 0)
		goto done;
	if (!(action = path_of("/doc/", id, "/figures"))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	results = web_child(report, "results");
	year = web_text(web_child(report, "year"));
	serve_page_begin(r, id);
	web_puts(&r->out, "<h1>Số liệu báo cáo (figures): <a href=\"/doc/");
	serve_url(&r->out, id);
	web_puts(&r->out, "\">");
	web_escape(&r->out, id);
	web_puts(&r->out, "</a></h1><p>Năm ");
	web_escape(&r->out, year);
	web_puts(&r->out, ". Với chỉ tiêu tỷ lệ, nhập tử số và mẫu số: docket tính tỷ lệ "
	                 "(for a rate give numerator and denominator; docket computes the rate).</p>");
	if (!web_read_only(r) && r->person)
		form_begin(r, action);
	web_puts(&r->out, "<table class=\"figures\"><thead><tr><th>Chỉ tiêu</th><th>Tên chỉ tiêu</th><th>Mục tiêu</th>"
	                 "<th>Tử số</th><th>Mẫu số</th><th>Giá trị</th></tr></thead><tbody>\n");
	for (i = 0; i < l.n; i++) {
		const indicator *x = &l.v[i];
		xmlNodePtr res = result_for(results, x->id);
		char *num = web_attr(res, "numerator"), *den = web_attr(res, "denominator"), *val = web_attr(res, "value");
		int rate = x->measure && strcmp(x->measure, "rate") == 0;
		web_puts(&r->out, "<tr class=\"indicator\" data-id=\"");
		web_escape(&r->out, x->id);
		web_puts(&r->out, "\"><td>");
		web_escape(&r->out, x->id);
		web_puts(&r->out, "</td><td>");
		web_escape(&r->out, x->name);
		web_puts(&r->out, "</td><td>");
		if (x->target) {
			web_puts(&r->out, serve_cmp_sign(x->comparison));
			web_puts(&r->out, " ");
			web_escape(&r->out, x->target);
			web_escape(&r->out, x->unit);
		}
		web_puts(&r->out, "</td><td>");
		if (rate)
			number_input(r, "n_", x->id, num, "numerator");
		web_puts(&r->out, "</td><td>");
		if (rate)
			number_input(r, "d_", x->id, den, "denominator");
		web_puts(&r->out, "</td><td>");
		if (rate) {
			web_puts(&r->out, "<output>");
			web_escape(&r->out, val);
			web_puts(&r->out, "</output>");
		} else {
			number_input(r, "v_", x->id, val, "value");
		}
		web_puts(&r->out, "</td></tr>\n");
		free(num);
		free(den);
		free(val);
	}
	web_puts(&r->out, "</tbody></table>");
	if (!web_read_only(r) && r->person)
		web_puts(&r->out, "<p><label>Ghi chú thay đổi (commit message) <input name=\"message\" size=\"60\"></label></p>"
		                 "<p><button type=\"submit\" id=\"save-figures\">Ghi số liệu (record the figures)</button></p>"
		                 "</form>");
	serve_page_end(r);
done:
	free(action);
	free(year);
	indicators_free(&l);
	xmlFreeDoc(rep);
	xmlFreeDoc(plan);
}

static int parse_count(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	if (!s || !*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 15)
		return -1;
	v = strtoull(s, &end, 10);
	*out = v;
	return 0;
}

/* A decimal as the schema writes it: digits, one point (a comma accepted for it). */
static int parse_decimal(const char *s, char *out, size_t size)
{
	size_t n = strlen(s), i, dots = 0;
	if (!n || n >= size)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] == '.' || s[i] == ',') {
			if (dots++ || i == 0 || i == n - 1)
				return -1;
			out[i] = '.';
		} else if (s[i] >= '0' && s[i] <= '9') {
			out[i] = s[i];
		} else {
			return -1;
		}
	}
	out[n] = '\0';
	return 0;
}

static xmlNodePtr add_ws(xmlNodePtr parent, const char *ws)
{
	xmlNodePtr t = xmlNewText((const xmlChar *)ws);
	if (t && !xmlAddChild(parent, t)) {
		xmlFreeNode(t);
		return NULL;
	}
	return t;
}

void web_figures_post(wreq *r, const char *id)
{
	xmlDocPtr rep = NULL, plan = NULL;
	indicators l;
	xmlNodePtr report = NULL, old, results = NULL, unit, c, next;
	const char *message = web_form(r, "message");
	size_t i, filled = 0;
	int oom = 0;

	if (load_report(r, id, &rep, &plan, &l, &report) < 0)
		goto done;
	old = web_child(report, "results");
	if (!(results = xmlNewDocNode(report->doc, report->ns, (const xmlChar *)"results", NULL))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	for (i = 0; i < l.n; i++) {
		const indicator *x = &l.v[i];
		char name[160], value[64];
		const char *n, *d, *v;
		xmlNodePtr res, prev;
		int rate = x->measure && strcmp(x->measure, "rate") == 0;
		uint64_t nu = 0, de = 0;

		snprintf(name, sizeof(name), "n_%s", x->id);
		n = web_form(r, name);
		snprintf(name, sizeof(name), "d_%s", x->id);
		d = web_form(r, name);
		snprintf(name, sizeof(name), "v_%s", x->id);
		v = web_form(r, name);
		if (rate ? (!n || !*n) && (!d || !*d) : !v || !*v)
			continue; /* not filled in yet */
		if (rate) {
			if (parse_count(n, &nu) < 0 || parse_count(d, &de) < 0 || de == 0) {
				serve_error(r, 400, "indicator %s: the numerator and the denominator are whole numbers, "
				          "the denominator not 0; nothing was written", x->id);
				goto done;
			}
			if (docket_rate_format(value, sizeof(value), nu, de, x->target) < 0) {
				serve_error(r, 400, "indicator %s: %s; nothing was written", x->id, docket_error_last());
				goto done;
			}
		} else if (parse_decimal(v, value, sizeof(value)) < 0) {
			serve_error(r, 400, "indicator %s: the value is a decimal number; nothing was written", x->id);
			goto done;
		}
		if (!add_ws(results, "\n        ") ||
		    !(res = xmlNewChild(results, report->ns, (const xmlChar *)"result", NULL)) ||
		    !xmlSetProp(res, (const xmlChar *)"indicator", (const xmlChar *)x->id)) {
			oom = 1;
			break;
		}
		if (rate) {
			char a[32], b[32];
			snprintf(a, sizeof(a), "%llu", (unsigned long long)nu);
			snprintf(b, sizeof(b), "%llu", (unsigned long long)de);
			if (!xmlSetProp(res, (const xmlChar *)"numerator", (const xmlChar *)a) ||
			    !xmlSetProp(res, (const xmlChar *)"denominator", (const xmlChar *)b))
				oom = 1;
		}
		if (!xmlSetProp(res, (const xmlChar *)"value", (const xmlChar *)value))
			oom = 1;
		/* a note written earlier stays */
		if ((prev = result_for(old, x->id)) != NULL && prev->children) {
			xmlNodePtr copy = xmlDocCopyNodeList(report->doc, prev->children);
			if (copy && !xmlAddChildList(res, copy))
				oom = 1;
		}
		filled++;
	}
	if (oom || (filled && !add_ws(results, "\n      "))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	if (!filled) {
		serve_error(r, 400, "no figure was given; nothing was written");
		goto done;
	}
	/* the skeleton's commented-out results go: these replace them */
	for (c = report->children; c; c = next) {
		next = c->next;
		if (c->type != XML_COMMENT_NODE || !c->content || !strstr((const char *)c->content, "<result"))
			continue;
		if (c->prev && xmlIsBlankNode(c->prev)) {
			xmlNodePtr ws = c->prev;
			xmlUnlinkNode(ws);
			xmlFreeNode(ws);
		}
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	if (old) {
		xmlReplaceNode(old, results);
		xmlFreeNode(old);
	} else if ((unit = web_child(report, "unit")) != NULL) {
		xmlNodePtr ws = xmlNewText((const xmlChar *)"\n      ");
		if (!ws || !xmlAddNextSibling(unit, ws) || !xmlAddNextSibling(ws, results)) {
			serve_error(r, 500, "out of memory");
			goto done;
		}
	} else {
		serve_error(r, 422, "'%s' has no unit element to put the results after", id);
		goto done;
	}
	results = NULL;
	record(r, id, rep, message && *message ? message : "Nhập số liệu", "figures");
done:
	xmlFreeNode(results);
	indicators_free(&l);
	xmlFreeDoc(rep);
	xmlFreeDoc(plan);
}
