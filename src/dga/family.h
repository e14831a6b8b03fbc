/* family.h — private to src/dga: what a family's file needs and provides.
 * Not for use outside the module (callers include dga.h). */
#ifndef TS_DGA_FAMILY_H
#define TS_DGA_FAMILY_H

#include <stddef.h>
#include <stdint.h>

#include "dga/dga.h"

/* Where names go: the caller's callback and the day to report. */
struct dga_sink {
	dga_emit_fn emit;
	void *user;
	int64_t day;
};

/* Hands one name to the caller; non-zero means stop and return it. */
static inline int dga_emit(dga_sink_t *s, const char *name, size_t len)
{
	return s->emit(s->user, name, len, s->day);
}

/* Appends ".tld" at name[len] and the NUL; returns the new length. The
 * buffer is DGA_MAX_NAME bytes and every family keeps its label short
 * enough for that. */
static inline size_t dga_add_tld(char *name, size_t len, const char *tld, size_t tlen)
{
	name[len++] = '.';
	for (size_t i = 0; i < tlen; i++)
		name[len++] = tld[i];
	name[len] = '\0';
	return len;
}

/* The civil date of a day (days since 1970-01-01). */
typedef struct dga_date {
	int64_t year;
	unsigned month;     /* 1..12 */
	unsigned day;       /* 1..31 */
	unsigned wday;      /* 0 = Sunday .. 6 = Saturday */
} dga_date_t;

void dga_date_of(int64_t day, dga_date_t *out);

/* MD5 of one block given as 16 little-endian words (md5.c), and the padding
 * of a message of at most 55 bytes into such a block. */
void dga_md5_words(const uint32_t m[16], uint32_t h[4]);
void dga_md5_pad(const void *msg, size_t len, uint32_t m[16]);

/* One pair of functions per family (src/dga/NAME.c). */
#define DGA_FAMILY_FNS(n) \
	int64_t dga_##n##_period(int64_t day); \
	int dga_##n##_generate(const dga_params_t *p, int64_t day, dga_sink_t *sink);

DGA_FAMILY_FNS(necurs)
DGA_FAMILY_FNS(newgoz)
DGA_FAMILY_FNS(murofet)
DGA_FAMILY_FNS(nymaim)
DGA_FAMILY_FNS(qakbot)
DGA_FAMILY_FNS(locky)
DGA_FAMILY_FNS(ramnit)
DGA_FAMILY_FNS(pykspa)
DGA_FAMILY_FNS(banjori)

#undef DGA_FAMILY_FNS

#endif
