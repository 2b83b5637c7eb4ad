#ifndef DOCKET_REPO_H
#define DOCKET_REPO_H
/*
 * A docket repository: a git repository (bare or not) whose main branch holds
 * .docket/ (config, pinned schemas and workflows), templates/ and documents/.
 *
 * Every write is one commit built from the parent commit's tree (never through the
 * index) and published by a compare-and-swap on the branch; see docket_repo_transact.
 */
#include <stddef.h>
#include "common.h"

DOCKET_BEGIN_DECL

typedef struct docket_repo docket_repo;
typedef struct docket_txn docket_txn;

/*
 * Open the repository at or above PATH (NULL: the current directory) into *OUT, freed with
 * docket_repo_free. DOCKET_ENOTFOUND when there is no git repository there or it is not a
 * docket repository (no .docket/config.xml), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_repo_open(docket_repo **out, const char *path);

/*
 * Create a new repository at PATH from the built-in template: .docket/config.xml,
 * .docket/schemas/, .docket/workflows/, templates/, documents/, as one initial commit on
 * branch "main". PATH must not exist or be an empty directory. BARE makes a bare repository.
 * *OUT is freed with docket_repo_free. DOCKET_EEXISTS when PATH is not empty, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_repo_init(docket_repo **out, const char *path, int bare);

/* Free REPO (NULL allowed). */
DOCKET_EXTERN(void) docket_repo_free(docket_repo *repo);

/* Borrowed: the git directory and the work tree (NULL when bare). */
DOCKET_EXTERN(const char *) docket_repo_gitdir(const docket_repo *repo);
DOCKET_EXTERN(const char *) docket_repo_workdir(const docket_repo *repo);

/*
 * Sign every commit this handle writes: FN receives the commit object's text and returns
 * in *armored the signature to store in its "gpgsig" header (for git's SSH
 * signatures: "-----BEGIN SSH SIGNATURE-----…", without a trailing newline), allocated
 * so that docket_free releases it (malloc, with the default allocator); docket frees it with
 * docket_free. FN returns 0, or a negative docket code that fails the commit. NULL: unsigned.
 */
typedef int (*docket_commit_signer)(char **armored, const char *buf, size_t len, void *payload);
DOCKET_EXTERN(void) docket_repo_set_commit_signer(docket_repo *repo, docket_commit_signer fn, void *payload);

/* Set the identity written as author and committer (copied). NULL name: from git config. */
DOCKET_EXTERN(int) docket_repo_set_identity(docket_repo *repo, const char *name, const char *email);

/*
 * Read the file PATH (relative to the repository root) at revision REV (NULL: the tip of
 * the main branch). *OUT is a NUL-terminated buffer of *OUT_LEN bytes (OUT_LEN may be NULL);
 * free it with docket_free.
 * DOCKET_ENOTFOUND when the revision or the path does not exist.
 */
DOCKET_EXTERN(int) docket_repo_read(char **out, size_t *out_len, docket_repo *repo, const char *rev,
                                    const char *path);

/* Resolve REV (NULL: main branch tip) to a 40-hex commit id written into out[41]. */
DOCKET_EXTERN(int) docket_repo_resolve(char out[41], docket_repo *repo, const char *rev);

/*
 * Call FN for every blob path under PREFIX (e.g. "documents/") at REV, in tree order; under
 * documents/ the annex folders (ID.annexes/) are skipped: they hold no documents.
 * FN returns 0 to go on, non-zero to stop (that value is returned). DOCKET_ENOTFOUND when
 * REV does not exist, DOCKET_ERROR.
 */
typedef int (*docket_repo_walk_fn)(const char *path, void *payload);
DOCKET_EXTERN(int) docket_repo_walk(docket_repo *repo, const char *rev, const char *prefix,
                                    docket_repo_walk_fn fn, void *payload);

/*
 * Transactions. FN is called with a transaction based on the current tip; it reads with
 * docket_txn_read, stages writes with docket_txn_write and sets the commit message. The
 * commit is then published with compare-and-swap. When another writer won the race, FN is
 * called again on the new tip (up to a bounded number of times) and must re-check what it
 * relies on; it returns DOCKET_ECONFLICT to give up. On success OUT_COMMIT (41 bytes, may be
 * NULL) receives the new commit id. Nothing is written to the branch unless FN and the
 * commit succeed; the work tree is updated only after the branch has moved.
 */
typedef int (*docket_txn_fn)(docket_txn *txn, void *payload);
DOCKET_EXTERN(int) docket_repo_transact(char out_commit[41], docket_repo *repo, docket_txn_fn fn, void *payload);

/* The attempt number, 0 for the first call of FN. */
DOCKET_EXTERN(int) docket_txn_attempt(const docket_txn *txn);
/* The base commit id of this attempt (borrowed, 40 hex), or "" for an unborn branch. */
DOCKET_EXTERN(const char *) docket_txn_base(const docket_txn *txn);
/* Read PATH as staged in this transaction, else at the base commit. Like docket_repo_read. */
DOCKET_EXTERN(int) docket_txn_read(char **out, size_t *out_len, docket_txn *txn, const char *path);
/* Stage PATH with the given contents (copied). */
DOCKET_EXTERN(int) docket_txn_write(docket_txn *txn, const char *path, const char *data, size_t len);
/* Set the commit message (copied). */
DOCKET_EXTERN(int) docket_txn_message(docket_txn *txn, const char *message);
/* The repository of this transaction (borrowed). */
DOCKET_EXTERN(docket_repo *) docket_txn_repo(docket_txn *txn);

DOCKET_END_DECL

#endif
