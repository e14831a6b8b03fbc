/* stats.h — the statistical report of Specification 11 §3(b): threats
 * identified (by type, by origin), actions taken, acknowledgement and
 * response times, the backlog, DNSSEC adoption and name-server concentration
 * from the recorded scans, and threats per registrar from imported
 * registration data. Everything is read through store.h; the module never
 * writes to the database except in stats_registrations_import.
 *
 * Time semantics (docs/internals/stats.md): the period is [from, to). A
 * threat is identified when its case was received; an action counts at its
 * time; ack and response times count for cases acknowledged or assessed in
 * the period; the backlog and the overdue count are evaluated at `to`. */
#ifndef TS_STATS_H
#define TS_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/err.h"
#include "store/store.h"

#define STATS_N_TYPES 7     /* phishing malware botnet pharming spam dga other */
#define STATS_N_TIERS 5     /* law_enforcement government trusted_third_party public anonymous */
#define STATS_N_KINDS 10    /* refer-registrar suspend lock redirect transfer delete no-action block reserve register */
#define STATS_N_PRIO 3      /* high standard low */
#define STATS_N_BINS 8      /* time-to-response histogram bins */
#define STATS_YOUNG_DAYS 30
#define STATS_MAX_MONTHS 1200u   /* a period of at most 100 years */

extern const char *const stats_types[STATS_N_TYPES];
extern const char *const stats_tiers[STATS_N_TIERS];
extern const char *const stats_kinds[STATS_N_KINDS];
extern const char *const stats_prios[STATS_N_PRIO];
/* Upper edges of the histogram bins in hours (the last bin is open). */
extern const unsigned stats_bin_hours[STATS_N_BINS - 1];

typedef struct stats_times {
	uint64_t count;
	int64_t median_s;          /* nearest-rank percentiles, seconds */
	int64_t p90_s;
	uint64_t within_due;
	double within_due_pct;     /* 0 when count is 0 */
} stats_times_t;

typedef struct stats_month {
	int64_t start;             /* clipped to the period */
	int64_t end;
	char label[8];             /* "YYYY-MM" */
	uint64_t threats;
	uint64_t by_type[STATS_N_TYPES];
	uint64_t actions;
} stats_month_t;

typedef struct stats_point {
	int64_t at;
	uint64_t open;
} stats_point_t;

typedef struct stats_feed {
	const char *name;          /* the feed's name ("openphish", "dga:necurs") */
	uint64_t n;
} stats_feed_t;

typedef struct stats_registrar {
	const char *id;
	const char *name;
	uint64_t domains;
	uint64_t threats;
	uint64_t young;
	double per_10k;
} stats_registrar_t;

typedef struct stats {
	int64_t from, to;
	uint64_t threats;
	uint64_t by_type[STATS_N_TYPES];
	/* origins: report-to-case links of reports received in the period */
	stats_feed_t *feeds;
	size_t n_feeds;
	uint64_t by_tier[STATS_N_TIERS];
	/* actions */
	uint64_t actions;
	uint64_t actions_undone;
	uint64_t by_kind[STATS_N_KINDS];
	/* clocks */
	stats_times_t ack[STATS_N_PRIO];
	stats_times_t response[STATS_N_PRIO];
	uint64_t response_hist[STATS_N_BINS];
	/* backlog at `to` */
	uint64_t open;
	uint64_t open_by_prio[STATS_N_PRIO];
	uint64_t overdue;
	uint64_t overdue_ack;
	uint64_t overdue_response;
	stats_point_t *backlog;    /* from, each day (or month) start inside, to */
	size_t n_backlog;
	bool backlog_daily;
	/* recorded scans in the period, oldest first */
	store_scan_t *scans;
	size_t n_scans;
	/* registration data */
	bool have_registrations;
	uint64_t reg_domains;
	uint64_t reg_registrars;
	uint64_t threats_matched;  /* threats on domains of the registration data */
	uint64_t threats_young;
	stats_registrar_t *registrars;  /* highest rate first */
	size_t n_registrars;
	/* per month, when the period spans more than one calendar month */
	stats_month_t *months;
	size_t n_months;
	struct arena *arena;       /* own the strings and arrays above */
	struct arena *arena2;
} stats_t;

/* Computes the report of [from, to) (from < to). *out is new; stats_free it. */
TS_WUR int stats_compute(store_t *st, int64_t from, int64_t to, stats_t **out);
void stats_free(stats_t **s);

/* The JSON document (keys documented in docs/internals/stats.md), with a
 * final newline. */
TS_WUR int stats_json(const stats_t *s, dbuf_t *out);
/* One CSV table: section,key,subkey,value (docs/internals/stats.md). */
TS_WUR int stats_csv(const stats_t *s, dbuf_t *out);
/* One self-contained HTML page with inline SVG charts (html.c). */
TS_WUR int stats_html(const stats_t *s, dbuf_t *out);

/* ---- registration data ---- */
typedef struct stats_import {
	uint64_t rows;             /* rows stored */
	uint64_t domains;          /* distinct domains held after the import */
	uint64_t registrars;
} stats_import_t;

/* Streams FILE.csv (header `domain,registrar_id,registrar_name,created`,
 * any column order, plain or gzip, "-" for stdin) into the store as the new
 * registration snapshot, in one transaction. A bad row stops the import
 * (logged as FILE:LINE:COL) and nothing changes. */
TS_WUR int stats_registrations_import(store_t *st, const char *path, stats_import_t *out);

#endif
