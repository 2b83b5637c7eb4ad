#ifndef DOCKET_DOC_H
#define DOCKET_DOC_H
/*
 * A docket document: one XML file in namespace DOCKET_NS, root <document id kind>.
 * Documents are parsed with the hostile-input rules of docket_doc_parse and kept as a
 * libxml2 tree; the getters below read the few fields the engine needs.
 */
#include <stddef.h>
#include "common.h"
#include "repo.h"

DOCKET_BEGIN_DECL

#define DOCKET_NS "urn:docket:document:1"
#define DOCKET_DSIG_NS "http://www.w3.org/2000/09/xmldsig#"

/* Documents larger than this are refused before parsing. */
#define DOCKET_DOC_MAX_BYTES (8u * 1024u * 1024u)

typedef struct docket_doc docket_doc;

/*
 * Parse BUF as a docket document. NAME is used in messages (a file name or path).
 * Refused with DOCKET_EINVALID: more than DOCKET_DOC_MAX_BYTES, not well-formed, invalid
 * UTF-8, any DTD (internal or external subset), entity references, nesting deeper than
 * libxml2's limit, a root that is not {DOCKET_NS}document. The message names the reason
 * with FILE:LINE:COL.
 */
DOCKET_EXTERN(int) docket_doc_parse(docket_doc **out, const char *buf, size_t len, const char *name);

/*
 * Read a document file's bytes into *OUT (NUL-terminated, *OUT_LEN bytes; free with docket_free). DOCKET_EINVALID with the message
 * "document is larger than ..." when over DOCKET_DOC_MAX_BYTES: nothing more is read.
 */
DOCKET_EXTERN(int) docket_doc_read_file(char **out, size_t *out_len, const char *path);

/* Read and parse a file on disk. */
DOCKET_EXTERN(int) docket_doc_load_file(docket_doc **out, const char *path);

/*
 * Find the document whose id is ID (or whose repository path is ID) at REV (NULL: tip)
 * and parse it. DOCKET_ENOTFOUND when there is none.
 */
DOCKET_EXTERN(int) docket_doc_load(docket_doc **out, docket_repo *repo, const char *id, const char *rev);

/*
 * The repository path of document ID at REV into *OUT; free it with docket_free.
 * DOCKET_ENOTFOUND when there is none.
 */
DOCKET_EXTERN(int) docket_doc_find(char **out, docket_repo *repo, const char *id, const char *rev);

/* Free DOC (NULL allowed); the strings borrowed from it go with it. */
DOCKET_EXTERN(void) docket_doc_free(docket_doc *doc);

/* Getters; all borrowed from DOC, NULL (or "") when absent. */
DOCKET_EXTERN(const char *) docket_doc_name(const docket_doc *doc);     /* the NAME given at parse */
DOCKET_EXTERN(const char *) docket_doc_id(const docket_doc *doc);
DOCKET_EXTERN(const char *) docket_doc_kind(const docket_doc *doc);     /* "plan", "report", "task" */
DOCKET_EXTERN(const char *) docket_doc_state(const docket_doc *doc);    /* NULL when no workflow element */

/*
 * The document's year (the first four digits of header/date) into *OUT, NULL when it has
 * none; free it with docket_free. Errors: DOCKET_EUSAGE (a NULL argument).
 */
DOCKET_EXTERN(int) docket_doc_year(char **out, const docket_doc *doc);

/*
 * The drafting unit: header/drafter/@unit when present, else the first unit after "VT" in
 * the last recipient "Lưu: VT, CTTT", else — for a document read from a repository — the
 * unit folder it was filed under when added (the unit of the person who added it). Into
 * *OUT, NULL when there is none; free it with docket_free. Errors: DOCKET_EUSAGE (a NULL
 * argument).
 */
DOCKET_EXTERN(int) docket_doc_drafting_unit(char **out, const docket_doc *doc);

/*
 * The text of the element at PATH, "/"-separated local names in the document namespace
 * below the root (e.g. "header/subject", "header/code/notation"), with runs of white space
 * made one space and the ends trimmed, into *OUT; NULL when there is no such element. Free
 * it with docket_free. Errors: DOCKET_EUSAGE (a NULL argument), DOCKET_ERROR (out of memory).
 */
DOCKET_EXTERN(int) docket_doc_text(char **out, const docket_doc *doc, const char *path);

/* What a listing shows of a document; every field owned by the summary (or NULL): release
 * them with docket_doc_summary_free. */
typedef struct {
	char *number;           /* "354/KH-PGDĐT", or NULL before issue */
	char *last_date;        /* the last workflow step, when there is one */
	char *last_actor;
	char *last_role;
	char *last_transition;
} docket_doc_summary;

/* Fill *OUT with DOC's summary (fields NULL when absent or when out of memory). */
DOCKET_EXTERN(void) docket_doc_summarize(docket_doc_summary *out, const docket_doc *doc);
/* Free what S holds (not S itself; NULL allowed). */
DOCKET_EXTERN(void) docket_doc_summary_free(docket_doc_summary *s);

/* Set the root id attribute (copied). */
DOCKET_EXTERN(int) docket_doc_set_id(docket_doc *doc, const char *id);

/*
 * The place of a document in a repository: documents/<kind>/<year>/<unit>/<id>.xml, where
 * year is the document's year (else FALLBACK_YEAR) and unit the folder of its drafting unit
 * (else of FALLBACK_UNIT, else "_"; see docket_unit_folder_name), into *OUT; free it with
 * docket_free. DOCKET_EINVALID when the id or kind cannot name a file.
 */
DOCKET_EXTERN(int) docket_doc_path(char **out, const docket_doc *doc, const char *fallback_year,
                                   const char *fallback_unit);

/*
 * The folder, under documents/<kind>/<year>/, of the documents unit UNIT drafts, into OUT (65
 * bytes): the unit id itself when it is ASCII, else written in ASCII ("BCĐ" gives "BCD", the
 * marks dropped; docs/format.md, "Names and the layout"). DOCKET_EINVALID when UNIT is not a
 * unit id (OUT is then "").
 */
DOCKET_EXTERN(int) docket_unit_folder_name(char out[65], const char *unit);

/* Serialise as UTF-8 XML with a declaration into *OUT (*OUT_LEN bytes, NUL-terminated); free it
 * with docket_free. DOCKET_ERROR when out of memory. */
DOCKET_EXTERN(int) docket_doc_serialize(char **out, size_t *out_len, docket_doc *doc);

DOCKET_END_DECL

#endif
