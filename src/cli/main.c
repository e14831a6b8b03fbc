/* main.c — global options and dispatch to the command groups. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "cli/cli.h"
#include "cli/version.h"

struct command {
	const char *name;
	cli_cmd_fn fn;
	const char *summary;
};

/* One row per command group; `tldsec --help` and the man-page test read it. */
static const struct command commands[] = {
	{ "version", cmd_version, "print the version" },
	{ "init", cmd_init, "create or migrate the database" },
	{ "reporter", cmd_reporter, "add, list, disable reporters (tiers, tokens)" },
	{ "report", cmd_report, "submit a security-threat report" },
	{ "case", cmd_case, "list, show, acknowledge, assess, act on, undo, close cases" },
	{ "sla", cmd_sla, "the Framework's clocks: what is overdue" },
	{ "audit", cmd_audit, "verify the audit log's hash chain" },
	{ "privacy", cmd_privacy, "purge personal data of old closed cases" },
	{ "outbox", cmd_outbox, "messages to reporters and registrars; RFC 5322 export" },
	{ "dga", cmd_dga, "botnet DGA families: list them, generate their names, check them against the zone" },
	{ "risk", cmd_risk, "risk workbench: NIST SP 800-30 assessment, FAIR simulation, merge, taxonomy" },
	{ "ecosystem", cmd_ecosystem, "map of who does which security function in the ecosystem" },
	{ "scan", cmd_scan, "match the zone's registered domains against threat feeds (Spec 11)" },
	{ "zone", cmd_zone, "zone file statistics (zone stats)" },
	{ "export", cmd_export, "the desk's actions as EPP commands, patched zone, RPZ, reserved list" },
	{ "stats", cmd_stats, "statistics of threats and actions for ICANN (JSON, CSV, HTML)" },
	{ "registrations", cmd_registrations, "import registration data (registrar, creation date)" },
};

static void usage(FILE *out)
{
	fprintf(out,
	        "Usage: tldsec [GLOBAL OPTIONS] COMMAND [ARGS]\n"
	        "\n"
	        "Security, stability and resiliency toolkit for a DNS top-level-domain registry.\n"
	        "\n"
	        "Commands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
	        "\n"
	        "Global options (anywhere on the line):\n"
	        "  --db PATH         SQLite file (default ./var/tldsec.db) or postgresql:// URI\n"
	        "  --config FILE     policy file (default ./tldsec.conf if present)\n"
	        "  --format F        table, json, csv (html, text where a command offers them)\n"
	        "  --show-personal-data  show personal data in listings (admins)\n"
	        "  -q, --quiet       print less\n"
	        "  -v, --verbose     print more (repeatable)\n"
	        "  -h, --help        this help; 'tldsec COMMAND --help' for a command\n"
	        "  --version         print the version\n"
	        "\n"
	        "Environment: TLDSEC_NOW=ISO-8601-UTC fixes the current time (for tests).\n"
	        "Exit codes: 0 ok, 1 bad input or data, 2 usage, 3 check failed, 4 internal.\n");
}

/* Takes the global options out of argv wherever they stand (before "--"). */
static int take_globals(cli_t *cli, int *argc, char **argv)
{
	int out = 1;
	bool rest = false;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		if (rest) {
			argv[out++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			rest = true;
			argv[out++] = argv[i];
			continue;
		}
		if (strcmp(a, "--db") == 0)
			slot = &cli->db;
		else if (strcmp(a, "--config") == 0)
			slot = &cli->config;
		else if (strcmp(a, "--format") == 0)
			slot = &cli->format;
		if (slot != NULL) {
			if (i + 1 >= *argc) {
				fprintf(stderr, "tldsec: option %s needs a value\n", a);
				return 2;
			}
			*slot = argv[++i];
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0) { cli->db = a + 5; continue; }
		if (strncmp(a, "--config=", 9) == 0) { cli->config = a + 9; continue; }
		if (strncmp(a, "--format=", 9) == 0) { cli->format = a + 9; continue; }
		if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) { cli->quiet = 1; continue; }
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) { cli->verbose++; continue; }
		if (strcmp(a, "-vv") == 0) { cli->verbose += 2; continue; }
		if (strcmp(a, "--show-personal-data") == 0) { cli->show_personal = true; continue; }
		argv[out++] = argv[i];
	}
	argv[out] = NULL;
	*argc = out;
	return 0;
}

int main(int argc, char **argv)
{
	cli_t cli = { .db = "./var/tldsec.db" };
	int ret = take_globals(&cli, &argc, argv);
	if (ret != 0)
		return ret;
	ts_log_set(NULL, NULL, cli.quiet ? TS_LOG_ERR : cli.verbose >= 2 ? TS_LOG_DEBUG :
	           cli.verbose == 1 ? TS_LOG_INFO : TS_LOG_WARN);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	const char *name = argv[1];
	if (strcmp(name, "-h") == 0 || strcmp(name, "--help") == 0 || strcmp(name, "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(name, "--version") == 0)
		name = "version";
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(name, commands[i].name) == 0)
			return commands[i].fn(&cli, argc - 1, argv + 1);
	}
	fprintf(stderr, "tldsec: unknown command '%s'\nTry 'tldsec --help'.\n", name);
	return 2;
}
