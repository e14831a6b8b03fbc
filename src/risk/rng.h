/* rng.h — the Monte Carlo's random numbers: xoshiro256** (Blackman and
 * Vigna, 2018) seeded through splitmix64, uniforms on [0,1), standard
 * normals and exponentials by 256-layer ziggurats, gamma variates by
 * Marsaglia and Tsang's method (shape >= 1), beta variates as a ratio of
 * gammas or by a table method, and Poisson counts as arrivals of a
 * unit-rate process or by transformed rejection. Hot-path functions are static inline; the ziggurat
 * tables are built once by risk_rng_init. */
#ifndef TS_RISK_RNG_H
#define TS_RISK_RNG_H

#include <math.h>
#include <stdint.h>

typedef struct risk_rng {
	uint64_t s[4];
} risk_rng_t;

/* splitmix64's output function: a bijective 64-bit mixer. */
static inline uint64_t risk_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Seeds a generator for one (seed, stream, block) triple: the three are
 * hashed into one key and the state is the next four outputs of splitmix64
 * from that key (never all zero). Streams of different triples are
 * independent for every practical purpose. */
static inline void risk_rng_seed(risk_rng_t *g, uint64_t seed, uint64_t stream, uint64_t block)
{
	uint64_t key = risk_mix64(seed ^ risk_mix64(stream + 0x9e3779b97f4a7c15ULL) ^
	                          risk_mix64(risk_mix64(block + 0x632be59bd9b4e019ULL)));
	for (int i = 0; i < 4; i++) {
		key += 0x9e3779b97f4a7c15ULL;
		g->s[i] = risk_mix64(key);
	}
	if ((g->s[0] | g->s[1] | g->s[2] | g->s[3]) == 0)
		g->s[0] = 1;
}

static inline uint64_t risk_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256**: the next 64 random bits. */
static inline uint64_t risk_rng_next(risk_rng_t *g)
{
	uint64_t *s = g->s;
	uint64_t r = risk_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = risk_rotl(s[3], 45);
	return r;
}

/* A uniform double on [0, 1) with 53 random bits. */
static inline double risk_rng_u01(risk_rng_t *g)
{
	return (double)(risk_rng_next(g) >> 11) * 0x1.0p-53;
}

/* A ziggurat's tables (built by risk_rng_init): one for the standard
 * normal, one for the standard exponential. */
typedef struct risk_zig {
	double x[257];      /* layer edges, x[0] the base strip's pseudo-width */
	double ratio[256];  /* x[i+1] / x[i] */
} risk_zig_t;

extern risk_zig_t risk_zig;      /* normal */
extern risk_zig_t risk_zig_exp;  /* exponential */

/* Builds the ziggurat tables; thread-safe and idempotent. */
void risk_rng_init(void);

#define RISK_ZIG_R     3.6541528853610088
#define RISK_ZIG_EXP_R 7.69711747013104972

/* The slow paths of the ziggurats (tail or wedge); return 1 and set *out
 * when the candidate is accepted. Not for direct use. */
int risk_zig_slow(risk_rng_t *g, unsigned layer, double u, double *out);
int risk_zig_exp_slow(risk_rng_t *g, unsigned layer, double u, double *out);

/* A standard normal variate from 64 random bits per attempt: bits 0-7 pick
 * the layer, bits 32-63 the signed abscissa; bits 8-31 are handed back in
 * *spare (a 24-bit uniform the caller may use) when spare is non-NULL. */
static inline double risk_rng_normal_spare(risk_rng_t *g, uint32_t *spare)
{
	for (;;) {
		uint64_t r = risk_rng_next(g);
		unsigned layer = (unsigned)(r & 0xff);
		double u = (double)(int32_t)(uint32_t)(r >> 32) * 0x1.0p-31;   /* on [-1, 1) */
		if (spare != NULL)
			*spare = (uint32_t)(r >> 8) & 0xffffffu;
		if (fabs(u) < risk_zig.ratio[layer])
			return u * risk_zig.x[layer];
		double v;
		if (risk_zig_slow(g, layer, u, &v))
			return v;
	}
}

static inline double risk_rng_normal(risk_rng_t *g)
{
	return risk_rng_normal_spare(g, NULL);
}

/* A standard exponential variate (ziggurat, 256 layers). The common path
 * takes 64 bits from g; the rare tail and wedge cases draw from `slow`
 * (which may be g itself). A separate slow generator keeps g's address
 * from escaping into a call, so a hot loop can hold g in registers. */
static inline double risk_rng_exp2(risk_rng_t *g, risk_rng_t *slow)
{
	uint64_t r = risk_rng_next(g);
	unsigned layer = (unsigned)(r & 0xff);
	double u = (double)(r >> 11) * 0x1.0p-53;   /* on [0, 1) */
	if (__builtin_expect(u < risk_zig_exp.ratio[layer], 1))
		return u * risk_zig_exp.x[layer];
	double v;
	while (!risk_zig_exp_slow(slow, layer, u, &v)) {
		r = risk_rng_next(slow);
		layer = (unsigned)(r & 0xff);
		u = (double)(r >> 11) * 0x1.0p-53;
		if (u < risk_zig_exp.ratio[layer])
			return u * risk_zig_exp.x[layer];
	}
	return v;
}

static inline double risk_rng_exp(risk_rng_t *g)
{
	return risk_rng_exp2(g, g);
}

/* Precomputed constants of Marsaglia–Tsang for one shape a >= 1. */
typedef struct risk_gamma {
	double d, c;        /* d = a - 1/3, c = 1 / sqrt(9 d) */
} risk_gamma_t;

static inline risk_gamma_t risk_gamma_prep(double a)
{
	risk_gamma_t gp;
	gp.d = a - 1.0 / 3.0;
	gp.c = 1.0 / sqrt(9.0 * gp.d);
	return gp;
}

/* A Gamma(a, 1) variate, a >= 1 (Marsaglia and Tsang, 2000). The squeeze
 * test's uniform is the normal draw's spare 24 bits, so the common path
 * costs one 64-bit random number. */
static inline double risk_rng_gamma(risk_rng_t *g, const risk_gamma_t *gp)
{
	for (;;) {
		uint32_t spare;
		double x = risk_rng_normal_spare(g, &spare);
		double v = 1.0 + gp->c * x;
		if (v <= 0.0)
			continue;
		v = v * v * v;
		double u = ((double)spare + 0.5) * 0x1.0p-24;   /* on (0, 1) */
		double x2 = x * x;
		if (u < 1.0 - 0.0331 * x2 * x2)
			return gp->d * v;
		if (log(u) < 0.5 * x2 + gp->d * (1.0 - v + log(v)))
			return gp->d * v;
	}
}

/* A beta-PERT distribution (gamma = 4) ready to draw from. */
typedef struct risk_pert_dist {
	double min, range;      /* x = min + range * B(alpha, beta) */
	risk_gamma_t ga, gb;
	int constant;           /* range == 0: always min */
} risk_pert_dist_t;

/* alpha = 1 + 4 (mode - min) / (max - min), beta = 1 + 4 (max - mode) / (max - min). */
static inline risk_pert_dist_t risk_pert_prep(double min, double mode, double max)
{
	risk_pert_dist_t p;
	p.min = min;
	p.range = max - min;
	p.constant = !(p.range > 0.0);
	if (p.constant) {
		p.range = 0.0;
		p.ga = risk_gamma_prep(1.0);
		p.gb = p.ga;
		return p;
	}
	p.ga = risk_gamma_prep(1.0 + 4.0 * (mode - min) / p.range);
	p.gb = risk_gamma_prep(1.0 + 4.0 * (max - mode) / p.range);
	return p;
}

static inline double risk_rng_pert(risk_rng_t *g, const risk_pert_dist_t *p)
{
	if (p->constant)
		return p->min;
	double x = risk_rng_gamma(g, &p->ga);
	double y = risk_rng_gamma(g, &p->gb);
	return p->min + p->range * (x / (x + y));
}

/* A Poisson(lambda) count by Hoermann's transformed rejection with squeeze
 * (PTRS, 1993), for lambda >= 10. Not for direct use. */
uint64_t risk_rng_poisson_ptrs(risk_rng_t *g, double lambda);

/* A Poisson(lambda) count. Below 10: the number of arrivals of a unit-rate
 * Poisson process in [0, lambda], i.e. how many partial sums of standard
 * exponential variates stay at or below lambda (count + 1 draws). From 10
 * on: PTRS, about one iteration whatever lambda. */
static inline uint64_t risk_rng_poisson(risk_rng_t *g, double lambda)
{
	if (lambda >= 10.0)
		return risk_rng_poisson_ptrs(g, lambda);
	uint64_t k = 0;
	double t = risk_rng_exp(g);
	while (t <= lambda) {
		k++;
		t += risk_rng_exp(g);
	}
	return k;
}

/* A faster exact beta-PERT sampler for the hot loop: a table method.
 * [0, 1] is cut into 1024 equal bins. On each bin the region under the
 * density is covered by two rectangles: the squeeze (up to the density's
 * infimum on the bin) and the cap (from there up to its supremum; the PERT
 * density is unimodal, so both come from the bin's ends and the mode). One
 * of the 2048 rectangles is picked with Walker's alias method in proportion
 * to its area and a point is drawn uniformly in it: a point in a squeeze is
 * returned at once, a point in a cap is accepted when it lies under the
 * density and drawn again otherwise. The result is a uniform point under the
 * density, so the draws follow Beta(alpha, beta) exactly (to the 2^-31
 * resolution of the position), like the gamma ratio; the common path costs
 * one 64-bit random number and no transcendental function. */
#define RISK_BT_LOG2 10
#define RISK_BT_BINS (1 << RISK_BT_LOG2)
#define RISK_BT_POS_BITS (31 - RISK_BT_LOG2)   /* the position inside a bin */

typedef struct risk_pert_table {
	double min, range;               /* x = min + range * B */
	double a1, b1;                   /* alpha - 1, beta - 1 */
	int constant;                    /* range == 0: always min */
	uint32_t thr[2 * RISK_BT_BINS];  /* alias thresholds on 32 random bits */
	uint16_t alias[2 * RISK_BT_BINS];
	double inf[RISK_BT_BINS];        /* squeeze heights (unnormalized density) */
	double cap[RISK_BT_BINS];        /* cap heights: supremum - infimum */
	double base[RISK_BT_BINS];       /* min + range * k / bins: each bin's left end */
	double step;                     /* range / 2^31: one unit of the position */
} risk_pert_table_t;

/* Builds the table for PERT(min, mode, max) with gamma = 4. */
void risk_pert_table_init(risk_pert_table_t *t, double min, double mode, double max);
/* The unnormalized beta density x^(alpha-1) (1-x)^(beta-1). */
double risk_pert_table_density(const risk_pert_table_t *t, double x);

/* The cap case of risk_rng_pert_fast: accept the point (k, pos) by the
 * density or draw again. Out of line, so the common path keeps its
 * registers. Not for direct use. */
double risk_pert_table_cap(risk_rng_t *slow, const risk_pert_table_t *t, unsigned k, uint32_t pos);

/* A PERT draw: 64 bits from g on the common path; the cap case and its
 * redraws take their bits from `slow` (which may be g itself), as for
 * risk_rng_exp2. */
static inline double risk_rng_pert_fast2(risk_rng_t *g, risk_rng_t *slow, const risk_pert_table_t *t)
{
	if (t->constant)
		return t->min;
	/* the low LOG2 + 1 bits: the rectangle; then up to bit 31: the position
	 * in the bin; bits 32-63: the alias test */
	uint64_t r = risk_rng_next(g);
	unsigned c = (unsigned)(r & (2 * RISK_BT_BINS - 1));
	/* the alias test is a coin toss for the branch predictor: use a mask */
	unsigned take = 0u - (unsigned)((uint32_t)(r >> 32) >= t->thr[c]);
	c = (c & ~take) | (t->alias[c] & take);
	unsigned k = c & (RISK_BT_BINS - 1);
	uint32_t pos = (uint32_t)(r >> (RISK_BT_LOG2 + 1)) & ((1u << RISK_BT_POS_BITS) - 1u);
	if (__builtin_expect(c < RISK_BT_BINS, 1))
		return t->base[k] + (double)(int32_t)pos * t->step;
	return risk_pert_table_cap(slow, t, k, pos);
}

static inline double risk_rng_pert_fast(risk_rng_t *g, const risk_pert_table_t *t)
{
	return risk_rng_pert_fast2(g, g, t);
}

#endif
