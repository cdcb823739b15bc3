/* layout-part.c — parts and their furniture (see layout-imp.h).
 *
 * A document with parts (doc.h zp_part) is laid out part by part, each on
 * its own page set-up, each starting on a new page.  Two passes: the
 * first only counts pages (lay_page_emit draws nothing), so that every
 * page's printed number, the document's and each part's page count are
 * known before anything is drawn (a footer's "第 1 页 共 9 页"); the second
 * draws.  A page's furniture is its folio (upright, or on a landscape page
 * turned to stand where a portrait page has it), its header and footer,
 * and the PDF page labels agree with the printed numbers.  A cover that
 * fits its page has its blocks placed by its valign.
 */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "fmt.h"

/* ---- numbers ---- */

/* i ii iii … in lower (upper false) or upper case; false past 3999. */
static bool roman(int n, bool upper, char *buf, size_t size) {
  static const struct {
    int v;
    const char *s;
  } r[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
           {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
           {5, "v"},    {4, "iv"},   {1, "i"}};
  if (n < 1 || n > 3999 || size < 16)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < sizeof r / sizeof *r; i++)
    for (; n >= r[i].v; n -= r[i].v)
      for (const char *p = r[i].s; *p; p++)
        buf[k++] = upper ? (char)(*p - 'a' + 'A') : *p;
  buf[k] = 0;
  return true;
}

/* number in style num into buf ("" for ZP_NUM_NONE). */
static const char *number_text(zp_num_style num, int number, char *buf,
                               size_t n) {
  if (!n)
    return buf;
  buf[0] = 0;
  switch (num) {
  case ZP_NUM_NONE:
    return buf;
  case ZP_NUM_ROMAN:
  case ZP_NUM_ROMAN_UPPER:
    if (roman(number, num == ZP_NUM_ROMAN_UPPER, buf, n))
      return buf;
    break;
  case ZP_NUM_CN:
    if (zp_fmt_cn(number, buf, n))
      return buf;
    break;
  case ZP_NUM_ARABIC:
    break;
  }
  snprintf(buf, n, "%d", number);
  return buf;
}

const char *lay_page_number(ctx *c, int page, char *buf, size_t n) {
  if (!c->pinfo || page < 0 || (size_t)page >= c->npinfo) {
    snprintf(buf, n, "%d", page + 1);
    return buf;
  }
  const lay_pinfo *pi = &c->pinfo[page];
  return number_text(c->partv[pi->part]->num, pi->number, buf, n);
}

static void expand_format(const char *format, const char *num, int pages,
                          int part_pages, char *out, size_t size);

const char *lay_page_folio(ctx *c, int page, char *buf, size_t n) {
  char num[64];
  lay_page_number(c, page, num, sizeof num);
  const zp_folio *f = &c->doc->folio;
  int part_pages = (int)c->npinfo;
  if (c->pinfo && page >= 0 && (size_t)page < c->npinfo) {
    const lay_pinfo *pi = &c->pinfo[page];
    f = &c->partv[pi->part]->folio;
    part_pages = c->part_pages[pi->part];
  }
  if (!*num || !f->format || !strstr(f->format, "{n}"))
    snprintf(buf, n, "%s", num);
  else
    expand_format(f->format, num, (int)c->npinfo, part_pages, buf, n);
  return buf;
}

/* ---- drawing a line of furniture ---- */

/* Sets text (UTF-8, at most 255 characters) in font role rname at size
 * into g (room for 256); returns the count, *w the width.  -1 after an
 * error (an undefined role) reported at loc. */
static int set_text(ctx *c, const char *rname, float size, const char *text,
                    zp_loc loc, lglyph *g, float *w) {
  int role = zp_font_role_find(c->fs, rname);
  if (role < 0) {
    zp_error(c->d, loc,
             "the page's furniture uses font role \"%s\", which "
             "is not defined",
             rname);
    return -1;
  }
  uint32_t cps[1024];
  char tmp[1024];
  snprintf(tmp, sizeof tmp, "%s", text);
  size_t n = lay_text_utf8_decode(tmp, cps);
  bool cut = n > 256;
  if (cut)
    n = 256;
  float x = 0;
  lay_text_glyphs(c, role, cps, (uint32_t)n, size, g, &x);
  *w = cut ? 1e9f : x; /* too long for any text block */
  return (int)n;
}

/* The part's page geometry: what lay_part_setup sets. */
static void block_of(const zp_page_setup *ps, float *left, float *top, float *w,
                     float *h) {
  *left = (float)ps->margin_left;
  *top = (float)ps->margin_top;
  *w = (float)(ps->width - ps->margin_left - ps->margin_right);
  *h = (float)(ps->height - ps->margin_top - ps->margin_bottom);
}

/* The folio text of format with the page's number and counts. */
static void expand_format(const char *format, const char *num, int pages,
                          int part_pages, char *out, size_t size) {
  size_t k = 0;
  for (const char *s = format; *s && k + 1 < size;) {
    const char *v = NULL;
    char tmp[32];
    size_t skip = 0;
    if (strncmp(s, "{n}", 3) == 0)
      v = num, skip = 3;
    else if (strncmp(s, "{pages}", 7) == 0)
      snprintf(tmp, sizeof tmp, "%d", pages), v = tmp, skip = 7;
    else if (strncmp(s, "{part-pages}", 12) == 0)
      snprintf(tmp, sizeof tmp, "%d", part_pages), v = tmp, skip = 12;
    if (v) {
      k += (size_t)snprintf(out + k, size - k, "%s", v);
      if (k >= size)
        k = size - 1;
      s += skip;
    } else {
      out[k++] = *s++;
    }
  }
  out[k] = 0;
}

/* The folio of 0-based page page. */
static bool folio(ctx *c, zp_dl_page *p, int page) {
  const zp_part *pt = c->part;
  const zp_folio *f = &pt->folio;
  const lay_pinfo *pi = &c->pinfo[page];
  if (pt->num == ZP_NUM_NONE || f->pos == ZP_FOLIO_NONE || !f->format ||
      (pi->in_part == 0 && !f->first_page))
    return true;
  char num[64], text[512];
  number_text(pt->num, pi->number, num, sizeof num);
  expand_format(f->format, num, (int)c->npinfo, c->part_pages[pi->part], text,
                sizeof text);
  lglyph g[256];
  float w, size = (float)f->size;
  int n = set_text(c, f->role ? f->role : "song", size, text, pt->loc, g, &w);
  if (n < 0)
    return false;
  /* on a landscape page in a portrait document, where the portrait page
   * has it: the portrait page is the landscape one turned a quarter
   * clockwise (its top at the portrait page's left) */
  const zp_page_setup *ps = &pt->page, *doc = &c->doc->page;
  bool turn =
      pt->folio_portrait && ps->width > ps->height && doc->width <= doc->height;
  zp_page_setup port = turn ? *doc : *ps;
  if (turn) {
    port.width = ps->height;
    port.height = ps->width;
  }
  float bl, bt, bw, bh;
  block_of(&port, &bl, &bt, &bw, &bh);
  float indent = (float)f->indent, left;
  if (f->pos == ZP_FOLIO_CENTER)
    left = bl + (bw - w) / 2;
  else if (pi->number % 2 != 0)
    left = bl + bw - indent - w;
  else
    left = bl + indent;
  float base = bt + bh + (float)f->below + size * 0.88f;
  float x = left, y = (float)port.height - base, angle = 0;
  if (turn) { /* portrait (x, y) on the landscape page */
    x = (float)port.height - base;
    y = (float)ps->height - left;
    angle = -90;
  }
  if (c->dump) {
    fprintf(c->dump, "  folio x=%.2f y=%.2f w=%.2f size=%.1f%s text=", x,
            (float)ps->height - y, w, size, turn ? " angle=-90" : "");
    lay_page_dump_text(c->dump, g, (uint32_t)n);
    fputc('\n', c->dump);
  }
  return lay_page_glyphs(c, p, g, NULL, (uint32_t)n,
                         (lglook){size, 0, 0, false}, x, y, angle);
}

/* The header or footer (footer true) of 0-based page page: the part's
 * first-page one on its first page, else the odd or even one, else the
 * one for all pages. */
static bool header_footer(ctx *c, zp_dl_page *p, int page, bool footer) {
  const lay_pinfo *pi = &c->pinfo[page];
  const zp_hf *best = NULL;
  int rank = 0;
  bool odd = (c->part->num == ZP_NUM_NONE ? pi->in_part + 1 : pi->number) % 2;
  for (const zp_hf *h = c->part->hf; h; h = h->next) {
    if (h->footer != footer)
      continue;
    int r = h->pages == ZP_HF_FIRST  ? (pi->in_part == 0 ? 3 : 0)
            : h->pages == ZP_HF_ODD  ? (odd ? 2 : 0)
            : h->pages == ZP_HF_EVEN ? (odd ? 0 : 2)
                                     : 1;
    if (r > rank) {
      rank = r;
      best = h;
    }
  }
  if (!best)
    return true;
  char num[64], tmp[32], text[1024];
  number_text(c->part->num, pi->number, num, sizeof num);
  size_t k = 0;
  for (const char *s = best->text; *s && k + 64 < sizeof text; s++) {
    const char *v = NULL;
    if (*s == ZP_HF_PAGE)
      v = num;
    else if (*s == ZP_HF_PAGES)
      snprintf(tmp, sizeof tmp, "%zu", c->npinfo), v = tmp;
    else if (*s == ZP_HF_PART_PAGES)
      snprintf(tmp, sizeof tmp, "%d", c->part_pages[pi->part]), v = tmp;
    if (v)
      k += (size_t)snprintf(text + k, sizeof text - k, "%s", v);
    else
      text[k++] = *s;
  }
  text[k] = 0;
  const zp_style *st = best->style;
  const char *role = st ? st->role : c->part->folio.role;
  float size = (float)(st ? st->size : c->part->folio.size);
  lglyph g[256];
  float w;
  int n = set_text(c, role ? role : "song", size, text, best->loc, g, &w);
  if (n < 0)
    return false;
  const char *what = footer ? "footer" : "header";
  if (w >= 1e9f) { /* set_text's mark of a text cut at 256 characters */
    zp_error(c->d, best->loc,
             "the %s on page %d has more than 256 characters, more than a "
             "line of the text block (%.1f mm) holds",
             what, page + 1, c->block_w * 25.4f / 72);
    return false;
  }
  if (w > c->block_w + LAY_EPS) {
    zp_error(c->d, best->loc,
             "the %s on page %d is %.1f mm wide, wider than the text block "
             "(%.1f mm)",
             what, page + 1, w * 25.4f / 72, c->block_w * 25.4f / 72);
    return false;
  }
  const zp_page_setup *ps = &c->part->page;
  double room = footer ? ps->margin_bottom : ps->margin_top;
  if (best->distance + size > room + LAY_EPS) {
    zp_error(c->d, best->loc,
             "the %s does not fit its margin: %.1f mm from the text block "
             "and %.1f pt high, in a margin of %.1f mm",
             what, best->distance * 25.4 / 72, size, room * 25.4 / 72);
    return false;
  }
  float left = best->align == ZP_ALIGN_RIGHT ? c->block_left + c->block_w - w
               : best->align == ZP_ALIGN_CENTER
                   ? c->block_left + (c->block_w - w) / 2
                   : c->block_left;
  float base =
      footer ? c->block_top + c->block_h + (float)best->distance + size * 0.88f
             : c->block_top - (float)best->distance - size * 0.12f;
  if (c->dump) {
    fprintf(c->dump, "  %s x=%.2f y=%.2f w=%.2f size=%.1f text=", what, left,
            base, w, size);
    lay_page_dump_text(c->dump, g, (uint32_t)n);
    fputc('\n', c->dump);
  }
  return lay_page_glyphs(c, p, g, NULL, (uint32_t)n,
                         (lglook){size, 0, 0, false}, left, p->height - base,
                         0);
}

bool lay_part_furniture(ctx *c, zp_dl_page *p, int page) {
  return header_footer(c, p, page, false) && header_footer(c, p, page, true) &&
         folio(c, p, page);
}

/* ---- the page area and the cover ---- */

void lay_part_setup(ctx *c, const zp_page_setup *ps) {
  block_of(ps, &c->block_left, &c->block_top, &c->block_w, &c->block_h);
  c->pitch = ps->line_pitch > 0   ? (float)ps->line_pitch
             : ps->grid_lines > 0 ? c->block_h / (float)ps->grid_lines
                                  : 28.95f;
  c->char_pitch = ps->char_pitch > 0   ? (float)ps->char_pitch
                  : ps->grid_chars > 0 ? c->block_w / (float)ps->grid_chars
                                       : 0;
}

/* A block's share of a distributed cover's room (zp_block.fill). */
static float share(const zp_block *b) {
  return !b || b->fill == 0 ? 1 : b->fill < 0 ? 0 : b->fill;
}

void lay_part_place(ctx *c, size_t from, size_t to) {
  const zp_part *pt = c->part;
  if (!pt || pt->kind != ZP_PART_COVER || pt->place == ZP_PLACE_TOP ||
      from >= to || c->part_pages[c->part_index] != 1)
    return;
  float shares = 0; /* the blocks' after the first */
  for (size_t i = from; i < to; i++) {
    const line *l = &c->lines.v[i];
    if (l->tbl || l->nnote)
      return; /* a table is drawn where pagination put it; a footnote's
                 marker stays where pagination left room for its note */
    if (i > from && l->first)
      shares += share(l->blk);
  }
  const line *last = &c->lines.v[to - 1];
  float room = c->block_h - (last->top + last->height);
  if (room <= 0)
    return;
  bool spread = pt->place == ZP_PLACE_DISTRIBUTE && shares > 0;
  float lead = pt->place == ZP_PLACE_CENTER   ? room / 2
               : pt->place == ZP_PLACE_BOTTOM ? room
               : !spread                      ? room / 2
                                              : 0;
  /* lines on the grid stay on it: a block moves by whole pitches */
  float acc = lead, shift = 0;
  for (size_t i = from; i < to; i++) {
    line *l = &c->lines.v[i];
    if (spread && i > from && l->first)
      acc += room * share(l->blk) / shares;
    if (l->first || i == from)
      shift = l->grid && c->pitch > 0
                  ? floorf(acc / c->pitch + LAY_EPS) * c->pitch
                  : acc;
    l->top += shift;
  }
}

/* ---- the passes ---- */

/* Records page page of the part being laid out (the first pass). */
bool lay_part_count_page(ctx *c, int page) {
  if ((size_t)page >= c->cappinfo) {
    size_t cap = c->cappinfo ? c->cappinfo * 2 : 64;
    lay_pinfo *v = realloc(c->pinfo, cap * sizeof *v);
    if (!v)
      return false;
    c->pinfo = v;
    c->cappinfo = cap;
  }
  int in_part = c->part_pages[c->part_index]++;
  int number;
  if (in_part == 0 && (c->part->restart || page == 0))
    number = c->part->restart ? c->part->start : 1;
  else
    number = page ? c->pinfo[page - 1].number + 1 : 1;
  c->pinfo[page] = (lay_pinfo){c->part_index, number, in_part};
  c->npinfo = (size_t)page + 1;
  return true;
}

/* The PDF's page labels: a range per part (a page for Chinese numbers,
 * which are all prefix), unnumbered pages labelled "". */
static bool labels(ctx *c) {
  int last = -1; /* the style of the range in force; -1: none */
  for (size_t i = 0; i < c->npinfo; i++) {
    const lay_pinfo *pi = &c->pinfo[i];
    const zp_part *pt = c->partv[pi->part];
    bool roman = pt->num == ZP_NUM_ROMAN || pt->num == ZP_NUM_ROMAN_UPPER;
    /* a range runs on over the pages its numbers continue to (a roman
     * range ends at 3999: from 4000 on the numbers print in digits) */
    bool runs_on =
        i > 0 && (int)pt->num == last && pt->num != ZP_NUM_CN &&
        (pt->num == ZP_NUM_NONE || pi->number == c->pinfo[i - 1].number + 1) &&
        !(roman && pi->number == 4000);
    last = (int)pt->num;
    if (runs_on)
      continue;
    zp_dl_label_style s = pt->num == ZP_NUM_ARABIC  ? ZP_DL_LABEL_DECIMAL
                          : pt->num == ZP_NUM_ROMAN ? ZP_DL_LABEL_ROMAN
                          : pt->num == ZP_NUM_ROMAN_UPPER
                              ? ZP_DL_LABEL_ROMAN_UPPER
                              : ZP_DL_LABEL_NONE;
    char cn[64];
    const char *prefix = pt->num == ZP_NUM_CN
                             ? number_text(ZP_NUM_CN, pi->number, cn, sizeof cn)
                             : NULL;
    if (roman && pi->number > 3999)
      s = ZP_DL_LABEL_DECIMAL; /* printed in digits past 3999 too */
    if (!zp_dl_add_label(c->dl, (int)i, s, pi->number, prefix))
      return false;
  }
  return true;
}

/* Each part's blocks into lines on its page set-up (ends[k]..ends[k+1]:
 * part k's lines), then the two passes over the parts, then the labels. */
bool lay_part_layout(ctx *c, lay_blocks_fn blocks) {
  const zp_doc *doc = c->doc;
  size_t nparts = 0;
  for (const zp_part *p = doc->parts; p; p = p->next)
    nparts++;
  /* a layout's passes (a table of contents) each start afresh */
  free(c->partv);
  free(c->part_pages);
  c->partv = calloc(nparts, sizeof *c->partv);
  c->part_pages = calloc(nparts, sizeof *c->part_pages);
  size_t *ends = calloc(nparts + 1, sizeof *ends);
  bool ok = false;
  if (!c->partv || !c->part_pages || !ends)
    goto done;
  size_t k = 0;
  /* every part known before any is set: a table of contents reads the
   * numbers of the previous pass's pages, in all the parts */
  for (const zp_part *p = doc->parts; p; p = p->next, k++)
    c->partv[k] = p;
  k = 0;
  for (const zp_part *p = doc->parts; p; p = p->next, k++) {
    lay_part_setup(c, &p->page);
    if (!blocks(c, p->first, p->last ? p->last->next : NULL))
      goto done;
    ends[k + 1] = c->lines.n;
  }
  /* pass 1 counts the pages, pass 2 draws them (the footnotes placed
   * afresh) */
  for (int pass = 1; pass <= 2; pass++) {
    c->dry = pass == 1;
    c->npages = 0;
    if (pass == 2)
      lay_note_restart(c);
    for (k = 0; k < nparts; k++) {
      c->part = c->partv[k];
      c->part_index = (int)k;
      lay_part_setup(c, &c->part->page);
      if (!lay_page_paginate(c, ends[k], ends[k + 1]))
        goto done;
    }
  }
  ok = labels(c);
done:
  free(ends);
  return ok;
}
