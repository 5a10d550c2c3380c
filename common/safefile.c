/*
 * Replace a file the way root may: never through a name someone else could
 * have planted.  The contents go to a temporary file created by mkstemp(3)
 * (O_CREAT|O_EXCL, so a symlink at that name is never followed) in the
 * target's own directory, so the rename is atomic; the target itself must be
 * absent or a regular file (a symlink, device, FIFO or directory there is
 * refused, never replaced).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cmd.h"

static const char *kind_of(mode_t m)
{
	if (S_ISLNK(m))
		return "a symbolic link";
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m) || S_ISBLK(m))
		return "a device";
	if (S_ISSOCK(m))
		return "a socket";
	return "not a regular file";
}

/* The target must be absent or a regular file (lstat: not a symlink). */
static int check_target(const char *target)
{
	struct stat st;

	if (lstat(target, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		cmd_error("%s: %s", target, strerror(errno));
		return cmd_sys_exit_code(-errno);
	}
	if (!S_ISREG(st.st_mode)) {
		cmd_error("%s: %s, not a regular file: refusing to replace it", target,
			  kind_of(st.st_mode));
		return EXIT_REFUSED;
	}
	return 0;
}

int safe_file_open(struct safe_file *sf, const char *target, mode_t mode)
{
	const char *slash = strrchr(target, '/');
	int fd, rc, e;

	memset(sf, 0, sizeof(*sf));
	sf->target = target;
	if (!*target || (slash && !slash[1])) {
		cmd_error("%s: not a file name", target);
		return EXIT_USAGE;
	}
	rc = check_target(target);
	if (rc)
		return rc;
	/* DIR/.NAME.XXXXXX: hidden from collectors that read DIR/\*.prom */
	if ((size_t)snprintf(sf->tmp, sizeof(sf->tmp), "%.*s.%s.XXXXXX",
			     slash ? (int)(slash - target + 1) : 0, target,
			     slash ? slash + 1 : target) >= sizeof(sf->tmp)) {
		cmd_error("%s: file name too long", target);
		return EXIT_USAGE;
	}
	fd = mkostemp(sf->tmp, O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		cmd_error("%s: cannot create a temporary file beside it: %s", target, strerror(e));
		sf->tmp[0] = '\0';
		return cmd_sys_exit_code(-e);
	}
	if (fchmod(fd, mode) < 0 || !(sf->f = fdopen(fd, "w"))) {
		e = errno;
		close(fd);
		unlink(sf->tmp);
		sf->tmp[0] = '\0';
		cmd_error("%s: %s", target, strerror(e));
		return cmd_sys_exit_code(-e);
	}
	return 0;
}

void safe_file_abort(struct safe_file *sf)
{
	if (sf->f)
		fclose(sf->f);
	sf->f = NULL;
	if (sf->tmp[0])
		unlink(sf->tmp);
	sf->tmp[0] = '\0';
}

/* fsync the directory so the rename survives a crash (best effort). */
static void sync_dir(const char *target)
{
	const char *slash = strrchr(target, '/');
	char dir[4096];
	int fd;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - target) + 1 : 1,
		 slash ? target : ".");
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

int safe_file_commit(struct safe_file *sf)
{
	int e = 0, rc;

	if (fflush(sf->f) != 0 || ferror(sf->f))
		e = errno ? errno : EIO;
	else if (fsync(fileno(sf->f)) < 0)
		e = errno;
	if (fclose(sf->f) != 0 && !e)
		e = errno;
	sf->f = NULL;
	if (e) {
		cmd_error("%s: write error: %s", sf->tmp, strerror(e));
		safe_file_abort(sf);
		return EXIT_SYSERR;
	}
	/* the target may have changed while we wrote: look again */
	rc = check_target(sf->target);
	if (rc) {
		safe_file_abort(sf);
		return rc;
	}
	if (rename(sf->tmp, sf->target) < 0) {
		e = errno;
		cmd_error("%s: %s", sf->target, strerror(e));
		safe_file_abort(sf);
		return cmd_sys_exit_code(-e);
	}
	sf->tmp[0] = '\0';
	sync_dir(sf->target);
	return 0;
}
