/*
 * wbuf: the growing buffer every page is written into, with the two encodings a page needs,
 * HTML escaping for text and attribute values, and percent-encoding for URL parts. Every byte
 * a page takes from a document, the repository, the configuration or the request goes out
 * through wb_esc (and wb_url inside links).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "serve_internal.h"

static int grow(wbuf *b, size_t more)
{
	size_t cap;
	char *p;

	if (b->oom)
		return -1;
	if (b->len + more + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 4096;
	while (cap < b->len + more + 1) {
		if (cap > SIZE_MAX / 2) {
			b->oom = 1;
			return -1;
		}
		cap *= 2;
	}
	if (!(p = realloc(b->ptr, cap))) {
		b->oom = 1;
		return -1;
	}
	b->ptr = p;
	b->cap = cap;
	return 0;
}

void wb_put(wbuf *b, const char *s, size_t n)
{
	if (!s || grow(b, n) < 0)
		return;
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
	b->ptr[b->len] = '\0';
}

void wb_puts(wbuf *b, const char *s)
{
	if (s)
		wb_put(b, s, strlen(s));
}

void wb_printf(wbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void wb_esc(wbuf *b, const char *s)
{
	const char *start = s;

	if (!s)
		return;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		wb_put(b, start, (size_t)(s - start));
		wb_puts(b, rep);
		start = s + 1;
	}
	wb_put(b, start, (size_t)(s - start));
}

void wb_url(wbuf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3];

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			wb_put(b, (const char *)&c, 1);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		wb_put(b, enc, 3);
	}
}

void wb_free(wbuf *b)
{
	free(b->ptr);
	memset(b, 0, sizeof(*b));
}
