#ifndef DOCKET_INTERNAL_H
#define DOCKET_INTERNAL_H
/* Helpers shared by the library's subsystems; not part of the public API. */
#include <stdarg.h>
#include <stddef.h>
#include <git2.h>
#include <libxml/tree.h>
#include "docket/common.h"

#if defined(__GNUC__)
#define DOCKET_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DOCKET_PRINTF(a, b)
/* Line and column of NODE (an xmlNodePtr), or of its attribute ATTR, in DOC's text. */
struct docket_doc;
void docket_doc_position(const struct docket_doc *doc, const void *node, const char *attr,
                         int *line, int *col);

#endif

/* Set the thread's last error and return CODE. */
int docket_error_set(int code, const char *fmt, ...) DOCKET_PRINTF(2, 3);
/* Same, appending libgit2's own message for the failed call. */
int docket_error_git(int code, const char *fmt, ...) DOCKET_PRINTF(2, 3);
/* Map a libgit2 return code to a docket code. */
int docket_error_from_git(int giterr);

/* A growable byte buffer, always NUL-terminated. */
typedef struct {
	char *ptr;
	size_t len;
	size_t cap;
} docket_buf;
#define DOCKET_BUF_INIT { NULL, 0, 0 }
int docket_buf_grow(docket_buf *b, size_t extra);
int docket_buf_put(docket_buf *b, const char *data, size_t len);
int docket_buf_puts(docket_buf *b, const char *s);
int docket_buf_printf(docket_buf *b, const char *fmt, ...) DOCKET_PRINTF(2, 3);
/* Hand the buffer over: *out gets ptr (never NULL), the buffer is reset. */
char *docket_buf_detach(docket_buf *b, size_t *out_len);
void docket_buf_free(docket_buf *b);

char *docket_strdup(const char *s);
char *docket_strndup(const char *s, size_t n);

/*
 * The allocator behind docket_buf and docket_strdup/strndup. Tests replace it to make an
 * allocation fail on purpose (as libgit2's tests do) and check that nothing half-made is
 * written. What it returns is released with free() elsewhere in the library, so a replacement
 * must hand out memory from malloc (a failing allocator wraps it). Not thread-safe: set it
 * while no other docket call runs. NULL restores the C library's functions.
 */
typedef struct {
	void *(*malloc_fn)(size_t size);
	void *(*realloc_fn)(void *ptr, size_t size);
	void (*free_fn)(void *ptr);
	char *(*strdup_fn)(const char *s);
} docket_allocator;
void docket__set_allocator(const docket_allocator *allocator);

/* Built-in data files (schemas/, workflows/, repo-template/). */
#include "data.h"
const docket_data_file *docket_data_get(const char *path);

/* Parse untrusted XML with docket's safe options (see xml.c). NAME for messages. */
int docket_xml_parse(xmlDocPtr *out, const char *buf, size_t len, const char *name);
/* The first element child of NODE with local name NAME in namespace NS (NULL: any). */
xmlNodePtr docket_xml_child(xmlNodePtr node, const char *ns, const char *name);
/* The next element sibling of NODE with the same name and namespace. */
xmlNodePtr docket_xml_next(xmlNodePtr node);
/* Follow a "/"-separated path of local names in NS from NODE. */
xmlNodePtr docket_xml_path(xmlNodePtr node, const char *ns, const char *path);
/* Text content of NODE, malloc'd ("" when NODE is NULL). */
char *docket_xml_text(xmlNodePtr node);
/* Text content trimmed of surrounding white space, malloc'd. */
char *docket_xml_text_trim(xmlNodePtr node);
/* Whether NODE is an element named NAME in NS. */
int docket_xml_is(xmlNodePtr node, const char *ns, const char *name);

/*
 * "2021-05-11T09:30:00+07:00" (also "Z"-less forms with an offset) as seconds since the epoch
 * and the offset in minutes. DOCKET_EINVALID when unreadable.
 */
#include <time.h>
int docket_iso_parse(const char *s, time_t *utc, int *offset_min);

/* Write DATA to PATH atomically: temporary file in the same directory, fsync, rename. */
int docket_file_write_atomic(const char *path, const char *data, size_t len, int mode);
/* Read a whole file (at most MAX bytes, else DOCKET_EINVALID). */
int docket_file_read(char **out, size_t *out_len, const char *path, size_t max);

/* Line and column of NODE (an xmlNodePtr), or of its attribute ATTR, in DOC's text. */
struct docket_doc;
void docket_doc_position(const struct docket_doc *doc, const void *node, const char *attr,
                         int *line, int *col);

#endif
