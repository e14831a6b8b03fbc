/* rpz.h — the `rpz` feed reader (a Response Policy Zone's triggers). */
#ifndef TS_FEEDS_RPZ_H
#define TS_FEEDS_RPZ_H

#include "feeds/feed.h"

/* A feed_read_fn: reads the whole zone (at most 1 GiB) and delivers one
 * indicator per trigger name. A zone that does not parse is an error
 * (logged with FILE:LINE:COL), not a malformed line. */
TS_WUR int feed_read_rpz(ts_input_t *in, feed_threat_t threat, feed_sink_t *sink);

#endif
