/*
 * template: filling document templates. A template is a docket document (templates/NAME.xml
 * in the repository) whose values may be placeholders {{name}} or {{name|default}}, and whose
 * elements may carry instructions in the namespace DOCKET_TEMPLATE_NS: t:repeat (once per
 * item of a list), t:if / t:unless (kept or dropped), t:content (content from a value, which
 * may be XML taken from another document) and t:comment (written out as a comment for the
 * user to fill in and uncomment). The idea is that a template stays a readable docket document
 * an organisation can copy and change, while everything computed (ids, the issuing body,
 * indicators carried over from a parent plan) comes from C as variables. The template's
 * instructions and its own comments never reach the filled document, which the callers
 * validate like any other.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "draft_internal.h"
#include "docket/doc.h"

/* --- variables ------------------------------------------------------------------------------ */

typedef enum { VAR_STRING, VAR_LIST, VAR_XML } var_kind;

typedef struct {
	char *name;
	var_kind kind;
	char *str;
	docket_tpl_vars **items;
	size_t nitems;
	xmlNodePtr xml;          /* borrowed container */
} var;

struct docket_tpl_vars {
	var *v;
	size_t n, cap;
};

int docket_tpl_vars_new(docket_tpl_vars **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

static void var_clear(var *v)
{
	size_t i;
	free(v->str);
	for (i = 0; i < v->nitems; i++)
		docket_tpl_vars_free(v->items[i]);
	free(v->items);
	v->str = NULL;
	v->items = NULL;
	v->nitems = 0;
	v->xml = NULL;
}

void docket_tpl_vars_free(docket_tpl_vars *vars)
{
	size_t i;
	if (!vars)
		return;
	for (i = 0; i < vars->n; i++) {
		var_clear(&vars->v[i]);
		free(vars->v[i].name);
	}
	free(vars->v);
	free(vars);
}

static var *find_var(const docket_tpl_vars *vars, const char *name, size_t len)
{
	size_t i;
	for (i = 0; vars && i < vars->n; i++)
		if (strlen(vars->v[i].name) == len && strncmp(vars->v[i].name, name, len) == 0)
			return &vars->v[i];
	return NULL;
}

static int valid_name(const char *s, size_t len)
{
	size_t i;
	if (!len)
		return 0;
	for (i = 0; i < len; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

/* The slot for NAME, created (cleared) when needed. */
static int slot(var **out, docket_tpl_vars *vars, const char *name)
{
	var *v;

	if (!name || !valid_name(name, strlen(name)))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a template variable name "
		                        "(letters, digits, '.', '_', '-')", name ? name : "");
	if ((v = find_var(vars, name, strlen(name))) != NULL) {
		*out = v;
		return 0;
	}
	if (vars->n == vars->cap) {
		size_t cap = vars->cap ? vars->cap * 2 : 16;
		var *p = realloc(vars->v, cap * sizeof(*p));
		if (!p)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		vars->v = p;
		vars->cap = cap;
	}
	v = &vars->v[vars->n];
	memset(v, 0, sizeof(*v));
	if (!(v->name = docket_strdup(name)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	vars->n++;
	*out = v;
	return 0;
}

int docket_tpl_vars_set(docket_tpl_vars *vars, const char *name, const char *value)
{
	var *v;
	char *copy = NULL;
	int error;

	if (value && !(copy = docket_strdup(value)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = slot(&v, vars, name)) < 0) {
		free(copy);
		return error;
	}
	var_clear(v);
	v->kind = VAR_STRING;
	v->str = copy;
	return 0;
}

int docket_tpl_vars_assign(docket_tpl_vars *vars, const char *assignment)
{
	const char *eq = assignment ? strchr(assignment, '=') : NULL;
	char *name;
	int error;

	if (!eq || eq == assignment)
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not NAME=VALUE", assignment ? assignment : "");
	if (!(name = docket_strndup(assignment, (size_t)(eq - assignment))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	error = docket_tpl_vars_set(vars, name, eq + 1);
	free(name);
	return error;
}

int docket_tpl_vars_append(docket_tpl_vars **out, docket_tpl_vars *vars, const char *name)
{
	docket_tpl_vars **items, *item = NULL;
	var *v;
	int error;

	*out = NULL;
	if ((error = slot(&v, vars, name)) < 0)
		return error;
	if (v->kind != VAR_LIST) {
		var_clear(v);
		v->kind = VAR_LIST;
	}
	if ((error = docket_tpl_vars_new(&item)) < 0)
		return error;
	if (!(items = realloc(v->items, (v->nitems + 1) * sizeof(*items)))) {
		docket_tpl_vars_free(item);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	v->items = items;
	v->items[v->nitems++] = item;
	*out = item;
	return 0;
}

int docket_tpl_vars_set_xml(docket_tpl_vars *vars, const char *name, xmlNodePtr container)
{
	var *v;
	int error;

	if ((error = slot(&v, vars, name)) < 0)
		return error;
	var_clear(v);
	v->kind = VAR_XML;
	v->xml = container;
	return 0;
}

docket_tpl_vars *docket_tpl_vars_item(const docket_tpl_vars *vars, const char *name, size_t i)
{
	var *v = name ? find_var(vars, name, strlen(name)) : NULL;
	return v && v->kind == VAR_LIST && i < v->nitems ? v->items[i] : NULL;
}

const char *docket_tpl_vars_get(const docket_tpl_vars *vars, const char *name)
{
	var *v = name ? find_var(vars, name, strlen(name)) : NULL;
	return v && v->kind == VAR_STRING ? v->str : NULL;
}

/* --- filling --------------------------------------------------------------------------------- */

/* The chain of variable sets in scope: the innermost repetition's item first. */
typedef struct scope {
	const docket_tpl_vars *vars;
	const struct scope *outer;
} scope;

/*
 * Repetitions one fill may make in all. Lists come from C, but a template is a file of the
 * repository: nesting t:repeat inside itself would multiply them without bound.
 */
#define MAX_REPETITIONS 100000

typedef struct {
	const char *name;   /* the template's name, for messages */
	xmlDocPtr doc;
	xmlNsPtr dns;       /* the document namespace in the result */
	size_t repetitions;
	int error;
} fill_ctx;

static const var *lookup(const scope *s, const char *name, size_t len)
{
	for (; s; s = s->outer) {
		const var *v = find_var(s->vars, name, len);
		if (v)
			return v;
	}
	return NULL;
}

static int truthy(const var *v)
{
	if (!v)
		return 0;
	switch (v->kind) {
	case VAR_STRING: return v->str && *v->str;
	case VAR_LIST: return v->nitems > 0;
	case VAR_XML: return v->xml != NULL;
	}
	return 0;
}

static int fail(fill_ctx *c, xmlNodePtr at, int code, const char *fmt, ...) DOCKET_PRINTF(4, 5);
static int fail(fill_ctx *c, xmlNodePtr at, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (c->error)
		return c->error;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->error = docket_error_set(code, "%s:%ld: %s", c->name, at ? xmlGetLineNo(at) : 0L, msg);
	return c->error;
}

/* S with every {{name}} / {{name|default}} replaced: malloc'd, NULL on failure (c->error). */
static char *substitute(fill_ctx *c, xmlNodePtr at, const scope *s, const char *in)
{
	docket_buf b = DOCKET_BUF_INIT;
	const char *p = in, *open;

	if (!in)
		in = p = "";
	while ((open = strstr(p, "{{")) != NULL) {
		const char *close = NULL, *bar, *name = open + 2, *q;
		size_t nlen;
		int depth = 1;
		const var *v;
		/* the matching "}}": a default may hold placeholders itself */
		for (q = open + 2; *q && !close; q++) {
			if (q[0] == '{' && q[1] == '{') {
				depth++;
				q++;
			} else if (q[0] == '}' && q[1] == '}' && --depth == 0) {
				close = q;
			} else if (q[0] == '}' && q[1] == '}') {
				q++;
			}
		}
		if (!close)
			break;
		bar = memchr(name, '|', (size_t)(close - name));
		nlen = (size_t)((bar ? bar : close) - name);
		while (nlen && name[0] == ' ') {
			name++;
			nlen--;
		}
		while (nlen && name[nlen - 1] == ' ')
			nlen--;
		if (docket_buf_put(&b, p, (size_t)(open - p)) < 0)
			goto oom;
		if (!valid_name(name, nlen)) {
			char *bad = docket_strndup(open, (size_t)(close + 2 - open));
			fail(c, at, DOCKET_EINVALID, "'%s' is not a placeholder: names are letters, digits, '.', '_', '-'",
			     bad ? bad : "");
			free(bad);
			goto failed;
		}
		v = lookup(s, name, nlen);
		if (v && v->kind == VAR_STRING && v->str) {
			if (docket_buf_puts(&b, v->str) < 0)
				goto oom;
		} else if (v && v->kind != VAR_STRING) {
			char *n = docket_strndup(name, nlen);
			fail(c, at, DOCKET_EINVALID, "{{%s}} is a list or XML content, not a text value", n ? n : "");
			free(n);
			goto failed;
		} else if (bar) {
			char *def = docket_strndup(bar + 1, (size_t)(close - bar - 1)), *filled;
			if (!def)
				goto oom;
			filled = substitute(c, at, s, def);
			free(def);
			if (!filled)
				goto failed;
			if (docket_buf_puts(&b, filled) < 0) {
				free(filled);
				goto oom;
			}
			free(filled);
		} else {
			char *n = docket_strndup(name, nlen);
			fail(c, at, DOCKET_EINVALID, "the placeholder {{%s}} has no value (give it with --set NAME=VALUE)",
			     n ? n : "");
			free(n);
			goto failed;
		}
		p = close + 2;
	}
	if (docket_buf_puts(&b, p) < 0)
		goto oom;
	return docket_buf_detach(&b, NULL);
oom:
	fail(c, at, DOCKET_ERROR, "%s", "out of memory");
failed:
	docket_buf_free(&b);
	return NULL;
}

static xmlAttrPtr tattr(xmlNodePtr n, const char *name)
{
	return xmlHasNsProp(n, (const xmlChar *)name, (const xmlChar *)DOCKET_TEMPLATE_NS);
}

static char *tattr_value(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNsProp(n, (const xmlChar *)name, (const xmlChar *)DOCKET_TEMPLATE_NS);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static int is_blank_text(xmlNodePtr n)
{
	return n && n->type == XML_TEXT_NODE && xmlIsBlankNode(n);
}

/* Remove N and the indentation before it. */
static void remove_node(xmlNodePtr n)
{
	xmlNodePtr ws = is_blank_text(n->prev) ? n->prev : NULL;
	if (ws) {
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	xmlUnlinkNode(n);
	xmlFreeNode(n);
}

/* Copy the content of SRC (children of a container) under PARENT in the result. */
static void copy_content(fill_ctx *c, xmlNodePtr parent, xmlNodePtr src)
{
	for (; src && !c->error; src = src->next) {
		xmlNodePtr n = NULL;
		if (src->type == XML_TEXT_NODE || src->type == XML_CDATA_SECTION_NODE) {
			n = xmlNewDocText(c->doc, src->content);
		} else if (src->type == XML_ELEMENT_NODE && src->ns &&
		           strcmp((const char *)src->ns->href, DOCKET_NS) == 0) {
			/* a footnote mark would point at a footnote of another document */
			if (strcmp((const char *)src->name, "fnref") == 0)
				continue;
			n = xmlNewDocNode(c->doc, c->dns, src->name, NULL);
			for (xmlAttrPtr a = n ? src->properties : NULL; a; a = a->next) {
				xmlChar *v;
				if (a->ns)
					continue;
				v = xmlNodeListGetString(src->doc, a->children, 1);
				xmlSetProp(n, a->name, v ? v : (const xmlChar *)"");
				xmlFree(v);
			}
			if (n) {
				xmlAddChild(parent, n);
				copy_content(c, n, src->children);
				continue;
			}
		} else {
			continue;
		}
		if (!n) {
			fail(c, parent, DOCKET_ERROR, "%s", "out of memory");
			return;
		}
		xmlAddChild(parent, n);
	}
}

/*
 * A copy of the template element SRC for one repetition, to be inserted beside it: the copy
 * shares SRC's namespace objects, which are declared further up (xmlDocCopyNode would
 * redeclare them on every copy).
 */
static xmlNodePtr clone(xmlDocPtr doc, xmlNodePtr src)
{
	xmlNodePtr n;

	if (src->type == XML_TEXT_NODE || src->type == XML_CDATA_SECTION_NODE)
		return xmlNewDocText(doc, src->content);
	if (src->type != XML_ELEMENT_NODE)
		return NULL;
	if (!(n = xmlNewDocNode(doc, src->ns, src->name, NULL)))
		return NULL;
	n->line = src->line;
	for (xmlAttrPtr a = src->properties; a; a = a->next) {
		xmlChar *v = xmlNodeListGetString(src->doc, a->children, 1);
		xmlAttrPtr na = xmlNewNsProp(n, a->ns, a->name, v ? v : (const xmlChar *)"");
		xmlFree(v);
		if (!na) {
			xmlFreeNode(n);
			return NULL;
		}
	}
	for (xmlNodePtr ch = src->children; ch; ch = ch->next) {
		xmlNodePtr cc;
		if (ch->type != XML_ELEMENT_NODE && ch->type != XML_TEXT_NODE && ch->type != XML_CDATA_SECTION_NODE)
			continue;
		if (!(cc = clone(doc, ch))) {
			xmlFreeNode(n);
			return NULL;
		}
		xmlAddChild(n, cc);
	}
	return n;
}

/*
 * Lay XML content copied into N out like the rest of the document: each element child on its
 * own line, one level deeper than N, when the content did not bring its own layout.
 */
static void indent_children(fill_ctx *c, xmlNodePtr n)
{
	const char *ws = is_blank_text(n->prev) && n->prev->content ? (const char *)n->prev->content : NULL;
	const char *nl = ws ? strrchr(ws, '\n') : NULL;
	docket_buf inner = DOCKET_BUF_INIT, outer = DOCKET_BUF_INIT;
	xmlNodePtr ch;

	if (!nl || !n->children || n->children->type != XML_ELEMENT_NODE)
		return;
	if (docket_buf_puts(&outer, nl) < 0 || docket_buf_printf(&inner, "%s  ", nl) < 0)
		goto done;
	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE && !is_blank_text(ch->prev))
			xmlAddPrevSibling(ch, xmlNewDocText(c->doc, (const xmlChar *)inner.ptr));
	if (n->last && n->last->type == XML_ELEMENT_NODE)
		xmlAddChild(n, xmlNewDocText(c->doc, (const xmlChar *)outer.ptr));
	for (ch = n->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE)
			indent_children(c, ch);
done:
	docket_buf_free(&inner);
	docket_buf_free(&outer);
}

static void fill_node(fill_ctx *c, xmlNodePtr n, const scope *s);

static void fill_children(fill_ctx *c, xmlNodePtr parent, const scope *s)
{
	xmlNodePtr ch = parent->children, next;

	for (; ch && !c->error; ch = next) {
		next = ch->next;
		if (ch->type == XML_TEXT_NODE) {
			char *t;
			if (!ch->content || !strstr((const char *)ch->content, "{{"))
				continue;
			if (!(t = substitute(c, parent, s, (const char *)ch->content)))
				return;
			/* a text node's content is set as is: no entity parsing */
			xmlNodeSetContent(ch, NULL);
			xmlNodeAddContent(ch, (const xmlChar *)t);
			free(t);
		} else if (ch->type == XML_ELEMENT_NODE) {
			fill_node(c, ch, s);
		}
	}
}

/* The instructions: attributes in DOCKET_TEMPLATE_NS. */
static const char *const instructions[] = { "repeat", "if", "unless", "content", "comment", "optional", NULL };

static int is_tattr(xmlAttrPtr a)
{
	return a->ns && a->ns->href && strcmp((const char *)a->ns->href, DOCKET_TEMPLATE_NS) == 0;
}

static int is_instruction(xmlAttrPtr a)
{
	size_t k;
	if (!is_tattr(a))
		return 0;
	for (k = 0; instructions[k]; k++)
		if (strcmp((const char *)a->name, instructions[k]) == 0)
			return 1;
	return 0;
}

/*
 * Remove the known instructions from N, once carried out. Anything else in the template
 * namespace stays, for uses_tns() to refuse should fill_node() ever let it through.
 */
static void strip_tattrs(xmlNodePtr n)
{
	xmlAttrPtr a = n->properties, next;
	for (; a; a = next) {
		next = a->next;
		if (is_instruction(a))
			xmlRemoveProp(a);
	}
}

/* Remove the attributes named in LIST (space-separated) that are empty after filling. */
static void drop_empty(xmlNodePtr n, const char *list)
{
	const char *p = list;

	while (p && *p) {
		const char *end;
		char name[64];
		xmlAttrPtr a;
		while (*p == ' ')
			p++;
		end = p;
		while (*end && *end != ' ')
			end++;
		if (end > p && (size_t)(end - p) < sizeof(name)) {
			memcpy(name, p, (size_t)(end - p));
			name[end - p] = '\0';
			if ((a = xmlHasNsProp(n, (const xmlChar *)name, NULL)) != NULL && !a->ns) {
				xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
				if (!v || !*v)
					xmlRemoveProp(a);
				xmlFree(v);
			}
		}
		p = end;
	}
}

/* Replace the filled element N by a comment "<!-- TEXT\n<element/>\n-->". */
static void to_comment(fill_ctx *c, xmlNodePtr n, const char *text)
{
	xmlBufferPtr xb = xmlBufferCreate();
	docket_buf b = DOCKET_BUF_INIT;
	xmlNodePtr com;
	const char *indent = "";
	char *body;
	size_t i;

	if (!xb) {
		fail(c, n, DOCKET_ERROR, "%s", "out of memory");
		return;
	}
	if (is_blank_text(n->prev) && n->prev->content) {
		const char *nl = strrchr((const char *)n->prev->content, '\n');
		indent = nl ? nl + 1 : (const char *)n->prev->content;
	}
	xmlNodeDump(xb, c->doc, n, 0, 0);
	docket_buf_printf(&b, " %s\n%s", text, indent);
	docket_buf_puts(&b, (const char *)xmlBufferContent(xb));
	docket_buf_printf(&b, "\n%s", indent);
	xmlBufferFree(xb);
	if (!(body = docket_buf_detach(&b, NULL))) {
		fail(c, n, DOCKET_ERROR, "%s", "out of memory");
		return;
	}
	/* "--" may not occur in a comment */
	for (i = 0; body[i]; i++)
		if (body[i] == '-' && body[i + 1] == '-')
			body[i + 1] = ' ';
	com = xmlNewDocComment(c->doc, (const xmlChar *)body);
	free(body);
	if (!com) {
		fail(c, n, DOCKET_ERROR, "%s", "out of memory");
		return;
	}
	xmlReplaceNode(n, com);
	xmlFreeNode(n);
}

/* Fill the element N in scope S (N may be replaced or removed). */
static void fill_node(fill_ctx *c, xmlNodePtr n, const scope *s)
{
	char *repeat = NULL, *cond = NULL, *content = NULL, *comment = NULL, *optional = NULL;
	const var *cv;
	int keep = 1;

	if (n->ns && strcmp((const char *)n->ns->href, DOCKET_TEMPLATE_NS) == 0) {
		fail(c, n, DOCKET_EINVALID, "<t:%s> is not a template instruction (instructions are attributes)",
		     (const char *)n->name);
		return;
	}
	for (xmlAttrPtr a = n->properties; a; a = a->next) {
		if (is_tattr(a) && !is_instruction(a)) {
			fail(c, n, DOCKET_EINVALID, "unknown template instruction on <%s>: t:%s (known: t:repeat, t:if, "
			     "t:unless, t:content, t:comment, t:optional)", (const char *)n->name, (const char *)a->name);
			return;
		}
	}
	if ((repeat = tattr_value(n, "repeat")) != NULL) {
		const var *list = lookup(s, repeat, strlen(repeat));
		xmlNodePtr ws = is_blank_text(n->prev) ? n->prev : NULL;
		size_t i;
		xmlRemoveProp(tattr(n, "repeat"));
		if (n->nsDef) {
			fail(c, n, DOCKET_EINVALID, "t:repeat on <%s>: declare namespaces on the root element only",
			     (const char *)n->name);
			goto done;
		}
		if (list && list->kind != VAR_LIST) {
			fail(c, n, DOCKET_EINVALID, "t:repeat=\"%s\" names a value that is not a list", repeat);
			goto done;
		}
		for (i = 0; list && i < list->nitems && !c->error; i++) {
			scope inner = { list->items[i], s };
			xmlNodePtr copy;
			if (++c->repetitions > MAX_REPETITIONS) {
				fail(c, n, DOCKET_EINVALID, "t:repeat=\"%s\": the template repeats more than %d elements in all",
				     repeat, MAX_REPETITIONS);
				goto done;
			}
			copy = clone(c->doc, n);
			if (!copy) {
				fail(c, n, DOCKET_ERROR, "%s", "out of memory");
				goto done;
			}
			xmlAddPrevSibling(n, copy);
			if (ws && i > 0)
				xmlAddPrevSibling(copy, xmlNewDocText(c->doc, ws->content));
			fill_node(c, copy, &inner);
		}
		/* the model element goes; the indentation before it stays for the first copy */
		if (list && list->nitems) {
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else {
			remove_node(n);
		}
		goto done;
	}
	if ((cond = tattr_value(n, "if")) != NULL)
		keep = truthy(lookup(s, cond, strlen(cond)));
	free(cond);
	if (keep && (cond = tattr_value(n, "unless")) != NULL) {
		keep = !truthy(lookup(s, cond, strlen(cond)));
		free(cond);
	}
	if (!keep) {
		remove_node(n);
		goto done;
	}
	content = tattr_value(n, "content");
	comment = tattr_value(n, "comment");
	optional = tattr_value(n, "optional");
	strip_tattrs(n);
	for (xmlAttrPtr a = n->properties; a && !c->error; a = a->next) {
		xmlChar *v = xmlNodeListGetString(c->doc, a->children, 1);
		if (v && strstr((const char *)v, "{{")) {
			char *t = substitute(c, n, s, (const char *)v);
			if (t)
				xmlSetNsProp(n, a->ns, a->name, (const xmlChar *)t);
			free(t);
		}
		xmlFree(v);
	}
	if (c->error)
		goto done;
	drop_empty(n, optional);
	cv = content ? lookup(s, content, strlen(content)) : NULL;
	if (cv && cv->kind == VAR_LIST) {
		fail(c, n, DOCKET_EINVALID, "t:content=\"%s\" names a list", content);
	} else if (truthy(cv)) {
		xmlNodePtr ch = n->children, next;
		for (; ch; ch = next) {
			next = ch->next;
			xmlUnlinkNode(ch);
			xmlFreeNode(ch);
		}
		if (cv->kind == VAR_XML) {
			copy_content(c, n, cv->xml->children);
			indent_children(c, n);
		}
		else
			xmlAddChild(n, xmlNewDocText(c->doc, (const xmlChar *)cv->str));
	} else {
		/* no value: the template's own content stands */
		fill_children(c, n, s);
	}
	if (!c->error && comment) {
		char *text = substitute(c, n, s, comment);
		if (text && *text)
			to_comment(c, n, text);
		free(text);
	}
done:
	free(repeat);
	free(content);
	free(comment);
	free(optional);
}

/* Template comments are notes for the template's author, not part of any document. */
static void drop_comments(xmlNodePtr n)
{
	xmlNodePtr next;
	for (; n; n = next) {
		next = n->next;
		if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE) {
			if (is_blank_text(n->prev) && n->parent && n->parent->type == XML_ELEMENT_NODE) {
				xmlNodePtr ws = n->prev;
				xmlUnlinkNode(ws);
				xmlFreeNode(ws);
			}
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		} else if (n->type == XML_ELEMENT_NODE) {
			drop_comments(n->children);
		}
	}
}

/* Drop the declarations of the template namespace, now that nothing uses it. */
static void drop_tns(xmlNodePtr n)
{
	for (; n; n = n->next) {
		xmlNsPtr *link, ns;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		link = &n->nsDef;
		while ((ns = *link) != NULL) {
			if (ns->href && strcmp((const char *)ns->href, DOCKET_TEMPLATE_NS) == 0) {
				*link = ns->next;
				ns->next = NULL;
				xmlFreeNs(ns);
			} else {
				link = &ns->next;
			}
		}
		drop_tns(n->children);
	}
}

/* Whether anything still refers to the template namespace (an instruction left unprocessed). */
static xmlNodePtr uses_tns(xmlNodePtr n)
{
	for (; n; n = n->next) {
		xmlNodePtr hit;
		if (n->type != XML_ELEMENT_NODE)
			continue;
		if (n->ns && strcmp((const char *)n->ns->href, DOCKET_TEMPLATE_NS) == 0)
			return n;
		for (xmlAttrPtr a = n->properties; a; a = a->next)
			if (is_tattr(a))
				return n;
		if ((hit = uses_tns(n->children)) != NULL)
			return hit;
	}
	return NULL;
}

int docket_template_fill(char **out, size_t *out_len, const char *tpl, size_t len,
                         const char *name, const docket_tpl_vars *vars)
{
	fill_ctx c;
	scope top = { vars, NULL };
	xmlNodePtr root, left;
	xmlChar *mem = NULL;
	int size = 0, error;

	*out = NULL;
	if (out_len)
		*out_len = 0;
	memset(&c, 0, sizeof(c));
	c.name = name;
	if ((error = docket_xml_parse(&c.doc, tpl, len, name)) < 0)
		return error;
	root = xmlDocGetRootElement(c.doc);
	if (!docket_xml_is(root, DOCKET_NS, "document")) {
		error = docket_error_set(DOCKET_EINVALID, "%s: a template is a docket document: its root must be "
		                         "{%s}document", name, DOCKET_NS);
		goto cleanup;
	}
	c.dns = root->ns;
	drop_comments(c.doc->children);
	fill_node(&c, root, &top);
	if ((error = c.error) < 0)
		goto cleanup;
	if ((left = uses_tns(xmlDocGetRootElement(c.doc))) != NULL) {
		error = docket_error_set(DOCKET_EINVALID, "%s:%ld: unknown template instruction on <%s>", name,
		                         xmlGetLineNo(left), (const char *)left->name);
		goto cleanup;
	}
	drop_tns(xmlDocGetRootElement(c.doc));
	xmlDocDumpMemoryEnc(c.doc, &mem, &size, "UTF-8");
	if (!mem || !(*out = docket_strndup((const char *)mem, (size_t)size))) {
		error = docket_error_set(DOCKET_ERROR, "cannot serialise the filled template '%s'", name);
		goto cleanup;
	}
	if (out_len)
		*out_len = (size_t)size;
	error = 0;
cleanup:
	xmlFree(mem);
	xmlFreeDoc(c.doc);
	return error;
}

/* --- templates in the repository ----------------------------------------------------------- */

static int template_name_ok(const char *name)
{
	return name && valid_name(name, strlen(name)) && name[0] != '.';
}

int docket_template_read(char **out, size_t *out_len, docket_repo *repo, const char *rev,
                         const char *name)
{
	docket_buf path = DOCKET_BUF_INIT;
	int error;

	*out = NULL;
	if (!template_name_ok(name))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a template name (letters, digits, '.', '_', '-')",
		                        name ? name : "");
	if ((error = docket_buf_printf(&path, DOCKET_TEMPLATE_DIR "%s.xml", name)) < 0)
		return error;
	error = docket_repo_read(out, out_len, repo, rev, path.ptr);
	if (error == DOCKET_ENOTFOUND)
		error = docket_error_set(DOCKET_ENOTFOUND, "no template '%s' (%s) in the repository; "
		                         "see 'docket new --list'", name, path.ptr);
	docket_buf_free(&path);
	return error;
}

typedef struct {
	char **names;
	size_t n;
	int error;
} list_state;

static int list_cb(const char *path, void *payload)
{
	list_state *st = payload;
	const char *base = path + strlen(DOCKET_TEMPLATE_DIR);
	size_t len = strlen(base);
	char **p;

	if (strchr(base, '/') || len <= 4 || strcmp(base + len - 4, ".xml"))
		return 0;
	if (!(p = realloc(st->names, (st->n + 2) * sizeof(*p))) ||
	    !(p[st->n] = docket_strndup(base, len - 4))) {
		if (p)
			st->names = p;
		st->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return 1;
	}
	st->names = p;
	st->names[++st->n] = NULL;
	return 0;
}

int docket_template_list(char ***out, docket_repo *repo, const char *rev)
{
	list_state st = { NULL, 0, 0 };
	int error;

	*out = NULL;
	error = docket_repo_walk(repo, rev, DOCKET_TEMPLATE_DIR, list_cb, &st);
	if (st.error)
		error = st.error;
	if (error < 0 && error != DOCKET_ENOTFOUND) {
		docket_strv_free(st.names);
		return error;
	}
	docket_error_clear();
	if (!st.names && !(st.names = calloc(1, sizeof(char *))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	*out = st.names;
	return 0;
}
