/*
 * diff: the difference between two versions of a document in the words of the domain.
 *
 * Each version is flattened into an ordered list of (path, value) pairs, where a path
 * names a thing as a reader would ("indicator 4.1 target 2025", "task group 2 item 3",
 * "recipient 5", "header subject"): elements that carry an identity (indicator id, target
 * year, result indicator, group number, footnote number, signature Id) are keyed by it,
 * repeated elements without one by their position, containers that add nothing to a
 * reader's sense of place ("content", "plan", "objectives") are left out of the path. The two
 * lists are then compared by path: changed, added, removed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/tree.h>
#include <openssl/x509.h>
#include "audit_internal.h"
#include "docket/doc.h"
#include "docket/audit.h"
#include "docket/history.h"
#include "docket/sign.h"


typedef struct {
	char *path;
	char *value;
	int used;
	int quiet; /* shown only when changed, not when added or removed with its parent */
} pair;

typedef struct {
	pair *items;
	size_t n, cap;
} flat;

static int flat_add(flat *f, const char *path, const char *value)
{
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 64;
		pair *p = realloc(f->items, cap * sizeof(*p));
		if (!p)
			return docket_error_set(DOCKET_ERROR, "out of memory");
		f->items = p;
		f->cap = cap;
	}
	f->items[f->n].path = docket_strdup(path);
	f->items[f->n].value = docket_strdup(value ? value : "");
	f->items[f->n].used = 0;
	f->items[f->n].quiet = 0;
	f->n++;
	return 0;
}

static void flat_free(flat *f)
{
	size_t i;
	for (i = 0; i < f->n; i++) {
		free(f->items[i].path);
		free(f->items[i].value);
	}
	free(f->items);
}

/* Containers left out of paths. */
static int transparent(const char *name)
{
	static const char *const names[] = { "document", "content", "body", "plan", "report", "task", "objectives",
		"specific", "tasks", "results", "narratives", "recipients", "bases", "footnotes", "code",
		"signatures", "responsibilities", "purposes", "issuer", "signer", NULL };
	for (size_t i = 0; names[i]; i++)
		if (strcmp(names[i], name) == 0)
			return 1;
	return 0;
}

static const char *word(const char *name)
{
	if (strcmp(name, "group") == 0)
		return "task group";
	if (strcmp(name, "p") == 0)
		return "paragraph";
	if (strcmp(name, "fullName") == 0)
		return "full name";
	return name;
}

static char *prop(xmlNodePtr n, const char *name)
{
	xmlChar *v = xmlGetNoNsProp(n, (const xmlChar *)name);
	char *s = v ? docket_strdup((const char *)v) : NULL;
	xmlFree(v);
	return s;
}

/* The key attribute that identifies NODE among its siblings, if any. */
static const char *key_attr(xmlNodePtr node)
{
	static const char *const keys[][2] = {
		{ "indicator", "id" }, { "target", "year" }, { "baseline", "year" }, { "result", "indicator" },
		{ "group", "num" }, { "footnote", "num" }, { "objective", "num" }, { "narrative", "group" },
		{ "responsibility", "num" }, { "part", "num" }, { "section", "num" }, { "chapter", "num" },
		{ "article", "num" }, { "step", NULL },
		{ NULL, NULL }
	};
	for (size_t i = 0; keys[i][0]; i++)
		if (strcmp((const char *)node->name, keys[i][0]) == 0)
			return keys[i][1];
	if (docket_xml_is(node, DOCKET_DSIG_NS, "Signature"))
		return "Id";
	return NULL;
}

static int has_element_children(xmlNodePtr n)
{
	for (xmlNodePtr c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE && !docket_xml_is(c, DOCKET_NS, "em") &&
		    !docket_xml_is(c, DOCKET_NS, "fnref"))
			return 1;
	return 0;
}

/* Collapse runs of white space, so that re-indentation is not a change. */
static char *squeeze(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	int space = 1;
	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == ' ' || *s == '\n' || *s == '\t' || *s == '\r') {
			if (!space)
				*o++ = ' ';
			space = 1;
		} else {
			*o++ = *s;
			space = 0;
		}
	}
	if (o > out && o[-1] == ' ')
		o--;
	*o = '\0';
	return out;
}

/*
 * What signature SIG claims, read from its XML without verifying it (`docket log` and
 * `docket verify` say whether it holds): the signer (its certificate's subject), the claimed
 * role, the commitment type and the signing time; each malloc'd, NULL when absent.
 */
/* A signature as a reader names it: "Lê Thị Lan (PHÓ TRƯỞNG PHÒNG), approval, 2021-05-10T16:45:00+07:00". */
static char *signature_summary(xmlNodePtr sig)
{
	char *signer, *role, *commitment, *when, *out;
	docket_buf b = DOCKET_BUF_INIT;

	docket_sig_claims(sig, &signer, &role, &commitment, &when);
	docket_buf_printf(&b, "%s", signer && *signer ? signer : "unknown signer");
	if (role && *role)
		docket_buf_printf(&b, " (%s)", role);
	docket_buf_printf(&b, ", %s, %s", docket_meaning_word(commitment && *commitment ? commitment : NULL),
	                  when && *when ? when : "no signing time");
	out = docket_strdup(b.ptr);
	docket_buf_free(&b);
	free(signer);
	free(role);
	free(commitment);
	free(when);
	return out;
}

static int flatten(flat *f, xmlNodePtr node, const char *prefix);

static int flatten_children(flat *f, xmlNodePtr node, const char *prefix)
{
	for (xmlNodePtr c = node->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (flatten(f, c, prefix) < 0)
			return DOCKET_ERROR;
	}
	return 0;
}

static int flatten(flat *f, xmlNodePtr node, const char *prefix)
{
	docket_buf path = DOCKET_BUF_INIT;
	const char *name = (const char *)node->name, *key = key_attr(node);
	int error = 0;

	/* a signature is one thing: who signed, as what, when; not its bytes, which are compared
	 * apart and shown only when they changed in a signature that both versions carry */
	if (docket_xml_is(node, DOCKET_DSIG_NS, "Signature")) {
		char *id = prop(node, "Id"), *summary = signature_summary(node), *val;
		xmlNodePtr sv = docket_xml_child(node, DOCKET_DSIG_NS, "SignatureValue");
		docket_buf_printf(&path, "%s%ssignature %s", prefix, *prefix ? " " : "", id ? id : "?");
		error = flat_add(f, path.ptr, summary ? summary : "");
		if (!error) {
			val = sv ? docket_xml_text_trim(sv) : docket_strdup("");
			docket_buf_puts(&path, " value");
			if ((error = flat_add(f, path.ptr, val)) == 0)
				f->items[f->n - 1].quiet = 1;
			free(val);
		}
		free(id);
		free(summary);
		docket_buf_free(&path);
		return error;
	}
	/* a recipient is known by who it is, so an inserted line is one addition, not a shift */
	if (docket_xml_is(node, DOCKET_NS, "recipient")) {
		char *t = docket_xml_text_trim(node), *purpose = prop(node, "purpose"), *unit = prop(node, "unit");
		docket_buf v = DOCKET_BUF_INIT;
		docket_buf_printf(&path, "%s%srecipient '%s'", prefix, *prefix ? " " : "", t ? t : "");
		docket_buf_printf(&v, "%s%s%s%s%s", purpose ? "(" : "", purpose ? purpose : "", purpose ? ")" : "",
		                  unit ? " unit " : "", unit ? unit : "");
		error = flat_add(f, path.ptr, v.len ? v.ptr : "listed");
		free(t);
		free(purpose);
		free(unit);
		docket_buf_free(&v);
		docket_buf_free(&path);
		return error;
	}
	if (transparent(name) && node->parent && node->parent->type == XML_ELEMENT_NODE) {
		docket_buf_puts(&path, prefix);
	} else if (node->parent && node->parent->type != XML_ELEMENT_NODE) {
		docket_buf_puts(&path, prefix); /* the root */
	} else {
		char *k = key ? prop(node, key) : NULL;
		docket_buf_printf(&path, "%s%s%s", prefix, *prefix ? " " : "", word(name));
		if (k) {
			docket_buf_printf(&path, " %s", k);
		} else {
			/* position among same-named siblings when there are several */
			size_t pos = 1, total = 0;
			for (xmlNodePtr s = node->parent->children; s; s = s->next)
				if (s->type == XML_ELEMENT_NODE && strcmp((const char *)s->name, name) == 0) {
					total++;
					if (s == node)
						pos = total;
				}
			if (total > 1 || strcmp(name, "step") == 0 || strcmp(name, "recipient") == 0 ||
			    strcmp(name, "item") == 0 || strcmp(name, "basis") == 0)
				docket_buf_printf(&path, " %zu", pos);
		}
		free(k);
	}
	if (!path.ptr)
		docket_buf_puts(&path, "");
	/* attributes other than the key; "value" is the element's own value */
	for (xmlAttrPtr a = node->properties; a && !error; a = a->next) {
		const char *an = (const char *)a->name;
		xmlChar *v;
		docket_buf ap = DOCKET_BUF_INIT;
		if ((key && strcmp(an, key) == 0) || a->ns || strcmp(an, "Id") == 0)
			continue;
		if (strcmp(name, "step") == 0 && strcmp(an, "value") != 0)
			continue; /* a step is shown whole, below */
		v = xmlNodeListGetString(node->doc, a->children, 1);
		if (strcmp(an, "value") == 0)
			docket_buf_puts(&ap, path.ptr);
		else
			docket_buf_printf(&ap, "%s%s%s", path.ptr, *path.ptr ? " " : "", an);
		error = flat_add(f, ap.ptr, v ? (const char *)v : "");
		xmlFree(v);
		docket_buf_free(&ap);
	}
	if (!error && strcmp(name, "step") == 0) {
		char *d = prop(node, "date"), *ac = prop(node, "actor"), *ro = prop(node, "role"),
		     *tr = prop(node, "transition"), *fr = prop(node, "from"), *to = prop(node, "to");
		char *msg = docket_xml_text_trim(node);
		docket_buf v = DOCKET_BUF_INIT;
		docket_buf_printf(&v, "%s %s by %s (%s), %s -> %s%s%s", d ? d : "", tr ? tr : "", ac ? ac : "",
		                  ro ? ro : "", fr ? fr : "", to ? to : "", msg && *msg ? ": " : "", msg ? msg : "");
		error = flat_add(f, path.ptr, v.ptr);
		docket_buf_free(&v);
		free(d); free(ac); free(ro); free(tr); free(fr); free(to); free(msg);
	} else if (!error && has_element_children(node)) {
		error = flatten_children(f, node, path.ptr);
	} else if (!error) {
		char *t = docket_xml_text(node), *sq = t ? squeeze(t) : NULL;
		if (sq && (*sq || !node->properties))
			error = flat_add(f, path.ptr, sq);
		free(t);
		free(sq);
	}
	docket_buf_free(&path);
	return error;
}

static int add_item(docket_diff_item **items, size_t *n, const char *path, char change,
                    const char *old_value, const char *new_value)
{
	docket_diff_item *p = realloc(*items, (*n + 1) * sizeof(*p));
	if (!p)
		return docket_error_set(DOCKET_ERROR, "out of memory");
	*items = p;
	p = &p[(*n)++];
	p->path = docket_strdup(path);
	p->change = change;
	p->old_value = old_value ? docket_strdup(old_value) : NULL;
	p->new_value = new_value ? docket_strdup(new_value) : NULL;
	return 0;
}

static int diff_trees(docket_diff_item **out, size_t *nout, xmlDocPtr old_xml, xmlDocPtr new_xml)
{
	flat a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	docket_diff_item *items = NULL;
	size_t n = 0, i, j;
	int error;

	*out = NULL;
	*nout = 0;
	if ((error = flatten(&a, xmlDocGetRootElement(old_xml), "")) < 0 ||
	    (error = flatten(&b, xmlDocGetRootElement(new_xml), "")) < 0)
		goto cleanup;
	/* paths are unique per version in practice; match the first unused occurrence */
	for (j = 0; j < b.n; j++) {
		pair *nb = &b.items[j], *match = NULL;
		for (i = 0; i < a.n; i++)
			if (!a.items[i].used && strcmp(a.items[i].path, nb->path) == 0) {
				match = &a.items[i];
				break;
			}
		if (match) {
			match->used = 1;
			if (strcmp(match->value, nb->value) != 0 &&
			    (error = add_item(&items, &n, nb->path, '~', match->value, nb->value)) < 0)
				goto cleanup;
		} else if (!nb->quiet && (error = add_item(&items, &n, nb->path, '+', NULL, nb->value)) < 0) {
			goto cleanup;
		}
	}
	for (i = 0; i < a.n; i++)
		if (!a.items[i].used && !a.items[i].quiet &&
		    (error = add_item(&items, &n, a.items[i].path, '-', a.items[i].value, NULL)) < 0)
			goto cleanup;
	*out = items;
	*nout = n;
	items = NULL;
	n = 0;
	error = 0;
cleanup:
	docket_diff_free(items, n);
	flat_free(&a);
	flat_free(&b);
	return error;
}

int docket_diff_docs(docket_diff_item **out, size_t *n, docket_doc *old_doc, docket_doc *new_doc)
{
	if (out)
		*out = NULL;
	if (n)
		*n = 0;
	if (!out || !n || !old_doc || !new_doc)
		return docket_error_set(DOCKET_EUSAGE, "docket_diff_docs: OUT, N and both documents are required");
	return diff_trees(out, n, docket_doc_xml(old_doc), docket_doc_xml(new_doc));
}

void docket_diff_free(docket_diff_item *items, size_t n)
{
	for (size_t i = 0; items && i < n; i++) {
		free(items[i].path);
		free(items[i].old_value);
		free(items[i].new_value);
	}
	free(items);
}

static int load_at(docket_doc **out, docket_repo *repo, const char *id, const char *rev)
{
	return docket_doc_load(out, repo, id, rev);
}

int docket_diff(docket_diff_item **out, size_t *n, char out_rev1[41], char out_rev2[41], docket_repo *repo,
                const char *id, const char *rev1, const char *rev2)
{
	docket_history_list hist;
	docket_doc *a = NULL, *b = NULL;
	char r1[41], r2[41];
	int error;

	*out = NULL;
	*n = 0;
	memset(&hist, 0, sizeof(hist));
	if (!rev1 || !rev2) {
		if ((error = docket_history_for(&hist, repo, id)) < 0)
			goto cleanup;
		if (!rev1 && hist.n < 2) {
			error = docket_error_set(DOCKET_ENOTFOUND, "'%s' has only %zu version%s: nothing to compare",
			                         id, hist.n, hist.n == 1 ? "" : "s");
			goto cleanup;
		}
	}
	if (rev1) {
		if ((error = docket_repo_resolve(r1, repo, rev1)) < 0)
			goto cleanup;
	} else {
		memcpy(r1, hist.commits[hist.n - 2], 41);
	}
	if (rev2) {
		if ((error = docket_repo_resolve(r2, repo, rev2)) < 0)
			goto cleanup;
	} else if (rev1) {
		if ((error = docket_repo_resolve(r2, repo, NULL)) < 0)
			goto cleanup;
	} else {
		memcpy(r2, hist.commits[hist.n - 1], 41);
	}
	if ((error = load_at(&a, repo, id, r1)) < 0 || (error = load_at(&b, repo, id, r2)) < 0)
		goto cleanup;
	if ((error = diff_trees(out, n, docket_doc_xml(a), docket_doc_xml(b))) < 0)
		goto cleanup;
	if (out_rev1)
		memcpy(out_rev1, r1, 41);
	if (out_rev2)
		memcpy(out_rev2, r2, 41);
cleanup:
	docket_doc_free(a);
	docket_doc_free(b);
	docket_history_list_free(&hist);
	return error;
}
