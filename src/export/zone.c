/* zone.c — the patched zone (export_zone_write). One pass of the scanner
 * with every record's RDATA as text (ZONE_DEC_TEXT); each record is written
 * back on one line or dropped. Address records below an acted-on name are
 * held until the end, when it is known whether a remaining delegation names
 * them as name servers. */
#include <errno.h>
#include <string.h>

#include <xxhash.h>

#include "base/afile.h"
#include "base/alloc.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "export/names.h"
#include "export/zone.h"

#define HELD_MAX   (256u << 20)   /* bytes of held glue */
#define OUT_BUF    (1u << 20)      /* bytes written to the file at a time */
#define LINE_ROOM  (TS_MAX_ZONE_RECORD + 2 * NAME_TEXT_MAX + 64)   /* one line at most */

enum { ACT_SUSPEND = 1, ACT_REDIRECT = 2 };

/* A set of canonical names with a small value, open addressing. */
typedef struct nset_ent {
	const char *name;             /* in the arena; NULL: empty slot */
	size_t len;
	uint64_t hash;
	int act;
	size_t idx;                   /* the redirect's index */
	bool found;                   /* the delegation's NS was seen */
	bool ns_written;              /* redirect: the sinkhole NS was written */
} nset_ent_t;

typedef struct nset {
	nset_ent_t *v;
	size_t cap;                   /* power of two */
	size_t n;
	unsigned min_labels;          /* fewest labels of a name in the set */
	uint64_t label_mask;          /* bit k: a name of k labels is in the set (bit 63: 63 or more) */
} nset_t;

typedef struct xz {
	const export_zone_opts_t *o;
	FILE *fp;
	arena_t *a;
	nset_t acted;                 /* suspended and redirected names */
	nset_t needed;                /* name-server targets at or below acted-on names */
	dbuf_t held;                  /* glue: "owner\0line\0" ... */
	uint64_t nheld;
	char *line;                   /* one line, for held glue: LINE_ROOM bytes */
	char *out;                    /* output buffer, OUT_BUF bytes */
	size_t outlen;
	char tname[256][16];          /* type names below 256, filled on first use */
	uint8_t tname_len[256];
	char origin[NAME_TEXT_MAX];   /* the $ORIGIN last written */
	size_t origin_len;
	bool have_origin;
	bool have_apex;
	char apex[NAME_TEXT_MAX];
	size_t apex_len;
	char last_owner[NAME_TEXT_MAX];   /* lookup cache */
	size_t last_len;
	nset_ent_t *last_ent;
	bool last_at;
	bool have_last;
	export_zone_totals_t t;
} xz_t;

/* ---- the name set ----------------------------------------------------- */

static int nset_init(nset_t *s, size_t want)
{
	size_t cap = 16;
	while (cap < want * 2)
		cap *= 2;
	s->v = ts_calloc(cap, sizeof(*s->v));
	s->cap = cap;
	s->n = 0;
	s->min_labels = UINT32_MAX;
	s->label_mask = 0;
	return s->v != NULL ? TS_OK : TS_ENOMEM;
}

static void nset_free(nset_t *s)
{
	ts_free(s->v);
	s->v = NULL;
}

static nset_ent_t *nset_find(const nset_t *s, const char *name, size_t len)
{
	if (s->n == 0)
		return NULL;
	uint64_t h = XXH3_64bits(name, len);
	for (size_t i = h & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
		nset_ent_t *e = &s->v[i];
		if (e->name == NULL)
			return NULL;
		if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	}
}

/* Adds `name` (copied to the arena); *out is the new or existing entry. */
static int nset_add(nset_t *s, arena_t *a, const char *name, size_t len, nset_ent_t **out, bool *added)
{
	if ((s->n + 1) * 2 > s->cap) {
		nset_t g;
		if (nset_init(&g, s->cap) != TS_OK)
			return TS_ENOMEM;
		for (size_t i = 0; i < s->cap; i++) {
			if (s->v[i].name == NULL)
				continue;
			size_t j = s->v[i].hash & (g.cap - 1);
			while (g.v[j].name != NULL)
				j = (j + 1) & (g.cap - 1);
			g.v[j] = s->v[i];
		}
		g.n = s->n;
		g.min_labels = s->min_labels;
		g.label_mask = s->label_mask;
		nset_free(s);
		*s = g;
	}
	uint64_t h = XXH3_64bits(name, len);
	size_t i = h & (s->cap - 1);
	for (; s->v[i].name != NULL; i = (i + 1) & (s->cap - 1)) {
		nset_ent_t *e = &s->v[i];
		if (e->hash == h && e->len == len && memcmp(e->name, name, len) == 0) {
			*out = e;
			*added = false;
			return TS_OK;
		}
	}
	char *copy = arena_strndup(a, name, len);
	if (copy == NULL)
		return TS_ENOMEM;
	s->v[i] = (nset_ent_t){ .name = copy, .len = len, .hash = h };
	s->n++;
	unsigned labels = name_label_count(name, len);
	if (labels < s->min_labels)
		s->min_labels = labels;
	s->label_mask |= (uint64_t)1 << (labels < 63 ? labels : 63);
	*out = &s->v[i];
	*added = true;
	return TS_OK;
}

/* The entry of `name` or of its closest ancestor in the set; *at: it is the
 * name itself. */
static nset_ent_t *nset_enclosing(const nset_t *s, const char *name, size_t len, bool *at)
{
	*at = false;
	if (s->n == 0)
		return NULL;
	unsigned labels = name_label_count(name, len);
	const char *p = name;
	size_t n = len;
	*at = true;
	while (labels >= s->min_labels && labels > 0) {
		/* only the suffixes with as many labels as a name of the set */
		if ((s->label_mask >> (labels < 63 ? labels : 63) & 1) != 0) {
			nset_ent_t *e = nset_find(s, p, n);
			if (e != NULL)
				return e;
		}
		p = name_parent(p, n, &n);
		if (p == NULL)
			break;
		labels--;
		*at = false;
	}
	return NULL;
}

/* ---- writing ---------------------------------------------------------- */

static const char *class_name(uint16_t c, char buf[16])
{
	switch (c) {
	case 1: return "IN";
	case 2: return "CS";
	case 3: return "CH";
	case 4: return "HS";
	default:
		(void)snprintf(buf, 16, "CLASS%u", (unsigned)c);
		return buf;
	}
}

static int out_flush(xz_t *x)
{
	if (x->outlen > 0 && fwrite(x->out, 1, x->outlen, x->fp) != x->outlen)
		return TS_EIO;
	x->outlen = 0;
	return TS_OK;
}

/* Room for one line at the end of the output buffer. */
static inline int out_room(xz_t *x)
{
	return OUT_BUF - x->outlen < LINE_ROOM ? out_flush(x) : TS_OK;
}

static inline char *put_mem(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	return p + n;
}

/* An absolute name with its trailing dot ("." for the root). */
static inline char *put_abs(char *p, const char *text, size_t len)
{
	p = put_mem(p, text, len);
	*p++ = '.';
	return p;
}

static inline char *put_u32(char *p, uint32_t v)
{
	char tmp[10];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static const char *type_text(xz_t *x, uint16_t type, char buf[16], size_t *len)
{
	if (type < 256) {
		if (x->tname_len[type] == 0) {
			zone_type_name(type, x->tname[type]);
			x->tname_len[type] = (uint8_t)strlen(x->tname[type]);
		}
		*len = x->tname_len[type];
		return x->tname[type];
	}
	zone_type_name(type, buf);
	*len = strlen(buf);
	return buf;
}

/* "owner.<TAB>ttl<TAB>class<TAB>type<TAB>" at p; returns the end. p has
 * LINE_ROOM bytes. */
static char *line_head(xz_t *x, char *p, const char *owner, size_t owner_len, uint32_t ttl, uint16_t rclass,
                       uint16_t type)
{
	char cb[16], tb[16];
	size_t tl;
	const char *tn = type_text(x, type, tb, &tl);
	p = put_abs(p, owner, owner_len);
	*p++ = '\t';
	p = put_u32(p, ttl);
	*p++ = '\t';
	if (rclass == 1) {
		p = put_mem(p, "IN", 2);
	} else {
		const char *cn = class_name(rclass, cb);
		p = put_mem(p, cn, strlen(cn));
	}
	*p++ = '\t';
	p = put_mem(p, tn, tl);
	*p++ = '\t';
	return p;
}

/* $ORIGIN before a record whose RDATA is relative to another origin. */
static int set_origin(xz_t *x, const zone_rr_t *rr)
{
	if (x->have_origin && rr->origin_len == x->origin_len && memcmp(rr->origin, x->origin, x->origin_len) == 0)
		return TS_OK;
	memcpy(x->origin, rr->origin, rr->origin_len);
	x->origin_len = rr->origin_len;
	x->have_origin = true;
	int ret = out_room(x);
	if (ret != TS_OK)
		return ret;
	char *p = x->out + x->outlen;
	p = put_mem(p, "$ORIGIN ", 8);
	p = rr->origin_len > 0 ? put_abs(p, rr->origin, rr->origin_len) : put_mem(p, ".", 1);
	*p++ = '\n';
	x->outlen = (size_t)(p - x->out);
	return TS_OK;
}

static int write_rr(xz_t *x, const zone_rr_t *rr)
{
	int ret = set_origin(x, rr);
	if (ret == TS_OK)
		ret = out_room(x);
	if (ret != TS_OK)
		return ret;
	char *p = line_head(x, x->out + x->outlen, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = put_mem(p, rr->rdata, rr->rdata_len);
	*p++ = '\n';
	x->outlen = (size_t)(p - x->out);
	x->t.records_out++;
	return TS_OK;
}

uint32_t export_zone_serial(uint32_t old, int64_t now)
{
	int64_t y;
	unsigned m, d;
	ts_civil_from_days(now >= 0 ? now / 86400 : 0, &y, &m, &d);
	uint32_t next = old + 1u;   /* wraps modulo 2^32, as RFC 1982 adds */
	if (y < 1970 || y > 4293)
		return next;
	uint32_t date = (uint32_t)y * 1000000u + m * 10000u + d * 100u;
	uint32_t diff = date - next;  /* date is larger than next when 0 < diff < 2^31 */
	return diff != 0 && diff < 0x80000000u ? date : next;
}

static int write_soa(xz_t *x, const zone_rr_t *rr)
{
	uint32_t serial = export_zone_serial(rr->rd.soa.serial, x->o->now);
	x->t.serial_old = rr->rd.soa.serial;
	x->t.serial_new = serial;
	int ret = set_origin(x, rr);
	if (ret == TS_OK)
		ret = out_room(x);
	if (ret != TS_OK)
		return ret;
	char *p = line_head(x, x->out + x->outlen, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = rr->rd.soa.mname_len > 0 ? put_abs(p, rr->rd.soa.mname, rr->rd.soa.mname_len) : put_mem(p, ".", 1);
	*p++ = ' ';
	p = rr->rd.soa.rname_len > 0 ? put_abs(p, rr->rd.soa.rname, rr->rd.soa.rname_len) : put_mem(p, ".", 1);
	const uint32_t v[5] = { serial, rr->rd.soa.refresh, rr->rd.soa.retry, rr->rd.soa.expire, rr->rd.soa.minimum };
	for (size_t i = 0; i < 5; i++) {
		*p++ = ' ';
		p = put_u32(p, v[i]);
	}
	*p++ = '\n';
	x->outlen = (size_t)(p - x->out);
	x->t.records_out++;
	return TS_OK;
}

/* The sinkhole NS RRset of a redirect, in place of the delegation's own. */
static int write_sinkhole(xz_t *x, const zone_rr_t *rr, const export_zone_redirect_t *r)
{
	for (size_t i = 0; i < r->nns; i++) {
		char host[EXPORT_NAME_MAX + 1];
		size_t hl;
		if (export_name_norm(r->ns[i], host, &hl) != TS_OK)
			return TS_EINTERNAL;   /* checked at the start */
		int ret = out_room(x);
		if (ret != TS_OK)
			return ret;
		char *p = line_head(x, x->out + x->outlen, rr->owner, rr->owner_len, rr->ttl, rr->rclass, ZONE_T_NS);
		p = put_abs(p, host, hl);
		*p++ = '\n';
		x->outlen = (size_t)(p - x->out);
		x->t.records_out++;
	}
	return TS_OK;
}

/* Holds an address record below an acted-on name until the end. */
static int hold(xz_t *x, const zone_rr_t *rr)
{
	char *line = x->line;
	char *p = line_head(x, line, rr->owner, rr->owner_len, rr->ttl, rr->rclass, rr->type);
	p = put_mem(p, rr->rdata, rr->rdata_len);
	*p++ = '\n';
	int ret = dbuf_add(&x->held, rr->owner, rr->owner_len + 1);   /* with its NUL */
	if (ret == TS_OK)
		ret = dbuf_add(&x->held, line, (size_t)(p - line));
	if (ret == TS_OK)
		ret = dbuf_addc(&x->held, '\0');
	if (ret == TS_ELIMIT)
		ts_log(TS_LOG_ERR, "export zone: more than %u MiB of glue below the names acted on", HELD_MAX >> 20);
	x->nheld++;
	return ret;
}

/* The first word of an RRSIG's RDATA is the type it covers. */
static bool covers_ds(const zone_rr_t *rr)
{
	const char *p = rr->rdata;
	size_t n = 0;
	while (n < rr->rdata_len && p[n] != ' ')
		n++;
	uint16_t t;
	return zone_type_from_text(p, n, &t) == TS_OK && t == ZONE_T_DS;
}

static int check_apex(xz_t *x, const zone_rr_t *rr)
{
	memcpy(x->apex, rr->owner, rr->owner_len + 1);
	x->apex_len = rr->owner_len;
	x->have_apex = true;
	for (size_t i = 0; i < x->acted.cap; i++) {
		const nset_ent_t *e = &x->acted.v[i];
		if (e->name == NULL)
			continue;
		if (e->len == x->apex_len || !name_is_at_or_below(e->name, e->len, x->apex, x->apex_len)) {
			ts_log(TS_LOG_ERR, "export zone: %s is not a delegation below the zone's apex %s.", e->name,
			       x->apex_len > 0 ? x->apex : "");
			return TS_EINPUT;
		}
	}
	return TS_OK;
}

/* An NS record that stays: its target, when at or below an acted-on name,
 * keeps that glue. */
static int note_target(xz_t *x, const char *target, size_t len)
{
	bool at = false;
	if (nset_enclosing(&x->acted, target, len, &at) == NULL)
		return TS_OK;
	nset_ent_t *e;
	bool added;
	return nset_add(&x->needed, x->a, target, len, &e, &added);
}

static int on_rr(void *user, const zone_rr_t *rr)
{
	xz_t *x = user;
	int ret;
	x->t.records_in++;
	if (rr->type == ZONE_T_SOA && !x->have_apex) {
		if ((ret = check_apex(x, rr)) != TS_OK)
			return ret;
		return write_soa(x, rr);
	}
	nset_ent_t *e;
	bool at = false;
	if (x->have_last && rr->owner_len == x->last_len && memcmp(rr->owner, x->last_owner, x->last_len) == 0) {
		e = x->last_ent;
		at = x->last_at;
	} else {
		e = nset_enclosing(&x->acted, rr->owner, rr->owner_len, &at);
		memcpy(x->last_owner, rr->owner, rr->owner_len);
		x->last_len = rr->owner_len;
		x->last_ent = e;
		x->last_at = at;
		x->have_last = true;
	}
	if (e == NULL) {
		if (rr->type == ZONE_T_NS && (ret = note_target(x, rr->rd.ns.name, rr->rd.ns.len)) != TS_OK)
			return ret;
		return write_rr(x, rr);
	}
	bool addr = rr->type == ZONE_T_A || rr->type == ZONE_T_AAAA;
	if (at && rr->type == ZONE_T_NS && !e->found) {
		e->found = true;
		if (e->act == ACT_SUSPEND)
			x->t.suspended++;
		else
			x->t.redirected++;
	}
	if (e->act == ACT_SUSPEND) {
		if (addr && !at)
			return hold(x, rr);
		x->t.removed++;
		return TS_OK;
	}
	/* a redirect */
	if (addr && !at)
		return hold(x, rr);
	if (at && rr->type == ZONE_T_NS) {
		x->t.removed++;
		if (e->ns_written)
			return TS_OK;
		e->ns_written = true;
		return write_sinkhole(x, rr, &x->o->redirect[e->idx]);
	}
	if (at && (rr->type == ZONE_T_DS || (rr->type == ZONE_T_RRSIG && covers_ds(rr)))) {
		x->t.removed++;
		return TS_OK;
	}
	if (rr->type == ZONE_T_NS && (ret = note_target(x, rr->rd.ns.name, rr->rd.ns.len)) != TS_OK)
		return ret;
	return write_rr(x, rr);
}

/* The held glue: written when a remaining delegation needs it. */
static int write_held(xz_t *x)
{
	if (x->held.len == 0)
		return TS_OK;
	const char *p = x->held.p, *end = x->held.p + x->held.len;
	while (p < end) {
		const char *owner = p;
		size_t olen = strlen(owner);
		const char *line = owner + olen + 1;
		size_t llen = strlen(line);
		p = line + llen + 1;
		if (nset_find(&x->needed, owner, olen) == NULL) {
			x->t.glue_removed++;
			x->t.removed++;
			continue;
		}
		x->t.glue_kept++;
		int ret = out_room(x);
		if (ret != TS_OK)
			return ret;
		memcpy(x->out + x->outlen, line, llen);
		x->outlen += llen;
		x->t.records_out++;
	}
	return TS_OK;
}

/* Adds a suspended or redirected name. */
static int add_acted(xz_t *x, const char *domain, int act, size_t idx)
{
	name_t n;
	const char *why;
	size_t at;
	char norm[EXPORT_NAME_MAX + 1];
	size_t len;
	if (domain == NULL || export_name_norm(domain, norm, &len) != TS_OK ||
	    name_from_text(norm, len, NULL, &n, &why, &at) != TS_OK || n.labels < 2) {
		ts_log(TS_LOG_ERR, "export zone: not a registered domain name: \"%.80s\"", domain != NULL ? domain : "");
		return TS_EINPUT;
	}
	nset_ent_t *e;
	bool added;
	int ret = nset_add(&x->acted, x->a, n.text, n.len, &e, &added);
	if (ret != TS_OK)
		return ret;
	if (!added) {
		ts_log(TS_LOG_ERR, "export zone: %s is given twice (suspended and redirected, or twice either)", n.text);
		return TS_EINPUT;
	}
	e->act = act;
	e->idx = idx;
	return TS_OK;
}

int export_zone_write_fp(const char *in, const export_zone_opts_t *o, FILE *fp, export_zone_totals_t *totals)
{
	xz_t *x = ts_calloc(1, sizeof(*x));
	if (x == NULL)
		return TS_ENOMEM;
	int ret;
	x->o = o;
	x->fp = fp;
	dbuf_init(&x->held, HELD_MAX);
	x->a = arena_new(64 * 1024);
	x->out = ts_malloc(OUT_BUF);
	x->line = ts_malloc(LINE_ROOM);
	if (x->a == NULL || x->out == NULL || x->line == NULL || nset_init(&x->acted, o->nsuspend + o->nredirect) != TS_OK ||
	    nset_init(&x->needed, 16) != TS_OK) {
		ret = TS_ENOMEM;
		goto out;
	}
	for (size_t i = 0; i < o->nsuspend; i++)
		if ((ret = add_acted(x, o->suspend[i], ACT_SUSPEND, 0)) != TS_OK)
			goto out;
	for (size_t i = 0; i < o->nredirect; i++) {
		const export_zone_redirect_t *r = &o->redirect[i];
		if ((ret = add_acted(x, r->domain, ACT_REDIRECT, i)) != TS_OK)
			goto out;
		if (r->nns == 0 || r->nns > EXPORT_ZONE_MAX_SINKHOLE) {
			ts_log(TS_LOG_ERR, "export zone: the redirect of %s needs 1 to %u sinkhole name servers", r->domain,
			       EXPORT_ZONE_MAX_SINKHOLE);
			ret = TS_EINPUT;
			goto out;
		}
	}
	/* the sinkhole name servers stay in the zone: their glue is needed */
	for (size_t i = 0; i < o->nredirect; i++) {
		for (size_t j = 0; j < o->redirect[i].nns; j++) {
			char host[EXPORT_NAME_MAX + 1];
			size_t hl;
			if (export_name_norm(o->redirect[i].ns[j], host, &hl) != TS_OK) {
				ts_log(TS_LOG_ERR, "export zone: sinkhole name server of %s: not a host name: \"%.80s\"",
				       o->redirect[i].domain, o->redirect[i].ns[j] != NULL ? o->redirect[i].ns[j] : "");
				ret = TS_EINPUT;
				goto out;
			}
			if ((ret = note_target(x, host, hl)) != TS_OK)
				goto out;
		}
	}
	zone_opts_t zo = { .origin = o->origin, .default_ttl = 3600, .no_include = o->no_include,
	                   .threads = 2, .decode = ZONE_DEC_NS | ZONE_DEC_SOA | ZONE_DEC_TEXT };
	zone_totals_t zt;
	ret = zone_scan_file(in, &zo, on_rr, x, &zt);
	x->t.bytes_in = zt.bytes;
	if (ret == TS_OK && !x->have_apex) {
		ts_log(TS_LOG_ERR, "%s: no SOA record: not a zone", in);
		ret = TS_EINPUT;
	}
	if (ret == TS_OK)
		ret = write_held(x);
	if (ret == TS_OK)
		ret = out_flush(x);
	if (ret == TS_OK) {
		for (size_t i = 0; i < x->acted.cap; i++) {
			const nset_ent_t *e = &x->acted.v[i];
			if (e->name != NULL && !e->found)
				ts_log(TS_LOG_WARN, "export zone: %s is not delegated in %s: its %s changes nothing", e->name,
				       in, e->act == ACT_SUSPEND ? "suspension" : "redirect");
		}
	}
out:
	if (totals != NULL)
		*totals = x->t;
	nset_free(&x->acted);
	nset_free(&x->needed);
	dbuf_free(&x->held);
	ts_free(x->line);
	ts_free(x->out);
	arena_free(&x->a);
	ts_free(x);
	return ret;
}

int export_zone_write(const char *in, const export_zone_opts_t *o, const char *out, export_zone_totals_t *totals)
{
	afile_t af;
	int ret = afile_open(&af, out);
	if (ret != TS_OK)
		return ret;
	char *vbuf = ts_malloc(OUT_BUF);
	if (vbuf != NULL && af.path != NULL)
		(void)setvbuf(af.fp, vbuf, _IOFBF, OUT_BUF);
	ret = export_zone_write_fp(in, o, af.fp, totals);
	if (ret != TS_OK) {
		if (ret == TS_EIO)
			ts_log(TS_LOG_ERR, "%s: cannot write: %s", out != NULL ? out : "stdout", strerror(errno));
		afile_abort(&af);
	} else {
		ret = afile_commit(&af);
	}
	ts_free(vbuf);   /* the file is closed: stdio no longer uses it */
	return ret;
}

struct ns_ctx {
	nset_t set;
	export_zone_ns_fn fn;
	void *user;
};

static int on_ns(void *user, const zone_rr_t *rr)
{
	struct ns_ctx *c = user;
	if (rr->type != ZONE_T_NS)
		return TS_OK;
	const nset_ent_t *e = nset_find(&c->set, rr->owner, rr->owner_len);
	return e != NULL ? c->fn(c->user, e->idx, rr->rd.ns.name) : TS_OK;
}

int export_zone_ns(const char *in, const char *origin, const char *const *domains, size_t n,
                   export_zone_ns_fn fn, void *user)
{
	struct ns_ctx c = { .fn = fn, .user = user };
	arena_t *a = arena_new(16 * 1024);
	int ret = a != NULL ? nset_init(&c.set, n) : TS_ENOMEM;
	for (size_t i = 0; i < n && ret == TS_OK; i++) {
		name_t nm;
		const char *why;
		size_t at;
		char norm[EXPORT_NAME_MAX + 1];
		size_t len;
		if (export_name_norm(domains[i], norm, &len) != TS_OK ||
		    name_from_text(norm, len, NULL, &nm, &why, &at) != TS_OK) {
			ts_log(TS_LOG_ERR, "not a domain name: \"%.80s\"", domains[i]);
			ret = TS_EINPUT;
			break;
		}
		nset_ent_t *e;
		bool added;
		if ((ret = nset_add(&c.set, a, nm.text, nm.len, &e, &added)) == TS_OK && added)
			e->idx = i;
	}
	if (ret == TS_OK && n > 0) {
		zone_opts_t zo = { .origin = origin, .default_ttl = 3600, .decode = ZONE_DEC_NS };
		ret = zone_scan_file(in, &zo, on_ns, &c, NULL);
	}
	nset_free(&c.set);
	arena_free(&a);
	return ret;
}
