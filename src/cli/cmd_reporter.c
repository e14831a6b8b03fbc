/* cmd_reporter.c — `tldsec reporter add|list|disable`. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/desk_cli.h"
#include "cli/out.h"

static const char usage_add[] =
	"Usage: tldsec reporter add --name NAME --tier TIER [--role ROLE] [--jurisdiction CC] [--verified]\n"
	"                           [--email ADDR]\n\n"
	"Adds a reporter and prints its id and bearer token. The token is shown this once;\n"
	"only its SHA-256 is stored.\n"
	"  --name NAME          the reporter (an agency, a CERT, a feed operator, a person)\n"
	"  --tier TIER          law_enforcement, government, trusted_third_party, public, anonymous\n"
	"  --role ROLE          what the token may do in the API (tldsec serve): reporter (default),\n"
	"                       analyst, admin, auditor\n"
	"  --jurisdiction CC    two-letter country code\n"
	"  --verified           the registry has checked who the reporter is\n"
	"  --email ADDR         where answers go (personal data)\n";
static const char usage_list[] =
	"Usage: tldsec reporter list [--format table|json|csv]\n\n"
	"Lists reporters; e-mail addresses are redacted unless --show-personal-data.\n";
static const char usage_disable[] =
	"Usage: tldsec reporter disable ID\n\nDisables a reporter: its token stops working; its reports stay.\n";

static int help_all(void)
{
	printf("Usage: tldsec reporter add|list|disable ...\n\n%s\n%s\n%s", usage_add, usage_list, usage_disable);
	return 0;
}

static int do_add(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "tier", required_argument, NULL, 't' },
		{ "role", required_argument, NULL, 'r' },
		{ "jurisdiction", required_argument, NULL, 'j' }, { "verified", no_argument, NULL, 'V' },
		{ "email", required_argument, NULL, 'e' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	desk_reporter_in_t in = { 0 };
	int c, fmt;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': in.name = optarg; break;
		case 't': in.tier = optarg; break;
		case 'r': in.role = optarg; break;
		case 'j': in.jurisdiction = optarg; break;
		case 'V': in.verified = true; break;
		case 'e': in.email = optarg; break;
		case 'h': fputs(usage_add, stdout); return 0;
		default: return cli_usage_error("reporter add", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("reporter add", "unexpected argument '%s'", argv[optind]);
	if (in.name == NULL || in.tier == NULL)
		return cli_usage_error("reporter add", "--name and --tier are required");
	if ((fmt = cli_format(cli, "table,json,csv", "table", "reporter add")) < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	int64_t id;
	char token[DESK_TOKEN_TEXT];
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	if (desk_reporter_add(d, &in, &id, token, &err) != TS_OK) {
		desk_close(&d);
		return cli_desk_error(&err, NULL);
	}
	desk_close(&d);
	if (fmt == OUT_JSON)
		printf("{\"id\":%" PRId64 ",\"token\":\"%s\"}\n", id, token);
	else if (fmt == OUT_CSV)
		printf("id,token\n%" PRId64 ",%s\n", id, token);
	else
		printf("id:    %" PRId64 "\ntoken: %s\n(the token is shown this once: hand it to the reporter now)\n", id,
		       token);
	return 0;
}

struct list_ctx {
	out_t o;
	bool show;
};

static int list_one(void *user, const store_reporter_t *r)
{
	struct list_ctx *x = user;
	char id[24], ts[21];
	snprintf(id, sizeof(id), "%" PRId64, r->id);
	const char *vals[] = { id, r->name, r->tier, r->verified ? "true" : "false", r->disabled ? "true" : "false",
		               r->jurisdiction, desk_redact(r->email, x->show), r->origin, cli_time(r->created_at, ts) };
	out_row(&x->o, vals);
	return TS_OK;
}

static int do_list(cli_t *cli, int argc, char **argv)
{
	static const out_col_t cols[] = {
		{ "id", OUT_NUM, 4 }, { "name", OUT_STR, 24 }, { "tier", OUT_STR, 19 }, { "verified", OUT_BOOL, 8 },
		{ "disabled", OUT_BOOL, 8 }, { "jurisdiction", OUT_STR, 12 }, { "email", OUT_STR, 24 },
		{ "origin", OUT_STR, 16 }, { "created_at", OUT_STR, 20 },
	};
	if (cli_wants_help(argc, argv)) {
		fputs(usage_list, stdout);
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("reporter list", "unexpected argument '%s'", argv[1]);
	int fmt = cli_format(cli, "table,json,csv", "table", "reporter list");
	if (fmt < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	int rc = cli_desk_open_listing(cli, &pol, "reporter list", &d);
	if (rc != 0)
		return rc;
	struct list_ctx x = { .show = cli->show_personal };
	out_begin(&x.o, stdout, fmt, cols, sizeof(cols) / sizeof(cols[0]));
	int ret = store_reporter_list(desk_store(d), list_one, &x);
	rc = out_end(&x.o);
	if (ret != TS_OK) {
		fprintf(stderr, "tldsec: listing reporters: %s\n", store_error(desk_store(d)));
		rc = ts_exit_code(ret);
	}
	desk_close(&d);
	return rc;
}

static int do_disable(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(usage_disable, stdout);
		return 0;
	}
	if (argc != 2)
		return cli_usage_error("reporter disable", "one reporter id is needed");
	int64_t id = cli_id_arg("reporter disable", argv[1]);
	if (id < 0)
		return 2;
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	if (desk_reporter_disable(d, id, &err) != TS_OK)
		rc = cli_desk_error(&err, NULL);
	else if (!cli->quiet)
		printf("reporter %" PRId64 " disabled\n", id);
	desk_close(&d);
	return rc;
}

int cmd_reporter(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("reporter", "a sub-command is needed: add, list, disable");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)
		return help_all();
	if (strcmp(argv[1], "add") == 0)
		return do_add(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return do_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "disable") == 0)
		return do_disable(cli, argc - 1, argv + 1);
	return cli_usage_error("reporter", "unknown sub-command '%s' (add, list, disable)", argv[1]);
}
