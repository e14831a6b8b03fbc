/* cmd_outbox.c — `tldsec outbox list|export`. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/desk_cli.h"
#include "cli/out.h"

static const char usage_list[] =
	"Usage: tldsec outbox list [--pending] [--format table|json|csv]\n\n"
	"Lists the messages to reporters (acknowledgement, assessment, outcome) and to\n"
	"registrars (referral). Addresses are redacted unless --show-personal-data.\n"
	"  --pending   only messages not yet exported\n";
static const char usage_export[] =
	"Usage: tldsec outbox export --dir DIR\n\n"
	"Writes every message not yet exported as DIR/NNNNNN.eml (RFC 5322; referrals carry\n"
	"the XARF report as a JSON attachment), each file atomically, and marks them exported.\n"
	"Recipients are redacted unless --show-personal-data.\n";

static const out_col_t cols[] = {
	{ "id", OUT_NUM, 5 }, { "case", OUT_NUM, 5 }, { "kind", OUT_STR, 15 }, { "recipient", OUT_STR, 9 },
	{ "to", OUT_STR, 24 }, { "created_at", OUT_STR, 20 }, { "exported_at", OUT_STR, 20 }, { "subject", OUT_STR, 0 },
};

struct ctx {
	out_t o;
	bool show;
};

static int one(void *user, const store_msg_t *m)
{
	struct ctx *x = user;
	char id[24], cs[24], t1[21], t2[21];
	snprintf(id, sizeof(id), "%" PRId64, m->id);
	snprintf(cs, sizeof(cs), "%" PRId64, m->case_id);
	const char *vals[] = { id, cs, m->kind, m->recipient, desk_redact(m->to_addr, x->show),
		               cli_time(m->created_at, t1), cli_time(m->exported_at, t2), m->subject };
	out_row(&x->o, vals);
	return ferror(x->o.fp) ? TS_EIO : TS_OK;
}

static int do_list(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "pending", no_argument, NULL, 'p' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	bool pending = false;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': pending = true; break;
		case 'h': fputs(usage_list, stdout); return 0;
		default: return cli_usage_error("outbox list", "unknown option: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("outbox list", "unexpected argument '%s'", argv[optind]);
	int fmt = cli_format(cli, "table,json,csv", "table", "outbox list");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	int rc = cli_desk_open_listing(cli, &pol, "outbox list", &d);
	if (rc != 0)
		return rc;
	struct ctx x = { .show = cli->show_personal };
	out_begin(&x.o, stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]));
	int ret = store_msg_list(desk_store(d), 0, pending, one, &x);
	rc = out_end(&x.o);
	if (ret != TS_OK) {
		fprintf(stderr, "tldsec: listing the outbox: %s\n", store_error(desk_store(d)));
		rc = ts_exit_code(ret);
	}
	desk_close(&d);
	return rc;
}

static int do_export(cli_t *cli, int argc, char **argv)
{
	const char *dir = NULL;
	int rc = cli_one_option(argc, argv, "outbox export", usage_export, "dir", &dir);
	if (rc >= 0)
		return rc;
	if (dir == NULL)
		return cli_usage_error("outbox export", "--dir DIR is required");
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	uint64_t n = 0;
	rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	if (desk_outbox_export(d, dir, cli->show_personal, &n, &err) != TS_OK)
		rc = cli_desk_error(&err, NULL);
	else if (!cli->quiet)
		printf("exported %" PRIu64 " message%s to %s\n", n, n == 1 ? "" : "s", dir);
	desk_close(&d);
	return rc;
}

int cmd_outbox(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("outbox", "a sub-command is needed: list, export");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		printf("Usage: tldsec outbox list|export ...\n\n%s\n%s", usage_list, usage_export);
		return 0;
	}
	if (strcmp(argv[1], "list") == 0)
		return do_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "export") == 0)
		return do_export(cli, argc - 1, argv + 1);
	return cli_usage_error("outbox", "unknown sub-command '%s' (list, export)", argv[1]);
}
