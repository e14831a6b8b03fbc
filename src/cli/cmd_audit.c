/* cmd_audit.c — `tldsec audit verify`. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/desk_cli.h"
#include "cli/out.h"

static const char usage[] =
	"Usage: tldsec audit verify [--format table|json]\n\n"
	"Recomputes the audit log's hash chain (each event holds the SHA-256 of the previous\n"
	"one) and names the first broken event: exit 3 when the chain is broken. Prints the\n"
	"newest event's hash: keep it elsewhere to detect a truncated log later.\n";

int cmd_audit(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("audit", "a sub-command is needed: verify");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 || cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "verify") != 0)
		return cli_usage_error("audit", "unknown sub-command '%s' (verify)", argv[1]);
	if (argc > 2)
		return cli_usage_error("audit verify", "unexpected argument '%s'", argv[2]);
	int fmt = cli_format(cli, "table,json", "table", "audit verify");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	desk_audit_result_t r;
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	int ret = desk_audit_verify(d, &r, &err);
	desk_close(&d);
	if (ret != TS_OK && ret != TS_ECHECK)
		return cli_desk_error(&err, NULL);
	if (fmt == OUT_JSON) {
		printf("{\"events\":%" PRIu64 ",\"intact\":%s,\"first_broken\":", r.events, ret == TS_OK ? "true" : "false");
		if (ret == TS_OK)
			printf("null,\"reason\":null,\"head\":\"%s\"}\n", r.head);
		else {
			printf("%" PRId64 ",\"reason\":", r.first_bad);
			out_json_str(stdout, r.why);
			printf(",\"head\":null}\n");
		}
	} else if (ret == TS_OK) {
		printf("audit: %" PRIu64 " events, chain intact; head %s\n", r.events, r.events > 0 ? r.head : "(empty)");
	}
	if (ret == TS_ECHECK)
		cli_desk_error(&err, NULL);
	if (fflush(stdout) != 0)
		return 4;
	return ret == TS_OK ? 0 : 3;
}
