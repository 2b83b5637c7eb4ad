#ifndef DOCKET_LOOKUP_H
#define DOCKET_LOOKUP_H
/*
 * Lookups: which file holds a document id, and which documents name an id in a reference
 * (docs/lookup.md). Both are caches under the git directory, docket/ids and docket/refs,
 * keyed by the documents/ tree they describe and brought to any other tree by a diff; a fresh
 * clone has neither, and its first lookup builds them: the reference index reads every
 * document's bytes once. docket_lookup_update builds them ahead, reporting progress.
 */
#include <stddef.h>
#include "repo.h"

DOCKET_BEGIN_DECL

/*
 * Options of docket_lookup_update. Initialise with DOCKET_LOOKUP_OPTIONS_INIT and set the
 * fields by name.
 */
typedef struct {
	unsigned int version;           /* DOCKET_LOOKUP_OPTIONS_VERSION */
	unsigned int jobs;              /* threads that read the documents (0: the number of
	                                 * cores); the indexes are the same whatever the number */
	docket_progress_cb progress_cb; /* called as the documents are read, with "indexing
	                                 * references", the documents read and their number (may
	                                 * be NULL); only when an index is built from nothing */
	void *payload;                  /* passed to PROGRESS_CB */
} docket_lookup_options;

#define DOCKET_LOOKUP_OPTIONS_VERSION 1
#define DOCKET_LOOKUP_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_LOOKUP_OPTIONS_VERSION) }

/*
 * Bring the id index and the reference index of REPO to the tip of its branch, with OPTS
 * (NULL: the defaults). Errors: DOCKET_EUSAGE (options of an unknown version); DOCKET_ERROR
 * (the repository cannot be read, or PROGRESS_CB stopped it: no index is written then).
 */
DOCKET_EXTERN(int) docket_lookup_update(docket_repo *repo, const docket_lookup_options *opts);

DOCKET_END_DECL

#endif
