/* cmd_dga.c — `tldsec dga list`, `tldsec dga generate` and `tldsec dga check`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/limits.h"
#include "base/log.h"
#include "base/num.h"
#include "cli/cli.h"
#include "cli/desk_cli.h"
#include "scan/dgacheck.h"
#include "dga/dga.h"

static const char dga_help[] =
	"Usage: tldsec dga list|generate|check ...\n"
	"\n"
	"Botnet domain generation algorithms: the names a family's malware computes.\n"
	"\n"
	"  tldsec dga list [--format table|json]\n"
	"  tldsec dga generate FAMILY --date YYYY-MM-DD [--days N] [--seed VALUE]\n"
	"                      [--tlds LIST] [--count N]\n"
	"  tldsec dga check FAMILY --date YYYY-MM-DD --days N --zone ZONE [--seed VALUE]\n"
	"                   [--tlds LIST] [--count N] [--origin NAME] [--record]\n"
	"\n"
	"'tldsec dga list' shows the families with their seeds, TLD lists and periods.\n";

static const char list_help[] =
	"Usage: tldsec dga list [--format table|json]\n"
	"\n"
	"Lists the DGA families: name, period, names per period, the seed (its form and\n"
	"default) and the per-sample TLD list where the family has one.\n";

static const char generate_help[] =
	"Usage: tldsec dga generate FAMILY --date YYYY-MM-DD [--days N] [--seed VALUE]\n"
	"                           [--tlds LIST] [--count N]\n"
	"\n"
	"Prints the names FAMILY's malware computes, one per line, in the malware's order.\n"
	"\n"
	"  --date YYYY-MM-DD  the first day (UTC); optional for ramnit and banjori,\n"
	"                     whose names do not depend on the date\n"
	"  --days N           consecutive days from --date (default 1, at most 3660);\n"
	"                     each period the days touch is printed once, in date order\n"
	"  --seed VALUE       the sample's seed: an integer (necurs magic number, locky,\n"
	"                     qakbot 0 or 1), 8 hex digits (ramnit) or a domain (banjori)\n"
	"  --tlds LIST        comma-separated TLDs of the sample (locky, ramnit)\n"
	"  --count N          names per period (default: the malware's count)\n"
	"\n"
	"Exit codes: 0 ok, 1 a value does not fit the family, 2 usage.\n";

static const char check_help[] =
	"Usage: tldsec dga check FAMILY --date YYYY-MM-DD --days N --zone ZONE [--seed VALUE]\n"
	"                        [--tlds LIST] [--count N] [--origin NAME] [--record]\n"
	"\n"
	"Generates FAMILY's names for the days (as dga generate), keeps those below the zone's\n"
	"apex (its TLD), reads the zone once and prints JSON Lines in the malware's order:\n"
	"  {\"domain\":\"...\",\"date\":\"YYYY-MM-DD\",\"registered\":true|false}\n"
	"registered: the zone delegates the name. A summary goes to stderr as JSON (not with -q).\n"
	"\n"
	"  --zone ZONE    the TLD zone (plain or gzip; - for stdin)\n"
	"  --origin NAME  the zone's initial $ORIGIN\n"
	"  --record       open or join a case with threat dga per name (one transaction):\n"
	"                 registered names for investigation, unregistered ones for block or\n"
	"                 reserve; the reporter is the feed dga:FAMILY\n"
	"  --date, --days, --seed, --tlds, --count: as for dga generate (--days is required)\n"
	"\n"
	"Exit codes: 0 ok, 1 a value does not fit the family or the zone is wrong, 2 usage.\n";

static const char *seed_form(dga_seed_kind_t k)
{
	switch (k) {
	case DGA_SEED_NONE: return "none";
	case DGA_SEED_UINT: return "integer";
	case DGA_SEED_HEX32: return "hex32";
	case DGA_SEED_DOMAIN: return "domain";
	}
	return "none";
}

static int list_json(void)
{
	size_t n;
	const dga_family_t *f = dga_families(&n);
	dbuf_t b;
	int ret = TS_OK;
	dbuf_init(&b, TS_MAX_OUTPUT_BUF);
	ret = dbuf_adds(&b, "[");
	for (size_t i = 0; i < n && ret == TS_OK; i++) {
		ret = dbuf_addf(&b, "%s\n  {\"name\": \"%s\", \"summary\": \"", i ? "," : "", f[i].name);
		if (ret == TS_OK)
			ret = dbuf_add_json_str(&b, f[i].summary, strlen(f[i].summary));
		if (ret == TS_OK)
			ret = dbuf_addf(&b, "\", \"dated\": %s, \"period_days\": %u, \"period\": \"%s\", "
			                "\"names_per_period\": %u, \"seed\": {\"form\": \"%s\", \"default\": ",
			                f[i].dated ? "true" : "false", f[i].period_days, f[i].period,
			                f[i].count, seed_form(f[i].seed_kind));
		if (ret == TS_OK)
			ret = f[i].seed_default != NULL ? dbuf_addf(&b, "\"%s\"", f[i].seed_default)
			                                 : dbuf_adds(&b, "null");
		if (ret == TS_OK && f[i].seed_kind == DGA_SEED_UINT)
			ret = dbuf_addf(&b, ", \"max\": %lu", (unsigned long)f[i].seed_max);
		if (ret == TS_OK)
			ret = dbuf_adds(&b, "}, \"tlds\": ");
		if (ret == TS_OK && f[i].tlds_default == NULL)
			ret = dbuf_adds(&b, "null");
		if (ret == TS_OK && f[i].tlds_default != NULL) {
			ret = dbuf_adds(&b, "[\"");
			for (const char *c = f[i].tlds_default; *c != '\0' && ret == TS_OK; c++)
				ret = *c == ',' ? dbuf_adds(&b, "\", \"") : dbuf_addc(&b, *c);
			if (ret == TS_OK)
				ret = dbuf_adds(&b, "\"]");
		}
		if (ret == TS_OK)
			ret = dbuf_adds(&b, "}");
	}
	if (ret == TS_OK)
		ret = dbuf_adds(&b, "\n]\n");
	if (ret == TS_OK && fwrite(b.p, 1, b.len, stdout) != b.len)
		ret = TS_EIO;
	dbuf_free(&b);
	return ret;
}

static void list_table(void)
{
	size_t n;
	const dga_family_t *f = dga_families(&n);
	printf("%-8s %-7s %6s  %-8s %-31s %s\n", "FAMILY", "PERIOD", "NAMES", "SEED", "DEFAULT SEED",
	       "TLDS");
	for (size_t i = 0; i < n; i++) {
		char period[16];
		if (f[i].dated)
			snprintf(period, sizeof(period), "%ud", f[i].period_days);
		else
			snprintf(period, sizeof(period), "undated");
		printf("%-8s %-7s %6u  %-8s %-31s %s\n", f[i].name, period, f[i].count,
		       seed_form(f[i].seed_kind), f[i].seed_default != NULL ? f[i].seed_default : "-",
		       f[i].tlds_default != NULL ? f[i].tlds_default : "fixed");
	}
}

static int dga_list(cli_t *cli, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(list_help, stdout);
		return 0;
	}
	if (argc > 1)
		return cli_usage_error("dga list", "unexpected argument '%s'", argv[1]);
	int fmt = cli_format(cli, "table,json", "table", "dga list");
	if (fmt < 0)
		return 2;
	if (fmt == 1)
		return cli_exit(list_json());
	list_table();
	return fflush(stdout) == 0 ? 0 : cli_exit(TS_EIO);
}

/* Writes one name and a newline to stdout. */
/* The one FAMILY operand after the options: 0 and *f, or the usage error's
 * exit code. */
static int family_arg(const char *cmd, int argc, char **argv, const dga_family_t **f)
{
	if (optind >= argc)
		return cli_usage_error(cmd, "no FAMILY given (see 'tldsec dga list')");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	*f = dga_find(argv[optind]);
	if (*f == NULL)
		return cli_usage_error(cmd, "unknown family '%s' (see 'tldsec dga list')", argv[optind]);
	return 0;
}

static int print_name(void *user, const char *name, size_t len, int64_t day)
{
	FILE *out = user;
	(void)day;
	if (fwrite(name, 1, len, out) != len || putc('\n', out) == EOF)
		return TS_EIO;
	return 0;
}

static int dga_gen(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "days", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "tlds", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *date = NULL, *days_s = NULL, *seed = NULL, *tlds = NULL, *count_s = NULL;
	const char *cmd = "dga generate";
	(void)cli;
	if (cli_wants_help(argc, argv)) {
		fputs(generate_help, stdout);
		return 0;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': date = optarg; break;
		case 'n': days_s = optarg; break;
		case 's': seed = optarg; break;
		case 't': tlds = optarg; break;
		case 'c': count_s = optarg; break;
		case ':': return cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	const dga_family_t *f;
	int uret = family_arg(cmd, argc, argv, &f);
	if (uret != 0)
		return uret;
	if (date == NULL && f->dated)
		return cli_usage_error(cmd, "%s needs --date YYYY-MM-DD", f->name);

	int64_t day = 0;
	if (date != NULL) {
		int64_t t;
		if (strlen(date) != 10 || ts_time_parse(date, 10, &t) != TS_OK) {
			ts_log(TS_LOG_ERR, "%s: --date '%s' is not a date YYYY-MM-DD", cmd, date);
			return cli_exit(TS_EINPUT);
		}
		day = t / 86400;
		if (t < 0 || day > DGA_LAST_DAY) {
			ts_log(TS_LOG_ERR, "%s: --date '%s' is outside 1970-01-01 to 9999-12-31", cmd, date);
			return cli_exit(TS_EINPUT);
		}
	}
	uint64_t days = 1, count = 0;
	if (days_s != NULL && (ts_parse_uint_arg(days_s, DGA_MAX_DAYS, &days) != TS_OK || days == 0)) {
		ts_log(TS_LOG_ERR, "%s: --days '%s' is not a number from 1 to %u", cmd, days_s,
		       DGA_MAX_DAYS);
		return cli_exit(TS_EINPUT);
	}
	if (count_s != NULL &&
	    (ts_parse_uint_arg(count_s, DGA_MAX_COUNT, &count) != TS_OK || count == 0)) {
		ts_log(TS_LOG_ERR, "%s: --count '%s' is not a number from 1 to %u", cmd, count_s,
		       DGA_MAX_COUNT);
		return cli_exit(TS_EINPUT);
	}
	dga_params_t p;
	int ret = dga_params_init(f, seed, tlds, count, &p);
	if (ret == TS_EUSAGE)
		return cli_usage_error(cmd, "%s does not take %s", f->name, seed != NULL &&
		                       f->seed_kind == DGA_SEED_NONE ? "--seed" : "--tlds");
	if (ret == TS_OK)
		ret = dga_generate(f, &p, day, (uint32_t)days, print_name, stdout);
	if (ret == TS_OK && fflush(stdout) != 0)
		ret = TS_EIO;
	if (ret == TS_EIO)
		ts_log(TS_LOG_ERR, "%s: writing the names failed", cmd);
	return cli_exit(ret);
}

struct check_ctx {
	const dga_family_t *f;
	desk_t *d;
	desk_err_t err;
	char source[80];
	uint64_t recorded;
};

static int print_check(void *user, const char *name, size_t len, int64_t day, bool registered)
{
	struct check_ctx *x = user;
	char date[11];
	ts_date_format(day * 86400, date);
	printf("{\"domain\":\"%.*s\",\"date\":\"%s\",\"registered\":%s}\n", (int)len, name, date,
	       registered ? "true" : "false");
	if (ferror(stdout))
		return TS_EIO;
	if (x->d == NULL)
		return TS_OK;
	int64_t case_id;
	bool opened;
	int ret = registered ? desk_scan_finding(x->d, x->source, name, "dga", name, &case_id, &opened, &x->err)
	                     : desk_scan_unregistered(x->d, x->source, name, "dga", name, &case_id, &opened, &x->err);
	x->recorded += ret == TS_OK;
	return ret;
}

static int dga_check_cmd(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "date", required_argument, NULL, 'd' }, { "days", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' }, { "tlds", required_argument, NULL, 't' },
		{ "count", required_argument, NULL, 'c' }, { "zone", required_argument, NULL, 'z' },
		{ "origin", required_argument, NULL, 'o' }, { "record", no_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	const char *date = NULL, *days_s = NULL, *seed = NULL, *tlds = NULL, *count_s = NULL;
	const char *zone = NULL, *origin = NULL;
	bool record = false;
	const char *cmd = "dga check";
	if (cli_wants_help(argc, argv)) {
		fputs(check_help, stdout);
		return 0;
	}
	optind = 1;
	opterr = 0;
	int c;
	while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
		switch (c) {
		case 'd': date = optarg; break;
		case 'n': days_s = optarg; break;
		case 's': seed = optarg; break;
		case 't': tlds = optarg; break;
		case 'c': count_s = optarg; break;
		case 'z': zone = optarg; break;
		case 'o': origin = optarg; break;
		case 'r': record = true; break;
		case ':': return cli_usage_error(cmd, "option %s needs a value", argv[optind - 1]);
		default: return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
		}
	}
	const dga_family_t *f;
	int uret = family_arg(cmd, argc, argv, &f);
	if (uret != 0)
		return uret;
	if (date == NULL || days_s == NULL || zone == NULL)
		return cli_usage_error(cmd, "--date, --days and --zone are required");
	int64_t t;
	if (strlen(date) != 10 || ts_time_parse(date, 10, &t) != TS_OK || t < 0 || t / 86400 > DGA_LAST_DAY) {
		ts_log(TS_LOG_ERR, "%s: --date '%s' is not a date YYYY-MM-DD from 1970-01-01 to 9999-12-31", cmd, date);
		return cli_exit(TS_EINPUT);
	}
	uint64_t days = 1, count = 0;
	if (ts_parse_uint_arg(days_s, DGA_MAX_DAYS, &days) != TS_OK || days == 0) {
		ts_log(TS_LOG_ERR, "%s: --days '%s' is not a number from 1 to %u", cmd, days_s, DGA_MAX_DAYS);
		return cli_exit(TS_EINPUT);
	}
	if (count_s != NULL && (ts_parse_uint_arg(count_s, DGA_MAX_COUNT, &count) != TS_OK || count == 0)) {
		ts_log(TS_LOG_ERR, "%s: --count '%s' is not a number from 1 to %u", cmd, count_s, DGA_MAX_COUNT);
		return cli_exit(TS_EINPUT);
	}
	dga_params_t p;
	int ret = dga_params_init(f, seed, tlds, count, &p);
	if (ret == TS_EUSAGE)
		return cli_usage_error(cmd, "%s does not take %s", f->name, seed != NULL &&
		                       f->seed_kind == DGA_SEED_NONE ? "--seed" : "--tlds");
	if (ret != TS_OK)
		return cli_exit(ret);

	struct check_ctx x = { .f = f };
	snprintf(x.source, sizeof(x.source), "dga:%s", f->name);
	policy_t pol;
	int rc = 0;
	if (record) {
		if ((rc = cli_desk_open(cli, &pol, false, &x.d)) != 0)
			return rc;
		if (desk_scan_begin(x.d, &x.err) != TS_OK) {
			rc = cli_desk_error(&x.err, NULL);
			desk_close(&x.d);
			return rc;
		}
	}
	scan_dga_totals_t tot;
	ret = scan_dga_check(f, &p, t / 86400, (uint32_t)days, zone, origin, print_check, &x, &tot);
	if (ret == TS_OK && fflush(stdout) != 0)
		ret = TS_EIO;
	if (ret == TS_EIO)
		ts_log(TS_LOG_ERR, "%s: writing the names failed", cmd);
	uint64_t opened = 0, joined = 0;
	if (x.d != NULL) {
		desk_err_t e2 = { 0 };
		bool desk_failed = ret != TS_OK && x.err.code != 0;
		if (desk_scan_end(x.d, ret == TS_OK, &opened, &joined, &e2) != TS_OK && ret == TS_OK) {
			rc = cli_desk_error(&e2, NULL);
		} else if (desk_failed) {
			rc = cli_desk_error(&x.err, NULL);
		}
		desk_close(&x.d);
	}
	if (rc == 0 && ret != TS_OK)
		rc = cli_exit(ret);
	if (rc == 0 && !cli->quiet) {
		fprintf(stderr, "{\"family\":\"%s\",\"apex\":\"%s\",\"generated\":%llu,\"in_zone\":%llu,"
		        "\"registered\":%llu", f->name, tot.apex, (unsigned long long)tot.generated,
		        (unsigned long long)tot.in_zone, (unsigned long long)tot.registered);
		if (record)
			fprintf(stderr, ",\"cases_opened\":%llu,\"cases_joined\":%llu", (unsigned long long)opened,
			        (unsigned long long)joined);
		fputs("}\n", stderr);
	}
	return rc;
}

int cmd_dga(cli_t *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(dga_help, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (strcmp(argv[1], "list") == 0)
		return dga_list(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "generate") == 0)
		return dga_gen(cli, argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return dga_check_cmd(cli, argc - 1, argv + 1);
	return cli_usage_error("dga", "unknown sub-command '%s' (list, generate, check)", argv[1]);
}
