#ifndef DOCKET_HISTORY_H
#define DOCKET_HISTORY_H
/*
 * History: which commits touched which documents.
 *
 * Reading a document's history must not read every commit's trees (a province keeps
 * 500,000 commits). docket keeps an index under the git directory, docket/history: one record
 * per commit of the main branch's first-parent chain, oldest first — the commit id, then
 * the paths it changed under documents/ and .docket/ against its first parent (and the names
 * of other top-level entries it changed), each ended by a NUL, so any name a tree can hold
 * is held exactly (src/lib/store/history.c). It is brought
 * up to date incrementally: only commits newer than the indexed tip are diffed, and each
 * diff reads only the trees on changed paths. It is a cache: deleting it is always safe.
 */
#include <stddef.h>
#include "repo.h"

DOCKET_BEGIN_DECL

/*
 * Bring the index of REPO up to date with the tip of the main branch. When the indexed tip is
 * no longer an ancestor of the tip (history was rewritten), the index is rebuilt and
 * *REWRITTEN (when not NULL) is set to 1, else 0; OLD_TIP (41 bytes, may be NULL) receives
 * the indexed tip before the update ("" when there was none). Errors: DOCKET_ERROR (the
 * repository or the index file cannot be read or written).
 */
DOCKET_EXTERN(int) docket_history_update(int *rewritten, char old_tip[41], docket_repo *repo);

/*
 * Options of docket_history_update_opts. Initialise with DOCKET_HISTORY_OPTIONS_INIT and set
 * the fields by name.
 */
typedef struct {
	unsigned int version;           /* DOCKET_HISTORY_OPTIONS_VERSION */
	unsigned int jobs;              /* threads that read the commits (0: the number of cores);
	                                 * the index is the same whatever the number */
	docket_progress_cb progress_cb; /* called as commits are indexed (may be NULL) */
	void *payload;                  /* passed to PROGRESS_CB */
} docket_history_options;

#define DOCKET_HISTORY_OPTIONS_VERSION 1
#define DOCKET_HISTORY_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_HISTORY_OPTIONS_VERSION) }

/*
 * docket_history_update with OPTS (NULL: the defaults). The new commits are read by
 * OPTS->jobs threads, each with its own repository handle, in runs of consecutive commits,
 * and written in history order. Errors: as docket_history_update; DOCKET_EUSAGE (options
 * of an unknown version); DOCKET_ERROR when PROGRESS_CB stopped it (the index is unchanged).
 */
DOCKET_EXTERN(int) docket_history_update_opts(int *rewritten, char old_tip[41], docket_repo *repo,
                                              const docket_history_options *opts);

/*
 * Call FN for every indexed commit, oldest first, with the paths it changed (borrowed,
 * valid during the call). FN returns 0 to go on, non-zero to stop (returned). Commits before
 * START (a 40-hex id, exclusive; NULL: from the first) are skipped. The index is brought up
 * to date first; DOCKET_ERROR when it cannot be.
 */
typedef int (*docket_history_fn)(const char *commit, const char *const *paths, size_t npaths,
                                 void *payload);
DOCKET_EXTERN(int) docket_history_scan(docket_repo *repo, const char *start, docket_history_fn fn, void *payload);

/*
 * The commits that changed document ID (followed by its id — the file name — across moves),
 * oldest first, with the path it had in each. *OUT owns its arrays and strings: release them
 * with docket_history_list_free. Errors: DOCKET_ERROR (the index cannot be brought up to date).
 */
typedef struct {
	char **commits;
	char **paths;
	size_t n;
} docket_history_list;
DOCKET_EXTERN(int) docket_history_for(docket_history_list *out, docket_repo *repo, const char *id);
/* Free what L holds (not L itself; NULL allowed). */
DOCKET_EXTERN(void) docket_history_list_free(docket_history_list *l);

DOCKET_END_DECL

#endif
