/* buf.h — growable byte buffers with a hard cap (curl's dynbuf idea).
 * The content is always NUL-terminated for convenience. */
#ifndef TS_BUF_H
#define TS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/err.h"

typedef struct dbuf {
	char *p;        /* NULL until the first append */
	size_t len;
	size_t alloc;
	size_t max;     /* the cap on len */
} dbuf_t;

void dbuf_init(dbuf_t *b, size_t max);
void dbuf_free(dbuf_t *b);                      /* back to empty; keeps the cap */
void dbuf_reset(dbuf_t *b);                     /* len = 0, keeps memory */
/* Appends; TS_ELIMIT past the cap, TS_ENOMEM when memory runs out. On error
 * the buffer is unchanged. */
TS_WUR int dbuf_add(dbuf_t *b, const void *data, size_t n);
TS_WUR int dbuf_adds(dbuf_t *b, const char *s);
TS_WUR int dbuf_addc(dbuf_t *b, char c);
TS_WUR int dbuf_addf(dbuf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
TS_WUR int dbuf_vaddf(dbuf_t *b, const char *fmt, va_list ap);
/* Appends `s` escaped as a JSON string body (no surrounding quotes). */
TS_WUR int dbuf_add_json_str(dbuf_t *b, const char *s, size_t n);
/* The content (never NULL: "" when empty). */
const char *dbuf_str(const dbuf_t *b);
/* Hands the memory to the caller (to ts_free) and empties the buffer. */
char *dbuf_take(dbuf_t *b);

#endif
