/* alloc.c — malloc wrappers with an optional failure point. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

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

/* A table's header, in front of it: how it was allocated. */
#define TABLE_HEAD 4096u
#define TABLE_BIG  ((size_t)2 << 20)

struct populate_part {
	char *p;
	size_t n;
};

/* Writes every page of [p, p + n), zeroed: in one system call when the
 * kernel can (MADV_POPULATE_WRITE, Linux 5.14), else by touching them. */
static void populate(char *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
	if (madvise(p, n, MADV_POPULATE_WRITE) == 0)
		return;
#endif
	for (size_t i = 0; i < n; i += 4096)
		p[i] = 0;
}

static void *populate_main(void *arg)
{
	struct populate_part *z = arg;
	populate(z->p, z->n);
	return NULL;
}

void *ts_zalloc_table(size_t n)
{
	if (should_fail())
		return NULL;
	if (n < TABLE_BIG) {
		char *p = calloc(1, TABLE_HEAD + n);
		if (p == NULL)
			return NULL;
		size_t head[2] = { 0, n };
		memcpy(p, head, sizeof(head));
		return p + TABLE_HEAD;
	}
	size_t len = TABLE_HEAD + ((n + 4095) & ~(size_t)4095);
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	/* Anonymous pages come zeroed; they are mapped here, the second half
	 * by a second thread when the table is large. */
	struct populate_part half = { p + len / 2, len - len / 2 };
	pthread_t th;
	bool two = n >= 4 * TABLE_BIG && pthread_create(&th, NULL, populate_main, &half) == 0;
	populate(p, two ? len / 2 : len);
	if (two)
		pthread_join(th, NULL);
	size_t head[2] = { 1, len };
	memcpy(p, head, sizeof(head));
	return p + TABLE_HEAD;
}

void ts_free_table(void *t)
{
	if (t == NULL)
		return;
	char *p = (char *)t - TABLE_HEAD;
	size_t head[2];
	memcpy(head, p, sizeof(head));
	if (head[0] == 1)
		munmap(p, head[1]);
	else
		free(p);
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
