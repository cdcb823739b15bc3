/* test_contents.c — links and tables of contents, from the layout to the
 * PDF: URLs in text and link spans as display-list links, links to blocks
 * resolved to their pages, the contents' entries and page numbers, the
 * layouts repeated until the headings settle (and the error when they do
 * not within the passes allowed), the PDF's link annotations.
 *
 * Documents are built as zp_doc trees by hand and laid out with the
 * system's fonts, as in test_layout.c.
 */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "layout.h"
#include "pdf.h"

#include "docfix.h"

typedef struct fixture {
  zp_arena *a;
  zp_doc doc;
  zp_block *last;
  zp_style body, h1, toc;
  zp_contents contents;
  zp_fontset *fs;
  zp_diag *d;
  char *dump;
  size_t dumplen;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->a = zp_arena_new();
  f->d = zp_diag_new(NULL);
  f->fs = docfix_fonts(f->d);
  f->doc.page = docfix_page;
  f->body = docfix_body;
  f->body.first_indent_em = 2;
  f->h1 = f->body;
  f->h1.name = "h1";
  f->h1.role = "hei";
  f->h1.keep_with_next = true;
  f->toc = f->body;
  f->toc.name = "toc";
  f->toc.first_indent = f->toc.first_indent_em = 0;
  f->contents = (zp_contents){.min_level = 1, .max_level = 2, .leader = true};
  f->contents.indent_em[2] = 1;
  f->contents.indent[2] = 16;
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
                    (zp_loc){"test.xml", 7, 5});
}

static zp_block *heading(fixture *f, int level, const char *text) {
  zp_block *b = add(f, ZP_BLOCK_HEADING, &f->h1, text);
  b->level = level;
  b->outline = true;
  return b;
}

static zp_block *contents(fixture *f) {
  zp_block *b = add(f, ZP_BLOCK_CONTENTS, &f->toc, "");
  b->contents = &f->contents;
  b->loc = (zp_loc){"test.xml", 3, 5};
  return b;
}

/* n copies of 甲. */
static char *han(fixture *f, int n) {
  char *s = zp_arena_alloc(f->a, 3 * (size_t)n + 1);
  for (int i = 0; i < n; i++)
    memcpy(s + 3 * i, "甲", 3);
  return s;
}

static zp_dl *run_max(fixture *f, int max) {
  free(f->dump);
  f->dump = NULL;
  FILE *m = open_memstream(&f->dump, &f->dumplen);
  zp_layout_opts o = {m, false, max};
  zp_dl *dl = zp_layout(&f->doc, f->fs, &o, f->d);
  fclose(m);
  return dl;
}

static zp_dl *run(fixture *f) { return run_max(f, 0); }

static const zp_dl_page *page_at(const zp_dl *dl, int n) {
  const zp_dl_page *p = dl->pages;
  while (p && n-- > 0)
    p = p->next;
  return p;
}

static int nlinks(const zp_dl_page *p) {
  int n = 0;
  for (const zp_dl_link *l = p->links; l; l = l->next)
    n++;
  return n;
}

/* The numbers at the ends of the contents' lines in the dump, in order,
 * into out (at most max); returns the count. */
static int toc_numbers(const char *dump, int *out, int max) {
  int n = 0;
  for (const char *p = dump; (p = strstr(p, "style=toc ")) && n < max; p++) {
    const char *eol = strchr(p, '\n');
    const char *q = eol;
    while (q > p && q[-1] >= '0' && q[-1] <= '9')
      q--;
    if (q < eol && q[-1] == '.')
      out[n++] = atoi(q);
  }
  return n;
}

static void urls_become_links(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body,
      "见https://e.org/a?x=1 和www.e.cn。abchttp://no.e");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_page *p = dl->pages;
  assert_int_equal(nlinks(p), 2);
  const zp_dl_link *a = p->links, *b = a->next;
  assert_string_equal(a->uri, "https://e.org/a?x=1");
  assert_string_equal(b->uri, "http://www.e.cn"); /* not its 。 */
  /* a URL glued to a word ("abchttp://") is none */
  assert_true(a->x0 < a->x1 && a->x1 < b->x0 && b->x0 < b->x1);
  assert_true(a->y0 < a->y1 && a->y0 == b->y0);
  zp_dl_free(dl);
}

static void url_ends_before_marks_and_unopened_brackets(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body,
      "（见http://e.org/wiki/A_(b))，又见http://e.org/x].");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_link *a = dl->pages->links;
  assert_non_null(a);
  assert_string_equal(a->uri, "http://e.org/wiki/A_(b)");
  assert_non_null(a->next);
  assert_string_equal(a->next->uri, "http://e.org/x");
  zp_dl_free(dl);
}

static void wrapped_url_is_a_link_on_each_line(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body,
      "全文见https://www.example.gov.cn/zwgk/2023/"
      "performance-report-final-version-index-and-appendix.html");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_page *p = dl->pages;
  assert_int_equal(nlinks(p), 2);
  const zp_dl_link *a = p->links, *b = a->next;
  assert_string_equal(a->uri, b->uri);
  assert_true(b->y1 <= a->y0 + 0.01f); /* the next line, below */
  zp_dl_free(dl);
}

static void link_span_to_a_block(void **state) {
  fixture *f = *state;
  zp_block *p = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "详见附件1和官网。");
  zp_span *s = zp_arena_alloc(f->a, 2 * sizeof *s);
  /* "附件1" (bytes 6..13) to the block with id "annex1"; "官网" a URL */
  s[0] = (zp_span){.kind = ZP_SPAN_LINK,
                   .start = 6,
                   .end = 13,
                   .target = "annex1",
                   .loc = {"test.xml", 4, 9}};
  s[1] = (zp_span){.kind = ZP_SPAN_LINK,
                   .start = 16,
                   .end = 22,
                   .uri = "https://example.org/"};
  p->spans = s;
  p->nspans = 2;
  add(f, ZP_BLOCK_PAGE_BREAK, NULL, NULL);
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, "第二页。");
  add(f, ZP_BLOCK_PAGE_BREAK, NULL, NULL);
  zp_block *h = heading(f, 1, "附件1");
  h->id = "annex1";
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_link *a = dl->pages->links;
  assert_non_null(a);
  assert_null(a->uri);
  assert_int_equal(a->page, 2);
  /* the top of the heading's line box: the text block's top */
  assert_float_equal(a->y, 297 * MM - 37 * MM, 0.05);
  assert_float_equal(a->y, dl->outlines->y, 0.01);
  assert_string_equal(a->next->uri, "https://example.org/");
  /* the span's width: three characters (附件1: two cells and a digit) */
  assert_true(a->x1 - a->x0 > 30 && a->x1 - a->x0 < 40);
  zp_dl_free(dl);

  s[0].target = "annex2";
  assert_null(run(f));
  assert_true(zp_diag_contains(
      f->d, "test.xml:4:9: error: a link to \"annex2\": no element has "
            "id=\"annex2\""));
}

static void url_in_a_table_cell(void **state) {
  fixture *f = *state;
  zp_style *td = zp_arena_alloc(f->a, sizeof *td);
  *td = (zp_style){.name = "td",
                   .role = "song",
                   .size = 10.5,
                   .line_pitch = 14,
                   .align = ZP_ALIGN_LEFT,
                   .rules = ZP_BREAK_BASIC};
  zp_table *t = zp_arena_alloc(f->a, sizeof *t);
  zp_column *col = zp_arena_alloc(f->a, sizeof *col);
  *col = (zp_column){ZP_COL_PROPORTIONAL, 1, ZP_ALIGN_LEFT};
  zp_row *row = zp_arena_alloc(f->a, sizeof *row);
  zp_cell *cell = zp_arena_alloc(f->a, sizeof *cell);
  cell->text = "网址 https://e.org/cell";
  cell->style = td;
  cell->colspan = cell->rowspan = 1;
  row->cells = cell;
  row->ncells = 1;
  *t = (zp_table){.ncols = 1,
                  .cols = col,
                  .rows = row,
                  .nrows = 1,
                  .rule_width = 0.5,
                  .pad_top = 2,
                  .pad_bottom = 2,
                  .pad_left = 4,
                  .pad_right = 4,
                  .min_split_lines = 1};
  zp_block *b = add(f, ZP_BLOCK_TABLE, td, "");
  b->table = t;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_link *l = dl->pages->links;
  assert_non_null(l);
  assert_string_equal(l->uri, "https://e.org/cell");
  /* inside the cell: right of its left padding, within the text block */
  assert_true(l->x0 > 28 * MM + 4 + 20 && l->x1 < 210 * MM - 26 * MM);
  assert_null(l->next);
  zp_dl_free(dl);
}

static void contents_numbers_are_the_headings_pages(void **state) {
  fixture *f = *state;
  contents(f);
  const char *titles[] = {"一、总体情况", "（一）基本情况", "二、绩效目标",
                          "三、存在的问题"};
  int levels[] = {1, 2, 1, 1};
  for (int i = 0; i < 4; i++) {
    add(f, ZP_BLOCK_PAGE_BREAK, NULL, NULL);
    heading(f, levels[i], titles[i]);
    add(f, ZP_BLOCK_PARAGRAPH, &f->body, han(f, 28 * (i + 1) * 10));
  }
  zp_dl *dl = run(f);
  assert_non_null(dl);
  int nums[8];
  assert_int_equal(toc_numbers(f->dump, nums, 8), 4);
  int k = 0;
  for (const zp_dl_outline *o = dl->outlines; o; o = o->next, k++)
    assert_int_equal(nums[k], o->page + 1);
  assert_int_equal(k, 4);
  assert_int_equal(nums[0], 2);
  /* pages: the contents; 10 lines; 20 lines; 30 lines over two; then */
  assert_int_equal(nums[3], 6);
  /* each entry links to its heading */
  const zp_dl_link *l = dl->pages->links;
  k = 0;
  for (const zp_dl_outline *o = dl->outlines; o;
       o = o->next, k++, l = l->next) {
    assert_non_null(l);
    assert_int_equal(l->page, o->page);
    assert_float_equal(l->y, o->y, 0.01);
  }
  /* level 2 indented one em; the numbers flush right, the leaders' dots
   * in one column */
  assert_non_null(strstr(f->dump, "x=95.16 w=426.41"));
  assert_non_null(strstr(f->dump, "text=（一）基本情况....."));
  zp_dl_free(dl);
}

/* A heading's footnote marker is neither in its contents entry nor in its
 * bookmark (the note is the heading's; the marker is printed once); its
 * styling (a superscript) stays in the entry. */
static void contents_and_bookmark_without_note_markers(void **state) {
  fixture *f = *state;
  contents(f);
  zp_block *h = heading(f, 1, "一、总体①情况m2");
  zp_note *note = zp_arena_alloc(f->a, sizeof *note);
  note->text = "标题的脚注。";
  note->loc = (zp_loc){"test.xml", 9, 5};
  zp_span *s = zp_arena_alloc(f->a, 2 * sizeof *s);
  s[0] = (zp_span){.kind = ZP_SPAN_NOTE, .start = 12, .end = 15, .note = note};
  s[1] = (zp_span){.kind = ZP_SPAN_STYLE,
                   .start = 22,
                   .end = 23,
                   .shift = ZP_SHIFT_SUPER,
                   .color = ZP_COLOR_INHERIT};
  h->spans = s;
  h->nspans = 2;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, "正文。");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  /* the entry keeps the superscript (m², its 8th character), the marker
   * gone; the styled characters past the heading's text (the leader, the
   * number) in the line's look */
  assert_non_null(strstr(
      f->dump, "looks=7-8:size=9.60,rise=5.28 text=一、总体情况m2....."));
  assert_non_null(strstr(f->dump, "text=一、总体①情况m2\n"));
  assert_non_null(dl->outlines);
  assert_string_equal(dl->outlines->title, "一、总体情况m2");
  zp_dl_free(dl);
}

/* A contents whose page numbers make an entry wrap: the first layout (no
 * numbers yet) keeps it on one line and the heading below on page 1; with
 * the numbers it takes two lines, and the heading, kept with two lines of
 * its paragraph, goes to page 2.  The third layout confirms page 2; with
 * two layouts allowed it is an error at the contents, and no pages. */
static void contents_pushes_a_heading(void **state) {
  fixture *f = *state;
  contents(f);
  f->contents.max_level = 1;
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, han(f, 26 + 16 * 28));
  heading(f, 1, han(f, 27));
  add(f, ZP_BLOCK_PARAGRAPH, &f->body, han(f, 26 + 3 * 28));
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->outlines->page, 1);
  int nums[4];
  assert_int_equal(toc_numbers(f->dump, nums, 4), 1);
  assert_int_equal(nums[0], 2);
  zp_dl_free(dl);

  assert_null(run_max(f, 2));
  assert_true(zp_diag_contains(
      f->d, "test.xml:3:5: error: the table of contents does not settle: "
            "after 2 layouts the heading"));
  assert_true(zp_diag_contains(f->d, "(from the PDF's page 1 to its page 2)"));
}

static void contents_on_two_pages(void **state) {
  fixture *f = *state;
  contents(f);
  char *t[40];
  for (int i = 0; i < 40; i++) {
    t[i] = zp_arena_printf(f->a, "第%d节", i + 1);
    heading(f, 1, t[i]);
    add(f, ZP_BLOCK_PARAGRAPH, &f->body, han(f, 28 * 3));
  }
  zp_dl *dl = run(f);
  assert_non_null(dl);
  int nums[64];
  assert_int_equal(toc_numbers(f->dump, nums, 64), 40);
  int k = 0;
  for (const zp_dl_outline *o = dl->outlines; o; o = o->next, k++)
    assert_int_equal(nums[k], o->page + 1);
  assert_int_equal(nums[0], 2); /* 40 entries: past the first page */
  assert_true(nlinks(page_at(dl, 1)) > 0);
  zp_dl_free(dl);
}

static bool has(const char *buf, size_t len, const char *s) {
  return memmem(buf, len, s, strlen(s)) != NULL;
}

static void pdf_link_annotations(void **state) {
  fixture *f = *state;
  /* a URL in the text ends at a full-width character; a span's may hold
   * one (percent-encoded in the PDF) */
  zp_block *u = add(f, ZP_BLOCK_PARAGRAPH, &f->body,
                    "见 https://example.org/a报告 和报告。");
  zp_span *s = zp_arena_alloc(f->a, 2 * sizeof *s);
  s[0] = (zp_span){.kind = ZP_SPAN_LINK,
                   .start = 35,
                   .end = 41,
                   .uri = "https://example.org/报告"};
  u->spans = s;
  u->nspans = 1;
  add(f, ZP_BLOCK_PAGE_BREAK, NULL, NULL);
  zp_block *p = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "回到第一页。");
  s[1] = (zp_span){.kind = ZP_SPAN_LINK, .start = 0, .end = 6, .target = "top"};
  p->spans = s + 1;
  p->nspans = 1;
  f->doc.first->id = "top";
  zp_dl *dl = run(f);
  assert_non_null(dl);
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_true(zp_pdf_write_stream(dl, f->fs, m, "t.pdf", f->d));
  fclose(m);
  /* libharu writes the dictionaries uncompressed, "/" as \057 and "%" as
   * \045 (a literal string's octal escapes) */
  assert_true(has(buf, len, "/URI (https:\\057\\057example.org\\057a)"));
  assert_true(has(buf, len,
                  "/URI (https:\\057\\057example.org\\057\\045E6\\0458A\\045A5"
                  "\\045E5\\04591\\0458A)"));
  assert_true(has(buf, len, "/Subtype /Link"));
  assert_true(has(buf, len, "/Border [ 0 0 0 ]"));
  assert_true(has(buf, len, "/Dest "));
  assert_true(has(buf, len, "/XYZ 0 "));
  /* the id is a named destination, on page 1 */
  assert_non_null(dl->dests);
  assert_string_equal(dl->dests->name, "top");
  assert_int_equal(dl->dests->page, 0);
  assert_null(dl->dests->next);
  assert_true(has(buf, len, "/Dests"));
  assert_true(has(buf, len, "/top "));
  free(buf);
  zp_dl_free(dl);
}

/* An id with a space is no named destination (libharu would write the
 * space into the name and break the catalog); one of 128 bytes neither;
 * the others are, and a reference to the spaced id still links. */
static void dest_names_a_pdf_can_hold(void **state) {
  fixture *f = *state;
  zp_block *a = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "第一段。");
  a->id = "a b";
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "第二段。");
  b->id = "a#b(c)";
  zp_block *l = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "第三段。");
  char *longid = zp_arena_alloc(f->a, 129);
  memset(longid, 'x', 128);
  longid[128] = 0;
  l->id = longid;
  zp_block *p = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "见上文。");
  zp_span *s = zp_arena_alloc(f->a, sizeof *s);
  *s = (zp_span){.kind = ZP_SPAN_LINK, .start = 0, .end = 6, .target = "a b"};
  p->spans = s;
  p->nspans = 1;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_non_null(dl->dests);
  assert_string_equal(dl->dests->name, "a#b(c)");
  assert_null(dl->dests->next);
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_true(zp_pdf_write_stream(dl, f->fs, m, "t.pdf", f->d));
  fclose(m);
  assert_true(has(buf, len, "/a#23b#28c#29 "));
  assert_false(has(buf, len, "/a b"));
  assert_true(has(buf, len, "/Dest "));
  free(buf);
  zp_dl_free(dl);
}

/* More ids than a PDF dictionary of libharu holds (4095): the named
 * destinations go to a name tree of leaves with their limits (the
 * writer failed: "adding a named destination failed"). */
static void many_named_destinations(void **state) {
  fixture *f = *state;
  for (int i = 0; i < 4100; i++) {
    zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, &f->body, "段。");
    char *id = zp_arena_alloc(f->a, 8);
    snprintf(id, 8, "p%04d", i);
    b->id = id;
  }
  zp_dl *dl = run(f);
  assert_non_null(dl);
  char *buf = NULL;
  size_t len = 0;
  FILE *m = open_memstream(&buf, &len);
  assert_true(zp_pdf_write_stream(dl, f->fs, m, "t.pdf", f->d));
  fclose(m);
  assert_true(has(buf, len, "/Names <<\n/Dests <<\n/Kids ["));
  assert_true(has(buf, len, "/Limits [ (p0000) (p3999) ]"));
  assert_true(has(buf, len, "/Limits [ (p4000) (p4099) ]"));
  assert_false(has(buf, len, "/Dests <<\n/p0000"));
  free(buf);
  zp_dl_free(dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(urls_become_links, setup, teardown),
      cmocka_unit_test_setup_teardown(
          url_ends_before_marks_and_unopened_brackets, setup, teardown),
      cmocka_unit_test_setup_teardown(wrapped_url_is_a_link_on_each_line, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(link_span_to_a_block, setup, teardown),
      cmocka_unit_test_setup_teardown(url_in_a_table_cell, setup, teardown),
      cmocka_unit_test_setup_teardown(contents_numbers_are_the_headings_pages,
                                      setup, teardown),
      cmocka_unit_test_setup_teardown(contents_pushes_a_heading, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(contents_on_two_pages, setup, teardown),
      cmocka_unit_test_setup_teardown(
          contents_and_bookmark_without_note_markers, setup, teardown),
      cmocka_unit_test_setup_teardown(pdf_link_annotations, setup, teardown),
      cmocka_unit_test_setup_teardown(dest_names_a_pdf_can_hold, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(many_named_destinations, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
