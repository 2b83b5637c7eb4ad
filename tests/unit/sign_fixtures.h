#ifndef DOCKET_SIGN_FIXTURES_H
#define DOCKET_SIGN_FIXTURES_H
/*
 * Shared helpers for the signing tests: temporary directories, running the independent
 * tools (xmlsec1, git, ssh-keygen, softhsm2-util, pkcs11-tool) and small XML edits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <libxml/tree.h>

#define FX_PATH 512

/* Create a fresh directory /tmp/docket-TAG-XXXXXX into out; 0 on success. */
int fx_mktemp(char out[FX_PATH], const char *tag);
/* Remove DIR and everything below it. */
void fx_rmtree(const char *dir);
/* out = A "/" B */
void fx_join(char out[FX_PATH], const char *a, const char *b);
/* The source tree ($DOCKET_SRC, else the compile-time path). */
const char *fx_src(void);

/*
 * Run a shell command (printf-style), stdout and stderr captured; returns its exit status
 * (or -1). fx_output() is the captured text of the last command.
 */
int fx_run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *fx_output(void);

/* Read and parse a document file with docket's safe parser; NULL on failure (message printed). */
xmlDocPtr fx_load_doc(const char *path);
/* Serialise DOC to PATH (UTF-8); 0 on success. */
int fx_save_doc(xmlDocPtr doc, const char *path);
/* Serialise and parse again, as a file round trip would. */
xmlDocPtr fx_reparse(xmlDocPtr doc);
/* First node matching the XPath EXPR (prefixes d, ds, xades are bound), or NULL. */
xmlNodePtr fx_xpath(xmlDocPtr doc, const char *expr);
/* Write TEXT to PATH; 0 on success. */
int fx_write(const char *path, const char *text);

/* cmocka helper: fail with the command's output when the status is not as expected. */
#define assert_cmd(status, expect_ok) do { \
	int _st = (status); \
	if ((_st == 0) != (expect_ok)) \
		print_message("command %s unexpectedly (status %d):\n%s\n", \
		              (expect_ok) ? "failed" : "succeeded", _st, fx_output()); \
	if (expect_ok) assert_int_equal(_st, 0); else assert_int_not_equal(_st, 0); \
} while (0)

#endif
