/* brk.c — Chinese line breaking: UAX #14 (libunibreak) tailored with clreq.
 *
 * zp_brk_opportunities() starts from libunibreak's answer for language "zh"
 * and only turns allowed breaks into forbidden ones (mandatory breaks are
 * kept), with one exception: LOOSE allows a break before an ellipsis, an
 * iteration mark or a postfix, and after a currency prefix, which UAX #14
 * forbids next to an ideograph.  The tailoring:
 *
 *  1. Kinsoku: no break before a line-start-prohibited character, none
 *     after a line-end-prohibited one (lists below, per strictness level).
 *  2. Inseparable marks: no break between two identical dashes / ellipses
 *     (——, ……, ⸺⸺, ――, ‥‥).
 *  3. Numbers: a number stays with its sign and its percent, and with
 *     bind_units also with its Han unit (Word lets the unit begin the next
 *     line: 765|批次, 18,257.09|万元).  A number is a run of digits (ASCII
 *     or full width) with the separators , . ， ． between two digits.
 *     Bound to it are: the one sign right before it (see is_sign: ≥ ≤ ＜ ＞
 *     < > ± + - ＋ － × ÷ ¥ ￥ $ ＄ £ ￡ €), a postfix right after it (% ％ ‰
 *     ‱ ℃ ℉ ° ′ ″ and the squared unit signs ㎡ ㎞ ㎏ …), or else (with
 *     bind_units), after at most one ASCII space, a Han unit:
 *       [多|余] [万|亿|千|百] [多|余] UNIT
 *     where UNIT is the longest of the multi-character units
 *       平方公里 平方千米 平方米 立方米 平方 公里 公斤 千克 千米 小时 分钟
 *       人次 场次 批次 只次 户次 年度 季度 个月 周岁 万元 亿元 微克 毫克
 *       毫米 厘米 千瓦时 千瓦
 *     or one of the single characters
 *       年 月 日 号 时 分 秒 元 个 次 人 户 项 家 所 宗 起 批 份 件 条 台
 *       辆 名 场 期 余 天 周 米 亩 吨 倍 岁 篇 本 套 株 头 只 座 间 处 册
 *       页 张 股 位 支 类 级 届 轮 点 度 克 斤 角 尾 棵 箱 户 元
 *     (any part may be absent, but at least one character must match),
 *     possibly compound: UNIT/UNIT (元/吨, 微克/立方米).  A number right
 *     after an ASCII letter (PM2.5, G20) is part of a name and takes no
 *     unit.  So
 *     18,335.56万元, 18,335.56 万元, 99.66%, ≥95%, ＋5%, 2023年, 2023 年度,
 *     ≤5个, 500 多万元, 7 万余平方米 never break inside.
 *  4. Latin words: inside a run of ASCII graphic characters (U+0021–U+007E)
 *     a break is allowed only after a hyphen-minus ("PM2.5", "GDP", a URL
 *     never break inside; "long-term" may break after the hyphen).  With
 *     ascii_breaks, a break after an operator (+ - * / = < > ^ | ÷ ×) or
 *     before an opening bracket inside such a run is ZP_BRK_WEAK: taken
 *     only when the line would otherwise be gappy.
 *
 * Strictness levels (zp_break_rules):
 *  - BASIC (default): line-start prohibited are the closing brackets and
 *    quotes, 、，。．：；！？, ·・, …‥, —―⸺⸻, ％‰‱℃℉°′″¢, the
 *    iteration marks 々〻ゝゞヽヾ, 〃, the wave dashes 〜～ (a range
 *    "5～10" never puts ～ first), ASCII , . ; : ! ? ) ] } %;
 *    line-end prohibited are the opening brackets and quotes, ASCII ( [ {,
 *    and the currency prefixes $ £ ¥ ￥ ＄ ￡ €.
 *  - STRICT: BASIC plus, at line start, the small kana ぁぃぅぇぉっゃゅょゎ
 *    ゕゖァィゥェォッャュョヮヵヶㇰ–ㇿｧ–ｯ and the prolonged sound marks ーｰ.
 *  - LOOSE: BASIC minus, at line start, the postfixes ％‰‱℃℉°′″¢ %, the
 *    iteration marks, the wave dashes, the middle dots ·・‧ and the
 *    dashes / ellipses (a ——
 *    or …… may begin a line, it is still never split); at line end the
 *    currency prefixes.  The number rule (3) holds at every level, so
 *    "95%" or "¥100" still never break.
 */
#include "brk.h"

#include <linebreak.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static pthread_once_t brk_once = PTHREAD_ONCE_INIT;

/* init_linebreak() fills libunibreak's read-only tables; it is idempotent,
 * pthread_once makes the first call race-free. */
static void brk_init(void) { init_linebreak(); }

/* ---- character classes ------------------------------------------------ */

static bool in_list(uint32_t c, const uint32_t *list, size_t n) {
  for (size_t i = 0; i < n; i++)
    if (list[i] == c)
      return true;
  return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const uint32_t open_marks[] = {
    0xFF08, /* （ */ 0xFF3B, /* ［ */ 0xFF5B, /* ｛ */ 0x3014, /* 〔 */
    0x3010, /* 【 */ 0x3016, /* 〖 */ 0x300A, /* 《 */ 0x3008, /* 〈 */
    0x300C, /* 「 */ 0x300E, /* 『 */ 0x201C, /* “ */ 0x2018,  /* ‘ */
    0x3018, /* 〘 */ 0x301A, /* 〚 */ 0xFF5F, /* ｟ */ 0x301D, /* 〝 */
    0xFE59, /* ﹙ */ 0xFE5B, /* ﹛ */ 0xFE5D, /* ﹝ */ 0xFF62, /* ｢ */
};

static const uint32_t close_marks[] = {
    0xFF09, /* ） */ 0xFF3D, /* ］ */ 0xFF5D, /* ｝ */ 0x3015, /* 〕 */
    0x3011, /* 】 */ 0x3017, /* 〗 */ 0x300B, /* 》 */ 0x3009, /* 〉 */
    0x300D, /* 」 */ 0x300F, /* 』 */ 0x201D, /* ” */ 0x2019,  /* ’ */
    0x3019, /* 〙 */ 0x301B, /* 〛 */ 0xFF60, /* ｠ */ 0x301E, /* 〞 */
    0x301F, /* 〟 */ 0xFE5A, /* ﹚ */ 0xFE5C, /* ﹜ */ 0xFE5E, /* ﹞ */
    0xFF63, /* ｣ */ 0x3001,  /* 、 */ 0xFF0C, /* ， */ 0x3002, /* 。 */
    0xFF0E, /* ． */ 0xFF1A, /* ： */ 0xFF1B, /* ； */ 0xFF01, /* ！ */
    0xFF1F, /* ？ */ 0xFE50, /* ﹐ */ 0xFE51, /* ﹑ */ 0xFE52, /* ﹒ */
    0xFE54, /* ﹔ */ 0xFE55, /* ﹕ */ 0xFE56, /* ﹖ */ 0xFE57, /* ﹗ */
    0xFF61, /* ｡ */ 0xFF64,                                    /* ､ */
};

static const uint32_t middle_marks[] = {0x00B7, 0x30FB, 0x2027, 0xFF65};

/* Dashes and ellipses: never split, never at a line start (but LOOSE). */
static bool is_dash_ellipsis(uint32_t c) {
  return c == 0x2014 || c == 0x2015 || c == 0x2026 || c == 0x2025 ||
         c == 0x2E3A || c == 0x2E3B;
}

static const uint32_t postfix_marks[] = {
    0xFF05, /* ％ */ 0x2030, /* ‰ */ 0x2031, /* ‱ */ 0x2103, /* ℃ */
    0x2109, /* ℉ */ 0x00B0,  /* ° */ 0x2032, /* ′ */ 0x2033, /* ″ */
    0x00A2, /* ¢ */ 0xFFE0,  /* ￠ */ '%',
};

static const uint32_t iteration_marks[] = {0x3005, 0x303B, 0x309D,
                                           0x309E, 0x30FD, 0x30FE};

/* Wave dashes (a range 5～10 never puts ～ first; Word zh-CN list). */
static bool is_wave(uint32_t c) { return c == 0x301C || c == 0xFF5E; }

static const uint32_t currency_prefix[] = {
    '$',    0x00A3,          /* £ */ 0x00A5, /* ¥ */ 0xFFE5, /* ￥ */
    0xFF04, /* ＄ */ 0xFFE1, /* ￡ */ 0x20AC /* € */};

static bool is_small_kana(uint32_t c) {
  static const uint32_t k[] = {
      0x3041, 0x3043, 0x3045, 0x3047, 0x3049,         0x3063, 0x3083,
      0x3085, 0x3087, 0x308E, 0x3095, 0x3096,         0x30A1, 0x30A3,
      0x30A5, 0x30A7, 0x30A9, 0x30C3, 0x30E3,         0x30E5, 0x30E7,
      0x30EE, 0x30F5, 0x30F6, 0x30FC, /* ー */ 0xFF70 /* ｰ */};
  return in_list(c, k, COUNT(k)) || (c >= 0x31F0 && c <= 0x31FF) ||
         (c >= 0xFF67 && c <= 0xFF6F);
}

bool zp_brk_wide(uint32_t c) {
  /* East Asian Wide and Fullwidth, and the Ambiguous characters a Chinese
   * text sets wide (“ ” ‘ ’ — … · ° ± × ÷ ‰ ℃ ≤ ≥ ...) */
  static const uint32_t r[][2] = {
      {0x1100, 0x115F},   {0x2E80, 0x303E},   {0x3041, 0x33FF},
      {0x3400, 0x4DBF},   {0x4E00, 0x9FFF},   {0xA000, 0xA4CF},
      {0xAC00, 0xD7A3},   {0xF900, 0xFAFF},   {0xFE10, 0xFE19},
      {0xFE30, 0xFE6F},   {0xFF00, 0xFF60},   {0xFFE0, 0xFFE6},
      {0x20000, 0x3FFFD}, {0x00A7, 0x00A8},   {0x00B0, 0x00B1},
      {0x00B7, 0x00B7},   {0x00D7, 0x00D7},   {0x00F7, 0x00F7},
      {0x2010, 0x2010},   {0x2013, 0x2016},   {0x2018, 0x2019},
      {0x201C, 0x201D},   {0x2020, 0x2022},   {0x2024, 0x2027},
      {0x2030, 0x2030},   {0x2032, 0x2033},   {0x203B, 0x203B},
      {0x2103, 0x2103},   {0x2109, 0x2109},   {0x2116, 0x2116},
      {0x2121, 0x2122},   {0x2160, 0x217F},   {0x2190, 0x2199},
      {0x2200, 0x22FF},   {0x2460, 0x24FF},   {0x2500, 0x25FF},
      {0x2E3A, 0x2E3B},   {0x16FE0, 0x18AFF}, {0x1B000, 0x1B2FF},
      {0x1F000, 0x1FAFF}};
  for (size_t i = 0; i < COUNT(r); i++)
    if (c >= r[i][0] && c <= r[i][1])
      return true;
  return false;
}

zp_punct zp_brk_punct(uint32_t cp) {
  if (in_list(cp, open_marks, COUNT(open_marks)))
    return ZP_PUNCT_OPEN;
  if (in_list(cp, close_marks, COUNT(close_marks)))
    return ZP_PUNCT_CLOSE;
  if (in_list(cp, middle_marks, COUNT(middle_marks)))
    return ZP_PUNCT_MIDDLE;
  return ZP_PUNCT_NONE;
}

bool zp_brk_no_start(uint32_t c, zp_break_rules rules) {
  if (zp_brk_punct(c) == ZP_PUNCT_CLOSE || c == 0x3003 /* 〃 */)
    return true;
  switch (c) {
  case ',':
  case '.':
  case ';':
  case ':':
  case '!':
  case '?':
  case ')':
  case ']':
  case '}':
    return true;
  default:
    break;
  }
  if (rules == ZP_BREAK_STRICT && is_small_kana(c))
    return true;
  if (rules == ZP_BREAK_LOOSE)
    return false;
  return zp_brk_punct(c) == ZP_PUNCT_MIDDLE || is_dash_ellipsis(c) ||
         is_wave(c) || in_list(c, postfix_marks, COUNT(postfix_marks)) ||
         in_list(c, iteration_marks, COUNT(iteration_marks));
}

bool zp_brk_no_end(uint32_t c, zp_break_rules rules) {
  if (zp_brk_punct(c) == ZP_PUNCT_OPEN || c == '(' || c == '[' || c == '{')
    return true;
  return rules != ZP_BREAK_LOOSE &&
         in_list(c, currency_prefix, COUNT(currency_prefix));
}

/* ---- numbers ------------------------------------------------------------ */

static bool is_digit(uint32_t c) {
  return (c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19);
}

static bool is_num_sep(uint32_t c) {
  return c == ',' || c == '.' || c == 0xFF0C || c == 0xFF0E;
}

static bool is_sign(uint32_t c) {
  static const uint32_t s[] = {0x2265,
                               /* ≥ */ 0x2264,
                               /* ≤ */ 0xFF1C,
                               /* ＜ */ 0xFF1E, /* ＞ */
                               '<',
                               '>',
                               0x00B1,
                               /* ± */ '+',
                               '-',
                               0xFF0B,
                               /* ＋ */ 0xFF0D,
                               /* － */ 0x2212,
                               /* − */ 0x00D7, /* × */
                               0x00F7,
                               /* ÷ */ 0x2248,
                               /* ≈ */ 0x2267,
                               /* ≧ */ 0x2266 /* ≦ */};
  return in_list(c, s, COUNT(s)) ||
         in_list(c, currency_prefix, COUNT(currency_prefix));
}

static bool is_num_postfix(uint32_t c) {
  return in_list(c, postfix_marks, COUNT(postfix_marks)) && c != 0x00A2 &&
         c != 0xFFE0;
}

/* U+3371..U+33DF: squared Latin abbreviations (㎡ ㎞ ㎏ ㏄ ...). */
static bool is_squared_unit(uint32_t c) { return c >= 0x3371 && c <= 0x33DF; }

/* Han units, longest first within each length (see the file comment). */
static const char *const multi_units[] = {
    "平方公里", "平方千米", "平方米", "立方米", "平方", "公里",   "公斤",
    "千克",     "千米",     "小时",   "分钟",   "人次", "场次",   "批次",
    "只次",     "户次",     "年度",   "季度",   "个月", "周岁",   "万元",
    "亿元",     "微克",     "毫克",   "毫米",   "厘米", "千瓦时", "千瓦"};

static const char single_units[] =
    "年月日号时分秒元个次人户项家所宗起批份件条台辆名场期余天周米亩吨倍岁"
    "篇本套株头只座间处册页张股位支类级届轮点度克斤角尾棵箱";

/* Decodes one UTF-8 sequence of a (valid, internal) string literal. */
static const char *utf8_next(const char *s, uint32_t *c) {
  const unsigned char *u = (const unsigned char *)s;
  if (u[0] < 0x80) {
    *c = u[0];
    return s + 1;
  }
  if (u[0] < 0xE0) {
    *c = ((uint32_t)(u[0] & 0x1F) << 6) | (u[1] & 0x3F);
    return s + 2;
  }
  if (u[0] < 0xF0) {
    *c = ((uint32_t)(u[0] & 0x0F) << 12) | ((uint32_t)(u[1] & 0x3F) << 6) |
         (u[2] & 0x3F);
    return s + 3;
  }
  *c = ((uint32_t)(u[0] & 0x07) << 18) | ((uint32_t)(u[1] & 0x3F) << 12) |
       ((uint32_t)(u[2] & 0x3F) << 6) | (u[3] & 0x3F);
  return s + 4;
}

static bool utf8_has(const char *s, uint32_t c) {
  while (*s) {
    uint32_t d;
    s = utf8_next(s, &d);
    if (d == c)
      return true;
  }
  return false;
}

/* Length in code points of the multi-character unit at cp (0: none). */
static size_t match_multi_unit(const uint32_t *cp, size_t n) {
  for (size_t u = 0; u < COUNT(multi_units); u++) {
    const char *s = multi_units[u];
    size_t k = 0;
    while (*s && k < n) {
      uint32_t c;
      s = utf8_next(s, &c);
      if (c != cp[k])
        break;
      k++;
      if (!*s)
        return k;
    }
  }
  return 0;
}

static bool is_approx(uint32_t c) { return c == 0x591A || c == 0x4F59; }
static bool is_magnitude(uint32_t c) {
  return c == 0x4E07 || c == 0x4EBF || c == 0x5343 || c == 0x767E;
}

/* Length of the unit word (multi- or single-character) at cp (0: none). */
static size_t unit_word(const uint32_t *cp, size_t n) {
  size_t m = match_multi_unit(cp, n);
  if (m > 0)
    return m;
  if (n > 0 && (utf8_has(single_units, cp[0]) || is_squared_unit(cp[0])))
    return 1;
  return 0;
}

/* How many code points of a Han unit start at cp (0: none). */
static size_t match_unit(const uint32_t *cp, size_t n) {
  size_t p = 0;
  if (p < n && is_approx(cp[p]))
    p++;
  if (p < n && is_magnitude(cp[p])) {
    p++;
    if (p < n && is_approx(cp[p]))
      p++;
  }
  size_t m = unit_word(cp + p, n - p);
  if (m == 0)
    return p;
  p += m;
  /* a compound unit: 元/吨, 万元/年, 微克/立方米, 千米/小时 */
  if (p + 1 < n && cp[p] == '/' && (m = unit_word(cp + p + 1, n - p - 1)) > 0)
    p += 1 + m;
  return p;
}

/* Forbids the breaks inside every number with its sign and postfix (and
 * with units, its Han unit). */
static void bind_numbers(const uint32_t *cp, size_t n, bool units, char *brk) {
  size_t i = 0;
  while (i < n) {
    if (!is_digit(cp[i])) {
      i++;
      continue;
    }
    size_t from = i;
    if (i > 0 && is_sign(cp[i - 1]))
      from = i - 1;
    size_t j = i; /* last digit */
    while (j + 1 < n) {
      if (is_digit(cp[j + 1]))
        j++;
      else if (is_num_sep(cp[j + 1]) && j + 2 < n && is_digit(cp[j + 2]))
        j += 2;
      else
        break;
    }
    size_t to = j; /* last code point of the run */
    bool named = i > 0 && cp[i - 1] < 0x80 &&
                 ((cp[i - 1] | 0x20) >= 'a' && (cp[i - 1] | 0x20) <= 'z');
    if (named) {
      /* PM2.5, G20: part of a name, not a quantity with a unit */
    } else if (j + 1 < n &&
               (is_num_postfix(cp[j + 1]) || is_squared_unit(cp[j + 1])))
      to = j + 1;
    else if (units) {
      size_t k = j + 1;
      if (k < n && cp[k] == ' ')
        k++;
      size_t u = k < n ? match_unit(cp + k, n - k) : 0;
      if (u > 0)
        to = k + u - 1;
    }
    for (size_t b = from; b < to; b++)
      if (brk[b] != ZP_BRK_MUST)
        brk[b] = ZP_BRK_NO;
    i = j + 1;
  }
}

/* Inside a run of ASCII graphic characters, breaks only after '-'. */
static void bind_latin(const uint32_t *cp, size_t n, char *brk) {
  for (size_t i = 0; i + 1 < n; i++) {
    bool a = cp[i] > 0x20 && cp[i] < 0x7F;
    bool b = cp[i + 1] > 0x20 && cp[i + 1] < 0x7F;
    if (a && b && cp[i] != '-' && brk[i] != ZP_BRK_MUST)
      brk[i] = ZP_BRK_NO;
  }
}

bool zp_brk_formula_char(uint32_t c) {
  return (c > 0x20 && c < 0x7F) || c == 0x00F7 || c == 0x00D7;
}

static bool is_operator(uint32_t c) {
  return c == '+' || c == '-' || c == '*' || c == '/' || c == '=' || c == '<' ||
         c == '>' || c == '^' || c == '|' || c == 0x00F7 || c == 0x00D7;
}

/* Marks the weak breaks inside formula runs (see the file comment, 4). */
static void weak_breaks(const uint32_t *cp, size_t n, zp_break_rules rules,
                        char *brk) {
  for (size_t i = 0; i + 1 < n; i++) {
    uint32_t a = cp[i], b = cp[i + 1];
    if (brk[i] != ZP_BRK_NO || !zp_brk_formula_char(a) ||
        !zp_brk_formula_char(b))
      continue;
    /* a sign before a number (调整数为-12, (-5%), =-1) is no operator */
    bool sign =
        (a == '+' || a == '-') && is_digit(b) &&
        (i == 0 || !zp_brk_formula_char(cp[i - 1]) || is_operator(cp[i - 1]) ||
         cp[i - 1] == '(' || cp[i - 1] == '[' || cp[i - 1] == '{');
    bool at = is_operator(a) ? !is_operator(b) && !sign
                             : (b == '(' || b == '[' || b == '{');
    if (at && !zp_brk_no_start(b, rules) && !zp_brk_no_end(a, rules))
      brk[i] = ZP_BRK_WEAK;
  }
}

/* libunibreak's breaks of cp[0..n) into brk.  libunibreak reads U+FFFF
 * (a noncharacter data may hold) as its end of text and fails an
 * assertion: such text is broken with U+FFFE in its place (the same line
 * break class, XX).  False when out of memory. */
static bool unibreak(const uint32_t *cp, size_t n, char *brk) {
  size_t i = 0;
  while (i < n && cp[i] != 0xFFFF)
    i++;
  if (i == n) {
    set_linebreaks_utf32((const utf32_t *)cp, n, "zh", brk);
    return true;
  }
  uint32_t *copy = malloc(n * sizeof *copy);
  if (!copy)
    return false;
  for (i = 0; i < n; i++)
    copy[i] = cp[i] == 0xFFFF ? 0xFFFE : cp[i];
  set_linebreaks_utf32((const utf32_t *)copy, n, "zh", brk);
  free(copy);
  return true;
}

void zp_brk_opportunities(const uint32_t *cp, size_t n, const zp_brk_opts *o,
                          char *brk) {
  if (n == 0)
    return;
  zp_break_rules rules = o->rules;
  pthread_once(&brk_once, brk_init);
  _Static_assert(sizeof(utf32_t) == sizeof(uint32_t), "utf32_t");
  _Static_assert(LINEBREAK_MUSTBREAK == ZP_BRK_MUST &&
                     LINEBREAK_ALLOWBREAK == ZP_BRK_ALLOW &&
                     LINEBREAK_NOBREAK == ZP_BRK_NO,
                 "libunibreak break codes");
  if (!unibreak(cp, n, brk))
    for (size_t i = 0; i < n; i++) /* out of memory: no break but the end */
      brk[i] = i + 1 < n ? ZP_BRK_NO : ZP_BRK_MUST;
  for (size_t i = 0; i + 1 < n; i++) {
    uint32_t a = cp[i], b = cp[i + 1];
    /* UAX #14 keeps an ellipsis (LB22), an iteration mark (NS, LB21) or
     * a postfix (PO, LB23a) with the ideograph before it; LOOSE lets them
     * begin a line, as clreq and CSS line-break: loose do (numbers are
     * bound again below). */
    if (brk[i] == ZP_BRK_NO && rules == ZP_BREAK_LOOSE && a != b &&
        (is_dash_ellipsis(b) || is_wave(b) ||
         in_list(b, iteration_marks, COUNT(iteration_marks)) ||
         in_list(b, postfix_marks, COUNT(postfix_marks))) &&
        !is_dash_ellipsis(a) && a != ' ' && !zp_brk_no_end(a, rules))
      brk[i] = ZP_BRK_ALLOW;
    /* Likewise a currency prefix before an ideograph (PR × ID). */
    if (brk[i] == ZP_BRK_NO && rules == ZP_BREAK_LOOSE &&
        in_list(a, currency_prefix, COUNT(currency_prefix)) &&
        (b >= 0x3400 && b <= 0x9FFF))
      brk[i] = ZP_BRK_ALLOW;
    if (brk[i] != ZP_BRK_ALLOW) {
      if (brk[i] != ZP_BRK_MUST)
        brk[i] = ZP_BRK_NO;
      continue;
    }
    if (zp_brk_no_start(b, rules) || zp_brk_no_end(a, rules) ||
        (a == b && is_dash_ellipsis(a)))
      brk[i] = ZP_BRK_NO;
  }
  bind_numbers(cp, n, o->bind_units, brk);
  bind_latin(cp, n, brk);
  if (o->ascii_breaks)
    weak_breaks(cp, n, rules, brk);
  brk[n - 1] = ZP_BRK_MUST;
}

/* ---- compression -------------------------------------------------------- */

void zp_brk_compress(const uint32_t *cp, const int32_t *adv, size_t n,
                     int32_t em, int32_t *squeeze) {
  for (size_t i = 0; i < n; i++)
    squeeze[i] = 0;
  for (size_t i = 0; i + 1 < n; i++) {
    zp_punct a = zp_brk_punct(cp[i]), b = zp_brk_punct(cp[i + 1]);
    if (a == ZP_PUNCT_NONE || b == ZP_PUNCT_NONE)
      continue;
    /* The blank between the two marks: a CLOSE mark's blank is on its
     * right, an OPEN mark's on its left.  Remove one half em of it. */
    size_t k;
    if (a == ZP_PUNCT_CLOSE)
      k = i; /* 。” ）、 ，“ ）（ 」・ */
    else if (b == ZP_PUNCT_OPEN)
      k = i + 1; /* 《“ （（ ・「 */
    else
      continue; /* “” （）: no blank between; ·· */
    if ((int64_t)adv[k] * 10 >= (int64_t)em * 9 && squeeze[k] == 0)
      squeeze[k] = em / 2;
  }
}

/* ---- fitting ------------------------------------------------------------ */

bool zp_brk_newline(uint32_t c) {
  return c == 0x0A || c == 0x0B || c == 0x0C || c == 0x0D || c == 0x85 ||
         c == 0x2028 || c == 0x2029;
}

/* Pause and stop marks: the ones compressed inside a line to push in. */
static bool pause_mark(uint32_t c) {
  return c == 0x3001 || c == 0xFF0C || c == 0x3002 || c == 0xFF0E ||
         c == 0xFF1B || c == 0xFF1A || c == 0xFF01 || c == 0xFF1F;
}

int32_t zp_brk_pushin_saving(uint32_t c, int32_t adv, int32_t em, bool final) {
  if ((int64_t)adv * 10 < (int64_t)em * 9)
    return 0;
  if (final ? zp_brk_punct(c) != ZP_PUNCT_CLOSE : !pause_mark(c))
    return 0;
  int32_t s = adv - em / 2;
  return s > em / 2 ? em / 2 : s;
}

/* The end of a line that must break a unit (no opportunity fits): the
 * last place among cp[s..i] that fits, preferring after a space, then a
 * place the (basic) kinsoku rules allow, then any code point boundary; at
 * least one code point. */
static size_t emergency_end(const uint32_t *cp, const int32_t *adv, size_t s,
                            size_t i, int64_t m) {
  size_t any = s, safe = SIZE_MAX, space = SIZE_MAX;
  int64_t w = zp_brk_newline(cp[s]) ? 0 : adv[s];
  for (size_t k = s; k < i; k++) {
    /* cp[s..k] fits: may the line end after k? */
    uint32_t a = cp[k], b = cp[k + 1];
    if (a == ' ' && b != ' ')
      space = k;
    else if (!zp_brk_no_start(b, ZP_BREAK_BASIC) &&
             !zp_brk_no_end(a, ZP_BREAK_BASIC) &&
             !(a == b && is_dash_ellipsis(a)))
      safe = k;
    /* does cp[k+1] fit too?  (a space or newline always does) */
    if (b != ' ' && !zp_brk_newline(b) && w + adv[k + 1] > m)
      break;
    if (!zp_brk_newline(b))
      w += adv[k + 1];
    any = k + 1;
  }
  if (space != SIZE_MAX)
    return space;
  if (safe != SIZE_MAX)
    return safe;
  return any;
}

/* One line of ZP_FIT_PUSHIN starting at s, measure m: returns its last
 * index; *sq gets its overflow. */
static size_t pushin_line(const uint32_t *cp, const int32_t *adv,
                          const char *brk, size_t s, size_t n, int32_t em,
                          int64_t m, int32_t *sq) {
  const int64_t slack = em > 0 ? em / 2 : 0;
  int64_t w = 0, wt = 0; /* width of s..i; without trailing spaces */
  size_t last = s;       /* last non-space code point */
  bool have_best = false;
  size_t best = s;
  int32_t best_sq = 0;
  int64_t cap = 0; /* what the marks of s..i can give by compression */
  size_t i = s;
  for (;; i++) {
    uint32_t c = cp[i];
    if (!zp_brk_newline(c)) {
      w += adv[i];
      if (c != ' ') {
        wt = w;
        last = i;
      }
    }
    bool must = brk[i] == ZP_BRK_MUST || i + 1 == n;
    if (must || brk[i] == ZP_BRK_ALLOW) {
      /* push in (one character's worth at most): the line-final mark,
       * then the pause marks inside the line, before pushing out */
      int64_t give = cap + zp_brk_pushin_saving(cp[last], adv[last], em, true);
      if (wt - give <= m && wt - m <= em) {
        have_best = true;
        best = i;
        best_sq = wt > m ? (int32_t)(wt - m) : 0;
      }
      if (must)
        break;
    }
    if (wt - cap > m + slack)
      break; /* no later opportunity can fit */
    /* cp[i] is inside the line from now on */
    if (!zp_brk_newline(c) && c != ' ')
      cap += zp_brk_pushin_saving(c, adv[i], em, false);
  }
  if (have_best) {
    *sq = best_sq;
    return best;
  }
  *sq = 0;
  return emergency_end(cp, adv, s, i, m);
}

/* What a full-width mark inside a line gives when Word pushes the line in:
 * half an em for an opening or closing mark at (nearly) full width. */
static int32_t inside_saving(uint32_t c, int32_t adv, int32_t em) {
  zp_punct p = zp_brk_punct(c);
  if ((p != ZP_PUNCT_OPEN && p != ZP_PUNCT_CLOSE) ||
      (int64_t)adv * 10 < (int64_t)em * 9)
    return 0;
  int32_t s = adv - em / 2;
  return s > em / 2 ? em / 2 : s;
}

/* How many of the last code points of cp[from..to) are the final marks a
 * pushed-in line keeps at full width: its trailing closing marks, two at
 * most. */
static size_t final_marks(const uint32_t *cp, size_t from, size_t to) {
  size_t k = 0;
  while (k < 2 && to - k > from &&
         zp_brk_punct(cp[to - k - 1]) == ZP_PUNCT_CLOSE)
    k++;
  return k;
}

/* No justification gap between two of these (as layout's narrow()). */
static bool narrow(uint32_t c) { return c > 0x20 && c < 0x2000; }

static int64_t span_width(const uint32_t *cp, const int32_t *adv, size_t from,
                          size_t to) {
  while (to > from && (cp[to - 1] == ' ' || zp_brk_newline(cp[to - 1])))
    to--;
  int64_t w = 0;
  for (size_t k = from; k < to; k++)
    if (!zp_brk_newline(cp[k]))
      w += adv[k];
  return w;
}

/* With ascii_breaks: when the line s..end, justified, would spread more
 * than a quarter em into each gap (the gap then shows as wider than half
 * an em between the inks: a gappy line), the furthest weak opportunity in
 * (end, last] (last: the end of the longest prefix that fits) ends it
 * instead. */
static size_t avoid_gaps(const uint32_t *cp, const int32_t *adv,
                         const char *brk, size_t s, size_t end, size_t last,
                         int32_t em, int64_t m) {
  size_t gaps = 0;
  for (size_t k = s; k < end; k++)
    gaps += !(narrow(cp[k]) && narrow(cp[k + 1]));
  if (gaps == 0)
    gaps = end - s;
  if (m - span_width(cp, adv, s, end + 1) <= (int64_t)gaps * (em / 4))
    return end;
  for (size_t k = last; k > end; k--)
    if (brk[k] == ZP_BRK_WEAK)
      return k;
  return end;
}

/* One line of ZP_FIT_WORD starting at s, measure m: returns its last index;
 * *sq gets its overflow (pushed in). */
static size_t word_line(const uint32_t *cp, const int32_t *adv, const char *brk,
                        size_t s, size_t n, int32_t em, int64_t m,
                        const zp_brk_opts *o, int32_t *sq) {
  int64_t w = 0;
  size_t p = s; /* the last code point of the longest prefix that fits */
  for (size_t i = s; i < n; i++) {
    uint32_t c = cp[i];
    if (!zp_brk_newline(c)) {
      w += adv[i];
      if (c != ' ' && w > m && i > s)
        break;
    }
    p = i;
    if (brk[i] == ZP_BRK_MUST)
      break;
  }
  *sq = 0;
  if (brk[p] == ZP_BRK_MUST || p + 1 == n)
    return p;
  if (brk[p] == ZP_BRK_ALLOW)
    return o->ascii_breaks ? avoid_gaps(cp, adv, brk, s, p, p, em, m) : p;
  size_t q = p + 1; /* the first code point that does not fit */
  if (zp_brk_punct(cp[q]) == ZP_PUNCT_CLOSE) {
    /* push in: keep it, and at most one more closing mark */
    size_t e = q;
    if (brk[e] != ZP_BRK_ALLOW && brk[e] != ZP_BRK_MUST && e + 1 < n &&
        zp_brk_punct(cp[e + 1]) == ZP_PUNCT_CLOSE)
      e++;
    if (brk[e] == ZP_BRK_ALLOW || brk[e] == ZP_BRK_MUST) {
      size_t inside = e + 1 - final_marks(cp, s, e + 1);
      int64_t cap = 0;
      for (size_t k = s; k < inside; k++)
        cap += inside_saving(cp[k], adv[k], em);
      int64_t over = span_width(cp, adv, s, e + 1) - m;
      if (over <= cap) {
        *sq = over > 0 ? (int32_t)over : 0;
        return e;
      }
    }
  }
  /* push out: the last opportunity before */
  for (size_t k = p; k-- > s;)
    if (brk[k] == ZP_BRK_ALLOW)
      return o->ascii_breaks ? avoid_gaps(cp, adv, brk, s, k, p, em, m) : k;
  for (size_t k = p; k-- > s;)
    if (brk[k] == ZP_BRK_WEAK)
      return k;
  return emergency_end(cp, adv, s, q, m);
}

size_t zp_brk_fit_brk(const uint32_t *cp, const int32_t *adv, const char *brk,
                      size_t n, int32_t em, int32_t first, int32_t measure,
                      const zp_brk_opts *o, size_t *ends, int32_t *endsqueeze,
                      uint8_t *kinds) {
  size_t nl = 0, s = 0;
  while (s < n) {
    int64_t m = nl == 0 ? first : measure;
    int32_t sq = 0;
    size_t end = o->fit == ZP_FIT_PUSHIN
                     ? pushin_line(cp, adv, brk, s, n, em, m, &sq)
                     : word_line(cp, adv, brk, s, n, em, m, o, &sq);
    ends[nl] = end + 1;
    endsqueeze[nl] += sq;
    if (kinds)
      kinds[nl] =
          end + 1 == n || brk[end] == ZP_BRK_ALLOW || brk[end] == ZP_BRK_MUST
              ? ZP_END_BREAK
          : brk[end] == ZP_BRK_WEAK ? ZP_END_WEAK
                                    : ZP_END_FORCED;
    nl++;
    s = end + 1;
  }
  return nl;
}

void zp_brk_squeeze_line(const uint32_t *cp, int32_t *adv, int32_t *squeeze,
                         size_t from, size_t to, int32_t em, int32_t need,
                         zp_fit fit) {
  size_t inside = fit == ZP_FIT_PUSHIN ? to : to - final_marks(cp, from, to);
  for (size_t i = inside; i-- > from && need > 0;) {
    int32_t give = fit == ZP_FIT_PUSHIN
                       ? zp_brk_pushin_saving(cp[i], adv[i], em, i + 1 == to)
                       : inside_saving(cp[i], adv[i], em);
    if (give > need)
      give = need;
    adv[i] -= give;
    squeeze[i] += give;
    need -= give;
  }
}

size_t zp_brk_fit(const uint32_t *cp, const int32_t *adv, size_t n, int32_t em,
                  int32_t first, int32_t measure, const zp_brk_opts *o,
                  size_t *ends, int32_t *endsqueeze, uint8_t *kinds) {
  if (n == 0)
    return 0;
  char local[2048];
  char *brk = n <= sizeof local ? local : malloc(n);
  if (!brk) {
    /* Out of memory: every position is a (poor) opportunity. */
    brk = local;
    size_t done = 0, nl = 0;
    while (done < n) {
      size_t k = n - done < sizeof local ? n - done : sizeof local;
      memset(brk, ZP_BRK_ALLOW, k);
      brk[k - 1] = ZP_BRK_MUST;
      size_t l = zp_brk_fit_brk(
          cp + done, adv + done, brk, k, em, nl == 0 ? first : measure, measure,
          o, ends + nl, endsqueeze + nl, kinds ? kinds + nl : NULL);
      for (size_t j = 0; j < l; j++)
        ends[nl + j] += done;
      nl += l;
      done += k;
    }
    return nl;
  }
  zp_brk_opportunities(cp, n, o, brk);
  size_t nl = zp_brk_fit_brk(cp, adv, brk, n, em, first, measure, o, ends,
                             endsqueeze, kinds);
  if (brk != local)
    free(brk);
  return nl;
}
