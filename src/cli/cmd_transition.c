/* docket submit / review / approve / issue / return / transition / commit, and after issue
 * correct / replace / recall: the workflow. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *name, *message, *plan, *year, *state, *unit, *due, *by;
	cli_list docs;
} transition_args;

/* One action, its line printed; the exit code. */
static int take(cli_ctx *ctx, const char *doc, const char *name, const char *message, const char *unit,
                const char *due, const char *by)
{
	docket_action_options act = DOCKET_ACTION_OPTIONS_INIT;
	docket_action_result res;
	int code, error;

	act.doc = doc;
	act.transition = name;
	act.actor = ctx->actor;
	act.message = message;
	act.key = ctx->key;
	act.unit = unit;
	act.due = due;
	act.by = by;
	error = docket_action_run(&res, ctx->repo, &act);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings))
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail_last(error, NULL);
	} else {
		printf("%s: %s -> %s", res.id, res.from, res.to);
		if (res.number)
			printf(", number %s", res.number);
		if (by)
			printf(", %s %s", strcmp(name, "replace") == 0 ? "replaced by" : "corrected by", by);
		printf(" [%.12s]\n", res.commit);
		code = EXIT_OK;
	}
	docket_action_result_free(&res);
	fflush(stdout);
	return code;
}

static int run_transition(cli_ctx *ctx, void *args)
{
	transition_args *a = args;
	/* submit, review, approve, issue, return: the command is the transition */
	const char *name = a->name ? a->name : ctx->cmd->name;
	const char **docs = NULL;
	docket_rollup roll;
	size_t n = 0, i, ok = 0, failed = 0;
	int code = EXIT_OK, worst = EXIT_OK, y;

	memset(&roll, 0, sizeof(roll));
	if (a->doc)
		return cli_finish(take(ctx, a->doc, name, a->message, a->unit, a->due, a->by));
	if (a->docs.n == 1 && !a->plan && !a->year && !a->state)
		return cli_finish(take(ctx, a->docs.v[0], name, a->message, NULL, NULL, a->by));
	if (a->plan || a->year || a->state) {
		int error;
		if (a->docs.n)
			return cli_usage_error(ctx, "give DOC... or --plan PLAN --year YEAR --state STATE, not both");
		if (!a->plan || !a->state || cli_parse_year(a->year, &y) < 0)
			return cli_usage_error(ctx, "give --plan PLAN --year YEAR --state STATE together");
		if ((error = docket_draft_status(&roll, ctx->repo, a->plan, y, NULL)) < 0)
			return cli_fail(error, "cannot read the reports of %d on '%s': %s", y, a->plan, docket_error_last());
		if (!(docs = calloc(roll.n + 1, sizeof(*docs))))
			return cli_fail(DOCKET_ERROR, "out of memory");
		for (i = 0; i < roll.n; i++)
			if (roll.units[i].report && roll.units[i].state && strcmp(roll.units[i].state, a->state) == 0)
				docs[n++] = roll.units[i].report;
		if (!n) {
			code = cli_fail(DOCKET_EINVALID, "no report of %d on '%s' is in the state '%s'", y, a->plan, a->state);
			goto cleanup;
		}
	} else if (!a->docs.n) {
		return cli_usage_error(ctx, "which document? give DOC... or --plan PLAN --year YEAR --state STATE");
	} else {
		docs = a->docs.v;
	}
	/* each document its own action and commit, with every check; a refusal does not stop the rest */
	for (i = 0; i < (docs == a->docs.v ? a->docs.n : n); i++) {
		int c = take(ctx, docs[i], name, a->message, NULL, NULL, a->by);
		if (c == EXIT_OK)
			ok++;
		else {
			failed++;
			if (c > worst)
				worst = c;
		}
	}
	fprintf(stderr, "%s: %zu done, %zu failed\n", name, ok, failed);
	code = failed ? (worst == EXIT_OTHER ? EXIT_OTHER : EXIT_CHECK) : EXIT_OK;
cleanup:
	if (docs != a->docs.v)
		free(docs);
	docket_rollup_free(&roll);
	return cli_finish(code);
}

static const cli_option transition_opts[] = {
	CLI_OPT_STRING(transition_args, message, "message", 'm', "MESSAGE",
	               "the reason or comment recorded in the step and the commit"),
	CLI_OPT_STRING(transition_args, by, "by", 0, "DOC",
	               "for a transition that links a document: the replacement or correcting letter"),
	CLI_OPT_STRING(transition_args, unit, "unit", 0, "UNIT",
	               "with --due, for a transition that assigns a handler (an incoming document's\n"
	               "'assign'): the unit that handles the document"),
	CLI_OPT_STRING(transition_args, due, "due", 0, "DATE", "with --unit: when it is due (YYYY-MM-DD)"),
	CLI_OPT_END
};

static const cli_option link_opts[] = {
	CLI_OPT_REQUIRED(transition_args, by, "by", 0, "DOC",
	                 "the issued document that replaces it / the issued letter that corrects it"),
	CLI_OPT_STRING(transition_args, message, "message", 'm', "MESSAGE",
	               "a comment recorded in the step and the commit"),
	CLI_OPT_END
};

static const cli_option recall_opts[] = {
	CLI_OPT_REQUIRED(transition_args, message, "message", 'm', "REASON",
	                 "why the document is recalled (recorded in the step, the signature and the commit)"),
	CLI_OPT_END
};

static const cli_option fixed_opts[] = {
	CLI_OPT_STRING(transition_args, message, "message", 'm', "MESSAGE",
	               "the reason or comment recorded in the step and the commit"),
	CLI_OPT_STRING(transition_args, plan, "plan", 0, "PLAN",
	               "with --year and --state: the units' reports on PLAN in that state"),
	CLI_OPT_STRING(transition_args, year, "year", 0, "YEAR", "with --plan: the year of the reports"),
	CLI_OPT_STRING(transition_args, state, "state", 0, "STATE", "with --plan: the state of the reports to act on"),
	CLI_OPT_END
};

static const cli_positional fixed_pos[] = {
	CLI_POS(transition_args, docs, "DOC", CLI_POS_MANY), CLI_POS_END
};

static const cli_positional commit_pos[] = {
	CLI_POS(transition_args, doc, "DOC", CLI_POS_ONE), CLI_POS_END
};

static const cli_positional transition_pos[] = {
	CLI_POS(transition_args, doc, "DOC", CLI_POS_ONE), CLI_POS(transition_args, name, "NAME", CLI_POS_ONE),
	CLI_POS_END
};

#define TRANSITION_HELP \
	"Check the workflow in force, the acting person's role and unit, separation of duties,\n" \
	"the reason when the workflow requires one, and that the document validates; then append\n" \
	"a workflow step and write exactly one commit whose message ends with the trailers\n" \
	"Docket-Document, Docket-Transition, Docket-From, Docket-To, Docket-Actor.\n" \
	"Several documents (DOC..., or --plan PLAN --year YEAR --state STATE: the units' reports on\n" \
	"PLAN in STATE) are each one action and one commit with the same checks; a refusal does\n" \
	"not stop the others; a summary 'NAME: N done, M failed' ends the run, exit 1 if any failed.\n" \
	"The acting person comes from --as PERSON or $DOCKET_ACTOR. Where the workflow says the\n" \
	"step is signed, the acting person's key ($DOCKET_KEY, else\n" \
	"~/.config/docket/keys/PERSON.pem) signs the document, and the commit too.\n"

#define TRANSITION_EXIT \
	"0 done; 1 refused (wrong state, role or unit, same person on both sides of a separated\n" \
	"duty, missing reason, invalid document, document changed meanwhile); 2 usage (no\n" \
	"acting person, no such transition); 3 other errors."

#define FIXED(cname, summary, what, example) \
	const cli_command cli_cmd_##cname = { \
		#cname, run_transition, CMD_NEEDS_REPO | CMD_SIGNS, summary, sizeof(transition_args), \
		fixed_opts, fixed_pos, what "\n" TRANSITION_HELP, example, TRANSITION_EXIT, NULL \
	}

FIXED(submit, "submit a draft", "Take the 'submit' transition.",
      "docket --as hoa submit kh-2021-354 -m \"Trình lãnh đạo phòng\"\n"
      "docket --as minh review --plan kh-2021-354 --year 2025 --state submitted");
FIXED(review, "record the unit head's review",
      "Take the 'review' transition (head of the drafting unit checks the content).",
      "docket review kh-2021-354 --as minh");
FIXED(approve, "approve (the competent person)",
      "Take the 'approve' transition (the competent person approves).",
      "docket --as lan approve kh-2021-354\n"
      "docket --as lan approve --plan kh-2021-354 --year 2025 --state reviewed\n"
      "DOCKET_KEY='pkcs11:token=PGD;object=lan' docket --as lan approve kh-2021-354");
FIXED(issue, "number, date and issue (records clerk)",
      "Take the 'issue' transition: the records clerk assigns the next number of the\n"
      "issuer's register for the year (01, 02, ...) and the date, in the same commit.",
      "docket --as thu issue kh-2021-354");
FIXED(return, "send back to draft with a reason",
      "Send the document back to draft; the reason (-m) is required.",
      "docket --as minh return kh-2021-354 -m \"Rà soát lại chỉ tiêu 4\"");

#define AFTER_ISSUE_HELP \
	"The issued document's signed content is never edited: the action appends a workflow step\n" \
	"(outside the signed content) and writes exactly one commit, with the same checks as every\n" \
	"transition (state, role, unit, the acting person's signed commit). The audit replays it\n" \
	"as a legal transition and still flags any other change of the document.\n"

#define LINK_HELP \
	"DOC must be issued by the same issuer and say so in its header, e.g.\n" \
	"  <amends relation=\"replaces\" ref=\"kh-2021-354\" code=\"354/KH-PGDĐT\" date=\"2021-05-11\"/>\n" \
	"(relation=\"corrects\" for a correcting letter); the step records DOC in its ref\n" \
	"attribute and the commit in the trailer Docket-Link.\n"

#define LINK_EXIT \
	"0 done; 1 refused (state not issued, role, DOC not issued, of another issuer or not\n" \
	"stating the link, already linked); 2 usage (no --by, no acting person); 3 other errors."

const cli_command cli_cmd_replace = {
	"replace", run_transition, CMD_NEEDS_REPO | CMD_SIGNS, "mark an issued document replaced by another",
	sizeof(transition_args), link_opts, commit_pos,
	"Take the 'replace' transition: a content error in the issued document DOC is fixed by\n"
	"a replacement document (Decree 30), issued first. DOC becomes 'replaced', frozen, its\n"
	"last step pointing at the replacement.\n" LINK_HELP "\n" AFTER_ISSUE_HELP,
	"docket --as thu replace kh-2021-354 --by kh-2021-402",
	LINK_EXIT, NULL
};

const cli_command cli_cmd_correct = {
	"correct", run_transition, CMD_NEEDS_REPO | CMD_SIGNS, "link a correcting letter to an issued document",
	sizeof(transition_args), link_opts, commit_pos,
	"Take the 'correct' transition: a format error in the issued document DOC is fixed by a\n"
	"correcting letter (công văn đính chính), issued first. DOC stays issued and in force,\n"
	"the correction linked by a new step. A document may be corrected several times, by\n"
	"different letters.\n" LINK_HELP "\n" AFTER_ISSUE_HELP,
	"docket --as thu correct kh-2021-354 --by cv-2021-410",
	LINK_EXIT, NULL
};

const cli_command cli_cmd_recall = {
	"recall", run_transition, CMD_NEEDS_REPO | CMD_SIGNS, "recall an issued document (approver, signed)",
	sizeof(transition_args), recall_opts, commit_pos,
	"Take the 'recall' transition: the issuer's approver recalls the issued document DOC\n"
	"(thu hồi). It becomes 'recalled' and frozen: no edit and no transition is accepted any\n"
	"more. The approver signs the recall (XML-DSig, ProofOfApproval, its signed properties\n"
	"naming the transition 'recall' and bound to the step with its reason) with the key of\n"
	"$DOCKET_KEY or ~/.config/docket/keys/PERSON.pem, and the commit too.\n"
	"\n" AFTER_ISSUE_HELP,
	"docket --as lan recall kh-2021-354 -m \"Thu hồi do ban hành sai thẩm quyền\"",
	"0 done; 1 refused (state not issued, not an approver, no key or certificate); 2 usage\n"
	"(no reason, no acting person); 3 other errors.", NULL
};

const cli_command cli_cmd_transition = {
	"transition", run_transition, CMD_NEEDS_REPO | CMD_SIGNS, "take any transition by name",
	sizeof(transition_args), transition_opts, transition_pos,
	"Take the transition NAME of the document's workflow (any workflow, including a\n"
	"repository's own). A transition that assigns a handler (an incoming document's 'assign',\n"
	"docs/exchange.md) records in its step the unit that handles the document (--unit) and\n"
	"when it is due (--due); that unit's people then act on it as its recipient unit.\n"
	"\n" TRANSITION_HELP,
	"docket --as minh transition kh-2021-354 check -m \"Đã kiểm tra\"\n"
	"docket --as thu transition den-2026-01 assign --unit CM --due 2026-12-15\n"
	"docket --as hung transition den-2026-01 complete",
	TRANSITION_EXIT, NULL
};

/* --- docket commit ------------------------------------------------------------------ */

static int run_commit(cli_ctx *ctx, void *args)
{
	transition_args *a = args;
	docket_action_result res;
	int code = EXIT_OK, error;

	if (!a->message || !*a->message)
		return cli_usage_error(ctx, "give DOC and -m MESSAGE");
	error = docket_edit_commit(&res, ctx->repo, a->doc, ctx->actor, a->message);
	if (error == DOCKET_EINVALID && res.findings)
		cli_print_findings(res.findings);
	if (error < 0)
		code = cli_fail_last(error, NULL);
	else
		printf("%s: edit recorded in state %s [%.12s]\n", res.id, res.to, res.commit);
	docket_action_result_free(&res);
	return cli_finish(code);
}

static const cli_option commit_opts[] = {
	CLI_OPT_REQUIRED(transition_args, message, "message", 'm', "MESSAGE", "what was changed and why"),
	CLI_OPT_END
};

const cli_command cli_cmd_commit = {
	"commit", run_commit, CMD_NEEDS_REPO | CMD_SIGNS, "record edits of a draft made in the work tree",
	sizeof(transition_args), commit_opts, commit_pos,
	"Record the edits made to DOC's file in the work tree (with any editor) as one commit.\n"
	"Allowed only while the document is in an editable state (draft), by a drafter or reviewer\n"
	"of its drafting unit; the edited document must validate, and its workflow steps, state\n"
	"and signatures must be unchanged.\n",
	"$EDITOR documents/plan/2021/CTTT/kh-2021-354.xml\n"
	"docket --as hoa commit kh-2021-354 -m \"Sửa chỉ tiêu 4\"",
	"0 committed; 1 refused (state not editable, invalid, not allowed); 2 usage; 3 other\n"
	"errors.", NULL
};
