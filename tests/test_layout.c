/* test_layout.c — the layout engine on hand-built documents.
 *
 * The documents are built directly as zp_doc trees (no template), laid out
 * with the system's fonts, and checked through the display list and the
 * layout dump.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"

#include "docfix.h"

typedef struct fixture {
  zp_arena *a;
  zp_doc doc;
  zp_block *last;
  zp_style body, h1, cell, head, caption;
  zp_fontset *fs;
  zp_diag *d;
  char *dump;
  size_t dumplen;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->a = zp_arena_new();
  f->d = zp_diag_new(stderr);
  f->fs = docfix_fonts(f->d);
  f->doc.page = docfix_page;
  f->doc.folio = docfix_folio;
  f->body = docfix_body;
  f->h1 = f->body;
  f->h1.name = "h1";
  f->h1.role = "hei";
  f->h1.keep_with_next = true;
  f->cell = (zp_style){.name = "td",
                       .role = "song",
                       .size = 10.5,
                       .line_pitch = 14,
                       .align = ZP_ALIGN_JUSTIFY,
                       .rules = ZP_BREAK_BASIC};
  f->head = f->cell;
  f->head.name = "th";
  f->head.role = "hei";
  f->caption = f->cell;
  f->caption.name = "caption";
  f->caption.role = "hei";
  f->caption.size = 14;
  f->caption.line_pitch = 24;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  docfix_free(f->fs, f->d, f->a, f->dump);
  free(f);
  return 0;
}

static zp_block *add(fixture *f, zp_block_kind kind, const zp_style *st,
                     const char *text) {
  return docfix_add(f->a, &f->doc, &f->last, kind, st, text,
                    (zp_loc){"test.xml", 1, 1});
}

static zp_dl *run_with(fixture *f, bool debug) {
  free(f->dump);
  f->dump = NULL;
  FILE *m = open_memstream(&f->dump, &f->dumplen);
  zp_layout_opts o = {m, debug, 0};
  zp_dl *dl = zp_layout(&f->doc, f->fs, &o, f->d);
  fclose(m);
  return dl;
}

static int count(const char *hay, const char *needle) {
  int n = 0;
  for (const char *p = hay; (p = strstr(p, needle)); p++)
    n++;
  return n;
}

static zp_dl *run(fixture *f) { return run_with(f, false); }

/* Why page n broke, as the dump's page line says ("break=X"), in buf. */
static const char *page_break(const char *dump, int n, char buf[64]) {
  char head[32];
  snprintf(head, sizeof head, "page %d ", n);
  const char *p = strstr(dump, head);
  buf[0] = 0;
  if (p && (p = strstr(p, " break=")) && p < strchr(strstr(dump, head), '\n'))
    sscanf(p, " break=%63s", buf);
  return buf;
}

/* The texts of a cell's fragments, joined in the dump's order. */
static char *cell_text(const char *dump, const char *tag) {
  char *joined = calloc(1, strlen(dump) + 1);
  for (const char *p = dump; (p = strstr(p, tag));) {
    const char *t = strstr(p, "text=") + 5;
    const char *e = strchr(t, '\n');
    strncat(joined, t, (size_t)(e - t));
    p = e;
  }
  return joined;
}

/* A paragraph of n hanzi from a real sentence, repeated. */
static char *hanzi(fixture *f, int n) {
  static const char src[] = "区农业农村局贯彻落实党中央省委关于三农工作方针政策"
                            "和决策部署按照市委和区委工作要求在履行职责过程中";
  size_t chars = sizeof src / 3;
  char *s = zp_arena_alloc(f->a, (size_t)n * 3 + 1);
  for (int i = 0; i < n; i++)
    memcpy(s + i * 3, src + (i % (chars - 1)) * 3, 3);
  return s;
}

/* The grid: 28 characters on a full body line, 22 lines on a full page. */
static void grid_28_by_22(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 30));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 2);
  /* first page: 22 lines of 28 glyphs */
  const zp_dl_page *p = dl->pages;
  int lines = 0;
  for (const zp_dl_run *r = p->runs; r; r = r->next)
    if (r->size == 16) {
      assert_int_equal(r->n, 28);
      lines++;
    }
  assert_int_equal(lines, 22);
  /* full lines are justified to the measure: last glyph ends at the
   * block's right edge */
  const zp_dl_run *r = p->runs;
  double right = 210 * MM - 26 * MM;
  double pitch = 156 * MM / 28;
  assert_true(r->glyphs[27].x + pitch - right < 0.1);
  assert_true(r->glyphs[27].x + pitch - right > -0.1);
  zp_dl_free(dl);
}

/* "2em" on the grid is two character cells (2 × 15.79 pt), not 2 × 16 pt,
 * and the first line then holds exactly 26 hanzi. */
static void grid_indent_is_two_cells(void **state) {
  fixture *f = *state;
  f->body.first_indent = 32;
  f->body.first_indent_em = 2;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 60));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  double pitch = 156 * MM / 28, left = 28 * MM;
  const zp_dl_run *r = dl->pages->runs;
  assert_int_equal(r->n, 26);
  assert_true(fabs(r->glyphs[0].x - (left + 2 * pitch)) < 0.01);
  assert_int_equal(r->next->n, 28);
  assert_true(fabs(r->next->glyphs[0].x - left) < 0.01);
  zp_dl_free(dl);
}

/* On the grid an ASCII letter or digit takes half a cell and a typed space
 * a quarter, whatever the face's advances: 56 digits fill a line. */
static void grid_widths(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body,
      "12345678901234567890123456789012345678901234567890123456 甲乙");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  double pitch = 156 * MM / 28;
  const zp_dl_run *r = dl->pages->runs;
  assert_true(fabs(r->glyphs[1].x - r->glyphs[0].x - pitch / 2) < 0.01);
  /* the 56 digits are one unit wider than the line: broken where they
   * must; a space after them is a quarter cell */
  assert_non_null(strstr(f->dump, "text=12345678901234567890123456789012"));
  zp_dl_free(dl);
}

/* Word's push-in: a line of 28 cells whose next character is ， keeps it
 * when two marks inside give half a cell each; a compressed mark loses
 * blank on both sides of its ink, never ink: its ink keeps a clearance from
 * both neighbours' (AR PL SungtiL GB's 。 sits at 0.25-0.45 em). */
static void pushin_compresses_blank_only(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  /* 28 cells: 12 hanzi 。 7 hanzi 。 7 hanzi, then ， */
  add(f, ZP_BLOCK_PARAGRAPH, &f->body,
      "区农业农村局贯彻落实党中。央省委关于三农。作方针政策和决，按照市委");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_run *r = dl->pages->runs;
  assert_int_equal(r->n, 29); /* the ， kept at the line's end */
  assert_non_null(strstr(f->dump, " ink="));
  double pitch = 156 * MM / 28, size = 16;
  for (int k = 0; k < 2; k++) {
    int i = k == 0 ? 12 : 20; /* the two 。 */
    assert_int_equal(r->glyphs[i].cp, 0x3002);
    /* the ink (0.248-0.449 em of the glyph) between its neighbours' inks:
     * each neighbour's box ends / starts one compressed half cell away */
    double ink_l = r->glyphs[i].x + 0.248 * size;
    double ink_r = r->glyphs[i].x + 0.449 * size;
    double box_l = r->glyphs[i - 1].x + pitch, box_r = r->glyphs[i + 1].x;
    assert_true(fabs(box_r - box_l - pitch / 2) < 0.02);
    /* the blank left on each side is the same */
    assert_true(fabs((ink_l - box_l) - (box_r - ink_r)) < 0.05);
    assert_true(ink_l - box_l > 0.1 * size);
  }
  /* the final ， keeps its full cell: the line ends at the right edge */
  double right = 210 * MM - 26 * MM;
  assert_true(fabs(r->glyphs[28].x + pitch - right) < 0.1);
  zp_dl_free(dl);
}

/* A heading never ends a page: it moves with its paragraph. */
static void heading_keeps_with_next(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 21)); /* 21 lines */
  zp_block *h = add(f, ZP_BLOCK_HEADING, &f->h1, "一、基本情况");
  h->level = 1;
  h->outline = true;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 3));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 2);
  /* page 2 starts with the heading */
  const char *p2 = strstr(f->dump, "page 2 ");
  assert_non_null(p2);
  assert_non_null(strstr(p2, "style=h1"));
  assert_true(strstr(p2, "style=h1") < strstr(p2, "style=body"));
  /* the dump says why page 1 broke where it did */
  char why[64];
  assert_string_equal(page_break(f->dump, 1, why), "keep-with-next");
  /* and it is a bookmark on page 2 */
  assert_non_null(dl->outlines);
  assert_int_equal(dl->outlines->page, 1);
  zp_dl_free(dl);
}

/* No single line of a paragraph alone at a page's top or bottom. */
static void widows_and_orphans(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 21)); /* 21 lines */
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 3));  /* 3 lines */
  zp_dl *dl = run(f);
  assert_non_null(dl);
  /* one line would be an orphan at the foot of page 1: the whole
   * three-line paragraph goes to page 2 */
  const char *p2 = strstr(f->dump, "page 2 ");
  assert_non_null(p2);
  assert_int_equal(count(p2, "  line "), 3);
  char why[64];
  assert_string_equal(page_break(f->dump, 1, why), "orphan");
  assert_string_equal(page_break(f->dump, 2, why), "end");
  zp_dl_free(dl);
}

static int marks(const zp_dl_page *p, zp_dl_mark_kind kind, zp_dl_show show) {
  int n = 0;
  for (const zp_dl_mark *m = p->marks; m; m = m->next)
    n += m->kind == kind && m->show == show;
  return n;
}

static const char *label(const zp_dl_page *p) {
  for (const zp_dl_mark *m = p->marks; m; m = m->next)
    if (m->kind == ZP_DL_MARK_LABEL)
      return m->text;
  return NULL;
}

/* --debug: every page has the text block, the grids, each line's box and
 * baseline, and at its foot why it broke: a widow, a forced break, the
 * end.  Without it, no marks at all. */
static void debug_layer(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 23)); /* 23 lines */
  add(f, ZP_BLOCK_PAGE_BREAK, NULL, NULL);
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 2));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  for (const zp_dl_page *p = dl->pages; p; p = p->next)
    assert_null(p->marks);
  zp_dl_free(dl);
  dl = run_with(f, true);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 3);
  /* 22 lines fit page 1; the 23rd alone on page 2 would be a widow */
  const zp_dl_page *p = dl->pages;
  assert_string_equal(label(p), "BREAK: WIDOW");
  char why[64];
  assert_string_equal(page_break(f->dump, 1, why), "widow");
  assert_string_equal(page_break(f->dump, 2, why), "forced");
  assert_int_equal(marks(p, ZP_DL_MARK_RECT, ZP_DL_SHOW_BLOCK), 1);
  assert_int_equal(marks(p, ZP_DL_MARK_LINE, ZP_DL_SHOW_GRID), 21 + 27);
  assert_int_equal(marks(p, ZP_DL_MARK_RECT, ZP_DL_SHOW_LINE), 21);
  assert_int_equal(marks(p, ZP_DL_MARK_LINE, ZP_DL_SHOW_BASELINE), 21);
  p = p->next;
  assert_string_equal(label(p), "BREAK: FORCED");
  assert_int_equal(marks(p, ZP_DL_MARK_RECT, ZP_DL_SHOW_LINE), 2);
  assert_string_equal(label(p->next), "BREAK: END");
  /* the label sits under the text block, inside the page */
  for (const zp_dl_mark *m = p->marks; m; m = m->next)
    if (m->kind == ZP_DL_MARK_LABEL)
      assert_true(m->y0 > 0 && m->y0 < 35 * MM);
  zp_dl_free(dl);
}

/* A table of n rows whose third column holds `tall` hanzi. */
static zp_table *table(fixture *f, int nrows, int tall, bool merged) {
  zp_table *t = zp_arena_alloc(f->a, sizeof *t);
  t->ncols = 3;
  t->cols = zp_arena_alloc(f->a, 3 * sizeof *t->cols);
  t->cols[0] = (zp_column){ZP_COL_FIXED, 30 * MM, ZP_ALIGN_CENTER};
  t->cols[1] = (zp_column){ZP_COL_PROPORTIONAL, 1, ZP_ALIGN_CENTER};
  t->cols[2] = (zp_column){ZP_COL_PROPORTIONAL, 3, ZP_ALIGN_JUSTIFY};
  t->nrows = nrows + 1;
  t->header_rows = 1;
  t->rows = zp_arena_alloc(f->a, (size_t)t->nrows * sizeof *t->rows);
  t->rule_width = 0.5;
  t->pad_top = t->pad_bottom = 2;
  t->pad_left = t->pad_right = 3;
  t->min_split_lines = 2;
  t->caption = "表1：测试表";
  t->caption_style = &f->caption;
  t->continued = "（续）";
  static const char *heads[] = {"一级指标", "二级指标", "说明"};
  zp_row *h = &t->rows[0];
  h->header = true;
  h->ncells = 3;
  h->cells = zp_arena_alloc(f->a, 3 * sizeof *h->cells);
  for (int c = 0; c < 3; c++)
    h->cells[c] = (zp_cell){heads[c],        &f->head,         c,   1,    1,
                            ZP_ALIGN_CENTER, ZP_VALIGN_MIDDLE, {0}, NULL, 0};
  for (int r = 1; r <= nrows; r++) {
    zp_row *row = &t->rows[r];
    bool first = r == 1;
    row->cells = zp_arena_alloc(f->a, 3 * sizeof *row->cells);
    int k = 0;
    if (!merged || first)
      row->cells[k++] = (zp_cell){
          "产出指标",      &f->cell,         0,   1,    merged ? nrows : 1,
          ZP_ALIGN_CENTER, ZP_VALIGN_MIDDLE, {0}, NULL, 0};
    row->cells[k++] = (zp_cell){zp_arena_printf(f->a, "第%d行", r),
                                &f->cell,
                                1,
                                1,
                                1,
                                ZP_ALIGN_CENTER,
                                ZP_VALIGN_MIDDLE,
                                {0},
                                NULL,
                                0};
    row->cells[k++] = (zp_cell){r == 2 ? hanzi(f, tall) : "完成",
                                &f->cell,
                                2,
                                1,
                                1,
                                ZP_ALIGN_JUSTIFY,
                                ZP_VALIGN_MIDDLE,
                                {0},
                                NULL,
                                0};
    row->ncells = k;
  }
  return t;
}

static int lines_with(const char *dump, const char *tag) {
  return count(dump, tag);
}

/* Header rows repeat on every page; the continued caption shows. */
static void table_header_repeats(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 10));
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = table(f, 60, 10, false);
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 3);
  /* the header's first cell on every page the table runs onto */
  assert_int_equal(lines_with(f->dump, "cell=0,0 "), dl->npages);
  assert_int_equal(lines_with(f->dump, "text=表1：测试表（续）"),
                   dl->npages - 1);
  /* every body row exactly once */
  for (int r = 1; r <= 60; r++) {
    char tag[32];
    snprintf(tag, sizeof tag, "text=第%d行\n", r);
    assert_int_equal(count(f->dump, tag), 1);
  }
  zp_dl_free(dl);
}

/* A row taller than the room left splits; its text is complete across the
 * two parts, at least two lines on each side. */
static void table_row_splits(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 14));
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = table(f, 3, 600, false);
  zp_dl *dl = run_with(f, true);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 2);
  char why[64];
  assert_string_equal(page_break(f->dump, 1, why), "table-row-split");
  assert_string_equal(label(dl->pages), "BREAK: TABLE-ROW-SPLIT");
  /* each cell fragment's box and its padding (3 pt left and right) */
  int cells = marks(dl->pages, ZP_DL_MARK_RECT, ZP_DL_SHOW_CELL);
  assert_true(cells >= 6);
  assert_int_equal(marks(dl->pages, ZP_DL_MARK_RECT, ZP_DL_SHOW_PADDING),
                   cells);
  for (const zp_dl_mark *m = dl->pages->marks, *box = NULL; m; m = m->next) {
    if (m->show == ZP_DL_SHOW_CELL)
      box = m;
    else if (m->show == ZP_DL_SHOW_PADDING) {
      assert_non_null(box);
      assert_float_equal(m->x0 - box->x0, 3, 0.01);
      assert_float_equal(box->x1 - m->x1, 3, 0.01);
      assert_float_equal(box->y1 - m->y1, 2, 0.01);
    }
  }
  const char *p2 = strstr(f->dump, "page 2 ");
  int before = 0, after = count(p2, "cell=2,2 ");
  for (const char *p = f->dump; (p = strstr(p, "cell=2,2 ")) && p < p2; p++)
    before++;
  assert_true(before >= 2);
  assert_true(after >= 2);
  /* the text put back together is the cell's text */
  char *joined = cell_text(f->dump, "cell=2,2 ");
  assert_string_equal(joined, hanzi(f, 600));
  free(joined);
  zp_dl_free(dl);
}

/* A merged cell whose span crosses a page shows its text again. */
static void table_merged_cell_repeats(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 12));
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = table(f, 40, 10, true);
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 2);
  assert_int_equal(count(f->dump, "cell=1,0 "), 2);
  const char *p2 = strstr(f->dump, "page 2 ");
  assert_non_null(strstr(p2, "cell=1,0 "));
  zp_dl_free(dl);
}

/* A cell taller than a whole page still splits, ends, and loses nothing. */
static void table_cell_taller_than_page(void **state) {
  fixture *f = *state;
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = table(f, 2, 6000, false);
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 3);
  char *joined = cell_text(f->dump, "cell=2,2 ");
  assert_string_equal(joined, hanzi(f, 6000));
  free(joined);
  zp_dl_free(dl);
}

/* A character that no face has is a warning with its location. */
static void missing_glyph_warns(void **state) {
  fixture *f = *state;
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "测试\xEE\x80\x80");
  b->loc = (zp_loc){"t.xml", 7, 3};
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(zp_diag_contains(f->d, "t.xml:7:3: warning"));
  assert_true(zp_diag_contains(f->d, "U+E000"));
  zp_dl_free(dl);
}

/* A caption and header never stand alone at a page's foot: when no body
 * row fits under them, the table starts on the next page. */
static void table_caption_and_header_never_alone(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 20)); /* 20 lines */
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = table(f, 3, 10, false);
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const char *p2 = strstr(f->dump, "page 2 ");
  assert_non_null(p2);
  /* the caption is on page 2, not on page 1 */
  assert_true(strstr(f->dump, "text=表1：测试表\n") > p2);
  char why[64];
  assert_string_equal(page_break(f->dump, 1, why), "table-head");
  zp_dl_free(dl);
}

/* A heavier outer frame is drawn around the table's part on each page. */
static void table_frame(void **state) {
  fixture *f = *state;
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  zp_table *t = table(f, 60, 10, false);
  t->frame_width = 1.5;
  b->table = t;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 2);
  for (const zp_dl_page *p = dl->pages; p; p = p->next) {
    int thin = 0, heavy = 0;
    for (const zp_dl_rule *r = p->rules; r; r = r->next) {
      thin += r->width == 0.5f;
      heavy += r->width == 1.5f;
    }
    assert_true(thin > 0);
    assert_int_equal(heavy, 4);
  }
  zp_dl_free(dl);
}

/* rule="0" draws no rules at all (a frame still, when given). */
static void table_rule_zero_draws_nothing(void **state) {
  fixture *f = *state;
  for (int framed = 0; framed < 2; framed++) {
    zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
    zp_table *t = table(f, 3, 1, false);
    t->rule_width = 0;
    t->frame_width = framed ? 1 : 0;
    b->table = t;
    zp_dl *dl = run(f);
    assert_non_null(dl);
    int n = 0;
    for (const zp_dl_rule *r = dl->pages->rules; r; r = r->next) {
      assert_true(r->width == 1.0f);
      n++;
    }
    assert_int_equal(n, framed ? 4 : 0);
    zp_dl_free(dl);
    f->doc.first = f->last = NULL;
  }
}

/* A table of one 30 mm column (and a second for content when two): the
 * first column's cell of row 1 spans all body rows. */
static zp_table *span_table(fixture *f, int nrows, const char *span_text,
                            bool second, const char *head_text) {
  zp_table *t = zp_arena_alloc(f->a, sizeof *t);
  t->ncols = second ? 2 : 1;
  t->cols = zp_arena_alloc(f->a, 2 * sizeof *t->cols);
  t->cols[0] = (zp_column){ZP_COL_FIXED, 30 * MM, ZP_ALIGN_CENTER};
  t->cols[1] = (zp_column){ZP_COL_PROPORTIONAL, 1, ZP_ALIGN_LEFT};
  t->nrows = nrows + 1;
  t->header_rows = 1;
  t->rows = zp_arena_alloc(f->a, (size_t)t->nrows * sizeof *t->rows);
  t->rule_width = 0.5;
  t->pad_top = t->pad_bottom = 2;
  t->pad_left = t->pad_right = 3;
  t->min_split_lines = 2;
  zp_row *h = &t->rows[0];
  h->ncells = t->ncols;
  h->cells = zp_arena_alloc(f->a, 2 * sizeof *h->cells);
  for (int c = 0; c < t->ncols; c++)
    h->cells[c] =
        (zp_cell){c ? "内容" : head_text, &f->head,         c,   1,    1,
                  ZP_ALIGN_CENTER,        ZP_VALIGN_MIDDLE, {0}, NULL, 0};
  for (int r = 1; r <= nrows; r++) {
    zp_row *row = &t->rows[r];
    row->cells = zp_arena_alloc(f->a, 2 * sizeof *row->cells);
    int k = 0;
    if (r == 1)
      row->cells[k++] =
          (zp_cell){span_text,       &f->cell,         0,   1,    nrows,
                    ZP_ALIGN_CENTER, ZP_VALIGN_MIDDLE, {0}, NULL, 0};
    if (second)
      row->cells[k++] = (zp_cell){zp_arena_printf(f->a, "第%d行", r),
                                  &f->cell,
                                  1,
                                  1,
                                  1,
                                  ZP_ALIGN_LEFT,
                                  ZP_VALIGN_MIDDLE,
                                  {0},
                                  NULL,
                                  0};
    row->ncells = k;
  }
  return t;
}

/* A merged cell's text survives every way a page break can cut its span:
 * after a few rows, at its last row, and over several pages. */
static void table_span_text_complete(void **state) {
  fixture *f = *state;
  static const int fills[] = {0, 10, 17, 19, 20, 21};
  static const int chars[] = {40, 200, 1500};
  for (size_t i = 0; i < sizeof fills / sizeof *fills; i++)
    for (size_t j = 0; j < sizeof chars / sizeof *chars; j++) {
      f->doc.first = f->last = NULL;
      if (fills[i])
        add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * fills[i]));
      zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
      char *text = hanzi(f, chars[j]);
      b->table = span_table(f, 6, text, true, "一级");
      zp_dl *dl = run(f);
      assert_non_null(dl);
      char *got = cell_text(f->dump, "cell=1,0 ");
      if (!strstr(got, text))
        fail_msg("fill %d, %d chars: the merged text is incomplete", fills[i],
                 chars[j]);
      free(got);
      zp_dl_free(dl);
    }
}

/* Rows whose only cell is a span taller than a page: the table ends. */
static void table_span_only_rows_end(void **state) {
  fixture *f = *state;
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  char *text = hanzi(f, 3000);
  b->table = span_table(f, 2, text, false, "一级");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 2 && dl->npages < 20);
  char *got = cell_text(f->dump, "cell=1,0 ");
  assert_non_null(strstr(got, text));
  free(got);
  zp_dl_free(dl);
}

/* A header taller than a page is an error, not an endless table. */
static void table_header_taller_than_page(void **state) {
  fixture *f = *state;
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  b->table = span_table(f, 3, "甲", true, hanzi(f, 900));
  assert_null(run(f));
  assert_true(zp_diag_contains(f->d, "leave no room for its body"));
}

/* ---- footnotes ---- */

static const zp_footnotes notes_default = {
    NULL, ZP_MARKER_CIRCLED, false, 0, 0.5, 5};

/* A text of n hanzi with the marker text mark after the first k; the
 * marker's span (with its note of text ntext) appended to *spans. */
static char *with_marker(fixture *f, int k, int n, const char *mark,
                         const char *ntext, zp_span *spans, uint32_t *nspans,
                         size_t base) {
  char *a = hanzi(f, k), *b = hanzi(f, n - k);
  char *s = zp_arena_printf(f->a, "%s%s%s", a, mark, b);
  zp_note *nt = zp_arena_alloc(f->a, sizeof *nt);
  *nt = (zp_note){ntext, NULL, 0, NULL, {"test.xml", 9, 3}};
  zp_span *sp = &spans[(*nspans)++];
  *sp = (zp_span){0};
  sp->kind = ZP_SPAN_NOTE;
  sp->start = (uint32_t)(base + strlen(a));
  sp->end = (uint32_t)(base + strlen(a) + strlen(mark));
  sp->note = ntext ? nt : NULL;
  sp->loc = (zp_loc){"test.xml", 7, 5};
  return s;
}

static zp_block *note_para(fixture *f, int k, int n, const char *mark,
                           const char *ntext) {
  zp_span *sp = zp_arena_alloc(f->a, 4 * sizeof *sp);
  uint32_t ns = 0;
  char *t = with_marker(f, k, n, mark, ntext, sp, &ns, 0);
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, t);
  b->spans = sp;
  b->nspans = ns;
  return b;
}

/* Page n's part of the dump (a copy). */
static char *page_part(fixture *f, int n) {
  char head[32];
  snprintf(head, sizeof head, "page %d ", n);
  const char *p = strstr(f->dump, head);
  if (!p)
    return zp_arena_printf(f->a, "%s", "");
  snprintf(head, sizeof head, "page %d ", n + 1);
  const char *e = strstr(p, head);
  return zp_arena_printf(f->a, "%.*s", (int)(e ? e - p : (int)strlen(p)), p);
}

/* Every marker's note begins on the marker's page (in the dump). */
static void assert_notes_with_markers(fixture *f, int pages) {
  for (int pg = 1; pg <= pages; pg++) {
    char *part = page_part(f, pg);
    for (const char *q = part; (q = strstr(q, "notes="));) {
      int id = atoi(q + 6);
      char want[32];
      snprintf(want, sizeof want, "line note=%d ", id);
      const char *at = strstr(part, want);
      assert_non_null(at);
      assert_true(strncmp(at + strlen(want), "cont", 4) != 0);
      q += 6;
    }
  }
}

/* A short note at the foot of its marker's page, above a rule of a
 * quarter of the block; the body keeps its grid and its breaks. */
static void note_on_marker_page(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  note_para(f, 40, 100, "①", "数据来源：区财政局预算执行报表。");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 1);
  assert_int_equal(count(f->dump, "notes=1 "), 1);
  assert_int_equal(count(f->dump, "line note=1 mark=① "), 1);
  assert_int_equal(count(f->dump, "  noterule "), 1);
  /* the rule: a quarter of the 156 mm block, 0.5 pt, at the foot */
  const zp_dl_rule *r = dl->pages->rules;
  assert_non_null(r);
  assert_float_equal(r->x1 - r->x0, 156 * MM / 4, 0.05);
  assert_float_equal(r->width, 0.5, 1e-6);
  assert_true(r->y0 < 35 * MM + 40 && r->y0 > 35 * MM);
  /* the note's line sits at the block's foot, off the grid, 12 pt */
  const char *nl = strstr(f->dump, "line note=1");
  assert_non_null(strstr(nl, "size=12.0 style=footnote"));
  assert_null(strstr(nl, " grid"));
  /* the same text without a note breaks the same */
  char *with = zp_arena_printf(f->a, "%s", f->dump);
  zp_dl_free(dl);
  f->doc.first->nspans = 0;
  dl = run(f);
  assert_int_equal(count(with, "  line y="), count(f->dump, "  line y="));
  zp_dl_free(dl);
}

/* A marker on the page's last lines whose note cannot start there moves
 * to the next page with its line. */
static void note_moves_marker_line(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  /* 22 lines fill page 1; the marker on line 22 (after 26 + 20 * 28
   * hanzi) */
  note_para(f, 26 + 20 * 28 + 5, 26 + 28 * 30, "①", "注释。");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_notes_with_markers(f, dl->npages);
  char *p1 = page_part(f, 1), *p2 = page_part(f, 2);
  assert_int_equal(count(p1, "notes="), 0);
  assert_int_equal(count(p2, "notes=1 "), 1);
  assert_int_equal(count(p2, "line note=1 "), 1);
  /* page 1 holds fewer lines than a full page only by the line moved */
  assert_int_equal(count(p1, "  line y="), 21);
  zp_dl_free(dl);
}

/* A long note continues on the next page, its rest first, under the
 * rule. */
static void note_continues(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  note_para(f, 26 + 28 * 15, 26 + 28 * 40, "①", hanzi(f, 36 * 10));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 2);
  assert_notes_with_markers(f, dl->npages);
  char *p1 = page_part(f, 1), *p2 = page_part(f, 2);
  assert_true(count(p1, "line note=1 ") >= 1);
  assert_int_equal(count(p2, "line note=1 cont "), 1);
  assert_int_equal(count(p1, "line note=1 ") + count(p2, "line note=1 "),
                   count(f->dump, "line note=1 "));
  assert_true(count(f->dump, "line note=1 ") >= 10);
  assert_int_equal(count(p2, "  noterule "), 1);
  /* the continued lines come first in page 2's note area */
  assert_true(strstr(p2, "line note=1 cont ") < strstr(p2, "  folio"));
  zp_dl_free(dl);
}

/* Numbered per page: the markers of page 2 start again from ①, in the
 * running text and before the note; the line keeps its glyphs' places. */
static void note_per_page_numbers(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  f->doc.footnotes.per_page = true;
  note_para(f, 30, 60, "①", "第一条注释。");
  note_para(f, 30, 60, "②", "第二条注释。");
  zp_block *pb = add(f, ZP_BLOCK_PAGE_BREAK, NULL, "");
  (void)pb;
  note_para(f, 30, 60, "③", "第三条注释。");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 2);
  char *p1 = page_part(f, 1), *p2 = page_part(f, 2);
  assert_non_null(strstr(p1, "line note=2 mark=② "));
  assert_non_null(strstr(p2, "line note=3 mark=① "));
  assert_null(strstr(p2, "③"));
  assert_non_null(strstr(p2, "①"));
  zp_dl_free(dl);
  /* through the document: ③ stays */
  f->doc.footnotes.per_page = false;
  dl = run(f);
  assert_non_null(strstr(page_part(f, 2), "line note=3 mark=③ "));
  zp_dl_free(dl);
}

/* A marker in a table cell: its note on the cell line's page. */
static void note_in_table_cell(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * 8));
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  zp_table *t = table(f, 30, 40, false);
  zp_cell *cl = &t->rows[20].cells[2];
  zp_span *sp = zp_arena_alloc(f->a, sizeof *sp);
  uint32_t ns = 0;
  cl->text = with_marker(f, 1, 2, "①", "表中数据为决算数。", sp, &ns, 0);
  cl->spans = sp;
  cl->nspans = ns;
  b->table = t;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_notes_with_markers(f, dl->npages);
  assert_int_equal(count(f->dump, "notes=1 "), 1);
  assert_int_equal(count(f->dump, "line note=1 mark=① "), 1);
  zp_dl_free(dl);
}

/* A marker without a note, a note taller than a page: errors. */
static void note_errors(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  zp_block *b = note_para(f, 3, 10, "①", NULL);
  int before = zp_diag_errors(f->d);
  assert_null(run(f));
  assert_int_equal(zp_diag_errors(f->d), before + 1);
  zp_note *nt = zp_arena_alloc(f->a, sizeof *nt);
  *nt = (zp_note){hanzi(f, 36 * 40), NULL, 0, NULL, {"test.xml", 9, 3}};
  ((zp_span *)b->spans)[0].note = nt;
  assert_null(run(f));
  assert_int_equal(zp_diag_errors(f->d), before + 2);
}

/* Markers in a merged cell and in a row's cell, wherever the page breaks
 * fall: every note begins on its marker's page, exactly once. */
static void note_in_cells_any_break(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  for (int fill = 0; fill <= 21; fill++) {
    f->doc.first = f->last = NULL;
    if (fill)
      add(f, ZP_BLOCK_PARAGRAPH, &f->body, hanzi(f, 28 * fill));
    zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
    zp_span *sp = zp_arena_alloc(f->a, 2 * sizeof *sp);
    uint32_t ns = 0;
    char *span_text = with_marker(f, 30, 60, "①", hanzi(f, 80), sp, &ns, 0);
    b->table = span_table(f, 6, span_text, true, "一级");
    zp_cell *cl = &b->table->rows[1].cells[0];
    cl->spans = sp;
    cl->nspans = ns;
    zp_span *sp2 = zp_arena_alloc(f->a, 2 * sizeof *sp2);
    uint32_t ns2 = 0;
    zp_cell *c4 = &b->table->rows[4].cells[0];
    c4->text = with_marker(f, 2, 3, "②", "第四行的注释。", sp2, &ns2, 0);
    c4->spans = sp2;
    c4->nspans = ns2;
    zp_dl *dl = run(f);
    assert_non_null(dl);
    assert_notes_with_markers(f, dl->npages);
    assert_int_equal(count(f->dump, "line note=1 mark=① "), 1);
    assert_int_equal(count(f->dump, "line note=2 mark=② "), 1);
    zp_dl_free(dl);
  }
}

/* A marker in a header row that repeats: one note, on the first page. */
static void note_in_repeated_header(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  zp_block *b = add(f, ZP_BLOCK_TABLE, &f->body, "");
  zp_table *t = table(f, 60, 10, false);
  zp_cell *cl = &t->rows[0].cells[2];
  zp_span *sp = zp_arena_alloc(f->a, sizeof *sp);
  uint32_t ns = 0;
  cl->text = with_marker(f, 2, 2, "①", "说明栏的注释。", sp, &ns, 0);
  cl->spans = sp;
  cl->nspans = ns;
  b->table = t;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_true(dl->npages >= 2);
  assert_true(count(f->dump, "text=区农①") >= 2); /* repeated */
  assert_int_equal(count(f->dump, "notes=1 "), 1);
  assert_int_equal(count(f->dump, "line note=1 "), 1);
  assert_notes_with_markers(f, dl->npages);
  zp_dl_free(dl);
}

/* Per page, a shorter number: [11] on page 2 becomes [1], the glyphs
 * after it keep their places (the line is not set again). */
static void note_per_page_shorter(void **state) {
  fixture *f = *state;
  f->doc.footnotes = notes_default;
  f->doc.footnotes.marker = ZP_MARKER_BRACKET;
  f->doc.footnotes.per_page = true;
  for (int k = 1; k <= 10; k++)
    note_para(f, 5, 10, zp_arena_printf(f->a, "[%d]", k), "注。");
  add(f, ZP_BLOCK_PAGE_BREAK, NULL, "");
  zp_block *b = note_para(f, 5, 10, "[11]", "第二页的注。");
  (void)b;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  char *p2 = page_part(f, 2);
  assert_non_null(strstr(p2, "mark=[1] "));
  const char *l = strstr(p2, "notes=11 text=");
  assert_non_null(l);
  assert_int_equal(strncmp(l + 14, "区农业农村[1]区农业农村", 33), 0);
  /* the last glyph where it was: the line's width is unchanged */
  float w1, w2;
  const char *line = strstr(p2, "  line y=");
  assert_int_equal(sscanf(strstr(line, " w=") + 3, "%f", &w1), 1);
  zp_dl_free(dl);
  f->doc.footnotes.per_page = false;
  dl = run(f);
  p2 = page_part(f, 2);
  assert_non_null(strstr(p2, "notes=11 text=区农业农村[11]"));
  line = strstr(p2, "  line y=");
  assert_int_equal(sscanf(strstr(line, " w=") + 3, "%f", &w2), 1);
  assert_float_equal(w1, w2, 0.01);
  zp_dl_free(dl);
}

/* Spans of a block (a hand-built array, as the binder leaves it). */
static zp_span *spans(fixture *f, zp_block *b, uint32_t n) {
  zp_span *v = zp_arena_alloc(f->a, sizeof *v * n);
  for (uint32_t i = 0; i < n; i++)
    v[i].color = ZP_COLOR_INHERIT;
  b->spans = v;
  b->nspans = n;
  return v;
}

/* The run holding code point cp, and its glyph's index in *k. */
static const zp_dl_run *run_with_cp(const zp_dl *dl, uint32_t cp, uint32_t *k) {
  for (const zp_dl_page *p = dl->pages; p; p = p->next)
    for (const zp_dl_run *r = p->runs; r; r = r->next)
      for (uint32_t i = 0; i < r->n; i++)
        if (r->glyphs[i].cp == cp) {
          *k = i;
          return r;
        }
  return NULL;
}

/* STYLE spans: a superscript is 0.6 of the size, raised 0.33 em, and takes
 * its own width on the grid (not half a cell); a subscript is lowered 0.12
 * em; bold is synthesised (the face has none); colours are per run and
 * black stays 0; the line's breaks and pitch do not change. */
static void style_spans_widths_shifts_colours(void **state) {
  fixture *f = *state;
  f->body.first_indent = 0;
  /* "面积m2，H2O，红字乙" */
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "面积m2，H₂O，红字乙");
  zp_span *s = spans(f, b, 4);
  s[0] = (zp_span){.kind = ZP_SPAN_STYLE,
                   .start = 7,
                   .end = 8,
                   .shift = ZP_SHIFT_SUPER,
                   .color = ZP_COLOR_INHERIT};
  s[1] = (zp_span){.kind = ZP_SPAN_STYLE,
                   .start = 12,
                   .end = 15,
                   .shift = ZP_SHIFT_SUB,
                   .color = ZP_COLOR_INHERIT};
  s[2] = (zp_span){
      .kind = ZP_SPAN_STYLE, .start = 19, .end = 25, .color = 0xC00000};
  s[3] = (zp_span){.kind = ZP_SPAN_STYLE,
                   .start = 22,
                   .end = 25,
                   .bold = true,
                   .color = ZP_COLOR_INHERIT};
  zp_dl *dl = run(f);
  assert_non_null(dl);
  uint32_t k;
  const zp_dl_run *m = run_with_cp(dl, 'm', &k),
                  *two = run_with_cp(dl, '2', &k);
  assert_non_null(two);
  assert_int_equal(two->n, 1);
  assert_true(fabs(two->size - 9.6) < 0.001);
  assert_true(fabs(two->y - (m->y + 0.33 * 16)) < 0.01);
  /* its own width: the next glyph (，) starts one face advance later */
  zp_glyph g;
  assert_true(zp_font_glyph(f->fs, zp_font_role_find(f->fs, "song"), '2', &g));
  uint32_t kc;
  const zp_dl_run *comma = run_with_cp(dl, 0xFF0C, &kc);
  double cell = 156 * MM / 28;
  assert_true(fabs(comma->glyphs[kc].x - two->glyphs[0].x -
                   g.advance * 9.6 / 1000) < 0.5);
  assert_true(g.advance * 9.6 / 1000 < cell / 2 - 1); /* not half a cell */
  const zp_dl_run *sub = run_with_cp(dl, 0x2082, &k);
  assert_true(fabs(sub->y - (m->y - 0.12 * 16)) < 0.01);
  assert_true(fabs(sub->size - 9.6) < 0.001);
  const zp_dl_run *red = run_with_cp(dl, 0x7EA2 /* 红 */, &k);
  assert_int_equal(red->color, 0xC00000);
  assert_false(red->bold);
  const zp_dl_run *bold = run_with_cp(dl, 0x5B57 /* 字 */, &k);
  assert_int_equal(bold->color, 0xC00000);
  assert_true(bold->bold);
  assert_int_equal(bold->n, 1);
  assert_int_equal(m->color, 0);
  assert_int_equal(run_with_cp(dl, 0x4E59 /* 乙 */, &k)->color, 0);
  /* the dump says what changed, on this line only */
  assert_non_null(strstr(f->dump, "looks=3-4:size=9.60,rise=5.28;6-7:size="
                                  "9.60,rise=-1.92;9-10:color=#C00000;10-11:"
                                  "bold,color=#C00000 text="));
  zp_dl_free(dl);
  /* without spans the same text has no looks= and one run per face */
  b->spans = NULL;
  b->nspans = 0;
  dl = run(f);
  assert_null(strstr(f->dump, "looks="));
  assert_int_equal(run_with_cp(dl, '2', &k)->size, 16);
  zp_dl_free(dl);
}

/* Line breaking is unchanged across spans: a bold run over a whole
 * paragraph breaks it where the plain one breaks; LINK and NOTE spans are
 * set as the text around them. */
static void spans_keep_breaks(void **state) {
  fixture *f = *state;
  const char *text = hanzi(f, 70);
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, text);
  zp_dl *dl = run(f);
  char *plain = strdup(f->dump);
  zp_dl_free(dl);
  zp_span *s = spans(f, b, 3);
  s[0] = (zp_span){.kind = ZP_SPAN_STYLE,
                   .start = 0,
                   .end = 210,
                   .bold = true,
                   .color = ZP_COLOR_INHERIT};
  s[1] = (zp_span){.kind = ZP_SPAN_LINK,
                   .start = 3,
                   .end = 9,
                   .uri = "https://example.org/",
                   .color = ZP_COLOR_INHERIT};
  static const zp_note note = {"注。", NULL, 0, NULL, {"test.xml", 1, 1}};
  s[2] = (zp_span){.kind = ZP_SPAN_NOTE,
                   .start = 12,
                   .end = 15,
                   .color = ZP_COLOR_INHERIT,
                   .note = &note};
  dl = run(f);
  assert_non_null(dl);
  /* the same lines, each all bold, at the same positions and widths (the
   * note's own line after them) */
  assert_int_equal(count(f->dump, "looks=0-"), 3);
  assert_int_equal(count(f->dump, "  line note=1 mark="), 1);
  for (const char *p = plain, *q = f->dump; (p = strstr(p, "  line y="));) {
    q = strstr(q, "  line y=");
    assert_non_null(q);
    size_t n = (size_t)(strstr(p, " text=") - p);
    assert_memory_equal(p, q, n); /* y, x, w, m, … face= */
    q = strstr(q, " text=");
    p += n;
    size_t t = strcspn(p, "\n");
    assert_memory_equal(p, q, t); /* the same text */
    p += t;
    q += t;
  }
  free(plain);
  zp_dl_free(dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(grid_28_by_22, setup, teardown),
      cmocka_unit_test_setup_teardown(style_spans_widths_shifts_colours, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(spans_keep_breaks, setup, teardown),
      cmocka_unit_test_setup_teardown(grid_indent_is_two_cells, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(grid_widths, setup, teardown),
      cmocka_unit_test_setup_teardown(pushin_compresses_blank_only, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(heading_keeps_with_next, setup, teardown),
      cmocka_unit_test_setup_teardown(widows_and_orphans, setup, teardown),
      cmocka_unit_test_setup_teardown(debug_layer, setup, teardown),
      cmocka_unit_test_setup_teardown(table_header_repeats, setup, teardown),
      cmocka_unit_test_setup_teardown(table_row_splits, setup, teardown),
      cmocka_unit_test_setup_teardown(table_merged_cell_repeats, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(table_cell_taller_than_page, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(missing_glyph_warns, setup, teardown),
      cmocka_unit_test_setup_teardown(table_caption_and_header_never_alone,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(table_frame, setup, teardown),
      cmocka_unit_test_setup_teardown(table_rule_zero_draws_nothing, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(table_span_text_complete, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(table_span_only_rows_end, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(table_header_taller_than_page, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(note_on_marker_page, setup, teardown),
      cmocka_unit_test_setup_teardown(note_moves_marker_line, setup, teardown),
      cmocka_unit_test_setup_teardown(note_continues, setup, teardown),
      cmocka_unit_test_setup_teardown(note_per_page_numbers, setup, teardown),
      cmocka_unit_test_setup_teardown(note_in_table_cell, setup, teardown),
      cmocka_unit_test_setup_teardown(note_errors, setup, teardown),
      cmocka_unit_test_setup_teardown(note_in_cells_any_break, setup, teardown),
      cmocka_unit_test_setup_teardown(note_in_repeated_header, setup, teardown),
      cmocka_unit_test_setup_teardown(note_per_page_shorter, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
