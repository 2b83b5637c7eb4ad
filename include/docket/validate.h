#ifndef DOCKET_VALIDATE_H
#define DOCKET_VALIDATE_H
/*
 * Validation: the XSD schemas (pinned in the repository, or built in) plus the rules XSD
 * cannot express. Findings carry FILE, LINE, COL and a message; a document is valid when
 * validation adds no finding.
 */
#include "common.h"
#include "doc.h"
#include "repo.h"

DOCKET_BEGIN_DECL

typedef struct docket_findings docket_findings;
typedef struct docket_schema docket_schema;

typedef struct {
	const char *file;
	int line;
	int col;
	const char *message;
} docket_finding;

/* A new, empty list of findings into *OUT, freed with docket_findings_free. DOCKET_ERROR
 * when out of memory. */
DOCKET_EXTERN(int) docket_findings_new(docket_findings **out);
/* Free F and its findings (NULL allowed). */
DOCKET_EXTERN(void) docket_findings_free(docket_findings *f);
/* How many findings F holds. */
DOCKET_EXTERN(size_t) docket_findings_count(const docket_findings *f);
/* Borrowed; valid until the list is freed. */
DOCKET_EXTERN(const docket_finding *) docket_findings_get(const docket_findings *f, size_t i);
/* Add a finding (strings copied). DOCKET_ERROR when out of memory. */
DOCKET_EXTERN(int) docket_findings_add(docket_findings *f, const char *file, int line, int col,
                                       const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 5, 6)))
#endif
	;

/*
 * Schemas. Each function fills *OUT with a compiled schema set, freed with
 * docket_schema_free. Errors: DOCKET_ENOTFOUND (no such revision), DOCKET_EINVALID (the set
 * lacks the entry point or does not compile), DOCKET_ERROR.
 */

/* The schemas built into this docket binary. */
DOCKET_EXTERN(int) docket_schema_builtin(docket_schema **out);
/* The schemas pinned in REPO at REV (.docket/schemas/docket.xsd); NULL rev: tip. */
DOCKET_EXTERN(int) docket_schema_load(docket_schema **out, docket_repo *repo, const char *rev);
/* The same for another entry point, e.g. "workflow.xsd". */
DOCKET_EXTERN(int) docket_schema_builtin_entry(docket_schema **out, const char *entry);
DOCKET_EXTERN(int) docket_schema_load_entry(docket_schema **out, docket_repo *repo, const char *rev,
                                            const char *entry);
/* Free SCHEMA (NULL allowed). */
DOCKET_EXTERN(void) docket_schema_free(docket_schema *schema);

/*
 * Validate DOC against SCHEMA and the rules XSD cannot say. When REPO is not NULL, references
 * to other documents are resolved in REPO at REV. Each problem is added to FINDINGS.
 * Returns 0 when validation ran (whatever it found), negative on an internal failure.
 */
DOCKET_EXTERN(int) docket_validate(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                                   docket_repo *repo, const char *rev);

/* Do not look up other documents (references, the plan a unit plan carries out): for the
 * audit's replay, where each lookup would walk the tree of every commit. */
#define DOCKET_VALIDATE_NO_REFS 1u
/* docket_validate with FLAGS (DOCKET_VALIDATE_*). REPO still gives the workflow in force. */
DOCKET_EXTERN(int) docket_validate_flags(docket_findings *findings, docket_schema *schema, docket_doc *doc,
                                         docket_repo *repo, const char *rev, unsigned flags);

/*
 * Parse then validate: the parse failure itself becomes a finding. NAME is the file name
 * used in findings.
 */
DOCKET_EXTERN(int) docket_validate_buffer(docket_findings *findings, docket_schema *schema, const char *buf,
                                          size_t len, const char *name, docket_repo *repo, const char *rev);

/*
 * A validator of many documents of one repository: REV (NULL: the tip) is resolved to its
 * commit once, and the files the rules read besides the document (the configuration, the
 * workflow definitions) are read and parsed once, when first needed. SCHEMA and REPO are
 * borrowed and must outlive it; it uses REPO, so, like REPO, it belongs to one thread at a
 * time (give each thread its own repository handle and validator). Freed with
 * docket_validator_free. DOCKET_EUSAGE without a repository, DOCKET_ENOTFOUND (no such
 * revision), DOCKET_ERROR.
 */
typedef struct docket_validator docket_validator;
DOCKET_EXTERN(int) docket_validator_new(docket_validator **out, docket_schema *schema, docket_repo *repo,
                                        const char *rev);
/* The commit V judges at (40 hex digits, borrowed). */
DOCKET_EXTERN(const char *) docket_validator_commit(const docket_validator *v);
/* docket_validate_buffer(FINDINGS, schema, BUF, LEN, NAME, repo, commit) with V's reads. */
DOCKET_EXTERN(int) docket_validator_check(docket_validator *v, docket_findings *findings, const char *buf,
                                          size_t len, const char *name);
/* Free V (NULL allowed). */
DOCKET_EXTERN(void) docket_validator_free(docket_validator *v);
/*
 * The rule across documents of docket_validate_numbers, fed one document at a time: a
 * document's number comes out of its validation (docket_validator_check_number), and
 * docket_numbers_add takes them in the order of the walk of documents/.
 */
typedef struct docket_number_use docket_number_use;
typedef struct docket_numbers docket_numbers;
/*
 * docket_validator_check, and into *NUMBER the number the document carries as the rule
 * sees it (NULL when it carries none this repository gives, or did not parse); freed with
 * docket_number_use_free.
 */
DOCKET_EXTERN(int) docket_validator_check_number(docket_validator *v, docket_findings *findings,
                                                 const char *buf, size_t len, const char *name,
                                                 docket_number_use **number);
/* Free U (NULL allowed). */
DOCKET_EXTERN(void) docket_number_use_free(docket_number_use *u);
/* An empty table of numbers into *OUT; the files FAULTY names (may be NULL) are left out, as
 * docket_validate_numbers leaves them out. DOCKET_ERROR when out of memory. */
DOCKET_EXTERN(int) docket_numbers_new(docket_numbers **out, const docket_findings *faulty);
/* Note the number U (NULL: none; not taken over); a number noted before adds its finding to
 * FINDINGS. Leave out the documents with findings of their own. 0 or DOCKET_ERROR. */
DOCKET_EXTERN(int) docket_numbers_add(docket_numbers *ns, docket_findings *findings,
                                      const docket_number_use *u);
/* Free NS (NULL allowed). */
DOCKET_EXTERN(void) docket_numbers_free(docket_numbers *ns);
/* The Decree 30 Annex III abbreviation table: 1 when CODE is a known type abbreviation. */
/*
 * The rules across documents of REPO at REV (NULL: the tip): a number used twice by one issuer
 * in one year (its series: secret documents have their own) - by two issued documents, or
 * drafts carrying numbers typed in - one finding per extra use, added to FINDINGS. Documents
 * FINDINGS already names (invalid ones, as validated before) are left out. 0, or a negative
 * error when the repository cannot be read.
 */
DOCKET_EXTERN(int) docket_validate_numbers(docket_findings *findings, docket_repo *repo, const char *rev);
DOCKET_EXTERN(int) docket_doctype_known(const char *code);

DOCKET_END_DECL

#endif
