/* merge.h — the coordinated view across participants' worksheets (the DSSA's
 * "coordinated, not unified" view). Per threat event: how many participants
 * assessed it, and the median and interquartile range of their initiation
 * likelihood, overall likelihood, impact and risk. An event contributed by
 * fewer than K participants is suppressed: it appears in no output, and
 * only the number of suppressed events is given. */
#ifndef TS_RISK_MERGE_H
#define TS_RISK_MERGE_H

#include <stddef.h>

#include "base/err.h"
#include "risk/nist.h"
#include "risk/out.h"
#include "risk/taxonomy.h"
#include "risk/worksheet.h"

typedef struct risk_merge risk_merge_t;

/* A spread on the ordinal scale: nearest-rank quartiles. */
typedef struct risk_spread {
	risk_level_t q1, median, q3;
} risk_spread_t;

typedef struct risk_merged_event {
	const char *event;     /* the taxonomy id, or the event's text folded to lower case */
	size_t participants;
	risk_spread_t initiation, likelihood, impact, risk;
} risk_merged_event_t;

/* `tax` (borrowed) maps a threat event's id or name onto one key; k >= 1. */
TS_WUR int risk_merge_new(risk_merge_t **m, const risk_taxonomy_t *tax, size_t k);
/* Adds a worksheet read with RISK_WS_NEED_QUAL. The participant is the value
 * of the row's `participant` cell when the worksheet has that column and the
 * cell is set, the worksheet's name otherwise. One participant's several rows
 * for one event count once, with the row of highest risk (then likelihood,
 * then impact). The merge copies what it keeps; ws may be freed after. */
TS_WUR int risk_merge_add(risk_merge_t *m, const risk_ws_t *ws);
/* Groups, counts, suppresses and sorts (by median risk, then median
 * likelihood, then participants, highest first; then by event). */
TS_WUR int risk_merge_finish(risk_merge_t *m);
void risk_merge_free(risk_merge_t **m);

size_t risk_merge_count(const risk_merge_t *m);                  /* published events */
const risk_merged_event_t *risk_merge_get(const risk_merge_t *m, size_t i);
size_t risk_merge_suppressed(const risk_merge_t *m);
size_t risk_merge_participants(const risk_merge_t *m);           /* distinct, overall */

void risk_merge_render_table(const risk_merge_t *m, rout_t *o);
void risk_merge_render_json(const risk_merge_t *m, rout_t *o);
/* CSV holds the published events only; the caller reports the suppressed
 * count. An event text starting with = + - @ (a formula to a spreadsheet)
 * is written with a leading apostrophe. */
void risk_merge_render_csv(const risk_merge_t *m, rout_t *o);

#endif
