/* docket export / receive / external: documents exchanged with other organisations in the
 * edXML envelope (docs/exchange.md). */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
	const char *doc, *format, *output, *code, *annex, *file, *now;
	int status, original, json;
	const char *id, *name, *organ_id, *ca;
} exchange_args;

/*
 * DATA to PATH ("-" or NULL: standard output) through a temporary file in the same folder,
 * renamed into place: a crash never leaves half an envelope.
 */
static int write_out(const char *path, const char *data, size_t len)
{
	char tmp[4096];
	int fd;
	size_t off = 0;

	if (!path || strcmp(path, "-") == 0) {
		if (fwrite(data, 1, len, stdout) != len)
			return cli_fail(DOCKET_ERROR, "cannot write to standard output");
		return EXIT_OK;
	}
	if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-XXXXXX", path) >= sizeof(tmp))
		return cli_fail(DOCKET_EUSAGE, "the path '%s' is too long", path);
	if ((fd = mkstemp(tmp)) < 0)
		return cli_fail(DOCKET_ERROR, "cannot create a file beside '%s': %s", path, strerror(errno));
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w <= 0) {
			int e = errno;
			close(fd);
			unlink(tmp);
			return cli_fail(DOCKET_ERROR, "cannot write '%s': %s", path, strerror(e));
		}
		off += (size_t)w;
	}
	if (fchmod(fd, 0644) < 0 || fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return cli_fail(DOCKET_ERROR, "cannot write '%s': %s", path, strerror(e));
	}
	return EXIT_OK;
}

/* --- export --------------------------------------------------------------------------------- */

static int status_code(docket_edxml_status *out, const char *s)
{
	static const struct { const char *name, *num; docket_edxml_status code; } codes[] = {
		{ "arrived", "01", DOCKET_EDXML_STATUS_ARRIVED }, { "received", "03", DOCKET_EDXML_STATUS_RECEIVED },
		{ "assigned", "04", DOCKET_EDXML_STATUS_ASSIGNED }, { "done", "06", DOCKET_EDXML_STATUS_DONE },
	};
	*out = DOCKET_EDXML_STATUS_LATEST;
	if (!s)
		return 0;
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(s, codes[i].name) == 0 || strcmp(s, codes[i].num) == 0 || strcmp(s, codes[i].num + 1) == 0) {
			*out = codes[i].code;
			return 0;
		}
	return -1;
}

static int run_export(cli_ctx *ctx, void *args)
{
	exchange_args *a = args;
	docket_export_options opts = DOCKET_EXPORT_OPTIONS_INIT;
	docket_edxml_status st;
	char *out = NULL;
	size_t len = 0;
	int error, code;

	if (a->format && strcmp(a->format, "edxml") != 0)
		return cli_usage_error(ctx, "unknown format '%s' (the only one is edxml)", a->format);
	if (a->status + a->original > 1)
		return cli_usage_error(ctx, "give --status or --original, not both");
	if (a->code && !a->status)
		return cli_usage_error(ctx, "--code goes with --status");
	if (a->annex && !a->original)
		return cli_usage_error(ctx, "--annex goes with --original");
	if (status_code(&st, a->code) < 0)
		return cli_usage_error(ctx, "unknown status '%s' (arrived, received, assigned, done)", a->code);
	opts.now = getenv("DOCKET_NOW");
	if (a->status)
		error = docket_export_status(&out, &len, ctx->repo, a->doc, st, &opts);
	else if (a->original)
		error = docket_incoming_original(&out, &len, ctx->repo, a->doc, a->annex, NULL);
	else
		error = docket_export_edxml(&out, &len, ctx->repo, a->doc, &opts);
	if (error < 0)
		return cli_fail(error, "cannot export '%s': %s", a->doc, docket_error_last());
	code = write_out(a->output, out, len);
	docket_free(out);
	return cli_finish(code);
}

static const cli_option export_opts[] = {
	CLI_OPT_STRING(exchange_args, format, "format", 0, "FORMAT", "edxml (the default and the only one)"),
	CLI_OPT_STRING(exchange_args, output, "output", 'o', "FILE",
	               "write to FILE (atomically); '-' or none: standard output"),
	CLI_OPT_FLAG(exchange_args, status, "status", 0,
	             "an incoming document's status message for its sender (the last status it\n"
	             "reached, or --code)"),
	CLI_OPT_STRING(exchange_args, code, "code", 0, "STATUS",
	               "with --status: arrived (01), received (03), assigned (04) or done (06)"),
	CLI_OPT_FLAG(exchange_args, original, "original", 0,
	             "an incoming document's original, byte for byte as it arrived"),
	CLI_OPT_STRING(exchange_args, annex, "annex", 0, "NAME", "with --original: that annex instead"),
	CLI_OPT_END
};

static const cli_positional doc_pos[] = { CLI_POS(exchange_args, doc, "DOC", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_export = {
	"export", run_export, CMD_NEEDS_REPO, "an issued document as an edXML envelope, or a status message",
	sizeof(exchange_args), export_opts, doc_pos,
	"Write the issued document DOC as an edXML envelope (QCVN 102:2016) for the national\n"
	"document exchange: the MessageHeader from its header (From: this organisation with its\n"
	"exchange id, 'docket org set --organ-id'; To: each recipient that is an external\n"
	"organisation, by id or name; ResponseFor: each incoming document it cites), a\n"
	"TraceHeader, and the document's bytes exactly as stored, signatures included, base64\n"
	"with their SHA-256 digest, then each annex its content lists (refused when an annex file\n"
	"does not match the list). A recalled document, or one that replaces or corrects another,\n"
	"carries that business operation (docs/lifecycle.md). Every envelope is validated against\n"
	"schemas/edxml.xsd before it is written.\n"
	"\n"
	"For an incoming document (docket receive), --status writes the status message for its\n"
	"sender: arrived and received from its arrival, assigned (with the handling unit and due\n"
	"date) and done from its workflow; --original writes the sender's document (or --annex)\n"
	"as it arrived, its digest checked. See docs/exchange.md.\n"
	"$DOCKET_NOW fixes the time written in the TraceHeader.\n",
	"docket export kh-2021-354 --format edxml -o 354.edxml\n"
	"docket export den-2026-01 --status -o den-2026-01-status.edxml\n"
	"docket export den-2026-01 --original -o 354-KH-PGDDT.xml",
	"0 written; 1 refused (not issued, no exchange id, not an incoming document, a status not\n"
	"reached, an original that no longer matches its digest); 2 usage; 3 other errors.", NULL
};

/* --- receive -------------------------------------------------------------------------------- */

static int run_receive(cli_ctx *ctx, void *args)
{
	exchange_args *a = args;
	docket_receive_options opts = DOCKET_RECEIVE_OPTIONS_INIT;
	docket_receive_result res;
	char *buf = NULL;
	size_t len = 0, i, bad = 0;
	int error, code = EXIT_OK;

	memset(&res, 0, sizeof(res));
	/* the envelope's own limit is the document limit and a third for base64 */
	if ((error = docket_doc_read_file(&buf, &len, a->file)) < 0)
		return cli_fail(error, "cannot read '%s': %s", a->file, docket_error_last());
	opts.actor = ctx->actor;
	opts.now = getenv("DOCKET_NOW");
	opts.name = a->file;
	error = docket_receive(&res, ctx->repo, buf, len, &opts);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings))
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail(error, "cannot receive '%s': %s", a->file, docket_error_last());
		goto cleanup;
	}
	for (i = 0; i < res.nsigs; i++)
		bad += !res.sigs[i].ok;
	if (a->json) {
		fputs("{\"id\": ", stdout);
		cli_json_str(res.id);
		fputs(", \"arrival\": ", stdout);
		cli_json_str(res.number);
		printf(", \"year\": %d, \"time\": ", res.year);
		cli_json_str(res.time);
		fputs(", \"sender\": ", stdout);
		cli_json_str(res.sender);
		fputs(", \"organ_id\": ", stdout);
		cli_json_str(res.sender_organ_id);
		fputs(", \"external\": ", stdout);
		cli_json_str(res.external);
		fputs(", \"code\": ", stdout);
		cli_json_str(res.code);
		fputs(", \"date\": ", stdout);
		cli_json_str(res.date);
		printf(", \"annexes\": %zu, \"commit\": \"%s\", \"signatures_checked\": %s, \"signatures_note\": ",
		       res.annexes, res.commit, res.sigs_checked ? "true" : "false");
		cli_json_str(res.sigs_note);
		printf(", \"recalled\": %s, \"reason\": ", res.recalled ? "true" : "false");
		cli_json_str(res.reason);
		fputs(", \"signatures\": [", stdout);
		for (i = 0; i < res.nsigs; i++) {
			printf("%s{\"id\": ", i ? ", " : "");
			cli_json_str(res.sigs[i].id);
			printf(", \"ok\": %s, \"signer\": ", res.sigs[i].ok ? "true" : "false");
			cli_json_str(res.sigs[i].signer);
			fputs(", \"meaning\": ", stdout);
			cli_json_str(res.sigs[i].meaning);
			fputs(", \"time\": ", stdout);
			cli_json_str(res.sigs[i].time);
			fputs(", \"problem\": ", stdout);
			cli_json_str(res.sigs[i].problem);
			putchar('}');
		}
		fputs("]}\n", stdout);
	} else {
		if (res.recalled)
			printf("%s: recalled by its sender %s (%s): %s of %s, %s [%.12s]\n", res.id, res.sender,
			       res.sender_organ_id, res.code, res.date, res.reason, res.commit);
		else
			printf("%s: arrival %s/%d at %s, from %s (%s): %s of %s, %zu annex%s [%.12s]\n", res.id,
			       res.number, res.year, res.time, res.sender, res.sender_organ_id, res.code, res.date,
			       res.annexes, res.annexes == 1 ? "" : "es", res.commit);
		if (!res.sigs_checked)
			printf("signatures not checked: %s\n", res.sigs_note ? res.sigs_note : "unknown reason");
		else if (!res.nsigs)
			printf("signatures: none\n");
		for (i = 0; i < res.nsigs; i++)
			printf("%s %s: %s, %s at %s%s%s\n", res.sigs[i].ok ? "ok  " : "FAIL", res.sigs[i].id,
			       res.sigs[i].signer ? res.sigs[i].signer : "unknown signer",
			       res.sigs[i].meaning ? res.sigs[i].meaning : "?", res.sigs[i].time ? res.sigs[i].time : "?",
			       res.sigs[i].problem ? ": " : "", res.sigs[i].problem ? res.sigs[i].problem : "");
	}
	if (bad)
		fprintf(stderr, "docket: %s: %zu of the sender's %zu signature%s failed (registered all the same)\n",
		        res.id, bad, res.nsigs, res.nsigs == 1 ? "" : "s");
cleanup:
	docket_receive_result_free(&res);
	docket_free(buf);
	return cli_finish(code);
}

static const cli_option receive_opts[] = {
	CLI_OPT_FLAG(exchange_args, json, "json", 0,
	             "print one JSON object {id, arrival, year, time, sender, organ_id, external, code,\n"
	             "date, annexes, commit, signatures_checked, signatures_note, recalled, reason,\n"
	             "signatures}"),
	CLI_OPT_END
};

static const cli_positional receive_pos[] = { CLI_POS(exchange_args, file, "FILE", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_receive = {
	"receive", run_receive, CMD_NEEDS_REPO | CMD_SIGNS, "register an incoming document from an edXML envelope",
	sizeof(exchange_args), receive_opts, receive_pos,
	"Register the document in the edXML envelope FILE as an incoming document (kind\n"
	"'incoming', id den-YEAR-NUMBER, state 'received'), as one commit by the records clerk\n"
	"(--as CLERK): the next arrival number of the year's register (01 from 1 January), the\n"
	"arrival time, the sender, its number/notation and date, urgency and deadline, and the\n"
	"sender's document and annexes byte for byte. The envelope is untrusted: no DTD, no\n"
	"entities, the document size limits; it must validate against schemas/edxml.xsd, every\n"
	"attachment must match its SHA-256 digest, the annexes must be as many as announced and\n"
	"the document's number and date must be the envelope's. A document received already\n"
	"(same sender, number/notation and date) is refused. The sender's signatures are verified\n"
	"against the CA recorded for it ('docket external add --ca') and reported, not required.\n"
	"An envelope that recalls a document (edXML business operation 1, carrying the sender's\n"
	"recalled document) registers nothing new: the incoming document received of it takes\n"
	"'recall' (state recalled, frozen) with the sender's reason.\n"
	"Then: 'docket transition DOC assign --unit UNIT --due DATE', 'docket transition DOC\n"
	"complete', 'docket export DOC --status' (docs/exchange.md).\n",
	"docket --as thu receive 354-KH-PGDDT.edxml\n"
	"docket --as thu receive 354-KH-PGDDT.edxml --json",
	"0 registered (also when a signature failed: it is reported); 1 refused (invalid or\n"
	"tampered envelope, a DTD, received already, not a clerk); 2 usage; 3 other errors.", NULL
};

/* --- external -------------------------------------------------------------------------------- */

static int run_external_add(cli_ctx *ctx, void *args)
{
	exchange_args *a = args;
	docket_external ext;
	char *pem = NULL;
	size_t len = 0;
	int error;

	memset(&ext, 0, sizeof(ext));
	ext.id = a->id;
	ext.name = a->name;
	ext.organ_id = a->organ_id;
	if (a->ca) {
		if ((error = docket_file_read_pem_cert(&pem, &len, a->ca)) < 0)
			return cli_fail(error, "cannot read the CA certificate '%s': %s", a->ca, docket_error_last());
		ext.ca = pem;
	}
	error = docket_config_set_external(ctx->repo, ctx->actor, &ext);
	docket_free(pem);
	if (error < 0)
		return cli_fail(error, "cannot set the external organisation '%s': %s", a->id, docket_error_last());
	return cli_finish(EXIT_OK);
}

static int run_external_list(cli_ctx *ctx, void *args)
{
	exchange_args *a = args;
	docket_config *cfg = NULL;
	size_t i, n;
	int error;

	if ((error = docket_config_load(&cfg, ctx->repo, NULL)) < 0)
		return cli_fail_last(error, NULL);
	n = docket_config_external_count(cfg);
	if (a->json)
		fputs("[", stdout);
	for (i = 0; i < n; i++) {
		docket_external x;
		docket_config_external_at(&x, cfg, i);
		if (a->json) {
			fputs(i ? ",\n {\"id\": " : "{\"id\": ", stdout);
			cli_json_str(x.id);
			fputs(", \"name\": ", stdout);
			cli_json_str(x.name);
			fputs(", \"organ_id\": ", stdout);
			cli_json_str(x.organ_id);
			printf(", \"ca\": %s}", x.ca ? "true" : "false");
		} else {
			printf("%s\t%s\t%s\t%s\n", x.id, x.organ_id, x.name, x.ca ? "CA recorded" : "no CA");
		}
	}
	if (a->json)
		fputs("]\n", stdout);
	docket_config_free(cfg);
	return cli_finish(EXIT_OK);
}

static const cli_option external_add_opts[] = {
	CLI_OPT_REQUIRED(exchange_args, name, "name", 0, "NAME", "its name as printed"),
	CLI_OPT_REQUIRED(exchange_args, organ_id, "organ-id", 0, "ID", "its id on the exchange platform (edXML OrganId)"),
	CLI_OPT_STRING(exchange_args, ca, "ca", 0, "CA.pem",
	               "the CA certificate its documents' signatures chain to (recorded in the\n"
	               "configuration; a signed administrator's change)"),
	CLI_OPT_END
};

static const cli_positional external_add_pos[] = { CLI_POS(exchange_args, id, "ID", CLI_POS_ONE), CLI_POS_END };

static const cli_option external_list_opts[] = {
	CLI_OPT_FLAG(exchange_args, json, "json", 0, "print a JSON array of {id, name, organ_id, ca}"),
	CLI_OPT_END
};

static const cli_command external_subs[] = {
	{ "add", run_external_add, CMD_SIGNS, "add or change an external organisation", sizeof(exchange_args),
	  external_add_opts, external_add_pos, NULL, NULL, NULL, NULL },
	{ "list", run_external_list, 0, "list the external organisations", sizeof(exchange_args),
	  external_list_opts, NULL, NULL, NULL, NULL, NULL },
	CLI_CMD_END
};

const cli_command cli_cmd_external = {
	"external", NULL, CMD_NEEDS_REPO, "the organisations documents are exchanged with", sizeof(exchange_args),
	NULL, NULL,
	"The external organisations this one exchanges documents with (docs/exchange.md): a local\n"
	"ID, the name, the id on the exchange platform (edXML OrganId) and the CA certificate\n"
	"their signatures chain to. 'docket export' addresses a recipient that names one (by ID\n"
	"in its unit attribute, or by its exact name); 'docket receive' verifies the signatures of\n"
	"what one sends against its CA. 'add' with an ID that exists changes it. One commit; once\n"
	"the organisation has an administrator, only an administrator may change them.\n",
	"docket --as admin external add sgddt --name \"SỞ GIÁO DỤC VÀ ĐÀO TẠO\" --organ-id 000.00.12.H44 --ca sgd-ca.pem\n"
	"docket external list --json",
	"0 done; 1 refused (not an administrator, an exchange id in use); 2 usage; 3 other errors.",
	external_subs
};
