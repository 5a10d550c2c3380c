/*
 * Simulated RAM: a fixed number of frames, the frame table that finds the
 * frame of a page, the exact LRU order of the frames (a ring, below), and
 * each object's resident bits.  No I/O: paging.c moves pages in and out.
 *
 * The frame table is one table for all objects, sized by RAM (32 bytes a
 * frame), not an array per object (4 bytes an object page): with RAM much
 * smaller than the objects (make bench-engine's 64 GiB runs: 64K frames,
 * 11M object pages) an array would take 44 MiB where the table takes 2.
 * Nor would an array save a cache miss on a hit: the frame is read anyway
 * to move it to the LRU's front.  Lookups of pages that are not resident,
 * most of them, stop at the resident bits.
 *
 * The LRU is exact but has no linked list.  Each use of a page appends its
 * frame number to a ring (e->lru, LRU_SPAN entries a frame, oldest first)
 * and the frame keeps the position of its newest entry (f->pos); a bit per
 * position (e->lru_live) says which entries are live, the older entries of
 * a page used again having gone stale.  The oldest live entry is the least
 * recently used page: eviction takes it, skipping stale bits a word at a
 * time, and prefetches the frame LRU_AHEAD entries on (and, LRU_AHEAD / 2
 * on, that page's frame-table entry and resident bits).  When the ring is
 * full its live entries close up towards the oldest, in order, and the
 * frames that moved learn their new positions (prefetched ahead).  So a hit
 * writes its own frame, a bit and the ring's tail where a list unlinked it
 * from two random neighbours and wrote the head (and each eviction read
 * the next victim, the tail's prev, at once).  Without prev and next the
 * frame is 16 bytes, not 32 (an object handle and the page index in one
 * key, the generation sharing a word with the flags), so the frames take
 * half the cache and one never straddles two lines; ring, bits and frame
 * come to 24.25 bytes a frame.  The ring wraps around: evictions free its
 * oldest positions, so it fills up only when the least recently used page
 * was last used more than LRU_SPAN x frames uses ago.  run.sh's 4M-event
 * traces close it up 0 times (random) and 11 times (zipf: 84% hits).  The
 * key's limits: pages below 2^40 (reservations keep objects under 2^33
 * pages), 2^24 - 1 objects at once (swapctl_engine_obj_new refuses more);
 * generations count modulo 2^29.
 * Counts (cachegrind, swapinfo -r --cluster 1, 1M events, 256K frames),
 * linked list -> ring: zipf D1 misses 4.70M -> 3.92M, misses past a 2 MiB
 * cache 2.20M -> 1.85M; random 9.00M -> 8.65M and 4.76M -> 4.08M; for
 * 5-9% more instructions (602M -> 655M, 1197M -> 1269M).  Cache misses,
 * not instructions, decide this engine's speed (the frame table's probe,
 * with its two misses, takes 40% of the time and 6% of the instructions).
 *
 * A replay's time is the misses of these lookups, one waiting for the
 * other (the table entry, then the frame; the entries of the page
 * evicted).  The trace knows the pages coming, so trace-ahead.c has
 * ram_prefetch_far/near start those loads some events early, stage by
 * stage, and prefetch_victims the ones the next eviction (the ring's
 * oldest live entries) makes: random, 4M events on 1M pages and 256K
 * frames, --cluster 1, went from about 470 ns an event to 300, zipf from
 * 190 to 130 (CPU time, loaded machine).  Only prefetches: a hint that is stale
 * by the time its event comes costs a prefetch.  A table at half load
 * (4 MiB instead of 8) saved memory but ran 4-8% slower: kept at a quarter.
 * Tried and left out: the frame table, frames, ring and live bits mapped
 * aligned to 2 MiB and advised MADV_HUGEPAGE (malloc's mappings are not
 * aligned, so with glibc.malloc.hugetlb=1 only their aligned middle is on
 * huge pages: 10 of 22 MiB during the 4M random replay, 14 with them
 * aligned).  User time, 11 alternated pairs on a quiet machine: median
 * 1.05 of without (0.84-1.28); the TLB is not what random waits on.
 * Then the prefetches themselves were made cheaper (random, 1M events,
 * cachegrind): prefetch_victims looks at each ring position once (a mark
 * the lookahead keeps) where it redid the same oldest entries on about
 * three calls in a row, 137 -> 83 instructions an event; the slot map's
 * table position and the page's hash are computed once, at the far
 * stage, and carried (struct ram_hint); the near stage reads the resident
 * bit first, so a hit skips the slot map and a fault the frame, and the
 * last stage does nothing for a hit (its frame, read at the near stage
 * by this core alone, is in cache exclusive: restoring the write prefetch
 * changed nothing measurable).  Replay user time against main (4M events,
 * loaded machine, medians of alternated pairs): random 0.97, zipf 0.89.
 *
 * ram_check (run by swapctl_engine_check at the end of every replay) walks
 * the frame table in order rather than looking each frame's page up and
 * then each resident bit's page again: two random table reads per page in
 * RAM became one walk with the frames prefetched, and the resident bits
 * are counted, not looked up (see ram_check_pages for why that is as
 * strict).  1M-event traces, cachegrind: random D1 misses 8.81M -> 8.48M,
 * zipf 3.92M -> 3.71M, for 0.4-0.9% more instructions (the table's empty
 * entries are walked too).
 *
 * The table is entered and left without looking pages up: a page taken
 * into a frame is not in it (the first empty entry from its home takes
 * it), and the entry of a frame leaving is the one that names the frame,
 * so neither compares keys nor reads other frames.  Random, 1M events:
 * 1578M -> 1527M instructions, misses unchanged.
 *
 * An eviction releases the ring's oldest entry and moves the ring's head
 * past it, so the next eviction's lru_oldest starts at a live entry unless
 * a page used again left a stale one there (random: 1485.6M -> 1470.7M).
 * Closing the ring up walks its live bits a word at a time, not an
 * lru_scan call per entry: zipf's 4M events close it up 11 times, and
 * 3759.8M instructions became 3693.8M (the scans' 63M gone).
 *
 * ftab_remove decides whether an entry may move back into the gap with
 * one compare of distances from its position (to its home, to the gap)
 * instead of four comparisons by which side of the gap wraps.  1M events,
 * --cluster 1, cachegrind: random 1,140,022,046 -> 1,138,535,832
 * instructions (callgrind: ftab_remove 29.99M -> 28.51M, simulated
 * mispredicts 757.9K -> 745.0K), zipf 604,826,781 -> 604,825,074; D1
 * misses unchanged (8.66M, 3.92M); --json unchanged.
 *
 * prefetch_victims prefetched the slot map's cluster of the oldest live
 * page only, again at every call: the page the very next fault evicts, so
 * the prefetch was issued just before the event that used it (objmap_set
 * of the page written out stalled on the cluster's header).  It now runs
 * that stage over the VICTIMS_NEAR oldest positions, each once (a second
 * mark), so a victim's cluster is asked for some evictions before it
 * goes, from the table entry the far stage brought in.  Random, 4M events,
 * sampling profile (two runs against one): objmap_set 5.1-5.3% -> 2.2% of
 * the samples, the rest as it was; 1M events, cachegrind: random
 * 1,139,135,488 -> 1,141,392,916 instructions, zipf 604,834,850 ->
 * 602,667,292 (a hit no longer redoes the oldest's prefetch), D1 misses
 * 8.658M -> 8.657M and 3.926M -> 3.923M; task-clock against main, medians
 * of 15 alternated rounds on the loaded machine: random 0.987 (this
 * change alone: 0.984 -> 0.987, within the noise), zipf 0.979.
 *
 * Tried for #15 and left out (random 4M events, --cluster 1; the machine
 * was loaded, task-clock medians of 9-30 alternated rounds moved by +-7%
 * between identical builds, so only what the sampling profile showed is
 * quoted): LRU_AHEAD 16 (frames prefetched 16 ring entries ahead, not 8)
 * halved prefetch_victims' share of the samples (9.8% -> 4.7%, its stall
 * being the victim's frame, prefetched too late at 8) but lru_oldest's
 * grew as much (5.1% -> 10.6%, the same frames read at LRU_AHEAD / 2); 24
 * with VICTIMS_LOOK 12 no better; time unchanged (ratio to main 0.99 over
 * 30 rounds).  Prefetching the page's resident bits at the far stage took
 * ram_prefetch_near out of the profile's top (7.3% -> under 2%; it had
 * stalled on the bit) but the samples went to frame_take and lru_oldest,
 * time unchanged.  Prefetching the new page's table entry again at the
 * near stage (for writing) left frame_take's stall on ftab_insert's first
 * probe where it was (7.6-8.8% either way).  After the victims' clusters
 * were prefetched in stages (above), LRU_AHEAD 16 again, with the ring's
 * line prefetched 32 entries past the frame's (lru_oldest had stalled on
 * the ring entry 16 on, 31% of its samples): prefetch_victims 11.3-13.6%
 * -> 5.7-6.6% of the samples, lru_oldest 3.8-4.3% -> 10.7-11.1% (now on
 * the frame 8 on, prefetched 6 evictions before), task-clock against the
 * build without it 1.008 (random, 15 rounds) and 1.022 (zipf, 11).
 * Stalls that move when one is removed point to the misses' total, not
 * to one late prefetch.
 *
 * frame_replace (paging.c's fast path: the victim's frame takes the new
 * page) is frame_release then frame_take without the free list; and
 * lru_append and ftab_remove are inlined into their callers, ftab_remove
 * reading each entry once through a local pointer (the compiler reloaded
 * e->ftab after every store).  1M events, --cluster 1, cachegrind:
 * frame_replace alone, random 1,025,904,221 -> 1,019,330,132
 * instructions; the inlining then 1,019,330,132 -> 1,016,379,373, zipf
 * 596,016,141 -> 592,671,012; D1 misses unchanged (8.586M, 3.927M).
 * frame_release's and frame_take's halves (frame_empty, frame_fill)
 * inlined into frame_replace too (gcc had made frame_empty a call):
 * random 1,016,379,373 -> 1,010,761,088.  lru_oldest's prefetch of the
 * page LRU_AHEAD / 2 on tests its live bit only, not also whether the
 * position is in the ring (bits outside it are clear, and ram_check
 * holds the ring to that): random 1,010,761,088 -> 1,002,619,903, zipf
 * 592,671,013 -> 592,670,980, the same prefetches.  ftab_slot inlined
 * (ram_find on a hit, ram_check on every frame) and ram_check_pages
 * testing a frame's object handle inline (frame_handle_ok; the call to
 * ram_check_frame only to say what is wrong, so as strict): random
 * 994,458,262 -> 982,269,896, zipf 593,475,936 -> 576,569,236.
 *
 * prefetch_victims is now an inlined check in front of the walk
 * (victims_walk): when both marks are their stage's full count past the
 * ring's oldest, nothing was evicted since the last walk and there is
 * nothing new to look at, so the walk's call, set-up and two
 * victims_from are skipped.  1M events, --cluster 1, callgrind: walks
 * 784,985 -> 418,055 (random), prefetch_victims 78.7M -> victims_walk
 * 58.9M + 4.6M for the checks; the whole replay 1,025,904,237 ->
 * 1,012,962,650 instructions (random), 593,940,310 -> 585,161,761
 * (zipf); D1 misses unchanged (8.586M, 3.927M).  The same prefetches are
 * issued (the walk would have found its loops empty).  Tried and left
 * out: both stages one position wider (VICTIMS_LOOK 9, VICTIMS_NEAR 5)
 * and the walk skipped while at most one position is new (the same
 * lead, half the walks): 1,002,982,905 -> 995,935,943 instructions
 * (random), 575,182,774 -> 575,635,010 (zipf): 0.7% for prefetches
 * issued at other times, not worth the timing it would need.
 *
 * The evictions' prefetches are now the evictions' own: lru_oldest, once
 * per ring position its oldest moves past (e->lru_ahead), prefetches the
 * frame 16 positions on, the table entry, resident bits and (dirty) slot
 * map entry of the page 8 on, and the slot map cluster of the dirty page
 * 4 on (evict_ahead).  That replaces lru_oldest's prefetches (frame 8 on,
 * table entry 4 on) and the lookahead's victims_walk, its two marks and
 * its check on every event before a fault, which read each victim's
 * frame twice and hashed its page twice.  A timing probe (rdtsc around
 * the loads, a scratch build) had shown the prefetched loads all but
 * always hitting cache, so the fault path pays for its instructions and
 * mispredicts, not for late prefetches.  --cluster 1, cachegrind: 1M
 * random 943,908,169 -> 908,551,580 instructions, mispredicts 7.41M ->
 * 6.29M; 4M random (run.sh's) 4,135,656,940 -> 3,971,402,961, 35.56M ->
 * 29.80M; 1M zipf 543,973,915 -> 531,950,057; 4M zipf 2,311,619,483 ->
 * 2,250,233,390.  4M random user time, 11 alternated pairs against
 * main (load 3.3-3.8): median ratio 0.89 (0.71-1.12).
 * Then evict_ahead's table stage reads its frame live or not (a stale
 * entry's page is resident elsewhere: a wasted prefetch; a free frame
 * has no object and is passed over), lru_oldest wraps positions around
 * the ring's end only when one would wrap, and ftab_insert steps past an
 * occupied home without a branch (the loop after it runs only when the
 * neighbour is taken too).  4M random, cachegrind: 3,971,402,961 ->
 * 3,954,951,913 instructions, mispredicts 29.80M -> 28.43M.
 * The lookahead's stages for the page itself: far reads the slot map's
 * directory entry at once (a directory is 4 bytes for 32 pages, in
 * cache) and prefetches its record (objmap_prefetch_rec), so near no
 * longer asks the resident bit which of the two to do: it prefetches the
 * frame the first table entry names when its hash matches, frame 0 when
 * not, without a branch (a hash's map still gets its record at near).
 * 4M random, cachegrind: 3,954,951,913 -> 3,957,305,506 instructions,
 * mispredicts 28.43M -> 26.72M; user time against the build before, 15
 * alternated pairs (load 4.6-4.8): median 0.98 (0.83-1.14).
 * evict_ahead's cluster stage tests live and dirty in one branch (the
 * frame is read either way), and its table stage prefetches only a
 * hash's table entry (a directory's is read at the cluster stage): 4M
 * random 3,957,305,506 -> 3,928,109,604 instructions, mispredicts 26.72M
 * -> 24.70M; user time, 25 alternated pairs against the build before
 * (load 4.1-5.1): median 0.96 (0.67-1.41).  Tried and left out: both
 * the lookahead's and the evictions' directory entries prefetched first
 * and read a stage later, as before (the sampling profile has
 * objmap_prefetch_rec at 8.5%, on its read): 4,005,277,626 instructions,
 * 26.53M mispredicts, time the same (0.99, 15 pairs).  A timing probe of
 * the prefetch instructions themselves (scratch build, rdtsc around one)
 * found about 40% of the far stage's table prefetches slow to issue
 * where a second one to the same line never is: TLB walks (8 of the
 * replay's 20 MiB on huge pages), which no prefetch distance hides.
 * The table's hash is now of the frame key (handle << 40 | page index,
 * khash) rather than of the object's number and the page index: a
 * frame's page hashes from the frame alone, so the eviction's table
 * entry no longer waits on the object's record (fobjs, then o->num), and
 * the hash takes two instructions fewer.  With one object (handle 1,
 * number 1) it is the same hash as before, so run.sh's table layout is
 * unchanged.  4M random: 3,928,109,604 -> 3,901,729,187 instructions,
 * mispredicts 24.70M -> 23.95M.
 * Tried after that and left out (4M random, --cluster 1; user time in
 * alternated pairs against the build without, load 3-8): the new page's
 * table entry prefetched for writing again at the fault's start, before
 * its eviction: 0.98 (21 pairs), and the sampling profile's stall on
 * ftab_insert's probe (26% of frame_replace's samples) stayed where it
 * was, so it is not a late prefetch; the table in a mapping of its own
 * aligned to 2 MiB and advised huge pages: 1.016 (21 pairs); the two
 * entries after a removed one moved back without branches:
 * 3,901,729,187 -> 3,944,040,779 instructions for 23.95M -> 23.35M
 * mispredicts; frame_replace entering the new page before removing the
 * old (the removal then matching hash and frame): 3,895,509,466
 * instructions, 25.79M mispredicts, 0.98 (21 pairs), the stall moving
 * with the probe to the function's start (28%); the page's own slot map
 * staged in two again (directory entry prefetched far, read near on
 * every event): 3,930,163,716 instructions, 25.58M mispredicts, 0.99 (25
 * pairs).
 * The profile puts 74% of ram_find's samples (8.6% of all) on a hit's
 * frame key, so near was made to take the frame from the entry after
 * the home too (a displaced entry got no prefetch): ram_find 8.6% ->
 * 5.1%, but ram_prefetch_near 3.2% -> 9.6%, on its read of the table
 * entries (3,977,559,023 instructions, 0.985 in 25 pairs); then near
 * prefetching the table line again and the lookahead's last stage (2
 * events ahead) reading it: the same, the stall on that read.  So a
 * frame-table line prefetched at the far stage is often not in cache 4
 * to 10 events later, even prefetched twice: the prefetches seem lost
 * (dropped, or issued past the miss buffers in the far stage's burst of
 * a batch), not late; the evicted pages' table lines and the new page's
 * at ftab_insert stall alike.  hugetlb=1 against 0, same build: 0.92
 * (11 pairs), while the table alone on aligned huge pages did nothing.
 * This round for #15 in all (evict_ahead, the near stage without the
 * resident branch, objmap_prefetch_rec, khash), --cluster 1, cachegrind:
 * 4M random 4,135,656,940 -> 3,901,729,187 instructions, mispredicts
 * 35.56M -> 23.95M (callgrind's predictor misses biased data-dependent
 * branches far more often than the hardware can: its mispredict counts
 * overstate these gains); 1M random 943,908,169 -> 897,033,745; --json
 * byte-identical on the 8 reference replays.  User time against main,
 * alternated pairs: 4M random 0.858 (21 pairs, load 4.9-5.8), 4M zipf
 * 0.933 (15 pairs).  run.sh (RUNS=3, three runs at load 4-8): random
 * 2.00, 1.76, 1.84 (wall; cpu 2.02, 1.86, 1.84: cachesim itself took
 * 1.25, 1.70 and 0.95 s wall), zipf 1.93, 2.39, 3.11; faults = LRU
 * misses.  Peak RSS unchanged (22.3-22.5 MiB without huge pages).
 *
 * The direct frame map.  Since every frame-table line stalled however it
 * was prefetched, one object's frames now bypass the table: the first
 * object of FDIRECT_MIN pages or more whose map (4 bytes a page) is no
 * larger than half the table gets a frame + 1 per page after its
 * resident bits, in the same block (ram_obj_attach, at its creation,
 * nothing resident yet; e->fdirect_obj, o->fdirect in struct pobj's
 * padding, so its size and map_bytes are unchanged).  A fault then
 * writes two map entries (stores only, no probe, no backward shift, no
 * load to wait on), a hit reads one, and the table is not touched (its
 * pages are never faulted in).  The first paragraph's case still holds:
 * with RAM much smaller than the objects the map would be larger than
 * the table, so those objects, small ones and any object after the
 * first stay in the table.  The map grows with its object like its
 * bits (a soft limit: it is not given back when it grows past half the
 * table).  ram_check walks it as it walks the table (each entry not 0
 * a distinct frame in use holding that page, marked resident, counted
 * with the table's entries); test-engine's test_direct_map corrupts it
 * three ways and takes it through growth, copies in and out and
 * deletion.  4M random, --cluster 1, cachegrind: 3,901,729,187 ->
 * 3,706,693,274 instructions, mispredicts 23.95M -> 17.72M; 4M zipf
 * 2,264,650,226 -> 2,216,124,010; 1M random 897,033,745 ->
 * 855,065,809; --json byte-identical on the 8 reference replays.  User
 * time, alternated pairs against the build before (load 2.1-3.2):
 * random 0.709 (21 pairs), zipf 0.832 (15); against main: random 0.667
 * (15).  Peak RSS, 4M random without huge pages: 22.4 -> 18.5 MiB (the
 * map's 4 MiB where the table's 8 were touched).
 * run.sh (RUNS=3, glibc.malloc.hugetlb=1, three runs at load 3.7-4.7):
 * engine/cachesim pages/s random 2.37, 2.44, 2.41 (cpu 2.39, 2.46, 2.42;
 * engine 0.424-0.432 s wall), zipf 2.64, 2.92, 2.40; faults = LRU
 * misses.
 * With the table gone from the fault path the sampling profile leads
 * with objmap_prefetch_rec (12.8%, the far stage's read of the
 * directory entry) and lru_oldest (11.3%); frame_replace fell from
 * about 20% to 5%.  Tried and left out then: the page's directory entry
 * prefetched far and read near again: 3,706,693,274 -> 3,747,179,555
 * instructions (zipf 2,216,124,010 -> 2,245,616,032), user time 0.988
 * random (25 pairs), 1.008 zipf (15).
 * Also tried: evict_ahead without the victim's map entry prefetch (its
 * store only clears it): 1.137 (25 pairs), so a store's miss costs too;
 * the new page's map entry prefetched for writing at the far stage
 * instead of reading: 0.994 (25 pairs), nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "pager.h"

/* One multiply: the high half of a page's frame key (object handle and
 * page index) times an odd constant mixes both into the bits the table is
 * indexed by.  From the key, so a frame's page hashes without its object
 * being read. */
static inline uint32_t khash(uint64_t key)
{
	uint32_t h = (uint32_t)(key * 0x9e3779b97f4a7c15ull >> 32);

	return h ? h : 1;       /* never 0: 0 marks an empty entry */
}

static inline uint32_t fhash(const struct pobj *o, uint64_t idx)
{
	return khash(frame_key(o, idx));
}

/*
 * The frame table: open addressing, each entry the page's hash in the high
 * 32 bits and its frame in the low 32, so a probe touches a frame only when
 * the hashes match.
 */
static inline __attribute__((always_inline)) uint64_t *ftab_slot(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx, uint32_t h)
{
	uint32_t mask = e->ftab_size - 1, i;

	for (i = h & mask;; i = (i + 1) & mask) {
		uint64_t v = e->ftab[i];

		if (!v)
			return &e->ftab[i];
		if ((uint32_t)(v >> 32) == h) {
			const struct frame *f = &e->frames[(uint32_t)v];

			if (f->key == frame_key(o, idx))
				return &e->ftab[i];
		}
	}
}

/*
 * Each object has a bit per page telling whether it is resident.  Most
 * lookups are for pages that are not (faults, the neighbours of a cluster
 * or a read-around), and the bitmap answers those from memory next to the
 * neighbours' bits, where the frame table is a cache miss per page.
 * Bitmaps of 1 MiB or more are mapped without reserve: only the parts
 * with resident pages cost memory.
 */
#define RBITS_MAP_BYTES (1u << 20)
#define FDIRECT_MIN 4096u       /* pages: smaller objects use the table */

/* An object's block: its resident bits and, for the direct object, a
 * frame map after them (frame + 1 per page, 0 none, for every page the
 * bits cover). */
static size_t rblock_bytes(uint64_t words, bool direct)
{
	return (size_t)words * 8 + (direct ? (size_t)words * 64 * sizeof(uint32_t) : 0);
}

static uint64_t *rblock_alloc(uint64_t words, bool direct)
{
	size_t len = rblock_bytes(words, direct);
	uint64_t *b;

	if (len >= RBITS_MAP_BYTES) {
		b = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		return b == MAP_FAILED ? NULL : b;
	}
	return calloc(len, 1);
}

static void rblock_free(uint64_t *b, uint64_t words, bool direct)
{
	size_t len = rblock_bytes(words, direct);

	if (len >= RBITS_MAP_BYTES)
		munmap(b, len);
	else
		free(b);
}

static inline uint32_t *fmap_of(const struct pobj *o)
{
	return (uint32_t *)(o->rbits + o->rwords);
}

int ram_obj_bits(struct pobj *o, uint64_t pages)
{
	uint64_t words = (pages + 63) / 64, *bits;
	bool direct = o->fdirect;

	if (!pages) {
		if (o->rbits)
			rblock_free(o->rbits, o->rwords, direct);
		o->rbits = NULL;
		o->rwords = 0;
		o->fdirect = 0;
		return 0;
	}
	/* objects that shrink and grow again (a heap) keep their bitmap: the
	 * bits past the end are clear, the pages there having left RAM (and
	 * their frame map entries 0) */
	if (words <= o->rwords)
		return 0;
	if (o->rwords)
		words = words > o->rwords + o->rwords / 2 ? words : o->rwords + o->rwords / 2;
	bits = rblock_alloc(words, direct);
	if (!bits)
		return -ENOMEM;
	if (o->rbits) {
		if (o->resident) {
			memcpy(bits, o->rbits, o->rwords * 8);
			if (direct)
				memcpy(bits + words, fmap_of(o), (size_t)o->rwords * 64 * sizeof(uint32_t));
		}
		rblock_free(o->rbits, o->rwords, direct);
	}
	o->rbits = bits;
	o->rwords = words;
	return 0;
}

size_t ram_obj_bits_memory(const struct pobj *o)
{
	return rblock_bytes(o->rwords, o->fdirect);
}

static bool resident_bit(const struct pobj *o, uint64_t idx)
{
	return ram_resident(o, idx);
}

static void set_resident(struct pobj *o, uint64_t idx, bool on)
{
	if (on)
		o->rbits[idx / 64] |= 1ull << (idx % 64);
	else
		o->rbits[idx / 64] &= ~(1ull << (idx % 64));
}

uint32_t ram_find(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx)
{
	uint64_t v;

	if (!resident_bit(o, idx))
		return NOFRAME;
	if (o->fdirect)
		return fmap_of(o)[idx] - 1;     /* 0 (none) is NOFRAME */
	v = *ftab_slot(e, o, idx, fhash(o, idx));

	return v ? (uint32_t)v : NOFRAME;
}

/*
 * Prefetch for a coming access to page idx of o (the trace lookahead,
 * trace-ahead.c), in stages some events apart, each reading only what
 * the one before brought in.  Far: the loads whose addresses need no
 * other load (the frame-table entry, the slot map's table entry; the
 * resident bits are small enough to stay in cache); it returns the page's
 * hash for the others.  Near: what those name (the frame of a resident
 * page, for writing: a hit stamps it with its new ring position; the slot
 * map's cluster).  The lookahead's last stage finds nothing to do: what
 * a fault's eviction touches, lru_oldest prefetches.  Nothing is written:
 * a stale hint costs a prefetch.
 */
struct ram_hint ram_prefetch_far(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx)
{
	struct ram_hint hint = { fhash(o, idx), 0 };

	if (o->fdirect) {
		if (idx < o->rwords * 64)
			__builtin_prefetch(&fmap_of(o)[idx]);
	} else {
		__builtin_prefetch(&e->ftab[hint.hash & (e->ftab_size - 1)]);
	}
	hint.map = objmap_prefetch_rec(&o->map, idx);
	return hint;
}

void ram_prefetch_near(const struct swapctl_engine *e, const struct pobj *o, uint64_t idx, struct ram_hint hint)
{
	uint64_t v;
	uint32_t fi;

	/* the frame of a resident page, for writing (a line read by this
	 * core alone comes in exclusive: a write to it needs no second
	 * load), from the first table entry (at a quarter full most probes
	 * stop there; an empty one has hash 0, which no page has); for a
	 * page not resident, whose entry does not match, frame 0, without a
	 * branch on which it is */
	if (o->fdirect) {
		fi = idx < o->rwords * 64 ? fmap_of(o)[idx] : 0;
		fi -= fi != 0;
	} else {
		v = e->ftab[hint.hash & (e->ftab_size - 1)];
		fi = (uint32_t)v & -(uint32_t)((uint32_t)(v >> 32) == hint.hash);
	}
	__builtin_prefetch(&e->frames[fi], 1);
	if (hint.map)
		objmap_prefetch_near(&o->map, hint.map);
}

/* Enter frame fi for a page with hash h that the table does not hold: the
 * first empty entry from its home, no page compared. */
static inline __attribute__((always_inline)) void ftab_insert(struct swapctl_engine *e, uint32_t fi, uint32_t h)
{
	uint32_t mask = e->ftab_size - 1, i = h & mask;

	/* the home's neighbour without a branch on the home (taken about
	 * a time in four, unpredictably) */
	i = (i + (e->ftab[i] != 0)) & mask;
	while (e->ftab[i])
		i = (i + 1) & mask;
	e->ftab[i] = (uint64_t)h << 32 | fi;
}

/* Take frame fi, whose page has hash h, out of the table: its entry is
 * the one from the home on that names fi (no frame read to compare), and
 * the entries after it move back to close the gap. */
static inline __attribute__((always_inline)) void ftab_remove(struct swapctl_engine *e, uint32_t fi, uint32_t h)
{
	uint64_t *t = e->ftab, v;
	uint32_t mask = e->ftab_size - 1, i = h & mask, j;

	while ((v = t[i]) && (uint32_t)v != fi)
		i = (i + 1) & mask;
	if (!v)
		return;         /* not there (check says so) */
	j = i;
	t[i] = 0;
	for (;;) {
		uint32_t home;

		j = (j + 1) & mask;
		v = t[j];
		if (!v)
			break;
		home = (uint32_t)(v >> 32) & mask;
		/* it may fill the gap at i unless its home is in (i, j]: one
		 * compare of distances back from j, wrapping included */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			t[i] = v;
			t[j] = 0;
			i = j;
		}
	}
}

/* ------------------------------------------------------------------ LRU */

_Static_assert(sizeof(struct frame) == 16, "a frame is 16 bytes: four to a cache line");

#define LRU_SPAN 2u     /* ring entries per frame */
#define LRU_AHEAD 8u    /* entries ahead whose frames are prefetched */

static bool lru_is_live(const struct swapctl_engine *e, uint32_t p)
{
	return e->lru_live[p / 64] >> (p % 64) & 1;
}

static uint32_t lru_step(const struct swapctl_engine *e, uint32_t p)
{
	return p + 1 == e->lru_cap ? 0 : p + 1;
}

/* Whether position p holds an entry of the ring [head, tail), which wraps
 * around the array's end when head > tail. */
static bool lru_in_ring(const struct swapctl_engine *e, uint32_t p)
{
	return e->lru_head <= e->lru_tail ? p >= e->lru_head && p < e->lru_tail
					  : p >= e->lru_head || p < e->lru_tail;
}

/* The first live bit in [p, end), or LRU_NONE. */
static uint32_t lru_scan_to(const struct swapctl_engine *e, uint32_t p, uint32_t end)
{
	while (p < end) {
		uint64_t w = e->lru_live[p / 64] >> (p % 64);

		if (w) {
			p += (uint32_t)__builtin_ctzll(w);
			return p < end ? p : LRU_NONE;
		}
		p = (p | 63) + 1;
	}
	return LRU_NONE;
}

/* The first live entry at or after p (in the ring, or its tail), in ring
 * order, or LRU_NONE.  Bits outside the ring are always clear. */
static uint32_t lru_scan(const struct swapctl_engine *e, uint32_t p)
{
	if (e->lru_head > e->lru_tail && p >= e->lru_head) {
		uint32_t r = lru_scan_to(e, p, e->lru_cap);

		if (r != LRU_NONE)
			return r;
		p = 0;
	}
	return lru_scan_to(e, p, e->lru_tail);
}

/*
 * What the evictions to come touch, prefetched in three stages by ring
 * position from the oldest (q, the base): the frame EVICT_FRAME positions
 * on; EVICT_TAB on, the page's table entry and resident bits (its frame
 * prefetched at an earlier base) and, dirty, its slot map entry;
 * EVICT_CL on, that entry's cluster (dirty: the page-out sets its slot).
 * Every entry, in the ring or not, is a frame number; the live bits of
 * positions outside the ring are clear.  Only prefetches: an entry gone
 * stale meanwhile costs one.
 */
#define EVICT_FRAME 16u
#define EVICT_TAB 8u
#define EVICT_CL 4u

static inline uint32_t lru_wrap(const struct swapctl_engine *e, uint32_t p)
{
	return p < e->lru_cap ? p : p - e->lru_cap;
}

static inline __attribute__((always_inline)) void evict_ahead(const struct swapctl_engine *e, uint32_t pf,
								 uint32_t pt, uint32_t pc)
{
	const struct frame *f;
	const struct pobj *o;
	uint64_t idx;

	__builtin_prefetch(&e->frames[e->lru[pf]]);
	/* live or not: a stale entry's frame holds some page (a wasted
	 * prefetch), a free one none (handle 0, no object) */
	f = &e->frames[e->lru[pt]];
	o = frame_obj(e, f);
	if (o) {
		idx = frame_idx(f);
		if (o->fdirect)
			__builtin_prefetch(&fmap_of(o)[idx], 1);
		else
			__builtin_prefetch(&e->ftab[khash(f->key) & (e->ftab_size - 1)], 1);
		__builtin_prefetch(&o->rbits[idx / 64], 1);
		/* a hash's table entry; a directory's is read at pc */
		if (!o->map.direct && f->dirty)
			objmap_prefetch(&o->map, idx);
	}
	/* live and dirty in one test (the frame is read either way) */
	f = &e->frames[e->lru[pc]];
	if (lru_is_live(e, pc) & f->dirty) {
		uint32_t at;

		o = frame_obj(e, f);
		at = objmap_prefetch_rec(&o->map, frame_idx(f));
		if (at)
			objmap_prefetch_near(&o->map, at);
	}
}

uint32_t lru_oldest(struct swapctl_engine *e)
{
	uint32_t p = e->lru_head, q, n, cap = e->lru_cap;

	if (!lru_is_live(e, p)) {
		p = lru_scan(e, p);
		if (p == LRU_NONE) {
			e->lru_head = e->lru_tail;      /* no live entry: empty */
			return LRU_NONE;
		}
		e->lru_head = p;
	}
	/* the bases the oldest moved past since the last call, each once
	 * (e->lru_ahead: the last one done; a ring closed up or resized
	 * starts over) */
	if (cap <= 2 * EVICT_FRAME)
		return p;               /* a tiny RAM: nothing to gain */
	n = p >= e->lru_ahead ? p - e->lru_ahead : p + cap - e->lru_ahead;
	if (!n)
		return p;
	if (n > EVICT_FRAME)
		n = 1;
	e->lru_ahead = p;
	q = p + 1 - n;
	if (p >= n - 1 && p + EVICT_FRAME < cap) {
		/* no position wraps around the ring's end (most calls) */
		for (; q <= p; q++)
			evict_ahead(e, q + EVICT_FRAME, q + EVICT_TAB, q + EVICT_CL);
	} else {
		for (q += cap; n; n--, q++) {
			uint32_t b = lru_wrap(e, q);

			evict_ahead(e, lru_wrap(e, b + EVICT_FRAME), lru_wrap(e, b + EVICT_TAB), lru_wrap(e, b + EVICT_CL));
		}
	}
	return p;
}

uint32_t lru_newer(const struct swapctl_engine *e, uint32_t pos)
{
	return lru_scan(e, lru_step(e, pos));
}

/* Set (on) or clear the live bits [a, b). */
static void lru_bits(struct swapctl_engine *e, uint32_t a, uint32_t b, bool on)
{
	for (; a < b && a % 64; a++)
		e->lru_live[a / 64] = on ? e->lru_live[a / 64] | 1ull << (a % 64) : e->lru_live[a / 64] & ~(1ull << (a % 64));
	if (a < b)
		memset(&e->lru_live[a / 64], on ? 0xff : 0, (size_t)(b - a) / 64 * 8);
	for (a += (b - a) / 64 * 64; a < b; a++)
		e->lru_live[a / 64] = on ? e->lru_live[a / 64] | 1ull << (a % 64) : e->lru_live[a / 64] & ~(1ull << (a % 64));
}

/* The ring is full: its live entries close up towards the oldest, in
 * order (the stale ones, pages used again since, go), and the frames
 * whose entries moved learn their new positions, prefetched ahead. */
static __attribute__((noinline, cold)) void lru_compact(struct swapctl_engine *e)
{
	uint32_t r, w, first, n = 0, moved = 0, seg;

	lru_oldest(e);
	w = first = e->lru_head;
	/* the ring's positions in order, [head, tail) or [head, cap) and
	 * [0, tail), their live bits a word at a time; w never passes r, so
	 * an entry is read before anything is written over it */
	for (seg = 0; seg < 2; seg++) {
		uint32_t a = seg ? 0 : e->lru_head;
		uint32_t b = seg ? (e->lru_head > e->lru_tail ? e->lru_tail : 0)
				 : (e->lru_head > e->lru_tail ? e->lru_cap : e->lru_tail);

		for (uint32_t word = a / 64; a < b && word <= (b - 1) / 64; word++) {
			uint64_t bits = e->lru_live[word];

			if (word == a / 64)
				bits &= ~0ull << (a % 64);
			if (word == (b - 1) / 64 && b % 64)
				bits &= ~(~0ull << (b % 64));
			for (; bits; bits &= bits - 1) {
				r = word * 64 + (uint32_t)__builtin_ctzll(bits);
				if (r != w) {
					e->lru[w] = e->lru[r];
					moved++;
				} else if (!moved) {
					first = lru_step(e, w);         /* in place so far */
				}
				w = lru_step(e, w);
				n++;
			}
		}
	}
	/* the live bits: [head, head + n) */
	if (e->lru_head <= e->lru_tail) {
		lru_bits(e, e->lru_head, e->lru_tail, false);
	} else {
		lru_bits(e, e->lru_head, e->lru_cap, false);
		lru_bits(e, 0, e->lru_tail, false);
	}
	if (e->lru_head <= w || !n) {
		lru_bits(e, e->lru_head, e->lru_head + n, true);
	} else {
		lru_bits(e, e->lru_head, e->lru_cap, true);
		lru_bits(e, 0, w, true);
	}
	e->lru_tail = w;
	for (r = first; moved; r = lru_step(e, r), moved--) {
		uint32_t ahead = r + LRU_AHEAD < e->lru_cap ? r + LRU_AHEAD : r + LRU_AHEAD - e->lru_cap;

		if (moved > LRU_AHEAD)
			__builtin_prefetch(&e->frames[e->lru[ahead]], 1);
		e->frames[e->lru[r]].pos = r;
	}
}

/* Frame fi (its old entry, if any, dropped) becomes the newest entry. */
static inline __attribute__((always_inline)) void lru_append(struct swapctl_engine *e, struct frame *f, uint32_t fi)
{
	uint32_t p = e->lru_tail;

	e->lru[p] = fi;
	e->lru_live[p / 64] |= 1ull << (p % 64);
	f->pos = p;
	e->lru_tail = lru_step(e, p);
	if (lru_step(e, e->lru_tail) == e->lru_head)
		lru_compact(e);         /* one position left: make room */
}

static void lru_drop(struct swapctl_engine *e, const struct frame *f)
{
	e->lru_live[f->pos / 64] &= ~(1ull << (f->pos % 64));
}

/* The page of frame fi becomes the most recently used. */
void frame_to_front(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	if (lru_step(e, f->pos) != e->lru_tail) {
		lru_drop(e, f);
		lru_append(e, f, fi);
	}
}

/* ------------------------------------------------------------- the RAM */

/* What a RAM of n frames is made of. */
struct ram_tables {
	struct frame *frames;
	uint64_t *ftab;
	uint32_t *lru;
	uint64_t *live;
	uint32_t n, fsize, cap;
};

static uint32_t table_size(uint64_t frames)
{
	uint32_t s = 16;

	while (s < frames * 4)  /* a quarter full: short probes */
		s *= 2;
	return s;
}

static void ram_tables_free(struct ram_tables *t)
{
	free(t->frames);
	free(t->ftab);
	free(t->lru);
	free(t->live);
}

static int ram_tables_alloc(struct ram_tables *t, uint64_t pages)
{
	t->n = (uint32_t)pages;
	t->fsize = table_size(pages);
	t->cap = LRU_SPAN * t->n + 2;  /* room left after closing up, even for 1 frame */
	t->frames = calloc(pages, sizeof(*t->frames));
	t->ftab = calloc(t->fsize, sizeof(*t->ftab));
	t->lru = calloc(t->cap, sizeof(*t->lru));       /* frame numbers, all of them */
	t->live = calloc(((size_t)t->cap + 63) / 64, sizeof(*t->live));
	if (!t->frames || !t->ftab || !t->lru || !t->live) {
		ram_tables_free(t);
		return -ENOMEM;
	}
	return 0;
}

static void set_frames(struct swapctl_engine *e, const struct ram_tables *t)
{
	uint32_t i;

	e->frames = t->frames;
	e->nframes = t->n;
	e->ftab = t->ftab;
	e->ftab_size = t->fsize;
	e->lru = t->lru;
	e->lru_live = t->live;
	e->lru_cap = t->cap;
	e->lru_head = e->lru_tail = e->lru_ahead = 0;
	e->nfree = t->n;
	e->freelist = t->n ? 0 : NOFRAME;
	for (i = 0; i < t->n; i++)
		t->frames[i].pos = i + 1 < t->n ? i + 1 : NOFRAME;
}

int ram_init(struct swapctl_engine *e, uint64_t pages)
{
	struct ram_tables t;

	if (pages == 0 || pages > RAM_MAX_PAGES)
		return -EINVAL;
	if (ram_tables_alloc(&t, pages) < 0)
		return -ENOMEM;
	set_frames(e, &t);
	return 0;
}

void ram_destroy(struct swapctl_engine *e)
{
	struct ram_tables t = { .frames = e->frames, .ftab = e->ftab, .lru = e->lru, .live = e->lru_live };

	ram_tables_free(&t);
	free(e->fobjs);
	free(e->fh_free);
	e->frames = NULL;
	e->ftab = NULL;
	e->lru = NULL;
	e->lru_live = NULL;
	e->fobjs = NULL;
	e->fh_free = NULL;
	e->nframes = e->nfree = 0;
	e->nfobjs = e->capfobjs = e->nfh_free = 0;
}

size_t ram_memory(const struct swapctl_engine *e)
{
	return (size_t)e->nframes * sizeof(struct frame) + (size_t)e->ftab_size * sizeof(uint64_t) +
	       (size_t)e->lru_cap * sizeof(uint32_t) + ((size_t)e->lru_cap + 63) / 64 * 8 +
	       (size_t)e->capfobjs * (sizeof(struct pobj *) + sizeof(uint32_t));
}

int ram_obj_attach(struct swapctl_engine *e, struct pobj *o)
{
	uint32_t h;

	if (e->nfh_free) {
		h = e->fh_free[--e->nfh_free];
	} else {
		if (e->nfobjs > FRAME_OBJS_MAX)
			return -ENOMEM;
		if (e->nfobjs == e->capfobjs) {
			uint32_t cap = e->capfobjs ? e->capfobjs * 2 : 16;
			struct pobj **v = realloc(e->fobjs, cap * sizeof(*v));
			uint32_t *w;

			if (!v)
				return -ENOMEM;
			e->fobjs = v;
			w = realloc(e->fh_free, cap * sizeof(*w));
			if (!w)
				return -ENOMEM;
			e->fh_free = w;
			e->capfobjs = cap;
		}
		if (!e->nfobjs)
			e->fobjs[e->nfobjs++] = NULL;   /* handle 0: free frames */
		h = e->nfobjs++;
	}
	e->fobjs[h] = o;
	o->fh = h;
	/* a new object (nothing resident yet) takes the direct frame map
	 * when none has it and the map is at most half the table's size */
	if (!e->fdirect_obj && !o->fdirect && !o->resident && o->rwords * 64 >= FDIRECT_MIN &&
	    rblock_bytes(o->rwords, true) - rblock_bytes(o->rwords, false) <= (size_t)e->ftab_size * sizeof(uint64_t) / 2) {
		uint64_t *b = rblock_alloc(o->rwords, true);

		if (b) {
			rblock_free(o->rbits, o->rwords, false);
			o->rbits = b;
			o->fdirect = 1;
			e->fdirect_obj = o;
		}
	}
	return 0;
}

void ram_obj_detach(struct swapctl_engine *e, struct pobj *o)
{
	if (e->fdirect_obj == o)
		e->fdirect_obj = NULL;  /* o->fdirect stays: ram_obj_bits frees its block */
	e->fobjs[o->fh] = NULL;
	e->fh_free[e->nfh_free++] = o->fh;
	o->fh = 0;
}

/* Page idx of o, frame key key, is in frame fi from now on (enter) or no
 * longer (leave): the direct object's map entry, or a table entry. */
static inline __attribute__((always_inline)) void frame_enter(struct swapctl_engine *e, struct pobj *o, uint64_t idx,
								 uint64_t key, uint32_t fi)
{
	if (o->fdirect)
		fmap_of(o)[idx] = fi + 1;
	else
		ftab_insert(e, fi, khash(key));
}

static inline __attribute__((always_inline)) void frame_leave(struct swapctl_engine *e, struct pobj *o, uint64_t idx,
								 uint64_t key, uint32_t fi)
{
	if (o->fdirect)
		fmap_of(o)[idx] = 0;
	else
		ftab_remove(e, fi, khash(key));
}

/* Frame f (fi) gets page idx of o, the most recently used. */
static inline __attribute__((always_inline)) void frame_fill(struct swapctl_engine *e, struct frame *f, uint32_t fi,
								struct pobj *o, uint64_t idx)
{
	memset(f, 0, sizeof(*f));
	f->key = frame_key(o, idx);
	frame_enter(e, o, idx, f->key, fi);
	lru_append(e, f, fi);
	o->resident++;
	set_resident(o, idx, true);
}

uint32_t frame_take(struct swapctl_engine *e, struct pobj *o, uint64_t idx)
{
	uint32_t fi = e->freelist;
	struct frame *f = &e->frames[fi];

	e->freelist = f->pos;
	e->nfree--;
	frame_fill(e, f, fi, o, idx);
	return fi;
}

void frame_set_dirty(struct swapctl_engine *e, struct frame *f)
{
	if (!f->dirty)
		e->ndirty++;
	f->dirty = 1;
}

/* The page of frame f (fi) leaves RAM; the frame is not put anywhere. */
static inline __attribute__((always_inline)) void frame_empty(struct swapctl_engine *e, struct frame *f, uint32_t fi)
{
	struct pobj *o = frame_obj(e, f);
	uint64_t idx = frame_idx(f);

	if (f->dirty)
		e->ndirty--;
	frame_leave(e, o, idx, f->key, fi);
	lru_drop(e, f);
	/* an eviction takes the oldest entry: the ring starts after it, so
	 * the next lru_oldest need not scan past it */
	if (f->pos == e->lru_head && e->lru_head != e->lru_tail)
		e->lru_head = lru_step(e, e->lru_head);
	o->resident--;
	set_resident(o, idx, false);
	f->key = 0;
}

void frame_release(struct swapctl_engine *e, uint32_t fi)
{
	struct frame *f = &e->frames[fi];

	frame_empty(e, f, fi);
	f->pos = e->freelist;
	e->freelist = fi;
	e->nfree++;
}

uint32_t frame_replace(struct swapctl_engine *e, uint32_t fi, struct pobj *o, uint64_t idx)
{
	struct frame *f = &e->frames[fi];

	frame_empty(e, f, fi);
	frame_fill(e, f, fi, o, idx);
	return fi;
}

/* RAM of pages frames, holding the pages of the old one (which fit) in
 * their LRU order; -ENOMEM leaves it as it was. */
int ram_frames_resize(struct swapctl_engine *e, uint64_t pages)
{
	struct ram_tables t, old = { .frames = e->frames, .ftab = e->ftab, .lru = e->lru, .live = e->lru_live };
	uint32_t p, i, n = 0;
	uint32_t *order;

	if (ram_tables_alloc(&t, pages) < 0)
		return -ENOMEM;
	order = malloc(((size_t)e->nframes + 1) * sizeof(*order));
	if (!order) {
		ram_tables_free(&t);
		return -ENOMEM;
	}
	/* keep the LRU order: oldest first, each appended as the newest */
	for (p = lru_oldest(e); p != LRU_NONE; p = lru_newer(e, p))
		order[n++] = e->lru[p];
	set_frames(e, &t);
	for (i = 0; i < n; i++) {
		const struct frame *src = &old.frames[order[i]];
		struct pobj *o = frame_obj(e, src);
		uint32_t nf = frame_take(e, o, frame_idx(src));

		o->resident--;          /* frame_take counted it again */
		e->frames[nf].gen = src->gen;
		e->frames[nf].dirty = src->dirty;
		e->frames[nf].ra = src->ra;
	}
	ram_tables_free(&old);
	free(order);
	return 0;
}

void ram_walk(struct swapctl_engine *e, struct pobj *o, uint64_t from, uint64_t to,
	      void (*fn)(struct swapctl_engine *, struct pobj *, uint64_t, uint32_t, void *), void *arg)
{
	uint64_t i, left = o->resident;

	if (to > o->npages)
		to = o->npages;
	/* a word of bits at a time, copied first: fn may clear them */
	for (i = from; i < to && left; i = (i | 63) + 1) {
		uint64_t w = o->rbits[i / 64] >> (i % 64);

		if (to - i < 64)
			w &= (1ull << (to - i)) - 1;
		while (w) {
			uint64_t p = i + (uint64_t)__builtin_ctzll(w);

			w &= w - 1;
			left--;
			fn(e, o, p, ram_find(e, o, p), arg);
		}
	}
}

void ram_move(struct swapctl_engine *e, struct pobj *from, uint64_t fidx, struct pobj *to, uint64_t tidx)
{
	uint32_t fi = ram_find(e, from, fidx), slot = objmap_get(&from->map, fidx);
	struct frame *f = &e->frames[fi];

	frame_leave(e, from, fidx, f->key, fi);
	from->resident--;
	set_resident(from, fidx, false);
	f->key = frame_key(to, tidx);
	to->resident++;
	set_resident(to, tidx, true);
	frame_enter(e, to, tidx, f->key, fi);
	if (slot && objmap_set(&to->map, tidx, slot) == 0)
		objmap_set(&from->map, fidx, SLOT_NONE);
}

/* Whether the object handle of frame f names an object that has it. */
static inline bool frame_handle_ok(const struct swapctl_engine *e, const struct frame *f)
{
	uint64_t h = f->key >> FRAME_IDX_BITS;

	return h != 0 && h < e->nfobjs && e->fobjs[h] && e->fobjs[h]->fh == h;
}

int ram_check_frame(struct swapctl_engine *e, uint32_t fi)
{
	const struct frame *f = &e->frames[fi];
	uint64_t h = f->key >> FRAME_IDX_BITS;

	if (!frame_handle_ok(e, f))
		return swapctl_fail_system(e->ctx, EUCLEAN, "frame %u: object handle %llu names no object", fi,
					   (unsigned long long)h);
	return 0;
}

/* The bits of o set at or past its end (which must be clear); the others
 * counted into *n. */
static uint64_t rbits_count(const struct pobj *o, uint64_t *n)
{
	uint64_t w, past = 0;

	for (w = 0; w < o->rwords; w++) {
		uint64_t b = o->rbits[w];

		if (w * 64 + 64 > o->npages)
			past |= w * 64 >= o->npages ? b : b >> (o->npages % 64);
		*n += (uint64_t)__builtin_popcountll(b);
	}
	return past;
}

/*
 * The frame table, walked in order (not looked up page by page: the table
 * is 8 MiB at 256K frames, a miss a lookup): each entry names a distinct
 * frame in use, has its page's hash, and is the one a lookup of that page
 * stops at; there are as many entries as frames in use.  So each frame in
 * use is found by its page, and by no other.  Each such page is marked
 * resident, and an object has as many resident bits as frames: so each bit
 * is a page the table finds in a frame of that object.
 */
#define CHECK_AHEAD 32u  /* table entries ahead whose frames are prefetched */

static int ram_check_pages(struct swapctl_engine *e, uint64_t used)
{
	uint64_t *seen = calloc(((size_t)e->nframes + 63) / 64, sizeof(*seen));
	uint64_t *count = calloc(e->nfobjs ? e->nfobjs : 1, sizeof(*count));
	uint64_t entries = 0;
	uint32_t i, fi;
	size_t k;
	int r = 0;

	if (!seen || !count) {
		free(seen);
		free(count);
		return -ENOMEM;
	}
	for (i = 0; i < e->ftab_size && r == 0; i++) {
		uint64_t v = e->ftab[i], idx;
		const struct frame *f;
		const struct pobj *o;
		uint32_t h;

		if (!v)
			continue;
		if (i + CHECK_AHEAD < e->ftab_size && e->ftab[i + CHECK_AHEAD] &&
		    (uint32_t)e->ftab[i + CHECK_AHEAD] < e->nframes)
			__builtin_prefetch(&e->frames[(uint32_t)e->ftab[i + CHECK_AHEAD]]);
		fi = (uint32_t)v;
		if (fi >= e->nframes || !e->frames[fi].key) {
			r = swapctl_fail_system(e->ctx, EUCLEAN, "frame table entry %u names frame %u, not in use", i, fi);
			break;
		}
		if (!frame_handle_ok(e, &e->frames[fi])) {
			r = ram_check_frame(e, fi);     /* says why */
			break;
		}
		if (seen[fi / 64] >> (fi % 64) & 1) {
			r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u has two frame table entries", fi);
			break;
		}
		seen[fi / 64] |= 1ull << (fi % 64);
		f = &e->frames[fi];
		o = frame_obj(e, f);
		idx = frame_idx(f);
		h = fhash(o, idx);
		if ((uint32_t)(v >> 32) != h || ftab_slot(e, o, idx, h) != &e->ftab[i])
			r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u (%s page %llu) cannot be found by its page", fi,
						o->id, (unsigned long long)idx);
		else if (idx >= o->npages || !resident_bit(o, idx))
			r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u (%s page %llu) is not marked resident", fi,
						o->id, (unsigned long long)idx);
		count[o->fh]++;
		entries++;
	}
	/* the direct object's frame map, walked the same way: each entry not
	 * 0 names a distinct frame in use that holds that page, marked
	 * resident; it counts with the table's entries */
	if (r == 0 && e->fdirect_obj) {
		const struct pobj *o = e->fdirect_obj;
		const uint32_t *fm = fmap_of(o);
		uint64_t idx, cap = o->rwords * 64;

		for (idx = 0; idx < cap; idx++) {
			if (!fm[idx])
				continue;
			if (idx + CHECK_AHEAD < cap && fm[idx + CHECK_AHEAD] && fm[idx + CHECK_AHEAD] <= e->nframes)
				__builtin_prefetch(&e->frames[fm[idx + CHECK_AHEAD] - 1]);
			fi = fm[idx] - 1;
			if (fi >= e->nframes || !e->frames[fi].key)
				r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s page %llu: frame map names frame %u, not in use",
							o->id, (unsigned long long)idx, fi);
			else if (e->frames[fi].key != frame_key(o, idx))
				r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u holds another page than %s page %llu, its map's",
							fi, o->id, (unsigned long long)idx);
			else if (seen[fi / 64] >> (fi % 64) & 1)
				r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u has two frame table entries", fi);
			else if (idx >= o->npages || !resident_bit(o, idx))
				r = swapctl_fail_system(e->ctx, EUCLEAN, "frame %u (%s page %llu) is not marked resident", fi,
							o->id, (unsigned long long)idx);
			if (r)
				break;
			seen[fi / 64] |= 1ull << (fi % 64);
			count[o->fh]++;
			entries++;
		}
	}
	if (r == 0 && entries != used)
		r = swapctl_fail_system(e->ctx, EUCLEAN, "%llu frame table entries for %llu frames in use",
					(unsigned long long)entries, (unsigned long long)used);
	for (k = 0; k < e->nobjs && r == 0; k++) {
		const struct pobj *o = e->objs[k];
		uint64_t n = 0;

		if (o->fh >= e->nfobjs || e->fobjs[o->fh] != o)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: handle %u does not name it", o->id, o->fh);
		else if (rbits_count(o, &n))
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: resident bits past its %llu pages", o->id,
						(unsigned long long)o->npages);
		else if (n != o->resident || count[o->fh] != o->resident)
			r = swapctl_fail_system(e->ctx, EUCLEAN, "object %s: %llu resident bits and %llu frames, %llu resident pages counted",
						o->id, (unsigned long long)n, (unsigned long long)count[o->fh],
						(unsigned long long)o->resident);
	}
	free(seen);
	free(count);
	return r;
}

/* Each live entry of the ring names a frame in use whose entry it is, and
 * there are as many as frames in use: so each frame in use has one, and
 * the LRU order is the ring's.  The free frames are the free list. */
int ram_check(struct swapctl_engine *e)
{
	uint64_t live = 0, used = 0, nfree = 0;
	uint32_t fi, w;

	for (w = 0; w < (e->lru_cap + 63) / 64; w++) {
		for (uint64_t b = e->lru_live[w]; b; b &= b - 1) {
			uint32_t p = w * 64 + (uint32_t)__builtin_ctzll(b);

			if (p >= e->lru_cap || !lru_in_ring(e, p))
				return swapctl_fail_system(e->ctx, EUCLEAN, "LRU entry %u is live outside the ring [%u, %u)",
							   p, e->lru_head, e->lru_tail);
			if (p + LRU_AHEAD < e->lru_cap)
				__builtin_prefetch(&e->frames[e->lru[p + LRU_AHEAD]]);
			fi = e->lru[p];
			if (fi >= e->nframes || !e->frames[fi].key || e->frames[fi].pos != p)
				return swapctl_fail_system(e->ctx, EUCLEAN, "LRU entry %u names frame %u, not in use there", p, fi);
			live++;
		}
	}
	if (e->lru_head >= e->lru_cap || e->lru_tail >= e->lru_cap || lru_step(e, e->lru_tail) == e->lru_head)
		return swapctl_fail_system(e->ctx, EUCLEAN, "LRU ring [%u, %u) of %u positions is full", e->lru_head,
					   e->lru_tail, e->lru_cap);
	used = e->nframes - e->nfree;   /* engine_check counts the frames in use */
	if (live != used)
		return swapctl_fail_system(e->ctx, EUCLEAN, "%llu live LRU entries for %llu frames in use",
					   (unsigned long long)live, (unsigned long long)used);
	for (fi = e->freelist; fi != NOFRAME && nfree <= e->nframes; fi = e->frames[fi].pos, nfree++)
		if (fi >= e->nframes || e->frames[fi].key)
			return swapctl_fail_system(e->ctx, EUCLEAN, "frame %u is on the free list but not free", fi);
	if (nfree != e->nfree)
		return swapctl_fail_system(e->ctx, EUCLEAN, "%llu frames on the free list, %u counted free",
					   (unsigned long long)nfree, e->nfree);
	return ram_check_pages(e, used);
}
