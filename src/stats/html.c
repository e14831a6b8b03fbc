/* html.c — the statistics as one self-contained HTML page: tables and inline
 * SVG charts (svg.c), no script, no external reference, printable. */
#include <stdio.h>
#include <string.h>

#include "base/alloc.h"
#include "base/clock.h"
#include "stats/stats.h"
#include "stats/svg.h"

#define TRY(x) do { if ((ret = (x)) != TS_OK) goto out; } while (0)
#define U(x) ((unsigned long long)(x))

static const char style[] =
	"body{font-family:system-ui,sans-serif;margin:2em;color:#222;max-width:72em}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;margin-top:1.6em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:.8em 0}\n"
	"th,td{border:1px solid #bbb;padding:.25em .6em;text-align:left}\n"
	"th{background:#eee}td.num{text-align:right;font-variant-numeric:tabular-nums}\n"
	"svg.chart{display:block;margin:.8em 0;max-width:100%;height:auto}\n"
	"svg text{font-family:system-ui,sans-serif;fill:#222}\n"
	".charts{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-start}\n"
	"@media print{body{margin:0}h2{page-break-after:avoid}svg.chart,table{page-break-inside:avoid}}\n";

static int h(dbuf_t *b, const char *s)
{
	return svg_escape(b, s);
}

static int count_row(dbuf_t *b, const char *name, uint64_t n)
{
	int ret = dbuf_adds(b, "<tr><td>");
	if (ret == TS_OK)
		ret = h(b, name);
	return ret != TS_OK ? ret : dbuf_addf(b, "</td><td class=\"num\">%llu</td></tr>\n", U(n));
}

static void hours(char *buf, size_t cap, int64_t s)
{
	snprintf(buf, cap, "%.1f h", (double)s / 3600.0);
}

int stats_html(const stats_t *s, dbuf_t *b)
{
	int ret;
	char t1[TS_TIME_TEXT], t2[TS_TIME_TEXT];
	size_t nl = s->n_backlog > s->n_months ? s->n_backlog : s->n_months;
	if (nl < STATS_N_BINS)
		nl = STATS_N_BINS;
	if (nl < STATS_N_TYPES)
		nl = STATS_N_TYPES;
	if (nl < s->n_scans)
		nl = s->n_scans;
	const char **labels = ts_calloc(nl, sizeof(*labels));
	double *vals = ts_calloc(nl, sizeof(*vals));
	char (*lbuf)[24] = ts_calloc(nl, sizeof(*lbuf));
	if (labels == NULL || vals == NULL || lbuf == NULL) {
		ret = TS_ENOMEM;
		goto out;
	}
	ts_time_format(s->from, t1);
	ts_time_format(s->to, t2);
	TRY(dbuf_adds(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	              "<title>Security threat statistics</title>\n<style>\n"));
	TRY(dbuf_adds(b, style));
	TRY(dbuf_addf(b, "</style>\n</head>\n<body>\n<h1>Security threat statistics</h1>\n"
	              "<p id=\"period\">Period: %s to %s (end exclusive). Specification 11 &#167;3(b): security threats "
	              "identified and actions taken.</p>\n", t1, t2));

	/* the charts first: the page's first screen is the picture */
	TRY(dbuf_addf(b, "<h2>Threats identified</h2>\n<p>%llu cases opened in the period.</p>\n<div class=\"charts\">\n",
	              U(s->threats)));
	for (int i = 0; i < STATS_N_TYPES; i++) {
		labels[i] = stats_types[i];
		vals[i] = (double)s->by_type[i];
	}
	svg_chart_t c = { .id = "chart-types", .title = "Threats by type", .y_label = "cases", .labels = labels,
		          .values = vals, .n = STATS_N_TYPES,
		          .width = 540, .height = 270 };
	TRY(svg_bars(b, &c));
	if (s->n_months > 1) {
		for (size_t i = 0; i < s->n_months; i++) {
			labels[i] = s->months[i].label;
			vals[i] = (double)s->months[i].threats;
		}
		c = (svg_chart_t){ .id = "chart-months", .title = "Threats by month", .y_label = "cases",
			           .labels = labels, .values = vals, .n = s->n_months, .width = 540, .height = 270 };
		TRY(svg_bars(b, &c));
	}
	for (int i = 0; i < STATS_N_BINS; i++) {
		unsigned lo = i > 0 ? stats_bin_hours[i - 1] : 0;
		if (i < STATS_N_BINS - 1)
			snprintf(lbuf[i], sizeof(lbuf[i]), "%u-%u h", lo, stats_bin_hours[i]);
		else
			snprintf(lbuf[i], sizeof(lbuf[i]), "%u h+", lo);
		labels[i] = lbuf[i];
		vals[i] = (double)s->response_hist[i];
	}
	c = (svg_chart_t){ .id = "chart-response", .title = "Time to response (report to assessment)",
		           .y_label = "cases", .labels = labels, .values = vals, .n = STATS_N_BINS,
		           .width = 540, .height = 270 };
	TRY(svg_histogram(b, &c));
	/* backlog */
	for (size_t i = 0; i < s->n_backlog; i++) {
		char d[11];
		ts_date_format(s->backlog[i].at, d);
		snprintf(lbuf[i], sizeof(lbuf[i]), "%s", d);
		labels[i] = lbuf[i];
		vals[i] = (double)s->backlog[i].open;
	}
	c = (svg_chart_t){ .id = "chart-backlog", .title = "Open cases (backlog)", .y_label = "open cases",
		           .labels = labels, .values = vals, .n = s->n_backlog, .width = 540, .height = 270 };
	TRY(svg_line(b, &c));
	if (s->n_scans > 0) {
		for (size_t i = 0; i < s->n_scans; i++) {
			char d[11];
			ts_date_format(s->scans[i].at, d);
			snprintf(lbuf[i], sizeof(lbuf[i]), "%s", d);
			labels[i] = lbuf[i];
			vals[i] = (double)s->scans[i].findings;
		}
		c = (svg_chart_t){ .id = "chart-scans", .title = "Findings per recorded scan", .y_label = "findings",
			           .labels = labels, .values = vals, .n = s->n_scans, .width = 540, .height = 270 };
		TRY(svg_line(b, &c));
	}
	TRY(dbuf_adds(b, "</div>\n<table id=\"table-types\"><tr><th>type</th><th>cases</th></tr>\n"));
	for (int i = 0; i < STATS_N_TYPES; i++)
		TRY(count_row(b, stats_types[i], s->by_type[i]));
	TRY(dbuf_adds(b, "</table>\n<h2>Origin of the reports</h2>\n<table id=\"table-origins\">"
	              "<tr><th>source</th><th>report-case links</th></tr>\n"));
	for (size_t i = 0; i < s->n_feeds; i++) {
		char name[160];
		snprintf(name, sizeof(name), "scan feed %s", s->feeds[i].name);
		TRY(count_row(b, name, s->feeds[i].n));
	}
	for (int i = 0; i < STATS_N_TIERS; i++)
		TRY(count_row(b, stats_tiers[i], s->by_tier[i]));
	if (s->n_months > 1) {
		TRY(dbuf_adds(b, "</table>\n<table id=\"table-months\"><tr><th>month</th><th>threats</th>"));
		for (int k = 0; k < STATS_N_TYPES; k++)
			TRY(dbuf_addf(b, "<th>%s</th>", stats_types[k]));
		TRY(dbuf_adds(b, "<th>actions</th></tr>\n"));
		for (size_t i = 0; i < s->n_months; i++) {
			const stats_month_t *m = &s->months[i];
			TRY(dbuf_addf(b, "<tr><td>%s</td><td class=\"num\">%llu</td>", m->label, U(m->threats)));
			for (int k = 0; k < STATS_N_TYPES; k++)
				TRY(dbuf_addf(b, "<td class=\"num\">%llu</td>", U(m->by_type[k])));
			TRY(dbuf_addf(b, "<td class=\"num\">%llu</td></tr>\n", U(m->actions)));
		}
	}

	/* actions */
	TRY(dbuf_addf(b, "</table>\n<h2>Actions taken</h2>\n<p>%llu actions (%llu undone since).</p>\n"
	              "<table id=\"table-actions\"><tr><th>action</th><th>count</th></tr>\n",
	              U(s->actions), U(s->actions_undone)));
	for (int i = 0; i < STATS_N_KINDS; i++)
		TRY(count_row(b, stats_kinds[i], s->by_kind[i]));

	/* clocks */
	TRY(dbuf_adds(b, "</table>\n<h2>Acknowledgement and response times</h2>\n<table id=\"table-times\">"
	              "<tr><th>priority</th><th>clock</th><th>cases</th><th>median</th><th>90th percentile</th>"
	              "<th>within due</th></tr>\n"));
	for (int i = 0; i < STATS_N_PRIO; i++) {
		const stats_times_t *tt[2] = { &s->ack[i], &s->response[i] };
		for (int k = 0; k < 2; k++) {
			char m[32], p[32];
			hours(m, sizeof(m), tt[k]->median_s);
			hours(p, sizeof(p), tt[k]->p90_s);
			TRY(dbuf_addf(b, "<tr><td>%s</td><td>%s</td><td class=\"num\">%llu</td><td class=\"num\">%s</td>"
			              "<td class=\"num\">%s</td><td class=\"num\">%.2f%%</td></tr>\n",
			              stats_prios[i], k == 0 ? "acknowledgement" : "response", U(tt[k]->count),
			              tt[k]->count ? m : "-", tt[k]->count ? p : "-", tt[k]->within_due_pct));
		}
	}
	TRY(dbuf_adds(b, "</table>\n"));

	TRY(dbuf_addf(b, "<p id=\"backlog\">At %s: %llu open cases (high %llu, standard %llu, low %llu), "
	              "%llu overdue (%llu acknowledgement, %llu response).</p>\n", t2, U(s->open),
	              U(s->open_by_prio[0]), U(s->open_by_prio[1]), U(s->open_by_prio[2]), U(s->overdue),
	              U(s->overdue_ack), U(s->overdue_response)));

	/* zone */
	TRY(dbuf_adds(b, "<h2>Zone: DNSSEC and name servers</h2>\n"));
	if (s->n_scans == 0) {
		TRY(dbuf_adds(b, "<p>No scan was recorded in the period.</p>\n"));
	} else {
		const store_scan_t *z = &s->scans[s->n_scans - 1];
		char at[TS_TIME_TEXT];
		ts_time_format(z->at, at);
		double ad = z->delegations > 0 ? 100.0 * (double)z->ds_delegations / (double)z->delegations : 0.0;
		TRY(dbuf_adds(b, "<table id=\"table-zone\"><tr><th>last scan</th><td>"));
		TRY(h(b, z->origin));
		TRY(dbuf_addf(b, " at %s</td></tr>\n<tr><th>delegations</th><td class=\"num\">%llu</td></tr>\n"
		              "<tr><th>DNSSEC adoption (DS)</th><td class=\"num\">%.2f%%</td></tr>\n"
		              "<tr><th>single name server</th><td class=\"num\">%llu</td></tr>\n"
		              "<tr><th>in-bailiwick</th><td class=\"num\">%llu</td></tr>\n"
		              "<tr><th>distinct name-server hosts</th><td class=\"num\">%llu</td></tr>\n"
		              "<tr><th>name-server provider HHI</th><td class=\"num\">%.2f</td></tr>\n</table>\n",
		              at, U(z->delegations), ad, U(z->single_ns), U(z->in_bailiwick), U(z->distinct_ns_hosts),
		              z->ns_provider_hhi));
	}

	/* registrars */
	if (s->have_registrations) {
		double young = s->threats_matched > 0 ? 100.0 * (double)s->threats_young / (double)s->threats_matched : 0;
		TRY(dbuf_addf(b, "<h2>Registrars</h2>\n<p>%llu domains of %llu registrars in the registration data; "
		              "%llu threats on them, %.2f%% on domains younger than %d days when reported.</p>\n"
		              "<table id=\"table-registrars\"><tr><th>registrar</th><th>name</th><th>domains</th>"
		              "<th>threats</th><th>per 10,000 domains</th></tr>\n",
		              U(s->reg_domains), U(s->reg_registrars), U(s->threats_matched), young, STATS_YOUNG_DAYS));
		for (size_t i = 0; i < s->n_registrars && i < 20; i++) {
			const stats_registrar_t *r = &s->registrars[i];
			TRY(dbuf_adds(b, "<tr><td>"));
			TRY(h(b, r->id));
			TRY(dbuf_adds(b, "</td><td>"));
			TRY(h(b, r->name));
			TRY(dbuf_addf(b, "</td><td class=\"num\">%llu</td><td class=\"num\">%llu</td>"
			              "<td class=\"num\">%.2f</td></tr>\n", U(r->domains), U(r->threats), r->per_10k));
		}
		TRY(dbuf_adds(b, "</table>\n"));
	}
	TRY(dbuf_adds(b, "</body>\n</html>\n"));
out:
	ts_free(labels);
	ts_free(vals);
	ts_free(lbuf);
	return ret;
}
