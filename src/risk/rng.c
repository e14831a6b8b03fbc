/* rng.c — the ziggurat's tables and slow path (Marsaglia and Tsang, 2000,
 * in the form Doornik gave it in 2005: 256 layers, a signed uniform). */
#include <pthread.h>

#include "risk/rng.h"

#define ZIG_LAYERS 256
#define ZIG_V 4.92867323399e-3   /* the area of each layer */

risk_zig_t risk_zig;
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
