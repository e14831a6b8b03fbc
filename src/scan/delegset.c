/* delegset.c — one open-addressing table with linear probing over 64-bit
 * hashes, shared by the parsing threads: the two low bits of each slot hold
 * the flags, the rest the hash (0: empty). A slot goes from empty to a key
 * by compare-and-swap and gains flags by fetch-or, so two threads may insert
 * into the table at once; growing it takes the lock for writing. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "scan/delegset.h"

#define PENDING 32
#define KEY(s)  ((s) & ~(uint64_t)3)

/* A writer's batch and its counts, a cache line apart from the next. */
typedef struct writer {
	uint64_t pending[PENDING];   /* hashed keys (flags in the low bits) */
	size_t npending;
	uint64_t delegations;      /* owners this writer gave NS first */
	uint64_t ds;               /* owners this writer completed to NS and DS */
	char pad[64];
} writer_t;

/* The fields every mark reads, the lock and the count every flush writes:
 * on lines of their own. */
struct delegset {
	/* atomic, since a mark reads them for its prefetch outside the lock
	 * (and a flush its load test) while a grow may change them */
	_Atomic(_Atomic uint64_t *) slot;
	_Atomic size_t mask;
	unsigned nw;
	writer_t *w;
	char pad1[64];
	pthread_rwlock_t lock;     /* read: inserting a batch; write: growing */
	char pad2[64];
	_Atomic size_t used;
	char pad3[64];
};

static _Atomic uint64_t *table(delegset_t *d)
{
	return atomic_load_explicit(&d->slot, memory_order_relaxed);
}

static size_t mask_of(delegset_t *d)
{
	return atomic_load_explicit(&d->mask, memory_order_relaxed);
}

static int table_alloc(delegset_t *d, size_t slots)
{
	_Atomic uint64_t *t = ts_zalloc_table(slots * sizeof(uint64_t));
	if (t == NULL)
		return TS_ENOMEM;
	atomic_store_explicit(&d->slot, t, memory_order_relaxed);
	atomic_store_explicit(&d->mask, slots - 1, memory_order_relaxed);
	return TS_OK;
}

int delegset_new(delegset_t **out, uint64_t expect, unsigned writers)
{
	*out = NULL;
	if (writers == 0)
		writers = 1;
	delegset_t *d = ts_calloc(1, sizeof(*d));
	if (d == NULL)
		return TS_ENOMEM;
	d->nw = writers;
	d->w = ts_calloc(writers, sizeof(writer_t));
	/* room for every writer's batch in flight at the highest load */
	size_t slots = 1024;
	while ((slots < expect + expect / 2 || slots < (size_t)8 * PENDING * writers) &&
	       slots < ((size_t)1 << 40))
		slots <<= 1;
	if (d->w == NULL || table_alloc(d, slots) != TS_OK) {
		ts_free(d->w);
		ts_free(d);
		return TS_ENOMEM;
	}
	atomic_init(&d->used, 0);
	pthread_rwlock_init(&d->lock, NULL);
	*out = d;
	return TS_OK;
}

void delegset_free(delegset_t **dp)
{
	if (dp == NULL || *dp == NULL)
		return;
	delegset_t *d = *dp;
	pthread_rwlock_destroy(&d->lock);
	ts_free_table((void *)table(d));
	ts_free(d->w);
	ts_free(d);
	*dp = NULL;
}

uint64_t delegset_hash(const char *owner, size_t len)
{
	return XXH3_64bits(owner, len);
}

/* Puts key|flag in the table; its old flags in *old (0 for a new key).
 * True when the key was new. */
static bool insert(_Atomic uint64_t *slot, size_t mask, uint64_t key, unsigned flag, uint64_t *old)
{
	size_t i = (size_t)(key >> 2) & mask;
	for (;;) {
		uint64_t s = atomic_load_explicit(&slot[i], memory_order_relaxed);
		if (s == 0) {
			if (atomic_compare_exchange_strong_explicit(&slot[i], &s, key | flag,
			                                            memory_order_relaxed, memory_order_relaxed)) {
				*old = 0;
				return true;
			}
			/* another thread took the slot: s is its key now */
		}
		if (KEY(s) == key) {
			*old = (s & flag) == flag ? s : atomic_fetch_or_explicit(&slot[i], flag, memory_order_relaxed);
			return false;
		}
		i = (i + 1) & mask;
	}
}

/* Doubles the table while it is fuller than 3/4 with every batch in flight
 * counted. Takes the lock for writing. */
static int grow(delegset_t *d)
{
	int ret = TS_OK;
	pthread_rwlock_wrlock(&d->lock);
	while ((atomic_load(&d->used) + (size_t)PENDING * d->nw) * 4 > (mask_of(d) + 1) * 3) {
		_Atomic uint64_t *old = table(d);
		size_t old_slots = mask_of(d) + 1;
		if (table_alloc(d, old_slots * 2) != TS_OK) {
			ret = TS_ENOMEM;  /* the old table stays */
			break;
		}
		uint64_t prev;
		for (size_t i = 0; i < old_slots; i++) {
			uint64_t s = atomic_load_explicit(&old[i], memory_order_relaxed);
			if (s != 0)
				(void)insert(table(d), mask_of(d), KEY(s), (unsigned)(s & 3), &prev);
		}
		ts_free_table((void *)old);
	}
	pthread_rwlock_unlock(&d->lock);
	return ret;
}

/* Inserts writer w's batch. Its slots were prefetched when the keys were
 * queued, so the cache misses of a batch overlap instead of adding up. */
static int flush(delegset_t *d, writer_t *w)
{
	if (w->npending == 0)
		return TS_OK;
	if ((atomic_load_explicit(&d->used, memory_order_relaxed) + (size_t)PENDING * d->nw) * 4 >
	    (mask_of(d) + 1) * 3) {
		int ret = grow(d);
		if (ret != TS_OK)
			return ret;
	}
	pthread_rwlock_rdlock(&d->lock);
	_Atomic uint64_t *slot = table(d);
	size_t mask = mask_of(d);
	size_t added = 0;
	for (size_t k = 0; k < w->npending; k++) {
		unsigned flag = (unsigned)(w->pending[k] & 3);
		uint64_t old;
		added += insert(slot, mask, KEY(w->pending[k]), flag, &old);
		uint64_t now = old | flag;
		w->delegations += (now & DELEG_NS) && !(old & DELEG_NS);
		w->ds += (now & 3) == 3 && (old & 3) != 3;
	}
	atomic_fetch_add_explicit(&d->used, added, memory_order_relaxed);
	pthread_rwlock_unlock(&d->lock);
	w->npending = 0;
	return TS_OK;
}

int delegset_mark(delegset_t *d, unsigned wi, uint64_t hash, unsigned flag)
{
	writer_t *w = &d->w[wi < d->nw ? wi : 0];
	uint64_t key = KEY(hash);
	if (key == 0)
		key = 4;
	/* the table may change under a concurrent grow: only a prefetch uses it */
	_Atomic uint64_t *slot = table(d);
	size_t mask = mask_of(d);
	__builtin_prefetch((const void *)((uintptr_t)slot + ((size_t)(key >> 2) & mask) * sizeof(*slot)), 1);
	w->pending[w->npending++] = key | flag;
	return w->npending == PENDING ? flush(d, w) : TS_OK;
}

int delegset_counts(delegset_t *d, uint64_t *delegations, uint64_t *ds_delegations)
{
	uint64_t n = 0, ds = 0;
	for (unsigned i = 0; i < d->nw; i++) {
		int ret = flush(d, &d->w[i]);
		if (ret != TS_OK)
			return ret;
		n += d->w[i].delegations;
		ds += d->w[i].ds;
	}
	*delegations = n;
	*ds_delegations = ds;
	return TS_OK;
}
