/* zone.c — the streaming master-file scanner.
 *
 * Input arrives in large blocks (ZONE_CHUNK) with a NUL sentinel after the
 * last byte, so the tokenizer's table-driven loops need no bounds checks: a NUL
 * is either the end of the block or binary data. A record is parsed from a
 * cursor that is committed only when the record is complete; when a block
 * ends inside a record, the record's bytes are carried in front of the next
 * block (there is ZONE_HEAD room for them) and the record is parsed again.
 * With threads > 1 a reader thread fills the blocks (and inflates gzip) while
 * the parser works on the previous one. With parallel_callback, the blocks
 * are parsed by several threads at once (see "parallel parse" below).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/input.h"
#include "base/limits.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"

#define ZONE_CHUNK      (2u << 20)           /* bytes read per block (top-level file) */
#define ZONE_CHUNK_INC  (256u << 10)         /* bytes per block of an $INCLUDE file */
#define ZONE_HEAD       TS_MAX_ZONE_RECORD   /* room for a record carried over */
#define ZONE_NBUF       3u                   /* blocks in flight with a reader thread */
#define ZONE_MAX_RDATA  65535u
#define ZONE_PAD        256u                 /* readable bytes after a block's sentinel */
#define ZONE_EV_FILL    512u                 /* structure events read ahead by the fast path */
#define ZONE_EVW_FILL   2048u                /* word starts and ends read ahead */
#define ZONE_EV_CAP     (ZONE_EV_FILL + 128u + 16u)
#define ZONE_EVW_CAP    (ZONE_EVW_FILL + 128u + 16u)

/* Character classes of the tokenizer. */
enum { C_WORD = 0, C_BLANK, C_NL, C_OPEN, C_CLOSE, C_SEMI, C_QUOTE, C_ESC, C_NUL };

static const unsigned char cls[256] = {
	['\0'] = C_NUL, [' '] = C_BLANK, ['\t'] = C_BLANK, ['\r'] = C_BLANK, ['\f'] = C_BLANK,
	['\v'] = C_BLANK, ['\n'] = C_NL, ['('] = C_OPEN, [')'] = C_CLOSE, [';'] = C_SEMI,
	['"'] = C_QUOTE, ['\\'] = C_ESC,
};

/* The first byte at or after p that may end a word: a byte up to ' '
 * (blanks, line ends, the NUL sentinel), one of ( ) ; " \, or, with SSE2,
 * a byte above 0x7f (the caller checks cls[] and goes on for those). The
 * blocks have ZONE_PAD readable bytes after the sentinel. */
#if defined(__SSE2__)
#include <emmintrin.h>
static inline const char *word_end(const char *p)
{
	const __m128i c20 = _mm_set1_epi8(0x20);
	const __m128i op = _mm_set1_epi8('('), cp = _mm_set1_epi8(')'), sc = _mm_set1_epi8(';');
	const __m128i qu = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	for (;;) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)p);
		__m128i m = _mm_cmpeq_epi8(_mm_min_epu8(x, c20), x);
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, op));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, cp));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, sc));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, qu));
		m = _mm_or_si128(m, _mm_cmpeq_epi8(x, bs));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits != 0)
			return p + __builtin_ctz(bits);
		p += 16;
	}
}
#else
static inline const char *word_end(const char *p)
{
	while (cls[(unsigned char)*p] == C_WORD)
		p++;
	return p;
}
#endif

enum { TK_WORD = 1, TK_QUOTED, TK_EOL };
#define P_MORE 1   /* the block ended inside the record: refill and parse it again */
#define P_DONE 2   /* the source is exhausted */
#define Z_YIELD 4  /* a speculative parse stops before an $INCLUDE */

/* zscan_t.ttl_from: the record has no TTL of its own and no $TTL was seen
 * (in a speculative block: none in the block); LOCAL: the last TTL stated
 * (in the block) was used. */
#define TTLF_PENDING 1u
#define TTLF_LOCAL   2u

typedef struct tok {
	const char *s;
	size_t n;
	int kind;
} tok_t;

typedef struct cur {
	const char *p;
	const char *ls;            /* start of the line p is on */
	unsigned long line;
	int depth;                 /* inside parentheses */
	unsigned long open_line;   /* where the open parenthesis is */
	unsigned long open_col;
} cur_t;

typedef struct blk {
	size_t len;
	bool eof;
	int err;
	uint64_t raw_pos;
} blk_t;

typedef struct zsrc {
	struct zsrc *up;           /* the including source */
	ts_input_t *in;
	char *name;
	dev_t dev;
	ino_t ino;
	bool have_id;
	size_t chunk;              /* bytes read per block */
	size_t head;               /* room before a block for a carried record */
	unsigned nbuf;
	char *mem[ZONE_NBUF];
	blk_t blk[ZONE_NBUF];
	int cur_buf;               /* the block being parsed */
	const char *p, *end;       /* committed position; end of the block's data */
	const char *ls;
	unsigned long line;
	bool eof;
	uint64_t raw_pos;
	/* text offsets (zone_rr_t.pos): the byte at tb is at offset tb_off of
	 * the source's text (after inflating); nread bytes have been read */
	const char *tb;
	uint64_t tb_off;
	uint64_t nread;
	uint64_t mg_off;           /* the offset of mg (the fast path's origin) */
	uint8_t incl;              /* ZONE_RR_INCLUDED for an $INCLUDE file, else 0 */
	/* the fast path's events (positions from mg of word starts, of the
	 * first byte after each word, of line ends and of special bytes) */
	const char *mg;            /* their origin */
	uint32_t ev_x, ev_nx;      /* structure: the next unread; held */
	uint32_t ev_w, ev_nw;      /* word starts: the next unread; held */
	uint32_t ev_ne;            /* word ends held */
	uint64_t ev_chunk;         /* the next 64-byte chunk to read */
	uint64_t ev_carry;         /* 1: the byte before it is part of a word */
	uint32_t evx[ZONE_EV_CAP], evs[ZONE_EVW_CAP], eve[ZONE_EVW_CAP];
	name_t saved_origin;       /* restored when this source ends */
	bool restore_origin;
	/* the reader thread */
	bool threaded;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int filled[ZONE_NBUF];     /* FIFO of filled blocks */
	unsigned nfilled;
	int freeb[ZONE_NBUF];      /* stack of free blocks */
	unsigned nfree;
	bool stop;
	bool reader_done;
} zsrc_t;

typedef struct zscan {
	const zone_opts_t *o;
	zone_rr_fn fn;
	void *user;
	zsrc_t *top;
	unsigned depth;
	unsigned max_depth;
	name_t origin;
	name_t *owner;             /* the previous record's owner */
	name_t *owner_new;
	bool have_owner;
	bool have_ttl_dir;         /* $TTL seen */
	uint32_t ttl_dir;
	bool have_last_ttl;
	uint32_t last_ttl;
	bool text_called;          /* text_fn: called once; the last end given */
	uint64_t text_end;
	zone_totals_t tot;
	struct zwork *w;           /* the parallel worker this scanner belongs to; NULL: serial */
	unsigned owner_gen;        /* counts owner changes (for the worker's record buffer) */
	unsigned origin_gen;       /* counts $ORIGIN changes */
	uint8_t ttl_from;          /* how the last record's TTL was found: TTLF_* */
	int simd;                  /* the fast path's event reader: zone_simd() */
	name_t n1, n2;             /* RDATA names */
	name_t own_a, own_b;
	uint8_t rdata[ZONE_MAX_RDATA];
	size_t rdlen;
	zone_rr_t rr;
	char text[ZONE_HEAD + 1];
} zscan_t;

/* ---------------------------------------------------------------- parallel parse: types
 *
 * With zone_opts_t.parallel_callback and threads > 1 the text is cut into
 * blocks of `block_size` bytes, read in order (one reader at a time, gzip
 * inflated on the way) into slots, and parsed by all threads at once. A
 * block's parser starts at its first "safe" line start (after a newline, a
 * byte that can only begin an owner name) and guesses that this line is
 * not inside parentheses and that the $ORIGIN is the last one known; it
 * keeps its records in the slot's record buffer (ev) and reports where it
 * stopped: at the first safe line start at or after the block's end, which
 * is where the next block's parser started. Blocks are then checked in
 * order: when the previous block stopped exactly where this one started,
 * under the same $ORIGIN, the guess was right and its records are handed
 * to the callback; otherwise (and after an $INCLUDE, or when the buffer
 * ran short) the block is parsed again, in order, from the exact position.
 * TTLs do not take part in the guess: a record without a TTL of its own
 * whose TTL depends on the text before the block is marked and resolved
 * when the block is checked. Errors are kept, not logged, and the first in
 * file order is logged at the end. */

/* The parser's context at a committed position of the top-level file. */
typedef struct zstate {
	uint64_t pos;              /* offset in the text */
	unsigned long line;        /* its line (in a speculative result: relative, 1 = start) */
	bool have_owner;
	bool have_ttl_dir;
	bool have_last_ttl;
	uint32_t ttl_dir;
	uint32_t last_ttl;
	name_t origin;
	name_t owner;
} zstate_t;

typedef struct zerrinfo {
	bool set;
	bool rel;                  /* the line is relative to the block's start */
	unsigned long line, col;
	char file[4200];
	char msg[512];
} zerrinfo_t;

/* S_DONE (with text_fn only): its records are delivered; waits for the
 * blocks before it before text_fn is told (announce). */
enum { S_FREE, S_FILL, S_PARSING, S_PARSED, S_CHECKING, S_DONE };
enum { W_RULE = 1, W_EOF, W_MORE, W_YIELD };

typedef struct zslot {
	int state;
	uint64_t k;                /* block number */
	char *mem;                 /* text [base, base + len), NUL, padding */
	uint64_t base;
	size_t len;
	bool eof;                  /* the text ends at the end of mem */
	bool last;                 /* no block follows */
	int fill_err;
	uint64_t nom_start, nom_end;
	uint64_t cap_end;          /* random access: the text may be read up to here */
	uint64_t raw_pos;
	bool direct;               /* parsed in order: records already delivered */
	bool spec_ok;              /* a speculative start was found */
	bool spec_ready;           /* sstart and spec_ok are set (under the lock) */
	bool confirm_tried;
	_Atomic int confirm;       /* the start was checked right while parsing: cstart */
	bool switched;             /* ... and the parser went on in order from there */
	zstate_t cstart;           /* the exact state at sstart, when confirmed */
	uint64_t sstart;
	int why;                   /* W_*: where the parse stopped */
	int ret;
	zstate_t out;              /* the state where the parse stopped */
	name_t gorigin;            /* the $ORIGIN guessed */
	zerrinfo_t err;
	uint8_t *ev;               /* records of a speculative parse, and spec_fn's journal */
	size_t evlen, evcap;
	size_t urun, uend;         /* the last journal piece's header, and evlen after it */
	uint64_t jrecs;            /* records given to spec_fn */
	uint64_t tend;             /* S_DONE: where the block's exact parse stopped */
	/* ev_put writes evlen at every record: a line apart from the next
	 * slot's head, which the other worker reads as often */
	char pad[64];
} zslot_t;

struct zone_journal {
	zslot_t *sl;
	size_t room;               /* what the record may still put */
};

typedef struct zwork {
	struct zpar *par;
	struct zscan *z;
	pthread_t th;
	bool started;
	bool spec;                 /* records go to slot->ev */
	zslot_t *slot;
	zerrinfo_t *err;           /* where errors go */
	unsigned idx;              /* zone_rr_t.worker */
	unsigned ev_owner_gen, ev_origin_gen;
	zone_journal_t jr;         /* spec_fn's view of the slot */
	/* ev_put writes the fields above at every owner: a line shared with
	 * the next worker's cost ~15% of the parallel parse */
	char pad[64];
} zwork_t;

static inline bool work_spec(const zwork_t *w)
{
	return w->spec;
}

static int emit(struct zscan *z, const zone_rr_t *rr);

/* ---------------------------------------------------------------- errors */

static void zlog_pos(zscan_t *z, const char *file, unsigned long line, unsigned long col,
                     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void zlog_pos(zscan_t *z, const char *file, unsigned long line, unsigned long col,
                     const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (z->w == NULL) {
		ts_log_pos(TS_LOG_ERR, file, line, col, "%s", msg);
		return;
	}
	zerrinfo_t *e = z->w->err;
	if (e->set)
		return;
	e->set = true;
	e->rel = z->w->spec;
	e->line = line;
	e->col = col;
	snprintf(e->file, sizeof(e->file), "%s", file);
	memcpy(e->msg, msg, sizeof(msg));
}

static unsigned long col_of(const cur_t *c, const char *at)
{
	return (unsigned long)(at - c->ls) + 1;
}

static int zerr(zscan_t *z, const cur_t *c, const char *at, int code, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Logs an error at `at`, a byte of the record being parsed. The record
 * starts at the committed position (a line start of known number), so the
 * line and column are counted from there: `at` may lie on an earlier line of
 * the record than the cursor. */
static int zerr(zscan_t *z, const cur_t *c, const char *at, int code, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	const zsrc_t *s = z->top;
	unsigned long line = c->line, col = col_of(c, at);
	if (at >= s->p && at <= s->end) {
		const char *ls = s->p;
		line = s->line;
		for (const char *q = s->p; q < at; q++) {
			if (*q == '\n') {
				line++;
				ls = q + 1;
			}
		}
		col = (unsigned long)(at - ls) + 1;
	}
	zlog_pos(z, s->name, line, col, "%s", msg);
	return code;
}

/* ---------------------------------------------------------------- types */

struct tname {
	const char *name;
	uint16_t type;
};

/* Mnemonics, most frequent in TLD zones first. */
static const struct tname types[] = {
	{ "NS", 2 }, { "DS", 43 }, { "A", 1 }, { "AAAA", 28 }, { "RRSIG", 46 }, { "NSEC", 47 },
	{ "NSEC3", 50 }, { "DNSKEY", 48 }, { "SOA", 6 }, { "TXT", 16 }, { "CNAME", 5 },
	{ "MX", 15 }, { "NSEC3PARAM", 51 }, { "MD", 3 }, { "MF", 4 }, { "MB", 7 }, { "MG", 8 },
	{ "MR", 9 }, { "NULL", 10 }, { "WKS", 11 }, { "PTR", 12 }, { "HINFO", 13 },
	{ "MINFO", 14 }, { "RP", 17 }, { "AFSDB", 18 }, { "X25", 19 }, { "ISDN", 20 },
	{ "RT", 21 }, { "NSAP", 22 }, { "NSAP-PTR", 23 }, { "SIG", 24 }, { "KEY", 25 },
	{ "PX", 26 }, { "GPOS", 27 }, { "LOC", 29 }, { "NXT", 30 }, { "EID", 31 },
	{ "NIMLOC", 32 }, { "SRV", 33 }, { "ATMA", 34 }, { "NAPTR", 35 }, { "KX", 36 },
	{ "CERT", 37 }, { "A6", 38 }, { "DNAME", 39 }, { "SINK", 40 }, { "APL", 42 },
	{ "SSHFP", 44 }, { "IPSECKEY", 45 }, { "DHCID", 49 }, { "TLSA", 52 }, { "SMIMEA", 53 },
	{ "HIP", 55 }, { "NINFO", 56 }, { "RKEY", 57 }, { "TALINK", 58 }, { "CDS", 59 },
	{ "CDNSKEY", 60 }, { "OPENPGPKEY", 61 }, { "CSYNC", 62 }, { "ZONEMD", 63 },
	{ "SVCB", 64 }, { "HTTPS", 65 }, { "SPF", 99 }, { "UINFO", 100 }, { "UID", 101 },
	{ "GID", 102 }, { "UNSPEC", 103 }, { "NID", 104 }, { "L32", 105 }, { "L64", 106 },
	{ "LP", 107 }, { "EUI48", 108 }, { "EUI64", 109 }, { "TKEY", 249 }, { "TSIG", 250 },
	{ "URI", 256 }, { "CAA", 257 }, { "AVC", 258 }, { "DOA", 259 }, { "AMTRELAY", 260 },
	{ "TA", 32768 }, { "DLV", 32769 },
};

static bool ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'a' && x <= 'z')
			x = (unsigned char)(x - 32);
		if (x != y)
			return false;
	}
	return true;
}

/* Parses all of s[0..n) as a decimal number not above max. */
static bool dec(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	if (n == 0 || n > 20)
		return false;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned d = (unsigned)((unsigned char)s[i] - '0');
		if (d > 9)
			return false;
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

int zone_type_from_text(const char *s, size_t n, uint16_t *out)
{
	/* the two that make up most of a TLD zone first */
	if (n == 2 && (s[1] | 0x20) == 's') {
		if ((s[0] | 0x20) == 'n') {
			*out = ZONE_T_NS;
			return TS_OK;
		}
		if ((s[0] | 0x20) == 'd') {
			*out = ZONE_T_DS;
			return TS_OK;
		}
	}
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (strlen(types[i].name) == n && ieq(s, types[i].name, n)) {
			*out = types[i].type;
			return TS_OK;
		}
	}
	uint64_t v;
	if (n > 4 && ieq(s, "TYPE", 4) && dec(s + 4, n - 4, 65535, &v)) {
		*out = (uint16_t)v;
		return TS_OK;
	}
	return TS_EINPUT;
}

const char *zone_type_name(uint16_t type, char buf[16])
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (types[i].type == type) {
			snprintf(buf, 16, "%s", types[i].name);
			return buf;
		}
	}
	snprintf(buf, 16, "TYPE%u", (unsigned)type);
	return buf;
}

/* Class: IN, CH, HS, CS, CLASSnnn. */
static bool parse_class(const char *s, size_t n, uint16_t *out)
{
	if (n == 2) {
		if (ieq(s, "IN", 2)) { *out = 1; return true; }
		if (ieq(s, "CH", 2)) { *out = 3; return true; }
		if (ieq(s, "HS", 2)) { *out = 4; return true; }
		if (ieq(s, "CS", 2)) { *out = 2; return true; }
		return false;
	}
	uint64_t v;
	if (n > 5 && ieq(s, "CLASS", 5) && dec(s + 5, n - 5, 65535, &v)) {
		*out = (uint16_t)v;
		return true;
	}
	return false;
}

/* A TTL: a number of seconds, or numbers each followed by a unit s m h d w
 * (any case), as in 1d2h; at most 2^32 - 1. */
static bool parse_ttl(const char *s, size_t n, uint32_t *out)
{
	uint64_t total = 0, cur = 0;
	bool digits = false, units = false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= '0' && c <= '9') {
			cur = cur * 10 + (unsigned)(c - '0');
			if (cur > UINT32_MAX)
				return false;
			digits = true;
			continue;
		}
		uint64_t mult;
		switch (c | 0x20) {
		case 's': mult = 1; break;
		case 'm': mult = 60; break;
		case 'h': mult = 3600; break;
		case 'd': mult = 86400; break;
		case 'w': mult = 604800; break;
		default: return false;
		}
		if (!digits)
			return false;
		total += cur * mult;
		if (total > UINT32_MAX)
			return false;
		cur = 0;
		digits = false;
		units = true;
	}
	if (digits) {
		if (units)
			return false;  /* "1d2": a bare number after units */
		total = cur;
	} else if (!units) {
		return false;
	}
	*out = (uint32_t)total;
	return true;
}

/* DNSSEC algorithm: a number or a mnemonic. */
static bool parse_alg(const char *s, size_t n, uint8_t *out)
{
	static const struct { const char *name; uint8_t v; } algs[] = {
		{ "RSAMD5", 1 }, { "DH", 2 }, { "DSA", 3 }, { "RSASHA1", 5 },
		{ "DSA-NSEC3-SHA1", 6 }, { "RSASHA1-NSEC3-SHA1", 7 }, { "RSASHA256", 8 },
		{ "RSASHA512", 10 }, { "ECC-GOST", 12 }, { "ECDSAP256SHA256", 13 },
		{ "ECDSAP384SHA384", 14 }, { "ED25519", 15 }, { "ED448", 16 },
		{ "INDIRECT", 252 }, { "PRIVATEDNS", 253 }, { "PRIVATEOID", 254 },
	};
	uint64_t v;
	if (dec(s, n, 255, &v)) {
		*out = (uint8_t)v;
		return true;
	}
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		if (strlen(algs[i].name) == n && ieq(s, algs[i].name, n)) {
			*out = algs[i].v;
			return true;
		}
	}
	return false;
}

/* RRSIG times: YYYYMMDDHHmmSS (UTC) or a number of seconds. */
static bool parse_sigtime(const char *s, size_t n, uint32_t *out)
{
	uint64_t v;
	if (n == 14) {
		uint64_t y, mo, d, h, mi, se;
		if (!dec(s, 4, 9999, &y) || !dec(s + 4, 2, 12, &mo) || !dec(s + 6, 2, 31, &d) ||
		    !dec(s + 8, 2, 23, &h) || !dec(s + 10, 2, 59, &mi) || !dec(s + 12, 2, 60, &se) ||
		    mo < 1 || d < 1 || y < 1970)
			return false;
		int64_t t = ts_days_from_civil((int64_t)y, (unsigned)mo, (unsigned)d) * 86400 +
		            (int64_t)(h * 3600 + mi * 60 + se);
		*out = (uint32_t)((uint64_t)t & 0xffffffffu);  /* serial arithmetic, RFC 4034 3.1.5 */
		return true;
	}
	if (!dec(s, n, UINT32_MAX, &v))
		return false;
	*out = (uint32_t)v;
	return true;
}

/* hexv[c]: one more than the value of hex digit c; 0 for anything else */
static const unsigned char hexv[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7, ['7'] = 8,
	['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14, ['e'] = 15,
	['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15, ['F'] = 16,
};

/* ---------------------------------------------------------------- input */

static void src_read_block(zsrc_t *s, int b)
{
	blk_t *k = &s->blk[b];
	char *dst = s->mem[b] + s->head;
	k->len = 0;
	k->eof = false;
	k->err = TS_OK;
	while (k->len < s->chunk) {
		size_t got = 0;
		int ret = ts_input_read(s->in, dst + k->len, s->chunk - k->len, &got);
		if (ret != TS_OK) {
			k->err = ret;
			break;
		}
		if (got == 0) {
			k->eof = true;
			break;
		}
		k->len += got;
	}
	k->raw_pos = ts_input_raw_pos(s->in);
}

static void *reader_main(void *arg)
{
	zsrc_t *s = arg;
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->nfree == 0 && !s->stop)
			pthread_cond_wait(&s->cv, &s->mu);
		if (s->stop) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		int b = s->freeb[--s->nfree];
		pthread_mutex_unlock(&s->mu);
		src_read_block(s, b);
		pthread_mutex_lock(&s->mu);
		s->filled[s->nfilled++] = b;
		bool last = s->blk[b].eof || s->blk[b].err != TS_OK;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		if (last)
			break;
	}
	return NULL;
}

/* The offset in the source's text of q, a byte of its current block (or
 * of the record carried in front of it). */
static inline uint64_t src_off(const zsrc_t *s, const char *q)
{
	return s->tb_off + (uint64_t)(q - s->tb);
}

/* The fast path's events start over at s->p (its text changed; tb and
 * tb_off are set). */
static void src_masks_reset(zsrc_t *s)
{
	s->mg = s->p;
	s->mg_off = src_off(s, s->p);
	s->ev_x = s->ev_nx = s->ev_w = s->ev_nw = s->ev_ne = 0;
	s->evx[0] = s->evs[0] = 0;
	s->ev_chunk = 0;
	s->ev_carry = 0;
}

static void src_free(zsrc_t **sp)
{
	zsrc_t *s = *sp;
	if (s == NULL)
		return;
	if (s->threaded) {
		pthread_mutex_lock(&s->mu);
		s->stop = true;
		pthread_cond_broadcast(&s->cv);
		pthread_mutex_unlock(&s->mu);
		pthread_join(s->th, NULL);
		pthread_mutex_destroy(&s->mu);
		pthread_cond_destroy(&s->cv);
	}
	for (unsigned i = 0; i < ZONE_NBUF; i++)
		ts_free(s->mem[i]);
	ts_input_close(&s->in);
	ts_free(s->name);
	ts_free(s);
	*sp = NULL;
}

static const char empty_block[ZONE_PAD + 1];

/* Makes a source over an opened input (taken over, also on failure). */
static int src_new(zsrc_t **out, ts_input_t *in, const char *name, bool top, unsigned threads,
                   size_t size_hint)
{
	*out = NULL;
	zsrc_t *s = ts_calloc(1, sizeof(*s));
	if (s == NULL) {
		ts_input_close(&in);
		return TS_ENOMEM;
	}
	s->in = in;
	s->name = ts_strdup(name);
	s->chunk = top ? ZONE_CHUNK : ZONE_CHUNK_INC;
	s->head = ZONE_HEAD;
	if (size_hint > 0 && size_hint < s->chunk) {
		/* a small input is read in one block: no record is ever carried */
		s->chunk = size_hint;
		s->head = 0;
	}
	s->nbuf = top && threads > 1 ? ZONE_NBUF : 1;
	s->cur_buf = -1;
	s->line = 1;
	if (s->name == NULL)
		goto nomem;
	for (unsigned i = 0; i < s->nbuf; i++) {
		s->mem[i] = ts_malloc(s->head + s->chunk + 1 + ZONE_PAD);
		if (s->mem[i] == NULL)
			goto nomem;
		memset(s->mem[i] + s->head + s->chunk, 0, 1 + ZONE_PAD);
	}
	/* nothing read yet: an empty, padded block that is no one's buffer
	 * (the reader thread may already be filling mem[0]) */
	s->p = s->end = s->ls = s->tb = empty_block;
	src_masks_reset(s);
	if (s->nbuf > 1) {
		if (pthread_mutex_init(&s->mu, NULL) != 0)
			goto nomem;
		if (pthread_cond_init(&s->cv, NULL) != 0) {
			pthread_mutex_destroy(&s->mu);
			goto nomem;
		}
		for (unsigned i = 0; i < s->nbuf; i++)
			s->freeb[s->nfree++] = (int)i;
		if (pthread_create(&s->th, NULL, reader_main, s) != 0) {
			pthread_cond_destroy(&s->cv);
			pthread_mutex_destroy(&s->mu);
			goto nomem;
		}
		s->threaded = true;
	}
	*out = s;
	return TS_OK;
nomem:
	src_free(&s);
	return TS_ENOMEM;
}

/* Moves the unfinished record [s->p, s->end) in front of the next block. */
static int src_advance(zscan_t *z, zsrc_t *s)
{
	size_t keep = (size_t)(s->end - s->p);
	if (keep > s->head) {
		zlog_pos(z, s->name, s->line, 1, "record longer than %zu bytes", s->head);
		return TS_ELIMIT;
	}
	int b;
	if (!s->threaded) {
		b = 0;
		char *dst = s->mem[0] + s->head - keep;
		memmove(dst, s->p, keep);
		src_read_block(s, 0);
	} else {
		pthread_mutex_lock(&s->mu);
		while (s->nfilled == 0)
			pthread_cond_wait(&s->cv, &s->mu);
		b = s->filled[0];
		memmove(s->filled, s->filled + 1, (size_t)(--s->nfilled) * sizeof(int));
		pthread_mutex_unlock(&s->mu);
		memcpy(s->mem[b] + s->head - keep, s->p, keep);
		if (s->cur_buf >= 0) {
			pthread_mutex_lock(&s->mu);
			s->freeb[s->nfree++] = s->cur_buf;
			pthread_cond_broadcast(&s->cv);
			pthread_mutex_unlock(&s->mu);
		}
	}
	blk_t *k = &s->blk[b];
	if (k->err != TS_OK)
		return k->err;
	s->cur_buf = b;
	char *base = s->mem[b] + s->head;
	s->p = s->ls = base - keep;
	s->end = base + k->len;
	s->tb = base;
	s->tb_off = s->nread;
	s->nread += k->len;
	src_masks_reset(s);
	base[k->len] = '\0';
	s->eof = k->eof;
	s->raw_pos = k->raw_pos;
	z->tot.bytes += k->len;
	if (s->up == NULL && z->o->progress != NULL)
		z->o->progress(z->o->progress_user, k->raw_pos, ts_input_raw_size(s->in));
	return TS_OK;
}

/* ---------------------------------------------------------------- tokens */

static int binary_error(zscan_t *z, const cur_t *c, const char *at)
{
	return zerr(z, c, at, TS_EINPUT, "binary data (a NUL byte) in a zone file");
}

/* The next token of the record at c: skips blanks, comments and, inside
 * parentheses, line ends. TK_EOL at the end of the record (the newline is
 * consumed) and at the end of the input. */
static int next_tok(zscan_t *z, cur_t *c, tok_t *t)
{
	const zsrc_t *s = z->top;
	const char *p = c->p;
	for (;;) {
		switch (cls[(unsigned char)*p]) {
		case C_BLANK:
			p++;
			continue;
		case C_NL:
			p++;
			c->line++;
			c->ls = p;
			if (c->depth > 0)
				continue;
			c->p = p;
			t->kind = TK_EOL;
			t->s = p - 1;  /* the line end, for messages */
			t->n = 0;
			return TS_OK;
		case C_OPEN:
			if (c->depth > 0)
				return zerr(z, c, p, TS_ESYNTAX, "nested parenthesis");
			c->depth = 1;
			c->open_line = c->line;
			c->open_col = col_of(c, p);
			p++;
			continue;
		case C_CLOSE:
			if (c->depth == 0)
				return zerr(z, c, p, TS_ESYNTAX, "')' without '('");
			c->depth = 0;
			p++;
			continue;
		case C_SEMI:
			while (cls[(unsigned char)*p] != C_NL && *p != '\0')
				p++;
			continue;
		case C_QUOTE: {
			const char *q = p + 1;
			for (;;) {
				unsigned char ch = (unsigned char)*q;
				if (ch == '"')
					break;
				if (ch == '\n')
					return zerr(z, c, q, TS_ESYNTAX, "line end inside a quoted string");
				if (ch == '\\' && q[1] != '\0' && q[1] != '\n') {
					q += 2;
					continue;
				}
				if (ch == '\0' || (ch == '\\' && q[1] == '\0')) {
					const char *nul = ch == '\0' ? q : q + 1;
					if (nul != s->end)
						return binary_error(z, c, nul);
					if (!s->eof)
						return P_MORE;
					return zerr(z, c, p, TS_ESYNTAX, "unterminated quoted string");
				}
				if (ch == '\\')
					return zerr(z, c, q, TS_ESYNTAX, "backslash at the end of a line");
				q++;
			}
			t->s = p + 1;
			t->n = (size_t)(q - p - 1);
			t->kind = TK_QUOTED;
			c->p = q + 1;
			return TS_OK;
		}
		case C_NUL:
			if (p != s->end)
				return binary_error(z, c, p);
			if (!s->eof)
				return P_MORE;
			if (c->depth > 0) {
				zlog_pos(z, s->name, c->open_line, c->open_col,
				           "unterminated parenthesis (no ')' before the end of the file)");
				return TS_ESYNTAX;
			}
			c->p = p;
			t->kind = TK_EOL;
			t->s = p;
			t->n = 0;
			return TS_OK;
		default: {  /* a word, escapes included */
			const char *q = p;
			for (;;) {
				q = word_end(q);
				if (cls[(unsigned char)*q] == C_WORD) {
					q++;
					continue;
				}
				if (*q != '\\')
					break;
				if (q[1] == '\0') {
					if (q + 1 != s->end)
						return binary_error(z, c, q + 1);
					if (!s->eof)
						return P_MORE;
					return zerr(z, c, q, TS_ESYNTAX, "backslash at the end of the file");
				}
				if (q[1] == '\n')
					return zerr(z, c, q, TS_ESYNTAX, "backslash at the end of a line");
				q += 2;
			}
			if (*q == '\0' && q == s->end && !s->eof)
				return P_MORE;  /* the word may go on in the next block */
			t->s = p;
			t->n = (size_t)(q - p);
			t->kind = TK_WORD;
			c->p = q;
			return TS_OK;
		}
		}
	}
}

#define TOK(t) do { int r_ = next_tok(z, c, (t)); if (r_ != TS_OK) return r_; } while (0)

static int want_word(zscan_t *z, cur_t *c, tok_t *t, const char *what)
{
	TOK(t);
	if (t->kind == TK_WORD)
		return TS_OK;
	if (t->kind == TK_QUOTED)
		return zerr(z, c, t->s - 1, TS_ESYNTAX, "%s expected, not a quoted string", what);
	return zerr(z, c, t->s, TS_ESYNTAX, "%s expected before the end of the record", what);
}

static int want_eol(zscan_t *z, cur_t *c)
{
	tok_t t;
	TOK(&t);
	if (t.kind != TK_EOL)
		return zerr(z, c, t.kind == TK_QUOTED ? t.s - 1 : t.s, TS_ESYNTAX,
		            "unexpected data after the record");
	return TS_OK;
}

/* Skips the rest of the record. */
static int skip_eol(zscan_t *z, cur_t *c)
{
	tok_t t;
	do {
		TOK(&t);
	} while (t.kind != TK_EOL);
	return TS_OK;
}

static int tok_name(zscan_t *z, cur_t *c, const tok_t *t, const name_t *origin, name_t *out)
{
	const char *why;
	size_t at;
	if (name_from_text(t->s, t->n, origin, out, &why, &at) != TS_OK)
		return zerr(z, c, t->s + at, TS_ESYNTAX, "bad name '%.*s': %s",
		            (int)(t->n > 80 ? 80 : t->n), t->s, why);
	return TS_OK;
}

static int want_name(zscan_t *z, cur_t *c, name_t *out, const char *what)
{
	tok_t t;
	int ret = want_word(z, c, &t, what);
	if (ret != TS_OK)
		return ret;
	return tok_name(z, c, &t, &z->origin, out);
}

static int want_num(zscan_t *z, cur_t *c, uint64_t max, uint64_t *v, const char *what)
{
	tok_t t;
	int ret = want_word(z, c, &t, what);
	if (ret != TS_OK)
		return ret;
	if (!dec(t.s, t.n, max, v))
		return zerr(z, c, t.s, TS_ESYNTAX, "bad %s '%.*s' (a number up to %llu)", what,
		            (int)(t.n > 40 ? 40 : t.n), t.s, (unsigned long long)max);
	return TS_OK;
}

static int want_ttl(zscan_t *z, cur_t *c, uint32_t *v, const char *what)
{
	tok_t t;
	int ret = want_word(z, c, &t, what);
	if (ret != TS_OK)
		return ret;
	if (!parse_ttl(t.s, t.n, v))
		return zerr(z, c, t.s, TS_ESYNTAX, "bad %s '%.*s'", what, (int)(t.n > 40 ? 40 : t.n), t.s);
	return TS_OK;
}

/* Hex digits of the remaining words of the record into z->rdata from `off`. */
static int hex_rest(zscan_t *z, cur_t *c, size_t off, size_t *len)
{
	size_t n = off;
	tok_t t;
	for (;;) {
		TOK(&t);
		if (t.kind == TK_EOL)
			break;
		if (t.kind != TK_WORD)
			return zerr(z, c, t.s - 1, TS_ESYNTAX, "hexadecimal digits expected");
		if (t.n % 2 != 0)
			return zerr(z, c, t.s, TS_ESYNTAX, "odd number of hexadecimal digits");
		if (n + t.n / 2 > ZONE_MAX_RDATA)
			return zerr(z, c, t.s, TS_ESYNTAX, "RDATA longer than 65535 octets");
		const unsigned char *h = (const unsigned char *)t.s;
		bool bad = false;
		for (size_t i = 0; i < t.n; i += 2) {
			unsigned hi = hexv[h[i]], lo = hexv[h[i + 1]];
			bad |= (hi == 0) | (lo == 0);
			z->rdata[n++] = (uint8_t)((hi - 1) << 4 | ((lo - 1) & 0xf));
		}
		if (bad) {
			size_t i = 0;
			while (hexv[h[i]] != 0)
				i++;
			return zerr(z, c, t.s + i, TS_ESYNTAX, "bad hexadecimal digit");
		}
	}
	*len = n;
	return TS_OK;
}

/* ---------------------------------------------------------------- RDATA */

static unsigned dec_bit(uint16_t type)
{
	switch (type) {
	case ZONE_T_NS: return ZONE_DEC_NS;
	case ZONE_T_DS: return ZONE_DEC_DS;
	case ZONE_T_SOA: return ZONE_DEC_SOA;
	case ZONE_T_RRSIG: return ZONE_DEC_RRSIG;
	case ZONE_T_A: case ZONE_T_AAAA: return ZONE_DEC_ADDR;
	default: return 0;
	}
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Decodes RFC 3597 RDATA (z->rdata, z->rdlen) of a type we decode. */
static int decode_wire(zscan_t *z, const cur_t *c, const char *at, uint16_t type)
{
	zone_rr_t *rr = &z->rr;
	const uint8_t *d = z->rdata;
	size_t n = z->rdlen, used = 0, used2 = 0;
	switch (type) {
	case ZONE_T_NS:
		if (name_from_wire(d, n, &z->n1, &used) != TS_OK || used != n)
			break;
		rr->rd.ns.name = z->n1.text;
		rr->rd.ns.len = z->n1.len;
		return TS_OK;
	case ZONE_T_DS:
		if (n < 4)
			break;
		rr->rd.ds.key_tag = (uint16_t)(d[0] << 8 | d[1]);
		rr->rd.ds.algorithm = d[2];
		rr->rd.ds.digest_type = d[3];
		rr->rd.ds.digest = d + 4;
		rr->rd.ds.digest_len = n - 4;
		return TS_OK;
	case ZONE_T_SOA:
		if (name_from_wire(d, n, &z->n1, &used) != TS_OK ||
		    name_from_wire(d + used, n - used, &z->n2, &used2) != TS_OK || used + used2 + 20 != n)
			break;
		d += used + used2;
		rr->rd.soa.mname = z->n1.text;
		rr->rd.soa.mname_len = z->n1.len;
		rr->rd.soa.rname = z->n2.text;
		rr->rd.soa.rname_len = z->n2.len;
		rr->rd.soa.serial = get32(d);
		rr->rd.soa.refresh = get32(d + 4);
		rr->rd.soa.retry = get32(d + 8);
		rr->rd.soa.expire = get32(d + 12);
		rr->rd.soa.minimum = get32(d + 16);
		return TS_OK;
	case ZONE_T_RRSIG:
		if (n < 18 || name_from_wire(d + 18, n - 18, &z->n1, &used) != TS_OK)
			break;
		rr->rd.rrsig.type_covered = (uint16_t)(d[0] << 8 | d[1]);
		rr->rd.rrsig.algorithm = d[2];
		rr->rd.rrsig.labels = d[3];
		rr->rd.rrsig.original_ttl = get32(d + 4);
		rr->rd.rrsig.expiration = get32(d + 8);
		rr->rd.rrsig.inception = get32(d + 12);
		rr->rd.rrsig.key_tag = (uint16_t)(d[16] << 8 | d[17]);
		return TS_OK;
	case ZONE_T_A:
	case ZONE_T_AAAA:
		if (n != (type == ZONE_T_A ? 4u : 16u))
			break;
		memcpy(rr->rd.addr.bytes, d, n);
		rr->rd.addr.len = n;
		return TS_OK;
	default:
		break;
	}
	char tb[16];
	return zerr(z, c, at, TS_ESYNTAX, "malformed %s RDATA in RFC 3597 form", zone_type_name(type, tb));
}

/* "\# LEN HEX..." after the \# token. */
static int rdata_generic(zscan_t *z, cur_t *c, const tok_t *mark, uint16_t type, bool decode)
{
	uint64_t len;
	int ret = want_num(z, c, ZONE_MAX_RDATA, &len, "RDATA length");
	if (ret != TS_OK)
		return ret;
	if (!decode)
		return skip_eol(z, c);
	size_t got;
	ret = hex_rest(z, c, 0, &got);
	if (ret != TS_OK)
		return ret;
	if (got != len)
		return zerr(z, c, mark->s, TS_ESYNTAX, "RDATA length %llu but %zu octets given",
		            (unsigned long long)len, got);
	z->rdlen = got;
	return decode_wire(z, c, mark->s, type);
}

static int rdata_text(zscan_t *z, cur_t *c, uint16_t type)
{
	zone_rr_t *rr = &z->rr;
	uint64_t v;
	int ret;
	tok_t t;
	switch (type) {
	case ZONE_T_NS:
		if ((ret = want_name(z, c, &z->n1, "name server")) != TS_OK)
			return ret;
		rr->rd.ns.name = z->n1.text;
		rr->rd.ns.len = z->n1.len;
		return want_eol(z, c);
	case ZONE_T_DS:
		if ((ret = want_num(z, c, 65535, &v, "key tag")) != TS_OK)
			return ret;
		rr->rd.ds.key_tag = (uint16_t)v;
		if ((ret = want_word(z, c, &t, "algorithm")) != TS_OK)
			return ret;
		if (!parse_alg(t.s, t.n, &rr->rd.ds.algorithm))
			return zerr(z, c, t.s, TS_ESYNTAX, "bad algorithm '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		if ((ret = want_num(z, c, 255, &v, "digest type")) != TS_OK)
			return ret;
		rr->rd.ds.digest_type = (uint8_t)v;
		{
			const char *before = c->p;
			size_t got;
			if ((ret = hex_rest(z, c, 0, &got)) != TS_OK)
				return ret;
			if (got == 0)
				return zerr(z, c, before, TS_ESYNTAX, "DS digest expected");
			rr->rd.ds.digest = z->rdata;
			rr->rd.ds.digest_len = got;
		}
		return TS_OK;
	case ZONE_T_SOA:
		if ((ret = want_name(z, c, &z->n1, "primary name server")) != TS_OK ||
		    (ret = want_name(z, c, &z->n2, "mailbox")) != TS_OK ||
		    (ret = want_num(z, c, UINT32_MAX, &v, "serial")) != TS_OK)
			return ret;
		rr->rd.soa.mname = z->n1.text;
		rr->rd.soa.mname_len = z->n1.len;
		rr->rd.soa.rname = z->n2.text;
		rr->rd.soa.rname_len = z->n2.len;
		rr->rd.soa.serial = (uint32_t)v;
		if ((ret = want_ttl(z, c, &rr->rd.soa.refresh, "refresh")) != TS_OK ||
		    (ret = want_ttl(z, c, &rr->rd.soa.retry, "retry")) != TS_OK ||
		    (ret = want_ttl(z, c, &rr->rd.soa.expire, "expire")) != TS_OK ||
		    (ret = want_ttl(z, c, &rr->rd.soa.minimum, "minimum")) != TS_OK)
			return ret;
		return want_eol(z, c);
	case ZONE_T_RRSIG:
		if ((ret = want_word(z, c, &t, "type covered")) != TS_OK)
			return ret;
		if (zone_type_from_text(t.s, t.n, &rr->rd.rrsig.type_covered) != TS_OK)
			return zerr(z, c, t.s, TS_ESYNTAX, "unknown type '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		if ((ret = want_word(z, c, &t, "algorithm")) != TS_OK)
			return ret;
		if (!parse_alg(t.s, t.n, &rr->rd.rrsig.algorithm))
			return zerr(z, c, t.s, TS_ESYNTAX, "bad algorithm '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		if ((ret = want_num(z, c, 255, &v, "labels")) != TS_OK)
			return ret;
		rr->rd.rrsig.labels = (uint8_t)v;
		if ((ret = want_ttl(z, c, &rr->rd.rrsig.original_ttl, "original TTL")) != TS_OK)
			return ret;
		if ((ret = want_word(z, c, &t, "expiration")) != TS_OK)
			return ret;
		if (!parse_sigtime(t.s, t.n, &rr->rd.rrsig.expiration))
			return zerr(z, c, t.s, TS_ESYNTAX, "bad signature expiration '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		if ((ret = want_word(z, c, &t, "inception")) != TS_OK)
			return ret;
		if (!parse_sigtime(t.s, t.n, &rr->rd.rrsig.inception))
			return zerr(z, c, t.s, TS_ESYNTAX, "bad signature inception '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		if ((ret = want_num(z, c, 65535, &v, "key tag")) != TS_OK)
			return ret;
		rr->rd.rrsig.key_tag = (uint16_t)v;
		if ((ret = want_name(z, c, &z->n1, "signer")) != TS_OK)
			return ret;
		return skip_eol(z, c);  /* the signature: base64, not checked */
	case ZONE_T_A:
	case ZONE_T_AAAA: {
		char buf[64];
		if ((ret = want_word(z, c, &t, "address")) != TS_OK)
			return ret;
		int af = type == ZONE_T_A ? AF_INET : AF_INET6;
		if (t.n >= sizeof(buf))
			return zerr(z, c, t.s, TS_ESYNTAX, "bad address");
		memcpy(buf, t.s, t.n);
		buf[t.n] = '\0';
		if (inet_pton(af, buf, rr->rd.addr.bytes) != 1)
			return zerr(z, c, t.s, TS_ESYNTAX, "bad %s address '%s'", type == ZONE_T_A ? "IPv4" : "IPv6", buf);
		rr->rd.addr.len = type == ZONE_T_A ? 4 : 16;
		return want_eol(z, c);
	}
	default:
		return skip_eol(z, c);
	}
}

/* ZONE_DEC_TEXT: the RDATA's tokens from `c` (a copy of the cursor at the
 * RDATA's start) to the end of the record, joined by single spaces. The record
 * was parsed already, so the tokens are all in the block and well formed, and
 * they fit in z->text (a record is at most ZONE_HEAD bytes). */
static void rdata_tokens(zscan_t *z, cur_t *c)
{
	size_t n = 0;
	tok_t t;
	while (next_tok(z, c, &t) == TS_OK && t.kind != TK_EOL) {
		size_t need = t.n + (n > 0) + (t.kind == TK_QUOTED ? 2u : 0u);
		if (n + need > ZONE_HEAD)
			break;
		if (n > 0)
			z->text[n++] = ' ';
		if (t.kind == TK_QUOTED)
			z->text[n++] = '"';
		memcpy(z->text + n, t.s, t.n);
		n += t.n;
		if (t.kind == TK_QUOTED)
			z->text[n++] = '"';
	}
	z->text[n] = '\0';
	z->rr.rdata = z->text;
	z->rr.rdata_len = n;
}

/* ---------------------------------------------------------------- directives */

static int push_include(zscan_t *z, cur_t *c, const tok_t *ft, const name_t *origin)
{
	zsrc_t *s = z->top;
	char path[4096];
	const char *fat = ft->kind == TK_QUOTED ? ft->s - 1 : ft->s;  /* for messages */
	if (ft->n == 0 || ft->n >= 2048)
		return zerr(z, c, fat, TS_EINPUT, "bad $INCLUDE file name");
	/* names are taken literally, but \X escapes are undone */
	char fname[2048];
	size_t fl = 0;
	for (size_t i = 0; i < ft->n; i++) {
		if (ft->s[i] == '\\' && i + 1 < ft->n)
			i++;
		fname[fl++] = ft->s[i];
	}
	fname[fl] = '\0';
	const char *slash = strrchr(s->name, '/');
	/* a relative path is taken from the including file's directory */
	if (fname[0] != '/' && slash != NULL)
		snprintf(path, sizeof(path), "%.*s/%s", (int)(slash - s->name), s->name, fname);
	else
		snprintf(path, sizeof(path), "%s", fname);
	if (z->o->no_include)
		return zerr(z, c, fat, TS_EINPUT, "$INCLUDE is switched off (--no-include)");
	if (z->depth >= z->max_depth)
		return zerr(z, c, fat, TS_EINPUT, "$INCLUDE nested deeper than %u files", z->max_depth);
	struct stat st;
	if (stat(path, &st) != 0)
		return zerr(z, c, fat, TS_EINPUT, "$INCLUDE %s: cannot open: %s", path, strerror(errno));
	if (S_ISDIR(st.st_mode))
		return zerr(z, c, fat, TS_EINPUT, "$INCLUDE %s: cannot open: is a directory", path);
	for (const zsrc_t *u = s; u != NULL; u = u->up) {
		if (u->have_id && u->dev == st.st_dev && u->ino == st.st_ino)
			return zerr(z, c, fat, TS_EINPUT, "$INCLUDE loop: %s is already being read", path);
	}
	ts_input_t *in = NULL;
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	zsrc_t *ns = NULL;
	ret = src_new(&ns, in, path, false, 1, 0);
	if (ret != TS_OK)
		return ret;
	ns->dev = st.st_dev;
	ns->ino = st.st_ino;
	ns->have_id = true;
	ns->saved_origin = z->origin;
	ns->restore_origin = true;
	ns->incl = ZONE_RR_INCLUDED;
	if (origin != NULL)
		z->origin = *origin;
	z->origin_gen++;
	ns->up = s;
	z->top = ns;
	z->depth++;
	return TS_OK;
}

/* A line starting with '$'. */
static int directive(zscan_t *z, cur_t *c)
{
	tok_t d, t;
	TOK(&d);
	int ret;
	if (d.n == 7 && ieq(d.s, "$ORIGIN", 7)) {
		if ((ret = want_word(z, c, &t, "origin")) != TS_OK)
			return ret;
		if ((ret = tok_name(z, c, &t, &z->origin, &z->n1)) != TS_OK)
			return ret;
		if ((ret = want_eol(z, c)) != TS_OK)
			return ret;
		z->origin = z->n1;
		z->origin_gen++;
		return TS_OK;
	}
	if (d.n == 4 && ieq(d.s, "$TTL", 4)) {
		uint32_t ttl;
		if ((ret = want_ttl(z, c, &ttl, "TTL")) != TS_OK)
			return ret;
		if ((ret = want_eol(z, c)) != TS_OK)
			return ret;
		z->have_ttl_dir = true;
		z->ttl_dir = ttl;
		return TS_OK;
	}
	if (d.n == 8 && ieq(d.s, "$INCLUDE", 8)) {
		if (z->w != NULL && work_spec(z->w))
			return Z_YIELD;  /* included files are read by the in-order pass */
		TOK(&t);
		cur_t fpos = *c;  /* the file name's line, for messages */
		if (t.kind == TK_EOL)
			return zerr(z, c, t.s, TS_ESYNTAX, "$INCLUDE needs a file name");
		tok_t o;
		TOK(&o);
		bool have_origin = o.kind == TK_WORD;
		if (o.kind == TK_QUOTED)
			return zerr(z, c, o.s - 1, TS_ESYNTAX, "bad $INCLUDE origin");
		if (have_origin) {
			if ((ret = tok_name(z, c, &o, &z->origin, &z->n2)) != TS_OK)
				return ret;
			if ((ret = want_eol(z, c)) != TS_OK)
				return ret;
		}
		/* commit the cursor in the including file before switching */
		zsrc_t *s = z->top;
		s->p = c->p;
		s->ls = c->ls;
		s->line = c->line;
		return push_include(z, &fpos, &t, have_origin ? &z->n2 : NULL);
	}
	return zerr(z, c, d.s, TS_ESYNTAX, "unknown directive '%.*s'", (int)(d.n > 40 ? 40 : d.n), d.s);
}

/* ---------------------------------------------------------------- records */

static void commit(zsrc_t *s, const cur_t *c)
{
	s->p = c->p;
	s->ls = c->ls;
	s->line = c->line;
}

/* The record's fields once parsed; its TTL from the record, $TTL, the last
 * TTL or the default (RFC 2308), and how it was found (for a speculative
 * parse, which learns $TTL and the last TTL only later). Its place (pos,
 * span, flags) is the caller's: the fast path writes it early, where its
 * operands are at hand (parse_fast). */
static inline __attribute__((always_inline)) void fill_rr(zscan_t *z, zone_rr_t *rr, const name_t *owner,
                                                          uint16_t type, uint16_t rclass, bool have_ttl,
                                                          uint32_t ttl, const zsrc_t *s, unsigned long line)
{
	uint8_t ttl_from = 0;
	if (have_ttl) {
		z->have_last_ttl = true;
		z->last_ttl = ttl;
	} else {
		ttl = z->have_ttl_dir ? z->ttl_dir : z->have_last_ttl ? z->last_ttl : z->o->default_ttl;
		ttl_from = z->have_ttl_dir ? 0 : z->have_last_ttl ? TTLF_PENDING | TTLF_LOCAL : TTLF_PENDING;
	}
	z->ttl_from = ttl_from;
	rr->owner = owner->text;
	rr->owner_len = owner->len;
	rr->origin = z->origin.text;
	rr->origin_len = z->origin.len;
	rr->type = type;
	rr->rclass = rclass;
	rr->ttl = ttl;
	rr->file = s->name;
	rr->line = line;
}

/* The record's place in the text of source s: `span` bytes at `pos`, from
 * its first line's start through the line end that ends it; its flags. */
_Static_assert(ZONE_RR_BLANK_OWNER == 1u && ZONE_RR_TTL_STATED == 2u && ZONE_RR_TTL_DIR == 4u,
               "the flags are made from bools by shifting");
static inline void place_rr(const zscan_t *z, zone_rr_t *rr, const zsrc_t *s, uint64_t pos, uint32_t span,
                            bool blank_owner, bool have_ttl)
{
	rr->pos = pos;
	rr->span = span;
	rr->flags = (uint8_t)((unsigned)blank_owner | (unsigned)have_ttl << 1 | (unsigned)z->have_ttl_dir << 2 |
	                      s->incl);
}

/* A written-out owner becomes the current one (the old buffer is the next
 * record's scratch); then the record goes out. */
static inline __attribute__((always_inline)) int take_owner_emit(zscan_t *z, zone_rr_t *rr, name_t *owner,
                                                                 bool blank_owner)
{
	if (!blank_owner) {
		z->owner_new = z->owner;
		z->owner = owner;
		z->have_owner = true;
		z->owner_gen++;
	}
	return emit(z, rr);
}

/* Parses one line or record at the committed position of the top source. */
static int parse_one(zscan_t *z)
{
	zsrc_t *s = z->top;
	cur_t cc = { .p = s->p, .ls = s->ls, .line = s->line };
	cur_t *c = &cc;
	const char *p = c->p;
	unsigned char ch = (unsigned char)*p;
	int ret;
	tok_t t;

	/* the fast common case first: an owner name at the start of the line */
	bool blank_owner = false;
	switch (cls[ch]) {
	case C_WORD:
		if (ch == '$') {
			ret = directive(z, c);
			if (ret == TS_OK && z->top == s)
				commit(s, c);
			return ret;
		}
		break;
	case C_ESC:
		break;
	case C_NL:
		c->p = p + 1;
		c->ls = c->p;
		c->line++;
		commit(s, c);
		return TS_OK;
	case C_SEMI:
	case C_BLANK:
	case C_OPEN:
	case C_CLOSE:
		blank_owner = true;
		break;
	case C_NUL:
		if (p == s->end)
			return s->eof ? P_DONE : P_MORE;
		return binary_error(z, c, p);
	case C_QUOTE:
	default:
		return zerr(z, c, p, TS_ESYNTAX, "an owner name cannot be quoted");
	}

	unsigned long line = c->line;
	name_t *owner;
	if (blank_owner) {
		TOK(&t);
		if (t.kind == TK_EOL) {  /* blanks or a comment only */
			commit(s, c);
			return TS_OK;
		}
		if (!z->have_owner)
			return zerr(z, c, p, TS_ESYNTAX, "no previous owner for a line that starts with a blank");
		owner = z->owner;
	} else {
		TOK(&t);
		if ((ret = tok_name(z, c, &t, &z->origin, z->owner_new)) != TS_OK)
			return ret;
		owner = z->owner_new;
		TOK(&t);
	}

	/* [TTL] [class] type, TTL and class in either order */
	bool have_ttl = false, have_class = false;
	uint32_t ttl = 0;
	uint16_t rclass = 1, type = 0;
	for (;;) {
		if (t.kind != TK_WORD)
			return zerr(z, c, t.kind == TK_QUOTED ? t.s - 1 : t.s, TS_ESYNTAX, "record type expected");
		unsigned char f = (unsigned char)t.s[0];
		if (f >= '0' && f <= '9') {
			if (have_ttl || !parse_ttl(t.s, t.n, &ttl))
				return zerr(z, c, t.s, TS_ESYNTAX, "bad TTL '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
			have_ttl = true;
		} else if (!have_class && parse_class(t.s, t.n, &rclass)) {
			have_class = true;
		} else if (zone_type_from_text(t.s, t.n, &type) == TS_OK) {
			break;
		} else {
			return zerr(z, c, t.s, TS_ESYNTAX, "unknown record type '%.*s'", (int)(t.n > 40 ? 40 : t.n), t.s);
		}
		TOK(&t);
	}

	/* RDATA */
	zone_rr_t *rr = &z->rr;
	bool decode = (z->o->decode & dec_bit(type)) != 0;
	rr->decoded = decode;
	const char *rstart = c->p;
	cur_t rcur = *c;           /* the RDATA's start, for ZONE_DEC_TEXT */
	TOK(&t);
	if (t.kind == TK_WORD && t.n == 2 && t.s[0] == '\\' && t.s[1] == '#') {
		ret = rdata_generic(z, c, &t, type, decode);
	} else if (t.kind == TK_EOL) {
		ret = zerr(z, c, rstart, TS_ESYNTAX, "RDATA expected");
	} else {
		c->p = t.kind == TK_QUOTED ? t.s - 1 : t.s;  /* give the token back */
		ret = decode ? rdata_text(z, c, type) : skip_eol(z, c);
	}
	if (ret != TS_OK)
		return ret;
	if ((z->o->decode & ZONE_DEC_TEXT) != 0)
		rdata_tokens(z, &rcur);

	fill_rr(z, rr, owner, type, rclass, have_ttl, ttl, s, line);
	place_rr(z, rr, s, src_off(s, s->p), (uint32_t)(c->p - s->p), blank_owner, have_ttl);
	if ((size_t)(c->p - s->p) > ZONE_HEAD) {
		/* the same bound wherever the record lies, not only across blocks */
		zlog_pos(z, s->name, line, 1, "record longer than %u bytes", ZONE_HEAD);
		return TS_ELIMIT;
	}
	commit(s, c);
	return take_owner_emit(z, rr, owner, blank_owner);
}

/* ---------------------------------------------------------------- fast path
 *
 * Most lines of a TLD zone are one record on one line without quotes or
 * escapes. For those, SIMD compares over each 64-byte chunk of the block
 * give the positions of word starts, word ends and structure (line ends,
 * special bytes) once, in three streams read ahead; a record is its next
 * line end and the words before it, and names are lower-cased and checked
 * 16 (or 64) bytes at a time. Anything unusual (and every error) goes to the
 * general parser above, which parses the record again from its start and
 * reports the position. */
#if defined(__SSE2__)

#define FAST_NO 3          /* not for the fast path: use the general parser */
#define FAST_MAX_TOK 16
#define FAST_MAX_EV  64   /* structure events read ahead for a record */
#define FAST_MAX_SPAN 4096u /* longer records: the general path */
#define FAST_MAX_COM 4     /* comments in a record */

/* The events of the fast path, from each 64-byte chunk's masks of non-word
 * bytes (every byte up to ' ', and ( ) ; " \) and blanks (space, tab), in
 * three streams of positions (from s->mg): word starts, word ends (the
 * first byte after each word: the n-th end belongs to the n-th start), and
 * structure (line ends and special bytes: every non-word byte but a blank).
 * A chunk's entries may be followed by up to 64 scratch entries. */
typedef struct evmask {
	uint64_t s, e, x;
} evmask_t;

static inline evmask_t chunk_events(uint64_t nonword, uint64_t blank, uint64_t *carry)
{
	uint64_t word = ~nonword;
	uint64_t prev = word << 1 | *carry;
	*carry = word >> 63;
	evmask_t m = { .s = word & ~prev, .e = ~word & prev, .x = nonword & ~blank };
	return m;
}

static inline unsigned popcount64(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555ull);
	x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
	return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Writes the positions base + i of the bits i of e to out (up to 4 entries
 * past the count are scratch); returns the count. */
static inline unsigned flatten(uint32_t *out, uint32_t base, uint64_t e)
{
	unsigned cnt = popcount64(e);
	uint32_t *o = out;
	for (;;) {
		/* the top bit keeps ctz defined once e is empty */
		o[0] = base + (uint32_t)__builtin_ctzll(e | (uint64_t)1 << 63);
		e &= e - 1;
		o[1] = base + (uint32_t)__builtin_ctzll(e | (uint64_t)1 << 63);
		e &= e - 1;
		o[2] = base + (uint32_t)__builtin_ctzll(e | (uint64_t)1 << 63);
		e &= e - 1;
		o[3] = base + (uint32_t)__builtin_ctzll(e | (uint64_t)1 << 63);
		e &= e - 1;
		if (e == 0)
			break;
		o += 4;
	}
	return cnt;
}

typedef struct evcount {
	unsigned s, e, x;
} evcount_t;

/* SSE2: the events of chunks [c, c_end) of the text at mg. */
static evcount_t events_sse2(const char *mg, uint64_t c, uint64_t c_end, uint64_t *carry,
                             uint32_t *os, uint32_t *oe, uint32_t *ox)
{
	const __m128i c20 = _mm_set1_epi8(0x20), sp = _mm_set1_epi8(' '), tb = _mm_set1_epi8('\t');
	const __m128i op = _mm_set1_epi8('('), cp = _mm_set1_epi8(')'), sc = _mm_set1_epi8(';');
	const __m128i qu = _mm_set1_epi8('"'), bs = _mm_set1_epi8('\\');
	evcount_t n = { 0, 0, 0 };
	uint64_t cy = *carry;
	for (; c < c_end; c++) {
		const char *p = mg + 64 * c;
		uint64_t nw = 0, bl = 0;
		for (unsigned i = 0; i < 4; i++) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(p + 16 * i));
			__m128i b = _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, tb));
			__m128i x = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, op), _mm_cmpeq_epi8(v, cp)),
			                         _mm_or_si128(_mm_cmpeq_epi8(v, sc), _mm_cmpeq_epi8(v, qu)));
			x = _mm_or_si128(x, _mm_or_si128(_mm_cmpeq_epi8(v, bs), _mm_cmpeq_epi8(_mm_min_epu8(v, c20), v)));
			nw |= (uint64_t)(unsigned)_mm_movemask_epi8(x) << (16 * i);
			bl |= (uint64_t)(unsigned)_mm_movemask_epi8(b) << (16 * i);
		}
		evmask_t m = chunk_events(nw, bl, &cy);
		uint32_t base = (uint32_t)(64 * c);
		n.s += flatten(os + n.s, base, m.s);
		n.e += flatten(oe + n.e, base, m.e);
		n.x += flatten(ox + n.x, base, m.x);
	}
	*carry = cy;
	return n;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define ZONE_X86_DISPATCH 1
#include <immintrin.h>

/* AVX2 with BMI1 and POPCNT: the masks 32 bytes at a time, the positions
 * with tzcnt (defined for 0: no guard bit). */
__attribute__((target("avx2,bmi,popcnt")))
static inline unsigned flatten_bmi(uint32_t *out, uint32_t base, uint64_t e)
{
	unsigned cnt = (unsigned)_mm_popcnt_u64(e);
	uint32_t *o = out;
	for (;;) {
		o[0] = base + (uint32_t)_tzcnt_u64(e);
		e = _blsr_u64(e);
		o[1] = base + (uint32_t)_tzcnt_u64(e);
		e = _blsr_u64(e);
		o[2] = base + (uint32_t)_tzcnt_u64(e);
		e = _blsr_u64(e);
		o[3] = base + (uint32_t)_tzcnt_u64(e);
		e = _blsr_u64(e);
		if (e == 0)
			break;
		o += 4;
	}
	return cnt;
}

__attribute__((target("avx2,bmi,popcnt")))
static evcount_t events_avx2(const char *mg, uint64_t c, uint64_t c_end, uint64_t *carry,
                             uint32_t *os, uint32_t *oe, uint32_t *ox)
{
	const __m256i c20 = _mm256_set1_epi8(0x20), sp = _mm256_set1_epi8(' '), tb = _mm256_set1_epi8('\t');
	const __m256i op = _mm256_set1_epi8('('), cp = _mm256_set1_epi8(')'), sc = _mm256_set1_epi8(';');
	const __m256i qu = _mm256_set1_epi8('"'), bs = _mm256_set1_epi8('\\');
	evcount_t n = { 0, 0, 0 };
	uint64_t cy = *carry;
	for (; c < c_end; c++) {
		const char *p = mg + 64 * c;
		uint64_t nw = 0, bl = 0;
		for (unsigned i = 0; i < 2; i++) {
			__m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(p + 32 * i));
			__m256i b = _mm256_or_si256(_mm256_cmpeq_epi8(v, sp), _mm256_cmpeq_epi8(v, tb));
			__m256i x = _mm256_or_si256(_mm256_or_si256(_mm256_cmpeq_epi8(v, op), _mm256_cmpeq_epi8(v, cp)),
			                            _mm256_or_si256(_mm256_cmpeq_epi8(v, sc), _mm256_cmpeq_epi8(v, qu)));
			x = _mm256_or_si256(x, _mm256_or_si256(_mm256_cmpeq_epi8(v, bs),
			                                       _mm256_cmpeq_epi8(_mm256_min_epu8(v, c20), v)));
			nw |= (uint64_t)(uint32_t)_mm256_movemask_epi8(x) << (32 * i);
			bl |= (uint64_t)(uint32_t)_mm256_movemask_epi8(b) << (32 * i);
		}
		evmask_t m = chunk_events(nw, bl, &cy);
		uint32_t base = (uint32_t)(64 * c);
		n.s += flatten_bmi(os + n.s, base, m.s);
		n.e += flatten_bmi(oe + n.e, base, m.e);
		n.x += flatten_bmi(ox + n.x, base, m.x);
	}
	*carry = cy;
	return n;
}

/* Writes the positions base + i of the bits i of e, from the byte indexes
 * compressed in pos: 16 entries, 64 when there are more than 16. */
__attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,popcnt")))
static inline unsigned widen_avx512(uint32_t *o, __m512i base, __m512i pos, uint64_t e)
{
	_mm512_storeu_si512((void *)o, _mm512_add_epi32(base, _mm512_cvtepu8_epi32(_mm512_castsi512_si128(pos))));
	unsigned cnt = (unsigned)_mm_popcnt_u64(e);
	if (cnt > 16) {
		_mm512_storeu_si512((void *)(o + 16),
		                    _mm512_add_epi32(base, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 1))));
		_mm512_storeu_si512((void *)(o + 32),
		                    _mm512_add_epi32(base, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 2))));
		_mm512_storeu_si512((void *)(o + 48),
		                    _mm512_add_epi32(base, _mm512_cvtepu8_epi32(_mm512_extracti32x4_epi32(pos, 3))));
	}
	return cnt;
}

/* Bit 0: a non-word byte; bit 1: a blank (for the bytes below 0x80). */
static const uint8_t evcls[128] __attribute__((aligned(64))) = {
	[0x00] = 1, [0x01] = 1, [0x02] = 1, [0x03] = 1, [0x04] = 1, [0x05] = 1, [0x06] = 1, [0x07] = 1,
	[0x08] = 1, ['\t'] = 3, ['\n'] = 1, [0x0b] = 1, [0x0c] = 1, [0x0d] = 1, [0x0e] = 1, [0x0f] = 1,
	[0x10] = 1, [0x11] = 1, [0x12] = 1, [0x13] = 1, [0x14] = 1, [0x15] = 1, [0x16] = 1, [0x17] = 1,
	[0x18] = 1, [0x19] = 1, [0x1a] = 1, [0x1b] = 1, [0x1c] = 1, [0x1d] = 1, [0x1e] = 1, [0x1f] = 1,
	[' '] = 3, ['('] = 1, [')'] = 1, [';'] = 1, ['"'] = 1, ['\\'] = 1,
};

/* AVX-512 (BW, VBMI, VBMI2): the classes of 64 bytes from one two-table
 * byte permute, the positions from a byte compress per stream and chunk. */
__attribute__((target("avx512f,avx512bw,avx512vbmi,avx512vbmi2,popcnt")))
static evcount_t events_avx512(const char *mg, uint64_t c, uint64_t c_end, uint64_t *carry,
                               uint32_t *os, uint32_t *oe, uint32_t *ox)
{
	const __m512i t0 = _mm512_load_si512((const void *)evcls);
	const __m512i t1 = _mm512_load_si512((const void *)(evcls + 64));
	const __m512i one = _mm512_set1_epi8(1), two = _mm512_set1_epi8(2);
	const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48,
	                                     47, 46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32,
	                                     31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16,
	                                     15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
	evcount_t n = { 0, 0, 0 };
	uint64_t cy = *carry;
	for (; c < c_end; c++) {
		__m512i v = _mm512_loadu_si512((const void *)(mg + 64 * c));
		/* bytes from 0x80 up are word bytes: their top bit picks no class */
		__mmask64 ascii = ~_mm512_movepi8_mask(v);
		__m512i k = _mm512_permutex2var_epi8(t0, v, t1);
		uint64_t nw = _mm512_mask_test_epi8_mask(ascii, k, one);
		uint64_t bl = _mm512_mask_test_epi8_mask(ascii, k, two);
		evmask_t m = chunk_events(nw, bl, &cy);
		__m512i base = _mm512_set1_epi32((int)(64 * c));
		n.s += widen_avx512(os + n.s, base, _mm512_maskz_compress_epi8(m.s, iota), m.s);
		n.e += widen_avx512(oe + n.e, base, _mm512_maskz_compress_epi8(m.e, iota), m.e);
		n.x += widen_avx512(ox + n.x, base, _mm512_maskz_compress_epi8(m.x, iota), m.x);
	}
	*carry = cy;
	return n;
}
#endif

/* Which events_* this machine runs: 2 AVX-512, 1 AVX2, 0 SSE2; at most
 * what TLDSEC_ZONE_SIMD says (sse2, avx2: for the tests of each). */
static int zone_simd(void)
{
	int level = 0;
#if defined(ZONE_X86_DISPATCH)
	if (__builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vbmi") &&
	    __builtin_cpu_supports("avx512vbmi2"))
		level = 2;
	else if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") &&
	         __builtin_cpu_supports("popcnt"))
		level = 1;
	const char *env = getenv("TLDSEC_ZONE_SIMD");
	if (env != NULL && strcmp(env, "sse2") == 0)
		level = 0;
	else if (env != NULL && strcmp(env, "avx2") == 0 && level > 1)
		level = 1;
#endif
	return level;
}

/* Reads events ahead: drops those before offset `off` (a line start), then
 * reads chunks until ZONE_EV_FILL structure events or ZONE_EVW_FILL word
 * starts are held or the chunk of the block's sentinel is read. A word start past the
 * last entry (UINT32_MAX) ends the word loops. */
static void ev_refill(zscan_t *z, zsrc_t *s, uint32_t off)
{
	uint32_t x = s->ev_x, w = s->ev_w;
	uint32_t nx = s->ev_nx, nw = s->ev_nw, ne = s->ev_ne;
	while (x < nx && s->evx[x] < off)
		x++;
	while (w < nw && s->evs[w] < off)
		w++;
	nx -= x;
	nw -= w;
	ne -= w < ne ? w : ne;
	memmove(s->evx, s->evx + x, (size_t)nx * sizeof(s->evx[0]));
	memmove(s->evs, s->evs + w, (size_t)nw * sizeof(s->evs[0]));
	memmove(s->eve, s->eve + w, (size_t)ne * sizeof(s->eve[0]));
	if (nx == 0 && nw == 0 && s->ev_chunk < off >> 6) {
		/* the text before `off` was parsed elsewhere */
		s->ev_chunk = off >> 6;
		s->ev_carry = 0;
	}
	uint64_t last = (uint64_t)(s->end - s->mg) >> 6;
	while (nx < ZONE_EV_FILL && nw < ZONE_EVW_FILL && s->ev_chunk <= last) {
		/* a chunk has up to 64 structure events and 32 word starts or ends */
		uint64_t ax = (ZONE_EV_FILL - nx) / 64, aw = (ZONE_EVW_FILL - nw) / 32;
		uint64_t c_end = s->ev_chunk + (ax < aw ? ax : aw) + 1;
		if (c_end > last + 1)
			c_end = last + 1;
		evcount_t n;
#if defined(ZONE_X86_DISPATCH)
		if (z->simd == 2)
			n = events_avx512(s->mg, s->ev_chunk, c_end, &s->ev_carry, s->evs + nw, s->eve + ne,
			                  s->evx + nx);
		else if (z->simd == 1)
			n = events_avx2(s->mg, s->ev_chunk, c_end, &s->ev_carry, s->evs + nw, s->eve + ne,
			                s->evx + nx);
		else
#endif
			n = events_sse2(s->mg, s->ev_chunk, c_end, &s->ev_carry, s->evs + nw, s->eve + ne,
			                s->evx + nx);
		nx += n.x;
		nw += n.s;
		ne += n.e;
		s->ev_chunk = c_end;
	}
	for (unsigned i = 0; i <= 8; i++)
		s->evs[nw + i] = UINT32_MAX;
	/* after a jump, the chunk of `off` may have events before it */
	for (x = 0; x < nx && s->evx[x] < off; x++)
		;
	for (w = 0; w < nw && s->evs[w] < off; w++)
		;
	s->ev_x = x;
	s->ev_w = w;
	s->ev_nx = nx;
	s->ev_nw = nw;
	s->ev_ne = ne;
}

/* The end of fast_name: out->text holds the n bytes of the name, lower
 * case, with ndots dots (the last byte one when absolute); completes it
 * with the origin and sets the lengths. */
static inline __attribute__((always_inline)) bool fast_name_end(size_t n, unsigned ndots, bool absolute,
                                                               const name_t *origin, name_t *out)
{
	size_t len = absolute ? n - 1 : n;
	unsigned labels = ndots + !absolute;
	unsigned wire = (unsigned)len + 2;
	if (!absolute && origin->labels > 0) {
		if (wire + origin->wire - 1 > NAME_MAX_WIRE)
			return false;
		out->text[len] = '.';
		char *dst = out->text + len + 1;
		if (len + 1 + origin->len + 16 <= NAME_TEXT_MAX) {
			/* 16 bytes at a time: the buffers have room past the text */
			for (size_t i = 0; i < origin->len; i += 16)
				_mm_storeu_si128((__m128i *)(void *)(dst + i),
				                 _mm_loadu_si128((const __m128i *)(const void *)(origin->text + i)));
		} else {
			memcpy(dst, origin->text, origin->len);
		}
		len += 1 + origin->len;
		wire += origin->wire - 1;
		labels += origin->labels;
	}
	if (wire > NAME_MAX_WIRE)
		return false;
	out->text[len] = '\0';
	out->len = len;
	out->wire = wire;
	out->labels = labels;
	return true;
}

/* Canonical text of the plain name s[0..n) (letters, digits, - _ * and
 * dots, no escapes), completed with the origin; false when it is not plain
 * or breaks a rule (the general parser then says why). Reads up to 15 bytes
 * past s + n. */
static inline __attribute__((always_inline)) bool fast_name(const char *s, size_t n, const name_t *origin,
                                                           name_t *out)
{
	if (n == 0 || n > 253)
		return false;
	if (n == 1 && (s[0] == '@' || s[0] == '.')) {
		if (s[0] == '.')
			name_root(out);
		else
			*out = *origin;
		return s[0] == '.' || true;
	}
	const __m128i A = _mm_set1_epi8('A'), a = _mm_set1_epi8('a'), zero = _mm_set1_epi8('0');
	const __m128i k25 = _mm_set1_epi8(25), k9 = _mm_set1_epi8(9), k20 = _mm_set1_epi8(0x20);
	const __m128i dash = _mm_set1_epi8('-'), us = _mm_set1_epi8('_'), star = _mm_set1_epi8('*');
	const __m128i dot = _mm_set1_epi8('.');
	unsigned prev = 0;  /* position after the last dot */
	unsigned ndots = 0;
	for (size_t i = 0; i < n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i u = _mm_sub_epi8(v, A);
		__m128i up = _mm_cmpeq_epi8(_mm_min_epu8(u, k25), u);
		v = _mm_add_epi8(v, _mm_and_si128(up, k20));
		__m128i l = _mm_sub_epi8(v, a);
		__m128i ok = _mm_cmpeq_epi8(_mm_min_epu8(l, k25), l);
		__m128i d = _mm_sub_epi8(v, zero);
		ok = _mm_or_si128(ok, _mm_cmpeq_epi8(_mm_min_epu8(d, k9), d));
		ok = _mm_or_si128(ok, _mm_or_si128(_mm_cmpeq_epi8(v, dash), _mm_cmpeq_epi8(v, us)));
		ok = _mm_or_si128(ok, _mm_cmpeq_epi8(v, star));
		__m128i dt = _mm_cmpeq_epi8(v, dot);
		ok = _mm_or_si128(ok, dt);
		unsigned lim = n - i >= 16 ? 0xffffu : (1u << (n - i)) - 1;
		if (((unsigned)_mm_movemask_epi8(ok) & lim) != lim)
			return false;
		_mm_storeu_si128((__m128i *)(void *)(out->text + i), v);
		unsigned dots = (unsigned)_mm_movemask_epi8(dt) & lim;
		while (dots != 0) {
			ndots++;
			unsigned pos = (unsigned)i + (unsigned)__builtin_ctz(dots);
			if (pos == prev || pos - prev > NAME_MAX_LABEL)
				return false;
			prev = pos + 1;
			dots &= dots - 1;
		}
	}
	bool absolute = s[n - 1] == '.';
	if (!absolute && n - prev > NAME_MAX_LABEL)
		return false;
	return fast_name_end(n, ndots, absolute, origin, out);
}

#if defined(ZONE_X86_DISPATCH)
/* Bit 0: a byte of a plain name (letters, digits, - _ * and the dot); bit
 * 1: the dot; bit 2: an upper-case letter (for the bytes below 0x80). */
static const uint8_t namecls[128] __attribute__((aligned(64))) = {
	['-'] = 1, ['_'] = 1, ['*'] = 1, ['.'] = 3,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1, ['g'] = 1, ['h'] = 1, ['i'] = 1,
	['j'] = 1, ['k'] = 1, ['l'] = 1, ['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1, ['y'] = 1, ['z'] = 1,
	['A'] = 5, ['B'] = 5, ['C'] = 5, ['D'] = 5, ['E'] = 5, ['F'] = 5, ['G'] = 5, ['H'] = 5, ['I'] = 5,
	['J'] = 5, ['K'] = 5, ['L'] = 5, ['M'] = 5, ['N'] = 5, ['O'] = 5, ['P'] = 5, ['Q'] = 5, ['R'] = 5,
	['S'] = 5, ['T'] = 5, ['U'] = 5, ['V'] = 5, ['W'] = 5, ['X'] = 5, ['Y'] = 5, ['Z'] = 5,
};

/* fast_name with AVX-512 (BW, VBMI) for names of up to 63 bytes (no label
 * can then be too long): one masked load, a table permute for the classes,
 * the dots as a mask. */
__attribute__((target("avx512f,avx512bw,avx512vbmi,popcnt")))
static bool fast_name_avx512(const char *s, size_t n, const name_t *origin, name_t *out)
{
	if (n == 0 || n > 63 || (n == 1 && (s[0] == '@' || s[0] == '.')))
		return fast_name(s, n, origin, out);
	__mmask64 in = ((__mmask64)1 << n) - 1;
	__m512i v = _mm512_maskz_loadu_epi8(in, s);
	__m512i k = _mm512_permutex2var_epi8(_mm512_load_si512((const void *)namecls), v,
	                                     _mm512_load_si512((const void *)(namecls + 64)));
	__mmask64 ascii = ~_mm512_movepi8_mask(v) & in;
	if (_mm512_mask_test_epi8_mask(ascii, k, _mm512_set1_epi8(1)) != in)
		return false;
	uint64_t dots = _mm512_mask_test_epi8_mask(ascii, k, _mm512_set1_epi8(2));
	/* no empty label: no dot first, no two dots together */
	if ((dots & 1) != 0 || (dots & dots >> 1) != 0)
		return false;
	__mmask64 up = _mm512_mask_test_epi8_mask(ascii, k, _mm512_set1_epi8(4));
	_mm512_mask_storeu_epi8(out->text, in, _mm512_mask_add_epi8(v, up, v, _mm512_set1_epi8(0x20)));
	return fast_name_end(n, (unsigned)_mm_popcnt_u64(dots), (dots >> (n - 1) & 1) != 0, origin, out);
}
#endif

/* fast_name with the origin in effect, AVX-512 where the scan uses it */
static inline __attribute__((always_inline)) bool zfast_name(const zscan_t *z, const char *s, size_t n,
                                                             name_t *out)
{
#if defined(ZONE_X86_DISPATCH)
	if (z->simd == 2)
		return fast_name_avx512(s, n, &z->origin, out);
#endif
	return fast_name(s, n, &z->origin, out);
}

/* The value of the n (1 to 8) decimal digits at w (8 bytes readable);
 * false when they are not all digits. */
static inline bool digits8(const char *w, unsigned n, uint32_t *out)
{
	uint64_t v;
	memcpy(&v, w, 8);
	/* the digits to the top bytes (the last one at the top), '0' below */
	unsigned sh = 8 * (8 - n);
	v = (sh < 64 ? v << sh : 0) | (0x3030303030303030ull & (((uint64_t)1 << sh) - 1));
	if ((v & 0xf0f0f0f0f0f0f0f0ull) != 0x3030303030303030ull ||
	    ((v + 0x0606060606060606ull) & 0xf0f0f0f0f0f0f0f0ull) != 0x3030303030303030ull)
		return false;
	v = (v & 0x0f0f0f0f0f0f0f0full) * 2561 >> 8;
	v = (v & 0x00ff00ff00ff00ffull) * 6553601 >> 16;
	*out = (uint32_t)((v & 0x0000ffff0000ffffull) * 42949672960001ull >> 32);
	return true;
}

static int parse_fast(zscan_t *z, zsrc_t *s)
{
	const char *p = s->p;
	const char *b = s->mg;
	uint32_t off = (uint32_t)(p - b);
	/* read ahead when the structure runs low (unless the words fill the
	 * room: long lines), and after the general parser */
	if ((s->ev_nx - s->ev_x < FAST_MAX_EV &&
	     (s->ev_x == s->ev_nx || s->ev_nw - s->ev_w < ZONE_EVW_FILL / 2)) ||
	    s->evx[s->ev_x] < off || s->evs[s->ev_w] < off)
		ev_refill(z, s, off);
	uint32_t ex = s->ev_x, nx = s->ev_nx;
	if (ex >= nx)
		return FAST_NO;
	unsigned char c0 = (unsigned char)*p;
	bool blank_owner = c0 == ' ' || c0 == '\t';
	if (!blank_owner && (b + s->evx[ex] == p || c0 == '$'))
		return FAST_NO;  /* a blank line, a comment, a directive, ( ... */
	/* the line end outside parentheses; comments */
	uint32_t lend = s->evx[ex++];
	unsigned nlines = 0, ncom = 0;
	uint32_t com[2 * FAST_MAX_COM];
	if (b[lend] != '\n') {
		unsigned depth = 0;
		for (;;) {
			char ch = b[lend];
			if (ch == '\n') {
				if (depth == 0)
					break;
				nlines++;
			} else if (ch == '(' && depth == 0) {
				depth = 1;
			} else if (ch == ')' && depth == 1) {
				depth = 0;
			} else if (ch == ';' && ncom < FAST_MAX_COM) {
				/* nothing but text up to the line end */
				com[2 * ncom] = lend;
				for (;;) {
					if (ex >= nx)
						return FAST_NO;
					unsigned char cc = (unsigned char)b[s->evx[ex]];
					if (cc == '\n')
						break;
					if (cc < 0x20)
						return FAST_NO;
					ex++;
				}
				com[2 * ncom + 1] = s->evx[ex];
				ncom++;
			} else {
				return FAST_NO;
			}
			if (ex >= nx)
				return FAST_NO;
			lend = s->evx[ex++];
		}
	}
	if (lend - off > FAST_MAX_SPAN)
		return FAST_NO;  /* long: the general path */
	/* the record's place, while off is at hand (a record the general
	 * parser takes after all is placed again); ZONE_RR_TTL_STATED below */
	zone_rr_t *rr = &z->rr;
	place_rr(z, rr, s, s->mg_off + off, lend + 1 - off, blank_owner, false);
	/* the words before lend (but those in comments): ts[i] and te[i] */
	uint32_t ew = s->ev_w;
	const uint32_t *ts = s->evs + ew, *te = s->eve + ew;
	unsigned nt;
	uint32_t tsb[FAST_MAX_TOK], teb[FAST_MAX_TOK];
	if (ncom == 0) {
		/* the starts are sorted, and UINT32_MAX for 8 entries after the
		 * last: count the first 8 without branches */
		nt = (ts[0] < lend) + (ts[1] < lend) + (ts[2] < lend) + (ts[3] < lend) + (ts[4] < lend) +
		     (ts[5] < lend) + (ts[6] < lend) + (ts[7] < lend);
		if (nt == 8)
			while (ts[nt] < lend)
				nt++;
		ew += nt;
	} else {
		unsigned ci = 0;
		nt = 0;
		for (; s->evs[ew] < lend; ew++) {
			uint32_t ws = s->evs[ew];
			while (ci < ncom && ws > com[2 * ci + 1])
				ci++;
			if (ci < ncom && ws > com[2 * ci])
				continue;
			tsb[nt & (FAST_MAX_TOK - 1)] = ws;
			teb[nt & (FAST_MAX_TOK - 1)] = s->eve[ew];
			nt++;
		}
		if (nt > FAST_MAX_TOK)
			return FAST_NO;
		ts = tsb;
		te = teb;
	}
	if (nt == 0)
		return FAST_NO;  /* blanks and comments only */
	unsigned t = 0;
	name_t *owner;
	if (blank_owner) {
		if (!z->have_owner)
			return FAST_NO;
		owner = z->owner;
	} else {
		if (!zfast_name(z, p, te[0] - ts[0], z->owner_new))
			return FAST_NO;
		owner = z->owner_new;
		t = 1;
	}
	bool have_ttl = false, have_class = false;
	uint32_t ttl = 0;
	uint16_t rclass = 1, type = 0;
	for (;; t++) {
		if (t >= nt)
			return FAST_NO;
		const char *w = b + ts[t];
		unsigned char f = (unsigned char)w[0];
		if ((te[t] - ts[t]) == 2) {
			/* IN, NS and DS, in any case, make up most of a TLD zone */
			unsigned two = ((unsigned)(unsigned char)w[0] | (unsigned)(unsigned char)w[1] << 8) | 0x2020u;
			if (two == ('i' | 'n' << 8) && !have_class) {
				have_class = true;
				continue;
			}
			if (two == ('n' | 's' << 8)) {
				type = ZONE_T_NS;
				t++;
				break;
			}
			if (two == ('d' | 's' << 8)) {
				type = ZONE_T_DS;
				t++;
				break;
			}
		} else if (te[t] - ts[t] == 1 && (f | 0x20) == 'a') {
			type = ZONE_T_A;
			t++;
			break;
		} else if (te[t] - ts[t] == 4) {
			uint32_t four;
			memcpy(&four, w, 4);
			if ((four | 0x20202020u) == ('a' | 'a' << 8 | 'a' << 16 | (uint32_t)'a' << 24)) {
				type = ZONE_T_AAAA;
				t++;
				break;
			}
		}
		if (f >= '0' && f <= '9') {
			if (have_ttl)
				return FAST_NO;
			/* seconds as up to 8 plain digits, else units (1d2h) */
			uint32_t len = te[t] - ts[t];
			if (len > 8 || !digits8(w, len, &ttl)) {
				if (!parse_ttl(w, len, &ttl))
					return FAST_NO;
			}
			have_ttl = true;
			rr->flags |= ZONE_RR_TTL_STATED;
		} else if (!have_class && parse_class(w, (te[t] - ts[t]), &rclass)) {
			have_class = true;
		} else if (zone_type_from_text(w, (te[t] - ts[t]), &type) == TS_OK) {
			t++;
			break;
		} else {
			return FAST_NO;
		}
	}
	if (t >= nt)
		return FAST_NO;
	if ((te[t] - ts[t]) == 2 && b[ts[t]] == '\\')
		return FAST_NO;  /* RFC 3597 form */
	if ((z->o->decode & ZONE_DEC_TEXT) != 0) {
		size_t n = 0;
		for (unsigned k = t; k < nt; k++) {
			if (k > t)
				z->text[n++] = ' ';
			memcpy(z->text + n, b + ts[k], (te[k] - ts[k]));
			n += (te[k] - ts[k]);
		}
		z->text[n] = '\0';
		rr->rdata = z->text;
		rr->rdata_len = n;
	}
	bool decode = (z->o->decode & dec_bit(type)) != 0;
	rr->decoded = decode;
	if (decode) {
		uint64_t v;
		switch (type) {
		case ZONE_T_NS:
			if (nt - t != 1 || !zfast_name(z, b + ts[t], te[t] - ts[t], &z->n1))
				return FAST_NO;
			rr->rd.ns.name = z->n1.text;
			rr->rd.ns.len = z->n1.len;
			break;
		case ZONE_T_DS: {
			if (nt - t < 4 || !dec(b + ts[t], (te[t] - ts[t]), 65535, &v))
				return FAST_NO;
			rr->rd.ds.key_tag = (uint16_t)v;
			if (!parse_alg(b + ts[t + 1], (te[t + 1] - ts[t + 1]), &rr->rd.ds.algorithm) ||
			    !dec(b + ts[t + 2], (te[t + 2] - ts[t + 2]), 255, &v))
				return FAST_NO;
			rr->rd.ds.digest_type = (uint8_t)v;
			size_t n = 0;
			bool bad = false;
			for (unsigned k = t + 3; k < nt; k++) {
				const unsigned char *h = (const unsigned char *)b + ts[k];
				if ((te[k] - ts[k]) % 2 != 0)
					return FAST_NO;
				for (unsigned i = 0; i < (te[k] - ts[k]); i += 2) {
					unsigned hi = hexv[h[i]], lo = hexv[h[i + 1]];
					bad |= (hi == 0) | (lo == 0);
					z->rdata[n++] = (uint8_t)((hi - 1) << 4 | ((lo - 1) & 0xf));
				}
			}
			if (bad)
				return FAST_NO;
			rr->rd.ds.digest = z->rdata;
			rr->rd.ds.digest_len = n;
			break;
		}
		case ZONE_T_A:
		case ZONE_T_AAAA: {
			char buf[64];
			if (nt - t != 1 || (te[t] - ts[t]) >= sizeof(buf))
				return FAST_NO;
			memcpy(buf, b + ts[t], (te[t] - ts[t]));
			buf[(te[t] - ts[t])] = '\0';
			if (inet_pton(type == ZONE_T_A ? AF_INET : AF_INET6, buf, rr->rd.addr.bytes) != 1)
				return FAST_NO;
			rr->rd.addr.len = type == ZONE_T_A ? 4 : 16;
			break;
		}
		default:
			return FAST_NO;  /* SOA, RRSIG: rare, the general parser decodes them */
		}
	}
	fill_rr(z, rr, owner, type, rclass, have_ttl, ttl, s, s->line);
	s->p = b + lend + 1;
	s->ls = s->p;
	s->line += 1 + nlines;
	s->ev_x = ex;
	s->ev_w = ew;
	return take_owner_emit(z, rr, owner, blank_owner);
}
#endif

/* ---------------------------------------------------------------- driver */

/* In order: tells text_fn that the top-level text before `end` is done,
 * when that moves on (the end of the text, `last`, is told even when it is
 * 0). */
static int text_done(zscan_t *z, uint64_t end, bool last)
{
	if (z->o->text_fn == NULL || (end <= z->text_end && (z->text_called || !last)))
		return TS_OK;
	z->text_called = true;
	z->text_end = end;
	return z->o->text_fn(z->user, end);
}

static int scan(zscan_t *z)
{
	for (;;) {
		int ret;
#if defined(__SSE2__)
		ret = parse_fast(z, z->top);
		if (ret == FAST_NO)
			ret = parse_one(z);
#else
		ret = parse_one(z);
#endif
		if (ret == TS_OK)
			continue;
		zsrc_t *s = z->top;
		if (ret == P_MORE) {
			/* the top-level file moves to its next block: what comes
			 * before its committed position is done */
			if (s->up == NULL && (ret = text_done(z, src_off(s, s->p), false)) != TS_OK)
				return ret;
			ret = src_advance(z, s);
			if (ret != TS_OK)
				return ret;
			continue;
		}
		if (ret == P_DONE) {
			if (s->up == NULL)
				return text_done(z, s->nread, true);
			z->top = s->up;
			z->depth--;
			if (s->restore_origin) {
				z->origin = s->saved_origin;
				z->origin_gen++;
			}
			src_free(&s);
			continue;
		}
		return ret;
	}
}

/* ---------------------------------------------------------------- parallel parse */

#define ZONE_PBLOCK   (256u << 10)              /* default bytes per block */
#define ZONE_TAIL     (ZONE_HEAD + 64u)         /* text after a block its parser may need */
#define ZONE_EV_ROOM  (3u * NAME_TEXT_MAX + ZONE_MAX_RDATA + 256u)  /* the most one unit adds */
#define ZONE_NO_BLOCK UINT64_MAX
#define ZONE_RA_TAIL  4096u                     /* tail read at first from a file or memory */
#define ZONE_PBLOCK_MAX (1u << 30)              /* larger block sizes are taken as this */

enum { EV_REC = 1, EV_ORIGIN, EV_JOURNAL };
#define EV_NO_RUN SIZE_MAX
#define EVF_DECODED 1u
#define EVF_OWNER   2u
#define EVF_PENDING 4u
#define EVF_LOCAL   8u
#define EVF_TEXT    16u

/* 32 bytes, as before pos and span came: the line (within the block) and
 * the offset (from the slot's base) fit in 32 bits, as a block is at most
 * ZONE_PBLOCK_MAX bytes. */
typedef struct evrec {
	uint32_t line;
	uint32_t ttl;
	uint32_t pos;              /* rr->pos - the slot's base */
	uint32_t span;
	uint16_t type, rclass;
	uint16_t owner_len, v1, v2;
	uint8_t flags;             /* EVF_* */
	uint8_t rflags;            /* zone_rr_t.flags */
	uint32_t tlen;             /* EVF_TEXT: rr->rdata_len */
} evrec_t;
_Static_assert(sizeof(evrec_t) == 32, "a kept record's header stays 32 bytes");

typedef struct zpar {
	const zone_opts_t *o;
	zone_rr_fn fn;
	void *user;
	const char *name;
	dev_t dev;
	ino_t ino;
	bool have_id;
	ts_input_t *in;
	/* a plain regular file (fd) or memory (ra_mem) is read at any offset:
	 * each block by its own thread, its tail only as far as needed */
	size_t ev_room;            /* the most one unit adds to a record buffer */
	bool ra;
	int fd;
	const char *ra_mem;
	uint64_t ra_size;
	size_t bsize;
	unsigned nwork, nslot;
	zwork_t *work;
	zslot_t *slot;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_mutex_t rmu;
	/* the reader (rmu) */
	char *carry;               /* text [nom_end - 1, rd_total) of the last block read */
	size_t carry_len;
	uint64_t rd_total;
	uint64_t next_k;
	bool in_eof;
	int rd_err;
	/* the schedule (mu) */
	bool no_more;
	uint64_t next_v;           /* the next block to check */
	bool checking;             /* a thread is checking next_v (and owns `truth`) */
	uint64_t next_ann;         /* text_fn: the next block to tell it about */
	bool announcing;           /* a thread is telling text_fn (announce) */
	bool ann_called;           /* text_fn was called; the last end it was given */
	uint64_t ann_end;
	zstate_t truth;            /* the exact state where block next_v begins */
	name_t hint;               /* the $ORIGIN of the last check: the guess for new blocks */
	uint64_t bad_k;            /* the first block whose result is not TS_OK */
	int bad_code;
	zerrinfo_t bad_err;        /* its message (set: to be logged) */
	_Atomic uint64_t stop_k;   /* = bad_k, read without the lock */
} zpar_t;

static inline bool safe_start(const char *p)
{
	unsigned char ch = (unsigned char)*p;
	return (cls[ch] == C_WORD && ch != '$') || ch == '\\';
}

/* Copies the text s[0..n) and a NUL to d; d has room for 16 bytes more, and
 * s is a name_t's text or the RDATA buffer, readable up to n + 16 when n is
 * small. */
static inline uint8_t *ev_str(uint8_t *d, const char *s, size_t n)
{
#if defined(__SSE2__)
	if (n + 16 <= NAME_TEXT_MAX) {
		for (size_t i = 0; i <= n; i += 16)
			_mm_storeu_si128((__m128i *)(void *)(d + i),
			                 _mm_loadu_si128((const __m128i *)(const void *)(s + i)));
		d[n] = 0;
		return d + n + 1;
	}
#endif
	memcpy(d, s, n);
	d[n] = 0;
	return d + n + 1;
}

/* Keeps a speculative record in the slot's buffer. */
static int ev_put(zscan_t *z, const zone_rr_t *rr)
{
	zwork_t *w = z->w;
	zslot_t *sl = w->slot;
	uint8_t *o = sl->ev + sl->evlen;
	if (z->origin_gen != w->ev_origin_gen) {
		w->ev_origin_gen = z->origin_gen;
		*o++ = EV_ORIGIN;
		memcpy(o, &z->origin, offsetof(name_t, text));
		o += offsetof(name_t, text);
		memcpy(o, z->origin.text, z->origin.len + 1);
		o += z->origin.len + 1;
	}
	/* The header's fields go straight to the buffer: built on the stack
	 * and copied whole, its narrow stores followed by one wide load
	 * stalled store forwarding (half of ev_put's time). */
	uint8_t flags = 0;
	uint16_t v1 = 0, v2 = 0;
	uint32_t tlen = 0;
	const char *v1p = NULL, *v2p = NULL;
	if (rr->decoded) {
		flags |= EVF_DECODED;
		switch (rr->type) {
		case ZONE_T_NS:
			v1p = rr->rd.ns.name;
			v1 = (uint16_t)rr->rd.ns.len;
			break;
		case ZONE_T_DS:
			v1p = (const char *)rr->rd.ds.digest;
			v1 = (uint16_t)rr->rd.ds.digest_len;
			break;
		case ZONE_T_SOA:
			v1p = rr->rd.soa.mname;
			v1 = (uint16_t)rr->rd.soa.mname_len;
			v2p = rr->rd.soa.rname;
			v2 = (uint16_t)rr->rd.soa.rname_len;
			break;
		default:
			break;
		}
	}
	if (z->owner_gen != w->ev_owner_gen) {
		w->ev_owner_gen = z->owner_gen;
		flags |= EVF_OWNER;
	}
	if (z->ttl_from & TTLF_PENDING)
		flags |= EVF_PENDING;
	if (z->ttl_from & TTLF_LOCAL)
		flags |= EVF_LOCAL;
	if ((z->o->decode & ZONE_DEC_TEXT) != 0 && rr->rdata != NULL) {
		flags |= EVF_TEXT;
		tlen = (uint32_t)rr->rdata_len;
	}
	*o++ = EV_REC;
	uint16_t type = rr->type, rclass = rr->rclass, olen = (uint16_t)rr->owner_len;
	uint32_t line = (uint32_t)rr->line, pos = (uint32_t)(rr->pos - sl->base), span = rr->span;
#define EV_SET(field, v) memcpy(o + offsetof(evrec_t, field), &(v), sizeof(v))
	EV_SET(line, line);
	EV_SET(pos, pos);
	EV_SET(span, span);
	EV_SET(rflags, rr->flags);
	EV_SET(ttl, rr->ttl);
	EV_SET(type, type);
	EV_SET(rclass, rclass);
	EV_SET(owner_len, olen);
	EV_SET(v1, v1);
	EV_SET(v2, v2);
	EV_SET(flags, flags);
	EV_SET(tlen, tlen);
#undef EV_SET
	o += sizeof(evrec_t);
	if (flags & EVF_OWNER)
		o = ev_str(o, rr->owner, rr->owner_len);
	if (rr->decoded) {
		if (rr->type != ZONE_T_NS) {
			memcpy(o, &rr->rd, sizeof(rr->rd));
			o += sizeof(rr->rd);
		}
		if (v1p != NULL)
			o = ev_str(o, v1p, v1);
		if (v2p != NULL)
			o = ev_str(o, v2p, v2);
	}
	if (flags & EVF_TEXT)
		o = ev_str(o, rr->rdata, rr->rdata_len);
	sl->evlen = (size_t)(o - sl->ev);
	return TS_OK;
}

int zone_journal_put(zone_journal_t *j, const void *data, size_t len)
{
	if (len > j->room)
		return TS_ELIMIT;
	j->room -= len;
	zslot_t *sl = j->sl;
	if (sl->urun != EV_NO_RUN && sl->uend == sl->evlen) {
		/* the same piece goes on */
		uint32_t n;
		memcpy(&n, sl->ev + sl->urun + 1, sizeof(n));
		n += (uint32_t)len;
		memcpy(sl->ev + sl->urun + 1, &n, sizeof(n));
	} else {
		uint32_t n = (uint32_t)len;
		sl->urun = sl->evlen;
		sl->ev[sl->evlen] = EV_JOURNAL;
		memcpy(sl->ev + sl->evlen + 1, &n, sizeof(n));
		sl->evlen += 1 + sizeof(n);
	}
	memcpy(sl->ev + sl->evlen, data, len);
	sl->evlen += len;
	sl->uend = sl->evlen;
	return TS_OK;
}

uint64_t zone_journal_block(const zone_journal_t *j)
{
	return j->sl->k;
}

static int emit(zscan_t *z, const zone_rr_t *rr)
{
	if (z->w != NULL && z->w->spec) {
		zwork_t *w = z->w;
		if (z->o->spec_fn != NULL && z->o->journal_fn != NULL) {
			w->jr.sl = w->slot;
			w->jr.room = ZONE_JOURNAL_MAX;
			if (z->o->spec_fn(z->user, rr, &w->jr) == 0) {
				w->slot->jrecs++;
				return TS_OK;
			}
		}
		return ev_put(z, rr);
	}
	z->tot.records++;
	return z->fn(z->user, rr);
}

/* Hands the records of a checked speculative block to the callback; `st`
 * is the exact state the block began with. */
static int replay(zpar_t *P, zwork_t *w, const zslot_t *sl, const zstate_t *st)
{
	zone_rr_t rr;
	memset(&rr, 0, sizeof(rr));
	rr.file = P->name;
	rr.worker = w->idx;
	rr.origin = sl->gorigin.text;
	rr.origin_len = sl->gorigin.len;
	w->z->tot.records += sl->jrecs;
	const uint8_t *o = sl->ev, *end = sl->ev + sl->evlen;
	while (o < end) {
		uint8_t kind = *o++;
		if (kind == EV_JOURNAL) {
			uint32_t n;
			memcpy(&n, o, sizeof(n));
			o += sizeof(n);
			if (atomic_load_explicit(&P->stop_k, memory_order_relaxed) < sl->k)
				return TS_OK;
			int ret = P->o->journal_fn(P->user, w->idx, o, n);
			if (ret != TS_OK)
				return ret;
			o += n;
			continue;
		}
		if (kind == EV_ORIGIN) {
			name_t hd;
			memcpy(&hd, o, offsetof(name_t, text));
			o += offsetof(name_t, text);
			rr.origin = (const char *)o;
			rr.origin_len = hd.len;
			o += hd.len + 1;
			continue;
		}
		evrec_t h;
		memcpy(&h, o, sizeof(h));
		o += sizeof(h);
		if (h.flags & EVF_OWNER) {
			rr.owner = (const char *)o;
			rr.owner_len = h.owner_len;
			o += h.owner_len + 1;
		}
		rr.type = h.type;
		rr.rclass = h.rclass;
		rr.line = h.line + st->line - 1;
		rr.pos = sl->base + h.pos;
		rr.span = h.span;
		/* a $TTL before the block is in effect at all of its records */
		rr.flags = (uint8_t)(h.rflags | (st->have_ttl_dir ? ZONE_RR_TTL_DIR : 0u));
		rr.ttl = h.ttl;
		if (h.flags & EVF_PENDING) {
			if (st->have_ttl_dir)
				rr.ttl = st->ttl_dir;
			else if (!(h.flags & EVF_LOCAL) && st->have_last_ttl)
				rr.ttl = st->last_ttl;
		}
		rr.decoded = (h.flags & EVF_DECODED) != 0;
		if (rr.decoded) {
			if (h.type != ZONE_T_NS) {
				memcpy(&rr.rd, o, sizeof(rr.rd));
				o += sizeof(rr.rd);
			}
			switch (h.type) {
			case ZONE_T_NS:
				rr.rd.ns.name = (const char *)o;
				rr.rd.ns.len = h.v1;
				break;
			case ZONE_T_DS:
				rr.rd.ds.digest = o;
				break;
			case ZONE_T_SOA:
				rr.rd.soa.mname = (const char *)o;
				rr.rd.soa.rname = (const char *)o + h.v1 + 1;
				break;
			default:
				break;
			}
			if (h.type == ZONE_T_NS || h.type == ZONE_T_DS || h.type == ZONE_T_SOA)
				o += h.v1 + 1;
			if (h.type == ZONE_T_SOA)
				o += h.v2 + 1;
		}
		rr.rdata = NULL;
		rr.rdata_len = 0;
		if (h.flags & EVF_TEXT) {
			rr.rdata = (const char *)o;
			rr.rdata_len = h.tlen;
			o += h.tlen + 1;
		}
		if (atomic_load_explicit(&P->stop_k, memory_order_relaxed) < sl->k)
			return TS_OK;  /* an earlier block stopped the scan */
		w->z->tot.records++;
		int ret = P->fn(P->user, &rr);
		if (ret != TS_OK)
			return ret;
	}
	return TS_OK;
}

/* Where block k begins. The first block is half as long as the others:
 * the threads then keep half a block apart, so that the start of the block
 * one parses is often checked while it is half done, and the rest of it
 * goes out in order without being kept (go_in_order). */
static uint64_t blk_start(const zpar_t *P, uint64_t k)
{
	uint64_t half = P->bsize > 1 ? P->bsize / 2 : 1;
	return k == 0 ? 0 : half + (k - 1) * P->bsize;
}

/* Random access: text [off, off + n) into dst; *got short at the end. */
static int ra_read(zpar_t *P, uint64_t off, char *dst, size_t n, size_t *got)
{
	*got = 0;
	if (off >= P->ra_size)
		return TS_OK;
	if (n > P->ra_size - off)
		n = (size_t)(P->ra_size - off);
	if (P->ra_mem != NULL) {
		memcpy(dst, P->ra_mem + off, n);
		*got = n;
		return TS_OK;
	}
	while (*got < n) {
		ssize_t r = pread(P->fd, dst + *got, n - *got, (off_t)(off + *got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ts_log(TS_LOG_ERR, "%s: cannot read: %s", P->name, strerror(errno));
			return TS_EIO;
		}
		if (r == 0)
			break;
		*got += (size_t)r;
	}
	return TS_OK;
}

/* Random access: the next block into `sl`, with a short tail. */
static bool fill_ra(zpar_t *P, zslot_t *sl)
{
	pthread_mutex_lock(&P->rmu);
	uint64_t k = P->next_k;
	uint64_t ns = blk_start(P, k), ne = blk_start(P, k + 1);
	if (k > 0 && (P->rd_err != TS_OK || ns >= P->ra_size)) {
		pthread_mutex_unlock(&P->rmu);
		return false;
	}
	P->next_k++;
	pthread_mutex_unlock(&P->rmu);
	sl->k = k;
	sl->nom_start = ns;
	sl->base = k == 0 ? 0 : ns - 1;
	sl->cap_end = ne + ZONE_TAIL < P->ra_size ? ne + ZONE_TAIL : P->ra_size;
	uint64_t want = ne + ZONE_RA_TAIL < sl->cap_end ? ne + ZONE_RA_TAIL : sl->cap_end;
	size_t len = 0;
	sl->fill_err = ra_read(P, sl->base, sl->mem, (size_t)(want - sl->base), &len);
	if (sl->fill_err != TS_OK) {
		pthread_mutex_lock(&P->rmu);
		P->rd_err = sl->fill_err;
		pthread_mutex_unlock(&P->rmu);
	}
	sl->len = len;
	memset(sl->mem + len, 0, 1 + ZONE_PAD);
	sl->eof = sl->base + len >= P->ra_size;
	sl->nom_end = ne < P->ra_size ? ne : P->ra_size;
	sl->last = ne >= P->ra_size;
	sl->raw_pos = sl->nom_end;
	return true;
}

/* Random access: the rest of the slot's tail, when its parser needs it. */
static bool extend_ra(zpar_t *P, zslot_t *sl, zsrc_t *bs)
{
	uint64_t have = sl->base + sl->len;
	if (!P->ra || sl->eof || have >= sl->cap_end)
		return false;
	size_t got = 0;
	if (ra_read(P, have, sl->mem + sl->len, (size_t)(sl->cap_end - have), &got) != TS_OK || got == 0)
		return false;
	sl->len += got;
	memset(sl->mem + sl->len, 0, 1 + ZONE_PAD);
	sl->eof = sl->base + sl->len >= P->ra_size;
	bs->end = sl->mem + sl->len;
	bs->eof = sl->eof;
	src_masks_reset(bs);
	return true;
}

/* Reads the next block into `sl` (in order: one reader at a time); false
 * when there is none. */
static bool fill(zpar_t *P, zslot_t *sl)
{
	if (P->ra)
		return fill_ra(P, sl);
	pthread_mutex_lock(&P->rmu);
	uint64_t k = P->next_k;
	uint64_t ns = blk_start(P, k), ne = blk_start(P, k + 1);
	if (k > 0 && (P->rd_err != TS_OK || (P->in_eof && P->rd_total <= ns))) {
		pthread_mutex_unlock(&P->rmu);
		return false;
	}
	P->next_k++;
	sl->k = k;
	sl->nom_start = ns;
	sl->base = k == 0 ? 0 : ns - 1;
	memcpy(sl->mem, P->carry, P->carry_len);
	size_t len = P->carry_len;
	uint64_t want = ne + ZONE_TAIL;
	sl->fill_err = TS_OK;
	while (!P->in_eof && sl->base + len < want) {
		size_t got = 0;
		int ret = ts_input_read(P->in, sl->mem + len, (size_t)(want - sl->base - len), &got);
		if (ret != TS_OK) {
			P->rd_err = sl->fill_err = ret;
			break;
		}
		if (got == 0)
			P->in_eof = true;
		len += got;
	}
	sl->len = len;
	memset(sl->mem + len, 0, 1 + ZONE_PAD);
	P->rd_total = sl->base + len;
	sl->eof = P->in_eof;
	sl->nom_end = ne < P->rd_total ? ne : P->rd_total;
	sl->last = sl->eof && sl->nom_end >= P->rd_total;
	sl->raw_pos = ts_input_raw_pos(P->in);
	if (!sl->last && sl->fill_err == TS_OK) {
		size_t from = (size_t)(sl->nom_end - 1 - sl->base);
		P->carry_len = len - from;
		memcpy(P->carry, sl->mem + from, P->carry_len);
	}
	pthread_mutex_unlock(&P->rmu);
	return true;
}

/* Sets up the worker's scanner over the slot's text from `at`. */
static void block_src(zwork_t *w, zsrc_t *bs, zslot_t *sl, const char *at, unsigned long line)
{
	zpar_t *P = w->par;
	memset(bs, 0, sizeof(*bs));
	bs->name = (char *)(uintptr_t)P->name;  /* borrowed: never freed */
	bs->dev = P->dev;
	bs->ino = P->ino;
	bs->have_id = P->have_id;
	bs->cur_buf = -1;
	bs->p = bs->ls = at;
	bs->end = sl->mem + sl->len;
	bs->tb = sl->mem;
	bs->tb_off = sl->base;
	src_masks_reset(bs);
	bs->line = line;
	bs->eof = sl->eof;
	w->z->top = bs;
	w->z->depth = 0;
	w->slot = sl;
	w->err = &sl->err;
}

static int replay(zpar_t *P, zwork_t *w, const zslot_t *sl, const zstate_t *st);

/* The speculative parse of the worker's slot learns that its start was
 * right (sl->cstart): hands over the records so far and goes on in order. */
static int go_in_order(zwork_t *w, zsrc_t *bs)
{
	zscan_t *z = w->z;
	zslot_t *sl = w->slot;
	const zstate_t *st = &sl->cstart;
	w->spec = false;
	sl->switched = true;
	int ret = replay(w->par, w, sl, st);
	sl->evlen = 0;
	sl->jrecs = 0;
	sl->urun = EV_NO_RUN;
	/* the block's context over the exact one */
	if (!z->have_ttl_dir) {
		z->have_ttl_dir = st->have_ttl_dir;
		z->ttl_dir = st->ttl_dir;
	}
	if (!z->have_last_ttl) {
		z->have_last_ttl = st->have_last_ttl;
		z->last_ttl = st->last_ttl;
	}
	if (!z->have_owner && st->have_owner) {
		z->have_owner = true;
		*z->owner = st->owner;
	}
	bs->line += st->line - 1;
	return ret;
}

/* Parses the top-level text from bs->p to the first safe line start at or
 * after stop_at (or the end); the state where it stopped is in bs. */
static int scan_block(zscan_t *z, zsrc_t *bs, const char *stop_at, int *why)
{
	zwork_t *w = z->w;
	zpar_t *P = w->par;
	for (;;) {
		int ret;
		if (z->top == bs) {
			if (bs->p >= stop_at && safe_start(bs->p)) {
				*why = W_RULE;
				return TS_OK;
			}
			if (w->spec && atomic_load_explicit(&w->slot->confirm, memory_order_acquire)) {
				int r = go_in_order(w, bs);
				if (r != TS_OK)
					return r;
			}
			if (w->spec) {
				if (w->slot->evcap - w->slot->evlen < P->ev_room) {
					*why = W_YIELD;
					return TS_OK;
				}
				if (atomic_load_explicit(&P->stop_k, memory_order_relaxed) < w->slot->k)
					return TS_EINTERNAL;  /* not needed any more: dropped unseen */
			}
		}
#if defined(__SSE2__)
		ret = parse_fast(z, z->top);
		if (ret == FAST_NO)
			ret = parse_one(z);
#else
		ret = parse_one(z);
#endif
		if (ret == TS_OK)
			continue;
		zsrc_t *s = z->top;
		if (ret == P_MORE) {
			if (s != bs) {
				ret = src_advance(z, s);
				if (ret != TS_OK)
					return ret;
				continue;
			}
			if (extend_ra(P, w->slot, bs))
				continue;
			if (bs->p < stop_at) {
				zlog_pos(z, bs->name, bs->line, 1, "record longer than %u bytes", ZONE_HEAD);
				return TS_ELIMIT;
			}
			*why = W_MORE;
			return TS_OK;
		}
		if (ret == P_DONE) {
			if (s == bs) {
				*why = W_EOF;
				return TS_OK;
			}
			z->top = s->up;
			z->depth--;
			if (s->restore_origin) {
				z->origin = s->saved_origin;
				z->origin_gen++;
			}
			src_free(&s);
			continue;
		}
		if (ret == Z_YIELD) {
			*why = W_YIELD;
			return TS_OK;
		}
		return ret;
	}
}

/* Frees $INCLUDE sources left open by an error. */
static void drop_includes(zscan_t *z, zsrc_t *bs)
{
	while (z->top != NULL && z->top != bs) {
		zsrc_t *s = z->top;
		z->top = s->up;
		src_free(&s);
	}
	z->top = NULL;
	z->depth = 0;
}

static void state_of(const zscan_t *z, const zslot_t *sl, const zsrc_t *bs, zstate_t *st)
{
	st->pos = sl->base + (uint64_t)(bs->p - sl->mem);
	st->line = bs->line;
	st->have_owner = z->have_owner;
	if (z->have_owner)
		st->owner = *z->owner;
	st->have_ttl_dir = z->have_ttl_dir;
	st->ttl_dir = z->ttl_dir;
	st->have_last_ttl = z->have_last_ttl;
	st->last_ttl = z->last_ttl;
	st->origin = z->origin;
}

/* Parses block `sl` in order from the exact state *st (which it advances),
 * delivering the records. */
static int parse_direct(zwork_t *w, zslot_t *sl, zstate_t *st)
{
	zscan_t *z = w->z;
	if (st->pos >= sl->nom_end && !sl->last)
		return TS_OK;  /* the previous block's last record covered this one */
	w->spec = false;
	z->origin = st->origin;
	z->have_owner = st->have_owner;
	if (st->have_owner)
		*z->owner = st->owner;
	z->have_ttl_dir = st->have_ttl_dir;
	z->ttl_dir = st->ttl_dir;
	z->have_last_ttl = st->have_last_ttl;
	z->last_ttl = st->last_ttl;
	zsrc_t bs;
	block_src(w, &bs, sl, sl->mem + (st->pos - sl->base), st->line);
	const char *stop_at = sl->last ? sl->mem + sl->len + 1 : sl->mem + (sl->nom_end - sl->base);
	int why = 0;
	int ret = scan_block(z, &bs, stop_at, &why);
	drop_includes(z, &bs);
	if (ret == TS_OK)
		state_of(z, sl, &bs, st);
	return ret;
}

static void try_confirm(zpar_t *P);

/* Parses block `sl` from its first safe line start, guessing the state. */
static void parse_spec(zwork_t *w, zslot_t *sl)
{
	zscan_t *z = w->z;
	const char *lo = sl->mem + (sl->nom_start - sl->base), *hi = sl->mem + (sl->nom_end - sl->base);
	const char *start = NULL;
	for (const char *q = lo - 1; q + 1 < hi;) {
		const char *nl = memchr(q, '\n', (size_t)(hi - 1 - q));
		if (nl == NULL)
			break;
		if (safe_start(nl + 1)) {
			start = nl + 1;
			break;
		}
		q = nl + 1;
	}
	sl->ret = TS_OK;
	sl->evlen = 0;
	sl->jrecs = 0;
	sl->urun = EV_NO_RUN;
	zpar_t *P = w->par;
	pthread_mutex_lock(&P->mu);
	sl->spec_ok = start != NULL;
	if (start != NULL)
		sl->sstart = sl->base + (uint64_t)(start - sl->mem);
	sl->spec_ready = true;
	try_confirm(P);
	pthread_mutex_unlock(&P->mu);
	if (start == NULL)
		return;
	w->spec = true;
	z->origin = sl->gorigin;
	z->have_owner = false;
	z->have_ttl_dir = false;
	z->have_last_ttl = false;
	w->ev_owner_gen = z->owner_gen;
	w->ev_origin_gen = z->origin_gen;
	zsrc_t bs;
	block_src(w, &bs, sl, start, 1);
	const char *stop_at = sl->last ? sl->mem + sl->len + 1 : hi;
	sl->why = 0;
	sl->ret = scan_block(z, &bs, stop_at, &sl->why);
	drop_includes(z, &bs);
	state_of(z, sl, &bs, &sl->out);
	w->spec = false;
}

static zslot_t *find_slot(zpar_t *P, uint64_t k, int state);

/* With the lock held and no check running: when the next block to check is
 * being parsed from a guessed start, compares the guess with the exact
 * state now, so that its parser can go on in order (go_in_order). */
static void try_confirm(zpar_t *P)
{
	if (P->checking)
		return;
	zslot_t *sl = find_slot(P, P->next_v, S_PARSING);
	if (sl == NULL || sl->direct || !sl->spec_ready || sl->confirm_tried || !sl->spec_ok)
		return;
	sl->confirm_tried = true;
	const zstate_t *T = &P->truth;
	if (sl->sstart != T->pos || sl->gorigin.len != T->origin.len ||
	    memcmp(sl->gorigin.text, T->origin.text, T->origin.len) != 0)
		return;
	sl->cstart = *T;
	atomic_store_explicit(&sl->confirm, 1, memory_order_release);
}

/* Notes a block's result when it is the first bad one in file order. */
static void set_bad(zpar_t *P, uint64_t k, int code, const zerrinfo_t *e, unsigned long base)
{
	pthread_mutex_lock(&P->mu);
	if (k < P->bad_k) {
		P->bad_k = k;
		P->bad_code = code;
		P->bad_err.set = false;
		if (e != NULL && e->set) {
			P->bad_err = *e;
			if (e->rel)
				P->bad_err.line += base - 1;
		}
		atomic_store(&P->stop_k, k);
		P->no_more = true;
		pthread_cond_broadcast(&P->cv);
	}
	pthread_mutex_unlock(&P->mu);
}

/* Checks block `sl` (= next_v) against the exact state and delivers it.
 * Called with P->checking held by this thread, without the lock; releases
 * `checking` (publishing the state for the next block) as early as it can. */
static void check_block(zpar_t *P, zwork_t *w, zslot_t *sl)
{
	zstate_t *T = &P->truth;
	zstate_t start;
	bool do_replay = false;
	int ret = TS_OK;
	if (atomic_load(&P->stop_k) < sl->k) {
		/* an earlier block stopped the scan: nothing of this one is used */
	} else if (sl->fill_err != TS_OK) {
		ret = sl->fill_err;  /* the input logged it */
	} else if (sl->direct) {
		ret = sl->ret;
		if (ret != TS_OK)
			set_bad(P, sl->k, ret, &sl->err, 0);
	} else if (sl->switched) {
		/* its records went out in order from the confirmed start */
		ret = sl->ret;
		if (ret != TS_OK)
			set_bad(P, sl->k, ret, &sl->err, 0);
		else
			*T = sl->out;
	} else if (sl->spec_ok && sl->sstart == T->pos && sl->gorigin.len == T->origin.len &&
	           memcmp(sl->gorigin.text, T->origin.text, T->origin.len) == 0) {
		/* the guess was right */
		start = *T;
		const zstate_t *o = &sl->out;
		T->pos = o->pos;
		T->line = start.line + o->line - 1;
		T->origin = o->origin;
		if (o->have_owner) {
			T->have_owner = true;
			T->owner = o->owner;
		}
		if (o->have_ttl_dir) {
			T->have_ttl_dir = true;
			T->ttl_dir = o->ttl_dir;
		}
		if (o->have_last_ttl) {
			T->have_last_ttl = true;
			T->last_ttl = o->last_ttl;
		}
		do_replay = true;
		if (sl->ret != TS_OK) {
			ret = sl->ret;
			if (ret != TS_EINTERNAL || sl->err.set)
				set_bad(P, sl->k, ret, &sl->err, start.line);
		} else if (sl->why == W_YIELD) {
			/* the rest of the block in order, after its records */
			ret = replay(P, w, sl, &start);
			do_replay = false;
			if (ret != TS_OK)
				set_bad(P, sl->k, ret, NULL, 0);
			else if ((sl->err.set = false, ret = parse_direct(w, sl, T)) != TS_OK)
				set_bad(P, sl->k, ret, &sl->err, 0);
		}
	} else {
		sl->err.set = false;
		ret = parse_direct(w, sl, T);
		if (ret != TS_OK)
			set_bad(P, sl->k, ret, &sl->err, 0);
	}
	if (ret == TS_OK && P->o->progress != NULL)
		P->o->progress(P->o->progress_user, sl->raw_pos, ts_input_raw_size(P->in));
	sl->tend = T->pos;
	pthread_mutex_lock(&P->mu);
	if (ret != TS_OK && sl->fill_err != TS_OK && sl->k < P->bad_k) {
		P->bad_k = sl->k;
		P->bad_code = ret;
		P->bad_err.set = false;
		atomic_store(&P->stop_k, sl->k);
	}
	if (sl->last || ret != TS_OK)
		P->no_more = true;
	P->next_v++;
	P->hint = T->origin;
	P->checking = false;
	pthread_cond_broadcast(&P->cv);
	pthread_mutex_unlock(&P->mu);
	if (do_replay) {
		int r = replay(P, w, sl, &start);
		if (r != TS_OK)
			set_bad(P, sl->k, r, NULL, 0);
	}
}

static zslot_t *find_slot(zpar_t *P, uint64_t k, int state)
{
	for (unsigned i = 0; i < P->nslot; i++) {
		if (P->slot[i].state == state && P->slot[i].k == k)
			return &P->slot[i];
	}
	return NULL;
}

/* With the lock held: tells text_fn, in block order, about the blocks whose
 * records have all been delivered (S_DONE), from whichever thread finishes
 * the lowest one; one thread at a time, without the lock while text_fn
 * runs. The lock, taken after each block's records went out (on any
 * thread), orders their callbacks before the call. Nothing is told after an
 * error or a stop. */
static void announce(zpar_t *P)
{
	if (P->announcing)
		return;
	P->announcing = true;
	for (;;) {
		zslot_t *sl = find_slot(P, P->next_ann, S_DONE);
		if (sl == NULL)
			break;
		uint64_t k = sl->k, end = sl->tend;
		bool last = sl->last;
		sl->state = S_FREE;
		P->next_ann++;
		pthread_cond_broadcast(&P->cv);
		if (P->bad_k != ZONE_NO_BLOCK || (end <= P->ann_end && (P->ann_called || !last)))
			continue;
		P->ann_called = true;
		P->ann_end = end;
		pthread_mutex_unlock(&P->mu);
		int r = P->o->text_fn(P->user, end);
		if (r != TS_OK)
			set_bad(P, k, r, NULL, 0);
		pthread_mutex_lock(&P->mu);
	}
	P->announcing = false;
}

/* With the lock held: checks blocks in order while the next one is parsed. */
static void advance(zpar_t *P, zwork_t *w)
{
	while (!P->checking) {
		zslot_t *sl = find_slot(P, P->next_v, S_PARSED);
		if (sl == NULL) {
			try_confirm(P);
			return;
		}
		P->checking = true;
		sl->state = S_CHECKING;
		pthread_mutex_unlock(&P->mu);
		check_block(P, w, sl);
		pthread_mutex_lock(&P->mu);
		if (P->o->text_fn != NULL) {
			sl->state = S_DONE;
			announce(P);
		} else {
			sl->state = S_FREE;
		}
		pthread_cond_broadcast(&P->cv);
	}
}

static void *worker_main(void *arg)
{
	zwork_t *w = arg;
	zpar_t *P = w->par;
	pthread_mutex_lock(&P->mu);
	for (;;) {
		zslot_t *sl = NULL;
		while (!P->no_more) {
			for (unsigned i = 0; i < P->nslot && sl == NULL; i++) {
				if (P->slot[i].state == S_FREE)
					sl = &P->slot[i];
			}
			if (sl != NULL)
				break;
			pthread_cond_wait(&P->cv, &P->mu);
		}
		if (sl == NULL)
			break;
		sl->state = S_FILL;
		pthread_mutex_unlock(&P->mu);
		bool got = fill(P, sl);
		pthread_mutex_lock(&P->mu);
		if (!got) {
			sl->state = S_FREE;
			P->no_more = true;
			pthread_cond_broadcast(&P->cv);
			break;
		}
		sl->state = S_PARSING;
		sl->spec_ready = false;
		sl->confirm_tried = false;
		sl->switched = false;
		atomic_store(&sl->confirm, 0);
		sl->direct = P->next_v == sl->k && !P->checking && sl->fill_err == TS_OK &&
		             P->bad_k == ZONE_NO_BLOCK;
		if (sl->direct)
			P->checking = true;  /* the exact state is known: parse in order */
		else
			sl->gorigin = P->hint;
		pthread_mutex_unlock(&P->mu);
		if (sl->direct) {
			sl->err.set = false;
			sl->ret = parse_direct(w, sl, &P->truth);
		} else if (sl->fill_err == TS_OK && atomic_load(&P->stop_k) == ZONE_NO_BLOCK) {
			sl->err.set = false;
			parse_spec(w, sl);
		}
		pthread_mutex_lock(&P->mu);
		sl->state = S_PARSED;
		if (sl->direct)
			P->checking = false;
		advance(P, w);
	}
	advance(P, w);
	pthread_mutex_unlock(&P->mu);
	return NULL;
}

static void par_free(zpar_t *P)
{
	for (unsigned i = 0; P->slot != NULL && i < P->nslot; i++) {
		ts_free(P->slot[i].mem);
		ts_free(P->slot[i].ev);
	}
	for (unsigned i = 0; P->work != NULL && i < P->nwork; i++)
		ts_free(P->work[i].z);
	ts_free(P->slot);
	ts_free(P->work);
	ts_free(P->carry);
}

/* The parallel scan of the top-level input; `z` holds the options and the
 * initial $ORIGIN and receives the totals. */
static int run_parallel(zscan_t *z, ts_input_t *in, const char *name, int fd, const void *mem,
                        uint64_t ra_size)
{
	zpar_t *P = ts_calloc(1, sizeof(*P));
	if (P == NULL)
		return TS_ENOMEM;
	int ret = TS_ENOMEM;
	bool mu = false, cv = false, rmu = false;
	P->o = z->o;
	P->fn = z->fn;
	P->user = z->user;
	P->name = name;
	P->in = in;
	P->fd = fd;
	P->ra_mem = mem;
	P->ra_size = ra_size;
	P->ra = fd >= 0 || mem != NULL;
	P->bsize = z->o->block_size != 0 ? z->o->block_size : ZONE_PBLOCK;
	if (P->bsize > ZONE_PBLOCK_MAX)
		P->bsize = ZONE_PBLOCK_MAX;
	/* the RDATA as text can be as long as a record */
	P->ev_room = ZONE_EV_ROOM + ((z->o->decode & ZONE_DEC_TEXT) != 0 ? ZONE_HEAD + 16u : 0u) +
	             (z->o->spec_fn != NULL ? ZONE_JOURNAL_MAX + 8u : 0u);
	P->nwork = z->o->threads > 64 ? 64 : z->o->threads;
	P->nslot = P->nwork + 2;
	P->bad_k = ZONE_NO_BLOCK;
	atomic_init(&P->stop_k, ZONE_NO_BLOCK);
	{
		struct stat st;
		if (strcmp(name, "<stdin>") != 0 && stat(name, &st) == 0) {
			P->dev = st.st_dev;
			P->ino = st.st_ino;
			P->have_id = true;
		}
	}
	P->truth.line = 1;
	P->truth.origin = z->origin;
	P->hint = z->origin;
	P->carry = ts_malloc(ZONE_TAIL + 1);
	P->slot = ts_calloc(P->nslot, sizeof(*P->slot));
	P->work = ts_calloc(P->nwork, sizeof(*P->work));
	if (P->carry == NULL || P->slot == NULL || P->work == NULL)
		goto out;
	for (unsigned i = 0; i < P->nslot; i++) {
		zslot_t *sl = &P->slot[i];
		size_t cap = P->bsize + ZONE_TAIL + 1;
		sl->mem = ts_malloc(cap + 1 + ZONE_PAD);
		sl->evcap = 2 * P->bsize + 2 * P->ev_room;
		sl->ev = ts_malloc(sl->evcap);
		if (sl->mem == NULL || sl->ev == NULL)
			goto out;
		memset(sl->mem + cap, 0, 1 + ZONE_PAD);
	}
	for (unsigned i = 0; i < P->nwork; i++) {
		zwork_t *w = &P->work[i];
		w->par = P;
		w->z = ts_calloc(1, sizeof(zscan_t));
		if (w->z == NULL)
			goto out;
		zscan_t *wz = w->z;
		wz->o = z->o;
		wz->fn = z->fn;
		wz->user = z->user;
		wz->max_depth = z->max_depth;
		wz->simd = z->simd;
		wz->owner = &wz->own_a;
		wz->owner_new = &wz->own_b;
		wz->w = w;
		wz->rr.worker = i;
		w->idx = i;
	}
	if (pthread_mutex_init(&P->mu, NULL) != 0)
		goto out;
	mu = true;
	if (pthread_mutex_init(&P->rmu, NULL) != 0)
		goto out;
	rmu = true;
	if (pthread_cond_init(&P->cv, NULL) != 0)
		goto out;
	cv = true;
	for (unsigned i = 1; i < P->nwork; i++) {
		if (pthread_create(&P->work[i].th, NULL, worker_main, &P->work[i]) != 0)
			break;
		P->work[i].started = true;
	}
	worker_main(&P->work[0]);
	for (unsigned i = 1; i < P->nwork; i++) {
		if (P->work[i].started)
			pthread_join(P->work[i].th, NULL);
	}
	ret = P->bad_k == ZONE_NO_BLOCK ? TS_OK : P->bad_code;
	if (ret != TS_OK && P->bad_err.set)
		ts_log_pos(TS_LOG_ERR, P->bad_err.file, P->bad_err.line, P->bad_err.col, "%s",
		           P->bad_err.msg);
	z->tot.bytes = P->ra ? P->ra_size : P->rd_total;
	for (unsigned i = 0; i < P->nwork; i++) {
		z->tot.records += P->work[i].z->tot.records;
		z->tot.bytes += P->work[i].z->tot.bytes;
	}
out:
	if (cv)
		pthread_cond_destroy(&P->cv);
	if (rmu)
		pthread_mutex_destroy(&P->rmu);
	if (mu)
		pthread_mutex_destroy(&P->mu);
	par_free(P);
	ts_free(P);
	return ret;
}

/* `path` (a file) or `mem` (memory of `mem_len` bytes), when given, may be
 * read at any offset by the parallel parse (plain text only). */
static int run(ts_input_t *in, const char *name, const char *path, const void *mem, size_t mem_len,
               const zone_opts_t *opts, zone_rr_fn fn, void *user, zone_totals_t *totals)
{
	static const zone_opts_t defaults = { .default_ttl = 3600 };
	zscan_t *z = ts_calloc(1, sizeof(*z));
	if (z == NULL) {
		ts_input_close(&in);
		return TS_ENOMEM;
	}
	int ret;
	z->o = opts != NULL ? opts : &defaults;
	z->fn = fn;
	z->user = user;
	z->max_depth = z->o->include_depth != 0 ? z->o->include_depth : TS_MAX_INCLUDE_DEPTH;
#if defined(__SSE2__)
	z->simd = zone_simd();
#endif
	z->owner = &z->own_a;
	z->owner_new = &z->own_b;
	name_root(&z->origin);
	if (z->o->origin != NULL) {
		const char *why;
		size_t at;
		if (name_from_text(z->o->origin, strlen(z->o->origin), NULL, &z->n1, &why, &at) != TS_OK) {
			ts_log(TS_LOG_ERR, "bad origin '%s': %s", z->o->origin, why);
			ts_input_close(&in);
			ret = TS_EINPUT;
			goto out;
		}
		z->origin = z->n1;
	}
	z->tot.gzip = ts_input_is_gzip(in);
	/* memory and regular files up to a block: one block of their size
	 * (plus one byte, to see the end in the same read) */
	uint64_t raw = ts_input_raw_size(in);
	size_t hint = raw > 0 && !z->tot.gzip && raw < ZONE_CHUNK ? (size_t)raw + 1 : 0;
	size_t pblock = z->o->block_size != 0 ? z->o->block_size : ZONE_PBLOCK;
	if (z->o->threads > 1 && z->o->parallel_callback &&
	    (raw == 0 || z->tot.gzip || raw > pblock)) {
		int fd = -1;
		uint64_t ra_size = 0;
		if (!z->tot.gzip && mem != NULL) {
			ra_size = mem_len;
		} else if (!z->tot.gzip && path != NULL) {
			struct stat st;
			fd = open(path, O_RDONLY | O_CLOEXEC);
			if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
				close(fd);
				fd = -1;
			} else if (fd >= 0) {
				ra_size = (uint64_t)st.st_size;
			}
		}
		ret = run_parallel(z, in, name, fd, z->tot.gzip ? NULL : mem, ra_size);
		z->tot.raw_bytes = fd >= 0 || (mem != NULL && !z->tot.gzip) ? ra_size : ts_input_raw_pos(in);
		if (fd >= 0)
			close(fd);
		ts_input_close(&in);
		goto out;
	}
	ret = src_new(&z->top, in, name, true, z->o->threads, hint);
	if (ret != TS_OK)
		goto out;
	{
		struct stat st;
		if (strcmp(name, "-") != 0 && stat(name, &st) == 0) {
			z->top->dev = st.st_dev;
			z->top->ino = st.st_ino;
			z->top->have_id = true;
		}
	}
	ret = scan(z);
	for (zsrc_t *s = z->top; s != NULL;) {
		zsrc_t *up = s->up;
		if (up == NULL)
			z->tot.raw_bytes = ts_input_raw_pos(s->in);
		src_free(&s);
		s = up;
	}
out:
	if (totals != NULL)
		*totals = z->tot;
	ts_free(z);
	return ret;
}

int zone_scan_file(const char *path, const zone_opts_t *opts, zone_rr_fn fn, void *user,
                   zone_totals_t *totals)
{
	ts_input_t *in = NULL;
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	bool std_in = strcmp(path, "-") == 0;
	return run(in, std_in ? "<stdin>" : path, std_in ? NULL : path, NULL, 0, opts, fn, user, totals);
}

int zone_scan_mem(const char *name, const void *data, size_t len, const zone_opts_t *opts,
                  zone_rr_fn fn, void *user, zone_totals_t *totals)
{
	ts_input_t *in = NULL;
	int ret = ts_input_open_mem(&in, name, data, len);
	if (ret != TS_OK)
		return ret;
	return run(in, name, NULL, data, len, opts, fn, user, totals);
}
