/*
 * xmldsig: W3C XML-DSig signatures with XAdES signed properties inside docket documents,
 * made and checked with libxml2's exclusive C14N and OpenSSL — no libxmlsec — and
 * interoperable with xmlsec1 both ways.
 *
 * Each approval is one ds:Signature in the document's <signatures>, referencing the
 * content element by Id, its own xades:SignedProperties (signer role, time, commitment,
 * and docket's transition and document id), and for the organisation's signature at issue
 * the header. Signatures never envelope each other, so several stay valid independently.
 *
 * Verification trusts nothing in the document's structure: a generic XML-DSig verifier
 * (xmlsec1 included) accepts a signature whose signed element was moved aside while an
 * unsigned one sits where the application reads (signature wrapping). Here the set of
 * references is fixed, each must resolve to exactly one element (duplicate Ids refused),
 * and that element must be the very one docket reads: the root's single content child,
 * the root's single header child, this signature's own SignedProperties. The key comes
 * only from the X509Certificate, chained to the caller's trust anchor at the signed
 * SigningTime; KeyValue is never used.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/c14n.h>
#include <libxml/tree.h>
#include <libxml/xmlIO.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include "sign_internal.h"
#include "docket/doc.h"
#include "docket/workflow.h"

#define DS DOCKET_DSIG_NS
#define XADES DOCKET_XADES_NS
#define ALG_EXC_C14N "http://www.w3.org/2001/10/xml-exc-c14n#"
#define ALG_SHA256 "http://www.w3.org/2001/04/xmlenc#sha256"
#define ALG_ECDSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
#define ALG_RSA_SHA256 "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
#define XADES_PROPS_TYPE "http://uri.etsi.org/01903#SignedProperties"
#define HEADER_ID "header"
#define MAX_SIGNATURES 10000

/* --- tree helpers -------------------------------------------------------------------------- */

static X509 *cert_cached(const unsigned char *der, size_t len);
static int cert_acceptable_cached(X509 *cert);
static int cert_check_cached(X509 *cert, STACK_OF(X509) *chain, X509_STORE *store, time_t at);

static const char *attr(xmlNodePtr node, const char *name)
{
	xmlAttrPtr a = xmlHasNsProp(node, (const xmlChar *)name, NULL);
	return a && a->children && a->children->content ? (const char *)a->children->content
	                                                 : (a ? "" : NULL);
}

static xmlNodePtr first_el(xmlNodePtr node)
{
	for (; node; node = node->next)
		if (node->type == XML_ELEMENT_NODE)
			return node;
	return NULL;
}

static xmlNodePtr next_el(xmlNodePtr node)
{
	return node ? first_el(node->next) : NULL;
}

/* Number of element children of NODE named {NS}NAME; *first gets the first one. */
static int count_children(xmlNodePtr node, const char *ns, const char *name, xmlNodePtr *first)
{
	xmlNodePtr c;
	int n = 0;

	if (first)
		*first = NULL;
	for (c = node ? node->children : NULL; c; c = c->next)
		if (docket_xml_is(c, ns, name)) {
			if (n++ == 0 && first)
				*first = c;
		}
	return n;
}

static int has_id(xmlNodePtr node, const char *name, const xmlChar *ns, const char *id)
{
	xmlAttrPtr a = xmlHasNsProp(node, (const xmlChar *)name, ns);
	const char *v = a && a->children && a->children->content ? (const char *)a->children->content : "";

	return a && strcmp(v, id) == 0;
}

/* Elements are found by an Id attribute (no namespace) or by xml:id, as xmlsec1 finds them. */
static void find_id_walk(xmlNodePtr node, const char *id, int *count, xmlNodePtr *found)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if (has_id(node, "Id", NULL, id) || has_id(node, "id", XML_XML_NAMESPACE, id)) {
			if ((*count)++ == 0)
				*found = node;
		}
		find_id_walk(node->children, id, count, found);
	}
}

/* How many elements of DOC carry Id (or xml:id) ID; *found gets the first. */
static int find_id(xmlDocPtr doc, const char *id, xmlNodePtr *found)
{
	int count = 0;

	*found = NULL;
	find_id_walk(xmlDocGetRootElement(doc), id, &count, found);
	return count;
}

/* --- canonicalisation and digests ---------------------------------------------------------- */

static int in_subtree(xmlNodePtr node, xmlNodePtr top)
{
	for (; node; node = node->parent)
		if (node == top)
			return 1;
	return 0;
}

/*
 * The subtree TOP on its own: a deep copy, the root of a scratch document that shares TOP's
 * dictionary (names are not copied again). Exclusive C14N renders on an element only the
 * namespaces it visibly uses, wherever they were declared, so the copy - which declares on
 * its root what it uses from TOP's ancestors - canonicalises to the same bytes as TOP does
 * in its document, and C14N walks the subtree instead of the whole document with a node
 * set callback for every node (the signatures make up most of a document).
 */
static xmlDocPtr scratch_copy(xmlNodePtr top)
{
	xmlDocPtr doc;
	xmlNodePtr copy;

	if ((doc = xmlNewDoc((const xmlChar *)"1.0")) == NULL)
		return NULL;
	if (top->doc && top->doc->dict) {
		doc->dict = top->doc->dict;
		xmlDictReference(doc->dict);
	}
	if ((copy = xmlDocCopyNode(top, doc, 1)) == NULL) {
		xmlFreeDoc(doc);
		return NULL;
	}
	xmlDocSetRootElement(doc, copy);
	return doc;
}

/* Exclusive C14N 1.0 (no comments) of DOC's nodes that VISIBLE keeps (NULL: all) into OUT;
 * WHAT names them in the error. */
static int c14n_doc(docket_buf *out, xmlDocPtr doc, xmlC14NIsVisibleCallback visible, void *data, const char *what)
{
	xmlOutputBufferPtr ob;
	int error;

	if ((ob = xmlAllocOutputBuffer(NULL)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (xmlC14NExecute(doc, visible, data, XML_C14N_EXCLUSIVE_1_0, NULL, 0, ob) < 0)
		error = docket_error_set(DOCKET_EINVALID, "cannot canonicalise %s", what);
	else
		error = docket_buf_put(out, (const char *)xmlOutputBufferGetContent(ob), xmlOutputBufferGetSize(ob));
	xmlOutputBufferClose(ob);
	return error;
}

/* Exclusive C14N 1.0 (no comments) of the subtree TOP into OUT. */
static int c14n(docket_buf *out, xmlNodePtr top)
{
	docket_buf what = DOCKET_BUF_INIT;
	xmlDocPtr doc;
	int error;

	if ((doc = scratch_copy(top)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (docket_buf_printf(&what, "element '%s'", (const char *)top->name) == 0)
		error = c14n_doc(out, doc, NULL, NULL, what.ptr);
	else
		error = docket_error_set(DOCKET_ERROR, "out of memory");
	xmlFreeDoc(doc);
	docket_buf_free(&what);
	return error;
}

static int digest_node(unsigned char md[32], xmlNodePtr top)
{
	docket_buf b = DOCKET_BUF_INIT;
	int error;

	if ((error = c14n(&b, top)) == 0 && !EVP_Digest(b.ptr ? b.ptr : "", b.len, md, NULL, EVP_sha256(), NULL))
		error = docket_error_ssl(DOCKET_ERROR, "cannot compute a digest");
	docket_buf_free(&b);
	return error;
}

/*
 * The header as the approvers sign it: everything but what only the issue sets (the number
 * and notation in code, the date), the Id attribute a first header reference adds, and the
 * indentation around them, so that issuing keeps every earlier signature valid while any
 * other change of the header - subject, signer block, recipients - breaks them.
 */
static int header_visible_cb(void *data, xmlNodePtr node, xmlNodePtr parent)
{
	xmlNodePtr top = data, n;

	if (node->type == XML_NAMESPACE_DECL)
		return parent && in_subtree(parent, top);
	if (node->type == XML_ATTRIBUTE_NODE && node->parent == top && xmlStrEqual(node->name, (const xmlChar *)"Id"))
		return 0;
	for (n = node; n && n->parent != top; n = n->parent)
		;
	if (!n)
		return node == top;
	if (n->type == XML_TEXT_NODE && xmlIsBlankNode(n))
		return 0;
	if (docket_xml_is(n, DOCKET_NS, "code") || docket_xml_is(n, DOCKET_NS, "date"))
		return 0;
	return 1;
}

static int header_digest(unsigned char md[32], xmlNodePtr header)
{
	docket_buf b = DOCKET_BUF_INIT;
	xmlDocPtr doc;
	int error;

	if ((doc = scratch_copy(header)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if ((error = c14n_doc(&b, doc, header_visible_cb, xmlDocGetRootElement(doc), "the header")) == 0 &&
	    !EVP_Digest(b.ptr ? b.ptr : "", b.len, md, NULL, EVP_sha256(), NULL))
		error = docket_error_ssl(DOCKET_ERROR, "cannot compute a digest");
	xmlFreeDoc(doc);
	docket_buf_free(&b);
	return error;
}

/* The document's workflow steps: how many, and the N-th (1-based) in *nth. */
static int workflow_steps(xmlNodePtr root, int n, xmlNodePtr *nth)
{
	xmlNodePtr wf = NULL, s;
	int count = 0;

	*nth = NULL;
	count_children(root, DOCKET_NS, "workflow", &wf);
	for (s = wf ? wf->children : NULL; s; s = s->next)
		if (docket_xml_is(s, DOCKET_NS, "step") && ++count == n)
			*nth = s;
	return count;
}

/* SHA-256 over the canonical form of steps 1..N, each in turn: the chain up to step N. */
static int steps_digest(unsigned char md[32], xmlNodePtr root, int n)
{
	docket_buf b = DOCKET_BUF_INIT;
	xmlNodePtr wf = NULL, s;
	int k = 0, error = 0;

	count_children(root, DOCKET_NS, "workflow", &wf);
	for (s = wf ? wf->children : NULL; s && k < n && !error; s = s->next)
		if (docket_xml_is(s, DOCKET_NS, "step")) {
			error = c14n(&b, s);
			k++;
		}
	if (!error && !EVP_Digest(b.ptr ? b.ptr : "", b.len, md, NULL, EVP_sha256(), NULL))
		error = docket_error_ssl(DOCKET_ERROR, "cannot compute a digest");
	docket_buf_free(&b);
	return error;
}

/* --- time ---------------------------------------------------------------------------------- */

/* Now, as the library reads it ($DOCKET_NOW or the clock; see util/time.c). */
int docket_sign_now(time_t *out)
{
	if (!out)
		return docket_error_set(DOCKET_EUSAGE, "docket_sign_now: missing argument");
	return docket_time_now(out);
}

/* --- signing ------------------------------------------------------------------------------- */

/* A bare-name XPointer: "#" followed by an NCName-like token. */
static int same_doc_uri(const char *uri)
{
	const char *p;

	if (!uri || uri[0] != '#' || !uri[1])
		return 0;
	for (p = uri + 1; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '_' || *p == '.' || (unsigned char)*p >= 0x80))
			return 0;
	return !isdigit((unsigned char)uri[1]) && uri[1] != '-' && uri[1] != '.';
}

/* "#ID" into out[512]: refused when ID could not be referenced (too long, not a name). */
static int make_uri(char out[512], const char *id)
{
	int n = snprintf(out, 512, "#%s", id);

	if (n < 0 || n >= 512 || !same_doc_uri(out))
		return docket_error_set(DOCKET_EINVALID, "Id '%.64s' cannot be referenced: it is not an XML name "
		                        "of at most 510 bytes", id);
	return 0;
}

static xmlNodePtr add_el(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, (const xmlChar *)name, (const xmlChar *)text);
}

static xmlNodePtr add_alg(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *alg)
{
	xmlNodePtr n = add_el(parent, ns, name, NULL);
	if (n && !xmlSetProp(n, (const xmlChar *)"Algorithm", (const xmlChar *)alg))
		return NULL;
	return n;
}

static xmlNodePtr add_reference(xmlNodePtr si, xmlNsPtr ds, const char *uri, const char *type)
{
	xmlNodePtr ref, tr;

	if ((ref = add_el(si, ds, "Reference", NULL)) == NULL ||
	    !xmlSetProp(ref, (const xmlChar *)"URI", (const xmlChar *)uri) ||
	    (type && !xmlSetProp(ref, (const xmlChar *)"Type", (const xmlChar *)type)) ||
	    (tr = add_el(ref, ds, "Transforms", NULL)) == NULL ||
	    !add_alg(tr, ds, "Transform", ALG_EXC_C14N) ||
	    !add_alg(ref, ds, "DigestMethod", ALG_SHA256) ||
	    !add_el(ref, ds, "DigestValue", NULL))
		return NULL;
	return ref;
}

/*
 * Link NODE into PARENT after PREV (NULL: as first child) without libxml2's merging of
 * adjacent text nodes, so that a failed signing can unlink exactly what it added.
 */
static void link_after(xmlNodePtr parent, xmlNodePtr prev, xmlNodePtr node)
{
	node->parent = parent;
	node->prev = prev;
	node->next = prev ? prev->next : parent->children;
	if (node->next)
		node->next->prev = node;
	else
		parent->last = node;
	if (prev)
		prev->next = node;
	else
		parent->children = node;
}

static int depth_of(xmlNodePtr node)
{
	int d = 0;
	for (node = node->parent; node && node->type == XML_ELEMENT_NODE; node = node->parent)
		d++;
	return d;
}

static xmlNodePtr indent_text(xmlDocPtr doc, int depth)
{
	char buf[1 + 2 * 32 + 1];
	int n = depth > 32 ? 32 : depth;

	buf[0] = '\n';
	memset(buf + 1, ' ', (size_t)(2 * n));
	buf[1 + 2 * n] = '\0';
	return xmlNewDocText(doc, (const xmlChar *)buf);
}

/*
 * Indent the element-only subtree NODE at DEPTH. The signature is laid out here, before it
 * is signed: a serialiser that indents later would change what was signed.
 */
static int indent(xmlNodePtr node, int depth)
{
	xmlNodePtr c, next, t;

	if (!first_el(node->children))
		return 0;
	for (c = node->children; c; c = next) {
		next = c->next;
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if ((t = indent_text(node->doc, depth + 1)) == NULL)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		link_after(node, c->prev, t);
		if (indent(c, depth + 1) < 0)
			return DOCKET_ERROR;
	}
	if ((t = indent_text(node->doc, depth)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	link_after(node, node->last, t);
	return 0;
}

/* Base64 of DATA in lines of 64 characters, as xmlsec1 writes certificates. */
static int base64_lines(char **out, const unsigned char *data, size_t len)
{
	docket_buf b = DOCKET_BUF_INIT;
	char *flat = NULL;
	size_t i, n;
	int error;

	*out = NULL;
	if ((error = docket_base64_encode(&flat, data, len)) < 0)
		return error;
	n = strlen(flat);
	for (i = 0; i < n && error == 0; i += 64)
		error = docket_buf_printf(&b, "\n%.*s", (int)(n - i < 64 ? n - i : 64), flat + i);
	if (error == 0 && (error = docket_buf_puts(&b, "\n")) == 0 && (*out = docket_buf_detach(&b, NULL)) == NULL)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
	free(flat);
	docket_buf_free(&b);
	return error;
}

static int set_digest(xmlNodePtr ref, xmlNodePtr target)
{
	unsigned char md[32];
	char *b64 = NULL;
	xmlNodePtr dv = NULL;
	int error;

	for (xmlNodePtr c = ref->children; c; c = c->next)
		if (docket_xml_is(c, DS, "DigestValue"))
			dv = c;
	if ((error = digest_node(md, target)) < 0 || (error = docket_base64_encode(&b64, md, sizeof(md))) < 0)
		return error;
	xmlNodeSetContent(dv, (const xmlChar *)b64);
	free(b64);
	return 0;
}

/* Everything a signing changes in the document, to undo it on failure. */
typedef struct {
	xmlNodePtr added[4];
	int nadded;
	xmlNodePtr header_with_id;
} undo_log;

static void undo(undo_log *u)
{
	while (u->nadded > 0) {
		xmlNodePtr n = u->added[--u->nadded];
		xmlUnlinkNode(n);
		xmlFreeNode(n);
	}
	if (u->header_with_id)
		xmlUnsetNsProp(u->header_with_id, NULL, (const xmlChar *)"Id");
}

/*
 * Put SIG into the document's signatures element, creating that after workflow (else
 * content). Everything that can fail happens before the first node is linked.
 */
static int place_signature(undo_log *u, xmlNodePtr root, xmlNodePtr content, xmlNodePtr sig)
{
	xmlNodePtr sigs = NULL, anchor = NULL, new_sigs = NULL, t_sigs = NULL, t_before = NULL,
	           t_after = NULL, last = NULL, prev;
	int d;

	count_children(root, DOCKET_NS, "signatures", &sigs);
	if (!sigs) {
		count_children(root, DOCKET_NS, "workflow", &anchor);
		if (!anchor)
			anchor = content;
		d = depth_of(anchor);
		new_sigs = xmlNewDocNode(root->doc, root->ns, (const xmlChar *)"signatures", NULL);
		t_sigs = indent_text(root->doc, d);
	} else {
		d = depth_of(sigs);
		/* insert before trailing white space, so that the closing tag keeps its indentation */
		last = sigs->last;
		if (!(last && last->type == XML_TEXT_NODE && xmlIsBlankNode(last)))
			last = NULL;
	}
	t_before = indent_text(root->doc, d + 1);
	if (!last)
		t_after = indent_text(root->doc, d);
	if ((!sigs && (!new_sigs || !t_sigs)) || !t_before || (!last && !t_after) || indent(sig, d + 1) < 0) {
		xmlFreeNode(new_sigs);
		xmlFreeNode(t_sigs);
		xmlFreeNode(t_before);
		xmlFreeNode(t_after);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	if (new_sigs) {
		link_after(root, anchor, new_sigs);
		link_after(root, anchor, t_sigs);
		/* the new element takes everything below with it on undo */
		u->added[u->nadded++] = new_sigs;
		u->added[u->nadded++] = t_sigs;
		link_after(new_sigs, NULL, t_before);
		link_after(new_sigs, t_before, sig);
		link_after(new_sigs, sig, t_after);
		return 0;
	}
	prev = last ? last->prev : sigs->last;
	link_after(sigs, prev, t_before);
	link_after(sigs, t_before, sig);
	u->added[u->nadded++] = t_before;
	u->added[u->nadded++] = sig;
	if (t_after) {
		link_after(sigs, sig, t_after);
		u->added[u->nadded++] = t_after;
	}
	return 0;
}

/* The document's single content element and its Id; DOCKET_EINVALID otherwise. */
static int find_content(xmlNodePtr *out, const char **id, xmlNodePtr root)
{
	int n;

	*id = NULL;
	n = count_children(root, DOCKET_NS, "content", out);
	if (n != 1)
		return docket_error_set(DOCKET_EINVALID, "the document has %d content elements, expected one", n);
	if ((*id = attr(*out, "Id")) == NULL || !**id)
		return docket_error_set(DOCKET_EINVALID, "the content element has no Id to reference");
	return 0;
}

static int sign_value(char **out, docket_key *key, xmlNodePtr si)
{
	docket_buf b = DOCKET_BUF_INIT;
	unsigned char *sig = NULL, *raw = NULL;
	size_t siglen = 0, rawlen = 0;
	int error;

	*out = NULL;
	if ((error = c14n(&b, si)) < 0 ||
	    (error = docket_key_sign(&sig, &siglen, key, EVP_sha256(), (const unsigned char *)b.ptr, b.len)) < 0)
		goto cleanup;
	if (docket_key_is_rsa(key)) {
		error = docket_base64_encode(out, sig, siglen);
		goto cleanup;
	}
	/* XML-DSig wants ECDSA as raw r||s; xmlsec1 refuses DER */
	if ((error = docket_ecdsa_der_to_raw(&raw, &rawlen, sig, siglen,
	                                     ((size_t)EVP_PKEY_get_bits(docket_key_pkey(key)) + 7) / 8)) < 0)
		goto cleanup;
	error = docket_base64_encode(out, raw, rawlen);
cleanup:
	free(sig);
	free(raw);
	docket_buf_free(&b);
	return error;
}

int docket_xmldsig_sign_xml(char **out_id, xmlDocPtr doc, docket_key *key, X509 *cert,
                            const docket_sig_props *props)
{
	undo_log u;
	xmlNodePtr root, content = NULL, header = NULL, sig = NULL, si, ki, xd, obj, qp, sp, ssp, scv2,
	           cd, sr, sdop, cti, ctid, ctqs, ctq, ref_content, ref_header = NULL, ref_props, sv, found;
	xmlNsPtr ds, xa, dk;
	const char *content_id, *doc_id, *header_id = HEADER_ID;
	char sig_id[32], props_id[48], uri[512], when[40], *key_fp = NULL, *cert_fp = NULL,
	     *cert_b64 = NULL, *cd_b64 = NULL, *value = NULL;
	unsigned char *der = NULL, md[32];
	time_t signed_at;
	int der_len, n, error;

	memset(&u, 0, sizeof(u));
	if (out_id)
		*out_id = NULL;
	if (!doc || !key || !cert || !props || !props->commitment || !*props->commitment) {
		error = docket_error_set(DOCKET_EUSAGE, "signing needs a document, a key, its certificate and a commitment");
		goto cleanup;
	}
	if ((error = docket_options_check(props->version, DOCKET_SIG_PROPS_VERSION, "docket_sig_props",
	                                  "DOCKET_SIG_PROPS_INIT")) < 0)
		goto cleanup;
	root = xmlDocGetRootElement(doc);
	if (!docket_xml_is(root, DOCKET_NS, "document")) {
		error = docket_error_set(DOCKET_EINVALID, "not a docket document: the root is not {%s}document", DOCKET_NS);
		goto cleanup;
	}
	if ((doc_id = attr(root, "id")) == NULL || !*doc_id) {
		error = docket_error_set(DOCKET_EINVALID, "the document has no id");
		goto cleanup;
	}
	if ((error = find_content(&content, &content_id, root)) < 0)
		goto cleanup;
	if ((n = find_id(doc, content_id, &found)) != 1) {
		error = docket_error_set(DOCKET_EINVALID, "duplicate Id '%s'", content_id);
		goto cleanup;
	}
	if (props->covers_header) {
		if ((n = count_children(root, DOCKET_NS, "header", &header)) != 1) {
			error = docket_error_set(DOCKET_EINVALID, "the document has %d header elements, expected one", n);
			goto cleanup;
		}
		if (attr(header, "Id")) {
			if (!*attr(header, "Id")) {
				error = docket_error_set(DOCKET_EINVALID, "the header element has an empty Id");
				goto cleanup;
			}
			header_id = attr(header, "Id");
		}
		n = find_id(doc, header_id, &found);
		if (n > 1 || (n == 1 && found != header)) {
			error = docket_error_set(DOCKET_EINVALID, "duplicate Id '%s'", header_id);
			goto cleanup;
		}
	}
	/* a signature made with a key its certificate does not name would never verify */
	if ((error = docket_key_fingerprint(&key_fp, key)) < 0 || (error = docket_x509_fingerprint(&cert_fp, cert)) < 0)
		goto cleanup;
	if (strcmp(key_fp, cert_fp) != 0) {
		error = docket_error_set(DOCKET_EINVALID, "the certificate is not for this key (key %.16s…, certificate %.16s…)",
		                         key_fp, cert_fp);
		goto cleanup;
	}
	for (n = 1; n <= MAX_SIGNATURES; n++) {
		snprintf(sig_id, sizeof(sig_id), "sig-%d", n);
		snprintf(props_id, sizeof(props_id), "sig-%d-props", n);
		if (find_id(doc, sig_id, &found) == 0 && find_id(doc, props_id, &found) == 0)
			break;
	}
	if (n > MAX_SIGNATURES) {
		error = docket_error_set(DOCKET_EINVALID, "the document has too many signatures");
		goto cleanup;
	}

	error = DOCKET_ERROR;
	if ((der_len = i2d_X509(cert, &der)) <= 0 || !EVP_Digest(der, (size_t)der_len, md, NULL, EVP_sha256(), NULL)) {
		docket_error_ssl(DOCKET_ERROR, "cannot encode the certificate");
		goto cleanup;
	}
	if ((error = base64_lines(&cert_b64, der, (size_t)der_len)) < 0 ||
	    (error = docket_base64_encode(&cd_b64, md, sizeof(md))) < 0)
		goto cleanup;
	if (props->signing_time)
		signed_at = props->signing_time;
	else if ((error = docket_sign_now(&signed_at)) < 0)
		goto cleanup;
	docket_time_format(when, signed_at, DOCKET_SIGNING_UTC_OFFSET_MINUTES);

	error = DOCKET_ERROR;
	if ((sig = xmlNewDocNode(doc, NULL, (const xmlChar *)"Signature", NULL)) == NULL ||
	    (ds = xmlNewNs(sig, (const xmlChar *)DS, (const xmlChar *)"ds")) == NULL ||
	    (xa = xmlNewNs(sig, (const xmlChar *)XADES, (const xmlChar *)"xades")) == NULL ||
	    (dk = xmlNewNs(sig, (const xmlChar *)DOCKET_NS, (const xmlChar *)"d")) == NULL)
		goto oom;
	xmlSetNs(sig, ds);
	if (!xmlSetProp(sig, (const xmlChar *)"Id", (const xmlChar *)sig_id) ||
	    (si = add_el(sig, ds, "SignedInfo", NULL)) == NULL ||
	    !add_alg(si, ds, "CanonicalizationMethod", ALG_EXC_C14N) ||
	    !add_alg(si, ds, "SignatureMethod", docket_key_is_rsa(key) ? ALG_RSA_SHA256 : ALG_ECDSA_SHA256))
		goto oom;
	if ((error = make_uri(uri, content_id)) < 0)
		goto cleanup;
	if ((ref_content = add_reference(si, ds, uri, NULL)) == NULL)
		goto oom;
	if (header) {
		if ((error = make_uri(uri, header_id)) < 0)
			goto cleanup;
		if ((ref_header = add_reference(si, ds, uri, NULL)) == NULL)
			goto oom;
	}
	snprintf(uri, sizeof(uri), "#%s", props_id);
	if ((ref_props = add_reference(si, ds, uri, XADES_PROPS_TYPE)) == NULL ||
	    (sv = add_el(sig, ds, "SignatureValue", NULL)) == NULL ||
	    (ki = add_el(sig, ds, "KeyInfo", NULL)) == NULL ||
	    (xd = add_el(ki, ds, "X509Data", NULL)) == NULL ||
	    !add_el(xd, ds, "X509Certificate", cert_b64) ||
	    (obj = add_el(sig, ds, "Object", NULL)) == NULL ||
	    (qp = add_el(obj, xa, "QualifyingProperties", NULL)) == NULL)
		goto oom;
	snprintf(uri, sizeof(uri), "#%s", sig_id);
	if (!xmlSetProp(qp, (const xmlChar *)"Target", (const xmlChar *)uri) ||
	    (sp = add_el(qp, xa, "SignedProperties", NULL)) == NULL ||
	    !xmlSetProp(sp, (const xmlChar *)"Id", (const xmlChar *)props_id) ||
	    (ssp = add_el(sp, xa, "SignedSignatureProperties", NULL)) == NULL ||
	    !add_el(ssp, xa, "SigningTime", when) ||
	    (scv2 = add_el(ssp, xa, "SigningCertificateV2", NULL)) == NULL ||
	    (cd = add_el(scv2, xa, "Cert", NULL)) == NULL ||
	    (cd = add_el(cd, xa, "CertDigest", NULL)) == NULL ||
	    !add_alg(cd, ds, "DigestMethod", ALG_SHA256) ||
	    !add_el(cd, ds, "DigestValue", cd_b64))
		goto oom;
	if (props->role && *props->role &&
	    ((sr = add_el(ssp, xa, "SignerRole", NULL)) == NULL ||
	     (sr = add_el(sr, xa, "ClaimedRoles", NULL)) == NULL ||
	     !add_el(sr, xa, "ClaimedRole", props->role)))
		goto oom;
	if ((sdop = add_el(sp, xa, "SignedDataObjectProperties", NULL)) == NULL ||
	    (cti = add_el(sdop, xa, "CommitmentTypeIndication", NULL)) == NULL ||
	    (ctid = add_el(cti, xa, "CommitmentTypeId", NULL)) == NULL ||
	    !add_el(ctid, xa, "Identifier", props->commitment) ||
	    !add_el(cti, xa, "AllSignedDataObjects", NULL) ||
	    (ctqs = add_el(cti, xa, "CommitmentTypeQualifiers", NULL)) == NULL ||
	    (ctq = add_el(ctqs, xa, "CommitmentTypeQualifier", NULL)) == NULL)
		goto oom;
	if (props->transition && *props->transition && !add_el(ctq, dk, "Transition", props->transition))
		goto oom;
	if (!add_el(ctq, dk, "DocumentId", doc_id))
		goto oom;
	/* the header an approver reads, without what the issue adds (a header reference covers all) */
	if (!header && count_children(root, DOCKET_NS, "header", &found) == 1) {
		char *b64 = NULL;
		if ((error = header_digest(md, found)) < 0 || (error = docket_base64_encode(&b64, md, sizeof(md))) < 0)
			goto cleanup;
		if (!add_el(ctq, dk, "HeaderDigest", b64)) {
			free(b64);
			goto oom;
		}
		free(b64);
	}
	if (props->bind_step) {
		/* the step this signature is for: the last, taking this transition */
		xmlNodePtr last;
		char num[16], *b64 = NULL;
		const char *tr;
		int nsteps = workflow_steps(root, -1, &last);
		workflow_steps(root, nsteps, &last);
		tr = last ? attr(last, "transition") : NULL;
		if (!nsteps || !tr || !props->transition || strcmp(tr, props->transition) != 0) {
			error = docket_error_set(DOCKET_EINVALID, "the document's last workflow step does not take '%s'",
			                         props->transition ? props->transition : "");
			goto cleanup;
		}
		snprintf(num, sizeof(num), "%d", nsteps);
		if ((error = steps_digest(md, root, nsteps)) < 0 || (error = docket_base64_encode(&b64, md, sizeof(md))) < 0)
			goto cleanup;
		if (!add_el(ctq, dk, "Step", num) || !add_el(ctq, dk, "StepsDigest", b64)) {
			free(b64);
			goto oom;
		}
		free(b64);
	}

	/* From here on the document changes; every change is logged in U and undone on failure. */
	if (header && !attr(header, "Id")) {
		if (!xmlSetProp(header, (const xmlChar *)"Id", (const xmlChar *)HEADER_ID))
			goto oom;
		u.header_with_id = header;
	}
	if ((error = place_signature(&u, root, content, sig)) < 0)
		goto cleanup;
	sig = NULL;  /* owned by the document (and U) now */
	if ((error = set_digest(ref_content, content)) < 0 ||
	    (header && (error = set_digest(ref_header, header)) < 0) ||
	    (error = set_digest(ref_props, sp)) < 0 ||
	    (error = sign_value(&value, key, si)) < 0)
		goto cleanup;
	xmlNodeSetContent(sv, (const xmlChar *)value);
	if (out_id && (*out_id = docket_strdup(sig_id)) == NULL)
		goto oom;
	u.nadded = 0;
	u.header_with_id = NULL;
	error = 0;
	goto cleanup;
oom:
	error = docket_error_set(DOCKET_ERROR, "out of memory while building the signature");
cleanup:
	undo(&u);
	if (sig)
		xmlFreeNode(sig);
	OPENSSL_free(der);
	free(key_fp);
	free(cert_fp);
	free(cert_b64);
	free(cd_b64);
	free(value);
	return error;
}

/* --- verification -------------------------------------------------------------------------- */

typedef struct {
	int done;
	unsigned char md[32];
} digest_memo;

typedef struct {
	xmlDocPtr doc;
	xmlNodePtr root;
	xmlNodePtr content;   /* the root's content child, NULL when not exactly one */
	xmlNodePtr header;    /* the root's header child, NULL when not exactly one */
	int ncontent, nheader;
	const char *doc_id;
	X509_STORE *store;
	/* what every signature of the document shares, computed once for all of them: the
	 * digests of the content and of the header as referenced, the header as bound, and the
	 * canonical form of the workflow steps 1..steps_done one after the other (steps_end[k]
	 * is where step k + 1 ends), extended as far as a signature's step needs */
	digest_memo content_ref, header_ref, header_bind;
	docket_buf steps;
	size_t *steps_end, steps_cap;
	int steps_done;
	xmlNodePtr steps_next;
} vctx;

enum { REF_CONTENT, REF_HEADER, REF_PROPS, REF_KINDS };

typedef struct {
	xmlNodePtr ref[REF_KINDS];
	xmlNodePtr target[REF_KINDS];
	const char *uri[REF_KINDS];
} refs;

static int fail(docket_sig_result *res, const char *fmt, ...) DOCKET_PRINTF(2, 3);
static int fail(docket_sig_result *res, const char *fmt, ...)
{
	docket_buf b = DOCKET_BUF_INIT;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	res->status = DOCKET_SIG_FAILED;
	if (n < 0 || docket_buf_grow(&b, (size_t)n) < 0)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	va_start(ap, fmt);
	vsnprintf(b.ptr, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b.len = (size_t)n;
	free(res->reason);
	res->reason = docket_buf_detach(&b, NULL);
	return 1;
}

static const char *alg_of(xmlNodePtr node)
{
	const char *a = attr(node, "Algorithm");
	return a ? a : "";
}

/* Text of an element trimmed, malloc'd; NULL element gives NULL. */
static char *text_of(xmlNodePtr node)
{
	return node ? docket_xml_text_trim(node) : NULL;
}

static int is_props_of(xmlNodePtr target, xmlNodePtr sig, const char *sig_id, int *wrong_target)
{
	xmlNodePtr qp, obj;
	const char *t;

	*wrong_target = 0;
	if (!docket_xml_is(target, XADES, "SignedProperties") ||
	    !docket_xml_is(qp = target->parent, XADES, "QualifyingProperties") ||
	    !docket_xml_is(obj = qp->parent, DS, "Object") || obj->parent != sig)
		return 0;
	t = attr(qp, "Target");
	if (!t || t[0] != '#' || strcmp(t + 1, sig_id) != 0)
		*wrong_target = 1;
	return 1;
}

static int check_reference(docket_sig_result *res, vctx *v, xmlNodePtr sig, const char *sig_id,
                           xmlNodePtr ref, refs *r)
{
	xmlNodePtr c, tr, target = NULL;
	const char *uri = attr(ref, "URI");
	int n, kind, wrong_target;

	if (!same_doc_uri(uri))
		return fail(res, "reference '%s' is not a same-document '#id' reference", uri ? uri : "(no URI)");
	c = first_el(ref->children);
	if (!docket_xml_is(c, DS, "Transforms"))
		return fail(res, "reference '%s' lacks the exclusive C14N transform", uri);
	tr = first_el(c->children);
	if (!docket_xml_is(tr, DS, "Transform") || next_el(tr))
		return fail(res, "reference '%s' must have exactly one transform, exclusive C14N", uri);
	if (strcmp(alg_of(tr), ALG_EXC_C14N) != 0 || first_el(tr->children))
		return fail(res, "transform '%s' is not accepted (exclusive C14N only)", alg_of(tr));
	c = next_el(c);
	if (!docket_xml_is(c, DS, "DigestMethod") || strcmp(alg_of(c), ALG_SHA256) != 0)
		return fail(res, "reference '%s': digest '%s' is not accepted (SHA-256 only)", uri,
		            c ? alg_of(c) : "(none)");
	c = next_el(c);
	if (!docket_xml_is(c, DS, "DigestValue") || next_el(c))
		return fail(res, "reference '%s' is malformed", uri);

	if ((n = find_id(v->doc, uri + 1, &target)) == 0)
		return fail(res, "reference '%s' points to nothing", uri);
	if (n > 1)
		return fail(res, "duplicate Id '%s'", uri + 1);
	if (docket_xml_is(target, DOCKET_NS, "content")) {
		if (v->ncontent != 1)
			return fail(res, "signature wrapping: the document has %d content elements", v->ncontent);
		if (target != v->content)
			return fail(res, "signature wrapping: reference '%s' points to a content element that is not "
			                 "the document's content (line %ld)", uri, xmlGetLineNo(target));
		kind = REF_CONTENT;
	} else if (docket_xml_is(target, DOCKET_NS, "header")) {
		if (v->nheader != 1)
			return fail(res, "signature wrapping: the document has %d header elements", v->nheader);
		if (target != v->header)
			return fail(res, "signature wrapping: reference '%s' points to a header element that is not "
			                 "the document's header (line %ld)", uri, xmlGetLineNo(target));
		kind = REF_HEADER;
	} else if (is_props_of(target, sig, sig_id, &wrong_target)) {
		if (wrong_target)
			return fail(res, "the signed properties '%s' do not name this signature as their target", uri);
		kind = REF_PROPS;
	} else if (docket_xml_is(target, XADES, "SignedProperties")) {
		return fail(res, "reference '%s' points to the signed properties of another signature", uri);
	} else {
		return fail(res, "reference '%s' points to element '%s', not the document's content, header or "
		                 "this signature's signed properties", uri, (const char *)target->name);
	}
	if (r->ref[kind])
		return fail(res, "the signature references the same part twice ('%s', '%s')", r->uri[kind], uri);
	r->ref[kind] = ref;
	r->target[kind] = target;
	r->uri[kind] = uri;
	return 0;
}

/* The digest of TARGET into MD, from MEMO (may be NULL) when it was computed before. */
static int digest_memoised(unsigned char md[32], digest_memo *memo, xmlNodePtr target)
{
	int error;

	if (memo && memo->done) {
		memcpy(md, memo->md, 32);
		return 0;
	}
	if ((error = digest_node(md, target)) < 0 || !memo)
		return error;
	memcpy(memo->md, md, 32);
	memo->done = 1;
	return 0;
}

static int reference_digest_ok(vctx *v, xmlNodePtr ref, xmlNodePtr target, int *ok)
{
	xmlNodePtr dv = NULL;
	unsigned char md[32], *want = NULL;
	size_t wlen = 0;
	char *text = NULL;
	int error;

	*ok = 0;
	for (xmlNodePtr c = ref->children; c; c = c->next)
		if (docket_xml_is(c, DS, "DigestValue"))
			dv = c;
	if ((text = docket_xml_text(dv)) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (docket_base64_decode(&want, &wlen, text) < 0 || wlen != sizeof(md)) {
		error = 0;  /* malformed: simply not ok */
		goto cleanup;
	}
	if ((error = digest_memoised(md, target == v->content ? &v->content_ref : target == v->header ?
	                             &v->header_ref : NULL, target)) < 0)
		goto cleanup;
	*ok = CRYPTO_memcmp(md, want, sizeof(md)) == 0;
cleanup:
	free(want);
	free(text);
	return error;
}

/* The signer certificate and any further certificates (untrusted intermediates) in KeyInfo. */
static int read_key_info(docket_sig_result *res, xmlNodePtr keyinfo, STACK_OF(X509) **chain)
{
	xmlNodePtr xd, c;
	int has_keyvalue = 0, count = 0;

	*chain = NULL;
	for (xd = keyinfo ? first_el(keyinfo->children) : NULL; xd; xd = next_el(xd)) {
		if (docket_xml_is(xd, DS, "KeyValue"))
			has_keyvalue = 1;
		if (!docket_xml_is(xd, DS, "X509Data"))
			continue;
		for (c = first_el(xd->children); c; c = next_el(c)) {
			char *text;
			unsigned char *der = NULL;
			size_t len = 0;
			X509 *x = NULL;

			if (!docket_xml_is(c, DS, "X509Certificate"))
				continue;
			if ((text = docket_xml_text(c)) == NULL)
				return docket_error_set(DOCKET_ERROR, "out of memory");
			if (docket_base64_decode(&der, &len, text) == 0 && len < 1024 * 1024)
				x = cert_cached(der, len);
			free(text);
			free(der);
			ERR_clear_error();
			if (!x)
				return fail(res, "the X509Certificate of the signature cannot be read");
			if (count++ == 0) {
				if ((res->cert = docket_cert_wrap(x)) == NULL)
					return docket_error_set(DOCKET_ERROR, "out of memory");
				continue;
			}
			if ((!*chain && (*chain = sk_X509_new_null()) == NULL) || !sk_X509_push(*chain, x)) {
				X509_free(x);
				return docket_error_set(DOCKET_ERROR, "out of memory");
			}
		}
	}
	if (!res->cert)
		return has_keyvalue
			? fail(res, "the signature's key is given only as a KeyValue, which is never trusted: "
			            "key not chained to the trusted CA")
			: fail(res, "the signature carries no X509Certificate");
	return 0;
}

static int signature_value_ok(docket_sig_result *res, xmlNodePtr si, xmlNodePtr sv, int rsa, int *ok)
{
	EVP_PKEY *pub = X509_get0_pubkey(res->cert->x509);
	docket_buf b = DOCKET_BUF_INIT;
	unsigned char *bin = NULL, *der = NULL;
	size_t binlen = 0, derlen = 0, field;
	EVP_MD_CTX *ctx = NULL;
	char *text = NULL;
	int error;

	*ok = 0;
	if ((text = docket_xml_text(sv)) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (docket_base64_decode(&bin, &binlen, text) < 0) {
		error = 0;
		goto cleanup;
	}
	if (rsa) {
		der = bin;
		derlen = binlen;
		bin = NULL;
	} else {
		field = ((size_t)EVP_PKEY_get_bits(pub) + 7) / 8;
		if (binlen != 2 * field || docket_ecdsa_raw_to_der(&der, &derlen, bin, binlen) < 0) {
			error = 0;
			goto cleanup;
		}
	}
	if ((error = c14n(&b, si)) < 0)
		goto cleanup;
	if ((ctx = EVP_MD_CTX_new()) == NULL || EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, pub) <= 0) {
		error = docket_error_ssl(DOCKET_ERROR, "cannot verify a signature");
		goto cleanup;
	}
	*ok = EVP_DigestVerify(ctx, der, derlen, (const unsigned char *)b.ptr, b.len) == 1;
	ERR_clear_error();
	error = 0;
cleanup:
	EVP_MD_CTX_free(ctx);
	free(bin);
	free(der);
	free(text);
	docket_buf_free(&b);
	return error;
}

/* Read the signed properties into RES; check SigningCertificateV2 against the certificate. */
static int read_props(docket_sig_result *res, xmlNodePtr sp)
{
	xmlNodePtr ssp = docket_xml_child(sp, XADES, "SignedSignatureProperties"),
	           sdop = docket_xml_child(sp, XADES, "SignedDataObjectProperties"), cti, q, cert_digest;
	unsigned char md[32], *want = NULL, *der = NULL;
	size_t wlen = 0;
	char *text;
	int der_len, match, error = 0;

	if ((res->signing_time_text = text_of(docket_xml_child(ssp, XADES, "SigningTime"))) == NULL)
		return fail(res, "the signed properties have no SigningTime");
	if (docket_time_parse(&res->signing_time, NULL, res->signing_time_text, 0) < 0)
		return fail(res, "SigningTime '%s' is not a valid time with a zone", res->signing_time_text);
	res->role = text_of(docket_xml_path(ssp, XADES, "SignerRole/ClaimedRoles/ClaimedRole"));
	if (count_children(sdop, XADES, "CommitmentTypeIndication", &cti) > 1)
		return fail(res, "the signature states more than one commitment");
	res->commitment = text_of(docket_xml_path(cti, XADES, "CommitmentTypeId/Identifier"));
	q = docket_xml_path(cti, XADES, "CommitmentTypeQualifiers/CommitmentTypeQualifier");
	res->transition = text_of(docket_xml_child(q, DOCKET_NS, "Transition"));
	res->document_id = text_of(docket_xml_child(q, DOCKET_NS, "DocumentId"));

	cert_digest = docket_xml_path(ssp, XADES, "SigningCertificateV2/Cert/CertDigest");
	if (docket_xml_child(ssp, XADES, "SigningCertificateV2") && !cert_digest)
		return fail(res, "SigningCertificateV2 is malformed");
	if (!cert_digest)
		return 0;
	if (strcmp(alg_of(docket_xml_child(cert_digest, DS, "DigestMethod")), ALG_SHA256) != 0)
		return fail(res, "SigningCertificateV2 uses a digest other than SHA-256");
	if ((text = docket_xml_text(docket_xml_child(cert_digest, DS, "DigestValue"))) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if ((der_len = i2d_X509(res->cert->x509, &der)) <= 0 ||
	    !EVP_Digest(der, (size_t)der_len, md, NULL, EVP_sha256(), NULL)) {
		error = docket_error_ssl(DOCKET_ERROR, "cannot encode the certificate");
		goto cleanup;
	}
	match = docket_base64_decode(&want, &wlen, text) == 0 && wlen == sizeof(md) &&
	        CRYPTO_memcmp(md, want, sizeof(md)) == 0;
	if (!match)
		error = fail(res, "the certificate in KeyInfo is not the signing certificate named in the signed properties");
cleanup:
	OPENSSL_free(der);
	free(want);
	free(text);
	return error;
}

/* Whether the base64 digest TEXT (of element N, may be NULL) equals MD. */
static int digest_is(xmlNodePtr n, const unsigned char md[32])
{
	unsigned char *want = NULL;
	size_t wlen = 0;
	char *text = n ? docket_xml_text_trim(n) : NULL;
	int same = text && docket_base64_decode(&want, &wlen, text) == 0 && wlen == 32 &&
	           CRYPTO_memcmp(md, want, 32) == 0;

	free(text);
	free(want);
	return same;
}

/*
 * steps_digest for verification: the canonical form of each step is computed once for every
 * signature of the document (a signature bound to step N digests steps 1..N).
 */
static int steps_digest_shared(unsigned char md[32], vctx *v, int n)
{
	size_t len;
	int error;

	if (v->steps_done == 0 && !v->steps_next) {
		xmlNodePtr wf = NULL;
		count_children(v->root, DOCKET_NS, "workflow", &wf);
		v->steps_next = wf ? wf->children : NULL;
	}
	for (; v->steps_done < n && v->steps_next; v->steps_next = v->steps_next->next) {
		if (!docket_xml_is(v->steps_next, DOCKET_NS, "step"))
			continue;
		if ((size_t)v->steps_done == v->steps_cap) {
			size_t cap = v->steps_cap ? 2 * v->steps_cap : 16, *grown = realloc(v->steps_end, cap * sizeof(*grown));
			if (!grown)
				return docket_error_set(DOCKET_ERROR, "out of memory");
			v->steps_end = grown;
			v->steps_cap = cap;
		}
		if ((error = c14n(&v->steps, v->steps_next)) < 0)
			return error;
		v->steps_end[v->steps_done++] = v->steps.len;
	}
	/* fewer steps than N: all of them, as steps_digest does */
	len = v->steps_done ? v->steps_end[(n < v->steps_done ? n : v->steps_done) - 1] : 0;
	if (!EVP_Digest(v->steps.ptr ? v->steps.ptr : "", len, md, NULL, EVP_sha256(), NULL))
		return docket_error_ssl(DOCKET_ERROR, "cannot compute a digest");
	return 0;
}

/*
 * What binds the signature to this document beyond its references: the header as the
 * approvers signed it (HeaderDigest) and its workflow step (Step, StepsDigest). A signature
 * without Step was made before step binding (legacy): it is judged by its references alone.
 */
static int binding_ok(docket_sig_result *res, vctx *v, xmlNodePtr sp)
{
	xmlNodePtr q = docket_xml_path(sp, XADES, "SignedDataObjectProperties/CommitmentTypeIndication/"
	                               "CommitmentTypeQualifiers/CommitmentTypeQualifier"), hd, st, sd, nth = NULL;
	unsigned char md[32];
	char *text, *end;
	long n;
	int nsteps, error;
	const char *tr;

	hd = docket_xml_child(q, DOCKET_NS, "HeaderDigest");
	st = docket_xml_child(q, DOCKET_NS, "Step");
	sd = docket_xml_child(q, DOCKET_NS, "StepsDigest");
	if (hd) {
		if (!v->header)
			return fail(res, "signature wrapping: the document has %d header elements", v->nheader);
		if (!v->header_bind.done) {
			if ((error = header_digest(v->header_bind.md, v->header)) < 0)
				return error;
			v->header_bind.done = 1;
		}
		if (!digest_is(hd, v->header_bind.md))
			return fail(res, "header changed after signing (subject, signer, recipients or other header fields)");
	}
	if (!st) {
		res->legacy = 1;
		return 0;
	}
	text = docket_xml_text_trim(st);
	n = text ? strtol(text, &end, 10) : 0;
	if (!text || *end || n < 1 || n > 1000000) {
		free(text);
		return fail(res, "the signed step number is malformed");
	}
	free(text);
	res->step = (int)n;
	nsteps = workflow_steps(v->root, (int)n, &nth);
	tr = nth ? attr(nth, "transition") : NULL;
	if (!nth) {
		res->misplaced = 1;
		return fail(res, "it is bound to step %ld, but the document has %d workflow step%s", n, nsteps,
		            nsteps == 1 ? "" : "s");
	}
	if (!tr || !res->transition || strcmp(tr, res->transition) != 0) {
		res->misplaced = 1;
		return fail(res, "it is bound to step %ld, which takes '%s', not '%s'", n, tr ? tr : "",
		            res->transition ? res->transition : "");
	}
	if ((error = steps_digest_shared(md, v, (int)n)) < 0)
		return error;
	if (!sd || !digest_is(sd, md)) {
		res->misplaced = 1;
		return fail(res, "the workflow steps up to step %ld are not those it was signed after", n);
	}
	return 0;
}

/* 0: verified; 1: failed (RES says why); < 0: could not verify at all. */
static int verify_one(docket_sig_result *res, vctx *v, xmlNodePtr sig)
{
	xmlNodePtr si, sv, ki = NULL, c, m;
	STACK_OF(X509) *chain = NULL;
	refs r;
	const char *sig_id = attr(sig, "Id"), *sm;
	int rsa, ok, error;

	memset(&r, 0, sizeof(r));
	if ((res->id = docket_strdup(sig_id ? sig_id : "")) == NULL)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (!sig_id || !*sig_id)
		return fail(res, "the signature has no Id");

	/* shape: SignedInfo, SignatureValue, KeyInfo?, Object* */
	si = first_el(sig->children);
	sv = next_el(si);
	if (!docket_xml_is(si, DS, "SignedInfo") || !docket_xml_is(sv, DS, "SignatureValue"))
		return fail(res, "the signature is malformed (SignedInfo and SignatureValue expected)");
	for (c = next_el(sv); c; c = next_el(c)) {
		if (docket_xml_is(c, DS, "KeyInfo") && !ki && c == next_el(sv))
			ki = c;
		else if (!docket_xml_is(c, DS, "Object"))
			return fail(res, "unexpected element '%s' in the signature", (const char *)c->name);
	}

	/* SignedInfo: CanonicalizationMethod, SignatureMethod, Reference+ */
	m = first_el(si->children);
	if (!docket_xml_is(m, DS, "CanonicalizationMethod") || strcmp(alg_of(m), ALG_EXC_C14N) != 0 ||
	    first_el(m->children))
		return fail(res, "canonicalisation '%s' is not accepted (exclusive C14N only)", m ? alg_of(m) : "(none)");
	m = next_el(m);
	sm = m ? alg_of(m) : "(none)";
	if (!docket_xml_is(m, DS, "SignatureMethod") || first_el(m->children) ||
	    (strcmp(sm, ALG_ECDSA_SHA256) != 0 && strcmp(sm, ALG_RSA_SHA256) != 0))
		return fail(res, "signature method '%s' is not accepted (ECDSA-SHA256 or RSA-SHA256 only)", sm);
	rsa = strcmp(sm, ALG_RSA_SHA256) == 0;
	for (c = next_el(m); c; c = next_el(c)) {
		if (!docket_xml_is(c, DS, "Reference"))
			return fail(res, "unexpected element '%s' in SignedInfo", (const char *)c->name);
		if ((error = check_reference(res, v, sig, sig_id, c, &r)) != 0)
			return error;
	}
	if (!r.ref[REF_CONTENT])
		return fail(res, "the signature does not cover the document's content");
	if (!r.ref[REF_PROPS])
		return fail(res, "the signature has no signed properties");
	res->covers_header = r.ref[REF_HEADER] != NULL;

	/* the key: only from the certificate */
	if ((error = read_key_info(res, ki, &chain)) != 0)
		goto done;
	if ((error = docket_x509_subject_cn(&res->signer, res->cert->x509)) < 0)
		goto done;
	if (!X509_get0_pubkey(res->cert->x509)) {
		/* a certificate whose key does not decode (found by tests/fuzz/fuzz_verify.c) */
		error = fail(res, "the certificate's public key cannot be read");
		goto done;
	}
	if ((EVP_PKEY_get_base_id(X509_get0_pubkey(res->cert->x509)) == EVP_PKEY_RSA) != rsa) {
		error = fail(res, "signature method '%s' does not match the certificate's key", sm);
		goto done;
	}
	if (cert_acceptable_cached(res->cert->x509) < 0) {
		error = fail(res, "%s", docket_error_last());
		goto done;
	}
	if ((error = signature_value_ok(res, si, sv, rsa, &ok)) < 0)
		goto done;
	if (!ok) {
		error = fail(res, "signature value does not match: the signed information was altered or signed by another key");
		goto done;
	}
	if ((error = reference_digest_ok(v, r.ref[REF_PROPS], r.target[REF_PROPS], &ok)) < 0)
		goto done;
	if (!ok) {
		error = fail(res, "signed properties changed after signing");
		goto done;
	}
	if ((error = read_props(res, r.target[REF_PROPS])) != 0)
		goto done;
	if ((error = cert_check_cached(res->cert->x509, chain, v->store, res->signing_time)) < 0) {
		error = error == DOCKET_EVERIFY ? fail(res, "%s", docket_error_last()) : error;
		goto done;
	}
	if (!res->document_id || !*res->document_id) {
		error = fail(res, "the signed properties do not name the document");
		goto done;
	}
	if (strcmp(res->document_id, v->doc_id) != 0) {
		error = fail(res, "signature references a different document ('%s'; this document is '%s')",
		             res->document_id, v->doc_id);
		goto done;
	}
	if (r.ref[REF_HEADER]) {
		if ((error = reference_digest_ok(v, r.ref[REF_HEADER], r.target[REF_HEADER], &ok)) < 0)
			goto done;
		if (!ok) {
			error = fail(res, "header changed after signing (number, date or other header fields)");
			goto done;
		}
	}
	if ((error = reference_digest_ok(v, r.ref[REF_CONTENT], r.target[REF_CONTENT], &ok)) < 0)
		goto done;
	if (!ok) {
		error = fail(res, "content changed after signing");
		goto done;
	}
	if ((error = binding_ok(res, v, r.target[REF_PROPS])) != 0)
		goto done;
	res->status = DOCKET_SIG_OK;
	error = 0;
done:
	sk_X509_pop_free(chain, X509_free);
	return error;
}

void docket_sig_results_free(docket_sig_result *results, size_t n)
{
	size_t i;

	if (!results)
		return;
	for (i = 0; i < n; i++) {
		docket_sig_result *r = &results[i];
		free(r->id);
		free(r->reason);
		free(r->signer);
		docket_cert_free(r->cert);
		free(r->signing_time_text);
		free(r->role);
		free(r->commitment);
		free(r->transition);
		free(r->document_id);
	}
	free(results);
}

/*
 * An audit verifies hundreds of thousands of signatures made by a few hundred certificates
 * against one trust anchor; decoding a certificate costs about as much as verifying a
 * signature with it. So the trust store (keyed by the file's path, size and modification
 * time) and the decoded certificates (keyed by their DER bytes) are kept per thread.
 */
#define CERT_CACHE 4096 /* a province: 1,500 schools' heads and the department's signers */

static _Thread_local struct {
	char path[4096];
	off_t size;
	time_t mtime;
	X509_STORE *store;
	unsigned long gen;     /* bumped whenever the cached store is replaced */
} trust_cache;

static _Thread_local struct {
	unsigned char *der;
	size_t len;
	X509 *x;
	int acceptable;        /* 1 once docket_pubkey_acceptable passed */
	unsigned long gen;     /* the chain verified against trust store generation gen ... */
	time_t lo, hi;         /* ... holds at every signing time in [lo, hi] */
} cert_cache[CERT_CACHE];

/*
 * The caches belong to their thread and go with it: a thread that is not the main one (the
 * web server's, libmicrohttpd's) would otherwise leave its certificates and trust store
 * behind when it ends. A thread-specific key's destructor runs at the thread's exit, while
 * its thread-local storage is still there; the main thread's caches last until the process
 * ends.
 */
static pthread_key_t cache_key;
static pthread_once_t cache_once = PTHREAD_ONCE_INIT;
static int cache_key_ok;
static _Thread_local int cache_registered;

static void caches_free(void *unused)
{
	size_t i;

	(void)unused;
	for (i = 0; i < CERT_CACHE; i++) {
		X509_free(cert_cache[i].x);
		free(cert_cache[i].der);
		memset(&cert_cache[i], 0, sizeof(cert_cache[i]));
	}
	X509_STORE_free(trust_cache.store);
	trust_cache.store = NULL;
	trust_cache.path[0] = '\0';
}

static void cache_key_make(void)
{
	cache_key_ok = pthread_key_create(&cache_key, caches_free) == 0;
}

/* Before this thread first keeps something: its caches are freed when it ends. */
static void caches_register(void)
{
	if (cache_registered)
		return;
	pthread_once(&cache_once, cache_key_make);
	/* any non-NULL value: the destructor runs only for a key set in the thread */
	if (cache_key_ok && pthread_setspecific(cache_key, &cache_registered) == 0)
		cache_registered = 1;
}

static int trust_store_cached(X509_STORE **out, const char *path)
{
	struct stat st;
	int error;

	*out = NULL;
	if (path && stat(path, &st) == 0 && trust_cache.store && strcmp(trust_cache.path, path) == 0 &&
	    trust_cache.size == st.st_size && trust_cache.mtime == st.st_mtime) {
		if (!X509_STORE_up_ref(trust_cache.store))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		*out = trust_cache.store;
		return 0;
	}
	if ((error = docket_trust_store_load(out, path)) < 0)
		return error;
	caches_register();
	if (stat(path, &st) == 0 && strlen(path) < sizeof(trust_cache.path) && X509_STORE_up_ref(*out)) {
		X509_STORE_free(trust_cache.store);
		snprintf(trust_cache.path, sizeof(trust_cache.path), "%s", path);
		trust_cache.size = st.st_size;
		trust_cache.mtime = st.st_mtime;
		trust_cache.store = *out;
		trust_cache.gen++;
	}
	return 0;
}

/* The certificate of DER (a new reference), decoded once per thread. */
static X509 *cert_cached(const unsigned char *der, size_t len)
{
	X509 *x;
	size_t i, slot;

	uint32_t h = 2166136261u;

	/* open addressing on the DER bytes' FNV-1a hash, a few probes, then replace */
	for (i = 0; i < len; i++)
		h = (h ^ der[i]) * 16777619u;
	for (i = 0; i < 8; i++) {
		slot = (h + i) % CERT_CACHE;
		if (cert_cache[slot].x && cert_cache[slot].len == len && memcmp(cert_cache[slot].der, der, len) == 0)
			return X509_up_ref(cert_cache[slot].x) ? cert_cache[slot].x : NULL;
	}
	if (!(x = docket_cert_from_der(der, len)))
		return NULL;
	caches_register();
	slot = h % CERT_CACHE;
	for (i = 0; i < 8; i++)
		if (!cert_cache[(h + i) % CERT_CACHE].x) {
			slot = (h + i) % CERT_CACHE;
			break;
		}
	X509_free(cert_cache[slot].x);
	free(cert_cache[slot].der);
	cert_cache[slot].x = NULL;
	cert_cache[slot].acceptable = 0;
	cert_cache[slot].gen = 0;
	if ((cert_cache[slot].der = malloc(len)) != NULL && X509_up_ref(x)) {
		memcpy(cert_cache[slot].der, der, len);
		cert_cache[slot].len = len;
		cert_cache[slot].x = x;
	}
	return x;
}

static int cache_slot(X509 *cert)
{
	for (int i = 0; i < CERT_CACHE; i++)
		if (cert_cache[i].x == cert)
			return i;
	return -1;
}

static int cert_acceptable_cached(X509 *cert)
{
	int i = cache_slot(cert), error;

	if (i >= 0 && cert_cache[i].acceptable)
		return 0;
	if ((error = docket_pubkey_acceptable(X509_get0_pubkey(cert), "certificate")) < 0)
		return error;
	if (i >= 0)
		cert_cache[i].acceptable = 1;
	return 0;
}

static int asn1_epoch(time_t *out, const ASN1_TIME *t)
{
	struct tm tm;
	if (!t || !ASN1_TIME_to_tm(t, &tm))
		return -1;
	*out = timegm(&tm);
	return 0;
}

/*
 * The chain check at signing time, remembered: once a certificate has chained to the
 * store, it does so at any time inside its own validity and every anchor's — the
 * intersection is kept (a conservative interval), and a signing time outside it is checked
 * in full again. Only for certificates the anchor issued directly (no intermediates).
 */
static int cert_check_cached(X509 *cert, STACK_OF(X509) *chain, X509_STORE *store, time_t at)
{
	int i = cache_slot(cert), error;
	time_t lo, hi, a, b;
	STACK_OF(X509_OBJECT) *objs;

	/* only for the cached trust store: its generation says it is the very same anchors */
	int cacheable = store == trust_cache.store && trust_cache.gen != 0;

	if (i >= 0 && cacheable && (!chain || sk_X509_num(chain) == 0) && cert_cache[i].gen == trust_cache.gen &&
	    at >= cert_cache[i].lo && at <= cert_cache[i].hi)
		return 0;
	if ((error = docket_cert_check(cert, chain, store, at, 1)) < 0)
		return error;
	if (i < 0 || !cacheable || (chain && sk_X509_num(chain) > 0))
		return 0;
	if (asn1_epoch(&lo, X509_get0_notBefore(cert)) < 0 || asn1_epoch(&hi, X509_get0_notAfter(cert)) < 0)
		return 0;
	objs = X509_STORE_get0_objects(store);
	for (int k = 0; objs && k < sk_X509_OBJECT_num(objs); k++) {
		X509 *ca = X509_OBJECT_get0_X509(sk_X509_OBJECT_value(objs, k));
		if (!ca || asn1_epoch(&a, X509_get0_notBefore(ca)) < 0 || asn1_epoch(&b, X509_get0_notAfter(ca)) < 0)
			return 0;
		if (a > lo)
			lo = a;
		if (b < hi)
			hi = b;
	}
	cert_cache[i].gen = trust_cache.gen;
	cert_cache[i].lo = lo;
	cert_cache[i].hi = hi;
	return 0;
}

int docket_xmldsig_verify_xml(docket_sig_result **out, size_t *n, xmlDocPtr doc,
                              const char *trust_pem_file)
{
	return docket_xmldsig_verify_xml_skip(out, n, doc, trust_pem_file, NULL, 0);
}

static int skipped(xmlNodePtr c, xmlNodePtr const *skip, size_t nskip)
{
	for (size_t i = 0; i < nskip; i++)
		if (skip[i] == c)
			return 1;
	return 0;
}

int docket_xmldsig_verify_xml_skip(docket_sig_result **out, size_t *n, xmlDocPtr doc,
                                   const char *trust_pem_file, xmlNodePtr const *skip, size_t nskip)
{
	docket_sig_result *res = NULL;
	xmlNodePtr sigs = NULL, c;
	vctx v;
	size_t count = 0, i = 0;
	int error, nsigs, first_failure = -1;

	memset(&v, 0, sizeof(v));
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || !doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_xmldsig_verify: missing argument");
	v.doc = doc;
	v.root = xmlDocGetRootElement(doc);
	if (!docket_xml_is(v.root, DOCKET_NS, "document"))
		return docket_error_set(DOCKET_EINVALID, "not a docket document: the root is not {%s}document", DOCKET_NS);
	if ((v.doc_id = attr(v.root, "id")) == NULL)
		v.doc_id = "";
	v.ncontent = count_children(v.root, DOCKET_NS, "content", &v.content);
	v.nheader = count_children(v.root, DOCKET_NS, "header", &v.header);
	if (v.ncontent != 1)
		v.content = NULL;
	if (v.nheader != 1)
		v.header = NULL;
	if ((nsigs = count_children(v.root, DOCKET_NS, "signatures", &sigs)) > 1)
		return docket_error_set(DOCKET_EINVALID, "the document has %d signatures elements, expected at most one", nsigs);
	if ((error = trust_store_cached(&v.store, trust_pem_file)) < 0)
		goto cleanup;
	for (c = sigs ? sigs->children : NULL; c; c = c->next)
		if (docket_xml_is(c, DS, "Signature") && !skipped(c, skip, nskip))
			count++;
	if (count > MAX_SIGNATURES) {
		error = docket_error_set(DOCKET_EINVALID, "the document has more than %d signatures", MAX_SIGNATURES);
		goto cleanup;
	}
	if (count && (res = calloc(count, sizeof(*res))) == NULL) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (c = sigs ? sigs->children : NULL; c; c = c->next) {
		if (!docket_xml_is(c, DS, "Signature") || skipped(c, skip, nskip))
			continue;
		res[i].status = DOCKET_SIG_FAILED;
		if ((error = verify_one(&res[i], &v, c)) < 0)
			goto cleanup;
		if (res[i].status != DOCKET_SIG_OK && first_failure < 0)
			first_failure = (int)i;
		i++;
	}
	if (first_failure >= 0)
		error = docket_error_set(DOCKET_EVERIFY, "signature '%s': %s", res[first_failure].id,
		                         res[first_failure].reason ? res[first_failure].reason : "failed");
	else
		error = 0;
	*out = res;
	*n = count;
	res = NULL;
cleanup:
	docket_sig_results_free(res, count);
	X509_STORE_free(v.store);
	docket_buf_free(&v.steps);
	free(v.steps_end);
	return error;
}

int docket_sig_props_init(docket_sig_props *props, unsigned int version)
{
	const docket_sig_props init = DOCKET_SIG_PROPS_INIT;
	int error;

	if (!props)
		return docket_error_set(DOCKET_EUSAGE, "docket_sig_props_init: no structure");
	if ((error = docket_options_check(version, DOCKET_SIG_PROPS_VERSION, "docket_sig_props",
	                                  "DOCKET_SIG_PROPS_INIT")) < 0)
		return error;
	*props = init;
	return 0;
}

int docket_xmldsig_sign(char **out_id, docket_doc *doc, docket_key *key, const docket_cert *cert,
                        const docket_sig_props *props)
{
	if (out_id)
		*out_id = NULL;
	if (!doc || !cert)
		return docket_error_set(DOCKET_EUSAGE, "signing needs a document, a key, its certificate and a commitment");
	return docket_xmldsig_sign_xml(out_id, docket_doc_xml(doc), key, cert->x509, props);
}

int docket_xmldsig_verify(docket_sig_result **out, size_t *n, docket_doc *doc, const char *trust_pem_file)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || !doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_xmldsig_verify: missing argument");
	return docket_xmldsig_verify_xml(out, n, docket_doc_xml(doc), trust_pem_file);
}
