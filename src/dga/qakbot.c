/* qakbot.c — Qakbot (2016). The text "T.mon.YYYY.SSSSSSSS" (T the third of
 * the month, 0..2; mon the month's English abbreviation; S the sample's seed,
 * 0 or 1, in 8 hex digits) is hashed with CRC-32; the CRC seeds a Mersenne
 * Twister (MT19937), whose draws pick the TLD, the length (8 to 25) and the
 * letters of each name. */
#include <stdio.h>
#include <string.h>
#include <zlib.h>

#include "dga/family.h"

#define MT_N 624u
#define MT_M 397u

typedef struct mt {
	uint32_t s[MT_N];
	unsigned i;
} mt_t;

static void mt_init(mt_t *m, uint32_t seed)
{
	m->s[0] = seed;
	for (unsigned i = 1; i < MT_N; i++)
		m->s[i] = 1812433253u * (m->s[i - 1] ^ (m->s[i - 1] >> 30)) + i;
	m->i = MT_N;
}

static void mt_twist(mt_t *m)
{
	for (unsigned i = 0; i < MT_N; i++) {
		uint32_t y = (m->s[i] & 0x80000000u) | (m->s[(i + 1) % MT_N] & 0x7fffffffu);
		uint32_t v = m->s[(i + MT_M) % MT_N] ^ (y >> 1);
		m->s[i] = (y & 1u) ? v ^ 0x9908b0dfu : v;
	}
	m->i = 0;
}

static uint32_t mt_next(mt_t *m)
{
	if (m->i >= MT_N)
		mt_twist(m);
	uint32_t y = m->s[m->i++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680u;
	y ^= (y << 15) & 0xefc60000u;
	y ^= y >> 18;
	return y;
}

/* A number in [lo, hi]: the draw's low 28 bits scaled to the range. */
static uint32_t mt_range(mt_t *m, uint32_t lo, uint32_t hi)
{
	uint64_t r = mt_next(m) & 0x0fffffffu;
	return lo + (uint32_t)((r * (hi - lo + 1)) >> 28);
}

int64_t dga_qakbot_period(int64_t day)
{
	dga_date_t d;
	dga_date_of(day, &d);
	unsigned third = (d.day - 1) / 10;
	return d.year * 100 * 10 + d.month * 10 + (third > 2 ? 2 : third);
}

int dga_qakbot_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	static const char *const months[12] = { "jan", "feb", "mar", "apr", "may", "jun",
	                                        "jul", "aug", "sep", "oct", "nov", "dec" };
	static const char *const tlds[6] = { "com", "net", "org", "info", "biz", "org" };
	dga_date_t d;
	char text[64], name[DGA_MAX_NAME];
	mt_t mt;
	mt_t *m = &mt;
	dga_date_of(day, &d);

	unsigned third = (d.day - 1) / 10;
	int n = snprintf(text, sizeof(text), "%u.%s.%lld.%08x", third > 2 ? 2u : third,
	                 months[d.month - 1], (long long)d.year, (unsigned)p->seed);
	uint32_t crc = (uint32_t)crc32(0L, (const unsigned char *)text, (uInt)n);
	mt_init(m, crc);

	for (uint32_t k = 0; k < p->count; k++) {
		const char *tld = tlds[mt_range(m, 0, 5)];
		size_t len = mt_range(m, 8, 25);
		for (size_t i = 0; i < len; i++)
			name[i] = (char)('a' + mt_range(m, 0, 25));
		len = dga_add_tld(name, len, tld, strlen(tld));
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
