/* Unit tests of safe XML parsing (xml.c, doc.c): hostile input is refused with the reason. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "docket/docket.h"
#include "util_internal.h"
#include "xml_internal.h"

static int parse(const char *xml, docket_doc **out)
{
	return docket_doc_parse(out, xml, strlen(xml), "t.xml");
}

static void test_minimal_root(void **state)
{
	docket_doc *doc = NULL;
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='a' kind='plan'/>", &doc), 0);
	assert_string_equal(docket_doc_id(doc), "a");
	assert_string_equal(docket_doc_kind(doc), "plan");
	assert_null(docket_doc_state(doc));
	docket_doc_free(doc);
}

static void test_wrong_namespace(void **state)
{
	docket_doc *doc = NULL;
	assert_int_equal(parse("<document xmlns='urn:other' id='a' kind='plan'/>", &doc), DOCKET_EINVALID);
	assert_null(doc);
	assert_non_null(strstr(docket_error_last(), "expected {urn:docket:document:1}document"));
}

static void test_doctype_refused(void **state)
{
	docket_doc *doc = NULL;
	const char *xxe = "<?xml version='1.0'?><!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
	                  "<document xmlns='urn:docket:document:1' id='a' kind='plan'>&x;</document>";
	assert_int_equal(parse(xxe, &doc), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "DTD"));
	assert_null(strstr(docket_error_last(), "root:"));
}

static void test_undefined_entity(void **state)
{
	docket_doc *doc = NULL;
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='a' kind='plan'>&x;</document>", &doc),
	                 DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "not well-formed"));
}

static void test_invalid_utf8(void **state)
{
	docket_doc *doc = NULL;
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='a' kind='plan'>\n\xc3\x28</document>", &doc),
	                 DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "t.xml:2:1: invalid UTF-8"));
}

static void test_other_encoding_refused(void **state)
{
	docket_doc *doc = NULL;
	assert_int_equal(parse("<?xml version='1.0' encoding='ISO-8859-1'?><document xmlns='urn:docket:document:1' "
	                       "id='a' kind='plan'/>", &doc), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "not UTF-8"));
}

static void test_deep_nesting(void **state)
{
	size_t depth = 100000, i;
	char *buf = malloc(depth * 7 + 200), *p = buf;
	docket_doc *doc = NULL;

	p += sprintf(p, "<document xmlns='urn:docket:document:1' id='a' kind='plan'>");
	for (i = 0; i < depth; i++)
		p += sprintf(p, "<a>");
	*p = '\0';
	assert_int_equal(docket_doc_parse(&doc, buf, strlen(buf), "deep.xml"), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "depth"));
	free(buf);
}

static void test_too_large(void **state)
{
	size_t n = DOCKET_DOC_MAX_BYTES + 1;
	char *buf = malloc(n);
	docket_doc *doc = NULL;

	memset(buf, ' ', n);
	assert_int_equal(docket_doc_parse(&doc, buf, n, "big.xml"), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "at most"));
	free(buf);
}

static void test_drafting_unit(void **state)
{
	docket_doc *doc = NULL;
	char *unit;
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='a' kind='plan'><header><recipients>"
	                       "<recipient>Sở GDĐT</recipient><recipient>Lưu: VT, CTTT.</recipient>"
	                       "</recipients></header></document>", &doc), 0);
	assert_int_equal(docket_doc_drafting_unit(&unit, doc), 0);
	assert_string_equal(unit, "CTTT");
	docket_free(unit);
	docket_doc_free(doc);
}

/* --- what the library returns goes back through its allocator ------------------------------ */

/* The blocks the counting allocator handed out and has not seen freed. */
static void *blocks[4096];
static size_t nblocks;
static long foreign_frees;  /* frees through the allocator of blocks it did not make */
static long owned_frees;    /* and of blocks it made */

static void track(void *p)
{
	if (p && nblocks < sizeof(blocks) / sizeof(blocks[0]))
		blocks[nblocks++] = p;
}

static int untrack(void *p)
{
	for (size_t i = 0; i < nblocks; i++)
		if (blocks[i] == p) {
			blocks[i] = blocks[--nblocks];
			return 1;
		}
	return 0;
}

static void *counting_malloc(size_t n)
{
	void *p = malloc(n);
	track(p);
	return p;
}

static void *counting_realloc(void *p, size_t n)
{
	size_t i = nblocks;
	void *q;

	for (size_t k = 0; p && k < nblocks; k++)
		if (blocks[k] == p)
			i = k;
	if ((q = realloc(p, n)) != NULL) {
		if (i < nblocks)
			blocks[i] = q;
		else
			track(q);
	}
	return q;
}

static void counting_free(void *p)
{
	if (p && untrack(p))
		owned_frees++;
	else if (p)
		foreign_frees++;
	free(p);
}

static char *counting_strdup(const char *s)
{
	char *p = strdup(s);
	track(p);
	return p;
}

static const docket_allocator counting = { counting_malloc, counting_realloc, counting_free, counting_strdup };

/* Whether P came from the counting allocator and is not freed yet. */
static int from_allocator(void *p)
{
	for (size_t i = 0; i < nblocks; i++)
		if (blocks[i] == p)
			return 1;
	return 0;
}

static void test_getters_free_through_allocator(void **state)
{
	docket_doc *doc = NULL;
	char *year = NULL, *unit = NULL, *now = NULL, *text = NULL, *path = NULL;
	char **v;

	(void)state;
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='kh-1' kind='plan'><header>"
	                       "<date>2021-05-11</date><drafter unit='CTTT'/></header></document>", &doc), 0);
	nblocks = 0;
	foreign_frees = owned_frees = 0;
	docket__set_allocator(&counting);
	assert_int_equal(docket_doc_year(&year, doc), 0);
	assert_string_equal(year, "2021");
	assert_int_equal(docket_doc_drafting_unit(&unit, doc), 0);
	assert_string_equal(unit, "CTTT");
	assert_int_equal(docket_now(&now), 0);
	assert_int_equal(strlen(now), strlen("2021-05-11T09:30:00+07:00"));
	assert_int_equal(docket_doc_serialize(&text, NULL, doc), 0);
	assert_int_equal(docket_doc_path(&path, doc, NULL, NULL), 0);
	assert_string_equal(path, "documents/plan/2021/CTTT/kh-1.xml");
	/* every string the caller was given came from the allocator, and goes back through it */
	assert_true(from_allocator(year) && from_allocator(unit) && from_allocator(now) &&
	            from_allocator(text) && from_allocator(path));
	docket_free(year);
	docket_free(unit);
	docket_free(now);
	docket_free(text);
	docket_free(path);
	docket_free(NULL);
	assert_int_equal(owned_frees, 5);
	/* a NULL-terminated array of the library's strings */
	assert_non_null(v = counting_malloc(3 * sizeof(*v)));
	v[0] = counting_strdup("a");
	v[1] = counting_strdup("b");
	v[2] = NULL;
	docket_strv_free(v);
	docket_strv_free(NULL);
	assert_int_equal(owned_frees, 8);
	assert_int_equal(foreign_frees, 0);
	docket__set_allocator(NULL);

	/* absent fields: NULL, not an error */
	docket_doc_free(doc);
	assert_int_equal(parse("<document xmlns='urn:docket:document:1' id='a' kind='plan'/>", &doc), 0);
	assert_int_equal(docket_doc_year(&year, doc), 0);
	assert_null(year);
	assert_int_equal(docket_doc_drafting_unit(&unit, doc), 0);
	assert_null(unit);
	assert_int_equal(docket_doc_year(NULL, doc), DOCKET_EUSAGE);
	assert_int_equal(docket_now(NULL), DOCKET_EUSAGE);
	docket_doc_free(doc);
}

/* Every free function of the public API accepts NULL. */
static void test_frees_accept_null(void **state)
{
	(void)state;
	docket_log_free(NULL, 0);
	docket_diff_free(NULL, 0);
	docket_verify_items_free(NULL, 0);
	docket_audit_result_free(NULL);
	docket_strv_free(NULL);
	docket_free(NULL);
	docket_config_free(NULL);
	docket_doc_free(NULL);
	docket_doc_summary_free(NULL);
	docket_tpl_vars_free(NULL);
	docket_batch_result_free(NULL);
	docket_rollup_free(NULL);
	docket_history_list_free(NULL);
	docket_repo_free(NULL);
	docket_key_free(NULL);
	docket_cert_free(NULL);
	docket_sig_results_free(NULL, 0);
	docket_add_result_free(NULL);
	docket_findings_free(NULL);
	docket_schema_free(NULL);
	docket_workflow_free(NULL);
	docket_action_result_free(NULL);
}

/* The layout's annex paths: ID.annexes/NAME beside ID.xml, nothing looser (layout.c). */
static void test_layout_annexes(void **state)
{
	static const char *const good[] = {
		"documents/plan/2021/CTTT/kh-2021-354.annexes/phu-luc-1.pdf",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/Phu_Luc.2.XLSX",
		NULL
	};
	static const char *const bad[] = {
		"documents/plan/2021/CTTT/kh-2021-354.annexes/.hidden",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/..",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/a b.pdf",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/a\nb",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/-x",
		"documents/plan/2021/CTTT/kh-2021-354.annexes/sub/x.pdf",
		"documents/plan/2021/CTTT/other/x.pdf",
		"documents/plan/2021/CTTT/.annexes/x.pdf",
		"documents/plan/2021/CTTT/KH.annexes/x.pdf",
		"documents/plan/2021/CTTT/kh-2021-354.annexes",
		NULL
	};
	char name[128];

	(void)state;
	for (const char *const *p = good; *p; p++)
		assert_null(docket_layout_check(*p, 1));
	for (const char *const *p = bad; *p; p++) {
		const char *why = docket_layout_check(*p, 1);
		if (!why)
			fail_msg("accepted: %s", *p);
	}
	/* the folder itself, as a tree is read */
	assert_null(docket_layout_check("documents/plan/2021/CTTT/kh-2021-354.annexes", 0));
	assert_true(docket_annex_name_valid("phu-luc-1.pdf"));
	assert_false(docket_annex_name_valid("../x"));
	assert_false(docket_annex_name_valid(""));
	memset(name, 'a', 101);
	name[101] = '\0';
	assert_false(docket_annex_name_valid(name));
	name[100] = '\0';
	assert_true(docket_annex_name_valid(name));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_root),
		cmocka_unit_test(test_layout_annexes),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_undefined_entity),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_other_encoding_refused),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_drafting_unit),
		cmocka_unit_test(test_getters_free_through_allocator),
		cmocka_unit_test(test_frees_accept_null),
	};
	int r;
	docket_global_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	docket_global_shutdown();
	return r;
}
