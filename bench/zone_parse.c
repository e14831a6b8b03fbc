/* zone_parse.c — our scanner alone, for comparison with zscanner_parse.c:
 * parses a zone file with a callback that only counts, decoding NS and DS
 * (what `tldsec scan` needs), and prints its throughput.
 *
 * Usage: zone_parse ZONE ORIGIN [THREADS]
 * Prints one line: "tldsec scanner: BYTES bytes RECORDS records SECONDS s MB/s". */
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "base/num.h"
#include "dns/zone.h"

static int on_record(void *user, const zone_rr_t *rr)
{
	(void)rr;
	uint64_t *n = user;
	(*n)++;
	return 0;
}

int main(int argc, char **argv)
{
	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: zone_parse ZONE ORIGIN [THREADS]\n");
		return 2;
	}
	uint64_t threads = 2;
	if (argc == 4 && ts_parse_uint_arg(argv[3], 256, &threads) != TS_OK) {
		fprintf(stderr, "zone_parse: bad thread count\n");
		return 2;
	}
	zone_opts_t o = { .origin = argv[2], .default_ttl = 3600, .threads = (unsigned)threads,
	                  .decode = ZONE_DEC_NS | ZONE_DEC_DS };
	uint64_t records = 0;
	zone_totals_t tot;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int ret = zone_scan_file(argv[1], &o, on_record, &records, &tot);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret != TS_OK)
		return 1;
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("tldsec scanner: %llu bytes %llu records %.3f s %.1f MB/s\n",
	       (unsigned long long)tot.bytes, (unsigned long long)records, sec, (double)tot.bytes / sec / 1e6);
	return 0;
}
