/* format.c — the report as JSON (stable keys) and as one CSV table
 * (section,key,subkey,value). Percentages and rates carry two decimals;
 * durations are whole seconds; times ISO 8601 UTC. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "stats/stats.h"

#define TRY(x) do { if ((ret = (x)) != TS_OK) return ret; } while (0)

static int add_str(dbuf_t *b, const char *s)
{
	int ret;
	TRY(dbuf_addc(b, '"'));
	TRY(dbuf_add_json_str(b, s, strlen(s)));
	return dbuf_addc(b, '"');
}

static int add_time(dbuf_t *b, int64_t t)
{
	char buf[TS_TIME_TEXT];
	ts_time_format(t, buf);
	return dbuf_addf(b, "\"%s\"", buf);
}

static int add_counts(dbuf_t *b, const char *const *names, const uint64_t *v, size_t n)
{
	int ret;
	TRY(dbuf_addc(b, '{'));
	for (size_t i = 0; i < n; i++)
		TRY(dbuf_addf(b, "%s\"%s\":%llu", i ? "," : "", names[i], (unsigned long long)v[i]));
	return dbuf_addc(b, '}');
}

static int add_times(dbuf_t *b, const stats_times_t *t)
{
	return dbuf_addf(b, "{\"count\":%llu,\"median_s\":%lld,\"p90_s\":%lld,\"within_due\":%llu,"
	                 "\"within_due_pct\":%.2f}",
	                 (unsigned long long)t->count, (long long)t->median_s, (long long)t->p90_s,
	                 (unsigned long long)t->within_due, t->within_due_pct);
}

/* The feeds list "a,b" as a JSON array. */
static int add_feed_list(dbuf_t *b, const char *feeds)
{
	int ret;
	TRY(dbuf_addc(b, '['));
	const char *p = feeds;
	bool first = true;
	while (*p != '\0') {
		const char *e = strchr(p, ',');
		size_t n = e != NULL ? (size_t)(e - p) : strlen(p);
		TRY(dbuf_addf(b, "%s\"", first ? "" : ","));
		TRY(dbuf_add_json_str(b, p, n));
		TRY(dbuf_addc(b, '"'));
		first = false;
		p += n;
		if (*p == ',')
			p++;
	}
	return dbuf_addc(b, ']');
}

static double adoption(const store_scan_t *x)
{
	return x->delegations > 0 ? 100.0 * (double)x->ds_delegations / (double)x->delegations : 0.0;
}

static int add_scan(dbuf_t *b, const store_scan_t *x)
{
	int ret;
	TRY(dbuf_adds(b, "{\"at\":"));
	TRY(add_time(b, x->at));
	TRY(dbuf_adds(b, ",\"origin\":"));
	TRY(add_str(b, x->origin));
	TRY(dbuf_adds(b, ",\"feeds\":"));
	TRY(add_feed_list(b, x->feeds));
	TRY(dbuf_addf(b, ",\"records\":%llu,\"delegations\":%llu,\"ds_delegations\":%llu,"
	              "\"dnssec_adoption_pct\":%.2f,\"single_ns_delegations\":%llu,"
	              "\"in_bailiwick_delegations\":%llu,\"distinct_ns_hosts\":%llu,\"ns_providers\":%llu,"
	              "\"ns_provider_hhi\":%.2f,\"findings\":%llu,\"domains\":%llu,\"top_ns_providers\":",
	              (unsigned long long)x->records, (unsigned long long)x->delegations,
	              (unsigned long long)x->ds_delegations, adoption(x), (unsigned long long)x->single_ns,
	              (unsigned long long)x->in_bailiwick, (unsigned long long)x->distinct_ns_hosts,
	              (unsigned long long)x->providers, x->ns_provider_hhi, (unsigned long long)x->findings,
	              (unsigned long long)x->domains));
	/* stored by scan --record as a JSON array */
	TRY(dbuf_adds(b, x->top_providers != NULL && x->top_providers[0] == '[' ? x->top_providers : "[]"));
	return dbuf_addc(b, '}');
}

int stats_json(const stats_t *s, dbuf_t *b)
{
	int ret;
	TRY(dbuf_adds(b, "{\"period\":{\"from\":"));
	TRY(add_time(b, s->from));
	TRY(dbuf_adds(b, ",\"to\":"));
	TRY(add_time(b, s->to));
	TRY(dbuf_addf(b, "},\"threats\":{\"total\":%llu,\"by_type\":", (unsigned long long)s->threats));
	TRY(add_counts(b, stats_types, s->by_type, STATS_N_TYPES));
	TRY(dbuf_adds(b, "},\"origins\":{\"scan_feeds\":{"));
	for (size_t i = 0; i < s->n_feeds; i++) {
		TRY(dbuf_adds(b, i ? "," : ""));
		TRY(add_str(b, s->feeds[i].name));
		TRY(dbuf_addf(b, ":%llu", (unsigned long long)s->feeds[i].n));
	}
	TRY(dbuf_adds(b, "},\"reports_by_tier\":"));
	TRY(add_counts(b, stats_tiers, s->by_tier, STATS_N_TIERS));
	TRY(dbuf_addf(b, "},\"actions\":{\"total\":%llu,\"undone\":%llu,\"by_kind\":", (unsigned long long)s->actions,
	              (unsigned long long)s->actions_undone));
	TRY(add_counts(b, stats_kinds, s->by_kind, STATS_N_KINDS));
	TRY(dbuf_adds(b, "},\"times\":{"));
	for (int i = 0; i < STATS_N_PRIO; i++) {
		TRY(dbuf_addf(b, "%s\"%s\":{\"ack\":", i ? "," : "", stats_prios[i]));
		TRY(add_times(b, &s->ack[i]));
		TRY(dbuf_adds(b, ",\"response\":"));
		TRY(add_times(b, &s->response[i]));
		TRY(dbuf_addc(b, '}'));
	}
	TRY(dbuf_adds(b, "},\"response_histogram\":["));
	for (int i = 0; i < STATS_N_BINS; i++) {
		unsigned lo = i > 0 ? stats_bin_hours[i - 1] : 0;
		if (i < STATS_N_BINS - 1)
			TRY(dbuf_addf(b, "%s{\"from_h\":%u,\"to_h\":%u,\"count\":%llu}", i ? "," : "", lo,
			              stats_bin_hours[i], (unsigned long long)s->response_hist[i]));
		else
			TRY(dbuf_addf(b, ",{\"from_h\":%u,\"to_h\":null,\"count\":%llu}", lo,
			              (unsigned long long)s->response_hist[i]));
	}
	TRY(dbuf_adds(b, "],\"backlog\":{\"at\":"));
	TRY(add_time(b, s->to));
	TRY(dbuf_addf(b, ",\"open\":%llu,\"by_priority\":", (unsigned long long)s->open));
	TRY(add_counts(b, stats_prios, s->open_by_prio, STATS_N_PRIO));
	TRY(dbuf_addf(b, ",\"overdue\":%llu,\"overdue_ack\":%llu,\"overdue_response\":%llu,\"series_step\":\"%s\","
	              "\"series\":[",
	              (unsigned long long)s->overdue, (unsigned long long)s->overdue_ack,
	              (unsigned long long)s->overdue_response, s->backlog_daily ? "day" : "month"));
	for (size_t i = 0; i < s->n_backlog; i++) {
		TRY(dbuf_adds(b, i ? ",{\"at\":" : "{\"at\":"));
		TRY(add_time(b, s->backlog[i].at));
		TRY(dbuf_addf(b, ",\"open\":%llu}", (unsigned long long)s->backlog[i].open));
	}
	TRY(dbuf_adds(b, "]},\"scans\":["));
	for (size_t i = 0; i < s->n_scans; i++) {
		TRY(dbuf_adds(b, i ? "," : ""));
		TRY(add_scan(b, &s->scans[i]));
	}
	TRY(dbuf_adds(b, "],\"zone\":"));
	if (s->n_scans > 0)
		TRY(add_scan(b, &s->scans[s->n_scans - 1]));
	else
		TRY(dbuf_adds(b, "null"));
	TRY(dbuf_adds(b, ",\"registrations\":"));
	if (!s->have_registrations) {
		TRY(dbuf_adds(b, "null"));
	} else {
		double young = s->threats_matched > 0 ? 100.0 * (double)s->threats_young / (double)s->threats_matched : 0;
		TRY(dbuf_addf(b, "{\"domains\":%llu,\"registrars\":%llu,\"threats_matched\":%llu,"
		              "\"threats_unmatched\":%llu,\"young_days\":%d,\"threats_young\":%llu,"
		              "\"young_share_pct\":%.2f,\"by_registrar\":[",
		              (unsigned long long)s->reg_domains, (unsigned long long)s->reg_registrars,
		              (unsigned long long)s->threats_matched,
		              (unsigned long long)(s->threats - s->threats_matched), STATS_YOUNG_DAYS,
		              (unsigned long long)s->threats_young, young));
		for (size_t i = 0; i < s->n_registrars; i++) {
			const stats_registrar_t *r = &s->registrars[i];
			TRY(dbuf_adds(b, i ? ",{\"id\":" : "{\"id\":"));
			TRY(add_str(b, r->id));
			TRY(dbuf_adds(b, ",\"name\":"));
			TRY(add_str(b, r->name));
			TRY(dbuf_addf(b, ",\"domains\":%llu,\"threats\":%llu,\"threats_per_10k\":%.2f,\"threats_young\":%llu}",
			              (unsigned long long)r->domains, (unsigned long long)r->threats, r->per_10k,
			              (unsigned long long)r->young));
		}
		TRY(dbuf_adds(b, "]}"));
	}
	TRY(dbuf_adds(b, ",\"months\":["));
	for (size_t i = 0; i < s->n_months; i++) {
		const stats_month_t *m = &s->months[i];
		TRY(dbuf_addf(b, "%s{\"month\":\"%s\",\"from\":", i ? "," : "", m->label));
		TRY(add_time(b, m->start));
		TRY(dbuf_adds(b, ",\"to\":"));
		TRY(add_time(b, m->end));
		TRY(dbuf_addf(b, ",\"threats\":%llu,\"by_type\":", (unsigned long long)m->threats));
		TRY(add_counts(b, stats_types, m->by_type, STATS_N_TYPES));
		TRY(dbuf_addf(b, ",\"actions\":%llu}", (unsigned long long)m->actions));
	}
	return dbuf_adds(b, "]}\n");
}

/* ---- CSV: section,key,subkey,value ---- */

static int csv_text(dbuf_t *b, const char *s)
{
	int ret;
	if (strpbrk(s, ",\"\r\n") == NULL)
		return dbuf_adds(b, s);
	TRY(dbuf_addc(b, '"'));
	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '"')
			TRY(dbuf_addc(b, '"'));
		TRY(dbuf_addc(b, *p));
	}
	return dbuf_addc(b, '"');
}

static int row(dbuf_t *b, const char *section, const char *key, const char *subkey, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int row(dbuf_t *b, const char *section, const char *key, const char *subkey, const char *fmt, ...)
{
	int ret;
	TRY(dbuf_adds(b, section));
	TRY(dbuf_addc(b, ','));
	TRY(csv_text(b, key));
	TRY(dbuf_addc(b, ','));
	TRY(csv_text(b, subkey));
	TRY(dbuf_addc(b, ','));
	va_list ap;
	va_start(ap, fmt);
	ret = dbuf_vaddf(b, fmt, ap);
	va_end(ap);
	return ret != TS_OK ? ret : dbuf_addc(b, '\n');
}

/* A row whose value is text (quoted when needed). */
static int row_str(dbuf_t *b, const char *section, const char *key, const char *subkey, const char *v)
{
	int ret;
	TRY(dbuf_adds(b, section));
	TRY(dbuf_addc(b, ','));
	TRY(csv_text(b, key));
	TRY(dbuf_addc(b, ','));
	TRY(csv_text(b, subkey));
	TRY(dbuf_addc(b, ','));
	TRY(csv_text(b, v));
	return dbuf_addc(b, '\n');
}

#define U(x) ((unsigned long long)(x))

static int csv_times(dbuf_t *b, const char *section, const char *prio, const stats_times_t *t)
{
	int ret;
	TRY(row(b, section, prio, "count", "%llu", U(t->count)));
	TRY(row(b, section, prio, "median_s", "%lld", (long long)t->median_s));
	TRY(row(b, section, prio, "p90_s", "%lld", (long long)t->p90_s));
	TRY(row(b, section, prio, "within_due", "%llu", U(t->within_due)));
	return row(b, section, prio, "within_due_pct", "%.2f", t->within_due_pct);
}

int stats_csv(const stats_t *s, dbuf_t *b)
{
	int ret;
	char t1[TS_TIME_TEXT], t2[TS_TIME_TEXT];
	TRY(dbuf_adds(b, "section,key,subkey,value\n"));
	ts_time_format(s->from, t1);
	ts_time_format(s->to, t2);
	TRY(row(b, "period", "from", "", "%s", t1));
	TRY(row(b, "period", "to", "", "%s", t2));
	TRY(row(b, "threats", "total", "", "%llu", U(s->threats)));
	for (int i = 0; i < STATS_N_TYPES; i++)
		TRY(row(b, "threats_by_type", stats_types[i], "", "%llu", U(s->by_type[i])));
	for (size_t i = 0; i < s->n_feeds; i++)
		TRY(row(b, "origins_scan_feed", s->feeds[i].name, "", "%llu", U(s->feeds[i].n)));
	for (int i = 0; i < STATS_N_TIERS; i++)
		TRY(row(b, "origins_reports_by_tier", stats_tiers[i], "", "%llu", U(s->by_tier[i])));
	TRY(row(b, "actions", "total", "", "%llu", U(s->actions)));
	TRY(row(b, "actions", "undone", "", "%llu", U(s->actions_undone)));
	for (int i = 0; i < STATS_N_KINDS; i++)
		TRY(row(b, "actions_by_kind", stats_kinds[i], "", "%llu", U(s->by_kind[i])));
	for (int i = 0; i < STATS_N_PRIO; i++) {
		TRY(csv_times(b, "ack_times", stats_prios[i], &s->ack[i]));
		TRY(csv_times(b, "response_times", stats_prios[i], &s->response[i]));
	}
	for (int i = 0; i < STATS_N_BINS; i++) {
		char k[32];
		unsigned lo = i > 0 ? stats_bin_hours[i - 1] : 0;
		if (i < STATS_N_BINS - 1)
			snprintf(k, sizeof(k), "%u-%uh", lo, stats_bin_hours[i]);
		else
			snprintf(k, sizeof(k), "%uh+", lo);
		TRY(row(b, "response_histogram", k, "", "%llu", U(s->response_hist[i])));
	}
	TRY(row(b, "backlog", "open", "", "%llu", U(s->open)));
	for (int i = 0; i < STATS_N_PRIO; i++)
		TRY(row(b, "backlog", "open", stats_prios[i], "%llu", U(s->open_by_prio[i])));
	TRY(row(b, "backlog", "overdue", "", "%llu", U(s->overdue)));
	TRY(row(b, "backlog", "overdue", "ack", "%llu", U(s->overdue_ack)));
	TRY(row(b, "backlog", "overdue", "response", "%llu", U(s->overdue_response)));
	for (size_t i = 0; i < s->n_backlog; i++) {
		ts_time_format(s->backlog[i].at, t1);
		TRY(row(b, "backlog_series", t1, "open", "%llu", U(s->backlog[i].open)));
	}
	for (size_t i = 0; i < s->n_scans; i++) {
		const store_scan_t *x = &s->scans[i];
		ts_time_format(x->at, t1);
		double ad = x->delegations > 0 ? 100.0 * (double)x->ds_delegations / (double)x->delegations : 0.0;
		TRY(row_str(b, "scans", t1, "origin", x->origin));
		TRY(row(b, "scans", t1, "delegations", "%llu", U(x->delegations)));
		TRY(row(b, "scans", t1, "ds_delegations", "%llu", U(x->ds_delegations)));
		TRY(row(b, "scans", t1, "dnssec_adoption_pct", "%.2f", ad));
		TRY(row(b, "scans", t1, "single_ns_delegations", "%llu", U(x->single_ns)));
		TRY(row(b, "scans", t1, "in_bailiwick_delegations", "%llu", U(x->in_bailiwick)));
		TRY(row(b, "scans", t1, "distinct_ns_hosts", "%llu", U(x->distinct_ns_hosts)));
		TRY(row(b, "scans", t1, "ns_provider_hhi", "%.2f", x->ns_provider_hhi));
		TRY(row(b, "scans", t1, "findings", "%llu", U(x->findings)));
		TRY(row(b, "scans", t1, "domains", "%llu", U(x->domains)));
	}
	if (s->have_registrations) {
		double young = s->threats_matched > 0 ? 100.0 * (double)s->threats_young / (double)s->threats_matched : 0;
		TRY(row(b, "registrations", "domains", "", "%llu", U(s->reg_domains)));
		TRY(row(b, "registrations", "registrars", "", "%llu", U(s->reg_registrars)));
		TRY(row(b, "registrations", "threats_matched", "", "%llu", U(s->threats_matched)));
		TRY(row(b, "registrations", "threats_unmatched", "", "%llu", U(s->threats - s->threats_matched)));
		TRY(row(b, "registrations", "threats_young", "", "%llu", U(s->threats_young)));
		TRY(row(b, "registrations", "young_share_pct", "", "%.2f", young));
		for (size_t i = 0; i < s->n_registrars; i++) {
			const stats_registrar_t *r = &s->registrars[i];
			TRY(row_str(b, "registrar", r->id, "name", r->name));
			TRY(row(b, "registrar", r->id, "domains", "%llu", U(r->domains)));
			TRY(row(b, "registrar", r->id, "threats", "%llu", U(r->threats)));
			TRY(row(b, "registrar", r->id, "threats_per_10k", "%.2f", r->per_10k));
			TRY(row(b, "registrar", r->id, "threats_young", "%llu", U(r->young)));
		}
	}
	for (size_t i = 0; i < s->n_months; i++) {
		const stats_month_t *m = &s->months[i];
		TRY(row(b, "months", m->label, "threats", "%llu", U(m->threats)));
		for (int k = 0; k < STATS_N_TYPES; k++)
			TRY(row(b, "months", m->label, stats_types[k], "%llu", U(m->by_type[k])));
		TRY(row(b, "months", m->label, "actions", "%llu", U(m->actions)));
	}
	return TS_OK;
}
