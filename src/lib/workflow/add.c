/*
 * add: documents entering the repository. A document is validated - schemas pinned at the
 * tip it will be committed on, the document rules, its workflow steps - given its stable
 * place, and committed as one commit (docket_store_add_new).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "workflow_internal.h"
#include "docket/store.h"

/* A fresh draft: no number, no workflow history, no signatures. */
static void reset_to_draft(docket_doc *doc)
{
	xmlNodePtr root = xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc));
	xmlNodePtr code = docket_xml_path(root, DOCKET_NS, "header/code");
	const char *drop[] = { "workflow", "signatures" };

	for (size_t i = 0; i < 2; i++) {
		xmlNodePtr n = docket_xml_child(root, DOCKET_NS, drop[i]);
		if (n) {
			if (n->prev && n->prev->type == XML_TEXT_NODE && xmlIsBlankNode(n->prev)) {
				xmlNodePtr ws = n->prev;
				xmlUnlinkNode(ws);
				xmlFreeNode(ws);
			}
			xmlUnlinkNode(n);
			xmlFreeNode(n);
		}
	}
	if (code) {
		xmlNodePtr num = docket_xml_child(code, DOCKET_NS, "number");
		xmlNodePtr nota = docket_xml_child(code, DOCKET_NS, "notation");
		if (num)
			xmlNodeSetContent(num, NULL);
		if (nota)
			xmlNodeSetContent(nota, NULL);
	}
}

int docket_add_buffer(docket_add_result *out, docket_repo *repo, const char *buf, size_t len,
                      const char *name, const docket_add_options *opts)
{
	const char *id = opts ? opts->id : NULL;
	docket_config *cfg = NULL;
	docket_person person;
	const char *fallback_unit = NULL;
	docket_doc *doc = NULL;
	docket_schema *schema = NULL;
	char *serialized = NULL;
	size_t slen = 0;
	const char *data = buf, *actor = opts ? opts->actor : NULL;
	char *path = NULL;
	int error;

	memset(out, 0, sizeof(*out));
	if (opts && (error = docket_options_check(opts->version, DOCKET_ADD_OPTIONS_VERSION, "docket_add_options",
	                                          "DOCKET_ADD_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_findings_new(&out->findings)) < 0)
		goto cleanup;
	if (id && !docket_id_valid(id)) {
		char q[256];
		docket_name_quote(q, sizeof(q), id);
		error = docket_error_set(DOCKET_EINVALID, "the document id '%s' is not allowed: an id is 1 to %d "
		                         "lowercase ASCII letters, digits, '.', '_' and '-', starting with a letter "
		                         "or a digit (docs/format.md)", q, DOCKET_ID_MAX);
		goto cleanup;
	}
	if ((error = docket_doc_parse(&doc, buf, len, name)) < 0) {
		error = docket_validate_buffer(out->findings, NULL, buf, len, name, NULL, NULL);
		error = error < 0 && error != DOCKET_EINVALID ? error : DOCKET_EINVALID;
		goto cleanup;
	}
	if (actor) {
		if ((error = docket_config_load(&cfg, repo, NULL)) < 0)
			goto cleanup;
		if (docket_config_person(&person, cfg, actor) < 0) {
			error = docket_error_set(DOCKET_EDENIED, "'%s' is not a person of this organisation "
			                         "(see 'docket person list')", actor);
			goto cleanup;
		}
		fallback_unit = person.unit;
	}
	if (id || (opts && opts->draft)) {
		if (id && (error = docket_doc_set_id(doc, id)) < 0)
			goto cleanup;
		if (opts && opts->draft)
			reset_to_draft(doc);
		if ((error = docket_doc_serialize(&serialized, &slen, doc)) < 0)
			goto cleanup;
		data = serialized;
		len = slen;
		/* validate what will be committed, with its new id */
		docket_doc_free(doc);
		doc = NULL;
		if ((error = docket_doc_parse(&doc, serialized, slen, name)) < 0)
			goto cleanup;
	}
	if ((error = docket_schema_load(&schema, repo, NULL)) < 0)
		goto cleanup;
	if ((error = docket_validate(out->findings, schema, doc, repo, NULL)) < 0)
		goto cleanup;
	if (docket_findings_count(out->findings)) {
		error = docket_error_set(DOCKET_EINVALID, "'%s' is not valid", name);
		goto cleanup;
	}
	if (!(opts && opts->draft)) {
		/* a numbered document of a kind docket numbers was issued: added as a draft it would
		 * show a number no register knows, and issuing it would number it again. (A school's
		 * report keeps the number its school gave it: docket numbers no report.) */
		xmlNodePtr code = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS,
		                                  "header/code");
		char *num = docket_xml_text_trim(docket_xml_child(code, DOCKET_NS, "number"));
		char *nota = docket_xml_text_trim(docket_xml_child(code, DOCKET_NS, "notation"));
		docket_workflow *wf = NULL;
		int numbered = num && *num && docket_doc_kind(doc) &&
		               docket_workflow_load(&wf, repo, NULL, docket_doc_kind(doc)) == 0 &&
		               docket_workflow_numbering(wf) != NULL;
		docket_workflow_free(wf);
		docket_error_clear();
		if (numbered)
			error = docket_error_set(DOCKET_EDENIED, "'%s' carries the number %s/%s: a document issued elsewhere "
			                         "is recorded with 'docket import', one to issue here again is added with "
			                         "'docket add --draft' (which drops the number)", name, num, nota ? nota : "");
		free(num);
		free(nota);
		if (numbered)
			goto cleanup;
	}
	{
		char *year = docket_time_now_iso();
		if (year)
			year[4] = '\0';
		error = docket_doc_path(&path, doc, year, fallback_unit);
		free(year);
		if (error < 0)
			goto cleanup;
	}
	if (!cfg && (error = docket_config_load(&cfg, repo, NULL)) < 0)
		goto cleanup;
	{
		char what[320];
		snprintf(what, sizeof(what), "add '%.256s'", docket_doc_id(doc) ? docket_doc_id(doc) : name);
		if ((error = docket_commit_signing_check(repo, cfg, actor, NULL, NULL, what)) < 0)
			goto cleanup;
	}
	if ((error = docket_store_add_new(out->commit, repo, doc, path, data, len, actor)) < 0)
		goto cleanup;
	out->id = docket_strdup(docket_doc_id(doc));
	out->path = path;
	path = NULL;
cleanup:
	free(path);
	free(serialized);
	docket_config_free(cfg);
	docket_schema_free(schema);
	docket_doc_free(doc);
	return error;
}

int docket_add_file(docket_add_result *out, docket_repo *repo, const char *file,
                    const docket_add_options *opts)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	memset(out, 0, sizeof(*out));
	if (opts && (error = docket_options_check(opts->version, DOCKET_ADD_OPTIONS_VERSION, "docket_add_options",
	                                          "DOCKET_ADD_OPTIONS_INIT")) < 0)
		return error;
	if ((error = docket_doc_read_file(&buf, &len, file)) < 0) {
		if (error == DOCKET_EINVALID && docket_findings_new(&out->findings) == 0)
			docket_findings_add(out->findings, file, 1, 1, "%s", docket_error_last());
		return error;
	}
	error = docket_add_buffer(out, repo, buf, len, file, opts);
	free(buf);
	return error;
}

void docket_add_result_free(docket_add_result *r)
{
	if (!r)
		return;
	free(r->id);
	free(r->path);
	docket_findings_free(r->findings);
	memset(r, 0, sizeof(*r));
}

int docket_add_options_init(docket_add_options *opts, unsigned int version)
{
	const docket_add_options init = DOCKET_ADD_OPTIONS_INIT;
	int error;

	if (!opts)
		return docket_error_set(DOCKET_EUSAGE, "docket_add_options_init: no structure");
	if ((error = docket_options_check(version, DOCKET_ADD_OPTIONS_VERSION, "docket_add_options",
	                                  "DOCKET_ADD_OPTIONS_INIT")) < 0)
		return error;
	*opts = init;
	return 0;
}
