/*
 * history: the index of which commit changed which document (see include/docket/history.h).
 *
 * File: GITDIR/docket/history. First line "docket-history 1 <tip> <count>", then one line per
 * commit: "<commit> <path>..." with the paths under documents/ and .docket/ it changed
 * against its first parent. An update diffs only the commits after the indexed tip and
 * rewrites the file through a temporary file and a rename, so a crash leaves the old index.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "docket/history.h"

git_repository *docket_repo_git(docket_repo *repo);

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
	if (fgets(line, sizeof(line), f) && strncmp(line, "docket-history 1 ", 17) == 0) {
		if (sscanf(line + 17, "%40s %zu", tip, count) != 2 || strlen(tip) != 40) {
			tip[0] = '\0';
			*count = 0;
		}
	}
	fclose(f);
}

typedef struct {
	docket_buf *out;
} diff_state;

static int diff_file(const git_diff_delta *delta, float progress, void *payload)
{
	diff_state *st = payload;
	const char *p = delta->new_file.path ? delta->new_file.path : delta->old_file.path;
	const char *o = delta->old_file.path;

	if (p && (strncmp(p, "documents/", 10) == 0 || strncmp(p, ".docket/", 8) == 0))
		docket_buf_printf(st->out, " %s", p);
	if (o && p && strcmp(o, p) != 0 &&
	    (strncmp(o, "documents/", 10) == 0 || strncmp(o, ".docket/", 8) == 0))
		docket_buf_printf(st->out, " %s", o);
	return 0;
}

/* Append "<commit> <paths>\n" for COMMIT to OUT. */
static int describe(docket_buf *out, docket_repo *repo, const git_oid *id)
{
	git_repository *git = docket_repo_git(repo);
	git_commit *c = NULL, *parent = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	git_diff *diff = NULL;
	git_diff_options opts;
	diff_state st = { out };
	char hex[41];
	int error = DOCKET_ERROR;

	git_diff_options_init(&opts, GIT_DIFF_OPTIONS_VERSION);
	if (git_commit_lookup(&c, git, id) < 0 || git_commit_tree(&tree, c) < 0)
		goto cleanup;
	if (git_commit_parentcount(c) > 0 &&
	    (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&ptree, parent) < 0))
		goto cleanup;
	if (git_diff_tree_to_tree(&diff, git, ptree, tree, &opts) < 0)
		goto cleanup;
	git_oid_tostr(hex, sizeof(hex), id);
	docket_buf_puts(out, hex);
	if (git_diff_foreach(diff, diff_file, NULL, NULL, NULL, &st) < 0)
		goto cleanup;
	docket_buf_puts(out, "\n");
	error = 0;
cleanup:
	if (error)
		docket_error_git(DOCKET_ERROR, "cannot read the history");
	git_diff_free(diff);
	git_tree_free(ptree);
	git_tree_free(tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

int docket_history_update(docket_repo *repo, int *rewritten, char old_tip[41])
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
	if ((error = docket_repo_resolve(tiphex, repo, NULL)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	git_oid_fromstr(&tip, tiphex);
	if (index_path(&path, repo, "history") < 0 || index_path(&dir, repo, "") < 0)
		goto cleanup;
	read_header(path.ptr, cachedhex, &count);
	if (old_tip)
		memcpy(old_tip, cachedhex, 41);
	if (cachedhex[0]) {
		git_oid_fromstr(&cached, cachedhex);
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
	fprintf(out, "docket-history 1 %s %zu\n", tiphex, count + added);
	if (!rebuild && cachedhex[0] && (in = fopen(path.ptr, "r")) != NULL) {
		char buf[65536];
		size_t n;
		int c;
		while ((c = fgetc(in)) != EOF && c != '\n')
			; /* skip the old header */
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
	}
	for (size_t k = added; k-- > 0;) {
		lines.len = 0;
		if (describe(&lines, repo, &chain[k]) < 0)
			goto cleanup;
		fwrite(lines.ptr, 1, lines.len, out);
	}
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

int docket_history_scan(docket_repo *repo, const char *start, docket_history_fn fn, void *payload)
{
	docket_buf path = DOCKET_BUF_INIT;
	FILE *f = NULL;
	char *line = NULL;
	size_t cap = 0;
	const char **paths = NULL;
	size_t pcap = 0;
	ssize_t n;
	int error = 0, started = start == NULL, first = 1;

	if (index_path(&path, repo, "history") < 0)
		return DOCKET_ERROR;
	if (!(f = fopen(path.ptr, "r"))) {
		error = docket_error_set(DOCKET_ENOTFOUND, "no history index at '%s'", path.ptr);
		goto cleanup;
	}
	while ((n = getline(&line, &cap, f)) > 0) {
		char *p, *commit;
		size_t np = 0;

		if (first) {
			first = 0;
			continue;
		}
		if (line[n - 1] == '\n')
			line[n - 1] = '\0';
		commit = strtok(line, " ");
		if (!commit)
			continue;
		if (!started) {
			started = strcmp(commit, start) == 0;
			continue;
		}
		while ((p = strtok(NULL, " ")) != NULL) {
			if (np == pcap) {
				const char **q = realloc(paths, (pcap = pcap ? pcap * 2 : 8) * sizeof(*q));
				if (!q) {
					error = docket_error_set(DOCKET_ERROR, "out of memory");
					goto cleanup;
				}
				paths = q;
			}
			paths[np++] = p;
		}
		if ((error = fn(commit, paths, np, payload)) != 0)
			break;
	}
cleanup:
	free(paths);
	free(line);
	if (f)
		fclose(f);
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
	if ((error = docket_history_update(repo, NULL, NULL)) < 0)
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
