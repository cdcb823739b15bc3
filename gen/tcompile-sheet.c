/* tcompile-sheet.c — the template compiler's reading of the style sheet
 * (steps 1 to 4, see tcompile.c and tcompile-imp.h): the page and its
 * grid, the styles resolved along their parents, the style references,
 * the folio, the footnotes, the numbering levels, the grade bands, the
 * info, the watermark, where parts may stand, the font roles.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "tcompile-imp.h"

/* The text block's width and height, pt. */
double tc_sheet_page_width(const zp_page_setup *p) {
  return p->width - p->margin_left - p->margin_right;
}
double tc_sheet_page_height(const zp_page_setup *p) {
  return p->height - p->margin_top - p->margin_bottom;
}
double tc_sheet_block_width(const comp *c) {
  return tc_sheet_page_width(&c->t->page);
}
static double block_height(const comp *c) {
  return tc_sheet_page_height(&c->t->page);
}

/* ---- 1. the page ---- */

void tc_sheet_page_setup(comp *c, const zp_tnode *n, zp_page_setup *p) {
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
    if (!found && tc_read_number(v, &w, &e1) && strncmp(e1, "mm×", 5) == 0 &&
        tc_read_number(e1 + 5, &h, &e2) && strcmp(e2, "mm") == 0) {
      p->width = w * MM;
      p->height = h * MM;
      found = true;
    }
    if (!found)
      zp_error(c->d, tc_read_at_attr(c, n, "paper"),
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
    if ((v = zp_tmpl_attr(n, keys[i])) && !tc_read_length(v, 16, 0, vals[i]))
      zp_error(c->d, tc_read_at_attr(c, n, keys[i]),
               "%s=\"%.40s\" is not a length", keys[i], v);
  p->grid_lines =
      tc_read_count_attr(c, n, "grid-lines", 0, ZP_MAX_GRID, p->grid_lines);
  p->grid_chars =
      tc_read_count_attr(c, n, "grid-chars", 0, ZP_MAX_GRID, p->grid_chars);
  /* pitches: above 0, at most the page (checked against the text block
   * once the page is known) */
  if ((v = zp_tmpl_attr(n, "line-pitch")) &&
      (!tc_read_length(v, 16, 0, &p->line_pitch) || p->line_pitch < 1))
    zp_error(c->d, tc_read_at_attr(c, n, "line-pitch"),
             "line-pitch=\"%.40s\" is not a length of 1 pt or more", v);
  if ((v = zp_tmpl_attr(n, "char-pitch")) &&
      (!tc_read_length(v, 16, 0, &p->char_pitch) || p->char_pitch < 1))
    zp_error(c->d, tc_read_at_attr(c, n, "char-pitch"),
             "char-pitch=\"%.40s\" is not a length of 1 pt or more", v);
}

void tc_sheet_page(comp *c) {
  zp_template *t = c->t;
  /* defaults: the official page (GB/T 9704) */
  t->page = (zp_page_setup){210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM,
                            26 * MM,  22,       28,      0,       0};
  const zp_tnode *pg = NULL;
  for (int i = 0; i < t->ntop; i++)
    if (is(t->top[i], "page")) {
      tc_sheet_page_setup(c, t->top[i], &t->page);
      pg = t->top[i];
    }
  c->raw_page = t->page;
  tc_sheet_page_check(c, pg ? pg->loc : (zp_loc){t->path, 0, 0}, &t->page);
}

/* Checks page p set up at at and derives its pitches. */
void tc_sheet_page_check(comp *c, zp_loc at, zp_page_setup *p) {
  if (p->width < 72 || p->height < 72 || p->width > 14400 ||
      p->height > 14400 || tc_sheet_page_width(p) < 36 ||
      tc_sheet_page_height(p) < 36 || p->margin_left < 0 ||
      p->margin_right < 0 || p->margin_top < 0 || p->margin_bottom < 0)
    zp_error(c->d, at,
             "the page (%.0f × %.0f mm) with its margins leaves no text "
             "block of at least 12.7 mm each way",
             p->width / MM, p->height / MM);
  else if (p->line_pitch > tc_sheet_page_height(p) ||
           p->char_pitch > tc_sheet_page_width(p))
    zp_error(c->d, at,
             "the grid's line-pitch and char-pitch must fit the text block "
             "(%.0f × %.0f mm)",
             tc_sheet_page_width(p) / MM, tc_sheet_page_height(p) / MM);
  /* the grid's pitches: text block ÷ grid counts (225mm/22, 156mm/28 on
   * the official page) */
  if (p->line_pitch <= 0 && p->grid_lines > 0)
    p->line_pitch = tc_sheet_page_height(p) / p->grid_lines;
  if (p->char_pitch <= 0 && p->grid_chars > 0)
    p->char_pitch = tc_sheet_page_width(p) / p->grid_chars;
  if (p->line_pitch <= 0)
    p->line_pitch = 28.95; /* Word's fixed pitch of the official grid */
}

/* ---- 2. styles ---- */

named_style *tc_sheet_find_style(comp *c, const char *name) {
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
    named_style *p = parent ? tc_sheet_find_style(c, parent) : NULL;
    n = p ? p->node : NULL;
  }
  return NULL;
}

static void length_attr(comp *c, const zp_tnode *n, const char *key, double em,
                        double *out) {
  const char *v = style_attr(c, n, key);
  if (v && !tc_read_length(v, em, c->t->page.line_pitch, out))
    zp_error(c->d, tc_read_at_attr(c, n, key),
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
  if (v && tc_read_number(v, &k, &end)) {
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
  double w = tc_sheet_block_width(c), h = block_height(c);
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
    zp_error(c->d, tc_read_at_attr(c, ns->node, "parent"),
             "style \"%s\" inherits from itself", ns->name);
    ns->failed = true;
    return NULL;
  }
  ns->resolving = true;
  const zp_tnode *n = ns->node;
  const char *name = ns->name;
  const char *parent = zp_tmpl_attr(n, "parent");
  named_style *pns = parent ? tc_sheet_find_style(c, parent) : NULL;
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
  if ((v = style_attr(c, n, "size")) && !tc_read_size(v, &s->size))
    zp_error(c->d, tc_read_at_attr(c, n, "size"),
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
    s->align = tc_read_align(v);
  s->bold = yes(style_attr(c, n, "bold"));
  s->color = ZP_COLOR_INHERIT;
  if ((v = style_attr(c, n, "color")) && !tc_read_color(v, &s->color))
    zp_error(c->d, tc_read_at_attr(c, n, "color"),
             "style \"%s\": color=\"%.40s\" is not a colour: expected "
             "#RRGGBB, six hex digits (#C00000)",
             name, v);
  s->keep_with_next = yes(style_attr(c, n, "keep-with-next"));
  s->balance = yes(style_attr(c, n, "balance"));
  s->page_break_before = yes(style_attr(c, n, "page-break-before"));
  s->widows = s->orphans = 2;
  if ((v = style_attr(c, n, "widows")) &&
      !tc_read_count(v, 1, ZP_MAX_COUNT, &s->widows))
    zp_error(c->d, tc_read_at_attr(c, n, "widows"),
             "style \"%s\": widows=\"%.40s\": expected 1 to %d", name, v,
             ZP_MAX_COUNT);
  if ((v = style_attr(c, n, "orphans")) &&
      !tc_read_count(v, 1, ZP_MAX_COUNT, &s->orphans))
    zp_error(c->d, tc_read_at_attr(c, n, "orphans"),
             "style \"%s\": orphans=\"%.40s\": expected 1 to %d", name, v,
             ZP_MAX_COUNT);
  s->rules = ZP_BREAK_BASIC;
  if ((v = style_attr(c, n, "breaks")))
    s->rules = strcmp(v, "strict") == 0  ? ZP_BREAK_STRICT
               : strcmp(v, "loose") == 0 ? ZP_BREAK_LOOSE
                                         : ZP_BREAK_BASIC;
  const char *end;
  if ((v = style_attr(c, n, "latin-space")) &&
      (!tc_read_number(v, &s->latin_space, &end) || *end ||
       s->latin_space < 0 || s->latin_space > 1))
    zp_error(c->d, tc_read_at_attr(c, n, "latin-space"),
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

void tc_sheet_styles(comp *c) {
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
    if (tc_sheet_find_style(c, c->styles[i].name) == &c->styles[i])
      resolve_style(c, &c->styles[i]);
}

/* A style by name, resolved; NULL (silently) when unknown or broken. */
const zp_style *tc_sheet_style(comp *c, const char *name) {
  named_style *ns = name ? tc_sheet_find_style(c, name) : NULL;
  return ns ? ns->resolved : NULL;
}

/* A default style (body, td, th, caption) for n; an error at n when the
 * template defines none of that name. */
const zp_style *tc_sheet_default_style(comp *c, const zp_tnode *n,
                                       const char *name) {
  named_style *ns = tc_sheet_find_style(c, name);
  if (!ns) {
    zp_error(c->d, tc_read_at_elem(c, n),
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
void tc_sheet_style_refs(comp *c, const zp_tnode *n) {
  if (!n->name)
    return;
  if (strcmp(n->name, "use") != 0)
    for (size_t i = 0; i < sizeof style_refs / sizeof *style_refs; i++) {
      const char *v = zp_tmpl_attr(n, style_refs[i]);
      if (v && !tc_sheet_find_style(c, v)) {
        char hint[160];
        zp_error(c->d, tc_read_at_attr(c, n, style_refs[i]),
                 "unknown style \"%s\" (%s of <%s>)%s", v, style_refs[i],
                 n->name,
                 tc_read_did_you_mean(v, c->style_names, c->nstyles, "\"", "\"",
                                      hint, sizeof hint));
      }
    }
  for (const zp_tnode *k = n->child; k; k = k->next)
    tc_sheet_style_refs(c, k);
}

/* ---- 4. folio, numbering, grades, info ---- */

void tc_sheet_folio(comp *c, const zp_tnode *n, zp_folio *f,
                    const zp_page_setup *p) {
  const char *v;
  if ((v = zp_tmpl_attr(n, "position")))
    f->pos = strcmp(v, "outer") == 0    ? ZP_FOLIO_OUTER
             : strcmp(v, "center") == 0 ? ZP_FOLIO_CENTER
                                        : ZP_FOLIO_NONE;
  if ((v = zp_tmpl_attr(n, "format")))
    f->format = v;
  const zp_style *st = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
  if (st) {
    f->role = st->role;
    f->size = st->size;
  }
  /* the folio stays on the page: below the text block within the bottom
   * margin, indented within the text block */
  if ((v = zp_tmpl_attr(n, "below")) &&
      (!tc_read_length(v, f->size, p->line_pitch, &f->below) || f->below < 0 ||
       f->below > p->margin_bottom))
    zp_error(c->d, tc_read_at_attr(c, n, "below"),
             "below=\"%.40s\" is not a length from 0 to the bottom margin "
             "(%.1f mm)",
             v, p->margin_bottom / MM);
  if ((v = zp_tmpl_attr(n, "indent")) &&
      (!tc_read_length(v, f->size, p->line_pitch, &f->indent) ||
       f->indent < 0 || f->indent > tc_sheet_page_width(p) / 2))
    zp_error(c->d, tc_read_at_attr(c, n, "indent"),
             "indent=\"%.40s\" is not a length from 0 to half the text "
             "block (%.1f mm)",
             v, tc_sheet_page_width(p) / MM / 2);
  if ((v = zp_tmpl_attr(n, "first-page")))
    f->first_page = yes(v);
}

/* <footnotes>: the notes' style, the marker style, the numbering, the
 * rule (length: a length or a percentage of the text block; weight) and
 * the space above and below it. */
static void footnotes(comp *c, const zp_tnode *n) {
  zp_footnotes *f = &c->t->footnotes;
  const char *v;
  const zp_style *st = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
  if (st)
    f->style = st;
  double em = f->style ? f->style->size : 12;
  if ((v = zp_tmpl_attr(n, "marker")))
    f->marker = strcmp(v, "super") == 0     ? ZP_MARKER_SUPER
                : strcmp(v, "bracket") == 0 ? ZP_MARKER_BRACKET
                                            : ZP_MARKER_CIRCLED;
  if ((v = zp_tmpl_attr(n, "numbering")))
    f->per_page = strcmp(v, "per-page") == 0;
  double bw = tc_sheet_block_width(c);
  if ((v = zp_tmpl_attr(n, "rule-length"))) {
    const char *end;
    double pct;
    size_t len = strlen(v);
    bool ok;
    if (len && v[len - 1] == '%')
      ok = tc_read_number(v, &pct, &end) && *end == '%' && pct > 0 &&
           pct <= 100 && (f->rule_length = bw * pct / 100, true);
    else
      ok = tc_read_length(v, em, c->t->page.line_pitch, &f->rule_length) &&
           f->rule_length > 0 && f->rule_length <= bw;
    if (!ok)
      zp_error(c->d, tc_read_at_attr(c, n, "rule-length"),
               "rule-length=\"%.40s\" is not a length or percentage from 0 "
               "to the text block's width (%.1f mm)",
               v, bw / MM);
  }
  if ((v = zp_tmpl_attr(n, "rule-width")) &&
      (!tc_read_length(v, em, c->t->page.line_pitch, &f->rule_width) ||
       f->rule_width < 0 || f->rule_width > ZP_MAX_RULE))
    zp_error(c->d, tc_read_at_attr(c, n, "rule-width"),
             "rule-width=\"%.40s\" is not a length from 0 to %.2f pt", v,
             ZP_MAX_RULE);
  double bh =
      c->t->page.height - c->t->page.margin_top - c->t->page.margin_bottom;
  if ((v = zp_tmpl_attr(n, "space")) &&
      (!tc_read_length(v, em, c->t->page.line_pitch, &f->space) ||
       f->space < 0 || f->space > bh / 8))
    zp_error(c->d, tc_read_at_attr(c, n, "space"),
             "space=\"%.40s\" is not a length from 0 to an eighth of the "
             "text block's height (%.1f mm)",
             v, bh / 8 / MM);
}

static void numbering(comp *c, const zp_tnode *n) {
  for (const zp_tnode *l = n->child; l; l = l->next) {
    if (!l->name)
      continue;
    int k;
    if (!tc_read_count(zp_tmpl_attr(l, "n"), 1, ZP_TMPL_MAX_LEVELS, &k)) {
      zp_error(c->d, tc_read_at_attr(c, l, "n"),
               "numbering levels go from 1 to %d", ZP_TMPL_MAX_LEVELS);
      continue;
    }
    const char *o = zp_tmpl_attr(l, "outline");
    const char *f = zp_tmpl_attr(l, "format");
    c->t->levels[k] =
        (zp_tlevel){f && strcmp(f, "cn") == 0            ? ZP_NUMBER_CN
                    : f && strcmp(f, "lower-alpha") == 0 ? ZP_NUMBER_ALPHA
                                                         : ZP_NUMBER_DECIMAL,
                    tc_read_attr(l, "prefix"),
                    tc_read_attr(l, "suffix"),
                    tc_sheet_style(c, zp_tmpl_attr(l, "heading-style")),
                    tc_sheet_style(c, zp_tmpl_attr(l, "item-style")),
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
    if (!tc_read_number(v, &min, &end) || *end) {
      zp_error(c->d, tc_read_at_attr(c, g, "min"),
               "min=\"%.40s\" is not a number", v);
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
      zp_error(c->d, tc_read_at_elem(c, n),
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

void tc_sheet_read(comp *c) {
  zp_template *t = c->t;
  t->folio =
      (zp_folio){ZP_FOLIO_CENTER, "- {n} -", "song", 14, 7 * MM, 0, true};
  const zp_tnode *last_folio = NULL;
  /* footnotes: the style named "footnote" when there is one */
  t->footnotes = (zp_footnotes){
      tc_sheet_style(c, "footnote"), ZP_MARKER_CIRCLED, false, 0, 0.5, 5};
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
        t->info[k] = tc_read_attr(n, keys[k]);
    }
  }
  /* a later <folio> replaces the earlier entirely */
  if (last_folio)
    tc_sheet_folio(c, last_folio, &t->folio, &t->page);
  c->sheet_folio = last_folio;
  /* a body of parts holds nothing else; parts stand nowhere else */
  const zp_tnode *first_part = NULL, *block = NULL;
  if (t->body)
    body_items(c, t->body->child, true, &first_part, &block);
  for (int i = 0; i < t->ntop; i++) /* a macro holds no part */
    if (is(t->top[i], "define"))
      body_items(c, t->top[i]->child, false, &first_part, &block);
  if (first_part && block)
    zp_error(c->d, tc_read_at_elem(c, block),
             "<%s> stands in a <body> of parts (<%s> at line %d): there, "
             "every block is inside a <part> or an <attachment>",
             block->name, first_part->name, first_part->loc.line);
  named_style *body = tc_sheet_find_style(c, "body");
  t->body_style = body ? body->resolved : NULL;
  t->roles = zp_tmpl_roles(t);
}
