/* rng.c — the ziggurats' tables and slow paths (Marsaglia and Tsang, 2000,
 * in the form Doornik gave them in 2005: 256 layers, a rectangle test,
 * then the tail or the wedge). */
#include <pthread.h>
#include <string.h>

#include "risk/rng.h"

#define ZIG_LAYERS 256
#define ZIG_V 4.92867323399e-3   /* the area of each layer */

#define ZIG_EXP_V 3.9496598225815571993e-3

risk_zig_t risk_zig;
risk_zig_t risk_zig_exp;
static pthread_once_t zig_once = PTHREAD_ONCE_INIT;

static void zig_build(void)
{
	double f = exp(-0.5 * RISK_ZIG_R * RISK_ZIG_R);
	risk_zig.x[0] = ZIG_V / f;
	risk_zig.x[1] = RISK_ZIG_R;
	risk_zig.x[ZIG_LAYERS] = 0.0;
	for (int i = 2; i < ZIG_LAYERS; i++) {
		risk_zig.x[i] = sqrt(-2.0 * log(ZIG_V / risk_zig.x[i - 1] + f));
		f = exp(-0.5 * risk_zig.x[i] * risk_zig.x[i]);
	}
	for (int i = 0; i < ZIG_LAYERS; i++)
		risk_zig.ratio[i] = risk_zig.x[i + 1] / risk_zig.x[i];

	f = exp(-RISK_ZIG_EXP_R);
	risk_zig_exp.x[0] = ZIG_EXP_V / f;
	risk_zig_exp.x[1] = RISK_ZIG_EXP_R;
	risk_zig_exp.x[ZIG_LAYERS] = 0.0;
	for (int i = 2; i < ZIG_LAYERS; i++) {
		risk_zig_exp.x[i] = -log(ZIG_EXP_V / risk_zig_exp.x[i - 1] + f);
		f = exp(-risk_zig_exp.x[i]);
	}
	for (int i = 0; i < ZIG_LAYERS; i++)
		risk_zig_exp.ratio[i] = risk_zig_exp.x[i + 1] / risk_zig_exp.x[i];
}

void risk_rng_init(void)
{
	(void)pthread_once(&zig_once, zig_build);
}

int risk_zig_slow(risk_rng_t *g, unsigned layer, double u, double *out)
{
	if (layer == 0) {
		/* the tail beyond R (Marsaglia, 1964) */
		double x, y;
		do {
			x = log(1.0 - risk_rng_u01(g)) / RISK_ZIG_R;
			y = log(1.0 - risk_rng_u01(g));
		} while (-2.0 * y < x * x);
		*out = u < 0.0 ? x - RISK_ZIG_R : RISK_ZIG_R - x;
		return 1;
	}
	double x = u * risk_zig.x[layer];
	double x2 = x * x;
	double f0 = exp(-0.5 * (risk_zig.x[layer] * risk_zig.x[layer] - x2));
	double f1 = exp(-0.5 * (risk_zig.x[layer + 1] * risk_zig.x[layer + 1] - x2));
	if (f1 + risk_rng_u01(g) * (f0 - f1) < 1.0) {
		*out = x;
		return 1;
	}
	return 0;
}

int risk_zig_exp_slow(risk_rng_t *g, unsigned layer, double u, double *out)
{
	if (layer == 0) {
		/* the tail beyond R is R plus a fresh exponential (memorylessness) */
		*out = RISK_ZIG_EXP_R + risk_rng_exp(g);
		return 1;
	}
	double x = u * risk_zig_exp.x[layer];
	double f0 = exp(-(risk_zig_exp.x[layer] - x));
	double f1 = exp(-(risk_zig_exp.x[layer + 1] - x));
	if (f1 + risk_rng_u01(g) * (f0 - f1) < 1.0) {
		*out = x;
		return 1;
	}
	return 0;
}

double risk_pert_table_density(const risk_pert_table_t *t, double x)
{
	return pow(x, t->a1) * pow(1.0 - x, t->b1);
}

void risk_pert_table_init(risk_pert_table_t *t, double min, double mode, double max)
{
	memset(t, 0, sizeof(*t));
	t->min = min;
	t->range = max - min;
	t->constant = !(t->range > 0.0);
	if (t->constant) {
		t->range = 0.0;
		return;
	}
	t->step = t->range * 0x1.0p-31;
	for (int k = 0; k < RISK_BT_BINS; k++)
		t->base[k] = min + t->range * ((double)k / RISK_BT_BINS);
	t->a1 = 4.0 * (mode - min) / t->range;
	t->b1 = 4.0 * (max - mode) / t->range;
	double m = t->a1 / (t->a1 + t->b1);   /* the mode on [0, 1] */
	enum { NC = 2 * RISK_BT_BINS };
	double w[NC], sum = 0.0;
	for (int k = 0; k < RISK_BT_BINS; k++) {
		double a = (double)k / RISK_BT_BINS, b = (double)(k + 1) / RISK_BT_BINS;
		double fa = risk_pert_table_density(t, a), fb = risk_pert_table_density(t, b);
		double hi = fa > fb ? fa : fb, lo = fa < fb ? fa : fb;
		if (m > a && m < b) {
			double fm = risk_pert_table_density(t, m);
			hi = fm > hi ? fm : hi;
		}
		/* margins against rounding in pow: the cap's top must never be below
		 * the density, nor the squeeze above it */
		hi *= 1.0 + 1e-12;
		lo *= 1.0 - 1e-12;
		t->inf[k] = lo;
		t->cap[k] = hi - lo;
		w[k] = lo;
		w[RISK_BT_BINS + k] = hi - lo;
		sum += hi;
	}
	/* Walker's alias table (Vose's construction) over the 512 rectangles,
	 * weights scaled so their mean is 1 */
	int small[NC] = { 0 }, large[NC] = { 0 }, ns = 0, nl = 0;
	double prob[NC];
	for (int c = 0; c < NC; c++) {
		w[c] = w[c] * NC / sum;
		t->alias[c] = (uint16_t)c;
		prob[c] = 1.0;
		if (w[c] < 1.0)
			small[ns++] = c;
		else
			large[nl++] = c;
	}
	while (ns > 0 && nl > 0) {
		int s = small[--ns], l = large[nl - 1];
		prob[s] = w[s];
		t->alias[s] = (uint16_t)l;
		w[l] -= 1.0 - w[s];
		if (w[l] < 1.0) {
			nl--;
			small[ns++] = l;
		}
	}
	for (int c = 0; c < NC; c++) {
		double th = prob[c] * 4294967296.0;
		t->thr[c] = th >= 4294967295.0 ? 0xffffffffu : (uint32_t)th;
		if (t->thr[c] == 0xffffffffu)
			t->alias[c] = (uint16_t)c;
	}
}

/* ln(k!) for a whole k >= 0: a sum of logarithms below 16, Stirling's
 * series above (error below 1e-15). Our own, since lgamma writes a global. */
static double log_factorial(double k)
{
	if (k < 16.0) {
		double s = 0.0;
		for (int i = 2; i <= (int)k; i++)
			s += log((double)i);
		return s;
	}
	double x = k + 1.0, x2 = x * x;
	return (x - 0.5) * log(x) - x + 0.91893853320467274178 +
	       (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) / x;
}

uint64_t risk_rng_poisson_ptrs(risk_rng_t *g, double lambda)
{
	double slam = sqrt(lambda);
	double b = 0.931 + 2.53 * slam;
	double a = -0.059 + 0.02483 * b;
	/* the quick acceptance v <= vr = 0.9277 - 3.6224 / (b - 2), without the
	 * division: b > 2 whenever lambda >= 10 */
	double b2 = b - 2.0, vrb2 = 0.9277 * b2 - 3.6224;
	for (;;) {
		double u = risk_rng_u01(g) - 0.5;
		double v = risk_rng_u01(g);
		double us = 0.5 - fabs(u);
		double k = floor((2.0 * a / us + b) * u + lambda + 0.43);
		if (us >= 0.07 && v * b2 <= vrb2)
			return (uint64_t)k;
		if (k < 0.0 || (us < 0.013 && v > us))
			continue;
		/* the slow test (about one draw in seven) */
		double invalpha = 1.1239 + 1.1328 / (b - 3.4);
		if (v > 0.0 && log(v * invalpha / (a / (us * us) + b)) <=
		    -lambda + k * log(lambda) - log_factorial(k))
			return (uint64_t)k;
	}
}

double risk_pert_table_cap(risk_rng_t *g, const risk_pert_table_t *t, unsigned k, uint32_t pos)
{
	/* g is the slow generator here */
	for (;;) {
		double x = ((double)k + (double)(int32_t)pos * (1.0 / (1u << RISK_BT_POS_BITS))) *
		           (1.0 / RISK_BT_BINS);
		double y = t->inf[k] + t->cap[k] * risk_rng_u01(g);
		if (y < risk_pert_table_density(t, x))
			return t->base[k] + (double)(int32_t)pos * t->step;
		/* rejected: a fresh point, as risk_rng_pert_fast draws it */
		uint64_t r = risk_rng_next(g);
		unsigned c = (unsigned)(r & (2 * RISK_BT_BINS - 1));
		if ((uint32_t)(r >> 32) >= t->thr[c])
			c = t->alias[c];
		k = c & (RISK_BT_BINS - 1);
		pos = (uint32_t)(r >> (RISK_BT_LOG2 + 1)) & ((1u << RISK_BT_POS_BITS) - 1u);
		if (c < RISK_BT_BINS)
			return t->base[k] + (double)(int32_t)pos * t->step;
	}
}
