/*
 * extent.c: allocated regions of a range [start, end], after NetBSD's
 * extent(9), with the free gaps indexed so no operation scans all regions.
 *
 * Design note
 * -----------
 * Layout.  Each allocated region is a node holding its last value and
 * the size of the free gap after it (its first value is its key in the
 * address index).  Nodes sit in two indexes:
 *
 *   - an address index, a B+-tree of up to BT_N entries per node: a leaf
 *     holds the starts and gaps of its regions in two arrays (and pointers
 *     to them) and a fence, the next leaf's first start, so a region's
 *     end is known from its leaf; an inner node the smallest start under
 *     each child and a bound on its largest gap.  It finds the region
 *     containing a value (free, alloc_region) and the lowest fitting gap
 *     (first fit).  A leaf map, an array from a value's high bits to the
 *     leaf holding the value at the start of that span, finds a value's
 *     leaf without walking down;
 *   - a gap index for best fit: gaps of 1 .. BINS-1 values in one bin per
 *     exact size with a bitmap of the non-empty bins, larger gaps in a
 *     second AVL tree ordered by (size, address).  A bin is a stack of
 *     two-line chunks of entries (a region and its leaf), and a region
 *     knows its entry.  Gaps of size 0 (touching regions, only without
 *     coalescing) are in neither.
 *
 * The gap before the first region belongs to a head node that is not in
 * the address tree; the last region's gap runs to the end.  Values are
 * kept as offsets from start plus one, so the head node ends at 0 and no
 * arithmetic wraps.
 *
 * Why a B-tree: a free looks up the region holding its values, and with
 * 12,000 regions a binary tree is 14 dependent loads, most of them cache
 * misses (about 12 per free, measured).  The B-tree reads two or three
 * lines of keys per level over three or four levels, keys and gaps packed
 * together, and touches a region only at the leaf; changing a gap rewrites
 * one leaf entry and the maxima above while they change.  Nodes are not
 * merged when they shrink, only dropped when empty: the depth never
 * exceeds what the largest region count needed.
 *
 * What an operation costs is the cache lines it touches, so: regions and
 * index nodes sit on cache lines (a 64-byte region is one line, where
 * malloc's 16-byte alignment split three in four over two; a node's keys
 * are two lines, not three); allocation learns whether it reaches the next
 * region from the gap (start + gap is where it begins) and reads it only to
 * merge; a free that splits a region hands the split-off end the region's
 * place in its gap bin instead of unlinking one node and linking another;
 * and entries of a node shift by one loop over its three arrays, not three
 * memmove() calls whose dispatch on a random length mispredicted.  On the
 * 12k-regions workload of bench-alloc (callgrind, per operation, before ->
 * after): alloc 671 -> 610 instructions, 6.8 -> 5.6 L1 misses, 4.1 -> 1.6
 * mispredicted branches; free 611 -> 577, 17.0 -> 14.4, 1.9 -> 1.9.
 *
 * On that workload nearly every free splits a region (its middle: the
 * allocations are far smaller than the regions) and nearly every
 * allocation is an exact fit from a bin that merges two regions, so both
 * are an insertion or a removal in one leaf.  Then (issue 14):
 *   - bins were doubly-linked lists whose neighbours are random regions:
 *     leaving one wrote two of them, joining one a third.  As chunk stacks,
 *     leaving moves the bin's top entry into the hole, best fit takes the
 *     top (nothing moves) and a split hands its entry to the new end
 *     (since the second round below, the region keeps it);
 *   - the split and the merge work from the slot they found (the descent's
 *     count, the merged region's slot) instead of recounting keys in each
 *     step, and the merged region takes its neighbour's gap-index entry
 *     (since the second round, the neighbour swallows it, keeping its own);
 *   - inner maxima are upper bounds: a merge removes the gap that was often
 *     its leaf's largest, and keeping them exact walked up the tree, reading
 *     each parent's keys to find the entry, on most allocations.  A gap that
 *     grows raises the bounds above while they are lower (a node keeps a
 *     copy of its bound, so the parent is read only to change it); first
 *     fit lowers a bound that led to no fitting gap, so it stays amortized
 *     O(log R);
 *   - the descent counts levels instead of reading each node's leaf flag
 *     (on the node's last line), and prefetches a level's pointer lines
 *     with its keys and the leaf's other lines with its keys, so a level
 *     is one wait for memory (callgrind does not see prefetches).
 * Per operation, callgrind on bench-alloc -A extent -w 1 -o 2^20 '12k
 * regions' (D1 read + write misses): alloc 657 -> 435 instructions, 8.8 +
 * 3.0 -> 7.7 + 0.9 misses, 2.1 -> 1.8 mispredicted branches; free 586 ->
 * 416, 13.0 + 2.8 -> 10.1 + 1.7, 2.0 -> 1.8 (blist: alloc 484, 0.2, 3.7;
 * free 219, 2.7, 1.0).  Free was then 1.4 to 2.1 times blist's (wall
 * time, quiet machine), so, second round:
 *   - a node's keys are counted in one quarter, chosen by the last keys of
 *     the first three (7 comparisons, not 16): free 416 -> 345, alloc
 *     435 -> 421 instructions;
 *   - the usual free (the middle of a region, in a leaf with room) reads
 *     no region: the region's start is its key, its end the next key (the
 *     fence past the leaf's last) less its gap.  A new node takes the
 *     lower part with the freed values as its gap; the region keeps its
 *     upper part, its gap and its gap-index entry, and its line is only
 *     written (a store, not a load the next operation waits behind):
 *     free 10.1 + 1.7 -> 9.3 + 1.4 misses;
 *   - the usual exact fit lets the next region q swallow the fitted one
 *     p, not p swallow q: q's gap is in the leaf, q keeps its gap-index
 *     entry, q's line is only written, and p (read by best fit already)
 *     leaves its bin from the top: alloc 7.7 + 1.0 -> 6.8 + 1.0 misses;
 *   - taking a spare node prefetches the next one (its link is read when
 *     it is taken; 1.0 miss per free that callgrind still counts).
 * Now: free 337 instructions, 9.3 + 1.4 misses, 1.7 mispredicts (the
 * shift loop's exit: 0.9 to 1.2 per free as the code layout moves, in
 * callgrind's simple predictor); alloc 419, 6.8 + 1.0, 1.8.  The descent
 * is 139 of free's instructions and 4.8 of its misses: this workload's
 * index has 5 levels, because nodes are only dropped when empty, never
 * merged, and random insertions and removals leave leaves holding 6.2 on
 * average (of 16).  Tried and left out: merging a node that falls below
 * 4 entries with a sibling when both fit in 12 (leaves then hold about 8,
 * still 5 levels; 162 -> 144 bytes a region, but free 337 -> 353
 * instructions and alloc 422 -> 432 for the joins); the next key without
 * a branch on the slot (the mispredict moved to the shift loop's exit, +9
 * instructions).  What is left: the shift of a leaf's three arrays in
 * free and in alloc (one mispredicted loop exit each: a branch-free shift
 * of 16 entries costs more instructions than the mispredict), and in
 * alloc the region and its leaf, two dependent lines.  Meanwhile blist's
 * free got faster (55-65 ns on this workload, its bitmap on a huge page),
 * and extent free was again 2.6-2.8 times blist's, alloc 1.7-1.9.  Third
 * round, against the dependent misses:
 *   - the leaf map: entry i is the leaf the descent would find for value
 *     i << lshift, so a value's leaf is that entry's or one after it in
 *     the leaf chain (its fence says which).  A free waits for one map
 *     entry (an array of 4 to 32 entries a leaf, 128 KB here,
 *     mostly in L2) and the leaf, whose seven lines are asked for at once,
 *     instead of one node per level of five.  It is kept exact where the
 *     leaves change: a leaf's first key moving past a mapped value (the old
 *     key is the previous leaf's fence), a split, a dropped leaf; rebuilt
 *     when the leaves double or fall to a quarter (ENOMEM keeps the old
 *     map, which stays right); a lookup walks at most LM_WALK leaves, then
 *     descends, so O(log R) holds where many leaves start in one span.  Not
 *     a hint checked against the leaf: a freed leaf could not be checked.
 *     Free 337 -> 230 instructions, 9.3 + 1.4 -> 7.4 + 1.4 misses;
 *   - a region no longer keeps its start (the key has it; its slot is
 *     counted by its end, the big-gap tree orders by end): the usual free
 *     and exact fit moved a start and wrote the region's line for it only.
 *     Write misses: free 1.37 -> 0.39, alloc 1.01 -> 0.10;
 *   - a bin entry names its region's leaf, so best fit asks for the leaf's
 *     lines while it waits for the region's, not after (a split rewrites
 *     the entries of the regions it moves, whose lines it writes anyway).
 *     callgrind does not model that overlap: its counts rose (alloc 422 ->
 *     435 instructions, 6.6 -> 6.9 misses), but thread CPU time was lower
 *     in each of 9 alternating pairs at load 4-5 (e.g. 91 vs 100 ns);
 *   - the usual best fit (no alignment or boundary, a size with a bin)
 *     takes its bin's top entry directly, as bf_scan() would: alloc 435 ->
 *     347 instructions;
 *   - a leaf's top may be high: the exact fit removed the gap that was
 *     often its leaf's largest and rescanned the 16 maxima on a random
 *     branch; first fit now makes a leaf's top exact when a descent finds
 *     nothing under it.  Alloc 347 -> 306 instructions, 1.84 -> 1.46
 *     mispredicts.
 * Now (callgrind, per operation, D1 read + write misses): free 231
 * instructions, 7.4 + 0.6 misses, 1.8 mispredicts, of which two lines are
 * waited for one after the other (the map entry, then the leaf); alloc
 * 306, 6.3 + 0.15, 1.5, with the region and its leaf waited for together.
 * blist: free 195, 2.7 misses, 0.9 mispredicts; alloc 321, 0.1, 2.8.  Wall
 * time could not be compared this round (load 4-7 on two cores).  What is
 * left: the leaf's lines (keys 2, maxima, pointers, header: a free reads
 * five, where blist reads a bitmap word and two summaries), and the shift
 * of three arrays in both paths (one mispredicted loop exit each).  Tried
 * and left out: reading the second line of keys only when the first ends
 * <= x, and not asking for the arrays' second halves (leaves hold 6.2):
 * 0.6 fewer misses but 0.2 more mispredicts per operation, and thread CPU
 * time was higher in 4 of 4 alternating pairs (the lines were asked for
 * together, so they cost little waiting).  Fourth round: a node of at most
 * 8 entries (the usual leaf: 6.2) has only unused keys on its second
 * line, so bt_count_le() takes the third quarter's key from the first
 * line when n <= 8 and counts nothing for it, the address chosen without
 * a branch (n is on the header line, which find_leaf() reads first for
 * the fence).  Free 231 -> 238 instructions, 7.40 + 0.63 -> 6.74 + 0.71
 * misses, 1.79 mispredicts unchanged; alloc 306 -> 314, 6.34 -> 5.78,
 * 1.46 -> 1.45.  What a free still waits for: the map entry (1.0), the
 * leaf's header (1.0), keys (1.3), maxima (1.0), pointers (1.0), the
 * spare node's link (1.0) and the bin's top chunk (0.3, written).  Tried
 * and left out: spare nodes on a stack of pointers instead of linked
 * through them, so a split only writes its new node's line: free read
 * misses 6.74 -> 5.94 but write misses 0.71 -> 1.63, 238 -> 254
 * instructions, alloc 314 -> 338 and 1.45 -> 2.47 mispredicts, and 5
 * bytes more a region (the stack's room); wall time could not tell them
 * apart at load 9.  Fifth round, against what callgrind does not see: the
 * nodes were on 4 KiB pages from aligned_alloc() (THP is "madvise" here),
 * some megabytes of them touched at random, where blist's bitmap is on a
 * huge page; a free's map entry and leaf, an allocation's region and leaf,
 * were TLB misses as well.  Nodes now come from slabs (below): callgrind
 * per operation unchanged (free 238.3 -> 239.0 instructions, 6.89 + 0.83
 * -> 6.88 + 0.82 misses, 1.79 mispredicts; alloc 313.9 -> 313.7, 6.13 ->
 * 6.07, 1.45; the slab code kept out of line, so bt_reserve() and
 * node_put() stay inlined: they were not at first, alloc +9.6), but time is
 * lower: medians of per-batch times (a copy of bench-alloc timing each
 * batch of 1024, so a preempted batch does not count; -A extent -w 3,
 * rounds alternated with the old build at load 2-7), free 206 -> 192 ns
 * and alloc 62.2 -> 55.9 with the full slab collapsed (5 rounds; lower in
 * 5 of 5 each), and with every slab advised huge at mapping 224 -> 214
 * and 65 -> 61 (12 rounds: free lower in 9, alloc in 11).  bench-alloc's
 * own ratios, 5 pairs alternated with main's build: free 1.66 -> 1.53,
 * alloc 1.77 -> 1.54 (medians; single runs ranged 0.85-1.93); 5 more at
 * load 2-4: free 1.50 -> 1.56, alloc 1.93 -> 1.78, extent's free time
 * lower in 4 of 5 pairs, equal in one: blist's time in the same run varies
 * as much, so the ratio hides a change of this size.  Per-batch medians
 * once more at the end (6 rounds): free 237 -> 222 ns, alloc 71.8 -> 63.7,
 * lower in 6 of 6 each.  Tried and
 * left out: each slab advised huge when mapped (the newest slab, mostly
 * unused, was a whole huge page: 1.013 -> 2.10 bits a block, where
 * collapsing full slabs costs 1.47, for no better time); asking for the
 * freed gap's bin line before the leaf lookup (free 238 -> 249
 * instructions, per-batch times 224 vs 232 ns, not lower); a leaf map of
 * 4 entries a leaf, half the size (free 239 instructions, 6.94 misses,
 * 1.90 mispredicts, +0.11 for the longer walks; times within the noise),
 * or of 16 (no lower either).  Sixth round: a close in a node of at most
 * 8 entries (the usual exact fit's leaf) moves eight entries per array as
 * one block of fixed size instead of looping to the random slot (see
 * bt_close()).  callgrind, per allocation (a copy of bench-alloc, -A
 * extent -w 1 -o 65536, fill and aging included): 352.7 -> 352.9
 * instructions, 1.13 -> 0.76 mispredicts, 2.54 -> 3.56 read misses (the
 * arrays' second lines, which the leaf prefetch has asked for already);
 * per-batch medians, rounds alternated with the old build at load 5-10:
 * alloc 58.9 -> 53.1 ns (8 rounds) and 58.1 -> 54.4 (6 rounds), lower in
 * 14 of 14; free unchanged (247.8 instructions both).  bench-alloc's own
 * ratios, 4 runs alternated with main's build: alloc 2.03, 1.70, 1.61,
 * 1.67 -> 1.45, 1.34, 1.67, 1.58; free 1.98, 1.39, 1.59, 1.48 -> 1.22,
 * 1.61, 1.58, 2.01 (free is the same code: that is the noise).  Then
 * bin_reserve(), on every free, compares with bin_room, the largest count
 * its chunks cover (kept when chunks are added, zeroed when one is given
 * back), instead of computing chunks_for(), a division: free 247.8 ->
 * 233.3 instructions, alloc 352.9 -> 339.9, misses unchanged, mispredicts
 * 1.82 -> 1.84 and 0.76 -> 0.76; per-batch medians, 7 rounds alternated at
 * load 8-9, free 184.4 -> 175.4 ns, alloc 50.8 -> 49.8, lower in 5 of 7
 * each.  bench-alloc's ratios after both, 5 runs alternated with main's
 * build at load 4-8: alloc 1.58, 1.69, 1.75, 1.83, 1.41 -> 1.49, 1.29,
 * 1.55, 1.19, 1.43 (medians 1.69 -> 1.43); free 2.52, 1.97, 2.44, 1.81,
 * 2.17 -> 1.97, 1.68, 1.88, 2.31, 2.24 (2.17 -> 1.97): free is still not
 * reliably under 1.7.  Tried and left out: the same block for an open (free: 1.82 -> 1.29 mispredicts
 * and 247.8 -> 246.2 instructions, but 6.14 -> 7.68 read misses, and
 * per-batch free medians 207.7 -> 202.6 ns, then 204.3 -> 209.2: 7 of 14
 * rounds lower); the leaf map on its own 2 MiB huge page (16385 entries,
 * 128 KiB; AnonHugePages showed it; free 272.2 -> 273.4 ns, alloc 76.4 ->
 * 75.5, 4 of 8 rounds lower: its page walks are not what a free waits
 * for, and it would cost 2 MiB).  Memory on that row at the end (1.475
 * bits a block, 241 bytes a region): 12845 regions, 1159 spare nodes,
 * 1937 leaves, 2200 index nodes, 2258 chunks, and on the slab free lists
 * 6090 region nodes, 900 chunks and 622 index nodes, 784 KB or 61 bytes
 * a region, the peak's (about 20,000 regions during aging): no slab is
 * ever empty (the freed nodes are spread over both), so giving empty
 * slabs back would return nothing here; memory that follows use needs
 * nodes moved (their leaf, bin entry and map entries re-pointed).
 *
 * Slabs.  Once the extent has SLAB_FROM regions, new regions, index nodes
 * and bin chunks are cut from 2 MiB-aligned mappings; when one is full it
 * is collapsed into a huge page (MADV_COLLAPSE, or advised MADV_HUGEPAGE
 * where the kernel lacks it), so the newest, filling slab keeps small
 * pages and costs only what it touched.  A smaller extent keeps malloc, as
 * blist keeps small pages for maps a huge page would dwarf.  A slab node
 * that is not kept spare goes to a free list of its size, not back to the
 * system: an extent keeps its peak's slabs until destroyed.  A node is
 * told to be in a slab by bisecting the slabs' bases (O(log slabs), only
 * where a node is dropped).  Under a test's node allocator there are no
 * slabs, so its failures stay where the test puts them.
 *
 * Invariants.  Regions are disjoint and ordered; each region starts at
 * its key and its gap reaches the next key (the leaf's fence after its
 * last); the index's keys and leaf gaps are exact, an inner node's top is
 * the largest of its entries and a leaf's at least that, an inner entry
 * is at least its child's top and equals the child's copy of it; the
 * leaves are all at one depth, chained in order, each with the next one's
 * first start as its fence (size + 1 for the last), and counted; each leaf
 * map entry is the leaf the descent finds for its value; a node is in the
 * bin or tree its gap size selects, and knows its bin entry, which names
 * its leaf; the chunks cover any placement of the regions' gaps in the
 * bins; with coalescing, no two regions touch; avail is the sum of the
 * gaps; the slabs are aligned and ascending, the newest's unused end in it,
 * the free lists hold slab nodes of node sizes, and the heap count is the
 * bytes of the nodes outside slabs.  swapctl_extent_check() verifies all
 * of it.
 *
 * Cost, R = number of regions:
 *   alloc         best fit O(1) from the bins, O(log R) from the tree;
 *                 first fit O(log R) amortized (a bound that is too high
 *                 costs one wasted descent, then is lowered); then
 *                 O(log R) to update the indexes.
 *                 Aligned or boundary-limited requests look at up to
 *                 CAND_MAX gaps that may not fit, then take the first gap
 *                 certain to fit; only when there is none do they try every
 *                 gap (O(R), the price of never failing when something fits).
 *   alloc_region  O(log R) (the leaf from the map, O(1) but for a walk
 *                 bounded by LM_WALK, then the updates)
 *   next_free     O(log R) with coalescing (every gap but the last is at
 *                 least 1); without, it reads bounds without lowering
 *                 them, and one left high can cost a wasted descent
 *   free          as alloc_region; splitting a region allocates one node, and
 *                 index nodes for a split at every level and bin chunks
 *                 are reserved before anything changes, so ENOMEM leaves
 *                 the extent as it was; other frees need no memory
 *   stats         O(R)
 *   (every operation that adds or drops leaves may rebuild the leaf map:
 *   O(R) when the leaves have doubled or fallen to a quarter, amortized
 *   O(1))
 * Memory: one node (64 bytes) per region and its index entry (448-byte
 * nodes of up to 16: 28 bytes when full, 80 on the 12k-regions row, whose
 * leaves hold 6.2 regions on average; see above), spare
 * nodes kept for reuse, at most SPARE_MAX or a quarter of the regions,
 * depth + 1 spare index nodes, its bin entry (16 bytes, in 128-byte
 * chunks of 7, reserved for the worst placement plus a quarter: about 22
 * bytes a region, plus BINS chunks), and the leaf map (8 bytes an entry,
 * 4 to 8 entries a leaf when built, 4 to 32 until rebuilt: 11 bytes a
 * region on that row, 8.9 entries a leaf).  bench-alloc's 12k-regions row: 162 bytes a region before
 * the third round, 185 after (1.013 bits a block).  Slabs: up to the
 * peak's nodes kept on free lists, and whole huge pages for full slabs
 * (the newest counts the pages it touched): that row 185 -> 268 bytes a
 * region (1.013 -> 1.469 bits a block: 2.1 -> 3.1 MB); below SLAB_FROM
 * regions nothing changes.
 *
 * Seventh round (issue 14, free against blist's faster free): the usual
 * split has no branch on the leaf's random slot.  The next key is the
 * smaller of key[c] and the fence (an unused key is UINT64_MAX; c == BT_N
 * masked to none), where it branched on c < n; the open moves eight
 * entries per array as one block when bt_block() holds (two 16-byte
 * vectors' loads before their stores), where the loop's exit mispredicted;
 * the new node and its bin entry are written before the open, not after
 * it; every other free is in free_other(), out of line.  callgrind, per
 * free (bench-alloc -A extent -w 1 -o 65536 '12k regions', --toggle-collect
 * =measured): 224.8 -> 221.7 instructions, 1.83 -> 0.76 mispredicts, D1
 * write misses 0.84 -> 0.60, read misses 6.86 -> 8.82 (the arrays' second
 * lines, which find_leaf() has asked for already; callgrind does not
 * model prefetches); alloc unchanged (311.6).  Wall time, 13 runs of
 * bench-alloc '12k regions' alternated with main's build at load 2-3:
 * extent free lower in 9 of 13 pairs, median pair ratio 0.949 (median
 * free 142.4 -> 137.3 ns; blist's free in the same runs 42-92 ns).
 * Then find_leaf() inline in free (find_leaf_in(); the other callers keep
 * the out-of-line copy): no call, and c not returned through memory.
 * callgrind 221.7 -> 216.4 instructions, 0.76 -> 0.85 mispredicts (the
 * layout moved); 13 alternated pairs against the build before it at load
 * 0.7-1: extent free lower in 12 of 13, median 134.1 -> 94.2 ns; against
 * main's build, 13 pairs at load 0.7-1: lower in 13 of 13, median pair
 * ratio 0.775, median free 154.4 -> 117.6 ns, extent/blist free per run
 * (medians) 2.27 -> 1.71, still above 2 in 2 of 13 runs (1.00-2.20).
 * The gain shrinks under load: two more rounds of 15 pairs against main
 * at load 2 (another process's benchmark on the second core, blist's free
 * 40-210 ns): extent free lower in 8 and in 11 of 15, median pair ratios
 * about 0.98 and 0.96; extent/blist free per run, medians 1.83 -> 1.66.
 * With main's newer bench-alloc (the allocators' windows taken in turn),
 * 11 runs each alternated at load 2: extent/blist free 1.04-2.28, median
 * 1.75, over 2 in 3 runs -> 1.17-2.16, median 1.72, over 2 in 1 run.
 * Tried and left out: taking the new node and pushing its bin entry
 * before the leaf lookup (so that work retires while the leaf is on its
 * way; undone when the free is not the usual split): 216.4 -> 226.9
 * instructions, 0.85 -> 0.75 mispredicts, and extent free lower in only 5
 * of 13 alternated pairs (median pair ratio about 1.11, load 1.6-1.9).
 */
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "internal.h"

#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE   25              /* Linux 6.1 */
#endif
#include "freestats.h"

#define BINS            256             /* gaps below this have exact bins */
#define CAND_MAX        64              /* candidates tried before certain ones */
#define SPARE_MAX       64
#define BT_N            16              /* entries per address index node */
#define LM_PER_LEAF     8               /* leaf map entries per leaf when built, at most */
#define LM_WALK         2               /* leaves walked from the map before a descent */
#define NONE            UINT64_MAX
#define SLAB            ((size_t)2 << 20)       /* a huge page: nodes come from these */
#define SLAB_FROM       1024            /* regions before nodes come from slabs */
#define LINES(n)        (((n) + 63) & ~(size_t)63)  /* bytes of whole cache lines */

/* ------------------------------------------------------------ AVL */

struct avl {
	struct avl *l, *r, *p;
	int h;
};

struct avl_tree {
	struct avl *root;
};

static inline int avl_h(const struct avl *n)
{
	return n ? n->h : 0;
}

/* Recompute n's height; false when it did not change. */
static inline bool avl_fix(struct avl_tree *t, struct avl *n)
{
	int a = avl_h(n->l), b = avl_h(n->r), h = 1 + (a > b ? a : b);
	bool changed = h != n->h;

	(void)t;
	n->h = h;
	return changed;
}

static inline void avl_replace(struct avl_tree *t, struct avl *p, struct avl *old,
			       struct avl *new)
{
	if (!p)
		t->root = new;
	else if (p->l == old)
		p->l = new;
	else
		p->r = new;
}

/* Rotate x's right child above it; returns the new subtree root. */
static struct avl *avl_rot_left(struct avl_tree *t, struct avl *x)
{
	struct avl *y = x->r;

	x->r = y->l;
	if (y->l)
		y->l->p = x;
	y->p = x->p;
	avl_replace(t, x->p, x, y);
	y->l = x;
	x->p = y;
	avl_fix(t, x);
	avl_fix(t, y);
	return y;
}

static struct avl *avl_rot_right(struct avl_tree *t, struct avl *x)
{
	struct avl *y = x->l;

	x->l = y->r;
	if (y->r)
		y->r->p = x;
	y->p = x->p;
	avl_replace(t, x->p, x, y);
	y->r = x;
	x->p = y;
	avl_fix(t, x);
	avl_fix(t, y);
	return y;
}

/*
 * Restore heights, balance and aggregates from n up, stopping at the first
 * node where nothing changed (nothing above depends on anything else).
 */
static void avl_rebalance(struct avl_tree *t, struct avl *n)
{
	while (n) {
		int bal = avl_h(n->l) - avl_h(n->r);

		if (bal > 1) {
			if (avl_h(n->l->l) < avl_h(n->l->r))
				avl_rot_left(t, n->l);
			n = avl_rot_right(t, n);
		} else if (bal < -1) {
			if (avl_h(n->r->r) < avl_h(n->r->l))
				avl_rot_right(t, n->r);
			n = avl_rot_left(t, n);
		} else if (!avl_fix(t, n)) {
			return;
		}
		n = n->p;
	}
}

static struct avl *avl_first(struct avl *n)
{
	if (n)
		while (n->l)
			n = n->l;
	return n;
}

static struct avl *avl_next(struct avl *n)
{
	if (n->r)
		return avl_first(n->r);
	while (n->p && n->p->r == n)
		n = n->p;
	return n->p;
}

static void avl_remove(struct avl_tree *t, struct avl *n)
{
	struct avl *c, *p, *moved = NULL;

	if (n->l && n->r) {
		/* trade places with the successor, which has no left child */
		struct avl *s = avl_first(n->r), *np = n->p, *sp = s->p, *sr = s->r;
		int h = n->h;

		avl_replace(t, np, n, s);
		s->p = np;
		s->l = n->l;
		s->l->p = s;
		n->h = s->h;
		s->h = h;
		if (sp == n) {
			s->r = n;
			n->p = s;
		} else {
			s->r = n->r;
			s->r->p = s;
			sp->l = n;
			n->p = sp;
		}
		n->l = NULL;
		n->r = sr;
		if (sr)
			sr->p = n;
		moved = s;
	}
	c = n->l ? n->l : n->r;
	p = n->p;
	avl_replace(t, p, n, c);
	if (c)
		c->p = p;
	avl_rebalance(t, p);
	/* the successor took new children: its aggregate may be stale even
	 * where the walk from below stopped */
	if (moved)
		avl_rebalance(t, moved);
}

/* ------------------------------------------------------------ regions */

struct gentry;

struct region {
	struct bnode *leaf;             /* where the address index holds it */
	uint64_t e;                     /* last value (offset + 1); the first is
					 * its key in its leaf, not kept here, so
					 * moving a start does not write the region */
	uint64_t gap;                   /* free values after e */
	union {
		struct gentry *slot;    /* gap in 1 .. BINS-1: its entry in its bin */
		struct avl g;           /* gap >= BINS: the big-gap tree */
		struct region *spare;   /* a spare node: the next one */
	} x;
};

/*
 * A bin is a stack of chunks of entries, two cache lines each: the top
 * chunk holds n entries, the ones below are full.  A region knows its
 * entry, so leaving the bin moves the top entry into its place; best fit
 * takes the top entry, which moves nothing.  An entry also names the
 * region's leaf, so best fit asks for the leaf's lines while it waits for
 * the region's, not after.
 */
#define GC_N            7               /* entries per chunk: 7 entries and a link */

struct gentry {
	struct region *r;
	struct bnode *leaf;             /* r->leaf (NULL for the head node) */
};

struct gchunk {
	struct gentry v[GC_N];
	struct gchunk *below;           /* in a bin: the next (full) chunk; spares: the next */
};

struct gbin {
	struct gchunk *top;             /* NULL: the bin is empty */
	unsigned n;                     /* entries in the top chunk, 1 .. GC_N */
};

#define REG(p, field) ((struct region *)((char *)(p) - offsetof(struct region, field)))

struct swapctl_extent {
	uint64_t start, end;            /* as given */
	uint64_t size;                  /* end - start + 1; offsets run 1 .. size */
	unsigned flags;
	struct bnode *root;             /* regions by address (never NULL) */
	struct bnode *bspare;           /* reserved index nodes, linked by next */
	unsigned nbspare;
	uint64_t nbnodes;               /* index nodes in the tree */
	unsigned depth;                 /* levels of the index, 1: the root is a leaf */
	uint64_t nleaves;               /* leaves in the tree */
	struct bnode **lmap;            /* leaf map: [i] the leaf of offset i << lshift */
	uint64_t nlmap;                 /* its entries, (size >> lshift) + 1 */
	uint64_t lm_grow, lm_shrink;    /* rebuild it above / below these nleaves */
	unsigned lshift;
	struct avl_tree gt;             /* gaps >= BINS by (size, address) */
	struct region head;             /* e = 0; its gap is the first gap */
	struct gbin bins[BINS];
	uint64_t binmap[BINS / 64];     /* the bins that are not empty */
	struct gchunk *cspare;          /* reserved chunks, linked by below */
	unsigned ncspare;
	uint64_t nchunks;               /* chunks in the bins */
	uint64_t bin_room;              /* bin_reserve(e) needs nothing up to this e */
	uint64_t avail;
	uint64_t nregions;
	struct region *spare;           /* free nodes, linked by x.spare */
	unsigned nspare;
	/* nodes (regions, index nodes, chunks) past SLAB_FROM regions come
	 * from slabs, huge pages, and go back to a free list per size */
	char **slabs;                   /* their bases, ascending */
	size_t nslabs, slabs_cap;
	char *bump;                     /* the newest slab's unused end */
	size_t bump_left;
	void *sfree[8];                 /* [lines]: slab nodes of that size, free */
	size_t heap;                    /* bytes of nodes from malloc */
};

/* ------------------------------------------------------------ address index */

/*
 * A B+-tree of the regions by start.  A leaf holds up to BT_N regions in
 * address order: their starts, their gaps and pointers to them; an inner
 * node holds up to BT_N children with, per child, the smallest start and
 * the largest gap under it.  The keys and gaps sit in arrays, so a search
 * reads a few cache lines per level and no region until the leaf.
 */
struct bnode {
	uint64_t key[BT_N];             /* leaf: region starts; inner: smallest start below */
	uint64_t max[BT_N];             /* leaf: region gaps; inner: largest gap below */
	void *ptr[BT_N];                /* leaf: struct region *; inner: struct bnode * */
	/* unused entries: key UINT64_MAX, max 0, ptr NULL, so the loops below
	 * run over all BT_N entries without a branch on n or on the data */
	uint64_t top;                   /* the largest of max[] */
	uint64_t bound;                 /* the parent's entry for it (>= top) */
	struct bnode *parent;
	struct bnode *next, *prev;      /* leaves in address order; next links spares */
	uint64_t fence;                 /* leaf: the next leaf's first key, or size + 1 */
	unsigned n;                     /* entries in use */
	bool leaf;
};

/* Where p is in b. */
static inline unsigned bt_slot(const struct bnode *b, const void *p)
{
	unsigned i, k = 0;

#pragma GCC unroll 16
	for (i = 0; i < BT_N; i++)
		k |= b->ptr[i] == p ? i : 0;
	return k;
}

/*
 * Entries of b with key <= x, without a branch on the keys (random).  The
 * keys ascend (unused ones are UINT64_MAX), so the last keys of the first
 * three quarters choose the quarter where the count ends, and only its four
 * keys are counted: 7 comparisons instead of 16.
 */
_Static_assert(BT_N == 16, "bt_count_le counts quarters of 4 keys");
static inline unsigned bt_count_le(const struct bnode *b, uint64_t x)
{
	/*
	 * A node of at most 8 entries has only unused keys on its second line
	 * (key[11] is UINT64_MAX): its third quarter's test reads key[3]
	 * again, and counts nothing, so the usual leaf (6 entries) reads one
	 * line of keys.  The address is chosen without a branch on n.
	 */
	unsigned hi = b->n > BT_N / 2;
	unsigned q = 4 * ((b->key[3] <= x) + (b->key[7] <= x) +
			  ((b->key[3 + 8 * hi] <= x) & hi));
	const uint64_t *k = &b->key[q];

	return q + (k[0] <= x) + (k[1] <= x) + (k[2] <= x) + (k[3] <= x);
}

/* Where region r is in its leaf, by its end (its key is the last <= it). */
static inline unsigned bt_rslot(const struct region *r)
{
	return bt_count_le(r->leaf, r->e) - 1;
}

/* Where node b is in its parent, by its first key (which must be its key there). */
static inline unsigned bt_cslot(const struct bnode *b)
{
	return bt_count_le(b->parent, b->key[0]) - 1;
}

static inline uint64_t bt_max(const struct bnode *b)
{
	uint64_t m = 0;
	unsigned i;

#pragma GCC unroll 16
	for (i = 0; i < BT_N; i++)
		m = b->max[i] > m ? b->max[i] : m;
	return m;
}

/* Entries n .. BT_N - 1 of b are unused. */
static inline void bt_clear_from(struct bnode *b, unsigned n)
{
	unsigned i;

	for (i = n; i < BT_N; i++) {
		b->key[i] = UINT64_MAX;
		b->max[i] = 0;
		b->ptr[i] = NULL;
	}
}

/*
 * Open slot i of b (entries i .. n - 1 move up one) or close it (entries
 * above move down, the slot past them becomes unused).  One loop over the
 * three arrays rather than three memmove() calls: the slot is random, and
 * memmove's dispatch on the length mispredicted several branches per call
 * where this loop's exit mispredicts one.  A close in the usual node
 * (n <= 8) does without the loop: the eight entries above the slot move
 * down as one block of fixed size per array, unused entries included (an
 * unused one lands in the place the close frees), so nothing branches on
 * the random slot; the block stays inside the array when the slot is
 * below BT_N / 2 and the entries to move fit in it.  An open keeps the
 * loop: the block reads the arrays' second lines, which a free's leaf
 * (6.2 entries on average) otherwise does not, for no lower time.
 */
static inline void bt_move8(void *to, const void *from)
{
	uint64_t t[BT_N / 2];

	memcpy(t, from, sizeof(t));
	memcpy(to, t, sizeof(t));
}

/* p[0 .. 7] move up one, to p[1 .. 8]: all loaded before any store, in
 * registers (bt_move8()'s buffer stayed on the stack here) */
typedef uint64_t bt_v2 __attribute__((vector_size(16), aligned(8), may_alias));
static inline void bt_up8(uint64_t *p)
{
	bt_v2 *v = (bt_v2 *)p, *w = (bt_v2 *)(p + 1);
	bt_v2 a = v[0], b = v[1], c = v[2], d = v[3];

	w[0] = a;
	w[1] = b;
	w[2] = c;
	w[3] = d;
}

static inline bool bt_block(const struct bnode *b, unsigned i)
{
	return (i < BT_N / 2) & (b->n <= i + BT_N / 2);
}

static inline void bt_open(struct bnode *b, unsigned i)
{
	unsigned k;

	for (k = b->n; k > i; k--) {
		__asm__("" : "+r"(k));  /* GCC would make this three memmove() calls */
		b->key[k] = b->key[k - 1];
		b->max[k] = b->max[k - 1];
		b->ptr[k] = b->ptr[k - 1];
	}
}

static inline void bt_close(struct bnode *b, unsigned i)
{
	unsigned k;

	if (bt_block(b, i)) {
		bt_move8(&b->key[i], &b->key[i + 1]);
		bt_move8(&b->max[i], &b->max[i + 1]);
		bt_move8(&b->ptr[i], &b->ptr[i + 1]);
		return;
	}
	for (k = i; k + 1 < b->n; k++) {
		b->key[k] = b->key[k + 1];
		b->max[k] = b->max[k + 1];
		b->ptr[k] = b->ptr[k + 1];
	}
	b->key[k] = UINT64_MAX;
	b->max[k] = 0;
	b->ptr[k] = NULL;
}

/*
 * The largest gaps are exact in the leaves and in every node's top (the
 * largest of its own entries); an inner node's entry for a child is an
 * upper bound of the child's top.  A gap that grows raises the bounds
 * above it while they are lower; a gap that shrinks changes its node's top
 * only, and the first-fit search that finds a bound too high lowers it.
 */
static void bt_raise(struct bnode *b)
{
	uint64_t v = b->top;

	/* a node keeps a copy of its bound: the parent is read only to change it */
	while (b->parent && v > b->bound) {
		struct bnode *p = b->parent;

		p->max[bt_cslot(b)] = v;
		b->bound = v;
		if (v <= p->top)
			return;
		p->top = v;
		b = p;
	}
}

/* Entry i of b now holds v; b's top is scanned only when its largest entry
 * shrank. */
static void bt_set_max(struct bnode *b, unsigned i, uint64_t v)
{
	uint64_t old = b->max[i];

	b->max[i] = v;
	if (v > b->top) {
		b->top = v;
		bt_raise(b);
	} else if (old >= b->top && v < old) {
		b->top = bt_max(b);
	}
}

/* b's entries changed (an insertion or a removal): its top, and above. */
static void bt_fix_max(struct bnode *b)
{
	uint64_t m = bt_max(b);

	if (m > b->top) {
		b->top = m;
		bt_raise(b);
	} else {
		b->top = m;
	}
}

/* Where new nodes (regions, index nodes, the leaf map) come from; tests replace it to
 * make allocations fail (extent_set_node_alloc in internal.h), under
 * sanitizers too. */
static void *line_alloc(size_t n)
{
	/* on cache lines: a region (64 bytes) then is one line, not two, and
	 * an index node's 16 keys two */
	return aligned_alloc(64, LINES(n));
}

static void *(*node_alloc)(size_t) = line_alloc;

void extent_set_node_alloc(void *(*fn)(size_t))
{
	node_alloc = fn ? fn : line_alloc;
}

/*
 * Slabs (see the design note).  A free reads a map entry and a leaf, an
 * allocation a region and its leaf, at random among megabytes of nodes: on
 * 4 KiB pages those are TLB misses too.  Past SLAB_FROM regions nodes are
 * cut from 2 MiB-aligned slabs, each collapsed into a huge page once full;
 * a slab node not kept spare goes to a free list of its size, and the
 * slabs are unmapped by destroy.  Under a test's node allocator
 * (extent_set_node_alloc) there are no slabs.
 */

/* Whether p is in a slab: the last base <= p, by bisection. */
static bool in_slab(const struct swapctl_extent *ex, const void *p)
{
	size_t lo = 0, hi = ex->nslabs;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if ((const char *)p < ex->slabs[mid])
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo && (uintptr_t)p - (uintptr_t)ex->slabs[lo - 1] < SLAB;
}

/* A new slab to cut nodes from (one more is mapped, both ends trimmed). */
__attribute__((noinline)) static int slab_new(struct swapctl_extent *ex)
{
	size_t len = 2 * SLAB, head, i;
	char *q;

	if (ex->nslabs == ex->slabs_cap) {
		size_t cap = ex->slabs_cap ? 2 * ex->slabs_cap : 8;
		char **a = realloc(ex->slabs, cap * sizeof(*a));

		if (!a)
			return -ENOMEM;
		ex->slabs = a;
		ex->slabs_cap = cap;
	}
	q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (q == MAP_FAILED)
		return -ENOMEM;
	head = (SLAB - ((uintptr_t)q & (SLAB - 1))) & (SLAB - 1);
	if (head)
		munmap(q, head);
	munmap(q + head + SLAB, len - head - SLAB);
	q += head;
	/* the full slab becomes a huge page now; advice: it works without */
	if (ex->bump && madvise(ex->bump + ex->bump_left - SLAB, SLAB, MADV_COLLAPSE) < 0)
		(void)madvise(ex->bump + ex->bump_left - SLAB, SLAB, MADV_HUGEPAGE);
	for (i = ex->nslabs; i && ex->slabs[i - 1] > q; i--)
		ex->slabs[i] = ex->slabs[i - 1];
	ex->slabs[i] = q;
	ex->nslabs++;
	ex->bump = q;
	ex->bump_left = SLAB;
	return 0;
}

/* A node of n bytes: a free one, from a slab, else from node_alloc. */
static void *obj_alloc(struct swapctl_extent *ex, size_t n)
{
	size_t sz = LINES(n);
	void *p = ex->sfree[sz / 64];

	if (p) {
		ex->sfree[sz / 64] = *(void **)p;
		return p;
	}
	if (node_alloc == line_alloc && ex->nregions >= SLAB_FROM &&
	    (ex->bump_left >= sz || slab_new(ex) == 0)) {
		p = ex->bump;
		ex->bump += sz;
		ex->bump_left -= sz;
		return p;
	}
	p = node_alloc(n);
	if (p)
		ex->heap += sz;
	return p;
}

/* Out of line, as free() was: the paths that drop nodes stay inlined. */
__attribute__((noinline)) static void obj_free(struct swapctl_extent *ex, void *p, size_t n)
{
	if (in_slab(ex, p)) {
		*(void **)p = ex->sfree[LINES(n) / 64];
		ex->sfree[LINES(n) / 64] = p;
		return;
	}
	ex->heap -= LINES(n);
	free(p);
}

/*
 * The leaf map: entry i is the leaf the descent finds for offset
 * i << lshift (the last leaf whose first key is <= it, else the leftmost),
 * so the leaf of any x is that of x >> lshift or one after it.  Its
 * entries change where a leaf's first key moves past one of these
 * offsets, a leaf splits or a leaf is dropped.
 */

/* The first map entry whose offset is >= x. */
static inline uint64_t lm_ceil(const struct swapctl_extent *ex, uint64_t x)
{
	return (x >> ex->lshift) + ((x & ((UINT64_C(1) << ex->lshift) - 1)) != 0);
}

/* Offsets lo .. hi - 1 are now leaf b's. */
static void lm_assign(struct swapctl_extent *ex, uint64_t lo, uint64_t hi, struct bnode *b)
{
	uint64_t i = lm_ceil(ex, lo), end = lm_ceil(ex, hi);

	for (end = end < ex->nlmap ? end : ex->nlmap; i < end; i++)
		ex->lmap[i] = b;
}

/* The coarsest shift whose map has at most LM_PER_LEAF entries a leaf. */
static unsigned lm_shift_for(const struct swapctl_extent *ex, uint64_t nleaves)
{
	uint64_t want = nleaves * LM_PER_LEAF;
	unsigned sh = 0;

	while (sh < 63 && (ex->size >> sh) >= want)
		sh++;
	return sh;
}

/*
 * Build the map for the leaves as they are now, with the shift that suits
 * their number; on ENOMEM keep the old map (it is right, only coarser or
 * finer than wanted).
 */
static int lm_build(struct swapctl_extent *ex)
{
	unsigned sh = lm_shift_for(ex, ex->nleaves);
	uint64_t n = (ex->size >> sh) + 1, i;
	struct bnode **m = node_alloc(n * sizeof(*m)), *b = ex->root;

	if (!m)
		return -ENOMEM;
	while (!b->leaf)
		b = b->ptr[0];
	for (i = 0; i < n; i++) {
		while (b->fence <= i << sh)
			b = b->next;
		m[i] = b;
	}
	free(ex->lmap);
	ex->lmap = m;
	ex->nlmap = n;
	ex->lshift = sh;
	/* again when the leaves double or fall to a quarter */
	ex->lm_grow = sh ? (ex->size >> (sh - 1)) / LM_PER_LEAF : UINT64_MAX;
	ex->lm_shrink = sh < 62 ? (ex->size >> (sh + 2)) / LM_PER_LEAF : 0;
	return 0;
}

/* After an operation: a map that no longer suits the leaves is rebuilt. */
static inline void lm_tend(struct swapctl_extent *ex)
{
	if (ex->nleaves > ex->lm_grow || ex->nleaves < ex->lm_shrink)
		(void)lm_build(ex);
}

/* b's first key changed: the previous leaf's fence (and the leaf map
 * entries between the old first key and the new), and up while b is its
 * parent's first child. */
static void bt_fix_key(struct swapctl_extent *ex, struct bnode *b)
{
	if (b->leaf && b->prev && b->n) {
		uint64_t old = b->prev->fence, k = b->key[0];

		if (k < old)
			lm_assign(ex, k, old, b);
		else
			lm_assign(ex, old, k, b->prev);
		b->prev->fence = k;
	}
	while (b->parent && b->n) {
		struct bnode *p = b->parent;
		unsigned j = bt_slot(p, b);

		p->key[j] = b->key[0];
		if (j)
			return;
		b = p;
	}
}

static struct bnode *bt_leftmost(const struct swapctl_extent *ex)
{
	struct bnode *b = ex->root;

	while (!b->leaf)
		b = b->ptr[0];
	return b;
}

/* The lines of b past its keys and pointers, wanted soon. */
static inline void bt_prefetch_rest(const struct bnode *b)
{
	__builtin_prefetch(&b->max[0], 1);
	__builtin_prefetch(&b->max[BT_N - 1], 1);
	__builtin_prefetch(&b->top, 1);
}

/* The leaf where x would be, and in *c its entries with a start <= x, by
 * a descent from the root. */
static struct bnode *find_leaf_down(const struct swapctl_extent *ex, uint64_t x, unsigned *c)
{
	struct bnode *b = ex->root;
	unsigned k, d;

	/*
	 * The levels are counted, not read from the nodes (the flag is on
	 * another line), and the pointers, wanted right after the keys, are
	 * asked for with them: a level costs one wait for memory, not two.
	 */
	for (d = ex->depth; ; d--) {
		__builtin_prefetch(&b->ptr[0]);
		__builtin_prefetch(&b->ptr[BT_N - 1]);
		if (d == 1)
			break;
		k = bt_count_le(b, x);
		b = b->ptr[k ? k - 1 : 0];
	}
	/* a free changes this leaf: its maxima and header too */
	bt_prefetch_rest(b);
	*c = bt_count_le(b, x);
	return b;
}

/* All lines of leaf b: its keys are wanted now, the rest soon. */
static inline void bt_prefetch_leaf(const struct bnode *b)
{
	__builtin_prefetch(&b->key[0]);
	__builtin_prefetch(&b->key[BT_N - 1]);
	__builtin_prefetch(&b->ptr[0]);
	__builtin_prefetch(&b->ptr[BT_N - 1]);
	bt_prefetch_rest(b);
}

/*
 * As find_leaf_down(), from the leaf map: its entry for x, or a leaf after
 * it, so the usual lookup waits for one map entry and one leaf instead of a
 * node per level.  Where many leaves start in one map entry's span, a
 * descent bounds the walk.
 */
static inline __attribute__((always_inline)) struct bnode *
find_leaf_in(const struct swapctl_extent *ex, uint64_t x, unsigned *c)
{
	struct bnode *b = ex->lmap[x >> ex->lshift];
	unsigned k;

	bt_prefetch_leaf(b);
	for (k = 0; b->fence <= x; k++) {
		if (k == LM_WALK)
			return find_leaf_down(ex, x, c);
		b = b->next;
		bt_prefetch_leaf(b);
	}
	*c = bt_count_le(b, x);
	return b;
}

/* Out of line for the others; free has it inline (no call, c not through
 * memory). */
static struct bnode *find_leaf(const struct swapctl_extent *ex, uint64_t x, unsigned *c)
{
	return find_leaf_in(ex, x, c);
}

/* The region with the largest start <= x, else the head node. */
static struct region *find_le(const struct swapctl_extent *ex, uint64_t x)
{
	unsigned c;
	const struct bnode *b = find_leaf(ex, x, &c);

	return c ? b->ptr[c - 1] : (struct region *)&ex->head;
}

static struct region *next_region(const struct swapctl_extent *ex, const struct region *r)
{
	const struct bnode *b;
	unsigned i;

	if (r == &ex->head) {
		b = bt_leftmost(ex);
		return b->n ? b->ptr[0] : NULL;
	}
	b = r->leaf;
	i = bt_rslot(r) + 1;
	if (i < b->n)
		return b->ptr[i];
	return b->next ? b->next->ptr[0] : NULL;
}

/* Where region r (not the head) starts: its key. */
static uint64_t reg_start(const struct region *r)
{
	return r->leaf->key[bt_rslot(r)];
}

static struct region *prev_region(struct swapctl_extent *ex, struct region *r)
{
	const struct bnode *b = r->leaf;
	unsigned i = bt_rslot(r);

	if (i)
		return b->ptr[i - 1];
	return b->prev ? b->prev->ptr[b->prev->n - 1] : &ex->head;
}

/* r's gap changed: its leaf entry and the maxima above. */
static void bt_gap_changed(struct region *r)
{
	struct bnode *b = r->leaf;

	if (!b)
		return;                         /* the head node */
	bt_set_max(b, bt_rslot(r), r->gap);
}

/* r's start is now s (within its gaps: the order stays). */
static void bt_key_changed(struct swapctl_extent *ex, struct region *r, uint64_t s)
{
	struct bnode *b = r->leaf;
	unsigned i = bt_slot(b, r);

	b->key[i] = s;
	if (i == 0)
		bt_fix_key(ex, b);
}

/* Index nodes for one insertion (a split at every level and a new root),
 * taken before anything changes so ENOMEM changes nothing. */

static inline int bt_reserve(struct swapctl_extent *ex)
{
	while (ex->nbspare < ex->depth + 1) {
		struct bnode *b = obj_alloc(ex, sizeof(*b));

		if (!b)
			return -ENOMEM;
		b->next = ex->bspare;
		ex->bspare = b;
		ex->nbspare++;
	}
	return 0;
}

static struct bnode *bt_new(struct swapctl_extent *ex, bool leaf)
{
	struct bnode *b = ex->bspare;

	ex->bspare = b->next;
	ex->nbspare--;
	ex->nbnodes++;
	memset(b, 0, sizeof(*b));
	bt_clear_from(b, 0);
	b->leaf = leaf;
	return b;
}

static void bt_drop(struct swapctl_extent *ex, struct bnode *b)
{
	ex->nbnodes--;
	if (ex->nbspare < ex->depth + 1) {
		b->next = ex->bspare;
		ex->bspare = b;
		ex->nbspare++;
		return;
	}
	obj_free(ex, b, sizeof(*b));
}

/* Entry i of b (its max already set) is p's. */
static inline void bt_set_child(struct bnode *b, unsigned i, void *p)
{
	b->ptr[i] = p;
	if (b->leaf) {
		((struct region *)p)->leaf = b;
	} else {
		((struct bnode *)p)->parent = b;
		((struct bnode *)p)->bound = b->max[i];
	}
}

/*
 * Put (key, max, p) at position i of b, splitting b when full (its upper
 * half goes to a new right sibling, which is put in the parent the same
 * way).  Keys and maxima above are fixed by the caller's bt_fix_*.
 */
static void bt_put(struct swapctl_extent *ex, struct bnode *b, unsigned i,
		   uint64_t key, uint64_t max, void *p)
{
	struct bnode *r, *t;
	unsigned h, k;

	if (b->n == BT_N) {
		r = bt_new(ex, b->leaf);
		h = BT_N / 2;
		for (k = h; k < BT_N; k++) {
			r->key[k - h] = b->key[k];
			r->max[k - h] = b->max[k];
			bt_set_child(r, k - h, b->ptr[k]);
			if (b->leaf && b->max[k] && b->max[k] < BINS)
				/* its bin entry names its leaf */
				((struct region *)b->ptr[k])->x.slot->leaf = r;
		}
		r->n = BT_N - h;
		b->n = h;
		bt_clear_from(b, h);
		b->top = bt_max(b);
		r->top = bt_max(r);
		if (b->leaf) {
			r->fence = b->fence;
			b->fence = r->key[0];
			r->next = b->next;
			r->prev = b;
			if (b->next)
				b->next->prev = r;
			b->next = r;
			ex->nleaves++;
			lm_assign(ex, r->key[0], r->fence, r);
		}
		if (!b->parent) {
			t = bt_new(ex, false);
			t->key[0] = b->key[0];
			t->max[0] = t->top = b->top;
			bt_set_child(t, 0, b);
			t->n = 1;
			ex->root = t;
			ex->depth++;
		}
		t = b->parent;
		k = bt_slot(t, b);
		t->max[k] = b->bound = b->top;  /* t's top stays: b and r hold what b held */
		bt_put(ex, t, k + 1, r->key[0], r->top, r);
		if (i > h) {                    /* at h it ends the left half */
			b = r;
			i -= h;
		}
	}
	bt_open(b, i);
	b->key[i] = key;
	b->max[i] = max;
	bt_set_child(b, i, p);
	b->n++;
	if (i == 0)
		bt_fix_key(ex, b);
	bt_fix_max(b);
}

/* Link n, starting at s, as the region after p (p the head: as the first
 * region). */
static void bt_insert_after(struct swapctl_extent *ex, struct region *p, struct region *n,
			    uint64_t s)
{
	struct bnode *b;
	unsigned i;

	if (p->leaf) {
		b = p->leaf;
		i = bt_rslot(p) + 1;
	} else {
		b = bt_leftmost(ex);
		i = 0;
	}
	bt_put(ex, b, i, s, n->gap, n);
}

/* Take entry i out of b; an emptied node leaves its parent, a root with
 * one child gives way to it. */
static void bt_take(struct swapctl_extent *ex, struct bnode *b, unsigned i)
{
	struct bnode *p = b->parent;

	bt_close(b, i);
	b->n--;
	if (b->n == 0 && p) {
		if (b->leaf) {
			/* its offsets go to the leaf before (the leftmost's to
			 * the one after); prev's fence is still b's first key */
			lm_assign(ex, b->prev ? b->prev->fence : 0, b->fence,
				  b->prev ? b->prev : b->next);
			ex->nleaves--;
			if (b->prev) {
				b->prev->next = b->next;
				b->prev->fence = b->fence;
			}
			if (b->next)
				b->next->prev = b->prev;
		}
		bt_take(ex, p, bt_slot(p, b));
		bt_drop(ex, b);
		return;
	}
	if (i == 0)
		bt_fix_key(ex, b);
	bt_fix_max(b);
	if (!p && !b->leaf && b->n == 1) {
		ex->root = b->ptr[0];
		ex->root->parent = NULL;    /* its top is b's */
		ex->depth--;
		bt_drop(ex, b);
	}
}

static void bt_remove(struct swapctl_extent *ex, struct region *r)
{
	bt_take(ex, r->leaf, bt_rslot(r));
	r->leaf = NULL;
}

/* ------------------------------------------------------------ gap index */

static int gt_cmp(const struct region *a, const struct region *b)
{
	if (a->gap != b->gap)
		return a->gap < b->gap ? -1 : 1;
	return a->e < b->e ? -1 : a->e > b->e;        /* ends order as starts do */
}

/*
 * Chunks enough for any placement of e bin entries in the bins: each
 * non-empty bin has a top chunk, the rest are full.  Operations that add a
 * region reserve for one more entry before anything changes, so ENOMEM
 * changes nothing and an operation that adds no region (most frees) never
 * needs memory for its bins.
 */
static uint64_t chunks_for(uint64_t e)
{
	return (e < e / GC_N + BINS ? e : e / GC_N + BINS) + 2;
}

/* The largest e whose chunks_for(e) is at most t (t >= 2). */
static uint64_t chunks_room(uint64_t t)
{
	uint64_t x = t - 2, y;

	if (x < BINS)
		return x;
	y = GC_N * (x - BINS) + GC_N - 1;
	return y > x ? y : x;
}

__attribute__((noinline)) static int bin_grow(struct swapctl_extent *ex, uint64_t e)
{
	while (ex->nchunks + ex->ncspare < chunks_for(e)) {
		struct gchunk *c = obj_alloc(ex, sizeof(*c));

		if (!c)
			return -ENOMEM;
		c->below = ex->cspare;
		ex->cspare = c;
		ex->ncspare++;
	}
	ex->bin_room = chunks_room(ex->nchunks + ex->ncspare);
	return 0;
}

/* The usual call compares with bin_room, what the chunks cover, instead of
 * computing chunks_for() (a division) on every free. */
static inline int bin_reserve(struct swapctl_extent *ex, uint64_t e)
{
	return e <= ex->bin_room ? 0 : bin_grow(ex, e);
}

static inline void bin_push(struct swapctl_extent *ex, struct region *r, unsigned b)
{
	struct gbin *g = &ex->bins[b];

	if (!g->top || g->n == GC_N) {
		struct gchunk *c = ex->cspare;

		ex->cspare = c->below;
		ex->ncspare--;
		ex->nchunks++;
		c->below = g->top;
		g->top = c;
		g->n = 0;
		ex->binmap[b / 64] |= UINT64_C(1) << (b % 64);
	}
	r->x.slot = &g->top->v[g->n++];
	r->x.slot->r = r;
	r->x.slot->leaf = r->leaf;
}

/* r leaves bin b: the top entry takes its place. */
static void bin_pull(struct swapctl_extent *ex, struct region *r, unsigned b)
{
	struct gbin *g = &ex->bins[b];
	struct gentry *t = &g->top->v[g->n - 1];
	struct region *m = t->r;

	*r->x.slot = *t;
	m->x.slot = r->x.slot;
	if (--g->n == 0) {
		struct gchunk *c = g->top;

		g->top = c->below;
		g->n = g->top ? GC_N : 0;
		ex->nchunks--;
		/* keep what the regions may need, and a quarter more (a burst
		 * of frees after a burst of merges does not go back to malloc) */
		if (ex->nchunks + ex->ncspare < chunks_for(ex->nregions + 1) +
		    (ex->nchunks / 4 > SPARE_MAX ? ex->nchunks / 4 : SPARE_MAX)) {
			c->below = ex->cspare;
			ex->cspare = c;
			ex->ncspare++;
		} else {
			obj_free(ex, c, sizeof(*c));
			ex->bin_room = 0;       /* recomputed by the next reserve */
		}
		if (!g->top)
			ex->binmap[b / 64] &= ~(UINT64_C(1) << (b % 64));
	}
}

static void gap_insert(struct swapctl_extent *ex, struct region *r)
{
	if (r->gap == 0)
		return;
	if (r->gap < BINS) {
		bin_push(ex, r, (unsigned)r->gap);
	} else {
		struct avl **link = &ex->gt.root, *parent = NULL;

		while (*link) {
			parent = *link;
			link = gt_cmp(r, REG(parent, x.g)) < 0 ? &parent->l : &parent->r;
		}
		r->x.g.l = r->x.g.r = NULL;
		r->x.g.p = parent;
		r->x.g.h = 1;
		*link = &r->x.g;
		avl_rebalance(&ex->gt, parent);
	}
}

static void gap_remove(struct swapctl_extent *ex, struct region *r)
{
	if (r->gap == 0)
		return;
	if (r->gap < BINS)
		bin_pull(ex, r, (unsigned)r->gap);
	else
		avl_remove(&ex->gt, &r->x.g);
}

/*
 * nr takes r's place in the gap index: same gap, and no region starts
 * between them (nr is what a free split off r's end, in the address index
 * already).  In a bin that rewrites r's entry, and no other region.
 */
static void gap_replace(struct swapctl_extent *ex, struct region *r, struct region *nr)
{
	if (r->gap == 0 || r->gap >= BINS) {
		gap_remove(ex, r);
		gap_insert(ex, nr);
		return;
	}
	nr->x.slot = r->x.slot;
	nr->x.slot->r = nr;
	nr->x.slot->leaf = nr->leaf;
}

/* Change r's gap, keeping both indexes right. */
static void set_gap(struct swapctl_extent *ex, struct region *r, uint64_t gap)
{
	if (r->gap == gap)
		return;
	gap_remove(ex, r);
	r->gap = gap;
	gap_insert(ex, r);
	bt_gap_changed(r);
}

/* ------------------------------------------------------------ nodes */

/* A spare node for the next node_get(), so it cannot fail. */
static int node_reserve(struct swapctl_extent *ex)
{
	struct region *r;

	if (ex->spare)
		return 0;
	r = obj_alloc(ex, sizeof(*r));
	if (!r)
		return -ENOMEM;
	r->x.spare = NULL;
	ex->spare = r;
	ex->nspare = 1;
	return 0;
}

static struct region *node_get(struct swapctl_extent *ex)
{
	struct region *r = ex->spare;

	if (r) {
		ex->spare = r->x.spare;
		ex->nspare--;
		/* the next one is read (its link) when taken: ask for it now, so
		 * taking nodes is not a chain of waits for memory */
		if (ex->spare)
			__builtin_prefetch(ex->spare, 1);
		return r;
	}
	return obj_alloc(ex, sizeof(*r));
}

/* Spare nodes are kept up to a quarter of the regions (at least
 * SPARE_MAX): memory stays proportional to the regions, and a burst of
 * frees after a burst of merges does not go back to malloc. */
static inline void node_put(struct swapctl_extent *ex, struct region *r)
{
	if (ex->nspare < SPARE_MAX || ex->nspare < ex->nregions / 4) {
		r->x.spare = ex->spare;
		ex->spare = r;
		ex->nspare++;
		return;
	}
	obj_free(ex, r, sizeof(*r));
}

/* ------------------------------------------------------------ placement */

static inline bool pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

/*
 * Where [size] values fit in the gap after r, aligned and not crossing a
 * multiple of boundary: the lowest such offset, or NONE.  Alignment and
 * boundaries are on the caller's values, not on offsets.
 */
static uint64_t fit(const struct swapctl_extent *ex, const struct region *r,
		    uint64_t size, uint64_t align, uint64_t boundary)
{
	uint64_t base = ex->start - 1;  /* value = offset + base */
	uint64_t lo = r->e + 1 + base, hi = r->e + r->gap + base, a;

	if (r->gap < size)
		return NONE;
	a = lo;
	if (align > 1) {
		a = (lo + align - 1) & ~(align - 1);
		if (a < lo)
			return NONE;            /* wrapped */
	}
	if (boundary && (a & ~(boundary - 1)) != ((a + size - 1) & ~(boundary - 1))) {
		uint64_t b = (a | (boundary - 1)) + 1;

		if (b < a)
			return NONE;
		a = b;
		if (align > 1) {
			a = (b + align - 1) & ~(align - 1);
			if (a < b)
				return NONE;
		}
	}
	if (a > hi || hi - a < size - 1)
		return NONE;
	return a - base;
}

/* The gap size that fits any placement of such a request. */
static uint64_t sure_size(uint64_t size, uint64_t align, uint64_t boundary)
{
	uint64_t n = size, pad = align > 1 ? align - 1 : 0;

	if (boundary)
		pad += (boundary > size ? size : boundary) - 1 + (align > 1 ? align - 1 : 0);
	return n + pad < n ? UINT64_MAX : n + pad;
}

/* Smallest non-empty bin >= b, or BINS. */
static unsigned bin_from(const struct swapctl_extent *ex, unsigned b)
{
	unsigned w = b / 64;
	uint64_t m;

	if (b >= BINS)
		return BINS;
	m = ex->binmap[w] & (~UINT64_C(0) << (b % 64));
	for (;;) {
		if (m)
			return w * 64 + (unsigned)__builtin_ctzll(m);
		if (++w == BINS / 64)
			return BINS;
		m = ex->binmap[w];
	}
}

/* First node of the big-gap tree with gap >= size. */
static struct avl *gt_lower(const struct swapctl_extent *ex, uint64_t size)
{
	struct avl *n = ex->gt.root, *best = NULL;

	while (n) {
		if (REG(n, x.g)->gap >= size) {
			best = n;
			n = n->l;
		} else {
			n = n->r;
		}
	}
	return best;
}

/*
 * Best-fit candidates in increasing gap size, from gaps of at least need;
 * the first that fits, or NULL.  *budget limits the candidates looked at
 * (counted down; 0 means stopped early, not exhausted).
 */
static struct region *bf_scan(const struct swapctl_extent *ex, uint64_t need, uint64_t size,
			      uint64_t align, uint64_t boundary, unsigned *budget, uint64_t *at)
{
	struct region *r;
	struct avl *n;
	unsigned b;

	for (b = bin_from(ex, need < BINS ? (unsigned)need : BINS); b < BINS;
	     b = bin_from(ex, b + 1)) {
		const struct gchunk *c = ex->bins[b].top;
		unsigned i = ex->bins[b].n;

		/* newest first: the top entry leaves its bin without moving another */
		for (; c; c = c->below, i = GC_N) {
			while (i--) {
				r = c->v[i].r;
				if (c->v[i].leaf)
					bt_prefetch_leaf(c->v[i].leaf);
				if ((*at = fit(ex, r, size, align, boundary)) != NONE)
					return r;
				if (--*budget == 0)
					return NULL;
			}
		}
	}
	for (n = gt_lower(ex, need); n; n = avl_next(n)) {
		r = REG(n, x.g);
		if ((*at = fit(ex, r, size, align, boundary)) != NONE)
			return r;
		if (--*budget == 0)
			return NULL;
	}
	return NULL;
}

/*
 * The first region in address order with gap >= m under entries i .. of b,
 * or NULL.  A bound that led to no such gap is lowered to the child's top
 * when tighten (the alloc's search; next_free only reads).
 */
static struct region *ff_in(struct bnode *b, unsigned i, uint64_t m, bool tighten)
{
	struct region *r = NULL;
	bool lowered = false;

	for (; i < b->n; i++) {
		if (b->max[i] < m)
			continue;
		if (b->leaf)
			return b->ptr[i];
		r = ff_in(b->ptr[i], 0, m, tighten);
		if (r)
			break;
		if (tighten) {
			/* nothing there: the child's top, made exact (a leaf's
			 * may be high), is < m */
			struct bnode *c = b->ptr[i];

			c->top = bt_max(c);
			b->max[i] = c->bound = c->top;
			lowered = true;
		}
	}
	if (lowered)
		b->top = bt_max(b);
	return i < b->n ? r : NULL;
}

/* The first region after entry i of b in address order with gap >= m. */
static struct region *ff_after(struct bnode *b, unsigned i, uint64_t m, bool tighten)
{
	for (;;) {
		struct region *r = ff_in(b, i + 1, m, tighten);

		if (r || !b->parent)
			return r;
		i = bt_cslot(b);
		b = b->parent;
	}
}

static struct region *ff_first(const struct swapctl_extent *ex, uint64_t m)
{
	struct region *r;

	if (ex->root->top < m)
		return NULL;
	r = ff_in(ex->root, 0, m, true);
	if (!r)
		ex->root->top = bt_max(ex->root);       /* a leaf's top may be high */
	return r;
}

static struct region *ff_next(const struct region *r, uint64_t m, bool tighten)
{
	return ff_after(r->leaf, bt_rslot(r), m, tighten);
}

/* First-fit candidates in address order, as bf_scan(). */
static struct region *ff_scan(const struct swapctl_extent *ex, uint64_t need, uint64_t size,
			      uint64_t align, uint64_t boundary, unsigned *budget, uint64_t *at)
{
	struct region *r = ex->head.gap >= need ? (struct region *)&ex->head :
		ff_first(ex, need);

	while (r) {
		if ((*at = fit(ex, r, size, align, boundary)) != NONE)
			return r;
		if (--*budget == 0)
			return NULL;
		r = r == &ex->head ? ff_first(ex, need) : ff_next(r, need, true);
	}
	return NULL;
}

/* A candidate scan in one policy's order: bf_scan() or ff_scan(). */
typedef struct region *scan_fn(const struct swapctl_extent *ex, uint64_t need, uint64_t size,
			       uint64_t align, uint64_t boundary, unsigned *budget, uint64_t *at);

/*
 * The gap for a request in scan's order: best fit (the smallest gap that
 * can hold it) or first fit (the lowest address).  Aligned or
 * boundary-limited requests try CAND_MAX candidates, then the first gap
 * certain to fit, and only then (nothing is certain) all the rest.
 */
static inline struct region *find_gap(const struct swapctl_extent *ex, scan_fn *scan,
				      uint64_t size, uint64_t align, uint64_t boundary,
				      uint64_t *at)
{
	unsigned budget = CAND_MAX;
	struct region *r = scan(ex, size, size, align, boundary, &budget, at);

	if (r || budget)
		return r;
	budget = UINT32_MAX;
	r = scan(ex, sure_size(size, align, boundary), size, align, boundary, &budget, at);
	if (r)
		return r;
	budget = UINT32_MAX;
	return scan(ex, size, size, align, boundary, &budget, at);
}

/*
 * Allocate [a, a + size) (offsets) inside the gap after p: extend a
 * neighbour, join both, or add a node (a spare one: the caller made sure
 * there is one, node_reserve()).
 */
static void place(struct swapctl_extent *ex, struct region *p, uint64_t a,
		  uint64_t size)
{
	uint64_t last = a + size - 1;
	uint64_t qs = p->e + p->gap + 1;        /* the next region's start, or size + 1 */
	bool coalesce = !(ex->flags & SWAPCTL_EXTENT_NOCOALESCE);
	bool left = coalesce && p != &ex->head && a == p->e + 1;
	bool right = coalesce && last + 1 == qs && qs <= ex->size;
	struct region *q;

	ex->avail -= size;
	if (left && right && p->leaf) {
		/*
		 * The usual exact fit: q, the next region, found in p's leaf
		 * from p's slot (which serves every step below), swallows p.
		 * q keeps its gap (the leaf has it) and its place in the gap
		 * index, so q's line is only written (its start) and no other
		 * bin entry moves; p, read already, leaves its bin from the
		 * top and becomes a spare.
		 */
		struct bnode *b = p->leaf;
		unsigned i;

		/* every line of the leaf is wanted: ask for them together */
		__builtin_prefetch(&b->ptr[0], 1);
		__builtin_prefetch(&b->ptr[BT_N - 1], 1);
		bt_prefetch_rest(b);
		i = bt_rslot(p);

		if (i + 1 < b->n) {
			uint64_t qgap = b->max[i + 1];

			q = b->ptr[i + 1];
			gap_remove(ex, p);
			bt_close(b, i + 1);
			b->n--;
			b->ptr[i] = q;          /* key[i] is p's start, q's now */
			b->max[i] = qgap;
			/* what left the leaf is p's old gap, often its largest:
			 * the leaf's top stays, an upper bound (first fit makes
			 * it exact when it finds it too high) */
			node_put(ex, p);
			ex->nregions--;
			return;
		}
	}
	/* the next region only when it grows: it is one more cache miss */
	q = right ? next_region(ex, p) : NULL;
	if (left && right) {
		/* p swallows q */
		uint64_t qgap = q->gap;

		gap_remove(ex, q);
		bt_remove(ex, q);
		p->e = q->e;                    /* before q may be freed */
		node_put(ex, q);
		ex->nregions--;
		set_gap(ex, p, qgap);
	} else if (left) {
		p->e = last;
		set_gap(ex, p, p->gap - size);
	} else if (right) {
		bt_key_changed(ex, q, a);
		set_gap(ex, p, a - p->e - 1);
	} else {
		struct region *nn = node_get(ex);

		nn->e = last;
		nn->gap = qs - last - 1;
		bt_insert_after(ex, p, nn, a);
		gap_insert(ex, nn);
		ex->nregions++;
		set_gap(ex, p, a - p->e - 1);
	}
}

/* ------------------------------------------------------------ API */

SWAPCTL_EXPORT
int swapctl_extent_create(uint64_t start, uint64_t end, unsigned flags,
			  struct swapctl_extent **out)
{
	struct swapctl_extent *ex;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (end < start || end - start >= UINT64_MAX - 2 ||
	    (flags & ~(unsigned)SWAPCTL_EXTENT_NOCOALESCE))
		return -EINVAL;
	ex = calloc(1, sizeof(*ex));
	if (!ex)
		return -ENOMEM;
	ex->start = start;
	ex->end = end;
	ex->size = end - start + 1;
	ex->flags = flags;
	ex->depth = 1;
	if (bt_reserve(ex) < 0 || bin_reserve(ex, 1) < 0) {
		swapctl_extent_destroy(ex);
		return -ENOMEM;
	}
	ex->root = bt_new(ex, true);
	ex->root->fence = ex->size + 1;
	ex->nleaves = 1;
	if (lm_build(ex) < 0) {
		swapctl_extent_destroy(ex);
		return -ENOMEM;
	}
	ex->head.e = 0;
	ex->head.gap = 0;
	set_gap(ex, &ex->head, ex->size);
	ex->avail = ex->size;
	*out = ex;
	return 0;
}

/* At destroy: a node from malloc is freed, one in a slab goes with it. */
static void obj_drop(const struct swapctl_extent *ex, void *p)
{
	if (!in_slab(ex, p))
		free(p);
}

static void free_index(const struct swapctl_extent *ex, struct bnode *b)
{
	unsigned i;

	for (i = 0; i < b->n; i++) {
		if (b->leaf)
			obj_drop(ex, b->ptr[i]);
		else
			free_index(ex, b->ptr[i]);
	}
	obj_drop(ex, b);
}

static void free_chunks(const struct swapctl_extent *ex, struct gchunk *c)
{
	while (c) {
		struct gchunk *below = c->below;

		obj_drop(ex, c);
		c = below;
	}
}

SWAPCTL_EXPORT
void swapctl_extent_destroy(struct swapctl_extent *ex)
{
	unsigned i;

	if (!ex)
		return;
	if (ex->root)
		free_index(ex, ex->root);
	while (ex->spare) {
		struct region *r = ex->spare;

		ex->spare = r->x.spare;
		obj_drop(ex, r);
	}
	while (ex->bspare) {
		struct bnode *b = ex->bspare;

		ex->bspare = b->next;
		obj_drop(ex, b);
	}
	for (i = 0; i < BINS; i++)
		free_chunks(ex, ex->bins[i].top);
	free_chunks(ex, ex->cspare);
	for (i = 0; i < ex->nslabs; i++)
		munmap(ex->slabs[i], SLAB);
	free(ex->slabs);
	free(ex->lmap);
	free(ex);
}

SWAPCTL_EXPORT
int swapctl_extent_alloc(struct swapctl_extent *ex, uint64_t size, uint64_t alignment,
			 uint64_t boundary, unsigned flags, uint64_t *result)
{
	struct region *p;
	uint64_t a;
	unsigned b;

	if (!ex || !result || size == 0 || (flags & ~(unsigned)SWAPCTL_EXTENT_FIRSTFIT))
		return -EINVAL;
	if (alignment > 1 && !pow2(alignment))
		return -EINVAL;
	if (boundary && (!pow2(boundary) || boundary < size))
		return -EINVAL;
	if (size > ex->avail)
		return -ENOSPC;
	/* a node may be needed; have it first so failure changes nothing */
	if (bt_reserve(ex) < 0 || bin_reserve(ex, ex->nregions + 2) < 0 || node_reserve(ex) < 0)
		return -ENOMEM;
	if (!(flags & SWAPCTL_EXTENT_FIRSTFIT) && alignment <= 1 && !boundary && size < BINS &&
	    (b = bin_from(ex, (unsigned)size)) < BINS) {
		/* the usual best fit, as bf_scan() finds it: the newest entry of
		 * the smallest bin that holds it, which fits at its start */
		const struct gentry *t = &ex->bins[b].top->v[ex->bins[b].n - 1];

		if (t->leaf)
			bt_prefetch_leaf(t->leaf);
		p = t->r;
		a = p->e + 1;
	} else {
		p = find_gap(ex, flags & SWAPCTL_EXTENT_FIRSTFIT ? ff_scan : bf_scan,
			     size, alignment, boundary, &a);
		if (!p)
			return -ENOSPC;
	}
	place(ex, p, a, size);
	lm_tend(ex);
	*result = a + ex->start - 1;
	return 0;
}

static int range_ok(const struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	if (!ex || size == 0)
		return -EINVAL;
	if (start < ex->start || start > ex->end || size - 1 > ex->end - start)
		return -ERANGE;
	return 0;
}

SWAPCTL_EXPORT
int swapctl_extent_alloc_region(struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	struct region *p;
	uint64_t s, e;
	int r = range_ok(ex, start, size);

	if (r < 0)
		return r;
	s = start - ex->start + 1;
	e = s + size - 1;
	p = find_le(ex, s);
	if (p != &ex->head && p->e >= s)
		return -EBUSY;
	if (e > p->e + p->gap)
		return -EBUSY;
	if (bt_reserve(ex) < 0 || bin_reserve(ex, ex->nregions + 2) < 0 || node_reserve(ex) < 0)
		return -ENOMEM;
	place(ex, p, s, size);
	lm_tend(ex);
	return 0;
}

/*
 * A free other than the usual split: p, starting at ps and ending at pe,
 * holds [s, e]; kept out of line so the usual path saves few registers.
 */
static __attribute__((noinline)) int free_other(struct swapctl_extent *ex, struct region *p,
						uint64_t ps, uint64_t pe, uint64_t s, uint64_t e)
{
	struct region *prev, *m;
	uint64_t size = e - s + 1;

	if ((ex->flags & SWAPCTL_EXTENT_NOCOALESCE) && (ps != s || pe != e))
		return -EINVAL;                 /* must be one whole region */
	if (ps == s && pe == e) {
		prev = prev_region(ex, p);
		gap_remove(ex, p);
		bt_remove(ex, p);
		set_gap(ex, prev, prev->gap + size + p->gap);
		node_put(ex, p);
		ex->nregions--;
	} else if (ps == s) {
		prev = prev_region(ex, p);
		bt_key_changed(ex, p, e + 1);
		set_gap(ex, prev, prev->gap + size);
	} else if (pe == e) {
		p->e = s - 1;
		set_gap(ex, p, p->gap + size);
	} else {
		/* a split, in a full leaf or by the slow route: m, the upper
		 * part, goes in after p */
		if (bt_reserve(ex) < 0 || bin_reserve(ex, ex->nregions + 2) < 0)
			return -ENOMEM;
		m = node_get(ex);
		if (!m)
			return -ENOMEM;
		m->e = pe;
		m->gap = p->gap;
		p->e = s - 1;
		ex->nregions++;
		bt_insert_after(ex, p, m, e + 1);
		gap_replace(ex, p, m);
		p->gap = 0;                     /* in no gap index now */
		set_gap(ex, p, size);
	}
	ex->avail += size;
	lm_tend(ex);
	return 0;
}

SWAPCTL_EXPORT
int swapctl_extent_free(struct swapctl_extent *ex, uint64_t start, uint64_t size)
{
	struct region *p, *m;
	struct bnode *b;
	uint64_t s, e, ps, pe, pgap, next;
	unsigned c;
	int r = range_ok(ex, start, size);

	if (r < 0)
		return r;
	s = start - ex->start + 1;
	e = s + size - 1;
	b = find_leaf_in(ex, s, &c);
	if (c == 0)
		return -EINVAL;                 /* before the first region */
	/*
	 * The region p holding s, from its leaf alone: it starts at its key
	 * and ends where the next region starts (the next key, or past the
	 * last entry the leaf's fence) less its gap.  The usual free splits
	 * p without reading p's line.  The next key is key[c] or the fence,
	 * the smaller (an unused key is UINT64_MAX), so nothing waiting on the
	 * leaf branches on the random slot.
	 */
	ps = b->key[c - 1];
	pgap = b->max[c - 1];
	next = b->key[c % BT_N] | -(uint64_t)(c / BT_N);     /* c == BT_N: none */
	next = next < b->fence ? next : b->fence;
	pe = next - pgap - 1;
	p = b->ptr[c - 1];
	if (pe < e)
		return -EINVAL;                 /* not (all) allocated */
	if (!(ps < s && pe > e && b->n < BT_N) || (ex->flags & SWAPCTL_EXTENT_NOCOALESCE) ||
	    !ex->spare)
		return free_other(ex, p, ps, pe, s, e);
	if (bin_reserve(ex, ex->nregions + 2) < 0)
		return -ENOMEM;
	/*
	 * The usual split, in the slot the descent found: a new node m takes
	 * p's lower part, [ps, s - 1], with the freed values as its gap; p
	 * keeps its upper part and its gap, so its entry in the gap index
	 * stays and p's line is only written (its start).  m and its gap
	 * entry first: they do not wait on the leaf's keys.
	 */
	m = node_get(ex);
	m->e = s - 1;
	m->gap = size;
	m->leaf = b;
	if (size < BINS)
		bin_push(ex, m, (unsigned)size);
	else
		gap_insert(ex, m);
	ex->nregions++;
	ex->avail += size;
	if (bt_block(b, c)) {
		/* entries c .. n - 1 move up as one block per array */
		bt_up8(&b->key[c]);
		bt_up8(&b->max[c]);
		bt_up8((uint64_t *)&b->ptr[c]);
	} else {
		bt_open(b, c);
	}
	b->key[c] = e + 1;
	b->max[c] = pgap;
	b->ptr[c] = p;
	b->max[c - 1] = size;
	b->ptr[c - 1] = m;
	b->n++;
	/* no branch on whether the new gap is the leaf's largest (it is
	 * random); the bounds above rarely need raising */
	b->top = size > b->top ? size : b->top;
	if (b->top > b->bound)
		bt_raise(b);
	return 0;
}

SWAPCTL_EXPORT
uint64_t swapctl_extent_avail(const struct swapctl_extent *ex)
{
	return ex ? ex->avail : 0;
}

SWAPCTL_EXPORT
uint64_t swapctl_extent_regions(const struct swapctl_extent *ex)
{
	return ex ? ex->nregions : 0;
}

SWAPCTL_EXPORT
size_t swapctl_extent_memory(const struct swapctl_extent *ex)
{
	if (!ex)
		return 0;
	return sizeof(*ex) + ex->heap + ex->nslabs * SLAB - (ex->bump_left & ~(size_t)4095) +
		ex->slabs_cap * sizeof(*ex->slabs) +
		LINES(ex->nlmap * sizeof(*ex->lmap));
}

SWAPCTL_EXPORT
int swapctl_extent_next_free(const struct swapctl_extent *ex, uint64_t from,
			     uint64_t *start, uint64_t *len)
{
	const struct region *p;
	uint64_t x;

	if (!ex || !start || !len)
		return -EINVAL;
	if (from > ex->end)
		return -ENOENT;
	x = from < ex->start ? 1 : from - ex->start + 1;
	p = find_le(ex, x);
	if (x > p->e) {                 /* in p's gap */
		*start = x + ex->start - 1;
		*len = p->e + p->gap - x + 1;
		return 0;
	}
	/* x is inside region p: the first gap after it */
	if (p->gap == 0) {
		p = ff_next(p, 1, false);
		if (!p)
			return -ENOENT;
	}
	*start = p->e + 1 + ex->start - 1;
	*len = p->gap;
	return 0;
}

SWAPCTL_EXPORT
int swapctl_extent_stats(const struct swapctl_extent *ex, struct swapctl_freestats *st)
{
	const struct bnode *b;
	unsigned i;

	if (!ex || !st)
		return -EINVAL;
	freestats_start(st, ex->size, ex->avail);
	if (ex->head.gap)
		freestats_add(st, ex->head.gap);
	for (b = bt_leftmost(ex); b; b = b->next)
		for (i = 0; i < b->n; i++)
			if (b->max[i])
				freestats_add(st, b->max[i]);
	freestats_end(st);
	return 0;
}

/* Heights, balance and parents of the gap tree. */
static int check_avl(const struct avl *n, const struct avl *parent)
{
	int a, b;

	if (!n)
		return 0;
	if (n->p != parent)
		return -1;
	a = check_avl(n->l, n);
	b = check_avl(n->r, n);
	if (a < 0 || b < 0 || a - b > 1 || b - a > 1 || n->h != 1 + (a > b ? a : b))
		return -1;
	return n->h;
}

/*
 * The index under b: parents, keys (each region's start, each child's
 * first key), maxima, every leaf at the same depth and in the leaf chain
 * in order (*leaf: the previous leaf); returns the nodes, or -1.
 */
static int64_t check_index(const struct swapctl_extent *ex, const struct bnode *b,
			   unsigned depth, const struct bnode **leaf, uint64_t *nleaves)
{
	int64_t nodes = 1, k;
	unsigned i;

	if (b->n > BT_N || (b->n == 0 && b != ex->root) || (b->leaf != (depth == 1)) ||
	    (b->leaf ? b->top < bt_max(b) : b->top != bt_max(b)))
		return -1;
	for (i = b->n; i < BT_N; i++)
		if (b->key[i] != UINT64_MAX || b->max[i] || b->ptr[i])
			return -1;
	for (i = 0; i < b->n; i++) {
		if (i && b->key[i] <= b->key[i - 1])
			return -1;
		if (b->leaf) {
			const struct region *r = b->ptr[i];

			/* it starts at its key and its gap runs to the next */
			if (r->leaf != b || r->e < b->key[i] || r->gap != b->max[i] ||
			    r->e + r->gap + 1 != (i + 1 < b->n ? b->key[i + 1] : b->fence))
				return -1;
			continue;
		}
		{
			const struct bnode *c = b->ptr[i];

			if (c->parent != b || c->key[0] != b->key[i] || c->top > b->max[i] ||
			    c->bound != b->max[i])
				return -1;
			k = check_index(ex, c, depth - 1, leaf, nleaves);
			if (k < 0)
				return -1;
			nodes += k;
		}
	}
	if (b->leaf) {
		if (b->prev != *leaf || (*leaf && ((*leaf)->next != b || (*leaf)->fence != b->key[0])))
			return -1;
		*leaf = b;
		++*nleaves;
	}
	return nodes;
}

/* Bytes of the nodes from malloc under b (b too). */
static size_t heap_index(const struct swapctl_extent *ex, const struct bnode *b)
{
	size_t bytes = in_slab(ex, b) ? 0 : LINES(sizeof(*b));
	unsigned i;

	for (i = 0; i < b->n; i++) {
		if (!b->leaf)
			bytes += heap_index(ex, b->ptr[i]);
		else if (!in_slab(ex, b->ptr[i]))
			bytes += LINES(sizeof(struct region));
	}
	return bytes;
}

/*
 * The slabs: ascending, aligned, the newest's unused end within it; free
 * slab nodes in slabs and of node sizes; ex->heap the bytes of the nodes
 * (in the index, spare or in bins) that are not in slabs.
 */
static int check_slabs(const struct swapctl_extent *ex)
{
	size_t heap = heap_index(ex, ex->root), i;
	const struct region *r;
	const struct bnode *b;
	const struct gchunk *c;

	for (i = 0; i < ex->nslabs; i++)
		if ((uintptr_t)ex->slabs[i] & (SLAB - 1) || (i && ex->slabs[i] <= ex->slabs[i - 1]))
			return -1;
	if (ex->nslabs > ex->slabs_cap || ex->bump_left > SLAB ||
	    (ex->bump_left && (!in_slab(ex, ex->bump) ||
			       !in_slab(ex, ex->bump + ex->bump_left - 1))))
		return -1;
	for (i = 0; i < 8; i++) {
		const void *q;

		for (q = ex->sfree[i]; q; q = *(void *const *)q)
			if (!in_slab(ex, q) || (i != LINES(sizeof(struct region)) / 64 &&
						i != LINES(sizeof(struct bnode)) / 64 &&
						i != LINES(sizeof(struct gchunk)) / 64))
				return -1;
	}
	for (r = ex->spare; r; r = r->x.spare)
		heap += in_slab(ex, r) ? 0 : LINES(sizeof(*r));
	for (b = ex->bspare; b; b = b->next)
		heap += in_slab(ex, b) ? 0 : LINES(sizeof(*b));
	for (c = ex->cspare; c; c = c->below)
		heap += in_slab(ex, c) ? 0 : LINES(sizeof(*c));
	for (i = 0; i < BINS; i++)
		for (c = ex->bins[i].top; c; c = c->below)
			heap += in_slab(ex, c) ? 0 : LINES(sizeof(*c));
	return heap == ex->heap ? 0 : -1;
}

SWAPCTL_EXPORT
int swapctl_extent_check(const struct swapctl_extent *ex)
{
	const struct region *p = &ex->head, *q;
	uint64_t sum, nreg = 0, nbinned = 0, nbig = 0, nchunks = 0, b;
	const struct avl *n;
	const struct bnode *leaf = NULL;
	uint64_t nleaves = 0;
	bool coalesce;

	if (!ex)
		return -EINVAL;
	coalesce = !(ex->flags & SWAPCTL_EXTENT_NOCOALESCE);
	if (ex->root->parent || check_index(ex, ex->root, ex->depth, &leaf, &nleaves) !=
	    (int64_t)ex->nbnodes || nleaves != ex->nleaves ||
	    !leaf || leaf->next || leaf->fence != ex->size + 1 || check_avl(ex->gt.root, NULL) < 0 ||
	    check_slabs(ex) < 0)
		return -EUCLEAN;
	/* the leaf map: each entry is the leaf its offset descends to */
	if (ex->nlmap != (ex->size >> ex->lshift) + 1)
		return -EUCLEAN;
	for (b = 0; b < ex->nlmap; b++) {
		unsigned c;

		if (ex->lmap[b] != find_leaf_down(ex, b << ex->lshift, &c))
			return -EUCLEAN;
	}
	sum = ex->head.gap;
	for (;;) {
		uint64_t qs;

		q = next_region(ex, p);
		qs = q ? reg_start(q) : ex->size + 1;
		if (p->e + p->gap + 1 != qs)
			return -EUCLEAN;
		if (p->gap >= BINS)
			nbig++;
		else if (p->gap)
			nbinned++;
		if (!q)
			break;
		if (q->e > ex->size)
			return -EUCLEAN;
		if (coalesce && p != &ex->head && p->gap == 0)
			return -EUCLEAN;        /* touching regions not joined */
		sum += q->gap;
		nreg++;
		p = q;
	}
	if (sum != ex->avail || nreg != ex->nregions)
		return -EUCLEAN;
	for (b = 0; b < BINS; b++) {
		const struct gchunk *c = ex->bins[b].top;
		unsigned i = ex->bins[b].n;

		if (!!c != !!(ex->binmap[b / 64] >> (b % 64) & 1) || (c && (i < 1 || i > GC_N)) ||
		    (!c && i) || (b == 0 && c))
			return -EUCLEAN;
		for (; c; c = c->below, i = GC_N) {
			if (nchunks++ == ex->nchunks)
				return -EUCLEAN;
			while (i--) {
				const struct region *r = c->v[i].r;

				/* each entry is a live node (or the head) of that
				 * gap, and the node knows where its entry is */
				if (r->gap != b || r->x.slot != &c->v[i] || c->v[i].leaf != r->leaf ||
				    find_le(ex, r->e) != r || nbinned == 0)
					return -EUCLEAN;
				nbinned--;
			}
		}
	}
	/* a free that adds no region finds the chunks it needs */
	if (nbinned || nchunks != ex->nchunks ||
	    ex->nchunks + ex->ncspare < chunks_for(ex->nregions + 1) ||
	    (ex->bin_room && ex->nchunks + ex->ncspare < chunks_for(ex->bin_room)))
		return -EUCLEAN;
	for (n = avl_first(ex->gt.root); n; n = avl_next((struct avl *)n)) {
		const struct avl *m = avl_next((struct avl *)n);

		if (REG(n, x.g)->gap < BINS || (m && gt_cmp(REG(n, x.g), REG(m, x.g)) >= 0) ||
		    find_le(ex, REG(n, x.g)->e) != REG(n, x.g) || nbig == 0)
			return -EUCLEAN;
		nbig--;
	}
	return nbig ? -EUCLEAN : 0;
}

SWAPCTL_EXPORT
void swapctl_extent_dump(const struct swapctl_extent *ex, FILE *fp)
{
	const struct region *p;
	uint64_t base, n = 0;

	if (!ex || !fp)
		return;
	base = ex->start - 1;
	fprintf(fp, "extent [%" PRIu64 ", %" PRIu64 "]: %" PRIu64 " free, %" PRIu64
		" regions, %s, %zu bytes\n", ex->start, ex->end, ex->avail, ex->nregions,
		ex->flags & SWAPCTL_EXTENT_NOCOALESCE ? "no coalescing" : "coalescing",
		swapctl_extent_memory(ex));
	if (ex->head.gap)
		fprintf(fp, "  free [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
			ex->start, ex->start + ex->head.gap - 1, ex->head.gap);
	for (p = next_region(ex, &ex->head); p; p = next_region(ex, p)) {
		if (n++ == 500) {
			fputs("  ...\n", fp);
			break;
		}
		fprintf(fp, "  used [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
			reg_start(p) + base, p->e + base, p->e - reg_start(p) + 1);
		if (p->gap)
			fprintf(fp, "  free [%" PRIu64 ", %" PRIu64 "] %" PRIu64 "\n",
				p->e + 1 + base, p->e + p->gap + base, p->gap);
	}
}
