/* test_risk.c — NIST scales and tables (every cell of G-5 and I-2 against
 * domain.md), worksheets, assess, merge suppression, taxonomy, ecosystem map. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "unit.h"

#include "base/alloc.h"
#include "base/input.h"
#include "base/log.h"
#include "risk/assess.h"
#include "risk/ecomap.h"
#include "risk/merge.h"
#include "risk/nist.h"
#include "risk/taxonomy.h"
#include "risk/worksheet.h"

/* ---- captured log messages -------------------------------------------------- */

static char logbuf[8192];
static size_t loglen;

static void capture(void *user, ts_log_level_t level, const char *file, unsigned long line,
                    unsigned long col, const char *msg)
{
	(void)user;
	int n = snprintf(logbuf + loglen, sizeof(logbuf) - loglen, "%s %s:%lu:%lu: %s\n",
	                 level == TS_LOG_ERR ? "E" : level == TS_LOG_WARN ? "W" : "I",
	                 file != NULL ? file : "-", line, col, msg);
	if (n > 0 && (size_t)n < sizeof(logbuf) - loglen)
		loglen += (size_t)n;
}

static int setup_log(void **state)
{
	(void)state;
	loglen = 0;
	logbuf[0] = '\0';
	ts_log_set(capture, NULL, TS_LOG_DEBUG);
	return 0;
}

static int teardown_log(void **state)
{
	(void)state;
	ts_log_set(NULL, NULL, TS_LOG_WARN);
	return 0;
}

/* ---- the tables, cell by cell, as printed in domain.md -------------------------- */

/* Rows from very high down, columns from very low up: the layout of domain.md. */
static const char *const g5_text[5] = {
	"VH:  L  M  H  VH VH",
	"H:   L  M  M  H  VH",
	"M:   L  L  M  M  H",
	"L:   VL L  L  M  M",
	"VL:  VL VL L  L  L",
};
static const char *const i2_text[5] = {
	"VH:  VL L  M  H  VH",
	"H:   VL L  M  H  VH",
	"M:   VL L  M  M  H",
	"L:   VL L  L  L  M",
	"VL:  VL VL VL L  L",
};

/* Splits a printed row at spaces and the colon into at most `max` words. */
static size_t words(const char *text, char out[][8], size_t max)
{
	size_t n = 0, len = 0;
	for (const char *p = text;; p++) {
		if (*p == ' ' || *p == ':' || *p == '\0') {
			if (len > 0) {
				assert_true(n < max);
				out[n++][len] = '\0';
				len = 0;
			}
			if (*p == '\0')
				return n;
			continue;
		}
		assert_true(len < 7);
		out[n][len++] = *p;
	}
}

/* Parses one printed row into its label and five cells. */
static void parse_printed(const char *text, risk_level_t *row, risk_level_t cells[5])
{
	char w[6][8];
	assert_int_equal(words(text, w, 6), 6);
	assert_int_equal(risk_level_parse(w[0], strlen(w[0]), row), TS_OK);
	for (int i = 0; i < 5; i++)
		assert_int_equal(risk_level_parse(w[i + 1], strlen(w[i + 1]), &cells[i]), TS_OK);
}

static void test_g5_every_cell(void **state)
{
	(void)state;
	int checked = 0;
	for (int r = 0; r < 5; r++) {
		risk_level_t row, cells[5];
		parse_printed(g5_text[r], &row, cells);
		assert_int_equal(row, RISK_VH - r);
		for (int c = 0; c < 5; c++) {
			assert_int_equal(risk_g5(row, (risk_level_t)c), cells[c]);
			checked++;
		}
	}
	assert_int_equal(checked, 25);
	/* a few cells spelled out, so a wrong transcription above cannot hide */
	assert_int_equal(risk_g5(RISK_VH, RISK_VL), RISK_L);
	assert_int_equal(risk_g5(RISK_H, RISK_H), RISK_H);
	assert_int_equal(risk_g5(RISK_L, RISK_VL), RISK_VL);
	assert_int_equal(risk_g5(RISK_VL, RISK_M), RISK_L);
}

static void test_i2_every_cell(void **state)
{
	(void)state;
	int checked = 0;
	for (int r = 0; r < 5; r++) {
		risk_level_t row, cells[5];
		parse_printed(i2_text[r], &row, cells);
		assert_int_equal(row, RISK_VH - r);
		for (int c = 0; c < 5; c++) {
			assert_int_equal(risk_i2(row, (risk_level_t)c), cells[c]);
			checked++;
		}
	}
	assert_int_equal(checked, 25);
	/* the cells that public copies get wrong */
	for (int l = 0; l < 5; l++)
		assert_int_equal(risk_i2((risk_level_t)l, RISK_VL), RISK_VL);
	assert_int_equal(risk_i2(RISK_VL, RISK_M), RISK_VL);
	assert_int_equal(risk_i2(RISK_L, RISK_VH), RISK_M);
	assert_int_equal(risk_i2(RISK_M, RISK_H), RISK_M);
}

static void test_tables_monotone_and_g5_symmetric(void **state)
{
	(void)state;
	for (int a = 0; a < 5; a++) {
		for (int b = 0; b < 5; b++) {
			risk_level_t la = (risk_level_t)a, lb = (risk_level_t)b;
			assert_int_equal(risk_g5(la, lb), risk_g5(lb, la));
			if (a < 4) {
				assert_true(risk_g5((risk_level_t)(a + 1), lb) >= risk_g5(la, lb));
				assert_true(risk_i2((risk_level_t)(a + 1), lb) >= risk_i2(la, lb));
			}
			if (b < 4) {
				assert_true(risk_g5(la, (risk_level_t)(b + 1)) >= risk_g5(la, lb));
				assert_true(risk_i2(la, (risk_level_t)(b + 1)) >= risk_i2(la, lb));
			}
		}
	}
	/* I-2 is not symmetric */
	assert_int_not_equal(risk_i2(RISK_VH, RISK_VL), risk_i2(RISK_VL, RISK_VH));
}

static void test_scale(void **state)
{
	(void)state;
	static const struct { const char *in; int want; } cases[] = {
		{ "very low", RISK_VL }, { "Very High", RISK_VH }, { " moderate ", RISK_M },
		{ "very-low", RISK_VL }, { "VERY_HIGH", RISK_VH }, { "high", RISK_H }, { "Low", RISK_L },
		{ "VL", RISK_VL }, { "vh", RISK_VH }, { "m", RISK_M },
		{ "0", RISK_VL }, { "4", RISK_VL }, { "4.9", RISK_VL }, { "5", RISK_L }, { "20", RISK_L },
		{ "20.5", RISK_L }, { "21", RISK_M }, { "79", RISK_M }, { "79.9", RISK_M }, { "80", RISK_H },
		{ "95", RISK_H }, { "95.5", RISK_H }, { "96", RISK_VH }, { "100", RISK_VH },
		{ "100.1", -1 }, { "-1", -1 }, { "", -1 }, { "medium", -1 }, { "very", -1 },
		{ "very very high", -1 }, { "1e3", -1 }, { "nan", -1 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		risk_level_t l;
		int ret = risk_level_parse(cases[i].in, strlen(cases[i].in), &l);
		if (cases[i].want < 0) {
			assert_int_not_equal(ret, TS_OK);
		} else {
			assert_int_equal(ret, TS_OK);
			assert_int_equal(l, cases[i].want);
		}
	}
	assert_string_equal(risk_level_name(RISK_VH), "very high");
	assert_string_equal(risk_level_name(RISK_M), "moderate");
	assert_int_equal(risk_level_score10(RISK_VL), 0);
	assert_int_equal(risk_level_score10(RISK_L), 2);
	assert_int_equal(risk_level_score10(RISK_M), 5);
	assert_int_equal(risk_level_score10(RISK_H), 8);
	assert_int_equal(risk_level_score10(RISK_VH), 10);
	risk_source_type_t st;
	assert_int_equal(risk_source_type_parse("Adversarial", 11, &st), TS_OK);
	assert_int_equal(st, RISK_SRC_ADVERSARIAL);
	assert_int_not_equal(risk_source_type_parse("hostile", 7, &st), TS_OK);
}

/* ---- worksheets ------------------------------------------------------------------ */

static int read_text(const char *text, unsigned flags, const risk_taxonomy_t *tax, risk_ws_t **ws)
{
	ts_input_t *in = NULL;
	assert_int_equal(ts_input_open_mem(&in, "ws.csv", text, strlen(text)), TS_OK);
	int ret = risk_ws_read(ws, in, flags, tax);
	ts_input_close(&in);
	return ret;
}

static void test_worksheet_any_order_and_unknown_columns(void **state)
{
	(void)state;
	const char *text =
		"# comment\n"
		"impact,notes,threat_event,id,impact_likelihood,initiation_likelihood\n"
		"very high,\"quoted, with comma\",authoritative-ddos,R2,moderate,85\n"
		"low, spaces ,phishing,R1,VH,very low\n";
	risk_ws_t *ws = NULL;
	assert_int_equal(read_text(text, RISK_WS_NEED_QUAL, NULL, &ws), TS_OK);
	assert_int_equal(ws->nrows, 2);
	assert_int_equal(ws->ncols, 6);
	assert_string_equal(ws->cols[1], "notes");
	assert_int_equal(ws->idx[RISK_COL_ID], 3);
	assert_string_equal(ws->rows[0].id, "R2");
	assert_string_equal(ws->rows[0].cells[1], "quoted, with comma");
	assert_string_equal(ws->rows[1].cells[1], "spaces");
	assert_int_equal(ws->rows[0].init_lik, RISK_H);
	assert_int_equal(ws->rows[0].impact_lik, RISK_M);
	assert_int_equal(ws->rows[0].impact, RISK_VH);
	assert_int_equal(ws->rows[1].line, 4);
	risk_ws_free(&ws);
	assert_null(ws);
}

static void test_worksheet_errors_name_line_and_column(void **state)
{
	(void)state;
	static const struct { const char *text; const char *want; } cases[] = {
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		  "R1,phishing,high,sometimes,low\n", "ws.csv:2:18: impact_likelihood: 'sometimes'" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		  "R1,phishing,high,low,\n", "ws.csv:2:22: impact is empty" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		  "R1,phishing,high,low,low,extra\n", "ws.csv:2:26: more fields than the header" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood\n"
		  "R1,phishing,high,low\n", "ws.csv:1:1: missing column 'impact'" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		  "R1,phishing,high,low,low\n"
		  "R1,pharming,high,low,low\n", "ws.csv:3:1: duplicate id 'R1' (first on line 2)" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		  "R1,\"phishing,high,low,low\n", "ws.csv:2:4: unterminated quoted field" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,tef_min,tef_mode,tef_max,vuln,loss_min,loss_mode,loss_max\n"
		  "R1,phishing,high,low,low,1,5,3,0.5,1,2,3\n", "ws.csv:2:28: tef_mode must lie between" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,tef_min,tef_mode,tef_max,vuln,loss_min,loss_mode,loss_max\n"
		  "R1,phishing,high,low,low,1,2,3,1.5,1,2,3\n", "ws.csv:2:32: vuln: '1.5' is not a number from 0 to 1" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,source_type\n"
		  "R1,phishing,high,low,low,hostile\n", "ws.csv:2:26: source_type: 'hostile'" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,id\n"
		  "R1,phishing,high,low,low,R2\n", "ws.csv:1:64: duplicate column 'id'" },
		{ "", "ws.csv:1:1: the worksheet is empty" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,risk,tef_min,tef_mode,tef_max\n"
		  "R1,phishing,high,low,low,stale,1,2,3\n", "ws.csv:2:1: column 'loss_min' is missing" },
		{ "id,threat_event,initiation_likelihood,impact_likelihood,impact,tef_min,tef_mode,tef_max,loss_min,loss_mode,loss_max\n"
		  "R1,phishing,high,low,low,1,2,3,1,2,3\n", "ws.csv:2:1: vuln (or vuln_min, vuln_mode, vuln_max) is missing" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		loglen = 0;
		logbuf[0] = '\0';
		risk_ws_t *ws = NULL;
		assert_int_equal(read_text(cases[i].text, RISK_WS_NEED_QUAL, NULL, &ws), TS_EINPUT);
		assert_null(ws);
		if (strstr(logbuf, cases[i].want) == NULL)
			fail_msg("case %zu: wanted '%s' in:\n%s", i, cases[i].want, logbuf);
	}
}

static void test_worksheet_taxonomy_warning(void **state)
{
	(void)state;
	risk_taxonomy_t *tax = NULL;
	assert_int_equal(risk_taxonomy_load(&tax), TS_OK);
	const char *text = "id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
	                   "R1,Phishing using names in the TLD,high,low,low\n"
	                   "R2,alien invasion,low,low,low\n";
	risk_ws_t *ws = NULL;
	assert_int_equal(read_text(text, RISK_WS_NEED_QUAL, tax, &ws), TS_OK);
	assert_non_null(strstr(logbuf, "W ws.csv:3:4: threat event 'alien invasion' is not in the taxonomy"));
	assert_null(strstr(logbuf, "ws.csv:2:"));
	risk_ws_free(&ws);
	risk_taxonomy_free(&tax);
}

static void test_worksheet_out_of_memory(void **state)
{
	(void)state;
	const char *text = "id,threat_event,initiation_likelihood,impact_likelihood,impact,x\n"
	                   "R1,phishing,high,low,low,1\nR2,pharming,low,low,high,2\n";
	ts_log_set(capture, NULL, TS_LOG_ERR);
	for (unsigned long n = 1; n < 200; n++) {
		ts_input_t *in = NULL;
		assert_int_equal(ts_input_open_mem(&in, "ws.csv", text, strlen(text)), TS_OK);
		risk_ws_t *ws = NULL;
		ts_alloc_fail_at(n);
		int ret = risk_ws_read(&ws, in, RISK_WS_NEED_QUAL, NULL);
		unsigned long made = ts_alloc_fail_at(0);
		ts_input_close(&in);
		if (ret == TS_OK) {
			assert_int_equal(ws->nrows, 2);
			risk_ws_free(&ws);
			assert_true(made < n);
			return;
		}
		assert_int_equal(ret, TS_ENOMEM);
		assert_null(ws);
	}
	fail_msg("the reader never succeeded");
}

/* ---- assess: the example's story, checked by hand ----------------------------------- */

static void test_assess_by_hand(void **state)
{
	(void)state;
	const char *text =
		"id,threat_event,initiation_likelihood,impact_likelihood,impact\n"
		"R1,account-credential-compromise,high,high,high\n"        /* G5 H,H=H; I2 H,H=H */
		"R2,authoritative-ddos,high,moderate,very high\n"          /* M; I2 M,VH=H */
		"R3,dnssec-key-loss,low,very high,very high\n"             /* M; H */
		"R5,registry-system-outage,moderate,high,moderate\n"       /* M; M */
		"R6,botnet-using-tld,98,high,moderate\n"                   /* VH; M */
		"R7,facility-disaster,very low,moderate,high\n";           /* L; L */
	risk_ws_t *ws = NULL;
	risk_assessment_t *a = NULL;
	assert_int_equal(read_text(text, RISK_WS_NEED_QUAL, NULL, &ws), TS_OK);
	assert_int_equal(risk_assess(ws, &a), TS_OK);
	static const struct { const char *id; risk_level_t lik, risk; } want[] = {
		{ "R1", RISK_H, RISK_H }, { "R2", RISK_M, RISK_H }, { "R3", RISK_M, RISK_H },
		{ "R6", RISK_VH, RISK_M }, { "R5", RISK_M, RISK_M }, { "R7", RISK_L, RISK_L },
	};
	assert_int_equal(a->n, 6);
	for (size_t i = 0; i < 6; i++) {
		assert_string_equal(a->rows[i].row->id, want[i].id);
		assert_int_equal(a->rows[i].likelihood, want[i].lik);
		assert_int_equal(a->rows[i].risk, want[i].risk);
	}
	assert_int_equal(a->heat[RISK_M][RISK_VH], 2);
	assert_int_equal(a->heat[RISK_VH][RISK_M], 1);
	assert_int_equal(a->heat[RISK_VL][RISK_VL], 0);

	rout_t o;
	rout_init(&o);
	risk_assess_render_json(a, &o);
	assert_int_equal(o.err, TS_OK);
	assert_non_null(strstr(dbuf_str(&o.b), "{\"id\":\"R1\",\"threat_event\":\"account-credential-compromise\","
	                       "\"initiation_likelihood\":\"high\",\"impact_likelihood\":\"high\",\"impact\":\"high\","
	                       "\"overall_likelihood\":\"high\",\"risk\":\"high\",\"likelihood_score\":8,"
	                       "\"impact_score\":8,\"risk_score\":8}"));
	rout_free(&o);
	risk_assessment_free(&a);
	risk_ws_free(&ws);
}

static void test_assess_html_escapes(void **state)
{
	(void)state;
	const char *text = "id,threat_event,initiation_likelihood,impact_likelihood,impact,controls\n"
	                   "\"<script>\",\"a&b\",high,high,high,\"<img src=x onerror=alert(1)>\"\n";
	risk_ws_t *ws = NULL;
	risk_assessment_t *a = NULL;
	assert_int_equal(read_text(text, RISK_WS_NEED_QUAL, NULL, &ws), TS_OK);
	assert_int_equal(risk_assess(ws, &a), TS_OK);
	rout_t o;
	rout_init(&o);
	risk_assess_render_html(a, &o);
	const char *html = dbuf_str(&o.b);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "<img"));
	assert_non_null(strstr(html, "&lt;script&gt;"));
	assert_non_null(strstr(html, "a&amp;b"));
	assert_non_null(strstr(html, "<svg"));
	rout_free(&o);
	risk_assessment_free(&a);
	risk_ws_free(&ws);
}

/* ---- merge ---------------------------------------------------------------------------- */

static void add_ws(risk_merge_t *m, const char *name, const char *text)
{
	ts_input_t *in = NULL;
	risk_ws_t *ws = NULL;
	assert_int_equal(ts_input_open_mem(&in, name, text, strlen(text)), TS_OK);
	assert_int_equal(risk_ws_read(&ws, in, RISK_WS_NEED_QUAL, NULL), TS_OK);
	assert_int_equal(risk_merge_add(m, ws), TS_OK);
	risk_ws_free(&ws);
	ts_input_close(&in);
}

static void test_merge_suppression(void **state)
{
	(void)state;
	risk_taxonomy_t *tax = NULL;
	risk_merge_t *m = NULL;
	assert_int_equal(risk_taxonomy_load(&tax), TS_OK);
	assert_int_equal(risk_merge_new(&m, tax, 3), TS_OK);
	const char *h = "id,threat_event,initiation_likelihood,impact_likelihood,impact\n";
	char a[512], b[512], c[512];
	snprintf(a, sizeof(a), "%sA1,authoritative-ddos,high,moderate,very high\n"
	         "A2,secret-weakness-of-a,very high,very high,very high\n"
	         "A3,Phishing using names in the TLD,high,high,moderate\n", h);
	snprintf(b, sizeof(b), "%sB1,Authoritative-DDoS,moderate,moderate,high\n"
	         "B2,phishing,high,high,low\n"
	         "B3,phishing,very high,very high,high\n", h);  /* B counts once for phishing: its worst row */
	snprintf(c, sizeof(c), "%sC1,authoritative-ddos,low,low,moderate\n"
	         "C2,phishing,low,moderate,moderate\n"
	         "C3,pharming,low,low,low\n", h);
	add_ws(m, "a.csv", a);
	add_ws(m, "b.csv", b);
	add_ws(m, "c.csv", c);
	assert_int_equal(risk_merge_finish(m), TS_OK);
	assert_int_equal(risk_merge_participants(m), 3);
	assert_int_equal(risk_merge_count(m), 2);
	assert_int_equal(risk_merge_suppressed(m), 2);
	/* ddos: risks H (A: G5 H,M=M; I2 M,VH=H), M (B: M; I2 M,H=M), L (C: L; I2 L,M=L) */
	const risk_merged_event_t *e = NULL;
	for (size_t i = 0; i < risk_merge_count(m); i++)
		if (strcmp(risk_merge_get(m, i)->event, "authoritative-ddos") == 0)
			e = risk_merge_get(m, i);
	assert_non_null(e);
	assert_int_equal(e->participants, 3);
	assert_int_equal(e->risk.median, RISK_M);
	assert_int_equal(e->risk.q1, RISK_L);
	assert_int_equal(e->risk.q3, RISK_H);
	/* no output format names the suppressed events */
	rout_t o;
	void (*render[3])(const risk_merge_t *, rout_t *) = {
		risk_merge_render_table, risk_merge_render_json, risk_merge_render_csv
	};
	for (int f = 0; f < 3; f++) {
		rout_init(&o);
		render[f](m, &o);
		assert_int_equal(o.err, TS_OK);
		const char *s = dbuf_str(&o.b);
		assert_null(strstr(s, "secret"));
		assert_null(strstr(s, "pharming"));
		assert_non_null(strstr(s, "phishing"));
		assert_non_null(strstr(s, "authoritative-ddos"));
		rout_free(&o);
	}
	risk_merge_free(&m);

	/* with K = 4 everything is suppressed */
	assert_int_equal(risk_merge_new(&m, tax, 4), TS_OK);
	add_ws(m, "a.csv", a);
	add_ws(m, "b.csv", b);
	add_ws(m, "c.csv", c);
	assert_int_equal(risk_merge_finish(m), TS_OK);
	assert_int_equal(risk_merge_count(m), 0);
	assert_int_equal(risk_merge_suppressed(m), 4);
	risk_merge_free(&m);
	risk_taxonomy_free(&tax);
}

static void test_merge_participant_column(void **state)
{
	(void)state;
	risk_merge_t *m = NULL;
	assert_int_equal(risk_merge_new(&m, NULL, 2), TS_OK);
	/* one file from an association with two members; a second file from one
	 * of them again: three rows, two participants */
	add_ws(m, "assoc.csv", "id,participant,threat_event,initiation_likelihood,impact_likelihood,impact\n"
	       "1,op-x,zone data corruption,low,low,high\n2,op-y,zone  Data corruption,high,high,high\n");
	add_ws(m, "x.csv", "id,participant,threat_event,initiation_likelihood,impact_likelihood,impact\n"
	       "1,op-x,zone data corruption,moderate,low,high\n");
	add_ws(m, "y.csv", "id,participant,threat_event,initiation_likelihood,impact_likelihood,impact\n"
	       "1,op-y,\"=HYPERLINK(\"\"x\"\")\",high,low,low\n2,op-x,\"=hyperlink(\"\"x\"\")\",high,low,low\n");
	assert_int_equal(risk_merge_finish(m), TS_OK);
	assert_int_equal(risk_merge_participants(m), 2);
	assert_int_equal(risk_merge_count(m), 2);
	assert_string_equal(risk_merge_get(m, 1)->event, "zone data corruption");
	assert_int_equal(risk_merge_get(m, 1)->participants, 2);
	rout_t o;
	rout_init(&o);
	risk_merge_render_csv(m, &o);
	assert_non_null(strstr(dbuf_str(&o.b), "\r\n\"'=hyperlink(\"\"x\"\")\",2,"));
	rout_free(&o);
	risk_merge_free(&m);
}

/* ---- taxonomy ----------------------------------------------------------------------- */

static void test_taxonomy(void **state)
{
	(void)state;
	risk_taxonomy_t *tax = NULL;
	assert_int_equal(risk_taxonomy_load(&tax), TS_OK);
	size_t kinds[3] = { 0, 0, 0 };
	for (size_t i = 0; i < risk_taxonomy_count(tax); i++) {
		const risk_tax_entry_t *e = risk_taxonomy_get(tax, i);
		assert_true(strlen(e->provenance) > 3);
		kinds[e->kind]++;
	}
	assert_true(kinds[RISK_TAX_THREAT] >= 20);
	assert_true(kinds[RISK_TAX_VULNERABILITY] >= 9);
	assert_true(kinds[RISK_TAX_IMPACT] >= 5);
	/* domain.md's DSSA material and RFC 3833 classes are there */
	assert_non_null(risk_taxonomy_find_threat(tax, "wildcards"));
	assert_non_null(risk_taxonomy_find_threat(tax, "  NAME-CHAINING "));
	assert_non_null(risk_taxonomy_find_threat(tax, "Gaining control of registrar or registrant account credentials"));
	assert_null(risk_taxonomy_find_threat(tax, "homogeneity"));  /* a vulnerability, not a threat */
	assert_null(risk_taxonomy_find_threat(tax, "alien invasion"));
	risk_taxonomy_free(&tax);

	const char *bad = "id\tkind\tname\tprovenance\nx\tthreat\tX\tRFC 1\nx\tthreat\tY\tRFC 2\n";
	assert_int_equal(risk_taxonomy_parse(&tax, "t.tsv", bad, strlen(bad)), TS_EINTERNAL);
	assert_non_null(strstr(logbuf, "t.tsv:3:1: taxonomy: duplicate id 'x'"));
	const char *bad2 = "y\tthreat\tY\n";
	assert_int_equal(risk_taxonomy_parse(&tax, "t.tsv", bad2, strlen(bad2)), TS_EINTERNAL);
	assert_null(tax);
}

/* ---- ecosystem map -------------------------------------------------------------------- */

static void test_ecomap(void **state)
{
	(void)state;
	const char *text =
		"organization,org_type,function,layer,scope,basis,note\n"
		"Registry A,registry,Incident response,edge,internal,self,\n"
		"Registry A,registry,incident-response,edge,internal,desk,\n"
		"Registry A,registry,event monitoring,edge,internal,self,claims 24x7 NOC\n"
		"Registry A,registry,training,glue,external,desk,found a course\n"
		"CERT B,cert,coordination and sharing,glue,external,self,\n"
		"R1,registrar,frontline mitigation,edge,internal,desk,\n"
		"R2,registrar,frontline mitigation,edge,internal,desk,\n"
		"R3,registrar,Frontline Mitigation,edge,external,desk,\n"
		"R4,registrar,frontline mitigation,edge,internal,self,\n";
	ts_input_t *in = NULL;
	eco_map_t *m = NULL;
	assert_int_equal(ts_input_open_mem(&in, "map.csv", text, strlen(text)), TS_OK);
	assert_int_equal(eco_map_read(&m, in, 3), TS_OK);
	ts_input_close(&in);
	assert_int_equal(eco_map_cell_count(m, 4, 0), 1);   /* incident response / edge */
	assert_int_equal(eco_map_cell_count(m, 6, 0), 4);   /* frontline mitigation / edge */
	assert_int_equal(eco_map_overlaps(m), 1);
	assert_int_equal(eco_map_gaps(m), 30 - 5);
	/* Registry A: event monitoring only self, training only desk */
	assert_int_equal(eco_map_disagreements(m), 2);
	rout_t o;
	rout_init(&o);
	eco_map_render_json(m, &o);
	assert_non_null(strstr(dbuf_str(&o.b), "{\"organization\":\"Registry A\",\"function\":\"event monitoring\","
	                       "\"layer\":\"edge\",\"scope\":\"internal\",\"only\":\"self\",\"line\":4}"));
	rout_free(&o);
	eco_map_free(&m);

	const char *bad = "organization,function,layer,scope,basis\nX,juggling,edge,internal,self\n";
	assert_int_equal(ts_input_open_mem(&in, "map.csv", bad, strlen(bad)), TS_OK);
	assert_int_equal(eco_map_read(&m, in, 3), TS_EINPUT);
	ts_input_close(&in);
	assert_non_null(strstr(logbuf, "map.csv:2:3: function: 'juggling'"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_g5_every_cell),
		cmocka_unit_test(test_i2_every_cell),
		cmocka_unit_test(test_tables_monotone_and_g5_symmetric),
		cmocka_unit_test(test_scale),
		cmocka_unit_test_setup_teardown(test_worksheet_any_order_and_unknown_columns, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_worksheet_errors_name_line_and_column, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_worksheet_taxonomy_warning, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_worksheet_out_of_memory, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_assess_by_hand, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_assess_html_escapes, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_merge_suppression, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_merge_participant_column, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_taxonomy, setup_log, teardown_log),
		cmocka_unit_test_setup_teardown(test_ecomap, setup_log, teardown_log),
	};
	return cmocka_run_group_tests_name("risk", tests, NULL, NULL);
}
