/* export_zone.c — the patched-zone writer on a large zone, for comparison
 * with zone_parse.c (the scanner alone): picks NSUSPEND and NREDIRECT
 * delegations spread over the zone (a first, untimed scan lists them), then
 * times export_zone_write to OUT.
 *
 * Usage: export_zone ZONE ORIGIN OUT NSUSPEND NREDIRECT
 * Prints one line: "export zone: BYTES bytes RECORDS in OUT out SECONDS s MB/s". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/num.h"
#include "dns/zone.h"
#include "export/zone.h"

struct pick {
	char **names;
	size_t n, cap;
	char last[1024];
};

static int on_record(void *user, const zone_rr_t *rr)
{
	struct pick *p = user;
	if (rr->type != ZONE_T_NS || rr->owner_len == 0 || strchr(rr->owner, '.') == NULL ||
	    strcmp(rr->owner, p->last) == 0)
		return 0;
	(void)snprintf(p->last, sizeof(p->last), "%s", rr->owner);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		char **v = realloc(p->names, p->cap * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		p->names = v;
	}
	if ((p->names[p->n] = strdup(rr->owner)) == NULL)
		return TS_ENOMEM;
	p->n++;
	return 0;
}

int main(int argc, char **argv)
{
	uint64_t ns, nr;
	if (argc != 6 || ts_parse_uint_arg(argv[4], 1000000, &ns) != TS_OK ||
	    ts_parse_uint_arg(argv[5], 1000000, &nr) != TS_OK) {
		fprintf(stderr, "usage: export_zone ZONE ORIGIN OUT NSUSPEND NREDIRECT\n");
		return 2;
	}
	struct pick p = { 0 };
	zone_opts_t zo = { .origin = argv[2], .default_ttl = 3600, .threads = 2, .decode = ZONE_DEC_NS };
	if (zone_scan_file(argv[1], &zo, on_record, &p, NULL) != TS_OK || p.n < 2 * (ns + nr) + 2) {
		fprintf(stderr, "export_zone: cannot list %llu delegations\n", (unsigned long long)(ns + nr));
		return 1;
	}
	const char **susp = calloc(ns + 1, sizeof(*susp));
	export_zone_redirect_t *red = calloc(nr + 1, sizeof(*red));
	static const char *const sink[] = { "ns1.sinkhole.example.net", "ns2.sinkhole.example.net" };
	size_t step = p.n / (ns + nr + 1);
	for (uint64_t i = 0; i < ns; i++)
		susp[i] = p.names[(i + 1) * step];
	for (uint64_t i = 0; i < nr; i++)
		red[i] = (export_zone_redirect_t){ p.names[(ns + i + 1) * step], sink, 2 };
	export_zone_opts_t o = { .origin = argv[2], .suspend = susp, .nsuspend = ns, .redirect = red,
	                         .nredirect = nr, .now = 1767225600 };
	export_zone_totals_t t;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	int ret = export_zone_write(argv[1], &o, argv[3], &t);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ret != TS_OK) {
		fprintf(stderr, "export_zone: failed (%d)\n", ret);
		return 1;
	}
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("export zone: %llu bytes %llu in %llu out %.3f s %.1f MB/s (suspended %llu, redirected %llu, glue removed %llu)\n",
	       (unsigned long long)t.bytes_in, (unsigned long long)t.records_in, (unsigned long long)t.records_out, s,
	       (double)t.bytes_in / 1e6 / s, (unsigned long long)t.suspended, (unsigned long long)t.redirected,
	       (unsigned long long)t.glue_removed);
	for (size_t i = 0; i < p.n; i++)
		free(p.names[i]);
	free(p.names);
	free(susp);
	free(red);
	return 0;
}
