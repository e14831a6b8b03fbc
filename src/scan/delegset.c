/* delegset.c — open addressing with linear probing over 64-bit hashes; the
 * two low bits of each slot hold the flags, the rest the hash (0: empty). */
#include <string.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "scan/delegset.h"

#define PENDING 32

struct delegset {
	uint64_t pending[PENDING];   /* hashed keys (flags in the low bits) not yet inserted */
	size_t npending;
	uint64_t *slot;
	size_t mask;
	size_t used;
	/* The last owner marked, per flag: the records of one owner usually
	 * come together, and then one comparison saves the hash and the probe. */
	char last[3][256];
	size_t last_len[3];
};

static int table_alloc(delegset_t *d, size_t slots)
{
	d->slot = ts_calloc(slots, sizeof(uint64_t));
	if (d->slot == NULL)
		return TS_ENOMEM;
	d->mask = slots - 1;
	d->used = 0;
	return TS_OK;
}

int delegset_new(delegset_t **out, uint64_t expect)
{
	*out = NULL;
	delegset_t *d = ts_calloc(1, sizeof(*d));
	if (d == NULL)
		return TS_ENOMEM;
	size_t slots = 1024;
	while (slots < expect + expect / 2 && slots < ((size_t)1 << 40))
		slots <<= 1;
	for (size_t k = 0; k < 3; k++)
		d->last_len[k] = (size_t)-1;
	if (table_alloc(d, slots) != TS_OK) {
		ts_free(d);
		return TS_ENOMEM;
	}
	*out = d;
	return TS_OK;
}

void delegset_free(delegset_t **dp)
{
	if (dp == NULL || *dp == NULL)
		return;
	ts_free((*dp)->slot);
	ts_free(*dp);
	*dp = NULL;
}

static void insert(uint64_t *slot, size_t mask, uint64_t key, unsigned flag, size_t *used)
{
	size_t i = (size_t)(key >> 2) & mask;
	for (;;) {
		uint64_t s = slot[i];
		if (s == 0) {
			slot[i] = key | flag;
			(*used)++;
			return;
		}
		if ((s & ~(uint64_t)3) == key) {
			slot[i] = s | flag;
			return;
		}
		i = (i + 1) & mask;
	}
}

static int grow(delegset_t *d)
{
	uint64_t *old = d->slot;
	size_t old_slots = d->mask + 1;
	if (table_alloc(d, old_slots * 2) != TS_OK) {
		d->slot = old;
		d->mask = old_slots - 1;
		return TS_ENOMEM;
	}
	size_t used = 0;
	for (size_t i = 0; i < old_slots; i++)
		if (old[i] != 0)
			insert(d->slot, d->mask, old[i] & ~(uint64_t)3, (unsigned)(old[i] & 3), &used);
	d->used = used;
	ts_free(old);
	return TS_OK;
}

/* Inserts the pending keys. Their slots were prefetched when they were
 * queued, so the cache misses of a batch overlap instead of adding up. */
static int flush(delegset_t *d)
{
	for (size_t k = 0; k < d->npending; k++) {
		if ((d->used + 1) * 4 > (d->mask + 1) * 3) {
			int ret = grow(d);
			if (ret != TS_OK)
				return ret;
		}
		uint64_t key = d->pending[k] & ~(uint64_t)3;
		insert(d->slot, d->mask, key, (unsigned)(d->pending[k] & 3), &d->used);
	}
	d->npending = 0;
	return TS_OK;
}

int delegset_mark(delegset_t *d, const char *owner, size_t len, unsigned flag)
{
	if (len == d->last_len[flag] && len < sizeof(d->last[flag]) &&
	    memcmp(owner, d->last[flag], len) == 0)
		return TS_OK;
	if (len < sizeof(d->last[flag])) {
		memcpy(d->last[flag], owner, len);
		d->last_len[flag] = len;
	}
	uint64_t key = XXH3_64bits(owner, len) & ~(uint64_t)3;
	if (key == 0)
		key = 4;
	__builtin_prefetch(&d->slot[(size_t)(key >> 2) & d->mask], 1);
	d->pending[d->npending++] = key | flag;
	return d->npending == PENDING ? flush(d) : TS_OK;
}

int delegset_merge(delegset_t *dst, delegset_t *src)
{
	int ret = flush(src);
	if (ret != TS_OK || (ret = flush(dst)) != TS_OK)
		return ret;
	for (size_t i = 0; i <= src->mask; i++) {
		uint64_t s = src->slot[i];
		if (s == 0)
			continue;
		if ((dst->used + 1) * 4 > (dst->mask + 1) * 3 && (ret = grow(dst)) != TS_OK)
			return ret;
		insert(dst->slot, dst->mask, s & ~(uint64_t)3, (unsigned)(s & 3), &dst->used);
	}
	return TS_OK;
}

int delegset_counts(delegset_t *d, uint64_t *delegations, uint64_t *ds_delegations)
{
	int ret = flush(d);
	if (ret != TS_OK)
		return ret;
	uint64_t n = 0, ds = 0;
	for (size_t i = 0; i <= d->mask; i++) {
		uint64_t s = d->slot[i];
		if (s & DELEG_NS) {
			n++;
			if (s & DELEG_DS)
				ds++;
		}
	}
	*delegations = n;
	*ds_delegations = ds;
	return TS_OK;
}
