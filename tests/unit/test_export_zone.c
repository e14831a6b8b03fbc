/* test_export_zone.c — the patched zone writer: suspensions with their glue,
 * redirects, shared glue, the serial, multi-line records, $INCLUDE input,
 * unknown types, relative names, refused inputs, out-of-memory paths, a
 * zone large enough for the writer thread, write errors. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "gzbytes.h"

#include "base/alloc.h"
#include "base/log.h"
#include "dns/zone.h"
#include "export/zone.h"

static char logged[1024];

static void keep_log(void *user, ts_log_level_t level, const char *file, unsigned long line,
                     unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col;
	(void)snprintf(logged, sizeof(logged), "%s", msg);
}

static char dir[] = "/tmp/test_export_zone.XXXXXX";

static int setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	ts_log_set(keep_log, NULL, TS_LOG_DEBUG);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[256];
	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ts_log_set(NULL, NULL, TS_LOG_WARN);
	return system(cmd) == 0 ? 0 : -1;
}

static void put_file(const char *name, const char *text)
{
	char path[512];
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* Runs the writer on DIR/name; returns the output (caller frees) and the code. */
static char *patch(const char *name, const export_zone_opts_t *o, int *ret, export_zone_totals_t *t)
{
	char path[512];
	(void)snprintf(path, sizeof(path), "%s/%s", dir, name);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	*ret = export_zone_write_fp(path, o, f, t);
	assert_int_equal(fclose(f), 0);
	return buf;
}

typedef char *(*patch_fn)(const char *name, const export_zone_opts_t *o, int *ret, export_zone_totals_t *t);

/* The writer run by `run` on DIR/name with the Nth allocation failing, for
 * every N: an out-of-memory error, or the output of a run without failure. */
static void each_failure(const char *name, const export_zone_opts_t *o, patch_fn run)
{
	export_zone_totals_t t;
	int ret;
	ts_alloc_fail_at(0);
	char *want = run(name, o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	unsigned long count = ts_alloc_fail_at(0);
	assert_true(count > 0);
	for (unsigned long i = 1; i <= count; i++) {
		ts_alloc_fail_at(i);
		char *got = run(name, o, &ret, &t);
		ts_alloc_fail_at(0);
		if (ret == TS_OK)
			assert_string_equal(got, want);   /* a failure the writer can live with (no writer thread, ...) */
		else
			assert_int_equal(ret, TS_ENOMEM);
		free(got);
	}
	free(want);
}

static const char *const sink[] = { "sink1.sinkhole.example.net", "sink2.sinkhole.example.net." };

static const char tld[] =
	"$ORIGIN example.\n"
	"$TTL 3600\n"
	"@ IN SOA ns1.nic.example. hostmaster.nic.example. 2026010100 7200 900 1209600 300\n"
	"@ NS ns1.nic\n"
	"ns1.nic A 192.0.2.53\n"
	"good NS ns1.good\n"
	"good NS ns.bad\n"                       /* good uses a host below bad: that glue stays */
	"good DS 12345 13 2 ABCDEF0123\n"
	"ns1.good A 192.0.2.10\n"
	"bad NS ns1.bad\n"
	"bad NS ns.bad\n"
	"bad DS 1 8 2 00FF\n"
	"bad RRSIG DS 8 2 3600 20270101000000 20260101000000 1 example. AAAA\n"
	"ns1.bad A 192.0.2.20\n"
	"ns1.bad AAAA 2001:db8::20\n"
	"ns.bad A 192.0.2.21\n"
	"redir 600 NS ns1.redir\n"
	"redir DS 2 13 2 0011\n"
	"redir RRSIG DS 13 2 600 20270101000000 20260101000000 2 example. BBBB\n"
	"redir NSEC s.example. NS DS RRSIG NSEC\n"
	"ns1.redir A 192.0.2.30\n"
	"redir NS ns2.elsewhere.net.\n"
	"s NS a.ns.other.net.\n";

static void test_suspend_redirect(void **state)
{
	(void)state;
	put_file("tld.zone", tld);
	const char *susp[] = { "bad.example" };
	export_zone_redirect_t red[] = { { "Redir.Example.", sink, 2 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .redirect = red, .nredirect = 1,
	                         .now = 1767225600 /* 2026-01-01 */ };
	export_zone_totals_t t;
	int ret;
	char *out = patch("tld.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(out,
		"$ORIGIN example.\n"
		"example.\t3600\tIN\tSOA\tns1.nic.example. hostmaster.nic.example. 2026010101 7200 900 1209600 300\n"
		"example.\t3600\tIN\tNS\tns1.nic\n"
		"ns1.nic.example.\t3600\tIN\tA\t192.0.2.53\n"
		"good.example.\t3600\tIN\tNS\tns1.good\n"
		"good.example.\t3600\tIN\tNS\tns.bad\n"
		"good.example.\t3600\tIN\tDS\t12345 13 2 ABCDEF0123\n"
		"ns1.good.example.\t3600\tIN\tA\t192.0.2.10\n"
		"redir.example.\t600\tIN\tNS\tsink1.sinkhole.example.net.\n"
		"redir.example.\t600\tIN\tNS\tsink2.sinkhole.example.net.\n"
		"redir.example.\t3600\tIN\tNSEC\ts.example. NS DS RRSIG NSEC\n"
		"s.example.\t3600\tIN\tNS\ta.ns.other.net.\n"
		"ns.bad.example.\t3600\tIN\tA\t192.0.2.21\n");
	free(out);
	assert_int_equal(t.records_in, 21);
	assert_int_equal(t.records_out, 12);
	assert_int_equal(t.suspended, 1);
	assert_int_equal(t.redirected, 1);
	assert_int_equal(t.glue_kept, 1);
	assert_int_equal(t.glue_removed, 3);       /* ns1.bad A, AAAA; ns1.redir A */
	assert_int_equal(t.removed, 11);
	assert_int_equal(t.serial_old, 2026010100);
	assert_int_equal(t.serial_new, 2026010101);

	/* nothing acted on: the same records, the serial moved on */
	export_zone_opts_t none = { .now = 1767225600 };
	out = patch("tld.zone", &none, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_int_equal(t.records_out, 21);
	assert_non_null(strstr(out, "ns1.bad.example.\t3600\tIN\tAAAA\t2001:db8::20\n"));
	assert_non_null(strstr(out, "bad.example.\t3600\tIN\tRRSIG\tDS 8 2 3600 20270101000000 20260101000000 1 example. AAAA\n"));
	free(out);

	/* a name the zone does not delegate: a warning, the zone unchanged */
	const char *absent[] = { "nowhere.example" };
	export_zone_opts_t o2 = { .suspend = absent, .nsuspend = 1, .now = 1767225600 };
	logged[0] = '\0';
	out = patch("tld.zone", &o2, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_int_equal(t.records_out, 21);
	assert_int_equal(t.suspended, 0);
	assert_non_null(strstr(logged, "nowhere.example is not delegated"));
	free(out);
}

/* Glue of a suspended name needed by nobody else goes, even when the name
 * servers of the suspended name are shared among its own records; a nested
 * delegation below a suspended name goes with it. */
static void test_glue(void **state)
{
	(void)state;
	put_file("g.zone",
		"example. 300 IN SOA ns.example. h.example. 5 1 1 1 1\n"
		"example. 300 NS ns.example.\n"
		"ns.example. 300 A 192.0.2.1\n"
		"a.example. 300 NS ns.a.example.\n"
		"ns.a.example. 300 A 192.0.2.2\n"
		"sub.a.example. 300 NS ns.b.example.\n"
		"deep.ns.a.example. 300 AAAA 2001:db8::1\n"
		"b.example. 300 NS ns.b.example.\n"
		"b.example. 300 NS ns.a.example.\n"   /* b keeps ns.a.example's glue */
		"ns.b.example. 300 A 192.0.2.3\n");
	const char *susp[] = { "a.example", "b.example" };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .now = 0 };
	export_zone_totals_t t;
	int ret;
	char *out = patch("g.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(out,
		"$ORIGIN .\n"
		"example.\t300\tIN\tSOA\tns.example. h.example. 1970010100 1 1 1 1\n"
		"example.\t300\tIN\tNS\tns.example.\n"
		"ns.example.\t300\tIN\tA\t192.0.2.1\n"
		"b.example.\t300\tIN\tNS\tns.b.example.\n"
		"b.example.\t300\tIN\tNS\tns.a.example.\n"
		"ns.b.example.\t300\tIN\tA\t192.0.2.3\n"
		"ns.a.example.\t300\tIN\tA\t192.0.2.2\n");
	free(out);
	assert_int_equal(t.glue_kept, 1);
	assert_int_equal(t.glue_removed, 1);
	/* both suspended: every glue record goes */
	o.nsuspend = 2;
	out = patch("g.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(out,
		"$ORIGIN .\n"
		"example.\t300\tIN\tSOA\tns.example. h.example. 1970010100 1 1 1 1\n"
		"example.\t300\tIN\tNS\tns.example.\n"
		"ns.example.\t300\tIN\tA\t192.0.2.1\n");
	free(out);
	assert_int_equal(t.glue_removed, 3);
	assert_int_equal(t.suspended, 2);
}

/* Multi-line records, comments, quoted strings, escapes, unknown types in
 * RFC 3597 form, relative names under several $ORIGINs and an $INCLUDE. */
static void test_syntax(void **state)
{
	(void)state;
	put_file("inc.zone",
		"x TXT \"included\"\n"
		"y CNAME z ; relative to the include's origin\n");
	char top[1024];
	(void)snprintf(top, sizeof(top),
		"$TTL 1h\n"
		"@ SOA ( ns   ; primary\n"
		"        h 4294967295 ; serial\n"
		"        1d 2h 3w 5m )\n"
		"@ NS ns\n"
		"t TXT \"a ; b\" \"q\\\"x\" w\\032z\n"
		"u TYPE65000 \\# 3 ( 0a0b\n"
		"   0c )\n"
		"$ORIGIN sub.example.\n"
		"m MX 10 @\n"
		"$INCLUDE %s/inc.zone in.example.\n"
		"after A 192.0.2.9\n", dir);
	put_file("top.zone", top);
	export_zone_opts_t o = { .origin = "example.", .now = 1767225600 };
	export_zone_totals_t t;
	int ret;
	char *out = patch("top.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(out,
		"$ORIGIN example.\n"
		"example.\t3600\tIN\tSOA\tns.example. h.example. 2026010100 86400 7200 1814400 300\n"
		"example.\t3600\tIN\tNS\tns\n"
		"t.example.\t3600\tIN\tTXT\t\"a ; b\" \"q\\\"x\" w\\032z\n"
		"u.example.\t3600\tIN\tTYPE65000\t\\# 3 0a0b 0c\n"
		"$ORIGIN sub.example.\n"
		"m.sub.example.\t3600\tIN\tMX\t10 @\n"
		"$ORIGIN in.example.\n"
		"x.in.example.\t3600\tIN\tTXT\t\"included\"\n"
		"y.in.example.\t3600\tIN\tCNAME\tz\n"
		"$ORIGIN sub.example.\n"
		"after.sub.example.\t3600\tIN\tA\t192.0.2.9\n");
	/* RFC 1982: 2026010100 is larger than 4294967295 (less than 2^31 ahead) */
	assert_int_equal(t.serial_new, 2026010100u);
	/* the output reads back to the same records (a fixed point) */
	put_file("again.zone", out);
	free(out);
	char *out2 = patch("again.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_non_null(strstr(out2, "u.example.\t3600\tIN\tTYPE65000\t\\# 3 0a0b 0c\n"));
	assert_non_null(strstr(out2, "y.in.example.\t3600\tIN\tCNAME\tz\n"));
	free(out2);
}

static void test_serial(void **state)
{
	(void)state;
	const int64_t day = 1767225600;   /* 2026-01-01 */
	assert_int_equal(export_zone_serial(1, day), 2026010100u);
	assert_int_equal(export_zone_serial(2026010100u, day), 2026010101u);
	assert_int_equal(export_zone_serial(2026010199u, day), 2026010200u);
	assert_int_equal(export_zone_serial(2025123105u, day), 2026010100u);
	assert_int_equal(export_zone_serial(2026010099u, day), 2026010100u);
	/* a serial far ahead (RFC 1982: the date is "smaller") just moves on */
	assert_int_equal(export_zone_serial(4000000000u, day), 4000000001u);
	assert_int_equal(export_zone_serial(UINT32_MAX, day), 2026010100u);
	/* the date exactly 2^31 ahead: undefined in RFC 1982, so serial + 1 */
	assert_int_equal(export_zone_serial(2026010099u - 0x80000000u, day), 2026010100u - 0x80000000u);
	/* a time-stamp serial below the date form jumps to it */
	assert_int_equal(export_zone_serial(1767225600u, day), 2026010100u);
}

static void test_refused(void **state)
{
	(void)state;
	put_file("tld.zone", tld);
	put_file("nosoa.zone", "a.example. 300 NS ns.b.\n");
	int ret;
	export_zone_totals_t t;
	struct { const char *susp; const char *zone; const char *why; } cases[] = {
		{ "example", "tld.zone", "not a registered domain name" },
		{ "bad.other", "tld.zone", "not a delegation below the zone's apex" },
		{ "bad..example", "tld.zone", "not a registered domain name" },
		{ "x.example", "nosoa.zone", "no SOA record" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *susp[] = { cases[i].susp };
		export_zone_opts_t o = { .suspend = susp, .nsuspend = 1 };
		logged[0] = '\0';
		free(patch(cases[i].zone, &o, &ret, &t));
		assert_int_equal(ret, TS_EINPUT);
		if (strstr(logged, cases[i].why) == NULL)
			fail_msg("case %zu: '%s'", i, logged);
	}
	/* twice, and a bad sinkhole */
	const char *susp[] = { "bad.example" };
	export_zone_redirect_t red[] = { { "bad.example", sink, 1 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .redirect = red, .nredirect = 1 };
	free(patch("tld.zone", &o, &ret, &t));
	assert_int_equal(ret, TS_EINPUT);
	assert_non_null(strstr(logged, "given twice"));
	const char *bad_sink[] = { "sink_1 .net" };
	export_zone_redirect_t red2[] = { { "redir.example", bad_sink, 1 } };
	export_zone_opts_t o2 = { .redirect = red2, .nredirect = 1 };
	free(patch("tld.zone", &o2, &ret, &t));
	assert_int_equal(ret, TS_EINPUT);
	export_zone_redirect_t red3[] = { { "redir.example", sink, 0 } };
	export_zone_opts_t o3 = { .redirect = red3, .nredirect = 1 };
	free(patch("tld.zone", &o3, &ret, &t));
	assert_int_equal(ret, TS_EINPUT);
	/* a syntax error in the zone is the scanner's, with its position */
	put_file("broken.zone", "example. 300 SOA a. b. 1 1 1 1 1\nx.example. 300 NS (\n");
	export_zone_opts_t o4 = { 0 };
	free(patch("broken.zone", &o4, &ret, &t));
	assert_int_equal(ret, TS_ESYNTAX);
	/* the file form leaves nothing behind on failure */
	char outp[512], inp[512];
	(void)snprintf(outp, sizeof(outp), "%s/out.zone", dir);
	(void)snprintf(inp, sizeof(inp), "%s/broken.zone", dir);
	assert_int_equal(export_zone_write(inp, &o4, outp, &t), TS_ESYNTAX);
	assert_int_equal(access(outp, F_OK), -1);
	(void)snprintf(inp, sizeof(inp), "%s/tld.zone", dir);
	assert_int_equal(export_zone_write(inp, &o4, outp, &t), TS_OK);
	assert_int_equal(access(outp, F_OK), 0);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	put_file("tld.zone", tld);
	const char *susp[] = { "bad.example" };
	export_zone_redirect_t red[] = { { "redir.example", sink, 2 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .redirect = red, .nredirect = 1, .now = 1 };
	each_failure("tld.zone", &o, patch);
}

/* A zone of n delegations ("dI NS ns1.dI", "dI NS ns.hI.net.", glue, a
 * DS on every fifth, TTL 86400 on the first NS of every seventh: $TTL
 * for the others), and the patched zone
 * expected with d7 and d(n-3) suspended and d(n/2) redirected to `sink`:
 * the output is several of the writer's buffers long. */
#define LARGE_N 36000u

static void large_zone(char **zone, char **want)
{
	size_t cap = (size_t)LARGE_N * 200 + 4096;
	char *z = malloc(cap), *w = malloc(cap);
	assert_non_null(z);
	assert_non_null(w);
	size_t zl = 0, wl = 0;
	zl += (size_t)snprintf(z + zl, cap - zl,
		"$ORIGIN example.\n$TTL 3600\n"
		"@ IN SOA ns1.nic.example. hostmaster.nic.example. ( 2026010100 7200 900 1209600 300 )\n"
		"@ NS ns1.nic\nns1.nic A 192.0.2.53\n");
	wl += (size_t)snprintf(w + wl, cap - wl,
		"$ORIGIN example.\n"
		"example.\t3600\tIN\tSOA\tns1.nic.example. hostmaster.nic.example. 2026010101 7200 900 1209600 300\n"
		"example.\t3600\tIN\tNS\tns1.nic\n"
		"ns1.nic.example.\t3600\tIN\tA\t192.0.2.53\n");
	for (unsigned i = 0; i < LARGE_N; i++) {
		unsigned ttl = i % 7 == 0 ? 86400 : 3600;
		bool susp = i == 7 || i == LARGE_N - 3, redir = i == LARGE_N / 2;
		zl += (size_t)snprintf(z + zl, cap - zl, "d%u %s NS ns1.d%u\n NS ns.h%u.net. ; two\n", i,
		                       ttl == 86400 ? "86400" : "", i, i);
		if (i % 5 == 0)
			zl += (size_t)snprintf(z + zl, cap - zl, "d%u DS %u 13 2 ABCDEF%02X\n", i, i % 65536, i % 256);
		zl += (size_t)snprintf(z + zl, cap - zl, "ns1.d%u A 192.0.2.%u\n", i, i % 250 + 1);
		if (susp)
			continue;
		if (redir) {
			wl += (size_t)snprintf(w + wl, cap - wl,
				"d%u.example.\t%u\tIN\tNS\tsink1.sinkhole.example.net.\n"
				"d%u.example.\t%u\tIN\tNS\tsink2.sinkhole.example.net.\n", i, ttl, i, ttl);
			continue;
		}
		wl += (size_t)snprintf(w + wl, cap - wl, "d%u.example.\t%u\tIN\tNS\tns1.d%u\n", i, ttl, i);
		wl += (size_t)snprintf(w + wl, cap - wl, "d%u.example.\t3600\tIN\tNS\tns.h%u.net.\n", i, i);
		if (i % 5 == 0)
			wl += (size_t)snprintf(w + wl, cap - wl, "d%u.example.\t3600\tIN\tDS\t%u 13 2 ABCDEF%02X\n", i,
			                       i % 65536, i % 256);
		wl += (size_t)snprintf(w + wl, cap - wl, "ns1.d%u.example.\t3600\tIN\tA\t192.0.2.%u\n", i, i % 250 + 1);
	}
	assert_true(zl < cap && wl < cap);
	assert_true(wl > (size_t)3 << 20);   /* more than three of the writer's buffers */
	*zone = z;
	*want = w;
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	long n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	char *buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* ---- the verbatim form ---- */

/* Runs the writer on DIR/name into the file DIR/out.zone (the form that
 * copies what it can); returns the file's text (caller frees). */
static char *patch_file(const char *name, const export_zone_opts_t *o, int *ret, export_zone_totals_t *t)
{
	char inp[512], outp[512];
	(void)snprintf(inp, sizeof(inp), "%s/%s", dir, name);
	(void)snprintf(outp, sizeof(outp), "%s/out.zone", dir);
	*ret = export_zone_write(inp, o, outp, t);
	if (*ret != TS_OK)
		return NULL;
	return read_all(outp);
}

struct recs {
	char *p;
	size_t len, cap;
};

static int rec_line(void *user, const zone_rr_t *rr)
{
	struct recs *r = user;
	size_t need = rr->owner_len + rr->origin_len + rr->rdata_len + 64;
	if (r->cap - r->len < need) {
		r->cap = (r->cap + need) * 2;
		r->p = realloc(r->p, r->cap);
		assert_non_null(r->p);
	}
	char tn[16];
	int n = snprintf(r->p + r->len, r->cap - r->len, "%s|%u|%u|%s|%s|%.*s\n", rr->owner, (unsigned)rr->ttl,
	                 (unsigned)rr->rclass, zone_type_name(rr->type, tn), rr->origin, (int)rr->rdata_len,
	                 rr->rdata);
	assert_true(n > 0 && (size_t)n < r->cap - r->len);
	r->len += (size_t)n;
	return 0;
}

/* The records a zone text holds, one line each (owner, TTL, class, type,
 * origin, RDATA as written), in order: two forms of one zone compare equal
 * when they hold the same records. */
static char *records_of(const char *text, const char *origin)
{
	struct recs r = { 0 };
	r.p = malloc(1);
	assert_non_null(r.p);
	r.p[0] = '\0';
	r.cap = 1;
	zone_opts_t zo = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_TEXT };
	assert_int_equal(zone_scan_mem("form", text, strlen(text), &zo, rec_line, &r, NULL), TS_OK);
	return r.p;
}

/* The records of both forms of the patched zone are the same, and so are the totals. */
static void same_records(const char *name, const export_zone_opts_t *o, const char *origin, char **verbatim)
{
	export_zone_totals_t tv, tl;
	int ret;
	char *v = patch_file(name, o, &ret, &tv);
	assert_int_equal(ret, TS_OK);
	export_zone_opts_t ol = *o;
	ol.one_line = true;
	char *l = patch_file(name, &ol, &ret, &tl);
	assert_int_equal(ret, TS_OK);
	char *rv = records_of(v, origin), *rl = records_of(l, origin);
	assert_string_equal(rv, rl);
	assert_int_equal(tv.records_in, tl.records_in);
	assert_int_equal(tv.records_out, tl.records_out);
	assert_int_equal(tv.removed, tl.removed);
	assert_int_equal(tv.glue_kept, tl.glue_kept);
	assert_int_equal(tv.glue_removed, tl.glue_removed);
	assert_int_equal(tv.suspended, tl.suspended);
	assert_int_equal(tv.redirected, tl.redirected);
	assert_int_equal(tv.serial_new, tl.serial_new);
	free(rv);
	free(rl);
	free(l);
	if (verbatim != NULL)
		*verbatim = v;
	else
		free(v);
}

static void test_large(void **state)
{
	(void)state;
	char *zone, *want;
	large_zone(&zone, &want);
	put_file("large.zone", zone);
	char name_s1[32], name_s2[32], name_r[32];
	(void)snprintf(name_s1, sizeof(name_s1), "d7.example");
	(void)snprintf(name_s2, sizeof(name_s2), "d%u.example", LARGE_N - 3);
	(void)snprintf(name_r, sizeof(name_r), "d%u.example", LARGE_N / 2);
	const char *susp[] = { name_s1, name_s2 };
	export_zone_redirect_t red[] = { { name_r, sink, 2 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 2, .redirect = red, .nredirect = 1, .now = 1 };
	export_zone_totals_t t;
	int ret;
	/* a memory stream (fwrite from the writer thread) */
	char *got = patch("large.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_string_equal(got, want);
	free(got);
	assert_int_equal(t.suspended, 2);
	assert_int_equal(t.redirected, 1);
	assert_int_equal(t.glue_removed, 3);
	assert_int_equal(t.records_out, t.records_in - t.removed + 2);   /* the two sinkhole NS */
	/* a file: the descriptor, its disk writes started as it goes */
	char inp[512], outp[512];
	(void)snprintf(inp, sizeof(inp), "%s/large.zone", dir);
	(void)snprintf(outp, sizeof(outp), "%s/large.out", dir);
	o.one_line = true;
	assert_int_equal(export_zone_write(inp, &o, outp, &t), TS_OK);
	got = read_all(outp);
	assert_string_equal(got, want);
	free(got);
	/* a FILE with text of the caller's own before: that goes first */
	FILE *f = fopen(outp, "w");
	assert_non_null(f);
	assert_true(fputs("; before\n", f) >= 0);
	assert_int_equal(export_zone_write_fp(inp, &o, f, &t), TS_OK);
	assert_int_equal(fclose(f), 0);
	got = read_all(outp);
	assert_memory_equal(got, "; before\n", 9);
	assert_string_equal(got + 9, want);
	free(got);
	/* the same, copied: the same records */
	o.one_line = false;
	char *want_recs = records_of(want, NULL);
	f = fopen(outp, "w");
	assert_non_null(f);
	assert_true(fputs("; before\n", f) >= 0);
	assert_int_equal(export_zone_write_fp(inp, &o, f, &t), TS_OK);
	assert_int_equal(fclose(f), 0);
	got = read_all(outp);
	assert_memory_equal(got, "; before\n", 9);
	char *got_recs = records_of(got + 9, NULL);
	assert_string_equal(got_recs, want_recs);
	free(got_recs);
	free(got);
	assert_int_equal(t.suspended, 2);
	assert_int_equal(t.glue_removed, 3);
	assert_int_equal(t.records_out, t.records_in - t.removed + 2);
	same_records("large.zone", &o, NULL, NULL);
	free(want_recs);
	/* a write that fails, from the writer thread or in place (a small zone) */
	f = fopen("/dev/full", "w");
	if (f != NULL) {
		errno = 0;
		assert_int_equal(export_zone_write_fp(inp, &o, f, &t), TS_EIO);
		assert_int_equal(errno, ENOSPC);
		put_file("tld.zone", tld);
		(void)snprintf(inp, sizeof(inp), "%s/tld.zone", dir);
		assert_int_equal(export_zone_write_fp(inp, &o, f, &t), TS_EIO);
		(void)fclose(f);
	}
	free(zone);
	free(want);
}

static void test_large_out_of_memory(void **state)
{
	(void)state;
	char *zone, *want;
	large_zone(&zone, &want);
	put_file("large.zone", zone);
	free(zone);
	free(want);
	const char *susp[] = { "d7.example" };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .now = 1 };
	each_failure("large.zone", &o, patch);
}

static void test_verbatim(void **state)
{
	(void)state;
	put_file("tld.zone", tld);
	const char *susp[] = { "bad.example" };
	export_zone_redirect_t red[] = { { "Redir.Example.", sink, 2 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .redirect = red, .nredirect = 1,
	                         .now = 1767225600 /* 2026-01-01 */ };
	char *out;
	same_records("tld.zone", &o, NULL, &out);
	assert_string_equal(out,
		"$ORIGIN example.\n"
		"$TTL 3600\n"
		"example.\t3600\tIN\tSOA\tns1.nic.example. hostmaster.nic.example. 2026010101 7200 900 1209600 300\n"
		"@ NS ns1.nic\n"
		"ns1.nic A 192.0.2.53\n"
		"good NS ns1.good\n"
		"good NS ns.bad\n"
		"good DS 12345 13 2 ABCDEF0123\n"
		"ns1.good A 192.0.2.10\n"
		"redir.example.\t600\tIN\tNS\tsink1.sinkhole.example.net.\n"
		"redir.example.\t600\tIN\tNS\tsink2.sinkhole.example.net.\n"
		"redir NSEC s.example. NS DS RRSIG NSEC\n"
		"s NS a.ns.other.net.\n"
		"$ORIGIN example.\n"
		"$TTL 3600\n"
		"ns.bad A 192.0.2.21\n");
	free(out);

	/* comments, blank lines and layout stay; a blank owner after a removed
	 * record gets its owner; no final newline; glue with a blank owner */
	put_file("b.zone",
		"$TTL 300\n"
		"example. IN SOA ( ns.example. h.example.\n"
		"   1 2 3 4 5 ) ; the SOA\n"
		"        NS ns.example.        ; blank owner after the SOA\n"
		"ns A 192.0.2.1\n"
		"; a comment line\n"
		"\n"
		"red NS ns.red ; first\n"
		"    DS 1 8 2 00FF\n"
		"    NSEC z.example. NS DS RRSIG NSEC   ; after the removed DS\n"
		"ns.red A 192.0.2.9\n"
		"    AAAA 2001:db8::9\n"
		"sus NS ns1.other.\n"
		"    TXT \"occluded\"\n"
		"keep 60 NS ns.red        ; keeps the glue of ns.red\n"
		"last NS x.y.");
	const char *susp2[] = { "sus.example" };
	export_zone_redirect_t red2[] = { { "red.example", sink, 2 } };
	export_zone_opts_t o2 = { .origin = "example.", .suspend = susp2, .nsuspend = 1, .redirect = red2,
	                          .nredirect = 1, .now = 1767225600 };
	same_records("b.zone", &o2, "example.", &out);
	assert_string_equal(out,
		"$TTL 300\n"
		"example.\t300\tIN\tSOA\tns.example. h.example. 2026010100 2 3 4 5\n"
		"        NS ns.example.        ; blank owner after the SOA\n"
		"ns A 192.0.2.1\n"
		"; a comment line\n"
		"\n"
		"red.example.\t300\tIN\tNS\tsink1.sinkhole.example.net.\n"
		"red.example.\t300\tIN\tNS\tsink2.sinkhole.example.net.\n"
		"red.example.    NSEC z.example. NS DS RRSIG NSEC   ; after the removed DS\n"
		"keep 60 NS ns.red        ; keeps the glue of ns.red\n"
		"last NS x.y.\n"
		"$ORIGIN example.\n"
		"$TTL 300\n"
		"ns.red A 192.0.2.9\n"
		"ns.red.example.    AAAA 2001:db8::9\n");
	free(out);

	/* nothing acted on: the input but for its SOA line */
	export_zone_opts_t none = { .now = 1767225600 };
	same_records("tld.zone", &none, NULL, &out);
	assert_non_null(strstr(tld, "ns1.bad AAAA 2001:db8::20\n"));
	const char *after_soa = strstr(tld, "@ NS ns1.nic\n");
	assert_non_null(after_soa);
	assert_non_null(strstr(out, after_soa));
	free(out);
}

/* Inputs that copying cannot reproduce: the one-line form, exactly. */
static void test_verbatim_fallback(void **state)
{
	(void)state;
	put_file("inc.zone", "x TXT \"included\"\n");
	char top[1024];
	(void)snprintf(top, sizeof(top),
		"$TTL 1h\n@ SOA ns h 1 1 1 1 1\n@ NS ns\n$INCLUDE %s/inc.zone in.example.\nafter A 192.0.2.9\n", dir);
	put_file("top.zone", top);
	/* records that take the TTL of the one before (no $TTL) */
	put_file("ttl.zone",
		"example. 300 IN SOA ns.example. h.example. 1 1 1 1 1\n"
		"example. NS ns.example.\n"
		"a.example. 60 NS ns.a.example.\n"
		"ns.a.example. A 192.0.2.1\n"
		"b.example. NS ns.b.example.\n");
	/* the first record is not the SOA */
	put_file("late.zone",
		"a.example. 300 NS ns.x.\n"
		"example. 300 SOA ns.example. h.example. 1 1 1 1 1\n");
	size_t gzlen;
	char *gz = gzip_bytes(tld, strlen(tld), &gzlen);
	char gzpath[512];
	(void)snprintf(gzpath, sizeof(gzpath), "%s/tld.zone.gz", dir);
	FILE *f = fopen(gzpath, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(gz, 1, gzlen, f), gzlen);
	assert_int_equal(fclose(f), 0);
	free(gz);
	const char *susp[] = { "a.example" };
	const char *names[] = { "top.zone", "ttl.zone", "late.zone", "tld.zone.gz" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		export_zone_opts_t o = { .origin = "example.", .suspend = susp, .nsuspend = 1, .now = 1 };
		int ret, ret1;
		export_zone_totals_t t;
		char *v = patch_file(names[i], &o, &ret, &t);
		o.one_line = true;
		char *l = patch_file(names[i], &o, &ret1, &t);
		assert_int_equal(ret, ret1);
		if (ret == TS_OK)
			assert_string_equal(v, l);
		free(v);
		free(l);
	}
	/* the TTL-less records of ttl.zone keep their TTL in the one-line form */
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .now = 1 };
	int ret;
	export_zone_totals_t t;
	char *l = patch_file("ttl.zone", &o, &ret, &t);
	assert_int_equal(ret, TS_OK);
	assert_non_null(strstr(l, "b.example.\t60\tIN\tNS\tns.b.example.\n"));
	free(l);
}

/* Out of memory in the copying form: an error, or the same output. */
static void test_verbatim_out_of_memory(void **state)
{
	(void)state;
	put_file("tld.zone", tld);
	const char *susp[] = { "bad.example" };
	export_zone_redirect_t red[] = { { "redir.example", sink, 2 } };
	export_zone_opts_t o = { .suspend = susp, .nsuspend = 1, .redirect = red, .nredirect = 1, .now = 1 };
	each_failure("tld.zone", &o, patch_file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suspend_redirect),
		cmocka_unit_test(test_glue),
		cmocka_unit_test(test_syntax),
		cmocka_unit_test(test_serial),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_large_out_of_memory),
		cmocka_unit_test(test_verbatim),
		cmocka_unit_test(test_verbatim_fallback),
		cmocka_unit_test(test_verbatim_out_of_memory),
	};
	return cmocka_run_group_tests_name("export_zone", tests, setup, teardown);
}
