/* test_risk_fair.c — the Monte Carlo: samplers against their moments, the
 * two beta-PERT samplers against each other, selection against sorting,
 * simulated means against the analytic mean, and byte-identical results
 * whatever the number of threads. */
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/input.h"
#include "base/log.h"
#include "risk/fair.h"
#include "risk/rng.h"
#include "risk/worksheet.h"

#define DRAWS 1000000

static void test_normal_and_exponential(void **state)
{
	(void)state;
	risk_rng_init();
	risk_rng_t g;
	risk_rng_seed(&g, 7, 0, 0);
	double s = 0, s2 = 0, tail = 0;
	for (int i = 0; i < DRAWS; i++) {
		double x = risk_rng_normal(&g);
		s += x;
		s2 += x * x;
		tail += fabs(x) > RISK_ZIG_R;
	}
	assert_true(fabs(s / DRAWS) < 0.005);
	assert_true(fabs(s2 / DRAWS - 1.0) < 0.01);
	/* P(|X| > 3.6542) = 2.58e-4: about 258 of a million */
	assert_true(tail > 180 && tail < 340);
	s = s2 = 0;
	double over = 0;
	for (int i = 0; i < DRAWS; i++) {
		double x = risk_rng_exp(&g);
		assert_true(x >= 0.0);
		s += x;
		s2 += x * x;
		over += x > RISK_ZIG_EXP_R;
	}
	assert_true(fabs(s / DRAWS - 1.0) < 0.005);
	assert_true(fabs(s2 / DRAWS - 2.0) < 0.03);
	/* P(X > 7.697) = 4.54e-4 */
	assert_true(over > 360 && over < 560);
}

static void test_poisson_moments(void **state)
{
	(void)state;
	static const double lambdas[] = { 0.0, 0.3, 4.5, 9.99, 10.0, 12.5, 37.0, 1000.0 };
	risk_rng_t g;
	risk_rng_seed(&g, 11, 0, 0);
	for (size_t k = 0; k < sizeof(lambdas) / sizeof(lambdas[0]); k++) {
		double l = lambdas[k], s = 0, s2 = 0;
		for (int i = 0; i < 200000; i++) {
			double x = (double)risk_rng_poisson(&g, l);
			s += x;
			s2 += x * x;
		}
		double mean = s / 200000, var = s2 / 200000 - mean * mean;
		assert_true(fabs(mean - l) <= 0.01 * l + 0.003);
		assert_true(fabs(var - l) <= 0.03 * l + 0.003);
	}
}

/* Mean (min+4 mode+max)/6 and variance (mean-min)(max-mean)/7 of PERT. */
static void check_pert(double min, double mode, double max)
{
	risk_pert_table_t *t = ts_malloc(sizeof(*t));
	assert_non_null(t);
	risk_pert_table_init(t, min, mode, max);
	risk_pert_dist_t d = risk_pert_prep(min, mode, max);
	risk_rng_t g1, g2;
	risk_rng_seed(&g1, 3, 1, 0);
	risk_rng_seed(&g2, 3, 2, 0);
	double mean = (min + 4 * mode + max) / 6, var = (mean - min) * (max - mean) / 7;
	double s[2] = { 0, 0 }, s2[2] = { 0, 0 };
	double *a = ts_malloc(DRAWS * sizeof(double)), *b = ts_malloc(DRAWS * sizeof(double));
	assert_non_null(a);
	assert_non_null(b);
	for (int i = 0; i < DRAWS; i++) {
		a[i] = risk_rng_pert_fast(&g1, t);
		b[i] = risk_rng_pert(&g2, &d);
		assert_true(a[i] >= min && a[i] <= max);
		assert_true(b[i] >= min && b[i] <= max);
		s[0] += a[i];
		s2[0] += a[i] * a[i];
		s[1] += b[i];
		s2[1] += b[i] * b[i];
	}
	double range = max - min;
	for (int k = 0; k < 2; k++) {
		double m = s[k] / DRAWS, v = s2[k] / DRAWS - m * m;
		if (fabs(m - mean) > 0.002 * range || fabs(v - var) > 0.02 * var)
			fail_msg("PERT(%g,%g,%g) sampler %d: mean %g (want %g), variance %g (want %g)",
			         min, mode, max, k, m, mean, v, var);
	}
	/* the two samplers agree on every decile */
	size_t ranks[9];
	double qa[9], qb[9];
	for (int i = 0; i < 9; i++)
		ranks[i] = (size_t)(i + 1) * DRAWS / 10;
	risk_select_ranks(a, DRAWS, ranks, 9, qa);
	risk_select_ranks(b, DRAWS, ranks, 9, qb);
	for (int i = 0; i < 9; i++)
		if (fabs(qa[i] - qb[i]) > 0.004 * range)
			fail_msg("PERT(%g,%g,%g) decile %d: table %g, gamma ratio %g", min, mode, max, i + 1,
			         qa[i], qb[i]);
	ts_free(a);
	ts_free(b);
	ts_free(t);
}

static void test_pert_samplers(void **state)
{
	(void)state;
	risk_rng_init();
	check_pert(0, 0.5, 1);
	check_pert(2, 8, 30);
	check_pert(10000, 80000, 1500000);
	check_pert(0.05, 0.05, 0.4);      /* mode at the minimum: alpha = 1 */
	check_pert(1, 3, 3);              /* mode at the maximum: beta = 1 */
	check_pert(0.01, 0.0100001, 50);  /* extreme skew */
	/* a constant is a constant */
	risk_pert_table_t t;
	risk_pert_table_init(&t, 5, 5, 5);
	risk_rng_t g;
	risk_rng_seed(&g, 1, 1, 1);
	assert_true(risk_rng_pert_fast(&g, &t) == 5.0);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void test_select_matches_sort(void **state)
{
	(void)state;
	risk_rng_t g;
	risk_rng_seed(&g, 5, 0, 0);
	static const size_t sizes[] = { 1, 2, 7, 25, 26, 100, 1000, 54321, 65536, 300001 };
	for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
		size_t n = sizes[s];
		double *a = ts_malloc(n * sizeof(double)), *b = ts_malloc(n * sizeof(double));
		assert_non_null(a);
		assert_non_null(b);
		for (size_t i = 0; i < n; i++) {
			uint64_t r = risk_rng_next(&g);
			/* many ties and zeros, like years without a loss */
			a[i] = (r & 3) == 0 ? 0.0 : (double)(r >> 60);
			if ((r & 15) == 1)
				a[i] = risk_rng_u01(&g);
			b[i] = a[i];
		}
		qsort(b, n, sizeof(double), cmp_d);
		size_t ranks[5] = { 0, n / 10, n / 2, n * 9 / 10, n - 1 };
		double out[5];
		risk_select_ranks(a, n, ranks, 5, out);
		for (int k = 0; k < 5; k++)
			assert_true(out[k] == b[ranks[k]]);
		ts_free(a);
		ts_free(b);
	}
}

static risk_ws_t *sheet(const char *text)
{
	ts_input_t *in = NULL;
	risk_ws_t *ws = NULL;
	assert_int_equal(ts_input_open_mem(&in, "fair.csv", text, strlen(text)), TS_OK);
	assert_int_equal(risk_ws_read(&ws, in, RISK_WS_NEED_QUANT, NULL), TS_OK);
	ts_input_close(&in);
	return ws;
}

static const char *register_text =
	"id,threat_event,tef_min,tef_mode,tef_max,vuln,vuln_min,vuln_mode,vuln_max,loss_min,loss_mode,loss_max\n"
	"A,authoritative-ddos,2,8,30,,0.02,0.1,0.3,10000,80000,1500000\n"
	"B,botnet-using-tld,20,60,200,0.5,,,,200,1500,20000\n"
	"C,dnssec-key-loss,0.5,1,3,,0.3,0.5,0.9,200000,1000000,8000000\n"
	"D,operator-error,3,3,3,1,,,,100,100,100\n"
	"E,no-quantities,,,,,,,,,,\n";

static void test_means_within_one_percent(void **state)
{
	(void)state;
	risk_ws_t *ws = sheet(register_text);
	risk_fair_t *f = NULL;
	assert_int_equal(risk_fair_run(ws, 1000000, 42, 2, &f), TS_OK);
	assert_int_equal(f->n, 4);
	assert_int_equal(f->skipped, 1);
	/* analytic: lambda v (min + 4 mode + max) / 6 */
	const double want[4] = {
		(2 + 32 + 30) / 6.0 * (0.02 + 0.4 + 0.3) / 6.0 * (10000 + 320000 + 1500000) / 6.0,
		(20 + 240 + 200) / 6.0 * 0.5 * (200 + 6000 + 20000) / 6.0,
		(0.5 + 4.0 + 3.0) / 6.0 * (0.3 + 2.0 + 0.9) / 6.0 * (200000 + 4000000 + 8000000) / 6.0,
		300.0,
	};
	double total = 0;
	for (size_t i = 0; i < 4; i++) {
		const risk_fair_stats_t *st = &f->rows[i].st;
		assert_true(fabs(st->analytic - want[i]) < 1e-6 * want[i]);
		if (fabs(st->mean - want[i]) > 0.01 * want[i])
			fail_msg("row %s: simulated mean %g, analytic %g", f->rows[i].row->id, st->mean, want[i]);
		assert_true(st->p10 <= st->p50 && st->p50 <= st->p90);
		total += want[i];
	}
	assert_true(fabs(f->total.mean - total) < 0.01 * total);
	/* D: Poisson(3) events of exactly 100 each; P(N <= 1) = 0.199, P(N <= 2) =
	 * 0.423, P(N <= 3) = 0.647, P(N <= 4) = 0.815, P(N <= 5) = 0.916 */
	assert_true(f->rows[3].st.p10 == 100.0);
	assert_true(f->rows[3].st.p50 == 300.0);
	assert_true(f->rows[3].st.p90 == 500.0);
	/* the exceedance curve falls */
	for (int k = 1; k < RISK_FAIR_LEC_POINTS; k++)
		assert_true(f->total.lec[k] >= f->total.lec[k - 1]);
	risk_fair_free(&f);
	risk_ws_free(&ws);
}

static char *render(const risk_fair_t *f)
{
	rout_t o;
	rout_init(&o);
	risk_fair_render_json(f, &o);
	risk_fair_render_csv(f, &o);
	risk_fair_render_html(f, &o);
	assert_int_equal(o.err, TS_OK);
	return dbuf_take(&o.b);
}

static void test_same_seed_same_bytes_any_threads(void **state)
{
	(void)state;
	risk_ws_t *ws = sheet(register_text);
	/* not a multiple of the block, so the last block is short */
	const uint64_t trials = 3 * RISK_FAIR_BLOCK + 1234;
	/* all rows together (the default) and row after row (a tiny memory budget) */
	char *out[6];
	const unsigned threads[6] = { 1, 2, 3, 1, 2, 2 };
	const uint64_t seeds[6] = { 9, 9, 9, 9, 9, 10 };
	const size_t budget[6] = { 1u << 30, 1u << 30, 1u << 30, 0, 0, 1u << 30 };
	for (int i = 0; i < 6; i++) {
		risk_fair_t *f = NULL;
		risk_fair_set_memory_budget(budget[i]);
		assert_int_equal(risk_fair_run(ws, trials, seeds[i], threads[i], &f), TS_OK);
		out[i] = render(f);
		risk_fair_free(&f);
	}
	risk_fair_set_memory_budget((size_t)1 << 30);
	for (int i = 1; i < 5; i++)
		assert_string_equal(out[0], out[i]);
	assert_string_not_equal(out[0], out[5]);
	for (int i = 0; i < 6; i++)
		ts_free(out[i]);
	/* a block's draws depend only on (seed, row, block) */
	double *a = ts_malloc(2 * RISK_FAIR_BLOCK * sizeof(double));
	double *b = ts_malloc(RISK_FAIR_BLOCK * sizeof(double));
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(risk_fair_row_losses(&ws->rows[0], 0, 9, 0, 2 * RISK_FAIR_BLOCK, a), TS_OK);
	assert_int_equal(risk_fair_row_losses(&ws->rows[0], 0, 9, RISK_FAIR_BLOCK, RISK_FAIR_BLOCK, b), TS_OK);
	assert_memory_equal(a + RISK_FAIR_BLOCK, b, RISK_FAIR_BLOCK * sizeof(double));
	ts_free(a);
	ts_free(b);
	risk_ws_free(&ws);
}

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user;
	(void)level;
	(void)file;
	(void)line;
	(void)col;
	(void)msg;
}

static void test_out_of_memory(void **state)
{
	(void)state;
	ts_log_set(quiet, NULL, TS_LOG_DEBUG);
	risk_ws_t *ws = sheet(register_text);
	risk_fair_t *f = NULL;
	assert_int_equal(risk_fair_run(ws, 70000, 3, 2, &f), TS_OK);
	char *want = render(f);
	risk_fair_free(&f);
	bool succeeded = false;
	for (unsigned long n = 1; n < 60 && !succeeded; n++) {
		ts_alloc_fail_at(n);
		int ret = risk_fair_run(ws, 70000, 3, 2, &f);
		ts_alloc_fail_at(0);
		if (ret == TS_OK) {
			/* percentiles may have fallen back to plain selection: same answer */
			char *got = render(f);
			assert_string_equal(got, want);
			ts_free(got);
			risk_fair_free(&f);
			succeeded = true;
		} else {
			assert_int_equal(ret, TS_ENOMEM);
			assert_null(f);
		}
	}
	assert_true(succeeded);
	ts_log_set(NULL, NULL, TS_LOG_WARN);
	ts_free(want);
	risk_ws_free(&ws);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_and_exponential),
		cmocka_unit_test(test_poisson_moments),
		cmocka_unit_test(test_pert_samplers),
		cmocka_unit_test(test_select_matches_sort),
		cmocka_unit_test(test_means_within_one_percent),
		cmocka_unit_test(test_same_seed_same_bytes_any_threads),
		cmocka_unit_test(test_out_of_memory),
	};
	return cmocka_run_group_tests_name("risk_fair", tests, NULL, NULL);
}
