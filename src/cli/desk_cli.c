/* desk_cli.c — policy loading, desk opening and error printing for the
 * desk's command groups. */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/num.h"
#include "cli/desk_cli.h"

int cli_policy(const cli_t *cli, policy_t *pol)
{
	policy_err_t perr = { 0 };
	const char *path = cli->config;
	if (path == NULL && access("./tldsec.conf", F_OK) == 0)
		path = "./tldsec.conf";
	if (path == NULL) {
		policy_defaults(pol);
		return 0;
	}
	int ret = policy_load(pol, path, &perr);
	if (ret != TS_OK) {
		if (perr.line > 0)
			fprintf(stderr, "tldsec: %s:%lu: %s\n", path, perr.line, perr.msg);
		else
			fprintf(stderr, "tldsec: %s: %s\n", path, perr.msg);
		return ts_exit_code(ret);
	}
	return 0;
}

static void actor(char *buf, size_t cap)
{
	const char *u = getenv("USER");
	snprintf(buf, cap, "cli:%s", u != NULL && u[0] != '\0' ? u : "unknown");
}

int cli_desk_open(const cli_t *cli, policy_t *pol, bool create, desk_t **d)
{
	desk_err_t err = { 0 };
	char who[96];
	int rc = cli_policy(cli, pol);
	if (rc != 0)
		return rc;
	if (create && strncmp(cli->db, "postgres", 8) != 0) {
		/* create the directory of the database file */
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s", cli->db);
		char *dn = dirname(dir);
		/* every missing component, like mkdir -p */
		for (char *p = dn + 1; strcmp(dn, ".") != 0; p++) {
			if (*p != '/' && *p != '\0')
				continue;
			char keep = *p;
			*p = '\0';
			if (mkdir(dn, 0777) != 0 && errno != EEXIST) {
				fprintf(stderr, "tldsec: %s: cannot create the directory: %s\n", dn, strerror(errno));
				return 4;
			}
			*p = keep;
			if (keep == '\0')
				break;
		}
	}
	actor(who, sizeof(who));
	int ret = desk_open(d, pol, cli->db, create, who, &err);
	if (ret != TS_OK)
		return cli_desk_error(&err, NULL);
	return 0;
}

int cli_desk_error(const desk_err_t *err, const char *file)
{
	if (file != NULL && err->line > 0)
		fprintf(stderr, "tldsec: %s:%lu:%lu: %s\n", file, err->line, err->col, err->msg);
	else if (file != NULL && err->path[0] != '\0')
		fprintf(stderr, "tldsec: %s: %s: %s\n", file, err->path, err->msg);
	else if (file != NULL)
		fprintf(stderr, "tldsec: %s: %s\n", file, err->msg);
	else if (err->path[0] != '\0')
		fprintf(stderr, "tldsec: %s: %s\n", err->path, err->msg);
	else
		fprintf(stderr, "tldsec: %s\n", err->msg);
	return ts_exit_code(err->code);
}

const char *cli_time(int64_t t, char buf[21])
{
	if (t == 0)
		return NULL;
	ts_time_format(t, buf);
	return buf;
}

int64_t cli_id_arg(const char *cmd, const char *s)
{
	uint64_t v;
	if (s == NULL || ts_parse_uint_arg(s, INT64_MAX, &v) != TS_OK || v == 0) {
		cli_usage_error(cmd, "'%s' is not an id (a positive number)", s != NULL ? s : "");
		return -1;
	}
	return (int64_t)v;
}

int cli_desk_open_listing(const cli_t *cli, policy_t *pol, const char *cmd, desk_t **d)
{
	desk_err_t err = { 0 };
	int rc = cli_desk_open(cli, pol, false, d);
	if (rc != 0)
		return rc;
	if (cli->show_personal && desk_audit_disclosure(*d, cmd, &err) != TS_OK) {
		desk_close(d);
		return cli_desk_error(&err, NULL);
	}
	return 0;
}
