/*
 * hook: the central repository's gatekeeper. A bare repository made by docket_server_init
 * runs `docket hook pre-receive` before git moves any ref; it gets each update as OLD NEW REF
 * and judges it here: main only moves forward, in a line, by commits each of which the audit
 * would find nothing in, made by the person who authenticated the push. The rules are the
 * audit's own (docket_audit_commits) and the trust anchor is the server's own file - never
 * one from the repository, which cannot vouch for itself.
 *
 * Only the pushed commits are judged, each against its parent (the rules in force there), so
 * a push costs what its commits cost, whatever the size of the repository. During
 * pre-receive the pushed objects are in a quarantine directory that git names in
 * GIT_OBJECT_DIRECTORY; libgit2 does not read that variable unless a repository is opened
 * with GIT_REPOSITORY_OPEN_FROM_ENV, so the directory is added as an alternate explicitly.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "audit_internal.h"
#include "remote_internal.h"

static const char zero_id[] = "0000000000000000000000000000000000000000";

int docket_hook_options_init(docket_hook_options *opts, unsigned int version)
{
	const docket_hook_options init = DOCKET_HOOK_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_hook_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_HOOK_OPTIONS_VERSION, "docket_hook_options",
	                                  "DOCKET_HOOK_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

static int add_finding(docket_audit_result *out, const char *kind, const char *commit, const char *doc,
                       const char *fmt, ...) DOCKET_PRINTF(5, 6);
static int add_finding(docket_audit_result *out, const char *kind, const char *commit, const char *doc,
                       const char *fmt, ...)
{
	docket_audit_finding *f;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!(f = realloc(out->findings, (out->n + 1) * sizeof(*f))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	out->findings = f;
	f = &f[out->n++];
	memset(f, 0, sizeof(*f));
	f->kind = docket_strdup(kind);
	snprintf(f->commit, sizeof(f->commit), "%s", commit ? commit : "");
	f->document = doc ? docket_strdup(doc) : NULL;
	f->message = docket_strdup(msg);
	if (!f->kind || (doc && !f->document) || !f->message)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

/* Whether the repository's git configuration lets pushes update REF (docket.allowRef). */
static int ref_allowed(docket_repo *repo, const char *ref)
{
	git_config *cfg = NULL;
	git_config_iterator *it = NULL;
	git_config_entry *e;
	int allowed = 0;

	if (git_repository_config_snapshot(&cfg, docket_repo_git(repo)) < 0 ||
	    git_config_multivar_iterator_new(&it, cfg, "docket.allowref", NULL) < 0) {
		git_error_clear();
		goto done;
	}
	while (!allowed && git_config_next(&e, it) == 0)
		allowed = e->value && fnmatch(e->value, ref, 0) == 0;
	git_error_clear();
done:
	git_config_iterator_free(it);
	git_config_free(cfg);
	return allowed;
}

typedef struct {
	docket_repo *repo;
	char **commits;   /* oldest first */
	size_t n;
} feed_state;

/* The audit's feed: each pushed commit with its paths under documents/ and .docket/. */
static int feed_commits(docket_history_fn fn, void *fn_payload, void *payload)
{
	feed_state *fs = payload;
	git_repository *git = docket_repo_git(fs->repo);
	int error = 0;

	for (size_t i = 0; i < fs->n && !error; i++) {
		git_commit *c = NULL;
		git_oid oid;
		docket_changed ch;
		const char **paths = NULL;
		size_t np = 0;
		char parent[41] = "";

		if (git_oid_fromstr(&oid, fs->commits[i]) < 0 || git_commit_lookup(&c, git, &oid) < 0)
			return docket_error_git(DOCKET_ERROR, "cannot read the pushed commit %.12s", fs->commits[i]);
		if (git_commit_parentcount(c) > 0)
			git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(c, 0));
		git_commit_free(c);
		if ((error = docket_changed_paths(&ch, fs->repo, parent[0] ? parent : NULL, fs->commits[i])) < 0)
			return error;
		if (!(paths = calloc(ch.n + 1, sizeof(*paths)))) {
			docket_changed_free(&ch);
			return docket_error_set(DOCKET_ERROR, "out of memory");
		}
		for (size_t k = 0; k < ch.n; k++)
			if (strncmp(ch.paths[k], "documents/", 10) == 0 || strncmp(ch.paths[k], ".docket/", 8) == 0)
				paths[np++] = ch.paths[k];
		if (fn(fs->commits[i], paths, np, fn_payload) != 0 && !error)
			error = docket_error_code() ? docket_error_code() : DOCKET_ERROR;
		free(paths);
		docket_changed_free(&ch);
	}
	return error;
}

/* The commits from NEW back to OLD (exclusive; all of them when OLD is NULL), oldest first. */
static int pushed_commits(feed_state *fs, docket_audit_result *out, const char *old_id, const char *new_id)
{
	git_repository *git = docket_repo_git(fs->repo);
	git_commit *c = NULL;
	git_oid oid, stop;
	size_t cap = 0;
	int error = 0;

	if (old_id && git_oid_fromstr(&stop, old_id) < 0)
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a commit id", old_id);
	if (git_oid_fromstr(&oid, new_id) < 0 || git_commit_lookup(&c, git, &oid) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read the pushed commit %.12s", new_id);
	while (c && !(old_id && git_oid_equal(git_commit_id(c), &stop))) {
		git_commit *p = NULL;
		char hex[41];
		git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
		if (fs->n == cap) {
			char **v = realloc(fs->commits, (cap = cap ? 2 * cap : 64) * sizeof(*v));
			if (!v) {
				error = docket_error_set(DOCKET_ERROR, "out of memory");
				break;
			}
			fs->commits = v;
		}
		if (!(fs->commits[fs->n++] = docket_strdup(hex))) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			break;
		}
		if (git_commit_parentcount(c) > 1 &&
		    (error = add_finding(out, "merge-commit", hex, NULL, "%.12s is a merge commit; docket's history is "
		                         "a line of actions, each made on the one before (pull, then push)", hex)) < 0)
			break;
		if (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read the parent of %.12s", hex);
			break;
		}
		git_commit_free(c);
		c = p;
	}
	git_commit_free(c);
	for (size_t i = 0; !error && i < fs->n / 2; i++) {
		char *t = fs->commits[i];
		fs->commits[i] = fs->commits[fs->n - 1 - i];
		fs->commits[fs->n - 1 - i] = t;
	}
	return error;
}

/* Every pushed commit names the pushing person as its actor. */
static int check_pusher(docket_audit_result *out, feed_state *fs, const char *pusher)
{
	git_repository *git = docket_repo_git(fs->repo);
	int error = 0;

	for (size_t i = 0; i < fs->n && !error; i++) {
		git_commit *c = NULL;
		git_oid oid;
		char *actor = NULL, *doc = NULL;

		if (git_oid_fromstr(&oid, fs->commits[i]) < 0 || git_commit_lookup(&c, git, &oid) < 0)
			return docket_error_git(DOCKET_ERROR, "cannot read the pushed commit %.12s", fs->commits[i]);
		actor = docket_trailer(git_commit_message(c), "Docket-Actor");
		doc = docket_trailer(git_commit_message(c), "Docket-Document");
		if (!actor)
			error = add_finding(out, "pusher-not-actor", fs->commits[i], doc, "the commit names no actor, and "
			                    "only the authenticated '%s''s own actions may be pushed as '%s'", pusher, pusher);
		else if (strcmp(actor, pusher) != 0)
			error = add_finding(out, "pusher-not-actor", fs->commits[i], doc, "the action is '%s''s, but the push "
			                    "was authenticated as '%s'; each person pushes their own actions", actor, pusher);
		free(actor);
		free(doc);
		git_commit_free(c);
	}
	return error;
}

int docket_hook_check(docket_audit_result *out, docket_repo *repo, const char *ref, const char *old_id,
                      const char *new_id, const docket_hook_options *opts)
{
	static const docket_hook_options none = DOCKET_HOOK_OPTIONS_INIT;
	docket_audit_options aopts = DOCKET_AUDIT_OPTIONS_INIT;
	docket_audit_result pre, audit;
	feed_state fs = { repo, NULL, 0 };
	git_oid o, n;
	int error;

	memset(out, 0, sizeof(*out));
	memset(&pre, 0, sizeof(pre));
	memset(&audit, 0, sizeof(audit));
	if (!repo || !ref || !old_id || !new_id || strlen(old_id) != 40 || strlen(new_id) != 40 ||
	    git_oid_fromstr(&o, old_id) < 0 || git_oid_fromstr(&n, new_id) < 0)
		return docket_error_set(DOCKET_EUSAGE, "docket_hook_check: give REF, OLD and NEW (40 hex each)");
	if (opts && (error = docket_options_check(opts->version, DOCKET_HOOK_OPTIONS_VERSION, "docket_hook_options",
	                                          "DOCKET_HOOK_OPTIONS_INIT")) < 0)
		return error;
	if (!opts)
		opts = &none;
	out->trust_used = opts->trust != NULL;
	if (strcmp(ref, "refs/heads/main") != 0) {
		if (ref_allowed(repo, ref))
			return 0;
		error = add_finding(out, "ref-not-allowed", NULL, NULL, "pushes update refs/heads/main only, not '%s' "
		                    "(the server's git configuration docket.allowRef lists patterns of others allowed)", ref);
		return error < 0 ? error : 0;
	}
	if (strcmp(new_id, zero_id) == 0) {
		error = add_finding(out, "branch-deleted", NULL, NULL, "main may not be deleted: it is the history");
		return error < 0 ? error : 0;
	}
	if ((error = docket_repo_add_objects(repo, opts->objects)) < 0)
		return error;
	if (strcmp(old_id, zero_id) != 0 && !git_oid_equal(&o, &n) &&
	    git_graph_descendant_of(docket_repo_git(repo), &n, &o) != 1) {
		git_error_clear();
		error = add_finding(out, "history-rewritten", new_id, NULL, "the push would replace main %.12s with "
		                    "%.12s, which does not contain it: history is never rewritten (a forced push); "
		                    "pull, then push", old_id, new_id);
		return error < 0 ? error : 0;
	}
	if ((error = pushed_commits(&fs, &pre, strcmp(old_id, zero_id) ? old_id : NULL, new_id)) < 0)
		goto cleanup;
	if (opts->pusher && *opts->pusher && (error = check_pusher(&pre, &fs, opts->pusher)) < 0)
		goto cleanup;
	aopts.trust = opts->trust;
	aopts.no_cache = 1;
	if ((error = docket_audit_commits(&audit, repo, &aopts, feed_commits, &fs)) < 0)
		goto cleanup;
	/* the push's own findings first, then the audit's, in the order of the commits */
	*out = pre;
	memset(&pre, 0, sizeof(pre));
	for (size_t i = 0; i < audit.n; i++) {
		docket_audit_finding *f = &audit.findings[i];
		if ((error = add_finding(out, f->kind, f->commit, f->document, "%s", f->message)) < 0)
			goto cleanup;
	}
	out->commits = audit.commits;
	out->signatures = audit.signatures;
	out->trust_used = audit.trust_used;
	error = 0;
cleanup:
	docket_audit_result_free(&pre);
	docket_audit_result_free(&audit);
	for (size_t i = 0; i < fs.n; i++)
		free(fs.commits[i]);
	free(fs.commits);
	return error;
}

/* --- setting a server up ------------------------------------------------------------------- */

int docket_server_init(docket_repo **out, const char *path)
{
	git_config *cfg = NULL;
	int error;

	if ((error = docket_repo_init(out, path, 1)) < 0)
		return error;
	/* git's own guards too, behind the hook: no forced update, no deletion, every object
	 * checked as it arrives; smart HTTP takes pushes (from authenticated users only) */
	if (git_repository_config(&cfg, docket_repo_git(*out)) < 0 ||
	    git_config_set_bool(cfg, "receive.denyNonFastForwards", 1) < 0 ||
	    git_config_set_bool(cfg, "receive.denyDeletes", 1) < 0 ||
	    git_config_set_bool(cfg, "receive.fsckObjects", 1) < 0 ||
	    git_config_set_bool(cfg, "core.logAllRefUpdates", 1) < 0 ||
	    git_config_set_bool(cfg, "http.receivepack", 1) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot configure '%s'", path);
		docket_repo_free(*out);
		*out = NULL;
	}
	git_config_free(cfg);
	return error;
}

/* A path a shell script can hold between single quotes, absolute. */
static int quotable(const char *path, const char *what)
{
	if (!path || path[0] != '/')
		return docket_error_set(DOCKET_EUSAGE, "the %s must be an absolute path", what);
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p == '\'' || *p < 0x20 || *p == 0x7f)
			return docket_error_set(DOCKET_EUSAGE, "the %s '%s' has a character the hook script cannot hold", what, path);
	return 0;
}

int docket_server_install_hook(const char *gitdir, const char *docket_path, const char *trust)
{
	docket_repo *repo = NULL;
	docket_buf path = DOCKET_BUF_INIT, script = DOCKET_BUF_INIT, anchor = DOCKET_BUF_INIT;
	char *pem = NULL, real[PATH_MAX];
	size_t len = 0;
	int error;

	if (!gitdir || !docket_path)
		return docket_error_set(DOCKET_EUSAGE, "docket_server_install_hook: no repository or program");
	if ((error = docket_repo_open(&repo, gitdir)) < 0)
		return error;
	if (docket_repo_workdir(repo)) {
		error = docket_error_set(DOCKET_EUSAGE, "'%s' has a work tree; the central repository is bare "
		                         "(docket server init)", gitdir);
		goto cleanup;
	}
	if (!realpath(docket_repo_gitdir(repo), real)) {
		error = docket_error_set(DOCKET_ERROR, "cannot resolve '%s'", docket_repo_gitdir(repo));
		goto cleanup;
	}
	if ((error = quotable(docket_path, "docket program")) < 0 || (error = quotable(real, "repository")) < 0)
		goto cleanup;
	if (trust) {
		if ((error = docket_file_read(&pem, &len, trust, 1 << 20)) < 0)
			goto cleanup;
		if (!strstr(pem, "-----BEGIN CERTIFICATE-----")) {
			error = docket_error_set(DOCKET_EINVALID, "'%s' holds no PEM certificate", trust);
			goto cleanup;
		}
		if ((error = docket_buf_printf(&path, "%s/docket", real)) < 0)
			goto cleanup;
		if (mkdir(path.ptr, 0755) < 0 && errno != EEXIST) {
			error = docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", path.ptr, strerror(errno));
			goto cleanup;
		}
		if ((error = docket_buf_printf(&anchor, "%s/docket/trust.pem", real)) < 0 ||
		    (error = docket_file_write_atomic(anchor.ptr, pem, len, 0644)) < 0)
			goto cleanup;
	}
	path.len = 0;
	if ((error = docket_buf_printf(&path, "%s/hooks", real)) < 0)
		goto cleanup;
	if (mkdir(path.ptr, 0755) < 0 && errno != EEXIST) {
		error = docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", path.ptr, strerror(errno));
		goto cleanup;
	}
	if ((error = docket_buf_puts(&path, "/pre-receive")) < 0 ||
	    (error = docket_buf_printf(&script,
	        "#!/bin/sh\n"
	        "# docket's pre-receive hook (docket server install-hook): every commit pushed to main is\n"
	        "# judged by docket's audit rules with this server's own trust anchor, kept outside refs\n"
	        "# where no push reaches it; a refusal goes to stderr, which git shows as \"remote: ...\".\n"
	        "exec '%s' hook pre-receive%s%s%s\n", docket_path, trust ? " --trust '" : "",
	        trust ? anchor.ptr : "", trust ? "'" : "")) < 0 ||
	    (error = docket_file_write_atomic(path.ptr, script.ptr, script.len, 0755)) < 0)
		goto cleanup;
	error = 0;
cleanup:
	free(pem);
	docket_buf_free(&path);
	docket_buf_free(&script);
	docket_buf_free(&anchor);
	docket_repo_free(repo);
	return error;
}
