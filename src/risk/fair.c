/* fair.c — the FAIR Monte Carlo: blocks, threads, order statistics, outputs. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <sys/mman.h>

#include "base/alloc.h"
#include "base/log.h"
#include "risk/fair.h"
#include "risk/rng.h"

/* Set in the stream number of a block's second generator (row indices stay
 * far below it). */
#define RISK_SLOW_STREAM (1ull << 63)

const unsigned risk_fair_lec_permille[RISK_FAIR_LEC_POINTS] = {
	900, 800, 700, 600, 500, 400, 300, 200, 100, 50, 20, 10, 5, 2, 1
};

static double pert_mean(const risk_pert_t *p)
{
	return (p->min + 4.0 * p->mode + p->max) / 6.0;
}

/* One row's three distributions, prepared once per run. */
typedef struct row_prep {
	risk_pert_table_t tef, vuln, loss;
} row_prep_t;

static void prep_row(row_prep_t *p, const risk_row_t *row)
{
	risk_pert_table_init(&p->tef, row->tef.min, row->tef.mode, row->tef.max);
	risk_pert_table_init(&p->vuln, row->vuln.min, row->vuln.mode, row->vuln.max);
	risk_pert_table_init(&p->loss, row->loss.min, row->loss.mode, row->loss.max);
}

/* The loss of k events (rows with 10 or more a year). Small and not
 * inlined, so the generator's state and the sum stay in registers (in the
 * large loop they spill to the stack, which puts a store and a load on every
 * draw's critical path); the call costs little against k draws. */
static __attribute__((noinline)) double losses_of(risk_rng_t *gp, risk_rng_t *slow,
                                                   const risk_pert_table_t *t, uint64_t k)
{
	risk_rng_t g = *gp;
	double sum = 0.0;
	for (uint64_t e = 0; e < k; e++)
		sum += risk_rng_pert_fast2(&g, slow, t);
	*gp = g;
	return sum;
}

/* Trials [first, first + n) of one row; first is a multiple of the block.
 * Each block has two generators seeded from (seed, row, block): g for the
 * common paths, `slow` for the rare ones (ziggurat tails and wedges, table
 * caps, PTRS). g's address never leaves this function except as a copy, so
 * the compiler keeps it in registers. */
static void run_blocks(const row_prep_t *p, size_t index, uint64_t seed, uint64_t first,
                       size_t n, double *out)
{
	uint64_t block = first / RISK_FAIR_BLOCK;
	for (size_t done = 0; done < n; block++) {
		size_t len = n - done < RISK_FAIR_BLOCK ? n - done : RISK_FAIR_BLOCK;
		risk_rng_t g, slow;
		risk_rng_seed(&g, seed, index, block);
		risk_rng_seed(&slow, seed, index | RISK_SLOW_STREAM, block);
		double *o = out + done;
		for (size_t t = 0; t < len; t++) {
			double lambda = risk_rng_pert_fast2(&g, &slow, &p->tef) *
			                risk_rng_pert_fast2(&g, &slow, &p->vuln);
			double sum;
			if (lambda < 10.0) {
				/* the Poisson process's arrivals and their losses in one loop
				 * (risk_rng_poisson's method, one unpredictable exit per year) */
				sum = 0.0;
				double at = risk_rng_exp2(&g, &slow);
				while (at <= lambda) {
					sum += risk_rng_pert_fast2(&g, &slow, &p->loss);
					at += risk_rng_exp2(&g, &slow);
				}
			} else {
				uint64_t k = risk_rng_poisson_ptrs(&slow, lambda);
				if (p->loss.constant) {
					sum = (double)k * p->loss.min;
				} else {
					risk_rng_t copy = g;
					sum = losses_of(&copy, &slow, &p->loss, k);
					g = copy;
				}
			}
			o[t] = sum;
		}
		done += len;
	}
}

int risk_fair_row_losses(const risk_row_t *row, size_t index, uint64_t seed,
                         uint64_t first, size_t n, double *out)
{
	risk_rng_init();
	row_prep_t *p = ts_malloc(sizeof(*p));
	if (p == NULL)
		return TS_ENOMEM;
	prep_row(p, row);
	run_blocks(p, index, seed, first, n, out);
	ts_free(p);
	return TS_OK;
}

/* ---- selection --------------------------------------------------------------- */

static void insertion_sort(double *a, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		double v = a[i];
		size_t j = i;
		while (j > 0 && a[j - 1] > v) {
			a[j] = a[j - 1];
			j--;
		}
		a[j] = v;
	}
}

static double median3(double a, double b, double c)
{
	if (a < b)
		return b < c ? b : (a < c ? c : a);
	return a < c ? a : (b < c ? c : b);
}

#define SELECT_MAX_RANKS 32

/* Ranks (ascending, at most SELECT_MAX_RANKS) are relative to a; out is
 * parallel to ranks. Three-way partitions keep runs of equal values (years
 * without loss are many) cheap. */
static void msel(double *a, size_t n, const size_t *rk, size_t nr, double *out)
{
	if (nr == 0)
		return;
	if (n <= 24) {
		insertion_sort(a, n);
		for (size_t i = 0; i < nr; i++)
			out[i] = a[rk[i]];
		return;
	}
	double p = median3(a[0], a[n / 2], a[n - 1]);
	size_t lt = 0, i = 0, gt = n;
	while (i < gt) {
		if (a[i] < p) {
			double t = a[i];
			a[i] = a[lt];
			a[lt] = t;
			lt++;
			i++;
		} else if (a[i] > p) {
			gt--;
			double t = a[i];
			a[i] = a[gt];
			a[gt] = t;
		} else {
			i++;
		}
	}
	size_t nlo = 0;
	while (nlo < nr && rk[nlo] < lt)
		nlo++;
	msel(a, lt, rk, nlo, out);
	size_t neq = nlo;
	while (neq < nr && rk[neq] < gt)
		out[neq++] = p;
	size_t shifted[SELECT_MAX_RANKS];
	for (size_t k = neq; k < nr; k++)
		shifted[k - neq] = rk[k] - gt;
	msel(a + gt, n - gt, shifted, nr - neq, out + neq);
}

#define HIST_BUCKETS 32768u   /* the top 15 bits of a non-negative double */
#define HIST_MIN_N   65536u   /* below this, plain selection */

static uint64_t dbits(double v)
{
	uint64_t u;
	memcpy(&u, &v, sizeof(u));
	return u;
}

/* For large arrays of non-negative values: one pass builds a histogram on
 * the values' top bits (their order is the values' order), a second pass
 * copies out the few buckets that hold the wanted ranks, and selection runs
 * on those alone. Returns false (nothing done) for small arrays, negative
 * values or NaN, or when memory runs out; the caller then selects plainly. */
static bool hist_select(const double *a, size_t n, const size_t *rk, size_t nr, double *out)
{
	if (n < HIST_MIN_N)
		return false;
	bool ok = false;
	uint32_t *hist = ts_calloc(HIST_BUCKETS, sizeof(*hist));
	uint8_t *want = ts_calloc(HIST_BUCKETS, 1);
	double *scratch = NULL;
	if (hist == NULL || want == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		uint64_t b = dbits(a[i]);
		if ((b >> 63) != 0 || a[i] != a[i])
			goto out;   /* negative, -0 or NaN */
		hist[b >> 48]++;
	}
	/* the bucket and its first rank for each wanted rank */
	size_t bucket[SELECT_MAX_RANKS], start[SELECT_MAX_RANKS];
	size_t slot_bucket[SELECT_MAX_RANKS], slot_off[SELECT_MAX_RANKS], slot_fill[SELECT_MAX_RANKS];
	size_t nslots = 0, total = 0, before = 0, r = 0;
	for (size_t b = 0; b < HIST_BUCKETS && r < nr; b++) {
		size_t cnt = hist[b];
		while (r < nr && rk[r] < before + cnt) {
			bucket[r] = b;
			start[r] = before;
			if (nslots == 0 || slot_bucket[nslots - 1] != b) {
				slot_bucket[nslots] = b;
				slot_off[nslots] = total;
				slot_fill[nslots] = total;
				total += cnt;
				nslots++;
				want[b] = (uint8_t)nslots;
			}
			r++;
		}
		before += cnt;
	}
	if (r < nr || total == 0)
		goto out;
	scratch = ts_malloc(total * sizeof(*scratch));
	if (scratch == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		unsigned w = want[dbits(a[i]) >> 48];
		if (w != 0)
			scratch[slot_fill[w - 1]++] = a[i];
	}
	/* ranks of one bucket together, relative to the bucket */
	for (size_t i = 0; i < nr;) {
		size_t j = i, local[SELECT_MAX_RANKS];
		while (j < nr && bucket[j] == bucket[i]) {
			local[j - i] = rk[j] - start[j];
			j++;
		}
		size_t sl = want[bucket[i]] - 1u;
		msel(scratch + slot_off[sl], hist[bucket[i]], local, j - i, out + i);
		i = j;
	}
	ok = true;
out:
	ts_free(scratch);
	ts_free(want);
	ts_free(hist);
	return ok;
}

void risk_select_ranks(double *a, size_t n, const size_t *ranks, size_t nr, double *out)
{
	if (n == 0 || nr > SELECT_MAX_RANKS) {
		for (size_t i = 0; i < nr; i++)
			out[i] = 0.0;
		return;
	}
	if (!hist_select(a, n, ranks, nr, out))
		msel(a, n, ranks, nr, out);
}

/* ---- the run ----------------------------------------------------------------- */

/* Mean, share of lossy years, percentiles and the exceedance curve of
 * a[0..n); reorders a. */
static void summarize(double *a, uint64_t n, risk_fair_stats_t *st)
{
	/* one pass: the sum in year order, and the years with a loss moved to
	 * the front (years without one are often most of them; the order is not
	 * needed after this) */
	double sum = 0.0;
	uint64_t lossy = 0;
	for (uint64_t t = 0; t < n; t++) {
		double v = a[t];
		sum += v;
		a[lossy] = v;
		lossy += v > 0.0;
	}
	st->mean = sum / (double)n;
	st->p_loss = (double)lossy / (double)n;
	/* nearest rank: the q-quantile is the ceil(q n)-th smallest (1-based) */
	size_t rk[3 + RISK_FAIR_LEC_POINTS];
	double val[3 + RISK_FAIR_LEC_POINTS] = { 0 };
	unsigned q[3 + RISK_FAIR_LEC_POINTS];
	size_t nq = 0;
	q[nq++] = 100;
	q[nq++] = 500;
	q[nq++] = 900;
	for (int i = 0; i < RISK_FAIR_LEC_POINTS; i++)
		q[nq++] = 1000 - risk_fair_lec_permille[i];
	/* sort the quantiles (tiny insertion sort), keeping where each came from */
	size_t from[3 + RISK_FAIR_LEC_POINTS];
	for (size_t i = 0; i < nq; i++)
		from[i] = i;
	for (size_t i = 1; i < nq; i++)
		for (size_t k = i; k > 0 && q[from[k - 1]] > q[from[k]]; k--) {
			size_t t = from[k];
			from[k] = from[k - 1];
			from[k - 1] = t;
		}
	size_t urk[3 + RISK_FAIR_LEC_POINTS];
	size_t nu = 0;
	for (size_t i = 0; i < nq; i++) {
		uint64_t r1 = ((uint64_t)q[from[i]] * n + 999) / 1000;
		rk[i] = (size_t)(r1 == 0 ? 0 : r1 - 1);
		if (nu == 0 || urk[nu - 1] != rk[i])
			urk[nu++] = rk[i];
	}
	double uval[3 + RISK_FAIR_LEC_POINTS];
	uint64_t zeros = n - lossy;
	size_t first = 0;
	while (first < nu && urk[first] < zeros)
		uval[first++] = 0.0;
	size_t shifted[3 + RISK_FAIR_LEC_POINTS];
	for (size_t i = first; i < nu; i++)
		shifted[i - first] = urk[i] - (size_t)zeros;
	risk_select_ranks(a, (size_t)lossy, shifted, nu - first, uval + first);
	for (size_t i = 0, u = 0; i < nq; i++) {
		while (urk[u] != rk[i])
			u++;
		val[from[i]] = uval[u];
	}
	st->p10 = val[0];
	st->p50 = val[1];
	st->p90 = val[2];
	for (int i = 0; i < RISK_FAIR_LEC_POINTS; i++)
		st->lec[i] = val[3 + i];
}

/* Asks the kernel for transparent huge pages on the aligned middle of a
 * large array: 512 times fewer page faults on first touch. Advice only. */
static void advise_huge(void *p, size_t bytes)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = (uintptr_t)2 << 20;
	uintptr_t start = ((uintptr_t)p + huge - 1) & ~(huge - 1);
	uintptr_t end = ((uintptr_t)p + bytes) & ~(huge - 1);
	if (end > start)
		(void)madvise((void *)start, end - start, MADV_HUGEPAGE);
#else
	(void)p;
	(void)bytes;
#endif
}

static size_t mem_budget = (size_t)1 << 30;   /* bytes of per-row arrays for the column plan */

void risk_fair_set_memory_budget(size_t bytes)
{
	mem_budget = bytes;
}

/* What the workers share. Two plans give the same bits:
 *  - columns (when rows × trials doubles fit the budget): a task is one block
 *    of trials for every row, rows in order, so a thread adds each year's
 *    row losses into the register's sum in row order, and there is no
 *    barrier until the end;
 *  - rows (otherwise): a task is one block of one row; rows run one after
 *    the other, so the sums are again taken in row order. */
typedef struct run {
	const row_prep_t *prep;      /* per quantitative row */
	const size_t *index;         /* its index in the worksheet: its streams */
	size_t nq;
	uint64_t seed, trials, nblocks;
	double *loss;                /* columns: nq × trials; rows: trials (the current row) */
	double *total;
	size_t row;                  /* rows plan: the current row */
	int columns;
	atomic_uint_fast64_t next;   /* the next block */
	/* the summaries, as tasks after the simulation */
	risk_fair_t *f;
	atomic_size_t next_summary;
} run_t;

static void block_range(const run_t *r, uint64_t b, uint64_t *first, size_t *len)
{
	*first = b * RISK_FAIR_BLOCK;
	*len = (size_t)(r->trials - *first < RISK_FAIR_BLOCK ? r->trials - *first : RISK_FAIR_BLOCK);
}

static void *sim_worker(void *arg)
{
	run_t *r = arg;
	for (;;) {
		uint64_t b = atomic_fetch_add(&r->next, 1), first;
		size_t len;
		if (b >= r->nblocks)
			break;
		block_range(r, b, &first, &len);
		size_t q0 = r->columns ? 0 : r->row, q1 = r->columns ? r->nq : r->row + 1;
		for (size_t q = q0; q < q1; q++) {
			double *out = r->columns ? r->loss + q * r->trials : r->loss;
			run_blocks(&r->prep[q], r->index[q], r->seed, first, len, out + first);
			for (uint64_t t = first; t < first + len; t++)
				r->total[t] += out[t];
		}
	}
	return NULL;
}

/* Runs fn on `threads` threads (the caller is one of them). */
static void in_parallel(void *(*fn)(void *), void *arg, unsigned threads)
{
	pthread_t tid[64];
	unsigned started = 0;
	for (unsigned t = 1; t < threads && t < 64; t++) {
		if (pthread_create(&tid[started], NULL, fn, arg) != 0)
			break;  /* fewer threads: the same result, only slower */
		started++;
	}
	fn(arg);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
}

/* Summary tasks of the column plan: the rows, then the register. */
static void *summary_worker(void *arg)
{
	run_t *r = arg;
	for (;;) {
		size_t q = atomic_fetch_add(&r->next_summary, 1);
		if (q > r->nq)
			break;
		if (q == r->nq)
			summarize(r->total, r->trials, &r->f->total);
		else
			summarize(r->loss + q * r->trials, r->trials, &r->f->rows[q].st);
	}
	return NULL;
}

int risk_fair_run(const risk_ws_t *ws, uint64_t trials, uint64_t seed, unsigned threads,
                  risk_fair_t **out)
{
	int ret = TS_OK;
	row_prep_t *prep = NULL;
	size_t *index = NULL;
	run_t r = { .seed = seed, .trials = trials };
	*out = NULL;
	if (trials == 0 || trials > RISK_FAIR_MAX_TRIALS || threads == 0 || threads > 64)
		return TS_EUSAGE;
	risk_fair_t *f = ts_calloc(1, sizeof(*f));
	if (f == NULL)
		return TS_ENOMEM;
	f->ws = ws;
	f->trials = trials;
	f->seed = seed;
	size_t nq = 0;
	for (size_t i = 0; i < ws->nrows; i++)
		nq += ws->rows[i].has_quant;
	f->skipped = ws->nrows - nq;
	f->rows = ts_calloc(nq > 0 ? nq : 1, sizeof(*f->rows));
	prep = ts_malloc((nq > 0 ? nq : 1) * sizeof(*prep));
	index = ts_malloc((nq > 0 ? nq : 1) * sizeof(*index));
	r.total = ts_calloc((size_t)trials, sizeof(double));
	if (r.total != NULL)
		advise_huge(r.total, (size_t)trials * sizeof(double));
	if (f->rows == NULL || prep == NULL || index == NULL || r.total == NULL) {
		ret = TS_ENOMEM;
		goto nomem;
	}
	risk_rng_init();
	double analytic = 0.0;
	for (size_t i = 0; i < ws->nrows; i++) {
		const risk_row_t *row = &ws->rows[i];
		if (!row->has_quant)
			continue;
		risk_fair_row_t *fr = &f->rows[f->n];
		fr->row = row;
		fr->index = i;
		fr->st.analytic = pert_mean(&row->tef) * pert_mean(&row->vuln) * pert_mean(&row->loss);
		analytic += fr->st.analytic;
		prep_row(&prep[f->n], row);
		index[f->n] = i;
		f->n++;
	}
	r.prep = prep;
	r.index = index;
	r.nq = nq;
	r.f = f;
	r.nblocks = (trials + RISK_FAIR_BLOCK - 1) / RISK_FAIR_BLOCK;
	unsigned workers = threads > r.nblocks ? (unsigned)r.nblocks : threads;
	r.columns = nq > 0 && (size_t)trials <= mem_budget / sizeof(double) / nq;
	if (r.columns && (r.loss = ts_malloc(nq * (size_t)trials * sizeof(double))) == NULL)
		r.columns = 0;
	if (r.columns)
		advise_huge(r.loss, nq * (size_t)trials * sizeof(double));
	if (r.columns) {
		atomic_store(&r.next, 0);
		in_parallel(sim_worker, &r, workers);
		atomic_store(&r.next_summary, 0);
		in_parallel(summary_worker, &r, threads > nq + 1 ? (unsigned)nq + 1 : threads);
	} else {
		if ((r.loss = ts_malloc((size_t)trials * sizeof(double))) == NULL) {
			ret = TS_ENOMEM;
			goto nomem;
		}
		for (r.row = 0; r.row < nq; r.row++) {
			atomic_store(&r.next, 0);
			in_parallel(sim_worker, &r, workers);
			summarize(r.loss, trials, &f->rows[r.row].st);
		}
		summarize(r.total, trials, &f->total);
	}
	f->total.analytic = analytic;
	*out = f;
	f = NULL;
	goto out;
nomem:
	ts_log(TS_LOG_ERR, "simulate: not enough memory for %llu trials", (unsigned long long)trials);
out:
	ts_free(r.loss);
	ts_free(r.total);
	ts_free(prep);
	ts_free(index);
	risk_fair_free(&f);
	return ret;
}

void risk_fair_free(risk_fair_t **f)
{
	if (f == NULL || *f == NULL)
		return;
	ts_free((*f)->rows);
	ts_free(*f);
	*f = NULL;
}

/* ---- outputs ----------------------------------------------------------------- */

static void stats_json(rout_t *o, const risk_fair_stats_t *st)
{
	rout_s(o, "\"ale_mean\":");
	rout_num(o, st->mean);
	rout_s(o, ",\"p10\":");
	rout_num(o, st->p10);
	rout_s(o, ",\"p50\":");
	rout_num(o, st->p50);
	rout_s(o, ",\"p90\":");
	rout_num(o, st->p90);
	rout_s(o, ",\"ale_analytic\":");
	rout_num(o, st->analytic);
	rout_s(o, ",\"p_loss\":");
	rout_num(o, st->p_loss);
	rout_s(o, ",\"lec\":[");
	for (int i = 0; i < RISK_FAIR_LEC_POINTS; i++) {
		rout_f(o, "%s{\"p_exceed\":%g,\"loss\":", i > 0 ? "," : "",
		       risk_fair_lec_permille[i] / 1000.0);
		rout_num(o, st->lec[i]);
		rout_s(o, "}");
	}
	rout_s(o, "]");
}

void risk_fair_render_json(const risk_fair_t *f, rout_t *o)
{
	rout_f(o, "{\"trials\":%llu,\"seed\":%llu,\"rows\":[", (unsigned long long)f->trials,
	       (unsigned long long)f->seed);
	for (size_t i = 0; i < f->n; i++) {
		rout_s(o, i > 0 ? ",\n{\"id\":" : "\n{\"id\":");
		rout_json(o, f->rows[i].row->id);
		rout_s(o, ",\"threat_event\":");
		rout_json(o, f->rows[i].row->threat_event);
		rout_s(o, ",");
		stats_json(o, &f->rows[i].st);
		rout_s(o, "}");
	}
	rout_s(o, "\n],\"total\":{");
	stats_json(o, &f->total);
	rout_f(o, "},\"skipped_rows\":%zu}\n", f->skipped);
}

void risk_fair_render_csv(const risk_fair_t *f, rout_t *o)
{
	rout_s(o, "scope,id,threat_event,ale_mean,p10,p50,p90,ale_analytic,p_loss\r\n");
	for (size_t i = 0; i <= f->n; i++) {
		const risk_fair_stats_t *st = i < f->n ? &f->rows[i].st : &f->total;
		if (i < f->n) {
			rout_s(o, "row,");
			rout_csv(o, f->rows[i].row->id);
			rout_s(o, ",");
			rout_csv(o, f->rows[i].row->threat_event);
		} else {
			rout_s(o, "total,,");
		}
		const double v[] = { st->mean, st->p10, st->p50, st->p90, st->analytic, st->p_loss };
		for (size_t k = 0; k < sizeof(v) / sizeof(v[0]); k++) {
			rout_s(o, ",");
			rout_num(o, v[k]);
		}
		rout_s(o, "\r\n");
	}
}

void risk_fair_render_table(const risk_fair_t *f, rout_t *o)
{
	rout_f(o, "FAIR Monte Carlo: %s, %llu simulated years, seed %llu\n\n", f->ws->name,
	       (unsigned long long)f->trials, (unsigned long long)f->seed);
	rout_f(o, "%-12s %14s %14s %14s %14s %14s  %s\n", "ID", "ALE MEAN", "P10", "P50", "P90",
	       "ANALYTIC", "THREAT EVENT");
	for (size_t i = 0; i <= f->n; i++) {
		const risk_fair_stats_t *st = i < f->n ? &f->rows[i].st : &f->total;
		rout_f(o, "%-12.12s %14.2f %14.2f %14.2f %14.2f %14.2f  %s\n",
		       i < f->n ? f->rows[i].row->id : "TOTAL", st->mean, st->p10, st->p50, st->p90,
		       st->analytic, i < f->n ? f->rows[i].row->threat_event : "(the register)");
	}
	rout_s(o, "\nLoss exceedance (the register): the annual loss is above X with probability P\n");
	for (int i = 0; i < RISK_FAIR_LEC_POINTS; i++)
		rout_f(o, "  P %6.1f%%   X %16.2f\n", risk_fair_lec_permille[i] / 10.0, f->total.lec[i]);
	if (f->skipped > 0)
		rout_f(o, "\n%zu rows without quantitative columns were not simulated.\n", f->skipped);
}

/* A loss exceedance chart: x the annual loss (linear), y the probability of
 * exceeding it; the register in black, each row in grey. */
static void lec_svg(const risk_fair_t *f, rout_t *o)
{
	const int w = 640, h = 360, l = 70, r = 20, t = 20, b = 50;
	double xmax = f->total.lec[RISK_FAIR_LEC_POINTS - 1];
	if (!(xmax > 0.0))
		xmax = 1.0;
	rout_f(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	       "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"loss exceedance curve\">\n", w, h, w, h);
	rout_f(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>\n",
	       l, t, w - l - r, h - t - b);
	for (int k = 0; k <= 4; k++) {
		double y = t + (h - t - b) * (1.0 - k / 4.0);
		double x = l + (w - l - r) * k / 4.0;
		rout_f(o, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%d%%</text>\n",
		       l - 6, y + 4, k * 25);
		rout_f(o, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.0f</text>\n",
		       x, h - b + 16, xmax * k / 4.0);
	}
	rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">annual loss</text>\n",
	       l + (w - l - r) / 2, h - 10);
	rout_f(o, "<text x=\"14\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\" "
	       "transform=\"rotate(-90 14 %d)\">probability of exceeding</text>\n",
	       t + (h - t - b) / 2, t + (h - t - b) / 2);
	for (size_t i = 0; i <= f->n; i++) {
		const risk_fair_stats_t *st = i < f->n ? &f->rows[i].st : &f->total;
		rout_f(o, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"%s\" points=\"",
		       i < f->n ? "#aaa" : "#000", i < f->n ? "1" : "2.5");
		/* from (0, P(loss > 0)) through each point of the curve */
		double px = l, py = t + (h - t - b) * (1.0 - st->p_loss);
		rout_f(o, "%.1f,%.1f", px, py);
		for (int k = 0; k < RISK_FAIR_LEC_POINTS; k++) {
			double x = st->lec[k] / xmax;
			if (x > 1.0)
				x = 1.0;
			double p = risk_fair_lec_permille[k] / 1000.0;
			if (p > st->p_loss)
				p = st->p_loss;
			rout_f(o, " %.1f,%.1f", l + (w - l - r) * x, t + (h - t - b) * (1.0 - p));
		}
		rout_s(o, "\">");
		if (i < f->n) {
			rout_s(o, "<title>");
			rout_html(o, f->rows[i].row->id);
			rout_s(o, "</title>");
		} else {
			rout_s(o, "<title>the register</title>");
		}
		rout_s(o, "</polyline>\n");
	}
	rout_s(o, "</svg>\n");
}

void risk_fair_render_html(const risk_fair_t *f, rout_t *o)
{
	rout_html_head(o, "FAIR Monte Carlo");
	rout_s(o, "<h1>FAIR Monte Carlo</h1>\n<p>Worksheet <code>");
	rout_html(o, f->ws->name);
	rout_f(o, "</code>: %llu simulated years, seed %llu. Annual loss per threat event and for the "
	       "register; percentiles are exact order statistics of the simulated years.</p>\n",
	       (unsigned long long)f->trials, (unsigned long long)f->seed);
	rout_s(o, "<table>\n<tr><th>id</th><th>threat event</th><th>ALE mean</th><th>P10</th>"
	       "<th>P50</th><th>P90</th><th>analytic mean</th><th>years with a loss</th></tr>\n");
	for (size_t i = 0; i <= f->n; i++) {
		const risk_fair_stats_t *st = i < f->n ? &f->rows[i].st : &f->total;
		rout_s(o, i < f->n ? "<tr><td>" : "<tr><th>");
		rout_html(o, i < f->n ? f->rows[i].row->id : "total");
		rout_s(o, i < f->n ? "</td><td>" : "</th><td>");
		rout_html(o, i < f->n ? f->rows[i].row->threat_event : "the register");
		rout_f(o, "</td><td class=\"num\">%.2f</td><td class=\"num\">%.2f</td><td class=\"num\">%.2f"
		       "</td><td class=\"num\">%.2f</td><td class=\"num\">%.2f</td><td class=\"num\">%.1f%%"
		       "</td></tr>\n", st->mean, st->p10, st->p50, st->p90, st->analytic, 100.0 * st->p_loss);
	}
	rout_s(o, "</table>\n<h2>Loss exceedance curve</h2>\n<p>Black: the register; grey: each "
	       "threat event.</p>\n");
	lec_svg(f, o);
	rout_html_tail(o);
}
