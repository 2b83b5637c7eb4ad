/*
 * names: what a rendering prints where a document cites something by id. A report names
 * its unit and its plan by id, a task its units, people and source plan, a plan its units
 * in the responsibilities; a reader expects "Trường TH và THCS Quang Trung" and "Kế hoạch
 * số 354/KH-PGDĐT ngày 11/05/2021", and a result's indicator by its name. The stylesheets
 * read no other file (they run with file access forbidden), so this layer, which can read
 * the configuration and the other documents, looks the ids up in the repository at the
 * revision shown and passes what it found as one literal string parameter, `names`
 * (docs/rendering.md): lines "KIND<TAB>ID<TAB>FIELD…". Only ids the document uses are
 * looked up, so the string stays small in a repository of thousands of units. Free text is
 * made one line (white space runs become one space), so a name cannot forge another line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"
#include "docket/config.h"
#include "docket/render.h"

int docket_render_put_text(docket_buf *b, const char *s)
{
	int space = 0, any = 0;

	for (; s && *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = any;
			continue;
		}
		if ((space && docket_buf_puts(b, " ") < 0) || docket_buf_put(b, s, 1) < 0)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		space = 0;
		any = 1;
	}
	return 0;
}

/*
 * An id as the schema allows it (LocalId, DocumentId; a UnitId may have Vietnamese letters,
 * "BCĐ"): nothing a line or a field of the parameter could break on, no blank.
 */
static int plain_id(const char *s)
{
	const unsigned char *p;

	if (!s || !*s || strlen(s) > 256)
		return 0;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return 0;
	return 1;
}

typedef struct {
	docket_buf *b;
	docket_repo *repo;
	const char *rev;
	docket_config *cfg;
	int error;
} names_ctx;

static int known(names_ctx *c, const char *kind, const char *id)
{
	char key[288];
	int n = snprintf(key, sizeof(key), "\n%s\t%s\t", kind, id);

	/* ids are at most 256 bytes (plain_id), kinds a word: never cut */
	return n > 0 && (size_t)n < sizeof(key) && c->b->ptr && strstr(c->b->ptr, key) != NULL;
}

/* "\nKIND\tID\t" then the fields, each made one line, tab-separated. */
static int put_line(names_ctx *c, const char *kind, const char *id, const char *const *fields, size_t n)
{
	size_t i;

	if (docket_buf_printf(c->b, "\n%s\t%s", kind, id) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	for (i = 0; i < n; i++) {
		int error;
		if (docket_buf_puts(c->b, "\t") < 0)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		if ((error = docket_render_put_text(c->b, fields[i])) < 0)
			return error;
	}
	return 0;
}

static void add_unit(names_ctx *c, const char *id)
{
	docket_unit u;

	if (c->error || !c->cfg || !plain_id(id) || known(c, "unit", id))
		return;
	if (docket_config_unit(&u, c->cfg, id) == 0 && u.name && *u.name)
		c->error = put_line(c, "unit", id, &u.name, 1);
	docket_error_clear();
}

static void add_person(names_ctx *c, const char *id)
{
	docket_person p;

	if (c->error || !c->cfg || !plain_id(id) || known(c, "person", id))
		return;
	if (docket_config_person(&p, c->cfg, id) == 0 && p.name && *p.name)
		c->error = put_line(c, "person", id, &p.name, 1);
	docket_error_clear();
}

/* The unit and person attributes of the element at PATH under NODE (any may be absent). */
static void add_attrs(names_ctx *c, xmlNodePtr node, const char *path)
{
	xmlNodePtr n = path ? docket_xml_path(node, DOCKET_NS, path) : node;
	char *unit, *person;

	for (; n && !c->error; n = path ? docket_xml_next(n) : NULL) {
		unit = docket_attr(n, "unit");
		person = docket_attr(n, "person");
		add_unit(c, unit);
		add_person(c, person);
		free(unit);
		free(person);
	}
}

/* A plan's responsibilities, nested: each one's unit. */
static void add_responsibilities(names_ctx *c, xmlNodePtr parent)
{
	xmlNodePtr r;

	for (r = docket_xml_child(parent, DOCKET_NS, "responsibility"); r && !c->error; r = docket_xml_next(r)) {
		add_attrs(c, r, NULL);
		add_responsibilities(c, r);
	}
}

/*
 * The document ID as cited: "doc ID TYPE-CODE NUMBER NOTATION DATE SUBJECT". A plan's
 * indicators ("indicator ID NAME UNIT") and task groups ("group ID TITLE") too when
 * WITH_INDICATORS (a report's plan). A
 * document that is not in the repository at the revision is left out: the stylesheet
 * then prints what the citing document itself says.
 */
static void add_doc(names_ctx *c, const char *id, int with_indicators)
{
	docket_doc *d = NULL;
	xmlNodePtr root, h, plan, ind;
	char *f[5] = { NULL, NULL, NULL, NULL, NULL };
	int error;
	size_t i;

	if (c->error || !c->repo || !plain_id(id) || known(c, "doc", id))
		return;
	if ((error = docket_doc_load(&d, c->repo, id, c->rev)) < 0) {
		if (error != DOCKET_ENOTFOUND && error != DOCKET_EINVALID)
			c->error = error;
		else
			docket_error_clear();
		return;
	}
	root = xmlDocGetRootElement(docket_doc_xml(d));
	h = docket_xml_child(root, DOCKET_NS, "header");
	f[0] = docket_attr(docket_xml_child(h, DOCKET_NS, "type"), "code");
	f[1] = docket_xml_text_trim(docket_xml_path(h, DOCKET_NS, "code/number"));
	f[2] = docket_xml_text_trim(docket_xml_path(h, DOCKET_NS, "code/notation"));
	f[3] = docket_xml_text_trim(docket_xml_child(h, DOCKET_NS, "date"));
	f[4] = docket_xml_text_trim(docket_xml_child(h, DOCKET_NS, "subject"));
	c->error = put_line(c, "doc", id, (const char *const *)f, 5);
	plan = docket_xml_path(root, DOCKET_NS, "content/plan");
	for (ind = with_indicators ? docket_plan_next_indicator(plan, NULL) : NULL; ind && !c->error;
	     ind = docket_plan_next_indicator(plan, ind)) {
		char *iid = docket_attr(ind, "id");
		const char *g[2];
		char *name = docket_xml_text_trim(docket_xml_child(ind, DOCKET_NS, "name"));
		char *unit = docket_attr(ind, "unit");
		g[0] = name;
		g[1] = unit ? unit : "";
		if (plain_id(iid) && !known(c, "indicator", iid))
			c->error = put_line(c, "indicator", iid, g, 2);
		free(iid);
		free(name);
		free(unit);
	}
	/* and its task groups, which a report's narratives name by id */
	for (ind = with_indicators ? docket_xml_path(plan, DOCKET_NS, "tasks/group") : NULL; ind && !c->error;
	     ind = docket_xml_next(ind)) {
		char *gid = docket_attr(ind, "id"), *title = docket_attr(ind, "title");
		const char *g = title ? title : "";
		if (plain_id(gid) && !known(c, "group", gid))
			c->error = put_line(c, "group", gid, &g, 1);
		free(gid);
		free(title);
	}
	for (i = 0; i < 5; i++)
		free(f[i]);
	docket_doc_free(d);
}

int docket_render_names(docket_buf *b, docket_doc *doc, docket_repo *repo, const char *rev)
{
	names_ctx c = { b, repo, rev, NULL, 0 };
	xmlNodePtr root, h, content, n;
	char *s;
	int error;

	if (!repo || !doc)
		return 0;
	if ((error = docket_config_load(&c.cfg, repo, rev)) < 0) {
		/* no configuration (or an unreadable one): units and people keep their ids */
		if (error != DOCKET_ENOTFOUND && error != DOCKET_EINVALID)
			return error;
		docket_error_clear();
		c.cfg = NULL;
	}
	root = xmlDocGetRootElement(docket_doc_xml(doc));
	h = docket_xml_child(root, DOCKET_NS, "header");
	content = docket_xml_child(root, DOCKET_NS, "content");

	/* first the plan a report is on, so that its line comes with its indicators */
	if ((n = docket_xml_child(content, DOCKET_NS, "report")) != NULL) {
		s = docket_attr(docket_xml_child(n, DOCKET_NS, "plan"), "ref");
		add_doc(&c, s, 1);
		free(s);
		s = docket_xml_text_trim(docket_xml_child(n, DOCKET_NS, "unit"));
		add_unit(&c, s);
		free(s);
	}
	add_attrs(&c, h, "drafter");
	add_attrs(&c, h, "recipients/recipient");
	s = docket_xml_text_trim(docket_xml_path(h, DOCKET_NS, "signer/person"));
	add_person(&c, s);
	free(s);
	for (n = docket_xml_path(h, DOCKET_NS, "bases/basis"); n && !c.error; n = docket_xml_next(n)) {
		s = docket_attr(n, "ref");
		add_doc(&c, s, 0);
		free(s);
	}
	if ((n = docket_xml_child(content, DOCKET_NS, "task")) != NULL) {
		add_attrs(&c, n, "assigner");
		add_attrs(&c, n, "assignee");
		s = docket_attr(docket_xml_child(n, DOCKET_NS, "source"), "plan");
		add_doc(&c, s, 0);
		free(s);
	}
	if ((n = docket_xml_path(content, DOCKET_NS, "plan/responsibilities")) != NULL)
		add_responsibilities(&c, n);

	if (!c.error && b->len && docket_buf_puts(b, "\n") < 0)
		c.error = docket_error_set(DOCKET_ERROR, "out of memory");
	docket_config_free(c.cfg);
	return c.error;
}

int docket_render_text(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                       const char *rev)
{
	docket_buf names = DOCKET_BUF_INIT;
	char *xsl = NULL;
	size_t len = 0;
	int error = 0;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_text: no out");
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_text: no document");
	/* the repository's own stylesheet when it pins one, else the built-in */
	if (repo) {
		error = docket_repo_read(&xsl, &len, repo, rev, ".docket/schemas/text.xsl");
		if (error == DOCKET_ENOTFOUND)
			error = 0;
		else if (error < 0)
			goto cleanup;
	}
	if ((error = docket_render_names(&names, doc, repo, rev)) < 0)
		goto cleanup;
	error = docket_render_text_xsl(out, out_len, doc, xsl, len, ".docket/schemas/text.xsl", names.ptr);
cleanup:
	free(xsl);
	docket_buf_free(&names);
	return error;
}
