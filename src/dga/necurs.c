/* necurs.c — Necurs. A 64-bit mixing function, iterated a data-dependent
 * number of times, is chained through the year, the month, the day of the
 * month divided by four, the name's sequence number and the sample's magic
 * number; the result sets the length, each letter and the TLD. */
#include <stdlib.h>
#include <string.h>

#include "dga/family.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define NECURS_X86 1
#endif

static const char *const necurs_tlds[43] = {
	"tj", "in", "jp", "tw", "ac", "cm", "la", "mn", "so", "sh", "sc", "nu", "nf", "mu",
	"ms", "mx", "ki", "im", "cx", "cc", "tv", "bz", "me", "eu", "de", "ru", "co", "su",
	"pw", "kz", "sx", "us", "ug", "ir", "to", "ga", "com", "net", "org", "biz", "xxx",
	"pro", "bit",
};

/* 21 to 148 rounds, chosen by the low seven bits of the input. */
static inline uint64_t mix(uint64_t v)
{
	uint64_t rounds = (v & 0x7f) + 21;
	for (uint64_t i = 0; i < rounds; i++)
		v += ((v * 7) ^ (v << 15)) + 8 * i - (v >> 5);
	return v;
}

int64_t dga_necurs_period(int64_t day)
{
	dga_date_t d;
	dga_date_of(day, &d);
	return d.year * 10000 + d.month * 100 + (d.day >> 2);
}

/* The mixing function dominates: 30 calls of 21 to 148 dependent rounds for
 * an average name. Running one chain at a time leaves the CPU waiting on
 * each round's result, so NECURS_LANES names are computed side by side, each
 * lane at its own place in its own name: all lanes run as many rounds as the
 * lane nearest to the end of its call still needs, then the lanes whose call
 * ended take their next step. Finished names wait in a ring and are handed
 * out in sequence order, so the output order is the malware's. This is the
 * portable driver; processors with AVX-512 use the wider one below, which
 * produces the same bytes about 2.2 times as fast. */
#define NECURS_LANES 8u
#define NECURS_RING  64u      /* names finished ahead of the next one out */
#define NECURS_LABEL 22u      /* longest label (21) and its NUL */

enum necurs_step { ST_SEQ, ST_MAGIC, ST_CHAR, ST_AFTER, ST_IDLE };

#define NECURS_SCRATCH (NECURS_LABEL + 4) /* >= 24: the wide driver's letters */

typedef struct necurs_slot {
	char name[NECURS_SCRATCH + 1]; /* label, dot, TLD of up to 3 letters; scratch */
	uint8_t len;
	uint8_t done;
} necurs_slot_t;

typedef struct necurs_run {
	uint64_t v[NECURS_LANES];      /* the value being mixed */
	uint64_t k8[NECURS_LANES];     /* 8 * the round number within the call */
	uint64_t rem[NECURS_LANES];    /* rounds left in the call; UINT64_MAX: idle */
	uint32_t seq[NECURS_LANES];
	uint8_t step[NECURS_LANES], pos[NECURS_LANES], len[NECURS_LANES];
	necurs_slot_t ring[NECURS_RING];
	uint64_t base, magic;
	uint32_t next, head, count;
} necurs_run_t;

/* `rounds` rounds of every lane; the lanes are independent chains. */
__attribute__((target_clones("arch=x86-64-v4", "avx2", "default")))
static void necurs_rounds(uint64_t *restrict v, uint64_t *restrict k8, uint64_t rounds)
{
	uint64_t x[NECURS_LANES], k[NECURS_LANES];
	for (unsigned l = 0; l < NECURS_LANES; l++) {
		x[l] = v[l];
		k[l] = k8[l];
	}
	for (uint64_t r = 0; r < rounds; r++) {
		for (unsigned l = 0; l < NECURS_LANES; l++) {
			x[l] += ((x[l] * 7) ^ (x[l] << 15)) + k[l] - (x[l] >> 5);
			k[l] += 8;
		}
	}
	for (unsigned l = 0; l < NECURS_LANES; l++) {
		v[l] = x[l];
		k8[l] = k[l];
	}
}

static void necurs_call(necurs_run_t *r, unsigned l, uint64_t input)
{
	r->v[l] = input;
	r->k8[l] = 0;
	r->rem[l] = (input & 0x7f) + 21;
}

/* Gives lane l the next name, if the ring has room for it. */
static void necurs_assign(necurs_run_t *r, unsigned l)
{
	if (r->next < r->count && r->next - r->head < NECURS_RING) {
		r->seq[l] = r->next++;
		r->step[l] = ST_SEQ;
		necurs_call(r, l, r->base + r->seq[l]);
	} else {
		r->step[l] = ST_IDLE;
		r->rem[l] = UINT64_MAX;
	}
}

/* Lane l's call ended with value n: take the next step of its name. */
static void necurs_step(necurs_run_t *r, unsigned l)
{
	uint64_t n = r->v[l];
	necurs_slot_t *s = &r->ring[r->seq[l] % NECURS_RING];
	switch (r->step[l]) {
	case ST_SEQ:
		r->step[l] = ST_MAGIC;
		necurs_call(r, l, n + r->magic);
		break;
	case ST_MAGIC:
		r->len[l] = (uint8_t)(n % 15 + 7);
		r->pos[l] = 0;
		r->step[l] = ST_CHAR;
		necurs_call(r, l, n);
		break;
	case ST_CHAR:
		s->name[r->pos[l]] = (char)('a' + n % 25);
		r->step[l] = ST_AFTER;
		necurs_call(r, l, n + 0xABBEDF);
		break;
	case ST_AFTER:
		if (++r->pos[l] < r->len[l]) {
			r->step[l] = ST_CHAR;
			necurs_call(r, l, n + r->pos[l]);
			break;
		}
		{
			const char *tld = necurs_tlds[n % 43];
			s->len = (uint8_t)dga_add_tld(s->name, r->len[l], tld, tld[2] == '\0' ? 2 : 3);
			s->done = 1;
		}
		necurs_assign(r, l);
		break;
	default:
		break;
	}
}

/* The portable driver: the lanes advance together by the shortest call. */
static int necurs_run_portable(necurs_run_t *r, dga_sink_t *sink)
{
	for (unsigned l = 0; l < NECURS_LANES; l++)
		necurs_assign(r, l);
	while (r->head < r->count) {
		uint64_t m = UINT64_MAX;
		for (unsigned l = 0; l < NECURS_LANES; l++)
			m = r->rem[l] < m ? r->rem[l] : m;
		necurs_rounds(r->v, r->k8, m);
		for (unsigned l = 0; l < NECURS_LANES; l++) {
			if (r->step[l] == ST_IDLE)
				continue;
			r->rem[l] -= m;
			if (r->rem[l] == 0)
				necurs_step(r, l);
		}
		necurs_slot_t *s;
		while (r->head < r->count && (s = &r->ring[r->head % NECURS_RING])->done) {
			int ret = dga_emit(sink, s->name, s->len);
			if (ret != 0)
				return ret;
			s->done = 0;
			r->head++;
		}
		for (unsigned l = 0; l < NECURS_LANES; l++) {
			if (r->step[l] == ST_IDLE)
				necurs_assign(r, l);
		}
	}
	return 0;
}

#ifdef NECURS_X86
/* The AVX-512 driver. NECURS_VECS vectors of eight lanes stay in registers;
 * every lane runs its own call of its own name. A block is NECURS_BLOCK
 * rounds of every lane, each round's values kept in `hist`, so a lane whose
 * call ended inside the block finds its result there (one masked gather per
 * vector) and the rounds it ran past its end are dropped when its next input
 * is loaded. The calls of a name are numbered: call 0 is M(date + s), 1 is
 * M(n + magic), call 2 + 2j (input n + j) gives letter j, call 3 + 2j has
 * input n + 0xABBEDF, and the TLD comes from the result of call 2 * length
 * + 1, the name's last. Every step but a name's last is taken in vector form,
 * under masks, by all lanes of a vector whose call ended in the block: the
 * next input (n + the addend kept per lane), its round count, after an even
 * call the letter n mod 25 appended as five bits to a 128-bit field per lane,
 * after call 1 the length n mod 15 + 7. A lane whose call ended in the first
 * half of the block starts its next call a few rounds after the half
 * (NECURS_MID, NECURS_RESTART) rather than at the next block, which halves
 * the rounds run past the end of those calls; the rest of its step waits for
 * the block's end. The end of a name (writing it out, taking a new one) is
 * scalar. */
#define NECURS_VECS  4u
#define NECURS_WIDE  (8u * NECURS_VECS)
#define NECURS_BLOCK 48
#define NECURS_MID 24     /* calls ended before this round ... */
#define NECURS_RESTART 28 /* ... start the next here; + 21 > NECURS_BLOCK */
#define NECURS_WRING 128u

#define NECURS_IDLE_REM ((int64_t)1 << 62)

/* The vectors must live in registers: every loop over them is unrolled. */
#define NECURS_UNROLL _Pragma("GCC unroll 8")

typedef struct necurs_wide {
	/* per lane, read and written by the vector steps */
	_Alignas(64) uint64_t call[NECURS_WIDE];  /* the call running */
	_Alignas(64) uint64_t last[NECURS_WIDE];  /* 2 * length + 1; UINT64_MAX before */
	_Alignas(64) uint64_t lo[NECURS_WIDE];    /* the letters, five bits each, */
	_Alignas(64) uint64_t hi[NECURS_WIDE];    /* the latest in the low bits */
	_Alignas(64) uint64_t add[NECURS_WIDE];   /* the next call's input is n + add */
	_Alignas(64) uint64_t res[NECURS_WIDE];   /* the results, for the ends of names */
	uint32_t seq[NECURS_WIDE];
	necurs_slot_t ring[NECURS_WRING];
	uint64_t base, magic;
	uint32_t next, head, count;
} necurs_wide_t;

/* Lane l takes the next name if the ring has room: returns the input of its
 * first call, or UINT64_MAX. */
static uint64_t necurs_wide_take(necurs_wide_t *w, unsigned l)
{
	if (w->next >= w->count || w->next - w->head >= NECURS_WRING)
		return UINT64_MAX;
	w->seq[l] = w->next++;
	w->call[l] = 0;
	w->last[l] = UINT64_MAX;
	w->lo[l] = w->hi[l] = 0;
	w->add[l] = w->magic;
	return w->base + w->seq[l];
}

/* The end of lane l's name, whose last call ended with n: writes the name
 * out and returns the input of the lane's next name, or UINT64_MAX when it
 * has nothing left to do. The letters are five bits each, the latest in the
 * low bits; shifted so that the first is in bits 115..119, eight at a time
 * are spread into bytes (pdep) and put in order (bswap). The 24 bytes
 * written past a short label are scratch: the TLD goes over them. */
__attribute__((target("avx512f,bmi2")))
static uint64_t necurs_wide_end(necurs_wide_t *w, unsigned l, uint64_t n)
{
	necurs_slot_t *s = &w->ring[w->seq[l] % NECURS_WRING];
	unsigned len = (unsigned)(w->last[l] - 1) / 2;
	unsigned __int128 acc = ((unsigned __int128)w->hi[l] << 64 | w->lo[l]) << (5 * (24 - len));
	for (unsigned c = 0; c < 3; c++) {
		uint64_t f = (uint64_t)(acc >> (80 - 40 * c)) & (((uint64_t)1 << 40) - 1);
		uint64_t b = __builtin_bswap64(_pdep_u64(f, 0x1f1f1f1f1f1f1f1full)) + 0x6161616161616161ull;
		memcpy(s->name + 8 * c, &b, 8);
	}
	const char *tld = necurs_tlds[n % 43];
	s->len = (uint8_t)dga_add_tld(s->name, len, tld, tld[2] == '\0' ? 2 : 3);
	s->done = 1;
	return necurs_wide_take(w, l);
}

/* Residues of n for every lane: 2^20 = 1 modulo 75, so folding n at bit 40
 * and then at bit 20 keeps n mod 25 and n mod 15 and leaves s < 2^21 + 16. */
__attribute__((target("avx512f")))
static inline __m512i necurs_fold(__m512i n)
{
	const __m512i m40 = _mm512_set1_epi64(((int64_t)1 << 40) - 1);
	const __m512i m20 = _mm512_set1_epi64(((int64_t)1 << 20) - 1);
	__m512i t = _mm512_add_epi64(_mm512_srli_epi64(n, 40), _mm512_and_si512(n, m40));
	return _mm512_add_epi64(_mm512_srli_epi64(t, 20), _mm512_and_si512(t, m20));
}

/* s mod d for s < 2^30 and d = 15 or 25: the "fastmod" of Lemire, Kaser and
 * Kurz with c = ceil(2^32 / d), where c * d = 2^32 + 4 (d = 25) or 2^32 + 14
 * (d = 15), exact below 2^30 and 2^28. _mm512_mul_epu32 reads the low 32
 * bits of each lane, which drops the high half of c * s by itself. */
#define NECURS_FASTMOD(s, d) \
	_mm512_srli_epi64(_mm512_mul_epu32(_mm512_mul_epu32((s), \
		_mm512_set1_epi64(((int64_t)1 << 32) / (d) + 1)), _mm512_set1_epi64(d)), 32)

/* Rounds r0 .. r1 - 1 of the block, for every lane. */
#define NECURS_ROUNDS(r0, r1) do { \
		for (int r = (r0); r < (r1); r++) { \
			NECURS_UNROLL \
			for (unsigned j = 0; j < NECURS_VECS; j++) { \
				__m512i x_ = v[j]; \
				__m512i a_ = _mm512_sub_epi64(_mm512_slli_epi64(x_, 3), x_); \
				__m512i b_ = _mm512_slli_epi64(x_, 15); \
				__m512i c_ = _mm512_sub_epi64(_mm512_add_epi64(x_, k[j]), _mm512_srli_epi64(x_, 5)); \
				v[j] = _mm512_add_epi64(c_, _mm512_xor_si512(a_, b_)); \
				k[j] = _mm512_add_epi64(k[j], eight); \
				_mm512_store_si512(&hist[r][8 * j], v[j]); \
			} \
		} \
	} while (0)

/* Lane i of vector j starts a call with input x. */
#define NECURS_SET_LANE(j, i, x) do { \
		__mmask8 bit_ = (__mmask8)(1u << (i)); \
		v[j] = _mm512_mask_set1_epi64(v[j], bit_, (int64_t)(x)); \
		k[j] = _mm512_mask_mov_epi64(k[j], bit_, zero); \
		rem[j] = _mm512_mask_set1_epi64(rem[j], bit_, 32 * ((int64_t)((x) & 0x7f) + 21) + (i)); \
	} while (0)

__attribute__((target("avx512f,bmi2")))
static int necurs_run_avx512(uint64_t base, uint64_t magic, uint32_t count, dga_sink_t *sink)
{
	necurs_wide_t w;
	_Alignas(64) uint64_t hist[NECURS_BLOCK][NECURS_WIDE];
	__m512i v[NECURS_VECS], k[NECURS_VECS], rem[NECURS_VECS];
	const __m512i zero = _mm512_setzero_si512(), one = _mm512_set1_epi64(1);
	const __m512i block = _mm512_set1_epi64(32 * NECURS_BLOCK);
	const __m512i eight = _mm512_set1_epi64(8), low7 = _mm512_set1_epi64(0x7f);
	const __m512i lane = _mm512_set_epi64(7, 6, 5, 4, 3, 2, 1, 0);
	const __m512i r21 = _mm512_add_epi64(_mm512_set1_epi64(32 * 21), lane);
	const __m512i r21_early = _mm512_sub_epi64(r21, _mm512_set1_epi64(32 * (NECURS_BLOCK - NECURS_RESTART)));
	const __m512i mid_end = _mm512_add_epi64(_mm512_set1_epi64(32 * NECURS_MID), lane);
	const __m512i abbedf = _mm512_set1_epi64(0xABBEDF), fifteen = _mm512_set1_epi64(15);
	uint32_t idle = 0;

	w.base = base;
	w.magic = magic;
	w.next = w.head = 0;
	w.count = count;
	for (unsigned i = 0; i < NECURS_WRING; i++)
		w.ring[i].done = 0;
	for (unsigned l = 0; l < NECURS_WIDE; l++) {
		w.call[l] = w.last[l] = w.lo[l] = w.hi[l] = w.add[l] = 0;
		idle |= 1u << l;
	}
	NECURS_UNROLL
	for (unsigned j = 0; j < NECURS_VECS; j++) {
		v[j] = zero;
		k[j] = zero;
		rem[j] = _mm512_set1_epi64(NECURS_IDLE_REM);
	}

	/* Names are finished, handed out and taken only after a block in which
	 * some name ended (`ends`), so most blocks go straight to their rounds. */
	uint32_t ends = 1;
	for (;;) {
		if (ends != 0) {
			necurs_slot_t *s;
			while (w.head < count && (s = &w.ring[w.head % NECURS_WRING])->done) {
				int ret = dga_emit(sink, s->name, s->len);
				if (ret != 0)
					return ret;
				s->done = 0;
				w.head++;
			}
			if (w.head >= count)
				break;
		}
		/* Idle lanes take new names once the ring has room again. */
		if (ends != 0 && idle != 0 && w.next < count && w.next - w.head < NECURS_WRING) {
			NECURS_UNROLL
			for (unsigned j = 0; j < NECURS_VECS; j++) {
				uint32_t m = (idle >> (8 * j)) & 0xffu;
				while (m != 0 && w.next < count && w.next - w.head < NECURS_WRING) {
					unsigned i = (unsigned)__builtin_ctz(m);
					m &= m - 1;
					idle &= ~(1u << (8 * j + i));
					uint64_t x = necurs_wide_take(&w, 8 * j + i);
					NECURS_SET_LANE(j, i, x);
				}
			}
		}
		ends = 0;

		/* Lanes whose call ended before round NECURS_MID start their next
		 * call (if it is not a name's end) at round NECURS_RESTART: their
		 * results are gathered at NECURS_MID, the rounds in between hide the
		 * gather's latency. The rest of their step waits for the block's end. */
		__m512i mid[NECURS_VECS];
		__mmask8 early[NECURS_VECS];
		NECURS_ROUNDS(0, NECURS_MID);
		NECURS_UNROLL
		for (unsigned j = 0; j < NECURS_VECS; j++) {
			__mmask8 e = _mm512_cmple_epi64_mask(rem[j], mid_end);
			early[j] = _mm512_mask_cmplt_epu64_mask(e, _mm512_load_si512(&w.call[8 * j]),
			                                        _mm512_load_si512(&w.last[8 * j]));
			mid[j] = _mm512_mask_i64gather_epi64(zero, early[j], _mm512_sub_epi64(rem[j], block),
			                                     &hist[NECURS_BLOCK - 1][8 * j], 8);
		}
		NECURS_ROUNDS(NECURS_MID, NECURS_RESTART);
		NECURS_UNROLL
		for (unsigned j = 0; j < NECURS_VECS; j++) {
			__m512i x = _mm512_add_epi64(mid[j], _mm512_load_si512(&w.add[8 * j]));
			v[j] = _mm512_mask_mov_epi64(v[j], early[j], x);
			k[j] = _mm512_mask_mov_epi64(k[j], early[j], zero);
		}
		NECURS_ROUNDS(NECURS_RESTART, NECURS_BLOCK);

		/* The steps of the lanes whose call ended in this block. */
		uint32_t fin = 0;
		NECURS_UNROLL
		for (unsigned j = 0; j < NECURS_VECS; j++) {
			rem[j] = _mm512_sub_epi64(rem[j], block);
			__mmask8 e = _mm512_cmple_epi64_mask(rem[j], lane);
			/* the result of a call that ended in this block; rem is the index */
			__m512i n = _mm512_mask_i64gather_epi64(zero, e, rem[j], &hist[NECURS_BLOCK - 1][8 * j], 8);
			__m512i call = _mm512_load_si512(&w.call[8 * j]);
			__m512i last = _mm512_load_si512(&w.last[8 * j]);
			__m512i add = _mm512_load_si512(&w.add[8 * j]);
			__mmask8 com = _mm512_mask_cmplt_epu64_mask(e, call, last);
			__mmask8 fin8 = _mm512_mask_cmpge_epu64_mask(e, call, last);
			/* even calls: a letter (call 0's is shifted in too, above the
			 * name's letters, and never read) */
			__mmask8 let = _mm512_mask_testn_epi64_mask(com, call, one);
			__mmask8 c1 = _mm512_mask_cmpeq_epi64_mask(com, call, one);
			__m512i x = _mm512_add_epi64(n, add);
			__mmask8 late = (__mmask8)(com & ~early[j]);
			v[j] = _mm512_mask_mov_epi64(v[j], late, x);
			k[j] = _mm512_mask_mov_epi64(k[j], late, zero);
			/* rounds left: a call started at NECURS_RESTART has run some */
			rem[j] = _mm512_mask_add_epi64(rem[j], com, _mm512_slli_epi64(_mm512_and_si512(x, low7), 5),
			                               _mm512_mask_mov_epi64(r21, early[j], r21_early));
			_mm512_store_si512(&w.call[8 * j], _mm512_mask_add_epi64(call, com, call, one));
			/* the addend for when the call just started (call + 1) ends: if
			 * it is 2j + 3, after letter j, + (j + 1) = call >> 1 (if it is
			 * call 1: + 0); if it is even, + 0xABBEDF */
			add = _mm512_mask_mov_epi64(add, com, _mm512_mask_mov_epi64(abbedf, let, _mm512_srli_epi64(call, 1)));
			_mm512_store_si512(&w.add[8 * j], add);
			__m512i lo = _mm512_load_si512(&w.lo[8 * j]);
			__m512i hi = _mm512_load_si512(&w.hi[8 * j]);
			hi = _mm512_mask_or_epi64(hi, let, _mm512_slli_epi64(hi, 5), _mm512_srli_epi64(lo, 59));
			__m512i f = necurs_fold(n);
			lo = _mm512_mask_or_epi64(lo, let, _mm512_slli_epi64(lo, 5), NECURS_FASTMOD(f, 25));
			/* after call 1: length n mod 15 + 7, the last call 2 * length + 1 */
			__m512i r15 = NECURS_FASTMOD(f, 15);
			last = _mm512_mask_add_epi64(last, c1, _mm512_add_epi64(r15, r15), fifteen);
			_mm512_store_si512(&w.last[8 * j], last);
			_mm512_store_si512(&w.lo[8 * j], lo);
			_mm512_store_si512(&w.hi[8 * j], hi);
			_mm512_store_si512(&w.res[8 * j], n);
			fin |= (uint32_t)fin8 << (8 * j);
		}
		/* The ends of names: results read back from `res`; the lane's next
		 * call goes into the vectors from a register (a vector load of values
		 * just stored one by one could not be forwarded from those stores). */
		if (fin != 0) {
			ends = 1;
			NECURS_UNROLL
			for (unsigned j = 0; j < NECURS_VECS; j++) {
				uint32_t m = (fin >> (8 * j)) & 0xffu;
				while (m != 0) {
					unsigned i = (unsigned)__builtin_ctz(m);
					m &= m - 1;
					uint64_t x = necurs_wide_end(&w, 8 * j + i, w.res[8 * j + i]);
					if (__builtin_expect(x == UINT64_MAX, 0)) {
						idle |= 1u << (8 * j + i);
						rem[j] = _mm512_mask_set1_epi64(rem[j], (__mmask8)(1u << i), NECURS_IDLE_REM);
						continue;
					}
					NECURS_SET_LANE(j, i, x);
				}
			}
		}
	}
	return 0;
}
#endif

int dga_necurs_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	dga_date_t d;
	necurs_run_t r;
	dga_date_of(day, &d);

	/* The date part of the chain is the same for every name of the period. */
	r.base = mix((uint64_t)d.year);
	r.base = mix(r.base + d.month + 43690);
	r.base = mix(r.base + (d.day >> 2));
	r.magic = p->seed;
	r.next = r.head = 0;
	r.count = p->count;
	for (unsigned i = 0; i < NECURS_RING; i++)
		r.ring[i].done = 0;
#ifdef NECURS_X86
	/* TLDSEC_DGA_SIMD=portable keeps to the portable driver (for its tests
	 * and comparisons; both give the same names). */
	const char *env = getenv("TLDSEC_DGA_SIMD");
	if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("bmi2") && (env == NULL || strcmp(env, "portable") != 0))
		return necurs_run_avx512(r.base, r.magic, r.count, sink);
#endif
	return necurs_run_portable(&r, sink);
}
