/* md5.c — MD5 (RFC 1321) of one 64-byte block: all that the DGAs need, since
 * their messages are a few bytes long. Written for speed in the generation
 * loop: the 64 steps are unrolled and the constants folded in. */
#include <string.h>

#include "dga/dga.h"
#include "dga/family.h"

#define ROTL(x, c) (((x) << (c)) | ((x) >> (32 - (c))))
#define FF(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define GG(x, y, z) ((y) ^ ((z) & ((x) ^ (y))))
#define HH(x, y, z) ((x) ^ (y) ^ (z))
#define II(x, y, z) ((y) ^ ((x) | ~(z)))
#define STEP(f, a, b, c, d, w, k, s) \
	do { (a) += f((b), (c), (d)) + (w) + (uint32_t)(k); (a) = ROTL((a), (s)) + (b); } while (0)

void dga_md5_words(const uint32_t m[16], uint32_t h[4])
{
	uint32_t a = 0x67452301u, b = 0xefcdab89u, c = 0x98badcfeu, d = 0x10325476u;

	STEP(FF, a, b, c, d, m[0], 0xd76aa478, 7);   STEP(FF, d, a, b, c, m[1], 0xe8c7b756, 12);
	STEP(FF, c, d, a, b, m[2], 0x242070db, 17);  STEP(FF, b, c, d, a, m[3], 0xc1bdceee, 22);
	STEP(FF, a, b, c, d, m[4], 0xf57c0faf, 7);   STEP(FF, d, a, b, c, m[5], 0x4787c62a, 12);
	STEP(FF, c, d, a, b, m[6], 0xa8304613, 17);  STEP(FF, b, c, d, a, m[7], 0xfd469501, 22);
	STEP(FF, a, b, c, d, m[8], 0x698098d8, 7);   STEP(FF, d, a, b, c, m[9], 0x8b44f7af, 12);
	STEP(FF, c, d, a, b, m[10], 0xffff5bb1, 17); STEP(FF, b, c, d, a, m[11], 0x895cd7be, 22);
	STEP(FF, a, b, c, d, m[12], 0x6b901122, 7);  STEP(FF, d, a, b, c, m[13], 0xfd987193, 12);
	STEP(FF, c, d, a, b, m[14], 0xa679438e, 17); STEP(FF, b, c, d, a, m[15], 0x49b40821, 22);

	STEP(GG, a, b, c, d, m[1], 0xf61e2562, 5);   STEP(GG, d, a, b, c, m[6], 0xc040b340, 9);
	STEP(GG, c, d, a, b, m[11], 0x265e5a51, 14); STEP(GG, b, c, d, a, m[0], 0xe9b6c7aa, 20);
	STEP(GG, a, b, c, d, m[5], 0xd62f105d, 5);   STEP(GG, d, a, b, c, m[10], 0x02441453, 9);
	STEP(GG, c, d, a, b, m[15], 0xd8a1e681, 14); STEP(GG, b, c, d, a, m[4], 0xe7d3fbc8, 20);
	STEP(GG, a, b, c, d, m[9], 0x21e1cde6, 5);   STEP(GG, d, a, b, c, m[14], 0xc33707d6, 9);
	STEP(GG, c, d, a, b, m[3], 0xf4d50d87, 14);  STEP(GG, b, c, d, a, m[8], 0x455a14ed, 20);
	STEP(GG, a, b, c, d, m[13], 0xa9e3e905, 5);  STEP(GG, d, a, b, c, m[2], 0xfcefa3f8, 9);
	STEP(GG, c, d, a, b, m[7], 0x676f02d9, 14);  STEP(GG, b, c, d, a, m[12], 0x8d2a4c8a, 20);

	STEP(HH, a, b, c, d, m[5], 0xfffa3942, 4);   STEP(HH, d, a, b, c, m[8], 0x8771f681, 11);
	STEP(HH, c, d, a, b, m[11], 0x6d9d6122, 16); STEP(HH, b, c, d, a, m[14], 0xfde5380c, 23);
	STEP(HH, a, b, c, d, m[1], 0xa4beea44, 4);   STEP(HH, d, a, b, c, m[4], 0x4bdecfa9, 11);
	STEP(HH, c, d, a, b, m[7], 0xf6bb4b60, 16);  STEP(HH, b, c, d, a, m[10], 0xbebfbc70, 23);
	STEP(HH, a, b, c, d, m[13], 0x289b7ec6, 4);  STEP(HH, d, a, b, c, m[0], 0xeaa127fa, 11);
	STEP(HH, c, d, a, b, m[3], 0xd4ef3085, 16);  STEP(HH, b, c, d, a, m[6], 0x04881d05, 23);
	STEP(HH, a, b, c, d, m[9], 0xd9d4d039, 4);   STEP(HH, d, a, b, c, m[12], 0xe6db99e5, 11);
	STEP(HH, c, d, a, b, m[15], 0x1fa27cf8, 16); STEP(HH, b, c, d, a, m[2], 0xc4ac5665, 23);

	STEP(II, a, b, c, d, m[0], 0xf4292244, 6);   STEP(II, d, a, b, c, m[7], 0x432aff97, 10);
	STEP(II, c, d, a, b, m[14], 0xab9423a7, 15); STEP(II, b, c, d, a, m[5], 0xfc93a039, 21);
	STEP(II, a, b, c, d, m[12], 0x655b59c3, 6);  STEP(II, d, a, b, c, m[3], 0x8f0ccc92, 10);
	STEP(II, c, d, a, b, m[10], 0xffeff47d, 15); STEP(II, b, c, d, a, m[1], 0x85845dd1, 21);
	STEP(II, a, b, c, d, m[8], 0x6fa87e4f, 6);   STEP(II, d, a, b, c, m[15], 0xfe2ce6e0, 10);
	STEP(II, c, d, a, b, m[6], 0xa3014314, 15);  STEP(II, b, c, d, a, m[13], 0x4e0811a1, 21);
	STEP(II, a, b, c, d, m[4], 0xf7537e82, 6);   STEP(II, d, a, b, c, m[11], 0xbd3af235, 10);
	STEP(II, c, d, a, b, m[2], 0x2ad7d2bb, 15);  STEP(II, b, c, d, a, m[9], 0xeb86d391, 21);

	h[0] = a + 0x67452301u;
	h[1] = b + 0xefcdab89u;
	h[2] = c + 0x98badcfeu;
	h[3] = d + 0x10325476u;
}

void dga_md5_pad(const void *msg, size_t len, uint32_t m[16])
{
	uint8_t blk[64];
	memset(blk, 0, sizeof(blk));
	memcpy(blk, msg, len);
	blk[len] = 0x80;
	uint64_t bits = (uint64_t)len * 8u;
	for (int i = 0; i < 8; i++)
		blk[56 + i] = (uint8_t)(bits >> (8 * i));
	for (int i = 0; i < 16; i++)
		m[i] = (uint32_t)blk[4 * i] | (uint32_t)blk[4 * i + 1] << 8 |
		       (uint32_t)blk[4 * i + 2] << 16 | (uint32_t)blk[4 * i + 3] << 24;
}

void dga_md5_short(const void *msg, size_t len, uint8_t out[16])
{
	uint32_t m[16], h[4];
	dga_md5_pad(msg, len, m);
	dga_md5_words(m, h);
	for (int i = 0; i < 4; i++)
		for (int j = 0; j < 4; j++)
			out[4 * i + j] = (uint8_t)(h[i] >> (8 * j));
}
