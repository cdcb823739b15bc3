/* test_brk.c — line breaking: the conformance cases of
 * tests/break-cases.txt, then unit tests of each function. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "brk.h"

#define EM 1000

/* ---- helpers ------------------------------------------------------------ */

/* Decodes UTF-8 s into cp (room for cap); returns the count.  Malformed
 * bytes decode as U+FFFD. */
static size_t utf8_decode(const char *s, size_t len, uint32_t *cp, size_t cap) {
  size_t n = 0, i = 0;
  const unsigned char *u = (const unsigned char *)s;
  while (i < len && n < cap) {
    uint32_t c = u[i];
    int k = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (c >= 0x80)
      c &= k == 1 ? 0x1F : k == 2 ? 0x0F : 0x07;
    if (i + (size_t)k >= len) {
      cp[n++] = 0xFFFD;
      break;
    }
    for (int j = 1; j <= k; j++)
      c = (c << 6) | (u[i + j] & 0x3F);
    cp[n++] = c;
    i += (size_t)k + 1;
  }
  return n;
}

static void utf8_put(char **o, uint32_t c) {
  unsigned char *p = (unsigned char *)*o;
  if (c < 0x80) {
    *p++ = (unsigned char)c;
  } else if (c < 0x800) {
    *p++ = (unsigned char)(0xC0 | (c >> 6));
    *p++ = (unsigned char)(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *p++ = (unsigned char)(0xE0 | (c >> 12));
    *p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    *p++ = (unsigned char)(0x80 | (c & 0x3F));
  } else {
    *p++ = (unsigned char)(0xF0 | (c >> 18));
    *p++ = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
    *p++ = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    *p++ = (unsigned char)(0x80 | (c & 0x3F));
  }
  *o = (char *)p;
}

/* The font-independent width model of break-cases.txt, in EM units. */
static bool model_wide(uint32_t c) {
  static const uint32_t r[][2] = {
      /* East Asian Wide and Fullwidth */
      {0x1100, 0x115F},
      {0x2E80, 0x303E},
      {0x3041, 0x33FF},
      {0x3400, 0x4DBF},
      {0x4E00, 0x9FFF},
      {0xA000, 0xA4CF},
      {0xAC00, 0xD7A3},
      {0xF900, 0xFAFF},
      {0xFE10, 0xFE19},
      {0xFE30, 0xFE6F},
      {0xFF00, 0xFF60},
      {0xFFE0, 0xFFE6},
      {0x20000, 0x3FFFD},
      /* East Asian Ambiguous, resolved wide in a Chinese context */
      {0x00A7, 0x00A8},
      {0x00B0, 0x00B1},
      {0x00B7, 0x00B7},
      {0x00D7, 0x00D7},
      {0x00F7, 0x00F7},
      {0x2010, 0x2010},
      {0x2013, 0x2016},
      {0x2018, 0x2019},
      {0x201C, 0x201D},
      {0x2020, 0x2022},
      {0x2024, 0x2027},
      {0x2030, 0x2030},
      {0x2032, 0x2033},
      {0x203B, 0x203B},
      {0x2103, 0x2103},
      {0x2109, 0x2109},
      {0x2116, 0x2116},
      {0x2121, 0x2122},
      {0x2160, 0x217F},
      {0x2190, 0x2199},
      {0x2200, 0x22FF},
      {0x2460, 0x24FF},
      {0x2500, 0x25FF},
  };
  for (size_t i = 0; i < sizeof r / sizeof r[0]; i++)
    if (c >= r[i][0] && c <= r[i][1])
      return true;
  return false;
}

static int32_t model_adv(uint32_t c) {
  if (c == ' ')
    return EM / 4; /* a typed space: a quarter cell on the grid */
  if (c == 0x2E3A)
    return 2 * EM; /* ⸺ */
  if (c == 0x2E3B)
    return 3 * EM; /* ⸻ */
  return model_wide(c) ? EM : EM / 2;
}

/* Natural advances, compression (squeeze-pairs only), squeezed
 * advances. */
static void model_advances(const uint32_t *cp, size_t n, bool pairs,
                           int32_t *adv, int32_t *sq) {
  for (size_t i = 0; i < n; i++)
    adv[i] = model_adv(cp[i]);
  if (pairs)
    zp_brk_compress(cp, adv, n, EM, sq);
  else
    memset(sq, 0, n * sizeof *sq);
  for (size_t i = 0; i < n; i++)
    adv[i] -= sq[i];
}

/* The default (Word) options at a strictness level. */
static zp_brk_opts word(zp_break_rules rules) {
  return (zp_brk_opts){rules, ZP_FIT_WORD, false, false};
}

/* The behaviour before Word's model: push in before push out, numbers
 * bound to their units (pair squeeze is the caller's). */
static zp_brk_opts classic(zp_break_rules rules) {
  return (zp_brk_opts){rules, ZP_FIT_PUSHIN, true, false};
}

/* Width of cp[from..to) under adv, trailing spaces and newlines excluded. */
static int64_t line_width(const uint32_t *cp, const int32_t *adv, size_t from,
                          size_t to) {
  while (to > from &&
         (cp[to - 1] == ' ' || cp[to - 1] == '\n' || cp[to - 1] == 0x2028))
    to--;
  int64_t w = 0;
  for (size_t i = from; i < to; i++)
    w += adv[i];
  return w;
}

/* ---- conformance file --------------------------------------------------- */

/* Unescapes \n, \t, \\ and \uXXXX (hex, 4-6 digits) of s in place. */
static void unescape(char *s) {
  char *o = s;
  for (char *p = s; *p;) {
    if (p[0] == '\\' && p[1] == 'n') {
      *o++ = '\n';
      p += 2;
    } else if (p[0] == '\\' && p[1] == '\\') {
      *o++ = '\\';
      p += 2;
    } else if (p[0] == '\\' && p[1] == 'u') {
      char *e;
      unsigned long c = strtoul(p + 2, &e, 16);
      utf8_put(&o, (uint32_t)c);
      p = e;
    } else {
      *o++ = *p++;
    }
  }
  *o = 0;
}

static const char SEP[] = "\xC2\xA6"; /* ¦ */

/* Runs one case; returns true if it passes, else prints why. */
static bool run_case(const char *file, int lineno, char *line) {
  char *f1 = line, *f2 = strchr(f1, '\t');
  if (!f2) {
    printf("%s:%d: malformed (no tab)\n", file, lineno);
    return false;
  }
  *f2++ = 0;
  char *f3 = strchr(f2, '\t');
  if (!f3) {
    printf("%s:%d: malformed (one tab)\n", file, lineno);
    return false;
  }
  *f3++ = 0;
  /* WIDTH[/OPTION]...: strict, basic, loose; push-in, units, pairs,
   * ascii; classic = push-in/units/pairs */
  zp_brk_opts bo = word(ZP_BREAK_BASIC);
  bool pairs = false;
  for (char *opt = strchr(f1, '/'); opt;) {
    *opt++ = 0;
    char *next = strchr(opt, '/');
    if (next)
      *next = 0;
    if (!strcmp(opt, "strict"))
      bo.rules = ZP_BREAK_STRICT;
    else if (!strcmp(opt, "loose"))
      bo.rules = ZP_BREAK_LOOSE;
    else if (!strcmp(opt, "basic"))
      bo.rules = ZP_BREAK_BASIC;
    else if (!strcmp(opt, "push-in"))
      bo.fit = ZP_FIT_PUSHIN;
    else if (!strcmp(opt, "units"))
      bo.bind_units = true;
    else if (!strcmp(opt, "pairs"))
      pairs = true;
    else if (!strcmp(opt, "ascii"))
      bo.ascii_breaks = true;
    else if (!strcmp(opt, "classic")) {
      bo.fit = ZP_FIT_PUSHIN;
      bo.bind_units = pairs = true;
    } else {
      printf("%s:%d: unknown option '%s'\n", file, lineno, opt);
      return false;
    }
    if (next)
      *next = '/';
    opt = next;
  }
  /* WIDTH or FIRST,REST: the first line's width and the others' */
  char *comma;
  double wem = strtod(f1, &comma), wfirst = wem;
  if (*comma == ',')
    wem = strtod(comma + 1, NULL);
  int32_t measure = (int32_t)(wem * EM + 0.5);
  int32_t first = (int32_t)(wfirst * EM + 0.5);
  unescape(f2);
  unescape(f3);

  /* The expected lines joined must give back the input. */
  static char joined[8192];
  char *o = joined;
  for (char *p = f3; *p;) {
    if (!strncmp(p, SEP, 2)) {
      p += 2;
      continue;
    }
    *o++ = *p++;
  }
  *o = 0;
  if (strcmp(joined, f2)) {
    printf("%s:%d: expected lines do not join to the input\n", file, lineno);
    return false;
  }

  static uint32_t cp[4096];
  static int32_t adv[4096], sq[4096], endsq[4096];
  static size_t ends[4096];
  size_t n = utf8_decode(f2, strlen(f2), cp, 4096);
  model_advances(cp, n, pairs, adv, sq);
  memset(endsq, 0, sizeof endsq);
  size_t nl =
      zp_brk_fit(cp, adv, n, EM, first, measure, &bo, ends, endsq, NULL);

  static char got[8192];
  o = got;
  size_t k = 0;
  for (size_t l = 0; l < nl; l++) {
    if (l > 0) {
      memcpy(o, SEP, 2);
      o += 2;
    }
    for (; k < ends[l]; k++)
      utf8_put(&o, cp[k]);
  }
  *o = 0;
  if (getenv("BREAK_CASES_GOT")) { /* to rewrite cases: the lines as set */
    printf("GOT\t%d\t", lineno);
    for (const char *p = got; *p; p++) {
      if (*p == '\n')
        fputs("\\n", stdout);
      else if (*p == '\\')
        fputs("\\\\", stdout);
      else if (!strncmp(p, "\xE2\x80\xA8", 3)) {
        fputs("\\u2028", stdout);
        p += 2;
      } else
        putchar(*p);
    }
    putchar('\n');
  }
  if (strcmp(got, f3)) {
    printf("%s:%d: width %s em\n  input:    %s\n  expected: %s\n  got:      "
           "%s\n",
           file, lineno, f1, f2, f3, got);
    return false;
  }
  return true;
}

static void test_conformance(void **state) {
  (void)state;
  char path[4096];
  const char *root = getenv("ZP_ROOT");
  if (root)
    snprintf(path, sizeof path, "%s/tests/break-cases.txt", root);
  else
    snprintf(path, sizeof path, "tests/break-cases.txt");
  FILE *f = fopen(path, "r");
  if (!f) {
    snprintf(path, sizeof path, "tests/break-cases.txt");
    f = fopen(path, "r");
  }
  assert_non_null(f);
  static char line[8192];
  int lineno = 0, cases = 0, failed = 0;
  while (fgets(line, sizeof line, f)) {
    lineno++;
    size_t len = strlen(line);
    while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
      line[--len] = 0;
    if (len == 0 || line[0] == '#')
      continue;
    cases++;
    if (!run_case(path, lineno, line))
      failed++;
  }
  fclose(f);
  printf("break-cases: %d cases, %d failed\n", cases, failed);
  assert_true(cases >= 120);
  assert_int_equal(failed, 0);
}

/* ---- opportunities ------------------------------------------------------ */

/* Break string of s: for each code point, the code point followed by
 * '/' (allow), '!' (must) or nothing (no break). */
static void brk_string(const char *s, const zp_brk_opts *opts, char *out) {
  uint32_t cp[512];
  char brk[512];
  size_t n = utf8_decode(s, strlen(s), cp, 512);
  zp_brk_opportunities(cp, n, opts, brk);
  char *o = out;
  for (size_t i = 0; i < n; i++) {
    utf8_put(&o, cp[i]);
    if (brk[i] == ZP_BRK_ALLOW)
      *o++ = '/';
    else if (brk[i] == ZP_BRK_MUST)
      *o++ = '!';
    else if (brk[i] == ZP_BRK_WEAK)
      *o++ = '~';
    else
      assert_int_equal(brk[i], ZP_BRK_NO);
  }
  *o = 0;
}

static void check_brk_o(const char *in, const zp_brk_opts *o,
                        const char *want) {
  char got[2048];
  brk_string(in, o, got);
  if (strcmp(got, want))
    printf("  input %s\n  want  %s\n  got   %s\n", in, want, got);
  assert_string_equal(got, want);
}

/* With the default options at a level. */
static void check_brk(const char *in, zp_break_rules rules, const char *want) {
  zp_brk_opts o = word(rules);
  check_brk_o(in, &o, want);
}

/* With numbers bound to their units. */
static void check_units(const char *in, const char *want) {
  zp_brk_opts o = classic(ZP_BREAK_BASIC);
  check_brk_o(in, &o, want);
}

static void test_opportunities_han(void **state) {
  (void)state;
  check_brk("区农业农村局", ZP_BREAK_BASIC, "区/农/业/农/村/局!");
  check_brk("关于“三农”工作，方针。", ZP_BREAK_BASIC,
            "关/于/“三/农”/工/作，/方/针。!");
  check_brk("（一）部门职能", ZP_BREAK_BASIC, "（一）/部/门/职/能!");
  check_brk("印发《方案》、《意见》", ZP_BREAK_BASIC,
            "印/发/《方/案》、/《意/见》!");
  check_brk("绩效自评（含局本级及", ZP_BREAK_BASIC,
            "绩/效/自/评/（含/局/本/级/及!");
}

static void test_opportunities_numbers(void **state) {
  (void)state;
  /* Word: a number is whole with its sign and percent; its Han unit may
   * begin the next line (765|批次, 18,257.09|万元, seed 000) */
  check_brk("数18,335.56万元，", ZP_BREAK_BASIC, "数/18,335.56/万/元，!");
  check_brk("预算数 18,335.56 万元，执", ZP_BREAK_BASIC,
            "预/算/数 /18,335.56 /万/元，/执!");
  check_brk("区内 765 批次农产品", ZP_BREAK_BASIC,
            "区/内 /765 /批/次/农/产/品!");
  check_brk("完成预算99.66%。", ZP_BREAK_BASIC, "完/成/预/算/99.66%。!");
  check_brk("群众安全感≥95%", ZP_BREAK_BASIC, "群/众/安/全/感/≥95%!");
  check_brk("社工站＋5%", ZP_BREAK_BASIC, "社/工/站/＋5%!");
  check_brk("2023年度", ZP_BREAK_BASIC, "2023/年/度!");
  check_brk("１２３４个", ZP_BREAK_BASIC, "１２３４/个!");
  check_brk("温度25℃高", ZP_BREAK_BASIC, "温/度/25℃/高!");
}

/* The bind-units option: a number stays with its Han unit. */
static void test_opportunities_units(void **state) {
  (void)state;
  check_units("数18,335.56万元，", "数/18,335.56万元，!");
  check_units("预算数 18,335.56 万元，执", "预/算/数 /18,335.56 万元，/执!");
  check_units("完成预算99.66%。", "完/成/预/算/99.66%。!");
  check_units("群众安全感≥95%", "群/众/安/全/感/≥95%!");
  check_units("社工站＋5%", "社/工/站/＋5%!");
  check_units("2023年度", "2023年度!");
  check_units("≤5个村", "≤5个/村!");
  check_units("社会捐款 500 多万元用于", "社/会/捐/款 /500 多万元/用/于!");
  check_units("面积 7 万余平方米，", "面/积 /7 万余平方米，!");
  check_units("清理河流长度38.9公里", "清/理/河/流/长/度/38.9公里!");
  check_units("1、统筹", "1、/统/筹!");
  check_units("１２３４个", "１２３４个!");
  /* a number not followed by a unit binds nothing after it */
  check_units("1农业", "1/农/业!");
}

static void test_opportunities_latin(void **state) {
  (void)state;
  check_brk("PM2.5 GDP App", ZP_BREAK_BASIC, "PM2.5 /GDP /App!");
  check_brk("打造5G数智", ZP_BREAK_BASIC, "打/造/5G/数/智!");
  check_brk("http://www.gov.cn/a/b.html", ZP_BREAK_BASIC,
            "http://www.gov.cn/a/b.html!");
  check_brk("long-term plan", ZP_BREAK_BASIC, "long-/term /plan!");
  check_brk("（2023-2025年）", ZP_BREAK_BASIC, "（2023-2025/年）!");
  check_units("（2023-2025年）", "（2023-2025年）!");
}

static void test_opportunities_marks(void **state) {
  (void)state;
  check_brk("好——好……好⸺⸺好", ZP_BREAK_BASIC, "好——/好……/好⸺⸺/好!");
  check_brk("好——好……好", ZP_BREAK_LOOSE, "好/——/好/……/好!");
  check_brk("协作·非比", ZP_BREAK_BASIC, "协/作·/非/比!");
  check_brk("协作·非比", ZP_BREAK_LOOSE, "协/作/·/非/比!");
  check_brk("佐々木", ZP_BREAK_BASIC, "佐々/木!");
  check_brk("佐々木", ZP_BREAK_LOOSE, "佐/々/木!");
  check_brk("カップ", ZP_BREAK_BASIC, "カ/ッ/プ!");
  check_brk("カップ", ZP_BREAK_STRICT, "カッ/プ!");
  check_brk("温度℃高", ZP_BREAK_BASIC, "温/度℃/高!");
  check_brk("温度℃高", ZP_BREAK_LOOSE, "温/度/℃/高!");
  check_brk("元$元", ZP_BREAK_BASIC, "元/$元!");
  check_brk("元$元", ZP_BREAK_LOOSE, "元/$/元!");
  check_brk("25℃", ZP_BREAK_LOOSE, "25℃!");
  check_brk("¥100", ZP_BREAK_LOOSE, "¥100!");
  check_brk("甲\n乙\xE2\x80\xA8丙", ZP_BREAK_BASIC, "甲\n!乙\xE2\x80\xA8!丙!");
  for (int r = ZP_BREAK_STRICT; r <= ZP_BREAK_LOOSE; r++) {
    assert_true(zp_brk_no_start(0x3002, (zp_break_rules)r)); /* 。 */
    assert_true(zp_brk_no_start(0x201D, (zp_break_rules)r)); /* ” */
    assert_true(zp_brk_no_end(0x300A, (zp_break_rules)r));   /* 《 */
    assert_false(zp_brk_no_start(0x4E00, (zp_break_rules)r));
  }
  assert_true(zp_brk_no_start(0x2030, ZP_BREAK_BASIC)); /* ‰ */
  assert_false(zp_brk_no_start(0x2030, ZP_BREAK_LOOSE));
}

static void test_opportunities_edges(void **state) {
  (void)state;
  char brk[1] = {7};
  uint32_t one = 0x4E00;
  zp_brk_opts o = word(ZP_BREAK_BASIC);
  zp_brk_opportunities(&one, 0, &o, brk); /* n == 0: nothing */
  assert_int_equal(brk[0], 7);
  zp_brk_opportunities(&one, 1, &o, brk);
  assert_int_equal(brk[0], ZP_BRK_MUST);
  /* U+FFFF (libunibreak's end of text) in the data: broken as U+FFFE
   * would be, not an assertion in libunibreak */
  uint32_t nc[] = {0x4E00, 0xFFFF, 0x4E00, 0xFFFF},
           ne[] = {0x4E00, 0xFFFE, 0x4E00, 0xFFFE};
  char b1[4], b2[4];
  zp_brk_opportunities(nc, 4, &o, b1);
  zp_brk_opportunities(ne, 4, &o, b2);
  assert_memory_equal(b1, b2, 4);
  assert_int_equal(b1[3], ZP_BRK_MUST);
}

/* ---- punctuation and compression ---------------------------------------- */

static void test_punct(void **state) {
  (void)state;
  /* wide characters, the supplementary planes' too (emoji, 🉐) */
  assert_true(zp_brk_wide(0x4E00) && zp_brk_wide(0x20000));
  assert_true(zp_brk_wide(0x1F600) && zp_brk_wide(0x1F250));
  assert_false(zp_brk_wide('A') || zp_brk_wide(0x00E9));
  assert_true(zp_brk_newline('\r') && zp_brk_newline(0x2029));
  assert_false(zp_brk_newline(' '));
  const char *open = "（［｛〔【〖《〈「『“‘";
  const char *close = "）］｝〕】〗》〉」』”’、，。．：；！？";
  uint32_t cp[64];
  size_t n = utf8_decode(open, strlen(open), cp, 64);
  assert_int_equal(n, 12);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(zp_brk_punct(cp[i]), ZP_PUNCT_OPEN);
  n = utf8_decode(close, strlen(close), cp, 64);
  assert_int_equal(n, 20);
  for (size_t i = 0; i < n; i++)
    assert_int_equal(zp_brk_punct(cp[i]), ZP_PUNCT_CLOSE);
  assert_int_equal(zp_brk_punct(0x00B7), ZP_PUNCT_MIDDLE);
  assert_int_equal(zp_brk_punct(0x30FB), ZP_PUNCT_MIDDLE);
  assert_int_equal(zp_brk_punct(0x4E00), ZP_PUNCT_NONE);
  assert_int_equal(zp_brk_punct('a'), ZP_PUNCT_NONE);
  assert_int_equal(zp_brk_punct(0x2014), ZP_PUNCT_NONE);
  assert_int_equal(zp_brk_punct(0x2026), ZP_PUNCT_NONE);
}

/* Squeezes of s with every advance 1 em, as a string of digits (half ems). */
static void check_compress(const char *s, const char *want) {
  uint32_t cp[64];
  int32_t adv[64] = {0}, sq[64];
  size_t n = utf8_decode(s, strlen(s), cp, 64);
  for (size_t i = 0; i < n; i++)
    adv[i] = EM;
  zp_brk_compress(cp, adv, n, EM, sq);
  char got[65];
  for (size_t i = 0; i < n; i++)
    got[i] = (char)('0' + sq[i] / (EM / 2));
  got[n] = 0;
  if (strcmp(got, want))
    printf("  compress %s: want %s got %s\n", s, want, got);
  assert_string_equal(got, want);
}

static void test_compress(void **state) {
  (void)state;
  check_compress("。”", "10"); /* close close: the first */
  check_compress("）、", "10");
  check_compress("”，", "10");
  check_compress("，“", "10"); /* close open: the first */
  check_compress("）（", "10");
  check_compress("《“", "01");     /* open open: the second */
  check_compress("“”", "00");      /* open close: no blank between */
  check_compress("好，好", "000"); /* alone */
  check_compress("。”）", "110");  /* a run: each blank between once */
  check_compress("，（“", "101");
  check_compress("作·‘", "001"); /* middle then open: the open */
  check_compress("」·", "10");   /* close then middle: the close */
  check_compress("·（", "01");

  /* Half-width marks are not squeezed (a proportional ” of 330/1000). */
  uint32_t cp[2] = {0x3002, 0x201D};
  int32_t adv[2] = {EM, 330}, sq[2];
  zp_brk_compress(cp, adv, 2, EM, sq);
  assert_int_equal(sq[0], EM / 2);
  assert_int_equal(sq[1], 0);
  uint32_t cp2[2] = {0x201D, 0x3002};
  int32_t adv2[2] = {330, EM};
  zp_brk_compress(cp2, adv2, 2, EM, sq);
  assert_int_equal(sq[0], 0);
  assert_int_equal(sq[1], 0);
  /* 0.9 em counts as full width, 0.89 em does not. */
  int32_t adv3[2] = {900, 890};
  uint32_t cp3[2] = {0x300A, 0x201C}; /* 《“ */
  zp_brk_compress(cp3, adv3, 2, EM, sq);
  assert_int_equal(sq[1], 0);
  int32_t adv4[2] = {890, 900};
  uint32_t cp4[2] = {0x3002, 0x201D};
  zp_brk_compress(cp4, adv4, 2, EM, sq);
  assert_int_equal(sq[0], 0);
}

/* ---- fitting ------------------------------------------------------------ */

/* Fits s in wem em with the options o (pair squeeze with classic ones). */
static size_t fit_with(const zp_brk_opts *o, const char *s, double wem,
                       uint32_t *cp, int32_t *adv, size_t *ends, int32_t *endsq,
                       size_t *pn) {
  static int32_t sq[1024];
  size_t n = utf8_decode(s, strlen(s), cp, 1024);
  model_advances(cp, n, o->fit == ZP_FIT_PUSHIN, adv, sq);
  memset(endsq, 0, n * sizeof *endsq);
  *pn = n;
  int32_t m = (int32_t)(wem * EM);
  return zp_brk_fit(cp, adv, n, EM, m, m, o, ends, endsq, NULL);
}

/* With the default options. */
static size_t fit_model(const char *s, double wem, uint32_t *cp, int32_t *adv,
                        size_t *ends, int32_t *endsq, size_t *pn) {
  zp_brk_opts o = word(ZP_BREAK_BASIC);
  return fit_with(&o, s, wem, cp, adv, ends, endsq, pn);
}

/* With the classic options (push in before push out). */
static size_t fit_classic(const char *s, double wem, uint32_t *cp, int32_t *adv,
                          size_t *ends, int32_t *endsq, size_t *pn) {
  zp_brk_opts o = classic(ZP_BREAK_BASIC);
  return fit_with(&o, s, wem, cp, adv, ends, endsq, pn);
}

static void test_fit_empty(void **state) {
  (void)state;
  uint32_t cp[1] = {0};
  int32_t adv[1] = {0};
  size_t ends[1] = {99};
  int32_t endsq[1] = {0};
  zp_brk_opts o = word(ZP_BREAK_BASIC);
  assert_int_equal(
      zp_brk_fit(cp, adv, 0, EM, 1000, 1000, &o, ends, endsq, NULL), 0);
  assert_int_equal(ends[0], 99);
}

static void test_fit_emergency_digits(void **state) {
  (void)state;
  /* 40 digits (0.5 em each) in 5 em: four lines of ten, nothing lost. */
  char s[41];
  for (int i = 0; i < 40; i++)
    s[i] = (char)('0' + i % 10);
  s[40] = 0;
  uint32_t cp[64];
  int32_t adv[64], endsq[64];
  size_t ends[64], n;
  size_t nl = fit_model(s, 5, cp, adv, ends, endsq, &n);
  assert_int_equal(n, 40);
  assert_int_equal(nl, 4);
  for (size_t l = 0; l < 4; l++)
    assert_int_equal(ends[l], 10 * (l + 1));
  /* A unit after text starts a new line, then is broken as late as it
   * can be. */
  nl = fit_model("编号：123456789012", 5, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 3);
  assert_int_equal(ends[0], 3);
  assert_int_equal(ends[1], 13);
  assert_int_equal(ends[2], 15);
  /* A line narrower than one character: one per line. */
  nl = fit_model("绩效目标", 0.5, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 4);
  assert_int_equal(ends[3], 4);
}

static void test_fit_must(void **state) {
  (void)state;
  uint32_t cp[64];
  int32_t adv[64], endsq[64];
  size_t ends[64], n;
  size_t nl = fit_model("甲乙\n丙丁\n\n戊", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 4);
  assert_int_equal(ends[0], 3); /* the newline ends line 0 */
  assert_int_equal(ends[1], 6);
  assert_int_equal(ends[2], 7); /* an empty line: just its newline */
  assert_int_equal(ends[3], 8);
  nl = fit_model("甲乙\n", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 1); /* no empty line after a final newline */
  /* a newline counts zero width: 甲乙丙 fill 3 em exactly */
  nl = fit_model("甲乙丙\n丁", 3, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 4);
  nl = fit_model("甲乙\xE2\x80\xA8丙", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 3);
}

/* ZP_FIT_WORD, the default: push in only to keep a closing mark, from the
 * marks inside the line; never to let an ordinary character in. */
static void test_fit_word(void **state) {
  (void)state;
  uint32_t cp[64];
  int32_t adv[64], endsq[64];
  size_t ends[64], n;
  /* Ten Han fill 10 em; the ， after them has no mark inside the line to
   * take the overflow from: 十， is pushed out. */
  size_t nl =
      fit_model("一二三四五六七八九十，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 9);
  assert_int_equal(endsq[0], 0);
  /* One mark inside gives half an em: not enough for a whole one. */
  nl = fit_model("一，三四五六七八九十，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 9);
  /* Two marks inside give one em: the ， is kept at full width. */
  nl = fit_model("一，三，五六七八九十，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 11);
  assert_int_equal(endsq[0], EM);
  /* The classic fit keeps 1， at half width; Word pushes 1， out, since a
   * digit's break is allowed before it. */
  nl = fit_model("一二三四五六七八九1，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 9);
  assert_int_equal(endsq[0], 0);
  nl = fit_classic("一二三四五六七八九1，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 11);
  /* Never a mark compressed to let an ordinary character in. */
  nl = fit_model("一，三，五六七八九十一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 10);
  assert_int_equal(endsq[0], 0);
  nl = fit_classic("一，三，五六七八九十一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 11);
  /* 。” : the closing mark and one more are kept when the marks inside
   * give both ems (four marks), else pushed out with the character before */
  nl = fit_model("一，三，五，七，九十。”一", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 12);
  assert_int_equal(endsq[0], 2 * EM);
  nl = fit_model("一，三，五六七八九十。”一", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 9);
  /* A middle dot or a percent sign may not start a line either, but has no
   * blank half to give: pushed out, never in. */
  nl = fit_model("一，三，五六七八九十·一", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 9);
  /* The overflow comes from the marks inside, the last first, half an em
   * each; the kept mark keeps its width. */
  nl = fit_model("一，三，五，七八九十，一", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 11);
  assert_int_equal(endsq[0], EM);
  int32_t sq[64] = {0};
  zp_brk_squeeze_line(cp, adv, sq, 0, 11, EM, endsq[0], ZP_FIT_WORD);
  assert_int_equal(sq[10], 0);     /* the kept ， */
  assert_int_equal(sq[5], EM / 2); /* the last inside */
  assert_int_equal(sq[3], EM / 2);
  assert_int_equal(sq[1], 0); /* not needed */
  assert_int_equal(adv[5], EM / 2);
}

/* ascii_breaks: a formula run may break after an operator or before a
 * bracket, but only when the line would otherwise be gappy. */
static void test_fit_weak(void **state) {
  (void)state;
  zp_brk_opts o = word(ZP_BREAK_BASIC);
  o.ascii_breaks = true;
  check_brk_o("得分=[100%-90%]÷[1+2]", &o, "得/分/=~[100%-~90%]/÷/[1+~2]!");
  o.ascii_breaks = false;
  check_brk_o("得分=[100%-90%]÷[1+2]", &o, "得/分/=[100%-90%]/÷/[1+2]!");
  uint32_t cp[64];
  int32_t adv[64], endsq[64];
  size_t ends[64], n;
  o.ascii_breaks = true;
  /* 8 em: 某部门得分 (5 em) then the 5-em unit [100%-90%]: without weak
   * breaks the line would hold 5 em, 3 em of gaps over 4 gaps */
  size_t nl = fit_with(&o, "某部门得分[100%-90%]", 8, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 11); /* 某部门得分[100%- */
  /* a line that is not gappy keeps the unit whole */
  nl = fit_with(&o, "某部门得分有的[100%-90%]", 8, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 7);
  /* a sign before a number is no operator: no weak break after it */
  check_brk_o("为-12,345.67万元=-5+(+3)", &o, "为-12,345.67/万/元/=-5+~(+3)!");
  /* how each line ended */
  uint8_t kinds[64];
  size_t n2 = utf8_decode("某部门得分[100%-90%]",
                          strlen("某部门得分[100%-90%]"), cp, 64);
  for (size_t i = 0; i < n2; i++)
    adv[i] = model_adv(cp[i]);
  memset(endsq, 0, sizeof endsq);
  nl = zp_brk_fit(cp, adv, n2, EM, 8 * EM, 8 * EM, &o, ends, endsq, kinds);
  assert_int_equal(nl, 2);
  assert_int_equal(kinds[0], ZP_END_WEAK);
  assert_int_equal(kinds[1], ZP_END_BREAK);
  n2 = utf8_decode("编号12345678901234567890",
                   strlen("编号12345678901234567890"), cp, 64);
  for (size_t i = 0; i < n2; i++)
    adv[i] = model_adv(cp[i]);
  memset(endsq, 0, sizeof endsq);
  nl = zp_brk_fit(cp, adv, n2, EM, 5 * EM, 5 * EM, &o, ends, endsq, kinds);
  assert_int_equal(kinds[0], ZP_END_BREAK); /* 编号 */
  assert_int_equal(kinds[1], ZP_END_FORCED);
}

/* ZP_FIT_PUSHIN (the push-in option): the line-final mark and the pause
 * marks inside the line give their blank half to keep one more unit. */
static void test_fit_pushin(void **state) {
  (void)state;
  uint32_t cp[64];
  int32_t adv[64], endsq[64];
  size_t ends[64], n;
  /* Ten Han then ，in 10 em: even at half width the comma overflows, so
   * 十， is pushed out. */
  size_t nl =
      fit_classic("一二三四五六七八九十，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 9);
  assert_int_equal(endsq[0], 0);
  /* Nine Han and a digit (9.5 em) then ，: pushed in at half width. */
  nl = fit_classic("一二三四五六七八九1，一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 11);
  assert_int_equal(endsq[0], EM / 2);
  assert_int_equal(endsq[1], 0);
  /* 。” after ten Han: 。 is already squeezed, ” pushed in would still
   * overflow by 1 em: 十。” goes to the next line. */
  nl = fit_classic("一二三四五六七八九十。”一二", 10, cp, adv, ends, endsq, &n);
  assert_int_equal(nl, 2);
  assert_int_equal(ends[0], 9);
  assert_int_equal(endsq[0], 0);
  /* Within 11 em: 。 (0.5) and ” (1, pushed in to 0.5) fit. */
  nl = fit_classic("一二三四五六七八九十。”一二", 11, cp, adv, ends, endsq, &n);
  assert_int_equal(ends[0], 12);
  assert_int_equal(endsq[0], EM / 2);
  /* A mark narrower than 0.9 em is not pushed in. */
  zp_brk_opts o = classic(ZP_BREAK_BASIC);
  n = utf8_decode("一二三四五六七八九1，一", strlen("一二三四五六七八九1，一"),
                  cp, 64);
  for (size_t i = 0; i < n; i++)
    adv[i] = model_adv(cp[i]);
  adv[10] = 600;
  memset(endsq, 0, sizeof endsq);
  nl = zp_brk_fit(cp, adv, n, EM, 10 * EM, 10 * EM, &o, ends, endsq, NULL);
  assert_int_equal(ends[0], 9);
  assert_int_equal(endsq[0], 0);
  /* The saving is capped at half an em, whatever the advance. */
  adv[10] = 1500;
  nl = zp_brk_fit(cp, adv, n, EM, 10 * EM, 10 * EM, &o, ends, endsq, NULL);
  assert_int_equal(ends[0], 9);
}

static void test_fit_brk_direct(void **state) {
  (void)state;
  /* zp_brk_fit_brk with hand-made opportunities and arbitrary units. */
  uint32_t cp[6] = {'a', 'b', 'c', 'd', 'e', 'f'};
  int32_t adv[6] = {3, 3, 3, 3, 3, 3}, endsq[6] = {0};
  char brk[6] = {ZP_BRK_ALLOW, ZP_BRK_NO,    ZP_BRK_ALLOW,
                 ZP_BRK_NO,    ZP_BRK_ALLOW, ZP_BRK_NO};
  size_t ends[6];
  zp_brk_opts o = word(ZP_BREAK_BASIC);
  size_t nl = zp_brk_fit_brk(cp, adv, brk, 6, 10, 3, 9, &o, ends, endsq, NULL);
  assert_int_equal(nl, 3); /* first line 3 units: "a"; then "bc", "def" */
  assert_int_equal(ends[0], 1);
  assert_int_equal(ends[1], 3);
  assert_int_equal(ends[2], 6);
}

static void test_fit_linear(void **state) {
  (void)state;
  /* 200,000 code points of report-like text: terminates, loses nothing,
   * and every line is within the measure unless it is one unbreakable
   * piece (here: never, all units are short). */
  static const char *const pieces[] = {
      "区农业农村局",
      "贯彻落实党中央、省委关于",
      "“三农”",
      "工作方针，",
      "全年预算数 18,335.56 万元，",
      "完成预算 99.66%。",
      "（一）",
      "《荔湾区方案》",
      "PM2.5 ",
      "——",
      "……",
      "≥95%；",
  };
  size_t cap = 200000;
  uint32_t *cp = malloc(cap * sizeof *cp);
  int32_t *adv = malloc(cap * sizeof *adv), *sq = malloc(cap * sizeof *sq);
  int32_t *endsq = calloc(cap, sizeof *endsq);
  size_t *ends = malloc(cap * sizeof *ends);
  assert_non_null(cp);
  assert_non_null(adv);
  assert_non_null(sq);
  assert_non_null(endsq);
  assert_non_null(ends);
  size_t n = 0;
  unsigned seed = 12345;
  while (n < cap) {
    seed = seed * 1103515245u + 12345u;
    const char *p = pieces[(seed >> 16) % (sizeof pieces / sizeof *pieces)];
    uint32_t tmp[64];
    size_t k = utf8_decode(p, strlen(p), tmp, 64);
    for (size_t j = 0; j < k && n < cap; j++)
      cp[n++] = tmp[j];
  }
  char *brk = malloc(n);
  assert_non_null(brk);
  for (int f = 0; f < 2; f++) {
    zp_brk_opts o = f ? classic(ZP_BREAK_BASIC) : word(ZP_BREAK_BASIC);
    model_advances(cp, n, f == 1, adv, sq);
    int32_t m = 20 * EM;
    memset(endsq, 0, cap * sizeof *endsq);
    size_t nl = zp_brk_fit(cp, adv, n, EM, m, m, &o, ends, endsq, NULL);
    assert_true(nl > n / 25);
    size_t prev = 0;
    zp_brk_opportunities(cp, n, &o, brk);
    for (size_t l = 0; l < nl; l++) {
      assert_true(ends[l] > prev);
      assert_true(ends[l] <= n);
      int64_t w = line_width(cp, adv, prev, ends[l]) - endsq[l];
      assert_true(w <= m);
      assert_true(brk[ends[l] - 1] != ZP_BRK_NO); /* a real opportunity */
      assert_false(zp_brk_no_start(cp[prev], ZP_BREAK_BASIC) && prev > 0);
      prev = ends[l];
    }
    assert_int_equal(prev, n);
  }
  free(brk);
  free(cp);
  free(adv);
  free(sq);
  free(endsq);
  free(ends);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_conformance),
      cmocka_unit_test(test_opportunities_han),
      cmocka_unit_test(test_opportunities_numbers),
      cmocka_unit_test(test_opportunities_units),
      cmocka_unit_test(test_opportunities_latin),
      cmocka_unit_test(test_opportunities_marks),
      cmocka_unit_test(test_opportunities_edges),
      cmocka_unit_test(test_punct),
      cmocka_unit_test(test_compress),
      cmocka_unit_test(test_fit_empty),
      cmocka_unit_test(test_fit_emergency_digits),
      cmocka_unit_test(test_fit_must),
      cmocka_unit_test(test_fit_word),
      cmocka_unit_test(test_fit_weak),
      cmocka_unit_test(test_fit_pushin),
      cmocka_unit_test(test_fit_brk_direct),
      cmocka_unit_test(test_fit_linear),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
