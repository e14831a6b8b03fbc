/* banjori.c — Banjori (MultiBanker 2, BankPatch). Starting from the sample's
 * seed domain, each name rewrites the first four characters of the previous
 * one from sums of their character codes, reduced to a lower-case letter;
 * the rest of the name is kept. The seed itself is not among the names. */
#include <string.h>

#include "dga/family.h"

/* 'a' + ((c - 'a') mod 26), for the non-negative sums used here. */
static inline int letter(int c)
{
	int v = (c - 'a') % 26;
	return 'a' + (v < 0 ? v + 26 : v);
}

int64_t dga_banjori_period(int64_t day)
{
	(void)day;
	return 0;
}

int dga_banjori_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	char name[DGA_MAX_NAME];
	(void)day;
	memcpy(name, p->seed_name, p->seed_len + 1);

	for (uint32_t k = 0; k < p->count; k++) {
		int c0 = (unsigned char)name[0], c1 = (unsigned char)name[1];
		int c2 = (unsigned char)name[2], c3 = (unsigned char)name[3];
		c0 = letter(c0 + c3);
		c1 = letter(c0 + 2 * c1);
		c2 = letter(c0 + c2 - 1);
		c3 = letter(c1 + c2 + c3);
		name[0] = (char)c0;
		name[1] = (char)c1;
		name[2] = (char)c2;
		name[3] = (char)c3;
		int ret = dga_emit(sink, name, p->seed_len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
