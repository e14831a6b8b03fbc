/* cmd_privacy.c — `tldsec privacy purge`. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/num.h"
#include "cli/desk_cli.h"

static const char usage[] =
	"Usage: tldsec privacy purge [--older-than DAYS]\n\n"
	"Removes personal data (reporter contacts, report bodies, message recipients and texts)\n"
	"from cases closed more than DAYS days ago (default: [privacy] retain_personal_data_days)\n"
	"and keeps what the statistics need (cases, report tiers, threats, priorities, times,\n"
	"actions, the audit log).\n";

int cmd_privacy(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "older-than", required_argument, NULL, 'o' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	if (argc < 2)
		return cli_usage_error("privacy", "a sub-command is needed: purge");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "purge") != 0)
		return cli_usage_error("privacy", "unknown sub-command '%s' (purge)", argv[1]);
	argc--;
	argv++;
	uint64_t days = 0;
	bool have = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'o':
			if (ts_parse_uint_arg(optarg, 36500, &days) != TS_OK)
				return cli_usage_error("privacy purge", "--older-than: a number of days from 0 to 36500");
			have = true;
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("privacy purge", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("privacy purge", "unexpected argument '%s'", argv[optind]);
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	store_purge_counts_t n;
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	if (!have)
		days = pol.retain_personal_data_days;
	if (desk_privacy_purge(d, days, &n, &err) != TS_OK)
		rc = cli_desk_error(&err, NULL);
	else if (!cli->quiet)
		printf("purged personal data of cases closed more than %" PRIu64 " days ago: %" PRIu64 " cases, %" PRIu64
		       " reports, %" PRIu64 " messages, %" PRIu64 " reporters\n", days, n.cases, n.reports, n.messages,
		       n.reporters);
	desk_close(&d);
	return rc;
}
