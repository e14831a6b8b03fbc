/* buf.c — capped growable buffers. */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/buf.h"

void dbuf_init(dbuf_t *b, size_t max)
{
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
	b->max = max;
}

void dbuf_free(dbuf_t *b)
{
	ts_free(b->p);
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
}

void dbuf_reset(dbuf_t *b)
{
	b->len = 0;
	if (b->p != NULL)
		b->p[0] = '\0';
}

static int dbuf_reserve(dbuf_t *b, size_t extra)
{
	if (extra > b->max || b->len > b->max - extra)
		return TS_ELIMIT;
	size_t need = b->len + extra + 1;
	if (need <= b->alloc)
		return TS_OK;
	size_t na = b->alloc ? b->alloc : 64;
	while (na < need)
		na = na > ((size_t)-1) / 2 ? need : na * 2;
	if (na > b->max + 1)
		na = b->max + 1;
	char *np = ts_realloc(b->p, na);
	if (np == NULL)
		return TS_ENOMEM;
	b->p = np;
	b->alloc = na;
	return TS_OK;
}

int dbuf_add(dbuf_t *b, const void *data, size_t n)
{
	int ret = dbuf_reserve(b, n);
	if (ret != TS_OK)
		return ret;
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return TS_OK;
}

int dbuf_adds(dbuf_t *b, const char *s)
{
	return dbuf_add(b, s, strlen(s));
}

int dbuf_addc(dbuf_t *b, char c)
{
	return dbuf_add(b, &c, 1);
}

int dbuf_vaddf(dbuf_t *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return TS_EINTERNAL;
	int ret = dbuf_reserve(b, (size_t)n);
	if (ret != TS_OK)
		return ret;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return TS_OK;
}

int dbuf_addf(dbuf_t *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int ret = dbuf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret;
}

/* Length of the valid UTF-8 sequence at s[0..n), or 0 when it is not one. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	unsigned cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) { len = 2; cp = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { len = 3; cp = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { len = 4; cp = c & 0x07; }
	else return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

int dbuf_add_json_str(dbuf_t *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	size_t start = b->len;
	int ret = TS_OK;
	for (size_t i = 0; i < n && ret == TS_OK;) {
		unsigned char c = u[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			ret = dbuf_add(b, e, 2);
		} else if (c == '\n') {
			ret = dbuf_add(b, "\\n", 2);
		} else if (c == '\r') {
			ret = dbuf_add(b, "\\r", 2);
		} else if (c == '\t') {
			ret = dbuf_add(b, "\\t", 2);
		} else if (c < 0x20 || c == 0x7f) {
			char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			ret = dbuf_add(b, e, 6);
		} else if (c >= 0x80) {
			size_t len = utf8_seq(u + i, n - i);
			if (len == 0) {
				ret = dbuf_add(b, "\\ufffd", 6); /* invalid UTF-8: replacement character */
				i++;
			} else {
				ret = dbuf_add(b, s + i, len);
				i += len;
			}
			continue;
		} else {
			ret = dbuf_add(b, &s[i], 1);
		}
		i++;
	}
	if (ret != TS_OK) {
		b->len = start;
		if (b->p != NULL)
			b->p[start] = '\0';
	}
	return ret;
}

const char *dbuf_str(const dbuf_t *b)
{
	return b->p != NULL ? b->p : "";
}

char *dbuf_take(dbuf_t *b)
{
	char *p = b->p;
	b->p = NULL;
	b->len = 0;
	b->alloc = 0;
	return p;
}
