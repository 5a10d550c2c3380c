/*
 * Every swap area of the system, active or not: /proc/swaps, then the block
 * devices (libudev enumeration on the real system, which needs no udevd
 * since it walks sysfs; the sysfs tree under a sysroot), each probed with
 * libblkid for a swap or hibernation signature, then the swap files fstab
 * names, and last the fstab entries for which nothing was found.
 */
#include <blkid.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libudev.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"

struct swapctl_scan {
	size_t n, cap;
	struct swapctl_found *v;
	struct swapctl_swaplist *active;        /* /proc/swaps as the scan read it */
};

SWAPCTL_EXPORT const char *swapctl_state_name(enum swapctl_state s)
{
	switch (s) {
	case SWAPCTL_STATE_ACTIVE:
		return "active";
	case SWAPCTL_STATE_INACTIVE:
		return "inactive";
	case SWAPCTL_STATE_MISSING:
		return "missing";
	case SWAPCTL_STATE_HIBERNATION:
		return "hibernation";
	case SWAPCTL_STATE_UNKNOWN:
		return "unknown";
	}
	return "unknown";
}

static struct swapctl_found *scan_add(struct swapctl_scan *s)
{
	if (ARRAY_GROW(s->v, s->n, s->cap) < 0)
		return NULL;
	memset(&s->v[s->n], 0, sizeof(s->v[0]));
	s->v[s->n].fstab_prio = -1;
	s->v[s->n].sw.rotational = -1;
	return &s->v[s->n++];
}

/* A block device (or file) to probe: its name for the user and where it is. */
struct candidate {
	char name[4096];        /* /dev/sdb2, or the fstab path */
	char file[4096];        /* what to open (under the sysroot) */
	dev_t devno;            /* real system only */
	bool is_file;
};

/*
 * Probe one candidate.  Returns 1 and fills f when it holds a swap or
 * hibernation signature, 0 when not, negative when it cannot be read.
 */
static int probe_one(struct swapctl_ctx *ctx, const struct candidate *c, struct swapctl_found *f)
{
	struct swapctl_header *h;
	const char *type = NULL, *v;
	unsigned char *buf;
	blkid_probe pr;
	ssize_t n;
	int fd, r = 0;

	fd = open(c->file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	pr = blkid_new_probe();
	if (!pr || blkid_probe_set_device(pr, fd, 0, 0) != 0) {
		if (pr)
			blkid_free_probe(pr);
		close(fd);
		return -EIO;
	}
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE | BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
	if (blkid_do_safeprobe(pr) == 0 && blkid_probe_lookup_value(pr, "TYPE", &type, NULL) == 0 &&
	    (!strcmp(type, "swap") || !strcmp(type, "swsuspend"))) {
		r = 1;
		f->state = !strcmp(type, "swap") ? SWAPCTL_STATE_INACTIVE : SWAPCTL_STATE_HIBERNATION;
		if (blkid_probe_lookup_value(pr, "LABEL", &v, NULL) == 0)
			snprintf(f->sw.label, sizeof(f->sw.label), "%s", v);
		if (blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
			snprintf(f->sw.uuid, sizeof(f->sw.uuid), "%s", v);
	}
	blkid_free_probe(pr);
	if (r == 1) {
		/* the size the kernel would use: last_page pages after the header */
		buf = malloc(SWAPCTL_PAGESIZE_MAX);
		h = malloc(sizeof(*h));
		n = buf ? pread(fd, buf, SWAPCTL_PAGESIZE_MAX, 0) : -1;
		if (buf && h && n >= SWAPCTL_PAGESIZE_MIN &&
		    swapctl_header_parse(buf, (size_t)n, h) == 0 && h->sig != SWAPCTL_SIG_NONE) {
			uint64_t pages = h->last_page > h->nr_badpages ? h->last_page - h->nr_badpages : 0;

			f->sw.size = pages * h->pagesize;
			if (!f->sw.uuid[0] && !swapctl_uuid_is_null(h->uuid))
				swapctl_uuid_unparse(h->uuid, f->sw.uuid);
		}
		free(buf);
		free(h);
	}
	close(fd);
	return r;
}

/* Whether the block device NAME (sysfs) has partitions: then its own
 * contents are a partition table, not swap. */
static bool has_partitions(struct swapctl_ctx *ctx, const char *name)
{
	char dir[512], full[4096];
	struct dirent *e;
	bool found = false;
	DIR *d;

	snprintf(dir, sizeof(dir), "/sys/class/block/%s", name);
	if (sysroot_path(ctx, dir, full, sizeof(full)) < 0 || !(d = opendir(full)))
		return false;
	while (!found && (e = readdir(d))) {
		char p[4096];
		struct stat st;

		if (strncmp(e->d_name, name, strlen(name)) || !strcmp(e->d_name, name))
			continue;
		snprintf(p, sizeof(p), "%s/%s/partition", full, e->d_name);
		found = stat(p, &st) == 0;
	}
	closedir(d);
	return found;
}

/* Worth probing: non-empty, not a disk with partitions. */
static bool worth_probing(struct swapctl_ctx *ctx, const char *name)
{
	char path[512];
	uint64_t sectors;

	snprintf(path, sizeof(path), "/sys/class/block/%s/size", name);
	if (sysroot_read_u64(ctx, path, &sectors) < 0 || sectors == 0)
		return false;
	return !has_partitions(ctx, name);
}

typedef int (*candidate_fn)(struct swapctl_ctx *ctx, const struct candidate *c, void *data);

/* The real system: libudev walks /sys/class/block for us. */
static int each_block_udev(struct swapctl_ctx *ctx, candidate_fn fn, void *data)
{
	struct udev *udev = udev_new();
	struct udev_enumerate *en = udev ? udev_enumerate_new(udev) : NULL;
	struct udev_list_entry *le;
	int r = 0;

	if (!en) {
		udev_unref(udev);
		return -ENOMEM;
	}
	udev_enumerate_add_match_subsystem(en, "block");
	udev_enumerate_scan_devices(en);
	udev_list_entry_foreach(le, udev_enumerate_get_list_entry(en)) {
		struct udev_device *dev = udev_device_new_from_syspath(udev, udev_list_entry_get_name(le));
		const char *name, *node;
		struct candidate c;

		if (!dev)
			continue;
		name = udev_device_get_sysname(dev);
		node = udev_device_get_devnode(dev);
		if (name && node && worth_probing(ctx, name)) {
			memset(&c, 0, sizeof(c));
			snprintf(c.name, sizeof(c.name), "%s", node);
			snprintf(c.file, sizeof(c.file), "%s", node);
			c.devno = udev_device_get_devnum(dev);
			r = fn(ctx, &c, data);
		}
		udev_device_unref(dev);
		if (r < 0)
			break;
	}
	udev_enumerate_unref(en);
	udev_unref(udev);
	return r;
}

/* Under a sysroot: <root>/sys/class/block, device files at <root>/dev/NAME. */
static int each_block_sysfs(struct swapctl_ctx *ctx, candidate_fn fn, void *data)
{
	char full[4096];
	struct dirent *e;
	DIR *d;
	int r = 0;

	if (sysroot_path(ctx, "/sys/class/block", full, sizeof(full)) < 0 || !(d = opendir(full)))
		return 0;
	while (r >= 0 && (e = readdir(d))) {
		struct candidate c;
		char dev[300];

		if (e->d_name[0] == '.' || !worth_probing(ctx, e->d_name))
			continue;
		memset(&c, 0, sizeof(c));
		snprintf(dev, sizeof(dev), "/dev/%s", e->d_name);
		snprintf(c.name, sizeof(c.name), "%s", dev);
		if (sysroot_path(ctx, dev, c.file, sizeof(c.file)) < 0)
			continue;
		r = fn(ctx, &c, data);
	}
	closedir(d);
	return r;
}

struct scan_state {
	struct swapctl_scan *s;
	size_t nactive;
	unsigned flags;
};

/* Is c one of the active areas? */
static bool is_active(struct swapctl_ctx *ctx, struct scan_state *st, const struct candidate *c)
{
	bool real = !strcmp(swapctl_get_sysroot(ctx), "/");
	struct stat a, b;
	size_t i;

	for (i = 0; i < st->nactive; i++) {
		const struct swapctl_swap *sw = &st->s->v[i].sw;

		if (!strcmp(sw->path, c->name))
			return true;
		if (real && c->devno && sw->devno == c->devno)
			return true;
		if (real && c->is_file && !sw->deleted && stat(sw->path, &a) == 0 &&
		    stat(c->file, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
			return true;
	}
	return false;
}

static int on_candidate(struct swapctl_ctx *ctx, const struct candidate *c, void *data)
{
	struct scan_state *st = data;
	struct swapctl_found f, *slot;
	size_t i;
	int r;

	if (is_active(ctx, st, c))
		return 0;
	for (i = st->nactive; i < st->s->n; i++)
		if (!strcmp(st->s->v[i].sw.path, c->name))
			return 0;       /* already found (a file named twice) */
	memset(&f, 0, sizeof(f));
	f.fstab_prio = -1;
	f.sw.rotational = -1;
	r = probe_one(ctx, c, &f);
	if (r <= 0) {
		dbg(ctx, "%s: %s", c->name, r < 0 ? strerror(-r) : "no swap signature");
		return 0;       /* unreadable devices are skipped, not fatal */
	}
	snprintf(f.sw.path, sizeof(f.sw.path), "%s", c->name);
	f.sw.kind = c->is_file ? SWAPCTL_KIND_FILE : SWAPCTL_KIND_PARTITION;
	f.sw.devno = c->devno;
	devinfo_fill(ctx, &f.sw, false);
	slot = scan_add(st->s);
	if (!slot)
		return -ENOMEM;
	*slot = f;
	return 0;
}

/* Does fstab entry e name the found area f? */
static bool fstab_matches(struct swapctl_ctx *ctx, const struct swapctl_fstab_entry *e,
			  const struct swapctl_found *f)
{
	bool real = !strcmp(swapctl_get_sysroot(ctx), "/");
	struct stat a, b;

	/* a tag compares with what the area carries; when that is unknown (no
	 * udev data, not root), with the device the tag resolved to */
	if (!strncmp(e->spec, "UUID=", 5) && !f->sw.identity_unknown)
		return f->sw.uuid[0] && !strcasecmp(e->spec + 5, f->sw.uuid);
	if (!strncmp(e->spec, "LABEL=", 6) && !f->sw.identity_unknown)
		return f->sw.label[0] && !strcmp(e->spec + 6, f->sw.label);
	if (!strcmp(e->spec, f->sw.path) || (e->path[0] && !strcmp(e->path, f->sw.path)))
		return true;
	return real && e->path[0] && !f->sw.deleted && stat(e->path, &a) == 0 &&
	       stat(f->sw.path, &b) == 0 &&
	       (S_ISBLK(a.st_mode) ? S_ISBLK(b.st_mode) && a.st_rdev == b.st_rdev :
				     a.st_dev == b.st_dev && a.st_ino == b.st_ino);
}

/* An fstab entry that names something there but not readable (not root):
 * whether it carries swap is unknown, it is not missing. */
static bool unreadable(struct swapctl_ctx *ctx, const struct swapctl_fstab_entry *e)
{
	const char *p = e->path[0] ? e->path : e->spec[0] == '/' ? e->spec : NULL;
	char full[4096];

	if (!p || sysroot_path(ctx, p, full, sizeof(full)) < 0 || access(full, F_OK) < 0)
		return false;
	return access(full, R_OK) < 0;
}

/* A LABEL= or UUID= that resolved to nothing while some area's label and
 * UUID are unknown: it may well be that one, so not known to be missing. */
static bool unresolved_tag(const struct swapctl_fstab_entry *e, const struct swapctl_found *v, size_t n)
{
	size_t i;

	if (e->path[0] || (strncmp(e->spec, "UUID=", 5) && strncmp(e->spec, "LABEL=", 6)))
		return false;
	for (i = 0; i < n; i++)
		if (v[i].sw.identity_unknown)
			return true;
	return false;
}

static int found_cmp(const void *a, const void *b)
{
	const struct swapctl_found *x = a, *y = b;

	return strcmp(x->sw.path, y->sw.path);
}

SWAPCTL_EXPORT int swapctl_scan_read(struct swapctl_ctx *ctx, const char *fstab, unsigned flags,
				     struct swapctl_scan **out)
{
	SWAPCTL_ENTER(ctx);
	struct swapctl_scan *s = calloc(1, sizeof(*s));
	struct swapctl_fstab *tab = NULL;
	struct scan_state st = { .s = s, .flags = flags };
	bool real = !strcmp(swapctl_get_sysroot(ctx), "/");
	size_t i, j, nprobed;
	unsigned fl;
	int r;

	if (!s)
		return -ENOMEM;
	/* identity always: fstab names areas by UUID= and LABEL= */
	r = swapctl_swaps_read(ctx, flags | SWAPCTL_READ_IDENTITY, &s->active);
	if (r < 0)
		goto fail;
	for (i = 0; i < swapctl_swaplist_count(s->active); i++) {
		struct swapctl_found *f = scan_add(s);

		if (!f) {
			r = -ENOMEM;
			goto fail;
		}
		f->sw = *swapctl_swaplist_get(s->active, i);
		f->state = SWAPCTL_STATE_ACTIVE;
	}
	st.nactive = s->n;

	fl = swapctl_set_flags(ctx, ctx->flags | (fstab ? 0 : SWAPCTL_NOLOG));
	r = swapctl_fstab_read(ctx, fstab, &tab);
	swapctl_set_flags(ctx, fl);
	if (r == -ENOENT && !fstab) {
		tab = NULL;             /* no /etc/fstab: nothing configured */
		ctx->errmsg[0] = '\0';
	} else if (r < 0) {
		goto fail;
	}

	r = real ? each_block_udev(ctx, on_candidate, &st) : each_block_sysfs(ctx, on_candidate, &st);
	if (r < 0)
		goto fail;
	/* swap files named in fstab */
	for (i = 0; i < swapctl_fstab_count(tab); i++) {
		const struct swapctl_fstab_entry *e = swapctl_fstab_get(tab, i);
		struct candidate c;
		struct stat sb;

		if (e->spec[0] != '/' || !strncmp(e->spec, "/dev/", 5))
			continue;
		memset(&c, 0, sizeof(c));
		c.is_file = true;
		snprintf(c.name, sizeof(c.name), "%s", e->spec);
		if (sysroot_path(ctx, e->spec, c.file, sizeof(c.file)) < 0 || stat(c.file, &sb) < 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		r = on_candidate(ctx, &c, &st);
		if (r < 0)
			goto fail;
	}
	nprobed = s->n;
	if (nprobed > st.nactive)
		qsort(s->v + st.nactive, nprobed - st.nactive, sizeof(s->v[0]), found_cmp);
	/* identity of the inactive ones (UUID/label came from libblkid already) */
	for (i = 0; i < swapctl_fstab_count(tab); i++) {
		const struct swapctl_fstab_entry *e = swapctl_fstab_get(tab, i);
		struct swapctl_found *f = NULL;

		for (j = 0; j < nprobed && !f; j++)
			if (fstab_matches(ctx, e, &s->v[j]))
				f = &s->v[j];
		if (!f) {
			f = scan_add(s);
			if (!f) {
				r = -ENOMEM;
				goto fail;
			}
			f->state = unreadable(ctx, e) || unresolved_tag(e, s->v, nprobed) ?
				   SWAPCTL_STATE_UNKNOWN : SWAPCTL_STATE_MISSING;
			f->sw.identity_unknown = f->state == SWAPCTL_STATE_UNKNOWN;
			snprintf(f->sw.path, sizeof(f->sw.path), "%s", e->path[0] ? e->path : e->spec);
			f->sw.kind = e->spec[0] == '/' && strncmp(e->spec, "/dev/", 5) ?
				     SWAPCTL_KIND_FILE : SWAPCTL_KIND_PARTITION;
		}
		if (f->in_fstab) {
			/* named twice: say so, both specs */
			size_t len = strlen(f->fstab_spec);

			snprintf(f->fstab_spec + len, sizeof(f->fstab_spec) - len, ", %s", e->spec);
		} else {
			snprintf(f->fstab_spec, sizeof(f->fstab_spec), "%s", e->spec);
			f->fstab_prio = e->prio;
		}
		f->in_fstab = true;
	}
	swapctl_fstab_free(tab);
	*out = s;
	return 0;
fail:
	swapctl_fstab_free(tab);
	swapctl_scan_free(s);
	return r;
}

SWAPCTL_EXPORT size_t swapctl_scan_count(const struct swapctl_scan *s)
{
	return s ? s->n : 0;
}

SWAPCTL_EXPORT const struct swapctl_found *swapctl_scan_get(const struct swapctl_scan *s, size_t i)
{
	return s && i < s->n ? &s->v[i] : NULL;
}

SWAPCTL_EXPORT const struct swapctl_swaplist *swapctl_scan_swaps(const struct swapctl_scan *s)
{
	return s ? s->active : NULL;
}

SWAPCTL_EXPORT void swapctl_scan_free(struct swapctl_scan *s)
{
	if (!s)
		return;
	swapctl_swaplist_free(s->active);
	free(s->v);
	free(s);
}
