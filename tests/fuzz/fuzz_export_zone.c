/* fuzz_export_zone.c — the patched-zone writer on arbitrary bytes: a clean
 * error, or an output that the scanner reads back to exactly the records
 * the writer says it wrote (the writer's one-line form, its $ORIGIN lines
 * and the RDATA text it copies must always make a valid zone again); and
 * the form that copies the input into a file holds the same records, in
 * the same order, as the one-line form. */
#include <stdbool.h>
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

struct sum {
	uint64_t h, n;
};

static void mix(struct sum *u, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		u->h = (u->h ^ b[i]) * 0x100000001b3u;
}

static int on_sum(void *user, const zone_rr_t *rr)
{
	struct sum *u = user;
	uint32_t head[3] = { rr->ttl, rr->type, rr->rclass };
	mix(u, rr->owner, rr->owner_len + 1);
	mix(u, head, sizeof(head));
	mix(u, rr->origin, rr->origin_len + 1);
	mix(u, rr->rdata, rr->rdata_len);
	u->n++;
	return 0;
}

/* The records of a zone text, in order, as one hash; false when it does not scan. */
static bool zone_sum(const char *text, size_t len, struct sum *u)
{
	*u = (struct sum){ 0xcbf29ce484222325u, 0 };
	zone_opts_t zo = { .origin = "fuzz.", .default_ttl = 3600, .no_include = true, .decode = ZONE_DEC_TEXT };
	return zone_scan_mem("out", text, len, &zo, on_sum, u, NULL) == TS_OK;
}

/* The copying form into a memory file: its code, and its text (caller frees). */
static int copied(const char *path, const export_zone_opts_t *o, char **text, size_t *len)
{
	*text = NULL;
	*len = 0;
	int fd = memfd_create("out", 0);
	if (fd < 0)
		return TS_EIO;
	FILE *f = fdopen(dup(fd), "w");
	if (f == NULL) {
		close(fd);
		return TS_EIO;
	}
	export_zone_totals_t t;
	int ret = export_zone_write_fp(path, o, f, &t);
	fclose(f);
	off_t n = lseek(fd, 0, SEEK_END);
	if (ret == TS_OK && n >= 0 && (*text = malloc((size_t)n + 1)) != NULL) {
		*len = (size_t)n;
		if (pread(fd, *text, (size_t)n, 0) != (ssize_t)n)
			__builtin_trap();
	}
	close(fd);
	return ret;
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
		/* the copying form: the same result, the same records */
		char *text;
		size_t tlen;
		int cret = copied(path, &o, &text, &tlen);
		if (cret != ret && cret != TS_ENOMEM)
			__builtin_trap();
		if (ret == TS_OK && cret == TS_OK && text != NULL) {
			struct sum a, b;
			if (!zone_sum(buf, len, &a) || !zone_sum(text, tlen, &b) || a.h != b.h || a.n != b.n)
				__builtin_trap();
		}
		free(text);
		free(buf);
	}
	close(fd);
	return 0;
}
