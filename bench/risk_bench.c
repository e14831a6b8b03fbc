/* risk_bench.c — throughput of the FAIR Monte Carlo (tldsec risk simulate).
 *
 *   risk_bench WORKSHEET.csv TRIALS SEED
 *
 * A "row-year" is one simulated year of one quantitative row (the unit the
 * product's bar of 20 M trials per second per core is read in); the
 * register's years per second are row-years / rows. Prints:
 *   - the inner loop alone on one thread, by thread CPU time (per core);
 *   - the whole run (draws, per-row and register sums, percentiles, the
 *     exceedance curve) with 1 thread by CPU and wall-clock time and with 2
 *     threads by wall-clock time, each the best of three runs;
 *   - whether 1 and 2 threads gave identical results.
 * The last line, "risk_bench: rate2 R", is what bench/run-risk.sh divides
 * by the NumPy baseline's rate. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/alloc.h"
#include "base/input.h"
#include "base/num.h"
#include "risk/fair.h"
#include "risk/worksheet.h"

static double clock_s(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	uint64_t trials, seed;
	if (argc != 4 || ts_parse_uint_arg(argv[2], RISK_FAIR_MAX_TRIALS, &trials) != TS_OK ||
	    trials == 0 || ts_parse_uint_arg(argv[3], UINT64_MAX, &seed) != TS_OK) {
		fprintf(stderr, "usage: risk_bench WORKSHEET.csv TRIALS SEED\n");
		return 2;
	}
	ts_input_t *in = NULL;
	risk_ws_t *ws = NULL;
	if (ts_input_open(&in, argv[1]) != TS_OK || risk_ws_read(&ws, in, RISK_WS_NEED_QUANT, NULL) != TS_OK)
		return 1;
	ts_input_close(&in);
	size_t rows = 0;
	for (size_t i = 0; i < ws->nrows; i++)
		rows += ws->rows[i].has_quant;
	double row_years = (double)rows * (double)trials;

	/* the inner loop, one thread, CPU time */
	double *buf = ts_malloc((size_t)trials * sizeof(double));
	if (buf == NULL)
		return 4;
	printf("risk_bench: %zu rows x %llu trials = %.0f row-years\n", rows,
	       (unsigned long long)trials, row_years);
	double core = 0.0;
	for (size_t i = 0; i < ws->nrows; i++) {
		const risk_row_t *row = &ws->rows[i];
		if (!row->has_quant)
			continue;
		double c0 = clock_s(CLOCK_THREAD_CPUTIME_ID);
		if (risk_fair_row_losses(row, i, seed, 0, (size_t)trials, buf) != TS_OK)
			return 4;
		double dt = clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
		core += dt;
		double lambda = (row->tef.min + 4 * row->tef.mode + row->tef.max) / 6 *
		                (row->vuln.min + 4 * row->vuln.mode + row->vuln.max) / 6;
		printf("risk_bench:   row %-6s %6.2f events/year  %7.2f M years/s\n", row->id, lambda,
		       (double)trials / dt / 1e6);
	}
	ts_free(buf);
	printf("risk_bench: inner loop, 1 thread (CPU time):  %7.2f M row-years/s per core\n",
	       row_years / core / 1e6);

	/* the whole run, best of three (other work on the machine only ever
	 * slows a run down) */
	risk_fair_t *f1 = NULL, *f2 = NULL;
	double cpu1 = 1e300, wall1 = 1e300, wall2 = 1e300;
	for (int rep = 0; rep < 3; rep++) {
		risk_fair_free(&f1);
		risk_fair_free(&f2);
		double w0 = clock_s(CLOCK_MONOTONIC);
		double p0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (risk_fair_run(ws, trials, seed, 1, &f1) != TS_OK)
			return 4;
		double w1 = clock_s(CLOCK_MONOTONIC);
		double p1 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
		if (risk_fair_run(ws, trials, seed, 2, &f2) != TS_OK)
			return 4;
		double w2 = clock_s(CLOCK_MONOTONIC);
		cpu1 = p1 - p0 < cpu1 ? p1 - p0 : cpu1;
		wall1 = w1 - w0 < wall1 ? w1 - w0 : wall1;
		wall2 = w2 - w1 < wall2 ? w2 - w1 : wall2;
	}
	double rate1 = row_years / wall1, rate2 = row_years / wall2;
	printf("risk_bench: whole run, 1 thread (CPU time):   %7.2f M row-years/s per core\n",
	       row_years / cpu1 / 1e6);
	printf("risk_bench: whole run, 1 thread (wall):       %7.2f M row-years/s (%.2f M register-years/s)\n",
	       rate1 / 1e6, rate1 / (double)rows / 1e6);
	printf("risk_bench: whole run, 2 threads (wall):      %7.2f M row-years/s (%.2f M register-years/s)\n",
	       rate2 / 1e6, rate2 / (double)rows / 1e6);
	bool same = f1->n == f2->n && memcmp(&f1->total, &f2->total, sizeof(f1->total)) == 0;
	for (size_t i = 0; same && i < f1->n; i++)
		same = memcmp(&f1->rows[i].st, &f2->rows[i].st, sizeof(f1->rows[i].st)) == 0;
	printf("risk_bench: 1 and 2 threads identical: %s\n", same ? "yes" : "NO");
	printf("risk_bench: register mean %.2f, analytic %.2f\n", f2->total.mean, f2->total.analytic);
	printf("risk_bench: rate2 %.0f\n", rate2);
	risk_fair_free(&f1);
	risk_fair_free(&f2);
	risk_ws_free(&ws);
	return same ? 0 : 3;
}
