/* test_feed.c — threat names, the format table, --feed specs and every
 * reader. Run as `test_feed --dump FORMAT[:THREAT] FILE` it prints what a
 * reader delivers, for the golden tests in tests/golden/feeds/. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "feeds/feed.h"

/* ---- helpers ---------------------------------------------------------- */

/* Collects indicators as "LINE THREAT HOST TEXT\n" lines, and log lines. */
typedef struct got {
	dbuf_t out;
	dbuf_t log;
	int stop_after;  /* >0: return TS_ECHECK from the callback at this indicator */
	int count;
} got_t;

static int collect(void *user, const feed_indicator_t *ind)
{
	got_t *g = user;
	if (strlen(ind->host) != ind->host_len || strlen(ind->text) != ind->text_len)
		return TS_EINTERNAL;
	if (++g->count == g->stop_after)
		return TS_ECHECK;
	return dbuf_addf(&g->out, "%lu %s %s %s\n", ind->line, feed_threat_name(ind->threat),
	                 ind->host, ind->text);
}

static void log_to_buf(void *user, ts_log_level_t level, const char *file, unsigned long line,
                       unsigned long col, const char *msg)
{
	got_t *g = user;
	(void)level;
	(void)col;
	if (dbuf_addf(&g->log, "%s:%lu: %s\n", file != NULL ? file : "-", line, msg) != TS_OK)
		abort();
}

static int read_mem(const char *format, feed_threat_t threat, const void *data, size_t len,
                    got_t *g, feed_stats_t *st)
{
	ts_input_t *in = NULL;
	dbuf_init(&g->out, 1u << 20);
	dbuf_init(&g->log, 1u << 20);
	g->count = 0;
	ts_log_set(log_to_buf, g, TS_LOG_DEBUG);
	const feed_format_t *fmt = feed_format_find(format, strlen(format));
	assert_non_null(fmt);
	int ret = ts_input_open_mem(&in, "feed", data, len);
	assert_int_equal(ret, TS_OK);
	ret = feed_read(fmt, in, threat, collect, g, st);
	ts_input_close(&in);
	ts_log_set(NULL, NULL, TS_LOG_INFO);
	return ret;
}

static void got_free(got_t *g)
{
	dbuf_free(&g->out);
	dbuf_free(&g->log);
}

/* Reads `text` and checks the indicators delivered and the counts. */
static void check(const char *format, feed_threat_t threat, const char *text, const char *want,
                  uint64_t ind, uint64_t ip, uint64_t skipped, uint64_t malformed)
{
	got_t g = { .stop_after = 0 };
	feed_stats_t st;
	int ret = read_mem(format, threat, text, strlen(text), &g, &st);
	if (ret != TS_OK)
		fail_msg("%s: %s", format, ts_strerror(ret));
	if (strcmp(dbuf_str(&g.out), want) != 0)
		fail_msg("%s: got\n%s\nwant\n%s", format, dbuf_str(&g.out), want);
	assert_int_equal(st.indicators, ind);
	assert_int_equal(st.ip_skipped, ip);
	assert_int_equal(st.skipped, skipped);
	assert_int_equal(st.malformed, malformed);
	assert_int_equal(st.named, malformed < 10 ? malformed : 10);
	got_free(&g);
}

/* ---- names, table, specs --------------------------------------------- */

static void test_threat_names(void **state)
{
	(void)state;
	const char *names[] = { "phishing", "malware", "botnet", "pharming", "spam" };
	for (size_t i = 0; i < 5; i++) {
		feed_threat_t t;
		assert_int_equal(feed_threat_parse(names[i], strlen(names[i]), &t), TS_OK);
		assert_string_equal(feed_threat_name(t), names[i]);
	}
	feed_threat_t t;
	assert_int_equal(feed_threat_parse("none", 4, &t), TS_EINPUT);
	assert_int_equal(feed_threat_parse("Phishing", 8, &t), TS_EINPUT);
	assert_int_equal(feed_threat_parse("phish", 5, &t), TS_EINPUT);
	assert_int_equal(feed_threat_parse("", 0, &t), TS_EINPUT);
	assert_string_equal(feed_threat_name(FEED_THREAT_COUNT_), "none");
}

static void test_threatfox_mapping(void **state)
{
	(void)state;
	assert_int_equal(feed_threatfox_threat("botnet_cc", 9), FEED_THREAT_BOTNET);
	assert_int_equal(feed_threatfox_threat("payload_delivery", 16), FEED_THREAT_MALWARE);
	assert_int_equal(feed_threatfox_threat("payload", 7), FEED_THREAT_MALWARE);
	assert_int_equal(feed_threatfox_threat("cc_skimming", 11), FEED_THREAT_MALWARE);
	assert_int_equal(feed_threatfox_threat("phishing", 8), FEED_THREAT_PHISHING);
	assert_int_equal(feed_threatfox_threat("", 0), FEED_THREAT_MALWARE);
	assert_int_equal(feed_threatfox_threat("botnet_ccx", 10), FEED_THREAT_MALWARE);
}

static void test_format_table(void **state)
{
	(void)state;
	const char *want[] = { "openphish", "phishtank", "urlhaus", "threatfox", "domains", "rpz" };
	size_t i = 0;
	for (const feed_format_t *f; (f = feed_format_at(i)) != NULL; i++) {
		assert_true(i < 6);
		assert_string_equal(f->name, want[i]);
		assert_ptr_equal(feed_format_find(want[i], strlen(want[i])), f);
	}
	assert_int_equal(i, 6);
	assert_int_equal(feed_format_find("rpz", 3)->default_threat, FEED_THREAT_NONE);
	assert_null(feed_format_find("rp", 2));
	assert_null(feed_format_find("openphis", 8));
	assert_int_equal(feed_format_find("openphish", 9)->default_threat, FEED_THREAT_PHISHING);
	assert_int_equal(feed_format_find("phishtank", 9)->default_threat, FEED_THREAT_PHISHING);
	assert_int_equal(feed_format_find("urlhaus", 7)->default_threat, FEED_THREAT_MALWARE);
	assert_int_equal(feed_format_find("domains", 7)->default_threat, FEED_THREAT_NONE);
	assert_true(feed_format_find("threatfox", 9)->threat_in_records);
}

static void test_spec_parse(void **state)
{
	(void)state;
	feed_spec_t sp;
	got_t g = { .stop_after = 0 };
	dbuf_init(&g.log, 1u << 16);
	ts_log_set(log_to_buf, &g, TS_LOG_DEBUG);

	assert_int_equal(feed_spec_parse("openphish:feeds/op.txt", &sp), TS_OK);
	assert_string_equal(sp.format->name, "openphish");
	assert_string_equal(sp.path, "feeds/op.txt");
	assert_int_equal(sp.threat, FEED_THREAT_NONE);
	feed_spec_free(&sp);
	assert_null(sp.path);

	assert_int_equal(feed_spec_parse("domains:list.txt:spam", &sp), TS_OK);
	assert_string_equal(sp.path, "list.txt");
	assert_int_equal(sp.threat, FEED_THREAT_SPAM);
	feed_spec_free(&sp);

	/* a colon in the path that names no threat stays in the path */
	assert_int_equal(feed_spec_parse("urlhaus:c:/x:y.csv", &sp), TS_OK);
	assert_string_equal(sp.path, "c:/x:y.csv");
	feed_spec_free(&sp);
	assert_int_equal(feed_spec_parse("threatfox:tf.csv", &sp), TS_OK);
	feed_spec_free(&sp);

	assert_int_equal(feed_spec_parse("domains:list.txt", &sp), TS_EUSAGE);
	assert_null(sp.path);
	assert_int_equal(feed_spec_parse("rpz:x.zone:spam", &sp), TS_OK);
	feed_spec_free(&sp);
	assert_int_equal(feed_spec_parse("rpz:x.zone", &sp), TS_EUSAGE);
	assert_int_equal(feed_spec_parse("openphish", &sp), TS_EUSAGE);
	assert_int_equal(feed_spec_parse("openphish:", &sp), TS_EUSAGE);
	assert_int_equal(feed_spec_parse("openphish::malware", &sp), TS_EUSAGE);
	assert_non_null(strstr(dbuf_str(&g.log), "domains feed needs a threat"));
	assert_int_equal(feed_spec_parse("rpzx:x.zone:spam", &sp), TS_EUSAGE);
	assert_non_null(strstr(dbuf_str(&g.log), "unknown format \"rpzx\""));
	assert_non_null(strstr(dbuf_str(&g.log), "rpz feed needs a threat"));
	ts_log_set(NULL, NULL, TS_LOG_INFO);
	feed_spec_free(NULL);
	dbuf_free(&g.log);
}

/* ---- readers ---------------------------------------------------------- */

static void test_openphish(void **state)
{
	(void)state;
	check("openphish", FEED_THREAT_NONE,
	      "https://a.b.Bad.example/\r\n"
	      "\n"
	      "   \n"
	      "http://bad.example:443/a/b/c.html\n"
	      "http://198.51.100.241/x\n"
	      "not a url at all\n"
	      "  https://user@other.example/x?y=1  \n"
	      "http://[2001:db8::1]/\n"
	      "https://last.example/no-newline",
	      "1 phishing a.b.bad.example https://a.b.Bad.example/\n"
	      "4 phishing bad.example http://bad.example:443/a/b/c.html\n"
	      "7 phishing other.example https://user@other.example/x?y=1\n"
	      "9 phishing last.example https://last.example/no-newline\n",
	      4, 2, 0, 1);
	/* a given threat overrides the default */
	check("openphish", FEED_THREAT_PHARMING, "http://x.example/\n",
	      "1 pharming x.example http://x.example/\n", 1, 0, 0, 0);
}

static void test_openphish_long_line(void **state)
{
	(void)state;
	size_t n = 70000;
	char *text = malloc(n + 64);
	assert_non_null(text);
	memcpy(text, "http://a.example/\n", 18);
	memcpy(text + 18, "http://b.example/", 17);
	memset(text + 35, 'x', n);
	memcpy(text + 35 + n, "\nhttp://c.example/\n", 20);
	check("openphish", FEED_THREAT_NONE, text,
	      "1 phishing a.example http://a.example/\n"
	      "3 phishing c.example http://c.example/\n", 2, 0, 0, 1);
	free(text);
}

static void test_malformed_named_and_logged(void **state)
{
	(void)state;
	dbuf_t text;
	dbuf_init(&text, 1u << 16);
	for (int i = 1; i <= 15; i++)
		assert_int_equal(dbuf_addf(&text, "bad line %d\n", i), TS_OK);
	assert_int_equal(dbuf_adds(&text, "good.example\n"), TS_OK);
	got_t g = { .stop_after = 0 };
	feed_stats_t st;
	assert_int_equal(read_mem("openphish", FEED_THREAT_NONE, text.p, text.len, &g, &st), TS_OK);
	assert_int_equal(st.malformed, 15);
	assert_int_equal(st.named, 10);
	assert_int_equal(st.indicators, 1);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(st.first[i].line, i + 1);
		assert_string_equal(st.first[i].reason, "invalid character in host");
	}
	/* the first ten are logged with their position, no more */
	assert_non_null(strstr(dbuf_str(&g.log), "feed:1: malformed line: invalid character in host\n"));
	assert_non_null(strstr(dbuf_str(&g.log), "feed:10: malformed line"));
	assert_null(strstr(dbuf_str(&g.log), "feed:11:"));
	got_free(&g);
	dbuf_free(&text);
}

static void test_phishtank(void **state)
{
	(void)state;
	check("phishtank", FEED_THREAT_NONE,
	      "phish_id,url,phish_detail_url,submission_time,verified,verification_time,online,target\n"
	      "123,https://Login.Bank.example/x,http://www.phishtank.com/phish_detail.php?phish_id=123,"
	      "2026-11-20T10:00:00+00:00,yes,2026-11-20T10:05:00+00:00,yes,Other\n"
	      "124,\"http://q.example/a,b?c=\"\"d\"\"\",http://www.phishtank.com/x,t,yes,t,yes,\"Bank, Inc\"\n"
	      "125\n"
	      "126,\"http://unterminated.example/,x\n"
	      "127,http://198.51.100.3/,x,t,yes,t,yes,Other\n"
	      "128,http://after.example/,x,t,yes,t,yes,Other\n",
	      "2 phishing login.bank.example https://Login.Bank.example/x\n"
	      "3 phishing q.example http://q.example/a,b?c=\"d\"\n"
	      "7 phishing after.example http://after.example/\n",
	      3, 1, 0, 2);
	/* no header: the documented column order, the first line is data */
	check("phishtank", FEED_THREAT_NONE, "1,http://x.example/,d,t,yes,t,yes,o\n",
	      "1 phishing x.example http://x.example/\n", 1, 0, 0, 0);
	/* a header in another order */
	check("phishtank", FEED_THREAT_NONE, "url,phish_id\nhttp://y.example/,5\n",
	      "2 phishing y.example http://y.example/\n", 1, 0, 0, 0);
}

static void test_urlhaus(void **state)
{
	(void)state;
	check("urlhaus", FEED_THREAT_NONE,
	      "################################################################\n"
	      "# abuse.ch URLhaus Database Dump (CSV)\n"
	      "# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
	      "\"100001\",\"2026-11-13 10:43:00\",\"http://gf8tl.example/\",\"online\",\"\","
	      "\"malware_download\",\"Mozi,elf\",\"https://urlhaus.abuse.ch/url/100001/\",\"anonymous\"\n"
	      "\"100002\",\"2026-11-13 10:43:00\",\"http://192.0.2.7:8080/mozi.m\",\"online\",\"\","
	      "\"malware_download\",\"Mozi,elf\",\"https://urlhaus.abuse.ch/url/100002/\",\"anonymous\"\n"
	      "\"100003\",\"2026-11-13\"\n"
	      "\"100004\",\"2026-11-13\",\"http://x.example/\"junk,\"online\"\n"
	      "\"100005\",\"2026-11-13\",\"HTTP://Y.EXAMPLE.:80/a,b\",\"online\"\n",
	      "4 malware gf8tl.example http://gf8tl.example/\n"
	      "8 malware y.example HTTP://Y.EXAMPLE.:80/a,b\n",
	      2, 1, 0, 2);
	/* an uncommented header line is skipped */
	check("urlhaus", FEED_THREAT_BOTNET,
	      "id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n"
	      "1,2026-11-13,http://z.example/,online,,malware_download,,,\n",
	      "2 botnet z.example http://z.example/\n", 1, 0, 0, 0);
}

static void test_threatfox(void **state)
{
	(void)state;
	const char *tf =
		"################################################################\n"
		"# ThreatFox IOCs: CSV export\n"
		"# \"first_seen_utc\",\"ioc_id\",\"ioc_value\",\"ioc_type\",\"threat_type\",\"fk_malware\"\n"
		"\"2026-11-20 10:00:00\", \"1001\", \"c2.bad.example\", \"domain\", \"botnet_cc\", "
		"\"win.cobalt_strike\", \"Agentemis,BEACON\", \"Cobalt Strike\", \"\", \"100\"\n"
		"\"2026-11-20 10:00:01\", \"1002\", \"http://drop.example/a,b.exe\", \"url\", "
		"\"payload_delivery\", \"win.emotet\"\n"
		"\"2026-11-20 10:00:02\", \"1003\", \"198.51.100.9:443\", \"ip:port\", \"botnet_cc\"\n"
		"\"2026-11-20 10:00:03\", \"1004\", \"d41d8cd98f00b204e9800998ecf8427e\", \"md5_hash\", \"payload\"\n"
		"\"2026-11-20 10:00:04\", \"1005\", \"skim.example\", \"domain\", \"cc_skimming\"\n"
		"\"2026-11-20 10:00:05\", \"1006\", \"odd.example\"\n"
		"\"2026-11-20 10:00:06\", \"1007\", \"open.example\n"
		"\"2026-11-20 10:00:07\", \"1008\", \"http://[2001:db8::5]/\", \"url\", \"payload_delivery\"\n"
		"2026-11-20,1009,plain.example,domain,botnet_cc\n";
	check("threatfox", FEED_THREAT_NONE, tf,
	      "4 botnet c2.bad.example c2.bad.example\n"
	      "5 malware drop.example http://drop.example/a,b.exe\n"
	      "8 malware skim.example skim.example\n"
	      "12 botnet plain.example plain.example\n",
	      4, 2, 1, 2);
	/* a given threat overrides threat_type */
	check("threatfox", FEED_THREAT_SPAM,
	      "first_seen_utc,ioc_id,ioc_value,ioc_type,threat_type\n"
	      "t, 1, \"a.example\" , domain , botnet_cc\n",
	      "2 spam a.example a.example\n", 1, 0, 0, 0);
	check("threatfox", FEED_THREAT_NONE, "t,1,\"a.example\"x,domain,botnet_cc\n", "", 0, 0, 0, 1);
}

static void test_domains(void **state)
{
	(void)state;
	check("domains", FEED_THREAT_SPAM,
	      "\xef\xbb\xbf# plain domain list\n"
	      "Bad.Example\n"
	      "dot.example.\n"
	      "  spaced.example   # why it is listed\n"
	      "*.wild.example\n"
	      "two.example three.example\n"
	      "http://url.example/path#frag\n"
	      "192.0.2.1\n"
	      "b\xc3\xbc" "cher.example\n"
	      "\n"
	      "# end\n",
	      "2 spam bad.example Bad.Example\n"
	      "3 spam dot.example dot.example.\n"
	      "4 spam spaced.example spaced.example\n"
	      "5 spam wild.example wild.example\n"
	      "7 spam url.example http://url.example/path#frag\n"
	      "9 spam xn--bcher-kva.example b\xc3\xbc" "cher.example\n",
	      6, 1, 0, 1);
	/* duplicates are all delivered: the scan decides what they mean */
	check("domains", FEED_THREAT_SPAM, "nic.example\nnic.example\n",
	      "1 spam nic.example nic.example\n2 spam nic.example nic.example\n", 2, 0, 0, 0);
}

static void test_domains_need_threat(void **state)
{
	(void)state;
	got_t g = { .stop_after = 0 };
	feed_stats_t st;
	assert_int_equal(read_mem("domains", FEED_THREAT_NONE, "a.example\n", 10, &g, &st), TS_EUSAGE);
	assert_non_null(strstr(dbuf_str(&g.log), "needs a threat"));
	assert_int_equal(g.count, 0);
	got_free(&g);
}

static void test_gzip_feed(void **state)
{
	(void)state;
	const char *plain = "# list\ngz.example\nhttp://gz2.example/\n";
	unsigned char gz[256];
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (unsigned char *)(uintptr_t)plain;
	z.avail_in = (unsigned)strlen(plain);
	z.next_out = gz;
	z.avail_out = sizeof(gz);
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	size_t gz_len = sizeof(gz) - z.avail_out;
	deflateEnd(&z);

	got_t g = { .stop_after = 0 };
	feed_stats_t st;
	assert_int_equal(read_mem("domains", FEED_THREAT_MALWARE, gz, gz_len, &g, &st), TS_OK);
	assert_string_equal(dbuf_str(&g.out), "2 malware gz.example gz.example\n"
	                                      "3 malware gz2.example http://gz2.example/\n");
	got_free(&g);

	/* a corrupt stream is an error, not a malformed line */
	gz[gz_len / 2] ^= 0x5a;
	gz[gz_len / 2 + 1] ^= 0xa5;
	int ret = read_mem("domains", FEED_THREAT_MALWARE, gz, gz_len - 4, &g, &st);
	assert_int_equal(ret, TS_EINPUT);
	got_free(&g);
}

static void test_missing_file(void **state)
{
	(void)state;
	got_t g = { .stop_after = 0 };
	feed_stats_t st;
	dbuf_init(&g.log, 1u << 16);
	ts_log_set(log_to_buf, &g, TS_LOG_DEBUG);
	int ret = feed_read_file(feed_format_find("openphish", 9), "tests/no/such/feed.txt",
	                         FEED_THREAT_NONE, collect, &g, &st);
	ts_log_set(NULL, NULL, TS_LOG_INFO);
	assert_int_equal(ret, TS_EINPUT);
	assert_non_null(strstr(dbuf_str(&g.log), "tests/no/such/feed.txt: cannot open"));
	assert_int_equal(st.indicators, 0);
	dbuf_free(&g.log);
}

static void test_callback_stops(void **state)
{
	(void)state;
	const char *text = "a.example\nb.example\nc.example\n";
	const char *fmts[] = { "openphish", "domains", "threatfox", "phishtank", "urlhaus" };
	const char *texts[] = {
		text, text,
		"t,1,a.example,domain,x\nt,2,b.example,domain,x\nt,3,c.example,domain,x\n",
		"1,a.example\n2,b.example\n3,c.example\n",
		"1,t,a.example\n2,t,b.example\n3,t,c.example\n",
	};
	for (size_t i = 0; i < 5; i++) {
		got_t g = { .stop_after = 2 };
		feed_stats_t st;
		int ret = read_mem(fmts[i], FEED_THREAT_SPAM, texts[i], strlen(texts[i]), &g, &st);
		assert_int_equal(ret, TS_ECHECK);
		assert_int_equal(g.count, 2);
		got_free(&g);
	}
}

/* Every allocation of every reader may fail: the result is TS_ENOMEM or
 * success, never a crash or a leak (the sanitizer build checks leaks). */
static void test_out_of_memory(void **state)
{
	(void)state;
	const char *fmts[] = { "openphish", "domains", "threatfox", "phishtank", "urlhaus" };
	const char *texts[] = {
		"http://b\xc3\xbc" "cher.example/\nhttp://x.example/\n",
		"a.example\nb\xc3\xbc" "cher.example\n",
		"t,1,a.example,domain,x\n",
		"phish_id,url\n1,http://a.example/\n",
		"# c\n1,t,http://a.example/\n",
	};
	for (size_t i = 0; i < 5; i++) {
		for (unsigned long n = 1; n < 200; n++) {
			got_t g = { .stop_after = 0 };
			feed_stats_t st;
			ts_input_t *in = NULL;
			const feed_format_t *fmt = feed_format_find(fmts[i], strlen(fmts[i]));
			dbuf_init(&g.out, 1u << 16);
			dbuf_init(&g.log, 1u << 16);
			ts_log_set(log_to_buf, &g, TS_LOG_DEBUG);
			ts_alloc_fail_at(n);
			int ret = ts_input_open_mem(&in, "feed", texts[i], strlen(texts[i]));
			if (ret == TS_OK)
				ret = feed_read(fmt, in, FEED_THREAT_SPAM, collect, &g, &st);
			unsigned long made = ts_alloc_fail_at(0);
			ts_input_close(&in);
			ts_log_set(NULL, NULL, TS_LOG_INFO);
			got_free(&g);
			if (ret == TS_OK && made < n)
				break; /* every allocation point was failed once */
			assert_int_equal(ret, TS_ENOMEM);
		}
	}
}

/* A reader built outside the table on the sink functions, as a new format
 * (the planned RPZ reader) is: counts and reductions come for free. */
static void test_sink_for_new_readers(void **state)
{
	(void)state;
	feed_stats_t st;
	memset(&st, 0, sizeof(st));
	got_t g = { .stop_after = 0 };
	dbuf_init(&g.out, 1u << 16);
	dbuf_init(&g.log, 1u << 16);
	ts_log_set(log_to_buf, &g, TS_LOG_DEBUG);
	feed_sink_t *sink = malloc(sizeof(*sink));
	assert_non_null(sink);
	sink->name = "policy.rpz";
	sink->cb = collect;
	sink->user = &g;
	sink->stats = &st;
	assert_int_equal(feed_sink_indicator(sink, " Bad.Example. ", 14, 7, FEED_THREAT_PHARMING), TS_OK);
	assert_int_equal(feed_sink_indicator(sink, "192.0.2.1", 9, 8, FEED_THREAT_PHARMING), TS_OK);
	assert_int_equal(feed_sink_indicator(sink, "a..b", 4, 9, FEED_THREAT_PHARMING), TS_OK);
	feed_sink_malformed(sink, 10, "unsupported trigger");
	ts_log_set(NULL, NULL, TS_LOG_INFO);
	assert_string_equal(dbuf_str(&g.out), "7 pharming bad.example Bad.Example.\n");
	assert_int_equal(st.indicators, 1);
	assert_int_equal(st.ip_skipped, 1);
	assert_int_equal(st.malformed, 2);
	assert_int_equal(st.first[1].line, 10);
	assert_string_equal(st.first[1].reason, "unsupported trigger");
	assert_non_null(strstr(dbuf_str(&g.log), "policy.rpz:9: malformed line: empty label in host"));
	free(sink);
	got_free(&g);
}

/* ---- dump mode for the golden tests ---------------------------------- */

static int dump_cb(void *user, const feed_indicator_t *ind)
{
	dbuf_t *b = user;
	dbuf_reset(b);
	int ret = dbuf_addf(b, "%lu\t%s\t%s\t\"", ind->line, feed_threat_name(ind->threat), ind->host);
	if (ret == TS_OK)
		ret = dbuf_add_json_str(b, ind->text, ind->text_len);
	if (ret == TS_OK)
		ret = dbuf_adds(b, "\"\n");
	if (ret == TS_OK)
		fputs(dbuf_str(b), stdout);
	return ret;
}

static void dump_log(void *user, ts_log_level_t level, const char *file, unsigned long line,
                     unsigned long col, const char *msg)
{
	(void)user;
	(void)level;
	(void)col;
	printf("log\t%s:%lu\t%s\n", file != NULL ? file : "-", line, msg);
}

static int dump(const char *spec, const char *path)
{
	const char *colon = strchr(spec, ':');
	size_t flen = colon != NULL ? (size_t)(colon - spec) : strlen(spec);
	const feed_format_t *fmt = feed_format_find(spec, flen);
	feed_threat_t threat = FEED_THREAT_NONE;
	if (fmt == NULL || (colon != NULL && feed_threat_parse(colon + 1, strlen(colon + 1), &threat) != TS_OK)) {
		fprintf(stderr, "test_feed --dump: bad format %s\n", spec);
		return 2;
	}
	dbuf_t b;
	feed_stats_t st;
	dbuf_init(&b, 1u << 20);
	ts_log_set(dump_log, NULL, TS_LOG_DEBUG);
	int ret = feed_read_file(fmt, path, threat, dump_cb, &b, &st);
	dbuf_free(&b);
	printf("result\t%s\n", ret == TS_OK ? "ok" : ts_strerror(ret));
	printf("indicators\t%llu\nip_skipped\t%llu\nskipped\t%llu\nmalformed\t%llu\n",
	       (unsigned long long)st.indicators, (unsigned long long)st.ip_skipped,
	       (unsigned long long)st.skipped, (unsigned long long)st.malformed);
	for (size_t i = 0; i < st.named; i++)
		printf("malformed_line\t%lu\t%s\n", st.first[i].line, st.first[i].reason);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "--dump") == 0)
		return dump(argv[2], argv[3]);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_threat_names),
		cmocka_unit_test(test_threatfox_mapping),
		cmocka_unit_test(test_format_table),
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_openphish),
		cmocka_unit_test(test_openphish_long_line),
		cmocka_unit_test(test_malformed_named_and_logged),
		cmocka_unit_test(test_phishtank),
		cmocka_unit_test(test_urlhaus),
		cmocka_unit_test(test_threatfox),
		cmocka_unit_test(test_domains),
		cmocka_unit_test(test_domains_need_threat),
		cmocka_unit_test(test_gzip_feed),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_sink_for_new_readers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
