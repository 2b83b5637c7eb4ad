/* Unit tests of the format's helpers (layout.c, doc.c): the kinds, unit ids in Vietnamese
 * letters and their ASCII folder names, and the signer block in either form. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "docket/docket.h"
#include "xml_internal.h"

static void folder_is(const char *unit, const char *want)
{
	char out[65];
	assert_int_equal(docket_unit_folder(out, sizeof(out), unit), 0);
	assert_string_equal(out, want);
	assert_true(docket_unit_id_valid(unit));
	assert_true(docket_unit_name_valid(out));
}

static void test_kinds(void **state)
{
	(void)state;
	assert_string_equal(docket_kind_body("document"), "body");
	assert_string_equal(docket_kind_body("plan"), "plan");
	assert_string_equal(docket_kind_body("report"), "report");
	assert_string_equal(docket_kind_body("task"), "task");
	assert_null(docket_kind_body("body"));
	assert_null(docket_kind_body("Document"));
	assert_null(docket_kind_body(NULL));
	assert_null(docket_layout_check("documents/document/2024/BCD/vb-2024-bcd-1.xml", 1));
	assert_non_null(docket_layout_check("documents/body/2024/BCD/vb-2024-bcd-1.xml", 1));
	/* the tree stays ASCII: a folder in Vietnamese letters is outside the layout */
	assert_non_null(docket_layout_check("documents/document/2024/BC\xc4\x90/vb-2024-bcd-1.xml", 1));
}

static void test_unit_folders(void **state)
{
	(void)state;
	folder_is("CTTT", "CTTT");
	folder_is("TH-CAMPHU.2_a", "TH-CAMPHU.2_a");
	folder_is("BCĐ", "BCD");
	folder_is("PGDĐT", "PGDDT");
	folder_is("LĐ", "LD");
	folder_is("Trường-THCS", "Truong-THCS");
	folder_is("KT&KĐCL", "KT-KDCL");
	/* every one of the 134 letters of Vietnamese, checked against Python's NFD */
	folder_is("ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯưẠạẢảẤấẦầẨẩẪẫẬậẮắ", "AAAAEEEIIOOOOUUYaaaaeeeiioooouuyAaDdIiUuOoUuAaAaAaAaAaAaAaAa");
	folder_is("ẰằẲẳẴẵẶặẸẹẺẻẼẽẾếỀềỂểỄễỆệỈỉỊịỌọỎỏỐốỒồỔ", "AaAaAaAaEeEeEeEeEeEeEeEeIiIiOoOoOoOoO");
	folder_is("ổỖỗỘộỚớỜờỞởỠỡỢợỤụỦủỨứỪừỬửỮữỰựỲỳỴỵỶỷỸỹ", "oOoOoOoOoOoOoOoUuUuUuUuUuUuUuYyYyYyYy");
}

static void test_unit_ids_refused(void **state)
{
	char out[65], small[3];
	static const char *const bad[] = {
		"", ".A", "-A", "_A", "&A", "A;B", "A B", "A/B", "A\\B", "A\nB", "A\tB",
		"BC\xc3\x90",          /* Ð U+00D0, Icelandic eth: a look-alike of Đ */
		"\xd0\x90" "BC",       /* Cyrillic А */
		"TRU\xcc\x9bO",        /* U + combining horn (NFD) */
		"A\xcc\x80",           /* A + combining grave (NFD) */
		"\xc3\x84",            /* Ä: Latin, not Vietnamese */
		"\xc0\xae",            /* overlong '.' */
		"\xc4",               /* truncated */
		"\xe1\xba",            /* truncated */
		"\xed\xa0\x80",       /* a surrogate */
		"A\xef\xbc\xa1",      /* fullwidth A */
		NULL
	};
	size_t i;
	char long_id[80];

	(void)state;
	for (i = 0; bad[i]; i++) {
		assert_int_equal(docket_unit_folder(out, sizeof(out), bad[i]), -1);
		assert_false(docket_unit_id_valid(bad[i]));
	}
	assert_int_equal(docket_unit_folder(out, sizeof(out), NULL), -1);
	memset(long_id, 'A', 64);
	long_id[64] = '\0';
	assert_int_equal(docket_unit_folder(out, sizeof(out), long_id), 0);
	long_id[64] = 'A';
	long_id[65] = '\0';
	assert_int_equal(docket_unit_folder(out, sizeof(out), long_id), -1);
	{
		/* 64 characters of two bytes each fit: the folder has one byte a character */
		char viet[2 * 65 + 1] = "";
		for (i = 0; i < 64; i++)
			strcat(viet, "\xc4\x90"); /* Đ */
		assert_int_equal(docket_unit_folder(out, sizeof(out), viet), 0);
		assert_int_equal(strlen(out), 64);
		assert_int_equal(strspn(out, "D"), 64);
		strcat(viet, "\xc4\x90");
		assert_int_equal(docket_unit_folder(out, sizeof(out), viet), -1);
	}
	/* the public form */
	assert_int_equal(docket_unit_folder_name(out, "PGDĐT"), 0);
	assert_string_equal(out, "PGDDT");
	assert_int_equal(docket_unit_folder_name(out, "BC\xc3\x90"), DOCKET_EINVALID);
	assert_string_equal(out, "");
	assert_int_equal(docket_unit_folder_name(out, NULL), DOCKET_EINVALID);
	assert_int_equal(docket_unit_folder(small, sizeof(small), "BCĐ"), -1);
	assert_int_equal(docket_unit_folder(small, sizeof(small), "BC"), 0);
}

static xmlNodePtr signer_of(docket_doc **doc, const char *signer)
{
	char xml[2048];
	snprintf(xml, sizeof(xml), "<document xmlns='urn:docket:document:1' id='a' kind='document'><header>%s"
	         "</header></document>", signer);
	assert_int_equal(docket_doc_parse(doc, xml, strlen(xml), "t.xml"), 0);
	return docket_xml_path(xmlDocGetRootElement(docket_doc_xml(*doc)), DOCKET_NS, "header/signer");
}

static void test_signer_forms(void **state)
{
	docket_doc *doc = NULL;
	xmlNodePtr s;
	char *c;

	(void)state;
	s = signer_of(&doc, "<signer><authority>KT.</authority><title>TRƯỞNG PHÒNG</title>"
	                    "<position>PHÓ TRƯỞNG PHÒNG</position><fullName>Lê Thị Lan</fullName></signer>");
	assert_string_equal(c = docket_signer_competence(s), "KT. TRƯỞNG PHÒNG");
	assert_string_equal(docket_signer_authority(s), "KT.");
	free(c);
	docket_doc_free(doc);

	s = signer_of(&doc, "<signer><line authority='TM.'>ỦY BAN NHÂN DÂN</line><line authority='KT.'>CHỦ TỊCH</line>"
	                    "<position>PHÓ CHỦ TỊCH</position><fullName>Nguyễn Thị Hoa</fullName></signer>");
	assert_string_equal(c = docket_signer_competence(s), "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH");
	assert_string_equal(docket_signer_authority(s), "KT.");
	free(c);
	docket_doc_free(doc);

	s = signer_of(&doc, "<signer><line authority='TM.'>BAN CHỈ ĐẠO</line><line>TRƯỞNG BAN</line>"
	                    "<fullName>Phạm Quốc Hùng</fullName></signer>");
	assert_string_equal(c = docket_signer_competence(s), "TM. BAN CHỈ ĐẠO / TRƯỞNG BAN");
	assert_string_equal(docket_signer_authority(s), "TM.");
	free(c);
	docket_doc_free(doc);

	s = signer_of(&doc, "<signer><title>HIỆU TRƯỞNG</title><fullName>An</fullName></signer>");
	assert_string_equal(c = docket_signer_competence(s), "HIỆU TRƯỞNG");
	assert_string_equal(docket_signer_authority(s), "");
	free(c);
	docket_doc_free(doc);

	s = signer_of(&doc, "<signer><line authority='XX.'>A</line><fullName>An</fullName></signer>");
	assert_string_equal(docket_signer_authority(s), "");
	docket_doc_free(doc);

	assert_null(docket_signer_competence(NULL));
	assert_string_equal(docket_signer_authority(NULL), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_unit_folders),
		cmocka_unit_test(test_unit_ids_refused),
		cmocka_unit_test(test_signer_forms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
