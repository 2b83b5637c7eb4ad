/* docket key / ca / signers / verify: keys, certificates and signatures. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include "cli.h"

const char usage_key[] =
	"usage: docket [-C REPO] key generate --person ID [--rsa] [--out KEYFILE]\n"
	"\n"
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
	"'pkcs11:token=T;object=approver') or the default place for the acting person.\n"
	"\n"
	"Exit status: 0 written; 1 refused (file exists); 2 usage; 3 other errors.\n";

const char usage_ca[] =
	"usage: docket ca init DIR [--name NAME]\n"
	"       docket ca issue --ca DIR CSR --out CERT [--days N]\n"
	"\n"
	"A small certificate authority for an organisation that has none. 'init' writes\n"
	"DIR/ca.key (encrypted, 0600) and DIR/ca.pem (the trust anchor to give verifiers);\n"
	"'issue' signs a person's CSR into a certificate valid N days (default 730). The CA\n"
	"key's passphrase comes from $DOCKET_PASSPHRASE, $DOCKET_PASSPHRASE_FILE or the terminal.\n"
	"Certificates from any other CA work the same way.\n"
	"\n"
	"Exit status: 0 done; 1 refused (files exist); 2 usage; 3 other errors.\n";

const char usage_signers[] =
	"usage: docket signers\n"
	"\n"
	"Print git's allowed-signers file for the people of the repository who have a\n"
	"certificate: one line 'EMAIL namespaces=\"git\" KEYTYPE KEY' each, for\n"
	"'git -c gpg.ssh.allowedSignersFile=FILE verify-commit REV'.\n"
	"\n"
	"Exit status: 0 printed; 3 other errors.\n";

const char usage_verify[] =
	"usage: docket verify DOC [--trust CA.pem] [--json]\n"
	"\n"
	"Check every signature of document DOC: the certificate chains to the trust anchor and\n"
	"was valid at signing time, the signed content (and for the organisation's signature the\n"
	"number and date) is unchanged, the signature belongs to this document, and the signer\n"
	"is the person who took the signed transition and held the role the workflow required.\n"
	"The trust anchor comes from --trust or $XDG_CONFIG_HOME/docket/trust.pem, never from the\n"
	"repository.\n"
	"\n"
	"Exit status: 0 every signature holds; 1 any fails (each failure is named); 2 usage;\n"
	"3 other errors.\n";

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

int cmd_key(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("key");
	const char *pos[1], *person = NULL, *outp = NULL;
	int rsa = 0, npos, r, error, code = EXIT_OK;
	const cli_opt opts[] = { { "person", 0, 1, &person, NULL }, { "rsa", 0, 0, NULL, &rsa },
	                         { "out", 0, 1, &outp, NULL }, { NULL, 0, 0, NULL, NULL } };
	char path[4096], *pass = NULL;
	const char *cn, *email = NULL;
	docket_repo *repo = NULL;
	docket_config *cfg = NULL;
	docket_person p;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		return r;
	if (npos != 1 || strcmp(pos[0], "generate") || !person) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if (outp)
		snprintf(path, sizeof(path), "%s", outp);
	else if (cli_default_key_path(path, sizeof(path), person) < 0)
		return cli_fail(DOCKET_EUSAGE, "no home directory: give --out KEYFILE");
	cn = person;
	if (docket_repo_open(&repo, g->dir) == 0 && docket_config_load(&cfg, repo, NULL) == 0 &&
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
	if ((error = docket_key_generate(path, rsa, pass, cn, email)) < 0) {
		code = cli_fail(error, "cannot generate a key at '%s': %s", path, docket_error_last());
		goto cleanup;
	}
	printf("%s\n%s.csr\n", path, path);
cleanup:
	cli_passphrase_free(pass);
	docket_config_free(cfg);
	docket_repo_free(repo);
	return cli_finish(code);
}

int cmd_ca(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("ca");
	const char *pos[2], *name = "Docket CA", *ca = NULL, *outp = NULL, *days_s = NULL;
	int npos, r, error, code = EXIT_OK;
	const cli_opt opts[] = { { "name", 0, 1, &name, NULL }, { "ca", 0, 1, &ca, NULL },
	                         { "out", 0, 1, &outp, NULL }, { "days", 0, 1, &days_s, NULL },
	                         { NULL, 0, 0, NULL, NULL } };
	char *pass = NULL;

	if ((r = cli_parse(argc, argv, opts, pos, 2, &npos, cmd)) >= 0)
		return r;
	if (npos == 2 && strcmp(pos[0], "init") == 0) {
		if (!(pass = cli_passphrase("New CA passphrase: ")))
			return EXIT_OTHER;
		if ((error = docket_ca_init(pos[1], name, pass)) < 0)
			code = cli_fail(error, "cannot create a CA in '%s': %s", pos[1], docket_error_last());
		else
			printf("%s/ca.pem\n", pos[1]);
	} else if (npos == 2 && strcmp(pos[0], "issue") == 0 && ca && outp) {
		int days = days_s ? atoi(days_s) : 730;
		if (days <= 0 || days > 36500) {
			fprintf(stderr, "docket ca issue: --days must be between 1 and 36500\n");
			return EXIT_USAGE;
		}
		if (!(pass = cli_passphrase("CA passphrase: ")))
			return EXIT_OTHER;
		if ((error = docket_ca_issue(ca, pass, pos[1], outp, days)) < 0)
			code = cli_fail(error, "cannot issue a certificate for '%s': %s", pos[1], docket_error_last());
		else
			printf("%s\n", outp);
	} else {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	cli_passphrase_free(pass);
	return cli_finish(code);
}

/* S as a JSON string (NULL: null); bytes >= 0x80 pass through (docket's strings are UTF-8). */

static int ssh_line_of_cert(char **out, const char *pem)
{
	BIO *bio = BIO_new_mem_buf(pem, -1);
	X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
	int error = x ? docket_cert_ssh_pubkey(out, x) : DOCKET_EINVALID;
	X509_free(x);
	BIO_free(bio);
	return error;
}

int cmd_signers(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("signers");
	const char *pos[1];
	int npos, r, code;
	docket_repo *repo = NULL;
	docket_config *cfg = NULL;
	size_t i;

	if ((r = cli_parse(argc, argv, NULL, pos, 0, &npos, cmd)) >= 0)
		return r;
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if (docket_config_load(&cfg, repo, NULL) < 0) {
		code = cli_fail_last(DOCKET_ERROR, NULL);
		goto cleanup;
	}
	for (i = 0; i < docket_config_person_count(cfg); i++) {
		docket_person p;
		char *line = NULL;
		docket_config_person_at(&p, cfg, i);
		if (!p.cert)
			continue;
		if (ssh_line_of_cert(&line, p.cert) < 0) {
			fprintf(stderr, "docket: the certificate of '%s' is unreadable; skipped\n", p.id);
			continue;
		}
		if (p.email && *p.email)
			printf("%s namespaces=\"git\" %s\n", p.email, line);
		else
			printf("%s@docket.invalid namespaces=\"git\" %s\n", p.id, line);
		free(line);
	}
cleanup:
	docket_config_free(cfg);
	docket_repo_free(repo);
	return cli_finish(code);
}

int cmd_verify(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("verify");
	const char *pos[1], *trust = NULL;
	int json = 0, npos, r, code, error;
	const cli_opt opts[] = { { "trust", 0, 1, &trust, NULL }, { "json", 0, 0, NULL, &json },
	                         { NULL, 0, 0, NULL, NULL } };
	docket_repo *repo = NULL;
	docket_verify_item *items = NULL;
	size_t n = 0, i, bad = 0;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		return r;
	if (npos != 1) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if (!(trust = cli_trust_anchor(trust)))
		return cli_fail(DOCKET_EUSAGE, "no trust anchor: give --trust CA.pem (the organisation's CA "
		                "certificate) or put it in ~/.config/docket/trust.pem");
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	if ((error = docket_verify_document(&items, &n, repo, pos[0], trust)) < 0) {
		code = cli_fail(error, "cannot verify '%s': %s", pos[0], docket_error_last());
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		bad += !items[i].ok;
	if (json) {
		/* every string may come from the document (Ids, certificate names): escaped */
		fputs("{\"document\": ", stdout);
		cli_json_str(pos[0]);
		printf(", \"valid\": %s, \"signatures\": [", bad || !n ? "false" : "true");
		for (i = 0; i < n; i++) {
			printf("%s{\"id\": ", i ? ",\n " : "");
			cli_json_str(items[i].id);
			printf(", \"ok\": %s, \"signer\": ", items[i].ok ? "true" : "false");
			cli_json_str(items[i].signer);
			fputs(", \"person\": ", stdout);
			cli_json_str(items[i].person);
			fputs(", \"time\": ", stdout);
			cli_json_str(items[i].time);
			fputs(", \"meaning\": ", stdout);
			cli_json_str(items[i].meaning);
			fputs(", \"transition\": ", stdout);
			cli_json_str(items[i].transition);
			fputs(", \"problem\": ", stdout);
			cli_json_str(items[i].problem);
			putchar('}');
		}
		printf("]}\n");
	} else {
		if (!n)
			printf("%s: no signatures\n", pos[0]);
		for (i = 0; i < n; i++)
			printf("%s %s: %s (%s), %s, %s at %s%s%s\n", items[i].ok ? "ok  " : "FAIL", items[i].id,
			       items[i].signer, items[i].person, items[i].meaning, items[i].transition, items[i].time,
			       items[i].problem ? ": " : "", items[i].problem ? items[i].problem : "");
	}
	code = bad || !n ? EXIT_CHECK : EXIT_OK;
cleanup:
	docket_verify_items_free(items, n);
	docket_repo_free(repo);
	return cli_finish(code);
}
