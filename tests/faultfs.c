/*
 * faultfs: a faulty disk for the tests (this kernel has no device-mapper).
 *
 *     faultfs [-p pagesize] BACKING MOUNTPOINT
 *
 * mounts a FUSE file system with two files: MOUNTPOINT/disk, whose bytes
 * are BACKING's (same size), and MOUNTPOINT/ctl, which takes commands and
 * shows the state and counters.  A loop device attached to disk
 * (losetup --direct-io=off) then fails where the commands say: the loop
 * driver turns the EIO of a read or write of the file into an I/O error of
 * the block request.  Every file is opened with direct_io, so no page cache
 * stands between the loop device and the faults.
 *
 * Commands, one per line, written to ctl (a bad one fails the write with
 * EINVAL); pages are numbered from 0 in units of pagesize (4096 unless -p):
 *     read-fail PAGES     reads that touch these pages fail with EIO
 *     write-fail PAGES    writes that touch these pages fail with EIO
 *                         (PAGES: 5 or 5,9 or 5-9,100)
 *     drop-writes         writes succeed and store nothing
 *     fail-all            from now on every read, write and fsync fails
 *     fail-after BYTES    the same, once reads and writes asked for BYTES
 *                         more (the request that crosses it fails)
 *     clear               no fault, counters kept
 * Reading ctl gives one "key value" line each: the faults, and the counters
 * reads, writes (requests of the disk), read_errors, write_errors (those
 * failed), dropped (writes not stored), bytes (asked for, failed ones
 * too), pid (of this daemon).
 *
 * Without -f it runs as a daemon once mounted, so the disk can be used as
 * soon as the command returns; fusermount3 -u MOUNTPOINT stops it.  It is
 * single-threaded: requests and commands are served one at a time, in order.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct range {
	uint64_t lo, hi;        /* pages lo..hi, both included */
};

struct pages {
	struct range *r;
	size_t n;
};

static struct {
	int fd;                 /* the backing file */
	uint64_t size;
	unsigned ps;
	struct pages rfail, wfail;
	bool drop, failall;
	uint64_t fail_after;    /* bytes left before fail-all; UINT64_MAX: never */
	uint64_t reads, writes, read_errors, write_errors, dropped, bytes;
} fs = { .fd = -1, .ps = 4096, .fail_after = UINT64_MAX };

static bool touches(const struct pages *s, off_t off, size_t len)
{
	uint64_t first = (uint64_t)off / fs.ps, last = ((uint64_t)off + len - 1) / fs.ps;
	size_t i;

	for (i = 0; len && i < s->n; i++)
		if (s->r[i].lo <= last && s->r[i].hi >= first)
			return true;
	return false;
}

/* Count len bytes through the disk; false when the device now fails all. */
static bool account(size_t len)
{
	fs.bytes += len;
	if (fs.fail_after != UINT64_MAX) {
		if (fs.fail_after < len) {
			fs.failall = true;
			fs.fail_after = UINT64_MAX;
		} else {
			fs.fail_after -= len;
		}
	}
	return !fs.failall;
}

/* PAGES: comma-separated pages or ranges lo-hi. */
static int parse_pages(const char *v, struct pages *s)
{
	while (*v) {
		struct range r, *n;
		char *end;

		if (*v < '0' || *v > '9')
			return -EINVAL;
		r.lo = r.hi = strtoull(v, &end, 10);
		if (*end == '-') {
			v = end + 1;
			if (*v < '0' || *v > '9')
				return -EINVAL;
			r.hi = strtoull(v, &end, 10);
		}
		if (r.hi < r.lo || (*end && *end != ','))
			return -EINVAL;
		n = realloc(s->r, (s->n + 1) * sizeof(*n));
		if (!n)
			return -ENOMEM;
		s->r = n;
		s->r[s->n++] = r;
		v = *end ? end + 1 : end;
	}
	return 0;
}

static int command(char *line)
{
	char *arg = strchr(line, ' '), *end;

	if (arg)
		*arg++ = '\0';
	if (!strcmp(line, "read-fail") && arg)
		return parse_pages(arg, &fs.rfail);
	if (!strcmp(line, "write-fail") && arg)
		return parse_pages(arg, &fs.wfail);
	if (!strcmp(line, "fail-after") && arg && *arg >= '0' && *arg <= '9') {
		fs.fail_after = strtoull(arg, &end, 10);
		return *end ? -EINVAL : 0;
	}
	if (arg)
		return -EINVAL;
	if (!strcmp(line, "drop-writes")) {
		fs.drop = true;
	} else if (!strcmp(line, "fail-all")) {
		fs.failall = true;
	} else if (!strcmp(line, "clear")) {
		fs.rfail.n = fs.wfail.n = 0;
		fs.drop = fs.failall = false;
		fs.fail_after = UINT64_MAX;
	} else {
		return -EINVAL;
	}
	return 0;
}

static void put_pages(FILE *f, const char *key, const struct pages *s)
{
	size_t i;

	fprintf(f, "%s ", key);
	for (i = 0; i < s->n; i++) {
		fprintf(f, i ? ",%" PRIu64 : "%" PRIu64, s->r[i].lo);
		if (s->r[i].hi != s->r[i].lo)
			fprintf(f, "-%" PRIu64, s->r[i].hi);
	}
	if (!s->n)
		fputc('-', f);
	fputc('\n', f);
}

/* The ctl file's text, in a malloc'd buffer. */
static char *status(size_t *len)
{
	char *buf = NULL;
	FILE *f = open_memstream(&buf, len);

	if (!f)
		return NULL;
	put_pages(f, "read-fail", &fs.rfail);
	put_pages(f, "write-fail", &fs.wfail);
	fprintf(f, "drop-writes %d\nfail-all %d\n", fs.drop, fs.failall);
	if (fs.fail_after != UINT64_MAX)
		fprintf(f, "fail-after %" PRIu64 "\n", fs.fail_after);
	fprintf(f, "reads %" PRIu64 "\nwrites %" PRIu64 "\nread_errors %" PRIu64 "\nwrite_errors %" PRIu64
		"\ndropped %" PRIu64 "\nbytes %" PRIu64 "\npid %ld\n", fs.reads, fs.writes, fs.read_errors,
		fs.write_errors, fs.dropped, fs.bytes, (long)getpid());
	if (fclose(f) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void *fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	cfg->direct_io = 1;     /* every read and write reaches us */
	cfg->kernel_cache = 0;
	cfg->attr_timeout = 0;
	cfg->entry_timeout = 0;
	return NULL;
}

static int fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_nlink = 1;
	if (!strcmp(path, "/")) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (!strcmp(path, "/disk")) {
		st->st_mode = S_IFREG | 0600;
		st->st_size = (off_t)fs.size;
		st->st_blocks = (blkcnt_t)(fs.size / 512);
	} else if (!strcmp(path, "/ctl")) {
		st->st_mode = S_IFREG | 0600;
		st->st_size = 4096;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int fs_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off, struct fuse_file_info *fi,
		      enum fuse_readdir_flags flags)
{
	(void)off, (void)fi, (void)flags;
	if (strcmp(path, "/"))
		return -ENOTDIR;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "disk", NULL, 0, 0);
	fill(buf, "ctl", NULL, 0, 0);
	return 0;
}

static int fs_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/disk") && strcmp(path, "/ctl"))
		return -ENOENT;
	fi->direct_io = 1;
	return 0;
}

/* ctl is emptied by O_TRUNC (echo > ctl); the disk keeps its size. */
static int fs_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)fi;
	if (!strcmp(path, "/ctl"))
		return 0;
	return (uint64_t)size == fs.size ? 0 : -EPERM;
}

static int fs_read(const char *path, char *buf, size_t len, off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	(void)fi;
	if (!strcmp(path, "/ctl")) {
		size_t slen;
		char *s = status(&slen);

		if (!s)
			return -ENOMEM;
		n = (uint64_t)off >= slen ? 0 : (ssize_t)(slen - (size_t)off < len ? slen - (size_t)off : len);
		if (n)
			memcpy(buf, s + off, (size_t)n);
		free(s);
		return (int)n;
	}
	fs.reads++;
	if ((uint64_t)off >= fs.size)
		return 0;
	if (len > fs.size - (uint64_t)off)
		len = fs.size - (uint64_t)off;
	if (!account(len) || touches(&fs.rfail, off, len)) {
		fs.read_errors++;
		return -EIO;
	}
	n = pread(fs.fd, buf, len, off);
	return n < 0 ? -errno : (int)n;
}

static int fs_write(const char *path, const char *buf, size_t len, off_t off, struct fuse_file_info *fi)
{
	ssize_t n;

	(void)fi;
	if (!strcmp(path, "/ctl")) {
		char *cmd = strndup(buf, len), *line, *save = NULL;
		int r = 0;

		if (!cmd)
			return -ENOMEM;
		for (line = strtok_r(cmd, "\n", &save); line && !r; line = strtok_r(NULL, "\n", &save))
			r = command(line);
		free(cmd);
		return r < 0 ? r : (int)len;
	}
	fs.writes++;
	if ((uint64_t)off + len > fs.size)
		return -ENOSPC;
	if (!account(len) || touches(&fs.wfail, off, len)) {
		fs.write_errors++;
		return -EIO;
	}
	if (fs.drop) {
		fs.dropped++;
		return (int)len;
	}
	n = pwrite(fs.fd, buf, len, off);
	return n < 0 ? -errno : (int)n;
}

static int fs_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)datasync, (void)fi;
	if (strcmp(path, "/disk"))
		return 0;
	if (fs.failall)
		return -EIO;
	return fdatasync(fs.fd) < 0 ? -errno : 0;
}

static const struct fuse_operations ops = {
	.init = fs_init,
	.getattr = fs_getattr,
	.readdir = fs_readdir,
	.open = fs_open,
	.truncate = fs_truncate,
	.read = fs_read,
	.write = fs_write,
	.fsync = fs_fsync,
};

static int usage(void)
{
	fprintf(stderr, "usage: faultfs [-f] [-p pagesize] BACKING MOUNTPOINT\n");
	return 1;
}

int main(int argc, char **argv)
{
	char *fargv[8];
	int fargc = 0, c;
	bool foreground = false;
	struct stat st;

	while ((c = getopt(argc, argv, "fp:")) != -1) {
		if (c == 'f')
			foreground = true;
		else if (c == 'p' && atoi(optarg) >= 512 && !(atoi(optarg) & (atoi(optarg) - 1)))
			fs.ps = (unsigned)atoi(optarg);
		else
			return usage();
	}
	if (argc - optind != 2)
		return usage();
	/* opened now: the daemon runs in / */
	fs.fd = open(argv[optind], O_RDWR | O_CLOEXEC);
	if (fs.fd < 0 || fstat(fs.fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "faultfs: %s: %s\n", argv[optind], fs.fd < 0 ? strerror(errno) : "not a regular file");
		return 1;
	}
	fs.size = (uint64_t)st.st_size;
	fargv[fargc++] = argv[0];
	fargv[fargc++] = "-s";  /* one thread: requests and commands in order */
	if (foreground)
		fargv[fargc++] = "-f";
	fargv[fargc++] = "-o";
	fargv[fargc++] = "fsname=faultfs,subtype=faultfs";
	fargv[fargc++] = argv[optind + 1];
	fargv[fargc] = NULL;
	return fuse_main(fargc, fargv, &ops, NULL);
}
