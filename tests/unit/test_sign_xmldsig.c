/*
 * XML-DSig signatures inside documents: made by docket and verified by docket and xmlsec1,
 * made by xmlsec1 and verified by docket, and every forgery of the signing notes refused
 * with its precise reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/tree.h>
#include <openssl/pem.h>
#include "xml_internal.h"
#include "docket/doc.h"
#include "sign_internal.h"
#include "sign_fixtures.h"

#define PASS "correct horse battery staple"
#define CA_PASS "ca pass"
#define ROLE "KT. TRƯỞNG PHÒNG — PHÓ TRƯỞNG PHÒNG"

typedef struct {
	char key[FX_PATH], cert[FX_PATH];
	docket_key *k;
	X509 *c;
} person;

static struct {
	char dir[FX_PATH], ca[FX_PATH], ca_pem[FX_PATH], other_ca[FX_PATH], doc[FX_PATH], schema[FX_PATH];
	person lan, hoa, rsa, mallory;
	X509 *lan_expired, *lan_future;
	time_t now;
} W;

static void make_person(person *p, const char *name, const char *cn, const char *ca, int rsa)
{
	char file[FX_PATH], csr[FX_PATH];

	snprintf(file, sizeof(file), "%s.key", name);
	fx_join(p->key, W.dir, file);
	snprintf(file, sizeof(file), "%s.key.csr", name);
	fx_join(csr, W.dir, file);
	snprintf(file, sizeof(file), "%s.pem", name);
	fx_join(p->cert, W.dir, file);
	if (docket_key_generate(p->key, rsa, PASS, cn, NULL) < 0 ||
	    docket_ca_issue(ca, CA_PASS, csr, p->cert, 365) < 0 ||
	    docket_key_load(&p->k, p->key, PASS) < 0 || docket_x509_load(&p->c, p->cert) < 0) {
		fprintf(stderr, "fixture %s: %s\n", name, docket_error_last());
		abort();
	}
}

static X509 *issue_window(const char *name, time_t from, time_t to)
{
	char csr[FX_PATH], cert[FX_PATH];
	X509 *c = NULL;

	fx_join(csr, W.dir, "lan.key.csr");
	fx_join(cert, W.dir, name);
	if (docket_ca_issue_validity(W.ca, CA_PASS, csr, cert, from, to) < 0 || docket_x509_load(&c, cert) < 0) {
		fprintf(stderr, "fixture %s: %s\n", name, docket_error_last());
		abort();
	}
	return c;
}

static int group_setup(void **state)
{
	(void)state;
	if (docket_global_init() < 0 || fx_mktemp(W.dir, "xmldsig") < 0)
		return -1;
	W.now = time(NULL);
	fx_join(W.ca, W.dir, "ca");
	fx_join(W.ca_pem, W.ca, "ca.pem");
	fx_join(W.other_ca, W.dir, "other-ca");
	snprintf(W.doc, sizeof(W.doc), "%s/tests/resources/sign/task.xml", fx_src());
	snprintf(W.schema, sizeof(W.schema), "%s/schemas/docket.xsd", fx_src());
	/* the organisation's CA has been in service for a year */
	if (docket_ca_init_validity(W.ca, "Phòng GDĐT Cẩm Phả", CA_PASS, W.now - 400 * 86400,
	                            W.now + 3650L * 86400) < 0 ||
	    docket_ca_init(W.other_ca, "Phòng GDĐT Cẩm Phả", CA_PASS) < 0)
		return -1;
	make_person(&W.lan, "lan", "Lê Thị Lan", W.ca, 0);
	make_person(&W.hoa, "hoa", "Nguyễn Thị Hoa", W.ca, 0);
	make_person(&W.rsa, "minh", "Trần Văn Minh", W.ca, 1);
	make_person(&W.mallory, "mallory", "Lê Thị Lan", W.other_ca, 0);
	W.lan_expired = issue_window("lan-expired.pem", W.now - 40 * 86400, W.now - 30 * 86400);
	W.lan_future = issue_window("lan-future.pem", W.now + 86400, W.now + 90 * 86400);
	return 0;
}

static int group_teardown(void **state)
{
	person *all[] = { &W.lan, &W.hoa, &W.rsa, &W.mallory };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		docket_key_free(all[i]->k);
		X509_free(all[i]->c);
	}
	X509_free(W.lan_expired);
	X509_free(W.lan_future);
	fx_rmtree(W.dir);
	docket_global_shutdown();
	return 0;
}

/* --- helpers ------------------------------------------------------------------------------- */

static xmlDocPtr fixture_doc(void)
{
	xmlDocPtr doc = fx_load_doc(W.doc);
	assert_non_null(doc);
	return doc;
}

static void sign(xmlDocPtr doc, const person *p, X509 *cert, const char *transition,
                 const char *commitment, int header, time_t when, const char *expect_id)
{
	docket_sig_props props = DOCKET_SIG_PROPS_INIT;
	char *id = NULL;
	int rc;

	props.role = ROLE;
	props.commitment = commitment;
	props.transition = transition;
	props.signing_time = when;
	props.covers_header = header;
	rc = docket_xmldsig_sign_xml(&id, doc, p->k, cert ? cert : p->c, &props);

	if (rc != 0)
		print_message("signing failed: %s\n", docket_error_last());
	assert_int_equal(rc, 0);
	assert_string_equal(id, expect_id);
	free(id);
}

/*
 * When the fixture document was signed: a while before the test started, but after the
 * signer's certificate begins (an hour before it was issued, which is a few seconds after
 * W.now when the machine is slow: signing exactly an hour before W.now was flaky).
 */
#define SIGNED_AGO 1800

static xmlDocPtr signed_doc(void)
{
	xmlDocPtr doc = fixture_doc();
	sign(doc, &W.lan, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, W.now - SIGNED_AGO, "sig-1");
	return doc;
}

/* Verify DOC and expect signature INDEX to fail with a reason containing REASON. */
static void expect_failure(xmlDocPtr doc, size_t index, const char *reason)
{
	docket_sig_result *res = NULL;
	size_t n = 0;
	int rc = docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem);

	assert_int_equal(rc, DOCKET_EVERIFY);
	assert_true(index < n);
	if (!res[index].reason || !strstr(res[index].reason, reason))
		print_message("expected reason '%s', got '%s'\n", reason, res[index].reason ? res[index].reason : "(none)");
	assert_int_equal(res[index].status, DOCKET_SIG_FAILED);
	assert_non_null(res[index].reason);
	assert_non_null(strstr(res[index].reason, reason));
	assert_non_null(strstr(docket_error_last(), reason));
	docket_sig_results_free(res, n);
}

static void expect_all_ok(xmlDocPtr doc, size_t count)
{
	docket_sig_result *res = NULL;
	size_t n = 0, i;
	int rc = docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem);

	for (i = 0; i < n; i++)
		if (res[i].status != DOCKET_SIG_OK)
			print_message("signature %s: %s\n", res[i].id, res[i].reason);
	assert_int_equal(rc, 0);
	assert_int_equal(n, count);
	for (i = 0; i < n; i++)
		assert_int_equal(res[i].status, DOCKET_SIG_OK);
	docket_sig_results_free(res, n);
}

/* xmlsec1 as the notes prescribe; SIG_ID selects a signature, HEADER registers header/@Id. */
static int xmlsec_verify(const char *file, const char *sig_id, int header)
{
	char xpath[128] = "";

	if (sig_id)
		snprintf(xpath, sizeof(xpath), " --node-xpath \"//*[local-name()='Signature'][@Id='%s']\"", sig_id);
	return fx_run("xmlsec1 --verify --trusted-pem %s --enabled-key-data x509 --enabled-reference-uris same-doc "
	              "--id-attr:Id urn:docket:document:1:content%s%s %s", W.ca_pem,
	              header ? " --id-attr:Id urn:docket:document:1:header" : "", xpath, file);
}

static void save(xmlDocPtr doc, const char *name, char path[FX_PATH])
{
	fx_join(path, W.dir, name);
	assert_int_equal(fx_save_doc(doc, path), 0);
}

static void set_text(xmlDocPtr doc, const char *xpath, const char *text)
{
	xmlNodePtr node = fx_xpath(doc, xpath);
	assert_non_null(node);
	xmlNodeSetContent(node, (const xmlChar *)text);
}

/* Turn a signature into an xmlsec1 template: digests, value and certificate emptied. */
static void blank_values(xmlNodePtr node)
{
	for (; node; node = node->next) {
		if (node->type != XML_ELEMENT_NODE)
			continue;
		if ((docket_xml_is(node, DOCKET_DSIG_NS, "DigestValue") &&
		     docket_xml_is(node->parent, DOCKET_DSIG_NS, "Reference")) ||
		    docket_xml_is(node, DOCKET_DSIG_NS, "SignatureValue") ||
		    docket_xml_is(node, DOCKET_DSIG_NS, "X509Certificate"))
			xmlNodeSetContent(node, (const xmlChar *)"");
		else
			blank_values(node->children);
	}
}

static char *serialize(xmlDocPtr doc)
{
	xmlChar *mem = NULL;
	int size = 0;
	char *s;

	xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
	s = docket_strndup((const char *)mem, (size_t)size);
	xmlFree(mem);
	return s;
}

/* --- made by docket ------------------------------------------------------------------------ */

static void test_sign_verify_docket_and_xmlsec1(void **state)
{
	xmlDocPtr doc = signed_doc(), again;
	xmlNodePtr root = xmlDocGetRootElement(doc), last = root->last, sigs;
	docket_sig_result *res = NULL;
	size_t n = 0;
	char path[FX_PATH], when[40];
	struct tm tm;
	time_t local = W.now - SIGNED_AGO + 7 * 3600;

	(void)state;
	/* placed after workflow, as the schema wants */
	while (last && last->type != XML_ELEMENT_NODE)
		last = last->prev;
	assert_true(docket_xml_is(last, DOCKET_NS, "signatures"));
	sigs = last;
	for (last = sigs->prev; last && last->type != XML_ELEMENT_NODE; last = last->prev)
		;
	assert_true(docket_xml_is(last, DOCKET_NS, "workflow"));
	assert_non_null(fx_xpath(doc, "/d:document/d:signatures/ds:Signature[@Id='sig-1']"
	                              "/ds:Object/xades:QualifyingProperties[@Target='#sig-1']"
	                              "/xades:SignedProperties[@Id='sig-1-props']"));

	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem), 0);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].id, "sig-1");
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	assert_null(res[0].reason);
	assert_string_equal(res[0].signer, "Lê Thị Lan");
	assert_non_null(res[0].cert);
	assert_int_equal(X509_cmp(docket_cert_x509(res[0].cert), W.lan.c), 0);
	assert_int_equal(res[0].signing_time, W.now - SIGNED_AGO);
	gmtime_r(&local, &tm);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S+07:00", &tm);
	assert_string_equal(res[0].signing_time_text, when);
	assert_string_equal(res[0].role, ROLE);
	assert_string_equal(res[0].commitment, "http://uri.etsi.org/01903/v1.2.2#ProofOfApproval");
	assert_string_equal(res[0].transition, "approve");
	assert_string_equal(res[0].document_id, "nv-2025-07");
	assert_false(res[0].covers_header);
	docket_sig_results_free(res, n);

	/* through a file and back */
	save(doc, "signed.xml", path);
	again = fx_load_doc(path);
	assert_non_null(again);
	expect_all_ok(again, 1);
	xmlFreeDoc(again);

	/* the independent tools: xmlsec1 verifies, xmllint still validates against the schema */
	assert_cmd(xmlsec_verify(path, NULL, 0), 1);
	assert_cmd(fx_run("xmllint --noout --schema %s %s", W.schema, path), 1);
	/* and xmlsec1 is not merely lenient: without the Id attribute declaration it cannot resolve */
	assert_cmd(fx_run("xmlsec1 --verify --trusted-pem %s --enabled-key-data x509 --enabled-reference-uris same-doc %s",
	                  W.ca_pem, path), 0);
	xmlFreeDoc(doc);
}

static void test_two_signatures_independent(void **state)
{
	xmlDocPtr doc = signed_doc(), third;
	docket_sig_result *res = NULL;
	size_t n = 0;
	char path[FX_PATH];
	xmlNodePtr header, sig1;
	xmlChar *hid;

	(void)state;
	sign(doc, &W.hoa, NULL, "issue", DOCKET_COMMITMENT_ORIGIN, 1, W.now - 60, "sig-2");
	header = fx_xpath(doc, "/d:document/d:header");
	hid = xmlGetNoNsProp(header, (const xmlChar *)"Id");
	assert_non_null(hid);
	assert_string_equal((const char *)hid, "header");
	xmlFree(hid);
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem), 0);
	assert_int_equal(n, 2);
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	assert_int_equal(res[1].status, DOCKET_SIG_OK);
	assert_false(res[0].covers_header);
	assert_true(res[1].covers_header);
	assert_string_equal(res[1].signer, "Nguyễn Thị Hoa");
	assert_string_equal(res[1].commitment, DOCKET_COMMITMENT_ORIGIN);
	assert_string_equal(res[1].transition, "issue");
	docket_sig_results_free(res, n);

	save(doc, "two.xml", path);
	assert_cmd(xmlsec_verify(path, "sig-1", 0), 1);
	assert_cmd(xmlsec_verify(path, "sig-2", 1), 1);
	assert_cmd(fx_run("xmllint --noout --schema %s %s", W.schema, path), 1);

	/* the number and date are covered by the organisation's signature only */
	set_text(doc, "/d:document/d:header/d:date", "2025-03-03");
	expect_failure(doc, 1, "header changed after signing");
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem), DOCKET_EVERIFY);
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	docket_sig_results_free(res, n);
	save(doc, "two-changed.xml", path);
	assert_cmd(xmlsec_verify(path, "sig-2", 1), 0);
	assert_cmd(xmlsec_verify(path, "sig-1", 0), 1);
	set_text(doc, "/d:document/d:header/d:date", "2025-03-02");

	/* a third signature takes the next free number, a freed number is reused */
	third = xmlCopyDoc(doc, 1);
	sign(third, &W.rsa, NULL, "review", DOCKET_COMMITMENT_REVIEW, 0, 0, "sig-3");
	expect_all_ok(third, 3);
	xmlFreeDoc(third);
	sig1 = fx_xpath(doc, "//ds:Signature[@Id='sig-1']");
	xmlUnlinkNode(sig1);
	xmlFreeNode(sig1);
	sign(doc, &W.rsa, NULL, "review", DOCKET_COMMITMENT_REVIEW, 0, 0, "sig-1");
	expect_all_ok(doc, 2);
	xmlFreeDoc(doc);
}

static void test_rsa_signature(void **state)
{
	xmlDocPtr doc = fixture_doc();
	char path[FX_PATH];

	(void)state;
	sign(doc, &W.rsa, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	assert_non_null(fx_xpath(doc, "//ds:SignatureMethod[@Algorithm='http://www.w3.org/2001/04/xmldsig-more#rsa-sha256']"));
	expect_all_ok(doc, 1);
	save(doc, "rsa.xml", path);
	assert_cmd(xmlsec_verify(path, NULL, 0), 1);
	xmlFreeDoc(doc);
}

/* --- made by xmlsec1 ----------------------------------------------------------------------- */

static void xmlsec1_signs(const person *p, int header)
{
	xmlDocPtr doc = fixture_doc(), out;
	char tmpl[FX_PATH], result[FX_PATH];
	docket_sig_result *res = NULL;
	size_t n = 0;

	sign(doc, p, NULL, "issue", DOCKET_COMMITMENT_ORIGIN, header, 0, "sig-1");
	blank_values(fx_xpath(doc, "//ds:Signature"));
	assert_null(fx_xpath(doc, "//ds:SignatureValue/text()"));
	save(doc, "template.xml", tmpl);
	fx_join(result, W.dir, "by-xmlsec1.xml");
	unlink(result);
	assert_cmd(fx_run("xmlsec1 --sign --privkey-pem %s,%s --pwd '" PASS "' --id-attr:Id urn:docket:document:1:content "
	                  "%s --output %s %s", p->key, p->cert,
	                  header ? "--id-attr:Id urn:docket:document:1:header" : "", result, tmpl), 1);
	out = fx_load_doc(result);
	assert_non_null(out);
	assert_non_null(fx_xpath(out, "//ds:SignatureValue/text()"));
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, out, W.ca_pem), 0);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	assert_int_equal(res[0].covers_header, header);
	assert_int_equal(X509_cmp(docket_cert_x509(res[0].cert), p->c), 0);
	docket_sig_results_free(res, n);

	/* and what xmlsec1 signed is still guarded: change the content, docket refuses */
	set_text(out, "//d:task/d:due", "2026-12-15");
	expect_failure(out, 0, "content changed after signing");
	xmlFreeDoc(out);
	xmlFreeDoc(doc);
}

static void test_xmlsec1_signature_verified_by_docket(void **state)
{
	(void)state;
	xmlsec1_signs(&W.lan, 0);
	xmlsec1_signs(&W.hoa, 1);
	xmlsec1_signs(&W.rsa, 0);
}

/* --- forgeries ----------------------------------------------------------------------------- */

static void test_forgery_content_changed(void **state)
{
	xmlDocPtr doc = signed_doc();
	char path[FX_PATH];
	docket_sig_result *res = NULL;
	size_t n = 0;

	(void)state;
	set_text(doc, "//d:task/d:due", "2026-12-15");
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem), DOCKET_EVERIFY);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].reason, "content changed after signing");
	/* the rest of the verdict is still reported */
	assert_string_equal(res[0].signer, "Lê Thị Lan");
	assert_string_equal(res[0].transition, "approve");
	assert_string_equal(docket_error_last(), "signature 'sig-1': content changed after signing");
	docket_sig_results_free(res, n);
	save(doc, "changed.xml", path);
	assert_cmd(xmlsec_verify(path, NULL, 0), 0);

	/* even a single character of white space inside the content */
	xmlFreeDoc(doc);
	doc = signed_doc();
	xmlNodeAddContent(fx_xpath(doc, "//d:task"), (const xmlChar *)" ");
	expect_failure(doc, 0, "content changed after signing");
	xmlFreeDoc(doc);
}

static void test_forgery_other_document(void **state)
{
	xmlDocPtr doc = signed_doc(), other = fixture_doc();
	xmlNodePtr sig, root;

	(void)state;
	/* the signature copied into another document (other id, other content) */
	xmlSetProp(xmlDocGetRootElement(other), (const xmlChar *)"id", (const xmlChar *)"nv-2025-08");
	xmlSetProp(fx_xpath(other, "//d:assignee"), (const xmlChar *)"unit", (const xmlChar *)"TH-CAMPHA2");
	root = xmlDocGetRootElement(other);
	sig = xmlDocCopyNode(fx_xpath(doc, "/d:document/d:signatures"), other, 1);
	xmlAddChild(root, sig);
	expect_failure(other, 0, "signature references a different document ('nv-2025-07'; this document is 'nv-2025-08')");
	xmlFreeDoc(other);

	/* the same document renamed: identical content, another id */
	xmlSetProp(xmlDocGetRootElement(doc), (const xmlChar *)"id", (const xmlChar *)"nv-2025-09");
	expect_failure(doc, 0, "signature references a different document");
	xmlFreeDoc(doc);
}

static void test_forgery_signature_wrapping(void **state)
{
	xmlDocPtr doc;
	xmlNodePtr content, fake;
	char path[FX_PATH];

	(void)state;
	/* signed content moved aside (into the signature's Object), unsigned content where docket reads */
	doc = signed_doc();
	content = fx_xpath(doc, "/d:document/d:content");
	fake = xmlDocCopyNode(content, doc, 1);
	xmlUnsetProp(fake, (const xmlChar *)"Id");
	xmlAddPrevSibling(content, fake);
	xmlUnlinkNode(content);
	xmlAddChild(fx_xpath(doc, "//ds:Signature/ds:Object"), content);
	set_text(doc, "/d:document/d:content/d:task/d:due", "2030-12-31");
	assert_true(fx_xpath(doc, "/d:document/d:content") == fake);
	expect_failure(doc, 0, "signature wrapping: reference '#content' points to a content element that is not the document's content");
	save(doc, "xsw.xml", path);
	if (xmlsec_verify(path, NULL, 0) == 0)
		print_message("note: xmlsec1 accepts this signature-wrapped document (as shared/notes/signing.md says)\n");
	xmlFreeDoc(doc);

	/* the same with the unsigned content keeping Id="content": two elements claim the Id */
	doc = signed_doc();
	content = fx_xpath(doc, "/d:document/d:content");
	fake = xmlDocCopyNode(content, doc, 1);
	xmlAddPrevSibling(content, fake);
	xmlUnlinkNode(content);
	xmlAddChild(fx_xpath(doc, "/d:document/d:header"), content);
	set_text(doc, "/d:document/d:content/d:task/d:due", "2030-12-31");
	expect_failure(doc, 0, "duplicate Id 'content'");
	xmlFreeDoc(doc);

	/* an unsigned content element put before the signed one */
	doc = signed_doc();
	content = fx_xpath(doc, "/d:document/d:content");
	fake = xmlDocCopyNode(content, doc, 1);
	xmlUnsetProp(fake, (const xmlChar *)"Id");
	xmlAddPrevSibling(content, fake);
	expect_failure(doc, 0, "signature wrapping: the document has 2 content elements");
	xmlFreeDoc(doc);

	/* references other than same-document "#id" */
	doc = signed_doc();
	xmlSetProp(fx_xpath(doc, "//ds:Reference[@URI='#content']"), (const xmlChar *)"URI",
	           (const xmlChar *)"#xpointer(id('content'))");
	expect_failure(doc, 0, "reference '#xpointer(id('content'))' is not a same-document '#id' reference");
	xmlFreeDoc(doc);
	doc = signed_doc();
	xmlSetProp(fx_xpath(doc, "//ds:Reference[@URI='#content']"), (const xmlChar *)"URI", (const xmlChar *)"");
	expect_failure(doc, 0, "reference '' is not a same-document '#id' reference");
	xmlFreeDoc(doc);

	/* a reference to something else than the fixed set */
	doc = signed_doc();
	xmlSetProp(fx_xpath(doc, "/d:document/d:workflow"), (const xmlChar *)"Id", (const xmlChar *)"wf");
	xmlSetProp(fx_xpath(doc, "//ds:Reference[@URI='#content']"), (const xmlChar *)"URI", (const xmlChar *)"#wf");
	expect_failure(doc, 0, "reference '#wf' points to element 'workflow'");
	xmlFreeDoc(doc);

	/* a transform other than exclusive C14N (an enveloped-signature or XPath filter, say) */
	doc = signed_doc();
	xmlSetProp(fx_xpath(doc, "//ds:Reference[@URI='#content']/ds:Transforms/ds:Transform"),
	           (const xmlChar *)"Algorithm", (const xmlChar *)"http://www.w3.org/2000/09/xmldsig#enveloped-signature");
	expect_failure(doc, 0, "transform 'http://www.w3.org/2000/09/xmldsig#enveloped-signature' is not accepted");
	xmlFreeDoc(doc);

	/* the content reference removed: the signature no longer covers the content */
	doc = signed_doc();
	content = fx_xpath(doc, "//ds:Reference[@URI='#content']");
	xmlUnlinkNode(content);
	xmlFreeNode(content);
	expect_failure(doc, 0, "the signature does not cover the document's content");
	xmlFreeDoc(doc);
}

static void test_forgery_duplicate_ids(void **state)
{
	xmlDocPtr doc;
	xmlNodePtr extra, copy;

	(void)state;
	doc = signed_doc();
	extra = xmlNewChild(fx_xpath(doc, "/d:document/d:header"), NULL, (const xmlChar *)"note", NULL);
	xmlSetProp(extra, (const xmlChar *)"Id", (const xmlChar *)"sig-1-props");
	expect_failure(doc, 0, "duplicate Id 'sig-1-props'");
	xmlFreeDoc(doc);

	/* xml:id counts as an Id, as it does for xmlsec1 */
	doc = signed_doc();
	xmlSetNsProp(fx_xpath(doc, "/d:document/d:workflow"), xmlSearchNs(doc, xmlDocGetRootElement(doc),
	             (const xmlChar *)"xml"), (const xmlChar *)"id", (const xmlChar *)"content");
	expect_failure(doc, 0, "duplicate Id 'content'");
	xmlFreeDoc(doc);

	/* a signature copied beside itself */
	doc = signed_doc();
	copy = xmlDocCopyNode(fx_xpath(doc, "//ds:Signature"), doc, 1);
	xmlSetProp(copy, (const xmlChar *)"Id", (const xmlChar *)"sig-2");
	xmlAddChild(fx_xpath(doc, "/d:document/d:signatures"), copy);
	expect_failure(doc, 1, "duplicate Id 'sig-1-props'");
	expect_failure(doc, 0, "duplicate Id 'sig-1-props'");
	xmlFreeDoc(doc);
}

static void test_forgery_untrusted_keys(void **state)
{
	xmlDocPtr doc, out;
	xmlNodePtr ki, c, kv;
	EVP_PKEY *evil;
	FILE *f;
	char tmpl[FX_PATH], result[FX_PATH], evil_key[FX_PATH], path[FX_PATH];

	(void)state;
	/* a key put in KeyValue by an attacker, signed with xmlsec1 itself */
	fx_join(evil_key, W.dir, "evil.key");
	evil = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	assert_non_null(evil);
	assert_non_null(f = fopen(evil_key, "w"));
	assert_int_equal(PEM_write_PKCS8PrivateKey(f, evil, NULL, NULL, 0, NULL, NULL), 1);
	fclose(f);
	EVP_PKEY_free(evil);
	doc = fixture_doc();
	sign(doc, &W.rsa, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	blank_values(fx_xpath(doc, "//ds:Signature"));
	ki = fx_xpath(doc, "//ds:Signature/ds:KeyInfo");
	while ((c = ki->children) != NULL) {
		xmlUnlinkNode(c);
		xmlFreeNode(c);
	}
	kv = xmlNewChild(ki, ki->ns, (const xmlChar *)"KeyValue", NULL);
	assert_non_null(kv);
	save(doc, "kv-template.xml", tmpl);
	fx_join(result, W.dir, "kv.xml");
	assert_cmd(fx_run("xmlsec1 --sign --privkey-pem %s --id-attr:Id urn:docket:document:1:content --output %s %s",
	                  evil_key, result, tmpl), 1);
	out = fx_load_doc(result);
	assert_non_null(out);
	assert_non_null(fx_xpath(out, "//ds:KeyValue/ds:RSAKeyValue"));
	expect_failure(out, 0, "KeyValue, which is never trusted: key not chained to the trusted CA");
	assert_cmd(xmlsec_verify(result, NULL, 0), 0);
	if (fx_run("xmlsec1 --verify --enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content %s",
	           result) == 0)
		print_message("note: xmlsec1 without --enabled-key-data x509 accepts the KeyValue forgery\n");
	xmlFreeDoc(out);
	xmlFreeDoc(doc);

	/* a certificate from another CA, with the same names */
	doc = fixture_doc();
	sign(doc, &W.mallory, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	expect_failure(doc, 0, "certificate not issued by the trusted CA (issuer 'Phòng GDĐT Cẩm Phả')");
	save(doc, "other-ca.xml", path);
	assert_cmd(xmlsec_verify(path, NULL, 0), 0);
	xmlFreeDoc(doc);

	/* a trusted certificate swapped in for the signer's */
	doc = signed_doc();
	{
		unsigned char *der = NULL;
		int len = i2d_X509(W.hoa.c, &der);
		char *b64 = NULL;
		assert_true(len > 0);
		assert_int_equal(docket_base64_encode(&b64, der, (size_t)len), 0);
		set_text(doc, "//ds:X509Certificate", b64);
		free(b64);
		OPENSSL_free(der);
	}
	expect_failure(doc, 0, "signature value does not match");
	xmlFreeDoc(doc);

	/* no certificate at all */
	doc = signed_doc();
	c = fx_xpath(doc, "//ds:KeyInfo");
	xmlUnlinkNode(c);
	xmlFreeNode(c);
	expect_failure(doc, 0, "the signature carries no X509Certificate");
	xmlFreeDoc(doc);
}

static void test_forgery_certificate_validity(void **state)
{
	xmlDocPtr doc;
	char path[FX_PATH], when[32];
	struct tm tm;
	time_t t;

	(void)state;
	doc = fixture_doc();
	sign(doc, &W.lan, W.lan_expired, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	expect_failure(doc, 0, "certificate expired at signing time");
	xmlFreeDoc(doc);

	doc = fixture_doc();
	sign(doc, &W.lan, W.lan_future, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	expect_failure(doc, 0, "certificate not yet valid at signing time");
	xmlFreeDoc(doc);

	/* validity is judged at the signing time: signed while the certificate was valid */
	doc = fixture_doc();
	sign(doc, &W.lan, W.lan_expired, "approve", DOCKET_COMMITMENT_APPROVAL, 0, W.now - 35 * 86400, "sig-1");
	expect_all_ok(doc, 1);
	/* xmlsec1 judges at the wall clock unless told the time (local time: TZ=UTC pins it) */
	save(doc, "signed-in-window.xml", path);
	assert_cmd(xmlsec_verify(path, NULL, 0), 0);
	t = W.now - 35 * 86400;
	gmtime_r(&t, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	assert_cmd(fx_run("TZ=UTC xmlsec1 --verify --verification-time '%s' --trusted-pem %s --enabled-key-data x509 "
	                  "--enabled-reference-uris same-doc --id-attr:Id urn:docket:document:1:content %s",
	                  when, W.ca_pem, path), 1);
	xmlFreeDoc(doc);
}

static void test_forgery_signed_properties(void **state)
{
	xmlDocPtr doc;

	(void)state;
	doc = signed_doc();
	set_text(doc, "//xades:ClaimedRole", "TRƯỞNG PHÒNG");
	expect_failure(doc, 0, "signed properties changed after signing");
	xmlFreeDoc(doc);

	doc = signed_doc();
	set_text(doc, "//d:DocumentId", "nv-2025-08");
	expect_failure(doc, 0, "signed properties changed after signing");
	xmlFreeDoc(doc);

	/* SignedInfo itself altered: the signature value no longer matches */
	doc = signed_doc();
	set_text(doc, "//ds:Reference[@URI='#content']/ds:DigestValue", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=");
	expect_failure(doc, 0, "signature value does not match");
	xmlFreeDoc(doc);

	/* the signature value itself damaged */
	doc = signed_doc();
	set_text(doc, "//ds:SignatureValue", "AAAA");
	expect_failure(doc, 0, "signature value does not match");
	xmlFreeDoc(doc);
}

/* --- the clock ----------------------------------------------------------------------------- */

static void test_docket_now_clock(void **state)
{
	char ca[FX_PATH], ca_pem[FX_PATH], key[FX_PATH], csr[FX_PATH], cert[FX_PATH], path[FX_PATH];
	person p;
	xmlDocPtr doc;
	docket_sig_result *res = NULL;
	size_t n = 0;
	time_t t;

	(void)state;
	/* a history replayed with $DOCKET_NOW: the CA, the certificate and the signature share its clock */
	assert_int_equal(setenv("DOCKET_NOW", "2021-05-11T09:30:00+07:00", 1), 0);
	assert_int_equal(docket_sign_now(&t), 0);
	assert_int_equal(t, 1620700200);
	fx_join(ca, W.dir, "ca-2021");
	fx_join(ca_pem, ca, "ca.pem");
	fx_join(key, W.dir, "lan-2021.key");
	fx_join(csr, W.dir, "lan-2021.key.csr");
	fx_join(cert, W.dir, "lan-2021.pem");
	assert_int_equal(docket_ca_init(ca, "Phòng GDĐT Cẩm Phả", CA_PASS), 0);
	assert_int_equal(docket_key_generate(key, 0, PASS, "Lê Thị Lan", NULL), 0);
	assert_int_equal(docket_ca_issue(ca, CA_PASS, csr, cert, 365), 0);
	assert_int_equal(docket_key_load(&p.k, key, PASS), 0);
	assert_int_equal(docket_x509_load(&p.c, cert), 0);
	doc = fixture_doc();
	sign(doc, &p, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, ca_pem), 0);
	assert_string_equal(res[0].signing_time_text, "2021-05-11T09:30:00+07:00");
	assert_int_equal(res[0].signing_time, 1620700200);
	docket_sig_results_free(res, n);
	/* xmlsec1 agrees when told the moment of signing (its certificate expired in 2022) */
	fx_join(path, W.dir, "signed-2021.xml");
	assert_int_equal(fx_save_doc(doc, path), 0);
	assert_cmd(fx_run("TZ=UTC xmlsec1 --verify --verification-time '2021-05-11 02:30:00' --trusted-pem %s "
	                  "--enabled-key-data x509 --enabled-reference-uris same-doc "
	                  "--id-attr:Id urn:docket:document:1:content %s", ca_pem, path), 1);

	assert_int_equal(setenv("DOCKET_NOW", "yesterday", 1), 0);
	assert_int_equal(docket_sign_now(&t), DOCKET_EUSAGE);
	assert_int_equal(docket_ca_issue(ca, CA_PASS, csr, "/nonexistent.pem", 365), DOCKET_EUSAGE);
	assert_int_equal(unsetenv("DOCKET_NOW"), 0);
	assert_int_equal(docket_sign_now(&t), 0);
	assert_true(t >= W.now);
	xmlFreeDoc(doc);
	docket_key_free(p.k);
	X509_free(p.c);
}

/* --- refusals and edge cases --------------------------------------------------------------- */

/* The public API: a docket_doc signed with a docket_cert, verified, the result's certificate
 * the signer's. */
static void test_public_api(void **state)
{
	docket_doc *doc = NULL;
	docket_cert *cert = NULL, *parsed = NULL;
	docket_sig_props props;
	docket_sig_result *res = NULL;
	size_t n = 0;
	char *id = NULL, *cn = NULL, *fp = NULL, *fp_key = NULL, *pem = NULL, *ssh = NULL, *ssh_key = NULL;

	(void)state;
	assert_int_equal(docket_sig_props_init(&props, DOCKET_SIG_PROPS_VERSION + 1), DOCKET_EUSAGE);
	assert_int_equal(docket_sig_props_init(&props, DOCKET_SIG_PROPS_VERSION), 0);
	props.role = ROLE;
	props.commitment = DOCKET_COMMITMENT_APPROVAL;
	props.transition = "approve";
	assert_int_equal(docket_doc_load_file(&doc, W.doc), 0);
	assert_int_equal(docket_cert_load(&cert, "/nonexistent/lan.pem"), DOCKET_ENOTFOUND);
	assert_null(cert);
	assert_int_equal(docket_cert_load(&cert, W.lan.cert), 0);
	assert_int_equal(docket_cert_subject_cn(&cn, cert), 0);
	assert_string_equal(cn, "Lê Thị Lan");
	assert_int_equal(docket_cert_fingerprint(&fp, cert), 0);
	assert_int_equal(docket_key_fingerprint(&fp_key, W.lan.k), 0);
	assert_string_equal(fp, fp_key);
	assert_int_equal(docket_cert_ssh_pubkey(&ssh, cert), 0);
	assert_int_equal(docket_key_ssh_pubkey(&ssh_key, W.lan.k), 0);
	assert_string_equal(ssh, ssh_key);
	assert_int_equal(docket_cert_verify_chain(cert, W.ca_pem, W.now), 0);
	assert_int_equal(docket_file_read_pem_cert(&pem, NULL, W.lan.cert), 0);
	assert_int_equal(docket_cert_parse(&parsed, pem, strlen(pem)), 0);
	assert_int_equal(X509_cmp(docket_cert_x509(parsed), docket_cert_x509(cert)), 0);
	docket_cert_free(parsed);
	assert_int_equal(docket_cert_parse(&parsed, "not PEM", 7), DOCKET_EINVALID);
	assert_null(parsed);

	assert_int_equal(docket_xmldsig_sign(&id, doc, W.lan.k, cert, &props), 0);
	assert_string_equal(id, "sig-1");
	assert_int_equal(docket_xmldsig_verify(&res, &n, doc, W.ca_pem), 0);
	assert_int_equal(n, 1);
	assert_int_equal(res[0].status, DOCKET_SIG_OK);
	assert_non_null(res[0].cert);
	assert_int_equal(X509_cmp(docket_cert_x509(res[0].cert), docket_cert_x509(cert)), 0);
	docket_sig_results_free(res, n);
	assert_int_equal(docket_xmldsig_sign(NULL, NULL, W.lan.k, cert, &props), DOCKET_EUSAGE);
	assert_int_equal(docket_xmldsig_verify(&res, &n, NULL, W.ca_pem), DOCKET_EUSAGE);
	assert_null(res);

	docket_sig_results_free(NULL, 0);
	docket_cert_free(NULL);
	docket_cert_free(parsed);
	docket_cert_free(cert);
	docket_free(id);
	docket_free(cn);
	docket_free(fp);
	docket_free(fp_key);
	docket_free(pem);
	docket_free(ssh);
	docket_free(ssh_key);
	docket_doc_free(doc);
}

static void test_sign_refusals_change_nothing(void **state)
{
	xmlDocPtr doc = fixture_doc(), other;
	docket_sig_props props = DOCKET_SIG_PROPS_INIT;
	docket_sig_result *res = NULL;
	size_t n = 99;
	char *before = serialize(doc), *after, *id = NULL;
	xmlNodePtr content;

	(void)state;
	props.role = ROLE;
	props.commitment = DOCKET_COMMITMENT_ORIGIN;
	props.transition = "issue";
	props.covers_header = 1;
	/* properties of a version this library does not know */
	props.version = DOCKET_SIG_PROPS_VERSION + 1;
	assert_int_equal(docket_xmldsig_sign_xml(&id, doc, W.lan.k, W.lan.c, &props), DOCKET_EUSAGE);
	assert_non_null(strstr(docket_error_last(), "docket_sig_props version 2 is not supported"));
	assert_null(id);
	props.version = DOCKET_SIG_PROPS_VERSION;
	/* a certificate that is not the key's */
	assert_int_equal(docket_xmldsig_sign_xml(&id, doc, W.lan.k, W.hoa.c, &props), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "not for this key"));
	assert_null(id);
	after = serialize(doc);
	assert_string_equal(before, after);
	free(after);

	props.commitment = NULL;
	assert_int_equal(docket_xmldsig_sign_xml(NULL, doc, W.lan.k, W.lan.c, &props), DOCKET_EUSAGE);
	props.commitment = DOCKET_COMMITMENT_ORIGIN;
	assert_int_equal(docket_xmldsig_sign_xml(NULL, NULL, W.lan.k, W.lan.c, &props), DOCKET_EUSAGE);

	/* no Id on the content */
	content = fx_xpath(doc, "/d:document/d:content");
	xmlUnsetProp(content, (const xmlChar *)"Id");
	assert_int_equal(docket_xmldsig_sign_xml(NULL, doc, W.lan.k, W.lan.c, &props), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "no Id"));
	xmlSetProp(content, (const xmlChar *)"Id", (const xmlChar *)"content");

	/* an Id that is not a name */
	xmlSetProp(content, (const xmlChar *)"Id", (const xmlChar *)"content 1");
	assert_int_equal(docket_xmldsig_sign_xml(NULL, doc, W.lan.k, W.lan.c, &props), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "cannot be referenced"));
	xmlSetProp(content, (const xmlChar *)"Id", (const xmlChar *)"content");

	/* an Id used twice */
	xmlSetProp(fx_xpath(doc, "/d:document/d:workflow"), (const xmlChar *)"Id", (const xmlChar *)"content");
	assert_int_equal(docket_xmldsig_sign_xml(NULL, doc, W.lan.k, W.lan.c, &props), DOCKET_EINVALID);
	assert_non_null(strstr(docket_error_last(), "duplicate Id 'content'"));
	xmlUnsetProp(fx_xpath(doc, "/d:document/d:workflow"), (const xmlChar *)"Id");
	after = serialize(doc);
	assert_string_equal(before, after);
	free(after);

	/* not a docket document */
	assert_int_equal(docket_xml_parse(&other, "<x Id='content'/>", 17, "x"), 0);
	assert_int_equal(docket_xmldsig_sign_xml(NULL, other, W.lan.k, W.lan.c, &props), DOCKET_EINVALID);
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, other, W.ca_pem), DOCKET_EINVALID);
	assert_null(res);
	assert_int_equal(n, 0);
	xmlFreeDoc(other);

	/* verification needs a trust anchor; a document without signatures verifies vacuously */
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, NULL), DOCKET_EUSAGE);
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, "/nonexistent/ca.pem"), DOCKET_ENOTFOUND);
	assert_int_equal(docket_xmldsig_verify_xml(&res, &n, doc, W.ca_pem), 0);
	assert_int_equal(n, 0);
	assert_null(res);

	/* a signatures element without a workflow goes right after the content */
	content = fx_xpath(doc, "/d:document/d:workflow");
	xmlUnlinkNode(content);
	xmlFreeNode(content);
	other = xmlCopyDoc(doc, 1);
	sign(other, &W.lan, NULL, "approve", DOCKET_COMMITMENT_APPROVAL, 0, 0, "sig-1");
	content = fx_xpath(other, "/d:document/d:content");
	while (content->next && content->next->type != XML_ELEMENT_NODE)
		content = content->next;
	assert_true(docket_xml_is(content->next, DOCKET_NS, "signatures"));
	expect_all_ok(other, 1);
	xmlFreeDoc(other);
	free(before);
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sign_verify_docket_and_xmlsec1),
		cmocka_unit_test(test_two_signatures_independent),
		cmocka_unit_test(test_rsa_signature),
		cmocka_unit_test(test_xmlsec1_signature_verified_by_docket),
		cmocka_unit_test(test_forgery_content_changed),
		cmocka_unit_test(test_forgery_other_document),
		cmocka_unit_test(test_forgery_signature_wrapping),
		cmocka_unit_test(test_forgery_duplicate_ids),
		cmocka_unit_test(test_forgery_untrusted_keys),
		cmocka_unit_test(test_forgery_certificate_validity),
		cmocka_unit_test(test_forgery_signed_properties),
		cmocka_unit_test(test_docket_now_clock),
		cmocka_unit_test(test_sign_refusals_change_nothing),
		cmocka_unit_test(test_public_api),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
