/*
 * site: the archive as a static web site any browser opens from a folder or a plain web
 * server: index.html lists every document (grouped by kind, then year), doc/<id>.html is
 * each document's Decree 30 page (docket_render_html), log/<id>.html its timeline
 * (docket_log). Links are relative, nothing is loaded from anywhere, every text from the
 * repository goes through web_escape. The site is built in a temporary directory beside
 * OUTDIR and renamed into place at the end, so a reader sees the old site or the new one,
 * never a mixture, and a failed build leaves OUTDIR as it was.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "web.h"
#include "web_internal.h"

/* What the index shows of one document; every string malloc'd. */
typedef struct {
	char *id, *kind, *year, *number, *subject, *state, *unit, *date;
} site_doc;

typedef struct {
	docket_repo *repo;
	const web_site_options *opts;
	docket_config *cfg;      /* for unit names; NULL when unreadable */
	char *tmp;               /* the directory being built */
	site_doc *docs;
	size_t n, cap;
	char **paths;            /* documents/ paths at the tip */
	size_t npaths, pathcap;
	size_t failed;
	int error;
} site_state;

static void site_doc_free(site_doc *d)
{
	free(d->id);
	free(d->kind);
	free(d->year);
	free(d->number);
	free(d->subject);
	free(d->state);
	free(d->unit);
	free(d->date);
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

static void warn(site_state *st, const char *what, const char *fmt, ...) WEB_PRINTF(3, 4);
static void warn(site_state *st, const char *what, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;

	st->failed++;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (st->opts->warn)
		st->opts->warn(st->opts->payload, what, msg);
}

/* The text of the header child NAME of DOC, white space runs made one space; malloc'd. */
static char *header_text(docket_doc *doc, const char *name)
{
	char path[64], *t = NULL, *out;

	if (snprintf(path, sizeof(path), "header/%s", name) >= (int)sizeof(path) ||
	    docket_doc_text(&t, doc, path) < 0 || !t)
		return NULL;
	out = strdup(t);
	docket_free(t);
	return out;
}

/* The year folder of documents/<kind>/<year>/...: an undated draft is filed under one. */
static char *path_year(const char *path)
{
	const char *p = strchr(path, '/'), *y;

	if (!p || !(p = strchr(p + 1, '/')))
		return NULL;
	y = p + 1;
	if (strlen(y) < 5 || y[4] != '/' || strspn(y, "0123456789") != 4)
		return NULL;
	return strndup(y, 4);
}

static int collect_path(const char *path, void *payload)
{
	site_state *st = payload;
	size_t n = strlen(path);

	if (n < 4 || strcmp(path + n - 4, ".xml") != 0)
		return 0;
	if (st->npaths == st->pathcap) {
		size_t cap = st->pathcap ? st->pathcap * 2 : 64;
		char **p = realloc(st->paths, cap * sizeof(*p));
		if (!p)
			goto oom;
		st->paths = p;
		st->pathcap = cap;
	}
	if (!(st->paths[st->npaths] = strdup(path)))
		goto oom;
	st->npaths++;
	return 0;
oom:
	st->error = web_error(DOCKET_ERROR, "out of memory");
	return 1;
}

/* A label a reader of the index knows a kind by. */
static const char *kind_label(const char *kind)
{
	if (!kind)
		return "—";
	if (strcmp(kind, "plan") == 0)
		return "Kế hoạch (plan)";
	if (strcmp(kind, "report") == 0)
		return "Báo cáo (report)";
	if (strcmp(kind, "task") == 0)
		return "Giao nhiệm vụ (task)";
	if (strcmp(kind, "document") == 0)
		return "Văn bản (document)";
	return kind;
}

static int write_file(site_state *st, const char *rel, web_buf *b)
{
	char path[4096];
	size_t len = 0;
	char *data;
	int n;

	if (!(data = web_buf_detach(b, &len)))
		return web_error(DOCKET_ERROR, "out of memory");
	n = snprintf(path, sizeof(path), "%s/%s", st->tmp, rel);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		free(data);
		return web_error(DOCKET_EUSAGE, "the output path is too long");
	}
	n = web_write_file_atomic(path, data, len);
	free(data);
	if (n < 0)
		return web_error(DOCKET_ERROR, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* The status of a signature in the timeline, and the class that colours it. */
static const char *sig_class(const char *status)
{
	if (!status)
		return "unverified";
	if (strcmp(status, "valid") == 0)
		return "valid";
	if (strncmp(status, "INVALID", 7) == 0)
		return "invalid";
	return "unverified";
}

static int write_timeline(site_state *st, const site_doc *d)
{
	docket_log_entry *e = NULL;
	web_buf b = WEB_BUF_INIT;
	char title[512], rel[128];
	size_t n = 0, i, j;
	int error;

	if ((error = docket_log(&e, &n, st->repo, d->id, st->opts->trust)) < 0)
		return web_error(error, "%s", docket_error_last());
	snprintf(title, sizeof(title), "Lịch sử %s", d->number ? d->number : d->id);
	web_page_begin(&b, title);
	web_puts(&b, "<nav><a href=\"../index.html\">Danh mục văn bản</a> · <a href=\"../doc/");
	web_escape(&b, d->id);
	web_puts(&b, ".html\">Văn bản</a></nav>\n<h1>Lịch sử văn bản ");
	web_escape(&b, d->number ? d->number : d->id);
	web_puts(&b, "</h1>\n<p class=\"meta\">");
	web_escape(&b, d->subject);
	web_puts(&b, "</p>\n<p class=\"meta\">Mã văn bản: ");
	web_escape(&b, d->id);
	web_puts(&b, st->opts->trust ? " · Chữ ký đã được kiểm tra với chứng thư gốc tin cậy"
	                             : " · Chữ ký chưa được kiểm tra (không có chứng thư gốc tin cậy)");
	web_puts(&b, "</p>\n<table class=\"timeline\">\n<thead><tr><th>Thời gian</th><th>Người thực hiện</th>"
	             "<th>Thao tác</th><th>Trạng thái</th><th>Ghi chú</th><th>Chữ ký</th><th>Commit</th></tr></thead>\n<tbody>\n");
	for (i = 0; i < n; i++) {
		web_puts(&b, "<tr><td class=\"num\">");
		web_escape(&b, e[i].time);
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, e[i].actor_name ? e[i].actor_name : e[i].actor);
		if (e[i].actor_position && *e[i].actor_position) {
			web_puts(&b, "<br><span class=\"meta\">");
			web_escape(&b, e[i].actor_position);
			web_puts(&b, "</span>");
		}
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, e[i].action);
		web_puts(&b, "</td><td>");
		if (e[i].from || e[i].to) {
			web_escape_or_dash(&b, e[i].from);
			web_puts(&b, " → ");
			web_escape_or_dash(&b, e[i].to);
		} else {
			web_puts(&b, "—");
		}
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, e[i].message ? e[i].message : e[i].subject);
		web_puts(&b, "</td><td>");
		for (j = 0; j < e[i].nsigs; j++) {
			const docket_log_sig *s = &e[i].sigs[j];
			web_printf(&b, "<div class=\"sig %s\">", sig_class(s->status));
			web_escape(&b, s->id);
			web_puts(&b, " (");
			web_escape_or_dash(&b, s->meaning);
			web_puts(&b, "): ");
			web_escape_or_dash(&b, s->signer);
			web_puts(&b, ", ");
			web_escape_or_dash(&b, s->time);
			web_puts(&b, " — ");
			web_escape_or_dash(&b, s->status);
			web_puts(&b, "</div>");
		}
		if (e[i].nsigs == 0)
			web_puts(&b, "—");
		web_printf(&b, "</td><td class=\"num\"><code>%.10s</code></td></tr>\n", e[i].commit);
	}
	web_puts(&b, "</tbody>\n</table>\n");
	web_page_end(&b);
	docket_log_free(e, n);
	snprintf(rel, sizeof(rel), "log/%s.html", d->id);
	return write_file(st, rel, &b);
}

/* One document: its page, its timeline, its line in the index. Failures are reported, not fatal. */
static int add_document(site_state *st, const char *path)
{
	docket_render_options ro = DOCKET_RENDER_OPTIONS_INIT;
	docket_doc_summary sum;
	docket_doc *doc = NULL;
	site_doc d;
	web_buf b = WEB_BUF_INIT;
	char *buf = NULL, *html = NULL, *unit_id = NULL, rel[128];
	size_t len = 0, hlen = 0;
	int error;

	memset(&d, 0, sizeof(d));
	memset(&sum, 0, sizeof(sum));
	if ((error = docket_repo_read(&buf, &len, st->repo, NULL, path)) < 0 ||
	    (error = docket_doc_parse(&doc, buf, len, path)) < 0) {
		warn(st, path, "%s", docket_error_last());
		error = 0;
		goto cleanup;
	}
	if (!web_safe_id(docket_doc_id(doc))) {
		warn(st, path, "the document id '%s' cannot name a page", docket_doc_id(doc) ? docket_doc_id(doc) : "");
		goto cleanup;
	}
	ro.trust = st->opts->trust;
	if ((error = docket_render_html(&html, &hlen, doc, st->repo, NULL, &ro)) < 0) {
		if (error == DOCKET_ENOTFOUND || (st->opts->trust && error == DOCKET_EINVALID)) {
			/* the trust file: every document would fail the same way */
			error = web_error(error, "%s", docket_error_last());
			goto cleanup;
		}
		warn(st, path, "%s", docket_error_last());
		error = 0;
		goto cleanup;
	}
	docket_doc_summarize(&sum, doc);
	if (docket_doc_drafting_unit(&unit_id, doc) < 0)
		unit_id = NULL;
	d.id = dup_or_null(docket_doc_id(doc));
	d.kind = dup_or_null(docket_doc_kind(doc));
	{
		char *y = NULL;
		d.year = docket_doc_year(&y, doc) == 0 && y ? strdup(y) : NULL;
		docket_free(y);
	}
	if (!d.year)
		d.year = path_year(path);
	d.number = dup_or_null(sum.number);
	d.subject = header_text(doc, "subject");
	d.date = header_text(doc, "date");
	/* no workflow element yet: a draft, as `docket status` says */
	d.state = strdup(docket_doc_state(doc) ? docket_doc_state(doc) : "draft");
	if (unit_id) {
		docket_unit u;
		if (st->cfg && docket_config_unit(&u, st->cfg, unit_id) == 0 && u.name)
			d.unit = strdup(u.name);
		else
			d.unit = strdup(unit_id);
	}
	web_put(&b, html, hlen);
	snprintf(rel, sizeof(rel), "doc/%s.html", d.id);
	if (!d.id || (error = write_file(st, rel, &b)) < 0 || (error = write_timeline(st, &d)) < 0) {
		if (!d.id)
			error = web_error(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		site_doc *p = realloc(st->docs, cap * sizeof(*p));
		if (!p) {
			error = web_error(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		st->docs = p;
		st->cap = cap;
	}
	st->docs[st->n++] = d;
	memset(&d, 0, sizeof(d));
cleanup:
	site_doc_free(&d);
	web_buf_free(&b);
	docket_doc_summary_free(&sum);
	docket_doc_free(doc);
	docket_free(html);
	docket_free(unit_id);
	free(buf);
	return error;
}

static int cmp_str(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/* By kind, then year (newest first), then number or id. */
static int cmp_doc(const void *pa, const void *pb)
{
	const site_doc *a = pa, *b = pb;
	int c;

	if ((c = cmp_str(a->kind, b->kind)) != 0)
		return c;
	if ((c = cmp_str(b->year, a->year)) != 0)
		return c;
	if ((c = cmp_str(a->date, b->date)) != 0)
		return c;
	return cmp_str(a->id, b->id);
}

static int write_index(site_state *st)
{
	web_buf b = WEB_BUF_INIT;
	docket_org org;
	size_t i;
	const char *kind = NULL, *year = NULL;
	int open_table = 0;

	memset(&org, 0, sizeof(org));
	if (st->cfg)
		docket_config_org(&org, st->cfg);
	qsort(st->docs, st->n, sizeof(*st->docs), cmp_doc);
	web_page_begin(&b, org.name ? org.name : "docket");
	web_puts(&b, "<h1>Danh mục văn bản</h1>\n<p class=\"meta\">");
	web_escape_or_dash(&b, org.name);
	if (org.parent) {
		web_puts(&b, " · ");
		web_escape(&b, org.parent);
	}
	web_printf(&b, " · %zu văn bản</p>\n", st->n);
	for (i = 0; i < st->n; i++) {
		const site_doc *d = &st->docs[i];
		if (!kind || cmp_str(kind, d->kind) != 0) {
			if (open_table)
				web_puts(&b, "</tbody>\n</table>\n");
			open_table = 0;
			web_puts(&b, "<h2>");
			web_escape(&b, kind_label(d->kind));
			web_puts(&b, "</h2>\n");
			kind = d->kind ? d->kind : "";
			year = NULL;
		}
		if (!year || cmp_str(year, d->year) != 0) {
			if (open_table)
				web_puts(&b, "</tbody>\n</table>\n");
			web_puts(&b, "<h3>Năm ");
			web_escape_or_dash(&b, d->year);
			web_puts(&b, "</h3>\n<table class=\"documents\">\n<thead><tr><th>Số, ký hiệu</th><th>Ngày</th>"
			             "<th>Trích yếu</th><th>Trạng thái</th><th>Đơn vị soạn thảo</th><th>Lịch sử</th>"
			             "</tr></thead>\n<tbody>\n");
			open_table = 1;
			year = d->year ? d->year : "";
		}
		web_puts(&b, "<tr><td class=\"num\"><a href=\"doc/");
		web_escape(&b, d->id);
		web_puts(&b, ".html\">");
		web_escape(&b, d->number ? d->number : d->id);
		web_puts(&b, "</a></td><td class=\"num\">");
		web_escape_or_dash(&b, d->date);
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, d->subject);
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, d->state);
		web_puts(&b, "</td><td>");
		web_escape_or_dash(&b, d->unit);
		web_puts(&b, "</td><td><a href=\"log/");
		web_escape(&b, d->id);
		web_puts(&b, ".html\">Lịch sử</a></td></tr>\n");
	}
	if (open_table)
		web_puts(&b, "</tbody>\n</table>\n");
	if (st->n == 0)
		web_puts(&b, "<p>Chưa có văn bản nào.</p>\n");
	web_page_end(&b);
	return write_file(st, "index.html", &b);
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return flag == FTW_DP ? rmdir(path) : unlink(path);
}

/* Remove the tree at PATH without following symbolic links. */
static void remove_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* 1 when DIR has no entry, 0 when it has one, -1 when it cannot be read. */
static int dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

int web_site_write(web_site_result *out, docket_repo *repo, const char *outdir_arg,
                   const web_site_options *opts)
{
	web_site_options defaults;
	site_state st;
	struct stat sb;
	char *outdir = NULL, *old = NULL, sub[4096];
	const char *base;
	size_t i, n;
	int error = 0, exists, empty = 1;

	memset(&st, 0, sizeof(st));
	memset(&defaults, 0, sizeof(defaults));
	if (out)
		memset(out, 0, sizeof(*out));
	if (!repo || !outdir_arg || !*outdir_arg)
		return web_error(DOCKET_EUSAGE, "web_site_write: no repository or output directory");
	st.repo = repo;
	st.opts = opts ? opts : &defaults;
	/* OUTDIR without trailing slashes: the temporary directory is its sibling */
	if (!(outdir = strdup(outdir_arg)))
		return web_error(DOCKET_ERROR, "out of memory");
	for (n = strlen(outdir); n > 1 && outdir[n - 1] == '/'; n--)
		outdir[n - 1] = '\0';
	exists = lstat(outdir, &sb) == 0;
	if (exists && !S_ISDIR(sb.st_mode)) {
		error = web_error(DOCKET_EEXISTS, "'%s' exists and is not a directory", outdir);
		goto cleanup;
	}
	if (exists && (empty = dir_empty(outdir)) < 0) {
		error = web_error(DOCKET_ERROR, "cannot read '%s': %s", outdir, strerror(errno));
		goto cleanup;
	}
	if (exists && !empty && !st.opts->force) {
		error = web_error(DOCKET_EEXISTS, "'%s' is not empty (--force replaces it)", outdir);
		goto cleanup;
	}
	base = strrchr(outdir, '/');
	n = base ? (size_t)(base - outdir) + 1 : 0;
	base = base ? base + 1 : outdir;
	if (!(st.tmp = malloc(strlen(outdir) + 32)) || !(old = malloc(strlen(outdir) + 32))) {
		error = web_error(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	/* hidden siblings of OUTDIR: the same file system, so the renames are atomic */
	sprintf(st.tmp, "%.*s.%s.new.XXXXXX", (int)n, outdir, base);
	sprintf(old, "%.*s.%s.old.XXXXXX", (int)n, outdir, base);
	if (!mkdtemp(st.tmp)) {
		error = web_error(DOCKET_ERROR, "cannot create a directory beside '%s': %s", outdir, strerror(errno));
		free(st.tmp);
		st.tmp = NULL;
		goto cleanup;
	}
	snprintf(sub, sizeof(sub), "%s/doc", st.tmp);
	if (mkdir(sub, 0755) < 0 || (snprintf(sub, sizeof(sub), "%s/log", st.tmp), mkdir(sub, 0755) < 0)) {
		error = web_error(DOCKET_ERROR, "cannot create '%s': %s", sub, strerror(errno));
		goto cleanup;
	}
	if (docket_config_load(&st.cfg, repo, NULL) < 0)
		st.cfg = NULL;   /* unit ids instead of their names */
	error = docket_repo_walk(repo, NULL, "documents/", collect_path, &st);
	if (st.error) {
		error = st.error;
		goto cleanup;
	}
	if (error < 0 && error != DOCKET_ENOTFOUND) {
		error = web_error(error, "%s", docket_error_last());
		goto cleanup;
	}
	error = 0;
	for (i = 0; i < st.npaths; i++)
		if ((error = add_document(&st, st.paths[i])) < 0)
			goto cleanup;
	if ((error = write_index(&st)) < 0)
		goto cleanup;
	/* mkdtemp made it 0700; a site is for readers */
	{
		mode_t mask = umask(0);
		umask(mask);
		chmod(st.tmp, 0755 & ~mask);
	}
	if (exists && !empty) {
		if (!mkdtemp(old) || rename(outdir, old) < 0) {
			error = web_error(DOCKET_ERROR, "cannot move '%s' aside: %s", outdir, strerror(errno));
			goto cleanup;
		}
	}
	/* rename(2) replaces an empty directory in one step */
	if (rename(st.tmp, outdir) < 0) {
		error = web_error(DOCKET_ERROR, "cannot move the site into '%s': %s", outdir, strerror(errno));
		if (exists && !empty)
			rename(old, outdir);
		goto cleanup;
	}
	free(st.tmp);
	st.tmp = NULL;
	if (exists && !empty)
		remove_tree(old);
	if (out) {
		out->documents = st.n;
		out->failed = st.failed;
	}
cleanup:
	if (st.tmp) {
		remove_tree(st.tmp);
		free(st.tmp);
	}
	for (i = 0; i < st.n; i++)
		site_doc_free(&st.docs[i]);
	free(st.docs);
	for (i = 0; i < st.npaths; i++)
		free(st.paths[i]);
	free(st.paths);
	docket_config_free(st.cfg);
	free(outdir);
	free(old);
	return error;
}
