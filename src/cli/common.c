/* common: option parsing, error printing and exit codes shared by every command. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
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
int cli_open_repo(docket_repo **out, cli_globals *g)
{
	docket_config *cfg = NULL;
	docket_person p;
	int error = docket_repo_open(out, g->dir);

	if (error < 0)
		return cli_fail_last(error, NULL);
	if (g->actor && docket_config_load(&cfg, *out, NULL) == 0 &&
	    docket_config_person(&p, cfg, g->actor) == 0) {
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

void cli_usage(FILE *f, const cli_command *cmd)
{
	fputs(cmd->usage, f);
}

int cli_finish(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "docket: cannot write the output: %s\n", strerror(errno));
		return EXIT_OTHER;
	}
	return code;
}

static const cli_opt *find_long(const cli_opt *opts, const char *name, size_t n)
{
	for (; opts && opts->name; opts++)
		if (strlen(opts->name) == n && strncmp(opts->name, name, n) == 0)
			return opts;
	return NULL;
}

static const cli_opt *find_short(const cli_opt *opts, char c)
{
	for (; opts && opts->name; opts++)
		if (opts->short_name && opts->short_name == c)
			return opts;
	return NULL;
}

int cli_parse(int argc, char **argv, const cli_opt *opts, const char **pos, int maxpos,
              int *npos, const cli_command *cmd)
{
	int i, only_pos = 0;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const cli_opt *o = NULL;
		const char *val = NULL;

		if (!only_pos && (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)) {
			cli_usage(stdout, cmd);
			return cli_finish(EXIT_OK);
		}
		if (!only_pos && strcmp(a, "--") == 0) {
			only_pos = 1;
			continue;
		}
		if (!only_pos && a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a + 2, '=');
			size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
			o = find_long(opts, a + 2, n);
			if (!o) {
				fprintf(stderr, "docket %s: unknown option '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
			if (eq)
				val = eq + 1;
		} else if (!only_pos && a[0] == '-' && a[1] && !a[2]) {
			o = find_short(opts, a[1]);
			if (!o) {
				fprintf(stderr, "docket %s: unknown option '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
		} else {
			if (*npos == maxpos) {
				fprintf(stderr, "docket %s: unexpected argument '%s'\n", cmd->name, a);
				cli_usage(stderr, cmd);
				return EXIT_USAGE;
			}
			pos[(*npos)++] = a;
			continue;
		}
		if (o->takes_value) {
			if (!val) {
				if (i + 1 >= argc) {
					fprintf(stderr, "docket %s: option '%s' needs a value\n", cmd->name, a);
					return EXIT_USAGE;
				}
				val = argv[++i];
			}
			*o->value = val;
		} else {
			if (val) {
				fprintf(stderr, "docket %s: option '--%s' takes no value\n", cmd->name, o->name);
				return EXIT_USAGE;
			}
			*o->flag = 1;
		}
	}
	return -1;
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

/*
 * The passphrase (or token PIN): $DOCKET_PASSPHRASE, else the file named by
 * $DOCKET_PASSPHRASE_FILE (first line), else asked on the terminal without echo.
 * The caller wipes and frees it with cli_passphrase_free.
 */
char *cli_passphrase(const char *prompt)
{
	const char *env = getenv("DOCKET_PASSPHRASE"), *file = getenv("DOCKET_PASSPHRASE_FILE");
	char buf[1024];
	size_t n;

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
	} else {
		struct termios old, quiet;
		int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
		FILE *tty;
		if (fd < 0) {
			fprintf(stderr, "docket: a passphrase is needed: set DOCKET_PASSPHRASE or DOCKET_PASSPHRASE_FILE\n");
			return NULL;
		}
		tty = fdopen(fd, "r+");
		fprintf(tty, "%s", prompt);
		fflush(tty);
		tcgetattr(fd, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(fd, TCSAFLUSH, &quiet);
		if (!fgets(buf, sizeof(buf), tty))
			buf[0] = '\0';
		tcsetattr(fd, TCSAFLUSH, &old);
		fputc('\n', tty);
		fclose(tty);
	}
	n = strcspn(buf, "\r\n");
	buf[n] = '\0';
	{
		char *p = strdup(buf);
		OPENSSL_cleanse(buf, sizeof(buf));
		return p;
	}
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
int cli_load_key(docket_key **out, cli_globals *g)
{
	const char *spec = getenv("DOCKET_KEY");
	char path[4096], *pass;
	int error;

	*out = NULL;
	if (!spec || !*spec) {
		if (!g->actor || cli_default_key_path(path, sizeof(path), g->actor) < 0 || access(path, R_OK) != 0)
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

/*
 * Open the repository for a change of the configuration: once an administrator's
 * certificate is recorded, the audit requires configuration commits signed by an
 * administrator, so the actor's key (when there is one) signs the commit.
 */
int cli_open_repo_signing(docket_repo **out, docket_key **key, cli_globals *g, int want_key)
{
	int code;

	*key = NULL;
	if ((code = cli_open_repo(out, g)) != 0)
		return code;
	if (want_key && (code = cli_load_key(key, g)) != 0) {
		docket_repo_free(*out);
		*out = NULL;
		return code;
	}
	if (*key)
		docket_repo_set_commit_signer(*out, docket_sshsig_commit_signer, *key);
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
