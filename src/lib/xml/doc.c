/*
 * doc: a docket document in memory. Parsing goes through the hostile-input rules of
 * xml.c, then the root must be {urn:docket:document:1}document. The few fields the engine
 * needs (id, kind, state, year, drafting unit) are read straight from the tree.
 *
 * A document lives at documents/<kind>/<year>/<unit>/<id>.xml: the drafting unit is the
 * natural fan-out level that keeps every git tree small (DESIGN.md, "The document
 * repository"), and the id in the file name makes the place stable.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/xmlsave.h>
#include "xml_internal.h"
#include "docket/doc.h"

struct docket_doc {
	xmlDocPtr xml;
	char *name;
	char *raw;      /* the bytes parsed, for exact column numbers in findings */
	size_t rawlen;
};

int docket_doc_parse(docket_doc **out, const char *buf, size_t len, const char *name)
{
	docket_doc *doc = NULL;
	xmlDocPtr xml = NULL;
	xmlNodePtr root;
	int error;

	*out = NULL;
	if (len > DOCKET_DOC_MAX_BYTES)
		return docket_error_set(DOCKET_EINVALID,
			"%s:1:1: document is %zu bytes; docket accepts at most %u", name, len,
			DOCKET_DOC_MAX_BYTES);
	if ((error = docket_xml_parse(&xml, buf, len, name)) < 0)
		return error;
	root = xmlDocGetRootElement(xml);
	if (!docket_xml_is(root, DOCKET_NS, "document")) {
		error = docket_error_set(DOCKET_EINVALID,
			"%s:%ld:1: the root element is {%s}%s, expected {%s}document", name,
			root ? xmlGetLineNo(root) : 1L,
			root && root->ns ? (const char *)root->ns->href : "",
			root ? (const char *)root->name : "", DOCKET_NS);
		xmlFreeDoc(xml);
		return error;
	}
	if (!(doc = calloc(1, sizeof(*doc))) || !(doc->name = docket_strdup(name))) {
		free(doc);
		xmlFreeDoc(xml);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	doc->xml = xml;
	if (!(doc->raw = docket_strndup(buf, len))) {
		docket_doc_free(doc);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	doc->rawlen = len;
	*out = doc;
	return 0;
}

int docket_doc_read_file(char **out, size_t *out_len, const char *path)
{
	int error = docket_file_read(out, out_len, path, DOCKET_DOC_MAX_BYTES);
	if (error == DOCKET_EINVALID)
		docket_error_set(DOCKET_EINVALID, "document is larger than %u bytes, the most docket accepts",
		                 DOCKET_DOC_MAX_BYTES);
	return error;
}

int docket_doc_load_file(docket_doc **out, const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	if ((error = docket_doc_read_file(&buf, &len, path)) < 0)
		return error;
	error = docket_doc_parse(out, buf, len, path);
	free(buf);
	return error;
}

void docket_doc_free(docket_doc *doc)
{
	if (!doc)
		return;
	xmlFreeDoc(doc->xml);
	free(doc->name);
	free(doc->raw);
	free(doc);
}

xmlDocPtr docket_doc_xml(docket_doc *doc)
{
	return doc->xml;
}

/*
 * Where NODE (or its attribute ATTR) starts in the parsed text: libxml2 keeps the line of
 * each element but not the column, so find the tag (or attribute) on that line.
 */
void docket_doc_position(const docket_doc *doc, const void *node_, const char *attr,
                         int *line, int *col)
{
	const xmlNode *node = node_;
	const char *p, *end, *hit = NULL;
	long ln = node ? xmlGetLineNo((xmlNodePtr)node) : 1;
	long cur = 1;
	char pat[160];

	*line = ln > 0 ? (int)ln : 1;
	*col = 1;
	if (!doc->raw || ln <= 0 || !node)
		return;
	for (p = doc->raw; cur < ln && p < doc->raw + doc->rawlen; p++)
		if (*p == '\n')
			cur++;
	end = memchr(p, '\n', (size_t)(doc->raw + doc->rawlen - p));
	if (!end)
		end = doc->raw + doc->rawlen;
	if (node->type == XML_ELEMENT_NODE) {
		snprintf(pat, sizeof(pat), "%s%s%s", node->ns && node->ns->prefix ? (const char *)node->ns->prefix : "",
		         node->ns && node->ns->prefix ? ":" : "", (const char *)node->name);
		for (const char *q = p; q + strlen(pat) < end; q++)
			if (*q == '<' && strncmp(q + 1, pat, strlen(pat)) == 0) {
				hit = q;
				break;
			}
		if (hit && attr) {
			size_t an = strlen(attr);
			for (const char *q = hit; q + an < end; q++)
				if ((q[-1] == ' ' || q[-1] == '\t') && strncmp(q, attr, an) == 0 &&
				    (q[an] == '=' || q[an] == ' ')) {
					hit = q;
					break;
				}
		}
	}
	if (hit)
		for (const char *q = p; q < hit; q++)
			if (((unsigned char)*q & 0xC0) != 0x80)
				(*col)++;
}

const char *docket_doc_name(const docket_doc *doc)
{
	return doc->name;
}

static const char *root_attr(const docket_doc *doc, const char *name)
{
	xmlAttrPtr a = xmlHasProp(xmlDocGetRootElement(doc->xml), (const xmlChar *)name);
	if (!a || !a->children || a->children->type != XML_TEXT_NODE)
		return NULL;
	return (const char *)a->children->content;
}

const char *docket_doc_id(const docket_doc *doc)
{
	return root_attr(doc, "id");
}

const char *docket_doc_kind(const docket_doc *doc)
{
	return root_attr(doc, "kind");
}

const char *docket_doc_state(const docket_doc *doc)
{
	xmlNodePtr wf = docket_xml_child(xmlDocGetRootElement(doc->xml), DOCKET_NS, "workflow");
	xmlAttrPtr a;

	if (!wf || !(a = xmlHasProp(wf, (const xmlChar *)"state")) || !a->children)
		return NULL;
	return (const char *)a->children->content;
}

int docket_doc_text(char **out, const docket_doc *doc, const char *path)
{
	xmlNodePtr n;
	char *t, *w;
	const char *r;
	int space = 0;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_doc_text: no place for the result");
	*out = NULL;
	if (!doc || !path)
		return docket_error_set(DOCKET_EUSAGE, "docket_doc_text: no document or path");
	if (!(n = docket_xml_path(xmlDocGetRootElement(doc->xml), DOCKET_NS, path)))
		return 0;
	if (!(t = docket_xml_text(n)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	/* in place: the result is never longer than the text */
	for (w = t, r = t; *r; r++) {
		if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
			space = w != t;
			continue;
		}
		if (space)
			*w++ = ' ';
		space = 0;
		*w++ = *r;
	}
	*w = '\0';
	*out = t;
	return 0;
}

int docket_doc_set_id(docket_doc *doc, const char *id)
{
	if (!xmlSetProp(xmlDocGetRootElement(doc->xml), (const xmlChar *)"id", (const xmlChar *)id))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

char *docket_doc_year_text(const docket_doc *doc)
{
	xmlNodePtr date = docket_xml_path(xmlDocGetRootElement(doc->xml), DOCKET_NS, "header/date");
	char *t;

	if (!date)
		return NULL;
	t = docket_xml_text_trim(date);
	if (t && strlen(t) >= 4 && isdigit((unsigned char)t[0]) && isdigit((unsigned char)t[1]) &&
	    isdigit((unsigned char)t[2]) && isdigit((unsigned char)t[3])) {
		t[4] = '\0';
		return t;
	}
	free(t);
	return NULL;
}

/*
 * A document that names no drafting unit was filed, when it was added, under the unit of the
 * person who added it: documents/<kind>/<year>/<unit>/<id>.xml (as read from a repository,
 * its name is that path). That unit is its drafting unit.
 */
static char *unit_from_path(const char *path)
{
	const char *p = path, *start;
	int slash = 0;

	if (!path || strncmp(path, "documents/", 10) != 0)
		return NULL;
	for (; *p && slash < 3; p++)
		slash += *p == '/';
	start = p;
	while (*p && *p != '/')
		p++;
	if (!*p || p == start || (p - start == 1 && *start == '_'))
		return NULL;
	return docket_strndup(start, (size_t)(p - start));
}

/* "Lưu: VT, CTTT" → "CTTT": the first unit named after the records office. */
char *docket_doc_unit_text(const docket_doc *doc)
{
	xmlNodePtr recips = docket_xml_path(xmlDocGetRootElement(doc->xml), DOCKET_NS, "header/recipients");
	xmlNodePtr r, last = NULL;
	char *text, *p, *unit = NULL;
	static const char prefix[] = "L\xc6\xb0u:"; /* "Lưu:" */
	xmlNodePtr drafter = docket_xml_path(xmlDocGetRootElement(doc->xml), DOCKET_NS, "header/drafter");

	if (drafter) {
		xmlChar *u = xmlGetNoNsProp(drafter, (const xmlChar *)"unit");
		if (u && *u) {
			unit = docket_strdup((const char *)u);
			xmlFree(u);
			return unit;
		}
		xmlFree(u);
	}
	for (r = docket_xml_child(recips, DOCKET_NS, "recipient"); r; r = docket_xml_next(r))
		last = r;
	if (!last || !(text = docket_xml_text_trim(last)))
		return unit_from_path(doc->name);
	if (strncmp(text, prefix, sizeof(prefix) - 1) == 0) {
		p = text + sizeof(prefix) - 1;
		while (*p) {
			char *start, *end;
			while (*p == ' ' || *p == ',' || *p == '\t')
				p++;
			start = p;
			while (*p && *p != ',' && *p != '.' && *p != ';')
				p++;
			end = p;
			while (end > start && end[-1] == ' ')
				end--;
			if (end > start && !(end - start == 2 && strncmp(start, "VT", 2) == 0)) {
				unit = docket_strndup(start, (size_t)(end - start));
				break;
			}
			if (*p)
				p++;
		}
	}
	free(text);
	return unit ? unit : unit_from_path(doc->name);
}

int docket_doc_year(char **out, const docket_doc *doc)
{
	if (!out || !doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_doc_year: OUT and DOC are required");
	*out = docket_doc_year_text(doc);
	return 0;
}

int docket_doc_drafting_unit(char **out, const docket_doc *doc)
{
	if (!out || !doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_doc_drafting_unit: OUT and DOC are required");
	*out = docket_doc_unit_text(doc);
	return 0;
}

/* A year folder: four digits. */
static int year_ok(const char *s)
{
	return s && strlen(s) == 4 && strspn(s, "0123456789") == 4;
}

int docket_doc_path(char **out, const docket_doc *doc, const char *fallback_year,
                    const char *fallback_unit)
{
	const char *id = docket_doc_id(doc), *kind = docket_doc_kind(doc);
	char *year = docket_doc_year_text(doc), *unit = docket_doc_unit_text(doc);
	docket_buf b = DOCKET_BUF_INIT;
	int error = DOCKET_EINVALID;

	*out = NULL;
	if (!docket_id_valid(id)) {
		char q[256];
		docket_name_quote(q, sizeof(q), id ? id : "");
		docket_error_set(DOCKET_EINVALID, "%s: the document id '%s' is not allowed: an id is 1 to %d "
		                 "lowercase ASCII letters, digits, '.', '_' and '-', starting with a letter or "
		                 "a digit (docs/format.md)", doc->name, q, DOCKET_ID_MAX);
		goto cleanup;
	}
	if (!docket_kind_valid(kind)) {
		docket_error_set(DOCKET_EINVALID, "%s: unknown document kind '%s'", doc->name,
		                 kind ? kind : "");
		goto cleanup;
	}
	if (!unit && fallback_unit)
		unit = docket_strdup(fallback_unit);
	if (!year && fallback_year)
		year = docket_strdup(fallback_year);
	{
		/* the unit's ASCII folder ("BCĐ" files under "BCD"); "_" for no unit, or one no
		 * folder can be named after */
		char folder[65];
		if (docket_unit_folder(folder, sizeof(folder), unit ? unit : "") < 0 ||
		    !docket_unit_name_valid(folder))
			strcpy(folder, "_");
		free(unit);
		unit = docket_strdup(folder);
	}
	if (!year_ok(year)) {
		docket_error_set(DOCKET_EINVALID, "%s: the document has no year", doc->name);
		goto cleanup;
	}
	if (docket_buf_printf(&b, "documents/%s/%s/%s/%s.xml", kind, year, unit, id) < 0) {
		error = DOCKET_ERROR;
		goto cleanup;
	}
	*out = docket_buf_detach(&b, NULL);
	error = *out ? 0 : DOCKET_ERROR;
cleanup:
	free(year);
	free(unit);
	docket_buf_free(&b);
	return error;
}

int docket_doc_serialize(char **out, size_t *out_len, docket_doc *doc)
{
	xmlChar *mem = NULL;
	int size = 0;

	*out = NULL;
	xmlDocDumpMemoryEnc(doc->xml, &mem, &size, "UTF-8");
	if (!mem)
		return docket_error_set(DOCKET_ERROR, "cannot serialise '%s'", doc->name);
	*out = docket_strndup((const char *)mem, (size_t)size);
	xmlFree(mem);
	if (!*out)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (out_len)
		*out_len = (size_t)size;
	return 0;
}

static char *prop_dup(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

void docket_doc_summarize(docket_doc_summary *out, const docket_doc *doc)
{
	xmlNodePtr root = xmlDocGetRootElement(doc->xml), step, last = NULL;
	char *num = docket_xml_text_trim(docket_xml_path(root, DOCKET_NS, "header/code/number"));
	char *nota = docket_xml_text_trim(docket_xml_path(root, DOCKET_NS, "header/code/notation"));

	memset(out, 0, sizeof(*out));
	if (num && *num && nota && *nota) {
		size_t n = strlen(num) + strlen(nota) + 2;
		if ((out->number = malloc(n)) != NULL)
			snprintf(out->number, n, "%s/%s", num, nota);
	}
	free(num);
	free(nota);
	for (step = docket_xml_path(root, DOCKET_NS, "workflow/step"); step; step = docket_xml_next(step))
		last = step;
	if (last) {
		out->last_date = prop_dup(last, "date");
		out->last_actor = prop_dup(last, "actor");
		out->last_role = prop_dup(last, "role");
		out->last_transition = prop_dup(last, "transition");
	}
}

void docket_doc_summary_free(docket_doc_summary *s)
{
	if (!s)
		return;
	free(s->number);
	free(s->last_date);
	free(s->last_actor);
	free(s->last_role);
	free(s->last_transition);
	memset(s, 0, sizeof(*s));
}

/* --- the signer block ----------------------------------------------------------------------- */

static const char *authority_static(const char *a)
{
	static const char *const known[] = { "TM.", "KT.", "Q.", "TL.", "TUQ.", NULL };
	size_t i;

	for (i = 0; a && known[i]; i++)
		if (strcmp(a, known[i]) == 0)
			return known[i];
	return "";
}

const char *docket_signer_authority(xmlNodePtr signer)
{
	const char *found = "";
	xmlNodePtr n;
	char *a;

	if (!signer)
		return "";
	if ((n = docket_xml_child(signer, DOCKET_NS, "line")) == NULL) {
		a = docket_xml_text_trim(docket_xml_child(signer, DOCKET_NS, "authority"));
		found = authority_static(a);
		free(a);
		return found;
	}
	for (; n; n = docket_xml_next(n)) {
		a = docket_attr(n, "authority");
		if (a && *a)
			found = authority_static(a);
		free(a);
	}
	return found;
}

char *docket_signer_competence(xmlNodePtr signer)
{
	docket_buf b = DOCKET_BUF_INIT;
	xmlNodePtr n;
	int error = 0;

	if (!signer)
		return NULL;
	if ((n = docket_xml_child(signer, DOCKET_NS, "line")) == NULL) {
		char *a = docket_xml_text_trim(docket_xml_child(signer, DOCKET_NS, "authority"));
		char *t = docket_xml_text_trim(docket_xml_child(signer, DOCKET_NS, "title"));
		error = docket_buf_printf(&b, "%s%s%s", a && *a ? a : "", a && *a ? " " : "", t ? t : "");
		free(a);
		free(t);
	}
	for (; n && !error; n = docket_xml_next(n)) {
		char *a = docket_attr(n, "authority"), *t = docket_xml_text_trim(n);
		error = docket_buf_printf(&b, "%s%s%s%s", b.len ? " / " : "", a && *a ? a : "", a && *a ? " " : "",
		                          t ? t : "");
		free(a);
		free(t);
	}
	if (error < 0) {
		docket_buf_free(&b);
		return NULL;
	}
	return docket_buf_detach(&b, NULL);
}

int docket_unit_folder_name(char out[65], const char *unit)
{
	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_unit_folder_name: OUT is required");
	if (docket_unit_folder(out, 65, unit ? unit : "") < 0) {
		out[0] = '\0';
		return docket_error_set(DOCKET_EINVALID, "'%s' is not a unit id", unit ? unit : "");
	}
	return 0;
}
