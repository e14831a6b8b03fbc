/* merge.c — contributions, grouping, suppression, outputs. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "risk/merge.h"

typedef struct contrib {
	const char *event;        /* key, in the arena */
	const char *participant;  /* in the arena */
	risk_level_t init, lik, impact, risk;
} contrib_t;

struct risk_merge {
	const risk_taxonomy_t *tax;
	size_t k;
	arena_t *arena;
	contrib_t *c;
	size_t nc, capc;
	risk_merged_event_t *ev;
	size_t nev;
	size_t suppressed;
	size_t participants;
};

int risk_merge_new(risk_merge_t **out, const risk_taxonomy_t *tax, size_t k)
{
	*out = NULL;
	risk_merge_t *m = ts_calloc(1, sizeof(*m));
	if (m == NULL)
		return TS_ENOMEM;
	m->tax = tax;
	m->k = k == 0 ? 1 : k;
	m->arena = arena_new(64 * 1024);
	if (m->arena == NULL) {
		ts_free(m);
		return TS_ENOMEM;
	}
	*out = m;
	return TS_OK;
}

void risk_merge_free(risk_merge_t **m)
{
	if (m == NULL || *m == NULL)
		return;
	arena_free(&(*m)->arena);
	ts_free((*m)->c);
	ts_free((*m)->ev);
	ts_free(*m);
	*m = NULL;
}

/* The event's key: the taxonomy id when the catalogue knows it, else the text
 * lower-cased with runs of spaces made one. */
static const char *event_key(risk_merge_t *m, const char *text)
{
	const risk_tax_entry_t *e = m->tax != NULL ? risk_taxonomy_find_threat(m->tax, text) : NULL;
	if (e != NULL)
		return arena_strdup(m->arena, e->id);
	size_t n = strlen(text);
	char *k = arena_alloc(m->arena, n + 1);
	if (k == NULL)
		return NULL;
	size_t len = 0;
	bool space = false;
	for (size_t i = 0; i < n; i++) {
		if (isspace((unsigned char)text[i])) {
			space = len > 0;
			continue;
		}
		if (space)
			k[len++] = ' ';
		space = false;
		k[len++] = (char)tolower((unsigned char)text[i]);
	}
	k[len] = '\0';
	return k;
}

int risk_merge_add(risk_merge_t *m, const risk_ws_t *ws)
{
	int pc = ws->idx[RISK_COL_PARTICIPANT];
	const char *file = arena_strdup(m->arena, ws->name);
	if (file == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < ws->nrows; i++) {
		const risk_row_t *row = &ws->rows[i];
		if (!row->has_qual)
			continue;
		if (m->nc == m->capc) {
			size_t ncap = m->capc == 0 ? 256 : m->capc * 2;
			contrib_t *nc = ts_realloc(m->c, ncap * sizeof(*nc));
			if (nc == NULL)
				return TS_ENOMEM;
			m->c = nc;
			m->capc = ncap;
		}
		contrib_t *c = &m->c[m->nc];
		c->event = event_key(m, row->threat_event);
		c->participant = pc >= 0 && row->cells[pc][0] != '\0' ?
		                 arena_strdup(m->arena, row->cells[pc]) : file;
		if (c->event == NULL || c->participant == NULL)
			return TS_ENOMEM;
		c->init = row->init_lik;
		c->impact = row->impact;
		c->lik = risk_g5(row->init_lik, row->impact_lik);
		c->risk = risk_i2(c->lik, row->impact);
		m->nc++;
	}
	return TS_OK;
}

/* Event, then participant, then the worst contribution first. */
static int cmp_contrib(const void *a, const void *b)
{
	const contrib_t *x = a, *y = b;
	int c = strcmp(x->event, y->event);
	if (c != 0)
		return c;
	if ((c = strcmp(x->participant, y->participant)) != 0)
		return c;
	if (x->risk != y->risk)
		return x->risk > y->risk ? -1 : 1;
	if (x->lik != y->lik)
		return x->lik > y->lik ? -1 : 1;
	if (x->impact != y->impact)
		return x->impact > y->impact ? -1 : 1;
	return (x->init < y->init) - (x->init > y->init);
}

static int cmp_level(const void *a, const void *b)
{
	const risk_level_t *x = a, *y = b;
	return (*x > *y) - (*x < *y);
}

static risk_spread_t spread(risk_level_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_level);
	risk_spread_t s;
	/* nearest rank: the q-quantile is the ceil(q n)-th smallest */
	s.q1 = v[(n + 3) / 4 - 1];
	s.median = v[(n + 1) / 2 - 1];
	s.q3 = v[(3 * n + 3) / 4 - 1];
	return s;
}

static int cmp_event(const void *a, const void *b)
{
	const risk_merged_event_t *x = a, *y = b;
	if (x->risk.median != y->risk.median)
		return x->risk.median > y->risk.median ? -1 : 1;
	if (x->likelihood.median != y->likelihood.median)
		return x->likelihood.median > y->likelihood.median ? -1 : 1;
	if (x->participants != y->participants)
		return x->participants > y->participants ? -1 : 1;
	return strcmp(x->event, y->event);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int risk_merge_finish(risk_merge_t *m)
{
	int ret = TS_OK;
	risk_level_t *buf = NULL;
	const char **names = NULL;
	if (m->nc == 0)
		return TS_OK;
	qsort(m->c, m->nc, sizeof(*m->c), cmp_contrib);
	/* keep one contribution per (event, participant): the first, the worst */
	size_t n = 0;
	for (size_t i = 0; i < m->nc; i++) {
		if (n > 0 && strcmp(m->c[n - 1].event, m->c[i].event) == 0 &&
		    strcmp(m->c[n - 1].participant, m->c[i].participant) == 0)
			continue;
		m->c[n++] = m->c[i];
	}
	m->nc = n;
	/* distinct participants overall */
	names = ts_malloc(n * sizeof(*names));
	buf = ts_malloc(4 * n * sizeof(*buf));
	m->ev = ts_calloc(n, sizeof(*m->ev));
	if (names == NULL || buf == NULL || m->ev == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < n; i++)
		names[i] = m->c[i].participant;
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++)
		m->participants += i == 0 || strcmp(names[i], names[i - 1]) != 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && strcmp(m->c[j].event, m->c[i].event) == 0)
			j++;
		size_t cnt = j - i;
		if (cnt < m->k) {
			m->suppressed++;
			i = j;
			continue;
		}
		risk_merged_event_t *e = &m->ev[m->nev++];
		e->event = m->c[i].event;
		e->participants = cnt;
		risk_level_t *v0 = buf, *v1 = buf + cnt, *v2 = buf + 2 * cnt, *v3 = buf + 3 * cnt;
		for (size_t q = 0; q < cnt; q++) {
			v0[q] = m->c[i + q].init;
			v1[q] = m->c[i + q].lik;
			v2[q] = m->c[i + q].impact;
			v3[q] = m->c[i + q].risk;
		}
		e->initiation = spread(v0, cnt);
		e->likelihood = spread(v1, cnt);
		e->impact = spread(v2, cnt);
		e->risk = spread(v3, cnt);
		i = j;
	}
	qsort(m->ev, m->nev, sizeof(*m->ev), cmp_event);
out:
	ts_free(names);
	ts_free(buf);
	return ret;
}

size_t risk_merge_count(const risk_merge_t *m)
{
	return m->nev;
}

const risk_merged_event_t *risk_merge_get(const risk_merge_t *m, size_t i)
{
	return i < m->nev ? &m->ev[i] : NULL;
}

size_t risk_merge_suppressed(const risk_merge_t *m)
{
	return m->suppressed;
}

size_t risk_merge_participants(const risk_merge_t *m)
{
	return m->participants;
}

static void spread_text(rout_t *o, const risk_spread_t *s, bool last)
{
	char buf[64];
	if (s->q1 == s->q3)
		snprintf(buf, sizeof(buf), "%s", risk_level_name(s->median));
	else
		snprintf(buf, sizeof(buf), "%s (%s-%s)", risk_level_name(s->median),
		         risk_level_abbr(s->q1), risk_level_abbr(s->q3));
	if (last)
		rout_s(o, buf);
	else
		rout_f(o, "%-20s", buf);
}

void risk_merge_render_table(const risk_merge_t *m, rout_t *o)
{
	rout_f(o, "Coordinated view: %zu participants; threat events need at least %zu\n"
	       "Values: median (interquartile range VL/L/M/H/VH)\n\n", m->participants, m->k);
	rout_f(o, "%-32s %3s  %-20s%-20s%-20s%s\n", "THREAT EVENT", "N", "RISK", "LIKELIHOOD",
	       "IMPACT", "INITIATION");
	for (size_t i = 0; i < m->nev; i++) {
		const risk_merged_event_t *e = &m->ev[i];
		rout_f(o, "%-32.32s %3zu  ", e->event, e->participants);
		spread_text(o, &e->risk, false);
		spread_text(o, &e->likelihood, false);
		spread_text(o, &e->impact, false);
		spread_text(o, &e->initiation, true);
		rout_s(o, "\n");
	}
	rout_f(o, "\n%zu threat events published; %zu suppressed (fewer than %zu participants)\n",
	       m->nev, m->suppressed, m->k);
}

static void spread_json(rout_t *o, const char *key, const risk_spread_t *s)
{
	rout_f(o, ",\"%s\":{\"median\":\"%s\",\"q1\":\"%s\",\"q3\":\"%s\"}", key,
	       risk_level_name(s->median), risk_level_name(s->q1), risk_level_name(s->q3));
}

void risk_merge_render_json(const risk_merge_t *m, rout_t *o)
{
	rout_f(o, "{\"participants\":%zu,\"min_participants\":%zu,\"events\":[", m->participants, m->k);
	for (size_t i = 0; i < m->nev; i++) {
		const risk_merged_event_t *e = &m->ev[i];
		rout_s(o, i > 0 ? ",\n{\"threat_event\":" : "\n{\"threat_event\":");
		rout_json(o, e->event);
		rout_f(o, ",\"participants\":%zu", e->participants);
		spread_json(o, "risk", &e->risk);
		spread_json(o, "overall_likelihood", &e->likelihood);
		spread_json(o, "impact", &e->impact);
		spread_json(o, "initiation_likelihood", &e->initiation);
		rout_s(o, "}");
	}
	rout_f(o, "\n],\"suppressed\":%zu}\n", m->suppressed);
}

void risk_merge_render_csv(const risk_merge_t *m, rout_t *o)
{
	rout_s(o, "threat_event,participants,risk_median,risk_q1,risk_q3,likelihood_median,"
	       "likelihood_q1,likelihood_q3,impact_median,impact_q1,impact_q3,initiation_median,"
	       "initiation_q1,initiation_q3\r\n");
	for (size_t i = 0; i < m->nev; i++) {
		const risk_merged_event_t *e = &m->ev[i];
		/* the view travels between organizations and into spreadsheets: an
		 * event text that a spreadsheet would take for a formula gets a
		 * leading apostrophe */
		if (strchr("=+-@\t\r", e->event[0]) != NULL && e->event[0] != '\0') {
			dbuf_t b;
			dbuf_init(&b, 64 * 1024);
			if (dbuf_addc(&b, '\'') == TS_OK && dbuf_adds(&b, e->event) == TS_OK)
				rout_csv(o, dbuf_str(&b));
			else
				o->err = TS_ENOMEM;
			dbuf_free(&b);
		} else {
			rout_csv(o, e->event);
		}
		rout_f(o, ",%zu", e->participants);
		const risk_spread_t *s[] = { &e->risk, &e->likelihood, &e->impact, &e->initiation };
		for (size_t k = 0; k < 4; k++)
			rout_f(o, ",%s,%s,%s", risk_level_name(s[k]->median), risk_level_name(s[k]->q1),
			       risk_level_name(s[k]->q3));
		rout_s(o, "\r\n");
	}
}
