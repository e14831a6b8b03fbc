/* clock.c — TLDSEC_NOW, and ISO 8601 parsing and formatting in UTC.
 * Date arithmetic uses the well-known era/day-of-era decomposition of the
 * proleptic Gregorian calendar (400-year eras of 146097 days). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"

int64_t ts_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void ts_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int digits(const char *s, size_t n, size_t at, size_t count, unsigned *out)
{
	unsigned v = 0;
	if (at + count > n)
		return -1;
	for (size_t i = at; i < at + count; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

static unsigned days_in_month(int64_t y, unsigned m)
{
	static const unsigned dm[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m == 2 && leap ? 29 : dm[m - 1];
}

int ts_time_parse(const char *s, size_t n, int64_t *out)
{
	unsigned y, mo, d, h = 0, mi = 0, se = 0;
	if (digits(s, n, 0, 4, &y) || n < 10 || s[4] != '-' || digits(s, n, 5, 2, &mo) ||
	    s[7] != '-' || digits(s, n, 8, 2, &d))
		return TS_EINPUT;
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return TS_EINPUT;
	size_t i = 10;
	int64_t offset = 0;
	if (i < n) {
		if ((s[i] != 'T' && s[i] != 't' && s[i] != ' ') || digits(s, n, i + 1, 2, &h) ||
		    i + 3 >= n || s[i + 3] != ':' || digits(s, n, i + 4, 2, &mi))
			return TS_EINPUT;
		i += 6;
		if (i < n && s[i] == ':') {
			if (digits(s, n, i + 1, 2, &se))
				return TS_EINPUT;
			i += 3;
			if (i < n && s[i] == '.') {
				i++;
				size_t f = i;
				while (i < n && s[i] >= '0' && s[i] <= '9')
					i++;
				if (i == f)
					return TS_EINPUT;
			}
		}
		if (h > 23 || mi > 59 || se > 60)
			return TS_EINPUT;
		if (i < n && (s[i] == 'Z' || s[i] == 'z')) {
			i++;
		} else if (i < n && (s[i] == '+' || s[i] == '-')) {
			unsigned oh, om;
			if (digits(s, n, i + 1, 2, &oh) || i + 3 >= n || s[i + 3] != ':' ||
			    digits(s, n, i + 4, 2, &om) || oh > 23 || om > 59)
				return TS_EINPUT;
			offset = (int64_t)(oh * 3600 + om * 60) * (s[i] == '-' ? -1 : 1);
			i += 6;
		}
	}
	if (i != n)
		return TS_EINPUT;
	*out = ts_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset;
	return TS_OK;
}

static void put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
}

void ts_time_format(int64_t t, char buf[TS_TIME_TEXT])
{
	int64_t days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
	int64_t sec = t - days * 86400;
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(days, &y, &m, &d);
	unsigned yy = (unsigned)(y < 0 ? 0 : y > 9999 ? 9999 : y);
	put2(buf, yy / 100);
	put2(buf + 2, yy % 100);
	buf[4] = '-';
	put2(buf + 5, m);
	buf[7] = '-';
	put2(buf + 8, d);
	buf[10] = 'T';
	put2(buf + 11, (unsigned)(sec / 3600));
	buf[13] = ':';
	put2(buf + 14, (unsigned)(sec / 60 % 60));
	buf[16] = ':';
	put2(buf + 17, (unsigned)(sec % 60));
	buf[19] = 'Z';
	buf[20] = '\0';
}

void ts_date_format(int64_t t, char buf[11])
{
	char full[TS_TIME_TEXT];
	ts_time_format(t, full);
	memcpy(buf, full, 10);
	buf[10] = '\0';
}

int ts_now(int64_t *out)
{
	const char *env = getenv("TLDSEC_NOW");
	if (env != NULL && env[0] != '\0')
		return ts_time_parse(env, strlen(env), out);
	*out = (int64_t)time(NULL);
	return TS_OK;
}
