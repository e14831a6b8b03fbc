/* scan.c — indicators kept in an arena; a read-only open-addressing table of
 * every candidate owner (each suffix of each in-zone host below the apex)
 * with one atomic "has NS" flag per slot; findings sorted at the end. */
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "feeds/url.h"
#include "scan/scan.h"

typedef struct scan_ind {
	const char *host;       /* lower case, no trailing dot; in the arena */
	const char *text;
	uint32_t host_len;
	uint32_t text_len;
	unsigned long line;
	uint16_t feed;
	uint8_t threat;
} scan_ind_t;

/* A slot of the candidate table: key == NULL is empty. The key points into
 * an indicator's host (a suffix of it), so candidates cost no copies. */
typedef struct scan_slot {
	const char *key;
	uint32_t len;
	uint32_t tag;           /* the hash's high half, checked before the key */
} scan_slot_t;

struct scan {
	char origin[URL_HOST_CAP];
	size_t origin_len;
	arena_t *arena;
	char *feeds[SCAN_MAX_FEEDS];
	unsigned n_feeds;
	scan_ind_t *ind;        /* in-zone indicators */
	size_t n_ind, cap_ind;
	scan_counts_t counts;
	bool frozen, finished;
	scan_slot_t *slots;
	atomic_uchar *seen;     /* per slot: an NS record at this owner was seen */
	size_t mask;            /* slots - 1; 0 when the table is empty */
	uint64_t *filter;       /* blocked Bloom filter of the candidates: 3 bits in one word */
	size_t filter_mask;     /* words - 1 */
	scan_finding_t *findings;
	size_t n_findings;
};

static char lower(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
}

/* Lower-cases src[0..*len) into dst, dropping one trailing dot. False when
 * the name is too long to be a host. */
static bool canon(const char *src, size_t *len, char *dst)
{
	size_t n = *len;
	if (n > 0 && src[n - 1] == '.')
		n--;
	if (n > URL_HOST_MAX_NAME)
		return false;
	for (size_t i = 0; i < n; i++)
		dst[i] = lower(src[i]);
	dst[n] = '\0';
	*len = n;
	return true;
}

int scan_new(scan_t **out, const char *origin)
{
	*out = NULL;
	size_t n = strlen(origin);
	scan_t *s = ts_calloc(1, sizeof(*s));
	if (s == NULL)
		return TS_ENOMEM;
	if (!canon(origin, &n, s->origin)) {
		ts_free(s);
		return TS_EINPUT;
	}
	/* empty labels ("a..b", ".a") make no name */
	for (size_t i = 0; i < n; i++)
		if (s->origin[i] == '.' && (i == 0 || s->origin[i - 1] == '.' || i + 1 == n)) {
			ts_free(s);
			return TS_EINPUT;
		}
	s->origin_len = n;
	s->arena = arena_new(1u << 20);
	if (s->arena == NULL) {
		ts_free(s);
		return TS_ENOMEM;
	}
	*out = s;
	return TS_OK;
}

void scan_free(scan_t **sp)
{
	if (sp == NULL || *sp == NULL)
		return;
	scan_t *s = *sp;
	for (unsigned i = 0; i < s->n_feeds; i++)
		ts_free(s->feeds[i]);
	arena_free(&s->arena);
	ts_free(s->ind);
	ts_free(s->slots);
	ts_free(s->seen);
	ts_free(s->filter);
	ts_free(s->findings);
	ts_free(s);
	*sp = NULL;
}

int scan_feed(scan_t *s, const char *name, unsigned *index)
{
	if (s->frozen)
		return TS_ESTATE;
	if (s->n_feeds == SCAN_MAX_FEEDS)
		return TS_ELIMIT;
	s->feeds[s->n_feeds] = ts_strdup(name);
	if (s->feeds[s->n_feeds] == NULL)
		return TS_ENOMEM;
	*index = s->n_feeds++;
	return TS_OK;
}

/* Whether the canonical host h[0..n) is the apex or below it. */
static bool in_zone(const scan_t *s, const char *h, size_t n)
{
	size_t o = s->origin_len;
	if (o == 0)
		return true;
	if (n == o)
		return memcmp(h, s->origin, o) == 0;
	return n > o && h[n - o - 1] == '.' && memcmp(h + n - o, s->origin, o) == 0;
}

int scan_add_indicator(scan_t *s, unsigned feed, const char *host, size_t host_len,
                       const char *text, size_t text_len, unsigned long line,
                       feed_threat_t threat)
{
	char h[URL_HOST_CAP];
	if (s->frozen)
		return TS_ESTATE;
	if (feed >= s->n_feeds || !canon(host, &host_len, h) || host_len == 0 ||
	    text_len > UINT32_MAX)
		return TS_EINPUT;
	s->counts.indicators++;
	if (!in_zone(s, h, host_len)) {
		s->counts.out_of_zone++;
		return TS_OK;
	}
	if (s->n_ind == s->cap_ind) {
		if (s->cap_ind >= SCAN_MAX_INDICATORS)
			return TS_ELIMIT;
		size_t nc = s->cap_ind == 0 ? 1024 : s->cap_ind * 2;
		scan_ind_t *ni = ts_realloc(s->ind, nc * sizeof(*ni));
		if (ni == NULL)
			return TS_ENOMEM;
		s->ind = ni;
		s->cap_ind = nc;
	}
	scan_ind_t *ind = &s->ind[s->n_ind];
	ind->host = arena_strndup(s->arena, h, host_len);
	ind->text = arena_strndup(s->arena, text, text_len);
	if (ind->host == NULL || ind->text == NULL)
		return TS_ENOMEM;
	ind->host_len = (uint32_t)host_len;
	ind->text_len = (uint32_t)text_len;
	ind->line = line;
	ind->feed = (uint16_t)feed;
	ind->threat = (uint8_t)threat;
	s->n_ind++;
	return TS_OK;
}

void scan_add_feed_stats(scan_t *s, const feed_stats_t *st)
{
	s->counts.malformed += st->malformed;
	s->counts.ip_skipped += st->ip_skipped;
}

int scan_feed_cb(void *user, const feed_indicator_t *ind)
{
	scan_sink_t *sink = user;
	return scan_add_indicator(sink->scan, sink->feed, ind->host, ind->host_len, ind->text,
	                          ind->text_len, ind->line, ind->threat);
}

/* The number of candidate owners of host h: its suffixes below the apex. */
static size_t n_suffixes(const scan_t *s, const char *h, size_t n)
{
	if (n == s->origin_len)
		return 0; /* the apex itself */
	size_t end = s->origin_len == 0 ? n : n - s->origin_len - 1;
	size_t k = 1;
	for (size_t i = 0; i < end; i++)
		if (h[i] == '.')
			k++;
	return k;
}

/* Finds the slot of key[0..len) with hash hv: its index, or where it would
 * go (an empty slot). */
static size_t probe(const scan_t *s, const char *key, size_t len, uint64_t hv)
{
	uint32_t tag = (uint32_t)(hv >> 32);
	size_t i = (size_t)hv & s->mask;
	for (;;) {
		const scan_slot_t *sl = &s->slots[i];
		if (sl->key == NULL ||
		    (sl->tag == tag && sl->len == len && memcmp(sl->key, key, len) == 0))
			return i;
		i = (i + 1) & s->mask;
	}
}

/* The filter word of hash hv and its three bits. The slot index uses the
 * low bits of hv; the word uses bits 20 and up, the bits 0..17. */
static size_t filter_word(const scan_t *s, uint64_t hv)
{
	return (size_t)(hv >> 20) & s->filter_mask;
}

static uint64_t filter_bits(uint64_t hv)
{
	return (1ull << (hv & 63)) | (1ull << ((hv >> 6) & 63)) | (1ull << ((hv >> 12) & 63));
}

int scan_freeze(scan_t *s)
{
	if (s->frozen)
		return TS_ESTATE;
	size_t total = 0;
	for (size_t i = 0; i < s->n_ind; i++)
		total += n_suffixes(s, s->ind[i].host, s->ind[i].host_len);
	s->frozen = true;
	if (total == 0)
		return TS_OK; /* mask 0: every lookup misses at once */
	/* load factor at most 1/2 even if no suffix repeats */
	size_t cap = 16;
	while (cap < 2 * total)
		cap *= 2;
	s->slots = ts_calloc(cap, sizeof(*s->slots));
	s->seen = ts_calloc(cap, sizeof(*s->seen));
	if (s->slots == NULL || s->seen == NULL)
		return TS_ENOMEM;
	s->mask = cap - 1;
	for (size_t i = 0; i < cap; i++)
		atomic_init(&s->seen[i], 0);
	/* about 16 filter bits per candidate: a few percent false positives,
	 * and small enough to stay in cache where the table does not */
	size_t words = 1;
	while (words * 4 < total)
		words *= 2;
	s->filter = ts_calloc(words, sizeof(*s->filter));
	if (s->filter == NULL)
		return TS_ENOMEM;
	s->filter_mask = words - 1;
	for (size_t i = 0; i < s->n_ind; i++) {
		const char *h = s->ind[i].host;
		size_t n = s->ind[i].host_len;
		size_t k = n_suffixes(s, h, n);
		size_t off = 0;
		while (k-- > 0) {
			uint64_t hv = XXH3_64bits(h + off, n - off);
			size_t slot = probe(s, h + off, n - off, hv);
			if (s->slots[slot].key == NULL) {
				s->slots[slot].key = h + off;
				s->slots[slot].len = (uint32_t)(n - off);
				s->slots[slot].tag = (uint32_t)(hv >> 32);
				s->filter[filter_word(s, hv)] |= filter_bits(hv);
			}
			const char *dot = memchr(h + off, '.', n - off);
			if (dot == NULL)
				break;
			off = (size_t)(dot - h) + 1;
		}
	}
	return TS_OK;
}

void scan_delegation(scan_t *s, const char *owner, size_t len)
{
	char buf[URL_HOST_CAP];
	if (s->mask == 0 || !canon(owner, &len, buf))
		return;
	scan_delegation_hashed(s, buf, len, XXH3_64bits(buf, len));
}

size_t scan_candidate(const scan_t *s, const char *owner, size_t len, uint64_t hv)
{
	if (s->mask == 0 || len > URL_HOST_MAX_NAME)
		return SCAN_NO_CANDIDATE;
	uint64_t bits = filter_bits(hv);
	if ((s->filter[filter_word(s, hv)] & bits) != bits)
		return SCAN_NO_CANDIDATE; /* the common case */
	size_t slot = probe(s, owner, len, hv);
	return s->slots[slot].key != NULL ? slot : SCAN_NO_CANDIDATE;
}

void scan_seen(scan_t *s, size_t candidate)
{
	if (candidate <= s->mask &&
	    atomic_load_explicit(&s->seen[candidate], memory_order_relaxed) == 0)
		atomic_store_explicit(&s->seen[candidate], 1, memory_order_relaxed);
}

void scan_delegation_hashed(scan_t *s, const char *owner, size_t len, uint64_t hv)
{
	size_t c = scan_candidate(s, owner, len, hv);
	if (c != SCAN_NO_CANDIDATE)
		scan_seen(s, c);
}

/* The closest enclosing delegation of host h: the longest of its suffixes
 * below the apex that was seen, or NULL. */
static const char *closest(const scan_t *s, const char *h, size_t n, size_t *dlen)
{
	size_t k = s->mask == 0 ? 0 : n_suffixes(s, h, n);
	size_t off = 0;
	while (k-- > 0) {
		size_t slot = probe(s, h + off, n - off, XXH3_64bits(h + off, n - off));
		if (s->slots[slot].key != NULL &&
		    atomic_load_explicit(&s->seen[slot], memory_order_relaxed) != 0) {
			*dlen = n - off;
			return h + off;
		}
		const char *dot = memchr(h + off, '.', n - off);
		if (dot == NULL)
			break;
		off = (size_t)(dot - h) + 1;
	}
	return NULL;
}

static int cmp_str(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c != 0)
		return c;
	return an < bn ? -1 : an > bn;
}

/* Order for deduplication: domain, feed, text, line. */
static int cmp_dedup(const void *pa, const void *pb)
{
	const scan_finding_t *a = pa, *b = pb;
	int c = cmp_str(a->domain, a->domain_len, b->domain, b->domain_len);
	if (c != 0)
		return c;
	if (a->feed_index != b->feed_index)
		return a->feed_index < b->feed_index ? -1 : 1;
	c = cmp_str(a->indicator, a->indicator_len, b->indicator, b->indicator_len);
	if (c != 0)
		return c;
	return (a->line > b->line) - (a->line < b->line);
}

/* Output order: domain, feed, line, text. */
static int cmp_out(const void *pa, const void *pb)
{
	const scan_finding_t *a = pa, *b = pb;
	int c = cmp_str(a->domain, a->domain_len, b->domain, b->domain_len);
	if (c != 0)
		return c;
	if (a->feed_index != b->feed_index)
		return a->feed_index < b->feed_index ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return cmp_str(a->indicator, a->indicator_len, b->indicator, b->indicator_len);
}

static int write_finding(dbuf_t *b, const scan_finding_t *f, FILE *out)
{
	int ret;
	dbuf_reset(b);
	if ((ret = dbuf_adds(b, "{\"domain\":\"")) != TS_OK ||
	    (ret = dbuf_add_json_str(b, f->domain, f->domain_len)) != TS_OK ||
	    (ret = dbuf_addf(b, "\",\"threat\":\"%s\",\"feed\":\"", feed_threat_name(f->threat))) != TS_OK ||
	    (ret = dbuf_add_json_str(b, f->feed, strlen(f->feed))) != TS_OK ||
	    (ret = dbuf_adds(b, "\",\"indicator\":\"")) != TS_OK ||
	    (ret = dbuf_add_json_str(b, f->indicator, f->indicator_len)) != TS_OK ||
	    (ret = dbuf_addf(b, "\",\"line\":%lu}\n", f->line)) != TS_OK)
		return ret;
	if (fwrite(b->p, 1, b->len, out) != b->len)
		return TS_EIO;
	return TS_OK;
}

int scan_finish(scan_t *s, FILE *out, scan_counts_t *counts)
{
	int ret = TS_OK;
	dbuf_t line;
	dbuf_init(&line, 6u * TS_MAX_LINE + 4096u);
	*counts = s->counts;
	if (!s->frozen || s->finished)
		return TS_ESTATE;
	s->finished = true;
	if (s->n_ind > 0) {
		s->findings = ts_malloc(s->n_ind * sizeof(*s->findings));
		if (s->findings == NULL)
			return TS_ENOMEM;
	}
	size_t nf = 0;
	for (size_t i = 0; i < s->n_ind; i++) {
		const scan_ind_t *ind = &s->ind[i];
		size_t dlen = 0;
		const char *d = closest(s, ind->host, ind->host_len, &dlen);
		if (d == NULL) {
			s->counts.unregistered++;
			continue;
		}
		s->findings[nf++] = (scan_finding_t){
			.domain = d, .domain_len = dlen, .feed = s->feeds[ind->feed],
			.feed_index = ind->feed, .indicator = ind->text, .indicator_len = ind->text_len, .line = ind->line,
			.threat = (feed_threat_t)ind->threat,
		};
	}
	/* one finding per (domain, feed, indicator text): the first line */
	if (nf > 1)
		qsort(s->findings, nf, sizeof(*s->findings), cmp_dedup);
	size_t w = 0;
	for (size_t r = 0; r < nf; r++) {
		if (w > 0) {
			const scan_finding_t *p = &s->findings[w - 1], *c = &s->findings[r];
			if (p->feed_index == c->feed_index && p->domain_len == c->domain_len &&
			    memcmp(p->domain, c->domain, c->domain_len) == 0 &&
			    cmp_str(p->indicator, p->indicator_len, c->indicator, c->indicator_len) == 0)
				continue;
		}
		s->findings[w++] = s->findings[r];
	}
	nf = w;
	if (nf > 1)
		qsort(s->findings, nf, sizeof(*s->findings), cmp_out);
	s->n_findings = nf;
	for (size_t i = 0; i < nf; i++) {
		const scan_finding_t *f = &s->findings[i];
		if (i == 0 || cmp_str(f->domain, f->domain_len, f[-1].domain, f[-1].domain_len) != 0)
			s->counts.domains++;
		if (out != NULL && (ret = write_finding(&line, f, out)) != TS_OK)
			goto done;
	}
	s->counts.findings = nf;
	if (out != NULL && (fflush(out) != 0 || ferror(out)))
		ret = TS_EIO;
done:
	dbuf_free(&line);
	*counts = s->counts;
	return ret;
}

const scan_finding_t *scan_findings(const scan_t *s, size_t *n)
{
	*n = s->n_findings;
	return s->findings;
}
