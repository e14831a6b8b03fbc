/* cmd_registrations.c — `tldsec registrations import`: the registration data
 * the statistics relate threats to (registrar, creation date). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/desk_cli.h"
#include "stats/stats.h"

#define REG_USAGE "Usage: tldsec registrations import FILE.csv\n"

static void reg_help(void)
{
	printf(REG_USAGE
	       "\n"
	       "Replaces the registration data held in the database (--db) by FILE.csv (plain or gzip,\n"
	       "'-' for stdin), streamed: a header row naming the columns\n"
	       "  domain,registrar_id,registrar_name,created\n"
	       "in any order (more columns are ignored); created is a date (YYYY-MM-DD) or an ISO 8601\n"
	       "time, or empty when unknown. A domain listed twice keeps its last row. The statistics\n"
	       "use it for threats per 10,000 domains per registrar and the share of threats on young\n"
	       "domains. All or nothing: a bad row (named FILE:LINE:COL) leaves the data as it was.\n"
	       "\n"
	       "Options:\n"
	       "  -h, --help     this help\n"
	       "\n"
	       "Prints {\"rows\":N,\"domains\":N,\"registrars\":N}.\n"
	       "Exit status: 0 ok, 1 bad file, 2 usage, 4 internal or database error.\n");
}

static int reg_import(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (c == 'h') {
			reg_help();
			return 0;
		}
		return cli_usage_error("registrations import", "unknown option '%s'", argv[optind - 1]);
	}
	if (optind + 1 != argc)
		return cli_usage_error("registrations import", optind >= argc ? "a FILE.csv is needed" : "one FILE only");
	if (cli_format(cli, "json", "json", "registrations import") < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	if ((rc = cli_desk_open(cli, &pol, false, &d)) != 0)
		return rc;
	stats_import_t n;
	int ret = stats_registrations_import(desk_store(d), argv[optind], &n);
	desk_close(&d);
	if (ret == TS_OK)
		printf("{\"rows\":%llu,\"domains\":%llu,\"registrars\":%llu}\n", (unsigned long long)n.rows,
		       (unsigned long long)n.domains, (unsigned long long)n.registrars);
	return cli_exit(ret);
}

int cmd_registrations(cli_t *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		if (argc < 2) {
			fprintf(stderr, REG_USAGE);
			return 2;
		}
		reg_help();
		return 0;
	}
	if (strcmp(argv[1], "import") == 0)
		return reg_import(cli, argc - 1, argv + 1);
	return cli_usage_error("registrations", "unknown sub-command '%s'", argv[1]);
}
