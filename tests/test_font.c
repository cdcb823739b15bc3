/* test_font.c — the font module against the Debian free faces
 * (fonts-arphic-gbsn00lp, fonts-arphic-uming, fonts-wqy-zenhei). */
#define _GNU_SOURCE /* memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <fontconfig/fontconfig.h>

#include "font.h"

typedef struct fixture {
  zp_diag *d;
  zp_fontset *fs;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  f->d = zp_diag_new(NULL);
  f->fs = zp_fontset_new(NULL, f->d);
  if (!f->fs)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  zp_fontset_free(f->fs);
  zp_diag_free(f->d);
  free(f);
  return 0;
}

/* Removes a temporary font directory and the fontconfig cache that the
 * font set wrote for it (fontconfig caches application font directories). */
static void remove_font_dir(const char *dir) {
  FcConfig *fc = FcInitLoadConfig();
  assert_non_null(fc);
  FcDirCacheUnlink((const FcChar8 *)dir, fc);
  FcConfigDestroy(fc);
  assert_int_equal(rmdir(dir), 0);
}

static int role_of(fixture *f, const char *name) {
  for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
    if (strcmp(r->name, name) == 0)
      return zp_font_role(f->fs, r->name, r->families, f->d);
  return -1;
}

static const zp_face_info *first_face(fixture *f, int role) {
  const uint16_t *chain;
  int n = zp_font_role_chain(f->fs, role, &chain);
  assert_true(n > 0);
  return zp_font_face(f->fs, chain[0]);
}

/* ---- roles -------------------------------------------------------------- */

static void test_default_roles_listed(void **state) {
  (void)state;
  const char *want[] = {"song", "fangsong", "kai", "hei", "title"};
  const zp_role_def *r = zp_font_default_roles();
  for (size_t i = 0; i < 5; i++) {
    assert_non_null(r[i].name);
    assert_string_equal(r[i].name, want[i]);
    assert_non_null(r[i].families[0]);
  }
  assert_null(r[5].name);
}

static void test_song_resolves(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  assert_true(song >= 0);
  assert_int_equal(zp_font_role_find(f->fs, "song"), song);
  assert_string_equal(zp_font_role_name(f->fs, song), "song");
  const zp_face_info *fi = first_face(f, song);
  assert_string_equal(fi->family, "AR PL SungtiL GB");
  assert_true(fi->file[0] == '/');
  assert_false(fi->user);
  assert_true(fi->num_glyphs > 6763);
  assert_true(fi->units_per_em > 0);
  assert_true(fi->ascent > 0 && fi->descent < 0);
  assert_true(fi->bbox[2] > fi->bbox[0] && fi->bbox[3] > fi->bbox[1]);
  /* the PostScript name is plain ASCII without spaces */
  assert_true(fi->psname[0] != 0);
  for (const char *p = fi->psname; *p; p++)
    assert_true(*p > 32 && *p < 127);
  /* the chain goes on to the wide faces */
  const uint16_t *chain;
  int n = zp_font_role_chain(f->fs, song, &chain);
  assert_true(n >= 3);
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++)
      assert_int_not_equal(chain[i], chain[j]);
  assert_int_equal(zp_diag_errors(f->d), 0);
}

static void test_faces_shared(void **state) {
  fixture *f = *state;
  for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
    assert_true(zp_font_role(f->fs, r->name, r->families, f->d) >= 0);
  assert_int_equal(zp_font_role_count(f->fs), 5);
  /* four free families installed: each opened once */
  int n = zp_font_face_count(f->fs);
  assert_true(n >= 4 && n <= 5);
  for (int i = 0; i < n; i++)
    for (int j = i + 1; j < n; j++) {
      const zp_face_info *a = zp_font_face(f->fs, i);
      const zp_face_info *b = zp_font_face(f->fs, j);
      assert_false(strcmp(a->file, b->file) == 0 && a->index == b->index);
    }
  /* song and fangsong share SungtiL GB (no licensed FangSong installed) */
  const zp_face_info *s = first_face(f, zp_font_role_find(f->fs, "song"));
  const zp_face_info *fsg = first_face(f, zp_font_role_find(f->fs, "fangsong"));
  assert_ptr_equal(s, fsg);
  assert_string_equal(first_face(f, zp_font_role_find(f->fs, "kai"))->family,
                      "AR PL KaitiM GB");
  assert_string_equal(first_face(f, zp_font_role_find(f->fs, "hei"))->family,
                      "WenQuanYi Zen Hei");
  /* redefining keeps the id */
  int song = zp_font_role_find(f->fs, "song");
  const char *const fam[] = {"WenQuanYi Zen Hei", NULL};
  assert_int_equal(zp_font_role(f->fs, "song", fam, f->d), song);
  assert_string_equal(first_face(f, song)->family, "WenQuanYi Zen Hei");
  assert_int_equal(zp_font_role_count(f->fs), 5);
}

static void test_missing_role(void **state) {
  fixture *f = *state;
  const char *const fam[] = {"仿宋_GB2312", "No Such Family ZP", NULL};
  assert_int_equal(zp_font_role(f->fs, "fangsong2", fam, f->d), -1);
  assert_int_equal(zp_diag_errors(f->d), 1);
  assert_true(zp_diag_contains(f->d, "font role \"fangsong2\""));
  assert_true(zp_diag_contains(f->d, "仿宋_GB2312, No Such Family ZP"));
  assert_true(zp_diag_contains(f->d, "fonts/"));
  assert_int_equal(zp_font_role_find(f->fs, "fangsong2"), -1);
  assert_int_equal(zp_font_role_count(f->fs), 0);
  /* fontconfig's best match is not taken for a real match */
  const char *const fam2[] = {"AR PL SungtiL", NULL};
  assert_int_equal(zp_font_role(f->fs, "x", fam2, f->d), -1);
  /* a known free family in the chain: the message names its package */
  zp_diag *d2 = zp_diag_new(NULL);
  zp_fontset *fs2 = zp_fontset_new(NULL, d2);
  const char *const fam3[] = {"SimSun", NULL};
  assert_int_equal(zp_font_role(fs2, "song", fam3, d2), -1);
  assert_false(zp_diag_contains(d2, "install fonts-"));
  zp_fontset_free(fs2);
  zp_diag_free(d2);
}

static void test_case_insensitive_family(void **state) {
  fixture *f = *state;
  const char *const fam[] = {"ar pl sungtil gb", NULL};
  int r = zp_font_role(f->fs, "s", fam, f->d);
  assert_true(r >= 0);
  assert_string_equal(first_face(f, r)->family, "AR PL SungtiL GB");
  /* a family found by one of its other names (the Chinese one) */
  const char *const fam2[] = {"文泉驿正黑", NULL};
  r = zp_font_role(f->fs, "h", fam2, f->d);
  assert_true(r >= 0);
  assert_string_equal(first_face(f, r)->family, "WenQuanYi Zen Hei");
}

/* ---- glyphs ------------------------------------------------------------- */

static void test_hanzi_advance(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  zp_glyph g, g2;
  assert_true(zp_font_glyph(f->fs, song, 0x4E2D /* 中 */, &g));
  assert_int_equal(g.advance, 1000);
  assert_true(g.gid != 0);
  const uint16_t *chain;
  zp_font_role_chain(f->fs, song, &chain);
  assert_int_equal(g.face, chain[0]);
  assert_true(zp_font_covers(f->fs, g.face, 0x4E2D));
  /* cached: the same answer again */
  assert_true(zp_font_glyph(f->fs, song, 0x4E2D, &g2));
  assert_memory_equal(&g, &g2, sizeof g);
  /* an ASCII letter: narrower than an em, non-zero */
  assert_true(zp_font_glyph(f->fs, song, 'A', &g));
  assert_true(g.advance > 0 && g.advance < 1000);
}

/* A glyph's ink extent from its outline: AR PL SungtiL GB sets 。 in the
 * left half of its em (0.248-0.449 em), （ on the right; a space has no
 * ink; a gid out of range is refused. */
static void test_ink(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  zp_glyph g;
  int x0 = -1, x1 = -1;
  assert_true(zp_font_glyph(f->fs, song, 0x3002, &g));
  assert_string_equal(zp_font_face(f->fs, g.face)->family, "AR PL SungtiL GB");
  assert_true(zp_font_ink(f->fs, g.face, g.gid, &x0, &x1));
  assert_int_equal(x0, 248);
  assert_int_equal(x1, 449);
  assert_true(zp_font_ink(f->fs, g.face, g.gid, &x0, &x1)); /* cached */
  assert_int_equal(x0, 248);
  assert_true(zp_font_glyph(f->fs, song, 0xFF08, &g));
  assert_true(zp_font_ink(f->fs, g.face, g.gid, &x0, &x1));
  assert_true(x0 > 500 && x1 < 1000);
  assert_true(zp_font_glyph(f->fs, song, ' ', &g));
  assert_false(zp_font_ink(f->fs, g.face, g.gid, &x0, &x1));
  assert_false(zp_font_ink(f->fs, g.face, 1u << 30, &x0, &x1));
  assert_false(zp_font_ink(f->fs, 999, 1, &x0, &x1));
}

static void test_fallback(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  const uint16_t *chain;
  int n = zp_font_role_chain(f->fs, song, &chain);
  zp_glyph g;
  /* 〇 is not in the GB2312 face: a later face of the chain has it */
  assert_false(zp_font_covers(f->fs, chain[0], 0x3007));
  assert_true(zp_font_glyph(f->fs, song, 0x3007, &g));
  assert_int_not_equal(g.face, chain[0]);
  const char *fam = zp_font_face(f->fs, g.face)->family;
  assert_true(strcmp(fam, "AR PL UMing CN") == 0 ||
              strcmp(fam, "WenQuanYi Zen Hei") == 0);
  assert_true(g.gid != 0);
  assert_true(zp_font_covers(f->fs, g.face, 0x3007));
  bool in_chain = false;
  for (int i = 0; i < n; i++)
    in_chain |= chain[i] == g.face;
  assert_true(in_chain);
  /* ㎡ too */
  assert_true(zp_font_glyph(f->fs, song, 0x33A1, &g));
  assert_int_not_equal(g.face, chain[0]);
}

static void test_missing_everywhere(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  const uint16_t *chain;
  zp_font_role_chain(f->fs, song, &chain);
  zp_glyph g = {99, 99, 99};
  assert_false(zp_font_glyph(f->fs, song, 0x10FFFD, &g));
  assert_int_equal(g.face, chain[0]);
  assert_int_equal(g.gid, 0);
  /* again, from the cache */
  g = (zp_glyph){99, 99, 99};
  assert_false(zp_font_glyph(f->fs, song, 0x10FFFD, &g));
  assert_int_equal(g.face, chain[0]);
  assert_int_equal(g.gid, 0);
  /* not a code point at all */
  assert_false(zp_font_glyph(f->fs, song, 0x110000, &g));
  assert_int_equal(g.gid, 0);
  /* no such role */
  assert_false(zp_font_glyph(f->fs, 42, 0x4E2D, &g));
  assert_false(zp_font_glyph(f->fs, -1, 0x4E2D, &g));
}

static void test_astral_resolved(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  /* many code points above U+FFFF go through the high table and stay
   * consistent with the faces' own coverage: the chain's, then the
   * supplementary-plane fallbacks' (HanaMinB, fonts-hanazono) */
  unsigned found = 0;
  for (uint32_t cp = 0x20000; cp < 0x20400; cp++) {
    zp_glyph g;
    bool ok = zp_font_glyph(f->fs, song, cp, &g);
    const uint16_t *chain;
    int n = zp_font_role_chain(f->fs, song, &chain);
    bool any = false;
    for (int i = 0; i < n; i++)
      any |= zp_font_covers(f->fs, chain[i], cp);
    if (any || ok)
      assert_true(ok && zp_font_covers(f->fs, g.face, cp));
    found += ok;
    zp_glyph g2;
    assert_int_equal(zp_font_glyph(f->fs, song, cp, &g2), ok);
    assert_memory_equal(&g, &g2, sizeof g);
  }
  assert_int_equal(found, 0x400); /* all of them, in HanaMinB */
  zp_glyph g;
  assert_true(zp_font_glyph(f->fs, song, 0x2000B, &g));
  assert_string_equal(zp_font_face(f->fs, g.face)->family, "HanaMinB");
  assert_true(g.advance > 900 && g.advance < 1100);
  /* Extension G: no face has it */
  assert_false(zp_font_glyph(f->fs, song, 0x30000, &g));
  assert_int_equal(zp_diag_errors(f->d), 0);
}

/* ---- user directories --------------------------------------------------- */

static void test_user_dir_wins(void **state) {
  (void)state;
  char dir[] = "/tmp/zpfontXXXXXX";
  assert_non_null(mkdtemp(dir));
  char link[sizeof dir + 32];
  snprintf(link, sizeof link, "%s/wqy-zenhei.ttc", dir);
  /* find the system file first */
  zp_diag *d = zp_diag_new(NULL);
  zp_fontset *fs = zp_fontset_new(NULL, d);
  const char *const fam[] = {"WenQuanYi Zen Hei", NULL};
  int r = zp_font_role(fs, "hei", fam, d);
  assert_true(r >= 0);
  const uint16_t *chain;
  zp_font_role_chain(fs, r, &chain);
  const zp_face_info *sys = zp_font_face(fs, chain[0]);
  assert_false(sys->user);
  assert_int_equal(symlink(sys->file, link), 0);
  zp_fontset_free(fs);

  const char *const dirs[] = {dir, NULL};
  fs = zp_fontset_new(dirs, d);
  assert_non_null(fs);
  r = zp_font_role(fs, "hei", fam, d);
  assert_true(r >= 0);
  zp_font_role_chain(fs, r, &chain);
  const zp_face_info *u = zp_font_face(fs, chain[0]);
  assert_true(u->user);
  assert_string_equal(u->file, link);
  assert_string_equal(u->family, "WenQuanYi Zen Hei");
  zp_glyph g;
  assert_true(zp_font_glyph(fs, r, 0x4E2D, &g));
  assert_int_equal(g.face, chain[0]);
  assert_int_equal(zp_diag_errors(d), 0);
  zp_fontset_free(fs);

  /* two user directories with the family: the first given wins */
  char dir2[] = "/tmp/zpfontXXXXXX";
  assert_non_null(mkdtemp(dir2));
  char link2[sizeof dir2 + 32];
  snprintf(link2, sizeof link2, "%s/zenhei-copy.ttc", dir2);
  assert_int_equal(symlink(link, link2), 0);
  for (int order = 0; order < 2; order++) {
    const char *const two[] = {order ? dir : dir2, order ? dir2 : dir, NULL};
    fs = zp_fontset_new(two, d);
    r = zp_font_role(fs, "hei", fam, d);
    assert_true(r >= 0);
    zp_font_role_chain(fs, r, &chain);
    assert_string_equal(zp_font_face(fs, chain[0])->file, order ? link : link2);
    zp_fontset_free(fs);
  }
  unlink(link2);
  remove_font_dir(dir2);

  /* a missing user directory is a warning, not a failure */
  const char *const bad[] = {"/nonexistent/zp-fonts", NULL};
  fs = zp_fontset_new(bad, d);
  assert_non_null(fs);
  assert_true(zp_diag_contains(d, "/nonexistent/zp-fonts"));
  zp_fontset_free(fs);
  zp_diag_free(d);
  unlink(link);
  remove_font_dir(dir);
}

/* A minimal CFF-flavoured OpenType font ('OTTO', a 'CFF ' table, no
 * 'glyf'), family "ZP CFF Test", two empty glyphs, 'A' mapped. */
static const unsigned char cff_font[] = {
    0x4f, 0x54, 0x54, 0x4f, 0x00, 0x07, 0x00, 0x40, 0x00, 0x02, 0x00, 0x30,
    0x43, 0x46, 0x46, 0x20, 0x64, 0x4f, 0x1c, 0x15, 0x00, 0x00, 0x00, 0x7c,
    0x00, 0x00, 0x00, 0x36, 0x63, 0x6d, 0x61, 0x70, 0x00, 0x0c, 0x00, 0x74,
    0x00, 0x00, 0x00, 0xb4, 0x00, 0x00, 0x00, 0x2c, 0x68, 0x65, 0x61, 0x64,
    0x61, 0x07, 0x44, 0x00, 0x00, 0x00, 0x00, 0xe0, 0x00, 0x00, 0x00, 0x36,
    0x68, 0x68, 0x65, 0x61, 0x05, 0x16, 0x01, 0x2f, 0x00, 0x00, 0x01, 0x18,
    0x00, 0x00, 0x00, 0x24, 0x68, 0x6d, 0x74, 0x78, 0x03, 0xe8, 0x00, 0x00,
    0x00, 0x00, 0x01, 0x3c, 0x00, 0x00, 0x00, 0x08, 0x6d, 0x61, 0x78, 0x70,
    0x00, 0x02, 0x50, 0x00, 0x00, 0x00, 0x01, 0x44, 0x00, 0x00, 0x00, 0x06,
    0x6e, 0x61, 0x6d, 0x65, 0x07, 0x4e, 0x16, 0x8a, 0x00, 0x00, 0x01, 0x4c,
    0x00, 0x00, 0x00, 0x82, 0x01, 0x00, 0x04, 0x01, 0x00, 0x01, 0x01, 0x01,
    0x0a, 0x5a, 0x50, 0x43, 0x46, 0x46, 0x54, 0x65, 0x73, 0x74, 0x00, 0x01,
    0x01, 0x01, 0x12, 0x1d, 0x00, 0x00, 0x00, 0x2c, 0x11, 0x1d, 0x00, 0x00,
    0x00, 0x02, 0x1d, 0x00, 0x00, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x02, 0x01, 0x01, 0x02, 0x03, 0x0e, 0x0e, 0x8b, 0x14, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, 0x0c,
    0x00, 0x04, 0x00, 0x20, 0x00, 0x00, 0x00, 0x04, 0x00, 0x04, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x41, 0xff, 0xff, 0x00, 0x00, 0x00, 0x41, 0xff, 0xff,
    0xff, 0xc0, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x5f, 0x0f, 0x3c, 0xf5,
    0x00, 0x00, 0x03, 0xe8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0xf4, 0x03, 0x20, 0x00, 0x00, 0x00, 0x03, 0x00, 0x02, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x03, 0x20, 0xff, 0x38,
    0x00, 0x00, 0x01, 0xf4, 0x00, 0x00, 0x00, 0x00, 0x01, 0xf4, 0x00, 0x01,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, 0x01, 0xf4, 0x00, 0x00, 0x01, 0xf4, 0x00, 0x00,
    0x00, 0x00, 0x50, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04,
    0x00, 0x36, 0x00, 0x03, 0x00, 0x01, 0x04, 0x09, 0x00, 0x01, 0x00, 0x16,
    0x00, 0x00, 0x00, 0x03, 0x00, 0x01, 0x04, 0x09, 0x00, 0x02, 0x00, 0x0e,
    0x00, 0x16, 0x00, 0x03, 0x00, 0x01, 0x04, 0x09, 0x00, 0x04, 0x00, 0x16,
    0x00, 0x24, 0x00, 0x03, 0x00, 0x01, 0x04, 0x09, 0x00, 0x06, 0x00, 0x12,
    0x00, 0x3a, 0x00, 0x5a, 0x00, 0x50, 0x00, 0x20, 0x00, 0x43, 0x00, 0x46,
    0x00, 0x46, 0x00, 0x20, 0x00, 0x54, 0x00, 0x65, 0x00, 0x73, 0x00, 0x74,
    0x00, 0x52, 0x00, 0x65, 0x00, 0x67, 0x00, 0x75, 0x00, 0x6c, 0x00, 0x61,
    0x00, 0x72, 0x00, 0x5a, 0x00, 0x50, 0x00, 0x20, 0x00, 0x43, 0x00, 0x46,
    0x00, 0x46, 0x00, 0x20, 0x00, 0x54, 0x00, 0x65, 0x00, 0x73, 0x00, 0x74,
    0x00, 0x5a, 0x00, 0x50, 0x00, 0x43, 0x00, 0x46, 0x00, 0x46, 0x00, 0x54,
    0x00, 0x65, 0x00, 0x73, 0x00, 0x74, 0x00, 0x00,
};

static void test_cff_skipped(void **state) {
  (void)state;
  char dir[] = "/tmp/zpfontXXXXXX";
  assert_non_null(mkdtemp(dir));
  char path[sizeof dir + 32];
  snprintf(path, sizeof path, "%s/zp-cff-test.otf", dir);
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(cff_font, 1, sizeof cff_font, fp), sizeof cff_font);
  fclose(fp);
  zp_diag *d = zp_diag_new(NULL);
  const char *const dirs[] = {dir, NULL};
  zp_fontset *fs = zp_fontset_new(dirs, d);
  assert_non_null(fs);
  /* alone: the role fails, and the file is named in a warning */
  const char *const fam[] = {"ZP CFF Test", NULL};
  assert_int_equal(zp_font_role(fs, "cff", fam, d), -1);
  assert_int_equal(zp_diag_warnings(d), 1);
  assert_true(zp_diag_contains(d, path));
  assert_true(zp_diag_contains(d, "CFF"));
  assert_true(zp_diag_contains(d, "font role \"cff\": none of ZP CFF Test"));
  /* in a chain: skipped (warned once per font set), the next face used */
  const char *const fam2[] = {"ZP CFF Test", "AR PL SungtiL GB", NULL};
  int r = zp_font_role(fs, "song", fam2, d);
  assert_true(r >= 0);
  assert_int_equal(zp_diag_warnings(d), 1);
  const uint16_t *chain;
  assert_int_equal(zp_font_role_chain(fs, r, &chain), 1);
  assert_string_equal(zp_font_face(fs, chain[0])->family, "AR PL SungtiL GB");
  assert_int_equal(zp_font_face_count(fs), 1);
  zp_fontset_free(fs);
  zp_diag_free(d);
  unlink(path);
  remove_font_dir(dir);
}

/* ---- coverage ----------------------------------------------------------- */

static void test_coverage_sungti(void **state) {
  fixture *f = *state;
  const zp_face_info *fi = first_face(f, role_of(f, "song"));
  /* the plain accessor leaves the counts alone; coverage fills them */
  assert_int_equal(fi->hanzi, 0);
  const uint16_t *chain;
  zp_font_role_chain(f->fs, role_of(f, "song"), &chain);
  fi = zp_font_face_coverage(f->fs, chain[0]);
  printf("# %s: %u glyphs, %u code points, %u hanzi, GB2312 %u/6763, "
         "ascent %d descent %d cap %d, ps %s\n",
         fi->family, fi->num_glyphs, fi->cmap_size, fi->hanzi, fi->gb2312,
         fi->ascent, fi->descent, fi->cap_height, fi->psname);
  assert_true(fi->gb2312 >= 6700 && fi->gb2312 <= 6763);
  /* the marks of LAYOUT.md that need a fallback */
  assert_false(zp_font_covers(f->fs, chain[0], 0x3007)); /* 〇 */
  assert_false(zp_font_covers(f->fs, chain[0], 0x33A1)); /* ㎡ */
  assert_true(zp_font_covers(f->fs, chain[0], 0x4E00));  /* 一 */
  assert_true(fi->hanzi >= fi->gb2312);
  assert_true(fi->cmap_size >= fi->hanzi);
  /* UMing and WenQuanYi cover far more */
  for (int i = 0; i < zp_font_face_count(f->fs); i++) {
    const zp_face_info *o = zp_font_face_coverage(f->fs, i);
    printf("# %s #%d: %u hanzi, GB2312 %u/6763, %u code points\n", o->family,
           o->index, o->hanzi, o->gb2312, o->cmap_size);
    if (strcmp(o->family, "WenQuanYi Zen Hei") == 0)
      assert_true(o->hanzi > 20000 && o->gb2312 == 6763);
  }
}

/* ---- subsets ------------------------------------------------------------ */

static void test_subset(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  uint32_t cps[] = {0x4E2D, 0x56FD, 0x4EBA}; /* 中国人 */
  uint16_t gids[4];
  uint16_t face = 0;
  for (int i = 0; i < 3; i++) {
    zp_glyph g;
    assert_true(zp_font_glyph(f->fs, song, cps[i], &g));
    gids[i] = g.gid;
    face = g.face;
  }
  gids[3] = gids[0]; /* a duplicate */
  const zp_face_info *fi = zp_font_face(f->fs, face);
  struct stat st;
  assert_int_equal(stat(fi->file, &st), 0);

  zp_subset a, b;
  assert_true(zp_font_subset(f->fs, face, gids, NULL, 4, &a, f->d));
  assert_true(a.size > 0);
  assert_true(a.size * 20 < (size_t)st.st_size);
  assert_true(a.num_glyphs >= 4); /* .notdef and the three */
  assert_true(a.num_glyphs < 16);
  uint16_t n0 = a.new_gid[gids[0]], n1 = a.new_gid[gids[1]],
           n2 = a.new_gid[gids[2]];
  assert_true(n0 && n1 && n2);
  assert_true(n0 != n1 && n1 != n2 && n0 != n2);
  assert_true(n0 < a.num_glyphs && n1 < a.num_glyphs && n2 < a.num_glyphs);
  assert_int_equal(a.new_gid[0], 0);
  assert_int_equal(a.widths[n0], 1000);
  assert_int_equal(a.widths[n1], 1000);
  /* a glyph not asked for is not kept */
  zp_glyph other;
  assert_true(zp_font_glyph(f->fs, song, 0x5929 /* 天 */, &other));
  assert_int_equal(a.new_gid[other.gid], 0);
  /* a TrueType file */
  assert_true(memcmp(a.data, "\0\1\0\0", 4) == 0);
  assert_non_null(memmem(a.data, a.size, "glyf", 4));
  assert_null(memmem(a.data, a.size, "GSUB", 4));

  assert_true(zp_font_subset(f->fs, face, gids, NULL, 4, &b, f->d));
  assert_int_equal(a.size, b.size);
  assert_memory_equal(a.data, b.data, a.size);
  assert_memory_equal(a.new_gid, b.new_gid, fi->num_glyphs * sizeof *a.new_gid);
  zp_subset_free(&a);
  zp_subset_free(&b);
  zp_subset_free(&b); /* twice is harmless */

  /* a glyph id outside the face is an error */
  uint16_t bad = 65535;
  assert_false(zp_font_subset(f->fs, face, &bad, NULL, 1, &a, f->d));
  assert_null(a.data);
  assert_int_equal(zp_diag_errors(f->d), 1);
}

/* A set that keeps hb-subset's preparation gives the same subsets, with
 * the cmap of the characters given. */
static void test_subset_prep(void **state) {
  fixture *f = *state;
  int song = role_of(f, "song");
  uint32_t cps[] = {0x4E2D, 0x56FD, 0x4EBA, 0x3002}; /* 中国人。 */
  uint16_t gids[4], face = 0;
  for (int i = 0; i < 4; i++) {
    zp_glyph g;
    assert_true(zp_font_glyph(f->fs, song, cps[i], &g));
    gids[i] = g.gid;
    face = g.face;
  }
  zp_subset plain, kept1, kept2;
  assert_true(zp_font_subset(f->fs, face, gids, cps, 4, &plain, f->d));
  zp_fontset_keep_subset_prep(f->fs, true);
  assert_true(zp_font_subset(f->fs, face, gids, cps, 4, &kept1, f->d));
  assert_true(zp_font_subset(f->fs, face, gids, cps, 3, &kept2, f->d));
  zp_fontset_keep_subset_prep(f->fs, false);
  assert_int_equal(plain.size, kept1.size);
  assert_memory_equal(plain.data, kept1.data, plain.size);
  assert_true(kept2.num_glyphs == kept1.num_glyphs - 1);
  assert_non_null(memmem(plain.data, plain.size, "cmap", 4));
  zp_subset_free(&plain);
  zp_subset_free(&kept1);
  zp_subset_free(&kept2);
}

static void test_subset_ttc(void **state) {
  fixture *f = *state;
  const char *const fam[] = {"AR PL UMing CN", NULL};
  int r = zp_font_role(f->fs, "ming", fam, f->d);
  assert_true(r >= 0);
  zp_glyph g;
  assert_true(zp_font_glyph(f->fs, r, 0x3007, &g));
  const zp_face_info *fi = zp_font_face(f->fs, g.face);
  zp_subset s;
  assert_true(zp_font_subset(f->fs, g.face, &g.gid, NULL, 1, &s, f->d));
  assert_true(s.new_gid[g.gid] != 0);
  assert_true(s.size < 100000);
  assert_int_equal(s.widths[s.new_gid[g.gid]], g.advance);
  (void)fi;
  zp_subset_free(&s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_default_roles_listed),
      cmocka_unit_test_setup_teardown(test_song_resolves, setup, teardown),
      cmocka_unit_test_setup_teardown(test_faces_shared, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_role, setup, teardown),
      cmocka_unit_test_setup_teardown(test_case_insensitive_family, setup,
                                      teardown),
      cmocka_unit_test_setup_teardown(test_hanzi_advance, setup, teardown),
      cmocka_unit_test_setup_teardown(test_ink, setup, teardown),
      cmocka_unit_test_setup_teardown(test_fallback, setup, teardown),
      cmocka_unit_test_setup_teardown(test_missing_everywhere, setup, teardown),
      cmocka_unit_test_setup_teardown(test_astral_resolved, setup, teardown),
      cmocka_unit_test(test_user_dir_wins),
      cmocka_unit_test(test_cff_skipped),
      cmocka_unit_test_setup_teardown(test_coverage_sungti, setup, teardown),
      cmocka_unit_test_setup_teardown(test_subset, setup, teardown),
      cmocka_unit_test_setup_teardown(test_subset_prep, setup, teardown),
      cmocka_unit_test_setup_teardown(test_subset_ttc, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
