/* logcap.h — captures the last ts_log message of a test (file, line, column,
 * text) and counts them; setup installs the capture, teardown restores the
 * default sink. Included by test files that check error positions. */
#ifndef TS_LOGCAP_H
#define TS_LOGCAP_H

#include <stdio.h>
#include <string.h>

#include "base/log.h"

static struct {
	char file[256];
	unsigned long line, col;
	char msg[512];
	int count;
} logged;

static void capture(void *user, ts_log_level_t level, const char *file, unsigned long line,
                    unsigned long col, const char *msg)
{
	(void)user;
	(void)level;
	snprintf(logged.file, sizeof(logged.file), "%s", file ? file : "");
	logged.line = line;
	logged.col = col;
	snprintf(logged.msg, sizeof(logged.msg), "%s", msg);
	logged.count++;
}

static int setup(void **state)
{
	(void)state;
	memset(&logged, 0, sizeof(logged));
	ts_log_set(capture, NULL, TS_LOG_DEBUG);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ts_log_set(NULL, NULL, TS_LOG_WARN);
	return 0;
}

#endif
