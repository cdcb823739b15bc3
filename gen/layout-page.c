/* layout-page.c — pages (see layout-imp.h).
 *
 * Pagination fills pages with the lines, backing up to the last allowed
 * break when a line does not fit and handing a table's place holder to
 * lay_table_place.  Emitting a page draws its lines and the table parts
 * pending for it into the display list in reading order, with the
 * bookmarks (outlines), the folio, the --dump-layout lines and the debug
 * layer's marks.
 */
#include "layout-imp.h"

#include <math.h>
#include <string.h>

#include "bounds.h"
#include "brk.h"

/* The names of the WHY_ codes (layout-imp.h): the dump's "break=", the
 * debug layer's label. */
static const char *const why_name[] = {"none",
                                       "forced",
                                       "full",
                                       "widow",
                                       "orphan",
                                       "keep-with-next",
                                       "keep-together",
                                       "table-head",
                                       "table-row-split",
                                       "table-row-moved",
                                       "end"};

static bool pend(ctx *c, tdraw *d) {
  tdraw *n = c->spare;
  if (n)
    c->spare = n->next;
  else if (!(n = zp_arena_alloc(c->arena, sizeof *n)))
    return false;
  *n = *d;
  n->next = NULL;
  if (c->pending_tail)
    c->pending_tail->next = n;
  else
    c->pending = n;
  c->pending_tail = n;
  return true;
}

/* A rule of width w; none at all when w is 0 (a table's rule="0"). */
bool lay_page_pend_rule(ctx *c, float x0, float y0, float x1, float y1,
                        float w) {
  if (w <= 0)
    return true;
  tdraw d = {0};
  d.mark = -1;
  d.x0 = x0;
  d.y0 = y0;
  d.x1 = x1;
  d.y1 = y1;
  d.width = w;
  return pend(c, &d);
}

bool lay_page_pend_line(ctx *c, const line *l, float top, int row, int col) {
  if (l->nnote) {
    ltally t = {0};
    lay_note_tally(c, l, 1, &t);
    lay_note_count(c, &t);
  }
  tdraw d = {0};
  d.mark = -1;
  d.l = l;
  d.top = top;
  d.row = row;
  d.col = col;
  return pend(c, &d);
}

/* A debug rectangle, y from the block top. */
bool lay_page_pend_mark(ctx *c, zp_dl_show show, float x0, float y0, float x1,
                        float y1) {
  tdraw d = {0};
  d.mark = (int8_t)show;
  d.x0 = x0;
  d.y0 = y0;
  d.x1 = x1;
  d.y1 = y1;
  return pend(c, &d);
}

void lay_page_dump_text(FILE *f, const lglyph *g, uint32_t n) {
  char u[5];
  for (uint32_t i = 0; i < n; i++)
    fwrite(u, 1, lay_text_utf8_encode(g[i].cp, u), f);
}

/* The look of glyph i of a line: its own (l->look), or the line's. */
static lglook look_of(const line *l, uint32_t i) {
  if (l->look)
    return l->look[i];
  return (lglook){l->size, 0,
                  l->st && l->st->color != ZP_COLOR_INHERIT ? l->st->color : 0,
                  l->bold};
}

/* Emits a run per change of face or look (size, shift, colour, bold);
 * y is the baseline in PDF coordinates.  A turned run's origin is where
 * its first glyph stands on the turned baseline. */
bool lay_page_glyphs(ctx *c, zp_dl_page *p, const lglyph *g, const lglook *look,
                     uint32_t n, lglook base, float x0, float y, float angle) {
  uint32_t i = 0;
  double a = angle * 3.14159265358979323846 / 180.0;
  while (i < n) {
    lglook li = look ? look[i] : base;
    uint32_t j = i + 1;
    while (j < n && g[j].face == g[i].face &&
           (!look || (look[j].size == li.size && look[j].rise == li.rise &&
                      look[j].color == li.color && look[j].bold == li.bold)))
      j++;
    float d = angle != 0 ? g[i].x : 0;
    float ox = x0 + (float)(d * cos(a)), oy = y + (float)(d * sin(a));
    zp_dl_run *r =
        zp_dl_add_run(c->dl, p, g[i].face, li.size, oy + li.rise, j - i);
    if (!r)
      return false;
    r->angle = angle;
    r->bold = li.bold && !zp_font_face(c->fs, g[i].face)->bold;
    r->color = li.color;
    for (uint32_t k = i; k < j; k++)
      r->glyphs[k - i] = (zp_dl_glyph){g[k].cp, g[k].gid, ox + g[k].x - d};
    i = j;
  }
  return true;
}

static const char *face_names(ctx *c, const lglyph *g, uint32_t n, char *buf,
                              size_t size) {
  buf[0] = 0;
  int seen[8], ns = 0;
  for (uint32_t i = 0; i < n && ns < 8; i++) {
    bool dup = false;
    for (int k = 0; k < ns; k++)
      dup |= seen[k] == g[i].face;
    if (dup)
      continue;
    seen[ns++] = g[i].face;
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", ns > 1 ? "+" : "",
             zp_font_face(c->fs, g[i].face)->family);
  }
  return buf;
}

/* "ink=x0:x1,..." : each glyph's ink extent in pt from the page's left
 * edge ("-" for one without ink), for the checker's clearance rule. */
static void dump_ink(ctx *c, const line *l) {
  fputs("ink=", c->dump);
  for (uint32_t i = 0; i < l->n; i++) {
    const lglyph *g = &l->g[i];
    int x0, x1;
    if (i)
      fputc(',', c->dump);
    if (zp_font_ink(c->fs, g->face, g->gid, &x0, &x1))
      fprintf(c->dump, "%.2f:%.2f",
              l->left + g->x + x0 * look_of(l, i).size / 1000.0f,
              l->left + g->x + x1 * look_of(l, i).size / 1000.0f);
    else
      fputc('-', c->dump);
  }
  fputc(' ', c->dump);
}

/* "  link x0=… x1=… uri=URL", or "[id=ID ]to=TEXT" (the target's id if
 * it has one, and the start of its text) for each link of l, x from the
 * page's left edge. */
static void dump_links(ctx *c, const line *l) {
  for (uint32_t i = 0; i < l->nlinks; i++) {
    const llink *k = &l->links[i];
    fprintf(c->dump, "  link x0=%.2f x1=%.2f ", l->left + k->x0,
            l->left + k->x1);
    if (k->uri) {
      fprintf(c->dump, "uri=%s\n", k->uri);
      continue;
    }
    if (k->target->id)
      fprintf(c->dump, "id=%s ", k->target->id);
    const char *t = k->target->text ? k->target->text : "";
    size_t cut = strlen(t) > 60 ? 60 : strlen(t);
    while (cut > 0 && (t[cut] & 0xC0) == 0x80)
      cut--; /* whole characters */
    fprintf(c->dump, "to=%.*s\n", (int)cut, t);
  }
}

/* "looks=FROM-TO:size=S,rise=R,bold,color=#RRGGBB;…": the glyphs [FROM,
 * TO) of a line (0-based) whose look differs from its style's, with what
 * differs; only for a line with spans that change looks. */
static void dump_looks(ctx *c, const line *l) {
  uint32_t base_color = l->st->color == ZP_COLOR_INHERIT ? 0 : l->st->color;
  const char *sep = "";
  fputs("looks=", c->dump);
  for (uint32_t i = 0; i < l->n;) {
    const lglook *g = &l->look[i];
    uint32_t j = i + 1;
    while (j < l->n && l->look[j].size == g->size &&
           l->look[j].rise == g->rise && l->look[j].color == g->color &&
           l->look[j].bold == g->bold)
      j++;
    if (g->size != l->size || g->rise != 0 || g->color != base_color ||
        g->bold != l->bold) {
      fprintf(c->dump, "%s%u-%u:", sep, (unsigned)i, (unsigned)j);
      const char *s2 = "";
      if (g->size != l->size) {
        fprintf(c->dump, "size=%.2f", g->size);
        s2 = ",";
      }
      if (g->rise != 0) {
        fprintf(c->dump, "%srise=%.2f", s2, g->rise);
        s2 = ",";
      }
      if (g->bold != l->bold) {
        fprintf(c->dump, "%s%s", s2, g->bold ? "bold" : "regular");
        s2 = ",";
      }
      if (g->color != base_color)
        fprintf(c->dump, "%scolor=#%06X", s2, (unsigned)g->color);
      sep = ";";
    }
    i = j;
  }
  fputc(' ', c->dump);
}

/* Draws a line whose box starts at top (pt from the block's top). */
static bool draw_line(ctx *c, zp_dl_page *p, const line *l, float top,
                      const char *tag) {
  float base = top + l->height / 2 + l->size * (float)LAY_EM_CENTRE;
  if (!lay_page_glyphs(c, p, l->g, l->look, l->n, look_of(l, 0), l->left,
                       p->height - c->block_top - base, 0) ||
      (l->nlinks && !lay_link_emit(c, p, l, p->height - c->block_top - top)))
    return false;
  if (c->debug) {
    float y0 = p->height - c->block_top - top, y1 = y0 - l->height;
    float by = p->height - c->block_top - base;
    if (!zp_dl_add_mark(c->dl, p, ZP_DL_MARK_RECT, ZP_DL_SHOW_LINE, l->left, y1,
                        l->left + l->measure, y0, NULL) ||
        !zp_dl_add_mark(c->dl, p, ZP_DL_MARK_LINE, ZP_DL_SHOW_BASELINE, l->left,
                        by, l->left + l->measure, by, NULL))
      return false;
  }
  if (c->dump) {
    char faces[512];
    fprintf(c->dump,
            "  line%s y=%.2f top=%.2f x=%.2f w=%.2f m=%.2f size=%.1f "
            "style=%s align=%c%s%s%s%s%s%s%s%s face=%s ",
            tag, c->block_top + base, top, l->left, l->width, l->measure,
            l->size, l->st->name, "lcrj"[l->align], l -> grid ? " grid" : "",
            l->justified ? " just" : "", l->first ? " first" : "",
            l->last ? " last" : "", l->hard ? " hard" : "",
            l->blk && l->last && l->st->keep_with_next ? " keep" : "",
            l->end == ZP_END_WEAK     ? " weak"
            : l->end == ZP_END_FORCED ? " forced"
                                      : "",
            l->space ? " space" : "",
            face_names(c, l->g, l->n, faces, sizeof faces));
    if (l->squeezed)
      dump_ink(c, l);
    if (l->look)
      dump_looks(c, l);
    lay_note_dump_markers(c, l);
    fputs("text=", c->dump);
    lay_page_dump_text(c->dump, l->g, l->n);
    fputc('\n', c->dump);
    dump_links(c, l);
  }
  return true;
}

bool lay_page_draw_line(ctx *c, zp_dl_page *p, const line *l, float top,
                        const char *tag) {
  return draw_line(c, p, l, top, tag);
}

/* The folio of page number (1-based) pno. */
static bool emit_folio(ctx *c, zp_dl_page *p, int pno) {
  const zp_folio *f = &c->doc->folio;
  if (f->pos == ZP_FOLIO_NONE || !f->format || (pno == 1 && !f->first_page))
    return true;
  const char *rname = f->role ? f->role : "song";
  int role = zp_font_role_find(c->fs, rname);
  if (role < 0) {
    zp_error(c->d, (zp_loc){0},
             "the folio uses font role \"%s\", which is not defined", rname);
    return false;
  }
  char text[128];
  const char *at = strstr(f->format, "{n}");
  if (at)
    snprintf(text, sizeof text, "%.*s%d%s", (int)(at - f->format), f->format,
             pno, at + 3);
  else
    snprintf(text, sizeof text, "%s", f->format);
  uint32_t cps[128];
  size_t n = lay_text_utf8_decode(text, cps);
  lglyph g[128];
  float x = 0, size = (float)f->size;
  for (size_t i = 0; i < n; i++) {
    zp_glyph gl;
    zp_font_glyph(c->fs, role, cps[i], &gl);
    g[i] = (lglyph){cps[i], gl.face, gl.gid, x};
    x += gl.advance * size / 1000.0f;
  }
  float indent = (float)f->indent, left;
  if (f->pos == ZP_FOLIO_CENTER)
    left = c->block_left + (c->block_w - x) / 2;
  else if (pno % 2 == 1)
    left = c->block_left + c->block_w - indent - x;
  else
    left = c->block_left + indent;
  /* below: from the text block's bottom to the top of the folio's em box */
  float base = c->block_top + c->block_h + (float)f->below + size * 0.88f;
  if (c->dump) {
    fprintf(c->dump, "  folio x=%.2f y=%.2f w=%.2f size=%.1f text=", left, base,
            x, size);
    lay_page_dump_text(c->dump, g, (uint32_t)n);
    fputc('\n', c->dump);
  }
  return lay_page_glyphs(c, p, g, NULL, (uint32_t)n,
                         (lglook){size, 0, 0, false}, left, p->height - base,
                         0);
}

/* Draws what a table left for this page. */
static bool flush_pending(ctx *c, zp_dl_page *p) {
  for (tdraw *d = c->pending; d; d = d->next) {
    if (d->l) {
      char tag[64] = " caption";
      if (d->row >= 0)
        snprintf(tag, sizeof tag, " cell=%d,%d", d->row, d->col);
      if (!draw_line(c, p, d->l, d->top, tag))
        return false;
    } else if (d->mark >= 0) {
      float top = p->height - c->block_top;
      if (!zp_dl_add_mark(c->dl, p, ZP_DL_MARK_RECT, (zp_dl_show)d->mark, d->x0,
                          top - d->y1, d->x1, top - d->y0, NULL))
        return false;
    } else {
      float top = p->height - c->block_top;
      if (!zp_dl_add_rule(c->dl, p, d->x0, top - d->y0, d->x1, top - d->y1,
                          d->width))
        return false;
    }
  }
  if (c->pending) { /* the drawn parts' nodes serve the next pages */
    c->pending_tail->next = c->spare;
    c->spare = c->pending;
  }
  c->pending = c->pending_tail = NULL;
  return true;
}

/* The debug layer's page marks: the text block, the line grid (every
 * pitch from the block's top), the character grid (every character pitch
 * from its left), and at the foot why the page broke there. */
static bool debug_page(ctx *c, zp_dl_page *p) {
  float x0 = c->block_left, x1 = c->block_left + c->block_w;
  float top = p->height - c->block_top, bottom = top - c->block_h;
  if (!zp_dl_add_mark(c->dl, p, ZP_DL_MARK_RECT, ZP_DL_SHOW_BLOCK, x0, bottom,
                      x1, top, NULL))
    return false;
  /* bounded: a page of 1 pt lines or characters has only so many */
  for (int k = 1; c->pitch >= 1 && k * c->pitch < c->block_h - LAY_EPS; k++)
    if (!zp_dl_add_mark(c->dl, p, ZP_DL_MARK_LINE, ZP_DL_SHOW_GRID, x0,
                        top - (float)k * c->pitch, x1,
                        top - (float)k * c->pitch, NULL))
      return false;
  for (int k = 1;
       c->char_pitch >= 1 && k * c->char_pitch < c->block_w - LAY_EPS; k++)
    if (!zp_dl_add_mark(c->dl, p, ZP_DL_MARK_LINE, ZP_DL_SHOW_GRID,
                        x0 + (float)k * c->char_pitch, bottom,
                        x0 + (float)k * c->char_pitch, top, NULL))
      return false;
  char label[64], *q;
  snprintf(label, sizeof label, "BREAK: %s", why_name[c->why]);
  for (q = label; *q; q++)
    if (*q >= 'a' && *q <= 'z')
      *q = (char)(*q - 'a' + 'A');
  return zp_dl_add_mark(c->dl, p, ZP_DL_MARK_LABEL, ZP_DL_SHOW_BREAK, x0,
                        bottom - 9, 6, 0, label) != NULL;
}

/* Emits lines [from, to), placed, and the pending table parts as a page,
 * in reading order: a table's parts where its place holder stands. */
bool lay_page_emit(ctx *c, size_t from, size_t to) {
  const zp_page_setup *ps = c->part ? &c->part->page : &c->doc->page;
  if (c->npages >= ZP_MAX_PAGES) {
    /* the block that would start the next page */
    const zp_block *b =
        c->lines.n ? c->lines.v[from < c->lines.n ? from : c->lines.n - 1].blk
                   : NULL;
    zp_loc loc = b ? b->loc : (zp_loc){0};
    zp_loc dl = b ? b->data_loc : (zp_loc){0};
    char from_data[800] = "";
    if (dl.file)
      snprintf(from_data, sizeof from_data,
               " (this text comes from %s%s%s:%d:%d)",
               b->data_path ? b->data_path : "", b->data_path ? ": " : "",
               dl.file, dl.line, dl.col);
    zp_error(c->d, loc,
             "the document would have more than %d pages, the most zpgen "
             "writes%s",
             ZP_MAX_PAGES, from_data);
    return false;
  }
  if (c->dry) { /* the first pass: the page counted, nothing drawn */
    /* the footnotes as on the page drawn later: what continues decides
     * where the next page breaks */
    if (!lay_note_begin_page(c, from, to))
      return false;
    c->npages++;
    if (!lay_note_end_page(c, NULL, from, to))
      return false;
    c->npages--;
    if (c->pending) {
      c->pending_tail->next = c->spare;
      c->spare = c->pending;
    }
    c->pending = c->pending_tail = NULL;
    return lay_part_count_page(c, c->npages++);
  }
  zp_dl_page *p = zp_dl_add_page(c->dl, (float)ps->width, (float)ps->height);
  if (!p)
    return false;
  int pno = ++c->npages;
  if (c->part && (size_t)pno > c->npinfo) {
    zp_error(c->d, c->part->loc,
             "internal error: page %d was not counted in the first pass", pno);
    return false;
  }
  if (c->part)
    lay_part_place(c, from, to);
  if (c->dump)
    fprintf(c->dump, "page %d %.2fx%.2f pitch=%.3f break=%s\n", pno, ps->width,
            ps->height, c->pitch, why_name[c->why]);
  if (c->dump && c->part) {
    char num[64];
    const lay_pinfo *pi = &c->pinfo[pno - 1];
    fprintf(c->dump, "  part %d kind=%s page %d of %d number=%s\n",
            pi->part + 1,
            c->part->kind == ZP_PART_COVER        ? "cover"
            : c->part->kind == ZP_PART_ATTACHMENT ? "attachment"
                                                  : "body",
            pi->in_part + 1, c->part_pages[pi->part],
            *lay_page_number(c, pno - 1, num, sizeof num) ? num : "-");
  }
  if (c->debug && !debug_page(c, p))
    return false;
  if (!lay_note_begin_page(c, from, to))
    return false;
  if (!lay_image_watermark(c, p))
    return false;
  for (size_t i = from; i < to; i++) {
    line *l = &c->lines.v[i];
    if (l->first && l->blk &&
        !lay_link_place(c, l->blk, pno - 1, p->height - c->block_top - l->top))
      return false;
    if (l->tbl) {
      if (!flush_pending(c, p))
        return false;
      continue;
    }
    if (l->reserve)
      continue;
    if (l->img && !l->n) { /* an image's line */
      float next = i + 1 < to ? c->lines.v[i + 1].top : l->top;
      if (!lay_image_draw(c, p, l, l->top, next))
        return false;
      continue;
    }
    if (!draw_line(c, p, l, l->top, ""))
      return false;
    if (l->img && !lay_image_draw(c, p, l, l->top, l->top))
      return false;
    if (l->first && l->blk->outline && l->blk->level > 0) {
      /* a bookmark without the heading's footnote markers; an
       * attachment's label with its title */
      const char *title = l->blk->outline_text ? l->blk->outline_text
                                               : lay_contents_text(c, l->blk);
      if ((l->blk->text && !title) ||
          !zp_dl_add_outline(c->dl, l->blk->level, title, pno - 1,
                             p->height - c->block_top - l->top))
        return false;
    }
  }
  if (!flush_pending(c, p) || !lay_note_end_page(c, p, from, to))
    return false;
  return c->part ? lay_part_furniture(c, p, pno - 1) : emit_folio(c, p, pno);
}

/* Fills pages with the lines. */
bool lay_page_paginate(ctx *c, size_t from, size_t to) {
  size_t start = from, i = from, floor = from;
  int first_page = c->npages;
  float y = 0;
  line *v = c->lines.v;
  while (i < to) {
    line *l = &v[i];
    if (l->brk == BRK_FORCE && i > start) {
      c->why = WHY_FORCED;
      if (!lay_page_emit(c, start, i))
        return false;
      start = i;
      y = 0;
    }
    float top = i > start ? y + l->space_before : 0;
    if (l->grid)
      top = ceilf(top / c->pitch - LAY_EPS) * c->pitch;
    if (top < LAY_EPS)
      top = 0; /* not -0 */
    ltally notes = {0};
    if (l->nnote)
      lay_note_tally(c, l, 1, &notes);
    float foot = lay_note_need(c, &notes); /* the page's notes with l's */
    if (top + l->height + foot > c->block_h + LAY_EPS && i > start) {
      size_t j = i;
      while (j > start && j > floor && v[j].brk == BRK_NEVER)
        j--;
      if (j == start || v[j].brk == BRK_NEVER)
        j = i;
      /* a table's place holder is its caption, header and a little of its
       * first row: those that do not fit go on together */
      c->why = j < i && v[i].why ? v[i].why
               : v[i].tbl        ? WHY_TABLE_HEAD
                                 : WHY_FULL;
      if (!lay_page_emit(c, start, j))
        return false;
      start = i = j;
      y = 0;
      continue;
    }
    l->top = top;
    if (l->tbl) {
      y = top;
      if (!lay_table_place(c, (tlayout *)l->tbl, &start, i, &y))
        return false;
      floor = i + 1;
    } else {
      y = top + l->height;
      lay_note_count(c, &notes);
    }
    i++;
  }
  c->why = WHY_END;
  if ((start < to || c->npages == first_page || c->pending) &&
      !lay_page_emit(c, start, to))
    return false;
  /* notes that continue past the last line of the body */
  while (lay_note_pending(c))
    if (!lay_page_emit(c, to, to))
      return false;
  return true;
}
