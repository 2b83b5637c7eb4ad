/*
 * serve: the HTTP side of the web workspace, on libmicrohttpd.
 *
 * One internal polling thread answers every request in turn, so the library is only ever
 * used from that thread, and each request opens its own repository handle (libgit2 handles
 * are not to be shared between threads; a handle per request also sees every commit made
 * meanwhile by the CLI or another server). What this file decides, before any page runs:
 *
 * - who acts: nobody (--read-only), the one person of a personal workspace (--as), or the
 *   person an authenticating reverse proxy names in a header, believed from the proxy's
 *   address only: any request from another address is refused 403 in that mode;
 * - the body limit: a request announcing or sending more than max_body bytes is refused 413
 *   before anything runs;
 * - CSRF: every POST must carry the token of its own path, an HMAC under a secret drawn when
 *   the server starts, of the session cookie (SameSite=Strict), the person and the path;
 * - the headers every response carries (a Content-Security-Policy without any script, no
 *   framing, no sniffing), and one access log line per request on stderr.
 */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include "serve_internal.h"

#define SESSION_COOKIE "docket_session"
#define CSP "default-src 'none'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; form-action 'self'; " \
	"frame-ancestors 'none'; base-uri 'none'"

struct web_server {
	struct MHD_Daemon *daemon;
	char *repo_path, *trust, *as, *auth_header;
	char proxy[INET6_ADDRSTRLEN];
	int read_only;
	size_t max_body;
	web_key_fn key;
	void *key_payload;
	unsigned char secret[32];
};

int web_read_only(const wreq *r)
{
	return r->srv->read_only;
}

const char *web_trust(const wreq *r)
{
	return r->srv->trust;
}

const char *web_query(const wreq *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

int web_load_key(wreq *r)
{
	int error = 0;

	if (r->key_loaded || !r->person || !r->srv->key)
		return 0;
	r->key_loaded = 1;
	if ((error = r->srv->key(&r->key, &r->key_owned, r->person, r->srv->key_payload)) < 0)
		return error;
	if (r->key)
		docket_repo_set_commit_signer(r->repo, docket_sshsig_commit_signer, r->key);
	return 0;
}

void serve_url(web_buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char enc[3];

	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			web_put(b, (const char *)&c, 1);
			continue;
		}
		enc[0] = '%';
		enc[1] = hex[c >> 4];
		enc[2] = hex[c & 15];
		web_put(b, enc, 3);
	}
}

/* --- CSRF ------------------------------------------------------------------------------- */

void web_csrf_token(const wreq *r, const char *action, char out[65])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0, i;
	web_buf msg = WEB_BUF_INIT;

	/* NUL-separated, so no two (session, person, action) triples give the same message */
	web_puts(&msg, r->session);
	web_put(&msg, "", 1);
	web_puts(&msg, r->person ? r->person : "");
	web_put(&msg, "", 1);
	web_puts(&msg, action);
	out[0] = '\0';
	if (msg.failed || !HMAC(EVP_sha256(), r->srv->secret, sizeof(r->srv->secret), (const unsigned char *)msg.ptr,
	                     msg.len, mac, &maclen) || maclen < 32) {
		/* an empty token never matches (web_csrf_ok wants 64 digits) */
		web_buf_free(&msg);
		return;
	}
	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[mac[i] >> 4];
		out[2 * i + 1] = hex[mac[i] & 15];
	}
	out[64] = '\0';
	OPENSSL_cleanse(mac, sizeof(mac));
	web_buf_free(&msg);
}

int web_csrf_ok(const wreq *r)
{
	const char *got = web_form(r, "csrf");
	char want[65];

	if (!got || strlen(got) != 64 || !r->session[0])
		return 0;
	web_csrf_token(r, r->url, want);
	return strlen(want) == 64 && CRYPTO_memcmp(want, got, 64) == 0;
}

/* --- request plumbing --------------------------------------------------------------------- */

/* A numeric address, IPv4-mapped IPv6 addresses written as IPv4. */
static void numeric_address(const struct sockaddr *sa, char *out, size_t size)
{
	socklen_t len = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	snprintf(out, size, "?");
	if (getnameinfo(sa, len, out, (socklen_t)size, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(out, size, "?");
	if (strncmp(out, "::ffff:", 7) == 0 && strchr(out + 7, '.'))
		memmove(out, out + 7, strlen(out + 7) + 1);
}

static void peer_of(struct MHD_Connection *conn, char *out, size_t size)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr)
		numeric_address(ci->client_addr, out, size);
	else
		snprintf(out, size, "?");
}

/* Printable for the log: no request can write a line of its own into it. */
static void log_field(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static void access_log(const wreq *r, int status, size_t bytes)
{
	char when[64];
	time_t now = time(NULL);
	struct tm tm;

	if (!localtime_r(&now, &tm) || !strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S%z", &tm))
		snprintf(when, sizeof(when), "-");
	fprintf(stderr, "%s - ", r->peer);
	log_field(stderr, r->person ? r->person : "-");
	fprintf(stderr, " [%s] \"", when);
	log_field(stderr, r->method);
	fputc(' ', stderr);
	log_field(stderr, r->url);
	fprintf(stderr, "\" %d %zu\n", status, bytes);
	fflush(stderr);
}

static enum MHD_Result respond(wreq *r)
{
	struct MHD_Response *resp;
	size_t len = r->out.len;
	char cookie[128];
	enum MHD_Result ret;
	int status = r->status ? r->status : 200;

	if (r->out.failed) {
		web_buf_free(&r->out);
		status = 500;
		len = 0;
	}
	if (r->location)
		status = 303;
	resp = MHD_create_response_from_buffer(len, len ? r->out.ptr : (void *)"", len ? MHD_RESPMEM_MUST_FREE :
	                                       MHD_RESPMEM_PERSISTENT);
	if (!resp)
		return MHD_NO;
	if (len)
		r->out.ptr = NULL; /* MHD frees it */
	r->out.len = r->out.cap = 0;
	MHD_add_response_header(resp, "Content-Type", r->content_type ? r->content_type : "text/html; charset=utf-8");
	MHD_add_response_header(resp, "Content-Security-Policy", CSP);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	if (r->location)
		MHD_add_response_header(resp, "Location", r->location);
	if (r->new_session && r->session[0]) {
		snprintf(cookie, sizeof(cookie), SESSION_COOKIE "=%s; Path=/; HttpOnly; SameSite=Strict", r->session);
		MHD_add_response_header(resp, "Set-Cookie", cookie);
	}
	ret = MHD_queue_response(r->conn, (unsigned int)status, resp);
	MHD_destroy_response(resp);
	access_log(r, status, len);
	return ret;
}

static int is_hex(const char *s, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (!s[i] || !strchr("0123456789abcdef", s[i]))
			return 0;
	return s[n] == '\0';
}

static void session_of(wreq *r)
{
	static const char hex[] = "0123456789abcdef";
	const char *c = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, SESSION_COOKIE);
	unsigned char raw[16];
	size_t i;

	if (c && is_hex(c, 32)) {
		memcpy(r->session, c, 33);
		return;
	}
	if (RAND_bytes(raw, sizeof(raw)) != 1) {
		r->session[0] = '\0';
		return;
	}
	for (i = 0; i < sizeof(raw); i++) {
		r->session[2 * i] = hex[raw[i] >> 4];
		r->session[2 * i + 1] = hex[raw[i] & 15];
	}
	r->session[32] = '\0';
	r->new_session = 1;
}

/*
 * DNS rebinding: a page of another site whose name resolves to this machine would be the
 * same origin as the workspace. Without a proxy in front, only a Host that is an address
 * or "localhost" is answered.
 */
static int host_ok(const wreq *r)
{
	const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Host");
	char name[256];
	unsigned char addr[16];
	size_t n;

	if (r->srv->auth_header)
		return 1;
	if (!h)
		return 1; /* HTTP/1.0 */
	if (h[0] == '[') {
		const char *end = strchr(h, ']');
		if (!end || (size_t)(end - h - 1) >= sizeof(name))
			return 0;
		memcpy(name, h + 1, (size_t)(end - h - 1));
		name[end - h - 1] = '\0';
		return inet_pton(AF_INET6, name, addr) == 1;
	}
	n = strcspn(h, ":");
	if (n >= sizeof(name))
		return 0;
	memcpy(name, h, n);
	name[n] = '\0';
	return strcasecmp(name, "localhost") == 0 || inet_pton(AF_INET, name, addr) == 1;
}

/* Who acts; 0, or the status with which the request is refused (r->out written). */
static int who_acts(wreq *r)
{
	web_server *srv = r->srv;
	const char *h;
	docket_config *cfg = NULL;
	docket_person p;
	int status = 0;

	if (srv->read_only)
		return 0;
	if (srv->as) {
		r->person = srv->as;
	} else if (srv->auth_header) {
		h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, srv->auth_header);
		if (strcmp(r->peer, srv->proxy) != 0) {
			serve_error(r, 403, h ? "the header %s is accepted from the proxy only" :
			          "this workspace is served through its proxy only", srv->auth_header);
			return 403;
		}
		if (!h || !*h)
			return 0;
		if (!web_safe_id(h)) {
			serve_error(r, 403, "the proxy named no person of this organisation");
			return 403;
		}
		r->person = h;
	}
	if (!r->person)
		return 0;
	/* the person acting must be one of the organisation; the identity of their commits */
	if (docket_config_load(&cfg, r->repo, NULL) < 0 || docket_config_person(&p, cfg, r->person) < 0) {
		serve_error(r, 403, "'%s' is not a person of this organisation", r->person);
		status = 403;
	} else {
		char email[256];
		if (p.email && *p.email)
			snprintf(email, sizeof(email), "%s", p.email);
		else
			snprintf(email, sizeof(email), "%s@docket.invalid", p.id);
		docket_repo_set_identity(r->repo, p.name, email);
	}
	docket_config_free(cfg);
	docket_error_clear();
	return status;
}

static void process(wreq *r)
{
	web_server *srv = r->srv;
	const char *ctype;
	int is_post = strcmp(r->method, "POST") == 0;

	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && !is_post) {
		serve_error(r, 405, "the method %s is not served here", r->method);
		return;
	}
	if (!host_ok(r)) {
		serve_error(r, 421, "this workspace answers to its own address only");
		return;
	}
	if (r->too_large) {
		serve_error(r, 413, "the request is larger than %zu bytes; nothing was written", srv->max_body);
		return;
	}
	if (docket_repo_open(&r->repo, srv->repo_path) < 0) {
		serve_error(r, 500, "cannot open the repository: %s", docket_error_last());
		return;
	}
	session_of(r);
	if (who_acts(r) != 0)
		return;
	if (is_post) {
		if (srv->read_only) {
			serve_error(r, 403, "this workspace is read-only: it takes no action");
			return;
		}
		ctype = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
		if (!ctype || strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0) {
			serve_error(r, 415, "a form is expected (application/x-www-form-urlencoded)");
			return;
		}
		if (web_form_parse(r) < 0) {
			serve_error(r, 400, "the form is malformed (bad escapes, invalid UTF-8 or control characters)");
			return;
		}
		if (!web_csrf_ok(r)) {
			serve_error(r, 403, "the form is not from this workspace or has expired: reload the page and "
			          "send it again; nothing was written");
			return;
		}
		if (!r->person) {
			serve_error(r, 403, "say who you are to take an action: nobody is acting in this workspace");
			return;
		}
	}
	web_route(r);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                              const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
	web_server *srv = cls;
	wreq *r = *con_cls;

	if (!r) {
		const char *cl;
		if (!(r = calloc(1, sizeof(*r))))
			return MHD_NO;
		*con_cls = r;
		r->srv = srv;
		r->conn = conn;
		r->method = method;
		r->url = url;
		peer_of(conn, r->peer, sizeof(r->peer));
		/* refused before the body is read: libmicrohttpd then sends no "100 Continue" */
		cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
		if (cl) {
			char *end;
			unsigned long long n;
			errno = 0;
			n = strtoull(cl, &end, 10);
			if (errno || *end || end == cl || n > srv->max_body) {
				r->too_large = 1;
				serve_error(r, 413, "the request is larger than %zu bytes; nothing was written", srv->max_body);
				return respond(r);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (!r->too_large && r->body_len + *upload_size <= srv->max_body) {
			char *p = realloc(r->body, r->body_len + *upload_size + 1);
			if (!p)
				return MHD_NO;
			r->body = p;
			memcpy(r->body + r->body_len, upload_data, *upload_size);
			r->body_len += *upload_size;
			r->body[r->body_len] = '\0';
		} else {
			/* a chunked body that grows past the limit: read to its end, keep none of it */
			r->too_large = 1;
			free(r->body);
			r->body = NULL;
			r->body_len = 0;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status && r->too_large)
		return MHD_YES; /* answered at the first call */
	process(r);
	return respond(r);
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	wreq *r = *con_cls;

	if (!r)
		return;
	web_form_free(r);
	free(r->body);
	free(r->location);
	web_buf_free(&r->out);
	if (r->key_owned)
		docket_key_free(r->key);
	docket_repo_free(r->repo);
	free(r);
	*con_cls = NULL;
}

/* --- start and stop ------------------------------------------------------------------------ */

static int split_listen(const char *listen, char *host, size_t hsize, char *port, size_t psize)
{
	const char *colon;
	size_t n;

	if (listen[0] == '[') {
		const char *end = strchr(listen, ']');
		if (!end || end[1] != ':')
			return -1;
		n = (size_t)(end - listen - 1);
		if (n >= hsize)
			return -1;
		memcpy(host, listen + 1, n);
		host[n] = '\0';
		colon = end + 1;
	} else {
		if (!(colon = strrchr(listen, ':')))
			return -1;
		n = (size_t)(colon - listen);
		if (n == 0 || n >= hsize)
			return -1;
		memcpy(host, listen, n);
		host[n] = '\0';
	}
	if (!colon[1] || strlen(colon + 1) >= psize || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atol(colon + 1) > 65535)
		return -1;
	snprintf(port, psize, "%s", colon + 1);
	return 0;
}

static void server_free(web_server *srv)
{
	if (!srv)
		return;
	free(srv->repo_path);
	free(srv->trust);
	free(srv->as);
	free(srv->auth_header);
	OPENSSL_cleanse(srv->secret, sizeof(srv->secret));
	free(srv);
}

static char *dup_or_null(const char *s, int *oom)
{
	char *d;
	if (!s)
		return NULL;
	if (!(d = strdup(s)))
		*oom = 1;
	return d;
}

int web_server_start(web_server **out, const web_options *o, char *bound, size_t boundsize, char *err,
                     size_t errsize)
{
	web_server *srv = NULL;
	struct addrinfo hints, *ai = NULL, *pai = NULL;
	char host[256], port[16], addr[INET6_ADDRSTRLEN];
	const union MHD_DaemonInfo *info;
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;
	int oom = 0, rc;

	*out = NULL;
	if (split_listen(o->listen ? o->listen : WEB_DEFAULT_LISTEN, host, sizeof(host), port, sizeof(port)) < 0) {
		snprintf(err, errsize, "cannot listen on '%s': give ADDR:PORT, e.g. 127.0.0.1:8080", o->listen);
		return -1;
	}
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0) {
		snprintf(err, errsize, "cannot listen on '%s': %s", o->listen, gai_strerror(rc));
		return -1;
	}
	if (!(srv = calloc(1, sizeof(*srv)))) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	srv->repo_path = dup_or_null(o->repo_path, &oom);
	srv->trust = dup_or_null(o->trust, &oom);
	srv->as = dup_or_null(o->as, &oom);
	srv->auth_header = dup_or_null(o->auth_header, &oom);
	srv->read_only = o->read_only;
	srv->max_body = o->max_body ? o->max_body : WEB_DEFAULT_MAX_BODY;
	srv->key = o->key;
	srv->key_payload = o->key_payload;
	if (oom || !srv->repo_path) {
		snprintf(err, errsize, "out of memory");
		goto fail;
	}
	if (srv->auth_header) {
		/* the proxy's address as the peer address will be written, so that they compare */
		hints.ai_flags = AI_NUMERICHOST;
		if ((rc = getaddrinfo(o->proxy ? o->proxy : "127.0.0.1", NULL, &hints, &pai)) != 0) {
			snprintf(err, errsize, "the proxy must be given as an address: '%s': %s", o->proxy, gai_strerror(rc));
			goto fail;
		}
		numeric_address(pai->ai_addr, srv->proxy, sizeof(srv->proxy));
	}
	if (RAND_bytes(srv->secret, sizeof(srv->secret)) != 1) {
		snprintf(err, errsize, "cannot draw the server's secret from OpenSSL's generator");
		goto fail;
	}
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->daemon = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
	                               MHD_OPTION_SOCK_ADDR, ai->ai_addr,
	                               MHD_OPTION_NOTIFY_COMPLETED, completed, srv,
	                               MHD_OPTION_CONNECTION_LIMIT, (unsigned int)64,
	                               MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)60,
	                               MHD_OPTION_END);
	if (!srv->daemon) {
		snprintf(err, errsize, "cannot listen on '%s' (in use, or not an address of this machine)",
		         o->listen ? o->listen : WEB_DEFAULT_LISTEN);
		goto fail;
	}
	numeric_address(ai->ai_addr, addr, sizeof(addr));
	info = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
	snprintf(bound, boundsize, ai->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u", addr,
	         info ? (unsigned)info->port : (unsigned)atoi(port));
	freeaddrinfo(ai);
	if (pai)
		freeaddrinfo(pai);
	*out = srv;
	return 0;
fail:
	if (ai)
		freeaddrinfo(ai);
	if (pai)
		freeaddrinfo(pai);
	server_free(srv);
	return -1;
}

void web_server_stop(web_server *srv)
{
	if (!srv)
		return;
	if (srv->daemon)
		MHD_stop_daemon(srv->daemon);
	server_free(srv);
}
