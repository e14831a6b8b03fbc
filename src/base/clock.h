/* clock.h — the current time (TLDSEC_NOW when set, so clocks can be tested)
 * and ISO 8601 UTC conversion. Times are seconds since the Unix epoch. */
#ifndef TS_CLOCK_H
#define TS_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define TS_TIME_TEXT 21   /* "2026-01-02T00:00:00Z" and its NUL */

/* The current time: TLDSEC_NOW when it is set (TS_EINPUT when it does not
 * parse), the system clock otherwise. */
TS_WUR int ts_now(int64_t *out);

/* Parses "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS[.frac]]" followed by "Z",
 * "+HH:MM"/"-HH:MM" or nothing (UTC), or a space in place of the "T".
 * Returns TS_EINPUT for anything else or an impossible date. */
TS_WUR int ts_time_parse(const char *s, size_t n, int64_t *out);

/* Writes "YYYY-MM-DDTHH:MM:SSZ" into buf. */
void ts_time_format(int64_t t, char buf[TS_TIME_TEXT]);
/* Writes "YYYY-MM-DD" into buf (11 bytes). */
void ts_date_format(int64_t t, char buf[11]);

/* Days since 1970-01-01 of a proleptic Gregorian date, and back. */
int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d);
void ts_civil_from_days(int64_t days, int64_t *y, unsigned *m, unsigned *d);

#endif
