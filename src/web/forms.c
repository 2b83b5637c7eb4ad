/*
 * forms: what the web workspace reads from a request body, and the two forms that change a
 * draft's content - a report's figures and a draft's text (every free-text field).
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
/* The page of a refused write: ERROR's status and message, FINDINGS (may be NULL) as a list. */
static void serve_not_written(wreq *r, int error, const docket_findings *findings)
{
	r->status = web_status_for(error);
	serve_page_begin(r, "Không ghi được");
	web_printf(&r->out, "<h1>%d</h1><p class=\"error\">", r->status);
	web_escape(&r->out, docket_error_last());
	web_puts(&r->out, "</p>");
	if (findings && docket_findings_count(findings)) {
		web_puts(&r->out, "<ul class=\"findings\">");
		for (size_t i = 0; i < docket_findings_count(findings); i++) {
			web_puts(&r->out, "<li>");
			web_escape(&r->out, docket_findings_get(findings, i)->message);
			web_puts(&r->out, "</li>");
		}
		web_puts(&r->out, "</ul>");
	}
	web_puts(&r->out, "<p>Nothing was written.</p>");
	serve_page_end(r);
}

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
		serve_not_written(r, error, res.findings);
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

/* --- a draft's text ----------------------------------------------------------------------------- */

/*
 * Every free-text field of a document, as one form: the subject; the preamble and the
 * closing; for a report each result's note, each narrative, the difficulties and the
 * proposals. A field is one textarea. Running text (the subject, a preamble, a note) is one
 * paragraph: its white space is made single spaces. Blocks (a narrative, the difficulties)
 * are one line each: "- " starts a bullet (item), any other line is a paragraph (p).
 *
 * What a person typed is stored as text, never read as markup. A field whose text has
 * italics or footnote marks cannot be shown in a textarea without losing them: it is shown
 * read-only, and a change to it is refused. A field the form does not send, or sends as it
 * was, is left exactly as it is in the XML.
 */

typedef enum { TF_LINE, TF_RICH, TF_BLOCKS } tf_kind;

typedef struct {
	char *key;          /* the form field's name */
	char *label;        /* what the page calls it */
	tf_kind kind;
	xmlNodePtr node;    /* the element, or NULL: absent, made when filled */
	xmlNodePtr parent;  /* where it is made (under content or report) */
	const char *name;   /* its element name */
	const char *empty;  /* blocks: the block an emptied field keeps (the schema wants one) */
	char *text;         /* the field as the form shows it */
	int marked;         /* italics or footnote marks: read-only */
} tfield;

typedef struct {
	tfield *v;
	size_t n, cap;
	int oom;
} tfields;

static void tfields_free(tfields *l)
{
	size_t i;
	for (i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].label);
		free(l->v[i].text);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static int has_element(xmlNodePtr n)
{
	xmlNodePtr c;
	for (c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			return 1;
	return 0;
}

/* S with every run of white space one space, none at either end, appended to B. */
static void put_squeezed(web_buf *b, const char *s, size_t n)
{
	size_t i;
	int space = 0, any = 0;
	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			space = any;
			continue;
		}
		if (space)
			web_put(b, " ", 1);
		web_put(b, s + i, 1);
		space = 0;
		any = 1;
	}
}

/*
 * The form's text of a field, from what the person typed (SUBMITTED) or from the XML (NODE):
 * the same normal form for both, so that an unchanged field compares equal.
 */
static char *normal_text(tf_kind kind, const char *s)
{
	web_buf b = WEB_BUF_INIT;
	const char *line = s, *nl;

	web_puts(&b, "");
	if (kind != TF_BLOCKS) {
		put_squeezed(&b, s, strlen(s));
		return web_buf_detach(&b, NULL);
	}
	for (; line && *line; line = nl ? nl + 1 : NULL) {
		size_t before = b.len, n;
		nl = strchr(line, '\n');
		n = nl ? (size_t)(nl - line) : strlen(line);
		if (b.len)
			web_put(&b, "\n", 1);
		put_squeezed(&b, line, n);
		/* an empty line or a bullet with nothing in it is no block */
		if (b.len == before + (before ? 1 : 0) ||
		    (b.len == before + (before ? 1 : 0) + 1 && b.ptr[b.len - 1] == '-')) {
			b.len = before;
			b.ptr[b.len] = '\0';
		}
	}
	return web_buf_detach(&b, NULL);
}

/* The blocks of NODE as lines: "- " for an item. */
static char *blocks_text(xmlNodePtr node, int *marked)
{
	web_buf b = WEB_BUF_INIT;
	xmlNodePtr c;
	char *out;

	web_puts(&b, "");
	for (c = node ? node->children : NULL; c; c = c->next) {
		char *t;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (has_element(c))
			*marked = 1;
		t = web_text(c);
		if (t) {
			web_puts(&b, strcmp((const char *)c->name, "item") == 0 ? "- " : "");
			web_puts(&b, t);
			web_puts(&b, "\n");
			/* a paragraph that begins "- " would come back a bullet */
			if (strcmp((const char *)c->name, "p") == 0 && t[strspn(t, " \t\r\n")] == '-')
				*marked = 1;
		}
		free(t);
	}
	out = b.failed ? NULL : normal_text(TF_BLOCKS, b.ptr);
	web_buf_free(&b);
	return out;
}

static void tf_add(tfields *l, const char *key, const char *label, tf_kind kind, xmlNodePtr node,
                   xmlNodePtr parent, const char *name, const char *empty)
{
	tfield *f;
	char *raw;

	if (l->oom)
		return;
	if (l->n == l->cap) {
		tfield *nv = realloc(l->v, (l->cap ? l->cap * 2 : 16) * sizeof(*nv));
		if (!nv) {
			l->oom = 1;
			return;
		}
		l->v = nv;
		l->cap = l->cap ? l->cap * 2 : 16;
	}
	f = &l->v[l->n];
	memset(f, 0, sizeof(*f));
	f->kind = kind;
	f->node = node;
	f->parent = parent;
	f->name = name;
	f->empty = empty;
	f->key = strdup(key);
	f->label = strdup(label);
	if (kind == TF_BLOCKS) {
		f->text = blocks_text(node, &f->marked);
	} else {
		f->marked = has_element(node);
		raw = node ? web_text(node) : NULL;
		f->text = normal_text(kind, raw ? raw : "");
		free(raw);
	}
	l->n++;
	if (!f->key || !f->label || !f->text)
		l->oom = 1;
}

/* The free-text fields of the document X, in the order of the page. */
static int text_fields(tfields *l, xmlDocPtr x)
{
	xmlNodePtr root = xmlDocGetRootElement(x), content = web_child(root, "content");
	xmlNodePtr report = web_child(content, "report"), c;
	size_t k = 0;

	memset(l, 0, sizeof(*l));
	tf_add(l, "subject", "Trích yếu (subject)", TF_LINE, web_child(web_child(root, "header"), "subject"),
	       NULL, "subject", NULL);
	if (content)
		tf_add(l, "preamble", "Lời mở đầu, căn cứ (preamble)", TF_RICH, web_child(content, "preamble"), content,
		       "preamble", NULL);
	for (c = web_child(web_child(report, "results"), "result"); c; c = c->next) {
		char *id;
		web_buf key = WEB_BUF_INIT, label = WEB_BUF_INIT;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "result") != 0)
			continue;
		if ((id = web_attr(c, "indicator")) != NULL) {
			web_puts(&key, "note:");
			web_puts(&key, id);
			web_puts(&label, "Ghi chú chỉ tiêu ");
			web_puts(&label, id);
			web_puts(&label, " (note on indicator ");
			web_puts(&label, id);
			web_puts(&label, ")");
			if (key.failed || label.failed)
				l->oom = 1;
			else
				tf_add(l, key.ptr, label.ptr, TF_RICH, c, c->parent, "result", NULL);
		}
		free(id);
		web_buf_free(&key);
		web_buf_free(&label);
	}
	for (c = web_child(web_child(report, "narratives"), "narrative"); c; c = c->next) {
		char *group, *title;
		web_buf key = WEB_BUF_INIT, label = WEB_BUF_INIT;
		if (c->type != XML_ELEMENT_NODE || strcmp((const char *)c->name, "narrative") != 0)
			continue;
		k++;
		group = web_attr(c, "group");
		title = web_attr(c, "title");
		/* a group names its narrative even when another is added meanwhile */
		if (group) {
			web_puts(&key, "narrative:");
			web_puts(&key, group);
		} else {
			web_printf(&key, "narrative#%zu", k);
		}
		web_printf(&label, "%zu. ", k);
		web_puts(&label, title ? title : group ? "Nhóm nhiệm vụ " : "Nhiệm vụ khác");
		if (!title && group)
			web_puts(&label, group);
		web_puts(&label, " (narrative)");
		if (key.failed || label.failed)
			l->oom = 1;
		else
			tf_add(l, key.ptr, label.ptr, TF_BLOCKS, c, c->parent, "narrative", "item");
		free(group);
		free(title);
		web_buf_free(&key);
		web_buf_free(&label);
	}
	if (report) {
		tf_add(l, "difficulties", "Khó khăn, vướng mắc (difficulties)", TF_BLOCKS, web_child(report, "difficulties"),
		       report, "difficulties", "p");
		tf_add(l, "proposals", "Đề xuất, kiến nghị (proposals)", TF_BLOCKS, web_child(report, "proposals"),
		       report, "proposals", "p");
	}
	if (content)
		tf_add(l, "closing", "Đoạn kết (closing)", TF_RICH, web_child(content, "closing"), content, "closing", NULL);
	return l->oom ? -1 : 0;
}

/* The white space before NODE on its line ("    "), or "". */
static const char *indent_of(xmlNodePtr node)
{
	xmlNodePtr t = node ? node->prev : NULL;
	const char *s, *nl;
	if (!t || t->type != XML_TEXT_NODE || !t->content)
		return "";
	s = (const char *)t->content;
	nl = strrchr(s, '\n');
	return nl ? nl + 1 : "";
}

static xmlNodePtr new_ws(xmlDocPtr doc, const char *indent)
{
	web_buf b = WEB_BUF_INIT;
	xmlNodePtr t;
	web_puts(&b, "\n");
	web_puts(&b, indent);
	t = b.failed ? NULL : xmlNewDocText(doc, (const xmlChar *)b.ptr);
	web_buf_free(&b);
	return t;
}

/* Remove NODE and the white space that indents it. */
static void drop_node(xmlNodePtr node)
{
	xmlNodePtr ws = node->prev;
	if (ws && ws->type == XML_TEXT_NODE && xmlIsBlankNode(ws)) {
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	xmlUnlinkNode(node);
	xmlFreeNode(node);
}

/*
 * Make the absent element of F in its parent, where the schema puts it: the preamble first
 * in content; the closing after content's plan, report or task; the difficulties after the
 * narratives (or the results, the unit); the proposals after the difficulties (or those).
 */
static xmlNodePtr make_field(tfield *f)
{
	static const char *const after_closing[] = { "body", "plan", "report", "task", NULL };
	static const char *const after_difficulties[] = { "narratives", "results", "unit", NULL };
	static const char *const after_proposals[] = { "difficulties", "narratives", "results", "unit", NULL };
	const char *const *after = strcmp(f->name, "closing") == 0 ? after_closing :
	                           strcmp(f->name, "difficulties") == 0 ? after_difficulties :
	                           strcmp(f->name, "proposals") == 0 ? after_proposals : NULL;
	xmlNodePtr node, ws, prev = NULL, first;
	size_t i;

	for (i = 0; after && after[i] && !prev; i++)
		prev = web_child(f->parent, after[i]);
	if (after && !prev)
		return NULL;
	for (first = f->parent->children; first && first->type != XML_ELEMENT_NODE; first = first->next)
		;
	if (!first)
		return NULL;
	if (!(node = xmlNewDocNode(f->parent->doc, f->parent->ns, (const xmlChar *)f->name, NULL)) ||
	    !(ws = new_ws(f->parent->doc, indent_of(prev ? prev : first)))) {
		xmlFreeNode(node);
		return NULL;
	}
	if (prev) {
		/* PREV's indentation, then the new element, right after PREV */
		if (!xmlAddNextSibling(prev, ws) || !xmlAddNextSibling(ws, node)) {
			xmlFreeNode(node);
			return NULL;
		}
	} else if (!xmlAddPrevSibling(first, node) || !xmlAddPrevSibling(first, ws)) {
		xmlFreeNode(node);
		return NULL;
	}
	return node;
}

/* Set F to TEXT (its normal form). 0, or -1 out of memory / no place for it. */
static int set_field(tfield *f, const char *text)
{
	xmlNodePtr c, next, t;
	const char *line, *nl;
	char *indent = NULL, *inner = NULL;
	int error = -1;

	if (!*text && !f->node)
		return 0;
	if (!*text && f->kind == TF_RICH && f->node && strcmp(f->name, "result") != 0) {
		drop_node(f->node);   /* an optional element: gone rather than empty */
		f->node = NULL;
		return 0;
	}
	if (!f->node && !(f->node = make_field(f)))
		return -1;
	for (c = f->node->children; c; c = next) {
		next = c->next;
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	if (f->kind != TF_BLOCKS) {
		/* the text as text: nothing in it is read as markup or an entity */
		if (*text && (!(t = xmlNewDocText(f->node->doc, (const xmlChar *)text)) || !xmlAddChild(f->node, t))) {
			xmlFreeNode(t);
			return -1;
		}
		return 0;
	}
	indent = strdup(indent_of(f->node));
	inner = indent ? malloc(strlen(indent) + 3) : NULL;
	if (!inner)
		goto done;
	strcpy(inner, indent);
	strcat(inner, "  ");
	for (line = *text ? text : "-"; line; line = nl ? nl + 1 : NULL) {
		int item = line[0] == '-' && (line[1] == ' ' || line[1] == '\n' || line[1] == '\0');
		const char *body = item ? line + 1 + (line[1] == ' ') : line;
		size_t n;
		xmlNodePtr block;
		nl = strchr(line, '\n');
		n = nl ? (size_t)(nl - body) : strlen(body);
		if (!(t = new_ws(f->node->doc, inner)) || !xmlAddChild(f->node, t) ||
		    !(block = xmlNewChild(f->node, f->node->ns,
		                          (const xmlChar *)(*text ? (item ? "item" : "p") : f->empty), NULL)))
			goto done;
		if (n) {
			xmlNodePtr bt = xmlNewDocTextLen(f->node->doc, (const xmlChar *)body, (int)n);
			if (!bt || !xmlAddChild(block, bt)) {
				xmlFreeNode(bt);
				goto done;
			}
		}
	}
	if (!(t = new_ws(f->node->doc, indent)) || !xmlAddChild(f->node, t))
		goto done;
	error = 0;
done:
	free(indent);
	free(inner);
	return error;
}

void web_edit_page(wreq *r, const char *id)
{
	docket_doc *d = NULL;
	xmlDocPtr x = NULL;
	tfields l;
	char *action = NULL;
	size_t i;
	int error, form;

	memset(&l, 0, sizeof(l));
	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return;
	}
	if (!(action = path_of("/doc/", id, "/edit")) || !(x = serve_xml(d)) || text_fields(&l, x) < 0) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	form = !web_read_only(r) && r->person;
	serve_page_begin(r, id);
	web_puts(&r->out, "<h1>Sửa văn bản (edit the text): <a href=\"/doc/");
	serve_url(&r->out, id);
	web_puts(&r->out, "\">");
	web_escape(&r->out, id);
	web_puts(&r->out, "</a></h1>");
	if (!form)
		web_puts(&r->out, "<p>No action is offered here.</p>");
	else
		form_begin(r, action);
	web_puts(&r->out, "<p>Mỗi dòng của phần có nhiều đoạn là một đoạn; dòng bắt đầu bằng \"- \" là một gạch đầu dòng "
	                 "(in a field of several paragraphs each line is one; a line starting \"- \" is a bullet).</p>");
	for (i = 0; i < l.n; i++) {
		const tfield *f = &l.v[i];
		int rows = f->kind == TF_LINE ? 3 : f->kind == TF_RICH ? 4 : 8;
		web_puts(&r->out, "<p class=\"text-field\"><label>");
		web_escape(&r->out, f->label);
		web_printf(&r->out, "<br><textarea rows=\"%d\" cols=\"80\" name=\"", rows);
		web_escape(&r->out, f->key);
		web_puts(&r->out, "\"");
		if (f->kind == TF_LINE)
			web_puts(&r->out, " required maxlength=\"1000\"");
		if (f->marked || !form)
			web_puts(&r->out, " readonly");
		/* a newline first: the parser drops one there, so a field's own first line survives */
		web_puts(&r->out, ">\n");
		web_escape(&r->out, f->text);
		web_puts(&r->out, "</textarea></label>");
		if (f->marked)
			web_puts(&r->out, "<br><small>Có chữ nghiêng hoặc chú thích: sửa bằng dòng lệnh (italics or footnote "
			                 "marks, which this form cannot keep: edit with <code>docket commit</code>)</small>");
		web_puts(&r->out, "</p>");
	}
	if (form)
		web_puts(&r->out, "<p><label>Ghi chú thay đổi (commit message) <input name=\"message\" size=\"60\"></label></p>"
		                 "<p><button type=\"submit\" id=\"save-text\">Ghi (record)</button></p></form>");
	serve_page_end(r);
done:
	free(action);
	tfields_free(&l);
	xmlFreeDoc(x);
	docket_doc_free(d);
}

void web_edit_post(wreq *r, const char *id)
{
	const char *message = web_form(r, "message");
	docket_doc *d = NULL;
	xmlDocPtr x = NULL;
	tfields l;
	size_t i, changed = 0;
	int error;

	memset(&l, 0, sizeof(l));
	if ((error = docket_doc_load(&d, r->repo, id, NULL)) < 0) {
		serve_error(r, web_status_for(error), "no document '%s'", id);
		return;
	}
	if (!(x = serve_xml(d)) || text_fields(&l, x) < 0) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	for (i = 0; i < l.n; i++) {
		tfield *f = &l.v[i];
		const char *v = web_form(r, f->key);
		char *text;
		int same;
		if (!v)
			continue;   /* not in this form: as it is */
		if (strlen(v) > (f->kind == TF_LINE ? 4000 : 100000)) {
			serve_error(r, 400, "'%s' is too long (at most %d bytes); nothing was written", f->label,
			            f->kind == TF_LINE ? 4000 : 100000);
			goto done;
		}
		if (!(text = normal_text(f->kind, v))) {
			serve_error(r, 500, "out of memory");
			goto done;
		}
		same = strcmp(text, f->text) == 0;
		if (!same && f->kind == TF_LINE && !*text) {
			free(text);
			serve_error(r, 400, "the subject is required; nothing was written");
			goto done;
		}
		if (!same && f->marked) {
			free(text);
			serve_error(r, 422, "'%s' has italics or footnote marks, which this form cannot keep: edit it with "
			            "docket commit; nothing was written", f->label);
			goto done;
		}
		if (!same && set_field(f, text) < 0) {
			free(text);
			serve_error(r, 500, "cannot write '%s' into '%s'; nothing was written", f->label, id);
			goto done;
		}
		free(text);
		changed += !same;
	}
	if (!changed) {
		serve_error(r, 400, "nothing was changed; nothing was written");
		goto done;
	}
	record(r, id, x, message && *message ? message : "Sửa nội dung", "edit");
done:
	tfields_free(&l);
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
	                 "<th>Tử số</th><th>Mẫu số</th><th>Giá trị</th><th>Không áp dụng (n/a)</th></tr></thead><tbody>\n");
	for (i = 0; i < l.n; i++) {
		const indicator *x = &l.v[i];
		xmlNodePtr res = result_for(results, x->id);
		char *num = web_attr(res, "numerator"), *den = web_attr(res, "denominator"), *val = web_attr(res, "value");
		char *app = web_attr(res, "applicable");
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
		/* an indicator that does not apply to this unit: neither required nor counted */
		web_puts(&r->out, "</td><td><input type=\"checkbox\" value=\"1\" aria-label=\"not applicable\" name=\"na_");
		web_escape(&r->out, x->id);
		web_printf(&r->out, "\"%s>", app && strcmp(app, "false") == 0 ? " checked" : "");
		web_puts(&r->out, "</td></tr>\n");
		free(app);
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

void web_figures_post(wreq *r, const char *id)
{
	xmlDocPtr rep = NULL, plan = NULL;
	indicators l;
	xmlNodePtr report = NULL;
	const char *message = web_form(r, "message");
	docket_fill_options opts = DOCKET_FILL_OPTIONS_INIT;
	docket_fill_result res;
	docket_figure *figs = NULL;
	size_t i, n = 0;
	int error;

	memset(&res, 0, sizeof(res));
	if (load_report(r, id, &rep, &plan, &l, &report) < 0)
		goto done;
	if (l.n && !(figs = calloc(l.n, sizeof(*figs)))) {
		serve_error(r, 500, "out of memory");
		goto done;
	}
	/* the same library call as `docket fill`: docket checks each figure and computes the rates */
	for (i = 0; i < l.n; i++) {
		const indicator *x = &l.v[i];
		char name[160];
		const char *nu, *de, *v, *na;
		docket_figure *f = &figs[n];

		snprintf(name, sizeof(name), "n_%s", x->id);
		nu = web_form(r, name);
		snprintf(name, sizeof(name), "d_%s", x->id);
		de = web_form(r, name);
		snprintf(name, sizeof(name), "v_%s", x->id);
		v = web_form(r, name);
		snprintf(name, sizeof(name), "na_%s", x->id);
		na = web_form(r, name);
		f->indicator = x->id;
		if (na && *na) {
			f->not_applicable = 1;
		} else if ((nu && *nu) || (de && *de)) {
			f->numerator = nu ? nu : "";
			f->denominator = de ? de : "";
		} else if (v && *v) {
			f->value = v;
		} else {
			continue; /* not filled in yet */
		}
		n++;
	}
	if (!n) {
		serve_error(r, 400, "no figure was given; nothing was written");
		goto done;
	}
	opts.actor = r->person;
	opts.message = message && *message ? message : "Nhập số liệu";
	if ((error = web_load_key(r)) < 0 ||
	    (error = docket_report_fill(&res, r->repo, id, figs, n, &opts)) < 0) {
		serve_not_written(r, error, res.findings);
	} else {
		web_buf u = WEB_BUF_INIT;
		web_puts(&u, "/doc/");
		serve_url(&u, id);
		web_puts(&u, "?done=figures");
		r->location = u.failed ? NULL : u.ptr;
		if (u.failed) {
			web_buf_free(&u);
			serve_error(r, 500, "out of memory");
		}
	}
done:
	docket_fill_result_free(&res);
	free(figs);
	indicators_free(&l);
	xmlFreeDoc(rep);
	xmlFreeDoc(plan);
}
