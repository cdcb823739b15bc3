/* layout.c — see layout.h.
 *
 * Two passes.  The first turns every block into lines: the text is decoded,
 * each character resolved to a face and an advance (zp_font_glyph), adjacent
 * full-width marks compressed, the lines fitted (zp_brk_fit) and each line's
 * glyph positions fixed (justified or aligned).  Every line records whether
 * a page may break before it (widows, orphans, keep-with-next) or must.
 * The second pass fills pages with lines, backing up to the last allowed
 * break when a line does not fit, and emits the display list, the folios,
 * the bookmarks and the dump.
 *
 * Units: advances are integers in 1/1000 pt while fitting; positions are
 * floats in pt.  Vertical positions are measured from the top of the text
 * block downwards and turned into PDF coordinates when emitted.
 */
#include "layout.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "brk.h"

/* Where the ideographic em box's centre sits above the baseline, in em:
 * CJK faces put the box from -0.12 to 0.88 em. */
#define ZP_EM_CENTRE 0.38
#define ZP_EPS 0.01

enum { BRK_ALLOW, BRK_NEVER, BRK_FORCE };

typedef struct lglyph {
  uint32_t cp;
  uint16_t face, gid;
  float x; /* from the line's left edge */
} lglyph;

typedef struct line {
  const zp_block *blk;
  const zp_style *st;
  lglyph *g;
  uint32_t n;
  float size;
  float left;    /* x of the line box's left edge, pt from the page edge */
  float measure; /* width of the line box */
  float width;   /* from the first glyph's origin to the last's advance */
  float height;  /* the line's pitch */
  float space_before;
  uint8_t brk;   /* before this line: BRK_ALLOW / NEVER / FORCE */
  bool last;     /* last line of its block */
  bool first;    /* first line of its block */
  bool justified;
  bool grid;
  bool bold;
} line;

typedef struct ctx {
  const zp_doc *doc;
  zp_fontset *fs;
  zp_diag *d;
  zp_arena *arena; /* lines and their glyphs */
  zp_dl *dl;
  FILE *dump;
  /* the page */
  float block_left, block_top, block_w, block_h; /* top: pt from the top */
  float pitch, char_pitch;
  /* lines of the whole document */
  line *lines;
  size_t nlines, caplines;
  /* scratch, grown as needed, reused by every paragraph */
  uint32_t *cp;
  int32_t *adv, *squeeze, *endsq;
  zp_glyph *gl;
  size_t *ends;
  size_t cap;
  /* code points already reported missing */
  uint32_t *missing;
  size_t nmissing, capmissing;
} ctx;

static bool grow_scratch(ctx *c, size_t n) {
  if (n <= c->cap)
    return true;
  size_t cap = c->cap ? c->cap : 256;
  while (cap < n)
    cap *= 2;
  uint32_t *cp = realloc(c->cp, cap * sizeof *cp);
  if (cp)
    c->cp = cp;
  int32_t *adv = realloc(c->adv, cap * sizeof *adv);
  if (adv)
    c->adv = adv;
  int32_t *sq = realloc(c->squeeze, cap * sizeof *sq);
  if (sq)
    c->squeeze = sq;
  int32_t *es = realloc(c->endsq, cap * sizeof *es);
  if (es)
    c->endsq = es;
  zp_glyph *gl = realloc(c->gl, cap * sizeof *gl);
  if (gl)
    c->gl = gl;
  size_t *ends = realloc(c->ends, cap * sizeof *ends);
  if (ends)
    c->ends = ends;
  if (!cp || !adv || !sq || !es || !gl || !ends)
    return false;
  c->cap = cap;
  return true;
}

static line *new_line(ctx *c) {
  if (c->nlines == c->caplines) {
    size_t cap = c->caplines ? c->caplines * 2 : 256;
    line *l = realloc(c->lines, cap * sizeof *l);
    if (!l)
      return NULL;
    c->lines = l;
    c->caplines = cap;
  }
  line *l = &c->lines[c->nlines++];
  memset(l, 0, sizeof *l);
  return l;
}

/* Decodes UTF-8; an invalid byte becomes U+FFFD.  Returns the count. */
static size_t utf8_decode(const char *s, uint32_t *out) {
  const unsigned char *p = (const unsigned char *)s;
  size_t n = 0;
  while (*p) {
    uint32_t c = *p;
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3
                                         : (c >> 3) == 30       ? 4
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

static size_t utf8_encode(uint32_t c, char *o) {
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
    uint32_t *m = realloc(c->missing, cap * sizeof *m);
    if (!m)
      return true;
    c->missing = m;
    c->capmissing = cap;
  }
  c->missing[c->nmissing++] = cp;
  return false;
}

static void report_missing(ctx *c, const zp_block *b, const char *role,
                           uint32_t cp) {
  if (already_missing(c, cp))
    return;
  char u[5] = {0};
  utf8_encode(cp, u);
  if (b->data_loc.file)
    zp_warn(c->d, b->loc,
            "no face of font role \"%s\" has U+%04X \"%s\" (text from %s:%d:%d)"
            "; it is left blank",
            role, (unsigned)cp, u, b->data_loc.file, b->data_loc.line,
            b->data_loc.col);
  else
    zp_warn(c->d, b->loc,
            "no face of font role \"%s\" has U+%04X \"%s\"; it is left blank",
            role, (unsigned)cp, u);
}

/* Line pitch of a style. */
static float style_pitch(const ctx *c, const zp_style *st) {
  if (st->line_pitch > 0 && !st->grid)
    return (float)st->line_pitch;
  if (st->grid) {
    /* On the grid a line takes as many grid lines as it needs. */
    float need = st->line_pitch > 0 ? (float)st->line_pitch : st->size * 1.2f;
    float k = ceilf(need / c->pitch - ZP_EPS);
    return (k < 1 ? 1 : k) * c->pitch;
  }
  return (float)st->size * 1.5f;
}

static float snap_space(const ctx *c, const zp_style *st, double space) {
  if (space <= 0)
    return 0;
  if (!st->grid)
    return (float)space;
  return ceilf((float)space / c->pitch - ZP_EPS) * c->pitch;
}

/* The characters of a style are set at the grid's character pitch when the
 * style is on the grid and its size is near the pitch. */
static double advance_scale(const ctx *c, const zp_style *st) {
  if (st->grid && c->char_pitch > 0 && st->size <= c->char_pitch * 1.1)
    return c->char_pitch;
  return st->size;
}

/* Fits n characters with the given measures; returns the line count. */
static size_t fit(ctx *c, const zp_style *st, size_t n, int32_t em,
                  int32_t first, int32_t measure) {
  memset(c->endsq, 0, n * sizeof *c->endsq);
  return zp_brk_fit(c->cp, c->adv, n, em, first, measure, st->rules, c->ends,
                    c->endsq);
}

/* Lays out one paragraph or heading into lines. */
static bool para_lines(ctx *c, const zp_block *b, uint8_t first_brk,
                       float space_before) {
  const zp_style *st = b->style;
  int role = zp_font_role_find(c->fs, st->role);
  if (role < 0) {
    zp_error(c->d, b->loc, "style \"%s\" uses font role \"%s\", which is not "
             "defined", st->name, st->role);
    return false;
  }
  size_t len = strlen(b->text);
  if (!grow_scratch(c, len + 1))
    return false;
  size_t n = utf8_decode(b->text, c->cp);
  double scale = advance_scale(c, st);
  int32_t em = (int32_t)lround(scale * 1000);
  for (size_t i = 0; i < n; i++) {
    uint32_t cp = c->cp[i];
    if (cp == '\n' || cp == 0x2028) {
      c->gl[i] = (zp_glyph){0, 0, 0};
      c->adv[i] = 0;
      continue;
    }
    if (cp > 0xFFFF) {
      char u[5] = {0};
      utf8_encode(cp, u);
      zp_error(c->d, b->loc,
               "U+%X \"%s\" is outside the Basic Multilingual Plane, which "
               "the PDF writer cannot embed",
               (unsigned)cp, u);
      return false;
    }
    if (!zp_font_glyph(c->fs, role, cp, &c->gl[i]))
      report_missing(c, b, st->role, cp);
    c->adv[i] = (int32_t)lround(c->gl[i].advance * scale);
  }
  zp_brk_compress(c->cp, c->adv, n, em, c->squeeze);
  for (size_t i = 0; i < n; i++)
    c->adv[i] -= c->squeeze[i];

  float measure = c->block_w - (float)(st->left_indent + st->right_indent);
  float first_measure = measure - (float)st->first_indent;
  int32_t m1 = (int32_t)lroundf(first_measure * 1000);
  int32_t m = (int32_t)lroundf(measure * 1000);
  size_t nl = n ? fit(c, st, n, em, m1, m) : 0;
  if (st->balance && nl > 1 && st->first_indent == 0) {
    /* The narrowest measure that still gives nl lines. */
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
  float pitch = style_pitch(c, st);
  size_t start = 0;
  for (size_t k = 0; k < (nl ? nl : 1); k++) {
    size_t end = nl ? c->ends[k] : 0;
    line *l = new_line(c);
    if (!l)
      return false;
    l->blk = b;
    l->st = st;
    l->size = (float)st->size;
    l->height = pitch;
    l->grid = st->grid;
    l->bold = st->bold;
    l->first = k == 0;
    l->last = k + 1 >= nl;
    float lm = k == 0 ? first_measure : measure;
    l->measure = lm;
    l->left = c->block_left + (float)st->left_indent +
              (k == 0 ? (float)st->first_indent : 0);
    if (st->balance && nl > 1)
      l->left = c->block_left + (c->block_w - lm) / 2;
    /* drawn characters: drop hard breaks and trailing spaces */
    size_t e = end;
    while (e > start && (c->cp[e - 1] == '\n' || c->cp[e - 1] == 0x2028 ||
                         c->cp[e - 1] == ' '))
      e--;
    bool hard = end > start && (c->cp[end - 1] == '\n' ||
                                c->cp[end - 1] == 0x2028);
    uint32_t cnt = (uint32_t)(e - start);
    l->g = cnt ? zp_arena_alloc(c->arena, cnt * sizeof *l->g) : NULL;
    if (cnt && !l->g)
      return false;
    int64_t natural = 0;
    for (size_t i = start; i < e; i++)
      natural += c->adv[i];
    natural -= c->endsq[k];
    float slack = lm - natural / 1000.0f;
    float gap = 0;
    if (st->align == ZP_ALIGN_JUSTIFY && !l->last && !hard && cnt > 1 &&
        slack > 0) {
      gap = slack / (float)(cnt - 1);
      l->justified = true;
    }
    float off = 0;
    if (st->align == ZP_ALIGN_CENTER || (st->balance && nl > 1))
      off = slack / 2;
    else if (st->align == ZP_ALIGN_RIGHT)
      off = slack;
    if (off < 0)
      off = 0;
    float x = off;
    for (size_t i = start; i < e; i++) {
      lglyph *g = &l->g[i - start];
      g->cp = c->cp[i];
      g->face = c->gl[i].face;
      g->gid = c->gl[i].gid;
      /* an opening mark squeezed on its blank (left) half */
      g->x = x - (zp_brk_punct(g->cp) == ZP_PUNCT_OPEN
                      ? c->squeeze[i] / 1000.0f
                      : 0);
      x += c->adv[i] / 1000.0f + gap;
    }
    l->n = cnt;
    l->width = cnt ? x - gap - off - c->endsq[k] / 1000.0f : 0;
    if (k == 0) {
      l->brk = first_brk;
      l->space_before = space_before;
    } else if (b->kind == ZP_BLOCK_HEADING) {
      l->brk = BRK_NEVER;
    } else {
      int orphans = st->orphans > 1 ? st->orphans : 1;
      int widows = st->widows > 1 ? st->widows : 1;
      l->brk = ((int)k < orphans || (int)(nl - k) < widows) ? BRK_NEVER
                                                            : BRK_ALLOW;
    }
    start = end;
  }
  return true;
}

/* ---- the second pass: pages ---- */

static void dump_text(FILE *f, const lglyph *g, uint32_t n) {
  char u[5];
  for (uint32_t i = 0; i < n; i++)
    fwrite(u, 1, utf8_encode(g[i].cp, u), f);
}

/* Emits a run per face change; y is the baseline in PDF coordinates. */
static bool emit_glyphs(ctx *c, zp_dl_page *p, const lglyph *g, uint32_t n,
                        float x0, float y, float size, bool bold) {
  uint32_t i = 0;
  while (i < n) {
    uint32_t j = i + 1;
    while (j < n && g[j].face == g[i].face)
      j++;
    zp_dl_run *r = zp_dl_add_run(c->dl, p, g[i].face, size, y, j - i);
    if (!r)
      return false;
    r->bold = bold && !zp_font_face(c->fs, g[i].face)->bold;
    for (uint32_t k = i; k < j; k++)
      r->glyphs[k - i] = (zp_dl_glyph){g[k].cp, g[k].gid, x0 + g[k].x};
    i = j;
  }
  return true;
}

static const char *face_names(ctx *c, const lglyph *g, uint32_t n, char *buf,
                              size_t size) {
  buf[0] = 0;
  int seen[8], ns = 0;
  for (uint32_t i = 0; i < n && ns < 8; i++) {
    bool dup = false;
    for (int k = 0; k < ns; k++)
      dup |= seen[k] == g[i].face;
    if (dup)
      continue;
    seen[ns++] = g[i].face;
    size_t len = strlen(buf);
    snprintf(buf + len, size - len, "%s%s", ns > 1 ? "+" : "",
             zp_font_face(c->fs, g[i].face)->family);
  }
  return buf;
}

/* The folio of page number (1-based) pno. */
static bool emit_folio(ctx *c, zp_dl_page *p, int pno) {
  const zp_folio *f = &c->doc->folio;
  if (f->pos == ZP_FOLIO_NONE || !f->format || (pno == 1 && !f->first_page))
    return true;
  int role = zp_font_role_find(c->fs, f->role ? f->role : "song");
  if (role < 0) {
    zp_error(c->d, (zp_loc){0}, "the folio uses font role \"%s\", which is "
             "not defined", f->role ? f->role : "song");
    return false;
  }
  char text[128];
  const char *at = strstr(f->format, "{n}");
  if (at)
    snprintf(text, sizeof text, "%.*s%d%s", (int)(at - f->format), f->format,
             pno, at + 3);
  else
    snprintf(text, sizeof text, "%s", f->format);
  uint32_t cps[128];
  size_t n = utf8_decode(text, cps);
  lglyph g[128];
  float x = 0, size = (float)f->size;
  for (size_t i = 0; i < n; i++) {
    zp_glyph gl;
    zp_font_glyph(c->fs, role, cps[i], &gl);
    g[i] = (lglyph){cps[i], gl.face, gl.gid, x};
    x += gl.advance * size / 1000.0f;
  }
  float indent = (float)f->indent;
  float left;
  if (f->pos == ZP_FOLIO_CENTER)
    left = c->block_left + (c->block_w - x) / 2;
  else if (pno % 2 == 1)
    left = c->block_left + c->block_w - indent - x;
  else
    left = c->block_left + indent;
  /* below: from the text block's bottom to the top of the folio's em box */
  float top = c->block_top + c->block_h + (float)f->below;
  float base = top + size * (1.0f - 0.12f);
  float y = p->height - base;
  if (c->dump) {
    fprintf(c->dump, "  folio x=%.2f y=%.2f w=%.2f size=%.1f text=", left,
            base, x, size);
    dump_text(c->dump, g, (uint32_t)n);
    fputc('\n', c->dump);
  }
  return emit_glyphs(c, p, g, (uint32_t)n, left, y, size, false);
}

/* Emits lines [from, to) as one page. */
static bool emit_page(ctx *c, size_t from, size_t to) {
  const zp_page_setup *ps = &c->doc->page;
  zp_dl_page *p = zp_dl_add_page(c->dl, (float)ps->width, (float)ps->height);
  if (!p)
    return false;
  int pno = c->dl->npages;
  if (c->dump)
    fprintf(c->dump, "page %d %.2fx%.2f pitch=%.3f\n", pno, ps->width,
            ps->height, c->pitch);
  float y = 0; /* from the top of the text block */
  for (size_t i = from; i < to; i++) {
    line *l = &c->lines[i];
    if (i > from)
      y += l->space_before;
    if (l->grid)
      y = ceilf(y / c->pitch - ZP_EPS) * c->pitch;
    float top = c->block_top + y;
    float base = top + l->height / 2 + l->size * (float)ZP_EM_CENTRE;
    float pdf_y = p->height - base;
    if (!emit_glyphs(c, p, l->g, l->n, l->left, pdf_y, l->size, l->bold))
      return false;
    if (l->first && l->blk->outline && l->blk->level > 0 &&
        !zp_dl_add_outline(c->dl, l->blk->level, l->blk->text, pno - 1,
                           p->height - top))
      return false;
    if (c->dump) {
      char faces[512];
      fprintf(c->dump,
              "  line y=%.2f top=%.2f x=%.2f w=%.2f m=%.2f size=%.1f "
              "style=%s align=%c%s%s%s%s face=%s text=",
              base, top - c->block_top, l->left, l->width, l->measure,
              l->size, l->st->name,
              "lcrj"[l->st->align], l->grid ? " grid" : "",
              l->justified ? " just" : "",
              l->first ? " first" : "", l->last ? " last" : "",
              face_names(c, l->g, l->n, faces, sizeof faces));
      dump_text(c->dump, l->g, l->n);
      fputc('\n', c->dump);
    }
    y += l->height;
  }
  return emit_folio(c, p, pno);
}

/* Fills pages with the lines. */
static bool paginate(ctx *c) {
  size_t start = 0, i = 0;
  float y = 0;
  while (i < c->nlines) {
    line *l = &c->lines[i];
    if (l->brk == BRK_FORCE && i > start) {
      if (!emit_page(c, start, i))
        return false;
      start = i;
      y = 0;
    }
    float top = i > start ? y + l->space_before : 0;
    if (l->grid)
      top = ceilf(top / c->pitch - ZP_EPS) * c->pitch;
    if (top + l->height > c->block_h + ZP_EPS && i > start) {
      size_t j = i;
      while (j > start && c->lines[j].brk == BRK_NEVER)
        j--;
      if (j == start) /* nothing allowed on this page: break here */
        j = i;
      if (!emit_page(c, start, j))
        return false;
      start = i = j;
      y = 0;
      continue;
    }
    y = top + l->height;
    i++;
  }
  if (start < c->nlines || c->dl->npages == 0)
    return emit_page(c, start, c->nlines);
  return true;
}

bool zp_layout_define_roles(const zp_doc *doc, zp_fontset *fs, zp_diag *d) {
  bool ok = true;
  if (doc->roles && doc->roles[0].name) {
    for (const zp_doc_role *r = doc->roles; r->name; r++)
      ok &= zp_font_role(fs, r->name, r->families, d) >= 0;
  } else {
    for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
      ok &= zp_font_role(fs, r->name, r->families, d) >= 0;
  }
  return ok;
}

zp_dl *zp_layout(const zp_doc *doc, zp_fontset *fs, const zp_layout_opts *o,
                 zp_diag *d) {
  ctx c = {0};
  zp_dl *ret = NULL;
  c.doc = doc;
  c.fs = fs;
  c.d = d;
  c.dump = o ? o->dump : NULL;
  c.arena = zp_arena_new();
  c.dl = zp_dl_new();
  if (!c.arena || !c.dl)
    goto done;
  const zp_page_setup *ps = &doc->page;
  c.block_left = (float)ps->margin_left;
  c.block_top = (float)ps->margin_top;
  c.block_w = (float)(ps->width - ps->margin_left - ps->margin_right);
  c.block_h = (float)(ps->height - ps->margin_top - ps->margin_bottom);
  c.pitch = ps->line_pitch > 0 ? (float)ps->line_pitch
            : ps->grid_lines > 0 ? c.block_h / (float)ps->grid_lines
                                 : 28.95f;
  c.char_pitch = ps->char_pitch > 0 ? (float)ps->char_pitch
                 : ps->grid_chars > 0 ? c.block_w / (float)ps->grid_chars
                                      : 0;
  c.dl->title = doc->title;
  c.dl->author = doc->author;
  c.dl->subject = doc->subject;
  c.dl->keywords = doc->keywords;
  c.dl->date = doc->date;

  int errors = zp_diag_errors(d);
  bool keep = false, force = false;
  float after = 0; /* space after the previous block */
  for (const zp_block *b = doc->first; b; b = b->next) {
    if (b->kind == ZP_BLOCK_PAGE_BREAK) {
      force = true;
      continue;
    }
    if (b->kind == ZP_BLOCK_TABLE) {
      zp_error(d, b->loc, "tables are not supported yet");
      continue;
    }
    const zp_style *st = b->style;
    uint8_t brk = (force || st->page_break_before) ? BRK_FORCE
                  : keep                           ? BRK_NEVER
                                                   : BRK_ALLOW;
    float before = snap_space(&c, st, st->space_before);
    if (after > before)
      before = after;
    if (!para_lines(&c, b, brk, before))
      goto done;
    keep = st->keep_with_next;
    force = false;
    after = snap_space(&c, st, st->space_after);
  }
  if (zp_diag_errors(d) > errors)
    goto done;
  if (!paginate(&c))
    goto done;
  if (zp_diag_errors(d) > errors)
    goto done;
  ret = c.dl;
  c.dl = NULL;
done:
  zp_dl_free(c.dl);
  zp_arena_free(c.arena);
  free(c.lines);
  free(c.cp);
  free(c.adv);
  free(c.squeeze);
  free(c.endsq);
  free(c.gl);
  free(c.ends);
  free(c.missing);
  return ret;
}
