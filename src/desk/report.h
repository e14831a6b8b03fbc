/* report.h — the report body (the same JSON for the CLI and the API),
 * parsed and validated strictly: unknown fields, wrong types and names
 * outside the registry's TLDs are rejected with their JSON path. */
#ifndef TS_DESK_REPORT_H
#define TS_DESK_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"
#include "base/err.h"
#include "desk/policy.h"

enum {
	REPORT_FLAG_THREAT_TO_LIFE = 1u << 0,
	REPORT_FLAG_SERIOUS_BODILY_INJURY = 1u << 1,
	REPORT_FLAG_CRITICAL_INFRASTRUCTURE = 1u << 2,
	REPORT_FLAG_CHILD_EXPLOITATION = 1u << 3,
};

typedef struct report_name {
	const char *registered;    /* the registered domain */
	const char *given;         /* as written in the report */
	const char *path;          /* "$.urls[3]" */
} report_name_t;

typedef struct report_evidence {
	const char *kind;          /* url text screenshot sample court_order other */
	const char *value;
	const char *sha256;        /* NULL when absent */
} report_evidence_t;

typedef struct report {
	report_name_t *names;      /* one per distinct registered domain, in order of appearance */
	size_t n_names;
	size_t n_given;            /* entries of domains and urls together */
	const char *threat;
	unsigned flags;
	const char *description;
	report_evidence_t *evidence;
	size_t n_evidence;
	const char *requested_action;
	bool has_court_order;
	const char *court_reference, *court_name, *court_jurisdiction;
	bool confidential;
	bool has_reporter;
	const char *reporter_name, *reporter_email, *reporter_org, *reporter_jurisdiction;
} report_t;

typedef struct report_err {
	unsigned long line, col;   /* JSON syntax errors; 0 otherwise */
	char path[128];
	char msg[1536];
	bool bad_names;            /* names outside the registry's TLDs (msg names each) */
} report_err_t;

/* Parses `len` bytes of JSON under the policy into `out`, every string in
 * the arena `a`. TS_ESYNTAX (malformed JSON, with line and column),
 * TS_EINPUT (a wrong field, with its path), TS_ENOMEM. */
TS_WUR int report_parse(const policy_t *pol, const char *json, size_t len, arena_t *a, report_t *out,
                        report_err_t *err);

/* "threat_to_life,critical_infrastructure" for a flag set, into buf. */
void report_flags_text(unsigned flags, char *buf, size_t cap);
bool report_threat_known(const char *threat);

#endif
