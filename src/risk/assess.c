/* assess.c — Tables G-5 and I-2 over a worksheet, the register and heat map. */
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "risk/assess.h"

static int cmp_assessed(const void *a, const void *b)
{
	const risk_assessed_t *x = a, *y = b;
	if (x->risk != y->risk)
		return x->risk > y->risk ? -1 : 1;
	if (x->likelihood != y->likelihood)
		return x->likelihood > y->likelihood ? -1 : 1;
	/* rows are in file order in the worksheet's array */
	return (x->row > y->row) - (x->row < y->row);
}

int risk_assess(const risk_ws_t *ws, risk_assessment_t **out)
{
	*out = NULL;
	risk_assessment_t *a = ts_calloc(1, sizeof(*a));
	if (a == NULL)
		return TS_ENOMEM;
	a->ws = ws;
	a->rows = ts_calloc(ws->nrows > 0 ? ws->nrows : 1, sizeof(*a->rows));
	if (a->rows == NULL) {
		ts_free(a);
		return TS_ENOMEM;
	}
	for (size_t i = 0; i < ws->nrows; i++) {
		const risk_row_t *row = &ws->rows[i];
		if (!row->has_qual)
			continue;
		risk_assessed_t *r = &a->rows[a->n++];
		r->row = row;
		r->likelihood = risk_g5(row->init_lik, row->impact_lik);
		r->risk = risk_i2(r->likelihood, row->impact);
		a->heat[r->likelihood][row->impact]++;
	}
	qsort(a->rows, a->n, sizeof(*a->rows), cmp_assessed);
	*out = a;
	return TS_OK;
}

void risk_assessment_free(risk_assessment_t **a)
{
	if (a == NULL || *a == NULL)
		return;
	ts_free((*a)->rows);
	ts_free(*a);
	*a = NULL;
}

void risk_assess_render_table(const risk_assessment_t *a, rout_t *o)
{
	size_t idw = 2;
	for (size_t i = 0; i < a->n; i++) {
		size_t l = strlen(a->rows[i].row->id);
		if (l > idw)
			idw = l;
	}
	if (idw > 24)
		idw = 24;
	rout_f(o, "Risk register: %s (%zu threat events)\n\n", a->ws->name, a->n);
	rout_f(o, "%-*s  %-9s  %-10s  %-9s  %s\n", (int)idw, "ID", "RISK", "LIKELIHOOD", "IMPACT",
	       "THREAT EVENT");
	for (size_t i = 0; i < a->n; i++) {
		const risk_assessed_t *r = &a->rows[i];
		rout_f(o, "%-*.*s  %-9s  %-10s  %-9s  %s\n", (int)idw, (int)idw, r->row->id,
		       risk_level_name(r->risk), risk_level_name(r->likelihood),
		       risk_level_name(r->row->impact), r->row->threat_event);
	}
	rout_s(o, "\nHeat map (rows: overall likelihood; columns: impact; cells: number of threat events)\n");
	rout_f(o, "%-11s", "");
	for (int im = 0; im < RISK_LEVELS; im++)
		rout_f(o, "%5s", risk_level_abbr((risk_level_t)im));
	rout_s(o, "\n");
	for (int lk = RISK_LEVELS - 1; lk >= 0; lk--) {
		rout_f(o, "%-11s", risk_level_name((risk_level_t)lk));
		for (int im = 0; im < RISK_LEVELS; im++) {
			if (a->heat[lk][im] == 0)
				rout_f(o, "%5s", ".");
			else
				rout_f(o, "%5zu", a->heat[lk][im]);
		}
		rout_s(o, "\n");
	}
}

void risk_assess_render_json(const risk_assessment_t *a, rout_t *o)
{
	const risk_ws_t *ws = a->ws;
	rout_s(o, "{\"rows\":[");
	for (size_t i = 0; i < a->n; i++) {
		const risk_assessed_t *r = &a->rows[i];
		rout_s(o, i > 0 ? ",\n{" : "\n{");
		for (size_t c = 0; c < ws->ncols; c++) {
			if (c > 0)
				rout_s(o, ",");
			rout_json(o, ws->cols[c]);
			rout_s(o, ":");
			rout_json(o, r->row->cells[c]);
		}
		rout_s(o, ws->ncols > 0 ? ",\"overall_likelihood\":" : "\"overall_likelihood\":");
		rout_json(o, risk_level_name(r->likelihood));
		rout_s(o, ",\"risk\":");
		rout_json(o, risk_level_name(r->risk));
		rout_f(o, ",\"likelihood_score\":%d,\"impact_score\":%d,\"risk_score\":%d}",
		       risk_level_score10(r->likelihood), risk_level_score10(r->row->impact),
		       risk_level_score10(r->risk));
	}
	rout_s(o, "\n],\"heatmap\":[");
	bool first = true;
	for (int lk = RISK_LEVELS - 1; lk >= 0; lk--) {
		for (int im = 0; im < RISK_LEVELS; im++) {
			rout_s(o, first ? "\n{\"likelihood\":" : ",\n{\"likelihood\":");
			first = false;
			rout_json(o, risk_level_name((risk_level_t)lk));
			rout_s(o, ",\"impact\":");
			rout_json(o, risk_level_name((risk_level_t)im));
			rout_s(o, ",\"risk\":");
			rout_json(o, risk_level_name(risk_i2((risk_level_t)lk, (risk_level_t)im)));
			rout_f(o, ",\"count\":%zu,\"ids\":[", a->heat[lk][im]);
			bool f2 = true;
			for (size_t i = 0; i < a->n; i++) {
				const risk_assessed_t *r = &a->rows[i];
				if ((int)r->likelihood != lk || (int)r->row->impact != im)
					continue;
				if (!f2)
					rout_s(o, ",");
				f2 = false;
				rout_json(o, r->row->id);
			}
			rout_s(o, "]}");
		}
	}
	rout_s(o, "\n]}\n");
}

void risk_assess_render_csv(const risk_assessment_t *a, rout_t *o)
{
	const risk_ws_t *ws = a->ws;
	for (size_t c = 0; c < ws->ncols; c++) {
		rout_csv(o, ws->cols[c]);
		rout_s(o, ",");
	}
	rout_s(o, "overall_likelihood,risk,likelihood_score,impact_score,risk_score\r\n");
	for (size_t i = 0; i < a->n; i++) {
		const risk_assessed_t *r = &a->rows[i];
		for (size_t c = 0; c < ws->ncols; c++) {
			rout_csv(o, r->row->cells[c]);
			rout_s(o, ",");
		}
		rout_f(o, "%s,%s,%d,%d,%d\r\n", risk_level_name(r->likelihood), risk_level_name(r->risk),
		       risk_level_score10(r->likelihood), risk_level_score10(r->row->impact),
		       risk_level_score10(r->risk));
	}
}

static const char *const level_fill[RISK_LEVELS] = {
	"#f7fcb9", "#d9f0a3", "#fdcc8a", "#fc8d59", "#d7301f"
};
static const char *const level_class[RISK_LEVELS] = { "vl", "l", "m", "h", "vh" };

void risk_heatmap_svg(const risk_assessment_t *a, rout_t *o)
{
	const int cw = 120, ch = 70, left = 100, top = 20;
	const int w = left + 5 * cw + 10, h = top + 5 * ch + 60;
	rout_f(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
	       "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"risk heat map\">\n", w, h, w, h);
	for (int lk = RISK_LEVELS - 1; lk >= 0; lk--) {
		int y = top + (RISK_LEVELS - 1 - lk) * ch;
		rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"end\">%s</text>\n",
		       left - 6, y + ch / 2 + 4, risk_level_name((risk_level_t)lk));
		for (int im = 0; im < RISK_LEVELS; im++) {
			int x = left + im * cw;
			risk_level_t lvl = risk_i2((risk_level_t)lk, (risk_level_t)im);
			rout_f(o, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
			       "stroke=\"#fff\" stroke-width=\"2\"><title>likelihood %s, impact %s: risk %s</title></rect>\n",
			       x, y, cw, ch, level_fill[lvl], risk_level_name((risk_level_t)lk),
			       risk_level_name((risk_level_t)im), risk_level_name(lvl));
			size_t n = a->heat[lk][im];
			if (n == 0)
				continue;
			rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"18\" font-weight=\"bold\" "
			       "text-anchor=\"middle\">%zu</text>\n", x + cw / 2, y + 26, n);
			/* up to three ids under the count, then "+N" */
			rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">",
			       x + cw / 2, y + 46);
			size_t shown = 0;
			for (size_t i = 0; i < a->n; i++) {
				const risk_assessed_t *r = &a->rows[i];
				if ((int)r->likelihood != lk || (int)r->row->impact != im)
					continue;
				if (shown == 3) {
					rout_f(o, " +%zu", n - 3);
					break;
				}
				if (shown > 0)
					rout_s(o, ", ");
				char idbuf[16];
				size_t l = strlen(r->row->id);
				if (l > 12) {
					memcpy(idbuf, r->row->id, 11);
					idbuf[11] = '\0';
					rout_html(o, idbuf);
					rout_s(o, "\xe2\x80\xa6");
				} else {
					rout_html(o, r->row->id);
				}
				shown++;
			}
			rout_s(o, "</text>\n");
		}
	}
	for (int im = 0; im < RISK_LEVELS; im++)
		rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"12\" text-anchor=\"middle\">%s</text>\n",
		       left + im * cw + cw / 2, top + 5 * ch + 18, risk_level_name((risk_level_t)im));
	rout_f(o, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">impact</text>\n",
	       left + 5 * cw / 2, top + 5 * ch + 44);
	rout_f(o, "<text x=\"14\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\" "
	       "transform=\"rotate(-90 14 %d)\">overall likelihood</text>\n",
	       top + 5 * ch / 2, top + 5 * ch / 2);
	rout_s(o, "</svg>\n");
}

void risk_assess_render_html(const risk_assessment_t *a, rout_t *o)
{
	const risk_ws_t *ws = a->ws;
	rout_html_head(o, "Risk assessment");
	rout_s(o, "<h1>Risk assessment</h1>\n<p>Worksheet <code>");
	rout_html(o, ws->name);
	rout_f(o, "</code>: %zu threat events, assessed with NIST SP 800-30 Rev. 1 Tables G-5 "
	       "(overall likelihood) and I-2 (level of risk).</p>\n", a->n);
	rout_s(o, "<h2>Heat map</h2>\n<p>Rows: overall likelihood; columns: impact; colour: level of "
	       "risk (Table I-2); numbers: threat events in the cell.</p>\n");
	risk_heatmap_svg(a, o);
	rout_s(o, "<h2>Register</h2>\n<table>\n<tr><th>id</th><th>risk</th><th>overall likelihood</th>"
	       "<th>initiation</th><th>impact likelihood</th><th>impact</th><th>threat event</th>"
	       "<th>threat source</th><th>controls</th><th>owner</th></tr>\n");
	int c_src = ws->idx[RISK_COL_THREAT_SOURCE], c_ctl = ws->idx[RISK_COL_CONTROLS],
	    c_own = ws->idx[RISK_COL_OWNER];
	for (size_t i = 0; i < a->n; i++) {
		const risk_assessed_t *r = &a->rows[i];
		rout_s(o, "<tr><td>");
		rout_html(o, r->row->id);
		rout_f(o, "</td><td class=\"%s\">%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>",
		       level_class[r->risk], risk_level_name(r->risk), risk_level_name(r->likelihood),
		       risk_level_name(r->row->init_lik), risk_level_name(r->row->impact_lik),
		       risk_level_name(r->row->impact));
		rout_html(o, r->row->threat_event);
		rout_s(o, "</td><td>");
		rout_html(o, c_src >= 0 ? r->row->cells[c_src] : "");
		rout_s(o, "</td><td>");
		rout_html(o, c_ctl >= 0 ? r->row->cells[c_ctl] : "");
		rout_s(o, "</td><td>");
		rout_html(o, c_own >= 0 ? r->row->cells[c_own] : "");
		rout_s(o, "</td></tr>\n");
	}
	rout_s(o, "</table>\n");
	rout_html_tail(o);
}
