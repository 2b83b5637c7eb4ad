/* docket log / diff / audit: what happened to the documents, and whether it was allowed. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli.h"

typedef struct {
	const char *doc, *rev1, *rev2, *trust, *since, *known_head, *jobs;
	cli_list docs;
	int json, no_cache, progress;
} audit_args;

static int run_log(cli_ctx *ctx, void *args)
{
	audit_args *a = args;
	const char *trust = cli_trust_anchor(a->trust);
	int json = a->json, error;
	docket_log_entry *e = NULL;
	size_t n = 0, i, k;

	cli_progress_state ps = { !json && (a->progress || isatty(2)), 0, "" };

	if (ps.on) {
		/* the first log of a fresh clone builds the history index: say how far it is */
		docket_history_options ho = DOCKET_HISTORY_OPTIONS_INIT;
		ho.progress_cb = cli_progress;
		ho.payload = &ps;
		error = docket_history_update_opts(NULL, NULL, ctx->repo, &ho);
		cli_progress_end(&ps);
		if (error < 0)
			return cli_fail(error, "cannot show the log of '%s': %s", a->doc, docket_error_last());
	}
	if ((error = docket_log(&e, &n, ctx->repo, a->doc, trust)) < 0)
		return cli_fail(error, "cannot show the log of '%s': %s", a->doc, docket_error_last());
	if (json)
		putchar('[');
	for (i = 0; i < n; i++) {
		if (json) {
			printf("%s{\"commit\": \"%s\", \"time\": ", i ? ",\n " : "", e[i].commit);
			cli_json_str(e[i].time);
			printf(", \"actor\": ");
			cli_json_str(e[i].actor);
			printf(", \"name\": ");
			cli_json_str(e[i].actor_name);
			printf(", \"position\": ");
			cli_json_str(e[i].actor_position);
			printf(", \"action\": ");
			cli_json_str(e[i].action);
			printf(", \"from\": ");
			cli_json_str(e[i].from);
			printf(", \"to\": ");
			cli_json_str(e[i].to);
			printf(", \"message\": ");
			cli_json_str(e[i].message);
			printf(", \"path\": ");
			cli_json_str(e[i].path);
			printf(", \"deleted\": %s, \"signatures\": [", e[i].deleted ? "true" : "false");
			for (k = 0; k < e[i].nsigs; k++) {
				printf("%s{\"id\": ", k ? ", " : "");
				cli_json_str(e[i].sigs[k].id);
				printf(", \"signer\": ");
				cli_json_str(e[i].sigs[k].signer);
				printf(", \"time\": ");
				cli_json_str(e[i].sigs[k].time);
				printf(", \"meaning\": ");
				cli_json_str(e[i].sigs[k].meaning);
				printf(", \"status\": ");
				cli_json_str(e[i].sigs[k].status);
				putchar('}');
			}
			printf("]}");
			continue;
		}
		printf("%s  %-14s", e[i].time, e[i].action);
		if (e[i].from && e[i].to && strcmp(e[i].from, e[i].to))
			printf(" %s -> %s", e[i].from, e[i].to);
		else if (e[i].to && !e[i].from)
			printf(" -> %s", e[i].to);
		else if (e[i].to)
			printf(" in %s", e[i].to); /* an edit, or a change outside docket: in which state */
		printf("  %.12s\n", e[i].commit);
		printf("    by %s", e[i].actor_name ? e[i].actor_name : e[i].actor);
		if (e[i].actor_position)
			printf(", %s", e[i].actor_position);
		if (e[i].actor_name)
			printf(" (%s)", e[i].actor);
		putchar('\n');
		if (e[i].message)
			printf("    \"%s\"\n", e[i].message);
		if (e[i].deleted)
			printf("    the document was removed\n");
		else if (i > 0 && e[i - 1].path && e[i].path && strcmp(e[i - 1].path, e[i].path) != 0)
			printf("    moved from %s to %s\n", e[i - 1].path, e[i].path);
		for (k = 0; k < e[i].nsigs; k++)
			printf("    signature %s: %s, %s, %s: %s\n", e[i].sigs[k].id, e[i].sigs[k].signer,
			       e[i].sigs[k].time, e[i].sigs[k].meaning, e[i].sigs[k].status);
	}
	if (json)
		puts("]");
	docket_log_free(e, n);
	return cli_finish(EXIT_OK);
}

static int run_diff(cli_ctx *ctx, void *args)
{
	audit_args *a = args;
	int json = a->json, error;
	docket_diff_item *items = NULL;
	char r1[41], r2[41];
	size_t n = 0, i;

	error = docket_diff(&items, &n, r1, r2, ctx->repo, a->doc, a->rev1, a->rev2);
	if (error < 0)
		return cli_fail(error, "cannot compare versions of '%s': %s", a->doc, docket_error_last());
	if (json) {
		printf("{\"document\": ");
		cli_json_str(a->doc);
		printf(", \"from\": \"%s\", \"to\": \"%s\", \"changes\": [", r1, r2);
		for (i = 0; i < n; i++) {
			printf("%s{\"change\": \"%s\", \"path\": ", i ? ",\n " : "",
			       items[i].change == '+' ? "added" : items[i].change == '-' ? "removed" : "changed");
			cli_json_str(items[i].path);
			printf(", \"old\": ");
			cli_json_str(items[i].old_value);
			printf(", \"new\": ");
			cli_json_str(items[i].new_value);
			putchar('}');
		}
		puts("]}");
	} else {
		printf("%s: %.12s -> %.12s\n", a->doc, r1, r2);
		if (n == 0)
			printf("no changes\n");
		for (i = 0; i < n; i++) {
			if (items[i].change == '~')
				printf("~ %s: %s -> %s\n", items[i].path, *items[i].old_value ? items[i].old_value : "(empty)",
				       *items[i].new_value ? items[i].new_value : "(empty)");
			else if (items[i].change == '+')
				printf("+ %s: %s\n", items[i].path, items[i].new_value);
			else
				printf("- %s: %s\n", items[i].path, items[i].old_value);
		}
	}
	docket_diff_free(items, n);
	return cli_finish(EXIT_OK);
}

static int run_audit(cli_ctx *ctx, void *args)
{
	audit_args *a = args;
	docket_audit_options o = DOCKET_AUDIT_OPTIONS_INIT;
	docket_audit_result res;
	docket_repo *repo = ctx->repo;
	int json = a->json, code, error;
	size_t i;

	cli_progress_state ps = { !json && (a->progress || isatty(2)), 0, "" };

	memset(&res, 0, sizeof(res));
	if (cli_jobs(&o.jobs, a->jobs) < 0)
		return cli_usage_error(ctx, "--jobs takes a number of threads from 1 to 64, not '%s'", a->jobs);
	o.progress_cb = cli_progress;
	o.payload = &ps;
	o.since = a->since;
	o.no_cache = a->no_cache;
	o.docs = a->docs.n ? a->docs.v : NULL;
	o.ndocs = a->docs.n;
	o.trust = cli_trust_anchor(a->trust);
	o.known_head = a->known_head;
	error = docket_audit(&res, repo, &o);
	cli_progress_end(&ps);
	if (error < 0) {
		code = cli_fail_last(error, "cannot audit");
		goto cleanup;
	}
	if (json) {
		printf("{\"commits\": %zu, \"signatures\": %zu, \"trust\": %s, \"recorded_earlier\": %zu, "
		       "\"findings\": [", res.commits, res.signatures, res.trust_used ? "true" : "false", res.earlier);
		for (i = 0; i < res.n; i++) {
			printf("%s{\"kind\": ", i ? ",\n  " : "\n  ");
			cli_json_str(res.findings[i].kind);
			printf(", \"commit\": ");
			cli_json_str(res.findings[i].commit[0] ? res.findings[i].commit : NULL);
			printf(", \"document\": ");
			cli_json_str(res.findings[i].document);
			printf(", \"message\": ");
			cli_json_str(res.findings[i].message);
			putchar('}');
		}
		printf("], \"notes\": [");
		for (i = 0; i < res.nnotes; i++) {
			printf("%s{\"kind\": ", i ? ",\n  " : "\n  ");
			cli_json_str(res.notes[i].kind);
			printf(", \"commit\": ");
			cli_json_str(res.notes[i].commit[0] ? res.notes[i].commit : NULL);
			printf(", \"document\": ");
			cli_json_str(res.notes[i].document);
			printf(", \"message\": ");
			cli_json_str(res.notes[i].message);
			putchar('}');
		}
		printf("]}\n");
	} else {
		for (i = 0; i < res.n; i++) {
			docket_audit_finding *f = &res.findings[i];
			printf("%s: %.12s%s%s: %s\n", f->kind, f->commit[0] ? f->commit : "repository",
			       f->document ? " " : "", f->document ? f->document : "", f->message);
		}
		/* notes are no fault: on stderr with the summary, so stdout stays the findings */
		for (i = 0; i < res.nnotes; i++) {
			docket_audit_finding *f = &res.notes[i];
			fprintf(stderr, "docket: note: %s: %.12s%s%s: %s\n", f->kind, f->commit[0] ? f->commit : "repository",
			        f->document ? " " : "", f->document ? f->document : "", f->message);
		}
		if (res.cached) {
			/* a re-run: say what is new and what an earlier run found, never "audited 0
			 * commits ... 2 findings" */
			size_t fresh = res.n - res.earlier;
			fprintf(stderr, "docket: %zu new commit%s, verified %zu signature%s%s", res.commits,
			        res.commits == 1 ? "" : "s", res.signatures, res.signatures == 1 ? "" : "s",
			        res.trust_used ? "" : " (no trust anchor: signatures not verified)");
			if (!res.n)
				fprintf(stderr, ": 0 findings\n");
			else if (!fresh)
				fprintf(stderr, "; %zu finding%s recorded earlier\n", res.earlier, res.earlier == 1 ? "" : "s");
			else
				fprintf(stderr, ": %zu new finding%s; %zu finding%s in all (%zu recorded earlier)\n", fresh,
				        fresh == 1 ? "" : "s", res.n, res.n == 1 ? "" : "s", res.earlier);
		} else {
			fprintf(stderr, "docket: audited %zu commit%s, verified %zu signature%s%s: %zu finding%s\n",
			        res.commits, res.commits == 1 ? "" : "s", res.signatures, res.signatures == 1 ? "" : "s",
			        res.trust_used ? "" : " (no trust anchor: signatures not verified)", res.n,
			        res.n == 1 ? "" : "s");
		}
	}
	code = res.n ? EXIT_CHECK : EXIT_OK;
cleanup:
	docket_audit_result_free(&res);
	return cli_finish(code);
}

#define TRUST_HELP "the CA certificate signatures are verified against (default:\n" \
	"$XDG_CONFIG_HOME/docket/trust.pem, ~/.config/docket/trust.pem)"

#define PROGRESS_HELP(what) "count " what " on stderr (the default when stderr is a\n" \
	"terminal; never with --json)"

static const cli_option log_opts[] = {
	CLI_OPT_STRING(audit_args, trust, "trust", 0, "CA.pem", TRUST_HELP),
	CLI_OPT_FLAG(audit_args, json, "json", 0, "print a JSON array of entries"),
	CLI_OPT_FLAG(audit_args, progress, "progress", 0,
	             PROGRESS_HELP("the commits read while the history index is built")),
	CLI_OPT_END
};

static const cli_positional doc_pos[] = { CLI_POS(audit_args, doc, "DOC", CLI_POS_ONE), CLI_POS_END };

const cli_command cli_cmd_log = {
	"log", run_log, CMD_NEEDS_REPO, "the timeline of a document", sizeof(audit_args), log_opts, doc_pos,
	"The timeline of document DOC, oldest first: every commit that touched it, with its time\n"
	"(+07:00), the actor (printed name and position), the transition or edit, the states\n"
	"from and to, the commit, the message, and for each signature it gained the signer's\n"
	"printed name, signing time, meaning (review, approval, origin) and verification status.\n"
	"Commits made outside docket show as 'outside docket'. The document is followed across\n"
	"moves by its id. Signatures are verified against --trust, else the trust anchor in\n"
	"$XDG_CONFIG_HOME/docket/trust.pem (~/.config/docket/trust.pem); never against anything\n"
	"taken from the repository.\n"
	"\n"
	"The first log in a repository (a fresh clone) builds the history index under the git\n"
	"directory (docket/history): one pass over the commits, on every core; later runs read\n"
	"it and index only new commits.\n",
	"docket log kh-2021-354 --trust ~/pgd-ca/ca.pem\n"
	"docket log kh-2021-354 --progress",
	"0 shown; 2 usage; 3 other errors (no such document).", NULL
};

static const cli_option diff_opts[] = {
	CLI_OPT_FLAG(audit_args, json, "json", 0, "print one JSON object {document, from, to, changes}"),
	CLI_OPT_END
};

static const cli_positional diff_pos[] = {
	CLI_POS(audit_args, doc, "DOC", CLI_POS_ONE), CLI_POS(audit_args, rev1, "REV1", CLI_POS_OPTIONAL),
	CLI_POS(audit_args, rev2, "REV2", CLI_POS_OPTIONAL), CLI_POS_END
};

const cli_command cli_cmd_diff = {
	"diff", run_diff, CMD_NEEDS_REPO, "what changed between two versions of a document",
	sizeof(audit_args), diff_opts, diff_pos,
	"What changed in document DOC between two versions, in the words of the domain (header\n"
	"fields, sections, indicators and targets, actual values, tasks, recipients, workflow\n"
	"steps, signatures): '~ indicator 4.1 target 2025: 99.5 -> 99.0', '+ recipient 8: ...',\n"
	"'- task group 3 item 2: ...'. Without revisions: its last two versions. With REV1 only:\n"
	"REV1 against the tip.\n",
	"docket diff kh-2021-354\n"
	"docket diff kh-2021-354 main~5 main --json",
	"0 shown; 2 usage; 3 other errors.", NULL
};

static const cli_option audit_opts[] = {
	CLI_OPT_STRING(audit_args, trust, "trust", 0, "CA.pem", TRUST_HELP),
	CLI_OPT_STRING(audit_args, since, "since", 0, "REV", "only commits after REV (no cache)"),
	CLI_OPT_FLAG(audit_args, json, "json", 0,
	             "one JSON object: {\"findings\": [{kind, commit, document, message}], ...}"),
	CLI_OPT_FLAG(audit_args, no_cache, "no-cache", 0, "replay everything; neither read nor write the cache"),
	CLI_OPT_STRING(audit_args, known_head, "known-head", 0, "FILE",
	               "the head audited last, kept outside the repository (default:\n"
	               "$XDG_STATE_HOME/docket/heads/<root commit>); updated after a full audit"),
	CLI_OPT_STRING(audit_args, jobs, "jobs", 'j', "N",
	               "parse versions and verify signatures on N threads (default: one per\n"
	               "processor online); the findings are the same, in the same order, whatever N"),
	CLI_OPT_FLAG(audit_args, progress, "progress", 0, PROGRESS_HELP("the commits audited")),
	CLI_OPT_END
};

static const cli_positional audit_pos[] = {
	CLI_POS(audit_args, docs, "DOC", CLI_POS_MANY), CLI_POS_END
};

const cli_command cli_cmd_audit = {
	"audit", run_audit, CMD_NEEDS_REPO, "replay the history and report every finding",
	sizeof(audit_args), audit_opts, audit_pos,
	"Replay the history of the main branch and report every finding: a state change not made\n"
	"by a legal transition of the workflow in force at that commit; an actor without the role\n"
	"or unit; separation of duties broken; a reason missing; a signature that fails, is\n"
	"missing where the workflow requires one, or was made with another person's certificate;\n"
	"content changed in a non-editable state or after a signature; workflow steps rewritten;\n"
	"a commit touching documents without docket's trailers (an edit outside docket); a change\n"
	"to .docket/ not made (and, with a trust anchor, not signed) by an administrator; history\n"
	"rewritten since the last audit. With DOC arguments, only findings about those documents.\n"
	"\n"
	"Every commit after the first certificate must be signed by its actor's key (git SSH\n"
	"signature), checked against the certificate recorded for the actor, chained to the trust\n"
	"anchor; every new signature must be bound to its workflow step; the register of numbers\n"
	"must change only by an issue; every checkpoint (docket checkpoint) and the head audited\n"
	"last (--known-head, kept outside the repository) must still be in the history of main.\n"
	"Notes (the bootstrap, a repository's older unsigned commits and signatures, actions the\n"
	"configuration allows unsigned) are printed on stderr and change no exit status.\n"
	"\n"
	"Verdicts are cached under the git directory (docket/audit, safe to delete), so a re-run\n"
	"replays only the commits added since. Without a trust anchor only the presence of\n"
	"required signatures is checked.\n"
	"\n"
	"The commits are read in history order; parsing their versions and verifying their\n"
	"signatures run on --jobs threads, and the verdicts are reached in history order, so\n"
	"the output is the same byte for byte with one thread or many.\n",
	"docket audit --trust ~/pgd-ca/ca.pem --json\n"
	"docket audit --trust ~/pgd-ca/ca.pem --no-cache --jobs 2 --progress\n"
	"docket audit kh-2021-354 --since main~10",
	"0 no findings; 1 findings; 2 usage; 3 other errors.", NULL
};
