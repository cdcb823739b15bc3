/* test_pdf.c — the PDF writer: a hand-made display list in two real faces,
 * written and then read back with poppler-utils (pdftotext, pdffonts,
 * pdfinfo, pdftohtml). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "dlist.h"
#include "font.h"
#include "pdf.h"

#define A4W 595.276f
#define A4H 841.89f
#define TITLE "荔湾区农业农村局2023年度部门整体支出绩效自评报告"

/* ---- helpers ------------------------------------------------------------ */

typedef struct fixture {
  zp_diag *d;
  zp_fontset *fs;
  int song, hei, kai;
  char dir[64];
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  assert_non_null(f);
  f->d = zp_diag_new(NULL);
  f->fs = zp_fontset_new(NULL, f->d);
  assert_non_null(f->fs);
  static const char *const song[] = {"AR PL SungtiL GB", NULL};
  static const char *const hei[] = {"WenQuanYi Zen Hei", NULL};
  static const char *const kai[] = {"AR PL KaitiM GB", NULL};
  f->song = zp_font_role(f->fs, "song", song, f->d);
  f->hei = zp_font_role(f->fs, "hei", hei, f->d);
  f->kai = zp_font_role(f->fs, "kai", kai, f->d);
  assert_true(f->song >= 0 && f->hei >= 0 && f->kai >= 0);
  strcpy(f->dir, "/tmp/test_pdf.XXXXXX");
  assert_non_null(mkdtemp(f->dir));
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, getenv("KEEP") ? "true %s" : "rm -rf '%s'", f->dir);
  if (system(cmd) != 0)
    return -1;
  zp_fontset_free(f->fs);
  zp_diag_free(f->d);
  free(f);
  return 0;
}

static uint32_t utf8_next(const char **s) {
  const unsigned char *u = (const unsigned char *)*s;
  uint32_t c = *u;
  int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
  if (k)
    c &= 0x3F >> k;
  for (int i = 1; i <= k; i++)
    c = (c << 6) | (u[i] & 0x3F);
  *s += k + 1;
  return c;
}

/* Sets text in role at (x, y), each character advanced by its width plus
 * extra points; returns the run.  *end gets the pen position after it. */
static zp_dl_run *text(fixture *f, zp_dl *dl, zp_dl_page *pg, int role,
                       float size, float x, float y, const char *s, float extra,
                       float *end) {
  uint32_t cps[512] = {0};
  uint32_t n = 0;
  for (const char *p = s; *p;)
    cps[n++] = utf8_next(&p);
  zp_glyph g0;
  zp_font_glyph(f->fs, role, cps[0], &g0);
  zp_dl_run *r = zp_dl_add_run(dl, pg, g0.face, size, y, n);
  assert_non_null(r);
  for (uint32_t i = 0; i < n; i++) {
    zp_glyph g;
    assert_true(zp_font_glyph(f->fs, role, cps[i], &g));
    assert_int_equal(g.face, g0.face);
    r->glyphs[i] = (zp_dl_glyph){cps[i], g.gid, x};
    x += g.advance * size / 1000.0f + extra;
  }
  if (end)
    *end = x;
  return r;
}

/* The two-page list of the tests. */
static zp_dl *sample(fixture *f) {
  zp_dl *dl = zp_dl_new();
  assert_non_null(dl);
  dl->title = TITLE;
  dl->author = "广州市荔湾区农业农村局";
  dl->subject = "部门整体支出绩效自评";
  dl->keywords = "绩效, 自评, 2023";
  dl->creator = "zpgen test";

  zp_dl_page *p1 = zp_dl_add_page(dl, A4W, A4H);
  text(f, dl, p1, f->hei, 22, 90, 760, "部门整体支出绩效自评报告", 0, NULL)
      ->bold = true;
  text(f, dl, p1, f->song, 16, 90, 700, "一、部门概况", 0, NULL);
  text(f, dl, p1, f->song, 16, 90, 670, "“荔湾区”《预算法》、资金。", 0.4f,
       NULL);
  text(f, dl, p1, f->kai, 16, 90, 640, "预算执行率为98.76%，共12345元。", 0,
       NULL);
  /* one run with a wide gap in it: the TJ adjustment must put 编号 at 300 */
  zp_dl_run *r = text(f, dl, p1, f->song, 16, 100, 600, "数据编号", 0, NULL);
  r->glyphs[2].x = 300;
  r->glyphs[3].x = 316;
  zp_dl_add_rule(dl, p1, 90, 590, 505, 590, 1);
  zp_dl_add_rule(dl, p1, 90, 560, 505, 560, 0.5f);
  zp_dl_add_rule(dl, p1, 90, 530, 505, 530, 1);
  zp_dl_add_rule(dl, p1, 90, 530, 90, 590, 0.5f);

  zp_dl_page *p2 = zp_dl_add_page(dl, A4W, A4H);
  text(f, dl, p2, f->song, 16, 90, 760, "二、绩效目标完成情况", 0, NULL);
  text(f, dl, p2, f->hei, 12, 90, 730, "第2页，共2页。", 0, NULL);

  zp_dl_add_outline(dl, 1, "一、部门概况", 0, 716);
  zp_dl_add_outline(dl, 2, "（一）部门职能", 0, 686);
  zp_dl_add_outline(dl, 1, "二、绩效目标完成情况", 1, 776);
  return dl;
}

/* Runs cmd (stderr joined to stdout); returns its output (malloc'd). */
static char *run(const char *fmt, ...) {
  char cmd[1024];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(cmd, sizeof cmd, fmt, ap);
  va_end(ap);
  strncat(cmd, " 2>&1", sizeof cmd - strlen(cmd) - 1);
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  size_t cap = 1 << 16, n = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  size_t k;
  while ((k = fread(out + n, 1, cap - n - 1, p)) > 0) {
    n += k;
    if (n + 1 >= cap) {
      cap *= 2;
      out = realloc(out, cap);
      assert_non_null(out);
    }
  }
  out[n] = 0;
  assert_int_equal(pclose(p), 0);
  return out;
}

static char *slurp(const char *path, size_t *len) {
  FILE *fp = fopen(path, "rb");
  assert_non_null(fp);
  fseek(fp, 0, SEEK_END);
  long n = ftell(fp);
  fseek(fp, 0, SEEK_SET);
  char *b = malloc((size_t)n + 1);
  assert_non_null(b);
  assert_int_equal(fread(b, 1, (size_t)n, fp), (size_t)n);
  b[n] = 0;
  fclose(fp);
  *len = (size_t)n;
  return b;
}

static void no_poppler_complaint(const char *out) {
  if (strstr(out, "Syntax Error") || strstr(out, "Syntax Warning") ||
      strstr(out, "Warning") || strstr(out, "Error"))
    fail_msg("poppler complains:\n%s", out);
}

static void write_sample(fixture *f, const char *name, char *path, size_t cap) {
  snprintf(path, cap, "%s/%s", f->dir, name);
  zp_dl *dl = sample(f);
  bool ok = zp_pdf_write(dl, f->fs, path, f->d);
  if (!ok)
    fail_msg("zp_pdf_write: %s", zp_diag_last(f->d));
  zp_dl_free(dl);
}

/* ---- tests -------------------------------------------------------------- */

static void test_text_extracts(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "a.pdf", path, sizeof path);
  char *out = run("pdftotext -layout '%s' -", path);
  no_poppler_complaint(out);
  const char *want[] = {"部门整体支出绩效自评报告",
                        "一、部门概况",
                        "“荔湾区”《预算法》、资金。",
                        "预算执行率为98.76%，共12345元。",
                        "二、绩效目标完成情况",
                        "第2页，共2页。",
                        "数据",
                        "编号"};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++)
    if (!strstr(out, want[i]))
      fail_msg("pdftotext lacks \"%s\":\n%s", want[i], out);
  /* page break between the pages */
  const char *ff = strchr(out, '\f');
  assert_non_null(ff);
  assert_true(strstr(out, "第2页") > ff);
  free(out);
}

/* The gap inside one run: pdftotext's word boxes put 编号 at x = 300. */
static void test_glyph_positions(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "pos.pdf", path, sizeof path);
  char *out = run("pdftotext -bbox '%s' -", path);
  const char *w = strstr(out, ">编号</word>");
  assert_non_null(w);
  const char *open = w;
  while (open > out && strncmp(open, "<word", 5) != 0)
    open--;
  double xmin = -1, ymax = -1;
  const char *a = strstr(open, "xMin=\"");
  const char *b = strstr(open, "yMax=\"");
  assert_true(a && b && a < w && b < w);
  xmin = atof(a + 6);
  ymax = atof(b + 6);
  if (xmin < 299.5 || xmin > 300.5)
    fail_msg("编号 at x=%g, want 300", xmin);
  /* baseline 600 from the bottom; the word box ends near the baseline */
  assert_true(ymax > A4H - 600 - 1 && ymax < A4H - 600 + 6);
  /* the first word of the run */
  const char *w2 = strstr(out, ">数据</word>");
  assert_non_null(w2);
  open = w2;
  while (open > out && strncmp(open, "<word", 5) != 0)
    open--;
  a = strstr(open, "xMin=\"");
  assert_true(a && a < w2);
  assert_true(atof(a + 6) > 99.5 && atof(a + 6) < 100.5);
  free(out);
}

/* The page content streams, inflated and joined (malloc'd). */
static char *contents(const char *raw, size_t len) {
  size_t cap = 1 << 20, n = 0;
  char *out = malloc(cap);
  assert_non_null(out);
  const char *end = raw + len, *p = raw;
  while ((p = memmem(p, (size_t)(end - p), "stream\r\n", 8))) {
    p += 8;
    const char *e = memmem(p, (size_t)(end - p), "\nendstream", 10);
    assert_non_null(e);
    uLongf zn = (uLongf)(cap - n - 1);
    if (uncompress((Bytef *)out + n, &zn, (const Bytef *)p, (uLong)(e - p)) ==
            Z_OK &&
        memmem(out + n, zn, " Tf ", 4))
      n += zn;
    p = e;
  }
  out[n] = 0;
  return out;
}

static int count(const char *s, const char *needle) {
  int k = 0;
  for (const char *p = s; (p = strstr(p, needle)); p += strlen(needle))
    k++;
  return k;
}

/* A coloured run is filled (and, bold, stroked) in its colour inside its
 * own graphics state; a black run is written as before, without one. */
static void test_colour(void **state) {
  fixture *f = *state;
  zp_dl *dl = zp_dl_new();
  assert_non_null(dl);
  zp_dl_page *p = zp_dl_add_page(dl, A4W, A4H);
  text(f, dl, p, f->song, 16, 90, 760, "黑色", 0, NULL);
  text(f, dl, p, f->song, 16, 90, 730, "红色", 0, NULL)->color = 0xC00000;
  zp_dl_run *r = text(f, dl, p, f->hei, 16, 90, 700, "粗体", 0, NULL);
  r->color = 0x0000FF;
  r->bold = true;
  char path[128];
  snprintf(path, sizeof path, "%s/colour.pdf", f->dir);
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  zp_dl_free(dl);
  size_t len;
  char *raw = slurp(path, &len);
  char *c = contents(raw, len);
  if (!strstr(c, "\nBT /F1 16 Tf 90 760 Td [<") && strncmp(c, "BT /F1 16", 9))
    fail_msg("the black run changed:\n%s", c);
  if (!strstr(c, "q 0.753 0 0 rg 0.753 0 0 RG BT /F1 16 Tf 90 730 Td [<"))
    fail_msg("no red run in:\n%s", c);
  if (!strstr(c, "q 0 0 1 rg 0 0 1 RG 2 Tr 0.48 w BT /F2 16 Tf 90 700 Td"))
    fail_msg("no blue bold run in:\n%s", c);
  assert_int_equal(count(c, "q "), count(c, "Q\n"));
  assert_int_equal(count(c, " rg "), 2);
  char *out = run("pdftotext %s -", path);
  assert_non_null(strstr(out, "黑色"));
  assert_non_null(strstr(out, "红色"));
  assert_non_null(strstr(out, "粗体"));
  free(out);
  free(c);
  free(raw);
}

/* The operators written: one TJ per run, kerning to the display list's
 * positions, synthesised bold in its own graphics state, rules by width. */
static void test_content_stream(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "cs.pdf", path, sizeof path);
  size_t len;
  char *raw = slurp(path, &len);
  char *c = contents(raw, len);
  /* 7 runs, one text object and one TJ each */
  assert_int_equal(count(c, "BT "), 7);
  assert_int_equal(count(c, "] TJ ET"), 7);
  /* graphics state balanced */
  assert_int_equal(count(c, "q "), count(c, "Q\n"));
  /* bold: 22 pt, line width 22 * 0.03 */
  if (!strstr(c, "q 2 Tr 0.66 w BT /F2 22 Tf 90 760 Td [<"))
    fail_msg("no bold run in:\n%s", c);
  /* the gap: 据 at 116, 编 at 300: 1000 - (300 - 116) * 1000 / 16 */
  assert_non_null(strstr(c, "> -10500 <"));
  /* 0.4 pt extra per character at 16 pt: one character spacing for the
   * line, no number per glyph */
  const char *spaced = strstr(c, "0.4 Tc 90 670 Td [<");
  assert_non_null(spaced);
  spaced += strlen("0.4 Tc 90 670 Td [<");
  const char *tj = strstr(spaced, "] TJ");
  assert_non_null(tj);
  if (memchr(spaced, ' ', (size_t)(tj - spaced)))
    fail_msg("numbers in a evenly spaced line: %.*s", (int)(tj - spaced),
             spaced);
  /* and the spacing is reset for the next line */
  assert_non_null(strstr(tj, "0 Tc 90 640 Td"));
  /* rules: thin ones first, each width once */
  const char *thin =
      strstr(c, "0.5 w\n90 560 m 505 560 l\n90 530 m 90 590 l\nS\n");
  const char *thick =
      strstr(c, "1 w\n90 590 m 505 590 l\n90 530 m 505 530 l\nS\n");
  assert_true(thin && thick && thin < thick);
  free(c);
  free(raw);
}

static void test_fonts(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "b.pdf", path, sizeof path);
  char *out = run("pdffonts '%s'", path);
  no_poppler_complaint(out);
  /* header, dashes, then one line per font */
  const char *line = strstr(out, "-----");
  assert_non_null(line);
  line = strchr(line, '\n') + 1;
  int nfonts = 0;
  const char *names[3];
  for (int i = 0; i < 3; i++) {
    const uint16_t *chain;
    int roles[3] = {f->song, f->hei, f->kai};
    assert_int_equal(zp_font_role_chain(f->fs, roles[i], &chain), 1);
    names[i] = zp_font_face(f->fs, chain[0])->psname;
  }
  bool seen[3] = {false, false, false};
  while (*line) {
    const char *eol = strchr(line, '\n');
    if (!eol)
      eol = line + strlen(line);
    char l[512];
    snprintf(l, sizeof l, "%.*s", (int)(eol - line), line);
    /* ABCDEF+Name CID TrueType Identity-H yes yes yes N 0 */
    assert_true(strlen(l) > 8 && l[6] == '+');
    for (int i = 0; i < 6; i++)
      assert_true(l[i] >= 'A' && l[i] <= 'Z');
    for (int i = 0; i < 3; i++)
      if (strstr(l, names[i]))
        seen[i] = true;
    if (!strstr(l, "CID TrueType") || !strstr(l, "Identity-H") ||
        !strstr(l, "yes yes yes"))
      fail_msg("pdffonts line: %s", l);
    nfonts++;
    line = *eol ? eol + 1 : eol;
  }
  assert_int_equal(nfonts, 3);
  for (int i = 0; i < 3; i++)
    if (!seen[i])
      fail_msg("no font %s in:\n%s", names[i], out);
  free(out);

  /* subset: small file */
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  if (st.st_size > 60 * 1024)
    fail_msg("file is %ld bytes", (long)st.st_size);
}

static void test_info(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "c.pdf", path, sizeof path);
  char *out = run("pdfinfo '%s'", path);
  no_poppler_complaint(out);
  if (!strstr(out, "Title:           " TITLE "\n") ||
      !strstr(out, "Author:          广州市荔湾区农业农村局\n") ||
      !strstr(out, "Subject:         部门整体支出绩效自评\n") ||
      !strstr(out, "Keywords:        绩效, 自评, 2023\n") ||
      !strstr(out, "Creator:         zpgen test\n") ||
      !strstr(out, "Pages:           2\n") ||
      !strstr(out, "Page size:       595.276 x 841.89 pts (A4)"))
    fail_msg("pdfinfo:\n%s", out);
  /* no date unless asked for */
  assert_null(strstr(out, "CreationDate"));
  assert_null(strstr(out, "ModDate"));
  free(out);

  snprintf(path, sizeof path, "%s/dated.pdf", f->dir);
  zp_dl *dl = sample(f);
  dl->date = "2024-02-29";
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  size_t len;
  char *raw = slurp(path, &len);
  assert_non_null(memmem(raw, len, "/CreationDate (D:20240229000000Z)",
                         strlen("/CreationDate (D:20240229000000Z)")));
  assert_non_null(memmem(raw, len, "/ModDate (D:20240229000000Z)",
                         strlen("/ModDate (D:20240229000000Z)")));
  free(raw);
  out = run("pdfinfo '%s'", path);
  assert_non_null(strstr(out, "CreationDate:"));
  assert_non_null(strstr(out, "2024"));
  free(out);

  /* a malformed date is an error */
  dl->date = "2023-02-29";
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "2023-02-29"));
  zp_dl_free(dl);
}

static void test_outlines(void **state) {
  fixture *f = *state;
  char path[128];
  write_sample(f, "d.pdf", path, sizeof path);
  char *out = run("pdftohtml -xml -i -stdout '%s'", path);
  /* nested: the level-2 item inside the outline under the first level-1 */
  const char *o = strstr(out, "<outline>");
  assert_non_null(o);
  const char *a = strstr(o, ">一、部门概况</item>");
  const char *nest =
      strstr(o, "<outline>") == o ? strstr(o + 9, "<outline>") : NULL;
  const char *b = strstr(o, ">（一）部门职能</item>");
  const char *close = strstr(o, "</outline>");
  const char *c = strstr(o, ">二、绩效目标完成情况</item>");
  if (!a || !nest || !b || !c ||
      !(a < nest && nest < b && b < close && close < c))
    fail_msg("outline:\n%s", out);
  /* destinations: page 1, 1, 2 */
  assert_non_null(strstr(out, "page=\"1\">一、部门概况"));
  assert_non_null(strstr(out, "page=\"2\">二、绩效目标完成情况"));
  free(out);

  /* the file has UTF-16BE titles (一、 = 4E00 3001) and /XYZ destinations */
  size_t len;
  char *raw = slurp(path, &len);
  assert_non_null(memmem(raw, len, "FEFF4E003001", strlen("FEFF4E003001")));
  assert_non_null(
      memmem(raw, len, "/XYZ 0 716 null", strlen("/XYZ 0 716 null")));
  free(raw);
}

static void test_deterministic(void **state) {
  fixture *f = *state;
  char p1[128], p2[128];
  write_sample(f, "e1.pdf", p1, sizeof p1);
  write_sample(f, "e2.pdf", p2, sizeof p2);
  size_t n1, n2;
  char *a = slurp(p1, &n1), *b = slurp(p2, &n2);
  assert_int_equal(n1, n2);
  assert_memory_equal(a, b, n1);
  /* no /ID, no date */
  assert_null(strstr(a, "/ID"));
  assert_null(strstr(a, "CreationDate"));
  free(a);
  free(b);
}

static void test_unwritable(void **state) {
  fixture *f = *state;
  zp_dl *dl = sample(f);
  assert_false(zp_pdf_write(dl, f->fs, "/nonexistent/dir/x.pdf", f->d));
  assert_true(zp_diag_contains(f->d, "/nonexistent/dir/x.pdf"));
  zp_dl_free(dl);
}

static void test_rejects_bad_input(void **state) {
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/bad.pdf", f->dir);
  zp_dl *dl = sample(f);
  /* beyond U+10FFFF: not a character, an error */
  dl->pages->runs->glyphs[1].cp = 0x110000;
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "U+110000"));
  dl->pages->runs->glyphs[1].cp = 0x4E00;
  /* a face the font set does not have */
  dl->pages->runs->face = 99;
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "face 99"));
  zp_dl_free(dl);
  /* no pages */
  dl = zp_dl_new();
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "no pages"));
  zp_dl_free(dl);
}

/* libharu's limits are checked before it is called, and said in words:
 * a bookmark title or an Info property over 32,000 bytes, too many
 * pages.  No libharu code reaches the message, and no file is left. */
static void test_limits_before_libharu(void **state) {
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/limits.pdf", f->dir);
  char *big = malloc(40001);
  memset(big, 'a', 40000);
  big[40000] = 0;
  zp_dl *dl = sample(f);
  zp_dl_add_outline(dl, 1, big, 0, 500);
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "cannot write the PDF: a bookmark's "
                                     "title is 40000 bytes long"));
  zp_dl_free(dl);
  dl = sample(f);
  dl->author = big;
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "a document property (title, author, "
                                     "subject) is 40000 bytes long"));
  zp_dl_free(dl);
  dl = sample(f);
  dl->npages = 10001; /* as if layout had made that many */
  assert_false(zp_pdf_write(dl, f->fs, path, f->d));
  assert_true(zp_diag_contains(f->d, "the document has 10001 pages, more "
                                     "than the 10000 zpgen writes"));
  zp_dl_free(dl);
  assert_false(zp_diag_contains(f->d, "libharu"));
  assert_false(zp_diag_contains(f->d, "0x"));
  assert_int_equal(access(path, F_OK), -1);
  free(big);
}

/* A title outside the BMP still gets its bookmark right (surrogates). */
static void test_outline_astral(void **state) {
  fixture *f = *state;
  char path[128];
  snprintf(path, sizeof path, "%s/astral.pdf", f->dir);
  zp_dl *dl = sample(f);
  zp_dl_add_outline(dl, 1, "附\xF0\xA0\x80\x80", 1, 500); /* 附𠀀 */
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  size_t len;
  char *raw = slurp(path, &len);
  assert_non_null(
      memmem(raw, len, "<FEFF9644D840DC00>", strlen("<FEFF9644D840DC00>")));
  free(raw);
  zp_dl_free(dl);
}

/* Characters above U+FFFF (CJK Extension B, in HanaMinB) are drawn and
 * copy out: ToUnicode and ActualText (a spread run) as surrogate pairs. */
static void test_text_astral(void **state) {
  fixture *f = *state;
  static const char *const ext[] = {"HanaMinB", NULL};
  int role = zp_font_role(f->fs, "ext", ext, f->d);
  assert_true(role >= 0);
  zp_dl *dl = zp_dl_new();
  zp_dl_page *pg = zp_dl_add_page(dl, A4W, A4H);
  /* 𠀋𠀎𠀏 spread by 3 pt (justification: ActualText), then one alone */
  text(f, dl, pg, role, 16, 90, 700,
       "\xF0\xA0\x80\x8B\xF0\xA0\x80\x8E"
       "\xF0\xA0\x80\x8F",
       3, NULL);
  text(f, dl, pg, role, 16, 90, 650, "\xF0\xA0\x80\x8B", 0, NULL);
  char path[128];
  snprintf(path, sizeof path, "%s/astral-text.pdf", f->dir);
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  char *out = run("pdftotext -raw '%s' -", path);
  assert_non_null(strstr(out, "\xF0\xA0\x80\x8B\xF0\xA0\x80\x8E\xF0\xA0"
                              "\x80\x8F\n\xF0\xA0\x80\x8B\n"));
  free(out);
  out = run("pdffonts '%s'", path);
  no_poppler_complaint(out);
  assert_non_null(strstr(out, "HanaMinB"));
  free(out);
  zp_dl_free(dl);
}

/* 16 pages of about 9000 characters in three faces: prints the time. */
static void test_speed(void **state) {
  fixture *f = *state;
  const char *lines[] = {
      "根据《中华人民共和国预算法》和绩效管理有关规定，现将本部门整体支出",
      "绩效自评情况报告如下：全年预算执行率为98.76%，资金使用合规。",
      "“三农”工作持续推进，农业农村现代化水平稳步提升，成效明显。"};
  zp_dl *dl = zp_dl_new();
  dl->title = TITLE;
  int roles[3] = {f->song, f->hei, f->kai};
  long chars = 0;
  for (int p = 0; p < 16; p++) {
    zp_dl_page *pg = zp_dl_add_page(dl, A4W, A4H);
    for (int l = 0; l < 18; l++) {
      const char *s = lines[(p + l) % 3];
      zp_dl_run *r =
          text(f, dl, pg, roles[l % 3], 16, 90, 760 - l * 28, s, 0.2f, NULL);
      chars += r->n;
      if (l % 5 == 0)
        zp_dl_add_rule(dl, pg, 90, 750 - l * 28, 505, 750 - l * 28, 0.5f);
    }
    zp_dl_add_outline(dl, 1, "一、部门概况", p, 780);
  }
  char path[128];
  snprintf(path, sizeof path, "%s/speed.pdf", f->dir);
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  assert_true(zp_pdf_write(dl, f->fs, path, f->d));
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
  struct stat st;
  assert_int_equal(stat(path, &st), 0);
  print_message("16 pages, %ld characters, 3 faces: %.1f ms, %ld bytes\n",
                chars, ms, (long)st.st_size);
  assert_true(ms < 2000);
  char *out = run("pdffonts '%s'", path);
  no_poppler_complaint(out);
  free(out);
  zp_dl_free(dl);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_text_extracts),
      cmocka_unit_test(test_glyph_positions),
      cmocka_unit_test(test_content_stream),
      cmocka_unit_test(test_colour),
      cmocka_unit_test(test_fonts),
      cmocka_unit_test(test_info),
      cmocka_unit_test(test_outlines),
      cmocka_unit_test(test_deterministic),
      cmocka_unit_test(test_unwritable),
      cmocka_unit_test(test_rejects_bad_input),
      cmocka_unit_test(test_outline_astral),
      cmocka_unit_test(test_text_astral),
      cmocka_unit_test(test_limits_before_libharu),
      cmocka_unit_test(test_speed),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
