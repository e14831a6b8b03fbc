/* test_report.c — the report body parser: what it accepts, every kind of
 * rejection with its JSON path, the name reduction, and every
 * out-of-memory point. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "desk/policy.h"
#include "desk/report.h"

static policy_t pol;

static int setup(void **state)
{
	(void)state;
	policy_err_t e;
	return policy_load_string(&pol, "[registry]\ntlds = example, test\nsecond_levels = co.example\n", &e);
}

static int parse(const char *json, report_t *r, report_err_t *e, arena_t *a)
{
	return report_parse(&pol, json, strlen(json), a, r, e);
}

static void test_accepts_full_report(void **state)
{
	(void)state;
	arena_t *a = arena_new(4096);
	report_t r;
	report_err_t e;
	const char *j = "{\"domains\":[\"WWW.Bad.Example.\",\"bad.example\",\"shop.co.example\",\"b\xc3\xbc" "cher.test\"],"
	                "\"urls\":[\"https://user@login.bad.example:8443/x?y\",\"hxxp://evil[.]test/p\"],"
	                "\"threat\":\"phishing\",\"flags\":[\"threat_to_life\",\"child_exploitation\"],"
	                "\"description\":\"d\",\"evidence\":[{\"kind\":\"url\",\"value\":\"http://x\",\"sha256\":"
	                "\"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\"}],"
	                "\"requested_action\":\"suspend\",\"court_order\":{\"reference\":\"R1\",\"court\":\"C\"},"
	                "\"confidential\":true,\"reporter\":{\"name\":\"N\",\"email\":\"n@x.org\"}}";
	assert_int_equal(parse(j, &r, &e, a), TS_OK);
	assert_int_equal(r.n_given, 6);
	assert_int_equal(r.n_names, 4);
	assert_string_equal(r.names[0].registered, "bad.example");
	assert_string_equal(r.names[0].path, "$.domains[0]");
	assert_string_equal(r.names[1].registered, "shop.co.example");
	assert_string_equal(r.names[2].registered, "xn--bcher-kva.test");
	assert_string_equal(r.names[3].registered, "evil.test");
	assert_string_equal(r.threat, "phishing");
	assert_int_equal(r.flags, REPORT_FLAG_THREAT_TO_LIFE | REPORT_FLAG_CHILD_EXPLOITATION);
	assert_int_equal(r.n_evidence, 1);
	assert_true(r.has_court_order && r.confidential && r.has_reporter);
	assert_string_equal(r.court_reference, "R1");
	assert_string_equal(r.reporter_email, "n@x.org");
	char flags[128];
	report_flags_text(r.flags, flags, sizeof(flags));
	assert_string_equal(flags, "threat_to_life,child_exploitation");
	arena_free(&a);
}

struct bad {
	const char *json;
	int code;
	const char *path;
	const char *msg;
};

static void test_rejections(void **state)
{
	(void)state;
	static const struct bad cases[] = {
		{ "{\"domains\":[\"a.example\"],", TS_ESYNTAX, "", "malformed JSON" },
		{ "[1]", TS_EINPUT, "$", "expected an object" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"colour\":1}", TS_EINPUT, "$.colour", "unknown field" },
		{ "{\"domains\":\"a.example\",\"threat\":\"spam\"}", TS_EINPUT, "$.domains", "expected an array" },
		{ "{\"domains\":[7],\"threat\":\"spam\"}", TS_EINPUT, "$.domains[0]", "expected a string, got an integer" },
		{ "{\"domains\":[\"a.example\"],\"threat\":3}", TS_EINPUT, "$.threat", "expected a string" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"ddos\"}", TS_EINPUT, "$.threat", "unknown threat" },
		{ "{\"domains\":[\"a.example\"]}", TS_EINPUT, "$.threat", "required" },
		{ "{\"threat\":\"spam\"}", TS_EINPUT, "$", "at least one name" },
		{ "{\"domains\":[],\"threat\":\"spam\"}", TS_EINPUT, "$.domains", "at least one name" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"flags\":[\"sad\"]}", TS_EINPUT, "$.flags[0]",
		  "unknown flag" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"evidence\":[{\"kind\":\"url\"}]}", TS_EINPUT,
		  "$.evidence[0]", "required" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"evidence\":[{\"kind\":\"url\",\"value\":\"v\","
		  "\"extra\":1}]}", TS_EINPUT, "$.evidence[0].extra", "unknown field" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"evidence\":[{\"kind\":\"url\",\"value\":\"v\","
		  "\"sha256\":\"xyz\"}]}", TS_EINPUT, "$.evidence[0].sha256", "64 hexadecimal" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"court_order\":{\"court\":\"c\"}}", TS_EINPUT,
		  "$.court_order.reference", "required" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"confidential\":\"yes\"}", TS_EINPUT,
		  "$.confidential", "expected a boolean" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"reporter\":{\"email\":\"nope\"}}", TS_EINPUT,
		  "$.reporter.email", "not an e-mail" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"reporter\":{\"phone\":\"1\"}}", TS_EINPUT,
		  "$.reporter.phone", "unknown field" },
		{ "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"requested_action\":\"nuke\"}", TS_EINPUT,
		  "$.requested_action", "unknown action" },
		{ "{\"domains\":[\"a.example\",\"b.com\",\"c.org\"],\"threat\":\"spam\"}", TS_EINPUT, "",
		  "2 names outside the registry's TLDs: $.domains[1] 'b.com'" },
		{ "{\"urls\":[\"http://x.net/\"],\"threat\":\"spam\"}", TS_EINPUT, "", "$.urls[0] 'http://x.net/'" },
		{ "{\"urls\":[\"http://192.0.2.1/\"],\"threat\":\"spam\"}", TS_EINPUT, "$.urls[0]", "IP address" },
		{ "{\"urls\":[\"http:///\"],\"threat\":\"spam\"}", TS_EINPUT, "$.urls[0]", "no usable host" },
		{ "{\"domains\":[\"example\"],\"threat\":\"spam\"}", TS_EINPUT, "", "is a TLD or second level" },
		{ "{\"domains\":[\"co.example\"],\"threat\":\"spam\"}", TS_EINPUT, "", "is a TLD or second level" },
		{ "{\"domains\":[\"bad name.example\"],\"threat\":\"spam\"}", TS_EINPUT, "$.domains[0]", "not allowed" },
		{ "{\"domains\":[\"a.example\"],\"domains\":[\"b.example\"],\"threat\":\"spam\"}", TS_ESYNTAX, "",
		  "duplicate" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		arena_t *a = arena_new(4096);
		report_t r;
		report_err_t e;
		int ret = parse(cases[i].json, &r, &e, a);
		if (ret != cases[i].code || strcmp(e.path, cases[i].path) != 0 || strstr(e.msg, cases[i].msg) == NULL)
			fail_msg("case %zu: %s -> %d path '%s' msg '%s'", i, cases[i].json, ret, e.path, e.msg);
		assert_int_equal(r.n_names, 0); /* nothing half-filled */
		arena_free(&a);
	}
}

static void test_syntax_position(void **state)
{
	(void)state;
	arena_t *a = arena_new(4096);
	report_t r;
	report_err_t e;
	assert_int_equal(parse("{\n  \"domains\": [\"a.example\"],\n  \"threat\": phishing\n}", &r, &e, a), TS_ESYNTAX);
	assert_int_equal(e.line, 3);
	assert_true(e.col >= 13);
	arena_free(&a);
}

static void test_name_limit(void **state)
{
	(void)state;
	dbuf_t b;
	dbuf_init(&b, 1 << 20);
	assert_int_equal(dbuf_adds(&b, "{\"threat\":\"spam\",\"domains\":["), TS_OK);
	for (int i = 0; i < 1001; i++)
		assert_int_equal(dbuf_addf(&b, "%s\"n%d.example\"", i > 0 ? "," : "", i), TS_OK);
	assert_int_equal(dbuf_adds(&b, "]}"), TS_OK);
	arena_t *a = arena_new(4096);
	report_t r;
	report_err_t e;
	assert_int_equal(parse(dbuf_str(&b), &r, &e, a), TS_EINPUT);
	assert_string_equal(e.path, "$.domains[1000]");
	assert_non_null(strstr(e.msg, "more than 1000 names"));
	/* exactly 1000 is fine: cut the last one */
	char *s = (char *)dbuf_str(&b);
	char *last = strstr(s, ",\"n1000.example\"");
	memmove(last, last + strlen(",\"n1000.example\""), strlen(last + strlen(",\"n1000.example\"")) + 1);
	arena_reset(a);
	assert_int_equal(parse(s, &r, &e, a), TS_OK);
	assert_int_equal(r.n_names, 1000);
	/* the policy can lower the cap, names and urls count together */
	policy_t small = pol;
	small.max_names_per_report = 2;
	arena_reset(a);
	const char *j = "{\"threat\":\"spam\",\"domains\":[\"a.example\",\"b.example\"],\"urls\":[\"http://c.example/\"]}";
	assert_int_equal(report_parse(&small, j, strlen(j), a, &r, &e), TS_EINPUT);
	assert_string_equal(e.path, "$.urls[0]");
	arena_free(&a);
	dbuf_free(&b);
}

static void test_oom(void **state)
{
	(void)state;
	const char *j = "{\"domains\":[\"a.example\",\"www.b.example\"],\"urls\":[\"http://c.example/x\"],"
	                "\"threat\":\"malware\",\"flags\":[\"threat_to_life\"],\"evidence\":[{\"kind\":\"text\","
	                "\"value\":\"v\"}],\"court_order\":{\"reference\":\"r\"},\"reporter\":{\"name\":\"n\"}}";
	arena_t *a = arena_new(4096);
	report_t r;
	report_err_t e;
	arena_free(&a);
	ts_alloc_fail_at(0);
	a = arena_new(4096);
	assert_int_equal(parse(j, &r, &e, a), TS_OK);
	arena_free(&a);
	unsigned long total = ts_alloc_fail_at(0);
	assert_true(total > 5);
	for (unsigned long n = 1; n <= total; n++) {
		ts_alloc_fail_at(n);
		a = arena_new(4096);
		int ret = a != NULL ? parse(j, &r, &e, a) : TS_ENOMEM;
		arena_free(&a);
		ts_alloc_fail_at(0);
		if (ret != TS_ENOMEM)
			fail_msg("allocation %lu: %d %s %s", n, ret, e.path, e.msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepts_full_report),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_syntax_position),
		cmocka_unit_test(test_name_limit),
		cmocka_unit_test(test_oom),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
