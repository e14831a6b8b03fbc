/* export_zone.c — the patched-zone writer on a large zone, for comparison
 * with zone_parse.c (the scanner alone): picks NSUSPEND and NREDIRECT
 * delegations spread over the zone (a first, untimed scan lists them), then
 * times export_zone_write to OUT. With "check", also writes the one-line
 * form to OUT.line and checks that both hold the same records in the same
 * order (each scanned again, every record hashed with its RDATA text).
 *
 * Usage: export_zone ZONE ORIGIN OUT NSUSPEND NREDIRECT [check]
 * Prints one line: "export zone: BYTES bytes RECORDS in OUT out SECONDS s MB/s". */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xxhash.h>

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

struct sum {
	XXH3_state_t *h;
	uint64_t n;
};

static int on_sum(void *user, const zone_rr_t *rr)
{
	struct sum *u = user;
	uint32_t head[3] = { rr->ttl, rr->type, rr->rclass };
	XXH3_64bits_update(u->h, rr->owner, rr->owner_len + 1);
	XXH3_64bits_update(u->h, head, sizeof(head));
	XXH3_64bits_update(u->h, rr->origin, rr->origin_len + 1);
	XXH3_64bits_update(u->h, rr->rdata, rr->rdata_len);
	u->n++;
	return 0;
}

/* The records of a zone file, in order, as one hash. */
static int zone_sum(const char *path, const char *origin, uint64_t *hash, uint64_t *n)
{
	struct sum u = { XXH3_createState(), 0 };
	if (u.h == NULL)
		return TS_ENOMEM;
	XXH3_64bits_reset(u.h);
	zone_opts_t zo = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_TEXT };
	int ret = zone_scan_file(path, &zo, on_sum, &u, NULL);
	*hash = XXH3_64bits_digest(u.h);
	*n = u.n;
	XXH3_freeState(u.h);
	return ret;
}

int main(int argc, char **argv)
{
	uint64_t ns, nr;
	bool check = argc == 7 && strcmp(argv[6], "check") == 0;
	if ((argc != 6 && !check) || ts_parse_uint_arg(argv[4], 1000000, &ns) != TS_OK ||
	    ts_parse_uint_arg(argv[5], 1000000, &nr) != TS_OK) {
		fprintf(stderr, "usage: export_zone ZONE ORIGIN OUT NSUSPEND NREDIRECT [check]\n");
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
	if (check) {
		char line[4096];
		(void)snprintf(line, sizeof(line), "%s.line", argv[3]);
		o.one_line = true;
		export_zone_totals_t tl;
		uint64_t h1 = 0, h2 = 0, n1 = 0, n2 = 0;
		if (export_zone_write(argv[1], &o, line, &tl) != TS_OK || zone_sum(argv[3], argv[2], &h1, &n1) != TS_OK ||
		    zone_sum(line, argv[2], &h2, &n2) != TS_OK || h1 != h2 || n1 != n2 || n1 != t.records_out ||
		    tl.records_out != t.records_out || tl.removed != t.removed || tl.glue_kept != t.glue_kept) {
			fprintf(stderr, "export_zone: the copied form and the one-line form differ (%llu and %llu records)\n",
			        (unsigned long long)n1, (unsigned long long)n2);
			return 1;
		}
		printf("check: both forms hold the same %llu records\n", (unsigned long long)n1);
	}
	for (size_t i = 0; i < p.n; i++)
		free(p.names[i]);
	free(p.names);
	free(susp);
	free(red);
	return 0;
}
