#ifndef DOCKET_WEB_SERVE_H
#define DOCKET_WEB_SERVE_H
/*
 * The web workspace (`docket serve`): an HTTP server over one docket repository, for the
 * command line to start and stop. Everything it shows and does goes through the public
 * library (include/docket/); this header is what src/cli/cmd_serve.c sees of it.
 */
#include <stddef.h>
#include "docket/docket.h"

typedef struct web_server web_server;

/*
 * The signing key of PERSON, asked for when PERSON takes an action: *out the key or NULL
 * (none: the library refuses what needs a signature), *owned 1 when the server must free it
 * with docket_key_free after the request. Returns 0, or negative when a key is there but
 * cannot be loaded (the action is then refused).
 */
typedef int (*web_key_fn)(docket_key **out, int *owned, const char *person, void *payload);

#define WEB_DEFAULT_LISTEN "127.0.0.1:8080"
#define WEB_DEFAULT_MAX_BODY ((size_t)1 << 20)

typedef struct {
	const char *repo_path;    /* the repository (work tree or git directory): opened per request */
	const char *listen;       /* "ADDR:PORT", "[ADDR]:PORT"; port 0: any free port */
	int read_only;            /* the archive for anyone: no person, no action, POST refused */
	const char *trust;        /* PEM file of trusted CA certificates, or NULL */
	const char *as;           /* everyone acts as this person (a person's own workspace) */
	const char *auth_header;  /* the person is taken from this request header... */
	const char *proxy;        /* ...sent by this address only (default 127.0.0.1) */
	size_t max_body;          /* larger request bodies are refused 413 (0: WEB_DEFAULT_MAX_BODY) */
	web_key_fn key;
	void *key_payload;
} web_options;

/*
 * Start serving in a thread of its own (libmicrohttpd's internal polling thread: one
 * request at a time, each with its own repository handle). BOUND receives the address
 * actually listened on ("127.0.0.1:8080"). On failure the reason is written into ERR.
 */
int web_server_start(web_server **out, const web_options *opts, char *bound, size_t boundsize, char *err,
                     size_t errsize);

/* Stop accepting, finish the request under way, free everything. NULL is fine. */
void web_server_stop(web_server *srv);

#endif
