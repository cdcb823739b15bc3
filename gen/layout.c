/* layout.c — see layout.h; the stages share layout-imp.h.
 *
 * Two passes.  The first (here) turns every block into lines: a paragraph
 * or heading is set by layout-text.c (decoded, each character resolved to
 * a face and an advance, adjacent full-width marks compressed, the lines
 * fitted with zp_brk_fit and each line's glyph positions fixed), a table
 * is prepared by layout-table.c and stands in the lines as one place
 * holder.  Every line records whether a page may break before it (widows,
 * orphans, keep-with-next) or must.  The second pass (layout-page.c) fills
 * pages with lines, backing up to the last allowed break when a line does
 * not fit, places the tables, and emits the display list, the folios, the
 * bookmarks and the dump.  Also here: the page area and the font roles.
 *
 * Units: advances are integers in 1/1000 pt while fitting; positions are
 * floats in pt.  Vertical positions are measured from the top of the text
 * block downwards and turned into PDF coordinates when emitted.
 */
#include "layout-imp.h"

#include <stdlib.h>
#include <string.h>

/* Lays out one paragraph or heading into the document's lines. */
static bool para_lines(ctx *c, const zp_block *b, uint8_t first_brk,
                       float space_before) {
  const zp_style *st = b->style;
  size_t from = c->lines.n;
  float li = lay_text_indent(c, st, st->left_indent, st->left_indent_em);
  float ri = lay_text_indent(c, st, st->right_indent, st->right_indent_em);
  shape_req r = {st,
                 b->text,
                 b->loc,
                 b->data_loc,
                 c->block_left + li,
                 c->block_w - (li + ri),
                 lay_text_indent(c, st, st->first_indent, st->first_indent_em),
                 st->align,
                 st->balance,
                 b->spans,
                 b->nspans,
                 false};
  if (b->hang > 0 && b->hang < strlen(b->text)) {
    /* the first line from the indent (after lead), the others under the
     * character at byte hang */
    char *head = zp_arena_strndup(c->arena, b->text, b->hang);
    if (!head)
      return false;
    float lead = b->lead ? lay_text_width(c, st, b->lead, b->loc) : 0;
    float hang = lay_text_width(c, st, head, b->loc);
    float shift = r.first_indent + lead + hang;
    if (shift > r.width / 2)
      shift = r.width / 2; /* a name too long for its list still sets */
    r.left += shift;
    r.width -= shift;
    r.first_indent = -hang;
  }
  if (!lay_text_shape(c, &r, &c->lines))
    return false;
  size_t nl = c->lines.n - from;
  if (b->nspans && !lay_note_scan(c, c->lines.v + from, nl, b->text, b->spans,
                                  b->nspans, b->loc))
    return false;
  int orphans = st->orphans > 1 ? st->orphans : 1;
  int widows = st->widows > 1 ? st->widows : 1;
  for (size_t k = 0; k < nl; k++) {
    line *l = &c->lines.v[from + k];
    l->blk = b;
    if (k == 0) {
      l->brk = first_brk;
      l->why = WHY_KEEP;
      l->space_before = space_before;
    } else if (b->kind == ZP_BLOCK_HEADING) {
      l->brk = BRK_NEVER;
      l->why = WHY_TOGETHER;
    } else {
      l->brk =
          ((int)k < orphans || (int)(nl - k) < widows) ? BRK_NEVER : BRK_ALLOW;
      l->why = (int)k < orphans ? WHY_ORPHAN : WHY_WIDOW;
    }
  }
  return true;
}

bool zp_layout_define_roles(const zp_doc_role *roles, zp_fontset *fs,
                            zp_diag *d) {
  bool ok = true;
  if (roles && roles[0].name) {
    for (const zp_doc_role *r = roles; r->name; r++)
      if (zp_font_role(fs, r->name, r->families, d) < 0) {
        zp_diag_report(d, ZP_NOTE, r->loc, "font role \"%s\" is defined here",
                       r->name);
        ok = false;
      }
  } else {
    for (const zp_role_def *r = zp_font_default_roles(); r->name; r++)
      ok &= zp_font_role(fs, r->name, r->families, d) >= 0;
  }
  return ok;
}

/* A table's place holder in the line list. */
static bool table_lines(ctx *c, const zp_block *b, uint8_t brk,
                        float space_before) {
  tlayout *tl = lay_table_prepare(c, b);
  if (!tl)
    return false;
  line *l = lay_text_new_line(&c->lines);
  if (!l)
    return false;
  l->blk = b;
  l->st = b->style;
  l->tbl = tl;
  l->brk = brk;
  l->why = WHY_KEEP;
  l->space_before = space_before;
  l->height = lay_table_first_need(tl);
  l->first = l->last = true;
  return true;
}

/* A new display list for a pass, with the document's properties. */
static bool new_pass(ctx *c) {
  zp_dl_free(c->dl);
  zp_arena_free(c->arena);
  c->arena = zp_arena_new();
  c->dl = zp_dl_new();
  c->lines.n = 0;
  c->pending = c->pending_tail = c->spare = NULL;
  c->why = WHY_NONE;
  c->npages = 0;
  c->part = NULL;
  lay_part_setup(c, &c->doc->page);
  lay_note_new_pass(c);
  if (!c->arena || !c->dl)
    return false;
  c->dl->title = c->doc->title;
  c->dl->author = c->doc->author;
  c->dl->subject = c->doc->subject;
  c->dl->keywords = c->doc->keywords;
  c->dl->date = c->doc->date;
  return true;
}

/* Turns the blocks from first up to end (exclusive) into lines: breaks,
 * spacing, keep-with-next. */
static bool block_lines(ctx *c, const zp_block *first, const zp_block *end) {
  bool keep = false, force = false;
  float after = 0; /* space after the previous block */
  for (const zp_block *b = first; b && b != end; b = b->next) {
    if (b->kind == ZP_BLOCK_PAGE_BREAK) {
      force = true;
      continue;
    }
    const zp_style *st = b->style;
    if (b->kind == ZP_BLOCK_CONTENTS && (!st || !b->contents))
      continue;
    uint8_t brk = (force || (st && st->page_break_before))        ? BRK_FORCE
                  : keep || (b->keep_with_previous && b != first) ? BRK_NEVER
                                                                  : BRK_ALLOW;
    float before = st ? lay_text_snap_space(c, st, st->space_before) : 0;
    if (after > before)
      before = after;
    bool image_keep = false;
    bool ok =
        b->kind == ZP_BLOCK_TABLE      ? table_lines(c, b, brk, before)
        : b->kind == ZP_BLOCK_CONTENTS ? lay_contents_lines(c, b, brk, before)
        : b->kind == ZP_BLOCK_IMAGE
            ? lay_image_lines(c, b, brk, before, &image_keep)
        : b->kind == ZP_BLOCK_SIGNATURE ? lay_image_signature(c, b, brk, before)
                                        : para_lines(c, b, brk, before);
    if (!ok)
      return false;
    if (image_keep) { /* a page image: with the next block, spacing its */
      keep = true;
      continue;
    }
    keep = st && st->keep_with_next && b->kind != ZP_BLOCK_TABLE &&
           b->kind != ZP_BLOCK_IMAGE;
    force = false;
    after = st ? lay_text_snap_space(c, st, st->space_after) : 0;
  }
  return true;
}

/* One layout of the document: lines, pages, links; false after an
 * error. */
static bool one_pass(ctx *c) {
  int errors = zp_diag_errors(c->d);
  bool ok;
  if (c->doc->parts)
    ok = lay_part_layout(c, block_lines);
  else
    ok = block_lines(c, c->doc->first, NULL) &&
         zp_diag_errors(c->d) == errors && lay_page_paginate(c, 0, c->lines.n);
  return ok && zp_diag_errors(c->d) == errors && lay_link_resolve(c) &&
         zp_diag_errors(c->d) == errors;
}

zp_dl *zp_layout(const zp_doc *doc, zp_fontset *fs, const zp_layout_opts *o,
                 zp_diag *d) {
  ctx c = {0};
  zp_dl *ret = NULL;
  c.doc = doc;
  c.fs = fs;
  c.d = d;
  c.debug = o && o->debug;
  lay_part_setup(&c, &doc->page);
  if (!lay_link_ids(&c) || !lay_note_prepare(&c))
    goto done;
  /* A table of contents: lay out with the numbers of the pass before
   * (blank in the first) until no heading moves; the dump is written by
   * a last pass once it has settled (the same layout again). */
  bool toc_ok, toc = lay_contents_present(&c, &toc_ok);
  if (!toc_ok)
    goto done;
  int max = o && o->max_passes > 0 ? o->max_passes : LAY_MAX_PASSES;
  FILE *dump = o ? o->dump : NULL;
  bool final = !toc;
  for (c.pass = 1;; c.pass++) {
    c.dump = final ? dump : NULL;
    if (!new_pass(&c) || !one_pass(&c))
      goto done;
    if (final)
      break;
    bool settled = c.pass > 1 && lay_contents_settled(&c, c.pass >= max);
    lay_link_next_pass(&c);
    if (settled && !dump)
      break;
    if (settled)
      final = true;
    else if (c.pass >= max) {
      if (c.pass == 1) /* one pass allowed: the numbers were never set */
        zp_error(d, (zp_loc){0},
                 "the table of contents needs a second layout for its page "
                 "numbers");
      goto done;
    }
  }
  if (toc && dump) /* the layouts it took (the dump's own one not counted) */
    fprintf(dump, "contents settled layouts=%d\n", c.pass - 1);
  ret = c.dl;
  c.dl = NULL;
done:
  zp_dl_free(c.dl);
  zp_arena_free(c.arena);
  free(c.lines.v);
  free(c.cp);
  free(c.adv);
  free(c.squeeze);
  free(c.endsq);
  free(c.kinds);
  free(c.gl);
  free(c.ends);
  free(c.off);
  free(c.look);
  free(c.missing);
  lay_note_free(&c);
  free(c.ranges);
  free(c.boff);
  free(c.ids);
  free(c.pos);
  free(c.prev);
  free(c.plinks);
  free(c.partv);
  free(c.part_pages);
  free(c.pinfo);
  return ret;
}
