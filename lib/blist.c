/*
 * blist.c: a bitmap of blocks with a tree of free-run summaries above it,
 * the allocator for swap slots.
 *
 * Design note
 * -----------
 * Layout.  One bit per block, 1 = allocated, 0 = free, in 64-bit words.
 * Eight words (512 blocks, one cache line) form a chunk.  Above the bitmap
 * sits a tree of summaries, one array per level:
 *
 *   level 0   one entry per chunk             (512 blocks)
 *   level k   one entry per 8 entries below   (2^(9+3k) blocks)
 *
 * up to a level with a single entry, the root.  An entry summarizes the
 * blocks under it by three numbers: the free run at its start (head), the
 * free run at its end (tail), and the longest free run touching neither end
 * (inner).  A fully free entry has head = tail = span and inner = 0; the
 * longest run under an entry is max(head, tail, inner).  The numbers
 * compose: a node's follow from its children's alone, the runs crossing
 * children being a tail, fully free children and a head.
 *
 * Why inner rather than the longest run: allocating from the start of a
 * long run at the end of an entry (what next-fit does all day) only
 * shortens that entry's tail, an O(1) update, where a "longest run" field
 * would need its second longest, that is a rescan.  A rescan is needed only
 * when an allocation splits the longest inner run, or a free joins it to
 * the head or tail: 8 words for a chunk, 8 entries for a node.
 *
 * Encoding.  Head and tail are stored as (span - value) and inner as is, so
 * zeroed memory is an all-free map.  Chunk entries pack three 10-bit fields
 * in 32 bits, entries of at most 2^20 blocks three 21-bit fields in 64
 * bits, larger ones three 64-bit words.  Arrays of 1 MiB or more are
 * anonymous mappings made without reserve: a map created all free costs
 * memory only where blocks get allocated, so one of 2^40 blocks can be
 * created and used sparsely.  Memory per block: 1 bit of bitmap, 32 bits
 * per 512 blocks, 64 per 4096, 64 per 32768 and less above, about 1.08 bits.
 *
 * Huge pages.  A random free or allocation far from the last one touches a
 * bitmap word on a page not in the TLB: at 2^28 blocks the bitmap is 32 MiB,
 * 8192 small pages, and in a virtual machine each TLB miss is a walk of two
 * page tables.  So arrays of 2 MiB or more are mapped aligned to 2 MiB and
 * advised MADV_HUGEPAGE (Linux's "madvise" mode uses huge pages only there),
 * but only in maps whose arrays total at most 64 MiB (2^29 blocks): a huge
 * page is allocated whole at its first touch, so a map used sparsely would
 * cost 2 MiB where it costs 4 KiB, 512 times more (one of 2^40 blocks with
 * a few thousand scattered allocations: gigabytes instead of megabytes).
 * Up to 64 MiB the worst case is the map's full size, what it costs when
 * used densely; larger maps keep small pages and cost memory only where
 * used.  FreeBSD's blist lives in the kernel's direct map, on superpages:
 * the comparison is fair only with its side on huge pages too (the driver
 * run with GLIBC_TUNABLES=glibc.malloc.hugetlb=1).
 *
 * Padding.  Arrays are padded so every node has all its children; padded
 * blocks and entries are permanently allocated, which ends every run at the
 * last block without bounds checks.
 *
 * Invariant.  Every summary equals what its children (for a chunk, its
 * eight words) give, but a pending entry's inner value may be too high
 * (see the deferred rescans below); avail is the number of free blocks; the cursor is a
 * block below nblocks.  swapctl_blist_check() verifies all of it.
 *
 * Allocation is next-fit: the search starts at the cursor, finds the first
 * block s >= cursor such that [s, s + count) is free, extends the run up to
 * maxcount blocks and leaves the cursor after it; when nothing fits after
 * the cursor it starts again from block 0.  It tries the cursor's word,
 * then the rest of its chunk, then climbs, looking at the siblings to the
 * right at each level, and descends into the first entry whose summary
 * shows the run, carrying the free run that ends at each entry's start so
 * runs across entries are found too; in the chunk reached, a request no
 * inner run fits takes the tail without reading the words.  A request
 * that does not fit in the cursor's chunk and is longer than the root's
 * longest run fails at once.
 *
 * Updates.  A free inside one chunk finds the run around it from that
 * chunk's words without branching on them (a mask of the non-zero words
 * gives the nearest allocated block on each side), derives the chunk's new
 * summary in O(1) and walks up while entries change: a run inside a chunk
 * is an inner run at every level (only inner fields change), one at an
 * edge is widened through the siblings' heads and tails first.  A range
 * over two chunks (a free of at most 64 blocks, an allocation of at most a
 * chunk) is updated as two ranges, one per chunk, each step leaving the
 * tree consistent; other ranges spanning chunks recompute the entries over
 * them, level by level.
 *
 * An allocation needs no run ends at all.  Heads and tails are exact (in
 * pending entries too), so whether [s, e) lies in an entry's head or tail
 * follows from its summary: those shrink in O(1), and the same test is
 * made on the parent (no widening through siblings).  That update works
 * on the fields as stored (span less head, span less tail, inner), with
 * no decoding and no format switch: next-fit on a fresh map (a swap
 * device filling up) takes from the final run, the tail at every level,
 * on every allocation; in the pager engine's replay of a 2^20-page device
 * that was 421 instructions per allocation, now 285.  Any other run is
 * inner there, and the inner value can only drop, if the run was the
 * longest: the entry is left pending (below) instead of walking the words
 * to the run's ends to tell, a loop whose exit mispredicted 0.8 times per
 * allocation at 50%.  The search starts with the cursor's chunk, word by
 * word (no summary read), the run search in a word taking its shift steps
 * per count from a table; only past that chunk is the root asked whether
 * any run is long enough.  The common path (run in the cursor's chunk,
 * inner there) is inline, with its rare parts out of line so it saves no
 * registers.  In the cursor's chunk a word holds the start or not in one
 * branch (chunk_find_small()): the run crossing in from the word before
 * and those inside the word are both computed, the earlier selected; as
 * two tests they mispredicted 0.18 more times per allocation at 50%, for
 * 5 fewer instructions.  In the pager engine's replay of a random trace
 * (swapinfo -r, 79,508 allocations, count 1) the same change measured 391
 * -> 383 instructions but 1.40 -> 1.71 mispredicts per allocation, all on
 * the first word's test, whose outcome is the same as before: not
 * settled whether that is callgrind's predictor or the hardware's.
 * A flexible request (maxcount > count) extends its run
 * through the 64 blocks after it read across two words without a branch
 * on the bits, where a loop over the words mispredicted its exit about
 * once per call.
 *
 * Free is usually a cache miss on its bitmap word, and its cost is how
 * many of them overlap: the next calls' loads start only if there is room
 * for them behind the miss, and the instructions that wait on it hold
 * that room.  Measured in one process against the same code (windows
 * alternated): 60 more instructions depending on the loaded words took
 * free to 1.6-1.7 times as long, 60 independent ones to 1.05, 60 no-ops
 * to 1.0; scanning the chunk's eight words without a branch on every free
 * (130 instructions, half the mispredicts) to 1.5.  So the common free (at
 * most 64 blocks in one chunk, allocated blocks on both sides in the same
 * words: two frees in three at 50% full) does little on the loaded bits:
 * a check, the two stores (for one word, the second store overwrites the
 * first), the run's length, and the inner values of the chunk and its
 * level-1 entry raised by taking the larger of two words (the inner field
 * is the top one); only above level 1, where a raise is rare, does it
 * branch.  Other frees walk out from the range's words to the run's ends,
 * out of line: a run reaching a chunk's end widens upwards.
 *
 * The free's entry tests, which do not wait on the miss, are one
 * unsigned compare for "touches the pending chunk" (no ndirty test:
 * NONE wraps past every range), with the flush out of line
 * (free_pending(), a tail call): 50% free 218.6 -> 211.2 instructions,
 * 1.11 -> 1.04 mispredicts (callgrind, driver -A ours -w 1 -o 65536
 * a50); its time is within the noise (free50 ratio, seven pairs
 * alternated with main's build on a busy machine: median 0.78 against
 * main's 0.74, each ahead in some pairs, spread 0.57-0.88).
 * A free that misses the fast path (lo or hi empty) hands lo and hi to
 * give_chunk_lh(), whose walk starts from them instead of reloading and
 * masking the two words: 50% free 211.2 -> 203.8 instructions (1.04 ->
 * 1.07 mispredicts), 90% exact 201.7 -> 200.4 (1.18 -> 1.13).  The 90%
 * exact allocation, whose code is unchanged, showed 8.05 -> 8.60
 * mispredicts in that build: callgrind's predictor indexes its table by
 * address and history, and the same two sources built with
 * -falign-functions=32 give 8.10 and 8.13 (with 16: 8.32 and 8.60), so
 * its counts move by about 0.5 per allocation with where unrelated code
 * lands: compare mispredicts across builds only beyond that.  Neither
 * change shows in the time: both together against main's object in one
 * process (the two linked under other names, windows alternated, a busy
 * machine), free 0.96, 0.99 and 1.01 of main's, where main's object
 * against itself gave 0.87-0.96.
 * Huge pages do not make free50's swings (0.53-0.91 between runs):
 * during a50 runs the bitmap (2 MiB, one huge page) showed 2048 kB of
 * AnonHugePages every time and FreeBSD's leaves none (THP "madvise",
 * calloc'd), so ours always has the TLB advantage; the per-window
 * ratios within one run span 0.66-1.07 at a load average of 8 on two
 * cores: the swings are the machine's other jobs sharing the caches.
 * At 2^28 blocks (the driver's d50big, the bitmap 32 MiB) a free took
 * 228 ns where the driver alone took 21: the live-table entry and then
 * the bitmap word are misses in turn, and the time is how little of the
 * next frees' work fits behind them.  Two builds of this file in one
 * process (a copy of the driver with the old object on FreeBSD's side
 * under other names, windows alternated) measured what that costs at
 * 2^28: 24 chained adds on the loaded bits in the common free (about 14
 * per free) made free 1.26 and 1.34 times as slow; the branch-free run
 * search (a mask of the chunk's non-zero words, one word read through
 * it) on every free in one chunk, 1.9 times, though it takes away most
 * of the free's mispredicts.  So this round cut instructions on the
 * free's paths, all of which wait on the miss:
 *  - the common free's entry tests are one OR of the count less one over
 *    64, the range's first and last block over two chunks (which also
 *    catches a wrapping range), then one compare against the map's last
 *    whole word, and the pending test one compare (the range is in one
 *    chunk by then); errors, long frees, ranges over two chunks or in the
 *    last word and the common free after a flush go to free_small();
 *    inner_raise() tail-calls inner_raise_up(): 50% free 201.9 -> 181.5
 *    instructions per free;
 *  - a run reaching a chunk's end updates the level-1 entry in
 *    update_l1(), the formats of both levels known (no format switch,
 *    span load or clipping), then update_up() from level 2: 181.5 ->
 *    173.9;
 *  - give_edge() grows a whole chunk's head or tail on the stored word
 *    (grow_sum()'s selects were 50 of its 232 instructions), and
 *    update_l1() only raises the inner value of a run inside the entry:
 *    173.9 -> 164.2;
 *  - the check and clear of the words in one helper for the common free
 *    and free_small() (words_give(), where they were two copies): 164.2
 *    -> 162.1.
 * Per free (callgrind, driver -A ours -w 1 -o 65536; instructions, D1
 * misses, mispredicts): a50 201.9 -> 162.1, 2.85 -> 2.85, 1.04 -> 1.16;
 * d50big 201.6 -> 162.2, 3.14 -> 3.14, 1.04 -> 1.17; after the third
 * change, 90% exact 199.8 -> 169.8, 3.04 -> 3.05, 1.11 -> 1.12; 90%
 * flex 172.4 -> 142.1, 2.82 -> 2.83, 0.46 -> 0.53.  The mispredicts
 * that rose are the walk's first test in give_chunk_lh(), whose outcome
 * is the caller's last test: 5.3k -> 17.3k-19.6k per 65536 frees, in a
 * default and in an -falign-functions=32 build alike (likely
 * callgrind's predictor, which hashes the global history: with fewer
 * branches per free, more of the previous frees' random outcomes are in
 * it).  Time, the old object against the new in one process (after the
 * third change, 31 windows, load 4-6): d50big free 0.766 and 0.901 of
 * the old, a50 0.886, 0.869, 0.858
 * (the old against itself: 1.02-1.09); 90% exact free 0.876 and 0.755,
 * 90% flex 0.824 and 0.868.  The full driver, two runs alternated with
 * main's build (load 3-5), new against main: freebig 0.770, 0.679
 * against 0.803, 0.734; free50 0.488, 0.560 against 0.675, 0.697;
 * free90 0.691, 0.680 against 0.630, 0.724; flexfree90 0.660, 0.639
 * against 0.651, 0.755; with the helper, two more pairs: freebig 0.620,
 * 0.688 against 0.671, 0.769; free50 0.656, 0.683 against 0.773, 0.593;
 * free90 0.674, 0.613 against 0.775, 0.827; flexfree90 0.628, 0.617
 * against 0.770, 0.665.  The allocation ratios, whose code is
 * unchanged, within their noise (alloc50 0.45-0.60 on both sides).
 * free50 still swings between runs on this machine (main's build
 * 0.59-0.77); the one-process pairs are the steadier measure, and with
 * the helper gave d50big free 0.904 and 0.885 of main's, a50 0.921 and
 * 0.781 (31 windows, load 3-4): about a tenth off, less than the
 * instructions' fifth.
 * What the misses are, at d50big per free: ours 3.14, the bitmap word
 * (1.03), the chunk entry (0.90: 2 MiB of them), the level-1 entry
 * (0.89: 512 KiB) and the entries above in the rarer walks (0.31);
 * FreeBSD's 2.91 all fall on the store of the hint in each node on its
 * way down (one array of 16-byte nodes, 64 MiB of leaves and the levels
 * above them).  The entries' addresses follow from the block alone, so
 * their loads start with the bitmap word's: both sides pay about one
 * miss to memory per free, ours on a bitmap half the size.
 * Tried and left out: the branch-free run search above (1.9 times the
 * time at 2^28).
 * Against FreeBSD's blist (the anchors' driver, callgrind per operation
 * at 2^24 blocks, ours / FreeBSD: instructions, L1 misses, mispredicts):
 *   50% exact   alloc  236 / 456,   0.04 / 0.11,  1.05 / 3.1
 *               free   204 / 306,   2.69 / 2.01,  1.07 / 0.3
 *   90% exact   alloc 1180 / 5699,  1.5 / 31.6,   6.8 / 43.7
 *   90% flex    alloc  238 / 391,   0.05 / 0.09,  0.4 / 2.1
 * and at 2^28 blocks, 50% exact (last level misses added; measured
 * before the branch-free chunk_scan, which changes its alloc little):
 *               alloc  225 / 544,   0.04 / 0.11,  1.5 / 3.0,  LL 0.01 / 0.09
 *               free   216 / 390,   3.11 / 2.84,  1.2 / 1.3,  LL 0.61 / 1.62
 * (huge pages change none of these: callgrind has no TLB).
 * A random free costs one miss to the last level cache on its bitmap
 * word on either side (the bitmap, 2 MiB here, outgrows L2; FreeBSD's
 * leaves, 4 MiB, too), and that latency is most of a free: it bounds how
 * far below FreeBSD's a free can go, whatever the instructions around it.
 *
 * Tried and left out, per operation (callgrind):
 *  - inner_run() without a branch, word by word (runs found by binary
 *    lifting): 90% exact alloc 1442 -> 1638 instructions, 12.9 -> 9.4
 *    mispredicts; with the span test kept in front, 1551 and 11.0.  At
 *    about 15 cycles a mispredict, no gain.  Kept instead: the lifting
 *    done once for all eight words, two per SSE2 register
 *    (longest_in_words()): 1285 -> 1373 instructions, 12.1 -> 8.1
 *    mispredicts, and the quick driver's 90% exact ratio, alternated with
 *    the version before on a busy machine, 0.25 -> 0.21.
 *  - l1_combine() without a branch, unrolled over its eight chunks: 90%
 *    exact alloc 1373 -> 1440 instructions, node_combine's mispredicts
 *    1.03 -> 0.60 per allocation.
 *  - find_right() and descend() reading each level's entries without the
 *    format switch (the switch hoisted out of the sibling loop): 1285 ->
 *    1344 instructions, mispredicts unchanged: they are the loop's exits
 *    (which sibling holds the run), not the switch.
 *  - take_chunk() taking the run's ends from the two word pairs around it
 *    with selects: 50% alloc 370 -> 398, 2.40 -> 2.03; 90% exact 1442 ->
 *    1475, 12.9 -> 13.9.
 *  - the free's fast path widened to the neighbouring words in the chunk
 *    with selects (86% of frees take it instead of 58%): 50% free 251 ->
 *    278, 1.31 -> 0.75; 90% exact free 228 -> 271, 1.43 -> 1.35.
 *  - chunk_scan() in two passes, the runs across words without a branch,
 *    then inside words only where run_starts() shows one longer than the
 *    longest so far (walked by inner_run(), or lengthened a block at a
 *    time): 90% exact alloc 1290 -> 1487 and 1521 instructions, 12.4 ->
 *    10.6 and 10.9 mispredicts; 50% 225 -> 245, 1.45 -> 1.22.  The
 *    prefilter costs more than the walk's mispredicts.
 *  - every free in one chunk finding its run by the branch-free scan of
 *    the chunk's eight words: 50% free 251 -> 345, 1.31 -> 0.59, and 1.5
 *    times the time (see above: the scan waits on the miss).
 *  - the free's test of allocated blocks on both sides (lo && hi) made
 *    one branch on a kept value (setne, and, one jump): 50% free
 *    mispredicts 1.11 -> 1.26; the two jumps are each better predicted
 *    than their AND.
 *  - the free's slow exits through one give_small(b, start, n) taking the
 *    caller's arguments as they are (so the fast path would keep nothing
 *    alive for them): still six registers saved, 50% free 211.2 -> 212.8
 *    instructions, 1.04 -> 1.25 mispredicts (chunk_run_free()'s first
 *    loop: 5.2k -> 17.3k per 65536 frees).
 *  - prefetching the chunk's and the level-1 entry's lines when a free
 *    starts: their addresses do not depend on the bits, so their loads
 *    start with the bitmap's anyway; no change measured.
 *  - chunk_scan()'s loop over the words without a branch (a free word
 *    lengthens the run, any other ends it; selects for head and inner):
 *    its mispredicts at 50% 17.1k -> 4.2k per 65536 pairs, but 50% alloc
 *    236 -> 247 instructions (1.05 -> 0.84 mispredicts), 90% exact 1389
 *    -> 1505 (8.1 -> 7.3), and the quick driver's 50% alloc ratio, three
 *    runs each on a busy machine, 0.52-0.62 against 0.53-0.58 before.
 *  - chunk_find_small() in descend() too: 90% exact 1389 -> 1472
 *    instructions, 8.1 -> 8.0 mispredicts.
 *  - find_right() and descend() testing the eight siblings of a group at
 *    once without a branch (a mask of those where the previous sibling's
 *    tail and the head, the tail or the inner value reach count, for
 *    count < 64 on the chunk and packed levels; then ctz), one branch per
 *    level instead of one exit per sibling: 90% exact alloc 1389 -> 1703
 *    instructions, 8.1 -> 6.6 mispredicts (find_right() and descend()
 *    365 -> 680, 3.7 -> 2.2); in descend() alone 1453 and 7.2, in
 *    find_right() alone 1636 and 7.8.  Quick driver's 90% exact ratio,
 *    alternated with the unchanged build on a busy machine: both 0.224-
 *    0.256 against 0.198-0.220, descend() alone median 0.213 against
 *    0.206.  Computing all eight costs more than the exits it saves.
 *  - p64_combine()'s loop unrolled too (as chunk_scan()'s and
 *    l1_combine()'s, below): 90% exact 1345 -> 1325 instructions but
 *    7.42 -> 8.01 mispredicts.
 * Kept: chunk_scan()'s and l1_combine()'s loops over their eight words or
 * chunks unrolled (#pragma GCC unroll 8), which drops their loop counters
 * and the exit each call mispredicted in callgrind's model (a predictor
 * with history may have predicted it anyway): 90% exact alloc 1389 ->
 * 1345 instructions, 8.1 -> 7.4 mispredicts; 50% 236 -> 235 and 1.05 ->
 * 0.97; 90% flex 232 -> 231.  Quick driver alternated with the build
 * before, five pairs each on a busy machine: 90% exact median 0.208
 * against 0.211, 50% alloc 0.506 against 0.627 (both noisy).
 * Kept too: the pending chunk's and level-1 entry's flushes on code of
 * their own (flush_chunk(), flush_l1(), reached through defer_chunk() and
 * defer_l1()), calling l1_combine() directly, where one flush_level()
 * for every level tested which level it was on (node_combine()'s level-1
 * test mispredicted 0.33 times per allocation, alternating between
 * levels 1 and 2): 90% exact alloc 1345 -> 1298 instructions, 7.4 ->
 * 6.7 mispredicts; 50% 235 -> 232, 0.97 -> 0.99; the quick driver
 * alternated with the build before, five pairs on a busy machine: 90%
 * exact median 0.201 -> 0.189, 50% alloc (four pairs) 0.586 -> 0.543.
 * Both together, the full driver alternated with main's build before
 * them, two pairs on a busy machine: 90% exact 0.191, 0.175 -> 0.150,
 * 0.162; 50% alloc 0.754, 0.601 -> 0.593, 0.552; 90% flex 0.588, 0.612
 * -> 0.496, 0.476; 2^28 alloc 0.483, 0.502 -> 0.492, 0.494 (frees, whose
 * code and counts are unchanged, within the noise: 50% 0.773, 0.670 ->
 * 0.769, 0.951; 2^28 0.754, 0.675 -> 0.730, 0.758).
 * Huge pages are not what is left at 2^28: there the bitmap and the chunk
 * entries are on them (28 of 32 MiB and 2 of 2 MiB in AnonHugePages
 * during a run), FreeBSD's leaves are not (calloc); the driver run with
 * glibc.malloc.hugetlb=1 (FreeBSD's leaves and the driver's table on huge
 * pages) gave free 0.90 against 0.94 without, both faster by 50 ns.
 * Kept: on processors with AVX2 (the choice made once, at load, from
 * the CPU's flags), longest_in_words() four words a register instead of
 * two (longest_in_words_avx2(), a call out of chunk_scan()): half the
 * vector operations, the lifting 348 -> 113 instructions per rescan.
 * 90% exact alloc 1298 -> 1180 instructions per allocation, D1 misses
 * 1.467 -> 1.468, mispredicts 7.39 -> 6.79 in these two builds (within
 * the layout noise above); free 200.4 -> 199.8 (callgrind, driver -A ours
 * -w 1 -o 65536 b90x; valgrind runs the AVX2 code); 50% alloc 232.3 ->
 * 222.8 instructions, 0.98 -> 0.97 mispredicts, free 203.6 -> 201.9.  The time hardly
 * moves: the lifting is a chain of six dependent steps (test, shift
 * count back to a register), as long as before, and what it saves is issue slots: the full driver's
 * 90% exact ratio, six pairs alternated with the build before on a busy
 * machine (load 10-12), median 0.166 (0.158-0.170) against 0.168
 * (0.154-0.171), each lower in three pairs; the quick driver, five pairs
 * with main's build, 0.197 against 0.199.
 * Elsewhere, and with -DBLIST_NO_AVX2, the SSE2 version runs.
 * Tried and left out: the lifting bounded by the pending chunk's old
 * inner value (a chunk's inner value only drops while it is pending, so
 * the steps for the bits above its bit length can be skipped; in the
 * aged 90% map that is 3% bit length 3 or less, 12% 4, 67% 5, 22% 6):
 * the steps from that bit length on through a switch, 1298 -> 1269
 * instructions, mispredicts 7.39 -> 7.47 (the conditional ones 0.25
 * fewer, but half of the switch's 0.66 indirect jumps per allocation
 * mispredicted); only the top step skipped (one test), 1298 -> 1275 and
 * 7.39 -> 7.48.  Both measured on the SSE2 version.
 * At 90% exact most of an allocation is structural (these counts are
 * from before the AVX2 search and flush below: 1180 instructions and 6.8
 * mispredicts per allocation then, 1002.5 and 4.2 after): per allocation 0.66
 * chunk rescans (367 instructions and 1.5 mispredicts per allocation in
 * all before the AVX2 lifting, 234 and 0.8 with it, and 98.6% of them do lower the chunk's inner value, so a count of
 * longest runs would save none), 0.69 node recombines above them (190
 * and 1.0; 0.42 at level 1), and the search (find_right() and descend(),
 * 365 and 3.7, and the cursor's chunk in swapctl_blist_alloc(), 297 and
 * 1.2: the cursor's chunk, then the climb and a descent into another).
 * Going below that needs summaries allowed to overstate everywhere
 * (repaired when the search trips on them), with a free path that keeps
 * an inner value an upper bound, instead of rescans when the cursor
 * leaves an entry.
 * Kept (AVX2, chosen at load as above): descend()'s search of the chunk
 * it reaches, read from its start (4.3 words a search at 90%), for count
 * up to 32 done on the eight words at once by chunk_first_avx2():
 * run_starts() on every word, and on windows of 64 bits centred on the
 * seven boundaries for the runs crossing them, then one branch where
 * the word loop's exits mispredicted.  90% exact alloc 1180.2 -> 1133.2
 * instructions, 6.79 -> 6.10 mispredicts; 50% 222.8 -> 224.0, 0.97 ->
 * 0.93 (callgrind, driver -A ours -w 1 -o 65536 b90x and a50).
 * Kept: the eight chunk entries under a level-1 entry tested at once
 * (chunks_first_avx2(): one load; the head with the tail before it, the
 * tail and the inner value compared as stored; a fully free chunk always
 * matches, so the run before a chunk is its neighbour's tail), in
 * find_right()'s first level and descend()'s last, for count < 64.  The
 * scalar mask above cost about 20 instructions an entry, this about 25
 * for the eight: 90% exact 1133.2 -> 1137.1 instructions, 6.10 -> 5.23
 * mispredicts, D1 misses 1.468 -> 1.358; 50% 224.0 -> 227.0, 0.93 ->
 * 0.95.
 * Kept: the flushes' recombines on AVX2 when no child is wholly free
 * (l1_combine_avx2(), p64_combine_avx2(): the head is the first child's,
 * the tail the last's, the inner value the largest of the children's and
 * of each tail plus the next head, eight lanes and a horizontal maximum;
 * a free child chains runs across children and takes the loop).  90%
 * exact 1137.1 -> 1054.1 instructions, 5.23 -> 5.32 mispredicts (within
 * the layout noise); 50% 227.0 -> 226.2, 0.95 -> 0.96.  The free path's
 * recombines are unchanged.
 * Kept: the flush's chunk rescan without a branch on the bits
 * (chunk_scan_avx2(), which needs BMI and LZCNT too, their counts being
 * defined for a zero word), when no wholly free word lies between the
 * first and the last allocated block (else chunk_scan()): head and tail
 * from the first and last non-zero words, the runs across boundaries
 * from the neighbours' lzcnt and tzcnt, the runs inside words as the
 * free bits between each word's lowest and highest allocated ones (the
 * eight at once), measured by the AVX2 lifting; chunk_scan()'s test of a
 * wholly allocated word mispredicted 0.78 times per allocation at 90%.
 * 90% exact 1054.1 -> 1002.5 instructions, 5.32 -> 4.19 mispredicts; 50%
 * 226.2 -> 223.6, 0.96 -> 0.82.  The four together: 90% exact 1180.2 ->
 * 1002.5 and 6.79 -> 4.19, 50% 222.8 -> 223.6 and 0.97 -> 0.82, 90% flex
 * 228.4 -> 232.5 and 0.34 -> 0.35; frees unchanged.  In time (the full
 * driver's ratios to FreeBSD's, pairs alternated with main's build, two
 * cores shared with other jobs, load 2-6): 90% exact 0.161, 0.156, 0.169,
 * 0.169, 0.165, 0.162, 0.151, 0.152, 0.161 -> 0.122, 0.149, 0.133, 0.151,
 * 0.142, 0.128, 0.124, 0.122, 0.122 (median 0.161 -> 0.128, lower in
 * every pair); 50% alloc 0.526, 0.541, 0.667 -> 0.470, 0.529, 0.530; 2^28
 * alloc 0.457, 0.448, 0.452 -> 0.438, 0.437, 0.448; 90% flex 0.557,
 * 0.557, 0.473 -> 0.577, 0.575, 0.579, and in six more pairs of that
 * workload alone median 0.538 -> 0.563 (higher in five): not settled
 * whether that is the 4 instructions, where the code lands, or the
 * machine (the same pairs with the first commit alone, 1.1 instructions,
 * went either way).
 * Tried and left out:
 *  - skipping the cursor's chunk when its summary (the head after the
 *    cursor, the tail, the inner value: an upper bound in the pending
 *    chunk) shows no run of count: 42% of allocations find no room there
 *    and the summary tells 38% of those (the pending chunk's old inner
 *    value hides the rest).  Tested before the first word: 90% exact
 *    1180.2 -> 1147.5 instructions, 6.79 -> 6.68 mispredicts, but 50%
 *    222.8 -> 250.1; after it (on all the above): 90% 1003.8 -> 986.5,
 *    4.49 -> 4.54, 50% 223.7 -> 236.8.
 *  - the cursor's chunk searched by chunk_first_avx2() from the cursor:
 *    90% exact 1147.5 -> 1122.1, 6.68 -> 6.62; 50% 250.1 -> 326.8 (0.97
 *    -> 0.46 mispredicts): at 50% the first word nearly always has it.
 *  - chunk_first_avx2() for count 2..32 only (one block by the loop):
 *    90% flex 232.5 -> 231.6 instructions.
 *  - the same group test on the packed 64-bit levels (find_right()'s
 *    levels 1 and up, descend()'s above the last; fields narrowed to
 *    32-bit lanes): 90% exact 1002.5 -> 1027.3 instructions, 4.19 -> 3.73
 *    mispredicts, D1 misses 1.359 -> 1.285; with the carry chosen without
 *    a branch in both group tests, 1050.4 and 3.05 (50% 223.6 -> 224.8).
 *    The full driver's 90% exact ratio, five pairs alternated with the
 *    build without it (load 2-4): 0.130, 0.140, 0.134, 0.128, 0.127
 *    against 0.123, 0.139, 0.134, 0.125, 0.123: the instructions cost more
 *    than the mispredicts they save.
 *
 * Cost, with h the number of levels (6 at 2^24 blocks, 12 at 2^40):
 *   alloc    O(1) to fail; to find, a few words near the cursor, else
 *            O(8h) entries; to update, O(1) per level changed, plus a
 *            rescan of each entry the cursor leaves after taking from its
 *            inner runs (a chunk's 8 words, a node's 8 entries)
 *   free     O(n/64) to check and clear the bits, then O(1) per level
 *            changed, a rescan where the longest inner run joins an end
 *   fill     O(n/64 + h)
 *   avail    O(1)
 *   stats    O(runs * h), next_free O(h)
 *   resize   proportional to the allocated part of the map
 *   check    O(nblocks / 64)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#if defined(__x86_64__) && !defined(BLIST_NO_AVX2)
#include <immintrin.h>
#endif
#include "internal.h"
#include "freestats.h"

#define CHUNK_SHIFT     9
#define CHUNK_BLOCKS    (UINT64_C(1) << CHUNK_SHIFT)
#define CHUNK_WORDS     (CHUNK_BLOCKS / 64)
#define L1_FSHIFT       3               /* chunks per level-1 entry */
#define LK_FSHIFT       3               /* entries per entry above */
#define MAX_LEVELS      24
#define BLIST_MAX       (UINT64_C(1) << 56)
#define NONE            UINT64_MAX
#define MAP_THRESHOLD   ((size_t)1 << 20)
#define HUGE_PAGE       ((size_t)2 << 20)
#define HUGE_MAX        ((size_t)64 << 20)      /* maps up to this get huge pages */

enum fmt { FMT32, FMT64, FMTWIDE };

struct sum {
	uint64_t h, t;                  /* free run at the start, at the end */
	uint64_t i;                     /* longest free run touching neither */
};

struct level {
	void *a;                        /* the entries */
	uint64_t n;                     /* entries allocated (with padding) */
	uint64_t nreal;                 /* entries with children below */
	size_t bytes;
	bool mapped;                    /* mmap'd rather than calloc'd */
	unsigned shift;                 /* log2 of the blocks an entry covers */
	unsigned fshift;                /* log2 of the children per entry */
	enum fmt fmt;
};

struct swapctl_blist {
	uint64_t nblocks;
	uint64_t avail;
	uint64_t cursor;
	uint64_t dirty[MAX_LEVELS];     /* per level: entry whose inner may be too high */
	unsigned ndirty;                /* how many of them are set */
	uint64_t *map;                  /* bit set = allocated */
	uint64_t nwords;
	size_t mapbytes;
	bool map_mapped;
	unsigned nlevels;
	unsigned npacked;               /* levels 1 .. npacked-1 are FMT64 */
	struct level lv[MAX_LEVELS];
};

/* ------------------------------------------------------------ memory */

/*
 * An array of at least a huge page, in a map whose arrays total at most
 * HUGE_MAX: aligned to a huge page (one more is mapped, both ends
 * trimmed) and advised to use them.  Larger maps may be used sparsely and
 * keep small pages (see the design note).
 */
static void *arr_alloc_huge(size_t bytes)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE), len = bytes + HUGE_PAGE, slack;
	char *q = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (q == MAP_FAILED)
		return NULL;
	slack = (HUGE_PAGE - ((uintptr_t)q & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
	if (slack)
		munmap(q, slack);
	len -= slack;
	q += slack;
	bytes = (bytes + page - 1) & ~(page - 1);
	if (len > bytes)
		munmap(q + bytes, len - bytes);
	(void)madvise(q, bytes, MADV_HUGEPAGE);        /* advice: it works without */
	return q;
}

static void *arr_alloc(size_t bytes, bool huge, bool *mapped)
{
	void *p;

	if (huge && bytes >= HUGE_PAGE) {
		*mapped = true;
		return arr_alloc_huge(bytes);
	}
	if (bytes >= MAP_THRESHOLD) {
		p = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		*mapped = true;
		return p == MAP_FAILED ? NULL : p;
	}
	*mapped = false;
	return calloc(1, bytes ? bytes : 1);
}

static void arr_free(void *p, size_t bytes, bool mapped)
{
	if (!p)
		return;
	if (mapped)
		munmap(p, bytes);
	else
		free(p);
}

/* ------------------------------------------------------------ entries */

#define M10 UINT64_C(0x3ff)
#define M21 UINT64_C(0x1fffff)

static inline uint64_t span_of(const struct level *l)
{
	return UINT64_C(1) << l->shift;
}

static inline uint64_t max2(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The longest free run under an entry. */
static inline uint64_t smax(struct sum s)
{
	return max2(max2(s.h, s.t), s.i);
}

static inline struct sum chunk_get(const struct swapctl_blist *b, uint64_t c)
{
	uint32_t x = ((const uint32_t *)b->lv[0].a)[c];
	struct sum s = {
		CHUNK_BLOCKS - (x & M10),
		CHUNK_BLOCKS - ((x >> 10) & M10),
		x >> 20,
	};
	return s;
}

static inline bool chunk_put(const struct swapctl_blist *b, uint64_t c, struct sum s)
{
	uint32_t *p = (uint32_t *)b->lv[0].a + c;
	uint32_t x = (uint32_t)((CHUNK_BLOCKS - s.h) | (CHUNK_BLOCKS - s.t) << 10 | s.i << 20);

	if (*p == x)
		return false;
	*p = x;
	return true;
}

static inline struct sum lv_get(const struct level *l, uint64_t i)
{
	uint64_t span = span_of(l);
	struct sum s;

	switch (l->fmt) {
	case FMT32: {
		uint32_t x = ((const uint32_t *)l->a)[i];
		s.h = span - (x & M10);
		s.t = span - ((x >> 10) & M10);
		s.i = x >> 20;
		break;
	}
	case FMT64: {
		uint64_t x = ((const uint64_t *)l->a)[i];
		s.h = span - (x & M21);
		s.t = span - ((x >> 21) & M21);
		s.i = x >> 42;
		break;
	}
	default: {
		const struct sum *w = (const struct sum *)l->a + i;
		s.h = span - w->h;
		s.t = span - w->t;
		s.i = w->i;
		break;
	}
	}
	return s;
}

/* Store s; returns false when the entry already held it. */
static inline bool lv_put(const struct level *l, uint64_t i, struct sum s)
{
	uint64_t span = span_of(l);

	switch (l->fmt) {
	case FMT32: {
		uint32_t *p = (uint32_t *)l->a + i;
		uint32_t x = (uint32_t)((span - s.h) | (span - s.t) << 10 | s.i << 20);
		if (*p == x)
			return false;
		*p = x;
		return true;
	}
	case FMT64: {
		uint64_t *p = (uint64_t *)l->a + i;
		uint64_t x = (span - s.h) | (span - s.t) << 21 | s.i << 42;
		if (*p == x)
			return false;
		*p = x;
		return true;
	}
	default: {
		struct sum *w = (struct sum *)l->a + i;
		struct sum x = { span - s.h, span - s.t, s.i };
		if (w->h == x.h && w->t == x.t && w->i == x.i)
			return false;
		*w = x;
		return true;
	}
	}
}

/* Stored as all zeroes: fully free. */
static inline bool lv_is_free(const struct level *l, uint64_t i)
{
	switch (l->fmt) {
	case FMT32: return ((const uint32_t *)l->a)[i] == 0;
	case FMT64: return ((const uint64_t *)l->a)[i] == 0;
	default: {
		const struct sum *w = (const struct sum *)l->a + i;
		return (w->h | w->t | w->i) == 0;
	}
	}
}

static const struct sum SUM_NONE = { 0, 0, 0 };

static inline bool sum_eq(struct sum a, struct sum b)
{
	return a.h == b.h && a.t == b.t && a.i == b.i;
}

/* ------------------------------------------------------------ bits */

/* Free blocks from pos on, not reaching hi. */
static uint64_t free_after(const uint64_t *map, uint64_t pos, uint64_t hi)
{
	uint64_t n = 0;

	while (pos < hi) {
		unsigned bit = pos & 63;
		uint64_t y = map[pos >> 6] >> bit;
		uint64_t z = y ? (uint64_t)__builtin_ctzll(y) : 64u - bit;

		if (z > hi - pos)
			z = hi - pos;
		n += z;
		pos += z;
		if (y)
			break;
	}
	return n;
}

static inline uint64_t lomask(unsigned bit)     /* bits below bit, 0..63 */
{
	return (UINT64_C(1) << bit) - 1;
}

/* Mask of the bits of word w inside [lo, hi). */
static inline uint64_t word_mask(uint64_t w, uint64_t lo, uint64_t hi)
{
	uint64_t ws = w << 6, m = ~UINT64_C(0);

	if (lo > ws)
		m &= ~lomask((unsigned)(lo - ws));
	if (hi < ws + 64)
		m &= lomask((unsigned)(hi - ws));
	return m;
}

static inline void bits_set(uint64_t *map, uint64_t lo, uint64_t hi)
{
	uint64_t w0 = lo >> 6, w1 = (hi - 1) >> 6, w;

	if (w0 == w1) {
		map[w0] |= (~UINT64_C(0) >> (64 - (hi - lo))) << (lo & 63);
		return;
	}
	map[w0] |= word_mask(w0, lo, hi);
	for (w = w0 + 1; w < w1; w++)
		map[w] = ~UINT64_C(0);
	map[w1] |= word_mask(w1, lo, hi);
}

static inline void bits_clear(uint64_t *map, uint64_t lo, uint64_t hi)
{
	uint64_t w0 = lo >> 6, w1 = (hi - 1) >> 6, w;

	if (w0 == w1) {
		map[w0] &= ~((~UINT64_C(0) >> (64 - (hi - lo))) << (lo & 63));
		return;
	}
	map[w0] &= ~word_mask(w0, lo, hi);
	for (w = w0 + 1; w < w1; w++)
		map[w] = 0;
	map[w1] &= ~word_mask(w1, lo, hi);
}

/* Is every block of [lo, hi) allocated? */
static bool bits_all_set(const uint64_t *map, uint64_t lo, uint64_t hi)
{
	uint64_t w0 = lo >> 6, w1 = (hi - 1) >> 6, w, m;

	for (w = w0; w <= w1; w++) {
		m = (w == w0 || w == w1) ? word_mask(w, lo, hi) : ~UINT64_C(0);
		if ((map[w] & m) != m)
			return false;
	}
	return true;
}

static uint64_t bits_count_free(const uint64_t *map, uint64_t lo, uint64_t hi)
{
	uint64_t w0 = lo >> 6, w1 = (hi - 1) >> 6, w, m, n = 0;

	for (w = w0; w <= w1; w++) {
		m = (w == w0 || w == w1) ? word_mask(w, lo, hi) : ~UINT64_C(0);
		n += (uint64_t)__builtin_popcountll(~map[w] & m);
	}
	return n;
}

/* ------------------------------------------------------------ summaries */

/* Two words, one SSE2 register (GCC's vector extension). */
typedef uint64_t v2u __attribute__((vector_size(16)));

/*
 * Longest run of ones in any of the 8 words, for all of them at once and
 * without a branch on their bits: p[j] marks where runs of at least 2^j
 * start; the length is built from the top bit down, a bit kept when in
 * some word a run that long starts right after one of the length so far
 * (binary lifting, one length shared by the 8 words).  A loop over the
 * runs word by word mispredicted its exit 3.5 times per allocation at 90%.
 */
static inline uint64_t longest_in_words(const uint64_t *x8)
{
	v2u p[6][4], cur[4];
	uint64_t ans = 0;
	int i, j;

#pragma GCC unroll 4
	for (i = 0; i < 4; i++) {
		p[0][i] = (v2u){ x8[2 * i], x8[2 * i + 1] };
		cur[i] = ~(v2u){ 0, 0 };
	}
#pragma GCC unroll 5
	for (j = 1; j < 6; j++)
#pragma GCC unroll 4
		for (i = 0; i < 4; i++)
			p[j][i] = p[j - 1][i] & (p[j - 1][i] >> (1 << (j - 1)));
#pragma GCC unroll 6
	for (j = 5; j >= 0; j--) {
		v2u t[4], any, m;
		uint64_t take;

#pragma GCC unroll 4
		for (i = 0; i < 4; i++)
			t[i] = cur[i] & (p[j][i] >> ans);
		any = t[0] | t[1] | t[2] | t[3];
		take = (any[0] | any[1]) != 0;
		m = (v2u){ 0, 0 } + (take - 1);  /* t is all zero when not taken */
#pragma GCC unroll 4
		for (i = 0; i < 4; i++)
			cur[i] = t[i] | (cur[i] & m);
		ans += take << j;
	}
	return ans;
}

#if defined(__x86_64__) && !defined(BLIST_NO_AVX2) && (defined(__GNUC__) || defined(__clang__))
#define LIW_AVX2 1
/* Four words, one AVX2 register. */
typedef uint64_t v4u __attribute__((vector_size(32)));

/*
 * longest_in_words() four words a register, on processors with AVX2: half
 * the vector operations of the SSE2 version, chosen at run time.
 */
static inline __attribute__((target("avx2"), always_inline)) uint64_t liw_avx2_core(v4u a, v4u b)
{
	v4u p[6][2], cur[2], t[2], m;
	uint64_t ans = 0, take;
	int j;

	p[0][0] = a;
	p[0][1] = b;
	cur[0] = cur[1] = ~(v4u){ 0, 0, 0, 0 };
#pragma GCC unroll 5
	for (j = 1; j < 6; j++) {
		p[j][0] = p[j - 1][0] & (p[j - 1][0] >> (1 << (j - 1)));
		p[j][1] = p[j - 1][1] & (p[j - 1][1] >> (1 << (j - 1)));
	}
#pragma GCC unroll 6
	for (j = 5; j >= 0; j--) {
		t[0] = cur[0] & (p[j][0] >> ans);
		t[1] = cur[1] & (p[j][1] >> ans);
		m = t[0] | t[1];
		take = !_mm256_testz_si256((__m256i)m, (__m256i)m);
		m = (v4u){ 0, 0, 0, 0 } + (take - 1);   /* t is all zero when not taken */
		cur[0] = t[0] | (cur[0] & m);
		cur[1] = t[1] | (cur[1] & m);
		ans += take << j;
	}
	return ans;
}

static __attribute__((target("avx2"), noinline)) uint64_t longest_in_words_avx2(const uint64_t *x8)
{
	return liw_avx2_core((v4u){ x8[0], x8[1], x8[2], x8[3] }, (v4u){ x8[4], x8[5], x8[6], x8[7] });
}

static bool liw_avx2, scan_avx2;

static __attribute__((constructor)) void liw_init(void)
{
	__builtin_cpu_init();
	liw_avx2 = __builtin_cpu_supports("avx2");
	scan_avx2 = liw_avx2 && __builtin_cpu_supports("bmi") && __builtin_cpu_supports("lzcnt");
}
#endif

/*
 * Summary of a chunk from its eight words: the runs across words in a loop
 * over them, the runs inside words (bit 0 and 63 allocated or cut off) all
 * at once by longest_in_words(), without a branch on their bits.
 */
static struct sum chunk_scan(const uint64_t *w8)
{
	uint64_t run = 0, inner = 0, head = 0, mid[CHUNK_WORDS], anymid = 0;
	bool have_head = false;
	unsigned k;
	struct sum s;

#pragma GCC unroll 8
	for (k = 0; k < CHUNK_WORDS; k++) {
		uint64_t w = w8[k];
		unsigned lo, hi;

		mid[k] = 0;
		if (w == 0) {
			run += 64;
			continue;
		}
		if (w == ~UINT64_C(0)) {
			if (!have_head) {
				head = run;
				have_head = true;
			} else if (run > inner) {
				inner = run;
			}
			run = 0;
			continue;
		}
		lo = (unsigned)__builtin_ctzll(w);
		hi = (unsigned)__builtin_clzll(w);
		run += lo;
		if (!have_head) {
			head = run;
			have_head = true;
		} else if (run > inner) {
			inner = run;
		}
		mid[k] = ~w & ~lomask(lo) & (~UINT64_C(0) >> hi);
		anymid |= mid[k];
		run = hi;
	}
	if (!have_head) {
		s.h = s.t = CHUNK_BLOCKS;
		s.i = 0;
		return s;
	}
	s.h = head;
	s.t = run;
	s.i = inner;
	if (anymid)             /* runs inside words: rare when it is mostly free */
#ifdef LIW_AVX2
		s.i = max2(inner, liw_avx2 ? longest_in_words_avx2(mid) : longest_in_words(mid));
#else
		s.i = max2(inner, longest_in_words(mid));
#endif
	return s;
}

#ifdef LIW_AVX2
/*
 * chunk_scan() without a branch on the bits, on processors with AVX2, BMI
 * and LZCNT (whose counts are defined for a zero word), when no wholly
 * free word lies between the first and the last allocated block (at 90%
 * full, nearly always; otherwise chunk_scan()).  Head and tail follow from
 * the first and last non-zero words; a run across a boundary is the free
 * top of one word and the free bottom of the next; the runs inside words
 * are the free bits between each word's lowest and highest allocated ones
 * (found for all eight words at once), measured by longest_in_words().
 * The rescan of the chunk the cursor leaves: chunk_scan()'s test of a
 * wholly allocated word mispredicted 0.78 times per allocation at 90%.
 */
static __attribute__((target("avx2,bmi,lzcnt"), noinline)) struct sum chunk_scan_avx2(const uint64_t *w8)
{
	v4u w0, w1, s0, s1, m0, m1;
	uint64_t inner = 0;
	unsigned z, k0, k1, j;
	struct sum r;

	memcpy(&w0, w8, sizeof(w0));
	memcpy(&w1, w8 + 4, sizeof(w1));
	z = (unsigned)_mm256_movemask_pd((__m256d)(w0 == 0)) |
	    (unsigned)_mm256_movemask_pd((__m256d)(w1 == 0)) << 4;
	if (z == 0xff) {
		r.h = r.t = CHUNK_BLOCKS;
		r.i = 0;
		return r;
	}
	k0 = (unsigned)__builtin_ctz(~z);
	k1 = 31 - (unsigned)__builtin_clz(~z & 0xff);
	if ((z >> k0) & ((1u << (k1 - k0)) - 1))
		return chunk_scan(w8);
	r.h = k0 * 64 + _tzcnt_u64(w8[k0]);
	r.t = (7 - k1) * 64 + _lzcnt_u64(w8[k1]);
	/* across each boundary, when both words have allocated blocks */
#pragma GCC unroll 7
	for (j = 1; j < CHUNK_WORDS; j++) {
		uint64_t l = _lzcnt_u64(w8[j - 1]), t = _tzcnt_u64(w8[j]);
		uint64_t c = (l + t) & (((l | t) >> 6) - 1);

		inner = c > inner ? c : inner;
	}
	/* inside words: free bits above the lowest allocated, below the highest */
	s0 = w0 | w0 >> 1;
	s1 = w1 | w1 >> 1;
	s0 |= s0 >> 2;
	s1 |= s1 >> 2;
	s0 |= s0 >> 4;
	s1 |= s1 >> 4;
	s0 |= s0 >> 8;
	s1 |= s1 >> 8;
	s0 |= s0 >> 16;
	s1 |= s1 >> 16;
	s0 |= s0 >> 32;
	s1 |= s1 >> 32;
	m0 = ~w0 & (0 - (w0 & (0 - w0))) & s0;
	m1 = ~w1 & (0 - (w1 & (0 - w1))) & s1;
	if (!_mm256_testz_si256((__m256i)(m0 | m1), (__m256i)(m0 | m1)))
		inner = max2(inner, liw_avx2_core(m0, m1));
	r.i = inner;
	return r;
}
#endif

/* Where entry i of a level ends: at its span, or at the last block. */
static inline uint64_t ent_end(const struct swapctl_blist *b, const struct level *l, uint64_t i)
{
	uint64_t e = (i + 1) << l->shift;

	return e < b->nblocks ? e : b->nblocks;
}

/*
 * Summary of chunk c.  Entries holding the last block end there: the free
 * run up to the last block is their tail, not an inner run, so that
 * allocating from the start of the final free run (next fit on a fresh
 * map) stays an O(1) update per level instead of a rescan.
 */
static struct sum chunk_sum(const struct swapctl_blist *b, uint64_t c)
{
	uint64_t cs = c << CHUNK_SHIFT, tmp[CHUNK_WORDS], nbits;
	struct sum s;

	if (cs + CHUNK_BLOCKS <= b->nblocks || cs >= b->nblocks)
		return chunk_scan(b->map + c * CHUNK_WORDS);
	nbits = b->nblocks - cs;
	memcpy(tmp, b->map + c * CHUNK_WORDS, sizeof(tmp));
	bits_clear(tmp, nbits, CHUNK_BLOCKS);   /* as if free to the end ... */
	s = chunk_scan(tmp);
	if (s.h == CHUNK_BLOCKS) {              /* ... then cut back */
		s.h = s.t = nbits;
		s.i = 0;
	} else {
		s.t -= CHUNK_BLOCKS - nbits;
	}
	return s;
}

/* Summary of level-1 entry i from its chunks (the common combine). */
static struct sum l1_combine(const struct swapctl_blist *b, uint64_t i)
{
	const uint32_t *ce = (const uint32_t *)b->lv[0].a + (i << L1_FSHIFT);
	uint64_t run = 0, inner = 0, head = 0;
	bool have_head = false;
	unsigned j;
	struct sum r;

#pragma GCC unroll 8
	for (j = 0; j < (1u << L1_FSHIFT); j++) {
		uint32_t x = ce[j];

		if (x == 0) {
			run += CHUNK_BLOCKS;
			continue;
		}
		run += CHUNK_BLOCKS - (x & M10);
		if (!have_head) {
			head = run;
			have_head = true;
		} else if (run > inner) {
			inner = run;
		}
		if (x >> 20 > inner)
			inner = x >> 20;
		run = CHUNK_BLOCKS - ((x >> 10) & M10);
	}
	if (!have_head) {
		r.h = r.t = CHUNK_BLOCKS << L1_FSHIFT;
		r.i = 0;
		return r;
	}
	r.h = head;
	r.t = run;
	r.i = inner;
	return r;
}

#ifdef LIW_AVX2
typedef int32_t v8i __attribute__((vector_size(32)));

static struct sum p64_combine(const struct swapctl_blist *b, unsigned k, uint64_t i);

/*
 * l1_combine() on processors with AVX2, when none of the eight chunks is
 * wholly free (at 90% full, all but a few): then no run spans a chunk, the
 * head is the first chunk's, the tail the last's, and the inner value the
 * largest of the chunks' inner values and the runs across each boundary
 * (a tail and the next head), all eight at once.  Otherwise the loop.
 */
/* The inner value over eight entries of the given span, from their heads
 * and tails as stored (span less each) and their inner values: the
 * largest of the runs across neighbours (a tail and the next head; none
 * before the first) and the inner values. */
static inline __attribute__((target("avx2"), always_inline)) uint32_t inner8_avx2(v8i hs, v8i ts, v8i in, int span)
{
	const v8i prev = { 0, 0, 1, 2, 3, 4, 5, 6 }, notfirst = { 0, -1, -1, -1, -1, -1, -1, -1 };
	v8i m;
	__m128i q;

	m = (2 * span - ((v8i)_mm256_permutevar8x32_epi32((__m256i)ts, (__m256i)prev) + hs)) & notfirst;
	m = (v8i)_mm256_max_epi32((__m256i)m, (__m256i)in);
	q = _mm_max_epi32(_mm256_castsi256_si128((__m256i)m), _mm256_extracti128_si256((__m256i)m, 1));
	q = _mm_max_epi32(q, _mm_shuffle_epi32(q, 0x4e));
	q = _mm_max_epi32(q, _mm_shuffle_epi32(q, 0xb1));
	return (uint32_t)_mm_cvtsi128_si32(q);
}

static __attribute__((target("avx2"), noinline)) struct sum l1_combine_avx2(const struct swapctl_blist *b,
									   uint64_t i)
{
	const uint32_t *ce = (const uint32_t *)b->lv[0].a + (i << L1_FSHIFT);
	const int span = (int)CHUNK_BLOCKS;
	v8i x, hs, ts;
	struct sum r;

	memcpy(&x, ce, sizeof(x));
	if (!_mm256_testz_si256((__m256i)(x == 0), (__m256i)(x == 0)))
		return l1_combine(b, i);
	hs = x & (int)M10;
	ts = x >> 10 & (int)M10;
	/* across boundary j: tail of j - 1 plus head of j, both stored as span less */
	r.h = CHUNK_BLOCKS - (ce[0] & M10);
	r.t = CHUNK_BLOCKS - ((ce[7] >> 10) & M10);
	r.i = inner8_avx2(hs, ts, x >> 20 & 0xfff, span);
	return r;
}

/*
 * p64_combine() on processors with AVX2, as l1_combine_avx2(): the eight
 * children's fields (21 bits, span less head, span less tail, inner)
 * narrowed to 32-bit lanes, when none of them is wholly free.
 */
static __attribute__((target("avx2"), noinline)) struct sum p64_combine_avx2(const struct swapctl_blist *b,
									    unsigned k, uint64_t i)
{
	const struct level *c = &b->lv[k - 1];
	const uint64_t *ce = (const uint64_t *)c->a + (i << LK_FSHIFT);
	const v8i lo = { 0, 2, 4, 6, 0, 2, 4, 6 };
	const int span = (int)span_of(c);
	v4u x0, x1;
	v8i hs, ts, in;
	struct sum r;

	memcpy(&x0, ce, sizeof(x0));
	memcpy(&x1, ce + 4, sizeof(x1));
	if (!_mm256_testz_si256((__m256i)((x0 == 0) | (x1 == 0)), (__m256i)((x0 == 0) | (x1 == 0))))
		return p64_combine(b, k, i);
	/* low 32 bits of each lane, lanes 0-3 from x0, 4-7 from x1 */
#define NARROW(a, b_) (v8i)_mm256_blend_epi32(_mm256_permutevar8x32_epi32((__m256i)(a), (__m256i)lo), \
					      _mm256_permutevar8x32_epi32((__m256i)(b_), (__m256i)lo), 0xf0)
	hs = NARROW(x0 & M21, x1 & M21);
	ts = NARROW(x0 >> 21 & M21, x1 >> 21 & M21);
	in = NARROW(x0 >> 42, x1 >> 42);
#undef NARROW
	r.h = (uint64_t)span - (ce[0] & M21);
	r.t = (uint64_t)span - ((ce[7] >> 21) & M21);
	r.i = inner8_avx2(hs, ts, in, span);
	return r;
}
#endif

/* Summary of entry i of level k from children in the packed 64-bit format. */
static struct sum p64_combine(const struct swapctl_blist *b, unsigned k, uint64_t i)
{
	const struct level *c = &b->lv[k - 1];
	const uint64_t *ce = (const uint64_t *)c->a + (i << b->lv[k].fshift);
	uint64_t span = span_of(c), run = 0, inner = 0, head = 0;
	bool have_head = false;
	unsigned j, n = 1u << b->lv[k].fshift;
	struct sum r;

	for (j = 0; j < n; j++) {
		uint64_t x = ce[j];

		if (x == 0) {
			run += span;
			continue;
		}
		run += span - (x & M21);
		if (!have_head) {
			head = run;
			have_head = true;
		} else if (run > inner) {
			inner = run;
		}
		if (x >> 42 > inner)
			inner = x >> 42;
		run = span - ((x >> 21) & M21);
	}
	if (!have_head) {
		r.h = r.t = span << b->lv[k].fshift;
		r.i = 0;
		return r;
	}
	r.h = head;
	r.t = run;
	r.i = inner;
	return r;
}

/* Summary of entry i of level k >= 1 from its children. */
static struct sum node_combine(const struct swapctl_blist *b, unsigned k, uint64_t i)
{
	const struct level *c = &b->lv[k - 1];
	uint64_t span = span_of(c), first = i << b->lv[k].fshift;
	uint64_t nch = UINT64_C(1) << b->lv[k].fshift, j;
	uint64_t run = 0, inner = 0, head = 0;
	bool have_head = false;
	struct sum r;

	if (((i + 1) << b->lv[k].shift) <= b->nblocks) {
		if (k == 1 && b->lv[1].fshift == L1_FSHIFT)
			return l1_combine(b, i);
		if (c->fmt == FMT64)
			return p64_combine(b, k, i);
	} else {
		/* it holds the last block: only children up to it count */
		nch = ((b->nblocks - 1) >> c->shift) + 1 - first;
	}
	for (j = 0; j < nch; j++) {
		struct sum s = lv_get(c, first + j);
		uint64_t cspan = j + 1 < nch ? span : ent_end(b, c, first + j) - ((first + j) << c->shift);

		if (s.h == cspan) {
			run += cspan;
			continue;
		}
		run += s.h;
		if (!have_head) {
			head = run;
			have_head = true;
		} else if (run > inner) {
			inner = run;
		}
		if (s.i > inner)
			inner = s.i;
		run = s.t;
	}
	if (!have_head) {
		r.h = r.t = run;
		r.i = 0;
		return r;
	}
	r.h = head;
	r.t = run;
	r.i = inner;
	return r;
}

static struct sum entry_scan(const struct swapctl_blist *b, unsigned k, uint64_t i)
{
	return k ? node_combine(b, k, i) : chunk_sum(b, i);
}

/*
 * The blocks [lo, hi) changed: recompute the chunks and nodes over them,
 * level by level, stopping at the first level where nothing changed unless
 * 'full' (when entries above may not match their children yet).
 */
static void update_range(struct swapctl_blist *b, uint64_t lo, uint64_t hi, bool full)
{
	uint64_t i, i0, i1;
	unsigned k;
	bool changed = true;

	if (lo >= hi)
		return;
	for (k = 0; k < b->nlevels && (changed || full); k++) {
		changed = false;
		i0 = lo >> b->lv[k].shift;
		i1 = (hi - 1) >> b->lv[k].shift;
		for (i = i0; i <= i1; i++)
			changed |= lv_put(&b->lv[k], i, entry_scan(b, k, i));
	}
}

/*
 * Incremental updates after the blocks [s, e) changed.  [L, R) is the free
 * run that contained them (allocation) or now contains them (free),
 * clipped to the entry being updated.  Going up, it is widened to the
 * parent through the tails and heads of the siblings (or at once through
 * the parent's old head or tail when every sibling on that side is free).
 * From [L, R) and the old summary the new one follows in O(1): a run at the
 * entry's start is its head, one at its end its tail, any other an inner
 * run.  Only two cases need a rescan of the entry: an allocation splitting
 * the longest inner run, and a free merging the longest inner run into the
 * head or tail.  The walk stops at the first entry that did not change.
 */
/*
 * Widen [L, R), the run clipped to child [cs, ce) of node [ns, ne) on
 * level k, to the node: through the siblings' tails and heads, or at once
 * when the node's old head (tail) shows every sibling on that side free.
 */
static inline void widen(const struct swapctl_blist *b, unsigned k, uint64_t child,
			 struct sum po, uint64_t cs, uint64_t ce, uint64_t ns, uint64_t ne,
			 uint64_t *L, uint64_t *R)
{
	const struct level *c = &b->lv[k - 1];
	uint64_t span = span_of(c), fs = b->lv[k].fshift, j;
	uint64_t first = (child >> fs) << fs, last = first + (UINT64_C(1) << fs) - 1;

	if (*L == cs && cs > ns) {
		if (po.h >= cs - ns) {
			*L = ns;
		} else {
			for (j = child; j > first; j--) {
				uint64_t t = lv_get(c, j - 1).t;

				*L -= t;
				if (t != span)
					break;
			}
		}
	}
	if (*R == ce && ce < ne) {
		if (po.t >= ne - ce) {
			*R = ne;
		} else {
			for (j = child + 1; j <= last; j++) {
				uint64_t h = lv_get(c, j).h;

				*R += h;
				if (h != span)
					break;
			}
		}
	}
}

/* c ? a : b without a branch (compilers turn ternaries here into jumps). */
static inline uint64_t sel(bool c, uint64_t a, uint64_t b)
{
	return b ^ ((a ^ b) & (0 - (uint64_t)c));
}

/*
 * New summary of an entry [ns, ne) after allocating [s, e) from the run
 * [L, R); false when the entry must be rescanned (the longest inner run
 * was split).
 */
static inline bool shrink_sum(struct sum *n, uint64_t ns, uint64_t ne,
			      uint64_t L, uint64_t R, uint64_t s, uint64_t e)
{
	bool tl = L == ns, tr = R == ne;
	uint64_t piece = sel(tl, R - e, s - L);         /* what becomes inner */

	if (!(tl | tr) && R - L == n->i)
		return false;
	n->h = sel(tl, s - ns, n->h);
	n->t = sel(tr, ne - e, n->t);
	n->i = sel(tl & tr, 0, sel(tl | tr, max2(n->i, piece), n->i));
	return true;
}

/*
 * New summary of an entry [ns, ne) after freeing [s, e), now inside the run
 * [L, R); false when the entry must be rescanned (the longest inner run
 * joined the head or the tail).
 */
static inline bool grow_sum(struct sum *n, uint64_t ns, uint64_t ne,
			    uint64_t L, uint64_t R, uint64_t s, uint64_t e)
{
	bool tl = L == ns, tr = R == ne;
	uint64_t gone = sel(tl, R - e, s - L);          /* inner run absorbed */

	if ((tl ^ tr) & (gone == n->i) & (gone != 0))
		return false;
	n->h = sel(tl, R - ns, n->h);
	n->t = sel(tr, ne - L, n->t);
	n->i = sel(tl | tr, sel(tl & tr, 0, n->i), max2(n->i, R - L));
	return true;
}

/*
 * Deferred rescans.  When an allocation takes from an inner run of an
 * entry, it may have split the longest one, and the inner value is then
 * only an upper bound; instead of finding out (the run's ends) or
 * rescanning the chunk or recombining the node at once, the entry is
 * marked pending, one per level, and keeps its old value while next-fit
 * goes on allocating in it.  Every stored entry still equals what its
 * children's stored entries give, except pending ones, which may only be
 * too high in their inner value; the incremental updates keep that so.
 * The search from the cursor never trusts a pending entry: the cursor's
 * chunk is scanned word by word and the climb only looks right of the
 * cursor's path, and pending entries are never right of it (the cursor
 * only moves right; wrapping flushes).  A second pending entry on a level
 * flushes that level's: the entry is recomputed, and if its inner value
 * dropped from what was its parent's, the parent becomes pending in turn
 * (one recombine per node the cursor leaves, not one per child).  Anything
 * else that reads the tree (a search from block 0, next_free, stats,
 * fill, resize) flushes every level, bottom-up.
 */
static void defer_new(struct swapctl_blist *b, unsigned k, uint64_t i);
static void defer_l1(struct swapctl_blist *b, uint64_t i);

/*
 * Recompute the pending entry of level k, if any.  Only its inner value can
 * drop, and that matters above only where it was the parent's: the parent
 * is then pending in turn (one recombine per parent the cursor leaves, not
 * one per child).
 */
static inline __attribute__((always_inline)) void flush_at(struct swapctl_blist *b, unsigned k)
{
	uint64_t c = b->dirty[k], old;
	struct sum n;

	if (c == NONE)
		return;
	b->dirty[k] = NONE;
	b->ndirty--;
	old = lv_get(&b->lv[k], c).i;
	if (k == 1 && ((c + 1) << b->lv[1].shift) <= b->nblocks && b->lv[1].fshift == L1_FSHIFT)
#ifdef LIW_AVX2
		n = liw_avx2 ? l1_combine_avx2(b, c) : l1_combine(b, c);
#else
		n = l1_combine(b, c);
#endif
#ifdef LIW_AVX2
	else if (k == 0 && scan_avx2 && ((c + 1) << CHUNK_SHIFT) <= b->nblocks)
		n = chunk_scan_avx2(b->map + c * CHUNK_WORDS);
	else if (k >= 2 && liw_avx2 && b->lv[k - 1].fmt == FMT64 && b->lv[k].fshift == LK_FSHIFT &&
		 ((c + 1) << b->lv[k].shift) <= b->nblocks)
		n = p64_combine_avx2(b, k, c);
#endif
	else
		n = entry_scan(b, k, c);
	if (!lv_put(&b->lv[k], c, n) || k + 1 == b->nlevels)
		return;
	c >>= b->lv[k + 1].fshift;
	if (old >= lv_get(&b->lv[k + 1], c).i && b->dirty[k + 1] != c) {
		if (k == 0)
			defer_l1(b, c);
		else
			defer_new(b, k + 1, c);
	}
}

/* The pending level-1 entry, on its own code (see defer_l1()). */
static __attribute__((noinline)) void flush_l1(struct swapctl_blist *b)
{
	flush_at(b, 1);
}

/* The pending chunk: the rescan next-fit makes most. */
static __attribute__((noinline)) void flush_chunk(struct swapctl_blist *b)
{
	flush_at(b, 0);
}

static void flush_level(struct swapctl_blist *b, unsigned k)
{
	if (k == 0)
		flush_chunk(b);
	else if (k == 1)
		flush_l1(b);
	else
		flush_at(b, k);
}

static void flush_upto(struct swapctl_blist *b, unsigned top)
{
	unsigned k;

	for (k = 0; k <= top && b->ndirty; k++)
		flush_level(b, k);
}

static void flush(struct swapctl_blist *b)
{
	if (b->ndirty)
		flush_upto(b, b->nlevels - 1);
}

/* For readers declared const: flushing changes no observable state. */
static inline void flush_c(const struct swapctl_blist *b)
{
	if (b->ndirty)
		flush((struct swapctl_blist *)b);
}

/* Make entry i of level k the pending one of its level (rare: out of line). */
static __attribute__((noinline)) void defer_new(struct swapctl_blist *b, unsigned k, uint64_t i)
{
	if (b->dirty[k] != NONE)
		flush_level(b, k);
	b->dirty[k] = i;
	b->ndirty++;
}

/*
 * defer_new() for a level-1 entry after a chunk's rescan, and for chunks:
 * their own call sites and code, so the tests on the level (which combine,
 * which level above) are not shared between levels (one site alternating
 * between level 1 and 2 mispredicted a third of the time).
 */
static __attribute__((noinline)) void defer_l1(struct swapctl_blist *b, uint64_t i)
{
	if (b->dirty[1] != NONE)
		flush_l1(b);
	b->dirty[1] = i;
	b->ndirty++;
}

static __attribute__((noinline)) void defer_chunk(struct swapctl_blist *b, uint64_t c)
{
	if (b->dirty[0] != NONE)
		flush_chunk(b);
	b->dirty[0] = c;
	b->ndirty++;
}

/* Defer the rescan of entry i of level k (its longest inner run split). */
static inline void defer(struct swapctl_blist *b, unsigned k, uint64_t i)
{
	if (b->dirty[k] != i)
		defer_new(b, k, i);
}

/*
 * After a free of [s, e) that changed the summary of entry child of level
 * k - 1 ([cs, ce)), where the run around it is [L, R): widen it through
 * the siblings' heads and tails and raise the entries from level k up
 * while they change (allocations use shrink_up).
 */
static void update_up(struct swapctl_blist *b, unsigned k, uint64_t child, uint64_t cs,
		      uint64_t ce, uint64_t L, uint64_t R, uint64_t s, uint64_t e)
{
	for (; k < b->nlevels; k++) {
		const struct level *l = &b->lv[k];
		uint64_t node = child >> l->fshift;
		uint64_t ns = node << l->shift, ne = ns + span_of(l);
		struct sum o = lv_get(l, node), n = o;

		if (ne > b->nblocks)
			ne = b->nblocks;
		if (L == cs || R == ce)
			widen(b, k, child, o, cs, ce, ns, ne, &L, &R);
		if (!grow_sum(&n, ns, ne, L, R, s, e))
			n = node_combine(b, k, node);
		if (!lv_put(l, node, n))
			return;
		child = node;
		cs = ns;
		ce = ne;
	}
}

#define L1_SPAN (CHUNK_BLOCKS << L1_FSHIFT)

/*
 * update_up()'s first step, from chunk c to its level-1 entry, when that
 * entry lies wholly inside the map (all but the last): the formats and
 * spans of both levels are known, so the step reads the chunk entries and
 * the packed level-1 word directly, without the format switches, span
 * loads and clipping of the general walk.
 */
static void update_l1(struct swapctl_blist *b, uint64_t c, uint64_t L, uint64_t R,
		      uint64_t s, uint64_t e)
{
	uint64_t node = c >> L1_FSHIFT, first = node << L1_FSHIFT;
	uint64_t ns = first << CHUNK_SHIFT, ne = ns + L1_SPAN;
	uint64_t cs = c << CHUNK_SHIFT, ce = cs + CHUNK_BLOCKS, j;
	const uint32_t *ch = (const uint32_t *)b->lv[0].a;
	uint64_t *p = (uint64_t *)b->lv[1].a + node, y = *p, ny;
	struct sum n = { L1_SPAN - (y & M21), L1_SPAN - ((y >> 21) & M21), y >> 42 };

	if (L == cs && cs > ns) {
		if (n.h >= cs - ns) {
			L = ns;
		} else {
			for (j = c; j > first; j--) {
				uint64_t t = CHUNK_BLOCKS - ((ch[j - 1] >> 10) & M10);

				L -= t;
				if (t != CHUNK_BLOCKS)
					break;
			}
		}
	}
	if (R == ce && ce < ne) {
		if (n.t >= ne - ce) {
			R = ne;
		} else {
			for (j = c + 1; j < first + (1u << L1_FSHIFT); j++) {
				uint64_t h = CHUNK_BLOCKS - (ch[j] & M10);

				R += h;
				if (h != CHUNK_BLOCKS)
					break;
			}
		}
	}
	if (L != ns && R != ne) {
		/* an inner run: only the inner value can grow */
		if (R - L <= n.i)
			return;
		ny = (y & ((UINT64_C(1) << 42) - 1)) | (R - L) << 42;
	} else {
		if (!grow_sum(&n, ns, ne, L, R, s, e))
			n = l1_combine(b, node);
		ny = (L1_SPAN - n.h) | (L1_SPAN - n.t) << 21 | n.i << 42;
		if (ny == y)
			return;
	}
	*p = ny;
	update_up(b, 2, node, ns, ne, L, R, s, e);
}

/* Bits below k, for k in 1..64. */
static inline uint64_t lomask1(unsigned k)
{
	return (UINT64_C(2) << (k - 1)) - 1;
}

/*
 * The free run [*L, *R) around [a, z) in the chunk whose words are cw,
 * offsets 0..512 in the chunk, the blocks of [a, z) taken as free (the
 * words strictly between a's and z's are not read), for free: a walk out
 * from the words of a and z - 1, with branches, starting from lo and hi,
 * those words' allocated bits below a and from z on (the common free has
 * them already: it does not read them twice).  Free waits on a cache miss
 * for these words, and what queues behind the miss is what keeps the next
 * calls' misses from starting: a walk is a few instructions where a search
 * of the eight words without branches was 130 (measured: that, done for
 * every free, took free from 0.8-0.9 of FreeBSD's time to 1.2-1.5 though it
 * halved the mispredicts).
 */
static inline void chunk_run_from(const uint64_t *cw, unsigned a, unsigned z,
				  uint64_t lo, uint64_t hi, unsigned *L, unsigned *R)
{
	unsigned wa = a >> 6, wz = (z - 1) >> 6;

	while (!lo && wa > 0)
		lo = cw[--wa];
	*L = lo ? wa * 64 + 64 - (unsigned)__builtin_clzll(lo) : 0;
	while (!hi && wz + 1 < CHUNK_WORDS)
		hi = cw[++wz];
	*R = hi ? wz * 64 + (unsigned)__builtin_ctzll(hi) : CHUNK_BLOCKS;
}

/*
 * Packed entry x, fields of 'bits' bits (span - head, span - tail, then
 * inner), of the entry starting at ns, after allocating [s, e) from its
 * head or tail run; false when the run is neither (the entry goes
 * pending).  It works on the fields as stored: 'base' is the entry's end
 * less a span (its start, but for an entry cut by the map's end), so the
 * tail starts at base + its field and the new tail field is e - base.
 */
static inline bool stored_shrink(uint64_t *hsp, uint64_t *tsp, uint64_t *inp, uint64_t span,
				 uint64_t ns, uint64_t base, uint64_t s, uint64_t e)
{
	uint64_t hs = *hsp, ts = *tsp, in = *inp;
	uint64_t hend = ns + span - hs, tbeg = base + ts;

	if (s < hend) {                         /* the head: [ns, s) stays */
		if (hend == base + span) {      /* all free: [e, end) is the tail */
			ts = e - base;
			in = 0;
		} else {
			in = max2(in, hend - e);
		}
		hs = ns + span - s;
	} else if (s >= tbeg) {                 /* the tail: [tbeg, s) is inner */
		in = max2(in, s - tbeg);
		ts = e - base;
	} else {
		return false;
	}
	*hsp = hs;
	*tsp = ts;
	*inp = in;
	return true;
}

static inline bool packed_shrink(uint64_t *x, unsigned bits, uint64_t span, uint64_t ns,
				 uint64_t base, uint64_t s, uint64_t e)
{
	uint64_t m = (UINT64_C(1) << bits) - 1;
	uint64_t hs = *x & m, ts = (*x >> bits) & m, in = *x >> 2 * bits;

	if (!stored_shrink(&hs, &ts, &in, span, ns, base, s, e))
		return false;
	*x = hs | ts << bits | in << 2 * bits;
	return true;
}

/*
 * The entries above chunk c after allocating [s, e) from a run that was
 * the chunk's head or tail.  At each level the run is the entry's head or
 * tail exactly when s lies in them (heads and tails are exact, pending or
 * not): they shrink, in O(1), without widening the run through the
 * siblings.  Otherwise the run is inner there, and the inner value drops
 * only if that run was the longest: the entry is left pending rather than
 * the run's ends looked for.  The packed levels (the lower ones) are
 * updated on their stored words: next-fit on a fresh map takes from the
 * final run, the tail at every level, every time.
 */
static void shrink_up(struct swapctl_blist *b, uint64_t c, uint64_t s, uint64_t e)
{
	const uint64_t nblocks = b->nblocks;
	unsigned k;

	for (k = 1; k < b->npacked; k++) {
		const struct level *l = &b->lv[k];
		uint64_t span = span_of(l), ns, base, *p, x;

		c >>= l->fshift;
		ns = c << l->shift;
		base = (ns + span < nblocks ? ns + span : nblocks) - span;
		p = (uint64_t *)l->a + c;
		x = *p;
		if (!packed_shrink(&x, 21, span, ns, base, s, e)) {
			defer(b, k, c);
			return;
		}
		if (x == *p)
			return;
		*p = x;
	}
	for (; k < b->nlevels; k++) {           /* the wide levels above */
		const struct level *l = &b->lv[k];
		uint64_t span = span_of(l), ns, base;
		struct sum *w, x;

		c >>= l->fshift;
		ns = c << l->shift;
		base = (ns + span < nblocks ? ns + span : nblocks) - span;
		w = (struct sum *)l->a + c;
		x = *w;
		if (!stored_shrink(&x.h, &x.t, &x.i, span, ns, base, s, e)) {
			defer(b, k, c);
			return;
		}
		if (sum_eq(x, *w))
			return;
		*w = x;
	}
}

/* bits_set() for more than 64 blocks, out of line (rare). */
static __attribute__((noinline)) void bits_set_long(uint64_t *map, uint64_t lo, uint64_t hi)
{
	bits_set(map, lo, hi);
}

/* After allocating [s, e) from chunk c's head or tail run: its summary and up
 * (out of line: the inner case is the common one). */
static __attribute__((noinline)) void take_edge(struct swapctl_blist *b, uint64_t c, uint64_t s, uint64_t e)
{
	uint32_t *p = (uint32_t *)b->lv[0].a + c;
	uint64_t cs = c << CHUNK_SHIFT, x = *p;
	uint64_t base = (cs + CHUNK_BLOCKS < b->nblocks ? cs + CHUNK_BLOCKS : b->nblocks) - CHUNK_BLOCKS;

	(void)packed_shrink(&x, 10, CHUNK_BLOCKS, cs, base, s, e);
	if (x == *p)
		return;
	*p = (uint32_t)x;
	shrink_up(b, c, s, e);
}

/*
 * Allocate the free blocks [s, e) of chunk c.  Whether they lie in the
 * chunk's head or tail run follows from its summary: those shrink, and
 * so on up (take_edge, shrink_up).  Any other run is inner, and the
 * chunk's inner value drops only if it was the longest: rather than walk
 * the words to the run's ends to tell (a loop whose exit mispredicted
 * about once per allocation), the chunk is left pending, rescanned once
 * the cursor has left it.
 */
static inline __attribute__((always_inline)) void take_chunk(struct swapctl_blist *b, uint64_t c,
							  uint64_t s, uint64_t e)
{
	uint64_t cs = c << CHUNK_SHIFT;
	uint32_t x = ((const uint32_t *)b->lv[0].a)[c];

	if (e - s <= 64) {
		/* one or two words, without a branch on which */
		uint64_t w0 = s >> 6, w1 = (e - 1) >> 6, m = ~UINT64_C(0) >> (64 - (e - s));
		unsigned bit = s & 63;

		b->map[w0] |= m << bit;
		b->map[w1] |= (m >> 1) >> (63 - bit);
	} else {
		bits_set_long(b->map, s, e);
	}
	/* head: [cs, cs + h); tail: [ce - t, ce) */
	if (s - cs >= CHUNK_BLOCKS - (x & M10) &&
	    s < ent_end(b, &b->lv[0], c) - (CHUNK_BLOCKS - ((x >> 10) & M10))) {
		if (b->dirty[0] != c)
			defer_chunk(b, c);
		return;
	}
	take_edge(b, c, s, e);
}

/*
 * Allocate the free blocks [s, e).  A short range over two chunks is two
 * allocations, one per chunk, each leaving the tree consistent; longer
 * ones recompute the entries over them.
 */
static void take(struct swapctl_blist *b, uint64_t s, uint64_t e)
{
	uint64_t c = s >> CHUNK_SHIFT, mid;

	if (c == (e - 1) >> CHUNK_SHIFT) {
		take_chunk(b, c, s, e);
		return;
	}
	mid = (c + 1) << CHUNK_SHIFT;
	if (e - s <= CHUNK_BLOCKS && (e - 1) >> CHUNK_SHIFT == c + 1) {
		take_chunk(b, c, s, mid);
		take_chunk(b, c + 1, mid, e);
		return;
	}
	flush(b);                               /* recomputed over several chunks */
	bits_set(b->map, s, e);
	update_range(b, s, e, false);
}

/*
 * A free whose run [L, R) lies inside chunk c with allocated blocks on both
 * sides: only inner values can grow.  The chunk's and its level-1 entry's
 * are raised without a branch (a third of the frees at 50% raise the
 * chunk's, and a mispredicted branch on freshly loaded bits costs more than
 * the two stores); above, where a raise is rare, the walk stops at the
 * first entry already long enough.
 */
/* inner_raise() above level 1, where a raise is rare. */
static __attribute__((noinline)) int inner_raise_up(struct swapctl_blist *b, uint64_t c,
						    uint64_t len)
{
	unsigned k;

	for (k = 2; k < b->nlevels; k++) {
		const struct level *l = &b->lv[k];
		struct sum n;

		c >>= l->fshift;
		n = lv_get(l, c);
		if (len <= n.i)
			return 0;
		n.i = len;
		lv_put(l, c, n);
	}
	return 0;
}

static inline __attribute__((always_inline)) int inner_raise(struct swapctl_blist *b, uint64_t c,
							     uint64_t len)
{
	uint32_t *cp = (uint32_t *)b->lv[0].a + c, x = *cp;
	uint64_t *p1 = (uint64_t *)b->lv[1].a + (c >> L1_FSHIFT), y = *p1;
	/* the entries with len as their inner value: the inner field is the
	 * top one, so the larger word has the larger inner value */
	uint32_t xl = (x & 0xfffff) | (uint32_t)len << 20;
	uint64_t yl = (y & ((UINT64_C(1) << 42) - 1)) | len << 42;

	*cp = x > xl ? x : xl;
	*p1 = y > yl ? y : yl;
	if (yl > y)
		return inner_raise_up(b, c >> L1_FSHIFT, len);
	return 0;
}

/*
 * The summaries after the blocks [s, e) of chunk c were freed, now inside
 * the chunk's free run [L, R) (offsets in the chunk), when the run reaches
 * an end of the chunk: the chunk's head or tail grows, and the run is
 * widened upwards.
 */
static __attribute__((noinline)) int give_edge(struct swapctl_blist *b, uint64_t c,
					       uint64_t s, uint64_t e, unsigned L, unsigned R)
{
	uint64_t cs = c << CHUNK_SHIFT, ce = ent_end(b, &b->lv[0], c);
	uint32_t *cp = (uint32_t *)b->lv[0].a + c, x = *cp;

	if (ce - cs == CHUNK_BLOCKS && (L == 0 || R == CHUNK_BLOCKS)) {
		/* grow_sum() for a whole chunk, on the stored word: the run is
		 * its head, its tail or all of it; a rescan only when it took
		 * in the longest inner run */
		uint64_t gone = L == 0 ? R - (e - cs) : (s - cs) - L;

		if ((L != 0 || R != CHUNK_BLOCKS) && gone == x >> 20 && gone != 0) {
			if (!chunk_put(b, c, chunk_sum(b, c)))
				return 0;
		} else if (L == 0 && R == CHUNK_BLOCKS) {
			*cp = 0;                /* all free */
		} else if (L == 0) {
			*cp = (x & ~(uint32_t)M10) | (CHUNK_BLOCKS - R);
		} else {
			*cp = (x & ~(uint32_t)(M10 << 10)) | L << 10;
		}
	} else {
		struct sum sx = chunk_get(b, c);

		if (!grow_sum(&sx, cs, ce, cs + L, cs + R, s, e))
			sx = chunk_sum(b, c);
		if (!chunk_put(b, c, sx))
			return 0;
	}
	if (((c >> L1_FSHIFT) + 1) * L1_SPAN <= b->nblocks)
		update_l1(b, c, cs + L, cs + R, s, e);
	else
		update_up(b, 1, c, cs, ce, cs + L, cs + R, s, e);
	return 0;
}

/*
 * The summaries after the blocks [s, e) of chunk c were freed, their bits
 * cleared (and, for a range over two chunks, those of the other chunk
 * too: only this chunk's words are read); lo and hi are the allocated
 * bits below and above the range in its first and last words (the common
 * free has them: the walk starts from them).  A run with allocated blocks
 * on both sides inside the chunk (nine frees in ten at 50% full) only
 * raises inner values; one reaching an end of the chunk is widened
 * upwards, out of line.  Returns 0, so callers can end with it.
 */
static __attribute__((noinline)) int give_chunk_lh(struct swapctl_blist *b, uint64_t s,
						    uint64_t e, uint64_t lo, uint64_t hi)
{
	uint64_t c = s >> CHUNK_SHIFT, cs = c << CHUNK_SHIFT;
	unsigned L, R;

	chunk_run_from(b->map + c * CHUNK_WORDS, (unsigned)(s - cs), (unsigned)(e - cs), lo, hi,
		       &L, &R);
	if (L != 0 && R < CHUNK_BLOCKS && cs + R < b->nblocks)
		return inner_raise(b, c, R - L);
	return give_edge(b, c, s, e, L, R);
}

/* give_chunk_lh() with lo and hi read from the range's words. */
static inline int give_chunk(struct swapctl_blist *b, uint64_t s, uint64_t e)
{
	return give_chunk_lh(b, s, e, b->map[s >> 6] & lomask(s & 63),
			     b->map[(e - 1) >> 6] & ~lomask1(((e - 1) & 63) + 1));
}

/* ------------------------------------------------------------ search */

/*
 * Bit i of the result is set when bits i .. i+count-1 of x all are, for
 * count 1..63.  Runs of 'have' ones become runs of have + step by one shift
 * and AND; six steps reach any count below 64 (the steps past it are
 * shifts by zero), so the code does not branch on count, which is random
 * from one call to the next.  The steps for each count come from a table:
 * a load per step instead of computing min(have, count - have).
 */
static const uint8_t RUN_STEPS[64][6] = {
	{ 0, 0, 0, 0, 0, 0 }, { 0, 0, 0, 0, 0, 0 }, { 1, 0, 0, 0, 0, 0 }, { 1, 1, 0, 0, 0, 0 },
	{ 1, 2, 0, 0, 0, 0 }, { 1, 2, 1, 0, 0, 0 }, { 1, 2, 2, 0, 0, 0 }, { 1, 2, 3, 0, 0, 0 },
	{ 1, 2, 4, 0, 0, 0 }, { 1, 2, 4, 1, 0, 0 }, { 1, 2, 4, 2, 0, 0 }, { 1, 2, 4, 3, 0, 0 },
	{ 1, 2, 4, 4, 0, 0 }, { 1, 2, 4, 5, 0, 0 }, { 1, 2, 4, 6, 0, 0 }, { 1, 2, 4, 7, 0, 0 },
	{ 1, 2, 4, 8, 0, 0 }, { 1, 2, 4, 8, 1, 0 }, { 1, 2, 4, 8, 2, 0 }, { 1, 2, 4, 8, 3, 0 },
	{ 1, 2, 4, 8, 4, 0 }, { 1, 2, 4, 8, 5, 0 }, { 1, 2, 4, 8, 6, 0 }, { 1, 2, 4, 8, 7, 0 },
	{ 1, 2, 4, 8, 8, 0 }, { 1, 2, 4, 8, 9, 0 }, { 1, 2, 4, 8, 10, 0 }, { 1, 2, 4, 8, 11, 0 },
	{ 1, 2, 4, 8, 12, 0 }, { 1, 2, 4, 8, 13, 0 }, { 1, 2, 4, 8, 14, 0 }, { 1, 2, 4, 8, 15, 0 },
	{ 1, 2, 4, 8, 16, 0 }, { 1, 2, 4, 8, 16, 1 }, { 1, 2, 4, 8, 16, 2 }, { 1, 2, 4, 8, 16, 3 },
	{ 1, 2, 4, 8, 16, 4 }, { 1, 2, 4, 8, 16, 5 }, { 1, 2, 4, 8, 16, 6 }, { 1, 2, 4, 8, 16, 7 },
	{ 1, 2, 4, 8, 16, 8 }, { 1, 2, 4, 8, 16, 9 }, { 1, 2, 4, 8, 16, 10 }, { 1, 2, 4, 8, 16, 11 },
	{ 1, 2, 4, 8, 16, 12 }, { 1, 2, 4, 8, 16, 13 }, { 1, 2, 4, 8, 16, 14 }, { 1, 2, 4, 8, 16, 15 },
	{ 1, 2, 4, 8, 16, 16 }, { 1, 2, 4, 8, 16, 17 }, { 1, 2, 4, 8, 16, 18 }, { 1, 2, 4, 8, 16, 19 },
	{ 1, 2, 4, 8, 16, 20 }, { 1, 2, 4, 8, 16, 21 }, { 1, 2, 4, 8, 16, 22 }, { 1, 2, 4, 8, 16, 23 },
	{ 1, 2, 4, 8, 16, 24 }, { 1, 2, 4, 8, 16, 25 }, { 1, 2, 4, 8, 16, 26 }, { 1, 2, 4, 8, 16, 27 },
	{ 1, 2, 4, 8, 16, 28 }, { 1, 2, 4, 8, 16, 29 }, { 1, 2, 4, 8, 16, 30 }, { 1, 2, 4, 8, 16, 31 },
};

static inline uint64_t run_starts(uint64_t x, uint64_t count)
{
	const uint8_t *st = RUN_STEPS[count & 63];

	x &= x >> st[0];
	x &= x >> st[1];
	x &= x >> st[2];
	x &= x >> st[3];
	x &= x >> st[4];
	x &= x >> st[5];
	return x;
}

/*
 * Scan chunk c from block 'from' for count free blocks; *carry is the free
 * run ending at 'from' (non-zero only when from starts the chunk).  Returns
 * the first start, or NONE with *carry set to the free run ending at the
 * chunk's end.
 */
static inline uint64_t chunk_find(const uint64_t *map, uint64_t c, uint64_t from,
			   uint64_t count, uint64_t *carry)
{
	uint64_t w = from >> 6, wend = (c + 1) * CHUNK_WORDS;
	uint64_t run = *carry;
	uint64_t x = ~map[w] & ~lomask(from & 63);

	for (;;) {
		if (x == ~UINT64_C(0)) {
			run += 64;
			if (run >= count)
				return (w << 6) + 64 - run;
		} else {
			uint64_t y;

			if (run + (uint64_t)__builtin_ctzll(~x) >= count)
				return (w << 6) - run;
			if (count < 64 && (y = run_starts(x, count)) != 0)
				return (w << 6) + (uint64_t)__builtin_ctzll(y);
			run = (uint64_t)__builtin_clzll(~x);
		}
		if (++w == wend)
			break;
		x = ~map[w];
	}
	*carry = run;
	return NONE;
}

/*
 * chunk_find() for count 1..63, with one branch per word on whether the
 * word holds the start: the run crossing in from the words before (its
 * first count - carry bits free) and the runs starting inside it
 * (run_starts()) are both computed, and the earlier one selected.  Two
 * separately predicted tests, whose outcomes depend on the random bits,
 * mispredicted 0.6 times per allocation at 50%; a word wholly free needs
 * no test of its own, as it always holds a start for count < 64.
 */
static inline uint64_t chunk_find_small(const uint64_t *map, uint64_t c, uint64_t from,
					uint64_t count, uint64_t *carry)
{
	uint64_t w = from >> 6, wend = (c + 1) * CHUNK_WORDS;
	uint64_t run = *carry;
	uint64_t x = ~map[w] & ~lomask(from & 63);
	uint64_t y = run_starts(x, count);

	/* no carry into the first word: a crossing run starts at its bit 0 */
	if (run == 0 && y != 0)
		return (w << 6) + (uint64_t)__builtin_ctzll(y);
	for (;;) {
		uint64_t need = count > run ? count - run : 0;
		uint64_t m = lomask((unsigned)need);
		bool cross = (x & m) == m;

		if (cross | (y != 0))
			return sel(cross, (w << 6) - run, (w << 6) + (uint64_t)__builtin_ctzll(y | (UINT64_C(1) << 63)));
		run = (uint64_t)__builtin_clzll(~x);    /* x has a zero: no start */
		if (++w == wend)
			break;
		x = ~map[w];
		y = run_starts(x, count);
	}
	*carry = run;
	return NONE;
}

#ifdef LIW_AVX2
/*
 * The search of a chunk for count 1..32 on processors with AVX2, the eight
 * words at once without a branch on their bits: the runs starting inside
 * a word (run_starts() on every word) and those crossing from one word
 * into the next, found by run_starts() on windows of 64 bits centred on
 * each boundary (the upper half of a word, the lower half of the next: a
 * run crossing with a < count blocks before the boundary starts in the
 * window and, as count <= 32 + a, ends in it).  Returns the offset in the
 * chunk of the first start, or NONE; runs crossing in from the chunk
 * before are not looked for.  In descend(), whose chunk holds the run and
 * is read from its start (4.3 words a search at 90%), the word loop's
 * exits mispredicted about once per allocation.
 */
static __attribute__((target("avx2"), noinline)) uint64_t chunk_first_avx2(const uint64_t *w8,
									   uint64_t count)
{
	const uint8_t *st = RUN_STEPS[count];
	v4u x0, x1, p0, p1, y0, y1, z0, z1, n0, n1;
	uint64_t sv[8] __attribute__((aligned(32)));
	unsigned i, mask;

	memcpy(&x0, w8, sizeof(x0));
	memcpy(&x1, w8 + 4, sizeof(x1));
	x0 = ~x0;                               /* free = 1 */
	x1 = ~x1;
	/* each lane's word before it (none before word 0) */
	p0 = (v4u)_mm256_alignr_epi8((__m256i)x0, _mm256_permute2x128_si256((__m256i)x0, (__m256i)x0, 0x08), 8);
	p1 = (v4u)_mm256_alignr_epi8((__m256i)x1, _mm256_permute2x128_si256((__m256i)x0, (__m256i)x1, 0x21), 8);
	z0 = p0 >> 32 | x0 << 32;
	z1 = p1 >> 32 | x1 << 32;
	y0 = x0;
	y1 = x1;
#pragma GCC unroll 5
	for (i = 0; i < 5; i++) {               /* count <= 32: RUN_STEPS[.][5] is 0 */
		y0 &= y0 >> st[i];
		y1 &= y1 >> st[i];
		z0 &= z0 >> st[i];
		z1 &= z1 >> st[i];
	}
	/* window k's starts in its lower half belong to word k - 1's upper half */
	n0 = (v4u)_mm256_alignr_epi8(_mm256_permute2x128_si256((__m256i)z0, (__m256i)z1, 0x21), (__m256i)z0, 8);
	n1 = (v4u)_mm256_alignr_epi8(_mm256_permute2x128_si256((__m256i)z1, (__m256i)z1, 0x81), (__m256i)z1, 8);
	y0 |= n0 << 32;
	y1 |= n1 << 32;
	mask = (unsigned)_mm256_movemask_pd((__m256d)(y0 == 0)) |
	       (unsigned)_mm256_movemask_pd((__m256d)(y1 == 0)) << 4;
	if (mask == 0xff)
		return NONE;
	memcpy(sv, &y0, sizeof(y0));
	memcpy(sv + 4, &y1, sizeof(y1));
	i = (unsigned)__builtin_ctz(~mask);
	return i * 64 + (uint64_t)__builtin_ctzll(sv[i]);
}

/*
 * The eight chunk entries g[0..7] of a level-1 entry tested at once, for
 * count 1..63, on processors with AVX2: the first from 'start' on whose
 * head, with the free run ending before it (*carry for the first, the
 * tail of the one before for the others), or whose tail or inner value
 * holds count blocks, or 8 if none.  A fully free chunk always does, so
 * the run before a chunk is its neighbour's tail.  On return *carry is the
 * run ending at that chunk's start (or at the group's end).  Compared on
 * the fields as stored (span less head, span less tail, inner).
 */
static __attribute__((target("avx2"), noinline)) unsigned chunks_first_avx2(const uint32_t *g,
									     unsigned start,
									     uint64_t count,
									     uint64_t *carry)
{
	const v8i lane = { 0, 1, 2, 3, 4, 5, 6, 7 }, prev = { 0, 0, 1, 2, 3, 4, 5, 6 };
	const int n = (int)count, span = (int)CHUNK_BLOCKS;
	v8i x, hs, ts, pt, m;
	unsigned mask, j;

	memcpy(&x, g, sizeof(x));
	hs = x & (int)M10;
	ts = x >> 10 & (int)M10;
	pt = (v8i)_mm256_permutevar8x32_epi32((__m256i)ts, (__m256i)prev);
	m = lane == (int)start;
	pt = (pt & ~m) | ((span - (int)*carry) & m);
	m = (pt + hs < 2 * span - n + 1) | (ts < span - n + 1) | ((x >> 20 & 0xfff) > n - 1);
	mask = (unsigned)_mm256_movemask_ps((__m256)m) & (0xffu << start);
	if (mask == 0) {
		if (start < 8)
			*carry = CHUNK_BLOCKS - ((g[7] >> 10) & M10);
		return 8;
	}
	j = (unsigned)__builtin_ctz(mask);
	if (j != start)
		*carry = CHUNK_BLOCKS - ((g[j - 1] >> 10) & M10);
	return j;
}
#endif

/* Descend into entry j of level k, summary s, known to hold the run. */
static uint64_t descend(const struct swapctl_blist *b, unsigned k, uint64_t j,
			struct sum s, uint64_t count, uint64_t carry)
{
	while (k > 0) {
		const struct level *c = &b->lv[k - 1];
		uint64_t span = span_of(c);
		uint64_t first = j << b->lv[k].fshift;
		uint64_t end = first + (UINT64_C(1) << b->lv[k].fshift);

#ifdef LIW_AVX2
		if (k == 1 && count < 64 && liw_avx2) {
			unsigned l = chunks_first_avx2((const uint32_t *)c->a + first, 0, count, &carry);

			if (l == 8)
				return NONE;            /* summaries disagree */
			j = first + l;
			s = chunk_get(b, j);
			if (carry + s.h >= count)
				return (j << CHUNK_SHIFT) - carry;
			break;
		}
#endif

		for (j = first; j < end; j++) {
			s = lv_get(c, j);
			if (carry + s.h >= count)
				return (j << c->shift) - carry;
			if (smax(s) >= count)
				break;
			carry = s.h == span ? carry + span : s.t;
		}
		if (j == end)
			return NONE;            /* summaries disagree */
		k--;
	}
	/* the run is not the head; if no inner run is long enough, the tail */
	if (s.i < count)
		return ent_end(b, &b->lv[0], j) - s.t;
#ifdef LIW_AVX2
	if (count <= 32 && liw_avx2) {
		uint64_t r = chunk_first_avx2(b->map + j * CHUNK_WORDS, count);

		return r == NONE ? NONE : (j << CHUNK_SHIFT) + r;
	}
#endif
	return chunk_find(b->map, j, j << CHUNK_SHIFT, count, &carry);
}

/*
 * First s with [s, s + count) free right of chunk c, or NONE; carry is the
 * free run ending at c's end.  It climbs, looking at the siblings to the
 * right at each level.
 */
static uint64_t find_right(const struct swapctl_blist *b, uint64_t c, uint64_t count,
			   uint64_t carry)
{
	uint64_t idx = c, j;
	struct sum s;
	unsigned k = 0;

#ifdef LIW_AVX2
	if (count < 64 && liw_avx2) {
		uint64_t g = c & ~(uint64_t)7;
		unsigned l = chunks_first_avx2((const uint32_t *)b->lv[0].a + g, (unsigned)(c & 7) + 1,
					       count, &carry);

		if (l < 8) {
			j = g + l;
			s = chunk_get(b, j);
			if (carry + s.h >= count)
				return (j << CHUNK_SHIFT) - carry;
			return descend(b, 0, j, s, count, carry);
		}
		idx >>= L1_FSHIFT;
		k = 1;
	}
#endif
	for (; k + 1 < b->nlevels; k++) {
		const struct level *l = &b->lv[k];
		uint64_t span = span_of(l);
		unsigned fs = b->lv[k + 1].fshift;
		uint64_t end = ((idx >> fs) + 1) << fs;

		for (j = idx + 1; j < end; j++) {
			s = lv_get(l, j);
			if (carry + s.h >= count)
				return (j << l->shift) - carry;
			if (smax(s) >= count)
				return descend(b, k, j, s, count, carry);
			carry = s.h == span ? carry + span : s.t;
		}
		idx >>= fs;
	}
	return NONE;
}

/* First s >= from with [s, s + count) free, or NONE; does not wrap. */
static uint64_t find_from(const struct swapctl_blist *b, uint64_t from, uint64_t count)
{
	uint64_t c = from >> CHUNK_SHIFT, carry = 0, r;
	struct sum s = chunk_get(b, c);

	if (smax(s) >= count) {
		r = chunk_find(b->map, c, from, count, &carry);
		if (r != NONE)
			return r;
	} else {
		uint64_t left = ent_end(b, &b->lv[0], c) - from;

		carry = s.t < left ? s.t : left;
	}
	return find_right(b, c, count, carry);
}

/* Free blocks from pos on, at most max. */
static uint64_t run_length(const struct swapctl_blist *b, uint64_t pos, uint64_t max)
{
	uint64_t cend = ((pos >> CHUNK_SHIFT) + 1) << CHUNK_SHIFT;
	uint64_t lim = cend - pos < max ? cend - pos : max;
	uint64_t n, idx;
	unsigned k = 0;

	if (pos >= b->nwords * 64)
		return 0;
	if (max < 64 && (pos >> 6) + 1 < b->nwords) {
		/* the common case: the 64 blocks from pos, read across two
		 * words without a branch on the bits (a run past them is longer
		 * than max); padding is allocated, so the map's end stops it */
		unsigned bit = pos & 63;
		uint64_t y = b->map[pos >> 6] >> bit | (b->map[(pos >> 6) + 1] << 1) << (63 - bit);

		n = (uint64_t)__builtin_ctzll(y | UINT64_C(1) << 63);
		return n < max ? n : max;
	}
	n = free_after(b->map, pos, pos + lim);
	if (n < lim || n == max)
		return n;
	idx = cend >> CHUNK_SHIFT;
	while (n < max) {
		const struct level *l = &b->lv[k];
		struct sum s;

		if (idx >= l->n)
			break;
		s = lv_get(l, idx);
		if (s.h != span_of(l)) {
			n += s.h;
			break;
		}
		n += span_of(l);
		idx++;
		/* climb while the next entry starts a new parent */
		while (k + 1 < b->nlevels &&
		       (idx & ((UINT64_C(1) << b->lv[k + 1].fshift) - 1)) == 0) {
			idx >>= b->lv[k + 1].fshift;
			k++;
		}
	}
	return n < max ? n : max;
}

/* ------------------------------------------------------------ geometry */

static void levels_free(struct level *lv, unsigned n)
{
	unsigned k;

	for (k = 0; k < n; k++)
		arr_free(lv[k].a, lv[k].bytes, lv[k].mapped);
}

static void blist_release(struct swapctl_blist *b)
{
	arr_free(b->map, b->mapbytes, b->map_mapped);
	levels_free(b->lv, b->nlevels);
}

/* Entry value of a fully allocated entry, for filling arrays. */
static void level_fill_alloc(struct level *l, uint64_t from, uint64_t to)
{
	uint64_t i;

	for (i = from; i < to; i++)
		lv_put(l, i, SUM_NONE);
}

/* Lay out and allocate (zeroed: all free) the arrays for nblocks. */
static int blist_alloc_arrays(struct swapctl_blist *b, uint64_t nblocks)
{
	uint64_t nreal, total;
	unsigned k;
	bool huge;

	memset(b, 0, sizeof(*b));
	b->nblocks = nblocks;
	for (k = 0; k < MAX_LEVELS; k++)
		b->dirty[k] = NONE;
	/* level 0 */
	nreal = (nblocks + CHUNK_BLOCKS - 1) >> CHUNK_SHIFT;
	b->lv[0].shift = CHUNK_SHIFT;
	b->lv[0].fshift = 3;
	b->lv[0].fmt = FMT32;
	for (k = 1;; k++) {
		struct level *l = &b->lv[k], *c = &b->lv[k - 1];

		l->fshift = k == 1 ? L1_FSHIFT : LK_FSHIFT;
		l->shift = c->shift + l->fshift;
		l->fmt = l->shift <= 20 ? FMT64 : FMTWIDE;
		c->nreal = nreal;
		nreal = (nreal + (UINT64_C(1) << l->fshift) - 1) >> l->fshift;
		c->n = nreal << l->fshift;
		if (nreal == 1) {
			l->n = l->nreal = 1;
			b->nlevels = k + 1;
			break;
		}
	}
	for (b->npacked = 1; b->npacked < b->nlevels && b->lv[b->npacked].fmt == FMT64; b->npacked++)
		;
	b->lv[0].nreal = b->lv[0].n;   /* padded chunks have words too */
	b->nwords = b->lv[0].n * CHUNK_WORDS;
	b->mapbytes = b->nwords * sizeof(uint64_t);
	total = b->mapbytes;
	for (k = 0; k < b->nlevels; k++) {
		struct level *l = &b->lv[k];
		size_t esz = l->fmt == FMT32 ? 4 : l->fmt == FMT64 ? 8 : sizeof(struct sum);

		l->bytes = l->n * esz;
		total += l->bytes;
	}
	huge = total <= HUGE_MAX;
	b->map = arr_alloc(b->mapbytes, huge, &b->map_mapped);
	if (!b->map)
		return -ENOMEM;
	for (k = 0; k < b->nlevels; k++) {
		struct level *l = &b->lv[k];

		l->a = arr_alloc(l->bytes, huge, &l->mapped);
		if (!l->a) {
			b->nlevels = k;
			return -ENOMEM;
		}
	}
	return 0;
}

/* Mark the padding past nblocks allocated; the rest is zero (free). */
static void blist_init_padding(struct swapctl_blist *b)
{
	uint64_t end = b->nwords * 64;
	unsigned k;

	for (k = 1; k < b->nlevels; k++)
		level_fill_alloc(&b->lv[k], b->lv[k].nreal, b->lv[k].n);
	if (b->nblocks < end) {
		bits_set(b->map, b->nblocks, end);
		update_range(b, b->nblocks, end, false);
	}
	/* the last real entry of each level has padded children */
	for (k = 1; k < b->nlevels; k++) {
		uint64_t i = (b->lv[k - 1].nreal - 1) >> b->lv[k].fshift;

		lv_put(&b->lv[k], i, node_combine(b, k, i));
	}
}

/* ------------------------------------------------------------ API */

SWAPCTL_EXPORT
int swapctl_blist_create(uint64_t nblocks, bool all_free, struct swapctl_blist **out)
{
	struct swapctl_blist *b;
	unsigned k;
	int r;

	if (!out)
		return -EINVAL;
	*out = NULL;
	if (nblocks == 0 || nblocks > BLIST_MAX)
		return -EINVAL;
	b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	r = blist_alloc_arrays(b, nblocks);
	if (r < 0) {
		blist_release(b);
		free(b);
		return r;
	}
	if (all_free) {
		blist_init_padding(b);
		b->avail = nblocks;
	} else {
		memset(b->map, 0xff, b->mapbytes);
		for (k = 0; k < b->nlevels; k++)
			level_fill_alloc(&b->lv[k], 0, b->lv[k].n);
		b->avail = 0;
	}
	*out = b;
	return 0;
}

SWAPCTL_EXPORT
void swapctl_blist_destroy(struct swapctl_blist *b)
{
	if (!b)
		return;
	blist_release(b);
	free(b);
}

SWAPCTL_EXPORT
uint64_t swapctl_blist_avail(const struct swapctl_blist *b)
{
	return b ? b->avail : 0;
}

SWAPCTL_EXPORT
uint64_t swapctl_blist_size(const struct swapctl_blist *b)
{
	return b ? b->nblocks : 0;
}

SWAPCTL_EXPORT
size_t swapctl_blist_memory(const struct swapctl_blist *b)
{
	size_t n;
	unsigned k;

	if (!b)
		return 0;
	n = sizeof(*b) + b->mapbytes;
	for (k = 0; k < b->nlevels; k++)
		n += b->lv[k].bytes;
	return n;
}

/*
 * The search when the cursor's chunk has no room (or count >= 64): right
 * of the cursor, then from block 0.  carry is the free run ending at the
 * end of the cursor's chunk when count < 64, its chunk already scanned.
 */
static uint64_t alloc_search(struct swapctl_blist *b, uint64_t pos, uint64_t count,
			     uint64_t carry)
{
	uint64_t s;

	if (count > smax(lv_get(&b->lv[b->nlevels - 1], 0)))
		return NONE;
	s = count < 64 ? find_right(b, pos >> CHUNK_SHIFT, count, carry) : find_from(b, pos, count);
	if (s == NONE && (pos || b->ndirty)) {
		/* from block 0 the pending entries may be in the way */
		flush(b);
		if (count > smax(lv_get(&b->lv[b->nlevels - 1], 0)))
			return NONE;
		s = find_from(b, 0, count);
	}
	return s;
}

SWAPCTL_EXPORT
int swapctl_blist_alloc(struct swapctl_blist *b, uint64_t count, uint64_t maxcount,
			uint64_t *start, uint64_t *len)
{
	uint64_t s = NONE, n, e, pos, carry = 0;

	if (!b || !start || !len || count - 1 >= maxcount)
		return -EINVAL;         /* also count 0 */
	/* the common case: room in the cursor's chunk, scanned word by word
	 * (the root need not be asked then) */
	pos = b->cursor;
	if (count < 64)
		s = chunk_find_small(b->map, pos >> CHUNK_SHIFT, pos, count, &carry);
	if (s == NONE) {
		s = alloc_search(b, pos, count, carry);
		if (s == NONE)
			return count > smax(lv_get(&b->lv[b->nlevels - 1], 0)) ? -ENOSPC : -EUCLEAN;
		if (s >= b->nblocks)
			return -EUCLEAN;        /* the summaries promised a run */
	}
	n = count;
	if (maxcount > count)
		n += run_length(b, s + count, maxcount - count);
	e = s + n;
	if (s >> CHUNK_SHIFT == (e - 1) >> CHUNK_SHIFT)
		take_chunk(b, s >> CHUNK_SHIFT, s, e);
	else
		take(b, s, e);
	b->avail -= n;
	b->cursor = e < b->nblocks ? e : 0;
	if (e >= b->nblocks)
		flush(b);               /* keep the pending entries left of the cursor */
	*start = s;
	*len = n;
	return 0;
}

static inline int range_ok(const struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	if (!b || n == 0)
		return -EINVAL;
	if (start >= b->nblocks || n > b->nblocks - start)
		return -ERANGE;
	return 0;
}

/*
 * Does [start, start+n) touch the pending chunk?  One unsigned compare
 * (NONE, or a chunk below the range's first, wraps past any range), no
 * test of ndirty before it: the three tests of two branches mispredicted
 * 0.08 times per free at 50% (the pending chunk moves with the cursor).
 */
static inline bool s_chunk_pending(const struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	uint64_t c0 = start >> CHUNK_SHIFT;

	return b->dirty[0] - c0 <= ((start + n - 1) >> CHUNK_SHIFT) - c0;
}

/* A free of more than 64 blocks (see swapctl_blist_free). */
static __attribute__((noinline)) int free_long(struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	uint64_t e = start + n;

	if (!bits_all_set(b->map, start, e))
		return -EINVAL;
	if (s_chunk_pending(b, start, n))
		flush(b);
	bits_clear(b->map, start, e);
	if (start >> CHUNK_SHIFT == (e - 1) >> CHUNK_SHIFT)
		give_chunk(b, start, e);
	else
		update_range(b, start, e, false);
	b->avail += n;
	return 0;
}

/* A free of at most 64 blocks over two chunks: two frees, one per chunk. */
static __attribute__((noinline)) int give_two(struct swapctl_blist *b, uint64_t c,
					      uint64_t s, uint64_t e)
{
	give_chunk(b, s, (c + 1) << CHUNK_SHIFT);
	return give_chunk(b, (c + 1) << CHUNK_SHIFT, e);
}

static int free_small(struct swapctl_blist *b, uint64_t start, uint64_t n);

/* A free touching the pending chunk: flush, then free (nothing pending
 * then, so no second flush); out of line, so the common free saves no
 * registers for a call. */
static __attribute__((noinline)) int free_pending(struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	flush(b);
	return free_small(b, start, n);
}

/*
 * Check that the blocks start .. e1 (at most 64, in one or two words) are
 * allocated and clear them; lo and hi get the allocated blocks below and
 * above them in their words.  m1 is empty when the range stays in the
 * first word (then the second store, to that word, is the one that
 * counts), so neither the check nor the stores branch on which case it is.
 */
static inline __attribute__((always_inline)) int words_give(uint64_t *map, uint64_t start,
							    uint64_t e1, uint64_t n,
							    uint64_t *lo, uint64_t *hi)
{
	unsigned bit = start & 63;
	uint64_t m = ~UINT64_C(0) >> (64 - n), m0 = m << bit, m1 = (m >> 1) >> (63 - bit);
	uint64_t x0 = map[start >> 6], x1 = map[e1 >> 6];

	if ((x0 & m0) != m0 || (x1 & m1) != m1)
		return -EINVAL;         /* part of it is already free */
	map[e1 >> 6] = x1 & ~m1;
	map[start >> 6] = x0 & ~m0;
	*lo = x0 & ~(m0 | (0 - m0));     /* the bits below the range's first */
	*hi = x1 & (~UINT64_C(1) << (e1 & 63));
	return 0;
}

/*
 * Any free the common one below leaves: errors, more than 64 blocks, a
 * range over two chunks or in the map's last word, and the common one
 * after a flush.
 */
static __attribute__((noinline)) int free_small(struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	int r = range_ok(b, start, n);
	uint64_t e1 = start + n - 1, lo, hi;

	if (r < 0)
		return r;
	if (n > 64)
		return free_long(b, start, n);
	if (s_chunk_pending(b, start, n))
		return free_pending(b, start, n);       /* before the loads */
	if (words_give(b->map, start, e1, n, &lo, &hi) != 0)
		return -EINVAL;
	b->avail += n;
	if (start >> CHUNK_SHIFT != e1 >> CHUNK_SHIFT)
		return give_two(b, start >> CHUNK_SHIFT, start, e1 + 1);
	return give_chunk_lh(b, start, e1 + 1, lo, hi);
}

/*
 * The common free: at most 64 blocks in one chunk, not in the map's last
 * word, the chunk not pending.  The words are usually a cache miss, and
 * every instruction that waits for them holds a place in the scheduler
 * the next calls' loads need (measured: 60 more of them took free from
 * 1.0 to 1.7 of the time of the same code without them, 60 that do not
 * wait cost nothing to 0.05): so when the blocks around the range are
 * allocated in the same words, the run's length and the raise of the
 * inner values of the chunk and its level-1 entry follow in few
 * instructions; anything else is out of line.  The tests that send a free
 * elsewhere come first, folded into one branch (no range_ok(): a count of
 * 0 or over 64, a range past the map or wrapping, or over two chunks all
 * make the OR non-zero or end past the last full word).
 */
SWAPCTL_EXPORT
int swapctl_blist_free(struct swapctl_blist *b, uint64_t start, uint64_t n)
{
	uint64_t e1 = start + n - 1, lo, hi;

	if (!b)
		return -EINVAL;
	if (((n - 1) >> 6 | (start ^ e1) >> CHUNK_SHIFT) != 0 || e1 >= (b->nblocks & ~UINT64_C(63)))
		return free_small(b, start, n);
	if (b->dirty[0] == start >> CHUNK_SHIFT)
		return free_pending(b, start, n);
	if (words_give(b->map, start, e1, n, &lo, &hi) != 0)
		return -EINVAL;
	b->avail += n;
	if (!lo || !hi)
		return give_chunk_lh(b, start, e1 + 1, lo, hi);
	/* casts to unsigned: no sign extensions on the loaded bits' path */
	return inner_raise(b, start >> CHUNK_SHIFT, (e1 | 63) - (start | 63) - 64 +
			   (unsigned)__builtin_ctzll(hi) + (unsigned)__builtin_clzll(lo));
}

SWAPCTL_EXPORT
int swapctl_blist_fill(struct swapctl_blist *b, uint64_t start, uint64_t n, uint64_t *nfilled)
{
	uint64_t f;
	int r = range_ok(b, start, n);

	if (r < 0)
		return r;
	flush(b);
	f = bits_count_free(b->map, start, start + n);
	if (f) {
		bits_set(b->map, start, start + n);
		update_range(b, start, start + n, false);
		b->avail -= f;
	}
	if (nfilled)
		*nfilled = f;
	return 0;
}

SWAPCTL_EXPORT
int swapctl_blist_next_free(const struct swapctl_blist *b, uint64_t from,
			    uint64_t *start, uint64_t *len)
{
	uint64_t s;

	if (!b || !start || !len)
		return -EINVAL;
	if (from >= b->nblocks)
		return -ENOENT;
	flush_c(b);
	s = find_from(b, from, 1);
	if (s == NONE || s >= b->nblocks)
		return -ENOENT;
	*start = s;
	*len = run_length(b, s, b->nblocks - s);
	return 0;
}

SWAPCTL_EXPORT
int swapctl_blist_stats(const struct swapctl_blist *b, struct swapctl_freestats *st)
{
	uint64_t pos = 0, s, len;

	if (!b || !st)
		return -EINVAL;
	freestats_start(st, b->nblocks, b->avail);
	while (pos < b->nblocks && swapctl_blist_next_free(b, pos, &s, &len) == 0) {
		freestats_add(st, len);
		pos = s + len;
	}
	freestats_end(st);
	return 0;
}

/* Free blocks in [lo, hi) under entry i of level k, skipping uniform entries. */
static uint64_t count_free(const struct swapctl_blist *b, unsigned k, uint64_t i,
			   uint64_t lo, uint64_t hi)
{
	const struct level *l = &b->lv[k];
	uint64_t s = i << l->shift, e = s + span_of(l), n = 0, j, nch;
	struct sum x;

	if (s < lo)
		s = lo;
	if (e > hi)
		e = hi;
	if (s >= e)
		return 0;
	x = lv_get(l, i);
	if (smax(x) == 0)
		return 0;
	if (x.h == span_of(l))
		return e - s;
	if (k == 0)
		return bits_count_free(b->map, s, e);
	nch = UINT64_C(1) << l->fshift;
	for (j = 0; j < nch; j++)
		n += count_free(b, k - 1, (i << l->fshift) + j, lo, hi);
	return n;
}

/*
 * Copy entry i of level k of src, and what is under it, into dst for the
 * blocks below lim: bitmap words of every chunk starting below lim, and
 * summaries of entries ending at or below it.  Fully free entries are
 * skipped: dst starts all free.
 */
static void copy_entry(struct swapctl_blist *dst, const struct swapctl_blist *src,
		       unsigned k, uint64_t i, uint64_t lim)
{
	const struct level *l = &src->lv[k];
	uint64_t s = i << l->shift, e = s + span_of(l), nch, j;

	if (s >= lim || lv_is_free(l, i))
		return;
	if (k == 0) {
		memcpy(dst->map + i * CHUNK_WORDS, src->map + i * CHUNK_WORDS,
		       CHUNK_WORDS * sizeof(uint64_t));
		if (e <= lim)
			lv_put(&dst->lv[0], i, chunk_get(src, i));
		return;
	}
	if (e <= lim && k < dst->nlevels && i < dst->lv[k].nreal)
		lv_put(&dst->lv[k], i, lv_get(l, i));
	nch = UINT64_C(1) << l->fshift;
	for (j = 0; j < nch; j++) {
		uint64_t c = (i << l->fshift) + j;

		if (c < src->lv[k - 1].nreal)
			copy_entry(dst, src, k - 1, c, lim);
	}
}

/*
 * Resize by building a new map: it starts all free (untouched memory),
 * receives the non-free parts of the common range, then the boundary and
 * the new tail are set and their summaries rebuilt up to the root.  On
 * failure the old map is untouched.
 */
SWAPCTL_EXPORT
int swapctl_blist_resize(struct swapctl_blist *b, uint64_t nblocks, bool new_free)
{
	struct swapctl_blist *nb;
	uint64_t m, lost = 0, end, lo, ce;
	unsigned k;
	int r;

	if (!b || nblocks == 0 || nblocks > BLIST_MAX)
		return -EINVAL;
	if (nblocks == b->nblocks)
		return 0;
	flush(b);
	nb = malloc(sizeof(*nb));
	if (!nb)
		return -ENOMEM;
	r = blist_alloc_arrays(nb, nblocks);
	if (r < 0) {
		blist_release(nb);
		free(nb);
		return r;
	}
	m = nblocks < b->nblocks ? nblocks : b->nblocks;
	if (nblocks < b->nblocks)
		lost = count_free(b, b->nlevels - 1, 0, nblocks, b->nblocks);
	copy_entry(nb, b, b->nlevels - 1, 0, m);
	end = nb->nwords * 64;
	/* words copied past m hold the old state or padding: reset them */
	ce = ((m + CHUNK_BLOCKS - 1) >> CHUNK_SHIFT) << CHUNK_SHIFT;
	if (m < ce)
		bits_clear(nb->map, m, ce);
	if (nblocks > m && !new_free)
		bits_set(nb->map, m, nblocks);
	if (nblocks < end)
		bits_set(nb->map, nblocks, end);
	for (k = 1; k < nb->nlevels; k++)
		level_fill_alloc(&nb->lv[k], nb->lv[k].nreal, nb->lv[k].n);
	lo = ((m - 1) >> CHUNK_SHIFT) << CHUNK_SHIFT;
	if (nblocks > m && new_free) {
		/* between these two ranges all is fresh and free */
		update_range(nb, lo, ce + CHUNK_BLOCKS < end ? ce + CHUNK_BLOCKS : end, true);
		update_range(nb, ((nblocks - 1) >> CHUNK_SHIFT) << CHUNK_SHIFT, end, true);
	} else {
		update_range(nb, lo, end, true);
	}
	nb->avail = b->avail - lost + (new_free && nblocks > m ? nblocks - m : 0);
	nb->cursor = b->cursor < nblocks ? b->cursor : 0;
	blist_release(b);
	*b = *nb;
	free(nb);
	return 0;
}

SWAPCTL_EXPORT
int swapctl_blist_check(const struct swapctl_blist *b)
{
	uint64_t i, end;
	unsigned k;

	if (!b)
		return -EINVAL;
	if (b->ndirty) {
		/* the allowed disagreement: pending entries, none right of the
		 * cursor, whose head and tail are right and inner not too low */
		unsigned n = 0;

		for (k = 0; k < b->nlevels; k++) {
			uint64_t c = b->dirty[k];
			struct sum x, y;

			if (c == NONE)
				continue;
			n++;
			x = lv_get(&b->lv[k], c);
			y = entry_scan(b, k, c);
			if (c >= b->lv[k].n || c > b->cursor >> b->lv[k].shift ||
			    x.h != y.h || x.t != y.t || x.i < y.i)
				return -EUCLEAN;
		}
		if (n != b->ndirty)
			return -EUCLEAN;
		flush_c(b);
	}
	end = b->nwords * 64;
	if (b->nblocks < end && !bits_all_set(b->map, b->nblocks, end))
		return -EUCLEAN;
	for (i = 0; i < b->lv[0].n; i++)
		if (!sum_eq(chunk_get(b, i), chunk_sum(b, i)))
			return -EUCLEAN;
	for (k = 1; k < b->nlevels; k++) {
		const struct level *l = &b->lv[k];

		for (i = 0; i < l->nreal; i++)
			if (!sum_eq(lv_get(l, i), node_combine(b, k, i)))
				return -EUCLEAN;
		for (; i < l->n; i++)
			if (!sum_eq(lv_get(l, i), SUM_NONE))
				return -EUCLEAN;
	}
	if (bits_count_free(b->map, 0, b->nblocks) != b->avail)
		return -EUCLEAN;
	if (b->cursor >= b->nblocks)
		return -EUCLEAN;
	return 0;
}

static void dump_entry(const struct swapctl_blist *b, FILE *fp, unsigned k,
		       uint64_t i, unsigned depth, unsigned *lines)
{
	const struct level *l = &b->lv[k];
	uint64_t s0 = i << l->shift, span = span_of(l), j, nch;
	struct sum s = lv_get(l, i);

	if (*lines >= 400)
		return;
	if (s0 >= b->nblocks)
		return;
	(*lines)++;
	fprintf(fp, "%*s%s %" PRIu64 " [%" PRIu64 ", %" PRIu64 "): ",
		(int)(2 * depth), "", k ? "node" : "chunk", i, s0, s0 + span);
	if (smax(s) == 0) {
		fputs("allocated\n", fp);
		return;
	}
	if (s.h == span) {
		fputs("free\n", fp);
		return;
	}
	fprintf(fp, "head %" PRIu64 " tail %" PRIu64 " inner %" PRIu64 "\n", s.h, s.t, s.i);
	if (k == 0) {
		fprintf(fp, "%*s", (int)(2 * depth + 2), "");
		for (j = 0; j < CHUNK_WORDS; j++)
			fprintf(fp, "%016" PRIx64 "%s", b->map[i * CHUNK_WORDS + j],
				j + 1 < CHUNK_WORDS ? " " : "\n");
		return;
	}
	nch = UINT64_C(1) << l->fshift;
	for (j = 0; j < nch; j++)
		dump_entry(b, fp, k - 1, (i << l->fshift) + j, depth + 1, lines);
}

SWAPCTL_EXPORT
void swapctl_blist_dump(const struct swapctl_blist *b, FILE *fp)
{
	uint64_t pos = 0, s, len;
	unsigned lines = 0, n = 0;

	if (!b || !fp)
		return;
	flush_c(b);
	fprintf(fp, "blist: %" PRIu64 " blocks, %" PRIu64 " free, cursor %" PRIu64
		", %u levels, %zu bytes\n", b->nblocks, b->avail, b->cursor,
		b->nlevels, swapctl_blist_memory(b));
	dump_entry(b, fp, b->nlevels - 1, 0, 0, &lines);
	if (lines >= 400)
		fputs("  ...\n", fp);
	fputs("free runs:\n", fp);
	while (pos < b->nblocks && swapctl_blist_next_free(b, pos, &s, &len) == 0) {
		if (n++ == 200) {
			fputs("  ...\n", fp);
			break;
		}
		fprintf(fp, "  [%" PRIu64 ", %" PRIu64 ") %" PRIu64 "\n", s, s + len, len);
		pos = s + len;
	}
}
