/* name.h — domain names in the project's canonical text form.
 *
 * Canonical text: absolute, lower-case ASCII, labels joined by '.', no
 * trailing dot, "" for the root. Letters, digits, '-', '_' and '*' stand for
 * themselves; every other byte of a label (a '.' or '\' inside a label,
 * spaces, non-ASCII bytes) is written as "\DDD". Because of that, every '.'
 * in canonical text separates labels, and two names are equal (DNS
 * case-insensitively) exactly when their canonical texts are equal bytes.
 */
#ifndef TS_DNS_NAME_H
#define TS_DNS_NAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define NAME_MAX_WIRE   255u   /* octets of a name in wire form */
#define NAME_MAX_LABEL  63u    /* octets of one label */
#define NAME_TEXT_MAX   1024u  /* bytes of canonical text, NUL included (255 x "\DDD" fits) */

/* A name in canonical text, with its wire length and label count. */
typedef struct name {
	size_t len;               /* bytes of text, NUL excluded */
	unsigned wire;            /* octets in wire form (1 for the root) */
	unsigned labels;          /* 0 for the root */
	char text[NAME_TEXT_MAX]; /* NUL-terminated */
} name_t;

/* Sets `n` to the root. */
void name_root(name_t *n);

/* Converts the presentation-format name s[0..len) into `out`. A name without
 * a trailing dot is relative and is completed with `origin` (NULL: the
 * root); "@" alone is the origin. Escapes: "\DDD" (exactly three decimal
 * digits, at most 255) and "\X" (X literally). Labels above 63 octets, names
 * above 255 octets, empty labels and a lone backslash are refused: then the
 * function returns TS_ESYNTAX, *why names the problem (static text) and *at
 * is the offset in `s` where it was found. `out` may not alias `origin`. */
TS_WUR int name_from_text(const char *s, size_t len, const name_t *origin, name_t *out,
                          const char **why, size_t *at);

/* Converts an uncompressed wire-format name w[0..len) into `out`; *used is
 * its length. TS_ESYNTAX when it is malformed or runs past `len`. */
TS_WUR int name_from_wire(const uint8_t *w, size_t len, name_t *out, size_t *used);

/* True when canonical name `a` equals `b` or lies below it. */
bool name_is_at_or_below(const char *a, size_t alen, const char *b, size_t blen);

/* The parent of canonical name `a` (the name without its first label):
 * a pointer into `a` and its length in *plen. The parent of a one-label
 * name is the root (""); the root has no parent and returns NULL. */
const char *name_parent(const char *a, size_t alen, size_t *plen);

/* Number of labels of canonical name `a` (0 for the root). */
unsigned name_label_count(const char *a, size_t alen);

#endif
