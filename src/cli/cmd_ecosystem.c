/* cmd_ecosystem.c — `tldsec ecosystem map`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/afile.h"
#include "base/input.h"
#include "base/log.h"
#include "base/num.h"
#include "cli/cli.h"
#include "risk/ecomap.h"
#include "risk/out.h"

static const char group_usage[] =
	"Usage: tldsec ecosystem VERB [OPTIONS] ...\n"
	"\n"
	"Verbs:\n"
	"  map MAP.csv   who does which security function at which layer: gaps, overlaps,\n"
	"                disagreements between own claims and desk research\n";

static const char map_usage[] =
	"Usage: tldsec ecosystem map MAP.csv [--overlap N] [--format table|json|html] [--out FILE]\n"
	"\n"
	"Reads organization, org_type, function, layer (edge|glue|core), scope\n"
	"(internal|external), basis (self|desk), note; prints the functions x layers matrix\n"
	"with the organizations in each cell, the gaps (cells with nobody), the overlaps\n"
	"(cells with more than N organizations) and the disagreements (a claim made on one\n"
	"basis only, for an organization that has both its own claims and desk research).\n"
	"Functions: risk planning, risk assessment, compliance monitoring, event monitoring,\n"
	"incident response, research and analysis, frontline mitigation, standards tools\n"
	"and techniques, training, coordination and sharing.\n"
	"\n"
	"  --overlap N   a cell with more than N organizations is an overlap (default 3)\n"
	"  --out FILE    write to FILE atomically instead of standard output\n";

static int map_cmd(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "overlap", required_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL;
	uint64_t overlap = 3;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "o:n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'o': out = optarg; break;
		case 'n':
			if (ts_parse_uint_arg(optarg, 1000000, &overlap) != TS_OK)
				return cli_usage_error("ecosystem map", "--overlap wants a number");
			break;
		case 'h': fputs(map_usage, stdout); return 0;
		default: return cli_usage_error("ecosystem map", "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind != 1)
		return cli_usage_error("ecosystem map", "expected one MAP.csv");
	int fmt = cli_format(cli, "table,json,html", "table", "ecosystem map");
	if (fmt < 0)
		return 2;
	ts_input_t *in = NULL;
	eco_map_t *m = NULL;
	int ret = ts_input_open(&in, argv[optind]);
	if (ret == TS_OK)
		ret = eco_map_read(&m, in, (size_t)overlap);
	ts_input_close(&in);
	if (ret != TS_OK)
		return cli_exit(ret);
	rout_t o;
	rout_init(&o);
	if (fmt == 0)
		eco_map_render_table(m, &o);
	else if (fmt == 1)
		eco_map_render_json(m, &o);
	else
		eco_map_render_html(m, &o);
	int rc;
	afile_t af;
	if (o.err != TS_OK) {
		ts_log(TS_LOG_ERR, "output too large or out of memory");
		rc = cli_exit(o.err);
	} else if ((ret = afile_open(&af, out)) != TS_OK) {
		rc = cli_exit(ret);
	} else if (fwrite(dbuf_str(&o.b), 1, o.b.len, af.fp) != o.b.len) {
		afile_abort(&af);
		ts_log(TS_LOG_ERR, "%s: cannot write", out != NULL ? out : "<stdout>");
		rc = cli_exit(TS_EIO);
	} else {
		rc = cli_exit(afile_commit(&af));
	}
	rout_free(&o);
	eco_map_free(&m);
	return rc;
}

int cmd_ecosystem(cli_t *cli, int argc, char **argv)
{
	if (argc < 2) {
		fputs(group_usage, stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(group_usage, stdout);
		return 0;
	}
	if (strcmp(argv[1], "map") == 0)
		return map_cmd(cli, argc - 1, argv + 1);
	return cli_usage_error("ecosystem", "unknown verb '%s'", argv[1]);
}
