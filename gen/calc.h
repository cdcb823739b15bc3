/* calc.h — the expression language: computed fields {=…}, <if test>,
 * <check>.  An expression is parsed once, when the template loads
 * (zp_expr_parse: syntax, functions, arguments and the types that are
 * known without data), and evaluated against each data file
 * (zp_expr_eval).  The grammar, lowest precedence first:
 *
 *   EXPR    := OR ("?" EXPR ":" EXPR)?
 *   OR      := AND (("or" | "||") AND)*
 *   AND     := NOT (("and" | "&&") NOT)*
 *   NOT     := ("not" | "!") NOT | CMP
 *   CMP     := SUM (("==" | "!=" | "<" | "<=" | ">" | ">=") SUM)?
 *   SUM     := TERM (("+" | "-") TERM)*
 *   TERM    := UNARY (("*" | "/") UNARY)*
 *   UNARY   := "-" UNARY | PRIMARY
 *   PRIMARY := NUMBER | STRING | "true" | "false" | "null" | "(" EXPR ")"
 *            | NAME "(" ARGS ")" | PATH
 *   PATH    := NAME ("." NAME | "[" INDEX "]")*
 *   INDEX   := digits | "*" | EXPR      (a computed index or key)
 *
 * NUMBER is decimal (no exponent, at most 40 characters); STRING is in
 * '…' or "…".  A PATH's first NAME is a loop variable or macro parameter
 * (innermost first), else a member of the data's root.  [*] runs over an
 * array's elements and only stands inside sum() and count().
 * Functions: sum(PATH) (numbers reached, absent and null skipped; none: 0),
 * count(PATH) (values reached that are true), len(x) (elements of an
 * array, members of an object, characters of a string), round(x, n) (half
 * up), min(…), max(…), ratio(a, b) = a ÷ b × 100, grade(x) (the label of
 * x's band, a string), if(c, a, b).
 *
 * Values are null, booleans, numbers, strings, or arrays and objects of
 * the data.  Truth is that of <if>: absent, null, false, "", [] and {} are
 * false, everything else (also 0) true.  and/or/?:/if() evaluate only what
 * they need.  == and != compare any two values (numbers by value, strings
 * byte for byte, an absent member equals null); < <= > >= compare two
 * numbers or two strings; arithmetic takes numbers.  An absent member
 * where a number is needed is an error naming the data's line:col.
 * Nesting (parentheses, unary signs, calls) is limited to
 * ZP_CALC_MAX_DEPTH, the operators of one expression to ZP_CALC_MAX_OPS
 * (bounds.h).
 */
#ifndef ZP_CALC_H
#define ZP_CALC_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "json.h"

typedef struct zp_expr zp_expr;

typedef enum {
  ZP_VAL_NULL, /* null, or absent (then data is NULL and absent true) */
  ZP_VAL_BOOL,
  ZP_VAL_NUMBER,
  ZP_VAL_STRING,
  ZP_VAL_DATA /* an array or object of the data */
} zp_val_type;

typedef struct zp_val {
  zp_val_type type;
  bool boolean;
  double number;
  const char *string;
  const zp_json *data; /* the data value it is; NULL when computed */
  bool absent;         /* a path that reached nothing */
} zp_val;

/* A grade band: scores >= min get label (bands sorted by min, highest
 * first). */
typedef struct zp_calc_band {
  double min;
  const char *label;
} zp_calc_band;

/* The value of the variable named by the len bytes of name, or NULL when
 * no loop variable or macro parameter has that name. */
typedef const zp_json *(*zp_calc_var)(void *ctx, const char *name, size_t len);

typedef struct zp_calc_env {
  const zp_json_doc *data; /* the root, and files for messages */
  zp_calc_var var;
  void *ctx;
  const zp_calc_band *bands;
  int nbands;
  long *steps; /* the binder's budget: one per value reached; NULL: none */
} zp_calc_env;

/* Parses text into the arena a; nbands is the number of grade bands (for
 * grade()).  NULL after a malformed expression: the reason in err and the
 * byte offset in text where it was found in *col (may be NULL). */
zp_expr *zp_expr_parse(zp_arena *a, const char *text, int nbands, char *err,
                       size_t errsize, size_t *col);

/* Evaluates e.  True with the value in *out; false with the reason in err
 * (the budget spent: *env->steps < 0).  Nothing is allocated: strings point
 * into the data or the expression. */
bool zp_expr_eval(const zp_expr *e, const zp_calc_env *env, zp_val *out,
                  char *err, size_t errsize);

/* What an expression needs of a data path it reads, as far as the parse
 * tells (for zpgen schema).  types: the ZP_USE_* kinds of value that the
 * expression accepts there; needed: an absent value (or, where types has
 * no ZP_USE_NULL, a null one) stops the evaluation with an error;
 * always: read whenever the expression is evaluated, not only in a branch
 * of and, or, ?: or if(). */
enum {
  ZP_USE_NULL = 1,
  ZP_USE_BOOL = 2,
  ZP_USE_NUMBER = 4,
  ZP_USE_STRING = 8,
  ZP_USE_ARRAY = 16,
  ZP_USE_OBJECT = 32,
  ZP_USE_ANY = 63
};

typedef struct zp_expr_use {
  const char *path; /* "a.b[0].c", "rows[*].score": names, [N] and [*];
                       a lookup by a computed key ends it (the path up to
                       it is then an array or object) */
  unsigned types;
  bool needed, always;
} zp_expr_use;

typedef void (*zp_expr_use_fn)(void *ctx, const zp_expr_use *use);

/* Calls fn once for each data path e reads, in the order written, with
 * what e needs of it.  want: the ZP_USE_* kinds the caller accepts as e's
 * value (a numeric formatter: ZP_USE_NUMBER); needed: the caller stops on
 * an absent value (a computed field, a check).  path points into a buffer
 * valid during the call only; paths longer than 1 KB are not reported.
 * Allocates nothing; recursion is bounded by the parser's limits. */
void zp_expr_uses(const zp_expr *e, unsigned want, bool needed,
                  zp_expr_use_fn fn, void *ctx);

/* True when e is a bare path (<if test="x">: "x exists and is not empty"). */
bool zp_expr_is_path(const zp_expr *e);

/* The truth of v (see above). */
bool zp_val_true(const zp_val *v);

/* x rounded half up to places decimals (via its decimal text). */
double zp_calc_round(double x, int places);

#endif
