/*
 * exchange: documents that travel between organisations in the edXML envelope (QCVN
 * 102:2016, docs/exchange.md). Export writes an issued document's header as the envelope's
 * MessageHeader and carries the document's bytes exactly as stored, so that its XML-DSig
 * signatures still verify wherever it lands. Receive is the other side: the envelope is
 * untrusted (the safe parser, the envelope schema, every attachment's digest), the sender's
 * signatures are verified against the CA recorded for the sending organisation (reported,
 * not required), and the document is registered as an incoming document with the next
 * arrival number of the year - the register is the set of incoming documents itself, read
 * inside the transaction, so two clerks receiving at once get two numbers and a repeated
 * receipt is found. Status messages tell the sender how far its document has got.
 *
 * It lives in the workflow layer because it needs the configuration (the organisation's and
 * the external organisations' exchange ids and CAs), the workflow (the incoming document's
 * initial state) and the sign layer (the sender's signatures).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <libxml/tree.h>
#include "workflow_internal.h"
#include "docket/exchange.h"
#include "docket/store.h"

#define EDXML_SCHEMA "edxml.xsd"
#define SHA256_URI "http://www.w3.org/2001/04/xmlenc#sha256"
#define D(node, path) docket_xml_path((node), DOCKET_NS, (path))
#define E(node, path) docket_xml_path((node), DOCKET_EDXML_NS, (path))

int docket_export_options_init(docket_export_options *opts, unsigned int version)
{
	const docket_export_options init = DOCKET_EXPORT_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_export_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_EXPORT_OPTIONS_VERSION, "docket_export_options",
	                                  "DOCKET_EXPORT_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

int docket_receive_options_init(docket_receive_options *opts, unsigned int version)
{
	const docket_receive_options init = DOCKET_RECEIVE_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_receive_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_RECEIVE_OPTIONS_VERSION, "docket_receive_options",
	                                  "DOCKET_RECEIVE_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

/* --- small helpers ---------------------------------------------------------------------------- */

static char *text_at(xmlNodePtr root, const char *ns, const char *path)
{
	xmlNodePtr n = docket_xml_path(root, ns, path);
	return n ? docket_xml_text_trim(n) : NULL;
}

/* <edXML:NAME>VALUE</edXML:NAME> on its own line at INDENT; nothing when VALUE is NULL. */
static int el(docket_buf *b, const char *indent, const char *name, const char *value)
{
	if (!value)
		return 0;
	if (docket_buf_printf(b, "%s<edXML:%s>", indent, name) < 0 || docket_buf_put_xml(b, value) < 0 ||
	    docket_buf_printf(b, "</edXML:%s>\n", name) < 0)
		return DOCKET_ERROR;
	return 0;
}

static int sha256(unsigned char md[32], const char *data, size_t len)
{
	unsigned int mdlen = 0;
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return docket_error_set(DOCKET_ERROR, "cannot compute a SHA-256 digest");
	return 0;
}

/* The edXML DocumentId docket gives a document: "ORGANID,YYYY/MM/DD,NUMBER/NOTATION". */
static char *edxml_document_id(const char *organ_id, const char *date, const char *code)
{
	docket_buf b = DOCKET_BUF_INIT;
	if (docket_buf_printf(&b, "%s,%.4s/%.2s/%.2s,%s", organ_id, date, date && strlen(date) >= 10 ? date + 5 : "",
	                      date && strlen(date) >= 10 ? date + 8 : "", code) < 0) {
		docket_buf_free(&b);
		return NULL;
	}
	return docket_buf_detach(&b, NULL);
}

static int priority_of(const char *urgency)
{
	static const char *const names[] = { "normal", "urgent", "very-urgent", "express", "express-timed" };
	for (int i = 0; urgency && i < 5; i++)
		if (strcmp(urgency, names[i]) == 0)
			return i;
	return 0;
}

static const char *urgency_of(int priority)
{
	static const char *const names[] = { "normal", "urgent", "very-urgent", "express", "express-timed" };
	return priority >= 0 && priority <= 4 ? names[priority] : "normal";
}

/* Validate the envelope TEXT against the built-in edxml.xsd: findings into F (may be NULL: the
 * first one becomes the error). */
static int check_envelope(docket_findings *f, xmlDocPtr xml, const char *name)
{
	docket_schema *schema = NULL;
	docket_findings *own = NULL;
	int error;

	if ((error = docket_schema_builtin_entry(&schema, EDXML_SCHEMA)) < 0)
		goto cleanup;
	if (!f && (error = docket_findings_new(&own)) < 0)
		goto cleanup;
	if ((error = docket_schema_check(f ? f : own, schema, xml, name)) < 0)
		goto cleanup;
	if (own && docket_findings_count(own)) {
		const docket_finding *x = docket_findings_get(own, 0);
		error = docket_error_set(DOCKET_EINVALID, "the envelope docket wrote does not validate against "
		                         "edxml.xsd: %s:%d: %s", x->file, x->line, x->message);
	}
cleanup:
	docket_findings_free(own);
	docket_schema_free(schema);
	return error;
}

static int validate_text(const char *text, size_t len, const char *name)
{
	xmlDocPtr xml = NULL;
	int error;

	if ((error = docket_xml_parse(&xml, text, len, name)) < 0)
		return error;
	error = check_envelope(NULL, xml, name);
	xmlFreeDoc(xml);
	return error;
}

static int organization(docket_buf *b, const char *indent, const char *tag, const char *organ_id,
                        const char *in_charge, const char *name)
{
	char inner[32];
	snprintf(inner, sizeof(inner), "%s  ", indent);
	if (docket_buf_printf(b, "%s<edXML:%s>\n", indent, tag) < 0 || el(b, inner, "OrganId", organ_id) < 0 ||
	    el(b, inner, "OrganizationInCharge", in_charge) < 0 || el(b, inner, "OrganName", name) < 0 ||
	    docket_buf_printf(b, "%s</edXML:%s>\n", indent, tag) < 0)
		return DOCKET_ERROR;
	return 0;
}

/* What a status message and a ResponseFor cite of an incoming document. */
typedef struct {
	char *organ_id, *code, *date, *document_id, *sender_name;
	char *arrival_time, *number, *year;
} incoming_facts;

static void facts_free(incoming_facts *f)
{
	free(f->organ_id);
	free(f->code);
	free(f->date);
	free(f->document_id);
	free(f->sender_name);
	free(f->arrival_time);
	free(f->number);
	free(f->year);
	memset(f, 0, sizeof(*f));
}

/* 1 with F filled when DOC is an incoming document, 0 when it is another kind. */
static int incoming_facts_of(incoming_facts *f, docket_doc *doc)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	xmlNodePtr in = D(root, "content/incoming");

	memset(f, 0, sizeof(*f));
	if (!docket_doc_kind(doc) || strcmp(docket_doc_kind(doc), "incoming") != 0 || !in)
		return 0;
	f->organ_id = docket_attr(D(in, "sender"), "organId");
	f->sender_name = docket_attr(D(in, "sender"), "name");
	f->code = text_at(in, DOCKET_NS, "code");
	f->date = text_at(in, DOCKET_NS, "date");
	f->document_id = text_at(in, DOCKET_NS, "documentId");
	f->arrival_time = docket_attr(D(in, "arrival"), "time");
	f->number = docket_attr(D(in, "arrival"), "number");
	f->year = docket_attr(D(in, "arrival"), "year");
	return 1;
}

static int response_for(docket_buf *b, const char *indent, const char *tag, const char *organ_id,
                        const char *code, const char *date, const char *document_id)
{
	char inner[32];
	snprintf(inner, sizeof(inner), "%s  ", indent);
	if (docket_buf_printf(b, "%s<edXML:%s>\n", indent, tag) < 0 || el(b, inner, "OrganId", organ_id) < 0 ||
	    el(b, inner, "Code", code) < 0 || el(b, inner, "PromulgationDate", date) < 0 ||
	    el(b, inner, "DocumentId", document_id) < 0 || docket_buf_printf(b, "%s</edXML:%s>\n", indent, tag) < 0)
		return DOCKET_ERROR;
	return 0;
}

static int trace(docket_buf *b, const char *organ_id, const char *now)
{
	if (docket_buf_puts(b, "    <edXML:TraceHeaderList>\n      <edXML:TraceHeader>\n") < 0 ||
	    el(b, "        ", "OrganId", organ_id) < 0 || el(b, "        ", "Timestamp", now) < 0 ||
	    docket_buf_puts(b, "      </edXML:TraceHeader>\n    </edXML:TraceHeaderList>\n") < 0)
		return DOCKET_ERROR;
	return 0;
}

static const char envelope_open[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<edXML:edXMLEnvelope xmlns:edXML=\"" DOCKET_EDXML_NS "\">\n"
	"  <edXML:edXMLHeader>\n";

/* --- export ----------------------------------------------------------------------------------- */

/* The number/notation as printed ("01/KH-PGDĐT") of the issued document ROOT, or NULL. */
static char *code_of(xmlNodePtr root)
{
	char *num = text_at(root, DOCKET_NS, "header/code/number"), *nota = text_at(root, DOCKET_NS, "header/code/notation");
	char *out = NULL;
	docket_buf b = DOCKET_BUF_INIT;

	if (num && *num && nota && *nota && docket_buf_printf(&b, "%s/%s", num, nota) == 0)
		out = docket_buf_detach(&b, NULL);
	docket_buf_free(&b);
	free(num);
	free(nota);
	return out;
}

/* --- annexes and lifecycle on export (docs/lifecycle.md) ----------------------------------------- */

typedef struct {
	int problems;
	char first[1024];
} annex_check;

static void annex_seen(void *payload, const docket_annex_item *it)
{
	annex_check *c = payload;
	if (!it->ok && !c->problems++)
		snprintf(c->first, sizeof(c->first), "%s", it->problem ? it->problem : "an annex does not match");
}

/*
 * Each annex ROOT's content lists, read from the tree at O->rev, as an Attachment after the
 * document (Description "annex", its own SHA-256). An annex whose file does not match the
 * list is not sent: the signatures vouch for the list, so the file would be a forgery.
 */
static int export_annexes(docket_buf *b, docket_repo *repo, const docket_export_options *o, xmlNodePtr root)
{
	git_repository *git = docket_repo_git(repo);
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	docket_buf dir = DOCKET_BUF_INIT, file = DOCKET_BUF_INIT;
	char commit[41], *path = NULL, *data = NULL, *b64 = NULL, *dg64 = NULL;
	const char *id = NULL;
	size_t len = 0, k = 0;
	annex_check check;
	docket_doc *doc = NULL;
	xmlNodePtr n;
	int error;

	memset(&check, 0, sizeof(check));
	if (!D(root, "content/annexes/annex"))
		return 0;
	id = (const char *)xmlGetNoNsProp(root, (const xmlChar *)"id");
	if ((error = docket_repo_resolve(commit, repo, o->rev)) < 0 || (error = docket_doc_find(&path, repo, id, commit)) < 0 ||
	    (error = docket_repo_read(&data, &len, repo, commit, path)) < 0 ||
	    (error = docket_doc_parse(&doc, data, len, path)) < 0)
		goto cleanup;
	free(data);
	data = NULL;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0 || git_commit_tree(&tree, c) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", commit);
		goto cleanup;
	}
	if ((error = docket_annex_judge(git, tree, path, doc, annex_seen, &check)) < 0)
		goto cleanup;
	if (check.problems) {
		error = docket_error_set(DOCKET_EVERIFY, "cannot export '%s': %s", id, check.first);
		goto cleanup;
	}
	if ((error = docket_annex_dir(&dir, path)) < 0)
		goto cleanup;
	for (n = D(root, "content/annexes/annex"); n; n = docket_xml_next(n), k++) {
		char *name = docket_attr(n, "name"), *type = docket_attr(n, "type");
		unsigned char md[32];
		file.len = 0;
		error = !name || !type ? docket_error_set(DOCKET_ERROR, "out of memory") : 0;
		if (!error && (error = docket_buf_printf(&file, "%s/%s", dir.ptr, name)) == 0 &&
		    (error = docket_repo_read(&data, &len, repo, commit, file.ptr)) == 0 &&
		    (error = sha256(md, data, len)) == 0 && (error = docket_base64_encode(&dg64, md, 32)) == 0 &&
		    (error = docket_base64_encode(&b64, (const unsigned char *)data, len)) == 0) {
			error = docket_buf_printf(b, "      <edXML:Attachment ContentId=\"annex-%zu\" ContentType=\"", k + 1) < 0 ||
			        docket_buf_put_xml(b, type) < 0 ||
			        docket_buf_puts(b, "\" ContentTransferEncoded=\"base64\" AttachmentName=\"") < 0 ||
			        docket_buf_put_xml(b, name) < 0 ||
			        docket_buf_printf(b, "\" Description=\"annex\" DigestAlgorithm=\"" SHA256_URI "\" "
			                          "DigestValue=\"%s\">", dg64) < 0 ||
			        docket_buf_puts(b, b64) < 0 || docket_buf_puts(b, "</edXML:Attachment>\n") < 0 ?
			        docket_error_set(DOCKET_ERROR, "out of memory") : 0;
		}
		free(name);
		free(type);
		free(data);
		free(b64);
		free(dg64);
		data = b64 = dg64 = NULL;
		if (error < 0)
			goto cleanup;
	}
	error = 0;
cleanup:
	xmlFree((xmlChar *)id);
	git_tree_free(tree);
	git_commit_free(c);
	docket_doc_free(doc);
	docket_buf_free(&dir);
	docket_buf_free(&file);
	free(path);
	free(data);
	return error;
}

/*
 * The business operation a document's own record implies, when the caller names none: a
 * recalled document is sent as a recall (reason: the recall step's), a document whose header
 * says it replaces another as a replace of it, a correcting letter as an update of the
 * document it corrects. *REASON (may stay NULL) is malloc'd.
 */
static void implied_operation(docket_export_options *eff, char **reason, xmlNodePtr root, const char *id)
{
	xmlNodePtr wf = D(root, "workflow"), n, last = NULL;
	char *state = wf ? docket_attr(wf, "state") : NULL;

	*reason = NULL;
	if (state && strcmp(state, "recalled") == 0) {
		for (n = D(wf, "step"); n; n = docket_xml_next(n))
			last = n;
		eff->operation = DOCKET_EDXML_RECALL;
		eff->operation_target = id;
		if (last && (*reason = docket_xml_text_trim(last)) && **reason)
			eff->operation_reason = *reason;
	} else {
		for (n = D(root, "header/amends"); n; n = docket_xml_next(n)) {
			char *rel = docket_attr(n, "relation");
			if (rel && (strcmp(rel, "replaces") == 0 || strcmp(rel, "corrects") == 0)) {
				eff->operation = strcmp(rel, "replaces") == 0 ? DOCKET_EDXML_REPLACE : DOCKET_EDXML_UPDATE;
				free(*reason);
				*reason = docket_attr(n, "ref");
				eff->operation_target = *reason;
				free(rel);
				break;
			}
			free(rel);
		}
	}
	free(state);
}

static int export_fill(docket_buf *b, docket_repo *repo, const docket_config *cfg, docket_doc *doc,
                       const char *stored, size_t stored_len, const docket_export_options *o, const char *now)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), h = D(root, "header"), n;
	docket_org org;
	char *number = text_at(root, DOCKET_NS, "header/code/number");
	char *notation = text_at(root, DOCKET_NS, "header/code/notation");
	char *date = text_at(root, DOCKET_NS, "header/date"), *place = text_at(root, DOCKET_NS, "header/place");
	char *issuer = text_at(root, DOCKET_NS, "header/issuer/name");
	char *parent = text_at(root, DOCKET_NS, "header/issuer/parent");
	char *type_name = text_at(root, DOCKET_NS, "header/type"), *type_code = docket_attr(D(h, "type"), "code");
	char *subject = text_at(root, DOCKET_NS, "header/subject");
	char *urgency = docket_attr(D(h, "marks"), "urgency");
	char *code = code_of(root), *document_id = NULL, *b64 = NULL, *dg64 = NULL;
	const char *kind = docket_doc_kind(doc);
	unsigned char md[32];
	int error = DOCKET_ERROR;

	docket_config_org(&org, cfg);
	if (!(document_id = edxml_document_id(org.organ_id, date, code)))
		goto cleanup;
	if (docket_buf_puts(b, envelope_open) < 0 || docket_buf_puts(b, "    <edXML:MessageHeader>\n") < 0 ||
	    organization(b, "      ", "From", org.organ_id, parent, issuer ? issuer : org.name) < 0)
		goto cleanup;
	/* To: each recipient that names a configured external organisation, by id or by name */
	for (n = D(h, "recipients/recipient"); n; n = docket_xml_next(n)) {
		char *unit = docket_attr(n, "unit"), *text = docket_xml_text_trim(n);
		docket_external x;
		int found = (unit && docket_config_external(&x, cfg, unit) == 0);
		for (size_t i = 0; !found && text && i < docket_config_external_count(cfg); i++)
			found = docket_config_external_at(&x, cfg, i) == 0 && strcmp(x.name, text) == 0;
		docket_error_clear();
		if (found && organization(b, "      ", "To", x.organ_id, NULL, x.name) < 0) {
			free(unit);
			free(text);
			goto cleanup;
		}
		free(unit);
		free(text);
	}
	if (docket_buf_puts(b, "      <edXML:Code>\n") < 0 || el(b, "        ", "CodeNumber", number) < 0 ||
	    el(b, "        ", "CodeNotation", notation) < 0 || docket_buf_puts(b, "      </edXML:Code>\n") < 0 ||
	    docket_buf_puts(b, "      <edXML:PromulgationInfo>\n") < 0 || el(b, "        ", "Place", place) < 0 ||
	    el(b, "        ", "PromulgationDate", date) < 0 || docket_buf_puts(b, "      </edXML:PromulgationInfo>\n") < 0 ||
	    docket_buf_puts(b, "      <edXML:DocumentType>\n") < 0 ||
	    el(b, "        ", "Type", type_code ? type_code : "") < 0 ||
	    el(b, "        ", "TypeName", type_name ? type_name : "Công văn") < 0 ||
	    docket_buf_puts(b, "      </edXML:DocumentType>\n") < 0 || el(b, "      ", "Subject", subject) < 0)
		goto cleanup;
	if ((n = D(h, "signer")) != NULL) {
		char *auth = text_at(n, DOCKET_NS, "authority"), *title = text_at(n, DOCKET_NS, "title");
		char *pos = text_at(n, DOCKET_NS, "position"), *name = text_at(n, DOCKET_NS, "fullName");
		docket_buf comp = DOCKET_BUF_INIT;
		int e = docket_buf_printf(&comp, "%s%s%s", auth ? auth : "", auth ? " " : "", title ? title : "");
		if (!e)
			e = docket_buf_puts(b, "      <edXML:SignerInfo>\n") < 0 || el(b, "        ", "Competence", comp.ptr) < 0 ||
			    el(b, "        ", "Position", pos ? pos : title ? title : "") < 0 ||
			    el(b, "        ", "FullName", name ? name : "") < 0 || docket_buf_puts(b, "      </edXML:SignerInfo>\n") < 0;
		docket_buf_free(&comp);
		free(auth);
		free(title);
		free(pos);
		free(name);
		if (e)
			goto cleanup;
	}
	if (kind && strcmp(kind, "task") == 0) {
		char *due = text_at(root, DOCKET_NS, "content/task/due");
		int e = el(b, "      ", "DueDate", due);
		free(due);
		if (e < 0)
			goto cleanup;
	}
	if ((n = D(h, "recipients/recipient")) != NULL) {
		if (docket_buf_puts(b, "      <edXML:ToPlaces>\n") < 0)
			goto cleanup;
		for (; n; n = docket_xml_next(n)) {
			char *text = docket_xml_text_trim(n);
			int e = el(b, "        ", "Place", text ? text : "");
			free(text);
			if (e < 0)
				goto cleanup;
		}
		if (docket_buf_puts(b, "      </edXML:ToPlaces>\n") < 0)
			goto cleanup;
	}
	/* the annexes the content lists travel as the attachments after the document */
	{
		size_t nannex = 0;
		for (n = D(root, "content/annexes/annex"); n; n = docket_xml_next(n))
			nannex++;
		if (docket_buf_printf(b, "      <edXML:OtherInfo>\n        <edXML:Priority>%d</edXML:Priority>\n"
		                      "        <edXML:Appendixes>%zu</edXML:Appendixes>\n      </edXML:OtherInfo>\n",
		                      priority_of(urgency), nannex) < 0)
			goto cleanup;
	}
	/* ResponseFor: every incoming document the header cites */
	for (n = D(h, "bases/basis"); n; n = docket_xml_next(n)) {
		char *ref = docket_attr(n, "ref");
		docket_doc *cited = NULL;
		incoming_facts f;
		int e = 0;
		if (ref && docket_doc_load(&cited, repo, ref, o->rev) == 0 && incoming_facts_of(&f, cited)) {
			e = response_for(b, "      ", "ResponseFor", f.organ_id, f.code, f.date, f.document_id);
			facts_free(&f);
		}
		docket_error_clear();
		docket_doc_free(cited);
		free(ref);
		if (e < 0)
			goto cleanup;
	}
	if (docket_buf_printf(b, "      <edXML:SteeringType>%d</edXML:SteeringType>\n",
	                      kind && strcmp(kind, "task") == 0 ? 1 : kind && strcmp(kind, "report") == 0 ? 2 : 0) < 0)
		goto cleanup;
	if (o->operation != DOCKET_EDXML_NEW) {
		if (o->operation < DOCKET_EDXML_NEW || o->operation > DOCKET_EDXML_REPLACE) {
			error = docket_error_set(DOCKET_EUSAGE, "unknown edXML business operation %d", (int)o->operation);
			goto cleanup;
		}
		if (docket_buf_printf(b, "      <edXML:Business>\n        <edXML:BusinessDocType>%d</edXML:BusinessDocType>\n",
		                      (int)o->operation) < 0 || el(b, "        ", "BusinessDocReason", o->operation_reason) < 0)
			goto cleanup;
		if (o->operation_target) {
			docket_doc *t = NULL;
			xmlNodePtr troot;
			char *tcode, *tdate, *tid;
			int e;
			if ((error = docket_doc_load(&t, repo, o->operation_target, o->rev)) < 0)
				goto cleanup;
			troot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(t));
			tcode = code_of(troot);
			tdate = text_at(troot, DOCKET_NS, "header/date");
			tid = tcode && tdate ? edxml_document_id(org.organ_id, tdate, tcode) : NULL;
			e = !tid ? docket_error_set(DOCKET_EINVALID, "'%s' has no number and date: it was never issued",
			                            o->operation_target) :
			    response_for(b, "        ", "BusinessDocument", org.organ_id, tcode, tdate, tid);
			free(tcode);
			free(tdate);
			free(tid);
			docket_doc_free(t);
			if (e < 0) {
				error = e;
				goto cleanup;
			}
		}
		if (docket_buf_puts(b, "      </edXML:Business>\n") < 0)
			goto cleanup;
	}
	if (el(b, "      ", "DocumentId", document_id) < 0 || docket_buf_puts(b, "    </edXML:MessageHeader>\n") < 0 ||
	    trace(b, org.organ_id, now) < 0 || docket_buf_puts(b, "  </edXML:edXMLHeader>\n  <edXML:edXMLBody>\n") < 0)
		goto cleanup;
	/* the document exactly as stored: its signatures verify on the other side */
	if ((error = sha256(md, stored, stored_len)) < 0 ||
	    (error = docket_base64_encode(&dg64, md, 32)) < 0 ||
	    (error = docket_base64_encode(&b64, (const unsigned char *)stored, stored_len)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (docket_buf_puts(b, "    <edXML:AttachmentEncoded>\n      <edXML:Attachment ContentId=\"document\" "
	                    "ContentType=\"application/xml\" ContentTransferEncoded=\"base64\" AttachmentName=\"") < 0 ||
	    docket_buf_put_xml(b, docket_doc_id(doc)) < 0 ||
	    docket_buf_printf(b, ".xml\" Description=\"document\" DigestAlgorithm=\"" SHA256_URI "\" DigestValue=\"%s\">",
	                      dg64) < 0 ||
	    docket_buf_puts(b, b64) < 0 || docket_buf_puts(b, "</edXML:Attachment>\n") < 0)
		goto cleanup;
	if ((error = export_annexes(b, repo, o, root)) < 0)
		goto cleanup;
	error = DOCKET_ERROR;
	if (docket_buf_puts(b, "    </edXML:AttachmentEncoded>\n  </edXML:edXMLBody>\n</edXML:edXMLEnvelope>\n") < 0)
		goto cleanup;
	error = 0;
cleanup:
	if (error == DOCKET_ERROR && docket_error_code() == 0)
		docket_error_set(DOCKET_ERROR, "out of memory");
	free(number);
	free(notation);
	free(date);
	free(place);
	free(issuer);
	free(parent);
	free(type_name);
	free(type_code);
	free(subject);
	free(urgency);
	free(code);
	free(document_id);
	free(b64);
	free(dg64);
	return error;
}

int docket_export_edxml(char **out, size_t *out_len, docket_repo *repo, const char *id,
                        const docket_export_options *opts)
{
	static const docket_export_options none = DOCKET_EXPORT_OPTIONS_INIT;
	const docket_export_options *o = opts ? opts : &none;
	docket_config *cfg = NULL;
	docket_doc *doc = NULL;
	docket_org org;
	docket_buf b = DOCKET_BUF_INIT;
	char *path = NULL, *stored = NULL, *now = NULL, *code = NULL, *date = NULL, *implied = NULL;
	docket_export_options eff;
	size_t stored_len = 0;
	xmlNodePtr root;
	int error;

	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!out || !repo || !id)
		return docket_error_set(DOCKET_EUSAGE, "docket_export_edxml: OUT, REPO and DOC are required");
	if (opts && (error = docket_options_check(opts->version, DOCKET_EXPORT_OPTIONS_VERSION, "docket_export_options",
	                                          "DOCKET_EXPORT_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_doc_find(&path, repo, id, o->rev)) < 0 ||
	    (error = docket_repo_read(&stored, &stored_len, repo, o->rev, path)) < 0 ||
	    (error = docket_doc_parse(&doc, stored, stored_len, path)) < 0 ||
	    (error = docket_config_load(&cfg, repo, o->rev)) < 0)
		goto cleanup;
	root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if (strcmp(docket_doc_kind(doc), "incoming") == 0) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is an incoming document: it is exported as status "
		                         "messages to its sender (--status), or as the original it was (--original)", id);
		goto cleanup;
	}
	code = code_of(root);
	date = text_at(root, DOCKET_NS, "header/date");
	if (!code || !date) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is not issued (it has no number and date): only an "
		                         "issued document can be sent", id);
		goto cleanup;
	}
	docket_config_org(&org, cfg);
	if (!org.organ_id) {
		error = docket_error_set(DOCKET_EINVALID, "the organisation has no exchange id (edXML OrganId): set it "
		                         "with 'docket org set --organ-id ID'");
		goto cleanup;
	}
	if (!(now = o->now ? docket_strdup(o->now) : docket_time_now_iso())) {
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (o->operation == DOCKET_EDXML_NEW) {
		eff = *o;
		implied_operation(&eff, &implied, root, docket_doc_id(doc));
		o = &eff;
	}
	if ((error = export_fill(&b, repo, cfg, doc, stored, stored_len, o, now)) < 0)
		goto cleanup;
	if ((error = validate_text(b.ptr, b.len, "envelope")) < 0)
		goto cleanup;
	if (out_len)
		*out_len = b.len;
	*out = docket_buf_detach(&b, NULL);
cleanup:
	docket_buf_free(&b);
	docket_config_free(cfg);
	docket_doc_free(doc);
	free(path);
	free(stored);
	free(now);
	free(code);
	free(date);
	free(implied);
	return error;
}

/* --- status messages -------------------------------------------------------------------------- */

/* The last step of ROOT that took a transition into state TO, or NULL. */
static xmlNodePtr step_into(xmlNodePtr root, const char *to)
{
	xmlNodePtr s, found = NULL;
	for (s = D(root, "workflow/step"); s; s = docket_xml_next(s)) {
		char *t = docket_attr(s, "to");
		if (t && strcmp(t, to) == 0)
			found = s;
		free(t);
	}
	return found;
}

int docket_export_status(char **out, size_t *out_len, docket_repo *repo, const char *id,
                         docket_edxml_status status, const docket_export_options *opts)
{
	static const docket_export_options none = DOCKET_EXPORT_OPTIONS_INIT;
	const docket_export_options *o = opts ? opts : &none;
	docket_config *cfg = NULL;
	docket_doc *doc = NULL;
	docket_org org;
	incoming_facts f;
	docket_buf b = DOCKET_BUF_INIT;
	const char *state, *desc;
	char *when = NULL, *unit = NULL, *due = NULL, code[3];
	xmlNodePtr root, step = NULL;
	int error, have = 0;

	memset(&f, 0, sizeof(f));
	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if (!out || !repo || !id)
		return docket_error_set(DOCKET_EUSAGE, "docket_export_status: OUT, REPO and DOC are required");
	if (opts && (error = docket_options_check(opts->version, DOCKET_EXPORT_OPTIONS_VERSION, "docket_export_options",
	                                          "DOCKET_EXPORT_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_doc_load(&doc, repo, id, o->rev)) < 0 || (error = docket_config_load(&cfg, repo, o->rev)) < 0)
		goto cleanup;
	if (!(have = incoming_facts_of(&f, doc))) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is not an incoming document: status messages are about "
		                         "documents received", id);
		goto cleanup;
	}
	docket_config_org(&org, cfg);
	if (!org.organ_id) {
		error = docket_error_set(DOCKET_EINVALID, "the organisation has no exchange id (edXML OrganId): set it "
		                         "with 'docket org set --organ-id ID'");
		goto cleanup;
	}
	root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	state = docket_doc_state(doc) ? docket_doc_state(doc) : "received";
	/* the last status reached (a recalled document keeps the one it had reached) */
	if (status == DOCKET_EDXML_STATUS_LATEST)
		status = step_into(root, "done") ? DOCKET_EDXML_STATUS_DONE :
		         step_into(root, "assigned") ? DOCKET_EDXML_STATUS_ASSIGNED : DOCKET_EDXML_STATUS_RECEIVED;
	switch (status) {
	case DOCKET_EDXML_STATUS_ARRIVED:
		desc = "arrived";
		break;
	case DOCKET_EDXML_STATUS_RECEIVED:
		desc = "received";
		break;
	case DOCKET_EDXML_STATUS_ASSIGNED:
		desc = "assigned";
		if (!(step = step_into(root, "assigned"))) {
			error = docket_error_set(DOCKET_EDENIED, "'%s' has not been assigned for handling yet (state '%s')",
			                         id, state);
			goto cleanup;
		}
		unit = docket_attr(step, "unit");
		due = docket_attr(step, "due");
		break;
	case DOCKET_EDXML_STATUS_DONE:
		desc = "done";
		if (!(step = step_into(root, "done"))) {
			error = docket_error_set(DOCKET_EDENIED, "'%s' is not done yet (state '%s')", id, state);
			goto cleanup;
		}
		break;
	default:
		error = docket_error_set(DOCKET_EUSAGE, "unknown status %d (arrived 1, received 3, assigned 4, done 6)",
		                         (int)status);
		goto cleanup;
	}
	when = step ? docket_attr(step, "date") : docket_strdup(f.arrival_time);
	snprintf(code, sizeof(code), "%02d", (int)status);
	if (docket_buf_puts(&b, envelope_open) < 0 || docket_buf_puts(&b, "    <edXML:Status>\n") < 0 ||
	    response_for(&b, "      ", "ResponseFor", f.organ_id, f.code, f.date, f.document_id) < 0 ||
	    organization(&b, "      ", "From", org.organ_id, org.parent, org.name) < 0 ||
	    el(&b, "      ", "StatusCode", code) < 0 || el(&b, "      ", "Description", desc) < 0 ||
	    el(&b, "      ", "Timestamp", when) < 0)
		goto oom;
	if (unit) {
		docket_unit u;
		const char *uname = docket_config_unit(&u, cfg, unit) == 0 && u.name ? u.name : unit;
		docket_error_clear();
		if (docket_buf_puts(&b, "      <edXML:StaffInfo>\n") < 0 || el(&b, "        ", "Department", uname) < 0 ||
		    el(&b, "        ", "DueDate", due) < 0 || docket_buf_puts(&b, "      </edXML:StaffInfo>\n") < 0)
			goto oom;
	}
	if (docket_buf_puts(&b, "    </edXML:Status>\n") < 0 || trace(&b, org.organ_id, when) < 0 ||
	    docket_buf_puts(&b, "  </edXML:edXMLHeader>\n  <edXML:edXMLBody/>\n</edXML:edXMLEnvelope>\n") < 0)
		goto oom;
	if ((error = validate_text(b.ptr, b.len, "status")) < 0)
		goto cleanup;
	if (out_len)
		*out_len = b.len;
	*out = docket_buf_detach(&b, NULL);
	error = 0;
	goto cleanup;
oom:
	error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	if (have)
		facts_free(&f);
	docket_buf_free(&b);
	docket_config_free(cfg);
	docket_doc_free(doc);
	free(when);
	free(unit);
	free(due);
	return error;
}

/* --- the original, as it arrived -------------------------------------------------------------- */

/* Decode carried element N and check its digest; the bytes into *OUT. */
static int carried_bytes(char **out, size_t *out_len, xmlNodePtr n, const char *what)
{
	char *text = docket_xml_text(n), *want = docket_attr(n, "sha256"), *got = NULL;
	unsigned char *bin = NULL, md[32];
	size_t len = 0;
	int error;

	*out = NULL;
	if (!text || !want) {
		error = docket_error_set(DOCKET_EINVALID, "%s: no content or no digest", what);
		goto cleanup;
	}
	if ((error = docket_base64_decode(&bin, &len, text)) < 0 || (error = sha256(md, (const char *)bin, len)) < 0)
		goto cleanup;
	if (!(got = docket_hex(md, 32))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (strcmp(got, want) != 0) {
		error = docket_error_set(DOCKET_EVERIFY, "%s: its SHA-256 is %s, the register says %s: it was changed "
		                         "after it arrived", what, got, want);
		goto cleanup;
	}
	if (!(*out = docket_strndup((const char *)bin, len))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (out_len)
		*out_len = len;
	error = 0;
cleanup:
	free(text);
	free(want);
	free(got);
	free(bin);
	return error;
}

int docket_incoming_original(char **out, size_t *out_len, docket_repo *repo, const char *id, const char *annex,
                             const char *rev)
{
	docket_doc *doc = NULL;
	xmlNodePtr root, in, n;
	int error;

	if (out)
		*out = NULL;
	if (!out || !repo || !id)
		return docket_error_set(DOCKET_EUSAGE, "docket_incoming_original: OUT, REPO and DOC are required");
	if ((error = docket_doc_load(&doc, repo, id, rev)) < 0)
		return error;
	root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if (strcmp(docket_doc_kind(doc), "incoming") != 0 || !(in = D(root, "content/incoming"))) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is not an incoming document", id);
		goto cleanup;
	}
	if (!annex) {
		error = carried_bytes(out, out_len, D(in, "original"), id);
		goto cleanup;
	}
	for (n = D(in, "annex"); n; n = docket_xml_next(n)) {
		char *name = docket_attr(n, "name");
		int match = name && strcmp(name, annex) == 0;
		free(name);
		if (match) {
			error = carried_bytes(out, out_len, n, annex);
			goto cleanup;
		}
	}
	error = docket_error_set(DOCKET_ENOTFOUND, "'%s' has no annex '%s'", id, annex);
cleanup:
	docket_doc_free(doc);
	return error;
}

/* --- receive ---------------------------------------------------------------------------------- */

void docket_receive_result_free(docket_receive_result *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->path);
	free(r->number);
	free(r->time);
	free(r->sender);
	free(r->sender_organ_id);
	free(r->external);
	free(r->code);
	free(r->date);
	free(r->sigs_note);
	free(r->reason);
	for (size_t i = 0; i < r->nsigs; i++) {
		free(r->sigs[i].id);
		free(r->sigs[i].signer);
		free(r->sigs[i].time);
		free(r->sigs[i].meaning);
		free(r->sigs[i].problem);
	}
	free(r->sigs);
	docket_findings_free(r->findings);
	memset(r, 0, sizeof(*r));
}

typedef struct {
	char *name, *type, *b64, *hex;
	char *bytes;
	size_t len;
} attachment;

typedef struct {
	docket_receive_result *out;
	const docket_receive_options *opts;
	const char *name;
	xmlDocPtr record;          /* the incoming document without its id and number */
	xmlNodePtr arrival;        /* its content/incoming/arrival */
	char *year;                /* the arrival year */
	char *unit;                /* the clerk's unit: the folder it is filed in */
	char *organ_id, *code, *date;
	/* filled in the transaction: a receipt of the same document, the year's highest number */
	char *dup;
	unsigned long max;
} receive_ctx;

typedef struct {
	receive_ctx *c;
	docket_repo *repo;
	const char *rev;
	int error;
} scan_state;

static int scan_one(const char *path, void *payload)
{
	scan_state *s = payload;
	receive_ctx *c = s->c;
	char *buf = NULL;
	size_t len = 0;
	docket_doc *doc = NULL;
	incoming_facts f;
	int have = 0;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	if ((s->error = docket_repo_read(&buf, &len, s->repo, s->rev, path)) < 0)
		return 1;
	/* a file the audit would flag anyway is no receipt: skip it */
	if (docket_doc_parse(&doc, buf, len, path) == 0 && (have = incoming_facts_of(&f, doc))) {
		if (f.organ_id && f.code && f.date && strcmp(f.organ_id, c->organ_id) == 0 &&
		    strcmp(f.code, c->code) == 0 && strcmp(f.date, c->date) == 0 && !c->dup) {
			docket_buf b = DOCKET_BUF_INIT;
			docket_buf_printf(&b, "%s (arrival number %s/%s)", docket_doc_id(doc), f.number ? f.number : "?",
			                  f.year ? f.year : "?");
			c->dup = docket_buf_detach(&b, NULL);
			docket_buf_free(&b);
		}
		if (f.year && f.number && strcmp(f.year, c->year) == 0) {
			unsigned long v = strtoul(f.number, NULL, 10);
			if (v > c->max)
				c->max = v;
		}
	}
	docket_error_clear();
	if (have)
		facts_free(&f);
	docket_doc_free(doc);
	free(buf);
	return 0;
}

static int receive_fill(docket_txn *txn, void *payload)
{
	receive_ctx *c = payload;
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn)[0] ? docket_txn_base(txn) : NULL;
	scan_state s = { c, repo, base, 0 };
	docket_config *cfg = NULL;
	docket_schema *schema = NULL;
	docket_doc *doc = NULL;
	docket_buf id = DOCKET_BUF_INIT, path = DOCKET_BUF_INIT, msg = DOCKET_BUF_INIT;
	xmlChar *mem = NULL;
	int size = 0, error;
	char number[24], *existing = NULL;

	free(c->dup);
	c->dup = NULL;
	c->max = 0;
	/*
	 * A receipt of this document arrived no earlier than the year it is dated, and the
	 * numbers run per arrival year: only those years' registers are read, every receipt in
	 * them parsed (a busy office registers a few thousand a year).
	 */
	{
		int from = atoi(c->date), to = atoi(c->year);
		if (from < 1900 || from > to)
			from = to;
		for (int y = from; base && y <= to; y++) {
			char prefix[64];
			snprintf(prefix, sizeof(prefix), "documents/incoming/%04d/", y);
			if ((error = docket_repo_walk(repo, base, prefix, scan_one, &s)) < 0 && error != DOCKET_ENOTFOUND)
				goto cleanup;
			if (s.error < 0)
				break;
		}
	}
	docket_error_clear();
	if (s.error < 0) {
		error = s.error;
		goto cleanup;
	}
	if (c->dup) {
		error = docket_error_set(DOCKET_EEXISTS, "this document was received already: %s %s of %s is %s",
		                         c->organ_id, c->code, c->date, c->dup);
		goto cleanup;
	}
	snprintf(number, sizeof(number), "%02lu", c->max + 1);
	if (docket_buf_printf(&id, "den-%s-%s", c->year, number) < 0 ||
	    docket_buf_printf(&path, "documents/incoming/%s/%s/%s.xml", c->year, c->unit, id.ptr) < 0) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if ((error = docket_doc_find(&existing, repo, id.ptr, base)) == 0) {
		error = docket_error_set(DOCKET_EEXISTS, "a document with the id '%s' exists already at %s", id.ptr, existing);
		goto cleanup;
	}
	if (error != DOCKET_ENOTFOUND)
		goto cleanup;
	docket_error_clear();
	if (!xmlSetProp(xmlDocGetRootElement(c->record), (const xmlChar *)"id", (const xmlChar *)id.ptr) ||
	    !xmlSetProp(c->arrival, (const xmlChar *)"number", (const xmlChar *)number)) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	xmlDocDumpMemoryEnc(c->record, &mem, &size, "UTF-8");
	if (!mem) {
		error = docket_error_set(DOCKET_ERROR, "cannot serialise the incoming document");
		goto cleanup;
	}
	/* what is committed must validate by the schemas and rules in force */
	if ((error = docket_doc_parse(&doc, (const char *)mem, (size_t)size, path.ptr)) < 0 ||
	    (error = docket_schema_load(&schema, repo, base)) < 0)
		goto cleanup;
	docket_findings_free(c->out->findings);
	c->out->findings = NULL;
	if ((error = docket_findings_new(&c->out->findings)) < 0 ||
	    (error = docket_validate(c->out->findings, schema, doc, repo, base)) < 0)
		goto cleanup;
	if (docket_findings_count(c->out->findings)) {
		error = docket_error_set(DOCKET_EINVALID, "the incoming document made of '%s' would not be valid "
		                         "(a repository made before incoming documents has no schema for them)", c->name);
		goto cleanup;
	}
	if ((error = docket_config_load(&cfg, repo, base)) < 0)
		goto cleanup;
	{
		char what[128];
		snprintf(what, sizeof(what), "receive '%s'", id.ptr);
		if ((error = docket_commit_signing_check(repo, cfg, c->opts->actor, NULL, NULL, what)) < 0)
			goto cleanup;
	}
	if ((error = docket_txn_write(txn, path.ptr, (const char *)mem, (size_t)size)) < 0)
		goto cleanup;
	if (docket_buf_printf(&msg, "docket: receive %s (%s %s of %s)\n\nDocket-Document: %s\nDocket-Action: add\n"
	                      "Docket-Actor: %s\n", id.ptr, c->organ_id, c->code, c->date, id.ptr, c->opts->actor) < 0) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if ((error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
	free(c->out->id);
	free(c->out->path);
	free(c->out->number);
	c->out->id = docket_buf_detach(&id, NULL);
	c->out->path = docket_buf_detach(&path, NULL);
	c->out->number = docket_strdup(number);
	error = 0;
cleanup:
	xmlFree(mem);
	free(existing);
	docket_buf_free(&id);
	docket_buf_free(&path);
	docket_buf_free(&msg);
	docket_config_free(cfg);
	docket_schema_free(schema);
	docket_doc_free(doc);
	return error;
}

/* A new child NAME of PARENT with TEXT (may be NULL), after an indentation. */
static xmlNodePtr add_child(xmlNodePtr parent, const char *indent, const char *name, const char *text)
{
	xmlAddChild(parent, xmlNewText((const xmlChar *)indent));
	return xmlNewTextChild(parent, parent->ns, (const xmlChar *)name, (const xmlChar *)text);
}

static xmlNodePtr add_carried(xmlNodePtr parent, const char *element, const attachment *a)
{
	xmlNodePtr n = add_child(parent, "\n      ", element, a->b64);
	if (n && (!xmlSetProp(n, (const xmlChar *)"name", (const xmlChar *)a->name) ||
	          !xmlSetProp(n, (const xmlChar *)"mediaType", (const xmlChar *)a->type) ||
	          !xmlSetProp(n, (const xmlChar *)"sha256", (const xmlChar *)a->hex)))
		return NULL;
	return n;
}

/*
 * The incoming document: the sender's header (its drafter replaced by the clerk who
 * registers it; the references to the sender's units and documents dropped) and
 * content/incoming with the register entry and the files as they arrived.
 */
static int build_record(receive_ctx *c, docket_doc *sent, const docket_person *clerk, const char *time,
                        const char *priority, const char *deadline, const char *document_id,
                        const attachment *att, size_t natt)
{
	xmlDocPtr rec = NULL;
	xmlNodePtr root, header, n, content, in, x;
	xmlNsPtr ns;
	int error = DOCKET_ERROR;

	if (!(rec = xmlNewDoc((const xmlChar *)"1.0")) ||
	    !(root = xmlNewNode(NULL, (const xmlChar *)"document")) ||
	    !(ns = xmlNewNs(root, (const xmlChar *)DOCKET_NS, NULL)))
		goto cleanup;
	xmlSetNs(root, ns);
	xmlDocSetRootElement(rec, root);
	if (!xmlSetProp(root, (const xmlChar *)"id", (const xmlChar *)"den") ||
	    !xmlSetProp(root, (const xmlChar *)"kind", (const xmlChar *)"incoming"))
		goto cleanup;
	xmlAddChild(root, xmlNewText((const xmlChar *)"\n  "));
	if (!(header = xmlDocCopyNode(D(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(sent)), "header"), rec, 1)))
		goto cleanup;
	xmlAddChild(root, header);
	xmlReconciliateNs(rec, header);
	/* references into the sender's repository mean nothing here */
	for (n = D(header, "recipients/recipient"); n; n = docket_xml_next(n))
		xmlUnsetProp(n, (const xmlChar *)"unit");
	for (n = D(header, "bases/basis"); n; n = docket_xml_next(n))
		xmlUnsetProp(n, (const xmlChar *)"ref");
	if ((n = D(header, "signer/authorisation")) != NULL)
		xmlUnsetProp(n, (const xmlChar *)"ref");
	if ((n = D(header, "drafter")) != NULL) {
		if (!xmlSetProp(n, (const xmlChar *)"unit", (const xmlChar *)clerk->unit) ||
		    !xmlSetProp(n, (const xmlChar *)"person", (const xmlChar *)clerk->id))
			goto cleanup;
	} else {
		/* the drafter comes after addressees and before signer */
		xmlNodePtr after = NULL;
		static const char *const before[] = { "addressees", "bases", "marks", "subject" };
		for (size_t i = 0; i < 4 && !after; i++)
			after = D(header, before[i]);
		if (!(n = xmlNewNode(header->ns, (const xmlChar *)"drafter")) ||
		    !xmlSetProp(n, (const xmlChar *)"unit", (const xmlChar *)clerk->unit) ||
		    !xmlSetProp(n, (const xmlChar *)"person", (const xmlChar *)clerk->id))
			goto cleanup;
		if (after)
			xmlAddNextSibling(after, n);
		else
			xmlAddChild(header, n);
	}
	xmlAddChild(root, xmlNewText((const xmlChar *)"\n  "));
	if (!(content = xmlNewChild(root, ns, (const xmlChar *)"content", NULL)) ||
	    !xmlSetProp(content, (const xmlChar *)"Id", (const xmlChar *)"content"))
		goto cleanup;
	if (!(in = add_child(content, "\n    ", "incoming", NULL)))
		goto cleanup;
	if (!(x = add_child(in, "\n      ", "arrival", NULL)) || !xmlSetProp(x, (const xmlChar *)"number", (const xmlChar *)"01") ||
	    !xmlSetProp(x, (const xmlChar *)"year", (const xmlChar *)c->year) ||
	    !xmlSetProp(x, (const xmlChar *)"time", (const xmlChar *)time) ||
	    !xmlSetProp(x, (const xmlChar *)"clerk", (const xmlChar *)clerk->id))
		goto cleanup;
	c->arrival = x;
	if (!(x = add_child(in, "\n      ", "sender", NULL)) ||
	    !xmlSetProp(x, (const xmlChar *)"organId", (const xmlChar *)c->organ_id) ||
	    !xmlSetProp(x, (const xmlChar *)"name", (const xmlChar *)c->out->sender) ||
	    (c->out->external && !xmlSetProp(x, (const xmlChar *)"external", (const xmlChar *)c->out->external)))
		goto cleanup;
	if (!add_child(in, "\n      ", "code", c->code) || !add_child(in, "\n      ", "date", c->date) ||
	    !add_child(in, "\n      ", "urgency", urgency_of(priority ? atoi(priority) : 0)) ||
	    (deadline && !add_child(in, "\n      ", "deadline", deadline)) ||
	    !add_child(in, "\n      ", "documentId", document_id))
		goto cleanup;
	for (size_t i = 0; i < natt; i++)
		if (!add_carried(in, i == 0 ? "original" : "annex", &att[i]))
			goto cleanup;
	xmlAddChild(in, xmlNewText((const xmlChar *)"\n    "));
	xmlAddChild(content, xmlNewText((const xmlChar *)"\n  "));
	xmlAddChild(root, xmlNewText((const xmlChar *)"\n"));
	c->record = rec;
	rec = NULL;
	error = 0;
cleanup:
	if (error)
		docket_error_set(DOCKET_ERROR, "out of memory");
	xmlFreeDoc(rec);
	return error;
}

/* The signatures of SENT against the CA PEM (written to a private temporary file). */
static int verify_sender(docket_receive_result *out, docket_doc *sent, const char *ca)
{
	const char *tmpdir = getenv("TMPDIR");
	char tmp[4096];
	docket_sig_result *res = NULL;
	size_t n = 0;
	int fd, error;

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s/docket-ca-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp") >= sizeof(tmp) ||
	    (fd = mkstemp(tmp)) < 0)
		return docket_error_set(DOCKET_ERROR, "cannot create a temporary file for the sender's CA");
	error = write(fd, ca, strlen(ca)) == (ssize_t)strlen(ca) ? 0 : docket_error_set(DOCKET_ERROR, "cannot write %s", tmp);
	close(fd);
	if (!error) {
		error = docket_xmldsig_verify(&res, &n, sent, tmp);
		if (error == DOCKET_EVERIFY)
			error = 0;
		docket_error_clear();
	}
	unlink(tmp);
	if (error < 0) {
		out->sigs_checked = 0;
		out->sigs_note = docket_strdup(docket_error_last());
		docket_error_clear();
		return 0;
	}
	out->sigs_checked = 1;
	if (n && !(out->sigs = calloc(n, sizeof(*out->sigs)))) {
		docket_sig_results_free(res, n);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	out->nsigs = n;
	for (size_t i = 0; i < n; i++) {
		const char *hash = res[i].commitment ? strrchr(res[i].commitment, '#') : NULL;
		out->sigs[i].id = docket_strdup(res[i].id);
		out->sigs[i].ok = res[i].status == DOCKET_SIG_OK;
		out->sigs[i].signer = res[i].signer ? docket_strdup(res[i].signer) : NULL;
		out->sigs[i].time = res[i].signing_time_text ? docket_strdup(res[i].signing_time_text) : NULL;
		out->sigs[i].meaning = hash ? docket_strdup(hash + 1) : res[i].commitment ? docket_strdup(res[i].commitment) : NULL;
		out->sigs[i].problem = res[i].reason ? docket_strdup(res[i].reason) : NULL;
	}
	docket_sig_results_free(res, n);
	return 0;
}

/*
 * The envelope MH recalls SENT, received before: SENT must say so itself (its workflow ends
 * in 'recalled', a step its signatures cover) - the envelope's header alone is no proof - and
 * the incoming document of it takes 'recall' with the sender's reason.
 */
static int apply_recall(docket_receive_result *out, docket_repo *repo, receive_ctx *c, xmlNodePtr mh,
                        docket_doc *sent, const char *now)
{
	docket_action_options act = DOCKET_ACTION_OPTIONS_INIT;
	docket_action_result res;
	docket_buf msg = DOCKET_BUF_INIT;
	char tip[41];
	scan_state s = { c, repo, tip, 0 };
	char *why = text_at(mh, DOCKET_EDXML_NS, "Business/BusinessDocReason");
	const char *state = docket_doc_state(sent);
	int error;

	memset(&res, 0, sizeof(res));
	if (!state || strcmp(state, "recalled") != 0) {
		error = docket_error_set(DOCKET_EVERIFY, "%s recalls %s of %s (edXML business operation 1) but the "
		                         "document it carries is not recalled (state '%s')", c->name, c->code, c->date,
		                         state ? state : "none");
		goto cleanup;
	}
	if ((error = docket_repo_resolve(tip, repo, NULL)) < 0)
		goto cleanup;
	/* every register from the document's date to now may hold its receipt */
	for (int y = atoi(c->date); y <= atoi(c->year) && y >= 1900; y++) {
		char prefix[64];
		snprintf(prefix, sizeof(prefix), "documents/incoming/%04d/", y);
		if ((error = docket_repo_walk(repo, tip, prefix, scan_one, &s)) < 0 && error != DOCKET_ENOTFOUND)
			goto cleanup;
		if (s.error < 0) {
			error = s.error;
			goto cleanup;
		}
	}
	docket_error_clear();
	if (!c->dup) {
		error = docket_error_set(DOCKET_ENOTFOUND, "%s recalls %s %s of %s, which was never received here",
		                         c->name, c->organ_id, c->code, c->date);
		goto cleanup;
	}
	/* c->dup reads "ID (arrival number N/YEAR)" */
	c->dup[strcspn(c->dup, " ")] = '\0';
	if (docket_buf_printf(&msg, "recalled by the sender%s%s", why && *why ? ": " : "", why && *why ? why : "") < 0) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	act.doc = c->dup;
	act.transition = "recall";
	act.actor = c->opts->actor;
	act.message = msg.ptr;
	act.now = now;
	if ((error = docket_action_run(&res, repo, &act)) < 0)
		goto cleanup;
	memcpy(out->commit, res.commit, sizeof(out->commit));
	out->recalled = 1;
	out->id = docket_strdup(c->dup);
	out->path = res.path ? docket_strdup(res.path) : NULL;
	out->reason = docket_buf_detach(&msg, NULL);
	if (!out->id || !out->reason) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	docket_findings_free(out->findings);
	out->findings = NULL;
	out->year = atoi(c->year);
	out->sender_organ_id = c->organ_id;
	c->organ_id = NULL;
	out->code = c->code;
	c->code = NULL;
	out->date = c->date;
	c->date = NULL;
cleanup:
	docket_action_result_free(&res);
	docket_buf_free(&msg);
	free(why);
	return error;
}

int docket_receive(docket_receive_result *out, docket_repo *repo, const char *buf, size_t len,
                   const docket_receive_options *opts)
{
	receive_ctx c;
	docket_config *cfg = NULL;
	docket_person clerk;
	docket_org org;
	docket_external ext;
	docket_doc *sent = NULL;
	xmlDocPtr env = NULL;
	xmlNodePtr root, mh, a;
	attachment *att = NULL;
	size_t natt = 0, i;
	char *number = NULL, *notation = NULL, *priority = NULL, *appendixes = NULL, *deadline = NULL;
	char *document_id = NULL, *now = NULL, *dnum = NULL, *dnota = NULL, *ddate = NULL;
	int error, recall = 0;

	memset(&c, 0, sizeof(c));
	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_receive: OUT is required");
	memset(out, 0, sizeof(*out));
	if (!repo || !buf || !opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_receive: REPO, BUF and OPTS are required");
	if ((error = docket_options_check(opts->version, DOCKET_RECEIVE_OPTIONS_VERSION, "docket_receive_options",
	                                  "DOCKET_RECEIVE_OPTIONS_INIT")) < 0)
		return error;
	c.out = out;
	c.opts = opts;
	c.name = opts->name ? opts->name : "envelope";
	if (!opts->actor) {
		error = docket_error_set(DOCKET_EUSAGE, "who registers it? give --as CLERK or set DOCKET_ACTOR");
		goto cleanup;
	}
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0)
		goto cleanup;
	if (docket_config_person(&clerk, cfg, opts->actor) < 0 || !docket_person_has_role(&clerk, "clerk")) {
		docket_error_clear();
		error = docket_error_set(DOCKET_EDENIED, "'%s' may not register incoming documents: the records office's "
		                         "clerk role is required", opts->actor);
		goto cleanup;
	}
	/* the envelope is untrusted: the safe parser (no DTD, no entities, no network, limits) */
	if ((error = docket_xml_parse(&env, buf, len, c.name)) < 0) {
		error = error == DOCKET_ERROR ? error : DOCKET_EINVALID;
		goto cleanup;
	}
	root = xmlDocGetRootElement(env);
	if (!docket_xml_is(root, DOCKET_EDXML_NS, "edXMLEnvelope")) {
		error = docket_error_set(DOCKET_EINVALID, "%s: not an edXML envelope (the root must be {%s}edXMLEnvelope)",
		                         c.name, DOCKET_EDXML_NS);
		goto cleanup;
	}
	if ((error = docket_findings_new(&out->findings)) < 0 || (error = check_envelope(out->findings, env, c.name)) < 0)
		goto cleanup;
	if (docket_findings_count(out->findings)) {
		error = docket_error_set(DOCKET_EINVALID, "%s is not a valid edXML envelope", c.name);
		goto cleanup;
	}
	if (!(mh = E(root, "edXMLHeader/MessageHeader"))) {
		error = docket_error_set(DOCKET_EINVALID, "%s is a status message, not a document: nothing to register",
		                         c.name);
		goto cleanup;
	}
	{
		/* a recall names a document sent before: it is news about that one, not a new one */
		char *op = text_at(mh, DOCKET_EDXML_NS, "Business/BusinessDocType");
		recall = op && strcmp(op, "1") == 0;
		free(op);
	}
	c.organ_id = text_at(mh, DOCKET_EDXML_NS, "From/OrganId");
	out->sender = text_at(mh, DOCKET_EDXML_NS, "From/OrganName");
	number = text_at(mh, DOCKET_EDXML_NS, "Code/CodeNumber");
	notation = text_at(mh, DOCKET_EDXML_NS, "Code/CodeNotation");
	c.date = text_at(mh, DOCKET_EDXML_NS, "PromulgationInfo/PromulgationDate");
	priority = text_at(mh, DOCKET_EDXML_NS, "OtherInfo/Priority");
	appendixes = text_at(mh, DOCKET_EDXML_NS, "OtherInfo/Appendixes");
	deadline = text_at(mh, DOCKET_EDXML_NS, "DueDate");
	document_id = text_at(mh, DOCKET_EDXML_NS, "DocumentId");
	if (!c.organ_id || !out->sender || !number || !notation || !c.date || !document_id) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (!*number || !*notation) {
		error = docket_error_set(DOCKET_EINVALID, "%s: the document has no number/notation (Code): only issued "
		                         "documents are exchanged", c.name);
		goto cleanup;
	}
	{
		docket_buf b = DOCKET_BUF_INIT;
		if (docket_buf_printf(&b, "%s/%s", number, notation) < 0) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		c.code = docket_buf_detach(&b, NULL);
	}
	docket_config_org(&org, cfg);
	if (org.organ_id && strcmp(org.organ_id, c.organ_id) == 0) {
		error = docket_error_set(DOCKET_EINVALID, "%s comes from this organisation itself (%s)", c.name, c.organ_id);
		goto cleanup;
	}

	/* every attachment: its bytes must be what its digest says */
	for (a = E(root, "edXMLBody/AttachmentEncoded/Attachment"); a; a = docket_xml_next(a))
		natt++;
	if (natt && !(att = calloc(natt, sizeof(*att)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0, a = E(root, "edXMLBody/AttachmentEncoded/Attachment"); a; a = docket_xml_next(a), i++) {
		char *desc = docket_attr(a, "Description"), *dv = docket_attr(a, "DigestValue");
		unsigned char md[32], *bin = NULL, *want = NULL;
		size_t blen = 0, wlen = 0;
		att[i].name = docket_attr(a, "AttachmentName");
		att[i].type = docket_attr(a, "ContentType");
		att[i].b64 = docket_xml_text(a);
		error = !att[i].name || !att[i].type || !att[i].b64 || !desc || !dv ?
		        docket_error_set(DOCKET_ERROR, "out of memory") : 0;
		if (!error && (strcmp(desc, "document") == 0) != (i == 0))
			error = docket_error_set(DOCKET_EINVALID, "%s: the document must be the first attachment and the only "
			                         "one described 'document' (attachment %zu, '%s', is '%s')", c.name, i + 1,
			                         att[i].name, desc);
		if (!error && (docket_base64_decode(&bin, &blen, att[i].b64) < 0 || docket_base64_decode(&want, &wlen, dv) < 0))
			error = docket_error_set(DOCKET_EINVALID, "%s: attachment '%s' is not base64", c.name, att[i].name);
		if (!error && (error = sha256(md, (const char *)bin, blen)) == 0 && (wlen != 32 || memcmp(md, want, 32) != 0))
			error = docket_error_set(DOCKET_EVERIFY, "%s: attachment '%s' does not match its digest (SHA-256 %s): "
			                         "it was changed after it was sent", c.name, att[i].name, dv);
		if (!error && !(att[i].hex = docket_hex(md, 32)))
			error = docket_error_set(DOCKET_ERROR, "out of memory");
		if (!error) {
			att[i].bytes = (char *)bin;
			att[i].len = blen;
			bin = NULL;
			/* the record keeps the base64 as one line, whatever the sender's wrapping */
			free(att[i].b64);
			if (docket_base64_encode(&att[i].b64, (const unsigned char *)att[i].bytes, att[i].len) < 0)
				error = DOCKET_ERROR;
		}
		free(bin);
		free(want);
		free(desc);
		free(dv);
		if (error)
			goto cleanup;
	}
	if (natt == 0) {
		error = docket_error_set(DOCKET_EINVALID, "%s carries no document (no attachment)", c.name);
		goto cleanup;
	}
	if (!appendixes || strtoul(appendixes, NULL, 10) != natt - 1) {
		error = docket_error_set(DOCKET_EVERIFY, "%s: the header announces %s annex%s (Appendixes) but %zu %s "
		                         "carried: an annex was added or removed", c.name, appendixes ? appendixes : "no",
		                         appendixes && strcmp(appendixes, "1") == 0 ? "" : "es", natt - 1,
		                         natt - 1 == 1 ? "is" : "are");
		goto cleanup;
	}
	out->annexes = natt - 1;

	/* the document itself: untrusted XML again, and its header must be the envelope's */
	if ((error = docket_doc_parse(&sent, att[0].bytes, att[0].len, att[0].name)) < 0) {
		error = docket_error_set(DOCKET_EINVALID, "%s: the attached document '%s' is not a docket document "
		                         "(%s); only docket documents can be registered so far", c.name, att[0].name,
		                         docket_error_last());
		goto cleanup;
	}
	{
		xmlNodePtr sroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(sent));
		dnum = text_at(sroot, DOCKET_NS, "header/code/number");
		dnota = text_at(sroot, DOCKET_NS, "header/code/notation");
		ddate = text_at(sroot, DOCKET_NS, "header/date");
		if (!dnum || !dnota || !ddate || strcmp(dnum, number) || strcmp(dnota, notation) || strcmp(ddate, c.date)) {
			error = docket_error_set(DOCKET_EVERIFY, "%s: the envelope says %s of %s but the document it carries "
			                         "is %s/%s of %s", c.name, c.code, c.date, dnum ? dnum : "", dnota ? dnota : "",
			                         ddate ? ddate : "no date");
			goto cleanup;
		}
		/* the annexes carried must be the ones the document's (signed) content lists */
		{
			size_t listed = 0;
			for (xmlNodePtr an = D(sroot, "content/annexes/annex"); an; an = docket_xml_next(an), listed++) {
				char *aname = docket_attr(an, "name"), *asha = docket_attr(an, "sha256");
				size_t k;
				for (k = 1; k < natt && !(aname && strcmp(att[k].name, aname) == 0); k++)
					;
				if (k == natt)
					error = docket_error_set(DOCKET_EVERIFY, "%s: the document lists the annex '%s', which the "
					                         "envelope does not carry", c.name, aname ? aname : "");
				else if (!asha || strcmp(asha, att[k].hex) != 0)
					error = docket_error_set(DOCKET_EVERIFY, "%s: annex '%s' is not the one the document lists "
					                         "(SHA-256 %s, listed %s)", c.name, att[k].name, att[k].hex,
					                         asha ? asha : "none");
				free(aname);
				free(asha);
				if (error)
					goto cleanup;
			}
			if (listed != natt - 1) {
				error = docket_error_set(DOCKET_EVERIFY, "%s: the envelope carries %zu annex%s but the document "
				                         "lists %zu", c.name, natt - 1, natt - 1 == 1 ? "" : "es", listed);
				goto cleanup;
			}
		}
		if (strcmp(docket_doc_kind(sent), "incoming") == 0) {
			error = docket_error_set(DOCKET_EINVALID, "%s carries an incoming document's register entry, not a "
			                         "document", c.name);
			goto cleanup;
		}
	}

	/* the sender's signatures, against the CA recorded for it: reported, not required */
	if (docket_config_external_by_organ(&ext, cfg, c.organ_id) == 0) {
		out->external = docket_strdup(ext.id);
		if (!ext.ca) {
			docket_buf b = DOCKET_BUF_INIT;
			docket_buf_printf(&b, "no CA is recorded for '%s': its signatures were not checked", ext.id);
			out->sigs_note = docket_buf_detach(&b, NULL);
			docket_buf_free(&b);
		} else if ((error = verify_sender(out, sent, ext.ca)) < 0) {
			goto cleanup;
		}
	} else {
		docket_buf b = DOCKET_BUF_INIT;
		docket_error_clear();
		docket_buf_printf(&b, "the sender %s is not an external organisation of the configuration: its "
		                  "signatures were not checked (see 'docket external add')", c.organ_id);
		out->sigs_note = docket_buf_detach(&b, NULL);
		docket_buf_free(&b);
	}

	if (!(now = opts->now ? docket_strdup(opts->now) : docket_time_now_iso())) {
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (!(c.year = docket_strndup(now, 4)) || !(c.unit = docket_strdup(clerk.unit))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (recall) {
		error = apply_recall(out, repo, &c, mh, sent, now);
		goto cleanup;
	}
	if (!docket_unit_name_valid(c.unit)) {
		error = docket_error_set(DOCKET_EINVALID, "the clerk's unit '%s' cannot name a folder", c.unit);
		goto cleanup;
	}
	if ((error = build_record(&c, sent, &clerk, now, priority, deadline, document_id, att, natt)) < 0)
		goto cleanup;
	if ((error = docket_repo_transact(out->commit, repo, receive_fill, &c)) < 0)
		goto cleanup;
	docket_findings_free(out->findings);
	out->findings = NULL;
	out->year = atoi(c.year);
	out->time = now;
	now = NULL;
	out->sender_organ_id = c.organ_id;
	c.organ_id = NULL;
	out->code = c.code;
	c.code = NULL;
	out->date = c.date;
	c.date = NULL;
cleanup:
	for (i = 0; i < natt; i++) {
		free(att[i].name);
		free(att[i].type);
		free(att[i].b64);
		free(att[i].hex);
		free(att[i].bytes);
	}
	free(att);
	xmlFreeDoc(c.record);
	xmlFreeDoc(env);
	free(c.year);
	free(c.unit);
	free(c.organ_id);
	free(c.code);
	free(c.date);
	free(c.dup);
	free(number);
	free(notation);
	free(priority);
	free(appendixes);
	free(deadline);
	free(document_id);
	free(now);
	free(dnum);
	free(dnota);
	free(ddate);
	docket_doc_free(sent);
	docket_config_free(cfg);
	return error;
}
