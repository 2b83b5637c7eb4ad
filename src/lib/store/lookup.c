/*
 * lookup: reading what the layers below need out of a tree - a document by its id, the
 * schemas and the text stylesheet pinned in .docket/schemas/ - and handing it over as bytes
 * (the xml layer knows nothing of git).
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"
#include "docket/render.h"

/* --- finding a document by id ------------------------------------------------------------ */

typedef struct {
	char *found;
	docket_buf others; /* the other paths with the id, ", "-separated */
	int dup;
} find_state;

static int find_cb(const char *id, size_t idlen, const char *path, void *payload)
{
	find_state *st = payload;
	char q[512];

	(void)id;
	(void)idlen;
	if (!st->found) {
		st->found = docket_strdup(path);
		return st->found ? 0 : 1;
	}
	st->dup++;
	docket_name_quote(q, sizeof(q), path);
	if (st->dup <= 8 && docket_buf_printf(&st->others, ", '%s'", q) < 0)
		return 1;
	return 0;
}

int docket_doc_find(char **out, docket_repo *repo, const char *id, const char *rev)
{
	find_state st = { NULL, DOCKET_BUF_INIT, 0 };
	const char *why;
	char q[512];
	int error;

	*out = NULL;
	if (strncmp(id, "documents/", 10) == 0 && strlen(id) > 14 &&
	    strcmp(id + strlen(id) - 4, ".xml") == 0) {
		char *buf = NULL;
		if ((error = docket_repo_read(&buf, NULL, repo, rev, id)) < 0)
			return error == DOCKET_ENOTFOUND ?
				docket_error_set(DOCKET_ENOTFOUND, "no document '%s'", id) : error;
		free(buf);
		*out = docket_strdup(id);
		return *out ? 0 : docket_error_set(DOCKET_ERROR, "out of memory");
	}
	/* the id index: every file named ID.xml under documents/, wherever it is */
	error = docket_ids_each(repo, rev, id, 0, find_cb, &st);
	if (error > 0)
		error = docket_error_set(DOCKET_ERROR, "out of memory");
	if (error < 0 && !st.found) {
		docket_buf_free(&st.others);
		return error;
	}
	if (error >= 0 && st.dup) {
		/* two files, one id: which one is "the" document is not for docket to guess */
		docket_name_quote(q, sizeof(q), st.found);
		error = docket_error_set(DOCKET_EINVALID, "the id '%s' names %d files: '%s'%s%s; the repository "
		                         "is damaged (see 'docket audit'): a document id must name one file",
		                         id, st.dup + 1, q, st.others.ptr ? st.others.ptr : "",
		                         st.dup > 8 ? ", ..." : "");
	} else if (error >= 0 && !st.found) {
		error = docket_error_set(DOCKET_ENOTFOUND, "no document with the id '%s'", id);
	} else if (error >= 0 && (why = docket_layout_check(st.found, 1)) != NULL) {
		docket_name_quote(q, sizeof(q), st.found);
		error = docket_error_set(DOCKET_EINVALID, "the document '%s' is at '%s', outside the layout "
		                         "docket keeps: %s (docs/format.md; see 'docket audit')", id, q, why);
	} else if (error >= 0) {
		*out = st.found;
		st.found = NULL;
		error = 0;
	}
	free(st.found);
	docket_buf_free(&st.others);
	return error;
}

/*
 * How many files documents/KIND/YEAR/UNIT/ID.xml of TREE (a commit's root tree) hold ID:
 * the kind, year and unit folders are read, not the documents, so this costs one lookup per
 * unit folder however many documents there are.
 */
int docket_tree_count_id(size_t *out, docket_repo *repo, git_tree *tree, const char *id)
{
	git_repository *git = docket_repo_git(repo);
	git_tree_entry *docs = NULL;
	git_tree *dt = NULL, *kt = NULL, *yt = NULL, *ut = NULL;
	char name[DOCKET_ID_MAX + 8];
	size_t k, y, u;
	int error = 0;

	*out = 0;
	if (snprintf(name, sizeof(name), "%s.xml", id) >= (int)sizeof(name))
		return 0; /* not an id: no document can have it */
	if (git_tree_entry_bypath(&docs, tree, "documents") < 0 || git_tree_entry_type(docs) != GIT_OBJECT_TREE) {
		git_tree_entry_free(docs);
		docket_error_clear();
		return 0;
	}
	if (git_tree_lookup(&dt, git, git_tree_entry_id(docs)) < 0)
		goto fail;
	for (k = 0; k < git_tree_entrycount(dt); k++) {
		const git_tree_entry *ke = git_tree_entry_byindex(dt, k);
		if (git_tree_entry_type(ke) != GIT_OBJECT_TREE)
			continue;
		git_tree_free(kt);
		kt = NULL;
		if (git_tree_lookup(&kt, git, git_tree_entry_id(ke)) < 0)
			goto fail;
		for (y = 0; y < git_tree_entrycount(kt); y++) {
			const git_tree_entry *ye = git_tree_entry_byindex(kt, y);
			if (git_tree_entry_type(ye) != GIT_OBJECT_TREE)
				continue;
			git_tree_free(yt);
			yt = NULL;
			if (git_tree_lookup(&yt, git, git_tree_entry_id(ye)) < 0)
				goto fail;
			for (u = 0; u < git_tree_entrycount(yt); u++) {
				const git_tree_entry *ue = git_tree_entry_byindex(yt, u);
				if (git_tree_entry_type(ue) != GIT_OBJECT_TREE)
					continue;
				git_tree_free(ut);
				ut = NULL;
				if (git_tree_lookup(&ut, git, git_tree_entry_id(ue)) < 0)
					goto fail;
				if (git_tree_entry_byname(ut, name))
					(*out)++;
			}
		}
	}
	goto cleanup;
fail:
	error = docket_error_git(DOCKET_ERROR, "cannot read the documents/ tree");
cleanup:
	git_tree_free(ut);
	git_tree_free(yt);
	git_tree_free(kt);
	git_tree_free(dt);
	git_tree_entry_free(docs);
	return error;
}

int docket_doc_load(docket_doc **out, docket_repo *repo, const char *id, const char *rev)
{
	char *path = NULL, *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	if ((error = docket_doc_find(&path, repo, id, rev)) < 0)
		goto cleanup;
	if ((error = docket_repo_read(&buf, &len, repo, rev, path)) < 0)
		goto cleanup;
	error = docket_doc_parse(out, buf, len, path);
cleanup:
	free(path);
	free(buf);
	return error;
}

/* --- schemas ------------------------------------------------------------------------------ */

typedef struct {
	docket_repo *repo;
	const char *rev;
	docket_schema_file files[32];
	char *bufs[32];
	char *names[32];
	size_t n;
	int error;
} repo_schemas;

static int collect_schema(const char *path, void *payload)
{
	repo_schemas *rs = payload;
	const char *name = path + strlen(".docket/schemas/");
	size_t len;

	if (!strstr(name, ".xsd") || strchr(name, '/'))
		return 0;
	if (rs->n == 32) {
		rs->error = docket_error_set(DOCKET_EINVALID, "too many schema files in .docket/schemas");
		return 1;
	}
	if ((rs->error = docket_repo_read(&rs->bufs[rs->n], &len, rs->repo, rs->rev, path)) < 0)
		return 1;
	if (!(rs->names[rs->n] = docket_strdup(name))) {
		free(rs->bufs[rs->n]);
		rs->error = docket_error_set(DOCKET_ERROR, "out of memory");
		return 1;
	}
	rs->files[rs->n].name = rs->names[rs->n];
	rs->files[rs->n].data = rs->bufs[rs->n];
	rs->files[rs->n].len = len;
	rs->n++;
	return 0;
}

int docket_schema_load(docket_schema **out, docket_repo *repo, const char *rev)
{
	return docket_schema_load_entry(out, repo, rev, "docket.xsd");
}

int docket_schema_load_entry(docket_schema **out, docket_repo *repo, const char *rev,
                             const char *entry)
{
	repo_schemas rs;
	size_t i;
	int error;

	memset(&rs, 0, sizeof(rs));
	rs.repo = repo;
	rs.rev = rev;
	*out = NULL;
	error = docket_repo_walk(repo, rev, ".docket/schemas/", collect_schema, &rs);
	if (error >= 0 && !rs.error) {
		if (rs.n == 0)
			error = docket_error_set(DOCKET_EINVALID, "the repository has no .docket/schemas/");
		else
			error = docket_schema_compile(out, rs.files, rs.n, ".docket/schemas", entry);
	} else if (rs.error) {
		error = rs.error;
	}
	for (i = 0; i < rs.n; i++) {
		free(rs.bufs[i]);
		free(rs.names[i]);
	}
	return error;
}
