/* desk_int.h — what the desk's files share; private to src/desk/. */
#ifndef TS_DESK_INT_H
#define TS_DESK_INT_H

#include <stdio.h>

#include "desk/desk.h"

struct desk {
	store_t *st;
	const policy_t *pol;
	char actor[128];
	bool in_scan;              /* between desk_scan_begin and desk_scan_end */
	uint64_t scan_opened, scan_joined;
	char scan_batch[64];
};

/* jansson allocates through ts_malloc (set once, by desk_open and the report
 * parser); jansson reports some failed allocations as other errors, so a
 * per-thread flag records them: reset it, call jansson, ask. */
void desk_json_init(void);
void desk_json_reset(void);
bool desk_json_alloc_failed(void);

/* Fills err (code and message) and returns the code. */
int desk_fail(desk_err_t *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Maps a store failure: the store's message, the code kept. */
int desk_store_fail(desk_t *d, desk_err_t *err, int code, const char *doing);

/* Appends an audit event (inside the caller's transaction). `detail` is a
 * JSON object text without personal data. */
int audit_append(desk_t *d, int64_t at, int64_t case_id, const char *kind, const char *detail);

/* Priority of a report: "high", "standard" or "low" (static), and whether it
 * carries an urgent claim. */
const char *clock_priority(const char *tier, bool verified, unsigned flags, bool *urgent);
int clock_prio_rank(const char *priority);
/* Recomputes ack_due, response_due and next_due of a case from its state,
 * received_at, acked_at and priority. */
void clock_update(const policy_t *p, store_case_t *c);

/* Case states and the transition table. */
int case_transition(const store_case_t *c, const char *event, const char **to, desk_err_t *err);

/* Messages (outbox.c), inside the caller's transaction. `only_report`: send
 * to the reporter of that report only (0: every reporter of the case). */
int outbox_to_reporters(desk_t *d, arena_t *a, const store_case_t *c, const char *kind, const char *extra,
                        int64_t only_report, int64_t now);
int outbox_referral(desk_t *d, arena_t *a, const store_case_t *c, int64_t action_id, const char *reason,
                    int64_t now);

/* Reads `now` from ts_now(); on failure fills err. */
int desk_now(int64_t *now, desk_err_t *err);

/* Opens or joins the case of (domain, threat) for a stored report and
 * links it; *opened says which. Inside the caller's transaction. */
int case_open_or_join(desk_t *d, arena_t *a, const store_report_t *rep, const char *domain, bool registered,
                      int64_t *case_id, bool *opened);

#endif
