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
static zp_calc_status look(void *ctx, const char *path, size_t len, bool many,
                           double *out, char *err, size_t size) {
  (void)ctx;
  char p[64];
  snprintf(p, sizeof p, "%.*s", (int)len, path);
  if (strcmp(p, "a") == 0)
    *out = 3;
  else if (strcmp(p, "b") == 0)
    *out = 4;
  else if (strcmp(p, "z") == 0)
    *out = 0;
  else if (strcmp(p, "r.x") == 0)
    *out = 22295.25;
  else if (strcmp(p, "r.y") == 0)
    *out = 35126.07;
  else if (many && strcmp(p, "list[*].v") == 0)
    *out = 10;
  else if (strcmp(p, "s") == 0) {
    snprintf(err, size, "s is not a number");
    return ZP_CALC_TYPE;
  } else {
    snprintf(err, size, "no %s", p);
    return ZP_CALC_MISSING;
  }
  return ZP_CALC_OK;
}

static const zp_calc_band bands[] = {
    {90, "优"}, {80, "良"}, {60, "中"}, {0, "差"}};
static const zp_calc_env env = {look, NULL, bands, 4};

static double eval(const char *e) {
  double v;
  const char *t;
  char err[256];
  if (!zp_calc_eval(e, &env, &v, &t, err, sizeof err))
    fail_msg("%s: %s", e, err);
  return v;
}

static const char *error_of(const char *e) {
  static char err[256];
  double v;
  const char *t;
  err[0] = 0;
  if (zp_calc_eval(e, &env, &v, &t, err, sizeof err))
    return "(no error)";
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
    double v;
    const char *t = NULL;
    char err[128];
    assert_true(zp_calc_eval(cases[i].e, &env, &v, &t, err, sizeof err));
    assert_non_null(t);
    assert_string_equal(t, cases[i].label);
  }
}

static void errors(void **state) {
  (void)state;
  assert_string_equal(error_of("a / z"), "division by zero");
  assert_string_equal(error_of("ratio(a, z)"), "ratio() of a zero denominator");
  assert_string_equal(error_of("nosuch + 1"), "no nosuch");
  assert_string_equal(error_of("s * 2"), "s is not a number");
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

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(arithmetic_and_precedence),
      cmocka_unit_test(functions),
      cmocka_unit_test(grades_by_band),
      cmocka_unit_test(errors),
      cmocka_unit_test(nesting_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
