/* docket key / ca: signing keys and their certificates. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

typedef struct {
	const char *person, *out, *dir, *name, *ca, *csr, *days;
	int rsa;
} key_args;

static int mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -1;
	for (p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0700) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return 0;
}

static int run_key_generate(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	const char *person = a->person, *outp = a->out;
	int error, code = EXIT_OK;
	char path[4096], *pass = NULL;
	const char *cn, *email = NULL;
	docket_config *cfg = NULL;
	docket_person p;

	if (outp)
		snprintf(path, sizeof(path), "%s", outp);
	else if (cli_default_key_path(path, sizeof(path), person) < 0)
		return cli_fail(DOCKET_EUSAGE, "no home directory: give --out KEYFILE");
	cn = person;
	/* inside a repository, the person's printed name and e-mail go into the request */
	if (ctx->repo && docket_config_load(&cfg, ctx->repo, NULL) == 0 &&
	    docket_config_person(&p, cfg, person) == 0) {
		cn = p.name;
		email = p.email && *p.email ? p.email : NULL;
	}
	docket_error_clear();
	if (mkdirs(path) < 0) {
		code = cli_fail(DOCKET_ERROR, "cannot create the directory of '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	if (!(pass = cli_passphrase("New key passphrase: "))) {
		code = EXIT_OTHER;
		goto cleanup;
	}
	if ((error = docket_key_generate(path, a->rsa, pass, cn, email)) < 0) {
		code = cli_fail(error, "cannot generate a key at '%s': %s", path, docket_error_last());
		goto cleanup;
	}
	printf("%s\n%s.csr\n", path, path);
cleanup:
	cli_passphrase_free(pass);
	docket_config_free(cfg);
	return cli_finish(code);
}

static int run_ca_init(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	char *pass;
	int error, code = EXIT_OK;

	if (!(pass = cli_passphrase("New CA passphrase: ")))
		return EXIT_OTHER;
	if ((error = docket_ca_init(a->dir, a->name ? a->name : "Docket CA", pass)) < 0)
		code = cli_fail(error, "cannot create a CA in '%s': %s", a->dir, docket_error_last());
	else
		printf("%s/ca.pem\n", a->dir);
	cli_passphrase_free(pass);
	return cli_finish(code);
}

static int run_ca_issue(cli_ctx *ctx, void *args)
{
	key_args *a = args;
	char *pass, *end;
	long days = 730;
	int error, code = EXIT_OK;

	if (a->days) {
		days = strtol(a->days, &end, 10);
		if (*end || end == a->days)
			days = 0;
	}
	if (days <= 0 || days > 36500)
		return cli_usage_error(ctx, "--days must be between 1 and 36500");
	if (!(pass = cli_passphrase("CA passphrase: ")))
		return EXIT_OTHER;
	if ((error = docket_ca_issue(a->ca, pass, a->csr, a->out, (int)days)) < 0)
		code = cli_fail(error, "cannot issue a certificate for '%s': %s", a->csr, docket_error_last());
	else
		printf("%s\n", a->out);
	cli_passphrase_free(pass);
	return cli_finish(code);
}

static const cli_option key_generate_opts[] = {
	CLI_OPT_REQUIRED(key_args, person, "person", 0, "ID", "the person the key is for"),
	CLI_OPT_FLAG(key_args, rsa, "rsa", 0, "RSA 3072 instead of ECDSA P-256"),
	CLI_OPT_STRING(key_args, out, "out", 0, "KEYFILE",
	               "where to write the key (default: ~/.config/docket/keys/ID.pem)"),
	CLI_OPT_END
};

static const cli_command key_subs[] = {
	{ "generate", run_key_generate, 0, "generate a key and its request", sizeof(key_args),
	  key_generate_opts, NULL, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_key = {
	"key", NULL, CMD_WANTS_REPO, "generate a signing key and its certificate request",
	sizeof(key_args), NULL, NULL,
	"Generate a signing key for person ID: ECDSA P-256 (RSA 3072 with --rsa), stored as an\n"
	"encrypted PKCS#8 PEM file of mode 0600 at KEYFILE, by default\n"
	"$XDG_CONFIG_HOME/docket/keys/ID.pem (~/.config/docket/keys/ID.pem). An existing file is\n"
	"never overwritten. A certificate signing request is written beside it (KEYFILE.csr),\n"
	"with the person's full name from the repository's configuration when run inside one.\n"
	"Give the CSR to the organisation's CA ('docket ca issue'), then record the certificate\n"
	"with 'docket person cert ID CERT'.\n"
	"\n"
	"The passphrase comes from $DOCKET_PASSPHRASE, the file $DOCKET_PASSPHRASE_FILE, or the\n"
	"terminal. Transitions use the key named by $DOCKET_KEY (a file or a PKCS#11 URI such as\n"
	"'pkcs11:token=T;object=approver') or the default place for the acting person.\n",
	"docket key generate --person lan\n"
	"docket -C pgd key generate --person=thu --rsa --out thu.pem",
	"0 written; 1 refused (file exists); 2 usage; 3 other errors.", key_subs
};

static const cli_option ca_init_opts[] = {
	CLI_OPT_STRING(key_args, name, "name", 0, "NAME", "the CA's name (default: Docket CA)"),
	CLI_OPT_END
};

static const cli_positional ca_init_pos[] = { CLI_POS(key_args, dir, "DIR", CLI_POS_ONE), CLI_POS_END };

static const cli_option ca_issue_opts[] = {
	CLI_OPT_REQUIRED(key_args, ca, "ca", 0, "DIR", "the CA's directory (made by 'ca init')"),
	CLI_OPT_REQUIRED(key_args, out, "out", 0, "CERT", "where to write the certificate"),
	CLI_OPT_STRING(key_args, days, "days", 0, "N", "days the certificate is valid (default 730)"),
	CLI_OPT_END
};

static const cli_positional ca_issue_pos[] = { CLI_POS(key_args, csr, "CSR", CLI_POS_ONE), CLI_POS_END };

static const cli_command ca_subs[] = {
	{ "init", run_ca_init, 0, "make a CA", sizeof(key_args), ca_init_opts, ca_init_pos, NULL, NULL,
	  NULL, NULL },
	{ "issue", run_ca_issue, 0, "sign a request", sizeof(key_args), ca_issue_opts, ca_issue_pos, NULL,
	  NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_ca = {
	"ca", NULL, 0, "a small certificate authority for the organisation", sizeof(key_args), NULL, NULL,
	"A small certificate authority for an organisation that has none. 'init' writes\n"
	"DIR/ca.key (encrypted, 0600) and DIR/ca.pem (the trust anchor to give verifiers);\n"
	"'issue' signs a person's CSR into a certificate valid N days. The CA key's passphrase\n"
	"comes from $DOCKET_PASSPHRASE, $DOCKET_PASSPHRASE_FILE or the terminal. Certificates\n"
	"from any other CA work the same way.\n",
	"docket ca init ~/pgd-ca --name \"PGDĐT Cẩm Phả CA\"\n"
	"docket ca issue --ca ~/pgd-ca ~/.config/docket/keys/lan.pem.csr --out lan.crt --days 730",
	"0 done; 1 refused (files exist); 2 usage; 3 other errors.", ca_subs
};
