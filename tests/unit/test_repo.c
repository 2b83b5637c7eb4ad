/* Unit tests of the repository layer (repo.c, store.c): real libgit2 repositories. */
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

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/docket-unit-repo-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void test_init_refuses_non_empty(void **state)
{
	docket_repo *repo = NULL;
	char path[128], file[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/full", dir);
	snprintf(file, sizeof(file), "%s/x", path);
	assert_int_equal(system("true"), 0);
	mkdir(path, 0700);
	assert_non_null(f = fopen(file, "w"));
	fclose(f);
	assert_int_equal(docket_repo_init(&repo, path, 0), DOCKET_EEXISTS);
	assert_null(repo);
	assert_non_null(strstr(docket_error_last(), "not empty"));
}

static void test_init_layout(void **state)
{
	docket_repo *repo = NULL;
	char path[128], *buf = NULL;
	size_t len = 0;

	snprintf(path, sizeof(path), "%s/bare.git", dir);
	assert_int_equal(docket_repo_init(&repo, path, 1), 0);
	assert_null(docket_repo_workdir(repo));
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, ".docket/schemas/docket.xsd"), 0);
	assert_true(len > 100);
	docket_free(buf);
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, ".docket/workflows/plan.xml"), 0);
	docket_free(buf);
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, ".docket/config.xml"), 0);
	docket_free(buf);
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, "no/such/file"), DOCKET_ENOTFOUND);
	docket_repo_free(repo);
}

static void test_add_seed_and_refuse_duplicate(void **state)
{
	docket_add_options draft = DOCKET_ADD_OPTIONS_INIT;
	docket_repo *repo = NULL;
	docket_add_result res;
	docket_doc *doc = NULL;
	char path[128], seed[4096], before[41], after[41];
	const char *src = getenv("DOCKET_SRC");

	draft.draft = 1;
	snprintf(path, sizeof(path), "%s/work", dir);
	snprintf(seed, sizeof(seed), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	/* the seed is numbered (issued): added as it is, refused with the way to record it */
	assert_int_equal(docket_add_file(&res, repo, seed, NULL), DOCKET_EDENIED);
	assert_non_null(strstr(docket_error_last(), "docket import"));
	assert_non_null(strstr(docket_error_last(), "add --draft"));
	docket_add_result_free(&res);
	assert_int_equal(docket_add_file(&res, repo, seed, &draft), 0);
	assert_string_equal(res.id, "kh-2021-354");
	assert_string_equal(res.path, "documents/plan/2021/CTTT/kh-2021-354.xml");
	docket_add_result_free(&res);
	assert_int_equal(docket_doc_load(&doc, repo, "kh-2021-354", NULL), 0);
	assert_string_equal(docket_doc_kind(doc), "plan");
	docket_doc_free(doc);

	/* the same id again: refused, the branch does not move */
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);
	assert_int_equal(docket_add_file(&res, repo, seed, &draft), DOCKET_EEXISTS);
	assert_non_null(strstr(docket_error_last(), "exists already"));
	docket_add_result_free(&res);
	assert_int_equal(docket_repo_resolve(after, repo, NULL), 0);
	assert_string_equal(before, after);
	docket_repo_free(repo);
}

/* Option structures carry a version: _INIT and _options_init set it, a version this library
 * does not know is refused before anything happens. */
static void test_options_versions(void **state)
{
	docket_repo *repo = NULL;
	docket_add_options add = DOCKET_ADD_OPTIONS_INIT;
	docket_audit_options audit = DOCKET_AUDIT_OPTIONS_INIT;
	docket_action_options act = DOCKET_ACTION_OPTIONS_INIT;
	docket_add_result res;
	docket_audit_result ares;
	docket_action_result acres;
	char path[128], seed[4096], before[41], after[41], old_tip[41];
	const char *src = getenv("DOCKET_SRC");
	int rewritten = -1;

	(void)state;
	assert_int_equal(add.version, DOCKET_ADD_OPTIONS_VERSION);
	assert_int_equal(audit.version, DOCKET_AUDIT_OPTIONS_VERSION);
	assert_int_equal(act.version, DOCKET_ACTION_OPTIONS_VERSION);
	snprintf(path, sizeof(path), "%s/versions", dir);
	snprintf(seed, sizeof(seed), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);

	add.version = 0;
	assert_int_equal(docket_add_file(&res, repo, seed, &add), DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "initialise it with DOCKET_ADD_OPTIONS_INIT"));
	docket_add_result_free(&res);
	add.version = DOCKET_ADD_OPTIONS_VERSION + 1;
	assert_int_equal(docket_add_buffer(&res, repo, "<x/>", 4, "x.xml", &add), DOCKET_EUSAGE);
	docket_add_result_free(&res);
	assert_int_equal(docket_add_options_init(&add, 7), DOCKET_EUSAGE);
	assert_int_equal(docket_add_options_init(NULL, DOCKET_ADD_OPTIONS_VERSION), DOCKET_EUSAGE);
	assert_int_equal(docket_add_options_init(&add, DOCKET_ADD_OPTIONS_VERSION), 0);
	add.draft = 1;
	assert_int_equal(docket_add_file(&res, repo, seed, &add), 0);
	assert_string_equal(res.id, "kh-2021-354");
	docket_add_result_free(&res);
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);

	audit.version = 2;
	assert_int_equal(docket_audit(&ares, repo, &audit), DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "docket_audit_options version 2 is not supported"));
	docket_audit_result_free(&ares);
	assert_int_equal(docket_audit_options_init(&audit, DOCKET_AUDIT_OPTIONS_VERSION), 0);
	audit.no_cache = 1;
	assert_int_equal(docket_audit(&ares, repo, &audit), 0);
	docket_audit_result_free(&ares);

	/* an unknown version (2 became known with the field `by`) */
	act.version = DOCKET_ACTION_OPTIONS_VERSION + 1;
	act.doc = "kh-2021-354";
	act.transition = "submit";
	act.actor = "nobody";
	assert_int_equal(docket_action_run(&acres, repo, &act), DOCKET_EUSAGE);
	docket_action_result_free(&acres);
	/* version 1, without `by`, is still read: refused for the actor, not the version */
	act.version = 1;
	assert_int_equal(docket_action_run(&acres, repo, &act), DOCKET_EDENIED);
	assert_non_null(strstr(docket_error_last(), "'nobody' is not a person"));
	docket_action_result_free(&acres);
	assert_int_equal(docket_action_run(&acres, repo, NULL), DOCKET_EUSAGE);
	docket_action_result_free(&acres);
	assert_int_equal(docket_action_options_init(&act, DOCKET_ACTION_OPTIONS_VERSION), 0);
	assert_null(act.doc);
	/* import: the same versioned options; no actor is a usage error, nothing written */
	{
		docket_import_options io = DOCKET_IMPORT_OPTIONS_INIT;
		assert_int_equal(io.version, DOCKET_IMPORT_OPTIONS_VERSION);
		io.version = 0;
		assert_int_equal(docket_import_file(&acres, repo, seed, &io), DOCKET_EUSAGE);
		assert_non_null(strstr(docket_error_last(), "DOCKET_IMPORT_OPTIONS_INIT"));
		docket_action_result_free(&acres);
		assert_int_equal(docket_import_options_init(&io, 9), DOCKET_EUSAGE);
		assert_int_equal(docket_import_options_init(&io, DOCKET_IMPORT_OPTIONS_VERSION), 0);
		assert_int_equal(docket_import_file(&acres, repo, seed, &io), DOCKET_EUSAGE);
		assert_non_null(strstr(docket_error_last(), "--as CLERK"));
		docket_action_result_free(&acres);
		assert_int_equal(docket_import_file(&acres, repo, seed, NULL), DOCKET_EUSAGE);
		docket_action_result_free(&acres);
	}

	/* nothing was written; the history index, out-parameters first */
	assert_int_equal(docket_repo_resolve(after, repo, NULL), 0);
	assert_string_equal(before, after);
	assert_int_equal(docket_history_update(&rewritten, old_tip, repo), 0);
	assert_int_equal(rewritten, 0);
	docket_repo_free(repo);
}

static int write_two(docket_txn *txn, void *payload)
{
	int *calls = payload;
	(*calls)++;
	if (docket_txn_write(txn, "a/b/c.txt", "one", 3) < 0 || docket_txn_write(txn, "a/d.txt", "two", 3) < 0)
		return -1;
	return docket_txn_message(txn, "two files\n");
}

static int write_bad_path(docket_txn *txn, void *payload)
{
	return docket_txn_write(txn, "../escape", "x", 1);
}

static void test_transaction(void **state)
{
	docket_repo *repo = NULL;
	char path[128], commit[41], *buf = NULL;
	int calls = 0;

	snprintf(path, sizeof(path), "%s/txn.git", dir);
	assert_int_equal(docket_repo_init(&repo, path, 1), 0);
	assert_int_equal(docket_repo_transact(commit, repo, write_two, &calls), 0);
	assert_int_equal(calls, 1);
	assert_int_equal(strlen(commit), 40);
	assert_int_equal(docket_repo_read(&buf, NULL, repo, NULL, "a/b/c.txt"), 0);
	assert_string_equal(buf, "one");
	docket_free(buf);
	/* writing the same content again changes nothing and is refused as such */
	assert_int_equal(docket_repo_transact(commit, repo, write_two, &calls), DOCKET_EINVALID);
	assert_int_equal(docket_repo_transact(commit, repo, write_bad_path, NULL), DOCKET_EUSAGE);
	docket_repo_free(repo);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_refuses_non_empty),
		cmocka_unit_test(test_init_layout),
		cmocka_unit_test(test_add_seed_and_refuse_duplicate),
		cmocka_unit_test(test_options_versions),
		cmocka_unit_test(test_transaction),
	};
	int r;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
