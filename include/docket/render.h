#ifndef DOCKET_RENDER_H
#define DOCKET_RENDER_H
/* Rendering a document as Decree-30-style plain text (the pinned or built-in text.xsl). */
#include <stddef.h>
#include "doc.h"
#include "repo.h"

DOCKET_BEGIN_DECL

/*
 * Render DOC as UTF-8 text into *OUT (*OUT_LEN bytes, NUL-terminated; free it with docket_free).
 * The stylesheet comes from REPO at REV
 * (.docket/schemas/text.xsl) when REPO is not NULL, else from the built-in copy. The
 * stylesheet may not read or write files or the network. Errors: DOCKET_ENOTFOUND (REV),
 * DOCKET_EINVALID (a stylesheet that does not compile or that fails), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_render_text(char **out, size_t *out_len, docket_doc *doc, docket_repo *repo,
                                      const char *rev);

DOCKET_END_DECL

#endif
