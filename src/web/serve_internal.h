#ifndef DOCKET_WEB_SERVE_INTERNAL_H
#define DOCKET_WEB_SERVE_INTERNAL_H
/*
 * Shared by serve.c (HTTP, who acts, CSRF, limits), routes.c (the pages) and forms.c (form
 * bodies and the documents they change).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <libxml/tree.h>
#include "serve.h"
#include "web_internal.h"

struct MHD_Connection;

/* S percent-encoded as one URL path segment or query value (unreserved characters kept);
 * text is escaped with web_escape (web_internal.h). */
void serve_url(web_buf *b, const char *s);

typedef struct {
	char *name, *value;
} wfield;

typedef struct {
	struct web_server *srv;
	struct MHD_Connection *conn;
	const char *method;          /* "GET", "POST", ... */
	const char *url;             /* the path, percent-decoded by libmicrohttpd */
	char peer[64];               /* the client's address */
	const char *person;          /* who acts, or NULL (nobody: reading only) */
	char session[33];            /* the session cookie (hex) */
	int new_session;             /* set it in the response */
	char *body;                  /* the request body, at most max_body bytes */
	size_t body_len;
	int too_large;
	wfield *form;                /* the body parsed as application/x-www-form-urlencoded */
	size_t nform;
	docket_repo *repo;           /* this request's own repository handle */
	docket_key *key;             /* the acting person's key, when an action needs it */
	int key_owned;
	int key_loaded;
	/* the response */
	int status;
	web_buf out;
	const char *content_type;
	char *location;              /* a redirect (303) */
} wreq;

/* serve.c */
int web_read_only(const wreq *r);
const char *web_trust(const wreq *r);
/* Load the acting person's key (once per request) into r->key; 0 or negative. */
int web_load_key(wreq *r);
/* The CSRF token of form ACTION (a POST path) for this session and person: 64 hex + NUL. */
void web_csrf_token(const wreq *r, const char *action, char out[65]);
/* Whether the request carries the right token for its own path (constant-time compare). */
int web_csrf_ok(const wreq *r);
/* A query argument of the request (decoded), or NULL. */
const char *web_query(const wreq *r, const char *name);

/* routes.c: answer the request (r->status and r->out, or r->location). */
void web_route(wreq *r);
/* A page: the head (title escaped), the navigation bar; then the caller's body; then the end. */
void serve_page_begin(wreq *r, const char *title);
void serve_page_end(wreq *r);
/* A whole error page with STATUS and MESSAGE (escaped). */
void serve_error(wreq *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The HTTP status for a library error code. */
int web_status_for(int code);
/* A hidden CSRF field for a form posting to ACTION. */
void web_csrf_field(wreq *r, const char *action);

/* The document as a libxml2 tree of its own (from its serialisation; the library keeps its
 * own tree to itself): free it with xmlFreeDoc. NULL when out of memory. */
xmlDocPtr serve_xml(docket_doc *d);

/* The first child element NAME (namespace DOCKET_NS) of PARENT, or NULL. */
xmlNodePtr web_child(xmlNodePtr parent, const char *name);
/* N's text content, or attribute NAME of N: malloc'd, NULL when absent. */
char *web_text(xmlNodePtr n);
char *web_attr(xmlNodePtr n, const char *name);

/* forms.c */
/* Parse r->body as application/x-www-form-urlencoded into r->form: 0, or -1 when malformed
 * (bad escapes, invalid UTF-8, control characters other than tab and newlines). */
int web_form_parse(wreq *r);
/* The value of field NAME (the first), or NULL. */
const char *web_form(const wreq *r, const char *name);
void web_form_free(wreq *r);
/* Whether S is 4 to 40 hexadecimal digits (a commit). */
int web_valid_rev(const char *s);

/* A comparison as a reader writes it: ge → ≥, lt → <, ... */
const char *serve_cmp_sign(const char *comparison);

/* The pages with forms (routes.c dispatches to them). */
void web_figures_page(wreq *r, const char *id);
void web_figures_post(wreq *r, const char *id);
void web_edit_page(wreq *r, const char *id);
void web_edit_post(wreq *r, const char *id);

#endif
