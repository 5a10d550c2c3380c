/*
 * A process with known memory for tests/swapmap.sh.  It maps PAGES private
 * anonymous pages, writes a pattern in each, prints "ready ADDRESS", then
 * answers one command per line on standard input, one line each:
 *
 *   out FIRST COUNT      MADV_PAGEOUT pages FIRST..FIRST+COUNT-1 until
 *                        every one is swapped (20 tries): "swapped N"
 *   where FIRST COUNT    from its own pagemap (root): "T:N ..." pages per
 *                        swap type, "present:N" for those in RAM
 *   touch FIRST COUNT    read the pages back, check the pattern: "ok" or
 *                        "bad PAGE"
 *   quit
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif

static unsigned char *mem;
static size_t pagesize, npages;
static int pmfd;

static int entries(size_t first, size_t count, uint64_t *e)
{
	off_t off = (off_t)(((uintptr_t)mem / pagesize + first) * 8);
	ssize_t n = pread(pmfd, e, count * 8, off);

	return n == (ssize_t)(count * 8) ? 0 : -1;
}

static size_t swapped(size_t first, size_t count)
{
	uint64_t *e = calloc(count, 8);
	size_t i, n = 0;

	if (!e || entries(first, count, e) < 0) {
		free(e);
		return 0;
	}
	for (i = 0; i < count; i++)
		n += (e[i] >> 62) & 1;
	free(e);
	return n;
}

static void cmd_where(size_t first, size_t count)
{
	uint64_t *e = calloc(count, 8);
	size_t per[32] = { 0 }, present = 0, i;

	if (!e || entries(first, count, e) < 0) {
		printf("error\n");
		free(e);
		return;
	}
	for (i = 0; i < count; i++) {
		if (e[i] >> 63)
			present++;
		else if ((e[i] >> 62) & 1)
			per[e[i] & 0x1f]++;
	}
	for (i = 0; i < 32; i++)
		if (per[i])
			printf("%zu:%zu ", i, per[i]);
	printf("present:%zu\n", present);
	free(e);
}

static void fill(size_t i)
{
	memset(mem + i * pagesize, (int)(i % 251) + 1, pagesize);
	memcpy(mem + i * pagesize, &i, sizeof(i));
}

static void cmd_touch(size_t first, size_t count)
{
	size_t i;

	for (i = first; i < first + count; i++) {
		size_t v;

		memcpy(&v, mem + i * pagesize, sizeof(v));
		if (v != i || mem[i * pagesize + pagesize - 1] != (unsigned char)(i % 251 + 1)) {
			printf("bad %zu\n", i);
			return;
		}
	}
	printf("ok\n");
}

int main(int argc, char **argv)
{
	char line[128];
	size_t i;

	if (argc != 2 || (npages = strtoul(argv[1], NULL, 10)) == 0)
		return 2;
	pagesize = (size_t)sysconf(_SC_PAGESIZE);
	mem = mmap(NULL, npages * pagesize, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	pmfd = open("/proc/self/pagemap", O_RDONLY);
	if (mem == MAP_FAILED || pmfd < 0)
		return 3;
	madvise(mem, npages * pagesize, MADV_NOHUGEPAGE);
	for (i = 0; i < npages; i++)
		fill(i);
	printf("ready %p\n", (void *)mem);
	fflush(stdout);
	while (fgets(line, sizeof(line), stdin)) {
		size_t first = 0, count = 0;
		char cmd[16];
		int tries;

		if (sscanf(line, "%15s %zu %zu", cmd, &first, &count) < 1 || !strcmp(cmd, "quit"))
			break;
		if (first + count > npages || count == 0) {
			printf("range\n");
		} else if (!strcmp(cmd, "out")) {
			for (tries = 0; tries < 20 && swapped(first, count) < count; tries++) {
				if (madvise(mem + first * pagesize, count * pagesize, MADV_PAGEOUT) < 0) {
					printf("madvise %s\n", strerror(errno));
					break;
				}
				if (tries)
					usleep(20000);
			}
			printf("swapped %zu\n", swapped(first, count));
		} else if (!strcmp(cmd, "where")) {
			cmd_where(first, count);
		} else if (!strcmp(cmd, "touch")) {
			cmd_touch(first, count);
		} else {
			printf("unknown\n");
		}
		fflush(stdout);
	}
	return 0;
}
