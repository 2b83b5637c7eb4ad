/* Unit tests of annexes (workflow/annex.c): attach, verify, refusals, on real repositories. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "docket/docket.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/docket-unit-annex-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

/* A repository with the seed plan in draft and hoa, a drafter of its unit. */
static docket_repo *draft_repo(const char *name)
{
	docket_repo *repo = NULL;
	docket_add_options add = DOCKET_ADD_OPTIONS_INIT;
	docket_add_result res;
	docket_unit cttt = { "CTTT", "Bộ phận Chính trị tư tưởng", NULL, 0 };
	docket_person hoa = { "hoa", "Nguyễn Thị Hoa", "CHUYÊN VIÊN", "CTTT", "drafter", NULL, NULL };
	char path[128], seed[4096];
	const char *src = getenv("DOCKET_SRC");

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(seed, sizeof(seed), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	assert_int_equal(docket_config_add_unit(repo, NULL, &cttt), 0);
	assert_int_equal(docket_config_add_person(repo, NULL, &hoa), 0);
	add.draft = 1;
	add.actor = "hoa";
	assert_int_equal(docket_add_file(&res, repo, seed, &add), 0);
	docket_add_result_free(&res);
	return repo;
}

static void test_attach_and_verify(void **state)
{
	docket_repo *repo = draft_repo("attach");
	docket_attach_options o = DOCKET_ATTACH_OPTIONS_INIT;
	docket_action_result res;
	docket_annex_item *items = NULL;
	size_t n = 0;
	char file[128], before[41], after[41];
	static const char bytes[] = "%PDF-1.4\r\n\0\x01\xff phụ lục\n";

	(void)state;
	snprintf(file, sizeof(file), "%s/phu-luc-1.pdf", dir);
	write_file(file, bytes, sizeof(bytes) - 1);
	o.doc = "kh-2021-354";
	o.file = file;
	o.actor = "hoa";
	assert_int_equal(docket_annex_attach(&res, repo, &o), 0);
	assert_string_equal(res.id, "kh-2021-354");
	docket_action_result_free(&res);
	assert_int_equal(docket_annex_verify(&items, &n, repo, "kh-2021-354", NULL), 0);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].name, "phu-luc-1.pdf");
	assert_string_equal(items[0].type, "application/pdf");
	assert_int_equal(items[0].size, sizeof(bytes) - 1);
	assert_int_equal(strlen(items[0].sha256), 64);
	assert_true(items[0].ok);
	assert_null(items[0].problem);
	assert_null(items[0].kind);
	docket_annex_items_free(items, n);

	/* refusals: nothing moves */
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EEXISTS);
	assert_non_null(strstr(docket_error_last(), "has an annex named 'phu-luc-1.pdf' already"));
	docket_action_result_free(&res);
	o.name = "../../.docket/config.xml";
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EINVALID);
	docket_action_result_free(&res);
	o.name = "x.pdf";
	o.type = "PDF";
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "not a media type"));
	docket_action_result_free(&res);
	o.type = NULL;
	o.actor = "nobody";
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EDENIED);
	docket_action_result_free(&res);
	o.actor = "hoa";
	o.version = 2;
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EUSAGE);
	docket_action_result_free(&res);
	assert_int_equal(docket_annex_attach(&res, repo, NULL), DOCKET_EUSAGE);
	docket_action_result_free(&res);
	assert_int_equal(docket_repo_resolve(after, repo, NULL), 0);
	assert_string_equal(before, after);
	docket_repo_free(repo);
}

static void test_size_limit(void **state)
{
	docket_repo *repo = draft_repo("limit");
	docket_attach_options o = DOCKET_ATTACH_OPTIONS_INIT;
	docket_action_result res;
	docket_config *cfg = NULL;
	char file[128], *big;

	(void)state;
	assert_int_equal(docket_config_load(&cfg, repo, NULL), 0);
	assert_true(docket_config_annex_max(cfg) == DOCKET_ANNEX_MAX_DEFAULT);
	docket_config_free(cfg);
	assert_true(docket_config_annex_max(NULL) == DOCKET_ANNEX_MAX_DEFAULT);
	assert_int_equal(docket_config_set_annex_max(repo, NULL, 0), DOCKET_EUSAGE);
	assert_int_equal(docket_config_set_annex_max(repo, NULL, DOCKET_ANNEX_MAX_LIMIT + 1), DOCKET_EUSAGE);
	assert_int_equal(docket_config_set_annex_max(repo, NULL, 100), 0);
	assert_int_equal(docket_config_load(&cfg, repo, NULL), 0);
	assert_true(docket_config_annex_max(cfg) == 100);
	docket_config_free(cfg);

	snprintf(file, sizeof(file), "%s/big.bin", dir);
	assert_non_null(big = calloc(1, 101));
	write_file(file, big, 101);
	free(big);
	o.doc = "kh-2021-354";
	o.file = file;
	o.actor = "hoa";
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "it is 101 bytes, more than the annex limit of 100 bytes"));
	docket_action_result_free(&res);
	write_file(file, "", 0);
	assert_int_equal(docket_annex_attach(&res, repo, &o), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "the file is empty"));
	docket_action_result_free(&res);
	docket_repo_free(repo);
}

static void test_guess_type(void **state)
{
	(void)state;
	assert_string_equal(docket_annex_guess_type("a.PDF"), "application/pdf");
	assert_string_equal(docket_annex_guess_type("bang.xlsx"),
	                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	assert_string_equal(docket_annex_guess_type("x"), "application/octet-stream");
	assert_string_equal(docket_annex_guess_type(NULL), "application/octet-stream");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attach_and_verify),
		cmocka_unit_test(test_size_limit),
		cmocka_unit_test(test_guess_type),
	};
	int r;
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
