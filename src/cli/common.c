/* common: error printing, exit codes, the repository, keys and output helpers of every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

int cli_exit_code(int code)
{
	switch (code) {
	case 0:
		return EXIT_OK;
	case DOCKET_EINVALID:
	case DOCKET_EVERIFY:
	case DOCKET_EDENIED:
	case DOCKET_ECONFLICT:
	case DOCKET_EEXISTS:
		return EXIT_CHECK;
	case DOCKET_EUSAGE:
		return EXIT_USAGE;
	default:
		return EXIT_OTHER;
	}
}

int cli_fail(int code, const char *fmt, ...)
{
	va_list ap;
	fputs("docket: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return cli_exit_code(code);
}

int cli_fail_last(int code, const char *context)
{
	if (context && *context)
		return cli_fail(code, "%s: %s", context, docket_error_last());
	return cli_fail(code, "%s", docket_error_last());
}

/*
 * Commits made while acting as a person carry that person as author and committer, so that
 * plain `git log` tells who did what too.
 */
int cli_open_repo(docket_repo **out, cli_ctx *ctx)
{
	docket_config *cfg = NULL;
	docket_person p;
	int error = docket_repo_open(out, ctx->dir);

	if (error < 0)
		return error;
	if (ctx->actor && docket_config_load(&cfg, *out, NULL) == 0 &&
	    docket_config_person(&p, cfg, ctx->actor) == 0) {
		char email[256];
		if (p.email && *p.email)
			snprintf(email, sizeof(email), "%s", p.email);
		else
			snprintf(email, sizeof(email), "%s@docket.invalid", p.id);
		docket_repo_set_identity(*out, p.name, email);
	}
	docket_config_free(cfg);
	docket_error_clear();
	return 0;
}

int cli_usage_error(cli_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	if (fmt) {
		fprintf(stderr, "docket %s: ", ctx->name);
		va_start(ap, fmt);
		vfprintf(stderr, fmt, ap);
		va_end(ap);
		fputc('\n', stderr);
	}
	cli_usage(stderr, ctx->cmd, ctx->sub);
	return EXIT_USAGE;
}

int cli_finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "docket: cannot write the output: %s\n", strerror(errno));
		return EXIT_OTHER;
	}
	return code;
}

void cli_pad(FILE *f, const char *s, int width)
{
	int cols = 0;
	const unsigned char *p;

	if (!s)
		s = "";
	for (p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			cols++;
	fputs(s, f);
	for (; cols < width; cols++)
		fputc(' ', f);
	fputc(' ', f);
}

#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#include <openssl/crypto.h>

/* Ask PROMPT on the terminal without echo into BUF: 0, or -1 when there is no terminal. */
static int ask_tty(const char *prompt, char *buf, size_t size)
{
	struct termios old, quiet;
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
	FILE *tty;

	if (fd < 0)
		return -1;
	if (!(tty = fdopen(fd, "r+"))) {
		close(fd);
		return -1;
	}
	fprintf(tty, "%s", prompt);
	fflush(tty);
	tcgetattr(fd, &old);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(fd, TCSAFLUSH, &quiet);
	if (!fgets(buf, (int)size, tty))
		buf[0] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	buf[strcspn(buf, "\r\n")] = '\0';
	return 0;
}

/*
 * The passphrase (or token PIN): $DOCKET_PASSPHRASE, else the file named by
 * $DOCKET_PASSPHRASE_FILE (first line), else asked on the terminal without echo - twice
 * when TWICE (a new passphrase: a typing mistake would lock the key away for good).
 * The caller wipes and frees it with cli_passphrase_free.
 */
static char *passphrase(const char *prompt, int twice)
{
	const char *env = getenv("DOCKET_PASSPHRASE"), *file = getenv("DOCKET_PASSPHRASE_FILE");
	char buf[1024], again[1024];
	char *p = NULL;

	if (env)
		return strdup(env);
	if (file) {
		FILE *f = fopen(file, "r");
		if (!f) {
			fprintf(stderr, "docket: cannot read the passphrase file '%s': %s\n", file, strerror(errno));
			return NULL;
		}
		if (!fgets(buf, sizeof(buf), f))
			buf[0] = '\0';
		fclose(f);
		buf[strcspn(buf, "\r\n")] = '\0';
	} else {
		if (ask_tty(prompt, buf, sizeof(buf)) < 0) {
			fprintf(stderr, "docket: a passphrase is needed: set DOCKET_PASSPHRASE or DOCKET_PASSPHRASE_FILE\n");
			return NULL;
		}
		if (twice) {
			int same = ask_tty("Again, to be sure: ", again, sizeof(again)) == 0 && strcmp(buf, again) == 0;
			OPENSSL_cleanse(again, sizeof(again));
			if (!same) {
				OPENSSL_cleanse(buf, sizeof(buf));
				fprintf(stderr, "docket: the two passphrases differ; nothing was written\n");
				return NULL;
			}
		}
	}
	p = strdup(buf);
	OPENSSL_cleanse(buf, sizeof(buf));
	return p;
}

char *cli_passphrase(const char *prompt)
{
	return passphrase(prompt, 0);
}

char *cli_new_passphrase(const char *prompt)
{
	return passphrase(prompt, 1);
}

void cli_passphrase_free(char *p)
{
	if (!p)
		return;
	OPENSSL_cleanse(p, strlen(p));
	free(p);
}

/* The default place of PERSON's key: $XDG_CONFIG_HOME/docket/keys/PERSON.pem. */
int cli_default_key_path(char *out, size_t size, const char *person)
{
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	int n;

	if (xdg && *xdg)
		n = snprintf(out, size, "%s/docket/keys/%s.pem", xdg, person);
	else if (home && *home)
		n = snprintf(out, size, "%s/.config/docket/keys/%s.pem", home, person);
	else
		return -1;
	return n < 0 || (size_t)n >= size ? -1 : 0;
}

/*
 * The acting person's signing key: $DOCKET_KEY (a file or a pkcs11: URI), else the default
 * place for the actor when a key is there; *out stays NULL when there is none. Returns an
 * exit code (0 when fine).
 */
int cli_load_key(docket_key **out, cli_ctx *ctx)
{
	const char *spec = getenv("DOCKET_KEY");
	char path[4096], *pass;
	int error;

	*out = NULL;
	if (!spec || !*spec) {
		if (!ctx->actor || cli_default_key_path(path, sizeof(path), ctx->actor) < 0 || access(path, R_OK) != 0)
			return 0;
		spec = path;
	}
	if (!(pass = cli_passphrase(strncmp(spec, "pkcs11:", 7) == 0 ? "Token PIN: " : "Key passphrase: ")))
		return EXIT_OTHER;
	error = docket_key_load(out, spec, pass);
	cli_passphrase_free(pass);
	if (error < 0)
		return cli_fail(error, "cannot load the signing key '%s': %s", spec, docket_error_last());
	return 0;
}

/* S as a JSON string on stdout (null when S is NULL): quotes, backslashes, control bytes escaped. */
void cli_json_str(const char *s)
{
	if (!s) {
		fputs("null", stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* The trust anchor: FLAG, else $XDG_CONFIG_HOME/docket/trust.pem (~/.config/docket/trust.pem)
 * when it exists; never anything from the repository. */
const char *cli_trust_anchor(const char *flag)
{
	static char path[4096];
	const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
	FILE *f;

	if (flag)
		return flag;
	if (xdg && *xdg)
		snprintf(path, sizeof(path), "%s/docket/trust.pem", xdg);
	else if (home && *home)
		snprintf(path, sizeof(path), "%s/.config/docket/trust.pem", home);
	else
		return NULL;
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fclose(f);
	return path;
}

void cli_print_findings(const docket_findings *f)
{
	size_t i;
	for (i = 0; f && i < docket_findings_count(f); i++) {
		const docket_finding *x = docket_findings_get(f, i);
		fprintf(stderr, "%s:%d:%d: error: %s\n", x->file, x->line, x->col, x->message);
	}
}

int cli_parse_year(const char *s, int *out)
{
	char *end;
	long y;
	if (!s)
		return -1;
	y = strtol(s, &end, 10);
	if (*end || end == s || y < 1900 || y > 2200)
		return -1;
	*out = (int)y;
	return 0;
}

static void json_opt(const char *s)
{
	if (s)
		cli_json_str(s);
	else
		fputs("null", stdout);
}

void cli_json_rollup_units(const docket_rollup *r, int aggregate)
{
	size_t i;
	fputs("[", stdout);
	for (i = 0; i < r->n; i++) {
		const docket_unit_report *u = &r->units[i];
		printf("%s{\"unit\": ", i ? ",\n  " : "\n  ");
		cli_json_str(u->unit);
		fputs(", \"name\": ", stdout);
		json_opt(u->unit_name);
		fputs(", \"status\": ", stdout);
		cli_json_str(docket_report_status_name(u->status));
		fputs(", \"report\": ", stdout);
		json_opt(u->report);
		fputs(", \"state\": ", stdout);
		json_opt(u->state);
		fputs(", \"task\": ", stdout);
		json_opt(u->task);
		fputs(", \"due\": ", stdout);
		json_opt(u->due);
		fputs(", \"last_step\": ", stdout);
		json_opt(u->last_date);
		fputs(", \"reason\": ", stdout);
		json_opt(u->reason);
		if (aggregate)
			printf(", \"counted\": %s", u->counted ? "true" : "false");
		fputs("}", stdout);
	}
	fputs(r->n ? "\n]" : "]", stdout);
}

int cli_read_csv(docket_csv **out, const char *file)
{
	FILE *fp = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
	char *buf = NULL, chunk[65536];
	size_t len = 0, n;
	int error;

	*out = NULL;
	if (!fp)
		return cli_fail(DOCKET_ERROR, "cannot read '%s': %s", file, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		char *p = realloc(buf, len + n + 1);
		if (!p) {
			free(buf);
			if (fp != stdin)
				fclose(fp);
			return cli_fail(DOCKET_ERROR, "out of memory");
		}
		buf = p;
		memcpy(buf + len, chunk, n);
		len += n;
	}
	if (ferror(fp)) {
		free(buf);
		if (fp != stdin)
			fclose(fp);
		return cli_fail(DOCKET_ERROR, "cannot read '%s': %s", file, strerror(errno));
	}
	if (fp != stdin)
		fclose(fp);
	error = docket_csv_parse(out, buf ? buf : "", len, file);
	free(buf);
	return error < 0 ? cli_fail(error, "%s", docket_error_last()) : EXIT_OK;
}

void cli_csv_field(const char *s, int last)
{
	int quote = s && strpbrk(s, ",\"\r\n") != NULL;

	if (quote) {
		putchar('"');
		for (; *s; s++) {
			if (*s == '"')
				putchar('"');
			putchar(*s);
		}
		putchar('"');
	} else if (s) {
		fputs(s, stdout);
	}
	putchar(last ? '\n' : ',');
}

int cli_doc_arg(docket_doc **out, char **bytes, size_t *len, int *from_file, cli_ctx *ctx,
                const char *arg, const char *rev, const char *verb)
{
	struct stat st;
	char *path = NULL, *buf = NULL;
	size_t blen = 0;
	int error, file = stat(arg, &st) == 0 && S_ISREG(st.st_mode), code = EXIT_OK;

	if (out)
		*out = NULL;
	if (bytes)
		*bytes = NULL;
	if (from_file)
		*from_file = file;
	if (file) {
		if (rev)
			return cli_usage_error(ctx, "--rev takes a document id, and '%s' is a file", arg);
		if ((error = docket_doc_read_file(&buf, &blen, arg)) < 0) {
			code = cli_fail(error, "cannot %s '%s': %s", verb, arg, docket_error_last());
			goto cleanup;
		}
	} else {
		if (!ctx->repo) {
			code = cli_fail(ctx->repo_error ? ctx->repo_error : DOCKET_ENOTFOUND,
			                "cannot %s '%s': no such file, and %s", verb, arg,
			                ctx->repo_message ? ctx->repo_message : "no repository");
			goto cleanup;
		}
		if ((error = docket_doc_find(&path, ctx->repo, arg, rev)) < 0 ||
		    (error = docket_repo_read(&buf, &blen, ctx->repo, rev, path)) < 0) {
			code = cli_fail(error, "cannot %s '%s': %s", verb, arg, docket_error_last());
			goto cleanup;
		}
	}
	if (out && (error = docket_doc_parse(out, buf, blen, file ? arg : path)) < 0) {
		code = cli_fail(error, "cannot %s '%s': %s", verb, arg, docket_error_last());
		goto cleanup;
	}
	if (bytes) {
		*bytes = buf;
		buf = NULL;
		if (len)
			*len = blen;
	}
cleanup:
	free(path);
	free(buf);
	return code;
}

int cli_progress(const char *what, size_t done, size_t total, void *payload)
{
	cli_progress_state *st = payload;

	if (!st || !st->on)
		return 0;
	if (st->open && strcmp(st->what, what) != 0)
		fputc('\n', stderr); /* the next phase on a line of its own */
	snprintf(st->what, sizeof(st->what), "%s", what);
	if (total)
		fprintf(stderr, "\rdocket: %s %zu/%zu", what, done, total);
	else
		fprintf(stderr, "\rdocket: %s %zu", what, done);
	st->open = 1;
	if (total && done >= total) {
		fputc('\n', stderr);
		st->open = 0;
	}
	fflush(stderr);
	return 0;
}

int cli_lookup_progress(docket_repo *repo, int on)
{
	cli_progress_state ps = { on, 0, "" };
	docket_lookup_options o = DOCKET_LOOKUP_OPTIONS_INIT;
	int error;

	if (!on)
		return 0;
	o.progress_cb = cli_progress;
	o.payload = &ps;
	error = docket_lookup_update(repo, &o);
	cli_progress_end(&ps);
	return error;
}

void cli_progress_end(cli_progress_state *st)
{
	if (st && st->open) {
		fputc('\n', stderr);
		st->open = 0;
	}
}

int cli_jobs(unsigned int *out, const char *arg)
{
	char *end;
	long n;

	*out = 0;
	if (!arg)
		return 0;
	errno = 0;
	n = strtol(arg, &end, 10);
	if (!*arg || *end || errno || n < 1 || n > 64)
		return -1;
	*out = (unsigned int)n;
	return 0;
}
