/* svg.h — a small SVG writer for the statistics' charts: bars, a histogram,
 * a line, with axes, ticks and labels. Text is XML-escaped; no script, no
 * external reference: the result is inline SVG for a self-contained page.
 * Every element carries a class (chart, axis, tick, label, title, bar, bin,
 * line, point) and the <svg> the chart's id, so tests and style sheets can
 * find them. */
#ifndef TS_STATS_SVG_H
#define TS_STATS_SVG_H

#include <stddef.h>

#include "base/buf.h"
#include "base/err.h"

typedef struct svg_chart {
	const char *id;                /* id of the <svg> element */
	const char *title;             /* drawn above the plot and as <title> */
	const char *y_label;           /* unit of the values, or NULL */
	const char *const *labels;     /* n labels along the x axis (borrowed) */
	const double *values;          /* n values, >= 0 (borrowed) */
	size_t n;
	unsigned width, height;        /* pixels; 0 for 640 x 300 */
} svg_chart_t;

/* One bar per value (class "bar"). */
TS_WUR int svg_bars(dbuf_t *b, const svg_chart_t *c);
/* Adjacent bars for the bins of a distribution (class "bin"). */
TS_WUR int svg_histogram(dbuf_t *b, const svg_chart_t *c);
/* A polyline through the values (class "line") with a dot per value. */
TS_WUR int svg_line(dbuf_t *b, const svg_chart_t *c);
/* Appends s with &, <, >, " and ' escaped. */
TS_WUR int svg_escape(dbuf_t *b, const char *s);

#endif
