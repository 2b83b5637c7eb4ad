/*
 * rewrite: was the history of main rewritten? A cache inside the repository cannot say: a
 * fresh clone has none, and whoever rewrites the history can rewrite the cache. Two records
 * kept where the rewriter cannot reach them can:
 *
 * - checkpoints (docket checkpoint): annotated tags signed by an administrator whose
 *   certificate chains to the verifier's trust anchor. Every valid one must still be in the
 *   history of main; one that is not means main was forced back or rewritten. A tag that
 *   does not verify is itself a finding.
 * - the known head: the tip the verifier audited last, kept outside the repository
 *   ($XDG_STATE_HOME/docket/heads/<root commit>, or a file the verifier names). The history
 *   of main must still contain it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <openssl/x509.h>
#include "audit_internal.h"
#include "docket/sign.h"

#define CHECKPOINTS "refs/tags/docket/checkpoint/"
#define SIG_BEGIN "-----BEGIN SSH SIGNATURE-----"

static void say(docket_report_fn fn, void *ctx, const char *kind, const char *commit, const char *fmt, ...)
	DOCKET_PRINTF(5, 6);
static void say(docket_report_fn fn, void *ctx, const char *kind, const char *commit, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fn(ctx, kind, commit, NULL, msg);
}

/* Whether the history of main (TIP) contains COMMIT. */
static int contains(git_repository *git, const git_oid *tip, const git_oid *commit)
{
	return git_oid_equal(tip, commit) || git_graph_descendant_of(git, tip, commit) == 1;
}

/*
 * Verify the checkpoint tag object RAW (LEN bytes): signed by the administrator its trailers
 * name, with the certificate the configuration at the tagged commit records, chained to
 * TRUST at the tag's time. 0 when it holds, else WHY says why.
 */
static int checkpoint_valid(docket_repo *repo, const char *raw, size_t len, const char *target,
                            const char *trust, docket_buf *why)
{
	const char *sig = NULL, *p, *body;
	char *payload = NULL, *armored = NULL, *pub = NULL, *want = NULL, *actor = NULL, *msg = NULL;
	docket_config *cfg = NULL;
	docket_person person;
	long long when = 0;
	X509 *x = NULL;
	int ok = 0;

	/* git's rule: the signature is the last armored block, starting a line */
	for (p = raw; (p = strstr(p, "\n" SIG_BEGIN)) != NULL && (size_t)(p - raw) < len; p++)
		sig = p + 1;
	if (!sig) {
		docket_buf_printf(why, "it is not signed");
		goto done;
	}
	payload = docket_strndup(raw, (size_t)(sig - raw));
	armored = docket_strndup(sig, len - (size_t)(sig - raw));
	if (!payload || !armored)
		goto done;
	if ((p = strstr(payload, "\ntagger ")) && (p = strchr(p + 1, '>')))
		when = strtoll(p + 1, NULL, 10);
	body = strstr(payload, "\n\n");
	msg = docket_strdup(body ? body + 2 : "");
	actor = msg ? docket_trailer(msg, "Docket-Actor") : NULL;
	if (docket_sshsig_verify(&pub, armored, payload, strlen(payload)) < 0) {
		docket_buf_printf(why, "its signature does not verify: %s", docket_error_last());
		goto done;
	}
	if (!actor) {
		docket_buf_printf(why, "it names no administrator (Docket-Actor)");
		goto done;
	}
	if (docket_config_load(&cfg, repo, target) < 0 || docket_config_person(&person, cfg, actor) < 0 ||
	    !docket_person_has_role(&person, "admin") || !person.cert) {
		docket_buf_printf(why, "'%s' was not an administrator with a certificate at the commit it marks", actor);
		goto done;
	}
	if (!(x = docket_cert_from_pem(person.cert, -1)) || docket_x509_ssh_pubkey(&want, x) < 0 ||
	    strcmp(want, pub) != 0) {
		docket_buf_printf(why, "it is not signed with the key of the certificate recorded for '%s'", actor);
		goto done;
	}
	if (!trust) {
		ok = 1;  /* without a trust anchor: the recorded certificate, no chain */
		goto done;
	}
	if (docket_x509_verify_chain(x, trust, (time_t)when) < 0) {
		docket_buf_printf(why, "the certificate of '%s' does not chain to the trust anchor: %s", actor,
		                  docket_error_last());
		goto done;
	}
	ok = 1;
done:
	docket_error_clear();
	X509_free(x);
	docket_config_free(cfg);
	free(payload);
	free(armored);
	free(pub);
	free(want);
	free(actor);
	free(msg);
	return ok ? 0 : -1;
}

int docket_checkpoints_check(docket_repo *repo, const char *tip_hex, const char *trust, docket_report_fn fn,
                             void *ctx, int *rewritten)
{
	git_repository *git = docket_repo_git(repo);
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	git_oid tip;
	const char *name;
	int rc, error = 0;

	if (git_oid_fromstr(&tip, tip_hex) < 0 || git_repository_odb(&odb, git) < 0 ||
	    git_reference_iterator_glob_new(&it, git, CHECKPOINTS "*") < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read the checkpoints");
		goto cleanup;
	}
	while ((rc = git_reference_next(&ref, it)) == 0) {
		git_odb_object *obj = NULL;
		git_tag *tag = NULL;
		docket_buf why = DOCKET_BUF_INIT;
		char target[41];

		name = git_reference_name(ref);
		if (git_reference_target(ref) == NULL || git_tag_lookup(&tag, git, git_reference_target(ref)) < 0 ||
		    git_tag_target_type(tag) != GIT_OBJECT_COMMIT ||
		    git_odb_read(&obj, odb, git_reference_target(ref)) < 0) {
			say(fn, ctx, "checkpoint-invalid", NULL, "%s is not an annotated tag of a commit", name);
		} else {
			git_commit *marked = NULL;
			int held = git_commit_lookup(&marked, git, git_tag_target_id(tag)) == 0;
			git_commit_free(marked);
			git_oid_tostr(target, sizeof(target), git_tag_target_id(tag));
			if (!held) {
				say(fn, ctx, "history-rewritten", target, "%s marks commit %.12s, which this repository does "
				    "not hold: history was rewritten", name, target);
				if (rewritten)
					*rewritten = 1;
			} else if (checkpoint_valid(repo, git_odb_object_data(obj), git_odb_object_size(obj), target, trust,
			                            &why) < 0) {
				say(fn, ctx, "checkpoint-invalid", target, "%s does not hold: %s", name, why.ptr ? why.ptr : "");
			} else if (!contains(git, &tip, git_tag_target_id(tag))) {
				say(fn, ctx, "history-rewritten", target, "the history of main no longer contains %.12s, signed "
				    "as %s: history was rewritten", target, name + strlen("refs/tags/"));
				if (rewritten)
					*rewritten = 1;
			}
		}
		git_error_clear();
		docket_buf_free(&why);
		git_odb_object_free(obj);
		git_tag_free(tag);
		git_reference_free(ref);
		ref = NULL;
	}
	if (rc != GIT_ITEROVER)
		error = docket_error_git(DOCKET_ERROR, "cannot read the checkpoints");
cleanup:
	git_reference_iterator_free(it);
	git_odb_free(odb);
	return error;
}

/* --- the known head ------------------------------------------------------------------------ */

static int first_commit(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	(void)paths;
	(void)npaths;
	memcpy(payload, commit, 41);
	return 1;
}

int docket_known_head_path(char **out, docket_repo *repo)
{
	const char *state = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char root[41] = "";
	docket_buf b = DOCKET_BUF_INIT;
	int error;

	*out = NULL;
	/* the repository is known by its first commit, the same in every clone */
	if ((error = docket_history_scan(repo, NULL, first_commit, root)) < 0)
		return error;
	if (!root[0])
		return 0;
	if (state && *state)
		error = docket_buf_printf(&b, "%s/docket/heads/%s", state, root);
	else if (home && *home)
		error = docket_buf_printf(&b, "%s/.local/state/docket/heads/%s", home, root);
	else
		return 0;
	if (error < 0)
		return error;
	*out = docket_buf_detach(&b, NULL);
	return *out ? 0 : docket_error_set(DOCKET_ERROR, "out of memory");
}

int docket_known_head_check(docket_repo *repo, const char *path, const char *tip_hex, docket_report_fn fn,
                            void *ctx, int *rewritten)
{
	git_repository *git = docket_repo_git(repo);
	git_commit *c = NULL;
	git_oid tip, known;
	char *buf = NULL, hex[41];
	size_t len = 0;

	if (!path || docket_file_read(&buf, &len, path, 4096) < 0) {
		docket_error_clear();
		return 0;
	}
	snprintf(hex, sizeof(hex), "%.40s", buf);
	free(buf);
	if (git_oid_fromstr(&tip, tip_hex) < 0 || strlen(hex) != 40 || git_oid_fromstr(&known, hex) < 0) {
		git_error_clear();
		say(fn, ctx, "history-rewritten", NULL, "the head audited last, recorded in %s, is unreadable", path);
		*rewritten = 1;
		return 0;
	}
	if (git_commit_lookup(&c, git, &known) < 0) {
		say(fn, ctx, "history-rewritten", hex, "the head audited last, %.12s (recorded outside the repository in "
		    "%s), is not in this repository: history was rewritten", hex, path);
		*rewritten = 1;
	} else if (!contains(git, &tip, &known)) {
		say(fn, ctx, "history-rewritten", hex, "the history of main no longer contains %.12s, the head audited "
		    "last (recorded outside the repository in %s): history was rewritten", hex, path);
		*rewritten = 1;
	}
	git_error_clear();
	git_commit_free(c);
	return 0;
}

int docket_known_head_save(const char *path, const char *tip_hex)
{
	char line[42], *dir, *slash;
	int error = 0;

	if (!path)
		return 0;
	snprintf(line, sizeof(line), "%s\n", tip_hex);
	if (!(dir = docket_strdup(path)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	/* make the directories of the default place; a file the verifier names is theirs */
	for (slash = strchr(dir + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(dir, 0700);
		*slash = '/';
	}
	free(dir);
	if (docket_file_write_atomic(path, line, strlen(line), 0600) < 0)
		error = docket_error_code();
	return error;
}
