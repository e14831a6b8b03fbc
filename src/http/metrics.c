/* metrics.c — counters and histograms for /metrics. */
#include <stdatomic.h>
#include <string.h>

#include "base/alloc.h"
#include "http/metrics.h"

static const char *const route_names[ROUTE_COUNT_] = {
	"POST /v1/reports", "GET /v1/reports/{id}", "GET /v1/cases", "GET /v1/cases/{id}",
	"POST /v1/cases/{id}/ack", "POST /v1/cases/{id}/assess", "POST /v1/cases/{id}/actions",
	"POST /v1/cases/{id}/close", "GET /v1/stats", "GET /healthz", "GET /metrics", "other",
};

static const int statuses[] = { 200, 201, 400, 401, 403, 404, 405, 409, 413, 415, 422, 429, 431, 500, 503 };
#define N_STATUS (sizeof(statuses) / sizeof(statuses[0]) + 1) /* + "other" */

static const double lat_bounds[] = { 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5 };
#define N_LAT (sizeof(lat_bounds) / sizeof(lat_bounds[0]))
static const unsigned batch_bounds[] = { 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 4096 };
#define N_BATCH (sizeof(batch_bounds) / sizeof(batch_bounds[0]))

static const char *const tiers[] = { "law_enforcement", "government", "trusted_third_party", "public",
	                             "anonymous" };
static const char *const prios[] = { "high", "standard", "low" };
#define N_TIER 5
#define N_PRIO 3

struct metrics {
	atomic_uint_fast64_t req[ROUTE_COUNT_][N_STATUS];
	atomic_uint_fast64_t lat[N_LAT + 1];   /* per bucket, not cumulative */
	atomic_uint_fast64_t lat_count;
	atomic_uint_fast64_t lat_sum_us;
	atomic_uint_fast64_t reports[N_TIER][N_PRIO];
	atomic_uint_fast64_t batch[N_BATCH + 1];
	atomic_uint_fast64_t batch_count;
	atomic_uint_fast64_t batch_sum;
};

int metrics_new(metrics_t **m)
{
	*m = ts_calloc(1, sizeof(**m));
	return *m == NULL ? TS_ENOMEM : TS_OK;
}

void metrics_free(metrics_t **m)
{
	if (m == NULL || *m == NULL)
		return;
	ts_free(*m);
	*m = NULL;
}

const char *metrics_route_name(http_route_t r)
{
	return r < ROUTE_COUNT_ ? route_names[r] : "other";
}

static size_t status_index(int status)
{
	for (size_t i = 0; i + 1 < N_STATUS; i++)
		if (statuses[i] == status)
			return i;
	return N_STATUS - 1;
}

void metrics_request(metrics_t *m, http_route_t route, int status, double seconds)
{
	if (route >= ROUTE_COUNT_)
		route = ROUTE_OTHER;
	atomic_fetch_add(&m->req[route][status_index(status)], 1);
	size_t b = 0;
	while (b < N_LAT && seconds > lat_bounds[b])
		b++;
	atomic_fetch_add(&m->lat[b], 1);
	atomic_fetch_add(&m->lat_count, 1);
	atomic_fetch_add(&m->lat_sum_us, (uint_fast64_t)(seconds * 1e6));
}

static int find(const char *const *list, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (s != NULL && strcmp(list[i], s) == 0)
			return (int)i;
	return -1;
}

void metrics_report(metrics_t *m, const char *tier, const char *priority)
{
	int t = find(tiers, N_TIER, tier), p = find(prios, N_PRIO, priority);
	if (t >= 0 && p >= 0)
		atomic_fetch_add(&m->reports[t][p], 1);
}

void metrics_batch(metrics_t *m, size_t n)
{
	size_t b = 0;
	while (b < N_BATCH && n > batch_bounds[b])
		b++;
	atomic_fetch_add(&m->batch[b], 1);
	atomic_fetch_add(&m->batch_count, 1);
	atomic_fetch_add(&m->batch_sum, n);
}

int metrics_render(metrics_t *m, uint64_t open_cases, uint64_t overdue_cases, dbuf_t *out)
{
	int ret = dbuf_adds(out, "# HELP tldsec_http_requests_total Requests answered, by route and status.\n"
	                         "# TYPE tldsec_http_requests_total counter\n");
	for (size_t r = 0; r < ROUTE_COUNT_ && ret == TS_OK; r++)
		for (size_t s = 0; s < N_STATUS && ret == TS_OK; s++) {
			uint64_t v = atomic_load(&m->req[r][s]);
			if (v == 0)
				continue;
			if (s + 1 < N_STATUS)
				ret = dbuf_addf(out, "tldsec_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
				                route_names[r], statuses[s], (unsigned long long)v);
			else
				ret = dbuf_addf(out, "tldsec_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
				                route_names[r], (unsigned long long)v);
		}
	if (ret == TS_OK)
		ret = dbuf_adds(out, "# HELP tldsec_http_request_duration_seconds Time from a request's arrival to its "
		                     "answer.\n# TYPE tldsec_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t b = 0; b < N_LAT && ret == TS_OK; b++) {
		cum += atomic_load(&m->lat[b]);
		ret = dbuf_addf(out, "tldsec_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n", lat_bounds[b],
		                (unsigned long long)cum);
	}
	if (ret == TS_OK)
		ret = dbuf_addf(out, "tldsec_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		                     "tldsec_http_request_duration_seconds_sum %.6f\n"
		                     "tldsec_http_request_duration_seconds_count %llu\n",
		                (unsigned long long)atomic_load(&m->lat_count),
		                (double)atomic_load(&m->lat_sum_us) / 1e6, (unsigned long long)atomic_load(&m->lat_count));
	if (ret == TS_OK)
		ret = dbuf_adds(out, "# HELP tldsec_reports_total Reports stored through the API, by tier and priority.\n"
		                     "# TYPE tldsec_reports_total counter\n");
	for (size_t t = 0; t < N_TIER && ret == TS_OK; t++)
		for (size_t p = 0; p < N_PRIO && ret == TS_OK; p++)
			ret = dbuf_addf(out, "tldsec_reports_total{tier=\"%s\",priority=\"%s\"} %llu\n", tiers[t], prios[p],
			                (unsigned long long)atomic_load(&m->reports[t][p]));
	if (ret == TS_OK)
		ret = dbuf_addf(out, "# HELP tldsec_cases_open Cases not closed.\n# TYPE tldsec_cases_open gauge\n"
		                     "tldsec_cases_open %llu\n"
		                     "# HELP tldsec_cases_overdue Cases whose running clock has passed.\n"
		                     "# TYPE tldsec_cases_overdue gauge\ntldsec_cases_overdue %llu\n"
		                     "# HELP tldsec_commit_batch_size Requests sharing one database commit.\n"
		                     "# TYPE tldsec_commit_batch_size histogram\n",
		                (unsigned long long)open_cases, (unsigned long long)overdue_cases);
	cum = 0;
	for (size_t b = 0; b < N_BATCH && ret == TS_OK; b++) {
		cum += atomic_load(&m->batch[b]);
		ret = dbuf_addf(out, "tldsec_commit_batch_size_bucket{le=\"%u\"} %llu\n", batch_bounds[b],
		                (unsigned long long)cum);
	}
	if (ret == TS_OK)
		ret = dbuf_addf(out, "tldsec_commit_batch_size_bucket{le=\"+Inf\"} %llu\n"
		                     "tldsec_commit_batch_size_sum %llu\ntldsec_commit_batch_size_count %llu\n",
		                (unsigned long long)atomic_load(&m->batch_count),
		                (unsigned long long)atomic_load(&m->batch_sum),
		                (unsigned long long)atomic_load(&m->batch_count));
	return ret;
}
