#ifndef DOCKET_EXCHANGE_H
#define DOCKET_EXCHANGE_H
/*
 * Documents that travel between organisations in the edXML envelope (QCVN 102:2016;
 * docs/exchange.md): an issued document exported as an envelope, an envelope received as an
 * incoming document (kind "incoming") with its own register, and status messages about a
 * received document sent back to its sender. Every envelope docket writes or reads is
 * validated against the built-in schemas/edxml.xsd; an envelope is untrusted input (the
 * safe parser: no DTD, no entities, no network, size limits).
 */
#include <stddef.h>
#include "repo.h"
#include "validate.h"

DOCKET_BEGIN_DECL

#define DOCKET_EDXML_NS "http://www.mic.gov.vn/TBT/QCVN_102_2016"

/* edXML business operations (MessageHeader/Business/BusinessDocType). */
typedef enum {
	DOCKET_EDXML_NEW = 0,
	DOCKET_EDXML_RECALL = 1,
	DOCKET_EDXML_UPDATE = 2,
	DOCKET_EDXML_REPLACE = 3
} docket_edxml_operation;

/* edXML status codes of a received document (Status/StatusCode). */
typedef enum {
	DOCKET_EDXML_STATUS_LATEST = 0,   /* docket_export_status: the last one the document reached */
	DOCKET_EDXML_STATUS_ARRIVED = 1,
	DOCKET_EDXML_STATUS_RECEIVED = 3,
	DOCKET_EDXML_STATUS_ASSIGNED = 4,
	DOCKET_EDXML_STATUS_DONE = 6
} docket_edxml_status;

typedef struct {
	unsigned int version;          /* DOCKET_EXPORT_OPTIONS_VERSION */
	const char *rev;               /* the revision to export from; NULL: the tip of main */
	const char *now;               /* the TraceHeader's time (ISO 8601 with offset); NULL: now */
	docket_edxml_operation operation; /* the business operation; DOCKET_EDXML_NEW writes none */
	const char *operation_reason;  /* its reason (BusinessDocReason), or NULL */
	const char *operation_target;  /* the document (id, in this repository) it acts on, or NULL */
} docket_export_options;

#define DOCKET_EXPORT_OPTIONS_VERSION 1
#define DOCKET_EXPORT_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_EXPORT_OPTIONS_VERSION) }

DOCKET_EXTERN(int) docket_export_options_init(docket_export_options *opts, unsigned int version);

/*
 * The issued document DOC (id or path) of REPO as an edXML envelope in *OUT (*OUT_LEN bytes,
 * NUL-terminated; free with docket_free): MessageHeader from its header and the
 * configuration (From = the organisation with its exchange id, To = each recipient that is a
 * configured external organisation, ResponseFor = each incoming document it cites), one
 * TraceHeader, and the document's bytes exactly as stored (its signatures included) as the
 * first attachment with its SHA-256 digest, then each annex its content lists (docket
 * attach; OtherInfo/Appendixes counts them), byte for byte with its digest - refused with
 * DOCKET_EVERIFY when an annex file does not match the signed list. With OPTS->operation
 * DOCKET_EDXML_NEW the business operation comes from the document's own record
 * (docs/lifecycle.md): a recalled document is a recall (its reason the recall step's), a
 * document whose header <amends relation="replaces"> another a replace of it, one that
 * "corrects" another an update of it. The envelope is validated against edxml.xsd
 * before it is returned.
 * Errors: DOCKET_ENOTFOUND (no such document), DOCKET_EINVALID (not issued: no number or
 * date; the organisation has no exchange id; the envelope does not validate - the message
 * names the first problem), DOCKET_EUSAGE, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_export_edxml(char **out, size_t *out_len, docket_repo *repo, const char *doc,
                                       const docket_export_options *opts);

/*
 * The status message STATUS (DOCKET_EDXML_STATUS_LATEST: the last one reached) about the
 * incoming document DOC, for its sender, as an edXML envelope in *OUT (free with
 * docket_free): ResponseFor the sender's document, From this organisation, the code and its
 * time (arrival for arrived/received, the workflow step for assigned/done), and for
 * assigned the handling unit and due date. Errors: DOCKET_EINVALID (not an incoming
 * document), DOCKET_EDENIED (it has not reached STATUS yet), DOCKET_ENOTFOUND, DOCKET_ERROR.
 */
DOCKET_EXTERN(int) docket_export_status(char **out, size_t *out_len, docket_repo *repo, const char *doc,
                                        docket_edxml_status status, const docket_export_options *opts);

/*
 * The bytes of the incoming document DOC's original as they arrived (ANNEX NULL), or of its
 * annex named ANNEX, into *OUT (free with docket_free); its SHA-256 is checked against the
 * one recorded. DOCKET_EVERIFY when they differ, DOCKET_ENOTFOUND, DOCKET_EINVALID (not an
 * incoming document).
 */
DOCKET_EXTERN(int) docket_incoming_original(char **out, size_t *out_len, docket_repo *repo, const char *doc,
                                            const char *annex, const char *rev);

typedef struct {
	unsigned int version;   /* DOCKET_RECEIVE_OPTIONS_VERSION */
	const char *actor;      /* the records clerk registering it (role clerk); required */
	const char *now;        /* arrival time (ISO 8601 with offset); NULL: now */
	const char *name;       /* the envelope's name for messages; NULL: "envelope" */
} docket_receive_options;

#define DOCKET_RECEIVE_OPTIONS_VERSION 1
#define DOCKET_RECEIVE_OPTIONS_INIT { DOCKET_INIT_VERSION(DOCKET_RECEIVE_OPTIONS_VERSION) }

DOCKET_EXTERN(int) docket_receive_options_init(docket_receive_options *opts, unsigned int version);

/* One signature of the received document, as verified against the sender's CA. */
typedef struct {
	char *id;       /* the Signature's Id */
	int ok;         /* 1 verified */
	char *signer;   /* subject CN of its certificate, or NULL */
	char *time;     /* signing time as written, or NULL */
	char *meaning;  /* commitment URI's fragment (ProofOfOrigin ...), or NULL */
	char *problem;  /* why it failed, or NULL */
} docket_receive_sig;

typedef struct {
	char commit[41];
	char *id;               /* the incoming document's id, "den-2026-01" */
	char *path;
	char *number;           /* the arrival number, "01" */
	int year;               /* the register's year */
	char *time;             /* arrival time */
	char *sender;           /* the sender's name */
	char *sender_organ_id;
	char *external;         /* the sender's id among the external organisations, or NULL */
	char *code;             /* the sender's number/notation, "01/KH-PGDĐT" */
	char *date;             /* the sender's date */
	size_t annexes;
	/* the signatures: checked 1 when verified against the sender's CA (then sigs[] holds
	 * each), 0 when they could not be (sigs_note says why: no CA recorded, unknown sender) */
	int sigs_checked;
	char *sigs_note;
	docket_receive_sig *sigs;
	size_t nsigs;
	docket_findings *findings;  /* the envelope's schema problems when it is refused for them */
	int recalled;           /* the envelope recalled a document received before: id names it,
	                         * now in state 'recalled' (its sender's reason in reason) */
	char *reason;
} docket_receive_result;

/*
 * Register the envelope BUF (LEN bytes) as a new incoming document of REPO, as one commit by
 * opts->actor (a clerk): the next arrival number of the arrival year's register, the sender,
 * its number/notation and date, urgency and deadline, and the sender's document and annexes
 * byte for byte. Refused, writing nothing: an envelope that is not well-formed or has a DTD
 * (DOCKET_EINVALID), does not validate against edxml.xsd (DOCKET_EINVALID, out->findings),
 * carries an attachment whose bytes do not match its digest or a header that does not
 * match the document (DOCKET_EVERIFY), or repeats a receipt already registered - same
 * sender, number/notation and date (DOCKET_EEXISTS). The signatures are verified against
 * the CA recorded for the sending external organisation and reported in OUT, not required.
 * An envelope whose business operation is a recall (1) registers nothing new: the document
 * it carries must be the sender's document in state 'recalled', and the incoming document
 * received of it takes the transition 'recall' with the sender's reason (out->recalled;
 * DOCKET_ENOTFOUND when it was never received).
 */
DOCKET_EXTERN(int) docket_receive(docket_receive_result *out, docket_repo *repo, const char *buf, size_t len,
                                  const docket_receive_options *opts);
/* Free what R holds (not R itself; NULL allowed). */
DOCKET_EXTERN(void) docket_receive_result_free(docket_receive_result *r);

DOCKET_END_DECL

#endif
