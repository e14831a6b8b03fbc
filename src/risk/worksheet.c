/* worksheet.c — reading and checking risk worksheets. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/csv.h"
#include "base/log.h"
#include "base/num.h"
#include "risk/worksheet.h"

static const char *const col_names[RISK_COLS] = {
	"id", "threat_source", "source_type", "threat_event", "vulnerability",
	"predisposing_condition", "capability", "intent", "targeting",
	"initiation_likelihood", "impact_likelihood", "impact", "timeframe",
	"controls", "owner", "reference", "tef_min", "tef_mode", "tef_max", "vuln",
	"vuln_min", "vuln_mode", "vuln_max", "loss_min", "loss_mode", "loss_max",
	"participant",
};

static const char *const derived_names[] = {
	"overall_likelihood", "risk", "likelihood_score", "impact_score", "risk_score",
};

const char *risk_col_name(risk_col_t c)
{
	return (unsigned)c < RISK_COLS ? col_names[c] : "";
}

bool risk_col_is_derived(const char *name)
{
	for (size_t i = 0; i < sizeof(derived_names) / sizeof(derived_names[0]); i++)
		if (strcasecmp(name, derived_names[i]) == 0)
			return true;
	return false;
}

void risk_ws_free(risk_ws_t **ws)
{
	if (ws == NULL || *ws == NULL)
		return;
	ts_free((*ws)->rows);
	arena_free(&(*ws)->arena);
	ts_free(*ws);
	*ws = NULL;
}

/* The reading state: the worksheet being built and the error count. */
typedef struct rd {
	risk_ws_t *ws;
	const risk_taxonomy_t *tax;
	unsigned flags;
	unsigned errors;
	int *map;               /* CSV field index -> worksheet column, or -1 (dropped) */
	size_t nfields;         /* fields in the header */
	size_t cap;             /* allocated rows */
	/* the current record */
	const csv_record_t *rec;
	const char **cells;
} rd_t;

static void bad(rd_t *r, unsigned long line, unsigned long col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void bad(rd_t *r, unsigned long line, unsigned long col, const char *fmt, ...)
{
	r->errors++;
	if (r->errors > RISK_MAX_ERRORS)
		return;
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ts_log_pos(TS_LOG_ERR, r->ws->name, line, col, "%s", msg);
	if (r->errors == RISK_MAX_ERRORS)
		ts_log_pos(TS_LOG_ERR, r->ws->name, 0, 0, "too many errors; stopping");
}

static void trim(const char **p, size_t *n)
{
	while (*n > 0 && isspace((unsigned char)**p)) {
		(*p)++;
		(*n)--;
	}
	while (*n > 0 && isspace((unsigned char)(*p)[*n - 1]))
		(*n)--;
}

/* Position of a known column's cell in the current record (the place just
 * after the last field when the record is short). */
static void cell_pos(const rd_t *r, risk_col_t c, unsigned long *line, unsigned long *col)
{
	int wc = r->ws->idx[c];
	if (wc < 0) {
		/* the column is not in the header: the record itself */
		*line = r->rec->line;
		*col = 1;
		return;
	}
	for (size_t k = 0; k < r->rec->n && k < r->nfields; k++) {
		if (r->map[k] == wc) {
			*line = r->rec->f[k].line;
			*col = r->rec->f[k].col;
			return;
		}
	}
	const csv_field_t *last = &r->rec->f[r->rec->n - 1];
	*line = last->line;
	*col = last->col + last->len + 1;
}

static const char *cell(const rd_t *r, risk_col_t c)
{
	int wc = r->ws->idx[c];
	return wc >= 0 ? r->cells[wc] : "";
}

static int read_header(rd_t *r, const csv_record_t *h)
{
	risk_ws_t *ws = r->ws;
	r->nfields = h->n;
	r->map = arena_alloc(ws->arena, h->n * sizeof(*r->map));
	ws->cols = arena_alloc(ws->arena, h->n * sizeof(*ws->cols));
	if (r->map == NULL || ws->cols == NULL)
		return TS_ENOMEM;
	for (size_t k = 0; k < h->n; k++) {
		const char *p = h->f[k].p;
		size_t n = h->f[k].len;
		if (k == 0 && n >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0) {
			p += 3;
			n -= 3;
		}
		trim(&p, &n);
		r->map[k] = -1;
		if (n == 0) {
			bad(r, h->f[k].line, h->f[k].col, "empty column name in the header");
			continue;
		}
		char *name = arena_strndup(ws->arena, p, n);
		if (name == NULL)
			return TS_ENOMEM;
		if (risk_col_is_derived(name))
			continue;  /* recomputed by assess, never carried through */
		bool dup = false;
		for (size_t j = 0; j < ws->ncols; j++)
			dup = dup || strcasecmp(ws->cols[j], name) == 0;
		if (dup) {
			bad(r, h->f[k].line, h->f[k].col, "duplicate column '%s'", name);
			continue;
		}
		for (int c = 0; c < RISK_COLS; c++)
			if (strcasecmp(name, col_names[c]) == 0)
				ws->idx[c] = (int)ws->ncols;
		r->map[k] = (int)ws->ncols;
		ws->cols[ws->ncols++] = name;
	}
	unsigned long l = h->line;
	if (ws->idx[RISK_COL_ID] < 0)
		bad(r, l, 1, "missing column 'id'");
	if (ws->idx[RISK_COL_THREAT_EVENT] < 0)
		bad(r, l, 1, "missing column 'threat_event'");
	if (r->flags & RISK_WS_NEED_QUAL) {
		static const risk_col_t need[] = { RISK_COL_INIT_LIK, RISK_COL_IMPACT_LIK, RISK_COL_IMPACT };
		for (size_t i = 0; i < 3; i++)
			if (ws->idx[need[i]] < 0)
				bad(r, l, 1, "missing column '%s'", col_names[need[i]]);
	}
	if (r->flags & RISK_WS_NEED_QUANT) {
		static const risk_col_t need[] = { RISK_COL_TEF_MIN, RISK_COL_TEF_MODE, RISK_COL_TEF_MAX,
		                                   RISK_COL_LOSS_MIN, RISK_COL_LOSS_MODE, RISK_COL_LOSS_MAX };
		for (size_t i = 0; i < 6; i++)
			if (ws->idx[need[i]] < 0)
				bad(r, l, 1, "missing column '%s'", col_names[need[i]]);
		if (ws->idx[RISK_COL_VULN] < 0 && (ws->idx[RISK_COL_VULN_MIN] < 0 ||
		    ws->idx[RISK_COL_VULN_MODE] < 0 || ws->idx[RISK_COL_VULN_MAX] < 0))
			bad(r, l, 1, "missing column 'vuln' (or 'vuln_min', 'vuln_mode', 'vuln_max')");
	}
	return TS_OK;
}

static bool parse_level(rd_t *r, risk_col_t c, risk_level_t *out)
{
	const char *s = cell(r, c);
	if (risk_level_parse(s, strlen(s), out) == TS_OK)
		return true;
	unsigned long line, col;
	cell_pos(r, c, &line, &col);
	bad(r, line, col, "%s: '%s' is not very low|low|moderate|high|very high or a number 0-100",
	    col_names[c], s);
	return false;
}

static bool parse_num(rd_t *r, risk_col_t c, double lo, double hi, double *out)
{
	const char *s = cell(r, c);
	unsigned long line, col;
	if (ts_parse_double(s, strlen(s), out) == TS_OK && *out >= lo && *out <= hi)
		return true;
	cell_pos(r, c, &line, &col);
	if (r->ws->idx[c] < 0)
		bad(r, line, col, "column '%s' is missing while other quantitative columns are set",
		    col_names[c]);
	else if (*s == '\0')
		bad(r, line, col, "%s is empty while other quantitative columns are set", col_names[c]);
	else
		bad(r, line, col, "%s: '%s' is not a number from %g to %g", col_names[c], s, lo, hi);
	return false;
}

/* Reads a (min, mode, max) triple and checks min <= mode <= max. */
static bool parse_pert(rd_t *r, risk_col_t c0, double lo, double hi, risk_pert_t *p)
{
	bool ok = parse_num(r, c0, lo, hi, &p->min);
	ok = parse_num(r, (risk_col_t)(c0 + 1), lo, hi, &p->mode) && ok;
	ok = parse_num(r, (risk_col_t)(c0 + 2), lo, hi, &p->max) && ok;
	if (ok && !(p->min <= p->mode && p->mode <= p->max)) {
		unsigned long line, col;
		cell_pos(r, (risk_col_t)(c0 + 1), &line, &col);
		bad(r, line, col, "%s must lie between %s and %s (%g, %g, %g)", col_names[c0 + 1],
		    col_names[c0], col_names[c0 + 2], p->min, p->mode, p->max);
		ok = false;
	}
	return ok;
}

static void check_row(rd_t *r, risk_row_t *row)
{
	unsigned long line, col;
	row->id = cell(r, RISK_COL_ID);
	row->threat_event = cell(r, RISK_COL_THREAT_EVENT);
	if (r->ws->idx[RISK_COL_ID] >= 0 && row->id[0] == '\0') {
		cell_pos(r, RISK_COL_ID, &line, &col);
		bad(r, line, col, "id is empty");
	}
	if (r->ws->idx[RISK_COL_THREAT_EVENT] >= 0) {
		cell_pos(r, RISK_COL_THREAT_EVENT, &line, &col);
		if (row->threat_event[0] == '\0')
			bad(r, line, col, "threat_event is empty");
		else if (r->tax != NULL && risk_taxonomy_find_threat(r->tax, row->threat_event) == NULL)
			ts_log_pos(TS_LOG_WARN, r->ws->name, line, col,
			           "threat event '%s' is not in the taxonomy (tldsec risk taxonomy)",
			           row->threat_event);
	}
	const char *st = cell(r, RISK_COL_SOURCE_TYPE);
	if (*st != '\0' && risk_source_type_parse(st, strlen(st), &row->source_type) != TS_OK) {
		cell_pos(r, RISK_COL_SOURCE_TYPE, &line, &col);
		bad(r, line, col, "source_type: '%s' is not adversarial|accidental|structural|environmental", st);
	}
	const char *tf = cell(r, RISK_COL_TIMEFRAME);
	if (*tf != '\0' && strcasecmp(tf, "go-fast") != 0 && strcasecmp(tf, "go-deep") != 0) {
		cell_pos(r, RISK_COL_TIMEFRAME, &line, &col);
		bad(r, line, col, "timeframe: '%s' is not go-fast|go-deep", tf);
	}
	static const risk_col_t opt_levels[] = { RISK_COL_CAPABILITY, RISK_COL_INTENT, RISK_COL_TARGETING };
	for (size_t i = 0; i < 3; i++) {
		risk_level_t dummy;
		if (*cell(r, opt_levels[i]) != '\0')
			(void)parse_level(r, opt_levels[i], &dummy);
	}

	/* Qualitative: all three or none (none is an error when assessing). */
	static const risk_col_t qual[] = { RISK_COL_INIT_LIK, RISK_COL_IMPACT_LIK, RISK_COL_IMPACT };
	risk_level_t *qdst[] = { &row->init_lik, &row->impact_lik, &row->impact };
	size_t set = 0;
	for (size_t i = 0; i < 3; i++)
		set += *cell(r, qual[i]) != '\0';
	if (set > 0 || (r->flags & RISK_WS_NEED_QUAL)) {
		bool ok = true;
		for (size_t i = 0; i < 3; i++) {
			if (*cell(r, qual[i]) == '\0') {
				if (r->ws->idx[qual[i]] >= 0) {
					cell_pos(r, qual[i], &line, &col);
					bad(r, line, col, "%s is empty", col_names[qual[i]]);
				}
				ok = false;
			} else {
				ok = parse_level(r, qual[i], qdst[i]) && ok;
			}
		}
		row->has_qual = ok;
	}

	/* Quantitative (FAIR): all or none. */
	static const risk_col_t quant[] = { RISK_COL_TEF_MIN, RISK_COL_TEF_MODE, RISK_COL_TEF_MAX,
	                                    RISK_COL_VULN, RISK_COL_VULN_MIN, RISK_COL_VULN_MODE,
	                                    RISK_COL_VULN_MAX, RISK_COL_LOSS_MIN, RISK_COL_LOSS_MODE,
	                                    RISK_COL_LOSS_MAX };
	bool any = false;
	for (size_t i = 0; i < sizeof(quant) / sizeof(quant[0]); i++)
		any = any || *cell(r, quant[i]) != '\0';
	if (!any)
		return;
	bool ok = parse_pert(r, RISK_COL_TEF_MIN, 0.0, RISK_MAX_TEF, &row->tef);
	ok = parse_pert(r, RISK_COL_LOSS_MIN, 0.0, RISK_MAX_LOSS, &row->loss) && ok;
	bool single = *cell(r, RISK_COL_VULN) != '\0';
	bool triple = *cell(r, RISK_COL_VULN_MIN) != '\0' || *cell(r, RISK_COL_VULN_MODE) != '\0' ||
	              *cell(r, RISK_COL_VULN_MAX) != '\0';
	if (single && triple) {
		cell_pos(r, RISK_COL_VULN, &line, &col);
		bad(r, line, col, "give vuln or vuln_min/vuln_mode/vuln_max, not both");
		ok = false;
	} else if (single) {
		double v;
		if (parse_num(r, RISK_COL_VULN, 0.0, 1.0, &v))
			row->vuln.min = row->vuln.mode = row->vuln.max = v;
		else
			ok = false;
	} else if (triple) {
		ok = parse_pert(r, RISK_COL_VULN_MIN, 0.0, 1.0, &row->vuln) && ok;
	} else {
		int vc = r->ws->idx[RISK_COL_VULN] >= 0 ? RISK_COL_VULN : RISK_COL_VULN_MIN;
		cell_pos(r, (risk_col_t)vc, &line, &col);
		bad(r, line, col, "vuln (or vuln_min, vuln_mode, vuln_max) is %s while other quantitative "
		    "columns are set", r->ws->idx[vc] >= 0 ? "empty" : "missing");
		ok = false;
	}
	row->has_quant = ok;
}

static int add_row(rd_t *r, const csv_record_t *rec)
{
	risk_ws_t *ws = r->ws;
	if (rec->n > r->nfields) {
		const csv_field_t *f = &rec->f[r->nfields];
		bad(r, f->line, f->col, "more fields than the header has columns (%zu)", r->nfields);
		return TS_OK;
	}
	if (ws->nrows == RISK_MAX_ROWS) {
		bad(r, rec->line, 1, "more than %u rows", RISK_MAX_ROWS);
		return TS_OK;
	}
	if (ws->nrows == r->cap) {
		size_t ncap = r->cap == 0 ? 64 : r->cap * 2;
		risk_row_t *nr = ts_realloc(ws->rows, ncap * sizeof(*nr));
		if (nr == NULL)
			return TS_ENOMEM;
		ws->rows = nr;
		r->cap = ncap;
	}
	const char **cells = arena_alloc(ws->arena, (ws->ncols > 0 ? ws->ncols : 1) * sizeof(*cells));
	if (cells == NULL)
		return TS_ENOMEM;
	for (size_t j = 0; j < ws->ncols; j++)
		cells[j] = "";
	for (size_t k = 0; k < rec->n; k++) {
		if (r->map[k] < 0)
			continue;
		const char *p = rec->f[k].p;
		size_t n = rec->f[k].len;
		trim(&p, &n);
		if (n > 0 && (cells[r->map[k]] = arena_strndup(ws->arena, p, n)) == NULL)
			return TS_ENOMEM;
	}
	risk_row_t *row = &ws->rows[ws->nrows];
	memset(row, 0, sizeof(*row));
	row->cells = cells;
	row->line = rec->line;
	r->rec = rec;
	r->cells = cells;
	unsigned before = r->errors;
	check_row(r, row);
	if (r->errors == before)
		ws->nrows++;
	return TS_OK;
}

typedef struct id_ref {
	const char *id;
	unsigned long line;
} id_ref_t;

static int cmp_id(const void *a, const void *b)
{
	const id_ref_t *x = a, *y = b;
	int c = strcmp(x->id, y->id);
	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Ids must be unique: sorts (id, line) pairs and reports the later of each
 * equal pair. */
static int check_ids(rd_t *r)
{
	risk_ws_t *ws = r->ws;
	if (ws->nrows < 2)
		return TS_OK;
	id_ref_t *v = ts_malloc(ws->nrows * sizeof(*v));
	if (v == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < ws->nrows; i++) {
		v[i].id = ws->rows[i].id;
		v[i].line = ws->rows[i].line;
	}
	qsort(v, ws->nrows, sizeof(*v), cmp_id);
	for (size_t i = 1; i < ws->nrows; i++)
		if (strcmp(v[i].id, v[i - 1].id) == 0)
			bad(r, v[i].line, 1, "duplicate id '%s' (first on line %lu)", v[i].id, v[i - 1].line);
	ts_free(v);
	return TS_OK;
}

int risk_ws_read(risk_ws_t **out, ts_input_t *in, unsigned flags, const risk_taxonomy_t *tax)
{
	int ret = TS_OK;
	csv_reader_t *csv = NULL;
	*out = NULL;
	risk_ws_t *ws = ts_calloc(1, sizeof(*ws));
	if (ws == NULL)
		return TS_ENOMEM;
	for (int c = 0; c < RISK_COLS; c++)
		ws->idx[c] = -1;
	rd_t r = { .ws = ws, .tax = tax, .flags = flags };
	ws->arena = arena_new(64 * 1024);
	if (ws->arena == NULL || (ws->name = arena_strdup(ws->arena, ts_input_name(in))) == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	if ((ret = csv_open(&csv, in, '#')) != TS_OK)
		goto out;
	bool header = false;
	while (r.errors < RISK_MAX_ERRORS) {
		csv_record_t rec;
		bool eof;
		ret = csv_next(csv, &rec, &eof);
		if (ret == TS_ESYNTAX || ret == TS_ELIMIT) {
			unsigned long line, col;
			const char *msg = csv_error(csv, &line, &col);
			bad(&r, line, col, "%s", msg);
			ret = TS_OK;
			if (!header)
				break;
			continue;
		}
		if (ret != TS_OK)
			goto out;
		if (eof)
			break;
		if (!header) {
			header = true;
			if ((ret = read_header(&r, &rec)) != TS_OK)
				goto out;
			if (r.errors > 0)
				break;
			continue;
		}
		if ((ret = add_row(&r, &rec)) != TS_OK)
			goto out;
	}
	if (!header && r.errors == 0)
		bad(&r, 1, 1, "the worksheet is empty (no header row)");
	if (r.errors == 0 && (ret = check_ids(&r)) != TS_OK)
		goto out;
	if (r.errors == 0 && (flags & RISK_WS_NEED_QUANT)) {
		bool any = false;
		for (size_t i = 0; i < ws->nrows; i++)
			any = any || ws->rows[i].has_quant;
		if (!any)
			bad(&r, 1, 1, "no row sets the quantitative columns (tef_*, vuln, loss_*)");
	}
	if (r.errors > 0)
		ret = TS_EINPUT;
	else {
		*out = ws;
		ws = NULL;
	}
out:
	csv_close(&csv);
	risk_ws_free(&ws);
	return ret;
}
