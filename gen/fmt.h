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

/* A footnote marker's text for note number n ≥ 1 in the marker style
 * style (a zp_marker_style of doc.h: 0 circled ①…㊿, 1 a number, 2 a
 * number in brackets [n]); a circled number past 50 falls back to the
 * number.  Sets *circled (may be NULL) to whether the text is a circled
 * digit.  False when n < 1 or out is too small. */
bool zp_fmt_note_marker(int style, long n, char *out, size_t size,
                        bool *circled);

/* ---- the formatters of template fields ({path|name:arg}) ----
 *
 *   money[:N]    N decimals (2), thousands separated: 234,060,587.05
 *   percent[:N]  value in percent units, decimals as written or N: 99.66%
 *   num[:N]      as written, or rounded to N decimals; no separators
 *   int[:,]      rounded to an integer; with ",", thousands separated
 *   cn           Chinese numeral of an integer 0…99999: 二十一
 *   cn-digits    digit by digit: 二〇二三
 *   date         a string "YYYY-MM-DD": 2024年3月1日
 *
 * Shared by the template loader (which rejects unknown names and bad
 * arguments), the binder and checking tools. */

/* The names, for messages. */
#define ZP_FMT_NAMES "money, percent, num, int, cn, cn-digits, date"

/* True when name is one of the formatters above. */
bool zp_fmt_known(const char *name);

/* True when the formatter takes a number (all but date). */
bool zp_fmt_numeric(const char *name);

/* NULL when arg (may be NULL: none) is a valid argument of the known
 * formatter name, else a static explanation ("decimals from 0 to 12"). */
const char *zp_fmt_check_arg(const char *name, const char *arg);

/* Formats the number written as raw (a JSON number's text, "18335.56")
 * with the numeric formatter name and its argument (NULL: none) into out.
 * Returns false when the formatter is not numeric, the argument is bad, or
 * the number is out of the formatter's range (cn of 2.5 or of -1). */
bool zp_fmt_number(const char *name, const char *arg, const char *raw,
                   char *out, size_t size);

#endif
