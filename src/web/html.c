/*
 * html: what every page docket writes for a browser shares. One buffer type whose first
 * allocation failure sticks, so page code reads as a sequence of puts and is checked once;
 * one escaping function that every piece of text goes through (documents, commit messages
 * and names are untrusted: a subject with "<script>" must arrive as text); the frame of a
 * self-contained page; and files written atomically, so a reader never sees half a page.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "web.h"
#include "web_internal.h"

static int grow(web_buf *b, size_t extra)
{
	size_t want;
	char *p;

	if (b->failed)
		return -1;
	if (extra > (size_t)-1 / 2 - b->len)
		goto fail;
	want = b->len + extra + 1;
	if (want <= b->cap)
		return 0;
	if (want < 256)
		want = 256;
	if (want < b->cap * 2)
		want = b->cap * 2;
	if (!(p = realloc(b->ptr, want)))
		goto fail;
	b->ptr = p;
	b->cap = want;
	return 0;
fail:
	b->failed = 1;
	return -1;
}

void web_put(web_buf *b, const char *data, size_t len)
{
	if (grow(b, len) < 0)
		return;
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void web_puts(web_buf *b, const char *s)
{
	if (s)
		web_put(b, s, strlen(s));
}

void web_printf(web_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (grow(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void web_escape(web_buf *b, const char *text)
{
	const char *p, *run;

	if (!text)
		return;
	for (run = p = text; *p; p++) {
		const char *ent = NULL;
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		case '"': ent = "&quot;"; break;
		case '\'': ent = "&#39;"; break;
		default:
			if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
				ent = "";
			else if (c == 0x7f)
				ent = "";
		}
		if (!ent)
			continue;
		web_put(b, run, (size_t)(p - run));
		web_puts(b, ent);
		run = p + 1;
	}
	web_put(b, run, (size_t)(p - run));
}

void web_escape_or_dash(web_buf *b, const char *text)
{
	if (text && *text)
		web_escape(b, text);
	else
		web_puts(b, "—");
}

char *web_buf_detach(web_buf *b, size_t *out_len)
{
	char *p;

	if (b->failed) {
		web_buf_free(b);
		return NULL;
	}
	if (!b->ptr)
		web_put(b, "", 0);
	if (b->failed)
		return NULL;
	p = b->ptr;
	if (out_len)
		*out_len = b->len;
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void web_buf_free(web_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

/* The look of the site's own pages (index, timelines); the document pages have page.xsl's. */
static const char site_css[] =
	"body{margin:0;background:#f4f4f4;color:#111;font-family:\"Times New Roman\",\"Liberation Serif\",serif;"
	"font-size:15px;line-height:1.4}\n"
	"main{max-width:1100px;margin:0 auto;padding:16px 24px;background:#fff;min-height:100vh}\n"
	"h1{font-size:22px;margin:8px 0 4px}h2{font-size:19px;margin:24px 0 6px;border-bottom:1px solid #999}\n"
	"h3{font-size:16px;margin:14px 0 4px}\n"
	"table{border-collapse:collapse;width:100%;margin:4px 0 12px}\n"
	"th,td{border:1px solid #bbb;padding:3px 6px;vertical-align:top;text-align:left}\n"
	"th{background:#eee}td.num{white-space:nowrap}\n"
	"nav{font-size:14px;margin-bottom:8px}a{color:#1a3d7c}\n"
	".sig{margin:2px 0}.valid{color:#165c1f}.invalid{color:#a00000;font-weight:bold}"
	".unverified{color:#555}\n"
	".meta{color:#444;font-size:14px}\n";

void web_page_begin(web_buf *b, const char *title)
{
	web_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"UTF-8\">\n"
	            "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	            "style-src 'unsafe-inline'; img-src data:\">\n"
	            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	            "<meta name=\"generator\" content=\"docket\">\n<title>");
	web_escape(b, title);
	web_puts(b, "</title>\n<style>\n");
	web_puts(b, site_css);
	web_puts(b, "</style>\n</head>\n<body>\n<main>\n");
}

void web_page_end(web_buf *b)
{
	web_puts(b, "</main>\n</body>\n</html>\n");
}

int web_safe_id(const char *id)
{
	size_t i;

	if (!id || !((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= 'A' && id[0] <= 'Z') ||
	             (id[0] >= '0' && id[0] <= '9')))
		return 0;
	for (i = 0; id[i]; i++) {
		char c = id[i];
		if (i >= 64 || !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		                 (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

int web_write_file_atomic(const char *path, const char *data, size_t len)
{
	char *tmp = NULL;
	size_t n = strlen(path);
	mode_t mask;
	int fd = -1, made = 0, saved;

	if (!(tmp = malloc(n + sizeof(".tmp.XXXXXX")))) {
		errno = ENOMEM;
		return -1;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	if ((fd = mkstemp(tmp)) < 0)
		goto fail;
	made = 1;
	/* mkstemp makes 0600; a page is for readers: 0644 less the umask */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0644 & ~mask) < 0)
		goto fail;
	while (len > 0) {
		ssize_t w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		data += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	if (made)
		unlink(tmp);
	free(tmp);
	errno = saved;
	return -1;
}

int web_file_write(const char *path, const char *data, size_t len)
{
	if (web_write_file_atomic(path, data, len) < 0)
		return web_error(DOCKET_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* --- the last error of the web library ------------------------------------------------------ */

static _Thread_local char last_message[2048];

int web_error(int code, const char *fmt, ...)
{
	char msg[sizeof(last_message)];
	va_list ap;

	/* the message may quote the previous one: format into a copy first */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	memcpy(last_message, msg, sizeof(msg));
	return code;
}

const char *web_error_last(void)
{
	return last_message;
}
