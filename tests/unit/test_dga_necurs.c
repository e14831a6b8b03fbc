/* test_dga_necurs.c — necurs' drivers (the AVX-512 one where the processor
 * has it, and the portable one, forced with TLDSEC_DGA_SIMD=portable) against
 * a plain transcription of the algorithm (docs: domain.md §4): every name of
 * many dates, magic numbers and counts, multi-period ranges, and stopping. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "base/clock.h"
#include "base/err.h"
#include "dga/dga.h"

static const char *const ref_tlds[43] = {
	"tj", "in", "jp", "tw", "ac", "cm", "la", "mn", "so", "sh", "sc", "nu", "nf", "mu",
	"ms", "mx", "ki", "im", "cx", "cc", "tv", "bz", "me", "eu", "de", "ru", "co", "su",
	"pw", "kz", "sx", "us", "ug", "ir", "to", "ga", "com", "net", "org", "biz", "xxx",
	"pro", "bit",
};

/* One call of the mixing function, one round at a time. */
static uint64_t ref_mix(uint64_t v)
{
	uint64_t rounds = (v & 0x7f) + 21;
	for (uint64_t i = 0; i < rounds; i++)
		v += ((v * 7) ^ (v << 15)) + 8 * i - (v >> 5);
	return v;
}

static uint64_t ref_date(int64_t day)
{
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(day, &y, &m, &d);
	return ref_mix(ref_mix(ref_mix((uint64_t)y) + m + 43690) + (d >> 2));
}

/* Name number s of the period whose date value is `date`. */
static void ref_name(uint64_t date, uint32_t magic, uint32_t s, char out[32])
{
	uint64_t n = ref_mix(ref_mix(date + s) + magic);
	unsigned len = (unsigned)(n % 15 + 7), i;
	for (i = 0; i < len; i++) {
		n = ref_mix(n + i);
		out[i] = (char)('a' + n % 25);
		n = ref_mix(n + 0xABBEDF);
	}
	snprintf(out + len, 32 - len, ".%s", ref_tlds[n % 43]);
}

/* Checks each emitted name against the reference, in order. */
typedef struct check {
	uint32_t magic;
	int64_t day;        /* the period being checked; -1 before the first name */
	uint64_t date;
	uint32_t index;     /* names seen in the period */
	uint64_t total;
	uint64_t stop_at;   /* non-zero: return TS_ECHECK at this name */
	unsigned periods;
	int bad;
} check_t;

static int check_name(void *user, const char *name, size_t len, int64_t day)
{
	check_t *c = user;
	char want[32];
	if (day != c->day) {
		c->day = day;
		c->date = ref_date(day);
		c->index = 0;
		c->periods++;
	}
	ref_name(c->date, c->magic, c->index, want);
	if (strlen(name) != len || strcmp(name, want) != 0) {
		if (c->bad++ == 0)
			print_error("day %lld name %u: got '%s', want '%s'\n", (long long)day,
			            c->index, name, want);
	}
	c->index++;
	c->total++;
	return c->stop_at != 0 && c->total == c->stop_at ? TS_ECHECK : 0;
}

static void check_init(check_t *c, uint32_t magic)
{
	memset(c, 0, sizeof(*c));
	c->magic = magic;
	c->day = -1;
}

/* The checks below, once with the processor's best driver and once with
 * the portable one. */
static const char *const drivers[2] = { NULL, "portable" };

static void use_driver(const char *name)
{
	if (name == NULL)
		assert_int_equal(unsetenv("TLDSEC_DGA_SIMD"), 0);
	else
		assert_int_equal(setenv("TLDSEC_DGA_SIMD", name, 1), 0);
}

/* Runs one period (or range) and checks every name against the reference. */
static void run_case(int64_t day, uint32_t days, const char *seed, uint32_t magic, uint32_t count)
{
	const dga_family_t *f = dga_find("necurs");
	dga_params_t p;
	check_t c;
	assert_non_null(f);
	assert_int_equal(dga_params_init(f, seed, NULL, count, &p), TS_OK);
	check_init(&c, magic);
	assert_int_equal(dga_generate(f, &p, day, days, check_name, &c), TS_OK);
	assert_int_equal(c.bad, 0);
	assert_int_equal(c.index, p.count);
	assert_true(c.periods >= 1);
}

/* Full default lists (2,048 names) of dates across the supported range. */
static void test_dates(void **state)
{
	(void)state;
	static const int dates[][3] = {
		{ 1970, 1, 1 }, { 2016, 1, 1 }, { 2016, 1, 4 }, { 2017, 5, 9 }, { 2020, 2, 29 },
		{ 9999, 12, 31 },
	};
	for (size_t d = 0; d < 2; d++) {
		use_driver(drivers[d]);
		for (size_t i = 0; i < sizeof(dates) / sizeof(dates[0]); i++)
			run_case(ts_days_from_civil(dates[i][0], (unsigned)dates[i][1],
			                            (unsigned)dates[i][2]), 1, NULL, 9, 0);
	}
	use_driver(NULL);
}

/* Other magic numbers, the extremes included. */
static void test_seeds(void **state)
{
	(void)state;
	static const struct { const char *text; uint32_t value; } seeds[] = {
		{ "0", 0 }, { "1", 1 }, { "123456789", 123456789 }, { "4294967295", 4294967295u },
	};
	int64_t day = ts_days_from_civil(2018, 7, 14);
	for (size_t d = 0; d < 2; d++) {
		use_driver(drivers[d]);
		for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
			run_case(day, 1, seeds[i].text, seeds[i].value, 0);
	}
	use_driver(NULL);
}

/* Counts around the drivers' lane and ring sizes (8, 32, 64, 128), one far
 * past the default, and ranges of several periods. */
static void test_counts_and_ranges(void **state)
{
	(void)state;
	static const uint32_t counts[] = { 1, 2, 7, 8, 9, 31, 32, 33, 63, 64, 65, 127, 128, 129,
	                                   300, 5000 };
	int64_t day = ts_days_from_civil(2021, 11, 30);
	for (size_t d = 0; d < 2; d++) {
		use_driver(drivers[d]);
		for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
			run_case(day, 1, "77", 77, counts[i]);
		/* 2021-11-30 .. 2022-01-08: 12 periods of 40 names */
		run_case(day, 40, NULL, 9, 40);
	}
	use_driver(NULL);
}

/* A refusal from the callback stops at once, whatever the driver and
 * however many names are in flight. */
static void test_stop(void **state)
{
	(void)state;
	static const uint64_t stops[] = { 1, 2, 33, 129, 2048, 2049 };
	const dga_family_t *f = dga_find("necurs");
	dga_params_t p;
	check_t c;
	assert_int_equal(dga_params_init(f, NULL, NULL, 0, &p), TS_OK);
	for (size_t d = 0; d < 2; d++) {
		use_driver(drivers[d]);
		for (size_t i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
			check_init(&c, 9);
			c.stop_at = stops[i];
			assert_int_equal(dga_generate(f, &p, ts_days_from_civil(2016, 1, 1), 8,
			                              check_name, &c), TS_ECHECK);
			assert_int_equal(c.total, stops[i]);
			assert_int_equal(c.bad, 0);
		}
	}
	use_driver(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_seeds),
		cmocka_unit_test(test_counts_and_ranges),
		cmocka_unit_test(test_stop),
	};
	return cmocka_run_group_tests_name("dga_necurs", tests, NULL, NULL);
}
