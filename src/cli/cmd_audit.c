/* docket log / diff / audit: what happened to the documents, and whether it was allowed. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

const char usage_log[] =
	"usage: docket log DOC [--trust CA.pem] [--json]\n"
	"\n"
	"The timeline of document DOC, oldest first: every commit that touched it, with its time\n"
	"(+07:00), the actor (printed name and position), the transition or edit, the states\n"
	"from and to, the commit, the message, and for each signature it gained the signer's\n"
	"printed name, signing time, meaning (review, approval, origin) and verification status.\n"
	"Commits made outside docket show as 'outside docket'. The document is followed across\n"
	"moves by its id. Signatures are verified against --trust, else the trust anchor in\n"
	"$XDG_CONFIG_HOME/docket/trust.pem (~/.config/docket/trust.pem); never against anything\n"
	"taken from the repository.\n"
	"\n"
	"Exit status: 0 shown; 2 usage; 3 other errors (no such document).\n";

const char usage_diff[] =
	"usage: docket diff DOC [REV1 [REV2]] [--json]\n"
	"\n"
	"What changed in document DOC between two versions, in the words of the domain (header\n"
	"fields, sections, indicators and targets, actual values, tasks, recipients, workflow\n"
	"steps, signatures): '~ indicator 4.1 target 2025: 99.5 -> 99.0', '+ recipient 8: ...',\n"
	"'- task group 3 item 2: ...'. Without revisions: its last two versions. With REV1 only:\n"
	"REV1 against the tip.\n"
	"\n"
	"Exit status: 0 shown; 2 usage; 3 other errors.\n";

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


int cmd_log(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("log");
	const char *pos[1], *trust = NULL;
	int json = 0, npos, r, code, error;
	const cli_opt opts[] = { { "trust", 0, 1, &trust, NULL }, { "json", 0, 0, NULL, &json },
	                         { NULL, 0, 0, NULL, NULL } };
	docket_repo *repo = NULL;
	docket_log_entry *e = NULL;
	size_t n = 0, i, k;

	if ((r = cli_parse(argc, argv, opts, pos, 1, &npos, cmd)) >= 0)
		return r;
	if (npos != 1) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	trust = cli_trust_anchor(trust);
	if ((error = docket_log(&e, &n, repo, pos[0], trust)) < 0) {
		code = cli_fail(error, "cannot show the log of '%s': %s", pos[0], docket_error_last());
		docket_repo_free(repo);
		return code;
	}
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
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}

int cmd_diff(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("diff");
	const char *pos[3];
	int json = 0, npos, r, code, error;
	const cli_opt opts[] = { { "json", 0, 0, NULL, &json }, { NULL, 0, 0, NULL, NULL } };
	docket_repo *repo = NULL;
	docket_diff_item *items = NULL;
	char r1[41], r2[41];
	size_t n = 0, i;

	if ((r = cli_parse(argc, argv, opts, pos, 3, &npos, cmd)) >= 0)
		return r;
	if (npos < 1) {
		cli_usage(stderr, cmd);
		return EXIT_USAGE;
	}
	if ((code = cli_open_repo(&repo, g)) != 0)
		return code;
	error = docket_diff(&items, &n, repo, pos[0], npos > 1 ? pos[1] : NULL, npos > 2 ? pos[2] : NULL, r1, r2);
	if (error < 0) {
		code = cli_fail(error, "cannot compare versions of '%s': %s", pos[0], docket_error_last());
		docket_repo_free(repo);
		return code;
	}
	if (json) {
		printf("{\"document\": ");
		cli_json_str(pos[0]);
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
		printf("%s: %.12s -> %.12s\n", pos[0], r1, r2);
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
	docket_repo_free(repo);
	return cli_finish(EXIT_OK);
}

const char usage_audit[] =
	"usage: docket audit [DOC...] [--trust CA.pem] [--since REV] [--json] [--no-cache]\n"
	"\n"
	"Replay the history of the main branch and report every finding: a state change not made\n"
	"by a legal transition of the workflow in force at that commit; an actor without the role\n"
	"or unit; separation of duties broken; a reason missing; a signature that fails, is\n"
	"missing where the workflow requires one, or was made with another person's certificate;\n"
	"content changed in a non-editable state or after a signature; workflow steps rewritten;\n"
	"a commit touching documents without docket's trailers (an edit outside docket); a change\n"
	"to .docket/ not made (and, with a trust anchor, not signed) by an administrator; history\n"
	"rewritten since the last audit. With DOC arguments, only findings about those documents.\n"
	"\n"
	"Verdicts are cached under the git directory (docket/audit, safe to delete), so a re-run\n"
	"replays only the commits added since. Signatures are verified against --trust, else\n"
	"$XDG_CONFIG_HOME/docket/trust.pem (~/.config/docket/trust.pem); without a trust anchor\n"
	"only the presence of required signatures is checked.\n"
	"\n"
	"  --since REV   only commits after REV (no cache)\n"
	"  --json        one JSON object: {\"findings\": [{kind, commit, document, message}], ...}\n"
	"  --no-cache    replay everything; neither read nor write the cache\n"
	"\n"
	"Exit status: 0 no findings; 1 findings; 2 usage; 3 other errors.\n";

int cmd_audit(int argc, char **argv, cli_globals *g)
{
	const cli_command *cmd = cli_find_command("audit");
	const char **pos = calloc((size_t)argc + 1, sizeof(*pos));
	docket_audit_options o;
	docket_audit_result res;
	docket_repo *repo = NULL;
	int json = 0, no_cache = 0, npos = 0, r, code, error;
	size_t i;

	memset(&o, 0, sizeof(o));
	memset(&res, 0, sizeof(res));
	{
		const cli_opt opts[] = { { "trust", 0, 1, &o.trust, NULL }, { "since", 0, 1, &o.since, NULL },
		                         { "json", 0, 0, NULL, &json }, { "no-cache", 0, 0, NULL, &no_cache },
		                         { NULL, 0, 0, NULL, NULL } };
		if (!pos)
			return cli_fail(DOCKET_ERROR, "out of memory");
		if ((r = cli_parse(argc, argv, opts, pos, argc, &npos, cmd)) >= 0) {
			free(pos);
			return r;
		}
	}
	o.no_cache = no_cache;
	o.docs = npos ? pos : NULL;
	o.ndocs = (size_t)npos;
	o.trust = cli_trust_anchor(o.trust);
	if ((code = cli_open_repo(&repo, g)) != 0) {
		free(pos);
		return code;
	}
	if ((error = docket_audit(&res, repo, &o)) < 0) {
		code = cli_fail_last(error, "cannot audit");
		goto cleanup;
	}
	if (json) {
		printf("{\"commits\": %zu, \"signatures\": %zu, \"trust\": %s, \"findings\": [", res.commits,
		       res.signatures, res.trust_used ? "true" : "false");
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
		printf("]}\n");
	} else {
		for (i = 0; i < res.n; i++) {
			docket_audit_finding *f = &res.findings[i];
			printf("%s: %.12s%s%s: %s\n", f->kind, f->commit[0] ? f->commit : "repository",
			       f->document ? " " : "", f->document ? f->document : "", f->message);
		}
		fprintf(stderr, "docket: audited %zu commit%s, verified %zu signature%s%s: %zu finding%s\n",
		        res.commits, res.commits == 1 ? "" : "s", res.signatures, res.signatures == 1 ? "" : "s",
		        res.trust_used ? "" : " (no trust anchor: signatures not verified)", res.n,
		        res.n == 1 ? "" : "s");
	}
	code = res.n ? EXIT_CHECK : EXIT_OK;
cleanup:
	docket_audit_result_free(&res);
	docket_repo_free(repo);
	free(pos);
	return cli_finish(code);
}
