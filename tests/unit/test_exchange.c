/*
 * Unit tests of the edXML exchange (exchange.c) against the library, in real repositories in a
 * temporary directory: the external organisations of the configuration; the seed plan (which
 * carries its number and date) exported, validated and received in a second repository
 * (arrival number 01, the original byte for byte), a second receipt refused as a duplicate;
 * and the refusals that must write nothing (a DTD, a status message, no clerk, not issued).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "docket/docket.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "/tmp/docket-unit-exchange-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static docket_repo *make(const char *name, const char *org_name, const char *abbr, const char *organ_id)
{
	docket_repo *repo = NULL;
	char path[128];
	docket_org org = { org_name, abbr, NULL, "Cẩm Phả", organ_id };
	docket_unit units[] = { { "CTTT", "Bộ phận Chính trị tư tưởng", NULL, 0 }, { "VT", "Văn thư", NULL, 0 } };
	docket_person people[] = {
		{ "hoa", "Nguyễn Thị Hoa", "CHUYÊN VIÊN", "CTTT", "drafter", NULL, NULL },
		{ "thu", "Phạm Thị Thu", "VĂN THƯ", "VT", "clerk", NULL, NULL },
	};

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(docket_repo_init(&repo, path, 0), 0);
	assert_int_equal(docket_config_set_org(repo, NULL, &org), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(docket_config_add_unit(repo, NULL, &units[i]), 0);
	for (size_t i = 0; i < 2; i++)
		assert_int_equal(docket_config_add_person(repo, NULL, &people[i]), 0);
	return repo;
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void tip(char out[41], docket_repo *repo)
{
	assert_int_equal(docket_repo_resolve(out, repo, NULL), 0);
}

static void test_externals(void **state)
{
	docket_repo *repo = make("ext", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT", "000.31.21.H44");
	docket_external a = { "sgddt", "Sở GDĐT", "000.00.12.H44", NULL }, b = a, self = a, x;
	docket_config *cfg = NULL;

	(void)state;
	assert_int_equal(docket_config_set_external(repo, NULL, &a), 0);
	b.id = "other";
	assert_int_equal(docket_config_set_external(repo, NULL, &b), DOCKET_EEXISTS);  /* its exchange id */
	self.id = "self";
	self.organ_id = "000.31.21.H44";
	assert_int_equal(docket_config_set_external(repo, NULL, &self), DOCKET_EEXISTS); /* our own */
	a.name = "Sở Giáo dục và Đào tạo";
	assert_int_equal(docket_config_set_external(repo, NULL, &a), 0);               /* changed in place */
	assert_int_equal(docket_config_load(&cfg, repo, NULL), 0);
	assert_int_equal(docket_config_external_count(cfg), 1);
	assert_int_equal(docket_config_external_by_organ(&x, cfg, "000.00.12.H44"), 0);
	assert_string_equal(x.id, "sgddt");
	assert_string_equal(x.name, "Sở Giáo dục và Đào tạo");
	assert_null(x.ca);
	assert_int_equal(docket_config_external(&x, cfg, "nobody"), DOCKET_ENOTFOUND);
	docket_config_free(cfg);
	docket_repo_free(repo);
}

static void test_round_trip(void **state)
{
	docket_repo *p = make("pgd", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT", "000.31.21.H44");
	docket_repo *s = make("sgd", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "000.00.12.H44");
	docket_import_options imp = DOCKET_IMPORT_OPTIONS_INIT;
	docket_action_result imported;
	docket_export_options eo = DOCKET_EXPORT_OPTIONS_INIT;
	docket_receive_options ro = DOCKET_RECEIVE_OPTIONS_INIT;
	docket_receive_result rr;
	char *env = NULL, *orig = NULL, *stored = NULL, *st = NULL, *none = NULL, before[41], after[41], path[256];
	size_t len = 0, olen = 0, slen = 0, stlen = 0;
	const char *src = getenv("DOCKET_SRC");

	(void)state;
	assert_non_null(src);
	snprintf(path, sizeof(path), "%s/examples/354-KH-PGDDT.xml", src);
	/* the seed plan was issued on paper with its number: recorded by the clerk with import */
	imp.actor = "thu";
	assert_int_equal(docket_import_file(&imported, p, path, &imp), 0);
	docket_action_result_free(&imported);

	eo.now = "2021-05-11T10:00:00+07:00";
	assert_int_equal(docket_export_edxml(&env, &len, p, "kh-2021-354", &eo), 0);
	assert_int_equal(strlen(env), len);
	assert_non_null(strstr(env, "<edXML:DocumentId>000.31.21.H44,2021/05/11,354/KH-PGDĐT</edXML:DocumentId>"));
	assert_non_null(strstr(env, "<edXML:Timestamp>2021-05-11T10:00:00+07:00</edXML:Timestamp>"));

	/* not a clerk: refused, nothing written */
	tip(before, s);
	ro.actor = "hoa";
	ro.now = "2021-05-13T08:00:00+07:00";
	assert_int_equal(docket_receive(&rr, s, env, len, &ro), DOCKET_EDENIED);
	docket_receive_result_free(&rr);
	tip(after, s);
	assert_string_equal(before, after);

	ro.actor = "thu";
	assert_int_equal(docket_receive(&rr, s, env, len, &ro), 0);
	assert_string_equal(rr.id, "den-2021-01");
	assert_string_equal(rr.number, "01");
	assert_int_equal(rr.year, 2021);
	assert_string_equal(rr.code, "354/KH-PGDĐT");
	assert_string_equal(rr.date, "2021-05-11");
	assert_int_equal(rr.sigs_checked, 0);  /* the sender is not configured */
	assert_non_null(rr.sigs_note);
	docket_receive_result_free(&rr);

	/* byte for byte */
	assert_int_equal(docket_incoming_original(&orig, &olen, s, "den-2021-01", NULL, NULL), 0);
	assert_int_equal(docket_repo_read(&stored, &slen, p, NULL, "documents/plan/2021/CTTT/kh-2021-354.xml"), 0);
	assert_int_equal(olen, slen);
	assert_memory_equal(orig, stored, slen);

	/* the status message; then the same envelope again is a duplicate */
	assert_int_equal(docket_export_status(&st, &stlen, s, "den-2021-01", DOCKET_EDXML_STATUS_LATEST, NULL), 0);
	assert_non_null(strstr(st, "<edXML:StatusCode>03</edXML:StatusCode>"));
	assert_int_equal(docket_export_status(&none, NULL, s, "den-2021-01", DOCKET_EDXML_STATUS_DONE, NULL),
	                 DOCKET_EDENIED);
	assert_null(none);
	tip(before, s);
	assert_int_equal(docket_receive(&rr, s, env, len, &ro), DOCKET_EEXISTS);
	assert_non_null(strstr(docket_error_last(), "den-2021-01"));
	docket_receive_result_free(&rr);
	tip(after, s);
	assert_string_equal(before, after);

	/* an incoming document is not exported as a document */
	docket_free(env);
	env = NULL;
	assert_int_equal(docket_export_edxml(&env, &len, s, "den-2021-01", NULL), DOCKET_EINVALID);

	docket_free(orig);
	docket_free(stored);
	docket_free(st);
	docket_repo_free(p);
	docket_repo_free(s);
}

static void test_refusals(void **state)
{
	docket_repo *s = make("refuse", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "SGDĐT", "000.00.12.H44");
	docket_receive_options ro = DOCKET_RECEIVE_OPTIONS_INIT;
	docket_receive_result rr;
	const char *src = getenv("DOCKET_SRC");
	const char *files[] = { "dtd-xxe.edxml", "billion-laughs.edxml", "status-message.edxml" };
	char path[256], before[41], after[41], *buf;
	size_t len;

	(void)state;
	ro.actor = "thu";
	tip(before, s);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/tests/resources/exchange/%s", src, files[i]);
		buf = read_file(path, &len);
		assert_int_equal(docket_receive(&rr, s, buf, len, &ro), DOCKET_EINVALID);
		assert_null(rr.id);
		docket_receive_result_free(&rr);
		free(buf);
	}
	assert_int_equal(docket_receive(&rr, s, "<not-edxml/>", 12, &ro), DOCKET_EINVALID);
	docket_receive_result_free(&rr);
	ro.version = 99;
	assert_int_equal(docket_receive(&rr, s, "<x/>", 4, &ro), DOCKET_EUSAGE);
	docket_receive_result_free(&rr);
	tip(after, s);
	assert_string_equal(before, after);
	docket_repo_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_externals),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refusals),
	};
	docket_global_init();
	return cmocka_run_group_tests(tests, setup, teardown);
}
