/*
 * csv: RFC 4180 files, read whole. Onboarding (units, people) and figures come from
 * spreadsheets; a reader that accepted anything would turn a stray quote into a wrong name in
 * a signed document, so everything outside the RFC is refused with its line number rather
 * than guessed at.
 */
#include <stdlib.h>
#include <string.h>
#include "util_internal.h"
#include "docket/csv.h"

typedef struct {
	char **fields;
	size_t n;
	int line;
} csv_row;

struct docket_csv {
	csv_row *rows;
	size_t n;
};

void docket_csv_free(docket_csv *csv)
{
	if (!csv)
		return;
	for (size_t i = 0; i < csv->n; i++) {
		for (size_t k = 0; k < csv->rows[i].n; k++)
			free(csv->rows[i].fields[k]);
		free(csv->rows[i].fields);
	}
	free(csv->rows);
	free(csv);
}

/* The length of the valid UTF-8 sequence at P (at most N bytes), or 0. */
static size_t utf8_len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (p[0] < 0x80)
		return 1;
	if ((p[0] & 0xE0) == 0xC0) {
		len = 2;
		cp = p[0] & 0x1F;
	} else if ((p[0] & 0xF0) == 0xE0) {
		len = 3;
		cp = p[0] & 0x0F;
	} else if ((p[0] & 0xF8) == 0xF0) {
		len = 4;
		cp = p[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	/* overlong forms, surrogates, beyond Unicode */
	if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
		return 0;
	return len;
}

static int add_field(csv_row *row, docket_buf *field)
{
	char **f = realloc(row->fields, (row->n + 1) * sizeof(*f));
	if (!f)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	row->fields = f;
	if (!(f[row->n] = docket_strndup(field->ptr ? field->ptr : "", field->len)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	row->n++;
	field->len = 0;
	return 0;
}

/* Keep ROW, unless it is a blank line (one empty field that was not quoted). */
static int add_row(docket_csv *csv, csv_row *row, int was_quoted)
{
	csv_row *r;
	if (row->n == 1 && !row->fields[0][0] && !was_quoted) {
		free(row->fields[0]);
		free(row->fields);
		memset(row, 0, sizeof(*row));
		return 0;
	}
	if (!(r = realloc(csv->rows, (csv->n + 1) * sizeof(*r))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	csv->rows = r;
	r[csv->n++] = *row;
	memset(row, 0, sizeof(*row));
	return 0;
}

int docket_csv_parse(docket_csv **out, const char *buf, size_t len, const char *name)
{
	const unsigned char *p = (const unsigned char *)buf, *end = p + len;
	docket_csv *csv = NULL;
	docket_buf field = DOCKET_BUF_INIT;
	csv_row row;
	int error = 0, line = 1, quoted = 0, was_quoted = 0, qline = 0;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "csv: no place for the result");
	*out = NULL;
	if (!buf && len)
		return docket_error_set(DOCKET_EUSAGE, "csv: no data");
	name = name ? name : "csv";
	memset(&row, 0, sizeof(row));
	if (!(csv = calloc(1, sizeof(*csv))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		p += 3;
	row.line = line;
	while (p < end) {
		size_t n = utf8_len(p, (size_t)(end - p));
		if (!n || (*p == 0)) {
			error = docket_error_set(DOCKET_EINVALID, "%s:%d: not UTF-8 text (save the spreadsheet as "
			                         "\"CSV UTF-8\")", name, line);
			goto cleanup;
		}
		if (quoted) {
			if (*p == '"' && p + 1 < end && p[1] == '"') {
				error = docket_buf_put(&field, "\"", 1);
				p += 2;
				continue;
			}
			if (*p == '"') {
				quoted = 0;
				p++;
				if (p < end && *p != ',' && *p != '\n' && *p != '\r') {
					error = docket_error_set(DOCKET_EINVALID, "%s:%d: text after the closing quote of a "
					                         "field (a quote inside a field is written twice: \"\")", name, line);
					goto cleanup;
				}
				continue;
			}
			if (*p == '\n')
				line++;
			if ((error = docket_buf_put(&field, (const char *)p, n)) < 0)
				goto cleanup;
			p += n;
			continue;
		}
		if (*p == '"') {
			if (field.len) {
				error = docket_error_set(DOCKET_EINVALID, "%s:%d: a quote inside an unquoted field (quote the "
				                         "whole field and write the quote twice: \"\")", name, line);
				goto cleanup;
			}
			quoted = was_quoted = 1;
			qline = line;
			p++;
			continue;
		}
		if (*p == ',') {
			if ((error = add_field(&row, &field)) < 0)
				goto cleanup;
			was_quoted = 0;
			p++;
			continue;
		}
		if (*p == '\r' || *p == '\n') {
			if (*p == '\r' && p + 1 < end && p[1] == '\n')
				p++;
			p++;
			if ((error = add_field(&row, &field)) < 0)
				goto cleanup;
			if ((error = add_row(csv, &row, was_quoted)) < 0)
				goto cleanup;
			was_quoted = 0;
			line++;
			row.line = line;
			continue;
		}
		if ((error = docket_buf_put(&field, (const char *)p, n)) < 0)
			goto cleanup;
		p += n;
	}
	if (quoted) {
		error = docket_error_set(DOCKET_EINVALID, "%s:%d: a quoted field is never closed", name, qline);
		goto cleanup;
	}
	if (field.len || row.n || was_quoted) {
		if ((error = add_field(&row, &field)) < 0 || (error = add_row(csv, &row, was_quoted)) < 0)
			goto cleanup;
	}
	if (!csv->n) {
		error = docket_error_set(DOCKET_EINVALID, "%s: empty: the first line names the columns", name);
		goto cleanup;
	}
	*out = csv;
	csv = NULL;
cleanup:
	for (size_t k = 0; k < row.n; k++)
		free(row.fields[k]);
	free(row.fields);
	docket_buf_free(&field);
	docket_csv_free(csv);
	return error;
}

size_t docket_csv_rows(const docket_csv *csv)
{
	return csv ? csv->n : 0;
}

size_t docket_csv_width(const docket_csv *csv, size_t row)
{
	return csv && row < csv->n ? csv->rows[row].n : 0;
}

const char *docket_csv_field(const docket_csv *csv, size_t row, size_t col)
{
	if (!csv || row >= csv->n || col >= csv->rows[row].n)
		return NULL;
	return csv->rows[row].fields[col];
}

int docket_csv_line(const docket_csv *csv, size_t row)
{
	return csv && row < csv->n ? csv->rows[row].line : 0;
}

int docket_csv_column(const docket_csv *csv, const char *name)
{
	size_t i, nl;

	if (!csv || !csv->n || !name)
		return -1;
	nl = strlen(name);
	for (i = 0; i < csv->rows[0].n; i++) {
		const char *h = csv->rows[0].fields[i];
		size_t hl;
		while (*h == ' ')
			h++;
		hl = strlen(h);
		while (hl && h[hl - 1] == ' ')
			hl--;
		if (hl == nl && strncmp(h, name, nl) == 0)
			return (int)i;
	}
	return -1;
}
