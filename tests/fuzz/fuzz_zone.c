/* fuzz_zone.c — the master-file scanner and the statistics accumulator on
 * arbitrary bytes: every record or a clean error, never a crash. Inputs
 * are scanned with one thread and with the reader thread, and both must
 * see the same number of records. */
#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "dns/zone.h"
#include "dns/zonestats.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col; (void)msg;
}

static int check_rr(void *user, const zone_rr_t *rr)
{
	if (strlen(rr->owner) != rr->owner_len || rr->line == 0)
		__builtin_trap();
	if (rr->decoded && rr->type == ZONE_T_NS && strlen(rr->rd.ns.name) != rr->rd.ns.len)
		__builtin_trap();
	return zonestats_add(user, rr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ts_log_set(quiet, NULL, TS_LOG_ERR);
	zone_totals_t t1, t2;
	int r1, r2;
	for (unsigned threads = 1; threads <= 2; threads++) {
		zonestats_t *st = NULL;
		if (zonestats_new(&st, 1767225600, 0) != TS_OK)
			return 0;
		if (threads == 2 && zonestats_use_thread(st) != TS_OK) {
			zonestats_free(&st);
			return 0;
		}
		zone_opts_t o = { .origin = "fuzz.", .default_ttl = 3600, .no_include = true,
		                  .decode = ZONE_DEC_ALL, .threads = threads };
		int r = zone_scan_mem("fuzz", data, size, &o, check_rr, st, threads == 1 ? &t1 : &t2);
		zonestats_result_t res;
		if (zonestats_result(st, &res) != TS_OK || res.records > (threads == 1 ? t1 : t2).records)
			__builtin_trap();
		zonestats_free(&st);
		if (threads == 1)
			r1 = r;
		else
			r2 = r;
	}
	if (r1 != r2 || t1.records != t2.records)
		__builtin_trap();
	return 0;
}
