/*
 * xml: parsing untrusted XML safely, and small tree helpers.
 *
 * The rules (checked facts in shared/notes/signing.md): never substitute entities
 * (no XML_PARSE_NOENT), never load a DTD or anything from the network, never XInclude,
 * never lift libxml2's size and depth limits (no XML_PARSE_HUGE), refuse any document type
 * declaration outright (so entity bombs and external subsets never get a chance), refuse
 * input that is not UTF-8, and refuse anything larger than the caller's limit before the
 * parser sees it. The DOCTYPE refusal happens inside the parser, at the declaration, so a
 * bomb costs nothing.
 */
#include <ctype.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include "xml_internal.h"

#define SAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES | \
                      XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

typedef struct {
	int saw_doctype;
	int line;
	int col;
} parse_state;

static void refuse_doctype(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
	xmlParserCtxtPtr ctxt = ctx;
	parse_state *st = ctxt->_private;

	st->saw_doctype = 1;
	if (ctxt->input) {
		st->line = ctxt->input->line;
		st->col = ctxt->input->col;
	}
	xmlStopParser(ctxt);
}

/* The declared encoding in "<?xml ... encoding='X'?>", when there is one, must be UTF-8. */
static int declared_encoding_ok(const char *buf, size_t len)
{
	const char *end, *p, *q;
	char quote;
	size_t n;

	if (len < 5 || memcmp(buf, "<?xml", 5) != 0)
		return 1;
	end = memchr(buf, '>', len < 512 ? len : 512);
	if (!end)
		return 1;
	for (p = buf; p + 8 < end; p++)
		if (memcmp(p, "encoding", 8) == 0)
			break;
	if (p + 8 >= end)
		return 1;
	p += 8;
	while (p < end && (isspace((unsigned char)*p) || *p == '='))
		p++;
	if (p >= end || (*p != '"' && *p != '\''))
		return 0;
	quote = *p++;
	q = memchr(p, quote, (size_t)(end - p));
	if (!q)
		return 0;
	n = (size_t)(q - p);
	return (n == 5 && strncasecmp(p, "UTF-8", 5) == 0) || (n == 4 && strncasecmp(p, "UTF8", 4) == 0);
}

/* Strict UTF-8 check: no overlong forms, no surrogates, nothing above U+10FFFF. */
static int utf8_error_at(const unsigned char *s, size_t len, size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		size_t n;
		unsigned int cp;

		if (c < 0x80) {
			/* markup is ASCII: skip it eight bytes at a time, while none has its high bit */
			for (i++; i + 8 <= len; i += 8) {
				uint64_t w;
				memcpy(&w, s + i, 8);
				if (w & UINT64_C(0x8080808080808080))
					break;
			}
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			n = 1; cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			n = 2; cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3; cp = c & 0x07;
		} else {
			*bad = i;
			return 1;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xC0) != 0x80) {
				*bad = i;
				return 1;
			}
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF)) {
			*bad = i;
			return 1;
		}
		i += n + 1;
	}
	return 0;
}

static void line_col_of(const char *buf, size_t off, int *line, int *col)
{
	size_t i;
	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

static void strip_newline(char *s)
{
	size_t n = strlen(s);
	while (n && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == ' '))
		s[--n] = '\0';
}

/*
 * The counts a document may not exceed (docs/format.md, "Limits"). libxml2 2.9 checks the
 * attributes and the namespace declarations of one start tag against each other pair by pair,
 * so N of them on one element cost N^2 before any callback can see the element (750,000
 * attributes: hours; 462,000 namespace declarations: minutes), and every later step (XSD,
 * C14N, XPath) pays again per in-scope namespace. Honest documents need a handful of each
 * (the most attributes on one element in docket's schemas, templates and examples: 7; the
 * most namespace declarations: 4). bench/hostile.sh measures the worst documents within.
 */
#define MAX_ATTRS_PER_ELEMENT 16
#define MAX_NS_PER_ELEMENT 16
#define MAX_NS_PER_DOCUMENT 256
#define MAX_NODES 500000

static int limit_error(const char *buf, size_t off, const char *name, const char *what)
{
	int line, col;

	line_col_of(buf, off, &line, &col);
	return docket_error_set(DOCKET_EINVALID, "%s:%d:%d: %s", name, line, col, what);
}

static const char *find(const char *p, const char *end, const char *s)
{
	size_t n = strlen(s);

	while (p && (size_t)(end - p) >= n) {
		if (!(p = memchr(p, s[0], (size_t)(end - p) - n + 1)))
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Count what the parser would build, in one pass over the bytes and before libxml2 sees them:
 * elements, text runs, comments, processing instructions, CDATA sections; and each start
 * tag's attributes and namespace declarations. Malformed markup is left for the parser to
 * report: the scan only has to be linear and never read past the end.
 */
static int check_counts(const char *buf, size_t len, const char *name)
{
	const char *p = buf, *end = buf + len, *q;
	size_t nodes = 0, ns_doc = 0;
	char msg[160];

	while (p < end) {
		if (*p != '<') {
			nodes++; /* a text run */
			if (!(p = memchr(p, '<', (size_t)(end - p))))
				break;
		}
		if (nodes > MAX_NODES)
			goto too_many_nodes;
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			q = find(p + 4, end, "-->");
		else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0)
			q = find(p + 9, end, "]]>");
		else if (end - p >= 2 && p[1] == '?')
			q = find(p + 2, end, "?>");
		else if (end - p >= 2 && p[1] == '/') {
			nodes--; /* an end tag: no node of its own (counted back below) */
			q = memchr(p, '>', (size_t)(end - p));
		} else if (end - p >= 2 && p[1] == '!')
			q = memchr(p, '>', (size_t)(end - p)); /* a DOCTYPE: refused by the parser */
		else {
			/* a start tag: its name, then name="value" pairs up to '>' */
			const char *tag = p;
			size_t attrs = 0, ns = 0;
			for (q = p + 1; q < end && !is_space(*q) && *q != '>' && *q != '/'; q++)
				;
			for (;;) {
				const char *an;
				while (q < end && is_space(*q))
					q++;
				if (q >= end || *q == '>' || *q == '/' || *q == '=' || *q == '"' || *q == '\'')
					break;
				for (an = q; q < end && !is_space(*q) && *q != '=' && *q != '>' && *q != '/'; q++)
					;
				if ((q - an == 5 && memcmp(an, "xmlns", 5) == 0) || (q - an > 6 && memcmp(an, "xmlns:", 6) == 0))
					ns++;
				else
					attrs++;
				while (q < end && is_space(*q))
					q++;
				if (q >= end || *q != '=')
					break;
				for (q++; q < end && is_space(*q); q++)
					;
				if (q >= end || (*q != '"' && *q != '\''))
					break;
				if (!(q = memchr(q + 1, *q, (size_t)(end - q - 1))))
					break;
				q++;
			}
			if (attrs > MAX_ATTRS_PER_ELEMENT) {
				snprintf(msg, sizeof(msg), "too many attributes on one element: %zu (docket allows %d)",
				         attrs, MAX_ATTRS_PER_ELEMENT);
				return limit_error(buf, (size_t)(tag - buf), name, msg);
			}
			if (ns > MAX_NS_PER_ELEMENT) {
				snprintf(msg, sizeof(msg), "too many namespace declarations on one element: %zu "
				         "(docket allows %d)", ns, MAX_NS_PER_ELEMENT);
				return limit_error(buf, (size_t)(tag - buf), name, msg);
			}
			if ((ns_doc += ns) > MAX_NS_PER_DOCUMENT) {
				snprintf(msg, sizeof(msg), "too many namespace declarations: more than %d in the "
				         "document", MAX_NS_PER_DOCUMENT);
				return limit_error(buf, (size_t)(tag - buf), name, msg);
			}
			if (q && q < end)
				q = memchr(q, '>', (size_t)(end - q));
		}
		nodes++;
		if (!q)
			break;
		p = q + 1;
	}
	if (nodes <= MAX_NODES)
		return 0;
too_many_nodes:
	snprintf(msg, sizeof(msg), "too many nodes: more than %d elements, text runs and comments "
	         "in the document", MAX_NODES);
	return limit_error(buf, p ? (size_t)(p - buf) : len, name, msg);
}

int docket_xml_parse(xmlDocPtr *out, const char *buf, size_t len, const char *name)
{
	xmlParserCtxtPtr ctxt = NULL;
	xmlDocPtr doc = NULL;
	parse_state st = { 0, 0, 0 };
	const char *nul;
	size_t bad;
	int line, col, error = DOCKET_EINVALID;

	*out = NULL;
	if (len > INT32_MAX) {
		docket_error_set(DOCKET_EINVALID, "%s:1:1: document too large", name);
		goto cleanup;
	}
	if (len >= 2 && (((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF) ||
	                 ((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE))) {
		docket_error_set(DOCKET_EINVALID, "%s:1:1: document is UTF-16; docket accepts UTF-8 only", name);
		goto cleanup;
	}
	/* U+0000 is allowed nowhere in XML. A NUL byte means UTF-16 or UTF-32 without a
	 * byte-order mark, which would otherwise pass the UTF-8 check below when its text is
	 * ASCII and come out of the parser as a puzzling "invalid element name". */
	if ((nul = memchr(buf, '\0', len)) != NULL) {
		line_col_of(buf, (size_t)(nul - buf), &line, &col);
		docket_error_set(DOCKET_EINVALID, "%s:%d:%d: NUL byte (UTF-16 or UTF-32 without a byte-order mark?); "
		                 "docket accepts UTF-8 only", name, line, col);
		goto cleanup;
	}
	if (!declared_encoding_ok(buf, len)) {
		docket_error_set(DOCKET_EINVALID, "%s:1:1: declared encoding is not UTF-8; docket accepts UTF-8 only", name);
		goto cleanup;
	}
	if (utf8_error_at((const unsigned char *)buf, len, &bad)) {
		line_col_of(buf, bad, &line, &col);
		docket_error_set(DOCKET_EINVALID, "%s:%d:%d: invalid UTF-8 (byte 0x%02x at offset %zu)",
		                 name, line, col, (unsigned char)buf[bad], bad);
		goto cleanup;
	}
	if (check_counts(buf, len, name) < 0)
		goto cleanup;
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	ctxt->_private = &st;
	ctxt->sax->internalSubset = refuse_doctype;
	doc = xmlCtxtReadMemory(ctxt, buf, (int)len, name, "UTF-8", SAFE_OPTIONS);
	if (st.saw_doctype) {
		docket_error_set(DOCKET_EINVALID,
			"%s:%d:%d: document type declarations (DTD) are not allowed; "
			"they enable entity expansion and external loading", name, st.line, st.col);
		goto cleanup;
	}
	if (!doc || !ctxt->wellFormed) {
		const xmlError *e = xmlCtxtGetLastError(ctxt);
		char msg[512];
		snprintf(msg, sizeof(msg), "%s", e && e->message ? e->message : "not well-formed XML");
		strip_newline(msg);
		docket_error_set(DOCKET_EINVALID, "%s:%d:%d: not well-formed XML: %s", name,
		                 e ? e->line : 1, e && e->int2 > 0 ? e->int2 : 1, msg);
		goto cleanup;
	}
	if (doc->intSubset || doc->extSubset) {
		docket_error_set(DOCKET_EINVALID, "%s:1:1: document type declarations (DTD) are not allowed", name);
		goto cleanup;
	}
	*out = doc;
	doc = NULL;
	error = 0;
cleanup:
	if (doc)
		xmlFreeDoc(doc);
	if (ctxt)
		xmlFreeParserCtxt(ctxt);
	return error;
}

int docket_xml_is(xmlNodePtr node, const char *ns, const char *name)
{
	if (!node || node->type != XML_ELEMENT_NODE)
		return 0;
	if (name && strcmp((const char *)node->name, name) != 0)
		return 0;
	if (ns && (!node->ns || strcmp((const char *)node->ns->href, ns) != 0))
		return 0;
	return 1;
}

xmlNodePtr docket_xml_child(xmlNodePtr node, const char *ns, const char *name)
{
	xmlNodePtr c;
	if (!node)
		return NULL;
	for (c = node->children; c; c = c->next)
		if (docket_xml_is(c, ns, name))
			return c;
	return NULL;
}

xmlNodePtr docket_xml_next(xmlNodePtr node)
{
	xmlNodePtr c;
	if (!node)
		return NULL;
	for (c = node->next; c; c = c->next)
		if (docket_xml_is(c, node->ns ? (const char *)node->ns->href : NULL,
		                  (const char *)node->name))
			return c;
	return NULL;
}

xmlNodePtr docket_xml_path(xmlNodePtr node, const char *ns, const char *path)
{
	char part[128];
	const char *p = path;

	while (node && *p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, p, n);
		part[n] = '\0';
		node = docket_xml_child(node, ns, part);
		p += n + (slash ? 1 : 0);
	}
	return node;
}

char *docket_xml_text(xmlNodePtr node)
{
	xmlChar *t;
	char *s;

	if (!node)
		return docket_strdup("");
	t = xmlNodeGetContent(node);
	s = docket_strdup(t ? (const char *)t : "");
	xmlFree(t);
	return s;
}

char *docket_xml_text_trim(xmlNodePtr node)
{
	char *s = docket_xml_text(node), *b, *e;

	if (!s)
		return NULL;
	for (b = s; *b && isspace((unsigned char)*b); b++)
		;
	e = b + strlen(b);
	while (e > b && isspace((unsigned char)e[-1]))
		e--;
	memmove(s, b, (size_t)(e - b));
	s[e - b] = '\0';
	return s;
}

xmlNodePtr docket_xml_steps(xmlNodePtr node, const char *const *steps)
{
	for (size_t i = 0; node && steps[i]; i += 2)
		node = docket_xml_child(node, steps[i], steps[i + 1]);
	return node;
}

char *docket_attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetNoNsProp(n, (const xmlChar *)name) : NULL;
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}
