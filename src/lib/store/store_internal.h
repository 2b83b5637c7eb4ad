#ifndef DOCKET_STORE_INTERNAL_H
#define DOCKET_STORE_INTERNAL_H
/* The store layer: the repository through libgit2 - transactions, the history index,
 * lookups in a tree, new documents. Shared by the layers above; not part of the public API. */
#include <git2.h>
#include "xml_internal.h"
#include "docket/repo.h"
#include "docket/history.h"

/* Same as docket_error_set, appending libgit2's own message for the failed call. */
int docket_error_git(int code, const char *fmt, ...) DOCKET_PRINTF(2, 3);
/* Map a libgit2 return code to a docket code. */
int docket_error_from_git(int giterr);

/* REPO's libgit2 repository (borrowed). */
git_repository *docket_repo_git(docket_repo *repo);

/* The signer of the commits REPO writes (NULL: unsigned) and its payload in *PAYLOAD. */
docket_commit_signer docket_repo_commit_signer(docket_repo *repo, void **payload);

/*
 * Write an annotated tag TAGNAME of commit TARGET (40 hex) with MESSAGE (ending in a newline),
 * signed by the handle's commit signer as git signs tags, and create REFNAME for it (never
 * moved: DOCKET_EEXISTS when it exists). out_oid (may be NULL) gets the tag object's id.
 */
int docket_repo_tag(char out_oid[41], docket_repo *repo, const char *refname, const char *tagname,
                    const char *target, const char *message);

/*
 * A handle on REPO's git directory that reads and writes the branch BRANCH (a full reference
 * name, e.g. "refs/docket/replay") instead of main, with no work tree and REPO's identity; for
 * work that must not touch main until it is complete (replaying local actions on a remote's
 * tip). *OUT is freed with docket_repo_free. The branch need not exist yet.
 */
int docket_repo_open_branch(docket_repo **out, docket_repo *repo, const char *branch);
/* The full name of the branch REPO works on (borrowed), e.g. "refs/heads/main". */
const char *docket_repo_branch(const docket_repo *repo);
/* Whether PATH is staged in TXN (written in this transaction, not read from its base). */
int docket_txn_staged(const docket_txn *txn, const char *path);

/*
 * Commit DATA (LEN bytes, the serialised DOC) at PATH as a new document, as ACTOR (may be
 * NULL), in one transaction; DOCKET_EEXISTS when a document with DOC's id exists at the
 * tip. The commit id goes to OUT_COMMIT.
 */
int docket_store_add_new(char out_commit[41], docket_repo *repo, docket_doc *doc, const char *path,
                         const char *data, size_t len, const char *actor);

/*
 * *OUT: how many files documents/KIND/YEAR/UNIT/ID.xml of TREE (a root tree) has for ID
 * (more than one: the id names several documents). Reads the folders, not the documents.
 */
int docket_tree_count_id(size_t *out, docket_repo *repo, git_tree *tree, const char *id);

/* The number of commits the history index holds (0 when there is none). */
int docket_history_count(size_t *out, docket_repo *repo);

/*
 * The id index (ids.c, docs/lookup.md): calls FN(ID, IDLEN, PATH, PAYLOAD) for each document
 * file of REV (NULL: the branch's tip) whose id (file name without ".xml") is KEY, or starts
 * with KEY when PREFIX, in the order of (id, path); stops at FN's first non-zero return and
 * returns it. The cost does not grow with the number of documents: a cache in
 * GITDIR/docket/ids keyed by the documents/ tree, brought to REV's tree by a tree diff.
 */
typedef int (*docket_ids_fn)(const char *id, size_t idlen, const char *path, void *payload);
int docket_ids_each(docket_repo *repo, const char *rev, const char *key, int prefix, docket_ids_fn fn,
                    void *payload);
/*
 * The reference index (ids.c): calls FN(TARGET, LEN, PATH, PAYLOAD) for each document file of
 * REV naming TARGET in an attribute ref or plan - a superset (values written with entities
 * come under "*", returned to every query; a path may come twice): read the documents to know.
 */
int docket_refs_each(docket_repo *repo, const char *rev, const char *target, docket_ids_fn fn, void *payload);
/* The handle's slot for the id index's in-memory cache, and how it is freed. */
void **docket_repo_ids_slot(docket_repo *repo);
void docket_ids_cache_free(void *cache);

#endif
