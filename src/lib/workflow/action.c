/*
 * action: the workflow engine. An action reads the document, the configuration and the
 * workflow at the branch tip, checks every rule, changes the document (state, a new step,
 * side effects such as the register number) and writes it back as exactly one commit.
 * All of it runs inside a repository transaction: when another writer moves the branch
 * first, the action is rebuilt on the new tip. If the document itself changed meanwhile the
 * action is refused rather than silently applied to something the actor never read.
 */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <libxml/tree.h>
#include "workflow_internal.h"

#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

void docket_action_result_free(docket_action_result *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->path);
	free(r->from);
	free(r->to);
	free(r->number);
	docket_findings_free(r->findings);
	memset(r, 0, sizeof(*r));
}

/* YYYY-MM-DD with a month 01-12 and a day that month has (the schema judges it again). */
static int plain_date(const char *s)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10 ||
	    sscanf(s, "%4d-%2d-%2d", &y, &m, &d) != 3 || y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

/* --- units and roles ----------------------------------------------------------------------- */

static int in_recipient_unit(const docket_config *cfg, xmlNodePtr root, const char *unit)
{
	xmlNodePtr r;
	int found = 0;

	for (r = N(N(N(root, "header"), "recipients"), "recipient"); r && !found; r = docket_xml_next(r)) {
		xmlChar *u = xmlGetNoNsProp(r, (const xmlChar *)"unit");
		found = u && docket_unit_covers(cfg, unit, (const char *)u);
		xmlFree(u);
	}
	for (r = N(N(N(root, "content"), "task"), "assignee"); r && !found; r = docket_xml_next(r)) {
		xmlChar *u = xmlGetNoNsProp(r, (const xmlChar *)"unit");
		found = u && docket_unit_covers(cfg, unit, (const char *)u);
		xmlFree(u);
	}
	if (!found) {
		/* the unit the last assign-handler step named (an incoming document's handler) */
		xmlChar *handler = NULL;
		for (r = N(N(root, "workflow"), "step"); r; r = docket_xml_next(r)) {
			xmlChar *u = xmlGetNoNsProp(r, (const xmlChar *)"unit");
			if (u) {
				xmlFree(handler);
				handler = u;
			}
		}
		found = handler && docket_unit_covers(cfg, unit, (const char *)handler);
		xmlFree(handler);
	}
	return found;
}

static const char *scope_name(docket_scope s)
{
	return s == DOCKET_SCOPE_ORGANISATION ? "the organisation" :
	       s == DOCKET_SCOPE_RECIPIENT_UNIT ? "the recipient unit" : "the drafting unit";
}

/*
 * The role under which PERSON may take T on the document, or NULL with the reason in WHY.
 */
const char *docket_authorise(const docket_transition_def *t, const docket_person *person,
                             const docket_config *cfg, docket_doc *doc, const char *drafting_unit,
                             docket_buf *why)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	size_t i;

	for (i = 0; i < t->nallow; i++) {
		const docket_allow *a = &t->allow[i];
		if (!docket_person_has_role(person, a->role))
			continue;
		if (a->scope == DOCKET_SCOPE_ORGANISATION)
			return a->role;
		if (a->scope == DOCKET_SCOPE_DRAFTING_UNIT && docket_unit_covers(cfg, person->unit, drafting_unit))
			return a->role;
		if (a->scope == DOCKET_SCOPE_RECIPIENT_UNIT && in_recipient_unit(cfg, root, person->unit))
			return a->role;
	}
	why->len = 0;
	docket_buf_printf(why, "'%s' (unit %s, roles %s) may not %s it: it needs ", person->id,
	                  person->unit ? person->unit : "none", person->roles ? person->roles : "none", t->id);
	for (i = 0; i < t->nallow; i++)
		docket_buf_printf(why, "%srole '%s' in %s%s%s%s", i ? " or " : "", t->allow[i].role,
		                  scope_name(t->allow[i].scope),
		                  t->allow[i].scope == DOCKET_SCOPE_DRAFTING_UNIT ? " (" : "",
		                  t->allow[i].scope == DOCKET_SCOPE_DRAFTING_UNIT ?
		                  (drafting_unit ? drafting_unit : "unknown") : "",
		                  t->allow[i].scope == DOCKET_SCOPE_DRAFTING_UNIT ? ")" : "");
	return NULL;
}

/* The actor of the last step that took transition ID, or NULL. Borrowed from the tree. */
static xmlChar *last_actor_of(xmlNodePtr root, const char *id)
{
	xmlNodePtr s;
	xmlChar *actor = NULL;

	for (s = N(N(root, "workflow"), "step"); s; s = docket_xml_next(s)) {
		xmlChar *tr = xmlGetNoNsProp(s, (const xmlChar *)"transition");
		if (tr && strcmp((const char *)tr, id) == 0) {
			xmlFree(actor);
			actor = xmlGetNoNsProp(s, (const xmlChar *)"actor");
		}
		xmlFree(tr);
	}
	return actor;
}

int docket_separated(const docket_transition_def *t, xmlNodePtr root, const char *actor, docket_buf *why)
{
	for (const char *const *s = t->separate; s && *s; s++) {
		xmlChar *prev = last_actor_of(root, *s);
		int same = prev && strcmp((const char *)prev, actor) == 0;
		xmlFree(prev);
		if (same) {
			why->len = 0;
			docket_buf_printf(why, "'%s' took '%s' on this document and may not also take '%s' "
			                  "(separation of duties)", actor, *s, t->id);
			return 0;
		}
	}
	return 1;
}

/* --- changing the document ------------------------------------------------------------------ */

static void indent_before(xmlNodePtr node, const char *ws)
{
	xmlAddPrevSibling(node, xmlNewText((const xmlChar *)ws));
}

static xmlNodePtr ensure_workflow(xmlNodePtr root, const char *initial)
{
	xmlNodePtr wf = N(root, "workflow"), content;

	if (wf)
		return wf;
	if (!(wf = xmlNewNode(xmlDocGetRootElement(root->doc)->ns, (const xmlChar *)"workflow")))
		return NULL;
	if (!xmlSetProp(wf, (const xmlChar *)"state", (const xmlChar *)initial)) {
		xmlFreeNode(wf);
		return NULL;
	}
	content = N(root, "content");
	if (content) {
		xmlAddNextSibling(content, wf);
		indent_before(wf, "\n  ");
	} else {
		xmlAddChild(root, wf);
	}
	return wf;
}

/* 0, or DOCKET_ERROR when out of memory. */
static int append_step(xmlNodePtr wf, const char *date, const char *actor, const char *role,
                       const char *transition, const char *from, const char *to, const char *msg,
                       const char *unit, const char *due, const char *ref)
{
	xmlNodePtr step, last = wf->last;

	/* drop the closing indentation, append, put it back */
	if (last && last->type == XML_TEXT_NODE && xmlIsBlankNode(last)) {
		xmlUnlinkNode(last);
		xmlFreeNode(last);
	}
	xmlAddChild(wf, xmlNewText((const xmlChar *)"\n    "));
	if (!(step = xmlNewChild(wf, wf->ns, (const xmlChar *)"step", NULL)) ||
	    !xmlSetProp(step, (const xmlChar *)"date", (const xmlChar *)date) ||
	    !xmlSetProp(step, (const xmlChar *)"actor", (const xmlChar *)actor) ||
	    !xmlSetProp(step, (const xmlChar *)"role", (const xmlChar *)role) ||
	    !xmlSetProp(step, (const xmlChar *)"transition", (const xmlChar *)transition) ||
	    !xmlSetProp(step, (const xmlChar *)"from", (const xmlChar *)from) ||
	    !xmlSetProp(step, (const xmlChar *)"to", (const xmlChar *)to) ||
	    (unit && !xmlSetProp(step, (const xmlChar *)"unit", (const xmlChar *)unit)) ||
	    (due && !xmlSetProp(step, (const xmlChar *)"due", (const xmlChar *)due)) ||
	    (ref && !xmlSetProp(step, (const xmlChar *)"ref", (const xmlChar *)ref)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (msg && *msg)
		xmlNodeAddContent(step, (const xmlChar *)msg);
	xmlAddChild(wf, xmlNewText((const xmlChar *)"\n  "));
	return 0;
}

int docket_doc_take_step(xmlNodePtr root, const char *initial, const char *date, const char *actor,
                         const char *role, const char *transition, const char *from, const char *to,
                         const char *msg)
{
	xmlNodePtr wf = ensure_workflow(root, initial);

	if (!wf || !xmlSetProp(wf, (const xmlChar *)"state", (const xmlChar *)to))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return append_step(wf, date, actor, role, transition, from, to, msg, NULL, NULL, NULL);
}

/*
 * A document sent back to an editable state (a return) is no longer the text anyone signed:
 * its signatures leave the working version. They stay in the history, where the audit and
 * the log find and verify them at the commits that made them.
 */
static void drop_signatures(xmlNodePtr root)
{
	xmlNodePtr sigs = N(root, "signatures");

	if (!sigs)
		return;
	if (sigs->prev && sigs->prev->type == XML_TEXT_NODE && xmlIsBlankNode(sigs->prev)) {
		xmlNodePtr ws = sigs->prev;
		xmlUnlinkNode(ws);
		xmlFreeNode(ws);
	}
	xmlUnlinkNode(sigs);
	xmlFreeNode(sigs);
}

/* --- signing ------------------------------------------------------------------------------- */

static const char *commitment_uri(const char *meaning)
{
	if (strcmp(meaning, "ProofOfApproval") == 0)
		return DOCKET_COMMITMENT_APPROVAL;
	if (strcmp(meaning, "ProofOfOrigin") == 0)
		return DOCKET_COMMITMENT_ORIGIN;
	if (strcmp(meaning, "ProofOfReceipt") == 0)
		return DOCKET_COMMITMENT_RECEIPT;
	if (strcmp(meaning, "ProofOfCreation") == 0)
		return DOCKET_COMMITMENT_CREATION;
	return DOCKET_COMMITMENT_REVIEW;
}

/* "2021-05-11T09:30:00+07:00" as seconds since the epoch (0 when unreadable). */
static time_t parse_iso(const char *s)
{
	time_t t;
	int offset;

	return s && docket_time_parse(&t, &offset, s, DOCKET_TIME_LENIENT) == 0 ? t : 0;
}

/*
 * The role a signature claims: the signer's own, never someone else's. For an approval by the
 * person the header names as signer (by id, or by full name when it gives no id), the signer
 * block as printed ("KT. TRƯỞNG PHÒNG — PHÓ
 * TRƯỞNG PHÒNG"); for the organisation's signature at issue, the organisation; otherwise the
 * person's position in the configuration in force when signing (an approver of the
 * department signing a school's report is not its HIỆU TRƯỞNG).
 */
char *docket_signer_role(docket_doc *doc, const docket_transition_def *t, const docket_person *p,
                         const docket_config *cfg)
{
	xmlNodePtr signer = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS,
	                                    "header/signer");
	docket_buf b = DOCKET_BUF_INIT;
	char *who = signer ? docket_xml_text_trim(N(signer, "person")) : NULL;
	char *name = signer ? docket_xml_text_trim(N(signer, "fullName")) : NULL;
	/* the header names the signer by id, or (a document encoded from paper) by full name only */
	int own = signer && ((who && *who) ? strcmp(who, p->id) == 0 : name && p->name && strcmp(name, p->name) == 0);

	if (t->signature && strcmp(t->signature, "ProofOfApproval") == 0 && own) {
		/* either form of the block: "KT. TRƯỞNG PHÒNG", or its lines "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH" */
		char *competence = docket_signer_competence(signer), *pos = docket_xml_text_trim(N(signer, "position"));
		docket_buf_printf(&b, "%s", competence ? competence : "");
		if (pos && *pos)
			docket_buf_printf(&b, " \xe2\x80\x94 %s", pos);
		free(competence);
		free(pos);
	} else if (t->signature && strcmp(t->signature, "ProofOfOrigin") == 0 && t->assign_number) {
		docket_org org;
		docket_config_org(&org, cfg);
		docket_buf_printf(&b, "%s", org.name ? org.name : (p->position ? p->position : p->id));
	} else {
		docket_buf_printf(&b, "%s", p->position && *p->position ? p->position : p->id);
	}
	free(who);
	free(name);
	return docket_buf_detach(&b, NULL);
}

static int sign_document(docket_doc *doc, const docket_transition_def *t, const docket_person *p,
                         const docket_config *cfg, const docket_action_options *a, const char *now)
{
	docket_sig_props props = DOCKET_SIG_PROPS_INIT;
	X509 *cert = NULL;
	char *role = NULL, *sigid = NULL;
	int error;

	if (!a->key)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: it requires %s's signature (%s); give the key "
		                        "with DOCKET_KEY or 'docket key generate --person %s'", t->id, p->id,
		                        t->signature, p->id);
	if (!p->cert)
		return docket_error_set(DOCKET_EDENIED, "cannot %s: it requires a signature and '%s' has no "
		                        "certificate in the configuration ('docket person cert %s CERT')", t->id,
		                        p->id, p->id);
	if (!(cert = docket_cert_from_pem(p->cert, -1))) {
		error = docket_error_set(DOCKET_EINVALID, "the certificate of '%s' in the configuration is unreadable", p->id);
		goto cleanup;
	}
	props.signing_time = parse_iso(now);
	{
		/* a certificate outside its validity at the signing time makes a signature no verifier
		 * accepts: refuse now rather than commit it */
		time_t at = props.signing_time ? props.signing_time : time(NULL);
		char bound[64] = "";
		BIO *mem = BIO_new(BIO_s_mem());
		int before = X509_cmp_time(X509_get0_notBefore(cert), &at) > 0;
		int after = X509_cmp_time(X509_get0_notAfter(cert), &at) < 0;
		if ((before || after) && mem &&
		    ASN1_TIME_print(mem, before ? X509_get0_notBefore(cert) : X509_get0_notAfter(cert)) > 0)
			BIO_read(mem, bound, sizeof(bound) - 1);
		BIO_free(mem);
		if (before || after) {
			error = docket_error_set(DOCKET_EDENIED, "cannot %s: %s's certificate %s at signing time (%s %s)",
			                         t->id, p->id, before ? "not yet valid" : "expired",
			                         before ? "valid from" : "valid until", bound);
			goto cleanup;
		}
	}
	role = docket_signer_role(doc, t, p, cfg);
	props.role = role;
	props.commitment = commitment_uri(t->signature);
	props.transition = t->id;
	props.covers_header = t->assign_number;
	props.bind_step = 1;
	error = docket_xmldsig_sign_xml(&sigid, (xmlDocPtr)docket_doc_xml(doc), a->key, cert, &props);
	if (error == DOCKET_EINVALID)
		error = docket_error_set(DOCKET_EDENIED, "cannot %s: %s", t->id, docket_error_last());
cleanup:
	free(role);
	free(sigid);
	X509_free(cert);
	return error;
}

/* --- what a document must print before it is signed and issued ---------------------------- */

/*
 * In a workflow that numbers documents, the approval is the signing of the document itself
 * (Decree 30 Art. 13) and the issue sends it out: so the person the header prints as signer
 * must be the one who approves - the same person (by id, or by full name when the header
 * gives none) in the position printed (the deputy's own position under "KT."; the title
 * where no position is printed) - and at issue there must be a signer, and recipients that
 * end with the archive line "Lưu: ...". A report whose department approves it after its
 * school signed it is not such a workflow: its approval is not its signing.
 */
/* The position a signer block prints: its position line, else its title (the last line). */
static char *printed_position(xmlNodePtr signer)
{
	char *pos = docket_xml_text_trim(N(signer, "position"));
	xmlNodePtr n, last = NULL;

	if (pos && *pos)
		return pos;
	free(pos);
	if (N(signer, "title"))
		return docket_xml_text_trim(N(signer, "title"));
	for (n = N(signer, "line"); n; n = docket_xml_next(n))
		last = n;
	return last ? docket_xml_text_trim(last) : docket_strdup("");
}

/* Whether SIGNER names P: by person id when it gives one, else by full name. */
static int signer_is(xmlNodePtr signer, const docket_person *p)
{
	char *who = docket_xml_text_trim(N(signer, "person")), *name = docket_xml_text_trim(N(signer, "fullName"));
	int same = who && *who ? strcmp(who, p->id) == 0 : name && p->name && strcmp(name, p->name) == 0;

	free(who);
	free(name);
	return same;
}

int docket_signing_check(docket_doc *doc, const docket_transition_def *t, const docket_transition_def *numbering,
                         const docket_person *p, const char *id)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	xmlNodePtr header = N(root, "header"), first = N(header, "signer"), signer = NULL, r, last = NULL;
	int approval = t->signature && strcmp(t->signature, "ProofOfApproval") == 0;
	char *name = NULL, *printed = NULL, *text = NULL;
	int error = 0;

	if (!numbering || (t != numbering && !approval))
		return 0;
	if (!first) {
		return docket_error_set(DOCKET_EDENIED, "cannot %s '%s': it names no signer (header/signer): a document "
		                        "is %s with the name and position of the person who signs it", t->id, id,
		                        t == numbering ? "issued" : "approved");
	}
	if (approval) {
		/* a joint document prints several signers: the approver is one of them */
		for (signer = first; signer && !signer_is(signer, p); signer = docket_xml_next(signer))
			;
		if (!signer) {
			char *who = docket_xml_text_trim(N(first, "person"));
			name = docket_xml_text_trim(N(first, "fullName"));
			printed = printed_position(first);
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': it is printed to be signed by %s (%s), "
			                         "not by %s (%s) who approves it; the approver signs the document, so the "
			                         "signer block must name her or him", t->id, id,
			                         name && *name ? name : who && *who ? who : "nobody", printed ? printed : "",
			                         p->name ? p->name : p->id, p->id);
			free(who);
			goto done;
		}
		printed = printed_position(signer);
		if (strcmp(docket_signer_authority(signer), "KT.") == 0 && !N(signer, "position")) {
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': it is signed KT. but prints no position; "
			                         "a deputy signs in her or his own position (%s)", t->id, id,
			                         p->position ? p->position : "?");
			goto done;
		}
		if (p->position && *p->position && printed && strcmp(printed, p->position) != 0) {
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': the signer block prints the position '%s', but "
			                         "%s (%s) is '%s' in the configuration%s", t->id, id, printed,
			                         p->name ? p->name : p->id, p->id, p->position,
			                         strcmp(docket_signer_authority(signer), "KT.") == 0 ?
			                         " (signed KT., the deputy's own position)" : "");
			goto done;
		}
	}
	if (t == numbering) {
		for (r = N(N(header, "recipients"), "recipient"); r; r = docket_xml_next(r))
			last = r;
		text = last ? docket_xml_text_trim(last) : NULL;
		if (!text || strncmp(text, "L\xc6\xb0u:", 5) != 0)
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': %s; a document is issued to its recipients "
			                         "('Nơi nhận'), the last of them 'Lưu: VT, <drafting unit>'", t->id, id,
			                         !N(header, "recipients") ? "it has no recipients" :
			                         "its last recipient is not the archive line 'Lưu: ...'");
	}
done:
	free(name);
	free(printed);
	free(text);
	return error;
}

/* --- the transaction ------------------------------------------------------------------------ */

/*
 * The document a transition with a link names (--by): read in the same transaction as the
 * one it is linked from, so both are judged at the same tip. *OUT stays NULL when T links
 * nothing.
 */
static int load_linked(docket_doc **out, docket_txn *txn, const docket_transition_def *t, docket_doc *doc,
                       const docket_action_options *a)
{
	docket_repo *repo = docket_txn_repo(txn);
	docket_workflow *lwf = NULL;
	docket_buf why = DOCKET_BUF_INIT;
	char *path = NULL, *buf = NULL;
	const char *state;
	size_t len = 0;
	int error = 0;

	*out = NULL;
	if (!t->link) {
		if (a->by && *a->by)
			error = docket_error_set(DOCKET_EUSAGE, "'%s' links no document: --by is for a replacement or a "
			                         "correcting letter (replace, correct)", t->id);
		return error;
	}
	if (!a->by || !*a->by)
		return docket_error_set(DOCKET_EUSAGE, "cannot %s '%s': name %s with --by DOC", t->id,
		                        docket_doc_id(doc), strcmp(t->link, "replaces") == 0 ?
		                        "the document that replaces it" : "the letter that corrects it");
	if ((error = docket_doc_find(&path, repo, a->by, docket_txn_base(txn))) < 0) {
		if (error == DOCKET_ENOTFOUND)
			error = docket_error_set(DOCKET_ENOTFOUND, "cannot %s '%s': no document '%s'", t->id,
			                         docket_doc_id(doc), a->by);
		goto cleanup;
	}
	if ((error = docket_txn_read(&buf, &len, txn, path)) < 0 ||
	    (error = docket_doc_parse(out, buf, len, path)) < 0 ||
	    (error = docket_workflow_load(&lwf, repo, docket_txn_base(txn), docket_doc_kind(*out))) < 0)
		goto cleanup;
	state = docket_doc_state(*out) ? docket_doc_state(*out) : docket_workflow_initial(lwf);
	if (!docket_link_check(&why, doc, *out, state, t)) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': %s", t->id, docket_doc_id(doc), why.ptr);
		goto cleanup;
	}
cleanup:
	if (error < 0) {
		docket_doc_free(*out);
		*out = NULL;
	}
	free(path);
	free(buf);
	docket_buf_free(&why);
	docket_workflow_free(lwf);
	return error;
}

typedef enum { ACT_TRANSITION, ACT_EDIT } act_kind;

typedef struct {
	act_kind kind;
	const docket_action_options *a;
	docket_action_result *out;
	char *path;          /* the document's path, from the first attempt */
	char *seen;          /* the document's content at the first attempt */
	size_t seen_len;
	const char *edit;    /* ACT_EDIT: the new content */
	size_t edit_len;
	/* ACT_EDIT of an attach: the content is the document with this annex listed */
	const char *annex_name, *annex_type, *annex_data;
	size_t annex_len;
} act_ctx;

static char *node_xml(xmlNodePtr n)
{
	xmlBufferPtr b;
	char *s;
	if (!n)
		return docket_strdup("");
	if (!(b = xmlBufferCreate()))
		return NULL;
	xmlNodeDump(b, n->doc, n, 0, 0);
	s = docket_strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	return s;
}

static int act_fill(docket_txn *txn, void *payload)
{
	act_ctx *c = payload;
	const docket_action_options *a = c->a;
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn);
	char *buf = NULL, *newbuf = NULL, *unit = NULL, *now = NULL, *state_copy = NULL;
	size_t len = 0, newlen = 0;
	docket_doc *doc = NULL, *edited = NULL, *linked = NULL;
	docket_config *cfg = NULL;
	docket_workflow *wf = NULL;
	docket_schema *schema = NULL;
	docket_person person;
	docket_buf why = DOCKET_BUF_INIT, msg = DOCKET_BUF_INIT;
	const docket_transition_def *t = NULL;
	const char *state, *role = NULL, *id;
	xmlNodePtr root;
	int error;

	if (!c->path) {
		if ((error = docket_doc_find(&c->path, repo, a->doc, base)) < 0)
			goto cleanup;
	}
	if ((error = docket_txn_read(&buf, &len, txn, c->path)) < 0) {
		if (error == DOCKET_ENOTFOUND)
			error = docket_error_set(DOCKET_ECONFLICT, "document '%s' changed since you read it (it is gone)", a->doc);
		goto cleanup;
	}
	if (!c->seen) {
		c->seen = docket_strndup(buf, len);
		c->seen_len = len;
	} else if (len != c->seen_len || memcmp(buf, c->seen, len) != 0) {
		error = docket_error_set(DOCKET_ECONFLICT, "document '%s' changed since you read it", a->doc);
		goto cleanup;
	}
	if ((error = docket_doc_parse(&doc, buf, len, c->path)) < 0)
		goto cleanup;
	id = docket_doc_id(doc);
	root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if ((error = docket_txn_actor(&cfg, &person, txn, a->actor,
	                              "who is acting? give --as PERSON or set DOCKET_ACTOR")) < 0)
		goto cleanup;
	if ((error = docket_message_check(a->message, c->kind == ACT_EDIT ? "cannot commit" : "cannot take the transition")) < 0)
		goto cleanup;
	if ((error = docket_workflow_load(&wf, repo, base, docket_doc_kind(doc))) < 0)
		goto cleanup;
	/* a copy: the state attribute is rewritten below */
	state_copy = docket_strdup(docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf));
	if (!(state = state_copy)) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (!docket_workflow_has_state(wf, state)) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is in the state '%s', which its workflow does not define",
		                         id, state);
		goto cleanup;
	}
	if (!docket_steps_lead_to_state(root, docket_workflow_initial(wf), state, &why)) {
		error = docket_error_set(DOCKET_EINVALID, "cannot %s '%s': %s; its state was not written by docket",
		                         c->kind == ACT_EDIT ? "edit" : a->transition, id, why.ptr);
		goto cleanup;
	}
	unit = docket_doc_unit_text(doc);
	docket_error_clear();
	if (!(now = a->now ? docket_strdup(a->now) : docket_time_now_iso())) {
		/* docket_now says why (a malformed $DOCKET_NOW) */
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}

	if (c->kind == ACT_EDIT) {
		char *old_wf, *new_wf, *old_sig, *new_sig;
		xmlNodePtr nroot;
		const docket_transition_def *edit_def = docket_workflow_edit(wf, state);
		const char *verb = c->annex_name ? "attach to" : "edit";
		if (!edit_def) {
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': its state '%s' is not editable "
			                         "(content may change only in a draft)", verb, id, state);
			goto cleanup;
		}
		if (!docket_authorise(edit_def, &person, cfg, doc, unit, &why)) {
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': %s", verb, id, why.ptr);
			goto cleanup;
		}
		if (c->annex_name) {
			/* the limit in force at this tip, which an administrator may have just lowered */
			char hex[65];
			if ((unsigned long long)c->annex_len > docket_config_annex_max(cfg)) {
				error = docket_error_set(DOCKET_EINVALID, "cannot attach '%s': it is %zu bytes, more than the annex "
				                         "limit of %llu bytes", c->annex_name, c->annex_len,
				                         docket_config_annex_max(cfg));
				goto cleanup;
			}
			docket_annex_digest(hex, c->annex_data, c->annex_len);
			if ((error = docket_annex_add_ref(&newbuf, &newlen, doc, c->annex_name, c->annex_type,
			                                  (unsigned long long)c->annex_len, hex)) < 0)
				goto cleanup;
			c->edit = newbuf;
			c->edit_len = newlen;
		}
		if ((error = docket_doc_parse(&edited, c->edit, c->edit_len, c->path)) < 0)
			goto cleanup;
		if (strcmp(docket_doc_id(edited) ? docket_doc_id(edited) : "", id) != 0) {
			error = docket_error_set(DOCKET_EDENIED, "cannot edit '%s': the id of a document never changes", id);
			goto cleanup;
		}
		nroot = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(edited));
		old_wf = node_xml(N(root, "workflow"));
		new_wf = node_xml(N(nroot, "workflow"));
		old_sig = node_xml(N(root, "signatures"));
		new_sig = node_xml(N(nroot, "signatures"));
		if (!old_wf || !new_wf || !old_sig || !new_sig) {
			free(old_wf);
			free(new_wf);
			free(old_sig);
			free(new_sig);
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		error = (!old_wf || !new_wf || strcmp(old_wf, new_wf) || !old_sig || !new_sig || strcmp(old_sig, new_sig));
		free(old_wf);
		free(new_wf);
		free(old_sig);
		free(new_sig);
		if (error) {
			error = docket_error_set(DOCKET_EDENIED, "cannot edit '%s': the workflow steps, state and signatures "
			                         "are written by docket only", id);
			goto cleanup;
		}
		if (!c->annex_name) {
			/* the annex list names files beside the document: it changes with them, by attach */
			char *old_ax = node_xml(N(N(root, "content"), "annexes")), *new_ax = node_xml(N(N(nroot, "content"), "annexes"));
			int same = old_ax && new_ax && strcmp(old_ax, new_ax) == 0;
			free(old_ax);
			free(new_ax);
			if (!same) {
				error = docket_error_set(DOCKET_EDENIED, "cannot edit '%s': its annex list changes only with its "
				                         "files ('docket attach')", id);
				goto cleanup;
			}
		}
		if ((error = docket_schema_load(&schema, repo, base)) < 0)
			goto cleanup;
		if ((error = docket_findings_new(&c->out->findings)) < 0 ||
		    (error = docket_validate(c->out->findings, schema, edited, repo, base)) < 0)
			goto cleanup;
		if (docket_findings_count(c->out->findings)) {
			error = docket_error_set(DOCKET_EINVALID, "cannot commit '%s': the edited document is not valid", id);
			goto cleanup;
		}
		why.len = 0;
		docket_buf_printf(&why, "%s '%s'", verb, id);
		if ((error = docket_commit_signing_check(repo, cfg, a->actor, NULL, NULL, why.ptr)) < 0)
			goto cleanup;
		if ((error = docket_txn_write(txn, c->path, c->edit, c->edit_len)) < 0)
			goto cleanup;
		if (c->annex_name) {
			docket_buf file = DOCKET_BUF_INIT;
			if ((error = docket_annex_dir(&file, c->path)) < 0 ||
			    (error = docket_buf_printf(&file, "/%s", c->annex_name)) < 0 ||
			    (error = docket_txn_write(txn, file.ptr, c->annex_data, c->annex_len)) < 0) {
				docket_buf_free(&file);
				goto cleanup;
			}
			docket_buf_free(&file);
			docket_buf_printf(&msg, "docket: attach %s to %s\n\n%s%sDocket-Document: %s\nDocket-Action: attach\n"
			                  "Docket-State: %s\nDocket-Actor: %s\nDocket-Annex: %s\n", c->annex_name, id,
			                  a->message ? a->message : "", a->message ? "\n\n" : "", id, state, a->actor,
			                  c->annex_name);
		} else
		docket_buf_printf(&msg, "docket: edit %s\n\n%s%sDocket-Document: %s\nDocket-Action: edit\n"
		                  "Docket-State: %s\nDocket-Actor: %s\n", id, a->message ? a->message : "",
		                  a->message ? "\n\n" : "", id, state, a->actor);
		if ((error = docket_txn_message(txn, msg.ptr)) < 0)
			goto cleanup;
		c->out->from = docket_strdup(state);
		c->out->to = docket_strdup(state);
		goto done;
	}

	if (!(t = docket_workflow_transition(wf, a->transition))) {
		error = docket_error_set(DOCKET_EUSAGE, "the %s workflow has no transition '%s'",
		                         docket_doc_kind(doc), a->transition);
		goto cleanup;
	}
	{
		int allowed = 0;
		for (const char *const *f = t->from; f && *f; f++)
			allowed |= strcmp(*f, state) == 0;
		if (!allowed) {
			docket_buf exp = DOCKET_BUF_INIT;
			for (const char *const *f = t->from; f && *f; f++)
				docket_buf_printf(&exp, "%s'%s'", f == t->from ? "" : " or ", *f);
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': state is '%s', expected %s",
			                         t->id, id, state, exp.ptr ? exp.ptr : "none");
			docket_buf_free(&exp);
			goto cleanup;
		}
	}
	if (!(role = docket_authorise(t, &person, cfg, doc, unit, &why))) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': %s", t->id, id, why.ptr);
		goto cleanup;
	}
	if (!docket_separated(t, root, a->actor, &why)) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': %s", t->id, id, why.ptr);
		goto cleanup;
	}
	if (t->assign_handler) {
		docket_unit hu;
		if (!a->unit || !a->due) {
			error = docket_error_set(DOCKET_EUSAGE, "cannot %s '%s': name the unit that handles it and its "
			                         "due date (--unit UNIT --due YYYY-MM-DD)", t->id, id);
			goto cleanup;
		}
		if (docket_config_unit(&hu, cfg, a->unit) < 0) {
			error = docket_error_set(DOCKET_EUSAGE, "cannot %s '%s': '%s' is not a unit of this organisation "
			                         "(see 'docket unit list')", t->id, id, a->unit);
			goto cleanup;
		}
		if (!plain_date(a->due)) {
			error = docket_error_set(DOCKET_EUSAGE, "cannot %s '%s': the due date '%s' is not a date "
			                         "YYYY-MM-DD", t->id, id, a->due);
			goto cleanup;
		}
	} else if (a->unit || a->due) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' does not assign a handler: --unit and --due are for a "
		                         "transition that does (an incoming document's 'assign')", t->id);
		goto cleanup;
	}
	if (t->reason_required && (!a->message || !*a->message)) {
		error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': a reason is required (-m REASON)", t->id, id);
		goto cleanup;
	}
	if ((error = docket_signing_check(doc, t, docket_workflow_numbering(wf), &person, id)) < 0)
		goto cleanup;
	if (t->assign_number) {
		char *abbr = docket_xml_text_trim(docket_xml_path(root, DOCKET_NS, "header/issuer/abbr"));
		int known = docket_issuer_known(cfg, abbr);
		if (!known) {
			docket_org org;
			docket_config_org(&org, cfg);
			error = docket_error_set(DOCKET_EDENIED, "cannot %s '%s': its issuer '%s' is neither the organisation "
			                         "('%s') nor one of its units; docket numbers only what they issue", t->id, id,
			                         abbr ? abbr : "", org.abbr ? org.abbr : "");
		}
		free(abbr);
		if (!known)
			goto cleanup;
	}
	if ((error = load_linked(&linked, txn, t, doc, a)) < 0)
		goto cleanup;

	/* every action is signed by its actor (after the workflow's own refusals, which say more) */
	why.len = 0;
	docket_buf_printf(&why, "%s '%s'", t->id, id);
	if ((error = docket_commit_signing_check(repo, cfg, a->actor, t->id, NULL, why.ptr)) < 0)
		goto cleanup;

	/* the change itself */
	{
		xmlNodePtr wfn = ensure_workflow(root, docket_workflow_initial(wf));
		if (!wfn || !xmlSetProp(wfn, (const xmlChar *)"state", (const xmlChar *)t->to)) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		if ((error = append_step(wfn, now, a->actor, role, t->id, state, t->to, a->message,
		                         t->assign_handler ? a->unit : NULL, t->assign_handler ? a->due : NULL,
		                         linked ? docket_doc_id(linked) : NULL)) < 0)
			goto cleanup;
	}
	if (t->assign_number && (error = docket_number_assign(txn, root, id, now, c->out)) < 0)
		goto cleanup;
	if (docket_workflow_is_editable(wf, t->to))
		drop_signatures(root);
	if (t->signature && (error = sign_document(doc, t, &person, cfg, a, now)) < 0)
		goto cleanup;
	if ((error = docket_doc_serialize(&newbuf, &newlen, doc)) < 0)
		goto cleanup;
	/* what is committed must validate, as it will be read back */
	docket_doc_free(edited);
	edited = NULL;
	if ((error = docket_doc_parse(&edited, newbuf, newlen, c->path)) < 0 ||
	    (error = docket_schema_load(&schema, repo, base)) < 0)
		goto cleanup;
	docket_findings_free(c->out->findings);
	c->out->findings = NULL;
	if ((error = docket_findings_new(&c->out->findings)) < 0 ||
	    (error = docket_validate(c->out->findings, schema, edited, repo, base)) < 0)
		goto cleanup;
	/* the kind's own rules (the drafting layer's, for a report) when a document leaves an
	 * editable state */
	if (docket_workflow_is_editable(wf, state) && !docket_workflow_is_editable(wf, t->to) &&
	    docket_workflow_checks() && docket_workflow_checks()->submit &&
	    (error = docket_workflow_checks()->submit(c->out->findings, edited, repo, base)) < 0)
		goto cleanup;
	if (docket_findings_count(c->out->findings)) {
		error = docket_error_set(DOCKET_EINVALID, "cannot %s '%s': the document is not valid", t->id, id);
		goto cleanup;
	}
	if ((error = docket_txn_write(txn, c->path, newbuf, newlen)) < 0)
		goto cleanup;
	docket_buf_printf(&msg, "docket: %s %s (%s -> %s)\n\n", t->id, id, state, t->to);
	if (a->message && *a->message)
		docket_buf_printf(&msg, "%s\n\n", a->message);
	docket_buf_printf(&msg, "Docket-Document: %s\nDocket-Transition: %s\nDocket-From: %s\nDocket-To: %s\n"
	                  "Docket-Actor: %s\nDocket-Role: %s\n", id, t->id, state, t->to, a->actor, role);
	if (linked)
		docket_buf_printf(&msg, "Docket-Link: %s\n", docket_doc_id(linked));
	if (c->out->number)
		docket_buf_printf(&msg, "Docket-Number: %s\n", c->out->number);
	if ((error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
	free(c->out->from);
	free(c->out->to);
	c->out->from = docket_strdup(state);
	c->out->to = docket_strdup(t->to);
done:
	free(c->out->id);
	c->out->id = docket_strdup(id);
	error = 0;
cleanup:
	free(buf);
	free(newbuf);
	free(unit);
	free(now);
	free(state_copy);
	docket_buf_free(&why);
	docket_buf_free(&msg);
	docket_doc_free(doc);
	docket_doc_free(edited);
	docket_doc_free(linked);
	docket_config_free(cfg);
	docket_workflow_free(wf);
	docket_schema_free(schema);
	return error;
}


/*
 * Whether DISK is what PATH held in one of the last commits of the branch: then the work tree
 * merely lags behind (another docket has just moved the branch and is about to write the
 * file, or was killed before it could) - nothing of the user's would be lost.
 */
static int committed_recently(docket_repo *repo, const char *path, const char *disk, size_t dlen)
{
	git_repository *git = docket_repo_git(repo);
	git_object *obj = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_oid want;
	int i, found = 0;

	if (git_odb_hash(&want, disk, dlen, GIT_OBJECT_BLOB) < 0 || git_revparse_single(&obj, git, "HEAD") < 0 ||
	    git_object_peel((git_object **)&c, obj, GIT_OBJECT_COMMIT) < 0)
		goto done;
	for (i = 0; c && i < 64 && !found; i++) {
		git_tree *tree = NULL;
		git_tree_entry *e = NULL;
		if (git_commit_tree(&tree, c) == 0 && git_tree_entry_bypath(&e, tree, path) == 0)
			found = git_oid_equal(git_tree_entry_id(e), &want);
		git_tree_entry_free(e);
		git_tree_free(tree);
		parent = NULL;
		if (git_commit_parentcount(c) && git_commit_parent(&parent, c, 0) < 0)
			parent = NULL;
		git_commit_free(c);
		c = parent;
	}
done:
	git_commit_free(c);
	git_object_free(obj);
	git_error_clear();
	return found;
}

/*
 * A transition must not overwrite edits the user has made to the file in the work tree but
 * not yet recorded: they would be lost without a trace.
 */
static int check_worktree(docket_repo *repo, const char *path, const char *committed, size_t len)
{
	docket_buf full = DOCKET_BUF_INIT;
	char *disk = NULL;
	size_t dlen = 0;
	int error = 0;

	if (!docket_repo_workdir(repo))
		return 0;
	if (docket_buf_printf(&full, "%s%s", docket_repo_workdir(repo), path) < 0)
		return DOCKET_ERROR;
	if (docket_file_read(&disk, &dlen, full.ptr, DOCKET_DOC_MAX_BYTES + 1) == 0 &&
	    (dlen != len || memcmp(disk, committed, len) != 0) && !committed_recently(repo, path, disk, dlen))
		error = docket_error_set(DOCKET_EDENIED, "'%s' has edits not yet recorded; record them with "
		                         "'docket commit' or discard them first", path);
	docket_error_code() == DOCKET_ENOTFOUND ? docket_error_clear() : (void)0;
	free(disk);
	docket_buf_free(&full);
	return error;
}

int docket_action_run(docket_action_result *out, docket_repo *repo, const docket_action_options *a)
{
	docket_action_options v1;
	act_ctx c;
	char *buf = NULL;
	size_t len = 0;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&c, 0, sizeof(c));
	if (!a)
		return docket_error_set(DOCKET_EUSAGE, "docket_action_run: no action options");
	if (a->version == 1) {
		/* a caller built against version 1 passes the fields before `unit` only */
		memset(&v1, 0, sizeof(v1));
		memcpy(&v1, a, offsetof(docket_action_options, unit));
		v1.version = DOCKET_ACTION_OPTIONS_VERSION;
		a = &v1;
	}
	if ((error = docket_options_check(a->version, DOCKET_ACTION_OPTIONS_VERSION, "docket_action_options",
	                                  "DOCKET_ACTION_OPTIONS_INIT")) < 0)
		return error;
	c.kind = ACT_TRANSITION;
	c.a = a;
	c.out = out;
	if ((error = docket_doc_find(&c.path, repo, a->doc, NULL)) < 0 ||
	    (error = docket_repo_read(&buf, &len, repo, NULL, c.path)) < 0 ||
	    (error = check_worktree(repo, c.path, buf, len)) < 0)
		goto cleanup;
	/* a person who holds a key signs the commit too, so stock git can verify who acted */
	if (a->key)
		docket_repo_set_commit_signer(repo, docket_sshsig_commit_signer, a->key);
	error = docket_repo_transact(out->commit, repo, act_fill, &c);
	if (a->key)
		docket_repo_set_commit_signer(repo, NULL, NULL);
	if (error < 0)
		goto cleanup;
	out->path = c.path;
	c.path = NULL;
cleanup:
	free(buf);
	free(c.path);
	free(c.seen);
	return error;
}

/* An edit is the engine's pseudo-transition "edit": the same checks and one commit. */
static void edit_setup(act_ctx *c, docket_action_options *a, docket_action_result *out, const char *doc,
                       const char *actor, const char *message)
{
	a->doc = doc;
	a->transition = "edit";
	a->actor = actor;
	a->message = message;
	memset(out, 0, sizeof(*out));
	memset(c, 0, sizeof(*c));
	c->kind = ACT_EDIT;
	c->a = a;
	c->out = out;
}

int docket_edit_commit(docket_action_result *out, docket_repo *repo, const char *doc,
                       const char *actor, const char *message)
{
	docket_action_options a = DOCKET_ACTION_OPTIONS_INIT;
	docket_buf full = DOCKET_BUF_INIT;
	act_ctx c;
	char *disk = NULL;
	size_t dlen = 0;
	int error;

	edit_setup(&c, &a, out, doc, actor, message);
	if (!docket_repo_workdir(repo)) {
		error = docket_error_set(DOCKET_EUSAGE, "a bare repository has no work tree to commit edits from");
		goto cleanup;
	}
	if ((error = docket_doc_find(&c.path, repo, doc, NULL)) < 0)
		goto cleanup;
	if ((error = docket_buf_printf(&full, "%s%s", docket_repo_workdir(repo), c.path)) < 0)
		goto cleanup;
	if ((error = docket_doc_read_file(&disk, &dlen, full.ptr)) < 0)
		goto cleanup;
	c.edit = disk;
	c.edit_len = dlen;
	if ((error = docket_repo_transact(out->commit, repo, act_fill, &c)) < 0)
		goto cleanup;
	out->path = c.path;
	c.path = NULL;
cleanup:
	free(disk);
	free(c.path);
	free(c.seen);
	docket_buf_free(&full);
	return error;
}

int docket_edit_buffer(docket_action_result *out, docket_repo *repo, const char *doc, const char *actor,
                       const char *message, const char *buf, size_t len)
{
	docket_action_options a = DOCKET_ACTION_OPTIONS_INIT;
	act_ctx c;
	char *committed = NULL;
	size_t clen = 0;
	int error;

	edit_setup(&c, &a, out, doc, actor, message);
	if (!buf) {
		error = docket_error_set(DOCKET_EUSAGE, "no document to record");
		goto cleanup;
	}
	if (len > DOCKET_DOC_MAX_BYTES) {
		error = docket_error_set(DOCKET_EINVALID, "document is larger than %u bytes", DOCKET_DOC_MAX_BYTES);
		goto cleanup;
	}
	/* the work tree is rewritten once the branch has moved: edits made there by hand and not
	 * yet recorded would be lost */
	if ((error = docket_doc_find(&c.path, repo, doc, NULL)) < 0 ||
	    (error = docket_repo_read(&committed, &clen, repo, NULL, c.path)) < 0 ||
	    (error = check_worktree(repo, c.path, committed, clen)) < 0)
		goto cleanup;
	c.edit = buf;
	c.edit_len = len;
	if ((error = docket_repo_transact(out->commit, repo, act_fill, &c)) < 0)
		goto cleanup;
	out->path = c.path;
	c.path = NULL;
cleanup:
	free(committed);
	free(c.path);
	free(c.seen);
	return error;
}

int docket_attach_run(docket_action_result *out, docket_repo *repo, const char *doc, const char *actor,
                      const char *message, const char *name, const char *type, const char *data, size_t len)
{
	docket_action_options a = DOCKET_ACTION_OPTIONS_INIT;
	act_ctx c;
	char *committed = NULL;
	size_t clen = 0;
	int error;

	edit_setup(&c, &a, out, doc, actor, message);
	a.transition = "attach";
	c.annex_name = name;
	c.annex_type = type;
	c.annex_data = data;
	c.annex_len = len;
	if ((error = docket_doc_find(&c.path, repo, doc, NULL)) < 0 ||
	    (error = docket_repo_read(&committed, &clen, repo, NULL, c.path)) < 0 ||
	    (error = check_worktree(repo, c.path, committed, clen)) < 0)
		goto cleanup;
	if ((error = docket_repo_transact(out->commit, repo, act_fill, &c)) < 0)
		goto cleanup;
	out->path = c.path;
	c.path = NULL;
cleanup:
	free(committed);
	free(c.path);
	free(c.seen);
	return error;
}

int docket_action_available(char ***out, char **state_out, docket_repo *repo,
                            const char *docid, const char *actor)
{
	docket_doc *doc = NULL;
	docket_config *cfg = NULL;
	docket_workflow *wf = NULL;
	docket_person person;
	docket_buf why = DOCKET_BUF_INIT;
	char **list = NULL;
	const char *state;
	char *unit = NULL;
	size_t i, n = 0;
	int error, have_person;

	*out = NULL;
	*state_out = NULL;
	if ((error = docket_doc_load(&doc, repo, docid, NULL)) < 0 ||
	    (error = docket_config_load(&cfg, repo, NULL)) < 0 ||
	    (error = docket_workflow_load(&wf, repo, NULL, docket_doc_kind(doc))) < 0)
		goto cleanup;
	state = docket_doc_state(doc) ? docket_doc_state(doc) : docket_workflow_initial(wf);
	*state_out = docket_strdup(state);
	unit = docket_doc_unit_text(doc);
	/* a document whose state its steps do not lead to is moved by nobody (see act_fill) */
	have_person = actor && docket_config_person(&person, cfg, actor) == 0 &&
	              docket_steps_lead_to_state(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)),
	                                  docket_workflow_initial(wf), state, &why);
	docket_error_clear();
	if (!(list = calloc(docket_workflow_transition_count(wf) + 1, sizeof(*list)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; have_person && i < docket_workflow_transition_count(wf); i++) {
		const docket_transition_def *t = docket_workflow_transition_at(wf, i);
		int from_ok = 0;
		for (const char *const *f = t->from; f && *f; f++)
			from_ok |= strcmp(*f, state) == 0;
		if (!from_ok || !docket_authorise(t, &person, cfg, doc, unit, &why) ||
		    !docket_separated(t, xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), actor, &why))
			continue;
		/* copied: the ids belong to WF, which is freed below */
		if ((list[n++] = docket_strdup(t->id)) == NULL) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
	}
	*out = list;
	list = NULL;
	error = 0;
cleanup:
	docket_strv_free(list);
	free(unit);
	docket_buf_free(&why);
	docket_doc_free(doc);
	docket_config_free(cfg);
	docket_workflow_free(wf);
	return error;
}

int docket_action_options_init(docket_action_options *opts, unsigned int version)
{
	const docket_action_options init = DOCKET_ACTION_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_action_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_ACTION_OPTIONS_VERSION, "docket_action_options",
	                                  "DOCKET_ACTION_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}
