/* test_desk.c — policy (and its docs), names, priority and clocks, the case
 * state machine, actions and undo, messages, the audit chain, privacy, and
 * scan --record, on a real SQLite file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "desk/names.h"
#include "desk/policy.h"

static char dir[64];
static char path[128];
static policy_t pol;

static void rm_db(void)
{
	char p[160];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/tldsec-desk-XXXXXX");
	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	policy_defaults(&pol);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	rm_db();
	rmdir(dir);
	unsetenv("TLDSEC_NOW");
	return 0;
}

static void at(const char *iso)
{
	setenv("TLDSEC_NOW", iso, 1);
}

static int64_t t_of(const char *iso)
{
	int64_t t;
	assert_int_equal(ts_time_parse(iso, strlen(iso), &t), TS_OK);
	return t;
}

static desk_t *fresh(void)
{
	desk_t *d = NULL;
	desk_err_t err;
	rm_db();
	assert_int_equal(desk_open(&d, &pol, path, true, "test", &err), TS_OK);
	return d;
}

static int64_t reporter(desk_t *d, const char *tier, bool verified, const char *email)
{
	desk_reporter_in_t in = { .name = tier, .tier = tier, .verified = verified, .email = email };
	int64_t id;
	char token[DESK_TOKEN_TEXT];
	desk_err_t err;
	assert_int_equal(desk_reporter_add(d, &in, &id, token, &err), TS_OK);
	assert_int_equal(strncmp(token, "tsk_", 4), 0);
	assert_int_equal(strlen(token), 47);
	return id;
}

static int submit(desk_t *d, int64_t who, const char *json, desk_receipt_t *r, desk_err_t *err)
{
	return desk_report_submit(d, json, strlen(json), who, "cli", r, err);
}

/* ---- bearer tokens ---- */

static void test_token_auth(void **state)
{
	(void)state;
	desk_t *d = fresh();
	desk_reporter_in_t in = { .name = "n", .tier = "public", .role = "analyst" };
	int64_t id;
	char token[DESK_TOKEN_TEXT], wrong[DESK_TOKEN_TEXT];
	desk_err_t err;
	store_reporter_t who;
	arena_t *a = arena_new(1024);
	assert_non_null(a);
	at("2026-03-01T00:00:00Z");
	assert_int_equal(desk_reporter_add(d, &in, &id, token, &err), TS_OK);
	assert_int_equal(desk_reporter_auth(d, token, a, &who, &err), TS_OK);
	assert_int_equal(who.id, id);
	assert_string_equal(who.role, "analyst");
	assert_non_null(who.token_hash);
	assert_int_equal(strlen(who.token_hash), 64);
	/* the same shape, one character changed: refused, nothing of the row leaks */
	memcpy(wrong, token, sizeof(wrong));
	wrong[10] = wrong[10] == 'A' ? 'B' : 'A';
	memset(&err, 0, sizeof(err));
	assert_int_equal(desk_reporter_auth(d, wrong, a, &who, &err), TS_EDENIED);
	assert_int_equal(who.id, 0);
	assert_non_null(strstr(err.msg, "unknown or disabled token"));
	assert_int_equal(desk_reporter_auth(d, "", a, &who, &err), TS_EDENIED);
	/* a disabled reporter's right token is refused too */
	assert_int_equal(desk_reporter_disable(d, id, &err), TS_OK);
	assert_int_equal(desk_reporter_auth(d, token, a, &who, &err), TS_EDENIED);
	arena_free(&a);
	desk_close(&d);
}

/* ---- policy ---- */

static void test_policy(void **state)
{
	(void)state;
	policy_t p;
	policy_err_t e;
	policy_defaults(&p);
	assert_string_equal(p.registry_name, "Example Registry");
	assert_int_equal(p.tlds.n, 1);
	assert_string_equal(p.tlds.v[0], "example");
	assert_int_equal(p.ack_hours, 24);
	assert_int_equal(p.response_hours_high, 24);
	assert_int_equal(p.response_hours_standard, 72);
	assert_int_equal(p.response_hours_low, 168);
	assert_true(policy_needs_court_order(&p, "lock") && policy_needs_court_order(&p, "register"));
	assert_false(policy_needs_court_order(&p, "suspend"));
	assert_false(p.allow_anonymous);
	assert_int_equal(p.max_names_per_report, 1000);
	assert_int_equal(policy_load_string(&p, "[registry]\ntlds = Example, TEST. ; two\n[clocks]\nack_hours=12\n"
	                                    "[intake]\nallow_anonymous = yes\n[actions]\ncourt_order_required =\n", &e),
	                 TS_OK);
	assert_int_equal(p.tlds.n, 2);
	assert_string_equal(p.tlds.v[1], "test");
	assert_int_equal(p.ack_hours, 12);
	assert_true(p.allow_anonymous);
	assert_int_equal(p.court_order_required.n, 0);
	assert_int_equal(policy_load_string(&p, "[clocks]\nack_hours = 0\n", &e), TS_EINPUT);
	assert_int_equal(e.line, 2);
	assert_non_null(strstr(e.msg, "from 1 to 8760"));
	assert_int_equal(policy_load_string(&p, "[clocks]\n\nack_hourz = 3\n", &e), TS_EINPUT);
	assert_int_equal(e.line, 3);
	assert_non_null(strstr(e.msg, "unknown key 'ack_hourz'"));
	assert_int_equal(policy_load_string(&p, "[nope]\nx = 1\n", &e), TS_EINPUT);
	assert_non_null(strstr(e.msg, "unknown section"));
	assert_int_equal(policy_load_string(&p, "[actions]\ncourt_order_required = lock, nuke\n", &e), TS_EINPUT);
	assert_non_null(strstr(e.msg, "'nuke' is not an action"));
	assert_int_equal(policy_load_string(&p, "[registry]\ntlds =\n", &e), TS_EINPUT);
	assert_int_equal(policy_load_string(&p, "[intake]\nallow_anonymous = perhaps\n", &e), TS_EINPUT);
	assert_int_equal(policy_load_string(&p, "[registry]\ntlds = bad tld\n", &e), TS_EINPUT);
	assert_int_equal(policy_load_string(&p, "just text\n", &e), TS_EINPUT);
	assert_int_equal(e.line, 1);
	assert_int_equal(policy_load(&p, "/nonexistent/tldsec.conf", &e), TS_EINPUT);
}

static char *slurp(const char *name)
{
	FILE *f = fopen(name, "rb");
	if (f == NULL)
		return NULL;
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* The man page and the example file against the options table. */
static void test_policy_docs(void **state)
{
	(void)state;
	size_t n;
	const policy_option_t *o = policy_options(&n);
	char *man = slurp("docs/tldsec.conf.5");
	assert_non_null(man);
	char *manc = strdup(man);
	for (size_t i = 0; i < n; i++) {
		char want[128], sect[64], def[160];
		snprintf(sect, sizeof(sect), ".SS \"[%s]\"", o[i].section);
		snprintf(want, sizeof(want), ".TP\n.B %s\n", o[i].name);
		char *s = strstr(manc, sect), *k = strstr(manc, want);
		if (s == NULL || k == NULL || k < s)
			fail_msg("docs/tldsec.conf.5 lacks option %s in section [%s]", o[i].name, o[i].section);
		char *next = strstr(k + 1, ".TP");
		char *nexts = strstr(k + 1, ".SS");
		if (next == NULL || (nexts != NULL && nexts < next))
			next = nexts;
		if (o[i].def[0] != '\0')
			snprintf(def, sizeof(def), "Default: \\fB%s\\fR", o[i].def);
		else
			snprintf(def, sizeof(def), "Default: none");
		char save = next != NULL ? *next : '\0';
		if (next != NULL)
			*next = '\0';
		/* the man text may break the line anywhere: compare without newlines */
		char flat[2048];
		size_t j = 0;
		for (char *p = k; *p != '\0' && j + 1 < sizeof(flat); p++)
			flat[j++] = *p == '\n' ? ' ' : *p;
		flat[j] = '\0';
		if (strstr(flat, def) == NULL)
			fail_msg("docs/tldsec.conf.5: option %s does not say '%s'", o[i].name, def);
		if (o[i].type == POLICY_UINT) {
			char bounds[64];
			snprintf(bounds, sizeof(bounds), "(%llu to %llu)", (unsigned long long)o[i].min,
			         (unsigned long long)o[i].max);
			if (strstr(flat, bounds) == NULL)
				fail_msg("docs/tldsec.conf.5: option %s does not give its bounds %s", o[i].name, bounds);
		}
		if (next != NULL)
			*next = save;
	}
	free(manc);
	/* every .B option in the OPTIONS section is in the table */
	char *opts = strstr(man, ".SH OPTIONS"), *end = strstr(man, ".SH EXAMPLE");
	assert_non_null(opts);
	for (char *p = strstr(opts, ".TP\n.B "); p != NULL && p < end; p = strstr(p + 1, ".TP\n.B ")) {
		char name[64];
		size_t k = 0;
		for (char *q = p + 7; *q != '\n' && k + 1 < sizeof(name); q++)
			name[k++] = *q;
		name[k] = '\0';
		bool found = false;
		for (size_t i = 0; i < n; i++)
			found |= strcmp(o[i].name, name) == 0;
		if (!found)
			fail_msg("docs/tldsec.conf.5 documents '%s', which the program does not know", name);
	}
	/* the example: every option at its default, and it loads to the defaults */
	char *ex = slurp("tldsec.conf.example");
	assert_non_null(ex);
	for (size_t i = 0; i < n; i++) {
		char line[256];
		snprintf(line, sizeof(line), "\n%s = %s\n", o[i].name, o[i].def);
		if (o[i].def[0] == '\0')
			snprintf(line, sizeof(line), "\n%s =\n", o[i].name);
		if (strstr(ex, line) == NULL)
			fail_msg("tldsec.conf.example lacks '%s = %s'", o[i].name, o[i].def);
	}
	policy_t a, b;
	policy_err_t e;
	policy_defaults(&a);
	assert_int_equal(policy_load(&b, "tldsec.conf.example", &e), TS_OK);
	assert_memory_equal(&a, &b, sizeof(a));
	/* --help text: every option */
	dbuf_t h;
	dbuf_init(&h, 1 << 16);
	assert_int_equal(policy_help(&h), TS_OK);
	for (size_t i = 0; i < n; i++)
		assert_non_null(strstr(dbuf_str(&h), o[i].name));
	dbuf_free(&h);
}

/* ---- names ---- */

static void test_names(void **state)
{
	(void)state;
	policy_t p;
	policy_err_t e;
	char out[256], why[160];
	size_t len;
	assert_int_equal(policy_load_string(&p, "[registry]\ntlds = example, org\nsecond_levels = co.example, gov.org\n", &e),
	                 TS_OK);
	assert_int_equal(names_normalize("WWW.A.Example.", strlen("WWW.A.Example."), out, sizeof(out), &len, why, sizeof(why)), TS_OK);
	assert_string_equal(out, "www.a.example");
	assert_int_equal(names_normalize("m\xc3\xbcnchen.example", strlen("m\xc3\xbcnchen.example"), out, sizeof(out), &len, why, sizeof(why)), TS_OK);
	assert_string_equal(out, "xn--mnchen-3ya.example");
	assert_int_equal(names_normalize("a..example", strlen("a..example"), out, sizeof(out), &len, why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_normalize("-a.example", strlen("-a.example"), out, sizeof(out), &len, why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_normalize("", strlen(""), out, sizeof(out), &len, why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_registered(&p, "a.b.c.example", out, sizeof(out), why, sizeof(why)), TS_OK);
	assert_string_equal(out, "c.example");
	assert_int_equal(names_registered(&p, "www.shop.co.example", out, sizeof(out), why, sizeof(why)), TS_OK);
	assert_string_equal(out, "shop.co.example");
	/* a registry-operated second level is not itself a registered domain */
	assert_int_equal(names_registered(&p, "co.example", out, sizeof(out), why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_registered(&p, "x.gov.org", out, sizeof(out), why, sizeof(why)), TS_OK);
	assert_string_equal(out, "x.gov.org");
	assert_int_equal(names_registered(&p, "example", out, sizeof(out), why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_registered(&p, "a.com", out, sizeof(out), why, sizeof(why)), TS_EINPUT);
	assert_int_equal(names_registered(&p, "aexample", out, sizeof(out), why, sizeof(why)), TS_EINPUT);
}

/* ---- priority and clocks ---- */

static void test_priority(void **state)
{
	(void)state;
	bool u;
	assert_string_equal(clock_priority("law_enforcement", true, 1, &u), "high");
	assert_false(u);
	assert_string_equal(clock_priority("government", true, 4, &u), "high");
	assert_string_equal(clock_priority("trusted_third_party", true, 8, &u), "high");
	assert_string_equal(clock_priority("law_enforcement", false, 1, &u), "standard");
	assert_true(u);
	assert_string_equal(clock_priority("public", false, 1, &u), "standard");
	assert_true(u);
	assert_string_equal(clock_priority("public", true, 1, &u), "standard");
	assert_true(u);
	assert_string_equal(clock_priority("public", true, 0, &u), "standard");
	assert_false(u);
	assert_string_equal(clock_priority("law_enforcement", true, 0, &u), "standard");
	assert_string_equal(clock_priority("public", false, 0, &u), "low");
	assert_false(u);
	assert_string_equal(clock_priority("anonymous", false, 0, &u), "low");
	store_case_t c = { .state = "new", .priority = "high", .received_at = 1000 };
	clock_update(&pol, &c);
	assert_int_equal(c.ack_due, 1000 + 24 * 3600);
	assert_int_equal(c.response_due, 1000 + 48 * 3600);
	assert_int_equal(c.next_due, c.ack_due);
	c.state = "acknowledged";
	c.acked_at = 5000;
	clock_update(&pol, &c);
	assert_int_equal(c.response_due, 5000 + 24 * 3600);
	assert_int_equal(c.next_due, c.response_due);
	int64_t due;
	assert_string_equal(desk_case_clock(&c, &due), "response");
	assert_false(desk_case_overdue(&c, c.response_due));
	assert_true(desk_case_overdue(&c, c.response_due + 1));
	c.state = "assessed";
	clock_update(&pol, &c);
	assert_int_equal(c.next_due, 0);
	assert_null(desk_case_clock(&c, &due));
}

/* ---- the Done-when scenarios through the desk ---- */

static void test_intake_priority_and_merge(void **state)
{
	(void)state;
	at("2026-03-01T10:00:00Z");
	desk_t *d = fresh();
	desk_receipt_t r;
	desk_err_t err;
	int64_t le = reporter(d, "law_enforcement", true, "le@x.example");
	int64_t pub = reporter(d, "public", false, "p@x.org");
	const char *flagged = "{\"domains\":[\"a.example\"],\"threat\":\"phishing\",\"flags\":[\"threat_to_life\"]}";
	assert_int_equal(submit(d, le, flagged, &r, &err), TS_OK);
	assert_string_equal(r.priority, "high");
	assert_false(r.urgent_claim);
	assert_int_equal(r.ack_due, t_of("2026-03-02T10:00:00Z"));
	assert_int_equal(r.response_due, t_of("2026-03-03T10:00:00Z"));
	assert_int_equal(r.n_cases, 1);
	assert_int_equal(r.n_opened, 1);
	int64_t case1 = r.case_ids[0];
	/* the same report from the public: standard with an urgent claim, and the same case */
	assert_int_equal(submit(d, pub, flagged, &r, &err), TS_OK);
	assert_string_equal(r.priority, "standard");
	assert_true(r.urgent_claim);
	assert_int_equal(r.case_ids[0], case1);
	assert_int_equal(r.n_opened, 0);
	/* a plain public report: low */
	assert_int_equal(submit(d, pub, "{\"domains\":[\"b.example\"],\"threat\":\"spam\"}", &r, &err), TS_OK);
	assert_string_equal(r.priority, "low");
	assert_false(r.urgent_claim);
	/* another threat on the same domain is another case */
	assert_int_equal(submit(d, pub, "{\"urls\":[\"http://x.a.example/\"],\"threat\":\"malware\"}", &r, &err), TS_OK);
	assert_true(r.case_ids[0] != case1);
	/* anonymous refused by default; an unauthenticated report naming someone is public */
	assert_int_equal(submit(d, 0, "{\"domains\":[\"c.example\"],\"threat\":\"spam\"}", &r, &err), TS_EREFUSED);
	assert_string_equal(err.path, "$.reporter");
	assert_int_equal(submit(d, 0, "{\"domains\":[\"c.example\"],\"threat\":\"spam\",\"reporter\":{\"email\":"
	                        "\"z@x.org\"}}", &r, &err), TS_OK);
	assert_string_equal(r.priority, "low");
	assert_int_equal(submit(d, le, "{\"domains\":[\"c.example\"],\"threat\":\"spam\",\"reporter\":{}}", &r, &err),
	                 TS_EINPUT);
	assert_int_equal(submit(d, 99, "{\"domains\":[\"c.example\"],\"threat\":\"spam\"}", &r, &err), TS_EINPUT);
	assert_int_equal(desk_reporter_disable(d, pub, &err), TS_OK);
	assert_int_equal(submit(d, pub, "{\"domains\":[\"c.example\"],\"threat\":\"spam\"}", &r, &err), TS_EDENIED);

	/* both reporters of case 1 are answered */
	assert_int_equal(desk_case_ack(d, case1, "on it", &err), TS_OK);
	arena_t *a = arena_new(4096);
	desk_case_view_t v;
	assert_int_equal(desk_case_show(d, case1, a, &v, &err), TS_OK);
	assert_string_equal(v.c.priority, "high");
	assert_true(v.c.urgent_claim);
	assert_int_equal(v.n_reports, 2);
	assert_int_equal(v.n_msgs, 2);
	assert_string_equal(v.msgs[0].to_addr, "le@x.example");
	assert_string_equal(v.msgs[1].to_addr, "p@x.org");
	assert_non_null(strstr(v.msgs[0].body, "on it"));
	/* a third reporter joining later gets the acknowledgement at once */
	int64_t gov = reporter(d, "government", true, "cert@x.example");
	assert_int_equal(submit(d, gov, flagged, &r, &err), TS_OK);
	arena_reset(a);
	assert_int_equal(desk_case_show(d, case1, a, &v, &err), TS_OK);
	assert_int_equal(v.n_msgs, 3);
	assert_string_equal(v.msgs[2].to_addr, "cert@x.example");
	assert_string_equal(v.msgs[2].kind, "acknowledgement");
	/* what the government reporter sees of its report: the case and the answer to it */
	desk_report_view_t rv;
	arena_reset(a);
	assert_int_equal(desk_report_show(d, r.report_id, gov, a, &rv, &err), TS_OK);
	assert_int_equal(rv.n_cases, 1);
	assert_int_equal(rv.cases[0].id, case1);
	assert_string_equal(rv.cases[0].state, "acknowledged");
	assert_int_equal(rv.n_answers, 1);
	assert_string_equal(rv.answers[0].kind, "acknowledgement");
	assert_int_equal(desk_report_show(d, r.report_id, le, a, &rv, &err), TS_ENOTFOUND);
	assert_int_equal(desk_report_show(d, 9999, gov, a, &rv, &err), TS_ENOTFOUND);
	assert_int_equal(desk_report_show(d, r.report_id, 0, a, &rv, &err), TS_ENOTFOUND);
	arena_free(&a);
	desk_close(&d);
}

static void test_rejected_report_stores_nothing(void **state)
{
	(void)state;
	at("2026-03-01T10:00:00Z");
	desk_t *d = fresh();
	desk_receipt_t r;
	desk_err_t err;
	int64_t le = reporter(d, "law_enforcement", true, NULL);
	assert_int_equal(submit(d, le, "{\"domains\":[\"a.example\",\"b.com\"],\"threat\":\"spam\"}", &r, &err),
	                 TS_EINPUT);
	assert_non_null(strstr(err.msg, "$.domains[1] 'b.com'"));
	assert_true(err.bad_names);
	assert_int_equal(submit(d, le, "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"x\":1}", &r, &err), TS_EINPUT);
	assert_string_equal(err.path, "$.x");
	assert_false(err.bad_names);
	assert_int_equal(submit(d, le, "{\"domains\":[\"a.example\"", &r, &err), TS_ESYNTAX);
	assert_true(err.line == 1 && err.col > 0);
	store_case_filter_t f = { 0 };
	uint64_t n = 1;
	assert_int_equal(store_case_count(desk_store(d), &f, &n), TS_OK);
	assert_int_equal(n, 0);
	desk_close(&d);
}

static void test_state_machine_actions_undo(void **state)
{
	(void)state;
	at("2026-03-01T10:00:00Z");
	desk_t *d = fresh();
	desk_receipt_t r;
	desk_err_t err;
	int64_t le = reporter(d, "law_enforcement", true, "le@x.example");
	assert_int_equal(submit(d, le, "{\"domains\":[\"a.example\"],\"threat\":\"phishing\"}", &r, &err), TS_OK);
	int64_t c = r.case_ids[0], aid, aid2, cid;
	char undo[DESK_UNDO_TEXT];
	desk_action_in_t suspend = { .kind = "suspend" };
	/* illegal transitions, each with a message */
	assert_int_equal(desk_case_assess(d, c, "confirmed", "malicious", "registrant", NULL, &err), TS_ESTATE);
	assert_non_null(strstr(err.msg, "is new"));
	assert_int_equal(desk_case_act(d, c, &suspend, &aid, undo, &err), TS_ESTATE);
	assert_int_equal(desk_case_close(d, c, NULL, &err), TS_ESTATE);
	assert_int_equal(desk_case_reopen(d, c, NULL, &err), TS_ESTATE);
	assert_int_equal(desk_case_ack(d, 999, NULL, &err), TS_ENOTFOUND);
	assert_int_equal(desk_case_ack(d, c, NULL, &err), TS_OK);
	assert_int_equal(desk_case_ack(d, c, NULL, &err), TS_ESTATE);
	assert_int_equal(desk_case_assess(d, c, "maybe", "malicious", "registrant", NULL, &err), TS_EINPUT);
	assert_int_equal(desk_case_assess(d, c, "confirmed", "compromised", "hosting", NULL, &err), TS_OK);
	/* refusals, each saying why */
	static const char *const court[] = { "lock", "redirect", "transfer", "delete" };
	for (size_t i = 0; i < 4; i++) {
		desk_action_in_t x = { .kind = court[i], .n_sinkhole = i == 1, .sinkhole_ns = { "sink.example.net" },
			               .gaining_registrar = i == 2 ? "R-9" : NULL };
		assert_int_equal(desk_case_act(d, c, &x, &aid, undo, &err), TS_EREFUSED);
		assert_non_null(strstr(err.msg, "court order"));
	}
	desk_action_in_t reg = { .kind = "register", .court_order = "X" };
	assert_int_equal(desk_case_act(d, c, &reg, &aid, undo, &err), TS_EREFUSED); /* a registered name */
	assert_int_equal(desk_case_act(d, c, &suspend, &aid, undo, &err), TS_EREFUSED);
	assert_non_null(strstr(err.msg, "compromised"));
	assert_non_null(strstr(err.msg, "--force"));
	desk_action_in_t noact = { .kind = "no-action" };
	assert_int_equal(desk_case_act(d, c, &noact, &aid, undo, &err), TS_EINPUT);
	desk_action_in_t redirect = { .kind = "redirect", .court_order = "CO-1" };
	assert_int_equal(desk_case_act(d, c, &redirect, &aid, undo, &err), TS_EINPUT);
	desk_action_in_t bogus = { .kind = "nuke" };
	assert_int_equal(desk_case_act(d, c, &bogus, &aid, undo, &err), TS_EINPUT);
	/* lock with a court order, then a forced suspension */
	desk_action_in_t lock = { .kind = "lock", .court_order = "CO-1" };
	assert_int_equal(desk_case_act(d, c, &lock, &aid, undo, &err), TS_OK);
	char want[64];
	snprintf(want, sizeof(want), "tldsec case undo %lld", (long long)aid);
	assert_string_equal(undo, want);
	suspend.force = true;
	assert_int_equal(desk_case_act(d, c, &suspend, &aid2, undo, &err), TS_OK);
	arena_t *a = arena_new(4096);
	store_domain_t dm;
	/* the state before each action, for the EPP export's undo */
	store_action_t xa;
	assert_int_equal(store_action_get(desk_store(d), aid2, a, &xa), TS_OK);
	assert_int_equal(desk_action_prior(&xa, a, &dm), TS_OK);
	assert_string_equal(dm.name, "a.example");
	assert_string_equal(dm.statuses, "serverUpdateProhibited,serverDeleteProhibited,serverTransferProhibited");
	assert_int_equal(store_action_get(desk_store(d), aid, a, &xa), TS_OK);
	assert_int_equal(desk_action_prior(&xa, a, &dm), TS_OK);
	assert_null(dm.statuses);
	xa.prior_domain = "{\"statuses\":";
	assert_int_equal(desk_action_prior(&xa, a, &dm), TS_EINTERNAL);
	/* marked exported in one transaction; an unknown action rolls it back */
	int64_t ids[2] = { aid, aid2 };
	assert_int_equal(desk_actions_exported(d, ids, 2, 77, &err), TS_OK);
	assert_int_equal(store_action_get(desk_store(d), aid2, a, &xa), TS_OK);
	assert_int_equal(xa.exported_at, 77);
	int64_t bad_ids[2] = { aid, 99999 };
	assert_int_equal(desk_actions_exported(d, bad_ids, 2, 88, &err), TS_ENOTFOUND);
	assert_int_equal(store_action_get(desk_store(d), aid, a, &xa), TS_OK);
	assert_int_equal(xa.exported_at, 77);
	assert_int_equal(store_domain_get(desk_store(d), "a.example", a, &dm), TS_OK);
	assert_string_equal(dm.statuses, "serverUpdateProhibited,serverDeleteProhibited,serverTransferProhibited,serverHold");
	/* undo in order: the later first */
	assert_int_equal(desk_case_undo(d, aid, &cid, &err), TS_ESTATE);
	assert_int_equal(desk_case_undo(d, aid2, &cid, &err), TS_OK);
	assert_int_equal(cid, c);
	assert_int_equal(store_domain_get(desk_store(d), "a.example", a, &dm), TS_OK);
	assert_string_equal(dm.statuses, "serverUpdateProhibited,serverDeleteProhibited,serverTransferProhibited");
	assert_int_equal(desk_case_undo(d, aid2, &cid, &err), TS_ESTATE);
	assert_int_equal(desk_case_undo(d, aid, &cid, &err), TS_OK);
	assert_int_equal(store_domain_get(desk_store(d), "a.example", a, &dm), TS_OK);
	assert_null(dm.statuses);
	store_case_t cs;
	assert_int_equal(store_case_get(desk_store(d), c, a, &cs), TS_OK);
	assert_string_equal(cs.state, "assessed");
	/* a referral on a confidential case is refused */
	desk_action_in_t refer = { .kind = "refer-registrar" };
	assert_int_equal(desk_case_act(d, c, &refer, &aid, undo, &err), TS_OK);
	assert_int_equal(desk_case_close(d, c, "cleaned", &err), TS_OK);
	assert_int_equal(desk_case_undo(d, aid, &cid, &err), TS_ESTATE);
	assert_non_null(strstr(err.msg, "reopen"));
	assert_int_equal(desk_case_reopen(d, c, "came back", &err), TS_OK);
	assert_int_equal(store_case_get(desk_store(d), c, a, &cs), TS_OK);
	assert_string_equal(cs.state, "assessed");
	assert_int_equal(submit(d, le, "{\"domains\":[\"q.example\"],\"threat\":\"botnet\",\"confidential\":true}", &r,
	                        &err), TS_OK);
	int64_t conf = r.case_ids[0];
	assert_int_equal(desk_case_ack(d, conf, NULL, &err), TS_OK);
	assert_int_equal(desk_case_assess(d, conf, "confirmed", "malicious", "registrant", NULL, &err), TS_OK);
	assert_int_equal(desk_case_act(d, conf, &refer, &aid, undo, &err), TS_EREFUSED);
	assert_non_null(strstr(err.msg, "confidential"));
	/* the audit chain holds over all of that */
	desk_audit_result_t ar;
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	assert_true(ar.events > 10);
	assert_int_equal(ar.first_bad, 0);
	arena_free(&a);
	desk_close(&d);
}

struct ids {
	int64_t v[16];
	size_t n;
};

static int collect_ids(void *user, const store_case_t *c)
{
	struct ids *x = user;
	if (x->n < 16)
		x->v[x->n++] = c->id;
	return TS_OK;
}

static size_t overdue_at(desk_t *d, const char *iso)
{
	struct ids x = { .n = 0 };
	store_case_filter_t f = { .overdue = true };
	desk_err_t err;
	desk_sla_t s;
	at(iso);
	assert_int_equal(desk_case_list(d, &f, collect_ids, &x, &err), TS_OK);
	assert_int_equal(desk_sla(d, &s, NULL, NULL, &err), TS_OK);
	assert_int_equal(s.overdue, x.n);
	return x.n;
}

/* Boundary seconds of each clock: due-1 and due are on time, due+1 is late. */
static void test_clock_boundaries(void **state)
{
	(void)state;
	static const struct {
		const char *tier;
		bool verified;
		const char *flags;
		const char *ack_due, *ack_due_m1, *ack_due_p1, *resp_due_m1, *resp_due, *resp_due_p1;
	} cases[] = {
		{ "law_enforcement", true, "[\"threat_to_life\"]", "2026-05-02T00:00:00Z", "2026-05-01T23:59:59Z",
		  "2026-05-02T00:00:01Z", "2026-05-02T11:59:59Z", "2026-05-02T12:00:00Z", "2026-05-02T12:00:01Z" },
		{ "public", false, "[\"threat_to_life\"]", "2026-05-02T00:00:00Z", "2026-05-01T23:59:59Z",
		  "2026-05-02T00:00:01Z", "2026-05-04T11:59:59Z", "2026-05-04T12:00:00Z", "2026-05-04T12:00:01Z" },
		{ "public", false, "[]", "2026-05-02T00:00:00Z", "2026-05-01T23:59:59Z", "2026-05-02T00:00:01Z",
		  "2026-05-08T11:59:59Z", "2026-05-08T12:00:00Z", "2026-05-08T12:00:01Z" },
	};
	for (size_t i = 0; i < 3; i++) {
		at("2026-05-01T00:00:00Z");
		desk_t *d = fresh();
		desk_receipt_t r;
		desk_err_t err;
		char json[256];
		int64_t who = reporter(d, cases[i].tier, cases[i].verified, NULL);
		snprintf(json, sizeof(json), "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"flags\":%s}", cases[i].flags);
		assert_int_equal(submit(d, who, json, &r, &err), TS_OK);
		assert_int_equal(r.ack_due, t_of(cases[i].ack_due));
		/* acknowledgement clock */
		assert_int_equal(overdue_at(d, cases[i].ack_due_m1), 0);
		assert_int_equal(overdue_at(d, cases[i].ack_due), 0);
		assert_int_equal(overdue_at(d, cases[i].ack_due_p1), 1);
		/* acknowledged at 12:00 on the first day: the response clock runs from then */
		at("2026-05-01T12:00:00Z");
		assert_int_equal(desk_case_ack(d, r.case_ids[0], NULL, &err), TS_OK);
		assert_int_equal(overdue_at(d, cases[i].ack_due_p1), 0);
		assert_int_equal(overdue_at(d, cases[i].resp_due_m1), 0);
		assert_int_equal(overdue_at(d, cases[i].resp_due), 0);
		assert_int_equal(overdue_at(d, cases[i].resp_due_p1), 1);
		/* the assessment is the response: the clock stops */
		assert_int_equal(desk_case_assess(d, r.case_ids[0], "confirmed", "malicious", "registrant", NULL, &err), TS_OK);
		assert_int_equal(overdue_at(d, cases[i].resp_due_p1), 0);
		desk_close(&d);
	}
}

static void test_tampered_audit(void **state)
{
	(void)state;
	at("2026-03-01T10:00:00Z");
	desk_t *d = fresh();
	desk_err_t err;
	desk_audit_result_t ar;
	reporter(d, "public", false, NULL);
	reporter(d, "public", false, NULL);
	reporter(d, "public", false, NULL);
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	assert_int_equal(ar.events, 3);
	assert_int_equal(strlen(ar.head), 64);
	desk_close(&d);
	/* alter event 2 behind the desk's back: a fake store event with a wrong hash */
	store_t *st;
	char e2[128];
	assert_int_equal(store_open(&st, path, false, 100, e2, sizeof(e2)), TS_OK);
	char hash[STORE_HASH_HEX];
	int64_t last;
	assert_int_equal(store_event_last(st, &last, hash), TS_OK);
	store_event_t forged = { .at = 1, .actor = "mallory", .kind = "reporter.add", .detail = "{}", .prev_hash = hash,
		                 .hash = "0000000000000000000000000000000000000000000000000000000000000000" };
	assert_int_equal(store_event_add(st, &forged, &last), TS_OK);
	store_close(&st);
	assert_int_equal(desk_open(&d, &pol, path, false, "test", &err), TS_OK);
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_ECHECK);
	assert_int_equal(ar.first_bad, 4);
	assert_non_null(strstr(err.msg, "event 4"));
	desk_close(&d);
}

static void test_privacy_purge(void **state)
{
	(void)state;
	at("2026-01-01T00:00:00Z");
	desk_t *d = fresh();
	desk_receipt_t r;
	desk_err_t err;
	assert_int_equal(submit(d, 0, "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"reporter\":{\"name\":\"Ann\","
	                        "\"email\":\"ann@x.org\"}}", &r, &err), TS_OK);
	int64_t c = r.case_ids[0];
	assert_int_equal(desk_case_ack(d, c, NULL, &err), TS_OK);
	assert_int_equal(desk_case_assess(d, c, "false-positive", "unknown", "other", NULL, &err), TS_OK);
	assert_int_equal(desk_case_close(d, c, "not abuse", &err), TS_OK);
	store_purge_counts_t n;
	at("2026-06-01T00:00:00Z");
	assert_int_equal(desk_privacy_purge(d, 365, &n, &err), TS_OK);
	assert_int_equal(n.cases, 0);
	at("2027-01-02T00:00:01Z");
	assert_int_equal(desk_privacy_purge(d, 365, &n, &err), TS_OK);
	assert_int_equal(n.cases, 1);
	assert_int_equal(n.reports, 1);
	assert_int_equal(n.messages, 3);
	arena_t *a = arena_new(4096);
	desk_case_view_t v;
	assert_int_equal(desk_case_show(d, c, a, &v, &err), TS_OK);
	assert_true(v.c.purged);
	assert_null(v.reports[0].contact_email);
	assert_null(strstr(v.reports[0].body, "ann@"));
	assert_string_equal(v.reports[0].threat, "spam"); /* statistics stay */
	assert_null(v.msgs[0].to_addr);
	assert_string_equal(desk_redact("x", false), "[redacted]");
	assert_string_equal(desk_redact("x", true), "x");
	desk_audit_result_t ar;
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	arena_free(&a);
	desk_close(&d);
}

static void test_scan_record(void **state)
{
	(void)state;
	at("2026-04-01T00:00:00Z");
	desk_t *d = fresh();
	desk_err_t err;
	int64_t c1, c2, c3;
	bool opened;
	uint64_t o, j;
	assert_int_equal(desk_scan_begin(d, &err), TS_OK);
	assert_int_equal(desk_scan_finding(d, "openphish", "bad.example", "phishing", "http://bad.example/a", &c1,
	                                   &opened, &err), TS_OK);
	assert_true(opened);
	assert_int_equal(desk_scan_finding(d, "openphish", "bad.example", "phishing", "http://bad.example/b", &c2,
	                                   &opened, &err), TS_OK);
	assert_false(opened);
	assert_int_equal(c1, c2);
	assert_int_equal(desk_scan_finding(d, "urlhaus", "bad.example", "phishing", "http://bad.example/c", &c3,
	                                   &opened, &err), TS_OK);
	assert_int_equal(c3, c1);
	assert_int_equal(desk_scan_finding(d, "openphish", "x.com", "phishing", "http://x.com/", &c3, &opened, &err),
	                 TS_EINPUT);
	assert_int_equal(desk_scan_finding(d, "openphish", "example", "phishing", NULL, &c3, &opened, &err), TS_EINPUT);
	/* a third-level delegation is its own registered domain */
	assert_int_equal(desk_scan_finding(d, "openphish", "shop.co.example", "malware", "http://shop.co.example/x",
	                                   &c3, &opened, &err), TS_OK);
	assert_true(opened);
	assert_int_equal(desk_scan_end(d, true, &o, &j, &err), TS_OK);
	assert_int_equal(o, 2);
	assert_int_equal(j, 1);
	store_case_filter_t third = { .domain = "shop.co.example" };
	uint64_t nthird;
	assert_int_equal(store_case_count(desk_store(d), &third, &nthird), TS_OK);
	assert_int_equal(nthird, 1);
	arena_t *a = arena_new(4096);
	desk_case_view_t v;
	assert_int_equal(desk_case_show(d, c1, a, &v, &err), TS_OK);
	assert_int_equal(v.n_reports, 2); /* one per feed */
	assert_string_equal(v.reports[0].tier, "trusted_third_party");
	assert_string_equal(v.reports[0].origin, "feed:openphish");
	assert_string_equal(v.c.priority, "standard");
	assert_non_null(strstr(v.reports[0].body, "http://bad.example/b"));
	/* a rolled-back scan leaves nothing */
	assert_int_equal(desk_scan_begin(d, &err), TS_OK);
	assert_int_equal(desk_scan_finding(d, "openphish", "new.example", "malware", NULL, &c3, &opened, &err), TS_OK);
	assert_int_equal(desk_scan_end(d, false, &o, &j, &err), TS_OK);
	store_case_filter_t f = { .domain = "new.example" };
	uint64_t n;
	assert_int_equal(store_case_count(desk_store(d), &f, &n), TS_OK);
	assert_int_equal(n, 0);
	/* an unregistered DGA name: block and reserve apply, suspend does not */
	assert_int_equal(desk_scan_begin(d, &err), TS_OK);
	assert_int_equal(desk_scan_unregistered(d, "dga:necurs", "gdktygeuxvijrws.example", "dga", NULL, &c3, &opened,
	                                        &err), TS_OK);
	assert_int_equal(desk_scan_end(d, true, &o, &j, &err), TS_OK);
	store_case_t cs;
	assert_int_equal(store_case_get(desk_store(d), c3, a, &cs), TS_OK);
	assert_false(cs.registered);
	assert_int_equal(desk_case_ack(d, c3, NULL, &err), TS_OK);
	assert_int_equal(desk_case_assess(d, c3, "confirmed", "malicious", "registry", NULL, &err), TS_OK);
	int64_t aid;
	char undo[DESK_UNDO_TEXT];
	desk_action_in_t suspend = { .kind = "suspend" }, block = { .kind = "block" };
	assert_int_equal(desk_case_act(d, c3, &suspend, &aid, undo, &err), TS_EREFUSED);
	assert_non_null(strstr(err.msg, "not registered"));
	assert_int_equal(desk_case_act(d, c3, &block, &aid, undo, &err), TS_OK);
	store_domain_t dm;
	assert_int_equal(store_domain_get(desk_store(d), "gdktygeuxvijrws.example", a, &dm), TS_OK);
	assert_true(dm.blocked);
	desk_audit_result_t ar;
	assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
	arena_free(&a);
	desk_close(&d);
}

static void test_eml(void **state)
{
	(void)state;
	at("2026-02-03T04:05:06Z");
	desk_t *d = fresh();
	store_msg_t m = { .id = 12, .case_id = 3, .created_at = t_of("2026-02-03T04:05:06Z"), .kind = "acknowledgement",
		          .recipient = "reporter", .to_name = "Ann \"the\" Analyst", .to_addr = "ann@x.org",
		          .subject = "S", .body = "line 1\nline 2\n" };
	char *eml = NULL;
	assert_int_equal(desk_msg_eml(d, &m, true, &eml), TS_OK);
	assert_non_null(strstr(eml, "From: \"Example Registry abuse desk\" <abuse@nic.example>\r\n"));
	assert_non_null(strstr(eml, "To: \"Ann \\\"the\\\" Analyst\" <ann@x.org>\r\n"));
	assert_non_null(strstr(eml, "Date: Tue, 03 Feb 2026 04:05:06 +0000\r\n"));
	assert_non_null(strstr(eml, "Message-ID: <tldsec.12.case3@nic.example>\r\n"));
	assert_non_null(strstr(eml, "\r\n\r\nline 1\r\nline 2\r\n"));
	ts_free(eml);
	assert_int_equal(desk_msg_eml(d, &m, false, &eml), TS_OK);
	assert_null(strstr(eml, "ann@x.org"));
	assert_non_null(strstr(eml, "To: undisclosed-recipients:;\r\nX-Tldsec-Recipient: [redacted]\r\n"));
	ts_free(eml);
	m.xarf = "{\n  \"Version\": \"3\"\n}";
	m.kind = "referral";
	assert_int_equal(desk_msg_eml(d, &m, false, &eml), TS_OK);
	assert_non_null(strstr(eml, "Content-Type: multipart/mixed; boundary=\"tldsec-12\""));
	assert_non_null(strstr(eml, "filename=\"xarf.json\""));
	assert_non_null(strstr(eml, "--tldsec-12--\r\n"));
	ts_free(eml);
	desk_close(&d);
}

/* Every allocation of a submission and an acknowledgement fails in turn:
 * each call fails cleanly and leaves all of its work or none of it. */
static void test_desk_oom(void **state)
{
	(void)state;
	const char *j = "{\"domains\":[\"a.example\",\"b.example\"],\"threat\":\"phishing\",\"flags\":[\"threat_to_life\"],"
	                "\"reporter\":{\"name\":\"N\",\"email\":\"n@x.org\"}}";
	at("2026-07-01T00:00:00Z");
	desk_t *d = fresh();
	desk_receipt_t r;
	desk_err_t err;
	assert_int_equal(submit(d, 0, j, &r, &err), TS_OK); /* case 1 and 2 exist: the next joins them */
	ts_alloc_fail_at(0);
	assert_int_equal(submit(d, 0, j, &r, &err), TS_OK);
	assert_int_equal(desk_case_ack(d, 1, "m", &err), TS_OK);
	unsigned long total = ts_alloc_fail_at(0);
	desk_close(&d);
	assert_true(total > 20);
	for (unsigned long n = 1; n <= total; n += 1) {
		d = fresh();
		assert_int_equal(submit(d, 0, j, &r, &err), TS_OK);
		ts_alloc_fail_at(n);
		int r1 = submit(d, 0, j, &r, &err);
		int r2 = r1 == TS_OK ? desk_case_ack(d, 1, "m", &err) : TS_ENOMEM;
		ts_alloc_fail_at(0);
		assert_true(r1 == TS_OK || r1 == TS_ENOMEM);
		assert_true(r2 == TS_OK || r2 == TS_ENOMEM);
		/* all or nothing: 1 or 2 reports on case 2, the ack with its messages or none */
		arena_t *a = arena_new(4096);
		desk_case_view_t v;
		assert_int_equal(desk_case_show(d, 2, a, &v, &err), TS_OK);
		if (v.n_reports != (r1 == TS_OK ? 2u : 1u))
			fail_msg("n=%lu r1=%d msg=%s", n, r1, err.msg);
		arena_reset(a);
		assert_int_equal(desk_case_show(d, 1, a, &v, &err), TS_OK);
		assert_string_equal(v.c.state, r2 == TS_OK ? "acknowledged" : "new");
		assert_int_equal(v.n_msgs, r2 == TS_OK ? 1 : 0);
		desk_audit_result_t ar;
		assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
		/* the connection is usable: no transaction was left open */
		assert_int_equal(submit(d, 0, j, &r, &err), TS_OK);
		arena_free(&a);
		desk_close(&d);
	}
}

/* The same for act, undo, refer, close and purge, from an assessed case. */
static desk_err_t act_err;

static int act_flow(desk_t *d, int *done)
{
	desk_err_t err;
	memset(&act_err, 0, sizeof(act_err));
	int64_t aid, cid;
	char undo[DESK_UNDO_TEXT];
	desk_action_in_t lock = { .kind = "lock", .court_order = "CO" }, refer = { .kind = "refer-registrar" };
	store_purge_counts_t n;
	int ret;
	*done = 0;
	if ((ret = desk_case_act(d, 1, &lock, &aid, undo, &err)) != TS_OK)
		return ret;
	(*done)++;
	if ((ret = desk_case_undo(d, aid, &cid, &err)) != TS_OK)
		return ret;
	(*done)++;
	if ((ret = desk_case_act(d, 1, &refer, &aid, undo, &err)) != TS_OK)
		return ret;
	(*done)++;
	if ((ret = desk_case_close(d, 1, "done", &err)) != TS_OK)
		return ret;
	(*done)++;
	at("2030-01-01T00:00:00Z");
	ret = desk_privacy_purge(d, 1, &n, &err);
	act_err = err;
	at("2026-07-01T00:00:00Z");
	if (ret != TS_OK)
		return ret;
	(*done)++;
	return TS_OK;
}

static desk_t *assessed_case(void)
{
	desk_receipt_t r;
	desk_err_t err;
	at("2026-07-01T00:00:00Z");
	desk_t *d = fresh();
	assert_int_equal(submit(d, 0, "{\"domains\":[\"a.example\"],\"threat\":\"spam\",\"reporter\":{\"email\":"
	                        "\"n@x.org\"}}", &r, &err), TS_OK);
	assert_int_equal(desk_case_ack(d, 1, NULL, &err), TS_OK);
	assert_int_equal(desk_case_assess(d, 1, "confirmed", "malicious", "registrar", NULL, &err), TS_OK);
	return d;
}

static void test_desk_oom_actions(void **state)
{
	(void)state;
	static const char *const state_after[] = { "assessed", "actioned", "assessed", "actioned", "closed", "closed" };
	int done;
	desk_t *d = assessed_case();
	ts_alloc_fail_at(0);
	assert_int_equal(act_flow(d, &done), TS_OK);
	unsigned long total = ts_alloc_fail_at(0);
	desk_close(&d);
	for (unsigned long n = 1; n <= total; n++) {
		d = assessed_case();
		ts_alloc_fail_at(n);
		int ret = act_flow(d, &done);
		ts_alloc_fail_at(0);
		if (ret != TS_OK && ret != TS_ENOMEM)
			fail_msg("allocation %lu: step %d returned %d", n, done, ret);
		(void)act_err;
		arena_t *a = arena_new(4096);
		desk_case_view_t v;
		desk_err_t err;
		assert_int_equal(desk_case_show(d, 1, a, &v, &err), TS_OK);
		if (strcmp(v.c.state, state_after[done]) != 0)
			fail_msg("allocation %lu: %d steps done, state %s", n, done, v.c.state);
		if (v.c.purged != (done == 5))
			fail_msg("allocation %lu: %d steps done (ret %d: %s), purged %d", n, done, ret, act_err.msg, v.c.purged);
		desk_audit_result_t ar;
		assert_int_equal(desk_audit_verify(d, &ar, &err), TS_OK);
		arena_free(&a);
		desk_close(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_policy),
		cmocka_unit_test(test_token_auth),
		cmocka_unit_test(test_policy_docs),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_intake_priority_and_merge),
		cmocka_unit_test(test_rejected_report_stores_nothing),
		cmocka_unit_test(test_state_machine_actions_undo),
		cmocka_unit_test(test_clock_boundaries),
		cmocka_unit_test(test_tampered_audit),
		cmocka_unit_test(test_privacy_purge),
		cmocka_unit_test(test_scan_record),
		cmocka_unit_test(test_eml),
		cmocka_unit_test(test_desk_oom),
		cmocka_unit_test(test_desk_oom_actions),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
