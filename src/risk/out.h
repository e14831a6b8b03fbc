/* out.h — the risk module's output documents: a capped buffer with a sticky
 * error (the first failure is kept and later appends do nothing), so the
 * renderers read as straight-line code, and the escapes each format needs. */
#ifndef TS_RISK_OUT_H
#define TS_RISK_OUT_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

typedef struct rout {
	dbuf_t b;     /* the document; owned, freed by rout_free */
	int err;      /* TS_OK, or the first append's error */
} rout_t;

void rout_init(rout_t *o);                  /* capped at TS_MAX_OUTPUT_BUF */
void rout_free(rout_t *o);
void rout_s(rout_t *o, const char *s);
void rout_f(rout_t *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string with its quotes. */
void rout_json(rout_t *o, const char *s);
/* A number as JSON: %.2f, or %.6g for values below 1 (no NaN or infinity:
 * those become null). */
void rout_num(rout_t *o, double v);
/* Text with & < > " ' escaped for HTML (attribute-safe). */
void rout_html(rout_t *o, const char *s);
/* A CSV field: quoted when it holds a comma, quote, CR or LF, or starts with
 * a space, and quotes doubled. */
void rout_csv(rout_t *o, const char *s);
/* The standalone HTML page's head (title escaped, inline CSS, no script) and
 * its end. */
void rout_html_head(rout_t *o, const char *title);
void rout_html_tail(rout_t *o);

#endif
