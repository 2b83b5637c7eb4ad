/*
 * error: the thread-local last error. Functions return a small set of codes; the message
 * explains, in plain English, what failed and keeps the underlying library's own words.
 */
#include <stdio.h>
#include <unistd.h>
#include <string.h>
#include "util_internal.h"

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

int docket_options_check(unsigned int version, unsigned int known, const char *type, const char *init)
{
	if (version == known)
		return 0;
	if (version == 0)
		return docket_error_set(DOCKET_EUSAGE, "%s has no version: initialise it with %s", type, init);
	return docket_error_set(DOCKET_EUSAGE, "%s version %u is not supported (this library knows version %u): "
	                        "initialise it with %s", type, version, known, init);
}

unsigned int docket_jobs(unsigned int jobs)
{
	long cores;

	if (!jobs) {
		cores = sysconf(_SC_NPROCESSORS_ONLN);
		jobs = cores > 0 ? (unsigned int)(cores < 64 ? cores : 64) : 1;
	}
	return jobs > 64 ? 64 : jobs;
}

static docket_notice_fn notice_fn;
static void *notice_payload;

void docket_notice_set(docket_notice_fn fn, void *payload)
{
	notice_fn = fn;
	notice_payload = payload;
}

void docket_notice(const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!notice_fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	notice_fn(msg, notice_payload);
}
