/*
 * check: the whole check of a document - what docket_validate() does. The document rules
 * of the xml layer (schema, kind, numbering, references inside the document) run first;
 * then the checks that need more than the document in memory: that each cited document
 * is in the repository, that the workflow steps are transitions of the workflow in force
 * and lead to the recorded state; then the checks a higher layer registered for a kind of
 * document (the drafting layer's plan targets), through docket_workflow_set_checks(), so
 * that this layer never calls up.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include "workflow_internal.h"

static const docket_kind_checks *registered;

void docket_workflow_set_checks(const docket_kind_checks *checks)
{
	registered = checks;
}

const docket_kind_checks *docket_workflow_checks(void)
{
	return registered;
}

/*
 * The state must be where the recorded steps lead: from the workflow's initial state, each
 * step leaving the state the one before reached, the last reaching @state. A state written
 * by hand ("approved" with no step that approved it) is not moved on: otherwise anyone who
 * can put a file in the repository skips the review and the approval.
 */
int docket_steps_lead_to_state(xmlNodePtr root, const char *initial, const char *state, docket_buf *why)
{
	xmlChar *at = xmlStrdup((const xmlChar *)initial);
	xmlNodePtr s;
	int ok = 1, n = 0;

	if (initial && !at) {
		/* not judged: refused, never let through */
		why->len = 0;
		docket_buf_puts(why, "out of memory");
		docket_error_set(DOCKET_ERROR, "out of memory");
		return 0;
	}

	for (s = docket_xml_child(docket_xml_child(root, DOCKET_NS, "workflow"), DOCKET_NS, "step"); s && ok; s = docket_xml_next(s)) {
		xmlChar *from = xmlGetNoNsProp(s, (const xmlChar *)"from");
		xmlChar *to = xmlGetNoNsProp(s, (const xmlChar *)"to");
		n++;
		if (!at || !from || !to || xmlStrcmp(from, at) != 0) {
			why->len = 0;
			docket_buf_printf(why, "its step %d leaves '%s', but the steps before it lead to '%s'", n,
			                  from ? (const char *)from : "", at ? (const char *)at : "");
			ok = 0;
		}
		xmlFree(from);
		xmlFree(at);
		at = to;
	}
	if (ok && (!at || strcmp((const char *)at, state) != 0)) {
		why->len = 0;
		if (n)
			docket_buf_printf(why, "its state is '%s', but its last step leads to '%s'", state,
			                  at ? (const char *)at : "");
		else
			docket_buf_printf(why, "its state is '%s', but it has no workflow steps (it would be in '%s')",
			                  state, initial);
		ok = 0;
	}
	xmlFree(at);
	return ok;
}

/* --- the rules beyond the document ---------------------------------------------------------- */

/*
 * What the rules beyond the document read from the repository, read once for many documents:
 * the revision resolved to its commit (every document judged at one commit, even when the
 * branch moves meanwhile), the configuration, and the workflow definition of each kind. One
 * validator per repository handle: it is used by one thread at a time.
 */
#define VALIDATOR_KINDS 16

struct docket_validator {
	docket_schema *schema; /* borrowed */
	docket_repo *repo;     /* borrowed */
	const char *rev;       /* the caller's, or COMMIT */
	char commit[41];
	int cfg_read;          /* 0 not yet, 1 read (CFG NULL when it could not be) */
	docket_config *cfg;
	struct {
		char kind[48];       /* long enough for any kind whose path fits in 64 bytes */
		docket_workflow *wf; /* NULL: no definition, or a broken one */
	} wfs[VALIDATOR_KINDS];
	size_t nwfs;
};

typedef struct {
	docket_findings *out;
	docket_doc *doc;
	xmlNodePtr root;
	docket_repo *repo;
	const char *rev;
	docket_validator *v;
	int error;
} ctx;

/* The definition of KIND in force at V's revision (borrowed from V, or into *OWNED when V's
 * table is full), NULL when there is none or it does not parse. */
static docket_workflow *validator_workflow(docket_validator *v, const char *kind, docket_workflow **owned)
{
	char path[64], *buf = NULL;
	size_t len = 0, i;
	docket_workflow *wf = NULL;

	*owned = NULL;
	if (!kind || snprintf(path, sizeof(path), ".docket/workflows/%s.xml", kind) >= (int)sizeof(path))
		return NULL;
	for (i = 0; i < v->nwfs; i++)
		if (strcmp(v->wfs[i].kind, kind) == 0)
			return v->wfs[i].wf;
	if (docket_repo_read(&buf, &len, v->repo, v->rev, path) == 0 &&
	    docket_workflow_parse(&wf, NULL, NULL, buf, len, path) < 0)
		wf = NULL;
	docket_error_clear();
	free(buf);
	if (v->nwfs == VALIDATOR_KINDS) {
		*owned = wf;
		return wf;
	}
	snprintf(v->wfs[v->nwfs].kind, sizeof(v->wfs[0].kind), "%s", kind);
	v->wfs[v->nwfs++].wf = wf;
	return wf;
}

static const docket_config *validator_config(docket_validator *v)
{
	if (!v->cfg_read) {
		v->cfg_read = 1;
		if (docket_config_load(&v->cfg, v->repo, v->rev) < 0)
			v->cfg = NULL;
		docket_error_clear();
	}
	return v->cfg;
}

int docket_validator_new(docket_validator **out, docket_schema *schema, docket_repo *repo, const char *rev)
{
	docket_validator *v;
	int error;

	*out = NULL;
	if (!repo)
		return docket_error_set(DOCKET_EUSAGE, "docket_validator_new: a repository is required");
	if (!(v = calloc(1, sizeof(*v))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = docket_repo_resolve(v->commit, repo, rev)) < 0) {
		free(v);
		return error;
	}
	v->schema = schema;
	v->repo = repo;
	v->rev = v->commit;
	*out = v;
	return 0;
}

const char *docket_validator_commit(const docket_validator *v)
{
	return v->commit;
}

void docket_validator_free(docket_validator *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->nwfs; i++)
		docket_workflow_free(v->wfs[i].wf);
	docket_config_free(v->cfg);
	free(v);
}

#define report(c, node, attrname, ...) \
	do { \
		if (docket_findings_add_at((c)->out, (c)->doc, (node), (attrname), __VA_ARGS__) < 0) \
			(c)->error = DOCKET_ERROR; \
	} while (0)

/*
 * The state is where the steps lead: a hand-written state="approved" on a document that
 * was never submitted would otherwise skip the whole workflow. Each step must also be a
 * transition of the workflow in force (the repository's, else the built-in one).
 */
static void rule_workflow_with(ctx *c, xmlNodePtr wfn, const char *kind, const char *state,
                               const docket_workflow *wf);

static void rule_workflow(ctx *c)
{
	xmlNodePtr wfn = docket_xml_child(c->root, DOCKET_NS, "workflow");
	const char *kind = docket_doc_kind(c->doc), *state = docket_doc_state(c->doc);
	docket_workflow *wf = NULL;
	int error;

	if (!wfn || !kind || !state)
		return;
	if (c->repo) {
		/* the definition in force, without compiling workflow.xsd again for every document:
		 * the definition itself is checked when it is validated or used by the engine */
		docket_workflow *owned = NULL;
		wf = validator_workflow(c->v, kind, &owned);
		if (!wf)
			return;
		rule_workflow_with(c, wfn, kind, state, wf);
		docket_workflow_free(owned);
		return;
	} else {
		char path[64];
		const docket_data_file *f;
		snprintf(path, sizeof(path), "workflows/%s.xml", kind);
		f = docket_data_get(path);
		error = f ? docket_workflow_parse(&wf, NULL, NULL, (const char *)f->data, f->len, path) : DOCKET_ENOTFOUND;
	}
	docket_error_clear();
	if (error < 0 || !wf)
		return; /* an unknown kind or a broken workflow is reported on its own */
	rule_workflow_with(c, wfn, kind, state, wf);
	docket_workflow_free(wf);
}

static void rule_workflow_with(ctx *c, xmlNodePtr wfn, const char *kind, const char *state,
                               const docket_workflow *wf)
{
	docket_buf why = DOCKET_BUF_INIT;

	if (!docket_workflow_has_state(wf, state)) {
		report(c, wfn, "state", "the state '%s' is not a state of the %s workflow", state, kind);
	} else if (!docket_steps_lead_to_state(c->root, docket_workflow_initial(wf), state, &why)) {
		report(c, wfn, "state", "the workflow steps do not lead to the state: %s", why.ptr);
	} else {
		int first = 1;
		for (xmlNodePtr s = docket_xml_child(wfn, DOCKET_NS, "step"); s; s = docket_xml_next(s), first = 0) {
			char *tr = docket_attr(s, "transition"), *from = docket_attr(s, "from"), *to = docket_attr(s, "to");
			const docket_transition_def *t = docket_workflow_transition(wf, tr);
			int from_ok = 0;
			for (const char *const *f = t ? t->from : NULL; f && *f; f++)
				from_ok |= from && strcmp(*f, from) == 0;
			if (tr && strcmp(tr, DOCKET_IMPORT_TRANSITION) == 0 && !t) {
				/* a document issued outside docket enters issued: only as its first step,
				 * from the initial state to where the numbering transition leads */
				const docket_transition_def *nt = docket_workflow_numbering(wf);
				if (!first || !nt || !from || strcmp(from, docket_workflow_initial(wf)) || !to ||
				    strcmp(to, nt->to))
					report(c, s, "transition", "step 'import' from '%s' to '%s' is not how the %s workflow "
					       "records an issued document (the first step, from '%s' to '%s')", from ? from : "",
					       to ? to : "", kind, docket_workflow_initial(wf), nt ? nt->to : "?");
			} else if (!t || !from_ok || !to || strcmp(t->to, to) != 0)
				report(c, s, "transition", "step '%s' from '%s' to '%s' is not a transition of the %s workflow",
				       tr ? tr : "", from ? from : "", to ? to : "", kind);
			free(tr);
			free(from);
			free(to);
		}
	}
	docket_buf_free(&why);
}

int docket_issuer_known(const docket_config *cfg, const char *abbr)
{
	docket_org org;
	size_t i;

	docket_config_org(&org, cfg);
	if (!org.abbr || !*org.abbr)
		return 1; /* an organisation not set up yet: nothing to judge by */
	if (!abbr || strcmp(abbr, org.abbr) == 0)
		return 1;
	for (i = 0; i < docket_config_unit_count(cfg); i++) {
		docket_unit u;
		char code[128];
		size_t o = 0;
		if (docket_config_unit_at(&u, cfg, i) < 0 || !u.id)
			continue;
		for (const char *p = u.id; *p && o + 1 < sizeof(code); p++)
			if (*p != '-' && *p != '_' && *p != '.')
				code[o++] = *p;
		code[o] = '\0';
		if (strcmp(abbr, u.id) == 0 || strcmp(abbr, code) == 0)
			return 1;
	}
	return 0;
}

/*
 * The issuer of a numbered document is the organisation or one of its units, as configured:
 * its abbreviation is the organisation's, or a unit's code (a unit issues under its id,
 * letters and digits kept: "TH-QT" as "THQT"). A draft may name any issuer (a decision
 * drafted for the People's Committee to sign); once it carries a number, the repository's
 * registers hold it as issued here. Judged once the organisation has an abbreviation.
 */
static void rule_issuer(ctx *c)
{
	xmlNodePtr header = docket_xml_child(c->root, DOCKET_NS, "header");
	xmlNodePtr abbr_node = docket_xml_path(header, DOCKET_NS, "issuer/abbr");
	char *abbr = docket_xml_text_trim(abbr_node), *num = docket_xml_text_trim(docket_xml_path(header, DOCKET_NS, "code/number"));
	const docket_config *cfg = NULL;
	docket_workflow *owned = NULL, *wf;
	docket_org org;

	if (!abbr || !*abbr || !num || !*num)
		goto done;
	wf = validator_workflow(c->v, docket_doc_kind(c->doc), &owned);
	if (!wf || !docket_workflow_numbering(wf) || !(cfg = validator_config(c->v)))
		goto done;
	docket_config_org(&org, cfg);
	if (!docket_issuer_known(cfg, abbr))
		report(c, abbr_node, NULL, "the issuer '%s' of this numbered document is neither the organisation ('%s') "
		       "nor one of its units (see 'docket org show' and 'docket unit list')", abbr, org.abbr);
done:
	docket_error_clear();
	docket_workflow_free(owned);
	free(abbr);
	free(num);
}

/* A cited document exists in the repository at the revision checked. */
static int resolve_ref(void *payload, const char *ref)
{
	ctx *c = payload;
	char *path = NULL;
	int error = docket_doc_find(&path, c->repo, ref, c->rev);

	free(path);
	return error;
}

/* --- entry points -------------------------------------------------------------------------- */

int docket_validate(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                    docket_repo *repo, const char *rev)
{
	return docket_validate_flags(findings, schema, doc, repo, rev, 0);
}

/* docket_validate_flags with the repository's files read through V (NULL: without a repository) */
static int validate_with(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                         docket_validator *v, unsigned flags)
{
	ctx c;
	int no_refs = (flags & DOCKET_VALIDATE_NO_REFS) != 0, rules_ran = 0;
	docket_repo *repo = v ? v->repo : NULL;
	const char *rev = v ? v->rev : NULL;

	memset(&c, 0, sizeof(c));
	c.out = findings;
	c.doc = doc;
	c.root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	c.repo = repo;
	c.rev = rev;
	c.v = v;
	c.error = docket_doc_check(findings, schema, doc, repo && !no_refs ? resolve_ref : NULL, &c,
	                           &rules_ran);
	if (!rules_ran)
		return c.error;
	rule_workflow(&c);
	if (repo && !no_refs)
		rule_issuer(&c);
	/* the checks of the layers above (drafting: a plan's targets are not weaker than those
	 * of the plan it carries out) */
	if (!c.error && repo && !no_refs && registered && registered->validate &&
	    registered->validate(findings, doc, repo, rev) < 0)
		c.error = DOCKET_ERROR;
	return c.error;
}

int docket_validate_flags(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                          docket_repo *repo, const char *rev, unsigned flags)
{
	/* one document: the caller's revision as it is, read for this document only */
	docket_validator v;
	int error;

	if (!repo)
		return validate_with(findings, schema, doc, NULL, flags);
	memset(&v, 0, sizeof(v));
	v.schema = schema;
	v.repo = repo;
	v.rev = rev;
	error = validate_with(findings, schema, doc, &v, flags);
	for (size_t i = 0; i < v.nwfs; i++)
		docket_workflow_free(v.wfs[i].wf);
	docket_config_free(v.cfg);
	return error;
}

static int parse_finding(docket_doc **out, docket_findings *findings, const char *buf, size_t len,
                         const char *name);

int docket_validator_check(docket_validator *v, docket_findings *findings, const char *buf, size_t len,
                           const char *name)
{
	docket_doc *doc = NULL;
	int error;

	if ((error = parse_finding(&doc, findings, buf, len, name)) != 0 || !doc)
		return error;
	error = validate_with(findings, v->schema, doc, v, 0);
	docket_doc_free(doc);
	return error;
}

/* Parse BUF into *OUT; a parse failure becomes a finding (and *OUT NULL). */
static int parse_finding(docket_doc **out, docket_findings *findings, const char *buf, size_t len,
                         const char *name)
{
	int error;

	*out = NULL;
	if ((error = docket_doc_parse(out, buf, len, name)) < 0) {
		const char *msg = docket_error_last();
		int line = 1, col = 1;
		const char *rest = msg;
		size_t nlen = strlen(name);
		/* parse errors come as "NAME:LINE:COL: message" */
		if (strncmp(msg, name, nlen) == 0 && sscanf(msg + nlen, ":%d:%d:", &line, &col) == 2) {
			rest = strstr(msg + nlen + 1, ": ");
			rest = rest ? rest + 2 : msg;
		}
		if (error != DOCKET_EINVALID)
			return error;
		return docket_findings_add(findings, name, line, col, "%s", rest);
	}
	return 0;
}

int docket_validate_buffer(docket_findings *findings, docket_schema *schema, const char *buf,
                           size_t len, const char *name, docket_repo *repo, const char *rev)
{
	docket_doc *doc = NULL;
	int error;

	if ((error = parse_finding(&doc, findings, buf, len, name)) != 0 || !doc)
		return error;
	error = docket_validate(findings, schema, doc, repo, rev);
	docket_doc_free(doc);
	return error;
}

/* --- links after issue (docket replace / correct) ------------------------------------------ */

static char *text_at(xmlNodePtr root, const char *path)
{
	xmlNodePtr n = docket_xml_path(root, DOCKET_NS, path);
	return n ? docket_xml_text_trim(n) : NULL;
}

int docket_link_check(docket_buf *why, docket_doc *old, docket_doc *linked, const char *linked_state,
                      const docket_transition_def *t)
{
	xmlNodePtr oroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old));
	xmlNodePtr lroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(linked));
	const char *oid = docket_doc_id(old), *lid = docket_doc_id(linked);
	char *oabbr = text_at(oroot, "header/issuer/abbr"), *labbr = text_at(lroot, "header/issuer/abbr");
	char *number = text_at(lroot, "header/code/number");
	const char *what = strcmp(t->link, "replaces") == 0 ? "the replacement" : "the correcting letter";
	int ok = 0, in_from = 0, stated = 0;
	xmlNodePtr n;

	why->len = 0;
	for (const char *const *f = t->from; f && *f; f++)
		in_from |= linked_state && strcmp(*f, linked_state) == 0;
	if (!oid || !lid || strcmp(oid, lid) == 0) {
		docket_buf_printf(why, "a document cannot be %s", strcmp(t->link, "replaces") == 0 ?
		                  "replaced by itself" : "corrected by itself");
		goto done;
	}
	if (!in_from) {
		docket_buf_printf(why, "%s '%s' is in the state '%s'; it must be issued (in the state '%s') first",
		                  what, lid, linked_state ? linked_state : "none", t->from && t->from[0] ? t->from[0] : "?");
		goto done;
	}
	if (!number || !*number) {
		docket_buf_printf(why, "%s '%s' has no number: it was never issued", what, lid);
		goto done;
	}
	if (!oabbr || !labbr || strcmp(oabbr, labbr) != 0) {
		docket_buf_printf(why, "%s '%s' is issued by '%s', not by the issuer of '%s' ('%s')", what, lid,
		                  labbr ? labbr : "nobody", oid, oabbr ? oabbr : "nobody");
		goto done;
	}
	for (n = docket_xml_child(docket_xml_child(lroot, DOCKET_NS, "header"), DOCKET_NS, "amends"); n && !stated;
	     n = docket_xml_next(n)) {
		xmlChar *rel = xmlGetNoNsProp(n, (const xmlChar *)"relation"), *ref = xmlGetNoNsProp(n, (const xmlChar *)"ref");
		stated = rel && ref && strcmp((const char *)rel, t->link) == 0 && strcmp((const char *)ref, oid) == 0;
		xmlFree(rel);
		xmlFree(ref);
		if (stated) {
			/* the number and date it prints must be the old document's own */
			xmlChar *code = xmlGetNoNsProp(n, (const xmlChar *)"code"), *date = xmlGetNoNsProp(n, (const xmlChar *)"date");
			char *onum = text_at(oroot, "header/code/number"), *onot = text_at(oroot, "header/code/notation");
			char *odate = text_at(oroot, "header/date");
			docket_buf ocode = DOCKET_BUF_INIT;
			docket_buf_printf(&ocode, "%s/%s", onum ? onum : "", onot ? onot : "");
			if (code && (!ocode.ptr || strcmp((const char *)code, ocode.ptr) != 0))
				docket_buf_printf(why, "%s '%s' names '%s' as %s, but '%s' is %s", what, lid, oid,
				                  (const char *)code, oid, ocode.ptr ? ocode.ptr : "unnumbered");
			else if (date && (!odate || strcmp((const char *)date, odate) != 0))
				docket_buf_printf(why, "%s '%s' dates '%s' %s, but '%s' is dated %s", what, lid, oid,
				                  (const char *)date, oid, odate ? odate : "nothing");
			xmlFree(code);
			xmlFree(date);
			free(onum);
			free(onot);
			free(odate);
			docket_buf_free(&ocode);
			if (why->len)
				goto done;
		}
	}
	if (!stated) {
		docket_buf_printf(why, "%s '%s' does not state that it %s '%s' (its header needs <amends "
		                  "relation=\"%s\" ref=\"%s\"/>)", what, lid, t->link, oid, t->link, oid);
		goto done;
	}
	/* one link per document: a letter that corrects twice is one correction */
	for (n = docket_xml_child(docket_xml_child(oroot, DOCKET_NS, "workflow"), DOCKET_NS, "step"); n;
	     n = docket_xml_next(n)) {
		xmlChar *ref = xmlGetNoNsProp(n, (const xmlChar *)"ref");
		int dup = ref && strcmp((const char *)ref, lid) == 0;
		xmlFree(ref);
		if (dup) {
			docket_buf_printf(why, "'%s' is already linked to '%s' by an earlier step", oid, lid);
			goto done;
		}
	}
	ok = 1;
done:
	free(oabbr);
	free(labbr);
	free(number);
	return ok;
}

/* --- numbers, repository-wide --------------------------------------------------------------- */

/* A document's number as the rule across documents sees it. */
struct docket_number_use {
	char *file;
	int line, col; /* of its <number> */
	char *key;     /* "ABBR|SERIES|YEAR|NUMBER" */
	char *what;    /* "the number N/NOTATION of ABBR in YEAR" */
};

void docket_number_use_free(docket_number_use *u)
{
	if (!u)
		return;
	free(u->file);
	free(u->key);
	free(u->what);
	free(u);
}

/*
 * The number DOC (at PATH) carries, into *OUT; *OUT NULL when it carries none this
 * repository gives (NUMBERED: its kind's workflow numbers documents). 0 or DOCKET_ERROR.
 */
static int number_use_of(docket_number_use **out, docket_doc *doc, const char *path, int numbered)
{
	char *num = NULL, *abbr = NULL, *date = NULL, *nota = NULL;
	docket_buf key = DOCKET_BUF_INIT, what = DOCKET_BUF_INIT;
	docket_number_use *u = NULL;
	xmlChar *secrecy = NULL;
	xmlNodePtr header, numnode;
	char year[5] = "";
	int error = 0;

	*out = NULL;
	header = docket_xml_child(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "header");
	numnode = docket_xml_path(header, DOCKET_NS, "code/number");
	num = docket_xml_text_trim(numnode);
	nota = docket_xml_text_trim(docket_xml_path(header, DOCKET_NS, "code/notation"));
	abbr = docket_xml_text_trim(docket_xml_path(header, DOCKET_NS, "issuer/abbr"));
	date = docket_xml_text_trim(docket_xml_child(header, DOCKET_NS, "date"));
	if (!num || !*num || !abbr || !numbered)
		goto done;
	if (date && strlen(date) >= 4)
		memcpy(year, date, 4);
	else if (strncmp(path, "documents/", 10) == 0) {
		/* a draft carries no date yet: the year of its folder, documents/<kind>/<year>/ */
		const char *y = strchr(path + 10, '/');
		if (y && strlen(y) > 5)
			memcpy(year, y + 1, 4);
	}
	if (docket_xml_child(header, DOCKET_NS, "marks"))
		secrecy = xmlGetNoNsProp(docket_xml_child(header, DOCKET_NS, "marks"), (const xmlChar *)"secrecy");
	if (!(u = calloc(1, sizeof(*u))) || !(u->file = docket_strdup(docket_doc_name(doc))) ||
	    docket_buf_printf(&key, "%s|%s|%s|%s", abbr, secrecy && strcmp((const char *)secrecy, "none") ?
	                      "secret" : "", year, num) < 0 ||
	    docket_buf_printf(&what, "the number %s/%s of %s in %s", num, nota ? nota : "", abbr,
	                      *year ? year : "?") < 0) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto done;
	}
	docket_doc_position(doc, numnode, NULL, &u->line, &u->col);
	u->key = key.ptr;
	u->what = what.ptr;
	key = (docket_buf)DOCKET_BUF_INIT;
	what = (docket_buf)DOCKET_BUF_INIT;
	*out = u;
	u = NULL;
done:
	docket_number_use_free(u);
	xmlFree(secrecy);
	docket_buf_free(&key);
	docket_buf_free(&what);
	free(num);
	free(nota);
	free(abbr);
	free(date);
	return error;
}

int docket_validator_check_number(docket_validator *v, docket_findings *findings, const char *buf,
                                  size_t len, const char *name, docket_number_use **number)
{
	docket_doc *doc = NULL;
	docket_workflow *owned = NULL, *wf;
	int error;

	*number = NULL;
	if ((error = parse_finding(&doc, findings, buf, len, name)) != 0 || !doc)
		return error;
	if ((error = validate_with(findings, v->schema, doc, v, 0)) >= 0) {
		int e;
		wf = validator_workflow(v, docket_doc_kind(doc), &owned);
		if ((e = number_use_of(number, doc, name, wf && docket_workflow_numbering(wf))) < 0)
			error = e;
		docket_workflow_free(owned);
	}
	docket_doc_free(doc);
	return error;
}

struct docket_numbers {
	xmlHashTablePtr seen;   /* key -> the path that carried it first (malloc'd) */
	xmlHashTablePtr faulty; /* the files judged invalid: left out */
};

static void free_seen(void *payload, const xmlChar *name)
{
	(void)name;
	free(payload);
}

void docket_numbers_free(docket_numbers *ns)
{
	if (!ns)
		return;
	xmlHashFree(ns->seen, free_seen);
	xmlHashFree(ns->faulty, NULL);
	free(ns);
}

int docket_numbers_new(docket_numbers **out, const docket_findings *faulty)
{
	docket_numbers *ns;

	*out = NULL;
	if (!(ns = calloc(1, sizeof(*ns))) || !(ns->seen = xmlHashCreate(0)) || !(ns->faulty = xmlHashCreate(0))) {
		docket_numbers_free(ns);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	for (size_t i = 0; faulty && i < docket_findings_count(faulty); i++) {
		const docket_finding *f = docket_findings_get(faulty, i);
		if (f->file && !xmlHashLookup(ns->faulty, (const xmlChar *)f->file) &&
		    xmlHashAddEntry(ns->faulty, (const xmlChar *)f->file, (void *)1) < 0) {
			docket_numbers_free(ns);
			return docket_error_set(DOCKET_ERROR, "out of memory");
		}
	}
	*out = ns;
	return 0;
}

int docket_numbers_add(docket_numbers *ns, docket_findings *findings, const docket_number_use *u)
{
	const char *prev;
	char *v;

	/* a document's annexes (ID.annexes/NAME) are files, never documents, whatever their name;
	 * an invalid document: its own findings say what is wrong with it */
	if (!u || strstr(u->file, ".annexes/") || xmlHashLookup(ns->faulty, (const xmlChar *)u->file))
		return 0;
	if ((prev = xmlHashLookup(ns->seen, (const xmlChar *)u->key)) != NULL)
		return docket_findings_add(findings, u->file, u->line, u->col, "%s is carried by %s too: a number "
		                           "is given once per issuer and year", u->what, prev);
	if (!(v = docket_strdup(u->file)) || xmlHashAddEntry(ns->seen, (const xmlChar *)u->key, v) < 0) {
		free(v);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return 0;
}

typedef struct {
	docket_validator *v;
	docket_numbers *ns;
	docket_findings *out;
	int error;
} numbers_ctx;

static int number_one(const char *path, void *payload)
{
	numbers_ctx *n = payload;
	char *buf = NULL;
	size_t len = 0;
	docket_doc *doc = NULL;
	docket_number_use *u = NULL;
	docket_workflow *owned = NULL, *wf;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0 || strstr(path, ".annexes/"))
		return 0;
	if (docket_repo_read(&buf, &len, n->v->repo, n->v->rev, path) < 0 || docket_doc_parse(&doc, buf, len, path) < 0)
		goto done; /* reported by the document's own validation */
	wf = validator_workflow(n->v, docket_doc_kind(doc), &owned);
	if ((n->error = number_use_of(&u, doc, path, wf && docket_workflow_numbering(wf))) == 0 &&
	    docket_numbers_add(n->ns, n->out, u) < 0)
		n->error = DOCKET_ERROR;
done:
	docket_error_clear();
	docket_number_use_free(u);
	docket_workflow_free(owned);
	docket_doc_free(doc);
	free(buf);
	return n->error ? 1 : 0;
}

int docket_validate_numbers(docket_findings *findings, docket_repo *repo, const char *rev)
{
	numbers_ctx n;
	int error;

	if (!findings || !repo)
		return docket_error_set(DOCKET_EUSAGE, "docket_validate_numbers: findings and a repository are required");
	memset(&n, 0, sizeof(n));
	n.out = findings;
	if ((error = docket_validator_new(&n.v, NULL, repo, rev)) < 0)
		return error;
	if ((error = docket_numbers_new(&n.ns, findings)) < 0) {
		docket_validator_free(n.v);
		return error;
	}
	error = docket_repo_walk(repo, n.v->rev, "documents/", number_one, &n);
	docket_numbers_free(n.ns);
	docket_validator_free(n.v);
	return n.error ? n.error : error < 0 ? error : 0;
}
