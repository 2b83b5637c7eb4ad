#ifndef DOCKET_CSV_H
#define DOCKET_CSV_H
/*
 * CSV files as people's spreadsheets write them (RFC 4180): UTF-8, fields separated by
 * commas, a field quoted with double quotes when it holds a comma, a quote or a line break,
 * a quote inside a quoted field written twice; CRLF or LF line ends; a UTF-8 byte order mark
 * at the start is skipped; blank lines are skipped. The first row is the header. Every row
 * keeps the line number it starts on, for messages.
 */
#include <stddef.h>
#include "common.h"

DOCKET_BEGIN_DECL

typedef struct docket_csv docket_csv;

/*
 * Parse BUF (LEN bytes; NAME for messages). DOCKET_EINVALID with "NAME:LINE: ..." for
 * invalid UTF-8, a quote inside an unquoted field, text after a closing quote, a quoted
 * field never closed, or no header row.
 */
DOCKET_EXTERN(int) docket_csv_parse(docket_csv **out, const char *buf, size_t len, const char *name);
DOCKET_EXTERN(void) docket_csv_free(docket_csv *csv);

/* Rows, the header (row 0) included. */
DOCKET_EXTERN(size_t) docket_csv_rows(const docket_csv *csv);
/* Fields of ROW (0 when there is no such row). */
DOCKET_EXTERN(size_t) docket_csv_width(const docket_csv *csv, size_t row);
/* Field COL of ROW, borrowed; NULL when the row is shorter. Surrounding spaces of an
 * unquoted field are kept: callers trim what they must. */
DOCKET_EXTERN(const char *) docket_csv_field(const docket_csv *csv, size_t row, size_t col);
/* The line ROW starts on (1-based). */
DOCKET_EXTERN(int) docket_csv_line(const docket_csv *csv, size_t row);
/* The column whose header is NAME (exact, after trimming spaces), or -1. */
DOCKET_EXTERN(int) docket_csv_column(const docket_csv *csv, const char *name);

DOCKET_END_DECL

#endif
