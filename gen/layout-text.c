/* layout-text.c — setting text into lines (see layout-imp.h).
 *
 * A text is decoded, each character resolved to a face and an advance
 * (zp_font_glyph; a missing glyph is warned about once per code point),
 * scaled to the grid's character cells where the style sits on them,
 * adjacent full-width marks compressed, the lines fitted (zp_brk_fit, with
 * an optional balance search), and each line's glyph positions fixed:
 * trimmed, pushed in, justified or aligned, each glyph offset in its cell
 * by its ink.  Also the indents, pitches and spaces derived from a style.
 */
#include "layout-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "brk.h"

/* Resizes *p to cap elements of size bytes; false (and *p kept) when out
 * of memory. */
static bool regrow(void *p, size_t cap, size_t size) {
  void **pp = p;
  void *np = realloc(*pp, cap * size);
  if (!np)
    return false;
  *pp = np;
  return true;
}

static bool grow_scratch(ctx *c, size_t n) {
  if (n <= c->cap)
    return true;
  size_t cap = c->cap ? c->cap : 256;
  while (cap < n)
    cap *= 2;
  if (!regrow(&c->cp, cap, sizeof *c->cp) ||
      !regrow(&c->adv, cap, sizeof *c->adv) ||
      !regrow(&c->squeeze, cap, sizeof *c->squeeze) ||
      !regrow(&c->endsq, cap, sizeof *c->endsq) ||
      !regrow(&c->kinds, cap, sizeof *c->kinds) ||
      !regrow(&c->gl, cap, sizeof *c->gl) ||
      !regrow(&c->ends, cap, sizeof *c->ends) ||
      !regrow(&c->off, cap, sizeof *c->off) ||
      !regrow(&c->look, cap, sizeof *c->look))
    return false;
  c->cap = cap;
  return true;
}

line *lay_text_new_line(lvec *v) {
  if (v->n == v->cap) {
    size_t cap = v->cap ? v->cap * 2 : 64;
    if (!regrow(&v->v, cap, sizeof *v->v))
      return NULL;
    v->cap = cap;
  }
  line *l = &v->v[v->n++];
  memset(l, 0, sizeof *l);
  return l;
}

/* Decodes UTF-8; an invalid byte becomes U+FFFD.  With off, each
 * character's first byte is stored there.  Returns the count. */
static size_t decode(const char *s, uint32_t *out, uint32_t *off) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = 0;
  while (*p) {
    if (off)
      off[n] = (uint32_t)(p - (const unsigned char *)s);
    uint32_t c = *p;
    int len = c < 0x80         ? 1
              : (c >> 5) == 6  ? 2
              : (c >> 4) == 14 ? 3
              : (c >> 3) == 30 ? 4
                               : 0;
    if (len == 0) {
      out[n++] = 0xFFFD;
      p++;
      continue;
    }
    if (len > 1)
      c &= 0x3F >> (len - 1);
    int i = 1;
    for (; i < len; i++) {
      if ((p[i] & 0xC0) != 0x80)
        break;
      c = (c << 6) | (p[i] & 0x3F);
    }
    if (i < len) {
      out[n++] = 0xFFFD;
      p += i;
      continue;
    }
    out[n++] = c;
    p += len;
  }
  return n;
}

size_t lay_text_utf8_decode(const char *s, uint32_t *out) {
  return decode(s, out, NULL);
}

size_t lay_text_utf8_encode(uint32_t c, char *o) {
  if (c < 0x80) {
    o[0] = (char)c;
    return 1;
  }
  if (c < 0x800) {
    o[0] = (char)(0xC0 | (c >> 6));
    o[1] = (char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    o[0] = (char)(0xE0 | (c >> 12));
    o[1] = (char)(0x80 | ((c >> 6) & 0x3F));
    o[2] = (char)(0x80 | (c & 0x3F));
    return 3;
  }
  o[0] = (char)(0xF0 | (c >> 18));
  o[1] = (char)(0x80 | ((c >> 12) & 0x3F));
  o[2] = (char)(0x80 | ((c >> 6) & 0x3F));
  o[3] = (char)(0x80 | (c & 0x3F));
  return 4;
}

static bool already_missing(ctx *c, uint32_t cp) {
  for (size_t i = 0; i < c->nmissing; i++)
    if (c->missing[i] == cp)
      return true;
  if (c->nmissing == c->capmissing) {
    size_t cap = c->capmissing ? c->capmissing * 2 : 16;
    if (!regrow(&c->missing, cap, sizeof *c->missing))
      return true;
    c->capmissing = cap;
  }
  c->missing[c->nmissing++] = cp;
  return false;
}

static void report_missing(ctx *c, zp_loc loc, zp_loc data_loc,
                           const char *role, uint32_t cp) {
  if (already_missing(c, cp))
    return;
  char u[5] = {0};
  lay_text_utf8_encode(cp, u);
  if (data_loc.file)
    zp_warn(c->d, loc,
            "no face of font role \"%s\" has U+%04X \"%s\" (text from %s:%d:%d)"
            "; it is left blank",
            role, (unsigned)cp, u, data_loc.file, data_loc.line, data_loc.col);
  else
    zp_warn(c->d, loc,
            "no face of font role \"%s\" has U+%04X \"%s\"; it is left blank",
            role, (unsigned)cp, u);
}

/* Line pitch of a style. */
float lay_text_style_pitch(const ctx *c, const zp_style *st) {
  if (st->line_pitch > 0 && !st->grid)
    return (float)st->line_pitch;
  if (st->grid) {
    /* On the grid a line takes as many grid lines as it needs. */
    float need = st->line_pitch > 0 ? (float)st->line_pitch : st->size * 1.2f;
    float k = ceilf(need / c->pitch - LAY_EPS);
    return (k < 1 ? 1 : k) * c->pitch;
  }
  return (float)st->size * 1.5f;
}

float lay_text_snap_space(const ctx *c, const zp_style *st, double space) {
  if (space <= 0)
    return 0;
  if (!st->grid)
    return (float)space;
  return ceilf((float)space / c->pitch - LAY_EPS) * c->pitch;
}

/* The characters of a style are set in the grid's character cells (at its
 * character pitch) when the style is on the grid and its size is near the
 * pitch. */
static bool on_cells(const ctx *c, const zp_style *st) {
  return st->grid && c->char_pitch > 0 && st->size <= c->char_pitch * 1.1;
}

static double advance_scale(const ctx *c, const zp_style *st) {
  return on_cells(c, st) ? c->char_pitch : st->size;
}

static bool is_han(uint32_t cp) {
  return (cp >= 0x3400 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
         cp == 0x3007 || (cp >= 0x20000 && cp <= 0x323AF); /* Ext B–H */
}

static bool is_alnum(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z') ||
         (cp >= 'a' && cp <= 'z');
}

/* Latin letters, digits and their punctuation: no justification space
 * inside a run of them. */
static bool narrow(uint32_t cp) { return cp > 0x20 && cp < 0x2000; }

/* Fits n characters with the given measures; returns the line count.
 * Weak breaks in formula runs only off the grid (narrow cells). */
static size_t fit(ctx *c, const zp_style *st, size_t n, int32_t em,
                  int32_t first, int32_t measure) {
  memset(c->endsq, 0, n * sizeof *c->endsq);
  zp_brk_opts o = {st->rules, st->fit, st->bind_units, !st->grid};
  return zp_brk_fit(c->cp, c->adv, n, em, first, measure, &o, c->ends, c->endsq,
                    c->kinds);
}

/* An indent given in pt and, when given in em, in em: on the grid's cells
 * an em is exactly one cell. */
float lay_text_indent(const ctx *c, const zp_style *st, double pt, double em) {
  return (float)(em != 0 && on_cells(c, st) ? em * c->char_pitch : pt);
}

/* The font role of style st, or -1 after an error at loc. */
static int style_role(ctx *c, const zp_style *st, zp_loc loc) {
  int role = zp_font_role_find(c->fs, st->role);
  if (role < 0)
    zp_error(c->d, loc,
             "style \"%s\" uses font role \"%s\", which is not "
             "defined",
             st->name, st->role);
  return role;
}

/* The look of a character inside STYLE span sp, from the look around it
 * (cur): a named style's font role, size, colour and bold; bold; a colour;
 * a shift (0.6 of the size, raised 0.33 em or lowered 0.12 em of the size
 * around it).  False after an error (an undefined role). */
static bool span_look(ctx *c, const zp_span *sp, const llook *cur, llook *out,
                      zp_loc loc) {
  *out = *cur;
  if (sp->style) {
    out->role = style_role(c, sp->style, loc);
    if (out->role < 0)
      return false;
    out->size = (float)sp->style->size;
    if (sp->style->color != ZP_COLOR_INHERIT)
      out->color = sp->style->color;
    out->bold |= sp->style->bold;
  }
  out->bold |= sp->bold;
  if (sp->color != ZP_COLOR_INHERIT)
    out->color = sp->color;
  if (sp->shift == ZP_SHIFT_SUPER)
    out->rise += 0.33f * out->size;
  else if (sp->shift == ZP_SHIFT_SUB)
    out->rise -= 0.12f * out->size;
  if (sp->shift != ZP_SHIFT_NONE)
    out->size = out->size * 0.6f < 1 ? 1 : out->size * 0.6f;
  return true;
}

/* Each character's look (c->look) from the STYLE spans (sorted and
 * nested, doc.h) around its first byte (c->off); LINK and NOTE spans are
 * set as the text around them.  False after an error. */
static bool resolve_looks(ctx *c, const zp_style *st, int role,
                          const zp_span *spans, uint32_t nspans, size_t n,
                          zp_loc loc) {
  llook base = {(float)st->size, 0,
                st->color == ZP_COLOR_INHERIT ? 0 : st->color, role, st->bold};
  struct {
    uint32_t end;
    llook look;
  } stack[ZP_MAX_INLINE_DEPTH * 2 + 1];
  int top = 0;
  uint32_t k = 0;
  for (size_t i = 0; i < n; i++) {
    uint32_t pos = c->off[i];
    while (top && stack[top - 1].end <= pos)
      top--;
    for (; k < nspans && spans[k].start <= pos; k++) {
      const zp_span *sp = &spans[k];
      if (sp->kind != ZP_SPAN_STYLE || sp->end <= pos)
        continue;
      while (top && stack[top - 1].end < sp->end)
        top--; /* not nested inside it (never from the binder) */
      if (top == (int)(sizeof stack / sizeof *stack))
        continue;
      if (!span_look(c, sp, top ? &stack[top - 1].look : &base,
                     &stack[top].look, loc))
        return false;
      stack[top++].end = sp->end;
    }
    c->look[i] = top ? stack[top - 1].look : base;
  }
  return true;
}

/* Decodes and measures a text with its spans (NULL: none); fills c->cp,
 * c->gl, c->adv, c->squeeze, c->off and c->look.  Returns the count, or
 * (size_t)-1 on error. */
static size_t measure_text(ctx *c, const zp_style *st, const char *text,
                           const zp_span *spans, uint32_t nspans, zp_loc loc,
                           zp_loc data_loc, int32_t *em_out) {
  int role = style_role(c, st, loc);
  if (role < 0)
    return (size_t)-1;
  if (!grow_scratch(c, strlen(text) + 1))
    return (size_t)-1;
  size_t n = decode(text, c->cp, c->off);
  if (!resolve_looks(c, st, role, nspans ? spans : NULL, nspans, n, loc))
    return (size_t)-1;
  double scale = advance_scale(c, st);
  bool cells = on_cells(c, st);
  int32_t em = (int32_t)lround(scale * 1000);
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = c->cp[i];
    const llook *lk = &c->look[i];
    if (zp_brk_newline(cp)) {
      c->gl[i] = (zp_glyph){0, 0, 0};
      c->adv[i] = 0;
      continue;
    }
    if (!zp_font_glyph(c->fs, lk->role, cp, &c->gl[i]))
      report_missing(c, loc, data_loc, zp_font_role_name(c->fs, lk->role), cp);
    /* on the grid's cells: a wide character one cell, a typed space a
     * quarter (LAYOUT.md), others the face's advance at the cell's scale
     * (half a cell for the half-width Latin of the GB2312 faces, a
     * proportional face's own widths); off the grid the face's advance.
     * A character of another size (a superscript) takes its own width. */
    if (lk->size != (float)st->size)
      c->adv[i] = (int32_t)lround(c->gl[i].advance * (double)lk->size);
    else if (!cells)
      c->adv[i] = (int32_t)lround(c->gl[i].advance * scale);
    else /* in whole 1/1000 pt of the cell, rounded down: two half-width
          * characters never take more than the one cell (em) they fill */
      c->adv[i] = zp_brk_wide(cp) ? em
                  : cp == ' '
                      ? em / 4
                      : (int32_t)((int64_t)c->gl[i].advance * em / 1000);
  }
  if (st->squeeze_pairs)
    zp_brk_compress(c->cp, c->adv, n, em, c->squeeze);
  else
    memset(c->squeeze, 0, n * sizeof *c->squeeze);
  for (size_t i = 0; i < n; i++)
    c->adv[i] -= c->squeeze[i];
  /* optional space between Han and Latin letters or digits */
  if (st->latin_space > 0) {
    int32_t extra = (int32_t)lround(st->latin_space * em);
    for (size_t i = 0; i + 1 < n; i++) {
      bool a = is_han(c->cp[i]), b = is_han(c->cp[i + 1]);
      bool la = is_alnum(c->cp[i]), lb = is_alnum(c->cp[i + 1]);
      if ((a && lb) || (la && b))
        c->adv[i] += extra;
    }
  }
  *em_out = em;
  return n;
}

/* Where glyph i's origin sits from the start of its box, 1/1000 pt.  A
 * glyph narrower than its grid cell (a curly quote in a Hei face) sits at
 * the cell's end if it opens, its start if it closes, else centred.  A
 * compressed mark loses only blank: its lost width is taken from both
 * sides so that the blank left on each side of its ink is equal (never
 * from the ink), read from the face's outline; a mark whose ink cannot be
 * read loses its blank half by its class. */
static int32_t glyph_offset(ctx *c, const zp_style *st, size_t i) {
  int32_t sq = c->squeeze[i], box = c->adv[i] + sq;
  double size = c->look[i].size;
  int32_t natural = (int32_t)lround(c->gl[i].advance * size);
  zp_punct p = zp_brk_punct(c->cp[i]);
  int32_t lead = 0;
  if (on_cells(c, st) && natural < box)
    lead = p == ZP_PUNCT_OPEN    ? box - natural
           : p == ZP_PUNCT_CLOSE ? 0
                                 : (box - natural) / 2;
  if (sq <= 0)
    return lead;
  int x0, x1;
  double cut;
  if (zp_font_ink(c->fs, c->gl[i].face, c->gl[i].gid, &x0, &x1)) {
    double left = lead + x0 * size, right = box - (lead + x1 * size);
    cut = (sq + left - right) / 2;
  } else {
    cut = p == ZP_PUNCT_OPEN ? sq : p == ZP_PUNCT_CLOSE ? 0 : sq / 2.0;
  }
  if (cut < 0)
    cut = 0;
  if (cut > sq)
    cut = sq;
  return lead - (int32_t)lround(cut);
}

/* The links over characters [start, e) of line l (set from them): each
 * range's part on it, from the pen position before its first character
 * to the one after its last. */
static bool line_links(ctx *c, const zp_style *st, line *l, size_t start,
                       size_t e) {
  while (c->rcur < c->nranges && c->ranges[c->rcur].b <= start)
    c->rcur++;
  for (size_t k = c->rcur; k < c->nranges && c->ranges[k].a < e; k++) {
    size_t a = c->ranges[k].a > start ? c->ranges[k].a : start;
    size_t b = c->ranges[k].b < e ? c->ranges[k].b : e;
    if (a >= b)
      continue;
    float x0 = l->g[a - start].x - glyph_offset(c, st, a) / 1000.0f;
    float x1 = l->g[b - 1 - start].x - glyph_offset(c, st, b - 1) / 1000.0f +
               c->adv[b - 1] / 1000.0f;
    if (!lay_link_add(c, l, x0, x1, &c->ranges[k]))
      return false;
  }
  return true;
}

/* Sets a text into lines appended to out (positions, justification; no
 * pagination flags).  Returns false on error. */
bool lay_text_shape(ctx *c, const shape_req *r, lvec *out) {
  const zp_style *st = r->st;
  int32_t em;
  size_t n = measure_text(c, st, r->text, r->spans, r->nspans, r->loc,
                          r->data_loc, &em);
  if (n == (size_t)-1 || !lay_link_ranges(c, r, n))
    return false;
  float measure = r->width;
  float first_measure = measure - r->first_indent;
  int32_t m1 = (int32_t)lroundf(first_measure * 1000);
  int32_t m = (int32_t)lroundf(measure * 1000);
  size_t nl = n ? fit(c, st, n, em, m1, m) : 0;
  bool balanced = r->balance && nl > 1 && r->first_indent == 0;
  if (balanced) {
    /* the narrowest measure that still gives nl lines */
    int32_t lo = m / (int32_t)nl / 2, hi = m;
    while (hi - lo > 100) {
      int32_t mid = lo + (hi - lo) / 2;
      if (fit(c, st, n, em, mid, mid) == nl)
        hi = mid;
      else
        lo = mid;
    }
    nl = fit(c, st, n, em, hi, hi);
    measure = first_measure = hi / 1000.0f;
  }
  float pitch = lay_text_style_pitch(c, st);
  uint32_t base_color = st->color == ZP_COLOR_INHERIT ? 0 : st->color;
  size_t start = 0;
  for (size_t k = 0; k < (nl ? nl : 1); k++) {
    size_t end = nl ? c->ends[k] : 0;
    line *l = lay_text_new_line(out);
    if (!l)
      return false;
    l->st = st;
    l->size = (float)st->size;
    l->height = pitch;
    l->grid = st->grid;
    l->bold = st->bold;
    l->align = r->align;
    l->first = k == 0;
    l->last = k + 1 >= nl;
    l->cp0 = (uint32_t)start;
    float lm = k == 0 ? first_measure : measure;
    l->measure = lm;
    l->left = r->left + (k == 0 ? r->first_indent : 0);
    if (balanced)
      l->left = r->left + (r->width - lm) / 2;
    /* drawn characters: no hard breaks, no trailing spaces */
    size_t e = end;
    while (e > start && (zp_brk_newline(c->cp[e - 1]) || c->cp[e - 1] == ' '))
      e--;
    bool hard = end > start && zp_brk_newline(c->cp[end - 1]);
    l->hard = hard;
    uint32_t cnt = (uint32_t)(e - start);
    l->g = cnt ? zp_arena_alloc(c->arena, cnt * sizeof *l->g) : NULL;
    if (cnt && !l->g)
      return false;
    /* pushed in: compress the line's marks */
    if (c->endsq[k] > 0)
      zp_brk_squeeze_line(c->cp, c->adv, c->squeeze, start, e, em, c->endsq[k],
                          st->fit);
    l->end = nl ? c->kinds[k] : ZP_END_BREAK;
    l->space = e < end && !hard;
    int64_t natural = 0;
    for (size_t i = start; i < e; i++)
      natural += c->adv[i];
    float slack = lm - natural / 1000.0f;
    float gap = 0;
    /* Slack goes between characters, but not inside a run of Latin
     * letters or digits ("99.66%" stays whole), unless the line has no
     * other place for it. */
    size_t gaps = 0;
    bool all_gaps = false;
    if (r->align == ZP_ALIGN_JUSTIFY && !l->last && !hard && cnt > 1 &&
        slack > 0) {
      for (size_t i = start; i + 1 < e; i++)
        gaps += !(narrow(c->cp[i]) && narrow(c->cp[i + 1]));
      if (gaps == 0) {
        gaps = cnt - 1;
        all_gaps = true;
      }
      gap = slack / (float)gaps;
      l->justified = true;
    }
    float off = 0;
    if (r->align == ZP_ALIGN_CENTER || balanced)
      off = slack / 2;
    else if (r->align == ZP_ALIGN_RIGHT)
      off = slack;
    if (off < 0)
      off = 0;
    float x = off;
    for (size_t i = start; i < e; i++) {
      lglyph *g = &l->g[i - start];
      g->cp = c->cp[i];
      g->face = c->gl[i].face;
      g->gid = c->gl[i].gid;
      g->x = x + glyph_offset(c, st, i) / 1000.0f;
      l->squeezed |= c->squeeze[i] > 0;
      x += c->adv[i] / 1000.0f;
      if (i + 1 < e &&
          (all_gaps || !(narrow(c->cp[i]) && narrow(c->cp[i + 1]))))
        x += gap;
    }
    l->n = cnt;
    l->width = cnt ? x - off : 0;
    /* the glyphs' looks, kept only for a line where spans change one */
    bool looks = false;
    for (size_t i = start; i < e && !looks; i++) {
      const llook *lk = &c->look[i];
      looks = lk->size != l->size || lk->rise != 0 || lk->color != base_color ||
              lk->bold != l->bold;
    }
    if (looks) {
      lglook *lv = zp_arena_alloc(c->arena, cnt * sizeof *lv);
      if (!lv)
        return false;
      for (size_t i = start; i < e; i++)
        lv[i - start] = (lglook){c->look[i].size, c->look[i].rise,
                                 c->look[i].color, c->look[i].bold};
      l->look = lv;
    }
    if (c->nranges && !line_links(c, st, l, start, e))
      return false;
    start = end;
  }
  return true;
}

/* Natural width of a text set on one line, pt. */
float lay_text_width(ctx *c, const zp_style *st, const char *text, zp_loc loc) {
  return lay_text_width_spans(c, st, text, NULL, 0, loc);
}

float lay_text_width_spans(ctx *c, const zp_style *st, const char *text,
                           const zp_span *spans, uint32_t nspans, zp_loc loc) {
  int32_t em;
  size_t n = measure_text(c, st, text, spans, nspans, loc, (zp_loc){0}, &em);
  if (n == (size_t)-1)
    return 0;
  /* the widest piece between hard breaks */
  int64_t w = 0, best = 0;
  for (size_t i = 0; i < n; i++) {
    if (zp_brk_newline(c->cp[i])) {
      w = 0;
      continue;
    }
    w += c->adv[i];
    if (w > best)
      best = w;
  }
  return best / 1000.0f;
}

uint32_t lay_text_glyphs(ctx *c, int role, const uint32_t *cps, uint32_t n,
                         float size, lglyph *out, float *x) {
  for (uint32_t i = 0; i < n; i++) {
    zp_glyph gl;
    zp_font_glyph(c->fs, role, cps[i], &gl);
    out[i] = (lglyph){cps[i], gl.face, gl.gid, *x};
    *x += gl.advance * size / 1000.0f;
  }
  return n;
}
