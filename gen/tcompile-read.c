/* tcompile-read.c — what the template compiler reads from attributes
 * (see tcompile-imp.h): where an attribute or an element is written (for
 * messages with file:line:col), "did you mean", alignments, numbers,
 * counts, lengths, font sizes, colours, URIs and expressions, each
 * checked where it is read.  Also the lengths, sizes and locations the
 * other template files use (zp_tmpl_length, zp_tmpl_at_attr, …).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "tcompile-imp.h"

/* ---- locations ---- */

/* Where attribute attr of n is written (its line and column: an element
 * may run over several lines); n's own line when it cannot be found. */
zp_loc tc_read_at_attr(comp *c, const zp_tnode *n, const char *attr) {
  return zp_tmpl_at_attr(c->d, n, attr);
}

zp_loc zp_tmpl_at_attr(zp_diag *d, const zp_tnode *n, const char *attr) {
  zp_loc at = n->loc;
  const char *v = zp_tmpl_attr(n, attr);
  char needle[160];
  /* with its value, so that the same attribute of a later element is
   * never taken for it */
  for (int q = 0; q < 2 && v && !at.col; q++) {
    snprintf(needle, sizeof needle, " %s=%c%.100s", attr, q ? '\'' : '"', v);
    at.line = n->loc.line;
    at.col = zp_diag_column(d, at.file, &at.line, needle);
  }
  if (at.col)
    at.col++; /* past the space */
  else
    at.line = n->loc.line;
  return at;
}

/* Where element n starts ("<table"), on its line. */
zp_loc tc_read_at_elem(comp *c, const zp_tnode *n) {
  zp_loc at = n->loc;
  char needle[80];
  snprintf(needle, sizeof needle, "<%s", n->name);
  int line = at.line;
  at.col = zp_diag_column(c->d, at.file, &line, needle);
  if (line != at.line)
    at.col = 0;
  return at;
}

/* Where element n starts, told from other elements of its name on its
 * line (<note>a<note>b…) by what follows the name: its first attribute,
 * or the start of its text; tc_read_at_elem() when that is not found. */
zp_loc tc_read_at_elem_exact(comp *c, const zp_tnode *n) {
  char needle[80];
  if (n->nattrs)
    snprintf(needle, sizeof needle, "<%s %s=\"%.40s", n->name, n->attrs[0].name,
             n->attrs[0].value);
  else if (n->child && !n->child->name && n->child->text[0] &&
           !strchr("\r\n", n->child->text[0]))
    snprintf(needle, sizeof needle, "<%s>%.40s", n->name, n->child->text);
  else
    return tc_read_at_elem(c, n);
  /* whole lines and characters only */
  needle[1 + strcspn(needle + 1, "\r\n&<")] = 0;
  size_t k = strlen(needle);
  while (k && ((unsigned char)needle[k - 1] & 0xC0) == 0x80)
    k--;
  if (k && (unsigned char)needle[k - 1] >= 0xC0)
    k--; /* a lead byte whose continuation was cut */
  needle[k] = 0;
  zp_loc at = n->loc;
  int line = at.line;
  at.col = zp_diag_column(c->d, at.file, &line, needle);
  if (!at.col || line != at.line)
    return tc_read_at_elem(c, n);
  return at;
}

/* "; did you mean \"x\"?" for the name among names nearest to word, or
 * "" (in buf). */
const char *tc_read_did_you_mean(const char *word, const char *const *names,
                                 int n, const char *open, const char *close,
                                 char *buf, size_t size) {
  const char *best = zp_diag_nearest(word, names, n);
  buf[0] = 0;
  if (best)
    snprintf(buf, size, "; did you mean %s%s%s?", open, best, close);
  return buf;
}

/* ---- numbers and lengths ---- */

/* left | center | right | justify (the schema allows no other value). */
zp_align tc_read_align(const char *v) {
  return strcmp(v, "center") == 0    ? ZP_ALIGN_CENTER
         : strcmp(v, "right") == 0   ? ZP_ALIGN_RIGHT
         : strcmp(v, "justify") == 0 ? ZP_ALIGN_JUSTIFY
                                     : ZP_ALIGN_LEFT;
}

/* A number as templates write it: an optional sign, digits, an optional
 * point and digits; no exponent, no "nan" or "inf", no hex, at most
 * ZP_MAX_NUMBER_CHARS characters, so the result is always finite.  Sets
 * *end past it; false (and *end = s) when there is none. */
bool tc_read_number(const char *s, double *out, const char **end) {
  const char *p = s;
  *end = s;
  if (*p == '-' || *p == '+')
    p++;
  const char *digits = p;
  while (*p >= '0' && *p <= '9')
    p++;
  bool intpart = p > digits;
  if (*p == '.') {
    p++;
    const char *frac = p;
    while (*p >= '0' && *p <= '9')
      p++;
    if (!intpart && p == frac)
      return false;
  } else if (!intpart) {
    return false;
  }
  if (p - s > ZP_MAX_NUMBER_CHARS)
    return false;
  char buf[ZP_MAX_NUMBER_CHARS + 1];
  memcpy(buf, s, (size_t)(p - s));
  buf[p - s] = 0;
  *out = strtod(buf, NULL);
  *end = p;
  return isfinite(*out);
}

/* A whole number in [min, max] (the schema has checked the digits, but
 * not the size: atoi would overflow). */
bool tc_read_count(const char *s, long min, long max, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE || v < min || v > max)
    return false;
  *out = (int)v;
  return true;
}

/* An integer attribute of n with its default, checked against [min, max];
 * an error at n's line names the range. */
int tc_read_count_attr(comp *c, const zp_tnode *n, const char *key, long min,
                       long max, int dflt) {
  const char *v = zp_tmpl_attr(n, key);
  int r = dflt;
  if (v && !tc_read_count(v, min, max, &r)) {
    zp_error(c->d, tc_read_at_attr(c, n, key),
             "%s=\"%.40s\": expected a whole number from %ld to %ld", key, v,
             min, max);
    return dflt;
  }
  return r;
}

/* A length: "37mm", "1.5cm", "16pt", "2em", "1line", "0".  em is the size
 * of an em in pt.  Returns false when malformed, or longer than the
 * largest page (ZP_MAX_LENGTH) either way. */
bool tc_read_length(const char *s, double em, double line, double *out) {
  const char *end;
  double v;
  if (!tc_read_number(s, &v, &end))
    return false;
  while (*end == ' ')
    end++;
  if (strcmp(end, "mm") == 0)
    v *= MM;
  else if (strcmp(end, "cm") == 0)
    v *= 10 * MM;
  else if (strcmp(end, "pt") == 0 || (*end == 0 && v == 0))
    ;
  else if (strcmp(end, "em") == 0)
    v *= em;
  else if (strcmp(end, "line") == 0 || strcmp(end, "lines") == 0)
    v *= line;
  else
    return false;
  if (!isfinite(v) || fabs(v) > ZP_MAX_LENGTH)
    return false;
  *out = v;
  return true;
}

bool zp_tmpl_length(const char *s, double em, double line, double *out) {
  return tc_read_length(s, em, line, out);
}

bool zp_tmpl_number(const char *s, double *out) {
  const char *end;
  return tc_read_number(s, out, &end) && *end == 0;
}

/* A font size: a 号 name or a number of pt. */
bool tc_read_size(const char *s, double *out) {
  static const struct {
    const char *name;
    double pt;
  } hao[] = {{"初号", 42},  {"小初", 36},  {"一号", 26},   {"小一", 24},
             {"二号", 22},  {"小二", 18},  {"三号", 16},   {"小三", 15},
             {"四号", 14},  {"小四", 12},  {"五号", 10.5}, {"小五", 9},
             {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},  {"八号", 5}};
  for (size_t i = 0; i < sizeof hao / sizeof *hao; i++)
    if (strcmp(s, hao[i].name) == 0) {
      *out = hao[i].pt;
      return true;
    }
  const char *end;
  double v;
  if (!tc_read_number(s, &v, &end) || v < ZP_MIN_FONT_SIZE ||
      v > ZP_MAX_FONT_SIZE || (*end && strcmp(end, "pt") != 0))
    return false;
  *out = v;
  return true;
}

bool zp_tmpl_font_size(const char *s, double *out) {
  return tc_read_size(s, out);
}

/* A colour "#RRGGBB" (six hex digits). */
bool tc_read_color(const char *s, uint32_t *out) {
  if (s[0] != '#' || strlen(s) != 7)
    return false;
  uint32_t v = 0;
  for (int i = 1; i < 7; i++) {
    char ch = s[i];
    int d = ch >= '0' && ch <= '9'   ? ch - '0'
            : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
            : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                     : -1;
    if (d < 0)
      return false;
    v = v << 4 | (uint32_t)d;
  }
  *out = v;
  return true;
}

const char *zp_tmpl_uri_problem(const char *u) {
  size_t n = strlen(u);
  if (n == 0)
    return "a link needs a URL";
  if (n > ZP_MAX_TEXT_STRING)
    return "the URL is too long";
  for (const unsigned char *p = (const unsigned char *)u; *p; p++)
    if (*p <= ' ' || *p >= 0x7F)
      return "a URL is printable ASCII without spaces (write other "
             "characters %-encoded)";
  const char *rest = NULL;
  if (strncmp(u, "http://", 7) == 0)
    rest = u + 7;
  else if (strncmp(u, "https://", 8) == 0)
    rest = u + 8;
  else if (strncmp(u, "mailto:", 7) == 0)
    return strchr(u + 7, '@') && u[7] != '@'
               ? NULL
               : "a mailto: URL needs an address (mailto:name@example.org)";
  else
    return "a link's URL starts with http://, https:// or mailto:";
  if (!*rest || *rest == '/' || *rest == '?' || *rest == '#')
    return "the URL has no host (https://example.org/…)";
  return NULL;
}

/* ---- attributes and expressions ---- */

/* Attribute name of n, or NULL. */
const zp_tattr *tc_read_attr(const zp_tnode *n, const char *name) {
  for (int i = 0; i < n->nattrs; i++)
    if (strcmp(n->attrs[i].name, name) == 0)
      return &n->attrs[i];
  return NULL;
}

/* An expression of the template (a computed field, a <check>, a test),
 * parsed now, so that a malformed one is an error whatever the data; NULL
 * after the error. */
const zp_expr *tc_read_expr(comp *c, zp_loc at, const char *expr,
                            const char *what) {
  char err[512];
  size_t col = 0;
  const zp_expr *e =
      zp_expr_parse(c->a, expr, c->t->nbands, err, sizeof err, &col);
  if (!e) {
    char shown[96];
    size_t n = strlen(expr);
    if (n < sizeof shown)
      memcpy(shown, expr, n + 1);
    else {
      n = sizeof shown - 4; /* room for "…" */
      while (n && ((unsigned char)expr[n] & 0xC0) == 0x80)
        n--;
      memcpy(shown, expr, n);
      memcpy(shown + n, "…", 4);
    }
    if (strcmp(what, "test") == 0)
      zp_error(c->d, at, "<if test=\"%s\">: %s", shown, err);
    else
      zp_error(c->d, at, "cannot compute {=%s}: %s", shown, err);
  }
  return e;
}

/* Every computed field's expression, parsed. */
void tc_read_fields(comp *c, const zp_tfield *f, int n) {
  for (int i = 0; i < n; i++)
    if (f[i].expr)
      ((zp_tfield *)&f[i])->cexpr = tc_read_expr(c, f[i].loc, f[i].expr, "");
}
