/* dga_bench.c — names per second of each DGA family on one core.
 *
 *   dga_bench [SECONDS_PER_FAMILY]
 *
 * Each family generates its default names per period for consecutive periods
 * from 2016-01-01 until the time is up; the callback only sums lengths, so
 * the figure is the generator's own speed. The budget and the names/s column
 * count the thread's CPU time, so other jobs on a shared core do not lower
 * the figure; the last column divides by wall-clock time instead. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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

int main(int argc, char **argv)
{
	double budget = argc > 1 ? strtod(argv[1], NULL) : 1.0;
	size_t n;
	const dga_family_t *f = dga_families(&n);
	int64_t start = ts_days_from_civil(2016, 1, 1);
	printf("%-8s %14s %12s %14s\n", "family", "names/s", "names", "wall names/s");
	for (size_t i = 0; i < n; i++) {
		dga_params_t p;
		if (dga_params_init(&f[i], NULL, NULL, 0, &p) != 0)
			return 1;
		tally_t t = { 0, 0 };
		double t0 = now_s(CLOCK_THREAD_CPUTIME_ID), w0 = now_s(CLOCK_MONOTONIC), el = 0;
		int64_t day = start;
		while (el < budget) {
			/* one period per call; undated families repeat their list */
			if (dga_generate(&f[i], &p, day, 1, count_name, &t) != 0)
				return 1;
			day += f[i].period_days != 0 ? f[i].period_days : 1;
			if (day > start + 3000)
				day = start;
			el = now_s(CLOCK_THREAD_CPUTIME_ID) - t0;
		}
		double wall = now_s(CLOCK_MONOTONIC) - w0;
		printf("%-8s %14.0f %12llu %14.0f\n", f[i].name, (double)t.names / el, t.names,
		       (double)t.names / wall);
		if (t.bytes == 0)
			return 1;
	}
	return 0;
}
