/*
 * schema: loading the XSD schemas a document is judged by.
 *
 * A repository pins its schemas in .docket/schemas/ so that history is judged by the rules
 * in force at each commit; outside a repository the built-in copy is used. libxml2 reads a
 * schema and its xs:includes from files, so the schema set is written to a private
 * temporary directory first. Schemas from a repository are untrusted input like any
 * document: each file goes through the safe parser (no DTD, hence no entities), and while
 * the schema compiles, the external entity loader only lets libxml2 open files inside that
 * directory - no network, no other file.
 */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlschemas.h>
#include "xml_internal.h"
#include "docket/validate.h"

struct docket_schema {
	xmlSchemaPtr xsd;
};

static _Thread_local const char *allowed_dir;

static xmlParserInputPtr confined_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	const char *path = url;
	size_t n;

	if (path && strncmp(path, "file://", 7) == 0)
		path += 7;
	if (allowed_dir && path && (n = strlen(allowed_dir)) && strncmp(path, allowed_dir, n) == 0 &&
	    path[n] == '/' && !strstr(path + n, "/..") && !strchr(path + n + 1, '/'))
		return xmlNewInputFromFile(ctxt, path);
	return NULL;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(p);
}

static int write_scratch(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wx");
	int ok;

	if (!f)
		return docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", path, strerror(errno));
	ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	return ok ? 0 : docket_error_set(DOCKET_ERROR, "cannot write '%s'", path);
}

static void collect_error(void *ctx, xmlErrorPtr e)
{
	docket_buf *b = ctx;
	if (b->len == 0 && e && e->message)
		docket_buf_printf(b, "%s:%d: %s", e->file ? e->file : "schema", e->line, e->message);
}

int docket_schema_compile(docket_schema **out, const docket_schema_file *files, size_t n,
                          const char *origin, const char *entry)
{
	char dir[4096];
	const char *tmpdir = getenv("TMPDIR");
	docket_buf path = DOCKET_BUF_INIT, err = DOCKET_BUF_INIT;
	xmlSchemaParserCtxtPtr pctxt = NULL;
	xmlSchemaPtr xsd = NULL;
	xmlExternalEntityLoader saved = NULL;
	int made = 0, error = DOCKET_ERROR, have_entry = 0;
	size_t i;

	*out = NULL;
	if ((size_t)snprintf(dir, sizeof(dir), "%s/docket-xsd-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp") >= sizeof(dir) ||
	    !mkdtemp(dir)) {
		docket_error_set(DOCKET_ERROR, "cannot create a temporary directory: %s", strerror(errno));
		goto cleanup;
	}
	made = 1;
	for (i = 0; i < n; i++) {
		xmlDocPtr check = NULL;
		if (strchr(files[i].name, '/') || files[i].name[0] == '.')
			continue;
		if (docket_xml_parse(&check, files[i].data, files[i].len, files[i].name) < 0) {
			error = docket_error_set(DOCKET_EINVALID, "the schema %s/%s is refused: %s", origin,
			                         files[i].name, docket_error_last());
			goto cleanup;
		}
		xmlFreeDoc(check);
		path.len = 0;
		/* a private scratch copy, removed below: no need to sync it to disk */
		if (docket_buf_printf(&path, "%s/%s", dir, files[i].name) < 0 ||
		    write_scratch(path.ptr, files[i].data, files[i].len) < 0)
			goto cleanup;
		if (strcmp(files[i].name, entry) == 0)
			have_entry = 1;
	}
	if (!have_entry) {
		error = docket_error_set(DOCKET_EINVALID, "%s has no %s", origin, entry);
		goto cleanup;
	}
	path.len = 0;
	if (docket_buf_printf(&path, "%s/%s", dir, entry) < 0)
		goto cleanup;
	allowed_dir = dir;
	saved = xmlGetExternalEntityLoader();
	xmlSetExternalEntityLoader(confined_loader);
	if ((pctxt = xmlSchemaNewParserCtxt(path.ptr)) != NULL) {
		xmlSchemaSetParserStructuredErrors(pctxt, collect_error, &err);
		xsd = xmlSchemaParse(pctxt);
	}
	xmlSetExternalEntityLoader(saved);
	allowed_dir = NULL;
	if (!xsd) {
		error = docket_error_set(DOCKET_EINVALID, "the schemas in %s do not compile: %s", origin,
		                         err.len ? err.ptr : "unknown error");
		goto cleanup;
	}
	if (!(*out = calloc(1, sizeof(**out)))) {
		xmlSchemaFree(xsd);
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	(*out)->xsd = xsd;
	error = 0;
cleanup:
	xmlSchemaFreeParserCtxt(pctxt);
	if (made)
		nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
	docket_buf_free(&path);
	docket_buf_free(&err);
	return error;
}

int docket_schema_builtin(docket_schema **out)
{
	return docket_schema_builtin_entry(out, "docket.xsd");
}

int docket_schema_builtin_entry(docket_schema **out, const char *entry)
{
	docket_schema_file files[32];
	const docket_data_file *f;
	size_t n = 0;

	for (f = docket_data_files; f->path && n < 32; f++)
		if (strncmp(f->path, "schemas/", 8) == 0 && strstr(f->path, ".xsd")) {
			files[n].name = f->path + 8;
			files[n].data = (const char *)f->data;
			files[n].len = f->len;
			n++;
		}
	return docket_schema_compile(out, files, n, "the built-in schemas", entry);
}

void docket_schema_free(docket_schema *schema)
{
	if (!schema)
		return;
	xmlSchemaFree(schema->xsd);
	free(schema);
}

void *docket_schema_xsd(docket_schema *schema)
{
	return schema->xsd;
}

typedef struct {
	docket_findings *out;
	const char *name;
	int error;
} check_ctx;

static void check_error(void *data, xmlErrorPtr e)
{
	check_ctx *c = data;
	if (e->level == XML_ERR_WARNING)
		return;
	if (docket_findings_add(c->out, c->name, e->line, 1, "%s",
	                        e->message ? e->message : "schema validation failed") < 0)
		c->error = DOCKET_ERROR;
}

int docket_schema_check(docket_findings *findings, docket_schema *schema, xmlDocPtr xml,
                        const char *name)
{
	xmlSchemaValidCtxtPtr v = xmlSchemaNewValidCtxt(schema->xsd);
	check_ctx c = { findings, name, 0 };

	if (!v)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	xmlSchemaSetValidStructuredErrors(v, check_error, &c);
	xmlSchemaValidateDoc(v, (xmlDocPtr)xml);
	xmlSchemaFreeValidCtxt(v);
	return c.error;
}
