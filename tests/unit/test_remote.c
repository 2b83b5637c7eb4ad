/*
 * Unit tests of many offices, one history (store/remote.c, workflow/sync.c, audit/hook.c):
 * real libgit2 repositories on disk, cloned, pushed and pulled through paths; the hook's
 * verdicts on ref updates made by hand.
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
#include "docket/docket.h"

#define ZERO "0000000000000000000000000000000000000000"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/docket-unit-remote-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("HOME", dir, 1);
	unsetenv("DOCKET_NOW");
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_options(void **state)
{
	docket_remote_options ro;
	docket_hook_options ho;
	docket_sync_result r;

	assert_int_equal(docket_remote_options_init(&ro, DOCKET_REMOTE_OPTIONS_VERSION), 0);
	assert_int_equal(ro.version, DOCKET_REMOTE_OPTIONS_VERSION);
	assert_null(ro.remote);
	assert_int_equal(docket_remote_options_init(&ro, 99), DOCKET_EUSAGE);
	assert_int_equal(docket_remote_options_init(NULL, DOCKET_REMOTE_OPTIONS_VERSION), DOCKET_EUSAGE);
	assert_int_equal(docket_hook_options_init(&ho, DOCKET_HOOK_OPTIONS_VERSION), 0);
	assert_int_equal(docket_hook_options_init(&ho, 0), DOCKET_EUSAGE);
	docket_sync_result_free(NULL);
	memset(&r, 0, sizeof(r));
	docket_sync_result_free(&r);
}

/* A server, a clone, an add pushed and pulled into a second clone; ahead/behind without network. */
static void test_clone_push_pull(void **state)
{
	docket_repo *srv = NULL, *a = NULL, *b = NULL;
	docket_add_result added;
	docket_sync_result r;
	char path[128], pa[128], pb[128], tip[41], src[512];
	size_t ahead = 9, behind = 9;

	snprintf(path, sizeof(path), "%s/srv.git", dir);
	snprintf(pa, sizeof(pa), "%s/a", dir);
	snprintf(pb, sizeof(pb), "%s/b", dir);
	assert_int_equal(docket_server_init(&srv, path), 0);
	assert_int_equal(docket_clone(&a, path, pa, NULL), 0);
	assert_int_equal(docket_clone(&b, path, pa, NULL), DOCKET_EEXISTS);
	assert_int_equal(docket_clone(&b, path, pb, NULL), 0);
	assert_int_equal(docket_remote_ahead_behind(&ahead, &behind, a, NULL), 0);
	assert_int_equal(ahead + behind, 0);
	assert_int_equal(docket_remote_ahead_behind(&ahead, &behind, srv, NULL), DOCKET_ENOTFOUND);

	snprintf(src, sizeof(src), "%s/examples/354-KH-PGDDT.xml", getenv("DOCKET_SRC") ? getenv("DOCKET_SRC") : ".");
	{
		docket_add_options o = DOCKET_ADD_OPTIONS_INIT;
		o.draft = 1;
		assert_int_equal(docket_add_file(&added, a, src, &o), 0);
		docket_add_result_free(&added);
	}
	assert_int_equal(docket_remote_ahead_behind(&ahead, &behind, a, NULL), 0);
	assert_int_equal(ahead, 1);
	assert_int_equal(behind, 0);
	assert_int_equal(docket_push(&r, a, NULL), 0);
	assert_int_equal(r.pushed, 1);
	assert_int_equal(r.tries, 1);
	assert_int_equal(docket_repo_resolve(tip, srv, NULL), 0);
	assert_string_equal(tip, r.after);
	docket_sync_result_free(&r);

	assert_int_equal(docket_pull(&r, b, NULL), 0);
	assert_true(r.fast_forward);
	assert_int_equal(r.received, 1);
	assert_string_equal(r.after, tip);
	docket_sync_result_free(&r);
	assert_int_equal(docket_pull(&r, b, NULL), 0);
	assert_int_equal(r.received, 0);
	docket_sync_result_free(&r);

	docket_repo_free(a);
	docket_repo_free(b);
	docket_repo_free(srv);
}

/* The hook's verdicts on updates made by hand: other refs, deletion, rewriting, a clean add. */
static void test_hook_verdicts(void **state)
{
	docket_repo *srv = NULL;
	docket_audit_result r;
	docket_add_result added;
	docket_add_options o = DOCKET_ADD_OPTIONS_INIT;
	char path[128], first[41], second[41], src[512];

	snprintf(path, sizeof(path), "%s/hook.git", dir);
	assert_int_equal(docket_server_init(&srv, path), 0);
	assert_int_equal(docket_repo_resolve(first, srv, NULL), 0);
	snprintf(src, sizeof(src), "%s/examples/354-KH-PGDDT.xml", getenv("DOCKET_SRC") ? getenv("DOCKET_SRC") : ".");
	o.draft = 1;
	assert_int_equal(docket_add_file(&added, srv, src, &o), 0);
	docket_add_result_free(&added);
	assert_int_equal(docket_repo_resolve(second, srv, NULL), 0);

	assert_int_equal(docket_hook_check(&r, srv, "refs/heads/main", first, second, NULL), 0);
	assert_int_equal(r.n, 0);
	assert_int_equal(r.commits, 1);
	docket_audit_result_free(&r);

	assert_int_equal(docket_hook_check(&r, srv, "refs/heads/main", second, first, NULL), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].kind, "history-rewritten");
	docket_audit_result_free(&r);

	assert_int_equal(docket_hook_check(&r, srv, "refs/heads/main", second, ZERO, NULL), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].kind, "branch-deleted");
	docket_audit_result_free(&r);

	assert_int_equal(docket_hook_check(&r, srv, "refs/tags/x", ZERO, second, NULL), 0);
	assert_int_equal(r.n, 1);
	assert_string_equal(r.findings[0].kind, "ref-not-allowed");
	docket_audit_result_free(&r);

	{
		docket_hook_options ho = DOCKET_HOOK_OPTIONS_INIT;
		ho.pusher = "minh";
		assert_int_equal(docket_hook_check(&r, srv, "refs/heads/main", first, second, &ho), 0);
		assert_int_equal(r.n, 1);
		assert_string_equal(r.findings[0].kind, "pusher-not-actor");
		assert_string_equal(r.findings[0].commit, second);
		docket_audit_result_free(&r);
	}
	assert_int_equal(docket_hook_check(&r, srv, "refs/heads/main", "xyz", second, NULL), DOCKET_EUSAGE);
	docket_audit_result_free(&r);
	docket_repo_free(srv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_clone_push_pull),
		cmocka_unit_test(test_hook_verdicts),
	};
	int r;

	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
