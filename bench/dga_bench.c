/* dga_bench.c — names per second of each DGA family on one core.
 *
 *   dga_bench [SECONDS_PER_FAMILY]
 *
 * Each family generates its default names per period for consecutive periods
 * from 2016-01-01 until the time is up; the callback only sums lengths, so
 * the figure is the generator's own speed. The budget and the names/s column
 * count the thread's CPU time, so other jobs on a shared core do not lower
 * the figure; the last column divides by wall-clock time instead.
 *
 * Two more rows for necurs: "necurs-portable", its portable driver (forced
 * with TLDSEC_DGA_SIMD=portable), and, on processors with AVX-512,
 * "necurs-ceiling": the bare round loop of its mixing function in 32 lanes
 * (four vectors, nothing else; "+hist" also stores every round's values, as
 * the generator does), as lane-rounds per second and the names per second
 * it would give at 2,533 rounds a name if the steps between calls were free. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define BENCH_X86 1
#endif

#include "base/clock.h"
#include "dga/dga.h"

static double now_s(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct tally {
	unsigned long long names;
	unsigned long long bytes;
} tally_t;

static int count_name(void *user, const char *name, size_t len, int64_t day)
{
	tally_t *t = user;
	(void)day;
	t->names++;
	t->bytes += len + (unsigned char)name[0];
	return 0;
}

/* One family's names per second; `label` names the row. */
static int bench_family(const dga_family_t *f, const char *label, double budget, int64_t start)
{
	dga_params_t p;
	if (dga_params_init(f, NULL, NULL, 0, &p) != 0)
		return 1;
	tally_t t = { 0, 0 };
	double t0 = now_s(CLOCK_THREAD_CPUTIME_ID), w0 = now_s(CLOCK_MONOTONIC), el = 0;
	int64_t day = start;
	while (el < budget) {
		/* one period per call; undated families repeat their list */
		if (dga_generate(f, &p, day, 1, count_name, &t) != 0)
			return 1;
		day += f->period_days != 0 ? f->period_days : 1;
		if (day > start + 3000)
			day = start;
		el = now_s(CLOCK_THREAD_CPUTIME_ID) - t0;
	}
	double wall = now_s(CLOCK_MONOTONIC) - w0;
	printf("%-15s %14.0f %12llu %14.0f\n", label, (double)t.names / el, t.names,
	       (double)t.names / wall);
	return t.bytes == 0;
}

#ifdef BENCH_X86
#define CEIL_ROUNDS 32
static volatile uint64_t ceiling_sink; /* the vectors' final values go here */

/* Blocks of CEIL_ROUNDS rounds of necurs' mixing round in four vectors of
 * eight lanes, each lane with its own round counter; `hist` non-NULL: every
 * round's values stored there. Returns the lane-rounds per second. */
__attribute__((target("avx512f")))
static double ceiling_avx512(double budget, uint64_t (*hist)[32])
{
	__m512i v[4], k[4];
	const __m512i eight = _mm512_set1_epi64(8);
	for (int j = 0; j < 4; j++) {
		v[j] = _mm512_set1_epi64(77 * j + 1);
		k[j] = _mm512_set_epi64(56, 48, 40, 32, 24, 16, 8, 0);
	}
	uint64_t blocks = 0;
	double t0 = now_s(CLOCK_THREAD_CPUTIME_ID), el = 0;
	while (el < budget) {
		for (int b = 0; b < 4096; b++) {
			for (int r = 0; r < CEIL_ROUNDS; r++) {
#pragma GCC unroll 4
				for (int j = 0; j < 4; j++) {
					__m512i x = v[j];
					__m512i a = _mm512_sub_epi64(_mm512_slli_epi64(x, 3), x);
					__m512i c = _mm512_sub_epi64(_mm512_add_epi64(x, k[j]), _mm512_srli_epi64(x, 5));
					v[j] = _mm512_add_epi64(c, _mm512_xor_si512(a, _mm512_slli_epi64(x, 15)));
					k[j] = _mm512_add_epi64(k[j], eight);
					if (hist != NULL)
						_mm512_store_si512(&hist[r][8 * j], v[j]);
				}
			}
			/* the values escape, so no round can be left out */
			__asm__ volatile("" : : "r"(hist) : "memory");
		}
		blocks += 4096;
		el = now_s(CLOCK_THREAD_CPUTIME_ID) - t0;
	}
	uint64_t out[8];
	_mm512_storeu_si512(out, _mm512_add_epi64(_mm512_add_epi64(v[0], v[1]), _mm512_add_epi64(v[2], v[3])));
	ceiling_sink = out[0];
	return (double)blocks * CEIL_ROUNDS * 32 / el;
}

static void bench_ceiling(double budget)
{
	static _Alignas(64) uint64_t hist[CEIL_ROUNDS][32];
	if (!__builtin_cpu_supports("avx512f"))
		return;
	for (int h = 0; h < 2; h++) {
		double lr = ceiling_avx512(budget, h ? hist : NULL);
		printf("necurs-ceiling%s: %.2f G lane-rounds/s = %.2f M names/s at 2,533 rounds a name\n",
		       h ? " +hist" : "", lr / 1e9, lr / 2533 / 1e6);
	}
}
#endif

int main(int argc, char **argv)
{
	double budget = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	size_t n;
	const dga_family_t *f = dga_families(&n);
	int64_t start = ts_days_from_civil(2016, 1, 1);
	printf("%-15s %14s %12s %14s\n", "family", "names/s", "names", "wall names/s");
	for (size_t i = 0; i < n; i++)
		if (bench_family(&f[i], f[i].name, budget, start) != 0)
			return 1;
	const dga_family_t *nec = dga_find("necurs");
	if (nec == NULL || setenv("TLDSEC_DGA_SIMD", "portable", 1) != 0 ||
	    bench_family(nec, "necurs-portable", budget, start) != 0)
		return 1;
	unsetenv("TLDSEC_DGA_SIMD");
#ifdef BENCH_X86
	bench_ceiling(budget);
#endif
	return 0;
}
