/* num.c — checked decimal parsing. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/num.h"

int ts_parse_u64(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	if (n == 0)
		return TS_EINPUT;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return TS_EINPUT;
		unsigned dgt = (unsigned)(s[i] - '0');
		if (dgt > max || v > (max - dgt) / 10)
			return TS_EINPUT;
		v = v * 10 + dgt;
	}
	*out = v;
	return TS_OK;
}

int ts_parse_i64(const char *s, size_t n, int64_t min, int64_t max, int64_t *out)
{
	uint64_t v;
	if (n > 0 && s[0] == '-') {
		uint64_t lim = min < 0 ? (uint64_t)(-(min + 1)) + 1 : 0;
		if (ts_parse_u64(s + 1, n - 1, lim, &v) != TS_OK)
			return TS_EINPUT;
		*out = v == 0 ? 0 : -(int64_t)(v - 1) - 1;
		return *out >= min ? TS_OK : TS_EINPUT;
	}
	if (max < 0 || ts_parse_u64(s, n, (uint64_t)max, &v) != TS_OK)
		return TS_EINPUT;
	*out = (int64_t)v;
	return *out >= min ? TS_OK : TS_EINPUT;
}

int ts_parse_double(const char *s, size_t n, double *out)
{
	char tmp[64];
	if (n == 0 || n >= sizeof(tmp))
		return TS_EINPUT;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= '0' && c <= '9') || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
			return TS_EINPUT;
	}
	memcpy(tmp, s, n);
	tmp[n] = '\0';
	char *end;
	double v = strtod(tmp, &end);
	if (end != tmp + n || !isfinite(v))
		return TS_EINPUT;
	*out = v;
	return TS_OK;
}

int ts_parse_uint_arg(const char *s, uint64_t max, uint64_t *out)
{
	return ts_parse_u64(s, strlen(s), max, out);
}
