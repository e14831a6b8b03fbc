/* arena.h — a region allocator: many small allocations, freed in one call.
 * One arena per unit of work (a request, a scan, a report). */
#ifndef TS_ARENA_H
#define TS_ARENA_H

#include <stddef.h>

typedef struct arena arena_t;

/* Returns a new arena whose blocks hold at least `block_size` bytes, or NULL. */
arena_t *arena_new(size_t block_size);
/* Frees the arena and everything allocated from it; sets *a to NULL. */
void arena_free(arena_t **a);
/* Forgets every allocation but keeps the first block for reuse. */
void arena_reset(arena_t *a);
/* Returns `n` bytes aligned for any type, or NULL when memory runs out.
 * The memory lives until the arena is reset or freed. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_calloc(arena_t *a, size_t n);
/* Copies `n` bytes of `s` and a terminating NUL into the arena. */
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_strdup(arena_t *a, const char *s);
/* Bytes handed out since creation or the last reset. */
size_t arena_used(const arena_t *a);

#endif
