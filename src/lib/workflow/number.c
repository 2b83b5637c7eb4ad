/*
 * number: Decree 30 numbering. Issuing a document gives it the next number of its issuer's
 * register for the year, its notation (TYPE-ISSUER) and its date, all inside the engine's
 * transaction, so that two issues can never take the same number.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "workflow_internal.h"

#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

static xmlNodePtr ensure_header_child(xmlNodePtr header, const char *name, const char *after)
{
	xmlNodePtr n = N(header, name), prev;

	if (n)
		return n;
	if (!(n = xmlNewNode(header->ns, (const xmlChar *)name)))
		return NULL;
	prev = N(header, after);
	if (prev) {
		xmlAddNextSibling(prev, n);
		xmlAddPrevSibling(n, xmlNewText((const xmlChar *)"\n    "));
	} else {
		xmlAddChild(header, n);
	}
	return n;
}

static void set_text(xmlNodePtr n, const char *text)
{
	xmlNodeSetContent(n, NULL);
	xmlNodeAddContent(n, (const xmlChar *)text);
}

/* The register's file name for an issuer: ASCII, so git prints it as it is ("PGDĐT" → "PGDDT"). */
static void register_name(char *out, size_t size, const char *abbr)
{
	size_t o = 0;
	const unsigned char *p = (const unsigned char *)abbr;

	while (*p && o + 1 < size) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_') {
			out[o++] = (char)*p++;
		} else if (p[0] == 0xC4 && (p[1] == 0x90 || p[1] == 0x91)) {
			out[o++] = p[1] == 0x90 ? 'D' : 'd';
			p += 2;
		} else {
			out[o++] = '_';
			for (p++; (*p & 0xC0) == 0x80; p++)
				;
		}
	}
	out[o] = '\0';
}

/*
 * The register: .docket/register/<year>/<issuer>.txt — Decree 30 numbers documents per
 * issuer per calendar year, and secret documents in a series of their own (<issuer>-secret)
 * — one line per numbered document: number, notation, document id, date. The next number is
 * one more than the highest the register holds: a document issued outside docket and
 * recorded with 'docket import' brings its own number (354), and the next issue of that
 * year is 355. Numbers stay unique as long as each numbering is one commit, which the
 * transaction guarantees. One small file per issuer also keeps each issue's rewrite small
 * when a province's 1,500 schools issue in one repository.
 */
static int register_path(docket_buf *path, const char *year, const char *abbr, const xmlChar *secrecy)
{
	char regname[128];

	register_name(regname, sizeof(regname), abbr);
	return docket_buf_printf(path, ".docket/register/%s/%s%s.txt", year, regname,
	                         secrecy && strcmp((const char *)secrecy, "none") ? "-secret" : "");
}

int docket_register_path_of(docket_buf *out, xmlNodePtr root, const char *year)
{
	xmlNodePtr header = N(root, "header"), marks = N(header, "marks");
	xmlChar *secrecy = marks ? xmlGetNoNsProp(marks, (const xmlChar *)"secrecy") : NULL;
	char *abbr = docket_xml_text_trim(N(N(header, "issuer"), "abbr"));
	int error = abbr && *abbr ? register_path(out, year, abbr, secrecy) : DOCKET_ENOTFOUND;

	xmlFree(secrecy);
	free(abbr);
	return error;
}

unsigned long docket_register_highest(const char *reg, size_t len)
{
	unsigned long high = 0;

	for (const char *l = reg; l && l < reg + len;) {
		const char *nl = memchr(l, '\n', (size_t)(reg + len - l));
		char *end;
		unsigned long n = strtoul(l, &end, 10);
		if (end != l && *end == '\t' && n > high)
			high = n;
		l = nl ? nl + 1 : reg + len;
	}
	return high;
}

/* The register's line for NUMBER (its first field), or NULL; points into REG. */
static const char *register_line_of(const char *reg, size_t len, const char *number)
{
	size_t n = strlen(number);

	for (const char *l = reg; l && l < reg + len;) {
		const char *nl = memchr(l, '\n', (size_t)(reg + len - l));
		if ((size_t)(reg + len - l) > n && strncmp(l, number, n) == 0 && l[n] == '\t')
			return l;
		l = nl ? nl + 1 : reg + len;
	}
	return NULL;
}

/* The register at PATH in TXN (empty when there is none yet), malloc'd. */
static int register_read(char **out, size_t *len, docket_txn *txn, const char *path)
{
	int error = docket_txn_read(out, len, txn, path);

	if (error == DOCKET_ENOTFOUND) {
		docket_error_clear();
		*len = 0;
		return (*out = docket_strdup("")) ? 0 : docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return error;
}

int docket_number_assign(docket_txn *txn, xmlNodePtr root, const char *id, const char *now,
                         docket_action_result *out)
{
	xmlNodePtr header = N(root, "header"), code, num, nota, date, marks;
	char year[5], day[11], *reg = NULL, *type = NULL, *abbr = NULL, *have = NULL;
	docket_buf path = DOCKET_BUF_INIT, line = DOCKET_BUF_INIT, notation = DOCKET_BUF_INIT;
	xmlChar *secrecy = NULL;
	size_t len = 0, count = 0;
	int error;

	memcpy(year, now, 4);
	year[4] = '\0';
	memcpy(day, now, 10);
	day[10] = '\0';
	marks = N(header, "marks");
	secrecy = marks ? xmlGetNoNsProp(marks, (const xmlChar *)"secrecy") : NULL;
	abbr = docket_xml_text_trim(N(N(header, "issuer"), "abbr"));
	have = docket_xml_text_trim(N(N(header, "code"), "number"));
	if (have && *have) {
		/* numbering it again would leave every document that cites the old number citing
		 * a number the register no longer knows */
		char *had = docket_xml_text_trim(N(N(header, "code"), "notation"));
		error = docket_error_set(DOCKET_EDENIED, "cannot number '%s': it already has the number %s/%s; a "
		                         "document issued outside docket is recorded with 'docket import'", id, have,
		                         had ? had : "");
		free(had);
		goto cleanup;
	}
	if (!abbr || !*abbr) {
		error = docket_error_set(DOCKET_EINVALID,
			"cannot number '%s': the header needs an issuer abbreviation", id);
		goto cleanup;
	}
	if ((error = register_path(&path, year, abbr, secrecy)) < 0 ||
	    (error = register_read(&reg, &len, txn, path.ptr)) < 0)
		goto cleanup;
	count = docket_register_highest(reg, len);
	{
		xmlChar *t = N(header, "type") ? xmlGetNoNsProp(N(header, "type"), (const xmlChar *)"code") : NULL;
		type = docket_strdup(t ? (const char *)t : "");
		xmlFree(t);
	}
	if (!type) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (*type) {
		error = docket_buf_printf(&notation, "%s-%s", type, abbr);
	} else {
		/* an official letter (công văn) has no type: the issuer and its drafting unit,
		 * "1520/SGDĐT-KHTC" (Decree 30 Annex I); without a drafting unit, the issuer alone */
		xmlChar *unit = N(header, "drafter") ? xmlGetNoNsProp(N(header, "drafter"), (const xmlChar *)"unit") : NULL;
		error = unit && *unit ? docket_buf_printf(&notation, "%s-%s", abbr, (const char *)unit) :
		                        docket_buf_puts(&notation, abbr);
		xmlFree(unit);
	}
	if (error < 0)
		goto cleanup;
	if ((error = docket_buf_printf(&line, "%s%02zu\t%s\t%s\t%s\n", reg, count + 1, notation.ptr, id, day)) < 0 ||
	    (error = docket_txn_write(txn, path.ptr, line.ptr, line.len)) < 0)
		goto cleanup;
	if (!(code = ensure_header_child(header, "code", "issuer")))
		goto oom;
	num = N(code, "number");
	nota = N(code, "notation");
	if (!num && !(num = xmlNewChild(code, code->ns, (const xmlChar *)"number", NULL)))
		goto oom;
	if (!nota && !(nota = xmlNewChild(code, code->ns, (const xmlChar *)"notation", NULL)))
		goto oom;
	{
		char n[32];
		snprintf(n, sizeof(n), "%02zu", count + 1);
		set_text(num, n);
	}
	set_text(nota, notation.ptr);
	if (!(date = ensure_header_child(header, "date", "place")))
		goto oom;
	set_text(date, day);
	free(out->number); /* a rebuilt attempt (after a lost race) numbers again */
	if (!(out->number = malloc(64 + notation.len)))
		goto oom;
	snprintf(out->number, 64 + notation.len, "%02zu/%s", count + 1, notation.ptr);
	error = 0;
	goto cleanup;
oom:
	error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	xmlFree(secrecy);
	free(reg);
	free(type);
	free(abbr);
	free(have);
	docket_buf_free(&path);
	docket_buf_free(&line);
	docket_buf_free(&notation);
	return error;
}

int docket_number_record(docket_txn *txn, xmlNodePtr root, const char *id, docket_action_result *out)
{
	xmlNodePtr header = N(root, "header"), marks = N(header, "marks");
	char *abbr = docket_xml_text_trim(N(N(header, "issuer"), "abbr"));
	char *num = docket_xml_text_trim(N(N(header, "code"), "number"));
	char *nota = docket_xml_text_trim(N(N(header, "code"), "notation"));
	char *date = docket_xml_text_trim(N(header, "date"));
	xmlChar *secrecy = marks ? xmlGetNoNsProp(marks, (const xmlChar *)"secrecy") : NULL;
	docket_buf path = DOCKET_BUF_INIT, line = DOCKET_BUF_INIT;
	char year[5], *reg = NULL;
	const char *taken;
	size_t len = 0;
	int error;

	if (!num || !*num || !nota || !*nota || !date || strlen(date) < 10) {
		error = docket_error_set(DOCKET_EINVALID, "cannot import '%s': a document issued elsewhere carries its "
		                         "number, notation and date (header/code/number, header/code/notation, "
		                         "header/date); add it with 'docket add --draft' to issue it here", id);
		goto cleanup;
	}
	if (!abbr || !*abbr) {
		error = docket_error_set(DOCKET_EINVALID, "cannot import '%s': the header needs an issuer abbreviation", id);
		goto cleanup;
	}
	memcpy(year, date, 4);
	year[4] = '\0';
	if ((error = register_path(&path, year, abbr, secrecy)) < 0 ||
	    (error = register_read(&reg, &len, txn, path.ptr)) < 0)
		goto cleanup;
	if ((taken = register_line_of(reg, len, num)) != NULL) {
		const char *t1 = strchr(taken, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
		const char *t3 = t2 ? strchr(t2 + 1, '\t') : NULL;
		error = docket_error_set(DOCKET_EEXISTS, "cannot import '%s': the number %s of %s in %s was given "
		                         "already, to '%.*s' (a number/notation is used once per issuer and year)", id,
		                         num, abbr, year, t2 && t3 ? (int)(t3 - t2 - 1) : 1, t2 && t3 ? t2 + 1 : "?");
		goto cleanup;
	}
	if ((error = docket_buf_printf(&line, "%s%s\t%s\t%s\t%.10s\n", reg, num, nota, id, date)) < 0 ||
	    (error = docket_txn_write(txn, path.ptr, line.ptr, line.len)) < 0)
		goto cleanup;
	free(out->number);
	if (!(out->number = malloc(strlen(num) + strlen(nota) + 2))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	sprintf(out->number, "%s/%s", num, nota);
	error = 0;
cleanup:
	xmlFree(secrecy);
	free(abbr);
	free(num);
	free(nota);
	free(date);
	free(reg);
	docket_buf_free(&path);
	docket_buf_free(&line);
	return error;
}
