/* layout-contents.c — tables of contents (see layout-imp.h, doc.h
 * zp_contents).
 *
 * An entry is set like a paragraph in the contents' style: indented by its
 * level's indent, its later lines one em more (a hanging indent), its text
 * kept clear of the number column (as wide as the widest number, plus an
 * em), and on its last line a leader of dots and the page number flush
 * right.  The dots sit on one grid of half-em cells counted from the text
 * block's left edge, so the leaders of all entries line up.  Every line of
 * an entry links to the heading's first line.
 *
 * The numbers are those of the previous pass (zp_layout runs the layout
 * again until no heading moves): the first pass leaves them blank.
 */
#include "layout-imp.h"

#include <string.h>

bool lay_contents_present(ctx *c, bool *ok) {
  int n = 0;
  *ok = true;
  for (const zp_block *b = c->doc->first; b; b = b->next)
    if (b->kind == ZP_BLOCK_CONTENTS && b->contents && ++n > LAY_MAX_CONTENTS) {
      zp_error(c->d, b->loc,
               "more than %d tables of contents in one document (is "
               "<contents> inside a loop?)",
               LAY_MAX_CONTENTS);
      *ok = false;
      break;
    }
  return n > 0;
}

/* Is e an entry of contents tc? */
static bool entry(const zp_block *e, const zp_contents *tc) {
  /* headings, and with attachments="yes" each attachment's label block
   * (its bookmark "附件1 名称", level 1) */
  bool kind = e->kind == ZP_BLOCK_HEADING ||
              (tc->attachments && e->kind == ZP_BLOCK_PARAGRAPH && e->outline &&
               e->outline_text);
  return kind && e->text && e->level >= tc->min_level &&
         e->level <= tc->max_level;
}

/* Is sp a NOTE span inside a text of len bytes? */
static bool marker(const zp_span *sp, size_t len) {
  return sp->kind == ZP_SPAN_NOTE && sp->end <= len && sp->start < sp->end;
}

/* Heading e's text without its footnote markers, and (spans not NULL) its
 * STYLE spans moved to that text (*spans NULL when none: its links and
 * notes are not the entry's); NULL when out of memory.  Linear: the
 * markers' bytes are marked once (their notes neither overlap nor nest),
 * and a span's new offsets come from the count of bytes cut before them. */
static const char *entry_text(ctx *c, const zp_block *e, const zp_span **spans,
                              uint32_t *nspans) {
  size_t len = e->text ? strlen(e->text) : 0;
  uint32_t cut = 0, nstyle = 0;
  for (uint32_t i = 0; i < e->nspans; i++) {
    cut += marker(&e->spans[i], len);
    nstyle += e->spans[i].kind == ZP_SPAN_STYLE;
  }
  if (spans) {
    *spans = NULL;
    *nspans = 0;
  }
  if (!cut && (!spans || !nstyle))
    return e->text;
  if (!cut && nstyle == e->nspans) {
    *spans = e->spans;
    *nspans = nstyle;
    return e->text;
  }
  char *out = zp_arena_alloc(c->arena, len + 1);
  uint32_t *before = zp_arena_alloc(c->arena, (len + 1) * sizeof *before);
  zp_span *sv =
      nstyle && spans ? zp_arena_alloc(c->arena, nstyle * sizeof *sv) : NULL;
  if (!out || !before || (nstyle && spans && !sv))
    return NULL;
  char *gone = out; /* the marks first, in out's room */
  memset(gone, 0, len);
  for (uint32_t i = 0; i < e->nspans; i++)
    if (marker(&e->spans[i], len))
      memset(gone + e->spans[i].start, 1, e->spans[i].end - e->spans[i].start);
  uint32_t n = 0;
  for (size_t k = 0; k < len; k++) {
    before[k] = (uint32_t)k - n;
    if (!gone[k])
      n++;
  }
  before[len] = (uint32_t)len - n;
  n = 0;
  for (size_t k = 0; k < len; k++) /* out[n] never passes gone[k] */
    if (!out[k])
      out[n++] = e->text[k];
  out[n] = 0;
  if (sv) {
    uint32_t m = 0;
    for (uint32_t i = 0; i < e->nspans; i++) {
      const zp_span *sp = &e->spans[i];
      if (sp->kind != ZP_SPAN_STYLE || sp->end > len || sp->start >= sp->end)
        continue;
      sv[m] = *sp;
      sv[m].start = sp->start - before[sp->start];
      sv[m].end = sp->end - before[sp->end];
      if (sv[m].start < sv[m].end)
        m++;
    }
    *spans = m ? sv : NULL;
    *nspans = m;
  }
  return out;
}

const char *lay_contents_text(ctx *c, const zp_block *e) {
  return entry_text(c, e, NULL, NULL);
}

/* The number of e's page in the previous pass, "" when not known. */
static void number(ctx *c, const zp_block *e, const zp_contents *tc, char *buf,
                   size_t n) {
  const lpos *at = lay_link_prev(c, e);
  buf[0] = 0;
  if (at) {
    if (tc->folio)
      lay_page_folio(c, at->page, buf, n);
    else
      lay_page_number(c, at->page, buf, n);
  }
}

/* A glyph at x (its look is its line's: the style's size, colour and
 * bold). */
static lglyph glyph(uint32_t cp, zp_glyph gl, float x, const zp_style *st) {
  (void)st;
  return (lglyph){cp, gl.face, gl.gid, x};
}

/* Glyphs of text (UTF-8: a page number, "12", "xiv" or "十二") in role
 * in style st, from pen x; returns the count (at most max) and moves *x
 * past them. */
static uint32_t glyphs(ctx *c, int role, const char *text, const zp_style *st,
                       lglyph *out, uint32_t max, float *x) {
  float size = (float)st->size;
  uint32_t cps[64];
  if (strlen(text) >= sizeof cps / sizeof cps[0])
    return 0; /* numbers come from a 64-byte buffer */
  size_t ncp = lay_text_utf8_decode(text, cps);
  return lay_text_glyphs(c, role, cps, ncp < max ? (uint32_t)ncp : max, size,
                         out, x);
}

/* Width of a page number in role in style st. */
static float number_width(ctx *c, int role, const char *text,
                          const zp_style *st) {
  lglyph g[32];
  float x = 0;
  glyphs(c, role, text, st, g, 32, &x);
  return x;
}

/* Ends the last line l of an entry: the leader and the number. */
static bool finish(ctx *c, const zp_block *b, line *l, int role,
                   const char *num) {
  const zp_style *st = b->style;
  float size = (float)st->size;
  float em = lay_text_indent(c, st, st->size, 1);
  float right = c->block_left + c->block_w; /* the number's right edge */
  float numw = number_width(c, role, num, st);
  float end = l->left + (l->n ? l->width + l->g[0].x : 0); /* text's end */
  /* dots in half-em cells counted from the block's left edge, clear of
   * the text and the number by a quarter em */
  float step = em / 2;
  zp_glyph dot;
  zp_font_glyph(c->fs, role, '.', &dot);
  float dotw = dot.advance * size / 1000.0f;
  long k0 = (long)((end + em / 4 - c->block_left) / step + 1 - LAY_EPS);
  long k1 = (long)((right - numw - em / 4 - c->block_left) / step);
  long ndots = b->contents->leader && k1 > k0 ? k1 - k0 : 0;
  if (ndots > 4096)
    ndots = 4096;
  uint32_t nnum = (uint32_t)strlen(num);
  lglyph *g =
      zp_arena_alloc(c->arena, (l->n + (size_t)ndots + nnum + 1) * sizeof *g);
  if (!g)
    return false;
  if (l->n)
    memcpy(g, l->g, l->n * sizeof *g);
  uint32_t n = l->n;
  for (long k = 0; k < ndots; k++) {
    float x = c->block_left + (float)(k0 + k) * step + (step - dotw) / 2;
    g[n++] = glyph('.', dot, x - l->left, st);
  }
  float x = right - numw - l->left;
  n += glyphs(c, role, num, st, g + n, nnum, &x);
  if (l->look) { /* the heading's styled characters: the rest as the line */
    lglook *lv = zp_arena_alloc(c->arena, n * sizeof *lv);
    if (!lv)
      return false;
    memcpy(lv, l->look, l->n * sizeof *lv);
    for (uint32_t k = l->n; k < n; k++)
      lv[k] = (lglook){l->size, 0,
                       st->color == ZP_COLOR_INHERIT ? 0 : st->color, l->bold};
    l->look = lv;
  }
  l->g = g;
  l->n = n;
  l->width = right - l->left - (l->n ? l->g[0].x : 0);
  l->measure = right - l->left;
  l->justified = false;
  return true;
}

bool lay_contents_lines(ctx *c, const zp_block *b, uint8_t brk, float before) {
  const zp_contents *tc = b->contents;
  const zp_style *st = b->style;
  int role = zp_font_role_find(c->fs, st->role);
  if (role < 0) {
    zp_error(c->d, b->loc,
             "style \"%s\" uses font role \"%s\", which is not defined",
             st->name, st->role);
    return false;
  }
  float em = lay_text_indent(c, st, st->size, 1);
  /* the number column: the widest number */
  float numw = 0;
  char num[64];
  for (const zp_block *e = c->doc->first; e; e = e->next)
    if (entry(e, tc)) {
      number(c, e, tc, num, sizeof num);
      float w = number_width(c, role, num, st);
      if (w > numw)
        numw = w;
    }
  bool first = true;
  for (const zp_block *e = c->doc->first; e; e = e->next) {
    if (!entry(e, tc))
      continue;
    int lv = e->level;
    float li = lay_text_indent(c, st, tc->indent[lv], tc->indent_em[lv]);
    float width = c->block_w - li - em - (numw + em);
    if (width < 2 * em)
      width = 2 * em; /* a deep indent on a narrow page: still a column */
    const zp_span *spans;
    uint32_t nspans;
    const char *text = entry_text(c, e, &spans, &nspans);
    if (!text)
      return false;
    if (e->kind != ZP_BLOCK_HEADING) { /* an attachment: "附件1 名称" */
      text = e->outline_text;
      spans = NULL;
      nspans = 0;
    }
    shape_req r = {.st = st,
                   .text = text,
                   .loc = b->loc,
                   .data_loc = e->data_loc,
                   .left = c->block_left + li + em,
                   .width = width,
                   .first_indent = -em,
                   .align = ZP_ALIGN_JUSTIFY,
                   .spans = spans,
                   .nspans = nspans,
                   .no_links = true};
    size_t from = c->lines.n;
    if (!lay_text_shape(c, &r, &c->lines))
      return false;
    number(c, e, tc, num, sizeof num);
    for (size_t k = from; k < c->lines.n; k++) {
      line *l = &c->lines.v[k];
      l->blk = b;
      if (k == from) {
        l->brk = first ? brk : BRK_ALLOW;
        l->why = WHY_KEEP;
        l->space_before = first ? before : 0;
      } else {
        l->brk = BRK_NEVER;
        l->why = WHY_TOGETHER;
      }
      if (k + 1 == c->lines.n && !finish(c, b, l, role, num))
        return false;
      if (!lay_link_add_to(c, l, l->n ? l->g[0].x : 0, l->measure, e))
        return false;
    }
    first = false;
  }
  return true;
}

bool lay_contents_settled(ctx *c, bool last) {
  /* both sorted by block, the same blocks in both (the same document) */
  const zp_block *moved = NULL;
  int was = 0, now = 0;
  if (c->npos != c->nprev)
    moved = c->doc->first; /* cannot happen: every block is placed */
  for (size_t i = 0; i < c->npos && !moved; i++) {
    const lpos *a = &c->prev[i], *b = &c->pos[i];
    if (a->blk != b->blk) {
      moved = b->blk;
    } else if ((b->blk->kind == ZP_BLOCK_HEADING ||
                (b->blk->outline && b->blk->outline_text)) &&
               a->page != b->page) { /* a heading or an attachment moved */
      moved = b->blk;
      was = a->page;
      now = b->page;
    }
  }
  if (!moved)
    return true;
  if (last) {
    const zp_block *toc = NULL;
    for (const zp_block *b = c->doc->first; b && !toc; b = b->next)
      if (b->kind == ZP_BLOCK_CONTENTS)
        toc = b;
    zp_error(c->d,
             toc && toc->contents && toc->contents->at.file ? toc->contents->at
             : toc                                          ? toc->loc
                                                            : (zp_loc){0},
             "the table of contents does not settle: after %d layouts the "
             "heading \"%.80s\" still moves (from the PDF's page %d to its "
             "page %d) as the contents' page numbers change its length; "
             "change the text around it, or the numbers' style",
             c->pass, moved->text ? moved->text : "", was + 1, now + 1);
  }
  return false;
}
