/*
 * docket-bench-gen: builds a province-sized docket history for the benchmarks, fast.
 *
 * Writes a `git fast-import` stream on stdout that continues the branch main of a freshly
 * initialised docket repository: one configuration commit (units, people, certificates
 * from a CA made here), then NDOCS unit plans, each added, submitted, reviewed (signed),
 * approved (signed) and issued (numbered, organisation-signed) — five commits per
 * document, in rounds, so every document's versions are spread across the whole history as
 * in a real repository. Documents, steps, trailers, signatures and registers are the ones
 * docket itself writes, so `docket audit` judges the result clean and every signature is
 * verified for real. The signer keys and the CA live in WORKDIR.
 *
 * Keys: docket encrypts key files with scrypt (a quarter of a second each, three times per
 * signer: its key written, the CA's read to issue, its own read), which made 1,500 schools'
 * keys cost longer than the history. The bench's keys are benchmark material, not secrets:
 * the signers' keys are written unencrypted (docket_key_load takes them), their requests made
 * here with OpenSSL, and the CA's key decrypted once and kept unencrypted in WORKDIR/ca.
 *
 * usage: docket-bench-gen WORKDIR NDOCS NUNITS [FIRST]
 *   FIRST: number the documents from FIRST (to extend an existing history: the
 *   configuration commit is not written, the keys in WORKDIR are reused, and the new
 *   documents go as far as approved — four commits each)
 * When stderr is a terminal, a counter of the documents written in each round goes there.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "docket/docket.h"

#define PASS "bench-passphrase"
#define T0 1609459200L /* 2021-01-01T00:00:00Z: the history starts here, a minute a commit */

static long commit_no;
static int first_commit = 1;

static void die(const char *what)
{
	fprintf(stderr, "docket-bench-gen: %s: %s\n", what, docket_error_last());
	exit(1);
}

static void emit_data(const char *data, size_t len)
{
	printf("data %zu\n", len);
	fwrite(data, 1, len, stdout);
	putchar('\n');
}

typedef struct {
	const char *path;
	const char *data;
	size_t len;
} change;

static void emit_commit(const char *name, const char *email, const char *msg, const change *ch, int nch)
{
	long t = T0 + commit_no++ * 60;
	printf("commit refs/heads/main\n");
	printf("author %s <%s> %ld +0700\ncommitter %s <%s> %ld +0700\n", name, email, t, name, email, t);
	emit_data(msg, strlen(msg));
	if (first_commit) {
		printf("from refs/heads/main^0\n");
		first_commit = 0;
	}
	for (int i = 0; i < nch; i++) {
		printf("M 100644 inline %s\n", ch[i].path);
		emit_data(ch[i].data, ch[i].len);
	}
	putchar('\n');
}

static void iso(char out[40], long t)
{
	time_t v = (time_t)t + 7 * 3600;
	struct tm tm;
	gmtime_r(&v, &tm);
	strftime(out, 40, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
}

static char *slurp(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	if (docket_doc_read_file(&buf, &len, path) < 0)
		die(path);
	return buf;
}

typedef struct {
	docket_key *key;
	docket_cert *cert;
	char *pem;
} signer;

/* An unencrypted P-256 key at KEY and a request for CN at CSR. */
static void fast_key(const char *key, const char *csr, const char *cn)
{
	EVP_PKEY *pk = EVP_EC_gen("P-256");
	X509_REQ *req = X509_REQ_new();
	X509_NAME *name = X509_NAME_new();
	FILE *f;

	if (!pk || !req || !name ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_REQ_set_subject_name(req, name) || !X509_REQ_set_pubkey(req, pk) ||
	    !X509_REQ_sign(req, pk, EVP_sha256()))
		die("key: OpenSSL");
	if (!(f = fopen(key, "w")) || !PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) || fclose(f) != 0)
		die(key);
	if (!(f = fopen(csr, "w")) || !PEM_write_X509_REQ(f, req) || fclose(f) != 0)
		die(csr);
	X509_NAME_free(name);
	X509_REQ_free(req);
	EVP_PKEY_free(pk);
}

/* The CA's key, decrypted once: every issue after reads it without scrypt. */
static void ca_key_plain(const char *ca)
{
	char path[4200];
	EVP_PKEY *pk;
	FILE *f;

	snprintf(path, sizeof(path), "%s/ca.key", ca);
	if (!(f = fopen(path, "r")) || !(pk = PEM_read_PrivateKey(f, NULL, NULL, (void *)PASS)))
		die("read the CA key");
	fclose(f);
	if (!(f = fopen(path, "w")) || !PEM_write_PrivateKey(f, pk, NULL, NULL, 0, NULL, NULL) || fclose(f) != 0)
		die("write the CA key");
	EVP_PKEY_free(pk);
}

static void make_signer(signer *s, const char *work, const char *id, const char *cn, int fresh)
{
	char key[4096], csr[4200], crt[4200], ca[4096];
	snprintf(key, sizeof(key), "%s/keys/%s.pem", work, id);
	snprintf(csr, sizeof(csr), "%s.csr", key);
	snprintf(crt, sizeof(crt), "%s/keys/%s.crt", work, id);
	snprintf(ca, sizeof(ca), "%s/ca", work);
	if (fresh) {
		fast_key(key, csr, cn);
		if (docket_ca_issue(ca, NULL, csr, crt, 3650) < 0)
			die("ca issue");
	}
	if (docket_key_load(&s->key, key, NULL) < 0 || docket_cert_load(&s->cert, crt) < 0)
		die("load signer");
	s->pem = slurp(crt);
}

static void xml_escape(FILE *f, const char *s)
{
	for (; *s; s++)
		if (*s == '<')
			fputs("&lt;", f);
		else if (*s == '&')
			fputs("&amp;", f);
		else if (*s == '"')
			fputs("&quot;", f);
		else
			fputc(*s, f);
}

static void step(xmlNodePtr root, const char *state, const char *date, const char *actor, const char *role,
                 const char *tr, const char *from, const char *to)
{
	xmlNodePtr wf = NULL, c, s;
	for (c = root->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "workflow"))
			wf = c;
	if (!wf) {
		xmlNodePtr content = NULL;
		for (c = root->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, "content"))
				content = c;
		wf = xmlNewNode(root->ns, (const xmlChar *)"workflow");
		xmlAddNextSibling(content, wf);
	}
	xmlSetProp(wf, (const xmlChar *)"state", (const xmlChar *)state);
	s = xmlNewChild(wf, wf->ns, (const xmlChar *)"step", NULL);
	xmlSetProp(s, (const xmlChar *)"date", (const xmlChar *)date);
	xmlSetProp(s, (const xmlChar *)"actor", (const xmlChar *)actor);
	xmlSetProp(s, (const xmlChar *)"role", (const xmlChar *)role);
	xmlSetProp(s, (const xmlChar *)"transition", (const xmlChar *)tr);
	xmlSetProp(s, (const xmlChar *)"from", (const xmlChar *)from);
	xmlSetProp(s, (const xmlChar *)"to", (const xmlChar *)to);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
	for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !strcmp((const char *)c->name, name))
			return c;
	return NULL;
}

int main(int argc, char **argv)
{
	const char *work;
	long ndocs, nunits, first = 0;
	char path[4096], **docs, **regs;
	int *regn;
	signer *reviewers, approver, clerk, drafter0;
	int fresh;
	/* a counter on stderr when it is a terminal: a province's history takes minutes */
	int progress = isatty(2);
	static const char *const tr[5] = { "add", "submit", "review", "approve", "issue" };
	static const char *const st[5] = { "draft", "submitted", "reviewed", "approved", "issued" };

	if (argc < 4) {
		fprintf(stderr, "usage: docket-bench-gen WORKDIR NDOCS NUNITS [FIRST]\n");
		return 2;
	}
	work = argv[1];
	ndocs = atol(argv[2]);
	nunits = atol(argv[3]);
	if (argc > 4)
		first = atol(argv[4]);
	fresh = first == 0;
	if (ndocs <= 0 || nunits <= 0)
		return 2;
	/* an extension continues the clock of the history it extends (5 commits a document) */
	commit_no = fresh ? 0 : first * 5 + 1;
	/* the clock of signatures and certificates: the history's own */
	setenv("DOCKET_NOW", "2020-12-31T00:00:00+07:00", 1);
	docket_global_init();
	snprintf(path, sizeof(path), "%s/keys", work);
	mkdir(work, 0700);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/ca", work);
	if (fresh && docket_ca_init(path, "Bench CA", PASS) < 0)
		die("ca init");
	if (fresh)
		ca_key_plain(path);
	reviewers = calloc((size_t)nunits, sizeof(*reviewers));
	for (long u = 0; u < nunits; u++) {
		char id[32], cn[64];
		snprintf(id, sizeof(id), "r%04ld", u);
		snprintf(cn, sizeof(cn), "Reviewer %04ld", u);
		make_signer(&reviewers[u], work, id, cn, fresh);
	}
	make_signer(&approver, work, "lan", "Lê Thị Lan", fresh);
	/* the drafter of the first school acts in the benchmarks (every action signed by its actor) */
	make_signer(&drafter0, work, "d0000", "Giáo viên 0000", fresh);
	make_signer(&clerk, work, "thu", "Phạm Thị Thu", fresh);
	unsetenv("DOCKET_NOW");

	if (fresh) {
		/* the configuration: an administrator, the leadership, the records office, and per
		 * school a drafter and a reviewer (the school's head) with a certificate */
		char *cfg = NULL;
		size_t cfglen = 0;
		FILE *f = open_memstream(&cfg, &cfglen);
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config xmlns=\"urn:docket:config:1\">\n"
		      "  <organisation>\n    <name>SỞ GIÁO DỤC VÀ ĐÀO TẠO</name>\n    <abbr>SGDĐT</abbr>\n"
		      "    <place>Hạ Long</place>\n  </organisation>\n  <units>\n"
		      "    <unit id=\"LD\" name=\"Lãnh đạo\"/>\n    <unit id=\"VT\" name=\"Văn thư\" parent=\"LD\"/>\n", f);
		for (long u = 0; u < nunits; u++)
			fprintf(f, "    <unit id=\"S%04ld\" name=\"Trường %04ld\"/>\n", u, u);
		fputs("  </units>\n  <people>\n"
		      "    <person id=\"admin\" name=\"Quản trị\" position=\"CHUYÊN VIÊN\" unit=\"LD\" roles=\"admin\"/>\n", f);
		fputs("    <person id=\"lan\" name=\"Lê Thị Lan\" position=\"PHÓ GIÁM ĐỐC\" unit=\"LD\" roles=\"approver\">\n"
		      "      <certificate>", f);
		xml_escape(f, approver.pem);
		fputs("</certificate>\n    </person>\n"
		      "    <person id=\"thu\" name=\"Phạm Thị Thu\" position=\"VĂN THƯ\" unit=\"VT\" roles=\"clerk\">\n"
		      "      <certificate>", f);
		xml_escape(f, clerk.pem);
		fputs("</certificate>\n    </person>\n", f);
		for (long u = 0; u < nunits; u++) {
			fprintf(f, "    <person id=\"d%04ld\" name=\"Giáo viên %04ld\" position=\"GIÁO VIÊN\" unit=\"S%04ld\" "
			        "roles=\"drafter\"%s", u, u, u, u ? "/>\n" : ">\n      <certificate>");
			if (u == 0) {
				xml_escape(f, drafter0.pem);
				fputs("</certificate>\n    </person>\n", f);
			}
			fprintf(f, "    <person id=\"r%04ld\" name=\"Hiệu trưởng %04ld\" position=\"HIỆU TRƯỞNG\" unit=\"S%04ld\" "
			        "roles=\"reviewer\">\n      <certificate>", u, u, u);
			xml_escape(f, reviewers[u].pem);
			fputs("</certificate>\n    </person>\n", f);
		}
		fputs("  </people>\n</config>\n", f);
		fclose(f);
		{
			change c = { ".docket/config.xml", cfg, cfglen };
			emit_commit("Quản trị", "admin@bench.invalid",
			            "docket: set up the province\n\nDocket-Action: config\n", &c, 1);
		}
		free(cfg);
	}

	docs = calloc((size_t)ndocs, sizeof(char *));
	regs = calloc((size_t)nunits, sizeof(char *));
	regn = calloc((size_t)nunits, sizeof(int));
	/* extending an existing history: add, submit, review and approve only, so that the
	 * registers written before stay as they are */
	for (int round = 0; round < (fresh ? 5 : 4); round++) {
		for (long k = 0; k < ndocs; k++) {
			if (progress && (k % 1000 == 0 || k == ndocs - 1))
				fprintf(stderr, "\rdocket-bench-gen: %s: %ld/%ld documents", tr[round], k + 1, ndocs);
			long i = first + k, u = i % nunits, year = 2021 + (i / nunits) % 10;
			char id[64], docpath[160], msg[1024], date[40], who[16], email[64], unit[16];
			xmlDocPtr x = NULL;
			xmlChar *mem = NULL;
			int size = 0;
			change ch[2];
			int nch = 1;
			const char *name, *role;
			signer *sg = NULL;

			snprintf(id, sizeof(id), "kh-%ld-s%04ld-%ld", year, u, i);
			snprintf(unit, sizeof(unit), "S%04ld", u);
			snprintf(docpath, sizeof(docpath), "documents/plan/%ld/%s/%s.xml", year, unit, id);
			iso(date, T0 + commit_no * 60);
			if (round == 0) {
				char *d = NULL;
				size_t dl = 0;
				FILE *f = open_memstream(&d, &dl);
				fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
				        "<document xmlns=\"urn:docket:document:1\" id=\"%s\" kind=\"plan\">\n"
				        "  <header>\n    <issuer>\n      <parent>SỞ GIÁO DỤC VÀ ĐÀO TẠO</parent>\n"
				        "      <name>TRƯỜNG %s</name>\n      <abbr>%s</abbr>\n    </issuer>\n"
				        "    <place>Hạ Long</place>\n    <date>%ld-05-11</date>\n"
				        "    <type code=\"KH\">KẾ HOẠCH</type>\n"
				        "    <subject>Kế hoạch thực hiện Chương trình hành động vì trẻ em năm %ld</subject>\n"
				        "    <drafter unit=\"%s\"/>\n"
				        "    <signer>\n      <title>PHÓ GIÁM ĐỐC</title>\n      <fullName>Lê Thị Lan</fullName>\n"
				        "    </signer>\n    <recipients>\n      <recipient purpose=\"b/c\">Sở GDĐT</recipient>\n"
				        "      <recipient>Lưu: VT, %s</recipient>\n    </recipients>\n  </header>\n"
				        "  <content Id=\"content\">\n    <plan>\n      <period start=\"2021\" end=\"2025\"/>\n"
				        "      <objectives num=\"I\" title=\"MỤC TIÊU\">\n"
				        "        <specific num=\"1\" title=\"Mục tiêu cụ thể\">\n          <objective num=\"1\">\n"
				        "            <text>Tỷ lệ trẻ em hoàn thành cấp tiểu học đạt 99,5%% vào năm 2025.</text>\n"
				        "            <indicator id=\"4.1\" measure=\"rate\" unit=\"%%\" comparison=\"ge\">\n"
				        "              <name>Tỷ lệ trẻ em hoàn thành cấp tiểu học</name>\n"
				        "              <target year=\"2025\" value=\"99.5\"/>\n            </indicator>\n"
				        "          </objective>\n        </specific>\n      </objectives>\n"
				        "      <tasks num=\"II\" title=\"NHIỆM VỤ, GIẢI PHÁP\">\n"
				        "        <group id=\"g1\" num=\"1\" title=\"Công tác truyền thông\">\n"
				        "          <item>Tuyên truyền quyền trẻ em đến cha mẹ học sinh.</item>\n        </group>\n"
				        "      </tasks>\n    </plan>\n  </content>\n</document>\n",
				        id, unit, unit, year, year, unit, unit);
				fclose(f);
				docs[k] = d;
				snprintf(who, sizeof(who), "d%04ld", u);
				snprintf(msg, sizeof(msg), "docket: add %s\n\nDocket-Document: %s\nDocket-Action: add\nDocket-Actor: %s\n",
				         id, id, who);
				ch[0].path = docpath;
				ch[0].data = d;
				ch[0].len = dl;
				snprintf(email, sizeof(email), "%s@bench.invalid", who);
				emit_commit("Giáo viên", email, msg, ch, 1);
				continue;
			}
			if (!(x = xmlReadMemory(docs[k], (int)strlen(docs[k]), docpath, "UTF-8", XML_PARSE_NONET)))
				die("reparse");
			switch (round) {
			case 1: snprintf(who, sizeof(who), "d%04ld", u); name = "Giáo viên"; role = "drafter"; break;
			case 2: snprintf(who, sizeof(who), "r%04ld", u); name = "Hiệu trưởng"; role = "reviewer"; sg = &reviewers[u]; break;
			case 3: snprintf(who, sizeof(who), "lan"); name = "Lê Thị Lan"; role = "approver"; sg = &approver; break;
			default: snprintf(who, sizeof(who), "thu"); name = "Phạm Thị Thu"; role = "clerk"; sg = &clerk; break;
			}
			step(xmlDocGetRootElement(x), st[round], date, who, role, tr[round], st[round - 1], st[round]);
			msg[0] = '\0';
			if (round == 4) {
				/* the number from the school's register, and the date */
				xmlNodePtr header = child(xmlDocGetRootElement(x), "header"), code, dt;
				char num[16], line[256], regpath[128], *grown;
				size_t old = regs[u] ? strlen(regs[u]) : 0;
				snprintf(num, sizeof(num), "%02d", ++regn[u]);
				code = xmlNewNode(header->ns, (const xmlChar *)"code");
				xmlNewChild(code, header->ns, (const xmlChar *)"number", (const xmlChar *)num);
				{
					char nota[64];
					snprintf(nota, sizeof(nota), "KH-%s", unit);
					xmlNewChild(code, header->ns, (const xmlChar *)"notation", (const xmlChar *)nota);
				}
				xmlAddNextSibling(child(header, "issuer"), code);
				dt = child(header, "date");
				{
					char day[11];
					memcpy(day, date, 10);
					day[10] = '\0';
					xmlNodeSetContent(dt, (const xmlChar *)day);
					snprintf(line, sizeof(line), "%s\tKH-%s\t%s\t%s\n", num, unit, id, day);
				}
				grown = realloc(regs[u], old + strlen(line) + 1);
				memcpy(grown + old, line, strlen(line) + 1);
				regs[u] = grown;
				snprintf(regpath, sizeof(regpath), ".docket/register/2021/%s.txt", unit);
				ch[1].path = strdup(regpath);
				ch[1].data = regs[u];
				ch[1].len = strlen(regs[u]);
				nch = 2;
				snprintf(msg, sizeof(msg), "Docket-Number: %s/KH-%s\n", num, unit);
			}
			xmlDocDumpMemoryEnc(x, &mem, &size, "UTF-8");
			xmlFreeDoc(x);
			free(docs[k]);
			docs[k] = strndup((const char *)mem, (size_t)size);
			xmlFree(mem);
			if (sg) {
				/* signed through the public API, on the document as docket reads it */
				docket_sig_props props = DOCKET_SIG_PROPS_INIT;
				docket_doc *dd = NULL;
				char *sid = NULL, *signed_text = NULL;
				/* the role docket claims: the reviewer's position, the printed signer's
				 * title (the approver signs what the header shows), the organisation
				 * (the issue's seal) */
				props.role = round == 2 ? "HIỆU TRƯỞNG" : round == 3 ? "PHÓ GIÁM ĐỐC" : "SỞ GIÁO DỤC VÀ ĐÀO TẠO";
				props.bind_step = 1;
				props.commitment = round == 2 ? DOCKET_COMMITMENT_REVIEW :
				                   round == 3 ? DOCKET_COMMITMENT_APPROVAL : DOCKET_COMMITMENT_ORIGIN;
				props.transition = tr[round];
				props.signing_time = (time_t)(T0 + commit_no * 60);
				props.covers_header = round == 4;
				if (docket_doc_parse(&dd, docs[k], strlen(docs[k]), docpath) < 0 ||
				    docket_xmldsig_sign(&sid, dd, sg->key, sg->cert, &props) < 0 ||
				    docket_doc_serialize(&signed_text, NULL, dd) < 0)
					die("sign");
				docket_free(sid);
				docket_doc_free(dd);
				free(docs[k]);
				docs[k] = strdup(signed_text);
				docket_free(signed_text);
			}
			{
				char full[1400];
				snprintf(full, sizeof(full), "docket: %s %s (%s -> %s)\n\nDocket-Document: %s\nDocket-Transition: %s\n"
				         "Docket-From: %s\nDocket-To: %s\nDocket-Actor: %s\nDocket-Role: %s\n%s",
				         tr[round], id, st[round - 1], st[round], id, tr[round], st[round - 1], st[round], who, role, msg);
				ch[0].path = docpath;
				ch[0].data = docs[k];
				ch[0].len = strlen(docs[k]);
				snprintf(email, sizeof(email), "%s@bench.invalid", who);
				emit_commit(name, email, full, ch, nch);
			}
			if (nch == 2)
				free((char *)ch[1].path);
		}
	}
	if (progress)
		fputc('\n', stderr);
	if (fflush(stdout) != 0)
		return 1;
	return 0;
}
