#ifndef DOCKET_AUDIT_INTERNAL_H
#define DOCKET_AUDIT_INTERNAL_H
/* The audit layer: the log, the diff, the audit and the verification of signatures. Shared
 * by log.c, diff.c, audit.c, verify.c and claims.c; not part of the public API. A sibling of
 * the draft layer: neither uses the other. */
#include "workflow_internal.h"
#include "docket/audit.h"
#include "docket/history.h"

/*
 * The value of the trailer KEY ("Docket-Actor") in MESSAGE, malloc'd, or NULL: read only from
 * the final block of "Docket-Key: value" lines docket writes, never from anything before it.
 */
char *docket_trailer(const char *message, const char *key);

/*
 * 1 (the reason in WHY) when MESSAGE reads differently to different readers: a Docket- line
 * outside the final trailer block, a "---" line before it (where git stops reading
 * trailers), or a key given twice in it (but Docket-Document and Docket-Template, one per
 * document written); else 0.
 */
int docket_trailers_ambiguous(const char *message, docket_buf *why);

/* The word a reader uses for a XAdES commitment type ("approval", "origin", ...). Borrowed. */
const char *docket_meaning_word(const char *commitment);

/*
 * What signature SIG claims, read from its XML without verifying it (`docket log` and
 * `docket verify` say whether it holds): the signer (its certificate's subject), the claimed
 * role, the commitment type and the signing time; each malloc'd, NULL when absent.
 */
void docket_sig_claims(xmlNodePtr sig, char **signer, char **role, char **commitment, char **when);

/* How the audit's checks in other files report: KIND, COMMIT (40 hex or NULL), DOC (or NULL). */
typedef void (*docket_report_fn)(void *ctx, const char *kind, const char *commit, const char *doc,
                                 const char *message);

/* --- rendering (names.c, page.c) ------------------------------------------------------------ */

/*
 * S appended to B as one field of a stylesheet parameter: every run of white space (tabs and
 * newlines, the parameters' separators, among them) one space, none at either end.
 */
int docket_render_put_text(docket_buf *b, const char *s);
/*
 * The `names` parameter of text.xsl and page.xsl for DOC, rendered from REPO at REV: the
 * names of the units and people it cites, the number, date and summary of the documents it
 * cites, a report's plan's indicators (docs/rendering.md). Nothing when REPO is NULL.
 */
int docket_render_names(docket_buf *b, docket_doc *doc, docket_repo *repo, const char *rev);

/* --- numbering (register.c) ---------------------------------------------------------------- */

typedef struct docket_numbering docket_numbering;
int docket_numbering_new(docket_numbering **out);
void docket_numbering_free(docket_numbering *n);
/*
 * Judge the change of the register PATH in COMMIT (message MSG) from OLD to NOW (either may be
 * empty): register-tampered unless one line was appended that records the number the commit
 * gives (Docket-Number, Docket-Document); number-reused when NUMS saw that number given before.
 * FN NULL: only remember the numbers (replaying what an earlier audit judged).
 */
int docket_register_judge(docket_numbering *nums, docket_report_fn fn, void *ctx, const char *commit,
                          const char *path, const char *old, size_t oldlen, const char *now, size_t nowlen,
                          const char *msg);

/*
 * The numbers NUMS remembers, for the audit's cache (a re-run starts from them instead of
 * replaying every register change before the commits it judges): FN(KEY, GIVEN, PAYLOAD) for
 * each, until it returns non-zero (then 1 is returned); and one remembered again.
 */
typedef int (*docket_numbering_fn)(const char *key, const char *given, void *payload);
int docket_numbering_each(docket_numbering *nums, docket_numbering_fn fn, void *payload);
int docket_numbering_remember(docket_numbering *nums, const char *key, const char *given);

/* --- commit signatures (commitsig.c) ------------------------------------------------------ */

typedef enum {
	DOCKET_CSIG_OK,               /* signed by the actor's certificate (or, without trust, signed) */
	DOCKET_CSIG_BOOTSTRAP,        /* before the first certificate: nothing to sign with */
	DOCKET_CSIG_ALLOWED_UNSIGNED, /* a transition the configuration allows unsigned */
	DOCKET_CSIG_LEGACY_UNSIGNED,  /* unsigned under rules 1 (before signed history) */
	DOCKET_CSIG_UNSIGNED,         /* unsigned under rules 2 */
	DOCKET_CSIG_BAD               /* signed, but not verifiably by the actor: WHY says why */
} docket_csig_verdict;

typedef struct docket_csig_cache docket_csig_cache;
int docket_csig_cache_new(docket_csig_cache **out);
/* Forget the certificates of the configuration in force (it changed: the pointers are gone). */
void docket_csig_cache_reset(docket_csig_cache *c);
void docket_csig_cache_free(docket_csig_cache *c);

/*
 * The verdict on commit C's git signature by ACTOR (its Docket-Actor, may be NULL) taking
 * TRANSITION (may be NULL) under CFG, the configuration at its parent (NULL: none), whose
 * certificate pointers CACHE may keep; NEWCFG (may be NULL) is the commit's own configuration,
 * which names the certificate of an administrator recording their own. TRUST NULL: only the
 * presence of a signature is judged. PRE (may be NULL): the signature read (and perhaps
 * verified) ahead; its verdict is the same.
 */
/*
 * A commit's signature read ahead on the main thread (the repository handle is not shared)
 * and verified on a worker (the bytes only): what docket_commit_sig_judge would otherwise
 * read and verify itself.
 */
typedef struct {
	int extracted;  /* SIGNED_, SIG, DATA are filled */
	int signed_;    /* the commit carries a signature: SIG over DATA (LEN bytes) */
	char *sig, *data;
	size_t len;
	int verified;   /* docket_sshsig_verify ran: RC, and PUB or WHY */
	int rc;
	char *pub, *why;
} docket_csig_pre;
int docket_csig_pre_extract(docket_csig_pre *pre, git_repository *git, const git_oid *commit);
/* Verify PRE's signature (thread-safe: bytes only); nothing when unsigned or done. */
void docket_csig_pre_verify(docket_csig_pre *pre);
void docket_csig_pre_clear(docket_csig_pre *pre);

docket_csig_verdict docket_commit_sig_judge(docket_buf *why, docket_csig_cache *cache, git_repository *git,
                                            git_commit *c, const docket_config *cfg, const docket_config *newcfg,
                                            const char *actor, const char *transition, const char *trust,
                                            docket_csig_pre *pre);

/* --- worker threads (pool.c) ------------------------------------------------------------- */

typedef struct docket_task {
	void (*run)(struct docket_task *t); /* on any thread: touches only the task */
	int state;                          /* 0 queued, 1 running, 2 done (the pool's) */
	struct docket_task *next;
} docket_task;
typedef struct docket_pool docket_pool;
/* A pool of JOBS threads in all: JOBS - 1 started here, the caller of docket_pool_wait the last. */
int docket_pool_new(docket_pool **out, unsigned int jobs);
void docket_pool_submit(docket_pool *p, docket_task *t);
/* Return when T has run, running queued tasks on this thread meanwhile. */
void docket_pool_wait(docket_pool *p, docket_task *t);
/* Stop and join the threads (tasks still queued are left to their owners). */
void docket_pool_free(docket_pool *p);

/* --- rewritten history (rewrite.c) -------------------------------------------------------- */

/*
 * Every checkpoint tag (refs/tags/docket/checkpoint/N): checkpoint-invalid when it does not
 * verify (an administrator's signature, certificate chained to TRUST; TRUST NULL: the recorded
 * certificate only), history-rewritten when main (TIP) does not contain a valid one. Sets
 * *rewritten for the latter.
 */
int docket_checkpoints_check(docket_repo *repo, const char *tip, const char *trust, docket_report_fn fn,
                             void *ctx, int *rewritten);
/* The default file of the known head: $XDG_STATE_HOME/docket/heads/<root commit> (*out NULL: none). */
int docket_known_head_path(char **out, docket_repo *repo);
/* history-rewritten when the head recorded in PATH (absent: nothing to check) is not in main (TIP). */
int docket_known_head_check(docket_repo *repo, const char *path, const char *tip, docket_report_fn fn,
                            void *ctx, int *rewritten);
/* Record TIP in PATH (written atomically; the default place's directories made). */
int docket_known_head_save(const char *path, const char *tip);

/*
 * FEED calls FN (with FN_PAYLOAD) for each commit to judge, oldest first, with the paths under
 * documents/ and .docket/ it changed against its first parent, and stops when FN returns
 * non-zero; it returns 0 or a negative docket code.
 */
typedef int (*docket_audit_feed)(docket_history_fn fn, void *fn_payload, void *payload);

/*
 * Judge the commits FEED gives by the audit's rules (docket_audit's, without the history index
 * and the cache): *OUT as docket_audit fills it; release with docket_audit_result_free.
 */
int docket_audit_commits(docket_audit_result *out, docket_repo *repo, const docket_audit_options *opts,
                         docket_audit_feed feed, void *payload);

#endif
