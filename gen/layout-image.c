/* layout-image.c — images, the signature block with its seal, and the
 * watermark (see layout-imp.h).
 *
 * An image in the flow is a line with no glyphs as high as the image (on
 * the grid, as many grid lines as it needs, the image centred in them),
 * so pagination moves it whole like any line that may not split.  A seal
 * rides on the signature's date line, drawn over the text with multiply
 * blending (ink on paper: the text under it stays legible), centred on
 * the unit and the date with them a little below its centre (GB/T 9704
 * 7.3.5.1: "端正、居中下压发文机关署名和成文日期，使发文机关署名和成文
 * 日期居印章中心偏下位置"); the space before the block keeps the seal's
 * top off the text above, a reserve line keeps its foot on the page.
 */
#include "layout-imp.h"

#include <math.h>
#include <string.h>

/* How far the text's centre sits below the seal's centre, in seal
 * heights. */
#define SEAL_LOW 0.1f

/* A new line for block b with nothing in it. */
static line *blank_line(ctx *c, const zp_block *b, uint8_t brk, uint8_t why,
                        float before) {
  line *l = lay_text_new_line(&c->lines);
  if (!l)
    return NULL;
  l->blk = b;
  l->st = b->style;
  l->brk = brk;
  l->why = why;
  l->space_before = before;
  l->first = l->last = true;
  l->left = c->block_left;
  l->measure = c->block_w;
  return l;
}

bool lay_image_lines(ctx *c, const zp_block *b, uint8_t brk, float before,
                     bool *keep) {
  const zp_doc_image *im = b->image;
  *keep = false;
  line *l = blank_line(c, b, brk, WHY_KEEP, before);
  if (!l)
    return false;
  l->img = im;
  float w = (float)im->width, h = (float)im->height;
  if (im->place != ZP_IMAGE_FLOW) {
    l->img_at = (uint8_t)im->place;
    l->img_x = (float)im->x + (im->place == ZP_IMAGE_BLOCK ? c->block_left : 0);
    l->img_dy = (float)im->y;
    l->img_w = w;
    l->img_h = h;
    l->space_before = 0;
    *keep = true;
    return true;
  }
  /* scaled down to the text block, keeping the aspect ratio */
  if (w > c->block_w) {
    h *= c->block_w / w;
    w = c->block_w;
  }
  if (h > c->block_h) {
    w *= c->block_h / h;
    h = c->block_h;
  }
  l->img_w = w;
  l->img_h = h;
  l->width = w;
  l->grid = b->style && b->style->grid && c->pitch > 0;
  l->height = l->grid ? ceilf(h / c->pitch - LAY_EPS) * c->pitch : h;
  if (l->height > c->block_h)
    l->height = c->block_h;
  l->img_dy = (l->height - h) / 2;
  l->align = im->align;
  l->img_x = im->align == ZP_ALIGN_LEFT ? c->block_left
             : im->align == ZP_ALIGN_RIGHT
                 ? c->block_left + c->block_w - w
                 : c->block_left + (c->block_w - w) / 2;
  return true;
}

/* Sets text into lines in the box [left, left + width) with align; the
 * range of lines made is [*from, c->lines.n). */
static bool set_text(ctx *c, const zp_block *b, const char *text, float left,
                     float width, zp_align align, size_t *from) {
  *from = c->lines.n;
  shape_req r = {b->style, text,  b->loc, b->data_loc, left, width,
                 0,        align, false,  NULL,        0,    false};
  if (!lay_text_shape(c, &r, &c->lines))
    return false;
  for (size_t i = *from; i < c->lines.n; i++) {
    c->lines.v[i].blk = b;
    c->lines.v[i].brk = BRK_NEVER;
    c->lines.v[i].why = WHY_TOGETHER;
  }
  return true;
}

/* An unsealed signature (7.3.5.2): "在正文下空一行右空二字编排发文机关
 * 署名，在发文机关署名下一行编排成文日期，首字比发文机关署名首字右移二字，
 * 如成文日期长于发文机关署名，应当使成文日期右空二字编排，并相应增加发文
 * 机关署名右空字数". */
static bool unsealed(ctx *c, const zp_block *b, uint8_t brk, float before,
                     float ri) {
  const zp_signature *s = b->sign;
  const zp_style *st = b->style;
  float em = lay_text_indent(c, st, st->size, 1);
  float right = c->block_left + c->block_w - ri;
  float wd = lay_text_width(c, st, s->date, b->loc);
  float wu = lay_text_width(c, st, s->unit, b->loc);
  float lu = right - wu, ld = lu + 2 * em;
  if (ld + wd > right + LAY_EPS) {
    ld = right - wd;
    lu = ld - 2 * em;
  }
  if (lu < c->block_left)
    lu = c->block_left;
  if (ld < c->block_left)
    ld = c->block_left;
  float end = c->block_left + c->block_w;
  size_t u0, d0;
  if (!set_text(c, b, s->unit, lu, end - lu, ZP_ALIGN_LEFT, &u0) ||
      !set_text(c, b, s->date, ld, end - ld, ZP_ALIGN_LEFT, &d0))
    return false;
  if (c->lines.n == u0)
    return true;
  line *v = c->lines.v;
  v[u0].brk = brk == BRK_FORCE ? BRK_FORCE : BRK_NEVER;
  v[u0].why = WHY_KEEP;
  /* a blank line between the text and the unit */
  float line1 = lay_text_snap_space(c, st, lay_text_style_pitch(c, st));
  v[u0].space_before = before > line1 ? before : line1;
  return true;
}

bool lay_image_signature(ctx *c, const zp_block *b, uint8_t brk, float before) {
  const zp_signature *s = b->sign;
  const zp_style *st = b->style;
  float ri = lay_text_indent(c, st, s->right_indent, s->right_indent_em);
  if (!s->seal)
    return unsealed(c, b, brk, before, ri);
  float right = c->block_left + c->block_w - ri;
  if (right < c->block_left + c->block_w / 2)
    right = c->block_left + c->block_w / 2;
  float wd = lay_text_width(c, st, s->date, b->loc);
  float wu = lay_text_width(c, st, s->unit, b->loc);
  float centre = right - (wd < right - c->block_left ? wd : 0) / 2;
  if (!*s->date)
    centre = right - wu / 2;
  float half = centre - c->block_left;
  if (c->block_left + c->block_w - centre < half)
    half = c->block_left + c->block_w - centre;
  size_t u0, d0;
  bool ok = wu <= 2 * half + LAY_EPS
                ? set_text(c, b, s->unit, centre - half, 2 * half,
                           ZP_ALIGN_CENTER, &u0)
                : set_text(c, b, s->unit, c->block_left, c->block_w,
                           ZP_ALIGN_RIGHT, &u0);
  if (!ok || !set_text(c, b, s->date, c->block_left, right - c->block_left,
                       ZP_ALIGN_RIGHT, &d0))
    return false;
  size_t end = c->lines.n;
  if (end == u0) /* neither unit nor date: nothing at all */
    return true;
  line *v = c->lines.v;
  v[u0].brk = brk == BRK_FORCE ? BRK_FORCE : BRK_NEVER;
  v[u0].why = WHY_KEEP;
  v[u0].space_before = before;
  const zp_doc_image *seal = s->seal;
  if (!seal)
    return true;
  /* the text's height: the lines, on the grid each at its pitch */
  float t = 0;
  for (size_t i = u0; i < end; i++)
    t += v[i].height;
  float sh = (float)seal->height, sw = (float)seal->width;
  float seal_top = t / 2 + SEAL_LOW * sh - sh / 2; /* from the unit's top */
  if (seal_top < 0) {
    float need = lay_text_snap_space(c, st, -seal_top);
    if (need > v[u0].space_before)
      v[u0].space_before = need;
  }
  line *last = &v[end - 1];
  last->img = seal;
  last->img_w = sw;
  last->img_h = sh;
  last->img_dy = seal_top - (t - last->height);
  last->img_x = centre - sw / 2;
  float below = seal_top + sh - t;
  if (below > LAY_EPS) {
    line *r = blank_line(c, b, BRK_NEVER, WHY_TOGETHER, 0);
    if (!r)
      return false;
    r->reserve = true;
    r->height = below;
    r->first = false;
  }
  return true;
}

bool lay_image_draw(ctx *c, zp_dl_page *p, const line *l, float top,
                    float next) {
  const zp_doc_image *im = l->img;
  float x = l->img_x, ytop;
  if (l->img_at == ZP_IMAGE_PAGE)
    ytop = p->height - l->img_dy;
  else if (l->img_at == ZP_IMAGE_BLOCK)
    ytop = p->height - c->block_top - next - l->img_dy;
  else
    ytop = p->height - c->block_top - top - l->img_dy;
  zp_dl_image *d = zp_dl_add_image(c->dl, p, im->img, x, ytop - l->img_h,
                                   l->img_w, l->img_h);
  if (!d)
    return false;
  d->opacity = (float)im->opacity;
  bool seal = l->blk && l->blk->kind == ZP_BLOCK_SIGNATURE;
  if (seal) {
    d->layer = ZP_DL_LAYER_OVER;
    d->multiply = true;
  } else if (l->img_at != ZP_IMAGE_FLOW) {
    d->layer = im->behind ? ZP_DL_LAYER_BEHIND : ZP_DL_LAYER_OVER;
  }
  if (c->dump)
    fprintf(c->dump,
            "  %s x=%.2f top=%.2f w=%.2f h=%.2f%s%s opacity=%.2f src=%s\n",
            seal ? "seal" : "image", x, p->height - ytop, l->img_w, l->img_h,
            l->img_at == ZP_IMAGE_PAGE    ? " page"
            : l->img_at == ZP_IMAGE_BLOCK ? " block"
                                          : "",
            d->layer == ZP_DL_LAYER_BEHIND ? " behind"
            : d->layer == ZP_DL_LAYER_OVER ? " over"
                                           : "",
            (double)d->opacity, zp_image_basename(im->img));
  if (c->debug && !zp_dl_add_mark(c->dl, p, ZP_DL_MARK_RECT, ZP_DL_SHOW_LINE, x,
                                  ytop - l->img_h, x + l->img_w, ytop, NULL))
    return false;
  return true;
}

bool lay_image_watermark(ctx *c, zp_dl_page *p) {
  const zp_watermark *w = !c->part                ? c->doc->watermark
                          : c->part->no_watermark ? NULL
                          : c->part->watermark    ? c->part->watermark
                                                  : c->doc->watermark;
  if (!w)
    return true;
  uint8_t layer = w->over ? ZP_DL_LAYER_OVER : ZP_DL_LAYER_BEHIND;
  float cx = p->width / 2, cy = p->height / 2;
  float a = (float)(w->angle * M_PI / 180.0), ca = cosf(a), sa = sinf(a);
  if (w->image) {
    float iw = (float)w->image->width, ih = (float)w->image->height;
    zp_dl_image *d = zp_dl_add_image(c->dl, p, w->image->img, cx - iw / 2,
                                     cy - ih / 2, iw, ih);
    if (!d)
      return false;
    d->angle = (float)w->angle;
    d->opacity = (float)w->opacity;
    d->layer = layer;
    if (c->dump)
      fprintf(c->dump,
              "  watermark w=%.2f h=%.2f angle=%.1f opacity=%.2f %s src=%s\n",
              iw, ih, w->angle, w->opacity, w->over ? "over" : "behind",
              zp_image_basename(w->image->img));
    return true;
  }
  int role = zp_font_role_find(c->fs, w->role);
  if (role < 0) {
    zp_error(c->d, w->loc,
             "the watermark uses font role \"%s\", which is not defined",
             w->role);
    return false;
  }
  uint32_t cps[256];
  lglyph g[256];
  size_t n = lay_text_utf8_decode(w->text, cps); /* at most 200 bytes */
  float size = (float)w->size, x = 0;
  for (size_t i = 0; i < n; i++) {
    zp_glyph gl;
    zp_font_glyph(c->fs, role, cps[i], &gl);
    g[i] = (lglyph){cps[i], gl.face, gl.gid, x};
    x += gl.advance * size / 1000.0f;
  }
  /* the origin, so that the text's centre (half its width, the em box's
   * centre above the baseline) is the page's */
  float hx = x / 2, hy = size * (float)LAY_EM_CENTRE;
  float ox = cx - (hx * ca - hy * sa), oy = cy - (hx * sa + hy * ca);
  /* a run per face, each turned about its own first glyph: placed along
   * the turned baseline */
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && g[j].face == g[i].face)
      j++;
    zp_dl_run *r = zp_dl_add_run(c->dl, p, g[i].face, size, oy + g[i].x * sa,
                                 (uint32_t)(j - i));
    if (!r)
      return false;
    float rx = ox + g[i].x * ca;
    for (size_t k = i; k < j; k++)
      r->glyphs[k - i] = (zp_dl_glyph){g[k].cp, g[k].gid, rx + g[k].x - g[i].x};
    r->angle = (float)w->angle;
    r->opacity = (float)w->opacity;
    r->layer = layer;
    i = j;
  }
  if (c->dump) {
    fprintf(c->dump,
            "  watermark x=%.2f y=%.2f w=%.2f size=%.1f angle=%.1f "
            "opacity=%.2f %s text=%s\n",
            ox, p->height - oy, x, size, w->angle, w->opacity,
            w->over ? "over" : "behind", w->text);
  }
  return true;
}
