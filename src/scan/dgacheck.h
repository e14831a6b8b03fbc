/* dgacheck.h — which of a DGA family's names a zone holds (`tldsec dga check`).
 *
 * scan_dga_check generates the family's names for a date range (dga.h), keeps
 * those below the zone's apex (the TLD the zone serves: its SOA owner), reads
 * the zone once with the project's scanner and hands each kept name back in
 * the malware's order with its date and whether the zone delegates it (has
 * NS records at the name itself). The generated names are held in memory
 * (at most SCAN_DGA_MAX_NAMES); the zone is streamed. Nothing here prints
 * except through ts_log. */
#ifndef TS_SCAN_DGACHECK_H
#define TS_SCAN_DGACHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "dga/dga.h"

#define SCAN_DGA_MAX_NAMES 20000000u   /* generated names held for one check */

/* One kept name (borrowed until the call returns), the first requested day
 * of its period, and whether the zone delegates it. Non-zero stops. */
typedef int (*scan_dga_fn)(void *user, const char *name, size_t len, int64_t day, bool registered);

typedef struct scan_dga_totals {
	uint64_t generated;       /* names the family produced for the range */
	uint64_t in_zone;         /* of them, below the zone's apex (passed to fn) */
	uint64_t registered;      /* of those, delegated */
	char apex[256];           /* the zone's apex, canonical text ("" for the root) */
} scan_dga_totals_t;

/* `zone` is a master file ("-": stdin), `origin` its initial $ORIGIN (NULL:
 * the root). TS_EINPUT (logged) for a zone without an SOA; TS_ELIMIT
 * (logged) past SCAN_DGA_MAX_NAMES; the scanner's and dga_generate's
 * errors; fn's non-zero value. `t` may be NULL. */
TS_WUR int scan_dga_check(const dga_family_t *f, const dga_params_t *p, int64_t day, uint32_t days, const char *zone,
                     const char *origin, scan_dga_fn fn, void *user, scan_dga_totals_t *t);

#endif
