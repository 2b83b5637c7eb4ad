#ifndef DOCKET_UTIL_INTERNAL_H
#define DOCKET_UTIL_INTERNAL_H
/* The util layer: errors, buffers, time, encodings, files, the built-in data. Shared by
 * every layer above; not part of the public API. No libgit2 and no libxml2 here. */
#include <stdarg.h>
#include <stddef.h>
#include <time.h>
#include "docket/common.h"

#if defined(__GNUC__)
#define DOCKET_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DOCKET_PRINTF(a, b)
#endif

/* Set the thread's last error and return CODE. */
int docket_error_set(int code, const char *fmt, ...) DOCKET_PRINTF(2, 3);

/*
 * 0 when VERSION, the version field of an options structure of type TYPE
 * ("docket_add_options"), is KNOWN; else DOCKET_EUSAGE with a message naming INIT (the
 * structure's _INIT macro).
 */
int docket_options_check(unsigned int version, unsigned int known, const char *type, const char *init);

/* The threads worth running for JOBS (0: the number of cores online), at least 1, at most 64. */
unsigned int docket_jobs(unsigned int jobs);

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
/* Append S (NULL: nothing) escaped for XML text and attribute values (& < > "). */
int docket_buf_put_xml(docket_buf *b, const char *s);
int docket_buf_printf(docket_buf *b, const char *fmt, ...) DOCKET_PRINTF(2, 3);
/* Hand the buffer over: *out gets ptr (never NULL), the buffer is reset. */
char *docket_buf_detach(docket_buf *b, size_t *out_len);
void docket_buf_free(docket_buf *b);

char *docket_strdup(const char *s);
char *docket_strndup(const char *s, size_t n);

/*
 * The allocator behind docket_buf, docket_strdup/strndup and docket_free (the public function
 * callers release the library's strings and arrays with). Tests replace it to make an
 * allocation fail on purpose (as libgit2's tests do) and check that nothing half-made is
 * written. Inside the library some of what it returns is still released with free(), so a
 * replacement must hand out memory from malloc (a failing allocator wraps it); what reaches a
 * caller goes back through docket_free, hence through FREE_FN. Not thread-safe: set it while
 * no other docket call runs. NULL restores the C library's functions.
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

/* --- time (time.c) ------------------------------------------------------------------------- */

/* The organisation's offset from UTC (Vietnam, UTC+07:00): the zone docket writes times in. */
#define DOCKET_ORG_UTC_OFFSET_MINUTES (7 * 60)
/* Room for "YYYY-MM-DDTHH:MM:SS+hh:mm" and its NUL. */
#define DOCKET_TIME_TEXT 40

/* docket_time_parse flags. Default: xs:dateTime with a mandatory zone ("Z" or +hh:mm),
 * optional fractional seconds, nothing after it. */
#define DOCKET_TIME_LENIENT 1u        /* zone optional (UTC), trailing text ignored */
#define DOCKET_TIME_WHOLE_SECONDS 2u  /* no fraction, no leap second, years 1900-2200 */

/*
 * "2021-05-11T09:30:00+07:00" as seconds since the epoch (*utc) and the offset in minutes
 * (*offset_min, may be NULL). DOCKET_EINVALID (no message set) when unreadable.
 */
int docket_time_parse(time_t *utc, int *offset_min, const char *s, unsigned flags);
/* Now: $DOCKET_NOW when set (DOCKET_EUSAGE, message set, when malformed), else the clock. */
int docket_time_now(time_t *out);
/* T written in OFFSET_MIN ("2021-05-11T09:30:00+07:00"). */
void docket_time_format(char out[DOCKET_TIME_TEXT], time_t t, int offset_min);
/* T as "YYYY-MM-DDTHH:MM:SSZ" into out[32]. */
void docket_time_utc(char out[32], time_t t);
/* Now as "YYYY-MM-DDTHH:MM:SS+07:00" (see docket_now), malloc'd; NULL with the error set. */
char *docket_time_now_iso(void);
/* ISO date "YYYY-MM-DD" of now in the organisation's zone, malloc'd; NULL with the error set. */
char *docket_today(void);

/* --- encodings (encode.c) ------------------------------------------------------------------ */

/* Lowercase hex of DATA into a malloc'd string. */
char *docket_hex(const unsigned char *data, size_t len);
/* Base64 (RFC 4648) without line breaks; *out malloc'd. */
int docket_base64_encode(char **out, const unsigned char *data, size_t len);
/* Base64 decoding that ignores white space; DOCKET_EINVALID on bad input. *out malloc'd. */
int docket_base64_decode(unsigned char **out, size_t *out_len, const char *text);

/* --- files (file.c) ------------------------------------------------------------------------ */

/* Write DATA to PATH atomically: temporary file in the same directory, fsync, rename. */
int docket_file_write_atomic(const char *path, const char *data, size_t len, int mode);
/* Read a whole file (at most MAX bytes, else DOCKET_EINVALID). */
int docket_file_read(char **out, size_t *out_len, const char *path, size_t max);
/*
 * Create PATH with DATA, never replacing anything that exists there (symbolic links
 * included): a temporary file (O_EXCL|O_NOFOLLOW, MODE) in the same directory, fsync, then
 * link(2) into place and unlink the temporary. DOCKET_EEXISTS when PATH exists.
 */
int docket_file_create_new(const char *path, const char *data, size_t len, int mode);
/* Whether PATH is a directory with no entry (0 when it cannot be read). */
int docket_dir_is_empty(const char *path);
/* Remove PATH and everything below it, best effort, without following symbolic links (for
 * undoing what a failed init or clone made). */
void docket_rmtree(const char *path);
/* Whether PATH exists (without following a final symbolic link). */
int docket_path_exists(const char *path);

/* Hand a notice to the hook of docket_notice_set (dropped when there is none). */
void docket_notice(const char *fmt, ...) DOCKET_PRINTF(1, 2);

#endif
