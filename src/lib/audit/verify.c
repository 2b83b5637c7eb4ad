/*
 * verify: does every signature of a document still hold, and was each made by the right
 * person? The cryptography (chain to the caller's anchor, validity at signing time,
 * digests, wrapping defences) is xmldsig.c's; this file ties each signature to the workflow
 * step it belongs to: the person who took that transition, their certificate as recorded
 * in the configuration of the commit that added the signature, and the roles the workflow in
 * force there allowed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <libxml/tree.h>
#include "audit_internal.h"
#include "docket/doc.h"
#include "docket/config.h"
#include "docket/workflow.h"
#include "docket/history.h"
#include "docket/audit.h"
#include "docket/sign.h"


void docket_verify_items_free(docket_verify_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].id);
		free(items[i].signer);
		free(items[i].person);
		free(items[i].time);
		free(items[i].meaning);
		free(items[i].transition);
		free(items[i].problem);
	}
	free(items);
}

/* The commit of HIST in which document version first carries signature SIGID. */
static int commit_adding(char out[41], docket_repo *repo, const docket_history_list *hist, const char *sigid)
{
	for (size_t i = 0; i < hist->n; i++) {
		char *buf = NULL;
		size_t len = 0;
		int found;
		if (docket_repo_read(&buf, &len, repo, hist->commits[i], hist->paths[i]) < 0) {
			docket_error_clear();
			continue;
		}
		/* a cheap test first; the Id attribute is written by docket as Id="sig-N" */
		{
			char pat[96];
			snprintf(pat, sizeof(pat), "Id=\"%s\"", sigid);
			found = strstr(buf, pat) != NULL;
		}
		free(buf);
		if (found) {
			memcpy(out, hist->commits[i], 41);
			return 0;
		}
	}
	return DOCKET_ENOTFOUND;
}

/*
 * The actor of the step a signature is for (malloc'd), or NULL: step STEP when it is bound to
 * one (1-based), else the last step taking TRANSITION.
 */
static char *step_actor(docket_doc *doc, const char *transition, int step)
{
	xmlNodePtr s;
	char *actor = NULL;
	int k = 0;

	for (s = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS, "workflow/step");
	     s; s = docket_xml_next(s)) {
		xmlChar *t = xmlGetNoNsProp(s, (const xmlChar *)"transition");
		k++;
		if (t && transition && strcmp((const char *)t, transition) == 0 && (step <= 0 || k == step)) {
			xmlChar *a = xmlGetNoNsProp(s, (const xmlChar *)"actor");
			free(actor);
			actor = a ? docket_strdup((const char *)a) : NULL;
			xmlFree(a);
		}
		xmlFree(t);
	}
	return actor;
}

static int cert_is(const char *pem, X509 *cert)
{
	X509 *x;
	int same;

	if (!pem || !cert)
		return 0;
	x = docket_cert_from_pem(pem, -1);
	same = x && X509_cmp(x, cert) == 0;
	X509_free(x);
	return same;
}

static void judge(docket_verify_item *it, const docket_sig_result *r, docket_repo *repo, docket_doc *doc,
                  const docket_history_list *hist)
{
	char commit[41], problem[600] = "";
	docket_config *cfg = NULL;
	docket_workflow *wf = NULL;
	docket_person p;
	char *actor = step_actor(doc, r->transition, r->step);

	it->person = docket_strdup(actor ? actor : "?");
	if (r->status != DOCKET_SIG_OK) {
		snprintf(problem, sizeof(problem), "%s", r->reason ? r->reason : "verification failed");
		goto done;
	}
	if (!actor) {
		snprintf(problem, sizeof(problem), "no workflow step took '%s', the transition this signature is for",
		         r->transition ? r->transition : "?");
		goto done;
	}
	if (commit_adding(commit, repo, hist, r->id) < 0) {
		snprintf(problem, sizeof(problem), "no commit in the history added this signature");
		goto done;
	}
	if (docket_config_load(&cfg, repo, commit) < 0 || docket_config_person(&p, cfg, actor) < 0) {
		snprintf(problem, sizeof(problem), "'%s' was not a person of the organisation when it was signed", actor);
		goto done;
	}
	if (!cert_is(p.cert, docket_cert_x509(r->cert))) {
		snprintf(problem, sizeof(problem), "signed with a certificate that is not the one recorded for '%s'", actor);
		goto done;
	}
	/* a certificate recorded for two people does not say which of them signed: the key's
	 * holder may be the other one, who need not hold the role */
	for (size_t k = 0; k < docket_config_person_count(cfg); k++) {
		docket_person q;
		if (docket_config_person_at(&q, cfg, k) == 0 && strcmp(q.id, p.id) != 0 && cert_is(q.cert, docket_cert_x509(r->cert))) {
			snprintf(problem, sizeof(problem), "the certificate recorded for '%s' is also recorded for '%s', "
			         "so it does not identify the signer", actor, q.id);
			goto done;
		}
	}
	if (docket_workflow_load(&wf, repo, commit, docket_doc_kind(doc)) == 0) {
		const docket_transition_def *t = docket_workflow_transition(wf, r->transition);
		int role = 0;
		for (size_t k = 0; t && k < t->nallow; k++)
			role |= docket_person_has_role(&p, t->allow[k].role);
		if (!t)
			snprintf(problem, sizeof(problem), "'%s' is not a transition of the workflow in force", r->transition);
		else if (!role)
			snprintf(problem, sizeof(problem), "'%s' did not hold a role allowed to %s (%s)", actor, t->id,
			         t->nallow ? t->allow[0].role : "none");
		else if (!t->signature)
			snprintf(problem, sizeof(problem), "the workflow does not ask for a signature at '%s'", t->id);
		else if (r->step > 0) {
			/* a return to an editable state after its step drops the signatures made before it:
			 * one still here was put back (replayed) */
			xmlNodePtr s = docket_xml_path(xmlDocGetRootElement((xmlDocPtr)docket_doc_xml(doc)), DOCKET_NS,
			                               "workflow/step");
			int k = 0;
			for (; s && !problem[0]; s = docket_xml_next(s)) {
				xmlChar *to = xmlGetNoNsProp(s, (const xmlChar *)"to");
				if (++k > r->step && to && docket_workflow_is_editable(wf, (const char *)to))
					snprintf(problem, sizeof(problem), "signature replayed: it was made at step %d, and step %d "
					         "sent the document back to '%s', which voids every signature made before it",
					         r->step, k, (const char *)to);
				xmlFree(to);
			}
		}
	}
done:
	docket_error_clear();
	it->ok = problem[0] == '\0';
	it->problem = it->ok ? NULL : docket_strdup(problem);
	free(actor);
	docket_config_free(cfg);
	docket_workflow_free(wf);
}

int docket_verify_document(docket_verify_item **out, size_t *nout, docket_repo *repo, const char *id,
                           const char *trust)
{
	docket_doc *doc = NULL;
	docket_sig_result *res = NULL;
	docket_verify_item *items = NULL;
	docket_history_list hist;
	size_t n = 0, i;
	int error;

	*out = NULL;
	*nout = 0;
	memset(&hist, 0, sizeof(hist));
	if (!trust)
		return docket_error_set(DOCKET_EUSAGE, "verification needs a trust anchor");
	if ((error = docket_doc_load(&doc, repo, id, NULL)) < 0)
		return error;
	if ((error = docket_history_for(&hist, repo, docket_doc_id(doc))) < 0)
		goto cleanup;
	error = docket_xmldsig_verify_xml(&res, &n, (xmlDocPtr)docket_doc_xml(doc), trust);
	if (error < 0 && error != DOCKET_EVERIFY)
		goto cleanup;
	docket_error_clear();
	if (n && !(items = calloc(n, sizeof(*items)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	for (i = 0; i < n; i++) {
		items[i].id = docket_strdup(res[i].id ? res[i].id : "");
		items[i].signer = docket_strdup(res[i].signer ? res[i].signer : "unknown");
		items[i].time = docket_strdup(res[i].signing_time_text ? res[i].signing_time_text : "");
		items[i].meaning = docket_strdup(docket_meaning_word(res[i].commitment));
		items[i].transition = docket_strdup(res[i].transition ? res[i].transition : "");
		judge(&items[i], &res[i], repo, doc, &hist);
	}
	*out = items;
	*nout = n;
	items = NULL;
	error = 0;
cleanup:
	docket_verify_items_free(items, n);
	docket_sig_results_free(res, n);
	docket_history_list_free(&hist);
	docket_doc_free(doc);
	return error;
}
