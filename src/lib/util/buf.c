/*
 * buf: a growable NUL-terminated byte buffer, plus small string helpers used across the
 * library.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util_internal.h"

static char *libc_strdup(const char *s)
{
	return strdup(s);
}

static const docket_allocator libc_allocator = { malloc, realloc, free, libc_strdup };
static const docket_allocator *allocator = &libc_allocator;

void docket__set_allocator(const docket_allocator *a)
{
	allocator = a ? a : &libc_allocator;
}

/* Memory the library hands to callers goes back through the allocator that made it. */
void docket_free(void *p)
{
	if (p)
		allocator->free_fn(p);
}

void docket_strv_free(char **v)
{
	size_t i;
	for (i = 0; v && v[i]; i++)
		docket_free(v[i]);
	docket_free(v);
}

int docket_buf_grow(docket_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX / 2 - b->len)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if ((p = allocator->realloc_fn(b->ptr, cap)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int docket_buf_put(docket_buf *b, const char *data, size_t len)
{
	if (docket_buf_grow(b, len) < 0)
		return DOCKET_ERROR;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int docket_buf_puts(docket_buf *b, const char *s)
{
	return docket_buf_put(b, s, strlen(s));
}

int docket_buf_put_xml(docket_buf *b, const char *s)
{
	int error = 0;

	for (; s && *s && !error; s++) {
		switch (*s) {
		case '&': error = docket_buf_puts(b, "&amp;"); break;
		case '<': error = docket_buf_puts(b, "&lt;"); break;
		case '>': error = docket_buf_puts(b, "&gt;"); break;
		case '"': error = docket_buf_puts(b, "&quot;"); break;
		default: error = docket_buf_put(b, s, 1);
		}
	}
	return error;
}

int docket_buf_printf(docket_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || docket_buf_grow(b, (size_t)n) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

char *docket_buf_detach(docket_buf *b, size_t *out_len)
{
	char *p;

	if (!b->ptr && docket_buf_grow(b, 0) < 0)
		return NULL;
	p = b->ptr;
	if (out_len)
		*out_len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void docket_buf_free(docket_buf *b)
{
	allocator->free_fn(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

char *docket_strdup(const char *s)
{
	return s ? allocator->strdup_fn(s) : NULL;
}

char *docket_strndup(const char *s, size_t n)
{
	char *p = n < SIZE_MAX ? allocator->malloc_fn(n + 1) : NULL;
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}
