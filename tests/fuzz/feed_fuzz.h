/* feed_fuzz.h — the common body of the feed-reader fuzz targets: read the
 * input as a feed of one format, check what is delivered, never crash. */
#ifndef TS_FEED_FUZZ_H
#define TS_FEED_FUZZ_H

#include <stdint.h>
#include <string.h>

#include "base/log.h"
#include "feeds/feed.h"
#include "feeds/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_feed_quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                            unsigned long col, const char *msg)
{
	(void)user;
	(void)level;
	(void)file;
	(void)line;
	(void)col;
	(void)msg;
}

/* Every delivered host is a well-formed name that reduces to itself. */
static int fuzz_feed_check(void *user, const feed_indicator_t *ind)
{
	char again[URL_HOST_CAP];
	size_t len;
	url_host_kind_t kind;
	(void)user;
	if (ind->host_len == 0 || strlen(ind->host) != ind->host_len ||
	    strlen(ind->text) > ind->text_len || ind->line == 0 ||
	    ind->threat <= FEED_THREAT_NONE || ind->threat >= FEED_THREAT_COUNT_)
		__builtin_trap();
	if (url_to_host(ind->host, ind->host_len, again, sizeof(again), &len, &kind) != TS_OK ||
	    kind != URL_HOST_NAME || len != ind->host_len || memcmp(again, ind->host, len) != 0)
		__builtin_trap();
	return TS_OK;
}

static int fuzz_feed(const char *format, feed_threat_t threat, const uint8_t *data, size_t size)
{
	ts_input_t *in = NULL;
	feed_stats_t st;
	ts_log_set(fuzz_feed_quiet, NULL, TS_LOG_DEBUG);
	if (ts_input_open_mem(&in, "fuzz", data, size) != TS_OK)
		return 0;
	const feed_format_t *fmt = feed_format_find(format, strlen(format));
	int ret = feed_read(fmt, in, threat, fuzz_feed_check, NULL, &st);
	/* A zone-based feed (rpz) also fails whole on a syntax error or a cap. */
	if (ret != TS_OK && ret != TS_EINPUT && ret != TS_EIO && ret != TS_ENOMEM &&
	    ret != TS_ESYNTAX && ret != TS_ELIMIT)
		__builtin_trap();
	if (st.named > TS_MAX_MALFORMED_NAMED || st.named > st.malformed)
		__builtin_trap();
	ts_input_close(&in);
	return 0;
}

#endif
