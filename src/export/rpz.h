/* rpz.h — a Response Policy Zone (draft-vixie-dnsop-dns-rpz) listing the
 * names a resolver must not resolve: suspended domains and blocked DGA names.
 *
 * Layout (docs/internals/export.md): $TTL, SOA, NS, then for every name, in
 * byte order and once, a trigger for the name and one for its subdomains:
 *     bad.example.ORIGIN.    CNAME .          (NXDOMAIN, the default)
 *     *.bad.example.ORIGIN.  CNAME .
 * or, with sinkhole addresses, A and/or AAAA records in place of the CNAME.
 * The serial is the time given, in seconds since the epoch (a new export
 * always has a larger serial than an older one). Nothing here prints except
 * through ts_log. */
#ifndef TS_EXPORT_RPZ_H
#define TS_EXPORT_RPZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/err.h"

#define RPZ_MAX_SINKHOLE   8u      /* sinkhole addresses */
#define RPZ_ADDR_TEXT      46u     /* INET6_ADDRSTRLEN */
#define RPZ_DEFAULT_TTL    300u
#define RPZ_DEFAULT_NS     "localhost."

typedef struct rpz_opts {
	const char *origin;              /* the policy zone's name, "rpz.example." */
	int64_t now;                     /* the serial, seconds since the epoch (0 .. 2^32-1) */
	const char *const *sinkhole;     /* IPv4/IPv6 addresses; none: NXDOMAIN */
	size_t nsinkhole;
	uint32_t ttl;                    /* 0: RPZ_DEFAULT_TTL */
	const char *ns;                  /* the NS target; NULL: RPZ_DEFAULT_NS */
} rpz_opts_t;

/* Checks one sinkhole address with inet_pton. On success writes its
 * canonical text into `canon` and 4 or 6 into *family. TS_EINPUT (not
 * logged) for anything that is not an IPv4 or IPv6 address. */
TS_WUR int rpz_sinkhole_parse(const char *addr, char canon[RPZ_ADDR_TEXT], int *family);

/* Writes the zone for names[0..n) (normalised, sorted, de-duplicated; the
 * list may be empty) to `fp`. TS_EINPUT (logged) for a bad origin, address,
 * serial or name, or a name too long below the origin; TS_ENOMEM; TS_EIO
 * when writing fails. */
TS_WUR int rpz_write_fp(const rpz_opts_t *o, const char *const *names, size_t n, FILE *fp);

/* rpz_write_fp into `path` atomically (NULL or "-": stdout): nothing is
 * left behind when it fails. */
TS_WUR int rpz_write(const rpz_opts_t *o, const char *const *names, size_t n, const char *path);

#endif
