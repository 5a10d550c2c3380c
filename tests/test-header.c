/* Unit tests of the swap header: every page size and byte order, and one
 * test per corruption, each giving its own reason. */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "tap.h"

static const unsigned char test_uuid[16] = {
	0x4c, 0x08, 0xe1, 0xcd, 0x9a, 0x2b, 0x4e, 0x3f,
	0x8a, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77
};
static unsigned char page[SWAPCTL_PAGESIZE_MAX];
static struct swapctl_header hdr;
static struct swapctl_report rep;
static struct swapctl_ctx *ctx;

static uint32_t raw32(unsigned off, enum swapctl_endian e)
{
	uint32_t v;

	memcpy(&v, page + off, 4);
	return e == SWAPCTL_ENDIAN_BIG ? be32toh(v) : le32toh(v);
}

/* A valid header for ps-byte pages in byte order e, 100 pages. */
static void make(unsigned ps, enum swapctl_endian e, unsigned nbad)
{
	static uint32_t bad[3] = { 5, 17, 99 };
	struct swapctl_header_params p = {
		.pagesize = ps, .endian = e, .pages = 100, .label = "swaplabel",
		.badpages = bad, .nr_badpages = nbad,
	};

	memcpy(p.uuid, test_uuid, 16);
	/* no stale magic of a larger page size may survive past this page */
	memset(page + ps, 0, sizeof(page) - ps);
	if (swapctl_header_build(ctx, page, &p) < 0)
		printf("# build failed: %s\n", swapctl_errmsg(ctx));
}

/* Check the page as an area of size bytes; returns the defects found. */
static unsigned check(uint64_t size, bool file, unsigned kps)
{
	memset(&rep, 0, sizeof(rep));
	swapctl_header_parse(page, SWAPCTL_PAGESIZE_MAX, &hdr);
	header_check(&hdr, size, file, kps, "t", &rep);
	return rep.nproblems;
}

/* Exactly one problem, of this kind. */
static void expect_defect(enum swapctl_defect d, const char *what)
{
	CHECK(rep.nproblems == 1 && rep.problems[0].defect == d,
	      "%s gives its own reason (%s): %s", what, swapctl_defect_name(d),
	      rep.nproblems ? rep.problems[0].text : "(none)");
}

static void test_round_trip(void)
{
	static const enum swapctl_endian orders[] = { SWAPCTL_ENDIAN_LITTLE, SWAPCTL_ENDIAN_BIG };
	unsigned ps, i;

	for (ps = 4096; ps <= 65536; ps *= 2) {
		for (i = 0; i < 2; i++) {
			enum swapctl_endian e = orders[i];
			const char *en = e == SWAPCTL_ENDIAN_BIG ? "big" : "little";
			int r;

			memset(page, 0xaa, sizeof(page));
			make(ps, e, 3);
			CHECK(!memcmp(page + ps - 10, "SWAPSPACE2", 10),
			      "%u/%s: magic at pagesize-10", ps, en);
			CHECK(raw32(1024, e) == 1 && raw32(1028, e) == 99 && raw32(1032, e) == 3,
			      "%u/%s: version, last_page, nr_badpages in the header's byte order", ps, en);
			CHECK(raw32(1536, e) == 5 && raw32(1544, e) == 99,
			      "%u/%s: bad-page list in the header's byte order", ps, en);
			CHECK(page[0] == 0 && page[1023] == 0 && page[1100] == 0,
			      "%u/%s: boot bits and padding zeroed", ps, en);
			r = swapctl_header_parse(page, ps, &hdr);
			CHECK(r == 0 && hdr.sig == SWAPCTL_SIG_SWAPSPACE2 && hdr.pagesize == ps &&
			      hdr.endian == e, "%u/%s: parse finds page size and byte order", ps, en);
			CHECK(hdr.version == 1 && hdr.last_page == 99 && hdr.nr_badpages == 3 &&
			      hdr.badpages[1] == 17 && !memcmp(hdr.uuid, test_uuid, 16) &&
			      !strcmp(hdr.label, "swaplabel") && hdr.label_terminated,
			      "%u/%s: parse decodes every field", ps, en);
			memset(&rep, 0, sizeof(rep));
			header_check(&hdr, 100ull * ps, false, ps, "t", &rep);
			CHECK(rep.nproblems == 0, "%u/%s: a valid block-device area has no problems", ps, en);
		}
	}
}

static void test_limits(void)
{
	struct swapctl_header_params p = { .pagesize = 4096, .pages = 100 };

	CHECK(swapctl_badpages_max(4096) == 637 && swapctl_badpages_max(8192) == 1661 &&
	      swapctl_badpages_max(65536) == 15997, "bad-page capacity matches the kernel's");
	p.label = "0123456789abcdef";
	CHECK(swapctl_header_build(ctx, page, &p) == -EINVAL && strstr(swapctl_errmsg(ctx), "16 bytes"),
	      "a 16-byte label is refused, not truncated");
	p.label = "0123456789abcde";
	CHECK(swapctl_header_build(ctx, page, &p) == 0, "a 15-byte label fits");
	p.label = NULL;
	p.pages = 9;
	CHECK(swapctl_header_build(ctx, page, &p) == -EINVAL, "9 pages are refused");
	p.pages = 10;
	CHECK(swapctl_header_build(ctx, page, &p) == 0, "10 pages are enough");
	p.pagesize = 3000;
	CHECK(swapctl_header_build(ctx, page, &p) == -EINVAL, "page size 3000 is refused");
	p.pagesize = 131072;
	CHECK(swapctl_header_build(ctx, page, &p) == -EINVAL, "page size 128K is refused");
	p.pagesize = 4096;
	p.pages = (1ull << 32) + 1;
	CHECK(swapctl_header_build(ctx, page, &p) == -EINVAL, "more than 2^32 pages are refused");
	CHECK(swapctl_header_parse(page, 4095, &hdr) == -EINVAL, "parse needs a whole 4K page");
}

static void test_corruptions(void)
{
	static const struct {
		const char *magic;
		enum swapctl_sig sig;
	} hib[] = {
		{ "S1SUSPEND", SWAPCTL_SIG_S1SUSPEND }, { "S2SUSPEND", SWAPCTL_SIG_S2SUSPEND },
		{ "ULSUSPEND", SWAPCTL_SIG_ULSUSPEND }, { "LINHIB0001", SWAPCTL_SIG_LINHIB0001 },
	};
	const uint64_t size = 100 * 4096;
	unsigned i;

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	CHECK(check(size, true, 4096) == 0, "the reference header is clean");

	memset(page + 4086, 0, 10);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_NO_SIGNATURE, "no magic");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	memcpy(page + 4086, "SWAP-SPACE", 10);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_OLD_VERSION, "version 0 magic");

	for (i = 0; i < ARRAY_SIZE(hib); i++) {
		make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
		memcpy(page + 4086, hib[i].magic, strlen(hib[i].magic));
		check(size, true, 4096);
		expect_defect(SWAPCTL_D_HIBERNATION, hib[i].magic);
		CHECK(hdr.sig == hib[i].sig && !strcmp(hdr.label, "swaplabel"),
		      "%s: named, and the label under it still read", hib[i].magic);
	}
	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	memcpy(page, "\xed\xc3\x02\xe9\x98\x56\xe5\x0c", 8);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_HIBERNATION, "TuxOnIce magic at offset 0");
	CHECK(hdr.sig == SWAPCTL_SIG_TUXONICE, "TuxOnIce wins over SWAPSPACE2");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	header_put32(page + 1024, 2, SWAPCTL_ENDIAN_LITTLE);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_BAD_VERSION, "version 2");

	make(8192, SWAPCTL_ENDIAN_LITTLE, 0);
	check(100 * 8192, true, 4096);
	expect_defect(SWAPCTL_D_PAGESIZE, "8K header on a 4K kernel");
	CHECK(strstr(rep.problems[0].fix, "-P 4096") && strstr(rep.problems[0].fix, "-L swaplabel") &&
	      strstr(rep.problems[0].fix, "4c08e1cd-"), "the page-size fix keeps label and UUID: %s",
	      rep.problems[0].fix);

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	header_put32(page + 1028, 5, SWAPCTL_ENDIAN_LITTLE);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_TOO_SMALL, "last_page 5");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	check(99 * 4096, true, 4096);
	expect_defect(SWAPCTL_D_TOO_LARGE, "area larger than the file");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	header_put32(page + 1032, 638, SWAPCTL_ENDIAN_LITTLE);
	check(size, false, 4096);
	expect_defect(SWAPCTL_D_BADPAGES_COUNT, "638 bad pages in a 4K header");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 1);
	header_put32(page + 1536, 0, SWAPCTL_ENDIAN_LITTLE);
	check(size, false, 4096);
	expect_defect(SWAPCTL_D_BADPAGES_RANGE, "bad page 0 (the header)");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 1);
	header_put32(page + 1536, 100, SWAPCTL_ENDIAN_LITTLE);
	check(size, false, 4096);
	expect_defect(SWAPCTL_D_BADPAGES_RANGE, "bad page beyond last_page");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 2);
	check(size, true, 4096);
	expect_defect(SWAPCTL_D_BADPAGES_FILE, "bad pages on a regular file");
	CHECK(check(size, false, 4096) == 0, "the same bad pages are fine on a block device");

	make(4096, SWAPCTL_ENDIAN_LITTLE, 0);
	memcpy(page + 1052, "0123456789abcdef", 16);
	/* the kernel and util-linux take a label filling all 16 bytes */
	CHECK(check(size, true, 4096) == 0 && !hdr.label_terminated &&
	      !strcmp(hdr.label, "0123456789abcdef"),
	      "a 16-byte label without NUL is read whole and is no defect");
}

static void test_endianness(void)
{
	make(4096, SWAPCTL_ENDIAN_BIG, 0);
	swapctl_header_parse(page, 4096, &hdr);
	CHECK(hdr.endian == SWAPCTL_ENDIAN_BIG && hdr.last_page == 99,
	      "a big-endian header is recognised and decoded");
	make(4096, SWAPCTL_ENDIAN_NATIVE, 0);
	swapctl_header_parse(page, 4096, &hdr);
	CHECK(hdr.endian == (__BYTE_ORDER == __LITTLE_ENDIAN ? SWAPCTL_ENDIAN_LITTLE : SWAPCTL_ENDIAN_BIG),
	      "native byte order is this machine's");
	/* 64K header found only when the buffer reaches it */
	make(65536, SWAPCTL_ENDIAN_LITTLE, 0);
	CHECK(swapctl_header_parse(page, 32768, &hdr) == 0 && hdr.sig == SWAPCTL_SIG_NONE,
	      "a 64K magic is not seen in a 32K buffer");
	CHECK(swapctl_header_parse(page, 65536, &hdr) == 0 && hdr.pagesize == 65536,
	      "a 64K magic is found at 65526");
}

/* The setters change their field and nothing else of the page. */
static void test_setters(void)
{
	static unsigned char before[4096];
	static const unsigned char other[16] = { 0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4,
						 5, 6, 7, 8, 9, 10, 11, 12 };
	unsigned i, changed = 0;

	make(4096, SWAPCTL_ENDIAN_BIG, 3);
	memcpy(before, page, sizeof(before));
	header_set_label(page, "new");
	header_set_uuid(page, other);
	swapctl_header_parse(page, 4096, &hdr);
	CHECK(!strcmp(hdr.label, "new") && hdr.label_terminated && !memcmp(hdr.uuid, other, 16),
	      "header_set_label and header_set_uuid write what parse reads back");
	for (i = 0; i < sizeof(before); i++)
		changed += page[i] != before[i] && (i < 1036 || i >= 1068);
	CHECK(changed == 0 && hdr.nr_badpages == 3 && hdr.endian == SWAPCTL_ENDIAN_BIG &&
	      hdr.last_page == 99, "the rest of the header is untouched");
	CHECK(page[1052 + 3] == 0 && page[1052 + 8] == 0,
	      "a shorter label clears what the old one left in the field");
	header_set_label(page, "0123456789abcdefXYZ");
	swapctl_header_parse(page, 4096, &hdr);
	CHECK(!strcmp(hdr.label, "0123456789abcdef") && !hdr.label_terminated && page[1068] != 'X',
	      "a label fills at most the 16-byte field");
	header_set_label(page, NULL);
	swapctl_header_parse(page, 4096, &hdr);
	CHECK(hdr.label[0] == '\0', "a NULL label clears the field");
}

int main(void)
{
	if (swapctl_new(&ctx) < 0)
		return 1;
	test_round_trip();
	test_limits();
	test_corruptions();
	test_endianness();
	test_setters();
	swapctl_unref(ctx);
	TAP_EXIT();
}
