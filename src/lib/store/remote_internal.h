#ifndef DOCKET_REMOTE_INTERNAL_H
#define DOCKET_REMOTE_INTERNAL_H
/* What remote.c gives the layers above (sync.c replays, hook.c judges pushes); not public. */
#include "docket/remote.h"

/* The remote's name OPTS gives, "origin" by default. Borrowed. */
const char *docket_remote_name(const docket_remote_options *opts);

/* refs/remotes/REMOTE/main as 40 hex into OUT; DOCKET_ENOTFOUND when it does not exist. */
int docket_remote_tracking(char out[41], docket_repo *repo, const char *remote);

/*
 * One push of main to the remote's main (never forced); refs/remotes/<remote>/main follows on
 * success. DOCKET_ECONFLICT when the remote moved (not a fast-forward, a lost race for the ref),
 * DOCKET_EDENIED when its hook refused (the reasons went to OPTS->message), else as docket_fetch.
 */
int docket_remote_push_main(docket_repo *repo, const docket_remote_options *opts);

/* Move REPO's branch from EXPECTED to TO (40 hex each); DOCKET_ECONFLICT when it moved meanwhile. */
int docket_repo_move_main(docket_repo *repo, const char *to, const char *expected);

/* 0 when the work tree (if any) has no changes to tracked files; DOCKET_EDENIED naming one. */
int docket_repo_workdir_clean(docket_repo *repo);

/* After the branch moved from OLD_COMMIT: bring the work tree and the index along (safely). */
int docket_repo_checkout_from(docket_repo *repo, const char *old_commit);

/* Read the objects of OBJECTS_DIR too (a push's quarantine); NULL or "": nothing to do. */
int docket_repo_add_objects(docket_repo *repo, const char *objects_dir);

/* The file paths a commit changed. */
typedef struct {
	char **paths;   /* NULL-terminated */
	size_t n;
} docket_changed;

/* The blob paths that differ between commits OLD_COMMIT (NULL: none) and NEW_COMMIT. */
int docket_changed_paths(docket_changed *out, docket_repo *repo, const char *old_commit, const char *new_commit);
void docket_changed_free(docket_changed *ch);

/* The blob id of PATH at COMMIT into OUT ("" when there is no such file). */
int docket_blob_at(char out[41], docket_repo *repo, const char *commit, const char *path);

#endif
