/* cli.h — what every command receives, and helpers shared by the commands.
 * Commands are thin: parse arguments, call a module, print. */
#ifndef TS_CLI_H
#define TS_CLI_H

#include <stdbool.h>
#include <stdint.h>

#include "base/err.h"

/* Global options, accepted anywhere on the command line. */
typedef struct cli {
	const char *db;        /* --db PATH or postgresql:// URI; default ./var/tldsec.db */
	const char *config;    /* --config FILE; NULL: ./tldsec.conf if present */
	const char *format;    /* --format as given, NULL when absent */
	int quiet;             /* -q */
	int verbose;           /* -v (repeatable) */
	bool show_personal;    /* --show-personal-data */
} cli_t;

/* A command group: `tldsec NAME ...`. argv[0] is the group's name. Returns
 * the process exit code. */
typedef int (*cli_cmd_fn)(cli_t *cli, int argc, char **argv);

/* The format chosen among `allowed` ("table,json,csv"); `def` when --format
 * was not given. Returns the index in `allowed`, or -1 after printing a
 * usage error. */
int cli_format(const cli_t *cli, const char *allowed, const char *def, const char *cmd);

/* Prints "tldsec: CMD: message" and a hint to --help; returns exit code 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* True when argv holds -h or --help before any "--". */
bool cli_wants_help(int argc, char **argv);

/* Parses a sub-command that takes one option --NAME VALUE, --help and no
 * arguments: VALUE goes to *value (left as is when absent). Returns -1 to go
 * on, else the exit code: 0 after printing `usage`, 2 after a usage error. */
int cli_one_option(int argc, char **argv, const char *cmd, const char *usage, const char *name,
                   const char **value);

/* Maps an error code to the exit code (after the module logged the details). */
int cli_exit(int err);

/* The command groups (one cmd_*.c each). */
int cmd_version(cli_t *cli, int argc, char **argv);
int cmd_init(cli_t *cli, int argc, char **argv);
int cmd_reporter(cli_t *cli, int argc, char **argv);
int cmd_report(cli_t *cli, int argc, char **argv);
int cmd_case(cli_t *cli, int argc, char **argv);
int cmd_sla(cli_t *cli, int argc, char **argv);
int cmd_audit(cli_t *cli, int argc, char **argv);
int cmd_privacy(cli_t *cli, int argc, char **argv);
int cmd_outbox(cli_t *cli, int argc, char **argv);
int cmd_dga(cli_t *cli, int argc, char **argv);
int cmd_risk(cli_t *cli, int argc, char **argv);
int cmd_ecosystem(cli_t *cli, int argc, char **argv);
int cmd_zone(cli_t *cli, int argc, char **argv);
int cmd_scan(cli_t *cli, int argc, char **argv);
int cmd_export(cli_t *cli, int argc, char **argv);
int cmd_stats(cli_t *cli, int argc, char **argv);
int cmd_registrations(cli_t *cli, int argc, char **argv);
int cmd_serve(cli_t *cli, int argc, char **argv);

#endif
