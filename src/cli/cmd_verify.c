/* docket verify / signers: checking signatures, and git's allowed-signers file. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *trust;
	int json;
} verify_args;

static int ssh_line_of_cert(char **out, const char *pem)
{
	docket_cert *cert = NULL;
	int error;

	*out = NULL;
	if ((error = docket_cert_parse(&cert, pem, strlen(pem))) == 0)
		error = docket_cert_ssh_pubkey(out, cert);
	docket_cert_free(cert);
	return error;
}

static int run_signers(cli_ctx *ctx, void *args)
{
	int code = EXIT_OK;
	docket_config *cfg = NULL;
	size_t i;

	if (docket_config_load(&cfg, ctx->repo, NULL) < 0) {
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
		docket_free(line);
	}
cleanup:
	docket_config_free(cfg);
	return cli_finish(code);
}

static int run_verify(cli_ctx *ctx, void *args)
{
	verify_args *a = args;
	const char *trust, *doc = a->doc;
	int json = a->json, code, error;
	docket_verify_item *items = NULL;
	docket_annex_item *annexes = NULL;
	size_t n = 0, i, bad = 0, nannex = 0, badannex = 0;

	if (!(trust = cli_trust_anchor(a->trust)))
		return cli_fail(DOCKET_EUSAGE, "no trust anchor: give --trust CA.pem (the organisation's CA "
		                "certificate) or put it in ~/.config/docket/trust.pem");
	if ((error = docket_verify_document(&items, &n, ctx->repo, doc, trust)) < 0) {
		code = cli_fail(error, "cannot verify '%s': %s", doc, docket_error_last());
		goto cleanup;
	}
	for (i = 0; i < n; i++)
		bad += !items[i].ok;
	/* the annexes the signed content lists: their files must match it */
	if ((error = docket_annex_verify(&annexes, &nannex, ctx->repo, doc, NULL)) < 0) {
		code = cli_fail(error, "cannot verify the annexes of '%s': %s", doc, docket_error_last());
		goto cleanup;
	}
	for (i = 0; i < nannex; i++)
		badannex += !annexes[i].ok;
	if (json) {
		/* every string may come from the document (Ids, certificate names): escaped */
		fputs("{\"document\": ", stdout);
		cli_json_str(doc);
		printf(", \"valid\": %s, \"signatures\": [", bad || badannex || !n ? "false" : "true");
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
		fputs("], \"annexes\": [", stdout);
		for (i = 0; i < nannex; i++) {
			printf("%s{\"name\": ", i ? ",\n " : "");
			cli_json_str(annexes[i].name);
			printf(", \"ok\": %s, \"type\": ", annexes[i].ok ? "true" : "false");
			cli_json_str(annexes[i].type);
			printf(", \"size\": %llu, \"sha256\": ", annexes[i].size);
			cli_json_str(annexes[i].sha256[0] ? annexes[i].sha256 : NULL);
			fputs(", \"problem\": ", stdout);
			cli_json_str(annexes[i].problem);
			putchar('}');
		}
		printf("]}\n");
	} else {
		if (!n)
			printf("%s: no signatures\n", doc);
		for (i = 0; i < n; i++)
			printf("%s %s: %s (%s), %s, %s at %s%s%s\n", items[i].ok ? "ok  " : "FAIL", items[i].id,
			       items[i].signer, items[i].person, items[i].meaning, items[i].transition, items[i].time,
			       items[i].problem ? ": " : "", items[i].problem ? items[i].problem : "");
		for (i = 0; i < nannex; i++) {
			if (annexes[i].ok)
				printf("ok   annex %s: %s, %llu bytes, sha256 %s\n", annexes[i].name, annexes[i].type,
				       annexes[i].size, annexes[i].sha256);
			else
				printf("FAIL annex %s: %s\n", annexes[i].name, annexes[i].problem);
		}
	}
	code = bad || badannex || !n ? EXIT_CHECK : EXIT_OK;
cleanup:
	docket_annex_items_free(annexes, nannex);
	docket_verify_items_free(items, n);
	return cli_finish(code);
}

static const cli_option verify_opts[] = {
	CLI_OPT_STRING(verify_args, trust, "trust", 0, "CA.pem",
	               "the organisation's CA certificate (default: $XDG_CONFIG_HOME/docket/trust.pem,\n"
	               "~/.config/docket/trust.pem)"),
	CLI_OPT_FLAG(verify_args, json, "json", 0, "print one JSON object {document, valid, signatures, annexes}"),
	CLI_OPT_END
};

static const cli_positional verify_pos[] = { CLI_POS(verify_args, doc, "DOC", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_verify = {
	"verify", run_verify, CMD_NEEDS_REPO, "check every signature of a document", sizeof(verify_args),
	verify_opts, verify_pos,
	"Check every signature of document DOC: the certificate chains to the trust anchor and\n"
	"was valid at signing time, the signed content (and for the organisation's signature the\n"
	"number and date) is unchanged, the signature belongs to this document, and the signer\n"
	"is the person who took the signed transition and held the role the workflow required.\n"
	"The trust anchor comes from --trust or $XDG_CONFIG_HOME/docket/trust.pem, never from the\n"
	"repository.\n"
	"\n"
	"Each annex the content lists (docket attach) must be a file of the listed size and\n"
	"SHA-256 in ID.annexes/, and every file there must be listed: one line 'ok   annex NAME'\n"
	"or 'FAIL annex NAME: PROBLEM' each (--json: \"annexes\").\n",
	"docket verify kh-2021-354 --trust ~/pgd-ca/ca.pem",
	"0 every signature holds and every annex matches; 1 any fails (each failure is named);\n"
	"2 usage (no trust anchor); 3 other errors.", NULL
};

const cli_command cli_cmd_signers = {
	"signers", run_signers, CMD_NEEDS_REPO, "print git's allowed-signers file", sizeof(verify_args),
	NULL, NULL,
	"Print git's allowed-signers file for the people of the repository who have a\n"
	"certificate: one line 'EMAIL namespaces=\"git\" KEYTYPE KEY' each, for\n"
	"'git -c gpg.ssh.allowedSignersFile=FILE verify-commit REV'.\n",
	"docket signers > allowed && git -c gpg.ssh.allowedSignersFile=allowed verify-commit HEAD",
	"0 printed; 2 usage; 3 other errors.", NULL
};
