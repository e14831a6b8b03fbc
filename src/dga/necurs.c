/* necurs.c — Necurs. A 64-bit mixing function, iterated a data-dependent
 * number of times, is chained through the year, the month, the day of the
 * month divided by four, the name's sequence number and the sample's magic
 * number; the result sets the length, each letter and the TLD. */
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
 * produces the same bytes about 1.7 times as fast. */
#define NECURS_LANES 8u
#define NECURS_RING  64u      /* names finished ahead of the next one out */
#define NECURS_LABEL 22u      /* longest label (21) and its NUL */

enum necurs_step { ST_SEQ, ST_MAGIC, ST_CHAR, ST_AFTER, ST_IDLE };

#define NECURS_SCRATCH (NECURS_LABEL + 4)

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
 * every lane runs its own call. A block is NECURS_BLOCK rounds of every
 * lane, each round's values kept in `hist`, so a lane whose call ended inside
 * the block finds its result there and the rounds it ran past its end are
 * simply dropped when its next input is loaded. The steps of a name are
 * numbered by its calls: call 0 is M(date + s), 1 is M(n + magic), call
 * 2 + 2j (input n + j) gives letter j, call 3 + 2j has input n + 0xABBEDF,
 * and the TLD comes from the result of call 2 * length + 1. */
#define NECURS_VECS  4u
#define NECURS_WIDE  (8u * NECURS_VECS)
#define NECURS_BLOCK 16
#define NECURS_WRING 128u

typedef struct necurs_wide {
	uint32_t seq[NECURS_WIDE];
	uint32_t call[NECURS_WIDE];
	uint8_t len[NECURS_WIDE];
	char *name[NECURS_WIDE];        /* the label being written */
	necurs_slot_t ring[NECURS_WRING];
	uint64_t base, magic;
	uint32_t next, head, count;
} necurs_wide_t;

/* The rare steps: the first two calls of a name, and its end, after which
 * the lane takes the next name. Returns the next input, or UINT64_MAX when
 * the lane has nothing left to do. */
static uint64_t necurs_wide_rare(necurs_wide_t *w, unsigned l, uint32_t c, uint64_t n)
{
	if (c == 0)
		return n + w->magic;
	if (c == 1) {
		w->len[l] = (uint8_t)(n % 15 + 7);
		return n;
	}
	necurs_slot_t *s = &w->ring[w->seq[l] % NECURS_WRING];
	const char *tld = necurs_tlds[n % 43];
	s->len = (uint8_t)dga_add_tld(s->name, w->len[l], tld, tld[2] == '\0' ? 2 : 3);
	s->done = 1;
	if (w->next < w->count && w->next - w->head < NECURS_WRING) {
		w->seq[l] = w->next++;
		w->call[l] = 0;
		w->name[l] = w->ring[w->seq[l] % NECURS_WRING].name;
		return w->base + w->seq[l];
	}
	return UINT64_MAX;
}

/* Lane l's call ended with n: the input of its next call. The common steps
 * (a letter, or the call after it) take no branch the CPU could mispredict:
 * the odd calls write their letter to a scratch byte and the input's
 * addend is selected arithmetically. */
static inline uint64_t necurs_wide_step(necurs_wide_t *w, unsigned l, uint64_t n)
{
	uint32_t c = w->call[l]++;
	uint32_t j = (c - 2) >> 1;
	uint64_t odd = c & 1;
	if (__builtin_expect(c < 2 || (odd && j + 1 >= w->len[l]), 0))
		return necurs_wide_rare(w, l, c, n);
	uint64_t pick = (uint64_t)0 - odd;
	uint32_t pos = j + ((NECURS_SCRATCH - j) & (uint32_t)pick);
	w->name[l][pos] = (char)('a' + n % 25);
	return n + (0xABBEDF ^ ((0xABBEDF ^ (uint64_t)(j + 1)) & pick));
}

/* The vectors must live in registers: every loop over them is unrolled. */
#define NECURS_UNROLL _Pragma("GCC unroll 8")

#define NECURS_IDLE_REM ((int64_t)1 << 62)

__attribute__((target("avx512f")))
static int necurs_run_avx512(uint64_t base, uint64_t magic, uint32_t count, dga_sink_t *sink)
{
	necurs_wide_t w;
	_Alignas(64) uint64_t hist[NECURS_BLOCK][NECURS_WIDE];
	_Alignas(64) int64_t left[NECURS_WIDE];
	/* Inputs and round counts of the calls starting in the next block; a
	 * lane's vector element is loaded from here only when `load` says so. */
	_Alignas(64) uint64_t in[NECURS_WIDE];
	_Alignas(64) int64_t rounds[NECURS_WIDE];
	__m512i v[NECURS_VECS], k[NECURS_VECS], rem[NECURS_VECS];
	const __m512i eight = _mm512_set1_epi64(8), zero = _mm512_setzero_si512();
	const __m512i block = _mm512_set1_epi64(NECURS_BLOCK);
	uint32_t idle = 0, load = 0;

	w.base = base;
	w.magic = magic;
	w.next = w.head = 0;
	w.count = count;
	for (unsigned i = 0; i < NECURS_WRING; i++)
		w.ring[i].done = 0;
	for (unsigned l = 0; l < NECURS_WIDE; l++) {
		in[l] = 0;
		rounds[l] = NECURS_IDLE_REM;
		idle |= 1u << l;
	}
	NECURS_UNROLL
	for (unsigned j = 0; j < NECURS_VECS; j++) {
		v[j] = zero;
		k[j] = zero;
		rem[j] = _mm512_set1_epi64(NECURS_IDLE_REM);
	}

	for (;;) {
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
		/* Idle lanes take new names once the ring has room again. */
		while (idle != 0 && w.next < count && w.next - w.head < NECURS_WRING) {
			unsigned l = (unsigned)__builtin_ctz(idle);
			idle &= idle - 1;
			w.seq[l] = w.next++;
			w.call[l] = 0;
			w.name[l] = w.ring[w.seq[l] % NECURS_WRING].name;
			in[l] = base + w.seq[l];
			rounds[l] = (int64_t)(in[l] & 0x7f) + 21;
			load |= 1u << l;
		}
		NECURS_UNROLL
		for (unsigned j = 0; j < NECURS_VECS; j++) {
			__mmask8 m = (__mmask8)(load >> (8 * j));
			v[j] = _mm512_mask_load_epi64(v[j], m, &in[8 * j]);
			k[j] = _mm512_maskz_mov_epi64((__mmask8)~m, k[j]);
			rem[j] = _mm512_mask_load_epi64(rem[j], m, &rounds[8 * j]);
		}

		for (int r = 0; r < NECURS_BLOCK; r++) {
			NECURS_UNROLL
			for (unsigned j = 0; j < NECURS_VECS; j++) {
				__m512i x = v[j];
				__m512i a = _mm512_sub_epi64(_mm512_slli_epi64(x, 3), x);
				__m512i b = _mm512_slli_epi64(x, 15);
				__m512i c = _mm512_sub_epi64(_mm512_add_epi64(x, k[j]), _mm512_srli_epi64(x, 5));
				v[j] = _mm512_add_epi64(c, _mm512_xor_si512(a, b));
				k[j] = _mm512_add_epi64(k[j], eight);
				_mm512_store_si512(&hist[r][8 * j], v[j]);
			}
		}
		uint32_t ended = 0;
		NECURS_UNROLL
		for (unsigned j = 0; j < NECURS_VECS; j++) {
			rem[j] = _mm512_sub_epi64(rem[j], block);
			ended |= (uint32_t)_mm512_cmple_epi64_mask(rem[j], zero) << (8 * j);
			_mm512_store_si512(&left[8 * j], rem[j]);
		}
		load = ended;
		while (ended != 0) {
			unsigned l = (unsigned)__builtin_ctz(ended);
			ended &= ended - 1;
			uint64_t x = necurs_wide_step(&w, l, hist[NECURS_BLOCK - 1 + left[l]][l]);
			in[l] = x;
			rounds[l] = (int64_t)(x & 0x7f) + 21;
			if (__builtin_expect(x == UINT64_MAX, 0)) {
				idle |= 1u << l;
				rounds[l] = NECURS_IDLE_REM;
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
	if (__builtin_cpu_supports("avx512f"))
		return necurs_run_avx512(r.base, r.magic, r.count, sink);
#endif
	return necurs_run_portable(&r, sink);
}
