/* nist.c — the NIST SP 800-30 scales and Tables G-5 and I-2. */
#include <ctype.h>
#include <string.h>

#include "base/num.h"
#include "risk/nist.h"

static const char *const level_names[RISK_LEVELS] = {
	"very low", "low", "moderate", "high", "very high"
};
static const char *const level_abbr[RISK_LEVELS] = { "VL", "L", "M", "H", "VH" };
static const int level_score10[RISK_LEVELS] = { 0, 2, 5, 8, 10 };

#define VL RISK_VL
#define L  RISK_L
#define M  RISK_M
#define H  RISK_H
#define VH RISK_VH

/* Table G-5, indexed [initiation][impact likelihood], both lowest first.
 * The printed table lists rows from very high down; this is the same table
 * with the rows in ascending order. */
static const risk_level_t table_g5[RISK_LEVELS][RISK_LEVELS] = {
	/* initiation VL */ { VL, VL, L, L, L },
	/* initiation L  */ { VL, L,  L, M, M },
	/* initiation M  */ { L,  L,  M, M, H },
	/* initiation H  */ { L,  M,  M, H, VH },
	/* initiation VH */ { L,  M,  H, VH, VH },
};

/* Table I-2, indexed [overall likelihood][impact], both lowest first. */
static const risk_level_t table_i2[RISK_LEVELS][RISK_LEVELS] = {
	/* likelihood VL */ { VL, VL, VL, L, L },
	/* likelihood L  */ { VL, L,  L,  L, M },
	/* likelihood M  */ { VL, L,  M,  M, H },
	/* likelihood H  */ { VL, L,  M,  H, VH },
	/* likelihood VH */ { VL, L,  M,  H, VH },
};

#undef VL
#undef L
#undef M
#undef H
#undef VH

static risk_level_t clamp(risk_level_t l)
{
	return (unsigned)l < RISK_LEVELS ? l : RISK_VL;
}

const char *risk_level_name(risk_level_t l)
{
	return level_names[clamp(l)];
}

const char *risk_level_abbr(risk_level_t l)
{
	return level_abbr[clamp(l)];
}

int risk_level_score10(risk_level_t l)
{
	return level_score10[clamp(l)];
}

risk_level_t risk_g5(risk_level_t initiation, risk_level_t impact_likelihood)
{
	return table_g5[clamp(initiation)][clamp(impact_likelihood)];
}

risk_level_t risk_i2(risk_level_t likelihood, risk_level_t impact)
{
	return table_i2[clamp(likelihood)][clamp(impact)];
}

int risk_level_from_100(double v, risk_level_t *out)
{
	if (!(v >= 0.0 && v <= 100.0))
		return TS_EINPUT;
	*out = v >= 96.0 ? RISK_VH : v >= 80.0 ? RISK_H : v >= 21.0 ? RISK_M :
	       v >= 5.0 ? RISK_L : RISK_VL;
	return TS_OK;
}

/* Copies s[0..n) trimmed and lower-cased into buf with '-' and '_' turned
 * into spaces and runs of spaces collapsed. Returns the length, or 0 when the
 * text does not fit. */
static size_t fold(const char *s, size_t n, char *buf, size_t cap)
{
	size_t len = 0;
	bool space = false;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-' || c == '_' || isspace((unsigned char)c)) {
			space = len > 0;
			continue;
		}
		if (space) {
			if (len + 1 >= cap)
				return 0;
			buf[len++] = ' ';
			space = false;
		}
		if (len + 1 >= cap)
			return 0;
		buf[len++] = (char)tolower((unsigned char)c);
	}
	buf[len] = '\0';
	return len;
}

int risk_level_parse(const char *s, size_t n, risk_level_t *out)
{
	while (n > 0 && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return TS_EINPUT;
	if (isdigit((unsigned char)s[0]) || s[0] == '-' || s[0] == '+' || s[0] == '.') {
		double v;
		if (ts_parse_double(s, n, &v) != TS_OK)
			return TS_EINPUT;
		return risk_level_from_100(v, out);
	}
	char w[32];
	if (fold(s, n, w, sizeof(w)) == 0)
		return TS_EINPUT;
	for (int l = 0; l < RISK_LEVELS; l++) {
		char a[3];
		a[0] = (char)tolower((unsigned char)level_abbr[l][0]);
		a[1] = (char)tolower((unsigned char)level_abbr[l][1]);
		a[2] = '\0';
		if (strcmp(w, level_names[l]) == 0 || strcmp(w, a) == 0) {
			*out = (risk_level_t)l;
			return TS_OK;
		}
	}
	return TS_EINPUT;
}

int risk_source_type_parse(const char *s, size_t n, risk_source_type_t *out)
{
	static const char *const names[] = { "adversarial", "accidental", "structural", "environmental" };
	char w[32];
	size_t len = fold(s, n, w, sizeof(w));
	if (len == 0)
		return TS_EINPUT;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strcmp(w, names[i]) == 0) {
			*out = (risk_source_type_t)(i + 1);
			return TS_OK;
		}
	}
	return TS_EINPUT;
}
