/* test_zone_spans.c — where the scanner says each record lies
 * (zone_rr_t.pos, span), how its owner and TTL were found (flags), and
 * text_fn: every record's slice of its file starts at a line start and ends
 * after a line end (or at the end of the text), the slices are in order and
 * do not overlap, the text between them is only blanks, comments and
 * directives, and the slices scanned alone give the same records; the same
 * for a file, memory, gzip, the reader thread and the parallel parse. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
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
#include "dns/zone.h"

typedef struct srec {
	char *owner, *origin, *rdata;
	uint16_t type, rclass;
	uint32_t ttl;
	uint64_t pos;
	uint32_t span;
	uint8_t flags;
	bool included;             /* from inc.zone (by rr->file) */
} srec_t;

/* Records from any thread (parallel_callback): under mu. */
typedef struct coll {
	pthread_mutex_t mu;
	srec_t *v;
	size_t n, cap;
	bool text_called;
	uint64_t text_end;         /* text_fn's last end */
	uint64_t *ends;            /* every end text_fn was given */
	size_t nends;
	unsigned long bad;         /* text_fn not increasing, or a record after an end past it */
} coll_t;

static int text_note(void *user, uint64_t end)
{
	coll_t *c = user;
	pthread_mutex_lock(&c->mu);
	if (c->text_called && end <= c->text_end)
		c->bad++;
	c->text_called = true;
	c->text_end = end;
	c->ends = realloc(c->ends, (c->nends + 1) * sizeof(*c->ends));
	assert_non_null(c->ends);
	c->ends[c->nends++] = end;
	pthread_mutex_unlock(&c->mu);
	return TS_OK;
}

static int keep(void *user, const zone_rr_t *rr)
{
	coll_t *c = user;
	pthread_mutex_lock(&c->mu);
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		assert_non_null(c->v);
	}
	srec_t *r = &c->v[c->n++];
	memset(r, 0, sizeof(*r));
	r->owner = strdup(rr->owner);
	r->origin = strndup(rr->origin, rr->origin_len);
	r->rdata = strndup(rr->rdata != NULL ? rr->rdata : "", rr->rdata_len);
	assert_non_null(r->owner);
	assert_non_null(r->origin);
	assert_non_null(r->rdata);
	r->type = rr->type;
	r->rclass = rr->rclass;
	r->ttl = rr->ttl;
	r->pos = rr->pos;
	r->span = rr->span;
	r->flags = rr->flags;
	const char *base = strrchr(rr->file, '/') ? strrchr(rr->file, '/') + 1 : rr->file;
	r->included = strcmp(base, "inc.zone") == 0;
	if (r->included != ((rr->flags & ZONE_RR_INCLUDED) != 0))
		fail_msg("%s: ZONE_RR_INCLUDED is %u in %s", rr->owner, rr->flags & ZONE_RR_INCLUDED, rr->file);
	if (!r->included && c->text_called && rr->pos < c->text_end)
		c->bad++;
	pthread_mutex_unlock(&c->mu);
	return TS_OK;
}

static void coll_free(coll_t *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].owner);
		free(c->v[i].origin);
		free(c->v[i].rdata);
	}
	free(c->v);
	free(c->ends);
	pthread_mutex_destroy(&c->mu);
	memset(c, 0, sizeof(*c));
}

static void coll_init(coll_t *c)
{
	memset(c, 0, sizeof(*c));
	pthread_mutex_init(&c->mu, NULL);
}

static zone_opts_t opts(unsigned threads, bool par)
{
	zone_opts_t o = { .origin = "ex.", .default_ttl = 77, .decode = ZONE_DEC_ALL | ZONE_DEC_TEXT,
	                  .threads = threads, .parallel_callback = par, .block_size = par ? 4096 : 0,
	                  .text_fn = text_note };
	return o;
}

/* The zone: every kind of line around records, an $INCLUDE, CRLF, a record
 * across the in-order scanner's 2 MiB block boundary, no final newline. */
static const char *inc_text = "$TTL 42\ni1 NS ns.i1.\n\tNS ns2.i1.\n; c\n\ni2 ( DS 1 8 2\nAB )\n";

static char *make_zone(size_t *len, size_t *straddle_at)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 26);
	int ret = dbuf_adds(&b,
		"; spans\n"
		"\n"
		"$ORIGIN ex.\n"
		"@ 3600 IN SOA ns.ex. host.ex. ( 1 ; serial\n"
		"\t\t2h ; refresh\n"
		"\t\t3 4 5 )\n"
		"   ; an indented comment\n"
		"$TTL 300\n"
		"a NS ns1.a ; trailing comment\n"
		"\tNS ns2.a\n"
		"  NS ( ns3.a ; inside\n"
		"  ) ; after\n"
		"( NS paren.a ) ; a blank owner: the line starts with '('\n"
		"t TXT \"semi ; colon\" \"paren ( open\"\n"
		" TXT \"q\\\"x;(\"\n"
		"c IN NS crlf.ex.\r\n"
		"\tIN NS crlf2.ex.\r\n"
		"\r\n"
		"$INCLUDE inc.zone sub.ex.\n"
		"b 60 NS ns.b\n"
		"$ORIGIN o2.ex.\n"
		"d DS ( 1 8 2\n"
		"   ABCD ; c\n"
		"   EF01 )\n");
	/* plain records and some blank-owner lines up to just before 2 MiB */
	for (unsigned i = 0; ret == TS_OK && b.len < (2u << 20) - 200; i++) {
		if (i % 5 == 4)
			ret = dbuf_addf(&b, "\tNS ns%u.p.net.\n", i);
		else if (i % 7 == 3)
			ret = dbuf_addf(&b, "; filler %u\n", i);
		else
			ret = dbuf_addf(&b, "f%u 3600 NS ns%u.p.net.\n", i, i % 9);
	}
	/* pad so that the 2 MiB offset falls inside the next record */
	while (ret == TS_OK && b.len < (2u << 20) - 20)
		ret = dbuf_adds(&b, ";\n");
	*straddle_at = b.len;
	ret |= dbuf_adds(&b, "s MX ( 10 ; preference\n   mail.s ; the exchange\n )   \n");
	assert_true(*straddle_at < (2u << 20) && b.len > (2u << 20));
	ret |= dbuf_adds(&b, " NS after.s\ne NS ns.e\nlast NS ns.last");
	assert_int_equal(ret, TS_OK);
	*len = b.len;
	return dbuf_take(&b);
}

/* Every line of text[from, to) is blank, a comment or a directive. */
static void only_blank_comment_directive(const char *text, size_t from, size_t to)
{
	size_t i = from;
	while (i < to) {
		size_t e = i;
		while (e < to && text[e] != '\n')
			e++;
		size_t k = i;
		if (text[k] != '$') {
			while (k < e && (text[k] == ' ' || text[k] == '\t' || text[k] == '\r'))
				k++;
			if (k < e && text[k] != ';')
				fail_msg("text between records at %zu is not blank, a comment or a directive: '%.*s'",
				         i, (int)(e - i), text + i);
		}
		i = e + 1;
	}
}

/* The slices of one file's records: at line starts, through line ends, in
 * order, not overlapping, only blanks, comments and directives between. */
static void check_slices(const coll_t *c, bool included, const char *text, size_t len)
{
	uint64_t prev = 0;
	size_t n = 0;
	for (size_t i = 0; i < c->n; i++) {
		const srec_t *r = &c->v[i];
		if (r->included != included)
			continue;
		n++;
		if (r->span == 0 || r->pos + r->span > len)
			fail_msg("%s: slice [%llu, +%u) outside the text (%zu)", r->owner,
			         (unsigned long long)r->pos, r->span, len);
		if (r->pos > 0 && text[r->pos - 1] != '\n')
			fail_msg("%s: slice at %llu not at a line start", r->owner, (unsigned long long)r->pos);
		if (r->pos + r->span < len && text[r->pos + r->span - 1] != '\n')
			fail_msg("%s: slice at %llu+%u does not end after a line end", r->owner,
			         (unsigned long long)r->pos, r->span);
		if (r->pos < prev)
			fail_msg("%s: slice at %llu before the end of the one before (%llu)", r->owner,
			         (unsigned long long)r->pos, (unsigned long long)prev);
		only_blank_comment_directive(text, (size_t)prev, (size_t)r->pos);
		prev = r->pos + r->span;
	}
	assert_true(n > 0);
	only_blank_comment_directive(text, (size_t)prev, len);
}

/* The slices alone, each under its $ORIGIN and TTL, the owner written in
 * front of a blank-owner slice, scan to the same records. */
static void check_rescan(const coll_t *c, const char *text, const char *inc)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 28);
	int ret = TS_OK;
	for (size_t i = 0; i < c->n && ret == TS_OK; i++) {
		const srec_t *r = &c->v[i];
		const char *t = r->included ? inc : text;
		ret = dbuf_addf(&b, "$ORIGIN %s.\n$TTL %u\n", r->origin, (unsigned)r->ttl);
		if (ret == TS_OK && (r->flags & ZONE_RR_BLANK_OWNER) != 0)
			ret = dbuf_addf(&b, "%s.", r->owner);
		if (ret == TS_OK)
			ret = dbuf_add(&b, t + r->pos, r->span);
		if (ret == TS_OK && t[r->pos + r->span - 1] != '\n')
			ret = dbuf_addc(&b, '\n');
	}
	assert_int_equal(ret, TS_OK);
	coll_t again;
	coll_init(&again);
	zone_opts_t o = opts(1, false);
	o.text_fn = NULL;
	assert_int_equal(zone_scan_mem("slices", b.p, b.len, &o, keep, &again, NULL), TS_OK);
	assert_int_equal(again.n, c->n);
	for (size_t i = 0; i < c->n; i++) {
		const srec_t *x = &c->v[i], *y = &again.v[i];
		if (strcmp(x->owner, y->owner) != 0 || x->type != y->type || x->rclass != y->rclass ||
		    x->ttl != y->ttl || strcmp(x->rdata, y->rdata) != 0 ||
		    (x->flags & ZONE_RR_TTL_STATED) != (y->flags & ZONE_RR_TTL_STATED))
			fail_msg("record %zu: %s %u %u [%s] f%u, from its slice %s %u %u [%s] f%u", i, x->owner,
			         x->type, x->ttl, x->rdata, x->flags, y->owner, y->type, y->ttl, y->rdata, y->flags);
	}
	coll_free(&again);
	dbuf_free(&b);
}

static const srec_t *find(const coll_t *c, const char *owner, const char *rdata)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->v[i].owner, owner) == 0 && strcmp(c->v[i].rdata, rdata) == 0)
			return &c->v[i];
	}
	fail_msg("no record %s [%s]", owner, rdata);
	return NULL;
}

static void expect_flags(const coll_t *c, const char *owner, const char *rdata, unsigned flags)
{
	const srec_t *r = find(c, owner, rdata);
	if (r->flags != flags)
		fail_msg("%s [%s]: flags %u, want %u", owner, rdata, r->flags, flags);
}

/* Two scans give the same records at the same places (the parallel one in
 * any order: compared sorted by file and position). */
static int cmp_srec(const void *a, const void *b)
{
	const srec_t *x = a, *y = b;
	if (x->included != y->included)
		return x->included ? 1 : -1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void same_places(coll_t *want, coll_t *got, bool sort)
{
	assert_int_equal(got->n, want->n);
	if (sort) {
		qsort(want->v, want->n, sizeof(srec_t), cmp_srec);
		qsort(got->v, got->n, sizeof(srec_t), cmp_srec);
	}
	for (size_t i = 0; i < want->n; i++) {
		const srec_t *x = &want->v[i], *y = &got->v[i];
		if (x->pos != y->pos || x->span != y->span || x->flags != y->flags ||
		    x->included != y->included || strcmp(x->owner, y->owner) != 0 || x->ttl != y->ttl ||
		    strcmp(x->rdata, y->rdata) != 0)
			fail_msg("record %zu: %s @%llu+%u f%u, want %s @%llu+%u f%u", i, y->owner,
			         (unsigned long long)y->pos, y->span, y->flags, x->owner,
			         (unsigned long long)x->pos, x->span, x->flags);
	}
}

static void write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void test_spans(void **state)
{
	(void)state;
	size_t len, straddle;
	char *text = make_zone(&len, &straddle);
	char dir[] = "/tmp/tldsec-spans-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char main_path[256], gz_path[256], inc_path[256];
	snprintf(main_path, sizeof(main_path), "%s/main.zone", dir);
	snprintf(gz_path, sizeof(gz_path), "%s/main.zone.gz", dir);
	snprintf(inc_path, sizeof(inc_path), "%s/inc.zone", dir);
	write_file(main_path, text, len);
	write_file(inc_path, inc_text, strlen(inc_text));
	size_t glen;
	char *g = gzip_bytes(text, len, &glen);
	write_file(gz_path, g, glen);
	free(g);

	coll_t c;
	coll_init(&c);
	zone_opts_t o = opts(1, false);
	assert_int_equal(zone_scan_file(main_path, &o, keep, &c, NULL), TS_OK);
	check_slices(&c, false, text, len);
	check_slices(&c, true, inc_text, strlen(inc_text));
	check_rescan(&c, text, inc_text);

	/* by hand */
	const srec_t *soa = find(&c, "ex", "ns.ex. host.ex. 1 2h 3 4 5");
	const char *at = strstr(text, "@ 3600");
	assert_int_equal(soa->pos, (uint64_t)(at - text));
	assert_int_equal(soa->span, strstr(text, "5 )\n") + 4 - at);
	expect_flags(&c, "ex", "ns.ex. host.ex. 1 2h 3 4 5", ZONE_RR_TTL_STATED);
	expect_flags(&c, "a.ex", "ns1.a", ZONE_RR_TTL_DIR);
	expect_flags(&c, "a.ex", "ns2.a", ZONE_RR_TTL_DIR | ZONE_RR_BLANK_OWNER);
	expect_flags(&c, "a.ex", "ns3.a", ZONE_RR_TTL_DIR | ZONE_RR_BLANK_OWNER);
	expect_flags(&c, "a.ex", "paren.a", ZONE_RR_TTL_DIR | ZONE_RR_BLANK_OWNER);
	const srec_t *ns3 = find(&c, "a.ex", "ns3.a");
	assert_int_equal(ns3->span, strlen("  NS ( ns3.a ; inside\n  ) ; after\n"));
	expect_flags(&c, "t.ex", "\"q\\\"x;(\"", ZONE_RR_TTL_DIR | ZONE_RR_BLANK_OWNER);
	const srec_t *crlf = find(&c, "c.ex", "crlf2.ex.");
	assert_int_equal(crlf->span, strlen("\tIN NS crlf2.ex.\r\n"));
	expect_flags(&c, "i1.sub.ex", "ns.i1.", ZONE_RR_TTL_DIR | ZONE_RR_INCLUDED);
	expect_flags(&c, "i1.sub.ex", "ns2.i1.", ZONE_RR_TTL_DIR | ZONE_RR_INCLUDED | ZONE_RR_BLANK_OWNER);
	const srec_t *i2 = find(&c, "i2.sub.ex", "1 8 2 AB");
	assert_int_equal(i2->pos, strstr(inc_text, "i2") - inc_text);
	assert_int_equal(i2->span, strlen("i2 ( DS 1 8 2\nAB )\n"));
	expect_flags(&c, "b.ex", "ns.b", ZONE_RR_TTL_DIR | ZONE_RR_TTL_STATED);
	/* across the block boundary: carried into the next block whole */
	const srec_t *mx = find(&c, "s.o2.ex", "10 mail.s");
	assert_int_equal(mx->pos, straddle);
	assert_int_equal(mx->span, strlen("s MX ( 10 ; preference\n   mail.s ; the exchange\n )   \n"));
	const srec_t *last = find(&c, "last.o2.ex", "ns.last");
	assert_int_equal(last->pos + last->span, len);
	/* text_fn: told as the scan moved to the next block (at the carried
	 * record), then at the end */
	assert_int_equal(c.bad, 0);
	assert_true(c.nends >= 2);
	assert_int_equal(c.ends[0], straddle);
	assert_int_equal(c.text_end, len);

	/* the same places from memory, gzip, the reader thread, and in parallel */
	for (int k = 0; k < 5; k++) {
		coll_t d;
		coll_init(&d);
		zone_opts_t p = opts(k >= 2 ? 2 + (k == 4) : 1, k >= 3);
		int ret = k == 0 ? zone_scan_mem(main_path, text, len, &p, keep, &d, NULL)
		                 : zone_scan_file(k == 1 ? gz_path : main_path, &p, keep, &d, NULL);
		assert_int_equal(ret, TS_OK);
		assert_int_equal(d.bad, 0);
		assert_int_equal(d.text_end, len);
		if (k < 3)
			assert_int_equal(d.ends[0], straddle);
		else
			assert_true(d.nends > 100);  /* once per block of 4 KiB */
		same_places(&c, &d, k >= 3);
		coll_free(&d);
	}
	coll_free(&c);
	unlink(main_path);
	unlink(gz_path);
	unlink(inc_path);
	rmdir(dir);
	ts_free(text);
}

/* Small texts: the one-block read, an empty text, a text of comments only. */
static void test_spans_small(void **state)
{
	(void)state;
	static const struct { const char *text; size_t nrec; } cases[] = {
		{ "", 0 },
		{ "; only a comment", 0 },
		{ "a NS b\n", 1 },
		{ "a NS b", 1 },
		{ "\n\na NS b ; x\n\n  NS c\n; z\n", 2 },
		{ "$TTL 5\na ( NS\n b )", 1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *t = cases[i].text;
		size_t len = strlen(t);
		for (unsigned threads = 1; threads <= 2; threads++) {
			coll_t c;
			coll_init(&c);
			zone_opts_t o = opts(threads, threads > 1);
			o.block_size = 1;
			assert_int_equal(zone_scan_mem("s.zone", t, len, &o, keep, &c, NULL), TS_OK);
			assert_int_equal(c.n, cases[i].nrec);
			assert_int_equal(c.bad, 0);
			assert_true(c.text_called);
			assert_int_equal(c.text_end, len);
			if (c.n > 0) {
				check_slices(&c, false, t, len);
				check_rescan(&c, t, "");
			}
			coll_free(&c);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_spans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_spans_small, setup, teardown),
	};
	return cmocka_run_group_tests_name("zone_spans", tests, NULL, NULL);
}
