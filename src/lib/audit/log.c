/*
 * log: a document's timeline. The history index names the commits that touched the
 * document; for each, the commit's trailers say what docket did (or their absence says it
 * was done outside docket), the document at that commit gives the step's message and the
 * signatures it gained, and the configuration then gives the actor's printed name and
 * position. Signatures are verified against the caller's trust anchor, never one taken
 * from the repository.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libxml/tree.h>
#include "audit_internal.h"
#include "docket/doc.h"
#include "docket/config.h"
#include "docket/history.h"
#include "docket/audit.h"
#include "docket/sign.h"


/* "2021-05-11T09:30:00+07:00" for a commit time, always in Vietnam time. */
static char *time_vn(git_time_t t)
{
	char buf[DOCKET_TIME_TEXT];

	docket_time_format(buf, (time_t)t, DOCKET_ORG_UTC_OFFSET_MINUTES);
	return docket_strdup(buf);
}

static void entry_free(docket_log_entry *e)
{
	size_t i;
	free(e->time);
	free(e->actor);
	free(e->actor_name);
	free(e->actor_position);
	free(e->action);
	free(e->from);
	free(e->to);
	free(e->subject);
	free(e->message);
	free(e->path);
	free(e->link);
	for (i = 0; i < e->nsigs; i++) {
		free(e->sigs[i].id);
		free(e->sigs[i].signer);
		free(e->sigs[i].time);
		free(e->sigs[i].meaning);
		free(e->sigs[i].status);
	}
	free(e->sigs);
}

void docket_log_free(docket_log_entry *entries, size_t n)
{
	size_t i;
	for (i = 0; entries && i < n; i++)
		entry_free(&entries[i]);
	free(entries);
}

static xmlNodePtr last_step(docket_doc *doc)
{
	xmlNodePtr s, last = NULL;
	for (s = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "workflow/step");
	     s; s = docket_xml_next(s))
		last = s;
	return last;
}

static size_t step_count(docket_doc *doc)
{
	size_t n = 0;
	xmlNodePtr s;
	if (!doc)
		return 0;
	for (s = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "workflow/step");
	     s; s = docket_xml_next(s))
		n++;
	return n;
}

/* Whether DOC has a Signature with Id ID. */
static int has_signature(docket_doc *doc, const char *id)
{
	xmlNodePtr sigs, s;
	if (!doc)
		return 0;
	sigs = docket_xml_child(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "signatures");
	for (s = sigs ? sigs->children : NULL; s; s = s->next) {
		xmlChar *v;
		int same;
		if (!docket_xml_is(s, DOCKET_DSIG_NS, "Signature"))
			continue;
		v = xmlGetNoNsProp(s, (const xmlChar *)"Id");
		same = v && strcmp((const char *)v, id) == 0;
		xmlFree(v);
		if (same)
			return 1;
	}
	return 0;
}


/* Without a trust anchor: the signatures DOC gained, as they claim to be, not judged. */
static int add_signatures_unverified(docket_log_entry *e, docket_doc *prev, docket_doc *doc)
{
	xmlNodePtr sigs = docket_xml_child(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "signatures");

	for (xmlNodePtr s = sigs ? sigs->children : NULL; s; s = s->next) {
		docket_log_sig *l, *grown;
		xmlChar *id;
		char *signer, *role, *commitment, *when;
		if (!docket_xml_is(s, DOCKET_DSIG_NS, "Signature"))
			continue;
		id = xmlGetNoNsProp(s, (const xmlChar *)"Id");
		if (id && prev && has_signature(prev, (const char *)id)) {
			xmlFree(id);
			continue;
		}
		if (!(grown = realloc(e->sigs, (e->nsigs + 1) * sizeof(*grown)))) {
			xmlFree(id);
			break;
		}
		e->sigs = grown;
		l = &e->sigs[e->nsigs++];
		docket_sig_claims(s, &signer, &role, &commitment, &when);
		l->id = docket_strdup(id ? (const char *)id : "");
		l->signer = signer ? signer : docket_strdup("unknown signer");
		l->time = when ? when : docket_strdup("");
		l->meaning = docket_strdup(docket_meaning_word(commitment));
		l->status = docket_strdup("not verified (no trust anchor)");
		free(role);
		free(commitment);
		xmlFree(id);
	}
	return 0;
}

static int add_signatures(docket_log_entry *e, docket_doc *prev, docket_doc *doc, const char *trust)
{
	docket_sig_result *res = NULL;
	size_t n = 0, i;
	int error;

	if (!trust)
		return add_signatures_unverified(e, prev, doc);
	error = docket_xmldsig_verify_xml(&res, &n, (xmlDocPtr)docket_doc_xml(doc), trust);
	if (error < 0 && !res)
		return 0; /* no signatures, or none readable: nothing to show */
	for (i = 0; i < n; i++) {
		docket_log_sig *s, *grown;
		char status[600];
		if (res[i].id && prev && has_signature(prev, res[i].id))
			continue;
		if (!(grown = realloc(e->sigs, (e->nsigs + 1) * sizeof(*grown))))
			break;
		e->sigs = grown;
		s = &e->sigs[e->nsigs++];
		memset(s, 0, sizeof(*s));
		s->id = docket_strdup(res[i].id ? res[i].id : "");
		s->signer = docket_strdup(res[i].signer ? res[i].signer : "unknown signer");
		s->time = docket_strdup(res[i].signing_time_text ? res[i].signing_time_text : "");
		s->meaning = docket_strdup(docket_meaning_word(res[i].commitment));
		if (!trust)
			snprintf(status, sizeof(status), "not verified (no trust anchor)");
		else if (res[i].status == DOCKET_SIG_OK)
			snprintf(status, sizeof(status), "valid");
		else
			snprintf(status, sizeof(status), "INVALID: %s", res[i].reason ? res[i].reason : "failed");
		s->status = docket_strdup(status);
	}
	docket_sig_results_free(res, n);
	return 0;
}

/*
 * What the person wrote in the commit message: without docket's own subject line
 * ("docket: edit kh-2021-354") and without the trailers. NULL when nothing is left. For a
 * commit made outside docket this is its whole message, the one account of it there is.
 */
static char *written_message(const char *msg)
{
	docket_buf b = DOCKET_BUF_INIT;
	const char *line = msg, *end;
	char *out = NULL;
	size_t len;
	int first = 1;

	for (; line && *line; line = *end ? end + 1 : end, first = 0) {
		end = line + strcspn(line, "\n");
		len = (size_t)(end - line);
		if (first && strncmp(line, "docket: ", 8) == 0)
			continue;
		if (strncmp(line, "Docket-", 7) == 0 && memchr(line, ':', len))
			continue;
		docket_buf_printf(&b, "%.*s\n", (int)len, line);
	}
	if (b.ptr) {
		char *s = b.ptr, *e = b.ptr + b.len;
		while (*s == '\n' || *s == ' ')
			s++;
		while (e > s && (e[-1] == '\n' || e[-1] == ' '))
			e--;
		if (e > s)
			out = docket_strndup(s, (size_t)(e - s));
	}
	docket_buf_free(&b);
	return out;
}

static void fill_person(docket_log_entry *e, docket_repo *repo, const char *commit)
{
	docket_config *cfg = NULL;
	docket_person p;

	if (!e->actor || docket_config_load(&cfg, repo, commit) < 0) {
		docket_error_clear();
		return;
	}
	if (docket_config_person(&p, cfg, e->actor) == 0) {
		e->actor_name = docket_strdup(p.name);
		e->actor_position = docket_strdup(p.position);
	}
	docket_error_clear();
	docket_config_free(cfg);
}

int docket_log(docket_log_entry **out, size_t *nout, docket_repo *repo, const char *id,
               const char *trust)
{
	docket_history_list hist;
	docket_log_entry *entries = NULL;
	docket_doc *prev = NULL;
	git_commit *c = NULL;
	size_t i, n = 0;
	int error;

	*out = NULL;
	*nout = 0;
	if ((error = docket_history_for(&hist, repo, id)) < 0)
		return error;
	if (hist.n == 0) {
		docket_history_list_free(&hist);
		return docket_error_set(DOCKET_ENOTFOUND, "no document with the id '%s' in the history", id);
	}
	if (!(entries = calloc(hist.n, sizeof(*entries)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < hist.n; i++) {
		docket_log_entry *e = &entries[n++];
		docket_doc *doc = NULL;
		git_oid oid;
		const char *msg;
		char *buf = NULL, *transition, *action;
		size_t len = 0;

		git_commit_free(c);
		c = NULL;
		if (git_oid_fromstr(&oid, hist.commits[i]) < 0 || git_commit_lookup(&c, docket_repo_git(repo), &oid) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", hist.commits[i]);
			goto cleanup;
		}
		memcpy(e->commit, hist.commits[i], 41);
		e->time = time_vn(git_commit_time(c));
		msg = git_commit_message(c);
		e->subject = docket_strndup(msg, strcspn(msg, "\n"));
		e->path = docket_strdup(hist.paths[i]);
		transition = docket_trailer(msg, "Docket-Transition");
		action = docket_trailer(msg, "Docket-Action");
		e->actor = docket_trailer(msg, "Docket-Actor");
		if (transition) {
			e->action = transition;
			e->from = docket_trailer(msg, "Docket-From");
			e->to = docket_trailer(msg, "Docket-To");
			free(action);
		} else if (action) {
			e->action = action;
		} else {
			e->action = docket_strdup("outside docket");
		}
		if (!e->actor)
			e->actor = docket_strdup(git_commit_author(c)->name);
		fill_person(e, repo, hist.commits[i]);
		if (docket_repo_read(&buf, &len, repo, hist.commits[i], hist.paths[i]) < 0) {
			/* gone from this path: moved (then it is elsewhere in this commit), or removed */
			char *moved = NULL;
			docket_error_clear();
			if (docket_doc_find(&moved, repo, id, hist.commits[i]) == 0 &&
			    docket_repo_read(&buf, &len, repo, hist.commits[i], moved) == 0) {
				free(e->path);
				e->path = moved;
			} else {
				free(moved);
				e->deleted = 1;
			}
			docket_error_clear();
		}
		if (!e->deleted && docket_doc_parse(&doc, buf, len, e->path) == 0) {
			if (step_count(doc) > step_count(prev)) {
				xmlNodePtr s = last_step(doc);
				xmlChar *t = s ? xmlNodeGetContent(s) : NULL, *ref = s ? xmlGetNoNsProp(s, (const xmlChar *)"ref") : NULL;
				if (t && *t)
					e->message = docket_strdup((const char *)t);
				if (ref && *ref)
					e->link = docket_strdup((const char *)ref);
				xmlFree(t);
				xmlFree(ref);
			}
			if (!e->from && !transition) {
				const char *a = prev ? docket_doc_state(prev) : NULL, *b = docket_doc_state(doc);
				/* without a workflow element a document is in its workflow's initial state
				 * (draft, or received for an incoming document) */
				const char *initial = "draft";
				docket_workflow *wf = NULL;
				if (docket_workflow_load(&wf, repo, hist.commits[i], docket_doc_kind(doc)) == 0)
					initial = docket_workflow_initial(wf);
				docket_error_clear();
				e->to = docket_strdup(b ? b : initial);
				e->from = prev ? docket_strdup(a ? a : initial) : NULL;
				docket_workflow_free(wf);
			}
			add_signatures(e, prev, doc, trust);
			docket_doc_free(prev);
			prev = doc;
		}
		if (!e->message) /* an edit, an addition, a move: what its author wrote */
			e->message = written_message(msg);
		docket_error_clear();
		free(buf);
	}
	*out = entries;
	*nout = n;
	entries = NULL;
	error = 0;
cleanup:
	git_commit_free(c);
	docket_doc_free(prev);
	docket_log_free(entries, n);
	docket_history_list_free(&hist);
	return error;
}
