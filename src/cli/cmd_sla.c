/* cmd_sla.c — `tldsec sla`: the Framework's clocks across open cases. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "cli/desk_cli.h"
#include "cli/out.h"

static const char usage[] =
	"Usage: tldsec sla [--fail-on-overdue] [--format table|json|csv]\n\n"
	"Counts the open cases and the running clocks, and lists every case whose running clock\n"
	"has passed (acknowledgement while new, response while acknowledged; overdue means now is\n"
	"later than the due time). --fail-on-overdue exits 3 when any case is overdue.\n";

static const out_col_t cols[] = {
	{ "id", OUT_NUM, 6 }, { "domain", OUT_STR, 24 }, { "threat", OUT_STR, 9 }, { "priority", OUT_STR, 8 },
	{ "urgent_claim", OUT_BOOL, 12 }, { "state", OUT_STR, 12 }, { "clock", OUT_STR, 8 }, { "due", OUT_STR, 20 },
	{ "overdue_seconds", OUT_NUM, 15 },
};

struct ctx {
	out_t o;
	int64_t now;
	bool json_first;
	int fmt;
};

static int one(void *user, const store_case_t *c)
{
	struct ctx *x = user;
	char id[24], due_s[21], over[24];
	int64_t due;
	const char *clock = desk_case_clock(c, &due);
	snprintf(id, sizeof(id), "%" PRId64, c->id);
	snprintf(over, sizeof(over), "%" PRId64, x->now - due);
	const char *vals[] = { id, c->domain, c->threat, c->priority, c->urgent_claim ? "true" : "false", c->state,
		               clock, cli_time(due, due_s), over };
	out_row(&x->o, vals);
	return ferror(x->o.fp) ? TS_EIO : TS_OK;
}

int cmd_sla(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "fail-on-overdue", no_argument, NULL, 'f' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	bool fail = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': fail = true; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("sla", "unknown option: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("sla", "unexpected argument '%s'", argv[optind]);
	int fmt = cli_format(cli, "table,json,csv", "table", "sla");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	desk_sla_t s;
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	struct ctx x = { .fmt = fmt };
	if (ts_now(&x.now) != TS_OK) {
		fprintf(stderr, "tldsec: TLDSEC_NOW is not an ISO 8601 time\n");
		desk_close(&d);
		return 1;
	}
	char now_s[21];
	cli_time(x.now, now_s);
	if (fmt == OUT_JSON)
		printf("{\"now\":\"%s\",\"overdue_cases\":", now_s);
	else if (fmt == OUT_TABLE)
		printf("now %s\n", now_s);
	out_begin(&x.o, stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]));
	int ret = desk_sla(d, &s, one, &x, &err);
	if (fmt == OUT_JSON && x.o.rows > 0)
		fputs("\n]", stdout);
	else if (fmt == OUT_JSON)
		fputs("]", stdout);
	else
		rc = out_end(&x.o);
	if (ret == TS_OK) {
		if (fmt == OUT_JSON)
			printf(",\"open\":%" PRIu64 ",\"clocks_running\":%" PRIu64 ",\"overdue\":%" PRIu64
			       ",\"overdue_ack\":%" PRIu64 ",\"overdue_response\":%" PRIu64 "}\n", s.open, s.running,
			       s.overdue, s.overdue_ack, s.overdue_response);
		else if (fmt == OUT_TABLE)
			printf("open %" PRIu64 ", clocks running %" PRIu64 ", overdue %" PRIu64 " (acknowledgement %" PRIu64
			       ", response %" PRIu64 ")\n", s.open, s.running, s.overdue, s.overdue_ack, s.overdue_response);
	}
	if (fflush(stdout) != 0)
		rc = 4;
	if (ret != TS_OK)
		rc = cli_desk_error(&err, NULL);
	else if (fail && s.overdue > 0 && rc == 0) {
		fprintf(stderr, "tldsec: sla: %" PRIu64 " case%s overdue\n", s.overdue, s.overdue == 1 ? "" : "s");
		rc = 3;
	}
	desk_close(&d);
	return rc;
}
