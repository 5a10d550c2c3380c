/*
 * The Linux swap header (version 1, magic "SWAPSPACE2"): decode and build.
 *
 * The header fills the first page of the area.  Bytes 0..1023 belong to
 * whatever sits before it (boot sector, disk label) and are left alone by
 * the kernel.  At 1024 come version, last_page, nr_badpages (u32 each, in
 * the byte order of the machine that wrote them), a 16-byte UUID, a 16-byte
 * label, padding up to 1536, then the bad-page list.  The magic ends the
 * page, so the page size is implied by where it is found.  Hibernation code
 * replaces the magic with its own; TuxOnIce puts its magic at offset 0.
 *
 * Nothing here does I/O: headerio.c reads and writes header pages.
 */
#include <endian.h>
#include <errno.h>
#include <string.h>
#include "internal.h"

#define OFF_VERSION     1024
#define OFF_LAST_PAGE   1028
#define OFF_NR_BAD      1032
#define OFF_UUID        1036
#define OFF_LABEL       1052
#define OFF_BADPAGES    1536
#define MAGIC_LEN       10
#define UUID_LEN        16
#define LABEL_LEN       16

static const unsigned char tuxonice_magic[8] = {
	0xed, 0xc3, 0x02, 0xe9, 0x98, 0x56, 0xe5, 0x0c
};

/* Magics in the last 10 bytes of the first page, and what they mean. */
static const struct {
	const char *magic;
	size_t len;
	enum swapctl_sig sig;
} slot_magics[] = {
	{ "SWAPSPACE2", 10, SWAPCTL_SIG_SWAPSPACE2 },
	{ "SWAP-SPACE", 10, SWAPCTL_SIG_SWAPSPACE1 },
	{ "S1SUSPEND", 9, SWAPCTL_SIG_S1SUSPEND },
	{ "S2SUSPEND", 9, SWAPCTL_SIG_S2SUSPEND },
	{ "ULSUSPEND", 9, SWAPCTL_SIG_ULSUSPEND },
	{ "LINHIB0001", 10, SWAPCTL_SIG_LINHIB0001 },
};

static const char *const sig_names[] = {
	[SWAPCTL_SIG_NONE] = "none",
	[SWAPCTL_SIG_SWAPSPACE2] = "SWAPSPACE2",
	[SWAPCTL_SIG_SWAPSPACE1] = "SWAP-SPACE",
	[SWAPCTL_SIG_S1SUSPEND] = "S1SUSPEND",
	[SWAPCTL_SIG_S2SUSPEND] = "S2SUSPEND",
	[SWAPCTL_SIG_ULSUSPEND] = "ULSUSPEND",
	[SWAPCTL_SIG_LINHIB0001] = "LINHIB0001",
	[SWAPCTL_SIG_TUXONICE] = "TuxOnIce",
};

static const struct {
	const char *name;
	enum swapctl_severity sev;
} defects[SWAPCTL_D__COUNT] = {
	[SWAPCTL_D_NO_SIGNATURE] = { "no-signature", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_OLD_VERSION] = { "old-version", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_HIBERNATION] = { "hibernation", SWAPCTL_SEV_HIBERNATION },
	[SWAPCTL_D_BAD_VERSION] = { "bad-version", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_PAGESIZE] = { "pagesize", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_TOO_SMALL] = { "too-small", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_TOO_LARGE] = { "too-large", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_BADPAGES_COUNT] = { "badpages-count", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_BADPAGES_RANGE] = { "badpages-range", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_BADPAGES_FILE] = { "badpages-file", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_LABEL] = { "label", SWAPCTL_SEV_INVALID },
	[SWAPCTL_D_HOLES] = { "holes", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_SHARED] = { "shared-extents", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_UNSUPPORTED_EXTENT] = { "unsupported-extents", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_COW] = { "copy-on-write", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_MODE] = { "insecure-mode", SWAPCTL_SEV_WARN },
	[SWAPCTL_D_OWNER] = { "insecure-owner", SWAPCTL_SEV_WARN },
	[SWAPCTL_D_FILESYSTEM] = { "filesystem", SWAPCTL_SEV_UNUSABLE },
	[SWAPCTL_D_FOREIGN] = { "other-signatures", SWAPCTL_SEV_UNUSABLE },
};

SWAPCTL_EXPORT const char *swapctl_sig_name(enum swapctl_sig sig)
{
	if ((unsigned)sig >= ARRAY_SIZE(sig_names))
		return "unknown";
	return sig_names[sig];
}

SWAPCTL_EXPORT const char *swapctl_defect_name(enum swapctl_defect d)
{
	if ((unsigned)d >= SWAPCTL_D__COUNT)
		return "unknown";
	return defects[d].name;
}

SWAPCTL_EXPORT enum swapctl_severity swapctl_defect_severity(enum swapctl_defect d)
{
	if ((unsigned)d >= SWAPCTL_D__COUNT)
		return SWAPCTL_SEV_INVALID;
	return defects[d].sev;
}

SWAPCTL_EXPORT const char *swapctl_severity_name(enum swapctl_severity s)
{
	switch (s) {
	case SWAPCTL_SEV_WARN:
		return "usable-with-warnings";
	case SWAPCTL_SEV_UNUSABLE:
		return "unusable-here";
	case SWAPCTL_SEV_INVALID:
		return "not-swap";
	case SWAPCTL_SEV_HIBERNATION:
		return "hibernation-image";
	}
	return "usable";
}

SWAPCTL_EXPORT unsigned swapctl_badpages_max(unsigned pagesize)
{
	if (pagesize < OFF_BADPAGES + MAGIC_LEN)
		return 0;
	return (pagesize - OFF_BADPAGES - MAGIC_LEN) / 4;
}

static enum swapctl_endian native_endian(void)
{
	return __BYTE_ORDER == __LITTLE_ENDIAN ? SWAPCTL_ENDIAN_LITTLE : SWAPCTL_ENDIAN_BIG;
}

static uint32_t get32(const unsigned char *p, enum swapctl_endian e)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return e == SWAPCTL_ENDIAN_BIG ? be32toh(v) : le32toh(v);
}

void header_put32(void *p, uint32_t v, enum swapctl_endian e)
{
	if (e == SWAPCTL_ENDIAN_NATIVE)
		e = native_endian();
	v = e == SWAPCTL_ENDIAN_BIG ? htobe32(v) : htole32(v);
	memcpy(p, &v, 4);
}

void header_set_label(void *page, const char *label)
{
	unsigned char *field = (unsigned char *)page + OFF_LABEL;
	size_t len = label ? strnlen(label, LABEL_LEN) : 0;

	memset(field, 0, LABEL_LEN);
	if (len)
		memcpy(field, label, len);
}

void header_set_uuid(void *page, const unsigned char *uuid)
{
	memcpy((unsigned char *)page + OFF_UUID, uuid, UUID_LEN);
}

static bool is_pow2(unsigned x)
{
	return x && !(x & (x - 1));
}

SWAPCTL_EXPORT int swapctl_header_parse(const void *buf, size_t len, struct swapctl_header *h)
{
	const unsigned char *b = buf;
	unsigned ps;
	uint32_t n, max, i;

	memset(h, 0, sizeof(*h));
	if (!buf || len < SWAPCTL_PAGESIZE_MIN)
		return -EINVAL;

	for (ps = SWAPCTL_PAGESIZE_MIN; ps <= SWAPCTL_PAGESIZE_MAX && ps <= len && !h->sig; ps *= 2) {
		for (i = 0; i < ARRAY_SIZE(slot_magics); i++) {
			if (!memcmp(b + ps - MAGIC_LEN, slot_magics[i].magic, slot_magics[i].len)) {
				h->sig = slot_magics[i].sig;
				h->pagesize = ps;
				break;
			}
		}
	}
	/* TuxOnIce writes its magic at offset 0 and wins over a swap magic. */
	if (!memcmp(b, tuxonice_magic, sizeof(tuxonice_magic))) {
		h->sig = SWAPCTL_SIG_TUXONICE;
		if (!h->pagesize)
			h->pagesize = SWAPCTL_PAGESIZE_MIN;
	}
	if (h->sig == SWAPCTL_SIG_NONE)
		return 0;

	/* The version field tells the byte order: it must read as 1. */
	if (get32(b + OFF_VERSION, SWAPCTL_ENDIAN_LITTLE) == 1)
		h->endian = SWAPCTL_ENDIAN_LITTLE;
	else if (get32(b + OFF_VERSION, SWAPCTL_ENDIAN_BIG) == 1)
		h->endian = SWAPCTL_ENDIAN_BIG;
	else
		h->endian = native_endian();
	h->version = get32(b + OFF_VERSION, h->endian);
	h->last_page = get32(b + OFF_LAST_PAGE, h->endian);
	h->nr_badpages = get32(b + OFF_NR_BAD, h->endian);
	memcpy(h->uuid, b + OFF_UUID, UUID_LEN);
	memcpy(h->label, b + OFF_LABEL, LABEL_LEN);
	h->label[LABEL_LEN] = '\0';
	h->label_terminated = memchr(b + OFF_LABEL, '\0', LABEL_LEN) != NULL;

	max = swapctl_badpages_max(h->pagesize);
	n = h->nr_badpages < max ? h->nr_badpages : max;
	for (i = 0; i < n; i++)
		h->badpages[i] = get32(b + OFF_BADPAGES + 4 * i, h->endian);
	return 0;
}

SWAPCTL_EXPORT int swapctl_header_build(struct swapctl_ctx *ctx, void *page,
					const struct swapctl_header_params *p)
{
	SWAPCTL_ENTER(ctx);
	unsigned char *b = page;
	enum swapctl_endian e = p->endian == SWAPCTL_ENDIAN_NATIVE ? native_endian() : p->endian;
	size_t llen = p->label ? strlen(p->label) : 0;
	unsigned i;

	if (!is_pow2(p->pagesize) || p->pagesize < SWAPCTL_PAGESIZE_MIN ||
	    p->pagesize > SWAPCTL_PAGESIZE_MAX)
		return swapctl_fail_input(ctx, EINVAL, "page size %u: not a power of two from %u to %u",
				    p->pagesize, SWAPCTL_PAGESIZE_MIN, SWAPCTL_PAGESIZE_MAX);
	if (p->pages < SWAPCTL_MIN_PAGES)
		return swapctl_fail_input(ctx, EINVAL,
				    "area of %llu pages is too small: a swap area needs at least %u pages (%u KiB)",
				    (unsigned long long)p->pages, SWAPCTL_MIN_PAGES,
				    SWAPCTL_MIN_PAGES * p->pagesize / 1024);
	if (p->pages - 1 > UINT32_MAX)
		return swapctl_fail_input(ctx, EINVAL, "area of %llu pages is too large: at most 2^32 pages",
				    (unsigned long long)p->pages);
	if (llen > SWAPCTL_LABEL_MAX)
		return swapctl_fail_input(ctx, EINVAL, "label '%s' is %zu bytes long: at most %d fit",
				    p->label, llen, SWAPCTL_LABEL_MAX);
	if (p->nr_badpages > swapctl_badpages_max(p->pagesize))
		return swapctl_fail_input(ctx, EINVAL, "%u bad pages: at most %u fit in a %u-byte header",
				    p->nr_badpages, swapctl_badpages_max(p->pagesize), p->pagesize);
	if (p->nr_badpages > p->pages - SWAPCTL_MIN_PAGES)
		return swapctl_fail_input(ctx, EINVAL, "%u bad pages leave fewer than %u good pages",
				    p->nr_badpages, SWAPCTL_MIN_PAGES);
	for (i = 0; i < p->nr_badpages; i++)
		if (p->badpages[i] == 0 || p->badpages[i] >= p->pages)
			return swapctl_fail_input(ctx, EINVAL, "bad page %u is outside the area (1..%llu)",
					    p->badpages[i], (unsigned long long)p->pages - 1);

	memset(b, 0, p->pagesize);
	header_put32(b + OFF_VERSION, 1, e);
	header_put32(b + OFF_LAST_PAGE, (uint32_t)(p->pages - 1), e);
	header_put32(b + OFF_NR_BAD, p->nr_badpages, e);
	header_set_uuid(b, p->uuid);
	header_set_label(b, p->label);
	/* unlike mkswap, bad-page entries follow the header's byte order too */
	for (i = 0; i < p->nr_badpages; i++)
		header_put32(b + OFF_BADPAGES + 4 * i, p->badpages[i], e);
	memcpy(b + p->pagesize - MAGIC_LEN, "SWAPSPACE2", MAGIC_LEN);
	return 0;
}
