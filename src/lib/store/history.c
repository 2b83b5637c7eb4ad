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
 */
#include <errno.h>
#include <fcntl.h>
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
 * The paths under PREFIX that differ between trees A and B (either may be NULL), appended to
 * OUT as "path\0". Only subtrees whose ids differ are read, so a commit that changed one file
 * costs the trees on that file's path — not a full diff.
 */
static int changed_paths(docket_buf *out, git_repository *git, git_tree *a, git_tree *b, const char *prefix)
{
	size_t i, n;
	int error = 0;

	for (int pass = 0; pass < 2 && !error; pass++) {
		git_tree *from = pass ? a : b, *other = pass ? b : a;
		n = from ? git_tree_entrycount(from) : 0;
		for (i = 0; i < n && !error; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(from, i);
			const char *name = git_tree_entry_name(e);
			const git_tree_entry *o = other ? git_tree_entry_byname(other, name) : NULL;
			docket_buf path = DOCKET_BUF_INIT;

			if (pass && o)
				continue; /* present in both: handled in the first pass */
			if (o && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(o)) &&
			    git_tree_entry_filemode(e) == git_tree_entry_filemode(o))
				continue;
			if (docket_buf_printf(&path, "%s%s", prefix, name) < 0)
				return DOCKET_ERROR;
			if (git_tree_entry_type(e) == GIT_OBJECT_TREE ||
			    (o && git_tree_entry_type(o) == GIT_OBJECT_TREE)) {
				git_tree *se = NULL, *so = NULL;
				docket_buf sub = DOCKET_BUF_INIT;
				if (git_tree_entry_type(e) == GIT_OBJECT_TREE && git_tree_lookup(&se, git, git_tree_entry_id(e)) < 0)
					error = DOCKET_ERROR;
				if (!error && o && git_tree_entry_type(o) == GIT_OBJECT_TREE &&
				    git_tree_lookup(&so, git, git_tree_entry_id(o)) < 0)
					error = DOCKET_ERROR;
				if (!error && docket_buf_printf(&sub, "%s/", path.ptr) == 0)
					error = pass ? changed_paths(out, git, so, se, sub.ptr) : changed_paths(out, git, so, se, sub.ptr);
				/* a file replaced by a folder (or back) is a change of that path too */
				if (!error && (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
				               (o && git_tree_entry_type(o) != GIT_OBJECT_TREE)))
					error = docket_buf_put(out, path.ptr, path.len + 1);
				docket_buf_free(&sub);
				git_tree_free(se);
				git_tree_free(so);
			} else {
				error = docket_buf_put(out, path.ptr, path.len + 1);
			}
			docket_buf_free(&path);
		}
	}
	return error;
}

/*
 * Append COMMIT's record to OUT: its changes under documents/ and .docket/, and the names of
 * the other top-level entries it added, changed or removed (not what is inside them: docket
 * keeps nothing there, but the audit must see a top-level ".." or ".git").
 */
static int describe(docket_buf *out, git_repository *git, const git_oid *id)
{
	static const char *const roots[] = { "documents", ".docket" };
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	char hex[41];
	int error = DOCKET_ERROR;

	if (git_commit_lookup(&c, git, id) < 0 || git_commit_tree(&tree, c) < 0)
		goto cleanup;
	if (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&ptree, parent) < 0))
		goto cleanup;
	git_oid_tostr(hex, sizeof(hex), id);
	if (docket_buf_put(out, hex, 41) < 0)
		goto cleanup;
	for (int pass = 0; pass < 2; pass++) {
		git_tree *from = pass ? ptree : tree, *other = pass ? tree : ptree;
		size_t n = from ? git_tree_entrycount(from) : 0;
		for (size_t i = 0; i < n; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(from, i);
			const char *name = git_tree_entry_name(e);
			const git_tree_entry *o = other ? git_tree_entry_byname(other, name) : NULL;
			if (strcmp(name, "documents") == 0 || strcmp(name, ".docket") == 0 || (pass && o) ||
			    (o && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(o)) &&
			     git_tree_entry_filemode(e) == git_tree_entry_filemode(o)))
				continue;
			if (docket_buf_put(out, name, strlen(name) + 1) < 0)
				goto cleanup;
		}
	}
	for (size_t r = 0; r < 2; r++) {
		const git_tree_entry *a = ptree ? git_tree_entry_byname(ptree, roots[r]) : NULL;
		const git_tree_entry *b = git_tree_entry_byname(tree, roots[r]);
		git_tree *ta = NULL, *tb = NULL;
		char prefix[32];
		int e = 0;

		if ((!a && !b) || (a && b && git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b))))
			continue;
		if (a && git_tree_entry_type(a) == GIT_OBJECT_TREE && git_tree_lookup(&ta, git, git_tree_entry_id(a)) < 0)
			e = -1;
		if (!e && b && git_tree_entry_type(b) == GIT_OBJECT_TREE && git_tree_lookup(&tb, git, git_tree_entry_id(b)) < 0)
			e = -1;
		snprintf(prefix, sizeof(prefix), "%s/", roots[r]);
		if (!e)
			e = changed_paths(out, git, ta, tb, prefix);
		git_tree_free(ta);
		git_tree_free(tb);
		if (e < 0)
			goto cleanup;
	}
	if (docket_buf_put(out, "", 1) < 0)
		goto cleanup;
	error = 0;
cleanup:
	if (error)
		docket_error_git(DOCKET_ERROR, "cannot read the history");
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

/*
 * Describing the new commits. Each commit's record depends only on the commit and its first
 * parent, so runs of consecutive commits are described by several threads at once, each
 * with its own repository handle (a git_repository must not be shared between threads; the
 * object database underneath is safe), into its own buffer; the buffers are written in
 * history order, so the file is the same byte for byte whatever the number of threads.
 * Consecutive commits share most of their trees, which each thread's handle keeps in its
 * object cache: a run costs about one read of each tree version, not two.
 */
#define RUN 2048 /* commits described between two writes and two progress reports */

typedef struct {
	git_repository *git;
	const git_oid *chain; /* newest first */
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
		if (describe(&d->out, d->git, &d->chain[k]) < 0) {
			d->error = DOCKET_ERROR;
			snprintf(d->message, sizeof(d->message), "%s", docket_error_last());
		}
	}
	return NULL;
}

static int describe_all(FILE *out, docket_repo *repo, const git_oid *chain, size_t added,
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
		if (t == 0)
			d[t].git = docket_repo_git(repo);
		else if (git_repository_open_bare(&d[t].git, docket_repo_gitdir(repo)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot open the repository for indexing");
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
	git_oid tip, cached, *chain = NULL;
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
	/* the first-parent chain from the tip back to the indexed tip: 20 bytes a commit */
	{
		git_oid cur = tip;
		size_t cap = 0;
		for (;;) {
			git_commit *c = NULL;
			if (cachedhex[0] && !rebuild && git_oid_equal(&cur, &cached))
				break;
			if (added == cap) {
				git_oid *grown = realloc(chain, (cap = cap ? cap * 2 : 1024) * sizeof(*chain));
				if (!grown) {
					docket_error_set(DOCKET_ERROR, "out of memory");
					goto cleanup;
				}
				chain = grown;
			}
			chain[added++] = cur;
			if (git_commit_lookup(&c, git, &cur) < 0) {
				docket_error_git(DOCKET_ERROR, "cannot walk the history");
				goto cleanup;
			}
			if (git_commit_parentcount(c) == 0) {
				git_commit_free(c);
				break;
			}
			cur = *git_commit_parent_id(c, 0);
			git_commit_free(c);
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
	if ((error = describe_all(out, repo, chain, added, opts)) < 0)
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
