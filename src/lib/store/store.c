/*
 * store: a new document entering the repository as one commit. The existence check runs
 * inside the transaction, so two writers adding the same id at once cannot both succeed.
 * Checking the document first (schemas, configuration, workflow) is the caller's business:
 * see docket_add_buffer in the workflow layer.
 */
#include <stdlib.h>
#include <string.h>
#include "store_internal.h"

typedef struct {
	docket_doc *doc;
	const char *data;
	size_t len;
	const char *path;
	const char *actor;
} add_payload;

static int add_fill(docket_txn *txn, void *payload)
{
	add_payload *p = payload;
	docket_repo *repo = docket_txn_repo(txn);
	const char *id = docket_doc_id(p->doc);
	char *existing = NULL;
	docket_buf msg = DOCKET_BUF_INIT;
	int error;

	error = docket_doc_find(&existing, repo, id, docket_txn_base(txn)[0] ? docket_txn_base(txn) : NULL);
	if (error == 0) {
		error = docket_error_set(DOCKET_EEXISTS, "a document with the id '%s' exists already at %s",
		                         id, existing);
		goto cleanup;
	}
	if (error != DOCKET_ENOTFOUND)
		goto cleanup;
	if ((error = docket_txn_write(txn, p->path, p->data, p->len)) < 0)
		goto cleanup;
	if ((error = docket_buf_printf(&msg, "docket: add %s\n\nDocket-Document: %s\nDocket-Action: add\n",
	                               id, id)) < 0 ||
	    (p->actor && (error = docket_buf_printf(&msg, "Docket-Actor: %s\n", p->actor)) < 0) ||
	    (error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
cleanup:
	free(existing);
	docket_buf_free(&msg);
	return error;
}

int docket_store_add_new(char out_commit[41], docket_repo *repo, docket_doc *doc, const char *path,
                         const char *data, size_t len, const char *actor)
{
	add_payload p = { doc, data, len, path, actor };

	return docket_repo_transact(out_commit, repo, add_fill, &p);
}
