/* necurs.c — Necurs. A 64-bit mixing function, iterated a data-dependent
 * number of times, is chained through the year, the month, the day of the
 * month divided by four, the name's sequence number and the sample's magic
 * number; the result sets the length, each letter and the TLD. */
#include "dga/family.h"

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
 * out in sequence order, so the output order is the malware's. */
#define NECURS_LANES 8u
#define NECURS_RING  64u      /* names finished ahead of the next one out */
#define NECURS_LABEL 22u      /* longest label (21) and its NUL */

enum necurs_step { ST_SEQ, ST_MAGIC, ST_CHAR, ST_AFTER, ST_IDLE };

typedef struct necurs_slot {
	char name[NECURS_LABEL + 4];   /* label, dot, TLD of up to 3 letters */
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
	for (unsigned l = 0; l < NECURS_LANES; l++)
		necurs_assign(&r, l);

	while (r.head < r.count) {
		uint64_t m = UINT64_MAX;
		for (unsigned l = 0; l < NECURS_LANES; l++)
			m = r.rem[l] < m ? r.rem[l] : m;
		necurs_rounds(r.v, r.k8, m);
		for (unsigned l = 0; l < NECURS_LANES; l++) {
			if (r.step[l] == ST_IDLE)
				continue;
			r.rem[l] -= m;
			if (r.rem[l] == 0)
				necurs_step(&r, l);
		}
		necurs_slot_t *s;
		while (r.head < r.count && (s = &r.ring[r.head % NECURS_RING])->done) {
			int ret = dga_emit(sink, s->name, s->len);
			if (ret != 0)
				return ret;
			s->done = 0;
			r.head++;
		}
		for (unsigned l = 0; l < NECURS_LANES; l++) {
			if (r.step[l] == ST_IDLE)
				necurs_assign(&r, l);
		}
	}
	return 0;
}
