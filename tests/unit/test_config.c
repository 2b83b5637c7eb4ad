/*
 * Unit tests of the configuration (config.c) when memory runs out: every change is made with
 * an allocator that fails at the Nth allocation, for N = 1, 2, ... until the change goes
 * through without a failure. Each attempt either succeeds with the full configuration or fails
 * with the branch and .docket/config.xml (committed and in the work tree) as they were - or,
 * when only the work tree's update after the commit failed (the error says "committed ..."),
 * with the full configuration committed. A truncated config.xml is never committed. Real
 * libgit2 repositories in a temporary directory.
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
#include "util_internal.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/docket-unit-config-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- an allocator that fails ------------------------------------------------------------------ */

static size_t calls, fail_at;     /* fail the allocation numbered FAIL_AT (from 1) */
static int persistent, injected;  /* PERSISTENT: and every one after it */

static int should_fail(void)
{
	calls++;
	if (calls == fail_at || (persistent && fail_at && calls > fail_at)) {
		injected = 1;
		return 1;
	}
	return 0;
}

static void *failing_malloc(size_t n)
{
	return should_fail() ? NULL : malloc(n);
}

static void *failing_realloc(void *p, size_t n)
{
	return should_fail() ? NULL : realloc(p, n);
}

static char *failing_strdup(const char *s)
{
	return should_fail() ? NULL : strdup(s);
}

static const docket_allocator failing = { failing_malloc, failing_realloc, free, failing_strdup };

/* --- the repository ---------------------------------------------------------------------------- */

static void tip(char out[41], const char *path)
{
	git_repository *git = NULL;
	git_oid oid;

	assert_int_equal(git_repository_open(&git, path), 0);
	assert_int_equal(git_reference_name_to_id(&oid, git, "HEAD"), 0);
	git_oid_tostr(out, 41, &oid);
	git_repository_free(git);
}

static const char *parent_of(const char *path)
{
	static char out[41];
	git_repository *git = NULL;
	git_commit *c = NULL;
	git_oid oid;

	assert_int_equal(git_repository_open(&git, path), 0);
	assert_int_equal(git_reference_name_to_id(&oid, git, "HEAD"), 0);
	assert_int_equal(git_commit_lookup(&c, git, &oid), 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	git_oid_tostr(out, sizeof(out), git_commit_parent_id(c, 0));
	git_commit_free(c);
	git_repository_free(git);
	return out;
}

static char *committed_config(docket_repo *repo)
{
	char *buf = NULL;
	size_t len = 0;
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, ".docket/config.xml"), 0);
	return buf;
}

static char *workdir_config(const char *path)
{
	char file[4096], *buf = NULL;
	size_t len = 0;
	assert_true(snprintf(file, sizeof(file), "%s/.docket/config.xml", path) < (int)sizeof(file));
	assert_int_equal(docket_file_read(&buf, &len, file, 1 << 20), 0);
	return buf;
}

/* A fresh repository at DIR/NAME with the units LD and CTTT. */
static docket_repo *fresh(char *path, size_t size, const char *name)
{
	docket_repo *repo = NULL;
	docket_unit ld = { "LD", "Lãnh đạo phòng", NULL, 0 }, cttt = { "CTTT", "Bộ phận \"CTTT\" & <VT>", "LD", 0 };

	snprintf(path, size, "%s/%s", dir, name);
	if (docket_repo_init(&repo, path, 0) < 0)
		fail_msg("cannot make %s: %s", path, docket_error_last());
	assert_int_equal(docket_config_add_unit(repo, NULL, &ld), 0);
	assert_int_equal(docket_config_add_unit(repo, NULL, &cttt), 0);
	return repo;
}

typedef int (*change_fn)(docket_repo *repo);

static int add_person(docket_repo *repo)
{
	docket_person p = { "hoa", "Nguyễn Thị \"Hoa\" & <Lan>", "CHUYÊN VIÊN", "CTTT", "drafter,reviewer",
	                    "hoa@pgd.example", NULL };
	return docket_config_add_person(repo, NULL, &p);
}

static int set_org(docket_repo *repo)
{
	docket_org org = { "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT", "UBND THÀNH PHỐ CẨM PHẢ", "Cẩm Phả", NULL };
	return docket_config_set_org(repo, NULL, &org);
}

static int add_unit(docket_repo *repo)
{
	docket_unit u = { "TH-CP", "Trường Tiểu học Cẩm Phả", "LD", 1 };
	return docket_config_add_unit(repo, NULL, &u);
}

/*
 * CHANGE on a fresh repository without failures gives the expected config.xml; then, with the
 * Nth allocation failing (and, if PERSISTENT, all after it), each attempt is judged.
 */
static void check_change(const char *name, change_fn change, int persist)
{
	char path[256], before_tip[41], after_tip[41], label[64];
	char *want, *before_commit, *before_wd, *got;
	docket_repo *repo;
	size_t n, failures = 0, attempts = 0;
	int rc;

	snprintf(label, sizeof(label), "%s-%d-reference", name, persist);
	repo = fresh(path, sizeof(path), label);
	assert_int_equal(change(repo), 0);
	want = committed_config(repo);
	docket_repo_free(repo);

	snprintf(label, sizeof(label), "%s-%d-0", name, persist);
	repo = fresh(path, sizeof(path), label);
	for (n = 1;; n++) {
		tip(before_tip, path);
		before_commit = committed_config(repo);
		before_wd = workdir_config(path);

		calls = 0;
		fail_at = n;
		persistent = persist;
		injected = 0;
		docket__set_allocator(&failing);
		rc = change(repo);
		docket__set_allocator(NULL);
		attempts++;

		tip(after_tip, path);
		got = committed_config(repo);
		if (rc == 0) {
			/* it went through (the failure, if any, was one it could do without): all of it */
			if (strcmp(got, want) != 0)
				fail_msg("%s: allocation %zu failed and a different config.xml was committed:\n%s", name, n, got);
			free(got);
			got = workdir_config(path);
			assert_string_equal(got, want);
		} else if (strncmp(docket_error_last(), "committed ", 10) == 0) {
			/* the commit stands and only the work tree lags behind (docket_repo_transact says
			 * so): what was committed is all of it, one commit on the old tip */
			assert_int_equal(rc, DOCKET_ERROR);
			assert_true(injected);
			if (strcmp(got, want) != 0)
				fail_msg("%s: allocation %zu failed and a different config.xml was committed:\n%s", name, n, got);
			assert_string_equal(parent_of(path), before_tip);
			rc = 0; /* start again below */
		} else {
			if (!injected)
				fail_msg("%s: failed without an allocation failure: %s", name, docket_error_last());
			assert_int_equal(rc, DOCKET_ERROR);
			assert_non_null(strstr(docket_error_last(), "out of memory"));
			if (strcmp(before_tip, after_tip) != 0)
				fail_msg("%s: allocation %zu failed, the change was refused (%s), but the branch moved to %s", name, n, docket_error_last(),
				         after_tip);
			assert_string_equal(got, before_commit);
			free(got);
			got = workdir_config(path);
			assert_string_equal(got, before_wd);
			failures++;
		}
		free(got);
		free(before_commit);
		free(before_wd);
		if (!injected)
			break; /* no allocation was left to fail */
		if (rc == 0) {
			/* start again from the state before the change */
			docket_repo_free(repo);
			snprintf(label, sizeof(label), "%s-%d-%zu", name, persist, n);
			repo = fresh(path, sizeof(path), label);
		}
	}
	docket_repo_free(repo);
	free(want);
	/* the change allocates through docket's allocator, and its failures were seen */
	assert_true(attempts > 10);
	assert_true(failures > 0);
}

static void test_add_person_out_of_memory(void **state)
{
	(void)state;
	check_change("person", add_person, 0);
	check_change("person", add_person, 1);
}

static void test_set_org_out_of_memory(void **state)
{
	(void)state;
	check_change("org", set_org, 0);
	check_change("org", set_org, 1);
}

static void test_add_unit_out_of_memory(void **state)
{
	(void)state;
	check_change("unit", add_unit, 0);
	check_change("unit", add_unit, 1);
}

/*
 * docket_config_load keeps the last configuration parsed, by its blob's id: a load after a
 * change sees the change, a load at the revision before it sees that revision's, and each
 * load is a configuration of its own (freed apart).
 */
static void test_load_after_change(void **state)
{
	char path[256], before[41];
	docket_repo *repo;
	docket_config *a = NULL, *b = NULL, *c = NULL, *d = NULL;
	docket_person p;
	docket_org org;

	(void)state;
	repo = fresh(path, sizeof(path), "memo");
	tip(before, path);
	assert_int_equal(docket_config_load(&a, repo, NULL), 0);
	assert_int_equal(docket_config_load(&b, repo, NULL), 0);
	assert_ptr_not_equal(a, b);
	assert_int_equal(docket_config_person(&p, a, "hoa"), DOCKET_ENOTFOUND);
	assert_int_equal(docket_config_unit_count(b), 2);
	docket_config_free(a);
	assert_int_equal(docket_config_unit_count(b), 2);
	assert_int_equal(add_person(repo), 0);
	assert_int_equal(set_org(repo), 0);
	assert_int_equal(docket_config_load(&c, repo, NULL), 0);
	assert_int_equal(docket_config_person(&p, c, "hoa"), 0);
	assert_string_equal(p.email, "hoa@pgd.example");
	docket_config_org(&org, c);
	assert_string_equal(org.abbr, "PGDĐT");
	assert_int_equal(docket_config_load(&d, repo, before), 0);
	assert_int_equal(docket_config_person(&p, d, "hoa"), DOCKET_ENOTFOUND);
	docket_config_org(&org, d);
	assert_null(org.abbr);
	assert_int_equal(docket_config_unit_count(d), 2);
	docket_config_free(d);
	d = NULL;
	assert_int_equal(docket_config_load(&d, repo, NULL), 0);
	assert_int_equal(docket_config_person(&p, d, "hoa"), 0);
	assert_int_equal(docket_config_load(&a, repo, "no-such-revision"), DOCKET_ENOTFOUND);
	assert_null(a);
	docket_config_free(b);
	docket_config_free(c);
	docket_config_free(d);
	docket_repo_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_person_out_of_memory),
		cmocka_unit_test(test_set_org_out_of_memory),
		cmocka_unit_test(test_add_unit_out_of_memory),
		cmocka_unit_test(test_load_after_change),
	};
	int r;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
