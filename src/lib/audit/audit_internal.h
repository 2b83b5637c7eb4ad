#ifndef DOCKET_AUDIT_INTERNAL_H
#define DOCKET_AUDIT_INTERNAL_H
/* The audit layer: the log, the diff, the audit and the verification of signatures. Shared
 * by log.c, diff.c, audit.c, verify.c and claims.c; not part of the public API. A sibling of
 * the draft layer: neither uses the other. */
#include "workflow_internal.h"
#include "docket/audit.h"
#include "docket/history.h"

/* The last value of the trailer KEY in MESSAGE, malloc'd, or NULL. */
char *docket_trailer(const char *message, const char *key);

/* The word a reader uses for a XAdES commitment type ("approval", "origin", ...). Borrowed. */
const char *docket_meaning_word(const char *commitment);

/*
 * What signature SIG claims, read from its XML without verifying it (`docket log` and
 * `docket verify` say whether it holds): the signer (its certificate's subject), the claimed
 * role, the commitment type and the signing time; each malloc'd, NULL when absent.
 */
void docket_sig_claims(xmlNodePtr sig, char **signer, char **role, char **commitment, char **when);

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
