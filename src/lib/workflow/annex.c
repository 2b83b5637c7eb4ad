/*
 * annex: the files a document carries (phụ lục). An annex is stored beside its document as
 * documents/KIND/YEAR/UNIT/ID.annexes/NAME and listed inside the document's content with its
 * media type, size and SHA-256, so the signatures over the content cover its bytes without
 * signing the file itself. Attaching is an edit (action.c: the same checks, one commit that
 * writes both the file and the list); judging compares a tree's files with the list, for
 * docket verify here and for every commit in the audit.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include "workflow_internal.h"
#include "docket/annex.h"

#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

void docket_annex_digest(char hex[65], const void *data, size_t len)
{
	static const char digits[] = "0123456789abcdef";
	unsigned char md[32];
	unsigned int mdlen = 0;

	hex[0] = '\0';
	if (!EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL) || mdlen != 32)
		return;
	for (unsigned int i = 0; i < 32; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[64] = '\0';
}

int docket_annex_dir(docket_buf *out, const char *docpath)
{
	size_t len = strlen(docpath);

	out->len = 0;
	if (len < 5 || strcmp(docpath + len - 4, ".xml") != 0)
		return docket_error_set(DOCKET_EINVALID, "'%s' is not a document path", docpath);
	return docket_buf_printf(out, "%.*s.annexes", (int)(len - 4), docpath);
}

const char *docket_annex_guess_type(const char *name)
{
	static const char *const types[][2] = {
		{ "pdf", "application/pdf" },
		{ "doc", "application/msword" },
		{ "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
		{ "xls", "application/vnd.ms-excel" },
		{ "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
		{ "odt", "application/vnd.oasis.opendocument.text" },
		{ "ods", "application/vnd.oasis.opendocument.spreadsheet" },
		{ "png", "image/png" },
		{ "jpg", "image/jpeg" },
		{ "jpeg", "image/jpeg" },
		{ "tif", "image/tiff" },
		{ "tiff", "image/tiff" },
		{ "txt", "text/plain" },
		{ "csv", "text/csv" },
		{ "xml", "application/xml" },
		{ "zip", "application/zip" },
	};
	const char *dot = name ? strrchr(name, '.') : NULL;

	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (strcasecmp(dot + 1, types[i][0]) == 0)
			return types[i][1];
	return "application/octet-stream";
}

/* type/subtype, each [a-z0-9][a-z0-9!#$&^_.+-]{0,62} (RFC 6838 names, lower case) - the schema's rule */
static int type_valid(const char *t)
{
	const char *slash = t ? strchr(t, '/') : NULL;
	const char *part[2] = { t, slash ? slash + 1 : NULL };
	size_t len[2] = { slash ? (size_t)(slash - t) : 0, slash ? strlen(slash + 1) : 0 };

	if (!slash)
		return 0;
	for (int k = 0; k < 2; k++) {
		if (len[k] == 0 || len[k] > 63)
			return 0;
		for (size_t i = 0; i < len[k]; i++) {
			char c = part[k][i];
			int alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
			if (!alnum && (i == 0 || !strchr("!#$&^_.+-", c)))
				return 0;
		}
	}
	return 1;
}

int docket_annex_add_ref(char **out, size_t *out_len, docket_doc *doc, const char *name, const char *type,
                         unsigned long long size, const char *hex)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), content = N(root, "content");
	xmlNodePtr list, a, last;
	char num[32];

	*out = NULL;
	if (!content)
		return docket_error_set(DOCKET_EINVALID, "'%s' has no content to list an annex in", docket_doc_id(doc));
	for (a = N(N(content, "annexes"), "annex"); a; a = docket_xml_next(a)) {
		xmlChar *n = xmlGetNoNsProp(a, (const xmlChar *)"name");
		int same = n && strcmp((const char *)n, name) == 0;
		xmlFree(n);
		if (same)
			return docket_error_set(DOCKET_EEXISTS, "'%s' has an annex named '%s' already", docket_doc_id(doc), name);
	}
	if (!(list = N(content, "annexes"))) {
		/* last in the content, indented as docket writes documents */
		last = content->last;
		if (last && last->type == XML_TEXT_NODE && xmlIsBlankNode(last)) {
			xmlUnlinkNode(last);
			xmlFreeNode(last);
		}
		xmlAddChild(content, xmlNewText((const xmlChar *)"\n    "));
		if (!(list = xmlNewChild(content, content->ns, (const xmlChar *)"annexes", NULL)))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		xmlAddChild(list, xmlNewText((const xmlChar *)"\n    "));
		xmlAddChild(content, xmlNewText((const xmlChar *)"\n  "));
	}
	last = list->last;
	if (last && last->type == XML_TEXT_NODE && xmlIsBlankNode(last)) {
		xmlUnlinkNode(last);
		xmlFreeNode(last);
	}
	snprintf(num, sizeof(num), "%llu", size);
	xmlAddChild(list, xmlNewText((const xmlChar *)"\n      "));
	if (!(a = xmlNewChild(list, content->ns, (const xmlChar *)"annex", NULL)) ||
	    !xmlSetProp(a, (const xmlChar *)"name", (const xmlChar *)name) ||
	    !xmlSetProp(a, (const xmlChar *)"type", (const xmlChar *)type) ||
	    !xmlSetProp(a, (const xmlChar *)"size", (const xmlChar *)num) ||
	    !xmlSetProp(a, (const xmlChar *)"sha256", (const xmlChar *)hex))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	xmlAddChild(list, xmlNewText((const xmlChar *)"\n    "));
	return docket_doc_serialize(out, out_len, doc);
}

/* --- judging a tree ------------------------------------------------------------------------ */

static void item_clear(docket_annex_item *it)
{
	free(it->name);
	free(it->type);
	free(it->problem);
	memset(it, 0, sizeof(*it));
}

static char *attr(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

static int problem(docket_annex_item *it, const char *kind, const char *fmt, ...) DOCKET_PRINTF(3, 4);
static int problem(docket_annex_item *it, const char *kind, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	it->ok = 0;
	it->kind = kind;
	free(it->problem);
	it->problem = docket_strdup(buf);
	return 1;
}

int docket_annex_judge(git_repository *git, git_tree *tree, const char *docpath, docket_doc *doc,
                       docket_annex_fn fn, void *payload)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	xmlNodePtr list = N(N(root, "content"), "annexes"), a;
	docket_buf dir = DOCKET_BUF_INIT;
	git_tree_entry *dent = NULL;
	git_tree *sub = NULL;
	docket_annex_item it;
	char q[512];
	int error, nproblems = 0;

	memset(&it, 0, sizeof(it));
	if ((error = docket_annex_dir(&dir, docpath)) < 0)
		goto cleanup;
	if (git_tree_entry_bypath(&dent, tree, dir.ptr) == 0) {
		if (git_tree_entry_type(dent) != GIT_OBJECT_TREE) {
			it.name = docket_strdup(dir.ptr);
			nproblems += problem(&it, "annex-unsafe", "%s is a file where the document's annexes have their folder", dir.ptr);
			fn(payload, &it);
			item_clear(&it);
		} else if (git_tree_lookup(&sub, git, git_tree_entry_id(dent)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read '%s'", dir.ptr);
			goto cleanup;
		}
	}
	git_error_clear();
	for (a = N(list, "annex"); a; a = docket_xml_next(a)) {
		char *size = attr(a, "size"), *sha = attr(a, "sha256");
		const git_tree_entry *e;
		git_blob *blob = NULL;

		memset(&it, 0, sizeof(it));
		it.ok = 1;
		it.name = attr(a, "name");
		it.type = attr(a, "type");
		it.size = size ? strtoull(size, NULL, 10) : 0;
		snprintf(it.sha256, sizeof(it.sha256), "%s", sha ? sha : "");
		docket_name_quote(q, sizeof(q), it.name ? it.name : "");
		if (!it.name || !docket_annex_name_valid(it.name))
			nproblems += problem(&it, "annex-unsafe", "the annex name '%s' is not a safe file name", q);
		else if (!sub || !(e = git_tree_entry_byname(sub, it.name)))
			nproblems += problem(&it, "annex-missing", "the annex '%s' is missing: %s/%s is not in the repository", q, dir.ptr, q);
		else if (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB)
			nproblems += problem(&it, "annex-unsafe", "the annex '%s' is not a plain file (mode %06o)", q,
			                     (unsigned)git_tree_entry_filemode(e));
		else if (git_blob_lookup(&blob, git, git_tree_entry_id(e)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read %s/%s", dir.ptr, q);
			free(size);
			free(sha);
			goto cleanup;
		} else {
			char hex[65];
			unsigned long long have = (unsigned long long)git_blob_rawsize(blob);
			docket_annex_digest(hex, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			if (have != it.size || strcmp(hex, it.sha256) != 0)
				nproblems += problem(&it, "annex-changed", "the annex '%s' was changed: %s/%s has %llu bytes and SHA-256 %s, "
				                     "the document lists %llu bytes and SHA-256 %s", q, dir.ptr, q, have, hex,
				                     it.size, it.sha256[0] ? it.sha256 : "none");
		}
		git_blob_free(blob);
		free(size);
		free(sha);
		fn(payload, &it);
		item_clear(&it);
	}
	for (size_t i = 0; sub && i < git_tree_entrycount(sub); i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(sub, i));
		int listed = 0;
		for (a = N(list, "annex"); a && !listed; a = docket_xml_next(a)) {
			xmlChar *n = xmlGetNoNsProp(a, (const xmlChar *)"name");
			listed = n && strcmp((const char *)n, name) == 0;
			xmlFree(n);
		}
		if (listed)
			continue;
		memset(&it, 0, sizeof(it));
		it.name = docket_strdup(name);
		docket_name_quote(q, sizeof(q), name);
		nproblems += problem(&it, "annex-unlisted", "%s/%s is not an annex of the document: its content lists no annex '%s'",
		                     dir.ptr, q, q);
		fn(payload, &it);
		item_clear(&it);
	}
	error = nproblems;
cleanup:
	item_clear(&it);
	git_tree_free(sub);
	git_tree_entry_free(dent);
	docket_buf_free(&dir);
	return error;
}

/* --- docket verify ------------------------------------------------------------------------- */

typedef struct {
	docket_annex_item *items;
	size_t n;
	int oom;
} collect;

static void collect_item(void *payload, const docket_annex_item *it)
{
	collect *c = payload;
	docket_annex_item *v = realloc(c->items, (c->n + 1) * sizeof(*v));

	if (!v) {
		c->oom = 1;
		return;
	}
	c->items = v;
	v[c->n] = *it;
	v[c->n].name = it->name ? docket_strdup(it->name) : NULL;
	v[c->n].type = it->type ? docket_strdup(it->type) : NULL;
	v[c->n].problem = it->problem ? docket_strdup(it->problem) : NULL;
	c->n++;
}

void docket_annex_items_free(docket_annex_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].name);
		free(items[i].type);
		free(items[i].problem);
	}
	free(items);
}

int docket_annex_verify(docket_annex_item **out, size_t *n, docket_repo *repo, const char *id, const char *rev)
{
	git_repository *git = docket_repo_git(repo);
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	docket_doc *doc = NULL;
	char *path = NULL, *buf = NULL, commit[41];
	size_t len = 0;
	collect col = { NULL, 0, 0 };
	int error;

	*out = NULL;
	*n = 0;
	if ((error = docket_repo_resolve(commit, repo, rev)) < 0 ||
	    (error = docket_doc_find(&path, repo, id, commit)) < 0 ||
	    (error = docket_repo_read(&buf, &len, repo, commit, path)) < 0 ||
	    (error = docket_doc_parse(&doc, buf, len, path)) < 0)
		goto cleanup;
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0 || git_commit_tree(&tree, c) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read commit %s", commit);
		goto cleanup;
	}
	if ((error = docket_annex_judge(git, tree, path, doc, collect_item, &col)) < 0)
		goto cleanup;
	if (col.oom) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	*out = col.items;
	*n = col.n;
	col.items = NULL;
	col.n = 0;
	error = 0;
cleanup:
	docket_annex_items_free(col.items, col.n);
	git_tree_free(tree);
	git_commit_free(c);
	docket_doc_free(doc);
	free(path);
	free(buf);
	return error;
}

/* --- docket attach ------------------------------------------------------------------------- */

int docket_annex_attach(docket_action_result *out, docket_repo *repo, const docket_attach_options *o)
{
	docket_config *cfg = NULL;
	const char *name, *type, *slash;
	char *data = NULL, q[512];
	size_t len = 0;
	unsigned long long max;
	struct stat st;
	int error;

	memset(out, 0, sizeof(*out));
	if (!o)
		return docket_error_set(DOCKET_EUSAGE, "docket_annex_attach: no options");
	if ((error = docket_options_check(o->version, DOCKET_ATTACH_OPTIONS_VERSION, "docket_attach_options",
	                                  "DOCKET_ATTACH_OPTIONS_INIT")) < 0)
		return error;
	if (!o->doc || !o->file)
		return docket_error_set(DOCKET_EUSAGE, "attach: a document and a file are required");
	slash = strrchr(o->file, '/');
	name = o->name ? o->name : slash ? slash + 1 : o->file;
	docket_name_quote(q, sizeof(q), name);
	if (!docket_annex_name_valid(name))
		return docket_error_set(DOCKET_EINVALID, "cannot attach '%s': an annex name is 1 to %d letters, digits, "
		                        "'.', '_' or '-', starting with a letter or digit%s", q, DOCKET_ANNEX_NAME_MAX,
		                        o->name ? "" : " (give another with --name NAME)");
	type = o->type ? o->type : docket_annex_guess_type(name);
	if (!type_valid(type)) {
		docket_name_quote(q, sizeof(q), type);
		return docket_error_set(DOCKET_EINVALID, "cannot attach: '%s' is not a media type (type/subtype in "
		                        "lower case, e.g. application/pdf)", q);
	}
	if ((error = docket_config_load(&cfg, repo, NULL)) < 0)
		goto cleanup;
	max = docket_config_annex_max(cfg);
	if (stat(o->file, &st) < 0 || !S_ISREG(st.st_mode)) {
		error = docket_error_set(errno == ENOENT ? DOCKET_ENOTFOUND : DOCKET_EINVALID, "cannot attach '%s': %s",
		                         o->file, errno == ENOENT ? "no such file" : "not a regular file");
		goto cleanup;
	}
	if ((unsigned long long)st.st_size > max) {
		error = docket_error_set(DOCKET_EINVALID, "cannot attach '%s': it is %llu bytes, more than the annex "
		                         "limit of %llu bytes", o->file, (unsigned long long)st.st_size, max);
		goto cleanup;
	}
	if ((error = docket_file_read(&data, &len, o->file, (size_t)max)) < 0)
		goto cleanup;
	if (len == 0) {
		error = docket_error_set(DOCKET_EINVALID, "cannot attach '%s': the file is empty", o->file);
		goto cleanup;
	}
	error = docket_attach_run(out, repo, o->doc, o->actor, o->message, name, type, data, len);
cleanup:
	free(data);
	docket_config_free(cfg);
	return error;
}
