/*
 * Fuzz target: the text parsers of the reports: /proc/vmstat, PSI,
 * zram mm_stat and comp_algorithm, /proc/PID/status, smaps_rollup,
 * memory.stat and the "Key: value kB" helper.  Every parser sees every input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct swapctl_vmstat vs;
	struct swapctl_psi psi;
	struct swapctl_zram z;
	struct swapctl_proc p;
	char *text, alg[32];
	uint64_t v;

	if (size > 1 << 20)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	vmstat_parse(text, &vs);
	psi_parse(text, &psi);
	memset(&z, 0, sizeof(z));
	zram_parse_mm_stat(text, &z);
	zram_parse_algorithm(text, alg, sizeof(alg));
	memset(&p, 0, sizeof(p));
	proc_status_parse(text, &p);
	smaps_rollup_parse(text, &p);
	memcg_stat_swap(text, &v);
	kv_u64(text, "VmSwap", &v);
	free(text);
	return 0;
}
