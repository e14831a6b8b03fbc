/* murofet.c — Murofet (Licat) version 1, 2010-2011. Each name comes from the
 * MD5 of 7 bytes: the year's low byte plus 0x30, the month, the day rounded
 * down to a multiple of 7, and the 32-bit index. Every digest byte yields up
 * to two letters; the index picks the TLD. */
#include <string.h>

#include "dga/family.h"

int64_t dga_murofet_period(int64_t day)
{
	dga_date_t d;
	dga_date_of(day, &d);
	return d.year * 10000 + d.month * 100 + (d.day / 7) * 7;
}

int dga_murofet_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	static const char *const tlds[6] = { "ru", "biz", "info", "org", "net", "com" };
	dga_date_t d;
	char name[DGA_MAX_NAME];
	uint8_t rec[7], dig[16];
	dga_date_of(day, &d);

	rec[0] = (uint8_t)(((uint32_t)d.year & 0xffu) + 0x30u);
	rec[1] = (uint8_t)d.month;
	rec[2] = (uint8_t)((d.day / 7) * 7);
	for (uint32_t idx = 0; idx < p->count; idx++) {
		rec[3] = (uint8_t)idx;
		rec[4] = (uint8_t)(idx >> 8);
		rec[5] = (uint8_t)(idx >> 16);
		rec[6] = (uint8_t)(idx >> 24);
		dga_md5_short(rec, sizeof(rec), dig);
		size_t len = 0;
		for (int i = 0; i < 16; i++) {
			unsigned lo = (dig[i] & 0x1fu) + 'a';
			unsigned hi = (dig[i] >> 3) + 'a';
			if (lo == hi)
				continue;
			if (lo <= 'z')
				name[len++] = (char)lo;
			if (hi <= 'z')
				name[len++] = (char)hi;
		}
		/* The first of 6, 5, 4, 3, 2 that divides the index; else .com. */
		const char *tld = tlds[5];
		for (unsigned i = 0; i < 5; i++) {
			if (idx % (6 - i) == 0) {
				tld = tlds[i];
				break;
			}
		}
		len = dga_add_tld(name, len, tld, strlen(tld));
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
