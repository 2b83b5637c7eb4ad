#ifndef DOCKET_WORKFLOW_H
#define DOCKET_WORKFLOW_H
/*
 * Workflows as data (.docket/workflows/<kind>.xml, namespace DOCKET_WORKFLOW_NS) and the
 * engine that moves documents through them. Every action is exactly one commit whose
 * message ends with machine-readable trailers:
 *
 *   Docket-Document: kh-2021-354
 *   Docket-Transition: approve
 *   Docket-From: reviewed
 *   Docket-To: approved
 *   Docket-Actor: lan
 */
#include <stddef.h>
#include "repo.h"
#include "validate.h"

DOCKET_BEGIN_DECL

#define DOCKET_WORKFLOW_NS "urn:docket:workflow:1"

typedef struct docket_workflow docket_workflow;

typedef enum {
	DOCKET_SCOPE_DRAFTING_UNIT,
	DOCKET_SCOPE_RECIPIENT_UNIT,
	DOCKET_SCOPE_ORGANISATION
} docket_scope;

typedef struct {
	const char *role;
	docket_scope scope;
} docket_allow;

typedef struct {
	const char *id;
	const char *const *from;     /* NULL-terminated */
	const char *to;
	const docket_allow *allow;
	size_t nallow;
	const char *const *separate; /* NULL-terminated transition ids */
	const char *signature;       /* meaning, or NULL when no signature is required */
	int reason_required;
	int assign_number;
} docket_transition_def;

/*
 * Parse a workflow definition and check it for consistency: every state named by a
 * transition is declared, exactly one initial state, every state reachable from it, no
 * transition out of a final state. Problems are added to FINDINGS (when not NULL) and the
 * call fails with DOCKET_EINVALID. SCHEMA (workflow.xsd) may be NULL to skip XSD.
 */
DOCKET_EXTERN(int) docket_workflow_parse(docket_workflow **out, docket_findings *findings, docket_schema *schema,
                                         const char *buf, size_t len, const char *name);
/*
 * Load .docket/workflows/KIND.xml from REPO at REV (NULL: tip), with its pinned schema, into
 * *OUT. DOCKET_ENOTFOUND (no such revision or workflow), DOCKET_EINVALID, DOCKET_ERROR.
 * *OUT from either function is freed with docket_workflow_free.
 */
DOCKET_EXTERN(int) docket_workflow_load(docket_workflow **out, docket_repo *repo, const char *rev, const char *kind);
/* Free WF (NULL allowed); the strings and definitions borrowed from it go with it. */
DOCKET_EXTERN(void) docket_workflow_free(docket_workflow *wf);

/*
 * Getters: the kind and the initial state (borrowed from WF); whether STATE is editable,
 * final, declared (1 or 0); the transitions by id or by index below the count (borrowed,
 * NULL when there is none).
 */
DOCKET_EXTERN(const char *) docket_workflow_kind(const docket_workflow *wf);
DOCKET_EXTERN(const char *) docket_workflow_initial(const docket_workflow *wf);
DOCKET_EXTERN(int) docket_workflow_is_editable(const docket_workflow *wf, const char *state);
DOCKET_EXTERN(int) docket_workflow_is_final(const docket_workflow *wf, const char *state);
DOCKET_EXTERN(int) docket_workflow_has_state(const docket_workflow *wf, const char *state);
/*
 * Who may change the content of a document in STATE, as a pseudo-transition "edit" (from
 * and to are NULL): the state's own <allow> elements, else drafters and reviewers of the
 * drafting unit. Borrowed; NULL when STATE is not editable.
 */
DOCKET_EXTERN(const docket_transition_def *) docket_workflow_edit(const docket_workflow *wf, const char *state);
/* Borrowed; NULL when there is no transition ID. */
DOCKET_EXTERN(const docket_transition_def *) docket_workflow_transition(const docket_workflow *wf, const char *id);
DOCKET_EXTERN(size_t) docket_workflow_transition_count(const docket_workflow *wf);
DOCKET_EXTERN(const docket_transition_def *) docket_workflow_transition_at(const docket_workflow *wf, size_t i);

/* --- actions --------------------------------------------------------------------------- */

/*
 * What docket_action_run does. Initialise with DOCKET_ACTION_OPTIONS_INIT (or
 * docket_action_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;    /* DOCKET_ACTION_OPTIONS_VERSION */
	const char *doc;         /* document id or path */
	const char *transition;  /* e.g. "submit" */
	const char *actor;       /* person id */
	const char *message;     /* reason or comment; may be NULL */
	const char *now;         /* ISO 8601 time with offset; NULL: the current time at +07:00 */
	struct docket_key *key;  /* the actor's signing key, or NULL; required by transitions that
	                          * need a signature, and used to sign the commit when given */
} docket_action_options;

#define DOCKET_ACTION_OPTIONS_VERSION 1
#define DOCKET_ACTION_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_ACTION_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_ACTION_OPTIONS_INIT does, for VERSION
 * (DOCKET_ACTION_OPTIONS_VERSION). Errors: DOCKET_EUSAGE (OPTS NULL, an unknown version).
 */
DOCKET_EXTERN(int) docket_action_options_init(docket_action_options *opts, unsigned int version);

typedef struct {
	char commit[41];
	char *id;          /* document id */
	char *path;
	char *from, *to;
	char *number;      /* "354/KH-PGDĐT" when the action assigned a number */
	docket_findings *findings; /* when refused because the document is invalid */
} docket_action_result;

/*
 * Take a transition. Checks, against the workflow and configuration in force at the tip:
 * the document's state allows it, the actor holds an allowed role in the required unit
 * scope, separation of duties, the reason when required, and that the document validates.
 * Appends a workflow step, applies side effects (assign-number takes the next number of the
 * issuer's register for the year, in the same commit) and commits. A lost race is retried
 * on the new tip if the document itself did not change; otherwise DOCKET_ECONFLICT
 * ("document changed since you read it"). Refusals: DOCKET_EDENIED (state, role, unit,
 * duty, reason, no key or certificate for a required signature), DOCKET_EINVALID (document
 * invalid: out->findings), DOCKET_ENOTFOUND. When the transition requires a signature, the
 * document is signed (XML-DSig, see sign.h) with a->key and the actor's certificate from the
 * configuration; the organisation signature at issue also covers the number and date.
 * DOCKET_EUSAGE when A is NULL or of an unknown version. *OUT is filled in every case (its
 * findings on DOCKET_EINVALID): release it with docket_action_result_free.
 */
DOCKET_EXTERN(int) docket_action_run(docket_action_result *out, docket_repo *repo, const docket_action_options *a);
/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_action_result_free(docket_action_result *r);

/* The workflow step and commit trailer of a document recorded by docket_import_*. */
#define DOCKET_IMPORT_TRANSITION "import"

/*
 * Options of docket_import_file and docket_import_buffer. Initialise with
 * DOCKET_IMPORT_OPTIONS_INIT (or docket_import_options_init) and set the fields by name.
 */
typedef struct {
	unsigned int version;    /* DOCKET_IMPORT_OPTIONS_VERSION */
	const char *actor;       /* the person recording it: one who may take the numbering transition */
	const char *message;     /* the provenance ("paper archive, box 12"); may be NULL */
	const char *id;          /* replaces the document's own id when not NULL */
	const char *now;         /* the step's time, ISO 8601 with offset; NULL: now */
	struct docket_key *key;  /* the actor's key: signs the commit (required once certificates exist) */
} docket_import_options;

#define DOCKET_IMPORT_OPTIONS_VERSION 1
#define DOCKET_IMPORT_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_IMPORT_OPTIONS_VERSION) }

/* Initialise OPTS as DOCKET_IMPORT_OPTIONS_INIT does. Errors: DOCKET_EUSAGE. */
DOCKET_EXTERN(int) docket_import_options_init(docket_import_options *opts, unsigned int version);

/*
 * Record a document issued outside docket (a paper archive, another system) as issued, with
 * its own number, notation and date, in ONE commit: the document enters in the state its
 * workflow's numbering transition leads to ("issued"), with one workflow step
 * DOCKET_IMPORT_TRANSITION by opts->actor (who must hold a role that may take that
 * transition) carrying opts->message, and its number enters the register of its issuer for
 * the year of its date, so the next number issued there is one more than the highest known.
 * The document must validate and carry no workflow steps or signatures. Errors:
 * DOCKET_EINVALID (not valid: out->findings; no number or date; steps or signatures),
 * DOCKET_EEXISTS (the id exists, or the register holds the number already), DOCKET_EDENIED
 * (the actor may not number documents; the workflow numbers none; the commit cannot be
 * signed), DOCKET_EUSAGE (no actor, bad options). *OUT (id, path, from, to, number,
 * commit) is released with docket_action_result_free in every case.
 */
DOCKET_EXTERN(int) docket_import_file(docket_action_result *out, docket_repo *repo, const char *file,
                                      const docket_import_options *opts);
/* As docket_import_file, from BUF (LEN bytes) named NAME in messages. */
DOCKET_EXTERN(int) docket_import_buffer(docket_action_result *out, docket_repo *repo, const char *buf, size_t len,
                                        const char *name, const docket_import_options *opts);

/*
 * Record the edits made to DOC's file in the work tree (by any editor) as one commit.
 * Allowed only in an editable state; the workflow steps, state and signatures must be
 * unchanged; the new content must validate. Errors as docket_action_run; release *OUT with
 * docket_action_result_free.
 */
DOCKET_EXTERN(int) docket_edit_commit(docket_action_result *out, docket_repo *repo, const char *doc,
                                      const char *actor, const char *message);

/*
 * Record BUF (LEN bytes: the whole new document) as DOC's new content, as one commit with
 * the same checks and trailers as docket_edit_commit, for callers that have no work tree to
 * edit (the web workspace, a bare repository). Refused when the work tree holds edits of
 * DOC's file not yet recorded (DOCKET_EDENIED). Errors as docket_action_run; release *OUT
 * with docket_action_result_free.
 */
DOCKET_EXTERN(int) docket_edit_buffer(docket_action_result *out, docket_repo *repo, const char *doc,
                                      const char *actor, const char *message, const char *buf, size_t len);

/*
 * The transitions ACTOR may take on DOC now into *OUT: a NULL-terminated array of transition
 * ids, freed with docket_strv_free. *STATE_OUT receives the current state, freed with
 * docket_free (also set when a later step fails). Errors: DOCKET_ENOTFOUND (no such
 * document), DOCKET_EINVALID, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_action_available(char ***out, char **state_out, docket_repo *repo,
                                           const char *doc, const char *actor);

/*
 * A checkpoint: an annotated tag refs/tags/docket/checkpoint/N (N one more than the last)
 * pointing at the tip of main, signed by ACTOR, an administrator with a recorded certificate,
 * with the key REPO's commit signer holds (docket_repo_set_commit_signer with
 * docket_sshsig_commit_signer). MESSAGE (may be NULL) is checked like a commit message.
 * out_name (64 bytes, may be NULL) receives "docket/checkpoint/N". DOCKET_EDENIED when ACTOR
 * is no administrator or cannot sign.
 */
DOCKET_EXTERN(int) docket_checkpoint_create(char out_name[64], docket_repo *repo, const char *actor,
                                            const char *message);

DOCKET_END_DECL

#endif
