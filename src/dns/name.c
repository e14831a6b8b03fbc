/* name.c — presentation and wire names to canonical text. */
#include <string.h>

#include "dns/name.h"

/* canon[c]: the byte c stands for in canonical text (lower-cased), or 0 when
 * it must be written as \DDD: letters, digits, '-', '_' and '*' only. */
static const unsigned char canon[256] = {
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,  42,   0,   0,  45,   0,   0,
	 48,  49,  50,  51,  52,  53,  54,  55,  56,  57,   0,   0,   0,   0,   0,   0,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,  95,
	  0,  97,  98,  99, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
	112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
	  0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,   0,
};

void name_root(name_t *n)
{
	n->len = 0;
	n->wire = 1;
	n->labels = 0;
	n->text[0] = '\0';
}

static size_t put_octet(char *o, unsigned v)
{
	unsigned char m = canon[v];
	if (m != 0) {
		o[0] = (char)m;
		return 1;
	}
	o[0] = '\\';
	o[1] = (char)('0' + v / 100);
	o[2] = (char)('0' + v / 10 % 10);
	o[3] = (char)('0' + v % 10);
	return 4;
}

static void copy_name(name_t *out, const name_t *src)
{
	if (src == NULL) {
		name_root(out);
		return;
	}
	out->len = src->len;
	out->wire = src->wire;
	out->labels = src->labels;
	memcpy(out->text, src->text, src->len + 1);
}

#define FAIL(msg, pos) do { *why = (msg); *at = (pos); return TS_ESYNTAX; } while (0)

int name_from_text(const char *s, size_t len, const name_t *origin, name_t *out,
                   const char **why, size_t *at)
{
	*why = NULL;
	*at = 0;
	if (len == 0)
		FAIL("empty name", 0);
	if (len == 1 && s[0] == '@') {
		copy_name(out, origin);
		return TS_OK;
	}
	if (len == 1 && s[0] == '.') {
		name_root(out);
		return TS_OK;
	}
	char *o = out->text;
	size_t olen = 0;
	unsigned wire = 1, labels = 0, lab = 0;
	bool absolute = false;
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		if (c == '.') {
			if (lab == 0)
				FAIL("empty label", i);
			labels++;
			wire += lab + 1;
			lab = 0;
			if (i + 1 == len) {
				absolute = true;
				break;
			}
			o[olen++] = '.';
			i++;
			continue;
		}
		size_t start = i;
		unsigned v = c;
		if (c == '\\') {
			if (i + 1 >= len)
				FAIL("backslash at the end of a name", i);
			unsigned char d = (unsigned char)s[i + 1];
			if (d >= '0' && d <= '9') {
				if (i + 3 >= len || s[i + 2] < '0' || s[i + 2] > '9' ||
				    s[i + 3] < '0' || s[i + 3] > '9')
					FAIL("\\DDD escape needs three digits", i);
				v = (unsigned)(d - '0') * 100 + (unsigned)(s[i + 2] - '0') * 10 +
				    (unsigned)(s[i + 3] - '0');
				if (v > 255)
					FAIL("\\DDD escape above 255", i);
				i += 4;
			} else {
				v = d;
				i += 2;
			}
		} else {
			i++;
		}
		if (lab == NAME_MAX_LABEL)
			FAIL("label longer than 63 octets", start);
		lab++;
		if (wire + lab + 1 > NAME_MAX_WIRE)
			FAIL("name longer than 255 octets", start);
		olen += put_octet(o + olen, v);
	}
	if (!absolute) {
		/* finish the last label, then append the origin */
		labels++;
		wire += lab + 1;
		if (origin != NULL && origin->labels > 0) {
			if (wire + origin->wire - 1 > NAME_MAX_WIRE)
				FAIL("name longer than 255 octets with the origin appended", 0);
			o[olen++] = '.';
			memcpy(o + olen, origin->text, origin->len);
			olen += origin->len;
			wire += origin->wire - 1;
			labels += origin->labels;
		}
	}
	o[olen] = '\0';
	out->len = olen;
	out->wire = wire;
	out->labels = labels;
	return TS_OK;
}

int name_from_wire(const uint8_t *w, size_t len, name_t *out, size_t *used)
{
	size_t i = 0, olen = 0;
	unsigned labels = 0;
	for (;;) {
		if (i >= len)
			return TS_ESYNTAX;
		unsigned l = w[i++];
		if (l == 0)
			break;
		if (l > NAME_MAX_LABEL || i + l > len || i + l + 1 > NAME_MAX_WIRE)
			return TS_ESYNTAX;
		if (labels > 0)
			out->text[olen++] = '.';
		for (unsigned k = 0; k < l; k++)
			olen += put_octet(out->text + olen, w[i + k]);
		i += l;
		labels++;
	}
	out->text[olen] = '\0';
	out->len = olen;
	out->wire = (unsigned)i;
	out->labels = labels;
	*used = i;
	return TS_OK;
}

bool name_is_at_or_below(const char *a, size_t alen, const char *b, size_t blen)
{
	if (blen == 0)
		return true;
	if (alen == blen)
		return memcmp(a, b, blen) == 0;
	return alen > blen && a[alen - blen - 1] == '.' && memcmp(a + alen - blen, b, blen) == 0;
}

const char *name_parent(const char *a, size_t alen, size_t *plen)
{
	if (alen == 0) {
		*plen = 0;
		return NULL;
	}
	const char *dot = memchr(a, '.', alen);
	if (dot == NULL) {
		*plen = 0;
		return a + alen;
	}
	*plen = alen - (size_t)(dot + 1 - a);
	return dot + 1;
}

unsigned name_label_count(const char *a, size_t alen)
{
	if (alen == 0)
		return 0;
	unsigned n = 1;
	for (const char *p = a, *end = a + alen; (p = memchr(p, '.', (size_t)(end - p))) != NULL; p++)
		n++;
	return n;
}
