/*
 * sync: pull and push - many offices, one history.
 *
 * An office acts offline in its own clone; its actions are commits on main that the central
 * repository has not seen. When the central main moved meanwhile, the office's commits are
 * made anew on the central tip, one by one, oldest first, on a private branch
 * (refs/docket/replay-PID) that main is moved to only once all of them succeeded. The rule
 * is the one a local compare-and-swap retry follows: an action stands when what it changed is
 * as it was when the actor acted. So a commit whose files are unchanged on the remote is
 * carried over as it is - the same document bytes, the same XML signatures - and only its
 * commit is signed anew by its actor (its parent changed); an issue whose register the remote
 * changed (another office took a number) is taken again on the remote's tip, with the next
 * free number, and signed anew; anything else that both sides changed - a document, the
 * configuration - is a conflict, refused naming the commit and the document, and nothing
 * changes here. Pushing never forces: a push the remote's main outran is pulled (replayed) and
 * tried again, a bounded number of times.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <libxml/tree.h>
#include "workflow_internal.h"
#include "remote_internal.h"

#define DEFAULT_TRIES 5
#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

void docket_sync_result_free(docket_sync_result *r)
{
	if (!r)
		return;
	docket_strv_free(r->notes);
	memset(r, 0, sizeof(*r));
}

static void add_note(docket_sync_result *out, const char *fmt, ...) DOCKET_PRINTF(2, 3);
static void add_note(docket_sync_result *out, const char *fmt, ...)
{
	char line[1024], **v;
	size_t n = 0;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	while (out->notes && out->notes[n])
		n++;
	if (!(v = realloc(out->notes, (n + 2) * sizeof(*v))))
		return;
	out->notes = v;
	v[n] = docket_strdup(line);
	v[n + 1] = NULL;
}

/* The value of the last "KEY: value" line of MESSAGE, malloc'd, or NULL. */
static char *trailer(const char *msg, const char *key)
{
	size_t klen = strlen(key);
	const char *p = msg, *found = NULL;

	for (; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ')
			found = p + klen + 2;
	return found ? docket_strndup(found, strcspn(found, "\n")) : NULL;
}

/* The person's own words in a docket commit message: between the subject and the trailers. */
static char *message_body(const char *msg)
{
	const char *body = strstr(msg, "\n\n"), *end;

	if (!body || strncmp(body + 2, "Docket-", 7) == 0)
		return NULL;
	body += 2;
	if (!(end = strstr(body, "\n\nDocket-")))
		return NULL;
	return docket_strndup(body, (size_t)(end - body));
}

/* --- keys, one load per person ------------------------------------------------------------- */

typedef struct {
	char *person[16];
	docket_key *key[16];
	size_t n;
} key_cache;

static int key_for(docket_key **out, key_cache *kc, const docket_remote_options *opts, const char *person)
{
	docket_key *k = NULL;
	int error;

	*out = NULL;
	for (size_t i = 0; i < kc->n; i++)
		if (strcmp(kc->person[i], person) == 0) {
			*out = kc->key[i];
			return 0;
		}
	if (!opts || !opts->key)
		return 0;
	if ((error = opts->key(&k, person, opts->key_payload)) < 0)
		return error;
	if (kc->n == 16) {
		docket_key_free(kc->key[0]);
		free(kc->person[0]);
		memmove(kc->person, kc->person + 1, 15 * sizeof(char *));
		memmove(kc->key, kc->key + 1, 15 * sizeof(docket_key *));
		kc->n--;
	}
	kc->person[kc->n] = docket_strdup(person);
	kc->key[kc->n++] = k;
	*out = k;
	return 0;
}

static void key_cache_free(key_cache *kc)
{
	for (size_t i = 0; i < kc->n; i++) {
		docket_key_free(kc->key[i]);
		free(kc->person[i]);
	}
	kc->n = 0;
}

/* --- one commit made anew --------------------------------------------------------------------- */

typedef struct {
	git_commit *c;
	const docket_changed *paths;
	const char *message;
} pick_ctx;

/* The same files as the original commit, on the new tip. */
static int pick_fill(docket_txn *txn, void *payload)
{
	pick_ctx *p = payload;
	git_repository *git = docket_repo_git(docket_txn_repo(txn));
	git_tree *tree = NULL;
	int error = 0;

	if (git_commit_tree(&tree, p->c) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read the tree of %s", git_oid_tostr_s(git_commit_id(p->c)));
	for (size_t i = 0; i < p->paths->n && !error; i++) {
		git_tree_entry *e = NULL;
		git_blob *b = NULL;
		if (git_tree_entry_bypath(&e, tree, p->paths->paths[i]) < 0) {
			error = docket_error_set(DOCKET_EINVALID, "it removes '%s', which docket never does", p->paths->paths[i]);
		} else if (git_blob_lookup(&b, git, git_tree_entry_id(e)) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read '%s'", p->paths->paths[i]);
		} else {
			error = docket_txn_write(txn, p->paths->paths[i], git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
		}
		git_blob_free(b);
		git_tree_entry_free(e);
	}
	git_tree_free(tree);
	if (!error)
		error = docket_txn_message(txn, p->message);
	return error;
}

/* The date of the last workflow step of PATH at COMMIT (when the actor acted), malloc'd, or NULL. */
static char *last_step_date(docket_repo *repo, const char *commit, const char *path)
{
	char *buf = NULL, *date = NULL;
	size_t len = 0;
	docket_doc *doc = NULL;

	if (docket_repo_read(&buf, &len, repo, commit, path) == 0 && docket_doc_parse(&doc, buf, len, path) == 0) {
		xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), s, last = NULL;
		for (s = N(N(root, "workflow"), "step"); s; s = docket_xml_next(s))
			last = s;
		if (last) {
			xmlChar *d = xmlGetNoNsProp(last, (const xmlChar *)"date");
			date = d ? docket_strdup((const char *)d) : NULL;
			xmlFree(d);
		}
	}
	docket_error_clear();
	docket_doc_free(doc);
	free(buf);
	return date;
}

/* The id of a document path (its file name without .xml), or the path itself. */
static void doc_name(char *out, size_t size, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (strncmp(path, "documents/", 10) == 0 && n > 4 && strcmp(base + n - 4, ".xml") == 0)
		snprintf(out, size, "document '%.*s'", (int)(n - 4), base);
	else if (strncmp(path, ".docket/", 8) == 0)
		snprintf(out, size, "the configuration ('%s')", path);
	else
		snprintf(out, size, "'%s'", path);
}

static int replay_one(docket_repo *rh, const char *commit, const docket_remote_options *opts, key_cache *kc,
                      docket_sync_result *out)
{
	git_repository *git = docket_repo_git(rh);
	git_commit *c = NULL;
	git_buf sig = GIT_BUF_INIT;
	git_oid oid;
	docket_changed paths;
	char parent[41], tip[41], what[512], newc[41];
	char *actor = NULL, *transition = NULL, *number = NULL, *docid = NULL, *action = NULL;
	const char *msg, *conflict = NULL, *docpath = NULL;
	int error, is_signed, register_only = 1;
	docket_key *key = NULL;

	memset(&paths, 0, sizeof(paths));
	if (git_oid_fromstr(&oid, commit) < 0 || git_commit_lookup(&c, git, &oid) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read commit %.12s", commit);
		goto cleanup;
	}
	msg = git_commit_message(c);
	actor = trailer(msg, "Docket-Actor");
	transition = trailer(msg, "Docket-Transition");
	number = trailer(msg, "Docket-Number");
	docid = trailer(msg, "Docket-Document");
	action = trailer(msg, "Docket-Action");
	snprintf(what, sizeof(what), "%.12s (%s%s%s%s%s)", commit, transition ? transition : action ? action : "a change",
	         docid ? " " : "", docid ? docid : "", actor ? " by " : "", actor ? actor : "");
	if (git_commit_parentcount(c) != 1) {
		error = docket_error_set(DOCKET_EINVALID, "cannot replay %s: a merge commit; docket's history is a line",
		                         what);
		goto cleanup;
	}
	git_oid_tostr(parent, sizeof(parent), git_commit_parent_id(c, 0));
	if ((error = docket_repo_resolve(tip, rh, NULL)) < 0 ||
	    (error = docket_changed_paths(&paths, rh, parent, commit)) < 0)
		goto cleanup;
	/* what the commit changed must be, on the new tip, as it was when its actor acted */
	for (size_t i = 0; i < paths.n; i++) {
		char was[41], now[41];
		if ((error = docket_blob_at(was, rh, parent, paths.paths[i])) < 0 ||
		    (error = docket_blob_at(now, rh, tip, paths.paths[i])) < 0)
			goto cleanup;
		if (strncmp(paths.paths[i], "documents/", 10) == 0)
			docpath = paths.paths[i];
		if (strcmp(was, now) != 0) {
			if (!conflict || strncmp(conflict, ".docket/register/", 17) == 0)
				conflict = paths.paths[i];
			if (strncmp(paths.paths[i], ".docket/register/", 17) != 0)
				register_only = 0;
		}
	}
	is_signed = git_commit_header_field(&sig, c, "gpgsig") == 0;
	git_error_clear();
	if (conflict && !(register_only && number && transition && docid && docpath)) {
		char name[300];
		doc_name(name, sizeof(name), conflict);
		error = docket_error_set(DOCKET_ECONFLICT, "cannot replay %s on the remote's main: %s was changed there "
		                         "too; nothing was changed here", what, name);
		goto cleanup;
	}
	if (!conflict && docid && ((action && strcmp(action, "add") == 0) ||
	                           (transition && strcmp(transition, DOCKET_IMPORT_TRANSITION) == 0))) {
		/* a new document: its id must still be free on the remote, wherever it would be */
		char *found = NULL;
		int e = docket_doc_find(&found, rh, docid, NULL);
		free(found);
		docket_error_clear();
		if (e != DOCKET_ENOTFOUND) {
			error = docket_error_set(DOCKET_ECONFLICT, "cannot replay %s on the remote's main: a document "
			                         "'%s' was added there too; nothing was changed here", what, docid);
			goto cleanup;
		}
	}
	/* a key only when something is signed anew: the commit, or the document at a new number */
	if (actor && (is_signed || conflict) && (error = key_for(&key, kc, opts, actor)) < 0)
		goto cleanup;
	{
		const git_signature *author = git_commit_author(c);
		if ((error = docket_repo_set_identity(rh, author->name, author->email)) < 0)
			goto cleanup;
	}
	if (!conflict) {
		pick_ctx p = { c, &paths, msg };
		if (is_signed && !key) {
			error = docket_error_set(DOCKET_EDENIED, "cannot replay %s: its commit must be signed anew by '%s', "
			                         "and there is no key of theirs (DOCKET_KEY or the default key file)",
			                         what, actor ? actor : "its author");
			goto cleanup;
		}
		docket_repo_set_commit_signer(rh, is_signed ? docket_sshsig_commit_signer : NULL, is_signed ? key : NULL);
		error = docket_repo_transact(newc, rh, pick_fill, &p);
		docket_repo_set_commit_signer(rh, NULL, NULL);
		if (error < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", docket_error_last());
			error = docket_error_set(error, "cannot replay %s: %s", what, why);
			goto cleanup;
		}
	} else if (transition && strcmp(transition, DOCKET_IMPORT_TRANSITION) == 0) {
		/* the register moved on: another office numbered meanwhile. An imported document keeps
		 * its own number: record it again on the new tip, which refuses a number taken there. */
		char *body = message_body(msg), *date = last_step_date(rh, commit, docpath), *buf = NULL, *clean = NULL;
		size_t len = 0, clen = 0;
		docket_doc *doc = NULL;
		docket_import_options io = DOCKET_IMPORT_OPTIONS_INIT;
		docket_action_result res;
		memset(&res, 0, sizeof(res));
		if ((error = docket_repo_read(&buf, &len, rh, commit, docpath)) == 0 &&
		    (error = docket_doc_parse(&doc, buf, len, docpath)) == 0) {
			xmlNodePtr wfn = N(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), "workflow");
			if (wfn) {
				if (wfn->prev && wfn->prev->type == XML_TEXT_NODE && xmlIsBlankNode(wfn->prev)) {
					xmlNodePtr ws = wfn->prev;
					xmlUnlinkNode(ws);
					xmlFreeNode(ws);
				}
				xmlUnlinkNode(wfn);
				xmlFreeNode(wfn);
			}
			error = docket_doc_serialize(&clean, &clen, doc);
		}
		if (error == 0) {
			io.actor = actor;
			io.message = body;
			io.now = date;
			io.key = key;
			error = docket_import_buffer(&res, rh, clean, clen, docpath, &io);
		}
		if (error < 0) {
			char why[512];
			snprintf(why, sizeof(why), "%s", docket_error_last());
			error = docket_error_set(error == DOCKET_EEXISTS ? DOCKET_ECONFLICT : error,
			                         "cannot replay %s on the remote's main: %s", what, why);
		}
		docket_action_result_free(&res);
		docket_doc_free(doc);
		free(buf);
		free(clean);
		free(body);
		free(date);
		if (error < 0)
			goto cleanup;
	} else {
		/* the register moved on: another office issued meanwhile. Issue again on the new tip. */
		docket_action_options a = DOCKET_ACTION_OPTIONS_INIT;
		docket_action_result res;
		char *body = message_body(msg), *date = last_step_date(rh, commit, docpath);
		if (!key) {
			free(body);
			free(date);
			error = docket_error_set(DOCKET_EDENIED, "cannot replay %s: the number %s was taken on the remote, and "
			                         "issuing it again needs the signature of '%s', whose key is not here "
			                         "(DOCKET_KEY or the default key file)", what, number, actor ? actor : "?");
			goto cleanup;
		}
		a.doc = docid;
		a.transition = transition;
		a.actor = actor;
		a.message = body;
		a.now = date;
		a.key = key;
		error = docket_action_run(&res, rh, &a);
		if (error == 0)
			add_note(out, "%s: the number %s was taken on the remote meanwhile; issued again as %s [%.12s]",
			         docid, number, res.number ? res.number : "?", res.commit);
		else {
			char why[512];
			snprintf(why, sizeof(why), "%s", docket_error_last());
			error = docket_error_set(error == DOCKET_ECONFLICT ? DOCKET_ECONFLICT : error,
			                         "cannot replay %s with a new number: %s", what, why);
		}
		docket_action_result_free(&res);
		free(body);
		free(date);
		if (error < 0)
			goto cleanup;
	}
	out->replayed++;
	error = 0;
cleanup:
	docket_changed_free(&paths);
	git_buf_dispose(&sig);
	git_commit_free(c);
	free(actor);
	free(transition);
	free(number);
	free(docid);
	free(action);
	return error;
}

/* Make COMMITS[0..N) (oldest first) anew on ONTO; OUT_TIP receives the last one. */
static int replay(char out_tip[41], docket_repo *repo, const char *onto, char **commits, size_t n,
                  const docket_remote_options *opts, docket_sync_result *out)
{
	docket_repo *rh = NULL;
	git_reference *ref = NULL;
	key_cache kc;
	char name[64];
	git_oid oid;
	int error;

	memset(&kc, 0, sizeof(kc));
	snprintf(name, sizeof(name), "refs/docket/replay-%ld", (long)getpid());
	if (git_oid_fromstr(&oid, onto) < 0 ||
	    git_reference_create(&ref, docket_repo_git(repo), name, &oid, 1, "docket: replay") < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot create '%s'", name);
		goto cleanup;
	}
	if ((error = docket_repo_open_branch(&rh, repo, name)) < 0)
		goto cleanup;
	for (size_t i = 0; i < n; i++)
		if ((error = replay_one(rh, commits[i], opts, &kc, out)) < 0)
			goto cleanup;
	error = docket_repo_resolve(out_tip, rh, NULL);
cleanup:
	key_cache_free(&kc);
	docket_repo_free(rh);
	if (ref) {
		/* by name: the replay moved it since it was created */
		git_reference_remove(docket_repo_git(repo), name);
		git_reference_free(ref);
		git_error_clear();
	}
	return error;
}

/*
 * Bring main (at LOCAL) up to the remote's REMOTE: nothing when main already has it, a
 * fast-forward, or the replay of main's own commits since the common ancestor.
 */
static int catch_up(docket_repo *repo, const char *local, const char *remote, const docket_remote_options *opts,
                    docket_sync_result *out)
{
	git_repository *git = docket_repo_git(repo);
	git_oid l, r, base;
	git_commit *c = NULL;
	char **list = NULL, newtip[41];
	size_t ahead = 0, behind = 0, n = 0;
	int error;

	memcpy(out->after, local, 41);
	memcpy(out->remote, remote, 41);
	if (git_oid_fromstr(&l, local) < 0 || git_oid_fromstr(&r, remote) < 0 ||
	    git_graph_ahead_behind(&ahead, &behind, git, &l, &r) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot compare main with the remote's");
	if (behind == 0)
		return 0;
	out->received += behind;
	if ((error = docket_repo_workdir_clean(repo)) < 0)
		return error;
	if (ahead == 0) {
		if ((error = docket_repo_move_main(repo, remote, local)) < 0)
			return error;
		out->fast_forward = 1;
		memcpy(out->after, remote, 41);
		return docket_repo_checkout_from(repo, local);
	}
	if (git_merge_base(&base, git, &l, &r) < 0)
		return docket_error_git(DOCKET_ECONFLICT, "main and the remote's main have nothing in common");
	if (!(list = calloc(ahead + 1, sizeof(*list))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	/* main's own commits, newest first along the first parents, then replayed oldest first */
	if (git_commit_lookup(&c, git, &l) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read main");
		goto cleanup;
	}
	while (!git_oid_equal(git_commit_id(c), &base)) {
		git_commit *p = NULL;
		if (n == ahead || git_commit_parentcount(c) != 1) {
			error = docket_error_set(DOCKET_ECONFLICT, "main has a merge commit (%.12s) since the remote's "
			                         "main; docket replays a line of actions only",
			                         git_oid_tostr_s(git_commit_id(c)));
			goto cleanup;
		}
		list[n++] = docket_strdup(git_oid_tostr_s(git_commit_id(c)));
		if (git_commit_parent(&p, c, 0) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read a parent");
			goto cleanup;
		}
		git_commit_free(c);
		c = p;
	}
	for (size_t i = 0; i < n / 2; i++) {
		char *t = list[i];
		list[i] = list[n - 1 - i];
		list[n - 1 - i] = t;
	}
	if ((error = replay(newtip, repo, remote, list, n, opts, out)) < 0 ||
	    (error = docket_repo_move_main(repo, newtip, local)) < 0)
		goto cleanup;
	memcpy(out->after, newtip, 41);
	error = docket_repo_checkout_from(repo, local);
cleanup:
	git_commit_free(c);
	docket_strv_free(list);
	return error;
}

static int sync_begin(docket_sync_result *out, docket_repo *repo, const docket_remote_options *opts)
{
	int error;

	memset(out, 0, sizeof(*out));
	if (!repo)
		return docket_error_set(DOCKET_EUSAGE, "no repository");
	if (opts && (error = docket_options_check(opts->version, DOCKET_REMOTE_OPTIONS_VERSION, "docket_remote_options",
	                                          "DOCKET_REMOTE_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_repo_resolve(out->before, repo, NULL)) < 0)
		return error;
	memcpy(out->after, out->before, 41);
	return 0;
}

int docket_pull(docket_sync_result *out, docket_repo *repo, const docket_remote_options *opts)
{
	char remote[41];
	int error;

	if ((error = sync_begin(out, repo, opts)) < 0)
		return error;
	if ((error = docket_fetch(remote, repo, opts)) < 0)
		return error;
	return catch_up(repo, out->before, remote, opts, out);
}

int docket_push(docket_sync_result *out, docket_repo *repo, const docket_remote_options *opts)
{
	int tries = opts && opts->tries > 0 ? opts->tries : DEFAULT_TRIES, error = 0;
	char local[41], remote[41];

	if ((error = sync_begin(out, repo, opts)) < 0)
		return error;
	for (out->tries = 1; out->tries <= tries; out->tries++) {
		size_t ahead = 0, behind = 0;
		if ((error = docket_repo_resolve(local, repo, NULL)) < 0)
			return error;
		memcpy(out->after, local, 41);
		if (docket_remote_ahead_behind(&ahead, &behind, repo, docket_remote_name(opts)) < 0)
			docket_error_clear(); /* nothing fetched yet: the push tells */
		if ((error = docket_remote_push_main(repo, opts)) == 0) {
			out->pushed = ahead;
			memcpy(out->remote, local, 41);
			return 0;
		}
		if (error != DOCKET_ECONFLICT)
			return error;
		/* others are pushing too: let the winner finish before fetching what it pushed */
		usleep(20000u + (unsigned)(rand() % 100000) * (unsigned)(out->tries < 8 ? out->tries : 8));
		/* the remote moved on: take its commits, replay ours on them, try again */
		if ((error = docket_fetch(remote, repo, opts)) < 0 ||
		    (error = catch_up(repo, local, remote, opts, out)) < 0)
			return error;
	}
	out->tries = tries;
	return docket_error_set(DOCKET_ECONFLICT, "gave up after %d tries: the remote's main kept moving", tries);
}
