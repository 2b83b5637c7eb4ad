/*
 * pdf: a page as PDF through WeasyPrint (docs/rendering.md, "Converter"), run as an external
 * program so that an installation without it still renders pages. No shell: the argument
 * vector is fixed and the file names are ours (a private temporary directory for the page
 * and the converter's messages, a temporary file beside the destination for the PDF, renamed
 * into place only when the converter succeeded). The converter gets no terminal input and is
 * killed when it runs past the time limit.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "web.h"
#include "web_internal.h"

extern char **environ;

/* The converter's last non-empty line of messages, for the error (at most SIZE - 1 bytes). */
static void last_line(char *out, size_t size, const char *path)
{
	char buf[8192], *end, *start;
	ssize_t n;
	int fd;

	out[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return;
	if (lseek(fd, 0, SEEK_END) > (off_t)sizeof(buf) - 1)
		lseek(fd, -(off_t)(sizeof(buf) - 1), SEEK_END);
	else
		lseek(fd, 0, SEEK_SET);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	buf[n] = '\0';
	end = buf + n;
	while (end > buf && (end[-1] == '\n' || end[-1] == '\r' || end[-1] == ' '))
		*--end = '\0';
	start = strrchr(buf, '\n');
	start = start ? start + 1 : buf;
	/* the converter's last line, cut to fit: a message, not data */
	n = (ssize_t)strlen(start);
	if ((size_t)n >= size)
		n = (ssize_t)size - 1;
	memcpy(out, start, (size_t)n);
	out[n] = '\0';
}

/* Wait for PID at most TIMEOUT seconds; then kill it. 0 with *status, or -1 timed out. */
static int wait_bounded(pid_t pid, int timeout, int *status)
{
	struct timespec step = { 0, 50 * 1000 * 1000 };
	long waited_ms = 0;

	for (;;) {
		pid_t r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return 0;
		if (waited_ms >= (long)timeout * 1000) {
			kill(pid, SIGKILL);
			while (waitpid(pid, status, 0) < 0 && errno == EINTR)
				;
			return -1;
		}
		nanosleep(&step, NULL);
		waited_ms += 50;
	}
}

int web_pdf_write(const char *out_path, const char *html, size_t len, int timeout_seconds)
{
	/* a private directory (mkdtemp makes it 0700) with names of our own inside */
	char dir[] = "/tmp/docket-pdf.XXXXXX";
	char page[64], log[64], msg[512];
	char *tmp_out = NULL, *arg_out = NULL;
	posix_spawn_file_actions_t fa;
	int fa_ready = 0, made_out = 0, made_dir = 0, status = 0, fd, error, spawn_error;
	size_t n;
	pid_t pid;

	if (!out_path || !*out_path || strcmp(out_path, "-") == 0)
		return web_error(DOCKET_EUSAGE, "a PDF needs an output file");
	if (timeout_seconds <= 0)
		timeout_seconds = 120;
	if (!mkdtemp(dir))
		return web_error(DOCKET_ERROR, "cannot create a temporary directory: %s", strerror(errno));
	made_dir = 1;
	snprintf(page, sizeof(page), "%s/page.html", dir);
	snprintf(log, sizeof(log), "%s/weasyprint.log", dir);
	if (web_write_file_atomic(page, html, len) < 0) {
		error = web_error(DOCKET_ERROR, "cannot write '%s': %s", page, strerror(errno));
		goto cleanup;
	}
	/* the PDF: a new file beside the destination, so that the rename is atomic */
	n = strlen(out_path);
	if (!(tmp_out = malloc(n + sizeof(".tmp.XXXXXX"))) || !(arg_out = malloc(n + 16))) {
		error = web_error(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	memcpy(tmp_out, out_path, n);
	memcpy(tmp_out + n, ".tmp.XXXXXX", sizeof(".tmp.XXXXXX"));
	if ((fd = mkstemp(tmp_out)) < 0) {
		error = web_error(DOCKET_ERROR, "cannot create a file beside '%s': %s", out_path, strerror(errno));
		goto cleanup;
	}
	made_out = 1;
	close(fd);
	/* a relative name that began with '-' would read as an option */
	snprintf(arg_out, n + 16, "%s%s", tmp_out[0] == '/' ? "" : "./", tmp_out);

	if (posix_spawn_file_actions_init(&fa) != 0) {
		error = web_error(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	fa_ready = 1;
	if (posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0) != 0 ||
	    posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0600) != 0 ||
	    posix_spawn_file_actions_adddup2(&fa, 1, 2) != 0) {
		error = web_error(DOCKET_ERROR, "out of memory");
		goto cleanup;
	}
	{
		char *const argv[] = { (char *)WEB_PDF_CONVERTER, (char *)"--quiet", (char *)"--encoding",
		                       (char *)"utf-8", (char *)"--", page, arg_out, NULL };
		spawn_error = posix_spawnp(&pid, WEB_PDF_CONVERTER, &fa, NULL, argv, environ);
	}
	if (spawn_error == ENOENT) {
		error = web_error(DOCKET_ENOTFOUND, "cannot make a PDF: '%s' is not installed "
		                  "(Debian package '%s': apt-get install --no-install-recommends %s "
		                  "python3-munkres fonts-liberation2)",
		                  WEB_PDF_CONVERTER, WEB_PDF_PACKAGE, WEB_PDF_PACKAGE);
		goto cleanup;
	} else if (spawn_error != 0) {
		error = web_error(DOCKET_ERROR, "cannot run '%s': %s", WEB_PDF_CONVERTER, strerror(spawn_error));
		goto cleanup;
	}
	if (wait_bounded(pid, timeout_seconds, &status) < 0) {
		error = web_error(DOCKET_ERROR, "'%s' did not finish within %d seconds: stopped",
		                  WEB_PDF_CONVERTER, timeout_seconds);
		goto cleanup;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		last_line(msg, sizeof(msg), log);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			error = web_error(DOCKET_ENOTFOUND, "cannot make a PDF: '%s' is not installed "
			                  "(Debian package '%s')", WEB_PDF_CONVERTER, WEB_PDF_PACKAGE);
		else
			error = web_error(DOCKET_ERROR, "'%s' failed (%s %d)%s%s", WEB_PDF_CONVERTER,
			                  WIFEXITED(status) ? "exit status" : "signal",
			                  WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			                  msg[0] ? ": " : "", msg);
		goto cleanup;
	}
	{
		struct stat st;
		if (stat(tmp_out, &st) < 0 || st.st_size == 0) {
			error = web_error(DOCKET_ERROR, "'%s' wrote no PDF", WEB_PDF_CONVERTER);
			goto cleanup;
		}
	}
	{
		mode_t mask = umask(0);
		umask(mask);
		if (chmod(tmp_out, 0644 & ~mask) < 0 || rename(tmp_out, out_path) < 0) {
			error = web_error(DOCKET_ERROR, "cannot write '%s': %s", out_path, strerror(errno));
			goto cleanup;
		}
	}
	made_out = 0;
	error = 0;
cleanup:
	if (fa_ready)
		posix_spawn_file_actions_destroy(&fa);
	if (made_out)
		unlink(tmp_out);
	if (made_dir) {
		unlink(page);
		unlink(log);
		rmdir(dir);
	}
	free(tmp_out);
	free(arg_out);
	return error;
}
