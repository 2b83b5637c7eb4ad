/*
 * ids: the id index - which files under documents/ hold which document id - at a cost that
 * does not grow with the number of documents (docs/lookup.md).
 *
 * A document's id is its file name (ID.xml) but not its path: KIND, YEAR and UNIT in
 * documents/KIND/YEAR/UNIT/ID.xml come from the document, not from the id, so the path
 * cannot be derived from the id. The index is a cache outside the tree, keyed by the id of
 * the documents/ tree it describes:
 *
 *   GITDIR/docket/ids: "docket-ids 1 <documents-tree> <count> <bytes>\n", then COUNT records
 *   "PATH\0" (BYTES in all) sorted by (ID, PATH) where ID is the file name without ".xml",
 *   then COUNT offsets of the records (4 bytes each, little-endian).
 *
 * Every blob under documents/ whose name ends in ".xml" has a record, whatever its folder:
 * a file moved by plain git, or put outside the layout, is found where it is. A lookup at a
 * revision whose documents/ tree is not the indexed one diffs the two trees, reading only the
 * subtrees whose ids differ (a commit that changed one document costs the four trees on its
 * path), and lays the changes over the records. When that overlay grows past REFRESH paths at
 * the branch's tip, the file is rewritten for the tip (a merge of the records with the
 * overlay, through a temporary file and a rename). Nothing is trusted that git does not say:
 * the records describe a tree named by its id, and any other tree is reached by a diff.
 *
 * The same machinery keeps a second index, GITDIR/docket/refs: which documents name an id in
 * an attribute `ref` or `plan` (a plan's bases, a report's plan, a task's source plan), records
 * "TARGET\1PATH". It is found by scanning the bytes of each document changed, not by parsing
 * it: a superset - a value written with an entity or a character reference is recorded under
 * "*", which every query also returns - that the reader narrows by parsing what it gets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "store_internal.h"
#include "docket/lookup.h"

#define REFRESH 256

typedef struct {
	char *path;
	int present; /* 1: a blob at the viewed tree; 0: gone there */
} change;

enum { IDX_IDS, IDX_REFS };

typedef struct {
	/* the records: mapped from the file, or built in memory (then OWNED) */
	char *map;
	size_t maplen;
	int mapped;
	const char *recs;
	size_t reclen;
	const unsigned char *offs;
	size_t count;
	git_oid base; /* the documents/ tree the records describe (zero: none) */
	int loaded;
	/* the last tree viewed and its changes against BASE: the paths changed (sorted by
	 * strcmp: they hide the records of those paths) and the records they have now */
	git_oid view;
	int have_view;
	change *ch;
	size_t nch, cap;
	char **added;
	size_t nadded;
	int kind;
	git_repository *git; /* while building: to read the documents changed */
	const docket_lookup_options *opts; /* while docket_lookup_update builds: progress, jobs */
} ids_cache;

typedef struct {
	ids_cache idx[2];
} ids_caches;

/* --- order -------------------------------------------------------------------------------- */

/* The id of a path: its file name without ".xml". */
static const char *path_key(const char *path, size_t *len)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	*len = strlen(base);
	*len = *len >= 4 ? *len - 4 : 0;
	return base;
}

/* The key of a record of index KIND: the id of a path, or the target before "\1". */
static const char *rec_key(int kind, const char *rec, size_t *len)
{
	const char *sep;
	if (kind == IDX_IDS)
		return path_key(rec, len);
	sep = strchr(rec, '\1');
	*len = sep ? (size_t)(sep - rec) : strlen(rec);
	return rec;
}

static const char *rec_path(int kind, const char *rec)
{
	const char *sep = kind == IDX_IDS ? NULL : strchr(rec, '\1');
	return sep ? sep + 1 : rec;
}

static int key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);
	return c ? c : (alen > blen) - (alen < blen);
}

static int rec_cmp(int kind, const char *a, const char *b)
{
	size_t al, bl;
	const char *ak = rec_key(kind, a, &al), *bk = rec_key(kind, b, &bl);
	int c = key_cmp(ak, al, bk, bl);
	return c ? c : strcmp(a, b);
}

static int change_cmp(const void *x, const void *y)
{
	return strcmp(((const change *)x)->path, ((const change *)y)->path);
}

static int ids_rec_cmp(const void *x, const void *y)
{
	return rec_cmp(IDX_IDS, *(char *const *)x, *(char *const *)y);
}

static int refs_rec_cmp(const void *x, const void *y)
{
	return rec_cmp(IDX_REFS, *(char *const *)x, *(char *const *)y);
}

static void sort_recs(int kind, char **v, size_t *n)
{
	size_t i, o = 0;
	if (!*n)
		return;
	qsort(v, *n, sizeof(char *), kind == IDX_IDS ? ids_rec_cmp : refs_rec_cmp);
	for (i = 0; i < *n; i++) {
		if (o && strcmp(v[o - 1], v[i]) == 0)
			free(v[i]); /* a document naming one id twice: one record */
		else
			v[o++] = v[i];
	}
	*n = o;
}

/* Is PATH among the changed paths of C's view? */
static int changed(const ids_cache *c, const char *path)
{
	size_t lo = 0, hi = c->nch;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int r = strcmp(c->ch[mid].path, path);
		if (r == 0)
			return 1;
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static const char *record(const ids_cache *c, size_t i)
{
	const unsigned char *o = c->offs + 4 * i;
	uint32_t off = (uint32_t)o[0] | (uint32_t)o[1] << 8 | (uint32_t)o[2] << 16 | (uint32_t)o[3] << 24;
	/* a damaged file cannot send a read outside the records (checked when loaded: the last
	 * byte of the records is a NUL) */
	return off < c->reclen ? c->recs + off : "";
}

/* --- the cache's lifetime ----------------------------------------------------------------- */

static void drop_base(ids_cache *c)
{
	if (c->map && c->mapped)
		munmap(c->map, c->maplen);
	else
		free(c->map);
	c->map = NULL;
	c->maplen = 0;
	c->mapped = 0;
	c->recs = NULL;
	c->offs = NULL;
	c->reclen = c->count = 0;
	c->loaded = 0;
}

static void drop_view(ids_cache *c)
{
	for (size_t i = 0; i < c->nch; i++)
		free(c->ch[i].path);
	for (size_t i = 0; i < c->nadded; i++)
		free(c->added[i]);
	free(c->added);
	c->added = NULL;
	c->nadded = 0;
	c->nch = 0;
	c->have_view = 0;
}

void docket_ids_cache_free(void *p)
{
	ids_caches *cs = p;
	if (!cs)
		return;
	for (int k = 0; k < 2; k++) {
		drop_view(&cs->idx[k]);
		free(cs->idx[k].ch);
		drop_base(&cs->idx[k]);
	}
	free(cs);
}

static const char *const file_names[2] = { "ids", "refs" };
static const char *const headers[2] = { "docket-ids 1 ", "docket-refs 1 " };

/* Point C at the records in MAP (MAPLEN bytes, a whole file); 0 or -1 when it is not one. */
static int parse_map(ids_cache *c)
{
	const char *nl = memchr(c->map, '\n', c->maplen < 256 ? c->maplen : 256);
	char hex[41];
	size_t count, bytes, head;

	const char *h = headers[c->kind];
	if (!nl || c->maplen < strlen(h) || memcmp(c->map, h, strlen(h)) != 0)
		return -1;
	if (sscanf(c->map + strlen(h), "%40s %zu %zu", hex, &count, &bytes) != 3 ||
	    strlen(hex) != 40 || strspn(hex, "0123456789abcdef") != 40 || git_oid_fromstr(&c->base, hex) < 0)
		return -1;
	head = (size_t)(nl - c->map) + 1;
	if (bytes > UINT32_MAX || count > bytes || head + bytes + 4 * count != c->maplen ||
	    (bytes && c->map[head + bytes - 1] != '\0') || (count == 0) != (bytes == 0))
		return -1;
	c->recs = c->map + head;
	c->reclen = bytes;
	c->offs = (const unsigned char *)c->map + head + bytes;
	c->count = count;
	c->loaded = 1;
	return 0;
}

static int ids_file(docket_buf *out, docket_repo *repo, int kind)
{
	out->len = 0;
	return docket_buf_printf(out, "%sdocket/%s", docket_repo_gitdir(repo), file_names[kind]);
}

/* Map the index file when there is a valid one. */
static void load_file(ids_cache *c, docket_repo *repo)
{
	docket_buf path = DOCKET_BUF_INIT;
	struct stat sb;
	int fd;

	if (ids_file(&path, repo, c->kind) < 0 || (fd = open(path.ptr, O_RDONLY | O_CLOEXEC)) < 0) {
		docket_buf_free(&path);
		docket_error_clear();
		return;
	}
	docket_buf_free(&path);
	if (fstat(fd, &sb) == 0 && sb.st_size > 0) {
		void *m = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			c->map = m;
			c->maplen = (size_t)sb.st_size;
			c->mapped = 1;
			if (parse_map(c) < 0)
				drop_base(c);
		}
	}
	close(fd);
}

/*
 * Make PATHS (N, sorted, owned: freed here) the records of TREE, in memory, and write them
 * to the index file (a read-only repository keeps them in memory only).
 */
static int set_base(ids_cache *c, docket_repo *repo, const git_oid *tree, char **paths, size_t n)
{
	docket_buf file = DOCKET_BUF_INIT, path = DOCKET_BUF_INIT, tmp = DOCKET_BUF_INIT;
	char hex[41];
	size_t bytes = 0, i, off = 0;
	int error = DOCKET_ERROR;
	FILE *f = NULL;

	for (i = 0; i < n; i++)
		bytes += strlen(paths[i]) + 1;
	if (bytes > UINT32_MAX) {
		error = docket_error_set(DOCKET_ERROR, "the id index would exceed 4 GiB");
		goto cleanup;
	}
	git_oid_tostr(hex, sizeof(hex), tree);
	if (docket_buf_printf(&file, "%s%s %zu %zu\n", headers[c->kind], hex, n, bytes) < 0 ||
	    docket_buf_grow(&file, bytes + 4 * n) < 0)
		goto cleanup;
	for (i = 0; i < n; i++)
		if (docket_buf_put(&file, paths[i], strlen(paths[i]) + 1) < 0)
			goto cleanup;
	for (i = 0; i < n; i++) {
		unsigned char o[4] = { (unsigned char)off, (unsigned char)(off >> 8), (unsigned char)(off >> 16),
		                       (unsigned char)(off >> 24) };
		if (docket_buf_put(&file, (const char *)o, 4) < 0)
			goto cleanup;
		off += strlen(paths[i]) + 1;
	}
	drop_view(c);
	drop_base(c);
	c->maplen = file.len;
	c->map = docket_buf_detach(&file, NULL);
	if (parse_map(c) < 0) {
		drop_base(c);
		error = docket_error_set(DOCKET_ERROR, "the id index built is not readable (a bug)");
		goto cleanup;
	}
	error = 0;
	/* the file: a cache, so a repository docket cannot write to works without it */
	/* a unique temporary name: two threads of one process (validate --all's workers) may
	 * write the file at once */
	if (ids_file(&path, repo, c->kind) < 0 || docket_buf_printf(&tmp, "%s.XXXXXX", path.ptr) < 0)
		goto cleanup;
	{
		docket_buf dir = DOCKET_BUF_INIT;
		if (docket_buf_printf(&dir, "%sdocket", docket_repo_gitdir(repo)) == 0)
			(void)mkdir(dir.ptr, 0777);
		docket_buf_free(&dir);
	}
	{
		int fd = mkstemp(tmp.ptr);
		if (fd < 0)
			goto cleanup;
		(void)fchmod(fd, 0644);
		if (!(f = fdopen(fd, "wb"))) {
			close(fd);
			unlink(tmp.ptr);
			goto cleanup;
		}
	}
	if (fwrite(c->map, 1, c->maplen, f) != c->maplen || fflush(f) != 0 || fsync(fileno(f)) < 0) {
		fclose(f);
		unlink(tmp.ptr);
		goto cleanup;
	}
	fclose(f);
	if (rename(tmp.ptr, path.ptr) < 0)
		unlink(tmp.ptr);
cleanup:
	for (i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	docket_buf_free(&file);
	docket_buf_free(&path);
	docket_buf_free(&tmp);
	return error;
}

/* --- building and diffing trees ----------------------------------------------------------- */

typedef struct {
	char **v;
	size_t n, cap;
} strvec;

static int strvec_take(strvec *s, char *p)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		char **g = realloc(s->v, cap * sizeof(*g));
		if (!g) {
			free(p);
			return docket_error_set(DOCKET_ERROR, "out of memory");
		}
		s->v = g;
		s->cap = cap;
	}
	s->v[s->n++] = p;
	return 0;
}

static int strvec_push(strvec *s, const char *a, const char *b)
{
	docket_buf p = DOCKET_BUF_INIT;
	if (docket_buf_printf(&p, "%s%s", a, b) < 0)
		return DOCKET_ERROR;
	return strvec_take(s, docket_buf_detach(&p, NULL));
}

static void strvec_free(strvec *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

static int is_doc_name(const char *name)
{
	size_t n = strlen(name);
	return n >= 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* ID.annexes: a document's annexes (docs/lifecycle.md), files beside it and never documents,
 * whatever their names - an annex "x.xml" is not the document x */
static int is_annex_folder(const git_tree_entry *e)
{
	const char *name = git_tree_entry_name(e);
	size_t n = strlen(name);
	return git_tree_entry_type(e) == GIT_OBJECT_TREE && n > 8 && strcmp(name + n - 8, ".annexes") == 0;
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The records of the document PATH (its bytes DATA, LEN) for index KIND: the path itself for
 * the ids; for the references, "TARGET\1PATH" for each value of an attribute named ref or plan
 * (found in the bytes: a superset of what a parser reads; a value holding '&' or '<' - an
 * entity, a character reference - recorded under "*").
 */
static int records_of(strvec *out, int kind, const char *path, const char *data, size_t len)
{
	size_t i;

	if (kind == IDX_IDS)
		return strvec_push(out, "", path);
	for (i = 1; i + 4 < len; i++) {
		size_t nl, j, start;
		char q;
		if (!is_space(data[i - 1]))
			continue;
		if (memcmp(data + i, "ref", 3) == 0)
			nl = 3;
		else if (i + 5 < len && memcmp(data + i, "plan", 4) == 0)
			nl = 4;
		else
			continue;
		for (j = i + nl; j < len && is_space(data[j]); j++)
			;
		if (j >= len || data[j] != '=')
			continue;
		for (j++; j < len && is_space(data[j]); j++)
			;
		if (j >= len || (data[j] != '"' && data[j] != '\''))
			continue;
		q = data[j];
		start = ++j;
		while (j < len && data[j] != q)
			j++;
		if (j >= len)
			break;
		{
			int opaque = 0, bad = 0;
			docket_buf rec = DOCKET_BUF_INIT;
			for (size_t k = start; k < j; k++) {
				unsigned char ch = (unsigned char)data[k];
				opaque |= ch == '&' || ch == '<';
				bad |= ch < 0x20;
			}
			if (!bad && j > start) {
				if (opaque ? docket_buf_printf(&rec, "*\1%s", path) < 0 :
				             docket_buf_printf(&rec, "%.*s\1%s", (int)(j - start), data + start, path) < 0)
					return DOCKET_ERROR;
				if (strvec_take(out, docket_buf_detach(&rec, NULL)) < 0)
					return DOCKET_ERROR;
			}
		}
		i = j;
	}
	return 0;
}

/* The records of the blob ID at PATH. */
static int records_of_blob(strvec *out, ids_cache *c, const char *path, const git_oid *id)
{
	git_blob *blob = NULL;
	int error;

	if (c->kind == IDX_IDS)
		return strvec_push(out, "", path);
	if (git_blob_lookup(&blob, c->git, id) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read '%s'", path);
	error = records_of(out, c->kind, path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return error;
}

/* A document file found under documents/: its path and its blob. */
typedef struct {
	char *path;
	git_oid id;
} docfile;

typedef struct {
	ids_cache *c;
	strvec *out;   /* the ids: the paths themselves */
	docfile *docs; /* the references: the files to read */
	size_t ndocs, cap;
} build_state;

static int all_cb(const char *root, const git_tree_entry *e, void *payload)
{
	build_state *b = payload;
	docket_buf path = DOCKET_BUF_INIT;

	if (is_annex_folder(e))
		return 1; /* skip the subtree */
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || !is_doc_name(git_tree_entry_name(e)))
		return 0;
	if (docket_buf_printf(&path, "documents/%s%s", root, git_tree_entry_name(e)) < 0)
		return -1;
	if (b->c->kind == IDX_IDS)
		return strvec_take(b->out, docket_buf_detach(&path, NULL)) < 0 ? -1 : 0;
	if (b->ndocs == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 1024;
		docfile *g = realloc(b->docs, cap * sizeof(*g));
		if (!g) {
			docket_buf_free(&path);
			docket_error_set(DOCKET_ERROR, "out of memory");
			return -1;
		}
		b->docs = g;
		b->cap = cap;
	}
	b->docs[b->ndocs].path = docket_buf_detach(&path, NULL);
	b->docs[b->ndocs].id = *git_tree_entry_id(e);
	b->ndocs++;
	return 0;
}

/*
 * Reading the documents for the reference index. A document's records depend on its bytes
 * only and are sorted afterwards, so the files are read by several threads at once, each
 * with its own repository handle (a git_repository must not be shared between threads) and
 * its own records, in chunks between two progress reports.
 */
#define CHUNK 1024

typedef struct {
	git_repository *git;
	git_odb *odb;
	const docfile *docs;
	size_t from, to;
	strvec out;
	int error;
	char message[512];
} reader;

static void *read_run(void *arg)
{
	reader *r = arg;

	for (size_t i = r->from; i < r->to && !r->error; i++) {
		git_odb_object *obj = NULL;
		if (git_odb_read(&obj, r->odb, &r->docs[i].id) < 0 || git_odb_object_type(obj) != GIT_OBJECT_BLOB) {
			docket_error_git(DOCKET_ERROR, "cannot read '%s'", r->docs[i].path);
			r->error = DOCKET_ERROR;
		} else if (records_of(&r->out, IDX_REFS, r->docs[i].path, git_odb_object_data(obj),
		                      git_odb_object_size(obj)) < 0) {
			r->error = DOCKET_ERROR;
		}
		if (r->error)
			snprintf(r->message, sizeof(r->message), "%s", docket_error_last());
		git_odb_object_free(obj);
	}
	return NULL;
}

static int read_docs(strvec *out, ids_cache *c, docket_repo *repo, const docfile *docs, size_t n)
{
	const docket_lookup_options *opts = c->opts;
	reader r[64];
	pthread_t tid[64];
	unsigned int jobs = docket_jobs(opts ? opts->jobs : 0), t, started;
	int error = 0;

	/* below a chunk, threads cost more than they save */
	if (n < CHUNK)
		jobs = 1;
	memset(r, 0, sizeof(r));
	for (t = 0; t < jobs; t++) {
		r[t].docs = docs;
		if (t == 0)
			r[t].git = c->git;
		else if (git_repository_open_bare(&r[t].git, docket_repo_gitdir(repo)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot open the repository for indexing");
			goto cleanup;
		}
		if (git_repository_odb(&r[t].odb, r[t].git) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot open the object database for indexing");
			goto cleanup;
		}
	}
	if (opts && opts->progress_cb && opts->progress_cb("indexing references", 0, n, opts->payload)) {
		error = docket_error_set(DOCKET_ERROR, "stopped");
		goto cleanup;
	}
	for (size_t lo = 0; lo < n;) {
		size_t hi = n - lo > CHUNK ? lo + CHUNK : n, per = (hi - lo + jobs - 1) / jobs;
		for (t = 0; t < jobs; t++) {
			r[t].from = lo + t * per < hi ? lo + t * per : hi;
			r[t].to = r[t].from + per < hi ? r[t].from + per : hi;
		}
		started = 0;
		for (t = 1; t < jobs; t++) {
			if (r[t].from == r[t].to)
				continue;
			if (pthread_create(&tid[t], NULL, read_run, &r[t]) != 0) {
				r[t].error = DOCKET_ERROR;
				snprintf(r[t].message, sizeof(r[t].message), "cannot start a thread");
				break;
			}
			started = t;
		}
		read_run(&r[0]);
		for (t = 1; t <= started; t++)
			if (r[t].from != r[t].to)
				pthread_join(tid[t], NULL);
		for (t = 0; t < jobs; t++)
			if (r[t].error) {
				error = docket_error_set(DOCKET_ERROR, "%s", r[t].message);
				goto cleanup;
			}
		lo = hi;
		if (opts && opts->progress_cb && opts->progress_cb("indexing references", lo, n, opts->payload)) {
			error = docket_error_set(DOCKET_ERROR, "stopped");
			goto cleanup;
		}
	}
	for (t = 0; t < jobs && !error; t++) {
		for (size_t i = 0; i < r[t].out.n && !error; i++) {
			error = strvec_take(out, r[t].out.v[i]);
			r[t].out.v[i] = NULL;
		}
	}
cleanup:
	for (t = 0; t < jobs; t++) {
		strvec_free(&r[t].out);
		git_odb_free(r[t].odb);
		if (t > 0)
			git_repository_free(r[t].git);
	}
	return error;
}

/* The records of every document file of the documents/ tree TREE (zero: none). */
static int build_full(ids_cache *c, docket_repo *repo, const git_oid *tree)
{
	git_tree *t = NULL;
	strvec all = { NULL, 0, 0 };
	build_state b = { c, &all, NULL, 0, 0 };
	int error = 0;

	c->git = docket_repo_git(repo);
	if (!git_oid_is_zero(tree)) {
		if (git_tree_lookup(&t, c->git, tree) < 0)
			return docket_error_git(DOCKET_ERROR, "cannot read the documents/ tree");
		if (git_tree_walk(t, GIT_TREEWALK_PRE, all_cb, &b) < 0)
			error = docket_error_code() < 0 ? docket_error_code() :
			        docket_error_git(DOCKET_ERROR, "cannot read the documents/ tree");
		git_tree_free(t);
	}
	if (!error && b.ndocs)
		error = read_docs(&all, c, repo, b.docs, b.ndocs);
	for (size_t i = 0; i < b.ndocs; i++)
		free(b.docs[i].path);
	free(b.docs);
	if (error < 0) {
		strvec_free(&all);
		return error;
	}
	sort_recs(c->kind, all.v, &all.n);
	return set_base(c, repo, tree, all.v, all.n);
}

static int add_change(ids_cache *c, const char *prefix, const char *name, const git_oid *blob)
{
	docket_buf p = DOCKET_BUF_INIT;
	if (!is_doc_name(name))
		return 0;
	if (c->nch == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		change *g = realloc(c->ch, cap * sizeof(*g));
		if (!g)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		c->ch = g;
		c->cap = cap;
	}
	if (docket_buf_printf(&p, "%s%s", prefix, name) < 0)
		return DOCKET_ERROR;
	c->ch[c->nch].path = docket_buf_detach(&p, NULL);
	c->ch[c->nch].present = blob != NULL;
	c->nch++;
	if (blob) {
		strvec add = { c->added, c->nadded, c->nadded };
		int error = records_of_blob(&add, c, c->ch[c->nch - 1].path, blob);
		c->added = add.v;
		c->nadded = add.n;
		return error;
	}
	return 0;
}

static int diff_trees(ids_cache *c, git_tree *a, git_tree *b, const char *prefix);

/* Recurse into the subtrees A and B (ids, either may be NULL) of PREFIX/NAME. */
static int diff_sub(ids_cache *c, const git_oid *a, const git_oid *b, const char *prefix, const char *name)
{
	git_tree *ta = NULL, *tb = NULL;
	docket_buf sub = DOCKET_BUF_INIT;
	int error = 0;

	if ((a && git_tree_lookup(&ta, c->git, a) < 0) || (b && git_tree_lookup(&tb, c->git, b) < 0))
		error = docket_error_git(DOCKET_ERROR, "cannot read a tree under documents/");
	else if (docket_buf_printf(&sub, "%s%s/", prefix, name) < 0)
		error = DOCKET_ERROR;
	else
		error = diff_trees(c, ta, tb, sub.ptr);
	docket_buf_free(&sub);
	git_tree_free(ta);
	git_tree_free(tb);
	return error;
}

/* The document files that differ between the trees A (old) and B (new): only subtrees
 * whose ids differ are read. */
static int diff_trees(ids_cache *c, git_tree *a, git_tree *b, const char *prefix)
{
	size_t i, n;
	int error = 0;

	n = b ? git_tree_entrycount(b) : 0;
	for (i = 0; i < n && !error; i++) {
		const git_tree_entry *e = git_tree_entry_byindex(b, i);
		const char *name = git_tree_entry_name(e);
		const git_tree_entry *o = a ? git_tree_entry_byname(a, name) : NULL;
		int et = git_tree_entry_type(e) == GIT_OBJECT_TREE, ot = o && git_tree_entry_type(o) == GIT_OBJECT_TREE;
		int eb = git_tree_entry_type(e) == GIT_OBJECT_BLOB, ob = o && git_tree_entry_type(o) == GIT_OBJECT_BLOB;

		if (o && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(o)) &&
		    git_tree_entry_filemode(e) == git_tree_entry_filemode(o))
			continue;
		if (is_annex_folder(e))
			continue;
		if (et || ot)
			error = diff_sub(c, ot ? git_tree_entry_id(o) : NULL, et ? git_tree_entry_id(e) : NULL, prefix, name);
		if (!error && eb)
			error = add_change(c, prefix, name, git_tree_entry_id(e));
		else if (!error && ob)
			error = add_change(c, prefix, name, NULL);
	}
	n = a ? git_tree_entrycount(a) : 0;
	for (i = 0; i < n && !error; i++) {
		const git_tree_entry *o = git_tree_entry_byindex(a, i);
		const char *name = git_tree_entry_name(o);
		if (b && git_tree_entry_byname(b, name))
			continue; /* handled above */
		if (is_annex_folder(o))
			continue;
		if (git_tree_entry_type(o) == GIT_OBJECT_TREE)
			error = diff_sub(c, git_tree_entry_id(o), NULL, prefix, name);
		else if (git_tree_entry_type(o) == GIT_OBJECT_BLOB)
			error = add_change(c, prefix, name, NULL);
	}
	return error;
}

/* C's changes: from the records' tree to TREE. */
static int compute_view(ids_cache *c, docket_repo *repo, const git_oid *tree)
{
	git_tree *a = NULL, *b = NULL;
	int error = 0;

	drop_view(c);
	c->git = docket_repo_git(repo);
	if ((!git_oid_is_zero(&c->base) && git_tree_lookup(&a, c->git, &c->base) < 0) ||
	    (!git_oid_is_zero(tree) && git_tree_lookup(&b, c->git, tree) < 0)) {
		/* the indexed tree is gone (a repository rewritten and pruned): start again */
		git_tree_free(a);
		docket_error_clear();
		return build_full(c, repo, tree);
	}
	error = diff_trees(c, a, b, "documents/");
	git_tree_free(a);
	git_tree_free(b);
	if (error < 0) {
		drop_view(c);
		return error;
	}
	if (c->nch)
		qsort(c->ch, c->nch, sizeof(change), change_cmp);
	sort_recs(c->kind, c->added, &c->nadded);
	c->view = *tree;
	c->have_view = 1;
	return 0;
}

/* Rewrite the records for the viewed tree: the records merged with the changes. */
static int refresh(ids_cache *c, docket_repo *repo)
{
	strvec all = { NULL, 0, 0 };
	size_t i = 0, j = 0;
	git_oid tree = c->view;
	int error = 0;

	while ((i < c->count || j < c->nadded) && !error) {
		int cmp = i == c->count ? 1 : j == c->nadded ? -1 : rec_cmp(c->kind, record(c, i), c->added[j]);
		if (cmp < 0) {
			const char *r = record(c, i++);
			if (!changed(c, rec_path(c->kind, r)))
				error = strvec_push(&all, "", r);
		} else {
			error = strvec_push(&all, "", c->added[j++]);
			if (cmp == 0)
				i++;
		}
	}
	if (error < 0) {
		strvec_free(&all);
		return error;
	}
	return set_base(c, repo, &tree, all.v, all.n);
}

/* --- the lookup --------------------------------------------------------------------------- */

static int documents_tree(git_oid *out, int *is_tip, docket_repo *repo, const char *rev)
{
	git_repository *git = docket_repo_git(repo);
	char hex[41], tip[41];
	git_oid id;
	git_commit *commit = NULL;
	git_tree *root = NULL;
	const git_tree_entry *e;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = docket_repo_resolve(hex, repo, rev)) < 0)
		return error;
	*is_tip = !rev || (docket_repo_resolve(tip, repo, NULL) == 0 && strcmp(tip, hex) == 0);
	docket_error_clear();
	if (git_oid_fromstr(&id, hex) < 0 || git_commit_lookup(&commit, git, &id) < 0 ||
	    git_commit_tree(&root, commit) < 0) {
		git_commit_free(commit);
		return docket_error_git(DOCKET_ERROR, "cannot read the commit '%s'", hex);
	}
	if ((e = git_tree_entry_byname(root, "documents")) != NULL && git_tree_entry_type(e) == GIT_OBJECT_TREE)
		*out = *git_tree_entry_id(e);
	git_tree_free(root);
	git_commit_free(commit);
	return 0;
}

/* The index KIND of REPO brought to REV's documents/ tree; OPTS while it builds (may be NULL). */
static int ids_view(ids_cache **out, docket_repo *repo, const char *rev, int kind, const docket_lookup_options *opts)
{
	void **slot = docket_repo_ids_slot(repo);
	ids_caches *cs = *slot;
	ids_cache *c;
	git_oid tree;
	int is_tip = 0, error;

	if ((error = documents_tree(&tree, &is_tip, repo, rev)) < 0)
		return error;
	if (!cs) {
		if (!(cs = calloc(1, sizeof(*cs))))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		cs->idx[IDX_IDS].kind = IDX_IDS;
		cs->idx[IDX_REFS].kind = IDX_REFS;
		*slot = cs;
	}
	c = &cs->idx[kind];
	if (!c->loaded)
		load_file(c, repo);
	if (!c->loaded) {
		c->opts = opts;
		error = build_full(c, repo, &tree);
		c->opts = NULL;
		if (error < 0)
			return error;
	} else if (git_oid_equal(&c->base, &tree)) {
		drop_view(c);
	} else if (!c->have_view || !git_oid_equal(&c->view, &tree)) {
		if ((error = compute_view(c, repo, &tree)) < 0)
			return error;
		if (c->have_view && c->nch > REFRESH && is_tip && (error = refresh(c, repo)) < 0)
			return error;
	}
	*out = c;
	return 0;
}

static int matches(int kind, const char *rec, const char *key, size_t keylen, int prefix)
{
	size_t l;
	const char *k = rec_key(kind, rec, &l);
	return prefix ? l >= keylen && memcmp(k, key, keylen) == 0 : key_cmp(k, l, key, keylen) == 0;
}

/* Calls FN for the records of C whose key is KEY (or starts with it), in order. */
static int each(ids_cache *c, const char *key, int prefix, docket_ids_fn fn, void *payload)
{
	size_t keylen = strlen(key), i, j = 0, lo, hi;

	for (lo = 0, hi = c->count; lo < hi;) {
		size_t mid = lo + (hi - lo) / 2, l;
		const char *k = rec_key(c->kind, record(c, mid), &l);
		if (key_cmp(k, l, key, keylen) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	i = lo;
	if (c->have_view) {
		for (lo = 0, hi = c->nadded; lo < hi;) {
			size_t mid = lo + (hi - lo) / 2, l;
			const char *k = rec_key(c->kind, c->added[mid], &l);
			if (key_cmp(k, l, key, keylen) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		j = lo;
	}
	for (;;) {
		int ri = i < c->count && matches(c->kind, record(c, i), key, keylen, prefix);
		int rj = c->have_view && j < c->nadded && matches(c->kind, c->added[j], key, keylen, prefix);
		const char *rec;
		int cmp, r;
		if (!ri && !rj)
			break;
		cmp = !rj ? -1 : !ri ? 1 : rec_cmp(c->kind, record(c, i), c->added[j]);
		if (cmp < 0) {
			rec = record(c, i++);
			if (c->have_view && changed(c, rec_path(c->kind, rec)))
				continue; /* that document changed: its records now are in ADDED */
		} else {
			rec = c->added[j++];
			if (cmp == 0)
				i++;
		}
		{
			size_t l;
			const char *k = rec_key(c->kind, rec, &l);
			if ((r = fn(k, l, rec_path(c->kind, rec), payload)) != 0)
				return r;
		}
	}
	return 0;
}

int docket_ids_each(docket_repo *repo, const char *rev, const char *key, int prefix, docket_ids_fn fn,
                    void *payload)
{
	ids_cache *c = NULL;
	int error;

	if ((error = ids_view(&c, repo, rev, IDX_IDS, NULL)) < 0)
		return error;
	return each(c, key, prefix, fn, payload);
}

int docket_refs_each(docket_repo *repo, const char *rev, const char *target, docket_ids_fn fn, void *payload)
{
	ids_cache *c = NULL;
	int error;

	if ((error = ids_view(&c, repo, rev, IDX_REFS, NULL)) < 0)
		return error;
	if ((error = each(c, target, 0, fn, payload)) != 0)
		return error;
	return strcmp(target, "*") ? each(c, "*", 0, fn, payload) : 0;
}

int docket_lookup_update(docket_repo *repo, const docket_lookup_options *opts)
{
	ids_cache *c = NULL;
	int error;

	if (opts && (error = docket_options_check(opts->version, DOCKET_LOOKUP_OPTIONS_VERSION,
	                                          "docket_lookup_options", "DOCKET_LOOKUP_OPTIONS_INIT")) < 0)
		return error;
	if ((error = ids_view(&c, repo, NULL, IDX_IDS, opts)) < 0)
		return error;
	return ids_view(&c, repo, NULL, IDX_REFS, opts);
}
