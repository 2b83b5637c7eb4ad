#ifndef DOCKET_RENDER_H
#define DOCKET_RENDER_H
/*
 * Rendering a document as Decree-30-style plain text (the pinned or built-in text.xsl) or as
 * a Decree 30 A4 HTML page (page.xsl; see docs/rendering.md).
 */
#include <stddef.h>
#include "doc.h"
#include "repo.h"

DOCKET_BEGIN_DECL

/*
 * Render DOC as UTF-8 text into *OUT (*OUT_LEN bytes, NUL-terminated; free it with docket_free).
 * The stylesheet comes from REPO at REV
 * (.docket/schemas/text.xsl) when REPO is not NULL, else from the built-in copy. The
 * stylesheet may not read or write files or the network. With REPO, what DOC cites by id is
 * printed by name, read from REPO at REV: units and people from the configuration, other
 * documents by type, number and date, a report's indicators and task groups from its plan
 * (the `names` parameter, docs/rendering.md); an id REPO does not know is printed as is. Errors: DOCKET_ENOTFOUND (REV),
 * DOCKET_EINVALID (a stylesheet that does not compile or that fails), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_render_text(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                                      const char *rev);

/* What a signature box on a page says about the signature. */
typedef enum {
	DOCKET_RENDER_SIG_NOT_VERIFIED = 0, /* not checked: "Chưa kiểm tra" (the default) */
	DOCKET_RENDER_SIG_VALID = 1,        /* checked against a trust anchor, holds */
	DOCKET_RENDER_SIG_INVALID = 2,      /* checked, fails */
	DOCKET_RENDER_SIG_UNKNOWN = 3       /* checked, no verdict could be reached */
} docket_render_sig_status;

/* A verdict the caller reached itself, for the signature whose Id is ID. */
typedef struct {
	const char *id;                     /* "sig-1": letters, digits, '-', '_', '.', ':' */
	docket_render_sig_status status;
} docket_render_sig;

typedef struct {
	unsigned int version;               /* DOCKET_RENDER_OPTIONS_VERSION */
	/*
	 * A PEM file of trusted CA certificates. When set, the library verifies every signature
	 * of the document (docket_xmldsig_verify: chain at the signing time, references, digests,
	 * value) and each box says valid or invalid; SIGS is then ignored. Never taken from the
	 * repository.
	 */
	const char *trust;
	/* Without TRUST: verdicts the caller reached (e.g. a server's cache); NSIGS entries. */
	const docket_render_sig *sigs;
	size_t nsigs;
	/*
	 * The workflow state to show in the banner ("draft" → "DỰ THẢO"; "issued": none);
	 * NULL: the document's own. Letters, digits, '-' and '_'.
	 */
	const char *state;
} docket_render_options;

#define DOCKET_RENDER_OPTIONS_VERSION 1
#define DOCKET_RENDER_OPTIONS_INIT { DOCKET_RENDER_OPTIONS_VERSION, NULL, NULL, 0, NULL }

/* Set OPTS to the defaults of VERSION (DOCKET_RENDER_OPTIONS_VERSION). DOCKET_EUSAGE for another. */
DOCKET_EXTERN(int) docket_render_options_init(docket_render_options *opts, unsigned int version);

/*
 * Render DOC as one self-contained UTF-8 HTML page laid out by Decree 30 Annex I, into *out
 * (NUL-terminated; free with docket_free) and *out_len (may be NULL). The stylesheet is
 * REPO's .docket/schemas/page.xsl at REV (NULL: the tip) when REPO is not NULL and pins one,
 * else the built-in schemas/page.xsl; it runs with file and network access forbidden.
 * OPTS may be NULL (nothing verified, the document's own state).
 *
 * No signature is ever shown valid unless OPTS->trust verified it, or the caller said so in
 * OPTS->sigs. A signature that fails verification does not make rendering fail: its box says
 * invalid. Errors: DOCKET_EUSAGE (bad options: version, a signature id or state with other
 * characters), DOCKET_ENOTFOUND / DOCKET_EINVALID (the trust file), DOCKET_EINVALID (the
 * repository's stylesheet does not compile), DOCKET_ERROR (rendering, memory).
 */
DOCKET_EXTERN(int) docket_render_html(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                                      const char *rev, const docket_render_options *opts);

DOCKET_END_DECL

#endif
