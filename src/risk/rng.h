/* rng.h — the Monte Carlo's random numbers: xoshiro256** (Blackman and
 * Vigna, 2018) seeded through splitmix64, uniforms on [0,1), standard
 * normals by a 256-layer ziggurat, gamma variates by Marsaglia and Tsang's
 * method (shape >= 1), beta variates as a ratio of gammas, and Poisson
 * counts by inversion. Hot-path functions are static inline; the ziggurat
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

/* The ziggurat's tables (built by risk_rng_init). */
typedef struct risk_zig {
	double x[257];      /* layer edges, x[0] the base strip's pseudo-width */
	double ratio[256];  /* x[i+1] / x[i] */
} risk_zig_t;

extern risk_zig_t risk_zig;

/* Builds the ziggurat tables; thread-safe and idempotent. */
void risk_rng_init(void);

#define RISK_ZIG_R 3.6541528853610088

/* The slow path of the ziggurat (tail or wedge); returns 1 and sets *out
 * when the candidate is accepted. Not for direct use. */
int risk_zig_slow(risk_rng_t *g, unsigned layer, double u, double *out);

/* A standard normal variate. */
static inline double risk_rng_normal(risk_rng_t *g)
{
	for (;;) {
		uint64_t r = risk_rng_next(g);
		unsigned layer = (unsigned)(r & 0xff);
		double u = (double)(r >> 11) * 0x1.0p-52 - 1.0;   /* on [-1, 1) */
		if (fabs(u) < risk_zig.ratio[layer])
			return u * risk_zig.x[layer];
		double v;
		if (risk_zig_slow(g, layer, u, &v))
			return v;
	}
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

/* A Gamma(a, 1) variate, a >= 1 (Marsaglia and Tsang, 2000). */
static inline double risk_rng_gamma(risk_rng_t *g, const risk_gamma_t *gp)
{
	for (;;) {
		double x, v;
		do {
			x = risk_rng_normal(g);
			v = 1.0 + gp->c * x;
		} while (v <= 0.0);
		v = v * v * v;
		double u = risk_rng_u01(g);
		double x2 = x * x;
		if (u < 1.0 - 0.0331 * x2 * x2)
			return gp->d * v;
		if (u > 0.0 && log(u) < 0.5 * x2 + gp->d * (1.0 - v + log(v)))
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

/* A Poisson(lambda) count: inversion by sequential search for lambda <= 30,
 * and the sum of Poisson(30) counts and one remainder above (the sum of
 * independent Poisson variables is Poisson). */
static inline uint64_t risk_rng_poisson(risk_rng_t *g, double lambda)
{
	uint64_t k = 0;
	while (lambda > 0.0) {
		double l = lambda > 30.0 ? 30.0 : lambda;
		lambda -= l;
		double p = exp(-l), f = p, u = risk_rng_u01(g);
		uint64_t j = 0;
		while (u > f && j < 400) {
			j++;
			p *= l / (double)j;
			f += p;
		}
		k += j;
	}
	return k;
}

#endif
