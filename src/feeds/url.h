/* url.h — an indicator (a URL, a bare host name, an address) reduced to its
 * host, as the scan and the response desk match it against the zone.
 *
 * What is accepted (docs/internals/feeds.md lists every case and why):
 * - any scheme in any case followed by one or more '/' or '\' ("http://",
 *   "HTTPS:\\", "ftp:/"), a scheme-relative "//host", or no scheme at all;
 *   the defanged forms "hxxp://", "hxxps://", "[.]", "(.)", "{.}", "[dot]"
 *   and "[:]" are read as their plain forms;
 * - userinfo up to the last '@' of the authority ("u:p@host");
 * - a port (digits, at most 65535) or an empty port;
 * - IPv4 in dotted, shortened, hexadecimal or octal form (WHATWG URL rules:
 *   "3232235777", "0xC0.0xA8.1.1", "0300.0250.1.1") and IPv6 in brackets
 *   (or bare, when the whole indicator is one); both come back as
 *   URL_HOST_IP in canonical text;
 * - percent-encoded host bytes, upper case, one trailing dot, surrounding
 *   white space;
 * - internationalised names (UTF-8 U-labels, also mixed with A-labels) in
 *   UTS #46 non-transitional processing; A-labels are kept as they are.
 * Host names are made of labels of 1..63 bytes of letters, digits, '-' and
 * '_' (real URLs carry underscores), 253 bytes at most. Anything else is
 * TS_EINPUT with a reason. */
#ifndef TS_URL_H
#define TS_URL_H

#include <stddef.h>

#include "base/err.h"

/* A buffer of this size holds any host url_to_host writes. */
#define URL_HOST_CAP 256u
/* The longest host name in text, without a trailing dot. */
#define URL_HOST_MAX_NAME 253u

typedef enum url_host_kind { URL_HOST_NAME, URL_HOST_IP } url_host_kind_t;

/* Reduces a URL or a bare host name (s[0..n)) to its host: scheme, userinfo, port, path, query, fragment
 * and a trailing dot removed; lower-cased; IDN converted to A-labels. Writes the host (NUL-terminated)
 * into out[cap], its length into *out_len, and whether it is a name or an IP literal into *kind.
 * TS_EINPUT when s holds no usable host (the reason through url_error()).
 * TS_ELIMIT when the host does not fit in out[cap] (never with cap >= URL_HOST_CAP).
 * TS_ENOMEM when the IDN conversion ran out of memory. Thread-safe. */
TS_WUR int url_to_host(const char *s, size_t n, char *out, size_t cap, size_t *out_len, url_host_kind_t *kind);
const char *url_error(void); /* thread-local reason of the last TS_EINPUT */

#endif
