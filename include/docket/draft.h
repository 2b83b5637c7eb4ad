#ifndef DOCKET_DRAFT_H
#define DOCKET_DRAFT_H
/*
 * Drafting: new documents from templates, the cascade of a department's plan to its units
 * (unit plans, task assignments, annual reports) and the roll-up of the units' approved
 * reports into the department's own report. docs/drafting.md describes the commands, the
 * template language and the id scheme.
 *
 * Every function that writes does so in exactly one commit (a batch of task assignments is
 * one commit too), built inside a repository transaction: ids are allocated, the template is
 * filled and the result validated on the commit it will be written over, so a lost race is
 * redone on the new tip and two writers can never take the same id. Nothing is written
 * when anything fails.
 */
#include <stddef.h>
#include <stdint.h>
#include "common.h"
#include "repo.h"
#include "doc.h"
#include "store.h"
#include "validate.h"

DOCKET_BEGIN_DECL

/* The namespace of template instructions (prefix "t" by convention). */
#define DOCKET_TEMPLATE_NS "urn:docket:template:1"
#define DOCKET_TEMPLATE_DIR "templates/"

/* --- template variables ------------------------------------------------------------------ */

/*
 * A set of named values for filling a template: strings, and lists of nested sets (one per
 * repetition of a t:repeat element). Names are [A-Za-z0-9._-]+; "a.b" is just a name.
 */
typedef struct docket_tpl_vars docket_tpl_vars;

/* A new, empty set into *OUT, freed with docket_tpl_vars_free. DOCKET_ERROR when out of memory. */
DOCKET_EXTERN(int) docket_tpl_vars_new(docket_tpl_vars **out);
/* Free VARS and every nested item (NULL allowed). */
DOCKET_EXTERN(void) docket_tpl_vars_free(docket_tpl_vars *vars);
/* Set NAME to VALUE (copied), replacing any earlier value. NULL VALUE unsets NAME. */
DOCKET_EXTERN(int) docket_tpl_vars_set(docket_tpl_vars *vars, const char *name, const char *value);
/* Set from "NAME=VALUE" (as given to --set); DOCKET_EUSAGE when there is no '='. */
DOCKET_EXTERN(int) docket_tpl_vars_assign(docket_tpl_vars *vars, const char *assignment);
/* Append a new, empty item to the list NAME and return it in *out (owned by VARS). */
DOCKET_EXTERN(int) docket_tpl_vars_append(docket_tpl_vars **out, docket_tpl_vars *vars, const char *name);
/* The string value of NAME in VARS itself (borrowed), or NULL. */
DOCKET_EXTERN(const char *) docket_tpl_vars_get(const docket_tpl_vars *vars, const char *name);

/*
 * Fill the template TPL (LEN bytes of XML; NAME for messages) with VARS and return the
 * document in *out (*out_len bytes, NUL-terminated; free it with docket_free). The template language:
 *   {{name}}, {{name|default}}  in attribute values and text: the value of name (an error
 *                               when it has none and no default is given; a default may
 *                               hold placeholders itself);
 *   t:repeat="list"             the element once per item of list (none when it is empty),
 *                               names resolved in the item first, then outwards;
 *   t:if="name", t:unless="name" keep the element only when name is (not) set, non-empty;
 *   t:content="name"            the element's content is name's value (text or XML) when
 *                               it has one, else the template's own content;
 *   t:optional="a b"            drop the attributes a, b when they are empty once filled;
 *   t:comment="text"            when text (filled) is not empty, the filled element is
 *                               written out as an XML comment that starts with text: a place
 *                               for the user to fill in and uncomment.
 * Template comments are dropped; the t: namespace does not appear in the result.
 * DOCKET_EINVALID when the template is not well-formed or a placeholder has no value.
 */
DOCKET_EXTERN(int) docket_template_fill(char **out, size_t *out_len, const char *tpl, size_t len,
                                        const char *name, const docket_tpl_vars *vars);

/* Read templates/NAME.xml from REPO at REV (NULL: tip). DOCKET_ENOTFOUND when absent. */
DOCKET_EXTERN(int) docket_template_read(char **out, size_t *out_len, docket_repo *repo, const char *rev,
                                        const char *name);

/*
 * The names of the templates in REPO at REV (templates/NAME.xml) into *OUT: a NULL-terminated
 * array; free it with docket_strv_free. DOCKET_ENOTFOUND when REV does not exist.
 */
DOCKET_EXTERN(int) docket_template_list(char ***out, docket_repo *repo, const char *rev);

/* --- new documents ----------------------------------------------------------------------- */

/*
 * Options shared by the drafting functions (required: the actor). ACTOR must be a person of
 * the configuration holding the drafter or reviewer role in the drafting unit (or a unit
 * above it). SET: NULL-terminated "NAME=VALUE" strings that override the template variables.
 * Initialise with DOCKET_DRAFT_OPTIONS_INIT (or docket_draft_options_init) and set the fields
 * by name; every drafting function refuses NULL options or an unknown version with
 * DOCKET_EUSAGE.
 */
typedef struct {
	unsigned int version;       /* DOCKET_DRAFT_OPTIONS_VERSION */
	const char *actor;
	const char *unit;           /* the drafting unit; NULL: the actor's own (or the plan's) */
	const char *title;          /* the summary (trích yếu); NULL: the template's default */
	const char *template_name;  /* NULL: the default template of the command */
	const char *const *set;
	int keep_draft;             /* docket_draft_assign: leave the tasks drafts instead of sending
	                             * them (their workflow's 'assign' transition, in the same commit) */
	const char *reply_to;       /* docket_draft_new: the incoming document (id) this one answers:
	                             * cited in the header's bases (template list "bases") and its
	                             * sender added to the recipients (template variable reply.to), so
	                             * that its edXML export carries ResponseFor (docs/exchange.md) */
} docket_draft_options;

#define DOCKET_DRAFT_OPTIONS_VERSION 1
#define DOCKET_DRAFT_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_DRAFT_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_DRAFT_OPTIONS_INIT does, for VERSION
 * (DOCKET_DRAFT_OPTIONS_VERSION). Errors: DOCKET_EUSAGE (OPTS NULL, an unknown version).
 */
DOCKET_EXTERN(int) docket_draft_options_init(docket_draft_options *opts, unsigned int version);

/*
 * A new draft of KIND ("plan", "report" or "task") from templates/TEMPLATE.xml with a fresh
 * id "<prefix>-<year>-<unit>-<n>" (prefix kh, bc, nv by kind; unit in lower case; n the next
 * free number), the issuing body and place from the configuration (the organisation, or the
 * school when the drafting unit is an affiliated unit), today's date (docket_now), committed
 * with the trailers Docket-Document, Docket-Action: add, Docket-Actor, Docket-Template.
 * Results as docket_add_buffer: DOCKET_EINVALID with out->findings when the filled template
 * does not validate; DOCKET_EDENIED when the actor may not draft for the unit.
 */
DOCKET_EXTERN(int) docket_draft_new(docket_add_result *out, docket_repo *repo, const char *kind,
                                    const docket_draft_options *opts);

/*
 * A unit's plan drafted from the plan PLAN (which must carry its number): PLAN cited as
 * legal basis (@ref, number/notation, date, issuer), every objective and indicator carried
 * over with PLAN's targets (the floor: see docket_draft_check_targets), every task group
 * carried over empty for the unit to fill, the responsibilities narrowed to those of UNIT
 * (its own, its ancestors', and "*affiliated" when UNIT is affiliated). Template: unit-plan.
 */
DOCKET_EXTERN(int) docket_draft_unit_plan(docket_add_result *out, docket_repo *repo, const char *plan,
                                          const docket_draft_options *opts);

/*
 * The annual report skeleton of opts->unit on PLAN for YEAR: one commented-out result per
 * indicator (numerator and denominator for rates) to fill, a narrative per task group, sent
 * to RECIPIENT_UNIT (NULL: PLAN's drafting unit), which reviews it. Template: annual-report.
 */
DOCKET_EXTERN(int) docket_draft_report(docket_add_result *out, docket_repo *repo, const char *plan, int year,
                                       const char *recipient_unit, const docket_draft_options *opts);

/* One document of a batch (below). */
typedef struct docket_batch_result docket_batch_result;

/*
 * The report skeletons of YEAR on PLAN for every unit expected to report (see
 * docket_draft_status) that has none yet, as docket_draft_report drafts one, all in ONE
 * commit. The department's statistician drafts for every unit; anyone else for the units
 * they may draft for, the others skipped (out->skipped, with the reason). DOCKET_EINVALID
 * when there is nothing to draft.
 */
DOCKET_EXTERN(int) docket_draft_report_all(docket_batch_result *out, docket_repo *repo, const char *plan, int year,
                                           const char *recipient_unit, const docket_draft_options *opts);

/* One document of a batch. */
typedef struct {
	char *id;
	char *path;
	char *unit;      /* the assignee, or the unit skipped */
	char *section;   /* the plan's section it comes from, e.g. "V.2" */
	char *reason;    /* skipped: why */
} docket_draft_item;

struct docket_batch_result {
	char commit[41];
	docket_draft_item *items;    /* the documents written */
	size_t n;
	docket_draft_item *skipped;  /* units named by the plan that got no task, with the reason */
	size_t nskipped;
	docket_findings *findings;   /* when refused because a document would be invalid */
};

/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_batch_result_free(docket_batch_result *r);

/*
 * Task assignments from PLAN's responsibilities: one task per unit named there (a section's
 * @unit, and for "*affiliated" every affiliated unit of the configuration), each with the
 * deliverable (the annual report of the plan), the due date DUE (NULL: 15 December of the
 * current year), the source plan and section, the responsibility's items as description.
 * Assigner and drafting unit: opts->unit, else PLAN's drafting unit. Units named by the
 * plan but absent from the configuration are skipped (out->skipped); a unit that has a task
 * from PLAN due the same year already is skipped too. All tasks in ONE commit (one
 * Docket-Document trailer per task). Unless opts->keep_draft, the tasks are sent in that same
 * commit: each takes its workflow's 'assign' transition (draft -> assigned) by opts->actor,
 * who must be allowed to (DOCKET_EDENIED otherwise: nothing written); the commit then also
 * carries Docket-Transition, Docket-From, Docket-To and Docket-Role. Template: task.
 */
DOCKET_EXTERN(int) docket_draft_assign(docket_batch_result *out, docket_repo *repo, const char *plan,
                                       const char *due, const docket_draft_options *opts);

/* --- figures: filling a report without editing XML ---------------------------------------- */

/*
 * One figure of a report, for the indicator of the plan the report is on: a rate's
 * NUMERATOR and DENOMINATOR (whole numbers; docket computes the value), a count's or a
 * value's VALUE, or NOT_APPLICABLE (the indicator does not apply to the unit: no figures,
 * not required at submission, not counted by the aggregation). Strings are borrowed.
 */
typedef struct {
	const char *indicator;     /* the plan's indicator id, "4.1" */
	const char *numerator;     /* rates */
	const char *denominator;   /* rates: positive */
	const char *value;         /* counts (whole, 0 or more) and values (a decimal) */
	int not_applicable;
	int line;                  /* where the figure came from (a CSV line) for messages; 0: none */
} docket_figure;

/* The figures of one report (by id). */
typedef struct {
	const char *report;
	const docket_figure *figures;
	size_t n;
} docket_report_figures;

#define DOCKET_FILL_OPTIONS_VERSION 1

typedef struct {
	unsigned int version;      /* DOCKET_FILL_OPTIONS_VERSION */
	const char *actor;         /* required: who fills */
	const char *message;       /* added to the commit message; may be NULL */
	const char *source;        /* names the figures' origin in findings (a CSV file); NULL:
	                            * the report's id */
} docket_fill_options;

#define DOCKET_FILL_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_FILL_OPTIONS_VERSION) }

/*
 * Initialise OPTS as DOCKET_FILL_OPTIONS_INIT does, for VERSION (DOCKET_FILL_OPTIONS_VERSION).
 * Errors: DOCKET_EUSAGE (OPTS NULL, an unknown version).
 */
DOCKET_EXTERN(int) docket_fill_options_init(docket_fill_options *opts, unsigned int version);

typedef struct {
	char commit[41];             /* the commit written, "" when refused */
	docket_findings *findings;   /* refused: every problem (FILE is opts->source or the
	                              * report's id, LINE the figure's line or the document's) */
} docket_fill_result;

/* Release what R holds (not R itself); R may be NULL. */
DOCKET_EXTERN(void) docket_fill_result_free(docket_fill_result *r);

/*
 * Write FIGURES[N] into the results of the report REPORT (an id), in the order of the plan's
 * indicators; results of indicators not named stay as they are. Each figure is checked
 * against the plan's indicator: a rate needs NUMERATOR/DENOMINATOR with 0 <= numerator <=
 * denominator and a positive denominator, a count a whole number of 0 or more, a value a
 * decimal; every problem is a finding naming the indicator's id and name. Each rate's value
 * is 100 * numerator / denominator as docket_rate_format writes it against the indicator's
 * target for the report's year (half up to 2 places, more only where 2 would contradict the
 * verdict). Like an edit: the report must be in an editable state, the actor one whom the
 * report workflow lets edit it (docket_workflow_edit: the unit's drafters and head, the
 * organisation's statistician), the result must validate; one commit (Docket-Document,
 * Docket-Action: edit, Docket-State, Docket-Actor), or nothing. Errors: DOCKET_EINVALID with
 * out->findings, DOCKET_EDENIED (state, actor), DOCKET_ENOTFOUND (no such report),
 * DOCKET_EUSAGE.
 */
DOCKET_EXTERN(int) docket_report_fill(docket_fill_result *out, docket_repo *repo, const char *report,
                                      const docket_figure *figures, size_t n, const docket_fill_options *opts);

/*
 * docket_report_fill for the N reports of REPORTS in ONE commit (a Docket-Document trailer
 * each): every figure of every report is checked first and all problems reported; any problem
 * writes nothing.
 */
DOCKET_EXTERN(int) docket_report_fill_many(docket_fill_result *out, docket_repo *repo,
                                           const docket_report_figures *reports, size_t n,
                                           const docket_fill_options *opts);

/* --- roll-up: status and aggregation ----------------------------------------------------- */

typedef enum {
	DOCKET_REPORT_NOT_STARTED = 0,  /* no report */
	DOCKET_REPORT_DRAFTING,         /* a draft never returned */
	DOCKET_REPORT_RETURNED,         /* a draft whose last step is 'return' */
	DOCKET_REPORT_OVERDUE,          /* not submitted and the task's due date has passed */
	DOCKET_REPORT_SUBMITTED,
	DOCKET_REPORT_IN_REVIEW,        /* reviewed by the department, awaiting approval */
	DOCKET_REPORT_APPROVED
} docket_report_status;

/* "not-started", "drafting", "returned", "overdue", "submitted", "in-review", "approved". */
DOCKET_EXTERN(const char *) docket_report_status_name(docket_report_status s);

typedef struct {
	char *unit;
	char *unit_name;      /* from the configuration, or NULL */
	char *report;         /* the unit's report id, or NULL */
	char *state;          /* its workflow state, or NULL */
	docket_report_status status;
	char *task;           /* the unit's task from the plan, or NULL */
	char *due;            /* its due date, or NULL */
	char *last_date;      /* the date of the report's last step, or NULL */
	char *reason;         /* returned: the reason given */
	int counted;          /* aggregation: its figures went in */
	char *note;           /* aggregation: why not counted */
} docket_unit_report;

typedef struct {
	char *indicator;
	char *name;
	char *measure;        /* rate, count, value */
	char *comparison;     /* ge gt le lt eq */
	uint64_t numerator, denominator;  /* rates: the sums */
	char *value;          /* the aggregate as written in the report, NULL: none */
	char *target;         /* the target judged against, NULL: none */
	int target_year;
	int met;              /* 1 met, 0 not met, -1 not judged */
	size_t units;         /* reports whose figure went in */
	size_t na_units;      /* reports that mark the indicator not applicable (not counted) */
} docket_indicator_total;

typedef struct {
	docket_unit_report *units;
	size_t n;
	docket_indicator_total *totals;   /* aggregation only */
	size_t ntotals;
	docket_add_result doc;            /* aggregation: the report written */
} docket_rollup;

/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_rollup_free(docket_rollup *r);

/*
 * Where the reports of YEAR on PLAN stand, per unit: the units expected to report (the
 * affiliated units, and the assignees of PLAN's tasks whose deliverable is a report due in
 * YEAR), plus any other unit that filed one; PLAN's drafting unit (which aggregates) is
 * left out. Reports on PLAN and on unit plans citing PLAN count. TODAY (YYYY-MM-DD; NULL:
 * docket_now) decides what is overdue. Read at the tip.
 */
DOCKET_EXTERN(int) docket_draft_status(docket_rollup *out, docket_repo *repo, const char *plan, int year,
                                       const char *today);

/*
 * The department's report of YEAR on PLAN drafted from the APPROVED unit reports: for rates
 * the numerators and denominators summed and the rate recomputed (never an average of
 * percentages), counts summed, each indicator judged against the plan's target for the
 * year (else the nearest milestone) with its comparison; the units that did not report and
 * the reports not counted (not approved: with their state) listed by name; the plan and the
 * counted reports cited as bases (@ref). Drafting unit: opts->unit, else PLAN's drafting
 * unit. One commit. Template: annual-report. Run again, it rewrites the drafting unit's own
 * report of YEAR on PLAN in place while that is a draft (an edit keeping its workflow steps;
 * out->doc.commit is "" when nothing changed), and refuses (DOCKET_EDENIED, naming it) once
 * that report has left draft: a unit never gets a second report of the year.
 */
DOCKET_EXTERN(int) docket_draft_aggregate(docket_rollup *out, docket_repo *repo, const char *plan, int year,
                                          const docket_draft_options *opts);

/* What is late: a task past its due date that has not reached its workflow's final state, or
 * whose deliverable report is not yet approved. */
typedef struct {
	char *task;        /* the task */
	char *unit;        /* its assignee */
	char *unit_name;
	char *due;
	char *what;        /* "report" (the deliverable) or "task" */
	char *doc;         /* the late document: the report (NULL when there is none yet) or the task */
	char *state;       /* its state, "not-started" when there is no report */
	char *action;      /* the transitions awaited ("submit", "accept"...), or "draft the report" */
	char *who;         /* who may take them: "Name (id); ..." */
} docket_late;

typedef struct {
	docket_late *items;
	size_t n;
} docket_overdue;

DOCKET_EXTERN(void) docket_overdue_free(docket_overdue *o);

/* Everything late on TODAY (YYYY-MM-DD; NULL: docket_now_iso), read at the tip. */
DOCKET_EXTERN(int) docket_draft_overdue(docket_overdue *out, docket_repo *repo, const char *today);

/*
 * What docket_draft_aggregate of YEAR on PLAN would add up, written nowhere: the rows of
 * docket_draft_status (TODAY as there) with counted and note set, and out->totals per
 * indicator of the plan, judged as the aggregation judges them; out->doc stays empty. For a
 * read-only view (the web workspace); creating the report is docket_draft_aggregate.
 */
DOCKET_EXTERN(int) docket_draft_totals(docket_rollup *out, docket_repo *repo, const char *plan, int year,
                                       const char *today);

/* --- arithmetic (exposed for tests and for other tools) ---------------------------------- */

/*
 * 100 * NUM / DEN written as a decimal, rounded half up to 2 places with trailing zeros
 * dropped ("99.5", "99.67", "100"); when TARGET (a decimal, may be NULL) would compare
 * differently with the rounded value than with the exact one, more places are written (up to
 * 8) so that the written value never contradicts the verdict. DOCKET_EUSAGE when DEN is 0.
 */
DOCKET_EXTERN(int) docket_rate_format(char *out, size_t size, uint64_t num, uint64_t den, const char *target);

/*
 * Whether the exact value NUM / DEN (times 100 when RATE) meets TARGET (a decimal) under
 * COMPARISON ("ge" "gt" "le" "lt" "eq"): *met = 1 or 0. DOCKET_EUSAGE on a bad argument.
 */
DOCKET_EXTERN(int) docket_target_met(int *met, const char *comparison, const char *target, uint64_t num,
                                     uint64_t den, int rate);

/*
 * Whether the unit target UNIT_VALUE under UNIT_CMP is at least as demanding as the parent's
 * PARENT_VALUE under PARENT_CMP: 1 yes, 0 weaker (a lower floor for ge/gt, a higher ceiling for
 * le/lt, a different value for eq, or a comparison of another direction); DOCKET_EUSAGE on a bad
 * argument.
 */
DOCKET_EXTERN(int) docket_target_not_weaker(const char *parent_cmp, const char *parent_value,
                                            const char *unit_cmp, const char *unit_value);

/* --- rules ------------------------------------------------------------------------------- */

/*
 * The floor rule of unit plans, for docket_validate: when DOC is a plan citing (bases/basis
 * @ref) another plan of REPO at REV, no target of an indicator the two share (same id) may be
 * weaker than the cited plan's target of the same year. Findings FILE:LINE:COL on the target.
 * Returns 0 when the rule ran, negative on an internal failure only.
 */
DOCKET_EXTERN(int) docket_draft_check_targets(docket_findings *findings, docket_doc *doc, docket_repo *repo,
                                              const char *rev);

/*
 * Completeness at submission, for the engine (a transition out of an editable state): a
 * report must have a result for every indicator of the plan it reports on and none for an
 * indicator the plan lacks; rates need numerator and denominator consistent with the value;
 * narratives must name groups of the plan; the year must lie in the plan's period; the plan
 * must be issued. Other kinds pass. Findings FILE:LINE:COL; returns 0 when the check ran.
 */
DOCKET_EXTERN(int) docket_draft_check_submit(docket_findings *findings, docket_doc *doc, docket_repo *repo,
                                             const char *rev);

DOCKET_END_DECL

#endif
