/* ecomap.h — the map of who does which security function in the DNS
 * ecosystem (the DSSA's functions × edge/glue/core layers): the matrix with
 * the organizations in each cell, the gaps (cells with nobody), the
 * overlaps (cells with more organizations than a threshold) and the
 * disagreements between an organization's own claims and desk research. */
#ifndef TS_RISK_ECOMAP_H
#define TS_RISK_ECOMAP_H

#include <stdbool.h>
#include <stddef.h>

#include "base/err.h"
#include "base/input.h"
#include "risk/out.h"

#define ECO_FUNCTIONS 10
#define ECO_LAYERS    3
#define ECO_MAX_ROWS  100000u

typedef enum eco_scope { ECO_INTERNAL = 0, ECO_EXTERNAL = 1 } eco_scope_t;
typedef enum eco_basis { ECO_SELF = 0, ECO_DESK = 1 } eco_basis_t;

/* "risk planning" … "coordination and sharing"; "edge", "glue", "core". Static. */
const char *eco_function_name(int f);
const char *eco_layer_name(int l);

typedef struct eco_entry {
	const char *org, *org_type, *note;   /* in the map's arena */
	int function, layer;
	eco_scope_t scope;
	eco_basis_t basis;
	unsigned long line;
} eco_entry_t;

typedef struct eco_map eco_map_t;

/* Reads MAP.csv (organization, org_type, function, layer, scope, basis, note;
 * header row, any order, org_type and note optional). Functions match the
 * ten names ignoring case, spaces and punctuation ("Incident response",
 * "incident-response"); "standards, tools and techniques" and
 * "coordination and sharing" may drop the "and". Errors: FILE:LINE:COL and
 * TS_EINPUT. `overlap` is the most organizations a cell may hold before it
 * is an overlap. */
TS_WUR int eco_map_read(eco_map_t **out, ts_input_t *in, size_t overlap);
void eco_map_free(eco_map_t **m);

/* Distinct organizations in a cell (any scope, either basis). */
size_t eco_map_cell_count(const eco_map_t *m, int function, int layer);
size_t eco_map_gaps(const eco_map_t *m);
size_t eco_map_overlaps(const eco_map_t *m);
size_t eco_map_disagreements(const eco_map_t *m);

void eco_map_render_table(const eco_map_t *m, rout_t *o);
void eco_map_render_json(const eco_map_t *m, rout_t *o);
void eco_map_render_html(const eco_map_t *m, rout_t *o);

#endif
