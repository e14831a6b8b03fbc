/* nist.h — NIST SP 800-30 Rev. 1 scales and lookup tables: the five-level
 * qualitative scale with its semi-quantitative ranges (Tables G-2, G-3, G-4,
 * H-3, I-3), Table G-5 (overall likelihood) and Table I-2 (level of risk),
 * exactly as printed in the project's domain notes. Pure functions; no state. */
#ifndef TS_RISK_NIST_H
#define TS_RISK_NIST_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"

/* The qualitative scale, lowest first, so levels compare as integers. */
typedef enum risk_level {
	RISK_VL = 0,   /* very low */
	RISK_L,        /* low */
	RISK_M,        /* moderate */
	RISK_H,        /* high */
	RISK_VH,       /* very high */
	RISK_LEVELS    /* not a level: the count */
} risk_level_t;

/* "very low" … "very high" (lower case, as product.md's JSON wants); static. */
const char *risk_level_name(risk_level_t l);
/* "VL", "L", "M", "H", "VH"; static. */
const char *risk_level_abbr(risk_level_t l);
/* The semi-quantitative value of a level on the 0–10 scale: 0, 2, 5, 8, 10. */
int risk_level_score10(risk_level_t l);
/* The level of a semi-quantitative value on the 0–100 scale: 96–100 very
 * high, 80–95 high, 21–79 moderate, 5–20 low, 0–4 very low. Non-integers
 * fall in the bin whose lower bound they reach (20.5 is low, 21 moderate).
 * TS_EINPUT outside 0–100. */
TS_WUR int risk_level_from_100(double v, risk_level_t *out);
/* Parses a worksheet cell: a NIST word in any case, with a space, '-' or '_'
 * between "very" and the rest ("Very High", "very-low"), an abbreviation
 * (VL, L, M, H, VH), or a number 0–100. Leading and trailing spaces are
 * ignored. TS_EINPUT for anything else. */
TS_WUR int risk_level_parse(const char *s, size_t n, risk_level_t *out);

/* Table G-5: overall likelihood from the likelihood of initiation (adversarial)
 * or occurrence (non-adversarial) and the likelihood that the event results
 * in adverse impact. */
risk_level_t risk_g5(risk_level_t initiation, risk_level_t impact_likelihood);
/* Table I-2: level of risk from the overall likelihood and the impact. */
risk_level_t risk_i2(risk_level_t likelihood, risk_level_t impact);

/* The threat source types of Table D-2. */
typedef enum risk_source_type {
	RISK_SRC_NONE = 0,
	RISK_SRC_ADVERSARIAL,
	RISK_SRC_ACCIDENTAL,
	RISK_SRC_STRUCTURAL,
	RISK_SRC_ENVIRONMENTAL
} risk_source_type_t;

/* Parses adversarial|accidental|structural|environmental (any case). */
TS_WUR int risk_source_type_parse(const char *s, size_t n, risk_source_type_t *out);

#endif
