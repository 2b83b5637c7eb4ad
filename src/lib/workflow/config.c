/*
 * config: the organisation, its units and people, read from .docket/config.xml and
 * written back in one canonical layout (so a diff of the file shows what changed and
 * nothing else). Every change is one commit; once the organisation has an administrator,
 * only an administrator may change it (the audit flags any other change to .docket/).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/tree.h>
#include "workflow_internal.h"

typedef struct {
	char *id, *name, *position, *unit, *roles, *email, *cert;
} person_rec;

typedef struct {
	char *id, *name, *parent;
	int affiliated;
} unit_rec;

typedef struct {
	char *id, *name, *organ_id, *ca;
} external_rec;

struct docket_config {
	char *org_name, *org_abbr, *org_parent, *org_place, *org_organ_id;
	/* <exchange><external id name organId><ca>PEM</ca></external></exchange> */
	external_rec *externals;
	size_t nexternals;
	unit_rec *units;
	size_t nunits;
	person_rec *people;
	size_t npeople;
	/* <signing rules="N">: the rules of signed history in force (1: none recorded, a
	 * repository made before them) and the transitions allowed without a signed commit */
	int rules;
	char **unsigned_ok;
	size_t nunsigned;
	/* <limits annex-max-bytes="N"/>: the largest annex accepted; 0: the default */
	unsigned long long annex_max;
};

/*
 * An attribute or child element that is there but could not be copied sets *OOM: read as
 * absent, it would be dropped from the configuration written back.
 */
static char *attr_dup(xmlNodePtr n, const char *name, int *oom)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	if (!s && xmlHasNsProp(n, (const xmlChar *)name, NULL))
		*oom = 1;
	xmlFree(v);
	return s;
}

static char *child_text(xmlNodePtr n, const char *name, int *oom)
{
	xmlNodePtr c = docket_xml_child(n, DOCKET_CONFIG_NS, name);
	char *s = c ? docket_xml_text_trim(c) : NULL;
	if (c && !s)
		*oom = 1;
	return s;
}

void docket_config_free(docket_config *cfg)
{
	size_t i;
	if (!cfg)
		return;
	free(cfg->org_name);
	free(cfg->org_abbr);
	free(cfg->org_parent);
	free(cfg->org_place);
	free(cfg->org_organ_id);
	for (i = 0; i < cfg->nexternals; i++) {
		free(cfg->externals[i].id);
		free(cfg->externals[i].name);
		free(cfg->externals[i].organ_id);
		free(cfg->externals[i].ca);
	}
	free(cfg->externals);
	for (i = 0; i < cfg->nunits; i++) {
		free(cfg->units[i].id);
		free(cfg->units[i].name);
		free(cfg->units[i].parent);
	}
	for (i = 0; i < cfg->npeople; i++) {
		person_rec *p = &cfg->people[i];
		free(p->id); free(p->name); free(p->position); free(p->unit);
		free(p->roles); free(p->email); free(p->cert);
	}
	for (i = 0; i < cfg->nunsigned; i++)
		free(cfg->unsigned_ok[i]);
	free(cfg->unsigned_ok);
	free(cfg->units);
	free(cfg->people);
	free(cfg);
}

/*
 * <signing rules="2"><unsigned transition="return"/></signing>: which rules of signed history
 * the repository follows (see docs/audit.md) and the transitions its administrators allow
 * without a signed commit. Absent: rules 1, a repository made before signed history.
 */
static int parse_signing(docket_config *cfg, xmlNodePtr signing, const char *name)
{
	xmlNodePtr n;
	char *rules;
	int oom = 0;

	cfg->rules = 1;
	if (!signing)
		return 0;
	rules = attr_dup(signing, "rules", &oom);
	if (oom)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	if (!rules || (strcmp(rules, "1") != 0 && strcmp(rules, "2") != 0)) {
		free(rules);
		return docket_error_set(DOCKET_EINVALID, "%s:%ld: signing rules must be 1 or 2", name,
		                        xmlGetLineNo(signing));
	}
	cfg->rules = rules[0] - '0';
	free(rules);
	for (n = docket_xml_child(signing, DOCKET_CONFIG_NS, "unsigned"); n; n = docket_xml_next(n)) {
		char **grown, *t = attr_dup(n, "transition", &oom);
		if (!t) {
			return oom ? docket_error_set(DOCKET_ERROR, "out of memory") :
			       docket_error_set(DOCKET_EINVALID, "%s:%ld: <unsigned> names no transition", name,
			                        xmlGetLineNo(n));
		}
		if (!(grown = realloc(cfg->unsigned_ok, (cfg->nunsigned + 1) * sizeof(*grown)))) {
			free(t);
			return docket_error_set(DOCKET_ERROR, "out of memory");
		}
		cfg->unsigned_ok = grown;
		cfg->unsigned_ok[cfg->nunsigned++] = t;
	}
	return 0;
}

int docket_config_parse(docket_config **out, const char *buf, size_t len, const char *name)
{
	docket_config *cfg = NULL;
	xmlDocPtr xml = NULL;
	xmlNodePtr root, org, n;
	int error, oom = 0;

	*out = NULL;
	if ((error = docket_xml_parse(&xml, buf, len, name)) < 0)
		return error;
	root = xmlDocGetRootElement(xml);
	if (!docket_xml_is(root, DOCKET_CONFIG_NS, "config")) {
		error = docket_error_set(DOCKET_EINVALID, "%s: the root element must be {%s}config", name,
		                         DOCKET_CONFIG_NS);
		goto cleanup;
	}
	if (!(cfg = calloc(1, sizeof(*cfg)))) {
		error = docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	org = docket_xml_child(root, DOCKET_CONFIG_NS, "organisation");
	cfg->org_name = child_text(org, "name", &oom);
	cfg->org_abbr = child_text(org, "abbr", &oom);
	cfg->org_parent = child_text(org, "parent", &oom);
	cfg->org_place = child_text(org, "place", &oom);
	cfg->org_organ_id = child_text(org, "organId", &oom);
	if (oom)
		goto oom;
	for (n = docket_xml_child(docket_xml_child(root, DOCKET_CONFIG_NS, "exchange"), DOCKET_CONFIG_NS, "external");
	     n; n = docket_xml_next(n)) {
		external_rec *x = realloc(cfg->externals, (cfg->nexternals + 1) * sizeof(*x));
		if (!x) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		cfg->externals = x;
		x = &cfg->externals[cfg->nexternals++];
		x->id = attr_dup(n, "id", &oom);
		x->name = attr_dup(n, "name", &oom);
		x->organ_id = attr_dup(n, "organId", &oom);
		x->ca = child_text(n, "ca", &oom);
		if (oom)
			goto oom;
		if (!x->id || !x->name || !x->organ_id) {
			error = docket_error_set(DOCKET_EINVALID, "%s:%ld: an external organisation needs an id, a name "
			                         "and an organId", name, xmlGetLineNo(n));
			goto cleanup;
		}
	}
	for (n = docket_xml_child(docket_xml_child(root, DOCKET_CONFIG_NS, "units"), DOCKET_CONFIG_NS, "unit");
	     n; n = docket_xml_next(n)) {
		unit_rec *u = realloc(cfg->units, (cfg->nunits + 1) * sizeof(*u));
		if (!u) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		cfg->units = u;
		u = &cfg->units[cfg->nunits++];
		u->id = attr_dup(n, "id", &oom);
		u->name = attr_dup(n, "name", &oom);
		u->parent = attr_dup(n, "parent", &oom);
		{
			char *aff = attr_dup(n, "affiliated", &oom);
			u->affiliated = aff && (strcmp(aff, "true") == 0 || strcmp(aff, "1") == 0);
			free(aff);
		}
		if (oom)
			goto oom;
		if (!u->id) {
			error = docket_error_set(DOCKET_EINVALID, "%s:%ld: a unit without an id", name, xmlGetLineNo(n));
			goto cleanup;
		}
	}
	for (n = docket_xml_child(docket_xml_child(root, DOCKET_CONFIG_NS, "people"), DOCKET_CONFIG_NS, "person");
	     n; n = docket_xml_next(n)) {
		person_rec *p = realloc(cfg->people, (cfg->npeople + 1) * sizeof(*p));
		if (!p) {
			error = docket_error_set(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		cfg->people = p;
		p = &cfg->people[cfg->npeople++];
		p->id = attr_dup(n, "id", &oom);
		p->name = attr_dup(n, "name", &oom);
		p->position = attr_dup(n, "position", &oom);
		p->unit = attr_dup(n, "unit", &oom);
		p->roles = attr_dup(n, "roles", &oom);
		p->email = attr_dup(n, "email", &oom);
		p->cert = child_text(n, "certificate", &oom);
		if (oom)
			goto oom;
		if (!p->id || !p->name) {
			error = docket_error_set(DOCKET_EINVALID, "%s:%ld: a person needs an id and a name", name,
			                         xmlGetLineNo(n));
			goto cleanup;
		}
	}
	if ((error = parse_signing(cfg, docket_xml_child(root, DOCKET_CONFIG_NS, "signing"), name)) < 0)
		goto cleanup;
	if ((n = docket_xml_child(root, DOCKET_CONFIG_NS, "limits")) != NULL) {
		char *v = attr_dup(n, "annex-max-bytes", &oom), *end = NULL;
		if (oom)
			goto oom;
		if (v) {
			cfg->annex_max = strtoull(v, &end, 10);
			if (!*v || *end || v[0] == '-' || cfg->annex_max == 0 || cfg->annex_max > DOCKET_ANNEX_MAX_LIMIT) {
				free(v);
				error = docket_error_set(DOCKET_EINVALID, "%s:%ld: annex-max-bytes must be a number of bytes "
				                         "from 1 to %llu", name, xmlGetLineNo(n), DOCKET_ANNEX_MAX_LIMIT);
				goto cleanup;
			}
		}
		free(v);
	}
	*out = cfg;
	cfg = NULL;
	error = 0;
	goto cleanup;
oom:
	error = docket_error_set(DOCKET_ERROR, "out of memory");
cleanup:
	docket_config_free(cfg);
	xmlFreeDoc(xml);
	return error;
}

/* A copy of FROM into *OUT (0), or DOCKET_ERROR when out of memory. */
static int config_dup(docket_config **out, const docket_config *from)
{
	docket_config *c;
	size_t i;
	int oom = 0;

#define DUP(field) do { if (from->field && !(c->field = docket_strdup(from->field))) oom = 1; } while (0)
	*out = NULL;
	if (!(c = calloc(1, sizeof(*c))))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	c->rules = from->rules;
	c->annex_max = from->annex_max;
	DUP(org_name);
	DUP(org_abbr);
	DUP(org_parent);
	DUP(org_place);
	DUP(org_organ_id);
	if ((from->nexternals && !(c->externals = calloc(from->nexternals, sizeof(*c->externals)))) ||
	    (from->nunits && !(c->units = calloc(from->nunits, sizeof(*c->units)))) ||
	    (from->npeople && !(c->people = calloc(from->npeople, sizeof(*c->people)))) ||
	    (from->nunsigned && !(c->unsigned_ok = calloc(from->nunsigned, sizeof(*c->unsigned_ok))))) {
		docket_config_free(c);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	for (i = 0; i < from->nexternals; i++, c->nexternals++) {
		DUP(externals[i].id);
		DUP(externals[i].name);
		DUP(externals[i].organ_id);
		DUP(externals[i].ca);
	}
	for (i = 0; i < from->nunits; i++, c->nunits++) {
		c->units[i].affiliated = from->units[i].affiliated;
		DUP(units[i].id);
		DUP(units[i].name);
		DUP(units[i].parent);
	}
	for (i = 0; i < from->npeople; i++, c->npeople++) {
		DUP(people[i].id);
		DUP(people[i].name);
		DUP(people[i].position);
		DUP(people[i].unit);
		DUP(people[i].roles);
		DUP(people[i].email);
		DUP(people[i].cert);
	}
	for (i = 0; i < from->nunsigned; i++, c->nunsigned++)
		DUP(unsigned_ok[i]);
#undef DUP
	if (oom) {
		docket_config_free(c);
		return docket_error_set(DOCKET_ERROR, "out of memory");
	}
	*out = c;
	return 0;
}

/*
 * The last configuration parsed, by the id of its blob. One action reads it several times (the
 * CLI for the committer's name, the engine for the actor's roles, the signing check), and at
 * a province's 1,500 schools it is a megabyte of XML; a copy costs a fraction of a parse.
 * Keyed by content: the same blob is the same configuration, whatever repository or revision
 * it was read from, so it is never stale.
 */
static pthread_mutex_t memo_lock = PTHREAD_MUTEX_INITIALIZER;
static git_oid memo_id;
static docket_config *memo;

void docket_config_memo_clear(void)
{
	pthread_mutex_lock(&memo_lock);
	docket_config_free(memo);
	memo = NULL;
	pthread_mutex_unlock(&memo_lock);
}

int docket_config_load(docket_config **out, docket_repo *repo, const char *rev)
{
	docket_buf spec = DOCKET_BUF_INIT;
	git_object *tree = NULL;
	git_tree_entry *entry = NULL;
	git_blob *blob = NULL;
	char *buf = NULL;
	size_t len = 0;
	int error;

	*out = NULL;
	/* the blob's id from the tree, without reading the blob (1.4 MB at 1,500 schools: read
	 * and hashed only on a miss); anything unusual reads it the ordinary way below, with the
	 * ordinary errors */
	if (docket_buf_printf(&spec, "%s^{tree}", rev ? rev : docket_repo_branch(repo)) == 0 &&
	    git_revparse_single(&tree, docket_repo_git(repo), spec.ptr) == 0 &&
	    git_object_type(tree) == GIT_OBJECT_TREE &&
	    git_tree_entry_bypath(&entry, (git_tree *)tree, DOCKET_CONFIG_PATH) == 0 &&
	    git_tree_entry_type(entry) == GIT_OBJECT_BLOB) {
		int hit = 0;
		pthread_mutex_lock(&memo_lock);
		if (memo && git_oid_equal(&memo_id, git_tree_entry_id(entry))) {
			hit = 1;
			error = config_dup(out, memo);
		}
		pthread_mutex_unlock(&memo_lock);
		if (!hit && git_blob_lookup(&blob, docket_repo_git(repo), git_tree_entry_id(entry)) == 0) {
			docket_config *copy = NULL;
			hit = 1;
			error = docket_config_parse(out, (const char *)git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
			                            DOCKET_CONFIG_PATH);
			if (error == 0 && config_dup(&copy, *out) == 0) {
				pthread_mutex_lock(&memo_lock);
				docket_config_free(memo);
				memo = copy;
				git_oid_cpy(&memo_id, git_tree_entry_id(entry));
				pthread_mutex_unlock(&memo_lock);
			} else if (error == 0)
				docket_error_clear(); /* no copy kept: the next load parses again */
		}
		if (hit) {
			git_blob_free(blob);
			git_tree_entry_free(entry);
			git_object_free(tree);
			docket_buf_free(&spec);
			return error;
		}
	}
	git_tree_entry_free(entry);
	git_object_free(tree);
	docket_buf_free(&spec);
	docket_error_clear();
	if ((error = docket_repo_read(&buf, &len, repo, rev, DOCKET_CONFIG_PATH)) < 0)
		return error;
	error = docket_config_parse(out, buf, len, DOCKET_CONFIG_PATH);
	free(buf);
	return error;
}

void docket_config_org(docket_org *out, const docket_config *cfg)
{
	out->name = cfg->org_name;
	out->abbr = cfg->org_abbr;
	out->parent = cfg->org_parent;
	out->place = cfg->org_place;
	out->organ_id = cfg->org_organ_id;
}

size_t docket_config_external_count(const docket_config *cfg)
{
	return cfg->nexternals;
}

int docket_config_external_at(docket_external *out, const docket_config *cfg, size_t i)
{
	if (i >= cfg->nexternals)
		return DOCKET_ENOTFOUND;
	out->id = cfg->externals[i].id;
	out->name = cfg->externals[i].name;
	out->organ_id = cfg->externals[i].organ_id;
	out->ca = cfg->externals[i].ca;
	return 0;
}

int docket_config_external(docket_external *out, const docket_config *cfg, const char *id)
{
	for (size_t i = 0; id && i < cfg->nexternals; i++)
		if (strcmp(cfg->externals[i].id, id) == 0)
			return docket_config_external_at(out, cfg, i);
	return DOCKET_ENOTFOUND;
}

int docket_config_external_by_organ(docket_external *out, const docket_config *cfg, const char *organ_id)
{
	for (size_t i = 0; organ_id && i < cfg->nexternals; i++)
		if (strcmp(cfg->externals[i].organ_id, organ_id) == 0)
			return docket_config_external_at(out, cfg, i);
	return DOCKET_ENOTFOUND;
}

size_t docket_config_unit_count(const docket_config *cfg)
{
	return cfg->nunits;
}

int docket_config_unit_at(docket_unit *out, const docket_config *cfg, size_t i)
{
	if (i >= cfg->nunits)
		return DOCKET_ENOTFOUND;
	out->id = cfg->units[i].id;
	out->name = cfg->units[i].name;
	out->parent = cfg->units[i].parent;
	out->affiliated = cfg->units[i].affiliated;
	return 0;
}

int docket_config_unit(docket_unit *out, const docket_config *cfg, const char *id)
{
	size_t i;
	for (i = 0; id && i < cfg->nunits; i++)
		if (strcmp(cfg->units[i].id, id) == 0)
			return docket_config_unit_at(out, cfg, i);
	return docket_error_set(DOCKET_ENOTFOUND, "no unit '%s' in the configuration", id ? id : "");
}

size_t docket_config_person_count(const docket_config *cfg)
{
	return cfg->npeople;
}

int docket_config_person_at(docket_person *out, const docket_config *cfg, size_t i)
{
	const person_rec *p;
	if (i >= cfg->npeople)
		return DOCKET_ENOTFOUND;
	p = &cfg->people[i];
	out->id = p->id;
	out->name = p->name;
	out->position = p->position;
	out->unit = p->unit;
	out->roles = p->roles;
	out->email = p->email;
	out->cert = p->cert;
	return 0;
}

int docket_config_person(docket_person *out, const docket_config *cfg, const char *id)
{
	size_t i;
	for (i = 0; id && i < cfg->npeople; i++)
		if (strcmp(cfg->people[i].id, id) == 0)
			return docket_config_person_at(out, cfg, i);
	return docket_error_set(DOCKET_ENOTFOUND, "no person '%s' in the configuration", id ? id : "");
}

int docket_person_has_role(const docket_person *person, const char *role)
{
	const char *p = person->roles;
	size_t n = strlen(role);

	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		while (len && *p == ' ') {
			p++;
			len--;
		}
		while (len && p[len - 1] == ' ')
			len--;
		if (len == n && strncmp(p, role, n) == 0)
			return 1;
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

int docket_config_has_admin(const docket_config *cfg)
{
	size_t i;
	for (i = 0; i < cfg->npeople; i++) {
		docket_person p;
		docket_config_person_at(&p, cfg, i);
		if (docket_person_has_role(&p, "admin"))
			return 1;
	}
	return 0;
}

int docket_config_rules(const docket_config *cfg)
{
	return cfg->rules;
}

unsigned long long docket_config_annex_max(const docket_config *cfg)
{
	return cfg && cfg->annex_max ? cfg->annex_max : DOCKET_ANNEX_MAX_DEFAULT;
}

int docket_config_unsigned_allowed(const docket_config *cfg, const char *transition)
{
	for (size_t i = 0; transition && i < cfg->nunsigned; i++)
		if (strcmp(cfg->unsigned_ok[i], transition) == 0)
			return 1;
	return 0;
}

size_t docket_config_unsigned_count(const docket_config *cfg)
{
	return cfg->nunsigned;
}

const char *docket_config_unsigned_at(const docket_config *cfg, size_t i)
{
	return i < cfg->nunsigned ? cfg->unsigned_ok[i] : NULL;
}

int docket_config_has_certs(const docket_config *cfg)
{
	for (size_t i = 0; i < cfg->npeople; i++)
		if (cfg->people[i].cert)
			return 1;
	return 0;
}

/* --- writing --------------------------------------------------------------------------- */

static int attr_out(docket_buf *b, const char *name, const char *v)
{
	if (!v)
		return 0;
	if (docket_buf_printf(b, " %s=\"", name) < 0 || docket_buf_put_xml(b, v) < 0 || docket_buf_puts(b, "\"") < 0)
		return DOCKET_ERROR;
	return 0;
}

static int elem_out(docket_buf *b, const char *indent, const char *name, const char *v)
{
	if (!v)
		return 0;
	if (docket_buf_printf(b, "%s<%s>", indent, name) < 0 || docket_buf_put_xml(b, v) < 0 ||
	    docket_buf_printf(b, "</%s>\n", name) < 0)
		return DOCKET_ERROR;
	return 0;
}

/* The whole text or nothing: a failed append must not leave a shorter file to commit. */
static int config_write(char **out, size_t *len, const docket_config *cfg)
{
	docket_buf b = DOCKET_BUF_INIT;
	size_t i;
	int error = DOCKET_ERROR;

	*out = NULL;
	if (docket_buf_puts(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<config xmlns=\"" DOCKET_CONFIG_NS "\">\n") < 0 ||
	    docket_buf_puts(&b, "  <organisation>\n") < 0 ||
	    elem_out(&b, "    ", "name", cfg->org_name) < 0 ||
	    elem_out(&b, "    ", "abbr", cfg->org_abbr) < 0 ||
	    elem_out(&b, "    ", "parent", cfg->org_parent) < 0 ||
	    elem_out(&b, "    ", "place", cfg->org_place) < 0 ||
	    elem_out(&b, "    ", "organId", cfg->org_organ_id) < 0 ||
	    docket_buf_puts(&b, "  </organisation>\n  <units>\n") < 0)
		goto cleanup;
	for (i = 0; i < cfg->nunits; i++) {
		if (docket_buf_puts(&b, "    <unit") < 0 ||
		    attr_out(&b, "id", cfg->units[i].id) < 0 ||
		    attr_out(&b, "name", cfg->units[i].name) < 0 ||
		    attr_out(&b, "parent", cfg->units[i].parent) < 0 ||
		    (cfg->units[i].affiliated && attr_out(&b, "affiliated", "true") < 0) ||
		    docket_buf_puts(&b, "/>\n") < 0)
			goto cleanup;
	}
	if (docket_buf_puts(&b, "  </units>\n  <people>\n") < 0)
		goto cleanup;
	for (i = 0; i < cfg->npeople; i++) {
		const person_rec *p = &cfg->people[i];
		if (docket_buf_puts(&b, "    <person") < 0 ||
		    attr_out(&b, "id", p->id) < 0 ||
		    attr_out(&b, "name", p->name) < 0 ||
		    attr_out(&b, "position", p->position) < 0 ||
		    attr_out(&b, "unit", p->unit) < 0 ||
		    attr_out(&b, "roles", p->roles) < 0 ||
		    attr_out(&b, "email", p->email) < 0)
			goto cleanup;
		if (p->cert) {
			if (docket_buf_puts(&b, ">\n") < 0 ||
			    elem_out(&b, "      ", "certificate", p->cert) < 0 ||
			    docket_buf_puts(&b, "    </person>\n") < 0)
				goto cleanup;
		} else if (docket_buf_puts(&b, "/>\n") < 0) {
			goto cleanup;
		}
	}
	if (docket_buf_puts(&b, "  </people>\n") < 0)
		goto cleanup;
	if (cfg->nexternals) {
		if (docket_buf_puts(&b, "  <exchange>\n") < 0)
			goto cleanup;
		for (i = 0; i < cfg->nexternals; i++) {
			const external_rec *x = &cfg->externals[i];
			if (docket_buf_puts(&b, "    <external") < 0 || attr_out(&b, "id", x->id) < 0 ||
			    attr_out(&b, "name", x->name) < 0 || attr_out(&b, "organId", x->organ_id) < 0)
				goto cleanup;
			if (x->ca) {
				if (docket_buf_puts(&b, ">\n") < 0 || elem_out(&b, "      ", "ca", x->ca) < 0 ||
				    docket_buf_puts(&b, "    </external>\n") < 0)
					goto cleanup;
			} else if (docket_buf_puts(&b, "/>\n") < 0) {
				goto cleanup;
			}
		}
		if (docket_buf_puts(&b, "  </exchange>\n") < 0)
			goto cleanup;
	}
	if (cfg->rules > 1 || cfg->nunsigned) {
		if (docket_buf_printf(&b, "  <signing rules=\"%d\"%s\n", cfg->rules, cfg->nunsigned ? ">" : "/>") < 0)
			goto cleanup;
		for (i = 0; i < cfg->nunsigned; i++)
			if (docket_buf_puts(&b, "    <unsigned") < 0 || attr_out(&b, "transition", cfg->unsigned_ok[i]) < 0 ||
			    docket_buf_puts(&b, "/>\n") < 0)
				goto cleanup;
		if (cfg->nunsigned && docket_buf_puts(&b, "  </signing>\n") < 0)
			goto cleanup;
	}
	if (cfg->annex_max && docket_buf_printf(&b, "  <limits annex-max-bytes=\"%llu\"/>\n", cfg->annex_max) < 0)
		goto cleanup;
	if (docket_buf_puts(&b, "</config>\n") < 0)
		goto cleanup;
	if (!(*out = docket_buf_detach(&b, len))) {
		docket_error_set(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	error = 0;
cleanup:
	docket_buf_free(&b);
	return error;
}

typedef enum { CH_ORG, CH_UNIT, CH_PERSON, CH_CERT, CH_UNSIGNED, CH_MIGRATE, CH_EXTERNAL, CH_LIMITS } change_kind;

typedef struct {
	change_kind kind;
	const char *actor;
	const docket_org *org;
	const docket_unit *unit;
	const docket_person *person;
	const char *cert_person, *pem;
	const char *const *transitions;
	size_t ntransitions;
	/* a batch (docket_config_apply): every change in one commit, every problem reported */
	const docket_config_change *batch;
	size_t nbatch;
	docket_findings *findings;
	const char *source;
	const docket_external *external;
	unsigned long long annex_max;   /* CH_LIMITS */
} change;

static int replace(char **slot, const char *v)
{
	char *d;
	if (!v)
		return 0;
	if (!(d = docket_strdup(v)))
		return docket_error_set(DOCKET_ERROR, "out of memory");
	free(*slot);
	*slot = d;
	return 0;
}

static int valid_local_id(const char *id)
{
	const char *p;
	if (!id || !*id || strlen(id) > 64)
		return 0;
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return 1;
}

static const char *const known_roles[] = { "drafter", "reviewer", "approver", "clerk", "admin",
                                           "statistician", NULL };

static int check_roles(const char *roles)
{
	const char *p = roles;
	if (!roles || !*roles)
		return docket_error_set(DOCKET_EUSAGE, "a person needs at least one role");
	while (p && *p) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p), i;
		int ok = 0;
		for (i = 0; known_roles[i]; i++)
			if (strlen(known_roles[i]) == len && strncmp(known_roles[i], p, len) == 0)
				ok = 1;
		if (!ok)
			return docket_error_set(DOCKET_EUSAGE,
				"unknown role '%.*s' (roles: drafter, reviewer, approver, clerk, admin, "
				"statistician)", (int)len, p);
		p = comma ? comma + 1 : NULL;
	}
	return 0;
}

static int apply_change(docket_config *cfg, const change *c, docket_buf *msg)
{
	size_t i;

	switch (c->kind) {
	case CH_ORG:
		if (docket_name_check(c->org->name, "the organisation's name") < 0 ||
		    docket_name_check(c->org->abbr, "the organisation's abbreviation") < 0 ||
		    docket_name_check(c->org->parent, "the parent body's name") < 0 ||
		    docket_name_check(c->org->place, "the place") < 0 ||
		    docket_name_check(c->org->organ_id, "the exchange id") < 0)
			return DOCKET_EUSAGE;
		if (c->org->organ_id && (!*c->org->organ_id || strlen(c->org->organ_id) > 100))
			return docket_error_set(DOCKET_EUSAGE, "the exchange id must be 1 to 100 characters");
		if (replace(&cfg->org_name, c->org->name) || replace(&cfg->org_abbr, c->org->abbr) ||
		    replace(&cfg->org_parent, c->org->parent) || replace(&cfg->org_place, c->org->place) ||
		    replace(&cfg->org_organ_id, c->org->organ_id))
			return DOCKET_ERROR;
		return docket_buf_puts(msg, "docket: set the organisation\n\nDocket-Action: config\n");
	case CH_UNIT: {
		unit_rec *u;
		if (docket_name_check(c->unit->name, "the unit's name") < 0)
			return DOCKET_EUSAGE;
		char folder[65], other[65];
		if (docket_unit_folder(folder, sizeof(folder), c->unit->id ? c->unit->id : "") < 0)
			return docket_error_set(DOCKET_EUSAGE, "'%s' is not a valid unit id (1 to 64 ASCII or Vietnamese "
			                        "letters and digits, then also '-', '_', '.', '&')",
			                        c->unit->id ? c->unit->id : "");
		for (i = 0; i < cfg->nunits; i++) {
			if (strcmp(cfg->units[i].id, c->unit->id) == 0)
				return docket_error_set(DOCKET_EEXISTS, "the unit '%s' exists already", c->unit->id);
			/* the folder is derived from the id: two units must never share one (nor differ
			 * only in case, which a case-insensitive file system would merge) */
			if (docket_unit_folder(other, sizeof(other), cfg->units[i].id) == 0 &&
			    strcasecmp(other, folder) == 0)
				return docket_error_set(DOCKET_EEXISTS, "the unit '%s' would share the folder '%s' with the unit "
				                        "'%s'; choose another id", c->unit->id, other, cfg->units[i].id);
		}
		if (c->unit->parent) {
			docket_unit parent;
			if (docket_config_unit(&parent, cfg, c->unit->parent) < 0)
				return docket_error_set(DOCKET_EUSAGE, "the parent unit '%s' does not exist", c->unit->parent);
		}
		if (!(u = realloc(cfg->units, (cfg->nunits + 1) * sizeof(*u))))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		cfg->units = u;
		u = &cfg->units[cfg->nunits++];
		u->id = docket_strdup(c->unit->id);
		u->name = docket_strdup(c->unit->name);
		u->parent = docket_strdup(c->unit->parent);
		u->affiliated = c->unit->affiliated;
		if (!u->id || (c->unit->name && !u->name) || (c->unit->parent && !u->parent))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		return docket_buf_printf(msg, "docket: add unit %s\n\nDocket-Action: config\n", c->unit->id);
	}
	case CH_PERSON: {
		person_rec *p;
		docket_unit unit;
		int error;
		if (docket_name_check(c->person->name, "the person's name") < 0 ||
		    docket_name_check(c->person->position, "the position") < 0 ||
		    docket_name_check(c->person->email, "the e-mail address") < 0)
			return DOCKET_EUSAGE;
		if (!valid_local_id(c->person->id))
			return docket_error_set(DOCKET_EUSAGE, "'%s' is not a valid person id (letters, digits, '-', '_', '.')",
			                        c->person->id ? c->person->id : "");
		for (i = 0; i < cfg->npeople; i++)
			if (strcmp(cfg->people[i].id, c->person->id) == 0)
				return docket_error_set(DOCKET_EEXISTS, "the person '%s' exists already", c->person->id);
		if (docket_config_unit(&unit, cfg, c->person->unit) < 0)
			return docket_error_set(DOCKET_EUSAGE, "the unit '%s' does not exist; add it with 'docket unit add'",
			                        c->person->unit ? c->person->unit : "");
		if ((error = check_roles(c->person->roles)) < 0)
			return error;
		if (!(p = realloc(cfg->people, (cfg->npeople + 1) * sizeof(*p))))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		cfg->people = p;
		p = &cfg->people[cfg->npeople++];
		memset(p, 0, sizeof(*p));
		p->id = docket_strdup(c->person->id);
		p->name = docket_strdup(c->person->name);
		p->position = docket_strdup(c->person->position);
		p->unit = docket_strdup(c->person->unit);
		p->roles = docket_strdup(c->person->roles);
		p->email = docket_strdup(c->person->email);
		if (!p->id || (c->person->name && !p->name) || (c->person->position && !p->position) ||
		    (c->person->unit && !p->unit) || (c->person->roles && !p->roles) ||
		    (c->person->email && !p->email))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		return docket_buf_printf(msg, "docket: add person %s\n\nDocket-Action: config\n", c->person->id);
	}
	case CH_UNSIGNED: {
		char **list = NULL;
		for (i = 0; i < c->ntransitions; i++)
			if (!valid_local_id(c->transitions[i]))
				return docket_error_set(DOCKET_EUSAGE, "'%s' is not a transition id", c->transitions[i]);
		if (c->ntransitions && !(list = calloc(c->ntransitions, sizeof(*list))))
			return docket_error_set(DOCKET_ERROR, "out of memory");
		for (i = 0; i < c->ntransitions; i++)
			if (!(list[i] = docket_strdup(c->transitions[i]))) {
				while (i--)
					free(list[i]);
				free(list);
				return docket_error_set(DOCKET_ERROR, "out of memory");
			}
		for (i = 0; i < cfg->nunsigned; i++)
			free(cfg->unsigned_ok[i]);
		free(cfg->unsigned_ok);
		cfg->unsigned_ok = list;
		cfg->nunsigned = c->ntransitions;
		return docket_buf_puts(msg, "docket: set the transitions allowed unsigned\n\nDocket-Action: config\n");
	}
	case CH_EXTERNAL: {
		const docket_external *e = c->external;
		external_rec *x = NULL;
		if (docket_name_check(e->name, "the organisation's name") < 0 ||
		    docket_name_check(e->organ_id, "the exchange id") < 0)
			return DOCKET_EUSAGE;
		if (!valid_local_id(e->id))
			return docket_error_set(DOCKET_EUSAGE, "'%s' is not a valid id for an external organisation "
			                        "(letters, digits, '-', '_', '.')", e->id ? e->id : "");
		if (!e->name || !*e->name || !e->organ_id || !*e->organ_id || strlen(e->organ_id) > 100)
			return docket_error_set(DOCKET_EUSAGE, "an external organisation needs a name and an exchange id "
			                        "(1 to 100 characters)");
		if (cfg->org_organ_id && strcmp(cfg->org_organ_id, e->organ_id) == 0)
			return docket_error_set(DOCKET_EEXISTS, "'%s' is this organisation's own exchange id", e->organ_id);
		for (i = 0; i < cfg->nexternals; i++) {
			if (strcmp(cfg->externals[i].id, e->id) == 0)
				x = &cfg->externals[i];
			else if (strcmp(cfg->externals[i].organ_id, e->organ_id) == 0)
				return docket_error_set(DOCKET_EEXISTS, "the exchange id '%s' is already that of '%s'",
				                        e->organ_id, cfg->externals[i].id);
		}
		if (!x) {
			if (!(x = realloc(cfg->externals, (cfg->nexternals + 1) * sizeof(*x))))
				return docket_error_set(DOCKET_ERROR, "out of memory");
			cfg->externals = x;
			x = &cfg->externals[cfg->nexternals++];
			memset(x, 0, sizeof(*x));
			if (!(x->id = docket_strdup(e->id)))
				return docket_error_set(DOCKET_ERROR, "out of memory");
		}
		if (replace(&x->name, e->name) || replace(&x->organ_id, e->organ_id) || replace(&x->ca, e->ca))
			return DOCKET_ERROR;
		return docket_buf_printf(msg, "docket: set external organisation %s\n\nDocket-Action: config\n", e->id);
	}
	case CH_LIMITS:
		if (!c->annex_max || c->annex_max > DOCKET_ANNEX_MAX_LIMIT)
			return docket_error_set(DOCKET_EUSAGE, "the annex size limit must be from 1 to %llu bytes",
			                        DOCKET_ANNEX_MAX_LIMIT);
		cfg->annex_max = c->annex_max;
		return docket_buf_printf(msg, "docket: set the annex size limit to %llu bytes\n\nDocket-Action: config\n",
		                         c->annex_max);
	case CH_MIGRATE:
		/* the rules, and then the format (migrate_format): either may be done already */
		if (cfg->rules >= 2)
			return 0;
		cfg->rules = 2;
		return docket_buf_puts(msg, "docket: migrate to signed history (rules 2)");
	case CH_CERT:
		/* a certificate identifies one signer: the same one for two people would let either
		 * sign as the other */
		for (i = 0; i < cfg->npeople; i++)
			if (cfg->people[i].cert && c->pem && strcmp(cfg->people[i].cert, c->pem) == 0 &&
			    strcmp(cfg->people[i].id, c->cert_person) != 0)
				return docket_error_set(DOCKET_EEXISTS, "this certificate is already recorded for '%s'",
				                        cfg->people[i].id);
		for (i = 0; i < cfg->npeople; i++)
			if (strcmp(cfg->people[i].id, c->cert_person) == 0) {
				if (replace(&cfg->people[i].cert, c->pem) < 0)
					return DOCKET_ERROR;
				return docket_buf_printf(msg, "docket: record the certificate of %s\n\nDocket-Action: config\n",
				                         c->cert_person);
			}
		return docket_error_set(DOCKET_ENOTFOUND, "no person '%s' in the configuration", c->cert_person);
	}
	return DOCKET_ERROR;
}

/*
 * Every change of C->batch, in order, on CFG: a problem with one is recorded (with its line)
 * and the others still tried, so that one run names every bad line; any problem fails the
 * whole batch.
 */
static int apply_batch(docket_config *cfg, const change *c, docket_buf *msg)
{
	docket_buf one = DOCKET_BUF_INIT;
	size_t i, units = 0, people = 0, certs = 0, bad = 0;
	int error = 0;

	/* an attempt with findings fails and is never retried: FINDINGS hold one attempt's */
	for (i = 0; i < c->nbatch; i++) {
		const docket_config_change *x = &c->batch[i];
		change one_change = { CH_UNIT, c->actor, NULL, x->unit, x->person, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
		if (x->kind == DOCKET_CONFIG_ADD_PERSON)
			one_change.kind = CH_PERSON;
		else if (x->kind == DOCKET_CONFIG_SET_CERT) {
			one_change.kind = CH_CERT;
			one_change.cert_person = x->person ? x->person->id : NULL;
			one_change.pem = x->person ? x->person->cert : NULL;
		}
		if ((one_change.kind == CH_UNIT && !x->unit) || (one_change.kind != CH_UNIT && (!x->person || !x->person->id))) {
			error = docket_error_set(DOCKET_EUSAGE, "change %zu names nothing to change", i + 1);
			goto cleanup;
		}
		one.len = 0;
		if ((error = apply_change(cfg, &one_change, &one)) < 0) {
			if (error == DOCKET_ERROR)
				goto cleanup;
			bad++;
			if (c->findings && docket_findings_add(c->findings, c->source ? c->source : DOCKET_CONFIG_PATH,
			                                       x->line, 0, "%s", docket_error_last()) < 0)
				goto cleanup;
			docket_error_clear();
			error = 0;
			continue;
		}
		units += one_change.kind == CH_UNIT;
		people += one_change.kind == CH_PERSON;
		certs += one_change.kind == CH_CERT;
	}
	if (bad || (c->findings && docket_findings_count(c->findings))) {
		error = docket_error_set(DOCKET_EINVALID, "%zu of %zu changes refused; nothing was written", bad, c->nbatch);
		goto cleanup;
	}
	error = docket_buf_puts(msg, "docket:");
	if (!error && units)
		error = docket_buf_printf(msg, " add %zu unit%s%s", units, units == 1 ? "" : "s", people || certs ? "," : "");
	if (!error && people)
		error = docket_buf_printf(msg, " add %zu %s%s", people, people == 1 ? "person" : "people", certs ? "," : "");
	if (!error && certs)
		error = docket_buf_printf(msg, " record %zu certificate%s", certs, certs == 1 ? "" : "s");
	if (!error)
		error = docket_buf_puts(msg, "\n\nDocket-Action: config\n");
cleanup:
	docket_buf_free(&one);
	return error;
}

/* --- migration to the current format ------------------------------------------------------- */

typedef struct {
	docket_txn *txn;
	docket_schema *old, *cur;
	docket_findings *seen;
	size_t refused;
	char first[256];
	int error;
} format_check;

/* Each document the pinned schemas accept must be accepted by the new ones. */
static int check_document(const char *path, void *payload)
{
	format_check *fc = payload;
	docket_doc *doc = NULL;
	char *buf = NULL;
	size_t len = 0, before;
	int error;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	if ((error = docket_txn_read(&buf, &len, fc->txn, path)) < 0) {
		fc->error = error;
		return 1;
	}
	if (docket_doc_parse(&doc, buf, len, path) < 0) {
		/* refused by the parser whatever the schema: not the migration's business */
		docket_error_clear();
		free(buf);
		return 0;
	}
	before = docket_findings_count(fc->seen);
	if ((error = docket_schema_check(fc->seen, fc->old, docket_doc_xml(doc), path)) < 0)
		goto done;
	if (docket_findings_count(fc->seen) == before) {
		if ((error = docket_schema_check(fc->seen, fc->cur, docket_doc_xml(doc), path)) < 0)
			goto done;
		if (docket_findings_count(fc->seen) > before) {
			const docket_finding *f = docket_findings_get(fc->seen, before);
			if (!fc->refused++)
				snprintf(fc->first, sizeof(fc->first), "%s:%d: %s", path, f ? f->line : 0,
				         f && f->message ? f->message : "");
		}
	}
done:
	docket_doc_free(doc);
	free(buf);
	if (error < 0) {
		fc->error = error;
		return 1;
	}
	return 0;
}

/* Stage PATH with the built-in F unless it holds that already; *CHANGED counts the writes. */
static int stage_builtin(docket_txn *txn, const char *path, const docket_data_file *f, int replace,
                         size_t *changed)
{
	char *buf = NULL;
	size_t len = 0;
	int error = docket_txn_read(&buf, &len, txn, path);

	if (error == DOCKET_ENOTFOUND) {
		docket_error_clear();
		error = 0;
	} else if (error < 0) {
		return error;
	} else if (!replace || (len == f->len && memcmp(buf, f->data, len) == 0)) {
		free(buf);
		return 0; /* the repository's own copy stays */
	}
	free(buf);
	if ((error = docket_txn_write(txn, path, (const char *)f->data, f->len)) < 0)
		return error;
	(*changed)++;
	return 0;
}

/*
 * Move the repository to this docket's document format, in the transaction of the migrate
 * commit: .docket/schemas/ becomes the built-in set (the history stays judged by the schemas
 * each commit pinned); a workflow and a template for a kind the repository lacks (document)
 * are added, its existing ones, which the organisation may have changed, are kept. First every
 * document at the base is checked: one the pinned schemas accept and the new ones refuse
 * stops the migration. The format is a superset of every earlier one, so no document has to be
 * rewritten (docs/format.md, "Format versions and migration"); the check proves it for this
 * repository.
 */
static int migrate_format(docket_txn *txn, const docket_config *cfg, docket_buf *msg)
{
	format_check fc;
	const docket_data_file *f;
	docket_buf path = DOCKET_BUF_INIT;
	size_t schemas = 0, added = 0;
	int error;

	memset(&fc, 0, sizeof(fc));
	fc.txn = txn;
	if ((error = docket_findings_new(&fc.seen)) < 0 ||
	    (error = docket_schema_load(&fc.old, docket_txn_repo(txn), docket_txn_base(txn))) < 0 ||
	    (error = docket_schema_builtin(&fc.cur)) < 0)
		goto cleanup;
	if ((error = docket_repo_walk(docket_txn_repo(txn), docket_txn_base(txn), "documents/", check_document, &fc)) < 0 &&
	    error != DOCKET_ENOTFOUND)
		goto cleanup;
	docket_error_clear();
	if ((error = fc.error) < 0)
		goto cleanup;
	if (fc.refused) {
		error = docket_error_set(DOCKET_EINVALID, "%zu document%s valid under the repository's schemas would "
		                         "not be under docket's (%s); nothing was written", fc.refused,
		                         fc.refused == 1 ? "" : "s", fc.first);
		goto cleanup;
	}
	for (f = docket_data_files; f->path; f++) {
		size_t *count = &added;
		int replace = 0;
		path.len = 0;
		if (strncmp(f->path, "schemas/", 8) == 0) {
			error = docket_buf_printf(&path, ".docket/%s", f->path);
			count = &schemas;
			replace = 1;
		} else if (strncmp(f->path, "workflows/", 10) == 0) {
			error = docket_buf_printf(&path, ".docket/%s", f->path);
		} else if (strncmp(f->path, "repo-template/templates/", 24) == 0) {
			error = docket_buf_puts(&path, f->path + 14);
		} else {
			continue;
		}
		if (error < 0 || (error = stage_builtin(txn, path.ptr, f, replace, count)) < 0)
			goto cleanup;
	}
	if (!msg->len && !schemas && !added) {
		error = docket_error_set(DOCKET_EEXISTS, "the repository is migrated already: the rules of signed history "
		                         "are recorded already (rules %d) and its schemas are this docket's", cfg->rules);
		goto cleanup;
	}
	if (schemas || added)
		error = docket_buf_printf(msg, "%s%s", msg->len ? ", " : "docket: migrate ",
		                          "to document format 2 (the general document)");
	if (!error)
		error = docket_buf_printf(msg, "\n\n%zu schema file%s replaced, %zu workflow or template file%s added"
		                          "\n\nDocket-Action: migrate\n", schemas, schemas == 1 ? "" : "s", added,
		                          added == 1 ? "" : "s");
cleanup:
	docket_schema_free(fc.old);
	docket_schema_free(fc.cur);
	docket_findings_free(fc.seen);
	docket_buf_free(&path);
	return error;
}

int docket_txn_config(docket_config **cfg, docket_txn *txn)
{
	const char *base = docket_txn_base(txn);
	char *buf = NULL;
	size_t len = 0;
	int error;

	*cfg = NULL;
	/* as committed at the base, unless this transaction changed it: the configuration parsed
	 * already in this process (docket_config_load's memo) serves it */
	if (base[0] && !docket_txn_staged(txn, DOCKET_CONFIG_PATH))
		return docket_config_load(cfg, docket_txn_repo(txn), base);
	if ((error = docket_txn_read(&buf, &len, txn, DOCKET_CONFIG_PATH)) == 0)
		error = docket_config_parse(cfg, buf, len, DOCKET_CONFIG_PATH);
	free(buf);
	return error;
}

int docket_txn_actor(docket_config **cfg, docket_person *person, docket_txn *txn, const char *actor,
                     const char *question)
{
	int error;

	if ((error = docket_txn_config(cfg, txn)) < 0)
		return error;
	if (!actor)
		return docket_error_set(DOCKET_EUSAGE, "%s", question);
	if (docket_config_person(person, *cfg, actor) < 0)
		return docket_error_set(DOCKET_EDENIED, "'%s' is not a person of this organisation (see 'docket person list')",
		                        actor);
	return 0;
}

static int change_fill(docket_txn *txn, void *payload)
{
	const change *c = payload;
	docket_config *cfg = NULL;
	docket_buf msg = DOCKET_BUF_INIT;
	char *buf = NULL, *text = NULL;
	size_t len = 0;
	int error;

	if ((error = docket_txn_config(&cfg, txn)) < 0)
		goto cleanup;
	if (docket_config_has_admin(cfg)) {
		docket_person who;
		if (!c->actor) {
			error = docket_error_set(DOCKET_EDENIED,
				"only an administrator may change the configuration; say who you are with --as PERSON");
			goto cleanup;
		}
		if (docket_config_person(&who, cfg, c->actor) < 0 || !docket_person_has_role(&who, "admin")) {
			error = docket_error_set(DOCKET_EDENIED,
				"'%s' may not change the configuration: the admin role is required", c->actor);
			goto cleanup;
		}
	}
	{
		/* an administrator recording their own first certificate signs with its key */
		const char *own = c->kind == CH_CERT && c->actor && strcmp(c->actor, c->cert_person) == 0 ? c->pem : NULL;
		for (size_t k = 0; c->batch && k < c->nbatch; k++)
			if (c->batch[k].kind == DOCKET_CONFIG_SET_CERT && c->actor && c->batch[k].person &&
			    c->batch[k].person->id && strcmp(c->actor, c->batch[k].person->id) == 0)
				own = c->batch[k].person->cert;
		if ((error = docket_commit_signing_check(docket_txn_repo(txn), cfg, c->actor, NULL, own,
		                                         "change the configuration")) < 0)
			goto cleanup;
	}
	if ((error = c->batch ? apply_batch(cfg, c, &msg) : apply_change(cfg, c, &msg)) < 0)
		goto cleanup;
	if (c->kind == CH_MIGRATE && (error = migrate_format(txn, cfg, &msg)) < 0)
		goto cleanup;
	if (c->actor && (error = docket_buf_printf(&msg, "Docket-Actor: %s\n", c->actor)) < 0)
		goto cleanup;
	if ((error = config_write(&text, &len, cfg)) < 0 ||
	    (error = docket_txn_write(txn, DOCKET_CONFIG_PATH, text, len)) < 0 ||
	    (error = docket_txn_message(txn, msg.ptr)) < 0)
		goto cleanup;
cleanup:
	free(buf);
	free(text);
	docket_buf_free(&msg);
	docket_config_free(cfg);
	return error;
}

static int run_change(docket_repo *repo, const change *c)
{
	return docket_repo_transact(NULL, repo, change_fill, (void *)c);
}

/*
 * Whether ABBR can be a group of a notation ("354/KH-PGDĐT"): 1 to 20 letters (Vietnamese
 * ones too), digits and '&' - no space (a notation has none), no '/' (it ends the number),
 * no '-' (it separates the groups), no other punctuation. NULL and the reason otherwise.
 */
static const char *abbr_unfit(const char *abbr)
{
	size_t chars = 0;

	if (!*abbr)
		return "it is empty";
	for (const unsigned char *p = (const unsigned char *)abbr; *p; chars++) {
		if (*p >= 0x80) {
			/* a letter of Vietnamese (or another script): one character of several bytes */
			for (p++; (*p & 0xC0) == 0x80; p++)
				;
			continue;
		}
		if (*p == ' ' || *p == '\t')
			return "a notation has no spaces";
		if (*p == '/')
			return "'/' separates the number from the notation";
		if (*p == '-')
			return "'-' separates the groups of a notation";
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '&'))
			return "a notation holds letters, digits and '&' only";
		p++;
	}
	return chars > 20 ? "a notation's group is at most 20 characters" : NULL;
}

int docket_config_set_org(docket_repo *repo, const char *actor, const docket_org *org)
{
	change c = { CH_ORG, actor, org, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
	const char *why;

	if (org && org->abbr && (why = abbr_unfit(org->abbr)) != NULL)
		return docket_error_set(DOCKET_EINVALID, "the abbreviation '%s' cannot stand in a notation such as "
		                        "'01/KH-%s': %s", org->abbr, org->abbr, why);
	return run_change(repo, &c);
}

int docket_config_set_external(docket_repo *repo, const char *actor, const docket_external *ext)
{
	change c = { CH_EXTERNAL, actor, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, ext, 0 };
	if (!repo || !ext)
		return docket_error_set(DOCKET_EUSAGE, "docket_config_set_external: REPO and EXT are required");
	return run_change(repo, &c);
}

int docket_config_add_unit(docket_repo *repo, const char *actor, const docket_unit *unit)
{
	change c = { CH_UNIT, actor, NULL, unit, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
	return run_change(repo, &c);
}

int docket_config_add_person(docket_repo *repo, const char *actor, const docket_person *person)
{
	change c = { CH_PERSON, actor, NULL, NULL, person, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
	return run_change(repo, &c);
}

int docket_config_set_cert(docket_repo *repo, const char *actor, const char *person, const char *pem)
{
	change c = { CH_CERT, actor, NULL, NULL, NULL, person, pem, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
	return run_change(repo, &c);
}

int docket_config_apply(docket_repo *repo, const char *actor, const docket_config_change *changes, size_t n,
                        docket_findings *findings, const char *source)
{
	change c = { CH_UNIT, actor, NULL, NULL, NULL, NULL, NULL, NULL, 0, changes, n, findings, source, NULL, 0 };

	if (!repo || (!changes && n))
		return docket_error_set(DOCKET_EUSAGE, "config: a repository and the changes are required");
	if (!n)
		return docket_error_set(DOCKET_EUSAGE, "no change to make");
	return run_change(repo, &c);
}

int docket_config_set_unsigned(docket_repo *repo, const char *actor, const char *const *transitions, size_t n)
{
	change c = { CH_UNSIGNED, actor, NULL, NULL, NULL, NULL, NULL, transitions, n, NULL, 0, NULL, NULL, NULL, 0 };
	return run_change(repo, &c);
}

int docket_config_set_annex_max(docket_repo *repo, const char *actor, unsigned long long max)
{
	change c = { CH_LIMITS, actor, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, max };
	return run_change(repo, &c);
}

int docket_config_migrate(docket_repo *repo, const char *actor)
{
	change c = { CH_MIGRATE, actor, NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, 0, NULL, NULL, NULL, 0 };
	if (!actor)
		return docket_error_set(DOCKET_EUSAGE, "an administrator migrates the repository: say who you are with --as PERSON");
	return run_change(repo, &c);
}

/* --- units -------------------------------------------------------------------------------- */

int docket_unit_covers(const docket_config *cfg, const char *unit, const char *target)
{
	docket_unit u;
	int depth = 0;

	while (unit && target && depth++ < 32) {
		if (strcmp(unit, target) == 0)
			return 1;
		if (docket_config_unit(&u, cfg, target) < 0 || !u.parent)
			break;
		target = u.parent;
	}
	docket_error_clear();
	return 0;
}

int docket_unit_is_affiliated(const docket_config *cfg, const char *unit)
{
	docket_unit u;
	if (docket_config_unit(&u, cfg, unit) < 0) {
		docket_error_clear();
		return 0;
	}
	return u.affiliated;
}
