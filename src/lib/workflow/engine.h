#ifndef DOCKET_ENGINE_H
#define DOCKET_ENGINE_H
/* The workflow engine's rules, shared by the engine (action.c) and the audit (audit.c), so
 * that the audit judges history by exactly the rules that made it. */
#include "internal.h"
#include "docket/doc.h"
#include "docket/config.h"
#include "docket/workflow.h"

/* The role under which PERSON may take T on DOC, or NULL with the reason in WHY. */
const char *docket_authorise(const docket_transition_def *t, const docket_person *person,
                             const docket_config *cfg, docket_doc *doc, const char *drafting_unit,
                             docket_buf *why);
/* 1 when ACTOR may take T given the steps already in ROOT's workflow; else 0 and WHY. */
int docket_separated(const docket_transition_def *t, xmlNodePtr root, const char *actor,
                     docket_buf *why);

/*
 * 1 when the document's workflow steps form a chain from INITIAL whose last step ends in
 * STATE (no steps: STATE is INITIAL); else 0 and WHY.
 */
int docket_steps_lead_to_state(xmlNodePtr root, const char *initial, const char *state, docket_buf *why);

#endif
