/* Helpers shared by the signing tests (see sign_fixtures.h). */
#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include "xml_internal.h"
#include "docket/doc.h"
#include "docket/sign.h"
#include "sign_fixtures.h"

static char output[16384];

int fx_mktemp(char out[FX_PATH], const char *tag)
{
	snprintf(out, FX_PATH, "/tmp/docket-%s-XXXXXX", tag);
	return mkdtemp(out) ? 0 : -1;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

void fx_rmtree(const char *dir)
{
	if (dir && *dir && strncmp(dir, "/tmp/docket-", 12) == 0)
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fx_join(char out[FX_PATH], const char *a, const char *b)
{
	int n = snprintf(out, FX_PATH, "%s/%s", a, b);
	if (n < 0 || n >= FX_PATH) {
		fprintf(stderr, "path too long: %s/%s\n", a, b);
		abort();
	}
}

const char *fx_src(void)
{
	const char *s = getenv("DOCKET_SRC");
	return s && *s ? s : DOCKET_TEST_SRC;
}

const char *fx_output(void)
{
	return output;
}

int fx_run(const char *fmt, ...)
{
	char cmd[8192], log[] = "/tmp/docket-cmd-XXXXXX";
	va_list ap;
	int n, fd, status;
	FILE *f;
	size_t got;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd) - 64, fmt, ap);
	va_end(ap);
	output[0] = '\0';
	if (n < 0 || (size_t)n >= sizeof(cmd) - 64 || (fd = mkstemp(log)) < 0)
		return -1;
	close(fd);
	snprintf(cmd + n, sizeof(cmd) - (size_t)n, " >%s 2>&1", log);
	status = system(cmd);
	if ((f = fopen(log, "r")) != NULL) {
		got = fread(output, 1, sizeof(output) - 1, f);
		output[got] = '\0';
		fclose(f);
	}
	unlink(log);
	if (status == -1 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

xmlDocPtr fx_load_doc(const char *path)
{
	char *buf = NULL;
	size_t len = 0;
	xmlDocPtr doc = NULL;

	if (docket_file_read(&buf, &len, path, 8u << 20) < 0 || docket_xml_parse(&doc, buf, len, path) < 0)
		fprintf(stderr, "cannot load %s: %s\n", path, docket_error_last());
	free(buf);
	return doc;
}

int fx_save_doc(xmlDocPtr doc, const char *path)
{
	xmlChar *mem = NULL;
	int size = 0, rc;
	FILE *f;

	xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
	if (!mem || (f = fopen(path, "wb")) == NULL) {
		xmlFree(mem);
		return -1;
	}
	rc = fwrite(mem, 1, (size_t)size, f) == (size_t)size ? 0 : -1;
	if (fclose(f) != 0)
		rc = -1;
	xmlFree(mem);
	return rc;
}

xmlDocPtr fx_reparse(xmlDocPtr doc)
{
	xmlChar *mem = NULL;
	int size = 0;
	xmlDocPtr out = NULL;

	xmlDocDumpMemoryEnc(doc, &mem, &size, "UTF-8");
	if (mem && docket_xml_parse(&out, (const char *)mem, (size_t)size, "reparsed") < 0)
		fprintf(stderr, "cannot reparse: %s\n", docket_error_last());
	xmlFree(mem);
	return out;
}

xmlNodePtr fx_xpath(xmlDocPtr doc, const char *expr)
{
	xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
	xmlXPathObjectPtr obj = NULL;
	xmlNodePtr node = NULL;

	if (!ctx)
		return NULL;
	xmlXPathRegisterNs(ctx, (const xmlChar *)"d", (const xmlChar *)DOCKET_NS);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"ds", (const xmlChar *)DOCKET_DSIG_NS);
	xmlXPathRegisterNs(ctx, (const xmlChar *)"xades", (const xmlChar *)DOCKET_XADES_NS);
	obj = xmlXPathEvalExpression((const xmlChar *)expr, ctx);
	if (obj && obj->nodesetval && obj->nodesetval->nodeNr > 0)
		node = obj->nodesetval->nodeTab[0];
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	return node;
}

int fx_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f)
		return -1;
	rc = fputs(text, f) < 0 ? -1 : 0;
	if (fclose(f) != 0)
		rc = -1;
	return rc;
}
