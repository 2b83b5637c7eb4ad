/*
 * audit: replay the history and judge every commit by the rules in force at its parent.
 *
 * The history index (history.c) names, for each commit, the documents and configuration
 * paths it changed; each change is judged on its own — the parent's version, the new
 * version, the parent's configuration, workflows and schemas — so the replay streams,
 * holds one commit's worth of state, and reads only the trees on changed paths. Verdicts
 * are cached under the git directory with the tip they cover; a re-run replays only newer
 * commits, and reports history rewritten when the cached tip is no longer reachable.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <libxml/hash.h>
#include <libxml/tree.h>
#include "audit_internal.h"
#include "docket/doc.h"
#include "docket/config.h"
#include "docket/workflow.h"
#include "docket/validate.h"
#include "docket/history.h"
#include "docket/audit.h"
#include "docket/sign.h"


#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

/* The version of the rules: a cache made under other rules is not trusted. */
#define AUDIT_RULES "2"

typedef struct {
	docket_repo *repo;
	const docket_audit_options *opts;
	docket_audit_result *out;
	/* one-entry caches: configuration and schemas change rarely */
	char cfg_oid[41];
	docket_config *cfg;
	char schema_oid[41];
	docket_schema *schema;
	char wf_oid[3][41];
	docket_workflow *wf[3];
	/* the certificates of the configuration in force, decoded once: pem pointer -> X509 */
	const char *cert_pem[4096];
	X509 *cert_x[4096];
	size_t ncerts;
	int error;
} audit_ctx;

static void certs_reset(audit_ctx *a)
{
	for (size_t i = 0; i < a->ncerts; i++)
		X509_free(a->cert_x[i]);
	a->ncerts = 0;
}

static int wanted(audit_ctx *a, const char *doc)
{
	size_t i;
	if (!a->opts->docs || !a->opts->ndocs)
		return 1;
	for (i = 0; doc && i < a->opts->ndocs; i++)
		if (strcmp(a->opts->docs[i], doc) == 0)
			return 1;
	return 0;
}

static void finding(audit_ctx *a, const char *kind, const char *commit, const char *doc,
                    const char *fmt, ...) DOCKET_PRINTF(5, 6);
static void finding(audit_ctx *a, const char *kind, const char *commit, const char *doc,
                    const char *fmt, ...)
{
	docket_audit_finding *f;
	char msg[1024];
	va_list ap;

	if (doc && !wanted(a, doc))
		return;
	if (!doc && a->opts->docs && a->opts->ndocs && strcmp(kind, "history-rewritten") != 0)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!(f = realloc(a->out->findings, (a->out->n + 1) * sizeof(*f)))) {
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return;
	}
	a->out->findings = f;
	f = &f[a->out->n++];
	f->kind = docket_strdup(kind);
	snprintf(f->commit, sizeof(f->commit), "%s", commit ? commit : "");
	f->document = doc ? docket_strdup(doc) : NULL;
	f->message = docket_strdup(msg);
	if (!f->kind || (doc && !f->document) || !f->message)
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
}

static int entry_oid(char out[41], git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0) {
		out[0] = '\0';
		return DOCKET_ENOTFOUND;
	}
	git_oid_tostr(out, 41, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 0;
}

static docket_config *config_at(audit_ctx *a, git_tree *tree, const char *rev)
{
	char oid[41];
	if (entry_oid(oid, tree, DOCKET_CONFIG_PATH) < 0)
		return NULL;
	if (a->cfg && strcmp(oid, a->cfg_oid) == 0)
		return a->cfg;
	certs_reset(a);
	docket_config_free(a->cfg);
	a->cfg = NULL;
	if (docket_config_load(&a->cfg, a->repo, rev) == 0)
		memcpy(a->cfg_oid, oid, 41);
	docket_error_clear();
	return a->cfg;
}

static docket_schema *schema_at(audit_ctx *a, git_tree *tree, const char *rev)
{
	char oid[41];
	if (entry_oid(oid, tree, ".docket/schemas") < 0)
		return NULL;
	if (a->schema && strcmp(oid, a->schema_oid) == 0)
		return a->schema;
	docket_schema_free(a->schema);
	a->schema = NULL;
	if (docket_schema_load(&a->schema, a->repo, rev) == 0)
		memcpy(a->schema_oid, oid, 41);
	docket_error_clear();
	return a->schema;
}

static docket_workflow *workflow_at(audit_ctx *a, git_tree *tree, const char *rev, const char *kind)
{
	char oid[41], path[64];
	int k = kind && !strcmp(kind, "plan") ? 0 : kind && !strcmp(kind, "report") ? 1 : 2;

	snprintf(path, sizeof(path), ".docket/workflows/%s.xml", kind ? kind : "");
	if (entry_oid(oid, tree, path) < 0)
		return NULL;
	if (a->wf[k] && strcmp(oid, a->wf_oid[k]) == 0)
		return a->wf[k];
	docket_workflow_free(a->wf[k]);
	a->wf[k] = NULL;
	if (docket_workflow_load(&a->wf[k], a->repo, rev, kind) == 0)
		memcpy(a->wf_oid[k], oid, 41);
	docket_error_clear();
	return a->wf[k];
}

static char *node_xml(xmlNodePtr n)
{
	xmlBufferPtr b;
	char *s;
	if (!n)
		return docket_strdup("");
	if (!(b = xmlBufferCreate()))
		return NULL;
	xmlNodeDump(b, n->doc, n, 0, 0);
	s = docket_strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

static int same_node(xmlNodePtr x, xmlNodePtr y)
{
	char *a = node_xml(x), *b = node_xml(y);
	int same = a && b && strcmp(a, b) == 0;
	free(a);
	free(b);
	return same;
}

/* The header without the parts an issue may set (number, notation, date). */
static int same_header(xmlNodePtr x, xmlNodePtr y, int allow_number)
{
	xmlNodePtr a = x ? x->children : NULL, b = y ? y->children : NULL;

	for (;;) {
		while (a && (a->type != XML_ELEMENT_NODE ||
		             (allow_number && (docket_xml_is(a, DOCKET_NS, "code") || docket_xml_is(a, DOCKET_NS, "date")))))
			a = a->next;
		while (b && (b->type != XML_ELEMENT_NODE ||
		             (allow_number && (docket_xml_is(b, DOCKET_NS, "code") || docket_xml_is(b, DOCKET_NS, "date")))))
			b = b->next;
		if (!a || !b)
			return !a && !b;
		if (!same_node(a, b))
			return 0;
		a = a->next;
		b = b->next;
	}
}

static size_t steps(xmlNodePtr root, xmlNodePtr *list, size_t max)
{
	size_t n = 0;
	for (xmlNodePtr s = N(N(root, "workflow"), "step"); s; s = docket_xml_next(s)) {
		if (n < max)
			list[n] = s;
		n++;
	}
	return n;
}

static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = n ? xmlGetNoNsProp(n, (const xmlChar *)name) : NULL;
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/*
 * The Ids of a version's signatures, in document order and as a set: a document carries as many
 * signatures as signing allows, each Id as long as it is, so neither is bounded here.
 */
typedef struct {
	char **ids;
	size_t n;
	xmlHashTablePtr set;
} sig_ids;

static void sig_ids_free(sig_ids *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
	xmlHashFree(s->set, NULL);
	memset(s, 0, sizeof(*s));
}

/* The Ids of DOC's signatures (none when DOC is NULL); a signature without an Id counts as "". */
static int sig_ids_load(sig_ids *out, docket_doc *doc)
{
	xmlNodePtr root = doc ? xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)) : NULL;
	xmlNodePtr sigs = root ? N(root, "signatures") : NULL;
	size_t cap = 0;

	memset(out, 0, sizeof(*out));
	if (!(out->set = xmlHashCreate(0)))
		goto oom;
	for (xmlNodePtr s = sigs ? sigs->children : NULL; s; s = s->next) {
		xmlChar *v;
		char *id;
		if (!docket_xml_is(s, DOCKET_DSIG_NS, "Signature"))
			continue;
		v = xmlGetNoNsProp(s, (const xmlChar *)"Id");
		id = docket_strdup(v ? (const char *)v : "");
		xmlFree(v);
		if (!id)
			goto oom;
		if (out->n == cap) {
			char **grown = cap < SIZE_MAX / 2 / sizeof(*grown) ?
			               realloc(out->ids, (cap ? cap * 2 : 16) * sizeof(*grown)) : NULL;
			if (!grown) {
				free(id);
				goto oom;
			}
			out->ids = grown;
			cap = cap ? cap * 2 : 16;
		}
		out->ids[out->n++] = id;
		/* a repeated Id is one member of the set */
		if (!xmlHashLookup(out->set, (const xmlChar *)id) &&
		    xmlHashAddEntry(out->set, (const xmlChar *)id, id) < 0)
			goto oom;
	}
	return 0;
oom:
	sig_ids_free(out);
	return docket_error_set(DOCKET_ERROR, "out of memory");
}

static int sig_ids_has(const sig_ids *s, const char *id)
{
	return id && s->set && xmlHashLookup(s->set, (const xmlChar *)id) != NULL;
}

static int cert_matches(audit_ctx *a, const char *pem, X509 *cert)
{
	X509 *x = NULL;
	size_t i;
	int same;

	if (!pem || !cert)
		return 0;
	for (i = 0; i < a->ncerts; i++)
		if (a->cert_pem[i] == pem)
			return X509_cmp(a->cert_x[i], cert) == 0;
	x = docket_cert_from_pem(pem, -1);
	same = x && X509_cmp(x, cert) == 0;
	if (x && a->ncerts < 4096) {
		a->cert_pem[a->ncerts] = pem;
		a->cert_x[a->ncerts++] = x;
	} else {
		X509_free(x);
	}
	return same;
}

/*
 * A signature carried over unchanged, over content and header that did not change, was
 * verified when it was added: take it out of this version before verifying, so the replay
 * verifies each signature once (the audit runs at the speed of verification itself).
 */
static void skip_verified(docket_doc *old, docket_doc *doc)
{
	xmlNodePtr oroot, nroot, nsigs, s, next;

	if (!old)
		return;
	oroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old));
	nroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if (!same_node(N(oroot, "content"), N(nroot, "content")) || !same_node(N(oroot, "header"), N(nroot, "header")))
		return;
	nsigs = N(nroot, "signatures");
	for (s = nsigs ? nsigs->children : NULL; s; s = next) {
		xmlNodePtr o;
		char *mine;
		int kept = 0;
		next = s->next;
		if (!docket_xml_is(s, DOCKET_DSIG_NS, "Signature"))
			continue;
		mine = node_xml(s);
		for (o = N(oroot, "signatures") ? N(oroot, "signatures")->children : NULL; o && !kept; o = o->next) {
			char *theirs;
			if (!docket_xml_is(o, DOCKET_DSIG_NS, "Signature"))
				continue;
			theirs = node_xml(o);
			kept = mine && theirs && strcmp(mine, theirs) == 0;
			free(theirs);
		}
		free(mine);
		if (kept) {
			xmlUnlinkNode(s);
			xmlFreeNode(s);
		}
	}
}

/* Whether signature ID already failed in OLD (the parent's version): then the commit that broke
 * it was reported there, and this one is not to blame for it. */
static int failed_before(docket_doc *old, const char *id, const char *trust)
{
	docket_sig_result *r = NULL;
	size_t n = 0, i;
	int failed = 0;

	if (!old || !id)
		return 0;
	docket_xmldsig_verify_xml(&r, &n, (xmlDocPtr)docket_doc_xml(old), trust);
	docket_error_clear();
	for (i = 0; i < n; i++)
		if (r[i].id && strcmp(r[i].id, id) == 0)
			failed = r[i].status != DOCKET_SIG_OK;
	docket_sig_results_free(r, n);
	return failed;
}

/* Check every signature of the new version; TRANSITION's required signature must be new. */
static void check_signatures(audit_ctx *a, const char *commit, const char *id, docket_doc *old,
                             docket_doc *doc, const docket_transition_def *t, const docket_person *actor)
{
	docket_sig_result *res = NULL;
	size_t n = 0, i;
	sig_ids oldids, newids;
	int found_required = 0;

	if (sig_ids_load(&oldids, old) < 0 || sig_ids_load(&newids, doc) < 0) {
		sig_ids_free(&oldids);
		a->error = DOCKET_ERROR;
		return;
	}
	if (newids.n == 0) {
		if (t && t->signature)
			finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
			        "but the document carries none", actor ? actor->id : "?", t->id, t->signature);
		goto cleanup;
	}
	if (!a->opts->trust) {
		/* without a trust anchor only the presence of the required signature can be judged */
		if (t && t->signature) {
			if (newids.n <= oldids.n)
				finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
				        "but no new signature was added", actor ? actor->id : "?", t->id, t->signature);
		}
		goto cleanup;
	}
	skip_verified(old, doc);
	docket_xmldsig_verify_xml(&res, &n, (xmlDocPtr)docket_doc_xml(doc), a->opts->trust);
	docket_error_clear();
	a->out->signatures += n;
	for (i = 0; i < n; i++) {
		int is_new = !sig_ids_has(&oldids, res[i].id);
		if (res[i].status != DOCKET_SIG_OK) {
			if (is_new) {
				finding(a, "signature-invalid", commit, id, "signature %s is not valid: %s",
				        res[i].id ? res[i].id : "?", res[i].reason ? res[i].reason : "verification failed");
				/* the required signature is there, and reported as invalid: not also "missing"
				 * (what a signature that fails claims to be for is unknown when its value fails) */
				if (t && t->signature && (!res[i].transition || strcmp(res[i].transition, t->id) == 0))
					found_required = 1;
			} else if (!failed_before(old, res[i].id, a->opts->trust))
				finding(a, "content-changed-after-signing", commit, id,
				        "signature %s (%s, %s) no longer verifies: %s", res[i].id ? res[i].id : "?",
				        res[i].signer ? res[i].signer : "?", res[i].transition ? res[i].transition : "?",
				        res[i].reason ? res[i].reason : "verification failed");
			continue;
		}
		if (is_new && t && t->signature && res[i].transition && strcmp(res[i].transition, t->id) == 0) {
			found_required = 1;
			if (actor && !cert_matches(a, actor->cert, res[i].cert ? docket_cert_x509(res[i].cert) : NULL))
				finding(a, "signature-wrong-signer", commit, id, "signature %s was made by '%s', not with the "
				        "certificate recorded for the actor '%s'", res[i].id ? res[i].id : "?",
				        res[i].signer ? res[i].signer : "?", actor->id);
		}
	}
	if (t && t->signature && !found_required)
		finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
		        "but no valid new signature for it was found", actor ? actor->id : "?", t->id, t->signature);
	docket_sig_results_free(res, n);
cleanup:
	sig_ids_free(&oldids);
	sig_ids_free(&newids);
}

/* A file of a tree already in hand (the commit's or its parent's): no revision to resolve. */
static int read_tree_blob(char **out, size_t *len, audit_ctx *a, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;

	*out = NULL;
	if (!tree || git_tree_entry_bypath(&e, tree, path) < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
	    git_blob_lookup(&b, docket_repo_git(a->repo), git_tree_entry_id(e)) < 0) {
		git_tree_entry_free(e);
		return DOCKET_ENOTFOUND;
	}
	*len = (size_t)git_blob_rawsize(b);
	*out = docket_strndup(git_blob_rawcontent(b), *len);
	git_blob_free(b);
	git_tree_entry_free(e);
	return *out ? 0 : DOCKET_ERROR;
}

/*
 * Signatures are never removed, except all of them when a transition sends the document
 * back to an editable state (a return): it is then no longer the text they signed.
 */
static void check_removed_signatures(audit_ctx *a, const char *commit, const char *id, docket_doc *old,
                                     docket_doc *doc, int back_to_editable)
{
	sig_ids oldids, newids;

	if (sig_ids_load(&oldids, old) < 0 || sig_ids_load(&newids, doc) < 0) {
		sig_ids_free(&oldids);
		a->error = DOCKET_ERROR;
		return;
	}
	for (size_t i = 0; !(back_to_editable && newids.n == 0) && i < oldids.n; i++)
		if (!sig_ids_has(&newids, oldids.ids[i]))
			finding(a, "signature-removed", commit, id, "signature %s was removed from the document",
			        oldids.ids[i]);
	sig_ids_free(&oldids);
	sig_ids_free(&newids);
}

static void audit_document(audit_ctx *a, const char *commit, const char *parent, git_tree *ptree,
                           git_tree *tree, const char *msg, const char *path)
{
	const char *base = strrchr(path, '/');
	char id[256], *oldbuf = NULL, *newbuf = NULL, *tr_doc, *tr_transition, *tr_action, *tr_actor;
	size_t oldlen = 0, newlen = 0;
	docket_doc *old = NULL, *doc = NULL;
	docket_config *cfg = parent ? config_at(a, ptree, parent) : NULL;
	docket_workflow *wf;
	docket_person person;
	int have_person;
	xmlNodePtr oroot = NULL, nroot, osteps[1], nsteps_list[1];
	size_t nold, nnew;
	const char *ostate, *nstate;

	snprintf(id, sizeof(id), "%.*s", (int)(strlen(base ? base + 1 : path) - 4), base ? base + 1 : path);
	if (!wanted(a, id))
		return;
	tr_doc = docket_trailer(msg, "Docket-Document");
	tr_transition = docket_trailer(msg, "Docket-Transition");
	tr_action = docket_trailer(msg, "Docket-Action");
	tr_actor = docket_trailer(msg, "Docket-Actor");
	if (!tr_doc && !tr_action && !tr_transition) {
		finding(a, "outside-docket", commit, id, "%s was changed by a commit without docket's trailers "
		        "(an edit made outside docket)", path);
		goto cleanup;
	}
	if (parent && read_tree_blob(&oldbuf, &oldlen, a, ptree, path) == 0)
		docket_doc_parse(&old, oldbuf, oldlen, path);
	docket_error_clear();
	if (read_tree_blob(&newbuf, &newlen, a, tree, path) < 0) {
		docket_error_clear();
		finding(a, "document-deleted", commit, id, "%s was deleted; documents are never deleted, only "
		        "replaced or recalled", path);
		goto cleanup;
	}
	if (docket_doc_parse(&doc, newbuf, newlen, path) < 0) {
		finding(a, "document-invalid", commit, id, "%s", docket_error_last());
		docket_error_clear();
		goto cleanup;
	}
	/* validity is judged where content enters or changes: a transition changes neither
	 * (and is checked for that below), so re-validating it would only cost time */
	if (!old || !same_node(N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old)), "content"),
	                       N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), "content"))) {
		docket_schema *schema = schema_at(a, tree, commit);
		docket_findings *f = NULL;
		if (schema && docket_findings_new(&f) == 0) {
			docket_validate_flags(f, schema, doc, a->repo, commit, DOCKET_VALIDATE_NO_REFS);
			if (docket_findings_count(f)) {
				const docket_finding *x = docket_findings_get(f, 0);
				finding(a, "document-invalid", commit, id, "%s:%d:%d: %s", x->file, x->line, x->col, x->message);
			}
			docket_findings_free(f);
		}
	}
	nroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	wf = workflow_at(a, parent ? ptree : tree, parent ? parent : commit, docket_doc_kind(doc));
	if (!wf) {
		finding(a, "illegal-transition", commit, id, "no workflow for '%s' was in force", docket_doc_kind(doc));
		goto cleanup;
	}
	nstate = docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf);
	if (!old) {
		/* a new document enters in the initial state, without history */
		if (strcmp(nstate, docket_workflow_initial(wf)) != 0 || steps(nroot, nsteps_list, 0) > 0)
			finding(a, "illegal-transition", commit, id, "%s entered the repository in state '%s' with "
			        "workflow steps; a new document starts as '%s'", path, nstate, docket_workflow_initial(wf));
		goto cleanup;
	}
	oroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old));
	ostate = docket_doc_state(old) ? docket_doc_state(old) : docket_workflow_initial(wf);
	nold = steps(oroot, osteps, 0);
	nnew = steps(nroot, nsteps_list, 0);
	{
		/* the steps are append-only: the old ones must be kept exactly */
		xmlNodePtr so = N(N(oroot, "workflow"), "step"), sn = N(N(nroot, "workflow"), "step");
		for (; so; so = docket_xml_next(so), sn = docket_xml_next(sn)) {
			if (!sn || !same_node(so, sn)) {
				finding(a, "steps-rewritten", commit, id, "the workflow steps of %s were changed or removed; "
				        "they may only be appended", path);
				goto cleanup;
			}
		}
	}
	have_person = cfg && tr_actor && docket_config_person(&person, cfg, tr_actor) == 0;
	docket_error_clear();
	if (nnew == nold) {
		/* an edit: content may change only in an editable state, and the state not at all */
		if (strcmp(ostate, nstate) != 0) {
			finding(a, "illegal-transition", commit, id, "the state changed from '%s' to '%s' without a "
			        "workflow step", ostate, nstate);
		} else if (!docket_workflow_is_editable(wf, ostate)) {
			finding(a, "content-changed-in-non-editable-state", commit, id, "%s was edited in the state "
			        "'%s', which is not editable", path, ostate);
		}
		check_removed_signatures(a, commit, id, old, doc, 0);
		check_signatures(a, commit, id, old, doc, NULL, NULL);
		goto cleanup;
	}
	if (nnew > nold + 1) {
		finding(a, "illegal-transition", commit, id, "%zu workflow steps were added in one commit; each "
		        "action is one commit", nnew - nold);
		goto cleanup;
	}
	{
		xmlNodePtr step = N(N(nroot, "workflow"), "step");
		char *sfrom, *sto, *str, *sactor, *stext;
		const docket_transition_def *t;
		int from_ok = 0;
		docket_buf why = DOCKET_BUF_INIT;
		char *unit = docket_doc_unit_text(old);

		for (size_t k = 0; k < nold; k++)
			step = docket_xml_next(step);
		sfrom = prop(step, "from");
		sto = prop(step, "to");
		str = prop(step, "transition");
		sactor = prop(step, "actor");
		stext = step ? docket_xml_text_trim(step) : NULL;
		t = docket_workflow_transition(wf, str);
		if (!t) {
			finding(a, "illegal-transition", commit, id, "'%s' is not a transition of the %s workflow in force",
			        str ? str : "", docket_doc_kind(doc));
		} else {
			for (const char *const *f = t->from; f && *f; f++)
				from_ok |= strcmp(*f, ostate) == 0;
			if (!from_ok || !sfrom || strcmp(sfrom, ostate) || !sto || strcmp(sto, t->to) ||
			    strcmp(nstate, t->to))
				finding(a, "illegal-transition", commit, id, "'%s' from '%s' to '%s' is not allowed by the "
				        "workflow in force (the document was '%s')", str, sfrom ? sfrom : "?",
				        nstate, ostate);
			if (!tr_transition || strcmp(tr_transition, str) || !tr_actor || !sactor || strcmp(tr_actor, sactor))
				finding(a, "trailer-mismatch", commit, id, "the commit's trailers (%s by %s) do not match "
				        "the workflow step (%s by %s)", tr_transition ? tr_transition : "none",
				        tr_actor ? tr_actor : "nobody", str, sactor ? sactor : "nobody");
			{
				docket_person sp;
				int known = cfg && sactor && docket_config_person(&sp, cfg, sactor) == 0;
				docket_error_clear();
				if (!known)
					finding(a, "unauthorised-actor", commit, id, "'%s' who took '%s' is not a person of the "
					        "organisation in the configuration then in force", sactor ? sactor : "", str);
				else if (!docket_authorise(t, &sp, cfg, old, unit, &why))
					finding(a, "unauthorised-actor", commit, id, "%s", why.ptr ? why.ptr : "not allowed");
				else if (!docket_separated(t, oroot, sactor, &why))
					finding(a, "separation-of-duties", commit, id, "%s", why.ptr);
				if (t->reason_required && (!stext || !*stext))
					finding(a, "reason-missing", commit, id, "'%s' requires a reason and none was given", str);
				if (!same_node(N(oroot, "content"), N(nroot, "content")))
					finding(a, docket_workflow_is_editable(wf, ostate) ? "content-changed-in-transition" :
					        "content-changed-in-non-editable-state", commit, id,
					        "the content of %s changed during '%s'", path, str);
				if (!same_header(N(oroot, "header"), N(nroot, "header"), t->assign_number))
					finding(a, "content-changed-in-non-editable-state", commit, id,
					        "the header of %s changed during '%s'%s", path, str,
					        t->assign_number ? " beyond its number and date" : "");
				check_removed_signatures(a, commit, id, old, doc, docket_workflow_is_editable(wf, t->to));
				check_signatures(a, commit, id, old, doc, t, known ? &sp : NULL);
			}
		}
		docket_buf_free(&why);
		free(unit);
		free(sfrom);
		free(sto);
		free(str);
		free(sactor);
		free(stext);
	}
	(void)have_person;
cleanup:
	free(tr_doc);
	free(tr_transition);
	free(tr_action);
	free(tr_actor);
	free(oldbuf);
	free(newbuf);
	docket_doc_free(old);
	docket_doc_free(doc);
}

static int admin_with_cert(const docket_config *cfg)
{
	for (size_t i = 0; i < docket_config_person_count(cfg); i++) {
		docket_person p;
		docket_config_person_at(&p, cfg, i);
		if (p.cert && docket_person_has_role(&p, "admin"))
			return 1;
	}
	return 0;
}

static void audit_config(audit_ctx *a, const char *commit, const char *parent, git_tree *ptree,
                         git_commit *c, const char *msg)
{
	docket_config *cfg = parent ? config_at(a, ptree, parent) : NULL;
	char *actor = docket_trailer(msg, "Docket-Actor");
	docket_person p;

	if (!parent || !cfg || !docket_config_has_admin(cfg)) {
		free(actor); /* before the first administrator: the bootstrap */
		return;
	}
	if (!actor || docket_config_person(&p, cfg, actor) < 0 || !docket_person_has_role(&p, "admin")) {
		finding(a, "config-not-by-admin", commit, NULL, "the configuration (.docket/) was changed by '%s', "
		        "who is not an administrator", actor ? actor : git_commit_author(c)->name);
		docket_error_clear();
		free(actor);
		return;
	}
	if (a->opts->trust && admin_with_cert(cfg)) {
		/* a configuration change must be signed by that administrator's key (principle 5);
		 * until an administrator's certificate is recorded there is nothing to check against */
		git_buf sig = GIT_BUF_INIT, data = GIT_BUF_INIT;
		char *pub = NULL, *want = NULL;
		int ok = 0;
		if (git_commit_extract_signature(&sig, &data, docket_repo_git(a->repo), (git_oid *)git_commit_id(c), NULL) == 0 &&
		    docket_sshsig_verify(&pub, sig.ptr, data.ptr, data.size) == 0 && p.cert) {
			X509 *x = docket_cert_from_pem(p.cert, -1);
			if (x && docket_x509_verify_chain(x, a->opts->trust, (time_t)git_commit_time(c)) == 0 &&
			    docket_x509_ssh_pubkey(&want, x) == 0 && strcmp(want, pub) == 0)
				ok = 1;
			X509_free(x);
		}
		docket_error_clear();
		if (!ok)
			finding(a, "config-not-signed", commit, NULL, "the configuration change by administrator '%s' is "
			        "not signed with a key certified by the trusted CA", actor);
		free(pub);
		free(want);
		git_buf_dispose(&sig);
		git_buf_dispose(&data);
	}
	free(actor);
}

typedef struct {
	audit_ctx *a;
} scan_state;

static int audit_commit(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	audit_ctx *a = payload;
	git_repository *git = docket_repo_git(a->repo);
	git_commit *c = NULL, *p = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_oid oid;
	char parent[41] = "";
	const char *msg;
	size_t i;
	int config_done = 0;

	a->out->commits++;
	if (!npaths)
		return 0;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		a->error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", commit);
		goto done;
	}
	if (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) == 0 && git_commit_tree(&ptree, p) == 0)
		git_oid_tostr(parent, sizeof(parent), git_commit_id(p));
	msg = git_commit_message(c);
	for (i = 0; i < npaths && !a->error; i++) {
		if (strncmp(paths[i], ".docket/register/", 17) == 0) {
			/* the register grows only by an issue, in the same commit as the number */
			char *number = docket_trailer(msg, "Docket-Number");
			if (!number)
				finding(a, "register-changed", commit, NULL, "the register %s was changed by a commit that "
				        "assigned no number", paths[i]);
			free(number);
		} else if (strncmp(paths[i], ".docket/", 8) == 0) {
			if (!config_done++)
				audit_config(a, commit, parent[0] ? parent : NULL, ptree, c, msg);
		} else if (strlen(paths[i]) > 4 && strcmp(paths[i] + strlen(paths[i]) - 4, ".xml") == 0) {
			audit_document(a, commit, parent[0] ? parent : NULL, ptree, tree, msg, paths[i]);
		}
	}
done:
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(c);
	git_commit_free(p);
	return a->error ? 1 : 0;
}

/* --- the cache ------------------------------------------------------------------------------ */

static void trust_key(char out[65], const char *trust)
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	char *buf = NULL;
	size_t len = 0;

	snprintf(out, 65, "none");
	if (!trust || docket_file_read(&buf, &len, trust, 1 << 20) < 0) {
		docket_error_clear();
		return;
	}
	if (EVP_Digest(buf, len, md, &mdlen, EVP_sha256(), NULL))
		for (unsigned int i = 0; i < mdlen && i < 32; i++)
			snprintf(out + 2 * i, 3, "%02x", md[i]);
	free(buf);
}

static void clean(char *s)
{
	for (; s && *s; s++)
		if (*s == '\t' || *s == '\n' || *s == '\r')
			*s = ' ';
}

static int cache_load(audit_ctx *a, const char *path, char tip[41], const char *tkey)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, ctip[64], ckey[80];
	size_t cap = 0;
	ssize_t n;

	tip[0] = '\0';
	if (!f)
		return 0;
	if (getline(&line, &cap, f) <= 0 || sscanf(line, "docket-audit " AUDIT_RULES " %63s %79s", ctip, ckey) != 2 ||
	    strlen(ctip) != 40 || strspn(ctip, "0123456789abcdef") != 40 || strcmp(ckey, tkey) != 0) {
		free(line);
		fclose(f);
		return 0;
	}
	memcpy(tip, ctip, 41);
	while ((n = getline(&line, &cap, f)) > 0) {
		char *kind, *commit, *doc, *msg;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		kind = strtok(line, "\t");
		commit = strtok(NULL, "\t");
		doc = strtok(NULL, "\t");
		msg = strtok(NULL, "");
		if (!kind || !commit || !doc || !msg)
			continue;
		finding(a, kind, strcmp(commit, "-") ? commit : NULL, strcmp(doc, "-") ? doc : NULL, "%s", msg);
	}
	free(line);
	fclose(f);
	return 0;
}

static void cache_save(audit_ctx *a, const char *path, const char *tip, const char *tkey)
{
	docket_buf b = DOCKET_BUF_INIT;
	size_t i;

	docket_buf_printf(&b, "docket-audit " AUDIT_RULES " %s %s\n", tip, tkey);
	for (i = 0; i < a->out->n; i++) {
		docket_audit_finding *f = &a->out->findings[i];
		clean(f->message);
		docket_buf_printf(&b, "%s\t%s\t%s\t%s\n", f->kind, f->commit[0] ? f->commit : "-",
		                  f->document ? f->document : "-", f->message);
	}
	if (docket_file_write_atomic(path, b.ptr, b.len, 0644) < 0)
		docket_error_clear(); /* a read-only repository: no cache, same verdicts */
	docket_buf_free(&b);
}

int docket_audit(docket_audit_result *out, docket_repo *repo, const docket_audit_options *opts)
{
	static const docket_audit_options none = DOCKET_AUDIT_OPTIONS_INIT;
	audit_ctx a;
	docket_buf cache = DOCKET_BUF_INIT;
	char tip[41], cached_tip[41] = "", old_index_tip[41], since[41] = "", tkey[65];
	int rewritten = 0, error, use_cache;
	size_t i;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	if (opts && (error = docket_options_check(opts->version, DOCKET_AUDIT_OPTIONS_VERSION,
	                                          "docket_audit_options", "DOCKET_AUDIT_OPTIONS_INIT")) < 0)
		return error;
	a.repo = repo;
	a.opts = opts ? opts : &none;
	a.out = out;
	out->trust_used = a.opts->trust != NULL;
	use_cache = !a.opts->no_cache && !a.opts->since && !(a.opts->docs && a.opts->ndocs);
	if ((error = docket_history_update(&rewritten, old_index_tip, repo)) < 0)
		return error;
	if ((error = docket_repo_resolve(tip, repo, NULL)) < 0)
		return error;
	if (a.opts->since && (error = docket_repo_resolve(since, repo, a.opts->since)) < 0)
		return error;
	trust_key(tkey, a.opts->trust);
	docket_buf_printf(&cache, "%sdocket/audit", docket_repo_gitdir(repo));
	if (use_cache || !a.opts->no_cache) {
		/* even when not using the verdicts, a rewritten history must be reported */
		audit_ctx probe = a;
		docket_audit_result tmp;
		memset(&tmp, 0, sizeof(tmp));
		probe.out = &tmp;
		cache_load(&probe, cache.ptr, cached_tip, tkey);
		if (use_cache) {
			docket_audit_result_free(out);
			*out = tmp;
			out->trust_used = a.opts->trust != NULL;
			a.out = out;
		} else {
			docket_audit_result_free(&tmp);
		}
	}
	if (cached_tip[0]) {
		git_oid t, c;
		if (git_oid_fromstr(&t, tip) < 0 || git_oid_fromstr(&c, cached_tip) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read the audited tip");
			goto cleanup;
		}
		if (!git_oid_equal(&t, &c) && git_graph_descendant_of(docket_repo_git(repo), &t, &c) != 1) {
			/* what was audited is gone: report it, then judge the new history from scratch */
			if (use_cache) {
				docket_audit_result_free(out);
				memset(out, 0, sizeof(*out));
				out->trust_used = a.opts->trust != NULL;
			}
			finding(&a, "history-rewritten", NULL, NULL, "the previously audited commit %.12s is no longer "
			        "in the history of the main branch: history was rewritten", cached_tip);
			cached_tip[0] = '\0';
		}
	} else if (rewritten && old_index_tip[0]) {
		finding(&a, "history-rewritten", NULL, NULL, "the previously indexed commit %.12s is no longer in the "
		        "history of the main branch: history was rewritten", old_index_tip);
	}
	if (use_cache && cached_tip[0] && strcmp(cached_tip, tip) == 0)
		goto save;
	error = docket_history_scan(repo, since[0] ? since : (use_cache && cached_tip[0] ? cached_tip : NULL),
	                            audit_commit, &a);
	if (a.error)
		error = a.error;
	if (error < 0)
		goto cleanup;
	if (use_cache && cached_tip[0]) {
		/* commits whose verdicts came from the cache */
		out->cached = 1;
	}
save:
	if (!a.opts->no_cache && !a.opts->since && !(a.opts->docs && a.opts->ndocs))
		cache_save(&a, cache.ptr, tip, tkey);
	error = 0;
cleanup:
	for (i = 0; i < 3; i++)
		docket_workflow_free(a.wf[i]);
	certs_reset(&a);
	docket_config_free(a.cfg);
	docket_schema_free(a.schema);
	docket_buf_free(&cache);
	return error;
}

void docket_audit_result_free(docket_audit_result *r)
{
	size_t i;
	if (!r)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->findings[i].kind);
		free(r->findings[i].document);
		free(r->findings[i].message);
	}
	free(r->findings);
	memset(r, 0, sizeof(*r));
}

int docket_audit_options_init(docket_audit_options *opts, unsigned int version)
{
	const docket_audit_options init = DOCKET_AUDIT_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_audit_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_AUDIT_OPTIONS_VERSION, "docket_audit_options",
	                                  "DOCKET_AUDIT_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

/*
 * The audit of the commits FEED gives (hook.c: the commits of a push, which are on no branch
 * yet), judged exactly as docket_audit judges them, without the history index or the cache.
 */
int docket_audit_commits(docket_audit_result *out, docket_repo *repo, const docket_audit_options *opts,
                         docket_audit_feed feed, void *payload)
{
	static const docket_audit_options none = DOCKET_AUDIT_OPTIONS_INIT;
	audit_ctx a;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&a, 0, sizeof(a));
	if (opts && (error = docket_options_check(opts->version, DOCKET_AUDIT_OPTIONS_VERSION,
	                                          "docket_audit_options", "DOCKET_AUDIT_OPTIONS_INIT")) < 0)
		return error;
	a.repo = repo;
	a.opts = opts ? opts : &none;
	a.out = out;
	out->trust_used = a.opts->trust != NULL;
	error = feed(audit_commit, &a, payload);
	if (a.error)
		error = a.error;
	for (size_t i = 0; i < 3; i++)
		docket_workflow_free(a.wf[i]);
	certs_reset(&a);
	docket_config_free(a.cfg);
	docket_schema_free(a.schema);
	return error < 0 ? error : 0;
}
