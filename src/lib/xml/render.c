/*
 * render: a document as Decree-30-style plain text through the XSLT stylesheet text.xsl, or
 * as an A4 HTML page through page.xsl (each pinned in the repository's .docket/schemas/, or
 * built in). A stylesheet from a repository is untrusted: it is parsed with the safe parser
 * and runs under security preferences that forbid reading or writing files, creating
 * directories and network access. Parameters are passed as literal strings (quoted by
 * libxslt), never as XPath expressions, so a value cannot run code in the stylesheet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>
#include <libxslt/variables.h>
#include "xml_internal.h"

/* XSL (LEN bytes, named NAME), or the built-in schemas/BUILTIN when XSL is NULL. */
static int load_stylesheet(xsltStylesheetPtr *out, const char *xsl, size_t len, const char *name,
                           const char *builtin)
{
	xmlDocPtr sdoc = NULL;
	char path[64];
	int error = 0;

	*out = NULL;
	if (!xsl) {
		const docket_data_file *f;
		snprintf(path, sizeof(path), "schemas/%s", builtin);
		if (!(f = docket_data_get(path)))
			return docket_error_set(DOCKET_ERROR, "internal: no built-in %s", builtin);
		name = builtin;
		error = docket_xml_parse(&sdoc, (const char *)f->data, f->len, builtin);
	} else {
		error = docket_xml_parse(&sdoc, xsl, len, name);
	}
	if (error < 0)
		return error;
	if (!(*out = xsltParseStylesheetDoc(sdoc))) {
		xmlFreeDoc(sdoc);
		return docket_error_set(DOCKET_EINVALID, "the stylesheet %s does not compile", name);
	}
	return 0;
}

/*
 * Run the stylesheet over DOC with PARAMS (NULL-ended name, value pairs; the values literal
 * strings). WHAT names the rendering in messages ("as text").
 */
static int transform(char **out, size_t *out_len, docket_doc *doc, const char *xsl, size_t len,
                     const char *name, const char *builtin, const char **params, const char *what)
{
	xsltStylesheetPtr style = NULL;
	xsltSecurityPrefsPtr sec = NULL;
	xsltTransformContextPtr tctxt = NULL;
	xmlDocPtr result = NULL;
	xmlChar *mem = NULL;
	int size = 0, error;

	*out = NULL;
	if ((error = load_stylesheet(&style, xsl, len, name, builtin)) < 0)
		return error;
	error = DOCKET_ERROR;
	if (!(sec = xsltNewSecurityPrefs()) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_FILE, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_CREATE_DIRECTORY, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_READ_NETWORK, xsltSecurityForbid) ||
	    xsltSetSecurityPrefs(sec, XSLT_SECPREF_WRITE_NETWORK, xsltSecurityForbid)) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (!(tctxt = xsltNewTransformContext(style, (xmlDocPtr)docket_doc_xml(doc))) ||
	    xsltSetCtxtSecurityPrefs(sec, tctxt) != 0 ||
	    (params && xsltQuoteUserParams(tctxt, params) != 0)) {
		docket_error_set(DOCKET_ERROR, "cannot set up the rendering %s", what);
		goto cleanup;
	}
	result = xsltApplyStylesheetUser(style, (xmlDocPtr)docket_doc_xml(doc), NULL, NULL, NULL, tctxt);
	if (!result || tctxt->state != XSLT_STATE_OK) {
		docket_error_set(DOCKET_ERROR, "rendering '%s' %s failed", docket_doc_name(doc), what);
		goto cleanup;
	}
	if (xsltSaveResultToString(&mem, &size, result, style) < 0) {
		docket_error_set(DOCKET_ERROR, "rendering '%s' %s failed", docket_doc_name(doc), what);
		goto cleanup;
	}
	*out = docket_strndup(mem ? (const char *)mem : "", mem ? (size_t)size : 0);
	if (!*out) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (out_len)
		*out_len = mem ? (size_t)size : 0;
	error = 0;
cleanup:
	xmlFree(mem);
	xmlFreeDoc(result);
	xsltFreeTransformContext(tctxt);
	xsltFreeSecurityPrefs(sec);
	xsltFreeStylesheet(style);
	return error;
}

int docket_render_text_xsl(char **out, size_t *out_len, docket_doc *doc, const char *xsl,
                           size_t len, const char *name, const char *names)
{
	const char *params[3] = { NULL, NULL, NULL };

	if (names && *names) {
		params[0] = "names";
		params[1] = names;
	}
	return transform(out, out_len, doc, xsl, len, name, "text.xsl", params, "as text");
}

int docket_render_page_xsl(char **out, size_t *out_len, docket_doc *doc, const char *xsl,
                           size_t len, const char *name, const char *verified, const char *state,
                           const char *targets, const char *names)
{
	const char *params[9];
	size_t n = 0;

	*out = NULL;
	/* absent parameters keep the stylesheet's defaults (the document's own state) */
	if (verified && *verified) {
		params[n++] = "verified";
		params[n++] = verified;
	}
	if (state && *state) {
		params[n++] = "state";
		params[n++] = state;
	}
	if (targets && *targets) {
		params[n++] = "targets";
		params[n++] = targets;
	}
	if (names && *names) {
		params[n++] = "names";
		params[n++] = names;
	}
	params[n] = NULL;
	return transform(out, out_len, doc, xsl, len, name, "page.xsl", params, "as a page");
}
