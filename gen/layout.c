/* layout.c — see layout.h.
 *
 * Two passes.  The first turns every block into lines: the text is decoded,
 * each character resolved to a face and an advance (zp_font_glyph), adjacent
 * full-width marks compressed, the lines fitted (zp_brk_fit) and each line's
 * glyph positions fixed (justified or aligned).  Every line records whether
 * a page may break before it (widows, orphans, keep-with-next) or must.
 * The second pass fills pages with lines, backing up to the last allowed
 * break when a line does not fit, and emits the display list, the folios,
 * the bookmarks and the dump.
 *
 * Units: advances are integers in 1/1000 pt while fitting; positions are
 * floats in pt.  Vertical positions are measured from the top of the text
 * block downwards and turned into PDF coordinates when emitted.
 */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "brk.h"

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

/* Lays out one paragraph or heading into the document's lines. */
static bool para_lines(ctx *c, const zp_block *b, uint8_t first_brk,
                       float space_before) {
  const zp_style *st = b->style;
  size_t from = c->lines.n;
  float li = lay_text_indent(c, st, st->left_indent, st->left_indent_em);
  float ri = lay_text_indent(c, st, st->right_indent, st->right_indent_em);
  shape_req r = {st,
                 b->text,
                 b->loc,
                 b->data_loc,
                 c->block_left + li,
                 c->block_w - (li + ri),
                 lay_text_indent(c, st, st->first_indent, st->first_indent_em),
                 st->align,
                 st->balance};
  if (!lay_text_shape(c, &r, &c->lines))
    return false;
  size_t nl = c->lines.n - from;
  int orphans = st->orphans > 1 ? st->orphans : 1;
  int widows = st->widows > 1 ? st->widows : 1;
  for (size_t k = 0; k < nl; k++) {
    line *l = &c->lines.v[from + k];
    l->blk = b;
    if (k == 0) {
      l->brk = first_brk;
      l->why = WHY_KEEP;
      l->space_before = space_before;
    } else if (b->kind == ZP_BLOCK_HEADING) {
      l->brk = BRK_NEVER;
      l->why = WHY_TOGETHER;
    } else {
      l->brk =
          ((int)k < orphans || (int)(nl - k) < widows) ? BRK_NEVER : BRK_ALLOW;
      l->why = (int)k < orphans ? WHY_ORPHAN : WHY_WIDOW;
    }
  }
  return true;
}

/* ---- tables ---- */

typedef struct tcell {
  const zp_cell *cell;
  int row, col, rowspan, colspan;
  float x, w;
  line *lines;
  int nlines;
  float pitch;
  /* pagination state */
  int done;       /* lines already drawn */
  float frag_top; /* top of the open fragment on this page */
  bool open;      /* a fragment is open on this page */
  bool live;      /* a span among the running ones */
} tcell;

typedef struct trow {
  tcell **cells; /* the cells that start in this row */
  int n;
  float height; /* natural height */
  bool started; /* split: part of it is on an earlier page */
} trow;

struct tlayout {
  const zp_table *t;
  const zp_block *blk;
  float *colx, *colw;
  trow *rows;
  tcell *cells;
  int ncells;
  line *caption, *contcap;
  int ncaption, ncontcap;
  float caption_h, contcap_h, header_h;
};

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
  tdraw d = {0};
  d.mark = -1;
  d.l = l;
  d.top = top;
  d.row = row;
  d.col = col;
  return pend(c, &d);
}

/* Shapes a caption into arena lines. */
static bool caption_lines(ctx *c, const zp_table *t, const zp_block *b,
                          const char *text, line **out, int *n, float *h) {
  lvec v = {0};
  shape_req r = {
      t->caption_style, text, b->loc,          b->data_loc, c->block_left,
      c->block_w,       0,    ZP_ALIGN_CENTER, true};
  bool ok = lay_text_shape(c, &r, &v);
  *n = 0;
  *h = 0;
  if (ok && v.n) {
    *out = zp_arena_alloc(c->arena, v.n * sizeof **out);
    ok = *out != NULL;
    if (ok) {
      memcpy(*out, v.v, v.n * sizeof **out);
      *n = (int)v.n;
      for (size_t i = 0; i < v.n; i++)
        *h += v.v[i].height;
    }
  }
  free(v.v);
  return ok;
}

static void column_widths(ctx *c, tlayout *tl) {
  const zp_table *t = tl->t;
  float total = c->block_w, fixed = 0, weights = 0, fits = 0;
  float pads = (float)(t->pad_left + t->pad_right);
  for (int i = 0; i < t->ncols; i++) {
    const zp_column *col = &t->cols[i];
    if (col->kind == ZP_COL_FIXED) {
      tl->colw[i] = (float)col->width;
      fixed += tl->colw[i];
    } else if (col->kind == ZP_COL_PROPORTIONAL) {
      weights += (float)col->width;
    } else {
      float w = (float)col->width;
      for (int k = 0; k < tl->ncells; k++) {
        const tcell *tc = &tl->cells[k];
        if (tc->col == i && tc->colspan == 1) {
          float cw = lay_text_width(c, tc->cell->style, tc->cell->text,
                                    t->rows[tc->row].cells[0].data_loc) +
                     pads + 0.5f;
          if (cw > w)
            w = cw;
        }
      }
      tl->colw[i] = w;
      fits += w;
    }
  }
  float rest = total - fixed - fits;
  if (weights > 0 && fits > 0) {
    /* fitted columns leave the proportional ones at least 2 em each of
     * the cell size */
    int nprop = 0;
    for (int i = 0; i < t->ncols; i++)
      nprop += t->cols[i].kind == ZP_COL_PROPORTIONAL;
    float reserve = (float)nprop * (2 * 10.5f + pads);
    if (rest < reserve) {
      float room = total - fixed - reserve, minsum = 0;
      for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].kind == ZP_COL_FIT)
          minsum += (float)t->cols[i].width;
      for (int i = 0; i < t->ncols; i++)
        if (t->cols[i].kind == ZP_COL_FIT) {
          float min = (float)t->cols[i].width;
          float w = room > minsum
                        ? min + (room - minsum) * (tl->colw[i] - min) /
                                    (fits - minsum + 0.001f)
                        : min;
          fits += w - tl->colw[i];
          tl->colw[i] = w;
        }
      rest = total - fixed - fits;
    }
  }
  if (weights > 0) {
    for (int i = 0; i < t->ncols; i++)
      if (t->cols[i].kind == ZP_COL_PROPORTIONAL)
        tl->colw[i] = rest > 0 ? rest * (float)t->cols[i].width / weights : 0;
  } else if (fits > 0) {
    /* share the rest (or the lack) among the fitted columns */
    for (int i = 0; i < t->ncols; i++)
      if (t->cols[i].kind == ZP_COL_FIT) {
        float w = tl->colw[i] + rest * tl->colw[i] / fits;
        float min = (float)t->cols[i].width;
        tl->colw[i] = w < min ? min : w;
      }
  }
  float x = c->block_left;
  for (int i = 0; i < t->ncols; i++) {
    tl->colx[i] = x;
    x += tl->colw[i];
  }
}

static float cell_height(const tlayout *tl, const tcell *tc, int from) {
  const zp_table *t = tl->t;
  int n = tc->nlines - from;
  if (n < 1)
    n = 1;
  return (float)(t->pad_top + t->pad_bottom) + (float)n * tc->pitch;
}

/* Prepares a table: columns, cell lines, row heights, captions. */
tlayout *lay_table_prepare(ctx *c, const zp_block *b) {
  const zp_table *t = b->table;
  tlayout *tl = zp_arena_alloc(c->arena, sizeof *tl);
  if (!tl)
    return NULL;
  tl->t = t;
  tl->blk = b;
  tl->colx = zp_arena_alloc(c->arena, sizeof(float) * (size_t)t->ncols);
  tl->colw = zp_arena_alloc(c->arena, sizeof(float) * (size_t)t->ncols);
  tl->rows = zp_arena_alloc(c->arena, sizeof(trow) * (size_t)(t->nrows + 1));
  int ncells = 0;
  for (int r = 0; r < t->nrows; r++)
    ncells += t->rows[r].ncells;
  tl->cells = zp_arena_alloc(c->arena, sizeof(tcell) * (size_t)(ncells + 1));
  if (!tl->colx || !tl->colw || !tl->rows || !tl->cells)
    return NULL;
  for (int r = 0; r < t->nrows; r++) {
    const zp_row *row = &t->rows[r];
    tl->rows[r].cells =
        zp_arena_alloc(c->arena, sizeof(tcell *) * (size_t)(row->ncells + 1));
    if (!tl->rows[r].cells)
      return NULL;
    for (int k = 0; k < row->ncells; k++) {
      const zp_cell *cell = &row->cells[k];
      tcell *tc = &tl->cells[tl->ncells++];
      tc->cell = cell;
      tc->row = r;
      tc->col = cell->col;
      tc->colspan = cell->colspan > 0 ? cell->colspan : 1;
      tc->rowspan = cell->rowspan > 0 ? cell->rowspan : 1;
      /* the binder has checked both; compared without overflow */
      if (tc->colspan > t->ncols - tc->col)
        tc->colspan = t->ncols - tc->col;
      if (tc->rowspan > t->nrows - r)
        tc->rowspan = t->nrows - r;
      tl->rows[r].cells[tl->rows[r].n++] = tc;
    }
  }
  column_widths(c, tl);
  float pads = (float)(t->pad_left + t->pad_right);
  for (int k = 0; k < tl->ncells; k++) {
    tcell *tc = &tl->cells[k];
    const zp_cell *cell = tc->cell;
    tc->x = tl->colx[tc->col];
    tc->w = 0;
    for (int i = tc->col; i < tc->col + tc->colspan; i++)
      tc->w += tl->colw[i];
    lvec v = {0};
    shape_req r = {cell->style,
                   cell->text,
                   b->loc,
                   cell->data_loc,
                   tc->x + (float)t->pad_left,
                   tc->w - pads,
                   0,
                   cell->align,
                   false};
    if (!lay_text_shape(c, &r, &v)) {
      free(v.v);
      return NULL;
    }
    tc->nlines = (int)v.n;
    tc->lines = zp_arena_alloc(c->arena, v.n * sizeof(line) + 1);
    if (!tc->lines) {
      free(v.v);
      return NULL;
    }
    memcpy(tc->lines, v.v, v.n * sizeof(line));
    free(v.v);
    tc->pitch = lay_text_style_pitch(c, cell->style);
  }
  /* row heights: single-row cells, then spans add to their last row */
  for (int r = 0; r < t->nrows; r++) {
    float h = (float)(t->pad_top + t->pad_bottom) + 12;
    for (int k = 0; k < tl->rows[r].n; k++) {
      const tcell *tc = tl->rows[r].cells[k];
      if (tc->rowspan == 1 && cell_height(tl, tc, 0) > h)
        h = cell_height(tl, tc, 0);
    }
    tl->rows[r].height = h;
  }
  for (int k = 0; k < tl->ncells; k++) {
    const tcell *tc = &tl->cells[k];
    if (tc->rowspan < 2)
      continue;
    float have = 0;
    for (int r = tc->row; r < tc->row + tc->rowspan; r++)
      have += tl->rows[r].height;
    float need = cell_height(tl, tc, 0);
    if (need > have)
      tl->rows[tc->row + tc->rowspan - 1].height += need - have;
  }
  for (int r = 0; r < t->header_rows && r < t->nrows; r++)
    tl->header_h += tl->rows[r].height;
  if (t->caption) {
    if (!caption_lines(c, t, b, t->caption, &tl->caption, &tl->ncaption,
                       &tl->caption_h))
      return NULL;
    if (t->continued) {
      char *cont = zp_arena_printf(c->arena, "%s%s", t->caption, t->continued);
      if (!cont || !caption_lines(c, t, b, cont, &tl->contcap, &tl->ncontcap,
                                  &tl->contcap_h))
        return NULL;
    }
  }
  return tl;
}

/* Draws lines [from, from + n) of a cell into a fragment whose box is
 * [top, bottom); valign applies when all the cell's remaining lines show. */
static bool draw_cell_text(ctx *c, const tlayout *tl, const tcell *tc, int from,
                           int n, float top, float bottom, bool align) {
  const zp_table *t = tl->t;
  float inner = bottom - top - (float)(t->pad_top + t->pad_bottom);
  float used = (float)n * tc->pitch;
  float y = top + (float)t->pad_top;
  if (align && used < inner) {
    if (tc->cell->valign == ZP_VALIGN_MIDDLE)
      y += (inner - used) / 2;
    else if (tc->cell->valign == ZP_VALIGN_BOTTOM)
      y += inner - used;
  }
  for (int i = from; i < from + n && i < tc->nlines; i++) {
    if (!lay_page_pend_line(c, &tc->lines[i], y, tc->row, tc->col))
      return false;
    y += tc->pitch;
  }
  return true;
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

static bool draw_box(ctx *c, const tlayout *tl, float x, float w, float top,
                     float bottom) {
  float rw = (float)tl->t->rule_width;
  const zp_table *t = tl->t;
  if (c->debug &&
      (!lay_page_pend_mark(c, ZP_DL_SHOW_CELL, x, top, x + w, bottom) ||
       !lay_page_pend_mark(c, ZP_DL_SHOW_PADDING, x + (float)t->pad_left,
                           top + (float)t->pad_top, x + w - (float)t->pad_right,
                           bottom - (float)t->pad_bottom)))
    return false;
  return lay_page_pend_rule(c, x, top, x + w, top, rw) &&
         lay_page_pend_rule(c, x, bottom, x + w, bottom, rw) &&
         lay_page_pend_rule(c, x, top, x, bottom, rw) &&
         lay_page_pend_rule(c, x + w, top, x + w, bottom, rw);
}

/* Lines of a cell that fit into height h (at least 0). */
static int lines_fitting(const tlayout *tl, const tcell *tc, float h) {
  float inner = h - (float)(tl->t->pad_top + tl->t->pad_bottom);
  int k = (int)floorf((inner + LAY_EPS) / tc->pitch);
  return k < 0 ? 0 : k;
}

/* Closes the open fragment of a spanning cell at bottom. */
static bool close_span(ctx *c, const tlayout *tl, tcell *tc, float bottom) {
  /* A fragment that can hold the whole text shows it whole (again, on
   * every page the span runs onto).  Until the text has been shown
   * completely, a smaller fragment continues it where the previous one
   * stopped; afterwards a smaller fragment repeats what fits of its start.
   * The placer makes a span's last fragment tall enough for the rest, so
   * no text is lost. */
  tc->open = false;
  if (bottom - tc->frag_top < LAY_EPS)
    return true; /* nothing of the span on this page */
  int fitn = lines_fitting(tl, tc, bottom - tc->frag_top);
  int from = 0, n;
  if (tc->nlines <= fitn) {
    n = tc->nlines;
    tc->done = tc->nlines;
  } else if (tc->done < tc->nlines) {
    from = tc->done;
    n = tc->nlines - from < fitn ? tc->nlines - from : fitn;
    tc->done += n;
  } else {
    n = fitn;
  }
  return draw_box(c, tl, tc->x, tc->w, tc->frag_top, bottom) &&
         draw_cell_text(c, tl, tc, from, n, tc->frag_top, bottom,
                        from == 0 && n == tc->nlines);
}

/* Draws a caption's lines at y; returns the new y. */
static bool draw_caption(ctx *c, const line *ls, int n, float *y) {
  for (int i = 0; i < n; i++) {
    if (!lay_page_pend_line(c, &ls[i], *y, -1, -1))
      return false;
    *y += ls[i].height;
  }
  return true;
}

/* Draws the header rows at y (never split; a rowspan stops at the
 * header's last row). */
static bool draw_header(ctx *c, tlayout *tl, float *y) {
  const zp_table *t = tl->t;
  int hr = t->header_rows < t->nrows ? t->header_rows : t->nrows;
  float top = *y;
  for (int r = 0; r < hr; r++)
    for (int k = 0; k < tl->rows[r].n; k++) {
      const tcell *tc = tl->rows[r].cells[k];
      float ctop = top, cbot;
      for (int q = 0; q < r; q++)
        ctop += tl->rows[q].height;
      cbot = ctop;
      for (int q = r; q < r + tc->rowspan && q < hr; q++)
        cbot += tl->rows[q].height;
      if (!draw_box(c, tl, tc->x, tc->w, ctop, cbot) ||
          !draw_cell_text(c, tl, tc, 0, tc->nlines, ctop, cbot, true))
        return false;
    }
  *y = top + tl->header_h;
  return true;
}

/* The heavier outer frame of one page's part of a table. */
static bool draw_frame(ctx *c, const tlayout *tl, float top, float bottom) {
  const zp_table *t = tl->t;
  if (t->frame_width <= t->rule_width || bottom <= top)
    return true;
  float x0 = tl->colx[0], x1 = tl->colx[t->ncols - 1] + tl->colw[t->ncols - 1];
  float w = (float)t->frame_width;
  return lay_page_pend_rule(c, x0, top, x1, top, w) &&
         lay_page_pend_rule(c, x0, bottom, x1, bottom, w) &&
         lay_page_pend_rule(c, x0, top, x0, bottom, w) &&
         lay_page_pend_rule(c, x1, top, x1, bottom, w);
}

/* Ends the current page in the middle of a table. */
static bool draw_frame_and_emit(ctx *c, const tlayout *tl, float top,
                                float bottom, size_t *start, size_t i,
                                int why) {
  c->why = why;
  if (!draw_frame(c, tl, top, bottom) || !lay_page_emit(c, *start, i))
    return false;
  if (c->dump)
    fprintf(c->dump, "  table continues on the next page\n");
  return true;
}

/* The height row r still needs from y: its own cells' remaining lines,
 * and the rest of the text of every span ending in it. */
static float row_need(const tlayout *tl, int r, float y, tcell *const *run,
                      int nrun) {
  const zp_table *t = tl->t;
  const trow *row = &tl->rows[r];
  float pads = (float)(t->pad_top + t->pad_bottom);
  float need = row->started ? 0 : row->height;
  for (int k = 0; k < row->n; k++) {
    const tcell *tc = row->cells[k];
    if (tc->rowspan == 1 && tc->nlines > tc->done &&
        cell_height(tl, tc, tc->done) > need)
      need = cell_height(tl, tc, tc->done);
  }
  for (int k = 0; k < nrun; k++) {
    const tcell *tc = run[k];
    if (tc->row + tc->rowspan - 1 == r && tc->done < tc->nlines) {
      float span =
          tc->frag_top + pads + (float)(tc->nlines - tc->done) * tc->pitch - y;
      if (span > need)
        need = span;
    }
  }
  return need;
}

/* Places a table from *y on the current page (whose lines start at
 * *start; the table's place holder is line i), emitting pages as it
 * needs.  Every page it starts shows at least one line of the table's
 * body, so it always ends. */
bool lay_table_place(ctx *c, tlayout *tl, size_t *start, size_t i, float *y) {
  const zp_table *t = tl->t;
  float H = c->block_h;
  int hr = t->header_rows < t->nrows ? t->header_rows : t->nrows;
  int min_split = t->min_split_lines > 0 ? t->min_split_lines : 1;
  float pads = (float)(t->pad_top + t->pad_bottom);
  /* the caption and header must leave room for a line of the body */
  float pitch = 0;
  int maxcells = 1;
  for (int k = 0; k < tl->ncells; k++)
    if (tl->cells[k].pitch > pitch)
      pitch = tl->cells[k].pitch;
  for (int r = 0; r < t->nrows; r++)
    if (tl->rows[r].n > maxcells)
      maxcells = tl->rows[r].n;
  float head = tl->header_h +
               (tl->caption_h > tl->contcap_h ? tl->caption_h : tl->contcap_h);
  if (hr < t->nrows && head + pads + pitch > H + LAY_EPS) {
    zp_error(c->d, tl->blk->loc,
             "this table's caption and header rows (%.0f pt) leave no room "
             "for its body on a page (%.0f pt)",
             head, H);
    return false;
  }
  int *take = zp_arena_alloc(c->arena, sizeof(int) * (size_t)maxcells);
  tcell **run =
      zp_arena_alloc(c->arena, sizeof(tcell *) * (size_t)(tl->ncells + 1));
  if (!take || !run)
    return false;
  int nrun = 0;
  /* a caption and header never alone at a page's foot */
  if (*y > 0 && *y + lay_table_first_need(tl) > H + LAY_EPS) {
    c->why = WHY_TABLE_HEAD;
    if (!lay_page_emit(c, *start, i))
      return false;
    *start = i;
    *y = 0;
  }
  if (!draw_caption(c, tl->caption, tl->ncaption, y))
    return false;
  float frame_top = *y;
  if (!draw_header(c, tl, y))
    return false;
  int r = hr;
  int progress = 0; /* rows or lines placed on this page */
  while (r < t->nrows) {
    trow *row = &tl->rows[r];
    /* open the spans that start here */
    for (int k = 0; k < row->n; k++) {
      tcell *tc = row->cells[k];
      if (tc->rowspan > 1 && !tc->live) {
        tc->live = tc->open = true;
        tc->frag_top = *y;
        run[nrun++] = tc;
      }
    }
    float need = row_need(tl, r, *y, run, nrun);
    float avail = H - *y;
    bool fresh = progress == 0 && *start == i;
    if (need <= avail + LAY_EPS) {
      /* the whole (rest of the) row */
      for (int k = 0; k < row->n; k++) {
        tcell *tc = row->cells[k];
        if (tc->rowspan != 1)
          continue;
        int rest = tc->nlines - tc->done;
        if (!draw_box(c, tl, tc->x, tc->w, *y, *y + need) ||
            !draw_cell_text(c, tl, tc, tc->done, rest, *y, *y + need,
                            tc->done == 0))
          return false;
        tc->done += rest;
      }
      *y += need;
      progress++;
      int keep = 0;
      for (int k = 0; k < nrun; k++) {
        tcell *tc = run[k];
        if (tc->row + tc->rowspan - 1 == r) {
          if (tc->open && !close_span(c, tl, tc, *y))
            return false;
          tc->live = false;
        } else {
          run[keep++] = tc;
        }
      }
      nrun = keep;
      r++;
      continue;
    }
    /* split the row: each cell shows what fits, keeping min_split lines on
     * each side when it can */
    bool any = false, starved = false, moved;
    for (int k = 0; k < row->n; k++) {
      const tcell *tc = row->cells[k];
      take[k] = 0;
      if (tc->rowspan != 1)
        continue;
      int rest = tc->nlines - tc->done;
      int fitn = lines_fitting(tl, tc, avail);
      int n = rest <= fitn ? rest : fitn;
      if (n < rest && (n < min_split || rest - n < min_split)) {
        n = rest - min_split;
        if (n > fitn)
          n = fitn;
        if (n < min_split)
          n = 0;
      }
      if (fresh && n == 0 && rest > 0)
        n = fitn > 0 ? (rest <= fitn ? rest : fitn) : 1;
      take[k] = n;
      any |= n > 0;
      starved |= n == 0 && rest > 0;
    }
    /* spans ending here continue on this page too */
    for (int k = 0; k < nrun; k++) {
      const tcell *tc = run[k];
      if (tc->open && tc->done < tc->nlines &&
          lines_fitting(tl, tc, H - tc->frag_top) > 0)
        any = true;
    }
    moved = !fresh && (starved || !any);
    if (moved) {
      /* move the row to the next page; spans starting here go along */
      for (int k = 0; k < nrun; k++) {
        tcell *tc = run[k];
        if (tc->open && tc->row == r)
          tc->open = false;
        else if (tc->open && !close_span(c, tl, tc, *y))
          return false;
      }
    } else {
      for (int k = 0; k < row->n; k++) {
        tcell *tc = row->cells[k];
        if (tc->rowspan != 1)
          continue;
        if (!draw_box(c, tl, tc->x, tc->w, *y, H) ||
            !draw_cell_text(c, tl, tc, tc->done, take[k], *y, H, false))
          return false;
        tc->done += take[k];
      }
      row->started = true;
      *y = H;
      for (int k = 0; k < nrun; k++)
        if (run[k]->open && !close_span(c, tl, run[k], *y))
          return false;
    }
    if (!draw_frame_and_emit(c, tl, frame_top, *y, start, i,
                             moved ? WHY_ROW_MOVED : WHY_ROW_SPLIT))
      return false;
    *start = i;
    *y = 0;
    progress = 0;
    if (!draw_caption(c, tl->contcap, tl->ncontcap, y))
      return false;
    frame_top = *y;
    if (!draw_header(c, tl, y))
      return false;
    /* spans still running reopen under the header */
    for (int k = 0; k < nrun; k++) {
      run[k]->open = true;
      run[k]->frag_top = *y;
    }
  }
  return draw_frame(c, tl, frame_top, *y);
}

/* ---- pages ---- */

static void dump_text(FILE *f, const lglyph *g, uint32_t n) {
  char u[5];
  for (uint32_t i = 0; i < n; i++)
    fwrite(u, 1, lay_text_utf8_encode(g[i].cp, u), f);
}

/* Emits a run per face change; y is the baseline in PDF coordinates. */
static bool emit_glyphs(ctx *c, zp_dl_page *p, const lglyph *g, uint32_t n,
                        float x0, float y, float size, bool bold) {
  uint32_t i = 0;
  while (i < n) {
    uint32_t j = i + 1;
    while (j < n && g[j].face == g[i].face)
      j++;
    zp_dl_run *r = zp_dl_add_run(c->dl, p, g[i].face, size, y, j - i);
    if (!r)
      return false;
    r->bold = bold && !zp_font_face(c->fs, g[i].face)->bold;
    for (uint32_t k = i; k < j; k++)
      r->glyphs[k - i] = (zp_dl_glyph){g[k].cp, g[k].gid, x0 + g[k].x};
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
      fprintf(c->dump, "%.2f:%.2f", l->left + g->x + x0 * l->size / 1000.0f,
              l->left + g->x + x1 * l->size / 1000.0f);
    else
      fputc('-', c->dump);
  }
  fputc(' ', c->dump);
}

/* Draws a line whose box starts at top (pt from the block's top). */
static bool draw_line(ctx *c, zp_dl_page *p, const line *l, float top,
                      const char *tag) {
  float base = top + l->height / 2 + l->size * (float)LAY_EM_CENTRE;
  if (!emit_glyphs(c, p, l->g, l->n, l->left, p->height - c->block_top - base,
                   l->size, l->bold))
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
    fputs("text=", c->dump);
    dump_text(c->dump, l->g, l->n);
    fputc('\n', c->dump);
  }
  return true;
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
    dump_text(c->dump, g, (uint32_t)n);
    fputc('\n', c->dump);
  }
  return emit_glyphs(c, p, g, (uint32_t)n, left, p->height - base, size, false);
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
  const zp_page_setup *ps = &c->doc->page;
  if (c->dl->npages >= ZP_MAX_PAGES) {
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
  zp_dl_page *p = zp_dl_add_page(c->dl, (float)ps->width, (float)ps->height);
  if (!p)
    return false;
  int pno = c->dl->npages;
  if (c->dump)
    fprintf(c->dump, "page %d %.2fx%.2f pitch=%.3f break=%s\n", pno, ps->width,
            ps->height, c->pitch, why_name[c->why]);
  if (c->debug && !debug_page(c, p))
    return false;
  for (size_t i = from; i < to; i++) {
    line *l = &c->lines.v[i];
    if (l->tbl) {
      if (!flush_pending(c, p))
        return false;
      continue;
    }
    if (!draw_line(c, p, l, l->top, ""))
      return false;
    if (l->first && l->blk->outline && l->blk->level > 0 &&
        !zp_dl_add_outline(c->dl, l->blk->level, l->blk->text, pno - 1,
                           p->height - c->block_top - l->top))
      return false;
  }
  if (!flush_pending(c, p))
    return false;
  return emit_folio(c, p, pno);
}

/* Room a table needs at its start: caption, header, a little of a row. */
float lay_table_first_need(const tlayout *tl) {
  const zp_table *t = tl->t;
  float need = tl->caption_h + tl->header_h;
  if (t->header_rows < t->nrows) {
    float r0 = tl->rows[t->header_rows].height;
    float some = (float)(t->pad_top + t->pad_bottom) + 2 * 14.0f;
    need += r0 < some ? r0 : some;
  }
  return need;
}

/* Fills pages with the lines. */
bool lay_page_paginate(ctx *c) {
  size_t start = 0, i = 0, floor = 0;
  float y = 0;
  line *v = c->lines.v;
  while (i < c->lines.n) {
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
    if (top + l->height > c->block_h + LAY_EPS && i > start) {
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
    }
    i++;
  }
  c->why = WHY_END;
  if (start < c->lines.n || c->dl->npages == 0 || c->pending)
    return lay_page_emit(c, start, c->lines.n);
  return true;
}

bool zp_layout_define_roles(const zp_doc_role *roles, zp_fontset *fs,
                            zp_diag *d) {
  bool ok = true;
  if (roles && roles[0].name) {
    for (const zp_doc_role *r = roles; r->name; r++)
      if (zp_font_role(fs, r->name, r->families, d) < 0) {
        zp_diag_report(d, ZP_NOTE, r->loc, "font role \"%s\" is defined here",
                       r->name);
        ok = false;
      }
  } else {
    for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
      ok &= zp_font_role(fs, r->name, r->families, d) >= 0;
  }
  return ok;
}

/* A table's place holder in the line list. */
static bool table_lines(ctx *c, const zp_block *b, uint8_t brk,
                        float space_before) {
  tlayout *tl = lay_table_prepare(c, b);
  if (!tl)
    return false;
  line *l = lay_text_new_line(&c->lines);
  if (!l)
    return false;
  l->blk = b;
  l->st = b->style;
  l->tbl = tl;
  l->brk = brk;
  l->why = WHY_KEEP;
  l->space_before = space_before;
  l->height = lay_table_first_need(tl);
  l->first = l->last = true;
  return true;
}

zp_dl *zp_layout(const zp_doc *doc, zp_fontset *fs, const zp_layout_opts *o,
                 zp_diag *d) {
  ctx c = {0};
  zp_dl *ret = NULL;
  c.doc = doc;
  c.fs = fs;
  c.d = d;
  c.dump = o ? o->dump : NULL;
  c.debug = o && o->debug;
  c.arena = zp_arena_new();
  c.dl = zp_dl_new();
  if (!c.arena || !c.dl)
    goto done;
  const zp_page_setup *ps = &doc->page;
  c.block_left = (float)ps->margin_left;
  c.block_top = (float)ps->margin_top;
  c.block_w = (float)(ps->width - ps->margin_left - ps->margin_right);
  c.block_h = (float)(ps->height - ps->margin_top - ps->margin_bottom);
  c.pitch = ps->line_pitch > 0   ? (float)ps->line_pitch
            : ps->grid_lines > 0 ? c.block_h / (float)ps->grid_lines
                                 : 28.95f;
  c.char_pitch = ps->char_pitch > 0   ? (float)ps->char_pitch
                 : ps->grid_chars > 0 ? c.block_w / (float)ps->grid_chars
                                      : 0;
  c.dl->title = doc->title;
  c.dl->author = doc->author;
  c.dl->subject = doc->subject;
  c.dl->keywords = doc->keywords;
  c.dl->date = doc->date;

  int errors = zp_diag_errors(d);
  bool keep = false, force = false;
  float after = 0; /* space after the previous block */
  for (const zp_block *b = doc->first; b; b = b->next) {
    if (b->kind == ZP_BLOCK_PAGE_BREAK) {
      force = true;
      continue;
    }
    const zp_style *st = b->style;
    uint8_t brk = (force || (st && st->page_break_before)) ? BRK_FORCE
                  : keep                                   ? BRK_NEVER
                                                           : BRK_ALLOW;
    float before = st ? lay_text_snap_space(&c, st, st->space_before) : 0;
    if (after > before)
      before = after;
    bool ok = b->kind == ZP_BLOCK_TABLE ? table_lines(&c, b, brk, before)
                                        : para_lines(&c, b, brk, before);
    if (!ok)
      goto done;
    keep = st && st->keep_with_next && b->kind != ZP_BLOCK_TABLE;
    force = false;
    after = st ? lay_text_snap_space(&c, st, st->space_after) : 0;
  }
  if (zp_diag_errors(d) > errors)
    goto done;
  if (!lay_page_paginate(&c) || zp_diag_errors(d) > errors)
    goto done;
  ret = c.dl;
  c.dl = NULL;
done:
  zp_dl_free(c.dl);
  zp_arena_free(c.arena);
  free(c.lines.v);
  free(c.cp);
  free(c.adv);
  free(c.squeeze);
  free(c.endsq);
  free(c.kinds);
  free(c.gl);
  free(c.ends);
  free(c.missing);
  return ret;
}
