/*
 * history: the index of which commit changed which document (see include/docket/history.h).
 *
 * File: GITDIR/docket/history. First line "docket-history 2 <tip> <count>\n", then one record
 * per commit: the commit id and each path it changed against its first parent (under
 * documents/ and .docket/, and the names of other top-level entries), each ended by a NUL,
 * and a NUL more to end the record. A tree entry's name can hold any byte but NUL and '/',
 * so a name with a space or a newline is held as it is (version 1, one line per commit with
 * the paths separated by spaces, could not: an index in that format is rebuilt). An update
 * diffs only the commits after the indexed tip and rewrites the file through a temporary file
 * and a rename, so a crash leaves the old index.
 *
 * The first build of a province's index diffs 500,000 commits, and its cost is reading trees:
 * each tree on a changed path is read once for the whole walk (a commit's parent's trees are
 * the previous commit's, kept in a small cache), parsed in place and compared with its
 * counterpart by a merge of their sorted entries, descending only where the ids differ. The
 * object database still checks the hash of every object read.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pthread.h>
#include <unistd.h>
#include "store_internal.h"

#define HEADER "docket-history 2 "

static int index_path(docket_buf *out, docket_repo *repo, const char *name)
{
	out->len = 0;
	return docket_buf_printf(out, "%sdocket/%s", docket_repo_gitdir(repo), name);
}

/* Read the header: tip and count. Missing or unreadable file: empty tip. */
static void read_header(const char *path, char tip[41], size_t *count)
{
	FILE *f = fopen(path, "r");
	char line[256];

	tip[0] = '\0';
	*count = 0;
	if (!f)
		return;
	if (fgets(line, sizeof(line), f) && strncmp(line, HEADER, strlen(HEADER)) == 0) {
		if (sscanf(line + strlen(HEADER), "%40s %zu", tip, count) != 2 || strlen(tip) != 40 ||
		    strspn(tip, "0123456789abcdef") != 40) {
			tip[0] = '\0';
			*count = 0;
		}
	}
	fclose(f);
}

/*
 * Trees as git stores them, read through the object database (which checks every object's
 * hash, as git_tree_lookup does) and parsed here into entries that point into the object's
 * bytes: no git_tree, no allocation per entry, and two trees compared by a merge of their
 * sorted entries rather than a search per entry. A small cache keeps the trees read last:
 * walking oldest first, a commit's parent's trees are the trees the previous commit was
 * described with, so each tree on a changed path is read and parsed once for the walk.
 */
typedef struct {
	const char *name;
	size_t len;
	unsigned int mode;       /* as written */
	const unsigned char *id; /* GIT_OID_RAWSZ bytes */
} tentry;

typedef struct {
	git_oid id;
	git_odb_object *obj;
	tentry *v;
	size_t n;
	int sorted;        /* strictly in git's order, so entries can be matched by a merge */
	unsigned int refs; /* the cache's and each reader's */
} tnode;

#define CACHED 64 /* trees kept: a commit's paths are a few trees deep on each side */

typedef struct {
	git_odb *odb;
	tnode *slot[CACHED];
	uint64_t key[CACHED];       /* the first 8 bytes of each slot's id: a scan in one line or two */
	unsigned long used[CACHED]; /* when each slot was last read (the clock) */
	size_t n;
	unsigned long clock;
} tcache;

static int is_tree(const tentry *e)
{
	return (e->mode & 0170000) == 0040000;
}

/* The mode as libgit2's git_tree_entry_filemode gives it: the kind, and executable or not. */
static unsigned int filemode(const tentry *e)
{
	if (is_tree(e))
		return 0040000;
	if (e->mode & 0111)
		return 0100755;
	if ((e->mode & 0170000) == 0160000)
		return 0160000;
	if ((e->mode & 0170000) == 0120000)
		return 0120000;
	return 0100644;
}

static int same(const tentry *a, const tentry *b)
{
	return memcmp(a->id, b->id, GIT_OID_RAWSZ) == 0 && filemode(a) == filemode(b);
}

/* git's order of tree entries: by name, a folder's name compared as if it ended in '/' */
static int entry_cmp(const tentry *a, const tentry *b)
{
	size_t len = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->name, b->name, len);
	unsigned char ca, cb;

	if (c)
		return c;
	ca = a->len > len ? (unsigned char)a->name[len] : is_tree(a) ? '/' : '\0';
	cb = b->len > len ? (unsigned char)b->name[len] : is_tree(b) ? '/' : '\0';
	return (int)ca - (int)cb;
}

static void tnode_release(tnode *t)
{
	if (!t || --t->refs > 0)
		return;
	git_odb_object_free(t->obj);
	free(t->v);
	free(t);
}

static int tree_parse(tnode *t)
{
	const char *p = git_odb_object_data(t->obj), *end = p + git_odb_object_size(t->obj);

	/* an entry takes at least 24 bytes ("0 x\0" and the id): one allocation that fits all */
	if (!(t->v = malloc(((size_t)(end - p) / 24 + 1) * sizeof(*t->v))))
		return -1;
	t->sorted = 1;
	while (p < end) {
		tentry e;
		const char *nul;

		e.mode = 0;
		if (*p < '0' || *p > '7')
			return -1;
		for (; p < end && *p >= '0' && *p <= '7'; p++)
			if ((e.mode = e.mode * 8 + (unsigned int)(*p - '0')) > 07777777)
				return -1;
		if (p == end || *p != ' ')
			return -1;
		e.name = ++p;
		if (!(nul = memchr(p, '\0', (size_t)(end - p))) || nul == p || end - nul - 1 < GIT_OID_RAWSZ)
			return -1;
		e.len = (size_t)(nul - p);
		e.id = (const unsigned char *)nul + 1;
		if (t->n > 0 && entry_cmp(&t->v[t->n - 1], &e) >= 0)
			t->sorted = 0;
		t->v[t->n++] = e;
		p = nul + 1 + GIT_OID_RAWSZ;
	}
	return 0;
}

/* *OUT: the tree ID, from the cache or read and parsed; release it with tnode_release. */
static int tree_load(tnode **out, tcache *c, const unsigned char *raw)
{
	git_oid id;
	tnode *t = NULL;
	uint64_t key;
	size_t i, victim = 0;

	*out = NULL;
	memcpy(&key, raw, sizeof(key));
	c->clock++;
	for (i = 0; i < c->n; i++) {
		if (c->key[i] == key && memcmp(c->slot[i]->id.id, raw, GIT_OID_RAWSZ) == 0) {
			c->used[i] = c->clock;
			c->slot[i]->refs++;
			*out = c->slot[i];
			return 0;
		}
		if (c->used[i] < c->used[victim])
			victim = i;
	}
	if (!(t = calloc(1, sizeof(*t))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	git_oid_fromraw(&id, raw);
	t->id = id;
	t->refs = 1;
	if (git_odb_read(&t->obj, c->odb, &id) < 0) {
		char hex[41];
		tnode_release(t);
		git_oid_tostr(hex, sizeof(hex), &id);
		return docket_error_git(DOCKET_ERROR, "cannot read the tree %s", hex);
	}
	if (git_odb_object_type(t->obj) != GIT_OBJECT_TREE || tree_parse(t) < 0) {
		char hex[41];
		tnode_release(t);
		git_oid_tostr(hex, sizeof(hex), &id);
		return docket_error_set(DOCKET_ERROR, "cannot read the tree %s: not a well-formed tree", hex);
	}
	if (c->n < CACHED)
		victim = c->n++;
	else
		tnode_release(c->slot[victim]);
	c->slot[victim] = t;
	c->key[victim] = key;
	c->used[victim] = c->clock;
	t->refs++;
	*out = t;
	return 0;
}

static void tcache_clear(tcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		tnode_release(c->slot[i]);
	c->n = 0;
}

/*
 * The entry of T with E's name, whatever its kind (as git_tree_entry_byname finds it), or
 * NULL. When both trees are sorted (MERGE), *AT is a cursor in T that only moves forward as
 * E does: the entry of the same name and kind is found where the cursor stops (counted in
 * *EXACT), and one of the other kind (a file replaced by a folder) among the neighbours that
 * start with E's name.
 */
static const tentry *find(const tnode *t, const tentry *e, size_t *at, int merge, size_t *exact)
{
	size_t i;

	if (!t)
		return NULL;
	if (!merge) {
		for (i = 0; i < t->n; i++)
			if (t->v[i].len == e->len && memcmp(t->v[i].name, e->name, e->len) == 0)
				return &t->v[i];
		return NULL;
	}
	while (*at < t->n && entry_cmp(&t->v[*at], e) < 0)
		(*at)++;
	if (*at < t->n && entry_cmp(&t->v[*at], e) == 0) {
		(*exact)++;
		return &t->v[*at];
	}
	for (i = *at; i < t->n && t->v[i].len >= e->len && memcmp(t->v[i].name, e->name, e->len) == 0; i++)
		if (t->v[i].len == e->len)
			return &t->v[i];
	for (i = *at; i-- > 0 && t->v[i].len >= e->len && memcmp(t->v[i].name, e->name, e->len) == 0;)
		if (t->v[i].len == e->len)
			return &t->v[i];
	return NULL;
}

typedef struct {
	tcache *cache;
	docket_buf *out;
	docket_buf path; /* the folder compared, ending in '/' */
} differ;

/* Set D's path to its first BASE bytes and NAME, then append it to the record when EMIT. */
static int set_path(differ *d, size_t base, const tentry *e, int emit)
{
	d->path.len = base;
	if (docket_buf_put(&d->path, e->name, e->len) < 0)
		return DOCKET_ERROR;
	return emit ? docket_buf_put(d->out, d->path.ptr, d->path.len + 1) : 0;
}

/*
 * The paths under D's path that differ between trees A and B (either may be NULL), appended
 * to the record: first what B has and A has not or has otherwise, in B's order, then what only
 * A has, in A's order; a folder's files depth first, and a path that is a file on one side
 * and a folder on the other after the files. Only subtrees whose ids differ are read, so a
 * commit that changed one file costs the trees on that file's path, not a full diff.
 */
static int changed_paths(differ *d, tnode *a, tnode *b)
{
	size_t base = d->path.len, exact = 0;
	int merge = (!a || a->sorted) && (!b || b->sorted), error = 0;

	for (int pass = 0; pass < 2 && !error; pass++) {
		tnode *from = pass ? a : b, *other = pass ? b : a;
		size_t at = 0, n = from ? from->n : 0;

		/* every entry of A matched one of B: nothing is only in A */
		if (pass && merge && exact == n)
			break;
		for (size_t i = 0; i < n && !error; i++) {
			const tentry *e = &from->v[i], *o;
			tnode *se = NULL, *so = NULL;

			/* most entries are the same on both sides, at the cursor: the same mode, name
			 * and id, which the object holds one after the other */
			if (!pass && other && merge && at < other->n && other->v[at].len == e->len && other->v[at].mode == e->mode &&
			    memcmp(other->v[at].name, e->name, e->len + 1 + GIT_OID_RAWSZ) == 0) {
				at++;
				exact++;
				continue;
			}
			o = find(other, e, &at, merge, &exact);
			if ((pass && o) || (o && same(e, o)))
				continue;
			if (!is_tree(e) && !(o && is_tree(o))) {
				error = set_path(d, base, e, 1);
				continue;
			}
			if (is_tree(e))
				error = tree_load(&se, d->cache, e->id);
			if (!error && o && is_tree(o))
				error = tree_load(&so, d->cache, o->id);
			if (!error && (error = set_path(d, base, e, 0)) == 0 && (error = docket_buf_put(&d->path, "/", 1)) == 0)
				error = changed_paths(d, so, se);
			if (!error && (!is_tree(e) || (o && !is_tree(o))))
				error = set_path(d, base, e, 1);
			tnode_release(se);
			tnode_release(so);
		}
	}
	d->path.len = base;
	if (d->path.ptr)
		d->path.ptr[base] = '\0';
	return error;
}

/*
 * Append the record of commit ID, whose tree is TREE and whose first parent's tree is PTREE
 * (NULL: a root commit), to OUT: its changes under documents/ and .docket/, and the names of
 * the other top-level entries it added, changed or removed (not what is inside them: docket
 * keeps nothing there, but the audit must see a top-level ".." or ".git").
 */
static int describe(docket_buf *out, tcache *cache, const git_oid *id, const git_oid *tree_id,
                    const git_oid *ptree_id)
{
	static const char *const roots[] = { "documents", ".docket" };
	differ d = { cache, out, DOCKET_BUF_INIT };
	tnode *tree = NULL, *ptree = NULL;
	char hex[41];
	size_t exact = 0;
	int error;

	if ((error = tree_load(&tree, cache, tree_id->id)) < 0 ||
	    (ptree_id && (error = tree_load(&ptree, cache, ptree_id->id)) < 0))
		goto cleanup;
	git_oid_tostr(hex, sizeof(hex), id);
	if ((error = docket_buf_put(out, hex, 41)) < 0)
		goto cleanup;
	for (int pass = 0; pass < 2; pass++) {
		tnode *from = pass ? ptree : tree, *other = pass ? tree : ptree;
		int merge = (!tree || tree->sorted) && (!ptree || ptree->sorted);
		size_t at = 0, n = from ? from->n : 0;

		if (pass && merge && exact == n)
			break;
		for (size_t i = 0; i < n; i++) {
			const tentry *e = &from->v[i], *o = find(other, e, &at, merge, &exact);
			if ((e->len == 9 && memcmp(e->name, "documents", 9) == 0) ||
			    (e->len == 7 && memcmp(e->name, ".docket", 7) == 0) || (pass && o) || (o && same(e, o)))
				continue;
			if ((error = docket_buf_put(out, e->name, e->len)) < 0 || (error = docket_buf_put(out, "", 1)) < 0)
				goto cleanup;
		}
	}
	for (size_t r = 0; r < 2; r++) {
		tentry key = { roots[r], strlen(roots[r]), 0040000, NULL };
		size_t at = 0;
		const tentry *a = find(ptree, &key, &at, 0, &exact), *b = find(tree, &key, &at, 0, &exact);
		tnode *ta = NULL, *tb = NULL;

		if ((!a && !b) || (a && b && memcmp(a->id, b->id, GIT_OID_RAWSZ) == 0))
			continue;
		if (a && is_tree(a))
			error = tree_load(&ta, cache, a->id);
		if (!error && b && is_tree(b))
			error = tree_load(&tb, cache, b->id);
		d.path.len = 0;
		if (!error && (error = docket_buf_printf(&d.path, "%s/", roots[r])) == 0)
			error = changed_paths(&d, ta, tb);
		tnode_release(ta);
		tnode_release(tb);
		if (error < 0)
			goto cleanup;
	}
	error = docket_buf_put(out, "", 1);
cleanup:
	tnode_release(ptree);
	tnode_release(tree);
	docket_buf_free(&d.path);
	return error < 0 ? DOCKET_ERROR : 0;
}

/* A commit of the first-parent chain and its tree. */
typedef struct {
	git_oid id;
	git_oid tree;
} chain_link;

/*
 * The tree and first parent of commit ID, read through the object database (hash checked)
 * from the commit's header, which git writes as "tree HEX\n" then the parents.
 */
static int read_commit(git_oid *tree, git_oid *parent, int *has_parent, git_odb *odb, const git_oid *id)
{
	git_odb_object *obj = NULL;
	const char *p;
	size_t len;
	char hex[41];
	int error = DOCKET_ERROR;

	*has_parent = 0;
	git_oid_tostr(hex, sizeof(hex), id);
	if (git_odb_read(&obj, odb, id) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read the commit %s", hex);
	p = git_odb_object_data(obj);
	len = git_odb_object_size(obj);
	if (git_odb_object_type(obj) != GIT_OBJECT_COMMIT || len < 46 || memcmp(p, "tree ", 5) != 0 ||
	    p[45] != '\n' || git_oid_fromstrn(tree, p + 5, 40) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot read the commit %s: not a well-formed commit", hex);
		goto cleanup;
	}
	if (len >= 46 + 48 && memcmp(p + 46, "parent ", 7) == 0) {
		if (p[46 + 47] != '\n' || git_oid_fromstrn(parent, p + 46 + 7, 40) < 0) {
			docket_error_set(DOCKET_ERROR, "cannot read the commit %s: not a well-formed parent", hex);
			goto cleanup;
		}
		*has_parent = 1;
	}
	error = 0;
cleanup:
	git_odb_object_free(obj);
	return error;
}

/*
 * Describing the new commits. Each commit's record depends only on its tree and its first
 * parent's, so runs of consecutive commits are described by several threads at once, each
 * with its own repository handle and object database (a git_repository must not be shared
 * between threads) and its own tree cache, into its own buffer; the buffers are written in
 * history order, so the file is the same byte for byte whatever the number of threads.
 */
#define RUN 2048 /* commits described between two writes and two progress reports */

typedef struct {
	git_repository *git;
	tcache cache;
	const chain_link *chain;    /* newest first */
	const git_oid *base;  /* the tree of the oldest's first parent (NULL: none) */
	size_t added;
	size_t from, to;      /* describe chain[to - 1] down to chain[from], oldest first */
	docket_buf out;
	int error;
	char message[512];
} describer;

static void *describe_run(void *arg)
{
	describer *d = arg;

	d->out.len = 0;
	for (size_t k = d->to; k-- > d->from && !d->error;) {
		const git_oid *ptree = k + 1 < d->added ? &d->chain[k + 1].tree : d->base;
		if (describe(&d->out, &d->cache, &d->chain[k].id, &d->chain[k].tree, ptree) < 0) {
			d->error = DOCKET_ERROR;
			snprintf(d->message, sizeof(d->message), "cannot read the history: %s", docket_error_last());
		}
	}
	return NULL;
}

static int describe_all(FILE *out, docket_repo *repo, const chain_link *chain, const git_oid *base, size_t added,
                        const docket_history_options *opts)
{
	describer d[64];
	pthread_t tid[64];
	unsigned int jobs = docket_jobs(opts ? opts->jobs : 0), t, started = 0;
	size_t done = 0;
	int error = 0;

	/* below a run's worth of commits, threads cost more than they save */
	if (added < 256)
		jobs = 1;
	memset(d, 0, sizeof(d));
	for (t = 0; t < jobs; t++) {
		d[t].chain = chain;
		d[t].base = base;
		d[t].added = added;
		if (t == 0)
			d[t].git = docket_repo_git(repo);
		else if (git_repository_open_bare(&d[t].git, docket_repo_gitdir(repo)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot open the repository for indexing");
			goto cleanup;
		}
		if (git_repository_odb(&d[t].cache.odb, d[t].git) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot open the object database for indexing");
			goto cleanup;
		}
	}
	if (opts && opts->progress_cb && opts->progress_cb("indexing history", 0, added, opts->payload)) {
		error = docket_error_set(DOCKET_ERROR, "stopped");
		goto cleanup;
	}
	/* chain is newest first: the oldest run is at its end */
	for (size_t hi = added; hi > 0;) {
		size_t lo = hi > RUN ? hi - RUN : 0, n = hi - lo, per = (n + jobs - 1) / jobs;
		started = 0;
		for (t = 0; t < jobs; t++) {
			/* thread t takes the t-th oldest slice of [lo, hi) */
			d[t].to = (size_t)t * per < n ? hi - (size_t)t * per : lo;
			d[t].from = d[t].to > lo + per ? d[t].to - per : lo;
			d[t].error = 0;
		}
		for (t = 1; t < jobs; t++) {
			if (d[t].from == d[t].to)
				continue;
			if (pthread_create(&tid[t], NULL, describe_run, &d[t]) != 0) {
				d[t].error = DOCKET_ERROR;
				snprintf(d[t].message, sizeof(d[t].message), "cannot start a thread");
				break;
			}
			started = t;
		}
		describe_run(&d[0]);
		for (t = 1; t <= started; t++)
			if (d[t].from != d[t].to)
				pthread_join(tid[t], NULL);
		for (t = 0; t < jobs; t++) {
			if (d[t].error) {
				error = docket_error_set(DOCKET_ERROR, "%s", d[t].message);
				goto cleanup;
			}
		}
		for (t = 0; t < jobs; t++)
			if (d[t].out.len && fwrite(d[t].out.ptr, 1, d[t].out.len, out) != d[t].out.len) {
				error = docket_error_set(DOCKET_ERROR, "cannot write the history index: %s", strerror(errno));
				goto cleanup;
			}
		done += n;
		hi = lo;
		if (opts && opts->progress_cb && opts->progress_cb("indexing history", done, added, opts->payload)) {
			error = docket_error_set(DOCKET_ERROR, "stopped");
			goto cleanup;
		}
	}
cleanup:
	for (t = 0; t < jobs; t++) {
		tcache_clear(&d[t].cache);
		git_odb_free(d[t].cache.odb);
		if (t > 0)
			git_repository_free(d[t].git);
		docket_buf_free(&d[t].out);
	}
	return error;
}

int docket_history_update(int *rewritten, char old_tip[41], docket_repo *repo)
{
	return docket_history_update_opts(rewritten, old_tip, repo, NULL);
}

int docket_history_update_opts(int *rewritten, char old_tip[41], docket_repo *repo,
                               const docket_history_options *opts)
{
	git_repository *git = docket_repo_git(repo);
	git_oid tip, cached, base;
	chain_link *chain = NULL;
	git_odb *odb = NULL;
	int has_base = 0;
	docket_buf path = DOCKET_BUF_INIT, tmp = DOCKET_BUF_INIT, lines = DOCKET_BUF_INIT, dir = DOCKET_BUF_INIT;
	char tiphex[41], cachedhex[41];
	size_t count = 0, added = 0;
	FILE *in = NULL, *out = NULL;
	int error = DOCKET_ERROR, rebuild = 0;

	if (rewritten)
		*rewritten = 0;
	if (old_tip)
		old_tip[0] = '\0';
	if (opts && (error = docket_options_check(opts->version, DOCKET_HISTORY_OPTIONS_VERSION,
	                                          "docket_history_options", "DOCKET_HISTORY_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_repo_resolve(tiphex, repo, NULL)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (git_oid_fromstr(&tip, tiphex) < 0) {
		docket_error_git(DOCKET_ERROR, "cannot read the tip '%s'", tiphex);
		goto cleanup;
	}
	if (index_path(&path, repo, "history") < 0 || index_path(&dir, repo, "") < 0)
		goto cleanup;
	read_header(path.ptr, cachedhex, &count);
	if (old_tip)
		memcpy(old_tip, cachedhex, 41);
	if (cachedhex[0]) {
		if (git_oid_fromstr(&cached, cachedhex) < 0) {
			docket_error_git(DOCKET_ERROR, "cannot read the indexed tip '%s'", cachedhex);
			goto cleanup;
		}
		if (git_oid_equal(&cached, &tip)) {
			error = 0;
			goto cleanup;
		}
		if (git_graph_descendant_of(git, &tip, &cached) != 1) {
			rebuild = 1;
			count = 0;
			if (rewritten)
				*rewritten = 1;
		}
	}
	/* the first-parent chain from the tip back to the indexed tip: 40 bytes a commit */
	if (git_repository_odb(&odb, git) < 0) {
		docket_error_git(DOCKET_ERROR, "cannot open the object database");
		goto cleanup;
	}
	{
		git_oid cur = tip, parent;
		size_t cap = 0;
		int has_parent;
		for (;;) {
			if (added == cap) {
				chain_link *grown = realloc(chain, (cap = cap ? cap * 2 : 1024) * sizeof(*chain));
				if (!grown) {
					docket_error_set(DOCKET_ERROR, "out of memory");
					goto cleanup;
				}
				chain = grown;
			}
			chain[added].id = cur;
			if (read_commit(&chain[added].tree, &parent, &has_parent, odb, &cur) < 0)
				goto cleanup;
			added++;
			if (!has_parent)
				break;
			cur = parent;
			if (cachedhex[0] && !rebuild && git_oid_equal(&cur, &cached)) {
				git_oid ignored;
				if (read_commit(&base, &ignored, &has_parent, odb, &cur) < 0)
					goto cleanup;
				has_base = 1;
				break;
			}
		}
	}
	/* write header + old lines + new lines to a temporary file, then rename */
	if (mkdir(dir.ptr, 0777) < 0 && errno != EEXIST) {
		docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", dir.ptr, strerror(errno));
		goto cleanup;
	}
	if (docket_buf_printf(&tmp, "%s.%ld.tmp", path.ptr, (long)getpid()) < 0)
		goto cleanup;
	if (!(out = fopen(tmp.ptr, "w"))) {
		/* a read-only repository (a server's hook user): work without the cache */
		error = 0;
		goto cleanup;
	}
	fprintf(out, HEADER "%s %zu\n", tiphex, count + added);
	if (!rebuild && cachedhex[0] && (in = fopen(path.ptr, "r")) != NULL) {
		char buf[65536];
		size_t n;
		int c;
		while ((c = fgetc(in)) != EOF && c != '\n')
			; /* skip the old header */
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
	}
	if ((error = describe_all(out, repo, chain, has_base ? &base : NULL, added, opts)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	fclose(out);
	out = NULL;
	if (rename(tmp.ptr, path.ptr) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", path.ptr, strerror(errno));
		goto cleanup;
	}
	error = 0;
cleanup:
	if (out) {
		fclose(out);
		unlink(tmp.ptr);
	}
	if (in)
		fclose(in);
	free(chain);
	git_odb_free(odb);
	docket_buf_free(&path);
	docket_buf_free(&tmp);
	docket_buf_free(&lines);
	docket_buf_free(&dir);
	return error;
}

int docket_history_count(size_t *out, docket_repo *repo)
{
	docket_buf path = DOCKET_BUF_INIT;
	char tip[41];

	*out = 0;
	if (index_path(&path, repo, "history") < 0)
		return DOCKET_ERROR;
	read_header(path.ptr, tip, out);
	docket_buf_free(&path);
	return 0;
}

int docket_history_scan(docket_repo *repo, const char *start, docket_history_fn fn, void *payload)
{
	docket_buf path = DOCKET_BUF_INIT, rec = DOCKET_BUF_INIT;
	FILE *f = NULL;
	char *field = NULL;
	size_t cap = 0;
	const char **paths = NULL;
	size_t pcap = 0, np = 0, off;
	ssize_t n;
	int error = 0, started = start == NULL, c;

	if (index_path(&path, repo, "history") < 0)
		return DOCKET_ERROR;
	if (!(f = fopen(path.ptr, "r"))) {
		error = docket_error_set(DOCKET_ENOTFOUND, "no history index at '%s'", path.ptr);
		goto cleanup;
	}
	if ((n = getline(&field, &cap, f)) < (ssize_t)strlen(HEADER) || strncmp(field, HEADER, strlen(HEADER)) != 0) {
		error = docket_error_set(DOCKET_ERROR, "'%s' is not a version 2 history index", path.ptr);
		goto cleanup;
	}
	/* one record at a time: the fields, each with its NUL, into REC; then the pointers */
	for (;;) {
		rec.len = 0;
		np = 0;
		while ((n = getdelim(&field, &cap, '\0', f)) > 0) {
			if (n == 1 && field[0] == '\0')
				break; /* end of the record */
			if (field[n - 1] != '\0') {
				error = docket_error_set(DOCKET_ERROR, "'%s' is truncated", path.ptr);
				goto cleanup;
			}
			if (docket_buf_put(&rec, field, (size_t)n) < 0) {
				error = DOCKET_ERROR;
				goto cleanup;
			}
			np++;
		}
		if (np == 0) {
			if (n > 0) {
				error = docket_error_set(DOCKET_ERROR, "'%s' holds an empty record", path.ptr);
				goto cleanup;
			}
			break; /* end of the file */
		}
		if (n <= 0) {
			error = docket_error_set(DOCKET_ERROR, "'%s' is truncated", path.ptr);
			goto cleanup;
		}
		if (strlen(rec.ptr) != 40 || strspn(rec.ptr, "0123456789abcdef") != 40) {
			error = docket_error_set(DOCKET_ERROR, "'%s' is damaged: a record without a commit id", path.ptr);
			goto cleanup;
		}
		if (!started) {
			started = strcmp(rec.ptr, start) == 0;
			continue;
		}
		if (np - 1 > pcap) {
			const char **q = realloc(paths, (pcap = np * 2) * sizeof(*q));
			if (!q) {
				error = docket_error_set(DOCKET_ERROR, "out of memory");
				goto cleanup;
			}
			paths = q;
		}
		for (off = 41, c = 0; off < rec.len; off += strlen(rec.ptr + off) + 1)
			paths[c++] = rec.ptr + off;
		if ((error = fn(rec.ptr, paths, np - 1, payload)) != 0)
			break;
	}
cleanup:
	free(paths);
	free(field);
	if (f)
		fclose(f);
	docket_buf_free(&rec);
	docket_buf_free(&path);
	return error;
}

typedef struct {
	const char *id;
	docket_history_list *out;
	int error;
} for_state;

static int for_cb(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	for_state *st = payload;
	size_t i, idlen = strlen(st->id);

	for (i = 0; i < npaths; i++) {
		const char *base = strrchr(paths[i], '/');
		base = base ? base + 1 : paths[i];
		if (strncmp(paths[i], "documents/", 10) == 0 && strncmp(base, st->id, idlen) == 0 &&
		    strcmp(base + idlen, ".xml") == 0) {
			docket_history_list *l = st->out;
			char **c = realloc(l->commits, (l->n + 1) * sizeof(char *));
			char **p = c ? realloc(l->paths, (l->n + 1) * sizeof(char *)) : NULL;
			if (c)
				l->commits = c;
			if (p)
				l->paths = p;
			if (!c || !p) {
				st->error = docket_error_set(DOCKET_ERROR, "out of memory");
				return 1;
			}
			l->commits[l->n] = docket_strdup(commit);
			l->paths[l->n] = docket_strdup(paths[i]);
			l->n++;
			break;
		}
	}
	return 0;
}

int docket_history_for(docket_history_list *out, docket_repo *repo, const char *id)
{
	for_state st = { id, out, 0 };
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = docket_history_update(NULL, NULL, repo)) < 0)
		return error;
	error = docket_history_scan(repo, NULL, for_cb, &st);
	if (st.error)
		error = st.error;
	if (error < 0)
		docket_history_list_free(out);
	return error < 0 ? error : 0;
}

void docket_history_list_free(docket_history_list *l)
{
	size_t i;
	if (!l)
		return;
	for (i = 0; i < l->n; i++) {
		free(l->commits[i]);
		free(l->paths[i]);
	}
	free(l->commits);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}
