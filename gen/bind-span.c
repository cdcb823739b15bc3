/* bind-span.c — see bind-span.h. */
#include "bind-span.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"

zp_span *zp_bind_span_add(zp_bind_spans *v, zp_span_kind kind, size_t start,
                          size_t end, uint32_t seq, zp_loc loc) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    zp_bind_span *nv = realloc(v->v, sizeof *nv * cap);
    if (!nv)
      return NULL;
    v->v = nv;
    v->cap = cap;
  }
  zp_bind_span *r = &v->v[v->n++];
  memset(r, 0, sizeof *r);
  r->seq = seq;
  r->s.kind = kind;
  r->s.start = (uint32_t)start;
  r->s.end = (uint32_t)end;
  r->s.color = ZP_COLOR_INHERIT;
  r->s.loc = loc;
  return &r->s;
}

static int cmp_span(const void *x, const void *y) {
  const zp_bind_span *p = x, *q = y;
  if (p->s.start != q->s.start)
    return p->s.start < q->s.start ? -1 : 1;
  if (p->s.end != q->s.end)
    return p->s.end > q->s.end ? -1 : 1;
  return p->seq < q->seq ? -1 : p->seq > q->seq;
}

const char *zp_bind_span_finish(zp_bind_spans *v, size_t k0, zp_arena *a,
                                const char *text, size_t len,
                                const zp_span **spans, uint32_t *nspans) {
  size_t lead = 0;
  while (lead < len && (text[lead] == ' ' || text[lead] == '\t'))
    lead++;
  while (len > lead && (text[len - 1] == ' ' || text[len - 1] == '\t'))
    len--;
  len -= lead;
  const char *r = zp_arena_strndup(a, text + lead, len);
  size_t k = k0;
  for (size_t i = k0; i < v->n; i++) {
    zp_span *sp = &v->v[i].s;
    size_t st = sp->start > lead ? sp->start - lead : 0;
    size_t en = sp->end > lead ? sp->end - lead : 0;
    st = st < len ? st : len;
    en = en < len ? en : len;
    if (en <= st)
      continue;
    sp->start = (uint32_t)st;
    sp->end = (uint32_t)en;
    v->v[k++] = v->v[i];
  }
  *spans = NULL;
  *nspans = 0;
  if (k > k0) {
    qsort(v->v + k0, k - k0, sizeof *v->v, cmp_span);
    zp_span *out = zp_arena_alloc(a, sizeof *out * (k - k0));
    if (out) {
      for (size_t i = k0; i < k; i++)
        out[i - k0] = v->v[i].s;
      *spans = out;
      *nspans = (uint32_t)(k - k0);
    }
  }
  v->n = k0;
  return r;
}

bool zp_bind_id_add(zp_bind_ids *v, const char *id, zp_loc loc) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 32;
    zp_bind_id *nv = realloc(v->v, sizeof *nv * cap);
    if (!nv)
      return false;
    v->v = nv;
    v->cap = cap;
  }
  v->v[v->n] = (zp_bind_id){id, loc, v->n};
  v->n++;
  return true;
}

static int cmp_id(const void *x, const void *y) {
  const zp_bind_id *p = x, *q = y;
  int r = strcmp(p->id, q->id);
  return r ? r : p->order < q->order ? -1 : p->order > q->order;
}

void zp_bind_id_sort(zp_bind_ids *v) {
  if (v->n)
    qsort(v->v, v->n, sizeof *v->v, cmp_id);
}

bool zp_bind_id_has(const zp_bind_ids *v, const char *id) {
  size_t lo = 0, hi = v->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(v->v[mid].id, id) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < v->n && strcmp(v->v[lo].id, id) == 0;
}

const char *zp_bind_id_nearest(const zp_bind_ids *v, const char *id) {
  const char *names[256];
  int n = 0;
  for (size_t k = 0; k < v->n && n < 256; k++)
    if (!n || strcmp(names[n - 1], v->v[k].id) != 0)
      names[n++] = v->v[k].id;
  return zp_diag_nearest(id, names, n);
}
