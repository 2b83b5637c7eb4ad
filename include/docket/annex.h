#ifndef DOCKET_ANNEX_H
#define DOCKET_ANNEX_H
/*
 * Annexes (phụ lục): files carried with a document, stored beside it in the repository as
 * documents/KIND/YEAR/UNIT/ID.annexes/NAME, byte for byte. The document's content lists each
 * one (<annexes><annex name type size sha256/></annexes>), so every signature over the
 * content covers the annexes' bytes through their SHA-256 digests. Annexes are attached in an
 * editable state only; the audit and docket_annex_verify compare the files with the list.
 */
#include <stddef.h>
#include "repo.h"
#include "workflow.h"

DOCKET_BEGIN_DECL

typedef struct {
	unsigned int version;  /* DOCKET_ATTACH_OPTIONS_VERSION */
	const char *doc;       /* document id or path */
	const char *file;      /* the file to attach, read whole and kept byte for byte */
	const char *name;      /* its name in the repository; NULL: FILE's base name */
	const char *type;      /* media type ("application/pdf"); NULL: from NAME's extension */
	const char *actor;     /* person id */
	const char *message;   /* comment for the commit; may be NULL */
} docket_attach_options;

#define DOCKET_ATTACH_OPTIONS_VERSION 1
#define DOCKET_ATTACH_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_ATTACH_OPTIONS_VERSION) }

/*
 * Attach O->file to O->doc as one commit (trailers Docket-Document, Docket-Action: attach,
 * Docket-State, Docket-Actor, Docket-Annex): the file is stored as ID.annexes/NAME and an
 * <annex> with its name, media type, size and SHA-256 is added to the content. Allowed where
 * an edit is (an editable state, a drafter or reviewer of the drafting unit); the document
 * must still validate. Refusals: DOCKET_EDENIED (state not editable, not allowed),
 * DOCKET_EINVALID (a name outside [A-Za-z0-9][A-Za-z0-9._-]*, at most 100 characters; a
 * malformed media type; an empty file or one larger than the configured limit,
 * docket_config_annex_max; the document invalid: out->findings), DOCKET_EEXISTS (the
 * document has an annex of that name), DOCKET_ENOTFOUND, DOCKET_EUSAGE (O NULL or of an
 * unknown version). *OUT is filled in every case: release it with docket_action_result_free.
 * The commit is signed with REPO's commit signer, as every action.
 */
DOCKET_EXTERN(int) docket_annex_attach(docket_action_result *out, docket_repo *repo, const docket_attach_options *o);

typedef struct {
	char *name;                /* the annex's name (or an unlisted file's) */
	char *type;                /* media type listed; NULL for an unlisted file */
	unsigned long long size;   /* size listed (0 for an unlisted file) */
	char sha256[65];           /* digest listed, lowercase hex ("" for an unlisted file) */
	int ok;                    /* the file is there, of that size and digest */
	const char *kind;          /* when not ok: "annex-changed", "annex-missing", "annex-unlisted"
	                            * (a file the content does not list) or "annex-unsafe" (a name
	                            * or a folder outside the layout); NULL when ok. Static. */
	char *problem;             /* plain English when not ok, naming the file; else NULL */
} docket_annex_item;

/*
 * Check document DOC's annexes at REV (NULL: the tip): every listed annex is a file of the
 * listed size and SHA-256 under ID.annexes/, and every file there is listed. *OUT receives
 * *N items (listed annexes in document order, then unlisted files), freed with
 * docket_annex_items_free. 0 when the checks ran; DOCKET_ENOTFOUND, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_annex_verify(docket_annex_item **out, size_t *n, docket_repo *repo, const char *doc,
                                       const char *rev);
/* Free the N items of ITEMS (NULL allowed). */
DOCKET_EXTERN(void) docket_annex_items_free(docket_annex_item *items, size_t n);

/* The media type docket gives a file NAME by its extension (pdf, docx, xlsx, odt, png, jpg,
 * txt, csv, xml, zip ...), "application/octet-stream" otherwise. Static storage. */
DOCKET_EXTERN(const char *) docket_annex_guess_type(const char *name);

DOCKET_END_DECL

#endif
