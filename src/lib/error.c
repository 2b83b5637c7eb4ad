/*
 * error: the thread-local last error. Functions return a small set of codes; the message
 * explains, in plain English, what failed and keeps the underlying library's own words.
 * Also the process-wide entry points: global initialisation and the library's version.
 */
#include <stdio.h>
#include <string.h>
#include <git2.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include <openssl/crypto.h>
#include "docket/version.h"
#include "internal.h"

static _Thread_local char last_message[2048];
static _Thread_local int last_code;

const char *docket_error_last(void)
{
	return last_message;
}

int docket_error_code(void)
{
	return last_code;
}

void docket_error_clear(void)
{
	last_message[0] = '\0';
	last_code = 0;
}

static void vset(int code, const char *fmt, va_list ap) DOCKET_PRINTF(2, 0);
static void vset(int code, const char *fmt, va_list ap)
{
	/* the message often quotes the previous one (docket_error_last() as an argument):
	 * format into a copy, then put it in place */
	char msg[sizeof(last_message)];

	last_code = code;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	memcpy(last_message, msg, sizeof(msg));
}

int docket_error_set(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(code, fmt, ap);
	va_end(ap);
	return code;
}

int docket_error_from_git(int giterr)
{
	switch (giterr) {
	case GIT_ENOTFOUND:
		return DOCKET_ENOTFOUND;
	case GIT_EEXISTS:
		return DOCKET_EEXISTS;
	case GIT_EMODIFIED:
	case GIT_ELOCKED:
		return DOCKET_ECONFLICT;
	case GIT_EINVALIDSPEC:
	case GIT_EAMBIGUOUS:
		return DOCKET_EUSAGE;
	default:
		return DOCKET_ERROR;
	}
}

int docket_error_git(int code, const char *fmt, ...)
{
	const git_error *ge = git_error_last();
	size_t n;
	va_list ap;

	va_start(ap, fmt);
	vset(code, fmt, ap);
	va_end(ap);
	n = strlen(last_message);
	if (ge && ge->message && n < sizeof(last_message)) {
		char tail[sizeof(last_message)];
		snprintf(tail, sizeof(tail), ": %s", ge->message);
		snprintf(last_message + n, sizeof(last_message) - n, "%s", tail);
	}
	return code;
}

static int initialised;

int docket_global_init(void)
{
	if (initialised++)
		return 0;
	xmlInitParser();
	if (git_libgit2_init() < 0)
		return docket_error_git(DOCKET_ERROR, "cannot initialise libgit2");
	/* libgit2 keeps up to 256 MiB of parsed objects by default; a replay of 500,000 commits
	 * reads each once, so a small cache keeps the memory flat as the repository grows */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 * 1024 * 1024));
	/* and pack files mapped through small windows, at most 64 MiB at once, however large
	 * the packs (mapped pages count in a process's resident memory) */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)8 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)64 * 1024 * 1024);
	/* A docket repository may be owned by another user on a server; libgit2 1.5 checks
	 * safe.directory itself, which we keep. */
	return 0;
}

void docket_global_shutdown(void)
{
	if (!initialised || --initialised)
		return;
	git_libgit2_shutdown();
	xsltCleanupGlobals();
	xmlCleanupParser();
}

int docket_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = DOCKET_VERSION_MAJOR;
	if (minor)
		*minor = DOCKET_VERSION_MINOR;
	if (patch)
		*patch = DOCKET_VERSION_PATCH;
	return 0;
}
