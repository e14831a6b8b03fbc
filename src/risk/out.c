/* out.c — sticky-error output buffers and escapes. */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "base/limits.h"
#include "risk/out.h"

void rout_init(rout_t *o)
{
	dbuf_init(&o->b, TS_MAX_OUTPUT_BUF);
	o->err = TS_OK;
}

void rout_free(rout_t *o)
{
	dbuf_free(&o->b);
}

void rout_s(rout_t *o, const char *s)
{
	if (o->err == TS_OK)
		o->err = dbuf_adds(&o->b, s);
}

void rout_f(rout_t *o, const char *fmt, ...)
{
	if (o->err != TS_OK)
		return;
	va_list ap;
	va_start(ap, fmt);
	o->err = dbuf_vaddf(&o->b, fmt, ap);
	va_end(ap);
}

void rout_json(rout_t *o, const char *s)
{
	if (o->err == TS_OK)
		o->err = dbuf_addc(&o->b, '"');
	if (o->err == TS_OK)
		o->err = dbuf_add_json_str(&o->b, s, strlen(s));
	if (o->err == TS_OK)
		o->err = dbuf_addc(&o->b, '"');
}

void rout_num(rout_t *o, double v)
{
	if (!isfinite(v))
		rout_s(o, "null");
	else if (v != 0.0 && fabs(v) < 1.0)
		rout_f(o, "%.6g", v);
	else
		rout_f(o, "%.2f", v);
}

void rout_html(rout_t *o, const char *s)
{
	const char *start = s;
	for (; *s != '\0' && o->err == TS_OK; s++) {
		const char *rep;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		o->err = dbuf_add(&o->b, start, (size_t)(s - start));
		if (o->err == TS_OK)
			o->err = dbuf_adds(&o->b, rep);
		start = s + 1;
	}
	if (o->err == TS_OK)
		o->err = dbuf_add(&o->b, start, (size_t)(s - start));
}

void rout_csv(rout_t *o, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL && s[0] != ' ') {
		rout_s(o, s);
		return;
	}
	rout_s(o, "\"");
	const char *start = s;
	for (; *s != '\0' && o->err == TS_OK; s++) {
		if (*s != '"')
			continue;
		o->err = dbuf_add(&o->b, start, (size_t)(s - start + 1));
		if (o->err == TS_OK)
			o->err = dbuf_addc(&o->b, '"');
		start = s + 1;
	}
	if (o->err == TS_OK)
		o->err = dbuf_add(&o->b, start, (size_t)(s - start));
	rout_s(o, "\"");
}

void rout_html_head(rout_t *o, const char *title)
{
	rout_s(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
	rout_html(o, title);
	rout_s(o, "</title>\n<style>\n"
	       "body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:72em}\n"
	       "table{border-collapse:collapse;margin:1em 0}\n"
	       "th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top}\n"
	       "th{background:#eee}\n"
	       "td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	       ".vh{background:#d7301f;color:#fff}.h{background:#fc8d59}.m{background:#fdcc8a}"
	       ".l{background:#d9f0a3}.vl{background:#f7fcb9}\n"
	       ".gap{background:#fde0dd}.overlap{background:#fff3bf}\n"
	       "svg text{font-family:system-ui,sans-serif}\n"
	       "</style>\n</head>\n<body>\n");
}

void rout_html_tail(rout_t *o)
{
	rout_s(o, "</body>\n</html>\n");
}
