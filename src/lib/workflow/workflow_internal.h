#ifndef DOCKET_WORKFLOW_INTERNAL_H
#define DOCKET_WORKFLOW_INTERNAL_H
/* The workflow layer: configuration, workflow definitions, the engine, numbering and the
 * checks that need a workflow and a repository. Shared by the layers above (the audit
 * judges history by exactly the rules that made it); not part of the public API. */
#include "store_internal.h"
#include "sign_internal.h"
#include "docket/doc.h"
#include "docket/config.h"
#include "docket/workflow.h"

/* --- the engine's rules (action.c) --------------------------------------------------------- */

/* The role under which PERSON may take T on DOC, or NULL with the reason in WHY. */
const char *docket_authorise(const docket_transition_def *t, const docket_person *person,
                             const docket_config *cfg, docket_doc *doc, const char *drafting_unit,
                             docket_buf *why);
/* 1 when ACTOR may take T given the steps already in ROOT's workflow; else 0 and WHY. */
int docket_separated(const docket_transition_def *t, xmlNodePtr root, const char *actor,
                     docket_buf *why);

/*
 * Append to ROOT's workflow (made in state INITIAL when absent) the step DATE, ACTOR, ROLE,
 * TRANSITION, FROM -> TO (text MSG, may be NULL) and set the state to TO. No check: the
 * caller has made them.
 */
int docket_doc_take_step(xmlNodePtr root, const char *initial, const char *date, const char *actor,
                         const char *role, const char *transition, const char *from, const char *to,
                         const char *msg);

/*
 * The role a signature by P taking T on DOC claims (malloc'd): the signer's own - the printed
 * signer block when P is the header's signer of an approval, the organisation for the
 * organisation's signature at issue, else P's position in CFG. Verification recomputes it.
 */
char *docket_signer_role(docket_doc *doc, const docket_transition_def *t, const docket_person *p,
                         const docket_config *cfg);

/* --- annexes (annex.c) -------------------------------------------------------------------- */

#include "docket/annex.h"

/* HEX receives the lowercase SHA-256 of DATA (LEN bytes). */
void docket_annex_digest(char hex[65], const void *data, size_t len);
/* OUT receives "documents/.../ID.annexes" for the document at DOCPATH ("...ID.xml"). */
int docket_annex_dir(docket_buf *out, const char *docpath);
/*
 * Add <annex name type size sha256> to DOC's content (an <annexes> list made at its end when
 * absent) and serialise DOC into *OUT. DOCKET_EEXISTS when DOC lists NAME already.
 */
int docket_annex_add_ref(char **out, size_t *out_len, docket_doc *doc, const char *name, const char *type,
                         unsigned long long size, const char *hex);
/*
 * Compare DOC's annex list with the files under its annex folder in TREE (DOCPATH: its
 * path). FN is called with each listed annex (ok or not) and each unlisted file (never ok);
 * the item and its strings are borrowed for the call. The number of problems, or a negative
 * error when the tree could not be read.
 */
typedef void (*docket_annex_fn)(void *payload, const docket_annex_item *item);
int docket_annex_judge(git_repository *git, git_tree *tree, const char *docpath, docket_doc *doc,
                       docket_annex_fn fn, void *payload);
/*
 * The engine's attach (action.c): an edit of DOC by ACTOR that lists the annex NAME (TYPE,
 * DATA of LEN bytes) and writes its file, as one commit.
 */
int docket_attach_run(docket_action_result *out, docket_repo *repo, const char *doc, const char *actor,
                      const char *message, const char *name, const char *type, const char *data, size_t len);
/* The transition of WF that numbers documents (effect assign-number), or NULL. */
const docket_transition_def *docket_workflow_numbering(const docket_workflow *wf);

/*
 * What DOC must print when P takes T, in a workflow whose numbering transition is NUMBERING
 * (NULL: none, nothing to check): at an approval, a signer block naming P in P's position;
 * at the numbering transition, a signer and recipients ending "Lưu: ...". 0, or
 * DOCKET_EDENIED with the reason ("cannot T 'ID': ..."). Shared with the audit.
 */
int docket_signing_check(docket_doc *doc, const docket_transition_def *t, const docket_transition_def *numbering,
                         const docket_person *p, const char *id);

/* The configuration as TXN's base holds it, parsed into *CFG (the caller frees it). */
int docket_txn_config(docket_config **cfg, docket_txn *txn);
/*
 * The configuration of TXN and ACTOR's person in it (borrowing from *CFG, which the caller
 * frees even on failure). No ACTOR: DOCKET_EUSAGE with QUESTION as the message ("who is
 * acting? ..."); an ACTOR the configuration does not know: DOCKET_EDENIED.
 */
int docket_txn_actor(docket_config **cfg, docket_person *person, docket_txn *txn, const char *actor,
                     const char *question);

/* --- numbering (number.c) ----------------------------------------------------------------- */

/*
 * Give ROOT (the document ID being issued at NOW) the next number of its issuer's register,
 * its notation and its date, writing the register line in TXN; the number goes to OUT.
 */
int docket_number_assign(docket_txn *txn, xmlNodePtr root, const char *id, const char *now,
                         docket_action_result *out);

/*
 * Record in TXN's register the number, notation and date ROOT (the document ID, issued
 * outside docket) carries: refused when the register of its issuer and year holds that
 * number already (DOCKET_EEXISTS) or the header lacks them (DOCKET_EINVALID). OUT->number
 * gets "354/KH-PGDĐT".
 */
int docket_number_record(docket_txn *txn, xmlNodePtr root, const char *id, docket_action_result *out);
/* The register ROOT's number goes to in YEAR ("2021"), into OUT; DOCKET_ENOTFOUND without an issuer. */
int docket_register_path_of(docket_buf *out, xmlNodePtr root, const char *year);
/* The highest number in the register text REG (LEN bytes; lines "NN<TAB>..."), 0 when none. */
unsigned long docket_register_highest(const char *reg, size_t len);

/* --- checks (check.c) ---------------------------------------------------------------------- */

/*
 * 1 when the document's workflow steps form a chain from INITIAL whose last step ends in
 * STATE (no steps: STATE is INITIAL); else 0 and WHY.
 */
int docket_steps_lead_to_state(xmlNodePtr root, const char *initial, const char *state, docket_buf *why);

/*
 * 1 when LINKED (in the state LINKED_STATE) may be linked from the issued document OLD by
 * the transition T (T->link "replaces" or "corrects"): another document, in one of T's
 * from-states (issued) with a number, of the same issuer (abbreviation), whose header says
 * <amends relation="T->link" ref="OLD's id"> (its code and date, when given, OLD's own number
 * and date), not linked by an earlier step of OLD. Else 0
 * and the reason in WHY. The engine checks it before the step, the audit at every such step.
 */
int docket_link_check(docket_buf *why, docket_doc *old, docket_doc *linked, const char *linked_state,
                      const docket_transition_def *t);

/*
 * Checks of particular kinds of document that a layer above registers (the drafting layer:
 * plans and reports). Each appends findings for DOC as of REV and returns 0, or a negative
 * code when it could not check; each ignores documents of other kinds.
 */
typedef struct {
	/* run by docket_validate after the document and workflow rules (with a repository,
	 * unless DOCKET_VALIDATE_NO_REFS) */
	int (*validate)(docket_findings *findings, docket_doc *doc, docket_repo *repo, const char *rev);
	/* run by the engine when a document leaves an editable state (submitting it) */
	int (*submit)(docket_findings *findings, docket_doc *doc, docket_repo *repo, const char *rev);
} docket_kind_checks;

/* Register CHECKS (static storage; NULL: none). Called once, by docket_global_init. */
void docket_workflow_set_checks(const docket_kind_checks *checks);
/* The registered checks, or NULL. */
const docket_kind_checks *docket_workflow_checks(void);

/* --- signed commits and safe messages (signer.c) ------------------------------------------ */

/*
 * 0 when MSG (a message a person typed, may be NULL) cannot add to or end the trailers docket
 * writes after it: no control characters but newline and tab, no line starting with
 * "Docket-" (any case) or "---". Else DOCKET_EUSAGE, the message starting with WHAT.
 */
int docket_message_check(const char *msg, const char *what);
/* 0 when S (a name, may be NULL) is one line without control characters; else DOCKET_EUSAGE. */
int docket_name_check(const char *s, const char *what);
/*
 * Whether REPO may write a commit by ACTOR under CFG (the configuration at the base): once
 * CFG records any certificate, the commit must be signed (REPO's commit signer) with the key
 * of ACTOR's recorded certificate - or OWN_CERT, the certificate the commit records for
 * ACTOR when CFG has none (an administrator enrolling); TRANSITION (NULL: not a transition)
 * may be one CFG allows unsigned. WHAT names the action in messages ("submit 'kh-2021-354'").
 * 0, or DOCKET_EDENIED with the reason.
 */
int docket_commit_signing_check(docket_repo *repo, const docket_config *cfg, const char *actor,
                                const char *transition, const char *own_cert, const char *what);

/* Whether ABBR may issue in CFG's name: the organisation's abbreviation or a unit's code
 * (check.c); 1 too when the organisation has no abbreviation yet. */
int docket_issuer_known(const docket_config *cfg, const char *abbr);

/* --- units (config.c) ---------------------------------------------------------------------- */

/* Whether UNIT is TARGET or one of TARGET's ancestors in CFG. */
int docket_unit_covers(const docket_config *cfg, const char *unit, const char *target);
/* Whether UNIT is marked affiliated="true" in CFG. */
int docket_unit_is_affiliated(const docket_config *cfg, const char *unit);

#endif
