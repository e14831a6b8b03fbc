/* zonestats.h — a streaming accumulator of zone statistics: delegations,
 * DNSSEC adoption, name-server concentration, signature expiry.
 *
 * Feed it every record of a zone (zone.h's callback, in any order: records
 * of one owner need not be contiguous), then read the counts. Memory grows
 * with the number of delegations and distinct name-server hosts only: one
 * 16-byte slot per delegation and per host, keyed by 64-bit xxhash (XXH3)
 * of the canonical names, never the names themselves.
 *
 * Definitions (product.md 2.1):
 * - a delegation is an owner strictly below the apex that has NS records;
 * - a DS delegation is a delegation with a DS RRset at its owner;
 * - a single-name-server delegation has NS records naming exactly one
 *   distinct host (repeated identical records are one record);
 * - an in-bailiwick delegation has at least one name server at or below
 *   its own name;
 * - the provider of an NS host is its registrable domain (libpsl; the host
 *   itself when it is a public suffix). A delegation counts once for each
 *   distinct provider among its name servers; a provider's share is its
 *   count over the sum of all providers' counts, so shares add up to 100 and
 *   the Herfindahl-Hirschman index (sum of squared percentage shares) lies
 *   in 0..10000.
 * - the apex is signed when it has both DNSKEY and RRSIG records.
 */
#ifndef TS_DNS_ZONESTATS_H
#define TS_DNS_ZONESTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "dns/zone.h"

/* The RDATA the accumulator reads: pass it in zone_opts_t.decode (or more). */
#define ZONESTATS_DECODE (ZONE_DEC_NS | ZONE_DEC_RRSIG)
#define ZONESTATS_TOP 20u

typedef struct zonestats zonestats_t;

typedef struct zonestats_provider {
	const char *name;        /* registrable domain, canonical text; borrowed */
	uint64_t delegations;
	double share_pct;
} zonestats_provider_t;

typedef struct zonestats_result {
	const char *origin;      /* the apex, canonical text; borrowed */
	uint64_t records;
	uint64_t delegations;
	uint64_t ds_delegations;
	double dnssec_adoption_pct;          /* 100 * ds / delegations; 0 without delegations */
	uint64_t single_ns_delegations;
	uint64_t in_bailiwick_delegations;
	uint64_t distinct_ns_hosts;          /* distinct NS targets of delegations */
	uint64_t providers;                  /* distinct providers */
	zonestats_provider_t top[ZONESTATS_TOP];  /* most delegations first, then by name */
	size_t ntop;
	double ns_provider_hhi;
	bool apex_signed;
	uint64_t rrsigs;                     /* RRSIG records seen */
	bool have_rrsig_expiry;              /* earliest_rrsig_expiry is set */
	int64_t earliest_rrsig_expiry;       /* seconds since the epoch */
	uint64_t expiring_signatures;        /* RRSIGs expiring before the limit */
} zonestats_result_t;

/* A new accumulator. RRSIGs whose expiration is before `expiry_limit`
 * (seconds since the epoch) count as expiring. `expect` is the number of
 * delegations expected (0: unknown; at most ZONESTATS_MAX_EXPECT is used):
 * the tables start at that size instead of growing, which saves rehashing a
 * large zone several times over. zonestats_expect() guesses it from a file. */
#define ZONESTATS_MAX_EXPECT (1ull << 28)
TS_WUR int zonestats_new(zonestats_t **out, int64_t expiry_limit, uint64_t expect);
/* A guess of the delegations in the zone file at `path` from its size
 * (about one per 128 bytes of text, gzip taken as 5:1); 0 when unknown. */
uint64_t zonestats_expect(const char *path);
/* Applies NS and DS records to the tables in a worker thread of its own,
 * batch by batch, while the caller goes on scanning. Call once, before the
 * first record. TS_ENOMEM when the thread cannot start. */
TS_WUR int zonestats_use_thread(zonestats_t *st);
/* Sets the apex (canonical text). Without it the first record decides: the
 * owner of an SOA record, else the $ORIGIN in effect at that record. */
TS_WUR int zonestats_set_apex(zonestats_t *st, const char *apex, size_t len);
/* Counts one record. TS_ENOMEM or TS_ELIMIT when a table cannot grow. */
TS_WUR int zonestats_add(zonestats_t *st, const zone_rr_t *rr);
/* zonestats_add in the shape of a zone_rr_fn (user is the accumulator). */
int zonestats_rr_fn(void *user, const zone_rr_t *rr);
/* Computes the result; strings are borrowed until zonestats_free. */
TS_WUR int zonestats_result(zonestats_t *st, zonestats_result_t *res);
/* Appends the result as the `zone stats` JSON document (keys in the
 * product's order, times ISO 8601 UTC, a final newline). */
TS_WUR int zonestats_json(const zonestats_result_t *res, dbuf_t *out);
void zonestats_free(zonestats_t **st);

#endif
