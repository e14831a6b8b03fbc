/* zone.c — the patched zone (export_zone_write). One pass of the scanner
 * with every record's RDATA as text (ZONE_DEC_TEXT); each record is written
 * back on one line or dropped. Address records below an acted-on name are
 * held until the end, when it is known whether a remaining delegation names
 * them as name servers.
 *
 * The lines are built by hand in large buffers; once the first buffer is
 * full, a writer thread takes over the write(2) calls (and, for an atomic
 * file, starts the disk writes of each buffer at once, so the final fsync
 * has little left to do) while the scanner's thread goes on formatting into
 * the next buffer. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "base/afile.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "export/names.h"
#include "export/zone.h"

#define HELD_MAX   (256u << 20)   /* bytes of held glue */
#define OUT_BUF    (1u << 20)      /* bytes written to the file at a time */
#define OUT_NBUF   4u              /* output buffers: one being filled, the others queued */
#define OUT_SLACK  64u             /* bytes after a buffer's end that fixed-size copies may touch */
#define MID_MAX    48u             /* "\tTTL\tCLASS\tTYPE\t" at most, with room for 16-byte copies */
#define MID_BITS   6u              /* 64 cached "\tTTL\tCLASS\tTYPE\t" */
#define LINE_ROOM  (TS_MAX_ZONE_RECORD + 2 * NAME_TEXT_MAX + 64)   /* one line at most */

enum { ACT_SUSPEND = 1, ACT_REDIRECT = 2 };

/* A set of canonical names with a small value, open addressing. */
typedef struct nset_ent {
	const char *name;             /* in the arena; NULL: empty slot */
	size_t len;
	uint64_t hash;
	int act;
	size_t idx;                   /* the redirect's index */
	bool found;                   /* the delegation's NS was seen */
	bool ns_written;              /* redirect: the sinkhole NS was written */
} nset_ent_t;

typedef struct nset {
	nset_ent_t *v;
	uint32_t *tag;                /* per slot, read before v: the hash's high half | 1; 0: empty */
	size_t cap;                   /* power of two */
	size_t n;
	unsigned min_labels;          /* fewest labels of a name in the set */
	unsigned max_labels;          /* most */
	uint64_t label_mask;          /* bit k: a name of k labels is in the set (bit 63: 63 or more) */
	const char *tail;             /* the longest suffix (whole labels) common to all names */
	size_t tail_len;
	unsigned tail_labels;
	uint64_t *bits;               /* one bit per hash value's top `bits_log2` bits: a name may be in the set */
	unsigned bits_log2;
} nset_t;

/* "\tTTL\tCLASS\tTYPE\t" of a record. */
typedef struct xz_mid {
	uint32_t ttl;
	uint16_t type;
	uint16_t rclass;
	uint8_t len;
	bool ok;
	char text[MID_MAX];
} xz_mid_t;

/* The output: buffers filled by the scanner's thread and, once the first is
 * full, written by a thread of its own. The fields below `mu` are shared
 * under it; they change once per buffer. */
typedef struct xz_out {
	FILE *fp;
	int fd;                       /* fileno(fp); -1 (a memory stream): fwrite */
	bool start_sync;              /* a file to be synced: start each buffer's disk write at once */
	uint64_t off;                 /* the file offset of the next write, for start_sync */
	char *buf[OUT_NBUF];          /* OUT_BUF + OUT_SLACK bytes each; [0] from the start */
	bool threaded;                /* the writer thread runs */
	bool in_place;                /* no thread could be started: write from the scanner's thread */
	unsigned cur;                 /* the buffer being filled */
	int err_no;                   /* errno of a failed write */
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t len[OUT_NBUF];         /* > 0: full, for the writer thread */
	unsigned wnext;               /* the next buffer the writer thread writes */
	bool quit;
	int err;                      /* TS_EIO once a write failed */
} xz_out_t;

typedef struct xz {
	const export_zone_opts_t *o;
	arena_t *a;
	nset_t acted;                 /* suspended and redirected names */
	nset_t needed;                /* name-server targets at or below acted-on names */
	dbuf_t held;                  /* glue: "owner\0line\0" ... */
	uint64_t nheld;
	char *line;                   /* one line, for held glue: LINE_ROOM bytes */
	char *out;                    /* the buffer being filled: w.buf[w.cur] */
	size_t outlen;
	xz_mid_t mid[1u << MID_BITS]; /* by a hash of TTL, class and type */
	char tname[256][16];          /* type names below 256, filled on first use */
	char origin[NAME_TEXT_MAX];   /* the $ORIGIN last written */
	size_t origin_len;
	bool have_origin;
	bool have_apex;
	char apex[NAME_TEXT_MAX];
	size_t apex_len;
	char last_owner[NAME_TEXT_MAX];   /* lookup cache */
	size_t last_len;
	nset_ent_t *last_ent;
	bool last_at;
	bool have_last;
	pthread_mutex_t *lock;        /* callbacks from several threads: held around `needed` */
	export_zone_totals_t t;
	char pad[64];                 /* the writer thread's fields on lines of their own */
	xz_out_t w;
} xz_t;

/* ---- small copies and compares ------------------------------------------ */

/* n bytes from s to p, without a call for the short names and RDATA of a
 * zone (overlapping fixed-size moves). */
static inline char *put_mem(char *p, const char *s, size_t n)
{
	if (n <= 16) {
		if (n >= 8) {
			uint64_t a, b;
			memcpy(&a, s, 8);
			memcpy(&b, s + n - 8, 8);
			memcpy(p, &a, 8);
			memcpy(p + n - 8, &b, 8);
		} else if (n >= 4) {
			uint32_t a, b;
			memcpy(&a, s, 4);
			memcpy(&b, s + n - 4, 4);
			memcpy(p, &a, 4);
			memcpy(p + n - 4, &b, 4);
		} else if (n > 0) {
			p[0] = s[0];
			p[n / 2] = s[n / 2];
			p[n - 1] = s[n - 1];
		}
		return p + n;
	}
	if (n <= 32) {
		char a[16], b[16];
		memcpy(a, s, 16);
		memcpy(b, s + n - 16, 16);
		memcpy(p, a, 16);
		memcpy(p + n - 16, b, 16);
		return p + n;
	}
	memcpy(p, s, n);
	return p + n;
}

static inline bool same_mem(const char *a, const char *b, size_t n)
{
	if (n < 4)
		return n == 0 || (a[0] == b[0] && a[n / 2] == b[n / 2] && a[n - 1] == b[n - 1]);
	if (n < 8) {
		uint32_t a0, a1, b0, b1;
		memcpy(&a0, a, 4);
		memcpy(&a1, a + n - 4, 4);
		memcpy(&b0, b, 4);
		memcpy(&b1, b + n - 4, 4);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n <= 16) {
		uint64_t a0, a1, b0, b1;
		memcpy(&a0, a, 8);
		memcpy(&a1, a + n - 8, 8);
		memcpy(&b0, b, 8);
		memcpy(&b1, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1)) == 0;
	}
	if (n <= 32) {
		uint64_t a0, a1, a2, a3, b0, b1, b2, b3;
		memcpy(&a0, a, 8);
		memcpy(&a1, a + 8, 8);
		memcpy(&a2, a + n - 16, 8);
		memcpy(&a3, a + n - 8, 8);
		memcpy(&b0, b, 8);
		memcpy(&b1, b + 8, 8);
		memcpy(&b2, b + n - 16, 8);
		memcpy(&b3, b + n - 8, 8);
		return ((a0 ^ b0) | (a1 ^ b1) | (a2 ^ b2) | (a3 ^ b3)) == 0;
	}
	return memcmp(a, b, n) == 0;
}

/* Canonical name a is b or below it (dns/name.h's name_is_at_or_below, inline). */
static inline bool at_or_below(const char *a, size_t alen, const char *b, size_t blen)
{
	if (blen == 0)
		return true;
	if (alen == blen)
		return same_mem(a, b, blen);
	return alen > blen && a[alen - blen - 1] == '.' && same_mem(a + alen - blen, b, blen);
}

/* ---- the name set ----------------------------------------------------- */

static int nset_init(nset_t *s, size_t want)
{
	size_t cap = 16;
	while (cap < want * 2)
		cap *= 2;
	/* 8 bits per slot, so at most 1 in 16 set: a miss is one L1 load */
	unsigned lg = 12;
	while (((size_t)1 << lg) < cap * 8 && lg < 27)
		lg++;
	s->v = ts_zalloc_table(cap * sizeof(*s->v));
	s->tag = ts_zalloc_table(cap * sizeof(*s->tag));
	s->bits = ts_zalloc_table(((size_t)1 << lg) / 8);
	s->bits_log2 = lg;
	s->cap = cap;
	s->n = 0;
	s->min_labels = UINT32_MAX;
	s->max_labels = 0;
	s->label_mask = 0;
	s->tail = NULL;
	s->tail_len = 0;
	s->tail_labels = 0;
	return s->v != NULL && s->tag != NULL && s->bits != NULL ? TS_OK : TS_ENOMEM;
}

static void nset_free(nset_t *s)
{
	ts_free_table(s->v);
	ts_free_table(s->tag);
	ts_free_table(s->bits);
	s->v = NULL;
	s->tag = NULL;
	s->bits = NULL;
}

/* The hash of a name: inline for the short names of a zone, XXH3 for the
 * rest. */
static inline uint64_t nset_hash(const char *name, size_t len)
{
	uint64_t a, b, c = 0, d = 0;
	if (len > 32)
		return XXH3_64bits(name, len);
	if (len > 16) {
		memcpy(&a, name, 8);
		memcpy(&b, name + 8, 8);
		memcpy(&c, name + len - 16, 8);
		memcpy(&d, name + len - 8, 8);
	} else if (len >= 8) {
		memcpy(&a, name, 8);
		memcpy(&b, name + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a4, b4;
		memcpy(&a4, name, 4);
		memcpy(&b4, name + len - 4, 4);
		a = a4;
		b = b4;
	} else {
		a = len > 0 ? (uint64_t)(unsigned char)name[0] << 16 | (uint64_t)(unsigned char)name[len / 2] << 8 |
		                  (unsigned char)name[len - 1]
		            : 0;
		b = 0;
	}
	uint64_t h = (a ^ 0x9e3779b97f4a7c15u) * 0xbf58476d1ce4e5b9u;
	h ^= (b + len) * 0x94d049bb133111ebu;
	h ^= (c ^ 0x2545f4914f6cdd1du) * 0xff51afd7ed558ccdu;
	h ^= d * 0xc4ceb9fe1a85ec53u;
	h ^= h >> 31;
	h *= 0xd6e8feb86659fd93u;
	h ^= h >> 32;
	return h;
}

static inline uint32_t nset_tag(uint64_t h)
{
	return (uint32_t)(h >> 32) | 1u;
}

static inline size_t nset_bit(const nset_t *s, uint64_t h)
{
	return (size_t)(h >> (64 - s->bits_log2));
}

static inline void nset_mark(nset_t *s, uint64_t h)
{
	size_t b = nset_bit(s, h);
	s->bits[b >> 6] |= (uint64_t)1 << (b & 63);
}

static inline nset_ent_t *nset_find(const nset_t *s, const char *name, size_t len)
{
	if (s->n == 0)
		return NULL;
	uint64_t h = nset_hash(name, len);
	size_t b = nset_bit(s, h);
	if ((s->bits[b >> 6] >> (b & 63) & 1) == 0)
		return NULL;
	uint32_t tag = nset_tag(h);
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		uint32_t t = s->tag[i];
		if (t == 0)
			return NULL;
		if (t == tag) {
			nset_ent_t *e = &s->v[i];
			if (e->len == len && same_mem(e->name, name, len))
				return e;
		}
	}
}

/* The longest suffix of whole labels that a[0..alen) and b[0..blen) share:
 * its length (it ends both). */
static size_t common_tail(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i = 0;
	while (i < alen && i < blen && a[alen - 1 - i] == b[blen - 1 - i])
		i++;
	if ((i == alen || a[alen - 1 - i] == '.') && (i == blen || b[blen - 1 - i] == '.'))
		return i;
	const char *dot = memchr(a + alen - i, '.', i);
	return dot == NULL ? 0 : alen - (size_t)(dot + 1 - a);
}

/* Adds `name` (copied to the arena); *out is the new or existing entry. */
static int nset_add(nset_t *s, arena_t *a, const char *name, size_t len, nset_ent_t **out, bool *added)
{
	if ((s->n + 1) * 2 > s->cap) {
		nset_t g;
		if (nset_init(&g, s->cap) != TS_OK) {
			nset_free(&g);
			return TS_ENOMEM;
		}
		for (size_t i = 0; i < s->cap; i++) {
			if (s->v[i].name == NULL)
				continue;
			size_t j = s->v[i].hash & (g.cap - 1);
			while (g.v[j].name != NULL)
				j = (j + 1) & (g.cap - 1);
			g.v[j] = s->v[i];
			g.tag[j] = s->tag[i];
			nset_mark(&g, s->v[i].hash);
		}
		g.n = s->n;
		g.min_labels = s->min_labels;
		g.max_labels = s->max_labels;
		g.label_mask = s->label_mask;
		g.tail = s->tail;
		g.tail_len = s->tail_len;
		g.tail_labels = s->tail_labels;
		nset_free(s);
		*s = g;
	}
	uint64_t h = nset_hash(name, len);
	size_t i = h & (s->cap - 1);
	for (; s->v[i].name != NULL; i = (i + 1) & (s->cap - 1)) {
		nset_ent_t *e = &s->v[i];
		if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0) {
			*out = e;
			*added = false;
			return TS_OK;
		}
	}
	char *copy = arena_strndup(a, name, len);
	if (copy == NULL)
		return TS_ENOMEM;
	s->v[i] = (nset_ent_t){ .name = copy, .len = len, .hash = h };
	s->tag[i] = nset_tag(h);
	nset_mark(s, h);
	if (s->n == 0) {
		s->tail = copy;
		s->tail_len = len;
	} else {
		size_t k = common_tail(s->tail, s->tail_len, copy, len);
		s->tail += s->tail_len - k;
		s->tail_len = k;
	}
	s->tail_labels = name_label_count(s->tail, s->tail_len);
	s->n++;
	unsigned labels = name_label_count(name, len);
	if (labels < s->min_labels)
		s->min_labels = labels;
	if (labels > s->max_labels)
		s->max_labels = labels;
	s->label_mask |= (uint64_t)1 << (labels < 63 ? labels : 63);
	*out = &s->v[i];
	*added = true;
	return TS_OK;
}

/* Where the label that ends at name[j] begins: after the last dot in
 * name[0..j), or 0. `len` is the name's length (j <= len). Eight bytes at a
 * time, from the right. */
static inline size_t label_start(const char *name, size_t len, size_t j)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	const uint64_t dots = 0x2e2e2e2e2e2e2e2eu, low7 = 0x7f7f7f7f7f7f7f7fu;
	while (j > 0 && len >= 8) {
		size_t at = j >= 8 ? j - 8 : 0;
		uint64_t w;
		memcpy(&w, name + at, 8);
		uint64_t x = w ^ dots;
		uint64_t z = ~(((x & low7) + low7) | x | low7);   /* 0x80 in each byte that is a dot */
		if (j < 8)
			z &= ((uint64_t)1 << (8 * j)) - 1;   /* only name[0..j) */
		if (z != 0)
			return at + (size_t)(63 - __builtin_clzll(z)) / 8 + 1;   /* the last one: the highest byte */
		j = at;
	}
#endif
	(void)len;
	while (j > 0 && name[j - 1] != '.')
		j--;
	return j;
}

#define SUFFIX_FAST 8u   /* names of the set with at most this many labels: nset_enclosing's fast path */

/* The entry of `name` or of its closest ancestor in the set; *at: it is the
 * name itself. Labels are what lies between dots, as name_label_count and
 * name_parent count them; only the suffixes with as many labels as a name
 * of the set are looked up, the longest first. */
static inline nset_ent_t *nset_enclosing(const nset_t *s, const char *name, size_t len, bool *at)
{
	*at = false;
	/* every name of the set is at or below the tail: so must `name` be */
	if (s->n == 0 || len == 0 || !at_or_below(name, len, s->tail, s->tail_len))
		return NULL;
	if (s->max_labels <= SUFFIX_FAST) {
		/* the suffixes of tail_labels .. max_labels labels, found from
		 * the right: start[k] is where the one of k labels begins */
		size_t start[SUFFIX_FAST + 1];
		unsigned k = s->tail_labels;
		size_t i = len - s->tail_len;   /* the tail's start; the name is at or below it */
		start[k] = i;
		while (i > 0 && k < s->max_labels) {
			size_t j = label_start(name, len, i < len ? i - 1 : len);   /* before the dot, or the end (no tail) */
			start[++k] = j;
			i = j;
		}
		for (; k >= s->min_labels && k >= s->tail_labels && k > 0; k--) {
			if ((s->label_mask >> k & 1) == 0)
				continue;
			nset_ent_t *e = nset_find(s, name + start[k], len - start[k]);
			if (e != NULL) {
				*at = start[k] == 0;
				return e;
			}
		}
		return NULL;
	}
	unsigned labels = name_label_count(name, len);
	const char *p = name;
	size_t n = len;
	*at = true;
	while (labels >= s->min_labels && labels > 0) {
		if ((s->label_mask >> (labels < 63 ? labels : 63) & 1) != 0) {
			nset_ent_t *e = nset_find(s, p, n);
			if (e != NULL)
				return e;
		}
		p = name_parent(p, n, &n);
		if (p == NULL)
			break;
		labels--;
		*at = false;
	}
	return NULL;
}

/* ---- the output --------------------------------------------------------- */

/* p[0..n) to fd, all of it; TS_EIO with *err_no set when a write fails. */
static int write_all(int fd, const char *p, size_t n, int *err_no)
{
	for (size_t done = 0; done < n;) {
		ssize_t k = write(fd, p + done, n - done);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			*err_no = k < 0 ? errno : EIO;
			return TS_EIO;
		}
		done += (size_t)k;
	}
	return TS_OK;
}

/* Writes p[0..n) where it goes: from the writer thread, or in place. */
static int out_write(xz_out_t *w, const char *p, size_t n)
{
	if (w->fd < 0) {
		if (fwrite(p, 1, n, w->fp) != n) {
			w->err_no = errno;
			return TS_EIO;
		}
		return TS_OK;
	}
	if (write_all(w->fd, p, n, &w->err_no) != TS_OK)
		return TS_EIO;
	if (w->start_sync) {
		/* only starts the disk writes; the caller's fsync waits for them */
		(void)sync_file_range(w->fd, (off_t)w->off, (off_t)n, SYNC_FILE_RANGE_WRITE);
		w->off += n;
	}
	return TS_OK;
}

static void *out_main(void *arg)
{
	xz_out_t *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		unsigned i = w->wnext;
		while (w->len[i] == 0 && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		size_t n = w->len[i];
		if (n == 0)
			break;   /* told to quit, nothing left */
		bool failed = w->err != TS_OK;
		pthread_mutex_unlock(&w->mu);
		int ret = failed ? TS_OK : out_write(w, w->buf[i], n);   /* after a failure: drain only */
		pthread_mutex_lock(&w->mu);
		if (ret != TS_OK)
			w->err = ret;
		w->len[i] = 0;
		w->wnext = (i + 1) % OUT_NBUF;
		pthread_cond_broadcast(&w->cv);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The first buffer is full: the other buffers and the writer thread. When
 * either cannot be had, the writes stay in the scanner's thread. */
static void out_start(xz_out_t *w)
{
	w->in_place = true;
	for (unsigned i = 1; i < OUT_NBUF; i++) {
		if ((w->buf[i] = ts_malloc(OUT_BUF + OUT_SLACK)) == NULL)
			return;
	}
	if (pthread_mutex_init(&w->mu, NULL) != 0)
		return;
	if (pthread_cond_init(&w->cv, NULL) != 0) {
		pthread_mutex_destroy(&w->mu);
		return;
	}
	w->cur = 0;
	w->wnext = 0;
	w->quit = false;
	w->err = TS_OK;
	memset(w->len, 0, sizeof(w->len));
	if (pthread_create(&w->th, NULL, out_main, w) != 0) {
		pthread_cond_destroy(&w->cv);
		pthread_mutex_destroy(&w->mu);
		return;
	}
	w->in_place = false;
	w->threaded = true;
}

/* Hands the full buffer on and takes the next free one. */
static int out_flush(xz_t *x)
{
	xz_out_t *w = &x->w;
	if (x->outlen == 0)
		return TS_OK;
	if (!w->threaded && !w->in_place)
		out_start(w);
	if (!w->threaded) {
		int ret = out_write(w, x->out, x->outlen);
		x->outlen = 0;
		return ret;
	}
	pthread_mutex_lock(&w->mu);
	w->len[w->cur] = x->outlen;
	pthread_cond_broadcast(&w->cv);
	w->cur = (w->cur + 1) % OUT_NBUF;
	while (w->len[w->cur] != 0)
		pthread_cond_wait(&w->cv, &w->mu);
	int ret = w->err;
	pthread_mutex_unlock(&w->mu);
	x->out = w->buf[w->cur];
	x->outlen = 0;
	return ret;
}

/* Ends the output: with `last`, the buffer being filled is written too;
 * waits for the writer thread in any case. */
static int out_end(xz_t *x, bool last)
{
	xz_out_t *w = &x->w;
	int ret = TS_OK;
	if (!w->threaded) {
		if (last && x->outlen > 0)
			ret = out_write(w, x->out, x->outlen);
		x->outlen = 0;
		return ret;
	}
	pthread_mutex_lock(&w->mu);
	if (last && x->outlen > 0)
		w->len[w->cur] = x->outlen;
	w->quit = true;
	pthread_cond_broadcast(&w->cv);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->th, NULL);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	w->threaded = false;
	w->in_place = true;
	x->outlen = 0;
	return w->err;
}

/* Room for `need` bytes of line at the end of the buffer being filled. */
static inline int out_room(xz_t *x, size_t need)
{
	return OUT_BUF - x->outlen < need ? out_flush(x) : TS_OK;
}

/* ---- writing ---------------------------------------------------------- */

static const char *class_name(uint16_t c, char buf[16])
{
	switch (c) {
	case 1: return "IN";
	case 2: return "CS";
	case 3: return "CH";
	case 4: return "HS";
	default:
		(void)snprintf(buf, 16, "CLASS%u", (unsigned)c);
		return buf;
	}
}

/* An absolute name with its trailing dot ("." for the root). */
static inline char *put_abs(char *p, const char *text, size_t len)
{
	p = put_mem(p, text, len);
	*p++ = '.';
	return p;
}

static inline char *put_u32(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

/* Fills cache entry m with "\tttl\tclass\ttype\t". */
static const xz_mid_t *mid_fill(xz_t *x, xz_mid_t *m, uint32_t ttl, uint16_t rclass, uint16_t type)
{
	char *p = m->text;
	*p++ = '\t';
	p = put_u32(p, ttl);
	*p++ = '\t';
	if (rclass == 1) {
		*p++ = 'I';
		*p++ = 'N';
	} else {
		char cb[16];
		for (const char *cn = class_name(rclass, cb); *cn != '\0'; cn++)
			*p++ = *cn;
	}
	*p++ = '\t';
	char tb[16];
	const char *tn = type < 256 ? x->tname[type] : tb;
	if (type >= 256)
		zone_type_name(type, tb);
	else if (x->tname[type][0] == '\0')
		zone_type_name(type, x->tname[type]);
	for (; *tn != '\0'; tn++)
		*p++ = *tn;
	*p++ = '\t';
	m->len = (uint8_t)(p - m->text);
	m->ttl = ttl;
	m->type = type;
	m->rclass = rclass;
	m->ok = true;
	return m;
}

/* "\tttl\tclass\ttype\t" for a record, from a small cache of the
 * combinations last seen (a zone has few). */
static inline const xz_mid_t *mid_of(xz_t *x, uint32_t ttl, uint16_t rclass, uint16_t type)
{
	uint32_t k = (ttl * 0x9e3779b1u) ^ ((uint32_t)type * 0x85ebca77u) ^ rclass;
	xz_mid_t *m = &x->mid[(k * 0xc2b2ae35u) >> (32 - MID_BITS)];
	if (m->ok && m->ttl == ttl && m->type == type && m->rclass == rclass)
		return m;
	return mid_fill(x, m, ttl, rclass, type);
}

/* "owner.<TAB>ttl<TAB>class<TAB>type<TAB>" at p; returns the end. p has
 * room for the owner and MID_MAX + 1 bytes. */
static inline __attribute__((always_inline)) char *line_head(xz_t *x, char *p, const char *owner, size_t owner_len, uint32_t ttl,
                              uint16_t rclass, uint16_t type)
{
	const xz_mid_t *m = mid_of(x, ttl, rclass, type);
	p = put_abs(p, owner, owner_len);
	memcpy(p, m->text, MID_MAX);   /* a fixed size: a few moves, the excess overwritten next */
	return p + m->len;
}

/* "$ORIGIN origin.\n" at p ("." for the root); returns the end. */
static char *origin_line(char *p, const char *origin, size_t len)
{
	static const char dir[8] = { '$', 'O', 'R', 'I', 'G', 'I', 'N', ' ' };
	memcpy(p, dir, sizeof(dir));
	p = put_abs(p + sizeof(dir), origin, len);
	*p++ = '\n';
	return p;
}

/* $ORIGIN before a record whose RDATA is relative to another origin. */
static inline int set_origin(xz_t *x, const zone_rr_t *rr)
{
	if (x->have_origin && rr->origin_len == x->origin_len && same_mem(rr->origin, x->origin, x->origin_len))
		return TS_OK;
	memcpy(x->origin, rr->origin, rr->origin_len);
	x->origin_len = rr->origin_len;
	x->have_origin = true;
	int ret = out_room(x, rr->origin_len + 16);
	if (ret != TS_OK)
		return ret;
	x->outlen = (size_t)(origin_line(x->out + x->outlen, rr->origin, rr->origin_len) - x->out);
	return TS_OK;
}

static inline int write_rr(xz_t *x, const zone_rr_t *rr)
{
	int ret = set_origin(x, rr);
	if (ret == TS_OK)
		ret = out_room(x, rr->owner_len + rr->rdata_len + MID_MAX + 2);
	if (ret != TS_OK)
		return ret;
	char *p = line_head(x, x->out + x->outlen, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = put_mem(p, rr->rdata, rr->rdata_len);
	*p++ = '\n';
	x->outlen = (size_t)(p - x->out);
	x->t.records_out++;
	return TS_OK;
}

uint32_t export_zone_serial(uint32_t old, int64_t now)
{
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(now >= 0 ? now / 86400 : 0, &y, &m, &d);
	uint32_t next = old + 1u;   /* wraps modulo 2^32, as RFC 1982 adds */
	if (y < 1970 || y > 4293)
		return next;
	uint32_t date = (uint32_t)y * 1000000u + m * 10000u + d * 100u;
	uint32_t diff = date - next;  /* date is larger than next when 0 < diff < 2^31 */
	return diff != 0 && diff < 0x80000000u ? date : next;
}

/* The SOA record with its serial moved on, on one line, at p (room for the
 * names and MID_MAX + 64 bytes); returns the end. */
static char *soa_line(xz_t *x, char *p, const zone_rr_t *rr)
{
	uint32_t serial = export_zone_serial(rr->rd.soa.serial, x->o->now);
	x->t.serial_old = rr->rd.soa.serial;
	x->t.serial_new = serial;
	p = line_head(x, p, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = put_abs(p, rr->rd.soa.mname, rr->rd.soa.mname_len);   /* "." for the root */
	*p++ = ' ';
	p = put_abs(p, rr->rd.soa.rname, rr->rd.soa.rname_len);
	const uint32_t v[5] = { serial, rr->rd.soa.refresh, rr->rd.soa.retry, rr->rd.soa.expire, rr->rd.soa.minimum };
	for (size_t i = 0; i < 5; i++) {
		*p++ = ' ';
		p = put_u32(p, v[i]);
	}
	*p++ = '\n';
	return p;
}

#define SOA_ROOM(rr) ((rr)->owner_len + (rr)->rd.soa.mname_len + (rr)->rd.soa.rname_len + MID_MAX + 64)

static int write_soa(xz_t *x, const zone_rr_t *rr)
{
	int ret = set_origin(x, rr);
	if (ret == TS_OK)
		ret = out_room(x, SOA_ROOM(rr));
	if (ret != TS_OK)
		return ret;
	x->outlen = (size_t)(soa_line(x, x->out + x->outlen, rr) - x->out);
	x->t.records_out++;
	return TS_OK;
}

/* The most bytes of a sinkhole NS RRset for an owner of olen bytes. */
#define SINKHOLE_ROOM(olen) (EXPORT_ZONE_MAX_SINKHOLE * ((olen) + EXPORT_NAME_MAX + MID_MAX + 4))

/* The sinkhole NS RRset of redirect r for `owner`, one line per record, at
 * p (SINKHOLE_ROOM bytes); returns the end. */
static char *sinkhole_rrset(xz_t *x, char *p, const char *owner, size_t owner_len, uint32_t ttl, uint16_t rclass,
                            const export_zone_redirect_t *r)
{
	for (size_t i = 0; i < r->nns; i++) {
		char host[EXPORT_NAME_MAX + 1];
		size_t hl;
		if (export_name_norm(r->ns[i], host, &hl) != TS_OK)
			continue;   /* cannot be: xz_new checked every one */
		p = line_head(x, p, owner, owner_len, ttl, rclass, ZONE_T_NS);
		p = put_abs(p, host, hl);
		*p++ = '\n';
	}
	return p;
}

/* The sinkhole NS RRset of a redirect, in place of the delegation's own. */
static int write_sinkhole(xz_t *x, const zone_rr_t *rr, const export_zone_redirect_t *r)
{
	int ret = out_room(x, SINKHOLE_ROOM(rr->owner_len));
	if (ret != TS_OK)
		return ret;
	char *p = sinkhole_rrset(x, x->out + x->outlen, rr->owner, rr->owner_len, rr->ttl, rr->rclass, r);
	x->outlen = (size_t)(p - x->out);
	x->t.records_out += r->nns;
	return TS_OK;
}

/* Holds an address record below an acted-on name until the end. */
static int hold(xz_t *x, const zone_rr_t *rr)
{
	char *line = x->line;
	char *p = line_head(x, line, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = put_mem(p, rr->rdata, rr->rdata_len);
	*p++ = '\n';
	int ret = dbuf_add(&x->held, rr->owner, rr->owner_len + 1);   /* with its NUL */
	if (ret == TS_OK)
		ret = dbuf_add(&x->held, line, (size_t)(p - line));
	if (ret == TS_OK)
		ret = dbuf_addc(&x->held, '\0');
	if (ret == TS_ELIMIT)
		ts_log(TS_LOG_ERR, "export zone: more than %u MiB of glue below the names acted on", HELD_MAX >> 20);
	x->nheld++;
	return ret;
}

/* The first word of an RRSIG's RDATA is the type it covers. */
static bool covers_ds(const zone_rr_t *rr)
{
	const char *p = rr->rdata;
	size_t n = 0;
	while (n < rr->rdata_len && p[n] != ' ')
		n++;
	uint16_t t;
	return zone_type_from_text(p, n, &t) == TS_OK && t == ZONE_T_DS;
}

static int check_apex(xz_t *x, const zone_rr_t *rr)
{
	memcpy(x->apex, rr->owner, rr->owner_len + 1);
	x->apex_len = rr->owner_len;
	x->have_apex = true;
	for (size_t i = 0; i < x->acted.cap; i++) {
		const nset_ent_t *e = &x->acted.v[i];
		if (e->name == NULL)
			continue;
		if (e->len == x->apex_len || !name_is_at_or_below(e->name, e->len, x->apex, x->apex_len)) {
			ts_log(TS_LOG_ERR, "export zone: %s is not a delegation below the zone's apex %s.", e->name,
			       x->apex_len > 0 ? x->apex : "");
			return TS_EINPUT;
		}
	}
	return TS_OK;
}

/* An NS record that stays: its target, when at or below an acted-on name,
 * keeps that glue. */
static inline int note_target(xz_t *x, const char *target, size_t len)
{
	bool at = false;
	if (nset_enclosing(&x->acted, target, len, &at) == NULL)
		return TS_OK;
	nset_ent_t *e;
	bool added;
	if (x->lock != NULL)
		pthread_mutex_lock(x->lock);
	int ret = nset_add(&x->needed, x->a, target, len, &e, &added);
	if (x->lock != NULL)
		pthread_mutex_unlock(x->lock);
	return ret;
}

static int on_rr(void *user, const zone_rr_t *rr)
{
	xz_t *x = user;
	int ret;
	x->t.records_in++;
	if (rr->type == ZONE_T_SOA && !x->have_apex) {
		if ((ret = check_apex(x, rr)) != TS_OK)
			return ret;
		return write_soa(x, rr);
	}
	nset_ent_t *e;
	bool at = false;
	if (x->have_last && rr->owner_len == x->last_len && same_mem(rr->owner, x->last_owner, x->last_len)) {
		e = x->last_ent;
		at = x->last_at;
	} else {
		e = nset_enclosing(&x->acted, rr->owner, rr->owner_len, &at);
		memcpy(x->last_owner, rr->owner, rr->owner_len);
		x->last_len = rr->owner_len;
		x->last_ent = e;
		x->last_at = at;
		x->have_last = true;
	}
	if (e == NULL) {
		if (rr->type == ZONE_T_NS && (ret = note_target(x, rr->rd.ns.name, rr->rd.ns.len)) != TS_OK)
			return ret;
		return write_rr(x, rr);
	}
	bool addr = rr->type == ZONE_T_A || rr->type == ZONE_T_AAAA;
	if (at && rr->type == ZONE_T_NS && !e->found) {
		e->found = true;
		if (e->act == ACT_SUSPEND)
			x->t.suspended++;
		else
			x->t.redirected++;
	}
	if (e->act == ACT_SUSPEND) {
		if (addr && !at)
			return hold(x, rr);
		x->t.removed++;
		return TS_OK;
	}
	/* a redirect */
	if (addr && !at)
		return hold(x, rr);
	if (at && rr->type == ZONE_T_NS) {
		x->t.removed++;
		if (e->ns_written)
			return TS_OK;
		e->ns_written = true;
		return write_sinkhole(x, rr, &x->o->redirect[e->idx]);
	}
	if (at && (rr->type == ZONE_T_DS || (rr->type == ZONE_T_RRSIG && covers_ds(rr)))) {
		x->t.removed++;
		return TS_OK;
	}
	if (rr->type == ZONE_T_NS && (ret = note_target(x, rr->rd.ns.name, rr->rd.ns.len)) != TS_OK)
		return ret;
	return write_rr(x, rr);
}

/* The held glue: written when a remaining delegation needs it. */
static int write_held(xz_t *x)
{
	if (x->held.len == 0)
		return TS_OK;
	const char *p = x->held.p, *end = x->held.p + x->held.len;
	while (p < end) {
		const char *owner = p;
		size_t olen = strlen(owner);
		const char *line = owner + olen + 1;
		size_t llen = strlen(line);
		p = line + llen + 1;
		if (nset_find(&x->needed, owner, olen) == NULL) {
			x->t.glue_removed++;
			x->t.removed++;
			continue;
		}
		x->t.glue_kept++;
		int ret = out_room(x, llen);
		if (ret != TS_OK)
			return ret;
		memcpy(x->out + x->outlen, line, llen);
		x->outlen += llen;
		x->t.records_out++;
	}
	return TS_OK;
}

/* Adds a suspended or redirected name. */
static int add_acted(xz_t *x, const char *domain, int act, size_t idx)
{
	name_t n;
	const char *why;
	size_t at;
	char norm[EXPORT_NAME_MAX + 1];
	size_t len;
	if (domain == NULL || export_name_norm(domain, norm, &len) != TS_OK ||
	    name_from_text(norm, len, NULL, &n, &why, &at) != TS_OK || n.labels < 2) {
		ts_log(TS_LOG_ERR, "export zone: not a registered domain name: \"%.80s\"", domain != NULL ? domain : "");
		return TS_EINPUT;
	}
	nset_ent_t *e;
	bool added;
	int ret = nset_add(&x->acted, x->a, n.text, n.len, &e, &added);
	if (ret != TS_OK)
		return ret;
	if (!added) {
		ts_log(TS_LOG_ERR, "export zone: %s is given twice (suspended and redirected, or twice either)", n.text);
		return TS_EINPUT;
	}
	e->act = act;
	e->idx = idx;
	return TS_OK;
}

/* The names acted on that the zone does not delegate. */
static void warn_not_found(const xz_t *x, const char *in)
{
	for (size_t i = 0; i < x->acted.cap; i++) {
		const nset_ent_t *e = &x->acted.v[i];
		if (e->name != NULL && !e->found)
			ts_log(TS_LOG_WARN, "export zone: %s is not delegated in %s: its %s changes nothing", e->name, in,
			       e->act == ACT_SUSPEND ? "suspension" : "redirect");
	}
}

/* ---- the verbatim form: records left alone copied from the input --------
 *
 * The scanner runs on both cores, its callbacks in any order (unordered
 * parallel parse). They note each change as an edit at the record's offset
 * in the input (drop it; replace it by the new SOA line; write the sinkhole
 * NS RRset in its place; write its owner in front of it) and keep the glue
 * below the names acted on for the end. As the scanner reports how far the
 * input is done (zone_opts_t.text_fn), a writer thread of its own copies
 * the input up to there into the output with copy_file_range(2) — in the
 * kernel, without a pass through this process — stopping at each edit.
 *
 * Copying is only right when it gives the same records as writing every
 * record out would: the input must be a plain file (not gzip, not stdin)
 * without $INCLUDE, and every record must state its TTL or have a $TTL in
 * force (a record that takes the TTL of the record before would take
 * another one once that record is dropped). Otherwise the scan stops with
 * XZ_FALLBACK, the output is cut back to where it began, and the one-line
 * form is written instead. */

#define XZ_FALLBACK 0x7f11      /* a callback's code: copying would not give the same records */
#define XV_WORKERS  2u          /* the scanner's threads */
#define XV_COPY_BUF (1u << 20)  /* bytes per read and write when copy_file_range cannot be used */
#define XV_SYNC_STEP (2u << 20) /* bytes of output per started disk write */

enum { XV_DROP = 1, XV_HOLD, XV_NS, XV_SOA, XV_OWNER };

/* One change, at the record's place in the input. */
typedef struct xv_edit {
	uint64_t pos;
	uint32_t span;                /* bytes of input it replaces (XV_OWNER: none) */
	uint8_t kind;
	uint16_t rclass;              /* XV_NS: the sinkhole's class and TTL */
	uint32_t ttl;
	nset_ent_t *e;                /* XV_NS: the delegation */
	const char *text;             /* XV_SOA: the line; XV_OWNER: "owner." (arena) */
	uint32_t text_len;
} xv_edit_t;

/* Glue below a name acted on: written at the end if a delegation needs it. */
typedef struct xv_held {
	uint64_t pos;
	uint32_t span;
	uint32_t ttl;
	bool blank;                   /* its owner field is blank */
	bool stated;                  /* it states its TTL */
	const char *owner;            /* canonical text (arena) */
	size_t owner_len;
	const char *origin;
	size_t origin_len;
} xv_held_t;

/* A worker's last owner looked up, and the TTL check of its block. */
typedef struct xv_memo {
	char owner[NAME_TEXT_MAX];
	size_t len;
	nset_ent_t *e;
	bool at;
	bool have;
	bool ttl_set;
	uint64_t ttl_blk;             /* the block whose first TTL-less record went to on_rr_v */
	char pad[64];
} xv_memo_t;

typedef struct xv {
	xz_t *x;
	const char *in;
	int in_fd;
	int out_fd;
	uint64_t in_size;
	uint64_t start_off;           /* where the output began in out_fd */
	bool sync;                    /* start each copy's disk writes at once */
	const char *why;              /* why XZ_FALLBACK */
	pthread_mutex_t emu;          /* edits, held glue, the arena, `needed` */
	xv_edit_t *heap;              /* a min-heap by pos */
	size_t nheap, capheap;
	xv_held_t *held;
	size_t nheld, capheld;
	xv_memo_t memo[XV_WORKERS];
	/* the writer thread: avail and quit under wmu; werr read by text_v */
	pthread_mutex_t wmu;
	pthread_cond_t wcv;
	pthread_t th;
	uint64_t avail;               /* the scanner is done with the input up to here */
	uint64_t taken;               /* ... and the writer with it */
	bool quit;
	int werr;
	int err_no;
	/* the writer's own */
	uint64_t cur;                 /* the input is copied (or edited) up to here */
	uint64_t out_off;             /* the output's offset, for sync_file_range */
	uint64_t synced;              /* the disk writes are started up to here */
	bool plain_copy;              /* copy_file_range refused: pread and write */
	char *cbuf;
	char *ibuf;                   /* inserted lines */
	size_t ilen;
	char last;                    /* the last byte written, unless last_in > 0 */
	uint64_t last_in;             /* > 0: the last byte written is the input's at last_in - 1 */
	uint64_t dropped;
	uint64_t sinkholes;
} xv_t;

/* ---- output (the writer thread, then the caller's) ---- */

static int v_write(xv_t *v, const char *p, size_t n)
{
	if (write_all(v->out_fd, p, n, &v->err_no) != TS_OK)
		return TS_EIO;
	v->out_off += n;
	if (n > 0) {
		v->last = p[n - 1];
		v->last_in = 0;
	}
	return TS_OK;
}

static int v_flush(xv_t *v)
{
	int ret = v_write(v, v->ibuf, v->ilen);
	v->ilen = 0;
	return ret;
}

/* Room for n bytes of inserted lines. */
static int v_room(xv_t *v, size_t n)
{
	return LINE_ROOM - v->ilen < n ? v_flush(v) : TS_OK;
}

/* The input changed under the export: its bytes are no longer the ones scanned. */
static int v_changed(xv_t *v)
{
	ts_log(TS_LOG_ERR, "%s: the file changed while it was exported", v->in);
	return TS_EINPUT;
}

/* Input [off, off + n) to the output, in the kernel when it can. */
static int v_copy(xv_t *v, uint64_t off, uint64_t n)
{
	int ret = v_flush(v);
	if (ret != TS_OK || n == 0)
		return ret;
	while (n > 0) {
		ssize_t k;
		if (!v->plain_copy) {
			off_t o = (off_t)off;
			k = copy_file_range(v->in_fd, &o, v->out_fd, NULL, n > SIZE_MAX / 2 ? SIZE_MAX / 2 : (size_t)n, 0);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0 && (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
			              errno == EBADF || errno == ETXTBSY)) {
				/* not between these two files: through memory */
				if ((v->cbuf = ts_malloc(XV_COPY_BUF)) == NULL)
					return TS_ENOMEM;
				v->plain_copy = true;
				continue;
			}
			if (k < 0) {
				v->err_no = errno;
				return TS_EIO;
			}
			if (k == 0)
				return v_changed(v);
			v->out_off += (uint64_t)k;
		} else {
			size_t want = n < XV_COPY_BUF ? (size_t)n : XV_COPY_BUF;
			k = pread(v->in_fd, v->cbuf, want, (off_t)off);
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0) {
				v->err_no = errno;
				return TS_EIO;
			}
			if (k == 0)
				return v_changed(v);
			if ((ret = v_write(v, v->cbuf, (size_t)k)) != TS_OK)
				return ret;
		}
		off += (uint64_t)k;
		n -= (uint64_t)k;
	}
	v->last_in = off;
	if (v->sync && v->out_off - v->synced >= XV_SYNC_STEP) {
		/* only starts the disk writes; the caller's fsync waits for them */
		(void)sync_file_range(v->out_fd, (off_t)v->synced, (off_t)(v->out_off - v->synced), SYNC_FILE_RANGE_WRITE);
		v->synced = v->out_off;
	}
	return TS_OK;
}

/* Whether the output ends a line (or is empty). */
static int v_line_ended(xv_t *v, bool *ended)
{
	if (v->last_in > 0) {
		if (pread(v->in_fd, &v->last, 1, (off_t)(v->last_in - 1)) != 1)
			return v_changed(v);
		v->last_in = 0;
	}
	*ended = v->last == '\n' || v->out_off == v->start_off;
	return TS_OK;
}

/* A line end, unless the output ends one. */
static int v_end_line(xv_t *v)
{
	bool ended = true;
	int ret = v_line_ended(v, &ended);
	return ret == TS_OK && !ended ? v_write(v, "\n", 1) : ret;
}

/* ---- the edits ---- */

static void heap_up(xv_edit_t *h, size_t i)
{
	while (i > 0) {
		size_t up = (i - 1) / 2;
		if (h[up].pos <= h[i].pos)
			break;
		xv_edit_t t = h[up];
		h[up] = h[i];
		h[i] = t;
		i = up;
	}
}

static void heap_down(xv_edit_t *h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && h[l].pos < h[m].pos)
			m = l;
		if (l + 1 < n && h[l + 1].pos < h[m].pos)
			m = l + 1;
		if (m == i)
			return;
		xv_edit_t t = h[m];
		h[m] = h[i];
		h[i] = t;
		i = m;
	}
}

/* Adds an edit; `text` (copied) may be NULL. */
static int v_edit(xv_t *v, const zone_rr_t *rr, uint8_t kind, nset_ent_t *e, const char *text, size_t text_len)
{
	xv_edit_t ed = { .pos = rr->pos, .span = kind == XV_OWNER ? 0 : rr->span, .kind = kind,
	                 .rclass = rr->rclass, .ttl = rr->ttl, .e = e, .text_len = (uint32_t)text_len };
	int ret = TS_OK;
	pthread_mutex_lock(&v->emu);
	if (text != NULL && (ed.text = arena_strndup(v->x->a, text, text_len)) == NULL)
		ret = TS_ENOMEM;
	if (ret == TS_OK && v->nheap == v->capheap) {
		size_t cap = v->capheap != 0 ? 2 * v->capheap : 256;
		xv_edit_t *h = ts_realloc(v->heap, cap * sizeof(*h));
		if (h == NULL) {
			ret = TS_ENOMEM;
		} else {
			v->heap = h;
			v->capheap = cap;
		}
	}
	if (ret == TS_OK) {
		v->heap[v->nheap] = ed;
		heap_up(v->heap, v->nheap++);
	}
	pthread_mutex_unlock(&v->emu);
	return ret;
}

/* The first edit before `to`, taken off the heap. */
static bool v_next_edit(xv_t *v, uint64_t to, xv_edit_t *ed)
{
	bool got = false;
	pthread_mutex_lock(&v->emu);
	if (v->nheap > 0 && v->heap[0].pos < to) {
		*ed = v->heap[0];
		v->heap[0] = v->heap[--v->nheap];
		heap_down(v->heap, v->nheap, 0);
		got = true;
	}
	pthread_mutex_unlock(&v->emu);
	return got;
}

static int v_hold(xv_t *v, const zone_rr_t *rr)
{
	int ret = TS_OK;
	pthread_mutex_lock(&v->emu);
	if (v->nheld == v->capheld) {
		size_t cap = v->capheld != 0 ? 2 * v->capheld : 64;
		xv_held_t *h = cap * sizeof(*h) <= HELD_MAX ? ts_realloc(v->held, cap * sizeof(*h)) : NULL;
		if (h == NULL) {
			ret = cap * sizeof(*h) <= HELD_MAX ? TS_ENOMEM : TS_ELIMIT;
			if (ret == TS_ELIMIT)
				ts_log(TS_LOG_ERR, "export zone: more than %u MiB of glue below the names acted on",
				       HELD_MAX >> 20);
		} else {
			v->held = h;
			v->capheld = cap;
		}
	}
	if (ret == TS_OK) {
		xv_held_t *h = &v->held[v->nheld];
		*h = (xv_held_t){ .pos = rr->pos, .span = rr->span, .ttl = rr->ttl,
		                  .blank = (rr->flags & ZONE_RR_BLANK_OWNER) != 0,
		                  .stated = (rr->flags & ZONE_RR_TTL_STATED) != 0,
		                  .owner = arena_strndup(v->x->a, rr->owner, rr->owner_len), .owner_len = rr->owner_len,
		                  .origin = arena_strndup(v->x->a, rr->origin, rr->origin_len), .origin_len = rr->origin_len };
		if (h->owner == NULL || h->origin == NULL)
			ret = TS_ENOMEM;
		else
			v->nheld++;
	}
	pthread_mutex_unlock(&v->emu);
	/* out of its place in any case */
	return ret == TS_OK ? v_edit(v, rr, XV_HOLD, NULL, NULL, 0) : ret;
}

/* Applies one edit (the writer thread; the input before it is copied). */
static int v_apply(xv_t *v, const xv_edit_t *ed)
{
	xz_t *x = v->x;
	switch (ed->kind) {
	case XV_SOA:
	case XV_OWNER: {
		int ret = v_room(v, ed->text_len);
		if (ret != TS_OK)
			return ret;
		memcpy(v->ibuf + v->ilen, ed->text, ed->text_len);
		v->ilen += ed->text_len;
		return TS_OK;
	}
	case XV_NS: {
		nset_ent_t *e = ed->e;
		if (!e->found) {
			e->found = true;
			if (e->act == ACT_SUSPEND)
				x->t.suspended++;
			else
				x->t.redirected++;
		}
		v->dropped++;
		if (e->act != ACT_REDIRECT || e->ns_written)
			return TS_OK;
		e->ns_written = true;
		const export_zone_redirect_t *r = &x->o->redirect[e->idx];
		int ret = v_room(v, SINKHOLE_ROOM(e->len));
		if (ret != TS_OK)
			return ret;
		v->ilen = (size_t)(sinkhole_rrset(x, v->ibuf + v->ilen, e->name, e->len, ed->ttl, ed->rclass, r) - v->ibuf);
		v->sinkholes += r->nns;
		return TS_OK;
	}
	case XV_HOLD:
		return TS_OK;   /* counted at the end */
	default:
		v->dropped++;
		return TS_OK;
	}
}

/* The input up to `to`, with its edits. */
static int v_advance(xv_t *v, uint64_t to)
{
	int ret = TS_OK;
	xv_edit_t ed;
	while (ret == TS_OK && v_next_edit(v, to, &ed)) {
		if (ed.pos < v->cur)
			return TS_EINTERNAL;   /* two edits of one record */
		if ((ret = v_copy(v, v->cur, ed.pos - v->cur)) == TS_OK)
			ret = v_apply(v, &ed);
		v->cur = ed.pos + ed.span;
	}
	if (ret == TS_OK && to > v->cur) {
		ret = v_copy(v, v->cur, to - v->cur);
		v->cur = to;
	}
	return ret;
}

static void *v_writer(void *arg)
{
	xv_t *v = arg;
	pthread_mutex_lock(&v->wmu);
	for (;;) {
		while (v->avail == v->taken && !v->quit)
			pthread_cond_wait(&v->wcv, &v->wmu);
		uint64_t to = v->avail;
		if (to == v->taken)
			break;   /* told to quit, nothing left */
		bool failed = v->werr != TS_OK;
		pthread_mutex_unlock(&v->wmu);
		int ret = failed ? TS_OK : v_advance(v, to);
		pthread_mutex_lock(&v->wmu);
		v->taken = to;
		if (ret != TS_OK && v->werr == TS_OK)
			v->werr = ret;
	}
	pthread_mutex_unlock(&v->wmu);
	return NULL;
}

/* zone_opts_t.text_fn: the writer may go on to `end`. */
static int text_v(void *user, uint64_t end)
{
	xv_t *v = user;
	pthread_mutex_lock(&v->wmu);
	v->avail = end;
	int ret = v->werr;
	pthread_cond_signal(&v->wcv);
	pthread_mutex_unlock(&v->wmu);
	return ret;
}

/* ---- the callbacks (both scanner threads) ---- */

/* The entry of the record's owner or of its closest ancestor in the set. */
static inline nset_ent_t *v_lookup(xv_t *v, const zone_rr_t *rr, bool *at)
{
	xv_memo_t *m = &v->memo[rr->worker < XV_WORKERS ? rr->worker : 0];
	if (m->have && rr->owner_len == m->len && same_mem(rr->owner, m->owner, m->len)) {
		*at = m->at;
		return m->e;
	}
	m->e = nset_enclosing(&v->x->acted, rr->owner, rr->owner_len, &m->at);
	memcpy(m->owner, rr->owner, rr->owner_len);
	m->len = rr->owner_len;
	m->have = true;
	*at = m->at;
	return m->e;
}

static int v_covers(void *user, const zone_rr_t *rr)
{
	*(bool *)user = covers_ds(rr);
	return TS_OK;
}

/* An RRSIG at a redirected name: whether it covers the DS RRset. Its text is
 * read again and scanned on its own, under its $ORIGIN, its owner given. */
static int v_covers_ds(xv_t *v, const zone_rr_t *rr, bool *ds)
{
	size_t room = 16 + 2 * NAME_TEXT_MAX + rr->span;
	char *buf = ts_malloc(room);
	if (buf == NULL)
		return TS_ENOMEM;
	char *p = origin_line(buf, rr->origin, rr->origin_len);
	if (rr->flags & ZONE_RR_BLANK_OWNER)
		p = put_abs(p, rr->owner, rr->owner_len);
	int ret = TS_OK;
	ssize_t k = pread(v->in_fd, p, rr->span, (off_t)rr->pos);
	if (k != (ssize_t)rr->span)
		ret = v_changed(v);
	*ds = false;
	if (ret == TS_OK) {
		/* its RDATA as text, as the one-line form sees it (not decoded: no stricter) */
		zone_opts_t zo = { .default_ttl = 3600, .no_include = true, .decode = ZONE_DEC_TEXT };
		ret = zone_scan_mem(v->in, buf, (size_t)(p - buf) + rr->span, &zo, v_covers, ds, NULL);
		if (ret != TS_OK && ret != TS_ENOMEM)
			ret = v_changed(v);
	}
	ts_free(buf);
	return ret;
}

/* The record copied as it is would not have the same TTL, or is not in
 * the file copied. */
static inline bool v_unsafe(const zone_rr_t *rr)
{
	return (rr->flags & ZONE_RR_INCLUDED) != 0 || (rr->flags & (ZONE_RR_TTL_STATED | ZONE_RR_TTL_DIR)) == 0;
}

/* Stops the scan: the one-line form instead, for `why`. */
static int v_fallback(xv_t *v, const char *why)
{
	pthread_mutex_lock(&v->emu);
	if (v->why == NULL)
		v->why = why;
	pthread_mutex_unlock(&v->emu);
	return XZ_FALLBACK;
}

static int on_rr_v(void *user, const zone_rr_t *rr)
{
	xv_t *v = user;
	xz_t *x = v->x;
	int ret;
	if (v_unsafe(rr))
		return v_fallback(v, (rr->flags & ZONE_RR_INCLUDED) != 0 ? "$INCLUDE" : "a record takes the TTL of the one before");
	if (!x->have_apex) {
		/* the first record, before any other (zone_opts_t.parallel_callback) */
		if (rr->type != ZONE_T_SOA)
			return v_fallback(v, "the first record is not the SOA");
		if ((ret = check_apex(x, rr)) != TS_OK)
			return ret;
		char *line = x->line;
		char *end = soa_line(x, line, rr);
		return v_edit(v, rr, XV_SOA, NULL, line, (size_t)(end - line));
	}
	bool at = false;
	nset_ent_t *e = v_lookup(v, rr, &at);
	if (e == NULL)
		return rr->type == ZONE_T_NS && rr->decoded ? note_target(x, rr->rd.ns.name, rr->rd.ns.len) : TS_OK;
	if ((rr->type == ZONE_T_A || rr->type == ZONE_T_AAAA) && !at)
		return v_hold(v, rr);
	if (at && rr->type == ZONE_T_NS)
		return v_edit(v, rr, XV_NS, e, NULL, 0);
	if (e->act == ACT_SUSPEND || (at && rr->type == ZONE_T_DS))
		return v_edit(v, rr, XV_DROP, NULL, NULL, 0);
	if (at && rr->type == ZONE_T_RRSIG) {
		bool ds = false;
		if ((ret = v_covers_ds(v, rr, &ds)) != TS_OK)
			return ret;
		if (ds)
			return v_edit(v, rr, XV_DROP, NULL, NULL, 0);
	}
	/* below a redirect, or at it but neither NS nor DS: stays */
	if (rr->type == ZONE_T_NS && rr->decoded && (ret = note_target(x, rr->rd.ns.name, rr->rd.ns.len)) != TS_OK)
		return ret;
	if (rr->flags & ZONE_RR_BLANK_OWNER) {
		/* the record before it may be dropped: its owner written out */
		char own[NAME_TEXT_MAX + 1];
		char *end = put_abs(own, rr->owner, rr->owner_len);
		return v_edit(v, rr, XV_OWNER, NULL, own, (size_t)(end - own));
	}
	return TS_OK;
}

/* spec_fn: which records of a block parsed on a guess on_rr_v must see
 * (returns 1: the scanner keeps them whole); the others need nothing. */
static int spec_v(void *user, const zone_rr_t *rr, zone_journal_t *j)
{
	xv_t *v = user;
	if ((rr->flags & (ZONE_RR_TTL_STATED | ZONE_RR_TTL_DIR)) == 0) {
		/* whether a $TTL is in force is known when the block is checked:
		 * the block's first such record tells for all that follow it */
		xv_memo_t *m = &v->memo[rr->worker < XV_WORKERS ? rr->worker : 0];
		uint64_t b = zone_journal_block(j);
		if (!m->ttl_set || m->ttl_blk != b) {
			m->ttl_set = true;
			m->ttl_blk = b;
			return 1;
		}
	}
	bool at = false;
	if (v_lookup(v, rr, &at) != NULL)
		return 1;
	return rr->type == ZONE_T_NS && rr->decoded &&
	       nset_enclosing(&v->x->acted, rr->rd.ns.name, rr->rd.ns.len, &at) != NULL;
}

static int journal_v(void *user, unsigned worker, const void *data, size_t len)
{
	(void)user; (void)worker; (void)data; (void)len;
	return TS_OK;   /* spec_v never journals */
}

/* ---- the end ---- */

static int held_cmp(const void *a, const void *b)
{
	uint64_t x = ((const xv_held_t *)a)->pos, y = ((const xv_held_t *)b)->pos;
	return x < y ? -1 : x > y;
}

/* The glue a remaining delegation needs, as written in the input, after
 * the last record: under its own $ORIGIN (and $TTL, when it states none),
 * its owner written out when the line leaves it blank. */
static int v_tail(xv_t *v)
{
	xz_t *x = v->x;
	if (v->nheld == 0)
		return TS_OK;
	qsort(v->held, v->nheld, sizeof(*v->held), held_cmp);
	const char *origin = NULL;
	size_t origin_len = 0;
	bool have_ttl = false;
	uint32_t ttl = 0;
	int ret = TS_OK;
	for (size_t i = 0; i < v->nheld && ret == TS_OK; i++) {
		const xv_held_t *h = &v->held[i];
		if (nset_find(&x->needed, h->owner, h->owner_len) == NULL) {
			x->t.glue_removed++;
			x->t.removed++;
			continue;
		}
		x->t.glue_kept++;
		if ((ret = v_end_line(v)) != TS_OK)
			break;
		if (origin == NULL || h->origin_len != origin_len || memcmp(h->origin, origin, origin_len) != 0) {
			char line[NAME_TEXT_MAX + 16];
			char *p = origin_line(line, h->origin, h->origin_len);
			if ((ret = v_write(v, line, (size_t)(p - line))) != TS_OK)
				break;
			origin = h->origin;
			origin_len = h->origin_len;
		}
		if (!h->stated && (!have_ttl || ttl != h->ttl)) {
			char line[32] = "$TTL ";
			char *p = put_u32(line + 5, h->ttl);
			*p++ = '\n';
			if ((ret = v_write(v, line, (size_t)(p - line))) != TS_OK)
				break;
			have_ttl = true;
			ttl = h->ttl;
		}
		if (h->blank) {
			char own[NAME_TEXT_MAX + 1];
			char *p = put_abs(own, h->owner, h->owner_len);
			if ((ret = v_write(v, own, (size_t)(p - own))) != TS_OK)
				break;
		}
		ret = v_copy(v, h->pos, h->span);
	}
	return ret == TS_OK ? v_end_line(v) : ret;
}

/* Whether the verbatim form can be tried: the input a plain regular file,
 * the output a regular file that can be cut back to where it begins. */
static bool v_possible(xv_t *v, const char *in, int out_fd)
{
	struct stat st;
	if (strcmp(in, "-") == 0 || out_fd < 0 || fstat(out_fd, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	off_t off = lseek(out_fd, 0, SEEK_CUR);
	/* not opened unless regular: opening a FIFO would wait for a writer, and take its data */
	if (off < 0 || stat(in, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	int fd = open(in, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	unsigned char magic[2];
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (st.st_size >= 2 && (pread(fd, magic, 2, 0) != 2 || (magic[0] == 0x1f && magic[1] == 0x8b)))) {
		close(fd);
		return false;
	}
	v->in_fd = fd;
	v->in_size = (uint64_t)st.st_size;
	v->start_off = (uint64_t)off;
	v->out_off = v->synced = v->start_off;
	return true;
}

/* The same file, the same size and time as when the export began. */
static bool v_same_input(const xv_t *v, const struct stat *before)
{
	struct stat a, b;
	return fstat(v->in_fd, &a) == 0 && stat(v->in, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino &&
	       a.st_ino == before->st_ino && a.st_size == before->st_size &&
	       a.st_mtim.tv_sec == before->st_mtim.tv_sec && a.st_mtim.tv_nsec == before->st_mtim.tv_nsec;
}

/* The verbatim form into out_fd; XZ_FALLBACK (the output as it was) when
 * it is not possible or would not give the same records. */
static int write_verbatim(xz_t *x, const char *in, int out_fd, bool sync)
{
	xv_t *v = ts_calloc(1, sizeof(*v));
	if (v == NULL)
		return TS_ENOMEM;
	v->x = x;
	v->in = in;
	v->in_fd = -1;
	v->out_fd = out_fd;
	int ret = XZ_FALLBACK;
	bool emu = false, wmu = false, wcv = false, th = false;
	struct stat before;
	if (!v_possible(v, in, out_fd) || fstat(v->in_fd, &before) != 0)
		goto out;
	v->sync = sync;
	v->last = '\n';
	ret = TS_ENOMEM;
	if ((v->ibuf = ts_malloc(LINE_ROOM)) == NULL)
		goto out;
	if (pthread_mutex_init(&v->emu, NULL) != 0)
		goto out;
	emu = true;
	if (pthread_mutex_init(&v->wmu, NULL) != 0)
		goto out;
	wmu = true;
	if (pthread_cond_init(&v->wcv, NULL) != 0)
		goto out;
	wcv = true;
	if (pthread_create(&v->th, NULL, v_writer, v) != 0)
		goto out;
	th = true;
	x->lock = &v->emu;
	/* the NS targets matter only for glue below a name acted on */
	zone_opts_t zo = { .origin = x->o->origin, .default_ttl = 3600, .no_include = x->o->no_include,
	                   .threads = XV_WORKERS, .parallel_callback = true, .spec_fn = spec_v,
	                   .journal_fn = journal_v, .text_fn = text_v,
	                   .decode = (x->acted.n > 0 ? ZONE_DEC_NS : 0u) | ZONE_DEC_SOA };
	zone_totals_t zt = { 0 };
	ret = zone_scan_file(in, &zo, on_rr_v, v, &zt);
	pthread_mutex_lock(&v->wmu);
	v->quit = true;
	pthread_cond_signal(&v->wcv);
	pthread_mutex_unlock(&v->wmu);
	pthread_join(v->th, NULL);
	th = false;
	x->lock = NULL;
	if (ret == TS_OK)
		ret = v->werr;
	x->t.bytes_in = zt.bytes;
	x->t.records_in = zt.records;
	if (ret == TS_OK && !x->have_apex) {
		ts_log(TS_LOG_ERR, "%s: no SOA record: not a zone", in);
		ret = TS_EINPUT;
	}
	if (ret == TS_OK && (v->cur != v->in_size || zt.bytes != v->in_size || !v_same_input(v, &before)))
		ret = v_changed(v);
	if (ret == TS_OK)
		ret = v_flush(v);
	uint64_t held = v->nheld;
	if (ret == TS_OK)
		ret = v_tail(v);
	if (ret == TS_OK) {
		x->t.removed += v->dropped;
		x->t.records_out = x->t.records_in - held - v->dropped + v->sinkholes + x->t.glue_kept;
		warn_not_found(x, in);
	}
	if (ret == XZ_FALLBACK) {
		ts_log(TS_LOG_INFO, "export zone: %s: %s: every record is written on one line", in,
		       v->why != NULL ? v->why : "not copied");
		if (ftruncate(out_fd, (off_t)v->start_off) != 0 || lseek(out_fd, (off_t)v->start_off, SEEK_SET) < 0) {
			v->err_no = errno;
			ret = TS_EIO;
		}
	}
	x->w.err_no = v->err_no;
out:
	if (th) {
		pthread_mutex_lock(&v->wmu);
		v->quit = true;
		pthread_cond_signal(&v->wcv);
		pthread_mutex_unlock(&v->wmu);
		pthread_join(v->th, NULL);
	}
	if (wcv)
		pthread_cond_destroy(&v->wcv);
	if (wmu)
		pthread_mutex_destroy(&v->wmu);
	if (emu)
		pthread_mutex_destroy(&v->emu);
	if (v->in_fd >= 0)
		close(v->in_fd);
	x->lock = NULL;
	ts_free(v->heap);
	ts_free(v->held);
	ts_free(v->cbuf);
	ts_free(v->ibuf);
	ts_free(v);
	return ret;
}

static void xz_free(xz_t **xp)
{
	xz_t *x = *xp;
	if (x == NULL)
		return;
	nset_free(&x->acted);
	nset_free(&x->needed);
	dbuf_free(&x->held);
	ts_free(x->line);
	for (unsigned i = 0; i < OUT_NBUF; i++)
		ts_free(x->w.buf[i]);
	arena_free(&x->a);
	ts_free(x);
	*xp = NULL;
}

/* The writer's state for `o`: the names acted on and the glue the sinkholes
 * need. */
static int xz_new(const export_zone_opts_t *o, FILE *fp, xz_t **out)
{
	xz_t *x = ts_calloc(1, sizeof(*x));
	*out = x;
	if (x == NULL)
		return TS_ENOMEM;
	x->o = o;
	x->w.fp = fp;
	x->w.fd = -1;
	dbuf_init(&x->held, HELD_MAX);
	x->a = arena_new(64 * 1024);
	x->out = x->w.buf[0] = ts_malloc(OUT_BUF + OUT_SLACK);
	x->line = ts_malloc(LINE_ROOM);
	if (x->a == NULL || x->out == NULL || x->line == NULL || nset_init(&x->acted, o->nsuspend + o->nredirect) != TS_OK ||
	    nset_init(&x->needed, 16) != TS_OK)
		return TS_ENOMEM;
	int ret;
	for (size_t i = 0; i < o->nsuspend; i++)
		if ((ret = add_acted(x, o->suspend[i], ACT_SUSPEND, 0)) != TS_OK)
			return ret;
	for (size_t i = 0; i < o->nredirect; i++) {
		const export_zone_redirect_t *r = &o->redirect[i];
		if ((ret = add_acted(x, r->domain, ACT_REDIRECT, i)) != TS_OK)
			return ret;
		if (r->nns == 0 || r->nns > EXPORT_ZONE_MAX_SINKHOLE) {
			ts_log(TS_LOG_ERR, "export zone: the redirect of %s needs 1 to %u sinkhole name servers", r->domain,
			       EXPORT_ZONE_MAX_SINKHOLE);
			return TS_EINPUT;
		}
	}
	/* the sinkhole name servers stay in the zone: their glue is needed */
	for (size_t i = 0; i < o->nredirect; i++) {
		for (size_t j = 0; j < o->redirect[i].nns; j++) {
			char host[EXPORT_NAME_MAX + 1];
			size_t hl;
			if (export_name_norm(o->redirect[i].ns[j], host, &hl) != TS_OK) {
				ts_log(TS_LOG_ERR, "export zone: sinkhole name server of %s: not a host name: \"%.80s\"",
				       o->redirect[i].domain, o->redirect[i].ns[j] != NULL ? o->redirect[i].ns[j] : "");
				return TS_EINPUT;
			}
			if ((ret = note_target(x, host, hl)) != TS_OK)
				return ret;
		}
	}
	return TS_OK;
}

/* Every record on one line (the output starts at fp's position, flushed). */
static int write_one_line(xz_t *x, const char *in, FILE *fp, bool sync)
{
	int ret;
	x->w.fd = fileno(fp);
	if (x->w.fd >= 0 && sync) {
		struct stat st;
		off_t off = lseek(x->w.fd, 0, SEEK_CUR);
		x->w.start_sync = fstat(x->w.fd, &st) == 0 && S_ISREG(st.st_mode) && off >= 0;
		x->w.off = off >= 0 ? (uint64_t)off : 0;
	}
	zone_opts_t zo = { .origin = x->o->origin, .default_ttl = 3600, .no_include = x->o->no_include,
	                   .threads = 2, .decode = ZONE_DEC_NS | ZONE_DEC_SOA | ZONE_DEC_TEXT };
	zone_totals_t zt = { 0 };
	ret = zone_scan_file(in, &zo, on_rr, x, &zt);
	x->t.bytes_in = zt.bytes;
	if (ret == TS_OK && !x->have_apex) {
		ts_log(TS_LOG_ERR, "%s: no SOA record: not a zone", in);
		ret = TS_EINPUT;
	}
	if (ret == TS_OK)
		ret = write_held(x);
	int wret = out_end(x, ret == TS_OK);
	if (ret == TS_OK)
		ret = wret;
	if (ret == TS_OK)
		warn_not_found(x, in);
	(void)out_end(x, false);   /* after an error: stops the writer thread */
	return ret;
}

/* export_zone_write_fp; `sync`: fp is a file the caller will fsync. */
static int write_zone(const char *in, const export_zone_opts_t *o, FILE *fp, bool sync, export_zone_totals_t *totals)
{
	xz_t *x = NULL;
	int eno = 0;
	int ret = xz_new(o, fp, &x);
	/* what the caller wrote before goes first; then the lines go to the
	 * descriptor, in large writes, past stdio */
	if (ret == TS_OK && fflush(fp) != 0) {
		eno = errno;
		ret = TS_EIO;
	}
	if (ret == TS_OK && !o->one_line) {
		ret = write_verbatim(x, in, fileno(fp), sync);
		if (ret == XZ_FALLBACK) {
			xz_free(&x);
			ret = xz_new(o, fp, &x);
		} else {
			eno = x->w.err_no;
			goto out;
		}
	}
	if (ret == TS_OK) {
		ret = write_one_line(x, in, fp, sync);
		eno = x->w.err_no;
	}
out:
	if (totals != NULL)
		*totals = x != NULL ? x->t : (export_zone_totals_t){ 0 };
	xz_free(&x);
	if (ret == TS_EIO)
		errno = eno;   /* for the caller's message */
	return ret;
}

int export_zone_write_fp(const char *in, const export_zone_opts_t *o, FILE *fp, export_zone_totals_t *totals)
{
	return write_zone(in, o, fp, false, totals);
}

int export_zone_write(const char *in, const export_zone_opts_t *o, const char *out, export_zone_totals_t *totals)
{
	afile_t af;
	int ret = afile_open(&af, out);
	if (ret != TS_OK)
		return ret;
	/* afile_commit fsyncs the temporary file: its disk writes start as it is written */
	ret = write_zone(in, o, af.fp, af.path != NULL, totals);
	if (ret != TS_OK) {
		if (ret == TS_EIO)
			ts_log(TS_LOG_ERR, "%s: cannot write: %s", out != NULL ? out : "stdout", strerror(errno));
		afile_abort(&af);
	} else {
		ret = afile_commit(&af);
	}
	return ret;
}

struct ns_ctx {
	nset_t set;
	export_zone_ns_fn fn;
	void *user;
};

static int on_ns(void *user, const zone_rr_t *rr)
{
	struct ns_ctx *c = user;
	if (rr->type != ZONE_T_NS)
		return TS_OK;
	const nset_ent_t *e = nset_find(&c->set, rr->owner, rr->owner_len);
	return e != NULL ? c->fn(c->user, e->idx, rr->rd.ns.name) : TS_OK;
}

int export_zone_ns(const char *in, const char *origin, const char *const *domains, size_t n,
                   export_zone_ns_fn fn, void *user)
{
	struct ns_ctx c = { .fn = fn, .user = user };
	arena_t *a = arena_new(16 * 1024);
	int ret = a != NULL ? nset_init(&c.set, n) : TS_ENOMEM;
	for (size_t i = 0; i < n && ret == TS_OK; i++) {
		name_t nm;
		const char *why;
		size_t at;
		char norm[EXPORT_NAME_MAX + 1];
		size_t len;
		if (export_name_norm(domains[i], norm, &len) != TS_OK ||
		    name_from_text(norm, len, NULL, &nm, &why, &at) != TS_OK) {
			ts_log(TS_LOG_ERR, "not a domain name: \"%.80s\"", domains[i]);
			ret = TS_EINPUT;
			break;
		}
		nset_ent_t *e;
		bool added;
		if ((ret = nset_add(&c.set, a, nm.text, nm.len, &e, &added)) == TS_OK && added)
			e->idx = i;
	}
	if (ret == TS_OK && n > 0) {
		zone_opts_t zo = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_NS };
		ret = zone_scan_file(in, &zo, on_ns, &c, NULL);
	}
	nset_free(&c.set);
	arena_free(&a);
	return ret;
}
