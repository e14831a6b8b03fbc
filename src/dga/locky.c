/* locky.c — Locky, DGA version 2 (2016). A multiply-by-0xB11924E1 and
 * rotate-right-by-7 step is chained through the year, the sample's seed, the
 * day of the month halved and the month; each of the 8 names then mixes in
 * its number and the seed, takes 5 to 15 letters, and picks a TLD from the
 * sample's list. */
#include "dga/family.h"

#define LOCKY_MUL   0xB11924E1u
#define LOCKY_ADD   0x27100001u
#define LOCKY_SHIFT 7u
#define LOCKY_MOD   8u

static inline uint32_t ror32(uint32_t v, unsigned s)
{
	return s == 0 ? v : (v >> s) | (v << (32 - s));
}

static inline uint32_t rol32(uint32_t v, unsigned s)
{
	return s == 0 ? v : (v << s) | (v >> (32 - s));
}

/* One step of the generator: multiply, then rotate. */
static inline uint32_t step(uint32_t v)
{
	return ror32(v * LOCKY_MUL, LOCKY_SHIFT);
}

int64_t dga_locky_period(int64_t day)
{
	dga_date_t d;
	dga_date_of(day, &d);
	return d.year * 10000 + d.month * 100 + d.day / 2;
}

int dga_locky_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	dga_date_t d;
	char name[DGA_MAX_NAME];
	dga_date_of(day, &d);

	uint32_t t = step((uint32_t)d.year + 0x1BF5u);
	if (p->seed != 0)
		t = step(t + p->seed + LOCKY_ADD);
	t = step(t + d.day / 2 + LOCKY_ADD);
	t = step(t + d.month + 0x2709A354u);
	uint32_t s = rol32(p->seed, 17);

	for (uint32_t k = 0; k < p->count; k++) {
		uint32_t r = step(rol32(k % LOCKY_MOD, 21) + t + s + LOCKY_ADD) + LOCKY_ADD;
		size_t len = r % 11 + 5;
		for (size_t i = 0; i < len; i++) {
			r = step(rol32(r, (unsigned)i)) + LOCKY_ADD;
			name[i] = (char)('a' + r % 25);
		}
		r = step(r) + LOCKY_ADD;
		size_t ti = r % p->ntlds;
		len = dga_add_tld(name, len, p->tld[ti], p->tld_len[ti]);
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
