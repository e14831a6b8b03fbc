/* scan.h — the Specification 11 matching engine: threat-feed indicators
 * against the delegations of one zone. Independent of the zone parser: the
 * caller hands it the owner of every NS record it meets.
 *
 * The calls, in order:
 *   scan_new(&s, origin);
 *   for each feed:  scan_feed(s, "openphish", &fi);
 *                   feed_read_file(fmt, path, threat, scan_feed_cb,
 *                                  &(scan_sink_t){ s, fi }, &stats);
 *                   scan_add_feed_stats(s, &stats);
 *                   (or scan_add_indicator(...) per indicator)
 *   scan_freeze(s);
 *   for every NS record whose owner is below the apex, from any number of
 *   threads at once:  scan_delegation(s, owner, owner_len);
 *   scan_finish(s, fp, &counts);   JSON Lines into fp, counts for the summary
 *   scan_findings(s, &n);          the same findings as an array (for --record)
 *   scan_free(&s);
 *
 * Matching: each indicator's host is matched to its closest enclosing
 * delegation, the deepest owner seen by scan_delegation among the host and
 * its ancestors below the apex. Indicators outside the zone are counted
 * (out_of_zone) and not kept; those in the zone under no delegation are
 * counted as unregistered. Memory is proportional to the in-zone indicators
 * (docs/internals/scan.md). */
#ifndef TS_SCAN_H
#define TS_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"
#include "feeds/feed.h"

/* Hard caps: feeds per scan, in-zone indicators kept per scan. */
#define SCAN_MAX_FEEDS       256u
#define SCAN_MAX_INDICATORS  (64u * 1024u * 1024u)

typedef struct scan scan_t;

typedef struct scan_counts {
	uint64_t indicators;    /* host names added (in and out of the zone) */
	uint64_t ip_skipped;    /* from the feeds' stats */
	uint64_t out_of_zone;
	uint64_t unregistered;  /* in the zone (the apex included), under no delegation */
	uint64_t malformed;     /* from the feeds' stats */
	uint64_t findings;      /* lines written: distinct (domain, feed, indicator) */
	uint64_t domains;       /* distinct registered domains implicated */
} scan_counts_t;

/* One finding; every pointer is owned by the scan and lives until scan_free. */
typedef struct scan_finding {
	const char *domain;     /* the registered domain (a delegation), NUL-terminated */
	size_t domain_len;
	const char *feed;       /* the feed's name as given to scan_feed */
	unsigned feed_index;
	const char *indicator;  /* the indicator's text as in the feed, NUL-terminated */
	size_t indicator_len;
	unsigned long line;
	feed_threat_t threat;
} scan_finding_t;

/* A new scan of the zone `origin` (any case, trailing dot optional; "." or
 * "" is the root). TS_EINPUT when origin is not a valid name. */
TS_WUR int scan_new(scan_t **s, const char *origin);
/* Frees everything; sets *s to NULL; accepts NULL. */
void scan_free(scan_t **s);

/* Registers a feed by name (copied); *index is its position in the output
 * order. TS_ELIMIT past SCAN_MAX_FEEDS. Only before scan_freeze. */
TS_WUR int scan_feed(scan_t *s, const char *name, unsigned *index);
/* Adds one indicator: its host (a host name as url_to_host writes it; upper
 * case and one trailing dot are tolerated) and text are copied. Hosts
 * outside the zone are only counted. TS_ESTATE after scan_freeze, TS_EINPUT
 * for an unknown feed index or an empty host, TS_ELIMIT past
 * SCAN_MAX_INDICATORS, TS_ENOMEM. */
TS_WUR int scan_add_indicator(scan_t *s, unsigned feed, const char *host, size_t host_len,
                              const char *text, size_t text_len, unsigned long line,
                              feed_threat_t threat);
/* Adds a feed reader's malformed and ip_skipped counts to the scan's. */
void scan_add_feed_stats(scan_t *s, const feed_stats_t *stats);

/* A feed_cb that adds each indicator to `scan` under feed `feed`. */
typedef struct scan_sink {
	scan_t *scan;
	unsigned feed;
} scan_sink_t;
TS_WUR int scan_feed_cb(void *sink, const feed_indicator_t *ind);

/* Builds the lookup of candidate owners. After it, no more indicators. */
TS_WUR int scan_freeze(scan_t *s);

/* Notes that `owner` (owner[0..len), canonical text: lower case, no
 * trailing dot; tolerated otherwise) has NS records. Call it for every NS
 * record below the apex, in any order, repeats allowed. Thread-safe after
 * scan_freeze; never allocates; one hash lookup in the common case that the
 * owner is no candidate. Does nothing before scan_freeze. */
void scan_delegation(scan_t *s, const char *owner, size_t len);
/* The same for an owner already in canonical text (dns/name.h), with its
 * XXH3 hash `hv` (XXH3_64bits(owner, len)), so a caller that hashes the
 * owner for its own use hashes it once. */
void scan_delegation_hashed(scan_t *s, const char *owner, size_t len, uint64_t hv);
/* scan_delegation_hashed in two steps, for a caller that notes the owner
 * now and records it later or never (a block parsed on a guess):
 * scan_candidate gives the owner's place among the candidates, or
 * SCAN_NO_CANDIDATE (the common case), and scan_seen records it. */
#define SCAN_NO_CANDIDATE SIZE_MAX
size_t scan_candidate(const scan_t *s, const char *owner, size_t len, uint64_t hv);
void scan_seen(scan_t *s, size_t candidate);

/* Matches every indicator, writes the findings to `out` as JSON Lines in a
 * deterministic order (domain, then feed order, then line, then indicator
 * text), one line per distinct (domain, feed, indicator text) with its
 * first line, and fills *counts. `out` may be NULL (counts only). Call once,
 * after every scan_delegation has returned. TS_EIO when writing fails. */
TS_WUR int scan_finish(scan_t *s, FILE *out, scan_counts_t *counts);

/* The findings of scan_finish, in its order; borrowed until scan_free. */
const scan_finding_t *scan_findings(const scan_t *s, size_t *n);

#endif
