/* dlist.c — see dlist.h. */
#include "dlist.h"

#include <stdlib.h>

zp_dl *zp_dl_new(void) {
  zp_arena *a = zp_arena_new();
  if (!a)
    return NULL;
  zp_dl *dl = zp_arena_alloc(a, sizeof *dl);
  if (!dl) {
    zp_arena_free(a);
    return NULL;
  }
  dl->arena = a;
  return dl;
}

void zp_dl_free(zp_dl *dl) {
  if (dl)
    zp_arena_free(dl->arena);
}

zp_dl_page *zp_dl_add_page(zp_dl *dl, float width, float height) {
  zp_dl_page *p = zp_arena_alloc(dl->arena, sizeof *p);
  if (!p)
    return NULL;
  p->width = width;
  p->height = height;
  if (dl->pages_tail)
    dl->pages_tail->next = p;
  else
    dl->pages = p;
  dl->pages_tail = p;
  dl->npages++;
  return p;
}

zp_dl_run *zp_dl_add_run(zp_dl *dl, zp_dl_page *page, uint16_t face, float size,
                         float y, uint32_t n) {
  zp_dl_run *r = zp_arena_alloc(dl->arena, sizeof *r);
  if (!r)
    return NULL;
  r->glyphs = zp_arena_alloc(dl->arena, sizeof(zp_dl_glyph) * (n ? n : 1));
  if (!r->glyphs)
    return NULL;
  r->face = face;
  r->size = size;
  r->y = y;
  r->n = n;
  r->opacity = 1;
  if (page->runs_tail)
    page->runs_tail->next = r;
  else
    page->runs = r;
  page->runs_tail = r;
  return r;
}

zp_dl_image *zp_dl_add_image(zp_dl *dl, zp_dl_page *page, const zp_image *img,
                             float x, float y, float w, float h) {
  zp_dl_image *im = zp_arena_alloc(dl->arena, sizeof *im);
  if (!im)
    return NULL;
  *im = (zp_dl_image){img, x, y, w, h, 0, 1, false, ZP_DL_LAYER_CONTENT, NULL};
  if (page->images_tail)
    page->images_tail->next = im;
  else
    page->images = im;
  page->images_tail = im;
  return im;
}

zp_dl_rule *zp_dl_add_rule(zp_dl *dl, zp_dl_page *page, float x0, float y0,
                           float x1, float y1, float width) {
  zp_dl_rule *r = zp_arena_alloc(dl->arena, sizeof *r);
  if (!r)
    return NULL;
  *r = (zp_dl_rule){x0, y0, x1, y1, width, NULL};
  if (page->rules_tail)
    page->rules_tail->next = r;
  else
    page->rules = r;
  page->rules_tail = r;
  return r;
}

zp_dl_mark *zp_dl_add_mark(zp_dl *dl, zp_dl_page *page, zp_dl_mark_kind kind,
                           zp_dl_show show, float x0, float y0, float x1,
                           float y1, const char *text) {
  zp_dl_mark *m = zp_arena_alloc(dl->arena, sizeof *m);
  if (!m)
    return NULL;
  *m = (zp_dl_mark){(uint8_t)kind, (uint8_t)show, x0, y0, x1, y1, NULL, NULL};
  if (text && !(m->text = zp_arena_strdup(dl->arena, text)))
    return NULL;
  if (page->marks_tail)
    page->marks_tail->next = m;
  else
    page->marks = m;
  page->marks_tail = m;
  return m;
}

zp_dl_link *zp_dl_add_link(zp_dl *dl, zp_dl_page *page, float x0, float y0,
                           float x1, float y1, const char *uri, int dpage,
                           float dy) {
  zp_dl_link *l = zp_arena_alloc(dl->arena, sizeof *l);
  if (!l)
    return NULL;
  *l = (zp_dl_link){x0, y0, x1, y1, NULL, dpage, dy, NULL};
  if (uri && !(l->uri = zp_arena_strdup(dl->arena, uri)))
    return NULL;
  if (page->links_tail)
    page->links_tail->next = l;
  else
    page->links = l;
  page->links_tail = l;
  return l;
}

zp_dl_dest *zp_dl_add_dest(zp_dl *dl, const char *name, int page, float y) {
  zp_dl_dest *d = zp_arena_alloc(dl->arena, sizeof *d);
  if (!d || !(d->name = zp_arena_strdup(dl->arena, name)))
    return NULL;
  d->page = page;
  d->y = y;
  if (dl->dests_tail)
    dl->dests_tail->next = d;
  else
    dl->dests = d;
  dl->dests_tail = d;
  return d;
}

zp_dl_outline *zp_dl_add_outline(zp_dl *dl, int level, const char *title,
                                 int page, float y) {
  zp_dl_outline *o = zp_arena_alloc(dl->arena, sizeof *o);
  if (!o)
    return NULL;
  o->level = level;
  o->title = zp_arena_strdup(dl->arena, title);
  o->page = page;
  o->y = y;
  if (dl->outlines_tail)
    dl->outlines_tail->next = o;
  else
    dl->outlines = o;
  dl->outlines_tail = o;
  return o;
}

zp_dl_label *zp_dl_add_label(zp_dl *dl, int first, zp_dl_label_style style,
                             int start, const char *prefix) {
  zp_dl_label *l = zp_arena_alloc(dl->arena, sizeof *l);
  if (!l)
    return NULL;
  *l = (zp_dl_label){first, style, start, NULL, NULL};
  if (prefix && !(l->prefix = zp_arena_strdup(dl->arena, prefix)))
    return NULL;
  if (dl->labels_tail)
    dl->labels_tail->next = l;
  else
    dl->labels = l;
  dl->labels_tail = l;
  return l;
}
