/* test_fmt.c — formatters: rounding at the halves, grouping, numerals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"

static const char *dec(const char *in, int places, bool group) {
  static char out[128];
  if (!zp_fmt_decimal(in, places, group, out, sizeof out))
    return "(false)";
  return out;
}

static void decimal_rounds_half_up(void **state) {
  (void)state;
  assert_string_equal(dec("0.125", 2, false), "0.13");
  assert_string_equal(dec("2.675", 2, false), "2.68"); /* binary gives 2.67 */
  assert_string_equal(dec("0.005", 2, false), "0.01");
  assert_string_equal(dec("0.0049", 2, false), "0.00");
  assert_string_equal(dec("-0.125", 2, false), "-0.13");
  assert_string_equal(dec("-0.001", 2, false), "0.00"); /* no "-0.00" */
  assert_string_equal(dec("99.995", 2, false), "100.00");
  assert_string_equal(dec("9.5", 0, false), "10");
  assert_string_equal(dec("16", 2, false), "16.00");
  assert_string_equal(dec("0", 2, false), "0.00");
}

static void decimal_groups_thousands(void **state) {
  (void)state;
  assert_string_equal(dec("18335.56", 2, true), "18,335.56");
  assert_string_equal(dec("234060587.05", 2, true), "234,060,587.05");
  assert_string_equal(dec("999.999", 2, true), "1,000.00");
  assert_string_equal(dec("100", 0, true), "100");
  assert_string_equal(dec("-1234567", 0, true), "-1,234,567");
}

static void decimal_rejects_non_numbers(void **state) {
  (void)state;
  assert_string_equal(dec("1e3", 2, false), "(false)");
  assert_string_equal(dec("12a", 2, false), "(false)");
  assert_string_equal(dec("", 2, false), "(false)");
  assert_string_equal(dec("1,000", 2, false), "(false)");
}

static void places_and_doubles(void **state) {
  (void)state;
  assert_int_equal(zp_fmt_places("99.66"), 2);
  assert_int_equal(zp_fmt_places("16"), 0);
  char b[64];
  zp_fmt_double(0.1 + 0.2, b, sizeof b);
  assert_string_equal(b, "0.3");
  zp_fmt_double(-0.0, b, sizeof b);
  assert_string_equal(b, "0");
}

static void chinese_numerals(void **state) {
  (void)state;
  char b[64];
  static const struct {
    long n;
    const char *s;
  } cases[] = {{1, "一"},         {10, "十"},        {11, "十一"},
               {20, "二十"},      {21, "二十一"},    {100, "一百"},
               {105, "一百零五"}, {110, "一百一十"}, {1001, "一千零一"},
               {0, "零"}};
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    assert_true(zp_fmt_cn(cases[i].n, b, sizeof b));
    assert_string_equal(b, cases[i].s);
  }
  assert_false(zp_fmt_cn(-1, b, sizeof b));
  assert_true(zp_fmt_cn_digits(2023, b, sizeof b));
  assert_string_equal(b, "二〇二三");
}

static void dates(void **state) {
  (void)state;
  char b[64];
  assert_true(zp_fmt_date("2024-03-01", b, sizeof b));
  assert_string_equal(b, "2024年3月1日");
  assert_true(zp_fmt_date("2024-02-29", b, sizeof b));
  assert_false(zp_fmt_date("2023-02-29", b, sizeof b));
  assert_false(zp_fmt_date("2023-13-01", b, sizeof b));
  assert_false(zp_fmt_date("2023-1-1", b, sizeof b));
  assert_false(zp_fmt_date("2024-+3-01", b, sizeof b));
  assert_false(zp_fmt_date("-001-03-01", b, sizeof b));
  assert_false(zp_fmt_date("2024- 3-01", b, sizeof b));
}

static const char *num(const char *name, const char *arg, const char *raw) {
  static char out[128];
  if (!zp_fmt_number(name, arg, raw, out, sizeof out))
    return "(false)";
  return out;
}

static void field_formatters(void **state) {
  (void)state;
  /* money: two decimals and separators by default */
  assert_string_equal(num("money", NULL, "234060587.05"), "234,060,587.05");
  assert_string_equal(num("money", NULL, "0.125"), "0.13");
  assert_string_equal(num("money", NULL, "2.675"), "2.68");
  assert_string_equal(num("money", NULL, "0.005"), "0.01");
  assert_string_equal(num("money", NULL, "-1234.5"), "-1,234.50");
  assert_string_equal(num("money", NULL, "0"), "0.00");
  assert_string_equal(num("money", "0", "1234.5"), "1,235");
  assert_string_equal(num("money", "4", "1.5"), "1.5000");
  /* percent: decimals as written unless given */
  assert_string_equal(num("percent", NULL, "99.66"), "99.66%");
  assert_string_equal(num("percent", NULL, "100"), "100%");
  assert_string_equal(num("percent", "1", "99.666"), "99.7%");
  assert_string_equal(num("percent", "2", "99.665"), "99.67%");
  assert_string_equal(num("percent", "0", "-0.4"), "0%");
  /* num: as written, no separators */
  assert_string_equal(num("num", NULL, "1234567.891"), "1234567.891");
  assert_string_equal(num("num", "2", "19.995"), "20.00");
  /* int: no separators unless asked */
  assert_string_equal(num("int", NULL, "1234.5"), "1235");
  assert_string_equal(num("int", ",", "1234567.49"), "1,234,567");
  assert_string_equal(num("int", NULL, "-2.5"), "-3");
  /* Chinese numerals of integers only */
  assert_string_equal(num("cn", NULL, "21"), "二十一");
  assert_string_equal(num("cn", NULL, "105.0"), "一百零五");
  assert_string_equal(num("cn", NULL, "2.5"), "(false)");
  assert_string_equal(num("cn", NULL, "-1"), "(false)");
  assert_string_equal(num("cn", NULL, "100000"), "(false)");
  assert_string_equal(num("cn-digits", NULL, "2023"), "二〇二三");
  /* not numeric, bad arguments */
  assert_string_equal(num("date", NULL, "2023"), "(false)");
  assert_string_equal(num("money", "x", "1"), "(false)");
  assert_string_equal(num("money", "13", "1"), "(false)");
  assert_string_equal(num("money", NULL, "abc"), "(false)");
}

static void formatter_names_and_arguments(void **state) {
  (void)state;
  static const char *const known[] = {"money", "percent",   "num", "int",
                                      "cn",    "cn-digits", "date"};
  for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
    assert_true(zp_fmt_known(known[i]));
    assert_non_null(strstr(ZP_FMT_NAMES, known[i]));
  }
  assert_false(zp_fmt_known("Money"));
  assert_false(zp_fmt_known("cn-digit"));
  assert_false(zp_fmt_known(""));
  assert_false(zp_fmt_known(NULL));
  assert_true(zp_fmt_numeric("cn"));
  assert_false(zp_fmt_numeric("date"));
  assert_null(zp_fmt_check_arg("money", NULL));
  assert_null(zp_fmt_check_arg("money", "0"));
  assert_null(zp_fmt_check_arg("percent", "12"));
  assert_non_null(zp_fmt_check_arg("percent", "-1"));
  assert_non_null(zp_fmt_check_arg("num", ""));
  assert_null(zp_fmt_check_arg("int", ","));
  assert_non_null(zp_fmt_check_arg("int", "2"));
  assert_non_null(zp_fmt_check_arg("date", "long"));
  assert_non_null(zp_fmt_check_arg("cn", "1"));
}

/* Footnote markers: circled to 50, then the number; brackets. */
static void note_markers(void **state) {
  (void)state;
  char b[32];
  bool circ;
  assert_true(zp_fmt_note_marker(0, 1, b, sizeof b, &circ));
  assert_string_equal(b, "①");
  assert_true(circ);
  assert_true(zp_fmt_note_marker(0, 20, b, sizeof b, NULL));
  assert_string_equal(b, "⑳");
  assert_true(zp_fmt_note_marker(0, 21, b, sizeof b, NULL));
  assert_string_equal(b, "㉑");
  assert_true(zp_fmt_note_marker(0, 35, b, sizeof b, NULL));
  assert_string_equal(b, "㉟");
  assert_true(zp_fmt_note_marker(0, 36, b, sizeof b, NULL));
  assert_string_equal(b, "㊱");
  assert_true(zp_fmt_note_marker(0, 50, b, sizeof b, NULL));
  assert_string_equal(b, "㊿");
  assert_true(zp_fmt_note_marker(0, 51, b, sizeof b, &circ));
  assert_string_equal(b, "51");
  assert_false(circ);
  assert_true(zp_fmt_note_marker(1, 7, b, sizeof b, NULL));
  assert_string_equal(b, "7");
  assert_true(zp_fmt_note_marker(2, 12, b, sizeof b, NULL));
  assert_string_equal(b, "[12]");
  assert_false(zp_fmt_note_marker(1, 0, b, sizeof b, NULL));
  assert_false(zp_fmt_note_marker(1, 1, b, 4, NULL));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(decimal_rounds_half_up),
      cmocka_unit_test(decimal_groups_thousands),
      cmocka_unit_test(decimal_rejects_non_numbers),
      cmocka_unit_test(places_and_doubles),
      cmocka_unit_test(chinese_numerals),
      cmocka_unit_test(dates),
      cmocka_unit_test(field_formatters),
      cmocka_unit_test(formatter_names_and_arguments),
      cmocka_unit_test(note_markers),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
