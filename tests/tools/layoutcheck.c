/* layoutcheck — checks layout dumps (gen/laycheck.c, also behind
 * `zpgen check --layout`).
 *
 *   layoutcheck DUMP...
 *
 * Reports, with the dump's file and line:
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
 * The prohibition lists are LAYOUT.md's, kept here on purpose apart from
 * the line breaker's own tables: this is the independent check.
 * Prints "layoutcheck: N findings in M lines"; exits 1 when N > 0.
 */
#include <stdio.h>

#include "laycheck.h"

int main(int argc, char **argv) {
  int findings = 0, lines = 0;
  for (int a = 1; a < argc; a++) {
    FILE *f = fopen(argv[a], "r");
    if (!f) {
      perror(argv[a]);
      return 2;
    }
    int n = 0;
    findings += zp_laycheck(f, argv[a], stdout, &n);
    lines += n;
    fclose(f);
  }
  printf("layoutcheck: %d findings in %d lines\n", findings, lines);
  return findings ? 1 : 0;
}
