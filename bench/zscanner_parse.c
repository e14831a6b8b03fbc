/* zscanner_parse.c — the anchor of the zone-scanner benchmark: Knot DNS's
 * libzscanner parses a zone file with a callback that does nothing, and we
 * print its throughput.
 *
 * Usage: zscanner_parse ZONE ORIGIN
 * Prints one line: "libzscanner: BYTES bytes RECORDS records SECONDS s MB/s" and
 * exits 1 when the file cannot be parsed. */
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>

#include <libzscanner/scanner.h>

static void on_record(zs_scanner_t *s)
{
	uint64_t *n = s->process.data;
	(*n)++;
}

static void on_error(zs_scanner_t *s)
{
	fprintf(stderr, "zscanner_parse: line %llu: %s\n", (unsigned long long)s->line_counter,
	        zs_strerror(s->error.code));
	s->state = ZS_STATE_STOP;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: zscanner_parse ZONE ORIGIN\n");
		return 2;
	}
	struct stat st;
	if (stat(argv[1], &st) != 0) {
		perror(argv[1]);
		return 1;
	}
	zs_scanner_t s;
	uint64_t records = 0;
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (zs_init(&s, argv[2], 1, 3600) != 0 ||
	    zs_set_processing(&s, on_record, on_error, &records) != 0 ||
	    zs_set_input_file(&s, argv[1]) != 0) {
		fprintf(stderr, "zscanner_parse: %s: %s\n", argv[1], zs_strerror(s.error.code));
		zs_deinit(&s);
		return 1;
	}
	int ret = zs_parse_all(&s);
	bool failed = ret != 0 || s.error.counter > 0;
	zs_deinit(&s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double sec = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("libzscanner: %lld bytes %llu records %.3f s %.1f MB/s\n", (long long)st.st_size,
	       (unsigned long long)records, sec, (double)st.st_size / sec / 1e6);
	return failed ? 1 : 0;
}
