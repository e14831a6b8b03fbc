/* policy.h — the registry's policy from tldsec.conf (INI). One table of
 * options drives the parser, the help text and the man page section (a test
 * checks docs/tldsec.conf.5 and tldsec.conf.example against it). */
#ifndef TS_DESK_POLICY_H
#define TS_DESK_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"

#define POLICY_MAX_NAMES 64      /* TLDs, second levels */
#define POLICY_NAME_TEXT 254     /* a name in presentation form and its NUL */
#define POLICY_TEXT 256

typedef struct policy_names {
	char v[POLICY_MAX_NAMES][POLICY_NAME_TEXT];
	size_t n;
} policy_names_t;

typedef struct policy {
	char registry_name[POLICY_TEXT];
	char abuse_email[POLICY_TEXT];
	policy_names_t tlds;            /* lower case, no trailing dot */
	policy_names_t second_levels;   /* registry-operated second levels: co.example */
	uint64_t ack_hours;
	uint64_t response_hours_high;
	uint64_t response_hours_standard;
	uint64_t response_hours_low;
	policy_names_t court_order_required;  /* action names */
	bool allow_anonymous;
	uint64_t max_names_per_report;
	uint64_t retain_personal_data_days;
	uint64_t busy_timeout_ms;
} policy_t;

typedef enum policy_type { POLICY_STR, POLICY_NAMES, POLICY_ACTIONS, POLICY_UINT, POLICY_BOOL } policy_type_t;

/* One row of the options table. */
typedef struct policy_option {
	const char *section;
	const char *name;
	policy_type_t type;
	size_t offset;             /* of the field in policy_t */
	uint64_t min, max;         /* POLICY_UINT bounds */
	const char *def;           /* the default, as written in the file */
	const char *unit;          /* "hours", "days", "ms" or NULL */
	const char *help;
} policy_option_t;

/* The table (borrowed, static) and its length. */
const policy_option_t *policy_options(size_t *n);

/* Error details of a policy file: line 0 when not about a line. */
typedef struct policy_err {
	unsigned long line;
	char msg[512];
} policy_err_t;

/* Fills every field with its default. */
void policy_defaults(policy_t *p);
/* Defaults, then the file `path`. Unknown sections and keys, values of the
 * wrong type or out of bounds: TS_EINPUT with the line in err. A missing
 * file: TS_EINPUT (line 0). */
TS_WUR int policy_load(policy_t *p, const char *path, policy_err_t *err);
/* Same from a string (tests). */
TS_WUR int policy_load_string(policy_t *p, const char *text, policy_err_t *err);

/* True when `action` needs a court order under the policy. */
bool policy_needs_court_order(const policy_t *p, const char *action);
/* The response clock of a priority ("high", "standard", "low"), in hours. */
uint64_t policy_response_hours(const policy_t *p, const char *priority);

/* Appends the options as help text ("[section] name = default  help"). */
TS_WUR int policy_help(dbuf_t *out);

#endif
