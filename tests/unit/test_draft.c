/*
 * Unit tests of drafting (template.c, draft.c, draftcheck.c, rollup.c): the template language,
 * the exact arithmetic of rates and targets, the floor rule of unit plans, the completeness
 * check at submission and the aggregation of approved reports - against real repositories.
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
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "docket/docket.h"
#include "draft_internal.h"

static char dir[64];

static int setup(void **state)
{
	strcpy(dir, "/tmp/docket-unit-draft-XXXXXX");
	setenv("DOCKET_NOW", "2025-12-20T09:00:00+07:00", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* --- arithmetic ----------------------------------------------------------------------------- */

static const char *rate(uint64_t n, uint64_t d, const char *target)
{
	static char buf[64];
	assert_int_equal(docket_rate_format(buf, sizeof(buf), n, d, target), 0);
	return buf;
}

static void test_rate_format(void **state)
{
	char buf[64];

	assert_string_equal(rate(797, 800, NULL), "99.63");       /* 99.625 rounds half up */
	assert_string_equal(rate(398, 400, NULL), "99.5");
	assert_string_equal(rate(297, 300, NULL), "99");
	assert_string_equal(rate(6, 7, NULL), "85.71");
	assert_string_equal(rate(2, 3, NULL), "66.67");
	assert_string_equal(rate(1, 3, NULL), "33.33");
	assert_string_equal(rate(1, 2000, NULL), "0.05");
	assert_string_equal(rate(1, 1500, NULL), "0.07");
	assert_string_equal(rate(9999, 10000, NULL), "99.99");
	assert_string_equal(rate(0, 7, NULL), "0");
	assert_string_equal(rate(5, 5, NULL), "100");
	/* 0.07995 % is below the ceiling 0.08 although it rounds to it: written so it shows */
	assert_string_equal(rate(7995, 10000000, NULL), "0.08");
	assert_string_equal(rate(7995, 10000000, "0.08"), "0.07995");
	/* 99.994 % is above 99.99 but rounds to it: written so it shows (for any comparison) */
	assert_string_equal(rate(99994, 100000, "99.99"), "99.994");
	assert_string_equal(rate(99994, 100000, "99.9"), "99.99");
	/* 99.986 % rounds up to 99.99 but misses it */
	assert_string_equal(rate(99986, 100000, "99.99"), "99.986");
	assert_int_equal(docket_rate_format(buf, sizeof(buf), 1, 0, NULL), DOCKET_EUSAGE);
}

static int met(const char *cmp, const char *target, uint64_t n, uint64_t d, int is_rate)
{
	int m = -1;
	assert_int_equal(docket_target_met(&m, cmp, target, n, d, is_rate), 0);
	return m;
}

static void test_target_met(void **state)
{
	int m;

	assert_int_equal(met("ge", "99.5", 797, 800, 1), 1);
	assert_int_equal(met("ge", "99.5", 1989, 2000, 1), 0);     /* 99.45 */
	assert_int_equal(met("ge", "99.99", 9999, 10000, 1), 1);   /* equal meets ge */
	assert_int_equal(met("gt", "99.99", 9999, 10000, 1), 0);
	assert_int_equal(met("lt", "0.08", 1, 2000, 1), 1);         /* 0.05 < 0.08 */
	assert_int_equal(met("lt", "0.08", 1, 1250, 1), 0);         /* 0.08 is not below 0.08 */
	assert_int_equal(met("le", "0.08", 1, 1250, 1), 1);
	assert_int_equal(met("lt", "0.02", 1, 2000, 1), 0);
	assert_int_equal(met("lt", "0.08", 7995, 10000000, 1), 1);  /* 0.07995 */
	assert_int_equal(met("eq", "100", 3, 3, 1), 1);
	assert_int_equal(met("eq", "100", 2, 3, 1), 0);
	/* counts: NUM / DEN without the factor 100 */
	assert_int_equal(met("ge", "12", 12, 1, 0), 1);
	assert_int_equal(met("ge", "12.5", 125, 10, 0), 1);
	assert_int_equal(met("lt", "3", 3, 1, 0), 0);
	/* averaging percentages would decide otherwise: the three schools' 0, 0.33 and 0 average
	   0.11 (not met) while the pooled rate 1/2000 = 0.05 meets the ceiling */
	assert_int_equal(met("lt", "0.08", 0 + 1 + 0, 1200 + 300 + 500, 1), 1);
	assert_int_equal(docket_target_met(&m, "gte", "1", 1, 1, 1), DOCKET_EUSAGE);
	assert_int_equal(docket_target_met(&m, "ge", "abc", 1, 1, 1), DOCKET_EUSAGE);
	assert_int_equal(docket_target_met(&m, "ge", "1", 1, 0, 1), DOCKET_EUSAGE);
}

static void test_not_weaker(void **state)
{
	assert_int_equal(docket_target_not_weaker("ge", "99.5", "ge", "99.0"), 0);
	assert_int_equal(docket_target_not_weaker("ge", "99.5", "ge", "99.5"), 1);
	assert_int_equal(docket_target_not_weaker("ge", "99.5", "ge", "99.50"), 1);
	assert_int_equal(docket_target_not_weaker("ge", "99.5", "ge", "99.7"), 1);
	assert_int_equal(docket_target_not_weaker("ge", "99.5", "gt", "99.5"), 1);
	assert_int_equal(docket_target_not_weaker("gt", "99.5", "ge", "99.5"), 0);
	assert_int_equal(docket_target_not_weaker("lt", "0.08", "lt", "0.1"), 0);
	assert_int_equal(docket_target_not_weaker("lt", "0.08", "lt", "0.05"), 1);
	assert_int_equal(docket_target_not_weaker("lt", "0.08", "le", "0.08"), 0);
	assert_int_equal(docket_target_not_weaker("le", "0.08", "lt", "0.08"), 1);
	assert_int_equal(docket_target_not_weaker("le", "0.08", "le", "0.09"), 0);
	assert_int_equal(docket_target_not_weaker("ge", "55", "le", "60"), 0);
	assert_int_equal(docket_target_not_weaker("eq", "100", "eq", "100"), 1);
	assert_int_equal(docket_target_not_weaker("eq", "100", "ge", "100"), 0);
	assert_int_equal(docket_target_not_weaker("ge", "1", "ge", "x"), DOCKET_EUSAGE);
	assert_int_equal(docket_target_not_weaker("ne", "1", "ge", "1"), DOCKET_EUSAGE);
}

/* --- the template language ------------------------------------------------------------------- */

static const char tpl[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!-- a note for the template's author -->\n"
	"<document xmlns=\"urn:docket:document:1\" xmlns:t=\"urn:docket:template:1\" id=\"{{id}}\" kind=\"plan\">\n"
	"  <a x=\"{{who|nobody}} &amp; {{missing|{{id}}-fallback}}\" y=\"{{empty|}}\" t:optional=\"y\">{{id}}</a>\n"
	"  <!-- dropped -->\n"
	"  <list>\n"
	"    <i t:repeat=\"items\" n=\"{{n}}\" id=\"{{id}}\"><j t:repeat=\"subs\">{{v}}</j></i>\n"
	"  </list>\n"
	"  <b t:if=\"flag\">kept</b>\n"
	"  <c t:unless=\"flag\">dropped</c>\n"
	"  <d t:content=\"frag\"><default/></d>\n"
	"  <e t:content=\"unset\"><default/></e>\n"
	"  <f t:comment=\"{{help|}}\" v=\"{{id}}\"/>\n"
	"  <g t:comment=\"fill this in\" v=\"…\"/>\n"
	"</document>\n";

static char *fill(docket_tpl_vars *v, int expect)
{
	char *out = NULL;
	size_t len = 0;
	assert_int_equal(docket_template_fill(&out, &len, tpl, sizeof(tpl) - 1, "t.xml", v), expect);
	if (expect == 0)
		assert_int_equal(strlen(out), len);
	return out;
}

static void test_template_fill(void **state)
{
	static const char fragment[] =
		"<x xmlns=\"urn:docket:document:1\"><item>one<fnref ref=\"fn1\"/></item><p>two &amp; three</p></x>";
	docket_tpl_vars *v = NULL, *item, *sub;
	xmlDocPtr frag = xmlReadMemory(fragment, (int)strlen(fragment), "frag.xml", NULL, XML_PARSE_NONET);
	char *out;

	assert_non_null(frag);
	assert_int_equal(docket_tpl_vars_new(&v), 0);
	assert_int_equal(docket_tpl_vars_set(v, "id", "kh-1"), 0);
	assert_int_equal(docket_tpl_vars_set(v, "who", "A&B <c>"), 0);
	assert_int_equal(docket_tpl_vars_set(v, "flag", "1"), 0);
	assert_int_equal(docket_tpl_vars_assign(v, "empty="), 0);
	assert_int_equal(docket_tpl_vars_assign(v, "no-equals-sign"), DOCKET_EUSAGE);
	assert_int_equal(docket_tpl_vars_set(v, "bad name", "x"), DOCKET_EUSAGE);
	assert_int_equal(docket_tpl_vars_append(&item, v, "items"), 0);
	assert_int_equal(docket_tpl_vars_set(item, "n", "1"), 0);
	assert_int_equal(docket_tpl_vars_append(&sub, item, "subs"), 0);
	assert_int_equal(docket_tpl_vars_set(sub, "v", "a"), 0);
	assert_int_equal(docket_tpl_vars_append(&sub, item, "subs"), 0);
	assert_int_equal(docket_tpl_vars_set(sub, "v", "b"), 0);
	assert_int_equal(docket_tpl_vars_append(&item, v, "items"), 0);
	assert_int_equal(docket_tpl_vars_set(item, "n", "2"), 0);
	assert_int_equal(docket_tpl_vars_set(item, "id", "inner"), 0);
	assert_int_equal(docket_tpl_vars_set_xml(v, "frag", xmlDocGetRootElement(frag)), 0);
	out = fill(v, 0);
	assert_null(strstr(out, "urn:docket:template:1"));
	assert_null(strstr(out, "xmlns:t"));
	assert_null(strstr(out, " t:"));
	assert_null(strstr(out, "author"));
	assert_null(strstr(out, "dropped"));
	assert_null(strstr(out, "fnref"));
	assert_non_null(strstr(out, "id=\"kh-1\""));
	assert_non_null(strstr(out, "x=\"A&amp;B &lt;c&gt; &amp; kh-1-fallback\""));
	assert_null(strstr(out, " y=\""));
	assert_non_null(strstr(out, ">kh-1</a>"));
	assert_non_null(strstr(out, "<i n=\"1\" id=\"kh-1\"><j>a</j><j>b</j></i>\n    <i n=\"2\" id=\"inner\"/>"));
	assert_non_null(strstr(out, "<b>kept</b>"));
	assert_non_null(strstr(out, "  <d>\n    <item>one</item>\n    <p>two &amp; three</p>\n  </d>\n"));
	assert_non_null(strstr(out, "<e><default/></e>"));
	assert_non_null(strstr(out, "<f v=\"kh-1\"/>"));
	assert_non_null(strstr(out, "<!-- fill this in\n  <g v=\"…\"/>\n  -->"));
	docket_free(out);

	/* text content */
	assert_int_equal(docket_tpl_vars_set(v, "frag", "plain & text"), 0);
	out = fill(v, 0);
	assert_non_null(strstr(out, "<d>plain &amp; text</d>"));
	docket_free(out);

	/* a placeholder without a value and without a default */
	assert_int_equal(docket_tpl_vars_set(v, "id", NULL), 0);
	assert_null(fill(v, DOCKET_EINVALID));
	assert_non_null(strstr(docket_error_last(), "t.xml:3: the placeholder {{id}} has no value"));
	docket_tpl_vars_free(v);
	xmlFreeDoc(frag);
}

static int fill_str(const char *t, docket_tpl_vars *v)
{
	char *out = NULL;
	int error = docket_template_fill(&out, NULL, t, strlen(t), "h.xml", v);
	docket_free(out);
	return error;
}

#define DOC_OPEN "<document xmlns=\"urn:docket:document:1\" xmlns:t=\"urn:docket:template:1\" id=\"x\" kind=\"plan\">"

static void test_template_hostile(void **state)
{
	docket_tpl_vars *v = NULL, *item;
	char deep[4096];
	size_t o = 0;
	int i;

	assert_int_equal(docket_tpl_vars_new(&v), 0);
	for (i = 0; i < 3; i++)
		assert_int_equal(docket_tpl_vars_append(&item, v, "l"), 0);
	/* 3^12 repetitions: refused, not built */
	o += (size_t)snprintf(deep + o, sizeof(deep) - o, DOC_OPEN);
	for (i = 0; i < 12; i++)
		o += (size_t)snprintf(deep + o, sizeof(deep) - o, "<i t:repeat=\"l\">");
	for (i = 0; i < 12; i++)
		o += (size_t)snprintf(deep + o, sizeof(deep) - o, "</i>");
	snprintf(deep + o, sizeof(deep) - o, "</document>");
	assert_int_equal(fill_str(deep, v), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "repeats more than 100000 elements"));
	/* unknown instructions, instruction elements, other roots, DTDs */
	assert_int_equal(fill_str(DOC_OPEN "<a t:loop=\"l\"/></document>", v), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "unknown template instruction on <a>"));
	assert_int_equal(fill_str(DOC_OPEN "<t:a/></document>", v), DOCKET_EINVALID);
	assert_int_equal(fill_str("<plan xmlns=\"urn:docket:document:1\"/>", v), DOCKET_EINVALID);
	assert_int_equal(fill_str("<!DOCTYPE d [<!ENTITY e \"x\">]>" DOC_OPEN "&e;</document>", v), DOCKET_EINVALID);
	assert_int_equal(fill_str(DOC_OPEN "<a t:repeat=\"id\"/></document>", v), 0);  /* unset list: none */
	assert_int_equal(docket_tpl_vars_set(v, "s", "text"), 0);
	assert_int_equal(fill_str(DOC_OPEN "<a t:repeat=\"s\"/></document>", v), DOCKET_EINVALID);
	assert_int_equal(fill_str(DOC_OPEN "<a>{{l}}</a></document>", v), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "{{l}} is a list"));
	docket_tpl_vars_free(v);
}

/* --- a repository: the seed plan, three schools' reports ------------------------------------ */

static docket_repo *repo;

static void config(void)
{
	docket_org org = { "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "PGDĐT", "UBND THÀNH PHỐ CẨM PHẢ", "Cẩm Phả" };
	docket_unit units[] = {
		{ "LD", "Lãnh đạo phòng", NULL, 0 },
		{ "CTTT", "Bộ phận Chính trị tư tưởng", "LD", 0 },
		{ "TH-A", "Trường A", NULL, 1 },
		{ "TH-B", "Trường B", NULL, 1 },
		{ "TH-C", "Trường C", NULL, 1 },
		{ "TH-D", "Trường D", NULL, 1 },
	};
	docket_person people[] = {
		{ "hoa", "Nguyễn Thị Hoa", "CHUYÊN VIÊN", "CTTT", "drafter", NULL, NULL },
		{ "lan", "Lê Thị Lan", "PHÓ TRƯỞNG PHÒNG", "LD", "approver", NULL, NULL },
		{ "gv-a", "Giáo viên A", "GIÁO VIÊN", "TH-A", "drafter", NULL, NULL },
		{ "thu", "Phạm Thị Thu", "VĂN THƯ", "LD", "clerk", NULL, NULL },
	};
	size_t i;

	assert_int_equal(docket_config_set_org(repo, NULL, &org), 0);
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		assert_int_equal(docket_config_add_unit(repo, NULL, &units[i]), 0);
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++)
		assert_int_equal(docket_config_add_person(repo, NULL, &people[i]), 0);
}

/* A report of UNIT for YEAR in STATE with the figures FIG ("1=3/3=100 4.1=398/400=99.5 ..."). */
static void add_report(const char *id, const char *unit, int year, const char *state, const char *fig,
                       int expect)
{
	char buf[8192], results[4096] = "", spec[1024];
	const char *p = fig;
	docket_add_result res;
	size_t o = 0;

	while (*p) {
		char ind[16], num[32], den[32], val[32];
		int n = 0;
		assert_int_equal(sscanf(p, "%15[^=]=%31[^/]/%31[^=]=%31s%n", ind, num, den, val, &n), 4);
		p += n;
		while (*p == ' ')
			p++;
		o += (size_t)snprintf(results + o, sizeof(results) - o,
		                      "<result indicator=\"%s\" numerator=\"%s\" denominator=\"%s\" value=\"%s\"/>",
		                      ind, num, den, val);
	}
	/* steps that lead to STATE, as the validation replays them */
	spec[0] = '\0';
	if (state) {
		static const char *const steps[][3] = { { "submit", "draft", "submitted" },
		                                        { "review", "submitted", "reviewed" },
		                                        { "approve", "reviewed", "approved" } };
		size_t k, so = 0;
		so += (size_t)snprintf(spec + so, sizeof(spec) - so, "%s\">", state);
		for (k = 0; k < 3; k++) {
			so += (size_t)snprintf(spec + so, sizeof(spec) - so,
			                       "<step date=\"2025-12-0%zuT09:00:00+07:00\" actor=\"x\" role=\"r\" "
			                       "transition=\"%s\" from=\"%s\" to=\"%s\"/>", k + 2, steps[k][0],
			                       steps[k][1], steps[k][2]);
			if (strcmp(steps[k][2], state) == 0)
				break;
		}
	}
	snprintf(buf, sizeof(buf),
	         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	         "<document xmlns=\"urn:docket:document:1\" id=\"%s\" kind=\"report\">\n"
	         "<header><issuer><parent>PHÒNG GIÁO DỤC VÀ ĐÀO TẠO</parent><name>%s</name><abbr>X</abbr></issuer>"
	         "<place>Cẩm Phả</place><date>2025-12-01</date><type code=\"BC\">BÁO CÁO</type>"
	         "<subject>Kết quả thực hiện năm %d</subject><drafter unit=\"%s\"/></header>\n"
	         "<content Id=\"content\"><report><plan ref=\"kh-2021-354\"/><year>%d</year><unit>%s</unit>\n"
	         "%s%s%s\n"
	         "<narratives><narrative group=\"g2\"><item>Việc của %s.</item></narrative></narratives>"
	         "</report></content>\n"
	         "%s%s%s"
	         "</document>\n",
	         id, unit, year, unit, year, unit, *results ? "<results>" : "", results, *results ? "</results>" : "",
	         unit, state ? "<workflow state=\"" : "", spec, state ? "</workflow>\n" : "");
	if (docket_add_buffer(&res, repo, buf, strlen(buf), id, NULL) != expect) {
		for (size_t i = 0; res.findings && i < docket_findings_count(res.findings); i++)
			fprintf(stderr, "%s\n", docket_findings_get(res.findings, i)->message);
		fail_msg("add %s: %s", id, docket_error_last());
	}
	docket_add_result_free(&res);
}

static const char FA[] = "1=3/3=100 2=118/120=98.33 3=60/60=100 4.1=398/400=99.5 4.2=0/1200=0 5.1=2000/2000=100 "
                         "5.2=0/600=0 6=1/1=100 7.1=1/1=100 7.2=4/5=80";
static const char FB[] = "1=2/2=100 2=99/100=99 3=49/50=98 4.1=250/250=100 4.2=1/300=0.33 5.1=2999/3000=99.97 "
                         "5.2=0/400=0 6=1/1=100 7.1=0/1=0 7.2=3/4=75";
static const char FC[] = "1=1/2=50 2=80/80=100 3=40/40=100 4.1=149/150=99.33 4.2=0/500=0 5.1=5000/5000=100 "
                         "5.2=1/1000=0.1 6=1/1=100 7.1=1/1=100 7.2=2/2=100";

static int group_setup(void **state)
{
	char path[128], seed[4096];
	const char *src = getenv("DOCKET_SRC");

	if (setup(state) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/pgd", dir);
	snprintf(seed, sizeof(seed), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	if (docket_repo_init(&repo, path, 0) < 0)
		return -1;
	docket_repo_set_identity(repo, "Docket Test", "test@docket.invalid");
	return 0;
}

static int group_teardown(void **state)
{
	docket_repo_free(repo);
	return teardown(state);
}

static void test_repo_fixture(void **state)
{
	docket_import_options io = DOCKET_IMPORT_OPTIONS_INIT;
	docket_action_result imp;
	docket_add_result res;
	char seed[4096];
	const char *src = getenv("DOCKET_SRC");

	config();
	/* the seed plan as recorded from paper: numbered - issued; add refuses a numbered document */
	snprintf(seed, sizeof(seed), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	assert_int_equal(docket_add_file(&res, repo, seed, NULL), DOCKET_EDENIED);
	assert_non_null(strstr(docket_error_last(), "docket import"));
	docket_add_result_free(&res);
	io.actor = "thu";
	io.message = "paper archive";
	assert_int_equal(docket_import_file(&imp, repo, seed, &io), 0);
	assert_string_equal(imp.number, "354/KH-PGDĐT");
	assert_string_equal(imp.to, "issued");
	docket_action_result_free(&imp);
	add_report("bc-a", "TH-A", 2025, "approved", FA, 0);
	add_report("bc-b", "TH-B", 2025, "approved", FB, 0);
	add_report("bc-c", "TH-C", 2025, "submitted", FC, 0);
	/* another year: never counted for 2025 */
	add_report("bc-a-2024", "TH-A", 2024, "approved", FC, 0);
}

static xmlDocPtr read_doc(const char *id)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	xmlDocPtr x;

	assert_int_equal(docket_doc_find(&path, repo, id, NULL), 0);
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, path), 0);
	x = xmlReadMemory(buf, (int)len, path, NULL, XML_PARSE_NONET);
	docket_free(buf);
	docket_free(path);
	assert_non_null(x);
	return x;
}

static char *xs(xmlDocPtr x, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *xs(xmlDocPtr x, const char *fmt, ...)
{
	char expr[512];
	va_list ap;
	xmlXPathContextPtr ctx = xmlXPathNewContext(x);
	xmlXPathObjectPtr o;
	char *s;

	va_start(ap, fmt);
	vsnprintf(expr, sizeof(expr), fmt, ap);
	va_end(ap);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"d", (const xmlChar *)DOCKET_NS);
	o = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	s = (char *)xmlXPathCastToString(o);
	xmlXPathFreeObject(o);
	xmlXPathFreeContext(ctx);
	return s;
}

static void expect_result(xmlDocPtr x, const char *ind, const char *num, const char *den, const char *val)
{
	char *n = xs(x, "string(//d:result[@indicator='%s']/@numerator)", ind);
	char *d = xs(x, "string(//d:result[@indicator='%s']/@denominator)", ind);
	char *v = xs(x, "string(//d:result[@indicator='%s']/@value)", ind);
	assert_string_equal(n, num);
	assert_string_equal(d, den);
	assert_string_equal(v, val);
	xmlFree(n);
	xmlFree(d);
	xmlFree(v);
}

static const docket_indicator_total *total(const docket_rollup *r, const char *ind)
{
	for (size_t i = 0; i < r->ntotals; i++)
		if (strcmp(r->totals[i].indicator, ind) == 0)
			return &r->totals[i];
	fail_msg("no total for %s", ind);
	return NULL;
}

/* An approved report on PLAN by UNIT for 2025 whose RESULTS are given as XML. */
static void add_report_xml(const char *id, const char *plan, const char *unit, const char *results)
{
	char buf[4096];
	docket_add_result res;

	snprintf(buf, sizeof(buf),
	         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	         "<document xmlns=\"urn:docket:document:1\" id=\"%s\" kind=\"report\">\n"
	         "<header><issuer><name>%s</name><abbr>X</abbr></issuer><place>Cẩm Phả</place><date>2025-12-01</date>"
	         "<type code=\"BC\">BÁO CÁO</type><subject>Kết quả năm 2025</subject><drafter unit=\"%s\"/></header>\n"
	         "<content Id=\"content\"><report><plan ref=\"%s\"/><year>2025</year><unit>%s</unit>"
	         "<results>%s</results></report></content>\n"
	         "<workflow state=\"approved\">"
	         "<step date=\"2025-12-02T09:00:00+07:00\" actor=\"x\" role=\"r\" transition=\"submit\" from=\"draft\" to=\"submitted\"/>"
	         "<step date=\"2025-12-03T09:00:00+07:00\" actor=\"x\" role=\"r\" transition=\"review\" from=\"submitted\" to=\"reviewed\"/>"
	         "<step date=\"2025-12-04T09:00:00+07:00\" actor=\"x\" role=\"r\" transition=\"approve\" from=\"reviewed\" to=\"approved\"/>"
	         "</workflow></document>\n", id, unit, unit, plan, unit, results);
	if (docket_add_buffer(&res, repo, buf, strlen(buf), id, NULL) != 0) {
		for (size_t i = 0; res.findings && i < docket_findings_count(res.findings); i++)
			fprintf(stderr, "%s\n", docket_findings_get(res.findings, i)->message);
		fail_msg("add %s: %s", id, docket_error_last());
	}
	docket_add_result_free(&res);
}

/*
 * Indicators measured as a value are summed like counts; a unit for which one is marked not
 * applicable is neither counted nor missing. A copy of the seed plan (kh-2021-900) whose
 * indicator 6 is a value in millions of dong.
 */
static void test_aggregate_values(void **state)
{
	docket_add_result res;
	docket_rollup r;
	char path[4096], *buf = NULL, *plan;
	size_t len = 0;
	const char *src = getenv("DOCKET_SRC");
	const char *edits[][2] = {
		{ "id=\"kh-2021-354\"", "id=\"kh-2021-900\"" },
		{ "<number>354</number>", "<number>355</number>" },
		{ "<indicator id=\"6\" measure=\"rate\" unit=\"%\"", "<indicator id=\"6\" measure=\"value\" unit=\"triệu đồng\"" },
	};

	snprintf(path, sizeof(path), "%s/examples/354-KH-PGDDT.xml", src ? src : ".");
	assert_int_equal(docket_doc_read_file(&buf, &len, path), 0);
	assert_non_null(plan = malloc(len + 256));
	strcpy(plan, buf);
	for (size_t k = 0; k < sizeof(edits) / sizeof(edits[0]); k++) {
		char *hit = strstr(plan, edits[k][0]);
		size_t fl = strlen(edits[k][0]), tl = strlen(edits[k][1]);
		assert_non_null(hit);
		memmove(hit + tl, hit + fl, strlen(hit + fl) + 1);
		memcpy(hit, edits[k][1], tl);
	}
	/* a numbered plan was issued: recorded with import (add refuses it) */
	{
		docket_import_options io = DOCKET_IMPORT_OPTIONS_INIT;
		docket_action_result imp;
		io.actor = "thu";
		assert_int_equal(docket_add_buffer(&res, repo, plan, strlen(plan), "kh-2021-900.xml", NULL), DOCKET_EDENIED);
		docket_add_result_free(&res);
		assert_int_equal(docket_import_buffer(&imp, repo, plan, strlen(plan), "kh-2021-900.xml", &io), 0);
		docket_action_result_free(&imp);
	}
	docket_free(buf);
	free(plan);

	add_report_xml("bc-v-a", "kh-2021-900", "TH-A", "<result indicator=\"6\" value=\"120.5\"/>");
	add_report_xml("bc-v-b", "kh-2021-900", "TH-B", "<result indicator=\"6\" value=\"79.25\"/>");
	add_report_xml("bc-v-c", "kh-2021-900", "TH-C", "<result indicator=\"6\" applicable=\"false\"/>");
	assert_int_equal(docket_draft_totals(&r, repo, "kh-2021-900", 2025, "2025-12-31"), 0);
	assert_string_equal(total(&r, "6")->measure, "value");
	assert_string_equal(total(&r, "6")->value, "199.75");
	assert_int_equal(total(&r, "6")->units, 2);
	assert_int_equal(total(&r, "6")->na_units, 1);
	assert_int_equal(total(&r, "6")->met, 1); /* 199.75 >= 100 */
	docket_rollup_free(&r);
}

static void test_aggregate(void **state)
{
	docket_draft_options o = DOCKET_DRAFT_OPTIONS_INIT;
	docket_rollup r;
	xmlDocPtr x;
	char *s;

	o.actor = "hoa";
	assert_int_equal(docket_draft_aggregate(&r, repo, "kh-2021-354", 2025, &o), 0);
	assert_string_equal(r.doc.id, "bc-2025-cttt-1");
	assert_string_equal(r.doc.path, "documents/report/2025/CTTT/bc-2025-cttt-1.xml");
	/* the four affiliated schools, in the configuration's order */
	assert_int_equal(r.n, 4);
	assert_string_equal(r.units[0].unit, "TH-A");
	assert_true(r.units[0].counted);
	assert_string_equal(r.units[0].report, "bc-a");
	assert_true(r.units[1].counted);
	assert_false(r.units[2].counted);
	assert_string_equal(r.units[2].state, "submitted");
	assert_int_equal(r.units[2].status, DOCKET_REPORT_SUBMITTED);
	assert_false(r.units[3].counted);
	assert_null(r.units[3].report);
	assert_int_equal(r.units[3].status, DOCKET_REPORT_NOT_STARTED);

	/* A + B only (C is submitted, not approved): sums, then the rate */
	assert_int_equal(total(&r, "4.1")->numerator, 648);
	assert_int_equal(total(&r, "4.1")->denominator, 650);
	assert_string_equal(total(&r, "4.1")->value, "99.69");      /* 99.6923… */
	assert_int_equal(total(&r, "4.1")->met, 1);
	assert_string_equal(total(&r, "4.2")->value, "0.07");       /* 1/1500 = 0.0666… < 0.08 */
	assert_int_equal(total(&r, "4.2")->met, 1);
	assert_string_equal(total(&r, "7.1")->value, "50");         /* 1/2 */
	assert_int_equal(total(&r, "7.1")->met, 0);
	assert_string_equal(total(&r, "7.2")->value, "77.78");      /* 7/9 */
	assert_int_equal(total(&r, "7.2")->met, 0);
	assert_string_equal(total(&r, "5.1")->value, "99.98");      /* 4999/5000 < 99.99 */
	assert_int_equal(total(&r, "5.1")->met, 0);
	assert_int_equal(total(&r, "5.1")->target_year, 2025);
	assert_int_equal(total(&r, "1")->units, 2);

	x = read_doc(r.doc.id);
	expect_result(x, "4.1", "648", "650", "99.69");
	expect_result(x, "7.2", "7", "9", "77.78");
	s = xs(x, "string(//d:result[@indicator='7.2'])");
	assert_string_equal(s, "Chưa đạt mục tiêu năm 2025 (≥ 80%). Tổng hợp từ 2 đơn vị.");
	xmlFree(s);
	s = xs(x, "count(//d:basis[@ref='bc-c'])");
	assert_string_equal(s, "0");
	xmlFree(s);
	s = xs(x, "count(//d:basis[@ref='bc-a'] | //d:basis[@ref='bc-b'] | //d:basis[@ref='kh-2021-354'])");
	assert_string_equal(s, "3");
	xmlFree(s);
	s = xs(x, "string(//d:narrative[not(@group)]/d:item[2])");
	assert_string_equal(s, "Báo cáo chưa được phê duyệt, không tổng hợp (1): Trường C - bc-c, trạng thái submitted.");
	xmlFree(s);
	s = xs(x, "string(//d:narrative[not(@group)]/d:item[3])");
	assert_string_equal(s, "Đơn vị chưa báo cáo (1): Trường D.");
	xmlFree(s);
	s = xs(x, "string(//d:narrative[@group='g2']/d:item[1])");
	assert_string_equal(s, "Trường A: Việc của TH-A.");
	xmlFree(s);
	xmlFreeDoc(x);
	docket_rollup_free(&r);

	/* C approved: all three, as computed by hand in tests/cli/t0600-cascade.sh */
	add_report("bc-c2", "TH-C", 2025, "approved", FC, 0);
	assert_int_equal(docket_draft_aggregate(&r, repo, "kh-2021-354", 2025, &o), 0);
	assert_string_equal(r.doc.id, "bc-2025-cttt-1");
	assert_true(r.units[2].counted);
	assert_string_equal(r.units[2].report, "bc-c2");
	x = read_doc(r.doc.id);
	expect_result(x, "1", "6", "7", "85.71");
	expect_result(x, "2", "297", "300", "99");
	expect_result(x, "3", "149", "150", "99.33");
	expect_result(x, "4.1", "797", "800", "99.63");
	expect_result(x, "4.2", "1", "2000", "0.05");
	expect_result(x, "5.1", "9999", "10000", "99.99");
	expect_result(x, "5.2", "1", "2000", "0.05");
	expect_result(x, "6", "3", "3", "100");
	expect_result(x, "7.1", "2", "3", "66.67");
	expect_result(x, "7.2", "9", "11", "81.82");
	assert_int_equal(total(&r, "5.1")->met, 1);  /* 99.99 ≥ 99.99 */
	assert_int_equal(total(&r, "5.2")->met, 0);  /* 0.05 is not < 0.02 */
	assert_int_equal(total(&r, "4.2")->met, 1);  /* 0.05 < 0.08 */
	xmlFreeDoc(x);
	docket_rollup_free(&r);

	/* status: same units; D not started, its report not overdue without a task */
	assert_int_equal(docket_draft_status(&r, repo, "kh-2021-354", 2025, "2025-12-31"), 0);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.units[2].status, DOCKET_REPORT_APPROVED);
	assert_int_equal(r.units[3].status, DOCKET_REPORT_NOT_STARTED);
	docket_rollup_free(&r);

	/* only drafters of the unit (or above) may aggregate */
	o.actor = "gv-a";
	assert_int_equal(docket_draft_aggregate(&r, repo, "kh-2021-354", 2025, &o), DOCKET_EDENIED);
	docket_rollup_free(&r);
}

static docket_findings *check_submit(const char *id)
{
	docket_doc *doc = NULL;
	docket_findings *f = NULL;

	assert_int_equal(docket_doc_load(&doc, repo, id, NULL), 0);
	assert_int_equal(docket_findings_new(&f), 0);
	assert_int_equal(docket_draft_check_submit(f, doc, repo, NULL), 0);
	docket_doc_free(doc);
	return f;
}

static int has_finding(const docket_findings *f, const char *text)
{
	for (size_t i = 0; i < docket_findings_count(f); i++)
		if (strstr(docket_findings_get(f, i)->message, text))
			return 1;
	return 0;
}

static void test_submit_check(void **state)
{
	docket_findings *f;

	/* complete and consistent */
	add_report("bc-ok", "TH-D", 2025, NULL, FA, 0);
	f = check_submit("bc-ok");
	assert_int_equal(docket_findings_count(f), 0);
	docket_findings_free(f);

	/* incomplete, inconsistent, an unknown indicator */
	add_report("bc-bad", "TH-D", 2025, NULL, "4.1=398/400=99.4 4.2=1/300=0.33 9=1/1=100", 0);
	f = check_submit("bc-bad");
	assert_true(has_finding(f, "indicator 1 (Tỷ lệ cơ sở giáo dục cho trẻ em có công trình vệ sinh đảm bảo) has no result"));
	assert_true(has_finding(f, "indicator 4.1: the value 99.4 does not match 100 × 398 / 400 = 99.5"));
	assert_false(has_finding(f, "indicator 4.2:"));   /* 0.333… written 0.33 */
	assert_true(has_finding(f, "the plan kh-2021-354 has no indicator '9'"));
	assert_int_equal(docket_findings_count(f), 9 + 1);
	assert_int_equal(docket_findings_get(f, 0)->line, 5);   /* the <results> line */
	docket_findings_free(f);

	/* outside the plan's period */
	add_report("bc-2035", "TH-D", 2035, NULL, FA, 0);
	f = check_submit("bc-2035");
	assert_int_equal(docket_findings_count(f), 1);
	assert_true(has_finding(f, "the year 2035 is outside the period 2021-2030 of the plan kh-2021-354"));
	docket_findings_free(f);
}

static void test_floor_rule(void **state)
{
	docket_draft_options o = DOCKET_DRAFT_OPTIONS_INIT;
	docket_add_result res;
	docket_doc *doc = NULL;
	docket_findings *f = NULL;
	docket_schema *schema = NULL;
	char *buf = NULL, *path = NULL, *weak, *p;
	size_t len = 0;

	o.actor = "gv-a";
	o.unit = "TH-A";
	/* the unit plan starts at the parent's targets: valid */
	assert_int_equal(docket_draft_unit_plan(&res, repo, "kh-2021-354", &o), 0);
	assert_string_equal(res.id, "kh-2025-th-a-1");
	path = res.path;
	res.path = NULL;
	docket_add_result_free(&res);
	assert_int_equal(docket_repo_read(&buf, &len, repo, NULL, path), 0);

	/* weaker: 4.1 (ge) 99.5 → 99.4; 4.2 (lt) 0.08 → 0.09; stronger: 7.1 (ge) 55 → 56 */
	weak = strdup(buf);
	assert_non_null(p = strstr(weak, "<target year=\"2025\" value=\"99.5\"/>"));
	memcpy(p + strlen("<target year=\"2025\" value=\"99."), "4", 1);
	assert_non_null(p = strstr(weak, "<target year=\"2025\" value=\"0.08\"/>"));
	memcpy(p + strlen("<target year=\"2025\" value=\"0.0"), "9", 1);
	assert_non_null(p = strstr(weak, "<target year=\"2025\" value=\"55\"/>"));
	memcpy(p + strlen("<target year=\"2025\" value=\"5"), "6", 1);

	assert_int_equal(docket_doc_parse(&doc, weak, len, "unit.xml"), 0);
	assert_int_equal(docket_findings_new(&f), 0);
	assert_int_equal(docket_draft_check_targets(f, doc, repo, NULL), 0);
	assert_int_equal(docket_findings_count(f), 2);
	assert_string_equal(docket_findings_get(f, 0)->message,
	                    "indicator 4.1: the target ≥ 99.4 for 2025 is weaker than ≥ 99.5 set by the plan kh-2021-354 it carries out");
	assert_string_equal(docket_findings_get(f, 1)->message,
	                    "indicator 4.2: the target < 0.09 for 2025 is weaker than < 0.08 set by the plan kh-2021-354 it carries out");
	{
		/* FILE:LINE:COL points at the value attribute */
		const docket_finding *x = docket_findings_get(f, 0);
		const char *line = weak;
		for (int i = 1; i < x->line; i++)
			line = strchr(line, '\n') + 1;
		assert_int_equal(strncmp(line + x->col - 1, "value=\"99.4\"", 12), 0);
		assert_string_equal(x->file, "unit.xml");
	}
	docket_findings_free(f);
	f = NULL;

	/* the whole of validation reports it too */
	assert_int_equal(docket_schema_load(&schema, repo, NULL), 0);
	assert_int_equal(docket_findings_new(&f), 0);
	assert_int_equal(docket_validate(f, schema, doc, repo, NULL), 0);
	assert_int_equal(docket_findings_count(f), 2);
	docket_findings_free(f);
	f = NULL;
	/* without a repository the parent cannot be read: no finding */
	assert_int_equal(docket_findings_new(&f), 0);
	assert_int_equal(docket_validate(f, schema, doc, NULL, NULL), 0);
	assert_int_equal(docket_findings_count(f), 0);
	docket_findings_free(f);
	docket_schema_free(schema);
	docket_doc_free(doc);
	free(weak);
	docket_free(buf);
	docket_free(path);
}

static void test_refusals(void **state)
{
	docket_draft_options o = DOCKET_DRAFT_OPTIONS_INIT;
	docket_add_result res;
	docket_batch_result batch;
	char before[41], after[41];

	o.actor = "gv-a";
	o.unit = "TH-B";
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);
	/* a drafter of A drafts for B */
	assert_int_equal(docket_draft_report(&res, repo, "kh-2021-354", 2025, NULL, &o), DOCKET_EDENIED);
	docket_add_result_free(&res);
	/* nobody */
	o.actor = NULL;
	assert_int_equal(docket_draft_new(&res, repo, "plan", &o), DOCKET_EUSAGE);
	docket_add_result_free(&res);
	/* a template that does not exist; a kind that does not exist */
	o.actor = "gv-a";
	o.unit = NULL;
	o.template_name = "nothing";
	assert_int_equal(docket_draft_new(&res, repo, "plan", &o), DOCKET_ENOTFOUND);
	docket_add_result_free(&res);
	assert_int_equal(docket_draft_new(&res, repo, "memo", &o), DOCKET_EUSAGE);
	docket_add_result_free(&res);
	/* a template of another kind */
	o.template_name = "task";
	{
		const char *set[] = { "assignee=TH-A", "due=2025-12-31", "deliverable=x", NULL };
		o.set = set;
		assert_int_equal(docket_draft_new(&res, repo, "plan", &o), DOCKET_EUSAGE);
		docket_add_result_free(&res);
		o.set = NULL;
	}
	/* a placeholder left without value */
	assert_int_equal(docket_draft_new(&res, repo, "task", &o), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "{{assignee}} has no value"));
	docket_add_result_free(&res);
	/* options of a version this library does not know, or none at all */
	o.version = DOCKET_DRAFT_OPTIONS_VERSION + 1;
	assert_int_equal(docket_draft_new(&res, repo, "plan", &o), DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "docket_draft_options version 2 is not supported"));
	docket_add_result_free(&res);
	assert_int_equal(docket_draft_assign(&batch, repo, "kh-2021-354", NULL, &o), DOCKET_EUSAGE);
	docket_batch_result_free(&batch);
	assert_int_equal(docket_draft_new(&res, repo, "plan", NULL), DOCKET_EUSAGE);
	docket_add_result_free(&res);
	assert_int_equal(docket_draft_options_init(&o, DOCKET_DRAFT_OPTIONS_VERSION + 1), DOCKET_EUSAGE);
	assert_int_equal(docket_draft_options_init(&o, DOCKET_DRAFT_OPTIONS_VERSION), 0);
	assert_int_equal(o.version, DOCKET_DRAFT_OPTIONS_VERSION);
	assert_null(o.actor);
	assert_int_equal(docket_repo_resolve(after, repo, NULL), 0);
	assert_string_equal(before, after);
}

/* docket_report_fill: figures checked against the plan, rates computed, one commit or nothing */
static void test_fill(void **state)
{
	docket_person tk = { "tk", "Vũ Thống Kê", "CHUYÊN VIÊN", "CTTT", "statistician", NULL, NULL };
	docket_fill_options o = DOCKET_FILL_OPTIONS_INIT;
	docket_fill_result res;
	char before[41], after[41];
	xmlDocPtr x;
	char *v;

	assert_int_equal(docket_config_add_person(repo, NULL, &tk), 0);
	add_report("bc-d", "TH-D", 2025, NULL, "", 0);
	o.actor = "tk";
	assert_int_equal(docket_repo_resolve(before, repo, NULL), 0);
	{
		/* every problem named with the indicator's name; nothing written */
		docket_figure f[] = { { "4.1", "160", "150", NULL, 0, 3 }, { "4.2", "0", "0", NULL, 0, 4 },
		                      { "9.9", NULL, NULL, "1", 0, 5 }, { "1", NULL, NULL, "12", 0, 6 } };
		assert_int_equal(docket_report_fill(&res, repo, "bc-d", f, 4, &o), DOCKET_EINVALID);
		assert_int_equal(docket_findings_count(res.findings), 4);
		assert_non_null(strstr(docket_findings_get(res.findings, 0)->message,
		                       "indicator 4.1 (Tỷ lệ trẻ em hoàn thành cấp tiểu học): the numerator 160 is larger"));
		assert_int_equal(docket_findings_get(res.findings, 0)->line, 3);
		assert_non_null(strstr(docket_findings_get(res.findings, 1)->message, "indicator 4.2 ("));
		assert_non_null(strstr(docket_findings_get(res.findings, 1)->message, "the denominator is 0"));
		assert_non_null(strstr(docket_findings_get(res.findings, 2)->message, "has no indicator '9.9'"));
		assert_non_null(strstr(docket_findings_get(res.findings, 3)->message, "is a rate: give NUMERATOR/DENOMINATOR"));
		docket_fill_result_free(&res);
		assert_int_equal(docket_repo_resolve(after, repo, NULL), 0);
		assert_string_equal(before, after);
	}
	{
		/* a school's drafter may not fill another school's report; an approved report is closed */
		docket_figure f[] = { { "4.1", "149", "150", NULL, 0, 0 } };
		o.actor = "gv-a";
		assert_int_equal(docket_report_fill(&res, repo, "bc-d", f, 1, &o), DOCKET_EDENIED);
		docket_fill_result_free(&res);
		o.actor = "tk";
		assert_int_equal(docket_report_fill(&res, repo, "bc-a", f, 1, &o), DOCKET_EDENIED);
		assert_non_null(strstr(docket_error_last(), "is not editable"));
		docket_fill_result_free(&res);
	}
	{
		docket_figure f[] = { { "4.2", "1", "2000", NULL, 0, 0 }, { "4.1", "149", "150", NULL, 0, 0 },
		                      { "7.1", NULL, NULL, NULL, 1, 0 } };
		assert_int_equal(docket_report_fill(&res, repo, "bc-d", f, 3, &o), 0);
		assert_int_equal(strlen(res.commit), 40);
		docket_fill_result_free(&res);
	}
	x = read_doc("bc-d");
	expect_result(x, "4.1", "149", "150", "99.33");
	/* 0.05 < 0.08 either way: two places */
	expect_result(x, "4.2", "1", "2000", "0.05");
	v = xs(x, "string(//*[local-name()='result'][@indicator='7.1']/@applicable)");
	assert_string_equal(v, "false");
	xmlFree(v);
	/* in the plan's order */
	v = xs(x, "string(//*[local-name()='result'][1]/@indicator)");
	assert_string_equal(v, "4.1");
	xmlFree(v);
	xmlFreeDoc(x);
}

int main(void)
{
	const struct CMUnitTest pure[] = {
		cmocka_unit_test(test_rate_format),
		cmocka_unit_test(test_target_met),
		cmocka_unit_test(test_not_weaker),
		cmocka_unit_test(test_template_fill),
		cmocka_unit_test(test_template_hostile),
	};
	const struct CMUnitTest with_repo[] = {
		cmocka_unit_test(test_repo_fixture),
		cmocka_unit_test(test_aggregate),
		cmocka_unit_test(test_aggregate_values),
		cmocka_unit_test(test_submit_check),
		cmocka_unit_test(test_floor_rule),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_fill),
	};
	int failed;

	docket_global_init();
	failed = cmocka_run_group_tests_name("draft", pure, NULL, NULL);
	failed += cmocka_run_group_tests_name("draft-repository", with_repo, group_setup, group_teardown);
	docket_global_shutdown();
	return failed;
}
