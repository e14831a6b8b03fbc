/* ecomap.c — the ecosystem map: reading, the matrix, gaps, overlaps, disagreements. */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/csv.h"
#include "base/log.h"
#include "risk/ecomap.h"

static const char *const function_names[ECO_FUNCTIONS] = {
	"risk planning", "risk assessment", "compliance monitoring", "event monitoring",
	"incident response", "research and analysis", "frontline mitigation",
	"standards, tools and techniques", "training", "coordination and sharing",
};
static const char *const layer_names[ECO_LAYERS] = { "edge", "glue", "core" };
static const char *const scope_names[2] = { "internal", "external" };
static const char *const basis_names[2] = { "self", "desk" };

const char *eco_function_name(int f)
{
	return f >= 0 && f < ECO_FUNCTIONS ? function_names[f] : "";
}

const char *eco_layer_name(int l)
{
	return l >= 0 && l < ECO_LAYERS ? layer_names[l] : "";
}

typedef struct eco_disagree {
	const eco_entry_t *e;   /* the side that has the tuple */
} eco_disagree_t;

struct eco_map {
	arena_t *arena;
	const char *name;
	size_t overlap;
	eco_entry_t *e;
	size_t n, cap;
	size_t count[ECO_FUNCTIONS][ECO_LAYERS];
	eco_disagree_t *dis;
	size_t ndis;
	size_t gaps, overlaps;
};

void eco_map_free(eco_map_t **m)
{
	if (m == NULL || *m == NULL)
		return;
	arena_free(&(*m)->arena);
	ts_free((*m)->e);
	ts_free((*m)->dis);
	ts_free(*m);
	*m = NULL;
}

/* Lower-cased letters and digits only, "and" words dropped. */
static void squash(const char *s, char *out, size_t cap)
{
	size_t n = 0;
	char word[32];
	size_t wl = 0;
	for (const char *p = s;; p++) {
		if (*p != '\0' && isalnum((unsigned char)*p)) {
			if (wl + 1 < sizeof(word))
				word[wl++] = (char)tolower((unsigned char)*p);
			continue;
		}
		word[wl] = '\0';
		if (wl > 0 && strcmp(word, "and") != 0 && n + wl < cap) {
			memcpy(out + n, word, wl);
			n += wl;
		}
		wl = 0;
		if (*p == '\0')
			break;
	}
	out[n] = '\0';
}

static int lookup(const char *s, const char *const *names, size_t count)
{
	char a[128], b[128];
	squash(s, a, sizeof(a));
	for (size_t i = 0; i < count; i++) {
		squash(names[i], b, sizeof(b));
		if (a[0] != '\0' && strcmp(a, b) == 0)
			return (int)i;
	}
	return -1;
}

static int cmp_entry(const void *a, const void *b)
{
	const eco_entry_t *x = a, *y = b;
	int c = strcmp(x->org, y->org);
	if (c != 0)
		return c;
	if (x->function != y->function)
		return x->function - y->function;
	if (x->layer != y->layer)
		return x->layer - y->layer;
	if (x->scope != y->scope)
		return (int)x->scope - (int)y->scope;
	if (x->basis != y->basis)
		return (int)x->basis - (int)y->basis;
	return (x->line > y->line) - (x->line < y->line);
}

static bool same_claim(const eco_entry_t *x, const eco_entry_t *y)
{
	return strcmp(x->org, y->org) == 0 && x->function == y->function && x->layer == y->layer &&
	       x->scope == y->scope;
}

/* After sorting: cell counts, gaps, overlaps, disagreements. */
static int analyse(eco_map_t *m)
{
	qsort(m->e, m->n, sizeof(*m->e), cmp_entry);
	for (size_t i = 0; i < m->n; i++) {
		const eco_entry_t *e = &m->e[i];
		/* first entry of this org in this cell? (entries are sorted by org, function, layer) */
		bool first = true;
		for (size_t j = i; j > 0; j--) {
			const eco_entry_t *p = &m->e[j - 1];
			if (strcmp(p->org, e->org) != 0 || p->function != e->function)
				break;
			if (p->layer == e->layer) {
				first = false;
				break;
			}
		}
		if (first)
			m->count[e->function][e->layer]++;
	}
	for (int f = 0; f < ECO_FUNCTIONS; f++)
		for (int l = 0; l < ECO_LAYERS; l++) {
			m->gaps += m->count[f][l] == 0;
			m->overlaps += m->count[f][l] > m->overlap;
		}
	m->dis = ts_calloc(m->n > 0 ? m->n : 1, sizeof(*m->dis));
	if (m->dis == NULL)
		return TS_ENOMEM;
	/* per organization: compare the self and desk claim sets, when both exist */
	for (size_t i = 0; i < m->n;) {
		size_t j = i;
		bool has[2] = { false, false };
		while (j < m->n && strcmp(m->e[j].org, m->e[i].org) == 0)
			has[m->e[j++].basis] = true;
		if (has[ECO_SELF] && has[ECO_DESK]) {
			for (size_t k = i; k < j; k++) {
				/* duplicates of one claim on one basis count once */
				if (k > i && same_claim(&m->e[k - 1], &m->e[k]) && m->e[k - 1].basis == m->e[k].basis)
					continue;
				bool other = false;
				for (size_t q = i; q < j; q++)
					other = other || (same_claim(&m->e[q], &m->e[k]) && m->e[q].basis != m->e[k].basis);
				if (!other)
					m->dis[m->ndis++].e = &m->e[k];
			}
		}
		i = j;
	}
	return TS_OK;
}

int eco_map_read(eco_map_t **out, ts_input_t *in, size_t overlap)
{
	int ret = TS_OK;
	csv_reader_t *csv = NULL;
	unsigned errors = 0;
	*out = NULL;
	eco_map_t *m = ts_calloc(1, sizeof(*m));
	if (m == NULL)
		return TS_ENOMEM;
	m->overlap = overlap;
	m->arena = arena_new(64 * 1024);
	if (m->arena == NULL || (m->name = arena_strdup(m->arena, ts_input_name(in))) == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	if ((ret = csv_open(&csv, in, '#')) != TS_OK)
		goto out;
	enum { C_ORG, C_TYPE, C_FUNC, C_LAYER, C_SCOPE, C_BASIS, C_NOTE, C_N };
	static const char *const cname[C_N] = { "organization", "org_type", "function", "layer",
	                                        "scope", "basis", "note" };
	int idx[C_N];
	bool header = false;
	while (errors < 10) {
		csv_record_t rec;
		bool eof;
		ret = csv_next(csv, &rec, &eof);
		if (ret == TS_ESYNTAX || ret == TS_ELIMIT) {
			unsigned long line, col;
			const char *msg = csv_error(csv, &line, &col);
			ts_log_pos(TS_LOG_ERR, m->name, line, col, "%s", msg);
			errors++;
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
			for (int c = 0; c < C_N; c++) {
				idx[c] = csv_header_index(&rec, cname[c]);
				if (idx[c] < 0 && c != C_TYPE && c != C_NOTE) {
					ts_log_pos(TS_LOG_ERR, m->name, rec.line, 1, "missing column '%s'", cname[c]);
					errors++;
				}
			}
			if (errors > 0)
				break;
			continue;
		}
		const char *v[C_N];
		unsigned long vl[C_N], vc[C_N];
		for (int c = 0; c < C_N; c++) {
			const csv_field_t *fl = idx[c] >= 0 && (size_t)idx[c] < rec.n ? &rec.f[idx[c]] : NULL;
			v[c] = fl != NULL ? fl->p : "";
			vl[c] = fl != NULL ? fl->line : rec.line;
			vc[c] = fl != NULL ? fl->col : 1;
		}
		int func = lookup(v[C_FUNC], function_names, ECO_FUNCTIONS);
		int layer = lookup(v[C_LAYER], layer_names, ECO_LAYERS);
		int scope = lookup(v[C_SCOPE], scope_names, 2);
		int basis = lookup(v[C_BASIS], basis_names, 2);
		bool row_ok = true;
		const struct { int val; int col; const char *want; } chk[] = {
			{ func, C_FUNC, "one of the ten functions (tldsec ecosystem map --help)" },
			{ layer, C_LAYER, "edge|glue|core" },
			{ scope, C_SCOPE, "internal|external" },
			{ basis, C_BASIS, "self|desk" },
		};
		const char *org = v[C_ORG];
		size_t ol = strlen(org);
		while (ol > 0 && isspace((unsigned char)*org)) {
			org++;
			ol--;
		}
		while (ol > 0 && isspace((unsigned char)org[ol - 1]))
			ol--;
		if (ol == 0) {
			ts_log_pos(TS_LOG_ERR, m->name, vl[C_ORG], vc[C_ORG], "organization is empty");
			errors++;
			row_ok = false;
		}
		for (size_t k = 0; k < sizeof(chk) / sizeof(chk[0]); k++) {
			if (chk[k].val < 0) {
				ts_log_pos(TS_LOG_ERR, m->name, vl[chk[k].col], vc[chk[k].col],
				           "%s: '%s' is not %s", cname[chk[k].col], v[chk[k].col], chk[k].want);
				errors++;
				row_ok = false;
			}
		}
		if (!row_ok)
			continue;
		if (m->n == ECO_MAX_ROWS) {
			ts_log_pos(TS_LOG_ERR, m->name, rec.line, 1, "more than %u rows", ECO_MAX_ROWS);
			errors++;
			break;
		}
		if (m->n == m->cap) {
			size_t ncap = m->cap == 0 ? 64 : m->cap * 2;
			eco_entry_t *ne = ts_realloc(m->e, ncap * sizeof(*ne));
			if (ne == NULL) {
				ret = TS_ENOMEM;
				goto out;
			}
			m->e = ne;
			m->cap = ncap;
		}
		eco_entry_t *e = &m->e[m->n];
		e->org = arena_strndup(m->arena, org, ol);
		e->org_type = arena_strdup(m->arena, v[C_TYPE]);
		e->note = arena_strdup(m->arena, v[C_NOTE]);
		if (e->org == NULL || e->org_type == NULL || e->note == NULL) {
			ret = TS_ENOMEM;
			goto out;
		}
		e->function = func;
		e->layer = layer;
		e->scope = (eco_scope_t)scope;
		e->basis = (eco_basis_t)basis;
		e->line = rec.line;
		m->n++;
	}
	if (!header && errors == 0) {
		ts_log_pos(TS_LOG_ERR, m->name, 1, 1, "the map is empty (no header row)");
		errors++;
	}
	if (errors > 0) {
		ret = TS_EINPUT;
		goto out;
	}
	if ((ret = analyse(m)) != TS_OK)
		goto out;
	*out = m;
	m = NULL;
out:
	csv_close(&csv);
	eco_map_free(&m);
	return ret;
}

size_t eco_map_cell_count(const eco_map_t *m, int f, int l)
{
	return f >= 0 && f < ECO_FUNCTIONS && l >= 0 && l < ECO_LAYERS ? m->count[f][l] : 0;
}

size_t eco_map_gaps(const eco_map_t *m)
{
	return m->gaps;
}

size_t eco_map_overlaps(const eco_map_t *m)
{
	return m->overlaps;
}

size_t eco_map_disagreements(const eco_map_t *m)
{
	return m->ndis;
}

/* Calls back once per distinct organization in a cell with its scopes and
 * bases as bit sets (bit 0 internal/self, bit 1 external/desk). */
typedef void (*cell_fn)(rout_t *o, const eco_entry_t *first, unsigned scopes, unsigned bases, bool more);

static void each_in_cell(const eco_map_t *m, int f, int l, rout_t *o, cell_fn fn)
{
	size_t total = m->count[f][l], seen = 0;
	for (size_t i = 0; i < m->n;) {
		const eco_entry_t *e = &m->e[i];
		size_t j = i;
		unsigned scopes = 0, bases = 0;
		while (j < m->n && strcmp(m->e[j].org, e->org) == 0) {
			if (m->e[j].function == f && m->e[j].layer == l) {
				scopes |= 1u << m->e[j].scope;
				bases |= 1u << m->e[j].basis;
			}
			j++;
		}
		if (scopes != 0) {
			seen++;
			fn(o, e, scopes, bases, seen < total);
		}
		i = j;
	}
}

static const char *scope_mark(unsigned scopes)
{
	return scopes == 3 ? "int+ext" : scopes == 1 ? "int" : "ext";
}

static const char *basis_mark(unsigned bases)
{
	return bases == 3 ? "" : bases == 1 ? ", self only" : ", desk only";
}

static void cell_text(rout_t *o, const eco_entry_t *e, unsigned scopes, unsigned bases, bool more)
{
	rout_f(o, "%s (%s%s)%s", e->org, scope_mark(scopes), basis_mark(bases), more ? "; " : "");
}

static void cell_json(rout_t *o, const eco_entry_t *e, unsigned scopes, unsigned bases, bool more)
{
	rout_s(o, "{\"organization\":");
	rout_json(o, e->org);
	rout_s(o, ",\"org_type\":");
	rout_json(o, e->org_type);
	rout_s(o, ",\"scope\":[");
	rout_s(o, scopes == 3 ? "\"internal\",\"external\"" : scopes == 1 ? "\"internal\"" : "\"external\"");
	rout_s(o, "],\"basis\":[");
	rout_s(o, bases == 3 ? "\"self\",\"desk\"" : bases == 1 ? "\"self\"" : "\"desk\"");
	rout_s(o, more ? "]}," : "]}");
}

static void cell_html(rout_t *o, const eco_entry_t *e, unsigned scopes, unsigned bases, bool more)
{
	rout_html(o, e->org);
	rout_f(o, " <small>(%s%s)</small>%s", scope_mark(scopes), basis_mark(bases), more ? "<br>" : "");
}

static const char *dis_text(const eco_entry_t *e)
{
	return e->basis == ECO_SELF ? "claimed by the organization, not found by desk research" :
	       "found by desk research, not claimed by the organization";
}

void eco_map_render_table(const eco_map_t *m, rout_t *o)
{
	rout_f(o, "Ecosystem map: %s (%zu claims)\n\n", m->name, m->n);
	for (int f = 0; f < ECO_FUNCTIONS; f++) {
		rout_f(o, "%s\n", function_names[f]);
		for (int l = 0; l < ECO_LAYERS; l++) {
			size_t c = m->count[f][l];
			rout_f(o, "  %-5s %s", layer_names[l], c == 0 ? "GAP\n" : c > m->overlap ? "OVERLAP: " : "");
			if (c == 0)
				continue;
			each_in_cell(m, f, l, o, cell_text);
			rout_s(o, "\n");
		}
	}
	rout_f(o, "\n%zu gaps, %zu overlaps (more than %zu organizations), %zu disagreements\n",
	       m->gaps, m->overlaps, m->overlap, m->ndis);
	for (size_t i = 0; i < m->ndis; i++) {
		const eco_entry_t *e = m->dis[i].e;
		rout_f(o, "  %s: %s / %s / %s: %s\n", e->org, function_names[e->function],
		       layer_names[e->layer], scope_names[e->scope], dis_text(e));
	}
}

void eco_map_render_json(const eco_map_t *m, rout_t *o)
{
	rout_f(o, "{\"overlap_threshold\":%zu,\"cells\":[", m->overlap);
	bool first = true;
	for (int f = 0; f < ECO_FUNCTIONS; f++)
		for (int l = 0; l < ECO_LAYERS; l++) {
			rout_s(o, first ? "\n{\"function\":" : ",\n{\"function\":");
			first = false;
			rout_json(o, function_names[f]);
			rout_f(o, ",\"layer\":\"%s\",\"count\":%zu,\"organizations\":[", layer_names[l],
			       m->count[f][l]);
			each_in_cell(m, f, l, o, cell_json);
			rout_s(o, "]}");
		}
	rout_s(o, "\n],\"gaps\":[");
	first = true;
	for (int f = 0; f < ECO_FUNCTIONS; f++)
		for (int l = 0; l < ECO_LAYERS; l++) {
			if (m->count[f][l] != 0)
				continue;
			rout_s(o, first ? "{\"function\":" : ",{\"function\":");
			first = false;
			rout_json(o, function_names[f]);
			rout_f(o, ",\"layer\":\"%s\"}", layer_names[l]);
		}
	rout_s(o, "],\"overlaps\":[");
	first = true;
	for (int f = 0; f < ECO_FUNCTIONS; f++)
		for (int l = 0; l < ECO_LAYERS; l++) {
			if (m->count[f][l] <= m->overlap)
				continue;
			rout_s(o, first ? "{\"function\":" : ",{\"function\":");
			first = false;
			rout_json(o, function_names[f]);
			rout_f(o, ",\"layer\":\"%s\",\"count\":%zu}", layer_names[l], m->count[f][l]);
		}
	rout_s(o, "],\"disagreements\":[");
	for (size_t i = 0; i < m->ndis; i++) {
		const eco_entry_t *e = m->dis[i].e;
		rout_s(o, i > 0 ? ",\n{\"organization\":" : "\n{\"organization\":");
		rout_json(o, e->org);
		rout_s(o, ",\"function\":");
		rout_json(o, function_names[e->function]);
		rout_f(o, ",\"layer\":\"%s\",\"scope\":\"%s\",\"only\":\"%s\",\"line\":%lu}",
		       layer_names[e->layer], scope_names[e->scope], basis_names[e->basis], e->line);
	}
	rout_s(o, "]}\n");
}

void eco_map_render_html(const eco_map_t *m, rout_t *o)
{
	rout_html_head(o, "Ecosystem map");
	rout_s(o, "<h1>Ecosystem map</h1>\n<p>Map <code>");
	rout_html(o, m->name);
	rout_f(o, "</code>: %zu claims. Layers: edge (those who deliver DNS), glue (sharing and "
	       "collaboration), core (central coordination). Red cells are gaps; yellow cells hold more "
	       "than %zu organizations.</p>\n", m->n, m->overlap);
	rout_s(o, "<table>\n<tr><th>function</th><th>edge</th><th>glue</th><th>core</th></tr>\n");
	for (int f = 0; f < ECO_FUNCTIONS; f++) {
		rout_f(o, "<tr><th>%s</th>", function_names[f]);
		for (int l = 0; l < ECO_LAYERS; l++) {
			size_t c = m->count[f][l];
			rout_f(o, "<td%s>", c == 0 ? " class=\"gap\"" : c > m->overlap ? " class=\"overlap\"" : "");
			if (c == 0)
				rout_s(o, "<em>gap</em>");
			each_in_cell(m, f, l, o, cell_html);
			rout_s(o, "</td>");
		}
		rout_s(o, "</tr>\n");
	}
	rout_f(o, "</table>\n<p>%zu gaps, %zu overlaps.</p>\n<h2>Disagreements</h2>\n", m->gaps, m->overlaps);
	if (m->ndis == 0)
		rout_s(o, "<p>None: every organization's own claims match the desk research.</p>\n");
	else {
		rout_s(o, "<table>\n<tr><th>organization</th><th>function</th><th>layer</th><th>scope</th>"
		       "<th>disagreement</th></tr>\n");
		for (size_t i = 0; i < m->ndis; i++) {
			const eco_entry_t *e = m->dis[i].e;
			rout_s(o, "<tr><td>");
			rout_html(o, e->org);
			rout_f(o, "</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td></tr>\n",
			       function_names[e->function], layer_names[e->layer], scope_names[e->scope],
			       dis_text(e));
		}
		rout_s(o, "</table>\n");
	}
	rout_html_tail(o);
}
