/*
 * register: the replay of numbering. Decree 30 numbers documents per issuer per calendar
 * year, and the register (.docket/register/<year>/<issuer>.txt, number.c) is where the next
 * number comes from: one more than the highest it holds. Delete a line with plain git and the
 * next issue hands out that number again. So the audit replays the register: it may change
 * only by an issue or an import, in the commit that numbers the document, by exactly one line
 * appended - at an issue the next number, at an import the document's own number - with the
 * notation and document the commit's trailers name - and every number it ever
 * held is remembered, so a number given twice is found even when the register itself was
 * made to forget it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include "audit_internal.h"

struct docket_numbering {
	xmlHashTablePtr given;   /* "<register path>#<number>" -> "document at commit" (malloc'd) */
};

int docket_numbering_new(docket_numbering **out)
{
	if (!(*out = calloc(1, sizeof(**out))) || !((*out)->given = xmlHashCreate(0))) {
		free(*out);
		*out = NULL;
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return 0;
}

static void free_entry(void *payload, const xmlChar *name)
{
	(void)name;
	free(payload);
}

void docket_numbering_free(docket_numbering *n)
{
	if (!n)
		return;
	xmlHashFree(n->given, free_entry);
	free(n);
}

static size_t count_lines(const char *buf, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

/* Whether BUF (LEN bytes of lines) has the line LINE (N bytes, no newline). */
static int has_line(const char *buf, size_t len, const char *line, size_t n)
{
	for (const char *l = buf; l < buf + len;) {
		const char *nl = memchr(l, '\n', (size_t)(buf + len - l));
		size_t ln = nl ? (size_t)(nl - l) : (size_t)(buf + len - l);
		if (ln == n && memcmp(l, line, n) == 0)
			return 1;
		l = nl ? nl + 1 : buf + len;
	}
	return 0;
}

static void report(docket_report_fn fn, void *ctx, const char *kind, const char *commit, const char *doc,
                   const char *fmt, ...) DOCKET_PRINTF(6, 7);
static void report(docket_report_fn fn, void *ctx, const char *kind, const char *commit, const char *doc,
                   const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!fn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(ctx, kind, commit, doc, msg);
}

/* Remember that line LINE ("NN\tnotation\tid\tdate") of PATH was given at COMMIT; report reuse. */
static int remember(docket_numbering *nums, docket_report_fn fn, void *ctx, const char *commit,
                    const char *path, const char *line, size_t len)
{
	char key[600], number[32], doc[256], *prev, *val;
	const char *tab = memchr(line, '\t', len), *rest, *tab2, *tab3;

	if (!tab || (size_t)(tab - line) >= sizeof(number))
		return 0;
	snprintf(number, sizeof(number), "%.*s", (int)(tab - line), line);
	rest = tab + 1;
	tab2 = memchr(rest, '\t', len - (size_t)(rest - line));
	tab3 = tab2 ? memchr(tab2 + 1, '\t', len - (size_t)(tab2 + 1 - line)) : NULL;
	snprintf(doc, sizeof(doc), "%.*s", tab2 && tab3 ? (int)(tab3 - tab2 - 1) : 0, tab2 ? tab2 + 1 : "");
	snprintf(key, sizeof(key), "%s#%s", path, number);
	if ((prev = xmlHashLookup(nums->given, (const xmlChar *)key)) != NULL) {
		report(fn, ctx, "number-reused", commit, doc[0] ? doc : NULL,
		       "number %s of the register %s was given before, to %s: a number is given once", number, path, prev);
		return 0;
	}
	if (!(val = malloc(strlen(doc) + 32)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	snprintf(val, strlen(doc) + 32, "%s at %.12s", doc[0] ? doc : "?", commit);
	if (xmlHashAddEntry(nums->given, (const xmlChar *)key, val) < 0) {
		free(val);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return 0;
}

int docket_register_judge(docket_numbering *nums, docket_report_fn fn, void *ctx, const char *commit,
                          const char *path, const char *old, size_t oldlen, const char *now, size_t nowlen,
                          const char *msg)
{
	char *number = docket_trailer(msg, "Docket-Number"), *doc = docket_trailer(msg, "Docket-Document"),
	     *transition = docket_trailer(msg, "Docket-Transition"), want[64];
	unsigned long next = docket_register_highest(old, oldlen) + 1;
	int imported = transition && strcmp(transition, DOCKET_IMPORT_TRANSITION) == 0;
	const char *added = now + oldlen, *tab;
	size_t addlen = nowlen > oldlen ? nowlen - oldlen : 0;
	int error = 0, appended;

	/* one line appended to what was there, and nothing else changed */
	appended = nowlen > oldlen && memcmp(old, now, oldlen) == 0 && (oldlen == 0 || old[oldlen - 1] == '\n') &&
	           count_lines(added, addlen) == 1 && now[nowlen - 1] == '\n';
	if (!appended) {
		report(fn, ctx, "register-tampered", commit, doc, "the register %s was changed other than by one line "
		       "appended at an issue (lines removed, rewritten or several added)", path);
		/* what it holds now was given by someone: remember every line */
		for (const char *l = now; l < now + nowlen;) {
			const char *nl = memchr(l, '\n', (size_t)(now + nowlen - l));
			size_t len = nl ? (size_t)(nl - l) : (size_t)(now + nowlen - l);
			/* lines kept from the parent are remembered already */
			if (!has_line(old, oldlen, l, len) && (error = remember(nums, NULL, NULL, commit, path, l, len)) < 0)
				goto cleanup;
			l = nl ? nl + 1 : now + nowlen;
		}
		goto cleanup;
	}
	if ((error = remember(nums, fn, ctx, commit, path, added, addlen - 1)) < 0)
		goto cleanup;
	snprintf(want, sizeof(want), "%02lu\t", next);
	tab = memchr(added, '\t', addlen);
	if (!number || !transition || !doc) {
		report(fn, ctx, "register-tampered", commit, doc, "the register %s was changed by a commit that "
		       "numbered no document (no Docket-Number)", path);
	} else if (!imported && strncmp(added, want, strlen(want)) != 0) {
		report(fn, ctx, "register-tampered", commit, doc, "the line added to the register %s is not its next "
		       "number %02lu", path, next);
	} else {
		/* the line says what the trailers say: "NN<TAB>NOTATION<TAB>ID<TAB>DATE" = "NN/NOTATION", ID */
		char line_number[160];
		const char *tab2 = tab ? memchr(tab + 1, '\t', addlen - (size_t)(tab + 1 - added)) : NULL;
		const char *tab3 = tab2 ? memchr(tab2 + 1, '\t', addlen - (size_t)(tab2 + 1 - added)) : NULL;
		snprintf(line_number, sizeof(line_number), "%.*s/%.*s", (int)(tab - added), added,
		         tab2 ? (int)(tab2 - tab - 1) : 0, tab2 ? tab + 1 : "");
		if (!tab3 || strcmp(line_number, number) != 0 || (size_t)(tab3 - tab2 - 1) != strlen(doc) ||
		    strncmp(tab2 + 1, doc, strlen(doc)) != 0)
			report(fn, ctx, "register-tampered", commit, doc, "the line added to the register %s does not "
			       "record the number %s given to %s in the same commit", path, number, doc);
	}
cleanup:
	free(number);
	free(doc);
	free(transition);
	return error;
}

/* --- the numbers kept with the audit's cache ------------------------------------------------ */

typedef struct {
	docket_numbering_fn fn;
	void *payload;
	int stop;
} each_state;

/* xmlHashScanner: the entry's value first, then the scan's data */
static void each_cb(void *value, void *data, const xmlChar *name)
{
	each_state *st = data;
	if (!st->stop && st->fn((const char *)name, value, st->payload) != 0)
		st->stop = 1;
}

int docket_numbering_each(docket_numbering *n, docket_numbering_fn fn, void *payload)
{
	each_state st = { fn, payload, 0 };
	xmlHashScan(n->given, each_cb, &st);
	return st.stop;
}

int docket_numbering_remember(docket_numbering *n, const char *key, const char *given)
{
	char *val;

	if (xmlHashLookup(n->given, (const xmlChar *)key))
		return 0;
	if (!(val = docket_strdup(given)) || xmlHashAddEntry(n->given, (const xmlChar *)key, val) < 0) {
		free(val);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	return 0;
}
