/*
 * render: a document as Decree-30-style plain text, through the XSLT stylesheet text.xsl
 * (pinned in the repository's .docket/schemas/, or built in). A stylesheet from a repository
 * is untrusted: it is parsed with the safe parser and runs under security preferences that
 * forbid reading or writing files, creating directories and network access.
 */
#include <stdlib.h>
#include <string.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/transform.h>
#include <libxslt/security.h>
#include <libxslt/xsltutils.h>
#include "xml_internal.h"

static int load_stylesheet(xsltStylesheetPtr *out, const char *xsl, size_t len, const char *name)
{
	xmlDocPtr sdoc = NULL;
	int error = 0;

	*out = NULL;
	if (!xsl) {
		const docket_data_file *f = docket_data_get("schemas/text.xsl");
		if (!f)
			return docket_error_set(DOCKET_ERROR, "internal: no built-in text.xsl");
		name = "text.xsl";
		error = docket_xml_parse(&sdoc, (const char *)f->data, f->len, "text.xsl");
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

int docket_render_text_xsl(char **out, size_t *out_len, docket_doc *doc, const char *xsl,
                           size_t len, const char *name)
{
	xsltStylesheetPtr style = NULL;
	xsltSecurityPrefsPtr sec = NULL;
	xsltTransformContextPtr tctxt = NULL;
	xmlDocPtr result = NULL;
	xmlChar *mem = NULL;
	int size = 0, error;

	*out = NULL;
	if ((error = load_stylesheet(&style, xsl, len, name)) < 0)
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
	    xsltSetCtxtSecurityPrefs(sec, tctxt) != 0) {
		docket_error_set(DOCKET_ERROR, "cannot set up the text rendering");
		goto cleanup;
	}
	result = xsltApplyStylesheetUser(style, (xmlDocPtr)docket_doc_xml(doc), NULL, NULL, NULL, tctxt);
	if (!result || tctxt->state != XSLT_STATE_OK) {
		docket_error_set(DOCKET_ERROR, "rendering '%s' as text failed", docket_doc_name(doc));
		goto cleanup;
	}
	if (xsltSaveResultToString(&mem, &size, result, style) < 0) {
		docket_error_set(DOCKET_ERROR, "rendering '%s' as text failed", docket_doc_name(doc));
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
