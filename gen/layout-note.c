/* layout-note.c — footnotes (see layout-imp.h).
 *
 * A footnote's marker is a NOTE span of a block's or a cell's text; its
 * note is set, when its marker's text is set into lines (in each of the
 * layout's passes), into lines of its own (off the grid, the width of the
 * text block less a hanging indent for its marker).  Pagination asks
 * lay_note_need how much room the page's notes take before it lets a line stay:
 * the lines of notes continued from the page before, every note of the page's
 * markers in full but the last, and that one's first line, with the rule and
 * its spaces, so that a marker and the start of its note are always on one
 * page; the last note may continue on the next page, where its remaining lines
 * come first. Emitting a page collects its notes in marker order, numbers them
 * when the numbering is per page, and sets the note area at the foot of the
 * text block, the rule above it.
 *
 * Per-page numbers replace the marker's text in its line without setting
 * the line again (notes never change how the body breaks): a page's k-th
 * marker has a document number of at least k, so its per-page text is
 * never longer; a circled digit is exactly as wide, a shorter number
 * leaves its spare width after it.
 */
#include "layout-imp.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

struct lnote {
  const zp_note *note;
  const zp_style *st;
  const char *mtext; /* the marker's text, as the binder wrote it */
  uint32_t mlen;     /* its bytes */
  uint32_t g0, g1;   /* its glyphs in the line that carries it */
  line *lines;       /* the note's own lines, in the arena */
  uint32_t nlines;
  float h, first_h; /* all its lines, its first line */
  int page;         /* 0-based page of its first line; -1: not yet */
  uint32_t shown;   /* lines set so far */
  int pno;          /* its number on its page (per-page numbering) */
  bool listed;      /* in c->note_list */
  bool warned;      /* told that it begins after its marker's page */
};

/* The built-in note style when the template names none. */
static const zp_style default_note_style = {.name = "footnote",
                                            .role = "song",
                                            .size = 12,
                                            .line_pitch = 18,
                                            .align = ZP_ALIGN_JUSTIFY,
                                            .widows = 1,
                                            .orphans = 1,
                                            .rules = ZP_BREAK_BASIC};

static float space(const ctx *c) { return (float)c->doc->footnotes.space; }

/* The marker's label before a note's text: size and raise in pt. */
static float label_size(const ctx *c, const zp_style *st) {
  return c->doc->footnotes.marker == ZP_MARKER_CIRCLED ? (float)st->size
                                                       : (float)st->size * 0.7f;
}

static size_t count_notes(const zp_doc *doc) {
  size_t n = 0;
  for (const zp_block *b = doc->first; b; b = b->next) {
    for (uint32_t k = 0; k < b->nspans; k++)
      n += b->spans[k].kind == ZP_SPAN_NOTE;
    if (b->kind == ZP_BLOCK_TABLE && b->table)
      for (int r = 0; r < b->table->nrows; r++)
        for (int i = 0; i < b->table->rows[r].ncells; i++) {
          const zp_cell *cl = &b->table->rows[r].cells[i];
          for (uint32_t k = 0; k < cl->nspans; k++)
            n += cl->spans[k].kind == ZP_SPAN_NOTE;
        }
  }
  return n;
}

bool lay_note_prepare(ctx *c) {
  const zp_footnotes *fn = &c->doc->footnotes;
  c->note_style = fn->style ? fn->style : &default_note_style;
  size_t n = count_notes(c->doc);
  if (n == 0)
    return true;
  /* the hanging indent: the widest marker label and a quarter em */
  char label[32];
  if (!zp_fmt_note_marker((int)fn->marker, (long)n, label, sizeof label, NULL))
    return false;
  zp_style ls = *c->note_style;
  ls.size = label_size(c, c->note_style);
  ls.grid = false;
  ls.squeeze_pairs = false;
  ls.latin_space = 0;
  float w = lay_text_width(c, &ls, label, (zp_loc){0});
  if (fn->marker == ZP_MARKER_CIRCLED && w < (float)c->note_style->size)
    w = (float)c->note_style->size;
  c->note_indent = w + (float)c->note_style->size * 0.25f;
  return true;
}

static lnote *new_note(ctx *c) {
  if (c->nnotes == c->capnotes) {
    size_t cap = c->capnotes ? c->capnotes * 2 : 16;
    lnote *nv = realloc(c->notes, cap * sizeof *nv);
    if (!nv)
      return NULL;
    c->notes = nv;
    c->capnotes = cap;
  }
  lnote *n = &c->notes[c->nnotes++];
  memset(n, 0, sizeof *n);
  n->page = -1;
  return n;
}

/* Code points of text before byte b, counted on from a cursor (*at bytes
 * holding *cps code points) so that a paragraph's markers, in order, read
 * its text once. */
static uint32_t cp_index(const char *text, uint32_t b, uint32_t *at,
                         uint32_t *cps) {
  if (b < *at) /* never for sorted markers; counted afresh */
    *at = *cps = 0;
  for (; *at < b && text[*at]; (*at)++)
    *cps += ((unsigned char)text[*at] & 0xC0) != 0x80;
  return *cps;
}

/* Sets a note's text into its own lines. */
static bool note_lines(ctx *c, lnote *ln, zp_loc loc) {
  const zp_note *nt = ln->note;
  const zp_style *st = ln->st;
  lvec v = {0};
  shape_req r = {st,
                 nt->text,
                 nt->loc.file ? nt->loc : loc,
                 (zp_loc){0},
                 c->block_left + c->note_indent,
                 c->block_w - c->note_indent,
                 0,
                 st->align,
                 false,
                 nt->spans,
                 nt->nspans,
                 false};
  bool ok = lay_text_shape(c, &r, &v);
  if (ok && v.n) {
    ln->lines = zp_arena_alloc(c->arena, v.n * sizeof *ln->lines);
    ok = ln->lines != NULL;
    if (ok) {
      memcpy(ln->lines, v.v, v.n * sizeof *ln->lines);
      ln->nlines = (uint32_t)v.n;
      ln->first_h = v.v[0].height;
      for (size_t i = 0; i < v.n; i++)
        ln->h += v.v[i].height;
    }
  }
  free(v.v);
  return ok;
}

bool lay_note_scan(ctx *c, line *ls, size_t n, const char *text,
                   const zp_span *spans, uint32_t nspans, zp_loc loc) {
  uint32_t rb = 0, rc = 0; /* the text read so far (cp_index) */
  size_t li = 0;           /* the line of the marker before */
  for (uint32_t k = 0; k < nspans; k++) {
    const zp_span *sp = &spans[k];
    if (sp->kind != ZP_SPAN_NOTE)
      continue;
    zp_loc at = sp->loc.file ? sp->loc : loc;
    if (!sp->note || !sp->note->text || !*sp->note->text) {
      zp_error(c->d, at, "a footnote marker with no note");
      return false;
    }
    uint32_t a = cp_index(text, sp->start, &rb, &rc);
    uint32_t e = cp_index(text, sp->end, &rb, &rc);
    if (li >= n || (li > 0 && ls[li].cp0 > a))
      li = 0;
    while (li + 1 < n && ls[li + 1].cp0 <= a)
      li++;
    if (n == 0)
      continue;
    line *l = &ls[li];
    size_t idx = c->nnotes;
    lnote *ln = new_note(c);
    if (!ln)
      return false;
    ln->note = sp->note;
    ln->st = sp->note->style ? sp->note->style : c->note_style;
    ln->mtext = text + sp->start;
    ln->mlen = sp->end > sp->start ? sp->end - sp->start : 0;
    ln->g0 = a - l->cp0 < l->n ? a - l->cp0 : l->n;
    ln->g1 = e - l->cp0 < l->n ? e - l->cp0 : l->n;
    if (ln->g1 < ln->g0)
      ln->g1 = ln->g0;
    if (!l->nnote)
      l->note0 = (uint32_t)idx;
    l->nnote++;
    if (!note_lines(c, ln, at))
      return false;
    float room = c->block_h - 2 * space(c);
    if (ln->h > room + LAY_EPS) {
      zp_error(c->d, sp->note->loc.file ? sp->note->loc : at,
               "this footnote (%.0f pt high) is taller than a page's text "
               "block can hold under its rule (%.0f pt)",
               ln->h, room);
      return false;
    }
  }
  return true;
}

void lay_note_tally(const ctx *c, const line *ls, size_t n, ltally *t) {
  for (size_t i = 0; i < n; i++)
    for (uint32_t k = 0; k < ls[i].nnote; k++) {
      const lnote *ln = &c->notes[ls[i].note0 + k];
      if (ln->page >= 0)
        continue; /* begun on an earlier page (a repeated header) */
      t->full += ln->h;
      t->rest = ln->h - ln->first_h;
      t->any = true;
    }
}

float lay_note_need(const ctx *c, const ltally *t) {
  const ltally *p = &c->note_page;
  bool more = t && t->any;
  if (!p->any && !more && c->note_carry <= 0)
    return 0;
  float full = p->full + (more ? t->full : 0);
  float rest = more ? t->rest : p->any ? p->rest : 0;
  return 2 * space(c) + c->note_carry + full - rest;
}

void lay_note_count(ctx *c, const ltally *t) {
  if (!t->any)
    return;
  c->note_page.full += t->full;
  c->note_page.rest = t->rest;
  c->note_page.any = true;
}

static bool list_add(ctx *c, size_t idx) {
  if (c->notes[idx].listed)
    return true;
  if (c->note_nlist == c->note_caplist) {
    size_t cap = c->note_caplist ? c->note_caplist * 2 : 16;
    size_t *nv = realloc(c->note_list, cap * sizeof *nv);
    if (!nv)
      return false;
    c->note_list = nv;
    c->note_caplist = cap;
  }
  c->note_list[c->note_nlist++] = idx;
  c->notes[idx].listed = true;
  return true;
}

/* Writes per-page number pno into the marker of note ln in line l. */
static void renumber(ctx *c, line *l, lnote *ln, int pno) {
  char text[32];
  uint32_t cps[32];
  if (!zp_fmt_note_marker((int)c->doc->footnotes.marker, pno, text, sizeof text,
                          NULL))
    return;
  size_t k = lay_text_utf8_decode(text, cps);
  uint32_t have = ln->g1 - ln->g0;
  int role = zp_font_role_find(c->fs, l->st->role);
  if (k > have || role < 0)
    return; /* never longer; a marker the binder wrote otherwise stays */
  for (size_t i = 0; i < k; i++) {
    zp_glyph gl;
    zp_font_glyph(c->fs, role, cps[i], &gl);
    lglyph *g = &l->g[ln->g0 + i];
    g->cp = cps[i];
    g->face = gl.face;
    g->gid = gl.gid;
  }
  uint32_t drop = have - (uint32_t)k;
  if (!drop)
    return;
  memmove(&l->g[ln->g0 + k], &l->g[ln->g1], (l->n - ln->g1) * sizeof *l->g);
  if (l->look) { /* the looks go with their glyphs (the line's own array) */
    lglook *lv = (lglook *)l->look;
    memmove(&lv[ln->g0 + k], &lv[ln->g1], (l->n - ln->g1) * sizeof *lv);
  }
  l->n -= drop;
  ln->g1 -= drop;
  for (uint32_t q = 0; q < l->nnote; q++) {
    lnote *o = &c->notes[l->note0 + q];
    if (o != ln && o->g0 >= ln->g1 + drop) {
      o->g0 -= drop;
      o->g1 -= drop;
    }
  }
}

/* The notes of a line placed at top on the page being begun. */
static bool page_line(ctx *c, line *l, float top) {
  float bottom = top + l->height;
  if (bottom > c->note_body_bottom)
    c->note_body_bottom = bottom;
  for (uint32_t k = 0; k < l->nnote; k++) {
    size_t idx = l->note0 + k;
    if (c->notes[idx].page >= 0)
      continue;
    if (!list_add(c, idx))
      return false;
  }
  return true;
}

static bool page_pending(ctx *c) {
  for (tdraw *d = c->pending; d; d = d->next) {
    if (d->l) {
      if (!page_line(c, (line *)d->l, d->top))
        return false;
    } else if (d->mark < 0) {
      float b = d->y0 > d->y1 ? d->y0 : d->y1;
      if (b > c->note_body_bottom)
        c->note_body_bottom = b;
    }
  }
  return true;
}

bool lay_note_begin_page(ctx *c, size_t from, size_t to) {
  c->note_body_bottom = 0;
  if (!c->nnotes)
    return true;
  /* the continued notes first, as the page before left them */
  size_t keep = 0;
  for (size_t i = 0; i < c->note_nlist; i++) {
    lnote *ln = &c->notes[c->note_list[i]];
    if (ln->shown < ln->nlines)
      c->note_list[keep++] = c->note_list[i];
    else
      ln->listed = false;
  }
  c->note_nlist = keep;
  size_t first_new = keep;
  bool tables = false;
  for (size_t i = from; i < to; i++) {
    line *l = &c->lines.v[i];
    if (l->tbl) {
      if (!tables && !page_pending(c))
        return false;
      tables = true;
    } else if (!page_line(c, l, l->top)) {
      return false;
    }
  }
  if (!tables && !page_pending(c))
    return false;
  /* numbered in marker order */
  for (size_t i = first_new; i < c->note_nlist; i++)
    c->notes[c->note_list[i]].pno = (int)(i - first_new + 1);
  if (!c->doc->footnotes.per_page)
    return true;
  for (size_t i = from; i < to; i++)
    for (uint32_t k = 0; k < c->lines.v[i].nnote; k++) {
      lnote *ln = &c->notes[c->lines.v[i].note0 + k];
      if (ln->page < 0)
        renumber(c, &c->lines.v[i], ln, ln->pno);
    }
  for (tdraw *d = c->pending; d; d = d->next)
    if (d->l)
      for (uint32_t k = 0; k < d->l->nnote; k++) {
        lnote *ln = &c->notes[d->l->note0 + k];
        if (ln->page < 0 && ln->pno > 0)
          renumber(c, (line *)d->l, ln, ln->pno);
      }
  return true;
}

/* The marker's label before a note's first line; its glyphs into g (room
 * for 32). */
static uint32_t label(ctx *c, const lnote *ln, lglyph *g, float size) {
  char text[32];
  uint32_t cps[32];
  if (c->doc->footnotes.per_page || ln->mlen == 0 || ln->mlen >= sizeof text) {
    if (!zp_fmt_note_marker(
            (int)c->doc->footnotes.marker,
            c->doc->footnotes.per_page ? ln->pno : (long)(ln - c->notes) + 1,
            text, sizeof text, NULL))
      return 0;
  } else {
    memcpy(text, ln->mtext, ln->mlen);
    text[ln->mlen] = 0;
  }
  size_t n = lay_text_utf8_decode(text, cps);
  int role = zp_font_role_find(c->fs, ln->st->role);
  if (role < 0)
    return 0;
  float x = 0;
  return lay_text_glyphs(c, role, cps, (uint32_t)n, size, g, &x);
}

bool lay_note_end_page(ctx *c, zp_dl_page *p, size_t from, size_t to) {
  (void)from;
  (void)to;
  c->note_page = (ltally){0};
  c->note_carry = 0;
  if (!c->note_nlist)
    return true;
  int page = c->npages - 1;
  /* as many lines as fit under the body, in order */
  float room = c->block_h - c->note_body_bottom - 2 * space(c), used = 0;
  size_t i;
  uint32_t upto = 0; /* lines of the list's note i set here */
  bool full = false;
  size_t last = 0;
  for (i = 0; i < c->note_nlist && !full; i++) {
    lnote *ln = &c->notes[c->note_list[i]];
    uint32_t k = ln->shown;
    while (k < ln->nlines && used + ln->lines[k].height <= room + LAY_EPS)
      used += ln->lines[k++].height;
    if (k < ln->nlines)
      full = true;
    last = i;
    upto = k;
  }
  if (used <= 0)
    goto carry; /* nothing fits under the body: all continue */
  const zp_footnotes *fn = &c->doc->footnotes;
  float top = c->block_h - used;
  float rule_y = top - space(c);
  float rlen = fn->rule_length > 0 ? (float)fn->rule_length : c->block_w / 4;
  if (p && c->dump)
    fprintf(c->dump, "  noterule x=%.2f y=%.2f w=%.2f weight=%.2f\n",
            c->block_left, c->block_top + rule_y, rlen, fn->rule_width);
  if (p && fn->rule_width > 0 &&
      !zp_dl_add_rule(c->dl, p, c->block_left,
                      p->height - c->block_top - rule_y, c->block_left + rlen,
                      p->height - c->block_top - rule_y, (float)fn->rule_width))
    return false;
  float y = top;
  for (size_t q = 0; q <= last; q++) {
    lnote *ln = &c->notes[c->note_list[q]];
    uint32_t end = q == last ? upto : ln->nlines;
    for (uint32_t k = ln->shown; k < end; k++) {
      const line *l = &ln->lines[k];
      if (!p) { /* counting pages only (layout-part.c's first pass) */
        y += l->height;
        continue;
      }
      char tag[96];
      lglyph g[32];
      uint32_t ng = 0;
      float lsize = label_size(c, ln->st);
      /* a number raised as a superscript, a circled digit on the line */
      float rise =
          fn->marker != ZP_MARKER_CIRCLED ? (float)ln->st->size * 0.33f : 0;
      if (k == 0)
        ng = label(c, ln, g, lsize);
      char mark[64] = "";
      if (ng) {
        size_t m = 0;
        memcpy(mark, " mark=", 6);
        m = 6;
        for (uint32_t gi = 0; gi < ng && m + 5 < sizeof mark; gi++)
          m += lay_text_utf8_encode(g[gi].cp, mark + m);
        mark[m] = 0;
      }
      snprintf(tag, sizeof tag, " note=%zu%s%s", (size_t)(ln - c->notes) + 1,
               k > 0 && k == ln->shown ? " cont" : "", mark);
      if (ng) {
        /* the label on the first line's baseline, drawn before the line
         * so that the PDF's text reads it first (copied, extracted) */
        float base = y + l->height / 2 + l->size * (float)LAY_EM_CENTRE;
        lglook look = {lsize, rise,
                       ln->st->color == ZP_COLOR_INHERIT ? 0 : ln->st->color,
                       false};
        if (!lay_page_glyphs(c, p, g, NULL, ng, look, c->block_left,
                             p->height - c->block_top - base, 0))
          return false;
      }
      if (!lay_page_draw_line(c, p, l, y, tag))
        return false;
      y += l->height;
    }
    if (ln->page < 0 && end > 0)
      ln->page = page;
    ln->shown = end;
  }
carry:
  /* what continues: the lines of the list from the first unfinished */
  for (size_t q = 0; q < c->note_nlist; q++) {
    lnote *ln = &c->notes[c->note_list[q]];
    if (ln->page < 0 && !ln->warned) {
      /* only when the marker's line is the page's first and the lines
       * continued from the page before leave no room under it */
      zp_warn(c->d, ln->note->loc,
              "this footnote begins on the page after its marker's (page "
              "%d): the notes continued onto that page leave no room",
              page + 1);
      ln->warned = true;
    }
    for (uint32_t k = ln->shown; k < ln->nlines; k++)
      c->note_carry += ln->lines[k].height;
  }
  return true;
}

void lay_note_dump_markers(ctx *c, const line *l) {
  int page = c->npages - 1, n = 0;
  for (uint32_t k = 0; k < l->nnote; k++) {
    const lnote *ln = &c->notes[l->note0 + k];
    if (ln->page >= 0 && ln->page != page)
      continue;
    fprintf(c->dump, "%s%u", n++ ? "," : "notes=", l->note0 + k + 1);
  }
  if (n)
    fputc(' ', c->dump);
}

bool lay_note_pending(const ctx *c) {
  for (size_t i = 0; i < c->note_nlist; i++) {
    const lnote *ln = &c->notes[c->note_list[i]];
    if (ln->shown < ln->nlines)
      return true;
  }
  return false;
}

void lay_note_restart(ctx *c) {
  for (size_t i = 0; i < c->nnotes; i++) {
    c->notes[i].page = -1;
    c->notes[i].shown = 0;
    c->notes[i].listed = false;
  }
  c->note_nlist = 0;
  c->note_page = (ltally){0};
  c->note_carry = 0;
  c->note_body_bottom = 0;
}

void lay_note_new_pass(ctx *c) {
  c->nnotes = 0;
  c->note_nlist = 0;
  c->note_page = (ltally){0};
  c->note_carry = 0;
  c->note_body_bottom = 0;
}

void lay_note_free(ctx *c) {
  free(c->notes);
  free(c->note_list);
}
