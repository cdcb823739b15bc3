/* pdf.c — see pdf.h; the writer's parts are listed in pdf-imp.h.
 *
 * libharu provides the document skeleton (catalog, page tree, outlines,
 * Info, cross-reference table, stream compression, saving); fonts
 * (pdf-font.c) and page content are built through libharu's object layer.
 * This file holds the document: the checks, errors, compressed streams,
 * pages (text runs, rules, the layers behind and over the content), Info
 * and saving.
 *
 * Two passes over the display list: the first checks it and collects, per
 * face, the glyphs drawn and the character each stands for; the second
 * writes one content stream per page.  Every object made is owned by the
 * libharu document, which HPDF_Free releases on every path.
 */
#include "pdf-imp.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"

/* Every stream is compressed here, once, with libdeflate at this level
 * (zlib format, so /FlateDecode): see README.md "Compression" for the
 * measurements behind the choice. */
#define ZP_DEFLATE_LEVEL 1

/* ---- errors ------------------------------------------------------------- */

zp_loc pdf_at(const writer *w) {
  zp_loc loc = {w->path, 0, 0};
  return loc;
}

/* libharu calls this on every error; the first one is kept. */
static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *user) {
  pdf_err *e = user;
  if (!e->code) {
    e->code = code;
    e->detail = detail;
  }
}

/* What a libharu error code means, in words; never the code itself. */
static const char *hpdf_reason(HPDF_STATUS code) {
  switch (code) {
  case HPDF_FAILD_TO_ALLOC_MEM:
    return "out of memory";
  case HPDF_STRING_OUT_OF_RANGE:
  case HPDF_BINARY_LENGTH_ERR:
    return "a text is longer than a PDF string may be (65,535 bytes)";
  case HPDF_ARRAY_COUNT_ERR:
  case HPDF_DICT_COUNT_ERR:
  case HPDF_XREF_COUNT_ERR:
    return "the document has more pages, bookmarks or objects than a PDF "
           "holds";
  case HPDF_PAGE_INVALID_SIZE:
  case HPDF_PAGE_OUT_OF_RANGE:
  case HPDF_REAL_OUT_OF_RANGE:
  case HPDF_PAGE_INVALID_FONT_SIZE:
    return "a size or position is out of the range a PDF allows";
  case HPDF_NAME_OUT_OF_RANGE:
  case HPDF_NAME_INVALID_VALUE:
    return "a font name is too long or malformed";
  case HPDF_INVALID_DATE_TIME:
    return "the date is not a valid date";
  case HPDF_ZLIB_ERROR:
    return "compressing a stream failed";
  case HPDF_INVALID_ENCODER:
  case HPDF_INVALID_ENCODING_NAME:
    return "the UTF-8 encoder is missing from libharu";
  default:
    return "the PDF library refused it (an internal error: please report "
           "it with the template and the data)";
  }
}

/* Reports a failure of step what; always returns false. */
bool pdf_fail(writer *w, const char *what) {
  zp_loc loc = pdf_at(w);
  if (w->err.code == HPDF_FILE_OPEN_ERROR || w->err.code == HPDF_FILE_IO_ERROR)
    zp_error(
        w->d, loc, "cannot write the PDF: %s%s%s",
        w->err.code == HPDF_FILE_OPEN_ERROR ? "cannot open the file for writing"
                                            : "write error",
        w->sys_errno ? ": " : "", w->sys_errno ? strerror(w->sys_errno) : "");
  else if (w->err.code)
    zp_error(w->d, loc, "cannot write the PDF: %s failed: %s", what,
             hpdf_reason(w->err.code));
  else if (w->b.oom)
    zp_error(w->d, loc, "cannot write the PDF: %s: out of memory", what);
  else
    zp_error(w->d, loc, "cannot write the PDF: %s failed", what);
  return false;
}

bool pdf_finite_all(const float *v, int n) {
  for (int i = 0; i < n; i++)
    if (!isfinite(v[i]))
      return false;
  return true;
}

/* ---- pass 1: check the list, collect the glyphs of each face ---------------
 */

/* A text for a PDF string (Info, bookmark) must fit libharu's limit: a
 * long one is refused here, in words, before libharu is called. */
static bool text_fits(writer *w, const char *what, const char *text) {
  if (!text || strlen(text) <= ZP_MAX_TEXT_STRING)
    return true;
  zp_error(w->d, pdf_at(w),
           "cannot write the PDF: %s is %zu bytes long, more than the %d a "
           "PDF string holds here",
           what, strlen(text), ZP_MAX_TEXT_STRING);
  return false;
}

static bool collect(writer *w) {
  zp_loc loc = pdf_at(w);
  int pno = 0;
  if (w->dl->npages > ZP_MAX_PAGES) {
    zp_error(w->d, loc,
             "cannot write the PDF: the document has %d pages, more than the "
             "%d zpgen writes",
             w->dl->npages, ZP_MAX_PAGES);
    return false;
  }
  const char *info[] = {w->dl->title, w->dl->author, w->dl->subject,
                        w->dl->keywords, w->dl->creator};
  for (int i = 0; i < 5; i++)
    if (!text_fits(w, "a document property (title, author, subject)", info[i]))
      return false;
  for (const zp_dl_outline *o = w->dl->outlines; o; o = o->next)
    if (!text_fits(w, "a bookmark's title", o->title))
      return false;
  for (const zp_dl_page *p = w->dl->pages; p; p = p->next, pno++) {
    float dims[2] = {p->width, p->height};
    if (!pdf_finite_all(dims, 2) || p->width < 3 || p->height < 3 ||
        p->width > 14400 || p->height > 14400) {
      zp_error(w->d, loc,
               "cannot write the PDF: page %d has an invalid size %gx%g",
               pno + 1, (double)p->width, (double)p->height);
      return false;
    }
    for (const zp_dl_rule *r = p->rules; r; r = r->next) {
      float v[5] = {r->x0, r->y0, r->x1, r->y1, r->width};
      if (!pdf_finite_all(v, 5) || r->width < 0) {
        zp_error(w->d, loc, "cannot write the PDF: page %d has an invalid rule",
                 pno + 1);
        return false;
      }
    }
    for (const zp_dl_image *im = p->images; im; im = im->next) {
      float v[6] = {im->x, im->y, im->w, im->h, im->angle, im->opacity};
      if (!im->img || !pdf_finite_all(v, 6) || im->w <= 0 || im->h <= 0 ||
          im->opacity < 0 || im->opacity > 1) {
        zp_error(w->d, loc,
                 "cannot write the PDF: page %d has an invalid image", pno + 1);
        return false;
      }
    }
    for (const zp_dl_run *r = p->runs; r; r = r->next) {
      float av[2] = {r->angle, r->opacity};
      if (!pdf_finite_all(av, 2) || r->opacity < 0 || r->opacity > 1) {
        zp_error(w->d, loc,
                 "cannot write the PDF: page %d has a run of invalid angle "
                 "or opacity",
                 pno + 1);
        return false;
      }
      if (r->face >= w->nfaces) {
        zp_error(w->d, loc,
                 "cannot write the PDF: page %d draws with face %u, but the "
                 "font set has %d faces",
                 pno + 1, (unsigned)r->face, w->nfaces);
        return false;
      }
      float v[3] = {r->size, r->y, r->angle};
      if (!pdf_finite_all(v, 3) || r->size <= 0) {
        zp_error(w->d, loc,
                 "cannot write the PDF: page %d has a run of invalid size",
                 pno + 1);
        return false;
      }
      face_use *f = &w->faces[r->face];
      if (r->n && !f->cp) {
        const zp_face_info *fi = zp_font_face(w->fs, r->face);
        f->num_glyphs = fi->num_glyphs;
        f->cp = malloc(sizeof *f->cp * (f->num_glyphs ? f->num_glyphs : 1));
        if (!f->cp) {
          zp_error(w->d, loc, "cannot write the PDF: out of memory");
          return false;
        }
        for (unsigned i = 0; i < f->num_glyphs; i++)
          f->cp[i] = NO_CP;
      }
      for (uint32_t i = 0; i < r->n; i++) {
        const zp_dl_glyph *g = &r->glyphs[i];
        if (g->cp > 0x10FFFF) {
          zp_error(w->d, loc,
                   "cannot write the PDF: page %d contains U+%04X, which is "
                   "not a character",
                   pno + 1, (unsigned)g->cp);
          return false;
        }
        if (g->cp >= 0xD800 && g->cp < 0xE000) {
          zp_error(w->d, loc,
                   "cannot write the PDF: page %d contains the surrogate "
                   "U+%04X, which is not a character",
                   pno + 1, (unsigned)g->cp);
          return false;
        }
        if (!isfinite(g->x)) {
          zp_error(w->d, loc,
                   "cannot write the PDF: page %d has a glyph at x = %g",
                   pno + 1, (double)g->x);
          return false;
        }
        if (g->gid >= f->num_glyphs) {
          zp_error(w->d, loc,
                   "cannot write the PDF: page %d draws glyph %u of face %u "
                   "(%s), which has %u glyphs",
                   pno + 1, (unsigned)g->gid, (unsigned)r->face,
                   zp_font_face(w->fs, r->face)->psname, f->num_glyphs);
          return false;
        }
        if (f->cp[g->gid] == NO_CP) {
          f->cp[g->gid] = g->cp;
          f->ngids++;
        }
      }
    }
  }
  return true;
}

/* ---- compressed streams, indirect objects ---------------------------------
 */

/* Writes the /Filter of a font file stream whose bytes are already
 * compressed (libharu drops a /Filter key when it does not compress the
 * stream itself). */
static HPDF_STATUS write_flate_filter(HPDF_Dict dict, HPDF_Stream stream) {
  (void)dict;
  return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/* Compresses n bytes at src into w->z (zlib format).  False when out of
 * memory (w->b.oom set). */
static bool deflate_into(writer *w, const void *src, size_t n) {
  if (!w->zc && !(w->zc = zp_deflate_new(ZP_DEFLATE_LEVEL))) {
    w->b.oom = true;
    return false;
  }
  size_t bound = zp_deflate_zlib_bound(w->zc, n);
  w->z.n = 0;
  if (!pdf_buf_reserve(&w->z, bound)) {
    w->b.oom = true;
    return false;
  }
  w->z.n = zp_deflate_zlib(w->zc, src, n, w->z.p, bound);
  if (w->z.n == 0) { /* cannot happen with the bound above */
    w->b.oom = true;
    return false;
  }
  return true;
}

/* Writes n bytes at src compressed into the stream of dict, which then
 * carries /Filter /FlateDecode.  Returns a libharu status. */
HPDF_STATUS pdf_write_deflated(writer *w, HPDF_Dict dict, const void *src,
                               size_t n) {
  if (!deflate_into(w, src, n))
    return HPDF_FAILD_TO_ALLOC_MEM;
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_flate_filter;
  return HPDF_Stream_Write(dict->stream, (const HPDF_BYTE *)w->z.p,
                           (HPDF_UINT)w->z.n);
}

/* A new dictionary registered as an indirect object. */
HPDF_Dict pdf_indirect_dict(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
    return NULL;
  return d;
}

/* ---- page content ------------------------------------------------------- */

/* The adjustment between glyph i and i + 1 of a run, in 1/1000 em, that
 * the display list asks for beyond the advance: positive spreads. */
static double gap_of(const face_use *f, const zp_dl_run *r, uint32_t i) {
  const zp_dl_glyph *g = r->glyphs;
  double adv = f->sub.widths[f->sub.new_gid[g[i].gid]];
  return (g[i + 1].x - g[i].x) * 1000.0 / r->size - adv;
}

/* The character spacing for a run, in points: the most frequent gap
 * between its glyphs (to 0.1/1000 em; the first such on a tie), averaged
 * over the gaps that round to it, so that a justified line needs no
 * number per glyph; cur, the spacing in force, when it rounds the same.
 * 0 for a run of one glyph. */
static double run_spacing(const face_use *f, const zp_dl_run *r, double cur) {
  long long best = 0;
  uint32_t best_n = 0;
  for (uint32_t i = 0; i + 1 < r->n && best_n * 2 < r->n; i++) {
    long long k = llround(gap_of(f, r, i) * 10.0);
    if (k == best)
      continue; /* counted with best */
    uint32_t c = 0;
    for (uint32_t j = i; j + 1 < r->n; j++)
      c += llround(gap_of(f, r, j) * 10.0) == k;
    if (c > best_n) {
      best_n = c;
      best = k;
    }
  }
  if (best == 0 || best_n < 2)
    return 0;
  if (llround(cur * 1000.0 / r->size * 10.0) == best)
    return cur;
  double sum = 0;
  for (uint32_t j = 0; j + 1 < r->n; j++)
    if (llround(gap_of(f, r, j) * 10.0) == best)
      sum += gap_of(f, r, j);
  /* 5 decimals, as written: the pen below follows the written value */
  return llround(sum / best_n * r->size / 1000.0 * 1e5) / 1e5;
}

/* One run: one text object, one TJ.  The gap most glyphs share goes into
 * the character spacing (Tc), so that a justified line is one string; a
 * glyph that sits elsewhere (a half-width digit, compressed punctuation, a
 * tab) gets its own adjustment. */
static bool put_run(writer *w, const zp_dl_run *r) {
  face_use *f = &w->faces[r->face];
  buf *b = &w->b;
  const zp_dl_glyph *g = r->glyphs;
  double size = r->size;
  /* a bold, coloured or translucent run is set in its own graphics state
   * (q … Q); black opaque runs are written exactly as they always were */
  bool own = r->bold || r->color || r->opacity < 1;
  if (own)
    pdf_buf_puts(b, "q ");
  if (r->opacity < 1) {
    int k = pdf_image_gstate(w, r->opacity, false);
    if (k < 0)
      return false;
    pdf_buf_puts(b, "/GS");
    pdf_buf_int(b, k + 1);
    pdf_buf_puts(b, " gs ");
  }
  if (r->color) {
    for (int k = 0; k < 2; k++) {
      for (int sh = 16; sh >= 0; sh -= 8) {
        pdf_buf_fixed(b, ((r->color >> sh) & 0xFF) / 255.0, 3);
        pdf_buf_putc(b, ' ');
      }
      pdf_buf_puts(b, k ? "RG " : "rg ");
    }
  }
  if (r->bold) {
    pdf_buf_puts(b, "2 Tr ");
    pdf_buf_num(b, size * 0.03);
    pdf_buf_puts(b, " w ");
  }
  /* A run whose glyphs are spread by justification (gaps up to an em)
   * carries its text as ActualText, so that extraction and copy do not see
   * the spreading as spaces (a run with a wider gap is not: its text
   * would lose that space). */
  bool spread = false, wide = false;
  for (uint32_t i = 0; i + 1 < r->n; i++) {
    double gap = gap_of(f, r, i) * size / 1000.0;
    spread |= gap > size * 0.05;
    wide |= gap > size; /* a real gap, not justification */
  }
  spread &= !wide;
  /* the ToUnicode map gives each glyph one character: a glyph that stands
   * for another (a missing character's .notdef, a glyph two characters
   * share) needs the run's ActualText to copy out as itself */
  for (uint32_t i = 0; i < r->n && !spread; i++)
    spread = g[i].gid < f->num_glyphs && f->cp[g[i].gid] != g[i].cp;
  if (spread) {
    pdf_buf_puts(b, "/Span <</ActualText <FEFF");
    for (uint32_t i = 0; i < r->n; i++)
      pdf_buf_utf16(b, g[i].cp);
    pdf_buf_puts(b, ">>> BDC ");
  }
  pdf_buf_puts(b, "BT /");
  pdf_buf_puts(b, f->res);
  pdf_buf_putc(b, ' ');
  pdf_buf_num(b, size);
  pdf_buf_puts(b, " Tf ");
  double tc = run_spacing(f, r, w->tc);
  if (tc != w->tc) {
    pdf_buf_fixed(b, tc, 5);
    pdf_buf_puts(b, " Tc ");
    if (!own) /* a bold or coloured run's Q restores the spacing */
      w->tc = tc;
  }
  if (r->angle != 0) {
    /* turned about its origin: a text matrix; the pen below runs along the
     * turned baseline as along an upright one */
    double a = r->angle * 3.14159265358979323846 / 180.0;
    double cs = cos(a), sn = sin(a);
    if (fabs(cs) < 1e-9)
      cs = 0;
    if (fabs(sn) < 1e-9)
      sn = 0;
    pdf_buf_num(b, cs);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, sn);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, -sn);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, cs);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, g[0].x);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, r->y);
    pdf_buf_puts(b, " Tm [<");
  } else {
    pdf_buf_num(b, g[0].x);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, r->y);
    pdf_buf_puts(b, " Td [<");
  }
  /* pen: where the viewer's pen is, given what was written so far */
  double pen = llround(g[0].x * 1000.0) / 1000.0;
  for (uint32_t i = 0; i < r->n; i++) {
    unsigned sg = f->sub.new_gid[g[i].gid];
    pdf_buf_hex4(b, sg);
    if (i + 1 == r->n)
      break;
    double adv = f->sub.widths[sg];
    pen += adv * size / 1000.0 + tc;
    /* in 1/1000 em, to 2 decimals, written only beyond 0.05/1000 em
     * (under a thousandth of a point): the positions are floats, whose
     * noise shows in the third decimal */
    double a = (pen - g[i + 1].x) * 1000.0 / size;
    long long ac = llround(a * 100.0);
    if (ac > 5 || ac < -5) {
      pdf_buf_puts(b, "> ");
      pdf_buf_fixed(b, (double)ac / 100.0, 2);
      pdf_buf_puts(b, " <");
      pen -= (double)ac / 100.0 * size / 1000.0;
    }
  }
  pdf_buf_puts(b, ">] TJ ET");
  if (spread)
    pdf_buf_puts(b, " EMC");
  pdf_buf_puts(b, own ? " Q\n" : "\n");
  w->page_faces[r->face] = true;
  return true;
}

typedef struct rule_ref {
  const zp_dl_rule *r;
  size_t index; /* in the page's list: keeps the sort stable */
} rule_ref;

static int cmp_rule(const void *a, const void *b) {
  const rule_ref *x = a, *y = b;
  if (x->r->width != y->r->width)
    return x->r->width < y->r->width ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* The rules of a page, grouped by width (the list order within a width),
 * in their own graphics state. */
static bool put_rules(writer *w, const zp_dl_page *p) {
  size_t n = 0;
  for (const zp_dl_rule *r = p->rules; r; r = r->next)
    n++;
  if (!n)
    return true;
  rule_ref *v = malloc(sizeof *v * n);
  if (!v) {
    w->b.oom = true;
    return false;
  }
  n = 0;
  for (const zp_dl_rule *r = p->rules; r; r = r->next, n++)
    v[n] = (rule_ref){r, n};
  qsort(v, n, sizeof *v, cmp_rule);
  buf *b = &w->b;
  pdf_buf_puts(b, "q 0 J 0 G\n");
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || v[i].r->width != v[i - 1].r->width) {
      if (i)
        pdf_buf_puts(b, "S\n");
      pdf_buf_num(b, v[i].r->width);
      pdf_buf_puts(b, " w\n");
    }
    pdf_buf_num(b, v[i].r->x0);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, v[i].r->y0);
    pdf_buf_puts(b, " m ");
    pdf_buf_num(b, v[i].r->x1);
    pdf_buf_putc(b, ' ');
    pdf_buf_num(b, v[i].r->y1);
    pdf_buf_puts(b, " l\n");
  }
  pdf_buf_puts(b, "S\nQ\n");
  free(v);
  return true;
}

/* The images, then the runs, of one layer of a page; behind and over the
 * content, marked as an artifact (a watermark, a seal: not the text a
 * reader copies). */
static bool put_layer(writer *w, const zp_dl_page *p, zp_dl_layer layer) {
  bool any = false;
  for (const zp_dl_image *im = p->images; im && !any; im = im->next)
    any = im->layer == layer;
  for (const zp_dl_run *r = p->runs; r && !any; r = r->next)
    any = r->layer == layer && r->n;
  if (!any)
    return true;
  bool artifact = layer != ZP_DL_LAYER_CONTENT;
  if (artifact)
    pdf_buf_puts(&w->b, "/Artifact BMC /Span <</ActualText ()>> BDC\n");
  for (const zp_dl_image *im = p->images; im; im = im->next)
    if (im->layer == layer && !pdf_image_put(w, im))
      return false;
  for (const zp_dl_run *r = p->runs; r; r = r->next)
    if (r->layer == layer && r->n && !put_run(w, r))
      return false;
  if (artifact)
    pdf_buf_puts(&w->b, "EMC EMC\n");
  return true;
}

static bool write_page(writer *w, const zp_dl_page *p, HPDF_Page page) {
  HPDF_STATUS ret = HPDF_OK;
  ret |= HPDF_Page_SetWidth(page, p->width);
  ret |= HPDF_Page_SetHeight(page, p->height);
  if (ret != HPDF_OK)
    return pdf_fail(w, "setting the page size");
  w->b.n = 0;
  w->tc = 0;
  memset(w->page_faces, 0, sizeof *w->page_faces * (size_t)w->nfaces);
  if (!put_layer(w, p, ZP_DL_LAYER_BEHIND))
    return false;
  if (!put_rules(w, p))
    return pdf_fail(w, "drawing rules");
  if (!put_layer(w, p, ZP_DL_LAYER_CONTENT) ||
      !put_layer(w, p, ZP_DL_LAYER_OVER))
    return false;
  if (p->marks && w->ocg)
    pdf_debug_marks(w, p);
  if (w->b.oom)
    return pdf_fail(w, "writing the page content");
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  if (w->b.n &&
      pdf_write_deflated(w, attr->contents, w->b.p, w->b.n) != HPDF_OK)
    return pdf_fail(w, "writing the page content");

  bool any = false;
  for (int i = 0; i < w->nfaces; i++)
    any |= w->page_faces[i];
  HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
  if (!res)
    return pdf_fail(w, "adding the page's resources");
  if ((p->images || p->runs) && !pdf_image_resources(w, res))
    return false;
  if (p->marks && w->ocg) {
    HPDF_Dict props = HPDF_Dict_New(w->pdf->mmgr);
    if (!res || !props || HPDF_Dict_Add(res, "Properties", props) != HPDF_OK ||
        HPDF_Dict_Add(props, "zpdebug", w->ocg) != HPDF_OK)
      return pdf_fail(w, "adding the page's debug layer");
  }
  if (!any)
    return true;
  HPDF_Dict fonts = HPDF_Dict_New(w->pdf->mmgr);
  if (!res || !fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
    return pdf_fail(w, "adding the page's font resources");
  attr->fonts = fonts;
  for (int i = 0; i < w->nfaces; i++)
    if (w->page_faces[i])
      ret |= HPDF_Dict_Add(fonts, w->faces[i].res, w->faces[i].font);
  if (ret != HPDF_OK)
    return pdf_fail(w, "adding the page's font resources");
  return true;
}

/* ---- Info -----------------------------------------------------------------
 */

/* "YYYY-MM-DD" to "D:YYYYMMDD000000Z"; false when malformed. */
static bool info_date(const char *s, char out[18]) {
  static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return false;
  int y = atoi(s), m = (s[5] - '0') * 10 + (s[6] - '0'),
      d = (s[8] - '0') * 10 + (s[9] - '0');
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
      (m == 2 && d == 29 && !leap))
    return false;
  memcpy(out, "D:", 2);
  memcpy(out + 2, s, 4);
  memcpy(out + 6, s + 5, 2);
  memcpy(out + 8, s + 8, 2);
  memcpy(out + 10, "000000Z", 8);
  return true;
}

static bool write_info(writer *w) {
  static const struct {
    const char *key;
    size_t off;
  } attrs[] = {
      {"Title", offsetof(zp_dl, title)},
      {"Author", offsetof(zp_dl, author)},
      {"Subject", offsetof(zp_dl, subject)},
      {"Keywords", offsetof(zp_dl, keywords)},
      {"Creator", offsetof(zp_dl, creator)},
  };
  /* libharu made the Info dictionary (with /Producer) in HPDF_New; the
   * values go in through the object layer, because HPDF_SetInfoAttr would
   * write the UTF-8 bytes raw */
  HPDF_Dict info = w->pdf->info;
  if (!info)
    return pdf_fail(w, "finding the document information dictionary");
  for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
    const char *v = *(const char *const *)((const char *)w->dl + attrs[i].off);
    if (!v)
      continue;
    void *s = pdf_buf_text_string(w, v);
    if (!s || HPDF_Dict_Add(info, attrs[i].key, s) != HPDF_OK)
      return pdf_fail(w, "setting the document information");
  }
  if (w->dl->date) {
    char date[18];
    if (!info_date(w->dl->date, date)) {
      zp_error(w->d, pdf_at(w),
               "cannot write the PDF: the date \"%s\" is not YYYY-MM-DD",
               w->dl->date);
      return false;
    }
    if (HPDF_Dict_Add(info, "CreationDate",
                      HPDF_String_New(w->pdf->mmgr, date, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(info, "ModDate",
                      HPDF_String_New(w->pdf->mmgr, date, NULL)) != HPDF_OK)
      return pdf_fail(w, "setting the document date");
  }
  return true;
}

/* ---- entry point -------------------------------------------------------- */

/* Copies the document saved in libharu's memory stream to out. */
static bool copy_saved(writer *w, FILE *out) {
  HPDF_BYTE chunk[65536];
  for (;;) {
    HPDF_UINT32 n = sizeof chunk;
    HPDF_STATUS st = HPDF_ReadFromStream(w->pdf, chunk, &n);
    if (n > 0 && fwrite(chunk, 1, n, out) != n) {
      zp_error(w->d, pdf_at(w), "cannot write the PDF: %s", strerror(errno));
      return false;
    }
    if (st == HPDF_STREAM_EOF)
      return true;
    if (st != HPDF_OK)
      return pdf_fail(w, "saving");
  }
}

/* Writes dl to the file path, or (path NULL) to out, naming it name. */
static bool write_doc(const zp_dl *dl, zp_fontset *fs, const char *path,
                      FILE *out, const char *name, zp_diag *d) {
  writer w = {.dl = dl, .fs = fs, .path = name, .d = d};
  HPDF_Page *pages = NULL;
  bool ok = false;
  int npages = 0;

  w.nfaces = zp_font_face_count(fs);
  w.faces = calloc(w.nfaces ? (size_t)w.nfaces : 1, sizeof *w.faces);
  w.page_faces = calloc(w.nfaces ? (size_t)w.nfaces : 1, sizeof *w.page_faces);
  for (const zp_dl_page *p = dl->pages; p; p = p->next)
    npages++;
  pages = calloc(npages ? (size_t)npages : 1, sizeof *pages);
  if (!w.faces || !w.page_faces || !pages) {
    w.b.oom = true;
    pdf_fail(&w, "allocating");
    goto done;
  }
  if (!npages) {
    zp_error(d, pdf_at(&w), "cannot write the PDF: the document has no pages");
    goto done;
  }
  if (!collect(&w))
    goto done;

  w.pdf = HPDF_New(on_hpdf_error, &w.err);
  if (!w.pdf) {
    pdf_fail(&w, "creating the document");
    goto done;
  }
  if (!write_info(&w) || !pdf_debug_layer(&w))
    goto done;
  for (int i = 0; i < w.nfaces; i++)
    if (w.faces[i].ngids && !pdf_font_make(&w, i))
      goto done;
  /* images are compressed by libharu (zlib); their pixels are its own */
  if (HPDF_SetCompressionMode(w.pdf, HPDF_COMP_IMAGE) != HPDF_OK) {
    pdf_fail(&w, "setting up image compression");
    goto done;
  }
  int pno = 0;
  for (const zp_dl_page *p = dl->pages; p; p = p->next, pno++) {
    w.pno = pno;
    pages[pno] = HPDF_AddPage(w.pdf);
    if (!pages[pno]) {
      pdf_fail(&w, "adding a page");
      goto done;
    }
    if (!write_page(&w, p, pages[pno]))
      goto done;
  }
  if (!pdf_nav_links(&w, pages, npages) || !pdf_nav_dests(&w, pages, npages) ||
      !pdf_nav_outlines(&w, pages, npages) || !pdf_nav_labels(&w, npages))
    goto done;
  errno = 0;
  if (!path) {
    if (HPDF_SaveToStream(w.pdf) != HPDF_OK) {
      pdf_fail(&w, "saving");
      goto done;
    }
    if (!copy_saved(&w, out))
      goto done;
  } else if (HPDF_SaveToFile(w.pdf, path) != HPDF_OK) {
    w.sys_errno = errno;
    pdf_fail(&w, "saving");
    goto done;
  }
  ok = true;
done:
  if (w.pdf)
    HPDF_Free(w.pdf);
  if (w.faces)
    for (int i = 0; i < w.nfaces; i++) {
      free(w.faces[i].cp);
      if (w.faces[i].has_sub)
        zp_subset_free(&w.faces[i].sub);
    }
  free(w.faces);
  free(w.imgs);
  free(w.page_faces);
  free(pages);
  free(w.b.p);
  free(w.z.p);
  zp_deflate_free(w.zc);
  return ok;
}

bool zp_pdf_write(const zp_dl *dl, zp_fontset *fs, const char *path,
                  zp_diag *d) {
  return write_doc(dl, fs, path, NULL, path, d);
}

bool zp_pdf_write_stream(const zp_dl *dl, zp_fontset *fs, FILE *out,
                         const char *name, zp_diag *d) {
  return write_doc(dl, fs, NULL, out, name, d);
}
