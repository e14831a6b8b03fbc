/* cmd_version.c — `tldsec version`. */
#include <stdio.h>

#include "cli/cli.h"
#include "cli/version.h"

int cmd_version(cli_t *cli, int argc, char **argv)
{
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		printf("Usage: tldsec version\n\nPrints the version of tldsec.\n");
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("version", "unexpected argument '%s'", argv[1]);
	printf("tldsec %s\n", TLDSEC_VERSION);
	return 0;
}
