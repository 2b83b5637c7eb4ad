#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H
/* Putting documents into the repository: validated, placed at docket_doc_path, one commit each. */
#include "repo.h"
#include "validate.h"

DOCKET_BEGIN_DECL

typedef struct {
	char *id;                  /* the document id */
	char *path;                /* where it was committed */
	char commit[41];           /* the new commit */
	docket_findings *findings; /* when the document was refused as invalid */
} docket_add_result;

/*
 * Options of docket_add_buffer and docket_add_file. Initialise with DOCKET_ADD_OPTIONS_INIT
 * (or docket_add_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version; /* DOCKET_ADD_OPTIONS_VERSION */
	const char *id;     /* replaces the document's own id when not NULL */
	int draft;          /* reset to a fresh draft: drop number, workflow steps, signatures */
	const char *actor;  /* the person adding it, or NULL; must exist in the configuration */
} docket_add_options;

#define DOCKET_ADD_OPTIONS_VERSION 1
#define DOCKET_ADD_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_ADD_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_ADD_OPTIONS_INIT does, for VERSION (DOCKET_ADD_OPTIONS_VERSION).
 * Errors: DOCKET_EUSAGE (OPTS NULL, a version this library does not know).
 */
DOCKET_EXTERN(int) docket_add_options_init(docket_add_options *opts, unsigned int version);

/*
 * Validate the document in BUF (LEN bytes; NAME for messages) against the schemas pinned at the
 * repository's tip, then commit it at its place (docket_doc_path) as one commit whose
 * message carries the trailers "Docket-Document: ID", "Docket-Action: add" (and
 * "Docket-Actor: PERSON"). A document without a drafting unit is placed under the actor's
 * unit. Refused (nothing written) with
 * DOCKET_EINVALID when the document is invalid (out->findings lists why) and
 * DOCKET_EEXISTS when a document with that id exists already; DOCKET_EUSAGE for options of an
 * unknown version; DOCKET_ENOTFOUND for an actor not in the configuration. OPTS may be NULL.
 * *OUT is filled in every case; release it with docket_add_result_free.
 */
DOCKET_EXTERN(int) docket_add_buffer(docket_add_result *out, docket_repo *repo, const char *buf, size_t len,
                                     const char *name, const docket_add_options *opts);
/* The same, reading FILE from disk. */
DOCKET_EXTERN(int) docket_add_file(docket_add_result *out, docket_repo *repo, const char *file,
                                   const docket_add_options *opts);
/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_add_result_free(docket_add_result *r);

DOCKET_END_DECL

#endif
