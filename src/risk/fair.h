/* fair.h — FAIR quantitative risk by Monte Carlo. One trial is one simulated
 * year. Per row and trial: TEF ~ PERT(tef_min, tef_mode, tef_max) and
 * vuln ~ PERT(vuln_min, vuln_mode, vuln_max) (or the fixed vuln), events ~
 * Poisson(TEF × vuln), loss = the sum of one PERT(loss_*) draw per event.
 * The register's loss in a trial is the sum of its rows' losses in that
 * trial. Trials are cut into fixed blocks, each with its own generator
 * seeded from (seed, row, block), so any number of threads gives the same
 * bytes. Percentiles are exact order statistics (nearest rank). */
#ifndef TS_RISK_FAIR_H
#define TS_RISK_FAIR_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"
#include "risk/out.h"
#include "risk/worksheet.h"

#define RISK_FAIR_MAX_TRIALS 100000000ULL  /* 10^8 simulated years */
#define RISK_FAIR_BLOCK      65536u        /* trials per generator block */
#define RISK_FAIR_LEC_POINTS 15

/* Exceedance probabilities of the loss exceedance curve, in thousandths. */
extern const unsigned risk_fair_lec_permille[RISK_FAIR_LEC_POINTS];

typedef struct risk_fair_stats {
	double mean;            /* annualised loss expectancy of the simulation */
	double p10, p50, p90;   /* nearest-rank percentiles of the annual loss */
	double analytic;        /* E[TEF]·E[vuln]·E[loss] with E[PERT] = (min+4·mode+max)/6 */
	double p_loss;          /* share of trials with a loss above zero */
	double lec[RISK_FAIR_LEC_POINTS];  /* loss exceeded with each probability */
} risk_fair_stats_t;

typedef struct risk_fair_row {
	const risk_row_t *row;  /* borrowed from the worksheet */
	size_t index;           /* the row's index in the worksheet (its stream) */
	risk_fair_stats_t st;
} risk_fair_row_t;

typedef struct risk_fair {
	const risk_ws_t *ws;    /* borrowed */
	uint64_t trials, seed;
	size_t n;
	risk_fair_row_t *rows;  /* the quantitative rows, in file order */
	size_t skipped;         /* rows without quantitative columns */
	risk_fair_stats_t total;
} risk_fair_t;

/* Simulates every quantitative row of `ws` with `threads` workers (1–64).
 * *out is new; free with risk_fair_free. TS_ENOMEM when the per-trial
 * arrays (rows × trials doubles within 1 GiB, else 2 × trials) do not fit. */
TS_WUR int risk_fair_run(const risk_ws_t *ws, uint64_t trials, uint64_t seed,
                         unsigned threads, risk_fair_t **out);
void risk_fair_free(risk_fair_t **f);

/* The most memory risk_fair_run may take for per-row arrays of annual
 * losses (default 1 GiB). Within it, all rows are simulated together and
 * threads never wait on one another; beyond it, row after row. Both give the
 * same bits. For tests and embedders; not thread-safe. */
void risk_fair_set_memory_budget(size_t bytes);

/* The per-trial annual losses of one row into out[0..n) for trials
 * [first, first + n) — the simulation's inner loop, exposed for tests and
 * the benchmark. `first` must be a multiple of RISK_FAIR_BLOCK. TS_ENOMEM
 * when the row's tables cannot be allocated. */
TS_WUR int risk_fair_row_losses(const risk_row_t *row, size_t index, uint64_t seed,
                                uint64_t first, size_t n, double *out);

/* The values of 0-based ranks (ascending, below n, at most 32; more give
 * zeros) of a[0..n) in sorted order, by selection; may reorder a. Large
 * arrays of non-negative values go through a histogram of their top bits
 * first, so selection only sees the buckets that hold the ranks. */
void risk_select_ranks(double *a, size_t n, const size_t *ranks, size_t nr, double *out);

void risk_fair_render_table(const risk_fair_t *f, rout_t *o);
void risk_fair_render_json(const risk_fair_t *f, rout_t *o);
void risk_fair_render_csv(const risk_fair_t *f, rout_t *o);
void risk_fair_render_html(const risk_fair_t *f, rout_t *o);

#endif
