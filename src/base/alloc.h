/* alloc.h — the project's allocator, with fault injection for out-of-memory
 * tests (fail the Nth allocation, like curl's torture mode). */
#ifndef TS_ALLOC_H
#define TS_ALLOC_H

#include <stddef.h>

void *ts_malloc(size_t n);
void *ts_calloc(size_t count, size_t size);
void *ts_realloc(void *p, size_t n);
void ts_free(void *p);                    /* accepts NULL */
char *ts_strdup(const char *s);           /* returns a new string the caller frees */
char *ts_strndup(const char *s, size_t n);
/* `n` zeroed bytes for a large table that is written at random (aligned
 * as malloc's, to 4096 when mapped). A table of 2 MiB or more is mapped and its pages populated here,
 * in one system call, by two threads when it is large, so that the first
 * write to each page does not fault in the hot loop (where, with other
 * threads running, a read-then-write fault costs a TLB flush on every CPU).
 * Populating took 4 ms for 16 MiB where writing the pages from user space
 * took 7-11 ms. Small pages: huge pages (madvise) measured 2 ms for 16 MiB
 * at best and 20-40 ms when the kernel had to find them. Free with
 * ts_free_table. */
void *ts_zalloc_table(size_t n);
void ts_free_table(void *t);              /* accepts NULL */

/* Test hook: the `n`th allocation from now (1-based) and every one after it
 * fail; 0 switches failures off. Returns how many allocations were made since
 * the last call (so a test can learn the count, then fail each in turn). */
unsigned long ts_alloc_fail_at(unsigned long n);

#endif
