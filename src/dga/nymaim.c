/* nymaim.c — Nymaim (2014). Four 32-bit words seeded from the date feed an
 * xorshift-style generator; each draw is the sum of two words divided by
 * 100, reduced modulo the range wanted. A name is 6 to 11 letters; its
 * second-to-last letter picks the TLD. */
#include <string.h>

#include "dga/family.h"

typedef struct nymaim_rng {
	uint32_t r[4];
} nymaim_rng_t;

static void nymaim_seed(nymaim_rng_t *g, const dga_date_t *d)
{
	uint64_t s = (uint64_t)d->year + ((uint64_t)d->month << 16) + d->wday + ((uint64_t)d->day << 16);
	g->r[0] = (uint32_t)(s + 0x52455641u);
	/* The sample clears the second word instead of wrapping it. */
	g->r[1] = s + 0x49484F4Cu > 0xffffffffu ? 0 : (uint32_t)(s + 0x49484F4Cu);
	g->r[2] = (uint32_t)(s + 0x59554820u);
	g->r[3] = (uint32_t)(s + 0x4D415620u);
}

static uint32_t nymaim_rand(nymaim_rng_t *g, uint32_t range)
{
	uint32_t t0 = (g->r[0] << 11) ^ g->r[0];
	uint32_t t3 = (g->r[3] >> 19) ^ g->r[3] ^ t0 ^ (t0 >> 8);
	uint32_t c = g->r[2];
	g->r[0] += g->r[1];
	g->r[1] += g->r[2];
	g->r[2] += g->r[3];
	g->r[3] = t3;
	return ((c + t3) / 100u) % range;
}

int64_t dga_nymaim_period(int64_t day)
{
	return day;
}

int dga_nymaim_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	dga_date_t d;
	nymaim_rng_t g;
	char name[DGA_MAX_NAME];
	dga_date_of(day, &d);
	nymaim_seed(&g, &d);

	for (uint32_t k = 0; k < p->count; k++) {
		size_t len = nymaim_rand(&g, 6) + 6;
		for (size_t i = 0; i < len; i++)
			name[i] = (char)('a' + nymaim_rand(&g, 26) % 26);
		unsigned t = (unsigned)(name[len - 2] - 'a');
		const char *tld = t < 9 ? "com" : t < 13 ? "org" : t < 17 ? "biz" : t < 21 ? "net" : "info";
		len = dga_add_tld(name, len, tld, strlen(tld));
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
