/* tcompile-block.c — the template compiler's blocks (step 5, see
 * tcompile.c and tcompile-imp.h): parts and attachments with their page,
 * numbering, folio, headers and footers; paragraphs, sections, loops and
 * conditions; macros (<use> bound to its <define>, and where its content
 * may stand); checks; tables, their columns and cells; the table of
 * contents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "tcompile-imp.h"

/* <use> parameters: a macro is a paragraph pattern, not a function. */
#define MAX_PARAMS 16

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
void tc_block_part(comp *c, zp_tnode *n) {
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
  tc_sheet_page_setup(c, n, &tp->page);
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
          (int)(tc_sheet_page_height(&tp->page) / sp->line_pitch + 1e-6);
    }
    if (sp->grid_chars > 0 && sp->char_pitch > 0) {
      tp->page.char_pitch = sp->char_pitch;
      tp->page.grid_chars =
          (int)(tc_sheet_page_width(&tp->page) / sp->char_pitch + 1e-6);
    }
  }
  tc_sheet_page_check(c, n->loc, &tp->page);
  /* numbering: an attachment continues the body's by default */
  v = zp_tmpl_attr(n, "numbering");
  tp->restart = v && strcmp(v, "restart") == 0;
  tp->start = 1;
  if ((v = zp_tmpl_attr(n, "start"))) {
    if (!tp->restart)
      zp_error(c->d, tc_read_at_attr(c, n, "start"),
               "start=\"%.40s\" needs numbering=\"restart\" (a part that "
               "continues takes its number from the page before)",
               v);
    tp->start = tc_read_count_attr(c, n, "start", 1, ZP_MAX_PAGES, 1);
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
      zp_error(c->d, tc_read_at_attr(c, n, "valign"),
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
        zp_error(c->d, tc_read_at_elem(c, k), "a part has at most one <folio>");
      fo = k;
    }
  for (zp_tnode *k = n->child; k; k = k->next)
    if (is(k, "header") || is(k, "footer"))
      header_footer(c, k, &tp->page);
  v = c->sheet_folio ? zp_tmpl_attr(c->sheet_folio, "landscape") : NULL;
  tp->folio_portrait = !v || strcmp(v, "portrait") == 0;
  if (fo)
    tc_sheet_folio(c, fo, &tp->folio, &tp->page);
  /* the sheet's folio must stay on this part's page too */
  bool own_below = fo && zp_tmpl_attr(fo, "below"),
       own_indent = fo && zp_tmpl_attr(fo, "indent");
  if ((!own_below && tp->folio.below > tp->page.margin_bottom) ||
      (!own_indent && tp->folio.indent > tc_sheet_page_width(&tp->page) / 2))
    zp_error(c->d, tc_read_at_elem(c, fo ? fo : n),
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
    tp->title = tc_read_attr(n, "title");
    tp->title_at = tc_read_at_attr(c, n, "title");
    tp->label = tc_read_attr(n, "label");
    const zp_style *body = c->t->body_style;
    const zp_style *st = tc_sheet_style(c, zp_tmpl_attr(n, "label-style"));
    named_style *ns = tc_sheet_find_style(c, "attachment-label");
    if (!st && ns)
      st = ns->resolved;
    /* 附件N in 黑体 at the top left of line 1, the title on line 3 */
    if (!st && body)
      st = derived_style(c, body, "attachment-label", "hei", ZP_ALIGN_LEFT,
                         tp->page.line_pitch);
    tp->label_style = st;
    st = tc_sheet_style(c, zp_tmpl_attr(n, "title-style"));
    if (!st && (ns = tc_sheet_find_style(c, "attachment-title")))
      st = ns->resolved;
    if (!st && (ns = tc_sheet_find_style(c, "title")))
      st = ns->resolved;
    if (!st && body)
      st = derived_style(c, body, "attachment-title", NULL, ZP_ALIGN_CENTER, 0);
    tp->title_style = st;
    if (!tp->label_style || !tp->title_style)
      zp_error(c->d, tc_read_at_elem(c, n),
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
  n->as.hf.align = v ? tc_read_align(v) : ZP_ALIGN_CENTER;
  n->as.hf.style = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
  const zp_style *st = n->as.hf.style;
  double size = st ? st->size : c->t->folio.size;
  n->as.hf.distance = 5 * MM;
  /* the header or footer stays in its margin */
  double room = n->as.hf.footer ? p->margin_bottom : p->margin_top;
  if ((v = zp_tmpl_attr(n, "distance")) &&
      (!tc_read_length(v, size, p->line_pitch, &n->as.hf.distance) ||
       n->as.hf.distance < 0 || n->as.hf.distance + size > room))
    zp_error(c->d, tc_read_at_attr(c, n, "distance"),
             "distance=\"%.40s\" is not a length from 0 to the %s margin "
             "less the text's size (%.1f mm)",
             v, n->as.hf.footer ? "bottom" : "top", (room - size) / MM);
}

/* ---- paragraphs, sections, loops, conditions ---- */

/* <p> or <item>: a <p> takes body by default. */
void tc_block_paragraph(comp *c, zp_tnode *n) {
  const char *v = zp_tmpl_attr(n, "style");
  n->as.p.style = v                   ? tc_sheet_style(c, v)
                  : n->kind == ZP_T_P ? tc_sheet_default_style(c, n, "body")
                                      : NULL;
  if ((v = zp_tmpl_attr(n, "fill"))) {
    double w;
    const char *end;
    if (!tc_read_number(v, &w, &end) || *end || w < 0 || w > 1000)
      zp_error(c->d, tc_read_at_attr(c, n, "fill"),
               "fill=\"%.40s\": expected a share of a cover's free room "
               "from 0 to 1000",
               v);
    else
      n->as.p.fill = w > 0 ? (float)w : -1;
  }
}

/* <section>: a title, numbered unless number="no". */
void tc_block_section(comp *c, zp_tnode *n) {
  const char *v;
  n->as.section.title = tc_read_attr(n, "title");
  for (const zp_tnode *k = n->child; k; k = k->next)
    if (is(k, "title"))
      n->as.section.title_el = k;
  if (!n->as.section.title == !n->as.section.title_el)
    zp_error(c->d, tc_read_at_elem(c, n),
             "<section> needs a title: title=\"…\" or a <title> child "
             "first%s",
             n->as.section.title ? ", not both" : "");
  v = zp_tmpl_attr(n, "number");
  n->as.section.numbered = !v || yes(v);
  n->as.section.new_page = yes(zp_tmpl_attr(n, "new-page"));
  n->as.section.style = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
}

/* <for each as sep>. */
void tc_block_for(zp_tnode *n) {
  n->as.loop.each = zp_tmpl_attr(n, "each");
  n->as.loop.as = zp_tmpl_attr(n, "as");
  n->as.loop.sep = zp_tmpl_attr(n, "sep");
}

/* <if test not> and its <else>. */
void tc_block_if(comp *c, zp_tnode *n) {
  n->as.cond.test = zp_tmpl_attr(n, "test");
  n->as.cond.expr = tc_read_expr(c, n->loc, n->as.cond.test, "test");
  n->as.cond.bare = zp_expr_is_path(n->as.cond.expr);
  n->as.cond.negate = yes(zp_tmpl_attr(n, "not"));
  for (const zp_tnode *k = n->child; k && !n->as.cond.els; k = k->next)
    if (is(k, "else"))
      n->as.cond.els = k;
}

/* ---- macros, checks, tables, cells ---- */

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
      zp_error(c->d, tc_read_at_elem(c, n),
               "column %d is %.1f mm wide; a column's width includes its "
               "padding (%.1f mm) and must leave 1 em (%.1f mm) for its text",
               i + 1, w / MM, (t->pad_left + t->pad_right) / MM, em / MM);
    need += w > least ? w : least;
  }
  double w = tc_sheet_block_width(c);
  if (need > w + 0.01)
    zp_error(c->d, tc_read_at_elem(c, n),
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
    zp_error(c->d, tc_read_at_elem(c, n),
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
          (!tc_read_length(v, em, line, &col->width) || col->width < 0))
        zp_error(c->d, tc_read_at_attr(c, k, "min"),
                 "min=\"%.40s\" is not a length of 0 or more", v);
    } else if (wl && w[wl - 1] == '*') {
      col->kind = ZP_COL_PROPORTIONAL;
      col->width = 1;
      if (wl > 1 && (!tc_read_number(w, &col->width, &end) || *end != '*' ||
                     col->width <= 0 || col->width > 1e6))
        zp_error(c->d, tc_read_at_attr(c, k, "width"),
                 "width=\"%.40s\": a weight is a number above 0 and at most "
                 "1000000 (2*)",
                 w);
    } else {
      col->kind = ZP_COL_FIXED;
      if (!tc_read_length(w, em, line, &col->width))
        zp_error(c->d, tc_read_at_attr(c, k, "width"),
                 "width=\"%.40s\" is not a length, a weight (2*) or fit", w);
      else if (col->width <= 0)
        zp_error(c->d, tc_read_at_attr(c, k, "width"),
                 "width=\"%.40s\": a column must be wider than 0", w);
    }
    v = zp_tmpl_attr(k, "align");
    col->align = v ? tc_read_align(v) : ZP_ALIGN_LEFT;
  }
}

void tc_block_table(comp *c, zp_tnode *n) {
  zp_ttable *t = zp_arena_alloc(c->a, sizeof *t);
  if (!t)
    return;
  n->as.table = t;
  double line = c->t->page.line_pitch;
  const char *v;
  t->cell_style = (v = zp_tmpl_attr(n, "style"))
                      ? tc_sheet_style(c, v)
                      : tc_sheet_default_style(c, n, "td");
  t->head_style = (v = zp_tmpl_attr(n, "header-style"))
                      ? tc_sheet_style(c, v)
                      : tc_sheet_default_style(c, n, "th");
  double em = t->cell_style ? t->cell_style->size : 10.5;
  columns(c, n, t, em);
  t->caption = tc_read_attr(n, "caption");
  if (t->caption)
    t->caption_style = (v = zp_tmpl_attr(n, "caption-style"))
                           ? tc_sheet_style(c, v)
                           : tc_sheet_default_style(c, n, "caption");
  t->numbered = yes(zp_tmpl_attr(n, "number"));
  t->continued = zp_tmpl_attr(n, "continued");
  t->rule_width = 0.5;
  if ((v = zp_tmpl_attr(n, "rule")) &&
      (!tc_read_length(v, em, line, &t->rule_width) || t->rule_width < 0 ||
       t->rule_width > ZP_MAX_RULE))
    zp_error(c->d, tc_read_at_attr(c, n, "rule"),
             "rule=\"%.40s\" is not a length from 0 to 2 mm", v);
  if ((v = zp_tmpl_attr(n, "frame")) &&
      (!tc_read_length(v, em, line, &t->frame_width) || t->frame_width < 0 ||
       t->frame_width > ZP_MAX_RULE))
    zp_error(c->d, tc_read_at_attr(c, n, "frame"),
             "frame=\"%.40s\" is not a length from 0 to 2 mm", v);
  t->pad_top = t->pad_bottom = 2;
  t->pad_left = t->pad_right = 3;
  if ((v = zp_tmpl_attr(n, "padding"))) {
    char a1[32] = "", a2[32] = "", a3[2] = "";
    int got = sscanf(v, "%31s %31s %1s", a1, a2, a3);
    double pv = 0, ph = 0;
    if (got < 1 || got > 2 || strlen(v) > 64 ||
        !tc_read_length(a1, em, line, &pv) ||
        (got == 2 && !tc_read_length(a2, em, line, &ph)) || pv < 0 || ph < 0 ||
        pv > ZP_MAX_PADDING || ph > ZP_MAX_PADDING) {
      zp_error(c->d, tc_read_at_attr(c, n, "padding"),
               "padding=\"%.40s\": one or two lengths from 0 to 20 mm", v);
      pv = ph = 0;
    }
    t->pad_top = t->pad_bottom = pv;
    t->pad_left = t->pad_right = got == 2 ? ph : pv;
  }
  t->min_split_lines =
      tc_read_count_attr(c, n, "min-split-lines", 1, ZP_MAX_COUNT, 2);
  table_fits(c, n, t, em);
}

void tc_block_cell(comp *c, zp_tnode *n) {
  const char *v;
  n->as.cell.colspan =
      tc_read_count_attr(c, n, "colspan", 1, ZP_MAX_COLUMNS, 1);
  n->as.cell.rowspan = tc_read_count_attr(c, n, "rowspan", 1, ZP_MAX_COUNT, 1);
  n->as.cell.rowspan_at = tc_read_at_attr(c, n, "rowspan");
  n->as.cell.style = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
  if ((v = zp_tmpl_attr(n, "align"))) {
    n->as.cell.has_align = true;
    n->as.cell.align = tc_read_align(v);
  }
  n->as.cell.valign = ZP_VALIGN_MIDDLE;
  if ((v = zp_tmpl_attr(n, "valign")))
    n->as.cell.valign = strcmp(v, "top") == 0      ? ZP_VALIGN_TOP
                        : strcmp(v, "bottom") == 0 ? ZP_VALIGN_BOTTOM
                                                   : ZP_VALIGN_MIDDLE;
  n->as.cell.span = zp_tmpl_attr(n, "span");
  n->as.cell.blank = n->as.cell.span && strcmp(n->as.cell.span, "blank") == 0;
}

void tc_block_check(comp *c, zp_tnode *n) {
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
  n->as.check.cexpr = tc_read_expr(c, n->loc, e, "");
  n->as.check.value = zp_tmpl_attr(n, "value");
  n->as.check.expr = e;
  n->as.check.rule = zp_tmpl_attr(n, "rule");
  n->as.check.warning =
      (v = zp_tmpl_attr(n, "severity")) && strcmp(v, "warning") == 0;
  n->as.check.places = -1;
  if ((v = zp_tmpl_attr(n, "places")) &&
      !tc_read_count(v, 0, 12, &n->as.check.places)) {
    zp_error(c->d, tc_read_at_attr(c, n, "places"),
             "<check> compares 0 to 12 decimals, not places=\"%.40s\"", v);
    n->as.check.places = -1;
  }
}

void tc_block_use(comp *c, zp_tnode *n) {
  const char *name = zp_tmpl_attr(n, "name");
  n->as.use.def = find_define(c, name);
  if (!n->as.use.def) {
    const char *names[256];
    int k = 0;
    for (int i = 0; i < c->t->ntop && k < 256; i++)
      if (is(c->t->top[i], "define"))
        names[k++] = zp_tmpl_attr(c->t->top[i], "name");
    char hint[160];
    zp_error(
        c->d, tc_read_at_attr(c, n, "name"), "no <define name=\"%s\">%s", name,
        tc_read_did_you_mean(name, names, k, "\"", "\"", hint, sizeof hint));
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

/* ---- the table of contents ---- */

/* <contents levels="1-2" title="目录" style="…" title-style="…"
 * indent="0 1em 2em" leader="dots|none" outline="yes|no"/>. */
void tc_block_contents(comp *c, zp_tnode *n) {
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
      zp_error(c->d, tc_read_at_attr(c, n, "levels"),
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
  const zp_style *st = v ? tc_sheet_style(c, v)
                       : tc_sheet_find_style(c, "toc")
                           ? tc_sheet_style(c, "toc")
                           : tc_sheet_default_style(c, n, "body");
  v = zp_tmpl_attr(n, "title-style");
  const zp_style *ts =
      v ? tc_sheet_style(c, v) : tc_sheet_style(c, "toc-title");
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
          !tc_read_length(w, em, c->t->page.line_pitch, &len) || len < 0 ||
          len > tc_sheet_block_width(c) / 2) {
        zp_error(c->d, tc_read_at_attr(c, n, "indent"),
                 "indent=\"%.60s\": expected one length (mm, cm, pt, em) per "
                 "level shown, %d at most, each at most half the text "
                 "block's width",
                 v, hi - lo + 1);
        given = 0;
        break;
      }
      pt[given] = len;
      if (tc_read_number(w, &k, &end) && strcmp(end, "em") == 0)
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
      if (tc->indent[lv] > tc_sheet_block_width(c) / 2)
        tc->indent[lv] = tc_sheet_block_width(c) / 2;
    }
  }
  v = zp_tmpl_attr(n, "leader");
  tc->leader = !v || strcmp(v, "dots") == 0;
  tc->at = tc_read_at_elem(c, n);
  v = zp_tmpl_attr(n, "numbers");
  tc->folio = v && strcmp(v, "folio") == 0;
  v = zp_tmpl_attr(n, "attachments");
  tc->attachments = yes(v);
  n->as.contents.toc = tc;
  n->as.contents.style = st;
  n->as.contents.title_style = ts;
  n->as.contents.title = tc_read_attr(n, "title");
  v = zp_tmpl_attr(n, "outline");
  n->as.contents.outline = !v || yes(v);
}

/* ---- where a macro's content may stand ---- */

/* What content holds (content_class). */
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
void tc_block_use_fits(comp *c, const zp_tnode *n, int where) {
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
  zp_error(c->d, tc_read_at_elem(c, n),
           "<use name=\"%s\"> stands %s, but <define name=\"%s\"> (%s:%d) "
           "holds %s",
           zp_tmpl_attr(n, "name"), where_names[where], zp_tmpl_attr(n, "name"),
           def->loc.file, def->loc.line, what[k]);
}
