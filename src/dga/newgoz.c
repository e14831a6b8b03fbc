/* newgoz.c — the "new Gameover Zeus" DGA (2014). Each name is the MD5 of a
 * 22-byte record (sequence number, year, month and day, interleaved with a
 * fixed 4-byte key); the four 32-bit words of the digest are written in base
 * 36 and concatenated. The TLD follows from the sequence number. */
#include "dga/family.h"

int64_t dga_newgoz_period(int64_t day)
{
	return day;
}

/* Writes v in base 36, most significant digit first; returns the length. */
static inline size_t base36(uint32_t v, char *out)
{
	char tmp[8];
	size_t n = 0;
	do {
		uint32_t r = v % 36;
		v /= 36;
		tmp[n++] = (char)(r < 10 ? '0' + r : 'a' + (r - 10));
	} while (v != 0 && n < 7);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	return n;
}

int dga_newgoz_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	dga_date_t d;
	char name[DGA_MAX_NAME];
	uint32_t m[16] = { 0 }, h[4];
	dga_date_of(day, &d);

	/* The padded MD5 block, as little-endian words: seq(4) year(2) key(4)
	 * month(2) key(4) day(2) key(4), 0x80, zeros, bit length 176. */
	m[1] = ((uint32_t)d.year & 0xffffu) | 0x05010000u;
	m[2] = 0x3519u | d.month << 16;
	m[3] = 0x35190501u;
	m[4] = d.day | 0x05010000u;
	m[5] = 0x00803519u;
	m[14] = 22u * 8u;

	for (uint32_t seq = 0; seq < p->count; seq++) {
		m[0] = seq;
		dga_md5_words(m, h);
		size_t len = 0;
		for (int i = 0; i < 4; i++)
			len += base36(h[i], name + len);
		if (seq % 4 == 0)
			len = dga_add_tld(name, len, "com", 3);
		else if (seq % 3 == 0)
			len = dga_add_tld(name, len, "org", 3);
		else if (seq % 2 == 0)
			len = dga_add_tld(name, len, "biz", 3);
		else
			len = dga_add_tld(name, len, "net", 3);
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
