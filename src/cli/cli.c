/* cli.c — helpers shared by the commands. */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(stderr, "tldsec: %s: %s\nTry 'tldsec %s --help'.\n", cmd, msg, cmd);
	return 2;
}

int cli_format(const cli_t *cli, const char *allowed, const char *def, const char *cmd)
{
	const char *want = cli->format != NULL ? cli->format : def;
	size_t wlen = strlen(want);
	int idx = 0;
	for (const char *p = allowed; *p != '\0'; idx++) {
		const char *comma = strchr(p, ',');
		size_t len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (len == wlen && strncmp(p, want, len) == 0)
			return idx;
		p += len + (comma != NULL);
	}
	cli_usage_error(cmd, "--format %s is not one of: %s", want, allowed);
	return -1;
}

bool cli_wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return false;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return true;
	}
	return false;
}

int cli_exit(int err)
{
	return ts_exit_code(err);
}

int cli_one_option(int argc, char **argv, const char *cmd, const char *usage, const char *name,
                   const char **value)
{
	const struct option opts[] = {
		{ name, required_argument, NULL, 'v' }, { "help", no_argument, NULL, 'h' }, { 0 }
	};
	int c;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'v': *value = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage_error(cmd, "unknown option or missing value: %s", argv[optind - 1]);
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}
