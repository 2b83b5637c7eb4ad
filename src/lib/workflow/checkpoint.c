/*
 * checkpoint: an administrator's signed statement that the main branch was at a commit.
 *
 * A repository cannot prove on its own that its history was not rewritten: whoever can
 * rewrite it can also rewrite any record of it kept inside. A checkpoint is an annotated tag
 * refs/tags/docket/checkpoint/N pointing at main's tip, SSH-signed by an administrator as git
 * signs tags (`git verify-tag` checks it with `docket signers` as the allowed signers). The
 * audit verifies every checkpoint against the verifier's trust anchor, in any clone, and
 * reports history rewritten when main no longer contains one. Tags are never moved.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "workflow_internal.h"

#define CHECKPOINT_PREFIX "refs/tags/docket/checkpoint/"

/* The highest N of the existing refs/tags/docket/checkpoint/N, 0 when none. */
static int last_checkpoint(git_repository *git, unsigned long *out)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int rc;

	*out = 0;
	if (git_reference_iterator_glob_new(&it, git, CHECKPOINT_PREFIX "*") < 0)
		return docket_error_git(DOCKET_ERROR, "cannot list the checkpoints");
	while ((rc = git_reference_next_name(&name, it)) == 0) {
		char *end;
		unsigned long n = strtoul(name + strlen(CHECKPOINT_PREFIX), &end, 10);
		if (!*end && n > *out)
			*out = n;
	}
	git_reference_iterator_free(it);
	if (rc != GIT_ITEROVER)
		return docket_error_git(DOCKET_ERROR, "cannot list the checkpoints");
	return 0;
}

int docket_checkpoint_create(char out_name[64], docket_repo *repo, const char *actor, const char *message)
{
	docket_config *cfg = NULL;
	docket_person p;
	docket_buf msg = DOCKET_BUF_INIT;
	char tip[41], ref[128], tag[48];
	void *key = NULL;
	unsigned long n;
	int error, attempt;

	if (out_name)
		out_name[0] = '\0';
	if ((error = docket_message_check(message, "cannot make a checkpoint")) < 0)
		return error;
	if (!actor)
		return docket_error_set(DOCKET_EUSAGE, "an administrator makes checkpoints: say who you are with --as PERSON");
	if ((error = docket_repo_resolve(tip, repo, NULL)) < 0 || (error = docket_config_load(&cfg, repo, NULL)) < 0)
		goto cleanup;
	if (docket_config_person(&p, cfg, actor) < 0 || !docket_person_has_role(&p, "admin")) {
		error = docket_error_set(DOCKET_EDENIED, "cannot make a checkpoint: '%s' is not an administrator", actor);
		goto cleanup;
	}
	/* an unsigned checkpoint proves nothing: the key is required even before certificates */
	if (docket_repo_commit_signer(repo, &key) != docket_sshsig_commit_signer || !key || !p.cert) {
		error = docket_error_set(DOCKET_EDENIED, "cannot make a checkpoint: it is signed by the administrator; "
		                         "'%s' needs a recorded certificate and the key (DOCKET_KEY or the default place)",
		                         actor);
		goto cleanup;
	}
	if ((error = docket_commit_signing_check(repo, cfg, actor, NULL, NULL, "make a checkpoint")) < 0)
		goto cleanup;
	if ((error = last_checkpoint(docket_repo_git(repo), &n)) < 0)
		goto cleanup;
	/* another administrator may take the same number at the same moment: take the next */
	for (attempt = 0; attempt < 16; attempt++) {
		n++;
		snprintf(ref, sizeof(ref), CHECKPOINT_PREFIX "%lu", n);
		snprintf(tag, sizeof(tag), "docket/checkpoint/%lu", n);
		msg.len = 0;
		if ((error = docket_buf_printf(&msg, "docket: checkpoint %lu of main at %.12s\n\n%s%sDocket-Checkpoint: %lu\n"
		                               "Docket-Commit: %s\nDocket-Actor: %s\n", n, tip,
		                               message && *message ? message : "", message && *message ? "\n\n" : "",
		                               n, tip, actor)) < 0)
			goto cleanup;
		error = docket_repo_tag(NULL, repo, ref, tag, tip, msg.ptr);
		if (error != DOCKET_EEXISTS)
			break;
		docket_error_clear();
	}
	if (error < 0)
		goto cleanup;
	if (out_name)
		snprintf(out_name, 64, "%s", tag);
cleanup:
	docket_buf_free(&msg);
	docket_config_free(cfg);
	return error;
}
