/* test_dga.c — the DGA families against reference lists, the hashes against
 * published vectors, parameter checking and the date-range driver. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

#include "base/clock.h"
#include "base/err.h"
#include "base/log.h"
#include "dga/dga.h"

/* Collects what dga_generate emits: a running SHA-256 of "name\n" lines, the
 * count, the first and last names, and the days reported. */
typedef struct collect {
	crypto_hash_sha256_state sha;
	size_t n;
	char first[DGA_MAX_NAME];
	char last[DGA_MAX_NAME];
	int64_t days[8];
	size_t ndays;
	size_t stop_at;        /* non-zero: return TS_ECHECK at this name */
} collect_t;

static int collect_name(void *user, const char *name, size_t len, int64_t day)
{
	collect_t *c = user;
	assert_int_equal(strlen(name), len);
	assert_true(len > 0 && len < DGA_MAX_NAME);
	crypto_hash_sha256_update(&c->sha, (const unsigned char *)name, len);
	crypto_hash_sha256_update(&c->sha, (const unsigned char *)"\n", 1);
	if (c->n == 0)
		memcpy(c->first, name, len + 1);
	memcpy(c->last, name, len + 1);
	if (c->ndays == 0 || c->days[c->ndays - 1] != day) {
		if (c->ndays < 8)
			c->days[c->ndays] = day;
		c->ndays++;
	}
	c->n++;
	if (c->stop_at != 0 && c->n == c->stop_at)
		return TS_ECHECK;
	return 0;
}

static void collect_init(collect_t *c)
{
	memset(c, 0, sizeof(*c));
	crypto_hash_sha256_init(&c->sha);
}

static void collect_hex(collect_t *c, char hex[65])
{
	unsigned char h[32];
	crypto_hash_sha256_final(&c->sha, h);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
}

static int64_t day_of(const char *date)
{
	int64_t t;
	assert_int_equal(ts_time_parse(date, strlen(date), &t), TS_OK);
	return t / 86400;
}

static const char *opt(const char *field)
{
	return strcmp(field, "-") == 0 ? NULL : field;
}

/* Every row of tests/data/dga/vectors.tsv: family, date, seed, TLDs, count,
 * SHA-256 of the whole list, first and last names. */
static void test_reference_lists(void **state)
{
	(void)state;
	FILE *fp = fopen(TS_TEST_DATA "/dga/vectors.tsv", "r");
	assert_non_null(fp);
	char line[1024];
	size_t rows = 0, families_seen = 0;
	char seen[16][16];
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] == '#')
			continue;
		char *field[8];
		char *p = line;
		for (int i = 0; i < 8; i++) {
			field[i] = p;
			p += strcspn(p, "\t\n");
			if (*p != '\0')
				*p++ = '\0';
		}
		const dga_family_t *f = dga_find(field[0]);
		assert_non_null(f);
		dga_params_t prm;
		uint64_t count = strtoull(field[4], NULL, 10);
		assert_int_equal(dga_params_init(f, opt(field[2]), opt(field[3]), count, &prm), TS_OK);
		int64_t day = opt(field[1]) != NULL ? day_of(field[1]) : 0;
		collect_t c;
		collect_init(&c);
		assert_int_equal(dga_generate(f, &prm, day, 1, collect_name, &c), TS_OK);
		char hex[65];
		collect_hex(&c, hex);
		if (strcmp(hex, field[5]) != 0 || strcmp(c.first, field[6]) != 0)
			fprintf(stderr, "# %s %s seed %s: first %s, want %s\n", field[0], field[1],
			        field[2], c.first, field[6]);
		assert_int_equal(c.n, count);
		assert_string_equal(c.first, field[6]);
		assert_string_equal(c.last, field[7]);
		assert_string_equal(hex, field[5]);
		bool known = false;
		for (size_t i = 0; i < families_seen; i++)
			known = known || strcmp(seen[i], field[0]) == 0;
		if (!known && families_seen < 16)
			snprintf(seen[families_seen++], sizeof(seen[0]), "%s", field[0]);
		rows++;
	}
	fclose(fp);
	size_t nfam;
	dga_families(&nfam);
	assert_int_equal(families_seen, nfam);   /* every family has reference lists */
	assert_true(rows >= 2 * nfam);
}

/* The first names each family's public analysis shows (domain.md §4). */
static void test_published_first_names(void **state)
{
	(void)state;
	static const struct {
		const char *family, *date, *seed, *tlds;
		const char *names[4];
	} cases[] = {
		{ "necurs", "2016-01-01", NULL, NULL,
		  { "gdktygeuxvijrws.com", "wpllacvvmnjujhfw.cc", "trlywdwykft.sc", NULL } },
		{ "newgoz", "2014-06-01", NULL, NULL,
		  { "jjxcu32oe5o6nsd22ugdd72i.com", "ckkg8f17uzqq11jpava31ajb0k2.net",
		    "me8hlf1s0eqnsv8zqhuzn1mj2.biz", NULL } },
		{ "murofet", "2011-01-01", NULL, NULL,
		  { "jzqghairtcbmpuswsbuyqwjfx.ru", "dkvfadqpbeusvolnhjbwgryxh.com",
		    "aquslrdufyrovbqsocqlwkxxiv.net", NULL } },
		{ "nymaim", "2014-11-14", NULL, NULL,
		  { "gdnlojuqyy.info", "bljeucka.org", "mggobduvo.info", NULL } },
		{ "qakbot", "2016-01-01", "0", NULL,
		  { "ypyinqvaq.info", "tsnfqiukjka.info", "pdogztgcinqsshjeczsle.info", NULL } },
		{ "locky", "2016-03-01", "9", NULL,
		  { "ehiihwxljepya.fr", "nfdujjeieqe.fr", "brniemig.yt", NULL } },
		{ "ramnit", NULL, "EF214BBF", "click,com,eu,bid",
		  { "mtsoexdphaqlivawrio.click", "uulwwmawqjuju.com", "twuybywnrlqcftkyue.eu", NULL } },
		{ "pykspa", "2015-02-16", NULL, NULL,
		  { "ejtuxsflbknn.net", "wrthooba.info", "asgwkyaioy.com", "nazihzsljevt.net" } },
		{ "banjori", NULL, "earnestnessbiophysicalohax.com", NULL,
		  { "kwtoestnessbiophysicalohax.com", "rvcxestnessbiophysicalohax.com", NULL, NULL } },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const dga_family_t *f = dga_find(cases[i].family);
		assert_non_null(f);
		size_t want = 0;
		while (want < 4 && cases[i].names[want] != NULL)
			want++;
		dga_params_t prm;
		assert_int_equal(dga_params_init(f, cases[i].seed, cases[i].tlds, want, &prm), TS_OK);
		collect_t c;
		collect_init(&c);
		int64_t day = cases[i].date != NULL ? day_of(cases[i].date) : 0;
		assert_int_equal(dga_generate(f, &prm, day, 1, collect_name, &c), TS_OK);
		assert_int_equal(c.n, want);
		assert_string_equal(c.first, cases[i].names[0]);
		assert_string_equal(c.last, cases[i].names[want - 1]);
	}
}

static void hex16(const uint8_t *d, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

/* RFC 1321's test suite and the MD6 submission's "abc" example. */
static void test_hashes(void **state)
{
	(void)state;
	uint8_t d[32];
	char hex[65];
	dga_md5_short("", 0, d);
	hex16(d, 16, hex);
	assert_string_equal(hex, "d41d8cd98f00b204e9800998ecf8427e");
	dga_md5_short("abc", 3, d);
	hex16(d, 16, hex);
	assert_string_equal(hex, "900150983cd24fb0d6963f7d28e17f72");
	dga_md5_short("message digest", 14, d);
	hex16(d, 16, hex);
	assert_string_equal(hex, "f96b697d7cb7938d525a2f31aaf161d0");
	dga_md5_short("abcdefghijklmnopqrstuvwxyz", 26, d);
	hex16(d, 16, hex);
	assert_string_equal(hex, "c3fcd3d76192e4007dfb496cca67e13b");
	dga_md6_256_short("abc", 3, d);
	hex16(d, 32, hex);
	assert_string_equal(hex, "230637d4e6845cf0d092b558e87625f03881dd53a7439da34cf3b94ed0d8b2c5");
}

static void quiet_log(void *user, ts_log_level_t level, const char *file, unsigned long line,
                      unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col; (void)msg;
}

static void test_params(void **state)
{
	(void)state;
	dga_params_t p;
	ts_log_set(quiet_log, NULL, TS_LOG_DEBUG);
	const dga_family_t *qak = dga_find("qakbot"), *ram = dga_find("ramnit");
	const dga_family_t *ban = dga_find("banjori"), *nym = dga_find("nymaim");
	const dga_family_t *lck = dga_find("locky");
	assert_null(dga_find("conficker"));
	assert_int_equal(dga_params_init(qak, "1", NULL, 0, &p), TS_OK);
	assert_int_equal(p.seed, 1);
	assert_int_equal(p.count, 5000);
	assert_int_equal(dga_params_init(qak, "2", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(qak, "x", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(qak, NULL, "com", 0, &p), TS_EUSAGE);
	assert_int_equal(dga_params_init(nym, "1", NULL, 0, &p), TS_EUSAGE);
	assert_int_equal(dga_params_init(ram, "ef214bbf", NULL, 0, &p), TS_OK);
	assert_int_equal(p.seed, 0xEF214BBFu);
	assert_int_equal(p.ntlds, 4);
	assert_string_equal(p.tld[0], "click");
	assert_int_equal(dga_params_init(ram, "EF214BBF0", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ram, "EF21G", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ram, "", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ram, NULL, ".COM,net", 0, &p), TS_OK);
	assert_int_equal(p.ntlds, 2);
	assert_string_equal(p.tld[0], "com");
	assert_int_equal(dga_params_init(ram, NULL, "com,,net", 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ram, NULL, "co_m", 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ram, NULL, "", 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(lck, NULL, NULL, DGA_MAX_COUNT + 1, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ban, "Earnestness.COM", NULL, 0, &p), TS_OK);
	assert_string_equal(p.seed_name, "earnestness.com");
	assert_int_equal(dga_params_init(ban, "abc.com", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ban, "abcdcom", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ban, "abcd..com", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ban, "abcd.com.", NULL, 0, &p), TS_EINPUT);
	assert_int_equal(dga_params_init(ban, "ab d.com", NULL, 0, &p), TS_EINPUT);
	ts_log_set(NULL, NULL, TS_LOG_WARN);
}

/* --days: each period once, reported with the first requested day in it. */
static void test_periods(void **state)
{
	(void)state;
	dga_params_t p;
	collect_t c;
	const dga_family_t *nec = dga_find("necurs");
	assert_int_equal(dga_params_init(nec, NULL, NULL, 3, &p), TS_OK);
	collect_init(&c);
	/* 2016-01-01..07: days 1-3 and 4-7 of January, two periods */
	assert_int_equal(dga_generate(nec, &p, day_of("2016-01-01"), 7, collect_name, &c), TS_OK);
	assert_int_equal(c.n, 6);
	assert_int_equal(c.ndays, 2);
	assert_int_equal(c.days[0], day_of("2016-01-01"));
	assert_int_equal(c.days[1], day_of("2016-01-04"));

	/* qakbot: thirds of the month; the 31st belongs with the 21st */
	const dga_family_t *qak = dga_find("qakbot");
	assert_int_equal(qak->period_key(day_of("2016-01-21")), qak->period_key(day_of("2016-01-31")));
	assert_true(qak->period_key(day_of("2016-01-20")) != qak->period_key(day_of("2016-01-21")));
	/* locky: day 1 alone, then pairs 2-3, 4-5 */
	const dga_family_t *lck = dga_find("locky");
	assert_true(lck->period_key(day_of("2016-03-01")) != lck->period_key(day_of("2016-03-02")));
	assert_int_equal(lck->period_key(day_of("2016-03-02")), lck->period_key(day_of("2016-03-03")));
	/* murofet: days 1-6, 7-13 */
	const dga_family_t *mur = dga_find("murofet");
	assert_int_equal(mur->period_key(day_of("2011-01-01")), mur->period_key(day_of("2011-01-06")));
	assert_true(mur->period_key(day_of("2011-01-06")) != mur->period_key(day_of("2011-01-07")));
	/* pykspa: 20-day windows counted from 1970-01-01 */
	const dga_family_t *pyk = dga_find("pykspa");
	assert_int_equal(pyk->period_key(day_of("2015-02-16")), 824);

	/* undated families print their list once, whatever the range */
	const dga_family_t *ram = dga_find("ramnit");
	assert_int_equal(dga_params_init(ram, NULL, NULL, 5, &p), TS_OK);
	collect_init(&c);
	assert_int_equal(dga_generate(ram, &p, day_of("2020-01-01"), 30, collect_name, &c), TS_OK);
	assert_int_equal(c.n, 5);
	assert_int_equal(c.ndays, 1);

	/* newgoz 3 days: three lists; the first equals a one-day run */
	const dga_family_t *gz = dga_find("newgoz");
	assert_int_equal(dga_params_init(gz, NULL, NULL, 0, &p), TS_OK);
	collect_init(&c);
	assert_int_equal(dga_generate(gz, &p, day_of("2014-06-01"), 3, collect_name, &c), TS_OK);
	assert_int_equal(c.n, 3000);
	assert_int_equal(c.ndays, 3);
	assert_string_equal(c.first, "jjxcu32oe5o6nsd22ugdd72i.com");
}

static void test_range_and_stop(void **state)
{
	(void)state;
	dga_params_t p;
	collect_t c;
	const dga_family_t *nym = dga_find("nymaim");
	ts_log_set(quiet_log, NULL, TS_LOG_DEBUG);
	assert_int_equal(dga_params_init(nym, NULL, NULL, 0, &p), TS_OK);
	collect_init(&c);
	assert_int_equal(dga_generate(nym, &p, -1, 1, collect_name, &c), TS_EINPUT);
	assert_int_equal(dga_generate(nym, &p, 0, 0, collect_name, &c), TS_EINPUT);
	assert_int_equal(dga_generate(nym, &p, 0, DGA_MAX_DAYS + 1, collect_name, &c), TS_EINPUT);
	assert_int_equal(dga_generate(nym, &p, DGA_LAST_DAY, 2, collect_name, &c), TS_EINPUT);
	assert_int_equal(c.n, 0);
	assert_int_equal(dga_generate(nym, &p, DGA_LAST_DAY, 1, collect_name, &c), TS_OK);
	assert_int_equal(c.n, 128);
	ts_log_set(NULL, NULL, TS_LOG_WARN);
	/* the callback's refusal stops every family at once */
	size_t n;
	const dga_family_t *f = dga_families(&n);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(dga_params_init(&f[i], NULL, NULL, 0, &p), TS_OK);
		collect_init(&c);
		c.stop_at = 3;
		assert_int_equal(dga_generate(&f[i], &p, day_of("2016-05-05"), 40, collect_name, &c),
		                 TS_ECHECK);
		assert_int_equal(c.n, 3);
	}
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference_lists),
		cmocka_unit_test(test_published_first_names),
		cmocka_unit_test(test_hashes),
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_range_and_stop),
	};
	return cmocka_run_group_tests_name("dga", tests, NULL, NULL);
}
