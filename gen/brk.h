/* brk.h — Chinese line breaking: where a line may end, and how text fits.
 *
 * Break opportunities come from libunibreak (UAX #14), tailored with the
 * clreq rules and the Word zh-CN kinsoku lists of LAYOUT.md: no prohibited
 * character at a line start or end, two-em marks (——, ……) never split, a
 * number kept whole with its sign and percent, Latin words broken only at
 * spaces or hyphens.  Line fitting follows the bureaus' Word by default
 * (ZP_FIT_WORD, see zp_brk_fit_brk); clreq's "push in before push out"
 * (ZP_FIT_PUSHIN) is an option.  libunibreak's types never leave brk.c.
 */
#ifndef ZP_BRK_H
#define ZP_BRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

/* A break after a code point: must, may, may not, or only to avoid a gappy
 * line (ZP_BRK_WEAK: inside a long run of ASCII, after an operator or a
 * slash or before an opening bracket; see zp_brk_opts.ascii_breaks). */
enum { ZP_BRK_MUST = 0, ZP_BRK_ALLOW = 1, ZP_BRK_NO = 2, ZP_BRK_WEAK = 3 };

/* How a text is broken (a style's settings, doc.h). */
typedef struct zp_brk_opts {
  zp_break_rules rules; /* kinsoku strictness */
  zp_fit fit;           /* ZP_FIT_WORD or ZP_FIT_PUSHIN */
  bool bind_units;      /* a number never parted from its Han unit */
  bool ascii_breaks;    /* ZP_BRK_WEAK opportunities, used when a line would
                           otherwise stretch more than a quarter em into
                           each gap (narrow cells, off the grid) */
} zp_brk_opts;

/* Strictness (zp_break_rules, see brk.c for the full lists):
 *  - ZP_BREAK_BASIC: never at a line start the closing brackets and quotes,
 *    、，。．：；！？, ·・, …‥, —―⸺⸻, ％‰‱℃℉°′″¢,
 *    々〻ゝゞヽヾ 〃, 〜～ and ASCII , . ; : ! ? ) ] } %;
 *    never at a line end the opening brackets and quotes, ASCII ( [ { and
 *    the currency prefixes $ £ ¥ ￥ ＄ ￡ €.
 *  - ZP_BREAK_STRICT: BASIC, and also no small kana or ー at a start.
 *  - ZP_BREAK_LOOSE: BASIC, but a line may start with a postfix (％‰℃°...),
 *    an iteration mark, a wave dash, a middle dot, a —— or a …… (never
 *    split), and end with a currency prefix.
 * At every level: ——/…… never split, a number never parted from its sign
 * or percent (99.66%, ≥95%) -- nor, with bind_units, from its Han unit
 * (18,335.56万元, 2023 年; Word lets a unit begin the next line) -- and no
 * break inside a run of ASCII graphic characters except after a hyphen.  A
 * newline (U+000A, U+2028, ...) gives a ZP_BRK_MUST after it. */

/* For the n code points of text, sets brk[i] to ZP_BRK_MUST / ALLOW / NO /
 * WEAK for a break after cp[i] (brk[n-1] is MUST: the end of the text). */
void zp_brk_opportunities(const uint32_t *cp, size_t n, const zp_brk_opts *o,
                          char *brk);

/* Whether cp may not begin a line / may not end a line under rules (the
 * kinsoku lists above; numbers and Latin words are not looked at). */
bool zp_brk_no_start(uint32_t cp, zp_break_rules rules);
bool zp_brk_no_end(uint32_t cp, zp_break_rules rules);

/* Whether cp ends a line (U+000A..U+000D, U+0085, U+2028, U+2029): a
 * hard break, of no width, not drawn.  "\r\n" is one break (UAX #14). */
bool zp_brk_newline(uint32_t cp);

/* Whether cp takes a whole character cell on the grid (East Asian Wide and
 * Fullwidth, and the Ambiguous marks a Chinese text sets wide: “ ” — …);
 * other characters take half a cell, a space a quarter. */
bool zp_brk_wide(uint32_t cp);

/* Whether cp belongs to a formula run (ASCII graphic characters, ÷ ×),
 * inside which only weak breaks are possible. */
bool zp_brk_formula_char(uint32_t cp);

/* What kind of punctuation cp is, for compression and justification. */
typedef enum {
  ZP_PUNCT_NONE,
  ZP_PUNCT_OPEN,  /* （ “ 《 ... : its ink sits on the right half */
  ZP_PUNCT_CLOSE, /* ） ” 》 ，。、；： ... : ink on the left half */
  ZP_PUNCT_MIDDLE /* · ・ ‧ ･: ink in the middle, a quarter em blank
                     each side (mainland style puts ：；！？ in the left
                     half, so they are CLOSE) */
} zp_punct;
zp_punct zp_brk_punct(uint32_t cp);

/* Adjacent-mark compression (the squeeze-pairs option): for each i,
 * squeeze[i] is how much (in the units of adv) the advance of cp[i] is
 * reduced when it sits next to another full-width mark (。” ）、 ”，: the pair
 * takes 1.5 em).  adv is the natural advance; em is the size of one em in
 * the same units. */
void zp_brk_compress(const uint32_t *cp, const int32_t *adv, size_t n,
                     int32_t em, int32_t *squeeze);

/* Fits text into lines.  adv[i]: advance of cp[i] (any pair squeeze
 * already taken off); em: one em in the same units; first: width of the
 * first line; measure: width of the others.  Writes the end (one past the
 * last index) of each line into ends (room for n entries).  A line that
 * overflows its measure (pushed in) gets the overflow added to
 * endsqueeze[line] (room for n entries, zeroed by the caller); the caller
 * takes it from the line's marks with zp_brk_squeeze_line.  kinds (room
 * for n entries, may be NULL) gets how each line ended (ZP_END_*).  A unit
 * wider than a whole line is broken where it must be, and never loses
 * text.
 * Returns the number of lines (0 for n == 0). */
size_t zp_brk_fit(const uint32_t *cp, const int32_t *adv, size_t n, int32_t em,
                  int32_t first, int32_t measure, const zp_brk_opts *o,
                  size_t *ends, int32_t *endsqueeze, uint8_t *kinds);

/* How a line ended, in kinds[line] (when kinds is not NULL): at an
 * opportunity (or the text's end), at a weak break inside a formula run,
 * or where it had to (a unit wider than the line). */
enum { ZP_END_BREAK = 0, ZP_END_WEAK = 1, ZP_END_FORCED = 2 };

/* zp_brk_fit with the opportunities already computed (brk as written by
 * zp_brk_opportunities for the same cp and n; brk[n-1] is taken as MUST).
 * Details common to both:
 *  - ZP_FIT_WORD: a line takes the longest prefix that fits.  If the break
 *    there is not allowed because the next character may not start a line
 *    (，。）” ...), the line keeps it -- and at most one more such closing
 *    mark -- when the full-width marks inside the line can give the
 *    overflow at half an em each (the kept marks keep their width);
 *    otherwise, and for any other forbidden break (inside a number, after
 *    an opening mark), the line ends at the last earlier opportunity (push
 *    out).  Never a mark compressed to let an ordinary character in, never
 *    hanging punctuation.  With ascii_breaks, a line whose slack would
 *    exceed a quarter em per gap ends instead at the furthest fitting WEAK
 *    opportunity, if there is one.
 *  - ZP_FIT_PUSHIN: a line ending at an opportunity is kept if it
 *    overflows by no more than one em and than what its marks save at half
 *    width (zp_brk_pushin_saving: the line-final closing mark, and the
 *    pause marks inside the line); otherwise it ends earlier.
 *  - Trailing spaces (U+0020) of a line do not count against the measure;
 *    a newline (U+000A, U+000D, U+2028, U+2029, ...) belongs to the line it
 *    ends and counts zero width.  O(n) for non-negative advances.
 *  - Emergency: when no opportunity fits (a unit wider than the line), the
 *    line ends at the last place that fits, preferring after a space, then
 *    a place the basic kinsoku lists allow (not before ， % . etc.), then
 *    any code point boundary; at least one code point per line.
 *  - zp_brk_fit keeps the opportunities on the stack up to 2048 code points
 *    and mallocs n bytes once above that (freed before it returns); if that
 *    fails it still fits the text, with every boundary as an opportunity.
 *  - A trailing newline gives no empty last line ("a\n" is one line). */
size_t zp_brk_fit_brk(const uint32_t *cp, const int32_t *adv, const char *brk,
                      size_t n, int32_t em, int32_t first, int32_t measure,
                      const zp_brk_opts *o, size_t *ends, int32_t *endsqueeze,
                      uint8_t *kinds);

/* What compressing cp (advance adv) to half width gives in ZP_FIT_PUSHIN:
 * up to em/2 for a full-width mark not already compressed -- at the end of
 * a line (final) any closing mark, inside it only the pause and stop marks
 * 、，。．；：！？ (brackets and quotes keep their width) -- else 0. */
int32_t zp_brk_pushin_saving(uint32_t cp, int32_t adv, int32_t em, bool final);

/* Takes need (the line's endsqueeze) from the marks of the line
 * cp[from..to) (to: one past its last drawn code point) as fit does:
 * ZP_FIT_WORD from the full-width marks inside the line, the last first,
 * half an em each, the line's final closing marks keeping their width;
 * ZP_FIT_PUSHIN from the line-final mark first, then the pause marks.
 * Lowers adv[i] and raises squeeze[i] by what each mark gives. */
void zp_brk_squeeze_line(const uint32_t *cp, int32_t *adv, int32_t *squeeze,
                         size_t from, size_t to, int32_t em, int32_t need,
                         zp_fit fit);

#endif
