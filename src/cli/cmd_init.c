/* cmd_init.c — `tldsec init`: create (or migrate) the database. */
#include <getopt.h>
#include <stdio.h>

#include "base/buf.h"
#include "cli/desk_cli.h"

static void help(void)
{
	dbuf_t b;
	dbuf_init(&b, 64 * 1024);
	printf("Usage: tldsec init\n\n"
	       "Creates the database named by --db (default ./var/tldsec.db, its directory too),\n"
	       "or brings an existing one to the current schema. Safe to run again.\n\n"
	       "Policy options (tldsec.conf, see tldsec.conf(5)):\n");
	if (policy_help(&b) == TS_OK)
		fputs(dbuf_str(&b), stdout);
	dbuf_free(&b);
}

int cmd_init(cli_t *cli, int argc, char **argv)
{
	policy_t pol;
	desk_t *d = NULL;
	if (cli_wants_help(argc, argv)) {
		help();
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("init", "unexpected argument '%s'", argv[1]);
	int rc = cli_desk_open(cli, &pol, true, &d);
	if (rc != 0)
		return rc;
	if (!cli->quiet)
		printf("initialised %s (schema %d)\n", cli->db, store_schema_version(desk_store(d)));
	desk_close(&d);
	return 0;
}
