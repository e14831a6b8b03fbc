/* log.h — logging through an injected callback, so the CLI prints to stderr
 * and the daemon writes structured lines from the same code. */
#ifndef TS_LOG_H
#define TS_LOG_H

typedef enum ts_log_level {
	TS_LOG_ERR = 0,
	TS_LOG_WARN,
	TS_LOG_INFO,
	TS_LOG_DEBUG
} ts_log_level_t;

/* Receives one formatted message without a trailing newline. `file` is NULL
 * unless the message is about a position in an input (then line and col are
 * 1-based; col 0 means the whole line). */
typedef void (*ts_log_fn)(void *user, ts_log_level_t level, const char *file,
                          unsigned long line, unsigned long col, const char *msg);

/* Installs the callback and the most verbose level passed to it. NULL restores
 * the default (stderr as "tldsec: [FILE:LINE:COL: ]message"). Not thread-safe:
 * call at start-up. */
void ts_log_set(ts_log_fn fn, void *user, ts_log_level_t max_level);
ts_log_level_t ts_log_level(void);

void ts_log(ts_log_level_t level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ts_log_pos(ts_log_level_t level, const char *file, unsigned long line,
                unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

#endif
