/* docket submit / review / approve / issue / return / transition / commit: the workflow. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *doc, *name, *message;
} transition_args;

static int run_transition(cli_ctx *ctx, void *args)
{
	transition_args *a = args;
	/* submit, review, approve, issue, return: the command is the transition */
	const char *name = a->name ? a->name : ctx->cmd->name;
	docket_action_options act = DOCKET_ACTION_OPTIONS_INIT;
	docket_action_result res;
	int code, error;

	act.doc = a->doc;
	act.transition = name;
	act.actor = ctx->actor;
	act.message = a->message;
	act.key = ctx->key;
	error = docket_action_run(&res, ctx->repo, &act);
	if (error == DOCKET_EINVALID && res.findings && docket_findings_count(res.findings))
		cli_print_findings(res.findings);
	if (error < 0) {
		code = cli_fail_last(error, NULL);
	} else {
		printf("%s: %s -> %s", res.id, res.from, res.to);
		if (res.number)
			printf(", number %s", res.number);
		printf(" [%.12s]\n", res.commit);
		code = EXIT_OK;
	}
	docket_action_result_free(&res);
	return cli_finish(code);
}

static const cli_option transition_opts[] = {
	CLI_OPT_STRING(transition_args, message, "message", 'm', "MESSAGE",
	               "the reason or comment recorded in the step and the commit"),
	CLI_OPT_END
};

static const cli_positional fixed_pos[] = {
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
		transition_opts, fixed_pos, what "\n" TRANSITION_HELP, example, TRANSITION_EXIT, NULL \
	}

FIXED(submit, "submit a draft", "Take the 'submit' transition.",
      "docket --as hoa submit kh-2021-354 -m \"Trình lãnh đạo phòng\"");
FIXED(review, "record the unit head's review",
      "Take the 'review' transition (head of the drafting unit checks the content).",
      "docket review kh-2021-354 --as minh");
FIXED(approve, "approve (the competent person)",
      "Take the 'approve' transition (the competent person approves).",
      "docket --as lan approve kh-2021-354\n"
      "DOCKET_KEY='pkcs11:token=PGD;object=lan' docket --as lan approve kh-2021-354");
FIXED(issue, "number, date and issue (records clerk)",
      "Take the 'issue' transition: the records clerk assigns the next number of the\n"
      "issuer's register for the year (01, 02, ...) and the date, in the same commit.",
      "docket --as thu issue kh-2021-354");
FIXED(return, "send back to draft with a reason",
      "Send the document back to draft; the reason (-m) is required.",
      "docket --as minh return kh-2021-354 -m \"Rà soát lại chỉ tiêu 4\"");

const cli_command cli_cmd_transition = {
	"transition", run_transition, CMD_NEEDS_REPO | CMD_SIGNS, "take any transition by name",
	sizeof(transition_args), transition_opts, transition_pos,
	"Take the transition NAME of the document's workflow (any workflow, including a\n"
	"repository's own).\n"
	"\n" TRANSITION_HELP,
	"docket --as minh transition kh-2021-354 check -m \"Đã kiểm tra\"",
	TRANSITION_EXIT, NULL
};

/* --- docket commit ------------------------------------------------------------------ */

static int run_commit(cli_ctx *ctx, void *args)
{
	transition_args *a = args;
	docket_action_result res;
	int code = EXIT_OK, error;

	if (!*a->message)
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
	sizeof(transition_args), commit_opts, fixed_pos,
	"Record the edits made to DOC's file in the work tree (with any editor) as one commit.\n"
	"Allowed only while the document is in an editable state (draft), by a drafter or reviewer\n"
	"of its drafting unit; the edited document must validate, and its workflow steps, state\n"
	"and signatures must be unchanged.\n",
	"$EDITOR documents/plan/2021/CTTT/kh-2021-354.xml\n"
	"docket --as hoa commit kh-2021-354 -m \"Sửa chỉ tiêu 4\"",
	"0 committed; 1 refused (state not editable, invalid, not allowed); 2 usage; 3 other\n"
	"errors.", NULL
};
