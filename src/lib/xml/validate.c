/*
 * validate: a document in memory is checked against the XSD schemas, then against the rules
 * XSD 1.0 cannot express: the content matches the declared kind; percentage targets lie in
 * 0..100; milestone years fall inside the plan period; ids are unique and references resolve;
 * number and notation follow Decree 30 ("354/KH-PGDĐT": a zero-padded sequence, the type
 * abbreviation of Annex III, the issuer's abbreviation); the recipients end with "Lưu: …";
 * text is NFC; cited documents exist (asked of the caller's resolver: this layer knows no
 * repository). Every problem is one finding with FILE:LINE:COL, in the format editors and CI
 * understand. The checks that need a workflow or a repository are workflow/check.c's.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/xmlschemas.h>
#include "xml_internal.h"
#include "docket/validate.h"


/* --- findings ------------------------------------------------------------------------- */

typedef struct {
	char *file;
	int line, col;
	char *message;
} finding;

struct docket_findings {
	finding *items;
	size_t n, cap;
	docket_finding view;
};

int docket_findings_new(docket_findings **out)
{
	if (!(*out = calloc(1, sizeof(**out))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

void docket_findings_free(docket_findings *f)
{
	size_t i;
	if (!f)
		return;
	for (i = 0; i < f->n; i++) {
		free(f->items[i].file);
		free(f->items[i].message);
	}
	free(f->items);
	free(f);
}

size_t docket_findings_count(const docket_findings *f)
{
	return f->n;
}

const docket_finding *docket_findings_get(const docket_findings *f, size_t i)
{
	docket_findings *m = (docket_findings *)f;
	if (i >= f->n)
		return NULL;
	m->view.file = f->items[i].file;
	m->view.line = f->items[i].line;
	m->view.col = f->items[i].col;
	m->view.message = f->items[i].message;
	return &m->view;
}

int docket_findings_addv(docket_findings *f, const char *file, int line, int col,
                        const char *fmt, va_list ap)
{
	docket_buf msg = DOCKET_BUF_INIT;
	va_list cp;
	int n;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		finding *p = realloc(f->items, cap * sizeof(*p));
		if (!p)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		f->items = p;
		f->cap = cap;
	}
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || docket_buf_grow(&msg, (size_t)n) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	vsnprintf(msg.ptr, (size_t)n + 1, fmt, ap);
	msg.len = (size_t)n;
	/* one line per finding: libxml2 messages end with a newline */
	while (msg.len && (msg.ptr[msg.len - 1] == '\n' || msg.ptr[msg.len - 1] == ' '))
		msg.ptr[--msg.len] = '\0';
	for (char *p = msg.ptr; *p; p++)
		if (*p == '\n')
			*p = ' ';
	f->items[f->n].file = docket_strdup(file ? file : "-");
	f->items[f->n].line = line > 0 ? line : 1;
	f->items[f->n].col = col > 0 ? col : 1;
	f->items[f->n].message = docket_buf_detach(&msg, NULL);
	if (!f->items[f->n].file || !f->items[f->n].message) {
		free(f->items[f->n].file);
		free(f->items[f->n].message);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	f->n++;
	return 0;
}

int docket_findings_add(docket_findings *f, const char *file, int line, int col, const char *fmt, ...)
{
	va_list ap;
	int r;
	va_start(ap, fmt);
	r = docket_findings_addv(f, file, line, col, fmt, ap);
	va_end(ap);
	return r;
}

/* --- the type abbreviation table (Decree 30/2020, Annex III) ----------------------------- */

static const char *const doctypes[] = {
	"NQ", "QĐ", "CT", "QC", "QyĐ", "TC", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC",
	"BB", "TTr", "HĐ", "CĐ", "BGN", "BTT", "GUQ", "GM", "GGT", "GNP", "PG", "PC", "PB",
	"SY", "TrS", "SL", NULL
};

int docket_doctype_known(const char *code)
{
	size_t i;
	for (i = 0; code && doctypes[i]; i++)
		if (strcmp(doctypes[i], code) == 0)
			return 1;
	return 0;
}

/* --- rule helpers ------------------------------------------------------------------------ */

typedef struct {
	docket_findings *out;
	docket_doc *doc;
	xmlNodePtr root;
	docket_ref_resolver resolve;
	void *resolve_payload;
	int error;
	size_t shown, hidden; /* findings of this document reported, and left out */
} ctx;

/*
 * At most this many findings per document: each costs a scan of the text for its column, so
 * a document built to fail everywhere (64 unknown attributes on each of 9,000 elements) would
 * otherwise cost minutes. The rest are counted in one last finding.
 */
#define MAX_FINDINGS_PER_DOC 100

static int shown(ctx *c)
{
	if (c->shown < MAX_FINDINGS_PER_DOC) {
		c->shown++;
		return 1;
	}
	c->hidden++;
	return 0;
}

static int findings_left_out(ctx *c)
{
	if (!c->hidden)
		return 0;
	if (docket_findings_add(c->out, docket_doc_name(c->doc), 1, 1, "%zu more errors not shown (docket "
	                        "reports the first %d of a document)", c->hidden, MAX_FINDINGS_PER_DOC) < 0)
		c->error = DOCKET_ERROR;
	c->hidden = 0;
	return c->error;
}

int docket_findings_add_at(docket_findings *f, const docket_doc *doc, const void *node,
                           const char *attr, const char *fmt, ...)
{
	va_list ap;
	int line, col, r;

	docket_doc_position(doc, node, attr, &line, &col);
	va_start(ap, fmt);
	r = docket_findings_addv(f, docket_doc_name(doc), line, col, fmt, ap);
	va_end(ap);
	return r;
}

#define report(c, node, attrname, ...) \
	do { \
		if (shown(c) && docket_findings_add_at((c)->out, (c)->doc, (node), (attrname), __VA_ARGS__) < 0) \
			(c)->error = DOCKET_ERROR; \
	} while (0)

#define D(node, path) docket_xml_path((node), DOCKET_NS, (path))
#define FOR_EACH(var, parent, name) \
	for (xmlNodePtr var = docket_xml_child((parent), DOCKET_NS, (name)); var; var = docket_xml_next(var))

static int parse_number(const char *s, double *out)
{
	char *end;
	if (!s || !*s)
		return 0;
	*out = strtod(s, &end);
	return *end == '\0';
}

/* --- rules ------------------------------------------------------------------------------- */

static void rule_kind(ctx *c)
{
	const char *kind = docket_doc_kind(c->doc);
	xmlNodePtr content = docket_xml_child(c->root, DOCKET_NS, "content");
	xmlNodePtr body;

	if (!content || !kind)
		return;
	if (!docket_kind_body(kind))
		return; /* the schema refuses an unknown kind */
	body = docket_xml_child(content, DOCKET_NS, docket_kind_body(kind));
	if (!body)
		report(c, content, NULL, "the document's kind is '%s' but its content holds no <%s>", kind,
		       docket_kind_body(kind));
}

/* Every Id/id attribute in the document is unique: signature references rely on it. */
static void rule_unique_ids(ctx *c, xmlNodePtr node, xmlHashTablePtr seen)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		for (xmlAttrPtr a = node->properties; a; a = a->next) {
			xmlChar *v;
			const char *n = (const char *)a->name;
			/* "Id" is the XML-DSig reference target; the domain's own ids (indicators,
			 * groups, footnotes) are scoped and checked by the schema */
			if (a->ns || strcmp(n, "Id"))
				continue;
			v = xmlNodeListGetString(node->doc, a->children, 1);
			if (v && xmlHashLookup(seen, v))
				report(c, node, n, "duplicate id '%s'", (const char *)v);
			else if (v && xmlHashAddEntry(seen, v, node) < 0)
				c->error = docket_error_set(DOCKET_ERROR, "out of memory");
			xmlFree(v);
		}
		rule_unique_ids(c, node->children, seen);
	}
}

/*
 * The structured parts of a plan or report may stand in any order among free blocks (the
 * schema's choice), but each at most once: C code and readers take the first.
 */
static void rule_once(ctx *c, xmlNodePtr body, const char *const *names)
{
	for (size_t i = 0; names[i]; i++) {
		xmlNodePtr first = docket_xml_child(body, DOCKET_NS, names[i]), again;
		if (first && (again = docket_xml_next(first)) != NULL)
			report(c, again, NULL, "a %s has one <%s> at most; merge this one into the first (line %ld)",
			       (const char *)body->name, names[i], xmlGetLineNo(first));
	}
}

static void rule_plan(ctx *c, xmlNodePtr plan)
{
	static const char *const once[] = { "purposes", "objectives", "tasks", "funding", "responsibilities", NULL };
	xmlNodePtr period = docket_xml_child(plan, DOCKET_NS, "period");
	char *ps = docket_attr(period, "start"), *pe = docket_attr(period, "end");
	double start = 0, end = 0;
	int have_period = parse_number(ps, &start) && parse_number(pe, &end);

	rule_once(c, plan, once);
	if (have_period && start > end)
		report(c, period, "end", "the plan period ends (%s) before it starts (%s)", pe, ps);
	/* every indicator below the plan, however nested */
	{
		xmlNodePtr stack[64];
		int top = 0;
		stack[top++] = plan;
		while (top) {
			xmlNodePtr n = stack[--top];
			for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
				if (ch->type != XML_ELEMENT_NODE)
					continue;
				if (docket_xml_is(ch, DOCKET_NS, "indicator")) {
					char *id = docket_attr(ch, "id"), *unit = docket_attr(ch, "unit"), *measure = docket_attr(ch, "measure");
					int percent = (unit && strcmp(unit, "%") == 0) ||
					              (measure && strcmp(measure, "rate") == 0);
					int ntargets = 0;
					for (xmlNodePtr t = ch->children; t; t = t->next) {
						char *y, *v;
						double yv = 0, vv = 0;
						int is_target = docket_xml_is(t, DOCKET_NS, "target");
						if (!is_target && !docket_xml_is(t, DOCKET_NS, "baseline"))
							continue;
						ntargets += is_target;
						y = docket_attr(t, "year");
						v = docket_attr(t, "value");
						if (percent && parse_number(v, &vv) && (vv < 0 || vv > 100))
							report(c, t, "value", "indicator %s: %s %s is %s%%, outside 0..100",
							       id ? id : "?", is_target ? "target" : "baseline", y ? y : "", v);
						if (is_target && have_period && parse_number(y, &yv) && (yv < start || yv > end))
							report(c, t, "year", "indicator %s: milestone year %s is outside the plan period %s-%s",
							       id ? id : "?", y, ps, pe);
						free(y);
						free(v);
					}
					if (!ntargets)
						report(c, ch, NULL, "indicator %s has no target", id ? id : "?");
					free(id);
					free(unit);
					free(measure);
				} else if (top < 64) {
					stack[top++] = ch;
				}
			}
		}
	}
	free(ps);
	free(pe);
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void rule_code(ctx *c)
{
	xmlNodePtr header = docket_xml_child(c->root, DOCKET_NS, "header");
	xmlNodePtr code = docket_xml_child(header, DOCKET_NS, "code");
	xmlNodePtr number = docket_xml_child(code, DOCKET_NS, "number");
	xmlNodePtr notation = docket_xml_child(code, DOCKET_NS, "notation");
	xmlNodePtr type = docket_xml_child(header, DOCKET_NS, "type");
	char *num = docket_xml_text_trim(number), *nota = docket_xml_text_trim(notation);
	char *tcode = docket_attr(type, "code");
	char *abbr = docket_xml_text_trim(D(header, "issuer/abbr"));
	size_t i, n;

	if (tcode && *tcode && !docket_doctype_known(tcode))
		report(c, type, "code", "'%s' is not a document type abbreviation of Decree 30/2020 Annex III", tcode);
	if (!num || !nota)
		goto done;
	if (!*num && !*nota)
		goto done;
	if (!*num || !*nota) {
		report(c, *num ? notation : number, NULL,
		       "number and notation go together: '%s/%s' has one without the other", num, nota);
		goto done;
	}
	n = strlen(num);
	for (i = 0; i < n && isdigit((unsigned char)num[i]); i++)
		;
	if (i != n)
		report(c, number, NULL, "the number '%s' must be Arabic digits", num);
	else if (n < 2)
		report(c, number, NULL, "the number '%s' must have a leading zero below 10 ('0%s')", num, num);
	else if (num[0] == '0' && n > 2)
		report(c, number, NULL, "the number '%s' has a needless leading zero", num);
	else if (strcmp(num, "00") == 0)
		report(c, number, NULL, "the number starts at 01");
	if (strchr(nota, ' '))
		report(c, notation, NULL, "the notation '%s' must not contain spaces", nota);
	{
		const char *dash = strchr(nota, '-');
		if (!dash || dash == nota || !dash[1]) {
			report(c, notation, NULL, "the notation '%s' must read TYPE-ISSUER, e.g. 'KH-PGDĐT'", nota);
		} else {
			char *t = docket_strndup(nota, (size_t)(dash - nota));
			if (!tcode || !*tcode) {
				/* an official letter (công văn) has no type: ISSUER-UNIT, e.g. "126/SGDĐT-CTTT";
				 * the issuer's abbreviation may itself have several groups ("BCĐ389-UBND") */
				size_t al = abbr ? strlen(abbr) : 0;
				if (al && !(strncmp(nota, abbr, al) == 0 && (nota[al] == '\0' || nota[al] == '-')))
					report(c, notation, NULL, "the notation '%s' of an official letter must begin with "
					       "the issuer's abbreviation '%s'", nota, abbr);
			} else if (strcmp(t, tcode) != 0)
				report(c, notation, NULL, "the notation '%s' begins with '%s' but the document type is '%s'",
				       nota, t, tcode);
			else if (!docket_doctype_known(t))
				report(c, notation, NULL, "'%s' in the notation '%s' is not a type abbreviation of Decree 30/2020 Annex III", t, nota);
			/* the issuer's group is its abbreviation exactly ("KH-PGDĐTX" is not PGDĐT's);
			 * further groups may follow ("BC-BCĐ-UBND", "CV-SGDĐT-KHTC") */
			if (tcode && *tcode && abbr && *abbr &&
			    !(starts_with(dash + 1, abbr) && (dash[1 + strlen(abbr)] == '\0' || dash[1 + strlen(abbr)] == '-')))
				report(c, notation, NULL, "the notation '%s' names issuer '%s' but the issuer's abbreviation is '%s'",
				       nota, dash + 1, abbr);
			free(t);
		}
	}
done:
	free(num);
	free(nota);
	free(tcode);
	free(abbr);
}

/*
 * The signer's authority (Decree 30 Art. 13): a deputy signing for the head ("KT. TRƯỞNG
 * PHÒNG") signs in her own position, which must be printed ("PHÓ TRƯỞNG PHÒNG"); a signature
 * by written authorisation ("TUQ.") names the authorising document.
 */
static void rule_signer(ctx *c)
{
	FOR_EACH(signer, D(c->root, "header"), "signer") {
		/* either form of the block: its authority is the last authority line's ("KT." in
		 * "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH") */
		const char *auth = docket_signer_authority(signer);
		char *pos = docket_xml_text_trim(docket_xml_child(signer, DOCKET_NS, "position"));
		char *competence = docket_signer_competence(signer);
		if (strcmp(auth, "KT.") == 0 && !(pos && *pos))
			report(c, signer, NULL, "the signer signs '%s' but no position is printed: a deputy signs in her or "
			       "his own position (<position>PHÓ ...</position>)", competence ? competence : "KT.");
		if (strcmp(auth, "TUQ.") == 0 && !docket_xml_child(signer, DOCKET_NS, "authorisation"))
			report(c, signer, NULL, "the signer signs '%s' but names no authorising document: a signature by "
			       "written authorisation cites it (<authorisation code=\"NN/GUQ-...\" date=\"...\"/>)",
			       competence ? competence : "TUQ.");
		free(pos);
		free(competence);
	}
}

static void rule_recipients(ctx *c)
{
	xmlNodePtr recips = D(c->root, "header/recipients");
	xmlNodePtr last = NULL;
	char *text;

	if (!recips)
		return;
	FOR_EACH(r, recips, "recipient") {
		last = r;
	}
	if (!last) {
		report(c, recips, NULL, "the recipients list is empty; it must end with 'Lưu: VT, <drafting unit>'");
		return;
	}
	text = docket_xml_text_trim(last);
	if (!text || !starts_with(text, "L\xc6\xb0u:"))
		report(c, last, NULL, "the recipients list must end with 'Lưu: VT, <drafting unit>', not '%s'",
		       text ? text : "");
	free(text);
	FOR_EACH(r, recips, "recipient") {
		if (r == last)
			break;
		text = docket_xml_text_trim(r);
		if (text && starts_with(text, "L\xc6\xb0u:"))
			report(c, r, NULL, "'Lưu: …' must be the last recipient");
		free(text);
	}
}

/*
 * Vietnamese text in NFC has every vowel with its marks precomposed. A combining mark
 * (U+0300..U+036F) after a Latin letter means decomposed text (NFD) pasted from elsewhere:
 * it looks the same but compares, sorts and signs differently.
 */
static void rule_nfc(ctx *c, xmlNodePtr node)
{
	for (; node; node = node->next) {
		if (node->type == XML_TEXT_NODE && node->content) {
			const unsigned char *s = node->content;
			for (size_t i = 0; s[i]; i++) {
				if (s[i] == 0xCC || (s[i] == 0xCD && s[i + 1] >= 0x80 && s[i + 1] <= 0xAF)) {
					if (i > 0 && isalpha(s[i - 1])) {
						report(c, node->parent, NULL,
						       "text is not in Unicode NFC (a decomposed diacritic follows '%c'); "
						       "save the file as NFC", s[i - 1]);
						return;
					}
				}
			}
		} else if (node->type == XML_ELEMENT_NODE) {
			rule_nfc(c, node->children);
		}
	}
}

static void check_ref(ctx *c, xmlNodePtr node, const char *attrname, const char *what)
{
	char *ref = docket_attr(node, attrname);

	if (!ref || !*ref || !c->resolve) {
		free(ref);
		return;
	}
	if (c->resolve(c->resolve_payload, ref) < 0) {
		if (docket_error_code() == DOCKET_ENOTFOUND)
			report(c, node, attrname, "%s '%s' is not a document in this repository", what, ref);
		else
			report(c, node, attrname, "%s '%s': %s", what, ref, docket_error_last());
	}
	free(ref);
}

static void rule_refs(ctx *c)
{
	xmlNodePtr content = docket_xml_child(c->root, DOCKET_NS, "content");
	xmlHashTablePtr footnotes = xmlHashCreate(16);
	xmlNodePtr stack[128];
	int top = 0;

	if (!footnotes) {
		c->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return;
	}
	FOR_EACH(b, D(c->root, "header/bases"), "basis")
		check_ref(c, b, "ref", "the legal basis");
	check_ref(c, D(content, "report/plan"), "ref", "the plan reported on");
	check_ref(c, D(content, "task/source"), "plan", "the source plan");
	FOR_EACH(fn, D(content, "footnotes"), "footnote") {
		char *id = docket_attr(fn, "id");
		if (id)
			xmlHashAddEntry(footnotes, (xmlChar *)id, fn);
		free(id);
	}
	if (content)
		stack[top++] = content;
	while (top) {
		xmlNodePtr n = stack[--top];
		for (xmlNodePtr ch = n->children; ch; ch = ch->next) {
			if (ch->type != XML_ELEMENT_NODE)
				continue;
			if (docket_xml_is(ch, DOCKET_NS, "fnref")) {
				char *r = docket_attr(ch, "ref");
				if (r && !xmlHashLookup(footnotes, (xmlChar *)r))
					report(c, ch, "ref", "footnote mark refers to '%s', which is not a footnote", r);
				free(r);
			} else if (top < 128) {
				stack[top++] = ch;
			}
		}
	}
	xmlHashFree(footnotes, NULL);
}

static void rule_report(ctx *c, xmlNodePtr report_node)
{
	static const char *const once[] = { "results", "narratives", "difficulties", "proposals", NULL };
	xmlNodePtr plan = docket_xml_child(report_node, DOCKET_NS, "plan");

	rule_once(c, report_node, once);
	if (plan) {
		char *ref = docket_attr(plan, "ref"), *code = docket_attr(plan, "code");
		if (!(ref && *ref) && !(code && *code))
			report(c, plan, NULL, "the plan reported on is named by neither its id (ref) nor its number (code)");
		free(ref);
		free(code);
	}
	FOR_EACH(r, D(report_node, "results"), "result") {
		char *num = docket_attr(r, "numerator"), *den = docket_attr(r, "denominator"), *ind = docket_attr(r, "indicator");
		char *val = docket_attr(r, "value"), *app = docket_attr(r, "applicable");
		int na = app && (strcmp(app, "false") == 0 || strcmp(app, "0") == 0);
		double nv, dv;
		if (na && (num || den || val))
			report(c, r, val ? "value" : num ? "numerator" : "denominator",
			       "indicator %s is marked not applicable: its result carries no figures", ind ? ind : "?");
		else if (!na && !val)
			report(c, r, NULL, "indicator %s: the result has no value (mark it applicable=\"false\" when the "
			       "indicator does not apply to the unit)", ind ? ind : "?");
		free(val);
		free(app);
		if (na) {
			/* no figures: nothing more to check */
		} else if (num && den && parse_number(num, &nv) && parse_number(den, &dv)) {
			if (dv <= 0)
				report(c, r, "denominator", "indicator %s: the denominator must be positive", ind ? ind : "?");
			else if (nv < 0 || nv > dv)
				report(c, r, "numerator", "indicator %s: the numerator %s must lie between 0 and the denominator %s",
				       ind ? ind : "?", num, den);
		} else if ((num != NULL) != (den != NULL)) {
			report(c, r, num ? "numerator" : "denominator",
			       "indicator %s: numerator and denominator go together", ind ? ind : "?");
		}
		free(num);
		free(den);
		free(ind);
	}
}

/* --- entry points -------------------------------------------------------------------------- */

static void xsd_error(void *data, xmlErrorPtr e)
{
	ctx *c = data;
	int line = e->line, col = 1;

	if (e->level == XML_ERR_WARNING || !shown(c))
		return;
	if (e->node)
		docket_doc_position(c->doc, e->node, NULL, &line, &col);
	if (docket_findings_add(c->out, docket_doc_name(c->doc), line, col, "%s",
	                        e->message ? e->message : "schema validation failed") < 0)
		c->error = DOCKET_ERROR;
}

int docket_doc_check(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                     docket_ref_resolver resolve, void *resolve_payload, int *rules_ran)
{
	xmlSchemaValidCtxtPtr v = NULL;
	xmlHashTablePtr ids = NULL;
	ctx c;
	size_t before = docket_findings_count(findings);
	xmlNodePtr content;

	memset(&c, 0, sizeof(c));
	c.out = findings;
	c.doc = doc;
	c.root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	c.resolve = resolve;
	c.resolve_payload = resolve_payload;
	if (rules_ran)
		*rules_ran = 0;
	if (!(v = xmlSchemaNewValidCtxt((xmlSchemaPtr)docket_schema_xsd(schema))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	xmlSchemaSetValidStructuredErrors(v, xsd_error, &c);
	{
		/* libxml2 2.9 looks for an XInclude boundary before every error of a document that
		 * has a URL, walking back over every preceding node: N errors cost N x the document.
		 * docket names documents itself, so the URL can go while the schema runs. */
		xmlDocPtr x = (xmlDocPtr)docket_doc_xml(doc);
		const xmlChar *url = x->URL;
		x->URL = NULL;
		xmlSchemaValidateDoc(v, x);
		x->URL = url;
	}
	xmlSchemaFreeValidCtxt(v);
	if (c.error || findings_left_out(&c) < 0)
		return c.error;
	/* Rules beyond XSD run on a schema-valid document only: their messages would be noise
	 * on a document whose shape is already wrong. Ids are checked always (XSW defence). */
	if (!(ids = xmlHashCreate(64)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	rule_unique_ids(&c, c.root, ids);
	xmlHashFree(ids, NULL);
	if (c.error || findings_left_out(&c) < 0)
		return c.error;
	if (docket_findings_count(findings) > before)
		return c.error;
	rule_kind(&c);
	rule_code(&c);
	rule_signer(&c);
	rule_recipients(&c);
	rule_nfc(&c, c.root);
	content = docket_xml_child(c.root, DOCKET_NS, "content");
	if (D(content, "plan"))
		rule_plan(&c, D(content, "plan"));
	if (D(content, "report"))
		rule_report(&c, D(content, "report"));
	rule_refs(&c);
	if (findings_left_out(&c) < 0)
		return c.error;
	if (rules_ran)
		*rules_ran = 1;
	return c.error;
}
