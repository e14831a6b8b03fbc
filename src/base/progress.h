/* progress.h — a progress bar on stderr for long runs, shown only when
 * stderr is a terminal (never in a pipe or a log file). */
#ifndef TS_PROGRESS_H
#define TS_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ts_progress {
	bool on;
	const char *label;     /* borrowed */
	uint64_t total;        /* bytes; 0 when unknown (then only bytes are shown) */
	uint64_t start_ns;
	uint64_t last_ns;
} ts_progress_t;

/* Shows the bar when `enable` and stderr is a terminal. */
void ts_progress_init(ts_progress_t *p, const char *label, uint64_t total, bool enable);
/* Redraws at most ten times a second. */
void ts_progress_update(ts_progress_t *p, uint64_t done);
/* Clears the line. */
void ts_progress_done(ts_progress_t *p);
/* Formats one bar line (no CR, no newline) into buf; for tests. */
void ts_progress_format(char *buf, size_t cap, const char *label, uint64_t done,
                        uint64_t total, double seconds);
/* Monotonic nanoseconds. */
uint64_t ts_mono_ns(void);

#endif
