/*
 * A program outside the project: built against the installed headers and libdocket.so through
 * pkg-config, as a user of the library builds (tests/install/check-install.sh runs it).
 *
 * consumer DIR FILE...: prints the library's version, creates a docket repository in DIR and
 * prints its first commit, then validates each FILE against the schemas pinned in DIR and
 * prints its findings. Along the way it uses an options structure the way the headers ask
 * (DOCKET_<X>_OPTIONS_INIT, fields by name), which must compile without a warning under
 * -Wall -Wextra, and frees what the library returns with docket_free.
 */
#include <stdio.h>
#include <stdlib.h>
#include <docket/docket.h>

static int fail(const char *what)
{
	fprintf(stderr, "consumer: %s: %s\n", what, docket_error_last());
	return 1;
}

static int validate(docket_schema *schema, const char *file)
{
	docket_findings *findings = NULL;
	char *buf = NULL;
	size_t len, i, n;
	int error = 1;

	if (docket_findings_new(&findings) < 0 || docket_doc_read_file(&buf, &len, file) < 0 ||
	    docket_validate_buffer(findings, schema, buf, len, file, NULL, NULL) < 0) {
		fail(file);
		goto cleanup;
	}
	n = docket_findings_count(findings);
	printf("%s: %zu finding%s\n", file, n, n == 1 ? "" : "s");
	for (i = 0; i < n; i++) {
		const docket_finding *f = docket_findings_get(findings, i);
		printf("%s:%d:%d: error: %s\n", f->file, f->line, f->col, f->message);
	}
	error = 0;
cleanup:
	docket_free(buf);
	docket_findings_free(findings);
	return error;
}

int main(int argc, char **argv)
{
	docket_repo *repo = NULL;
	docket_schema *schema = NULL;
	docket_add_options opts = DOCKET_ADD_OPTIONS_INIT;
	char tip[41], *now = NULL;
	int major, minor, patch, i, error = 1;

	if (argc < 2) {
		fprintf(stderr, "usage: consumer DIR FILE...\n");
		return 2;
	}
	docket_version(&major, &minor, &patch);
	printf("docket %d.%d.%d, headers %s\n", major, minor, patch, DOCKET_VERSION_STRING);
	if (docket_global_init() < 0)
		return fail("docket_global_init");
	if (docket_repo_init(&repo, argv[1], 0) < 0) {
		fail("docket_repo_init");
		goto cleanup;
	}
	if (docket_repo_resolve(tip, repo, NULL) < 0) {
		fail("docket_repo_resolve");
		goto cleanup;
	}
	printf("initialised %s\n", tip);
	/* options of a future version are refused, not misread */
	opts.version = DOCKET_ADD_OPTIONS_VERSION + 1;
	opts.draft = 1;
	if (argc > 2) {
		docket_add_result res;
		int rc = docket_add_file(&res, repo, argv[2], &opts);
		docket_add_result_free(&res);
		if (rc != DOCKET_EUSAGE) {
			fail("docket_add_file with options of an unknown version");
			goto cleanup;
		}
	}
	if (docket_now(&now) < 0) {
		fail("docket_now");
		goto cleanup;
	}
	docket_free(now);
	if (docket_schema_load(&schema, repo, NULL) < 0) {
		fail("docket_schema_load");
		goto cleanup;
	}
	error = 0;
	for (i = 2; i < argc; i++)
		error |= validate(schema, argv[i]);
cleanup:
	docket_schema_free(schema);
	docket_repo_free(repo);
	docket_global_shutdown();
	return error;
}
