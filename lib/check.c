/*
 * What makes a swap area usable: the header against the size of its file or
 * device and the running kernel.  One reason per defect, so a report says
 * exactly what is wrong.  Pure: no I/O here (filecheck.c looks at files).
 */
#include <string.h>
#include "internal.h"

/* a path operand that cannot be taken for an option */
#define P(path) shell_path(path, (char[4100]){ 0 }, 4100)

void report_add(struct swapctl_report *rep, enum swapctl_defect d,
		const char *fix, const char *fmt, ...)
{
	struct swapctl_problem *p;
	enum swapctl_severity sev = swapctl_defect_severity(d);
	va_list ap;

	if (rep->nproblems >= SWAPCTL_PROBLEMS_MAX)
		return;
	p = &rep->problems[rep->nproblems++];
	p->defect = d;
	va_start(ap, fmt);
	vsnprintf(p->text, sizeof(p->text), fmt, ap);
	va_end(ap);
	snprintf(p->fix, sizeof(p->fix), "%s", fix ? fix : "");
	if (sev > rep->worst)
		rep->worst = sev;
}

static const char *hibernation_owner(enum swapctl_sig s)
{
	switch (s) {
	case SWAPCTL_SIG_S1SUSPEND:
	case SWAPCTL_SIG_S2SUSPEND:
	case SWAPCTL_SIG_LINHIB0001:
		return "the kernel's hibernation";
	case SWAPCTL_SIG_ULSUSPEND:
		return "uswsusp";
	case SWAPCTL_SIG_TUXONICE:
		return "TuxOnIce";
	default:
		return NULL;
	}
}

/* "--offset=N" into buf for an area at an offset of its path, else NULL. */
static const char *offset_word(const struct swapctl_report *rep, char *buf, size_t size)
{
	if (!rep->offset)
		return NULL;
	snprintf(buf, size, "--offset=%llu", (unsigned long long)rep->offset);
	return buf;
}

/* The fix that writes a new header: swapctl -F [--offset=N] PATH. */
static void fix_format(char *fix, size_t size, const char *path, const struct swapctl_report *rep)
{
	char off[40];
	const char *w = offset_word(rep, off, sizeof(off));

	shell_command(fix, size, w ? (const char *const[]){ "swapctl", "-F", w, P(path), NULL } :
			      (const char *const[]){ "swapctl", "-F", P(path), NULL });
}

void header_check(const struct swapctl_header *h, uint64_t size, bool regular_file,
		  unsigned kernel_pagesize, const char *path, struct swapctl_report *rep)
{
	uint64_t pages, have;
	unsigned max, i;
	char fix[256];

	if (h->sig == SWAPCTL_SIG_NONE) {
		report_add(rep, SWAPCTL_D_NO_SIGNATURE, NULL,
			   "no swap signature at any page size from %d to %d",
			   SWAPCTL_PAGESIZE_MIN, SWAPCTL_PAGESIZE_MAX);
		return;
	}
	if (h->sig == SWAPCTL_SIG_SWAPSPACE1) {
		fix_format(fix, sizeof(fix), path, rep);
		report_add(rep, SWAPCTL_D_OLD_VERSION, fix,
			   "obsolete version 0 signature SWAP-SPACE (unsupported since Linux 2.5.22)");
		return;
	}
	if (hibernation_owner(h->sig)) {
		report_add(rep, SWAPCTL_D_HIBERNATION, NULL,
			   "holds a hibernation image (%s signature, written by %s); "
			   "activating or formatting it destroys the image",
			   swapctl_sig_name(h->sig), hibernation_owner(h->sig));
		return;
	}
	if (h->version != 1) {
		report_add(rep, SWAPCTL_D_BAD_VERSION, NULL,
			   "unknown header version %u (only version 1 exists)", h->version);
		return;
	}
	if (h->pagesize != kernel_pagesize) {
		/* the same area again at this kernel's page size, label and UUID kept */
		const char *words[11];
		char ps[16], uuid[37], off[40];
		unsigned n = 0;

		snprintf(ps, sizeof(ps), "%u", kernel_pagesize);
		words[n++] = "swapctl";
		words[n++] = "-F";
		words[n++] = "-P";
		words[n++] = ps;
		if (h->label_terminated && h->label[0]) {
			words[n++] = "-L";
			words[n++] = h->label;
		}
		if (!swapctl_uuid_is_null(h->uuid)) {
			swapctl_uuid_unparse(h->uuid, uuid);
			words[n++] = "-u";
			words[n++] = uuid;
		}
		if (offset_word(rep, off, sizeof(off)))
			words[n++] = off;
		words[n++] = P(path);
		words[n] = NULL;
		shell_command(fix, sizeof(fix), words);
		report_add(rep, SWAPCTL_D_PAGESIZE, fix,
			   "made for %u-byte pages (magic at offset %u); this kernel uses %u-byte pages",
			   h->pagesize, h->pagesize - 10, kernel_pagesize);
	}
	pages = (uint64_t)h->last_page + 1;
	if (pages < SWAPCTL_MIN_PAGES)
		report_add(rep, SWAPCTL_D_TOO_SMALL, NULL,
			   "area of %llu pages (last_page %u): at least %d are needed",
			   (unsigned long long)pages, h->last_page, SWAPCTL_MIN_PAGES);
	have = size / h->pagesize;
	if (pages > have)
		report_add(rep, SWAPCTL_D_TOO_LARGE, NULL,
			   "header claims %llu pages (%llu bytes) but the %s holds %llu bytes (%llu pages)%s",
			   (unsigned long long)pages, (unsigned long long)(pages * h->pagesize),
			   regular_file ? "file" : "device", (unsigned long long)size,
			   (unsigned long long)have, rep->offset ? " from the offset on" : "");
	max = swapctl_badpages_max(h->pagesize);
	if (h->nr_badpages > max) {
		report_add(rep, SWAPCTL_D_BADPAGES_COUNT, NULL,
			   "%u bad pages listed; a %u-byte header holds at most %u",
			   h->nr_badpages, h->pagesize, max);
	} else {
		for (i = 0; i < h->nr_badpages; i++) {
			if (h->badpages[i] == 0 || h->badpages[i] > h->last_page) {
				report_add(rep, SWAPCTL_D_BADPAGES_RANGE, NULL,
					   "bad-page entry %u is page %u, outside the area (1..%u)",
					   i, h->badpages[i], h->last_page);
				break;
			}
		}
	}
	/* at an offset the kernel can only reach the area through a block device */
	if (regular_file && !rep->offset && h->nr_badpages > 0) {
		fix_format(fix, sizeof(fix), path, rep);
		report_add(rep, SWAPCTL_D_BADPAGES_FILE, fix,
			   "%u bad pages listed for a regular file; the kernel refuses bad pages on files",
			   h->nr_badpages);
	}
}
