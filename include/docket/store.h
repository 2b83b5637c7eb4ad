#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H
/* Putting documents into the repository. */
#include "repo.h"
#include "validate.h"

typedef struct {
	char *id;                  /* the document id */
	char *path;                /* where it was committed */
	char commit[41];           /* the new commit */
	docket_findings *findings; /* when the document was refused as invalid */
} docket_add_result;

/*
 * Validate the document in BUF (NAME for messages) against the schemas pinned at the
 * repository's tip, then commit it at its place (docket_doc_path) as one commit whose
 * message carries the trailers "Docket-Document: ID" and "Docket-Action: add".
 * ID, when not NULL, replaces the document's own id. Refused (nothing written) with
 * DOCKET_EINVALID when the document is invalid (out->findings lists why) and
 * DOCKET_EEXISTS when a document with that id exists already.
 */
int docket_add_buffer(docket_add_result *out, docket_repo *repo, const char *buf, size_t len,
                      const char *name, const char *id);
/* The same, reading FILE from disk. */
int docket_add_file(docket_add_result *out, docket_repo *repo, const char *file, const char *id);
void docket_add_result_free(docket_add_result *r);

#endif
