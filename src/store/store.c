/* store.c — dispatch of the store_* calls to the open backend. */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "store/store_int.h"

int store_open(store_t **st, const char *target, bool create, unsigned busy_ms,
               char *err, size_t errlen)
{
	*st = NULL;
	if (target == NULL || target[0] == '\0') {
		if (errlen > 0)
			snprintf(err, errlen, "no database named");
		return TS_EINPUT;
	}
	if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0) {
		if (errlen > 0)
			snprintf(err, errlen, "the PostgreSQL backend is not part of this build");
		return TS_EINPUT;
	}
	int ret = store_sqlite_open(st, target, create, busy_ms, err, errlen);
	if (ret != TS_OK)
		return ret;
	size_t n = strlen(target) + 1;
	if (((*st)->target = ts_malloc(n)) == NULL) {
		store_close(st);
		if (errlen > 0)
			snprintf(err, errlen, "out of memory");
		return TS_ENOMEM;
	}
	memcpy((*st)->target, target, n);
	(*st)->busy_ms = busy_ms;
	return TS_OK;
}

int store_open_peer(store_t *st, store_t **out)
{
	char err[STORE_ERR_TEXT];
	*out = NULL;
	if (st->target == NULL)
		return TS_EINTERNAL;
	int ret = store_open(out, st->target, false, st->busy_ms, err, sizeof(err));
	if (ret != TS_OK)
		snprintf(st->err, sizeof(st->err), "%s", err);
	return ret;
}

void store_close(store_t **st)
{
	if (st == NULL || *st == NULL)
		return;
	ts_free((*st)->target);
	(*st)->ops->close(*st);
	*st = NULL;
}

const char *store_error(const store_t *st)
{
	return st != NULL ? st->err : "";
}

int store_schema_version(const store_t *st)
{
	return st->version;
}

int store_begin(store_t *st)
{
	return st->ops->begin(st);
}

int store_commit(store_t *st)
{
	return st->ops->commit(st);
}

void store_rollback(store_t *st)
{
	if (st != NULL)
		st->ops->rollback(st);
}

int store_batch_begin(store_t *st)
{
	return st->ops->batch_begin(st);
}

int store_batch_end(store_t *st, bool commit)
{
	return st->ops->batch_end(st, commit);
}

int store_reporter_add(store_t *st, const store_reporter_t *r, const char *token_hash, int64_t *id)
{
	return st->ops->reporter_add(st, r, token_hash, id);
}

int store_reporter_get(store_t *st, int64_t id, arena_t *a, store_reporter_t *out)
{
	return st->ops->reporter_get(st, id, a, out);
}

int store_reporter_by_token(store_t *st, const char *token_hash, arena_t *a, store_reporter_t *out)
{
	return st->ops->reporter_by_token(st, token_hash, a, out);
}

int store_reporter_by_origin(store_t *st, const char *origin, arena_t *a, store_reporter_t *out)
{
	return st->ops->reporter_by_origin(st, origin, a, out);
}

int store_reporter_list(store_t *st, store_reporter_cb cb, void *user)
{
	return st->ops->reporter_list(st, cb, user);
}

int store_reporter_disable(store_t *st, int64_t id)
{
	return st->ops->reporter_disable(st, id);
}

int store_report_add(store_t *st, const store_report_t *r, int64_t *id)
{
	return st->ops->report_add(st, r, id);
}

int store_report_get(store_t *st, int64_t id, arena_t *a, store_report_t *out)
{
	return st->ops->report_get(st, id, a, out);
}

int store_report_set_body(store_t *st, int64_t id, const char *body)
{
	return st->ops->report_set_body(st, id, body);
}

int store_case_link(store_t *st, int64_t case_id, int64_t report_id)
{
	return st->ops->case_link(st, case_id, report_id);
}

int store_report_in_batch(store_t *st, int64_t case_id, const char *batch, int64_t *report_id)
{
	return st->ops->report_in_batch(st, case_id, batch, report_id);
}

int store_case_reports(store_t *st, int64_t case_id, store_report_cb cb, void *user)
{
	return st->ops->case_reports(st, case_id, cb, user);
}

int store_report_cases(store_t *st, int64_t report_id, int64_t *ids, size_t cap, size_t *n)
{
	return st->ops->report_cases(st, report_id, ids, cap, n);
}

int store_case_add(store_t *st, const store_case_t *c, int64_t *id)
{
	return st->ops->case_add(st, c, id);
}

int store_case_update(store_t *st, const store_case_t *c)
{
	return st->ops->case_update(st, c);
}

int store_case_get(store_t *st, int64_t id, arena_t *a, store_case_t *out)
{
	return st->ops->case_get(st, id, a, out);
}

int store_case_find_open(store_t *st, const char *domain, const char *threat, arena_t *a, store_case_t *out)
{
	return st->ops->case_find_open(st, domain, threat, a, out);
}

int store_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *user)
{
	return st->ops->case_list(st, f, cb, user);
}

int store_case_count(store_t *st, const store_case_filter_t *f, uint64_t *n)
{
	return st->ops->case_count(st, f, n);
}

int store_action_add(store_t *st, const store_action_t *a, int64_t *id)
{
	return st->ops->action_add(st, a, id);
}

int store_action_get(store_t *st, int64_t id, arena_t *a, store_action_t *out)
{
	return st->ops->action_get(st, id, a, out);
}

int store_action_set_undone(store_t *st, int64_t id, int64_t at)
{
	return st->ops->action_set_undone(st, id, at);
}

int store_case_actions(store_t *st, int64_t case_id, store_action_cb cb, void *user)
{
	return st->ops->case_actions(st, case_id, cb, user);
}

int store_action_list(store_t *st, bool pending_only, store_action_cb cb, void *user)
{
	return st->ops->action_list(st, pending_only, cb, user);
}

int store_action_set_exported(store_t *st, int64_t id, int64_t at)
{
	return st->ops->action_set_exported(st, id, at);
}

int store_domain_get(store_t *st, const char *name, arena_t *a, store_domain_t *out)
{
	return st->ops->domain_get(st, name, a, out);
}

int store_domain_put(store_t *st, const store_domain_t *d)
{
	return st->ops->domain_put(st, d);
}

int store_domain_list(store_t *st, store_domain_cb cb, void *user)
{
	return st->ops->domain_list(st, cb, user);
}

int store_msg_add(store_t *st, const store_msg_t *m, int64_t *id)
{
	return st->ops->msg_add(st, m, id);
}

int store_msg_list(store_t *st, int64_t case_id, bool pending_only, store_msg_cb cb, void *user)
{
	return st->ops->msg_list(st, case_id, pending_only, cb, user);
}

int store_msg_set_exported(store_t *st, int64_t id, int64_t at)
{
	return st->ops->msg_set_exported(st, id, at);
}

int store_event_add(store_t *st, const store_event_t *e, int64_t *id)
{
	return st->ops->event_add(st, e, id);
}

int store_event_last(store_t *st, int64_t *id, char hash[STORE_HASH_HEX])
{
	return st->ops->event_last(st, id, hash);
}

int store_event_list(store_t *st, store_event_cb cb, void *user)
{
	return st->ops->event_list(st, cb, user);
}

int store_purge_personal(store_t *st, int64_t closed_before, const char *redacted_body, store_purge_counts_t *n)
{
	return st->ops->purge_personal(st, closed_before, redacted_body, n);
}

int store_scan_add(store_t *st, const store_scan_t *s, int64_t *id)
{
	return st->ops->scan_add(st, s, id);
}

int store_scan_list(store_t *st, int64_t from, int64_t to, store_scan_cb cb, void *user)
{
	return st->ops->scan_list(st, from, to, cb, user);
}

int store_reg_clear(store_t *st)
{
	return st->ops->reg_clear(st);
}

int store_reg_put(store_t *st, const store_registration_t *r)
{
	return st->ops->reg_put(st, r);
}

int store_reg_summarise(store_t *st, uint64_t *domains, uint64_t *registrars)
{
	return st->ops->reg_summarise(st, domains, registrars);
}

int store_reg_counts(store_t *st, uint64_t *domains, uint64_t *registrars)
{
	return st->ops->reg_counts(st, domains, registrars);
}

int store_reg_registrar(store_t *st, const char *domain, arena_t *a, const char **registrar_id)
{
	return st->ops->reg_registrar(st, domain, a, registrar_id);
}

int store_stats_cases(store_t *st, int64_t from, int64_t to, store_stats_case_cb cb, void *user)
{
	return st->ops->stats_cases(st, from, to, cb, user);
}

int store_stats_origins(store_t *st, int64_t from, int64_t to, store_stats_origin_cb cb, void *user)
{
	return st->ops->stats_origins(st, from, to, cb, user);
}

int store_stats_actions(store_t *st, int64_t from, int64_t to, store_action_cb cb, void *user)
{
	return st->ops->stats_actions(st, from, to, cb, user);
}

int store_stats_registrars(store_t *st, store_stats_registrar_cb cb, void *user)
{
	return st->ops->stats_registrars(st, cb, user);
}

int store_stats_reg_hits(store_t *st, int64_t from, int64_t to, store_stats_reg_hit_cb cb, void *user)
{
	return st->ops->stats_reg_hits(st, from, to, cb, user);
}
