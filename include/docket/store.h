#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H
/* Putting documents into the repository. */
#include "repo.h"
#include "validate.h"

DOCKET_BEGIN_DECL

typedef struct {
	char *id;                  /* the document id */
	char *path;                /* where it was committed */
	char commit[41];           /* the new commit */
	docket_findings *findings; /* when the document was refused as invalid */
} docket_add_result;

typedef struct {
	const char *id;     /* replaces the document's own id when not NULL */
	int draft;          /* reset to a fresh draft: drop number, workflow steps, signatures */
	const char *actor;  /* the person adding it, or NULL; must exist in the configuration */
} docket_add_options;

/*
 * Validate the document in BUF (NAME for messages) against the schemas pinned at the
 * repository's tip, then commit it at its place (docket_doc_path) as one commit whose
 * message carries the trailers "Docket-Document: ID", "Docket-Action: add" (and
 * "Docket-Actor: PERSON"). A document without a drafting unit is placed under the actor's
 * unit. Refused (nothing written) with
 * DOCKET_EINVALID when the document is invalid (out->findings lists why) and
 * DOCKET_EEXISTS when a document with that id exists already.
 */
DOCKET_EXTERN(int) docket_add_buffer(docket_add_result *out, docket_repo *repo, const char *buf, size_t len,
                                     const char *name, const docket_add_options *opts);
/* The same, reading FILE from disk. */
DOCKET_EXTERN(int) docket_add_file(docket_add_result *out, docket_repo *repo, const char *file,
                                   const docket_add_options *opts);
DOCKET_EXTERN(void) docket_add_result_free(docket_add_result *r);

DOCKET_END_DECL

#endif
