/* zone_parse.c — our scanner alone, for comparison with zscanner_parse.c:
 * parses a zone file, decoding NS and DS (what `tldsec scan` needs), and
 * prints its throughput.
 *
 * Usage: zone_parse ZONE ORIGIN [THREADS [MODE]]
 * MODE "count" (the default): a callback that only counts, records in file
 * order (the reader thread is the only other thread).
 * MODE "scan": what `tldsec scan` asks for — records from several threads
 * at once (parallel_callback) into a callback like the scan's: an atomic
 * count of NS records and, when the owner differs from the previous
 * record's (per thread), an XXH3 hash of the owner.
 * MODE "owners": the same callback, no RDATA decoded (what `tldsec scan`
 * asks for today: it needs the owners and types only).
 * MODE "mem": the parse alone, on one thread: the file is read into memory
 * first (not timed), then scanned from memory (zone_scan_mem, THREADS
 * ignored) as in "owners"; SECONDS is the process's CPU time of the scan.
 * Prints one line: "tldsec scanner: BYTES bytes RECORDS records SECONDS s MB/s". */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "base/num.h"
#include "dns/zone.h"

static int on_record(void *user, const zone_rr_t *rr)
{
	(void)rr;
	uint64_t *n = user;
	(*n)++;
	return 0;
}

typedef struct scan_like {
	atomic_ullong ns;        /* NS records */
	atomic_ullong owners;    /* owner changes */
	atomic_ullong mix;       /* the owner hashes, so they are not optimised away */
} scan_like_t;

static _Thread_local char last_owner[1024];
static _Thread_local size_t last_len = (size_t)-1;

static int on_record_scan(void *user, const zone_rr_t *rr)
{
	scan_like_t *s = user;
	if (rr->type != ZONE_T_NS && rr->type != ZONE_T_DS)
		return 0;
	if (rr->type == ZONE_T_NS)
		atomic_fetch_add_explicit(&s->ns, 1, memory_order_relaxed);
	if (rr->owner_len != last_len || memcmp(rr->owner, last_owner, rr->owner_len) != 0) {
		XXH64_hash_t h = XXH3_64bits(rr->owner, rr->owner_len);
		memcpy(last_owner, rr->owner, rr->owner_len < sizeof(last_owner) ? rr->owner_len : sizeof(last_owner));
		last_len = rr->owner_len;
		atomic_fetch_add_explicit(&s->owners, 1, memory_order_relaxed);
		atomic_fetch_xor_explicit(&s->mix, h, memory_order_relaxed);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 5) {
		fprintf(stderr, "usage: zone_parse ZONE ORIGIN [THREADS [count|scan|owners]]\n");
		return 2;
	}
	uint64_t threads = 2;
	if (argc >= 4 && ts_parse_uint_arg(argv[3], 256, &threads) != TS_OK) {
		fprintf(stderr, "zone_parse: bad thread count\n");
		return 2;
	}
	bool mem = argc == 5 && strcmp(argv[4], "mem") == 0;
	bool owners = mem || (argc == 5 && strcmp(argv[4], "owners") == 0);
	bool scan = owners || (argc == 5 && strcmp(argv[4], "scan") == 0);
	if (argc == 5 && !scan && strcmp(argv[4], "count") != 0) {
		fprintf(stderr, "zone_parse: mode is count, scan, owners or mem\n");
		return 2;
	}
	char *text = NULL;
	size_t text_len = 0;
	if (mem) {
		FILE *f = fopen(argv[1], "rb");
		if (f == NULL || fseek(f, 0, SEEK_END) != 0) {
			fprintf(stderr, "zone_parse: cannot read %s\n", argv[1]);
			return 1;
		}
		long sz = ftell(f);
		text = sz > 0 ? malloc((size_t)sz) : NULL;
		if (text == NULL || fseek(f, 0, SEEK_SET) != 0 || fread(text, 1, (size_t)sz, f) != (size_t)sz) {
			fprintf(stderr, "zone_parse: cannot read %s\n", argv[1]);
			return 1;
		}
		fclose(f);
		text_len = (size_t)sz;
		threads = 1;
	}
	zone_opts_t o = { .origin = argv[2], .default_ttl = 3600, .threads = (unsigned)threads,
	                  .decode = owners ? 0 : ZONE_DEC_NS | ZONE_DEC_DS, .parallel_callback = scan };
	uint64_t records = 0;
	scan_like_t sl;
	atomic_init(&sl.ns, 0);
	atomic_init(&sl.owners, 0);
	atomic_init(&sl.mix, 0);
	zone_totals_t tot;
	struct timespec t0, t1;
	clockid_t clk = mem ? CLOCK_PROCESS_CPUTIME_ID : CLOCK_MONOTONIC;
	clock_gettime(clk, &t0);
	int ret = mem    ? zone_scan_mem(argv[1], text, text_len, &o, on_record_scan, &sl, &tot)
	          : scan ? zone_scan_file(argv[1], &o, on_record_scan, &sl, &tot)
	                 : zone_scan_file(argv[1], &o, on_record, &records, &tot);
	clock_gettime(clk, &t1);
	free(text);
	if (ret != TS_OK)
		return 1;
	if (scan)
		records = tot.records;
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("tldsec scanner: %llu bytes %llu records %.3f s %.1f MB/s", (unsigned long long)tot.bytes,
	       (unsigned long long)records, sec, (double)tot.bytes / sec / 1e6);
	if (scan)
		printf(" (NS %llu, owner changes %llu)", (unsigned long long)atomic_load(&sl.ns),
		       (unsigned long long)atomic_load(&sl.owners));
	printf("\n");
	return 0;
}
