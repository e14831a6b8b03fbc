/* cmd_zone.c — `tldsec zone stats`: statistics of a zone file. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/num.h"
#include "base/progress.h"
#include "cli/cli.h"
#include "dns/name.h"
#include "dns/zone.h"
#include "dns/zonestats.h"

#define ZONE_STATS_USAGE \
	"Usage: tldsec zone stats ZONE [--origin NAME] [--warn-expiry-days N] [--threads N] [--no-include]\n"

static void zone_help(void)
{
	printf("Usage: tldsec zone stats ZONE [OPTIONS]\n"
	       "\n"
	       "Statistics of a DNS zone file.\n"
	       "\n"
	       "Commands:\n"
	       "  stats    delegations, DNSSEC adoption, name-server concentration, signature expiry (JSON)\n"
	       "\n"
	       "Run 'tldsec zone stats --help' for the options.\n");
}

static void stats_help(void)
{
	printf(ZONE_STATS_USAGE
	       "\n"
	       "Reads the RFC 1035 master file ZONE (plain or gzip, '-' for stdin) and prints, as JSON:\n"
	       "origin, records, delegations, ds_delegations, dnssec_adoption_pct, single_ns_delegations,\n"
	       "in_bailiwick_delegations, distinct_ns_hosts, top_ns_providers, ns_provider_hhi,\n"
	       "apex_signed, earliest_rrsig_expiry and expiring_signatures.\n"
	       "\n"
	       "Options:\n"
	       "  --origin NAME            origin of relative names and apex of the zone\n"
	       "                           (default: the owner of the first SOA record)\n"
	       "  --warn-expiry-days N     signatures expiring within N days count as expiring (default 7);\n"
	       "                           the exit status is 3 when any does\n"
	       "  --threads N              threads for the scan (default: the machine's cores)\n"
	       "  --no-include             refuse $INCLUDE directives\n"
	       "  -h, --help               this help\n"
	       "\n"
	       "Exit status: 0 ok, 1 bad zone (the message names FILE:LINE:COL), 2 usage,\n"
	       "3 expiring signatures.\n");
}

static void draw_progress(void *user, uint64_t done, uint64_t total)
{
	ts_progress_t *pg = user;
	if (pg->total == 0)
		pg->total = total;
	ts_progress_update(pg, done);
}

static int zone_stats(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "origin", required_argument, NULL, 'o' },
		{ "warn-expiry-days", required_argument, NULL, 'w' },
		{ "threads", required_argument, NULL, 't' },
		{ "no-include", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *origin = NULL;
	uint64_t warn_days = 7, threads = 0;
	bool no_include = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			origin = optarg;
			break;
		case 'w':
			if (ts_parse_uint_arg(optarg, 36500, &warn_days) != TS_OK)
				return cli_usage_error("zone stats", "--warn-expiry-days wants a number of days (0-36500), not '%s'", optarg);
			break;
		case 't':
			if (ts_parse_uint_arg(optarg, 256, &threads) != TS_OK || threads == 0)
				return cli_usage_error("zone stats", "--threads wants a number from 1 to 256, not '%s'", optarg);
			break;
		case 'n':
			no_include = true;
			break;
		case 'h':
			stats_help();
			return 0;
		default:
			return cli_usage_error("zone stats", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cli_usage_error("zone stats", optind >= argc ? "a ZONE file is needed" : "one ZONE file only");
	if (cli_format(cli, "json", "json", "zone stats") < 0)
		return 2;
	const char *path = argv[optind];
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n > 0 ? (uint64_t)n : 1;
	}

	int64_t now;
	int ret = ts_now(&now);
	if (ret != TS_OK) {
		ts_log(TS_LOG_ERR, "TLDSEC_NOW is not an ISO 8601 time");
		return cli_exit(ret);
	}
	zonestats_t *st = NULL;
	dbuf_t out;
	dbuf_init(&out, TS_MAX_OUTPUT_BUF);
	ret = zonestats_new(&st, now + (int64_t)warn_days * 86400, zonestats_expect(path));
	if (ret == TS_OK && threads > 1)
		ret = zonestats_use_thread(st);
	if (ret != TS_OK)
		goto out;
	if (origin != NULL) {
		static name_t on;
		const char *why;
		size_t at;
		if (name_from_text(origin, strlen(origin), NULL, &on, &why, &at) != TS_OK) {
			ret = cli_usage_error("zone stats", "--origin '%s': %s", origin, why);
			zonestats_free(&st);
			return ret;
		}
		ret = zonestats_set_apex(st, on.text, on.len);
		if (ret != TS_OK)
			goto out;
	}
	ts_progress_t pg;
	ts_progress_init(&pg, "zone stats", 0, !cli->quiet);
	zone_opts_t zo = {
		.origin = origin,
		.default_ttl = 3600,
		.no_include = no_include,
		.threads = (unsigned)threads,
		.decode = ZONESTATS_DECODE,
		.progress = draw_progress,
		.progress_user = &pg,
	};
	ret = zone_scan_file(path, &zo, zonestats_rr_fn, st, NULL);
	ts_progress_done(&pg);
	if (ret != TS_OK)
		goto out;
	zonestats_result_t res;
	ret = zonestats_result(st, &res);
	if (ret == TS_OK)
		ret = zonestats_json(&res, &out);
	if (ret != TS_OK)
		goto out;
	fwrite(dbuf_str(&out), 1, out.len, stdout);
	if (fflush(stdout) != 0) {
		ts_log(TS_LOG_ERR, "cannot write the output");
		ret = TS_EIO;
		goto out;
	}
	if (res.expiring_signatures > 0) {
		ts_log(TS_LOG_WARN, "%llu signatures expire within %llu days",
		       (unsigned long long)res.expiring_signatures, (unsigned long long)warn_days);
		ret = TS_ECHECK;
	}
out:
	dbuf_free(&out);
	zonestats_free(&st);
	return cli_exit(ret);
}

int cmd_zone(cli_t *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		if (argc < 2) {
			fprintf(stderr, ZONE_STATS_USAGE);
			return 2;
		}
		zone_help();
		return 0;
	}
	if (strcmp(argv[1], "stats") == 0)
		return zone_stats(cli, argc - 1, argv + 1);
	return cli_usage_error("zone", "unknown sub-command '%s'", argv[1]);
}
