/* fuzz_worksheet.c — the risk worksheet reader on arbitrary bytes, then
 * assess (every format) and a small simulation of what it accepted, and the
 * ecosystem map reader on the same bytes: every input is read or refused
 * with a message, never a crash. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/input.h"
#include "base/log.h"
#include "risk/assess.h"
#include "risk/ecomap.h"
#include "risk/fair.h"
#include "risk/worksheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user;
	(void)level;
	(void)file;
	(void)line;
	(void)col;
	if (strlen(msg) > 4096)
		__builtin_trap();
}

static void assess_all(const risk_ws_t *ws)
{
	risk_assessment_t *a = NULL;
	if (risk_assess(ws, &a) != TS_OK)
		return;
	rout_t o;
	rout_init(&o);
	risk_assess_render_table(a, &o);
	risk_assess_render_json(a, &o);
	risk_assess_render_csv(a, &o);
	risk_assess_render_html(a, &o);
	rout_free(&o);
	risk_assessment_free(&a);
}

static void simulate_small(const risk_ws_t *ws)
{
	double events = 0.0;
	for (size_t i = 0; i < ws->nrows; i++)
		if (ws->rows[i].has_quant)
			events += ws->rows[i].tef.max;
	if (events > 1000.0)
		return;  /* keep each input fast; the arithmetic is the same at any size */
	risk_fair_t *f = NULL;
	if (risk_fair_run(ws, 50, 1, 1, &f) != TS_OK)
		return;
	rout_t o;
	rout_init(&o);
	risk_fair_render_json(f, &o);
	risk_fair_render_html(f, &o);
	rout_free(&o);
	risk_fair_free(&f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ts_log_set(quiet, NULL, TS_LOG_DEBUG);
	static const unsigned flags[] = { 0, RISK_WS_NEED_QUAL, RISK_WS_NEED_QUANT };
	for (size_t k = 0; k < 3; k++) {
		ts_input_t *in = NULL;
		risk_ws_t *ws = NULL;
		if (ts_input_open_mem(&in, "fuzz", data, size) != TS_OK)
			return 0;
		if (risk_ws_read(&ws, in, flags[k], NULL) == TS_OK) {
			if (flags[k] == RISK_WS_NEED_QUAL)
				assess_all(ws);
			if (flags[k] == RISK_WS_NEED_QUANT)
				simulate_small(ws);
		}
		risk_ws_free(&ws);
		ts_input_close(&in);
	}
	ts_input_t *in = NULL;
	eco_map_t *m = NULL;
	if (ts_input_open_mem(&in, "fuzz", data, size) != TS_OK)
		return 0;
	if (eco_map_read(&m, in, 2) == TS_OK) {
		rout_t o;
		rout_init(&o);
		eco_map_render_table(m, &o);
		eco_map_render_json(m, &o);
		eco_map_render_html(m, &o);
		rout_free(&o);
	}
	eco_map_free(&m);
	ts_input_close(&in);
	return 0;
}
