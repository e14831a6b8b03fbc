/* names.h — domain names as the desk keeps them: lower case, A-labels, no
 * trailing dot; and the reduction of a host to its registered domain (one
 * label below a TLD of the registry, or below a registry-operated second
 * level). */
#ifndef TS_DESK_NAMES_H
#define TS_DESK_NAMES_H

#include <stddef.h>

#include "base/err.h"

struct policy;

/* Normalises the name s[0..n) into out (cap bytes, NUL-terminated): one
 * trailing dot removed, lower-cased, internationalised labels converted to
 * A-labels; then checked (labels of 1-63 letters, digits, hyphens or
 * underscores, not starting or ending with a hyphen; 253 characters at most).
 * TS_EINPUT with the reason in why. */
TS_WUR int names_normalize(const char *s, size_t n, char *out, size_t cap, size_t *len, char *why,
                           size_t whycap);

/* Reduces the normalised host to its registered domain under the policy's
 * TLDs and second levels (the longest matching suffix wins). TS_EINPUT when
 * the host is outside every TLD, or is itself a TLD or a second level. */
TS_WUR int names_registered(const struct policy *p, const char *host, char *out, size_t cap, char *why,
                            size_t whycap);

/* True when `name` is under (or equal to) one of the policy's TLDs. */
int names_in_tlds(const struct policy *p, const char *name);

#endif
