#ifndef DOCKET_REMOTE_H
#define DOCKET_REMOTE_H
/*
 * Many offices, one history. Each office works in its own clone of a central repository and
 * exchanges actions with it through libgit2 (local paths, file://, git://, http(s)://, and
 * ssh:// with keys from ssh-agent or ~/.ssh). Every action keeps working offline; a pull
 * fast-forwards, or replays the clone's own actions one by one on the remote's tip; a push
 * that lost the race fetches, replays and pushes again, never forcing.
 *
 * The central side is a bare repository whose pre-receive hook (docket_hook_check) judges
 * only the pushed commits by the audit's rules, with the server's own trust anchor.
 */
#include <stddef.h>
#include "common.h"
#include "repo.h"
#include "audit.h"

DOCKET_BEGIN_DECL

struct docket_key;

/*
 * Credentials for URL (HTTP basic authentication): fill *USER and *PASSWORD (allocated so that
 * docket_free releases them; PASSWORD may stay NULL) and return 0, or return a negative value
 * to give up. Asked once per operation; a server that refuses them ends the operation.
 */
typedef int (*docket_credential_fn)(char **user, char **password, const char *url, void *payload);

/* One line the server sent while talking to it (git shows them as "remote: ..."), no newline. */
typedef void (*docket_remote_message_fn)(const char *line, void *payload);

/*
 * The signing key of PERSON, for actions replayed on a remote's tip whose commits (and, for an
 * issue given a new number, whose signatures) must be made anew: fill *OUT (freed by docket
 * with docket_key_free) and return 0; leave *OUT NULL and return 0 when there is none.
 */
typedef int (*docket_key_fn)(struct docket_key **out, const char *person, void *payload);

/*
 * Options of docket_clone, docket_fetch, docket_pull and docket_push. Initialise with
 * DOCKET_REMOTE_OPTIONS_INIT (or docket_remote_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;               /* DOCKET_REMOTE_OPTIONS_VERSION */
	const char *remote;                 /* the remote's name; NULL: "origin" */
	docket_credential_fn credentials;   /* NULL: only what the URL itself carries */
	void *credentials_payload;
	docket_remote_message_fn message;   /* NULL: the server's messages are dropped */
	void *message_payload;
	docket_key_fn key;                  /* NULL: no key; replaying a signed commit then fails */
	void *key_payload;
	int tries;                          /* docket_push: attempts in all (0: 5) */
} docket_remote_options;

#define DOCKET_REMOTE_OPTIONS_VERSION 1
#define DOCKET_REMOTE_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_REMOTE_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_REMOTE_OPTIONS_INIT does, for VERSION. Errors: DOCKET_EUSAGE
 * (OPTS NULL, an unknown version).
 */
DOCKET_EXTERN(int) docket_remote_options_init(docket_remote_options *opts, unsigned int version);

/* What docket_pull or docket_push did. */
typedef struct {
	char before[41];    /* the local main before */
	char after[41];     /* the local main after */
	char remote[41];    /* the remote's main as last fetched or pushed ("" when it has none) */
	size_t received;    /* commits of the remote that the clone did not have */
	size_t replayed;    /* local commits made anew on the remote's tip */
	size_t pushed;      /* commits the remote accepted (docket_push) */
	int fast_forward;   /* main moved forward to the remote's tip without replaying */
	int tries;          /* docket_push: attempts made */
	char **notes;       /* NULL-terminated: what a replay changed (a new number...), or NULL */
} docket_sync_result;

/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_sync_result_free(docket_sync_result *r);

/*
 * Clone the docket repository at URL into PATH (which must not exist or be empty), with the
 * remote "origin" and its main checked out. *OUT is freed with docket_repo_free. Nothing is
 * left at PATH on failure. Errors: DOCKET_EEXISTS (PATH not empty), DOCKET_ENOTFOUND (no
 * repository at URL, or not a docket repository), DOCKET_EDENIED (authentication refused),
 * DOCKET_ERROR (network and everything else; the message is libgit2's).
 */
DOCKET_EXTERN(int) docket_clone(docket_repo **out, const char *url, const char *path,
                                const docket_remote_options *opts);

/*
 * Fetch the remote's main into refs/remotes/<remote>/main. OUT_TIP (41 bytes, may be NULL)
 * receives its commit. Errors as docket_clone; DOCKET_ENOTFOUND when there is no such remote
 * or it has no main.
 */
DOCKET_EXTERN(int) docket_fetch(char out_tip[41], docket_repo *repo, const docket_remote_options *opts);

/*
 * How far main is ahead of and behind refs/remotes/<REMOTE>/main (REMOTE NULL: "origin"), as
 * last fetched, without the network. DOCKET_ENOTFOUND when there is no such ref.
 */
DOCKET_EXTERN(int) docket_remote_ahead_behind(size_t *ahead, size_t *behind, docket_repo *repo,
                                              const char *remote);

/*
 * Fetch, then bring main up to the remote's: a fast-forward when main has nothing of its own;
 * when both moved, each local commit (oldest first) is made anew on the remote's tip - the
 * same files when nothing it touches changed remotely, its commit signed anew by its actor
 * (OPTS->key); an issue whose number the remote has taken meanwhile is taken again with the
 * next free number and signed anew. When a document (or the configuration) that a local commit
 * changes was changed remotely too, nothing is changed here and the call fails with
 * DOCKET_ECONFLICT naming the commit and the document. Main is moved only once the whole
 * replay succeeded (compare-and-swap), then the work tree follows. A work tree with edits not
 * yet recorded is refused first (DOCKET_EDENIED). *OUT is filled in every case; release it
 * with docket_sync_result_free.
 */
DOCKET_EXTERN(int) docket_pull(docket_sync_result *out, docket_repo *repo, const docket_remote_options *opts);

/*
 * Push main to the remote's main, never forcing. When the remote moved meanwhile (the push
 * is not a fast-forward, or another push won the race), pull as docket_pull does and push
 * again, up to OPTS->tries attempts. A refusal by the server's hook is DOCKET_EDENIED, its
 * reasons passed to OPTS->message; DOCKET_ECONFLICT when the tries ran out or a replay
 * conflicts. *OUT is filled in every case; release it with docket_sync_result_free.
 */
DOCKET_EXTERN(int) docket_push(docket_sync_result *out, docket_repo *repo, const docket_remote_options *opts);

/* --- the central repository --------------------------------------------------------------- */

/*
 * A bare docket repository at PATH for a server (docket_repo_init's, bare), configured so
 * that git itself also refuses non-fast-forward updates and deletions (receive.* settings)
 * and accepts authenticated pushes over smart HTTP (http.receivepack). *OUT is freed with
 * docket_repo_free. Errors as docket_repo_init.
 */
DOCKET_EXTERN(int) docket_server_init(docket_repo **out, const char *path);

/*
 * Install the pre-receive hook in the bare repository GITDIR: a shell script running
 * "DOCKET hook pre-receive" (DOCKET: the absolute path of the docket program) with the trust
 * anchor TRUST (a PEM file, may be NULL: then signatures are only checked to be present), which
 * is copied into GITDIR/docket/trust.pem - outside refs, where no push can reach it. Files are
 * written beside their place and renamed. Errors: DOCKET_EUSAGE (a path a shell script cannot
 * quote, not absolute), DOCKET_ENOTFOUND (no repository, no TRUST file), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_server_install_hook(const char *gitdir, const char *docket_path, const char *trust);

/*
 * Options of docket_hook_check. Initialise with DOCKET_HOOK_OPTIONS_INIT (or
 * docket_hook_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;     /* DOCKET_HOOK_OPTIONS_VERSION */
	const char *trust;        /* the server's trust anchor (PEM), or NULL */
	const char *pusher;       /* the authenticated user (REMOTE_USER), or NULL: then not checked */
	const char *objects;      /* an object directory to read as well: the quarantine of the push
	                           * (GIT_OBJECT_DIRECTORY during pre-receive), or NULL */
} docket_hook_options;

#define DOCKET_HOOK_OPTIONS_VERSION 1
#define DOCKET_HOOK_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_HOOK_OPTIONS_VERSION) }

/* Initialise OPTS as DOCKET_HOOK_OPTIONS_INIT does. Errors: DOCKET_EUSAGE. */
DOCKET_EXTERN(int) docket_hook_options_init(docket_hook_options *opts, unsigned int version);

/*
 * Judge one ref update of a push, as pre-receive gets it: REF moves from OLD_ID to NEW_ID (40
 * hex each; all zeros: created or deleted). For refs/heads/main: deletion is refused
 * ("branch-deleted"), a non-fast-forward update ("history-rewritten"), a merge commit
 * ("merge-commit"), every commit not made by the authenticated pusher ("pusher-not-actor",
 * when OPTS->pusher is set); and every new commit - only those, oldest first - is judged by the
 * audit's rules against the rules in force at its parent (docs/audit.md), so the cost is per
 * pushed commit, whatever the size of the repository. Other refs are refused ("ref-not-allowed")
 * unless a pattern of the repository's git configuration docket.allowRef (multi-valued,
 * fnmatch(3) patterns such as "refs/heads/drafts/[a-z]*") matches them. Returns 0 when the check ran
 * (*OUT lists the findings; none: accept), an error else; release *OUT with
 * docket_audit_result_free.
 */
DOCKET_EXTERN(int) docket_hook_check(docket_audit_result *out, docket_repo *repo, const char *ref,
                                     const char *old_id, const char *new_id, const docket_hook_options *opts);

DOCKET_END_DECL

#endif
