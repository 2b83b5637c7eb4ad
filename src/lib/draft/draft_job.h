#ifndef DOCKET_DRAFT_JOB_H
#define DOCKET_DRAFT_JOB_H
/* draft.c's machinery, shared with rollup.c: documents written from templates in one commit. */
#include "draft_internal.h"

/* One document to write: its template and variables; id and path are set by the run. */
typedef struct {
	const char *kind;            /* plan, report, task */
	const char *template_name;
	docket_tpl_vars *vars;       /* owned */
	char *unit;                  /* the drafting unit (the place of the file) */
	char *id_unit;               /* the unit named in the id */
	int year;                    /* the year named in the id */
	char *id, *path;             /* after the run */
	char *section;               /* tasks: the plan's section */
} docket_job;

void docket_job_clear(docket_job *j);

/*
 * Write JOBS in one commit: fresh ids, templates filled and validated at the base commit.
 * *findings (always set, may be empty) explains a DOCKET_EINVALID.
 */
int docket_job_run(docket_repo *repo, docket_job *jobs, size_t n, const char *actor,
                   const char *subject, char commit[41], docket_findings **findings);

/* ACTOR may draft for UNIT (NULL: the actor's own unit): *out is the person. */
int docket_draft_authorise(docket_person *out, const docket_config *cfg, const char *actor,
                           const char *unit);

/*
 * The variables every template may use: date, year, place, org.*, actor, actor.name, unit,
 * unit.name, issuer.parent/name/abbr (the school for an affiliated unit, else the
 * organisation), archive ("VT" or "VT, UNIT"), signer.id/name/title (the school's head, else
 * an approver), period.start/end (this year), title; then SET.
 */
int docket_draft_base_vars(docket_tpl_vars *v, const docket_config *cfg, const docket_person *actor,
                           const char *unit, const char *title, const char *const *set);

/* PREFIX.id, .code, .date, .date.dmy, .unit, .issuer, .subject, .type of PLAN. */
int docket_draft_plan_vars(docket_tpl_vars *v, const char *prefix, docket_doc *plan);

/*
 * Append to the list "bases" the citation of DOC: basis.ref, basis.code (its number, else its
 * id), basis.date (its date, else FALLBACK_DATE), basis.issuer, basis.summary.
 */
int docket_draft_basis_item(docket_tpl_vars *v, docket_doc *doc, const char *fallback_date);

/*
 * The variables of an annual report on PLAN for YEAR sent to the unit TO (may be NULL):
 * plan.*, report.year, groups, to, to.text, addressee; with SKELETON also the commented-out
 * "indicators" to fill and results.help.
 */
int docket_draft_report_vars(docket_tpl_vars *v, const docket_config *cfg, docket_doc *plan, int year,
                             const char *to, int skeleton);

#endif
