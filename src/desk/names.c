/* names.c — name normalisation (libidn2 for internationalised labels) and
 * the registered-domain reduction. */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <idn2.h>

#include "desk/names.h"
#include "desk/policy.h"

static bool label_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static int check(const char *s, size_t n, char *why, size_t whycap)
{
	if (n == 0 || n > 253) {
		snprintf(why, whycap, n == 0 ? "empty name" : "longer than 253 characters");
		return TS_EINPUT;
	}
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.') {
			if (!label_char((unsigned char)s[i])) {
				snprintf(why, whycap, "character '%c' is not allowed in a domain name",
				         isprint((unsigned char)s[i]) ? s[i] : '?');
				return TS_EINPUT;
			}
			continue;
		}
		size_t len = i - start;
		if (len == 0 || len > 63) {
			snprintf(why, whycap, len == 0 ? "empty label" : "label longer than 63 characters");
			return TS_EINPUT;
		}
		if (s[start] == '-' || s[i - 1] == '-') {
			snprintf(why, whycap, "label starts or ends with a hyphen");
			return TS_EINPUT;
		}
		start = i + 1;
	}
	return TS_OK;
}

int names_normalize(const char *s, size_t n, char *out, size_t cap, size_t *len, char *why, size_t whycap)
{
	bool ascii = true;
	if (n > 0 && s[n - 1] == '.')
		n--;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\0') {
			snprintf(why, whycap, "NUL byte in name");
			return TS_EINPUT;
		}
		ascii &= (unsigned char)s[i] < 0x80;
	}
	if (n > 1024) {
		snprintf(why, whycap, "longer than 253 characters");
		return TS_EINPUT;
	}
	if (!ascii) {
		char in[1025];
		char *a = NULL;
		memcpy(in, s, n);
		in[n] = '\0';
		int rc = idn2_to_ascii_8z(in, &a, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
		if (rc != IDN2_OK) {
			snprintf(why, whycap, "not a valid internationalised name (%s)", idn2_strerror(rc));
			return TS_EINPUT;
		}
		size_t an = strlen(a);
		if (an >= cap) {
			idn2_free(a);
			snprintf(why, whycap, "longer than 253 characters");
			return TS_EINPUT;
		}
		for (size_t i = 0; i < an; i++)
			out[i] = (char)tolower((unsigned char)a[i]);
		out[an] = '\0';
		idn2_free(a);
		n = an;
	} else {
		if (n >= cap) {
			snprintf(why, whycap, "longer than 253 characters");
			return TS_EINPUT;
		}
		for (size_t i = 0; i < n; i++)
			out[i] = (char)tolower((unsigned char)s[i]);
		out[n] = '\0';
	}
	*len = n;
	return check(out, n, why, whycap);
}

/* True when `name` equals `suffix` or ends with "." suffix; *head gets the
 * length of the part before the dot. */
static bool under(const char *name, size_t nlen, const char *suffix, size_t *head)
{
	size_t slen = strlen(suffix);
	if (nlen == slen && memcmp(name, suffix, slen) == 0) {
		*head = 0;
		return true;
	}
	if (nlen > slen + 1 && name[nlen - slen - 1] == '.' && memcmp(name + nlen - slen, suffix, slen) == 0) {
		*head = nlen - slen - 1;
		return true;
	}
	return false;
}

int names_in_tlds(const policy_t *p, const char *name)
{
	size_t head, n = strlen(name);
	for (size_t i = 0; i < p->tlds.n; i++)
		if (under(name, n, p->tlds.v[i], &head))
			return 1;
	return 0;
}

int names_registered(const policy_t *p, const char *host, char *out, size_t cap, char *why, size_t whycap)
{
	size_t n = strlen(host), best_len = 0, best_head = 0;
	bool found = false;
	const policy_names_t *lists[2] = { &p->tlds, &p->second_levels };
	for (int l = 0; l < 2; l++) {
		for (size_t i = 0; i < lists[l]->n; i++) {
			size_t head, slen = strlen(lists[l]->v[i]);
			if (under(host, n, lists[l]->v[i], &head) && (!found || slen > best_len)) {
				/* a second level counts only inside one of our TLDs */
				if (l == 1 && !names_in_tlds(p, lists[l]->v[i]))
					continue;
				found = true;
				best_len = slen;
				best_head = head;
			}
		}
	}
	if (!found) {
		snprintf(why, whycap, "not under the registry's TLDs");
		return TS_EINPUT;
	}
	if (best_head == 0) {
		snprintf(why, whycap, "is a TLD or second level of the registry, not a registered domain");
		return TS_EINPUT;
	}
	/* the last label of the head, then the suffix */
	size_t start = best_head;
	while (start > 0 && host[start - 1] != '.')
		start--;
	size_t len = n - start;
	if (len >= cap) {
		snprintf(why, whycap, "name too long");
		return TS_EINPUT;
	}
	memcpy(out, host + start, len);
	out[len] = '\0';
	return TS_OK;
}
