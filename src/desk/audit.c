/* audit.c — the append-only audit log as a hash chain: each event holds the
 * SHA-256 of the previous event's hash and its own fields, each field
 * length-prefixed so no two events serialise alike. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "desk/desk_int.h"

static void add_field(crypto_hash_sha256_state *h, const char *s)
{
	char len[24];
	size_t n = s != NULL ? strlen(s) : 0;
	int w = snprintf(len, sizeof(len), "%zu:", n);
	crypto_hash_sha256_update(h, (const unsigned char *)len, (unsigned long long)w);
	if (n > 0)
		crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

static void event_hash(const store_event_t *e, char out[STORE_HASH_HEX])
{
	crypto_hash_sha256_state h;
	unsigned char md[crypto_hash_sha256_BYTES];
	char num[3][24];
	snprintf(num[0], sizeof(num[0]), "%" PRId64, e->id);
	snprintf(num[1], sizeof(num[1]), "%" PRId64, e->at);
	snprintf(num[2], sizeof(num[2]), "%" PRId64, e->case_id);
	crypto_hash_sha256_init(&h);
	add_field(&h, "tldsec-audit-v1");
	add_field(&h, e->prev_hash);
	add_field(&h, num[0]);
	add_field(&h, num[1]);
	add_field(&h, num[2]);
	add_field(&h, e->actor);
	add_field(&h, e->kind);
	add_field(&h, e->detail);
	crypto_hash_sha256_final(&h, md);
	sodium_bin2hex(out, STORE_HASH_HEX, md, sizeof(md));
}

int audit_append(desk_t *d, int64_t at, int64_t case_id, const char *kind, const char *detail)
{
	char prev[STORE_HASH_HEX], hash[STORE_HASH_HEX];
	int64_t last, id;
	int ret = store_event_last(d->st, &last, prev);
	if (ret != TS_OK)
		return ret;
	store_event_t e = { .id = last + 1, .at = at, .case_id = case_id, .actor = d->actor, .kind = kind,
		            .detail = detail, .prev_hash = prev };
	event_hash(&e, hash);
	e.hash = hash;
	if ((ret = store_event_add(d->st, &e, &id)) != TS_OK)
		return ret;
	return id == e.id ? TS_OK : TS_EINTERNAL;
}

struct verify {
	desk_audit_result_t *r;
	int64_t prev_id;
	char prev_hash[STORE_HASH_HEX];
};

static int verify_one(void *user, const store_event_t *e)
{
	struct verify *v = user;
	char hash[STORE_HASH_HEX];
	v->r->events++;
	if (e->id != v->prev_id + 1) {
		v->r->first_bad = e->id;
		snprintf(v->r->why, sizeof(v->r->why), "event %" PRId64 " follows event %" PRId64
		         ": the events between are missing", e->id, v->prev_id);
		return TS_ECHECK;
	}
	if (strcmp(e->prev_hash, v->prev_hash) != 0) {
		v->r->first_bad = e->id;
		snprintf(v->r->why, sizeof(v->r->why), "event %" PRId64 ": its previous-event hash does not match "
		         "event %" PRId64, e->id, v->prev_id);
		return TS_ECHECK;
	}
	event_hash(e, hash);
	if (strcmp(hash, e->hash) != 0) {
		v->r->first_bad = e->id;
		snprintf(v->r->why, sizeof(v->r->why), "event %" PRId64 ": its hash does not match its content "
		         "(the event was altered)", e->id);
		return TS_ECHECK;
	}
	v->prev_id = e->id;
	snprintf(v->prev_hash, sizeof(v->prev_hash), "%s", e->hash);
	return TS_OK;
}

int desk_audit_verify(desk_t *d, desk_audit_result_t *out, desk_err_t *err)
{
	struct verify v = { .r = out };
	memset(out, 0, sizeof(*out));
	int ret = store_event_list(d->st, verify_one, &v);
	snprintf(out->head, sizeof(out->head), "%s", v.prev_hash);
	if (ret == TS_ECHECK)
		return desk_fail(err, TS_ECHECK, "audit chain broken at %s", out->why);
	if (ret != TS_OK)
		return desk_store_fail(d, err, ret, "reading the audit log");
	return TS_OK;
}

int desk_audit_disclosure(desk_t *d, const char *what, desk_err_t *err)
{
	int64_t now;
	char detail[256];
	int ret = desk_now(&now, err);
	if (ret != TS_OK)
		return ret;
	char esc[128];
	size_t j = 0;
	for (size_t i = 0; what[i] != '\0' && j + 1 < sizeof(esc); i++)
		if (what[i] != '"' && what[i] != '\\' && (unsigned char)what[i] >= 0x20)
			esc[j++] = what[i];
	esc[j] = '\0';
	snprintf(detail, sizeof(detail), "{\"shown\":\"%s\"}", esc);
	if ((ret = store_begin(d->st)) != TS_OK)
		return desk_store_fail(d, err, ret, "recording the disclosure");
	if ((ret = audit_append(d, now, 0, "privacy.disclosure", detail)) != TS_OK ||
	    (ret = store_commit(d->st)) != TS_OK) {
		store_rollback(d->st);
		return desk_store_fail(d, err, ret, "recording the disclosure");
	}
	return TS_OK;
}
