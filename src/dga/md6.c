/* md6.c — MD6-256 (Rivest et al., 2008) for messages of at most 512 bytes,
 * unkeyed, default mode (L = 64). Such a message fills one leaf: one call of
 * the compression function, flagged as the final one, whose last four output
 * words are the digest. Pykspa hashes a 4-byte value this way. */
#include <string.h>

#include "dga/dga.h"

#define MD6_N      89u                  /* words into the compression function */
#define MD6_C      16u                  /* words out of it */
#define MD6_D      256u                 /* digest bits */
#define MD6_R      (40u + MD6_D / 4u)   /* rounds: 104 */
#define MD6_L      64u                  /* mode parameter: tree height bound */
#define MD6_S0     0x0123456789abcdefull
#define MD6_SMASK  0x7311c2812425cfa0ull

/* The first 960 bits of the fractional part of the square root of 6. */
static const uint64_t md6_q[15] = {
	0x7311c2812425cfa0ull, 0x6432286434aac8e7ull, 0xb60450e9ef68b7c1ull,
	0xe8fb23908d9f06f1ull, 0xdd2e76cba691e5bfull, 0x0cd0d63b2c30bc41ull,
	0x1f8ccf6823058f8aull, 0x54e5ed5b88e3775dull, 0x4ad12aae0a6d6031ull,
	0x3e7f16bb88222e0dull, 0x8af8671d3fb50c2cull, 0x995ad1178bd25c31ull,
	0xc878c1dd04c4b633ull, 0x3b72066c7a1552acull, 0x0d6f3522631effcbull,
};
/* Right and left shift amounts of the 16 steps of a round. */
static const unsigned md6_rs[16] = { 10, 5, 13, 10, 11, 12, 2, 7, 14, 15, 7, 13, 11, 7, 6, 12 };
static const unsigned md6_ls[16] = { 11, 24, 9, 16, 15, 9, 27, 15, 6, 2, 29, 8, 15, 5, 31, 9 };

void dga_md6_256_short(const void *msg, size_t len, uint8_t out[32])
{
	uint64_t a[MD6_N + MD6_R * MD6_C];
	uint8_t block[512];
	size_t k = 0;

	memset(block, 0, sizeof(block));
	memcpy(block, msg, len);
	for (unsigned i = 0; i < 15; i++)
		a[k++] = md6_q[i];
	for (unsigned i = 0; i < 8; i++)
		a[k++] = 0;                                 /* no key */
	a[k++] = (uint64_t)1 << 56;                     /* U: level 1, node 0 */
	a[k++] = (uint64_t)MD6_R << 48 | (uint64_t)MD6_L << 40 | (uint64_t)1 << 36 |
	         (uint64_t)(4096u - 8u * len) << 20 | MD6_D;  /* V: final node, padding bits */
	for (unsigned w = 0; w < 64; w++) {
		uint64_t v = 0;
		for (unsigned b = 0; b < 8; b++)
			v = v << 8 | block[8 * w + b];
		a[k++] = v;
	}

	uint64_t s = MD6_S0;
	for (size_t i = MD6_N; i < MD6_N + MD6_R * MD6_C; i += MD6_C) {
		for (unsigned j = 0; j < MD6_C; j++) {
			size_t p = i + j;
			uint64_t x = s ^ a[p - 89] ^ a[p - 17] ^ (a[p - 18] & a[p - 21]) ^
			             (a[p - 31] & a[p - 67]);
			x ^= x >> md6_rs[j];
			a[p] = x ^ (x << md6_ls[j]);
		}
		s = ((s << 1) | (s >> 63)) ^ (s & MD6_SMASK);
	}

	const uint64_t *c = &a[MD6_N + MD6_R * MD6_C - 4];
	for (unsigned w = 0; w < 4; w++)
		for (unsigned b = 0; b < 8; b++)
			out[8 * w + b] = (uint8_t)(c[w] >> (56 - 8 * b));
}
