/* test_zone_diff.c — the differential test: our scanner against Knot DNS's
 * libzscanner on the same inputs. Generated zones in varied syntax and the
 * fuzz corpus go through both; owners, types and the NS and DS data must
 * agree record by record. When libzscanner accepts an input we must accept
 * it too; when it rejects one, the records before its first error must
 * agree (we check the RDATA of fewer types, so we may accept more). */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include <libzscanner/scanner.h>

#include "base/buf.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"

#define ORIGIN "ex."

typedef struct side {
	dbuf_t out;        /* one line per record */
	unsigned long n;
	bool error;
	unsigned long err_line;  /* libzscanner's error: line and code */
	int err_code;
} side_t;

static int add_line(side_t *s, const char *owner, uint16_t type, const char *ns,
                    const uint8_t *ds, size_t dslen)
{
	char tb[16];
	int ret = dbuf_addf(&s->out, "%s %s", owner, zone_type_name(type, tb));
	if (ret == TS_OK && ns != NULL)
		ret = dbuf_addf(&s->out, " %s", ns);
	for (size_t i = 0; ret == TS_OK && ds != NULL && i < dslen; i++)
		ret = dbuf_addf(&s->out, i == 0 ? " %02x" : "%02x", ds[i]);
	if (ret == TS_OK)
		ret = dbuf_addc(&s->out, '\n');
	s->n++;
	return ret;
}

static int ours_rr(void *user, const zone_rr_t *rr)
{
	side_t *s = user;
	if (rr->type == ZONE_T_NS)
		return add_line(s, rr->owner, rr->type, rr->rd.ns.name, NULL, 0);
	if (rr->type == ZONE_T_DS) {
		uint8_t buf[4 + 4096];
		size_t n = rr->rd.ds.digest_len < 4096 ? rr->rd.ds.digest_len : 4096;
		buf[0] = (uint8_t)(rr->rd.ds.key_tag >> 8);
		buf[1] = (uint8_t)rr->rd.ds.key_tag;
		buf[2] = rr->rd.ds.algorithm;
		buf[3] = rr->rd.ds.digest_type;
		memcpy(buf + 4, rr->rd.ds.digest, n);
		return add_line(s, rr->owner, rr->type, NULL, buf, 4 + n);
	}
	return add_line(s, rr->owner, rr->type, NULL, NULL, 0);
}

static void zs_rr(zs_scanner_t *z)
{
	side_t *s = z->process.data;
	name_t owner, ns;
	size_t used;
	if (name_from_wire(z->r_owner, z->r_owner_length, &owner, &used) != TS_OK) {
		s->error = true;
		z->state = ZS_STATE_STOP;
		return;
	}
	if (z->r_type == ZONE_T_NS) {
		if (name_from_wire(z->r_data, z->r_data_length, &ns, &used) != TS_OK || used != z->r_data_length) {
			s->error = true;  /* an NS RDATA we would refuse: stop comparing here */
			z->state = ZS_STATE_STOP;
			return;
		}
		(void)add_line(s, owner.text, z->r_type, ns.text, NULL, 0);
	} else if (z->r_type == ZONE_T_DS && z->r_data_length >= 4) {
		(void)add_line(s, owner.text, z->r_type, NULL, z->r_data,
		               z->r_data_length < 4 + 4096 ? z->r_data_length : 4 + 4096);
	} else if (z->r_type == ZONE_T_DS) {
		s->error = true;
		z->state = ZS_STATE_STOP;
	} else {
		(void)add_line(s, owner.text, z->r_type, NULL, NULL, 0);
	}
}

static void zs_err(zs_scanner_t *z)
{
	side_t *s = z->process.data;
	s->err_line = (unsigned long)z->line_counter;
	s->err_code = z->error.code;
	s->error = true;
	z->state = ZS_STATE_STOP;
}

static void run_zs(const char *text, size_t len, side_t *s)
{
	zs_scanner_t z;
	dbuf_init(&s->out, 1u << 30);
	s->n = 0;
	s->error = false;
	assert_int_equal(zs_init(&z, ORIGIN, 1, 3600), 0);
	assert_int_equal(zs_set_processing(&z, zs_rr, zs_err, s), 0);
	if (zs_set_input_string(&z, text, len) != 0 || zs_parse_all(&z) != 0)
		s->error = true;
	zs_deinit(&z);
}

/* Scans with the fast path's event reader kept to SSE2, to AVX2, then the
 * machine's best (TLDSEC_ZONE_SIMD): all three must give the same. */
static void run_ours(const char *text, size_t len, side_t *s)
{
	static const char *levels[] = { "sse2", "avx2", NULL };
	zone_opts_t o = { .origin = ORIGIN, .default_ttl = 3600, .no_include = true,
	                  .decode = ZONE_DEC_NS | ZONE_DEC_DS, .threads = 1 };
	side_t prev = { .n = 0 };
	for (unsigned k = 0; k < 3; k++) {
		if (levels[k] != NULL)
			assert_int_equal(setenv("TLDSEC_ZONE_SIMD", levels[k], 1), 0);
		else
			assert_int_equal(unsetenv("TLDSEC_ZONE_SIMD"), 0);
		dbuf_init(&s->out, 1u << 30);
		s->n = 0;
		s->error = zone_scan_mem("diff", text, len, &o, ours_rr, s, NULL) != TS_OK;
		if (k > 0) {
			if (prev.error != s->error || prev.n != s->n ||
			    strcmp(dbuf_str(&prev.out), dbuf_str(&s->out)) != 0)
				fail_msg("the fast path with %s differs from %s", levels[k] ? levels[k] : "the best",
				         levels[k - 1]);
			dbuf_free(&prev.out);
		}
		if (k < 2)
			prev = *s;
	}
}

/* Compares; returns the number of records compared. */
static unsigned long compare(const char *what, const char *text, size_t len, bool must_accept)
{
	side_t z, o;
	run_zs(text, len, &z);
	run_ours(text, len, &o);
	if (must_accept && z.error) {
		const char *l = text;
		for (unsigned long i = 1; i < z.err_line && l != NULL; i++) {
			l = strchr(l, '\n');
			l = l != NULL ? l + 1 : NULL;
		}
		fail_msg("%s: libzscanner rejected a generated zone at line %lu (%s): %.80s", what,
		         z.err_line, zs_strerror(z.err_code), l != NULL ? l : "");
	}
	/* we refuse any NUL byte as binary data; libzscanner lets some through */
	bool nul = memchr(text, '\0', len) != NULL;
	if (!z.error && o.error && !nul)
		fail_msg("%s: libzscanner accepts it, we do not (after %lu records)", what, o.n);
	const char *a = dbuf_str(&z.out), *b = dbuf_str(&o.out);
	unsigned long n = z.error || o.error ? (z.n < o.n ? z.n : o.n) : z.n;
	if (!z.error && !o.error && z.n != o.n)
		fail_msg("%s: %lu records from libzscanner, %lu from us", what, z.n, o.n);
	/* compare the first n lines */
	for (unsigned long i = 0; i < n; i++) {
		const char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		assert_non_null(ea);
		assert_non_null(eb);
		if (ea - a != eb - b || memcmp(a, b, (size_t)(ea - a)) != 0)
			fail_msg("%s: record %lu differs:\n  libzscanner: %.*s\n  ours:        %.*s", what,
			         i + 1, (int)(ea - a), a, (int)(eb - b), b);
		a = ea + 1;
		b = eb + 1;
	}
	dbuf_free(&z.out);
	dbuf_free(&o.out);
	return n;
}

/* ---- a generator of zones in varied, legal syntax ---- */

static uint64_t rng = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static void gen_label(dbuf_t *b, bool escapes)
{
	static const char al[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
	unsigned n = 1 + rnd(12);
	for (unsigned i = 0; i < n; i++) {
		unsigned r = rnd(100);
		int ret;
		if (escapes && r < 3)
			ret = dbuf_addf(b, "\\%03u", rnd(256));
		else if (escapes && r < 5)
			ret = dbuf_addf(b, "\\%c", "./;()\\\"$@ "[rnd(10)]);
		else
			ret = dbuf_addc(b, al[rnd(sizeof(al) - 1)]);
		assert_int_equal(ret, TS_OK);
	}
}

static void gen_name(dbuf_t *b, bool escapes)
{
	unsigned labels = 1 + rnd(3);
	for (unsigned i = 0; i < labels; i++) {
		if (i > 0)
			assert_int_equal(dbuf_addc(b, '.'), TS_OK);
		gen_label(b, escapes);
	}
	if (rnd(3) == 0)
		assert_int_equal(dbuf_adds(b, ".ex."), TS_OK);  /* absolute */
}

static void gen_blank(dbuf_t *b)
{
	assert_int_equal(dbuf_adds(b, rnd(3) == 0 ? "\t" : rnd(2) ? " " : "   "), TS_OK);
}

static void gen_ttl_class(dbuf_t *b)
{
	static const char *ttls[] = { "3600", "1d", "1h30m", "2W", "0", "86400", "1D2H3M4S",
	                              "00000300", "99999999", "123456789" };
	switch (rnd(5)) {
	case 0: break;
	case 1: assert_int_equal(dbuf_addf(b, "%s", ttls[rnd(10)]), TS_OK); gen_blank(b); break;
	case 2: assert_int_equal(dbuf_adds(b, rnd(2) ? "IN" : "in"), TS_OK); gen_blank(b); break;
	case 3: assert_int_equal(dbuf_addf(b, "%s IN", ttls[rnd(10)]), TS_OK); gen_blank(b); break;
	default: assert_int_equal(dbuf_addf(b, "IN %s", ttls[rnd(10)]), TS_OK); gen_blank(b); break;
	}
}

static void gen_hex(dbuf_t *b, unsigned bytes, bool split)
{
	for (unsigned i = 0; i < bytes; i++) {
		if (split && i > 0 && i % 16 == 0)
			assert_int_equal(dbuf_adds(b, rnd(3) == 0 ? " ; part\n\t" : rnd(2) ? "\n\t\t" : " "), TS_OK);
		assert_int_equal(dbuf_addf(b, rnd(2) ? "%02x" : "%02X", rnd(256)), TS_OK);
	}
}

static char *gen_zone(unsigned records, bool escapes, size_t *len)
{
	dbuf_t b;
	dbuf_init(&b, 1u << 28);
	assert_int_equal(dbuf_adds(&b, "$TTL 1h\n@ IN SOA ns1 host.master ( 1 2 3 4 5 )\n"), TS_OK);
	bool have_owner = true;
	for (unsigned i = 0; i < records; i++) {
		unsigned kind = rnd(100);
		if (kind < 2) {
			assert_int_equal(dbuf_adds(&b, rnd(2) ? "$ORIGIN " : "$origin "), TS_OK);
			gen_name(&b, false);  /* libzscanner wants an absolute origin */
			if (b.p[b.len - 1] != '.')
				assert_int_equal(dbuf_adds(&b, ".ex."), TS_OK);
			assert_int_equal(dbuf_adds(&b, "\n"), TS_OK);
			continue;
		}
		if (kind < 4) {
			assert_int_equal(dbuf_adds(&b, rnd(2) ? "; comment ( \" \n" : "\n"), TS_OK);
			continue;
		}
		/* owner */
		unsigned o = rnd(10);
		if (o < 3 && have_owner)
			gen_blank(&b);
		else if (o == 3)
			assert_int_equal(dbuf_adds(&b, "@"), TS_OK);
		else
			gen_name(&b, escapes);
		have_owner = true;
		gen_blank(&b);
		gen_ttl_class(&b);
		unsigned t = rnd(100);
		int ret = TS_OK;
		bool paren = rnd(6) == 0;
		if (t < 40) {
			ret = dbuf_adds(&b, rnd(2) ? "NS" : "ns");
			gen_blank(&b);
			if (paren)
				assert_int_equal(dbuf_adds(&b, "( "), TS_OK);
			if (rnd(10) == 0)
				assert_int_equal(dbuf_adds(&b, "@"), TS_OK);
			else
				gen_name(&b, escapes);
			if (paren)
				assert_int_equal(dbuf_adds(&b, rnd(2) ? " )" : "\n )"), TS_OK);
		} else if (t < 60) {
			ret = dbuf_addf(&b, "DS %s%u %s %u ", paren ? "( " : "", rnd(65536),
			                rnd(4) ? "13" : rnd(2) ? "RSASHA256" : "8", rnd(4) ? 2 : rnd(256));
			gen_hex(&b, rnd(4) ? 32 : 1 + rnd(48), paren);
			if (paren)
				assert_int_equal(dbuf_adds(&b, " ) ; split"), TS_OK);
		} else if (t < 65) {
			ret = dbuf_addf(&b, "TYPE2 \\# ");
			dbuf_t nm;
			dbuf_init(&nm, 4096);
			/* a wire name: two labels */
			unsigned l1 = 1 + rnd(5), l2 = 1 + rnd(5);
			assert_int_equal(dbuf_addf(&b, "%u %02x", l1 + l2 + 3, l1), TS_OK);
			for (unsigned k = 0; k < l1; k++)
				assert_int_equal(dbuf_addf(&b, "%02x", 'a' + rnd(26)), TS_OK);
			assert_int_equal(dbuf_addf(&b, " %02x", l2), TS_OK);
			for (unsigned k = 0; k < l2; k++)
				assert_int_equal(dbuf_addf(&b, "%02X", 'A' + rnd(26)), TS_OK);
			assert_int_equal(dbuf_adds(&b, "00"), TS_OK);
			dbuf_free(&nm);
		} else if (t < 72) {
			ret = dbuf_addf(&b, "A %u.%u.%u.%u", rnd(256), rnd(256), rnd(256), rnd(256));
		} else if (t < 76) {
			ret = dbuf_addf(&b, "AAAA 2001:db8::%x", rnd(65536));
		} else if (t < 82) {
			ret = dbuf_addf(&b, "TXT \"v=%u; (x) \\\"q\\\"\" plain%u", rnd(9), rnd(9));
		} else if (t < 86) {
			ret = dbuf_addf(&b, "MX %u ", rnd(100));
			gen_name(&b, escapes);
		} else if (t < 89) {
			ret = dbuf_addf(&b, "CNAME ");
			gen_name(&b, false);
		} else if (t < 92) {
			ret = dbuf_addf(&b, "TYPE%u \\# 3 abcdef", 65280 + rnd(200));
		} else if (t < 95) {
			ret = dbuf_addf(&b, "RRSIG NS 13 2 3600 20260102030405 20251201000000 %u ex. bGFsbA==",
			                rnd(65536));
		} else {
			ret = dbuf_addf(&b, "DNSKEY 257 3 13 ( AwEAAag= )");
		}
		assert_int_equal(ret, TS_OK);
		if (rnd(5) == 0)
			assert_int_equal(dbuf_adds(&b, " ; comment"), TS_OK);
		assert_int_equal(dbuf_adds(&b, "\n"), TS_OK);  /* libzscanner refuses CRLF */
	}
	*len = b.len;
	return dbuf_take(&b);
}

static void test_generated(void **state)
{
	(void)state;
	unsigned long total = 0;
	for (unsigned i = 0; i < 300; i++) {
		size_t len;
		char *z = gen_zone(50 + rnd(200), i % 2 == 1, &len);
		char what[64];
		snprintf(what, sizeof(what), "generated zone %u", i);
		total += compare(what, z, len, true);
		free(z);
	}
	/* one zone large enough to cross the scanner's blocks */
	size_t len;
	char *z = gen_zone(200000, true, &len);
	total += compare("large generated zone", z, len, true);
	free(z);
	assert_true(total > 200000);
	printf("# %lu records agreed\n", total);
}

static void test_corpus(void **state)
{
	(void)state;
	const char *env = getenv("ZONE_DIFF_DIR");  /* an extra directory, e.g. a fuzzer's corpus */
	const char *dirs[] = { "tests/fuzz/corpus/zone", "tests/data/zone", env != NULL ? env : "" };
	unsigned files = 0;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		DIR *dir = opendir(dirs[d]);
		if (dir == NULL)
			continue;
		struct dirent *e;
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			char path[1024];
			snprintf(path, sizeof(path), "%s/%s", dirs[d], e->d_name);
			FILE *f = fopen(path, "rb");
			if (f == NULL)
				continue;
			dbuf_t b;
			dbuf_init(&b, 1u << 28);
			char buf[65536];
			size_t n;
			while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
				assert_int_equal(dbuf_add(&b, buf, n), TS_OK);
			fclose(f);
			/* libzscanner ignores a bad last line without a line end (an
			 * unknown directive, say): end every input with one. gzip
			 * files are ours only: libzscanner reads text. */
			assert_int_equal(dbuf_addc(&b, '\n'), TS_OK);
			if (!(b.len >= 2 && (unsigned char)b.p[0] == 0x1f && (unsigned char)b.p[1] == 0x8b))
				compare(path, b.p, b.len, false);
			dbuf_free(&b);
			files++;
		}
		closedir(dir);
	}
	assert_true(files >= 5);
	printf("# %u corpus files compared\n", files);
}

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col; (void)msg;
}

int main(void)
{
	ts_log_set(quiet, NULL, TS_LOG_ERR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_generated),
		cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests_name("zone_diff", tests, NULL, NULL);
}
