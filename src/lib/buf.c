/*
 * buf: a growable NUL-terminated byte buffer, plus small string and file helpers used
 * across the library. Files written outside git's object store go through a temporary
 * file in the same directory and a rename, so a crash never leaves half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

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

int docket_file_write_atomic(const char *path, const char *data, size_t len, int mode)
{
	docket_buf tmp = DOCKET_BUF_INIT;
	int fd = -1, error = DOCKET_ERROR;
	size_t off = 0;

	if (docket_buf_printf(&tmp, "%s.docket-tmp.%ld", path, (long)getpid()) < 0)
		goto cleanup;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
			goto cleanup;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot rename '%s' to '%s': %s", tmp.ptr, path,
		                 strerror(errno));
		goto cleanup;
	}
	error = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (error && tmp.ptr)
		unlink(tmp.ptr);
	docket_buf_free(&tmp);
	return error;
}

int docket_file_read(char **out, size_t *out_len, const char *path, size_t max)
{
	docket_buf b = DOCKET_BUF_INIT;
	FILE *f = NULL;
	char chunk[65536];
	size_t n;
	int error = DOCKET_ERROR;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		error = docket_error_set(errno == ENOENT ? DOCKET_ENOTFOUND : DOCKET_ERROR,
		                         "cannot open '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			error = docket_error_set(DOCKET_EINVALID,
				"'%s' is larger than %zu bytes, the most docket accepts", path, max);
			goto cleanup;
		}
		if (docket_buf_put(&b, chunk, n) < 0)
			goto cleanup;
	}
	if (ferror(f)) {
		docket_error_set(DOCKET_ERROR, "cannot read '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	*out = docket_buf_detach(&b, out_len);
	error = *out ? 0 : DOCKET_ERROR;
cleanup:
	if (f)
		fclose(f);
	docket_buf_free(&b);
	return error;
}

int docket_iso_parse(const char *s, time_t *utc, int *offset_min)
{
	struct tm tm;
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	char sign = '+';

	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &sec, &sign, &oh, &om) < 6)
		return DOCKET_EINVALID;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	*offset_min = (sign == '-' ? -1 : 1) * (oh * 60 + om);
	*utc = timegm(&tm) - (time_t)*offset_min * 60;
	return 0;
}
