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
	unit = docket_doc_drafting_unit(doc);
	assert_string_equal(unit, "CTTT");
	free(unit);
	docket_doc_free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal_root),
		cmocka_unit_test(test_wrong_namespace),
		cmocka_unit_test(test_doctype_refused),
		cmocka_unit_test(test_undefined_entity),
		cmocka_unit_test(test_invalid_utf8),
		cmocka_unit_test(test_other_encoding_refused),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_too_large),
		cmocka_unit_test(test_drafting_unit),
	};
	int r;
	docket_global_init();
	r = cmocka_run_group_tests(tests, NULL, NULL);
	docket_global_shutdown();
	return r;
}
