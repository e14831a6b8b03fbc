/* cmd_report.c — `tldsec report submit`. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/input.h"
#include "base/limits.h"
#include "cli/desk_cli.h"
#include "cli/out.h"

static const char usage_submit[] =
	"Usage: tldsec report submit [--reporter ID] FILE.json|-\n\n"
	"Validates a report (the JSON body of the API) and stores it: one case per registered\n"
	"domain it names, or the open case of that domain and threat joined. Prints\n"
	"{report_id, case_ids, priority, urgent_claim, received_at, ack_due, response_due}.\n"
	"Nothing is stored when anything in the report is wrong (exit 1, naming the JSON path).\n"
	"  --reporter ID   submit as this registered reporter (its tier and verification count);\n"
	"                  without it the report is unauthenticated: tier public when its\n"
	"                  'reporter' object names someone, anonymous otherwise\n";

static int read_all(const char *path, dbuf_t *b)
{
	ts_input_t *in = NULL;
	char buf[65536];
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	for (;;) {
		size_t got;
		if ((ret = ts_input_read(in, buf, sizeof(buf), &got)) != TS_OK || got == 0)
			break;
		if ((ret = dbuf_add(b, buf, got)) != TS_OK) {
			if (ret == TS_ELIMIT)
				fprintf(stderr, "tldsec: %s: larger than %u bytes\n", ts_input_name(in), TS_MAX_REPORT_BODY);
			break;
		}
	}
	ts_input_close(&in);
	return ret;
}

static int do_submit(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reporter", required_argument, NULL, 'r' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int64_t reporter = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			if ((reporter = cli_id_arg("report submit", optarg)) < 0)
				return 2;
			break;
		case 'h': fputs(usage_submit, stdout); return 0;
		default: return cli_usage_error("report submit", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("report submit", "one report file (or -) is needed");
	int fmt = cli_format(cli, "json,table", "json", "report submit");
	if (fmt < 0)
		return 2;
	const char *file = argv[optind];
	dbuf_t body;
	dbuf_init(&body, TS_MAX_REPORT_BODY);
	int ret = read_all(file, &body);
	if (ret != TS_OK) {
		dbuf_free(&body);
		return ts_exit_code(ret);
	}
	policy_t pol;
	desk_t *d = NULL;
	desk_err_t err = { 0 };
	static desk_receipt_t r;
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0) {
		dbuf_free(&body);
		return rc;
	}
	ret = desk_report_submit(d, dbuf_str(&body), body.len, reporter, "cli", &r, &err);
	desk_close(&d);
	dbuf_free(&body);
	if (ret != TS_OK)
		return cli_desk_error(&err, strcmp(file, "-") == 0 ? "<stdin>" : file);
	char t1[21], t2[21], t3[21];
	cli_time(r.received_at, t1);
	cli_time(r.ack_due, t2);
	cli_time(r.response_due, t3);
	if (fmt == 0) {
		printf("{\"report_id\":%" PRId64 ",\"case_ids\":[", r.report_id);
		for (size_t i = 0; i < r.n_cases; i++)
			printf("%s%" PRId64, i > 0 ? "," : "", r.case_ids[i]);
		printf("],\"priority\":\"%s\",\"urgent_claim\":%s,\"received_at\":\"%s\",\"ack_due\":\"%s\","
		       "\"response_due\":\"%s\"}\n", r.priority, r.urgent_claim ? "true" : "false", t1, t2, t3);
	} else {
		printf("report:       %" PRId64 "\ncases:        ", r.report_id);
		for (size_t i = 0; i < r.n_cases; i++)
			printf("%s%" PRId64, i > 0 ? " " : "", r.case_ids[i]);
		printf(" (%zu opened, %zu joined)\npriority:     %s%s\nreceived_at:  %s\nack_due:      %s\n"
		       "response_due: %s\n", r.n_opened, r.n_cases - r.n_opened, r.priority,
		       r.urgent_claim ? " (urgent claim)" : "", t1, t2, t3);
	}
	return fflush(stdout) == 0 ? 0 : 4;
}

int cmd_report(cli_t *cli, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage_error("report", "a sub-command is needed: submit");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		fputs(usage_submit, stdout);
		return 0;
	}
	if (strcmp(argv[1], "submit") == 0)
		return do_submit(cli, argc - 1, argv + 1);
	return cli_usage_error("report", "unknown sub-command '%s' (submit)", argv[1]);
}
