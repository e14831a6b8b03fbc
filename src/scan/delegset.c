/* delegset.c — the marks are appended, not looked up: each writer keeps
 * 256 lists of keys (the 64-bit hash with the flags in its two low bits),
 * one per value of the hash's top byte, in chunks of one page. Appending
 * writes at one of 256 places a writer keeps hot, where a shared hash table
 * took a cache and TLB miss per owner in the middle of the parse. The
 * counts are made once, at the end: the keys of one top byte from every
 * writer go into a small table that stays in the cache (two threads take
 * half of the top bytes each), which merges the flags of each owner. */
#include <pthread.h>
#include <stdbool.h>
#include <string.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "scan/delegset.h"

#define NPART      256u
#define PART(k)    ((unsigned)((k) >> 56))
#define KEY(s)     ((s) & ~(uint64_t)3)
#define CHUNK_KEYS 510u
#define SLAB_CHUNKS 64u            /* chunks per allocation: 256 KiB */

/* A page of keys of one top byte; full unless it is its writer's head. */
typedef struct chunk {
	struct chunk *next;        /* the writer's earlier chunk of the same top byte */
	uint64_t pad;
	uint64_t key[CHUNK_KEYS];
} chunk_t;

/* A writer's lists, a cache line apart from the next writer's. A mark
 * reads only the cursor and the end of its top byte's chunk. */
typedef struct writer {
	uint64_t *cur[NPART];      /* where the next key of the top byte goes */
	uint64_t *end[NPART];      /* the end of its chunk (cur == end: none or full) */
	chunk_t *head[NPART];      /* the chunk being filled, or NULL */
	struct slab *slab;         /* where chunks come from: the newest slab */
	unsigned slab_used;        /* its chunks handed out */
	char pad[64];
} writer_t;

/* Chunks are taken from slabs, so a scan allocates and frees a few dozen
 * blocks rather than thousands of pages one by one. */
typedef struct slab {
	struct slab *next;         /* the writer's earlier slab */
	uint64_t pad[7];
	chunk_t chunk[SLAB_CHUNKS];
} slab_t;

/* Keys in the head chunk of writer w's top byte p. */
static size_t head_keys(const writer_t *w, unsigned p)
{
	return w->head[p] != NULL ? (size_t)(w->cur[p] - w->head[p]->key) : 0;
}

/* Keys of top byte p from every writer. */
static uint64_t part_keys(const delegset_t *d, unsigned p);

struct delegset {
	unsigned nw;
	writer_t *w;
	uint64_t counted;          /* keys appended when the counts below were made
	                            * (UINT64_MAX: never) */
	uint64_t delegations, ds;
};

int delegset_new(delegset_t **out, unsigned writers)
{
	*out = NULL;
	if (writers == 0)
		writers = 1;
	delegset_t *d = ts_calloc(1, sizeof(*d));
	if (d == NULL)
		return TS_ENOMEM;
	d->nw = writers;
	d->counted = UINT64_MAX;
	d->w = ts_calloc(writers, sizeof(writer_t));
	if (d->w == NULL) {
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
	delegset_t *d = *dp;
	for (unsigned i = 0; i < d->nw; i++) {
		slab_t *b = d->w[i].slab;
		while (b != NULL) {
			slab_t *next = b->next;
			ts_free(b);
			b = next;
		}
	}
	ts_free(d->w);
	ts_free(d);
	*dp = NULL;
}

uint64_t delegset_hash(const char *owner, size_t len)
{
	return XXH3_64bits(owner, len);
}

int delegset_mark(delegset_t *d, unsigned wi, uint64_t hash, unsigned flag)
{
	writer_t *w = &d->w[wi < d->nw ? wi : 0];
	uint64_t key = KEY(hash);
	if (key == 0)
		key = 4;
	unsigned p = PART(key);
	if (w->cur[p] == w->end[p]) {
		if (w->slab == NULL || w->slab_used == SLAB_CHUNKS) {
			slab_t *b = ts_malloc(sizeof(*b));
			if (b == NULL)
				return TS_ENOMEM;
			b->next = w->slab;
			w->slab = b;
			w->slab_used = 0;
		}
		chunk_t *n = &w->slab->chunk[w->slab_used++];
		n->next = w->head[p];
		w->head[p] = n;
		w->cur[p] = n->key;
		w->end[p] = n->key + CHUNK_KEYS;
	}
	*w->cur[p]++ = key | (flag & 3);
	return TS_OK;
}

/* The counts of the top bytes [from, to), through a table `t` of `cap`
 * zeroed slots (a power of two, at least twice the keys of any top byte),
 * which it leaves zeroed. */
typedef struct count_part {
	const delegset_t *d;
	unsigned from, to;
	uint64_t *t;               /* cap slots, zeroed */
	uint32_t *used;            /* the slots taken, cap / 2 at most */
	size_t cap;
	uint64_t delegations, ds;
} count_part_t;

static uint64_t part_keys(const delegset_t *d, unsigned p)
{
	uint64_t n = 0;
	for (unsigned i = 0; i < d->nw; i++) {
		const chunk_t *c = d->w[i].head[p];
		if (c != NULL)
			n += head_keys(&d->w[i], p);
		for (c = c != NULL ? c->next : NULL; c != NULL; c = c->next)
			n += CHUNK_KEYS;
	}
	return n;
}

static void *count_main(void *arg)
{
	count_part_t *cp = arg;
	const delegset_t *d = cp->d;
	const size_t mask = cp->cap - 1;
	uint64_t *restrict t = cp->t;
	uint32_t *restrict used = cp->used;
	uint64_t deleg = 0, ds = 0;
	for (unsigned p = cp->from; p < cp->to; p++) {
		size_t nused = 0;
		for (unsigned i = 0; i < d->nw; i++) {
			size_t n = head_keys(&d->w[i], p);
			for (const chunk_t *c = d->w[i].head[p]; c != NULL; c = c->next, n = CHUNK_KEYS) {
				for (size_t k = 0; k < n; k++) {
					uint64_t e = c->key[k];
					size_t j = (size_t)(e >> 2) & mask;
					for (;;) {
						uint64_t s = t[j];
						if (s == 0) {
							t[j] = e;
							used[nused++] = (uint32_t)j;
							break;
						}
						if (KEY(s) == KEY(e)) {
							t[j] = s | (e & 3);
							break;
						}
						j = (j + 1) & mask;
					}
				}
			}
		}
		/* read the flags, and clear the table for the next top byte */
		for (size_t u = 0; u < nused; u++) {
			uint64_t s = t[used[u]];
			deleg += (s & DELEG_NS) != 0;
			ds += (s & 3) == 3;
			t[used[u]] = 0;
		}
	}
	cp->delegations = deleg;
	cp->ds = ds;
	return NULL;
}

int delegset_counts(delegset_t *d, uint64_t *delegations, uint64_t *ds_delegations)
{
	uint64_t most = 0, all = 0;
	for (unsigned p = 0; p < NPART; p++) {
		uint64_t n = part_keys(d, p);
		most = n > most ? n : most;
		all += n;
	}
	if (d->counted != all) {
		size_t cap = 64;
		while (cap < 2 * most)
			cap <<= 1;
		/* two threads when there is enough to share */
		unsigned parts = all >= 200000 ? 2 : 1;
		count_part_t cp[2];
		memset(cp, 0, sizeof(cp));
		int ret = TS_OK;
		for (unsigned i = 0; i < parts; i++) {
			cp[i] = (count_part_t){ d, i * NPART / parts, (i + 1) * NPART / parts, NULL, NULL,
			                        cap, 0, 0 };
			cp[i].t = ts_calloc(cap, sizeof(uint64_t));
			cp[i].used = ts_malloc(cap / 2 * sizeof(uint32_t));
			if (cp[i].t == NULL || cp[i].used == NULL)
				ret = TS_ENOMEM;
		}
		if (ret == TS_OK) {
			pthread_t th;
			bool two = parts == 2 && pthread_create(&th, NULL, count_main, &cp[1]) == 0;
			count_main(&cp[0]);
			if (two)
				pthread_join(th, NULL);
			else if (parts == 2)
				count_main(&cp[1]);
			d->delegations = d->ds = 0;
			for (unsigned i = 0; i < parts; i++) {
				d->delegations += cp[i].delegations;
				d->ds += cp[i].ds;
			}
			d->counted = all;
		}
		for (unsigned i = 0; i < parts; i++) {
			ts_free(cp[i].t);
			ts_free(cp[i].used);
		}
		if (ret != TS_OK)
			return ret;
	}
	*delegations = d->delegations;
	*ds_delegations = d->ds;
	return TS_OK;
}
