/* store_int.h — what a storage backend provides: a table of operations over
 * its own handle, whose first member is the common `struct store`. Private
 * to src/store/. */
#ifndef TS_STORE_INT_H
#define TS_STORE_INT_H

#include "store/store.h"

#define STORE_ERR_TEXT 512

typedef struct store_ops {
	void (*close)(store_t *st);
	int (*begin)(store_t *st);
	int (*commit)(store_t *st);
	void (*rollback)(store_t *st);
	int (*batch_begin)(store_t *st);
	int (*batch_end)(store_t *st, bool commit);
	int (*reporter_add)(store_t *st, const store_reporter_t *r, const char *token_hash, int64_t *id);
	int (*reporter_get)(store_t *st, int64_t id, arena_t *a, store_reporter_t *out);
	int (*reporter_by_token)(store_t *st, const char *token_hash, arena_t *a, store_reporter_t *out);
	int (*reporter_by_origin)(store_t *st, const char *origin, arena_t *a, store_reporter_t *out);
	int (*reporter_list)(store_t *st, store_reporter_cb cb, void *user);
	int (*reporter_disable)(store_t *st, int64_t id);
	int (*report_add)(store_t *st, const store_report_t *r, int64_t *id);
	int (*report_get)(store_t *st, int64_t id, arena_t *a, store_report_t *out);
	int (*report_set_body)(store_t *st, int64_t id, const char *body);
	int (*case_link)(store_t *st, int64_t case_id, int64_t report_id);
	int (*report_in_batch)(store_t *st, int64_t case_id, const char *batch, int64_t *report_id);
	int (*case_reports)(store_t *st, int64_t case_id, store_report_cb cb, void *user);
	int (*report_cases)(store_t *st, int64_t report_id, int64_t *ids, size_t cap, size_t *n);
	int (*case_add)(store_t *st, const store_case_t *c, int64_t *id);
	int (*case_update)(store_t *st, const store_case_t *c);
	int (*case_get)(store_t *st, int64_t id, arena_t *a, store_case_t *out);
	int (*case_find_open)(store_t *st, const char *domain, const char *threat, arena_t *a, store_case_t *out);
	int (*case_list)(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *user);
	int (*case_count)(store_t *st, const store_case_filter_t *f, uint64_t *n);
	int (*action_add)(store_t *st, const store_action_t *a, int64_t *id);
	int (*action_get)(store_t *st, int64_t id, arena_t *a, store_action_t *out);
	int (*action_set_undone)(store_t *st, int64_t id, int64_t at);
	int (*case_actions)(store_t *st, int64_t case_id, store_action_cb cb, void *user);
	int (*action_list)(store_t *st, bool pending_only, store_action_cb cb, void *user);
	int (*action_set_exported)(store_t *st, int64_t id, int64_t at);
	int (*domain_get)(store_t *st, const char *name, arena_t *a, store_domain_t *out);
	int (*domain_put)(store_t *st, const store_domain_t *d);
	int (*domain_list)(store_t *st, store_domain_cb cb, void *user);
	int (*msg_add)(store_t *st, const store_msg_t *m, int64_t *id);
	int (*msg_list)(store_t *st, int64_t case_id, bool pending_only, store_msg_cb cb, void *user);
	int (*msg_set_exported)(store_t *st, int64_t id, int64_t at);
	int (*event_add)(store_t *st, const store_event_t *e, int64_t *id);
	int (*event_last)(store_t *st, int64_t *id, char hash[STORE_HASH_HEX]);
	int (*event_list)(store_t *st, store_event_cb cb, void *user);
	int (*purge_personal)(store_t *st, int64_t closed_before, const char *redacted_body,
	                      store_purge_counts_t *n);
	int (*scan_add)(store_t *st, const store_scan_t *s, int64_t *id);
	int (*scan_list)(store_t *st, int64_t from, int64_t to, store_scan_cb cb, void *user);
	int (*reg_clear)(store_t *st);
	int (*reg_put)(store_t *st, const store_registration_t *r);
	int (*reg_summarise)(store_t *st, uint64_t *domains, uint64_t *registrars);
	int (*reg_counts)(store_t *st, uint64_t *domains, uint64_t *registrars);
	int (*reg_registrar)(store_t *st, const char *domain, arena_t *a, const char **registrar_id);
	int (*stats_cases)(store_t *st, int64_t from, int64_t to, store_stats_case_cb cb, void *user);
	int (*stats_origins)(store_t *st, int64_t from, int64_t to, store_stats_origin_cb cb, void *user);
	int (*stats_actions)(store_t *st, int64_t from, int64_t to, store_action_cb cb, void *user);
	int (*stats_registrars)(store_t *st, store_stats_registrar_cb cb, void *user);
	int (*stats_reg_hits)(store_t *st, int64_t from, int64_t to, store_stats_reg_hit_cb cb, void *user);
} store_ops_t;

struct store {
	const store_ops_t *ops;
	int version;
	char *target;              /* as opened (store.c), for store_open_peer */
	unsigned busy_ms;
	char err[STORE_ERR_TEXT];
};

/* The SQLite backend's constructor (sqlite.c). */
int store_sqlite_open(store_t **st, const char *path, bool create, unsigned busy_ms,
                      char *err, size_t errlen);

#endif
