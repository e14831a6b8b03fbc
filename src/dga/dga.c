/* dga.c — the table of families, parameter parsing, and the date-range
 * driver shared by `dga generate` and `dga check`. */
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/num.h"
#include "dga/dga.h"
#include "dga/family.h"

#define ROW(n) .period_key = dga_##n##_period, .generate = dga_##n##_generate

static const dga_family_t families[] = {
	{ .name = "necurs", .period_days = 4, .summary = "Necurs: 64-bit mixing function seeded by the date and a magic number",
	  .seed_kind = DGA_SEED_UINT, .seed_default = "9", .seed_max = UINT32_MAX,
	  .period = "4 days: year, month and day/4 (days 1-3, 4-7, ..., 28-31)", .dated = true,
	  .count = 2048, ROW(necurs) },
	{ .name = "newgoz", .period_days = 1, .summary = "new Gameover Zeus: MD5 of sequence number and date, base 36",
	  .period = "1 day", .dated = true, .count = 1000, ROW(newgoz) },
	{ .name = "murofet", .period_days = 7, .summary = "Murofet v1 (Licat): MD5 of year, month, week of month and index",
	  .period = "7 days: year, month and (day/7)*7 (days 1-6, 7-13, ..., 28-31)", .dated = true,
	  .count = 1020, ROW(murofet) },
	{ .name = "nymaim", .period_days = 1, .summary = "Nymaim: xorshift generator seeded by the date",
	  .period = "1 day", .dated = true, .count = 128, ROW(nymaim) },
	{ .name = "qakbot", .period_days = 10, .summary = "Qakbot: CRC-32 of the date text and seed, then MT19937",
	  .seed_kind = DGA_SEED_UINT, .seed_default = "0", .seed_max = 1,
	  .period = "10 days: days 1-10, 11-20, 21-end of each month", .dated = true,
	  .count = 5000, ROW(qakbot) },
	{ .name = "locky", .period_days = 2, .summary = "Locky v2: multiply-rotate generator, per-sample seed and TLD list",
	  .seed_kind = DGA_SEED_UINT, .seed_default = "9", .seed_max = UINT32_MAX,
	  .tlds_default = "ru,pw,eu,in,yt,pm,us,fr,de,it,be,uk,nl,tf",
	  .period = "2 days: year, month and day/2 (day 1, days 2-3, 4-5, ...)", .dated = true,
	  .count = 8, ROW(locky) },
	{ .name = "ramnit", .period_days = 0, .summary = "Ramnit: Park-Miller generator from a per-sample seed, TLD list",
	  .seed_kind = DGA_SEED_HEX32, .seed_default = "EF214BBF",
	  .tlds_default = "click,com,eu,bid",
	  .period = "none: one list per sample", .dated = false, .count = 100, ROW(ramnit) },
	{ .name = "pykspa", .period_days = 20, .summary = "Pykspa improved, set 1: MD6 of the 20-day window, then a mixing chain",
	  .period = "20 days: days since 1970-01-01 divided by 20", .dated = true,
	  .count = 200, ROW(pykspa) },
	{ .name = "banjori", .period_days = 0, .summary = "Banjori: each name rewrites the first four letters of the one before",
	  .seed_kind = DGA_SEED_DOMAIN, .seed_default = "earnestnessbiophysicalohax.com",
	  .period = "none: one chain per seed domain", .dated = false, .count = 1000, ROW(banjori) },
};

const dga_family_t *dga_families(size_t *n)
{
	*n = sizeof(families) / sizeof(families[0]);
	return families;
}

const dga_family_t *dga_find(const char *name)
{
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		if (strcmp(families[i].name, name) == 0)
			return &families[i];
	}
	return NULL;
}

void dga_date_of(int64_t day, dga_date_t *out)
{
	ts_civil_from_days(day, &out->year, &out->month, &out->day);
	int64_t w = (day + 4) % 7;      /* 1970-01-01 was a Thursday */
	out->wday = (unsigned)(w < 0 ? w + 7 : w);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char fold(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
}

static int parse_seed(const dga_family_t *f, const char *s, dga_params_t *p)
{
	size_t n = strlen(s);
	switch (f->seed_kind) {
	case DGA_SEED_NONE:
		return TS_EUSAGE;
	case DGA_SEED_UINT: {
		uint64_t v;
		/* v > seed_max is checked again: ts_parse_u64 lets a single digit
		 * above a one-digit maximum through. */
		if (ts_parse_uint_arg(s, f->seed_max, &v) != TS_OK || v > f->seed_max) {
			ts_log(TS_LOG_ERR, "%s: seed '%s' is not an integer from 0 to %lu", f->name, s,
			       (unsigned long)f->seed_max);
			return TS_EINPUT;
		}
		p->seed = (uint32_t)v;
		return TS_OK;
	}
	case DGA_SEED_HEX32: {
		uint32_t v = 0;
		if (n == 0 || n > 8)
			goto bad_hex;
		for (size_t i = 0; i < n; i++) {
			int h = hexval(s[i]);
			if (h < 0)
				goto bad_hex;
			v = (v << 4) | (uint32_t)h;
		}
		p->seed = v;
		return TS_OK;
bad_hex:
		ts_log(TS_LOG_ERR, "%s: seed '%s' is not 1 to 8 hexadecimal digits", f->name, s);
		return TS_EINPUT;
	}
	case DGA_SEED_DOMAIN: {
		/* The chain rewrites the first four characters, so the first label
		 * must have at least four; the rest is copied unchanged. */
		const char *dot = strchr(s, '.');
		size_t label = 0;
		if (n > 253 || dot == NULL || dot - s < 4)
			goto bad_name;
		for (size_t i = 0; i < n; i++) {
			char c = fold(s[i]);
			if (c == '.') {
				if (label == 0)
					goto bad_name;
				label = 0;
			} else if (!ldh(c) || ++label > 63) {
				goto bad_name;
			}
			p->seed_name[i] = c;
		}
		if (label == 0)
			goto bad_name;
		p->seed_name[n] = '\0';
		p->seed_len = n;
		return TS_OK;
bad_name:
		ts_log(TS_LOG_ERR, "%s: seed '%s' is not a domain name whose first label has at "
		       "least 4 letters, digits or hyphens", f->name, s);
		return TS_EINPUT;
	}
	}
	return TS_EINTERNAL;
}

static int parse_tlds(const dga_family_t *f, const char *s, dga_params_t *p)
{
	p->ntlds = 0;
	const char *item = s;
	for (;;) {
		const char *end = strchr(item, ',');
		size_t n = end != NULL ? (size_t)(end - item) : strlen(item);
		const char *t = item;
		if (n > 0 && t[0] == '.') {
			t++;
			n--;
		}
		if (n == 0 || n > DGA_MAX_TLD) {
			ts_log(TS_LOG_ERR, "%s: TLD list '%s' has an empty or over-long entry", f->name, s);
			return TS_EINPUT;
		}
		if (p->ntlds == DGA_MAX_TLDS) {
			ts_log(TS_LOG_ERR, "%s: TLD list '%s' has more than %u entries", f->name, s,
			       DGA_MAX_TLDS);
			return TS_EINPUT;
		}
		for (size_t i = 0; i < n; i++) {
			char c = fold(t[i]);
			if (!ldh(c)) {
				ts_log(TS_LOG_ERR, "%s: TLD '%.*s' holds a character other than a letter, "
				       "digit or hyphen", f->name, (int)n, t);
				return TS_EINPUT;
			}
			p->tld[p->ntlds][i] = c;
		}
		p->tld[p->ntlds][n] = '\0';
		p->tld_len[p->ntlds] = (uint8_t)n;
		p->ntlds++;
		if (end == NULL)
			break;
		item = end + 1;
	}
	return TS_OK;
}

int dga_params_init(const dga_family_t *f, const char *seed, const char *tlds,
                    uint64_t count, dga_params_t *out)
{
	int ret;
	memset(out, 0, sizeof(*out));
	if (seed == NULL)
		seed = f->seed_default;
	if (seed != NULL && (ret = parse_seed(f, seed, out)) != TS_OK)
		return ret;
	if (tlds != NULL && f->tlds_default == NULL)
		return TS_EUSAGE;
	if (tlds == NULL)
		tlds = f->tlds_default;
	if (tlds != NULL && (ret = parse_tlds(f, tlds, out)) != TS_OK)
		return ret;
	if (count > DGA_MAX_COUNT) {
		ts_log(TS_LOG_ERR, "%s: count %llu is above the limit of %u names per period", f->name,
		       (unsigned long long)count, DGA_MAX_COUNT);
		return TS_EINPUT;
	}
	out->count = count != 0 ? (uint32_t)count : f->count;
	return TS_OK;
}

int dga_generate(const dga_family_t *f, const dga_params_t *p, int64_t day,
                 uint32_t days, dga_emit_fn emit, void *user)
{
	if (days == 0 || days > DGA_MAX_DAYS || day < DGA_FIRST_DAY ||
	    day + (int64_t)days - 1 > DGA_LAST_DAY) {
		ts_log(TS_LOG_ERR, "%s: dates must lie within 1970-01-01 and 9999-12-31 and span "
		       "1 to %u days", f->name, DGA_MAX_DAYS);
		return TS_EINPUT;
	}
	dga_sink_t sink = { .emit = emit, .user = user, .day = day };
	int64_t prev = 0;
	for (int64_t d = day; d < day + (int64_t)days; d++) {
		int64_t key = f->period_key(d);
		if (d != day && key == prev)
			continue;
		prev = key;
		sink.day = d;
		int ret = f->generate(p, d, &sink);
		if (ret != 0)
			return ret;
	}
	return TS_OK;
}
