/* docket migrate / checkpoint: the rules of signed history and the checkpoints that pin it. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

typedef struct {
	const char *message;
} history_args;

static int run_migrate(cli_ctx *ctx, void *args)
{
	int error;

	(void)args;
	if ((error = docket_config_migrate(ctx->repo, ctx->actor)) < 0)
		return cli_fail(error, "cannot migrate: %s", docket_error_last());
	printf("migrated: the rules of signed history (rules 2) are recorded, from here on every commit is signed by its "
	       "actor; the schemas are this docket's (document format 2)\n");
	return cli_finish(EXIT_OK);
}

const cli_command cli_cmd_migrate = {
	"migrate", run_migrate, CMD_NEEDS_REPO | CMD_SIGNS, "move an older repository to the current rules and document format",
	sizeof(history_args), NULL, NULL,
	"Record, as one commit signed by an administrator, that the repository follows the rules of\n"
	"signed history (rules 2): every commit signed by its actor's key, every new signature\n"
	"bound to its workflow step. A repository made before them (rules 1) still audits: its\n"
	"unsigned commits are reported once as 'unsigned-legacy' and its older signatures as\n"
	"'legacy-signature', not as forgeries. After the migration both are findings. New\n"
	"repositories start with rules 2.\n"
	"\n"
	"The same commit moves the repository to this docket's document format (format 2, the\n"
	"general document of docs/format.md): .docket/schemas/ becomes the built-in set, and the\n"
	"workflow and template of a kind the repository lacks (document) are added; workflows and\n"
	"templates it has are kept. Every document must stay valid: one that the repository's\n"
	"schemas accept and the new ones refuse stops the migration, named, and nothing is\n"
	"written. Format 2 accepts every earlier document as it is, so none is rewritten. The\n"
	"history before the commit is still judged by the schemas it pinned.\n",
	"docket --as admin migrate",
	"0 done; 1 refused (not an administrator, no key, migrated already, a document the new schemas refuse); 2 usage; 3 other errors.",
	NULL
};

static int run_checkpoint(cli_ctx *ctx, void *args)
{
	history_args *a = args;
	char name[64];
	int error;

	if ((error = docket_checkpoint_create(name, ctx->repo, ctx->actor, a->message)) < 0)
		return cli_fail(error, "cannot make a checkpoint: %s", docket_error_last());
	printf("%s\n", name);
	return cli_finish(EXIT_OK);
}

static const cli_option checkpoint_opts[] = {
	CLI_OPT_STRING(history_args, message, "message", 'm', "MSG", "what the checkpoint marks"),
	CLI_OPT_END
};

const cli_command cli_cmd_checkpoint = {
	"checkpoint", run_checkpoint, CMD_NEEDS_REPO | CMD_SIGNS, "sign the current head of main as a checkpoint",
	sizeof(history_args), checkpoint_opts, NULL,
	"Create refs/tags/docket/checkpoint/N, an annotated tag of the tip of main signed by the\n"
	"acting administrator's key as git signs tags, and print its name. Push the tags with the\n"
	"branch. The audit verifies every checkpoint against the trust anchor, in any clone, and\n"
	"reports 'history-rewritten' when main no longer contains one; stock git checks one with\n"
	"'docket signers > allowed && git -c gpg.ssh.allowedSignersFile=allowed verify-tag TAG'.\n",
	"docket --as admin checkpoint -m \"end of 2021\"",
	"0 made; 1 refused (not an administrator, no key or certificate); 2 usage; 3 other errors.",
	NULL
};
