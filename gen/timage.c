/* timage.c — the template's images, signature blocks and watermark,
 * compiled once at load (see tmpl-imp.h).
 *
 * An image's path is relative to the file that names it (the template or
 * the style sheet holding the element), like an include's; the file is
 * read and checked here (image.c), once per template however many
 * elements name it, and listed in the template's files (a batch
 * fingerprints it, watch watches it).  So a missing or bad image is an
 * error at its attribute's file:line:col before any data is read.
 */
#include "tmpl-imp.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"

struct zp_timage {
  const char *key; /* the real path */
  const zp_image *img;
  struct zp_timage *next;
};

#define MM (72.0 / 25.4)

/* The image file path names, relative to the file at loc. */
static const zp_image *load(zp_template *t, const char *src, zp_loc loc,
                            zp_diag *d) {
  char full[PATH_MAX];
  const char *slash = loc.file ? strrchr(loc.file, '/') : NULL;
  if (src[0] == '/' || !slash)
    snprintf(full, sizeof full, "%s", src);
  else
    snprintf(full, sizeof full, "%.*s/%s", (int)(slash - loc.file), loc.file,
             src);
  char *real = realpath(full, NULL);
  const char *key = real ? real : full;
  for (struct zp_timage *k = t->images; k; k = k->next)
    if (strcmp(k->key, key) == 0) {
      free(real);
      return k->img;
    }
  const zp_image *img = zp_image_load(t->arena, full, loc, d);
  struct zp_timage *k = img ? zp_arena_alloc(t->arena, sizeof *k) : NULL;
  const char *kc = k ? zp_arena_strdup(t->arena, key) : NULL;
  free(real);
  if (!kc || !zp_tmpl_note_file(t, full)) {
    if (img)
      zp_error(d, loc, "out of memory reading the image \"%s\"", src);
    return NULL;
  }
  *k = (struct zp_timage){kc, img, t->images};
  t->images = k;
  return img;
}

/* A length attribute, > 0 and at most the page's larger side; false
 * after an error. */
static bool length_of(zp_template *t, const zp_tnode *n, const char *key,
                      bool zero_ok, double *out, zp_diag *d) {
  const char *v = zp_tmpl_attr(n, key);
  if (!v)
    return true;
  double em = t->body_style ? t->body_style->size : 16;
  double most = t->page.width > t->page.height ? t->page.width : t->page.height;
  double x;
  if (!zp_tmpl_length(v, em, t->page.line_pitch, &x) ||
      x < (zero_ok ? -most : 0) || (!zero_ok && x <= 0) || x > most) {
    zp_error(d, zp_tmpl_at_attr(d, n, key),
             "<%s> %s=\"%.40s\": expected a length%s up to the page's size "
             "(mm, cm, pt, em, line)",
             n->name, key, v, zero_ok ? "" : " above 0");
    return false;
  }
  *out = x;
  return true;
}

/* A number attribute in [lo, hi]; false after an error. */
static bool number_of(const zp_tnode *n, const char *key, double lo, double hi,
                      double *out, zp_diag *d) {
  const char *v = zp_tmpl_attr(n, key);
  double x;
  if (!v)
    return true;
  if (!zp_tmpl_number(v, &x) || x < lo || x > hi) {
    zp_error(d, zp_tmpl_at_attr(d, n, key),
             "<%s> %s=\"%.40s\": expected a number from %g to %g", n->name, key,
             v, lo, hi);
    return false;
  }
  *out = x;
  return true;
}

const zp_doc_image *zp_timage_image(zp_template *t, const zp_tnode *n,
                                    const char *attr, zp_diag *d) {
  const char *src = zp_tmpl_attr(n, attr);
  if (!src)
    return NULL;
  zp_loc at = zp_tmpl_at_attr(d, n, attr);
  if (!*src || strchr(src, '{')) {
    zp_error(d, at,
             "<%s> %s=\"%.60s\": expected the image's file name (relative to "
             "this file; fields are not expanded here)",
             n->name, attr, src);
    return NULL;
  }
  zp_doc_image *di = zp_arena_alloc(t->arena, sizeof *di);
  if (!di)
    return NULL;
  di->img = load(t, src, at, d);
  di->loc = at;
  di->opacity = 1;
  di->align = ZP_ALIGN_CENTER;
  bool ok = di->img != NULL;
  const char *v;
  ok &= length_of(t, n, "width", false, &di->width, d);
  ok &= length_of(t, n, "height", false, &di->height, d);
  ok &= length_of(t, n, "x", true, &di->x, d);
  ok &= length_of(t, n, "y", true, &di->y, d);
  ok &= number_of(n, "opacity", 0, 1, &di->opacity, d);
  if ((v = zp_tmpl_attr(n, "align")))
    di->align = strcmp(v, "left") == 0    ? ZP_ALIGN_LEFT
                : strcmp(v, "right") == 0 ? ZP_ALIGN_RIGHT
                                          : ZP_ALIGN_CENTER;
  if ((v = zp_tmpl_attr(n, "position")))
    di->place = strcmp(v, "page") == 0    ? ZP_IMAGE_PAGE
                : strcmp(v, "block") == 0 ? ZP_IMAGE_BLOCK
                                          : ZP_IMAGE_FLOW;
  di->behind = (v = zp_tmpl_attr(n, "layer")) && strcmp(v, "behind") == 0;
  if (di->place == ZP_IMAGE_FLOW) {
    static const char *const page_only[] = {"x", "y", "layer"};
    for (int i = 0; i < 3; i++)
      if (zp_tmpl_attr(n, page_only[i])) {
        zp_error(d, zp_tmpl_at_attr(d, n, page_only[i]),
                 "<%s> %s= places an image on the page: it needs "
                 "position=\"page\" or \"block\"",
                 n->name, page_only[i]);
        ok = false;
      }
  }
  if (ok && di->width > 0 && di->height > 0) {
    /* both: the aspect ratio decides, within the box they give */
    double sx = di->width / di->img->width, sy = di->height / di->img->height;
    if (sx < sy)
      di->height = di->img->height * sx;
    else
      di->width = di->img->width * sy;
  } else if (ok && di->width > 0) {
    di->height = di->width * di->img->height / di->img->width;
  } else if (ok && di->height > 0) {
    di->width = di->height * di->img->width / di->img->height;
  } else if (ok) { /* 96 pixels an inch */
    di->width = di->img->width * 0.75;
    di->height = di->img->height * 0.75;
  }
  return ok ? di : NULL;
}

void zp_timage_signature(zp_template *t, zp_tnode *n, zp_diag *d) {
  zp_signature *s = &n->as.sign.sign;
  double em = n->as.sign.style ? n->as.sign.style->size : 16;
  /* GB/T 9704 7.3.5: a sealed document's date 4 characters in, an
   * unsealed one's unit 2 */
  int k0 = zp_tmpl_attr(n, "seal") ? 4 : 2;
  s->right_indent = k0 * em;
  s->right_indent_em = k0;
  const char *v = zp_tmpl_attr(n, "right-indent");
  if (v) {
    double x;
    if (!zp_tmpl_length(v, em, t->page.line_pitch, &x) || x < 0 ||
        x > t->page.width / 2) {
      zp_error(d, zp_tmpl_at_attr(d, n, "right-indent"),
               "<signature> right-indent=\"%.40s\": expected a length from 0 "
               "to half the page's width",
               v);
      return;
    }
    s->right_indent = x;
    char *end;
    double k = strtod(v, &end);
    s->right_indent_em = strcmp(end, "em") == 0 ? k : 0;
  }
  if (zp_tmpl_attr(n, "seal")) {
    zp_doc_image *seal = (zp_doc_image *)zp_timage_image(t, n, "seal", d);
    if (!seal)
      return;
    double size = 42 * MM; /* a unit's seal: 42 mm across */
    if (!length_of(t, n, "seal-size", false, &size, d))
      return;
    seal->width = size;
    seal->height = size * seal->img->height / seal->img->width;
    s->seal = seal;
  } else if (zp_tmpl_attr(n, "seal-size")) {
    zp_error(d, zp_tmpl_at_attr(d, n, "seal-size"),
             "<signature> seal-size= without a seal=\"FILE.png\"");
  }
}

const zp_watermark *zp_timage_watermark(zp_template *t, const zp_tnode *n,
                                        zp_diag *d) {
  zp_watermark *w = zp_arena_alloc(t->arena, sizeof *w);
  if (!w)
    return NULL;
  *w = (zp_watermark)ZP_WATERMARK_DEFAULT;
  w->loc = n->loc;
  w->text = zp_tmpl_attr(n, "text");
  if (zp_tmpl_attr(n, "font"))
    w->role = zp_tmpl_attr(n, "font");
  const char *v = zp_tmpl_attr(n, "layer");
  w->over = v && strcmp(v, "over") == 0;
  bool ok = number_of(n, "angle", -360, 360, &w->angle, d) &&
            number_of(n, "opacity", 0, 1, &w->opacity, d);
  if ((v = zp_tmpl_attr(n, "size"))) {
    double x;
    if (!zp_tmpl_font_size(v, &x)) {
      zp_error(d, zp_tmpl_at_attr(d, n, "size"),
               "<watermark> size=\"%.40s\": expected a font size (a 号 "
               "name, or %g to %g pt)",
               v, ZP_MIN_FONT_SIZE, ZP_MAX_FONT_SIZE);
      ok = false;
    }
    w->size = x;
  }
  if (zp_tmpl_attr(n, "image")) {
    w->image = zp_timage_image(t, n, "image", d);
    ok &= w->image != NULL;
  }
  if (!w->text && !zp_tmpl_attr(n, "image")) {
    zp_error(d, n->loc, "<watermark> needs text=\"…\" or image=\"FILE\"");
    ok = false;
  }
  if (w->text && zp_tmpl_attr(n, "image")) {
    zp_error(d, n->loc, "<watermark> takes text= or image=, not both");
    ok = false;
  }
  if (w->text && strlen(w->text) > 200) {
    zp_error(d, zp_tmpl_at_attr(d, n, "text"),
             "<watermark> text= is longer than 200 bytes");
    ok = false;
  }
  return ok ? w : NULL;
}
