/*
 * page: a document as its Decree 30 A4 HTML page, with each signature box saying what a
 * verification against the caller's trust anchor found. The layout is the xml layer's
 * (page.xsl, pinned or built in); this layer adds what needs the signing layer below it:
 * the verdicts, computed here with docket_xmldsig_verify, never read from the document or
 * the repository. Without a trust anchor nothing is claimed valid.
 */
#include <stdlib.h>
#include <string.h>
#include "audit_internal.h"
#include "docket/render.h"
#include "docket/sign.h"

int docket_render_options_init(docket_render_options *opts, unsigned int version)
{
	docket_render_options init = DOCKET_RENDER_OPTIONS_INIT;

	if (!opts || version != DOCKET_RENDER_OPTIONS_VERSION)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_options version %u is not %u",
		                        version, DOCKET_RENDER_OPTIONS_VERSION);
	*opts = init;
	return 0;
}

/* An Id or a state goes into a space-separated "id=status" list: keep to a safe alphabet. */
static int plain_token(const char *s, const char *extra)
{
	const char *p;

	if (!s || !*s || strlen(s) > 128)
		return 0;
	for (p = s; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || strchr(extra, *p)))
			return 0;
	return 1;
}

static const char *status_word(docket_render_sig_status s)
{
	switch (s) {
	case DOCKET_RENDER_SIG_VALID: return "valid";
	case DOCKET_RENDER_SIG_INVALID: return "invalid";
	case DOCKET_RENDER_SIG_UNKNOWN: return "unknown";
	default: return NULL;
	}
}

static int add_verdict(docket_buf *b, const char *id, const char *word)
{
	if (!plain_token(id, ".:"))
		return 0;   /* an Id page.xsl could not match anyway: its box says "not verified" */
	if ((b->len && docket_buf_puts(b, " ") < 0) || docket_buf_printf(b, "%s=%s", id, word) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

/* The `verified` parameter: from a verification against TRUST, else the caller's verdicts. */
static int verdicts(docket_buf *b, docket_doc *doc, const docket_render_options *o)
{
	docket_sig_result *res = NULL;
	size_t n = 0, i;
	int error = 0;

	if (!o->trust) {
		for (i = 0; i < o->nsigs; i++) {
			const char *w = status_word(o->sigs[i].status);
			if (!o->sigs[i].id || !plain_token(o->sigs[i].id, ".:"))
				return docket_error_set(DOCKET_EUSAGE, "bad signature id '%s' in the render options",
				                        o->sigs[i].id ? o->sigs[i].id : "(null)");
			if (w && (error = add_verdict(b, o->sigs[i].id, w)) < 0)
				return error;
		}
		return 0;
	}
	error = docket_xmldsig_verify(&res, &n, doc, o->trust);
	if (error < 0 && error != DOCKET_EVERIFY)
		return error;   /* the trust file is unusable: nothing could be checked */
	error = 0;
	for (i = 0; i < n && !error; i++)
		error = add_verdict(b, res[i].id, res[i].status == DOCKET_SIG_OK ? "valid" : "invalid");
	docket_sig_results_free(res, n);
	docket_error_clear();
	return error;
}

int docket_render_html(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                       const char *rev, const docket_render_options *opts)
{
	docket_render_options defaults = DOCKET_RENDER_OPTIONS_INIT;
	docket_buf verified = DOCKET_BUF_INIT;
	char *xsl = NULL;
	size_t len = 0;
	int error;

	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_html: no out");
	*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_html: no document");
	if (!opts)
		opts = &defaults;
	if (opts->version != DOCKET_RENDER_OPTIONS_VERSION)
		return docket_error_set(DOCKET_EUSAGE, "docket_render_options version %u is not %u",
		                        opts->version, DOCKET_RENDER_OPTIONS_VERSION);
	if (opts->state && !plain_token(opts->state, ""))
		return docket_error_set(DOCKET_EUSAGE, "bad state '%s' in the render options", opts->state);
	if ((error = verdicts(&verified, doc, opts)) < 0)
		goto cleanup;
	/* the repository's own stylesheet when it pins one, else the built-in */
	if (repo) {
		error = docket_repo_read(&xsl, &len, repo, rev, ".docket/schemas/page.xsl");
		if (error == DOCKET_ENOTFOUND)
			error = 0;
		else if (error < 0)
			goto cleanup;
	}
	error = docket_render_page_xsl(out, out_len, doc, xsl, len, ".docket/schemas/page.xsl",
	                               verified.ptr, opts->state);
cleanup:
	free(xsl);
	docket_buf_free(&verified);
	return error;
}
