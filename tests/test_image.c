/* test_image.c — images: the structure check (image.c) on every kind of
 * bad header, loading (regular files only, size-capped), and images,
 * opacity, rotation and layers through the display list into a PDF read
 * back with poppler-utils (pdfimages, pdftotext). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <zlib.h>

#include "bounds.h"
#include "dlist.h"
#include "font.h"
#include "image.h"
#include "pdf.h"

/* ---- building PNGs -------------------------------------------------------
 */

typedef struct png {
  uint8_t b[4096];
  size_t n;
} png;

static void put32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static void chunk(png *p, const char *type, const void *data, uint32_t len) {
  put32(p->b + p->n, len);
  memcpy(p->b + p->n + 4, type, 4);
  if (len)
    memcpy(p->b + p->n + 8, data, len);
  uLong c = crc32(0, p->b + p->n + 4, len + 4);
  put32(p->b + p->n + 8 + len, (uint32_t)c);
  p->n += 12 + len;
}

static void sig(png *p) {
  static const uint8_t s[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  memcpy(p->b, s, 8);
  p->n = 8;
}

static void ihdr(png *p, uint32_t w, uint32_t h, uint8_t depth, uint8_t ct,
                 uint8_t interlace) {
  uint8_t d[13] = {0};
  put32(d, w);
  put32(d + 4, h);
  d[8] = depth;
  d[9] = ct;
  d[12] = interlace;
  chunk(p, "IHDR", d, 13);
}

/* The IDAT of n bytes of filtered image data, all filter 0 and pixels 0
 * but byte bad (when below n) set to 7. */
static void idat(png *p, size_t n, size_t bad_at) {
  uint8_t raw[256] = {0}, z[512];
  uLongf zn = sizeof z;
  if (bad_at < n)
    raw[bad_at] = 7;
  assert_int_equal(compress(z, &zn, raw, n), Z_OK);
  chunk(p, "IDAT", z, (uint32_t)zn);
}

/* The image data's size of a 2x2 image of ct at depth: 2 rows of a filter
 * byte and two pixels. */
static size_t raw2(uint8_t depth, uint8_t ct) {
  static const uint8_t channels[7] = {1, 0, 3, 1, 2, 0, 4};
  return 2 * (1 + (2u * depth * (ct < 7 ? channels[ct] : 1) + 7) / 8);
}

/* A 2x2 PNG of colour type ct at depth; a palette first when ct is 3. */
static void make(png *p, uint8_t depth, uint8_t ct) {
  sig(p);
  ihdr(p, 2, 2, depth, ct, 0);
  if (ct == 3)
    chunk(p, "PLTE", "\xff\x00\x00\x00\x00\xff", 6);
  idat(p, raw2(depth, ct), SIZE_MAX);
  chunk(p, "IEND", NULL, 0);
}

static bool check(const png *p, char *why) {
  zp_image im = {0};
  return zp_image_check(p->b, p->n, &im, why, 160);
}

/* The check fails on p, saying want. */
static void bad(const png *p, const char *want) {
  char why[160] = "";
  if (check(p, why))
    fail_msg("accepted, want \"%s\"", want);
  if (!strstr(why, want))
    fail_msg("said \"%s\", want \"%s\"", why, want);
}

static void test_png_valid(void **state) {
  (void)state;
  static const uint8_t pairs[][2] = {{1, 0}, {16, 0}, {8, 2}, {16, 2}, {1, 3},
                                     {8, 3}, {8, 4},  {8, 6}, {16, 6}};
  for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
    png p;
    make(&p, pairs[i][0], pairs[i][1]);
    zp_image im = {0};
    char why[160] = "";
    if (!zp_image_check(p.b, p.n, &im, why, sizeof why))
      fail_msg("depth %d type %d refused: %s", pairs[i][0], pairs[i][1], why);
    assert_int_equal(im.kind, ZP_IMAGE_PNG);
    assert_int_equal(im.width, 2);
    assert_int_equal(im.height, 2);
    assert_int_equal(im.bits, pairs[i][0]);
    assert_int_equal(im.alpha, pairs[i][1] == 4 || pairs[i][1] == 6);
  }
}

static void test_png_bad(void **state) {
  (void)state;
  png p;
  /* not a PNG at all */
  make(&p, 8, 6);
  p.b[1] = 'X';
  bad(&p, "not a PNG or JPEG");
  /* the header's depth and colour type */
  static const uint8_t wrong[][2] = {{3, 0}, {4, 2}, {16, 3}, {2, 4},
                                     {1, 6}, {8, 5}, {8, 7}};
  for (size_t i = 0; i < sizeof wrong / sizeof *wrong; i++) {
    make(&p, wrong[i][0], wrong[i][1]);
    bad(&p, "which PNG does not define");
  }
  /* no pixels; too many */
  sig(&p);
  ihdr(&p, 0, 5, 8, 2, 0);
  bad(&p, "(no pixels)");
  sig(&p);
  ihdr(&p, ZP_MAX_IMAGE_SIDE + 1, 1, 8, 2, 0);
  bad(&p, "more than zpgen embeds");
  sig(&p);
  ihdr(&p, 5000, 5000, 8, 2, 0); /* each side fine, 25 Mpx in all */
  bad(&p, "more than zpgen embeds");
  /* an unknown interlace method */
  sig(&p);
  ihdr(&p, 2, 2, 8, 2, 2);
  bad(&p, "interlace");
  /* the header not first, or malformed */
  sig(&p);
  chunk(&p, "IDAT", "x", 1);
  bad(&p, "does not start with its header");
  sig(&p);
  chunk(&p, "IHDR", "\0\0\0\2\0\0\0\2\10\2\0\0", 12);
  bad(&p, "malformed header");
  /* a damaged chunk */
  make(&p, 8, 2);
  p.b[20] ^= 1;
  bad(&p, "bad CRC");
  /* truncated: in a chunk, before IEND */
  make(&p, 8, 2);
  p.n -= 20;
  bad(&p, "truncated");
  make(&p, 8, 2);
  p.n -= 12;
  bad(&p, "ends before its IEND");
  /* a chunk length past the file */
  make(&p, 8, 2);
  put32(p.b + 33, 0x7FFFFFF0u);
  bad(&p, "truncated in chunk");
  /* a malformed chunk type */
  make(&p, 8, 2);
  p.b[37] = '1';
  bad(&p, "malformed chunk");
  /* no image data */
  sig(&p);
  ihdr(&p, 2, 2, 8, 2, 0);
  chunk(&p, "IEND", NULL, 0);
  bad(&p, "without image data");
  /* a palette image without its palette; a grey one with one */
  sig(&p);
  ihdr(&p, 2, 2, 8, 3, 0);
  chunk(&p, "IDAT", "x", 1);
  bad(&p, "without its palette");
  sig(&p);
  ihdr(&p, 2, 2, 8, 0, 0);
  chunk(&p, "PLTE", "\0\0\0", 3);
  bad(&p, "grey PNG with a palette");
  sig(&p);
  ihdr(&p, 2, 2, 1, 3, 0);
  chunk(&p, "PLTE", "\0\0\0\1\1\1\2\2\2", 9); /* 3 entries at 1 bit */
  bad(&p, "malformed palette");
  /* transparency where there is an alpha channel */
  sig(&p);
  ihdr(&p, 2, 2, 8, 6, 0);
  chunk(&p, "tRNS", "\0\0", 2);
  bad(&p, "misplaced transparency");
  /* a colour key on grey or RGB: libharu drops or fails on it */
  sig(&p);
  ihdr(&p, 2, 2, 8, 2, 0);
  chunk(&p, "tRNS", "\0\0\0\0\0\0", 6);
  idat(&p, raw2(8, 2), SIZE_MAX);
  chunk(&p, "IEND", NULL, 0);
  bad(&p, "an RGB PNG with a transparent colour");
  sig(&p);
  ihdr(&p, 2, 2, 8, 0, 0);
  chunk(&p, "tRNS", "\0\0", 2);
  bad(&p, "a grey PNG with a transparent colour");
  /* a palette's transparency: alpha */
  sig(&p);
  ihdr(&p, 2, 2, 8, 3, 0);
  chunk(&p, "PLTE", "\xff\x00\x00\x00\x00\xff", 6);
  chunk(&p, "tRNS", "\0", 1);
  idat(&p, raw2(8, 3), SIZE_MAX);
  chunk(&p, "IEND", NULL, 0);
  zp_image im = {0};
  char why[160];
  assert_true(zp_image_check(p.b, p.n, &im, why, sizeof why));
  assert_true(im.alpha);
  /* the image data: too little, too much, not zlib, a bad row filter */
  for (int k = 0; k < 4; k++) {
    sig(&p);
    ihdr(&p, 2, 2, 8, 6, 0);
    size_t want = raw2(8, 6);
    if (k == 0)
      idat(&p, want - 1, SIZE_MAX);
    else if (k == 1)
      idat(&p, want + 1, SIZE_MAX);
    else if (k == 2)
      chunk(&p, "IDAT", "\x78\x9c\xff\xff\xff\xff", 6);
    else
      idat(&p, want, want / 2); /* the second row's filter byte */
    chunk(&p, "IEND", NULL, 0);
    bad(&p, k == 3 ? "damaged row (filter 7)" : "image data is damaged");
  }
  /* an unknown critical chunk; image data split by another chunk */
  sig(&p);
  ihdr(&p, 2, 2, 8, 2, 0);
  chunk(&p, "ZZZZ", "", 0);
  bad(&p, "unknown critical chunk ZZZZ");
  sig(&p);
  ihdr(&p, 2, 2, 8, 2, 0);
  idat(&p, raw2(8, 2), SIZE_MAX);
  chunk(&p, "tEXt", "a\0b", 3);
  idat(&p, 1, SIZE_MAX);
  chunk(&p, "IEND", NULL, 0);
  bad(&p, "split");
  /* an unknown ancillary chunk is fine; so is Adam7: 3x3 in its seven
   * passes is 1x1, none, none, 1x1, 2x1, 1x2, 3x1 pixels (each row a
   * filter byte and 3 bytes a pixel) */
  sig(&p);
  ihdr(&p, 3, 3, 8, 2, 1);
  chunk(&p, "zzZz", "", 0);
  idat(&p, (1 + 3) + (1 + 3) + (1 + 6) + 2 * (1 + 3) + (1 + 9), SIZE_MAX);
  chunk(&p, "IEND", NULL, 0);
  if (!zp_image_check(p.b, p.n, &im, why, sizeof why))
    fail_msg("an interlaced PNG refused: %s", why);
  /* but not with transparency (libharu 2.3.0 frees its mask twice) */
  sig(&p);
  ihdr(&p, 3, 3, 8, 6, 1);
  idat(&p, (1 + 4) + (1 + 4) + (1 + 8) + 2 * (1 + 4) + (1 + 12), SIZE_MAX);
  chunk(&p, "IEND", NULL, 0);
  bad(&p, "an interlaced PNG with transparency");
}

/* A JPEG: SOI, a frame header (marker sof, precision, h, w, components),
 * a scan header, data and EOI. */
static void jpeg(png *p, uint8_t sof, uint8_t bits, unsigned h, unsigned w,
                 uint8_t comps, bool eoi) {
  uint8_t *b = p->b;
  size_t n = 0;
  b[n++] = 0xFF, b[n++] = 0xD8;
  b[n++] = 0xFF, b[n++] = 0xE0, b[n++] = 0, b[n++] = 4, b[n++] = 'J',
  b[n++] = 'F';
  b[n++] = 0xFF, b[n++] = sof;
  unsigned len = 8 + 3u * comps;
  b[n++] = (uint8_t)(len >> 8), b[n++] = (uint8_t)len, b[n++] = bits;
  b[n++] = (uint8_t)(h >> 8), b[n++] = (uint8_t)h;
  b[n++] = (uint8_t)(w >> 8), b[n++] = (uint8_t)w, b[n++] = comps;
  for (int i = 0; i < comps; i++)
    b[n++] = (uint8_t)(i + 1), b[n++] = 0x11, b[n++] = 0;
  b[n++] = 0xFF, b[n++] = 0xDA, b[n++] = 0, b[n++] = 2;
  b[n++] = 0x12, b[n++] = 0x34, b[n++] = 0xFF, b[n++] = 0x00;
  if (eoi)
    b[n++] = 0xFF, b[n++] = 0xD9;
  p->n = n;
}

static void test_jpeg(void **state) {
  (void)state;
  png p;
  zp_image im = {0};
  char why[160];
  jpeg(&p, 0xC0, 8, 30, 40, 3, true);
  assert_true(zp_image_check(p.b, p.n, &im, why, sizeof why));
  assert_int_equal(im.kind, ZP_IMAGE_JPEG);
  assert_int_equal(im.width, 40);
  assert_int_equal(im.height, 30);
  assert_int_equal(im.color, 3);
  jpeg(&p, 0xC2, 8, 30, 40, 1, true); /* progressive, grey */
  assert_true(zp_image_check(p.b, p.n, &im, why, sizeof why));
  jpeg(&p, 0xC0, 12, 30, 40, 3, true);
  bad(&p, "12-bit JPEG");
  jpeg(&p, 0xC0, 8, 30, 40, 4, true);
  bad(&p, "CMYK");
  jpeg(&p, 0xC0, 8, 30, 40, 2, true);
  bad(&p, "2 colour components");
  jpeg(&p, 0xC9, 8, 30, 40, 3, true);
  bad(&p, "arithmetic-coded");
  jpeg(&p, 0xC3, 8, 30, 40, 3, true);
  bad(&p, "lossless");
  jpeg(&p, 0xC0, 8, 0, 40, 3, true); /* height in a DNL segment */
  bad(&p, "(no pixels)");
  jpeg(&p, 0xC0, 8, 30, 40, 3, false);
  bad(&p, "no end marker");
  jpeg(&p, 0xC0, 8, 30, 40, 3, true);
  p.n = 12;
  bad(&p, "truncated");
  jpeg(&p, 0xC0, 8, 30, 40, 3, true);
  p.b[8] = 0x12; /* the frame header's marker byte gone */
  bad(&p, "malformed segment");
  /* a scan before any frame header */
  uint8_t scan_first[] = {0xFF, 0xD8, 0xFF, 0xDA, 0, 2, 0xFF, 0xD9};
  memcpy(p.b, scan_first, sizeof scan_first);
  p.n = sizeof scan_first;
  bad(&p, "no frame header");
  /* other kinds of image */
  memcpy(p.b, "GIF89a\1\0\1\0", 10);
  p.n = 10;
  bad(&p, "only PNG and JPEG");
  p.n = 0;
  bad(&p, "not a PNG or JPEG");
}

/* zp_image_load: a regular file, at most ZP_MAX_IMAGE_BYTES. */
static void test_load(void **state) {
  (void)state;
  char dir[] = "/tmp/test_image.XXXXXX", path[64];
  assert_non_null(mkdtemp(dir));
  zp_diag *d = zp_diag_new(NULL);
  zp_arena *a = zp_arena_new();
  zp_loc at = {"t.xml", 3, 5};
  assert_null(zp_image_load(a, dir, at, d));
  assert_non_null(strstr(zp_diag_last(d), "directory"));
  snprintf(path, sizeof path, "%s/none.png", dir);
  assert_null(zp_image_load(a, path, at, d));
  snprintf(path, sizeof path, "%s/big.png", dir);
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(ftruncate(fileno(f), ZP_MAX_IMAGE_BYTES + 1), 0);
  fclose(f);
  assert_null(zp_image_load(a, path, at, d));
  assert_non_null(strstr(zp_diag_last(d), "larger than"));
  png p;
  make(&p, 8, 6);
  snprintf(path, sizeof path, "%s/ok.png", dir);
  f = fopen(path, "wb");
  assert_non_null(f);
  assert_int_equal(fwrite(p.b, 1, p.n, f), p.n);
  fclose(f);
  const zp_image *im = zp_image_load(a, path, at, d);
  assert_non_null(im);
  assert_int_equal(im->len, p.n);
  assert_memory_equal(im->data, p.b, p.n);
  assert_string_equal(zp_image_basename(im), "ok.png");
  assert_int_equal(zp_diag_errors(d), 3); /* the directory, none, big */
  char cmd[96];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  zp_arena_free(a);
  zp_diag_free(d);
}

/* ---- the display list and the PDF ----------------------------------------
 */

static char *run(const char *cmd) {
  FILE *p = popen(cmd, "r");
  assert_non_null(p);
  char *out = calloc(1, 1 << 16);
  assert_non_null(out);
  size_t n = fread(out, 1, (1 << 16) - 1, p);
  out[n] = 0;
  assert_int_equal(pclose(p), 0);
  return out;
}

static zp_dl_run *text(zp_fontset *fs, int role, zp_dl *dl, zp_dl_page *pg,
                       float x, float y, const char *s) {
  uint32_t cps[64] = {0};
  uint32_t n = 0;
  for (const unsigned char *u = (const unsigned char *)s; *u;) {
    uint32_t c = *u;
    int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (k)
      c &= 0x3Fu >> k;
    for (int i = 1; i <= k; i++)
      c = (c << 6) | (u[i] & 0x3F);
    u += k + 1;
    cps[n++] = c;
  }
  zp_glyph g;
  assert_true(zp_font_glyph(fs, role, cps[0], &g));
  zp_dl_run *r = zp_dl_add_run(dl, pg, g.face, 20, y, n);
  assert_non_null(r);
  for (uint32_t i = 0; i < n; i++) {
    assert_true(zp_font_glyph(fs, role, cps[i], &g));
    r->glyphs[i] = (zp_dl_glyph){cps[i], g.gid, x};
    x += g.advance * 20 / 1000.0f;
  }
  return r;
}

static void test_pdf_images(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  zp_fontset *fs = zp_fontset_new(NULL, d);
  assert_non_null(fs);
  static const char *const hei[] = {"WenQuanYi Zen Hei", NULL};
  int role = zp_font_role(fs, "hei", hei, d);
  assert_true(role >= 0);
  char path[600];
  const char *root = getenv("ZP_ROOT");
  snprintf(path, sizeof path, "%s/data/seal-specimen.png", root ? root : ".");
  zp_arena *a = zp_arena_new();
  const zp_image *seal = zp_image_load(a, path, (zp_loc){0}, d);
  assert_non_null(seal);
  assert_true(seal->alpha);

  zp_dl *dl = zp_dl_new();
  zp_dl_page *p1 = zp_dl_add_page(dl, 595, 842);
  zp_dl_page *p2 = zp_dl_add_page(dl, 595, 842);
  zp_dl_run *w = text(fs, role, dl, p1, 200, 400, "草稿");
  w->angle = 45;
  w->opacity = 0.15f;
  w->layer = ZP_DL_LAYER_BEHIND;
  text(fs, role, dl, p1, 90, 700, "正文第一行");
  zp_dl_image *i1 = zp_dl_add_image(dl, p1, seal, 300, 300, 119, 119);
  assert_non_null(i1);
  assert_true(i1->opacity == 1 && i1->layer == ZP_DL_LAYER_CONTENT);
  i1->multiply = true;
  i1->layer = ZP_DL_LAYER_OVER;
  zp_dl_image *i2 = zp_dl_add_image(dl, p1, seal, 50, 50, 60, 60);
  i2->angle = 30;
  i2->opacity = 0.5f;
  zp_dl_add_image(dl, p2, seal, 50, 50, 60, 60);
  text(fs, role, dl, p2, 90, 700, "第二页");
  assert_ptr_equal(p1->images, i1);
  assert_ptr_equal(i1->next, i2);
  char dir[] = "/tmp/test_image.XXXXXX", pdf[64], cmd[200];
  assert_non_null(mkdtemp(dir));
  snprintf(pdf, sizeof pdf, "%s/i.pdf", dir);
  if (!zp_pdf_write(dl, fs, pdf, d))
    fail_msg("zp_pdf_write: %s", zp_diag_last(d));
  /* one image and its soft mask, embedded once, drawn four times */
  snprintf(cmd, sizeof cmd, "pdfimages -list '%s' 2>&1", pdf);
  char *out = run(cmd);
  int images = 0, smasks = 0;
  char first_id[16] = "";
  for (char *l = strtok(out, "\n"); l; l = strtok(NULL, "\n")) {
    int page, num, id;
    char type[16];
    if (sscanf(l, "%d %d %15s %*d %*d %*s %*d %*d %*s %*s %d", &page, &num,
               type, &id) != 4)
      continue;
    char ids[16];
    snprintf(ids, sizeof ids, "%d", id);
    if (!first_id[0])
      strcpy(first_id, ids);
    if (strcmp(ids, first_id) != 0)
      fail_msg("a second image object %s (the first %s)", ids, first_id);
    images += strcmp(type, "image") == 0;
    smasks += strcmp(type, "smask") == 0;
  }
  assert_int_equal(images, 3);
  assert_int_equal(smasks, 3);
  free(out);
  /* the watermark, behind and an artifact, does not copy out */
  snprintf(cmd, sizeof cmd, "pdftotext '%s' - 2>&1", pdf);
  out = run(cmd);
  assert_non_null(strstr(out, "正文第一行"));
  assert_non_null(strstr(out, "第二页"));
  assert_null(strstr(out, "草"));
  assert_null(strstr(out, "Error"));
  free(out);
  /* an invalid opacity or size is refused before libharu */
  i2->opacity = 2;
  assert_false(zp_pdf_write(dl, fs, pdf, d));
  assert_non_null(strstr(zp_diag_last(d), "invalid image"));
  i2->opacity = 1;
  i2->w = 0;
  assert_false(zp_pdf_write(dl, fs, pdf, d));
  i2->w = 60;
  w->angle = 1.0f / 0.0f;
  assert_false(zp_pdf_write(dl, fs, pdf, d));
  assert_non_null(strstr(zp_diag_last(d), "invalid angle"));
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  assert_int_equal(system(cmd), 0);
  zp_dl_free(dl);
  zp_arena_free(a);
  zp_fontset_free(fs);
  zp_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_png_valid),  cmocka_unit_test(test_png_bad),
      cmocka_unit_test(test_jpeg),       cmocka_unit_test(test_load),
      cmocka_unit_test(test_pdf_images),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
