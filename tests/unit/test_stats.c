/* test_stats.c — the statistics module: the SVG writer (escaping, classes,
 * whole-number ticks), the numbers computed from records put straight into
 * a store (nearest-rank percentiles, clocks at their due second, the
 * period's edges, registrars), and every out-of-memory point of a report. */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "stats/stats.h"
#include "stats/svg.h"
#include "store/store.h"

static char dir[64];
static char path[128];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tldsec-stats-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char p[160];
	const char *sfx[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(p, sizeof(p), "%s%s", path, sfx[i]);
		unlink(p);
	}
	rmdir(dir);
	return 0;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = strstr(hay, needle); p != NULL; p = strstr(p + 1, needle))
		n++;
	return n;
}

static void test_svg(void **state)
{
	(void)state;
	dbuf_t b;
	dbuf_init(&b, 1 << 20);
	assert_int_equal(svg_escape(&b, "a<b>&\"c'\x01"), TS_OK);
	assert_string_equal(dbuf_str(&b), "a&lt;b&gt;&amp;&quot;c&#39; ");
	dbuf_reset(&b);
	const char *labels[] = { "x<1", "y", "z" };
	double v[] = { 3, 0, NAN };
	svg_chart_t c = { .id = "c1", .title = "T & U", .y_label = "cases", .labels = labels, .values = v, .n = 3 };
	assert_int_equal(svg_bars(&b, &c), TS_OK);
	const char *s = dbuf_str(&b);
	assert_non_null(strstr(s, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\"c1\""));
	assert_int_equal(count(s, "class=\"bar\""), 3);
	assert_non_null(strstr(s, "<title>T &amp; U</title>"));
	assert_non_null(strstr(s, ">x&lt;1</text>"));
	/* counts up to 3: ticks 0 1 2 3 4, never 0.75 */
	assert_non_null(strstr(s, ">1</text>"));
	assert_null(strstr(s, ">0.75</text>"));
	assert_null(strstr(s, "nan"));
	assert_int_equal(strcmp(s + b.len - 7, "</svg>\n"), 0);
	dbuf_reset(&b);
	assert_int_equal(svg_line(&b, &c), TS_OK);
	assert_int_equal(count(dbuf_str(&b), "class=\"point\""), 3);
	assert_int_equal(count(dbuf_str(&b), "class=\"line\""), 1);
	dbuf_reset(&b);
	c.n = 0;
	assert_int_equal(svg_histogram(&b, &c), TS_OK);
	assert_int_equal(count(dbuf_str(&b), "class=\"bin\""), 0);
	dbuf_free(&b);
}

#define H 3600
#define D 86400
#define T0 1767225600 /* 2026-01-01T00:00:00Z */

static void put_case(store_t *st, const char *domain, const char *threat, const char *prio, int64_t received,
                     int64_t ack_due, int64_t response_due, int64_t acked, int64_t assessed, int64_t closed)
{
	store_case_t c = { .domain = domain, .threat = threat, .state = closed ? "closed" : "new", .priority = prio,
		           .registered = true, .received_at = received, .ack_due = ack_due,
		           .response_due = response_due, .acked_at = acked, .assessed_at = assessed,
		           .closed_at = closed };
	int64_t id;
	assert_int_equal(store_case_add(st, &c, &id), TS_OK);
}

/* Ten low-priority cases acknowledged 1..10 hours after receipt (due 5 h):
 * nearest rank gives median 5 h and 90th percentile 9 h, 5 within due.
 * Two cases sit on the period's edges; one is exactly at its due second. */
static void fill(void)
{
	store_t *st = NULL;
	char err[256];
	assert_int_equal(store_open(&st, path, true, 1000, err, sizeof(err)), TS_OK);
	assert_int_equal(store_begin(st), TS_OK);
	for (int i = 1; i <= 10; i++) {
		char d[32];
		snprintf(d, sizeof(d), "c%d.example", i);
		put_case(st, d, "spam", "low", T0 + D, T0 + D + 5 * H, T0 + 40 * D, T0 + D + i * H, 0, 0);
	}
	/* received before the period, closed inside it */
	put_case(st, "old.example", "malware", "high", T0 - D, T0, T0 + H, T0 - H, T0 + H, T0 + 2 * H);
	/* received at the end (excluded); not acknowledged */
	put_case(st, "late.example", "botnet", "high", T0 + 30 * D, T0 + 31 * D, T0 + 32 * D, 0, 0, 0);
	/* open at the end with its ack clock due exactly then: not overdue */
	put_case(st, "edge.example", "phishing", "standard", T0 + 29 * D, T0 + 30 * D, T0 + 33 * D, 0, 0, 0);
	store_scan_t sc = { .at = T0 + 2 * D, .origin = "example", .feeds = "openphish,domains", .delegations = 8,
		            .ds_delegations = 2, .findings = 3, .domains = 2, .ns_provider_hhi = 5000,
		            .top_providers = "[]" };
	assert_int_equal(store_scan_add(st, &sc, NULL), TS_OK);
	assert_int_equal(store_reg_clear(st), TS_OK);
	store_registration_t r1 = { "c1.example", "R1", "One", T0 };
	store_registration_t r2 = { "c2.example", "R1", "One", T0 - 40 * D };
	store_registration_t r3 = { "other.example", "R2", "Two", 0 };
	assert_int_equal(store_reg_put(st, &r1), TS_OK);
	assert_int_equal(store_reg_put(st, &r2), TS_OK);
	assert_int_equal(store_reg_put(st, &r3), TS_OK);
	uint64_t nd, nr;
	assert_int_equal(store_reg_summarise(st, &nd, &nr), TS_OK);
	assert_int_equal(nd, 3);
	assert_int_equal(nr, 2);
	assert_int_equal(store_commit(st), TS_OK);
	store_close(&st);
}

static void test_numbers(void **state)
{
	(void)state;
	fill();
	store_t *st = NULL;
	char err[256];
	stats_t *s = NULL;
	assert_int_equal(store_open(&st, path, false, 1000, err, sizeof(err)), TS_OK);
	assert_int_equal(stats_compute(st, T0, T0 + 30 * D, &s), TS_OK);
	assert_int_equal(s->threats, 11); /* ten spam and the edge case */
	assert_int_equal(s->by_type[4], 10);
	assert_int_equal(s->by_type[0], 1);
	const stats_times_t *low = &s->ack[2];
	assert_int_equal(low->count, 10);
	assert_int_equal(low->median_s, 5 * H);
	assert_int_equal(low->p90_s, 9 * H);
	assert_int_equal(low->within_due, 5);
	assert_true(fabs(low->within_due_pct - 50.0) < 1e-9);
	assert_int_equal(s->ack[0].count, 0);      /* acknowledged before the period */
	assert_int_equal(s->response[0].count, 1); /* assessed inside it: 25 h */
	assert_int_equal(s->response[0].median_s, 25 * H);
	assert_int_equal(s->response_hist[4], 1);
	assert_int_equal(s->open, 11);
	assert_int_equal(s->overdue, 0); /* edge.example is due at the end's very second */
	assert_int_equal(s->n_backlog, 31); /* from, 29 midnights, to */
	assert_int_equal(s->backlog[0].open, 1);   /* old.example */
	assert_int_equal(s->n_months, 0);
	assert_int_equal(s->n_scans, 1);
	assert_true(s->have_registrations);
	assert_int_equal(s->threats_matched, 2);
	assert_int_equal(s->threats_young, 1);     /* c1: one day old when reported */
	assert_int_equal(s->n_registrars, 2);
	assert_string_equal(s->registrars[0].id, "R1");
	assert_true(fabs(s->registrars[0].per_10k - 10000.0) < 1e-9);
	stats_free(&s);
	/* one second later the edge case is overdue */
	assert_int_equal(stats_compute(st, T0, T0 + 30 * D + 1, &s), TS_OK);
	assert_int_equal(s->overdue, 1);
	assert_int_equal(s->overdue_ack, 1);
	stats_free(&s);
	/* into February: two month rows, clipped to the period */
	assert_int_equal(stats_compute(st, T0 + D, T0 + 40 * D, &s), TS_OK);
	assert_int_equal(s->n_months, 2);
	assert_int_equal(s->months[0].start, T0 + D);
	assert_int_equal(s->months[0].threats, 10 + 1 + 1);
	assert_int_equal(s->months[1].end, T0 + 40 * D);
	assert_true(s->backlog_daily); /* 39 days */
	stats_free(&s);
	assert_int_equal(stats_compute(st, T0, T0, &s), TS_EINPUT);
	store_close(&st);
}

static int report_once(store_t *st)
{
	stats_t *s = NULL;
	dbuf_t b;
	dbuf_init(&b, 1 << 22);
	int ret = stats_compute(st, T0 - 40 * D, T0 + 40 * D, &s);
	if (ret == TS_OK)
		ret = stats_json(s, &b);
	if (ret == TS_OK)
		ret = stats_csv(s, &b);
	if (ret == TS_OK)
		ret = stats_html(s, &b);
	stats_free(&s);
	dbuf_free(&b);
	return ret;
}

static void test_oom(void **state)
{
	(void)state;
	store_t *st = NULL;
	char err[256];
	assert_int_equal(store_open(&st, path, false, 1000, err, sizeof(err)), TS_OK);
	ts_alloc_fail_at(0);
	assert_int_equal(report_once(st), TS_OK);
	unsigned long total = ts_alloc_fail_at(0);
	assert_true(total > 10);
	unsigned long failures = 0;
	for (unsigned long n = 1; n <= total + 1; n++) {
		ts_alloc_fail_at(n);
		int ret = report_once(st);
		ts_alloc_fail_at(0);
		if (ret != TS_OK) {
			assert_int_equal(ret, TS_ENOMEM);
			failures++;
		}
		assert_int_equal(report_once(st), TS_OK);
	}
	assert_true(failures > 0);
	store_close(&st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
