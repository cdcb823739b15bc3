/* json_merge.c — the JSON module: several data files read as one (see
 * json.h, zp_json_merge).
 *
 * The merged tree shares every value below the merged levels with the
 * files' own trees; only the members of the root and of objects that
 * several files define are copied (their sibling links differ).  Each copy
 * is recorded with its file, so that diagnostics still name the file and
 * line a value came from. */
#include <stdlib.h>
#include <string.h>

#include "json.h"

struct zp_json_origin {
  const zp_json *node; /* a copied member */
  const char *file;
};

typedef struct merger {
  zp_json_doc *out;
  zp_json_origin *origins;
  size_t n, cap;
  zp_diag *d;
} merger;

static bool note_origin(merger *m, const zp_json *node, const char *file) {
  if (m->n == m->cap) {
    size_t cap = m->cap ? m->cap * 2 : 64;
    zp_json_origin *o = realloc(m->origins, cap * sizeof *o);
    if (!o)
      return false;
    m->origins = o;
    m->cap = cap;
  }
  m->origins[m->n++] = (zp_json_origin){node, file};
  return true;
}

static const char *origin_of(const merger *m, const zp_json *v) {
  for (size_t i = 0; i < m->n; i++)
    if (m->origins[i].node == v)
      return m->origins[i].file;
  return NULL;
}

/* Adds the members of src (an object of file) to dst (a copied object),
 * recursively for objects both define. */
static bool merge_into(merger *m, zp_json *dst, const zp_json *src,
                       const char *file) {
  zp_json *last = dst->child;
  while (last && last->next)
    last = last->next;
  /* dst's own members are found through its index (the members this
   * loop appends come from src, whose keys are distinct) */
  if (!dst->index && !zp_json_reindex(m->out->arena, dst)) {
    zp_error(m->d, ((zp_loc){file, 0, 0}), "out of memory");
    return false;
  }
  size_t before = dst->length;
  for (const zp_json *s = src->child; s; s = s->next) {
    zp_json *have = NULL;
    if (dst->index) {
      have = (zp_json *)zp_json_get(dst, s->key);
    } else { /* a small object: its first `before` members are its own */
      size_t k = 0;
      for (zp_json *c = dst->child; c && k < before && !have; c = c->next, k++)
        if (strcmp(c->key, s->key) == 0)
          have = c;
    }
    if (have && have->type == ZP_JSON_OBJECT && s->type == ZP_JSON_OBJECT) {
      /* make the earlier object a copy of its own, then add to it */
      if (!merge_into(m, have, s, file))
        return false;
      continue;
    }
    if (have) {
      char jp[256];
      zp_json_path(s, jp, sizeof jp);
      const char *first = origin_of(m, have);
      zp_error(m->d, ((zp_loc){file, s->line, s->col}),
               "%s is also defined in %s:%d:%d; a member may come from one "
               "data file only, unless both are objects (then their members "
               "are merged)",
               jp, first ? first : "an earlier file", have->line, have->col);
      return false;
    }
    zp_json *c = zp_arena_alloc(m->out->arena, sizeof *c);
    if (!c || !note_origin(m, c, file)) {
      zp_error(m->d, ((zp_loc){file, 0, 0}), "out of memory");
      return false;
    }
    *c = *s;
    c->next = NULL;
    c->parent = dst;
    if (s->type == ZP_JSON_OBJECT) {
      /* copied one level down, so that a later file may add to it */
      c->child = NULL;
      c->length = 0;
      c->index = NULL;
      if (!merge_into(m, c, s, file))
        return false;
    }
    if (last)
      last->next = c;
    else
      dst->child = c;
    last = c;
    dst->length++;
  }
  if (dst->length != before && !zp_json_reindex(m->out->arena, dst)) {
    zp_error(m->d, ((zp_loc){file, 0, 0}), "out of memory");
    return false;
  }
  return true;
}

zp_json_doc *zp_json_merge(zp_json_doc **docs, int n, zp_diag *d) {
  merger m = {.d = d};
  zp_arena *a = NULL;
  bool ok = false;
  if (n == 1)
    return docs[0];
  a = zp_arena_new();
  if (a)
    m.out = zp_arena_alloc(a, sizeof *m.out);
  zp_json *root = a ? zp_arena_alloc(a, sizeof *root) : NULL;
  zp_json_doc **parts = a ? zp_arena_alloc(a, sizeof *parts * (size_t)n) : NULL;
  if (!m.out || !root || !parts) {
    zp_error(d, ((zp_loc){NULL, 0, 0}), "out of memory");
    goto done;
  }
  m.out->arena = a;
  root->type = ZP_JSON_OBJECT;
  root->line = root->col = 1;
  for (int i = 0; i < n; i++) {
    const zp_json *r = docs[i]->root;
    if (!r || r->type != ZP_JSON_OBJECT) {
      zp_error(d, ((zp_loc){docs[i]->file, r ? r->line : 0, r ? r->col : 0}),
               "a report's data files are merged, so each must hold an "
               "object; this one holds %s",
               r ? zp_json_type_name(r->type) : "nothing");
      goto done;
    }
    if (!merge_into(&m, root, r, docs[i]->file))
      goto done;
  }
  memcpy(parts, docs, sizeof *parts * (size_t)n);
  m.out->root = root;
  m.out->file = docs[0]->file;
  m.out->parts = parts;
  m.out->nparts = n;
  m.out->origins = NULL;
  m.out->norigins = m.n;
  if (m.n) {
    zp_json_origin *o = zp_arena_alloc(a, sizeof *o * m.n);
    if (!o) {
      zp_error(d, ((zp_loc){NULL, 0, 0}), "out of memory");
      goto done;
    }
    memcpy(o, m.origins, sizeof *o * m.n);
    m.out->origins = o;
  }
  ok = true;
done:
  free(m.origins);
  if (!ok) {
    for (int i = 0; i < n; i++)
      zp_json_free(docs[i]);
    zp_arena_free(a);
    return NULL;
  }
  return m.out;
}

const char *zp_json_file(const zp_json_doc *doc, const zp_json *v) {
  if (!doc->nparts)
    return doc->file;
  for (const zp_json *n = v; n; n = n->parent) {
    for (size_t i = 0; i < doc->norigins; i++)
      if (doc->origins[i].node == n)
        return doc->origins[i].file;
    if (!n->parent) /* a file's own root, or the merged one */
      for (int i = 0; i < doc->nparts; i++)
        if (doc->parts[i]->root == n)
          return doc->parts[i]->file;
  }
  return doc->file;
}
