/* svg.c — the charts of the statistics as inline SVG. */
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "stats/svg.h"

#define TRY(x) do { if ((ret = (x)) != TS_OK) return ret; } while (0)

/* plot margins: left for the y ticks, bottom for the x labels */
#define ML 56.0
#define MR 16.0
#define MT 34.0
#define MB 58.0

int svg_escape(dbuf_t *b, const char *s)
{
	int ret = TS_OK;
	for (const char *p = s; ret == TS_OK && *p != '\0'; p++) {
		switch (*p) {
		case '&': ret = dbuf_adds(b, "&amp;"); break;
		case '<': ret = dbuf_adds(b, "&lt;"); break;
		case '>': ret = dbuf_adds(b, "&gt;"); break;
		case '"': ret = dbuf_adds(b, "&quot;"); break;
		case '\'': ret = dbuf_adds(b, "&#39;"); break;
		default:
			/* control characters are not allowed in XML 1.0 */
			ret = dbuf_addc(b, (unsigned char)*p < 0x20 ? ' ' : *p);
		}
	}
	return ret;
}

/* The step of the four y ticks: 1, 2 or 5 times a power of ten, at least
 * max / 4, and a whole number when every value is one (counts). */
static double tick_step(double max, bool whole)
{
	double want = max > 0 ? max / 4.0 : 0.25;
	double e = pow(10.0, floor(log10(want)));
	double step = 10.0 * e;
	static const double m[] = { 1.0, 2.0, 5.0, 10.0 };
	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
		if (want <= m[i] * e * (1 + 1e-9)) {
			step = m[i] * e;
			break;
		}
	}
	if (whole && step < 1.0)
		step = 1.0;
	return step;
}

typedef struct frame {
	double w, h, pw, ph, max;
} frame_t;

static int open_chart(dbuf_t *b, const svg_chart_t *c, frame_t *f)
{
	int ret;
	f->w = c->width != 0 ? c->width : 640;
	f->h = c->height != 0 ? c->height : 300;
	f->pw = f->w - ML - MR;
	f->ph = f->h - MT - MB;
	double m = 0;
	bool whole = true;
	for (size_t i = 0; i < c->n; i++) {
		if (isfinite(c->values[i]) && c->values[i] > m)
			m = c->values[i];
		if (isfinite(c->values[i]) && c->values[i] != floor(c->values[i]))
			whole = false;
	}
	f->max = 4.0 * tick_step(m, whole);
	TRY(dbuf_addf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" id=\""));
	TRY(svg_escape(b, c->id));
	TRY(dbuf_addf(b, "\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\"><title>", f->w, f->h,
	              f->w, f->h));
	TRY(svg_escape(b, c->title));
	TRY(dbuf_addf(b, "</title><rect class=\"bg\" x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>"
	              "<text class=\"title\" x=\"%.1f\" y=\"20\" font-size=\"15\" font-weight=\"bold\">",
	              f->w, f->h, ML));
	TRY(svg_escape(b, c->title));
	TRY(dbuf_adds(b, "</text>"));
	/* axes and five horizontal ticks */
	TRY(dbuf_addf(b, "<g class=\"axis\" stroke=\"#444\" stroke-width=\"1\"><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	              "y2=\"%.1f\"/><line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/></g>",
	              ML, MT, ML, MT + f->ph, ML, MT + f->ph, ML + f->pw, MT + f->ph));
	for (int i = 0; i <= 4; i++) {
		double v = f->max * i / 4.0, y = MT + f->ph - f->ph * i / 4.0;
		TRY(dbuf_addf(b, "<line class=\"grid\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
		              "<text class=\"tick\" x=\"%.1f\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%g</text>",
		              ML + 1, y, ML + f->pw, y, ML - 6, y + 4, v));
	}
	if (c->y_label != NULL) {
		TRY(dbuf_addf(b, "<text class=\"label\" x=\"14\" y=\"%.1f\" font-size=\"11\" text-anchor=\"middle\" "
		              "transform=\"rotate(-90 14 %.1f)\">", MT + f->ph / 2, MT + f->ph / 2));
		TRY(svg_escape(b, c->y_label));
		TRY(dbuf_adds(b, "</text>"));
	}
	return TS_OK;
}

/* The x label of item i at x (every k-th when there are many). `ends`:
 * the first and last labels sit at the plot's edges (a line), so they are
 * anchored inwards. */
static int x_label(dbuf_t *b, const svg_chart_t *c, const frame_t *f, size_t i, double x, bool ends)
{
	int ret;
	size_t every = c->n > 16 ? (c->n + 15) / 16 : 1;
	if (c->labels == NULL || c->labels[i] == NULL || (i % every != 0 && i != c->n - 1))
		return TS_OK;
	double y = MT + f->ph + 14;
	const char *anchor = c->n > 8 ? "end" : "middle";
	if (c->n <= 8 && ends && c->n > 1)
		anchor = i == 0 ? "start" : i == c->n - 1 ? "end" : "middle";
	TRY(dbuf_addf(b, "<text class=\"label\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" text-anchor=\"%s\"", x, y,
	              anchor));
	if (c->n > 8)
		TRY(dbuf_addf(b, " transform=\"rotate(-35 %.1f %.1f)\"", x, y));
	TRY(dbuf_addc(b, '>'));
	TRY(svg_escape(b, c->labels[i]));
	return dbuf_adds(b, "</text>");
}

static double y_of(const frame_t *f, double v)
{
	if (!isfinite(v) || v < 0)
		v = 0;
	return MT + f->ph - f->ph * (v / f->max);
}

static int bars(dbuf_t *b, const svg_chart_t *c, const char *cls, double gap, const char *fill)
{
	frame_t f;
	int ret;
	TRY(open_chart(b, c, &f));
	double slot = c->n > 0 ? f.pw / (double)c->n : f.pw;
	for (size_t i = 0; i < c->n; i++) {
		double x = ML + slot * (double)i, y = y_of(&f, c->values[i]);
		TRY(dbuf_addf(b, "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\">"
		              "<title>", cls, x + slot * gap / 2, y, slot * (1 - gap), MT + f.ph - y, fill));
		if (c->labels != NULL && c->labels[i] != NULL)
			TRY(svg_escape(b, c->labels[i]));
		TRY(dbuf_addf(b, ": %g</title></rect>", isfinite(c->values[i]) ? c->values[i] : 0.0));
		if (c->n <= 16 && c->values[i] > 0)
			TRY(dbuf_addf(b, "<text class=\"value\" x=\"%.1f\" y=\"%.1f\" font-size=\"10\" "
			              "text-anchor=\"middle\">%g</text>", x + slot / 2, y - 3, c->values[i]));
		TRY(x_label(b, c, &f, i, x + slot / 2, false));
	}
	return dbuf_adds(b, "</svg>\n");
}

int svg_bars(dbuf_t *b, const svg_chart_t *c)
{
	return bars(b, c, "bar", 0.3, "#3b6ea8");
}

int svg_histogram(dbuf_t *b, const svg_chart_t *c)
{
	return bars(b, c, "bin", 0.04, "#d9822b");
}

int svg_line(dbuf_t *b, const svg_chart_t *c)
{
	frame_t f;
	int ret;
	TRY(open_chart(b, c, &f));
	double step = c->n > 1 ? f.pw / (double)(c->n - 1) : 0;
	TRY(dbuf_adds(b, "<polyline class=\"line\" fill=\"none\" stroke=\"#b03030\" stroke-width=\"2\" points=\""));
	for (size_t i = 0; i < c->n; i++)
		TRY(dbuf_addf(b, "%s%.1f,%.1f", i ? " " : "", ML + step * (double)i + (c->n == 1 ? f.pw / 2 : 0),
		              y_of(&f, c->values[i])));
	TRY(dbuf_adds(b, "\"/>"));
	for (size_t i = 0; i < c->n; i++) {
		double x = ML + step * (double)i + (c->n == 1 ? f.pw / 2 : 0);
		TRY(dbuf_addf(b, "<circle class=\"point\" cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"#b03030\"><title>", x,
		              y_of(&f, c->values[i])));
		if (c->labels != NULL && c->labels[i] != NULL)
			TRY(svg_escape(b, c->labels[i]));
		TRY(dbuf_addf(b, ": %g</title></circle>", isfinite(c->values[i]) ? c->values[i] : 0.0));
		TRY(x_label(b, c, &f, i, x, true));
	}
	return dbuf_adds(b, "</svg>\n");
}
