/* arena.c — see arena.h. */
#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZP_ARENA_BLOCK (64 * 1024)

typedef struct zp_block {
  struct zp_block *prev;
  size_t cap, used;
  _Alignas(16) unsigned char data[];
} zp_block;

struct zp_arena {
  zp_block *top;
  size_t total;
};

zp_arena *zp_arena_new(void) { return calloc(1, sizeof(zp_arena)); }

void zp_arena_free(zp_arena *a) {
  if (!a)
    return;
  zp_block *b = a->top;
  while (b) {
    zp_block *p = b->prev;
    free(b);
    b = p;
  }
  free(a);
}

void *zp_arena_alloc(zp_arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (n == 0)
    n = 16;
  zp_block *b = a->top;
  if (!b || b->cap - b->used < n) {
    size_t cap = n > ZP_ARENA_BLOCK ? n : ZP_ARENA_BLOCK;
    zp_block *nb = malloc(sizeof(zp_block) + cap);
    if (!nb)
      return NULL;
    nb->prev = b;
    nb->cap = cap;
    nb->used = 0;
    /* A large one-off request goes below the current block so that the
     * current block's free space stays usable. */
    if (b && n > ZP_ARENA_BLOCK / 4) {
      nb->prev = b->prev;
      b->prev = nb;
      nb->used = n;
      a->total += n;
      memset(nb->data, 0, n);
      return nb->data;
    }
    a->top = b = nb;
  }
  void *p = b->data + b->used;
  b->used += n;
  a->total += n;
  memset(p, 0, n);
  return p;
}

char *zp_arena_strndup(zp_arena *a, const char *s, size_t n) {
  char *p = zp_arena_alloc(a, n + 1);
  if (!p)
    return NULL;
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *zp_arena_strdup(zp_arena *a, const char *s) {
  return zp_arena_strndup(a, s, strlen(s));
}

char *zp_arena_printf(zp_arena *a, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = n < 0 ? NULL : zp_arena_alloc(a, (size_t)n + 1);
  if (p)
    vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

size_t zp_arena_used(const zp_arena *a) { return a->total; }
