/* worksheet.h — risk worksheets: CSV with a header row, columns in any
 * order, unknown columns carried through, NIST words or 0–100 numbers,
 * errors reported as FILE:LINE:COL. */
#ifndef TS_RISK_WORKSHEET_H
#define TS_RISK_WORKSHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/input.h"
#include "risk/nist.h"
#include "risk/taxonomy.h"

#define RISK_MAX_ROWS       100000u   /* rows in one worksheet */
#define RISK_MAX_TEF        100000.0  /* threat events per year, upper bound */
#define RISK_MAX_LOSS       1e15      /* loss per event, upper bound */
#define RISK_MAX_ERRORS     10u       /* errors reported before the reader stops */

/* The columns the tool knows (product.md §2.6). */
typedef enum risk_col {
	RISK_COL_ID = 0,
	RISK_COL_THREAT_SOURCE,
	RISK_COL_SOURCE_TYPE,
	RISK_COL_THREAT_EVENT,
	RISK_COL_VULNERABILITY,
	RISK_COL_PREDISPOSING,
	RISK_COL_CAPABILITY,
	RISK_COL_INTENT,
	RISK_COL_TARGETING,
	RISK_COL_INIT_LIK,
	RISK_COL_IMPACT_LIK,
	RISK_COL_IMPACT,
	RISK_COL_TIMEFRAME,
	RISK_COL_CONTROLS,
	RISK_COL_OWNER,
	RISK_COL_REFERENCE,
	RISK_COL_TEF_MIN,
	RISK_COL_TEF_MODE,
	RISK_COL_TEF_MAX,
	RISK_COL_VULN,
	RISK_COL_VULN_MIN,
	RISK_COL_VULN_MODE,
	RISK_COL_VULN_MAX,
	RISK_COL_LOSS_MIN,
	RISK_COL_LOSS_MODE,
	RISK_COL_LOSS_MAX,
	RISK_COL_PARTICIPANT,
	RISK_COLS
} risk_col_t;

/* The column's header name ("initiation_likelihood"); static. */
const char *risk_col_name(risk_col_t c);

/* A (min, most likely, max) estimate for a beta-PERT draw. */
typedef struct risk_pert {
	double min, mode, max;
} risk_pert_t;

typedef struct risk_row {
	const char **cells;        /* one per worksheet column, "" when absent */
	const char *id;            /* = the id cell */
	const char *threat_event;  /* = the threat_event cell */
	unsigned long line;        /* the record's first line */
	risk_source_type_t source_type;
	bool has_qual;             /* the three likelihood/impact cells are set */
	risk_level_t init_lik, impact_lik, impact;
	bool has_quant;            /* the FAIR cells are set */
	risk_pert_t tef, vuln, loss;   /* vuln.min == vuln.max for a single value */
} risk_row_t;

typedef struct risk_ws {
	const char *name;          /* the input's name, for messages */
	size_t ncols;
	const char **cols;         /* header names, trimmed, in file order */
	int idx[RISK_COLS];        /* column of each known field, or -1 */
	size_t nrows;
	risk_row_t *rows;          /* in file order */
	struct arena *arena;       /* owns everything above */
} risk_ws_t;

enum {
	RISK_WS_NEED_QUAL  = 1u << 0,  /* every row needs initiation/impact likelihood and impact */
	RISK_WS_NEED_QUANT = 1u << 1,  /* the FAIR columns must exist and one row must use them */
};

/* Reads a worksheet from `in` (borrowed). With `tax` non-NULL, a threat event
 * the catalogue does not know is logged as a warning at its cell. Errors are
 * logged as FILE:LINE:COL (up to RISK_MAX_ERRORS) and return TS_EINPUT.
 * On success *out is a new worksheet the caller frees with risk_ws_free. */
TS_WUR int risk_ws_read(risk_ws_t **out, ts_input_t *in, unsigned flags,
                        const risk_taxonomy_t *tax);
void risk_ws_free(risk_ws_t **ws);

/* Names of the columns assess adds to its output (a worksheet that already
 * has them, such as an earlier output, gets them recomputed, not doubled). */
bool risk_col_is_derived(const char *name);

#endif
