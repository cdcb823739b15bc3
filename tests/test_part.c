/* test_part.c — a document as parts (layout-part.c) and what the PDF
 * writer makes of them (turned runs, page labels).
 *
 * The documents are built directly as zp_doc trees with parts, laid out
 * with the system's fonts and checked through the display list and the
 * layout dump; the PDF checks read the file back (its uncompressed
 * catalog, and poppler's word boxes).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bind.h"
#include "json.h"
#include "layout-imp.h"
#include "layout.h"
#include "pdf.h"
#include "tmpl.h"

#include "docfix.h"

typedef struct fixture {
  zp_arena *a;
  zp_doc doc;
  zp_block *last;
  zp_part *last_part;
  zp_style body;
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
  f->doc.folio = docfix_folio;
  f->body = docfix_body;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  docfix_free(f->fs, f->d, f->a, f->dump);
  free(f);
  return 0;
}

static zp_block *add(fixture *f, zp_block_kind kind, const char *text) {
  zp_block *b = docfix_add(f->a, &f->doc, &f->last, kind, &f->body, text,
                           (zp_loc){"test.xml", 1, 1});
  if (f->last_part) {
    if (!f->last_part->first)
      f->last_part->first = b;
    f->last_part->last = b;
  }
  return b;
}

/* A new part on page ps, numbered num (restart at start when start > 0). */
static zp_part *part(fixture *f, zp_part_kind kind, const zp_page_setup *ps,
                     zp_num_style num, int start) {
  zp_part *p = zp_arena_alloc(f->a, sizeof *p);
  p->kind = kind;
  p->page = *ps;
  p->page.line_pitch =
      (ps->height - ps->margin_top - ps->margin_bottom) / ps->grid_lines;
  p->folio = f->doc.folio;
  p->num = num;
  p->restart = start > 0;
  p->start = start > 0 ? start : 1;
  p->folio_portrait = true;
  p->loc = (zp_loc){"test.xml", 2, 1};
  if (f->last_part)
    f->last_part->next = p;
  else
    f->doc.parts = p;
  f->last_part = p;
  return p;
}

static zp_dl *run(fixture *f) {
  free(f->dump);
  f->dump = NULL;
  FILE *m = open_memstream(&f->dump, &f->dumplen);
  zp_layout_opts o = {m, false, 0};
  zp_dl *dl = zp_layout(&f->doc, f->fs, &o, f->d);
  fclose(m);
  return dl;
}

/* The dump's text of page k (1-based), in buf. */
static const char *page_dump(fixture *f, int k, char *buf, size_t n) {
  char head[32];
  snprintf(head, sizeof head, "page %d ", k);
  const char *s = strstr(f->dump, head);
  assert_non_null(s);
  const char *e = strstr(s + 1, "\npage ");
  size_t len = e ? (size_t)(e - s) + 1 : strlen(s);
  if (len >= n)
    len = n - 1;
  memcpy(buf, s, len);
  buf[len] = 0;
  return buf;
}

static const char *long_text =
    "部门整体支出绩效评价是预算绩效管理的重要组成部分，评价结果作为以后年度预"
    "算安排的重要依据。评价工作坚持客观公正、科学规范的原则，以部门职责和年度"
    "工作目标为基础，对部门整体支出的经济性、效率性和效益性进行了评价。";

/* A cover (unnumbered), front matter i ii, the body restarting at 1, a
 * Chinese-numbered part continuing: the printed numbers, the folios and
 * the page labels agree. */
static void numbering_and_labels(void **state) {
  fixture *f = *state;
  part(f, ZP_PART_COVER, &docfix_page, ZP_NUM_NONE, 0);
  add(f, ZP_BLOCK_PARAGRAPH, "封面");
  zp_part *front = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ROMAN, 1);
  front->folio.pos = ZP_FOLIO_CENTER;
  front->folio.format = "{n}";
  add(f, ZP_BLOCK_PARAGRAPH, "摘要");
  add(f, ZP_BLOCK_PAGE_BREAK, "");
  add(f, ZP_BLOCK_PARAGRAPH, "说明");
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 1);
  add(f, ZP_BLOCK_PARAGRAPH, long_text);
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_CN, 0);
  add(f, ZP_BLOCK_PARAGRAPH, "附录");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 5);
  char buf[8192];
  assert_non_null(strstr(page_dump(f, 1, buf, sizeof buf), "number=-"));
  assert_null(strstr(buf, "folio"));
  assert_non_null(strstr(page_dump(f, 2, buf, sizeof buf), "text=i\n"));
  assert_non_null(strstr(page_dump(f, 3, buf, sizeof buf), "text=ii\n"));
  assert_non_null(strstr(page_dump(f, 4, buf, sizeof buf), "text=— 1 —"));
  /* the Chinese part continues from 1: its page is 二 */
  assert_non_null(strstr(page_dump(f, 5, buf, sizeof buf), "text=— 二 —"));
  /* labels: "" (cover), roman from 1, decimal from 1, 二 */
  const zp_dl_label *l = dl->labels;
  assert_non_null(l);
  assert_int_equal(l->first, 0);
  assert_int_equal(l->style, ZP_DL_LABEL_NONE);
  assert_null(l->prefix);
  l = l->next;
  assert_int_equal(l->first, 1);
  assert_int_equal(l->style, ZP_DL_LABEL_ROMAN);
  assert_int_equal(l->start, 1);
  l = l->next;
  assert_int_equal(l->first, 3);
  assert_int_equal(l->style, ZP_DL_LABEL_DECIMAL);
  assert_int_equal(l->start, 1);
  l = l->next;
  assert_int_equal(l->first, 4);
  assert_int_equal(l->style, ZP_DL_LABEL_NONE);
  assert_string_equal(l->prefix, "二");
  assert_null(l->next);
  zp_dl_free(dl);
}

/* A roman part from 3998: iii… up to 3999, digits from 4000 on, and the
 * page labels say the same (roman, then decimal from the third page). */
static void roman_labels_past_3999(void **state) {
  fixture *f = *state;
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ROMAN, 3998);
  add(f, ZP_BLOCK_PARAGRAPH, "甲");
  add(f, ZP_BLOCK_PAGE_BREAK, "");
  add(f, ZP_BLOCK_PARAGRAPH, "乙");
  add(f, ZP_BLOCK_PAGE_BREAK, "");
  add(f, ZP_BLOCK_PARAGRAPH, "丙");
  add(f, ZP_BLOCK_PAGE_BREAK, "");
  add(f, ZP_BLOCK_PARAGRAPH, "丁");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 4);
  char buf[8192];
  assert_non_null(
      strstr(page_dump(f, 1, buf, sizeof buf), "number=mmmcmxcviii"));
  assert_non_null(strstr(page_dump(f, 2, buf, sizeof buf), "number=mmmcmxcix"));
  assert_non_null(strstr(page_dump(f, 3, buf, sizeof buf), "number=4000"));
  const zp_dl_label *l = dl->labels;
  assert_non_null(l);
  assert_int_equal(l->first, 0);
  assert_int_equal(l->style, ZP_DL_LABEL_ROMAN);
  assert_int_equal(l->start, 3998);
  l = l->next;
  assert_non_null(l);
  assert_int_equal(l->first, 2);
  assert_int_equal(l->style, ZP_DL_LABEL_DECIMAL);
  assert_int_equal(l->start, 4000);
  assert_null(l->next);
  zp_dl_free(dl);
}

/* A document without parts has no page labels and numbers 1, 2, 3. */
static void no_parts_no_labels(void **state) {
  fixture *f = *state;
  add(f, ZP_BLOCK_PARAGRAPH, "正文");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_null(dl->labels);
  assert_null(strstr(f->dump, "  part "));
  zp_dl_free(dl);
}

/* The first run of page p's folio (the folio is drawn last: its runs
 * follow the run ending in a character of the page's text, 表 or 文). */
static const zp_dl_run *folio_run(const zp_dl_page *p) {
  const zp_dl_run *f = NULL;
  for (const zp_dl_run *r = p->runs; r; r = r->next) {
    uint32_t last = r->glyphs[r->n - 1].cp;
    if (last == 0x8868 || last == 0x6587)
      f = r->next;
  }
  assert_non_null(f);
  return f;
}

/* A landscape part between portrait ones: its folio turned a quarter
 * clockwise, at the landscape page's left edge where the portrait page's
 * foot is; with folio_portrait false, upright at its own foot. */
static void landscape_folio_turned(void **state) {
  fixture *f = *state;
  zp_page_setup land = docfix_page;
  land.width = docfix_page.height;
  land.height = docfix_page.width;
  land.margin_top = 28 * MM;
  land.margin_bottom = 26 * MM;
  land.margin_left = 37 * MM;
  land.margin_right = 35 * MM;
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 0);
  add(f, ZP_BLOCK_PARAGRAPH, "正文");
  part(f, ZP_PART_BODY, &land, ZP_NUM_ARABIC, 0);
  add(f, ZP_BLOCK_PARAGRAPH, "横表");
  zp_part *own = part(f, ZP_PART_BODY, &land, ZP_NUM_ARABIC, 0);
  own->folio_portrait = false;
  add(f, ZP_BLOCK_PARAGRAPH, "横表");
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 0);
  add(f, ZP_BLOCK_PARAGRAPH, "正文");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 4);
  const zp_dl_page *p1 = dl->pages, *p2 = p1->next, *p3 = p2->next;
  assert_true(p2->width > p2->height);
  const zp_dl_run *r1 = folio_run(p1), *r2 = folio_run(p2), *r3 = folio_run(p3);
  assert_true(r1->angle == 0);
  assert_true(r2->angle == -90);
  /* page 2 is even: on the portrait page its folio is at the left of the
   * foot, 1em in: its first glyph at (docfix_page foot's baseline, left) */
  float base = (float)(docfix_page.height - docfix_page.margin_bottom + 7 * MM +
                       14 * 0.88);
  assert_float_equal(r2->glyphs[0].x, docfix_page.height - base, 0.05);
  assert_float_equal(r2->y, p2->height - (docfix_page.margin_left + 14), 0.05);
  /* the turned run's glyphs run along its baseline as if upright */
  assert_true(r2->glyphs[r2->n - 1].x > r2->glyphs[0].x);
  /* page 3, odd, its own foot, upright */
  assert_true(r3->angle == 0);
  assert_float_equal(r3->y, 26 * MM - 7 * MM - 14 * 0.88, 0.05);
  assert_non_null(strstr(f->dump, "angle=-90 text=— 2 —"));
  zp_dl_free(dl);
}

/* Headers for the first, odd and even pages, a footer on all, the page
 * fields replaced. */
static void headers_first_odd_even(void **state) {
  fixture *f = *state;
  zp_part *p = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 0);
  zp_hf *h = zp_arena_alloc(f->a, 4 * sizeof *h);
  h[0] = (zp_hf){false,          ZP_HF_FIRST, "首页眉", NULL,
                 ZP_ALIGN_RIGHT, 5 * MM,      p->loc,   &h[1]};
  h[1] = (zp_hf){false,          ZP_HF_ODD, "单页眉", NULL,
                 ZP_ALIGN_RIGHT, 5 * MM,    p->loc,   &h[2]};
  h[2] = (zp_hf){false,         ZP_HF_EVEN, "双页眉", NULL,
                 ZP_ALIGN_LEFT, 5 * MM,     p->loc,   &h[3]};
  h[3] = (zp_hf){true,
                 ZP_HF_ALL,
                 "第\x01页共\x02页本部分\x03页",
                 NULL,
                 ZP_ALIGN_CENTER,
                 14 * MM,
                 p->loc,
                 NULL};
  p->hf = h;
  for (int i = 0; i < 3; i++) {
    add(f, ZP_BLOCK_PARAGRAPH, long_text);
    add(f, ZP_BLOCK_PAGE_BREAK, "");
  }
  add(f, ZP_BLOCK_PARAGRAPH, long_text);
  zp_dl *dl = run(f);
  assert_non_null(dl);
  assert_int_equal(dl->npages, 4);
  char buf[8192];
  const char *want[] = {"首页眉", "双页眉", "单页眉", "双页眉"};
  for (int k = 1; k <= 4; k++) {
    page_dump(f, k, buf, sizeof buf);
    char line[128];
    snprintf(line, sizeof line, "  header x=%s", k % 2 ? "" : "79.37");
    assert_non_null(strstr(buf, line));
    assert_non_null(strstr(buf, want[k - 1]));
    snprintf(line, sizeof line, "text=第%d页共4页本部分4页", k);
    assert_non_null(strstr(buf, line));
  }
  zp_dl_free(dl);
}

/* A header wider than the text block is an error at its location; so is
 * one taller than its margin. */
static void header_must_fit(void **state) {
  fixture *f = *state;
  zp_part *p = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 0);
  zp_hf h = {false,
             ZP_HF_ALL,
             long_text,
             NULL,
             ZP_ALIGN_LEFT,
             5 * MM,
             (zp_loc){"test.xml", 7, 3},
             NULL};
  p->hf = &h;
  add(f, ZP_BLOCK_PARAGRAPH, "正文");
  assert_null(run(f));
  assert_non_null(strstr(zp_diag_last(f->d), "wider than the text block"));
  h.text = "页眉";
  h.distance = 40 * MM;
  assert_null(run(f));
  assert_non_null(strstr(zp_diag_last(f->d), "does not fit its margin"));
  h.distance = 5 * MM;
  zp_dl *dl = run(f);
  assert_non_null(dl);
  zp_dl_free(dl);
}

/* A cover that fits its page: valign distribute puts its first block at
 * the top and its last at the foot; center centres the whole. */
static void cover_placement(void **state) {
  fixture *f = *state;
  zp_part *c = part(f, ZP_PART_COVER, &docfix_page, ZP_NUM_NONE, 0);
  c->place = ZP_PLACE_DISTRIBUTE;
  add(f, ZP_BLOCK_PARAGRAPH, "标题");
  add(f, ZP_BLOCK_PARAGRAPH, "单位");
  add(f, ZP_BLOCK_PARAGRAPH, "日期");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  const zp_dl_run *r = dl->pages->runs;
  float block_bottom = (float)docfix_page.margin_bottom;
  float top = (float)(docfix_page.height - docfix_page.margin_top);
  assert_true(r->y > top - 30);                      /* 标题 at the top */
  assert_true(r->next->y < top - 250);               /* 单位 in the middle */
  assert_true(r->next->next->y < block_bottom + 30); /* 日期 at the foot */
  assert_true(r->next->next->y > block_bottom);
  zp_dl_free(dl);
  /* fill: no share above 单位 (right under 标题), three above 日期 */
  f->doc.first->next->fill = -1;
  f->doc.first->next->next->fill = 3;
  dl = run(f);
  r = dl->pages->runs;
  assert_float_equal(r->y - r->next->y, 28.99, 0.05);
  assert_true(r->next->next->y < block_bottom + 30);
  zp_dl_free(dl);
  f->doc.first->next->fill = f->doc.first->next->next->fill = 0;
  c->place = ZP_PLACE_CENTER;
  dl = run(f);
  r = dl->pages->runs;
  float mid = (top + block_bottom) / 2;
  assert_true(r->y > mid && r->y < mid + 60);
  zp_dl_free(dl);
}

/* The attachment list's hanging lines: a wrapped name under its first
 * character, a later item's number under the first's. */
static void attachment_list_hangs(void **state) {
  fixture *f = *state;
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 0);
  zp_block *a = add(f, ZP_BLOCK_PARAGRAPH,
                    "附件：1.部门整体支出绩效评价指标体系及评"
                    "分表和重点项目资金使用情况明细表");
  a->hang = (uint32_t)strlen("附件：1.");
  zp_block *b = add(f, ZP_BLOCK_PARAGRAPH, "2.评分表");
  b->hang = 2;
  b->lead = "附件：";
  zp_dl *dl = run(f);
  assert_non_null(dl);
  /* the line boxes' left edges: 附件：1. two cells in, its next line
   * under 部 (4 cells on: 附件： and 1. of two half cells), 2. under 1. */
  float cell = (float)((210 - 28 - 26) * MM / 28);
  float x0 = (float)(28 * MM) + 32; /* the body style's indent */
  char want[3][64];
  snprintf(want[0], sizeof want[0], " x=%.2f w=", x0);
  snprintf(want[1], sizeof want[1], " x=%.2f w=", x0 + 4 * cell);
  snprintf(want[2], sizeof want[2], " x=%.2f w=", x0 + 3 * cell);
  const char *l1 = strstr(f->dump, "  line");
  assert_non_null(l1);
  const char *l2 = strstr(l1 + 1, "  line"),
             *l3 = l2 ? strstr(l2 + 1, "  line") : NULL;
  assert_non_null(l3);
  if (strstr(l1, want[0]) != strstr(l1, " x="))
    fail_msg("want%s in:\n%s", want[0], f->dump);
  assert_true(strstr(l1, want[0]) == strstr(l1, " x="));
  assert_true(strstr(l2, want[1]) == strstr(l2, " x="));
  assert_true(strstr(l3, want[2]) == strstr(l3, " x="));
  assert_non_null(strstr(l3, "text=2.评分表"));
  zp_dl_free(dl);
}

/* The PDF: a turned run reads along its turned baseline; the page labels
 * go into the catalog, a Chinese one as UTF-16. */
static void pdf_turned_run_and_labels(void **state) {
  fixture *f = *state;
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ROMAN, 4);
  add(f, ZP_BLOCK_PARAGRAPH, "正文");
  part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_CN, 3);
  add(f, ZP_BLOCK_PARAGRAPH, "附录");
  zp_dl *dl = run(f);
  assert_non_null(dl);
  /* a turned run of our own on the first page */
  zp_glyph g;
  int song = zp_font_role_find(f->fs, "song");
  zp_font_glyph(f->fs, song, 0x8F6C, &g); /* 转 */
  zp_dl_run *r = zp_dl_add_run(dl, dl->pages, g.face, 20, 400, 2);
  r->angle = 90;
  r->glyphs[0] = (zp_dl_glyph){0x8F6C, g.gid, 300};
  r->glyphs[1] = (zp_dl_glyph){0x8F6C, g.gid, 320};
  char path[] = "/tmp/test_part.XXXXXX";
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  close(fd);
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  zp_dl_free(dl);
  FILE *fp = fopen(path, "rb");
  static char pdf[1 << 20];
  size_t n = fread(pdf, 1, sizeof pdf - 1, fp);
  fclose(fp);
  pdf[n] = 0;
  const char *pl = NULL;
  for (size_t i = 0; i + 11 < n && !pl; i++)
    if (memcmp(pdf + i, "/PageLabels", 11) == 0)
      pl = pdf + i;
  assert_non_null(pl);
  assert_non_null(strstr(pl, "/S /r"));
  assert_non_null(strstr(pl, "/St 4"));
  assert_non_null(strstr(pl, "/P <FEFF4E09>")); /* 三 */
  char cmd[256];
  snprintf(cmd, sizeof cmd, "pdftotext -bbox -f 1 -l 1 '%s' - 2>&1", path);
  FILE *p = popen(cmd, "r");
  char out[1 << 16];
  size_t k = fread(out, 1, sizeof out - 1, p);
  out[k] = 0;
  pclose(p);
  unlink(path);
  /* 转转 turned upward from (300, 400): a box 20 wide, 40 high, its foot
   * at y 400 from the bottom */
  const char *w = strstr(out, ">转转</word>");
  if (!w)
    fail_msg("no word 转转:\n%s", out);
  while (w > out && strncmp(w, "<word", 5) != 0)
    w--;
  double x0 = atof(strstr(w, "xMin=\"") + 6),
         x1 = atof(strstr(w, "xMax=\"") + 6);
  double y0 = atof(strstr(w, "yMin=\"") + 6),
         y1 = atof(strstr(w, "yMax=\"") + 6);
  assert_true(y1 - y0 > 35 && x1 - x0 < 25);
  assert_true(x1 > 290 && x0 < 300);
  assert_float_equal(y1, 297 * MM - 400, 1.5);
}

/* The binder: tests/layout/parts-annex.xml as parts — kinds, pages,
 * numbering, the attachments' labels and titles, the list's hanging
 * items, the blocks of each part on the document's one chain. */
static void bind_parts(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  const char *root = getenv("ZP_ROOT");
  char tpath[512], jpath[512];
  snprintf(tpath, sizeof tpath, "%s/tests/layout/parts-annex.xml",
           root ? root : ".");
  snprintf(jpath, sizeof jpath, "%s/tests/layout/parts-annex.json",
           root ? root : ".");
  zp_template *t = zp_tmpl_load(tpath, d);
  if (!t)
    fail_msg("%s", zp_diag_last(d));
  zp_json_doc *j = zp_json_load_file(jpath, d);
  assert_non_null(j);
  zp_doc *doc = zp_bind(t, j, d);
  assert_non_null(doc);
  int n = 0;
  const zp_part *p[8];
  for (const zp_part *q = doc->parts; q && n < 8; q = q->next)
    p[n++] = q;
  assert_int_equal(n, 6);
  assert_int_equal(p[0]->kind, ZP_PART_BODY);
  assert_true(p[1]->page.width > p[1]->page.height);
  assert_true(p[1]->folio_portrait);
  assert_int_equal(p[3]->kind, ZP_PART_ATTACHMENT);
  assert_int_equal(p[3]->attachment, 1);
  assert_int_equal(p[4]->attachment, 2);
  assert_false(p[4]->folio_portrait); /* <folio landscape="own"> */
  assert_string_equal(p[4]->folio.format, "- {n} -");
  assert_true(p[5]->restart);
  assert_int_equal(p[5]->num, ZP_NUM_CN);
  /* an attachment's first blocks: 附件N, then its title */
  assert_string_equal(p[3]->first->text, "附件1");
  assert_string_equal(p[3]->first->next->text,
                      "部门整体支出绩效评价指标体系及评分表");
  assert_string_equal(p[4]->title,
                      "二〇二三年度重点项目资金使用情况明细表（含"
                      "各项目预算批复数、调整数、实际支出数及执行率）");
  /* the list: 附件：1.… hanging after "附件：1.", 2.… after its lead */
  assert_non_null(p[0]->last->next); /* the chain runs on to part 2 */
  const zp_block *b = p[0]->first;
  while (b->next != p[0]->last)
    b = b->next;
  assert_string_equal(b->text, "附件：1.部门整体支出绩效评价指标体系及评分表");
  assert_int_equal(b->hang, strlen("附件：1."));
  assert_null(b->lead);
  assert_int_equal(p[0]->last->hang, 2);
  assert_string_equal(p[0]->last->lead, "附件：");
  /* every part's blocks lie on doc->first's chain, in order */
  const zp_block *x = doc->first;
  for (int k = 0; k < n; k++) {
    if (!p[k]->first)
      continue;
    while (x && x != p[k]->first)
      x = x->next;
    assert_ptr_equal(x, p[k]->first);
  }
  zp_doc_free(doc);
  zp_json_free(j);
  zp_tmpl_free(t);
  zp_diag_free(d);
}

/* lay_page_number and lay_page_folio on a context as the first pass
 * leaves it: each page's part and number. */
static void page_numbers(void **state) {
  fixture *f = *state;
  zp_part *front = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ROMAN, 1);
  front->folio.format = "{n}";
  zp_part *body = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_ARABIC, 1);
  body->folio.format = "第{n}页 共{pages}页";
  zp_part *cn = part(f, ZP_PART_BODY, &docfix_page, ZP_NUM_CN, 0);
  zp_part *none = part(f, ZP_PART_COVER, &docfix_page, ZP_NUM_NONE, 0);
  const zp_part *partv[] = {front, body, cn, none};
  int part_pages[] = {4, 1, 1, 1};
  lay_pinfo pinfo[] = {{0, 1, 0}, {0, 2, 1}, {0, 3, 2}, {0, 4, 3},
                       {1, 1, 0}, {2, 2, 0}, {3, 3, 0}};
  ctx c = {0};
  c.doc = &f->doc;
  char buf[64];
  /* before the pages are known, or without parts: 1, 2, 3 */
  assert_string_equal(lay_page_number(&c, 6, buf, sizeof buf), "7");
  assert_string_equal(lay_page_folio(&c, 0, buf, sizeof buf), "— 1 —");
  c.partv = partv;
  c.part_pages = part_pages;
  c.pinfo = pinfo;
  c.npinfo = 7;
  static const char *const want[] = {"i", "ii", "iii", "iv", "1", "二", ""};
  for (int k = 0; k < 7; k++)
    assert_string_equal(lay_page_number(&c, k, buf, sizeof buf), want[k]);
  assert_string_equal(lay_page_folio(&c, 3, buf, sizeof buf), "iv");
  assert_string_equal(lay_page_folio(&c, 4, buf, sizeof buf), "第1页 共7页");
  assert_string_equal(lay_page_folio(&c, 5, buf, sizeof buf), "— 二 —");
  assert_string_equal(lay_page_folio(&c, 6, buf, sizeof buf), "");
  /* a page past the known ones: its index + 1 */
  assert_string_equal(lay_page_number(&c, 9, buf, sizeof buf), "10");
  /* small buffers are cut, never overrun */
  char tiny[3];
  lay_page_folio(&c, 4, tiny, sizeof tiny);
  assert_true(strlen(tiny) < sizeof tiny);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(numbering_and_labels, setup, teardown),
      cmocka_unit_test_setup_teardown(no_parts_no_labels, setup, teardown),
      cmocka_unit_test_setup_teardown(roman_labels_past_3999, setup, teardown),
      cmocka_unit_test_setup_teardown(landscape_folio_turned, setup, teardown),
      cmocka_unit_test_setup_teardown(headers_first_odd_even, setup, teardown),
      cmocka_unit_test_setup_teardown(header_must_fit, setup, teardown),
      cmocka_unit_test_setup_teardown(cover_placement, setup, teardown),
      cmocka_unit_test_setup_teardown(attachment_list_hangs, setup, teardown),
      cmocka_unit_test_setup_teardown(pdf_turned_run_and_labels, setup,
                                      teardown),
      cmocka_unit_test(bind_parts),
      cmocka_unit_test_setup_teardown(page_numbers, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
