/* Unit tests of docket_render_html (audit/page.c over xml/render.c): options checked, the
 * verdicts reach page.xsl as given or as verified, never as the document claims. And of
 * docket_render_text (audit/names.c): arguments checked, ids printed by name from the
 * repository's configuration, as ids without a repository. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "docket/docket.h"

#define SEED DOCKET_TEST_SRC "/examples/354-KH-PGDDT.xml"
#define TASK DOCKET_TEST_SRC "/tests/resources/valid/task-assignment.xml"
#define SIGNED DOCKET_TEST_SRC "/tests/page/fixtures/kh-2021-354-issued.xml"
#define CA DOCKET_TEST_SRC "/tests/page/fixtures/ca.pem"
#define VALID "Chữ ký hợp lệ (đã kiểm tra)"
#define INVALID "CHỮ KÝ KHÔNG HỢP LỆ"
#define UNKNOWN "Không xác định được hiệu lực chữ ký"
#define UNVERIFIED "Chưa kiểm tra (không có chứng thư gốc tin cậy)"

static size_t occurrences(const char *s, const char *what)
{
	size_t n = 0;
	while ((s = strstr(s, what))) {
		n++;
		s += strlen(what);
	}
	return n;
}

static char *render(const char *file, const docket_render_options *opts, int want)
{
	docket_doc *doc = NULL;
	char *out = NULL;
	size_t len = 0;

	assert_int_equal(docket_doc_load_file(&doc, file), 0);
	assert_int_equal(docket_render_html(&out, &len, doc, NULL, NULL, opts), want);
	docket_doc_free(doc);
	if (want == 0) {
		assert_non_null(out);
		assert_int_equal(strlen(out), len);
	} else {
		assert_null(out);
	}
	return out;
}

static void test_defaults(void **state)
{
	char *out = render(SEED, NULL, 0);
	assert_non_null(strstr(out, "<!DOCTYPE html>"));
	assert_non_null(strstr(out, "Số: 354/KH-PGDĐT"));
	assert_non_null(strstr(out, "Cẩm Phả, ngày 11 tháng 5 năm 2021"));
	assert_null(strstr(out, "class=\"state\""));
	docket_free(out);
	out = render(SIGNED, NULL, 0);
	assert_int_equal(occurrences(out, UNVERIFIED), 3);
	assert_int_equal(occurrences(out, VALID), 0);
	docket_free(out);
}

static void test_options_checked(void **state)
{
	docket_render_options o = DOCKET_RENDER_OPTIONS_INIT;
	docket_render_sig bad[] = { { "sig-1 sig-2=valid", DOCKET_RENDER_SIG_VALID } };

	assert_int_equal(docket_render_options_init(&o, 99), DOCKET_EUSAGE);
	assert_int_equal(docket_render_options_init(&o, DOCKET_RENDER_OPTIONS_VERSION), 0);
	o.version = 2;
	render(SEED, &o, DOCKET_EUSAGE);
	o.version = DOCKET_RENDER_OPTIONS_VERSION;
	o.state = "draft' or '1";
	render(SEED, &o, DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "bad state"));
	o.state = NULL;
	o.sigs = bad;
	o.nsigs = 1;
	render(SIGNED, &o, DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "bad signature id"));
}

static void test_state(void **state)
{
	docket_render_options o = DOCKET_RENDER_OPTIONS_INIT;
	char *out;

	o.state = "draft";
	out = render(SEED, &o, 0);
	assert_non_null(strstr(out, "<div class=\"state\">DỰ THẢO</div>"));
	docket_free(out);
}

static void test_caller_verdicts(void **state)
{
	docket_render_options o = DOCKET_RENDER_OPTIONS_INIT;
	docket_render_sig v[] = { { "sig-1", DOCKET_RENDER_SIG_VALID }, { "sig-2", DOCKET_RENDER_SIG_INVALID },
	                          { "sig-3", DOCKET_RENDER_SIG_UNKNOWN }, { "sig-30", DOCKET_RENDER_SIG_VALID } };
	char *out;

	o.sigs = v;
	o.nsigs = 4;
	out = render(SIGNED, &o, 0);
	assert_int_equal(occurrences(out, VALID), 1);
	assert_int_equal(occurrences(out, INVALID), 1);
	assert_int_equal(occurrences(out, UNKNOWN), 1);
	assert_int_equal(occurrences(out, UNVERIFIED), 0);
	docket_free(out);
}

static void test_trust(void **state)
{
	docket_render_options o = DOCKET_RENDER_OPTIONS_INIT;
	docket_render_sig lie[] = { { "sig-1", DOCKET_RENDER_SIG_INVALID } };
	char *out;

	/* with a trust anchor the library's own verdicts win over the caller's */
	o.trust = CA;
	o.sigs = lie;
	o.nsigs = 1;
	out = render(SIGNED, &o, 0);
	assert_int_equal(occurrences(out, VALID), 3);
	assert_int_equal(occurrences(out, INVALID), 0);
	docket_free(out);
	o.trust = DOCKET_TEST_SRC "/no/such/ca.pem";
	render(SIGNED, &o, DOCKET_ENOTFOUND);
}

static void test_text_arguments(void **state)
{
	docket_doc *doc = NULL;
	char *out = (char *)"x";
	size_t len = 7;

	(void)state;
	assert_int_equal(docket_doc_load_file(&doc, TASK), 0);
	assert_int_equal(docket_render_text(NULL, &len, doc, NULL, NULL), DOCKET_EUSAGE);
	assert_int_equal(docket_render_text(&out, &len, NULL, NULL, NULL), DOCKET_EUSAGE);
	assert_null(out);
	assert_int_equal(len, 0);
	docket_doc_free(doc);
}

static void test_text_names(void **state)
{
	char dir[] = "/tmp/docket-unit-render-XXXXXX", path[96], cmd[128];
	docket_unit cttt = { "CTTT", "Bộ phận Chính trị tư tưởng", NULL, 0 };
	docket_unit school = { "TH-CAMPHU", "Trường Tiểu học Cẩm Phú", NULL, 1 };
	docket_person lan = { "lan", "Lê Thị Lan", "PHÓ TRƯỞNG PHÒNG", "CTTT", "admin", NULL, NULL };
	docket_repo *repo = NULL;
	docket_doc *doc = NULL;
	char *out = NULL;
	size_t len = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_true(snprintf(path, sizeof(path), "%s/repo", dir) < (int)sizeof(path));
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	assert_int_equal(docket_doc_load_file(&doc, TASK), 0);

	/* without a repository: the ids as the task has them */
	assert_int_equal(docket_render_text(&out, &len, doc, NULL, NULL), 0);
	assert_int_equal(strlen(out), len);
	assert_non_null(strstr(out, "\nĐơn vị giao: CTTT (lan)\nĐơn vị thực hiện: TH-CAMPHU\n"));
	docket_free(out);

	/* a repository that knows none of them yet: the same */
	assert_int_equal(docket_render_text(&out, &len, doc, repo, NULL), 0);
	assert_non_null(strstr(out, "\nĐơn vị giao: CTTT (lan)\nĐơn vị thực hiện: TH-CAMPHU\n"));
	docket_free(out);

	/* once configured: their names, read at the tip */
	assert_int_equal(docket_config_add_unit(repo, NULL, &cttt), 0);
	assert_int_equal(docket_config_add_unit(repo, NULL, &school), 0);
	assert_int_equal(docket_config_add_person(repo, NULL, &lan), 0);
	assert_int_equal(docket_render_text(&out, &len, doc, repo, NULL), 0);
	assert_non_null(strstr(out, "\nĐơn vị giao: Bộ phận Chính trị tư tưởng (Lê Thị Lan)\n"
	                            "Đơn vị thực hiện: Trường Tiểu học Cẩm Phú\n"));
	/* the plan is not in the repository: cited by its id */
	assert_non_null(strstr(out, "\nCăn cứ: kh-2021-354, mục V.2\n"));
	docket_free(out);

	/* at a revision before the configuration: the ids again */
	assert_int_equal(docket_render_text(&out, &len, doc, repo, "HEAD~3"), 0);
	assert_non_null(strstr(out, "\nĐơn vị giao: CTTT (lan)\n"));
	docket_free(out);

	docket_doc_free(doc);
	docket_repo_free(repo);
	assert_true(snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir) < (int)sizeof(cmd));
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_options_checked),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_caller_verdicts),
		cmocka_unit_test(test_trust),
		cmocka_unit_test(test_text_arguments),
		cmocka_unit_test(test_text_names),
	};
	int r;
	docket_global_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	docket_global_shutdown();
	return r;
}
