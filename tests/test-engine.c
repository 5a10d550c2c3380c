/* Unit tests of the pager engine: each semantic on its own, invariants after
 * every replay, determinism, the trace reader's errors. */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#ifdef HAVE_LIBURING
#include <liburing.h>
#endif
#include "pager/pager.h"
#include "tap.h"

static struct swapctl_ctx *ctx;

static struct swapctl_engine *engine(uint64_t ram, unsigned cluster)
{
	struct swapctl_engine_opts o = { .ram_pages = ram, .cluster = cluster, .seed = 42 };
	struct swapctl_engine *e = NULL;

	if (swapctl_engine_new(ctx, &o, &e) < 0)
		printf("# engine: %s\n", swapctl_errmsg(ctx));
	return e;
}

static int dev(struct swapctl_engine *e, const char *name, uint64_t pages, int prio, unsigned cluster)
{
	struct swapctl_dev_opts o = { .name = name, .pages = pages, .prio = prio, .cluster = cluster };

	return swapctl_engine_dev_add(e, &o);
}

static struct swapctl_devstats ds(struct swapctl_engine *e, size_t i)
{
	struct swapctl_devstats s;

	memset(&s, 0, sizeof(s));
	swapctl_engine_devstats(e, i, &s);
	return s;
}

static int checked(struct swapctl_engine *e)
{
	int r = swapctl_engine_check(e);

	if (r < 0)
		printf("# check: %s\n", swapctl_errmsg(ctx));
	return r == 0;
}

static void test_priority(void)
{
	struct swapctl_engine *e = engine(16, 1);

	dev(e, "low", 101, 5, 0);
	dev(e, "high", 101, 10, 0);
	swapctl_engine_obj_new(e, "a", 150);
	swapctl_engine_access(e, "a", 0, 100, SWAPCTL_WRITE);
	CHECK(ds(e, 1).pageouts == 84 && ds(e, 0).pageouts == 0,
	      "the higher priority takes every page-out while it has room (high %llu, low %llu)",
	      (unsigned long long)ds(e, 1).pageouts, (unsigned long long)ds(e, 0).pageouts);
	swapctl_engine_access(e, "a", 100, 50, SWAPCTL_WRITE);
	CHECK(ds(e, 1).used == 100 && ds(e, 0).used == 34, "the lower one is used only when the higher is full");
	swapctl_engine_dev_prio(e, "low", 20);
	swapctl_engine_access(e, "a", 0, 1, SWAPCTL_WRITE);     /* frees a slot on high */
	swapctl_engine_access(e, "a", 1, 20, SWAPCTL_READ);
	CHECK(ds(e, 0).pageouts > 34, "a priority change takes effect for the next allocation");
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

static void test_devmap(void)
{
	struct swapctl_engine *e = engine(8, 1);
	double b[5];

	dev(e, "d", 10, 1, 0);
	swapctl_engine_devmap(e, 0, b, 3);
	CHECK(b[0] == 0.25 && b[1] == 0.0 && b[2] == 0.0,
	      "devmap: only the header page is used, the short last bucket is empty (%.2f %.2f %.2f)",
	      b[0], b[1], b[2]);
	swapctl_engine_devmap(e, 0, b, 5);
	CHECK(b[0] == 0.5 && b[4] == 0.0, "devmap with 2-page buckets");
	swapctl_engine_free(e);
}

static void test_round_robin(void)
{
	struct swapctl_engine *e = engine(8, 1);
	uint64_t a, b, c;

	dev(e, "d0", 1001, 7, 0);
	dev(e, "d1", 1001, 7, 0);
	dev(e, "d2", 1001, 7, 0);
	swapctl_engine_obj_new(e, "o", 908);
	swapctl_engine_access(e, "o", 0, 908, SWAPCTL_WRITE);
	a = ds(e, 0).pageouts;
	b = ds(e, 1).pageouts;
	c = ds(e, 2).pageouts;
	CHECK(a == 300 && b == 300 && c == 300, "three devices of one priority share 900 page-outs evenly (%llu/%llu/%llu)",
	      (unsigned long long)a, (unsigned long long)b, (unsigned long long)c);
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

static void test_cluster_halving(void)
{
	struct swapctl_engine *e = engine(16, 16);
	struct swapctl_devstats s;
	uint64_t i;

	dev(e, "d", 49, 1, 16);
	swapctl_engine_obj_new(e, "a", 48);
	swapctl_engine_access(e, "a", 0, 48, SWAPCTL_WRITE);
	swapctl_engine_access(e, "a", 0, 48, SWAPCTL_PAGEOUT);
	s = ds(e, 0);
	CHECK(s.used == 48 && s.out_hist[4] == 3, "48 pages go out as three clusters of 16");
	/* free runs of 4 between used runs of 4 */
	for (i = 0; i < 48; i += 8)
		swapctl_engine_access(e, "a", i, 4, SWAPCTL_DISCARD);
	swapctl_engine_obj_new(e, "b", 16);
	swapctl_engine_access(e, "b", 0, 16, SWAPCTL_WRITE);
	swapctl_engine_access(e, "b", 0, 16, SWAPCTL_PAGEOUT);
	s = ds(e, 0);
	CHECK(s.out_hist[2] == 4, "a 16-page request halves to 8 and then 4 under fragmentation (4 runs of 4: %llu)",
	      (unsigned long long)s.out_hist[2]);
	CHECK(s.alloc_failures >= 2, "the failed 16- and 8-page requests are counted (%llu)",
	      (unsigned long long)s.alloc_failures);
	CHECK(s.free == 8 && ds(e, 0).used == 40, "two holes of 4 are left (%llu free)", (unsigned long long)s.free);
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

static void test_read_around(void)
{
	struct swapctl_engine *e = engine(64, 16);
	struct swapctl_engine_stats st;
	struct swapctl_devstats s;

	dev(e, "d", 101, 1, 16);
	swapctl_engine_obj_new(e, "a", 32);
	swapctl_engine_access(e, "a", 0, 32, SWAPCTL_WRITE);
	swapctl_engine_access(e, "a", 0, 32, SWAPCTL_PAGEOUT);
	swapctl_engine_access(e, "a", 3, 1, SWAPCTL_READ);
	s = ds(e, 0);
	CHECK(s.reads == 1 && s.pageins == 16 && s.in_hist[4] == 1,
	      "one fault reads the 16 slot-contiguous neighbours in one I/O (%llu pages)",
	      (unsigned long long)s.pageins);
	CHECK(s.readaround == 15, "15 of them are read-around");
	swapctl_engine_access(e, "a", 4, 3, SWAPCTL_READ);
	swapctl_engine_access(e, "a", 18, 1, SWAPCTL_READ);
	swapctl_engine_stats(e, &st);
	CHECK(st.readaround_hits == 4 && ds(e, 0).reads == 1, "later accesses to them are hits, with no I/O");
	swapctl_engine_access(e, "a", 0, 1, SWAPCTL_READ);
	CHECK(ds(e, 0).reads == 2, "a page outside the read-around window needs its own read");
	CHECK(objmap_get(&((struct pobj *)hashmap_get(&e->objs_by_id, "a"))->map, 3) != SLOT_NONE,
	      "a page read in keeps its slot (clean)");
	swapctl_engine_access(e, "a", 3, 1, SWAPCTL_WRITE);
	CHECK(objmap_get(&((struct pobj *)hashmap_get(&e->objs_by_id, "a"))->map, 3) == SLOT_NONE,
	      "writing it frees the slot");
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

static void test_objmap(void)
{
	struct objmap m;
	uint64_t i, idx;
	uint32_t s;
	bool ok = true;

	objmap_init(&m, 100);
	CHECK(!m.hashed, "a 100-page object uses an array");
	for (i = 0; i < 100; i += 3)
		objmap_set(&m, i, (uint32_t)(1000 + i));
	objmap_resize(&m, 100000);
	CHECK(m.hashed, "grown to 100000 pages it uses the hash");
	for (i = 0; i < 100; i++)
		ok &= objmap_get(&m, i) == (i % 3 ? 0 : 1000 + i);
	CHECK(ok, "every slot survives array -> hash");
	objmap_set(&m, 99999, 0x12345678);      /* a slot beyond 24 bits from the others */
	objmap_set(&m, 99998, 7);
	CHECK(objmap_get(&m, 99999) == 0x12345678 && objmap_get(&m, 99998) == 7,
	      "slots of different high bytes in one cluster (wide cluster)");
	CHECK(objmap_next(&m, 100, 100000, &idx, &s) == 1 && idx == 99998 && s == 7, "next finds the next slot");
	CHECK(objmap_next(&m, 100, 99998, &idx, &s) == 0, "next stops at the end of the range");
	objmap_set(&m, 99999, 0);
	objmap_set(&m, 99998, 0);
	CHECK(m.nslots == 34, "counts follow sets and clears (%llu)", (unsigned long long)m.nslots);
	objmap_resize(&m, 120);
	CHECK(!m.hashed, "shrunk to 120 pages it is an array again");
	ok = true;
	for (i = 0; i < 100; i++)
		ok &= objmap_get(&m, i) == (i % 3 ? 0 : 1000 + i);
	CHECK(ok, "every slot survives hash -> array");
	objmap_destroy(&m);

	objmap_init(&m, 1u << 24);
	for (i = 0; i < 32768; i++)
		objmap_set(&m, i, (uint32_t)(1 + i));
	CHECK((double)objmap_memory(&m) / 32768.0 <= 4.0, "a packed hash costs at most 4 bytes per swapped page (%.2f)",
	      (double)objmap_memory(&m) / 32768.0);
	objmap_destroy(&m);
}

/* objmap against a plain array: random sets and clears, dense and sparse,
 * narrow and wide clusters, growing and shrinking through the array form. */
static void test_objmap_model(void)
{
	const uint64_t n = 20000;
	uint32_t *model = calloc(n, sizeof(*model));
	uint64_t rng = 5, i, k, count = 0;
	struct objmap m;
	bool ok = true, next_ok = true;

	objmap_init(&m, n);
	for (k = 0; k < 400000 && ok; k++) {
		uint64_t r = engine_rand(&rng), idx = r % n;
		uint32_t slot = 0;

		/* phases: dense fills, sparse scatter, clears; 1 in 500 from another 16 MiB range */
		if (k % 100000 < 60000 && (r >> 40) % 10 < 7)
			slot = 1 + (uint32_t)((r >> 20) % 0xfffff);
		if (slot && (r >> 50) % 500 == 0)
			slot |= 0x5000000u;
		if (k % 100000 >= 60000 && k % 100000 < 70000)
			idx = (k * 7) % n;      /* a sequential sweep */
		count += (slot != 0) - (model[idx] != 0);
		model[idx] = slot;
		ok &= objmap_set(&m, idx, slot) == 0;
		if (k % 20000 == 19999) {
			uint64_t at = 0, seen = 0;
			uint32_t s;

			for (i = 0; i < n; i++)
				ok &= objmap_get(&m, i) == model[i];
			ok &= m.nslots == count && objmap_check(&m) == 0;
			while (objmap_next(&m, at, n, &at, &s) == 1) {
				next_ok &= model[at] == s;
				seen++;
				at++;
			}
			next_ok &= seen == count;
		}
	}
	CHECK(ok, "400000 random sets and clears agree with a plain array, the map's structure holds (%llu slots)",
	      (unsigned long long)count);
	CHECK(next_ok, "next walks exactly the slots of the model");
	CHECK(m.hashed && m.direct && m.tsize == (n + MAPCL_PAGES - 1) / MAPCL_PAGES,
	      "densely swapped, its table is a directory of one entry per cluster (%u)", m.tsize);
	/* grown past its directory: a hash again, every slot kept */
	ok = objmap_resize(&m, 64 * n) == 0 && !m.direct;
	for (i = 0; i < n; i++)
		ok &= objmap_get(&m, i) == model[i];
	CHECK(ok && m.nslots == count && objmap_check(&m) == 0 && objmap_get(&m, 64 * n - 1) == 0,
	      "grown 64 times, its table is hashed again and holds the same slots");
	objmap_resize(&m, n);
	objmap_resize(&m, 100);
	ok = true;
	for (i = 0; i < 100; i++)
		ok &= objmap_get(&m, i) == model[i];
	CHECK(ok && !m.hashed, "shrunk to 100 pages it is an array holding the same first slots");
	objmap_destroy(&m);
	free(model);
}

/* objmap_take's callback: keeps the slots divisible by 3, counts the others. */
static int take_cb(void *arg, uint64_t idx, uint32_t slot)
{
	uint64_t *seen = arg;

	if (slot != (uint32_t)(idx * 7 + 1))
		seen[1]++;      /* a slot given with the wrong page */
	if (slot % 3 == 0)
		return 1;
	seen[0]++;
	return 0;
}

/* objmap_take against a model, on ranges narrower and wider than the map
 * (the second kind walks the table), for arrays and sparse hashes. */
static void test_objmap_take(void)
{
	static const uint64_t sizes[] = { 200, 1u << 22 };
	size_t k;

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		uint64_t n = sizes[k], rng = 99, i, seen[2], want, left = 0;
		struct objmap m;
		bool ok = true;
		int round;

		objmap_init(&m, n);
		for (i = 0; i < n; i += 1 + (engine_rand(&rng) % (n > 1000 ? 4000 : 4)))
			objmap_set(&m, i, (uint32_t)(i * 7 + 1));
		for (round = 0; round < 40 && ok; round++) {
			uint64_t a = engine_rand(&rng) % n, b = a + engine_rand(&rng) % (round % 2 ? n : 70);
			uint64_t before = m.nslots;

			b = b > n ? n : b;
			want = 0;
			left = 0;
			for (i = a; i < b; i++) {
				uint32_t s = objmap_get(&m, i);

				want += s && s % 3;
				left += s && s % 3 == 0;
			}
			seen[0] = seen[1] = 0;
			ok &= objmap_take(&m, a, b, take_cb, seen) == 0 && seen[0] == want && !seen[1] &&
			      m.nslots == before - want;
			for (i = a; i < b; i++) {
				uint32_t s = objmap_get(&m, i);

				ok &= !s || s % 3 == 0;
				left -= s != 0;
			}
			ok &= left == 0;
		}
		CHECK(ok, "objmap_take on a %llu-page map: 40 ranges, every slot given once, kept ones kept",
		      (unsigned long long)n);
		objmap_destroy(&m);
	}
}

static void test_copy(void)
{
	struct swapctl_engine *e = engine(8, 4);
	struct pobj *d;

	dev(e, "d", 200, 1, 0);
	swapctl_engine_obj_new(e, "src", 20);
	swapctl_engine_obj_new(e, "dst", 10);
	swapctl_engine_access(e, "src", 0, 20, SWAPCTL_WRITE);
	swapctl_engine_access(e, "src", 0, 20, SWAPCTL_PAGEOUT);
	swapctl_engine_access(e, "dst", 2, 1, SWAPCTL_WRITE);
	CHECK(swapctl_engine_copy(e, "src", "dst", 5) == 0, "copy src dst 5");
	d = hashmap_get(&e->objs_by_id, "dst");
	CHECK(!hashmap_get(&e->objs_by_id, "src"), "src is destroyed");
	CHECK(d && d->map.nslots == 9 && objmap_get(&d->map, 2) == SLOT_NONE && ram_find(e, d, 2) != UINT32_MAX,
	      "dst takes src's slots 5..14 except where it has its own page");
	CHECK(ds(e, 0).used == 9, "src's other slots are freed");
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

static void test_swapoff(void)
{
	struct swapctl_engine *e = engine(32, 8);
	struct swapctl_engine_stats st;

	dev(e, "a", 101, 10, 0);
	dev(e, "b", 101, 5, 0);
	swapctl_engine_obj_new(e, "o", 120);
	swapctl_engine_access(e, "o", 0, 120, SWAPCTL_WRITE);
	CHECK(swapctl_engine_dev_del(e, "a") == 0, "swapoff with room elsewhere succeeds");
	CHECK(ds(e, 0).removed && ds(e, 1).used == 88, "every page of a is back in RAM or on b (%llu)",
	      (unsigned long long)ds(e, 1).used);
	CHECK(checked(e), "invariants hold after swapoff");
	swapctl_engine_free(e);

	e = engine(16, 8);
	dev(e, "only", 101, 1, 0);
	swapctl_engine_obj_new(e, "o", 100);
	swapctl_engine_access(e, "o", 0, 100, SWAPCTL_WRITE);
	CHECK(swapctl_engine_dev_del(e, "only") == -ENOMEM, "swapoff without room fails with ENOMEM");
	swapctl_engine_stats(e, &st);
	CHECK(!ds(e, 0).removed && st.swapoff_failures == 1 &&
	      ds(e, 0).used + ((struct pobj *)hashmap_get(&e->objs_by_id, "o"))->resident == 100,
	      "and leaves the device enabled with every page where it was");
	swapctl_engine_access(e, "o", 0, 1, SWAPCTL_WRITE);
	CHECK(checked(e), "invariants hold after a failed swapoff");
	swapctl_engine_free(e);
}

static void test_reservation(void)
{
	struct swapctl_engine *e = engine(16, 8);
	struct swapctl_engine_stats st;

	dev(e, "d", 101, 1, 0);
	CHECK(swapctl_engine_obj_new(e, "big", 117) == -ENOMEM, "117 pages cannot be reserved on 16 + 100");
	CHECK(swapctl_engine_obj_new(e, "fits", 116) == 0, "116 can");
	CHECK(swapctl_engine_obj_resize(e, "fits", 117) == -ENOMEM, "growing past the limit fails");
	swapctl_engine_stats(e, &st);
	CHECK(st.reserve_failures == 2 && st.reserved == 116, "failures counted, reservation unchanged");
	swapctl_engine_free(e);
}

static void test_errors(void)
{
	struct swapctl_engine_opts eo = { .ram_pages = 4, .cluster = 1, .seed = 1 };
	uint64_t werr[] = { 1 }, rerr[] = { 3 };
	struct swapctl_dev_opts o = { .name = "d", .pages = 50, .prio = 1, .write_errors = werr,
				      .nwrite_errors = 1, .read_errors = rerr, .nread_errors = 1 };
	struct swapctl_engine *e;
	struct swapctl_engine_stats st;
	const struct swapctl_lost *l;
	struct pobj *ob;
	uint64_t i;
	bool lost_found = false;

	swapctl_engine_new(ctx, &eo, &e);
	swapctl_engine_dev_add(e, &o);
	swapctl_engine_obj_new(e, "o", 20);
	swapctl_engine_access(e, "o", 0, 10, SWAPCTL_WRITE);
	CHECK(ds(e, 0).write_errors == 1 && ds(e, 0).bad == 1, "a write error retires its slot");
	ob = hashmap_get(&e->objs_by_id, "o");
	CHECK(ob->resident + ob->map.nslots == 10, "no page was lost to the write error (%llu + %llu)",
	      (unsigned long long)ob->resident, (unsigned long long)ob->map.nslots);
	CHECK(checked(e), "invariants hold after a write error");
	/* page that went to slot 3 is read back with an error */
	swapctl_engine_access(e, "o", 0, 10, SWAPCTL_READ);
	swapctl_engine_stats(e, &st);
	CHECK(st.lost_pages == 1 && ds(e, 0).read_errors == 1 && ds(e, 0).bad == 2,
	      "a read error loses the page, counts it and retires the slot");
	for (i = 0; i < swapctl_engine_nlost(e); i++) {
		l = swapctl_engine_lost(e, i);
		lost_found |= !strcmp(l->obj, "o") && !strcmp(l->dev, "d");
	}
	CHECK(lost_found, "the lost page is named (object, index, device)");
	CHECK(checked(e), "invariants hold after a read error");
	swapctl_engine_free(e);
}

/* Generate workload spec and replay it into e; 0 or the error. */
static int replay_spec(const char *spec, struct swapctl_engine *e)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int r;

	r = swapctl_workload_write(ctx, spec, f);
	fclose(f);
	if (r == 0) {
		f = fmemopen(text, len, "r");
		r = swapctl_trace_replay(ctx, f, spec, e);
		fclose(f);
	}
	free(text);
	return r;
}

/* Replay a generated workload; stats out. */
static int replay(const char *spec, struct swapctl_engine_stats *st, struct swapctl_devstats *d0, bool check)
{
	struct swapctl_engine *e = engine(1024, 16);
	int r = replay_spec(spec, e);

	if (r < 0)
		printf("# replay %s: %s\n", spec, swapctl_errmsg(ctx));
	swapctl_engine_stats(e, st);
	*d0 = ds(e, 0);
	if (r == 0 && check && swapctl_engine_check(e) < 0) {
		printf("# check %s: %s\n", spec, swapctl_errmsg(ctx));
		r = -EUCLEAN;
	}
	swapctl_engine_free(e);
	return r;
}

static void test_workloads(void)
{
	static const char *const specs[] = {
		"seq,pages=3000,ram=500,events=3000", "random,pages=3000,ram=500,events=20000",
		"zipf,pages=3000,ram=500,events=20000", "fork,pages=2000,ram=500,events=8000",
		"mixed,pages=4000,ram=600,events=30000",
	};
	struct swapctl_engine_stats a, b;
	struct swapctl_devstats da, db;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		CHECK(replay(specs[i], &a, &da, true) == 0, "%s replays with every invariant holding", specs[i]);
		CHECK(a.pageouts > 0 && a.pageins > 0, "%s pages out (%llu) and in (%llu)", specs[i],
		      (unsigned long long)a.pageouts, (unsigned long long)a.pageins);
		replay(specs[i], &b, &db, false);
		a.engine_bytes = b.engine_bytes;        /* allocation sizes may differ */
		CHECK(!memcmp(&a, &b, sizeof(a)) && !memcmp(&da, &db, sizeof(da)),
		      "%s: a second replay gives identical statistics", specs[i]);
	}
	CHECK(replay("mixed,pages=4000,ram=600,events=30000", &a, &da, false) == 0 && a.swapoffs == 1,
	      "the mixed workload includes a successful swapoff");
}

/* Replay spec on the fast path where it applies, or (slow) never: stats
 * and the first two devices' out; *fast whether the path was on at the end. */
static int replay_path(const char *spec, bool slow, struct swapctl_engine_stats *st, struct swapctl_devstats *d,
		       bool *fast)
{
	struct swapctl_engine *e;
	int r;

	swapctl_set_debug(ctx, "engine-slowpath", slow ? "1" : NULL);
	e = engine(1024, 16);
	r = replay_spec(spec, e);
	if (r == 0 && swapctl_engine_check(e) < 0)
		r = -EUCLEAN;
	if (r < 0)
		printf("# replay %s: %s\n", spec, swapctl_errmsg(ctx));
	swapctl_engine_stats(e, st);
	d[0] = ds(e, 0);
	d[1] = ds(e, 1);
	*fast = e->fast;
	swapctl_engine_free(e);
	swapctl_set_debug(ctx, "engine-slowpath", NULL);
	return r;
}

/* The fault fast path (paging.c) is on exactly when its configuration
 * holds, follows device changes, and counts what the general path counts. */
static void test_fast_path(void)
{
	static const char *const specs[] = {
		"random,pages=3000,ram=500,devs=1,events=20000,cluster=1",
		"zipf,pages=3000,ram=500,devs=1,events=20000,cluster=1",
		"fork,pages=2000,ram=500,devs=1,events=8000,cluster=1",
		"seq,pages=3000,ram=500,devs=1,events=3000,cluster=1",
		"random,pages=3000,ram=500,devs=2,events=20000,cluster=1",
	};
	struct swapctl_engine_stats a, b;
	struct swapctl_devstats da[2], db[2];
	struct swapctl_engine *e = engine(64, 1);
	bool fa, fb;
	size_t i;

	CHECK(e && !e->fast, "no device: no fast path");
	CHECK(dev(e, "a", 100, 5, 0) == 0 && e->fast, "one device of cluster 1: the fast path");
	CHECK(dev(e, "b", 100, 5, 0) == 0 && !e->fast, "two devices: the general path");
	CHECK(swapctl_engine_dev_prio(e, "b", 9) == 0 && !e->fast, "still two after a priority change");
	CHECK(swapctl_engine_dev_del(e, "a") == 0 && e->fast, "one left after a swapoff: the fast path again");
	CHECK(dev(e, "c", 100, 5, 4) == 0 && swapctl_engine_dev_del(e, "b") == 0 && !e->fast,
	      "one device of cluster 4: the general path");
	swapctl_engine_free(e);
	swapctl_set_debug(ctx, "engine-slowpath", "1");
	e = engine(64, 1);
	CHECK(e && dev(e, "a", 100, 5, 0) == 0 && !e->fast, "the engine-slowpath hook keeps it off");
	swapctl_engine_free(e);
	swapctl_set_debug(ctx, "engine-slowpath", NULL);
	for (i = 0; i < ARRAY_SIZE(specs); i++) {
		CHECK(replay_path(specs[i], false, &a, da, &fa) == 0 && replay_path(specs[i], true, &b, db, &fb) == 0,
		      "%s replays on both paths", specs[i]);
		CHECK(fa == (strstr(specs[i], "devs=1") != NULL) && !fb, "%s: fast path %s, then off", specs[i],
		      fa ? "on" : "off");
		CHECK(a.pageouts > 0 && a.faults > 0, "%s pages out (%llu)", specs[i], (unsigned long long)a.pageouts);
		a.engine_bytes = b.engine_bytes;
		CHECK(!memcmp(&a, &b, sizeof(a)) && !memcmp(da, db, sizeof(da)),
		      "%s: identical statistics on both paths", specs[i]);
	}
}

/* Replay text; 0 or the error, with its message in ctx. */
static int replay_text(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct swapctl_engine *e = engine(64, 8);
	int r = swapctl_trace_replay(ctx, f, "t", e);

	fclose(f);
	swapctl_engine_free(e);
	return r;
}

static void test_trace_errors(void)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "", "t: empty trace" },
		{ "swaptrace 2\n", "t:1: not a swaptrace 1 file" },
		{ "# c\nswaptrace 1\nram x\n", "t:3: 'x' is not a number" },
		{ "swaptrace 1\nbogus 1\n", "t:2: unknown event 'bogus'" },
		{ "swaptrace 1\nram 10\ndev add d 100 prio=99999\n", "t:3: prio=99999: priority must be from 0 to 32767" },
		{ "swaptrace 1\ndev add d 100 colour=red\n", "t:2: unknown device option 'colour=red'" },
		{ "swaptrace 1\nr nosuch 0\n", "t:2: object nosuch: no such object" },
		{ "swaptrace 1\nobj new a 10\nr a 5 10\n", "t:3: object a: pages 5+10 are outside its 10 pages" },
		{ "swaptrace 1\nobj new a 10\nobj new a 10\n", "t:3: object a: already exists" },
		{ "swaptrace 1\nr a 1 2 3 4\n", "t:2: r takes ID INDEX [COUNT]" },
		{ "swaptrace 1\ndev del nosuch\n", "t:2: device nosuch: no such device" },
		{ "swaptrace 1 pagesize=1234\n", "t:1: pagesize=1234 does not match" },
		{ "swaptrace 1\nram 1000000000\n", "t:2: ram 1000000000: from 1 to 16777216 pages" },
		/* numbers at the edges: refused with the line, never wrapped */
		{ "swaptrace 1\nobj new a 1\nobj new b 1\ncopy a a 0\n", "t:4: copy a a: an object cannot absorb itself" },
		{ "swaptrace 1\ndev add d 1152921504606846976\n",
		  "t:2: device d: 1152921504606846976 pages: more than the engine's 4294967294 slots" },
		{ "swaptrace 1\ndev add d 4294967295\n", "t:2: device d: 4294967295 pages: more than" },
		{ "swaptrace 1\ndev add d 18446744073709551615\n", "t:2: device d: 18446744073709551615 pages" },
		{ "swaptrace 1\ndev add d 10 prio=18446744073709551617\n", "t:2: prio=18446744073709551617: priority must" },
		{ "swaptrace 1\ndev add d 10 cluster=18446744073709551615\n", "t:2: cluster=18446744073709551615: cluster must" },
		{ "swaptrace 1\ndev add d 10\ndev prio d 18446744073709551615\n", "t:3: priority 18446744073709551615 is not" },
		{ "swaptrace 1\nram 18446744073709551615\n", "t:2: ram 18446744073709551615: from 1 to" },
		{ "swaptrace 1\nr a 18446744073709551616\n", "t:2: '18446744073709551616' is not a number" },
		{ "swaptrace 1\nobj new a 10\nr a 18446744073709551615 2\n", "t:3: object a: pages 18446744073709551615+2 are outside" },
		{ "swaptrace 1\nobj new a 10\nw a 9 18446744073709551615\n", "t:3: object a: pages 9+18446744073709551615 are outside" },
		{ "swaptrace 1\ntick 1\ntick 18446744073709551615\n",
		  "t:3: tick 18446744073709551615: the clock (now 1) would pass 2^64 - 1" },
		{ "swaptrace 1 pagesize=18446744073709551615\n", "t:1: pagesize=18446744073709551615 does not match" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		int r = replay_text(cases[i].text);

		CHECK(r < 0 && strstr(swapctl_errmsg(ctx), cases[i].msg), "malformed trace %zu stops with '%s' (got '%s')",
		      i, cases[i].msg, swapctl_errmsg(ctx));
		CHECK(swapctl_errclass(ctx) == SWAPCTL_E_INVALID, "malformed trace %zu is bad input (class %d)", i,
		      (int)swapctl_errclass(ctx));
	}
	/* sizes near 2^64 are reservations that fail, never wrapped (a
	 * wrapped check let such an object in, and its first page crashed) */
	CHECK(replay_text("swaptrace 1\nram 16\ndev add d 100\nobj new a 10\nobj new b 18446744073709551610\n"
			  "r b 5\nobj new c 18446744073709551615\nobj resize a 18446744073709551615\nr a 9\n") == 0,
	      "objects of 2^64 - 6 and 2^64 - 1 pages, a resize to 2^64 - 1: refused reservations");
	CHECK(replay_text("swaptrace 1\nram 16\ndev add d 100\nobj new a 10\nw a 0 10\nobj new b 20\nw b 0 20\n"
			  "copy a b 18446744073709551615\nr b 0 20\ncopy b b2 0\n") != 0 &&
	      strstr(swapctl_errmsg(ctx), "t:10: object b2: no such object"),
	      "copy at offset 2^64 - 1 moves nothing and destroys its source (%s)", swapctl_errmsg(ctx));
	CHECK(replay_text("swaptrace 1\ntick 18446744073709551614\ntick\n") == 0,
	      "the clock reaches 2^64 - 1 exactly");
	CHECK(replay_text("swaptrace 1\nram 16\ndev add d 20\nobj new big 1000\nr big 5\nobj del big\ntick 3\n") == 0,
	      "a refused reservation is an outcome: later events on that object are skipped");
}

/* Replay len bytes of text (which may hold NULs); the engine's stats out. */
static int replay_bytes(const char *text, size_t len, struct swapctl_engine_stats *st, unsigned *line)
{
	FILE *f = fmemopen((void *)text, len, "r");
	struct swapctl_engine *e = engine(64, 8);
	struct swapctl_trace *t;
	int r = swapctl_trace_open(ctx, f, "t", &t);

	if (r == 0)
		while ((r = swapctl_trace_step(t, e)) > 0)
			;
	*line = swapctl_trace_line(t);
	swapctl_trace_close(t);
	swapctl_engine_stats(e, st);
	fclose(f);
	swapctl_engine_free(e);
	return r;
}

/* The reader's own line handling: blocks, long lines, CRLF, no newline. */
static void test_trace_lines(void)
{
	static const char body[] = "swaptrace 1\nram 16\ndev add d 200\nobj new a 100\nw a 0 40 # fill\nr a 3\n";
	struct swapctl_engine_stats a, b;
	size_t n = 0, i, big = 3u << 20;
	char *text = malloc(big + 256), *crlf = malloc(2 * sizeof(body));
	unsigned line;
	int r;

	r = replay_bytes(body, strlen(body), &a, &line);
	CHECK(r == 0 && a.events == 5 && line == 6,
	      "a short trace: 5 events on 6 lines (got %llu, %u)", (unsigned long long)a.events, line);
	for (i = 0; body[i]; i++) {
		if (body[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = body[i];
	}
	CHECK(replay_bytes(crlf, n, &b, &line) == 0 && !memcmp(&a, &b, sizeof(a)),
	      "CRLF line ends replay like LF ones");
	CHECK(replay_bytes(body, strlen(body) - 1, &b, &line) == 0 && b.events == 5,
	      "the last line needs no newline");
	/* a comment line of 4096 bytes is the longest there is; 3 MiB (longer
	 * than any read block) stops the trace at that line */
	n = (size_t)snprintf(text, 256, "swaptrace 1\n#");
	memset(text + n, 'x', 4095);
	n += 4095;
	n += (size_t)snprintf(text + n, 256, "\nram 16\ndev add d 200\nobj new a 100\nw a 0 40\nr a 3\n");
	r = replay_bytes(text, n, &b, &line);
	CHECK(r == 0 && b.events == 5 && line == 7, "a 4096-byte line is read whole (events %llu, line %u)",
	      (unsigned long long)b.events, line);
	n = (size_t)snprintf(text, 256, "swaptrace 1\nram 16\n#");
	memset(text + n, 'x', big);
	n += big;
	n += (size_t)snprintf(text + n, 256, "\nr a 3\n");
	r = replay_bytes(text, n, &b, &line);
	CHECK(r < 0 && strstr(swapctl_errmsg(ctx), "t:3: line longer than 4096 bytes") && b.events == 1,
	      "a 3 MiB line stops the trace at its line (%s)", swapctl_errmsg(ctx));
	n = (size_t)snprintf(text, 256, "swaptrace 1\nram 16\n#");
	memset(text + n, 'x', 4096);
	n += 4096;
	r = replay_bytes(text, n, &b, &line);
	CHECK(r < 0 && strstr(swapctl_errmsg(ctx), "t:3: line longer than 4096 bytes"),
	      "so does a last line of 4097 bytes without a newline (%s)", swapctl_errmsg(ctx));
	/* many events across block boundaries: every one applied */
	n = (size_t)snprintf(text, 256, "swaptrace 1\nram 16\ndev add d 200\nobj new a 100\n");
	for (i = 0; n < big; i++)
		n += (size_t)snprintf(text + n, 64, "%s a %zu\n", i % 3 ? "r" : "w", i % 100);
	r = replay_bytes(text, n, &b, &line);
	CHECK(r == 0 && b.events == 3 + i && line == 4 + i, "%zu events over %zu bytes: all replayed (%llu)",
	      i + 3, n, (unsigned long long)b.events);
	memcpy(text, "swaptrace 1\nram 16\nr\0a 1\n", 24);
	r = replay_bytes(text, 24, &b, &line);
	CHECK(r < 0 && strstr(swapctl_errmsg(ctx), "t:3: a NUL byte in the line"), "a NUL byte stops the trace at its line (%s)",
	      swapctl_errmsg(ctx));
	free(text);
	free(crlf);
}

/* The area backend on a real file: every page read back is verified. */
static void test_area(void)
{
	char path[] = "/tmp/swapctl-engine-test.XXXXXX";
	struct swapctl_format_opts fo = { .size = 2 << 20 };
	struct swapctl_format_result fr;
	uint64_t werr[] = { 5 }, rerr[] = { 9 };
	struct swapctl_dev_opts o = { .name = "area", .prio = 1, .path = path, .write_errors = werr,
				      .nwrite_errors = 1, .read_errors = rerr, .nread_errors = 1 };
	struct swapctl_engine *e = engine(32, 8);
	struct swapctl_engine_stats st;
	struct swapctl_devstats s;
	int fd = mkstemp(path);

	close(fd);
	unlink(path);
	CHECK(swapctl_area_format(ctx, path, &fo, &fr) == 0, "a 2 MiB swap file is made");
	CHECK(swapctl_engine_dev_add(e, &o) == 0, "the area backend opens it (%s)", swapctl_errmsg(ctx));
	s = ds(e, 0);
	CHECK(s.pages == 512 && !strcmp(s.path, path), "its size comes from the header (512 pages)");
	swapctl_engine_obj_new(e, "o", 300);
	swapctl_engine_access(e, "o", 0, 300, SWAPCTL_WRITE);
	swapctl_engine_access(e, "o", 0, 300, SWAPCTL_READ);
	swapctl_engine_access(e, "o", 0, 300, SWAPCTL_WRITE);
	swapctl_engine_access(e, "o", 150, 150, SWAPCTL_READ);
	s = ds(e, 0);
	swapctl_engine_stats(e, &st);
	CHECK(s.pageouts > 300 && s.pageins > 200 && s.io_bytes > 0,
	      "real page I/O: %llu pages out, %llu in", (unsigned long long)s.pageouts, (unsigned long long)s.pageins);
	CHECK(s.write_errors == 1 && s.read_errors == 1 && st.lost_pages == 1,
	      "injected errors on the real area: one write retired, one read lost");
	CHECK(s.verify_errors == 0, "every other page read back matched its pattern");
	CHECK(checked(e), "invariants hold on the area backend");
	swapctl_engine_free(e);
	unlink(path);
}

/* ------------------------------------------------------- batched I/O */

/* Can this process make an io_uring at all?  Then the area backend must. */
static bool uring_works(void)
{
#ifdef HAVE_LIBURING
	struct io_uring ring;

	if (io_uring_queue_init(4, &ring, 0) < 0)
		return false;
	io_uring_queue_exit(&ring);
	return true;
#else
	return false;
#endif
}

/* A 2 MiB swap file under a temporary name (the caller unlinks it). */
static bool make_area(char *path, size_t len)
{
	struct swapctl_format_opts fo = { .size = 2 << 20 };
	struct swapctl_format_result fr;
	int fd;

	snprintf(path, len, "/var/tmp/swapctl-engine-test.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return false;
	close(fd);
	unlink(path);
	return swapctl_area_format(ctx, path, &fo, &fr) == 0;
}

/* A loop device on a new 2 MiB file, formatted; "" when that cannot be done. */
static void make_loop(char *file, size_t flen, char *loop, size_t llen)
{
	char cmd[256];
	FILE *p;
	int fd;

	loop[0] = '\0';
	snprintf(file, flen, "/var/tmp/swapctl-engine-loop.XXXXXX");
	fd = mkstemp(file);
	if (fd < 0 || ftruncate(fd, 2 << 20) < 0)
		return;
	close(fd);
	snprintf(cmd, sizeof(cmd), "losetup --show -f '%s' 2>/dev/null", file);
	p = popen(cmd, "r");
	if (!p)
		return;
	if (!fgets(loop, (int)llen, p))
		loop[0] = '\0';
	pclose(p);
	loop[strcspn(loop, "\n")] = '\0';
	if (loop[0]) {
		struct swapctl_format_opts fo = { 0 };
		struct swapctl_format_result fr;

		if (swapctl_area_format(ctx, loop, &fo, &fr) < 0)
			printf("# format %s: %s\n", loop, swapctl_errmsg(ctx));
	}
}

static void drop_loop(const char *file, const char *loop)
{
	char cmd[256];

	if (loop[0]) {
		snprintf(cmd, sizeof(cmd), "losetup -d '%s'", loop);
		if (system(cmd) != 0)
			printf("# %s failed\n", cmd);
	}
	unlink(file);
}

/* What a run shows: every figure but times, memory and the path. */
struct outcome {
	struct swapctl_engine_stats st;
	struct swapctl_devstats ds;
	char lost[64][96];
	size_t nlost;
	unsigned peak_out, peak_in;     /* most requests in flight */
	uint64_t pages_back;            /* resident after swapoff */
	bool ok;
};

static void outcome_of(struct swapctl_engine *e, struct outcome *out)
{
	size_t i;

	swapctl_engine_stats(e, &out->st);
	out->st.engine_bytes = 0;
	out->ds = ds(e, 0);
	out->ds.io_seconds = 0;
	memset(out->ds.path, 0, sizeof(out->ds.path));
	out->nlost = swapctl_engine_nlost(e);
	for (i = 0; i < out->nlost && i < ARRAY_SIZE(out->lost); i++) {
		const struct swapctl_lost *l = swapctl_engine_lost(e, i);

		snprintf(out->lost[i], sizeof(out->lost[i]), "%s:%llu:%s", l->obj, (unsigned long long)l->index, l->dev);
	}
}

static bool same(const struct outcome *a, const struct outcome *b)
{
	size_t i;

	if (memcmp(&a->st, &b->st, sizeof(a->st)) || memcmp(&a->ds, &b->ds, sizeof(a->ds)) || a->nlost != b->nlost)
		return false;
	for (i = 0; i < a->nlost && i < ARRAY_SIZE(a->lost); i++)
		if (strcmp(a->lost[i], b->lost[i]))
			return false;
	return true;
}

/* Add the device of o, its I/O through io_uring or (nouring) pread and
 * pwrite; on failure the engine is freed and -1 returned. */
static int add_dev_io(struct swapctl_engine *e, const struct swapctl_dev_opts *o, bool nouring, const char *what)
{
	int r;

	if (nouring)
		swapctl_set_debug(ctx, "no-uring", "1");
	r = swapctl_engine_dev_add(e, o);
	swapctl_set_debug(ctx, "no-uring", NULL);
	if (r < 0) {
		printf("# %s: %s\n", what, swapctl_errmsg(ctx));
		swapctl_engine_free(e);
		return -1;
	}
	return 0;
}

/*
 * Every batched path on one device (path NULL: simulated) with errors
 * injected at given pages and at a rate: a page-out of a whole range, a
 * RAM shrink, swapoff.  Checks what must hold whatever the backend; the
 * caller compares the outcomes of the backends.
 */
static void batch_run(const char *what, const char *path, bool nouring, struct outcome *out)
{
	uint64_t werr[] = { 5, 77, 200 }, rerr[] = { 33, 150 };
	struct swapctl_dev_opts o = { .name = "a", .prio = 1, .path = path, .pages = 512, .write_errors = werr,
				      .nwrite_errors = 3, .read_errors = rerr, .nread_errors = 2,
				      .write_error_rate = 0.02, .read_error_rate = 0.02 };
	struct swapctl_engine *e = engine(600, 8);
	struct pobj *ob;
	struct pdev *d;
	size_t i;
	bool named = true;

	memset(out, 0, sizeof(*out));
	if (add_dev_io(e, &o, nouring, what) < 0)
		return;
	d = e->devs[0];
	swapctl_engine_obj_new(e, "o", 500);
	ob = hashmap_get(&e->objs_by_id, "o");
	swapctl_engine_access(e, "o", 0, 500, SWAPCTL_WRITE);
	swapctl_engine_access(e, "o", 0, 500, SWAPCTL_PAGEOUT);
	out->peak_out = d->peak;
	CHECK(ds(e, 0).write_errors >= 3 && ds(e, 0).bad == ds(e, 0).write_errors &&
	      ob->resident + ob->map.nslots == 500,
	      "%s: a batched page-out with %llu write errors retires their slots and keeps every page", what,
	      (unsigned long long)ds(e, 0).write_errors);
	CHECK(ob->resident > 0 && ob->resident == e->ndirty, "%s: the pages that failed stay dirty in RAM (%llu)", what,
	      (unsigned long long)ob->resident);
	swapctl_engine_set_ram(e, 50);
	swapctl_engine_set_ram(e, 600);
	CHECK(ob->resident <= 50 && ob->resident + ob->map.nslots == 500, "%s: a RAM shrink evicts in a batch too",
	      what);
	CHECK(checked(e), "%s: invariants hold after the batched page-outs", what);
	d->peak = 0;
	CHECK(swapctl_engine_dev_del(e, "a") == 0, "%s: swapoff", what);
	out->peak_in = d->peak;
	outcome_of(e, out);
	out->pages_back = ob->resident;
	for (i = 0; i < out->nlost; i++)
		named &= !strncmp(out->lost[i], "o:", 2) && strstr(out->lost[i], ":a") != NULL;
	CHECK(out->st.lost_pages >= 2 && out->st.lost_pages == out->ds.read_errors && out->ds.verify_errors == 0 &&
	      ob->resident + out->st.lost_pages == 500,
	      "%s: swapoff brings every page back but the %llu that failed to read, lost", what,
	      (unsigned long long)out->st.lost_pages);
	CHECK(out->nlost == out->st.lost_pages && named, "%s: every lost page is named (object, index, device)", what);
	CHECK(checked(e), "%s: invariants hold after the batched swapoff", what);
	out->ok = true;
	swapctl_engine_free(e);
}

/* The same batched runs on the sim backend, a file and a loop device, each
 * with io_uring and with pread/pwrite: the same decisions everywhere. */
static void test_batch(void)
{
	struct outcome sim, file_u, file_s, loop_u, loop_s;
	char path[64], lfile[64], loop[64];
	bool uring = uring_works();

	batch_run("sim", NULL, false, &sim);
	CHECK(sim.ok, "the sim backend runs every batched path");
	CHECK(make_area(path, sizeof(path)), "a swap file for the batched runs");
	batch_run("file io_uring", path, false, &file_u);
	batch_run("file pread", path, true, &file_s);
	CHECK(file_s.peak_out == 1 && file_s.peak_in == 1, "hook no-uring: one request at a time (%u, %u)",
	      file_s.peak_out, file_s.peak_in);
	if (uring)
		CHECK(file_u.peak_out > 1 && file_u.peak_in > 1 && file_u.peak_in <= PAGER_QD,
		      "io_uring: page-out and swapoff keep several requests in flight (%u, %u of %u)",
		      file_u.peak_out, file_u.peak_in, PAGER_QD);
	else
		CHECK(file_u.peak_out == 1, "no io_uring here: pread and pwrite");
	CHECK(file_u.ok && same(&sim, &file_u), "a file through io_uring decides as the sim backend does");
	CHECK(file_s.ok && same(&sim, &file_s), "a file through pread/pwrite decides as the sim backend does");
	unlink(path);

	if (getuid() != 0) {
		printf("skip - batched I/O on a loop device # needs root\n");
		return;
	}
	make_loop(lfile, sizeof(lfile), loop, sizeof(loop));
	CHECK(loop[0], "a loop device for the batched runs (%s)", loop);
	if (!loop[0])
		return;
	batch_run("loop io_uring", loop, false, &loop_u);
	batch_run("loop pread", loop, true, &loop_s);
	if (uring)
		CHECK(loop_u.peak_out > 1 && loop_u.peak_in > 1, "io_uring on the loop device: several in flight");
	CHECK(loop_u.ok && same(&sim, &loop_u) && same(&sim, &loop_s),
	      "the loop device decides as the sim backend does, with io_uring and without");
	drop_loop(lfile, loop);
}

/* Errors the device itself reports, found when a batch completes: reads past
 * the end of a file cut short, writes to a block device made read-only. */
static void real_errors(const char *what, bool nouring, struct outcome *out, const char *loop)
{
	char path[64];
	struct swapctl_dev_opts o = { .name = "a", .prio = 1, .path = loop };
	struct swapctl_engine *e = engine(600, 8);
	struct pobj *ob;
	struct pdev *d;
	int one = 1, zero = 0;

	memset(out, 0, sizeof(*out));
	if (!loop) {
		if (!make_area(path, sizeof(path)))
			return;
		o.path = path;
	}
	if (add_dev_io(e, &o, nouring, what) < 0)
		return;
	d = e->devs[0];
	swapctl_engine_obj_new(e, "o", 400);
	ob = hashmap_get(&e->objs_by_id, "o");
	swapctl_engine_access(e, "o", 0, 400, SWAPCTL_WRITE);
	if (loop) {
		/* every write fails now: each request retires its first slot */
		CHECK(ioctl(d->fd, BLKROSET, &one) == 0, "%s: the device is made read-only", what);
		swapctl_engine_access(e, "o", 0, 400, SWAPCTL_PAGEOUT);
		CHECK(ds(e, 0).write_errors == 50 && ds(e, 0).bad == 50 && ob->resident == 400 &&
		      ob->map.nslots == 0 && e->ndirty == 400,
		      "%s: 50 requests of 8 pages fail: 50 slots retired, all 400 pages still dirty in RAM (%llu, %llu)",
		      what, (unsigned long long)ds(e, 0).write_errors, (unsigned long long)ob->resident);
		ioctl(d->fd, BLKROSET, &zero);
		swapctl_engine_access(e, "o", 0, 400, SWAPCTL_PAGEOUT);
		CHECK(ob->map.nslots == 400 && ds(e, 0).write_errors == 50,
		      "%s: writable again, every page goes out", what);
		swapctl_engine_access(e, "o", 0, 400, SWAPCTL_READ);
		CHECK(ds(e, 0).verify_errors == 0 && ds(e, 0).pageins == 400, "%s: and reads back verified", what);
	} else {
		swapctl_engine_access(e, "o", 0, 400, SWAPCTL_PAGEOUT);
		/* pages from 256 on are past the end now: reads come back short */
		CHECK(truncate(path, 1 << 20) == 0, "%s: the file is cut to 1 MiB under the engine", what);
		CHECK(swapctl_engine_dev_del(e, "a") == 0, "%s: swapoff", what);
		outcome_of(e, out);
		CHECK(out->st.lost_pages == 400 - 255 && out->ds.read_errors == 400 - 255 &&
		      ob->resident == 255 && out->nlost == 145,
		      "%s: the 145 pages past the cut are lost, named; the 255 before it are back (%llu lost)", what,
		      (unsigned long long)out->st.lost_pages);
		unlink(path);
	}
	CHECK(checked(e), "%s: invariants hold", what);
	out->ok = true;
	swapctl_engine_free(e);
}

static void test_real_errors(void)
{
	struct outcome u, s;
	char lfile[64], loop[64];

	real_errors("short reads, io_uring", false, &u, NULL);
	real_errors("short reads, pread", true, &s, NULL);
	CHECK(u.ok && s.ok && same(&u, &s), "short reads: the same pages lost with io_uring and without");
	if (getuid() != 0) {
		printf("skip - write errors on a read-only loop device # needs root\n");
		return;
	}
	make_loop(lfile, sizeof(lfile), loop, sizeof(loop));
	CHECK(loop[0], "a loop device to make read-only");
	if (!loop[0])
		return;
	real_errors("read-only device, io_uring", false, &u, loop);
	real_errors("read-only device, pwrite", true, &s, loop);
	drop_loop(lfile, loop);
}

/* ------------------------------------------------- failures, events */

static const struct swapctl_event *find_event(struct swapctl_engine *e, enum swapctl_event_kind k, size_t from)
{
	size_t i;

	for (i = from; i < swapctl_engine_nevents(e); i++)
		if (swapctl_engine_event(e, i)->kind == k)
			return swapctl_engine_event(e, i);
	return NULL;
}

/* No swap left, RAM full of pages swap cannot take, RAM that cannot shrink,
 * a swapoff without room: each page fails alone, counted, and the engine
 * goes on (FreeBSD's pager does the same). */
static void test_failures(void)
{
	struct swapctl_engine *e = engine(16, 16);
	struct swapctl_engine_stats st;
	const struct swapctl_event *v;
	struct pobj *o;
	int r;

	dev(e, "d", 11, 1, 0);                  /* 10 slots */
	swapctl_engine_obj_new(e, "a", 26);     /* RAM and swap, all of it */
	r = swapctl_engine_access(e, "a", 0, 26, SWAPCTL_WRITE);
	o = hashmap_get(&e->objs_by_id, "a");
	CHECK(r == 0 && o->resident == 16 && o->map.nslots == 10, "26 pages written: 16 in RAM, 10 fill swap");
	v = find_event(e, SWAPCTL_EV_LOW_WATER, 0);
	CHECK(v && !v->failure && !v->dev[0] && strstr(v->reason, "free swap below 10%: 0 of 10 slots left"),
	      "low water: an event with its reason (%s)", v ? v->reason : "none");
	r = swapctl_engine_access(e, "a", 0, 26, SWAPCTL_PAGEOUT);
	swapctl_engine_stats(e, &st);
	v = find_event(e, SWAPCTL_EV_PAGEOUT_FAILED, 0);
	CHECK(r == 0 && st.pageout_failures == 16 && o->resident == 16 && e->ndirty == 16 && st.failures == 1,
	      "no swap left: each of the 16 dirty pages fails, stays in RAM, and the page-out goes on (%llu)",
	      (unsigned long long)st.pageout_failures);
	CHECK(v && v->failure && v->pages == 16 && !strcmp(v->reason, "16 pages stay in RAM: no swap left to page them out"),
	      "one event for the call: '%s'", v ? v->reason : "none");
	r = swapctl_engine_access(e, "a", 0, 26, SWAPCTL_READ);
	swapctl_engine_stats(e, &st);
	v = find_event(e, SWAPCTL_EV_FAULT_FAILED, 0);
	CHECK(r == 0 && st.fault_failures == 10 && o->map.nslots == 10 && st.lost_pages == 0 &&
	      v && v->pages == 10 && strstr(v->reason, "RAM is full of pages swap cannot take"),
	      "RAM full of pages swap cannot take: the 10 swapped pages fail to come in and stay in swap (%llu)",
	      (unsigned long long)st.fault_failures);
	CHECK(swapctl_engine_set_ram(e, 4) == 0 && e->nframes == 16 && (v = find_event(e, SWAPCTL_EV_RAM_KEPT, 0)) &&
	      !strcmp(v->reason, "RAM stays at 16 pages, not 4: the pages in it have nowhere to go"),
	      "RAM cannot shrink below its pages: it stays at 16, said");
	r = swapctl_engine_dev_del(e, "d");
	v = find_event(e, SWAPCTL_EV_SWAPOFF_FAILED, 0);
	CHECK(r == -ENOMEM && v && !v->failure && !strcmp(v->dev, "d") &&
	      strstr(v->reason, "swapoff failed: not enough memory"),
	      "a swapoff without room: an event naming the device (%s)", v ? v->reason : "none");
	CHECK(checked(e), "invariants hold after every failure");
	/* room again: the same pages work */
	swapctl_engine_access(e, "a", 16, 10, SWAPCTL_DISCARD);
	r = swapctl_engine_access(e, "a", 0, 10, SWAPCTL_READ);
	swapctl_engine_stats(e, &st);
	CHECK(r == 0 && st.fault_failures == 10 && o->resident == 16 && st.failures == 3 && st.warnings == 2,
	      "with frames free the swapped pages come in; 3 failures and 2 warnings in all");
	CHECK(checked(e), "invariants hold");
	swapctl_engine_free(e);
}

/* Events of a trace name its lines; a line's failures add up in one. */
static void test_failure_events(void)
{
	static const char text[] = "swaptrace 1\nram 16\ndev add d 11\nobj new a 30\nobj new b 26\n"
				   "w b 0 26\nout b 0 26\nr b 0 5\nr b 5 5\ndev del d\n";
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	struct swapctl_engine *e = engine(16, 16);
	struct swapctl_engine_stats st;
	const struct swapctl_event *v;
	int r = swapctl_trace_replay(ctx, f, "t", e);

	fclose(f);
	swapctl_engine_stats(e, &st);
	CHECK(r == 0 && st.reserve_failures == 1, "the trace replays to its end (%s)", r ? swapctl_errmsg(ctx) : "");
	v = find_event(e, SWAPCTL_EV_PAGEOUT_FAILED, 0);
	CHECK(v && v->line == 7 && !strcmp(v->text, "out b 0 26") && v->pages == 16,
	      "a page-out that fails: its line and text (%llu '%s')", v ? (unsigned long long)v->line : 0ull,
	      v ? v->text : "");
	v = find_event(e, SWAPCTL_EV_FAULT_FAILED, 0);
	CHECK(v && v->line == 8 && v->pages == 5 && (size_t)(v - swapctl_engine_event(e, 0)) == 2 &&
	      swapctl_engine_event(e, 3)->kind == SWAPCTL_EV_FAULT_FAILED && swapctl_engine_event(e, 3)->line == 9,
	      "faults that fail: one event per line (8, then 9)");
	v = find_event(e, SWAPCTL_EV_SWAPOFF_FAILED, 0);
	CHECK(v && v->line == 10 && !strcmp(v->dev, "d") && !strcmp(v->text, "dev del d"),
	      "a failed swapoff: line 10, device d");
	CHECK(swapctl_engine_nevents(e) == 5 && st.failures == 3 && st.warnings == 2,
	      "low water, page-out, 2 faults, swapoff: 5 events (%zu)", swapctl_engine_nevents(e));
	swapctl_engine_free(e);
}

/*
 * A device that fails every request from a point on (an injected error
 * rate of 1): its free slots are retired one write at a time and the
 * other device takes the pages, no page fails to go out or come in; the
 * pages it held are lost, each named with it.  path: the failing device
 * is a real area (the same decisions as simulated).
 */
static void dead_device(const char *what, const char *path, struct outcome *out)
{
	struct swapctl_dev_opts a = { .name = "a", .prio = 10, .pages = 512, .path = path };
	struct swapctl_engine *e = engine(32, 8);
	struct swapctl_engine_stats st;
	const struct swapctl_event *v;
	struct pdev *d;
	size_t i;
	bool named = true;
	uint64_t held;

	memset(out, 0, sizeof(*out));
	if (path)
		a.pages = 0;
	if (swapctl_engine_dev_add(e, &a) < 0 || dev(e, "b", 1000, 1, 0) < 0) {
		CHECK(0, "%s: devices added (%s)", what, swapctl_errmsg(ctx));
		swapctl_engine_free(e);
		return;
	}
	swapctl_engine_obj_new(e, "o", 600);
	swapctl_engine_access(e, "o", 0, 300, SWAPCTL_WRITE);
	held = ds(e, 0).used;
	CHECK(held >= 268 && ds(e, 1).used == 0, "%s: a, the higher priority, holds the %llu pages out", what,
	      (unsigned long long)held);
	d = e->devs[0];
	d->inj.wrate = d->inj.rrate = 1.0;      /* from here on a fails everything */
	swapctl_engine_access(e, "o", 300, 300, SWAPCTL_WRITE);
	swapctl_engine_stats(e, &st);
	CHECK(ds(e, 0).write_errors == 511 - held && ds(e, 0).free == 0 && ds(e, 1).used >= 300 - 32 &&
	      st.pageout_failures == 0 && st.fault_failures == 0,
	      "%s: each write to a fails and retires one of its %llu free slots (%llu); b takes the pages (%llu), none fails",
	      what, (unsigned long long)(511 - held), (unsigned long long)ds(e, 0).write_errors,
	      (unsigned long long)ds(e, 1).used);
	swapctl_engine_access(e, "o", 0, 600, SWAPCTL_READ);
	swapctl_engine_stats(e, &st);
	for (i = 0; i < swapctl_engine_nlost(e); i++)
		named &= !strcmp(swapctl_engine_lost(e, i)->dev, "a");
	CHECK(st.lost_pages == held && swapctl_engine_nlost(e) == held && named && st.fault_failures == 0 &&
	      ds(e, 0).used == 0 && ds(e, 0).lost == held && ds(e, 1).lost == 0,
	      "%s: the %llu pages a held are lost, each named with a (%llu)", what, (unsigned long long)held,
	      (unsigned long long)st.lost_pages);
	v = find_event(e, SWAPCTL_EV_WRITE_ERROR, 0);
	CHECK(v && v->failure && !strcmp(v->dev, "a") && (v = find_event(e, SWAPCTL_EV_LOST, 0)) && !strcmp(v->dev, "a"),
	      "%s: write errors and lost pages are events of device a", what);
	CHECK(checked(e), "%s: invariants hold", what);
	outcome_of(e, out);
	out->ok = true;
	swapctl_engine_free(e);
}

static void test_dead_device(void)
{
	struct outcome sim, area;
	char path[64];

	dead_device("sim", NULL, &sim);
	if (!make_area(path, sizeof(path))) {
		CHECK(0, "a 2 MiB area file is made (%s)", swapctl_errmsg(ctx));
		return;
	}
	dead_device("area", path, &area);
	unlink(path);
	CHECK(sim.ok && area.ok && same(&sim, &area), "a dying real area: the same decisions as simulated");
}

/*
 * Without read-around (cluster 1) and without failures the engine is an
 * exact LRU: a page faults when it is not among the RAM-size most recently
 * used pages.  A model replays the same accesses.  Hot pages used again and
 * again make the engine's LRU ring wrap around and close up many times
 * (tiny RAMs too), and the engine's own check runs on the way.
 */
static void test_exact_lru(unsigned ram, unsigned hot)
{
	enum { PAGES = 1000, N = 20000 };
	struct swapctl_engine *e = engine(ram, 1);
	static uint64_t last[PAGES];
	uint64_t rng = 7, faults = 0, t;
	struct swapctl_engine_stats st;
	unsigned resident = 0, i;
	int checked = 0;

	memset(last, 0, sizeof(last));
	dev(e, "d", 2000, 1, 0);
	swapctl_engine_obj_new(e, "o", PAGES);
	for (t = 1; t <= N; t++) {
		uint64_t x = engine_rand(&rng), p = x % 8 ? x % hot : (x >> 8) % PAGES;

		swapctl_engine_access(e, "o", p, 1, x & 16 ? SWAPCTL_WRITE : SWAPCTL_READ);
		if (!last[p]) {
			faults++;
			if (resident == ram) {
				unsigned lru = PAGES;

				for (i = 0; i < PAGES; i++)
					if (last[i] && (lru == PAGES || last[i] < last[lru]))
						lru = i;
				last[lru] = 0;
			} else {
				resident++;
			}
		}
		last[p] = t;
		if (t % 997 == 0 && checked == 0)
			checked = swapctl_engine_check(e);
	}
	swapctl_engine_stats(e, &st);
	CHECK(st.faults == faults && st.failures == 0 && checked == 0 && swapctl_engine_check(e) == 0,
	      "RAM %u, %u hot pages: without failures the faults are an exact LRU's (%llu, model %llu)", ram, hot,
	      (unsigned long long)st.faults, (unsigned long long)faults);
	swapctl_engine_free(e);
}

/* The check finds what is wrong in RAM: each corruption, undone after. */
static int check_fails(struct swapctl_engine *e, const char *what)
{
	int r = swapctl_engine_check(e);

	if (r < 0)
		printf("# %s: %s\n", what, swapctl_errmsg(ctx));
	return r == -EUCLEAN;
}

static void test_check_finds(void)
{
	struct swapctl_engine *e = engine(64, 1);
	struct pobj *o;
	uint32_t i, a = UINT32_MAX, b = UINT32_MAX, fi;
	uint64_t v, key, out = 0, in = 0;

	dev(e, "d", 400, 1, 0);
	swapctl_engine_obj_new(e, "o", 200);
	swapctl_engine_access(e, "o", 0, 150, SWAPCTL_WRITE);
	o = e->last_obj;
	CHECK(o && checked(e) && o->resident == 64, "check: a sound engine passes");
	for (i = 0; i < e->ftab_size; i++)
		if (e->ftab[i])
			a == UINT32_MAX ? (a = i) : (b = i);
	while (o->rbits[out / 64] >> (out % 64) & 1)
		out++;
	o->rbits[out / 64] |= 1ull << (out % 64);
	CHECK(check_fails(e, "bit"), "check: a resident bit without a frame is found");
	o->rbits[out / 64] &= ~(1ull << (out % 64));
	while (!(o->rbits[in / 64] >> (in % 64) & 1))
		in++;
	o->rbits[in / 64] &= ~(1ull << (in % 64));
	CHECK(check_fails(e, "no bit"), "check: a resident page without its bit is found");
	o->rbits[in / 64] |= 1ull << (in % 64);
	o->rbits[3] |= 1ull << 60;                      /* page 252: past the end */
	CHECK(check_fails(e, "past"), "check: a resident bit past the object's end is found");
	o->rbits[3] &= ~(1ull << 60);
	v = e->ftab[a];
	e->ftab[a] = 0;
	CHECK(check_fails(e, "entry"), "check: a frame missing from the frame table is found");
	e->ftab[a] = v;
	e->ftab[a] = e->ftab[b];
	e->ftab[b] = v;
	CHECK(check_fails(e, "swap"), "check: frame table entries swapped are found");
	e->ftab[b] = e->ftab[a];
	e->ftab[a] = v;
	fi = (uint32_t)e->ftab[a];
	key = e->frames[fi].key;
	e->frames[fi].key = frame_key(o, out);
	CHECK(check_fails(e, "key"), "check: a frame holding another page than its entry's is found");
	e->frames[fi].key = key;
	CHECK(objmap_get(&o->map, 0) && !objmap_get(&o->map, 150) &&
	      objmap_set(&o->map, 150, objmap_get(&o->map, 0)) == 0 && check_fails(e, "slot"),
	      "check: a slot given to two pages is found");
	objmap_set(&o->map, 150, SLOT_NONE);
	CHECK(checked(e), "check: a sound engine passes again");
	swapctl_engine_free(e);
}

/* The direct frame map (frames.c): a large object takes it when it is no
 * larger than half the frame table, one object at a time; the check finds
 * what is wrong in it; it follows growth, copies and deletion. */
static void test_direct_map(void)
{
	struct swapctl_engine *e = engine(1024, 1);
	struct pobj *o, *p;
	uint32_t *fm, v;
	uint64_t i, a = UINT64_MAX, b = UINT64_MAX, out = UINT64_MAX;

	dev(e, "d", 20000, 1, 0);
	swapctl_engine_obj_new(e, "o", 4096);
	swapctl_engine_access(e, "o", 0, 3000, SWAPCTL_WRITE);
	swapctl_engine_access(e, "o", 100, 200, SWAPCTL_READ);
	o = e->last_obj;                /* the object accessed last */
	CHECK(o && o->fdirect && e->fdirect_obj == o && o->resident == 1024 && checked(e),
	      "direct map: a large object takes it and passes the check");
	fm = (uint32_t *)(o->rbits + o->rwords);
	for (i = 0; i < 4096; i++) {
		if (fm[i])
			a == UINT64_MAX ? (a = i) : (b = i);
		else if (out == UINT64_MAX)
			out = i;
	}
	v = fm[a];
	fm[a] = 0;
	CHECK(check_fails(e, "direct entry"), "direct map: a resident page without its entry is found");
	fm[a] = v;
	fm[out] = v;
	CHECK(check_fails(e, "direct extra"), "direct map: an entry for a page not resident is found");
	fm[out] = 0;
	fm[a] = fm[b];
	fm[b] = v;
	CHECK(check_fails(e, "direct swap"), "direct map: entries swapped are found");
	fm[b] = fm[a];
	fm[a] = v;
	CHECK(checked(e), "direct map: a sound engine passes again");
	swapctl_engine_obj_new(e, "p", 4096);
	swapctl_engine_access(e, "p", 0, 600, SWAPCTL_WRITE);
	p = e->last_obj;
	CHECK(p && !p->fdirect && e->fdirect_obj == o, "direct map: one object has it, the next uses the table");
	swapctl_engine_access(e, "o", 0, 300, SWAPCTL_READ);
	CHECK(swapctl_engine_obj_resize(e, "o", 9000) == 0 && o->fdirect && checked(e),
	      "direct map: it grows with its object");
	swapctl_engine_access(e, "o", 5000, 3000, SWAPCTL_WRITE);
	swapctl_engine_access(e, "o", 0, 4096, SWAPCTL_READ);
	CHECK(o->resident && checked(e), "direct map: pages past the old end come and go");
	CHECK(swapctl_engine_copy(e, "p", "o", 0) == 0 && checked(e), "direct map: a copy from the table into it passes");
	swapctl_engine_obj_new(e, "q", 9000);
	CHECK(swapctl_engine_copy(e, "o", "q", 0) == 0 && !e->fdirect_obj && checked(e),
	      "direct map: a copy out of it passes, and its object gives it back");
	swapctl_engine_obj_new(e, "r", 4096);
	swapctl_engine_access(e, "r", 0, 2000, SWAPCTL_WRITE);
	CHECK(e->last_obj && e->last_obj->fdirect && checked(e) && swapctl_engine_obj_del(e, "r") == 0 &&
	      !e->fdirect_obj && checked(e), "direct map: taken again, and given back when its object goes");
	swapctl_engine_free(e);
}

int main(void)
{
	if (swapctl_new(&ctx) < 0)
		return 1;
	test_priority();
	test_round_robin();
	test_devmap();
	test_cluster_halving();
	test_read_around();
	test_objmap();
	test_copy();
	test_swapoff();
	test_reservation();
	test_errors();
	test_workloads();
	test_fast_path();
	test_trace_errors();
	test_trace_lines();
	test_objmap_take();
	test_objmap_model();
	test_area();
	test_batch();
	test_real_errors();
	test_failures();
	test_failure_events();
	test_dead_device();
	test_check_finds();
	test_direct_map();
	test_exact_lru(64, 100);
	test_exact_lru(64, 32);
	test_exact_lru(1, 3);
	test_exact_lru(2, 1);
	test_exact_lru(3, 5);
	test_exact_lru(7, 4);
	swapctl_unref(ctx);
	TAP_EXIT();
}
