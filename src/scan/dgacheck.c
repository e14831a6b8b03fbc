/* dgacheck.c — a DGA family's names against a zone: generate into a table (the
 * malware's order), one pass of the scanner marks the delegated ones, then
 * the names below the apex go to the caller in order. */
#include <string.h>

#include <xxhash.h>

#include "base/alloc.h"
#include "base/arena.h"
#include "base/log.h"
#include "scan/dgacheck.h"
#include "dns/name.h"
#include "dns/zone.h"

typedef struct ent {
	const char *name;         /* lower case, no trailing dot, in the arena */
	uint32_t len;
	bool registered;          /* shared by every occurrence: set on the first */
	int64_t day;
	uint32_t first;           /* index of the name's first occurrence */
} ent_t;

typedef struct chk {
	arena_t *a;
	ent_t *v;
	size_t n, cap;
	uint32_t *slot;           /* hash table of first occurrences: index + 1, 0 empty */
	size_t nslot;             /* power of two */
	bool have_apex;
	char apex[NAME_TEXT_MAX];
	size_t apex_len;
} chk_t;

static uint32_t *find_slot(chk_t *c, const char *name, size_t len)
{
	uint64_t h = XXH3_64bits(name, len);
	for (size_t i = h & (c->nslot - 1);; i = (i + 1) & (c->nslot - 1)) {
		uint32_t k = c->slot[i];
		if (k == 0)
			return &c->slot[i];
		const ent_t *e = &c->v[k - 1];
		if (e->len == len && memcmp(e->name, name, len) == 0)
			return &c->slot[i];
	}
}

static int grow_slots(chk_t *c)
{
	size_t ns = c->nslot != 0 ? c->nslot * 2 : 1024;
	uint32_t *old = c->slot;
	size_t on = c->nslot;
	c->slot = ts_calloc(ns, sizeof(*c->slot));
	if (c->slot == NULL) {
		c->slot = old;
		return TS_ENOMEM;
	}
	c->nslot = ns;
	for (size_t i = 0; i < on; i++) {
		if (old[i] == 0)
			continue;
		const ent_t *e = &c->v[old[i] - 1];
		*find_slot(c, e->name, e->len) = old[i];
	}
	ts_free(old);
	return TS_OK;
}

static int on_name(void *user, const char *name, size_t len, int64_t day)
{
	chk_t *c = user;
	if (c->n == SCAN_DGA_MAX_NAMES) {
		ts_log(TS_LOG_ERR, "dga check: more than %u names: check a shorter range", SCAN_DGA_MAX_NAMES);
		return TS_ELIMIT;
	}
	if (c->n == c->cap) {
		size_t nc = c->cap != 0 ? c->cap * 2 : 4096;
		ent_t *v = ts_realloc(c->v, nc * sizeof(*v));
		if (v == NULL)
			return TS_ENOMEM;
		c->v = v;
		c->cap = nc;
	}
	if ((c->n + 1) * 2 > c->nslot && grow_slots(c) != TS_OK)
		return TS_ENOMEM;
	char *s = arena_alloc(c->a, len + 1);
	if (s == NULL)
		return TS_ENOMEM;
	for (size_t i = 0; i < len; i++)
		s[i] = (name[i] >= 'A' && name[i] <= 'Z') ? (char)(name[i] + 32) : name[i];
	if (len > 0 && s[len - 1] == '.')
		len--;
	s[len] = '\0';
	ent_t *e = &c->v[c->n];
	*e = (ent_t){ .name = s, .len = (uint32_t)len, .day = day, .first = (uint32_t)c->n };
	uint32_t *sl = find_slot(c, s, len);
	if (*sl == 0)
		*sl = (uint32_t)c->n + 1;
	else
		e->first = *sl - 1;
	c->n++;
	return TS_OK;
}

static int on_rr(void *user, const zone_rr_t *rr)
{
	chk_t *c = user;
	if (rr->type == ZONE_T_SOA && !c->have_apex) {
		memcpy(c->apex, rr->owner, rr->owner_len + 1);
		c->apex_len = rr->owner_len;
		c->have_apex = true;
		return TS_OK;
	}
	if (rr->type != ZONE_T_NS || c->n == 0)
		return TS_OK;
	uint32_t k = *find_slot(c, rr->owner, rr->owner_len);
	if (k != 0)
		c->v[k - 1].registered = true;
	return TS_OK;
}

int scan_dga_check(const dga_family_t *f, const dga_params_t *p, int64_t day, uint32_t days, const char *zone,
              const char *origin, scan_dga_fn fn, void *user, scan_dga_totals_t *t)
{
	chk_t c = { 0 };
	scan_dga_totals_t tot = { 0 };
	int ret = TS_OK;
	if ((c.a = arena_new(256 * 1024)) == NULL || grow_slots(&c) != TS_OK) {
		ret = TS_ENOMEM;
		goto out;
	}
	if ((ret = dga_generate(f, p, day, days, on_name, &c)) != TS_OK)
		goto out;
	tot.generated = c.n;
	zone_opts_t zo = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_SOA };
	if ((ret = zone_scan_file(zone, &zo, on_rr, &c, NULL)) != TS_OK)
		goto out;
	if (!c.have_apex) {
		ts_log(TS_LOG_ERR, "%s: no SOA record: not a zone", zone);
		ret = TS_EINPUT;
		goto out;
	}
	memcpy(tot.apex, c.apex, c.apex_len < sizeof(tot.apex) ? c.apex_len + 1 : 0);
	for (size_t i = 0; i < c.n && ret == TS_OK; i++) {
		const ent_t *e = &c.v[i];
		if (e->len == c.apex_len || !name_is_at_or_below(e->name, e->len, c.apex, c.apex_len))
			continue;
		bool reg = c.v[e->first].registered;
		tot.in_zone++;
		tot.registered += reg;
		ret = fn(user, e->name, e->len, e->day, reg);
	}
out:
	if (t != NULL)
		*t = tot;
	ts_free(c.slot);
	ts_free(c.v);
	arena_free(&c.a);
	return ret;
}
