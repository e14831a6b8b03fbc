/* test_base.c — errors, clock, numbers, buffers, arena, input, lines, CSV. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "unit.h"
#include "gzbytes.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/err.h"
#include "base/input.h"
#include "base/num.h"
#include "base/progress.h"

static void test_every_error_has_a_message(void **state)
{
	(void)state;
	for (int e = TS_ENOMEM; e < TS_ERR_LAST_; e++) {
		assert_string_not_equal(ts_strerror(e), "unknown error");
		assert_true(ts_exit_code(e) >= 1 && ts_exit_code(e) <= 4);
	}
	assert_int_equal(ts_exit_code(TS_OK), 0);
	assert_int_equal(ts_exit_code(TS_EINPUT), 1);
	assert_int_equal(ts_exit_code(TS_EUSAGE), 2);
	assert_int_equal(ts_exit_code(TS_ECHECK), 3);
	assert_int_equal(ts_exit_code(TS_EIO), 4);
}

static void test_clock_roundtrip(void **state)
{
	(void)state;
	int64_t t;
	char buf[TS_TIME_TEXT];
	assert_int_equal(ts_time_parse("1970-01-01T00:00:00Z", 20, &t), TS_OK);
	assert_int_equal(t, 0);
	assert_int_equal(ts_time_parse("2026-01-02T00:00:00Z", 20, &t), TS_OK);
	assert_int_equal(t, 1767312000);
	ts_time_format(t, buf);
	assert_string_equal(buf, "2026-01-02T00:00:00Z");
	assert_int_equal(ts_time_parse("2024-02-29", 10, &t), TS_OK);
	ts_time_format(t, buf);
	assert_string_equal(buf, "2024-02-29T00:00:00Z");
	assert_int_equal(ts_time_parse("2026-11-21T10:00:00+02:00", 25, &t), TS_OK);
	ts_time_format(t, buf);
	assert_string_equal(buf, "2026-11-21T08:00:00Z");
	assert_int_equal(ts_time_parse("2026-11-13 10:43:00", 19, &t), TS_OK);
	assert_int_equal(ts_time_parse("2026-11-13T10:43:00.123Z", 24, &t), TS_OK);
	/* every day of a 400-year era formats back to itself */
	for (int64_t d = -800; d < 146097 + 800; d += 7) {
		int64_t y; unsigned m, dd;
		ts_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(ts_days_from_civil(y, m, dd), d);
	}
}

static void test_clock_rejects(void **state)
{
	(void)state;
	int64_t t;
	const char *bad[] = { "", "2026", "2026-13-01", "2025-02-29", "2026-01-32",
	                      "2026-01-01T25:00:00Z", "2026-01-01T10:00:00Q", "2026/01/01",
	                      "2026-01-01T10", "2026-01-01T10:00:00Zjunk" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(ts_time_parse(bad[i], strlen(bad[i]), &t), TS_EINPUT);
}

static void test_now_env(void **state)
{
	(void)state;
	int64_t t;
	setenv("TLDSEC_NOW", "2026-01-02T03:04:05Z", 1);
	assert_int_equal(ts_now(&t), TS_OK);
	assert_int_equal(t, 1767312000 + 3 * 3600 + 4 * 60 + 5);
	setenv("TLDSEC_NOW", "yesterday", 1);
	assert_int_equal(ts_now(&t), TS_EINPUT);
	unsetenv("TLDSEC_NOW");
	assert_int_equal(ts_now(&t), TS_OK);
	assert_true(t > 1767312000);
}

static void test_numbers(void **state)
{
	(void)state;
	uint64_t u;
	int64_t i;
	double d;
	assert_int_equal(ts_parse_u64("18446744073709551615", 20, UINT64_MAX, &u), TS_OK);
	assert_true(u == UINT64_MAX);
	assert_int_equal(ts_parse_u64("18446744073709551616", 20, UINT64_MAX, &u), TS_EINPUT);
	assert_int_equal(ts_parse_u64("256", 3, 255, &u), TS_EINPUT);
	assert_int_equal(ts_parse_u64("255", 3, 255, &u), TS_OK);
	assert_int_equal(ts_parse_u64("2", 1, 1, &u), TS_EINPUT);
	assert_int_equal(ts_parse_u64("9", 1, 0, &u), TS_EINPUT);
	assert_int_equal(ts_parse_u64("0", 1, 0, &u), TS_OK);
	assert_int_equal(ts_parse_u64("", 0, 255, &u), TS_EINPUT);
	assert_int_equal(ts_parse_u64("1a", 2, 255, &u), TS_EINPUT);
	assert_int_equal(ts_parse_i64("-9223372036854775808", 20, INT64_MIN, INT64_MAX, &i), TS_OK);
	assert_true(i == INT64_MIN);
	assert_int_equal(ts_parse_i64("-5", 2, 0, 10, &i), TS_EINPUT);
	assert_int_equal(ts_parse_i64("-5", 2, -5, 10, &i), TS_OK);
	assert_int_equal(i, -5);
	assert_int_equal(ts_parse_double("0.25", 4, &d), TS_OK);
	assert_true(d == 0.25);
	assert_int_equal(ts_parse_double("1e999", 5, &d), TS_EINPUT);
	assert_int_equal(ts_parse_double("nan", 3, &d), TS_EINPUT);
	assert_int_equal(ts_parse_double("1.5x", 4, &d), TS_EINPUT);
}

static void test_dbuf_cap_and_json(void **state)
{
	(void)state;
	dbuf_t b;
	dbuf_init(&b, 8);
	assert_int_equal(dbuf_adds(&b, "12345678"), TS_OK);
	assert_int_equal(dbuf_addc(&b, 'x'), TS_ELIMIT);
	assert_string_equal(dbuf_str(&b), "12345678");
	dbuf_reset(&b);
	assert_int_equal(dbuf_addf(&b, "%d-%s", 42, "ab"), TS_OK);
	assert_string_equal(dbuf_str(&b), "42-ab");
	assert_int_equal(dbuf_addf(&b, "%s", "toolong"), TS_ELIMIT);
	assert_string_equal(dbuf_str(&b), "42-ab");
	dbuf_free(&b);
	dbuf_init(&b, 1024);
	const char in[] = "a\"b\\c\n\x01\xc3\xa9\xff";
	assert_int_equal(dbuf_add_json_str(&b, in, sizeof(in) - 1), TS_OK);
	assert_string_equal(dbuf_str(&b), "a\\\"b\\\\c\\n\\u0001\xc3\xa9\\ufffd");
	dbuf_free(&b);
}

static void test_arena(void **state)
{
	(void)state;
	arena_t *a = arena_new(256);
	assert_non_null(a);
	char *s = arena_strdup(a, "hello");
	assert_string_equal(s, "hello");
	void *big = arena_alloc(a, 100000);
	assert_non_null(big);
	memset(big, 1, 100000);
	for (int i = 0; i < 1000; i++)
		assert_non_null(arena_alloc(a, 17));
	assert_true(arena_used(a) > 100000);
	arena_reset(a);
	assert_int_equal(arena_used(a), 0);
	arena_free(&a);
	assert_null(a);
	arena_free(&a);
}

static void test_alloc_fail_at(void **state)
{
	(void)state;
	ts_alloc_fail_at(0);
	void *p = ts_malloc(10);
	assert_non_null(p);
	ts_free(p);
	ts_alloc_fail_at(2);
	void *first = ts_malloc(10);
	assert_non_null(first);
	assert_null(ts_malloc(10));
	assert_int_equal(ts_alloc_fail_at(0), 2);
	ts_free(first);
}

static void read_all(ts_input_t *in, dbuf_t *b)
{
	char buf[7];
	for (;;) {
		size_t got;
		assert_int_equal(ts_input_read(in, buf, sizeof(buf), &got), TS_OK);
		if (got == 0)
			break;
		assert_int_equal(dbuf_add(b, buf, got), TS_OK);
	}
}

static void test_input_gzip_multi_member(void **state)
{
	(void)state;
	const char *a = "first member\n", *b2 = "second member\n";
	size_t la, lb;
	char *ga = gzip_bytes(a, strlen(a), &la);
	char *gb = gzip_bytes(b2, strlen(b2), &lb);
	char *both = malloc(la + lb);
	memcpy(both, ga, la);
	memcpy(both + la, gb, lb);
	ts_input_t *in;
	assert_int_equal(ts_input_open_mem(&in, "x.gz", both, la + lb), TS_OK);
	assert_true(ts_input_is_gzip(in));
	dbuf_t out;
	dbuf_init(&out, 1024);
	read_all(in, &out);
	assert_string_equal(dbuf_str(&out), "first member\nsecond member\n");
	ts_input_close(&in);
	/* truncated */
	assert_int_equal(ts_input_open_mem(&in, "t.gz", ga, la - 5), TS_OK);
	size_t got;
	char buf[64];
	int ret;
	do
		ret = ts_input_read(in, buf, sizeof(buf), &got);
	while (ret == TS_OK && got > 0);
	assert_int_equal(ret, TS_EINPUT);
	ts_input_close(&in);
	dbuf_free(&out);
	free(ga);
	free(gb);
	free(both);
}

static void test_input_missing_file(void **state)
{
	(void)state;
	ts_input_t *in = NULL;
	assert_int_equal(ts_input_open(&in, "/nonexistent/zone.db"), TS_EINPUT);
	assert_null(in);
	assert_int_equal(ts_input_open(&in, "/"), TS_EINPUT);
}

static void test_lines(void **state)
{
	(void)state;
	const char text[] = "one\r\ntwo\n\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nlast";
	ts_input_t *in;
	ts_lines_t *lr;
	assert_int_equal(ts_input_open_mem(&in, "m", text, sizeof(text) - 1), TS_OK);
	assert_int_equal(ts_lines_open(&lr, in, 16), TS_OK);
	const char *l;
	size_t n;
	unsigned long no;
	bool eof;
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(l, "one", 3);
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_OK);
	assert_memory_equal(l, "two", 3);
	assert_int_equal(no, 2);
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_OK);
	assert_int_equal(n, 0);
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_ELIMIT);
	assert_int_equal(no, 4);
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_OK);
	assert_memory_equal(l, "last", 4);
	assert_int_equal(no, 5);
	assert_int_equal(ts_lines_next(lr, &l, &n, &no, &eof), TS_OK);
	assert_true(eof);
	ts_lines_close(&lr);
	ts_input_close(&in);
}

static void test_csv(void **state)
{
	(void)state;
	const char text[] = "# comment\n"
	                    "id,url,tags\n"
	                    "\"1\",\"http://a.example/x,y\",\"Mozi,elf\"\n"
	                    "2,\"say \"\"hi\"\"\",\"multi\nline\"\n"
	                    "3,\"broken\"x,z\n"
	                    "4,,\n"
	                    "5,\"never closed\n";
	ts_input_t *in;
	csv_reader_t *r;
	csv_record_t rec;
	bool eof;
	unsigned long line, col;
	assert_int_equal(ts_input_open_mem(&in, "t.csv", text, sizeof(text) - 1), TS_OK);
	assert_int_equal(csv_open(&r, in, '#'), TS_OK);
	assert_int_equal(csv_next(r, &rec, &eof), TS_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(csv_header_index(&rec, "tags"), 2);
	assert_int_equal(csv_header_index(&rec, "nope"), -1);
	assert_int_equal(csv_next(r, &rec, &eof), TS_OK);
	assert_int_equal(rec.n, 3);
	assert_string_equal(rec.f[1].p, "http://a.example/x,y");
	assert_string_equal(rec.f[2].p, "Mozi,elf");
	assert_int_equal(rec.line, 3);
	assert_int_equal(csv_next(r, &rec, &eof), TS_OK);
	assert_string_equal(rec.f[1].p, "say \"hi\"");
	assert_string_equal(rec.f[2].p, "multi\nline");
	assert_int_equal(rec.f[2].col, 16);
	assert_int_equal(csv_next(r, &rec, &eof), TS_ESYNTAX);
	csv_error(r, &line, &col);
	assert_int_equal(line, 6);
	assert_int_equal(col, 11);
	assert_int_equal(csv_next(r, &rec, &eof), TS_OK);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.f[2].len, 0);
	assert_int_equal(csv_next(r, &rec, &eof), TS_ESYNTAX);
	csv_error(r, &line, &col);
	assert_int_equal(line, 8);
	assert_int_equal(col, 3);
	assert_int_equal(csv_next(r, &rec, &eof), TS_OK);
	assert_true(eof);
	csv_close(&r);
	ts_input_close(&in);
}

static void test_progress_format(void **state)
{
	(void)state;
	char line[160];
	ts_progress_format(line, sizeof(line), "scan", 50000000, 100000000, 2.0);
	assert_string_equal(line, "scan [===============>              ]  50%  50.0/100.0 MB  25.0 MB/s");
	ts_progress_format(line, sizeof(line), "scan", 3000000, 0, 1.0);
	assert_string_equal(line, "scan 3.0 MB  3.0 MB/s");
	ts_progress_t p;
	ts_progress_init(&p, "x", 10, false);
	assert_false(p.on);
	ts_progress_update(&p, 5);
	ts_progress_done(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_error_has_a_message),
		cmocka_unit_test(test_clock_roundtrip),
		cmocka_unit_test(test_clock_rejects),
		cmocka_unit_test(test_now_env),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_dbuf_cap_and_json),
		cmocka_unit_test(test_arena),
		cmocka_unit_test(test_alloc_fail_at),
		cmocka_unit_test(test_input_gzip_multi_member),
		cmocka_unit_test(test_input_missing_file),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_progress_format),
	};
	return cmocka_run_group_tests_name("base", tests, NULL, NULL);
}
