/*
 * giterr: libgit2's errors translated where they happen - its return codes mapped to
 * docket's few codes, its own message kept after docket's.
 */
#include <stdio.h>
#include <git2.h>
#include "store_internal.h"

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
	char msg[2048];
	va_list ap;

	/* formatted first: the message often quotes the previous one (docket_error_last()) */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (ge && ge->message)
		return docket_error_set(code, "%s: %s", msg, ge->message);
	return docket_error_set(code, "%s", msg);
}
