/* desk.h — the response desk of ICANN's Framework for Registry Operators to
 * Respond to Security Threats: reporters, reports, cases, clocks, actions and
 * their undo, the outbox, the audit chain, privacy. The CLI and the daemon
 * are two faces on these calls: the desk never prints; it returns data and,
 * on failure, a desk_err_t saying what and where (a JSON path, a name).
 *
 * Every call that changes something runs in one store transaction and
 * appends its audit event in that transaction. */
#ifndef TS_DESK_H
#define TS_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/limits.h"
#include "desk/policy.h"
#include "store/store.h"

typedef struct desk desk_t;

#define DESK_TOKEN_TEXT 48       /* "tsk_" + 43 base64url characters + NUL */
#define DESK_MAX_CASES_PER_REPORT TS_MAX_REPORT_NAMES

/* What went wrong: the code, and a message; `path` is a JSON path ("$.urls[3]")
 * or empty; `line`/`col` locate a JSON syntax error (0 when not known). */
typedef struct desk_err {
	int code;
	char path[128];
	unsigned long line;
	unsigned long col;
	char msg[2048];
	bool bad_names;            /* a report named names outside the TLDs (HTTP 422) */
} desk_err_t;

/* Opens the desk on the database `db` under `pol` (borrowed; must outlive
 * the desk). `create`: make the database (init). `actor` names who acts in
 * the audit log ("cli:alice"). */
TS_WUR int desk_open(desk_t **d, const policy_t *pol, const char *db, bool create, const char *actor,
                     desk_err_t *err);
void desk_close(desk_t **d);
store_t *desk_store(desk_t *d);         /* for read-only listings; borrowed */
const policy_t *desk_policy(const desk_t *d);

/* ---- reporters ---- */
typedef struct desk_reporter_in {
	const char *name;
	const char *tier;          /* law_enforcement government trusted_third_party public anonymous */
	const char *jurisdiction;  /* ISO 3166 alpha-2 or NULL */
	const char *email;         /* or NULL */
	bool verified;
} desk_reporter_in_t;

/* Adds a reporter; `token` receives the bearer token, shown this once (only
 * its SHA-256 is stored). */
TS_WUR int desk_reporter_add(desk_t *d, const desk_reporter_in_t *in, int64_t *id,
                             char token[DESK_TOKEN_TEXT], desk_err_t *err);
TS_WUR int desk_reporter_disable(desk_t *d, int64_t id, desk_err_t *err);
/* The enabled reporter holding `token`; TS_EDENIED otherwise. */
TS_WUR int desk_reporter_auth(desk_t *d, const char *token, arena_t *a, store_reporter_t *out,
                              desk_err_t *err);
bool desk_tier_known(const char *tier);

/* ---- reports ---- */
typedef struct desk_receipt {
	int64_t report_id;
	int64_t case_ids[DESK_MAX_CASES_PER_REPORT];
	size_t n_cases;
	size_t n_opened;           /* cases opened (the rest were joined) */
	const char *priority;      /* static string */
	bool urgent_claim;
	int64_t received_at;
	int64_t ack_due;           /* the report's own clocks */
	int64_t response_due;
} desk_receipt_t;

/* Validates and stores one report body (JSON) from `reporter_id` (0: an
 * unauthenticated submission, whose body may carry `reporter`). `origin`:
 * "cli", "api". Nothing is stored when anything is wrong. */
TS_WUR int desk_report_submit(desk_t *d, const char *json, size_t len, int64_t reporter_id,
                              const char *origin, desk_receipt_t *out, desk_err_t *err);

/* What the submitting reporter may see of its report: the report, its cases
 * (state, priority, clocks) and the messages that answered it. `reporter_id`
 * must be the report's (TS_ENOTFOUND otherwise, as for a missing report);
 * unauthenticated reports (reporter 0) have no reader. */
typedef struct desk_report_view {
	store_report_t r;
	store_case_t *cases;
	size_t n_cases;
	store_msg_t *answers;
	size_t n_answers;
} desk_report_view_t;
TS_WUR int desk_report_show(desk_t *d, int64_t report_id, int64_t reporter_id, arena_t *a,
                            desk_report_view_t *out, desk_err_t *err);

/* ---- cases ---- */
/* The case with its reports, actions and messages, in the arena. */
typedef struct desk_case_view {
	store_case_t c;
	store_report_t *reports;
	size_t n_reports;
	store_action_t *actions;
	size_t n_actions;
	store_msg_t *msgs;
	size_t n_msgs;
	int64_t now;
} desk_case_view_t;

TS_WUR int desk_case_show(desk_t *d, int64_t id, arena_t *a, desk_case_view_t *out, desk_err_t *err);
/* Lists cases; filter->now is filled from ts_now() when filter->overdue. */
TS_WUR int desk_case_list(desk_t *d, store_case_filter_t *f, store_case_cb cb, void *user, desk_err_t *err);

TS_WUR int desk_case_ack(desk_t *d, int64_t id, const char *message, desk_err_t *err);
TS_WUR int desk_case_assess(desk_t *d, int64_t id, const char *validity, const char *registration,
                            const char *responsible, const char *note, desk_err_t *err);
TS_WUR int desk_case_close(desk_t *d, int64_t id, const char *outcome, desk_err_t *err);
TS_WUR int desk_case_reopen(desk_t *d, int64_t id, const char *reason, desk_err_t *err);

typedef struct desk_action_in {
	const char *kind;
	const char *court_order;       /* reference, or NULL */
	const char *sinkhole_ns[8];
	size_t n_sinkhole;
	const char *gaining_registrar;
	const char *reason;
	bool force;
} desk_action_in_t;

#define DESK_UNDO_TEXT 64
TS_WUR int desk_case_act(desk_t *d, int64_t id, const desk_action_in_t *in, int64_t *action_id,
                         char undo[DESK_UNDO_TEXT], desk_err_t *err);
/* Restores the domain and the case to the state recorded by the action. */
TS_WUR int desk_case_undo(desk_t *d, int64_t action_id, int64_t *case_id, desk_err_t *err);

/* The registry's view of the action's domain before the action (the
 * snapshot it recorded), strings in `a`: what the undo of its EPP command
 * restores. TS_EINTERNAL when the snapshot is unreadable, TS_ENOMEM. */
TS_WUR int desk_action_prior(const store_action_t *x, arena_t *a, store_domain_t *out);
/* Marks actions as exported (`export epp --pending` skips them afterwards)
 * at `now`, in one transaction with one audit event "export.epp". */
TS_WUR int desk_actions_exported(desk_t *d, const int64_t *ids, size_t n, int64_t now, desk_err_t *err);

/* The running clock of a case at `now`: "ack", "response" or NULL, its due
 * time, and whether it has passed (now > due). */
const char *desk_case_clock(const store_case_t *c, int64_t *due);
bool desk_case_overdue(const store_case_t *c, int64_t now);

/* ---- SLA ---- */
typedef struct desk_sla {
	int64_t now;
	uint64_t open;             /* cases not closed */
	uint64_t running;          /* cases with a running clock */
	uint64_t overdue;
	uint64_t overdue_ack;
	uint64_t overdue_response;
} desk_sla_t;
/* Counts, then calls cb for every overdue case (most urgent first). */
TS_WUR int desk_sla(desk_t *d, desk_sla_t *out, store_case_cb cb, void *user, desk_err_t *err);

/* ---- audit ---- */
typedef struct desk_audit_result {
	uint64_t events;
	int64_t first_bad;         /* 0 when the chain holds */
	char why[256];
	char head[STORE_HASH_HEX]; /* the newest event's hash */
} desk_audit_result_t;
/* TS_OK when the chain holds, TS_ECHECK naming the first broken event. */
TS_WUR int desk_audit_verify(desk_t *d, desk_audit_result_t *out, desk_err_t *err);
/* Records that personal data was shown (by whom is the actor). */
TS_WUR int desk_audit_disclosure(desk_t *d, const char *what, desk_err_t *err);

/* ---- privacy ---- */
TS_WUR int desk_privacy_purge(desk_t *d, uint64_t older_than_days, store_purge_counts_t *out,
                              desk_err_t *err);
/* "[redacted]" unless show is true. */
const char *desk_redact(const char *s, bool show);

/* ---- outbox ---- */
/* Writes every message not yet exported as DIR/NNNNNN.eml (RFC 5322),
 * atomically, and marks it exported. Personal data is redacted unless
 * `show_personal`. */
TS_WUR int desk_outbox_export(desk_t *d, const char *dir, bool show_personal, uint64_t *written,
                              desk_err_t *err);
/* The RFC 5322 text of one message (a new string the caller frees). */
TS_WUR int desk_msg_eml(const desk_t *d, const store_msg_t *m, bool show_personal, char **out);

/* ---- scan --record ---- */
/* One transaction per scan: begin, one call per finding, end. A finding
 * opens or joins the case of (domain, threat) as a report from the feed's
 * reporter (tier trusted_third_party, origin "feed:FEED", created on first
 * use); the indicators of one scan and feed on one case gather in one report. */
TS_WUR int desk_scan_begin(desk_t *d, desk_err_t *err);
TS_WUR int desk_scan_finding(desk_t *d, const char *feed, const char *domain, const char *threat,
                             const char *indicator, int64_t *case_id, bool *opened, desk_err_t *err);
/* The same for a name the zone does not hold (an unregistered DGA name, from
 * `dga check --record`): its case admits block, reserve and register, and
 * none of the actions on registered names. `source` names the origin
 * ("dga:necurs"). */
TS_WUR int desk_scan_unregistered(desk_t *d, const char *source, const char *domain, const char *threat,
                                  const char *indicator, int64_t *case_id, bool *opened, desk_err_t *err);
/* commit false: roll back everything since desk_scan_begin. */
TS_WUR int desk_scan_end(desk_t *d, bool commit, uint64_t *opened, uint64_t *joined, desk_err_t *err);

#endif
