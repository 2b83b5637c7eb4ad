/*
 * remote: talking to other repositories through libgit2 - clone, fetch, one push attempt -
 * and the bookkeeping around them: how far main is ahead of and behind what was fetched,
 * moving main with a compare-and-swap, bringing the work tree along, reading a push's
 * quarantined objects. Deciding what to do when both sides moved (replaying actions) is the
 * workflow layer's (sync.c); judging what is pushed is the audit layer's (hook.c).
 *
 * Only main travels: fetch maps the remote's refs/heads/main to refs/remotes/<remote>/main,
 * push sends main to main without '+', so neither side is ever overwritten.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <dirent.h>
#include <unistd.h>
#include <openssl/crypto.h>
#include "store_internal.h"
#include "remote_internal.h"

int docket_remote_options_init(docket_remote_options *opts, unsigned int version)
{
	const docket_remote_options init = DOCKET_REMOTE_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_remote_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_REMOTE_OPTIONS_VERSION, "docket_remote_options",
	                                  "DOCKET_REMOTE_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}

const char *docket_remote_name(const docket_remote_options *opts)
{
	return opts && opts->remote && *opts->remote ? opts->remote : "origin";
}

static int name_ok(const char *name)
{
	size_t n = strlen(name);
	return n > 0 && n < 64 && strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

/* --- callbacks ------------------------------------------------------------------------------ */

typedef struct {
	const docket_remote_options *opts;
	int userpass_asked;
	int ssh_asked;
	int auth_refused;
	docket_buf line;         /* a message line being received */
	char *rejected;          /* push: the first ref the server refused, with its reason */
} cb_state;

static void cb_init(cb_state *st, const docket_remote_options *opts)
{
	memset(st, 0, sizeof(*st));
	st->opts = opts;
}

static void cb_flush(cb_state *st)
{
	if (st->line.len && st->opts && st->opts->message)
		st->opts->message(st->line.ptr, st->opts->message_payload);
	st->line.len = 0;
	if (st->line.ptr)
		st->line.ptr[0] = '\0';
}

static void cb_free(cb_state *st)
{
	cb_flush(st);
	docket_buf_free(&st->line);
	free(st->rejected);
}

/* What the server says on the side band: hook output, progress. Whole lines are passed on. */
static int on_sideband(const char *str, int len, void *payload)
{
	cb_state *st = payload;

	for (int i = 0; i < len; i++) {
		if (str[i] == '\n' || str[i] == '\r') {
			cb_flush(st);
			continue;
		}
		if (docket_buf_put(&st->line, str + i, 1) < 0)
			return -1;
	}
	return 0;
}

static const char *ssh_key_names[] = { "id_ed25519", "id_ecdsa", "id_rsa", NULL };

static int on_credentials(git_credential **out, const char *url, const char *user_from_url,
                          unsigned int allowed, void *payload)
{
	cb_state *st = payload;

	if (allowed & GIT_CREDENTIAL_SSH_KEY) {
		const char *user = user_from_url ? user_from_url : "git";
		const char *home = getenv("HOME");
		/* the agent first, then the usual key files, each once */
		while (st->ssh_asked <= 3) {
			int k = st->ssh_asked++;
			char priv[4096], pub[4100];
			if (k == 0)
				return git_credential_ssh_key_from_agent(out, user);
			if (!home || snprintf(priv, sizeof(priv), "%s/.ssh/%s", home, ssh_key_names[k - 1]) >= (int)sizeof(priv))
				continue;
			snprintf(pub, sizeof(pub), "%s.pub", priv);
			if (access(priv, R_OK) == 0)
				return git_credential_ssh_key_new(out, user, access(pub, R_OK) == 0 ? pub : NULL, priv, NULL);
		}
		st->auth_refused = 1;
		return GIT_EAUTH;
	}
	if (allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT) {
		char *user = NULL, *pass = NULL;
		int error;
		/* asked again means the server refused what was given: stop rather than loop */
		if (st->userpass_asked++ || !st->opts || !st->opts->credentials ||
		    st->opts->credentials(&user, &pass, url, st->opts->credentials_payload) < 0 || !user) {
			st->auth_refused = 1;
			docket_free(user);
			docket_free(pass);
			return GIT_EAUTH;
		}
		error = git_credential_userpass_plaintext_new(out, user, pass ? pass : "");
		if (pass)
			OPENSSL_cleanse(pass, strlen(pass));
		docket_free(user);
		docket_free(pass);
		return error;
	}
	if (allowed & GIT_CREDENTIAL_USERNAME)
		return git_credential_username_new(out, user_from_url ? user_from_url : "git");
	return GIT_PASSTHROUGH;
}

static int on_push_ref(const char *refname, const char *status, void *payload)
{
	cb_state *st = payload;

	if (status && !st->rejected) {
		docket_buf b = DOCKET_BUF_INIT;
		docket_buf_printf(&b, "%s: %s", refname, status);
		st->rejected = docket_buf_detach(&b, NULL);
	}
	return 0;
}

static void set_callbacks(git_remote_callbacks *cb, cb_state *st)
{
	cb->sideband_progress = on_sideband;
	cb->credentials = on_credentials;
	cb->push_update_reference = on_push_ref;
	cb->payload = st;
}

/* The docket error for a failed network operation: authentication, absence, or libgit2's. */
static int net_error(int giterr, cb_state *st, const char *what, const char *where)
{
	if (st->auth_refused || giterr == GIT_EAUTH)
		return docket_error_git(DOCKET_EDENIED, "cannot %s '%s': authentication failed", what, where);
	if (giterr == GIT_ENOTFOUND)
		return docket_error_git(DOCKET_ENOTFOUND, "cannot %s '%s'", what, where);
	return docket_error_git(DOCKET_ERROR, "cannot %s '%s'", what, where);
}

/* --- clone ---------------------------------------------------------------------------------- */

int docket_clone(docket_repo **out, const char *url, const char *path, const docket_remote_options *opts)
{
	git_clone_options co;
	git_repository *git = NULL;
	cb_state st;
	struct stat sb;
	int error, created = 0;

	*out = NULL;
	if (!url || !path)
		return docket_error_set(DOCKET_EUSAGE, "docket_clone: no URL or path");
	if (opts && (error = docket_options_check(opts->version, DOCKET_REMOTE_OPTIONS_VERSION, "docket_remote_options",
	                                          "DOCKET_REMOTE_OPTIONS_INIT")) < 0)
		return error;
	if (!name_ok(docket_remote_name(opts)))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a remote name", docket_remote_name(opts));
	if (stat(path, &sb) == 0) {
		if (!S_ISDIR(sb.st_mode) || !docket_dir_is_empty(path))
			return docket_error_set(DOCKET_EEXISTS, "'%s' exists and is not an empty directory", path);
	} else if (errno == ENOENT) {
		created = 1;
	} else {
		return docket_error_set(DOCKET_ERROR, "cannot inspect '%s': %s", path, strerror(errno));
	}
	git_clone_options_init(&co, GIT_CLONE_OPTIONS_VERSION);
	cb_init(&st, opts);
	set_callbacks(&co.fetch_opts.callbacks, &st);
	co.checkout_branch = "main";
	co.remote_cb = NULL;
	if (strcmp(docket_remote_name(opts), "origin") != 0) {
		error = docket_error_set(DOCKET_EUSAGE, "a clone's remote is 'origin'");
		goto cleanup;
	}
	if ((error = git_clone(&git, url, path, &co)) < 0) {
		error = net_error(error, &st, "clone", url);
		goto cleanup;
	}
	git_repository_free(git);
	git = NULL;
	if ((error = docket_repo_open(out, path)) < 0)
		goto cleanup;
	error = 0;
cleanup:
	cb_free(&st);
	if (error < 0 && created) {
		char saved[1024];
		snprintf(saved, sizeof(saved), "%s", docket_error_last());
		docket_rmtree(path);
		docket_error_set(error, "%s", saved);
	}
	return error;
}

/* --- fetch and push ------------------------------------------------------------------------- */

static int lookup_remote(git_remote **out, docket_repo *repo, const docket_remote_options *opts)
{
	const char *name = docket_remote_name(opts);
	int error;

	if (!name_ok(name))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a remote name", name);
	if ((error = git_remote_lookup(out, docket_repo_git(repo), name)) < 0)
		return docket_error_git(error == GIT_ENOTFOUND ? DOCKET_ENOTFOUND : DOCKET_ERROR,
		                        "no remote '%s' (this repository was not cloned with 'docket clone'?)", name);
	return 0;
}

int docket_remote_tracking(char out[41], docket_repo *repo, const char *remote)
{
	git_oid oid;
	char ref[128];

	out[0] = '\0';
	snprintf(ref, sizeof(ref), "refs/remotes/%s/main", remote ? remote : "origin");
	if (git_reference_name_to_id(&oid, docket_repo_git(repo), ref) < 0) {
		git_error_clear();
		return docket_error_set(DOCKET_ENOTFOUND, "no '%s': nothing fetched from '%s' yet", ref,
		                        remote ? remote : "origin");
	}
	git_oid_tostr(out, 41, &oid);
	return 0;
}

int docket_fetch(char out_tip[41], docket_repo *repo, const docket_remote_options *opts)
{
	git_fetch_options fo;
	git_remote *remote = NULL;
	char spec[160], tip[41];
	char *specs[1] = { spec };
	git_strarray refspecs = { specs, 1 };
	cb_state st;
	int error;

	if (out_tip)
		out_tip[0] = '\0';
	if (opts && (error = docket_options_check(opts->version, DOCKET_REMOTE_OPTIONS_VERSION, "docket_remote_options",
	                                          "DOCKET_REMOTE_OPTIONS_INIT")) < 0)
		return error;
	git_fetch_options_init(&fo, GIT_FETCH_OPTIONS_VERSION);
	cb_init(&st, opts);
	if ((error = lookup_remote(&remote, repo, opts)) < 0)
		goto cleanup;
	snprintf(spec, sizeof(spec), "+refs/heads/main:refs/remotes/%s/main", docket_remote_name(opts));
	set_callbacks(&fo.callbacks, &st);
	fo.prune = GIT_FETCH_NO_PRUNE;
	fo.download_tags = GIT_REMOTE_DOWNLOAD_TAGS_NONE;
	if ((error = git_remote_fetch(remote, &refspecs, &fo, "docket: fetch")) < 0) {
		error = net_error(error, &st, "fetch from", git_remote_url(remote));
		goto cleanup;
	}
	if ((error = docket_remote_tracking(tip, repo, docket_remote_name(opts))) < 0) {
		error = docket_error_set(DOCKET_ENOTFOUND, "'%s' has no branch main", git_remote_url(remote));
		goto cleanup;
	}
	if (out_tip)
		memcpy(out_tip, tip, 41);
	error = 0;
cleanup:
	cb_free(&st);
	git_remote_free(remote);
	return error;
}

int docket_remote_push_main(docket_repo *repo, const docket_remote_options *opts)
{
	git_push_options po;
	git_remote *remote = NULL;
	git_reference *ref = NULL;
	char *specs[1] = { "refs/heads/main:refs/heads/main" };
	git_strarray refspecs = { specs, 1 };
	char track[128];
	git_oid tip;
	cb_state st;
	int error;

	git_push_options_init(&po, GIT_PUSH_OPTIONS_VERSION);
	cb_init(&st, opts);
	if ((error = lookup_remote(&remote, repo, opts)) < 0)
		goto cleanup;
	if (git_reference_name_to_id(&tip, docket_repo_git(repo), "refs/heads/main") < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read main");
		goto cleanup;
	}
	set_callbacks(&po.callbacks, &st);
	error = git_remote_push(remote, &refspecs, &po);
	if (error == GIT_ENONFASTFORWARD) {
		/* libgit2 compared with the remote's main as it advertised it: it moved */
		error = docket_error_set(DOCKET_ECONFLICT, "the remote's main has commits this clone does not have");
		goto cleanup;
	}
	if (error < 0) {
		error = net_error(error, &st, "push to", git_remote_url(remote));
		goto cleanup;
	}
	if (st.rejected) {
		/* a hook's verdict is final; anything else (a lost race for the ref) is tried again */
		error = strstr(st.rejected, "hook declined") ?
		        docket_error_set(DOCKET_EDENIED, "the server refused the push (%s)", st.rejected) :
		        docket_error_set(DOCKET_ECONFLICT, "the server did not take the push (%s)", st.rejected);
		goto cleanup;
	}
	/* what was pushed is what the remote has now */
	snprintf(track, sizeof(track), "refs/remotes/%s/main", docket_remote_name(opts));
	if (git_reference_create(&ref, docket_repo_git(repo), track, &tip, 1, "docket: push") < 0) {
		error = docket_error_git(DOCKET_ERROR, "pushed, but cannot update '%s'", track);
		goto cleanup;
	}
	error = 0;
cleanup:
	cb_free(&st);
	git_reference_free(ref);
	git_remote_free(remote);
	return error;
}

/* --- without the network --------------------------------------------------------------------- */

int docket_remote_ahead_behind(size_t *ahead, size_t *behind, docket_repo *repo, const char *remote)
{
	char tip[41], theirs[41];
	git_oid a, b;
	int error;

	*ahead = *behind = 0;
	if (remote && !name_ok(remote))
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a remote name", remote);
	if ((error = docket_remote_tracking(theirs, repo, remote)) < 0 ||
	    (error = docket_repo_resolve(tip, repo, NULL)) < 0)
		return error;
	if (git_oid_fromstr(&a, tip) < 0 || git_oid_fromstr(&b, theirs) < 0 ||
	    git_graph_ahead_behind(ahead, behind, docket_repo_git(repo), &a, &b) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot compare main with '%s'", theirs);
	return 0;
}

int docket_repo_move_main(docket_repo *repo, const char *to, const char *expected)
{
	git_reference *ref = NULL;
	git_oid new_id, old_id;
	int error;

	if (git_oid_fromstr(&new_id, to) < 0 || git_oid_fromstr(&old_id, expected) < 0)
		return docket_error_set(DOCKET_EUSAGE, "not a commit id");
	error = git_reference_create_matching(&ref, docket_repo_git(repo), docket_repo_branch(repo), &new_id, 1,
	                                      &old_id, "docket: pull");
	git_reference_free(ref);
	if (error == GIT_EMODIFIED || error == GIT_ELOCKED)
		return docket_error_set(DOCKET_ECONFLICT, "main moved while the remote's commits were being "
		                        "brought in (a docket acted here meanwhile); nothing was changed, try again");
	if (error < 0)
		return docket_error_git(DOCKET_ERROR, "cannot move main");
	return 0;
}

int docket_repo_workdir_clean(docket_repo *repo)
{
	git_status_options so;
	git_status_list *list = NULL;
	int error = 0;

	if (!docket_repo_workdir(repo))
		return 0;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&list, docket_repo_git(repo), &so) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read the state of the work tree");
	if (git_status_list_entrycount(list) > 0) {
		const git_status_entry *e = git_status_byindex(list, 0);
		const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
		error = docket_error_set(DOCKET_EDENIED, "the work tree has changes not recorded ('%s'%s); record "
		                         "them with 'docket commit' or discard them first",
		                         d && d->new_file.path ? d->new_file.path : "?",
		                         git_status_list_entrycount(list) > 1 ? " and more" : "");
	}
	git_status_list_free(list);
	return error;
}

int docket_repo_checkout_from(docket_repo *repo, const char *old_commit)
{
	git_checkout_options co;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid oid;
	int error = 0;

	if (!docket_repo_workdir(repo))
		return 0;
	if (git_oid_fromstr(&oid, old_commit) < 0 || git_commit_lookup(&c, docket_repo_git(repo), &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read %.12s", old_commit);
		goto cleanup;
	}
	/* files as they were at the old tip are brought to the new one; anything else is kept */
	git_checkout_options_init(&co, GIT_CHECKOUT_OPTIONS_VERSION);
	co.checkout_strategy = GIT_CHECKOUT_SAFE;
	co.baseline = tree;
	if (git_checkout_head(docket_repo_git(repo), &co) < 0)
		error = docket_error_git(DOCKET_ERROR, "main moved, but the work tree could not follow "
		                         "(run 'git checkout -f main' once nothing is left to keep)");
cleanup:
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}

int docket_repo_add_objects(docket_repo *repo, const char *objects_dir)
{
	git_odb *odb = NULL;
	struct stat sb;
	int error = 0;

	if (!objects_dir || !*objects_dir)
		return 0;
	if (stat(objects_dir, &sb) < 0 || !S_ISDIR(sb.st_mode))
		return docket_error_set(DOCKET_ENOTFOUND, "no object directory '%s'", objects_dir);
	if (git_repository_odb(&odb, docket_repo_git(repo)) < 0 || git_odb_add_disk_alternate(odb, objects_dir) < 0)
		error = docket_error_git(DOCKET_ERROR, "cannot read the objects in '%s'", objects_dir);
	git_odb_free(odb);
	return error;
}

/* --- the paths a commit changed ------------------------------------------------------------- */

static int paths_add(docket_changed *ch, const char *path)
{
	char **v;
	if (ch->n % 16 == 0) {
		if (!(v = realloc(ch->paths, (ch->n + 17) * sizeof(*v))))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		ch->paths = v;
	}
	if (!(ch->paths[ch->n] = docket_strdup(path)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	ch->paths[++ch->n] = NULL;
	return 0;
}

/* Blob paths that differ between trees A and B (either may be NULL); equal subtrees are skipped. */
static int diff_trees(docket_changed *out, git_repository *git, git_tree *a, git_tree *b, const char *prefix)
{
	int error = 0;

	for (int pass = 0; pass < 2 && !error; pass++) {
		git_tree *from = pass ? a : b, *other = pass ? b : a;
		size_t n = from ? git_tree_entrycount(from) : 0;
		for (size_t i = 0; i < n && !error; i++) {
			const git_tree_entry *e = git_tree_entry_byindex(from, i);
			const git_tree_entry *o = other ? git_tree_entry_byname(other, git_tree_entry_name(e)) : NULL;
			docket_buf path = DOCKET_BUF_INIT;
			git_tree *se = NULL, *so = NULL;
			int etree = git_tree_entry_type(e) == GIT_OBJECT_TREE;
			int otree = o && git_tree_entry_type(o) == GIT_OBJECT_TREE;

			if (pass && o)
				continue; /* in both: seen in the first pass */
			if (o && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(o)) &&
			    git_tree_entry_filemode(e) == git_tree_entry_filemode(o))
				continue;
			if (docket_buf_printf(&path, "%s%s", prefix, git_tree_entry_name(e)) < 0)
				return DOCKET_ERROR;
			if (etree || otree) {
				docket_buf sub = DOCKET_BUF_INIT;
				if ((etree && git_tree_lookup(&se, git, git_tree_entry_id(e)) < 0) ||
				    (otree && git_tree_lookup(&so, git, git_tree_entry_id(o)) < 0))
					error = docket_error_git(DOCKET_ERROR, "cannot read the tree '%s'", path.ptr);
				else if (docket_buf_printf(&sub, "%s/", path.ptr) < 0)
					error = DOCKET_ERROR;
				/* E is B's (new) in the first pass, A's (old) in the second */
				else
					error = pass ? diff_trees(out, git, se, so, sub.ptr) : diff_trees(out, git, so, se, sub.ptr);
				/* a file on one side where the other has a folder: that file changed too */
				if (!error && ((!etree) || (o && !otree)))
					error = paths_add(out, path.ptr);
				docket_buf_free(&sub);
			} else {
				error = paths_add(out, path.ptr);
			}
			git_tree_free(se);
			git_tree_free(so);
			docket_buf_free(&path);
		}
	}
	return error;
}

int docket_changed_paths(docket_changed *out, docket_repo *repo, const char *old_commit, const char *new_commit)
{
	git_repository *git = docket_repo_git(repo);
	git_commit *oc = NULL, *nc = NULL;
	git_tree *ot = NULL, *nt = NULL;
	git_oid oid;
	int error;

	memset(out, 0, sizeof(*out));
	if ((old_commit && (git_oid_fromstr(&oid, old_commit) < 0 || git_commit_lookup(&oc, git, &oid) < 0 ||
	                    git_commit_tree(&ot, oc) < 0)) ||
	    git_oid_fromstr(&oid, new_commit) < 0 || git_commit_lookup(&nc, git, &oid) < 0 ||
	    git_commit_tree(&nt, nc) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read the trees of %.12s", new_commit);
		goto cleanup;
	}
	error = diff_trees(out, git, ot, nt, "");
cleanup:
	if (error < 0)
		docket_changed_free(out);
	git_tree_free(ot);
	git_tree_free(nt);
	git_commit_free(oc);
	git_commit_free(nc);
	return error;
}

void docket_changed_free(docket_changed *ch)
{
	for (size_t i = 0; ch && i < ch->n; i++)
		free(ch->paths[i]);
	if (ch) {
		free(ch->paths);
		memset(ch, 0, sizeof(*ch));
	}
}

int docket_blob_at(char out[41], docket_repo *repo, const char *commit, const char *path)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid oid;
	int error = 0;

	out[0] = '\0';
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, docket_repo_git(repo), &oid) < 0 ||
	    git_commit_tree(&t, c) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read %.12s", commit);
		goto cleanup;
	}
	if (git_tree_entry_bypath(&e, t, path) == 0)
		git_oid_tostr(out, 41, git_tree_entry_id(e));
	git_error_clear();
cleanup:
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return error;
}
