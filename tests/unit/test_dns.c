/* test_dns.c — names, the master-file scanner (every syntax feature, every
 * error with its position, $INCLUDE, gzip, block boundaries, threads, out of
 * memory) and the zone statistics accumulator. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "unit.h"
#include "gzbytes.h"
#include "logcap.h"

#include "base/alloc.h"
#include "base/buf.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "dns/zonestats.h"

/* ---- names ---- */

static void name_ok(const char *in, const char *origin, const char *want, unsigned wire)
{
	name_t o, n;
	const char *why;
	size_t at;
	name_root(&o);
	if (origin != NULL)
		assert_int_equal(name_from_text(origin, strlen(origin), NULL, &o, &why, &at), TS_OK);
	assert_int_equal(name_from_text(in, strlen(in), &o, &n, &why, &at), TS_OK);
	assert_string_equal(n.text, want);
	assert_int_equal(n.len, strlen(want));
	if (wire != 0)
		assert_int_equal(n.wire, wire);
	assert_int_equal(n.labels, name_label_count(n.text, n.len));
}

static void name_bad(const char *in, size_t want_at, const char *why_part)
{
	name_t n;
	const char *why;
	size_t at;
	assert_int_equal(name_from_text(in, strlen(in), NULL, &n, &why, &at), TS_ESYNTAX);
	assert_int_equal(at, want_at);
	assert_non_null(strstr(why, why_part));
}

static void test_names(void **state)
{
	(void)state;
	name_ok("Example.COM.", NULL, "example.com", 13);
	name_ok("www", "example.com.", "www.example.com", 17);
	name_ok("@", "example.com.", "example.com", 13);
	name_ok(".", "example.com.", "", 1);
	name_ok("a\\.b.c.", NULL, "a\\046b.c", 7);
	name_ok("\\065\\066.", NULL, "ab", 4);
	name_ok("a\\ b.", NULL, "a\\032b", 5);
	name_ok("*.x.", NULL, "*.x", 5);
	name_ok("_dmarc.x.", NULL, "_dmarc.x", 10);
	name_ok("\\200x.", NULL, "\\200x", 4);
	name_ok("a\\\\b.", NULL, "a\\092b", 5);
	/* 63-octet label is fine, 64 is not */
	char l63[80], l64[80];
	memset(l63, 'a', 63);
	l63[63] = '.';
	l63[64] = '\0';
	memset(l64, 'a', 64);
	l64[64] = '\0';
	name_ok(l63, NULL, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 65);
	name_bad(l64, 63, "longer than 63");
	/* 255 octets in wire form is the limit */
	char big[400];
	size_t n = 0;
	for (int i = 0; i < 4; i++) {
		memset(big + n, 'b', 63);
		n += 63;
		big[n++] = '.';
	}
	big[n] = '\0';  /* 4 x 64 + 1 = 257 octets */
	name_t out;
	const char *why;
	size_t at;
	assert_int_equal(name_from_text(big, n, NULL, &out, &why, &at), TS_ESYNTAX);
	assert_non_null(strstr(why, "255"));
	assert_int_equal(name_from_text(big + 2, n - 2, NULL, &out, &why, &at), TS_OK);
	assert_int_equal(out.wire, 255);
	name_bad("a..b", 2, "empty label");
	name_bad(".a", 0, "empty label");
	name_bad("a\\", 1, "backslash");
	name_bad("a\\12", 1, "three digits");
	name_bad("a\\256", 1, "above 255");
	name_bad("", 0, "empty name");
	/* relative name too long once the origin is appended */
	name_t o;
	assert_int_equal(name_from_text(big + 2, n - 2, NULL, &o, &why, &at), TS_OK);
	assert_int_equal(name_from_text("x", 1, &o, &out, &why, &at), TS_ESYNTAX);
}

static void test_name_wire_and_relations(void **state)
{
	(void)state;
	name_t n;
	size_t used;
	const uint8_t w[] = { 3, 'N', 's', '1', 1, '.', 2, 'c', 'o', 0 };
	assert_int_equal(name_from_wire(w, sizeof(w), &n, &used), TS_OK);
	assert_string_equal(n.text, "ns1.\\046.co");
	assert_int_equal(used, sizeof(w));
	const uint8_t root[] = { 0 };
	assert_int_equal(name_from_wire(root, 1, &n, &used), TS_OK);
	assert_string_equal(n.text, "");
	const uint8_t trunc[] = { 3, 'a', 'b' };
	assert_int_equal(name_from_wire(trunc, sizeof(trunc), &n, &used), TS_ESYNTAX);
	const uint8_t ptr[] = { 0xc0, 12 };
	assert_int_equal(name_from_wire(ptr, sizeof(ptr), &n, &used), TS_ESYNTAX);

	assert_true(name_is_at_or_below("a.b.c", 5, "b.c", 3));
	assert_true(name_is_at_or_below("b.c", 3, "b.c", 3));
	assert_true(name_is_at_or_below("b.c", 3, "", 0));
	assert_false(name_is_at_or_below("ab.c", 4, "b.c", 3));
	assert_false(name_is_at_or_below("c", 1, "b.c", 3));
	assert_false(name_is_at_or_below("a\\046b.c", 8, "b.c", 3));
	size_t plen;
	const char *p = name_parent("a.b.c", 5, &plen);
	assert_int_equal(plen, 3);
	assert_memory_equal(p, "b.c", 3);
	p = name_parent("c", 1, &plen);
	assert_non_null(p);
	assert_int_equal(plen, 0);
	assert_null(name_parent("", 0, &plen));
	assert_int_equal(name_label_count("", 0), 0);
	assert_int_equal(name_label_count("a.b.c", 5), 3);
}

/* ---- the scanner ---- */

static int collect(void *user, const zone_rr_t *rr)
{
	dbuf_t *b = user;
	char tb[16];
	int ret = dbuf_addf(b, "%s %u %s %u %s:%lu", rr->owner, (unsigned)rr->ttl,
	                    zone_type_name(rr->type, tb), (unsigned)rr->rclass,
	                    strrchr(rr->file, '/') ? strrchr(rr->file, '/') + 1 : rr->file, rr->line);
	if (ret == TS_OK && rr->decoded) {
		switch (rr->type) {
		case ZONE_T_NS:
			ret = dbuf_addf(b, " ns=%s", rr->rd.ns.name);
			break;
		case ZONE_T_DS:
			ret = dbuf_addf(b, " ds=%u/%u/%u/", rr->rd.ds.key_tag, rr->rd.ds.algorithm,
			                rr->rd.ds.digest_type);
			for (size_t i = 0; i < rr->rd.ds.digest_len && ret == TS_OK; i++)
				ret = dbuf_addf(b, "%02x", rr->rd.ds.digest[i]);
			break;
		case ZONE_T_SOA:
			ret = dbuf_addf(b, " soa=%s/%s/%u/%u/%u/%u/%u", rr->rd.soa.mname, rr->rd.soa.rname,
			                rr->rd.soa.serial, rr->rd.soa.refresh, rr->rd.soa.retry,
			                rr->rd.soa.expire, rr->rd.soa.minimum);
			break;
		case ZONE_T_RRSIG:
			ret = dbuf_addf(b, " sig=%u/%u/%u/%u", rr->rd.rrsig.type_covered,
			                rr->rd.rrsig.algorithm, rr->rd.rrsig.expiration, rr->rd.rrsig.key_tag);
			break;
		case ZONE_T_A:
		case ZONE_T_AAAA:
			ret = dbuf_addf(b, " addr=%zu:%u.%u", rr->rd.addr.len, rr->rd.addr.bytes[0],
			                rr->rd.addr.bytes[rr->rd.addr.len - 1]);
			break;
		default:
			break;
		}
	}
	if (ret == TS_OK)
		ret = dbuf_addc(b, '\n');
	return ret;
}

static int scan_text(const char *text, const char *origin, unsigned threads, dbuf_t *out)
{
	zone_opts_t o = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_ALL,
	                  .threads = threads };
	dbuf_reset(out);
	return zone_scan_mem("t.zone", text, strlen(text), &o, collect, out, NULL);
}

static void expect_records(const char *text, const char *origin, const char *want)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 26);
	int ret = scan_text(text, origin, 1, &b);
	if (ret != TS_OK)
		fail_msg("scan failed (%d): %s:%lu:%lu: %s", ret, logged.file, logged.line, logged.col, logged.msg);
	assert_string_equal(dbuf_str(&b), want);
	dbuf_free(&b);
}

static void expect_error(const char *text, int code, unsigned long line, unsigned long col,
                         const char *msg_part)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	logged.count = 0;
	int ret = scan_text(text, "ex.", 1, &b);
	if (ret != code || logged.line != line || logged.col != col || strstr(logged.msg, msg_part) == NULL)
		fail_msg("for %s: got %d at %lu:%lu '%s', wanted %d at %lu:%lu '%s'", text, ret,
		         logged.line, logged.col, logged.msg, code, line, col, msg_part);
	assert_string_equal(logged.file, "t.zone");
	dbuf_free(&b);
}

static void test_scan_syntax(void **state)
{
	(void)state;
	/* origin, $TTL, @, relative names, blank owner, TTL units, class and TTL
	 * in either order, parentheses across lines, comments, case */
	expect_records(
		"; a comment line\n"
		"$ORIGIN Ex.\n"
		"$TTL 1h\n"
		"@ IN SOA ns1 host\\.master.ex. ( 2026010101 ; serial\n"
		"   1d 2h 1w 5m )\n"
		"\n"
		"  \t ; an indented comment\n"
		"a 1d2h IN NS ns1.a\n"
		"  IN 30 NS ns2.other.net. ; blank owner\n"
		"B.EX. in ns NS.Other.Net.\n"
		"c CLASS1 TYPE2 \\# 3 0163 00\n"
		"c ( DS 12345\n"
		"     8 2\n"
		"     ABCDEF ; split digest\n"
		"     0123 )\n"
		"d TXT \"a;b (c\" \"\\\"\" ; quoted\n"
		"d TYPE65000 \\# 2 abcd\n"
		"d A 192.0.2.1\n"
		"d AAAA 2001:db8::1\n"
		"d RRSIG NS 13 2 3600 20260102030405 20251201000000 4711 ex. bGFsbA==\n"
		"d CH TXT x\n"
		"e\\.f MX 10 @\n"
		"$ORIGIN sub\n"
		"g NS h\n",
		NULL,
		"ex 3600 SOA 1 t.zone:4 soa=ns1.ex/host\\046master.ex/2026010101/86400/7200/604800/300\n"
		"a.ex 93600 NS 1 t.zone:8 ns=ns1.a.ex\n"
		"a.ex 30 NS 1 t.zone:9 ns=ns2.other.net\n"
		"b.ex 3600 NS 1 t.zone:10 ns=ns.other.net\n"
		"c.ex 3600 NS 1 t.zone:11 ns=c\n"
		"c.ex 3600 DS 1 t.zone:12 ds=12345/8/2/abcdef0123\n"
		"d.ex 3600 TXT 1 t.zone:16\n"
		"d.ex 3600 TYPE65000 1 t.zone:17\n"
		"d.ex 3600 A 1 t.zone:18 addr=4:192.1\n"
		"d.ex 3600 AAAA 1 t.zone:19 addr=16:32.1\n"
		"d.ex 3600 RRSIG 1 t.zone:20 sig=2/13/1767323045/4711\n"
		"d.ex 3600 TXT 3 t.zone:21\n"
		"e\\046f.ex 3600 MX 1 t.zone:22\n"
		"g.sub.ex 3600 NS 1 t.zone:24 ns=h.sub.ex\n");
	/* without $TTL: the last stated TTL, then the default */
	expect_records("a NS b\nc 20 NS d\ne NS f\n", "x.",
	               "a.x 3600 NS 1 t.zone:1 ns=b.x\nc.x 20 NS 1 t.zone:2 ns=d.x\ne.x 20 NS 1 t.zone:3 ns=f.x\n");
	/* CRLF line ends, a last line without a line end, DS algorithm mnemonic */
	expect_records("a NS b.\r\nc DS 1 RSASHA256 2 ab", "x.",
	               "a.x 3600 NS 1 t.zone:1 ns=b\nc.x 3600 DS 1 t.zone:2 ds=1/8/2/ab\n");
	/* RFC 3597 RDATA of decoded types */
	expect_records("a TYPE43 \\# 6 0102 0802 ab cd\nb A \\# 4 c0000201\n", "x.",
	               "a.x 3600 DS 1 t.zone:1 ds=258/8/2/abcd\nb.x 3600 A 1 t.zone:2 addr=4:192.1\n");
	/* RRSIG with numeric times */
	expect_records("a RRSIG A 8 2 60 1767323045 1767000000 1 a.\n", "x.",
	               "a.x 3600 RRSIG 1 t.zone:1 sig=1/8/1767323045/1\n");
	/* an empty zone, a zone of comments */
	expect_records("", NULL, "");
	expect_records("; only\n\n   \n", NULL, "");
}

/* The fast path's event reader (AVX-512, AVX2 or SSE2, whichever the
 * machine has; TLDSEC_ZONE_SIMD keeps it to less): words across 64-byte
 * chunks, TTLs of 1 to 10 digits, records of more than 8 and 16 words,
 * comments inside parentheses (more than the fast path keeps), a blank
 * owner, records longer than the fast path takes, lines of many words;
 * names of 62 to 67 bytes; the same records at
 * every level, each checked against what the generator wrote. */
static void test_scan_fast_path(void **state)
{
	(void)state;
	static const char *pads[] = { " ", "\t", "  \t", "      ", "\t\t\t", " \t " };
	static const struct { const char *text; unsigned value; } ttls[] = {
		{ "0", 0 }, { "00000300", 300 }, { "99999999", 99999999 }, { "123456789", 123456789 },
		{ "7", 7 }, { "1d", 86400 }, { "4294967295", 4294967295u }, { "2W", 1209600 },
		{ "1h1M", 3660 }, { "12345678", 12345678 },
	};
	dbuf_t text, want, got;
	dbuf_init(&text, 1u << 26);
	dbuf_init(&want, 1u << 26);
	dbuf_init(&got, 1u << 26);
	static const char longl[] = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_AbCdEfGhIjKlMnOpQrStUvWxY";
	static const char longl_lc[] = "abcdefghijklmnopqrstuvwxyz0123456789-_abcdefghijklmnopqrstuvwxy";
	char owner[128] = "";
	char longc[5001];
	memset(longc, 'c', sizeof(longc) - 1);
	longc[sizeof(longc) - 1] = '\0';
	unsigned long line = 1;
	for (unsigned i = 0; i < 3000; i++) {
		const char *p1 = pads[i % 6], *p2 = pads[(i / 6) % 6];
		char ttl[16];
		unsigned tv;
		if (i % 3 == 0) {
			tv = ttls[(i / 3) % 10].value;
			snprintf(ttl, sizeof(ttl), "%s", ttls[(i / 3) % 10].text);
		} else {
			tv = (i * 7919u) % (i % 2 ? 100000000u : 1000u);
			snprintf(ttl, sizeof(ttl), "%u", tv);
		}
		int ret = TS_OK;
		unsigned long lines = 1;
		switch (i % 7) {
		case 0:
			/* a label of 63 bytes in front of some: names of 62 to 67 bytes */
			ret = dbuf_addf(&text, "%.*s%sN%u%s%s%sIN%sNS%sns%u.X.\n", i % 4 == 0 ? 58 + (int)(i % 6) : 0,
			                longl, i % 4 == 0 ? "." : "", i, p1, ttl, p2, p1, p2, i);
			snprintf(owner, sizeof(owner), "%.*s%sn%u.ex", i % 4 == 0 ? 58 + (int)(i % 6) : 0, longl_lc,
			         i % 4 == 0 ? "." : "", i);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "%s %u NS 1 t.zone:%lu ns=ns%u.x\n", owner, tv, line, i);
			break;
		case 1:
			/* a blank owner: the previous record's */
			ret = dbuf_addf(&text, "%s%s%sin%sns%s( ns%u.y. )\n", p1, ttl, p2, p1, p2, i);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "%s %u NS 1 t.zone:%lu ns=ns%u.y\n", owner, tv, line, i);
			break;
		case 2:
			ret = dbuf_addf(&text, "n%u%s%s IN NS ( ns%u.z. ; one\n%s) ; two\n", i, p1, ttl, i, p2);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "n%u.ex %u NS 1 t.zone:%lu ns=ns%u.z\n", i, tv, line, i);
			lines = 2;
			break;
		case 3:
			/* 16 words */
			ret = dbuf_addf(&text, "n%u%s%s%sDS %u 8 2 ab cd ef 01 23 45 67 89 ab CD\n", i, p1, ttl, p2,
			                i);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "n%u.ex %u DS 1 t.zone:%lu ds=%u/8/2/abcdef0123456789abcd\n", i,
				                tv, line, i);
			break;
		case 4:
			/* 17 words: more than the fast path keeps with comments */
			ret = dbuf_addf(&text, "n%u %s DS ( %u 8 2 ; x\n ab cd ef 01 23 45 67 89 ab cd ef )\n", i,
			                ttl, i);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "n%u.ex %u DS 1 t.zone:%lu ds=%u/8/2/abcdef0123456789abcdef\n", i,
				                tv, line, i);
			lines = 2;
			break;
		case 5:
			/* five comments */
			ret = dbuf_addf(&text, "n%u %s DS ( %u ; a\n 8 ; b\n 2 ; c\n abcd ; d\n ef ) ; e\n", i, ttl,
			                i);
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "n%u.ex %u DS 1 t.zone:%lu ds=%u/8/2/abcdef\n", i, tv, line, i);
			lines = 5;
			break;
		default:
			/* longer than the fast path takes */
			ret = dbuf_addf(&text, "n%u %s NS ( ns%u.w. ; %s\n )\n", i, ttl, i, i % 14 == 6 ? longc : "");
			if (ret == TS_OK)
				ret = dbuf_addf(&want, "n%u.ex %u NS 1 t.zone:%lu ns=ns%u.w\n", i, tv, line, i);
			lines = 2;
			break;
		}
		assert_int_equal(ret, TS_OK);
		line += lines;
	}
	/* long lines: more words than structure read ahead */
	for (unsigned i = 0; i < 150; i++, line++) {
		assert_int_equal(dbuf_addf(&text, "t%u 60 TXT", i), TS_OK);
		for (unsigned k = 0; k < 30 + i % 40; k++)
			assert_int_equal(dbuf_addf(&text, " w%u", k), TS_OK);
		assert_int_equal(dbuf_addf(&text, "\n"), TS_OK);
		assert_int_equal(dbuf_addf(&want, "t%u.ex 60 TXT 1 t.zone:%lu\n", i, line), TS_OK);
	}
	static const char *levels[] = { "sse2", "avx2", NULL };
	for (unsigned k = 0; k < 3; k++) {
		if (levels[k] != NULL)
			assert_int_equal(setenv("TLDSEC_ZONE_SIMD", levels[k], 1), 0);
		else
			assert_int_equal(unsetenv("TLDSEC_ZONE_SIMD"), 0);
		for (unsigned threads = 1; threads <= 2; threads++) {
			int ret = scan_text(dbuf_str(&text), "ex.", threads, &got);
			if (ret != TS_OK)
				fail_msg("%s: scan failed (%d): %s:%lu:%lu: %s", levels[k] ? levels[k] : "best", ret,
				         logged.file, logged.line, logged.col, logged.msg);
			assert_string_equal(dbuf_str(&got), dbuf_str(&want));
		}
	}
	dbuf_free(&text);
	dbuf_free(&want);
	dbuf_free(&got);
}

static void test_scan_errors(void **state)
{
	(void)state;
	expect_error("a NS b\n$GENERATE 1-2 x A 1.2.3.4\n", TS_ESYNTAX, 2, 1, "unknown directive");
	expect_error("a NS b\nc 1x NS d\n", TS_ESYNTAX, 2, 3, "bad TTL");
	expect_error("a NS b\nc IN FOO d\n", TS_ESYNTAX, 2, 6, "unknown record type");
	expect_error("a NS b\nc DS ( 1 8 2\n ab\n", TS_ESYNTAX, 2, 6, "unterminated parenthesis");
	expect_error("a NS b\nc DS ( 1 8 ( 2\n", TS_ESYNTAX, 2, 12, "nested parenthesis");
	expect_error("a NS b )\n", TS_ESYNTAX, 1, 8, "')' without '('");
	expect_error("a TXT \"abc\n", TS_ESYNTAX, 1, 11, "line end inside a quoted string");
	expect_error("a TXT \"abc", TS_ESYNTAX, 1, 7, "unterminated quoted string");
	expect_error(" NS b\n", TS_ESYNTAX, 1, 1, "no previous owner");
	expect_error("a NS b c\n", TS_ESYNTAX, 1, 8, "unexpected data");
	expect_error("a NS\n", TS_ESYNTAX, 1, 5, "RDATA expected");
	expect_error("a A 1.2.3\n", TS_ESYNTAX, 1, 5, "bad IPv4 address");
	expect_error("a DS 1 8 2 abc\n", TS_ESYNTAX, 1, 12, "odd number");
	expect_error("a DS 1 8 2 abzz\n", TS_ESYNTAX, 1, 14, "bad hexadecimal");
	expect_error("a DS 70000 8 2 ab\n", TS_ESYNTAX, 1, 6, "key tag");
	expect_error("a..b NS c\n", TS_ESYNTAX, 1, 3, "empty label");
	expect_error("a NS b\\\n", TS_ESYNTAX, 1, 7, "backslash");
	expect_error("a TYPE2 \\# 3 0162\n", TS_ESYNTAX, 1, 9, "RDATA length 3");
	expect_error("a NS \\# 2 0162\n", TS_ESYNTAX, 1, 6, "malformed NS");
	expect_error("a 1 2 NS b\n", TS_ESYNTAX, 1, 5, "bad TTL");
	expect_error("\"a\" NS b\n", TS_ESYNTAX, 1, 1, "quoted");
	expect_error("$TTL\n", TS_ESYNTAX, 1, 5, "TTL expected");
	expect_error("$ORIGIN a..b.\n", TS_ESYNTAX, 1, 11, "empty label");
	/* binary data: a NUL byte, in a record or in a comment */
	static const char bin[] = "a NS b\nc NS \0d\n";
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	zone_opts_t o = { .default_ttl = 1 };
	assert_int_equal(zone_scan_mem("t.zone", bin, sizeof(bin) - 1, &o, collect, &b, NULL), TS_EINPUT);
	assert_int_equal(logged.line, 2);
	assert_int_equal(logged.col, 6);
	assert_non_null(strstr(logged.msg, "binary"));
	static const char bin2[] = "a NS b ; \0\n";
	assert_int_equal(zone_scan_mem("t.zone", bin2, sizeof(bin2) - 1, &o, collect, &b, NULL), TS_EINPUT);
	/* a missing file */
	assert_int_equal(zone_scan_file("/nonexistent/zone.db", NULL, collect, &b, NULL), TS_EINPUT);
	assert_non_null(strstr(logged.msg, "cannot open"));
	dbuf_free(&b);
}

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int scan_tmp(const char *name, zone_opts_t *o, dbuf_t *b)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	dbuf_reset(b);
	return zone_scan_file(path, o, collect, b, NULL);
}

static void test_scan_include(void **state)
{
	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/tldsec-dns-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	write_file("main.zone", "$ORIGIN ex.\na NS b\n$INCLUDE inc.zone sub.ex.\nc NS d\n  NS e\n");
	write_file("inc.zone", "x NS y\n$ORIGIN deeper.ex.\nz NS w\n");
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	zone_opts_t o = { .default_ttl = 5, .decode = ZONE_DEC_NS };
	assert_int_equal(scan_tmp("main.zone", &o, &b), TS_OK);
	assert_string_equal(dbuf_str(&b),
	                    "a.ex 5 NS 1 main.zone:2 ns=b.ex\n"
	                    "x.sub.ex 5 NS 1 inc.zone:1 ns=y.sub.ex\n"
	                    "z.deeper.ex 5 NS 1 inc.zone:3 ns=w.deeper.ex\n"
	                    "c.ex 5 NS 1 main.zone:4 ns=d.ex\n"
	                    "c.ex 5 NS 1 main.zone:5 ns=e.ex\n");
	/* switched off */
	o.no_include = true;
	assert_int_equal(scan_tmp("main.zone", &o, &b), TS_EINPUT);
	assert_int_equal(logged.line, 3);
	assert_int_equal(logged.col, 10);
	assert_non_null(strstr(logged.msg, "switched off"));
	o.no_include = false;
	/* a missing include names the including line */
	write_file("missing.zone", "a NS b\n$INCLUDE \"nope.zone\"\n");
	assert_int_equal(scan_tmp("missing.zone", &o, &b), TS_EINPUT);
	assert_int_equal(logged.line, 2);
	assert_int_equal(logged.col, 10);
	assert_non_null(strstr(logged.msg, "cannot open"));
	/* a loop */
	write_file("loop1.zone", "a NS b\n$INCLUDE loop2.zone\n");
	write_file("loop2.zone", "c NS d\n$INCLUDE loop1.zone\n");
	assert_int_equal(scan_tmp("loop1.zone", &o, &b), TS_EINPUT);
	assert_non_null(strstr(logged.msg, "loop"));
	assert_non_null(strstr(logged.file, "loop2.zone"));
	assert_int_equal(logged.line, 2);
	/* the depth limit: d0 -> d1 -> d2 -> d3 */
	write_file("d0.zone", "$INCLUDE d1.zone\n");
	write_file("d1.zone", "$INCLUDE d2.zone\n");
	write_file("d2.zone", "$INCLUDE d3.zone\n");
	write_file("d3.zone", "a NS b.\n");
	o.include_depth = 3;
	assert_int_equal(scan_tmp("d0.zone", &o, &b), TS_OK);
	assert_string_equal(dbuf_str(&b), "a 5 NS 1 d3.zone:1 ns=b\n");
	o.include_depth = 2;
	assert_int_equal(scan_tmp("d0.zone", &o, &b), TS_EINPUT);
	assert_non_null(strstr(logged.msg, "deeper than 2"));
	assert_non_null(strstr(logged.file, "d2.zone"));
	dbuf_free(&b);
	const char *names[] = { "main", "inc", "missing", "loop1", "loop2", "d0", "d1", "d2", "d3" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s.zone", tmpdir, names[i]);
		unlink(path);
	}
	rmdir(tmpdir);
}

/* A zone of n delegations in mixed syntax, several megabytes: records
 * straddle the scanner's block boundaries. */
static char *big_zone(unsigned n, size_t *len)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 30);
	assert_int_equal(dbuf_adds(&b, "$ORIGIN big.\n$TTL 60\n@ SOA a b 1 2 3 4 5\n"), TS_OK);
	for (unsigned i = 0; i < n; i++) {
		int ret;
		switch (i % 4) {
		case 0:
			ret = dbuf_addf(&b, "d%u IN NS ns1.p%u.net.\n NS ns2.p%u.net.\n", i, i % 97, i % 97);
			break;
		case 1:
			ret = dbuf_addf(&b, "D%u.big. 3600 IN NS ( ns1.d%u ) ; glue below\nns1.d%u A 192.0.2.%u\n",
			                i, i, i, i % 250 + 1);
			break;
		case 2:
			ret = dbuf_addf(&b, "d%u IN 1d NS x.p%u.org.\nd%u DS ( %u 13 2\n\t0123456789abcdef0123456789abcdef\n"
			                "\t0123456789abcdef0123456789abcdef )\n", i, i % 13, i, i % 65536);
			break;
		default:
			ret = dbuf_addf(&b, "d%u\tNS\tns.p1.net. ; %u\n", i, i);
			break;
		}
		assert_int_equal(ret, TS_OK);
	}
	*len = b.len;
	return dbuf_take(&b);
}

static void test_scan_blocks_threads_gzip(void **state)
{
	(void)state;
	size_t len;
	char *z = big_zone(150000, &len);
	assert_true(len > 9u * 1024 * 1024);  /* more than two blocks */
	dbuf_t one, two, gz;
	dbuf_init(&one, 1u << 30);
	dbuf_init(&two, 1u << 30);
	dbuf_init(&gz, 1u << 30);
	zone_opts_t o = { .default_ttl = 1, .decode = ZONE_DEC_ALL, .threads = 1 };
	assert_int_equal(zone_scan_mem("big.zone", z, len, &o, collect, &one, NULL), TS_OK);
	o.threads = 2;
	zone_totals_t tot;
	assert_int_equal(zone_scan_mem("big.zone", z, len, &o, collect, &two, &tot), TS_OK);
	assert_int_equal(tot.records, 1 + 150000 / 4 * 2 + 150000 / 4 * 2 + 150000 / 4 * 2 + 150000 / 4);
	assert_int_equal(tot.bytes, len);
	assert_false(tot.gzip);
	assert_string_equal(dbuf_str(&one), dbuf_str(&two));
	size_t glen;
	char *g = gzip_bytes(z, len, &glen);
	assert_int_equal(zone_scan_mem("big.zone", g, glen, &o, collect, &gz, &tot), TS_OK);
	assert_true(tot.gzip);
	assert_string_equal(dbuf_str(&one), dbuf_str(&gz));
	/* the callback can stop the scan */
	free(g);
	free(z);
	dbuf_free(&one);
	dbuf_free(&two);
	dbuf_free(&gz);
}

static int stop_at_two(void *user, const zone_rr_t *rr)
{
	(void)rr;
	int *n = user;
	return ++*n == 2 ? TS_ECHECK : TS_OK;
}

static void test_scan_stop_and_oom(void **state)
{
	(void)state;
	const char *text = "$ORIGIN x.\na NS b\nc NS d\ne NS f\n$INCLUDE /nonexistent\n";
	int n = 0;
	assert_int_equal(zone_scan_mem("t", text, strlen(text), NULL, stop_at_two, &n, NULL), TS_ECHECK);
	assert_int_equal(n, 2);
	/* every allocation failure is reported, never a crash or a leak */
	for (unsigned long k = 1; k < 64; k++) {
		n = 0;
		ts_alloc_fail_at(k);
		int ret = zone_scan_mem("t", text, strlen(text) - 22, NULL, stop_at_two, &n, NULL);
		ts_alloc_fail_at(0);
		assert_true(ret == TS_ENOMEM || ret == TS_ECHECK);
	}
}

/* ---- statistics ---- */

static bool stats_thread;  /* apply the records in a worker thread */

static void stats_of(const char *text, const char *apex, int64_t limit, zonestats_result_t *r,
                     zonestats_t **stp)
{
	zonestats_t *st = NULL;
	assert_int_equal(zonestats_new(&st, limit, 0), TS_OK);
	if (stats_thread)
		assert_int_equal(zonestats_use_thread(st), TS_OK);
	if (apex != NULL)
		assert_int_equal(zonestats_set_apex(st, apex, strlen(apex)), TS_OK);
	zone_opts_t o = { .default_ttl = 1, .decode = ZONESTATS_DECODE };
	assert_int_equal(zone_scan_mem("s.zone", text, strlen(text), &o, zonestats_rr_fn, st, NULL), TS_OK);
	assert_int_equal(zonestats_result(st, r), TS_OK);
	*stp = st;
}

static void test_stats(void **state)
{
	(void)state;
	const char *zone =
		"$ORIGIN tld.\n"
		"@ SOA ns.nic hm.nic 1 2 3 4 5\n"
		"@ NS ns.nic\n"                       /* the apex: not a delegation */
		"@ DNSKEY 257 3 13 AAAA\n"
		"@ RRSIG SOA 13 1 60 20260110000000 20260101000000 1 tld. AAAA\n"
		"a NS ns1.prov.net.\n"
		"a NS ns2.prov.net.\n"
		"a DS 1 13 2 abcd\n"
		"b NS ns1.prov.net.\n"
		"b NS ns1.prov.net.\n"                /* repeated: one distinct name */
		"c NS ns1.c\n"                        /* in bailiwick */
		"c NS ns1.other.org.\n"
		"d DS 1 13 2 abcd\n"                  /* DS without NS: no delegation */
		"e NS ns1.e.tld.\n"
		"ns1.c A 192.0.2.1\n"
		"b NS ns9.other.org.\n"               /* b again, later: two names now */
		"B RRSIG DS 13 2 60 20260105000000 20260101000000 1 tld. AAAA\n"
		"other.example. NS x.y.\n";          /* out of zone: ignored */
	zonestats_result_t r;
	zonestats_t *st;
	int64_t limit = 1767916800; /* 2026-01-09 */
	stats_of(zone, NULL, limit, &r, &st);
	assert_string_equal(r.origin, "tld");
	assert_int_equal(r.records, 17);
	assert_int_equal(r.delegations, 4);      /* a b c e */
	assert_int_equal(r.ds_delegations, 1);
	assert_true(r.dnssec_adoption_pct > 24.99 && r.dnssec_adoption_pct < 25.01);
	assert_int_equal(r.single_ns_delegations, 1);  /* e */
	assert_int_equal(r.in_bailiwick_delegations, 2);  /* c e */
	assert_int_equal(r.distinct_ns_hosts, 6);
	/* providers: prov.net (a, b), other.org (b, c), c.tld (c), e.tld (e) */
	assert_int_equal(r.providers, 4);
	assert_int_equal(r.ntop, 4);
	assert_string_equal(r.top[0].name, "other.org");
	assert_int_equal(r.top[0].delegations, 2);
	assert_string_equal(r.top[1].name, "prov.net");
	assert_string_equal(r.top[2].name, "c.tld");
	assert_string_equal(r.top[3].name, "e.tld");
	assert_true(r.top[0].share_pct > 33.33 && r.top[0].share_pct < 33.34);
	/* HHI: shares 2/6, 2/6, 1/6, 1/6 -> 10000 * (4+4+1+1)/36 */
	assert_true(r.ns_provider_hhi > 2777.77 && r.ns_provider_hhi < 2777.78);
	assert_true(r.apex_signed);
	assert_int_equal(r.rrsigs, 2);
	assert_true(r.have_rrsig_expiry);
	assert_int_equal(r.earliest_rrsig_expiry, 1767571200); /* 2026-01-05 */
	assert_int_equal(r.expiring_signatures, 1);
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	assert_int_equal(zonestats_json(&r, &b), TS_OK);
	assert_non_null(strstr(dbuf_str(&b), "\"earliest_rrsig_expiry\": \"2026-01-05T00:00:00Z\""));
	assert_non_null(strstr(dbuf_str(&b), "{\"provider\": \"other.org\", \"delegations\": 2, \"share_pct\": 33.33}"));
	dbuf_free(&b);
	zonestats_free(&st);
	assert_null(st);

	/* an unsigned zone without delegations; the apex from $ORIGIN */
	stats_of("$ORIGIN x.\nwww A 192.0.2.1\n", NULL, 0, &r, &st);
	assert_string_equal(r.origin, "x");
	assert_int_equal(r.delegations, 0);
	assert_false(r.apex_signed);
	assert_false(r.have_rrsig_expiry);
	assert_true(r.dnssec_adoption_pct == 0.0);
	dbuf_init(&b, 1u << 20);
	assert_int_equal(zonestats_json(&r, &b), TS_OK);
	assert_non_null(strstr(dbuf_str(&b), "\"top_ns_providers\": [],"));
	assert_non_null(strstr(dbuf_str(&b), "\"earliest_rrsig_expiry\": null,"));
	dbuf_free(&b);
	zonestats_free(&st);

	/* a given apex wins over the SOA */
	stats_of("$ORIGIN a.b.\n@ SOA x y 1 2 3 4 5\nc NS d\n", "b", 0, &r, &st);
	assert_string_equal(r.origin, "b");
	assert_int_equal(r.delegations, 1);  /* c.a.b (a.b has no NS) */
	zonestats_free(&st);
}

static void test_stats_oom(void **state)
{
	(void)state;
	const char *zone = "$ORIGIN t.\n@ SOA a b 1 2 3 4 5\na NS ns1.p.net.\na NS ns2.q.net.\nb DS 1 8 2 ab\nb NS ns.b\n";
	for (unsigned long k = 1; k < 40; k++) {
		zonestats_t *st = NULL;
		ts_alloc_fail_at(k);
		int ret = zonestats_new(&st, 0, 0);
		if (ret == TS_OK) {
			zone_opts_t o = { .decode = ZONESTATS_DECODE };
			ret = zone_scan_mem("s", zone, strlen(zone), &o, zonestats_rr_fn, st, NULL);
			zonestats_result_t r;
			if (ret == TS_OK)
				ret = zonestats_result(st, &r);
		}
		ts_alloc_fail_at(0);
		assert_true(ret == TS_OK || ret == TS_ENOMEM);
		zonestats_free(&st);
	}
}

static void test_scan_record_cap(void **state)
{
	(void)state;
	/* a record longer than TS_MAX_ZONE_RECORD cut at a block end cannot be
	 * carried into the next block: the input is larger than one block */
	size_t n = 3u << 20;
	char *z = malloc(n + 64);
	assert_non_null(z);
	size_t len = 0;
	/* the big record starts 300 KiB before the 2 MiB block end */
	for (unsigned i = 0; len < (2u << 20) - (300u << 10); i++)
		len += (size_t)snprintf(z + len, n + 64 - len, "a%u NS b\n", i);
	len += (size_t)snprintf(z + len, n + 64 - len, "big TXT (");
	while (len < (2u << 20) + (100u << 10))
		len += (size_t)snprintf(z + len, n + 64 - len, "\n \"x\"");
	len += (size_t)snprintf(z + len, n + 64 - len, " )\n");
	dbuf_t b;
	dbuf_init(&b, 1u << 28);
	assert_int_equal(zone_scan_mem("cap.zone", z, len, NULL, collect, &b, NULL), TS_ELIMIT);
	assert_non_null(strstr(logged.msg, "record longer than"));
	assert_string_equal(logged.file, "cap.zone");
	/* the same record inside one block is refused too */
	const char *big = strstr(z, "big TXT");
	assert_int_equal(zone_scan_mem("cap2.zone", big, len - (size_t)(big - z), NULL, collect, &b, NULL),
	                 TS_ELIMIT);
	assert_int_equal(logged.line, 1);
	dbuf_free(&b);
	free(z);
}

static void test_stats_many(void **state)
{
	(void)state;
	/* enough delegations to grow every table several times, and to fill
	 * several batches: in this thread and in a worker */
	size_t len;
	char *z = big_zone(60000, &len);
	zonestats_result_t r;
	zonestats_t *st;
	stats_thread = true;
	stats_of(z, NULL, 0, &r, &st);
	stats_thread = false;
	uint64_t hosts = r.distinct_ns_hosts, single = r.single_ns_delegations;
	zonestats_free(&st);
	stats_of(z, NULL, 0, &r, &st);
	assert_int_equal(r.distinct_ns_hosts, hosts);
	assert_int_equal(r.single_ns_delegations, single);
	assert_string_equal(r.origin, "big");
	assert_int_equal(r.delegations, 60000);
	assert_int_equal(r.ds_delegations, 15000);
	assert_int_equal(r.single_ns_delegations, 45000);
	assert_int_equal(r.in_bailiwick_delegations, 15000);
	assert_int_equal(r.distinct_ns_hosts, 97 * 2 + 15000 + 13 + 1);
	zonestats_free(&st);
	free(z);
}

static int collect_text(void *user, const zone_rr_t *rr)
{
	dbuf_t *b = user;
	char tb[16];
	return dbuf_addf(b, "%s %s [%.*s]\n", rr->owner, zone_type_name(rr->type, tb), (int)rr->rdata_len,
	                 rr->rdata != NULL ? rr->rdata : "");
}

/* ZONE_DEC_TEXT: the RDATA's tokens joined by single spaces, on the fast
 * path (one plain line) and the general one (parentheses, comments, quotes,
 * escapes, RFC 3597 form). */
static void test_scan_rdata_text(void **state)
{
	(void)state;
	const char *text =
		"$ORIGIN ex.\n"
		"a 300 IN A 192.0.2.1 ; a comment\n"
		"a NS ns1\n"
		"@ SOA ns.ex. host.ex. (\n"
		"   7 ; serial\n"
		"   3600 600\n"
		"   86400 300 )\n"
		"t TXT \"two  words\" \"a\\\"q\" plain\\032x\n"
		"u TYPE999 \\# 2 abcd\n"
		"v (MX 10 mail)\n";
	const char *want =
		"a.ex A [192.0.2.1]\n"
		"a.ex NS [ns1]\n"
		"ex SOA [ns.ex. host.ex. 7 3600 600 86400 300]\n"
		"t.ex TXT [\"two  words\" \"a\\\"q\" plain\\032x]\n"
		"u.ex TYPE999 [\\# 2 abcd]\n"
		"v.ex MX [10 mail]\n";
	for (unsigned dec = 0; dec < 2; dec++) {
		zone_opts_t o = { .default_ttl = 3600, .decode = ZONE_DEC_TEXT | (dec ? ZONE_DEC_ALL : 0) };
		dbuf_t b;
		dbuf_init(&b, 1u << 20);
		assert_int_equal(zone_scan_mem("t.zone", text, strlen(text), &o, collect_text, &b, NULL), TS_OK);
		assert_string_equal(dbuf_str(&b), want);
		dbuf_free(&b);
	}
	/* without the flag: no text */
	dbuf_t b;
	dbuf_init(&b, 1u << 20);
	zone_opts_t o = { .default_ttl = 3600, .decode = ZONE_DEC_ALL };
	assert_int_equal(zone_scan_mem("t.zone", "x.ex. A 192.0.2.1\n", 18, &o, collect_text, &b, NULL), TS_OK);
	assert_string_equal(dbuf_str(&b), "x.ex A []\n");
	dbuf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_names, setup, teardown),
		cmocka_unit_test_setup_teardown(test_name_wire_and_relations, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_syntax, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_fast_path, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_include, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_blocks_threads_gzip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_stop_and_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_many, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats_oom, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_record_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_scan_rdata_text, setup, teardown),
	};
	return cmocka_run_group_tests_name("dns", tests, NULL, NULL);
}
