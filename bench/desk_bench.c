/* desk_bench.c — builds a desk database of N cases through the store (one
 * transaction, prepared statements) and times the overdue query in process.
 *
 *   desk_bench build DB N OPEN_PER_MILLE NOW   make the database
 *   desk_bench query DB NOW                    time count and listing of the overdue cases
 *
 * Cases are received over the year before NOW; OPEN_PER_MILLE of them are
 * open (half new, half acknowledged) with due times spread over the four days
 * around NOW, so about half of the open ones are overdue. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/num.h"
#include "store/store.h"

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int build(const char *db, uint64_t n, uint64_t open_pm, int64_t now)
{
	store_t *st = NULL;
	char err[256], domain[64];
	int ret = store_open(&st, db, true, 5000, err, sizeof(err));
	if (ret != TS_OK) {
		fprintf(stderr, "desk_bench: %s: %s\n", db, err);
		return 1;
	}
	double t0 = seconds();
	uint64_t x = 88172645463325252ull, opened = 0;
	if ((ret = store_begin(st)) != TS_OK)
		goto fail;
	for (uint64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		int64_t received = now - 365 * 86400 + (int64_t)(x % (365u * 86400u));
		bool open = (x >> 20) % 1000 < open_pm;
		snprintf(domain, sizeof(domain), "d%" PRIu64 ".example", i);
		store_case_t c = { .domain = domain, .threat = "phishing", .priority = "standard", .prio_rank = 1,
			           .registered = true, .received_at = received, .ack_due = received + 86400,
			           .response_due = received + 4 * 86400 };
		if (open) {
			opened++;
			c.state = (x >> 40) & 1 ? "new" : "acknowledged";
			c.next_due = now - 2 * 86400 + (int64_t)((x >> 24) % (4u * 86400u));
		} else {
			c.state = "closed";
			c.acked_at = received + 3600;
			c.assessed_at = received + 7200;
			c.closed_at = received + 10800;
		}
		int64_t id;
		if ((ret = store_case_add(st, &c, &id)) != TS_OK)
			goto fail;
	}
	if ((ret = store_commit(st)) != TS_OK)
		goto fail;
	printf("desk_bench: built %" PRIu64 " cases (%" PRIu64 " open) in %.1f s\n", n, opened, seconds() - t0);
	store_close(&st);
	return 0;
fail:
	fprintf(stderr, "desk_bench: %s\n", store_error(st));
	store_close(&st);
	return 1;
}

static int count_row(void *user, const store_case_t *c)
{
	(*(uint64_t *)user) += c->domain[0] != '\0';
	return TS_OK;
}

static int query(const char *db, int64_t now)
{
	store_t *st = NULL;
	char err[256];
	if (store_open(&st, db, false, 5000, err, sizeof(err)) != TS_OK) {
		fprintf(stderr, "desk_bench: %s: %s\n", db, err);
		return 1;
	}
	store_case_filter_t f = { .overdue = true, .now = now };
	double best_count = 1e9, best_list = 1e9;
	uint64_t n = 0, rows = 0;
	for (int i = 0; i < 5; i++) {
		double t0 = seconds();
		if (store_case_count(st, &f, &n) != TS_OK)
			return 1;
		double t1 = seconds();
		rows = 0;
		if (store_case_list(st, &f, count_row, &rows) != TS_OK)
			return 1;
		double t2 = seconds();
		if (t1 - t0 < best_count)
			best_count = t1 - t0;
		if (t2 - t1 < best_list)
			best_list = t2 - t1;
	}
	printf("desk_bench: overdue count %" PRIu64 " in %.2f ms; overdue listing (sorted, every row read) %" PRIu64
	       " rows in %.2f ms (best of 5, in process)\n", n, best_count * 1e3, rows, best_list * 1e3);
	store_close(&st);
	return 0;
}

int main(int argc, char **argv)
{
	int64_t now;
	uint64_t n, pm;
	if (argc == 6 && strcmp(argv[1], "build") == 0 && ts_parse_uint_arg(argv[3], 100000000, &n) == TS_OK &&
	    ts_parse_uint_arg(argv[4], 1000, &pm) == TS_OK && ts_time_parse(argv[5], strlen(argv[5]), &now) == TS_OK)
		return build(argv[2], n, pm, now);
	if (argc == 4 && strcmp(argv[1], "query") == 0 && ts_time_parse(argv[3], strlen(argv[3]), &now) == TS_OK)
		return query(argv[2], now);
	fprintf(stderr, "usage: desk_bench build DB N OPEN_PER_MILLE NOW | desk_bench query DB NOW\n");
	return 2;
}
