/* names.h — the domain names the export writers put into EPP commands, RPZ
 * zones and reserved lists: checked, normalised, sorted and de-duplicated.
 *
 * Names are ASCII host names in presentation form (IDNs as A-labels):
 * letters, digits and hyphens, labels of 1 to 63 characters that neither
 * begin nor end with a hyphen, at most 253 characters, an optional trailing
 * dot. Normalised form: lower case, no trailing dot. Nothing here prints
 * except through ts_log. */
#ifndef TS_EXPORT_NAMES_H
#define TS_EXPORT_NAMES_H

#include <stddef.h>

#include "base/err.h"

#define EXPORT_NAME_MAX 253u   /* a name without its trailing dot */

/* Checks `in` and writes its normalised form into `out` (NUL-terminated) and
 * its length into *len. TS_EINPUT when it is not a host name as above (not
 * logged: the caller says where the name came from). */
TS_WUR int export_name_norm(const char *in, char out[EXPORT_NAME_MAX + 1], size_t *len);

/* A sorted, de-duplicated set of normalised names. */
typedef struct export_names {
	char **v;       /* n strings, byte order, each owned by the set */
	size_t n;
} export_names_t;

/* Normalises names[0..n), sorts them in byte order and drops duplicates.
 * `what` names the list in messages ("RPZ name"). TS_EINPUT (logged, naming
 * the first bad entry and its index) when one is not a host name; TS_ENOMEM.
 * On success the caller frees *out with export_names_free. */
TS_WUR int export_names_sorted(const char *const *names, size_t n, const char *what,
                               export_names_t *out);
void export_names_free(export_names_t *s);

#endif
