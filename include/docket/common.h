#ifndef DOCKET_COMMON_H
#define DOCKET_COMMON_H
/*
 * What every part of the API shares: the export and C++ guards, error codes and the
 * thread-local last error, releasing memory the library returns, the clock, and setting up
 * the process.
 *
 * Conventions (libgit2's): fallible functions return 0 on success or one of the negative
 * codes below, the detail (a message in plain English, with the underlying
 * libgit2/libxml2/OpenSSL message kept) read with docket_error_last() on the same thread;
 * out-parameters come first; getters return borrowed pointers; every object that comes back
 * through `**out` has a docket_<type>_free() that accepts NULL; strings and arrays the
 * library allocates for the caller are released with docket_free() (or docket_strv_free()
 * for NULL-terminated string arrays), never with free(). Option structs start with an
 * `unsigned int version`: initialise them with DOCKET_<X>_OPTIONS_INIT (or
 * docket_<x>_options_init()) and assign the fields by name.
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

/*
 * The version field in an options structure's DOCKET_<X>_OPTIONS_INIT, `{
 * DOCKET_INIT_VERSION(DOCKET_<X>_OPTIONS_VERSION) }`: the version set, the other fields zero.
 * Designated in C, where gcc's and clang's -Wextra (missing-field-initializers) accept it
 * without a warning; positional in C++, which has designated initialisers only from C++20.
 */
#ifdef __cplusplus
#define DOCKET_INIT_VERSION(v) (v)
#else
#define DOCKET_INIT_VERSION(v) .version = (v)
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
 * Release P: a string or array the library allocated for the caller (a `char **out` filled
 * by a docket function, the arrays of docket_strv_free's kind taken apart). Goes through the
 * allocator the library allocated with. NULL is allowed.
 */
DOCKET_EXTERN(void) docket_free(void *p);

/*
 * Notices: things the library did on its own that the person at the terminal should know
 * (e.g. "removed a stale lock left by process 4242 on HOST"). FN is called with each notice
 * (borrowed, valid during the call) and PAYLOAD; NULL (the default) drops them. One hook per
 * process; set it before other threads call docket.
 */
typedef void (*docket_notice_fn)(const char *message, void *payload);
DOCKET_EXTERN(void) docket_notice_set(docket_notice_fn fn, void *payload);

/*
 * Progress of a long operation (building the history index, the audit, ...): called with WHAT
 * (a short phrase such as "indexing history" or "auditing", borrowed), the units DONE so far
 * and the TOTAL when it is known (0: unknown), and the PAYLOAD given with it in the
 * operation's options. Called on the thread that called the operation, at most a few
 * times a second's worth of work apart and once more when DONE reaches TOTAL. Return 0 to go
 * on; any other value stops the operation, which then fails with DOCKET_ERROR ("stopped").
 */
typedef int (*docket_progress_cb)(const char *what, size_t done, size_t total, void *payload);

/*
 * Release V, a NULL-terminated array of strings the library allocated (each string, then
 * the array), e.g. from docket_template_list or docket_action_available. NULL is allowed.
 */
DOCKET_EXTERN(void) docket_strv_free(char **v);

/*
 * The current time as "YYYY-MM-DDTHH:MM:SS+07:00" (or $DOCKET_NOW when set, converted to
 * +07:00) into *OUT; free it with docket_free. Errors: DOCKET_EUSAGE when OUT is NULL or
 * $DOCKET_NOW is malformed, DOCKET_ERROR (out of memory); *OUT is NULL on failure.
 */
DOCKET_EXTERN(int) docket_now(char **out);

/*
 * Initialise libxml2, libxslt, libgit2 and OpenSSL once per process, before any other docket
 * call. Counted: safe to call twice; each call is matched by one docket_global_shutdown, the
 * last of which releases the libraries. Returns 0, or DOCKET_ERROR when libgit2 cannot start.
 */
DOCKET_EXTERN(int) docket_global_init(void);
/* Undo one docket_global_init; the last releases the libraries. */
DOCKET_EXTERN(void) docket_global_shutdown(void);
/*
 * Whether each object read from a repository is hashed again and checked against its id
 * (on by default). A read-only pass over many objects may turn it off for the process, as
 * git's own readers (cat-file, show, archive) never check: the hashing costs as much as the
 * decompression, and 'git fsck' and 'docket audit' remain the checks of the object store.
 * Process-wide: call before other threads use a repository.
 */
DOCKET_EXTERN(void) docket_global_verify_objects(int on);
/*
 * For a pass that reads each object of a repository once (validate --all): libgit2's pack
 * windows and object cache made small, so that the memory does not grow with the repository
 * (measured: no cost in time). Process-wide: call before other threads use a repository.
 */
DOCKET_EXTERN(void) docket_global_read_once(void);

DOCKET_END_DECL

#endif
