/* test_sheet.c — cell references, CSV sheets, and raw inflate (deflate.h)
 * against zlib's raw deflate. */
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

#include "deflate.h"
#include "sheet.h"

static void refs(void **state) {
  (void)state;
  int r, c;
  const char *end;
  char buf[16];
  assert_true(zp_sheet_parse_ref("C12", &r, &c, &end));
  assert_int_equal(r, 12);
  assert_int_equal(c, 3);
  assert_true(zp_sheet_parse_ref("XFD1048576", &r, &c, &end));
  assert_int_equal(c, 16384);
  assert_string_equal(zp_sheet_ref(r, c, buf), "XFD1048576");
  assert_string_equal(zp_sheet_ref(7, 27, buf), "AA7");
  assert_string_equal(zp_sheet_ref(1, 26, buf), "Z1");
  assert_true(zp_sheet_parse_ref("B2:C4", &r, &c, &end) && *end == ':');
  /* past Excel's limits, a leading zero, no row, lower case */
  assert_false(zp_sheet_parse_ref("XFE1", &r, &c, &end));
  assert_false(zp_sheet_parse_ref("A1048577", &r, &c, &end));
  assert_false(zp_sheet_parse_ref("A01", &r, &c, &end));
  assert_false(zp_sheet_parse_ref("A", &r, &c, &end));
  assert_false(zp_sheet_parse_ref("a1", &r, &c, &end));
  assert_false(zp_sheet_parse_ref("AAAA1", &r, &c, &end));
}

static char *write_tmp(const char *text) {
  static char path[] = "/tmp/zp-sheet-XXXXXX";
  strcpy(path, "/tmp/zp-sheet-XXXXXX");
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
  close(fd);
  return path;
}

static void csv(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  char *path = write_tmp("\xEF\xBB\xBFname,score\r\n\"a, \"\"b\"\"\",91.31\r\n"
                         ",\"16\"\n-0.5e2,x\n");
  zp_sheet *s = zp_sheet_read_csv(path, d);
  assert_non_null(s);
  const zp_scell *c = zp_sheet_get(s, 2, 1);
  assert_non_null(c);
  assert_int_equal(c->type, ZP_SCELL_TEXT);
  assert_string_equal(c->text, "a, \"b\"");
  c = zp_sheet_get(s, 2, 2);
  assert_int_equal(c->type, ZP_SCELL_NUMBER);
  assert_string_equal(c->text, "91.31");
  assert_null(zp_sheet_get(s, 3, 1)); /* empty */
  c = zp_sheet_get(s, 3, 2);          /* quoted: text */
  assert_int_equal(c->type, ZP_SCELL_TEXT);
  assert_string_equal(c->text, "16");
  c = zp_sheet_get(s, 4, 1);
  assert_int_equal(c->type, ZP_SCELL_NUMBER);
  assert_string_equal(c->text, "-50");
  assert_null(zp_sheet_merge_at(s, 1, 1));
  assert_true(zp_sheet_check_column(s, 1, d));
  zp_sheet_free(s);
  unlink(path);
  path = write_tmp("a,b\"c\n");
  assert_null(zp_sheet_read_csv(path, d));
  assert_true(zp_diag_contains(d, ":1: error: a double quote inside"));
  unlink(path);
  zp_diag_free(d);
}

/* zlib's raw deflate of n bytes into out; returns the size. */
static size_t raw_deflate(const unsigned char *in, size_t n, unsigned char *out,
                          size_t cap) {
  z_stream z = {0};
  assert_int_equal(deflateInit2(&z, 6, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY),
                   Z_OK);
  z.next_in = (unsigned char *)in;
  z.avail_in = (uInt)n;
  z.next_out = out;
  z.avail_out = (uInt)cap;
  assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
  size_t len = z.total_out;
  deflateEnd(&z);
  return len;
}

static void inflate_exact(void **state) {
  (void)state;
  size_t n = 100000;
  unsigned char *in = malloc(n), *z = malloc(n + 1024), *out = malloc(n + 16);
  for (size_t i = 0; i < n; i++)
    in[i] = (unsigned char)(i * 7 % 251);
  size_t zn = raw_deflate(in, n, z, n + 1024);
  assert_true(zp_inflate_raw(z, zn, out, n));
  assert_memory_equal(in, out, n);
  /* a stated size smaller or larger than the data: refused */
  assert_false(zp_inflate_raw(z, zn, out, n - 1));
  assert_false(zp_inflate_raw(z, zn, out, n + 16));
  /* truncated, or garbage */
  assert_false(zp_inflate_raw(z, zn / 2, out, n));
  memset(z, 0xFF, 64);
  assert_false(zp_inflate_raw(z, 64, out, n));
  assert_int_equal(zp_crc32("123456789", 9), 0xCBF43926UL);
  free(in);
  free(z);
  free(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(refs),
      cmocka_unit_test(csv),
      cmocka_unit_test(inflate_exact),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
