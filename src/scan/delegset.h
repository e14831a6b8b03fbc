/* delegset.h — counts the distinct delegations of a zone as it streams by:
 * owners below the apex with NS records, and those of them with a DS RRset.
 * Owners are kept as 64-bit xxHash3 values (collisions are negligible below
 * billions of names: about n²/2⁶⁵), with two flag bits each, so 1M
 * delegations take about 16 MiB however long their names. Records of one
 * owner need not be contiguous. Inserts are queued in small batches whose
 * table slots are prefetched, so their cache misses overlap.
 * Not thread-safe: one writer. */
#ifndef TS_SCAN_DELEGSET_H
#define TS_SCAN_DELEGSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define DELEG_NS 1u
#define DELEG_DS 2u

typedef struct delegset delegset_t;

/* `expect`: a guess at the number of owners (0: small), to size the table. */
TS_WUR int delegset_new(delegset_t **d, uint64_t expect);
void delegset_free(delegset_t **d);
/* Sets `flag` (DELEG_NS or DELEG_DS) on owner[0..len). TS_ENOMEM when the
 * table cannot grow. */
TS_WUR int delegset_mark(delegset_t *d, const char *owner, size_t len, unsigned flag);
/* Adds every owner of `src` to `dst` (flags joined), so per-thread sets
 * can be counted as one. */
TS_WUR int delegset_merge(delegset_t *dst, delegset_t *src);
/* Owners with NS (delegations) and owners with both NS and DS. */
TS_WUR int delegset_counts(delegset_t *d, uint64_t *delegations, uint64_t *ds_delegations);

#endif
