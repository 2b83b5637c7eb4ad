#ifndef DOCKET_XML_INTERNAL_H
#define DOCKET_XML_INTERNAL_H
/* The xml layer: safe parsing, documents in memory, findings, schemas compiled from bytes,
 * the document rules, rendering. Shared by the layers above; not part of the public API.
 * No libgit2 here: what this layer needs from a repository is handed to it as bytes. */
#include <stdint.h>
#include <libxml/tree.h>
#include "util_internal.h"
#include "docket/doc.h"
#include "docket/validate.h"

/* Parse untrusted XML with docket's safe options (see xml.c). NAME for messages. */
int docket_xml_parse(xmlDocPtr *out, const char *buf, size_t len, const char *name);
/* The first element child of NODE with local name NAME in namespace NS (NULL: any). */
xmlNodePtr docket_xml_child(xmlNodePtr node, const char *ns, const char *name);
/* The next element sibling of NODE with the same name and namespace. */
xmlNodePtr docket_xml_next(xmlNodePtr node);
/* Follow a "/"-separated path of local names in NS from NODE. */
xmlNodePtr docket_xml_path(xmlNodePtr node, const char *ns, const char *path);
/* Text content of NODE, malloc'd ("" when NODE is NULL). */
char *docket_xml_text(xmlNodePtr node);
/* Text content trimmed of surrounding white space, malloc'd. */
char *docket_xml_text_trim(xmlNodePtr node);
/* Whether NODE is an element named NAME in NS. */
int docket_xml_is(xmlNodePtr node, const char *ns, const char *name);
/* The value of NODE's attribute NAME (no namespace), malloc'd, or NULL. */
char *docket_attr(xmlNodePtr n, const char *name);
/* The element reached from NODE by STEPS: pairs of namespace and local name, NULL-ended. */
xmlNodePtr docket_xml_steps(xmlNodePtr node, const char *const *steps);
/*
 * A signer block (header/signer) in either form of the format (docs/format.md): one line,
 * authority + title ("KT." "TRƯỞNG PHÒNG"), or authority lines (line/@authority + text:
 * "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"). docket_signer_competence: the lines as printed,
 * joined by " / " ("TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"), malloc'd; NULL when SIGNER is NULL
 * or out of memory. docket_signer_authority: the authority under which the person signs, the
 * last line's that has one ("KT." for TM. + KT.), one of "TM.", "KT.", "Q.", "TL.", "TUQ." or
 * "" (static).
 */
char *docket_signer_competence(xmlNodePtr signer);
const char *docket_signer_authority(xmlNodePtr signer);

/* DOC's libxml2 tree (borrowed). */
xmlDocPtr docket_doc_xml(docket_doc *doc);
/* What docket_doc_year and docket_doc_drafting_unit give, malloc'd; NULL when absent. */
char *docket_doc_year_text(const docket_doc *doc);
char *docket_doc_unit_text(const docket_doc *doc);

/* Line and column of NODE (an xmlNodePtr), or of its attribute ATTR, in DOC's text. */
void docket_doc_position(const docket_doc *doc, const void *node, const char *attr,
                         int *line, int *col);

/* --- names and the layout (layout.c, docs/format.md) -------------------------------------- */

/* The longest document id (the schema's DocumentId allows 64 characters). */
#define DOCKET_ID_MAX 64
/* Whether ID is a document id docket accepts: [a-z0-9][a-z0-9._-]{0,63}. */
int docket_id_valid(const char *id);
/* Whether UNIT can name a unit folder: [A-Za-z0-9][A-Za-z0-9._-]{0,63}, or "_". */
int docket_unit_name_valid(const char *unit);
/*
 * The folder under documents/KIND/YEAR/ of unit id UNIT, into OUT (SIZE bytes; 65 always
 * suffice): UNIT itself when it is ASCII; its Vietnamese letters written on their ASCII base
 * letter otherwise (Đ to D, đ to d, the marks dropped: "BCĐ" to "BCD", "PGDĐT" to "PGDDT"),
 * case kept. -1 when UNIT is not a unit id (the schema's UnitId: 1 to 64 of ASCII letters and
 * digits and Vietnamese letters in NFC, then also '.', '_', '-'). Deterministic, so every
 * reader finds a document where its writer put it; the configuration refuses a unit whose
 * folder another unit's already is (in any case: case-insensitive file systems).
 */
int docket_unit_folder(char *out, size_t size, const char *unit);
/* Whether UNIT is a unit id as docket_unit_folder takes it. */
int docket_unit_id_valid(const char *unit);
/*
 * The kinds of document (docs/format.md): "document" (the general administrative document,
 * content/body), "plan", "report", "task" (content/<kind>). docket_kind_valid: whether KIND
 * is one; docket_kind_body: the name of the element content holds for KIND (static), NULL for
 * an unknown kind. DOCKET_KINDS: the list as printed in messages.
 */
#define DOCKET_KINDS "document, plan, report, task"
int docket_kind_valid(const char *kind);
const char *docket_kind_body(const char *kind);
/*
 * NULL when PATH (a tree path, '/'-separated) lies inside the layout docket keeps, else why
 * not (a static string). LEAF: PATH is a file, so a path under documents/ must be complete
 * (documents/KIND/YEAR/UNIT/ID.xml or documents/README.md). Checks every component for '.',
 * '..', '.git' (any case) and control characters wherever it is.
 */
const char *docket_layout_check(const char *path, int leaf);
/* NAME for a message, into OUT (SIZE bytes): control characters and '\\' as \\xNN; cut short
 * when it does not fit. */
void docket_name_quote(char *out, size_t size, const char *name);

/* --- findings (validate.c) ----------------------------------------------------------------- */

int docket_findings_addv(docket_findings *f, const char *file, int line, int col,
                         const char *fmt, va_list ap) DOCKET_PRINTF(5, 0) DOCKET_PRINTF(5, 0);
/* A finding at NODE (its attribute ATTR when not NULL) of DOC. */
int docket_findings_add_at(docket_findings *f, const docket_doc *doc, const void *node,
                           const char *attr, const char *fmt, ...) DOCKET_PRINTF(5, 6);

/* --- schemas (schema.c) -------------------------------------------------------------------- */

/* One file of a schema set, in memory (borrowed). */
typedef struct {
	const char *name;   /* "docket.xsd", as xs:include names it */
	const char *data;
	size_t len;
} docket_schema_file;

/*
 * Compile the schema set FILES[N] whose entry point is ENTRY; ORIGIN names the set in
 * messages ("the built-in schemas", ".docket/schemas"). The files are untrusted input.
 */
int docket_schema_compile(docket_schema **out, const docket_schema_file *files, size_t n,
                          const char *origin, const char *entry);
/*
 * Validate an arbitrary XML tree XML against SCHEMA; each problem is a finding against NAME.
 * For workflow definitions and the configuration.
 */
int docket_schema_check(docket_findings *findings, docket_schema *schema, xmlDocPtr xml,
                        const char *name);
/* SCHEMA's compiled xmlSchemaPtr (borrowed). */
void *docket_schema_xsd(docket_schema *schema);

/* --- document rules (validate.c) ----------------------------------------------------------- */

/* 0 when REF names a document, else a negative code with the error set. */
typedef int (*docket_ref_resolver)(void *payload, const char *ref);

/*
 * Check DOC in memory: the schema, then (on a schema-valid document only, *rules_ran set)
 * the rules XSD cannot express. References to other documents are checked with RESOLVE
 * when it is not NULL. Findings are appended; the return is 0 or a negative code for a
 * failure to check (out of memory).
 */
int docket_doc_check(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                     docket_ref_resolver resolve, void *resolve_payload, int *rules_ran);

/* --- rendering (render.c) ------------------------------------------------------------------ */

/*
 * DOC as text through the XSLT stylesheet XSL (LEN bytes, untrusted, named NAME in
 * messages), or the built-in text.xsl when XSL is NULL. NAMES is the stylesheet's `names`
 * parameter (what the document cites by id, see docs/rendering.md); NULL or "" leaves it
 * empty. *out malloc'd.
 */
int docket_render_text_xsl(char **out, size_t *out_len, docket_doc *doc, const char *xsl,
                           size_t len, const char *name, const char *names);
/*
 * DOC as an A4 HTML page through page.xsl (XSL as above; NULL: the built-in). VERIFIED is the
 * stylesheet's `verified` parameter ("sig-1=valid sig-2=invalid"), STATE its `state`, TARGETS
 * its `targets` (a report's plan targets, see docs/rendering.md), NAMES its `names` (as
 * for text); NULL or "" leaves the stylesheet's default. All are passed as literal strings.
 */
int docket_render_page_xsl(char **out, size_t *out_len, docket_doc *doc, const char *xsl,
                           size_t len, const char *name, const char *verified, const char *state,
                           const char *targets, const char *names);

/* --- figures (figures.c): exact decimals, indicators and their targets ------------------------ */

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

/*
 * Whether VALUE is 100 * NUM / DEN as rounded to VALUE's own number of places (the three as
 * the attributes of a result write them); 0 when any is not a number of its kind.
 */
int docket_rate_consistent(const char *value, const char *num, const char *den);

/*
 * Whether the value V meets TARGET under COMPARISON, as docket_target_met judges a figure
 * that is not a rate: *met = 1 or 0. DOCKET_EUSAGE when V is negative or an argument is bad.
 */
int docket_value_met(int *met, const char *comparison, const char *target, const docket_dec *v);

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

#endif
