/* assess.h — the NIST SP 800-30 assessment of a worksheet: overall
 * likelihood (Table G-5), level of risk (Table I-2), semi-quantitative
 * scores, the sorted register and the 5×5 heat map, in four formats. */
#ifndef TS_RISK_ASSESS_H
#define TS_RISK_ASSESS_H

#include <stddef.h>

#include "base/err.h"
#include "risk/nist.h"
#include "risk/out.h"
#include "risk/worksheet.h"

typedef struct risk_assessed {
	const risk_row_t *row;      /* borrowed from the worksheet */
	risk_level_t likelihood;    /* overall, Table G-5 */
	risk_level_t risk;          /* Table I-2 */
} risk_assessed_t;

typedef struct risk_assessment {
	const risk_ws_t *ws;        /* borrowed; must outlive the assessment */
	size_t n;
	risk_assessed_t *rows;      /* sorted: risk, then likelihood, highest first; file order on ties */
	/* heat[likelihood][impact]: how many rows fall in each cell */
	size_t heat[RISK_LEVELS][RISK_LEVELS];
} risk_assessment_t;

/* Assesses every row of `ws` (which must have been read with
 * RISK_WS_NEED_QUAL). *out is new; free with risk_assessment_free. */
TS_WUR int risk_assess(const risk_ws_t *ws, risk_assessment_t **out);
void risk_assessment_free(risk_assessment_t **a);

/* The register in each format (product.md §2.6). JSON: {"rows":[{…input
 * columns…, "overall_likelihood", "risk", "likelihood_score", "impact_score",
 * "risk_score"}], "heatmap":[…25 cells…]}. CSV: the input columns and the
 * five derived ones. HTML: one self-contained page with an inline SVG heat map. */
void risk_assess_render_table(const risk_assessment_t *a, rout_t *o);
void risk_assess_render_json(const risk_assessment_t *a, rout_t *o);
void risk_assess_render_csv(const risk_assessment_t *a, rout_t *o);
void risk_assess_render_html(const risk_assessment_t *a, rout_t *o);

/* The SVG heat map alone (used by the HTML page). */
void risk_heatmap_svg(const risk_assessment_t *a, rout_t *o);

#endif
