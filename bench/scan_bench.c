/* scan_bench.c — scan_delegation calls per second against a frozen scan
 * holding 100,000 in-zone indicators, over 2,000,000 delegation owners of
 * which 1 in 20 is a candidate: the per-NS-record cost inside a zone scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "scan/scan.h"

#define N_IND 100000
#define N_OWNERS 2000000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(void)
{
	scan_t *s = NULL;
	unsigned f;
	char host[64];
	if (scan_new(&s, "example") != TS_OK || scan_feed(s, "openphish", &f) != TS_OK)
		return 1;
	double t0 = now();
	for (int i = 0; i < N_IND; i++) {
		int n = snprintf(host, sizeof(host), "www.d%d.example", i * 20);
		if (scan_add_indicator(s, f, host, (size_t)n, host, (size_t)n, 1, FEED_THREAT_PHISHING) != TS_OK)
			return 1;
	}
	if (scan_freeze(s) != TS_OK)
		return 1;
	double t1 = now();
	char (*owners)[32] = malloc((size_t)N_OWNERS * 32);
	size_t *lens = malloc((size_t)N_OWNERS * sizeof(*lens));
	if (owners == NULL || lens == NULL)
		return 1;
	for (int i = 0; i < N_OWNERS; i++)
		lens[i] = (size_t)snprintf(owners[i], 32, "d%d.example", i);
	double t2 = now();
	for (int i = 0; i < N_OWNERS; i++)
		scan_delegation(s, owners[i], lens[i]);
	double t3 = now();
	scan_counts_t c;
	if (scan_finish(s, NULL, &c) != TS_OK)
		return 1;
	double t4 = now();
	printf("scan: %d indicators added and frozen in %.3f s; %d scan_delegation calls in %.3f s: "
	       "%.1f M calls/s; finish %.3f s; %llu findings\n",
	       N_IND, t1 - t0, N_OWNERS, t3 - t2, N_OWNERS / (t3 - t2) / 1e6, t4 - t3,
	       (unsigned long long)c.findings);
	free(owners);
	free(lens);
	scan_free(&s);
	return 0;
}
