/* num.h — checked number parsing (no atoi here). */
#ifndef TS_NUM_H
#define TS_NUM_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

/* Parses all of s[0..n) as a decimal unsigned integer not above `max`.
 * TS_EINPUT on an empty string, a non-digit, or overflow. */
TS_WUR int ts_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
/* The same with an optional leading '-' and bounds [min, max]. */
TS_WUR int ts_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out);
/* Parses all of s[0..n) as a finite decimal floating-point number. */
TS_WUR int ts_parse_double(const char *s, size_t n, double *out);
/* Command-line helpers: NUL-terminated strings. */
TS_WUR int ts_parse_uint_arg(const char *s, uint64_t max, uint64_t *out);

#endif
