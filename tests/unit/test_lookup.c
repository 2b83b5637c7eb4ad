/*
 * Unit tests of the id index (src/lib/store/ids.c) behind docket_doc_find and id allocation:
 * after adds, moves, copies and deletes made with plain git, at old revisions, after the
 * branch is rewound, in a fresh clone and with a damaged index file, every answer agrees with
 * a full walk of documents/ - for every id, for ids no document has, and for the whole list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cmocka.h>
#include "store_internal.h"
#include "docket/docket.h"

static char dir[64];
static char work[128];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/docket-unit-lookup-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(work, sizeof(work), "%s/work", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Run a shell command in the work tree (plain git: what docket does not control). */
static void sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int n = snprintf(cmd, sizeof(cmd), "cd '%s' && ", work);
	va_start(ap, fmt);
	vsnprintf(cmd + n, sizeof(cmd) - (size_t)n, fmt, ap);
	va_end(ap);
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

/* --- the full walk: what the index must agree with --------------------------------------- */

typedef struct {
	char **paths;
	size_t n, cap;
} list;

static void list_add(list *l, const char *p)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->paths = realloc(l->paths, l->cap * sizeof(char *));
		assert_non_null(l->paths);
	}
	l->paths[l->n++] = strdup(p);
}

static void list_free(list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->paths[i]);
	free(l->paths);
	memset(l, 0, sizeof(*l));
}

static int walk_cb(const char *path, void *payload)
{
	size_t n = strlen(path);
	if (n >= 4 && strcmp(path + n - 4, ".xml") == 0)
		list_add(payload, path);
	return 0;
}

static int each_cb(const char *id, size_t idlen, const char *path, void *payload)
{
	const char *base = strrchr(path, '/') + 1;
	/* the id handed over is the file name without .xml */
	assert_int_equal(idlen + 4, strlen(base));
	assert_memory_equal(id, base, idlen);
	list_add(payload, path);
	return 0;
}

static int each_ref_cb(const char *target, size_t len, const char *path, void *payload)
{
	(void)target;
	(void)len;
	list_add(payload, path);
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void id_of(char *out, size_t size, const char *path)
{
	const char *base = strrchr(path, '/') + 1;
	snprintf(out, size, "%.*s", (int)(strlen(base) - 4), base);
}

/* Every answer of REPO's index at REV against a full walk. */
static void check_agrees(docket_repo *repo, const char *rev)
{
	list walk = { 0 }, idx = { 0 };
	size_t i, j;

	assert_int_equal(docket_repo_walk(repo, rev, "documents/", walk_cb, &walk), 0);
	assert_int_equal(docket_ids_each(repo, rev, "", 1, each_cb, &idx), 0);
	if (walk.n) /* (qsort of a NULL array is undefined even for 0 elements) */
		qsort(walk.paths, walk.n, sizeof(char *), cmp_str);
	if (idx.n)
		qsort(idx.paths, idx.n, sizeof(char *), cmp_str);
	assert_int_equal(walk.n, idx.n);
	for (i = 0; i < walk.n; i++)
		assert_string_equal(walk.paths[i], idx.paths[i]);
	for (i = 0; i < walk.n; i++) {
		char id[128], *found = NULL;
		size_t same = 0;
		int error;
		id_of(id, sizeof(id), walk.paths[i]);
		for (j = 0; j < walk.n; j++) {
			char other[128];
			id_of(other, sizeof(other), walk.paths[j]);
			same += strcmp(id, other) == 0;
		}
		error = docket_doc_find(&found, repo, id, rev);
		if (same == 1 && docket_layout_check(walk.paths[i], 1)) {
			/* found, but where docket does not keep documents: refused, naming the place */
			assert_int_equal(error, DOCKET_EINVALID);
			assert_non_null(strstr(docket_error_last(), "outside the layout"));
		} else if (same == 1) {
			if (error != 0)
				fail_msg("%s at %s: %s", id, rev ? rev : "tip", docket_error_last());
			assert_string_equal(found, walk.paths[i]);
		} else {
			assert_int_equal(error, DOCKET_EINVALID);
			assert_non_null(strstr(docket_error_last(), "names"));
		}
		docket_free(found);
	}
	{
		/* ids no document has, including prefixes and extensions of real ones */
		static const char *const none[] = { "kh-2021-u1-", "kh-2021-u1-999", "kh-2021-u1-1x", "k", "zz" };
		for (i = 0; i < sizeof(none) / sizeof(*none); i++) {
			char *found = NULL;
			assert_int_equal(docket_doc_find(&found, repo, none[i], rev), DOCKET_ENOTFOUND);
			assert_null(found);
		}
	}
	list_free(&walk);
	list_free(&idx);
}

/* Fresh handle (the index file, or built) and the long-lived one (its view in memory). */
static void check_both(docket_repo *keep, const char *path, const char *rev)
{
	docket_repo *fresh = NULL;
	assert_int_equal(docket_repo_open(&fresh, path), 0);
	check_agrees(fresh, rev);
	docket_repo_free(fresh);
	check_agrees(keep, rev);
}

static void add_docs(int from, int to, int units)
{
	for (int i = from; i < to; i++) {
		sh("mkdir -p documents/plan/2021/U%d && printf '<x/>\\n' > documents/plan/2021/U%d/kh-2021-u%d-%d.xml",
		   i % units, i % units, i % units, i);
	}
	sh("git add -A documents && git commit -qm 'add %d documents'", to - from);
}

/* The documents/ tree the index file describes. */
static void index_tree(char out[41], const char *gitdir)
{
	char path[256], line[256];
	FILE *f;
	snprintf(path, sizeof(path), "%s/docket/ids", gitdir);
	assert_non_null(f = fopen(path, "r"));
	assert_non_null(fgets(line, sizeof(line), f));
	fclose(f);
	assert_int_equal(strncmp(line, "docket-ids 1 ", 13), 0);
	memcpy(out, line + 13, 40);
	out[40] = '\0';
}

static void git_out(char *out, size_t size, const char *cmd)
{
	char full[512];
	FILE *p;
	snprintf(full, sizeof(full), "cd '%s' && %s", work, cmd);
	assert_non_null(p = popen(full, "r"));
	assert_non_null(fgets(out, (int)size, p));
	pclose(p);
	out[strcspn(out, "\n")] = '\0';
}

static void test_lookup_agrees_with_walk(void **state)
{
	docket_repo *keep = NULL, *repo = NULL;
	char gitdir[160], tree[41], want[64], clone[160];
	(void)state;

	assert_int_equal(docket_repo_init(&repo, work, 0), 0);
	docket_repo_free(repo);
	snprintf(gitdir, sizeof(gitdir), "%s/.git", work);
	assert_int_equal(docket_repo_open(&keep, work), 0);

	/* no documents yet: nothing found */
	check_both(keep, work, NULL);

	/* adds */
	add_docs(0, 40, 4);
	check_both(keep, work, NULL);

	/* more than the overlay's limit at once: the file is rewritten for the tip */
	add_docs(40, 400, 7);
	check_both(keep, work, NULL);
	index_tree(tree, gitdir);
	git_out(want, sizeof(want), "git rev-parse HEAD:documents");
	assert_string_equal(tree, want);

	/* moves by plain git: to another unit, another year, another kind */
	sh("mkdir -p documents/plan/2022/U1 documents/report/2021/U2 && "
	   "git mv documents/plan/2021/U0/kh-2021-u0-0.xml documents/plan/2021/U3/ && "
	   "git mv documents/plan/2021/U1/kh-2021-u1-1.xml documents/plan/2022/U1/ && "
	   "git mv documents/plan/2021/U2/kh-2021-u2-2.xml documents/report/2021/U2/ && "
	   "git commit -qm 'moved by plain git'");
	check_both(keep, work, NULL);
	{
		char *found = NULL;
		assert_int_equal(docket_doc_find(&found, keep, "kh-2021-u1-1", NULL), 0);
		assert_string_equal(found, "documents/plan/2022/U1/kh-2021-u1-1.xml");
		docket_free(found);
	}

	/* deletes, a whole unit folder among them */
	sh("git rm -q documents/plan/2021/U3/kh-2021-u3-3.xml && git rm -qr documents/plan/2021/U5 && "
	   "git commit -qm 'deleted by plain git'");
	check_both(keep, work, NULL);

	/* a copy: one id, two files */
	sh("cp documents/plan/2021/U0/kh-2021-u0-4.xml documents/plan/2021/U6/ && git add -A && "
	   "git commit -qm 'copied by plain git'");
	check_both(keep, work, NULL);

	/* a document file replaced by a folder of the same name, and back */
	sh("git rm -q documents/plan/2021/U2/kh-2021-u2-6.xml && mkdir documents/plan/2021/U2/kh-2021-u2-6.xml && "
	   "printf '<x/>' > documents/plan/2021/U2/kh-2021-u2-6.xml/kh-2021-u2-6.xml && git add -A && "
	   "git commit -qm 'a folder named like a document'");
	check_both(keep, work, NULL);

	/* old revisions, through both handles, in any order */
	check_both(keep, work, "HEAD~4");
	check_both(keep, work, "HEAD~1");
	check_both(keep, work, "HEAD~5");
	check_both(keep, work, NULL);

	/* the branch rewound (a rewrite): the index follows the tree, not the history */
	sh("git reset -q --hard HEAD~3");
	check_both(keep, work, NULL);
	sh("git rm -qr documents && git commit -qm 'every document removed'");
	check_both(keep, work, NULL);
	sh("git reset -q --hard HEAD~1");

	/* a damaged index file: rebuilt, never believed */
	sh("printf 'docket-ids 1 %s 5 3\\nab' > .git/docket/ids", "0123456789012345678901234567890123456789");
	check_both(keep, work, NULL);
	sh("head -c 100 .git/docket/ids > .git/docket/ids.cut && mv .git/docket/ids.cut .git/docket/ids");
	check_both(keep, work, NULL);

	/* a fresh clone: no index yet, the same answers */
	snprintf(clone, sizeof(clone), "%s/clone.git", dir);
	sh("git clone -q --bare . '%s'", clone);
	{
		struct stat sb;
		char f[200];
		snprintf(f, sizeof(f), "%s/docket/ids", clone);
		assert_int_not_equal(stat(f, &sb), 0);
		check_both(keep, clone, NULL);
		assert_int_equal(stat(f, &sb), 0);
	}
	docket_repo_free(keep);
}

/* The paths the reference index gives for TARGET at the tip, sorted, one line each. */
static void refs_of(char *out, size_t size, docket_repo *repo, const char *target)
{
	list l = { 0 };
	size_t i, o = 0;

	assert_int_equal(docket_refs_each(repo, NULL, target, each_ref_cb, &l), 0);
	if (l.n)
		qsort(l.paths, l.n, sizeof(char *), cmp_str);
	out[0] = '\0';
	for (i = 0; i < l.n; i++)
		if (i == 0 || strcmp(l.paths[i], l.paths[i - 1]))
			o += (size_t)snprintf(out + o, size - o, "%s\n", l.paths[i]);
	list_free(&l);
}

static void expect_refs(docket_repo *keep, const char *target, const char *want)
{
	docket_repo *fresh = NULL;
	char got[4096];

	refs_of(got, sizeof(got), keep, target);
	assert_string_equal(got, want);
	assert_int_equal(docket_repo_open(&fresh, work), 0);
	refs_of(got, sizeof(got), fresh, target);
	assert_string_equal(got, want);
	docket_repo_free(fresh);
}

static void test_refs_index(void **state)
{
	docket_repo *keep = NULL;
	(void)state;

	/* the repository of the test above: the reference index built on it */
	assert_int_equal(docket_repo_open(&keep, work), 0);
	expect_refs(keep, "kh-p", "");
	sh("mkdir -p documents/report/2021/A documents/task/2021/B && "
	   "printf '<r><plan ref=\"kh-p\"/></r>' > documents/report/2021/A/bc-1.xml && "
	   "printf \"<t><source plan = 'kh-p' due='2021'/></t>\" > documents/task/2021/B/nv-1.xml && "
	   "printf '<r><plan xref=\"kh-p\" ref=\"kh-q\"/></r>' > documents/report/2021/A/bc-2.xml && "
	   "printf '<r><plan ref=\"kh&#45;p\"/></r>' > documents/report/2021/A/bc-3.xml && "
	   "git add -A && git commit -qm refs");
	/* an entity: under "*", given to every query */
	expect_refs(keep, "kh-p", "documents/report/2021/A/bc-1.xml\ndocuments/report/2021/A/bc-3.xml\n"
	                          "documents/task/2021/B/nv-1.xml\n");
	expect_refs(keep, "kh-q", "documents/report/2021/A/bc-2.xml\ndocuments/report/2021/A/bc-3.xml\n");
	/* edited, moved and deleted by plain git */
	sh("printf '<r><plan ref=\"kh-q\"/></r>' > documents/report/2021/A/bc-1.xml && "
	   "mkdir -p documents/report/2022/C && git mv documents/task/2021/B/nv-1.xml documents/report/2022/C/ && "
	   "git rm -q documents/report/2021/A/bc-3.xml && git add -A && git commit -qm 'refs changed'");
	expect_refs(keep, "kh-p", "documents/report/2022/C/nv-1.xml\n");
	expect_refs(keep, "kh-q", "documents/report/2021/A/bc-1.xml\ndocuments/report/2021/A/bc-2.xml\n");
	docket_repo_free(keep);
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

static int count_cb(const char *what, size_t done, size_t total, void *payload)
{
	size_t *calls = payload;
	assert_string_equal(what, "indexing references");
	assert_true(done <= total);
	assert_true(done >= calls[1]);
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
	return done > 0; /* stop after the first chunk */
}

/* docket_lookup_update: the reference index read by 1, 2 or 3 threads is the same file,
 * and the one a lookup builds; progress counts every document; a stop writes nothing. */
static void test_lookup_update(void **state)
{
	docket_repo *repo = NULL;
	docket_lookup_options o = DOCKET_LOOKUP_OPTIONS_INIT;
	char refs[192], ids[192], got[16384], again[16384], *one, *other;
	size_t onelen, otherlen, docs = 0;
	list all = { NULL, 0, 0 };
	(void)state;

	/* more documents than a chunk (1024), half of them naming a plan */
	sh("mkdir -p documents/report/2023/M && for i in $(seq 1 1500); do "
	   "  if [ $((i %% 2)) = 0 ]; then printf '<r><plan ref=\"kh-m%%d\"/></r>' $((i %% 7)); else printf '<r/>'; fi "
	   "  > documents/report/2023/M/bc-m$i.xml; done && git add -A && git commit -qm many");
	snprintf(refs, sizeof(refs), "%s/.git/docket/refs", work);
	snprintf(ids, sizeof(ids), "%s/.git/docket/ids", work);
	assert_int_equal(docket_repo_open(&repo, work), 0);
	assert_int_equal(docket_repo_walk(repo, NULL, "documents/", walk_cb, &all), 0);
	for (size_t i = 0; i < all.n; i++)
		docs += strlen(all.paths[i]) > 4 && strcmp(all.paths[i] + strlen(all.paths[i]) - 4, ".xml") == 0;
	list_free(&all);
	docket_repo_free(repo);
	repo = NULL;
	assert_true(docs > 1500);

	/* as a lookup builds it */
	unlink(refs);
	unlink(ids);
	assert_int_equal(docket_repo_open(&repo, work), 0);
	refs_of(got, sizeof(got), repo, "kh-m3");
	docket_repo_free(repo);
	one = slurp(refs, &onelen);
	for (unsigned int jobs = 1; jobs <= 3; jobs++) {
		size_t calls[3] = { 0, 0, 0 };
		unlink(refs);
		unlink(ids);
		assert_int_equal(docket_repo_open(&repo, work), 0);
		o.jobs = jobs;
		o.progress_cb = count_cb;
		o.payload = calls;
		assert_int_equal(docket_lookup_update(repo, &o), 0);
		assert_int_equal(calls[2], docs);
		assert_int_equal(calls[1], docs);
		assert_true(calls[0] >= 3); /* 0, after the first chunk, at the end */
		other = slurp(refs, &otherlen);
		assert_int_equal(onelen, otherlen);
		assert_memory_equal(one, other, onelen);
		free(other);
		/* built: a second update has nothing to read */
		calls[0] = 0;
		assert_int_equal(docket_lookup_update(repo, &o), 0);
		assert_int_equal(calls[0], 0);
		docket_repo_free(repo);
		repo = NULL;
	}
	assert_int_equal(docket_repo_open(&repo, work), 0);
	refs_of(again, sizeof(again), repo, "kh-m3");
	assert_string_equal(got, again);
	assert_non_null(strstr(got, "documents/report/2023/M/bc-m10.xml\n"));
	docket_repo_free(repo);
	repo = NULL;

	/* a progress callback that stops: an error, and no index written */
	unlink(refs);
	unlink(ids);
	assert_int_equal(docket_repo_open(&repo, work), 0);
	o.progress_cb = stop_cb;
	assert_int_equal(docket_lookup_update(repo, &o), DOCKET_ERROR);
	assert_int_equal(access(refs, F_OK), -1);
	o.version = 0;
	assert_int_equal(docket_lookup_update(repo, &o), DOCKET_EUSAGE);
	assert_int_equal(docket_lookup_update(repo, NULL), 0);
	assert_int_equal(access(refs, F_OK), 0);
	docket_repo_free(repo);
	free(one);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lookup_agrees_with_walk),
		cmocka_unit_test(test_refs_index),
		cmocka_unit_test(test_lookup_update),
	};
	int r;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("GIT_AUTHOR_NAME", "Unit", 1);
	setenv("GIT_AUTHOR_EMAIL", "unit@docket.invalid", 1);
	setenv("GIT_COMMITTER_NAME", "Unit", 1);
	setenv("GIT_COMMITTER_EMAIL", "unit@docket.invalid", 1);
	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
