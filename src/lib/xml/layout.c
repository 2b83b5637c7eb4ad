/*
 * layout: the names docket allows in a repository's tree (docs/format.md, "Names and the
 * layout"). Document ids, folder and file names come from untrusted documents and from trees
 * anyone can write with plain git (git mktree takes "..", ".git", a newline, a trailing
 * space). Allowing only a small ASCII set everywhere - when a document is added or drafted,
 * when a path is written, when a tree is read, in the audit - means no name can be mistaken
 * for another (case-folding file systems, look-alike Unicode), break a line-based format, or
 * escape its folder.
 */
#include <string.h>
#include <strings.h>
#include "xml_internal.h"

static int lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static int alnum(char c)
{
	return lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* [A][A._-]{0,max-1} where A is the class ALNUM accepts; N bytes of S. */
static int in_set(const char *s, size_t n, size_t max, int (*first)(char))
{
	size_t i;

	if (n == 0 || n > max || !first(s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!first(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

int docket_id_valid(const char *id)
{
	return id && in_set(id, strlen(id), DOCKET_ID_MAX, lower_alnum);
}

static int unit_ok(const char *s, size_t n)
{
	return (n == 1 && s[0] == '_') || in_set(s, n, 64, alnum);
}

int docket_unit_name_valid(const char *unit)
{
	return unit && unit_ok(unit, strlen(unit));
}

/*
 * The ASCII letter a Vietnamese letter is written on (code point CP), its marks dropped: what
 * NFD followed by removing U+0300..U+036F gives, and Đ/đ (which Unicode does not decompose)
 * to D/d. 0 for any other code point: look-alikes from other alphabets (Ð U+00D0, Cyrillic А)
 * and decomposed marks have no folder name.
 */
static char vietnamese_base(unsigned cp)
{
	static const char latin1[] = /* U+00C0..U+00FF; '.' = not a Vietnamese letter */
		"AAAA....EEE.II....OOOO...UU..Y.." "aaaa....eee.ii....oooo...uu..y..";
	static const struct { unsigned cp; char c; } single[] = {
		{ 0x102, 'A' }, { 0x103, 'a' }, { 0x110, 'D' }, { 0x111, 'd' }, { 0x128, 'I' }, { 0x129, 'i' },
		{ 0x168, 'U' }, { 0x169, 'u' }, { 0x1A0, 'O' }, { 0x1A1, 'o' }, { 0x1AF, 'U' }, { 0x1B0, 'u' },
	};
	/* U+1EA0..U+1EF9 in runs of one base letter, upper case at even code points */
	static const struct { unsigned last; char c; } ext[] = {
		{ 0x1EB7, 'A' }, { 0x1EC7, 'E' }, { 0x1ECB, 'I' }, { 0x1EE3, 'O' }, { 0x1EF1, 'U' }, { 0x1EF9, 'Y' },
	};
	size_t i;

	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0] == '.' ? 0 : latin1[cp - 0xC0];
	for (i = 0; i < sizeof(single) / sizeof(single[0]); i++)
		if (single[i].cp == cp)
			return single[i].c;
	if (cp >= 0x1EA0 && cp <= 0x1EF9)
		for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++)
			if (cp <= ext[i].last)
				return (char)(cp % 2 ? ext[i].c - 'A' + 'a' : ext[i].c);
	return 0;
}

/* The next code point of S (well-formed UTF-8 of at most 3 bytes), its length in *LEN; 0 when
 * S does not start with one. */
static unsigned next_cp(const unsigned char *s, size_t *len)
{
	if (s[0] >= 0xC2 && s[0] <= 0xDF && (s[1] & 0xC0) == 0x80) {
		*len = 2;
		return ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
	}
	if (s[0] >= 0xE1 && s[0] <= 0xEF && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
		*len = 3;
		return ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
	}
	return 0;
}

int docket_unit_folder(char *out, size_t size, const char *unit)
{
	const unsigned char *s = (const unsigned char *)unit;
	size_t o = 0, chars = 0, len;

	if (!unit || !size)
		return -1;
	while (*s) {
		char c = 0;
		if (*s < 0x80) {
			c = (char)*s;
			len = 1;
			if (!alnum(c) && !(chars > 0 && (c == '.' || c == '_' || c == '-' || c == '&')))
				return -1;
			/* "KT&KĐCL" (Khảo thí & Kiểm định chất lượng) is printed so in notations; a
			 * file name keeps to [A-Za-z0-9._-] */
			if (c == '&')
				c = '-';
		} else {
			unsigned cp = next_cp(s, &len);
			if (!cp || !(c = vietnamese_base(cp)))
				return -1;
		}
		if (o + 1 >= size || ++chars > 64)
			return -1;
		out[o++] = c;
		s += len;
	}
	out[o] = '\0';
	return o ? 0 : -1;
}

int docket_unit_id_valid(const char *unit)
{
	char folder[65];
	return docket_unit_folder(folder, sizeof(folder), unit) == 0;
}

static const char *const kinds[][2] = {
	{ "document", "body" }, { "plan", "plan" }, { "report", "report" }, { "task", "task" },
};

const char *docket_kind_body(const char *kind)
{
	size_t i;

	for (i = 0; kind && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kind, kinds[i][0]) == 0)
			return kinds[i][1];
	return NULL;
}

int docket_kind_valid(const char *kind)
{
	return docket_kind_body(kind) != NULL;
}

static int kind_folder_ok(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i][0]) == n && strncmp(s, kinds[i][0], n) == 0)
			return 1;
	return 0;
}

/* A component under .docket/: ASCII letters, digits, '.', '_', '-', not starting with '.'. */
static int config_part_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || n > 128 || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

const char *docket_layout_check(const char *path, int leaf)
{
	const char *part[5] = { "", "", "", "", "" }, *p, *q;
	size_t len[5] = { 0, 0, 0, 0, 0 }, n = 0, i;

	for (p = path;; p = q + 1) {
		size_t l;
		q = strchr(p, '/');
		l = q ? (size_t)(q - p) : strlen(p);
		if (l == 0)
			return "an empty path component";
		if ((l == 1 && p[0] == '.') || (l == 2 && p[0] == '.' && p[1] == '.'))
			return "a '.' or '..' path component";
		if (l == 4 && strncasecmp(p, ".git", 4) == 0)
			return "a '.git' path component";
		for (i = 0; i < l; i++)
			if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
				return "a control character (newline, tab, ...) in a name";
		if (n < 5) {
			part[n] = p;
			len[n] = l;
		}
		n++;
		if (!q)
			break;
	}
	if (len[0] == 7 && strncmp(part[0], ".docket", 7) == 0) {
		/* .docket/config.xml, schemas/X, workflows/X, register/YEAR/X */
		if (n > 4)
			return "too deep under .docket/";
		if (leaf && n < 2)
			return "a file .docket where docket keeps a folder";
		for (p = path + 8, i = 1; i < n; i++) {
			q = strchr(p, '/');
			if (!config_part_ok(p, q ? (size_t)(q - p) : strlen(p)))
				return "a name under .docket/ outside [A-Za-z0-9._-] (or starting with '.')";
			if (!q)
				break;
			p = q + 1;
		}
		return NULL;
	}
	if (len[0] == 9 && strncmp(part[0], "documents", 9) == 0) {
		if (n == 2 && len[1] == 9 && strncmp(part[1], "README.md", 9) == 0)
			return NULL;
		if (n > 5)
			return "too deep under documents/ (documents/KIND/YEAR/UNIT/ID.xml)";
		if (leaf && n < 5)
			return "a file where documents/KIND/YEAR/UNIT/ID.xml has a folder";
		if (n >= 2 && !kind_folder_ok(part[1], len[1]))
			return "a folder under documents/ that is not a document kind (" DOCKET_KINDS ")";
		if (n >= 3 && !(len[2] == 4 && strspn(part[2], "0123456789") >= 4))
			return "a year folder that is not four digits";
		if (n >= 4 && !unit_ok(part[3], len[3]))
			return "a unit folder outside [A-Za-z0-9._-] (or '_')";
		if (n >= 5 && !(len[4] > 4 && strncmp(part[4] + len[4] - 4, ".xml", 4) == 0 &&
		                in_set(part[4], len[4] - 4, DOCKET_ID_MAX, lower_alnum)))
			return "a file name that is not a document id ([a-z0-9][a-z0-9._-]*) followed by .xml";
		return NULL;
	}
	/* elsewhere (templates/, the owner's own files): plain names; a leading dot allowed */
	for (p = path, i = 0; i < n; i++) {
		size_t l;
		q = strchr(p, '/');
		l = q ? (size_t)(q - p) : strlen(p);
		if (!config_part_ok(p, l) && !(l > 1 && p[0] == '.' && config_part_ok(p + 1, l - 1)))
			return "a name outside [A-Za-z0-9._-]";
		if (!q)
			break;
		p = q + 1;
	}
	return NULL;
}

void docket_name_quote(char *out, size_t size, const char *name)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;

	if (!size)
		return;
	for (; *name && o + 5 < size; name++) {
		unsigned char c = (unsigned char)*name;
		if (c < 0x20 || c == 0x7f || c == '\\') {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hex[c >> 4];
			out[o++] = hex[c & 15];
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}
