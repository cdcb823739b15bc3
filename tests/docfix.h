/* docfix.h — what the layout tests (test_layout.c, test_contents.c,
 * test_part.c) share: the official page and folio, a font set with the
 * built-in roles, the body style, and a chain of blocks built by hand.
 * Include after cmocka.h and the zpgen headers. */
#ifndef ZP_TEST_DOCFIX_H
#define ZP_TEST_DOCFIX_H

#define MM (72.0 / 25.4)

/* GB/T 9704: A4, 37/35/28/26 mm margins, 22 lines of 28 characters. */
static const zp_page_setup docfix_page = {
    210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM, 26 * MM, 22, 28, 0, 0};

/* "— 1 —", 宋体 四号, outer, 7 mm below the block, on the first page too. */
static const zp_folio docfix_folio = {ZP_FOLIO_OUTER, "— {n} —", "song", 14,
                                      7 * MM,         14,        true};

/* 宋体 三号 on the grid, justified, two-character indent (32 pt), two
 * lines against widows and orphans. */
static const zp_style docfix_body = {.name = "body",
                                     .role = "song",
                                     .size = 16,
                                     .first_indent = 32,
                                     .align = ZP_ALIGN_JUSTIFY,
                                     .grid = true,
                                     .widows = 2,
                                     .orphans = 2,
                                     .rules = ZP_BREAK_BASIC};

/* A font set with every built-in role defined (fails the test if not);
 * free with zp_fontset_free. */
static inline zp_fontset *docfix_fonts(zp_diag *d) {
  zp_fontset *fs = zp_fontset_new(NULL, d);
  assert_non_null(fs);
  for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
    assert_true(zp_font_role(fs, r->name, r->families, d) >= 0);
  return fs;
}

/* Appends a block (in arena a) to doc's chain, whose last block is *last;
 * made by the template element at loc. */
static inline zp_block *docfix_add(zp_arena *a, zp_doc *doc, zp_block **last,
                                   zp_block_kind kind, const zp_style *st,
                                   const char *text, zp_loc loc) {
  zp_block *b = zp_arena_alloc(a, sizeof *b);
  b->kind = kind;
  b->style = st;
  b->text = text;
  b->loc = loc;
  if (*last)
    (*last)->next = b;
  else
    doc->first = b;
  *last = b;
  return b;
}

/* Frees what a fixture holds. */
static inline void docfix_free(zp_fontset *fs, zp_diag *d, zp_arena *a,
                               char *dump) {
  zp_fontset_free(fs);
  zp_diag_free(d);
  zp_arena_free(a);
  free(dump);
}

#endif
