/* arena.c — a chain of blocks with a bump pointer. */
#include <stdalign.h>
#include <stdint.h>
#include <string.h>

#include "base/alloc.h"
#include "base/arena.h"

struct block {
	struct block *next;
	size_t size;   /* usable bytes after the header */
	size_t used;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct block *head;  /* current block; the chain runs to the first */
	size_t block_size;
	size_t total;
};

#define ALIGN_UP(n) (((n) + (alignof(max_align_t) - 1)) & ~(size_t)(alignof(max_align_t) - 1))

static struct block *block_new(size_t size)
{
	if (size > SIZE_MAX - sizeof(struct block))
		return NULL;
	struct block *b = ts_malloc(sizeof(*b) + size);
	if (b == NULL)
		return NULL;
	b->next = NULL;
	b->size = size;
	b->used = 0;
	return b;
}

arena_t *arena_new(size_t block_size)
{
	arena_t *a = ts_malloc(sizeof(*a));
	if (a == NULL)
		return NULL;
	a->block_size = block_size < 256 ? 256 : block_size;
	a->total = 0;
	a->head = block_new(a->block_size);
	if (a->head == NULL) {
		ts_free(a);
		return NULL;
	}
	return a;
}

void arena_free(arena_t **ap)
{
	if (ap == NULL || *ap == NULL)
		return;
	struct block *b = (*ap)->head;
	while (b != NULL) {
		struct block *next = b->next;
		ts_free(b);
		b = next;
	}
	ts_free(*ap);
	*ap = NULL;
}

void arena_reset(arena_t *a)
{
	struct block *b = a->head;
	while (b->next != NULL) {
		struct block *next = b->next;
		ts_free(b);
		b = next;
	}
	b->used = 0;
	a->head = b;
	a->total = 0;
}

void *arena_alloc(arena_t *a, size_t n)
{
	if (n > SIZE_MAX / 2)
		return NULL;
	n = ALIGN_UP(n ? n : 1);
	struct block *b = a->head;
	if (b->size - b->used < n) {
		size_t size = n > a->block_size ? n : a->block_size;
		struct block *nb = block_new(size);
		if (nb == NULL)
			return NULL;
		nb->next = b;
		a->head = nb;
		b = nb;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *arena_calloc(arena_t *a, size_t n)
{
	void *p = arena_alloc(a, n);
	if (p != NULL)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(arena_t *a, const char *s, size_t n)
{
	char *d = arena_alloc(a, n + 1);
	if (d == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *arena_strdup(arena_t *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

size_t arena_used(const arena_t *a)
{
	return a->total;
}
