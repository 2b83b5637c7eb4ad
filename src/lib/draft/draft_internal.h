#ifndef DOCKET_DRAFT_INTERNAL_H
#define DOCKET_DRAFT_INTERNAL_H
/* The draft layer: templates, drafting, the drafting checks, roll-ups. Shared by template.c,
 * draft.c, rollup.c and draftcheck.c; not part of the public API. A sibling of the audit
 * layer: neither uses the other. */
#include "workflow_internal.h"
#include "docket/draft.h"

/*
 * Set NAME to XML content: the children of CONTAINER (an element; borrowed: it must outlive
 * every fill with VARS). Elements of the document namespace and text are copied; footnote
 * marks are dropped (the footnotes stay in the document they came from).
 */
int docket_tpl_vars_set_xml(docket_tpl_vars *vars, const char *name, xmlNodePtr container);
/* Item I of the list NAME in VARS (borrowed), or NULL. */
docket_tpl_vars *docket_tpl_vars_item(const docket_tpl_vars *vars, const char *name, size_t i);

/* --- plans --------------------------------------------------------------------------------- */

#define DN(parent, path) docket_xml_path((parent), DOCKET_NS, (path))
#define DFOR(var, parent, name) \
	for (xmlNodePtr var = docket_xml_child((parent), DOCKET_NS, (name)); var; var = docket_xml_next(var))

/* The root element of DOC. */
xmlNodePtr docket_doc_root(docket_doc *doc);
/* content/plan, content/report or content/task of DOC, or NULL. */
xmlNodePtr docket_doc_body(docket_doc *doc, const char *kind);
/* The number/notation "354/KH-PGDĐT" of DOC, malloc'd, or NULL before it is numbered. */
char *docket_doc_code(docket_doc *doc);

/*
 * Whether PLAN is issued: its state is final in the plan workflow at REV, or it has no
 * workflow element and carries a number (a document issued on paper and recorded).
 */
int docket_plan_issued(docket_doc *plan, docket_repo *repo, const char *rev);

/* --- jobs: draft.c's machinery, shared with rollup.c: documents written from templates in one
 * commit ---------------------------------------------------------------------------------- */

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
int docket_job_run(char commit[41], docket_findings **findings, docket_repo *repo, docket_job *jobs, size_t n,
                   const char *actor, const char *subject);

/* 0 when OPTS is given and of a version this library knows; else DOCKET_EUSAGE. */
int docket_draft_options_check(const docket_draft_options *opts);

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
