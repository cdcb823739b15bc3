/* arena.h — bump allocator: one arena per pipeline stage, freed at once.
 *
 * Every stage (JSON loader, template loader, binder, layout, display list)
 * allocates its objects from an arena it owns; nothing inside is freed
 * individually.  Memory comes from malloc in blocks of at least 64 KiB.
 */
#ifndef ZP_ARENA_H
#define ZP_ARENA_H

#include <stddef.h>

typedef struct zp_arena zp_arena;

/* Creates an empty arena.  Returns NULL when out of memory.  Free with
 * zp_arena_free(). */
zp_arena *zp_arena_new(void);

/* Frees the arena and everything allocated from it.  NULL is a no-op. */
void zp_arena_free(zp_arena *a);

/* Returns n bytes aligned to 16, zero-filled, owned by the arena; NULL when
 * out of memory. */
void *zp_arena_alloc(zp_arena *a, size_t n);

/* Copies n bytes of s and a terminating NUL into the arena. */
char *zp_arena_strndup(zp_arena *a, const char *s, size_t n);

/* Copies the NUL-terminated s into the arena. */
char *zp_arena_strdup(zp_arena *a, const char *s);

/* printf into the arena. */
char *zp_arena_printf(zp_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Bytes handed out so far (for benchmarks). */
size_t zp_arena_used(const zp_arena *a);

#endif
