/* laycheck.h — the layout checker: a layout dump (--dump-layout) read
 * against the rules of Chinese typesetting, independently of the line
 * breaker.  It reports, with the dump's line:
 *   - a line that starts with a character prohibited at a line start, or
 *     ends with one prohibited at a line end;
 *   - a number split across two lines of a paragraph (digits, their
 *     separators, sign or percent parted -- a Han unit may begin the next
 *     line, as in Word), except at a weak break;
 *   - a break inside a run of ASCII (a formula, a URL, a number) other
 *     than after a hyphen or at a typed space (" space"), unless the dump
 *     marks the line before " weak" (off the grid only, after an operator
 *     or before an opening bracket); a line marked " forced" (a unit wider
 *     than the line, split where it must be) is exempt from these rules;
 *   - in a line with a compressed mark (the dump's "ink=" extents), a
 *     full-width mark whose ink comes closer to its neighbour's than 0.02
 *     em (—— and …… excepted: they join);
 *   - a justified style's line, other than a paragraph's last or one ending
 *     at a hard line break, that is not set to the full measure within
 *     0.1 pt;
 *   - a line of a grid style whose top is off the page's line grid;
 *   - a page that ends with a line that keeps with the next (a heading's
 *     " keep") or with a table's caption;
 *   - a footnote marker (a line's "notes=N") whose note does not begin on
 *     the same page (no "line note=N" there other than a " cont" one).
 * Used by `zpgen check --layout` and tests/tools/layoutcheck. */
#ifndef ZP_LAYCHECK_H
#define ZP_LAYCHECK_H

#include <stdio.h>

/* Reads the dump f (named name in the findings) to its end and writes each
 * finding to out as "NAME:LINE: what: the line's text".  Returns the number
 * of findings; *nlines (may be NULL): the text lines checked. */
int zp_laycheck(FILE *f, const char *name, FILE *out, int *nlines);

#endif
