/*
 * Per-process swap.  Every process's /proc/PID/status is read once (VmSwap
 * is a counter the kernel keeps, no page-table walk); smaps_rollup, which
 * walks every mapping of the process under its mmap lock, is read only on
 * request and only for the processes asked for.  A value that cannot be
 * read stays SWAPCTL_UNKNOWN.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

struct swapctl_proclist {
	size_t n, cap;
	struct swapctl_proc *v;
};

struct swapctl_userlist {
	size_t n, cap;
	struct swapctl_usersum *v;
};

/* ----------------------------------------------------------- parsing */

/* The number after "Key:" (blanks skipped), times 1024 for " kB". */
static uint64_t field_u64(const char *s, const char *end)
{
	uint64_t v = 0;
	bool any = false;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	for (; s < end && *s >= '0' && *s <= '9'; s++) {
		if (v > (UINT64_MAX - 9) / 10)
			return SWAPCTL_UNKNOWN;
		v = v * 10 + (uint64_t)(*s - '0');
		any = true;
	}
	if (!any)
		return SWAPCTL_UNKNOWN;
	if (end - s >= 3 && !memcmp(s, " kB", 3))
		v = v > (UINT64_MAX - 1) / 1024 ? SWAPCTL_UNKNOWN : v * 1024;
	return v;
}

/*
 * The Name: line is escaped by the kernel (seq_escape with "\n\\"): a
 * backslash is written \\ and a newline \n.  Decode both, so "a\b" is
 * one backslash, not two; any other byte is as the process set it.
 */
static void decode_name(const char *s, const char *end, char *out, size_t size)
{
	size_t o = 0;

	for (; s < end && o + 1 < size; s++) {
		if (*s == '\\' && s + 1 < end && (s[1] == '\\' || s[1] == 'n')) {
			out[o++] = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			out[o++] = *s;
		}
	}
	out[o] = '\0';
}

#define IS(line, len, key) ((len) > sizeof(key) - 1 && !memcmp(line, key, sizeof(key) - 1))

int proc_status_parse(const char *text, struct swapctl_proc *p)
{
	const char *line = text;
	bool have_mm = false, kthread = false, have_uid = false;

	p->swap = p->rss = SWAPCTL_UNKNOWN;
	while (*line) {
		const char *nl = strchr(line, '\n');
		const char *end = nl ? nl : line + strlen(line);
		size_t len = (size_t)(end - line);

		switch (line[0]) {
		case 'N':
			if (IS(line, len, "Name:")) {
				const char *s = line + 5;

				while (s < end && (*s == '\t' || *s == ' '))
					s++;
				decode_name(s, end, p->comm, sizeof(p->comm));
			}
			break;
		case 'U':
			if (IS(line, len, "Uid:")) {
				uint64_t u = field_u64(line + 4, end);

				if (u <= UINT32_MAX) {
					p->uid = (uid_t)u;
					have_uid = true;
				}
			}
			break;
		case 'K':
			if (IS(line, len, "Kthread:"))
				kthread = field_u64(line + 8, end) == 1;
			break;
		case 'V':
			if (IS(line, len, "VmSize:"))
				have_mm = true;
			else if (IS(line, len, "VmRSS:"))
				p->rss = field_u64(line + 6, end);
			else if (IS(line, len, "VmSwap:"))
				p->swap = field_u64(line + 7, end);
			break;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (!have_uid)
		return -EINVAL;
	/* kernel threads and zombies have no memory of their own */
	return kthread || !have_mm ? 0 : 1;
}

int smaps_rollup_parse(const char *text, struct swapctl_proc *p)
{
	uint64_t v;
	int found = 0;

	if (kv_u64(text, "SwapPss", &v) == 0) {
		p->swap_pss = v;
		found++;
	}
	if (kv_u64(text, "Swap", &v) == 0) {
		p->smaps_swap = v;
		found++;
	}
	return found ? 0 : -EINVAL;
}

/* ------------------------------------------------------------ users */

struct uidname {
	uid_t uid;
	char name[33];
};

struct namecache {
	struct uidname *v;
	size_t n, cap;
	char *passwd;           /* <sysroot>/etc/passwd, when not the real root */
	bool passwd_read;
};

static bool passwd_lookup(const char *text, uid_t uid, char *buf, size_t size)
{
	const char *line = text;

	while (line && *line) {
		const char *c1 = strchr(line, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
		const char *nl = strchr(line, '\n');

		if (c1 && c2 && (!nl || c2 < nl) && (unsigned long)atol(c2 + 1) == uid && c2[1] >= '0' &&
		    c2[1] <= '9') {
			snprintf(buf, size, "%.*s", (int)(c1 - line), line);
			return true;
		}
		line = nl ? nl + 1 : NULL;
	}
	return false;
}

static void user_name(struct swapctl_ctx *ctx, struct namecache *nc, uid_t uid, char *buf, size_t size)
{
	size_t i;
	bool found = false;

	for (i = 0; i < nc->n; i++)
		if (nc->v[i].uid == uid) {
			snprintf(buf, size, "%s", nc->v[i].name);
			return;
		}
	if (!strcmp(swapctl_get_sysroot(ctx), "/")) {
		struct passwd pw, *res = NULL;
		char tmp[4096];

		if (getpwuid_r(uid, &pw, tmp, sizeof(tmp), &res) == 0 && res) {
			snprintf(buf, size, "%s", res->pw_name);
			found = true;
		}
	} else {
		if (!nc->passwd_read) {
			nc->passwd_read = true;
			if (sysroot_read_file(ctx, "/etc/passwd", &nc->passwd, NULL) < 0)
				nc->passwd = NULL;
		}
		found = nc->passwd && passwd_lookup(nc->passwd, uid, buf, size);
	}
	if (!found)
		snprintf(buf, size, "%lu", (unsigned long)uid);
	if (ARRAY_GROW(nc->v, nc->n, nc->cap) < 0)
		return;
	nc->v[nc->n].uid = uid;
	snprintf(nc->v[nc->n].name, sizeof(nc->v[0].name), "%s", buf);
	nc->n++;
}

static void namecache_free(struct namecache *nc)
{
	free(nc->v);
	free(nc->passwd);
}

/* ------------------------------------------------------------ reading */

static int proc_cmp(const void *a, const void *b)
{
	const struct swapctl_proc *x = a, *y = b;
	int c = cmp_swap_desc(x->swap, y->swap);

	return c ? c : CMP(x->pid, y->pid);
}

/* A PID directory name: all digits. */
static bool is_pid(const char *s, pid_t *pid)
{
	long v = 0;

	if (!*s)
		return false;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > 1L << 31)
			return false;
		v = v * 10 + (*s - '0');
	}
	*pid = (pid_t)v;
	return v > 0;
}

SWAPCTL_EXPORT int swapctl_procs_read(struct swapctl_ctx *ctx, struct swapctl_proclist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_proclist *l = calloc(1, sizeof(*l));
	struct namecache nc = { 0 };
	struct dirent *e;
	char buf[8192];
	int procfd, dfd, r = 0;
	DIR *d;
	size_t i;

	if (!l)
		return -ENOMEM;
	procfd = sysroot_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (procfd < 0) {
		free(l);
		return swapctl_fail_errno(ctx, -procfd, "/proc: %s", strerror(-procfd));
	}
	dfd = dup(procfd);
	d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		r = swapctl_fail_errno(ctx, errno, "/proc: %s", strerror(errno));
		if (dfd >= 0)
			close(dfd);
		goto out;
	}
	while ((e = readdir(d))) {
		struct swapctl_proc p;
		char name[32];
		ssize_t n;
		pid_t pid;

		if (!is_pid(e->d_name, &pid))
			continue;
		memset(&p, 0, sizeof(p));
		p.pid = pid;
		snprintf(name, sizeof(name), "%s/status", e->d_name);
		n = read_small_at(procfd, name, buf, sizeof(buf));
		if (n == -ENOENT || n == -ESRCH)
			continue;       /* gone meanwhile */
		if (n < 0) {
			struct stat st;

			/* hidepid=1 and the like: we know it exists, nothing more */
			if (fstatat(procfd, e->d_name, &st, 0) < 0)
				continue;
			p.uid = st.st_uid;
			snprintf(p.comm, sizeof(p.comm), "?");
			p.swap = p.rss = SWAPCTL_UNKNOWN;
		} else if (proc_status_parse(buf, &p) <= 0) {
			continue;       /* kernel thread, zombie, or not a status */
		}
		p.swap_pss = p.smaps_swap = SWAPCTL_UNKNOWN;
		if ((r = ARRAY_GROW(l->v, l->n, l->cap)) < 0)
			break;
		l->v[l->n++] = p;
	}
	closedir(d);
	if (r < 0)
		goto out;
	for (i = 0; i < l->n; i++)
		user_name(ctx, &nc, l->v[i].uid, l->v[i].user, sizeof(l->v[i].user));
	if (l->n)
		qsort(l->v, l->n, sizeof(l->v[0]), proc_cmp);
out:
	namecache_free(&nc);
	close(procfd);
	if (r < 0) {
		swapctl_proclist_free(l);
		return r;
	}
	*out = l;
	return 0;
}

SWAPCTL_EXPORT size_t swapctl_proclist_count(const struct swapctl_proclist *l)
{
	return l ? l->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_proc *swapctl_proclist_get(const struct swapctl_proclist *l, size_t i)
{
	return l && i < l->n ? &l->v[i] : NULL;
}

/*
 * SwapPss and Swap of one process: 0, or -ESRCH when the process is gone
 * (ESRCH: it exited, its memory is gone; ENOENT with /proc/PID gone too: it
 * was reaped), which is not the same as unreadable (EACCES without
 * CAP_SYS_PTRACE, or no smaps_rollup at all): those stay unknown.
 */
static int read_smaps_one(int procfd, struct swapctl_proc *p)
{
	char name[48], buf[4096];
	struct stat st;
	ssize_t n;

	p->swap_pss = p->smaps_swap = SWAPCTL_UNKNOWN;
	snprintf(name, sizeof(name), "%ld/smaps_rollup", (long)p->pid);
	n = read_small_at(procfd, name, buf, sizeof(buf));
	if (n == -ESRCH)
		return -ESRCH;
	if (n == -ENOENT) {
		snprintf(name, sizeof(name), "%ld", (long)p->pid);
		if (fstatat(procfd, name, &st, 0) < 0 && (errno == ENOENT || errno == ESRCH))
			return -ESRCH;
	}
	if (n > 0)
		smaps_rollup_parse(buf, p);
	return 0;
}

SWAPCTL_EXPORT int swapctl_proclist_read_smaps(struct swapctl_ctx *ctx, struct swapctl_proclist *l,
					       size_t first, size_t n)
{
	SWAPCTL_ENTER(ctx);
	int procfd;
	size_t i;

	if (!l)
		return -EINVAL;
	procfd = sysroot_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
	if (procfd < 0)
		return swapctl_fail_errno(ctx, -procfd, "/proc: %s", strerror(-procfd));
	/* a process that exited meanwhile leaves the list: the next one moves up */
	for (i = first; i < l->n && i - first < n;) {
		if (read_smaps_one(procfd, &l->v[i]) == -ESRCH) {
			memmove(&l->v[i], &l->v[i + 1], (l->n - i - 1) * sizeof(l->v[0]));
			l->n--;
		} else {
			i++;
		}
	}
	close(procfd);
	return 0;
}

SWAPCTL_EXPORT void swapctl_proclist_free(struct swapctl_proclist *l)
{
	if (!l)
		return;
	free(l->v);
	free(l);
}

SWAPCTL_EXPORT int swapctl_proc_cmdline(struct swapctl_ctx *ctx, pid_t pid, char *buf, size_t size)
{
	SWAPCTL_ENTER(ctx);
	char path[64], *text;
	size_t len, i;
	int r;

	if (size == 0)
		return -EINVAL;
	snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long)pid);
	r = sysroot_read_file(ctx, path, &text, &len);
	if (r < 0)
		return swapctl_fail_errno(ctx, -r, "%s: %s", path, strerror(-r));
	while (len > 0 && text[len - 1] == '\0')
		len--;
	for (i = 0; i < len; i++)
		if (text[i] == '\0')
			text[i] = ' ';
	text[len] = '\0';
	snprintf(buf, size, "%s", text);
	free(text);
	return 0;
}

/* ------------------------------------------------------------ per user */

static uint64_t add(uint64_t sum, uint64_t v)
{
	if (v == SWAPCTL_UNKNOWN)
		return sum;
	return sum == SWAPCTL_UNKNOWN ? v : sum + v;
}

static int usersum_cmp(const void *a, const void *b)
{
	const struct swapctl_usersum *x = a, *y = b;
	int c = cmp_swap_desc(x->swap, y->swap);

	return c ? c : CMP(x->uid, y->uid);
}

static struct swapctl_usersum *find_user(struct swapctl_userlist *u, uid_t uid)
{
	size_t i;

	for (i = 0; i < u->n; i++)
		if (u->v[i].uid == uid)
			return &u->v[i];
	return NULL;
}

SWAPCTL_EXPORT int swapctl_proclist_by_user(struct swapctl_ctx *ctx, struct swapctl_proclist *l,
					    size_t smaps_users, struct swapctl_userlist **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_userlist *u = calloc(1, sizeof(*u));
	int procfd = -1;
	size_t i;

	if (!u)
		return -ENOMEM;
	for (i = 0; l && i < l->n; i++) {
		const struct swapctl_proc *p = &l->v[i];
		struct swapctl_usersum *s = find_user(u, p->uid);

		if (!s) {
			if (ARRAY_GROW(u->v, u->n, u->cap) < 0) {
				swapctl_userlist_free(u);
				return -ENOMEM;
			}
			s = &u->v[u->n++];
			memset(s, 0, sizeof(*s));
			s->uid = p->uid;
			snprintf(s->user, sizeof(s->user), "%s", p->user);
			s->swap = s->rss = s->swap_pss = SWAPCTL_UNKNOWN;
		}
		s->nprocs++;
		s->swap = add(s->swap, p->swap);
		s->rss = add(s->rss, p->rss);
		s->swap_unread += p->swap == SWAPCTL_UNKNOWN;
	}
	if (u->n)
		qsort(u->v, u->n, sizeof(u->v[0]), usersum_cmp);
	if (smaps_users > 0 && l && l->n) {
		procfd = sysroot_open(ctx, "/proc", O_RDONLY | O_DIRECTORY);
		if (procfd < 0) {
			swapctl_userlist_free(u);
			return swapctl_fail_errno(ctx, -procfd, "/proc: %s", strerror(-procfd));
		}
		for (i = 0; i < l->n; i++) {
			struct swapctl_usersum *s = find_user(u, l->v[i].uid);

			if (!s || (size_t)(s - u->v) >= smaps_users)
				continue;
			if (read_smaps_one(procfd, &l->v[i]) == -ESRCH)
				continue;       /* exited meanwhile: nothing to add */
			s->swap_pss = add(s->swap_pss, l->v[i].swap_pss);
			s->pss_unread += l->v[i].swap_pss == SWAPCTL_UNKNOWN;
		}
		close(procfd);
	}
	*out = u;
	return 0;
}

SWAPCTL_EXPORT size_t swapctl_userlist_count(const struct swapctl_userlist *u)
{
	return u ? u->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_usersum *swapctl_userlist_get(const struct swapctl_userlist *u, size_t i)
{
	return u && i < u->n ? &u->v[i] : NULL;
}

SWAPCTL_EXPORT void swapctl_userlist_free(struct swapctl_userlist *u)
{
	if (!u)
		return;
	free(u->v);
	free(u);
}
