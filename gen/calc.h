/* calc.h — computed values: a small expression language over the data.
 *
 *   EXPR := TERM (("+" | "-") TERM)*
 *   TERM := FACTOR (("*" | "/") FACTOR)*
 *   FACTOR := NUMBER | PATH | "-" FACTOR | "(" EXPR ")" | NAME "(" ARGS ")"
 *
 * Functions: sum(PATH) — PATH may hold [*] to run over an array's elements;
 * round(x, n) — half up; min(…), max(…); ratio(a, b) = a ÷ b × 100;
 * grade(x) — the label of the band x falls in (a text result).
 * Paths are looked up through a callback, so this module knows nothing of
 * the data's representation.  Parentheses, unary minus signs and calls
 * nest at most ZP_CALC_MAX_DEPTH (bounds.h) deep, and a number literal has
 * at most 40 characters: past either the expression is an error.
 */
#ifndef ZP_CALC_H
#define ZP_CALC_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { ZP_CALC_OK, ZP_CALC_MISSING, ZP_CALC_TYPE } zp_calc_status;

/* Looks up the len bytes of path.  With many, the path may contain [*]
 * and *out is the sum of the numbers it reaches (absent and null members
 * skipped); without, it must reach one number.  On failure writes a short
 * explanation into err. */
typedef zp_calc_status (*zp_calc_lookup)(void *ctx, const char *path,
                                         size_t len, bool many, double *out,
                                         char *err, size_t errsize);

/* A grade band: scores >= min get label (bands sorted by min, highest
 * first). */
typedef struct zp_calc_band {
  double min;
  const char *label;
} zp_calc_band;

typedef struct zp_calc_env {
  zp_calc_lookup lookup;
  void *ctx;
  const zp_calc_band *bands;
  int nbands;
} zp_calc_env;

/* Evaluates expr.  On success sets *num, and *text when the result is a
 * grade label (else *text = NULL), and returns true; on failure writes the
 * reason into err and returns false. */
bool zp_calc_eval(const char *expr, const zp_calc_env *env, double *num,
                  const char **text, char *err, size_t errsize);

/* Checks expr without data (at template load): its syntax, nesting,
 * functions and their numbers of arguments, and that grade() has bands
 * (nbands of them).  True when it is well formed; else the reason in err.
 * Values are not known, so division by zero and the like are left to
 * zp_calc_eval. */
bool zp_calc_check(const char *expr, int nbands, char *err, size_t errsize);

/* x rounded half up to places decimals (via its decimal text). */
double zp_calc_round(double x, int places);

#endif
