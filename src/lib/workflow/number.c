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
 * — one line per issued document: number, notation, document id, date. The next number is
 * the count of lines plus one, so numbers are unique and gap-free as long as each issue is
 * one commit, which the transaction guarantees. One small file per issuer also keeps each
 * issue's rewrite small when a province's 1,500 schools issue in one repository.
 */
int docket_number_assign(docket_txn *txn, xmlNodePtr root, const char *id, const char *now,
                         docket_action_result *out)
{
	xmlNodePtr header = N(root, "header"), code, num, nota, date, marks;
	char year[5], day[11], regname[128], *reg = NULL, *type = NULL, *abbr = NULL;
	docket_buf path = DOCKET_BUF_INIT, line = DOCKET_BUF_INIT, notation = DOCKET_BUF_INIT;
	xmlChar *secrecy = NULL;
	size_t len = 0, count = 0, i;
	int error;

	memcpy(year, now, 4);
	year[4] = '\0';
	memcpy(day, now, 10);
	day[10] = '\0';
	marks = N(header, "marks");
	secrecy = marks ? xmlGetNoNsProp(marks, (const xmlChar *)"secrecy") : NULL;
	abbr = docket_xml_text_trim(N(N(header, "issuer"), "abbr"));
	if (!abbr || !*abbr) {
		error = docket_error_set(DOCKET_EINVALID,
			"cannot number '%s': the header needs an issuer abbreviation", id);
		goto cleanup;
	}
	register_name(regname, sizeof(regname), abbr);
	if ((error = docket_buf_printf(&path, ".docket/register/%s/%s%s.txt", year, regname,
	                               secrecy && strcmp((const char *)secrecy, "none") ? "-secret" : "")) < 0)
		goto cleanup;
	error = docket_txn_read(&reg, &len, txn, path.ptr);
	if (error == DOCKET_ENOTFOUND) {
		reg = docket_strdup("");
		len = 0;
		error = reg ? 0 : DOCKET_ERROR;
	}
	if (error < 0)
		goto cleanup;
	for (i = 0; i < len; i++)
		count += reg[i] == '\n';
	{
		xmlChar *t = N(header, "type") ? xmlGetNoNsProp(N(header, "type"), (const xmlChar *)"code") : NULL;
		type = docket_strdup(t ? (const char *)t : "");
		xmlFree(t);
	}
	if (!type || !*type) {
		error = docket_error_set(DOCKET_EINVALID,
			"cannot number '%s': the header needs a type code and an issuer abbreviation", id);
		goto cleanup;
	}
	if ((error = docket_buf_printf(&notation, "%s-%s", type, abbr)) < 0)
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
	docket_buf_free(&path);
	docket_buf_free(&line);
	docket_buf_free(&notation);
	return error;
}
