/*
 * docket: the library as a whole. Setting up the libraries docket stands on, once per
 * process, and wiring the layers together: the workflow layer runs the checks of the kinds
 * of document the drafting layer defines through a table registered here, so that no layer
 * calls a layer above it (DESIGN.md, "The code: layers you can see").
 */
#include "docket/version.h"
#include <git2.h>
#include <libxml/parser.h>
#include <libxslt/xslt.h>
#include "workflow_internal.h"
#include "draft_internal.h"

static const docket_kind_checks draft_checks = {
	docket_draft_check_targets,
	docket_draft_check_submit,
};

static int initialised;

int docket_global_init(void)
{
	if (initialised++)
		return 0;
	xmlInitParser();
	if (git_libgit2_init() < 0)
		return docket_error_git(DOCKET_ERROR, "cannot initialise libgit2");
	/* libgit2 keeps up to 256 MiB of parsed objects by default; a replay of 500,000 commits
	 * reads each once, so a small cache keeps the memory flat as the repository grows */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(4 * 1024 * 1024));
	/* but trees of any size are kept (libgit2 keeps none over 4 KiB by default): walking
	 * consecutive commits, a commit's trees are its parent's but on the changed path, and a
	 * folder of a province's schools is tens of KiB, read again for every commit otherwise */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t)256 * 1024);
	/* and pack files mapped through small windows, at most 64 MiB at once, however large
	 * the packs (mapped pages count in a process's resident memory) */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)8 * 1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)64 * 1024 * 1024);
	/* A docket repository may be owned by another user on a server; libgit2 1.5 checks
	 * safe.directory itself, which we keep. */
	/* the drafting layer's rules for plans and reports, run by docket_validate and by the
	 * engine when a document leaves an editable state */
	docket_workflow_set_checks(&draft_checks);
	return 0;
}

void docket_global_verify_objects(int on)
{
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, on ? 1 : 0);
}

void docket_global_read_once(void)
{
	/* pack files through 1 MiB windows, 8 MiB mapped at most: mapped pages count in the
	 * resident memory, and a pass reading each object once gains nothing from keeping them */
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)1024 * 1024);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, (size_t)8 * 1024 * 1024);
	/* room for the trees read again (those on the path to each document), not more */
	git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, (ssize_t)(512 * 1024));
}

void docket_global_shutdown(void)
{
	if (!initialised || --initialised)
		return;
	docket_config_memo_clear();
	git_libgit2_shutdown();
	xsltCleanupGlobals();
	xmlCleanupParser();
}

int docket_version(int *major, int *minor, int *patch)
{
	if (major)
		*major = DOCKET_VERSION_MAJOR;
	if (minor)
		*minor = DOCKET_VERSION_MINOR;
	if (patch)
		*patch = DOCKET_VERSION_PATCH;
	return 0;
}
