/*
 * figures: the arithmetic of indicators and their targets, pure functions of the XML and of
 * decimal strings, shared by the layers above (the drafting checks and the aggregation in
 * draft, the page of a report in audit). Figures are compared exactly: decimals are read as
 * integer mantissas with a scale, rates as fractions, and compared by cross-multiplying in
 * 128-bit integers, so "0.08 < 0.08" or "99.99 >= 99.99" never depend on binary floating
 * point.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "xml_internal.h"
#include "docket/draft.h"

__extension__ typedef __int128 i128;

/* --- decimals -------------------------------------------------------------------------------- */

int docket_dec_parse(docket_dec *out, const char *s)
{
	int neg = 0, digits = 0, scale = 0, dot = 0;
	int64_t m = 0;

	if (!s)
		return DOCKET_EINVALID;
	while (*s == ' ')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s; s++) {
		if (*s == '.' && !dot) {
			dot = 1;
			continue;
		}
		if (*s < '0' || *s > '9')
			break;
		if (m > (INT64_MAX - 9) / 10) {
			/* beyond 18 digits: drop digits after the point, refuse digits before it */
			if (dot)
				continue;
			return DOCKET_EINVALID;
		}
		m = m * 10 + (*s - '0');
		scale += dot;
		digits++;
	}
	while (*s == ' ')
		s++;
	if (*s || !digits)
		return DOCKET_EINVALID;
	while (scale > 0 && m % 10 == 0) {
		m /= 10;
		scale--;
	}
	/* keeps every product below in 128 bits */
	if (scale > 12)
		return DOCKET_EINVALID;
	out->mant = neg ? -m : m;
	out->scale = scale;
	return 0;
}

static i128 pow10i(int n)
{
	i128 p = 1;
	while (n-- > 0)
		p *= 10;
	return p;
}

int docket_dec_cmp(const docket_dec *a, const docket_dec *b)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	i128 x = (i128)a->mant * pow10i(s - a->scale), y = (i128)b->mant * pow10i(s - b->scale);
	return x < y ? -1 : x > y;
}

int docket_dec_add(docket_dec *out, const docket_dec *a, const docket_dec *b)
{
	int s = a->scale > b->scale ? a->scale : b->scale;
	i128 x = (i128)a->mant * pow10i(s - a->scale) + (i128)b->mant * pow10i(s - b->scale);

	if (x > INT64_MAX || x < -INT64_MAX)
		return docket_error_set(DOCKET_EINVALID, "the sum is too large");
	out->mant = (int64_t)x;
	out->scale = s;
	while (out->scale > 0 && out->mant % 10 == 0) {
		out->mant /= 10;
		out->scale--;
	}
	return 0;
}

void docket_dec_format(char *out, size_t size, const docket_dec *d)
{
	uint64_t m = d->mant < 0 ? (uint64_t)(-(d->mant + 1)) + 1 : (uint64_t)d->mant;
	char digits[32], buf[64];
	int n, scale = d->scale, i, o = 0;

	if (m == 0)
		scale = 0;
	n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)m);
	while (scale > 0 && n > 1 && digits[n - 1] == '0') {
		digits[--n] = '\0';
		scale--;
	}
	if (d->mant < 0)
		buf[o++] = '-';
	if (scale >= n) {
		/* 0.0…digits */
		buf[o++] = '0';
		buf[o++] = '.';
		for (i = 0; i < scale - n; i++)
			buf[o++] = '0';
		memcpy(buf + o, digits, (size_t)n);
		o += n;
	} else {
		memcpy(buf + o, digits, (size_t)(n - scale));
		o += n - scale;
		if (scale > 0) {
			buf[o++] = '.';
			memcpy(buf + o, digits + n - scale, (size_t)scale);
			o += scale;
		}
	}
	buf[o] = '\0';
	snprintf(out, size, "%s", buf);
}

/* --- targets and rates ------------------------------------------------------------------------ */

/* Compare the fraction K * NUM / DEN with T: -1, 0, 1. */
static int frac_cmp(uint64_t num, uint64_t den, int k, const docket_dec *t)
{
	i128 lhs = (i128)num * k * pow10i(t->scale), rhs = (i128)t->mant * (i128)den;
	return lhs < rhs ? -1 : lhs > rhs;
}

static int verdict(const char *cmp, int sign)
{
	if (strcmp(cmp, "ge") == 0) return sign >= 0;
	if (strcmp(cmp, "gt") == 0) return sign > 0;
	if (strcmp(cmp, "le") == 0) return sign <= 0;
	if (strcmp(cmp, "lt") == 0) return sign < 0;
	if (strcmp(cmp, "eq") == 0) return sign == 0;
	return -1;
}

int docket_target_met(int *met, const char *comparison, const char *target, uint64_t num,
                      uint64_t den, int rate)
{
	docket_dec t;
	int v;

	if (!met || !comparison || !target || den == 0 || docket_dec_parse(&t, target) < 0)
		return docket_error_set(DOCKET_EUSAGE, "cannot judge against the target '%s'", target ? target : "");
	if ((v = verdict(comparison, frac_cmp(num, den, rate ? 100 : 1, &t))) < 0)
		return docket_error_set(DOCKET_EUSAGE, "unknown comparison '%s'", comparison);
	*met = v;
	return 0;
}

int docket_value_met(int *met, const char *comparison, const char *target, const docket_dec *v)
{
	uint64_t den = 1;
	int k;

	if (!v || v->mant < 0)
		return docket_error_set(DOCKET_EUSAGE, "cannot judge a negative value against a target");
	for (k = 0; k < v->scale; k++)
		den *= 10;
	return docket_target_met(met, comparison, target, (uint64_t)v->mant, den, 0);
}

int docket_rate_format(char *out, size_t size, uint64_t num, uint64_t den, const char *target)
{
	docket_dec t, r;
	int places, have_target;

	if (den == 0 || size == 0)
		return docket_error_set(DOCKET_EUSAGE, "a rate needs a positive denominator");
	have_target = target && docket_dec_parse(&t, target) == 0;
	for (places = 2; places <= 8; places++) {
		/* round half up: floor((2 * 100 * num * 10^places + den) / (2 * den)) */
		i128 scaled = ((i128)num * 200 * pow10i(places) + den) / ((i128)den * 2);
		if (scaled > INT64_MAX)
			return docket_error_set(DOCKET_EUSAGE, "the rate %llu/%llu is too large",
			                        (unsigned long long)num, (unsigned long long)den);
		r.mant = (int64_t)scaled;
		r.scale = places;
		if (!have_target || docket_dec_cmp(&r, &t) == frac_cmp(num, den, 100, &t))
			break;
	}
	docket_dec_format(out, size, &r);
	return 0;
}

int docket_target_not_weaker(const char *parent_cmp, const char *parent_value,
                             const char *unit_cmp, const char *unit_value)
{
	docket_dec p, u;
	int c, lower_p, lower_u;

	if (!parent_cmp || !unit_cmp || docket_dec_parse(&p, parent_value) < 0 ||
	    docket_dec_parse(&u, unit_value) < 0 || verdict(parent_cmp, 0) < 0 || verdict(unit_cmp, 0) < 0)
		return docket_error_set(DOCKET_EUSAGE, "cannot compare the targets '%s' and '%s'",
		                        parent_value ? parent_value : "", unit_value ? unit_value : "");
	c = docket_dec_cmp(&u, &p);
	if (strcmp(parent_cmp, "eq") == 0 || strcmp(unit_cmp, "eq") == 0)
		return strcmp(parent_cmp, unit_cmp) == 0 && c == 0;
	lower_p = parent_cmp[0] == 'g';
	lower_u = unit_cmp[0] == 'g';
	if (lower_p != lower_u)
		return 0;
	if (lower_p) {
		/* a floor: the unit's must be at least as high, and as strict when equal */
		if (c != 0)
			return c > 0;
		return !(strcmp(parent_cmp, "gt") == 0 && strcmp(unit_cmp, "ge") == 0);
	}
	if (c != 0)
		return c < 0;
	return !(strcmp(parent_cmp, "lt") == 0 && strcmp(unit_cmp, "le") == 0);
}

/* --- indicators of a plan ----------------------------------------------------------------------- */

xmlNodePtr docket_plan_next_indicator(xmlNodePtr plan, xmlNodePtr prev)
{
	xmlNodePtr obj, ind;

	if (prev) {
		if ((ind = docket_xml_next(prev)) != NULL)
			return ind;
		obj = docket_xml_next(prev->parent);
	} else {
		obj = docket_xml_path(plan, DOCKET_NS, "objectives/specific/objective");
	}
	for (; obj; obj = docket_xml_next(obj))
		if ((ind = docket_xml_child(obj, DOCKET_NS, "indicator")) != NULL)
			return ind;
	return NULL;
}

xmlNodePtr docket_plan_indicator(xmlNodePtr plan, const char *id)
{
	xmlNodePtr ind;

	for (ind = docket_plan_next_indicator(plan, NULL); ind && id; ind = docket_plan_next_indicator(plan, ind)) {
		char *v = docket_attr(ind, "id");
		int same = v && strcmp(v, id) == 0;
		free(v);
		if (same)
			return ind;
	}
	return NULL;
}

static int int_attr(xmlNodePtr n, const char *name, int fallback)
{
	char *v = docket_attr(n, name), *end = NULL;
	long l = v ? strtol(v, &end, 10) : fallback;
	int ok = v && end && end != v && *end == '\0';
	free(v);
	return ok ? (int)l : fallback;
}

static int bool_attr(xmlNodePtr n, const char *name)
{
	char *v = docket_attr(n, name);
	int yes = v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
	free(v);
	return yes;
}

xmlNodePtr docket_indicator_target(xmlNodePtr indicator, int year, int *target_year)
{
	xmlNodePtr prev = NULL, next = NULL, best = NULL;
	int py = 0, ny = 0;

	*target_year = 0;
	for (xmlNodePtr t = docket_xml_child(indicator, DOCKET_NS, "target"); t; t = docket_xml_next(t)) {
		int y = int_attr(t, "year", 0);
		if (y == year) {
			*target_year = y;
			return t;
		}
		if (y < year && (!prev || y > py)) {
			prev = t;
			py = y;
		}
		if (y > year && (!next || y < ny)) {
			next = t;
			ny = y;
		}
	}
	/* "duy trì": a maintain target holds in every year since the previous milestone */
	if (next && prev && bool_attr(next, "maintain"))
		best = next;
	else if (next && prev)
		best = (ny - year) <= (year - py) ? next : prev;
	else
		best = next ? next : prev;
	if (best)
		*target_year = best == next ? ny : py;
	return best;
}

int docket_rate_consistent(const char *value, const char *num, const char *den)
{
	docket_dec v, n, d;
	i128 diff;

	if (docket_dec_parse(&v, value) < 0 || docket_dec_parse(&n, num) < 0 || docket_dec_parse(&d, den) < 0 ||
	    n.scale || d.scale || d.mant <= 0 || n.mant < 0)
		return 0;
	/* |v - 100 n / d| <= 1 / (2 * 10^scale)  <=>  2 * |v.mant * d - 100 * n * 10^scale| <= d */
	diff = (i128)v.mant * d.mant - (i128)n.mant * 100 * pow10i(v.scale);
	if (diff < 0)
		diff = -diff;
	return 2 * diff <= (i128)d.mant;
}
