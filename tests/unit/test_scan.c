/* test_scan.c — the matching engine driven with hand-made delegation lists. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"

#include <libzscanner/scanner.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "base/input.h"
#include "base/num.h"
#include "feeds/feed.h"
#include "scan/delegset.h"
#include "scan/dgacheck.h"
#include "scan/scan.h"

static void add(scan_t *s, unsigned feed, const char *host, const char *text, unsigned long line,
                feed_threat_t t)
{
	assert_int_equal(scan_add_indicator(s, feed, host, strlen(host), text, strlen(text), line, t), TS_OK);
}

static void deleg(scan_t *s, const char *owner)
{
	scan_delegation(s, owner, strlen(owner));
}

/* Runs scan_finish into a string the caller frees. */
static char *finish(scan_t *s, scan_counts_t *c)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_non_null(fp);
	assert_int_equal(scan_finish(s, fp, c), TS_OK);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void test_new_origin(void **state)
{
	(void)state;
	scan_t *s = NULL;
	assert_int_equal(scan_new(&s, "Example."), TS_OK);
	scan_free(&s);
	assert_null(s);
	assert_int_equal(scan_new(&s, "."), TS_OK);
	scan_free(&s);
	assert_int_equal(scan_new(&s, ""), TS_OK);
	scan_free(&s);
	assert_int_equal(scan_new(&s, "a..example"), TS_EINPUT);
	assert_null(s);
	assert_int_equal(scan_new(&s, ".example"), TS_EINPUT);
	assert_int_equal(scan_new(&s, "example.."), TS_EINPUT);
	scan_free(NULL);
	scan_free(&s);
}

static void test_basic_classification(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned op, dom;
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &op), TS_OK);
	assert_int_equal(scan_feed(s, "domains", &dom), TS_OK);
	assert_int_equal(op, 0);
	assert_int_equal(dom, 1);
	add(s, op, "www.bad.example", "http://www.bad.example/login", 17, FEED_THREAT_PHISHING);
	add(s, op, "bad.example", "https://bad.example/", 3, FEED_THREAT_PHISHING);
	add(s, op, "example", "http://example/", 4, FEED_THREAT_PHISHING);            /* apex */
	add(s, op, "nowhere.example", "http://nowhere.example/", 5, FEED_THREAT_PHISHING);
	add(s, op, "other.test", "http://other.test/", 6, FEED_THREAT_PHISHING);
	add(s, op, "notexample", "notexample", 7, FEED_THREAT_PHISHING);             /* no label boundary */
	add(s, op, "example.com", "example.com", 8, FEED_THREAT_PHISHING);
	add(s, dom, "bad.example", "bad.example", 2, FEED_THREAT_SPAM);
	assert_int_equal(scan_freeze(s), TS_OK);
	deleg(s, "bad.example");
	deleg(s, "good.example");
	deleg(s, "example");        /* the apex: never a delegation */
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"https://bad.example/\",\"line\":3}\n"
		"{\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"http://www.bad.example/login\",\"line\":17}\n"
		"{\"domain\":\"bad.example\",\"threat\":\"spam\",\"feed\":\"domains\","
		"\"indicator\":\"bad.example\",\"line\":2}\n");
	assert_int_equal(c.indicators, 8);
	assert_int_equal(c.out_of_zone, 3);
	assert_int_equal(c.unregistered, 2);
	assert_int_equal(c.findings, 3);
	assert_int_equal(c.domains, 1);
	size_t n;
	const scan_finding_t *f = scan_findings(s, &n);
	assert_int_equal(n, 3);
	assert_string_equal(f[2].feed, "domains");
	assert_int_equal(f[2].feed_index, 1);
	assert_string_equal(f[0].domain, "bad.example");
	free(out);
	scan_free(&s);
}

static void test_deepest_delegation_wins(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	assert_int_equal(scan_new(&s, "example."), TS_OK);
	assert_int_equal(scan_feed(s, "domains", &f), TS_OK);
	add(s, f, "www.name.co.example", "a", 1, FEED_THREAT_MALWARE);
	add(s, f, "other.co.example", "b", 2, FEED_THREAT_MALWARE);
	add(s, f, "co.example", "c", 3, FEED_THREAT_MALWARE);
	add(s, f, "x.y.z.deep.example", "d", 4, FEED_THREAT_MALWARE);
	assert_int_equal(scan_freeze(s), TS_OK);
	/* the deeper one arrives first; order must not matter */
	deleg(s, "name.co.example");
	deleg(s, "co.example");
	deleg(s, "deep.example");
	deleg(s, "y.z.deep.example");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"co.example\",\"threat\":\"malware\",\"feed\":\"domains\",\"indicator\":\"b\",\"line\":2}\n"
		"{\"domain\":\"co.example\",\"threat\":\"malware\",\"feed\":\"domains\",\"indicator\":\"c\",\"line\":3}\n"
		"{\"domain\":\"name.co.example\",\"threat\":\"malware\",\"feed\":\"domains\",\"indicator\":\"a\",\"line\":1}\n"
		"{\"domain\":\"y.z.deep.example\",\"threat\":\"malware\",\"feed\":\"domains\",\"indicator\":\"d\",\"line\":4}\n");
	assert_int_equal(c.domains, 3);
	assert_int_equal(c.unregistered, 0);
	free(out);
	scan_free(&s);
}

static void test_case_dots_and_repeats(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	assert_int_equal(scan_new(&s, "EXAMPLE"), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &f), TS_OK);
	add(s, f, "WWW.Bad.Example.", "http://WWW.Bad.Example./", 1, FEED_THREAT_PHISHING);
	add(s, f, "mixed.example", "m", 2, FEED_THREAT_PHISHING);
	assert_int_equal(scan_freeze(s), TS_OK);
	/* NS records of one owner, many times, not contiguous, any case */
	deleg(s, "bad.example");
	deleg(s, "unrelated.example");
	deleg(s, "BAD.EXAMPLE.");
	deleg(s, "mixed.example");
	deleg(s, "bad.example");
	deleg(s, "MiXeD.eXaMpLe");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"http://WWW.Bad.Example./\",\"line\":1}\n"
		"{\"domain\":\"mixed.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"m\",\"line\":2}\n");
	assert_int_equal(c.findings, 2);
	free(out);
	scan_free(&s);
}

static void test_dedup_and_order(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned a, b;
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	assert_int_equal(scan_feed(s, "urlhaus", &a), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &b), TS_OK);
	add(s, b, "z.example", "z", 9, FEED_THREAT_PHISHING);
	add(s, a, "z.example", "z", 7, FEED_THREAT_MALWARE);
	add(s, a, "z.example", "z", 5, FEED_THREAT_MALWARE);   /* same indicator again: one finding, line 5 */
	add(s, a, "z.example", "z2", 6, FEED_THREAT_MALWARE);
	add(s, a, "a.example", "q\"\\\x01", 8, FEED_THREAT_MALWARE);
	assert_int_equal(scan_freeze(s), TS_OK);
	deleg(s, "z.example");
	deleg(s, "a.example");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"a.example\",\"threat\":\"malware\",\"feed\":\"urlhaus\",\"indicator\":\"q\\\"\\\\\\u0001\",\"line\":8}\n"
		"{\"domain\":\"z.example\",\"threat\":\"malware\",\"feed\":\"urlhaus\",\"indicator\":\"z\",\"line\":5}\n"
		"{\"domain\":\"z.example\",\"threat\":\"malware\",\"feed\":\"urlhaus\",\"indicator\":\"z2\",\"line\":6}\n"
		"{\"domain\":\"z.example\",\"threat\":\"phishing\",\"feed\":\"openphish\",\"indicator\":\"z\",\"line\":9}\n");
	assert_int_equal(c.indicators, 5);
	assert_int_equal(c.findings, 4);
	assert_int_equal(c.domains, 2);
	free(out);
	scan_free(&s);
}

static void test_root_origin(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	assert_int_equal(scan_new(&s, "."), TS_OK);
	assert_int_equal(scan_feed(s, "domains", &f), TS_OK);
	add(s, f, "www.bad.example", "x", 1, FEED_THREAT_SPAM);
	add(s, f, "tld", "y", 2, FEED_THREAT_SPAM);
	assert_int_equal(scan_freeze(s), TS_OK);
	deleg(s, "example");
	deleg(s, "tld");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"example\",\"threat\":\"spam\",\"feed\":\"domains\",\"indicator\":\"x\",\"line\":1}\n"
		"{\"domain\":\"tld\",\"threat\":\"spam\",\"feed\":\"domains\",\"indicator\":\"y\",\"line\":2}\n");
	assert_int_equal(c.out_of_zone, 0);
	free(out);
	scan_free(&s);
}

static void test_states(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	scan_counts_t c;
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	/* an unknown feed index, an empty host */
	assert_int_equal(scan_add_indicator(s, 0, "a.example", 9, "a", 1, 1, FEED_THREAT_SPAM), TS_EINPUT);
	assert_int_equal(scan_feed(s, "domains", &f), TS_OK);
	assert_int_equal(scan_add_indicator(s, f, "", 0, "a", 1, 1, FEED_THREAT_SPAM), TS_EINPUT);
	assert_int_equal(scan_add_indicator(s, f, ".", 1, "a", 1, 1, FEED_THREAT_SPAM), TS_EINPUT);
	/* before the freeze, delegations are ignored and finishing is refused */
	add(s, f, "a.example", "a", 1, FEED_THREAT_SPAM);
	deleg(s, "a.example");
	assert_int_equal(scan_finish(s, NULL, &c), TS_ESTATE);
	assert_int_equal(scan_freeze(s), TS_OK);
	assert_int_equal(scan_freeze(s), TS_ESTATE);
	assert_int_equal(scan_add_indicator(s, f, "b.example", 9, "b", 1, 2, FEED_THREAT_SPAM), TS_ESTATE);
	assert_int_equal(scan_feed(s, "more", &f), TS_ESTATE);
	assert_int_equal(scan_finish(s, NULL, &c), TS_OK);
	assert_int_equal(c.unregistered, 1);
	assert_int_equal(c.findings, 0);
	assert_int_equal(scan_finish(s, NULL, &c), TS_ESTATE);
	scan_free(&s);
}

static void test_no_candidates(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &f), TS_OK);
	add(s, f, "elsewhere.test", "e", 1, FEED_THREAT_PHISHING);
	add(s, f, "example", "apex", 2, FEED_THREAT_PHISHING);
	assert_int_equal(scan_freeze(s), TS_OK);
	deleg(s, "bad.example");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out, "");
	assert_int_equal(c.out_of_zone, 1);
	assert_int_equal(c.unregistered, 1);
	free(out);
	scan_free(&s);
}

static void test_feed_cb_and_stats(void **state)
{
	(void)state;
	const char *feed = "http://www.bad.example/x\nhttp://192.0.2.1/\njunk junk\nhttp://far.test/\n";
	scan_t *s = NULL;
	ts_input_t *in = NULL;
	feed_stats_t st;
	unsigned fi;
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &fi), TS_OK);
	assert_int_equal(ts_input_open_mem(&in, "op", feed, strlen(feed)), TS_OK);
	scan_sink_t sink = { s, fi };
	assert_int_equal(feed_read(feed_format_find("openphish", 9), in, FEED_THREAT_NONE, scan_feed_cb,
	                           &sink, &st), TS_OK);
	ts_input_close(&in);
	scan_add_feed_stats(s, &st);
	assert_int_equal(scan_freeze(s), TS_OK);
	deleg(s, "bad.example");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out, "{\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
	                         "\"indicator\":\"http://www.bad.example/x\",\"line\":1}\n");
	assert_int_equal(c.indicators, 2);
	assert_int_equal(c.ip_skipped, 1);
	assert_int_equal(c.malformed, 1);
	assert_int_equal(c.out_of_zone, 1);
	free(out);
	scan_free(&s);
}

/* ---- threads ------------------------------------------------------------ */

#define T_HOSTS 20000
#define T_THREADS 4

typedef struct targ {
	scan_t *s;
	int id;
} targ_t;

static void *thread_main(void *p)
{
	targ_t *a = p;
	char name[64];
	/* every thread sends every even delegation (many times over), and
	 * owners that are no candidate */
	for (int round = 0; round < 3; round++)
		for (int i = (a->id + round) % T_THREADS; i < T_HOSTS; i += 1) {
			int len;
			if (i % 2 == 0)
				len = snprintf(name, sizeof(name), "d%d.example", i);
			else
				len = snprintf(name, sizeof(name), "miss%d.example", i);
			scan_delegation(a->s, name, (size_t)len);
		}
	return NULL;
}

static void test_threads(void **state)
{
	(void)state;
	scan_t *s = NULL;
	unsigned f;
	char host[64];
	assert_int_equal(scan_new(&s, "example"), TS_OK);
	assert_int_equal(scan_feed(s, "domains", &f), TS_OK);
	for (int i = 0; i < T_HOSTS; i++) {
		int len = snprintf(host, sizeof(host), "www.d%d.example", i);
		assert_int_equal(scan_add_indicator(s, f, host, (size_t)len, host, (size_t)len, (unsigned long)i + 1,
		                                    FEED_THREAT_BOTNET), TS_OK);
	}
	assert_int_equal(scan_freeze(s), TS_OK);
	pthread_t th[T_THREADS];
	targ_t args[T_THREADS];
	for (int t = 0; t < T_THREADS; t++) {
		args[t] = (targ_t){ s, t };
		assert_int_equal(pthread_create(&th[t], NULL, thread_main, &args[t]), 0);
	}
	for (int t = 0; t < T_THREADS; t++)
		assert_int_equal(pthread_join(th[t], NULL), 0);
	scan_counts_t c;
	assert_int_equal(scan_finish(s, NULL, &c), TS_OK);
	assert_int_equal(c.findings, T_HOSTS / 2);
	assert_int_equal(c.domains, T_HOSTS / 2);
	assert_int_equal(c.unregistered, T_HOSTS / 2);
	size_t n;
	const scan_finding_t *fd = scan_findings(s, &n);
	assert_int_equal(n, T_HOSTS / 2);
	for (size_t i = 0; i < n; i++) {
		/* "dNNN.example": NNN is even */
		const char *dot = strchr(fd[i].domain, '.');
		uint64_t num;
		assert_non_null(dot);
		assert_int_equal(ts_parse_u64(fd[i].domain + 1, (size_t)(dot - fd[i].domain) - 1, 1000000, &num), TS_OK);
		assert_true(num % 2 == 0);
	}
	scan_free(&s);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	for (unsigned long n = 1; n < 500; n++) {
		scan_t *s = NULL;
		unsigned f;
		scan_counts_t c;
		ts_alloc_fail_at(n);
		int ret = scan_new(&s, "example");
		if (ret == TS_OK)
			ret = scan_feed(s, "domains", &f);
		for (int i = 0; i < 1500 && ret == TS_OK; i++) {
			char host[32];
			int len = snprintf(host, sizeof(host), "h.d%d.example", i);
			ret = scan_add_indicator(s, f, host, (size_t)len, host, (size_t)len, 1, FEED_THREAT_SPAM);
		}
		if (ret == TS_OK)
			ret = scan_freeze(s);
		if (ret == TS_OK) {
			deleg(s, "d7.example");
			ret = scan_finish(s, NULL, &c);
		}
		unsigned long made = ts_alloc_fail_at(0);
		scan_free(&s);
		if (ret == TS_OK && made < n) {
			assert_int_equal(c.findings, 1);
			return;
		}
		assert_int_equal(ret, TS_ENOMEM);
	}
	fail_msg("too many allocations");
}


/* ---- end to end with a zone parsed by libzscanner ------------------------ */

/* Feeds scan_delegation from a master file parsed by Knot's libzscanner:
 * the engine must not care how the zone was read. */
static void feed_zone(scan_t *s, const char *zone, const char *origin)
{
	zs_scanner_t zs;
	assert_int_equal(zs_init(&zs, origin, 1, 3600), 0);
	assert_int_equal(zs_set_input_string(&zs, zone, strlen(zone)), 0);
	while (zs_parse_record(&zs) == 0 && zs.state == ZS_STATE_DATA) {
		if (zs.r_type != 2)
			continue;
		char t[512];
		size_t k = 0;
		for (const uint8_t *p = zs.r_owner; *p != 0; p += *p + 1) {
			memcpy(t + k, p + 1, *p);
			k += *p;
			t[k++] = '.';
		}
		t[k > 0 ? k - 1 : 0] = '\0';
		if (k > 0)
			k--;
		if (strcmp(t, "example") != 0) /* below the apex only */
			scan_delegation(s, t, k);
	}
	assert_int_equal(zs.state, ZS_STATE_EOF);
	zs_deinit(&zs);
}

static void test_zone_end_to_end(void **state)
{
	(void)state;
	const char *zone =
		"$ORIGIN example.\n"
		"$TTL 3600\n"
		"@ IN SOA ns.nic hostmaster.nic 1 2 3 4 5\n"
		"  IN NS a.nic\n"
		"a.nic IN A 192.0.2.1\n"
		"Bad IN NS ns1.host.test.\n"
		"other IN NS ns1.other\n"
		"ns1.other IN A 192.0.2.2\n"
		"BAD.example. 1d IN NS ns2.host.test.\n"
		"co IN NS ns.registry.test.\n"
		"name.co ( IN\n NS ns.name.test. )\n"
		"signed IN NS ns.host.test.\n"
		"       IN DS 1 8 2 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
		"glue-only IN A 192.0.2.3\n";
	const char *op =
		"http://www.bad.example/login\n"
		"https://mail.name.co.example/x\n"
		"http://shop.co.example/\n"
		"http://glue-only.example/\n"
		"http://ns1.other.example/\n"
		"http://far.test/\n"
		"http://example/\n";
	const char *dom = "signed.example\nbad.example\nbad.example\n";
	scan_t *s = NULL;
	unsigned fo, fd;
	feed_stats_t st;
	ts_input_t *in = NULL;
	assert_int_equal(scan_new(&s, "example."), TS_OK);
	assert_int_equal(scan_feed(s, "openphish", &fo), TS_OK);
	assert_int_equal(scan_feed(s, "domains", &fd), TS_OK);
	scan_sink_t a = { s, fo }, b = { s, fd };
	assert_int_equal(ts_input_open_mem(&in, "op", op, strlen(op)), TS_OK);
	assert_int_equal(feed_read(feed_format_find("openphish", 9), in, FEED_THREAT_NONE, scan_feed_cb, &a, &st), TS_OK);
	ts_input_close(&in);
	scan_add_feed_stats(s, &st);
	assert_int_equal(ts_input_open_mem(&in, "dom", dom, strlen(dom)), TS_OK);
	assert_int_equal(feed_read(feed_format_find("domains", 7), in, FEED_THREAT_SPAM, scan_feed_cb, &b, &st), TS_OK);
	ts_input_close(&in);
	scan_add_feed_stats(s, &st);
	assert_int_equal(scan_freeze(s), TS_OK);
	feed_zone(s, zone, "example.");
	scan_counts_t c;
	char *out = finish(s, &c);
	assert_string_equal(out,
		"{\"domain\":\"bad.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"http://www.bad.example/login\",\"line\":1}\n"
		"{\"domain\":\"bad.example\",\"threat\":\"spam\",\"feed\":\"domains\",\"indicator\":\"bad.example\",\"line\":2}\n"
		"{\"domain\":\"co.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"http://shop.co.example/\",\"line\":3}\n"
		"{\"domain\":\"name.co.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"https://mail.name.co.example/x\",\"line\":2}\n"
		"{\"domain\":\"other.example\",\"threat\":\"phishing\",\"feed\":\"openphish\","
		"\"indicator\":\"http://ns1.other.example/\",\"line\":5}\n"
		"{\"domain\":\"signed.example\",\"threat\":\"spam\",\"feed\":\"domains\",\"indicator\":\"signed.example\",\"line\":1}\n");
	assert_int_equal(c.indicators, 10);
	assert_int_equal(c.out_of_zone, 1);
	assert_int_equal(c.unregistered, 2);   /* glue-only.example, the apex */
	assert_int_equal(c.findings, 6);
	assert_int_equal(c.domains, 5);
	free(out);
	scan_free(&s);
}

/* ---- differential: the engine against a brute-force reference ------------ */

static unsigned rnd_state = 2463534242u;

static unsigned rnd(unsigned n)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state % n;
}

/* A random name of 1..4 labels from a tiny alphabet (so names collide and
 * nest), sometimes in upper case, under "ex", sometimes outside it. */
static void rnd_name(char *buf, size_t cap, bool outside_ok)
{
	static const char *const labels[] = { "a", "b", "ab", "ba", "ex" };
	size_t k = 0;
	unsigned depth = 1 + rnd(4);
	for (unsigned i = 0; i < depth; i++) {
		const char *l = labels[rnd(5)];
		size_t n = strlen(l);
		memcpy(buf + k, l, n);
		if (rnd(8) == 0)
			buf[k] = (char)(buf[k] - 32);
		k += n;
		buf[k++] = '.';
	}
	const char *tail = "ex";
	if (outside_ok) {
		unsigned r = rnd(10);
		tail = r == 0 ? "xex" : r == 1 ? "ex.y" : "ex";
	}
	size_t n = strlen(tail);
	assert_true(k + n < cap);
	memcpy(buf + k, tail, n + 1);
}

static void lower_copy(char *dst, const char *src)
{
	size_t i = 0;
	for (; src[i] != '\0'; i++)
		dst[i] = (src[i] >= 'A' && src[i] <= 'Z') ? (char)(src[i] + 32) : src[i];
	dst[i] = '\0';
}

/* h is d or below it */
static bool encloses(const char *d, const char *h)
{
	size_t dn = strlen(d), hn = strlen(h);
	if (hn == dn)
		return strcmp(h, d) == 0;
	return hn > dn && h[hn - dn - 1] == '.' && strcmp(h + hn - dn, d) == 0;
}

#define D_IND 300
#define D_DEL 60

typedef struct ref_finding {
	char domain[64];
	unsigned feed;
	char text[64];
	unsigned long line;
} ref_finding_t;

static int ref_cmp(const void *pa, const void *pb)
{
	const ref_finding_t *a = pa, *b = pb;
	int c = strcmp(a->domain, b->domain);
	if (c != 0)
		return c;
	if (a->feed != b->feed)
		return a->feed < b->feed ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return strcmp(a->text, b->text);
}

static void test_differential(void **state)
{
	(void)state;
	for (int round = 0; round < 200; round++) {
		static char hosts[D_IND][64], texts[D_IND][64], dels[D_DEL][64];
		static unsigned feeds[D_IND];
		static ref_finding_t ref[D_IND];
		scan_t *s = NULL;
		unsigned f0, f1;
		assert_int_equal(scan_new(&s, "ex"), TS_OK);
		assert_int_equal(scan_feed(s, "one", &f0), TS_OK);
		assert_int_equal(scan_feed(s, "two", &f1), TS_OK);
		unsigned n_ind = 1 + rnd(D_IND), n_del = rnd(D_DEL);
		for (unsigned i = 0; i < n_ind; i++) {
			rnd_name(hosts[i], sizeof(hosts[i]), true);
			/* the text repeats now and then, to exercise deduplication */
			if (rnd(4) == 0)
				memcpy(texts[i], "same", 5);
			else
				memcpy(texts[i], hosts[i], strlen(hosts[i]) + 1);
			feeds[i] = rnd(2);
			add(s, feeds[i], hosts[i], texts[i], i + 1, FEED_THREAT_SPAM);
		}
		assert_int_equal(scan_freeze(s), TS_OK);
		for (unsigned i = 0; i < n_del; i++) {
			rnd_name(dels[i], sizeof(dels[i]), false);
			deleg(s, dels[i]);
			if (rnd(3) == 0)
				deleg(s, dels[rnd(i + 1)]); /* repeats, out of order */
		}
		deleg(s, "ex"); /* the apex is never a delegation */
		scan_counts_t c;
		assert_int_equal(scan_finish(s, NULL, &c), TS_OK);

		/* the reference: every delegation tested against every host */
		size_t nr = 0;
		uint64_t ooz = 0, unreg = 0;
		for (unsigned i = 0; i < n_ind; i++) {
			char h[64];
			lower_copy(h, hosts[i]);
			if (!encloses("ex", h)) {
				ooz++;
				continue;
			}
			const char *best = NULL;
			for (unsigned j = 0; j < n_del; j++) {
				char d[64];
				lower_copy(d, dels[j]);
				if (encloses(d, h) && (best == NULL || strlen(d) > strlen(best)))
					best = dels[j];
			}
			if (best == NULL) {
				unreg++;
				continue;
			}
			lower_copy(ref[nr].domain, best);
			ref[nr].feed = feeds[i];
			memcpy(ref[nr].text, texts[i], strlen(texts[i]) + 1);
			ref[nr].line = i + 1;
			/* keep the first line of a repeated (domain, feed, text) */
			bool dup = false;
			for (size_t k = 0; k < nr && !dup; k++)
				dup = strcmp(ref[k].domain, ref[nr].domain) == 0 && ref[k].feed == ref[nr].feed &&
				      strcmp(ref[k].text, ref[nr].text) == 0;
			if (!dup)
				nr++;
		}
		qsort(ref, nr, sizeof(ref[0]), ref_cmp);

		assert_int_equal(c.indicators, n_ind);
		assert_int_equal(c.out_of_zone, ooz);
		assert_int_equal(c.unregistered, unreg);
		size_t n;
		const scan_finding_t *fd = scan_findings(s, &n);
		assert_int_equal(n, nr);
		assert_int_equal(c.findings, nr);
		for (size_t k = 0; k < n; k++) {
			assert_string_equal(fd[k].domain, ref[k].domain);
			assert_int_equal(fd[k].feed_index, ref[k].feed);
			assert_string_equal(fd[k].indicator, ref[k].text);
			assert_int_equal(fd[k].line, ref[k].line);
		}
		scan_free(&s);
	}
}

struct gen_list {
	char names[16][64];
	int n;
};

static int keep_gen(void *user, const char *name, size_t len, int64_t day)
{
	struct gen_list *g = user;
	(void)day;
	if (g->n < 16)
		snprintf(g->names[g->n], sizeof(g->names[0]), "%.*s", (int)len, name);
	g->n++;
	return 0;
}

struct chk_list {
	char lines[16][96];
	int n;
};

static int keep_chk(void *user, const char *name, size_t len, int64_t day, bool registered)
{
	struct chk_list *c = user;
	char date[11];
	ts_date_format(day * 86400, date);
	if (c->n < 16)
		snprintf(c->lines[c->n], sizeof(c->lines[0]), "%.*s %s %d", (int)len, name, date, registered);
	c->n++;
	return 0;
}

/* scan_dga_check: the names below the zone's apex, in the malware's order, the
 * delegated ones marked; a repeated name marked at each occurrence. */
static void test_check_dga(void **state)
{
	(void)state;
	const dga_family_t *f = dga_find("locky");
	assert_non_null(f);
	dga_params_t p;
	assert_int_equal(dga_params_init(f, NULL, "example,net", 6, &p), TS_OK);
	int64_t day = 20454;   /* 2026-01-01 */
	struct gen_list g = { .n = 0 };
	assert_int_equal(dga_generate(f, &p, day, 1, keep_gen, &g), TS_OK);
	assert_int_equal(g.n, 6);
	char path[] = "/tmp/test_dga_check.XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	FILE *z = fdopen(fd, "w");
	assert_non_null(z);
	fprintf(z, "example. 300 IN SOA ns.example. h.example. 1 1 1 1 1\nexample. 300 NS ns.example.\n");
	int in_zone = 0;
	const char *first = NULL;
	for (int i = 0; i < g.n; i++) {
		size_t l = strlen(g.names[i]);
		if (l > 8 && strcmp(g.names[i] + l - 8, ".example") == 0 && first == NULL) {
			first = g.names[i];
			fprintf(z, "%s. 300 NS ns.other.net.\n", g.names[i]);
		}
	}
	assert_int_equal(fclose(z), 0);
	struct chk_list c = { .n = 0 };
	scan_dga_totals_t t;
	assert_int_equal(scan_dga_check(f, &p, day, 1, path, NULL, keep_chk, &c, &t), TS_OK);
	int k = 0;
	for (int i = 0; i < g.n; i++) {
		size_t l = strlen(g.names[i]);
		if (l <= 8 || strcmp(g.names[i] + l - 8, ".example") != 0)
			continue;
		char want[96];
		snprintf(want, sizeof(want), "%s 2026-01-01 %d", g.names[i], g.names[i] == first);
		assert_string_equal(c.lines[k], want);
		k++;
		in_zone++;
	}
	assert_int_equal(c.n, in_zone);
	assert_int_equal(t.generated, 6);
	assert_int_equal(t.in_zone, (uint64_t)in_zone);
	assert_int_equal(t.registered, 1);
	assert_string_equal(t.apex, "example");
	/* the same range twice over (two days of one 2-day period give one list) */
	c.n = 0;
	assert_int_equal(scan_dga_check(f, &p, day, 2, path, NULL, keep_chk, &c, &t), TS_OK);
	assert_true(t.generated == 6 || t.generated == 12);
	/* a file without an SOA is not a zone */
	z = fopen(path, "w");
	assert_non_null(z);
	fprintf(z, "a.example. 300 NS ns.b.\n");
	assert_int_equal(fclose(z), 0);
	assert_int_equal(scan_dga_check(f, &p, day, 1, path, NULL, keep_chk, &c, &t), TS_EINPUT);
	unlink(path);
}

/* Two threads mark the same owners at once through their own writers (an
 * owner's NS on one thread, its DS and a repeat of NS on the other), many
 * chunks per top byte: the counts are the exact distinct ones. */
struct dmark {
	delegset_t *d;
	unsigned w;
	int ret;
};

static void *dmark_main(void *arg)
{
	struct dmark *m = arg;
	char name[32];
	m->ret = TS_OK;
	for (int i = 0; i < 200000 && m->ret == TS_OK; i++) {
		int n = snprintf(name, sizeof(name), "d%d.example", i);
		uint64_t h = delegset_hash(name, (size_t)n);
		if (m->w == 0) {
			m->ret = delegset_mark(m->d, 0, h, DELEG_NS);
			if (m->ret == TS_OK)
				m->ret = delegset_mark(m->d, 0, h, DELEG_NS);
		} else {
			if (i % 3 == 0)
				m->ret = delegset_mark(m->d, 1, h, DELEG_DS);
			if (m->ret == TS_OK && i % 5 == 0)
				m->ret = delegset_mark(m->d, 1, h, DELEG_NS);
		}
	}
	return NULL;
}

static void test_delegset_threads(void **state)
{
	(void)state;
	delegset_t *d = NULL;
	assert_int_equal(delegset_new(&d, 2), TS_OK);
	struct dmark m[2] = { { d, 0, TS_OK }, { d, 1, TS_OK } };
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, dmark_main, &m[1]), 0);
	dmark_main(&m[0]);
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(m[0].ret, TS_OK);
	assert_int_equal(m[1].ret, TS_OK);
	/* DS without NS is no delegation */
	assert_int_equal(delegset_mark(d, 1, delegset_hash("orphan.example", 14), DELEG_DS), TS_OK);
	uint64_t n, ds;
	assert_int_equal(delegset_counts(d, &n, &ds), TS_OK);
	assert_int_equal(n, 200000);
	assert_int_equal(ds, 66667);
	/* counted again: the same; after more marks: those too */
	assert_int_equal(delegset_counts(d, &n, &ds), TS_OK);
	assert_int_equal(n, 200000);
	assert_int_equal(ds, 66667);
	assert_int_equal(delegset_mark(d, 0, delegset_hash("orphan.example", 14), DELEG_NS), TS_OK);
	assert_int_equal(delegset_mark(d, 0, delegset_hash("d1.example", 10), DELEG_NS | DELEG_DS), TS_OK);
	assert_int_equal(delegset_counts(d, &n, &ds), TS_OK);
	assert_int_equal(n, 200001);
	assert_int_equal(ds, 66669);
	delegset_free(&d);
	assert_null(d);
}

/* Out of memory while growing: an error, never a wrong count or a crash. */
static void test_delegset_enomem(void **state)
{
	(void)state;
	delegset_t *d = NULL;
	assert_int_equal(delegset_new(&d, 1), TS_OK);
	char name[32];
	int ret = TS_OK;
	ts_alloc_fail_at(1);
	for (int i = 0; i < 5000 && ret == TS_OK; i++) {
		int n = snprintf(name, sizeof(name), "d%d.example", i);
		ret = delegset_mark(d, 0, delegset_hash(name, (size_t)n), DELEG_NS);
	}
	ts_alloc_fail_at(0);
	assert_int_equal(ret, TS_ENOMEM);
	delegset_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_origin),
		cmocka_unit_test(test_basic_classification),
		cmocka_unit_test(test_deepest_delegation_wins),
		cmocka_unit_test(test_case_dots_and_repeats),
		cmocka_unit_test(test_dedup_and_order),
		cmocka_unit_test(test_root_origin),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_no_candidates),
		cmocka_unit_test(test_feed_cb_and_stats),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_zone_end_to_end),
		cmocka_unit_test(test_differential),
		cmocka_unit_test(test_check_dga),
		cmocka_unit_test(test_delegset_threads),
		cmocka_unit_test(test_delegset_enomem),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
