#ifndef DOCKET_DRAFT_INTERNAL_H
#define DOCKET_DRAFT_INTERNAL_H
/* Shared by template.c, draft.c, rollup.c and draftcheck.c; not part of the public API. */
#include <stdint.h>
#include "internal.h"
#include "docket/draft.h"
#include "docket/config.h"

/*
 * Set NAME to XML content: the children of CONTAINER (an element; borrowed: it must outlive
 * every fill with VARS). Elements of the document namespace and text are copied; footnote
 * marks are dropped (the footnotes stay in the document they came from).
 */
int docket_tpl_vars_set_xml(docket_tpl_vars *vars, const char *name, xmlNodePtr container);
/* Item I of the list NAME in VARS (borrowed), or NULL. */
docket_tpl_vars *docket_tpl_vars_item(const docket_tpl_vars *vars, const char *name, size_t i);

/* --- decimals ------------------------------------------------------------------------------ */

/* An exact decimal: mant / 10^scale. */
typedef struct {
	int64_t mant;
	int scale;
} docket_dec;

/* Parse an xs:decimal ("99.5", "-0.08", "100"); 0 on success, DOCKET_EINVALID otherwise. */
int docket_dec_parse(docket_dec *out, const char *s);
/* -1, 0, 1 as A <, =, > B; DOCKET_EUSAGE (< -1) when it cannot be compared exactly. */
int docket_dec_cmp(const docket_dec *a, const docket_dec *b);
/* A + B into *out; DOCKET_EINVALID on overflow. */
int docket_dec_add(docket_dec *out, const docket_dec *a, const docket_dec *b);
/* Write D ("99.5"), trailing zeros dropped. */
void docket_dec_format(char *out, size_t size, const docket_dec *d);

/* --- plans --------------------------------------------------------------------------------- */

#define DN(parent, path) docket_xml_path((parent), DOCKET_NS, (path))
#define DFOR(var, parent, name) \
	for (xmlNodePtr var = docket_xml_child((parent), DOCKET_NS, (name)); var; var = docket_xml_next(var))

/* An attribute's value, malloc'd, or NULL. */
char *docket_attr(xmlNodePtr n, const char *name);
/* The root element of DOC. */
xmlNodePtr docket_doc_root(docket_doc *doc);
/* content/plan, content/report or content/task of DOC, or NULL. */
xmlNodePtr docket_doc_body(docket_doc *doc, const char *kind);
/* The number/notation "354/KH-PGDĐT" of DOC, malloc'd, or NULL before it is numbered. */
char *docket_doc_code(docket_doc *doc);

/* The next indicator of PLAN (content/plan) after PREV (NULL: the first). */
xmlNodePtr docket_plan_next_indicator(xmlNodePtr plan, xmlNodePtr prev);
/* The indicator ID of PLAN, or NULL. */
xmlNodePtr docket_plan_indicator(xmlNodePtr plan, const char *id);

/*
 * The target an indicator is judged against in YEAR: the target of that year; in a year
 * between a milestone and a later "maintain" target, that value; otherwise the nearest
 * milestone: the next one, or the last when YEAR is past them all. NULL when the indicator has
 * no target. *target_year receives the milestone's year.
 */
xmlNodePtr docket_indicator_target(xmlNodePtr indicator, int year, int *target_year);

/*
 * Whether PLAN is issued: its state is final in the plan workflow at REV, or it has no
 * workflow element and carries a number (a document issued on paper and recorded).
 */
int docket_plan_issued(docket_doc *plan, docket_repo *repo, const char *rev);

/* Whether UNIT is TARGET or one of TARGET's ancestors in CFG. */
int docket_unit_covers(const docket_config *cfg, const char *unit, const char *target);
/* Whether UNIT is marked affiliated="true" in CFG. */
int docket_unit_is_affiliated(const docket_config *cfg, const char *unit);

/* ISO date "YYYY-MM-DD" of now (docket_now_iso), malloc'd; NULL with the error set. */
char *docket_today(void);

#endif
