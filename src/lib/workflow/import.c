/*
 * import: documents issued outside docket - a paper archive, another office's system -
 * recorded as what they are: issued, with their own number and date. The records clerk (the
 * role that may take the workflow's numbering transition) records one in a single commit:
 * the document enters in the state that transition leads to, with one workflow step
 * "import" that says who recorded it, when, and from where (the provenance), and its number
 * enters its issuer's register for its year, so the next number docket gives there is one
 * more than the highest known. Nothing is signed in the document: docket saw no one sign it.
 * The commit is the clerk's, signed like every action.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "workflow_internal.h"

#define N(parent, name) docket_xml_child((parent), DOCKET_NS, (name))

const docket_transition_def *docket_workflow_numbering(const docket_workflow *wf)
{
	for (size_t i = 0; i < docket_workflow_transition_count(wf); i++) {
		const docket_transition_def *t = docket_workflow_transition_at(wf, i);
		if (t->assign_number)
			return t;
	}
	return NULL;
}

typedef struct {
	const docket_import_options *o;
	docket_action_result *out;
	const char *buf;
	size_t len;
	const char *name;
} import_ctx;

static int import_fill(docket_txn *txn, void *payload)
{
	import_ctx *c = payload;
	const docket_import_options *o = c->o;
	docket_repo *repo = docket_txn_repo(txn);
	const char *base = docket_txn_base(txn)[0] ? docket_txn_base(txn) : NULL;
	docket_doc *doc = NULL, *final = NULL;
	docket_config *cfg = NULL;
	docket_workflow *wf = NULL;
	docket_schema *schema = NULL;
	docket_person person;
	docket_buf why = DOCKET_BUF_INIT, msg = DOCKET_BUF_INIT;
	const docket_transition_def *t;
	char *now = NULL, *unit = NULL, *path = NULL, *existing = NULL, *newbuf = NULL;
	char *date = NULL;
	size_t newlen = 0;
	const char *id, *role;
	xmlNodePtr root;
	int error;

	if ((error = docket_doc_parse(&doc, c->buf, c->len, c->name)) < 0)
		goto cleanup;
	if (o->id && (error = docket_doc_set_id(doc, o->id)) < 0)
		goto cleanup;
	id = docket_doc_id(doc);
	root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	if ((error = docket_txn_actor(&cfg, &person, txn, o->actor,
	                              "who is recording it? give --as CLERK or set DOCKET_ACTOR")) < 0)
		goto cleanup;
	if ((error = docket_message_check(o->message, "cannot import")) < 0)
		goto cleanup;
	if ((error = docket_workflow_load(&wf, repo, base, docket_doc_kind(doc))) < 0)
		goto cleanup;
	if (!(t = docket_workflow_numbering(wf))) {
		error = docket_error_set(DOCKET_EDENIED, "cannot import '%s': the %s workflow numbers no document, so "
		                         "no %s is issued with a number; add it with 'docket add'", id,
		                         docket_doc_kind(doc), docket_doc_kind(doc));
		goto cleanup;
	}
	if (N(root, "workflow") || N(root, "signatures")) {
		error = docket_error_set(DOCKET_EINVALID, "cannot import '%s': it carries %s; import records a document "
		                         "issued outside docket, as issued on paper (a document of docket's own is "
		                         "pulled or added, not imported)", c->name,
		                         N(root, "workflow") ? "workflow steps" : "signatures");
		goto cleanup;
	}
	{
		char *abbr = docket_xml_text_trim(docket_xml_path(root, DOCKET_NS, "header/issuer/abbr"));
		int known = docket_issuer_known(cfg, abbr);
		if (!known) {
			docket_org org;
			docket_config_org(&org, cfg);
			error = docket_error_set(DOCKET_EDENIED, "cannot import '%s': its issuer '%s' is neither the organisation "
			                         "('%s') nor one of its units; import records the organisation's own issued "
			                         "documents, numbered in its registers", id, abbr ? abbr : "",
			                         org.abbr ? org.abbr : "");
		}
		free(abbr);
		if (!known)
			goto cleanup;
	}
	unit = docket_doc_unit_text(doc);
	docket_error_clear();
	if (!(role = docket_authorise(t, &person, cfg, doc, unit, &why))) {
		error = docket_error_set(DOCKET_EDENIED, "cannot import '%s': recording an issued document is the work "
		                         "of whoever may '%s' it: %s", id, t->id, why.ptr);
		goto cleanup;
	}
	if (!(now = o->now ? docket_strdup(o->now) : docket_time_now_iso())) {
		error = docket_error_code() < 0 ? docket_error_code() : docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	/* the register first: it refuses a document without number and date, or a number taken */
	if ((error = docket_number_record(txn, root, id, c->out)) < 0)
		goto cleanup;
	if ((error = docket_doc_take_step(root, docket_workflow_initial(wf), now, o->actor, role,
	                                  DOCKET_IMPORT_TRANSITION, docket_workflow_initial(wf), t->to,
	                                  o->message)) < 0 ||
	    (error = docket_doc_serialize(&newbuf, &newlen, doc)) < 0 ||
	    (error = docket_doc_parse(&final, newbuf, newlen, c->name)) < 0)
		goto cleanup;
	/* what is committed must validate as it will be read back: schemas, rules, the step */
	if ((error = docket_schema_load(&schema, repo, base)) < 0)
		goto cleanup;
	docket_findings_free(c->out->findings);
	c->out->findings = NULL;
	if ((error = docket_findings_new(&c->out->findings)) < 0 ||
	    (error = docket_validate(c->out->findings, schema, final, repo, base)) < 0)
		goto cleanup;
	if (docket_findings_count(c->out->findings)) {
		error = docket_error_set(DOCKET_EINVALID, "cannot import '%s': it is not valid", c->name);
		goto cleanup;
	}
	error = docket_doc_find(&existing, repo, id, base);
	if (error == 0) {
		error = docket_error_set(DOCKET_EEXISTS, "a document with the id '%s' exists already at %s", id, existing);
		goto cleanup;
	}
	if (error != DOCKET_ENOTFOUND)
		goto cleanup;
	docket_error_clear();
	date = docket_xml_text_trim(N(N(root, "header"), "date"));
	if (date && strlen(date) >= 4)
		date[4] = '\0';
	if ((error = docket_doc_path(&path, final, date, person.unit)) < 0)
		goto cleanup;
	why.len = 0;
	docket_buf_printf(&why, "import '%s'", id);
	if ((error = docket_commit_signing_check(repo, cfg, o->actor, DOCKET_IMPORT_TRANSITION, NULL, why.ptr)) < 0)
		goto cleanup;
	if ((error = docket_txn_write(txn, path, newbuf, newlen)) < 0)
		goto cleanup;
	docket_buf_printf(&msg, "docket: import %s (issued %s)\n\n", id, c->out->number);
	if (o->message && *o->message)
		docket_buf_printf(&msg, "%s\n\n", o->message);
	docket_buf_printf(&msg, "Docket-Document: %s\nDocket-Transition: %s\nDocket-From: %s\nDocket-To: %s\n"
	                  "Docket-Actor: %s\nDocket-Role: %s\nDocket-Number: %s\n", id, DOCKET_IMPORT_TRANSITION,
	                  docket_workflow_initial(wf), t->to, o->actor, role, c->out->number);
	if ((error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
	free(c->out->id);
	free(c->out->path);
	free(c->out->from);
	free(c->out->to);
	c->out->id = docket_strdup(id);
	c->out->path = path;
	path = NULL;
	c->out->from = docket_strdup(docket_workflow_initial(wf));
	c->out->to = docket_strdup(t->to);
	error = 0;
cleanup:
	free(now);
	free(unit);
	free(path);
	free(existing);
	free(newbuf);
	free(date);
	docket_buf_free(&why);
	docket_buf_free(&msg);
	docket_doc_free(doc);
	docket_doc_free(final);
	docket_config_free(cfg);
	docket_workflow_free(wf);
	docket_schema_free(schema);
	return error;
}

int docket_import_buffer(docket_action_result *out, docket_repo *repo, const char *buf, size_t len,
                         const char *name, const docket_import_options *opts)
{
	import_ctx c;
	int error;

	memset(out, 0, sizeof(*out));
	if (!repo || !buf || !opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_import_buffer: a repository, a document and options "
		                        "are required");
	if ((error = docket_options_check(opts->version, DOCKET_IMPORT_OPTIONS_VERSION, "docket_import_options",
	                                  "DOCKET_IMPORT_OPTIONS_INIT")) < 0)
		return error;
	if (opts->id && !docket_id_valid(opts->id))
		return docket_error_set(DOCKET_EINVALID, "the document id '%s' is not allowed (docs/format.md)", opts->id);
	c.o = opts;
	c.out = out;
	c.buf = buf;
	c.len = len;
	c.name = name ? name : "-";
	if (opts->key)
		docket_repo_set_commit_signer(repo, docket_sshsig_commit_signer, opts->key);
	error = docket_repo_transact(out->commit, repo, import_fill, &c);
	if (opts->key)
		docket_repo_set_commit_signer(repo, NULL, NULL);
	return error;
}

int docket_import_file(docket_action_result *out, docket_repo *repo, const char *file,
                       const docket_import_options *opts)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if ((error = docket_doc_read_file(&buf, &len, file)) < 0) {
		if (error == DOCKET_EINVALID && docket_findings_new(&out->findings) == 0)
			docket_findings_add(out->findings, file, 1, 1, "%s", docket_error_last());
		return error;
	}
	error = docket_import_buffer(out, repo, buf, len, file, opts);
	free(buf);
	return error;
}

int docket_import_options_init(docket_import_options *opts, unsigned int version)
{
	const docket_import_options init = DOCKET_IMPORT_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_import_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_IMPORT_OPTIONS_VERSION, "docket_import_options",
	                                  "DOCKET_IMPORT_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}
