/*
 * file: reading and writing files outside git's object store. Anything docket writes goes
 * to a temporary file in the same directory and is renamed (or linked) into place, so a
 * crash never leaves half a file.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <dirent.h>
#include <ftw.h>
#include <openssl/rand.h>
#include "util_internal.h"

int docket_file_write_atomic(const char *path, const char *data, size_t len, int mode)
{
	docket_buf tmp = DOCKET_BUF_INIT;
	int fd = -1, error = DOCKET_ERROR;
	size_t off = 0;

	if (docket_buf_printf(&tmp, "%s.docket-tmp.%ld", path, (long)getpid()) < 0)
		goto cleanup;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0) {
			docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
			goto cleanup;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	if (rename(tmp.ptr, path) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot rename '%s' to '%s': %s", tmp.ptr, path,
		                 strerror(errno));
		goto cleanup;
	}
	error = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (error && tmp.ptr)
		unlink(tmp.ptr);
	docket_buf_free(&tmp);
	return error;
}

int docket_file_read(char **out, size_t *out_len, const char *path, size_t max)
{
	docket_buf b = DOCKET_BUF_INIT;
	FILE *f = NULL;
	char chunk[65536];
	size_t n;
	int error = DOCKET_ERROR;

	*out = NULL;
	if ((f = fopen(path, "rb")) == NULL) {
		error = docket_error_set(errno == ENOENT ? DOCKET_ENOTFOUND : DOCKET_ERROR,
		                         "cannot open '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b.len + n > max) {
			error = docket_error_set(DOCKET_EINVALID,
				"'%s' is larger than %zu bytes, the most docket accepts", path, max);
			goto cleanup;
		}
		if (docket_buf_put(&b, chunk, n) < 0)
			goto cleanup;
	}
	if (ferror(f)) {
		docket_error_set(DOCKET_ERROR, "cannot read '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	*out = docket_buf_detach(&b, out_len);
	error = *out ? 0 : DOCKET_ERROR;
cleanup:
	if (f)
		fclose(f);
	docket_buf_free(&b);
	return error;
}

int docket_path_exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

static int write_all(int fd, const char *data, size_t len)
{
	size_t off = 0;

	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

int docket_file_create_new(const char *path, const char *data, size_t len, int mode)
{
	docket_buf tmp = DOCKET_BUF_INIT;
	unsigned int rnd = 0;
	int fd = -1, error = DOCKET_ERROR, created_tmp = 0;

	RAND_bytes((unsigned char *)&rnd, sizeof(rnd));
	if (docket_buf_printf(&tmp, "%s.docket-tmp.%ld.%08x", path, (long)getpid(), rnd) < 0)
		goto cleanup;
	fd = open(tmp.ptr, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
	if (fd < 0) {
		docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	created_tmp = 1;
	if (write_all(fd, data, len) < 0 || fsync(fd) < 0) {
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	if (close(fd) < 0) {
		fd = -1;
		docket_error_set(DOCKET_ERROR, "cannot write '%s': %s", tmp.ptr, strerror(errno));
		goto cleanup;
	}
	fd = -1;
	/* link(2) never replaces PATH, whatever it is (a dangling symbolic link included) */
	if (link(tmp.ptr, path) < 0) {
		if (errno == EEXIST)
			error = docket_error_set(DOCKET_EEXISTS, "'%s' already exists; docket never overwrites it",
			                         path);
		else
			docket_error_set(DOCKET_ERROR, "cannot create '%s': %s", path, strerror(errno));
		goto cleanup;
	}
	error = 0;
cleanup:
	if (fd >= 0)
		close(fd);
	if (created_tmp)
		unlink(tmp.ptr);
	docket_buf_free(&tmp);
	return error;
}

int docket_dir_is_empty(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	int empty = 1;

	if (!d)
		return 0;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
			empty = 0;
			break;
		}
	closedir(d);
	return empty;
}

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

void docket_rmtree(const char *path)
{
	/* depth first, never following a symbolic link out of the tree */
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}
