/* layout-table.c — tables (see layout-imp.h).
 *
 * Preparing, once in the first pass: the column widths (fixed, fitted to
 * their text, proportional), each cell's lines, the row heights (spans add
 * to their last row) and the captions.  Placing, in pagination: the
 * caption and header kept with the body, rows placed whole, split across
 * pages (min_split lines on each side) or moved whole, spanning cells
 * closed per page, and the frame; the parts wait as pending draws
 * (lay_page_pend_*) until the page is emitted.
 */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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

/* Shapes a caption into arena lines. */
static bool caption_lines(ctx *c, const zp_table *t, const zp_block *b,
                          const char *text, line **out, int *n, float *h) {
  lvec v = {0};
  shape_req r = {
      t->caption_style, text, b->loc, b->data_loc, c->block_left, c->block_w, 0,
      ZP_ALIGN_CENTER,  true, NULL,   0,           false};
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
          float cw = lay_text_width_spans(c, tc->cell->style, tc->cell->text,
                                          tc->cell->spans, tc->cell->nspans,
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
                   false,
                   cell->spans,
                   cell->nspans,
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
    if (cell->nspans && !lay_note_scan(c, tc->lines, v.n, cell->text,
                                       cell->spans, cell->nspans, b->loc))
      return NULL;
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
  if (*y > 0 &&
      *y + lay_table_first_need(tl) > H - lay_note_need(c, NULL) + LAY_EPS) {
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
    /* the page's foot less the notes of the markers in the row's rest */
    ltally notes = {0};
    for (int k = 0; k < row->n + nrun; k++) {
      /* the row's own cells, and the spans whose lines show when closed */
      const tcell *tc = k < row->n ? row->cells[k] : run[k - row->n];
      if ((k < row->n ? tc->rowspan == 1 : tc->open) && tc->done < tc->nlines)
        lay_note_tally(c, tc->lines + tc->done, (size_t)(tc->nlines - tc->done),
                       &notes);
    }
    float foot = H - lay_note_need(c, &notes);
    float avail = foot - *y;
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
          lines_fitting(tl, tc, foot - tc->frag_top) > 0)
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
        if (!draw_box(c, tl, tc->x, tc->w, *y, foot) ||
            !draw_cell_text(c, tl, tc, tc->done, take[k], *y, foot, false))
          return false;
        tc->done += take[k];
      }
      row->started = true;
      *y = foot;
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
