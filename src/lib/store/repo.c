/*
 * repo: the git repository as database and audit log.
 *
 * Every write is one commit whose tree is built from the parent commit's tree with
 * git_tree_create_updated, so only the trees on the changed paths are rewritten and the
 * index is never involved (a server has no work tree; a repository of 100,000 documents
 * costs the same as an empty one). The branch is moved with a compare-and-swap
 * (git_reference_create_matching); a lost race re-runs the caller's function on the new tip.
 * The work tree, when there is one, is brought up to date only after the branch has moved.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include "store_internal.h"

#define MAX_ATTEMPTS 200
/* How long a lock held by someone else (refs/heads/<branch>.lock, index.lock) is waited for
 * before docket says so. Holders keep them for microseconds; git itself waits 100 ms for a
 * ref lock (core.filesRefLockTimeout) and not at all for index.lock. */
#define LOCK_WAIT_MS 2000
/* How long to wait for another docket's work tree update (serialised, see workdir_lock). */
#define WORKDIR_WAIT_MS 10000
#define JOURNAL_PREFIX "docket-pending-"

struct docket_repo {
	git_repository *git;
	char *branch;       /* full ref name, e.g. refs/heads/main */
	char *name;         /* identity */
	char *email;
	char *gitdir;
	char *workdir;
	docket_commit_signer signer;
	void *signer_payload;
	void *ids;          /* the id index's cache (ids.c) */
};

typedef struct {
	char *path;
	char *data;
	size_t len;
} staged_file;

struct docket_txn {
	docket_repo *repo;
	int attempt;
	char base_hex[41];
	git_commit *base;   /* NULL for an unborn branch */
	git_tree *base_tree;
	staged_file *files;
	size_t nfiles;
	char *message;
	int journal_fd;     /* work tree only: the intent journal, -1 if none (see journal_write) */
	char *journal_path;
};

static void journal_recover(docket_repo *repo);

static int find_branch(docket_repo *repo)
{
	git_reference *head = NULL;
	int error;

	if ((error = git_reference_lookup(&head, repo->git, "HEAD")) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read HEAD of '%s'", repo->gitdir);
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		return docket_error_set(DOCKET_ERROR,
			"HEAD of '%s' is detached; docket works on a branch", repo->gitdir);
	}
	repo->branch = docket_strdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	return repo->branch ? 0 : docket_error_set(DOCKET_ERROR, "out of memory");
}

static int repo_wrap(docket_repo **out, git_repository *git)
{
	docket_repo *repo = calloc(1, sizeof(*repo));
	int error;

	if (!repo) {
		git_repository_free(git);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	repo->git = git;
	repo->gitdir = docket_strdup(git_repository_path(git));
	repo->workdir = git_repository_workdir(git) ? docket_strdup(git_repository_workdir(git)) : NULL;
	if ((error = find_branch(repo)) < 0) {
		docket_repo_free(repo);
		return error;
	}
	*out = repo;
	return 0;
}

int docket_repo_open(docket_repo **out, const char *path)
{
	git_repository *git = NULL;
	int error;

	*out = NULL;
	if ((error = git_repository_open_ext(&git, path ? path : ".", 0, NULL)) < 0)
		return docket_error_git(error == GIT_ENOTFOUND ? DOCKET_ENOTFOUND : DOCKET_ERROR,
			"'%s' is not in a docket repository", path ? path : ".");
	if ((error = repo_wrap(out, git)) < 0)
		return error;
	{
		/* a git repository is a docket repository when its branch holds .docket/config.xml */
		char *cfg = NULL;
		error = docket_repo_read(&cfg, NULL, *out, NULL, ".docket/config.xml");
		free(cfg);
		if (error < 0) {
			char where[1024];
			snprintf(where, sizeof(where), "%s", (*out)->workdir ? (*out)->workdir : (*out)->gitdir);
			docket_repo_free(*out);
			*out = NULL;
			return docket_error_set(DOCKET_ENOTFOUND, "'%s' is not a docket repository "
			                        "(no .docket/config.xml on its branch); see 'docket init'", where);
		}
	}
	/* finish the work tree update of a docket that was killed after moving the branch */
	journal_recover(*out);
	return 0;
}

void docket_repo_free(docket_repo *repo)
{
	if (!repo)
		return;
	docket_ids_cache_free(repo->ids);
	git_repository_free(repo->git);
	free(repo->branch);
	free(repo->name);
	free(repo->email);
	free(repo->gitdir);
	free(repo->workdir);
	free(repo);
}

void **docket_repo_ids_slot(docket_repo *repo)
{
	return &repo->ids;
}

const char *docket_repo_gitdir(const docket_repo *repo)
{
	return repo->gitdir;
}

const char *docket_repo_workdir(const docket_repo *repo)
{
	return repo->workdir;
}

git_repository *docket_repo_git(docket_repo *repo)
{
	return repo->git;
}

void docket_repo_set_commit_signer(docket_repo *repo, docket_commit_signer fn, void *payload)
{
	repo->signer = fn;
	repo->signer_payload = payload;
}

docket_commit_signer docket_repo_commit_signer(docket_repo *repo, void **payload)
{
	if (payload)
		*payload = repo->signer ? repo->signer_payload : NULL;
	return repo->signer;
}

/* Write the commit object, signed when the handle has a signer. */
static int write_commit(git_oid *out, docket_repo *repo, const git_signature *sig, const char *message,
                        const git_tree *tree, size_t nparents, const git_commit **parents)
{
	git_buf buf = GIT_BUF_INIT;
	char *armored = NULL;
	int error;

	if (!repo->signer) {
		if (git_commit_create(out, repo->git, NULL, sig, sig, NULL, message, tree, nparents, parents) < 0)
			return docket_error_git(DOCKET_ERROR, "cannot write the commit");
		return 0;
	}
	if (git_commit_create_buffer(&buf, repo->git, sig, sig, NULL, message, tree, nparents, parents) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot write the commit");
		goto cleanup;
	}
	if ((error = repo->signer(&armored, buf.ptr, buf.size, repo->signer_payload)) < 0)
		goto cleanup;
	if (git_commit_create_with_signature(out, repo->git, buf.ptr, armored, "gpgsig") < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot write the signed commit");
		goto cleanup;
	}
	error = 0;
cleanup:
	docket_free(armored);
	git_buf_dispose(&buf);
	return error;
}

int docket_repo_set_identity(docket_repo *repo, const char *name, const char *email)
{
	free(repo->name);
	free(repo->email);
	repo->name = docket_strdup(name);
	repo->email = docket_strdup(email ? email : "");
	if (name && (!repo->name || !repo->email))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

/* $DOCKET_NOW ("2021-05-11T09:30:00+07:00") as seconds since the epoch and an offset. */
static int fixed_now(git_time_t *when, int *offset)
{
	const char *s = getenv("DOCKET_NOW");
	time_t t;

	if (!s || !*s || docket_time_parse(&t, offset, s, DOCKET_TIME_LENIENT) < 0)
		return 0;
	*when = (git_time_t)t;
	return 1;
}

static int make_signature(git_signature **out, docket_repo *repo)
{
	git_time_t when;
	int offset, error;

	if (fixed_now(&when, &offset)) {
		error = git_signature_new(out, repo->name ? repo->name : "docket",
		                          repo->name ? repo->email : "docket@localhost", when, offset);
	} else if (repo->name)
		error = git_signature_now(out, repo->name, repo->email);
	else if ((error = git_signature_default(out, repo->git)) < 0)
		error = git_signature_now(out, "docket", "docket@localhost");
	if (error < 0)
		return docket_error_git(DOCKET_ERROR, "cannot make the commit identity");
	return 0;
}

/*
 * An annotated tag object for TARGET named TAGNAME with MESSAGE, signed as git signs tags
 * (the signature appended to the message) when the handle has a signer, and the reference
 * REFNAME created for it - never moved: DOCKET_EEXISTS when REFNAME exists.
 */
int docket_repo_tag(char out_oid[41], docket_repo *repo, const char *refname, const char *tagname,
                    const char *target, const char *message)
{
	git_signature *who = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	git_oid oid;
	docket_buf b = DOCKET_BUF_INIT;
	char *armored = NULL, when[32];
	int error, off;

	if ((error = make_signature(&who, repo)) < 0)
		return error;
	off = who->when.offset;
	snprintf(when, sizeof(when), "%lld %c%02d%02d", (long long)who->when.time, off < 0 ? '-' : '+',
	         (off < 0 ? -off : off) / 60, (off < 0 ? -off : off) % 60);
	if ((error = docket_buf_printf(&b, "object %s\ntype commit\ntag %s\ntagger %s <%s> %s\n\n%s", target,
	                               tagname, who->name, who->email, when, message)) < 0)
		goto cleanup;
	if (repo->signer) {
		if ((error = repo->signer(&armored, b.ptr, b.len, repo->signer_payload)) < 0 ||
		    (error = docket_buf_printf(&b, "%s\n", armored)) < 0)
			goto cleanup;
	}
	if (git_repository_odb(&odb, repo->git) < 0 || git_odb_write(&oid, odb, b.ptr, b.len, GIT_OBJECT_TAG) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot write the tag %s", tagname);
		goto cleanup;
	}
	if ((error = git_reference_create(&ref, repo->git, refname, &oid, 0, "docket: tag")) < 0) {
		error = error == GIT_EEXISTS ? docket_error_set(DOCKET_EEXISTS, "%s exists already", refname) :
		        docket_error_git(DOCKET_ERROR, "cannot create %s", refname);
		goto cleanup;
	}
	if (out_oid)
		git_oid_tostr(out_oid, 41, &oid);
	error = 0;
cleanup:
	git_reference_free(ref);
	git_odb_free(odb);
	git_signature_free(who);
	free(armored);
	docket_buf_free(&b);
	return error;
}

static int lookup_commit(git_commit **out, docket_repo *repo, const char *rev)
{
	git_object *obj = NULL;
	int error;

	*out = NULL;
	if ((error = git_revparse_single(&obj, repo->git, rev ? rev : repo->branch)) < 0) {
		return docket_error_git(error == GIT_ENOTFOUND ? DOCKET_ENOTFOUND :
		                        docket_error_from_git(error),
		                        "unknown revision '%s'", rev ? rev : repo->branch);
	}
	error = git_object_peel((git_object **)out, obj, GIT_OBJECT_COMMIT);
	git_object_free(obj);
	if (error < 0)
		return docket_error_git(DOCKET_EUSAGE, "'%s' is not a commit", rev ? rev : repo->branch);
	return 0;
}

int docket_repo_resolve(char out[41], docket_repo *repo, const char *rev)
{
	git_commit *c = NULL;
	int error;

	if ((error = lookup_commit(&c, repo, rev)) < 0)
		return error;
	git_oid_tostr(out, 41, git_commit_id(c));
	git_commit_free(c);
	return 0;
}

static int read_from_tree(char **out, size_t *out_len, docket_repo *repo, git_tree *tree,
                          const char *path)
{
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	int error;
	size_t n;

	*out = NULL;
	if ((error = git_tree_entry_bypath(&entry, tree, path)) < 0) {
		if (error == GIT_ENOTFOUND)
			return docket_error_set(DOCKET_ENOTFOUND, "'%s' does not exist", path);
		return docket_error_git(DOCKET_ERROR, "cannot read '%s'", path);
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(entry);
		return docket_error_set(DOCKET_ENOTFOUND, "'%s' is not a file", path);
	}
	error = git_blob_lookup(&blob, repo->git, git_tree_entry_id(entry));
	git_tree_entry_free(entry);
	if (error < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read '%s'", path);
	n = (size_t)git_blob_rawsize(blob);
	if ((*out = docket_strndup(git_blob_rawcontent(blob), n)) == NULL) {
		git_blob_free(blob);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	if (out_len)
		*out_len = n;
	git_blob_free(blob);
	return 0;
}

int docket_repo_read(char **out, size_t *out_len, docket_repo *repo, const char *rev,
                     const char *path)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	int error;

	*out = NULL;
	if ((error = lookup_commit(&c, repo, rev)) < 0)
		goto cleanup;
	if ((error = git_commit_tree(&tree, c)) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read the tree of '%s'", rev ? rev : "HEAD");
		goto cleanup;
	}
	error = read_from_tree(out, out_len, repo, tree, path);
cleanup:
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}

typedef struct {
	const char *prefix;
	docket_repo_walk_fn fn;
	void *payload;
	int result;
} walk_state;

static int walk_cb(const char *root, const git_tree_entry *entry, void *payload)
{
	walk_state *st = payload;
	docket_buf path = DOCKET_BUF_INIT;
	int r;

	if (git_tree_entry_type(entry) == GIT_OBJECT_TREE) {
		/* a document's annexes (ID.annexes/) are files beside it, not documents: the walk of
		 * documents/ skips them (annex.c reads them) */
		const char *name = git_tree_entry_name(entry);
		size_t len = strlen(name);
		if (strncmp(st->prefix, "documents", 9) == 0 && len > 8 && strcmp(name + len - 8, ".annexes") == 0)
			return 1;
		return 0;
	}
	if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB)
		return 0;
	if (docket_buf_printf(&path, "%s%s%s", st->prefix, root, git_tree_entry_name(entry)) < 0)
		return -1;
	r = st->fn(path.ptr, st->payload);
	docket_buf_free(&path);
	if (r) {
		st->result = r;
		return -1;
	}
	return 0;
}

int docket_repo_walk(docket_repo *repo, const char *rev, const char *prefix,
                     docket_repo_walk_fn fn, void *payload)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *entry = NULL;
	git_tree *sub = NULL;
	walk_state st = { prefix, fn, payload, 0 };
	docket_buf dir = DOCKET_BUF_INIT;
	int error;

	if ((error = lookup_commit(&c, repo, rev)) < 0)
		goto cleanup;
	if ((error = git_commit_tree(&tree, c)) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot read a tree");
		goto cleanup;
	}
	/* A prefix "documents/" walks that subtree only; "" walks everything. */
	if (docket_buf_puts(&dir, prefix) < 0) {
		error = DOCKET_ERROR;
		goto cleanup;
	}
	while (dir.len && dir.ptr[dir.len - 1] == '/')
		dir.ptr[--dir.len] = '\0';
	if (dir.len) {
		error = git_tree_entry_bypath(&entry, tree, dir.ptr);
		if (error == GIT_ENOTFOUND) {
			error = 0;
			goto cleanup;
		}
		if (error < 0 || git_tree_entry_type(entry) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&sub, repo->git, git_tree_entry_id(entry)) < 0) {
			error = error < 0 ? docket_error_git(DOCKET_ERROR, "cannot read '%s'", prefix) : 0;
			goto cleanup;
		}
	}
	error = git_tree_walk(sub ? sub : tree, GIT_TREEWALK_PRE, walk_cb, &st);
	if (st.result)
		error = st.result;
	else if (error < 0)
		error = docket_error_git(DOCKET_ERROR, "cannot walk '%s'", prefix);
cleanup:
	docket_buf_free(&dir);
	git_tree_entry_free(entry);
	git_tree_free(sub);
	git_tree_free(tree);
	git_commit_free(c);
	return error;
}

/* --- transactions --------------------------------------------------------------------- */

static void txn_reset(docket_txn *txn)
{
	size_t i;

	for (i = 0; i < txn->nfiles; i++) {
		free(txn->files[i].path);
		free(txn->files[i].data);
	}
	free(txn->files);
	txn->files = NULL;
	txn->nfiles = 0;
	free(txn->message);
	txn->message = NULL;
	git_tree_free(txn->base_tree);
	git_commit_free(txn->base);
	txn->base_tree = NULL;
	txn->base = NULL;
	txn->base_hex[0] = '\0';
}

int docket_txn_attempt(const docket_txn *txn)
{
	return txn->attempt;
}

const char *docket_txn_base(const docket_txn *txn)
{
	return txn->base_hex;
}

docket_repo *docket_txn_repo(docket_txn *txn)
{
	return txn->repo;
}

int docket_txn_staged(const docket_txn *txn, const char *path)
{
	for (size_t i = 0; i < txn->nfiles; i++)
		if (strcmp(txn->files[i].path, path) == 0)
			return 1;
	return 0;
}

int docket_txn_read(char **out, size_t *out_len, docket_txn *txn, const char *path)
{
	size_t i;

	*out = NULL;
	for (i = txn->nfiles; i-- > 0;) {
		if (strcmp(txn->files[i].path, path) == 0) {
			if (!(*out = docket_strndup(txn->files[i].data, txn->files[i].len)))
				return docket_error_set(DOCKET_ERROR, "out of memory");
			if (out_len)
				*out_len = txn->files[i].len;
			return 0;
		}
	}
	if (!txn->base_tree)
		return docket_error_set(DOCKET_ENOTFOUND, "'%s' does not exist", path);
	return read_from_tree(out, out_len, txn->repo, txn->base_tree, path);
}

int docket_txn_write(docket_txn *txn, const char *path, const char *data, size_t len)
{
	staged_file *f;
	const char *why;
	size_t i;

	if (!path[0] || path[0] == '/' || strstr(path, "..") || strstr(path, "//") ||
	    strncmp(path, ".git/", 5) == 0 || strcmp(path, ".git") == 0)
		return docket_error_set(DOCKET_EUSAGE, "refusing to write the path '%s'", path);
	if ((why = docket_layout_check(path, 1)) != NULL)
		return docket_error_set(DOCKET_EINVALID, "refusing to write the path '%s': %s (docs/format.md)",
		                        path, why);
	for (i = 0; i < txn->nfiles; i++) {
		if (strcmp(txn->files[i].path, path) == 0) {
			char *d = docket_strndup(data, len);
			if (!d)
				return docket_error_set(DOCKET_ERROR, "out of memory");
			free(txn->files[i].data);
			txn->files[i].data = d;
			txn->files[i].len = len;
			return 0;
		}
	}
	f = realloc(txn->files, (txn->nfiles + 1) * sizeof(*f));
	if (!f)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	txn->files = f;
	f = &txn->files[txn->nfiles];
	f->path = docket_strdup(path);
	f->data = docket_strndup(data, len);
	f->len = len;
	if (!f->path || !f->data) {
		free(f->path);
		free(f->data);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	txn->nfiles++;
	return 0;
}

int docket_txn_message(docket_txn *txn, const char *message)
{
	free(txn->message);
	if (!(txn->message = docket_strdup(message)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	return 0;
}

static int txn_begin(docket_txn *txn)
{
	git_reference *ref = NULL;
	int error;

	error = git_reference_lookup(&ref, txn->repo->git, txn->repo->branch);
	if (error == GIT_ENOTFOUND)
		return 0; /* unborn branch: the first commit */
	if (error < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read '%s'", txn->repo->branch);
	error = git_commit_lookup(&txn->base, txn->repo->git, git_reference_target(ref));
	git_reference_free(ref);
	if (error < 0 || git_commit_tree(&txn->base_tree, txn->base) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot read the tip of '%s'", txn->repo->branch);
	git_oid_tostr(txn->base_hex, sizeof(txn->base_hex), git_commit_id(txn->base));
	return 0;
}

/* Write the blobs and the new tree; out_tree is the new tree's id. */
static int txn_build_tree(git_oid *out_tree, docket_txn *txn)
{
	git_tree_update *updates = NULL;
	git_treebuilder *empty = NULL;
	git_oid empty_id;
	git_tree *base = txn->base_tree;
	git_tree *empty_tree = NULL;
	size_t i;
	int error = DOCKET_ERROR;

	if (!(updates = calloc(txn->nfiles ? txn->nfiles : 1, sizeof(*updates)))) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < txn->nfiles; i++) {
		updates[i].action = GIT_TREE_UPDATE_UPSERT;
		updates[i].filemode = GIT_FILEMODE_BLOB;
		updates[i].path = txn->files[i].path;
		if (git_blob_create_from_buffer(&updates[i].id, txn->repo->git, txn->files[i].data,
		                                txn->files[i].len) < 0) {
			docket_error_git(DOCKET_ERROR, "cannot write '%s'", txn->files[i].path);
			goto cleanup;
		}
	}
	if (!base) {
		if (git_treebuilder_new(&empty, txn->repo->git, NULL) < 0 ||
		    git_treebuilder_write(&empty_id, empty) < 0 ||
		    git_tree_lookup(&empty_tree, txn->repo->git, &empty_id) < 0) {
			docket_error_git(DOCKET_ERROR, "cannot write a tree");
			goto cleanup;
		}
		base = empty_tree;
	}
	if (git_tree_create_updated(out_tree, txn->repo->git, base, txn->nfiles, updates) < 0) {
		docket_error_git(DOCKET_ERROR, "cannot write the new tree");
		goto cleanup;
	}
	error = 0;
cleanup:
	git_tree_free(empty_tree);
	git_treebuilder_free(empty);
	free(updates);
	return error;
}

static int mkdirs_for(const char *path)
{
	char *p = docket_strdup(path), *s;

	if (!p)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	for (s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			int e = errno;
			docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", p, strerror(e));
			free(p);
			return DOCKET_ERROR;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

static long long mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Docket's updates of the work tree and the index are serialised by an flock on the git
 * directory itself: no lock file that a killed process could leave behind, the kernel drops
 * the lock when its holder dies (SIGKILL included). Returns the descriptor to close, or < 0.
 */
static int workdir_lock(docket_repo *repo)
{
	long long start = mono_ms();
	int fd = open(repo->gitdir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return docket_error_set(DOCKET_ERROR, "cannot open '%s': %s", repo->gitdir, strerror(errno));
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		if ((e != EWOULDBLOCK && e != EINTR) || mono_ms() - start > WORKDIR_WAIT_MS) {
			close(fd);
			return docket_error_set(DOCKET_ERROR, "cannot lock '%s' to update the work tree: %s",
			                        repo->gitdir, e == EWOULDBLOCK ? "another docket keeps it locked" : strerror(e));
		}
		usleep(1000);
	}
	return fd;
}

/*
 * The branch lock's owner. libgit2 moves the branch through refs/heads/<branch>.lock, an
 * empty O_EXCL file that says nothing of who made it: a docket killed while holding it left
 * every later docket refusing until a person removed it. So docket moves the branch only
 * while it holds an flock on GITDIR/docket-branch-owner (the kernel drops it when its holder
 * dies, SIGKILL included), and writes into that file, for the time of the move, a record
 * "pid host start-time branch". Whoever takes the flock and finds a record finds the record
 * of a docket that died moving the branch: if the branch's .lock exists, was made within
 * STALE_WINDOW_S of that record on this host and that process is gone, it is that docket's
 * and is removed, with a notice. A .lock without a record belongs to someone else (a git
 * command): it is waited for, then reported, never removed.
 */
#define OWNER_FILE "docket-branch-owner"
#define STALE_WINDOW_S 10

static void host_name(char *out, size_t size)
{
	if (gethostname(out, size) < 0 || !out[0])
		snprintf(out, size, "%s", "localhost");
	out[size - 1] = '\0';
}

/*
 * Whether process PID is gone: no such process, or one that has died and is only waiting to
 * be reaped (a zombie, state Z or X in /proc/PID/stat: a docket killed with its parent is
 * reaped by init whenever init gets to it). A pid we may not signal is taken as alive.
 */
static int process_gone(long pid)
{
	char path[64], buf[512], *rparen;
	ssize_t n;
	int fd;

	if (kill((pid_t)pid, 0) < 0)
		return errno == ESRCH;
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* "PID (COMM) STATE ...": COMM may hold spaces and parentheses, the last ')' ends it */
	if (!(rparen = strrchr(buf, ')')) || rparen[1] != ' ')
		return 0;
	return rparen[2] == 'Z' || rparen[2] == 'X';
}

/* Remove BRANCH's .lock if the owner record REC (NUL-terminated) shows a dead docket made it. */
static void clear_stale_branch_lock(docket_repo *repo, const char *rec)
{
	char host[256], rhost[256], rbranch[512];
	long pid;
	long long start;
	struct stat st;
	docket_buf lock = DOCKET_BUF_INIT;

	host_name(host, sizeof(host));
	if (sscanf(rec, "%ld %255s %lld %511s", &pid, rhost, &start, rbranch) != 4 ||
	    strcmp(rbranch, repo->branch) != 0 || strcmp(rhost, host) != 0)
		return;
	if (pid <= 0 || !process_gone(pid))
		return; /* alive (or a pid reused): not ours to judge */
	if (docket_buf_printf(&lock, "%s%s.lock", repo->gitdir, repo->branch) == 0 &&
	    lstat(lock.ptr, &st) == 0 && S_ISREG(st.st_mode) &&
	    (long long)st.st_mtime >= start - 1 && (long long)st.st_mtime <= start + STALE_WINDOW_S &&
	    unlink(lock.ptr) == 0)
		docket_notice("removed a stale lock left by process %ld on %s: '%s'", pid, rhost, lock.ptr);
	docket_buf_free(&lock);
}

/* Take the owner flock (waiting up to WAIT_MS), clear what a dead owner left, write our record. */
static int branch_owner_take(docket_repo *repo, long long wait_ms)
{
	docket_buf path = DOCKET_BUF_INIT, rec = DOCKET_BUF_INIT;
	char host[256], old[1024];
	long long start = mono_ms();
	ssize_t n;
	int fd = -1;

	if (docket_buf_printf(&path, "%s" OWNER_FILE, repo->gitdir) < 0)
		goto fail;
	if ((fd = open(path.ptr, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
		if (errno == EACCES || errno == EROFS) {
			docket_buf_free(&path);
			return -2; /* a read-only git directory: move the branch without an owner record */
		}
		docket_error_set(DOCKET_ERROR, "cannot open '%s': %s", path.ptr, strerror(errno));
		goto fail;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if ((errno != EWOULDBLOCK && errno != EINTR) || mono_ms() - start > wait_ms) {
			docket_error_set(DOCKET_ERROR, "cannot lock '%s': %s", path.ptr,
			                 errno == EWOULDBLOCK ? "another docket keeps it locked" : strerror(errno));
			goto fail;
		}
		usleep(200 + (unsigned)(rand() % 800));
	}
	if ((n = pread(fd, old, sizeof(old) - 1, 0)) > 0) {
		old[n] = '\0';
		clear_stale_branch_lock(repo, old);
	}
	host_name(host, sizeof(host));
	if (docket_buf_printf(&rec, "%ld %s %lld %s\n", (long)getpid(), host, (long long)time(NULL),
	                      repo->branch) < 0)
		goto fail; /* out of memory, said */
	if (ftruncate(fd, 0) < 0 || pwrite(fd, rec.ptr, rec.len, 0) != (ssize_t)rec.len) {
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", path.ptr, strerror(errno));
		goto fail;
	}
	docket_buf_free(&path);
	docket_buf_free(&rec);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	docket_buf_free(&path);
	docket_buf_free(&rec);
	return DOCKET_ERROR;
}

/* The move is over (done or failed, the .lock gone either way): no record, no flock. */
static void branch_owner_release(int fd)
{
	if (fd < 0)
		return;
	if (ftruncate(fd, 0) < 0) {
		/* a record left behind names a docket whose .lock is gone: the next owner finds no
		 * .lock to remove, so this is harmless */
	}
	close(fd);
}

/*
 * Bring PATHS of the work tree and the index up to the branch tip. The tip's content, not
 * this process's commit: when two dockets change one file (the register) the later commit
 * must win in the work tree whatever order the processes get here in; under the lock, the
 * last one here writes what the tip holds. The index is read afresh before every write, so
 * no other docket's entries are lost. WAIT_MS: how long an index.lock held by someone else
 * is waited for. RECOVERING (finishing a dead docket's update): a file that is neither the
 * tip's content nor what the index has for it was edited since, and is left alone.
 */
static int is_edited(git_index *index, const char *path, const char *full, const char *tip, size_t tiplen)
{
	const git_index_entry *entry;
	char *disk = NULL;
	size_t dlen = 0;
	git_oid id;
	int edited;

	if (docket_file_read(&disk, &dlen, full, (size_t)1 << 30) < 0) {
		edited = docket_error_code() != DOCKET_ENOTFOUND;
		docket_error_clear();
		return edited;
	}
	edited = !(dlen == tiplen && memcmp(disk, tip, dlen) == 0) &&
	         !(git_odb_hash(&id, disk, dlen, GIT_OBJECT_BLOB) == 0 &&
	           (entry = git_index_get_bypath(index, path, 0)) != NULL && git_oid_equal(&id, &entry->id));
	free(disk);
	return edited;
}

static int workdir_sync(docket_repo *repo, char *const *paths, size_t n, long long wait_ms, int recovering)
{
	git_commit *tip = NULL;
	git_tree *tree = NULL;
	git_index *index = NULL;
	docket_buf full = DOCKET_BUF_INIT;
	char *present = NULL, *data = NULL;
	size_t len, i;
	long long start;
	int lockfd, werr, error = DOCKET_ERROR;

	if (!repo->workdir || !n)
		return 0;
	if ((lockfd = workdir_lock(repo)) < 0)
		return lockfd;
	if (!(present = calloc(n, 1))) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (lookup_commit(&tip, repo, NULL) < 0)
		goto cleanup;
	if (git_commit_tree(&tree, tip) < 0) {
		docket_error_git(DOCKET_ERROR, "cannot read the tip of '%s'", repo->branch);
		goto cleanup;
	}
	if (git_repository_index(&index, repo->git) < 0 || git_index_read(index, 1) < 0) {
		docket_error_git(DOCKET_ERROR, "cannot read the index");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		free(data);
		data = NULL;
		if (read_from_tree(&data, &len, repo, tree, paths[i]) < 0) {
			if (docket_error_code() != DOCKET_ENOTFOUND)
				goto cleanup;
			docket_error_clear(); /* not on the branch (any more): nothing to bring */
			continue;
		}
		full.len = 0;
		if (docket_buf_printf(&full, "%s%s", repo->workdir, paths[i]) < 0)
			goto cleanup;
		if (recovering && is_edited(index, paths[i], full.ptr, data, len))
			continue;
		present[i] = 1;
		if (mkdirs_for(full.ptr) < 0 ||
		    docket_file_write_atomic(full.ptr, data, len, 0644) < 0)
			goto cleanup;
	}
	for (start = mono_ms();;) {
		if (git_index_read(index, 1) < 0) {
			docket_error_git(DOCKET_ERROR, "cannot read the index");
			goto cleanup;
		}
		for (i = 0; i < n; i++)
			if (present[i] && git_index_add_bypath(index, paths[i]) < 0) {
				docket_error_git(DOCKET_ERROR, "cannot add '%s' to the index", paths[i]);
				goto cleanup;
			}
		if ((werr = git_index_write(index)) == 0)
			break;
		if (werr != GIT_ELOCKED) {
			docket_error_git(DOCKET_ERROR, "cannot write the index");
			goto cleanup;
		}
		if (mono_ms() - start >= wait_ms) {
			docket_error_set(DOCKET_ERROR, "'%sindex.lock' exists: another git is using the index, or "
			                 "one was killed while doing so; if none is running, remove that file "
			                 "(the next docket then brings the index up to date)", repo->gitdir);
			goto cleanup;
		}
		usleep(1000 + (unsigned)(rand() % 2000));
	}
	error = 0;
cleanup:
	close(lockfd);
	git_index_free(index);
	git_tree_free(tree);
	git_commit_free(tip);
	docket_buf_free(&full);
	free(present);
	free(data);
	return error;
}

/*
 * The intent journal, for a docket killed after moving the branch but before the work tree
 * and the index have the new files: <gitdir>/docket-pending-<pid> lists the paths (each
 * ending with a NUL) of the commit about to be published. It is written before the
 * compare-and-swap, flock'ed by its writer all along, and removed once the work tree has the
 * paths; a failed work tree update leaves it behind. A journal whose lock can be taken
 * belongs to a docket that is gone: the next docket to open the repository finishes its
 * update (journal_recover), temporary file included. Bare repositories have none.
 */
static int journal_write(docket_txn *txn)
{
	docket_buf b = DOCKET_BUF_INIT;
	size_t i;
	int error = DOCKET_ERROR;

	if (!txn->repo->workdir)
		return 0;
	if (txn->journal_fd < 0) {
		if (docket_buf_printf(&b, "%s" JOURNAL_PREFIX "%ld", txn->repo->gitdir, (long)getpid()) < 0)
			goto cleanup;
		txn->journal_fd = open(b.ptr, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (txn->journal_fd < 0 || flock(txn->journal_fd, LOCK_EX) < 0) {
			docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", b.ptr, strerror(errno));
			if (txn->journal_fd >= 0) {
				close(txn->journal_fd);
				unlink(b.ptr);
			}
			txn->journal_fd = -1;
			goto cleanup;
		}
		txn->journal_path = b.ptr;
		b = (docket_buf)DOCKET_BUF_INIT;
	}
	b.len = 0;
	for (i = 0; i < txn->nfiles; i++)
		if (docket_buf_put(&b, txn->files[i].path, strlen(txn->files[i].path) + 1) < 0)
			goto cleanup;
	if (ftruncate(txn->journal_fd, 0) < 0 ||
	    pwrite(txn->journal_fd, b.ptr, b.len, 0) != (ssize_t)b.len) {
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", txn->journal_path, strerror(errno));
		goto cleanup;
	}
	error = 0;
cleanup:
	docket_buf_free(&b);
	return error;
}

/* Done with the journal: removed (KEEP 0) or left for the next docket (KEEP 1); unlocked. */
static void journal_close(docket_txn *txn, int keep)
{
	if (txn->journal_fd < 0)
		return;
	if (!keep)
		unlink(txn->journal_path); /* before the lock goes, so nobody replays a finished one */
	close(txn->journal_fd);
	txn->journal_fd = -1;
	free(txn->journal_path);
	txn->journal_path = NULL;
}

/* Finish the work tree updates of dockets that died; best effort, never an error. */
static void journal_recover(docket_repo *repo)
{
	DIR *dir;
	struct dirent *e;
	docket_buf path = DOCKET_BUF_INIT, tmp = DOCKET_BUF_INIT;

	if (!repo->workdir || !(dir = opendir(repo->gitdir)))
		return;
	while ((e = readdir(dir)) != NULL) {
		char *buf = NULL, **paths = NULL;
		size_t n = 0, i, off;
		struct stat st;
		long pid;
		int fd;

		if (strncmp(e->d_name, JOURNAL_PREFIX, strlen(JOURNAL_PREFIX)) != 0)
			continue;
		pid = strtol(e->d_name + strlen(JOURNAL_PREFIX), NULL, 10);
		path.len = 0;
		if (docket_buf_printf(&path, "%s%s", repo->gitdir, e->d_name) < 0)
			break;
		if ((fd = open(path.ptr, O_RDWR | O_CLOEXEC)) < 0)
			continue;
		/* held: its docket is at work. Empty: its docket has not locked it yet. */
		if (flock(fd, LOCK_EX | LOCK_NB) < 0 || fstat(fd, &st) < 0 || st.st_size <= 0 ||
		    !(buf = malloc((size_t)st.st_size)) ||
		    pread(fd, buf, (size_t)st.st_size, 0) != (ssize_t)st.st_size ||
		    buf[st.st_size - 1] != '\0' ||
		    !(paths = calloc((size_t)st.st_size, sizeof(*paths)))) {
			free(buf);
			close(fd);
			continue;
		}
		for (off = 0; off < (size_t)st.st_size; off += strlen(buf + off) + 1)
			paths[n++] = buf + off;
		if (workdir_sync(repo, paths, n, 0, 1) == 0) {
			for (i = 0; i < n; i++) {
				tmp.len = 0;
				if (docket_buf_printf(&tmp, "%s%s.docket-tmp.%ld", repo->workdir, paths[i], pid) == 0)
					unlink(tmp.ptr);
			}
			unlink(path.ptr);
		}
		free(paths);
		free(buf);
		close(fd);
	}
	closedir(dir);
	docket_buf_free(&path);
	docket_buf_free(&tmp);
	docket_error_clear();
}

/*
 * After the branch moved: the staged files into the work tree and the index, so `git status`
 * stays clean. Failures here do not undo the commit (it is already the truth); they are
 * reported through the returned code, and the journal stays for the next docket.
 */
static int txn_update_workdir(docket_txn *txn)
{
	char **paths;
	size_t i;
	int error;

	if (!txn->repo->workdir || !txn->nfiles)
		return 0;
	if (!(paths = calloc(txn->nfiles, sizeof(*paths))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	for (i = 0; i < txn->nfiles; i++)
		paths[i] = txn->files[i].path;
	error = workdir_sync(txn->repo, paths, txn->nfiles, LOCK_WAIT_MS, 0);
	free(paths);
	return error;
}

int docket_repo_transact(char out_commit[41], docket_repo *repo, docket_txn_fn fn, void *payload)
{
	docket_txn txn;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_reference *ref = NULL;
	git_oid tree_id, commit_id;
	int error = DOCKET_ERROR;

	memset(&txn, 0, sizeof(txn));
	txn.repo = repo;
	txn.journal_fd = -1;
	{
		static int seeded;
		if (!seeded++)
			srand((unsigned)getpid() ^ (unsigned)time(NULL)); /* jitter that differs between processes */
	}
	if (make_signature(&sig, repo) < 0)
		goto cleanup;
	for (txn.attempt = 0; txn.attempt < MAX_ATTEMPTS; txn.attempt++) {
		const git_commit *parents[1];
		long long locked_since;

		txn_reset(&txn);
		if ((error = txn_begin(&txn)) < 0)
			goto cleanup;
		if ((error = fn(&txn, payload)) < 0)
			goto cleanup;
		if (!txn.message) {
			error = docket_error_set(DOCKET_ERROR, "internal: commit without a message");
			goto cleanup;
		}
		if ((error = txn_build_tree(&tree_id, &txn)) < 0)
			goto cleanup;
		if (txn.base_tree && git_oid_equal(&tree_id, git_tree_id(txn.base_tree))) {
			error = docket_error_set(DOCKET_EINVALID, "nothing changed");
			goto cleanup;
		}
		git_tree_free(tree);
		tree = NULL;
		if (git_tree_lookup(&tree, repo->git, &tree_id) < 0) {
			error = docket_error_git(DOCKET_ERROR, "cannot read the new tree");
			goto cleanup;
		}
		parents[0] = txn.base;
		if ((error = write_commit(&commit_id, repo, sig, txn.message, tree, txn.base ? 1 : 0, parents)) < 0)
			goto cleanup;
		if ((error = journal_write(&txn)) < 0)
			goto cleanup;
		for (locked_since = mono_ms();;) {
			int owner = branch_owner_take(repo, LOCK_WAIT_MS);
			if (owner == DOCKET_ERROR) {
				error = owner;
				goto cleanup;
			}
			if (txn.base)
				error = git_reference_create_matching(&ref, repo->git, repo->branch, &commit_id, 1,
				                                      git_commit_id(txn.base), "docket");
			else
				error = git_reference_create(&ref, repo->git, repo->branch, &commit_id, 0, "docket");
			branch_owner_release(owner);
			git_reference_free(ref);
			ref = NULL;
			/* Someone is moving the branch right now: back off briefly, with jitter, and
			 * try this same commit again; if the branch has moved meanwhile that gives
			 * EMODIFIED and the commit is rebuilt on the new tip. A lock that does not go
			 * away was left by a killed process: say so rather than spin. */
			if (error != GIT_ELOCKED)
				break;
			if (mono_ms() - locked_since >= LOCK_WAIT_MS) {
				error = docket_error_set(DOCKET_ERROR, "cannot move '%s': '%s%s.lock' exists and has "
				                         "not gone away for %d s; another git is moving the branch, or "
				                         "one was killed while doing so: if none is running, remove "
				                         "that file", repo->branch, repo->gitdir, repo->branch,
				                         LOCK_WAIT_MS / 1000);
				goto cleanup;
			}
			usleep(500 + (unsigned)(rand() % 2000));
		}
		if (error == 0)
			break;
		if (error == GIT_EMODIFIED || error == GIT_EEXISTS)
			continue;
		error = docket_error_git(DOCKET_ERROR, "cannot move '%s'", repo->branch);
		goto cleanup;
	}
	if (txn.attempt == MAX_ATTEMPTS) {
		error = docket_error_set(DOCKET_ECONFLICT, "gave up after %d lost races for '%s'",
		                         MAX_ATTEMPTS, repo->branch);
		goto cleanup;
	}
	if (out_commit)
		git_oid_tostr(out_commit, 41, &commit_id);
	if (txn_update_workdir(&txn) < 0) {
		/* The commit stands; tell the caller the work tree lags behind. (A copy of the
		 * message: docket_error_set must not read the buffer it writes.) */
		char why[512];
		snprintf(why, sizeof(why), "%s", docket_error_last());
		error = docket_error_set(DOCKET_ERROR, "committed %.12s, but could not update the work tree: %s",
		                         git_oid_tostr_s(&commit_id), why);
		journal_close(&txn, 1);
		goto cleanup;
	}
	error = 0;
cleanup:
	journal_close(&txn, 0);
	txn_reset(&txn);
	git_tree_free(tree);
	git_signature_free(sig);
	return error;
}

/* --- init ------------------------------------------------------------------------------ */

typedef struct {
	const char *message;
} init_payload;

static int init_fill(docket_txn *txn, void *payload)
{
	const docket_data_file *f;
	docket_buf path = DOCKET_BUF_INIT;
	int error = 0;

	for (f = docket_data_files; f->path && !error; f++) {
		path.len = 0;
		if (strncmp(f->path, "repo-template/", 14) == 0)
			error = docket_buf_puts(&path, f->path + 14);
		else if (strncmp(f->path, "schemas/", 8) == 0 || strncmp(f->path, "workflows/", 10) == 0)
			error = docket_buf_printf(&path, ".docket/%s", f->path);
		else
			continue;
		if (!error)
			error = docket_txn_write(txn, path.ptr, (const char *)f->data, f->len);
	}
	docket_buf_free(&path);
	if (!error)
		error = docket_txn_message(txn, ((init_payload *)payload)->message);
	return error;
}

int docket_repo_init(docket_repo **out, const char *path, int bare)
{
	git_repository_init_options opts;
	git_repository *git = NULL;
	docket_repo *repo = NULL;
	init_payload payload = { "docket: initialise the document repository\n" };
	struct stat st;
	int created = 0, error;

	*out = NULL;
	if (stat(path, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return docket_error_set(DOCKET_EEXISTS, "'%s' exists and is not a directory", path);
		if (!docket_dir_is_empty(path))
			return docket_error_set(DOCKET_EEXISTS, "'%s' is not empty", path);
	} else if (errno != ENOENT) {
		return docket_error_set(DOCKET_ERROR, "cannot inspect '%s': %s", path, strerror(errno));
	} else {
		created = 1;
	}
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	if (bare)
		opts.flags |= GIT_REPOSITORY_INIT_BARE;
	opts.initial_head = "main";
	if ((error = git_repository_init_ext(&git, path, &opts)) < 0) {
		error = docket_error_git(DOCKET_ERROR, "cannot create a repository at '%s'", path);
		goto cleanup;
	}
	if ((error = repo_wrap(&repo, git)) < 0) {
		git = NULL;
		goto cleanup;
	}
	git = NULL;
	if ((error = docket_repo_transact(NULL, repo, init_fill, &payload)) < 0)
		goto cleanup;
	*out = repo;
	repo = NULL;
cleanup:
	if (error < 0) {
		/* Nothing half-made: remove what this call created. */
		char saved[1024];
		snprintf(saved, sizeof(saved), "%s", docket_error_last());
		docket_repo_free(repo);
		repo = NULL;
		if (created)
			docket_rmtree(path);
		docket_error_set(error, "%s", saved);
	}
	git_repository_free(git);
	docket_repo_free(repo);
	return error;
}

/* --- another branch of the same repository ------------------------------------------------- */

int docket_repo_open_branch(docket_repo **out, docket_repo *repo, const char *branch)
{
	git_repository *git = NULL;
	docket_repo *r;

	*out = NULL;
	if (strncmp(branch, "refs/", 5) != 0)
		return docket_error_set(DOCKET_EUSAGE, "'%s' is not a full reference name", branch);
	if (git_repository_open_bare(&git, repo->gitdir) < 0)
		return docket_error_git(DOCKET_ERROR, "cannot open '%s'", repo->gitdir);
	if (!(r = calloc(1, sizeof(*r)))) {
		git_repository_free(git);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	r->git = git;
	r->gitdir = docket_strdup(repo->gitdir);
	r->branch = docket_strdup(branch);
	if (!r->gitdir || !r->branch || (repo->name && docket_repo_set_identity(r, repo->name, repo->email) < 0)) {
		docket_repo_free(r);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	*out = r;
	return 0;
}

const char *docket_repo_branch(const docket_repo *repo)
{
	return repo->branch;
}
