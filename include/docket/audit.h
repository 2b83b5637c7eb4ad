#ifndef DOCKET_AUDIT_H
#define DOCKET_AUDIT_H
/*
 * Audit: a document's timeline (log), a semantic diff of two versions (diff), and the
 * replay of the whole history that reports every finding (audit).
 */
#include <stddef.h>
#include "doc.h"
#include "repo.h"

DOCKET_BEGIN_DECL

/* One signature as a timeline shows it. */
typedef struct {
	char *id;          /* Signature Id, e.g. "sig-2" */
	char *signer;      /* the signer's printed name (certificate subject CN) */
	char *time;        /* SigningTime as written (+07:00) */
	char *meaning;     /* "review", "approval", "origin", ... */
	char *status;      /* "valid", "INVALID: <reason>", or "not verified (no trust anchor)" */
} docket_log_sig;

typedef struct {
	char commit[41];
	char *time;           /* commit time at +07:00, "2021-05-11T09:30:00+07:00" */
	char *actor;          /* Docket-Actor trailer, else the commit author's name */
	char *actor_name;     /* the person's full name and position, from the config then */
	char *actor_position;
	char *action;         /* the transition, or "add", "edit", "config"; "outside docket" without trailers */
	char *from, *to;      /* states; NULL when unchanged/unknown */
	char *subject;        /* the commit's first line */
	char *message;        /* the step's message (reason, comment), or NULL */
	char *path;           /* the document's path in that commit */
	int deleted;          /* the commit removed the document */
	docket_log_sig *sigs; /* signatures first present in this commit */
	size_t nsigs;
} docket_log_entry;

/*
 * The timeline of document ID: every commit that touched it, oldest first. TRUST (a PEM
 * file of trusted CA certificates, may be NULL) is used to verify signatures.
 * *OUT receives *N entries; free them with docket_log_free. Errors: DOCKET_ENOTFOUND (no such
 * document), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_log(docket_log_entry **out, size_t *n, docket_repo *repo, const char *id,
                              const char *trust);
/* Free the N entries of ENTRIES and everything they hold (NULL allowed). */
DOCKET_EXTERN(void) docket_log_free(docket_log_entry *entries, size_t n);

/* One change between two versions of a document. */
typedef struct {
	char *path;        /* in the words of the domain: "indicator 4.1 target 2025" */
	char change;       /* '+' added, '-' removed, '~' changed */
	char *old_value;   /* NULL when added */
	char *new_value;   /* NULL when removed */
} docket_diff_item;

/*
 * The semantic difference between two versions of document ID: at REV1 and REV2 (commits;
 * NULL REV1: the last two versions of the document; NULL REV2 alone: the tip). *OUT receives
 * *N items, freed with docket_diff_free; OUT_REV1/OUT_REV2 (41 bytes each, may be NULL) the
 * 40-hex commits compared. Errors: DOCKET_ENOTFOUND (no such document or revision, or fewer
 * than two versions), DOCKET_EINVALID (a version does not parse), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_diff(docket_diff_item **out, size_t *n, char out_rev1[41], char out_rev2[41],
                               docket_repo *repo, const char *id, const char *rev1, const char *rev2);
/*
 * The same for two documents in memory, OLD_DOC and NEW_DOC (borrowed). *OUT receives *N
 * items, freed with docket_diff_free. Errors: DOCKET_EUSAGE (a NULL argument), DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_diff_docs(docket_diff_item **out, size_t *n, docket_doc *old_doc, docket_doc *new_doc);
/* Free the N items of ITEMS and their strings (NULL allowed). */
DOCKET_EXTERN(void) docket_diff_free(docket_diff_item *items, size_t n);

/* --- verify ------------------------------------------------------------------------------ */

typedef struct {
	char *id;          /* Signature Id */
	int ok;            /* every check held */
	char *signer;      /* certificate subject CN */
	char *person;      /* the person who took the signed transition ("?" when unknown) */
	char *time;        /* SigningTime as written */
	char *meaning;     /* review, approval, origin */
	char *transition;
	char *problem;     /* the first failed check, plain English; NULL when ok */
} docket_verify_item;

/*
 * Verify every signature of document DOC at the tip against TRUST (a PEM file of trusted
 * CA certificates; required): chain and validity at signing time, content (and header)
 * unchanged, the signature belongs to this document, and the signer is the person who took
 * the signed transition, whose certificate the configuration recorded, holding a role the
 * workflow in force at that commit allowed. *OUT receives *N items, freed with
 * docket_verify_items_free. Returns 0 when the checks ran (each item's OK says whether it
 * held); DOCKET_EUSAGE (no TRUST), DOCKET_ENOTFOUND (no such document), DOCKET_EINVALID,
 * DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_verify_document(docket_verify_item **out, size_t *n, docket_repo *repo, const char *doc,
                                          const char *trust);
/* Free the N items of ITEMS and their strings (NULL allowed). */
DOCKET_EXTERN(void) docket_verify_items_free(docket_verify_item *items, size_t n);

/* --- audit ------------------------------------------------------------------------------ */

typedef struct {
	char *kind;        /* e.g. "illegal-transition"; see docs/audit.md for the list */
	char commit[41];   /* where it happened ("" for findings about the repository) */
	char *document;    /* the document id, or NULL */
	char *message;     /* plain English */
} docket_audit_finding;

/*
 * Options of docket_audit. Initialise with DOCKET_AUDIT_OPTIONS_INIT (or
 * docket_audit_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;       /* DOCKET_AUDIT_OPTIONS_VERSION */
	const char *trust;          /* PEM file of trusted CA certificates, or NULL */
	const char *since;          /* audit only commits after this revision (no cache) */
	const char *const *docs;    /* only findings about these document ids (NULL: all) */
	size_t ndocs;
	int no_cache;               /* ignore and do not write the cache */
	const char *known_head;     /* a file outside the repository holding the head audited last
	                             * (NULL: $XDG_STATE_HOME/docket/heads/<root commit>); checked,
	                             * then updated after a full audit that found no rewrite */
	unsigned int jobs;          /* threads that parse versions and verify signatures (0: the
	                             * number of cores); the findings are the same, in the same
	                             * order, whatever the number */
	docket_progress_cb progress_cb; /* called as the history index is brought up to date
	                                 * ("indexing history") and as commits are judged
	                                 * ("auditing", with the total); may be NULL */
	void *payload;              /* passed to PROGRESS_CB */
} docket_audit_options;

#define DOCKET_AUDIT_OPTIONS_VERSION 1
#define DOCKET_AUDIT_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_AUDIT_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_AUDIT_OPTIONS_INIT does, for VERSION
 * (DOCKET_AUDIT_OPTIONS_VERSION). Errors: DOCKET_EUSAGE (OPTS NULL, an unknown version).
 */
DOCKET_EXTERN(int) docket_audit_options_init(docket_audit_options *opts, unsigned int version);

typedef struct {
	docket_audit_finding *findings;
	size_t n;
	size_t commits;        /* commits examined in this run */
	size_t cached;         /* commits whose verdict came from the cache */
	size_t signatures;     /* signatures verified in this run */
	int trust_used;        /* signatures were checked against a trust anchor */
	size_t earlier;        /* of the findings, those recorded by an earlier run (the cache):
	                        * the first EARLIER of FINDINGS */
	docket_audit_finding *notes; /* facts an auditor must know that are no fault: the bootstrap,
	                              * a repository's older unsigned commits and signatures, actions
	                              * the configuration allows unsigned (docs/audit.md) */
	size_t nnotes;
} docket_audit_result;

/* Whether KIND (e.g. "unsigned-bootstrap") is a note rather than a finding. */
DOCKET_EXTERN(int) docket_audit_kind_is_note(const char *kind);

/*
 * Replay the history of the main branch and report every finding (see docs/audit.md):
 * illegal transitions, actors without the role or unit, broken separation of duties,
 * failing or missing signatures, content changed in a non-editable state or after a
 * signature, commits touching documents without docket's trailers, changes to .docket/ not
 * made by an administrator, workflow steps rewritten, history rewritten. The verdicts are
 * cached under the git directory (docket/audit), keyed by the commit audited last, so a
 * re-run only replays the new commits. OPTS may be NULL (no trust anchor, everything).
 * Returns 0 when the audit ran, whatever it found (*OUT: release with
 * docket_audit_result_free); DOCKET_EUSAGE for options of an unknown version,
 * DOCKET_ENOTFOUND for an unknown SINCE, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_audit(docket_audit_result *out, docket_repo *repo, const docket_audit_options *opts);
/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_audit_result_free(docket_audit_result *r);

DOCKET_END_DECL

#endif
