/* pykspa.c — Pykspa, the "improved" DGA, set 1 (the names its C2 lives on;
 * set 2 is noise). The 20-day window number is hashed with MD6-256; the hex
 * digest drives a chain of 32-bit linear congruential steps over a 128-word
 * table and a 256-byte buffer, which yields a 32-bit seed. Each name then
 * advances the seed, takes 6 to 12 letters from a mixing formula, and its
 * TLD from the seed's low two bits. */
#include <stdio.h>
#include <string.h>

#include "dga/family.h"

#define PYK_WORDS 128u
#define PYK_PAD   256u

typedef struct pyk {
	uint32_t v[PYK_WORDS];
	uint32_t acc;          /* the running result the steps fold into */
} pyk_t;

static inline uint32_t rotl32(uint32_t v, unsigned s)
{
	return s == 0 ? v : (v << s) | (v >> (32 - s));
}

/* One step on word `i`: advance it by the LCG, fold its high bits into acc. */
static inline void pyk_step(pyk_t *k, size_t i)
{
	uint32_t w = k->v[i] * 22695477u + 1u;
	k->v[i] = w;
	unsigned shift = k->acc & 0xfu;
	k->acc = rotl32(((w >> 16) & 0x7fffu) + k->acc, shift);
}

/* Word i is stepped i + 1 times, in order, starting from acc = 0. */
static void pyk_rounds(pyk_t *k)
{
	k->acc = 0;
	for (size_t i = 0; i < PYK_WORDS; i++)
		for (size_t r = 0; r <= i; r++)
			pyk_step(k, i);
}

/* Steps every word once, then mixes `key` in; returns key ^ (acc & 0xff)
 * as it was before the mixing. */
static uint8_t pyk_encrypt(pyk_t *k, uint8_t key)
{
	for (size_t i = 0; i < PYK_WORDS; i++)
		pyk_step(k, i);
	uint8_t out = (uint8_t)(key ^ (k->acc & 0xffu));
	k->acc += key;
	k->v[PYK_WORDS - 1] += key;
	return out;
}

/* `rounds` passes over the buffer from `at`, wrapping: each byte becomes
 * the low byte of acc after its pass. */
static void pyk_transform(pyk_t *k, uint8_t *buf, size_t at, size_t rounds)
{
	while (rounds-- > 0) {
		if (at >= PYK_PAD)
			at = 0;
		uint8_t key = buf[at];
		buf[at] = (uint8_t)(pyk_encrypt(k, key) ^ key);
		at++;
	}
}

static uint32_t pyk_seed(uint32_t window)
{
	uint8_t msg[4] = { (uint8_t)window, (uint8_t)(window >> 8), (uint8_t)(window >> 16),
	                   (uint8_t)(window >> 24) };
	uint8_t dig[32], buf[PYK_PAD];
	char hex[65];
	pyk_t k;

	dga_md6_256_short(msg, sizeof(msg), dig);
	for (size_t i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);

	memset(&k, 0, sizeof(k));
	for (size_t i = 0; i < 32; i++)
		k.v[i] = (uint32_t)(unsigned char)hex[2 * i] * 256u + (unsigned char)hex[2 * i + 1];
	pyk_rounds(&k);

	memset(buf, 0, sizeof(buf));
	memcpy(buf, hex, 64);
	pyk_transform(&k, buf, 0, PYK_PAD);
	pyk_transform(&k, buf, PYK_PAD - 1, (PYK_PAD + 1) * 10);

	for (size_t i = 0; i < PYK_WORDS; i++)
		k.v[i] = (uint32_t)buf[2 * i] * 256u + buf[2 * i + 1];
	pyk_rounds(&k);

	uint32_t seed = 0;
	size_t off = window % 50;
	for (size_t i = 0; i < 4; i++)
		seed |= (uint32_t)pyk_encrypt(&k, (uint8_t)hex[off + i]) << (8 * i);
	return seed;
}

static size_t pyk_sld(uint64_t seed, size_t len, char *out)
{
	uint64_t modulo = 541u * len + 4u;
	uint64_t a = len * len;
	for (size_t i = 0; i < len; i++) {
		uint64_t x = seed % 5 + seed % 123456 + i * ((seed & 1) + seed % 4567);
		uint32_t prod = (uint32_t)seed * (uint32_t)x;   /* the product's low 32 bits */
		out[i] = (char)('a' + (a + prod) % 26);
		a += len;
		uint32_t mix = 7837632u * (uint32_t)seed * (uint32_t)len;
		seed += ((uint64_t)mix + 82344u) % modulo;
	}
	return len;
}

int64_t dga_pykspa_period(int64_t day)
{
	return day / 20;
}

int dga_pykspa_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink)
{
	static const char *const tlds[4] = { "com", "net", "org", "info" };
	char name[DGA_MAX_NAME];
	uint64_t seed = pyk_seed((uint32_t)(day / 20));

	for (uint32_t k = 0; k < p->count; k++) {
		seed += seed % ((uint64_t)k + 1) + 1;
		size_t len = pyk_sld(seed, (size_t)((seed + k) % 7 + 6), name);
		const char *tld = tlds[seed & 3];
		len = dga_add_tld(name, len, tld, strlen(tld));
		int ret = dga_emit(sink, name, len);
		if (ret != 0)
			return ret;
	}
	return 0;
}
