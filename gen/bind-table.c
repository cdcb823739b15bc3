/* bind-table.c — the binder's tables (see bind-imp.h).
 *
 * A <table>: its columns, header rows (a header cell's rowspan stops at the
 * header's last row), body rows from <row>s, loops, conditions and macros;
 * each row's cells placed past the columns rowspans above keep busy; a
 * cell with span="VAR" grows down over the rows of the same iteration of
 * loop VAR (merged cells from the data's shape); rowspans checked against
 * the last row; the caption numbered 表N by the captions printed.
 */
#include "bind-imp.h"

#include <stdlib.h>
#include <string.h>

/* A body cell with an explicit rowspan: row, index in the row, <cell>. */
typedef struct rowspan_rec {
  int row, k;
  zp_loc loc;
} rowspan_rec;

/* A merged cell being extended down: the column it starts in and the loop
 * iteration that made it (rows of several <row>s of one iteration share
 * it). */
typedef struct span_rec {
  int col;
  long iter;
  zp_cell *cell;
  int last_row; /* the last row the cell covers so far */
} span_rec;

typedef struct tbuild {
  zp_table *t;
  zp_row *rows;
  int nrows, cap;
  int *busy; /* per column: last row covered by an explicit rowspan */
  span_rec *spans;
  int nspans, capspans;
  rowspan_rec *rowspans; /* body cells with a rowspan, to check */
  int nrowspans, caprowspans;
  const zp_style *cell_style, *head_style;
} tbuild;

static span_rec *span_find(tbuild *tb, int col) {
  for (int i = tb->nspans - 1; i >= 0; i--)
    if (tb->spans[i].col == col)
      return &tb->spans[i];
  return NULL;
}

static long var_iter(binder *b, const char *name) {
  for (int i = b->nvars - 1; i >= 0; i--)
    if (strcmp(b->vars[i].name, name) == 0)
      return b->vars[i].iter;
  return -1;
}

/* One <cell> of row r at *colp (advanced past it); false after an error
 * that ends the row. */
static bool row_cell(binder *b, tbuild *tb, zp_row *row, int r,
                     const zp_tnode *c, int *colp, bool header) {
  zp_table *t = tb->t;
  int col = *colp;
  while (col < t->ncols && tb->busy[col] >= r)
    col++;
  int colspan = c->as.cell.colspan;
  int rowspan = c->as.cell.rowspan;
  if (colspan > t->ncols - col) {
    bind_check_report(b, ZP_ERROR, c->loc,
                      "this row has more cells than the table's %d "
                      "columns",
                      t->ncols);
    return false;
  }
  const char *span = c->as.cell.span;
  const zp_span *spans;
  uint32_t nspans;
  int notes = b->notes;
  const char *text = bind_text_content(b, c, NULL, &spans, &nspans);
  zp_loc dl = b->data_loc;
  if (span) {
    span_rec *s = span_find(tb, col);
    long it = c->as.cell.blank ? -2 : var_iter(b, span);
    if (it == -1) {
      bind_check_report(b, ZP_ERROR, c->loc,
                        "span=\"%s\" names no enclosing loop", span);
      return false;
    }
    /* it continues the cell above: same iteration (or blank), and that
     * cell reaches down to the row just above this one */
    bool cont = s && s->cell && s->last_row == r - 1 &&
                s->cell->colspan == colspan &&
                (it == -2 ? s->iter == -2 && *text == 0 : s->iter == it);
    if (cont) {
      /* the cell above grows down over this row (its text, and any note
       * in it, is the one above's) */
      b->notes = notes;
      s->cell->rowspan++;
      s->last_row = r;
      *colp = col + colspan;
      return true;
    }
  }
  zp_cell *cell = &row->cells[row->ncells++];
  const zp_style *own = c->as.cell.style;
  cell->style = own ? own : header ? tb->head_style : tb->cell_style;
  cell->text = text;
  cell->spans = spans;
  cell->nspans = nspans;
  cell->col = col;
  cell->colspan = colspan;
  cell->rowspan = rowspan;
  cell->data_loc = dl;
  /* alignment: the cell's own, its style's, centred in a header, the
   * column's */
  cell->align = c->as.cell.has_align ? c->as.cell.align
                : own                ? own->align
                : header             ? ZP_ALIGN_CENTER
                                     : t->cols[col].align;
  cell->valign = c->as.cell.valign;
  if (rowspan > 1) {
    for (int k = col; k < col + colspan; k++)
      tb->busy[k] = r + rowspan - 1; /* both at most ZP_MAX_COUNT */
    if (!header) { /* checked against the last row when it is known */
      if (tb->nrowspans == tb->caprowspans) {
        int cap = tb->caprowspans ? tb->caprowspans * 2 : 16;
        rowspan_rec *ns = realloc(tb->rowspans, sizeof *ns * (size_t)cap);
        if (!ns)
          return false;
        tb->rowspans = ns;
        tb->caprowspans = cap;
      }
      tb->rowspans[tb->nrowspans++] =
          (rowspan_rec){r, row->ncells - 1, c->as.cell.rowspan_at};
    }
  }
  if (span) {
    span_rec *s = span_find(tb, col);
    if (!s) {
      if (tb->nspans == tb->capspans) {
        int cap = tb->capspans ? tb->capspans * 2 : 16;
        span_rec *ns = realloc(tb->spans, sizeof *ns * (size_t)cap);
        if (!ns)
          return false;
        tb->spans = ns;
        tb->capspans = cap;
      }
      s = &tb->spans[tb->nspans++];
      s->col = col;
    }
    s->last_row = r;
    s->iter = c->as.cell.blank ? -2 : var_iter(b, span);
    s->cell = cell;
  }
  *colp = col + colspan;
  return true;
}

/* The cells of the template nodes [first, stop): <cell>s, and <for> and
 * <if> around them. */
static bool row_cells(binder *b, tbuild *tb, zp_row *row, int r,
                      const zp_tnode *first, const zp_tnode *stop, int *col,
                      bool header) {
  for (const zp_tnode *c = first; c != stop; c = c->next) {
    if (c->kind == ZP_T_TEXT)
      continue;
    if (!bind_check_spend(b, c, 1))
      return false;
    if (c->kind == ZP_T_CELL) {
      if (!row_cell(b, tb, row, r, c, col, header))
        return false;
    } else if (c->kind == ZP_T_USE) { /* cells from a macro */
      int saved;
      const zp_tnode *def = bind_use_enter(b, c, &saved);
      if (!def)
        return false;
      bool ok = row_cells(b, tb, row, r, def->child, NULL, col, header);
      bind_use_leave(b, saved);
      if (!ok)
        return false;
    } else if (c->kind == ZP_T_FOR) {
      const zp_json *arr = bind_loop_array(b, c);
      if (!arr)
        return false;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!bind_push(b, c, c->as.loop.as, e) || !bind_check_spend(b, c, 1))
          return false;
        bool ok = row_cells(b, tb, row, r, c->child, NULL, col, header);
        b->nvars--;
        if (!ok)
          return false;
      }
    } else if (c->kind == ZP_T_IF) {
      const zp_tnode *from, *to;
      bind_if_branch(b, c, &from, &to);
      if (!row_cells(b, tb, row, r, from, to, col, header))
        return false;
    }
  }
  return true;
}

static void table_row(binder *b, tbuild *tb, const zp_tnode *n, bool header) {
  zp_table *t = tb->t;
  if (tb->nrows == tb->cap) {
    int cap = tb->cap ? tb->cap * 2 : 64;
    zp_row *r = realloc(tb->rows, sizeof *r * (size_t)cap);
    if (!r)
      return;
    tb->rows = r;
    tb->cap = cap;
  }
  int r = tb->nrows;
  zp_row *row = &tb->rows[tb->nrows++];
  memset(row, 0, sizeof *row);
  row->header = header;
  /* a cell takes a column at least: no more cells than columns */
  row->cells = zp_arena_alloc(b->a, sizeof(zp_cell) * (size_t)(t->ncols + 1));
  int col = 0;
  row_cells(b, tb, row, r, n->child, NULL, &col, header);
}

/* The rows of the template nodes [first, stop). */
static void table_rows(binder *b, tbuild *tb, const zp_tnode *first,
                       const zp_tnode *stop) {
  for (const zp_tnode *c = first; c != stop; c = c->next) {
    if (c->kind == ZP_T_TEXT)
      continue;
    if (!bind_check_spend(b, c, 1))
      return;
    if (c->kind == ZP_T_ROW) {
      table_row(b, tb, c, false);
    } else if (c->kind == ZP_T_USE) { /* rows from a macro */
      int saved;
      const zp_tnode *def = bind_use_enter(b, c, &saved);
      if (def) {
        table_rows(b, tb, def->child, NULL);
        bind_use_leave(b, saved);
      }
    } else if (c->kind == ZP_T_FOR) {
      const zp_json *arr = bind_loop_array(b, c);
      if (!arr)
        continue;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!bind_push(b, c, c->as.loop.as, e) || !bind_check_spend(b, c, 1))
          return;
        table_rows(b, tb, c->child, NULL);
        b->nvars--;
      }
    } else if (c->kind == ZP_T_IF) {
      const zp_tnode *from, *to;
      bind_if_branch(b, c, &from, &to);
      table_rows(b, tb, from, to);
    }
  }
}

void bind_table(binder *b, const zp_tnode *n) {
  const zp_ttable *tt = n->as.table;
  zp_table *t = zp_arena_alloc(b->a, sizeof *t);
  if (!tt || !t || tt->ncols == 0)
    return; /* reported at load (or out of memory) */
  const char *id = bind_text_id(b, n);
  tbuild tb = {0};
  tb.t = t;
  tb.cell_style = tt->cell_style;
  tb.head_style = tt->head_style;
  t->ncols = tt->ncols;
  t->cols = zp_arena_alloc(b->a, sizeof(zp_column) * (size_t)t->ncols);
  tb.busy = calloc((size_t)t->ncols + 1, sizeof *tb.busy);
  if (!t->cols || !tb.busy) {
    free(tb.busy);
    return;
  }
  memcpy(t->cols, tt->cols, sizeof(zp_column) * (size_t)t->ncols);
  for (int i = 0; i < t->ncols; i++)
    tb.busy[i] = -1;
  for (const zp_tnode *c = n->child; c; c = c->next)
    if (c->kind == ZP_T_HEAD)
      for (const zp_tnode *r = c->child; r; r = r->next)
        if (r->kind != ZP_T_TEXT) {
          table_row(b, &tb, r, true);
          t->header_rows++;
        }
  /* a header cell's rowspan stops at the header's last row */
  for (int r = 0; r < tb.nrows; r++)
    for (int k = 0; k < tb.rows[r].ncells; k++) {
      zp_cell *cell = &tb.rows[r].cells[k];
      if (r + cell->rowspan > t->header_rows) {
        bind_check_report(
            b, ZP_WARNING, n->loc,
            "a header cell's rowspan reaches into the body; it stops at "
            "the header's last row");
        cell->rowspan = t->header_rows - r;
      }
    }
  for (int k = 0; k < t->ncols; k++)
    if (tb.busy[k] >= t->header_rows)
      tb.busy[k] = t->header_rows - 1;
  table_rows(b, &tb, n->child, NULL);
  for (int i = 0; i < tb.nrowspans; i++) {
    int r = tb.rowspans[i].row;
    zp_cell *cell = &tb.rows[r].cells[tb.rowspans[i].k];
    if (cell->rowspan > tb.nrows - r) {
      bind_check_report(
          b, ZP_ERROR, tb.rowspans[i].loc,
          "rowspan=\"%d\" reaches past the table's last row (the cell "
          "is in row %d of %d)",
          cell->rowspan, r + 1, tb.nrows);
      cell->rowspan = tb.nrows - r;
    }
  }
  free(tb.rowspans);
  t->nrows = tb.nrows;
  t->rows = zp_arena_alloc(b->a, sizeof(zp_row) * (size_t)(tb.nrows + 1));
  if (t->rows && tb.nrows)
    memcpy(t->rows, tb.rows, sizeof(zp_row) * (size_t)tb.nrows);
  free(tb.rows);
  free(tb.busy);
  free(tb.spans);
  /* caption: tables are numbered by the captions they print (so 表1 is
   * followed by 表3 when a table in between has no caption) */
  const char *cap = bind_text_attr(b, n, tt->caption);
  if (cap) {
    b->tables++;
    if (tt->numbered)
      cap = zp_arena_printf(b->a, "表%d：%s", b->tables, cap);
    t->caption = cap;
    t->caption_style = tt->caption_style;
  }
  t->continued = tt->continued;
  t->rule_width = tt->rule_width;
  t->frame_width = tt->frame_width;
  t->pad_top = tt->pad_top;
  t->pad_bottom = tt->pad_bottom;
  t->pad_left = tt->pad_left;
  t->pad_right = tt->pad_right;
  t->min_split_lines = tt->min_split_lines;
  zp_block *blk = bind_add_block(b, ZP_BLOCK_TABLE, n);
  if (!blk)
    return;
  blk->table = t;
  blk->style = tb.cell_style;
  blk->text = "";
  blk->id = id;
}
