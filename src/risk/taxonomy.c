/* taxonomy.c — the embedded catalogue: parsing, lookup, rendering. */
#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/log.h"
#include "risk/taxonomy.h"

/* Generated from src/risk/taxonomy.tsv by the Makefile (scripts/embed-text.sh). */
extern const char risk_taxonomy_tsv[];
extern const unsigned long risk_taxonomy_tsv_len;

#define TAX_MAX_ENTRIES 4096u

struct risk_taxonomy {
	arena_t *arena;
	risk_tax_entry_t *e;
	size_t n;
};

static const char *const kind_names[] = { "threat", "vulnerability", "impact" };

const char *risk_tax_kind_name(risk_tax_kind_t k)
{
	return (unsigned)k < 3 ? kind_names[k] : "threat";
}

void risk_taxonomy_free(risk_taxonomy_t **t)
{
	if (t == NULL || *t == NULL)
		return;
	arena_free(&(*t)->arena);
	ts_free((*t)->e);
	ts_free(*t);
	*t = NULL;
}

size_t risk_taxonomy_count(const risk_taxonomy_t *t)
{
	return t->n;
}

const risk_tax_entry_t *risk_taxonomy_get(const risk_taxonomy_t *t, size_t i)
{
	return i < t->n ? &t->e[i] : NULL;
}

/* Splits one line into tab-separated fields (at most `max`). */
static size_t split_tabs(const char *line, size_t len, const char **f, size_t *flen, size_t max)
{
	size_t n = 0, start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || line[i] == '\t') {
			if (n == max)
				return max + 1;
			f[n] = line + start;
			flen[n] = i - start;
			n++;
			start = i + 1;
		}
	}
	return n;
}

int risk_taxonomy_parse(risk_taxonomy_t **out, const char *name, const char *text, size_t len)
{
	int ret = TS_OK;
	*out = NULL;
	risk_taxonomy_t *t = ts_calloc(1, sizeof(*t));
	if (t == NULL)
		return TS_ENOMEM;
	t->arena = arena_new(8192);
	t->e = ts_calloc(TAX_MAX_ENTRIES, sizeof(*t->e));
	if (t->arena == NULL || t->e == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	unsigned long lineno = 0;
	bool header = false;
	for (size_t pos = 0; pos < len;) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - text) : len;
		const char *line = text + pos;
		size_t llen = end - pos;
		pos = end + 1;
		lineno++;
		if (llen == 0 || line[0] == '#')
			continue;
		const char *f[4];
		size_t fl[4];
		if (split_tabs(line, llen, f, fl, 4) != 4) {
			ts_log_pos(TS_LOG_ERR, name, lineno, 1, "taxonomy: expected 4 tab-separated fields");
			ret = TS_EINTERNAL;
			goto out;
		}
		if (!header) {
			header = true;
			if (fl[0] == 2 && memcmp(f[0], "id", 2) == 0)
				continue;
		}
		if (t->n == TAX_MAX_ENTRIES) {
			ts_log_pos(TS_LOG_ERR, name, lineno, 1, "taxonomy: too many entries");
			ret = TS_EINTERNAL;
			goto out;
		}
		risk_tax_entry_t *e = &t->e[t->n];
		int kind = -1;
		for (int k = 0; k < 3; k++)
			if (fl[1] == strlen(kind_names[k]) && memcmp(f[1], kind_names[k], fl[1]) == 0)
				kind = k;
		if (kind < 0 || fl[0] == 0 || fl[2] == 0 || fl[3] == 0) {
			ts_log_pos(TS_LOG_ERR, name, lineno, 1,
			           "taxonomy: empty field or kind not threat|vulnerability|impact");
			ret = TS_EINTERNAL;
			goto out;
		}
		e->kind = (risk_tax_kind_t)kind;
		e->id = arena_strndup(t->arena, f[0], fl[0]);
		e->name = arena_strndup(t->arena, f[2], fl[2]);
		e->provenance = arena_strndup(t->arena, f[3], fl[3]);
		if (e->id == NULL || e->name == NULL || e->provenance == NULL) {
			ret = TS_ENOMEM;
			goto out;
		}
		for (size_t k = 0; k < t->n; k++) {
			if (strcmp(t->e[k].id, e->id) == 0) {
				ts_log_pos(TS_LOG_ERR, name, lineno, 1, "taxonomy: duplicate id '%s'", e->id);
				ret = TS_EINTERNAL;
				goto out;
			}
		}
		t->n++;
	}
	*out = t;
	t = NULL;
out:
	risk_taxonomy_free(&t);
	return ret;
}

int risk_taxonomy_load(risk_taxonomy_t **out)
{
	return risk_taxonomy_parse(out, "taxonomy.tsv (built in)", risk_taxonomy_tsv,
	                           (size_t)risk_taxonomy_tsv_len);
}

const risk_tax_entry_t *risk_taxonomy_find_threat(const risk_taxonomy_t *t, const char *text)
{
	while (isspace((unsigned char)*text))
		text++;
	size_t n = strlen(text);
	while (n > 0 && isspace((unsigned char)text[n - 1]))
		n--;
	if (n == 0)
		return NULL;
	for (size_t i = 0; i < t->n; i++) {
		const risk_tax_entry_t *e = &t->e[i];
		if (e->kind != RISK_TAX_THREAT)
			continue;
		if ((strlen(e->id) == n && strncasecmp(e->id, text, n) == 0) ||
		    (strlen(e->name) == n && strncasecmp(e->name, text, n) == 0))
			return e;
	}
	return NULL;
}

void risk_taxonomy_render_json(const risk_taxonomy_t *t, rout_t *o)
{
	rout_s(o, "{\"entries\":[");
	for (size_t i = 0; i < t->n; i++) {
		const risk_tax_entry_t *e = &t->e[i];
		rout_s(o, i > 0 ? ",\n{\"id\":" : "\n{\"id\":");
		rout_json(o, e->id);
		rout_s(o, ",\"kind\":");
		rout_json(o, risk_tax_kind_name(e->kind));
		rout_s(o, ",\"name\":");
		rout_json(o, e->name);
		rout_s(o, ",\"provenance\":");
		rout_json(o, e->provenance);
		rout_s(o, "}");
	}
	rout_s(o, "\n]}\n");
}

void risk_taxonomy_render_text(const risk_taxonomy_t *t, rout_t *o)
{
	static const char *const titles[] = { "Threat events", "Vulnerabilities", "Impacts" };
	for (int k = 0; k < 3; k++) {
		rout_f(o, "%s%s\n", k > 0 ? "\n" : "", titles[k]);
		for (size_t i = 0; i < t->n; i++) {
			const risk_tax_entry_t *e = &t->e[i];
			if ((int)e->kind != k)
				continue;
			rout_f(o, "  %-30s %s\n  %-30s   (%s)\n", e->id, e->name, "", e->provenance);
		}
	}
}
