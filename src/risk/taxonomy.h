/* taxonomy.h — the built-in catalogue of DNS threat events, vulnerabilities
 * and impacts, each with its provenance. The data lives in
 * src/risk/taxonomy.tsv and is compiled into the binary. */
#ifndef TS_RISK_TAXONOMY_H
#define TS_RISK_TAXONOMY_H

#include <stddef.h>

#include "base/err.h"
#include "risk/out.h"

typedef enum risk_tax_kind {
	RISK_TAX_THREAT = 0,
	RISK_TAX_VULNERABILITY,
	RISK_TAX_IMPACT
} risk_tax_kind_t;

typedef struct risk_tax_entry {
	const char *id;          /* a slug: "authoritative-ddos" */
	risk_tax_kind_t kind;
	const char *name;        /* a readable sentence */
	const char *provenance;  /* where it came from: "RFC 3833 section 2.5; …" */
} risk_tax_entry_t;

typedef struct risk_taxonomy risk_taxonomy_t;

/* Parses the embedded catalogue into a new object the caller frees with
 * risk_taxonomy_free. TS_EINTERNAL (logged) when the embedded data is
 * malformed: a bad kind, a missing field, a duplicate id. */
TS_WUR int risk_taxonomy_load(risk_taxonomy_t **out);
/* Parses a catalogue from text in the same TSV format (for tests). `name`
 * is used in messages. */
TS_WUR int risk_taxonomy_parse(risk_taxonomy_t **out, const char *name, const char *text, size_t len);
void risk_taxonomy_free(risk_taxonomy_t **t);

size_t risk_taxonomy_count(const risk_taxonomy_t *t);
/* The i-th entry in file order; borrowed from t. */
const risk_tax_entry_t *risk_taxonomy_get(const risk_taxonomy_t *t, size_t i);
/* The threat event whose id or name equals `text` (case-insensitive, spaces
 * around ignored), or NULL. */
const risk_tax_entry_t *risk_taxonomy_find_threat(const risk_taxonomy_t *t, const char *text);
/* "threat", "vulnerability", "impact". */
const char *risk_tax_kind_name(risk_tax_kind_t k);

/* Renders the catalogue: JSON {"entries":[{id,kind,name,provenance}…]} or
 * text grouped by kind. */
void risk_taxonomy_render_json(const risk_taxonomy_t *t, rout_t *o);
void risk_taxonomy_render_text(const risk_taxonomy_t *t, rout_t *o);

#endif
