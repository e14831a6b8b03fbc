/* dga.h — botnet domain generation algorithms (DGAs): one table of the
 * families, and one entry point that yields the names of a date range in the
 * malware's own order.
 *
 * Every family lives in its own file (src/dga/NAME.c) and computes names
 * byte for byte as the malware does (docs/internals/dga.md describes each
 * algorithm). Generation never allocates: names are built in a buffer on the
 * stack and handed to the caller's callback, which borrows the text until it
 * returns. Nothing here prints or exits; bad parameters are logged through
 * ts_log and returned as TS_EINPUT. */
#ifndef TS_DGA_H
#define TS_DGA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define DGA_MAX_NAME      256u      /* one generated name with its TLD and NUL */
#define DGA_MAX_TLDS      64u       /* entries in a per-sample TLD list */
#define DGA_MAX_TLD       63u       /* one TLD label */
#define DGA_MAX_COUNT     1000000u  /* --count: names per period */
#define DGA_MAX_DAYS      3660u     /* --days: about ten years */
#define DGA_FIRST_DAY     0         /* 1970-01-01, days since the epoch */
#define DGA_LAST_DAY      2932896   /* 9999-12-31 */

/* How a family's seed is written on the command line. */
typedef enum dga_seed_kind {
	DGA_SEED_NONE = 0,   /* the family has no per-sample seed */
	DGA_SEED_UINT,       /* a decimal integer (locky, qakbot, necurs' magic number) */
	DGA_SEED_HEX32,      /* 1 to 8 hexadecimal digits (ramnit: EF214BBF) */
	DGA_SEED_DOMAIN      /* a domain name (banjori) */
} dga_seed_kind_t;

/* The parameters of one run, filled by dga_params_init. Plain data, no
 * pointers into caller memory: it may be copied and kept. */
typedef struct dga_params {
	uint32_t seed;                       /* DGA_SEED_UINT and DGA_SEED_HEX32 */
	char seed_name[DGA_MAX_NAME];        /* DGA_SEED_DOMAIN, lower case */
	size_t seed_len;
	char tld[DGA_MAX_TLDS][DGA_MAX_TLD + 1]; /* families with a TLD list */
	uint8_t tld_len[DGA_MAX_TLDS];
	size_t ntlds;
	uint32_t count;                      /* names per period */
} dga_params_t;

/* Receives one name (NUL-terminated, `len` bytes, borrowed until the call
 * returns) and the day (days since 1970-01-01) of the requested range that
 * the name belongs to: the first requested day of its period. Returns 0 to
 * go on; anything else stops generation and becomes dga_generate's result. */
typedef int (*dga_emit_fn)(void *user, const char *name, size_t len, int64_t day);

/* The state one family's generator writes names through (see family.h). */
typedef struct dga_sink dga_sink_t;

typedef struct dga_family {
	const char *name;            /* "necurs" */
	const char *summary;         /* one line for `dga list` */
	dga_seed_kind_t seed_kind;
	const char *seed_default;    /* the seed in its natural form; NULL: none */
	uint32_t seed_max;           /* DGA_SEED_UINT: the largest accepted value */
	const char *tlds_default;    /* comma-separated per-sample TLD list; NULL: fixed */
	const char *period;          /* how the date selects the names, in words */
	unsigned period_days;        /* the period's nominal length; 0: undated */
	bool dated;                  /* false: the names do not depend on the date */
	uint32_t count;              /* default names per period */
	bool count_fixed;            /* true: the malware's count, --count not accepted */
	/* The period a day falls in: two days with the same key get the same names. */
	int64_t (*period_key)(int64_t day);
	/* Generates p->count names of the period containing `day`. */
	int (*generate)(const dga_params_t *p, int64_t day, dga_sink_t *sink);
} dga_family_t;

/* The table of families, in the order `dga list` prints them. */
const dga_family_t *dga_families(size_t *n);
/* The family called `name`, or NULL. */
const dga_family_t *dga_find(const char *name);

/* Fills `out` for family `f`. `seed` is the seed in its natural form (NULL:
 * the family's default), `tlds` a comma-separated TLD list (NULL: the
 * default; only for families with a per-sample list), `count` the names per
 * period (0: the family's default). TS_EINPUT, after logging why, when a value
 * does not fit the family; TS_EUSAGE, without a message, when the family
 * takes no seed or no TLD list and one was given. */
TS_WUR int dga_params_init(const dga_family_t *f, const char *seed, const char *tlds,
                           uint64_t count, dga_params_t *out);

/* Generates the names of `days` consecutive days starting at `day` (days
 * since 1970-01-01, within DGA_FIRST_DAY..DGA_LAST_DAY): every period the
 * range touches, once, in date order, each period's names in the malware's
 * order. Returns TS_OK, TS_EINPUT for a range outside the supported dates, or
 * the first non-zero value `emit` returned. */
TS_WUR int dga_generate(const dga_family_t *f, const dga_params_t *p, int64_t day,
                        uint32_t days, dga_emit_fn emit, void *user);

/* Hashes used by the families, exposed for the unit tests. `len` <= 55 for
 * MD5 (one block) and <= 512 for MD6-256 (one leaf). */
void dga_md5_short(const void *msg, size_t len, uint8_t out[16]);
void dga_md6_256_short(const void *msg, size_t len, uint8_t out[32]);

#endif
