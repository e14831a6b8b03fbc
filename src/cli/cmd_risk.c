/* cmd_risk.c — `tldsec risk assess|simulate|merge|taxonomy`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "base/afile.h"
#include "base/input.h"
#include "base/log.h"
#include "base/num.h"
#include "cli/cli.h"
#include "risk/assess.h"
#include "risk/fair.h"
#include "risk/merge.h"
#include "risk/out.h"
#include "risk/taxonomy.h"
#include "risk/worksheet.h"

static const char group_usage[] =
	"Usage: tldsec risk VERB [OPTIONS] ...\n"
	"\n"
	"Risk workbench (NIST SP 800-30 as adapted by ICANN's DSSA working group; FAIR).\n"
	"\n"
	"Verbs:\n"
	"  assess WORKSHEET.csv      overall likelihood, level of risk, sorted register, heat map\n"
	"  simulate WORKSHEET.csv    FAIR Monte Carlo: annualised loss, percentiles, loss exceedance\n"
	"  merge WORKSHEET.csv ...   coordinated view of many participants, small groups suppressed\n"
	"  taxonomy                  the built-in catalogue of DNS threat events, vulnerabilities, impacts\n"
	"\n"
	"'tldsec risk VERB --help' describes each verb.\n";

/* Writes a rendered document to --out (atomically) or stdout. */
static int emit(rout_t *o, const char *out)
{
	if (o->err != TS_OK) {
		ts_log(TS_LOG_ERR, "output too large or out of memory: %s", ts_strerror(o->err));
		return cli_exit(o->err);
	}
	afile_t af;
	int ret = afile_open(&af, out);
	if (ret != TS_OK)
		return cli_exit(ret);
	if (fwrite(dbuf_str(&o->b), 1, o->b.len, af.fp) != o->b.len) {
		afile_abort(&af);
		ts_log(TS_LOG_ERR, "%s: cannot write", out != NULL ? out : "<stdout>");
		return cli_exit(TS_EIO);
	}
	return cli_exit(afile_commit(&af));
}

static int read_ws(const char *path, unsigned flags, const risk_taxonomy_t *tax, risk_ws_t **ws)
{
	ts_input_t *in = NULL;
	int ret = ts_input_open(&in, path);
	if (ret != TS_OK)
		return ret;
	ret = risk_ws_read(ws, in, flags, tax);
	ts_input_close(&in);
	return ret;
}

static const struct option out_opts[] = {
	{ "out", required_argument, NULL, 'o' },
	{ "trials", required_argument, NULL, 't' },
	{ "seed", required_argument, NULL, 's' },
	{ "threads", required_argument, NULL, 'j' },
	{ "min-participants", required_argument, NULL, 'k' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* ---- assess ---------------------------------------------------------------- */

static int risk_assess_cmd(cli_t *cli, int argc, char **argv)
{
	static const char usage[] =
		"Usage: tldsec risk assess WORKSHEET.csv [--format table|json|csv|html] [--out FILE]\n"
		"\n"
		"Derives each threat event's overall likelihood (NIST SP 800-30 Table G-5) from\n"
		"initiation_likelihood and impact_likelihood, and its level of risk (Table I-2) from\n"
		"that and impact; prints the register sorted by risk, then likelihood, highest first,\n"
		"and a 5x5 heat map (inline SVG in the HTML). Values are the words very low|low|\n"
		"moderate|high|very high or numbers 0-100. A threat event the taxonomy does not know\n"
		"is a warning.\n"
		"\n"
		"  --out FILE   write to FILE atomically instead of standard output\n";
	const char *out = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", out_opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("risk assess", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("risk assess", "expected one WORKSHEET.csv");
	int fmt = cli_format(cli, "table,json,csv,html", "table", "risk assess");
	if (fmt < 0)
		return 2;
	risk_taxonomy_t *tax = NULL;
	risk_ws_t *ws = NULL;
	risk_assessment_t *a = NULL;
	rout_t o;
	rout_init(&o);
	int ret = risk_taxonomy_load(&tax);
	if (ret == TS_OK)
		ret = read_ws(argv[optind], RISK_WS_NEED_QUAL, tax, &ws);
	if (ret == TS_OK)
		ret = risk_assess(ws, &a);
	int rc = cli_exit(ret);
	if (ret == TS_OK) {
		switch (fmt) {
		case 0: risk_assess_render_table(a, &o); break;
		case 1: risk_assess_render_json(a, &o); break;
		case 2: risk_assess_render_csv(a, &o); break;
		default: risk_assess_render_html(a, &o); break;
		}
		rc = emit(&o, out);
	}
	rout_free(&o);
	risk_assessment_free(&a);
	risk_ws_free(&ws);
	risk_taxonomy_free(&tax);
	return rc;
}

/* ---- simulate -------------------------------------------------------------- */

static int risk_simulate_cmd(cli_t *cli, int argc, char **argv)
{
	static const char usage[] =
		"Usage: tldsec risk simulate WORKSHEET.csv [--trials N] [--seed S] [--threads T]\n"
		"                            [--format table|json|csv|html] [--out FILE]\n"
		"\n"
		"FAIR Monte Carlo over the rows that set tef_min/tef_mode/tef_max, vuln (or\n"
		"vuln_min/vuln_mode/vuln_max) and loss_min/loss_mode/loss_max. Each trial is one\n"
		"simulated year: threat event frequency and vulnerability are beta-PERT draws,\n"
		"events ~ Poisson(TEF x vuln), loss = sum of per-event beta-PERT draws. Prints the\n"
		"annualised loss mean and 10th/50th/90th percentiles per row and for the register,\n"
		"and the register's loss exceedance curve (inline SVG in the HTML). The same seed\n"
		"gives byte-identical output whatever the number of threads.\n"
		"\n"
		"  --trials N    simulated years (default 100000, at most 100000000)\n"
		"  --seed S      64-bit unsigned seed (default 1)\n"
		"  --threads T   worker threads (default: the number of online CPUs, at most 64)\n"
		"  --out FILE    write to FILE atomically instead of standard output\n";
	const char *out = NULL;
	uint64_t trials = 100000, seed = 1, threads = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:t:s:j:h", out_opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 't':
			if (ts_parse_uint_arg(optarg, RISK_FAIR_MAX_TRIALS, &trials) != TS_OK || trials == 0)
				return cli_usage_error("risk simulate", "--trials wants 1 to %llu",
				                       (unsigned long long)RISK_FAIR_MAX_TRIALS);
			break;
		case 's':
			if (ts_parse_uint_arg(optarg, UINT64_MAX, &seed) != TS_OK)
				return cli_usage_error("risk simulate", "--seed wants an unsigned 64-bit number");
			break;
		case 'j':
			if (ts_parse_uint_arg(optarg, 64, &threads) != TS_OK || threads == 0)
				return cli_usage_error("risk simulate", "--threads wants 1 to 64");
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("risk simulate", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("risk simulate", "expected one WORKSHEET.csv");
	int fmt = cli_format(cli, "table,json,csv,html", "table", "risk simulate");
	if (fmt < 0)
		return 2;
	if (threads == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 1 ? 1 : n > 64 ? 64 : (uint64_t)n;
	}
	risk_ws_t *ws = NULL;
	risk_fair_t *sim = NULL;
	rout_t o;
	rout_init(&o);
	int ret = read_ws(argv[optind], RISK_WS_NEED_QUANT, NULL, &ws);
	if (ret == TS_OK)
		ret = risk_fair_run(ws, trials, seed, (unsigned)threads, &sim);
	int rc = cli_exit(ret);
	if (ret == TS_OK) {
		switch (fmt) {
		case 0: risk_fair_render_table(sim, &o); break;
		case 1: risk_fair_render_json(sim, &o); break;
		case 2: risk_fair_render_csv(sim, &o); break;
		default: risk_fair_render_html(sim, &o); break;
		}
		rc = emit(&o, out);
	}
	rout_free(&o);
	risk_fair_free(&sim);
	risk_ws_free(&ws);
	return rc;
}

/* ---- merge ----------------------------------------------------------------- */

static int risk_merge_cmd(cli_t *cli, int argc, char **argv)
{
	static const char usage[] =
		"Usage: tldsec risk merge WORKSHEET.csv ... [--min-participants K]\n"
		"                         [--format table|json|csv] [--out FILE]\n"
		"\n"
		"Builds the coordinated view of many participants' worksheets: per threat event, the\n"
		"number of participants and the median and interquartile range of initiation\n"
		"likelihood, overall likelihood, impact and risk. A participant is one input file,\n"
		"or each distinct value of a 'participant' column when the file has one. A threat\n"
		"event contributed by fewer than K participants is suppressed in every format;\n"
		"only the number of suppressed events is printed.\n"
		"\n"
		"  --min-participants K   suppression threshold (default 3, at least 1)\n"
		"  --out FILE             write to FILE atomically instead of standard output\n";
	const char *out = NULL;
	uint64_t k = 3;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:k:h", out_opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'k':
			if (ts_parse_uint_arg(optarg, 1000000, &k) != TS_OK || k == 0)
				return cli_usage_error("risk merge", "--min-participants wants a number from 1");
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("risk merge", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind < 1)
		return cli_usage_error("risk merge", "expected at least one WORKSHEET.csv");
	int fmt = cli_format(cli, "table,json,csv", "table", "risk merge");
	if (fmt < 0)
		return 2;
	risk_taxonomy_t *tax = NULL;
	risk_merge_t *m = NULL;
	rout_t o;
	rout_init(&o);
	int ret = risk_taxonomy_load(&tax);
	if (ret == TS_OK)
		ret = risk_merge_new(&m, tax, (size_t)k);
	for (int i = optind; i < argc && ret == TS_OK; i++) {
		risk_ws_t *ws = NULL;
		/* no taxonomy warnings here: they would name events that may be suppressed */
		ret = read_ws(argv[i], RISK_WS_NEED_QUAL, NULL, &ws);
		if (ret == TS_OK)
			ret = risk_merge_add(m, ws);
		risk_ws_free(&ws);
	}
	if (ret == TS_OK)
		ret = risk_merge_finish(m);
	int rc = cli_exit(ret);
	if (ret == TS_OK) {
		switch (fmt) {
		case 0: risk_merge_render_table(m, &o); break;
		case 1: risk_merge_render_json(m, &o); break;
		default:
			risk_merge_render_csv(m, &o);
			if (risk_merge_suppressed(m) > 0)
				ts_log(TS_LOG_WARN, "%zu threat events suppressed (fewer than %zu participants)",
				       risk_merge_suppressed(m), (size_t)k);
			break;
		}
		rc = emit(&o, out);
	}
	rout_free(&o);
	risk_merge_free(&m);
	risk_taxonomy_free(&tax);
	return rc;
}

/* ---- taxonomy -------------------------------------------------------------- */

static int risk_taxonomy_cmd(cli_t *cli, int argc, char **argv)
{
	static const char usage[] =
		"Usage: tldsec risk taxonomy [--format text|json] [--out FILE]\n"
		"\n"
		"Prints the built-in catalogue of DNS threat events, vulnerabilities and impacts,\n"
		"each with its provenance (RFC 3833, SAC 040, SAC 044, the DSSA working group,\n"
		"NIST SP 800-30, the Registry Agreement). Worksheets name threat events by the\n"
		"catalogue's id or name.\n"
		"\n"
		"  --out FILE   write to FILE atomically instead of standard output\n";
	const char *out = NULL;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:h", out_opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("risk taxonomy", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 0)
		return cli_usage_error("risk taxonomy", "unexpected argument '%s'", argv[optind]);
	int fmt = cli_format(cli, "text,json", "text", "risk taxonomy");
	if (fmt < 0)
		return 2;
	risk_taxonomy_t *tax = NULL;
	int ret = risk_taxonomy_load(&tax);
	if (ret != TS_OK)
		return cli_exit(ret);
	rout_t o;
	rout_init(&o);
	if (fmt == 0)
		risk_taxonomy_render_text(tax, &o);
	else
		risk_taxonomy_render_json(tax, &o);
	int rc = emit(&o, out);
	rout_free(&o);
	risk_taxonomy_free(&tax);
	return rc;
}

int cmd_risk(cli_t *cli, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		if (argc < 2) {
			fputs(group_usage, stderr);
			return 2;
		}
		fputs(group_usage, stdout);
		return 0;
	}
	const char *verb = argv[1];
	if (strcmp(verb, "assess") == 0)
		return risk_assess_cmd(cli, argc - 1, argv + 1);
	if (strcmp(verb, "simulate") == 0)
		return risk_simulate_cmd(cli, argc - 1, argv + 1);
	if (strcmp(verb, "merge") == 0)
		return risk_merge_cmd(cli, argc - 1, argv + 1);
	if (strcmp(verb, "taxonomy") == 0)
		return risk_taxonomy_cmd(cli, argc - 1, argv + 1);
	return cli_usage_error("risk", "unknown verb '%s'", verb);
}
