/* test_zone_par.c — the parallel parse of the master-file scanner
 * (zone_opts_t.parallel_callback): the same records (as a sorted multiset,
 * with their pos, span and flags), the same totals and the same first
 * error as the in-order parse, with small blocks so that every kind of line
 * meets a block boundary; text_fn's calls in order, the last at the text's
 * end, none before a record it claims was delivered. */
#include <pthread.h>
#include <stdatomic.h>
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
#include "dns/zone.h"

/* Records as text lines, from any thread. */
typedef struct sink {
	pthread_mutex_t mu;
	dbuf_t b;
	unsigned long first_line;  /* the line of the first record delivered */
	unsigned max_worker;
	unsigned long stop_after;  /* 0: never stop */
	unsigned long n;
	/* text_fn */
	bool text_called;
	uint64_t text_end;         /* the last end it was given */
	unsigned long text_calls;
	unsigned long text_bad;    /* calls not increasing; records delivered after a call
	                            * whose end is past their pos */
	unsigned long text_stop;   /* 0: never; else return TS_ECHECK at this call */
} sink_t;

/* With spec_fn (test_par_spec_journal): records are compared without
 * their TTL and line, which a speculative record does not have final. */
static bool g_stable;
static _Atomic unsigned long g_journaled;  /* records spec_collect kept in a journal */

static int format_rr(const zone_rr_t *rr, char *line, size_t cap)
{
	char tb[16];
	int n;
	/* in spec_fn, ZONE_RR_TTL_DIR is not final */
	unsigned flags = g_stable ? rr->flags & ~ZONE_RR_TTL_DIR : rr->flags;
	if (g_stable)
		n = snprintf(line, cap, "%s @%llu+%u/f%u %s %u o=%.*s", rr->owner, (unsigned long long)rr->pos,
		             (unsigned)rr->span, flags, zone_type_name(rr->type, tb), (unsigned)rr->rclass,
		             (int)rr->origin_len, rr->origin);
	else
		n = snprintf(line, cap, "%s @%llu+%u/f%u %u %s %u %s:%lu o=%.*s", rr->owner,
		             (unsigned long long)rr->pos, (unsigned)rr->span, flags, (unsigned)rr->ttl,
		             zone_type_name(rr->type, tb), (unsigned)rr->rclass,
		             strrchr(rr->file, '/') ? strrchr(rr->file, '/') + 1 : rr->file, rr->line,
		             (int)rr->origin_len, rr->origin);
	if (strlen(rr->owner) != rr->owner_len)
		n += snprintf(line + n, cap - (size_t)n, " BAD-OWNER-LEN");
	if (rr->rdata != NULL)
		n += snprintf(line + n, cap - (size_t)n, " t=%.*s/%zu",
		              (int)(rr->rdata_len > 300 ? 300 : rr->rdata_len), rr->rdata, rr->rdata_len);
	if (rr->decoded) {
		switch (rr->type) {
		case ZONE_T_NS:
			n += snprintf(line + n, cap - (size_t)n, " ns=%s/%zu", rr->rd.ns.name, rr->rd.ns.len);
			break;
		case ZONE_T_DS:
			n += snprintf(line + n, cap - (size_t)n, " ds=%u/%u/%u/", rr->rd.ds.key_tag,
			              rr->rd.ds.algorithm, rr->rd.ds.digest_type);
			for (size_t i = 0; i < rr->rd.ds.digest_len && n < 4000; i++)
				n += snprintf(line + n, cap - (size_t)n, "%02x", rr->rd.ds.digest[i]);
			break;
		case ZONE_T_SOA:
			n += snprintf(line + n, cap - (size_t)n, " soa=%s/%s/%u/%u/%u/%u/%u",
			              rr->rd.soa.mname, rr->rd.soa.rname, rr->rd.soa.serial,
			              rr->rd.soa.refresh, rr->rd.soa.retry, rr->rd.soa.expire,
			              rr->rd.soa.minimum);
			break;
		case ZONE_T_RRSIG:
			n += snprintf(line + n, cap - (size_t)n, " sig=%u/%u/%u/%u/%u",
			              rr->rd.rrsig.type_covered, rr->rd.rrsig.algorithm,
			              rr->rd.rrsig.expiration, rr->rd.rrsig.inception, rr->rd.rrsig.key_tag);
			break;
		case ZONE_T_A:
		case ZONE_T_AAAA:
			n += snprintf(line + n, cap - (size_t)n, " addr=%zu:%u.%u", rr->rd.addr.len,
			              rr->rd.addr.bytes[0], rr->rd.addr.bytes[rr->rd.addr.len - 1]);
			break;
		default:
			break;
		}
	}
	return n;
}

/* With the sink's lock: a record of the top-level file at `pos` is
 * delivered; text_fn must not have been told of an end past it. */
static void text_check_pos(sink_t *s, uint64_t pos, unsigned flags)
{
	if ((flags & ZONE_RR_INCLUDED) == 0 && s->text_called && pos < s->text_end)
		s->text_bad++;
}

static int text_note(void *user, uint64_t end)
{
	sink_t *s = user;
	pthread_mutex_lock(&s->mu);
	if (s->text_called && end <= s->text_end)
		s->text_bad++;
	s->text_called = true;
	s->text_end = end;
	s->text_calls++;
	int ret = s->text_stop != 0 && s->text_calls >= s->text_stop ? TS_ECHECK : TS_OK;
	pthread_mutex_unlock(&s->mu);
	return ret;
}

static int collect(void *user, const zone_rr_t *rr)
{
	sink_t *s = user;
	char line[4096];
	format_rr(rr, line, sizeof(line));
	pthread_mutex_lock(&s->mu);
	text_check_pos(s, rr->pos, rr->flags);
	if (s->n == 0)
		s->first_line = rr->line;
	if (rr->worker > s->max_worker)
		s->max_worker = rr->worker;
	int ret = dbuf_addf(&s->b, "%s\n", line);
	s->n++;
	if (ret == TS_OK && s->stop_after != 0 && s->n >= s->stop_after)
		ret = TS_ECHECK;
	pthread_mutex_unlock(&s->mu);
	return ret;
}

/* spec_fn: keeps a record's line in the journal, or (for long lines and
 * about one record in three) asks for the whole record. */
static int spec_collect(void *user, const zone_rr_t *rr, zone_journal_t *j)
{
	(void)user;
	char line[4096];
	int n = format_rr(rr, line, sizeof(line));
	unsigned h = 0;
	for (int i = 0; i < n; i++)
		h = h * 31u + (unsigned char)line[i];
	if (h % 3 == 0)
		return 1;
	line[n] = '\n';
	/* in two pieces: the pieces of one record join up; a record of more
	 * than ZONE_JOURNAL_MAX bytes is refused whole, before any piece */
	if ((size_t)n + 1 > ZONE_JOURNAL_MAX) {
		assert_int_equal(zone_journal_put(j, line, (size_t)n + 1), TS_ELIMIT);
		return 1;
	}
	assert_int_equal(zone_journal_put(j, line, (size_t)n / 2), TS_OK);
	assert_int_equal(zone_journal_put(j, line + n / 2, (size_t)(n + 1 - n / 2)), TS_OK);
	g_journaled++;
	return 0;
}

static int journal_collect(void *user, unsigned worker, const void *data, size_t len)
{
	sink_t *s = user;
	pthread_mutex_lock(&s->mu);
	if (worker > s->max_worker)
		s->max_worker = worker;
	int ret = dbuf_add(&s->b, data, len);
	const char *d = data;
	/* the journal's lines are format_rr's: "owner @POS+SPAN/fFLAGS ..."
	 * (a canonical owner has no '@') */
	for (const char *q = d; q < d + len;) {
		s->n++;
		const char *nl = memchr(q, '\n', (size_t)(d + len - q));
		const char *at = memchr(q, '@', (size_t)(nl - q));
		assert_non_null(at);
		char *e;
		uint64_t pos = strtoull(at + 1, &e, 10);
		assert_int_equal(*e, '+');
		strtoul(e + 1, &e, 10);
		assert_int_equal(e[0], '/');
		unsigned flags = (unsigned)strtoul(e + 2, NULL, 10);
		text_check_pos(s, pos, flags);
		q = nl + 1;
	}
	pthread_mutex_unlock(&s->mu);
	return ret;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of s sorted, joined again: the multiset as a string. */
static char *sorted(const char *s)
{
	size_t n = 0, len = strlen(s);
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	char *copy = strdup(s);
	char **lines = calloc(n + 1, sizeof(char *));
	assert_non_null(copy);
	assert_non_null(lines);
	size_t k = 0;
	for (char *p = copy; *p != '\0';) {
		char *e = strchr(p, '\n');
		*e = '\0';
		lines[k++] = p;
		p = e + 1;
	}
	qsort(lines, k, sizeof(char *), cmp_line);
	char *out = malloc(len + 1);
	assert_non_null(out);
	size_t o = 0;
	for (size_t i = 0; i < k; i++) {
		size_t l = strlen(lines[i]);
		memcpy(out + o, lines[i], l);
		out[o + l] = '\n';
		o += l + 1;
	}
	out[o] = '\0';
	free(lines);
	free(copy);
	return out;
}

typedef struct result {
	int ret;
	char *records;   /* sorted */
	zone_totals_t tot;
	unsigned long line, col;
	char msg[512];
	int logs;
	bool text_called;
	uint64_t text_end;         /* text_fn's last end */
} result_t;

static void run_scan(const char *name, const char *text, size_t len, unsigned threads,
                     size_t block, const char *path, result_t *r)
{
	sink_t s;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.mu, NULL);
	dbuf_init(&s.b, 1u << 28);
	zone_opts_t o = { .origin = "ex.", .default_ttl = 77, .decode = ZONE_DEC_ALL | ZONE_DEC_TEXT,
	                  .threads = threads, .parallel_callback = threads > 1, .block_size = block };
	if (g_stable && threads > 1) {
		o.spec_fn = spec_collect;
		o.journal_fn = journal_collect;
	}
	o.text_fn = text_note;
	memset(&logged, 0, sizeof(logged));
	if (path != NULL)
		r->ret = zone_scan_file(path, &o, collect, &s, &r->tot);
	else
		r->ret = zone_scan_mem(name, text, len, &o, collect, &s, &r->tot);
	if (s.text_bad != 0)
		fail_msg("threads %u block %zu: text_fn out of order or before %lu record(s) it covers",
		         threads, block, s.text_bad);
	if (r->ret == TS_OK)
		assert_true(s.text_called);
	r->text_called = s.text_called;
	r->text_end = s.text_end;
	r->records = sorted(dbuf_str(&s.b));
	r->line = logged.line;
	r->col = logged.col;
	r->logs = logged.count;
	snprintf(r->msg, sizeof(r->msg), "%s", logged.msg);
	dbuf_free(&s.b);
	pthread_mutex_destroy(&s.mu);
}

/* The parallel parse with several block sizes and thread counts must equal
 * the in-order parse: records, totals, return code and the error logged. */
static void same_as_serial(const char *text, size_t len, const char *path, bool records_too)
{
	static const size_t blocks[] = { 1, 17, 64, 301, 4096, 65536 };
	result_t want;
	run_scan("p.zone", text, len, 1, 0, path, &want);
	if (records_too && want.ret != TS_OK)
		fail_msg("the in-order parse failed: %lu:%lu %s", want.line, want.col, want.msg);
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		if (len / blocks[b] > 20000)
			continue;  /* keep the test quick */
		for (unsigned threads = 2; threads <= 3; threads++) {
			result_t got;
			run_scan("p.zone", text, len, threads, blocks[b], path, &got);
			if (got.ret != want.ret || got.line != want.line || got.col != want.col ||
			    strcmp(got.msg, want.msg) != 0 || got.logs != want.logs)
				fail_msg("block %zu threads %u: ret %d %lu:%lu '%s' (%d logs), want %d %lu:%lu '%s' (%d logs)",
				         blocks[b], threads, got.ret, got.line, got.col, got.msg, got.logs,
				         want.ret, want.line, want.col, want.msg, want.logs);
			if (records_too) {
				/* the last call of text_fn: the text's end */
				assert_int_equal(want.text_end, len);
				assert_int_equal(got.text_end, len);
				assert_string_equal(got.records, want.records);
				assert_int_equal(got.tot.records, want.tot.records);
				assert_int_equal(got.tot.bytes, want.tot.bytes);
			}
			free(got.records);
		}
	}
	free(want.records);
}

static uint64_t rng_state;

static unsigned rnd(unsigned n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (unsigned)((rng_state >> 33) % n);
}

/* A zone of every kind of line, n units long. With `ttl_dir` false there
 * is no $TTL for the first half, so the last stated TTL matters. */
static char *mixed_zone(unsigned n, bool ttl_dir, uint64_t seed, size_t *len)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 28);
	rng_state = seed;
	int ret = dbuf_adds(&b, "; a zone for the parallel parse\n");
	if (ttl_dir)
		ret |= dbuf_adds(&b, "$TTL 3600\n");
	ret |= dbuf_adds(&b, "@ IN SOA ns.ex. host.ex. (\n 1 ; serial\n2h\n 3 4\n5 )\n");
	for (unsigned i = 0; i < n && ret == TS_OK; i++) {
		switch (rnd(24)) {
		case 0: ret = dbuf_addf(&b, "d%u\tNS\tns1.p%u.net.\n", i, i % 7); break;
		case 1: ret = dbuf_addf(&b, "d%u 300 IN NS ns1.d%u\n\tNS ns2.d%u\n", i, i, i); break;
		case 2: ret = dbuf_addf(&b, "d%u IN DS ( %u 8 2\n%08X%08X\n%08X ) ; split\n", i, i % 65536,
		                        i, i * 7, i * 13); break;
		case 3: ret = dbuf_addf(&b, "d%u IN NS (\nns%u.p.net.\n)\n", i, i % 3); break;
		case 4: ret = dbuf_addf(&b, "$ORIGIN s%u.ex.\n", i % 5); break;
		case 5: ret = dbuf_addf(&b, "$TTL %u\n", 100 + i % 50); break;
		case 6: ret = dbuf_addf(&b, "; comment %u ( \" ;\n\n   \n", i); break;
		case 7: ret = dbuf_addf(&b, "t%u TXT \"a ( b ; c \\\" d\" e\n", i); break;
		case 8: ret = dbuf_addf(&b, "h%u 60 A 192.0.2.%u\n AAAA 2001:db8::%x\n", i, i % 256, i); break;
		case 9: ret = dbuf_addf(&b, "e\\.%u.x IN NS a\\046b.p.net.\r\n", i); break;
		case 10: ret = dbuf_addf(&b, "@ NS ns%u.ex.\n", i % 4); break;
		case 11: ret = dbuf_addf(&b, "\t( NS nsz%u.q. )\n", i); break;
		case 12: ret = dbuf_addf(&b, "r%u 1d IN RRSIG NS 8 2 3600 (\n20300101000000 20200101000000\n%u ex.\nAAAA BBBB )\n",
		                         i, i % 65536); break;
		case 13: ret = dbuf_addf(&b, "g%u A \\# 4 0a0000%02x\n", i, i % 256); break;
		case 14: ret = dbuf_addf(&b, "D%u.EX. 1W ns NS%u.P.NET.\n", i, i); break;
		case 15: ret = dbuf_addf(&b, "x%u CH 5 TYPE99 \\# 0\n", i); break;
		case 16: ret = dbuf_addf(&b, "d%u 3600 DS %u 13 2 %032X%032X\n", i, i, i, i * 3); break;
		case 17: ret = dbuf_addf(&b, "m%u IN NS ( m.ex. ) ; one line\n", i); break;
		case 18: ret = dbuf_addf(&b, "q%u IN TXT (\n\"x\" ; c\n\"y\"\n)\n", i); break;
		default: ret = dbuf_addf(&b, "d%u\t%s\tNS\tns%u.p%u.net.\n", i, rnd(2) ? "IN" : "", i % 2, i % 5); break;
		}
		if (!ttl_dir && i == n / 2)
			ret |= dbuf_adds(&b, "$TTL 999\n");
	}
	assert_int_equal(ret, TS_OK);
	*len = b.len;
	return dbuf_take(&b);
}

static void test_par_same_records(void **state)
{
	(void)state;
	for (uint64_t seed = 1; seed <= 3; seed++) {
		size_t len;
		char *z = mixed_zone(1500, seed != 2, seed, &len);
		same_as_serial(z, len, NULL, true);
		ts_free(z);
	}
}

/* Continuation lines at column 0 that look like owners: the guess of the
 * block after is wrong whenever its start falls in one. */
static void test_par_bad_guesses(void **state)
{
	(void)state;
	dbuf_t b;
	dbuf_init(&b, 1u << 26);
	int ret = dbuf_adds(&b, "$ORIGIN ex.\n");
	for (unsigned i = 0; i < 800 && ret == TS_OK; i++) {
		ret = dbuf_addf(&b, "k%u IN DNSKEY ( 257 3 8\nAwEAAb%u\nAwEAAc%u\nAwEAAd )\n", i, i, i);
		ret |= dbuf_addf(&b, "n%u NS (\nn%u.x ) ; not\n%s", i, i, i % 50 == 0 ? "$ORIGIN o.ex.\n" : "");
	}
	assert_int_equal(ret, TS_OK);
	same_as_serial(b.p, b.len, NULL, true);
	dbuf_free(&b);
}

/* An error in a later block is the one logged, at its exact position; the
 * first in file order wins; a callback stop before it wins too. */
static void test_par_errors(void **state)
{
	(void)state;
	static const char *bad[] = {
		"bad 1 IN FOO bar\n",            /* unknown type */
		"bad NS\n",                      /* RDATA expected */
		"bad NS ( a\nb c )\n",           /* data after the record */
		"bad DS 1 8 2 ABCDEG\n",         /* bad hex digit */
		"bad NS \"q\n",                  /* line end in a quoted string */
		"$ORIGIN a..b.\n",               /* bad name */
		"$FOO\n",                        /* unknown directive */
		"bad NS ( a\n",                  /* unterminated parenthesis (at the end) */
	};
	for (size_t e = 0; e < sizeof(bad) / sizeof(bad[0]); e++) {
		size_t len;
		char *z = mixed_zone(600, true, 7 + e, &len);
		/* the error about two thirds in, a second one later */
		size_t at = len * 2 / 3;
		while (z[at - 1] != '\n')
			at++;
		dbuf_t b;
		dbuf_init(&b, 1u << 26);
		assert_int_equal(dbuf_add(&b, z, at), TS_OK);
		assert_int_equal(dbuf_adds(&b, bad[e]), TS_OK);
		if (e != 7) {
			assert_int_equal(dbuf_add(&b, z + at, len - at), TS_OK);
			assert_int_equal(dbuf_adds(&b, "worse 1 IN BAR x\n"), TS_OK);
		}
		same_as_serial(b.p, b.len, NULL, false);
		result_t r;
		run_scan("p.zone", b.p, b.len, 2, 64, NULL, &r);
		assert_int_not_equal(r.ret, TS_OK);
		assert_int_equal(r.logs, 1);
		free(r.records);
		dbuf_free(&b);
		ts_free(z);
	}
	/* a record over the cap in a later block */
	size_t len;
	char *z = mixed_zone(300, true, 3, &len);
	dbuf_t b;
	dbuf_init(&b, 1u << 26);
	assert_int_equal(dbuf_add(&b, z, len), TS_OK);
	assert_int_equal(dbuf_adds(&b, "big TXT ( "), TS_OK);
	for (unsigned i = 0; i < 30000; i++)
		assert_int_equal(dbuf_adds(&b, "\"abcdefgh\"\n"), TS_OK);
	assert_int_equal(dbuf_adds(&b, ")\n"), TS_OK);
	result_t want, got;
	run_scan("p.zone", b.p, b.len, 1, 0, NULL, &want);
	run_scan("p.zone", b.p, b.len, 2, 4096, NULL, &got);
	assert_int_equal(want.ret, TS_ELIMIT);
	assert_int_equal(got.ret, TS_ELIMIT);
	assert_int_equal(got.line, want.line);
	assert_string_equal(got.msg, want.msg);
	free(want.records);
	free(got.records);
	dbuf_free(&b);
	ts_free(z);
}

static void test_par_stop(void **state)
{
	(void)state;
	size_t len;
	char *z = mixed_zone(3000, true, 5, &len);
	sink_t s;
	memset(&s, 0, sizeof(s));
	pthread_mutex_init(&s.mu, NULL);
	dbuf_init(&s.b, 1u << 26);
	s.stop_after = 500;
	zone_opts_t o = { .origin = "ex.", .decode = ZONE_DEC_ALL, .threads = 2,
	                  .parallel_callback = true, .block_size = 512 };
	assert_int_equal(zone_scan_mem("p.zone", z, len, &o, collect, &s, NULL), TS_ECHECK);
	assert_true(s.n >= 500);
	/* the first record (the SOA on line 3) came first; workers are 0 and 1 */
	assert_int_equal(s.first_line, 3);
	assert_true(s.max_worker <= 1);
	for (int i = 0; i < 20; i++) {
		sink_t f;
		memset(&f, 0, sizeof(f));
		pthread_mutex_init(&f.mu, NULL);
		dbuf_init(&f.b, 1u << 26);
		o.threads = 3;
		assert_int_equal(zone_scan_mem("p.zone", z, len, &o, collect, &f, NULL), TS_OK);
		assert_int_equal(f.first_line, 3);
		assert_true(f.max_worker <= 2);
		dbuf_free(&f.b);
		pthread_mutex_destroy(&f.mu);
	}
	o.threads = 2;
	dbuf_free(&s.b);
	pthread_mutex_destroy(&s.mu);
	/* text_fn's non-zero return stops the scan, which returns it; no call
	 * after it */
	for (unsigned threads = 1; threads <= 3; threads++) {
		sink_t t;
		memset(&t, 0, sizeof(t));
		pthread_mutex_init(&t.mu, NULL);
		dbuf_init(&t.b, 1u << 26);
		t.text_stop = 3;
		zone_opts_t to = o;
		to.threads = threads;
		to.parallel_callback = threads > 1;
		to.text_fn = text_note;
		if (threads == 1) {
			/* in order, text_fn is told per block of 2 MiB: a text of four */
			dbuf_t big;
			dbuf_init(&big, 1u << 28);
			for (uint64_t seed = 9; big.len <= (7u << 20); seed++) {
				size_t part_len = 0;
				char *part = mixed_zone(60000, true, seed, &part_len);
				assert_int_equal(dbuf_add(&big, part, part_len), TS_OK);
				ts_free(part);
			}
			assert_int_equal(zone_scan_mem("p.zone", big.p, big.len, &to, collect, &t, NULL), TS_ECHECK);
			assert_true(t.text_end < big.len);
			dbuf_free(&big);
		} else {
			assert_int_equal(zone_scan_mem("p.zone", z, len, &to, collect, &t, NULL), TS_ECHECK);
			assert_true(t.text_end < len);
		}
		assert_int_equal(t.text_calls, 3);
		assert_int_equal(t.text_bad, 0);
		dbuf_free(&t.b);
		pthread_mutex_destroy(&t.mu);
	}
	/* out of memory: reported, never a crash or a leak */
	for (unsigned long k = 1; k < 40; k++) {
		sink_t q;
		memset(&q, 0, sizeof(q));
		pthread_mutex_init(&q.mu, NULL);
		dbuf_init(&q.b, 1u << 26);
		ts_alloc_fail_at(k);
		int ret = zone_scan_mem("p.zone", z, len, &o, collect, &q, NULL);
		ts_alloc_fail_at(0);
		assert_true(ret == TS_ENOMEM || ret == TS_OK);
		dbuf_free(&q.b);
		pthread_mutex_destroy(&q.mu);
	}
	ts_free(z);
}

static void write_file(const char *path, const char *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(s, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

/* gzip input, a file on disk, and $INCLUDE files met by a block's parser. */
static void test_par_gzip_file_include(void **state)
{
	(void)state;
	size_t len, glen;
	char *z = mixed_zone(2000, false, 11, &len);
	char *g = gzip_bytes(z, len, &glen);
	result_t want, got;
	run_scan("p.zone", z, len, 1, 0, NULL, &want);
	run_scan("p.zone", g, glen, 2, 1000, NULL, &got);
	assert_int_equal(got.ret, TS_OK);
	assert_true(got.tot.gzip);
	assert_int_equal(got.text_end, len);
	assert_string_equal(got.records, want.records);
	assert_int_equal(got.tot.records, want.tot.records);
	assert_int_equal(got.tot.bytes, want.tot.bytes);
	free(got.records);
	free(want.records);
	free(g);

	char dir[] = "/tmp/tldsec-zpar-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char main_path[256], inc_path[256];
	snprintf(main_path, sizeof(main_path), "%s/main.zone", dir);
	snprintf(inc_path, sizeof(inc_path), "%s/inc.zone", dir);
	const char *inc = "$TTL 42\ni1 NS ns.i1.\n\tNS ns2.i1.\n$ORIGIN deep.\ni2 ( DS 1 8 2\nAB )\n";
	write_file(inc_path, inc, strlen(inc));
	dbuf_t b;
	dbuf_init(&b, 1u << 26);
	for (unsigned part = 0; part < 5; part++) {
		size_t plen;
		char *pz = mixed_zone(300, part != 1, 20 + part, &plen);
		assert_int_equal(dbuf_add(&b, pz, plen), TS_OK);
		ts_free(pz);
		assert_int_equal(dbuf_addf(&b, "$INCLUDE inc.zone%s\nafter%u NS x\n",
		                           part % 2 ? " sub.ex." : "", part), TS_OK);
	}
	write_file(main_path, b.p, b.len);
	same_as_serial(b.p, b.len, main_path, true);
	dbuf_free(&b);
	unlink(inc_path);
	unlink(main_path);
	rmdir(dir);
	ts_free(z);
}

/* zone_opts_t.spec_fn and journal_fn: the records of blocks parsed on a
 * guess go to the journal, or whole on request; a wrong guess drops the
 * journal. The same records, totals and first error as in order. */
static void test_par_spec_journal(void **state)
{
	g_stable = true;
	g_journaled = 0;
	test_par_same_records(state);
	test_par_bad_guesses(state);
	test_par_errors(state);
	test_par_gzip_file_include(state);
	g_stable = false;
	/* how many depends on the threads' timing, but over hundreds of blocks
	 * some are parsed on a guess */
	assert_true(g_journaled > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_par_same_records, setup, teardown),
		cmocka_unit_test_setup_teardown(test_par_bad_guesses, setup, teardown),
		cmocka_unit_test_setup_teardown(test_par_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_par_stop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_par_gzip_file_include, setup, teardown),
		cmocka_unit_test_setup_teardown(test_par_spec_journal, setup, teardown),
	};
	return cmocka_run_group_tests_name("zone_par", tests, NULL, NULL);
}
