/* brk.h — Chinese line breaking: where a line may end, and how text fits.
 *
 * Break opportunities come from libunibreak (UAX #14), tailored with the
 * clreq rules and the Word zh-CN kinsoku lists of LAYOUT.md: no prohibited
 * character at a line start or end, two-em marks (——, ……) never split, a
 * number never parted from its unit, sign or percent, Latin words broken
 * only at spaces or hyphens.  Line fitting pushes in (compresses the
 * line's full-width marks toward half width, the line-final one first)
 * before pushing out.  libunibreak's types
 * never leave brk.c.
 */
#ifndef ZP_BRK_H
#define ZP_BRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

enum { ZP_BRK_MUST = 0, ZP_BRK_ALLOW = 1, ZP_BRK_NO = 2 };

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
 * At every level: ——/…… never split, a number never parted from its sign,
 * percent or unit (18,335.56万元, 99.66%, ≥95%, 2023 年), no break inside
 * a run of ASCII graphic characters except after a hyphen.  A newline
 * (U+000A, U+2028, ...) gives a ZP_BRK_MUST after it. */

/* For the n code points of text, sets brk[i] to ZP_BRK_MUST / ALLOW / NO for
 * a break after cp[i] (brk[n-1] is MUST: the end of the text). */
void zp_brk_opportunities(const uint32_t *cp, size_t n, zp_break_rules rules,
                          char *brk);

/* Whether cp may not begin a line / may not end a line under rules (the
 * kinsoku lists above; numbers and Latin words are not looked at). */
bool zp_brk_no_start(uint32_t cp, zp_break_rules rules);
bool zp_brk_no_end(uint32_t cp, zp_break_rules rules);

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

/* Adjacent-mark compression: for each i, squeeze[i] is how much (in the
 * units of adv) the advance of cp[i] is reduced when it sits next to
 * another full-width mark (。” ）、 ”，: the pair takes 1.5 em).  adv is the
 * natural advance; em is the size of one em in the same units. */
void zp_brk_compress(const uint32_t *cp, const int32_t *adv, size_t n,
                     int32_t em, int32_t *squeeze);

/* Fits text into lines.  adv[i]: advance of cp[i] (squeeze already taken
 * off); em: one em in the same units; first: width of the first line;
 * measure: width of the others.  Writes the end (one past the last index)
 * of each line into ends (room for n entries).  Push in before push out: a
 * line may overflow by what its full-width marks give when compressed to
 * half width (zp_brk_pushin_saving); the overflow to take up is added to
 * endsqueeze[line] (room for n entries, zeroed by the caller), and the
 * caller compresses the line's marks by that much, the line-final mark
 * first.  A unit wider than a whole line is broken where it must be,
 * and never loses text.  Returns the number of lines (0 for n == 0). */
/* What compressing cp (advance adv) to half width gives when pushing in:
 * up to em/2 for a full-width mark not already compressed -- at the end of
 * a line (final) any closing mark, inside it only the pause and stop marks
 * 、，。．；：！？ (brackets and quotes keep their width) -- else 0. */
int32_t zp_brk_pushin_saving(uint32_t cp, int32_t adv, int32_t em, bool final);

size_t zp_brk_fit(const uint32_t *cp, const int32_t *adv, size_t n, int32_t em,
                  int32_t first, int32_t measure, zp_break_rules rules,
                  size_t *ends, int32_t *endsqueeze);

/* zp_brk_fit with the opportunities already computed (brk as written by
 * zp_brk_opportunities for the same cp and n; brk[n-1] is taken as MUST).
 * Details common to both:
 *  - Greedy first fit, O(n) for non-negative advances: each line takes the
 *    last opportunity whose width fits.  Trailing spaces (U+0020) of a line
 *    do not count against the measure; a newline (U+000A, U+000D, U+2028,
 *    U+2029, ...) belongs to the line it ends and counts zero width.
 *  - Push in before push out: if a line ending at an opportunity overflows
 *    by no more than one em and than what its marks save when set at half
 *    width (zp_brk_pushin_saving: the line-final closing mark, and the
 *    pause marks inside the line), it is kept, and the overflow is added to
 *    endsqueeze[line]; otherwise the line ends at an earlier opportunity.
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
                      size_t *ends, int32_t *endsqueeze);

#endif
