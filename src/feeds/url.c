/* url.c — URL or name → host. Works on the authority only, so the length
 * of a path never matters; the host is rebuilt in a bounded scratch buffer. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <idn2.h>

#include "base/limits.h"
#include "feeds/url.h"

static _Thread_local const char *url_err = "";

const char *url_error(void)
{
	return url_err;
}

static int bad(const char *why)
{
	url_err = why;
	return TS_EINPUT;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

static bool is_alpha(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int hex_val(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static unsigned char lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Case-insensitive test that s[i..n) starts with the ASCII word w. */
static bool starts_with_ci(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = 0;
	for (; w[k] != '\0'; k++)
		if (i + k >= n || lower((unsigned char)s[i + k]) != (unsigned char)w[k])
			return false;
	return true;
}

/* Length of the scheme and its separator at the start of s ("http://",
 * "HXXPS[:]//", "http:\\"), or 0 when s does not start with one. A scheme
 * needs at least one slash after its colon, so "host:8080" is no scheme. */
static size_t scheme_len(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !is_alpha((unsigned char)s[0]))
		return 0;
	while (i < n && (is_alpha((unsigned char)s[i]) || is_digit((unsigned char)s[i]) ||
	                 s[i] == '+' || s[i] == '-'))
		i++;
	if (i < n && s[i] == ':')
		i++;
	else if (starts_with_ci(s, n, i, "[:]"))
		i += 3;
	else
		return 0;
	size_t slashes = 0;
	while (i < n && (s[i] == '/' || s[i] == '\\')) {
		i++;
		slashes++;
	}
	return slashes > 0 ? i : 0;
}

/* WHATWG IPv4 number: "0x" hex (may be empty), leading-zero octal, decimal. */
static bool ipv4_number(const char *p, size_t len, uint64_t *out)
{
	unsigned base = 10;
	if (len >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
		len -= 2;
	} else if (len >= 2 && p[0] == '0') {
		base = 8;
		p++;
		len--;
	} else if (len == 0) {
		return false;
	}
	uint64_t v = 0;
	for (size_t i = 0; i < len; i++) {
		int d = hex_val((unsigned char)p[i]);
		if (d < 0 || (unsigned)d >= base)
			return false;
		v = v * base + (unsigned)d;
		if (v > 0xffffffffu)
			return false;
	}
	*out = v;
	return true;
}

/* Whether the last label of h is a number in the WHATWG sense, which makes
 * the whole host an IPv4 address (or an error). */
static bool ends_in_number(const char *h, size_t len)
{
	size_t start = len;
	while (start > 0 && h[start - 1] != '.')
		start--;
	const char *l = h + start;
	size_t ll = len - start;
	if (ll == 0)
		return false;
	bool digits = true;
	for (size_t i = 0; i < ll; i++)
		if (!is_digit((unsigned char)l[i]))
			digits = false;
	if (digits)
		return true;
	if (ll >= 2 && l[0] == '0' && (l[1] == 'x' || l[1] == 'X')) {
		for (size_t i = 2; i < ll; i++)
			if (hex_val((unsigned char)l[i]) < 0)
				return false;
		return true;
	}
	return false;
}

static int parse_ipv4(const char *h, size_t len, uint32_t *addr)
{
	uint64_t parts[4];
	size_t np = 0, i = 0;
	for (;;) {
		size_t j = i;
		while (j < len && h[j] != '.')
			j++;
		if (np == 4 || !ipv4_number(h + i, j - i, &parts[np]))
			return bad("invalid IPv4 address");
		np++;
		if (j == len)
			break;
		i = j + 1;
	}
	uint64_t v = 0;
	for (size_t k = 0; k + 1 < np; k++) {
		if (parts[k] > 255)
			return bad("invalid IPv4 address");
		v = (v << 8) | parts[k];
	}
	unsigned rest = (unsigned)(5 - np); /* bytes the last part fills */
	uint64_t last = parts[np - 1];
	if (rest < 4 && last >= (1ull << (8 * rest)))
		return bad("invalid IPv4 address");
	v = (v << (8 * rest)) | last;
	*addr = (uint32_t)v;
	return TS_OK;
}

static int put_out(const char *h, size_t len, char *out, size_t cap, size_t *out_len)
{
	if (len + 1 > cap)
		return TS_ELIMIT;
	memcpy(out, h, len);
	out[len] = '\0';
	*out_len = len;
	return TS_OK;
}

static int put_ipv6(const char *p, size_t len, char *out, size_t cap, size_t *out_len)
{
	char tmp[INET6_ADDRSTRLEN + 1];
	unsigned char bin[16];
	char text[INET6_ADDRSTRLEN];
	if (len == 0 || len >= sizeof(tmp))
		return bad("invalid IPv6 address");
	memcpy(tmp, p, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET6, tmp, bin) != 1 || inet_ntop(AF_INET6, bin, text, sizeof(text)) == NULL)
		return bad("invalid IPv6 address");
	return put_out(text, strlen(text), out, cap, out_len);
}

/* Checks a lower-case ASCII name: labels of 1..63 bytes of [a-z0-9_-]. */
static int check_name(const char *h, size_t len)
{
	if (len == 0)
		return bad("empty host");
	if (len > URL_HOST_MAX_NAME)
		return bad("host name longer than 253 bytes");
	size_t label = 0;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)h[i];
		if (c == '.') {
			if (label == 0)
				return bad("empty label in host");
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_'))
			return bad("invalid character in host");
		if (++label > 63)
			return bad("label longer than 63 bytes");
	}
	if (label == 0)
		return bad("empty label in host");
	return TS_OK;
}

/* The defanged spellings of a dot, matched case-insensitively. */
static const char *const defanged_dots[] = { "[.]", "(.)", "{.}", "[dot]", "(dot)" };

/* Copies the host text h[0..n) into w: defanged dots undone, percent-escapes
 * decoded, ASCII lower-cased. *non_ascii says whether a byte >= 0x80 is left. */
static int unescape_host(const char *h, size_t n, char *w, size_t wcap, size_t *wlen, bool *non_ascii)
{
	size_t k = 0;
	*non_ascii = false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)h[i];
		size_t adv = 1;
		if (c == '[' || c == '(' || c == '{') {
			bool hit = false;
			for (size_t d = 0; d < sizeof(defanged_dots) / sizeof(defanged_dots[0]); d++)
				if (starts_with_ci(h, n, i, defanged_dots[d])) {
					adv = strlen(defanged_dots[d]);
					hit = true;
					break;
				}
			if (hit)
				c = '.';
		} else if (c == '%') {
			int hi = i + 1 < n ? hex_val((unsigned char)h[i + 1]) : -1;
			int lo = i + 2 < n ? hex_val((unsigned char)h[i + 2]) : -1;
			if (hi < 0 || lo < 0)
				return bad("invalid percent-encoding in host");
			c = (unsigned char)(hi * 16 + lo);
			adv = 3;
		}
		if (k + 1 >= wcap)
			return bad("host too long");
		if (c >= 0x80)
			*non_ascii = true;
		w[k++] = (char)lower(c);
		i += adv;
	}
	w[k] = '\0';
	*wlen = k;
	return TS_OK;
}

int url_to_host(const char *s, size_t n, char *out, size_t cap, size_t *out_len, url_host_kind_t *kind)
{
	char w[TS_MAX_NAME_TEXT];
	size_t wlen;
	bool non_ascii;
	int ret;

	*out_len = 0;
	*kind = URL_HOST_NAME;
	if (cap > 0)
		out[0] = '\0';

	/* Surrounding white space. */
	while (n > 0 && is_space((unsigned char)s[0])) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return bad("empty indicator");

	/* Scheme, or a scheme-relative "//". */
	size_t i = scheme_len(s, n);
	if (i == 0)
		while (i < n && (s[i] == '/' || s[i] == '\\'))
			i++;

	/* The authority runs to the first '/', '\', '?' or '#'. */
	size_t end = i;
	while (end < n && s[end] != '/' && s[end] != '\\' && s[end] != '?' && s[end] != '#')
		end++;
	/* Userinfo: everything up to the last '@'. */
	for (size_t k = end; k > i; k--)
		if (s[k - 1] == '@') {
			i = k;
			break;
		}
	const char *hp = s + i;
	size_t hplen = end - i;
	if (hplen == 0)
		return bad("empty host");
	if (hplen >= sizeof(w))
		return bad("host too long");

	const char *h = hp;
	size_t hlen = hplen;
	const char *port = NULL;
	size_t port_len = 0;
	if (hp[0] == '[' && !starts_with_ci(hp, hplen, 0, "[.]") && !starts_with_ci(hp, hplen, 0, "[dot]")) {
		/* [IPv6] with an optional port */
		const char *close = memchr(hp, ']', hplen);
		if (close == NULL)
			return bad("unterminated IPv6 address");
		size_t after = (size_t)(close - hp) + 1;
		if (after < hplen) {
			if (hp[after] != ':')
				return bad("characters after IPv6 address");
			port = hp + after + 1;
			port_len = hplen - after - 1;
		}
		for (size_t k = 0; k < port_len; k++)
			if (!is_digit((unsigned char)port[k]))
				return bad("invalid port");
		*kind = URL_HOST_IP;
		return put_ipv6(hp + 1, (size_t)(close - hp) - 1, out, cap, out_len);
	}
	size_t colons = 0, last_colon = 0;
	for (size_t k = 0; k < hplen; k++)
		if (hp[k] == ':') {
			colons++;
			last_colon = k;
		}
	if (colons >= 2) {
		/* A bare IPv6 address is the only host with several colons. */
		*kind = URL_HOST_IP;
		return put_ipv6(hp, hplen, out, cap, out_len);
	}
	if (colons == 1) {
		hlen = last_colon;
		port = hp + last_colon + 1;
		port_len = hplen - last_colon - 1;
	}
	if (port_len > 0) {
		uint64_t v = 0;
		for (size_t k = 0; k < port_len; k++) {
			if (!is_digit((unsigned char)port[k]))
				return bad("invalid port");
			v = v * 10 + (unsigned)(port[k] - '0');
			if (v > 65535)
				return bad("port above 65535");
		}
	}

	ret = unescape_host(h, hlen, w, sizeof(w), &wlen, &non_ascii);
	if (ret != TS_OK)
		return ret;

	char *idn = NULL;
	const char *name = w;
	size_t name_len = wlen;
	if (non_ascii) {
		/* UTS #46 maps (case, width, ideographic full stops), then
		 * IDNA2008 with its contextual rules, then Punycode. */
		int rc = idn2_to_ascii_8z(w, &idn, IDN2_NFC_INPUT | IDN2_NONTRANSITIONAL);
		if (rc == IDN2_MALLOC) {
			ret = TS_ENOMEM;
			goto out;
		}
		if (rc != IDN2_OK) {
			ret = bad("invalid internationalised name");
			goto out;
		}
		name = idn;
		name_len = strlen(idn);
		/* UTS #46 may leave upper-case ASCII from A-labels as they came */
		for (size_t k = 0; k < name_len; k++)
			idn[k] = (char)lower((unsigned char)idn[k]);
	}
	if (name_len > 0 && name[name_len - 1] == '.')
		name_len--;
	if (name_len == 0) {
		ret = bad("empty host");
		goto out;
	}
	if (ends_in_number(name, name_len)) {
		uint32_t a;
		char text[INET_ADDRSTRLEN];
		if ((ret = parse_ipv4(name, name_len, &a)) != TS_OK)
			goto out;
		unsigned char b[4] = { (unsigned char)(a >> 24), (unsigned char)(a >> 16),
		                       (unsigned char)(a >> 8), (unsigned char)a };
		if (inet_ntop(AF_INET, b, text, sizeof(text)) == NULL) {
			ret = bad("invalid IPv4 address");
			goto out;
		}
		*kind = URL_HOST_IP;
		ret = put_out(text, strlen(text), out, cap, out_len);
		goto out;
	}
	if ((ret = check_name(name, name_len)) != TS_OK)
		goto out;
	ret = put_out(name, name_len, out, cap, out_len);
out:
	if (idn != NULL)
		idn2_free(idn);
	return ret;
}
