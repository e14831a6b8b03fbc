/* ramnit.c — Ramnit. A Park-Miller "minimal standard" generator (Schrage's
 * form, wrapped to 32 bits) starts from the sample's seed; each name takes a
 * length of 9 to 25 and that many letters, its TLD is the next entry of the
 * sample's list in turn, and the generator is reseeded from the product of
 * its states before and after the length draw. The date plays no part. */
#include "dga/family.h"

static inline uint32_t ramnit_next(uint32_t *state, uint32_t range)
{
	int64_t v = 16807 * (int64_t)(*state % 127773u) - 2836 * (int64_t)(*state / 127773u);
	*state = (uint32_t)v;
	return *state % range;
}

int64_t dga_ramnit_period(int64_t day)
{
	(void)day;
	return 0;
}

int dga_ramnit_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	char name[DGA_MAX_NAME];
	uint32_t state = p->seed;
	(void)day;

	for (uint32_t k = 0; k < p->count; k++) {
		uint32_t first = state;
		size_t len = ramnit_next(&state, 17) + 9;
		uint32_t second = state;
		for (size_t i = 0; i < len; i++)
			name[i] = (char)('a' + ramnit_next(&state, 25));
		size_t ti = k % p->ntlds;
		len = dga_add_tld(name, len, p->tld[ti], p->tld_len[ti]);
		uint64_t m = (uint64_t)first * second;
		state = (uint32_t)(m + (m >> 32));
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
