/* log.c — the logging callback and the default stderr writer. */
#include <stdarg.h>
#include <stdio.h>

#include "base/log.h"

static void log_stderr(void *user, ts_log_level_t level, const char *file,
                       unsigned long line, unsigned long col, const char *msg)
{
	(void)user;
	const char *tag = level == TS_LOG_WARN ? "warning: " : "";
	if (file != NULL && col > 0)
		fprintf(stderr, "tldsec: %s:%lu:%lu: %s%s\n", file, line, col, tag, msg);
	else if (file != NULL && line > 0)
		fprintf(stderr, "tldsec: %s:%lu: %s%s\n", file, line, tag, msg);
	else if (file != NULL)
		fprintf(stderr, "tldsec: %s: %s%s\n", file, tag, msg);
	else
		fprintf(stderr, "tldsec: %s%s\n", tag, msg);
}

static ts_log_fn log_fn = log_stderr;
static void *log_user;
static ts_log_level_t log_max = TS_LOG_WARN;

void ts_log_set(ts_log_fn fn, void *user, ts_log_level_t max_level)
{
	log_fn = fn != NULL ? fn : log_stderr;
	log_user = user;
	log_max = max_level;
}

ts_log_level_t ts_log_level(void)
{
	return log_max;
}

static void log_v(ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *fmt, va_list ap)
{
	if (level > log_max)
		return;
	char msg[2048];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	log_fn(log_user, level, file, line, col, msg);
}

void ts_log(ts_log_level_t level, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(level, NULL, 0, 0, fmt, ap);
	va_end(ap);
}

void ts_log_pos(ts_log_level_t level, const char *file, unsigned long line,
                unsigned long col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	log_v(level, file, line, col, fmt, ap);
	va_end(ap);
}
