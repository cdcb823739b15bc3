/* textcheck — does every text of the data appear in the PDF's text, in
 * order?
 *
 *   textcheck [--cells] DATA.json TEXT.txt
 *
 * TEXT.txt is pdftotext's output.  White space is removed from both sides
 * and folios ("— 3 —", "- 3 -") are dropped from the text, so a paragraph
 * that crosses a page still matches.  Every string value of the data is
 * looked for, in the data's order, each after the previous match; members
 * named in the SKIP list (meta data the report does not print) are skipped.
 * Texts inside a member named "table" are table cells: they may be split
 * over pages and are looked for in pieces, anywhere; --cells treats every
 * text so (a form that is all tables).
 * Prints each string not found; exits 1 if any.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"

static const char *skip[] = {"department", "date", "source", "name", NULL};

static char *squeeze(const char *s) {
  size_t n = strlen(s);
  char *o = malloc(n + 1), *q = o;
  for (const char *p = s; *p; p++)
    if (*p != ' ' && *p != '\n' && *p != '\t' && *p != '\f' && *p != '\r')
      *q++ = *p;
  *q = 0;
  /* drop folios: an em dash or hyphen, digits, the same mark */
  static const char *marks[] = {"\xE2\x80\x94", "-"};
  for (int m = 0; m < 2; m++) {
    size_t ml = strlen(marks[m]);
    char *r = o, *w = o;
    while (*r) {
      if (strncmp(r, marks[m], ml) == 0) {
        char *d = r + ml;
        while (*d >= '0' && *d <= '9')
          d++;
        if (d > r + ml && strncmp(d, marks[m], ml) == 0) {
          r = d + ml;
          continue;
        }
      }
      *w++ = *r++;
    }
    *w = 0;
  }
  return o;
}

static int failures, checked;
static bool all_cells;

/* Is v inside a member named "table"? */
static bool in_table(const zp_json *v) {
  for (const zp_json *p = v; p; p = p->parent)
    if (p->key && strcmp(p->key, "table") == 0)
      return true;
  return false;
}

/* Can s be found as at most 6 pieces of 3 bytes or more, each after the
 * previous one? */
static bool pieces(const char *text, const char *s) {
  const char *at = text;
  size_t len = strlen(s);
  for (int piece = 0; piece < 6 && len; piece++) {
    /* the longest prefix of s found at or after at */
    size_t best = 0;
    const char *where = NULL;
    size_t lo = len < 3 ? len : 3, hi = len;
    char *buf = malloc(len + 1);
    while (lo <= hi) {
      size_t mid = (lo + hi) / 2;
      memcpy(buf, s, mid);
      buf[mid] = 0;
      const char *h = strstr(at, buf);
      if (h) {
        best = mid;
        where = h;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    free(buf);
    if (!best)
      return false;
    at = where + best;
    s += best;
    len -= best;
  }
  return len == 0;
}

static void walk(const zp_json *v, const char *text, const char **at) {
  if (v->key)
    for (int i = 0; skip[i]; i++)
      if (strcmp(v->key, skip[i]) == 0)
        return;
  if (v->type == ZP_JSON_STRING) {
    char *s = squeeze(v->string);
    if (*s && (all_cells || in_table(v))) {
      /* a cell: its text may be split over pages, so it is looked for
       * in pieces, in order, anywhere in the text */
      checked++;
      if (!pieces(text, s)) {
        char path[256];
        printf("MISSING %s (line %d): %s\n", zp_json_path(v, path, sizeof path),
               v->line, v->string);
        failures++;
      }
    } else if (*s) {
      checked++;
      const char *hit = strstr(*at, s);
      if (!hit) {
        char path[256];
        const char *anywhere = strstr(text, s);
        printf("%s %s (line %d): %s\n", anywhere ? "OUT OF ORDER" : "MISSING",
               zp_json_path(v, path, sizeof path), v->line, v->string);
        failures++;
      } else {
        *at = hit + strlen(s);
      }
    }
    free(s);
  }
  for (const zp_json *c = v->child; c; c = c->next)
    walk(c, text, at);
}

int main(int argc, char **argv) {
  if (argc == 4 && strcmp(argv[1], "--cells") == 0) {
    all_cells = true;
    argv++;
    argc--;
  }
  if (argc != 3) {
    fprintf(stderr, "usage: textcheck [--cells] DATA.json TEXT.txt\n");
    return 2;
  }
  zp_diag *d = zp_diag_new(stderr);
  zp_json_doc *doc = zp_json_load_file(argv[1], d);
  FILE *f = fopen(argv[2], "rb");
  if (!doc || !f)
    return 2;
  fseek(f, 0, SEEK_END);
  long n = ftell(f);
  fseek(f, 0, SEEK_SET);
  char *raw = calloc(1, (size_t)n + 1);
  if (fread(raw, 1, (size_t)n, f) != (size_t)n)
    return 2;
  fclose(f);
  char *text = squeeze(raw);
  const char *at = text;
  walk(doc->root, text, &at);
  printf("textcheck: %d of %d texts found in order\n", checked - failures,
         checked);
  free(text);
  free(raw);
  zp_json_free(doc);
  zp_diag_free(d);
  return failures ? 1 : 0;
}
