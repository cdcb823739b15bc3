/* fmt.h — formatters for numbers, dates and Chinese numerals.
 *
 * Pure functions: text in, text out, into a caller's buffer.  Rounding is
 * half up on the decimal digits as written, so "0.125" rounds to "0.13" and
 * "2.675" to "2.68" (binary floating point would give 2.67).
 */
#ifndef ZP_FMT_H
#define ZP_FMT_H

#include <stdbool.h>
#include <stddef.h>

/* Rounds the decimal number in text ("-1234.565", "1e3" is not accepted)
 * half up (away from zero) to places decimals and writes it with exactly
 * that many decimals; with group, thousands are separated by commas.
 * Returns false when text is not a plain decimal number. */
bool zp_fmt_decimal(const char *text, int places, bool group, char *out,
                    size_t size);

/* The decimal text of a double, exact enough for rounding to 6 places. */
void zp_fmt_double(double v, char *out, size_t size);

/* Decimals written in a number's text: "99.66" → 2, "16" → 0. */
int zp_fmt_places(const char *text);

/* Chinese numerals for 0 ≤ n < 100000: 1 一, 10 十, 11 十一, 20 二十,
 * 105 一百零五.  Returns false out of range. */
bool zp_fmt_cn(long n, char *out, size_t size);

/* Digit by digit: 2023 → 二〇二三. */
bool zp_fmt_cn_digits(long n, char *out, size_t size);

/* "2024-03-01" → "2024年3月1日"; false when not a valid date. */
bool zp_fmt_date(const char *iso, char *out, size_t size);

#endif
