/* cmd_serve.c — `tldsec serve`: the HTTP intake API (src/http). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/num.h"
#include "cli/desk_cli.h"
#include "http/server.h"

static const char usage[] =
	"Usage: tldsec serve [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--workers N]\n\n"
	"Serves the HTTP API (/v1/reports, /v1/cases, /v1/stats, /healthz, /metrics) on the\n"
	"database given by --db, under the policy of --config. Prints a readiness line on\n"
	"stderr once it listens; SIGTERM or SIGINT stops it gracefully (requests in flight\n"
	"are answered and committed; exit 0). Logs are key=value lines on stderr (-v: one\n"
	"line per request).\n"
	"  --listen ADDR:PORT   where to listen ([server] listen, default 127.0.0.1:8053;\n"
	"                       port 0 picks a free port, named in the readiness line)\n"
	"  --tls-cert FILE      PEM certificate (chain): serve HTTPS\n"
	"  --tls-key FILE       PEM private key of the certificate\n"
	"  --workers N          HTTP worker threads, 1 to 64 ([server] workers, default 2)\n";

static const char *level_name(ts_log_level_t l)
{
	switch (l) {
	case TS_LOG_ERR: return "error";
	case TS_LOG_WARN: return "warn";
	case TS_LOG_INFO: return "info";
	default: return "debug";
	}
}

/* key=value lines: ts, level, then the message's own keys or msg="...". */
static void log_kv(void *user, ts_log_level_t level, const char *file, unsigned long line, unsigned long col,
                   const char *msg)
{
	(void)user;
	int64_t now;
	char ts[TS_TIME_TEXT];
	if (ts_now(&now) != TS_OK)
		now = 0;
	ts_time_format(now, ts);
	fprintf(stderr, "ts=%s level=%s ", ts, level_name(level));
	if (file != NULL)
		fprintf(stderr, "file=\"%s\" line=%lu col=%lu ", file, line, col);
	if (strncmp(msg, "msg=", 4) == 0) {
		fprintf(stderr, "%s\n", msg);
		return;
	}
	fputs("msg=\"", stderr);
	for (const char *p = msg; *p != '\0'; p++)
		fputc(*p == '"' ? '\'' : *p == '\n' ? ' ' : *p, stderr);
	fputs("\"\n", stderr);
}

int cmd_serve(cli_t *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' }, { "tls-cert", required_argument, NULL, 'c' },
		{ "tls-key", required_argument, NULL, 'k' }, { "workers", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' }, { 0 }
	};
	server_opts_t o = { 0 };
	uint64_t workers = 0;
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'l': o.listen = optarg; break;
		case 'c': o.tls_cert = optarg; break;
		case 'k': o.tls_key = optarg; break;
		case 'w':
			if (ts_parse_u64(optarg, strlen(optarg), 64, &workers) != TS_OK || workers == 0)
				return cli_usage_error("serve", "--workers: '%s' is not a whole number from 1 to 64", optarg);
			break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error("serve", "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error("serve", "unexpected argument '%s'", argv[optind]);
	if ((o.tls_cert == NULL) != (o.tls_key == NULL))
		return cli_usage_error("serve", "--tls-cert and --tls-key go together");
	policy_t pol;
	desk_t *d = NULL;
	server_t *s = NULL;
	char err[512];
	int rc = cli_desk_open(cli, &pol, false, &d);
	if (rc != 0)
		return rc;
	desk_set_actor(d, "api");
	if (o.listen == NULL)
		o.listen = pol.listen;
	o.workers = (unsigned)(workers > 0 ? workers : pol.workers);
	ts_log_set(log_kv, NULL, cli->quiet ? TS_LOG_ERR : cli->verbose >= 1 ? TS_LOG_DEBUG : TS_LOG_INFO);
	/* the signals are taken by sigwait below; every thread inherits the mask */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	int ret = server_start(&s, d, &pol, &o, err, sizeof(err));
	if (ret != TS_OK) {
		ts_log(TS_LOG_ERR, "msg=\"cannot start\" error=\"%s\"", err);
		desk_close(&d);
		return ret == TS_EUSAGE ? 2 : cli_exit(ret);
	}
	const char *scheme = o.tls_cert != NULL ? "https" : "http";
	char host[256];
	snprintf(host, sizeof(host), "%s", o.listen);
	char *colon = strrchr(host, ':');
	if (colon != NULL)
		*colon = '\0';
	ts_log(TS_LOG_INFO, "msg=ready url=%s://%s:%u workers=%u tls=%s db=\"%s\"", scheme, host,
	       (unsigned)server_port(s), o.workers, o.tls_cert != NULL ? "yes" : "no", cli->db);
	int sig = 0;
	sigwait(&set, &sig);
	ts_log(TS_LOG_INFO, "msg=stopping signal=%s", sig == SIGTERM ? "TERM" : "INT");
	server_stop(&s, 10000);
	desk_close(&d);
	ts_log(TS_LOG_INFO, "msg=stopped");
	return 0;
}
