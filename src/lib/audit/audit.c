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
#include <stdint.h>
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
#define AUDIT_RULES "5"

/*
 * A commit's tree and the folders under it looked up so far: its changed paths share their
 * folders (documents/K/Y/U/), whose trees - larger than libgit2 keeps in its object cache -
 * would otherwise be read from the pack again for each path and each check.
 */
typedef struct {
	git_tree *root; /* borrowed (NULL in audit_ctx's last: only the folders are kept) */
	git_oid id;     /* the root's */
	int has_id;
	char **dir;
	git_tree **t;
	size_t n, cap;
} tree_dirs;

typedef struct {
	docket_repo *repo;
	const docket_audit_options *opts;
	docket_audit_result *out;
	/* one-entry caches: configuration and schemas change rarely */
	char cfg_oid[41];
	docket_config *cfg;
	char schema_oid[41];
	docket_schema *schema;
	char wf_oid[4][41];
	docket_workflow *wf[4]; /* plan, report, task, document */
	/* the certificates of the configuration in force, decoded once: pem pointer -> X509 */
	const char *cert_pem[4096];
	X509 *cert_x[4096];
	size_t ncerts;
	int error;
	/* signed history (commitsig.c, register.c): the certificates of the configuration in
	 * force, the numbers given so far, and the notes summed over the replay */
	docket_csig_cache *csig;
	docket_numbering *numbers;
	size_t nbootstrap, nlegacy;
	char bootstrap_first[41], bootstrap_last[41], legacy_first[41], legacy_last[41];
	/* docket_audit_commits (a push, judged without the rest of the history): the registers
	 * whose numbers were taken from the parent's version before their first change here */
	int seed_registers;
	char **seeded;
	size_t nseeded;
	/* the documents of the commit being judged whose annexes (list or files) changed */
	char **annex_docs;
	size_t nannex;
	/* duplicate ids: how many files of the tree being judged sit at documents/K/Y/U/NAME,
	 * by NAME (what docket_tree_count_id counts), kept up to date from each commit's changed
	 * paths instead of counted over the whole tree for every new document */
	xmlHashTablePtr names;
	int names_ready;
	/* the replay: the worker threads, the commits read but not judged yet (a ring), and
	 * the progress counter */
	docket_pool *pool;
	git_odb *odb;
	tree_dirs last; /* the folders of the last commit read: the next one's parent's */
	void **window;
	size_t wcap, whead, wlen;
	size_t judged, total;
} audit_ctx;

/* --- trees and the folders looked up in them ---------------------------------------------- */

static void dirs_clear(tree_dirs *w)
{
	for (size_t i = 0; i < w->n; i++) {
		free(w->dir[i]);
		git_tree_free(w->t[i]);
	}
	free(w->dir);
	free(w->t);
	memset(w, 0, sizeof(*w));
}

static int dirs_add(tree_dirs *w, const char *dir, size_t len, git_tree *t)
{
	char *d;

	if (w->n == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 8;
		char **dv = realloc(w->dir, cap * sizeof(*dv));
		git_tree **tv = dv ? realloc(w->t, cap * sizeof(*tv)) : NULL;
		if (dv)
			w->dir = dv;
		if (!tv)
			return -1;
		w->t = tv;
		w->cap = cap;
	}
	if (!(d = docket_strndup(dir, len)))
		return -1;
	w->dir[w->n] = d;
	w->t[w->n++] = t;
	return 0;
}

/* The tree of folder DIR (LEN bytes, "" the root) of W, or NULL when there is none. */
static git_tree *dirs_tree(git_repository *git, tree_dirs *w, const char *dir, size_t len)
{
	const char *name = dir + len;
	const git_tree_entry *e;
	git_tree *parent, *t = NULL;
	char *base;

	if (!len)
		return w->root;
	for (size_t i = 0; i < w->n; i++)
		if (strlen(w->dir[i]) == len && memcmp(w->dir[i], dir, len) == 0)
			return w->t[i];
	while (name > dir && name[-1] != '/')
		name--;
	if (!(parent = dirs_tree(git, w, dir, name > dir ? (size_t)(name - 1 - dir) : 0)) ||
	    !(base = docket_strndup(name, len - (size_t)(name - dir))))
		return NULL;
	e = git_tree_entry_byname(parent, base);
	free(base);
	if (!e || git_tree_entry_type(e) != GIT_OBJECT_TREE || git_tree_lookup(&t, git, git_tree_entry_id(e)) < 0)
		return NULL;
	if (dirs_add(w, dir, len, t) < 0) {
		git_tree_free(t);
		return NULL;
	}
	return t;
}

/* git_tree_entry_bypath on W's tree (an empty W has none): *OUT to free with git_tree_entry_free. */
static int dirs_entry(git_tree_entry **out, git_repository *git, tree_dirs *w, const char *path)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	const git_tree_entry *e;
	git_tree *t;

	*out = NULL;
	if (!w->root || !*base || !(t = dirs_tree(git, w, path, slash ? (size_t)(slash - path) : 0)) ||
	    !(e = git_tree_entry_byname(t, base)) || git_tree_entry_dup(out, e) < 0) {
		git_error_clear();
		return DOCKET_ENOTFOUND;
	}
	return 0;
}

/* W for tree ROOT, starting from the folders of PREV when it is the same tree. */
static void dirs_init(tree_dirs *w, git_tree *root, const tree_dirs *prev)
{
	memset(w, 0, sizeof(*w));
	if (!(w->root = root))
		return;
	git_oid_cpy(&w->id, git_tree_id(root));
	w->has_id = 1;
	if (!prev->has_id || !git_oid_equal(&w->id, &prev->id))
		return;
	for (size_t i = 0; i < prev->n; i++) {
		git_object *t = NULL;
		if (git_object_dup(&t, (git_object *)prev->t[i]) < 0 ||
		    dirs_add(w, prev->dir[i], strlen(prev->dir[i]), (git_tree *)t) < 0) {
			git_object_free(t);
			return; /* the rest looked up again when needed */
		}
	}
}

static void certs_reset(audit_ctx *a)
{
	for (size_t i = 0; i < a->ncerts; i++)
		X509_free(a->cert_x[i]);
	a->ncerts = 0;
	docket_csig_cache_reset(a->csig);
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
	for (char *m = msg; *m; m++)
		if ((unsigned char)*m < 0x20 || *m == 0x7f)
			*m = '?'; /* a tree name may hold a newline: one finding, one line */
	if (docket_audit_kind_is_note(kind)) {
		if (!(f = realloc(a->out->notes, (a->out->nnotes + 1) * sizeof(*f)))) {
			a->error = docket_error_set(DOCKET_ERROR, "out of memory");
			return;
		}
		a->out->notes = f;
		f = &f[a->out->nnotes++];
	} else {
		if (!(f = realloc(a->out->findings, (a->out->n + 1) * sizeof(*f)))) {
			a->error = docket_error_set(DOCKET_ERROR, "out of memory");
			return;
		}
		a->out->findings = f;
		f = &f[a->out->n++];
	}
	f->kind = docket_strdup(kind);
	snprintf(f->commit, sizeof(f->commit), "%s", commit ? commit : "");
	f->document = doc ? docket_strdup(doc) : NULL;
	for (char *m = f->document; m && *m; m++)
		if ((unsigned char)*m < 0x20 || *m == 0x7f)
			*m = '?';
	f->message = docket_strdup(msg);
	if (!f->kind || (doc && !f->document) || !f->message)
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
}

/* The other files' checks report through here (docket_report_fn). */
static void report_cb(void *ctx, const char *kind, const char *commit, const char *doc, const char *message)
{
	finding(ctx, kind, commit, doc, "%s", message);
}

int docket_audit_kind_is_note(const char *kind)
{
	static const char *const notes[] = { "unsigned-bootstrap", "unsigned-legacy", "unsigned-action",
	                                     "legacy-signature", NULL };
	for (const char *const *k = notes; kind && *k; k++)
		if (strcmp(*k, kind) == 0)
			return 1;
	return 0;
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
	int k = kind && !strcmp(kind, "plan") ? 0 : kind && !strcmp(kind, "report") ? 1 :
	        kind && !strcmp(kind, "document") ? 3 : 2;

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

static int same_list(xmlNodePtr a, xmlNodePtr b);

static int same_prefix(xmlNsPtr a, xmlNsPtr b)
{
	if (!a || !b)
		return !a && !b;
	return xmlStrEqual(a->prefix, b->prefix);
}

/*
 * Whether X and Y are the same tree, compared in memory: names, namespace prefixes and
 * declarations, attributes and text, in order - everything xmlNodeDump writes of them, so
 * the same here means the same bytes serialised. 0 means "not shown the same", not
 * "different": the caller then compares the serialisations.
 */
static int same_tree(xmlNodePtr a, xmlNodePtr b)
{
	xmlNsPtr na, nb;
	xmlAttrPtr pa, pb;

	if (a->type != b->type)
		return 0;
	switch (a->type) {
	case XML_ELEMENT_NODE:
		if (!xmlStrEqual(a->name, b->name) || !same_prefix(a->ns, b->ns))
			return 0;
		for (na = a->nsDef, nb = b->nsDef; na && nb; na = na->next, nb = nb->next)
			if (!xmlStrEqual(na->prefix, nb->prefix) || !xmlStrEqual(na->href, nb->href))
				return 0;
		if (na || nb)
			return 0;
		for (pa = a->properties, pb = b->properties; pa && pb; pa = pa->next, pb = pb->next)
			if (pa->type != pb->type || !xmlStrEqual(pa->name, pb->name) || !same_prefix(pa->ns, pb->ns) ||
			    !same_list(pa->children, pb->children))
				return 0;
		if (pa || pb)
			return 0;
		return same_list(a->children, b->children);
	case XML_TEXT_NODE:
	case XML_COMMENT_NODE:
	case XML_CDATA_SECTION_NODE:
	case XML_PI_NODE:
		return xmlStrEqual(a->name, b->name) && xmlStrEqual(a->content, b->content);
	default:
		return 0;
	}
}

static int same_list(xmlNodePtr a, xmlNodePtr b)
{
	for (; a && b; a = a->next, b = b->next)
		if (!same_tree(a, b))
			return 0;
	return !a && !b;
}

/* Byte comparison first: the same tree in memory, else the same serialisation. */
static int same_node(xmlNodePtr x, xmlNodePtr y)
{
	char *a, *b;
	int same;

	if (x && y && same_tree(x, y))
		return 1;
	a = node_xml(x);
	b = node_xml(y);
	same = a && b && strcmp(a, b) == 0;
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
 * verified when it was added: leave it out of this version's verification, so the replay
 * verifies each signature once (the audit runs at the speed of verification itself). The
 * signatures to leave out of DOC are put in *SKIP (malloc'd, *NSKIP of them); DOC is not
 * changed (a worker thread may be reading it).
 */
static int verified_before(xmlNodePtr **skip, size_t *nskip, docket_doc *old, docket_doc *doc)
{
	xmlNodePtr oroot, nroot, nsigs, s;
	size_t cap = 0;

	*skip = NULL;
	*nskip = 0;
	if (!old)
		return 0;
	oroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old));
	nroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if (!same_node(N(oroot, "content"), N(nroot, "content")) || !same_node(N(oroot, "header"), N(nroot, "header")))
		return 0;
	nsigs = N(nroot, "signatures");
	for (s = nsigs ? nsigs->children : NULL; s; s = s->next) {
		xmlNodePtr o;
		int kept = 0;
		if (!docket_xml_is(s, DOCKET_DSIG_NS, "Signature"))
			continue;
		for (o = N(oroot, "signatures") ? N(oroot, "signatures")->children : NULL; o && !kept; o = o->next)
			kept = docket_xml_is(o, DOCKET_DSIG_NS, "Signature") && same_node(s, o);
		if (!kept)
			continue;
		if (*nskip == cap) {
			xmlNodePtr *grown = realloc(*skip, (cap = cap ? cap * 2 : 8) * sizeof(*grown));
			if (!grown) {
				free(*skip);
				*skip = NULL;
				*nskip = 0;
				return docket_error_set(DOCKET_ERROR, "out of memory");
			}
			*skip = grown;
		}
		(*skip)[(*nskip)++] = s;
	}
	return 0;
}

/* --- what the worker threads prepare -------------------------------------------------------- */

static docket_doc *as_drafted(docket_doc *doc);

/*
 * One document changed by one commit, prepared on a worker thread from the bytes the main
 * thread read: both versions parsed (once each), the Ids of their signatures, and the new
 * version's signatures verified (those not carried over from the old one). The main thread
 * judges with these, in history order, exactly as if it had done the work itself.
 */
typedef struct {
	docket_task task;
	/* in: the blobs of both versions (has_old, has_new: in the trees), read here through the
	 * object database, which is safe to share between threads (a git_repository is not) */
	char *path;
	git_odb *odb;
	git_oid old_id, new_id;
	int has_old, has_new; /* out too: a blob that cannot be read counts as absent */
	int transition;      /* the commit names a transition (Docket-Transition) */
	const char *trust;
	/* out */
	docket_doc *old, *doc, *drafted;
	char *parse_error;   /* why the new version does not parse */
	sig_ids oldids, newids; /* of the old version (or the drafted one) and of the new */
	int ids_ok;
	docket_sig_result *res; /* the new version's signatures, verified (TRUST set) */
	size_t nres;
	int error;
} doc_job;

/* Read blob ID from ODB into *OUT; ENOTFOUND when it cannot be read (or is no blob). */
static int read_odb_blob(git_odb_object **out, git_odb *odb, const git_oid *id)
{
	*out = NULL;
	if (git_odb_read(out, odb, id) < 0 || git_odb_object_type(*out) != GIT_OBJECT_BLOB) {
		git_odb_object_free(*out);
		*out = NULL;
		git_error_clear();
		return DOCKET_ENOTFOUND;
	}
	return 0;
}

static void doc_job_run(docket_task *t)
{
	doc_job *j = (doc_job *)t;
	docket_doc *eff;
	git_odb_object *ob = NULL, *nb = NULL;
	xmlNodePtr *skip = NULL, steps_list[1];
	size_t nskip = 0;

	j->has_old = j->has_old && read_odb_blob(&ob, j->odb, &j->old_id) == 0;
	j->has_new = j->has_new && read_odb_blob(&nb, j->odb, &j->new_id) == 0;
	if (j->has_old && docket_doc_parse(&j->old, git_odb_object_data(ob), git_odb_object_size(ob), j->path) < 0)
		j->old = NULL;
	docket_error_clear();
	if (j->has_new && docket_doc_parse(&j->doc, git_odb_object_data(nb), git_odb_object_size(nb), j->path) < 0) {
		j->doc = NULL;
		if (!(j->parse_error = docket_strdup(docket_error_last())))
			j->error = DOCKET_ERROR;
	}
	docket_error_clear();
	git_odb_object_free(ob);
	git_odb_object_free(nb);
	if (!j->doc)
		return;
	/* a task made and sent at once is judged as sent from its drafted self (as_drafted) */
	if (!j->old && j->transition &&
	    steps(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(j->doc)), steps_list, 0) == 1)
		j->drafted = as_drafted(j->doc);
	eff = j->old ? j->old : j->drafted;
	if (sig_ids_load(&j->oldids, eff) < 0 || sig_ids_load(&j->newids, j->doc) < 0) {
		j->error = DOCKET_ERROR;
		return;
	}
	j->ids_ok = 1;
	if (!j->trust || j->newids.n == 0)
		return;
	if (verified_before(&skip, &nskip, eff, j->doc) < 0) {
		j->error = DOCKET_ERROR;
		return;
	}
	docket_xmldsig_verify_xml_skip(&j->res, &j->nres, (xmlDocPtr)docket_doc_xml(j->doc), j->trust, skip, nskip);
	docket_error_clear();
	free(skip);
}

static void doc_job_free(doc_job *j)
{
	if (!j)
		return;
	free(j->path);
	docket_doc_free(j->old);
	docket_doc_free(j->doc);
	docket_doc_free(j->drafted);
	free(j->parse_error);
	sig_ids_free(&j->oldids);
	sig_ids_free(&j->newids);
	docket_sig_results_free(j->res, j->nres);
	free(j);
}

/* A commit's own signature, read on the main thread and verified on a worker. */
typedef struct {
	docket_task task;
	docket_csig_pre pre;
	int verify;
} csig_job;

static void csig_job_run(docket_task *t)
{
	csig_job *j = (csig_job *)t;
	if (j->verify)
		docket_csig_pre_verify(&j->pre);
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
/*
 * A new signature belongs to the step its commit added (STEP_ADDED, 0 for an edit): one bound
 * to another step was revived from elsewhere (signature-replayed); one bound to none was made
 * before step binding - a note under rules 1, a finding under rules 2 (RULES).
 */
static void check_binding(audit_ctx *a, const char *commit, const char *id, const docket_sig_result *r,
                          size_t step_added, int rules)
{
	if (r->legacy) {
		if (rules < 2)
			finding(a, "legacy-signature", commit, id, "signature %s (%s) was made before signatures were bound "
			        "to their workflow step: it holds, but nothing ties it to this step", r->id ? r->id : "?",
			        r->transition ? r->transition : "?");
		else
			finding(a, "signature-unbound", commit, id, "signature %s (%s) is bound to no workflow step, which "
			        "the rules in force require of every new signature", r->id ? r->id : "?",
			        r->transition ? r->transition : "?");
	} else if ((size_t)r->step != step_added) {
		if (step_added)
			finding(a, "signature-replayed", commit, id, "signature %s (%s) is bound to step %d, not to step %zu "
			        "that this commit added: a signature revived from an earlier step", r->id ? r->id : "?",
			        r->transition ? r->transition : "?", r->step, step_added);
		else
			finding(a, "signature-replayed", commit, id, "signature %s (%s, bound to step %d) appeared in a "
			        "commit that took no step: a signature revived from an earlier step", r->id ? r->id : "?",
			        r->transition ? r->transition : "?", r->step);
	}
}

static void check_signatures(audit_ctx *a, const char *commit, const char *id, docket_doc *old,
                             doc_job *job, const docket_transition_def *t, const docket_person *actor,
                             size_t step_added, int rules, const docket_config *cfg)
{
	docket_sig_result *res = job->res;
	size_t n = job->nres, i;
	const sig_ids oldids = job->oldids, newids = job->newids;
	int found_required = 0;

	if (newids.n == 0) {
		if (t && t->signature)
			finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
			        "but the document carries none", actor ? actor->id : "?", t->id, t->signature);
		return;
	}
	if (!a->opts->trust) {
		/* without a trust anchor only the presence of the required signature can be judged */
		if (t && t->signature) {
			if (newids.n <= oldids.n)
				finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
				        "but no new signature was added", actor ? actor->id : "?", t->id, t->signature);
		}
		return;
	}
	a->out->signatures += n;
	for (i = 0; i < n; i++) {
		int is_new = !sig_ids_has(&oldids, res[i].id);
		if (res[i].status != DOCKET_SIG_OK) {
			if (is_new && res[i].misplaced) {
				finding(a, "signature-replayed", commit, id, "signature %s (%s) does not belong where it sits: %s",
				        res[i].id ? res[i].id : "?", res[i].transition ? res[i].transition : "?",
				        res[i].reason ? res[i].reason : "its step binding fails");
				if (t && t->signature && (!res[i].transition || strcmp(res[i].transition, t->id) == 0))
					found_required = 1;
			} else if (is_new) {
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
		if (is_new)
			check_binding(a, commit, id, &res[i], step_added, rules);
		if (is_new && t && t->signature && res[i].transition && strcmp(res[i].transition, t->id) == 0) {
			found_required = 1;
			if (actor && !cert_matches(a, actor->cert, res[i].cert ? docket_cert_x509(res[i].cert) : NULL))
				finding(a, "signature-wrong-signer", commit, id, "signature %s was made by '%s', not with the "
				        "certificate recorded for the actor '%s'", res[i].id ? res[i].id : "?",
				        res[i].signer ? res[i].signer : "?", actor->id);
			if (actor && cfg) {
				/* the role it claims is the signer's own, as the configuration in force had it
				 * (issue 14): not the school head's position on the department's approval */
				char *want = docket_signer_role(job->doc, t, actor, cfg);
				if (want && (!res[i].role || strcmp(want, res[i].role) != 0))
					finding(a, "signature-role-mismatch", commit, id, "signature %s claims the role '%s', but "
					        "'%s' signs '%s' as '%s'", res[i].id ? res[i].id : "?", res[i].role ? res[i].role : "",
					        actor->id, t->id, want);
				free(want);
			}
		}
	}
	if (t && t->signature && !found_required)
		finding(a, "signature-missing", commit, id, "'%s' took '%s', which requires a signature (%s), "
		        "but no valid new signature for it was found", actor ? actor->id : "?", t->id, t->signature);
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
static void check_removed_signatures(audit_ctx *a, const char *commit, const char *id, doc_job *job,
                                     int back_to_editable)
{
	const sig_ids *oldids = &job->oldids, *newids = &job->newids;

	for (size_t i = 0; !(back_to_editable && newids->n == 0) && i < oldids->n; i++)
		if (!sig_ids_has(newids, oldids->ids[i]))
			finding(a, "signature-removed", commit, id, "signature %s was removed from the document",
			        oldids->ids[i]);
}

/*
 * A document that enters the repository with one workflow step, in a commit that names the
 * transition (tasks made and sent at once by 'docket assign'), is judged as that transition
 * taken on the same document as it was drafted: DOC without its workflow. NULL on failure.
 */
static docket_doc *as_drafted(docket_doc *doc)
{
	docket_doc *copy = NULL;
	char *buf = NULL;
	size_t len = 0;
	xmlNodePtr wf;

	if (docket_doc_serialize(&buf, &len, doc) < 0 || docket_doc_parse(&copy, buf, len, docket_doc_name(doc)) < 0) {
		docket_error_clear();
		free(buf);
		return NULL;
	}
	free(buf);
	if ((wf = N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(copy)), "workflow")) != NULL) {
		xmlUnlinkNode(wf);
		xmlFreeNode(wf);
	}
	return copy;
}

/*
 * A replace or correct step links another document (its ref): at this commit that document
 * must say it replaces or corrects this one, be issued by the same issuer - the rules the
 * engine applied (docket_link_check). Any other step carries no link.
 */
static void check_link(audit_ctx *a, const char *commit, const char *id, docket_doc *old,
                       xmlNodePtr step, const docket_transition_def *t)
{
	char *ref = prop(step, "ref");
	docket_doc *linked = NULL;
	docket_workflow *lwf = NULL;
	docket_buf why = DOCKET_BUF_INIT;

	if (!t->link) {
		if (ref)
			finding(a, "illegal-transition", commit, id, "the '%s' step links '%s', but '%s' links no document",
			        t->id, ref, t->id);
		goto done;
	}
	if (!ref) {
		finding(a, "illegal-transition", commit, id, "the '%s' step names no document that %s '%s'", t->id,
		        t->link, id);
		goto done;
	}
	if (docket_doc_load(&linked, a->repo, ref, commit) < 0) {
		finding(a, "illegal-transition", commit, id, "the '%s' step links '%s', which is not in the repository "
		        "at that commit (%s)", t->id, ref, docket_error_last());
		docket_error_clear();
		goto done;
	}
	/* loaded, not taken from the cache: that would free the workflow T belongs to */
	if (!docket_doc_state(linked) && docket_workflow_load(&lwf, a->repo, commit, docket_doc_kind(linked)) < 0)
		lwf = NULL;
	docket_error_clear();
	if (!docket_link_check(&why, old, linked, docket_doc_state(linked) ? docket_doc_state(linked) :
	                       lwf ? docket_workflow_initial(lwf) : NULL, t))
		finding(a, "illegal-transition", commit, id, "'%s' linking '%s': %s", t->id, ref, why.ptr);
done:
	docket_workflow_free(lwf);
	docket_buf_free(&why);
	docket_doc_free(linked);
	free(ref);
}

/* --- annexes -------------------------------------------------------------------------------- */

/* Remember DOCPATH (once) for the annex check at the end of the commit. */
static void annex_note(audit_ctx *a, const char *docpath)
{
	char **v;

	for (size_t i = 0; i < a->nannex; i++)
		if (strcmp(a->annex_docs[i], docpath) == 0)
			return;
	if (!(v = realloc(a->annex_docs, (a->nannex + 1) * sizeof(*v))) || !(v[a->nannex] = docket_strdup(docpath))) {
		a->annex_docs = v ? v : a->annex_docs;
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return;
	}
	a->annex_docs = v;
	a->nannex++;
}

/* "documents/K/Y/U/ID.annexes/NAME" -> "documents/K/Y/U/ID.xml" in OUT; 0 when PATH is no annex. */
static int annex_doc_path(docket_buf *out, const char *path)
{
	const char *slash = strrchr(path, '/'), *p;

	if (strncmp(path, "documents/", 10) != 0 || !slash)
		return 0;
	for (p = slash; p > path && p[-1] != '/'; p--)
		;
	if (slash - p <= 8 || strncmp(slash - 8, ".annexes", 8) != 0)
		return 0;
	out->len = 0;
	return docket_buf_printf(out, "%.*s.xml", (int)(slash - 8 - path), path) < 0 ? -1 : 1;
}

typedef struct {
	audit_ctx *a;
	const char *commit, *id;
} annex_cb_ctx;

static void annex_cb(void *payload, const docket_annex_item *it)
{
	annex_cb_ctx *c = payload;
	if (!it->ok)
		finding(c->a, it->kind ? it->kind : "annex-changed", c->commit, c->id, "%s", it->problem ? it->problem : "");
}

/*
 * The annexes of every document whose list or files this commit changed: each listed annex
 * is there with its size and digest, nothing unlisted lies beside it. A document deleted in
 * the commit is judged as such elsewhere.
 */
static void audit_annexes(audit_ctx *a, const char *commit, git_tree *tree)
{
	for (size_t i = 0; i < a->nannex && !a->error; i++) {
		const char *path = a->annex_docs[i], *base = strrchr(path, '/');
		char id[256], *buf = NULL;
		size_t len = 0;
		docket_doc *doc = NULL;
		annex_cb_ctx c = { a, commit, id };

		snprintf(id, sizeof(id), "%.*s", (int)(strlen(base + 1) - 4), base + 1);
		if (wanted(a, id) && read_tree_blob(&buf, &len, a, tree, path) == 0 &&
		    docket_doc_parse(&doc, buf, len, path) == 0 &&
		    docket_annex_judge(docket_repo_git(a->repo), tree, path, doc, annex_cb, &c) < 0)
			a->error = DOCKET_ERROR;
		docket_error_code() != DOCKET_ERROR || a->error ? (void)0 : docket_error_clear();
		docket_doc_free(doc);
		free(buf);
	}
	for (size_t i = 0; i < a->nannex; i++)
		free(a->annex_docs[i]);
	a->nannex = 0;
}

/* Whether a line of BUF (LEN bytes) starts with PREFIX. */
static int line_starts(const char *buf, size_t len, const char *prefix)
{
	size_t n = strlen(prefix);

	for (const char *l = buf; l && l < buf + len;) {
		const char *nl = memchr(l, '\n', (size_t)(buf + len - l));
		if ((size_t)(buf + len - l) >= n && strncmp(l, prefix, n) == 0)
			return 1;
		l = nl ? nl + 1 : buf + len;
	}
	return 0;
}

/* "354/KH-PGDĐT of 2021-05-11" of DOC's header, malloc'd; NULL when it has no number. */
static char *number_of(docket_doc *doc)
{
	xmlNodePtr h = N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), "header");
	char *num = docket_xml_text_trim(N(N(h, "code"), "number")), *nota = docket_xml_text_trim(N(N(h, "code"), "notation"));
	char *date = docket_xml_text_trim(N(h, "date"));
	docket_buf b = DOCKET_BUF_INIT;

	if (num && *num)
		docket_buf_printf(&b, "%s/%s of %s", num, nota ? nota : "", date && *date ? date : "no date");
	free(num);
	free(nota);
	free(date);
	if (!b.len) {
		docket_buf_free(&b);
		return NULL;
	}
	return docket_buf_detach(&b, NULL);
}

/*
 * An issued document's number and date never change: documents cite it by them, and the
 * register holds them. Whatever the commit (an edit, a transition), a version that had a
 * number keeps it, with its date.
 */
static void check_number_kept(audit_ctx *a, const char *commit, const char *id, docket_doc *old, docket_doc *doc)
{
	char *was = number_of(old), *now;

	if (!was)
		return;
	now = number_of(doc);
	if (!now || strcmp(was, now) != 0)
		finding(a, "number-changed", commit, id, "the number and date of %s were %s and became %s: an issued "
		        "document's number and date never change", id, was, now ? now : "none");
	free(was);
	free(now);
}

/*
 * A document issued outside docket, recorded by 'docket import' (workflow/import.c): it
 * enters with exactly one step, "import", from the initial state to where the workflow's
 * numbering transition leads, taken by the commit's actor, who holds a role that may take
 * that transition in the configuration then in force; it carries its number and date, no
 * signatures (nobody signed it in docket), and the commit records its number - the register
 * line itself is judged with the register (register.c).
 */
static void audit_import(audit_ctx *a, const char *commit, git_tree *tree, const char *msg, const char *path,
                         const char *id, docket_doc *doc, docket_workflow *wf, docket_config *cfg,
                         const char *tr_actor)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), list[2];
	const docket_transition_def *t = docket_workflow_numbering(wf);
	size_t n = steps(root, list, 2);
	char *tr = n ? prop(list[0], "transition") : NULL, *from = n ? prop(list[0], "from") : NULL;
	char *to = n ? prop(list[0], "to") : NULL, *actor = n ? prop(list[0], "actor") : NULL;
	char *number = docket_trailer(msg, "Docket-Number"), *have = number_of(doc), *unit = NULL;
	const char *state = docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf);
	docket_buf why = DOCKET_BUF_INIT;
	docket_person p;

	(void)tree;
	if (!t) {
		finding(a, "illegal-transition", commit, id, "%s was imported as issued, but the %s workflow in force "
		        "numbers no document", path, docket_doc_kind(doc));
		goto done;
	}
	if (n != 1 || !tr || strcmp(tr, DOCKET_IMPORT_TRANSITION) || !from || strcmp(from, docket_workflow_initial(wf)) ||
	    !to || strcmp(to, t->to) || strcmp(state, t->to)) {
		finding(a, "illegal-transition", commit, id, "%s entered the repository as imported, but not with one "
		        "step 'import' from '%s' to '%s' (it has %zu step%s, state '%s')", path,
		        docket_workflow_initial(wf), t->to, n, n == 1 ? "" : "s", state);
		goto done;
	}
	if (!tr_actor || !actor || strcmp(tr_actor, actor))
		finding(a, "trailer-mismatch", commit, id, "the commit's trailers (import by %s) do not match the "
		        "workflow step (import by %s)", tr_actor ? tr_actor : "nobody", actor ? actor : "nobody");
	if (!cfg || !actor || docket_config_person(&p, cfg, actor) < 0) {
		docket_error_clear();
		finding(a, "unauthorised-actor", commit, id, "'%s' who imported %s is not a person of the organisation "
		        "in the configuration then in force", actor ? actor : "", id);
	} else {
		unit = docket_doc_unit_text(doc);
		docket_error_clear();
		if (!docket_authorise(t, &p, cfg, doc, unit, &why))
			finding(a, "unauthorised-actor", commit, id, "recording an issued document is the work of whoever "
			        "may '%s' it: %s", t->id, why.ptr ? why.ptr : "not allowed");
	}
	if (N(root, "signatures"))
		finding(a, "signature-unverifiable", commit, id, "%s was imported with signatures docket did not make; "
		        "an imported document is recorded as issued on paper, unsigned", path);
	if (!have || !strstr(have, " of ") || strstr(have, " of no date"))
		finding(a, "document-invalid", commit, id, "%s was imported as issued without its number and date", path);
	else if (!number || strncmp(have, number, strlen(number)) || strncmp(have + strlen(number), " of ", 4))
		finding(a, "trailer-mismatch", commit, id, "the commit records the number %s, but the document carries %s",
		        number ? number : "none", have);
	else {
		/* its number is in its register at this commit: else the next issue could give it again */
		docket_buf rpath = DOCKET_BUF_INIT, want = DOCKET_BUF_INIT;
		const char *d = strstr(have, " of ") + 4, *slash = strchr(number, '/');
		char year[5], *reg = NULL;
		size_t rlen = 0;
		snprintf(year, sizeof(year), "%.4s", d);
		if (slash && docket_register_path_of(&rpath, root, year) == 0 &&
		    docket_buf_printf(&want, "%.*s\t%s\t%s\t", (int)(slash - number), number, slash + 1, id) == 0 &&
		    (read_tree_blob(&reg, &rlen, a, tree, rpath.ptr) < 0 || !line_starts(reg, rlen, want.ptr)))
			finding(a, "register-tampered", commit, id, "%s was imported with the number %s, but the register %s "
			        "does not record it", path, number, rpath.ptr ? rpath.ptr : "?");
		docket_error_clear();
		free(reg);
		docket_buf_free(&rpath);
		docket_buf_free(&want);
	}
done:
	docket_buf_free(&why);
	free(tr);
	free(from);
	free(to);
	free(actor);
	free(number);
	free(have);
	free(unit);
}

static void audit_document(audit_ctx *a, const char *commit, const char *parent, git_tree *ptree,
                           git_tree *tree, const char *msg, const char *path, doc_job *job)
{
	const char *base = strrchr(path, '/');
	char id[256], *tr_doc, *tr_transition, *tr_action, *tr_actor;
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
		annex_note(a, path); /* its annex list may have changed too: judged at the end of the commit */
		goto cleanup;
	}
	if (job->error) {
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	old = job->old; /* judged here and freed with the job */
	if (!job->has_new) {
		finding(a, "document-deleted", commit, id, "%s was deleted; documents are never deleted, only "
		        "replaced or recalled", path);
		goto cleanup;
	}
	if (!(doc = job->doc)) {
		finding(a, "document-invalid", commit, id, "%s", job->parse_error ? job->parse_error : "");
		goto cleanup;
	}
	if (!job->ids_ok) {
		a->error = docket_error_set(DOCKET_ERROR, "out of memory");
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
	if (old ? !same_node(N(N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(old)), "content"), "annexes"),
	                     N(N(nroot, "content"), "annexes")) : N(N(nroot, "content"), "annexes") != NULL)
		annex_note(a, path);
	wf = workflow_at(a, parent ? ptree : tree, parent ? parent : commit, docket_doc_kind(doc));
	if (!wf) {
		finding(a, "illegal-transition", commit, id, "no workflow for '%s' was in force", docket_doc_kind(doc));
		goto cleanup;
	}
	nstate = docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf);
	if (!old && tr_transition && strcmp(tr_transition, DOCKET_IMPORT_TRANSITION) == 0) {
		audit_import(a, commit, tree, msg, path, id, doc, wf, cfg, tr_actor);
		goto cleanup;
	}
	if (old)
		check_number_kept(a, commit, id, old, doc);
	if (!old)
		old = job->drafted; /* a task made and sent at once (doc_job_run) */
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
		check_removed_signatures(a, commit, id, job, 0);
		check_signatures(a, commit, id, old, job, NULL, NULL, 0, cfg ? docket_config_rules(cfg) : 1, cfg);
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
				else if (docket_signing_check(old, t, docket_workflow_numbering(wf), &sp, id) < 0) {
					/* the approver is the printed signer, the issued document has a signer and
					 * recipients: what docket refuses at the transition (action.c) */
					const char *why_not = docket_error_last(), *colon = strstr(why_not, "': ");
					finding(a, "signer-mismatch", commit, id, "%s", colon ? colon + 3 : why_not);
					docket_error_clear();
				}
				if (t->reason_required && (!stext || !*stext))
					finding(a, "reason-missing", commit, id, "'%s' requires a reason and none was given", str);
				if (t->assign_handler) {
					/* the handling unit must be one of the organisation's then */
					char *hu = prop(step, "unit"), *hd = prop(step, "due");
					docket_unit u;
					if (!hu || !hd || !cfg || docket_config_unit(&u, cfg, hu) < 0)
						finding(a, "illegal-transition", commit, id, "'%s' must name a unit of the organisation "
						        "that handles the document and a due date (unit '%s', due '%s')", str,
						        hu ? hu : "", hd ? hd : "");
					docket_error_clear();
					free(hu);
					free(hd);
				}
				if (!same_node(N(oroot, "content"), N(nroot, "content")))
					finding(a, docket_workflow_is_editable(wf, ostate) ? "content-changed-in-transition" :
					        "content-changed-in-non-editable-state", commit, id,
					        "the content of %s changed during '%s'", path, str);
				if (!same_header(N(oroot, "header"), N(nroot, "header"), t->assign_number))
					finding(a, "content-changed-in-non-editable-state", commit, id,
					        "the header of %s changed during '%s'%s", path, str,
					        t->assign_number ? " beyond its number and date" : "");
				check_removed_signatures(a, commit, id, job, docket_workflow_is_editable(wf, t->to));
				check_signatures(a, commit, id, old, job, t, known ? &sp : NULL, nnew,
				                 cfg ? docket_config_rules(cfg) : 1, cfg);
				check_link(a, commit, id, old, step, t);
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
	/* that it is signed by that administrator is judged with every commit's signature */
	free(actor);
}

/* The bootstrap and a repository's older unsigned commits: one note each, summing the run. */
static void sum_note(size_t *count, char first[41], char last[41], const char *commit)
{
	if (!(*count)++)
		memcpy(first, commit, 41);
	memcpy(last, commit, 41);
}

static void sum_notes(audit_ctx *a)
{
	if (a->nbootstrap)
		finding(a, "unsigned-bootstrap", a->bootstrap_first, NULL, "%zu commit%s, %.12s to %.12s, came before the "
		        "first certificate was recorded (the repository's setup): nothing could sign %s, and nothing but "
		        "the history after %s vouches for %s", a->nbootstrap, a->nbootstrap == 1 ? "" : "s",
		        a->bootstrap_first, a->bootstrap_last, a->nbootstrap == 1 ? "it" : "them",
		        a->nbootstrap == 1 ? "it" : "them", a->nbootstrap == 1 ? "it" : "them");
	if (a->nlegacy)
		finding(a, "unsigned-legacy", a->legacy_first, NULL, "%zu commit%s, %.12s to %.12s, are not signed: they "
		        "were made under the rules before signed history (rules 1; 'docket migrate' records the new ones), "
		        "so their trailers are claims, not proof of who acted", a->nlegacy, a->nlegacy == 1 ? "" : "s",
		        a->legacy_first, a->legacy_last);
}

/*
 * A commit that carries docket's trailers says who acted; once certificates exist, its git
 * signature must prove it (commitsig.c). IS_CONFIG: it changed the configuration, whose
 * finding keeps its own name.
 */
static void audit_commit_signature(audit_ctx *a, const char *commit, const char *parent, git_tree *ptree,
                                   git_tree *tree, git_commit *c, const char *msg, int is_config,
                                   docket_csig_pre *pre)
{
	docket_config *cfg = parent ? config_at(a, ptree, parent) : NULL, *newcfg = NULL;
	char *actor = docket_trailer(msg, "Docket-Actor"), *transition = docket_trailer(msg, "Docket-Transition"),
	     *doc = docket_trailer(msg, "Docket-Document"), *action = docket_trailer(msg, "Docket-Action");
	docket_buf why = DOCKET_BUF_INIT;
	docket_person p;
	docket_csig_verdict v;

	if (!actor && !transition && !doc && !action)
		goto cleanup;  /* no trailers: it claims nobody, and is reported as outside docket */
	if (is_config && actor && (!cfg || docket_config_person(&p, cfg, actor) < 0 || !p.cert) &&
	    docket_config_load(&newcfg, a->repo, commit) < 0)
		newcfg = NULL;
	docket_error_clear();
	(void)tree;
	v = docket_commit_sig_judge(&why, a->csig, docket_repo_git(a->repo), c, cfg, newcfg, actor, transition,
	                            a->opts->trust, pre);
	switch (v) {
	case DOCKET_CSIG_OK:
		break;
	case DOCKET_CSIG_BOOTSTRAP:
		sum_note(&a->nbootstrap, a->bootstrap_first, a->bootstrap_last, commit);
		break;
	case DOCKET_CSIG_ALLOWED_UNSIGNED:
		finding(a, "unsigned-action", commit, doc, "'%s' took '%s' without a signed commit, as the configuration "
		        "allows: who acted is claimed, not proven", actor ? actor : "nobody", transition);
		break;
	case DOCKET_CSIG_LEGACY_UNSIGNED:
		/* configuration changes had to be signed by an administrator before signed history too */
		if (is_config && a->opts->trust && cfg && admin_with_cert(cfg))
			finding(a, "config-not-signed", commit, NULL, "the configuration change by '%s' is not signed with "
			        "a key certified by the trusted CA", actor ? actor : "nobody");
		else
			sum_note(&a->nlegacy, a->legacy_first, a->legacy_last, commit);
		break;
	case DOCKET_CSIG_UNSIGNED:
		if (is_config)
			finding(a, "config-not-signed", commit, NULL, "the configuration change by '%s' is not signed: every "
			        "commit is signed by its actor", actor ? actor : "nobody");
		else
			finding(a, "commit-unsigned", commit, doc, "the commit says '%s' %s, but it is not signed: every "
			        "commit is signed by its actor, so anyone could have written it", actor ? actor : "nobody",
			        transition ? transition : action ? action : "acted");
		break;
	case DOCKET_CSIG_BAD:
		if (is_config)
			finding(a, "config-not-signed", commit, NULL, "the configuration change by '%s' is not signed with "
			        "a key certified by the trusted CA: %s", actor ? actor : "nobody", why.ptr ? why.ptr : "");
		else
			finding(a, "commit-signature-invalid", commit, doc, "the commit says '%s' %s, but %s",
			        actor ? actor : "nobody", transition ? transition : action ? action : "acted",
			        why.ptr ? why.ptr : "its signature does not hold");
		break;
	}
cleanup:
	docket_buf_free(&why);
	docket_config_free(newcfg);
	free(actor);
	free(transition);
	free(doc);
	free(action);
}

/* The register changed at PATH (register.c): blobs of the parent and of the commit. */
static void audit_register(audit_ctx *a, const char *commit, git_tree *ptree, git_tree *tree, const char *msg,
                           const char *path, docket_report_fn fn)
{
	char *old = NULL, *now = NULL;
	size_t oldlen = 0, nowlen = 0, i;

	if (read_tree_blob(&old, &oldlen, a, ptree, path) < 0)
		oldlen = 0;
	if (read_tree_blob(&now, &nowlen, a, tree, path) < 0)
		nowlen = 0;
	docket_error_clear();
	for (i = 0; a->seed_registers && i < a->nseeded && strcmp(a->seeded[i], path) != 0; i++)
		;
	if (a->seed_registers && i == a->nseeded) {
		/* a push is judged on a history whose registers were judged as they grew (the hook
		 * guards it): the numbers given before are the lines of the register the push starts
		 * from, so reading that one file replaces replaying every commit */
		char **v = realloc(a->seeded, (a->nseeded + 1) * sizeof(*v));
		if (!v || !(v[a->nseeded] = docket_strdup(path))) {
			a->seeded = v ? v : a->seeded;
			a->error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto done;
		}
		a->seeded = v;
		a->nseeded++;
		if (oldlen && docket_register_judge(a->numbers, NULL, NULL, "main", path, "", 0, old, oldlen, "") < 0) {
			a->error = DOCKET_ERROR;
			goto done;
		}
	}
	if (docket_register_judge(a->numbers, fn, a, commit, path, old ? old : "", oldlen, now ? now : "", nowlen,
	                          msg) < 0)
		a->error = DOCKET_ERROR;
done:
	free(old);
	free(now);
}

/* Trailers that read differently to docket and to git, or say two things (claims.c). */
static void audit_trailers(audit_ctx *a, const char *commit, const char *msg)
{
	docket_buf why = DOCKET_BUF_INIT;

	if (docket_trailers_ambiguous(msg, &why)) {
		char *doc = docket_trailer(msg, "Docket-Document");
		finding(a, "ambiguous-trailers", commit, doc, "%s: a person's words could be read as docket's record",
		        why.ptr ? why.ptr : "");
		free(doc);
	}
	docket_buf_free(&why);
}

/* --- the names at documents/K/Y/U/ ------------------------------------------------------- */

static int names_add(audit_ctx *a, const char *name, long delta)
{
	long n = (long)(intptr_t)xmlHashLookup(a->names, (const xmlChar *)name) + delta;

	if (n <= 0)
		return xmlHashRemoveEntry(a->names, (const xmlChar *)name, NULL) < 0 && delta > 0 ? -1 : 0;
	return xmlHashUpdateEntry(a->names, (const xmlChar *)name, (void *)(intptr_t)n, NULL);
}

/* Every entry at documents/K/Y/U/ of TREE (NULL: none), counted once at the start of a run. */
static int names_load(audit_ctx *a, git_tree *tree)
{
	git_repository *git = docket_repo_git(a->repo);
	git_tree_entry *docs = NULL;
	git_tree *dt = NULL, *kt = NULL, *yt = NULL, *ut = NULL;
	int error = 0;

	if (!(a->names = xmlHashCreate(1024)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	a->names_ready = 1;
	if (!tree || git_tree_entry_bypath(&docs, tree, "documents") < 0 || git_tree_entry_type(docs) != GIT_OBJECT_TREE) {
		git_tree_entry_free(docs);
		docket_error_clear();
		return 0;
	}
	if (git_tree_lookup(&dt, git, git_tree_entry_id(docs)) < 0)
		goto fail;
	for (size_t k = 0; k < git_tree_entrycount(dt); k++) {
		const git_tree_entry *ke = git_tree_entry_byindex(dt, k);
		if (git_tree_entry_type(ke) != GIT_OBJECT_TREE)
			continue;
		git_tree_free(kt);
		kt = NULL;
		if (git_tree_lookup(&kt, git, git_tree_entry_id(ke)) < 0)
			goto fail;
		for (size_t y = 0; y < git_tree_entrycount(kt); y++) {
			const git_tree_entry *ye = git_tree_entry_byindex(kt, y);
			if (git_tree_entry_type(ye) != GIT_OBJECT_TREE)
				continue;
			git_tree_free(yt);
			yt = NULL;
			if (git_tree_lookup(&yt, git, git_tree_entry_id(ye)) < 0)
				goto fail;
			for (size_t u = 0; u < git_tree_entrycount(yt); u++) {
				const git_tree_entry *ue = git_tree_entry_byindex(yt, u);
				if (git_tree_entry_type(ue) != GIT_OBJECT_TREE)
					continue;
				git_tree_free(ut);
				ut = NULL;
				if (git_tree_lookup(&ut, git, git_tree_entry_id(ue)) < 0)
					goto fail;
				for (size_t i = 0; i < git_tree_entrycount(ut); i++)
					if (names_add(a, git_tree_entry_name(git_tree_entry_byindex(ut, i)), 1) < 0) {
						error = docket_error_set(DOCKET_ERROR, "out of memory");
						goto cleanup;
					}
			}
		}
	}
	goto cleanup;
fail:
	error = docket_error_git(DOCKET_ERROR, "cannot read the documents/ tree");
cleanup:
	git_tree_free(ut);
	git_tree_free(yt);
	git_tree_free(kt);
	git_tree_free(dt);
	git_tree_entry_free(docs);
	return error;
}

/*
 * Bring the counts from PTREE to TREE with the paths the commit changed: an entry at depth
 * four appears or goes only with a changed path at or under it (the history index lists
 * every file under a folder added or removed).
 */
static int names_update(audit_ctx *a, git_tree *ptree, tree_dirs *ptw, tree_dirs *tw, const char *const *paths,
                        size_t npaths)
{
	git_repository *git = docket_repo_git(a->repo);
	xmlHashTablePtr seen = NULL;
	int error = 0;

	if (!a->names_ready && (error = names_load(a, ptree)) < 0)
		return error;
	for (size_t i = 0; i < npaths && !error; i++) {
		const char *p = paths[i], *end;
		char four[1024];
		git_tree_entry *e = NULL;
		int before, after, k;

		if (strncmp(p, "documents/", 10) != 0)
			continue;
		for (end = p + 10, k = 0; k < 4 && end; k++) {
			const char *slash = strchr(end, '/');
			if (k == 3)
				end = slash ? slash : end + strlen(end);
			else
				end = slash ? slash + 1 : NULL;
		}
		if (!end || (size_t)(end - p) >= sizeof(four) || end[-1] == '/')
			continue; /* shallower than documents/K/Y/U/NAME */
		memcpy(four, p, (size_t)(end - p));
		four[end - p] = '\0';
		if (!seen && !(seen = xmlHashCreate(16))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			break;
		}
		if (xmlHashLookup(seen, (const xmlChar *)four))
			continue;
		if (xmlHashAddEntry(seen, (const xmlChar *)four, (void *)1) < 0) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			break;
		}
		before = dirs_entry(&e, git, ptw, four) == 0;
		git_tree_entry_free(e);
		e = NULL;
		after = dirs_entry(&e, git, tw, four) == 0;
		git_tree_entry_free(e);
		if (before != after && names_add(a, strrchr(four, '/') + 1, after - before) < 0)
			error = docket_error_set(DOCKET_ERROR, "out of memory");
	}
	docket_error_clear();
	xmlHashFree(seen, NULL);
	return error;
}

/*
 * The names in the tree (docs/format.md, "Names and the layout"): a path outside the layout
 * ('..', '.git', a newline, a space, an unknown folder), and a new file whose id another file
 * already has - which would make that id name two documents.
 */
static void check_path(audit_ctx *a, const char *commit, tree_dirs *ptw, tree_dirs *tw, const char *path)
{
	git_repository *git = docket_repo_git(a->repo);
	const char *why = docket_layout_check(path, 1), *base = strrchr(path, '/');
	git_tree_entry *e = NULL;
	char q[512], id[DOCKET_ID_MAX + 1], name[DOCKET_ID_MAX + 8];
	size_t n = 0;

	docket_name_quote(q, sizeof(q), path);
	if (why) {
		finding(a, "path-outside-layout", commit, NULL, "'%s': %s", q, why);
		return;
	}
	if (strncmp(path, "documents/", 10) != 0 || !base || strcmp(base, "/README.md") == 0 ||
	    dirs_entry(&e, git, tw, path) < 0) {
		docket_error_clear(); /* not in TREE: a deletion, judged elsewhere */
		return;
	}
	if (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB)
		finding(a, "path-outside-layout", commit, NULL, "'%s': not a plain file (mode %06o)", q,
		        (unsigned)git_tree_entry_filemode(e));
	git_tree_entry_free(e);
	e = NULL;
	if (dirs_entry(&e, git, ptw, path) == 0) {
		git_tree_entry_free(e);
		return; /* not new */
	}
	docket_error_clear();
	snprintf(id, sizeof(id), "%.*s", (int)(strlen(base + 1) - 4), base + 1);
	if (snprintf(name, sizeof(name), "%s.xml", id) < (int)sizeof(name))
		n = (size_t)(intptr_t)xmlHashLookup(a->names, (const xmlChar *)name);
	if (n > 1)
		finding(a, "duplicate-id", commit, id, "'%s' has the id '%s', which %zu other file%s under "
		        "documents/ already ha%s: an id must name one document", q, id, n - 1,
		        n > 2 ? "s" : "", n > 2 ? "ve" : "s");
}

/* --- the replay: commits read in order, prepared on the workers, judged in order ---------- */

/* A commit read and handed to the workers, waiting its turn to be judged. */
typedef struct {
	char commit[41];
	/* the commit, its tree and its first parent's, looked up once (NULL: no path changed) */
	git_commit *c, *p;
	git_tree *tree, *ptree;
	tree_dirs tw, ptw; /* their folders */
	char parent[41];
	char **paths;
	size_t npaths;
	doc_job **docs;  /* by path: the document changes to judge (NULL for other paths) */
	csig_job *csig;  /* the commit's signature (NULL: no path changed) */
} pending;

static void pending_free(pending *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->npaths; i++) {
		free(p->paths[i]);
		if (p->docs)
			doc_job_free(p->docs[i]);
	}
	free(p->paths);
	free(p->docs);
	dirs_clear(&p->tw);
	dirs_clear(&p->ptw);
	git_tree_free(p->tree);
	git_tree_free(p->ptree);
	git_commit_free(p->c);
	git_commit_free(p->p);
	if (p->csig)
		docket_csig_pre_clear(&p->csig->pre);
	free(p->csig);
	free(p);
}

static int is_document_path(const char *path)
{
	size_t n = strlen(path);
	const char *slash = strrchr(path, '/'), *dir = slash;

	while (dir && dir > path && dir[-1] != '/')
		dir--;
	/* a file of ID.annexes/ is an annex, whatever its name (audit_annexes) */
	if (slash && dir && slash - dir > 8 && strncmp(slash - 8, ".annexes", 8) == 0)
		return 0;
	return strncmp(path, "documents/", 10) == 0 && n > 4 && strcmp(path + n - 4, ".xml") == 0;
}

/* The id of the blob at PATH in W's tree into OUT; 0 when there is none. */
static int blob_id(git_oid *out, git_repository *git, tree_dirs *w, const char *path)
{
	git_tree_entry *e = NULL;
	int found = dirs_entry(&e, git, w, path) == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB;

	if (found)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return found;
}

/* The job for document PATH of the commit C (trees TREE, PTREE), or NULL when not wanted. */
static int doc_job_new(doc_job **out, audit_ctx *a, pending *pc, const char *msg, const char *path)
{
	const char *base = strrchr(path, '/');
	char id[256], *tr;
	doc_job *j;

	*out = NULL;
	snprintf(id, sizeof(id), "%.*s", (int)(strlen(base ? base + 1 : path) - 4), base ? base + 1 : path);
	if (!wanted(a, id))
		return 0;
	if (!(j = calloc(1, sizeof(*j))) || !(j->path = docket_strdup(path))) {
		free(j);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	j->task.run = doc_job_run;
	j->trust = a->opts->trust;
	tr = docket_trailer(msg, "Docket-Transition");
	j->transition = tr != NULL;
	free(tr);
	j->odb = a->odb;
	j->has_old = blob_id(&j->old_id, docket_repo_git(a->repo), &pc->ptw, path);
	j->has_new = blob_id(&j->new_id, docket_repo_git(a->repo), &pc->tw, path);
	git_error_clear();
	docket_error_clear();
	*out = j;
	return 0;
}

/* Read commit COMMIT's changes and hand them to the workers (history_fn). */
static int pending_new(pending **out, audit_ctx *a, const char *commit, const char *const *paths, size_t npaths)
{
	git_repository *git = docket_repo_git(a->repo);
	git_oid oid;
	pending *pc;
	int error = 0;

	*out = NULL;
	if (!(pc = calloc(1, sizeof(*pc))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	memcpy(pc->commit, commit, 41);
	if (npaths && (!(pc->paths = calloc(npaths, sizeof(*pc->paths))) || !(pc->docs = calloc(npaths, sizeof(*pc->docs))))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < npaths; i++, pc->npaths++)
		if (!(pc->paths[i] = docket_strdup(paths[i]))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto done;
		}
	if (!npaths)
		goto done;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&pc->c, git, &oid) < 0 ||
	    git_commit_tree(&pc->tree, pc->c) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", commit);
		goto done;
	}
	if (git_commit_parentcount(pc->c) > 0 && git_commit_parent(&pc->p, pc->c, 0) == 0 &&
	    git_commit_tree(&pc->ptree, pc->p) == 0)
		git_oid_tostr(pc->parent, sizeof(pc->parent), git_commit_id(pc->p));
	git_error_clear();
	dirs_init(&pc->ptw, pc->ptree, &a->last);
	dirs_init(&pc->tw, pc->tree, &a->last);
	for (size_t i = 0; i < npaths && !error; i++) {
		if (!is_document_path(paths[i]))
			continue;
		if ((error = doc_job_new(&pc->docs[i], a, pc, git_commit_message(pc->c), paths[i])) == 0 &&
		    pc->docs[i])
			docket_pool_submit(a->pool, &pc->docs[i]->task);
	}
	if (!error) {
		if (!(pc->csig = calloc(1, sizeof(*pc->csig)))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto done;
		}
		pc->csig->task.run = csig_job_run;
		if ((error = docket_csig_pre_extract(&pc->csig->pre, git, &oid)) < 0)
			goto done;
		pc->csig->verify = a->opts->trust != NULL;
		docket_pool_submit(a->pool, &pc->csig->task);
		/* the next commit's parent is, in a line of history, this commit */
		dirs_clear(&a->last);
		dirs_init(&a->last, pc->tree, &pc->tw);
		a->last.root = NULL;
	}
done:
	if (error < 0) {
		/* what was handed to the workers must be finished before it is freed */
		for (size_t i = 0; pc->docs && i < pc->npaths; i++)
			if (pc->docs[i])
				docket_pool_wait(a->pool, &pc->docs[i]->task);
		pending_free(pc);
		return error;
	}
	*out = pc;
	return 0;
}

/* Judge PC, whose work the workers have done or are doing, by the rules at its parent. */
static void judge(audit_ctx *a, pending *pc)
{
	git_commit *c = pc->c;
	git_tree *tree = pc->tree, *ptree = pc->ptree;
	const char *parent = pc->parent;
	const char *msg, *commit = pc->commit;
	const char *const *paths = (const char *const *)pc->paths;
	size_t i, npaths = pc->npaths;
	int config_done = 0;
	docket_buf apath = DOCKET_BUF_INIT;

	a->out->commits++;
	for (i = 0; i < npaths; i++)
		if (pc->docs[i])
			docket_pool_wait(a->pool, &pc->docs[i]->task);
	if (pc->csig)
		docket_pool_wait(a->pool, &pc->csig->task);
	if (!npaths || a->error)
		return;
	msg = git_commit_message(c);
	if ((a->error = names_update(a, ptree, &pc->ptw, &pc->tw, paths, npaths)) < 0)
		goto done;
	audit_trailers(a, commit, msg);
	for (i = 0; i < npaths && !a->error; i++) {
		check_path(a, commit, &pc->ptw, &pc->tw, paths[i]);
		if (strncmp(paths[i], ".docket/register/", 17) == 0) {
			/* the register grows only by an issue, in the same commit as the number */
			audit_register(a, commit, ptree, tree, msg, paths[i], report_cb);
		} else if (strncmp(paths[i], ".docket/", 8) == 0) {
			if (!config_done++)
				audit_config(a, commit, parent[0] ? parent : NULL, ptree, c, msg);
		} else if (annex_doc_path(&apath, paths[i]) > 0) {
			/* an annex file: changed by docket only, with its document's list */
			char *tr_doc = docket_trailer(msg, "Docket-Document"), *tr_action = docket_trailer(msg, "Docket-Action"),
			     *tr_transition = docket_trailer(msg, "Docket-Transition"), q[512];
			const char *b = strrchr(apath.ptr, '/') + 1;
			char id[256];
			snprintf(id, sizeof(id), "%.*s", (int)(strlen(b) - 4), b);
			docket_name_quote(q, sizeof(q), paths[i]);
			if (!tr_doc && !tr_action && !tr_transition)
				finding(a, "outside-docket", commit, id, "%s was changed by a commit without docket's trailers "
				        "(an annex changed outside docket)", q);
			free(tr_doc);
			free(tr_action);
			free(tr_transition);
			annex_note(a, apath.ptr);
		} else if (pc->docs[i]) {
			audit_document(a, commit, parent[0] ? parent : NULL, ptree, tree, msg, paths[i], pc->docs[i]);
		}
	}
	if (!a->error)
		audit_annexes(a, commit, tree);
	if (!a->error) {
		int is_config = 0;
		for (i = 0; i < npaths; i++)
			is_config |= strncmp(paths[i], ".docket/", 8) == 0 && strncmp(paths[i], ".docket/register/", 17) != 0;
		audit_commit_signature(a, commit, parent[0] ? parent : NULL, ptree, tree, c, msg, is_config,
		                       &pc->csig->pre);
	}
done:
	docket_buf_free(&apath);
}

/* Judge the oldest commit waiting, and report progress. */
static void judge_oldest(audit_ctx *a)
{
	pending *pc = a->window[a->whead];

	a->window[a->whead] = NULL;
	a->whead = (a->whead + 1) % a->wcap;
	a->wlen--;
	judge(a, pc);
	pending_free(pc);
	a->judged++;
	if (a->opts->progress_cb && !a->error && (a->judged % 500 == 0 || a->judged == a->total) &&
	    a->opts->progress_cb("auditing", a->judged, a->total, a->opts->payload))
		a->error = docket_error_set(DOCKET_ERROR, "stopped");
}

/*
 * history_fn: read COMMIT and hand its work to the workers; once the window is full, judge
 * the oldest waiting. The verdicts come in history order whatever the number of threads.
 */
static int audit_commit(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	audit_ctx *a = payload;
	pending *pc = NULL;
	int error;

	if (a->error)
		return 1;
	if ((error = pending_new(&pc, a, commit, paths, npaths)) < 0) {
		a->error = error;
		return 1;
	}
	a->window[(a->whead + a->wlen) % a->wcap] = pc;
	a->wlen++;
	while (a->wlen == a->wcap && !a->error)
		judge_oldest(a);
	return a->error ? 1 : 0;
}

/* Judge what is still waiting (ERROR: only free it). */
static void audit_drain(audit_ctx *a)
{
	while (a->wlen) {
		if (a->error) {
			pending *pc = a->window[a->whead];
			for (size_t i = 0; i < pc->npaths; i++)
				if (pc->docs[i])
					docket_pool_wait(a->pool, &pc->docs[i]->task);
			if (pc->csig)
				docket_pool_wait(a->pool, &pc->csig->task);
			pending_free(pc);
			a->window[a->whead] = NULL;
			a->whead = (a->whead + 1) % a->wcap;
			a->wlen--;
		} else {
			judge_oldest(a);
		}
	}
}

/* The workers and the window: JOBS threads, a window of commits a few per thread deep. */
static int audit_start(audit_ctx *a)
{
	unsigned int jobs = docket_jobs(a->opts->jobs);
	int error;

	a->wcap = jobs == 1 ? 1 : 16 * (size_t)jobs;
	if (!(a->window = calloc(a->wcap, sizeof(*a->window))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	/* libxml2 initialised before any thread parses */
	xmlInitParser();
	if (git_repository_odb(&a->odb, docket_repo_git(a->repo)) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot open the object database");
	if ((error = docket_pool_new(&a->pool, jobs)) < 0)
		return error;
	return 0;
}

static void audit_stop(audit_ctx *a)
{
	if (a->window) {
		int error = a->error;
		a->error = a->error ? a->error : DOCKET_ERROR; /* only free */
		audit_drain(a);
		a->error = error;
	}
	docket_pool_free(a->pool);
	a->pool = NULL;
	git_odb_free(a->odb);
	a->odb = NULL;
	dirs_clear(&a->last);
	free(a->window);
	a->window = NULL;
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

/*
 * The cache: "docket-audit RULES TIP TRUSTKEY COMMITS\n", then a line per finding or note,
 * "KIND\tCOMMIT\tDOC\tMESSAGE" ("-" for none), then a line per number the registers gave up
 * to TIP, "#number\tKEY\tGIVEN" (register.c), so a re-run need not replay every register
 * change before the commits it judges; "#numbers-incomplete" when one could not be written.
 * NUMBERS (may be NULL: not wanted) receives them; *NUMBERS_OK says they were all there.
 */
static int cache_load(audit_ctx *a, const char *path, char tip[41], const char *tkey, docket_numbering *numbers,
                      int *numbers_ok, size_t *commits)
{
	FILE *f = fopen(path, "r");
	char *line = NULL, ctip[64], ckey[80];
	size_t cap = 0;
	ssize_t n;

	tip[0] = '\0';
	*numbers_ok = 0;
	*commits = 0;
	if (!f)
		return 0;
	if (getline(&line, &cap, f) <= 0 ||
	    sscanf(line, "docket-audit " AUDIT_RULES " %63s %79s %zu", ctip, ckey, commits) != 3 ||
	    strlen(ctip) != 40 || strspn(ctip, "0123456789abcdef") != 40 || strcmp(ckey, tkey) != 0) {
		free(line);
		fclose(f);
		*commits = 0;
		return 0;
	}
	memcpy(tip, ctip, 41);
	*numbers_ok = 1;
	while ((n = getline(&line, &cap, f)) > 0) {
		char *kind, *commit, *doc, *msg;
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		if (line[0] == '#') {
			char *key, *given;
			if (strcmp(line, "#numbers-incomplete") == 0)
				*numbers_ok = 0;
			if (strncmp(line, "#number\t", 8) != 0 || !numbers)
				continue;
			key = line + 8;
			if (!(given = strchr(key, '\t'))) {
				*numbers_ok = 0;
				continue;
			}
			*given++ = '\0';
			if (docket_numbering_remember(numbers, key, given) < 0)
				a->error = DOCKET_ERROR;
			continue;
		}
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

static int number_line(const char *key, const char *given, void *payload)
{
	docket_buf *b = payload;
	/* a name with a tab or a line break cannot be kept on a line: the next run replays */
	if (strpbrk(key, "\t\r\n") || strpbrk(given, "\t\r\n"))
		return 1;
	return docket_buf_printf(b, "#number\t%s\t%s\n", key, given) < 0;
}

static void cache_save(audit_ctx *a, const char *path, const char *tip, const char *tkey, size_t commits)
{
	docket_buf b = DOCKET_BUF_INIT;
	size_t i;

	docket_buf_printf(&b, "docket-audit " AUDIT_RULES " %s %s %zu\n", tip, tkey, commits);
	for (i = 0; i < a->out->n + a->out->nnotes; i++) {
		docket_audit_finding *f = i < a->out->n ? &a->out->findings[i] : &a->out->notes[i - a->out->n];
		clean(f->message);
		docket_buf_printf(&b, "%s\t%s\t%s\t%s\n", f->kind, f->commit[0] ? f->commit : "-",
		                  f->document ? f->document : "-", f->message);
	}
	if (docket_numbering_each(a->numbers, number_line, &b))
		docket_buf_puts(&b, "#numbers-incomplete\n");
	if (docket_file_write_atomic(path, b.ptr, b.len, 0644) < 0)
		docket_error_clear(); /* a read-only repository: no cache, same verdicts */
	docket_buf_free(&b);
}

/*
 * The numbers given before the first commit this run replays: the registers' changes up to
 * and including STOP, remembered without judging them again (an earlier run did).
 */
typedef struct {
	audit_ctx *a;
	const char *stop;
	size_t skipped; /* commits up to STOP */
} replay_state;

static int replay_numbers(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	replay_state *r = payload;
	git_repository *git = docket_repo_git(r->a->repo);
	git_commit *c = NULL, *p = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_oid oid;

	r->skipped++;
	for (size_t i = 0; i < npaths && !r->a->error; i++) {
		if (strncmp(paths[i], ".docket/register/", 17) != 0)
			continue;
		if (!c && (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0 ||
		           git_commit_tree(&tree, c) < 0)) {
			r->a->error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", commit);
			break;
		}
		if (!p && git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) == 0)
			git_commit_tree(&ptree, p);
		audit_register(r->a, commit, ptree, tree, git_commit_message(c), paths[i], NULL);
	}
	git_tree_free(tree);
	git_tree_free(ptree);
	git_commit_free(c);
	git_commit_free(p);
	return r->a->error ? 1 : strcmp(commit, r->stop) == 0;
}

int docket_audit(docket_audit_result *out, docket_repo *repo, const docket_audit_options *opts)
{
	static const docket_audit_options none = DOCKET_AUDIT_OPTIONS_INIT;
	char *known = NULL;
	int elsewhere = 0;
	audit_ctx a;
	docket_buf cache = DOCKET_BUF_INIT;
	char tip[41], cached_tip[41] = "", old_index_tip[41], since[41] = "", tkey[65];
	int rewritten = 0, error, use_cache, numbers_ok = 0;
	size_t i, indexed = 0, cached_commits = 0;

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
	if ((error = docket_csig_cache_new(&a.csig)) < 0 || (error = docket_numbering_new(&a.numbers)) < 0)
		goto cleanup;
	{
		docket_history_options ho = DOCKET_HISTORY_OPTIONS_INIT;
		ho.jobs = a.opts->jobs;
		ho.progress_cb = a.opts->progress_cb;
		ho.payload = a.opts->payload;
		if ((error = docket_history_update_opts(&rewritten, old_index_tip, repo, &ho)) < 0)
			goto cleanup;
	}
	if ((error = docket_history_count(&indexed, repo)) < 0)
		goto cleanup;
	if ((error = docket_repo_resolve(tip, repo, NULL)) < 0)
		goto cleanup;
	if (a.opts->since && (error = docket_repo_resolve(since, repo, a.opts->since)) < 0)
		goto cleanup;
	trust_key(tkey, a.opts->trust);
	docket_buf_printf(&cache, "%sdocket/audit", docket_repo_gitdir(repo));
	if (use_cache || !a.opts->no_cache) {
		/* even when not using the verdicts, a rewritten history must be reported */
		audit_ctx probe = a;
		docket_audit_result tmp;
		memset(&tmp, 0, sizeof(tmp));
		probe.out = &tmp;
		cache_load(&probe, cache.ptr, cached_tip, tkey, use_cache ? a.numbers : NULL, &numbers_ok, &cached_commits);
		a.error = probe.error;
		if (use_cache) {
			docket_audit_result_free(out);
			*out = tmp;
			out->trust_used = a.opts->trust != NULL;
			out->earlier = out->n;
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
				/* and the numbers the cache kept were given in the history that is gone */
				docket_numbering_free(a.numbers);
				a.numbers = NULL;
				numbers_ok = 0;
				if ((error = docket_numbering_new(&a.numbers)) < 0)
					goto cleanup;
			}
			finding(&a, "history-rewritten", NULL, NULL, "the previously audited commit %.12s is no longer "
			        "in the history of the main branch: history was rewritten", cached_tip);
			cached_tip[0] = '\0';
		}
	} else if (rewritten && old_index_tip[0]) {
		finding(&a, "history-rewritten", NULL, NULL, "the previously indexed commit %.12s is no longer in the "
		        "history of the main branch: history was rewritten", old_index_tip);
	}
	/* verdicts of earlier commits come from the cache */
	if (use_cache && cached_tip[0])
		out->cached = 1;
	if (use_cache && cached_tip[0] && strcmp(cached_tip, tip) == 0)
		goto save;
	{
		const char *start = since[0] ? since : (use_cache && cached_tip[0] ? cached_tip : NULL);
		replay_state r = { &a, start, 0 };
		if (start && !since[0] && numbers_ok) {
			/* the numbers given up to the cached tip came with the cache: the re-run costs
			 * the new commits only */
			r.skipped = cached_commits;
		} else if (start && ((error = docket_history_scan(repo, NULL, replay_numbers, &r)) < 0 || a.error)) {
			goto scanned;
		}
		a.total = indexed >= r.skipped ? indexed - r.skipped : 0;
		if ((error = audit_start(&a)) < 0)
			goto scanned;
		error = docket_history_scan(repo, start, audit_commit, &a);
		if (error >= 0 && !a.error)
			audit_drain(&a);
	}
scanned:
	if (a.error)
		error = a.error;
	if (error < 0)
		goto cleanup;
	sum_notes(&a);
save:
	if (!a.opts->no_cache && !a.opts->since && !(a.opts->docs && a.opts->ndocs))
		cache_save(&a, cache.ptr, tip, tkey, indexed);
	/* the records of the history kept where a rewriter cannot reach them, judged every time
	 * and never cached: the signed checkpoints and the head audited last */
	if ((error = docket_checkpoints_check(repo, tip, a.opts->trust, report_cb, &a, &elsewhere)) < 0)
		goto cleanup;
	if (a.opts->known_head)
		known = docket_strdup(a.opts->known_head);
	else if ((error = docket_known_head_path(&known, repo)) < 0)
		goto cleanup;
	if ((error = docket_known_head_check(repo, known, tip, report_cb, &a, &elsewhere)) < 0)
		goto cleanup;
	for (i = 0; i < out->n; i++)
		elsewhere |= strcmp(out->findings[i].kind, "history-rewritten") == 0;
	/* a rewrite keeps being reported until the verifier looks into it (and removes the file) */
	if (!elsewhere && !a.opts->since && !(a.opts->docs && a.opts->ndocs) && docket_known_head_save(known, tip) < 0)
		docket_error_clear(); /* nowhere to keep it: the checkpoints still say */
	error = a.error;
cleanup:
	audit_stop(&a);
	free(known);
	docket_csig_cache_free(a.csig);
	a.csig = NULL;
	docket_numbering_free(a.numbers);
	xmlHashFree(a.names, NULL);
	for (i = 0; i < 4; i++)
		docket_workflow_free(a.wf[i]);
	certs_reset(&a);
	docket_config_free(a.cfg);
	docket_schema_free(a.schema);
	docket_buf_free(&cache);
	for (i = 0; i < a.nannex; i++)
		free(a.annex_docs[i]);
	free(a.annex_docs);
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
	for (i = 0; i < r->nnotes; i++) {
		free(r->notes[i].kind);
		free(r->notes[i].document);
		free(r->notes[i].message);
	}
	free(r->notes);
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
	a.seed_registers = 1;
	out->trust_used = a.opts->trust != NULL;
	if ((error = docket_csig_cache_new(&a.csig)) < 0 || (error = docket_numbering_new(&a.numbers)) < 0)
		goto cleanup;
	if ((error = audit_start(&a)) < 0)
		goto cleanup;
	error = feed(audit_commit, &a, payload);
	if (error >= 0 && !a.error)
		audit_drain(&a);
	if (a.error)
		error = a.error;
	if (error >= 0)
		sum_notes(&a);
cleanup:
	audit_stop(&a);
	for (size_t i = 0; i < 4; i++)
		docket_workflow_free(a.wf[i]);
	certs_reset(&a);
	docket_csig_cache_free(a.csig);
	docket_numbering_free(a.numbers);
	for (size_t i = 0; i < a.nseeded; i++)
		free(a.seeded[i]);
	free(a.seeded);
	for (size_t i = 0; i < a.nannex; i++)
		free(a.annex_docs[i]);
	free(a.annex_docs);
	xmlHashFree(a.names, NULL);
	docket_config_free(a.cfg);
	docket_schema_free(a.schema);
	return error < 0 ? error : 0;
}
