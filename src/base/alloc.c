/* alloc.c — malloc wrappers with an optional failure point. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "base/alloc.h"

static atomic_ulong alloc_count;
static atomic_ulong alloc_fail_at; /* 0: never fail */

unsigned long ts_alloc_fail_at(unsigned long n)
{
	unsigned long made = atomic_exchange(&alloc_count, 0);
	atomic_store(&alloc_fail_at, n);
	return made;
}

static int should_fail(void)
{
	unsigned long k = atomic_fetch_add(&alloc_count, 1) + 1;
	unsigned long at = atomic_load(&alloc_fail_at);
	return at != 0 && k >= at;
}

void *ts_malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *ts_calloc(size_t count, size_t size)
{
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *ts_realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

struct zero_part {
	char *p;
	size_t n;
};

static void *zero_main(void *arg)
{
	struct zero_part *z = arg;
	memset(z->p, 0, z->n);
	return NULL;
}

void *ts_zalloc_table(size_t n)
{
	const size_t huge = (size_t)2 << 20;
	if (n < huge)
		return ts_calloc(1, n);
	if (should_fail())
		return NULL;
	n = (n + huge - 1) & ~(huge - 1);
	void *p = NULL;
	if (posix_memalign(&p, huge, n) != 0)
		return NULL;
	/* The page faults of a large table take milliseconds, before any
	 * parsing starts: a second thread takes half of them. */
	struct zero_part half = { (char *)p + n / 2, n / 2 };
	pthread_t th;
	bool two = n >= 4 * huge && pthread_create(&th, NULL, zero_main, &half) == 0;
	memset(p, 0, two ? n / 2 : n);
	if (two)
		pthread_join(th, NULL);
	return p;
}

void ts_free(void *p)
{
	free(p);
}

char *ts_strndup(const char *s, size_t n)
{
	char *d = ts_malloc(n + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *ts_strdup(const char *s)
{
	return s != NULL ? ts_strndup(s, strlen(s)) : NULL;
}
