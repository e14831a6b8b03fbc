/* zonestats.c — zone statistics over a stream of records. */
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpsl.h>
#include <xxhash.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/clock.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zonestats.h"

#define HT_MIN_CAP    1024u
#define HT_MAX_CAP    ((size_t)1 << 31)   /* slots of one table: 32 GiB, past any TLD */
#define PROV_MAX      ((uint32_t)1 << 27) /* providers (fits the 28 bits of a slot) */

/* delegation slot value: low 32 bits the first NS target's fingerprint,
 * high 32: 4 flag bits and the first provider's id + 1 */
#define F_NS     1u
#define F_DS     2u
#define F_MULTI  4u   /* a second distinct NS target was seen */
#define F_INBAIL 8u

typedef struct slot {
	uint64_t k;   /* 0: empty */
	uint64_t v;
} slot_t;

typedef struct htab {
	slot_t *s;
	size_t cap;   /* a power of two */
	size_t n;
} htab_t;

#define ZS_BATCH      8192u               /* NS and DS records per batch */
#define ZS_BATCH_TEXT (ZS_BATCH * 64u)    /* bytes of NS target names per batch */
#define ZS_AHEAD      16u                 /* prefetch distance, in records */

typedef struct op {
	uint64_t oh;        /* owner hash */
	uint64_t th;        /* NS target hash; 0 for DS */
	uint32_t toff;      /* the target, NUL-terminated, at text + toff */
	uint16_t tlen;
	bool inbail;        /* the target is at or below the owner */
} op_t;

/* NS and DS records wait in a batch; the tables are updated a batch at a
 * time, prefetching the slots a few records ahead (the tables are far larger
 * than the caches). With a worker thread the batches are applied there while
 * the scan fills the next one. */
typedef struct batch {
	op_t ops[ZS_BATCH];
	unsigned n;
	size_t tused;
	char text[ZS_BATCH_TEXT];
} batch_t;

struct zonestats {
	int64_t expiry_limit;
	bool have_apex;
	char apex[NAME_TEXT_MAX];
	size_t apex_len;
	uint64_t records;
	htab_t deleg;       /* owner hash -> flags, first target, first provider */
	htab_t hosts;       /* NS target hash -> provider id */
	htab_t pairs;       /* (owner, provider) beyond each delegation's first */
	htab_t provs;       /* provider name hash -> id */
	htab_t parents;     /* parent-of-host hash -> provider id (UINT32_MAX: ask libpsl) */
	char **prov_name;
	uint64_t *prov_count;
	uint32_t nprov;
	uint32_t prov_cap;
	arena_t *arena;
	const psl_ctx_t *psl;
	bool apex_dnskey, apex_rrsig;
	uint64_t rrsigs, expiring;
	bool have_expiry;
	int64_t earliest;
	batch_t *fill;      /* the batch being filled */
	batch_t *spare;     /* the other one (being applied by the worker) */
	bool worker;        /* a worker thread applies batches */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	batch_t *pending;   /* handed to the worker, not yet applied */
	bool stop;
	int werr;           /* the worker's first error */
	zonestats_provider_t top[ZONESTATS_TOP];
};

static void stop_worker(zonestats_t *st);

static uint64_t hash(const char *s, size_t n)
{
	uint64_t h = XXH3_64bits(s, n);
	return h != 0 ? h : 1;
}

static int ht_init(htab_t *t, uint64_t expect)
{
	size_t cap = HT_MIN_CAP;
	while (cap < HT_MAX_CAP && (uint64_t)cap * 3 < expect * 4 + 4)
		cap *= 2;
	t->s = ts_zalloc_table(cap * sizeof(slot_t));
	t->cap = cap;
	t->n = 0;
	return t->s != NULL ? TS_OK : TS_ENOMEM;
}

static int ht_grow(htab_t *t)
{
	if (t->cap >= HT_MAX_CAP)
		return TS_ELIMIT;
	size_t cap = t->cap * 2;
	slot_t *s = ts_zalloc_table(cap * sizeof(slot_t));
	if (s == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < t->cap; i++) {
		if (t->s[i].k == 0)
			continue;
		size_t j = (size_t)t->s[i].k & (cap - 1);
		while (s[j].k != 0)
			j = (j + 1) & (cap - 1);
		s[j] = t->s[i];
	}
	ts_free_table(t->s);
	t->s = s;
	t->cap = cap;
	return TS_OK;
}

/* The slot of key k, inserted (with v = 0) when absent; *fresh says which. */
static int ht_get(htab_t *t, uint64_t k, slot_t **out, bool *fresh)
{
	size_t j = (size_t)k & (t->cap - 1);
	for (;;) {
		slot_t *s = &t->s[j];
		if (s->k == k) {
			*out = s;
			*fresh = false;
			return TS_OK;
		}
		if (s->k == 0)
			break;
		j = (j + 1) & (t->cap - 1);
	}
	if ((t->n + 1) * 4 > t->cap * 3) {
		int ret = ht_grow(t);
		if (ret != TS_OK)
			return ret;
		return ht_get(t, k, out, fresh);
	}
	t->s[j].k = k;
	t->s[j].v = 0;
	t->n++;
	*out = &t->s[j];
	*fresh = true;
	return TS_OK;
}

/* The public suffix list: the system's file (newest), else the one built
 * into libpsl. Loaded once per process and only read after that. */
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *psl_shared;

static void psl_load(void)
{
	psl_shared = psl_latest(NULL);
	if (psl_shared == NULL)
		psl_shared = psl_builtin();
}

int zonestats_new(zonestats_t **out, int64_t expiry_limit, uint64_t expect)
{
	*out = NULL;
	zonestats_t *st = ts_calloc(1, sizeof(*st));
	if (st == NULL)
		return TS_ENOMEM;
	st->expiry_limit = expiry_limit;
	st->arena = arena_new(64u * 1024u);
	st->fill = ts_malloc(sizeof(batch_t));
	if (st->fill == NULL) {
		zonestats_free(&st);
		return TS_ENOMEM;
	}
	st->fill->n = 0;
	st->fill->tused = 0;
	if (expect > ZONESTATS_MAX_EXPECT)
		expect = ZONESTATS_MAX_EXPECT;
	if (st->arena == NULL || ht_init(&st->deleg, expect) != TS_OK ||
	    ht_init(&st->hosts, expect / 4) != TS_OK || ht_init(&st->pairs, expect / 32) != TS_OK ||
	    ht_init(&st->provs, 0) != TS_OK || ht_init(&st->parents, 0) != TS_OK) {
		zonestats_free(&st);
		return TS_ENOMEM;
	}
	pthread_once(&psl_once, psl_load);
	st->psl = psl_shared;
	*out = st;
	return TS_OK;
}

void zonestats_free(zonestats_t **stp)
{
	if (stp == NULL || *stp == NULL)
		return;
	zonestats_t *st = *stp;
	stop_worker(st);
	ts_free(st->fill);
	ts_free(st->spare);
	ts_free_table(st->deleg.s);
	ts_free_table(st->hosts.s);
	ts_free_table(st->pairs.s);
	ts_free_table(st->provs.s);
	ts_free_table(st->parents.s);
	ts_free(st->prov_name);
	ts_free(st->prov_count);
	arena_free(&st->arena);
	ts_free(st);
	*stp = NULL;
}

uint64_t zonestats_expect(const char *path)
{
	struct stat st;
	if (strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	uint64_t size = (uint64_t)st.st_size;
	unsigned char magic[2] = { 0, 0 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, magic, 2) != 2)
			magic[0] = 0;
		close(fd);
	}
	if (magic[0] == 0x1f && magic[1] == 0x8b)
		size *= 5;
	return size / 128;
}

int zonestats_set_apex(zonestats_t *st, const char *apex, size_t len)
{
	if (len >= sizeof(st->apex))
		return TS_EINPUT;
	memcpy(st->apex, apex, len);
	st->apex[len] = '\0';
	st->apex_len = len;
	st->have_apex = true;
	return TS_OK;
}

/* The id of the provider of NS host `h` (canonical text). Hosts of one
 * parent name share the provider whenever the registrable domain is at or
 * above that parent (ns1.x.net and ns2.x.net), so the answer is kept per
 * parent and libpsl asked once per parent. */
static int provider_of(zonestats_t *st, const char *h, size_t hlen, uint32_t *id)
{
	size_t plen;
	const char *par = name_parent(h, hlen, &plen);
	slot_t *ps = NULL;
	bool fresh;
	int ret;
	if (par != NULL && plen > 0) {
		ret = ht_get(&st->parents, hash(par, plen), &ps, &fresh);
		if (ret != TS_OK)
			return ret;
		if (!fresh && ps->v != UINT32_MAX) {
			*id = (uint32_t)ps->v;
			return TS_OK;
		}
		ps->v = UINT32_MAX;  /* not cacheable until proven otherwise */
	}
	const char *reg = st->psl != NULL ? psl_registrable_domain(st->psl, h) : NULL;
	if (reg == NULL)
		reg = h;
	size_t rlen = reg == h ? hlen : strlen(reg);
	bool cacheable = ps != NULL && name_is_at_or_below(par, plen, reg, rlen);
	slot_t *s;
	ret = ht_get(&st->provs, hash(reg, rlen), &s, &fresh);
	if (ret != TS_OK)
		return ret;
	if (!fresh) {
		*id = (uint32_t)s->v;
		if (cacheable)
			ps->v = *id;
		return TS_OK;
	}
	if (st->nprov == st->prov_cap) {
		if (st->prov_cap >= PROV_MAX)
			return TS_ELIMIT;
		uint32_t cap = st->prov_cap ? st->prov_cap * 2 : 1024;
		char **nn = ts_realloc(st->prov_name, cap * sizeof(char *));
		if (nn == NULL)
			return TS_ENOMEM;
		st->prov_name = nn;
		uint64_t *nc = ts_realloc(st->prov_count, cap * sizeof(uint64_t));
		if (nc == NULL)
			return TS_ENOMEM;
		st->prov_count = nc;
		st->prov_cap = cap;
	}
	char *name = arena_strndup(st->arena, reg, rlen);
	if (name == NULL)
		return TS_ENOMEM;
	*id = st->nprov;
	s->v = st->nprov;
	st->prov_name[st->nprov] = name;
	st->prov_count[st->nprov] = 0;
	st->nprov++;
	if (cacheable)
		ps->v = *id;
	return TS_OK;
}

static int apply_ns(zonestats_t *st, slot_t *d, const op_t *op, const char *t)
{
	slot_t *hs;
	bool fresh;
	int ret = ht_get(&st->hosts, op->th, &hs, &fresh);
	if (ret != TS_OK)
		return ret;
	if (fresh) {
		uint32_t id;
		ret = provider_of(st, t, op->tlen, &id);  /* other tables: hs stays valid */
		if (ret != TS_OK)
			return ret;
		hs->v = id;
	}
	uint32_t pid = (uint32_t)hs->v;
	uint32_t flags = (uint32_t)(d->v >> 32);
	if (op->inbail)
		flags |= F_INBAIL;
	if (!(flags & F_NS)) {
		flags = (flags | F_NS) | (pid + 1) << 4;
		d->v = (uint64_t)flags << 32 | (uint32_t)op->th;
		st->prov_count[pid]++;
		return TS_OK;
	}
	if ((uint32_t)d->v != (uint32_t)op->th)
		flags |= F_MULTI;
	d->v = (uint64_t)flags << 32 | (uint32_t)d->v;
	if ((flags >> 4) != pid + 1) {
		/* a second provider for this delegation: count it once */
		slot_t *ps;
		ret = ht_get(&st->pairs, op->oh ^ (((uint64_t)pid + 1) * 0x9e3779b97f4a7c15ull), &ps, &fresh);
		if (ret != TS_OK)
			return ret;
		if (fresh)
			st->prov_count[pid]++;
	}
	return TS_OK;
}

/* Applies a batch to the tables (the worker's or the caller's thread). */
static int apply(zonestats_t *st, batch_t *b)
{
	int ret = TS_OK;
	for (unsigned i = 0; i < b->n && ret == TS_OK; i++) {
		if (i + ZS_AHEAD < b->n) {
			const op_t *a = &b->ops[i + ZS_AHEAD];
			__builtin_prefetch(&st->deleg.s[a->oh & (st->deleg.cap - 1)], 1);
			if (a->th != 0)
				__builtin_prefetch(&st->hosts.s[a->th & (st->hosts.cap - 1)], 0);
		}
		const op_t *op = &b->ops[i];
		slot_t *d;
		bool fresh;
		ret = ht_get(&st->deleg, op->oh, &d, &fresh);
		if (ret != TS_OK)
			break;
		if (op->th == 0)
			d->v |= (uint64_t)F_DS << 32;
		else
			ret = apply_ns(st, d, op, b->text + op->toff);
	}
	b->n = 0;
	b->tused = 0;
	return ret;
}

static void *worker_main(void *arg)
{
	zonestats_t *st = arg;
	pthread_mutex_lock(&st->mu);
	for (;;) {
		while (st->pending == NULL && !st->stop)
			pthread_cond_wait(&st->cv, &st->mu);
		if (st->pending == NULL)
			break;
		batch_t *b = st->pending;
		pthread_mutex_unlock(&st->mu);
		int ret = st->werr == TS_OK ? apply(st, b) : TS_OK;
		pthread_mutex_lock(&st->mu);
		if (st->werr == TS_OK)
			st->werr = ret;
		b->n = 0;
		b->tused = 0;
		st->pending = NULL;
		pthread_cond_broadcast(&st->cv);
	}
	pthread_mutex_unlock(&st->mu);
	return NULL;
}

/* Waits until the worker has applied what it was given; its error. */
static int wait_worker(zonestats_t *st)
{
	pthread_mutex_lock(&st->mu);
	while (st->pending != NULL)
		pthread_cond_wait(&st->cv, &st->mu);
	int ret = st->werr;
	pthread_mutex_unlock(&st->mu);
	return ret;
}

/* Hands the filled batch on (or applies it here without a worker). */
static int flush(zonestats_t *st)
{
	if (st->fill->n == 0)
		return TS_OK;
	if (!st->worker)
		return apply(st, st->fill);
	int ret = wait_worker(st);
	if (ret != TS_OK)
		return ret;
	pthread_mutex_lock(&st->mu);
	st->pending = st->fill;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	batch_t *t = st->fill;
	st->fill = st->spare;
	st->spare = t;
	return TS_OK;
}

int zonestats_use_thread(zonestats_t *st)
{
	if (st->worker)
		return TS_OK;
	st->spare = ts_malloc(sizeof(batch_t));
	if (st->spare == NULL)
		return TS_ENOMEM;
	st->spare->n = 0;
	st->spare->tused = 0;
	if (pthread_mutex_init(&st->mu, NULL) != 0)
		goto fail;
	if (pthread_cond_init(&st->cv, NULL) != 0) {
		pthread_mutex_destroy(&st->mu);
		goto fail;
	}
	if (pthread_create(&st->th, NULL, worker_main, st) != 0) {
		pthread_cond_destroy(&st->cv);
		pthread_mutex_destroy(&st->mu);
		goto fail;
	}
	st->worker = true;
	return TS_OK;
fail:
	ts_free(st->spare);
	st->spare = NULL;
	return TS_ENOMEM;
}

static void stop_worker(zonestats_t *st)
{
	if (!st->worker)
		return;
	pthread_mutex_lock(&st->mu);
	st->stop = true;
	pthread_cond_broadcast(&st->cv);
	pthread_mutex_unlock(&st->mu);
	pthread_join(st->th, NULL);
	pthread_cond_destroy(&st->cv);
	pthread_mutex_destroy(&st->mu);
	st->worker = false;
}

int zonestats_add(zonestats_t *st, const zone_rr_t *rr)
{
	st->records++;
	if (!st->have_apex) {
		int ret = rr->type == ZONE_T_SOA ? zonestats_set_apex(st, rr->owner, rr->owner_len)
		                                 : zonestats_set_apex(st, rr->origin, rr->origin_len);
		if (ret != TS_OK)
			return ret;
	}
	switch (rr->type) {
	case ZONE_T_NS:
	case ZONE_T_DS:
		break;
	case ZONE_T_RRSIG:
		st->rrsigs++;
		if (rr->owner_len == st->apex_len && memcmp(rr->owner, st->apex, st->apex_len) == 0)
			st->apex_rrsig = true;
		if (rr->decoded) {
			int64_t exp = (int64_t)rr->rd.rrsig.expiration;
			if (!st->have_expiry || exp < st->earliest)
				st->earliest = exp;
			st->have_expiry = true;
			if (exp < st->expiry_limit)
				st->expiring++;
		}
		return TS_OK;
	case ZONE_T_DNSKEY:
		if (rr->owner_len == st->apex_len && memcmp(rr->owner, st->apex, st->apex_len) == 0)
			st->apex_dnskey = true;
		return TS_OK;
	default:
		return TS_OK;
	}
	/* NS or DS: only below the apex */
	if (rr->owner_len <= st->apex_len ||
	    !name_is_at_or_below(rr->owner, rr->owner_len, st->apex, st->apex_len))
		return TS_OK;
	if (rr->type == ZONE_T_NS && !rr->decoded)
		return TS_EINTERNAL;  /* the scan was not asked to decode NS */
	batch_t *b = st->fill;
	if (rr->type == ZONE_T_NS && b->tused + rr->rd.ns.len + 1 > ZS_BATCH_TEXT) {
		int ret = flush(st);
		if (ret != TS_OK)
			return ret;
		b = st->fill;
	}
	op_t *op = &b->ops[b->n];
	op->oh = hash(rr->owner, rr->owner_len);
	if (rr->type == ZONE_T_NS) {
		const char *t = rr->rd.ns.name;
		op->th = hash(t, rr->rd.ns.len);
		op->tlen = (uint16_t)rr->rd.ns.len;
		op->toff = (uint32_t)b->tused;
		op->inbail = name_is_at_or_below(t, rr->rd.ns.len, rr->owner, rr->owner_len);
		memcpy(b->text + b->tused, t, rr->rd.ns.len + 1);
		b->tused += rr->rd.ns.len + 1;
	} else {
		op->th = 0;
	}
	if (++b->n == ZS_BATCH)
		return flush(st);
	return TS_OK;
}

int zonestats_rr_fn(void *user, const zone_rr_t *rr)
{
	int ret = zonestats_add(user, rr);
	if (ret == TS_EINTERNAL)
		ts_log(TS_LOG_ERR, "zone statistics need decoded NS records");
	return ret;
}

static int cmp_prov(const void *a, const void *b)
{
	const zonestats_provider_t *x = a, *y = b;
	if (x->delegations != y->delegations)
		return x->delegations > y->delegations ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* true when provider (count c, name n) ranks before top entry t */
static bool ranks_before(uint64_t c, const char *n, const zonestats_provider_t *t)
{
	return c > t->delegations || (c == t->delegations && strcmp(n, t->name) < 0);
}

int zonestats_result(zonestats_t *st, zonestats_result_t *r)
{
	memset(r, 0, sizeof(*r));
	int ret = flush(st);
	if (ret == TS_OK && st->worker)
		ret = wait_worker(st);
	if (ret != TS_OK)
		return ret;
	r->origin = st->apex;
	r->records = st->records;
	for (size_t i = 0; i < st->deleg.cap; i++) {
		const slot_t *s = &st->deleg.s[i];
		uint32_t f = (uint32_t)(s->v >> 32);
		if (s->k == 0 || !(f & F_NS))
			continue;
		r->delegations++;
		if (f & F_DS)
			r->ds_delegations++;
		if (!(f & F_MULTI))
			r->single_ns_delegations++;
		if (f & F_INBAIL)
			r->in_bailiwick_delegations++;
	}
	r->dnssec_adoption_pct = r->delegations ? 100.0 * (double)r->ds_delegations / (double)r->delegations : 0.0;
	r->distinct_ns_hosts = st->hosts.n;
	r->providers = st->nprov;
	uint64_t links = 0;
	for (uint32_t i = 0; i < st->nprov; i++)
		links += st->prov_count[i];
	double hhi = 0;
	size_t ntop = 0;
	for (uint32_t i = 0; i < st->nprov; i++) {
		uint64_t c = st->prov_count[i];
		if (c == 0)
			continue;
		double share = 100.0 * (double)c / (double)links;
		hhi += share * share;
		/* keep the best ZONESTATS_TOP, sorted, by insertion */
		if (ntop == ZONESTATS_TOP && !ranks_before(c, st->prov_name[i], &st->top[ntop - 1]))
			continue;
		size_t j = ntop < ZONESTATS_TOP ? ntop++ : ZONESTATS_TOP - 1;
		while (j > 0 && ranks_before(c, st->prov_name[i], &st->top[j - 1])) {
			st->top[j] = st->top[j - 1];
			j--;
		}
		st->top[j].name = st->prov_name[i];
		st->top[j].delegations = c;
		st->top[j].share_pct = share;
	}
	qsort(st->top, ntop, sizeof(st->top[0]), cmp_prov);
	memcpy(r->top, st->top, ntop * sizeof(st->top[0]));
	r->ntop = ntop;
	r->ns_provider_hhi = hhi;
	r->apex_signed = st->apex_dnskey && st->apex_rrsig;
	r->rrsigs = st->rrsigs;
	r->have_rrsig_expiry = st->have_expiry;
	r->earliest_rrsig_expiry = st->earliest;
	r->expiring_signatures = st->expiring;
	return TS_OK;
}

static int add_str(dbuf_t *b, const char *s, size_t n)
{
	int ret = dbuf_addc(b, '"');
	if (ret == TS_OK)
		ret = dbuf_add_json_str(b, s, n);
	if (ret == TS_OK)
		ret = dbuf_addc(b, '"');
	return ret;
}

int zonestats_json(const zonestats_result_t *r, dbuf_t *b)
{
	int ret = dbuf_adds(b, "{\n  \"origin\": ");
	if (ret == TS_OK) {
		size_t olen = strlen(r->origin);
		ret = olen == 0 ? add_str(b, ".", 1) : add_str(b, r->origin, olen);
	}
	if (ret == TS_OK)
		ret = dbuf_addf(b, ",\n  \"records\": %llu,\n  \"delegations\": %llu,\n"
		                "  \"ds_delegations\": %llu,\n  \"dnssec_adoption_pct\": %.2f,\n"
		                "  \"single_ns_delegations\": %llu,\n  \"in_bailiwick_delegations\": %llu,\n"
		                "  \"distinct_ns_hosts\": %llu,\n  \"top_ns_providers\": [",
		                (unsigned long long)r->records, (unsigned long long)r->delegations,
		                (unsigned long long)r->ds_delegations, r->dnssec_adoption_pct,
		                (unsigned long long)r->single_ns_delegations,
		                (unsigned long long)r->in_bailiwick_delegations,
		                (unsigned long long)r->distinct_ns_hosts);
	for (size_t i = 0; i < r->ntop && ret == TS_OK; i++) {
		ret = dbuf_adds(b, i == 0 ? "\n    {\"provider\": " : ",\n    {\"provider\": ");
		if (ret == TS_OK)
			ret = add_str(b, r->top[i].name, strlen(r->top[i].name));
		if (ret == TS_OK)
			ret = dbuf_addf(b, ", \"delegations\": %llu, \"share_pct\": %.2f}",
			                (unsigned long long)r->top[i].delegations, r->top[i].share_pct);
	}
	if (ret == TS_OK)
		ret = dbuf_addf(b, "%s],\n  \"ns_provider_hhi\": %.2f,\n  \"apex_signed\": %s,\n"
		                "  \"earliest_rrsig_expiry\": ",
		                r->ntop > 0 ? "\n  " : "", r->ns_provider_hhi,
		                r->apex_signed ? "true" : "false");
	if (ret == TS_OK) {
		if (r->have_rrsig_expiry) {
			char t[TS_TIME_TEXT];
			ts_time_format(r->earliest_rrsig_expiry, t);
			ret = dbuf_addf(b, "\"%s\"", t);
		} else {
			ret = dbuf_adds(b, "null");
		}
	}
	if (ret == TS_OK)
		ret = dbuf_addf(b, ",\n  \"expiring_signatures\": %llu\n}\n",
		                (unsigned long long)r->expiring_signatures);
	return ret;
}
