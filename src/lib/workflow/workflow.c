/*
 * workflow: workflow definitions as data. A definition names its states (one initial;
 * editable states where content may change; final states lead only to final states: the corrections, replacement and recall of an issued document) and its
 * transitions (from-states, to-state, who may take them in which unit scope, separation of
 * duties, reason and signature requirements, side effects). The engine (action.c) is
 * generic; this file only reads definitions and proves them consistent.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include "workflow_internal.h"

typedef struct {
	char *id;
	int initial, editable, final;
	int line;
	/* who may change the content in this (editable) state: its <allow> children, when it has
	 * any; nallow 0 means the default, drafters and reviewers of the drafting unit */
	docket_transition_def edit;
	docket_allow *allow;
	char **roles;
} state_rec;

typedef struct {
	docket_transition_def def;
	char *id, *to, *signature;
	char **from;
	char **separate;
	docket_allow *allow;
	char **roles;
	int line;
} transition_rec;

struct docket_workflow {
	char *kind;
	state_rec *states;
	size_t nstates;
	transition_rec *transitions;
	size_t ntransitions;
	const char *initial;
};

static int is_true(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	int r = v && (strcmp((const char *)v, "true") == 0 || strcmp((const char *)v, "1") == 0);
	xmlFree(v);
	return r;
}

static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/* Split a space-separated list into a NULL-terminated array of strings. */
static char **split_words(const char *s)
{
	char **out = calloc(strlen(s ? s : "") / 2 + 2, sizeof(char *));
	size_t n = 0;

	if (!out)
		return NULL;
	while (s && *s) {
		const char *b;
		while (*s == ' ' || *s == '\t' || *s == '\n')
			s++;
		b = s;
		while (*s && *s != ' ' && *s != '\t' && *s != '\n')
			s++;
		if (s > b)
			out[n++] = docket_strndup(b, (size_t)(s - b));
	}
	return out;
}

static void free_words(char **w)
{
	if (!w)
		return;
	for (char **p = w; *p; p++)
		free(*p);
	free(w);
}

void docket_workflow_free(docket_workflow *wf)
{
	size_t i;
	if (!wf)
		return;
	for (i = 0; i < wf->nstates; i++) {
		free(wf->states[i].id);
		free(wf->states[i].allow);
		free_words(wf->states[i].roles);
	}
	for (i = 0; i < wf->ntransitions; i++) {
		transition_rec *t = &wf->transitions[i];
		free(t->id);
		free(t->to);
		free(t->signature);
		free_words(t->from);
		free_words(t->separate);
		free_words(t->roles);
		free(t->allow);
	}
	free(wf->states);
	free(wf->transitions);
	free(wf->kind);
	free(wf);
}

static const state_rec *find_state(const docket_workflow *wf, const char *id)
{
	size_t i;
	for (i = 0; id && i < wf->nstates; i++)
		if (strcmp(wf->states[i].id, id) == 0)
			return &wf->states[i];
	return NULL;
}

static void add_at(docket_findings *f, const char *name, int line, const char *fmt, ...) DOCKET_PRINTF(4, 5);
static void add_at(docket_findings *f, const char *name, int line, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	docket_findings_add(f, name, line, 1, "%s", msg);
}

static void add(docket_findings *f, const char *name, xmlNodePtr n, const char *fmt, ...) DOCKET_PRINTF(4, 5);
static void add(docket_findings *f, const char *name, xmlNodePtr n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	docket_findings_add(f, name, n ? (int)xmlGetLineNo(n) : 1, 1, "%s", msg);
}

/*
 * The <allow role scope> children of N into ALLOW and ROLES (both calloc'd, NULL-terminated
 * ROLES); their number into *NALLOW.
 */
static int parse_allows(docket_allow **allow, char ***roles, size_t *nallow, xmlNodePtr n)
{
	xmlNodePtr c;
	size_t k = 0;

	for (c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "allow"); c; c = docket_xml_next(c))
		k++;
	*allow = calloc(k + 1, sizeof(**allow));
	*roles = calloc(k + 1, sizeof(char *));
	if (!*allow || !*roles)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	k = 0;
	for (c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "allow"); c; c = docket_xml_next(c)) {
		char *scope = prop(c, "scope");
		(*roles)[k] = prop(c, "role");
		(*allow)[k].role = (*roles)[k];
		if (scope && strcmp(scope, "recipient-unit") == 0)
			(*allow)[k].scope = DOCKET_SCOPE_RECIPIENT_UNIT;
		else if (scope && strcmp(scope, "organisation") == 0)
			(*allow)[k].scope = DOCKET_SCOPE_ORGANISATION;
		else
			(*allow)[k].scope = DOCKET_SCOPE_DRAFTING_UNIT;
		free(scope);
		if ((*roles)[k])
			k++;
	}
	*nallow = k;
	return 0;
}

/* The consistency rules; returns the number of problems found. */
static int check(docket_workflow *wf, docket_findings *f, const char *name, xmlNodePtr root)
{
	int problems = 0, ninitial = 0;
	size_t i, j;
	unsigned char *seen;
	int changed = 1;

	for (i = 0; i < wf->nstates; i++)
		if (wf->states[i].initial) {
			ninitial++;
			wf->initial = wf->states[i].id;
		}
	if (ninitial != 1) {
		char count[16];
		snprintf(count, sizeof(count), "%d", ninitial);
		add(f, name, root, "the workflow must have exactly one initial state, not %s", count);
		problems++;
	}
	for (i = 0; i < wf->ntransitions; i++) {
		transition_rec *t = &wf->transitions[i];
		if (!find_state(wf, t->to)) {
			add_at(f, name, t->line, "transition '%s' goes to the unknown state '%s'", t->id, t->to);
			problems++;
		}
		for (char **s = t->from; s && *s; s++) {
			const state_rec *st = find_state(wf, *s);
			if (!st) {
				add_at(f, name, t->line, "transition '%s' leaves the unknown state '%s'", t->id, *s);
				problems++;
			} else if (st->final && find_state(wf, t->to) && !find_state(wf, t->to)->final) {
				/* after issue a document may only be corrected, replaced or recalled: it
				 * moves between final states, never back into the drafting */
				add_at(f, name, t->line, "transition '%s' leaves the final state '%s' for the state '%s', "
				       "which is not final", t->id, *s, t->to);
				problems++;
			}
		}
		for (char **s = t->separate; s && *s; s++) {
			int found = 0;
			for (j = 0; j < wf->ntransitions; j++)
				found |= strcmp(wf->transitions[j].id, *s) == 0;
			if (!found) {
				add_at(f, name, t->line, "transition '%s' is separated from the unknown transition '%s'", t->id, *s);
				problems++;
			}
		}
	}
	if (!wf->initial || !(seen = calloc(wf->nstates ? wf->nstates : 1, 1)))
		return problems;
	for (i = 0; i < wf->nstates; i++)
		seen[i] = strcmp(wf->states[i].id, wf->initial) == 0;
	while (changed) {
		changed = 0;
		for (i = 0; i < wf->ntransitions; i++) {
			transition_rec *t = &wf->transitions[i];
			int from_seen = 0;
			for (char **s = t->from; s && *s; s++)
				for (j = 0; j < wf->nstates; j++)
					if (seen[j] && strcmp(wf->states[j].id, *s) == 0)
						from_seen = 1;
			if (!from_seen)
				continue;
			for (j = 0; j < wf->nstates; j++)
				if (!seen[j] && strcmp(wf->states[j].id, t->to) == 0)
					seen[j] = changed = 1;
		}
	}
	for (i = 0; i < wf->nstates; i++)
		if (!seen[i]) {
			add_at(f, name, wf->states[i].line, "the state '%s' cannot be reached from the initial state '%s'",
			       wf->states[i].id, wf->initial);
			problems++;
		}
	free(seen);
	return problems;
}

int docket_workflow_parse(docket_workflow **out, docket_findings *findings, docket_schema *schema,
                          const char *buf, size_t len, const char *name)
{
	docket_workflow *wf = NULL;
	xmlDocPtr xml = NULL;
	xmlNodePtr root, n;
	size_t before = findings ? docket_findings_count(findings) : 0;
	int error;

	*out = NULL;
	if ((error = docket_xml_parse(&xml, buf, len, name)) < 0) {
		if (findings)
			docket_findings_add(findings, name, 1, 1, "%s", docket_error_last());
		return error;
	}
	root = xmlDocGetRootElement(xml);
	if (!docket_xml_is(root, DOCKET_WORKFLOW_NS, "workflow")) {
		error = docket_error_set(DOCKET_EINVALID, "%s: the root element must be {%s}workflow", name,
		                         DOCKET_WORKFLOW_NS);
		if (findings)
			docket_findings_add(findings, name, 1, 1, "the root element must be {%s}workflow",
			                    DOCKET_WORKFLOW_NS);
		goto cleanup;
	}
	if (schema) {
		docket_findings *local = NULL;
		if ((error = docket_findings_new(&local)) < 0)
			goto cleanup;
		docket_schema_check(local, schema, xml, name);
		if (docket_findings_count(local)) {
			const docket_finding *first = docket_findings_get(local, 0);
			for (size_t i = 0; findings && i < docket_findings_count(local); i++) {
				const docket_finding *x = docket_findings_get(local, i);
				docket_findings_add(findings, x->file, x->line, x->col, "%s", x->message);
			}
			error = docket_error_set(DOCKET_EINVALID, "%s:%d: %s", name, first->line, first->message);
			docket_findings_free(local);
			goto cleanup;
		}
		docket_findings_free(local);
	}
	if (!(wf = calloc(1, sizeof(*wf)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	wf->kind = prop(root, "kind");
	for (n = docket_xml_child(root, DOCKET_WORKFLOW_NS, "state"); n; n = docket_xml_next(n)) {
		state_rec *s = realloc(wf->states, (wf->nstates + 1) * sizeof(*s));
		if (!s) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		wf->states = s;
		s = &wf->states[wf->nstates++];
		memset(s, 0, sizeof(*s));
		s->id = prop(n, "id");
		if ((error = parse_allows(&s->allow, &s->roles, &s->edit.nallow, n)) < 0)
			goto cleanup;
		s->edit.id = "edit";
		s->edit.allow = s->allow;
		s->initial = is_true(n, "initial");
		s->editable = is_true(n, "editable");
		s->final = is_true(n, "final");
		s->line = (int)xmlGetLineNo(n);
		if (!s->id) {
			free(s->allow);
			free_words(s->roles);
			wf->nstates--;
			add(findings, name, n, "a state without an id");
		} else if (s->edit.nallow && !s->editable) {
			add(findings, name, n, "the state '%s' says who may edit it but is not editable", s->id);
		}
	}
	for (n = docket_xml_child(root, DOCKET_WORKFLOW_NS, "transition"); n; n = docket_xml_next(n)) {
		transition_rec *t = realloc(wf->transitions, (wf->ntransitions + 1) * sizeof(*t));
		xmlNodePtr c;
		size_t nallow = 0, nsep = 0;
		char *reason;

		if (!t) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		wf->transitions = t;
		t = &wf->transitions[wf->ntransitions++];
		memset(t, 0, sizeof(*t));
		t->id = prop(n, "id");
		t->to = prop(n, "to");
		t->line = (int)xmlGetLineNo(n);
		{
			char *from = prop(n, "from");
			t->from = split_words(from);
			free(from);
		}
		reason = prop(n, "reason");
		t->def.reason_required = reason && strcmp(reason, "required") == 0;
		free(reason);
		for (c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "separate"); c; c = docket_xml_next(c))
			nsep++;
		if ((error = parse_allows(&t->allow, &t->roles, &nallow, n)) < 0)
			goto cleanup;
		t->separate = calloc(nsep + 1, sizeof(char *));
		if (!t->separate) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		if (!t->id || !t->to || !t->from) {
			error = docket_error_set(DOCKET_EINVALID, "%s:%ld: transition needs id, from and to", name,
			                         xmlGetLineNo(n));
			add(findings, name, n, "a transition needs id, from and to");
			goto cleanup;
		}
		nsep = 0;
		for (c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "separate"); c; c = docket_xml_next(c))
			if ((t->separate[nsep] = prop(c, "from")) != NULL)
				nsep++;
		if ((c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "signature")) != NULL)
			t->signature = prop(c, "meaning");
		for (c = docket_xml_child(n, DOCKET_WORKFLOW_NS, "effect"); c; c = docket_xml_next(c)) {
			char *e = prop(c, "name");
			if (e && strcmp(e, "assign-number") == 0)
				t->def.assign_number = 1;
			else if (e && strcmp(e, "replaced-by") == 0)
				t->def.link = "replaces";
			else if (e && strcmp(e, "corrected-by") == 0)
				t->def.link = "corrects";
			else if (e && strcmp(e, "assign-handler") == 0)
				t->def.assign_handler = 1;
			free(e);
		}
		t->def.id = t->id;
		t->def.to = t->to;
		t->def.from = (const char *const *)t->from;
		t->def.allow = t->allow;
		t->def.nallow = nallow;
		t->def.separate = (const char *const *)t->separate;
		t->def.signature = t->signature;
	}
	if (check(wf, findings, name, root) > 0 ||
	    (findings && docket_findings_count(findings) > before)) {
		error = docket_error_set(DOCKET_EINVALID, "the workflow %s is inconsistent", name);
		goto cleanup;
	}
	*out = wf;
	wf = NULL;
	error = 0;
cleanup:
	docket_workflow_free(wf);
	xmlFreeDoc(xml);
	return error;
}

int docket_workflow_load(docket_workflow **out, docket_repo *repo, const char *rev, const char *kind)
{
	docket_buf path = DOCKET_BUF_INIT;
	docket_schema *schema = NULL;
	docket_findings *f = NULL;
	char *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	if ((error = docket_buf_printf(&path, ".docket/workflows/%s.xml", kind)) < 0)
		goto cleanup;
	if ((error = docket_repo_read(&buf, &len, repo, rev, path.ptr)) < 0) {
		if (error == DOCKET_ENOTFOUND)
			docket_error_set(DOCKET_ENOTFOUND, "the repository defines no workflow for '%s' (%s)", kind, path.ptr);
		goto cleanup;
	}
	/* The pinned workflow.xsd when the repository has one; repositories made before it
	 * existed are checked by the C rules alone. */
	if (docket_schema_load_entry(&schema, repo, rev, "workflow.xsd") < 0)
		schema = NULL;
	if ((error = docket_findings_new(&f)) < 0)
		goto cleanup;
	if ((error = docket_workflow_parse(out, f, schema, buf, len, path.ptr)) < 0 &&
	    docket_findings_count(f)) {
		const docket_finding *x = docket_findings_get(f, 0);
		docket_error_set(error, "%s:%d:%d: %s", x->file, x->line, x->col, x->message);
	}
cleanup:
	docket_findings_free(f);
	docket_schema_free(schema);
	docket_buf_free(&path);
	free(buf);
	return error;
}

const char *docket_workflow_kind(const docket_workflow *wf)
{
	return wf->kind;
}

const char *docket_workflow_initial(const docket_workflow *wf)
{
	return wf->initial;
}

int docket_workflow_is_editable(const docket_workflow *wf, const char *state)
{
	const state_rec *s = find_state(wf, state);
	return s && s->editable;
}

const docket_transition_def *docket_workflow_edit(const docket_workflow *wf, const char *state)
{
	static const docket_allow defaults[] = { { "drafter", DOCKET_SCOPE_DRAFTING_UNIT },
	                                         { "reviewer", DOCKET_SCOPE_DRAFTING_UNIT } };
	static const docket_transition_def def = { "edit", NULL, NULL, defaults, 2, NULL, NULL, 0, 0, NULL, 0 };
	const state_rec *s = find_state(wf, state);

	if (!s || !s->editable)
		return NULL;
	return s->edit.nallow ? &s->edit : &def;
}

int docket_workflow_is_final(const docket_workflow *wf, const char *state)
{
	const state_rec *s = find_state(wf, state);
	return s && s->final;
}

int docket_workflow_has_state(const docket_workflow *wf, const char *state)
{
	return find_state(wf, state) != NULL;
}

const docket_transition_def *docket_workflow_transition(const docket_workflow *wf, const char *id)
{
	size_t i;
	for (i = 0; id && i < wf->ntransitions; i++)
		if (strcmp(wf->transitions[i].id, id) == 0)
			return &wf->transitions[i].def;
	return NULL;
}

size_t docket_workflow_transition_count(const docket_workflow *wf)
{
	return wf->ntransitions;
}

const docket_transition_def *docket_workflow_transition_at(const docket_workflow *wf, size_t i)
{
	return i < wf->ntransitions ? &wf->transitions[i].def : NULL;
}
