#ifndef DOCKET_AUDIT_INTERNAL_H
#define DOCKET_AUDIT_INTERNAL_H
/* The audit layer: the log, the diff, the audit and the verification of signatures. Shared
 * by log.c, diff.c, audit.c, verify.c and claims.c; not part of the public API. A sibling of
 * the draft layer: neither uses the other. */
#include "workflow_internal.h"
#include "docket/audit.h"

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

#endif
