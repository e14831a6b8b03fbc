/* desk_cli.h — what the desk's command groups share: loading the policy,
 * opening the desk, printing a desk error, times. */
#ifndef TS_CLI_DESK_CLI_H
#define TS_CLI_DESK_CLI_H

#include <stdint.h>

#include "cli/cli.h"
#include "desk/desk.h"

/* Loads the policy (--config, ./tldsec.conf when present, else the
 * defaults). Prints the error and returns the exit code on failure. */
int cli_policy(const cli_t *cli, policy_t *pol);
/* Loads the policy into *pol and opens the desk on --db. `create` for init. */
int cli_desk_open(const cli_t *cli, policy_t *pol, bool create, desk_t **d);
/* Opens the desk (as cli_desk_open) for a listing: with --show-personal,
 * records the disclosure by `cmd` in the audit log first. Prints the error
 * and returns the exit code on failure (the desk is then closed). */
int cli_desk_open_listing(const cli_t *cli, policy_t *pol, const char *cmd, desk_t **d);
/* Prints "tldsec: [FILE: ][PATH: ]message" (with line:col for JSON syntax)
 * and returns the exit code. */
int cli_desk_error(const desk_err_t *err, const char *file);
/* An ISO 8601 time, or NULL for 0, in buf. */
const char *cli_time(int64_t t, char buf[21]);
/* Parses a positive id argument; prints a usage error (returns -1) when bad. */
int64_t cli_id_arg(const char *cmd, const char *s);

#endif
