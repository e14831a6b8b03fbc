/* delegset.h — counts the distinct delegations of a zone as it streams by:
 * owners below the apex with NS records, and those of them with a DS RRset.
 * Owners are kept as 64-bit xxHash3 values (collisions are negligible below
 * billions of names: about n²/2⁶⁵) with two flag bits, 8 bytes a mark, so 1M
 * delegations take about 8 MiB however long their names. Records of one
 * owner need not be contiguous, nor in one thread.
 *
 * Each parsing thread marks through its own writer index (0 .. writers - 1)
 * and only appends: the keys are sorted by their top byte into page-sized
 * chunks. delegset_counts merges them, once, when no thread marks any more
 * (delegset.c says why: a shared table cost a cache miss per owner in the
 * hot loop). */
#ifndef TS_SCAN_DELEGSET_H
#define TS_SCAN_DELEGSET_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define DELEG_NS 1u
#define DELEG_DS 2u

typedef struct delegset delegset_t;

/* `writers`: how many threads mark at once (at least 1); the lists grow as
 * they go. */
TS_WUR int delegset_new(delegset_t **d, unsigned writers);
void delegset_free(delegset_t **d);
/* The key of owner[0..len), canonical text: its XXH3 hash. */
uint64_t delegset_hash(const char *owner, size_t len);
/* Sets `flag` (DELEG_NS, DELEG_DS or both) on the owner whose
 * delegset_hash is `hash`, through writer `w` (one thread at a time per
 * writer). TS_ENOMEM when a chunk cannot be had. */
TS_WUR int delegset_mark(delegset_t *d, unsigned w, uint64_t hash, unsigned flag);
/* Owners with NS (delegations) and owners with both NS and DS. Call when no
 * thread marks any more; the counts are made once (with a second thread
 * when there are many marks) and made again only after more marks. */
TS_WUR int delegset_counts(delegset_t *d, uint64_t *delegations, uint64_t *ds_delegations);

#endif
