/* gzbytes.h — gzip in memory, for tests that feed the input layer and the
 * zone scanner compressed text. Include after unit.h (cmocka's asserts). */
#ifndef TS_GZBYTES_H
#define TS_GZBYTES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* s[0..n) as a gzip member, in a malloc'd buffer the caller frees. */
static char *gzip_bytes(const char *s, size_t n, size_t *out_len)
{
	z_stream z;
	memset(&z, 0, sizeof(z));
	assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY), Z_OK);
	size_t cap = deflateBound(&z, n) + 64;
	char *out = malloc(cap);
	assert_non_null(out);
	z.next_in = (unsigned char *)(uintptr_t)s;
	z.avail_in = (unsigned)n;
	z.next_out = (unsigned char *)out;
	z.avail_out = (unsigned)cap;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	*out_len = z.total_out;
	deflateEnd(&z);
	return out;
}

#endif
