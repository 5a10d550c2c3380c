/*
 * Unit tests of the report parsers (vmstat, PSI, zram, status, smaps_rollup,
 * memory.stat) and of the report functions over the recorded trees in
 * tests/fixtures/sysroot.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "internal.h"
#include "tap.h"

#define K 1024ull
#define M (1024ull * 1024)

static struct swapctl_ctx *fixture(struct swapctl_ctx *ctx, const char *name)
{
	const char *srcdir = getenv("srcdir");
	char rel[4096], abs[PATH_MAX];

	snprintf(rel, sizeof(rel), "%s/tests/fixtures/sysroot/%s", srcdir ? srcdir : ".", name);
	if (!realpath(rel, abs) || swapctl_set_sysroot(ctx, abs) < 0) {
		printf("not ok - fixture %s cannot be used\n", name);
		exit(1);
	}
	return ctx;
}

static bool close_to(double a, double b)
{
	return fabs(a - b) <= 1e-6 * fmax(1, fabs(b));
}

static void test_kv(void)
{
	const char *t = "SwapPss:   12 kB\nSwap:  5 kB\nswap 7\nbad: x\n";
	uint64_t v;

	CHECK(kv_u64(t, "Swap", &v) == 0 && v == 5 * K, "kv: 'Swap' is not 'SwapPss', kB scaled");
	CHECK(kv_u64(t, "SwapPss", &v) == 0 && v == 12 * K, "kv: SwapPss");
	CHECK(kv_u64(t, "swap", &v) == 0 && v == 7, "kv: blank-separated, no unit");
	CHECK(kv_u64(t, "bad", &v) == -EINVAL, "kv: a value that is no number is an error");
	CHECK(kv_u64(t, "Sw", &v) == -ENOENT, "kv: a prefix of a key is not the key");
}

static void test_vmstat(void)
{
	struct swapctl_vmstat vs;

	CHECK(vmstat_parse("pswpin 10\npswpout 20\npgmajfault 3\n", &vs) == 0 && vs.pswpin == 10 &&
	      vs.pswpout == 20 && vs.pgmajfault == 3, "vmstat: counters");
	CHECK(vs.zswpin == SWAPCTL_UNKNOWN && vs.zswpwb == SWAPCTL_UNKNOWN,
	      "vmstat: counters this kernel lacks are unknown, not 0");
	CHECK(vmstat_parse("nothing 1\n", &vs) < 0, "vmstat: no known counter is an error");
}

static void test_psi(void)
{
	struct swapctl_psi p;

	CHECK(psi_parse("some avg10=1.25 avg60=0.80 avg300=0.31 total=4851234\n"
			"full avg10=0.50 avg60=0.20 avg300=0.07 total=1234567\n", &p) == 0 &&
	      p.has_some && p.has_full && close_to(p.some.avg10, 1.25) && close_to(p.some.avg300, 0.31) &&
	      p.some.total_us == 4851234 && close_to(p.full.avg60, 0.2) && p.full.total_us == 1234567,
	      "psi: some and full lines");
	CHECK(psi_parse("some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", &p) == 0 && p.has_some &&
	      !p.has_full, "psi: without a full line (before 5.13, CPU) full is absent");
	setlocale(LC_NUMERIC, "de_DE.UTF-8");
	CHECK(psi_parse("some avg10=12.50 avg60=0.00 avg300=0.00 total=1\n", &p) == 0 &&
	      close_to(p.some.avg10, 12.5), "psi: decimal point independent of the locale");
	setlocale(LC_NUMERIC, "C");
	CHECK(psi_parse("some avg10=x avg60=0 avg300=0 total=0\n", &p) < 0, "psi: junk is refused");
	CHECK(psi_parse("", &p) < 0, "psi: empty is refused");
}

static void test_zram_parse(void)
{
	struct swapctl_zram z;
	char alg[32];

	memset(&z, 0, sizeof(z));
	CHECK(zram_parse_mm_stat("1073741824 268435456 285212672 0 301989888 12345 0 2048 4096\n", &z) == 0 &&
	      z.orig == 1ull << 30 && z.compr == 256 * M && z.mem_used == 272 * M &&
	      z.mem_limit == SWAPCTL_UNLIMITED && z.same_pages == 12345 && z.huge_pages == 2048 &&
	      close_to(z.ratio, 4.0), "zram: mm_stat of 9 fields, limit 0 is unlimited");
	CHECK(zram_parse_mm_stat("4096 1024 8192 65536 8192 0 0\n", &z) == 0 && z.mem_limit == 65536 &&
	      z.huge_pages == SWAPCTL_UNKNOWN, "zram: an old 7-field mm_stat: huge pages unknown");
	CHECK(zram_parse_mm_stat("0 0 0 0 0 0 0 0 0\n", &z) == 0 && isnan(z.ratio),
	      "zram: an empty device has no ratio");
	CHECK(zram_parse_mm_stat("1 2 3\n", &z) < 0 && zram_parse_mm_stat("a b c d e\n", &z) < 0,
	      "zram: short or junk mm_stat is refused");
	zram_parse_algorithm("lzo lzo-rle [zstd] lz4\n", alg, sizeof(alg));
	CHECK(!strcmp(alg, "zstd"), "zram: the selected algorithm is the bracketed one");
	zram_parse_algorithm("lz4\n", alg, sizeof(alg));
	CHECK(!strcmp(alg, "lz4"), "zram: a single algorithm without brackets");
}

static void test_status_parse(void)
{
	struct swapctl_proc p;

	memset(&p, 0, sizeof(p));
	CHECK(proc_status_parse("Name:\tweb server\nUid:\t1000\t1000\t1000\t1000\nVmSize:\t 100 kB\n"
				"VmRSS:\t  40 kB\nVmSwap:\t  12 kB\n", &p) == 1 &&
	      !strcmp(p.comm, "web server") && p.uid == 1000 && p.rss == 40 * K && p.swap == 12 * K,
	      "status: name with a blank, uid, VmRSS, VmSwap");
	CHECK(proc_status_parse("Name:\tkworker/0:1\nUid:\t0\t0\t0\t0\nKthread:\t1\n", &p) == 0,
	      "status: a kernel thread is not listed");
	CHECK(proc_status_parse("Name:\tx\nState:\tZ (zombie)\nUid:\t5\t5\t5\t5\n", &p) == 0,
	      "status: a zombie (no memory) is not listed");
	CHECK(proc_status_parse("Name:\told\nUid:\t5\t5\t5\t5\nVmSize:\t 1 kB\nVmRSS:\t 1 kB\n", &p) == 1 &&
	      p.swap == SWAPCTL_UNKNOWN, "status: no VmSwap line (before 2.6.34): unknown, not 0");
	CHECK(proc_status_parse("garbage", &p) < 0, "status: no Uid line is an error");
	CHECK(proc_status_parse("Name:\ta\\\\b\\nc\nUid:\t5\t5\t5\t5\n", &p) == 0 &&
	      !strcmp(p.comm, "a\\b\nc"), "status: the kernel's \\\\ and \\n escapes in Name: decoded");
	memset(&p, 0, sizeof(p));
	CHECK(smaps_rollup_parse("Rss: 4 kB\nSwap:   8 kB\nSwapPss:   3 kB\n", &p) == 0 &&
	      p.smaps_swap == 8 * K && p.swap_pss == 3 * K, "smaps_rollup: Swap and SwapPss");
	CHECK(smaps_rollup_parse("Rss: 4 kB\n", &p) < 0, "smaps_rollup: without swap lines");
}

static void test_memcg(void)
{
	uint64_t v;

	CHECK(memcg_stat_swap("cache 1\nswap 10\nswapcached 2\ntotal_swap 30\n", &v) == 0 && v == 30,
	      "memory.stat: total_swap (hierarchical) wins");
	CHECK(memcg_stat_swap("cache 1\nswapcached 2\nswap 10\n", &v) == 0 && v == 10,
	      "memory.stat: swap when no total_swap, not swapcached");
	CHECK(memcg_stat_swap("cache 1\nswapcached 2\n", &v) == -ENOENT,
	      "memory.stat: no swap line without swap accounting");
}

static void test_stats(struct swapctl_ctx *ctx)
{
	struct swapctl_stats st = { .struct_size = sizeof(st) }, st2 = { .struct_size = sizeof(st2) };
	struct swapctl_rates r;

	CHECK(swapctl_stats_read(fixture(ctx, "noswap"), &st) == 0 && st.mem.swap_total == 0 &&
	      st.mem.mem_total == 24684092 * K && st.zswap.enabled == 0 &&
	      !strcmp(st.zswap.compressor, "lzo") && st.zswap.max_pool_percent == 20 &&
	      st.zswap.pool == 0 && st.psi.has_some && st.psi.has_full, "stats: noswap fixture");
	CHECK(swapctl_stats_read(fixture(ctx, "partition"), &st) == 0 && st.vm.pswpin == 120345 &&
	      st.vm.pswpout == 482113 && close_to(st.uptime, 86400) && close_to(st.psi.some.avg10, 1.25),
	      "stats: partition fixture: vmstat, uptime, PSI");
	swapctl_stats_rates(NULL, &st, &r);
	CHECK(close_to(r.seconds, 86400) && close_to(r.swapin, 120345.0 * st.pagesize / 86400) &&
	      close_to(r.majfault, 98213.0 / 86400), "rates: since boot without a previous sample");
	st2.struct_size = 0;
	CHECK(swapctl_stats_read(fixture(ctx, "noswap"), &st2) == -EINVAL &&
	      swapctl_errclass(ctx) == SWAPCTL_E_INVALID && strstr(swapctl_errmsg(ctx), "swapctl_stats"),
	      "a struct swapctl_stats without its size is refused, naming it");
	st2 = st;
	st2.time = st.time + 2;
	st2.vm.pswpout += 1000;
	swapctl_stats_rates(&st, &st2, &r);
	CHECK(close_to(r.seconds, 2) && close_to(r.swapout, 500.0 * st.pagesize) && r.swapin == 0,
	      "rates: between two samples");
	CHECK(isnan(r.zswapin) || r.zswapin == 0, "rates: zswap rate of the fixture");
	st2.vm.pswpin = 0;
	swapctl_stats_rates(&st, &st2, &r);
	CHECK(isnan(r.swapin), "rates: a counter that went back is unknown, not negative");
	CHECK(swapctl_stats_read(fixture(ctx, "zswap"), &st) == 0 && st.zswap.enabled == 1 &&
	      !strcmp(st.zswap.compressor, "zstd") && st.zswap.pool == 102400 * K &&
	      st.zswap.stored == 409600 * K && st.vm.zswpwb == 131072 && st.vm.zswpout == 400000,
	      "stats: zswap fixture: parameters, pool, stored, counters");
	CHECK(swapctl_stats_read(fixture(ctx, "many"), &st) == 0 && st.mem.has_zswap,
	      "stats: Zswap lines present means known zswap sizes");
}

static void test_psi_cgroup(struct swapctl_ctx *ctx)
{
	struct swapctl_psi p;

	CHECK(swapctl_psi_read(fixture(ctx, "cgroup-v2"), "/sys/fs/cgroup/system.slice/memory.pressure", &p) == 0 &&
	      close_to(p.some.avg10, 0.10) && p.full.total_us == 99, "psi: a cgroup's memory.pressure");
	CHECK(swapctl_psi_read(ctx, "/proc/nothing", &p) == -ENOENT && strstr(swapctl_errmsg(ctx), "/proc/nothing"),
	      "psi: a missing file fails with a message naming it");
}

static void test_zram(struct swapctl_ctx *ctx)
{
	struct swapctl_zramlist *l = NULL;
	const struct swapctl_zram *z;

	CHECK(swapctl_zram_read(fixture(ctx, "zram"), &l) == 0 && swapctl_zramlist_count(l) == 1,
	      "zram: the uninitialised zram1 is not listed");
	z = swapctl_zramlist_get(l, 0);
	CHECK(z && !strcmp(z->name, "zram0") && z->disksize == 4ull << 30 && !strcmp(z->algorithm, "zstd") &&
	      z->orig == 1ull << 30 && z->compr == 256 * M && close_to(z->ratio, 4),
	      "zram: size, algorithm, original, compressed, ratio");
	CHECK(z && !strcmp(z->backing_dev, "/dev/vdb1") && z->bd_count == 8192 && z->bd_reads == 1024 &&
	      z->bd_writes == 9000 && z->failed_reads == 0, "zram: writeback device and bd_stat");
	swapctl_zramlist_free(l);
	CHECK(swapctl_zram_read(fixture(ctx, "noswap"), &l) == 0 && swapctl_zramlist_count(l) == 0,
	      "zram: none on a machine without zram");
	swapctl_zramlist_free(l);
}

static const struct swapctl_proc *find_pid(const struct swapctl_proclist *l, pid_t pid)
{
	size_t i;

	for (i = 0; i < swapctl_proclist_count(l); i++)
		if (swapctl_proclist_get(l, i)->pid == pid)
			return swapctl_proclist_get(l, i);
	return NULL;
}

static void test_procs(struct swapctl_ctx *ctx)
{
	static const pid_t order[] = { 310, 311, 420, 421, 1, 700, 500 };
	struct swapctl_proclist *l = NULL;
	struct swapctl_userlist *u = NULL;
	const struct swapctl_usersum *s;
	const struct swapctl_proc *p;
	char cmd[256];
	size_t i;
	bool ok;

	CHECK(swapctl_procs_read(fixture(ctx, "procs"), &l) == 0 && swapctl_proclist_count(l) == 7,
	      "procs: 7 processes (kernel thread, zombie and /proc/self left out)");
	ok = true;
	for (i = 0; i < 7 && i < swapctl_proclist_count(l); i++)
		ok = ok && swapctl_proclist_get(l, i)->pid == order[i];
	CHECK(ok, "procs: sorted by VmSwap, largest first, unknown last");
	p = find_pid(l, 310);
	CHECK(p && p->swap == 409600 * K && p->rss == 204800 * K && !strcmp(p->user, "postgres") &&
	      !strcmp(p->comm, "postgres") && p->swap_pss == SWAPCTL_UNKNOWN,
	      "procs: VmSwap, VmRSS, user from etc/passwd; SwapPss not read yet");
	p = find_pid(l, 500);
	CHECK(p && p->swap == SWAPCTL_UNKNOWN, "procs: a status without VmSwap is unknown");
	p = find_pid(l, 700);
	CHECK(p && !strcmp(p->user, "4242"), "procs: a uid without a name shows as the number");
	CHECK(swapctl_proclist_read_smaps(ctx, l, 0, 3) == 0, "procs: smaps_rollup of the first 3");
	p = find_pid(l, 310);
	CHECK(p && p->swap_pss == 102400 * K && p->smaps_swap == 409600 * K, "procs: SwapPss and Swap");
	p = find_pid(l, 420);
	CHECK(p && p->swap_pss == SWAPCTL_UNKNOWN, "procs: an unreadable smaps_rollup stays unknown");
	p = find_pid(l, 421);
	CHECK(p && p->swap_pss == SWAPCTL_UNKNOWN, "procs: entries after the first 3 are not read");
	CHECK(swapctl_proc_cmdline(ctx, 421, cmd, sizeof(cmd)) == 0 &&
	      !strcmp(cmd, "/usr/lib/firefox/firefox -contentproc"), "procs: command line");

	CHECK(swapctl_proclist_by_user(ctx, l, 2, &u) == 0 && swapctl_userlist_count(u) == 5,
	      "users: 5 users");
	s = swapctl_userlist_get(u, 0);
	CHECK(s && s->uid == 1001 && s->nprocs == 2 && s->swap == 512000 * K && s->swap_pss == 132400 * K,
	      "users: postgres first, VmSwap and SwapPss summed");
	s = swapctl_userlist_get(u, 1);
	CHECK(s && s->uid == 1000 && s->nprocs == 2 && s->swap == 86016 * K && s->swap_pss == 20480 * K &&
	      s->pss_unread == 1, "users: alice: an unreadable SwapPss is counted, not added as 0");
	s = swapctl_userlist_get(u, 4);
	CHECK(s && s->uid == 1002 && s->swap == SWAPCTL_UNKNOWN && s->swap_unread == 1,
	      "users: a user whose only VmSwap is unknown sums to unknown");
	s = swapctl_userlist_get(u, 2);
	CHECK(s && s->uid == 0 && s->swap_pss == SWAPCTL_UNKNOWN, "users: beyond the first 2, no SwapPss");
	swapctl_userlist_free(u);
	swapctl_proclist_free(l);
}

/* A process that exits between the listing and smaps_rollup is dropped, not
 * reported as unreadable: a tree made here, its /proc/PID removed between
 * the two calls. */
static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void test_procs_gone(struct swapctl_ctx *ctx)
{
	static const char status[] = "Name:\t%s\nUid:\t0\t0\t0\t0\nVmSize:\t 100 kB\nVmRSS:\t 4 kB\nVmSwap:\t %d kB\n";
	char root[] = "/tmp/test-stats.XXXXXX", path[PATH_MAX], text[256];
	struct swapctl_proclist *l = NULL;
	const struct swapctl_proc *p;
	int pid;

	if (!mkdtemp(root)) {
		printf("not ok - mkdtemp\n");
		return;
	}
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	for (pid = 100; pid <= 102; pid++) {
		snprintf(path, sizeof(path), "%s/proc/%d", root, pid);
		mkdir(path, 0755);
		snprintf(path, sizeof(path), "%s/proc/%d/status", root, pid);
		snprintf(text, sizeof(text), status, pid == 100 ? "a\\\\b" : "x", 1000 - pid);
		put_file(path, text);
		snprintf(path, sizeof(path), "%s/proc/%d/smaps_rollup", root, pid);
		put_file(path, "Swap:\t 8 kB\nSwapPss:\t 4 kB\n");
	}
	CHECK(swapctl_set_sysroot(ctx, root) == 0 && swapctl_procs_read(ctx, &l) == 0 &&
	      swapctl_proclist_count(l) == 3, "gone: 3 processes listed");
	p = swapctl_proclist_get(l, 0);
	CHECK(p && p->pid == 100 && !strcmp(p->comm, "a\\b"), "gone: Name: a\\\\b decoded to a\\b");
	/* 101 exits and is reaped meanwhile */
	snprintf(path, sizeof(path), "%s/proc/101/smaps_rollup", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/101/status", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/101", root);
	rmdir(path);
	CHECK(swapctl_proclist_read_smaps(ctx, l, 0, 2) == 0 && swapctl_proclist_count(l) == 2,
	      "gone: the exited process left the list");
	p = swapctl_proclist_get(l, 1);
	CHECK(p && p->pid == 102 && p->swap_pss == 4 * K,
	      "gone: the next one moved up and was read in its place");
	swapctl_proclist_free(l);
	for (pid = 100; pid <= 102; pid++) {
		snprintf(path, sizeof(path), "%s/proc/%d/smaps_rollup", root, pid);
		unlink(path);
		snprintf(path, sizeof(path), "%s/proc/%d/status", root, pid);
		unlink(path);
		snprintf(path, sizeof(path), "%s/proc/%d", root, pid);
		rmdir(path);
	}
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

static const struct swapctl_cgroup *find_cg(const struct swapctl_cgrouplist *l, const char *path)
{
	size_t i;

	for (i = 0; i < swapctl_cgrouplist_count(l); i++)
		if (!strcmp(swapctl_cgrouplist_get(l, i)->path, path))
			return swapctl_cgrouplist_get(l, i);
	return NULL;
}

static void test_cgroups(struct swapctl_ctx *ctx)
{
	struct swapctl_cgrouplist *l = NULL;
	const struct swapctl_cgroup *c;

	CHECK(swapctl_cgroups_read(fixture(ctx, "cgroup-v1"), &l) == 0 && swapctl_cgrouplist_count(l) == 5 &&
	      !strcmp(swapctl_cgrouplist_root(l), "/sys/fs/cgroup/memory"),
	      "cgroups v1: found at /sys/fs/cgroup/memory, 5 groups");
	c = swapctl_cgrouplist_get(l, 0);
	CHECK(c && !strcmp(c->path, "/") && c->swap == 200000 * K && c->mem_max == SWAPCTL_UNLIMITED,
	      "cgroups v1: the root first (most swap), unlimited");
	c = find_cg(l, "/system.slice/db.service");
	CHECK(c && c->version == 1 && c->swap == 48 * M && c->mem == 250 * M && c->mem_max == 256 * M &&
	      c->memsw == 298 * M && c->memsw_max == 512 * M && c->nprocs == 2 && c->swap_max == SWAPCTL_UNKNOWN,
	      "cgroups v1: total_swap, usage, limit, memsw, procs");
	c = swapctl_cgrouplist_get(l, 1);
	CHECK(c && !strcmp(c->path, "/batch"), "cgroups v1: sorted by swap");
	swapctl_cgrouplist_free(l);

	CHECK(swapctl_cgroups_read(fixture(ctx, "cgroup-v1-noacct"), &l) == 0 &&
	      (c = find_cg(l, "/job")) && c->swap == SWAPCTL_UNKNOWN && c->memsw == SWAPCTL_UNKNOWN &&
	      c->mem_max == 64 * M, "cgroups v1 without swap accounting: swap unknown, not 0");
	swapctl_cgrouplist_free(l);

	CHECK(swapctl_cgroups_read(fixture(ctx, "cgroup-v2"), &l) == 0 && swapctl_cgrouplist_count(l) == 4 &&
	      !strcmp(swapctl_cgrouplist_root(l), "/sys/fs/cgroup"),
	      "cgroups v2: found at /sys/fs/cgroup; root and groups without memory left out");
	c = swapctl_cgrouplist_get(l, 0);
	CHECK(c && !strcmp(c->path, "/system.slice") && c->swap == 200 * M && c->swap_max == SWAPCTL_UNLIMITED,
	      "cgroups v2: sorted by memory.swap.current, max is unlimited");
	c = find_cg(l, "/system.slice/postgresql.service");
	CHECK(c && c->version == 2 && c->swap == 180 * M && c->swap_max == 1ull << 30 && c->swap_peak == 200 * M &&
	      c->zswap == 0 && c->mem == 700 * M && c->nprocs == 3 && c->memsw == SWAPCTL_UNKNOWN,
	      "cgroups v2: swap.current/max/peak, zswap, memory, procs");
	swapctl_cgrouplist_free(l);

	CHECK(swapctl_cgroups_read(fixture(ctx, "noswap"), &l) == -ENOENT &&
	      strstr(swapctl_errmsg(ctx), "no memory controller"), "cgroups: none found is an error with a message");
}

static const struct swapctl_found *find_found(const struct swapctl_scan *s, const char *path)
{
	size_t i;

	for (i = 0; i < swapctl_scan_count(s); i++)
		if (!strcmp(swapctl_scan_get(s, i)->sw.path, path))
			return swapctl_scan_get(s, i);
	return NULL;
}

static void test_scan(struct swapctl_ctx *ctx)
{
	struct swapctl_scan *s = NULL;
	const struct swapctl_found *f;

	CHECK(swapctl_scan_read(fixture(ctx, "inactive"), NULL, 0, &s) == 0 && swapctl_scan_count(s) == 6,
	      "scan: 6 areas (1 active, 2 inactive, 1 hibernation, 2 missing)");
	f = swapctl_scan_get(s, 0);
	CHECK(f && f->state == SWAPCTL_STATE_ACTIVE && !strcmp(f->sw.path, "/dev/sda2") && f->in_fstab,
	      "scan: the active area first, in fstab");
	f = find_found(s, "/dev/sda3");
	CHECK(f && f->state == SWAPCTL_STATE_INACTIVE && f->in_fstab && f->fstab_prio == 5 &&
	      !strcmp(f->sw.label, "spare") && f->sw.size == 9 * 4096 &&
	      !strcmp(f->fstab_spec, "UUID=3f6c9f0e-1d2b-4c3a-9e8f-000000000003, LABEL=spare"),
	      "scan: inactive partition matched by UUID= and LABEL=, size from its header");
	CHECK(f && f->sw.kind == SWAPCTL_KIND_PARTITION, "scan: its type from sysfs");
	f = find_found(s, "/dev/sda4");
	CHECK(f && f->state == SWAPCTL_STATE_HIBERNATION && !f->in_fstab, "scan: a hibernation image");
	f = find_found(s, "/var/swapfile");
	CHECK(f && f->state == SWAPCTL_STATE_INACTIVE && f->sw.kind == SWAPCTL_KIND_FILE && f->fstab_prio == 1,
	      "scan: an inactive swap file named in fstab");
	f = find_found(s, "/missing.swap");
	CHECK(f && f->state == SWAPCTL_STATE_MISSING && f->in_fstab, "scan: an fstab file that is not there");
	f = find_found(s, "LABEL=gone");
	CHECK(f && f->state == SWAPCTL_STATE_MISSING, "scan: an fstab LABEL= nothing carries");
	CHECK(!find_found(s, "/dev/sda1") && !find_found(s, "/dev/sda") && !find_found(s, "/dev/loop0"),
	      "scan: no signature, partitioned disks and empty devices are not areas");
	swapctl_scan_free(s);
	CHECK(swapctl_scan_read(ctx, "/nonexistent/fstab", 0, &s) < 0 && strstr(swapctl_errmsg(ctx), "/nonexistent/fstab"),
	      "scan: an fstab given that cannot be read is an error");
	CHECK(swapctl_scan_read(fixture(ctx, "files"), NULL, 0, &s) == 0 && swapctl_scan_count(s) == 3,
	      "scan: no /etc/fstab is no error");
	swapctl_scan_free(s);
}

static void test_swaps(struct swapctl_ctx *ctx)
{
	struct swapctl_swaplist *l = NULL;
	const struct swapctl_swap *sw;
	uint64_t total = 0;
	size_t i;

	CHECK(swapctl_swaps_read(fixture(ctx, "files"), 0, &l) == 0 && swapctl_swaplist_count(l) == 3,
	      "swaps: files fixture");
	sw = swapctl_swaplist_get(l, 0);
	CHECK(sw && !strcmp(sw->path, "/var/swap file") && sw->kind == SWAPCTL_KIND_FILE, "swaps: \\040 decoded");
	sw = swapctl_swaplist_get(l, 1);
	CHECK(sw && !strcmp(sw->path, "/swapfile") && sw->deleted, "swaps: (deleted) recognised");
	sw = swapctl_swaplist_get(l, 2);
	CHECK(sw && !strcmp(sw->path, "/data/back\\slash\ttab"), "swaps: \\134 and \\011 decoded");
	swapctl_swaplist_free(l);
	CHECK(swapctl_swaps_read(fixture(ctx, "many"), 0, &l) == 0 && swapctl_swaplist_count(l) == 30,
	      "swaps: 30 areas");
	for (i = 0; i < swapctl_swaplist_count(l); i++)
		total += swapctl_swaplist_get(l, i)->size;
	CHECK(total == 4783836 * K, "swaps: the 30 sizes add up");
	swapctl_swaplist_free(l);
	CHECK(swapctl_swaps_read(fixture(ctx, "zram"), 0, &l) == 0 &&
	      swapctl_swaplist_get(l, 0)->kind == SWAPCTL_KIND_ZRAM && swapctl_swaplist_get(l, 0)->rotational == 0,
	      "swaps: a zram area is of kind zram, not rotational");
	swapctl_swaplist_free(l);
	CHECK(swapctl_swaps_read(fixture(ctx, "partition"), 0, &l) == 0 &&
	      swapctl_swaplist_get(l, 0)->kind == SWAPCTL_KIND_PARTITION &&
	      swapctl_swaplist_get(l, 0)->rotational == 1 && !strcmp(swapctl_swaplist_get(l, 0)->model, "QEMU HARDDISK"),
	      "swaps: a partition: its disk's model and rotational flag");
	swapctl_swaplist_free(l);

	/* the kernel escapes the blank of its own suffix too */
	{
		char text[] = "Filename Type Size Used Priority\n"
			      "/tmp/x/node\\040(deleted) partition 32764 0 -2\n"
			      "/a\\040b\\012c\\134 file 8188 0 -3\n";

		l = swaps_list_new();
		CHECK(l && swaps_parse(ctx, "text", text, l) == 0 && swapctl_swaplist_count(l) == 2,
		      "swaps: kernel text parsed");
		sw = swapctl_swaplist_get(l, 0);
		CHECK(sw && !strcmp(sw->path, "/tmp/x/node") && sw->deleted,
		      "swaps: \\040(deleted) is the deleted suffix, decoded and taken off");
		sw = swapctl_swaplist_get(l, 1);
		CHECK(sw && !strcmp(sw->path, "/a b\nc\\") && !sw->deleted, "swaps: \\012 decoded");
		swapctl_swaplist_free(l);
	}
	CHECK(swapctl_set_sysroot(ctx, "/nonexistent-sysroot") == 0 &&
	      swapctl_swaps_read(ctx, 0, &l) == -ENOENT &&
	      !strncmp(swapctl_errmsg(ctx), "/proc/swaps: ", 13) && swapctl_errclass(ctx) == SWAPCTL_E_SYSTEM,
	      "swaps: no /proc/swaps is an error naming it");
}

int main(void)
{
	struct swapctl_ctx *ctx;

	if (swapctl_new(&ctx) < 0) {
		printf("not ok - context\n");
		return 1;
	}
	test_kv();
	test_vmstat();
	test_psi();
	test_zram_parse();
	test_status_parse();
	test_memcg();
	test_stats(ctx);
	test_psi_cgroup(ctx);
	test_zram(ctx);
	test_procs(ctx);
	test_procs_gone(ctx);
	test_cgroups(ctx);
	test_scan(ctx);
	test_swaps(ctx);
	swapctl_unref(ctx);
	TAP_EXIT();
}
