/* tcompile.c — the template compiler (see tmpl-imp.h).
 *
 * Runs once per template, after tmpl.c has converted and gathered it, in
 * this order (each step needs the ones before):
 *   1. the page: every <page> in document order, checked, pitches derived;
 *   2. the styles: the last <style> of each name wins; every one resolved
 *      along its parents (cycles and bad values reported at its line);
 *   3. style references: every name an element gives that no <style>
 *      defines, at that element, once, whatever the data;
 *   4. the folio, the numbering levels, the grade bands, the font roles;
 *   5. every node: its kind and its attributes parsed into zp_tnode.as,
 *      <use> bound to its <define>, each expression checked (calc.h).
 * Nothing here reads data: the binder (bind.c) evaluates what is left.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "calc.h"
#include "tmpl-imp.h"

#define MM (72.0 / 25.4)
/* Styles of one template: the official sheet has 20; a name defined
 * twice takes two slots (the later wins). */
#define MAX_STYLES 128
/* <use> parameters: a macro is a paragraph pattern, not a function. */
#define MAX_PARAMS 16

typedef struct named_style {
  const char *name;
  const zp_tnode *node;
  zp_style *resolved;
  bool resolving, failed;
} named_style;

typedef struct comp {
  zp_template *t;
  zp_diag *d;
  zp_arena *a;
  named_style styles[MAX_STYLES];
  const char *style_names[MAX_STYLES]; /* for "did you mean" */
  int nstyles;
  int errors; /* zp_diag_errors() at the start */
  /* what each <define> holds (content_class), computed once: -1 while it
   * is being computed (a macro that uses itself) */
  const zp_tnode *class_def[512];
  int class_of[512];
  int nclass;
  /* inline elements around the node being compiled, and whether a note or
   * a link is among them */
  int inline_depth;
  bool in_note, in_link;
  /* the elements with an id and the <ref>s, checked against each other
   * once every node is compiled */
  const zp_tnode **ids, **refs;
  size_t nids, capids, nrefs, caprefs;
  zp_page_setup raw_page; /* the sheet's page before its pitches are derived
                             (a part's page starts from it) */
  const zp_tnode *sheet_folio; /* the <folio> in force, or NULL */
} comp;

static bool is(const zp_tnode *n, const char *name) {
  return n->name && strcmp(n->name, name) == 0;
}

static bool yes(const char *v) { return v && strcmp(v, "yes") == 0; }

/* Where attribute attr of n is written (its line and column: an element
 * may run over several lines); n's own line when it cannot be found. */
static zp_loc at_attr(comp *c, const zp_tnode *n, const char *attr) {
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
static zp_loc at_elem(comp *c, const zp_tnode *n) {
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
 * or the start of its text; at_elem() when that is not found. */
static zp_loc at_elem_exact(comp *c, const zp_tnode *n) {
  char needle[80];
  if (n->nattrs)
    snprintf(needle, sizeof needle, "<%s %s=\"%.40s", n->name, n->attrs[0].name,
             n->attrs[0].value);
  else if (n->child && !n->child->name && n->child->text[0] &&
           !strchr("\r\n", n->child->text[0]))
    snprintf(needle, sizeof needle, "<%s>%.40s", n->name, n->child->text);
  else
    return at_elem(c, n);
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
    return at_elem(c, n);
  return at;
}

/* "; did you mean \"x\"?" for the name among names nearest to word, or
 * "" (in buf). */
static const char *did_you_mean(const char *word, const char *const *names,
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
static zp_align parse_align(const char *v) {
  return strcmp(v, "center") == 0    ? ZP_ALIGN_CENTER
         : strcmp(v, "right") == 0   ? ZP_ALIGN_RIGHT
         : strcmp(v, "justify") == 0 ? ZP_ALIGN_JUSTIFY
                                     : ZP_ALIGN_LEFT;
}

/* A number as templates write it: an optional sign, digits, an optional
 * point and digits; no exponent, no "nan" or "inf", no hex, at most
 * ZP_MAX_NUMBER_CHARS characters, so the result is always finite.  Sets
 * *end past it; false (and *end = s) when there is none. */
static bool parse_number(const char *s, double *out, const char **end) {
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
static bool parse_count(const char *s, long min, long max, int *out) {
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
static int count_attr(comp *c, const zp_tnode *n, const char *key, long min,
                      long max, int dflt) {
  const char *v = zp_tmpl_attr(n, key);
  int r = dflt;
  if (v && !parse_count(v, min, max, &r)) {
    zp_error(c->d, at_attr(c, n, key),
             "%s=\"%.40s\": expected a whole number from %ld to %ld", key, v,
             min, max);
    return dflt;
  }
  return r;
}

/* A length: "37mm", "1.5cm", "16pt", "2em", "1line", "0".  em is the size
 * of an em in pt.  Returns false when malformed, or longer than the
 * largest page (ZP_MAX_LENGTH) either way. */
static bool parse_length(const char *s, double em, double line, double *out) {
  const char *end;
  double v;
  if (!parse_number(s, &v, &end))
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
  return parse_length(s, em, line, out);
}

bool zp_tmpl_number(const char *s, double *out) {
  const char *end;
  return parse_number(s, out, &end) && *end == 0;
}

/* A font size: a 号 name or a number of pt. */
static bool parse_size(const char *s, double *out) {
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
  if (!parse_number(s, &v, &end) || v < ZP_MIN_FONT_SIZE ||
      v > ZP_MAX_FONT_SIZE || (*end && strcmp(end, "pt") != 0))
    return false;
  *out = v;
  return true;
}

bool zp_tmpl_font_size(const char *s, double *out) {
  return parse_size(s, out);
}

/* A colour "#RRGGBB" (six hex digits). */
static bool parse_color(const char *s, uint32_t *out) {
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

/* The text block's width and height, pt. */
static double page_block_width(const zp_page_setup *p) {
  return p->width - p->margin_left - p->margin_right;
}
static double page_block_height(const zp_page_setup *p) {
  return p->height - p->margin_top - p->margin_bottom;
}
static double block_width(const comp *c) {
  return page_block_width(&c->t->page);
}
static double block_height(const comp *c) {
  return page_block_height(&c->t->page);
}

/* ---- 1. the page ---- */

static void page_setup(comp *c, const zp_tnode *n, zp_page_setup *p) {
  const char *v;
  if ((v = zp_tmpl_attr(n, "paper"))) {
    static const struct {
      const char *name;
      double w, h;
    } papers[] = {
        {"A4", 210, 297}, {"A3", 297, 420}, {"A5", 148, 210}, {"B5", 176, 250}};
    bool found = false;
    for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
      if (strcmp(v, papers[i].name) == 0) {
        p->width = papers[i].w * MM;
        p->height = papers[i].h * MM;
        found = true;
      }
    double w, h;
    const char *e1, *e2;
    if (!found && parse_number(v, &w, &e1) && strncmp(e1, "mm×", 5) == 0 &&
        parse_number(e1 + 5, &h, &e2) && strcmp(e2, "mm") == 0) {
      p->width = w * MM;
      p->height = h * MM;
      found = true;
    }
    if (!found)
      zp_error(c->d, at_attr(c, n, "paper"),
               "paper=\"%s\": expected A4, A3, A5, B5 or WIDTHmm×HEIGHTmm", v);
  }
  if ((v = zp_tmpl_attr(n, "orientation"))) {
    bool land = strcmp(v, "landscape") == 0;
    if (land != (p->width > p->height)) {
      double t = p->width;
      p->width = p->height;
      p->height = t;
    }
  }
  static const char *const keys[] = {"margin-top", "margin-bottom",
                                     "margin-left", "margin-right"};
  double *vals[] = {&p->margin_top, &p->margin_bottom, &p->margin_left,
                    &p->margin_right};
  for (int i = 0; i < 4; i++)
    if ((v = zp_tmpl_attr(n, keys[i])) && !parse_length(v, 16, 0, vals[i]))
      zp_error(c->d, at_attr(c, n, keys[i]), "%s=\"%.40s\" is not a length",
               keys[i], v);
  p->grid_lines = count_attr(c, n, "grid-lines", 0, ZP_MAX_GRID, p->grid_lines);
  p->grid_chars = count_attr(c, n, "grid-chars", 0, ZP_MAX_GRID, p->grid_chars);
  /* pitches: above 0, at most the page (checked against the text block
   * once the page is known) */
  if ((v = zp_tmpl_attr(n, "line-pitch")) &&
      (!parse_length(v, 16, 0, &p->line_pitch) || p->line_pitch < 1))
    zp_error(c->d, at_attr(c, n, "line-pitch"),
             "line-pitch=\"%.40s\" is not a length of 1 pt or more", v);
  if ((v = zp_tmpl_attr(n, "char-pitch")) &&
      (!parse_length(v, 16, 0, &p->char_pitch) || p->char_pitch < 1))
    zp_error(c->d, at_attr(c, n, "char-pitch"),
             "char-pitch=\"%.40s\" is not a length of 1 pt or more", v);
}

static void page_check(comp *c, zp_loc at, zp_page_setup *p);

static void page(comp *c) {
  zp_template *t = c->t;
  /* defaults: the official page (GB/T 9704) */
  t->page = (zp_page_setup){210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM,
                            26 * MM,  22,       28,      0,       0};
  const zp_tnode *pg = NULL;
  for (int i = 0; i < t->ntop; i++)
    if (is(t->top[i], "page")) {
      page_setup(c, t->top[i], &t->page);
      pg = t->top[i];
    }
  c->raw_page = t->page;
  page_check(c, pg ? pg->loc : (zp_loc){t->path, 0, 0}, &t->page);
}

/* Checks page p set up at at and derives its pitches. */
static void page_check(comp *c, zp_loc at, zp_page_setup *p) {
  if (p->width < 72 || p->height < 72 || p->width > 14400 ||
      p->height > 14400 || page_block_width(p) < 36 ||
      page_block_height(p) < 36 || p->margin_left < 0 || p->margin_right < 0 ||
      p->margin_top < 0 || p->margin_bottom < 0)
    zp_error(c->d, at,
             "the page (%.0f × %.0f mm) with its margins leaves no text "
             "block of at least 12.7 mm each way",
             p->width / MM, p->height / MM);
  else if (p->line_pitch > page_block_height(p) ||
           p->char_pitch > page_block_width(p))
    zp_error(c->d, at,
             "the grid's line-pitch and char-pitch must fit the text block "
             "(%.0f × %.0f mm)",
             page_block_width(p) / MM, page_block_height(p) / MM);
  /* the grid's pitches: text block ÷ grid counts (225mm/22, 156mm/28 on
   * the official page) */
  if (p->line_pitch <= 0 && p->grid_lines > 0)
    p->line_pitch = page_block_height(p) / p->grid_lines;
  if (p->char_pitch <= 0 && p->grid_chars > 0)
    p->char_pitch = page_block_width(p) / p->grid_chars;
  if (p->line_pitch <= 0)
    p->line_pitch = 28.95; /* Word's fixed pitch of the official grid */
}

/* ---- 2. styles ---- */

static named_style *find_style(comp *c, const char *name) {
  for (int i = c->nstyles - 1; i >= 0; i--)
    if (strcmp(c->styles[i].name, name) == 0)
      return &c->styles[i];
  return NULL;
}

/* The attribute of a style, looked up along its parents. */
static const char *style_attr(comp *c, const zp_tnode *n, const char *key) {
  for (int guard = 0; n && guard < MAX_STYLES; guard++) {
    const char *v = zp_tmpl_attr(n, key);
    if (v)
      return v;
    const char *parent = zp_tmpl_attr(n, "parent");
    named_style *p = parent ? find_style(c, parent) : NULL;
    n = p ? p->node : NULL;
  }
  return NULL;
}

static void length_attr(comp *c, const zp_tnode *n, const char *key, double em,
                        double *out) {
  const char *v = style_attr(c, n, key);
  if (v && !parse_length(v, em, c->t->page.line_pitch, out))
    zp_error(c->d, at_attr(c, n, key),
             "style \"%s\": %s=\"%.40s\" is not a length (mm, cm, pt, em, "
             "line; no exponents, at most 5 m)",
             zp_tmpl_attr(n, "name"), key, v);
}

/* An indent: in pt, and, when given in em, also in em (*em_out, else 0),
 * so that layout can make "2em" exactly two cells on the grid. */
static void indent_attr(comp *c, const zp_tnode *n, const char *key, double em,
                        double *out, double *em_out) {
  length_attr(c, n, key, em, out);
  const char *v = style_attr(c, n, key);
  const char *end;
  double k = 0;
  *em_out = 0;
  if (v && parse_number(v, &k, &end)) {
    while (*end == ' ')
      end++;
    if (strcmp(end, "em") == 0)
      *em_out = k;
  }
}

/* A style's lengths must leave its text on the page: indents within the
 * text block and leaving a line some room, spaces and pitch at most a
 * text block high. */
static void check_style_lengths(comp *c, const zp_tnode *n, const zp_style *s) {
  double w = block_width(c), h = block_height(c);
  double first = s->left_indent + s->first_indent;
  const char *what = NULL;
  if (s->left_indent < 0 || s->right_indent < 0 || first < 0)
    what = "indents reach out of the text block (left of its edge)";
  else if (s->left_indent + s->right_indent + s->size > w ||
           first + s->right_indent + s->size > w)
    what = "indents leave no room for a character in the text block";
  else if (s->space_before < 0 || s->space_after < 0 || s->space_before > h ||
           s->space_after > h)
    what = "space-before and space-after go from 0 to the text block's "
           "height";
  else if ((s->line_pitch != 0 && s->line_pitch < 1) || s->line_pitch > h)
    what = "line-pitch goes from 1 pt to the text block's height";
  if (what)
    zp_error(c->d, n->loc, "style \"%s\": %s (%.0f × %.0f mm)", s->name, what,
             w / MM, h / MM);
}

/* Resolves ns (once): NULL after an error, reported at the style's line
 * (an unknown parent is reported by the reference check, step 3). */
static const zp_style *resolve_style(comp *c, named_style *ns) {
  if (ns->resolved || ns->failed)
    return ns->resolved;
  if (ns->resolving) {
    zp_error(c->d, at_attr(c, ns->node, "parent"),
             "style \"%s\" inherits from itself", ns->name);
    ns->failed = true;
    return NULL;
  }
  ns->resolving = true;
  const zp_tnode *n = ns->node;
  const char *name = ns->name;
  const char *parent = zp_tmpl_attr(n, "parent");
  named_style *pns = parent ? find_style(c, parent) : NULL;
  if (parent && (!pns || !resolve_style(c, pns))) {
    ns->resolving = false;
    ns->failed = true;
    return NULL;
  }
  zp_style *s = zp_arena_alloc(c->a, sizeof *s);
  if (!s)
    return NULL;
  s->name = name;
  const char *v = style_attr(c, n, "font");
  s->role = v ? v : "song";
  s->size = 16;
  if ((v = style_attr(c, n, "size")) && !parse_size(v, &s->size))
    zp_error(c->d, at_attr(c, n, "size"),
             "style \"%s\": size=\"%.40s\" is neither a 号 size (三号, 小四 "
             "…) nor pt from %g to %g",
             name, v, ZP_MIN_FONT_SIZE, ZP_MAX_FONT_SIZE);
  double em = s->size;
  indent_attr(c, n, "first-indent", em, &s->first_indent, &s->first_indent_em);
  indent_attr(c, n, "left-indent", em, &s->left_indent, &s->left_indent_em);
  indent_attr(c, n, "right-indent", em, &s->right_indent, &s->right_indent_em);
  length_attr(c, n, "space-before", em, &s->space_before);
  length_attr(c, n, "space-after", em, &s->space_after);
  if ((v = style_attr(c, n, "line-pitch"))) {
    if (strcmp(v, "grid") == 0)
      s->grid = true;
    else
      length_attr(c, n, "line-pitch", em, &s->line_pitch);
  }
  s->align = ZP_ALIGN_LEFT;
  if ((v = style_attr(c, n, "align")))
    s->align = parse_align(v);
  s->bold = yes(style_attr(c, n, "bold"));
  s->color = ZP_COLOR_INHERIT;
  if ((v = style_attr(c, n, "color")) && !parse_color(v, &s->color))
    zp_error(c->d, at_attr(c, n, "color"),
             "style \"%s\": color=\"%.40s\" is not a colour: expected "
             "#RRGGBB, six hex digits (#C00000)",
             name, v);
  s->keep_with_next = yes(style_attr(c, n, "keep-with-next"));
  s->balance = yes(style_attr(c, n, "balance"));
  s->page_break_before = yes(style_attr(c, n, "page-break-before"));
  s->widows = s->orphans = 2;
  if ((v = style_attr(c, n, "widows")) &&
      !parse_count(v, 1, ZP_MAX_COUNT, &s->widows))
    zp_error(c->d, at_attr(c, n, "widows"),
             "style \"%s\": widows=\"%.40s\": expected 1 to %d", name, v,
             ZP_MAX_COUNT);
  if ((v = style_attr(c, n, "orphans")) &&
      !parse_count(v, 1, ZP_MAX_COUNT, &s->orphans))
    zp_error(c->d, at_attr(c, n, "orphans"),
             "style \"%s\": orphans=\"%.40s\": expected 1 to %d", name, v,
             ZP_MAX_COUNT);
  s->rules = ZP_BREAK_BASIC;
  if ((v = style_attr(c, n, "breaks")))
    s->rules = strcmp(v, "strict") == 0  ? ZP_BREAK_STRICT
               : strcmp(v, "loose") == 0 ? ZP_BREAK_LOOSE
                                         : ZP_BREAK_BASIC;
  const char *end;
  if ((v = style_attr(c, n, "latin-space")) &&
      (!parse_number(v, &s->latin_space, &end) || *end || s->latin_space < 0 ||
       s->latin_space > 1))
    zp_error(c->d, at_attr(c, n, "latin-space"),
             "style \"%s\": latin-space=\"%.40s\": expected a number of em "
             "from 0 to 1",
             name, v);
  s->fit = ZP_FIT_WORD;
  if ((v = style_attr(c, n, "fit")) && strcmp(v, "push-in") == 0)
    s->fit = ZP_FIT_PUSHIN;
  s->bind_units = yes(style_attr(c, n, "bind-units"));
  s->squeeze_pairs = yes(style_attr(c, n, "squeeze-pairs"));
  check_style_lengths(c, n, s);
  ns->resolved = s;
  ns->resolving = false;
  return s;
}

static void styles(comp *c) {
  zp_template *t = c->t;
  for (int i = 0; i < t->ntop; i++) {
    const zp_tnode *n = t->top[i];
    if (!is(n, "style"))
      continue;
    if (c->nstyles == MAX_STYLES) {
      zp_error(c->d, n->loc, "more than %d styles", MAX_STYLES);
      continue;
    }
    c->style_names[c->nstyles] = zp_tmpl_attr(n, "name");
    c->styles[c->nstyles++] =
        (named_style){zp_tmpl_attr(n, "name"), n, NULL, false, false};
  }
  /* the effective (last) style of each name, whether used or not */
  for (int i = 0; i < c->nstyles; i++)
    if (find_style(c, c->styles[i].name) == &c->styles[i])
      resolve_style(c, &c->styles[i]);
}

/* A style by name, resolved; NULL (silently) when unknown or broken. */
static const zp_style *style_named(comp *c, const char *name) {
  named_style *ns = name ? find_style(c, name) : NULL;
  return ns ? ns->resolved : NULL;
}

/* A default style (body, td, th, caption) for n; an error at n when the
 * template defines none of that name. */
static const zp_style *default_style(comp *c, const zp_tnode *n,
                                     const char *name) {
  named_style *ns = find_style(c, name);
  if (!ns) {
    zp_error(c->d, at_elem(c, n),
             "unknown style \"%s\" (the default style of <%s>; define it)",
             name, n->name);
    return NULL;
  }
  return ns->resolved;
}

/* ---- 3. style references ---- */

/* The attributes that name a style. */
static const char *const style_refs[] = {
    "style",        "parent",        "heading-style", "item-style",
    "header-style", "caption-style", "label-style",   "title-style"};

/* Reports every style name that n and its content refer to and no <style>
 * defines, whatever the data (a <use>'s attributes are parameters). */
static void check_style_refs(comp *c, const zp_tnode *n) {
  if (!n->name)
    return;
  if (strcmp(n->name, "use") != 0)
    for (size_t i = 0; i < sizeof style_refs / sizeof *style_refs; i++) {
      const char *v = zp_tmpl_attr(n, style_refs[i]);
      if (v && !find_style(c, v)) {
        char hint[160];
        zp_error(c->d, at_attr(c, n, style_refs[i]),
                 "unknown style \"%s\" (%s of <%s>)%s", v, style_refs[i],
                 n->name,
                 did_you_mean(v, c->style_names, c->nstyles, "\"", "\"", hint,
                              sizeof hint));
      }
    }
  for (const zp_tnode *k = n->child; k; k = k->next)
    check_style_refs(c, k);
}

/* ---- 4. folio, numbering, grades, info ---- */

static const zp_tattr *attr_of(const zp_tnode *n, const char *name) {
  for (int i = 0; i < n->nattrs; i++)
    if (strcmp(n->attrs[i].name, name) == 0)
      return &n->attrs[i];
  return NULL;
}

static void folio(comp *c, const zp_tnode *n, zp_folio *f,
                  const zp_page_setup *p) {
  const char *v;
  if ((v = zp_tmpl_attr(n, "position")))
    f->pos = strcmp(v, "outer") == 0    ? ZP_FOLIO_OUTER
             : strcmp(v, "center") == 0 ? ZP_FOLIO_CENTER
                                        : ZP_FOLIO_NONE;
  if ((v = zp_tmpl_attr(n, "format")))
    f->format = v;
  const zp_style *st = style_named(c, zp_tmpl_attr(n, "style"));
  if (st) {
    f->role = st->role;
    f->size = st->size;
  }
  /* the folio stays on the page: below the text block within the bottom
   * margin, indented within the text block */
  if ((v = zp_tmpl_attr(n, "below")) &&
      (!parse_length(v, f->size, p->line_pitch, &f->below) || f->below < 0 ||
       f->below > p->margin_bottom))
    zp_error(c->d, at_attr(c, n, "below"),
             "below=\"%.40s\" is not a length from 0 to the bottom margin "
             "(%.1f mm)",
             v, p->margin_bottom / MM);
  if ((v = zp_tmpl_attr(n, "indent")) &&
      (!parse_length(v, f->size, p->line_pitch, &f->indent) || f->indent < 0 ||
       f->indent > page_block_width(p) / 2))
    zp_error(c->d, at_attr(c, n, "indent"),
             "indent=\"%.40s\" is not a length from 0 to half the text "
             "block (%.1f mm)",
             v, page_block_width(p) / MM / 2);
  if ((v = zp_tmpl_attr(n, "first-page")))
    f->first_page = yes(v);
}

/* <footnotes>: the notes' style, the marker style, the numbering, the
 * rule (length: a length or a percentage of the text block; weight) and
 * the space above and below it. */
static void footnotes(comp *c, const zp_tnode *n) {
  zp_footnotes *f = &c->t->footnotes;
  const char *v;
  const zp_style *st = style_named(c, zp_tmpl_attr(n, "style"));
  if (st)
    f->style = st;
  double em = f->style ? f->style->size : 12;
  if ((v = zp_tmpl_attr(n, "marker")))
    f->marker = strcmp(v, "super") == 0     ? ZP_MARKER_SUPER
                : strcmp(v, "bracket") == 0 ? ZP_MARKER_BRACKET
                                            : ZP_MARKER_CIRCLED;
  if ((v = zp_tmpl_attr(n, "numbering")))
    f->per_page = strcmp(v, "per-page") == 0;
  double bw = block_width(c);
  if ((v = zp_tmpl_attr(n, "rule-length"))) {
    const char *end;
    double pct;
    size_t len = strlen(v);
    bool ok;
    if (len && v[len - 1] == '%')
      ok = parse_number(v, &pct, &end) && *end == '%' && pct > 0 &&
           pct <= 100 && (f->rule_length = bw * pct / 100, true);
    else
      ok = parse_length(v, em, c->t->page.line_pitch, &f->rule_length) &&
           f->rule_length > 0 && f->rule_length <= bw;
    if (!ok)
      zp_error(c->d, at_attr(c, n, "rule-length"),
               "rule-length=\"%.40s\" is not a length or percentage from 0 "
               "to the text block's width (%.1f mm)",
               v, bw / MM);
  }
  if ((v = zp_tmpl_attr(n, "rule-width")) &&
      (!parse_length(v, em, c->t->page.line_pitch, &f->rule_width) ||
       f->rule_width < 0 || f->rule_width > ZP_MAX_RULE))
    zp_error(c->d, at_attr(c, n, "rule-width"),
             "rule-width=\"%.40s\" is not a length from 0 to %.2f pt", v,
             ZP_MAX_RULE);
  double bh =
      c->t->page.height - c->t->page.margin_top - c->t->page.margin_bottom;
  if ((v = zp_tmpl_attr(n, "space")) &&
      (!parse_length(v, em, c->t->page.line_pitch, &f->space) || f->space < 0 ||
       f->space > bh / 8))
    zp_error(c->d, at_attr(c, n, "space"),
             "space=\"%.40s\" is not a length from 0 to an eighth of the "
             "text block's height (%.1f mm)",
             v, bh / 8 / MM);
}

static void numbering(comp *c, const zp_tnode *n) {
  for (const zp_tnode *l = n->child; l; l = l->next) {
    if (!l->name)
      continue;
    int k;
    if (!parse_count(zp_tmpl_attr(l, "n"), 1, ZP_TMPL_MAX_LEVELS, &k)) {
      zp_error(c->d, at_attr(c, l, "n"), "numbering levels go from 1 to %d",
               ZP_TMPL_MAX_LEVELS);
      continue;
    }
    const char *o = zp_tmpl_attr(l, "outline");
    const char *f = zp_tmpl_attr(l, "format");
    c->t->levels[k] =
        (zp_tlevel){f && strcmp(f, "cn") == 0            ? ZP_NUMBER_CN
                    : f && strcmp(f, "lower-alpha") == 0 ? ZP_NUMBER_ALPHA
                                                         : ZP_NUMBER_DECIMAL,
                    attr_of(l, "prefix"),
                    attr_of(l, "suffix"),
                    style_named(c, zp_tmpl_attr(l, "heading-style")),
                    style_named(c, zp_tmpl_attr(l, "item-style")),
                    o ? yes(o) : k <= 2,
                    l};
  }
}

static void grades(comp *c, const zp_tnode *n) {
  zp_template *t = c->t;
  t->nbands = 0;
  for (const zp_tnode *g = n->child; g; g = g->next) {
    if (!g->name)
      continue;
    if (t->nbands == ZP_TMPL_MAX_BANDS) {
      zp_error(c->d, g->loc, "<grades> holds at most %d bands",
               ZP_TMPL_MAX_BANDS);
      break;
    }
    double min;
    const char *end, *v = zp_tmpl_attr(g, "min");
    if (!parse_number(v, &min, &end) || *end) {
      zp_error(c->d, at_attr(c, g, "min"), "min=\"%.40s\" is not a number", v);
      continue;
    }
    t->bands[t->nbands++] = (zp_calc_band){min, zp_tmpl_attr(g, "label")};
  }
  /* highest band first */
  for (int i = 1; i < t->nbands; i++)
    for (int j = i; j > 0 && t->bands[j].min > t->bands[j - 1].min; j--) {
      zp_calc_band b = t->bands[j];
      t->bands[j] = t->bands[j - 1];
      t->bands[j - 1] = b;
    }
}

/* Walks content from first: top, the <body> or a <for> or <if> in it
 * (else inside a part or a block).  Sets *part to the first part or
 * attachment at the top, *block to the first block there; a part
 * anywhere else is an error. */
static void body_items(comp *c, const zp_tnode *first, bool top,
                       const zp_tnode **part, const zp_tnode **block) {
  for (const zp_tnode *n = first; n; n = n->next) {
    if (!n->name || is(n, "else"))
      continue;
    bool p = is(n, "part") || is(n, "attachment");
    if (p && !top)
      zp_error(c->d, at_elem(c, n),
               "<%s> stands inside another element: a part stands in the "
               "<body>, or in a <for> or an <if> there",
               n->name);
    else if (p && !*part)
      *part = n;
    else if (!p && top && !is(n, "for") && !is(n, "if") && !*block)
      *block = n;
    if (is(n, "define"))
      continue;
    body_items(c, n->child, top && (is(n, "for") || is(n, "if")), part, block);
  }
}

static void sheet(comp *c) {
  zp_template *t = c->t;
  t->folio =
      (zp_folio){ZP_FOLIO_CENTER, "- {n} -", "song", 14, 7 * MM, 0, true};
  const zp_tnode *last_folio = NULL;
  /* footnotes: the style named "footnote" when there is one */
  t->footnotes = (zp_footnotes){
      style_named(c, "footnote"), ZP_MARKER_CIRCLED, false, 0, 0.5, 5};
  for (int i = 0; i < t->ntop; i++) {
    const zp_tnode *n = t->top[i];
    if (is(n, "folio"))
      last_folio = n;
    else if (is(n, "footnotes"))
      footnotes(c, n);
    else if (is(n, "numbering"))
      numbering(c, n);
    else if (is(n, "grades"))
      grades(c, n);
    else if (is(n, "body"))
      t->body = n;
    else if (is(n, "watermark")) {
      const zp_watermark *w = zp_timage_watermark(t, n, c->d);
      if (w) /* a later one replaces an earlier */
        t->watermark = w;
    } else if (is(n, "info")) {
      static const char *const keys[] = {"title", "author", "subject",
                                         "keywords", "date"};
      t->info_node = n;
      for (int k = 0; k < 5; k++)
        t->info[k] = attr_of(n, keys[k]);
    }
  }
  /* a later <folio> replaces the earlier entirely */
  if (last_folio)
    folio(c, last_folio, &t->folio, &t->page);
  c->sheet_folio = last_folio;
  /* a body of parts holds nothing else; parts stand nowhere else */
  const zp_tnode *first_part = NULL, *block = NULL;
  if (t->body)
    body_items(c, t->body->child, true, &first_part, &block);
  for (int i = 0; i < t->ntop; i++) /* a macro holds no part */
    if (is(t->top[i], "define"))
      body_items(c, t->top[i]->child, false, &first_part, &block);
  if (first_part && block)
    zp_error(c->d, at_elem(c, block),
             "<%s> stands in a <body> of parts (<%s> at line %d): there, "
             "every block is inside a <part> or an <attachment>",
             block->name, first_part->name, first_part->loc.line);
  named_style *body = find_style(c, "body");
  t->body_style = body ? body->resolved : NULL;
  t->roles = zp_tmpl_roles(t);
}

/* ---- parts (<part>, <attachment>) ---- */

/* A style made from base for an attachment's label or title: no indent,
 * aligned as align, space_after after it (0: base's). */
static const zp_style *derived_style(comp *c, const zp_style *base,
                                     const char *name, const char *role,
                                     zp_align align, double space_after) {
  zp_style *st = zp_arena_alloc(c->a, sizeof *st);
  if (!st)
    return base;
  *st = *base;
  st->name = name;
  if (role)
    st->role = role;
  st->align = align;
  st->first_indent = st->left_indent = st->right_indent = 0;
  st->first_indent_em = st->left_indent_em = st->right_indent_em = 0;
  if (space_after > 0)
    st->space_after = space_after;
  st->keep_with_next = true;
  return st;
}

static void header_footer(comp *c, zp_tnode *n, const zp_page_setup *p);

/* <part> or <attachment> n: its page (the sheet's with n's attributes),
 * its numbering, its folio (the sheet's with the attributes of its
 * <folio> child), a cover's placement, an attachment's title and
 * styles. */
static void part(comp *c, zp_tnode *n) {
  zp_tpart *tp = zp_arena_alloc(c->a, sizeof *tp);
  if (!tp)
    return;
  n->as.part = tp;
  const char *v = zp_tmpl_attr(n, "kind");
  bool att = n->kind == ZP_T_ATTACHMENT;
  tp->kind = att                            ? ZP_PART_ATTACHMENT
             : v && strcmp(v, "cover") == 0 ? ZP_PART_COVER
                                            : ZP_PART_BODY;
  tp->page = c->raw_page;
  page_setup(c, n, &tp->page);
  /* its watermark: its own <watermark>, or none (watermark="no") */
  tp->no_watermark = (v = zp_tmpl_attr(n, "watermark")) && !yes(v);
  for (const zp_tnode *k = n->child; k; k = k->next)
    if (is(k, "watermark")) {
      if (tp->no_watermark)
        zp_error(c->d, k->loc,
                 "a <watermark> in a part with watermark=\"no\" (one or the "
                 "other)");
      tp->watermark = zp_timage_watermark(c->t, k, c->d);
    }
  /* a part turned to the other orientation with no grid of its own keeps
   * the sheet's grid pitches (the type as on the other pages), with as
   * many lines and characters as its text block holds: 22 × 28 cells
   * stretched over a landscape block would space every character out */
  const zp_page_setup *sp = &c->t->page;
  bool turned = (tp->page.width > tp->page.height) !=
                (c->raw_page.width > c->raw_page.height);
  if (turned && !zp_tmpl_attr(n, "grid-lines") &&
      !zp_tmpl_attr(n, "grid-chars") && !zp_tmpl_attr(n, "line-pitch") &&
      !zp_tmpl_attr(n, "char-pitch")) {
    if (sp->grid_lines > 0 && sp->line_pitch > 0) {
      tp->page.line_pitch = sp->line_pitch;
      tp->page.grid_lines =
          (int)(page_block_height(&tp->page) / sp->line_pitch + 1e-6);
    }
    if (sp->grid_chars > 0 && sp->char_pitch > 0) {
      tp->page.char_pitch = sp->char_pitch;
      tp->page.grid_chars =
          (int)(page_block_width(&tp->page) / sp->char_pitch + 1e-6);
    }
  }
  page_check(c, n->loc, &tp->page);
  /* numbering: an attachment continues the body's by default */
  v = zp_tmpl_attr(n, "numbering");
  tp->restart = v && strcmp(v, "restart") == 0;
  tp->start = 1;
  if ((v = zp_tmpl_attr(n, "start"))) {
    if (!tp->restart)
      zp_error(c->d, at_attr(c, n, "start"),
               "start=\"%.40s\" needs numbering=\"restart\" (a part that "
               "continues takes its number from the page before)",
               v);
    tp->start = count_attr(c, n, "start", 1, ZP_MAX_PAGES, 1);
  }
  static const struct {
    const char *name;
    zp_num_style num;
  } styles[] = {{"arabic", ZP_NUM_ARABIC},
                {"roman", ZP_NUM_ROMAN},
                {"ROMAN", ZP_NUM_ROMAN_UPPER},
                {"cn", ZP_NUM_CN},
                {"none", ZP_NUM_NONE}};
  tp->num = tp->kind == ZP_PART_COVER ? ZP_NUM_NONE : ZP_NUM_ARABIC;
  if ((v = zp_tmpl_attr(n, "number-style")))
    for (size_t i = 0; i < sizeof styles / sizeof *styles; i++)
      if (strcmp(v, styles[i].name) == 0)
        tp->num = styles[i].num;
  if ((v = zp_tmpl_attr(n, "valign"))) {
    if (tp->kind != ZP_PART_COVER)
      zp_error(c->d, at_attr(c, n, "valign"),
               "valign=\"%.40s\" places the blocks of a cover: this part is "
               "not one (kind=\"cover\")",
               v);
    tp->place = strcmp(v, "center") == 0       ? ZP_PLACE_CENTER
                : strcmp(v, "bottom") == 0     ? ZP_PLACE_BOTTOM
                : strcmp(v, "distribute") == 0 ? ZP_PLACE_DISTRIBUTE
                                               : ZP_PLACE_TOP;
  } else if (tp->kind == ZP_PART_COVER) {
    tp->place = ZP_PLACE_DISTRIBUTE;
  }
  tp->folio = c->t->folio;
  const zp_tnode *fo = NULL;
  for (const zp_tnode *k = n->child; k; k = k->next)
    if (is(k, "folio")) {
      if (fo)
        zp_error(c->d, at_elem(c, k), "a part has at most one <folio>");
      fo = k;
    }
  for (zp_tnode *k = n->child; k; k = k->next)
    if (is(k, "header") || is(k, "footer"))
      header_footer(c, k, &tp->page);
  v = c->sheet_folio ? zp_tmpl_attr(c->sheet_folio, "landscape") : NULL;
  tp->folio_portrait = !v || strcmp(v, "portrait") == 0;
  if (fo)
    folio(c, fo, &tp->folio, &tp->page);
  /* the sheet's folio must stay on this part's page too */
  bool own_below = fo && zp_tmpl_attr(fo, "below"),
       own_indent = fo && zp_tmpl_attr(fo, "indent");
  if ((!own_below && tp->folio.below > tp->page.margin_bottom) ||
      (!own_indent && tp->folio.indent > page_block_width(&tp->page) / 2))
    zp_error(c->d, at_elem(c, fo ? fo : n),
             "the folio (%.1f mm below the text block, %.1f mm in) does not "
             "fit this part's page: its bottom margin is %.1f mm; give the "
             "part a <folio below=\"…\" indent=\"…\">",
             tp->folio.below / MM, tp->folio.indent / MM,
             tp->page.margin_bottom / MM);
  if (fo) {
    if ((v = zp_tmpl_attr(fo, "landscape")))
      tp->folio_portrait = strcmp(v, "portrait") == 0;
  }
  if (att) {
    tp->title = attr_of(n, "title");
    tp->title_at = at_attr(c, n, "title");
    tp->label = attr_of(n, "label");
    const zp_style *body = c->t->body_style;
    const zp_style *st = style_named(c, zp_tmpl_attr(n, "label-style"));
    named_style *ns = find_style(c, "attachment-label");
    if (!st && ns)
      st = ns->resolved;
    /* 附件N in 黑体 at the top left of line 1, the title on line 3 */
    if (!st && body)
      st = derived_style(c, body, "attachment-label", "hei", ZP_ALIGN_LEFT,
                         tp->page.line_pitch);
    tp->label_style = st;
    st = style_named(c, zp_tmpl_attr(n, "title-style"));
    if (!st && (ns = find_style(c, "attachment-title")))
      st = ns->resolved;
    if (!st && (ns = find_style(c, "title")))
      st = ns->resolved;
    if (!st && body)
      st = derived_style(c, body, "attachment-title", NULL, ZP_ALIGN_CENTER, 0);
    tp->title_style = st;
    if (!tp->label_style || !tp->title_style)
      zp_error(c->d, at_elem(c, n),
               "unknown style \"body\" (an attachment's label and title "
               "are made from it; define it)");
  }
}

/* <header> or <footer> n of a part whose page is p. */
static void header_footer(comp *c, zp_tnode *n, const zp_page_setup *p) {
  const char *v;
  n->as.hf.footer = is(n, "footer");
  v = zp_tmpl_attr(n, "pages");
  n->as.hf.pages = !v                        ? ZP_HF_ALL
                   : strcmp(v, "first") == 0 ? ZP_HF_FIRST
                   : strcmp(v, "odd") == 0   ? ZP_HF_ODD
                   : strcmp(v, "even") == 0  ? ZP_HF_EVEN
                                             : ZP_HF_ALL;
  v = zp_tmpl_attr(n, "align");
  n->as.hf.align = v ? parse_align(v) : ZP_ALIGN_CENTER;
  n->as.hf.style = style_named(c, zp_tmpl_attr(n, "style"));
  const zp_style *st = n->as.hf.style;
  double size = st ? st->size : c->t->folio.size;
  n->as.hf.distance = 5 * MM;
  /* the header or footer stays in its margin */
  double room = n->as.hf.footer ? p->margin_bottom : p->margin_top;
  if ((v = zp_tmpl_attr(n, "distance")) &&
      (!parse_length(v, size, p->line_pitch, &n->as.hf.distance) ||
       n->as.hf.distance < 0 || n->as.hf.distance + size > room))
    zp_error(c->d, at_attr(c, n, "distance"),
             "distance=\"%.40s\" is not a length from 0 to the %s margin "
             "less the text's size (%.1f mm)",
             v, n->as.hf.footer ? "bottom" : "top", (room - size) / MM);
}

/* ---- 5. the nodes ---- */

/* An expression of the template (a computed field, a <check>, a test),
 * parsed now, so that a malformed one is an error whatever the data; NULL
 * after the error. */
static const zp_expr *parse_expr(comp *c, zp_loc at, const char *expr,
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

static void check_fields(comp *c, const zp_tfield *f, int n) {
  for (int i = 0; i < n; i++)
    if (f[i].expr)
      ((zp_tfield *)&f[i])->cexpr = parse_expr(c, f[i].loc, f[i].expr, "");
}

static const zp_tnode *find_define(comp *c, const char *name) {
  const zp_tnode *def = NULL;
  for (int i = 0; i < c->t->ntop; i++)
    if (is(c->t->top[i], "define") &&
        strcmp(zp_tmpl_attr(c->t->top[i], "name"), name) == 0)
      def = c->t->top[i]; /* the last wins */
  return def;
}

/* Every column needs its padding and a character at least, a fixed one
 * its width and a fitted one its minimum; together they must fit the text
 * block: else the table, or the text in its cells, would be drawn off the
 * page. */
static void table_fits(comp *c, const zp_tnode *n, const zp_ttable *t,
                       double em) {
  /* a column holds its padding, a rule and 1 em of text; the frame, if
   * heavier than the rules, takes its excess on both sides */
  double rule = t->rule_width,
         frame = t->frame_width > rule ? t->frame_width : 0;
  double need = frame > rule ? 2 * (frame - rule) : 0;
  double least = t->pad_left + t->pad_right + rule + em;
  for (int i = 0; i < t->ncols; i++) {
    double w = t->cols[i].kind == ZP_COL_PROPORTIONAL ? 0 : t->cols[i].width;
    /* a width includes the padding: a fixed column must leave 1 em for
     * its text inside it */
    if (t->cols[i].kind == ZP_COL_FIXED && w > 0 && w + 0.01 < least)
      zp_error(c->d, at_elem(c, n),
               "column %d is %.1f mm wide; a column's width includes its "
               "padding (%.1f mm) and must leave 1 em (%.1f mm) for its text",
               i + 1, w / MM, (t->pad_left + t->pad_right) / MM, em / MM);
    need += w > least ? w : least;
  }
  double w = block_width(c);
  if (need > w + 0.01)
    zp_error(c->d, at_elem(c, n),
             "the table's %d columns need %.1f mm (fixed widths, fit minimums, "
             "and for every column its padding, its rule and 1 em), more than "
             "the text block's %.1f mm",
             t->ncols, need / MM, w / MM);
}

static void columns(comp *c, const zp_tnode *n, zp_ttable *t, double em) {
  double line = c->t->page.line_pitch;
  for (const zp_tnode *k = n->child; k; k = k->next)
    t->ncols += is(k, "col");
  if (t->ncols > ZP_MAX_COLUMNS) {
    zp_error(c->d, at_elem(c, n),
             "a table has at most %d columns; this one has %d", ZP_MAX_COLUMNS,
             t->ncols);
    t->ncols = 0;
    return;
  }
  zp_column *cols = zp_arena_alloc(c->a, sizeof *cols * (size_t)(t->ncols + 1));
  if (!cols)
    return;
  t->cols = cols;
  int i = 0;
  for (const zp_tnode *k = n->child; k; k = k->next) {
    if (!is(k, "col"))
      continue;
    zp_column *col = &cols[i++];
    const char *w = zp_tmpl_attr(k, "width"), *v;
    size_t wl = strlen(w);
    const char *end = w;
    if (strcmp(w, "fit") == 0) {
      col->kind = ZP_COL_FIT;
      if ((v = zp_tmpl_attr(k, "min")) &&
          (!parse_length(v, em, line, &col->width) || col->width < 0))
        zp_error(c->d, at_attr(c, k, "min"),
                 "min=\"%.40s\" is not a length of 0 or more", v);
    } else if (wl && w[wl - 1] == '*') {
      col->kind = ZP_COL_PROPORTIONAL;
      col->width = 1;
      if (wl > 1 && (!parse_number(w, &col->width, &end) || *end != '*' ||
                     col->width <= 0 || col->width > 1e6))
        zp_error(c->d, at_attr(c, k, "width"),
                 "width=\"%.40s\": a weight is a number above 0 and at most "
                 "1000000 (2*)",
                 w);
    } else {
      col->kind = ZP_COL_FIXED;
      if (!parse_length(w, em, line, &col->width))
        zp_error(c->d, at_attr(c, k, "width"),
                 "width=\"%.40s\" is not a length, a weight (2*) or fit", w);
      else if (col->width <= 0)
        zp_error(c->d, at_attr(c, k, "width"),
                 "width=\"%.40s\": a column must be wider than 0", w);
    }
    v = zp_tmpl_attr(k, "align");
    col->align = v ? parse_align(v) : ZP_ALIGN_LEFT;
  }
}

static void table(comp *c, zp_tnode *n) {
  zp_ttable *t = zp_arena_alloc(c->a, sizeof *t);
  if (!t)
    return;
  n->as.table = t;
  double line = c->t->page.line_pitch;
  const char *v;
  t->cell_style = (v = zp_tmpl_attr(n, "style")) ? style_named(c, v)
                                                 : default_style(c, n, "td");
  t->head_style = (v = zp_tmpl_attr(n, "header-style"))
                      ? style_named(c, v)
                      : default_style(c, n, "th");
  double em = t->cell_style ? t->cell_style->size : 10.5;
  columns(c, n, t, em);
  t->caption = attr_of(n, "caption");
  if (t->caption)
    t->caption_style = (v = zp_tmpl_attr(n, "caption-style"))
                           ? style_named(c, v)
                           : default_style(c, n, "caption");
  t->numbered = yes(zp_tmpl_attr(n, "number"));
  t->continued = zp_tmpl_attr(n, "continued");
  t->rule_width = 0.5;
  if ((v = zp_tmpl_attr(n, "rule")) &&
      (!parse_length(v, em, line, &t->rule_width) || t->rule_width < 0 ||
       t->rule_width > ZP_MAX_RULE))
    zp_error(c->d, at_attr(c, n, "rule"),
             "rule=\"%.40s\" is not a length from 0 to 2 mm", v);
  if ((v = zp_tmpl_attr(n, "frame")) &&
      (!parse_length(v, em, line, &t->frame_width) || t->frame_width < 0 ||
       t->frame_width > ZP_MAX_RULE))
    zp_error(c->d, at_attr(c, n, "frame"),
             "frame=\"%.40s\" is not a length from 0 to 2 mm", v);
  t->pad_top = t->pad_bottom = 2;
  t->pad_left = t->pad_right = 3;
  if ((v = zp_tmpl_attr(n, "padding"))) {
    char a1[32] = "", a2[32] = "", a3[2] = "";
    int got = sscanf(v, "%31s %31s %1s", a1, a2, a3);
    double pv = 0, ph = 0;
    if (got < 1 || got > 2 || strlen(v) > 64 ||
        !parse_length(a1, em, line, &pv) ||
        (got == 2 && !parse_length(a2, em, line, &ph)) || pv < 0 || ph < 0 ||
        pv > ZP_MAX_PADDING || ph > ZP_MAX_PADDING) {
      zp_error(c->d, at_attr(c, n, "padding"),
               "padding=\"%.40s\": one or two lengths from 0 to 20 mm", v);
      pv = ph = 0;
    }
    t->pad_top = t->pad_bottom = pv;
    t->pad_left = t->pad_right = got == 2 ? ph : pv;
  }
  t->min_split_lines = count_attr(c, n, "min-split-lines", 1, ZP_MAX_COUNT, 2);
  table_fits(c, n, t, em);
}

static void cell(comp *c, zp_tnode *n) {
  const char *v;
  n->as.cell.colspan = count_attr(c, n, "colspan", 1, ZP_MAX_COLUMNS, 1);
  n->as.cell.rowspan = count_attr(c, n, "rowspan", 1, ZP_MAX_COUNT, 1);
  n->as.cell.rowspan_at = at_attr(c, n, "rowspan");
  n->as.cell.style = style_named(c, zp_tmpl_attr(n, "style"));
  if ((v = zp_tmpl_attr(n, "align"))) {
    n->as.cell.has_align = true;
    n->as.cell.align = parse_align(v);
  }
  n->as.cell.valign = ZP_VALIGN_MIDDLE;
  if ((v = zp_tmpl_attr(n, "valign")))
    n->as.cell.valign = strcmp(v, "top") == 0      ? ZP_VALIGN_TOP
                        : strcmp(v, "bottom") == 0 ? ZP_VALIGN_BOTTOM
                                                   : ZP_VALIGN_MIDDLE;
  n->as.cell.span = zp_tmpl_attr(n, "span");
  n->as.cell.blank = n->as.cell.span && strcmp(n->as.cell.span, "blank") == 0;
}

static void check(comp *c, zp_tnode *n) {
  const char *e, *v;
  if ((e = zp_tmpl_attr(n, "grade"))) {
    n->as.check.kind = ZP_CHECK_GRADE;
    e = zp_arena_printf(c->a, "grade(%s)", e);
  } else if ((e = zp_tmpl_attr(n, "equals"))) {
    n->as.check.kind = ZP_CHECK_EQUALS;
  } else if ((e = zp_tmpl_attr(n, "max"))) {
    n->as.check.kind = ZP_CHECK_MAX;
  } else if ((e = zp_tmpl_attr(n, "min"))) {
    n->as.check.kind = ZP_CHECK_MIN;
  } else {
    zp_error(c->d, n->loc, "<check> needs equals, max, min or grade");
    return;
  }
  n->as.check.cexpr = parse_expr(c, n->loc, e, "");
  n->as.check.value = zp_tmpl_attr(n, "value");
  n->as.check.expr = e;
  n->as.check.rule = zp_tmpl_attr(n, "rule");
  n->as.check.warning =
      (v = zp_tmpl_attr(n, "severity")) && strcmp(v, "warning") == 0;
  n->as.check.places = -1;
  if ((v = zp_tmpl_attr(n, "places")) &&
      !parse_count(v, 0, 12, &n->as.check.places)) {
    zp_error(c->d, at_attr(c, n, "places"),
             "<check> compares 0 to 12 decimals, not places=\"%.40s\"", v);
    n->as.check.places = -1;
  }
}

static void use(comp *c, zp_tnode *n) {
  const char *name = zp_tmpl_attr(n, "name");
  n->as.use.def = find_define(c, name);
  if (!n->as.use.def) {
    const char *names[256];
    int k = 0;
    for (int i = 0; i < c->t->ntop && k < 256; i++)
      if (is(c->t->top[i], "define"))
        names[k++] = zp_tmpl_attr(c->t->top[i], "name");
    char hint[160];
    zp_error(c->d, at_attr(c, n, "name"), "no <define name=\"%s\">%s", name,
             did_you_mean(name, names, k, "\"", "\"", hint, sizeof hint));
  }
  if (n->nattrs > MAX_PARAMS + 1) {
    zp_error(c->d, n->loc, "<use> takes at most %d parameters", MAX_PARAMS);
    return;
  }
  zp_tparam *p = zp_arena_alloc(c->a, sizeof *p * (size_t)(n->nattrs + 1));
  if (!p)
    return;
  int k = 0;
  for (int i = 0; i < n->nattrs; i++)
    if (strcmp(n->attrs[i].name, "name") != 0)
      p[k++] = (zp_tparam){n->attrs[i].name, n->attrs[i].value};
  n->as.use.params = p;
  n->as.use.nparams = k;
}

static const struct {
  const char *name;
  zp_tkind kind;
} kinds[] = {{"p", ZP_T_P},
             {"item", ZP_T_ITEM},
             {"section", ZP_T_SECTION},
             {"for", ZP_T_FOR},
             {"if", ZP_T_IF},
             {"else", ZP_T_ELSE},
             {"use", ZP_T_USE},
             {"check", ZP_T_CHECK},
             {"page-break", ZP_T_PAGE_BREAK},
             {"table", ZP_T_TABLE},
             {"col", ZP_T_COL},
             {"head", ZP_T_HEAD},
             {"row", ZP_T_ROW},
             {"cell", ZP_T_CELL},
             {"br", ZP_T_BR},
             {"image", ZP_T_IMAGE},
             {"signature", ZP_T_SIGNATURE},
             {"b", ZP_T_B},
             {"sup", ZP_T_SUP},
             {"sub", ZP_T_SUB},
             {"span", ZP_T_SPAN},
             {"a", ZP_T_A},
             {"ref", ZP_T_REF},
             {"note", ZP_T_NOTE},
             {"title", ZP_T_TITLE},
             {"contents", ZP_T_CONTENTS},
             {"part", ZP_T_PART},
             {"attachment", ZP_T_ATTACHMENT},
             {"attachment-list", ZP_T_ATTACHMENT_LIST},
             {"header", ZP_T_HF},
             {"footer", ZP_T_HF}};

static bool is_inline_kind(zp_tkind k) {
  return k == ZP_T_B || k == ZP_T_SUP || k == ZP_T_SUB || k == ZP_T_SPAN ||
         k == ZP_T_A || k == ZP_T_REF || k == ZP_T_NOTE;
}

/* Appends x to the list *v (grown by doubling); false when out of
 * memory (the check it serves is then skipped). */
static bool remember(const zp_tnode ***v, size_t *n, size_t *cap,
                     const zp_tnode *x) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 32;
    const zp_tnode **nv = realloc(*v, sizeof *nv * nc);
    if (!nv)
      return false;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = x;
  return true;
}

/* An inline element (B, SUP, SUB, SPAN, A, REF, NOTE): its attributes
 * parsed, its place checked (nesting, a note in a note, a link in a
 * link). */
static void inline_el(comp *c, zp_tnode *n) {
  const char *v;
  n->as.inl.color = ZP_COLOR_INHERIT;
  if (c->inline_depth >= ZP_MAX_INLINE_DEPTH)
    zp_error(c->d, at_elem_exact(c, n),
             "inline elements (<b>, <sup>, <span>, <a>, <note> …) nested "
             "deeper than %d",
             ZP_MAX_INLINE_DEPTH);
  switch (n->kind) {
  case ZP_T_B:
    n->as.inl.bold = true;
    break;
  case ZP_T_SUP:
  case ZP_T_SUB:
    n->as.inl.shift = n->kind == ZP_T_SUP ? ZP_SHIFT_SUPER : ZP_SHIFT_SUB;
    break;
  case ZP_T_SPAN:
    /* an unknown style is reported with the other style references */
    n->as.inl.style = style_named(c, zp_tmpl_attr(n, "style"));
    if ((v = zp_tmpl_attr(n, "color")) && !parse_color(v, &n->as.inl.color))
      zp_error(c->d, at_attr(c, n, "color"),
               "color=\"%.40s\" is not a colour: expected #RRGGBB, six hex "
               "digits (#C00000)",
               v);
    if (!zp_tmpl_attr(n, "style") && !v)
      zp_error(c->d, at_elem(c, n),
               "<span> needs style=\"NAME\" or color=\"#RRGGBB\"");
    break;
  case ZP_T_A:
  case ZP_T_REF: {
    bool a = n->kind == ZP_T_A;
    const char *key = a ? "href" : "to";
    const zp_tattr *at = attr_of(n, key);
    n->as.inl.at = at_attr(c, n, key);
    if (a)
      n->as.inl.href = at;
    else
      n->as.inl.to = at;
    const char *why;
    if (a && at && at->nfields == 0 && (why = zp_tmpl_uri_problem(at->value)))
      zp_error(c->d, n->as.inl.at, "<a href=\"%.60s%s\">: %s", at->value,
               strlen(at->value) > 60 ? "…" : "", why);
    if (!a && at)
      remember(&c->refs, &c->nrefs, &c->caprefs, n);
    if (c->in_link)
      zp_error(c->d, at_elem_exact(c, n),
               "a link (<%s>) inside another link (<a> or <ref>)", n->name);
    break;
  }
  case ZP_T_NOTE:
    n->as.inl.at = at_elem_exact(c, n);
    if (c->in_note)
      zp_error(c->d, n->as.inl.at,
               "a <note> inside a <note>: a note's text holds no notes");
    break;
  default:
    break;
  }
}

/* Does the id attribute id (its fields match any text) give s?  A
 * wildcard match with one backtracking point: linear in practice, never
 * worse than the product of the lengths. */
static bool id_matches(const zp_tattr *id, const char *s) {
  char pat[512];
  size_t np = 0;
  const char *v = id->value;
  int k = 0;
  for (size_t i = 0; v[i] && np + 1 < sizeof pat;) {
    if (k < id->nfields && i == id->fields[k].start) {
      pat[np++] = 1; /* XML text holds no U+0001 */
      i = id->fields[k++].end;
    } else {
      pat[np++] = v[i++];
    }
  }
  pat[np] = 0;
  const char *p = pat, *star = NULL, *back = NULL;
  while (*s) {
    if (*p == 1) {
      star = ++p;
      back = s;
    } else if (*p == *s) {
      p++;
      s++;
    } else if (star) {
      p = star;
      s = ++back;
    } else {
      return false;
    }
  }
  while (*p == 1)
    p++;
  return *p == 0;
}

/* Every id given twice, and every <ref to> without its id, when both are
 * static (a computed one is checked when bound); with the nearest ids. */
static void check_ids(comp *c) {
  const char **names = malloc(sizeof *names * (c->nids + 1));
  int nn = 0;
  if (!names)
    return;
  for (size_t i = 0; i < c->nids; i++) {
    const zp_tattr *id = c->ids[i]->id;
    if (id->nfields)
      continue;
    for (int k = 0; k < nn; k++)
      if (strcmp(names[k], id->value) == 0) {
        const zp_tnode *first = NULL;
        for (size_t j = 0; j < i && !first; j++)
          if (!c->ids[j]->id->nfields &&
              strcmp(c->ids[j]->id->value, id->value) == 0)
            first = c->ids[j];
        zp_error(c->d, c->ids[i]->id_at,
                 "id=\"%s\" is given twice (first at %s:%d)", id->value,
                 first->loc.file, first->loc.line);
        break;
      }
    names[nn++] = id->value;
  }
  for (size_t i = 0; i < c->nrefs; i++) {
    const zp_tattr *to = c->refs[i]->as.inl.to;
    if (to->nfields)
      continue;
    bool found = false;
    for (size_t j = 0; j < c->nids && !found; j++) {
      const zp_tattr *id = c->ids[j]->id;
      found = id->nfields ? id_matches(id, to->value)
                          : strcmp(id->value, to->value) == 0;
    }
    if (!found) {
      char hint[160];
      zp_error(
          c->d, c->refs[i]->as.inl.at,
          "<ref to=\"%s\">: no element has id=\"%s\"%s", to->value, to->value,
          did_you_mean(to->value, names, nn, "\"", "\"", hint, sizeof hint));
    }
  }
  free(names);
}

/* <contents levels="1-2" title="目录" style="…" title-style="…"
 * indent="0 1em 2em" leader="dots|none" outline="yes|no"/>. */
static void contents(comp *c, zp_tnode *n) {
  zp_contents *tc = zp_arena_alloc(c->a, sizeof *tc);
  if (!tc)
    return;
  const char *v = zp_tmpl_attr(n, "levels");
  int lo = 1, hi = 2;
  if (v) {
    char extra;
    int k = sscanf(v, "%d-%d%c", &lo, &hi, &extra);
    if (k == 1 && sscanf(v, "%d%c", &lo, &extra) == 1)
      hi = lo;
    else if (k != 2)
      lo = 0;
    if (lo < 1 || hi < lo || hi > ZP_CONTENTS_LEVELS) {
      zp_error(c->d, at_attr(c, n, "levels"),
               "levels=\"%.40s\": expected a level or a range of levels from "
               "1 to %d (\"1-2\", \"1\")",
               v, ZP_CONTENTS_LEVELS);
      lo = 1;
      hi = 2;
    }
  }
  tc->min_level = lo;
  tc->max_level = hi;
  /* the styles: as given, else "toc" and "toc-title" when the style
   * sheet defines them (official.xml does), else body and the level-1
   * heading's */
  v = zp_tmpl_attr(n, "style");
  const zp_style *st = v                      ? style_named(c, v)
                       : find_style(c, "toc") ? style_named(c, "toc")
                                              : default_style(c, n, "body");
  v = zp_tmpl_attr(n, "title-style");
  const zp_style *ts = v ? style_named(c, v) : style_named(c, "toc-title");
  if (!ts)
    ts = c->t->levels[1].heading_style ? c->t->levels[1].heading_style : st;
  double em = st ? st->size : 16;
  /* the indents: one length per level from the first; the levels past
   * the list go on by the last step (0 1em: 2em, 3em, …) */
  double pt[ZP_CONTENTS_LEVELS + 1] = {0}, ems[ZP_CONTENTS_LEVELS + 1] = {0};
  int given = 0;
  v = zp_tmpl_attr(n, "indent");
  if (v) {
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    for (char *save = NULL, *w = strtok_r(buf, " ", &save); w;
         w = strtok_r(NULL, " ", &save)) {
      double len;
      const char *end;
      double k = 0;
      if (given == hi - lo + 1 ||
          !parse_length(w, em, c->t->page.line_pitch, &len) || len < 0 ||
          len > block_width(c) / 2) {
        zp_error(c->d, at_attr(c, n, "indent"),
                 "indent=\"%.60s\": expected one length (mm, cm, pt, em) per "
                 "level shown, %d at most, each at most half the text "
                 "block's width",
                 v, hi - lo + 1);
        given = 0;
        break;
      }
      pt[given] = len;
      if (parse_number(w, &k, &end) && strcmp(end, "em") == 0)
        ems[given] = k;
      given++;
    }
  }
  for (int i = 0; i <= hi - lo; i++) {
    int lv = lo + i;
    if (i < given) {
      tc->indent[lv] = pt[i];
      tc->indent_em[lv] = ems[i];
    } else if (given == 0) {
      tc->indent[lv] = i * em;
      tc->indent_em[lv] = i;
    } else { /* the last step again */
      int a = given - 1, b = given >= 2 ? given - 2 : given - 1;
      double step = given >= 2 ? pt[a] - pt[b] : 0;
      double step_em = given >= 2 ? ems[a] - ems[b] : 0;
      tc->indent[lv] = tc->indent[lv - 1] + step;
      tc->indent_em[lv] =
          ems[a] != 0 || given < 2 ? tc->indent_em[lv - 1] + step_em : 0;
      if (tc->indent[lv] > block_width(c) / 2)
        tc->indent[lv] = block_width(c) / 2;
    }
  }
  v = zp_tmpl_attr(n, "leader");
  tc->leader = !v || strcmp(v, "dots") == 0;
  tc->at = at_elem(c, n);
  v = zp_tmpl_attr(n, "numbers");
  tc->folio = v && strcmp(v, "folio") == 0;
  n->as.contents.toc = tc;
  n->as.contents.style = st;
  n->as.contents.title_style = ts;
  n->as.contents.title = attr_of(n, "title");
  v = zp_tmpl_attr(n, "outline");
  n->as.contents.outline = !v || yes(v);
}

/* Where content stands: what a <use> there must bring. */
enum { IN_SHEET, IN_BLOCKS, IN_INLINE, IN_ROWS, IN_CELLS, IN_DEFINE };
enum { HAS_BLOCKS = 1, HAS_INLINE = 2, HAS_ROWS = 4, HAS_CELLS = 8 };

static int content_class(comp *c, const zp_tnode *first, int depth);

/* What <define> def holds, once per define (macros that call each other
 * ten times over would otherwise be classified 10^30 times). */
static int define_class(comp *c, const zp_tnode *def, int depth) {
  for (int i = 0; i < c->nclass; i++)
    if (c->class_def[i] == def)
      return c->class_of[i] < 0 ? 0 : c->class_of[i];
  if (c->nclass == 512)
    return 0; /* past 512 macros: not checked (never exponential) */
  int k = c->nclass++;
  c->class_def[k] = def;
  c->class_of[k] = -1;
  int m = content_class(c, def->child, depth);
  c->class_of[k] = m;
  return m;
}

/* What the content from first holds (HAS_*), by element names (a
 * <define> is classified before its own nodes are compiled). */
static int content_class(comp *c, const zp_tnode *first, int depth) {
  int m = 0;
  if (depth > 32) /* macros that use each other: their other uses tell */
    return 0;
  for (const zp_tnode *n = first; n; n = n->next) {
    if (!n->name) {
      for (const char *p = n->text; *p; p++)
        if (!strchr(" \t\r\n", *p)) {
          m |= HAS_INLINE;
          break;
        }
    } else if (is(n, "br") || is(n, "b") || is(n, "sup") || is(n, "sub") ||
               is(n, "span") || is(n, "a") || is(n, "ref") || is(n, "note")) {
      m |= HAS_INLINE;
    } else if (is(n, "row")) {
      m |= HAS_ROWS;
    } else if (is(n, "cell")) {
      m |= HAS_CELLS;
    } else if (is(n, "for") || is(n, "if")) {
      m |= content_class(c, n->child, depth + 1);
    } else if (is(n, "use")) {
      const zp_tnode *def = find_define(c, zp_tmpl_attr(n, "name"));
      if (def)
        m |= define_class(c, def, depth + 1);
    } else if (!is(n, "else")) {
      m |= HAS_BLOCKS;
    }
  }
  return m;
}

/* A <use> must stand where its macro's content belongs. */
static void use_fits(comp *c, const zp_tnode *n, int where) {
  const zp_tnode *def = n->as.use.def;
  if (!def || where == IN_DEFINE)
    return; /* a macro's own uses are checked where it is used */
  int m = define_class(c, def, 0);
  static const int allowed[] = {0,        HAS_BLOCKS, HAS_INLINE,
                                HAS_ROWS, HAS_CELLS,  0};
  static const char *const where_names[] = {
      "", "among blocks", "in text", "among rows", "among cells", ""};
  static const char *const what[] = {"blocks", "text", "rows", "cells"};
  int bad = m & ~allowed[where];
  if (!bad)
    return;
  int k = bad & HAS_BLOCKS ? 0 : bad & HAS_INLINE ? 1 : bad & HAS_ROWS ? 2 : 3;
  zp_error(c->d, at_elem(c, n),
           "<use name=\"%s\"> stands %s, but <define name=\"%s\"> (%s:%d) "
           "holds %s",
           zp_tmpl_attr(n, "name"), where_names[where], zp_tmpl_attr(n, "name"),
           def->loc.file, def->loc.line, what[k]);
}

/* Compiles n and its siblings and their content; where: what content
 * this is (IN_SHEET: the style sheet's own elements, not the content of
 * <define> or <body>). */
static void node(comp *c, zp_tnode *n, int where) {
  bool sheet_level = where == IN_SHEET;
  for (; n; n = n->next) {
    c->t->size += 1 + (long)(n->text ? strlen(n->text) : 0);
    if (!n->name) {
      n->kind = ZP_T_TEXT;
      check_fields(c, n->fields, n->nfields);
      continue;
    }
    n->kind = ZP_T_SHEET;
    if (!sheet_level)
      for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(n->name, kinds[i].name) == 0)
          n->kind = kinds[i].kind;
    for (int i = 0; i < n->nattrs; i++)
      check_fields(c, n->attrs[i].fields, n->attrs[i].nfields);
    const char *v;
    if (n->kind == ZP_T_P || n->kind == ZP_T_ITEM || n->kind == ZP_T_SECTION ||
        n->kind == ZP_T_TABLE) {
      n->id = attr_of(n, "id");
      if (n->id) {
        n->id_at = at_attr(c, n, "id");
        remember(&c->ids, &c->nids, &c->capids, n);
      }
    }
    if (is_inline_kind(n->kind))
      inline_el(c, n);
    switch (n->kind) {
    case ZP_T_P:
    case ZP_T_ITEM:
      v = zp_tmpl_attr(n, "style");
      n->as.p.style = v                   ? style_named(c, v)
                      : n->kind == ZP_T_P ? default_style(c, n, "body")
                                          : NULL;
      if ((v = zp_tmpl_attr(n, "fill"))) {
        double w;
        const char *end;
        if (!parse_number(v, &w, &end) || *end || w < 0 || w > 1000)
          zp_error(c->d, at_attr(c, n, "fill"),
                   "fill=\"%.40s\": expected a share of a cover's free room "
                   "from 0 to 1000",
                   v);
        else
          n->as.p.fill = w > 0 ? (float)w : -1;
      }
      break;
    case ZP_T_SECTION:
      n->as.section.title = attr_of(n, "title");
      for (const zp_tnode *k = n->child; k; k = k->next)
        if (is(k, "title"))
          n->as.section.title_el = k;
      if (!n->as.section.title == !n->as.section.title_el)
        zp_error(c->d, at_elem(c, n),
                 "<section> needs a title: title=\"…\" or a <title> child "
                 "first%s",
                 n->as.section.title ? ", not both" : "");
      v = zp_tmpl_attr(n, "number");
      n->as.section.numbered = !v || yes(v);
      n->as.section.new_page = yes(zp_tmpl_attr(n, "new-page"));
      n->as.section.style = style_named(c, zp_tmpl_attr(n, "style"));
      break;
    case ZP_T_FOR:
      n->as.loop.each = zp_tmpl_attr(n, "each");
      n->as.loop.as = zp_tmpl_attr(n, "as");
      n->as.loop.sep = zp_tmpl_attr(n, "sep");
      break;
    case ZP_T_IF:
      n->as.cond.test = zp_tmpl_attr(n, "test");
      n->as.cond.expr = parse_expr(c, n->loc, n->as.cond.test, "test");
      n->as.cond.bare = zp_expr_is_path(n->as.cond.expr);
      n->as.cond.negate = yes(zp_tmpl_attr(n, "not"));
      for (const zp_tnode *k = n->child; k && !n->as.cond.els; k = k->next)
        if (is(k, "else"))
          n->as.cond.els = k;
      break;
    case ZP_T_USE:
      use(c, n);
      use_fits(c, n, where);
      break;
    case ZP_T_CHECK:
      check(c, n);
      break;
    case ZP_T_TABLE:
      table(c, n);
      break;
    case ZP_T_CELL:
      cell(c, n);
      break;
    case ZP_T_IMAGE:
      n->as.image = zp_timage_image(c->t, n, "src", c->d);
      break;
    case ZP_T_SIGNATURE:
      n->as.sign.unit = attr_of(n, "unit");
      n->as.sign.date = attr_of(n, "date");
      v = zp_tmpl_attr(n, "style");
      n->as.sign.style = v ? style_named(c, v) : default_style(c, n, "body");
      zp_timage_signature(c->t, n, c->d);
      break;
    case ZP_T_CONTENTS:
      contents(c, n);
      break;
    case ZP_T_PART:
    case ZP_T_ATTACHMENT:
      part(c, n);
      break;
    case ZP_T_HF: /* compiled with its part */
      break;
    case ZP_T_ATTACHMENT_LIST:
      v = zp_tmpl_attr(n, "style");
      n->as.list_style = v ? style_named(c, v) : default_style(c, n, "body");
      break;
    default:
      break;
    }
    /* the content of <define> and <body> is the binder's; the rest of the
     * sheet (styles, numbering, …) the compiler has read */
    int inner = where;
    if (sheet_level)
      inner = is(n, "define") ? IN_DEFINE
              : is(n, "body") ? IN_BLOCKS
                              : IN_SHEET;
    else if (n->kind == ZP_T_P || n->kind == ZP_T_ITEM ||
             n->kind == ZP_T_CELL || n->kind == ZP_T_TITLE ||
             is_inline_kind(n->kind))
      inner = IN_INLINE;
    else if (n->kind == ZP_T_TABLE || n->kind == ZP_T_HEAD)
      inner = IN_ROWS;
    else if (n->kind == ZP_T_ROW)
      inner = IN_CELLS;
    else if (n->kind == ZP_T_SECTION)
      inner = IN_BLOCKS;
    bool note = c->in_note, link = c->in_link;
    if (is_inline_kind(n->kind)) {
      c->inline_depth++;
      c->in_note |= n->kind == ZP_T_NOTE;
      c->in_link |= n->kind == ZP_T_A || n->kind == ZP_T_REF;
    }
    node(c, n->child, inner);
    if (is_inline_kind(n->kind))
      c->inline_depth--;
    c->in_note = note;
    c->in_link = link;
  }
}

bool zp_tmpl_compile(zp_template *t, zp_diag *d) {
  comp *c = calloc(1, sizeof *c);
  if (!c) {
    zp_error(d, (zp_loc){t->path, 0, 0}, "out of memory compiling \"%s\"",
             t->path);
    return false;
  }
  c->t = t;
  c->d = d;
  c->a = t->arena;
  c->errors = zp_diag_errors(d);
  page(c);
  styles(c);
  for (int i = 0; i < t->ntop; i++)
    check_style_refs(c, t->top[i]);
  sheet(c);
  for (int i = 0; i < t->ntop; i++) {
    zp_tnode *top = (zp_tnode *)t->top[i];
    zp_tnode *next = top->next;
    top->next = NULL; /* one top-level element at a time */
    node(c, top, IN_SHEET);
    top->next = next;
  }
  check_ids(c);
  free(c->ids);
  free(c->refs);
  bool ok = zp_diag_errors(d) == c->errors;
  free(c);
  return ok;
}
