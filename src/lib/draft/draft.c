/*
 * draft: new documents from templates, and the department's plan cascaded to its units -
 * the unit's own plan drafted from the department's, task assignments drawn from the plan's
 * responsibilities, the skeleton of each unit's annual report.
 *
 * Every command works the same way. C gathers what the document must say into template
 * variables (the issuing body and place from the configuration, today's date, the parent
 * plan's indicators and targets, ...); then, inside one repository transaction, each new
 * document gets a fresh id "<prefix>-<year>-<unit>-<n>" that no document at the base commit
 * has, the template read at that commit is filled, the result validated against the schemas
 * pinned at that commit, and all of it written in one commit. A lost race re-runs the whole
 * thing on the new tip, so ids never collide and a refused command writes nothing.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draft_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

/* --- jobs: documents to write in one transaction ---------------------------------------- */

void docket_job_clear(docket_job *j)
{
	docket_tpl_vars_free(j->vars);
	free(j->unit);
	free(j->id_unit);
	free(j->id);
	free(j->path);
	free(j->section);
	free(j->replace);
	memset(j, 0, sizeof(*j));
}

static const char *kind_prefix(const char *kind)
{
	return strcmp(kind, "plan") == 0 ? "kh" : strcmp(kind, "report") == 0 ? "bc" : strcmp(kind, "document") == 0 ? "vb" : "nv";
}

/* "kh-2021-th-qt-": the id of a document less its number. */
static int id_stem(docket_buf *b, const docket_job *j)
{
	size_t i, start;
	char folder[65];
	/* a unit in Vietnamese letters by its ASCII folder name: "BCĐ" gives "bcd" */
	const char *unit = j->id_unit && docket_unit_folder(folder, sizeof(folder), j->id_unit) == 0 ? folder : j->id_unit;

	b->len = 0;
	if (docket_buf_printf(b, "%s-%04d-", kind_prefix(j->kind), j->year) < 0)
		return DOCKET_ERROR;
	start = b->len;
	for (i = 0; unit && unit[i] && b->len - start < 40; i++) {
		unsigned char c = (unsigned char)unit[i];
		char o = isalnum(c) ? (char)tolower(c) : (c == '.' || c == '_' || c == '-') ? (char)c : '-';
		if (docket_buf_put(b, &o, 1) < 0)
			return DOCKET_ERROR;
	}
	if (b->len == start && docket_buf_puts(b, "x") < 0)
		return DOCKET_ERROR;
	return docket_buf_puts(b, "-");
}

typedef struct {
	char **ids;
	size_t n, cap;
	int error;
} idset;

static int idset_add(idset *s, const char *id, size_t len)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		char **p = realloc(s->ids, cap * sizeof(*p));
		if (!p)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		s->ids = p;
		s->cap = cap;
	}
	if (!(s->ids[s->n] = docket_strndup(id, len)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	s->n++;
	return 0;
}

static void idset_free(idset *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

/* Collect an id (from the id index) that could collide with our scheme. */
static int collect_id(const char *id, size_t idlen, const char *path, void *payload)
{
	idset *s = payload;

	(void)path;
	if (idset_add(s, id, idlen) < 0) {
		s->error = DOCKET_ERROR;
		return 1;
	}
	return 0;
}

/* The next number after every "STEM<n>" in IDS. */
static unsigned long next_number(const idset *s, const char *stem)
{
	size_t i, sl = strlen(stem);
	unsigned long max = 0;

	for (i = 0; i < s->n; i++) {
		const char *rest = s->ids[i] + sl;
		char *end;
		unsigned long n;
		if (strncmp(s->ids[i], stem, sl) || !isdigit((unsigned char)*rest))
			continue;
		n = strtoul(rest, &end, 10);
		if (*end == '\0' && n > max)
			max = n;
	}
	return max + 1;
}

typedef struct {
	docket_job *jobs;
	size_t n;
	const char *actor;
	const char *subject;       /* the commit's first line after "docket: " */
	docket_findings *findings;
	/* jobs sent at once: what the engine would check, read at the base commit */
	docket_config *cfg;
	docket_workflow *wf;
	const docket_transition_def *send;
	const char *role;
	char *now;
} job_batch;

/*
 * Take B->send on the new document NAMED (filled as FILLED) the way the engine would:
 * from the initial state, by the batch's actor in a role the transition allows. The new text
 * replaces *FILLED.
 */
static int send_job(job_batch *b, docket_doc *named, char **filled, size_t *flen)
{
	docket_person p;
	docket_buf why = DOCKET_BUF_INIT;
	const docket_transition_def *t = b->send;
	const char *initial = docket_workflow_initial(b->wf), *role;
	char *unit = NULL, *out = NULL;
	size_t olen = 0;
	int from_ok = 0, error;

	if (docket_doc_drafting_unit(&unit, named) < 0)
		docket_error_clear();

	for (const char *const *f = t->from; f && *f; f++)
		from_ok |= strcmp(*f, initial) == 0;
	if (!from_ok) {
		error = docket_error_set(DOCKET_EUSAGE, "the %s workflow's '%s' does not leave '%s'", b->jobs->kind, t->id,
		                         initial);
		goto cleanup;
	}
	if (docket_config_person(&p, b->cfg, b->actor) < 0 ||
	    !(role = docket_authorise(t, &p, b->cfg, named, unit, &why))) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s the tasks: %s (draft them with --draft; the "
		                         "unit's head sends them)", t->id, why.ptr ? why.ptr : "not a person");
		goto cleanup;
	}
	b->role = role;
	if ((error = docket_doc_take_step(docket_doc_root(named), initial, b->now, b->actor, role, t->id, initial,
	                                  t->to, NULL)) < 0 ||
	    (error = docket_doc_serialize(&out, &olen, named)) < 0)
		goto cleanup;
	free(*filled);
	*filled = out;
	*flen = olen;
	out = NULL;
cleanup:
	free(unit);
	free(out);
	docket_buf_free(&why);
	return error;
}

/*
 * A draft rewritten in place keeps what only the engine writes: the workflow element of the
 * version at PATH goes into DOC, whose new text replaces *FILLED.
 */
static int keep_workflow(docket_txn *txn, const char *path, docket_doc *doc, char **filled, size_t *flen)
{
	docket_doc *old = NULL;
	char *buf = NULL, *out = NULL;
	size_t len = 0, olen = 0;
	xmlNodePtr owf, nwf, root = docket_doc_root(doc);
	int error;

	if ((error = docket_txn_read(&buf, &len, txn, path)) < 0 || (error = docket_doc_parse(&old, buf, len, path)) < 0)
		goto cleanup;
	if ((nwf = DN(root, "workflow")) != NULL) {
		xmlUnlinkNode(nwf);
		xmlFreeNode(nwf);
	}
	if ((owf = DN(docket_doc_root(old), "workflow")) != NULL) {
		xmlNodePtr copy = xmlDocCopyNode(owf, root->doc, 1), content = DN(root, "content");
		if (!copy) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		if (content) {
			xmlAddNextSibling(content, copy);
			xmlAddPrevSibling(copy, xmlNewDocText(root->doc, (const xmlChar *)"\n  "));
		} else {
			xmlAddChild(root, copy);
		}
	}
	if ((error = docket_doc_serialize(&out, &olen, doc)) < 0)
		goto cleanup;
	free(*filled);
	*filled = out;
	*flen = olen;
	out = NULL;
cleanup:
	free(buf);
	free(out);
	docket_doc_free(old);
	return error;
}

static int write_job(docket_txn *txn, docket_job *j, docket_schema *schema, idset *ids,
                     docket_findings *findings, const char *fallback_year, job_batch *b)
{
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn);
	docket_buf stem = DOCKET_BUF_INIT, tpath = DOCKET_BUF_INIT;
	char *tpl = NULL, *filled = NULL, *existing = NULL;
	size_t tlen = 0, flen = 0, before = docket_findings_count(findings), elen = 0;
	docket_doc *doc = NULL, *named = NULL;
	int error;

	free(j->id);
	free(j->path);
	j->id = j->path = NULL;
	if (j->replace) {
		if ((error = docket_buf_puts(&stem, j->replace)) < 0)
			goto cleanup;
	} else if ((error = id_stem(&stem, j)) < 0 ||
	           /* the ids STEM<n> already given: a range of the id index, not a walk */
	           (error = docket_ids_each(repo, base[0] ? base : NULL, stem.ptr, 1, collect_id, ids)) < 0 ||
	           (error = ids->error) < 0 ||
	           (error = docket_buf_printf(&stem, "%lu", next_number(ids, stem.ptr))) < 0 ||
	           (error = idset_add(ids, stem.ptr, stem.len)) < 0) {
		goto cleanup;
	}
	if (!(j->id = docket_strdup(stem.ptr))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if ((error = docket_tpl_vars_set(j->vars, "id", j->id)) < 0 ||
	    (error = docket_buf_printf(&tpath, DOCKET_TEMPLATE_DIR "%s.xml", j->template_name)) < 0)
		goto cleanup;
	if ((error = docket_txn_read(&tpl, &tlen, txn, tpath.ptr)) < 0) {
		if (error == DOCKET_ENOTFOUND)
			error = docket_error_set(DOCKET_ENOTFOUND, "no template '%s' (%s) in the repository; "
			                         "see 'docket new --list'", j->template_name, tpath.ptr);
		goto cleanup;
	}
	if ((error = docket_template_fill(&filled, &flen, tpl, tlen, tpath.ptr, j->vars)) < 0)
		goto cleanup;
	if ((error = docket_doc_parse(&doc, filled, flen, tpath.ptr)) < 0)
		goto cleanup;
	if (!docket_doc_kind(doc) || strcmp(docket_doc_kind(doc), j->kind)) {
		error = docket_error_set(DOCKET_EUSAGE, "the template '%s' makes a %s, not a %s", j->template_name,
		                         docket_doc_kind(doc) ? docket_doc_kind(doc) : "document of no kind", j->kind);
		goto cleanup;
	}
	if (j->replace) {
		if ((error = docket_doc_find(&j->path, repo, j->replace, base)) < 0 ||
		    (error = keep_workflow(txn, j->path, doc, &filled, &flen)) < 0)
			goto cleanup;
	} else if ((error = docket_doc_path(&j->path, doc, fallback_year, j->unit)) < 0) {
		goto cleanup;
	}
	/* findings name the file the document would be */
	if ((error = docket_doc_parse(&named, filled, flen, j->path)) < 0 ||
	    (error = docket_validate(findings, schema, named, repo, base)) < 0)
		goto cleanup;
	if (docket_findings_count(findings) > before) {
		error = docket_error_set(DOCKET_EINVALID, "the template '%s' filled for '%s' is not a valid document",
		                         j->template_name, j->id);
		goto cleanup;
	}
	if (j->send && (error = send_job(b, named, &filled, &flen)) < 0)
		goto cleanup;
	if (j->replace) {
		error = docket_txn_write(txn, j->path, filled, flen);
		goto cleanup;
	}
	error = docket_txn_read(&existing, &elen, txn, j->path);
	if (error == 0) {
		error = docket_error_set(DOCKET_EEXISTS, "'%s' exists already", j->path);
		goto cleanup;
	}
	if (error != DOCKET_ENOTFOUND)
		goto cleanup;
	docket_error_clear();
	error = docket_txn_write(txn, j->path, filled, flen);
cleanup:
	docket_buf_free(&stem);
	docket_buf_free(&tpath);
	free(tpl);
	free(filled);
	free(existing);
	docket_doc_free(doc);
	docket_doc_free(named);
	return error;
}

static int batch_fill(docket_txn *txn, void *payload)
{
	job_batch *b = payload;
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn);
	docket_schema *schema = NULL;
	docket_buf msg = DOCKET_BUF_INIT;
	idset ids = { NULL, 0, 0, 0 };
	char *year = docket_time_now_iso();
	size_t i;
	int error;

	if (!year) {
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	year[4] = '\0';
	/* findings of an earlier attempt are stale */
	docket_findings_free(b->findings);
	b->findings = NULL;
	if ((error = docket_findings_new(&b->findings)) < 0 ||
	    (error = docket_schema_load(&schema, repo, base[0] ? base : NULL)) < 0)
		goto cleanup;
	docket_config_free(b->cfg);
	docket_workflow_free(b->wf);
	free(b->now);
	b->cfg = NULL;
	b->wf = NULL;
	b->send = NULL;
	b->now = NULL;
	if (b->n && b->jobs[0].send) {
		if ((error = docket_config_load(&b->cfg, repo, base)) < 0 ||
		    (error = docket_workflow_load(&b->wf, repo, base, b->jobs[0].kind)) < 0)
			goto cleanup;
		if (!(b->send = docket_workflow_transition(b->wf, b->jobs[0].send))) {
			error = docket_error_set(DOCKET_EUSAGE, "the %s workflow has no transition '%s'", b->jobs[0].kind,
			                         b->jobs[0].send);
			goto cleanup;
		}
		if ((error = docket_now(&b->now)) < 0)
			goto cleanup;
	}
	for (i = 0; i < b->n; i++)
		if ((error = write_job(txn, &b->jobs[i], schema, &ids, b->findings, year, b)) < 0)
			goto cleanup;
	{
		/* what the commit's trailers will say comes from names given on the command line */
		docket_config *cfg = NULL;
		char *cbuf = NULL;
		size_t clen = 0;
		for (i = 0; i < b->n && !error; i++)
			if ((error = docket_name_check(b->jobs[i].id, "the document id")) == 0)
				error = docket_name_check(b->jobs[i].template_name, "the template name");
		if (!error && (error = docket_txn_read(&cbuf, &clen, txn, DOCKET_CONFIG_PATH)) == 0 &&
		    (error = docket_config_parse(&cfg, cbuf, clen, DOCKET_CONFIG_PATH)) == 0)
		{
			char what[320];
			if (b->n == 1)
				snprintf(what, sizeof(what), "draft '%.256s'", b->jobs[0].id);
			else
				snprintf(what, sizeof(what), "draft %zu documents", b->n);
			error = docket_commit_signing_check(repo, cfg, b->actor, NULL, NULL, what);
		}
		free(cbuf);
		docket_config_free(cfg);
		if (error < 0)
			goto cleanup;
	}
	if (b->n == 1)
		error = docket_buf_printf(&msg, "docket: %s %s\n\n", b->subject, b->jobs[0].id);
	else
		error = docket_buf_printf(&msg, "docket: %s (%zu documents)\n\n", b->subject, b->n);
	for (i = 0; i < b->n && !error; i++)
		error = docket_buf_printf(&msg, "Docket-Document: %s\n", b->jobs[i].id);
	if (!error && b->jobs[0].replace)
		error = docket_buf_printf(&msg, "Docket-Action: edit\nDocket-State: %s\nDocket-Actor: %s\n", "draft",
		                          b->actor);
	else if (!error)
		error = docket_buf_printf(&msg, "Docket-Action: add\nDocket-Actor: %s\n", b->actor);
	if (!error && b->send)
		error = docket_buf_printf(&msg, "Docket-Transition: %s\nDocket-From: %s\nDocket-To: %s\nDocket-Role: %s\n",
		                          b->send->id, docket_workflow_initial(b->wf), b->send->to, b->role);
	for (i = 0; i < b->n && !error; i++)
		if (i == 0 || strcmp(b->jobs[i].template_name, b->jobs[i - 1].template_name))
			error = docket_buf_printf(&msg, "Docket-Template: %s\n", b->jobs[i].template_name);
	if (error < 0 || (error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
cleanup:
	free(year);
	idset_free(&ids);
	docket_buf_free(&msg);
	docket_schema_free(schema);
	return error;
}

int docket_job_run(char commit[41], docket_findings **findings, docket_repo *repo, docket_job *jobs, size_t n,
                   const char *actor, const char *subject)
{
	job_batch b = { jobs, n, actor, subject, NULL, NULL, NULL, NULL, NULL, NULL };
	int error;

	*findings = NULL;
	if (!n)
		return docket_error_set(DOCKET_EUSAGE, "nothing to write");
	error = docket_repo_transact(commit, repo, batch_fill, &b);
	*findings = b.findings;
	docket_config_free(b.cfg);
	docket_workflow_free(b.wf);
	free(b.now);
	return error;
}

/* --- variables everybody needs ------------------------------------------------------------ */

/* The abbreviation of a unit as an issuer: its id, letters and digits only ("TH-QT" → "THQT"). */
static void unit_abbr(char *out, size_t size, const char *id)
{
	size_t o = 0;
	for (; id && *id && o + 1 < size && o < 20; id++)
		if (isalnum((unsigned char)*id))
			out[o++] = (char)toupper((unsigned char)*id);
	out[o] = '\0';
}

int docket_draft_authorise(docket_person *out, const docket_config *cfg, const char *actor,
                           const char *unit)
{
	docket_unit u;

	if (!actor || !*actor)
		return docket_error_set(DOCKET_EUSAGE, "who is drafting? give --as PERSON or set DOCKET_ACTOR");
	if (docket_config_person(out, cfg, actor) < 0)
		return docket_error_set(DOCKET_EDENIED, "'%s' is not a person of this organisation "
		                        "(see 'docket person list')", actor);
	if (!unit)
		unit = out->unit;
	if (!unit || docket_config_unit(&u, cfg, unit) < 0)
		return docket_error_set(DOCKET_EUSAGE, "no unit '%s' in the configuration (see 'docket unit list')",
		                        unit ? unit : "");
	if (!(docket_person_has_role(out, "drafter") || docket_person_has_role(out, "reviewer")) ||
	    !docket_unit_covers(cfg, out->unit, unit))
		return docket_error_set(DOCKET_EDENIED, "'%s' (unit %s, roles %s) may not draft for the unit %s: "
		                        "it needs the role 'drafter' or 'reviewer' in %s", actor,
		                        out->unit ? out->unit : "none", out->roles ? out->roles : "none", unit, unit);
	return 0;
}

/* "2021-05-11" → "11/5/2021", the way dates are cited in running text. */
static void date_dmy(char *out, size_t size, const char *iso)
{
	int y, m, d;
	if (iso && sscanf(iso, "%4d-%2d-%2d", &y, &m, &d) == 3)
		snprintf(out, size, "%02d/%d/%04d", d, m, y);
	else
		snprintf(out, size, "%s", iso ? iso : "");
}

/*
 * Who signs by default: a school's head (its reviewer) for a school's document, the
 * organisation's competent person (an approver) for the department's. The drafter may change
 * it; it only fills signer.id, signer.name and signer.title.
 */
static int signer_vars(docket_tpl_vars *v, const docket_config *cfg, const char *unit, int affiliated)
{
	docket_person p;
	size_t i;
	int error;

	for (i = 0; docket_config_person_at(&p, cfg, i) == 0; i++) {
		if (affiliated ? !docket_person_has_role(&p, "reviewer") || !p.unit || strcmp(p.unit, unit)
		               : !docket_person_has_role(&p, "approver"))
			continue;
		if (!p.position || !*p.position || !p.name || !*p.name)
			continue;
		if ((error = docket_tpl_vars_set(v, "signer.id", p.id)) < 0 ||
		    (error = docket_tpl_vars_set(v, "signer.name", p.name)) < 0 ||
		    (error = docket_tpl_vars_set(v, "signer.title", p.position)) < 0)
			return error;
		break;
	}
	return 0;
}

int docket_draft_base_vars(docket_tpl_vars *v, const docket_config *cfg, const docket_person *actor,
                           const char *unit, const char *title, const char *const *set)
{
	docket_org org;
	docket_unit u;
	char *today = docket_today(), year[5], abbr[24];
	int error = 0, affiliated;

	if (!today)
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	docket_config_org(&org, cfg);
	if (!org.name || !*org.name || !org.abbr || !*org.abbr || !org.place || !*org.place) {
		error = docket_error_set(DOCKET_EINVALID, "the organisation needs a name, an abbreviation and a place "
		                         "before drafting: set them with 'docket org set'");
		goto cleanup;
	}
	if (docket_config_unit(&u, cfg, unit) < 0) {
		error = docket_error_set(DOCKET_EUSAGE, "no unit '%s' in the configuration", unit ? unit : "");
		goto cleanup;
	}
	affiliated = u.affiliated;
	memcpy(year, today, 4);
	year[4] = '\0';
	unit_abbr(abbr, sizeof(abbr), unit);
	if ((error = docket_tpl_vars_set(v, "date", today)) < 0 ||
	    (error = docket_tpl_vars_set(v, "year", year)) < 0 ||
	    (error = docket_tpl_vars_set(v, "place", org.place)) < 0 ||
	    (error = docket_tpl_vars_set(v, "org.name", org.name)) < 0 ||
	    (error = docket_tpl_vars_set(v, "org.abbr", org.abbr)) < 0 ||
	    (error = docket_tpl_vars_set(v, "org.parent", org.parent)) < 0 ||
	    (error = docket_tpl_vars_set(v, "actor", actor->id)) < 0 ||
	    (error = docket_tpl_vars_set(v, "actor.name", actor->name)) < 0 ||
	    (error = docket_tpl_vars_set(v, "unit", unit)) < 0 ||
	    (error = docket_tpl_vars_set(v, "unit.name", u.name && *u.name ? u.name : unit)) < 0 ||
	    (error = docket_tpl_vars_set(v, "period.start", year)) < 0 ||
	    (error = docket_tpl_vars_set(v, "period.end", year)) < 0 ||
	    (error = docket_tpl_vars_set(v, "title", title)) < 0)
		goto cleanup;
	/* a school issues its own documents under the department; a section issues the department's */
	if (affiliated) {
		if ((error = docket_tpl_vars_set(v, "issuer.parent", org.name)) < 0 ||
		    (error = docket_tpl_vars_set(v, "issuer.name", u.name && *u.name ? u.name : unit)) < 0 ||
		    (error = docket_tpl_vars_set(v, "issuer.abbr", *abbr ? abbr : org.abbr)) < 0 ||
		    (error = docket_tpl_vars_set(v, "archive", "VT")) < 0)
			goto cleanup;
	} else {
		docket_buf archive = DOCKET_BUF_INIT;
		if ((error = docket_tpl_vars_set(v, "issuer.parent", org.parent)) < 0 ||
		    (error = docket_tpl_vars_set(v, "issuer.name", org.name)) < 0 ||
		    (error = docket_tpl_vars_set(v, "issuer.abbr", org.abbr)) < 0 ||
		    (error = docket_buf_printf(&archive, "VT, %s", unit)) < 0 ||
		    (error = docket_tpl_vars_set(v, "archive", archive.ptr)) < 0) {
			docket_buf_free(&archive);
			goto cleanup;
		}
		docket_buf_free(&archive);
	}
	if ((error = signer_vars(v, cfg, unit, affiliated)) < 0)
		goto cleanup;
	for (; set && *set; set++)
		if ((error = docket_tpl_vars_assign(v, *set)) < 0)
			goto cleanup;
cleanup:
	free(today);
	return error;
}

/* The year of today, for ids (never a template variable, which --set could change). */
static int this_year(int *out)
{
	char *today = docket_today();
	if (!today)
		return docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
	*out = atoi(today);
	free(today);
	return 0;
}

/* Apply --set once more: the user's values win over what a command computed. */
static int apply_set(docket_tpl_vars *v, const char *const *set)
{
	int error;
	for (; set && *set; set++)
		if ((error = docket_tpl_vars_assign(v, *set)) < 0)
			return error;
	return 0;
}

static void result_init(docket_add_result *out)
{
	memset(out, 0, sizeof(*out));
}

/* Hand a single job's outcome over to OUT. */
static void result_take(docket_add_result *out, docket_job *j, const char commit[41], docket_findings *f)
{
	out->id = j->id;
	out->path = j->path;
	j->id = j->path = NULL;
	memcpy(out->commit, commit, 41);
	out->findings = f;
}

/* --- docket new KIND --template NAME -------------------------------------------------------- */

int docket_draft_options_check(const docket_draft_options *opts)
{
	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "drafting needs options: the actor at least");
	return docket_options_check(opts->version, DOCKET_DRAFT_OPTIONS_VERSION, "docket_draft_options",
	                            "DOCKET_DRAFT_OPTIONS_INIT");
}

int docket_draft_options_init(docket_draft_options *opts, unsigned int version)
{
	const docket_draft_options init = DOCKET_DRAFT_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_draft_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_DRAFT_OPTIONS_VERSION, "docket_draft_options",
	                                  "DOCKET_DRAFT_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

int docket_draft_new(docket_add_result *out, docket_repo *repo, const char *kind,
                     const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_job job;
	char commit[41] = "";
	docket_findings *findings = NULL;
	const char *unit, *assignee;
	int error;

	result_init(out);
	memset(&job, 0, sizeof(job));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!docket_kind_valid(kind))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a kind of document (" DOCKET_KINDS ")",
		                        kind ? kind : "");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_draft_authorise(&person, cfg, opts->actor, opts->unit)) < 0)
		goto cleanup;
	unit = opts->unit ? opts->unit : person.unit;
	job.kind = kind;
	job.template_name = opts->template_name ? opts->template_name :
		strcmp(kind, "plan") == 0 ? "department-plan" : strcmp(kind, "report") == 0 ? "annual-report" :
		strcmp(kind, "document") == 0 ? "document" : "task";
	if ((error = docket_tpl_vars_new(&job.vars)) < 0 ||
	    (error = docket_draft_base_vars(job.vars, cfg, &person, unit, opts->title, opts->set)) < 0)
		goto cleanup;
	if ((error = this_year(&job.year)) < 0)
		goto cleanup;
	/* a task is named after the year it is due, as 'docket assign' names them */
	{
		const char *due = docket_tpl_vars_get(job.vars, "due");
		if (strcmp(kind, "task") == 0 && due && strlen(due) >= 4 && atoi(due) >= 1900 && atoi(due) <= 2200)
			job.year = atoi(due);
	}
	/* a task names its assignee: give the template its name too */
	if ((assignee = docket_tpl_vars_get(job.vars, "assignee")) != NULL &&
	    !docket_tpl_vars_get(job.vars, "assignee.name")) {
		docket_unit a;
		if (docket_config_unit(&a, cfg, assignee) == 0 && a.name)
			error = docket_tpl_vars_set(job.vars, "assignee.name", a.name);
		docket_error_clear();
		if (error < 0)
			goto cleanup;
	}
	if (!(job.unit = docket_strdup(unit)) || !(job.id_unit = docket_strdup(assignee ? assignee : unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = docket_job_run(commit, &findings, repo, &job, 1, opts->actor, "new");
	if (error == 0)
		result_take(out, &job, commit, findings);
	else
		out->findings = findings;
cleanup:
	docket_job_clear(&job);
	docket_config_free(cfg);
	return error;
}

/* --- docket new unit-plan --from PLAN ------------------------------------------------------- */

/* Copy NODE (deep) into DOC under PARENT. */
static xmlNodePtr copy_under(xmlNodePtr parent, xmlNodePtr node)
{
	xmlNodePtr c = xmlDocCopyNode(node, parent->doc, 1);
	if (c)
		xmlAddChild(parent, c);
	return c;
}

/*
 * The responsibilities of the parent plan that concern UNIT: a responsibility for UNIT, for
 * a unit above it, or for "*affiliated" when UNIT is affiliated, is kept whole; one that only
 * contains such a responsibility is kept as a frame around it.
 */
static int narrow(xmlNodePtr dst, xmlNodePtr src, const docket_config *cfg, const char *unit)
{
	int kept = 0;

	DFOR(r, src, "responsibility") {
		char *ru = docket_attr(r, "unit");
		int mine = ru && ((strcmp(ru, "*affiliated") == 0 && docket_unit_is_affiliated(cfg, unit)) ||
		                  docket_unit_covers(cfg, ru, unit));
		free(ru);
		if (mine) {
			if (!copy_under(dst, r))
				return docket_error_set(DOCKET_ERROR, "out of memory");
			kept++;
		} else if (docket_xml_child(r, DOCKET_NS, "responsibility")) {
			xmlNodePtr frame = xmlNewDocNode(dst->doc, dst->ns, r->name, NULL);
			int n;
			if (!frame)
				return docket_error_set(DOCKET_ERROR, "out of memory");
			for (xmlAttrPtr a = r->properties; a; a = a->next) {
				xmlChar *v = xmlNodeListGetString(r->doc, a->children, 1);
				xmlSetProp(frame, a->name, v);
				xmlFree(v);
			}
			if ((n = narrow(frame, r, cfg, unit)) < 0) {
				xmlFreeNode(frame);
				return n;
			}
			if (n) {
				xmlAddChild(dst, frame);
				kept++;
			} else {
				xmlFreeNode(frame);
			}
		}
	}
	return kept;
}

static int set_attr_var(docket_tpl_vars *v, const char *name, xmlNodePtr n, const char *attr)
{
	char *s = docket_attr(n, attr);
	int error = docket_tpl_vars_set(v, name, s);
	free(s);
	return error;
}

static int set_text_var(docket_tpl_vars *v, const char *name, xmlNodePtr n)
{
	char *s = n ? docket_xml_text_trim(n) : NULL;
	int error = docket_tpl_vars_set(v, name, s && *s ? s : NULL);
	free(s);
	return error;
}

/* Section numbers and titles of the parent plan, so that the unit plan reads like it. */
static int section_vars(docket_tpl_vars *v, xmlNodePtr plan)
{
	static const char *const parts[] = { "purposes", "objectives", "objectives/general", "objectives/specific",
	                                     "tasks", "funding", "responsibilities", NULL };
	static const char *const names[] = { "purposes", "objectives", "general", "specific", "tasks", "funding",
	                                     "responsibilities" };
	char name[64];
	int error = 0;
	size_t i;

	for (i = 0; parts[i] && !error; i++) {
		xmlNodePtr n = DN(plan, parts[i]);
		snprintf(name, sizeof(name), "%s.num", names[i]);
		if ((error = set_attr_var(v, name, n, "num")) < 0)
			break;
		snprintf(name, sizeof(name), "%s.title", names[i]);
		error = set_attr_var(v, name, n, "title");
	}
	return error;
}

/* Indicators with their targets, as the lists "objectives" > "indicators" > "targets". */
static int objective_vars(docket_tpl_vars *v, xmlNodePtr plan)
{
	int error = 0;

	DFOR(o, DN(plan, "objectives/specific"), "objective") {
		docket_tpl_vars *ov;
		if ((error = docket_tpl_vars_append(&ov, v, "objectives")) < 0 ||
		    (error = set_attr_var(ov, "num", o, "num")) < 0 ||
		    (error = docket_tpl_vars_set_xml(ov, "text", DN(o, "text"))) < 0)
			return error;
		DFOR(ind, o, "indicator") {
			docket_tpl_vars *iv;
			if ((error = docket_tpl_vars_append(&iv, ov, "indicators")) < 0 ||
			    (error = set_attr_var(iv, "id", ind, "id")) < 0 ||
			    (error = set_attr_var(iv, "measure", ind, "measure")) < 0 ||
			    (error = set_attr_var(iv, "measure.unit", ind, "unit")) < 0 ||
			    (error = set_attr_var(iv, "comparison", ind, "comparison")) < 0 ||
			    (error = set_text_var(iv, "name", DN(ind, "name"))) < 0)
				return error;
			DFOR(t, ind, "target") {
				docket_tpl_vars *tv;
				char *m = docket_attr(t, "maintain");
				int maintain = m && (strcmp(m, "true") == 0 || strcmp(m, "1") == 0);
				free(m);
				if ((error = docket_tpl_vars_append(&tv, iv, "targets")) < 0 ||
				    (error = set_attr_var(tv, "year", t, "year")) < 0 ||
				    (error = set_attr_var(tv, "value", t, "value")) < 0 ||
				    (error = docket_tpl_vars_set(tv, "maintain", maintain ? "true" : NULL)) < 0)
					return error;
			}
		}
	}
	return error;
}

static int group_vars(docket_tpl_vars *v, xmlNodePtr plan)
{
	int error = 0;
	DFOR(g, DN(plan, "tasks"), "group") {
		docket_tpl_vars *gv;
		if ((error = docket_tpl_vars_append(&gv, v, "groups")) < 0 ||
		    (error = set_attr_var(gv, "id", g, "id")) < 0 ||
		    (error = set_attr_var(gv, "num", g, "num")) < 0 ||
		    (error = set_attr_var(gv, "title", g, "title")) < 0)
			return error;
	}
	return error;
}

/* What a document citing PLAN says of it: parent.id, .code, .date, .date.dmy, .issuer, ... */
int docket_draft_plan_vars(docket_tpl_vars *v, const char *prefix, docket_doc *plan)
{
	xmlNodePtr root = docket_doc_root(plan), header = DN(root, "header");
	char *code = docket_doc_code(plan), *date = docket_xml_text_trim(DN(header, "date"));
	char *unit = docket_doc_unit_text(plan), dmy[32], name[64];
	int error;

	date_dmy(dmy, sizeof(dmy), date);
#define PV(suffix, value) (snprintf(name, sizeof(name), "%s%s", prefix, suffix), \
	                   docket_tpl_vars_set(v, name, (value)))
	if ((error = PV(".id", docket_doc_id(plan))) < 0 ||
	    (error = PV(".code", code)) < 0 ||
	    (error = PV(".date", date && *date ? date : NULL)) < 0 ||
	    (error = PV(".date.dmy", date && *date ? dmy : NULL)) < 0 ||
	    (error = PV(".unit", unit)) < 0)
		goto cleanup;
	snprintf(name, sizeof(name), "%s.issuer", prefix);
	if ((error = set_text_var(v, name, DN(header, "issuer/name"))) < 0)
		goto cleanup;
	snprintf(name, sizeof(name), "%s.subject", prefix);
	if ((error = set_text_var(v, name, DN(header, "subject"))) < 0)
		goto cleanup;
	snprintf(name, sizeof(name), "%s.type", prefix);
	error = set_text_var(v, name, DN(header, "type"));
#undef PV
cleanup:
	free(code);
	free(date);
	free(unit);
	return error;
}

int docket_draft_unit_plan(docket_add_result *out, docket_repo *repo, const char *plan,
                           const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_doc *parent = NULL;
	docket_job job;
	docket_findings *findings = NULL;
	xmlDocPtr scratch = NULL;
	xmlNodePtr pplan, resp;
	char commit[41] = "", *code = NULL, *subject = NULL;
	const char *unit;
	int error;

	result_init(out);
	memset(&job, 0, sizeof(job));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --from PLAN");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_draft_authorise(&person, cfg, opts->actor, opts->unit)) < 0 ||
	    (error = docket_doc_load(&parent, repo, plan, NULL)) < 0)
		goto cleanup;
	unit = opts->unit ? opts->unit : person.unit;
	if (!(pplan = docket_doc_body(parent, "plan")) || strcmp(docket_doc_kind(parent), "plan")) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	if (!(code = docket_doc_code(parent)) || !DN(docket_doc_root(parent), "header/date")) {
		error = docket_error_set(DOCKET_EINVALID, "the plan '%s' has no number and date yet: a unit plan "
		                         "cites the issued plan it carries out", plan);
		goto cleanup;
	}
	job.kind = "plan";
	job.template_name = opts->template_name ? opts->template_name : "unit-plan";
	subject = docket_xml_text_trim(DN(docket_doc_root(parent), "header/subject"));
	if ((error = docket_tpl_vars_new(&job.vars)) < 0 ||
	    (error = docket_draft_base_vars(job.vars, cfg, &person, unit, opts->title ? opts->title : subject,
	                                    NULL)) < 0 ||
	    (error = docket_draft_plan_vars(job.vars, "parent", parent)) < 0 ||
	    (error = set_attr_var(job.vars, "period.start", DN(pplan, "period"), "start")) < 0 ||
	    (error = set_attr_var(job.vars, "period.end", DN(pplan, "period"), "end")) < 0 ||
	    (error = section_vars(job.vars, pplan)) < 0 ||
	    (error = objective_vars(job.vars, pplan)) < 0 ||
	    (error = group_vars(job.vars, pplan)) < 0)
		goto cleanup;
	if (DN(pplan, "objectives/general") &&
	    (error = docket_tpl_vars_set_xml(job.vars, "general", DN(pplan, "objectives/general"))) < 0)
		goto cleanup;
	/* the purposes and the funding come over as the unit's starting text: a unit plan has every
	 * section of its parent, numbered as the parent numbers them (I. to V.) */
	if (DN(pplan, "purposes") && (error = docket_tpl_vars_set_xml(job.vars, "purposes", DN(pplan, "purposes"))) < 0)
		goto cleanup;
	if (DN(pplan, "funding") && (error = docket_tpl_vars_set_xml(job.vars, "funding", DN(pplan, "funding"))) < 0)
		goto cleanup;
	/* the responsibilities that concern the unit, in a scratch document the fill copies from */
	if (!(scratch = xmlNewDoc((const xmlChar *)"1.0")) ||
	    !(resp = xmlNewDocNode(scratch, NULL, (const xmlChar *)"responsibilities", NULL))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	xmlDocSetRootElement(scratch, resp);
	xmlSetNs(resp, xmlNewNs(resp, (const xmlChar *)DOCKET_NS, NULL));
	if ((error = narrow(resp, DN(pplan, "responsibilities"), cfg, unit)) < 0)
		goto cleanup;
	if (error > 0 && (error = docket_tpl_vars_set_xml(job.vars, "responsibilities", resp)) < 0)
		goto cleanup;
	if ((error = apply_set(job.vars, opts->set)) < 0)
		goto cleanup;
	if ((error = this_year(&job.year)) < 0)
		goto cleanup;
	if (!(job.unit = docket_strdup(unit)) || !(job.id_unit = docket_strdup(unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = docket_job_run(commit, &findings, repo, &job, 1, opts->actor, "new unit plan");
	if (error == 0)
		result_take(out, &job, commit, findings);
	else
		out->findings = findings;
cleanup:
	free(code);
	free(subject);
	docket_job_clear(&job);
	xmlFreeDoc(scratch);
	docket_doc_free(parent);
	docket_config_free(cfg);
	return error;
}

/* --- docket new report --plan PLAN --year YEAR --unit UNIT ------------------------------------- */

int docket_draft_basis_item(docket_tpl_vars *v, docket_doc *doc, const char *today)
{
	docket_tpl_vars *b;
	xmlNodePtr header = DN(docket_doc_root(doc), "header");
	char *code = docket_doc_code(doc), *date = docket_xml_text_trim(DN(header, "date"));
	char *issuer = docket_xml_text_trim(DN(header, "issuer/name"));
	char *subject = docket_xml_text_trim(DN(header, "subject"));
	int error;

	if ((error = docket_tpl_vars_append(&b, v, "bases")) < 0 ||
	    (error = docket_tpl_vars_set(b, "basis.ref", docket_doc_id(doc))) < 0 ||
	    /* an approved report has no number (the report workflow numbers nothing): its id stands in */
	    (error = docket_tpl_vars_set(b, "basis.code", code ? code : docket_doc_id(doc))) < 0 ||
	    (error = docket_tpl_vars_set(b, "basis.date", date && *date ? date : today)) < 0 ||
	    (error = docket_tpl_vars_set(b, "basis.issuer", issuer)) < 0 ||
	    (error = docket_tpl_vars_set(b, "basis.summary", subject && *subject ? subject : NULL)) < 0)
		goto cleanup;
cleanup:
	free(code);
	free(date);
	free(issuer);
	free(subject);
	return error;
}

int docket_draft_report_vars(docket_tpl_vars *v, const docket_config *cfg, docket_doc *plan, int year,
                             const char *to, int skeleton)
{
	xmlNodePtr pplan = docket_doc_body(plan, "plan"), ind;
	char y[16];
	int error;

	snprintf(y, sizeof(y), "%d", year);
	if ((error = docket_draft_plan_vars(v, "plan", plan)) < 0 ||
	    (error = docket_tpl_vars_set(v, "report.year", y)) < 0 ||
	    (error = group_vars(v, pplan)) < 0)
		return error;
	/* the plan reported on is the report's first legal basis, once it has a number */
	if (docket_tpl_vars_get(v, "plan.code") && docket_tpl_vars_get(v, "plan.date") &&
	    (error = docket_draft_basis_item(v, plan, docket_tpl_vars_get(v, "plan.date"))) < 0)
		return error;
	if (to) {
		docket_org org;
		docket_unit u;
		docket_buf text = DOCKET_BUF_INIT;
		docket_config_org(&org, cfg);
		if (docket_config_unit(&u, cfg, to) < 0)
			return docket_error_set(DOCKET_EUSAGE, "no unit '%s' in the configuration to send the report to", to);
		if ((error = docket_buf_printf(&text, "%s (qua %s)", org.name, u.name ? u.name : to)) < 0 ||
		    (error = docket_tpl_vars_set(v, "to", to)) < 0 ||
		    (error = docket_tpl_vars_set(v, "to.text", text.ptr)) < 0 ||
		    (error = docket_tpl_vars_set(v, "addressee", org.name)) < 0) {
			docket_buf_free(&text);
			return error;
		}
		docket_buf_free(&text);
	}
	if (!skeleton)
		return 0;
	if ((error = docket_tpl_vars_set(v, "results.help",
	        "docket: the figures of every indicator. Write each value (for a rate also the numerator and the "
	        "denominator, value = 100 × numerator / denominator) in place of …, then remove this comment's "
	        "first and last lines.")) < 0)
		return error;
	for (ind = docket_plan_next_indicator(pplan, NULL); ind; ind = docket_plan_next_indicator(pplan, ind)) {
		docket_tpl_vars *iv;
		char *measure = docket_attr(ind, "measure");
		int rate = measure && strcmp(measure, "rate") == 0;
		free(measure);
		if ((error = docket_tpl_vars_append(&iv, v, "indicators")) < 0 ||
		    (error = set_attr_var(iv, "id", ind, "id")) < 0 ||
		    (error = docket_tpl_vars_set(iv, "value", "…")) < 0 ||
		    (rate && (error = docket_tpl_vars_set(iv, "numerator", "…")) < 0) ||
		    (rate && (error = docket_tpl_vars_set(iv, "denominator", "…")) < 0))
			return error;
	}
	return 0;
}

int docket_draft_report(docket_add_result *out, docket_repo *repo, const char *plan, int year,
                        const char *recipient_unit, const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_doc *pdoc = NULL;
	docket_job job;
	docket_findings *findings = NULL;
	docket_buf title = DOCKET_BUF_INIT;
	char commit[41] = "", *code = NULL, *to = NULL;
	const char *unit;
	int error;

	result_init(out);
	memset(&job, 0, sizeof(job));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give --plan PLAN");
	if (year < 1900 || year > 2200)
		return docket_error_set(DOCKET_EUSAGE, "give the year reported on with --year YYYY");
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_draft_authorise(&person, cfg, opts->actor, opts->unit)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	unit = opts->unit ? opts->unit : person.unit;
	if (!docket_doc_body(pdoc, "plan") || strcmp(docket_doc_kind(pdoc), "plan")) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	to = recipient_unit ? docket_strdup(recipient_unit) : docket_doc_unit_text(pdoc);
	code = docket_doc_code(pdoc);
	if (code)
		error = docket_buf_printf(&title, "Kết quả thực hiện năm %d Kế hoạch số %s", year, code);
	else
		error = docket_buf_printf(&title, "Kết quả thực hiện năm %d kế hoạch %s", year, docket_doc_id(pdoc));
	if (error < 0)
		goto cleanup;
	job.kind = "report";
	job.template_name = opts->template_name ? opts->template_name : "annual-report";
	if ((error = docket_tpl_vars_new(&job.vars)) < 0 ||
	    (error = docket_draft_base_vars(job.vars, cfg, &person, unit, opts->title ? opts->title : title.ptr,
	                                    NULL)) < 0 ||
	    (error = docket_draft_report_vars(job.vars, cfg, pdoc, year, to, 1)) < 0 ||
	    (error = apply_set(job.vars, opts->set)) < 0)
		goto cleanup;
	job.year = year;
	if (!(job.unit = docket_strdup(unit)) || !(job.id_unit = docket_strdup(unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = docket_job_run(commit, &findings, repo, &job, 1, opts->actor, "new report");
	if (error == 0)
		result_take(out, &job, commit, findings);
	else
		out->findings = findings;
cleanup:
	free(code);
	free(to);
	docket_buf_free(&title);
	docket_job_clear(&job);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}

/* --- docket assign PLAN ---------------------------------------------------------------------- */

void docket_batch_result_free(docket_batch_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->items[i].id);
		free(r->items[i].path);
		free(r->items[i].unit);
		free(r->items[i].section);
		free(r->items[i].reason);
	}
	for (i = 0; i < r->nskipped; i++) {
		free(r->skipped[i].id);
		free(r->skipped[i].path);
		free(r->skipped[i].unit);
		free(r->skipped[i].section);
		free(r->skipped[i].reason);
	}
	free(r->items);
	free(r->skipped);
	docket_findings_free(r->findings);
	memset(r, 0, sizeof(*r));
}

static int add_item(docket_draft_item **list, size_t *n, const char *unit, const char *section,
                    const char *reason)
{
	docket_draft_item *p = realloc(*list, (*n + 1) * sizeof(*p));
	if (!p)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	*list = p;
	p = &p[(*n)++];
	memset(p, 0, sizeof(*p));
	p->unit = docket_strdup(unit);
	p->section = docket_strdup(section);
	p->reason = reason ? docket_strdup(reason) : NULL;
	return 0;
}

typedef struct {
	docket_repo *repo;
	const char *plan;
	const char *year;       /* of the due date */
	char **units;           /* assignees that have such a task already */
	char **tasks;
	size_t n;
	int error;
} existing_tasks;

/* Tasks from PLAN due in YEAR: assigning twice gives nobody a second task. */
static int collect_tasks(const char *path, void *payload)
{
	existing_tasks *st = payload;
	char *buf = NULL, *src = NULL, *due = NULL, *assignee = NULL;
	size_t len = 0;
	docket_doc *doc = NULL;
	xmlNodePtr task;

	if (docket_repo_read(&buf, &len, st->repo, NULL, path) < 0 || docket_doc_parse(&doc, buf, len, path) < 0) {
		/* an unreadable document is validate's business, not a reason to stop */
		docket_error_clear();
		goto done;
	}
	if (!(task = docket_doc_body(doc, "task")))
		goto done;
	src = docket_attr(DN(task, "source"), "plan");
	due = docket_xml_text_trim(DN(task, "due"));
	assignee = docket_attr(DN(task, "assignee"), "unit");
	if (src && due && assignee && strcmp(src, st->plan) == 0 && strncmp(due, st->year, 4) == 0) {
		char **u = realloc(st->units, (st->n + 1) * sizeof(*u)), **t;
		if (u)
			st->units = u;
		t = u ? realloc(st->tasks, (st->n + 1) * sizeof(*t)) : NULL;
		if (t)
			st->tasks = t;
		if (!u || !t) {
			st->error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto done;
		}
		st->units[st->n] = assignee;
		st->tasks[st->n] = docket_strdup(docket_doc_id(doc));
		assignee = NULL;
		st->n++;
	}
done:
	free(buf);
	free(src);
	free(due);
	free(assignee);
	docket_doc_free(doc);
	return st->error ? 1 : 0;
}

static int section_of(docket_buf *b, xmlNodePtr resps, xmlNodePtr r)
{
	char *top = docket_attr(resps, "num"), *num = docket_attr(r, "num");
	int error;
	b->len = 0;
	if (top && num)
		error = docket_buf_printf(b, "%s.%s", top, num);
	else
		error = docket_buf_puts(b, num ? num : "");
	free(top);
	free(num);
	return error;
}

/* The blocks of responsibility R (its items and paragraphs, not the nested responsibilities). */
static int blocks_of(xmlNodePtr dst, xmlNodePtr r)
{
	for (xmlNodePtr ch = r->children; ch; ch = ch->next) {
		if (!docket_xml_is(ch, DOCKET_NS, "item") && !docket_xml_is(ch, DOCKET_NS, "p"))
			continue;
		if (!copy_under(dst, ch))
			return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return 0;
}

typedef struct {
	const docket_config *cfg;
	docket_doc *plan;
	xmlNodePtr resps;
	xmlDocPtr scratch;
	xmlNodePtr holder;          /* in SCRATCH: the descriptions copied from the plan */
	const char *due;
	const char *deliverable;
	const char *title;
	const docket_draft_options *opts;
	const docket_person *person;
	const char *unit;           /* the assigning unit */
	existing_tasks *have;
	docket_job *jobs;
	size_t njobs;
	docket_batch_result *out;
} assign_ctx;

static int assign_one(assign_ctx *a, const char *assignee, xmlNodePtr r, const char *section)
{
	docket_job *j, *p;
	docket_unit u;
	xmlNodePtr desc;
	size_t i;
	int error;

	for (i = 0; i < a->njobs; i++)
		if (strcmp(a->jobs[i].id_unit, assignee) == 0)
			return add_item(&a->out->skipped, &a->out->nskipped, assignee, section,
			                "it has a task from an earlier section of the plan in this batch");
	for (i = 0; i < a->have->n; i++)
		if (strcmp(a->have->units[i], assignee) == 0) {
			docket_buf why = DOCKET_BUF_INIT;
			docket_buf_printf(&why, "it has the task %s from this plan due this year already", a->have->tasks[i]);
			error = add_item(&a->out->skipped, &a->out->nskipped, assignee, section, why.ptr);
			docket_buf_free(&why);
			return error;
		}
	if (docket_config_unit(&u, a->cfg, assignee) < 0) {
		docket_error_clear();
		return add_item(&a->out->skipped, &a->out->nskipped, assignee, section,
		                "it is not a unit of the configuration (see 'docket unit add')");
	}
	if (!(p = realloc(a->jobs, (a->njobs + 1) * sizeof(*p))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	a->jobs = p;
	j = &a->jobs[a->njobs++];
	memset(j, 0, sizeof(*j));
	j->kind = "task";
	j->template_name = a->opts->template_name ? a->opts->template_name : "task";
	j->year = atoi(a->due);
	if (!(j->unit = docket_strdup(a->unit)) || !(j->id_unit = docket_strdup(assignee)) ||
	    !(j->section = docket_strdup(section)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (!(desc = xmlNewDocNode(a->scratch, a->holder->ns, (const xmlChar *)"description", NULL)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	xmlAddChild(a->holder, desc);
	if ((error = blocks_of(desc, r)) < 0 ||
	    (error = docket_tpl_vars_new(&j->vars)) < 0 ||
	    (error = docket_draft_base_vars(j->vars, a->cfg, a->person, a->unit, a->title, NULL)) < 0 ||
	    (error = docket_draft_plan_vars(j->vars, "plan", a->plan)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "assignee", assignee)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "assignee.name", u.name ? u.name : assignee)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "section", section)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "due", a->due)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "deliverable", a->deliverable)) < 0 ||
	    (error = docket_tpl_vars_set(j->vars, "deliverable.kind", "report")) < 0 ||
	    (desc->children && (error = docket_tpl_vars_set_xml(j->vars, "description", desc)) < 0) ||
	    (error = apply_set(j->vars, a->opts->set)) < 0)
		return error;
	return 0;
}

static int assign_walk(assign_ctx *a, xmlNodePtr parent)
{
	docket_buf section = DOCKET_BUF_INIT;
	int error = 0;

	DFOR(r, parent, "responsibility") {
		char *ru = docket_attr(r, "unit");
		if ((error = section_of(&section, a->resps, r)) < 0) {
			free(ru);
			break;
		}
		if (ru && strcmp(ru, "*affiliated") == 0) {
			size_t i;
			docket_unit u;
			for (i = 0; !error && docket_config_unit_at(&u, a->cfg, i) == 0; i++)
				if (u.affiliated)
					error = assign_one(a, u.id, r, section.ptr);
		} else if (ru) {
			error = assign_one(a, ru, r, section.ptr);
		}
		free(ru);
		if (!error)
			error = assign_walk(a, r);
		if (error)
			break;
	}
	docket_buf_free(&section);
	return error;
}

int docket_draft_assign(docket_batch_result *out, docket_repo *repo, const char *plan,
                        const char *due, const docket_draft_options *opts)
{
	docket_config *cfg = NULL;
	docket_person person;
	docket_doc *pdoc = NULL;
	docket_findings *findings = NULL;
	docket_buf deliverable = DOCKET_BUF_INIT, title = DOCKET_BUF_INIT;
	existing_tasks have;
	assign_ctx a;
	char *code = NULL, *today = NULL, *unit = NULL, duebuf[16];
	size_t i;
	int error, y, m, d;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	memset(&have, 0, sizeof(have));
	if ((error = docket_draft_options_check(opts)) < 0)
		return error;
	if (!plan)
		return docket_error_set(DOCKET_EUSAGE, "which plan? give PLAN");
	if (!(today = docket_today())) {
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (due) {
		if (strlen(due) != 10 || sscanf(due, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12 || d < 1 || d > 31) {
			error = docket_error_set(DOCKET_EUSAGE, "the due date '%s' is not YYYY-MM-DD", due);
			goto cleanup;
		}
		snprintf(duebuf, sizeof(duebuf), "%s", due);
	} else {
		snprintf(duebuf, sizeof(duebuf), "%.4s-12-15", today);
	}
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_doc_load(&pdoc, repo, plan, NULL)) < 0)
		goto cleanup;
	if (!docket_doc_body(pdoc, "plan") || strcmp(docket_doc_kind(pdoc), "plan")) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' is not a plan", plan);
		goto cleanup;
	}
	unit = opts->unit ? docket_strdup(opts->unit) : docket_doc_unit_text(pdoc);
	if ((error = docket_draft_authorise(&person, cfg, opts->actor, unit)) < 0)
		goto cleanup;
	if (!unit && !(unit = docket_strdup(person.unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (!(a.resps = DN(docket_doc_body(pdoc, "plan"), "responsibilities"))) {
		error = docket_error_set(DOCKET_EINVALID, "the plan '%s' has no responsibilities section to assign from",
		                         plan);
		goto cleanup;
	}
	code = docket_doc_code(pdoc);
	if ((error = docket_buf_printf(&deliverable, "Báo cáo kết quả thực hiện năm %.4s %s %s", duebuf,
	                               code ? "Kế hoạch số" : "kế hoạch", code ? code : docket_doc_id(pdoc))) < 0 ||
	    (error = docket_buf_printf(&title, "Triển khai thực hiện %s %s", code ? "Kế hoạch số" : "kế hoạch",
	                               code ? code : docket_doc_id(pdoc))) < 0)
		goto cleanup;
	have.repo = repo;
	have.plan = docket_doc_id(pdoc);
	have.year = duebuf;
	error = docket_repo_walk(repo, NULL, "documents/task/", collect_tasks, &have);
	if (have.error)
		error = have.error;
	if (error < 0)
		goto cleanup;
	if (!(a.scratch = xmlNewDoc((const xmlChar *)"1.0")) ||
	    !(a.holder = xmlNewDocNode(a.scratch, NULL, (const xmlChar *)"scratch", NULL))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	xmlDocSetRootElement(a.scratch, a.holder);
	xmlSetNs(a.holder, xmlNewNs(a.holder, (const xmlChar *)DOCKET_NS, NULL));
	a.cfg = cfg;
	a.plan = pdoc;
	a.due = duebuf;
	a.deliverable = deliverable.ptr;
	a.title = opts->title ? opts->title : title.ptr;
	a.opts = opts;
	a.person = &person;
	a.unit = unit;
	a.have = &have;
	a.out = out;
	if ((error = assign_walk(&a, a.resps)) < 0)
		goto cleanup;
	if (!a.njobs) {
		error = docket_error_set(DOCKET_EINVALID, "no task to assign from '%s': every unit it names was skipped",
		                         plan);
		goto cleanup;
	}
	for (i = 0; !opts->keep_draft && i < a.njobs; i++)
		a.jobs[i].send = "assign";
	error = docket_job_run(out->commit, &findings, repo, a.jobs, a.njobs, opts->actor, "assign");
	out->findings = findings;
	if (error < 0)
		goto cleanup;
	for (i = 0; i < a.njobs; i++) {
		if ((error = add_item(&out->items, &out->n, a.jobs[i].id_unit, a.jobs[i].section, NULL)) < 0)
			goto cleanup;
		out->items[out->n - 1].id = a.jobs[i].id;
		out->items[out->n - 1].path = a.jobs[i].path;
		a.jobs[i].id = a.jobs[i].path = NULL;
	}
cleanup:
	for (i = 0; i < a.njobs; i++)
		docket_job_clear(&a.jobs[i]);
	free(a.jobs);
	for (i = 0; i < have.n; i++) {
		free(have.units[i]);
		free(have.tasks[i]);
	}
	free(have.units);
	free(have.tasks);
	xmlFreeDoc(a.scratch);
	free(code);
	free(today);
	free(unit);
	docket_buf_free(&deliverable);
	docket_buf_free(&title);
	docket_doc_free(pdoc);
	docket_config_free(cfg);
	return error;
}
