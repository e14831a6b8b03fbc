/* test_http.c — the daemon's parts without sockets: store batches (group
 * commit: savepoints, one bad call leaves the others), the token buckets,
 * the request handler's answers and roles, the metrics text. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "desk/desk.h"
#include "http/api.h"
#include "http/metrics.h"
#include "http/ratelimit.h"

static char dir[64];
static char path[128];
static policy_t pol;

static int setup(void **state)
{
	(void)state;
	policy_err_t e;
	snprintf(dir, sizeof(dir), "/tmp/tldsec-http-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return policy_load_string(&pol, "[registry]\ntlds = example\n[limits]\nrate_public = 2\nburst_seconds = 1\n",
	                          &e) == TS_OK ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char p[160];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
	rmdir(dir);
	return 0;
}

static const char good[] = "{\"domains\":[\"www.bad.example\"],\"threat\":\"phishing\"}";

static desk_t *fresh(int64_t *rep, char tok[DESK_TOKEN_TEXT], const char *tier)
{
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	teardown(NULL);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(desk_open(&d, &pol, path, true, "test", &err), TS_OK);
	desk_reporter_in_t in = { .name = "R", .tier = tier, .verified = true };
	assert_int_equal(desk_reporter_add(d, &in, rep, tok, &err), TS_OK);
	return d;
}

/* Every report of these tests names www.bad.example: they all join case 1. */
static uint64_t n_reports(desk_t *d)
{
	arena_t *a = arena_new(4096);
	desk_case_view_t v;
	desk_err_t err = { 0 };
	uint64_t n = desk_case_show(d, 1, a, &v, &err) == TS_OK ? v.n_reports : 0;
	arena_free(&a);
	return n;
}

static void test_batch_savepoints(void **state)
{
	(void)state;
	int64_t rep;
	char tok[DESK_TOKEN_TEXT];
	desk_t *d = fresh(&rep, tok, "law_enforcement");
	desk_err_t err = { 0 };
	desk_receipt_t rc;
	store_t *st = desk_store(d);
	assert_int_equal(store_batch_begin(st), TS_OK);
	assert_int_equal(store_batch_begin(st), TS_EINTERNAL); /* not nested */
	assert_int_equal(desk_report_submit(d, good, strlen(good), rep, "api", &rc, &err), TS_OK);
	assert_int_equal(rc.report_id, 1);
	/* a call that begins, fails and rolls back undoes only itself */
	assert_int_equal(desk_reporter_disable(d, 999, &err), TS_ENOTFOUND);
	/* a bad body stops before the store */
	assert_int_equal(desk_report_submit(d, "{", 1, rep, "api", &rc, &err), TS_ESYNTAX);
	assert_int_equal(desk_report_submit(d, good, strlen(good), rep, "api", &rc, &err), TS_OK);
	assert_int_equal(rc.report_id, 2);
	assert_int_equal(store_batch_end(st, true), TS_OK);
	assert_int_equal(n_reports(d), 2);
	desk_audit_result_t ar;
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	/* a batch rolled back stores nothing of its calls */
	assert_int_equal(store_batch_begin(st), TS_OK);
	assert_int_equal(desk_report_submit(d, good, strlen(good), rep, "api", &rc, &err), TS_OK);
	assert_int_equal(store_batch_end(st, false), TS_OK);
	assert_int_equal(n_reports(d), 2);
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	/* outside a batch, calls commit on their own again */
	assert_int_equal(desk_report_submit(d, good, strlen(good), rep, "api", &rc, &err), TS_OK);
	assert_int_equal(n_reports(d), 3);
	desk_close(&d);
}

static void test_ratelimit(void **state)
{
	(void)state;
	rl_t *rl;
	unsigned retry;
	assert_int_equal(rl_new(&rl), TS_OK);
	assert_true(rl_take(rl, "token:1", 2, 2, 100.0, &retry));
	assert_true(rl_take(rl, "token:1", 2, 2, 100.0, &retry));
	assert_false(rl_take(rl, "token:1", 2, 2, 100.0, &retry));
	assert_int_equal(retry, 1);
	assert_true(rl_take(rl, "token:2", 2, 2, 100.0, &retry)); /* its own bucket */
	assert_true(rl_take(rl, "token:1", 2, 2, 100.5, &retry)); /* half a second: one more */
	assert_false(rl_take(rl, "token:1", 2, 2, 100.5, &retry));
	assert_false(rl_take(rl, "slow", 0.1, 1, 50.0, &retry) && rl_take(rl, "slow", 0.1, 1, 50.0, &retry));
	assert_int_equal(retry, 10);
	/* many keys: the table stays usable */
	char key[32];
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "addr:%d", i);
		(void)rl_take(rl, key, 1, 1, 200.0, &retry);
	}
	assert_true(rl_take(rl, "fresh", 1, 1, 1000.0, &retry));
	rl_free(&rl);
}

static http_resp_t call(api_t *api, const char *method, const char *p, const char *auth, const char *body)
{
	http_req_t req = { .method = method, .path = p, .authorization = auth, .client = "192.0.2.7",
		           .body = body, .body_len = body != NULL ? strlen(body) : 0 };
	http_resp_t resp;
	api_handle(api, &req, &resp);
	return resp;
}

static void test_handler(void **state)
{
	(void)state;
	int64_t rep;
	char tok[DESK_TOKEN_TEXT], auth[DESK_TOKEN_TEXT + 8];
	desk_t *d = fresh(&rep, tok, "public");
	metrics_t *m;
	api_t *api;
	assert_int_equal(metrics_new(&m), TS_OK);
	assert_int_equal(api_new(&api, d, &pol, m), TS_OK);
	snprintf(auth, sizeof(auth), "Bearer %s", tok);
	http_resp_t r = call(api, "POST", "/v1/reports", auth, good);
	assert_int_equal(r.status, 201);
	assert_non_null(strstr(r.body, "\"report_id\":1,\"case_ids\":[1],\"priority\":\"standard\""));
	http_resp_free(&r);
	r = call(api, "POST", "/v1/reports", auth, "{\"domains\":[\"x.example\"],\n\"threat\":\"phishing\",\"zz\":1}");
	assert_int_equal(r.status, 400);
	assert_non_null(strstr(r.body, "\"code\":\"unknown_field\""));
	assert_non_null(strstr(r.body, "\"field\":\"$.zz\""));
	http_resp_free(&r);
	/* the burst of 2 per second (rate_public = 2, burst 1 s) is spent: 429 */
	r = call(api, "POST", "/v1/reports", auth, good);
	assert_int_equal(r.status, 429);
	assert_true(r.retry_after >= 1);
	http_resp_free(&r);
	r = call(api, "POST", "/v1/reports", NULL, good);
	assert_int_equal(r.status, 401);
	http_resp_free(&r);
	r = call(api, "GET", "/v1/cases", "Bearer tsk_nope", NULL);
	assert_int_equal(r.status, 401);
	http_resp_free(&r);
	r = call(api, "PUT", "/v1/reports", auth, good);
	assert_int_equal(r.status, 405);
	http_resp_free(&r);
	r = call(api, "GET", "/v1/cases/12x", auth, NULL);
	assert_int_equal(r.status, 404);
	http_resp_free(&r);
	r = call(api, "GET", "/healthz", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.body, "{\"status\":\"ok\"}\n");
	http_resp_free(&r);
	r = call(api, "GET", "/metrics", NULL, NULL);
	assert_int_equal(r.status, 200);
	assert_string_equal(r.content_type, "text/plain; version=0.0.4");
	assert_non_null(strstr(r.body, "tldsec_reports_total{tier=\"public\",priority=\"standard\"} 1\n"));
	assert_non_null(strstr(r.body, "tldsec_cases_open 1\n"));
	http_resp_free(&r);
	api_free(&api);
	metrics_free(&m);
	desk_close(&d);
}

/* Every allocation of a POST in a batch failing in turn: a 201 with the
 * report stored, or a 503 with nothing stored; the audit chain holds. */
static void test_handler_oom(void **state)
{
	(void)state;
	int64_t rep;
	char tok[DESK_TOKEN_TEXT], auth[DESK_TOKEN_TEXT + 8];
	policy_t big = pol;
	big.rate_law_enforcement = 1000000;
	pol = big;
	desk_t *d = fresh(&rep, tok, "law_enforcement");
	desk_err_t err = { 0 };
	metrics_t *m;
	api_t *api;
	assert_int_equal(metrics_new(&m), TS_OK);
	assert_int_equal(api_new(&api, d, &pol, m), TS_OK);
	snprintf(auth, sizeof(auth), "Bearer %s", tok);
	ts_alloc_fail_at(0);
	http_resp_t r = call(api, "POST", "/v1/reports", auth, good);
	unsigned long total = ts_alloc_fail_at(0);
	assert_int_equal(r.status, 201);
	http_resp_free(&r);
	uint64_t have = n_reports(d);
	for (unsigned long n = 1; n <= total + 5; n++) {
		ts_alloc_fail_at(n);
		r = call(api, "POST", "/v1/reports", auth, good);
		ts_alloc_fail_at(0);
		if (r.status != 201 && r.status != 503)
			fail_msg("allocation %lu: status %d %s", n, r.status, r.body != NULL ? r.body : "");
		have += r.status == 201;
		http_resp_free(&r);
		if (n_reports(d) != have)
			fail_msg("allocation %lu: %llu reports stored, %llu acknowledged", n,
			         (unsigned long long)n_reports(d), (unsigned long long)have);
	}
	desk_audit_result_t ar;
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	api_free(&api);
	metrics_free(&m);
	desk_close(&d);
}

static void test_metrics_text(void **state)
{
	(void)state;
	metrics_t *m;
	dbuf_t b;
	assert_int_equal(metrics_new(&m), TS_OK);
	metrics_request(m, ROUTE_REPORTS_POST, 201, 0.003);
	metrics_request(m, ROUTE_REPORTS_POST, 201, 0.2);
	metrics_request(m, ROUTE_CASES, 299, 0.0001);
	metrics_batch(m, 3);
	metrics_batch(m, 40);
	dbuf_init(&b, 1 << 20);
	assert_int_equal(metrics_render(m, 7, 2, &b), TS_OK);
	const char *t = dbuf_str(&b);
	assert_non_null(strstr(t, "tldsec_http_requests_total{route=\"POST /v1/reports\",status=\"201\"} 2\n"));
	assert_non_null(strstr(t, "tldsec_http_requests_total{route=\"GET /v1/cases\",status=\"other\"} 1\n"));
	assert_non_null(strstr(t, "tldsec_http_request_duration_seconds_bucket{le=\"0.0005\"} 1\n"));
	assert_non_null(strstr(t, "tldsec_http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"));
	assert_non_null(strstr(t, "tldsec_http_request_duration_seconds_bucket{le=\"+Inf\"} 3\n"));
	assert_non_null(strstr(t, "\ntldsec_cases_open 7\n"));
	assert_non_null(strstr(t, "\ntldsec_cases_overdue 2\n"));
	assert_non_null(strstr(t, "tldsec_commit_batch_size_bucket{le=\"4\"} 1\n"));
	assert_non_null(strstr(t, "tldsec_commit_batch_size_bucket{le=\"64\"} 2\n"));
	assert_non_null(strstr(t, "tldsec_commit_batch_size_sum 43\n"));
	dbuf_free(&b);
	metrics_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_batch_savepoints),
		cmocka_unit_test(test_ratelimit),
		cmocka_unit_test(test_handler),
		cmocka_unit_test(test_handler_oom),
		cmocka_unit_test(test_metrics_text),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
