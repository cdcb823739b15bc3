/* test_calc.c — the expression language, with a table of numbers as data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "calc.h"

/* data: a = 3, b = 4, z = 0, list[*].v = 1.5 + 2.5 + 6, s is text */
static const char data_text[] =
    "{\"a\": 3, \"b\": 4, \"z\": 0, \"r\": {\"x\": 22295.25, \"y\": "
    "35126.07}, \"list\": [{\"v\": 1.5, \"ok\": true}, {\"v\": 2.5, "
    "\"ok\": false}, {\"v\": 6, \"ok\": true}, {\"v\": null}], \"s\": "
    "\"text\", \"none\": [{\"v\": null}, {}], \"tables\": {\"t1\": "
    "{\"n\": 7}}, \"blk\": {\"table\": \"t1\", \"level\": 2}, \"names\": "
    "[\"甲\", \"乙丙\"]}";

static const zp_calc_band bands[] = {
    {90, "优"}, {80, "良"}, {60, "中"}, {0, "差"}};
static zp_json_doc *data;
static zp_arena *arena;
static zp_calc_env env;

static int setup(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(stderr);
  data = zp_json_parse(data_text, sizeof data_text - 1, "d.json", d);
  zp_diag_free(d);
  arena = zp_arena_new();
  env = (zp_calc_env){data, NULL, NULL, bands, 4, NULL};
  return data && arena ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  zp_json_free(data);
  zp_arena_free(arena);
  return 0;
}

static zp_val value(const char *text) {
  char err[512];
  zp_expr *e = zp_expr_parse(arena, text, 4, err, sizeof err, NULL);
  if (!e)
    fail_msg("%s: %s", text, err);
  zp_val v;
  if (!zp_expr_eval(e, &env, &v, err, sizeof err))
    fail_msg("%s: %s", text, err);
  return v;
}

static double eval(const char *text) {
  zp_val v = value(text);
  if (v.type != ZP_VAL_NUMBER)
    fail_msg("%s: not a number", text);
  return v.number;
}

static bool truth(const char *text) {
  zp_val v = value(text);
  return zp_val_true(&v);
}

/* The message of the first error, parsing or evaluating. */
static const char *error_of(const char *text) {
  static char err[512];
  err[0] = 0;
  zp_expr *e = zp_expr_parse(arena, text, 4, err, sizeof err, NULL);
  if (!e)
    return err;
  zp_val v;
  if (zp_expr_eval(e, &env, &v, err, sizeof err))
    return v.absent ? err : "(no error)";
  return err;
}

static void arithmetic_and_precedence(void **state) {
  (void)state;
  assert_true(eval("1 + 2 * 3") == 7);
  assert_true(eval("(1 + 2) * 3") == 9);
  assert_true(eval("a * b - 2") == 10);
  assert_true(eval("-a + 10 / 4") == -0.5);
  assert_true(eval("sum(list[*].v)") == 10);
}

static void functions(void **state) {
  (void)state;
  assert_true(eval("round(ratio(r.x, r.y), 2)") == 63.47);
  assert_true(eval("round(2.675, 2)") == 2.68); /* half up, decimally */
  assert_true(eval("round(0.125, 2)") == 0.13);
  assert_true(eval("round(-0.125, 2)") == -0.13);
  assert_true(eval("min(a, b, 1)") == 1);
  assert_true(eval("max(a, b)") == 4);
  assert_true(eval("ratio(a, b)") == 75);
}

static void grades_by_band(void **state) {
  (void)state;
  static const struct {
    const char *e, *label;
  } cases[] = {{"grade(90)", "优"},    {"grade(89.99)", "良"},
               {"grade(80)", "良"},    {"grade(79.99)", "中"},
               {"grade(60)", "中"},    {"grade(59.99)", "差"},
               {"grade(a * 30)", "优"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    zp_val v = value(cases[i].e);
    assert_int_equal(v.type, ZP_VAL_STRING);
    assert_string_equal(v.string, cases[i].label);
  }
}

static void errors(void **state) {
  (void)state;
  assert_string_equal(error_of("a / z"), "division by zero");
  assert_string_equal(error_of("ratio(a, z)"), "ratio() of a zero denominator");
  assert_string_equal(error_of("nosuch + 1"),
                      "the data has no nosuch (d.json:1:1: $ has no "
                      "\"nosuch\")");
  assert_string_equal(error_of("s * 2"),
                      "s (d.json:1:162) is a string, not a number");
  assert_non_null(strstr(error_of("frob(1)"), "unknown function \"frob\""));
  assert_non_null(strstr(error_of("(1 + 2"), "expected \")\""));
  assert_non_null(strstr(error_of("1 +"), "ends too soon"));
  assert_non_null(strstr(error_of("1 2"), "unexpected \"2\""));
  assert_string_equal(error_of("round(1)"), "round() takes two arguments");
  assert_string_equal(error_of("round(2.5, 100)"),
                      "round() takes 0 to 12 decimals");
  assert_string_equal(
      error_of("max(1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17)"),
      "a function takes at most 16 arguments");
  assert_non_null(strstr(error_of("0x10"), "unexpected \"x10\""));
  /* types known at load */
  assert_string_equal(error_of("'a' + 1"), "\"+\" takes numbers, not a string");
  assert_string_equal(error_of("1 < 'b'"),
                      "an ordering compares two numbers or two strings, not "
                      "a number and a string");
  assert_string_equal(error_of("a = 1"),
                      "\"=\" is not an operator: compare with \"==\"");
  assert_string_equal(error_of("list[*].v + 1"),
                      "[*] stands only inside sum() or count()");
  assert_string_equal(error_of("if(a, 1)"), "if() takes three arguments");
  assert_string_equal(error_of("a ? 1"),
                      "an expression ends too soon: expected \":\"");
  assert_string_equal(error_of("round(a, 13)"),
                      "round() takes 0 to 12 decimals");
  assert_string_equal(error_of("s > 1"),
                      "s (d.json:1:162) is a string, not a number");
  assert_string_equal(error_of("10000000000000000000000000000000000000000 + 1"),
                      "a number of more than 40 characters");
}

/* Nesting: 64 levels work; 20,000 parentheses, minus signs or calls are
 * refused with a message, not a stack overflow. */
static char *repeat3(const char *open, int n, const char *mid,
                     const char *close) {
  size_t lo = strlen(open), lm = strlen(mid), lc = strlen(close);
  char *s = malloc(lo * (size_t)n + lm + lc * (size_t)n + 1), *p = s;
  for (int i = 0; i < n; i++, p += lo)
    memcpy(p, open, lo);
  memcpy(p, mid, lm);
  p += lm;
  for (int i = 0; i < n; i++, p += lc)
    memcpy(p, close, lc);
  *p = 0;
  return s;
}

static void nesting_depth(void **state) {
  (void)state;
  char *ok = repeat3("(", 60, "a", ")");
  assert_true(eval(ok) == 3);
  free(ok);
  char *minus = repeat3("-", 62, "a", "");
  assert_true(eval(minus) == 3);
  free(minus);
  const char *open[] = {"(", "-", "max(", "(-"};
  const char *close[] = {")", "", ")", ")"};
  for (int k = 0; k < 4; k++) {
    char *deep = repeat3(open[k], 20000, "1", close[k]);
    assert_non_null(strstr(error_of(deep), "deeper than 64 levels"));
    free(deep);
  }
}

static void comparisons_logic_and_conditions(void **state) {
  (void)state;
  assert_true(truth("a == 3 and b != 3"));
  assert_true(truth("a < b and b <= 4 and b > a and a >= 3"));
  assert_false(truth("a > b or nosuch"));
  assert_false(truth("not z")); /* as in <if>: every number, 0 too, is true */
  assert_true(truth("not (z > 0)"));
  assert_true(truth("!(a == 4) && (z || b)"));
  assert_true(truth("s == 'text' and s != \"x\""));
  assert_true(truth("'abc' < 'abd'"));
  assert_true(truth("nosuch == null")); /* absent equals null */
  assert_false(truth("nosuch"));
  assert_true(truth("1 + 2 * 3 == 7 and -a == 0 - 3"));
  assert_true(eval("a > b ? 1 : 2") == 2);
  assert_true(eval("a < b ? 1 : z ? 3 : 4") == 1);
  assert_true(eval("if(z > 0, 1 / z, 5)") == 5); /* only what is needed */
  assert_false(truth("nosuch and 1 / z"));
  assert_true(truth("a or nosuch.x > 1"));
  zp_val v = value("a > 1 ? 'many' : 'one'");
  assert_string_equal(v.string, "many");
  assert_true(truth("0.1 + 0.2 == 0.3")); /* numbers compare decimally */
}

static void count_len_and_lookups(void **state) {
  (void)state;
  assert_true(eval("count(list[*].ok)") == 2);
  assert_true(eval("len(list)") == 4);
  assert_true(eval("len(s)") == 4);
  assert_true(eval("len(names[1])") == 2); /* characters, not bytes */
  assert_true(eval("len(r)") == 2);
  assert_true(eval("len(nosuch)") == 0);
  assert_true(eval("tables[blk.table].n") == 7);
  assert_true(eval("list[blk.level].v") == 6);
  assert_true(eval("list[a - 1].v") == 6);
  assert_true(eval("sum(none[*].v)") == 0); /* nothing stated: 0 */
  assert_true(eval("sum(nosuch[*].v)") == 0);
  assert_true(eval("count(nosuch[*])") == 0);
  assert_true(truth("count(list[*].ok) < len(list)"));
  zp_val v = value("names[0]");
  assert_string_equal(v.string, "甲");
  assert_true(value("tables[s]").absent);
  assert_string_equal(error_of("list[s].v"),
                      "the data has no list[s].v (d.json:1:71: $.list has no "
                      "\"text\")");
  assert_string_equal(error_of("list[-1]"),
                      "an index is a whole number 0 or more, or a key (a "
                      "string), not a number");
}

/* zp_expr_uses: each path read, with what the expression needs of it */
typedef struct uses_log {
  char text[1024];
} uses_log;

static void log_use(void *ctx, const zp_expr_use *u) {
  uses_log *l = ctx;
  size_t n = strlen(l->text);
  snprintf(l->text + n, sizeof l->text - n, "%s%s:%s%s%s%s%s%s%s%s",
           n ? " " : "", u->path, u->types == ZP_USE_ANY ? "any" : "",
           u->types != ZP_USE_ANY && (u->types & ZP_USE_NUMBER) ? "n" : "",
           u->types != ZP_USE_ANY && (u->types & ZP_USE_STRING) ? "s" : "",
           u->types != ZP_USE_ANY && (u->types & ZP_USE_ARRAY) ? "a" : "",
           u->types != ZP_USE_ANY && (u->types & ZP_USE_OBJECT) ? "o" : "",
           u->types != ZP_USE_ANY && (u->types & ZP_USE_NULL) ? "0" : "",
           u->needed ? "!" : "", u->always ? "" : "?");
}

static const char *uses_of(const char *text, unsigned want, bool needed) {
  static uses_log l;
  char err[256];
  zp_expr *e = zp_expr_parse(arena, text, 4, err, sizeof err, NULL);
  assert_non_null(e);
  l.text[0] = 0;
  zp_expr_uses(e, want, needed, log_use, &l);
  return l.text;
}

static void paths_and_what_they_need(void **state) {
  (void)state;
  /* arithmetic: numbers, needed; a bare path: what the caller wants */
  assert_string_equal(uses_of("r.x / r.y * 100", ZP_USE_ANY, true),
                      "r.x:n! r.y:n!");
  assert_string_equal(uses_of("a", ZP_USE_NUMBER, true), "a:n!");
  /* orderings: the other side's type, or a number or a string */
  assert_string_equal(uses_of("a > 3 and s < 'x'", ZP_USE_ANY, false),
                      "a:n! s:s!?");
  assert_string_equal(uses_of("a >= b", ZP_USE_ANY, false), "a:ns! b:ns!");
  /* equality: the other side's type or null, never needed */
  assert_string_equal(uses_of("s == 'x' or a != 2", ZP_USE_ANY, false),
                      "s:s0 a:n0?");
  /* sum: numbers or null through [*]; count: anything; len: a collection */
  assert_string_equal(uses_of("sum(list[*].v) + count(list[*].ok) + len(names)",
                              ZP_USE_ANY, true),
                      "list[*].v:n0 list[*].ok:any names:sao0");
  /* branches are not always read */
  assert_string_equal(uses_of("z ? a + 1 : if(b, s, 0)", ZP_USE_ANY, true),
                      "z:any a:n!? b:any? s:any!?");
  /* a computed key: the path before it is an array or object, the key a
   * number or string, the rest unknown */
  assert_string_equal(uses_of("tables[blk.table].n", ZP_USE_NUMBER, true),
                      "tables:ao! blk.table:ns!");
  assert_string_equal(uses_of("list[2].v + round(a, 1)", ZP_USE_ANY, true),
                      "list[2].v:n! a:n!");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arithmetic_and_precedence),
      cmocka_unit_test(functions),
      cmocka_unit_test(grades_by_band),
      cmocka_unit_test(errors),
      cmocka_unit_test(nesting_depth),
      cmocka_unit_test(comparisons_logic_and_conditions),
      cmocka_unit_test(count_len_and_lookups),
      cmocka_unit_test(paths_and_what_they_need),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
