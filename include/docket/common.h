#ifndef DOCKET_COMMON_H
#define DOCKET_COMMON_H
/*
 * Error codes and the thread-local last error shared by every docket function.
 *
 * Fallible functions return 0 on success or one of the negative codes below; the detail
 * (a message in plain English, with the underlying libgit2/libxml2/OpenSSL message kept)
 * is read with docket_error_last() on the same thread.
 */
#include <stddef.h>

/*
 * DOCKET_EXTERN(type) marks a function of the public API. The library is compiled with
 * -fvisibility=hidden and DOCKET_BUILDING_LIBRARY: libdocket.so exports what this marks and
 * nothing else.
 */
#if defined(DOCKET_BUILDING_LIBRARY) && defined(__GNUC__)
#define DOCKET_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define DOCKET_EXTERN(type) extern type
#endif

/* Every public header's declarations sit between these, for C++ callers. */
#ifdef __cplusplus
#define DOCKET_BEGIN_DECL extern "C" {
#define DOCKET_END_DECL }
#else
#define DOCKET_BEGIN_DECL
#define DOCKET_END_DECL
#endif

DOCKET_BEGIN_DECL

enum {
	DOCKET_OK = 0,
	DOCKET_ERROR = -1,      /* anything else: I/O, repository, internal */
	DOCKET_ENOTFOUND = -2,  /* no such document, revision, person, ... */
	DOCKET_EINVALID = -3,   /* the input is invalid (bad XML, schema, rule) */
	DOCKET_EVERIFY = -4,    /* a signature or check failed */
	DOCKET_ECONFLICT = -5,  /* lost a race: the document changed since it was read */
	DOCKET_EEXISTS = -6,    /* the thing to create already exists */
	DOCKET_EDENIED = -7,    /* the actor may not do this (state, role, unit, duty) */
	DOCKET_EUSAGE = -8      /* a caller error: bad argument */
};

/* The message of the last error on this thread, or "" when there is none. Borrowed. */
DOCKET_EXTERN(const char *) docket_error_last(void);

/* The code of the last error on this thread, or 0. */
DOCKET_EXTERN(int) docket_error_code(void);

/* Forget the last error. */
DOCKET_EXTERN(void) docket_error_clear(void);

/*
 * Notices: things the library did on its own that the person at the terminal should know
 * (e.g. "removed a stale lock left by process 4242 on host"). FN is called with each notice
 * (borrowed) and PAYLOAD; NULL (the default) drops them. One hook per process.
 */
typedef void (*docket_notice_fn)(const char *message, void *payload);
DOCKET_EXTERN(void) docket_notice_set(docket_notice_fn fn, void *payload);

/* The current time as "YYYY-MM-DDTHH:MM:SS+07:00" (or $DOCKET_NOW when set, converted to
 * +07:00), malloc'd; NULL with the error set when $DOCKET_NOW is malformed. */
DOCKET_EXTERN(char *) docket_now_iso(void);

/* Initialise libxml2, libxslt, libgit2 and OpenSSL once per process. Safe to call twice. */
DOCKET_EXTERN(int) docket_global_init(void);
DOCKET_EXTERN(void) docket_global_shutdown(void);

DOCKET_END_DECL

#endif
