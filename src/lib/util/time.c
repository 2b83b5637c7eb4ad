/*
 * time: the library's one reading of dates and times. Documents, commit trailers and
 * signatures carry ISO 8601 / xs:dateTime text ("2021-05-11T09:30:00+07:00"); the
 * organisation works in one zone (Vietnam, UTC+07:00, no daylight saving), which is the
 * default offset docket writes, whatever the machine's zone. $DOCKET_NOW fixes "now" for
 * the whole library (tests, replays); it is read here and nowhere else.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util_internal.h"

static int digits(const char *s, int n, int *v)
{
	int i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

/* The lenient form docket has always accepted in trailers and step dates: a zone is
 * optional (none: UTC) and anything after it is ignored. */
/* The instant of a calendar time written at OFFSET_MIN minutes from UTC. */
static time_t instant(int y, int mo, int d, int h, int mi, int sec, int offset_min)
{
	struct tm tm;

	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	return timegm(&tm) - (time_t)offset_min * 60;
}

static int parse_lenient(const char *s, time_t *utc, int *offset_min)
{
	int y, mo, d, h, mi, sec, oh = 0, om = 0;
	char sign = '+';

	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%c%2d:%2d", &y, &mo, &d, &h, &mi, &sec, &sign, &oh, &om) < 6)
		return DOCKET_EINVALID;
	*offset_min = (sign == '-' ? -1 : 1) * (oh * 60 + om);
	*utc = instant(y, mo, d, h, mi, sec, *offset_min);
	return 0;
}

int docket_time_parse(time_t *utc, int *offset_min, const char *s, unsigned flags)
{
	int Y, M, D, h, m, sec, oh = 0, om = 0, sign = 1, off_dummy;
	const char *p;

	if (!offset_min)
		offset_min = &off_dummy;
	if (!s || !utc)
		return DOCKET_EINVALID;
	if (flags & DOCKET_TIME_LENIENT)
		return parse_lenient(s, utc, offset_min);
	if (strlen(s) < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' ||
	    digits(s + 8, 2, &D) || s[10] != 'T' || digits(s + 11, 2, &h) || s[13] != ':' ||
	    digits(s + 14, 2, &m) || s[16] != ':' || digits(s + 17, 2, &sec))
		return DOCKET_EINVALID;
	p = s + 19;
	if (*p == '.') {
		if (flags & DOCKET_TIME_WHOLE_SECONDS)
			return DOCKET_EINVALID;
		for (p++; isdigit((unsigned char)*p); p++)
			;
	}
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p == '-' ? -1 : 1;
		if (digits(p + 1, 2, &oh) || p[3] != ':' || digits(p + 4, 2, &om) || oh > 14 || om > 59)
			return DOCKET_EINVALID;
		p += 6;
	} else {
		return DOCKET_EINVALID;
	}
	if (*p || M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return DOCKET_EINVALID;
	if ((flags & DOCKET_TIME_WHOLE_SECONDS) && (sec > 59 || Y < 1900 || Y > 2200))
		return DOCKET_EINVALID;
	*offset_min = sign * (oh * 60 + om);
	*utc = instant(Y, M, D, h, m, sec, *offset_min);
	return 0;
}

int docket_time_now(time_t *out)
{
	const char *env = getenv("DOCKET_NOW");

	if (!env || !*env) {
		*out = time(NULL);
		return 0;
	}
	/* anything that is not a full date and time with a zone is refused rather than passed
	 * through: callers take the year and the day from the text docket writes */
	if (docket_time_parse(out, NULL, env, DOCKET_TIME_WHOLE_SECONDS) < 0)
		return docket_error_set(DOCKET_EUSAGE, "DOCKET_NOW='%s' is not a date and time with an offset, "
		                        "such as 2021-05-11T09:00:00+07:00", env);
	return 0;
}

void docket_time_format(char out[DOCKET_TIME_TEXT], time_t t, int offset_min)
{
	time_t local = t + (time_t)offset_min * 60;
	struct tm tm;
	char base[32];

	if (!gmtime_r(&local, &tm) || strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		snprintf(out, DOCKET_TIME_TEXT, "@%lld", (long long)t);
		return;
	}
	snprintf(out, DOCKET_TIME_TEXT, "%s%c%02u:%02u", base, offset_min < 0 ? '-' : '+',
	         (unsigned)abs(offset_min) / 60 % 100, (unsigned)abs(offset_min) % 60);
}

void docket_time_utc(char out[32], time_t t)
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(out, 32, "@%lld", (long long)t);
}

/*
 * Now in the organisation's time, whatever the machine's zone: step dates carry +07:00 and
 * a document is issued on the calendar day of Cẩm Phả. $DOCKET_NOW may be written with any
 * offset; it is converted too, so that 2021-05-11T20:00:00Z is recorded as
 * 2021-05-12T03:00:00+07:00 and issued on 12 May.
 */
char *docket_time_now_iso(void)
{
	char buf[DOCKET_TIME_TEXT];
	time_t t;

	if (docket_time_now(&t) < 0)
		return NULL;
	docket_time_format(buf, t, DOCKET_ORG_UTC_OFFSET_MINUTES);
	return docket_strdup(buf);
}

int docket_now(char **out)
{
	char buf[DOCKET_TIME_TEXT];
	time_t t;
	int error;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_now: OUT is NULL");
	*out = NULL;
	if ((error = docket_time_now(&t)) < 0)
		return error;
	docket_time_format(buf, t, DOCKET_ORG_UTC_OFFSET_MINUTES);
	if ((*out = docket_strdup(buf)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

char *docket_today(void)
{
	char *now = docket_time_now_iso();
	if (now && strlen(now) >= 10)
		now[10] = '\0';
	return now;
}
