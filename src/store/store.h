/* store.h — the one storage interface of the desk. Callers see an opaque
 * handle and store_* calls that dispatch on the backend (SQLite now; a
 * PostgreSQL backend fills the same table of operations). No SQL lives
 * outside src/store/.
 *
 * Ownership: records passed in are borrowed for the call. Records handed to
 * a callback borrow their strings until the callback returns. Records filled
 * by a *_get call put their strings in the caller's arena.
 * Times are seconds since the epoch; 0 means "not set". Optional strings are
 * NULL when not set. */
#ifndef TS_STORE_H
#define TS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"

typedef struct store store_t;

#define STORE_SCHEMA_VERSION 3
#define STORE_HASH_HEX 65            /* a SHA-256 in hex and its NUL */

typedef struct store_reporter {
	int64_t id;
	const char *name;
	const char *tier;
	const char *jurisdiction;
	const char *email;
	const char *origin;        /* "feed:NAME" for feed reporters, NULL otherwise */
	bool verified;
	bool disabled;
	bool has_token;
	int64_t created_at;
	const char *role;          /* reporter analyst admin auditor (NULL on add: reporter) */
	const char *token_hash;    /* read only: the stored SHA-256 of the token in hex, NULL without one */
} store_reporter_t;

typedef struct store_report {
	int64_t id;
	int64_t reporter_id;       /* 0: an unauthenticated submission */
	const char *tier;
	bool verified;
	const char *origin;        /* "cli", "api", "feed:NAME" */
	int64_t received_at;
	const char *threat;
	const char *flags;         /* comma-separated, "" when none */
	const char *priority;
	bool urgent_claim;
	bool confidential;
	const char *body;          /* the JSON as received (redacted after a purge) */
	const char *contact_name;  /* personal data of unauthenticated reporters */
	const char *contact_email;
	const char *contact_org;
	const char *contact_jurisdiction;
	const char *scan_batch;    /* the scan that produced it, NULL otherwise */
} store_report_t;

typedef struct store_case {
	int64_t id;
	const char *domain;
	const char *threat;
	const char *state;
	const char *priority;
	int prio_rank;             /* sort key: smaller comes first */
	bool urgent_claim;
	bool confidential;
	bool registered;           /* false for unregistered (DGA) names */
	bool purged;               /* personal data removed */
	int64_t received_at;
	int64_t ack_due;
	int64_t response_due;
	int64_t next_due;          /* due time of the running clock; 0 when none runs */
	int64_t acked_at;
	int64_t assessed_at;
	int64_t closed_at;
	const char *validity;
	const char *registration;
	const char *responsible;
	const char *note;
	const char *outcome;
} store_case_t;

typedef struct store_case_filter {
	const char *state;         /* NULL: any state */
	const char *priority;      /* NULL: any priority */
	bool overdue;              /* only cases whose running clock is before `now` */
	int64_t now;
	const char *domain;        /* NULL: any domain */
} store_case_filter_t;

typedef struct store_action {
	int64_t id;
	int64_t case_id;
	const char *kind;
	const char *actor;
	int64_t created_at;
	const char *court_order;
	const char *reason;
	const char *sinkhole_ns;   /* comma-separated host names */
	const char *gaining_registrar;
	bool forced;
	const char *prior_case_state;
	const char *prior_domain;  /* JSON snapshot of the domain before the action */
	const char *undo_command;
	int64_t undone_at;
	const char *domain;        /* the case's domain (read only: filled by the readers) */
	int64_t exported_at;       /* when `export epp` wrote it; 0 while pending */
} store_action_t;

typedef struct store_domain {
	const char *name;
	const char *statuses;      /* comma-separated server statuses set by the registry */
	const char *sinkhole_ns;   /* comma-separated, while redirected */
	const char *registrar;     /* set by a transfer */
	bool deleted;
	bool blocked;
	bool reserved;
	bool registry_registered;  /* registered by the registry (DGA) */
	int64_t updated_at;
} store_domain_t;

typedef struct store_msg {
	int64_t id;
	int64_t case_id;
	int64_t action_id;         /* 0 unless produced by an action */
	int64_t reporter_id;       /* 0 unless sent to a registered reporter */
	int64_t report_id;         /* the report answered, 0 for registrar messages */
	int64_t created_at;
	int64_t exported_at;
	const char *kind;          /* acknowledgement, assessment, outcome, referral */
	const char *recipient;     /* reporter, registrar */
	const char *to_name;
	const char *to_addr;
	const char *subject;
	const char *body;
	const char *xarf;          /* referrals: the XARF JSON */
} store_msg_t;

typedef struct store_event {
	int64_t id;
	int64_t at;
	int64_t case_id;           /* 0 when the event is not about a case */
	const char *actor;
	const char *kind;
	const char *detail;        /* JSON; never personal data */
	const char *prev_hash;
	const char *hash;
} store_event_t;

typedef struct store_purge_counts {
	uint64_t cases;
	uint64_t reports;
	uint64_t messages;
	uint64_t reporters;
} store_purge_counts_t;

/* A recorded scan (`scan --record`): its counts and the zone statistics of
 * the zone it read (the definitions of dns/zonestats.h). */
typedef struct store_scan {
	int64_t id;
	int64_t at;
	const char *origin;        /* the zone's apex */
	const char *feeds;         /* the feed formats, comma-separated */
	uint64_t records;
	uint64_t delegations;
	uint64_t ds_delegations;
	uint64_t findings;
	uint64_t domains;
	uint64_t single_ns;
	uint64_t in_bailiwick;
	uint64_t distinct_ns_hosts;
	uint64_t providers;
	double ns_provider_hhi;
	const char *top_providers; /* JSON array of {provider, delegations, share_pct}, or NULL */
} store_scan_t;

/* One row of imported registration data. `created` 0: not known. */
typedef struct store_registration {
	const char *domain;
	const char *registrar_id;
	const char *registrar_name;
	int64_t created;
} store_registration_t;

/* What the statistics read of a case. */
typedef struct store_stats_case {
	const char *threat;
	const char *priority;
	int64_t received_at;
	int64_t ack_due;
	int64_t response_due;
	int64_t acked_at;
	int64_t assessed_at;
	int64_t closed_at;
} store_stats_case_t;

/* Reports linked to cases, counted by the report's origin and tier. */
typedef struct store_stats_origin {
	const char *origin;
	const char *tier;
	uint64_t n;
} store_stats_origin_t;

/* A registrar of the registration data. */
typedef struct store_stats_registrar {
	const char *id;
	const char *name;
	uint64_t domains;          /* its domains in the registration data */
} store_stats_registrar_t;

/* A case on a domain of the registration data. */
typedef struct store_stats_reg_hit {
	const char *registrar_id;
	int64_t created;           /* the domain's creation; 0 when not known */
	int64_t received_at;       /* the case's */
} store_stats_reg_hit_t;

typedef int (*store_reporter_cb)(void *user, const store_reporter_t *r);
typedef int (*store_report_cb)(void *user, const store_report_t *r);
typedef int (*store_case_cb)(void *user, const store_case_t *c);
typedef int (*store_action_cb)(void *user, const store_action_t *a);
typedef int (*store_domain_cb)(void *user, const store_domain_t *d);
typedef int (*store_msg_cb)(void *user, const store_msg_t *m);
typedef int (*store_event_cb)(void *user, const store_event_t *e);
typedef int (*store_scan_cb)(void *user, const store_scan_t *s);
typedef int (*store_stats_case_cb)(void *user, const store_stats_case_t *c);
typedef int (*store_stats_origin_cb)(void *user, const store_stats_origin_t *o);
typedef int (*store_stats_registrar_cb)(void *user, const store_stats_registrar_t *r);
typedef int (*store_stats_reg_hit_cb)(void *user, const store_stats_reg_hit_t *h);

/* Opens the database named by `target` (a file path; a "postgresql://" URI
 * would select that backend, which is not built: TS_EINPUT). `create`: make
 * the file (not its directory) and apply every migration; otherwise the file
 * must exist (TS_ENOTFOUND) and is migrated forward. `busy_ms`: how long a
 * locked database is waited for before TS_EBUSY. On failure the reason goes
 * to err (errlen bytes, may be 0). */
TS_WUR int store_open(store_t **st, const char *target, bool create, unsigned busy_ms,
                      char *err, size_t errlen);
void store_close(store_t **st);
/* A second connection to the database `st` was opened on (same target and
 * busy timeout), for a reader in another thread; store_close it. */
TS_WUR int store_open_peer(store_t *st, store_t **out);
/* The last error's message (borrowed; "" when none). */
const char *store_error(const store_t *st);
/* The schema version of the open database. */
int store_schema_version(const store_t *st);

/* Transactions: begin takes the write lock at once (so a reader never has to
 * upgrade); the calls between begin and commit are atomic and durable. */
TS_WUR int store_begin(store_t *st);
TS_WUR int store_commit(store_t *st);
void store_rollback(store_t *st);

/* Group commit: between batch_begin and batch_end, store_begin opens a
 * savepoint, store_commit releases it and store_rollback undoes only the
 * work since the matching store_begin, so many calls (each with its own
 * begin/commit, unchanged) share one durable commit. batch_end(true)
 * commits everything released since batch_begin (TS_EDB when SQLite had to
 * roll the whole transaction back, after which nothing of the batch is
 * stored); batch_end(false) rolls it all back. Nothing a call inside the
 * batch "committed" is durable before batch_end returns TS_OK. */
TS_WUR int store_batch_begin(store_t *st);
TS_WUR int store_batch_end(store_t *st, bool commit);

/* Reporters. token_hash may be NULL (feed reporters have no token). */
TS_WUR int store_reporter_add(store_t *st, const store_reporter_t *r, const char *token_hash, int64_t *id);
TS_WUR int store_reporter_get(store_t *st, int64_t id, arena_t *a, store_reporter_t *out);
TS_WUR int store_reporter_by_token(store_t *st, const char *token_hash, arena_t *a, store_reporter_t *out);
TS_WUR int store_reporter_by_origin(store_t *st, const char *origin, arena_t *a, store_reporter_t *out);
TS_WUR int store_reporter_list(store_t *st, store_reporter_cb cb, void *user);
TS_WUR int store_reporter_disable(store_t *st, int64_t id);

/* Reports, and their links to cases. */
TS_WUR int store_report_add(store_t *st, const store_report_t *r, int64_t *id);
TS_WUR int store_report_get(store_t *st, int64_t id, arena_t *a, store_report_t *out);
TS_WUR int store_report_set_body(store_t *st, int64_t id, const char *body);
TS_WUR int store_case_link(store_t *st, int64_t case_id, int64_t report_id);
/* The report of scan `batch` already linked to the case, TS_ENOTFOUND if none. */
TS_WUR int store_report_in_batch(store_t *st, int64_t case_id, const char *batch, int64_t *report_id);
TS_WUR int store_case_reports(store_t *st, int64_t case_id, store_report_cb cb, void *user);
TS_WUR int store_report_cases(store_t *st, int64_t report_id, int64_t *ids, size_t cap, size_t *n);

/* Cases. */
TS_WUR int store_case_add(store_t *st, const store_case_t *c, int64_t *id);
/* Rewrites every field but id, domain and threat. */
TS_WUR int store_case_update(store_t *st, const store_case_t *c);
TS_WUR int store_case_get(store_t *st, int64_t id, arena_t *a, store_case_t *out);
/* The case of (domain, threat) that is not closed, TS_ENOTFOUND if none. */
TS_WUR int store_case_find_open(store_t *st, const char *domain, const char *threat, arena_t *a, store_case_t *out);
/* Cases matching the filter, by prio_rank, urgent claims first, then the
 * running clock's due time, then id. A listing fills the summary fields only
 * (id, domain, threat, state, priority, prio_rank, urgent_claim,
 * confidential, registered, purged, received_at, ack_due, response_due,
 * next_due); store_case_get gives the rest. */
TS_WUR int store_case_list(store_t *st, const store_case_filter_t *f, store_case_cb cb, void *user);
/* Counts the cases matching the filter. */
TS_WUR int store_case_count(store_t *st, const store_case_filter_t *f, uint64_t *n);

/* Actions. */
TS_WUR int store_action_add(store_t *st, const store_action_t *a, int64_t *id);
TS_WUR int store_action_get(store_t *st, int64_t id, arena_t *a, store_action_t *out);
TS_WUR int store_action_set_undone(store_t *st, int64_t id, int64_t at);
TS_WUR int store_case_actions(store_t *st, int64_t case_id, store_action_cb cb, void *user);
/* Every action in id order (`pending_only`: not yet exported), for the
 * exports that registry operations consume. */
TS_WUR int store_action_list(store_t *st, bool pending_only, store_action_cb cb, void *user);
TS_WUR int store_action_set_exported(store_t *st, int64_t id, int64_t at);

/* The registry's view of a domain (statuses it set, sinkhole, blocks).
 * A domain never acted on is returned with every field empty, name set. */
TS_WUR int store_domain_get(store_t *st, const char *name, arena_t *a, store_domain_t *out);
TS_WUR int store_domain_put(store_t *st, const store_domain_t *d);
/* Every domain the registry has acted on, in name order, with its current
 * state (an undone action has put the state before it back), for the
 * exports: the patched zone, the RPZ, the reserved list. */
TS_WUR int store_domain_list(store_t *st, store_domain_cb cb, void *user);

/* Outbox. `pending_only`: messages not yet exported. `case_id` 0: all. */
TS_WUR int store_msg_add(store_t *st, const store_msg_t *m, int64_t *id);
TS_WUR int store_msg_list(store_t *st, int64_t case_id, bool pending_only, store_msg_cb cb, void *user);
TS_WUR int store_msg_set_exported(store_t *st, int64_t id, int64_t at);

/* The audit log: append-only. `last` gives the newest event's id and hash
 * (id 0 and an empty hash when the log is empty). */
TS_WUR int store_event_add(store_t *st, const store_event_t *e, int64_t *id);
TS_WUR int store_event_last(store_t *st, int64_t *id, char hash[STORE_HASH_HEX]);
TS_WUR int store_event_list(store_t *st, store_event_cb cb, void *user);

/* Removes personal data from the reports, messages and reporter-less
 * contacts of cases closed before `closed_before`; marks them purged.
 * `redacted_body` replaces each report body. Counts what changed. */
TS_WUR int store_purge_personal(store_t *st, int64_t closed_before, const char *redacted_body,
                                store_purge_counts_t *n);

/* ---- recorded scans, registration data, statistics (src/stats) ---- */

/* Records a scan (inside the caller's transaction, e.g. the one of
 * desk_scan_begin/end). */
TS_WUR int store_scan_add(store_t *st, const store_scan_t *s, int64_t *id);
/* The scans recorded at a time in [from, to), oldest first. */
TS_WUR int store_scan_list(store_t *st, int64_t from, int64_t to, store_scan_cb cb, void *user);

/* Registration data is one snapshot: clear, put every row, then summarise
 * (which rebuilds the per-registrar domain counts), all inside one
 * transaction of the caller. A domain put twice keeps the last row. */
TS_WUR int store_reg_clear(store_t *st);
TS_WUR int store_reg_put(store_t *st, const store_registration_t *r);
TS_WUR int store_reg_summarise(store_t *st, uint64_t *domains, uint64_t *registrars);
/* The counts of the snapshot held (0, 0 when none was imported). */
TS_WUR int store_reg_counts(store_t *st, uint64_t *domains, uint64_t *registrars);
/* The registrar identifier of `domain` in the snapshot held (copied into a),
 * TS_ENOTFOUND when the snapshot has no row for it. */
TS_WUR int store_reg_registrar(store_t *st, const char *domain, arena_t *a, const char **registrar_id);

/* Every case received before `to` and not closed before `from` (the cases
 * any statistic of [from, to) can need), in no particular order. */
TS_WUR int store_stats_cases(store_t *st, int64_t from, int64_t to, store_stats_case_cb cb, void *user);
/* The links of reports received in [from, to) to their cases, counted by
 * (origin, tier), in no particular order. */
TS_WUR int store_stats_origins(store_t *st, int64_t from, int64_t to, store_stats_origin_cb cb, void *user);
/* Actions taken in [from, to), in id order (kind, created_at, undone_at
 * filled; the rest empty). */
TS_WUR int store_stats_actions(store_t *st, int64_t from, int64_t to, store_action_cb cb, void *user);
/* Every registrar of the registration data with its number of domains, by
 * id (byte order). */
TS_WUR int store_stats_registrars(store_t *st, store_stats_registrar_cb cb, void *user);
/* Every case received in [from, to) whose domain is in the registration
 * data, with the domain's registrar and creation time; no order. */
TS_WUR int store_stats_reg_hits(store_t *st, int64_t from, int64_t to, store_stats_reg_hit_cb cb, void *user);

#endif
