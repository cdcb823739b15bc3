/* brk.h — Chinese line breaking: where a line may end, and how text fits.
 *
 * Break opportunities come from libunibreak (UAX #14), tailored with the
 * clreq rules and the Word zh-CN kinsoku lists of LAYOUT.md: no prohibited
 * character at a line start or end, two-em marks (——, ……) never split, a
 * number never parted from its unit, sign or percent, Latin words broken
 * only at spaces or hyphens.  Line fitting pushes in (sets a line-final
 * full-width mark at half width) before pushing out.  libunibreak's types
 * never leave brk.c.
 */
#ifndef ZP_BRK_H
#define ZP_BRK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "doc.h"

enum { ZP_BRK_MUST = 0, ZP_BRK_ALLOW = 1, ZP_BRK_NO = 2 };

/* For the n code points of text, sets brk[i] to ZP_BRK_MUST / ALLOW / NO for
 * a break after cp[i] (brk[n-1] is MUST: the end of the text). */
void zp_brk_opportunities(const uint32_t *cp, size_t n, zp_break_rules rules,
                          char *brk);

/* What kind of punctuation cp is, for compression and justification. */
typedef enum {
  ZP_PUNCT_NONE,
  ZP_PUNCT_OPEN,   /* （ “ 《 ... : its ink sits on the right half */
  ZP_PUNCT_CLOSE,  /* ） ” 》 ，。、；： ... : ink on the left half */
  ZP_PUNCT_MIDDLE  /* · ： ； when centred ... */
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
 * of each line into ends (room for n entries) and, for lines ending in a
 * full-width closing mark that had to be set at half width to fit (pushed
 * in), adds the saving to endsqueeze[line] (room for n entries, zeroed by
 * the caller).  A unit wider than a whole line is broken where it must be,
 * and never loses text.  Returns the number of lines (0 for n == 0). */
size_t zp_brk_fit(const uint32_t *cp, const int32_t *adv, size_t n,
                  int32_t em, int32_t first, int32_t measure,
                  zp_break_rules rules, size_t *ends, int32_t *endsqueeze);

#endif
