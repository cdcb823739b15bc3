/* bind-span.h — private to the binder (gen/bind*.c, through bind-imp.h);
 * nothing else includes it.
 *
 * The bookkeeping of inline spans while texts are bound: the spans of the
 * texts being built (a note's text is built inside its paragraph's, so one
 * list serves both: a text owns the spans from where it started), their
 * trimming, sorting and copying into the document; the note markers; and
 * the ids given and the ids referred to, checked against each other at
 * the end of a bind.  No diagnostics here: bind-text.c reports.
 */
#ifndef ZP_BIND_SPAN_H
#define ZP_BIND_SPAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "doc.h"

/* A span being built, with the order its element was entered in, so that
 * spans of equal range sort outer first. */
typedef struct zp_bind_span {
  zp_span s;
  uint32_t seq;
} zp_bind_span;

typedef struct zp_bind_spans {
  zp_bind_span *v; /* malloc'd */
  size_t n, cap;
} zp_bind_spans;

/* Appends a span of kind over bytes [start, end) of the text being built,
 * made by the element at loc entered as seq; every other member zero (the
 * colour ZP_COLOR_INHERIT).  NULL when out of memory. */
zp_span *zp_bind_span_add(zp_bind_spans *v, zp_span_kind kind, size_t start,
                          size_t end, uint32_t seq, zp_loc loc);

/* Finishes a text: its len bytes at text, trimmed of spaces and tabs at
 * both ends, copied into arena a (returned; NULL when out of memory); the
 * spans from v->v[k0] moved with it (those left empty dropped), sorted by
 * start, longer first, outer first (doc.h), copied into a as *spans and
 * *nspans (NULL and 0 when none), and removed from v. */
const char *zp_bind_span_finish(zp_bind_spans *v, size_t k0, zp_arena *a,
                                const char *text, size_t len,
                                const zp_span **spans, uint32_t *nspans);

/* An id given (or referred to) by the element at loc. */
typedef struct zp_bind_id {
  const char *id;
  zp_loc loc;
  size_t order; /* as added: keeps the sort stable */
} zp_bind_id;

typedef struct zp_bind_ids {
  zp_bind_id *v; /* malloc'd */
  size_t n, cap;
} zp_bind_ids;

/* Appends id (not copied: it lives in the document's arena); false when
 * out of memory. */
bool zp_bind_id_add(zp_bind_ids *v, const char *id, zp_loc loc);
/* Sorts v by id, then by the order added. */
void zp_bind_id_sort(zp_bind_ids *v);
/* Is id in v (sorted)? */
bool zp_bind_id_has(const zp_bind_ids *v, const char *id);
/* The id of v (sorted) nearest to id (zp_diag_nearest, over at most its
 * first 256 distinct ids), or NULL. */
const char *zp_bind_id_nearest(const zp_bind_ids *v, const char *id);

#endif
