#ifndef DOCKET_WEB_INTERNAL_H
#define DOCKET_WEB_INTERNAL_H
/*
 * The web library's shared helpers (html.c): a growable buffer whose first failed allocation
 * sticks (check it once, at the end), the one HTML-escaping function every text goes
 * through, the frame of a self-contained page (no script, nothing loaded from anywhere, a
 * Content-Security-Policy that forbids it), and writing files atomically. Used by the static
 * site (site.c) and the server; not part of libdocket.
 */
#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__)
#define WEB_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define WEB_PRINTF(a, b)
#endif

/* Always NUL-terminated once something was put; FAILED set by the first allocation failure. */
typedef struct {
	char *ptr;
	size_t len;
	size_t cap;
	int failed;
} web_buf;
#define WEB_BUF_INIT { NULL, 0, 0, 0 }

/* Append raw bytes (markup the caller wrote, never text from a document or a user). */
void web_put(web_buf *b, const char *data, size_t len);
void web_puts(web_buf *b, const char *s);
/* printf into the buffer: for markup and numbers only; text goes through web_escape. */
void web_printf(web_buf *b, const char *fmt, ...) WEB_PRINTF(2, 3);
/*
 * Append TEXT (UTF-8; NULL: nothing) escaped for HTML text and for double- or single-quoted
 * attribute values: & < > " ' become entities; C0 control characters other than tab, line
 * feed and carriage return (not allowed in HTML) are dropped.
 */
void web_escape(web_buf *b, const char *text);
/* web_escape of TEXT, or DASH ("—") when TEXT is NULL or empty. */
void web_escape_or_dash(web_buf *b, const char *text);
/* Hand the contents over (malloc'd, never NULL unless the buffer failed): the buffer is reset. */
char *web_buf_detach(web_buf *b, size_t *out_len);
void web_buf_free(web_buf *b);

/*
 * The frame of a page: <!DOCTYPE html>, UTF-8, the CSP meta (default-src 'none';
 * style-src 'unsafe-inline'), the escaped TITLE, the shared style sheet in one <style>
 * element, <body>. web_page_end closes it.
 */
void web_page_begin(web_buf *b, const char *title);
void web_page_end(web_buf *b);

/*
 * Whether ID can name a file and a URL path segment as it is: 1 to 64 of [A-Za-z0-9._-],
 * starting with a letter or digit (the schema's DocumentId).
 */
int web_safe_id(const char *id);

/*
 * Write LEN bytes of DATA to PATH atomically: a temporary file in the same directory
 * (O_EXCL, mode 0644 less the umask), fsync, rename over PATH. Returns 0, or -1 with errno
 * set; nothing is left behind on failure.
 */
int web_write_file_atomic(const char *path, const char *data, size_t len);

#endif
