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

int dga_necurs_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	dga_date_t d;
	char name[DGA_MAX_NAME];
	dga_date_of(day, &d);

	/* The date part of the chain is the same for every name of the period. */
	uint64_t base = mix((uint64_t)d.year);
	base = mix(base + d.month + 43690);
	base = mix(base + (d.day >> 2));

	for (uint32_t seq = 0; seq < p->count; seq++) {
		uint64_t n = mix(base + seq);
		n = mix(n + p->seed);
		size_t len = (size_t)(n % 15) + 7;
		for (size_t i = 0; i < len; i++) {
			n = mix(n + i);
			name[i] = (char)('a' + n % 25);
			n = mix(n + 0xABBEDF);
		}
		const char *tld = necurs_tlds[n % 43];
		len = dga_add_tld(name, len, tld, tld[2] == '\0' ? 2 : 3);
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
