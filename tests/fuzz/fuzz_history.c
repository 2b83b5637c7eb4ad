/*
 * The history index reader: the input is written as GITDIR/docket/history of a repository
 * made once per process, and read back with docket_history_scan (which trusts nothing in it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "fuzz.h"

static int count_paths(const char *commit, const char *const *paths, size_t npaths, void *payload)
{
	size_t *total = payload;

	for (size_t i = 0; i < npaths; i++)
		*total += strlen(paths[i]) + (commit[0] == 'x');
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static docket_repo *repo;
	static char path[4096];
	size_t total = 0;
	FILE *f;

	fuzz_init();
	if (!repo) {
		char dir[] = "/tmp/docket-fuzz-history.XXXXXX";
		if (!mkdtemp(dir) || snprintf(path, sizeof(path), "%s/r", dir) >= (int)sizeof(path) ||
		    docket_repo_init(&repo, path, 1) < 0)
			abort();
		/* the index of the new repository's one commit, then overwritten by each input */
		if (docket_history_update(NULL, NULL, repo) < 0)
			abort();
		snprintf(path, sizeof(path), "%sdocket/history", docket_repo_gitdir(repo));
	}
	if (!(f = fopen(path, "wb")))
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	docket_history_scan(repo, NULL, count_paths, &total);
	docket_history_scan(repo, "0000000000000000000000000000000000000000", count_paths, &total);
	docket_error_clear();
	return 0;
}
