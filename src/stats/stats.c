/* stats.c — computes the statistical report from the store: one pass over
 * the cases that matter to the period, the report origins, the actions and
 * the recorded scans on the caller's connection; the registrars and the
 * threats on their domains on a second connection in a thread of its own. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/clock.h"
#include "stats/stats.h"

const char *const stats_types[STATS_N_TYPES] = { "phishing", "malware", "botnet", "pharming", "spam", "dga",
	                                         "other" };
const char *const stats_tiers[STATS_N_TIERS] = { "law_enforcement", "government", "trusted_third_party", "public",
	                                         "anonymous" };
const char *const stats_kinds[STATS_N_KINDS] = { "refer-registrar", "suspend", "lock", "redirect", "transfer",
	                                         "delete", "no-action", "block", "reserve", "register" };
const char *const stats_prios[STATS_N_PRIO] = { "high", "standard", "low" };
const unsigned stats_bin_hours[STATS_N_BINS - 1] = { 1, 4, 12, 24, 48, 72, 168 };

#define DAY 86400
#define MAX_DAILY_DAYS 62   /* periods up to this many days get a daily backlog line */

static int index_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return (int)i;
	return -1;
}

/* A growable array of durations (seconds). */
typedef struct durs {
	int64_t *v;
	size_t n, cap;
} durs_t;

static int durs_push(durs_t *d, int64_t x)
{
	if (d->n == d->cap) {
		size_t cap = d->cap != 0 ? d->cap * 2 : 256;
		int64_t *v = ts_realloc(d->v, cap * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = x;
	return TS_OK;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Nearest-rank percentile of sorted v[0..n): the smallest value with at
 * least p% of the values at or below it. */
static int64_t percentile(const int64_t *v, size_t n, unsigned p)
{
	size_t rank = (n * p + 99) / 100;
	return v[rank > 0 ? rank - 1 : 0];
}

static void times_finish(stats_times_t *t, durs_t *d)
{
	t->count = d->n;
	if (d->n == 0)
		return;
	qsort(d->v, d->n, sizeof(d->v[0]), cmp_i64);
	t->median_s = percentile(d->v, d->n, 50);
	t->p90_s = percentile(d->v, d->n, 90);
	t->within_due_pct = 100.0 * (double)t->within_due / (double)d->n;
}

/* The first second of the month holding t, and of the month after. */
static int64_t month_start(int64_t t)
{
	int64_t y;
	unsigned m, d;
	int64_t days = t >= 0 ? t / DAY : (t - DAY + 1) / DAY;
	ts_civil_from_days(days, &y, &m, &d);
	return ts_days_from_civil(y, m, 1) * DAY;
}

static int64_t next_month(int64_t t)
{
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(month_start(t) / DAY, &y, &m, &d);
	return m == 12 ? ts_days_from_civil(y + 1, 1, 1) * DAY : ts_days_from_civil(y, m + 1, 1) * DAY;
}

typedef struct reg_acc {
	stats_t *s;
	stats_registrar_t *v;
	size_t n, cap;
} reg_acc_t;

static int on_registrar(void *user, const store_stats_registrar_t *r)
{
	reg_acc_t *acc = user;
	if (acc->n == acc->cap) {
		size_t cap = acc->cap != 0 ? acc->cap * 2 : 64;
		stats_registrar_t *v = ts_realloc(acc->v, cap * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		acc->v = v;
		acc->cap = cap;
	}
	stats_registrar_t *x = &acc->v[acc->n];
	memset(x, 0, sizeof(*x));
	x->id = arena_strdup(acc->s->arena2, r->id != NULL ? r->id : "");
	x->name = arena_strdup(acc->s->arena2, r->name != NULL ? r->name : "");
	if (x->id == NULL || x->name == NULL)
		return TS_ENOMEM;
	x->domains = r->domains;
	acc->n++;
	return TS_OK;
}

static int cmp_registrar_id(const void *key, const void *elem)
{
	return strcmp(key, ((const stats_registrar_t *)elem)->id);
}

/* A threat received in the period on a domain of the registration data. */
static int on_reg_hit(void *user, const store_stats_reg_hit_t *h)
{
	reg_acc_t *acc = user;
	stats_t *s = acc->s;
	bool young = h->created != 0 && h->created <= h->received_at &&
	             h->received_at - h->created < (int64_t)STATS_YOUNG_DAYS * DAY;
	s->threats_matched++;
	s->threats_young += young;
	/* the registrars came sorted by id (byte order) */
	stats_registrar_t *r = h->registrar_id != NULL ?
	                       bsearch(h->registrar_id, acc->v, acc->n, sizeof(*acc->v), cmp_registrar_id) : NULL;
	if (r != NULL) {
		r->threats++;
		r->young += young;
	}
	return TS_OK;
}

static int cmp_feed(const void *a, const void *b)
{
	return strcmp(((const stats_feed_t *)a)->name, ((const stats_feed_t *)b)->name);
}

typedef struct pass {
	stats_t *s;
	arena_t *arena;            /* where this pass's strings and arrays go */
	int64_t *open_diff;        /* n_backlog + 1 differences of the open counts */
	durs_t ack[STATS_N_PRIO];
	durs_t resp[STATS_N_PRIO];
	int ret;
} pass_t;

static stats_month_t *month_of(stats_t *s, int64_t t)
{
	for (size_t i = 0; i < s->n_months; i++)
		if (t >= s->months[i].start && t < s->months[i].end)
			return &s->months[i];
	return NULL;
}

/* The index of the first backlog point after t (n_backlog when none). */
static size_t first_after(const stats_t *s, int64_t t)
{
	size_t lo = 0, hi = s->n_backlog;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->backlog[mid].at > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool open_at(const store_stats_case_t *c, int64_t t)
{
	return c->received_at < t && (c->closed_at == 0 || c->closed_at >= t);
}

static int on_case(void *user, const store_stats_case_t *c)
{
	pass_t *p = user;
	stats_t *s = p->s;
	int ti = index_of(c->threat, stats_types, STATS_N_TYPES);
	int pi = index_of(c->priority, stats_prios, STATS_N_PRIO);
	if (ti < 0)
		ti = STATS_N_TYPES - 1;
	if (pi < 0)
		pi = STATS_N_PRIO - 1;
	if (c->received_at >= s->from && c->received_at < s->to) {
		s->threats++;
		s->by_type[ti]++;
		stats_month_t *m = month_of(s, c->received_at);
		if (m != NULL) {
			m->threats++;
			m->by_type[ti]++;
		}
	}
	int ret = TS_OK;
	if (c->acked_at != 0 && c->acked_at >= s->from && c->acked_at < s->to) {
		s->ack[pi].within_due += c->acked_at <= c->ack_due;
		ret = durs_push(&p->ack[pi], c->acked_at - c->received_at);
	}
	if (ret == TS_OK && c->assessed_at != 0 && c->assessed_at >= s->from && c->assessed_at < s->to) {
		int64_t d = c->assessed_at - c->received_at;
		s->response[pi].within_due += c->assessed_at <= c->response_due;
		size_t b = 0;
		while (b < STATS_N_BINS - 1 && d >= (int64_t)stats_bin_hours[b] * 3600)
			b++;
		s->response_hist[b]++;
		ret = durs_push(&p->resp[pi], d);
	}
	if (ret != TS_OK)
		return ret;
	/* open at the points t with received < t <= closed: a run of points,
	 * found by two binary searches, added as a difference */
	size_t a = first_after(s, c->received_at);
	size_t z = c->closed_at != 0 ? first_after(s, c->closed_at) : s->n_backlog;
	if (a < z) {
		p->open_diff[a]++;
		p->open_diff[z]--;
	}
	if (open_at(c, s->to)) {
		s->open++;
		s->open_by_prio[pi]++;
		if (c->acked_at == 0 || c->acked_at >= s->to) {
			if (s->to > c->ack_due) {
				s->overdue++;
				s->overdue_ack++;
			}
		} else if (c->assessed_at == 0 || c->assessed_at >= s->to) {
			if (s->to > c->response_due) {
				s->overdue++;
				s->overdue_response++;
			}
		}
	}
	return TS_OK;
}

static int on_origin(void *user, const store_stats_origin_t *o)
{
	pass_t *p = user;
	stats_t *s = p->s;
	if (o->origin != NULL && strncmp(o->origin, "feed:", 5) == 0) {
		const char *name = o->origin + 5;
		for (size_t i = 0; i < s->n_feeds; i++) {
			if (strcmp(s->feeds[i].name, name) == 0) {
				s->feeds[i].n += o->n;
				return TS_OK;
			}
		}
		/* a new feed: grow by one (feeds are few) */
		stats_feed_t *f = arena_alloc(p->arena, (s->n_feeds + 1) * sizeof(*f));
		char *nm = arena_strdup(p->arena, name);
		if (f == NULL || nm == NULL)
			return TS_ENOMEM;
		if (s->n_feeds > 0)
			memcpy(f, s->feeds, s->n_feeds * sizeof(*f));
		f[s->n_feeds].name = nm;
		f[s->n_feeds].n = o->n;
		s->feeds = f;
		s->n_feeds++;
		return TS_OK;
	}
	int t = index_of(o->tier, stats_tiers, STATS_N_TIERS);
	if (t >= 0)
		s->by_tier[t] += o->n;
	return TS_OK;
}

static int on_action(void *user, const store_action_t *a)
{
	pass_t *p = user;
	stats_t *s = p->s;
	s->actions++;
	if (a->undone_at != 0)
		s->actions_undone++;
	int k = index_of(a->kind, stats_kinds, STATS_N_KINDS);
	if (k >= 0)
		s->by_kind[k]++;
	stats_month_t *m = month_of(s, a->created_at);
	if (m != NULL)
		m->actions++;
	return TS_OK;
}

/* Scans are few: a growing array in the arena, strings copied. */
static int on_scan(void *user, const store_scan_t *x)
{
	pass_t *p = user;
	stats_t *s = p->s;
	store_scan_t *v = arena_alloc(p->arena, (s->n_scans + 1) * sizeof(*v));
	if (v == NULL)
		return TS_ENOMEM;
	if (s->n_scans > 0)
		memcpy(v, s->scans, s->n_scans * sizeof(*v));
	v[s->n_scans] = *x;
	store_scan_t *n = &v[s->n_scans];
	n->origin = arena_strdup(p->arena, x->origin != NULL ? x->origin : "");
	n->feeds = arena_strdup(p->arena, x->feeds != NULL ? x->feeds : "");
	n->top_providers = x->top_providers != NULL ? arena_strdup(p->arena, x->top_providers) : NULL;
	if (n->origin == NULL || n->feeds == NULL || (x->top_providers != NULL && n->top_providers == NULL))
		return TS_ENOMEM;
	s->scans = v;
	s->n_scans++;
	return TS_OK;
}

static int cmp_registrar(const void *a, const void *b)
{
	const stats_registrar_t *x = a, *y = b;
	if (x->per_10k != y->per_10k)
		return x->per_10k < y->per_10k ? 1 : -1;
	if (x->threats != y->threats)
		return x->threats < y->threats ? 1 : -1;
	return strcmp(x->id, y->id);
}

/* Months when [from, to) spans more than one; backlog points. */
static int plan(stats_t *s)
{
	size_t nm = 0;
	for (int64_t t = month_start(s->from); t < s->to; t = next_month(t))
		if (++nm > STATS_MAX_MONTHS)
			return TS_ELIMIT;
	if (nm > 1) {
		s->months = arena_calloc(s->arena, nm * sizeof(*s->months));
		if (s->months == NULL)
			return TS_ENOMEM;
		for (int64_t t = month_start(s->from); t < s->to; t = next_month(t)) {
			stats_month_t *m = &s->months[s->n_months++];
			m->start = t < s->from ? s->from : t;
			m->end = next_month(t) > s->to ? s->to : next_month(t);
			char d[11];
			ts_date_format(t, d);
			memcpy(m->label, d, 7);
			m->label[7] = '\0';
		}
	}
	s->backlog_daily = s->to - s->from <= (int64_t)MAX_DAILY_DAYS * DAY;
	size_t np = 2 + (s->backlog_daily ? (size_t)((s->to - s->from) / DAY) + 1 : nm);
	s->backlog = arena_calloc(s->arena, np * sizeof(*s->backlog));
	if (s->backlog == NULL)
		return TS_ENOMEM;
	s->backlog[s->n_backlog++].at = s->from;
	if (s->backlog_daily) {
		int64_t t = s->from >= 0 ? (s->from / DAY + 1) * DAY : s->from - s->from % DAY;
		for (; t < s->to; t += DAY)
			s->backlog[s->n_backlog++].at = t;
	} else {
		for (int64_t t = next_month(s->from); t < s->to; t = next_month(t))
			s->backlog[s->n_backlog++].at = t;
	}
	s->backlog[s->n_backlog++].at = s->to;
	return TS_OK;
}

/* The registrars and the threats on their domains (a join of the period's
 * cases with the registration data, the costliest read) run on a second
 * connection in a thread of their own while this one reads the cases, the
 * origins, the actions and the scans. The thread writes only the registrar
 * fields of s and allocates only from arena2. */
typedef struct side {
	store_t *st;
	reg_acc_t acc;
	int ret;
} side_t;

static void side_run(side_t *x)
{
	stats_t *s = x->acc.s;
	x->ret = TS_OK;
	if (!s->have_registrations)
		return;
	if ((x->ret = store_stats_registrars(x->st, on_registrar, &x->acc)) == TS_OK)
		x->ret = store_stats_reg_hits(x->st, s->from, s->to, on_reg_hit, &x->acc);
}

/* Forgets what a failed side run counted, before it runs again. */
static void side_reset(side_t *x)
{
	x->acc.n = 0;
	x->acc.s->threats_matched = x->acc.s->threats_young = 0;
}

static void *side_thread(void *u)
{
	side_run(u);
	return NULL;
}

int stats_compute(store_t *st, int64_t from, int64_t to, stats_t **out)
{
	*out = NULL;
	if (from >= to)
		return TS_EINPUT;
	stats_t *s = ts_calloc(1, sizeof(*s));
	pass_t p = { .s = s };
	side_t side = { .acc = { .s = s } };
	store_t *peer = NULL;
	pthread_t tid;
	bool threaded = false;
	int ret = TS_ENOMEM;
	if (s == NULL)
		return TS_ENOMEM;
	s->from = from;
	s->to = to;
	if ((s->arena = arena_new(64 * 1024)) == NULL || (s->arena2 = arena_new(16 * 1024)) == NULL)
		goto out;
	p.arena = s->arena;
	if ((ret = plan(s)) != TS_OK)
		goto out;
	if ((p.open_diff = ts_calloc(s->n_backlog + 1, sizeof(*p.open_diff))) == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	if ((ret = store_reg_counts(st, &s->reg_domains, &s->reg_registrars)) != TS_OK)
		goto out;
	s->have_registrations = s->reg_domains > 0;
	/* the side reads in a thread on a second connection when one opens;
	 * otherwise after the pass, on this one. From here on the thread
	 * writes only its own fields of s. */
	side.st = st;
	if (store_open_peer(st, &peer) == TS_OK) {
		side.st = peer;
		threaded = pthread_create(&tid, NULL, side_thread, &side) == 0;
		if (!threaded)
			side.st = st;
	}
	if ((ret = store_stats_cases(st, from, to, on_case, &p)) == TS_OK &&
	    (ret = store_stats_origins(st, from, to, on_origin, &p)) == TS_OK &&
	    (ret = store_stats_actions(st, from, to, on_action, &p)) == TS_OK)
		ret = store_scan_list(st, from, to, on_scan, &p);
	if (threaded) {
		pthread_join(tid, NULL);
		threaded = false;
	}
	if (ret == TS_OK && (side.st == st || side.ret != TS_OK)) {
		/* no second connection, or it failed: again on this one, where
		 * the error (if it recurs) is told by store_error(st) */
		side_reset(&side);
		side.st = st;
		side_run(&side);
	}
	if (ret == TS_OK)
		ret = side.ret;
	if (ret != TS_OK)
		goto out;
	for (int i = 0; i < STATS_N_PRIO; i++) {
		times_finish(&s->ack[i], &p.ack[i]);
		times_finish(&s->response[i], &p.resp[i]);
	}
	int64_t run = 0;
	for (size_t i = 0; i < s->n_backlog; i++) {
		run += p.open_diff[i];
		s->backlog[i].open = (uint64_t)run;
	}
	if (s->n_feeds > 1)
		qsort(s->feeds, s->n_feeds, sizeof(*s->feeds), cmp_feed);
	if (side.acc.n > 0) {
		s->registrars = arena_alloc(s->arena, side.acc.n * sizeof(*s->registrars));
		if (s->registrars == NULL) {
			ret = TS_ENOMEM;
			goto out;
		}
		memcpy(s->registrars, side.acc.v, side.acc.n * sizeof(*side.acc.v));
		s->n_registrars = side.acc.n;
	}
	for (size_t i = 0; i < s->n_registrars; i++) {
		stats_registrar_t *r = &s->registrars[i];
		r->per_10k = r->domains > 0 ? 10000.0 * (double)r->threats / (double)r->domains : 0.0;
	}
	if (s->n_registrars > 1)
		qsort(s->registrars, s->n_registrars, sizeof(*s->registrars), cmp_registrar);
	ret = TS_OK;
out:
	if (threaded)
		pthread_join(tid, NULL);
	ts_free(p.open_diff);
	store_close(&peer);
	for (int i = 0; i < STATS_N_PRIO; i++) {
		ts_free(p.ack[i].v);
		ts_free(p.resp[i].v);
	}
	ts_free(side.acc.v);
	if (ret != TS_OK) {
		stats_free(&s);
		return ret;
	}
	*out = s;
	return TS_OK;
}

void stats_free(stats_t **s)
{
	if (s == NULL || *s == NULL)
		return;
	arena_free(&(*s)->arena);
	arena_free(&(*s)->arena2);
	ts_free(*s);
	*s = NULL;
}
