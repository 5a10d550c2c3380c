/*
 * What the kernel does not say about an active area: what kind of device
 * it is (sysfs), a loop device's backing file, rotational or not, the model,
 * and the label and UUID.  Label and UUID come from the udev database when
 * udev runs (so unprivileged users see them), else from libblkid, which
 * needs to read the device (root); when neither can tell, they are unknown
 * (identity_unknown), not empty.
 */
#include <blkid.h>
#include <errno.h>
#include <libudev.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "internal.h"

SWAPCTL_EXPORT const char *swapctl_kind_name(enum swapctl_kind k)
{
	switch (k) {
	case SWAPCTL_KIND_FILE:
		return "file";
	case SWAPCTL_KIND_PARTITION:
		return "partition";
	case SWAPCTL_KIND_DISK:
		return "disk";
	case SWAPCTL_KIND_LOOP:
		return "loop";
	case SWAPCTL_KIND_ZRAM:
		return "zram";
	case SWAPCTL_KIND_DEVICE:
		return "device";
	}
	return "unknown";
}

/* Read a one-line sysfs attribute (through the sysroot), newline stripped. */
static int sys_attr(struct swapctl_ctx *ctx, const char *dir, const char *attr, char *buf, size_t size)
{
	char path[4096], *data;
	size_t n;
	int r;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, attr) >= sizeof(path))
		return -ENAMETOOLONG;
	r = sysroot_read_file(ctx, path, &data, &n);
	if (r < 0)
		return r;
	while (n > 0 && (data[n - 1] == '\n' || data[n - 1] == ' '))
		data[--n] = '\0';
	snprintf(buf, size, "%s", data);
	free(data);
	return 0;
}

static bool sys_exists(struct swapctl_ctx *ctx, const char *dir, const char *attr)
{
	char path[4096], full[4096];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", dir, attr);
	return sysroot_path(ctx, path, full, sizeof(full)) == 0 && stat(full, &st) == 0;
}

/* The kernel name of a block device: sda2, loop0, zram0, dm-1. */
static void kernel_name(const struct swapctl_swap *sw, char *name, size_t size)
{
	char link[64], target[4096];
	const char *base;
	ssize_t n;

	if (sw->devno) {
		snprintf(link, sizeof(link), "/sys/dev/block/%u:%u", major(sw->devno), minor(sw->devno));
		n = readlink(link, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = '\0';
			base = strrchr(target, '/');
			snprintf(name, size, "%s", base ? base + 1 : target);
			return;
		}
	}
	base = strrchr(sw->path, '/');
	snprintf(name, size, "%s", base ? base + 1 : sw->path);
}

/* From the udev database: true when udev probed the device (ID_FS_TYPE
 * set), so a missing label means there is none. */
static bool identity_udev(struct swapctl_ctx *ctx, struct swapctl_swap *sw, const char *kname)
{
	struct udev *udev = udev_new();
	struct udev_device *dev;
	const char *v;
	bool known = false;

	if (!udev)
		return false;
	dev = udev_device_new_from_subsystem_sysname(udev, "block", kname);
	if (dev) {
		known = udev_device_get_property_value(dev, "ID_FS_TYPE") != NULL;
		if ((v = udev_device_get_property_value(dev, "ID_FS_LABEL")) && !sw->label[0])
			snprintf(sw->label, sizeof(sw->label), "%s", v);
		if ((v = udev_device_get_property_value(dev, "ID_FS_UUID")) && !sw->uuid[0])
			snprintf(sw->uuid, sizeof(sw->uuid), "%s", v);
		if ((v = udev_device_get_property_value(dev, "ID_MODEL")) && !sw->model[0])
			snprintf(sw->model, sizeof(sw->model), "%s", v);
		udev_device_unref(dev);
	}
	udev_unref(udev);
	dbg(ctx, "%s: udev label '%s' uuid '%s'%s", sw->path, sw->label, sw->uuid,
	    known ? "" : " (not in the udev database)");
	return known;
}

/* libblkid on file (the area, or its copy under a sysroot): true when it
 * could be read, so a missing label means there is none. */
static bool identity_blkid(struct swapctl_swap *sw, const char *file)
{
	blkid_probe pr;
	const char *v;
	bool known = false;

	if (sw->deleted || access(file, R_OK) < 0)
		return false;
	pr = blkid_new_probe_from_filename(file);
	if (!pr)
		return false;
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID | BLKID_SUBLKS_TYPE);
	switch (blkid_do_safeprobe(pr)) {
	case 0:
		known = true;
		if (blkid_probe_lookup_value(pr, "LABEL", &v, NULL) == 0)
			snprintf(sw->label, sizeof(sw->label), "%s", v);
		if (blkid_probe_lookup_value(pr, "UUID", &v, NULL) == 0)
			snprintf(sw->uuid, sizeof(sw->uuid), "%s", v);
		break;
	case 1:
		known = true;   /* read, and nothing there */
		break;
	}
	blkid_free_probe(pr);
	return known;
}

void devinfo_fill(struct swapctl_ctx *ctx, struct swapctl_swap *sw, bool identity)
{
	char kname[256], dir[512], val[64];
	bool real = !strcmp(swapctl_get_sysroot(ctx), "/"), known = false;
	struct stat st;

	if (sw->kind != SWAPCTL_KIND_FILE) {
		if (real && !sw->deleted && stat(sw->path, &st) == 0 && S_ISBLK(st.st_mode))
			sw->devno = st.st_rdev;
		kernel_name(sw, kname, sizeof(kname));
		snprintf(dir, sizeof(dir), "/sys/class/block/%s", kname);
		if (!strncmp(kname, "loop", 4)) {
			sw->kind = SWAPCTL_KIND_LOOP;
			sys_attr(ctx, dir, "loop/backing_file", sw->backing, sizeof(sw->backing));
		} else if (!strncmp(kname, "zram", 4)) {
			sw->kind = SWAPCTL_KIND_ZRAM;
		} else if (sys_exists(ctx, dir, "partition")) {
			sw->kind = SWAPCTL_KIND_PARTITION;
		} else if (!strncmp(kname, "dm-", 3) || !strncmp(kname, "md", 2)) {
			sw->kind = SWAPCTL_KIND_DEVICE;
		} else if (sys_exists(ctx, dir, "queue")) {
			sw->kind = SWAPCTL_KIND_DISK;
		}
		/* a partition's queue and model are its disk's, one level up */
		if (sys_attr(ctx, dir, "queue/rotational", val, sizeof(val)) == 0 ||
		    sys_attr(ctx, dir, "../queue/rotational", val, sizeof(val)) == 0)
			sw->rotational = atoi(val) ? 1 : 0;
		if (sys_attr(ctx, dir, "device/model", sw->model, sizeof(sw->model)) < 0)
			sys_attr(ctx, dir, "../device/model", sw->model, sizeof(sw->model));
		if (identity && real)
			known = identity_udev(ctx, sw, kname);
	}
	if (!identity)
		return;
	if (!known || !sw->label[0] || !sw->uuid[0]) {
		/* under a sysroot, a recorded copy of the area at the same path */
		char file[4096];

		if (real)
			known |= identity_blkid(sw, sw->path);
		else if (sysroot_path(ctx, sw->path, file, sizeof(file)) == 0)
			known |= identity_blkid(sw, file);
	}
	sw->identity_unknown = !known;
}
