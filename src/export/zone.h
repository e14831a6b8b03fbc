/* zone.h — the patched zone: the registry's zone file as the authoritative
 * servers must serve it once the desk's actions are applied.
 *
 * export_zone_write reads a master file with the project's scanner
 * (dns/zone.h, so the same syntax: $INCLUDE, $ORIGIN, parentheses, RFC 3597
 * ...) and writes it back, in file order, with:
 *   - suspended delegations (EPP serverHold) removed: every record at or
 *     below the name goes (its NS, DS, RRSIGs, occluded data), and its glue
 *     (address records at or below it) too, unless a delegation that stays
 *     in the zone names that host as a name server;
 *   - redirected delegations pointing at the sinkhole name servers: the NS
 *     RRset replaced by the sinkhole's (written where the first NS record
 *     was, with its TTL), the DS RRset and its signatures removed (the
 *     sinkhole does not hold the child's keys: a DS left in place would make
 *     validating resolvers answer SERVFAIL), glue below the name handled as
 *     for a suspension;
 *   - the apex SOA serial increased (RFC 1982): serial + 1, or YYYYMMDD00 of
 *     the export day when that is larger.
 * Glue kept for another delegation is written after the last record (the
 * only change of order).
 *
 * Two forms, the same records in the same order. By default the records
 * left alone are copied byte for byte from the input (comments and layout
 * kept; copy_file_range, in a thread of its own, as the scan goes) and only
 * the new SOA, the sinkhole NS records and the owner of a kept blank-owner
 * record after a removed one are written. When copying cannot give the same
 * records (gzip or stdin input, $INCLUDE, a first record that is not the
 * SOA, a record taking the TTL of the one before, an output that is not a
 * regular file) or opts.one_line asks for it, every record is written on
 * one line instead. Memory holds the names acted on, the glue below them
 * and the name-server targets below them, never the zone. Nothing here
 * prints except through ts_log. What it does and why is in
 * docs/internals/export.md. */
#ifndef TS_EXPORT_ZONE_H
#define TS_EXPORT_ZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

#define EXPORT_ZONE_MAX_SINKHOLE 13u   /* sinkhole name servers of one redirect */

typedef struct export_zone_redirect {
	const char *domain;               /* the delegation, "x.example" */
	const char *const *ns;            /* the sinkhole name servers (1..13 host names) */
	size_t nns;
} export_zone_redirect_t;

typedef struct export_zone_opts {
	const char *origin;               /* initial $ORIGIN (as zone_opts_t); NULL: the root */
	bool no_include;                  /* $INCLUDE is an error */
	bool one_line;                    /* every record on one line, even when the input could be copied */
	const char *const *suspend;       /* delegations to remove */
	size_t nsuspend;
	const export_zone_redirect_t *redirect;
	size_t nredirect;
	int64_t now;                      /* the export time: its UTC day gives YYYYMMDD00 */
} export_zone_opts_t;

typedef struct export_zone_totals {
	uint64_t records_in;              /* records read */
	uint64_t records_out;             /* records written */
	uint64_t bytes_in;                /* zone text scanned */
	uint64_t suspended;               /* suspensions applied (the delegation was there) */
	uint64_t redirected;              /* redirects applied */
	uint64_t removed;                 /* records removed, glue included */
	uint64_t glue_removed;
	uint64_t glue_kept;               /* glue below an acted-on name that another delegation needs */
	uint32_t serial_old;
	uint32_t serial_new;
} export_zone_totals_t;

/* The serial after `old` for an export at `now` (RFC 1982 arithmetic). */
uint32_t export_zone_serial(uint32_t old, int64_t now);

/* Writes the patched zone read from `in` ("-": stdin) to `fp`. A name acted
 * on that the zone does not delegate is logged as a warning and counted
 * nowhere. TS_EINPUT (logged) for a bad name, a name given twice, a name not
 * below the zone's apex, or a zone without an SOA; the scanner's errors;
 * TS_ENOMEM; TS_EIO when writing fails (errno says why). `totals` may be
 * NULL. `fp` is flushed first, then written through its descriptor with
 * write(2) in large blocks (a stream without one, such as open_memstream's,
 * with fwrite); nothing else may write to it during the call, and it can be
 * written as usual afterwards. */
TS_WUR int export_zone_write_fp(const char *in, const export_zone_opts_t *o, FILE *fp,
                                export_zone_totals_t *totals);

/* export_zone_write_fp into `out` atomically (NULL or "-": stdout): a failed
 * export leaves nothing, or the previous file, in place. */
TS_WUR int export_zone_write(const char *in, const export_zone_opts_t *o, const char *out,
                             export_zone_totals_t *totals);

/* Receives one name server (a host name, no trailing dot) of domains[i]. */
typedef int (*export_zone_ns_fn)(void *user, size_t i, const char *ns);

/* Reads the NS records of domains[0..n) (registered domains) from the zone at
 * `in`, for the undo of a redirect: fn is called once per record, in file
 * order. TS_EINPUT (logged) for a bad name; the scanner's errors; fn's. */
TS_WUR int export_zone_ns(const char *in, const char *origin, const char *const *domains, size_t n,
                          export_zone_ns_fn fn, void *user);

#endif
