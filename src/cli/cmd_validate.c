/* docket validate: XSD plus docket's rules, findings as FILE:LINE:COL: error: MESSAGE. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli.h"

#define BATCH 256   /* documents read from the tree before the workers take them */
#define MAX_JOBS 64

/* A workflow definition is recognised by its namespace and checked as one. */
static int is_workflow(const char *buf)
{
	return strstr(buf, DOCKET_WORKFLOW_NS) != NULL && strstr(buf, "<workflow") != NULL &&
	       strstr(buf, DOCKET_NS) == NULL;
}

static int validate_workflow(docket_findings *findings, docket_repo *repo, const char *rev,
                             const char *buf, size_t len, const char *name)
{
	docket_schema *schema = NULL;
	docket_workflow *wf = NULL;
	int error;

	if (repo)
		error = docket_schema_load_entry(&schema, repo, rev, "workflow.xsd");
	else
		error = docket_schema_builtin_entry(&schema, "workflow.xsd");
	if (error < 0)
		return error;
	error = docket_workflow_parse(&wf, findings, schema, buf, len, name);
	docket_workflow_free(wf);
	docket_schema_free(schema);
	return error == DOCKET_EINVALID ? 0 : error;
}

/*
 * validate --all on every core: the walk of documents/ hands out batches of BATCH paths; JOBS
 * workers (this thread and JOBS-1 more) take them one at a time, each with its own repository
 * handle (a libgit2 repository must not be shared between threads) and the one compiled
 * schema, shared read-only (libxml2 compiles built-in types lazily, so the schema is compiled
 * here, before any worker starts; each validation has its own context). Each document's
 * findings are kept apart and appended in the walk's order when the batch is done, so the
 * output does not depend on the number of workers. Memory: one batch of findings at a time.
 */
typedef struct {
	char *path;
	docket_findings *findings;
	docket_number_use *number; /* its number, for the rule across documents */
	int error;
	char message[512];
} item;

typedef struct {
	docket_repo *repo;
	const char *rev;
	docket_schema *schema;
	docket_findings *findings;
	docket_numbers *numbers;   /* the numbers of the valid documents, in the walk's order */
	docket_findings *reused;   /* the numbers carried twice: after every document's findings */
	int error;
	size_t count;
	/* the batch */
	item items[BATCH];
	size_t n;
	atomic_size_t next;
	docket_repo *handles[MAX_JOBS];
	docket_validator *validators[MAX_JOBS]; /* one per handle, [0] on REPO */
	int jobs, progress;
	char message[1024]; /* a worker's error, with the document's path */
} all_state;

static void validate_item(all_state *st, docket_repo *repo, docket_validator *v, item *it)
{
	char *buf = NULL;
	size_t len = 0;
	int error;

	if ((error = docket_findings_new(&it->findings)) < 0 ||
	    (error = docket_repo_read(&buf, &len, repo, docket_validator_commit(v), it->path)) < 0) {
		it->error = error;
		snprintf(it->message, sizeof(it->message), "%s", docket_error_last());
		return;
	}
	error = docket_validator_check_number(v, it->findings, buf, len, it->path, &it->number);
	docket_free(buf);
	if (error < 0 && error != DOCKET_EINVALID) {
		it->error = error;
		snprintf(it->message, sizeof(it->message), "%s", docket_error_last());
	}
}

typedef struct {
	all_state *st;
	docket_repo *repo;
	docket_validator *v;
} worker;

static void *work(void *p)
{
	worker *w = p;
	size_t i;

	while ((i = atomic_fetch_add(&w->st->next, 1)) < w->st->n)
		validate_item(w->st, w->repo, w->v, &w->st->items[i]);
	return NULL;
}

/* Validate the batch on every worker, then append its findings in order. */
static int run_batch(all_state *st)
{
	pthread_t threads[MAX_JOBS];
	worker workers[MAX_JOBS];
	int started = 0, error = 0;
	size_t i;

	atomic_store(&st->next, 0);
	for (int j = 1; j < st->jobs && (size_t)j < st->n; j++) {
		workers[j].st = st;
		workers[j].repo = st->handles[j];
		workers[j].v = st->validators[j];
		if (pthread_create(&threads[j], NULL, work, &workers[j]) != 0)
			break; /* fewer workers: the rest is done here */
		started = j;
	}
	workers[0].st = st;
	workers[0].repo = st->repo;
	workers[0].v = st->validators[0];
	work(&workers[0]);
	for (int j = 1; j <= started; j++)
		pthread_join(threads[j], NULL);
	for (i = 0; i < st->n; i++) {
		item *it = &st->items[i];
		for (size_t f = 0; it->findings && f < docket_findings_count(it->findings); f++) {
			const docket_finding *x = docket_findings_get(it->findings, f);
			if (!error && docket_findings_add(st->findings, x->file, x->line, x->col, "%s", x->message) < 0)
				error = DOCKET_ERROR;
		}
		if (it->error && !error) {
			error = it->error;
			snprintf(st->message, sizeof(st->message), "%s: %s", it->path, it->message);
		}
		if (!error && !it->error && docket_findings_count(it->findings) == 0 &&
		    docket_numbers_add(st->numbers, st->reused, it->number) < 0)
			error = DOCKET_ERROR;
		docket_number_use_free(it->number);
		docket_findings_free(it->findings);
		free(it->path);
	}
	st->count += st->n;
	st->n = 0;
	if (st->progress) {
		fprintf(stderr, "\rdocket: validated %zu documents", st->count);
		fflush(stderr);
	}
	return error;
}

static int validate_one(const char *path, void *payload)
{
	all_state *st = payload;
	item *it;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	it = &st->items[st->n];
	memset(it, 0, sizeof(*it));
	if (!(it->path = strdup(path))) {
		st->error = DOCKET_ERROR;
		return 1;
	}
	if (++st->n == BATCH && (st->error = run_batch(st)) < 0)
		return 1;
	return 0;
}

static int validate_workflow_file(const char *path, void *payload)
{
	all_state *st = payload;
	char *buf = NULL;
	size_t len = 0;
	int error;

	if (strlen(path) < 4 || strcmp(path + strlen(path) - 4, ".xml") != 0)
		return 0;
	if ((error = docket_repo_read(&buf, &len, st->repo, st->rev, path)) < 0 ||
	    (error = validate_workflow(st->findings, st->repo, st->rev, buf, len, path)) < 0) {
		docket_free(buf);
		st->error = error;
		return 1;
	}
	docket_free(buf);
	return 0;
}

typedef struct {
	cli_list files;
	int all, json, progress;
	const char *rev, *jobs;
} validate_args;

/* --jobs: 1..MAX_JOBS; default the processors online */
static int jobs_of(const char *arg)
{
	long n;
	char *end;

	if (!arg) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
	}
	n = strtol(arg, &end, 10);
	return *arg && !*end && n >= 1 && n <= MAX_JOBS ? (int)n : -1;
}

static int run_validate(cli_ctx *ctx, void *args)
{
	validate_args *a = args;
	const char *const *pos = a->files.v, *rev = a->rev;
	int all = a->all, json = a->json, error = 0, code = EXIT_OK;
	docket_repo *repo = ctx->repo;
	docket_schema *schema = NULL;
	docket_findings *findings = NULL;
	size_t i, npos = a->files.n;

	if ((!all && npos == 0) || (rev && !all))
		return cli_usage_error(ctx, "give FILE or DOC arguments or --all (--rev needs --all)");
	if (jobs_of(a->jobs) < 0)
		return cli_usage_error(ctx, "--jobs takes a number of workers from 1 to %d, not '%s'", MAX_JOBS, a->jobs);
	if (docket_findings_new(&findings) < 0) {
		code = cli_fail_last(DOCKET_ERROR, NULL);
		goto cleanup;
	}
	/* outside a repository the built-in schemas check files; --all and -C need one */
	if (!repo && (all || ctx->dir)) {
		code = cli_fail(ctx->repo_error, "%s", ctx->repo_message ? ctx->repo_message : "no repository");
		goto cleanup;
	}
	error = repo ? docket_schema_load(&schema, repo, all ? rev : NULL) : docket_schema_builtin(&schema);
	if (error < 0) {
		code = cli_fail_last(error, "cannot load the schemas");
		goto cleanup;
	}
	for (i = 0; i < (size_t)npos; i++) {
		char *buf = NULL, *path = NULL;
		const char *name = pos[i];
		size_t len = 0;
		struct stat st;
		if (repo && stat(pos[i], &st) != 0 && errno == ENOENT) {
			/* not a file: a document of the repository, by id or path, at the tip */
			if ((error = docket_doc_find(&path, repo, pos[i], NULL)) < 0 ||
			    (error = docket_repo_read(&buf, &len, repo, NULL, path)) < 0) {
				code = cli_fail(error, "cannot validate '%s': no such file, and %s", pos[i],
				                docket_error_last());
				free(path);
				continue;
			}
			error = docket_validate_buffer(findings, schema, buf, len, path, repo, NULL);
			docket_free(buf);
			if (error < 0 && error != DOCKET_EINVALID)
				code = cli_fail_last(error, path);
			free(path);
			continue;
		}
		error = docket_doc_read_file(&buf, &len, name);
		if (error == DOCKET_EINVALID) {
			docket_findings_add(findings, pos[i], 1, 1, "%s", docket_error_last());
			continue;
		} else if (error < 0) {
			code = cli_fail_last(error, NULL);
			continue;
		}
		if (is_workflow(buf))
			error = validate_workflow(findings, repo, NULL, buf, len, pos[i]);
		else
			error = docket_validate_buffer(findings, schema, buf, len, pos[i], repo, NULL);
		docket_free(buf);
		if (error < 0 && error != DOCKET_EINVALID)
			code = cli_fail_last(error, pos[i]);
	}
	if (all) {
		all_state *st = calloc(1, sizeof(*st));
		if (!st) {
			code = cli_fail(DOCKET_ERROR, "out of memory");
			goto cleanup;
		}
		/* the documents' contents are judged, not the object store's integrity (audit and
		 * git fsck judge that): no second hash of every object read */
		docket_global_verify_objects(0);
		docket_global_read_once();
		st->repo = repo;
		st->rev = rev;
		st->schema = schema;
		st->findings = findings;
		st->jobs = jobs_of(a->jobs);
		st->progress = !json && (a->progress || isatty(2));
		/* the numbers: the documents the arguments found invalid are left out, as are those
		 * the walk finds invalid */
		if (docket_numbers_new(&st->numbers, findings) < 0 || docket_findings_new(&st->reused) < 0) {
			code = cli_fail_last(DOCKET_ERROR, NULL);
			docket_numbers_free(st->numbers);
			free(st);
			goto cleanup;
		}
		/* every worker judges at one commit: the one REV names now */
		if ((error = docket_validator_new(&st->validators[0], schema, repo, rev)) < 0) {
			code = cli_fail_last(error, "cannot validate the repository");
			docket_numbers_free(st->numbers);
			docket_findings_free(st->reused);
			free(st);
			goto cleanup;
		}
		st->rev = rev = docket_validator_commit(st->validators[0]);
		for (int j = 1; j < st->jobs; j++)
			if (docket_repo_open(&st->handles[j], docket_repo_gitdir(repo)) < 0 ||
			    docket_validator_new(&st->validators[j], schema, st->handles[j], rev) < 0) {
				docket_repo_free(st->handles[j]);
				st->jobs = j; /* fewer workers */
				break;
			}
		error = docket_repo_walk(repo, rev, "documents/", validate_one, st);
		if (!st->error && error >= 0 && st->n)
			st->error = run_batch(st);
		for (size_t k = 0; k < st->n; k++)
			free(st->items[k].path); /* a batch left by an error */
		/* the rule across documents: a number given twice by one issuer in one year */
		for (size_t k = 0; k < docket_findings_count(st->reused); k++) {
			const docket_finding *x = docket_findings_get(st->reused, k);
			if (docket_findings_add(findings, x->file, x->line, x->col, "%s", x->message) < 0)
				code = cli_fail_last(DOCKET_ERROR, NULL);
		}
		if (st->progress)
			fputc('\n', stderr);
		if (st->error && st->message[0])
			code = cli_fail(st->error, "cannot validate the repository: %s", st->message);
		else if (st->error || error < 0)
			code = cli_fail_last(st->error ? st->error : error, "cannot validate the repository");
		st->error = 0;
		error = docket_repo_walk(repo, rev, ".docket/workflows/", validate_workflow_file, st);
		if (st->error || error < 0)
			code = cli_fail_last(st->error ? st->error : error, "cannot validate the workflows");
		for (int j = 0; j < st->jobs; j++) {
			docket_validator_free(st->validators[j]);
			if (j)
				docket_repo_free(st->handles[j]);
		}
		docket_numbers_free(st->numbers);
		docket_findings_free(st->reused);
		free(st);
	}
	if (json) {
		fputs("[", stdout);
		for (i = 0; i < docket_findings_count(findings); i++) {
			const docket_finding *f = docket_findings_get(findings, i);
			fputs(i ? ",\n {\"file\": " : "{\"file\": ", stdout);
			cli_json_str(f->file);
			printf(", \"line\": %d, \"col\": %d, \"message\": ", f->line, f->col);
			cli_json_str(f->message);
			fputs("}", stdout);
		}
		fputs("]\n", stdout);
	} else {
		for (i = 0; i < docket_findings_count(findings); i++) {
			const docket_finding *f = docket_findings_get(findings, i);
			printf("%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
		}
	}
	if (code == EXIT_OK && docket_findings_count(findings))
		code = EXIT_CHECK;
cleanup:
	docket_findings_free(findings);
	docket_schema_free(schema);
	return cli_finish(code);
}

static const cli_option validate_opts[] = {
	CLI_OPT_FLAG(validate_args, all, "all", 0,
	             "validate every document and workflow of the repository at the tip (or at\n"
	             "REV), read from the git object store: no work tree needed"),
	CLI_OPT_STRING(validate_args, rev, "rev", 0, "REV", "with --all: the revision to validate"),
	CLI_OPT_STRING(validate_args, jobs, "jobs", 'j', "N",
	               "with --all: validate on N threads (default: one per processor online);\n"
	               "the findings come in the same order whatever N"),
	CLI_OPT_FLAG(validate_args, progress, "progress", 0,
	             "with --all: count the documents validated on stderr (the default when\n"
	             "stderr is a terminal; never with --json)"),
	CLI_OPT_FLAG(validate_args, json, "json", 0,
	             "print the findings as a JSON array of {file, line, col, message}"),
	CLI_OPT_END
};

static const cli_positional validate_pos[] = {
	CLI_POS(validate_args, files, "FILE|DOC", CLI_POS_MANY), CLI_POS_END
};

const cli_command cli_cmd_validate = {
	"validate", run_validate, CMD_WANTS_REPO, "check documents against the schemas and rules",
	sizeof(validate_args), validate_opts, validate_pos,
	"Check documents against the XSD schemas and the rules XSD cannot express (percentage\n"
	"targets in 0..100, milestone years inside the plan period, unique ids, Decree 30 number\n"
	"and notation, recipients ending with 'Lưu: ...', references to documents in the\n"
	"repository, NFC text). Inside a repository the schemas pinned in .docket/schemas/ are\n"
	"used; outside one, the built-in schemas. A workflow definition (namespace\n"
	"urn:docket:workflow:1) is checked against workflow.xsd and for consistency: every state\n"
	"declared, one initial state, every state reachable, a final state leading only to final\n"
	"states (an issued document is only corrected, replaced or recalled).\n"
	"\n"
	"Each argument is a file on disk; inside a repository, an argument that is not a file\n"
	"names a document of the repository (its id, or its path in the repository), checked as\n"
	"committed at the tip.\n"
	"\n"
	"Each finding is printed as FILE:LINE:COL: error: MESSAGE.\n",
	"docket validate plan.xml\n"
	"docket validate kh-2021-354                    # a document of the repository, by id\n"
	"docket validate --all\n"
	"docket validate --all --jobs 2 --progress\n"
	"docket -C /srv/pgd.git validate --all --rev main~3 --json",
	"0 all valid; 1 any finding; 2 usage; 3 other errors (no such file or document,\n"
	"repository).", NULL
};
