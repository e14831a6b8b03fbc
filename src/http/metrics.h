/* metrics.h — the daemon's counters, rendered in the Prometheus text format
 * (version 0.0.4). Counters are atomic: any thread may count. */
#ifndef TS_HTTP_METRICS_H
#define TS_HTTP_METRICS_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

/* Routes as counted (and named in the `route` label). */
typedef enum http_route {
	ROUTE_REPORTS_POST, ROUTE_REPORT_GET, ROUTE_CASES, ROUTE_CASE, ROUTE_CASE_ACK, ROUTE_CASE_ASSESS,
	ROUTE_CASE_ACTIONS, ROUTE_CASE_CLOSE, ROUTE_STATS, ROUTE_HEALTHZ, ROUTE_METRICS, ROUTE_OTHER,
	ROUTE_COUNT_
} http_route_t;

typedef struct metrics metrics_t;

TS_WUR int metrics_new(metrics_t **m);
void metrics_free(metrics_t **m);

const char *metrics_route_name(http_route_t r);
/* One answered request: route, status, seconds from its first byte to its answer. */
void metrics_request(metrics_t *m, http_route_t route, int status, double seconds);
/* One stored report. */
void metrics_report(metrics_t *m, const char *tier, const char *priority);
/* One database commit shared by n requests. */
void metrics_batch(metrics_t *m, size_t n);
/* Appends the text exposition; open and overdue are the current case gauges. */
TS_WUR int metrics_render(metrics_t *m, uint64_t open_cases, uint64_t overdue_cases, dbuf_t *out);

#endif
