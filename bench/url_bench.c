/* url_bench.c — hosts per second reduced by url_to_host, on a mix shaped
 * like real feeds: plain and TLS URLs with paths and queries, ports,
 * userinfo, bare names, IP literals and a few internationalised names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "feeds/url.h"

#define N_URLS 100000

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 20;
	static char urls[N_URLS][160];
	static size_t lens[N_URLS];
	unsigned seed = 12345;
	for (int i = 0; i < N_URLS; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned r = (seed >> 8) % 100;
		int n;
		if (r < 50)
			n = snprintf(urls[i], sizeof(urls[i]), "https://login-%u.secure%u.example/wp-admin/index.php?id=%u",
			             seed % 9973, i, seed % 977);
		else if (r < 70)
			n = snprintf(urls[i], sizeof(urls[i]), "http://WWW.Shop%u.Example:8080/a/b/c.html", i);
		else if (r < 80)
			n = snprintf(urls[i], sizeof(urls[i]), "http://user:pw@cdn%u.example/x", i);
		else if (r < 90)
			n = snprintf(urls[i], sizeof(urls[i]), "bad%u.example", i);
		else if (r < 98)
			n = snprintf(urls[i], sizeof(urls[i]), "http://198.51.%u.%u/bins/mozi.m", (i >> 8) & 255, i & 255);
		else
			n = snprintf(urls[i], sizeof(urls[i]), "http://b\xc3\xbc" "cher%u.example/", i);
		lens[i] = (size_t)n;
	}
	char out[URL_HOST_CAP];
	size_t len, total = 0, ok = 0;
	url_host_kind_t kind;
	double t0 = now();
	for (int r = 0; r < rounds; r++)
		for (int i = 0; i < N_URLS; i++) {
			if (url_to_host(urls[i], lens[i], out, sizeof(out), &len, &kind) == TS_OK)
				ok++;
			total += len;
		}
	double dt = now() - t0;
	double n = (double)rounds * N_URLS;
	printf("url_to_host: %.0f indicators in %.3f s: %.2f M hosts/s (%zu reduced, checksum %zu)\n",
	       n, dt, n / dt / 1e6, ok, total);
	return 0;
}
