/* fuzz_export_zone.c — the patched-zone writer on arbitrary bytes: a clean
 * error, or an output that the scanner reads back to exactly the records
 * the writer says it wrote (the writer's one-line form, its $ORIGIN lines
 * and the RDATA text it copies must always make a valid zone again). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/log.h"
#include "dns/zone.h"
#include "export/zone.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void quiet(void *user, ts_log_level_t level, const char *file, unsigned long line,
                  unsigned long col, const char *msg)
{
	(void)user; (void)level; (void)file; (void)line; (void)col; (void)msg;
}

static int count(void *user, const zone_rr_t *rr)
{
	(void)rr;
	(*(uint64_t *)user)++;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ts_log_set(quiet, NULL, TS_LOG_ERR);
	int fd = memfd_create("zone", 0);
	if (fd < 0)
		return 0;
	if (size > 0 && write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	static const char *const susp[] = { "a.fuzz", "b.a.fuzz" };
	static const char *const sink[] = { "ns.sink.example" };
	static const export_zone_redirect_t red[] = { { "c.fuzz", sink, 1 } };
	export_zone_opts_t o = { .origin = "fuzz.", .no_include = true, .suspend = susp, .nsuspend = 1,
	                         .redirect = red, .nredirect = 1, .now = 1767225600 };
	/* two different acted-on sets, on the same input */
	for (int round = 0; round < 2; round++) {
		o.suspend = susp + round;
		char *buf = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&buf, &len);
		if (out == NULL)
			break;
		export_zone_totals_t t;
		int ret = export_zone_write_fp(path, &o, out, &t);
		fclose(out);
		if (ret == TS_OK) {
			uint64_t n = 0;
			zone_opts_t zo = { .default_ttl = 3600, .no_include = true };
			if (zone_scan_mem("out", buf, len, &zo, count, &n, NULL) != TS_OK || n != t.records_out)
				__builtin_trap();
			/* every record read is written or removed; a redirect found writes its one sinkhole NS */
			if (t.records_out != t.records_in - t.removed + t.redirected)
				__builtin_trap();
		}
		free(buf);
	}
	close(fd);
	return 0;
}
