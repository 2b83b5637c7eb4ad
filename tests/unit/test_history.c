/*
 * Unit tests of the history index (store/history.c): the index built by one thread equals,
 * byte for byte, the one built by two or three (each describing runs of consecutive commits
 * with its own repository handle), and every record equals what libgit2's own tree diff
 * (git_diff_tree_to_tree against the first parent, no rename detection) says the commit
 * changed - on a history of a few hundred commits with adds, edits, moves, deletes, a file
 * replaced by a folder and back (with names git sorts between the two), mode changes,
 * configuration changes, odd top-level entries and a merge, made with plain git.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <git2.h>
#include "docket/docket.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/docket-unit-history-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	assert_non_null(buf = malloc((size_t)n + 1));
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* A history of plain-git commits in REPO (a docket repository's work tree). */
static void make_history(const char *repo)
{
	sh("cd %s && git config user.name T && git config user.email t@t.invalid && "
	   "git config commit.gpgsign false", repo);
	/* 300 documents over 3 years and 5 units, one commit each, so the threads have runs */
	sh("cd %s && for i in $(seq 1 300); do "
	   "  y=$((2021 + i %% 3)); u=U$((i %% 5)); mkdir -p documents/plan/$y/$u; "
	   "  echo \"<d n='$i'/>\" > documents/plan/$y/$u/kh-$y-$i.xml; "
	   "  git add -A && git commit -qm \"add $i\" || exit 1; "
	   "done", repo);
	sh("cd %s && echo edit >> documents/plan/2022/U1/kh-2022-1.xml && git commit -qam edit && "
	   "git mv documents/plan/2022/U1/kh-2022-1.xml documents/plan/2022/U2/kh-2022-1.xml && git commit -qm move && "
	   "git rm -q documents/plan/2021/U3/kh-2021-3.xml && git commit -qm delete && "
	   "git mv documents/plan/2023/U2 documents/plan/2023/U9 && git commit -qm 'move a folder' && "
	   "chmod +x documents/plan/2021/U0/kh-2021-15.xml && git commit -qam mode && "
	   /* names that git sorts between a file and a folder of the same name ("x" < "x-b" <
	    * "x.a" < "x/"), around the file replaced by a folder and back below */
	   "echo n > documents/plan/2021/U4/kh-2021-9.xml-b && echo n > documents/plan/2021/U4/kh-2021-9.xml.a && "
	   "git add -A && git commit -qm neighbours && "
	   "git rm -q documents/plan/2021/U4/kh-2021-9.xml && mkdir -p documents/plan/2021/U4/kh-2021-9.xml && "
	   "echo x > documents/plan/2021/U4/kh-2021-9.xml/inner && git add -A && git commit -qm 'file to folder' && "
	   "git rm -rq documents/plan/2021/U4/kh-2021-9.xml && echo back > documents/plan/2021/U4/kh-2021-9.xml && "
	   "git add -A && git commit -qm 'folder to file' && "
	   "echo '<c/>' > .docket/extra.xml && git add -A && git commit -qm config && "
	   "echo odd > ODD && mkdir -p '..x' && echo y > '..x/z' && git add -A && git commit -qm 'top level' && "
	   "git rm -q ODD && git commit -qm 'top level gone'", repo);
	/* a merge: a side branch from 20 commits back, merged into main */
	sh("cd %s && git checkout -q -b side main~20 && mkdir -p documents/report/2021/U1 && "
	   "echo r > documents/report/2021/U1/bc-2021-1.xml && git add -A && git commit -qm side && "
	   "echo r2 >> documents/report/2021/U1/bc-2021-1.xml && git commit -qam side2 && "
	   "git checkout -q main && git merge -q --no-edit side && "
	   "echo after >> documents/plan/2023/U0/kh-2023-5.xml && git commit -qam 'after the merge'", repo);
}

typedef struct {
	git_repository *git;
	size_t commits, paths;
} check_state;

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int file_cb(const git_diff_delta *d, float progress, void *payload)
{
	char ***v = payload;
	const char *p = d->new_file.path ? d->new_file.path : d->old_file.path;
	char *s;
	size_t n = 0;

	(void)progress;
	if (strncmp(p, "documents/", 10) == 0 || strncmp(p, ".docket/", 8) == 0) {
		s = strdup(p);
	} else {
		const char *slash = strchr(p, '/');
		s = strndup(p, slash ? (size_t)(slash - p) : strlen(p));
	}
	while (*v && (*v)[n])
		n++;
	for (size_t i = 0; i < n; i++)
		if (strcmp((*v)[i], s) == 0) {
			free(s);
			return 0; /* a top-level name once */
		}
	*v = realloc(*v, (n + 2) * sizeof(char *));
	(*v)[n] = s;
	(*v)[n + 1] = NULL;
	return 0;
}

/* Each record against git_diff_tree_to_tree of the commit and its first parent. */
static int check_cb(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	check_state *st = payload;
	git_oid oid;
	git_commit *c = NULL, *p = NULL;
	git_tree *t = NULL, *pt = NULL;
	git_diff *diff = NULL;
	char **want = NULL, **got;
	size_t nwant = 0;

	assert_int_equal(git_oid_fromstr(&oid, commit), 0);
	assert_int_equal(git_commit_lookup(&c, st->git, &oid), 0);
	assert_int_equal(git_commit_tree(&t, c), 0);
	if (git_commit_parentcount(c) > 0) {
		assert_int_equal(git_commit_parent(&p, c, 0), 0);
		assert_int_equal(git_commit_tree(&pt, p), 0);
	}
	assert_int_equal(git_diff_tree_to_tree(&diff, st->git, pt, t, NULL), 0);
	assert_int_equal(git_diff_foreach(diff, file_cb, NULL, NULL, NULL, &want), 0);
	while (want && want[nwant])
		nwant++;
	assert_non_null(got = calloc(npaths + 1, sizeof(char *)));
	for (size_t i = 0; i < npaths; i++)
		got[i] = (char *)paths[i];
	/* the index also names a path that changed from a file to a folder or back, which the
	 * diff shows only as the files on either side: count those in */
	for (size_t i = 0; i < npaths; i++) {
		int found = 0;
		for (size_t k = 0; k < nwant && !found; k++)
			found = strcmp(want[k], paths[i]) == 0;
		if (!found) {
			git_tree_entry *a = NULL, *b = NULL;
			int ta = pt && git_tree_entry_bypath(&a, pt, paths[i]) == 0 ? git_tree_entry_type(a) : 0;
			int tb = git_tree_entry_bypath(&b, t, paths[i]) == 0 ? git_tree_entry_type(b) : 0;
			git_tree_entry_free(a);
			git_tree_entry_free(b);
			if (ta != tb && (ta == GIT_OBJECT_TREE || tb == GIT_OBJECT_TREE)) {
				want = realloc(want, (nwant + 2) * sizeof(char *));
				want[nwant++] = strdup(paths[i]);
				want[nwant] = NULL;
			}
		}
	}
	qsort(got, npaths, sizeof(char *), cmp_str);
	if (nwant)
		qsort(want, nwant, sizeof(char *), cmp_str);
	if (nwant != npaths)
		fail_msg("commit %s: the index has %zu paths, git's diff %zu", commit, npaths, nwant);
	for (size_t i = 0; i < npaths; i++)
		if (strcmp(got[i], want[i]) != 0)
			fail_msg("commit %s: the index has '%s', git's diff '%s'", commit, got[i], want[i]);
	st->commits++;
	st->paths += npaths;
	for (size_t i = 0; i < nwant; i++)
		free(want[i]);
	free(want);
	free(got);
	git_diff_free(diff);
	git_tree_free(t);
	git_tree_free(pt);
	git_commit_free(c);
	git_commit_free(p);
	return 0;
}

typedef struct {
	char commit[41];
	char paths[1024];
} record_state;

static int record_cb(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	record_state *st = payload;
	size_t o = 0;

	if (strcmp(commit, st->commit) != 0)
		return 0;
	for (size_t i = 0; i < npaths; i++)
		o += (size_t)snprintf(st->paths + o, sizeof(st->paths) - o, "%s\n", paths[i]);
	return 1;
}

/* The record of the commit whose subject is SUBJECT, its paths one a line, in their order. */
static void record_of(char *out, size_t size, docket_repo *repo, const char *path, const char *subject)
{
	record_state st;
	char cmd[512];
	FILE *p;

	memset(&st, 0, sizeof(st));
	snprintf(cmd, sizeof(cmd), "git -C %s log --first-parent --format=%%H --grep='^%s$' main", path, subject);
	assert_non_null(p = popen(cmd, "r"));
	assert_non_null(fgets(st.commit, sizeof(st.commit), p));
	pclose(p);
	assert_int_equal(strlen(st.commit), 40);
	assert_int_equal(docket_history_scan(repo, NULL, record_cb, &st), 1);
	snprintf(out, size, "%s", st.paths);
}

static int count_cb(const char *what, size_t done, size_t total, void *payload)
{
	size_t *calls = payload;
	assert_string_equal(what, "indexing history");
	assert_true(done <= total);
	calls[0]++;
	calls[1] = done;
	calls[2] = total;
	return 0;
}

static int stop_cb(const char *what, size_t done, size_t total, void *payload)
{
	(void)what;
	(void)total;
	(void)payload;
	return done > 0; /* stop after the first run */
}

static void test_index_same_with_any_threads_and_as_git_diff(void **state)
{
	docket_repo *repo = NULL;
	docket_history_options o = DOCKET_HISTORY_OPTIONS_INIT;
	char path[128], index[192], *one, *other;
	size_t onelen, otherlen, calls[3] = { 0, 0, 0 };
	check_state st;
	int rewritten = -1;

	(void)state;
	snprintf(path, sizeof(path), "%s/r", dir);
	snprintf(index, sizeof(index), "%s/r/.git/docket/history", dir);
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	docket_repo_free(repo);
	repo = NULL;
	make_history(path);
	assert_int_equal(docket_repo_open(&repo, path), 0);

	o.jobs = 1;
	o.progress_cb = count_cb;
	o.payload = calls;
	assert_int_equal(docket_history_update_opts(&rewritten, NULL, repo, &o), 0);
	assert_int_equal(rewritten, 0);
	assert_true(calls[0] >= 2);
	assert_true(calls[2] > 300);
	assert_int_equal(calls[1], calls[2]);
	one = slurp(index, &onelen);
	for (unsigned int jobs = 2; jobs <= 3; jobs++) {
		unlink(index);
		o.jobs = jobs;
		o.progress_cb = NULL;
		assert_int_equal(docket_history_update_opts(NULL, NULL, repo, &o), 0);
		other = slurp(index, &otherlen);
		assert_int_equal(onelen, otherlen);
		assert_memory_equal(one, other, onelen);
		free(other);
	}

	/* a progress callback that stops: an error, and the index as it was */
	unlink(index);
	o.progress_cb = stop_cb;
	assert_int_equal(docket_history_update_opts(NULL, NULL, repo, &o), DOCKET_ERROR);
	assert_int_equal(access(index, F_OK), -1);
	o.version = 0;
	assert_int_equal(docket_history_update_opts(NULL, NULL, repo, &o), DOCKET_EUSAGE);

	/* every record as git's own diff says */
	assert_int_equal(docket_history_update(NULL, NULL, repo), 0);
	memset(&st, 0, sizeof(st));
	assert_int_equal(git_repository_open(&st.git, path), 0);
	assert_int_equal(docket_history_scan(repo, NULL, check_cb, &st), 0);
	assert_true(st.commits > 310);
	assert_true(st.paths > 320);
	/* the order within a record: a folder's files, then the path that was a file on the other
	 * side (docket_history_for takes a document's first path in a record) */
	{
		char got[1024];
		record_of(got, sizeof(got), repo, path, "file to folder");
		assert_string_equal(got, "documents/plan/2021/U4/kh-2021-9.xml/inner\ndocuments/plan/2021/U4/kh-2021-9.xml\n");
		record_of(got, sizeof(got), repo, path, "folder to file");
		assert_string_equal(got, "documents/plan/2021/U4/kh-2021-9.xml/inner\ndocuments/plan/2021/U4/kh-2021-9.xml\n");
		record_of(got, sizeof(got), repo, path, "move");
		assert_string_equal(got, "documents/plan/2022/U1/kh-2022-1.xml\ndocuments/plan/2022/U2/kh-2022-1.xml\n");
	}
	git_repository_free(st.git);
	free(one);
	docket_repo_free(repo);
}

/*
 * A tree whose entries are not in git's order (git fsck's treeNotSorted; git never writes one,
 * but a forged object store may hold one): entries are matched by name, not by a merge that
 * would take entries out of order for new, nor by a binary search (libgit2's, which the index
 * used before, found c.xml changed here).
 */
static void test_unsorted_tree(void **state)
{
	docket_repo *repo = NULL;
	char path[128], got[1024];
	(void)state;

	snprintf(path, sizeof(path), "%s/u", dir);
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	docket_repo_free(repo);
	repo = NULL;
	sh("cd %s && git config user.name T && git config user.email t@t.invalid && git config commit.gpgsign false && "
	   "mkdir -p documents && echo a > documents/a.xml && echo b > documents/b.xml && echo c > documents/c.xml && "
	   "git add -A && git commit -qm sorted && "
	   /* the same documents/ but b.xml changed, its entries written c, a, b */
	   "A=$(git rev-parse HEAD:documents/a.xml) && C=$(git rev-parse HEAD:documents/c.xml) && "
	   "B=$(echo b2 | git hash-object -w --stdin) && "
	   "D=$( (printf '100644 c.xml\\0'; echo $C | xxd -r -p; printf '100644 a.xml\\0'; echo $A | xxd -r -p; "
	   "      printf '100644 b.xml\\0'; echo $B | xxd -r -p) | git hash-object -t tree -w --literally --stdin) && "
	   "T=$( (git ls-tree HEAD | grep -v 'documents$'; printf '040000 tree %%s\\tdocuments\\n' $D) | git mktree) && "
	   "N=$(git commit-tree $T -p HEAD -m unsorted) && git update-ref refs/heads/main $N && "
	   "git reset -q --hard && echo a2 > documents/a.xml && git add -A && git commit -qm 'sorted again'", path);
	assert_int_equal(docket_repo_open(&repo, path), 0);
	assert_int_equal(docket_history_update(NULL, NULL, repo), 0);
	record_of(got, sizeof(got), repo, path, "unsorted");
	assert_string_equal(got, "documents/b.xml\ndocuments/README.md\n");
	record_of(got, sizeof(got), repo, path, "sorted again");
	assert_string_equal(got, "documents/a.xml\n");
	docket_repo_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_same_with_any_threads_and_as_git_diff),
		cmocka_unit_test(test_unsorted_tree),
	};
	int rc;

	docket_global_init();
	git_libgit2_init();
	rc = cmocka_run_group_tests(tests, setup, teardown);
	git_libgit2_shutdown();
	docket_global_shutdown();
	return rc;
}
