/* cmd_stats.c — `tldsec stats`: the statistical report of Specification 11
 * §3(b) over the database, as JSON, CSV or a self-contained HTML page. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/afile.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"
#include "cli/cli.h"
#include "cli/desk_cli.h"
#include "stats/stats.h"

#define STATS_USAGE "Usage: tldsec stats --from DATE --to DATE [--format json|csv|html] [--out FILE]\n"

static void stats_help(void)
{
	printf(STATS_USAGE
	       "\n"
	       "Statistics of the security threats identified and the actions taken in the period\n"
	       "[--from, --to): threats by type and origin, actions by kind, acknowledgement and response\n"
	       "times by priority (median, 90th percentile, share within the due time), the backlog and\n"
	       "the overdue cases at --to, DNSSEC adoption and name-server concentration from the scans\n"
	       "recorded with 'scan --record', threats per 10,000 domains per registrar when registration\n"
	       "data was imported ('registrations import'), and per-month rows when the period spans\n"
	       "more than one calendar month.\n"
	       "\n"
	       "Options:\n"
	       "  --from DATE    start of the period (YYYY-MM-DD is UTC midnight, or an ISO 8601 time)\n"
	       "  --to DATE      end of the period, exclusive\n"
	       "  --format F     json (default), csv (one table: section,key,subkey,value) or html\n"
	       "                 (one self-contained page with SVG charts)\n"
	       "  --out FILE     write to FILE atomically (default: stdout)\n"
	       "  -h, --help     this help\n"
	       "\n"
	       "Exit status: 0 ok, 1 bad data, 2 usage, 4 internal or database error.\n");
}

static int time_arg(const char *opt, const char *s, int64_t *t)
{
	if (ts_time_parse(s, strlen(s), t) != TS_OK)
		return cli_usage_error("stats", "%s wants a date (YYYY-MM-DD) or an ISO 8601 time, not '%s'", opt, s);
	return 0;
}

int cmd_stats(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL, *out_path = NULL;
	int64_t from = 0, to = 0;
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'f': from_s = optarg; break;
		case 't': to_s = optarg; break;
		case 'o': out_path = optarg; break;
		case 'h': stats_help(); return 0;
		default: return cli_usage_error("stats", "unknown option or missing value: '%s'", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("stats", "unexpected argument '%s'", argv[optind]);
	if (from_s == NULL || to_s == NULL)
		return cli_usage_error("stats", "--from and --to are required");
	if ((rc = time_arg("--from", from_s, &from)) != 0 || (rc = time_arg("--to", to_s, &to)) != 0)
		return rc;
	if (from >= to)
		return cli_usage_error("stats", "--from must be before --to");
	int fmt = cli_format(cli, "json,csv,html", "json", "stats");
	if (fmt < 0)
		return 2;

	policy_t pol;
	desk_t *d = NULL;
	if ((rc = cli_desk_open(cli, &pol, false, &d)) != 0)
		return rc;
	stats_t *s = NULL;
	dbuf_t b;
	afile_t out = { 0 };
	dbuf_init(&b, TS_MAX_OUTPUT_BUF);
	int ret = stats_compute(desk_store(d), from, to, &s);
	if (ret == TS_ELIMIT) {
		ts_log(TS_LOG_ERR, "the period spans more than %u months", STATS_MAX_MONTHS);
		ret = TS_EINPUT;
		goto out;
	}
	if (ret != TS_OK) {
		ts_log(TS_LOG_ERR, "reading the statistics: %s", ret == TS_ENOMEM ? "out of memory" :
		       store_error(desk_store(d)));
		goto out;
	}
	ret = fmt == 0 ? stats_json(s, &b) : fmt == 1 ? stats_csv(s, &b) : stats_html(s, &b);
	if (ret != TS_OK) {
		ts_log(TS_LOG_ERR, "the report does not fit in memory");
		goto out;
	}
	if ((ret = afile_open(&out, out_path)) != TS_OK)
		goto out;
	if (fwrite(b.p != NULL ? b.p : "", 1, b.len, out.fp) != b.len) {
		afile_abort(&out);
		ret = TS_EIO;
	} else {
		ret = afile_commit(&out);
	}
	if (ret == TS_EIO)
		ts_log(TS_LOG_ERR, "cannot write the output");
out:
	dbuf_free(&b);
	stats_free(&s);
	desk_close(&d);
	return cli_exit(ret);
}
