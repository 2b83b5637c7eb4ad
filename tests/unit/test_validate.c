/* Unit tests of validation (schema.c, validate.c): the seed is valid; each rule fires. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "docket/docket.h"

static char *seed;
static size_t seed_len;
static docket_schema *schema;

static int setup(void **state)
{
	char path[4096];
	const char *src = getenv("DOCKET_SRC");
	snprintf(path, sizeof(path), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	if (docket_doc_read_file(&seed, &seed_len, path) < 0)
		return -1;
	return docket_schema_builtin(&schema);
}

static int teardown(void **state)
{
	docket_free(seed);
	docket_schema_free(schema);
	return 0;
}

/* Validate BASE (the seed when NULL) with FROM replaced by TO; return the findings. */
static docket_findings *validate_text_edit(const char *base, const char *from, const char *to)
{
	docket_findings *f = NULL;
	char *copy;
	const char *text = base ? base : seed;
	size_t text_len = strlen(text);
	const char *hit = from ? strstr(text, from) : NULL;
	size_t n;

	assert_true(from == NULL || hit != NULL);
	n = text_len + (to ? strlen(to) : 0) + 1;
	copy = malloc(n);
	if (hit) {
		size_t pre = (size_t)(hit - text);
		memcpy(copy, text, pre);
		strcpy(copy + pre, to);
		strcat(copy, hit + strlen(from));
	} else {
		memcpy(copy, text, text_len + 1);
	}
	assert_int_equal(docket_findings_new(&f), 0);
	assert_int_equal(docket_validate_buffer(f, schema, copy, strlen(copy), "seed.xml", NULL, NULL), 0);
	free(copy);
	return f;
}

static docket_findings *validate_edit(const char *from, const char *to)
{
	return validate_text_edit(NULL, from, to);
}

/* tests/resources/valid/NAME, read whole (docket_free it) */
static char *fixture(const char *name)
{
	char path[4096], *buf = NULL;
	size_t len = 0;
	const char *src = getenv("DOCKET_SRC");
	snprintf(path, sizeof(path), "%s/tests/resources/valid/%s", src ? src : ".", name);
	assert_int_equal(docket_doc_read_file(&buf, &len, path), 0);
	return buf;
}

static void expect_one(docket_findings *f, const char *needle)
{
	size_t i;
	int found = 0;
	for (i = 0; i < docket_findings_count(f); i++) {
		const docket_finding *x = docket_findings_get(f, i);
		if (strstr(x->message, needle))
			found = 1;
		else
			fprintf(stderr, "other finding: %s:%d:%d: %s\n", x->file, x->line, x->col, x->message);
	}
	if (!found)
		fail_msg("no finding mentions '%s'", needle);
	docket_findings_free(f);
}

static void test_seed_valid(void **state)
{
	docket_findings *f = validate_edit(NULL, NULL);
	for (size_t i = 0; i < docket_findings_count(f); i++)
		fprintf(stderr, "%s\n", docket_findings_get(f, i)->message);
	assert_int_equal(docket_findings_count(f), 0);
	docket_findings_free(f);
}

static void test_percent_range(void **state)
{
	expect_one(validate_edit("year=\"2030\" value=\"60\"", "year=\"2030\" value=\"160\""), "outside 0..100");
}

static void test_year_outside_period(void **state)
{
	expect_one(validate_edit("year=\"2030\" value=\"60\"", "year=\"2031\" value=\"60\""), "outside the plan period");
}

static void test_number_padding(void **state)
{
	docket_findings *f = validate_edit("<number>354</number>", "<number>7</number>");
	assert_int_equal(docket_findings_count(f), 1);
	/* the schema's pattern says it first: '7' must be written '07' */
	assert_non_null(strstr(docket_findings_get(f, 0)->message, "'7'"));
	assert_non_null(strstr(docket_findings_get(f, 0)->message, "number"));
	assert_string_equal(docket_findings_get(f, 0)->file, "seed.xml");
	assert_true(docket_findings_get(f, 0)->line > 1);
	assert_true(docket_findings_get(f, 0)->col > 1);
	docket_findings_free(f);
}

static void test_notation_type(void **state)
{
	expect_one(validate_edit("<notation>KH-PGDĐT</notation>", "<notation>QĐ-PGDĐT</notation>"),
	           "but the document type is 'KH'");
}

static void test_notation_issuer(void **state)
{
	expect_one(validate_edit("<notation>KH-PGDĐT</notation>", "<notation>KH-SGDĐT</notation>"),
	           "issuer's abbreviation is 'PGDĐT'");
}

static void test_recipients_end_with_luu(void **state)
{
	expect_one(validate_edit("Lưu: VT, CTTT", "VT, CTTT"), "must end with 'Lưu");
}

static void test_nfc(void **state)
{
	/* "ư" decomposed: u + U+031B (combining horn) */
	expect_one(validate_edit("Lê Thị Lan", "Le\xcc\x82 Thị Lan"), "NFC");
}

static void expect_none(docket_findings *f)
{
	for (size_t i = 0; i < docket_findings_count(f); i++)
		fprintf(stderr, "finding: %s\n", docket_findings_get(f, i)->message);
	assert_int_equal(docket_findings_count(f), 0);
	docket_findings_free(f);
}

static void test_kind_document_holds_body(void **state)
{
	expect_one(validate_edit("kind=\"plan\"", "kind=\"document\""),
	           "the document's kind is 'document' but its content holds no <body>");
}

static void test_structured_part_once(void **state)
{
	/* a second task list among the plan's parts: the schema's choice lets it through */
	expect_one(validate_edit("<funding num=\"IV\"", "<tasks num=\"IIIa\" title=\"X\"><p>x</p></tasks><funding num=\"IV\""),
	           "a plan has one <tasks> at most; merge this one into the first (line 143)");
	{
		char *r = fixture("report-steering-board.xml");
		expect_one(validate_text_edit(r, "<proposals>", "<results><result indicator=\"3\" value=\"1\"/></results><proposals>"),
		           "a report has one <results> at most");
		docket_free(r);
	}
}

static void test_report_plan_named(void **state)
{
	char *r = fixture("report-steering-board.xml");
	/* cited by code and date only: valid; by nothing: a finding */
	expect_none(validate_text_edit(r, NULL, NULL));
	expect_one(validate_text_edit(r, "<plan code=\"05/KH-BCĐ389-UBND\" date=\"2023-01-10\"/>", "<plan date=\"2023-01-10\"/>"),
	           "the plan reported on is named by neither its id (ref) nor its number (code)");
	docket_free(r);
}

static void test_letter_notation_groups(void **state)
{
	char *cv = fixture("document-cong-van.xml"), *edited;
	size_t n;

	expect_none(validate_text_edit(cv, NULL, NULL));
	/* an issuer abbreviation of two groups, and the drafting unit after it */
	n = strlen(cv) + 64;
	assert_non_null(edited = malloc(n));
	{
		const char *a = strstr(cv, "<abbr>SGDĐT</abbr>"), *b = strstr(cv, "<notation>SGDĐT-KHTC</notation>");
		assert_non_null(a);
		assert_non_null(b);
		snprintf(edited, n, "%.*s<abbr>BCĐ389-UBND</abbr>%.*s<notation>BCĐ389-UBND-VP</notation>%s",
		         (int)(a - cv), cv, (int)(b - a - strlen("<abbr>SGDĐT</abbr>")), a + strlen("<abbr>SGDĐT</abbr>"),
		         b + strlen("<notation>SGDĐT-KHTC</notation>"));
	}
	expect_none(validate_text_edit(edited, NULL, NULL));
	expect_one(validate_text_edit(edited, "<notation>BCĐ389-UBND-VP</notation>", "<notation>BCĐ389-VP</notation>"),
	           "of an official letter must begin with the issuer's abbreviation 'BCĐ389-UBND'");
	expect_one(validate_text_edit(edited, "<notation>BCĐ389-UBND-VP</notation>", "<notation>BCĐ389-UBNDX</notation>"),
	           "of an official letter must begin with the issuer's abbreviation 'BCĐ389-UBND'");
	free(edited);
	docket_free(cv);
}

static void test_fixtures_agree_with_names(void **state)
{
	/* every fixture in tests/resources/invalid must have at least one finding;
	 * every one in tests/resources/valid none */
	const char *src = getenv("DOCKET_SRC");
	const char *dirs[2] = { "valid", "invalid" };
	char cmd[4096], line[4096];
	for (int d = 0; d < 2; d++) {
		FILE *ls;
		snprintf(cmd, sizeof(cmd), "ls %s/tests/resources/%s/*.xml", src ? src : ".", dirs[d]);
		assert_non_null(ls = popen(cmd, "r"));
		while (fgets(line, sizeof(line), ls)) {
			docket_findings *f = NULL;
			char *buf = NULL;
			size_t len = 0;
			line[strcspn(line, "\n")] = '\0';
			assert_int_equal(docket_doc_read_file(&buf, &len, line), 0);
			assert_int_equal(docket_findings_new(&f), 0);
			assert_int_equal(docket_validate_buffer(f, schema, buf, len, line, NULL, NULL), 0);
			if ((d == 0) != (docket_findings_count(f) == 0))
				fail_msg("%s: %zu findings", line, docket_findings_count(f));
			docket_findings_free(f);
			docket_free(buf);
		}
		pclose(ls);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_valid),
		cmocka_unit_test(test_percent_range),
		cmocka_unit_test(test_year_outside_period),
		cmocka_unit_test(test_number_padding),
		cmocka_unit_test(test_notation_type),
		cmocka_unit_test(test_notation_issuer),
		cmocka_unit_test(test_recipients_end_with_luu),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_kind_document_holds_body),
		cmocka_unit_test(test_structured_part_once),
		cmocka_unit_test(test_report_plan_named),
		cmocka_unit_test(test_letter_notation_groups),
		cmocka_unit_test(test_fixtures_agree_with_names),
	};
	int r;
	docket_global_init();
	r = cmocka_run_group_tests(tests, setup, teardown);
	docket_global_shutdown();
	return r;
}
