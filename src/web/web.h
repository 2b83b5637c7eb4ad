#ifndef DOCKET_WEB_H
#define DOCKET_WEB_H
/*
 * The web library (docket_web): what the command line uses of it. Above libdocket's layers,
 * built on its public API: the static site of an archive (site.c), PDF conversion of a page
 * (pdf.c), atomic file writes (html.c). The server (`docket serve`) lives here too.
 * Functions return 0 or a negative docket error code (DOCKET_ENOTFOUND ...) with the message
 * in web_error_last(), which keeps libdocket's own message where one was the cause.
 */
#include <stddef.h>
#include "docket/docket.h"

/* The message of the last error of a web_ function on this thread (borrowed). */
const char *web_error_last(void);
/* Set it (printf-style) and return CODE. */
int web_error(int code, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

/* --- the static site (site.c) --------------------------------------------------------------- */

/* Called for each document the site could not include, then the build goes on. */
typedef void (*web_site_warn_fn)(void *payload, const char *what, const char *message);

typedef struct {
	const char *trust;     /* PEM trust anchors: signatures verified on pages and timelines */
	const char *rev;       /* the revision to publish; NULL: the tip of main */
	int force;             /* replace a non-empty OUTDIR */
	web_site_warn_fn warn; /* may be NULL */
	void *payload;
} web_site_options;

typedef struct {
	size_t documents;      /* documents published */
	size_t failed;         /* documents left out (each reported through warn) */
} web_site_result;

/*
 * Write the static site of REPO into OUTDIR: index.html (every document, grouped by kind then
 * year), doc/<id>.html (each document's Decree 30 page), log/<id>.html (each document's
 * timeline). All links relative, nothing loaded from anywhere, every text escaped. The site
 * is built in a temporary directory beside OUTDIR and renamed into place, so OUTDIR is
 * either as it was or the whole new site. DOCKET_EEXISTS when OUTDIR is not an empty
 * directory and OPTS->force is not set (or is not a directory at all).
 */
int web_site_write(web_site_result *out, docket_repo *repo, const char *outdir,
                   const web_site_options *opts);

/* --- PDF (pdf.c) --------------------------------------------------------------------------- */

/* The converter docs/rendering.md chose, run as an external program. */
#define WEB_PDF_CONVERTER "weasyprint"
#define WEB_PDF_PACKAGE "weasyprint"

/*
 * Convert the HTML page HTML (LEN bytes) to PDF at OUT_PATH with WeasyPrint: the page goes
 * to a private temporary file, `weasyprint` is run with a fixed argument vector (no shell)
 * writing a temporary file beside OUT_PATH, which is renamed into place when it succeeded.
 * TIMEOUT_SECONDS bounds the conversion (the converter is killed after it). Errors:
 * DOCKET_ENOTFOUND when weasyprint is not installed (the message names the Debian package),
 * DOCKET_ERROR for a failed conversion (the converter's last message kept) or I/O.
 */
int web_pdf_write(const char *out_path, const char *html, size_t len, int timeout_seconds);

/* --- files (html.c) ------------------------------------------------------------------------ */

/* Write DATA to PATH atomically (temporary file beside it, then rename). DOCKET_ERROR. */
int web_file_write(const char *path, const char *data, size_t len);

#endif
