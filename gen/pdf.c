/* pdf.c — see pdf.h.
 *
 * libharu provides the document skeleton (catalog, page tree, outlines,
 * Info, cross-reference table, stream compression, saving).  Fonts and page
 * content are built here through libharu's object layer: libharu's own
 * TrueType path probes every BMP code point of a face, writes a CID-keyed
 * ToUnicode CMap that poppler rejects, and mis-reads glyph ids above 32767.
 *
 * Two passes over the display list: the first checks it and collects, per
 * face, the glyphs drawn and the character each stands for; the second
 * writes one content stream per page.  Every object made is owned by the
 * libharu document, which HPDF_Free releases on every path.
 */
#include "pdf.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <hpdf.h>

#include "deflate.h"

/* Every stream is compressed here, once, with libdeflate at this level
 * (zlib format, so /FlateDecode): see README.md "Compression" for the
 * measurements behind the choice. */
#define ZP_DEFLATE_LEVEL 1

#include "bounds.h"

/* Graphics states (opacity, blending) a document makes, at most: opacity
 * is kept to 1/1000, so 2,002 would cover every pair; a watermark and a
 * seal need two. */
#define ZP_PDF_MAX_GSTATES 64

/* ---- growable byte buffer ------------------------------------------------ */

typedef struct buf {
  char *p;
  size_t n, cap;
  bool oom;
} buf;

static bool buf_reserve(buf *b, size_t extra) {
  if (b->oom)
    return false;
  if (b->n + extra <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + extra)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return false;
  }
  b->p = p;
  b->cap = cap;
  return true;
}

static void buf_put(buf *b, const char *s, size_t n) {
  if (!buf_reserve(b, n))
    return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

static void buf_puts(buf *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_putc(buf *b, char c) {
  if (buf_reserve(b, 1))
    b->p[b->n++] = c;
}

/* An integer in decimal. */
static void buf_int(buf *b, long long v) {
  char tmp[24];
  int i = (int)sizeof tmp;
  unsigned long long u =
      v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    tmp[--i] = '-';
  buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}

/* A number rounded to dec (at most 6) decimals, without trailing zeros,
 * never "-0"; the same bytes whatever the locale. */
static void buf_fixed(buf *b, double v, int dec) {
  long long scale = 1;
  for (int i = 0; i < dec; i++)
    scale *= 10;
  long long t = llround(v * (double)scale);
  if (t == 0) {
    buf_putc(b, '0');
    return;
  }
  unsigned long long u =
      t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
  if (t < 0)
    buf_putc(b, '-');
  buf_int(b, (long long)(u / (unsigned long long)scale));
  unsigned long long frac = u % (unsigned long long)scale;
  if (frac) {
    char d[8];
    d[0] = '.';
    for (int i = dec; i >= 1; i--, frac /= 10)
      d[i] = (char)('0' + frac % 10);
    size_t k = (size_t)dec + 1;
    while (d[k - 1] == '0')
      k--;
    buf_put(b, d, k);
  }
}

/* A number rounded to 3 decimals (see buf_fixed). */
static void buf_num(buf *b, double v) { buf_fixed(b, v, 3); }

static void buf_hex4(buf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char s[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
               hex[v & 15]};
  buf_put(b, s, 4);
}

/* A character in UTF-16BE hex: four digits, or eight (a surrogate pair)
 * above U+FFFF. */
static void buf_utf16(buf *b, uint32_t cp) {
  if (cp > 0xFFFF) {
    uint32_t v = cp - 0x10000;
    buf_hex4(b, 0xD800 | (v >> 10));
    cp = 0xDC00 | (v & 0x3FF);
  }
  buf_hex4(b, cp);
}

/* ---- state -----------------------------------------------------------------
 */

#define NO_CP UINT32_MAX

/* What the display list uses of one face, and the font made from it. */
typedef struct face_use {
  unsigned num_glyphs; /* of the original face */
  uint32_t *cp;        /* by original gid: the character, NO_CP if unused */
  size_t ngids;
  zp_subset sub;
  bool has_sub;
  HPDF_Dict font; /* the Type0 font, owned by the document */
  char res[12];   /* resource name, "F1" for face 0 */
} face_use;

typedef struct pdf_err {
  HPDF_STATUS code, detail;
} pdf_err;

typedef struct writer {
  const zp_dl *dl;
  zp_fontset *fs;
  const char *path;
  zp_diag *d;
  HPDF_Doc pdf;
  pdf_err err;
  int sys_errno; /* errno after a failed save, or 0 */
  int nfaces;
  face_use *faces;
  bool *page_faces; /* per face: used on the current page */
  double tc;        /* the page's character spacing (Tc) so far */
  buf b;
  zp_deflate *zc; /* made on first use */
  buf z;          /* the last compressed stream */
  HPDF_Dict ocg;  /* the debug layer's optional-content group, or NULL */
  /* images embedded so far, each once (found by its zp_image), and the
   * graphics states made for opacity and blending; page: the page that
   * last used one (so its resources name it) */
  struct img_use {
    const zp_image *img;
    HPDF_Image obj;
    int page;
  } * imgs;
  int nimgs, capimgs;
  struct gs_use {
    int alpha; /* opacity in 1/1000 */
    bool multiply;
    HPDF_ExtGState obj;
    int page;
  } gss[ZP_PDF_MAX_GSTATES];
  int ngss;
  int pno; /* the page being written, 0-based */
} writer;

static zp_loc at(const writer *w) {
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
static bool fail(writer *w, const char *what) {
  zp_loc loc = at(w);
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

static bool finite_all(const float *v, int n) {
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
  zp_error(w->d, at(w),
           "cannot write the PDF: %s is %zu bytes long, more than the %d a "
           "PDF string holds here",
           what, strlen(text), ZP_MAX_TEXT_STRING);
  return false;
}

static bool collect(writer *w) {
  zp_loc loc = at(w);
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
    if (!finite_all(dims, 2) || p->width < 3 || p->height < 3 ||
        p->width > 14400 || p->height > 14400) {
      zp_error(w->d, loc,
               "cannot write the PDF: page %d has an invalid size %gx%g",
               pno + 1, (double)p->width, (double)p->height);
      return false;
    }
    for (const zp_dl_rule *r = p->rules; r; r = r->next) {
      float v[5] = {r->x0, r->y0, r->x1, r->y1, r->width};
      if (!finite_all(v, 5) || r->width < 0) {
        zp_error(w->d, loc, "cannot write the PDF: page %d has an invalid rule",
                 pno + 1);
        return false;
      }
    }
    for (const zp_dl_image *im = p->images; im; im = im->next) {
      float v[6] = {im->x, im->y, im->w, im->h, im->angle, im->opacity};
      if (!im->img || !finite_all(v, 6) || im->w <= 0 || im->h <= 0 ||
          im->opacity < 0 || im->opacity > 1) {
        zp_error(w->d, loc,
                 "cannot write the PDF: page %d has an invalid image", pno + 1);
        return false;
      }
    }
    for (const zp_dl_run *r = p->runs; r; r = r->next) {
      float av[2] = {r->angle, r->opacity};
      if (!finite_all(av, 2) || r->opacity < 0 || r->opacity > 1) {
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
      if (!finite_all(v, 3) || r->size <= 0) {
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

/* ---- fonts ----------------------------------------------------------------
 */

/* The subset tag: six capitals from a hash of the PostScript name and the
 * glyph set. */
static void subset_tag(const char *psname, const face_use *f, char tag[7]) {
  uint64_t h = 14695981039346656037ULL;
  for (const unsigned char *s = (const unsigned char *)psname; *s; s++)
    h = (h ^ *s) * 1099511628211ULL;
  for (unsigned g = 0; g < f->num_glyphs; g++)
    if (f->cp[g] != NO_CP) {
      h = (h ^ (g & 0xFF)) * 1099511628211ULL;
      h = (h ^ (g >> 8)) * 1099511628211ULL;
    }
  for (int i = 0; i < 6; i++) {
    tag[i] = (char)('A' + h % 26);
    h /= 26;
  }
  tag[6] = 0;
}

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
  if (!buf_reserve(&w->z, bound)) {
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
static HPDF_STATUS write_deflated(writer *w, HPDF_Dict dict, const void *src,
                                  size_t n) {
  if (!deflate_into(w, src, n))
    return HPDF_FAILD_TO_ALLOC_MEM;
  dict->filter = HPDF_STREAM_FILTER_NONE;
  dict->write_fn = write_flate_filter;
  return HPDF_Stream_Write(dict->stream, (const HPDF_BYTE *)w->z.p,
                           (HPDF_UINT)w->z.n);
}

/* A new dictionary registered as an indirect object. */
static HPDF_Dict new_indirect_dict(HPDF_Doc pdf) {
  HPDF_Dict d = HPDF_Dict_New(pdf->mmgr);
  if (d && HPDF_Xref_Add(pdf->xref, d) != HPDF_OK)
    return NULL;
  return d;
}

/* The /W array: runs of equal widths as "first last w", others as
 * "first [w ...]"; glyphs of the default width 1000 are left out. */
static HPDF_Array width_array(HPDF_Doc pdf, const zp_subset *s) {
  HPDF_Array w = HPDF_Array_New(pdf->mmgr);
  if (!w)
    return NULL;
  HPDF_STATUS ret = HPDF_OK;
  unsigned n = s->num_glyphs, g = 0;
  while (g < n) {
    if (s->widths[g] == 1000) {
      g++;
      continue;
    }
    unsigned e = g; /* [g, e) all non-default */
    while (e < n && s->widths[e] != 1000)
      e++;
    while (g < e) {
      unsigned k = g + 1;
      while (k < e && s->widths[k] == s->widths[g])
        k++;
      if (k - g >= 3) {
        ret |= HPDF_Array_AddNumber(w, (HPDF_INT32)g);
        ret |= HPDF_Array_AddNumber(w, (HPDF_INT32)(k - 1));
        ret |= HPDF_Array_AddNumber(w, s->widths[g]);
        g = k;
        continue;
      }
      /* a list up to the next run of three equal widths */
      unsigned m = g;
      while (m < e) {
        unsigned r = m + 1;
        while (r < e && s->widths[r] == s->widths[m])
          r++;
        if (r - m >= 3)
          break;
        m = r;
      }
      HPDF_Array list = HPDF_Array_New(pdf->mmgr);
      ret |= HPDF_Array_AddNumber(w, (HPDF_INT32)g);
      ret |= HPDF_Array_Add(w, list);
      for (; g < m && list; g++)
        ret |= HPDF_Array_AddNumber(list, s->widths[g]);
      if (!list)
        return NULL;
    }
    if (ret != HPDF_OK)
      return NULL;
  }
  return ret == HPDF_OK ? w : NULL;
}

/* The ToUnicode CMap text: each subset glyph to its UTF-16BE character. */
static void tounicode_cmap(const face_use *f, const uint32_t *sub_cp, buf *b) {
  buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
              "12 dict begin\n"
              "begincmap\n"
              "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) "
              "/Supplement 0 >> def\n"
              "/CMapName /Adobe-Identity-UCS def\n"
              "/CMapType 2 def\n"
              "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n");
  unsigned n = f->sub.num_glyphs;
  /* ranges: consecutive glyphs with consecutive characters, within one
   * high byte on both sides */
  unsigned nchar = 0, nrange = 0;
  for (int pass = 0; pass < 2; pass++) {
    /* pass 0 counts, pass 1 writes: bfchar first, then bfrange */
    for (int kind = 0; kind < 2; kind++) {
      unsigned total = kind ? nrange : nchar, done = 0, block = 0;
      for (unsigned g = 0; g < n;) {
        if (sub_cp[g] == NO_CP) {
          g++;
          continue;
        }
        unsigned e = g + 1;
        /* (a character above U+FFFF is a surrogate pair: a bfchar) */
        while (e < n && sub_cp[e] != NO_CP && sub_cp[e] == sub_cp[e - 1] + 1 &&
               sub_cp[e] <= 0xFFFF && (e >> 8) == (g >> 8) &&
               (sub_cp[e] >> 8) == (sub_cp[g] >> 8))
          e++;
        bool is_range = e - g >= 2;
        if (!is_range)
          e = g + 1;
        if (pass == 0) {
          if (kind == 0)
            nchar += !is_range;
          else
            nrange += is_range;
        } else if (is_range == (kind == 1)) {
          if (block == 0) {
            unsigned left = total - done;
            block = left < 100 ? left : 100;
            buf_int(b, block);
            buf_puts(b, kind ? " beginbfrange\n" : " beginbfchar\n");
          }
          buf_putc(b, '<');
          buf_hex4(b, g);
          if (kind) {
            buf_puts(b, "> <");
            buf_hex4(b, e - 1);
          }
          buf_puts(b, "> <");
          buf_utf16(b, sub_cp[g]);
          buf_puts(b, ">\n");
          done++;
          if (--block == 0)
            buf_puts(b, kind ? "endbfrange\n" : "endbfchar\n");
        }
        g = e;
      }
    }
  }
  buf_puts(b, "endcmap\n"
              "CMapName currentdict /CMap defineresource pop\n"
              "end\n"
              "end\n");
}

/* Subsets face fi and builds its Type0 font. */
static bool make_font(writer *w, int face) {
  face_use *f = &w->faces[face];
  HPDF_Doc pdf = w->pdf;
  const zp_face_info *fi = zp_font_face(w->fs, face);
  int errors = zp_diag_errors(w->d);
  uint16_t *gids = NULL;
  uint32_t *sub_cp = NULL, *cps = NULL;
  bool ok = false;

  gids = malloc(sizeof *gids * f->ngids);
  cps = malloc(sizeof *cps * f->ngids);
  if (!gids || !cps) {
    w->b.oom = true;
    goto done;
  }
  size_t k = 0;
  for (unsigned g = 0; g < f->num_glyphs; g++)
    if (f->cp[g] != NO_CP) {
      cps[k] = f->cp[g];
      gids[k++] = (uint16_t)g;
    }
  if (!zp_font_subset(w->fs, face, gids, cps, k, &f->sub, w->d)) {
    zp_error(w->d, at(w), "cannot write the PDF: subsetting %s failed",
             fi->psname);
    goto done;
  }
  f->has_sub = true;

  sub_cp = malloc(sizeof *sub_cp * (f->sub.num_glyphs ? f->sub.num_glyphs : 1));
  if (!sub_cp) {
    w->b.oom = true;
    goto done;
  }
  for (unsigned g = 0; g < f->sub.num_glyphs; g++)
    sub_cp[g] = NO_CP;
  for (size_t i = 0; i < k; i++) {
    unsigned ng = f->sub.new_gid[gids[i]];
    if ((ng == 0 && gids[i] != 0) || ng >= f->sub.num_glyphs) {
      zp_error(
          w->d, at(w),
          "cannot write the PDF: glyph %u of %s is missing from its subset",
          (unsigned)gids[i], fi->psname);
      goto done;
    }
    if (sub_cp[ng] == NO_CP)
      sub_cp[ng] = f->cp[gids[i]];
  }

  char tag[7], base[160];
  subset_tag(fi->psname, f, tag);
  snprintf(base, sizeof base, "%s+%.120s", tag, fi->psname);
  snprintf(f->res, sizeof f->res, "F%d", face + 1);

  HPDF_STATUS ret = HPDF_OK;
  /* the font file, compressed once here */
  HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!file)
    goto done;
  ret |= write_deflated(w, file, f->sub.data, f->sub.size);
  ret |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)f->sub.size);
  if (w->b.oom)
    goto done;

  HPDF_Dict desc = new_indirect_dict(pdf);
  if (!desc)
    goto done;
  ret |= HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
  ret |= HPDF_Dict_AddName(desc, "FontName", base);
  ret |= HPDF_Dict_AddNumber(desc, "Flags", 4); /* symbolic */
  HPDF_Array bbox = HPDF_Array_New(pdf->mmgr);
  ret |= HPDF_Dict_Add(desc, "FontBBox", bbox);
  for (int i = 0; i < 4 && bbox; i++)
    ret |= HPDF_Array_AddNumber(bbox, fi->bbox[i]);
  ret |= HPDF_Dict_AddNumber(desc, "ItalicAngle", 0);
  ret |= HPDF_Dict_AddNumber(desc, "Ascent", fi->ascent);
  ret |= HPDF_Dict_AddNumber(desc, "Descent", fi->descent);
  ret |= HPDF_Dict_AddNumber(desc, "CapHeight",
                             fi->cap_height ? fi->cap_height : fi->ascent);
  ret |= HPDF_Dict_AddNumber(desc, "StemV", 80);
  ret |= HPDF_Dict_Add(desc, "FontFile2", file);
  if (ret != HPDF_OK)
    goto done;

  HPDF_Dict cid = new_indirect_dict(pdf);
  if (!cid)
    goto done;
  ret |= HPDF_Dict_AddName(cid, "Type", "Font");
  ret |= HPDF_Dict_AddName(cid, "Subtype", "CIDFontType2");
  ret |= HPDF_Dict_AddName(cid, "BaseFont", base);
  HPDF_Dict csi = HPDF_Dict_New(pdf->mmgr);
  ret |= HPDF_Dict_Add(cid, "CIDSystemInfo", csi);
  if (!csi)
    goto done;
  ret |=
      HPDF_Dict_Add(csi, "Registry", HPDF_String_New(pdf->mmgr, "Adobe", NULL));
  ret |= HPDF_Dict_Add(csi, "Ordering",
                       HPDF_String_New(pdf->mmgr, "Identity", NULL));
  ret |= HPDF_Dict_AddNumber(csi, "Supplement", 0);
  ret |= HPDF_Dict_Add(cid, "FontDescriptor", desc);
  ret |= HPDF_Dict_AddNumber(cid, "DW", 1000);
  HPDF_Array wa = width_array(pdf, &f->sub);
  if (!wa)
    goto done;
  if (HPDF_Array_Items(wa))
    ret |= HPDF_Dict_Add(cid, "W", wa);
  else
    HPDF_Array_Free(wa);
  ret |= HPDF_Dict_AddName(cid, "CIDToGIDMap", "Identity");
  if (ret != HPDF_OK)
    goto done;

  HPDF_Dict tu = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!tu)
    goto done;
  w->b.n = 0;
  tounicode_cmap(f, sub_cp, &w->b);
  if (w->b.oom)
    goto done;
  ret |= write_deflated(w, tu, w->b.p, w->b.n);
  if (w->b.oom)
    goto done;

  HPDF_Dict font = new_indirect_dict(pdf);
  if (!font)
    goto done;
  ret |= HPDF_Dict_AddName(font, "Type", "Font");
  ret |= HPDF_Dict_AddName(font, "Subtype", "Type0");
  ret |= HPDF_Dict_AddName(font, "BaseFont", base);
  ret |= HPDF_Dict_AddName(font, "Encoding", "Identity-H");
  HPDF_Array desc_fonts = HPDF_Array_New(pdf->mmgr);
  ret |= HPDF_Dict_Add(font, "DescendantFonts", desc_fonts);
  if (desc_fonts)
    ret |= HPDF_Array_Add(desc_fonts, cid);
  ret |= HPDF_Dict_Add(font, "ToUnicode", tu);
  if (ret != HPDF_OK)
    goto done;
  f->font = font;
  ok = true;
done:
  free(gids);
  free(cps);
  free(sub_cp);
  if (!ok && zp_diag_errors(w->d) == errors)
    return fail(w, "building a font");
  return ok;
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

/* ---- images and graphics states ------------------------------------------
 */

/* The graphics state of opacity op (1/1000) and blending, made once per
 * document; its index in w->gss, or -1 after an error (reported). */
static int gstate(writer *w, float opacity, bool multiply) {
  int alpha = (int)lroundf(opacity * 1000.0f);
  for (int i = 0; i < w->ngss; i++)
    if (w->gss[i].alpha == alpha && w->gss[i].multiply == multiply) {
      w->gss[i].page = w->pno;
      return i;
    }
  if (w->ngss == ZP_PDF_MAX_GSTATES) {
    zp_error(w->d, at(w),
             "cannot write the PDF: more than %d different opacities",
             ZP_PDF_MAX_GSTATES);
    return -1;
  }
  /* libharu 2.3.0 sets the version to 1.4 here, also down from 1.5 (the
   * debug layer's optional content, 16-bit images): keep the higher */
  HPDF_PDFVer ver = w->pdf->pdf_version;
  HPDF_ExtGState gs = HPDF_CreateExtGState(w->pdf);
  if (w->pdf->pdf_version < ver)
    w->pdf->pdf_version = ver;
  HPDF_STATUS ret = gs ? HPDF_OK : HPDF_FAILD_TO_ALLOC_MEM;
  if (gs && alpha < 1000) {
    ret |= HPDF_ExtGState_SetAlphaFill(gs, (HPDF_REAL)alpha / 1000);
    ret |= HPDF_ExtGState_SetAlphaStroke(gs, (HPDF_REAL)alpha / 1000);
  }
  if (gs && multiply)
    ret |= HPDF_ExtGState_SetBlendMode(gs, HPDF_BM_MULTIPLY);
  if (ret != HPDF_OK) {
    fail(w, "making a graphics state (opacity)");
    return -1;
  }
  if (w->pdf->pdf_version < HPDF_VER_14) /* transparency */
    w->pdf->pdf_version = HPDF_VER_14;
  w->gss[w->ngss] = (struct gs_use){alpha, multiply, gs, w->pno};
  return w->ngss++;
}

/* The PDF image of img, embedded on first use (libharu decodes it: the
 * bytes were checked by image.c); its index in w->imgs, or -1 after an
 * error (reported). */
static int image_use(writer *w, const zp_image *img) {
  for (int i = 0; i < w->nimgs; i++)
    if (w->imgs[i].img == img) {
      w->imgs[i].page = w->pno;
      return i;
    }
  if (w->nimgs == w->capimgs) {
    int cap = w->capimgs ? w->capimgs * 2 : 8;
    struct img_use *v = realloc(w->imgs, sizeof *v * (size_t)cap);
    if (!v) {
      w->b.oom = true;
      fail(w, "embedding an image");
      return -1;
    }
    w->imgs = v;
    w->capimgs = cap;
  }
  HPDF_Image obj =
      img->kind == ZP_IMAGE_PNG
          ? HPDF_LoadPngImageFromMem(w->pdf, img->data, (HPDF_UINT)img->len)
          : HPDF_LoadJpegImageFromMem(w->pdf, img->data, (HPDF_UINT)img->len);
  if (!obj) {
    zp_error(w->d, at(w),
             "cannot write the PDF: the image \"%s\" could not be decoded "
             "(it may be damaged inside its image data)",
             img->path);
    return -1;
  }
  /* libharu compresses the image but not its soft mask (the alpha of a
   * PNG): that too, or a seal's mask is stored raw */
  HPDF_Dict smask = HPDF_Dict_GetItem(obj, "SMask", HPDF_OCLASS_DICT);
  if (smask) {
    smask->filter = HPDF_STREAM_FILTER_FLATE_DECODE;
  } else if (w->err.code) { /* no SMask is no error */
    HPDF_ResetError(w->pdf);
    w->err.code = 0;
  }
  /* a soft mask needs PDF 1.4, 16 bits a sample 1.5 */
  HPDF_PDFVer need = img->kind == ZP_IMAGE_PNG && img->bits == 16 ? HPDF_VER_15
                     : img->alpha                                 ? HPDF_VER_14
                                                                  : HPDF_VER_12;
  if (w->pdf->pdf_version < need)
    w->pdf->pdf_version = need;
  w->imgs[w->nimgs] = (struct img_use){img, obj, w->pno};
  return w->nimgs++;
}

/* One image: q [gs] cm /ImN Do Q; rotated about its centre. */
static bool put_image(writer *w, const zp_dl_image *im) {
  int k = image_use(w, im->img);
  if (k < 0)
    return false;
  buf *b = &w->b;
  buf_puts(b, "q ");
  if (im->opacity < 1 || im->multiply) {
    int g = gstate(w, im->opacity, im->multiply);
    if (g < 0)
      return false;
    buf_puts(b, "/GS");
    buf_int(b, g + 1);
    buf_puts(b, " gs ");
  }
  double a = im->angle * M_PI / 180.0, c = cos(a), s = sin(a);
  double cx = im->x + im->w / 2.0, cy = im->y + im->h / 2.0;
  double m[6] = {im->w * c,
                 im->w * s,
                 -im->h * s,
                 im->h * c,
                 cx - (im->w * c - im->h * s) / 2,
                 cy - (im->w * s + im->h * c) / 2};
  for (int i = 0; i < 6; i++) {
    buf_fixed(b, m[i], 4);
    buf_putc(b, ' ');
  }
  buf_puts(b, "cm /Im");
  buf_int(b, k + 1);
  buf_puts(b, " Do Q\n");
  return true;
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
    buf_puts(b, "q ");
  if (r->opacity < 1) {
    int k = gstate(w, r->opacity, false);
    if (k < 0)
      return false;
    buf_puts(b, "/GS");
    buf_int(b, k + 1);
    buf_puts(b, " gs ");
  }
  if (r->color) {
    for (int k = 0; k < 2; k++) {
      for (int sh = 16; sh >= 0; sh -= 8) {
        buf_fixed(b, ((r->color >> sh) & 0xFF) / 255.0, 3);
        buf_putc(b, ' ');
      }
      buf_puts(b, k ? "RG " : "rg ");
    }
  }
  if (r->bold) {
    buf_puts(b, "2 Tr ");
    buf_num(b, size * 0.03);
    buf_puts(b, " w ");
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
    buf_puts(b, "/Span <</ActualText <FEFF");
    for (uint32_t i = 0; i < r->n; i++)
      buf_utf16(b, g[i].cp);
    buf_puts(b, ">>> BDC ");
  }
  buf_puts(b, "BT /");
  buf_puts(b, f->res);
  buf_putc(b, ' ');
  buf_num(b, size);
  buf_puts(b, " Tf ");
  double tc = run_spacing(f, r, w->tc);
  if (tc != w->tc) {
    buf_fixed(b, tc, 5);
    buf_puts(b, " Tc ");
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
    buf_num(b, cs);
    buf_putc(b, ' ');
    buf_num(b, sn);
    buf_putc(b, ' ');
    buf_num(b, -sn);
    buf_putc(b, ' ');
    buf_num(b, cs);
    buf_putc(b, ' ');
    buf_num(b, g[0].x);
    buf_putc(b, ' ');
    buf_num(b, r->y);
    buf_puts(b, " Tm [<");
  } else {
    buf_num(b, g[0].x);
    buf_putc(b, ' ');
    buf_num(b, r->y);
    buf_puts(b, " Td [<");
  }
  /* pen: where the viewer's pen is, given what was written so far */
  double pen = llround(g[0].x * 1000.0) / 1000.0;
  for (uint32_t i = 0; i < r->n; i++) {
    unsigned sg = f->sub.new_gid[g[i].gid];
    buf_hex4(b, sg);
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
      buf_puts(b, "> ");
      buf_fixed(b, (double)ac / 100.0, 2);
      buf_puts(b, " <");
      pen -= (double)ac / 100.0 * size / 1000.0;
    }
  }
  buf_puts(b, ">] TJ ET");
  if (spread)
    buf_puts(b, " EMC");
  buf_puts(b, own ? " Q\n" : "\n");
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
  buf_puts(b, "q 0 J 0 G\n");
  for (size_t i = 0; i < n; i++) {
    if (i == 0 || v[i].r->width != v[i - 1].r->width) {
      if (i)
        buf_puts(b, "S\n");
      buf_num(b, v[i].r->width);
      buf_puts(b, " w\n");
    }
    buf_num(b, v[i].r->x0);
    buf_putc(b, ' ');
    buf_num(b, v[i].r->y0);
    buf_puts(b, " m ");
    buf_num(b, v[i].r->x1);
    buf_putc(b, ' ');
    buf_num(b, v[i].r->y1);
    buf_puts(b, " l\n");
  }
  buf_puts(b, "S\nQ\n");
  free(v);
  return true;
}

/* ---- the debug layer ------------------------------------------------------
 *
 * Marks go in the optional-content group "zpgen debug" (marked content
 * /OC /zpdebug), as strokes only: a label is drawn in a stroke font of
 * our own, so the layer adds no text and pdftotext reads the same page
 * with and without it. */

/* A glyph of the stroke font: polylines separated by spaces, each point
 * two digits x (0-4) and y (0-6, up) on the glyph's grid. */
static const char *stroke_glyph(char ch) {
  static const char *const letters[26] = {
      "0004264440 0343", "00063645443303 3342413000",
      "46060040",        "00062644422000",
      "46060040 0333",   "460600 0333",
      "45460600404323",  "0006 4640 0343",
      "1636 2620 1030",  "46400002",
      "0006 4602 1340",  "060040",
      "0006264640",      "00064046",
      "0006464000",      "0006464303",
      "0006464000 2240", "0006464303 2340",
      "460603434000",    "0646 2620",
      "06004046",        "062046",
      "0610233046",      "0046 0640",
      "062346 2320",     "06460040"};
  static const char *const digits[10] = {
      "0006464000",      "152620 1030",  "064643030040", "06464000 1343",
      "060343 4640",     "460603434000", "460600404303", "064620",
      "0006464000 0343", "430306464000"};
  if (ch >= 'A' && ch <= 'Z')
    return letters[ch - 'A'];
  if (ch >= '0' && ch <= '9')
    return digits[ch - '0'];
  if (ch == '-')
    return "1333";
  if (ch == ':')
    return "2122 2425";
  return ""; /* a space, or anything else: nothing drawn */
}

/* Draws label m->text with its baseline at (x0, y0), m->x1 pt high. */
static void put_label(buf *b, const zp_dl_mark *m) {
  double unit = m->x1 / 6.0, x = m->x0;
  for (const char *t = m->text ? m->text : ""; *t; t++, x += 6 * unit) {
    const char *g = stroke_glyph(*t);
    bool first = true;
    for (; *g; g++) {
      if (*g == ' ') {
        first = true;
        continue;
      }
      if (!g[1])
        break;
      buf_num(b, x + (g[0] - '0') * unit);
      buf_putc(b, ' ');
      buf_num(b, m->y0 + (g[1] - '0') * unit);
      buf_puts(b, first ? " m " : " l ");
      first = false;
      g++;
    }
    if (!first)
      buf_putc(b, '\n');
  }
}

/* The page's debug marks, grouped by what they show (each its colour and
 * width), in the optional-content group. */
static void put_marks(writer *w, const zp_dl_page *p) {
  static const struct {
    zp_dl_show show;
    const char *style; /* stroke colour and width */
  } order[] = {
      {ZP_DL_SHOW_GRID, "0.55 0.8 1 RG 0.2 w"},
      {ZP_DL_SHOW_BLOCK, "0 0 1 RG 0.5 w"},
      {ZP_DL_SHOW_CELL, "0.8 0 0.8 RG 0.3 w"},
      {ZP_DL_SHOW_PADDING, "0 0.6 0 RG 0.25 w"},
      {ZP_DL_SHOW_LINE, "1 0.55 0 RG 0.25 w"},
      {ZP_DL_SHOW_BASELINE, "1 0 0 RG 0.25 w"},
      {ZP_DL_SHOW_BREAK, "0.85 0 0 RG 0.5 w"},
  };
  buf *b = &w->b;
  buf_puts(b, "/OC /zpdebug BDC\nq 0 J 0 j [] 0 d\n");
  for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
    bool any = false;
    for (const zp_dl_mark *m = p->marks; m; m = m->next) {
      if (m->show != order[k].show)
        continue;
      if (!any) {
        buf_puts(b, order[k].style);
        buf_putc(b, '\n');
        any = true;
      }
      if (m->kind == ZP_DL_MARK_LABEL) {
        put_label(b, m);
        continue;
      }
      buf_num(b, m->x0);
      buf_putc(b, ' ');
      buf_num(b, m->y0);
      if (m->kind == ZP_DL_MARK_RECT) {
        buf_putc(b, ' ');
        buf_num(b, m->x1 - m->x0);
        buf_putc(b, ' ');
        buf_num(b, m->y1 - m->y0);
        buf_puts(b, " re\n");
      } else {
        buf_puts(b, " m ");
        buf_num(b, m->x1);
        buf_putc(b, ' ');
        buf_num(b, m->y1);
        buf_puts(b, " l\n");
      }
    }
    if (any)
      buf_puts(b, "S\n");
  }
  buf_puts(b, "Q\nEMC\n");
}

/* Makes the optional-content group "zpgen debug", on and listed in the
 * catalog's /OCProperties, when a page has debug marks (PDF 1.5). */
static bool make_ocg(writer *w) {
  bool any = false;
  for (const zp_dl_page *p = w->dl->pages; p && !any; p = p->next)
    any = p->marks != NULL;
  if (!any)
    return true;
  HPDF_Doc pdf = w->pdf;
  HPDF_STATUS ret = HPDF_OK;
  HPDF_Dict ocg = new_indirect_dict(pdf);
  HPDF_Dict props = HPDF_Dict_New(pdf->mmgr), dflt = HPDF_Dict_New(pdf->mmgr);
  HPDF_Array ocgs = HPDF_Array_New(pdf->mmgr), on = HPDF_Array_New(pdf->mmgr),
             ord = HPDF_Array_New(pdf->mmgr);
  if (!ocg || !props || !dflt || !ocgs || !on || !ord)
    return fail(w, "making the debug layer");
  ret |= HPDF_Dict_AddName(ocg, "Type", "OCG");
  ret |= HPDF_Dict_Add(ocg, "Name",
                       HPDF_String_New(pdf->mmgr, "zpgen debug", NULL));
  ret |= HPDF_Array_Add(ocgs, ocg);
  ret |= HPDF_Array_Add(on, ocg);
  ret |= HPDF_Array_Add(ord, ocg);
  ret |= HPDF_Dict_Add(dflt, "Name", HPDF_String_New(pdf->mmgr, "zpgen", NULL));
  ret |= HPDF_Dict_Add(dflt, "ON", on);
  ret |= HPDF_Dict_Add(dflt, "Order", ord);
  ret |= HPDF_Dict_Add(props, "OCGs", ocgs);
  ret |= HPDF_Dict_Add(props, "D", dflt);
  ret |= HPDF_Dict_Add(pdf->catalog, "OCProperties", props);
  if (ret != HPDF_OK)
    return fail(w, "making the debug layer");
  if (pdf->pdf_version < HPDF_VER_15)
    pdf->pdf_version = HPDF_VER_15;
  w->ocg = ocg;
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
    buf_puts(&w->b, "/Artifact BMC /Span <</ActualText ()>> BDC\n");
  for (const zp_dl_image *im = p->images; im; im = im->next)
    if (im->layer == layer && !put_image(w, im))
      return false;
  for (const zp_dl_run *r = p->runs; r; r = r->next)
    if (r->layer == layer && r->n && !put_run(w, r))
      return false;
  if (artifact)
    buf_puts(&w->b, "EMC EMC\n");
  return true;
}

/* The page's /XObject and /ExtGState resources: what it used. */
static bool page_resources(writer *w, HPDF_Dict res) {
  HPDF_STATUS ret = HPDF_OK;
  HPDF_Dict xo = NULL, gs = NULL;
  char name[16];
  for (int i = 0; i < w->nimgs; i++)
    if (w->imgs[i].page == w->pno) {
      if (!xo && (!(xo = HPDF_Dict_New(w->pdf->mmgr)) ||
                  HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK))
        return fail(w, "adding the page's images");
      snprintf(name, sizeof name, "Im%d", i + 1);
      ret |= HPDF_Dict_Add(xo, name, w->imgs[i].obj);
    }
  for (int i = 0; i < w->ngss; i++)
    if (w->gss[i].page == w->pno) {
      if (!gs && (!(gs = HPDF_Dict_New(w->pdf->mmgr)) ||
                  HPDF_Dict_Add(res, "ExtGState", gs) != HPDF_OK))
        return fail(w, "adding the page's graphics states");
      snprintf(name, sizeof name, "GS%d", i + 1);
      ret |= HPDF_Dict_Add(gs, name, w->gss[i].obj);
    }
  if (ret != HPDF_OK)
    return fail(w, "adding the page's images and graphics states");
  return true;
}

static bool write_page(writer *w, const zp_dl_page *p, HPDF_Page page) {
  HPDF_STATUS ret = HPDF_OK;
  ret |= HPDF_Page_SetWidth(page, p->width);
  ret |= HPDF_Page_SetHeight(page, p->height);
  if (ret != HPDF_OK)
    return fail(w, "setting the page size");
  w->b.n = 0;
  w->tc = 0;
  memset(w->page_faces, 0, sizeof *w->page_faces * (size_t)w->nfaces);
  if (!put_layer(w, p, ZP_DL_LAYER_BEHIND))
    return false;
  if (!put_rules(w, p))
    return fail(w, "drawing rules");
  if (!put_layer(w, p, ZP_DL_LAYER_CONTENT) ||
      !put_layer(w, p, ZP_DL_LAYER_OVER))
    return false;
  if (p->marks && w->ocg)
    put_marks(w, p);
  if (w->b.oom)
    return fail(w, "writing the page content");
  HPDF_PageAttr attr = (HPDF_PageAttr)page->attr;
  if (w->b.n && write_deflated(w, attr->contents, w->b.p, w->b.n) != HPDF_OK)
    return fail(w, "writing the page content");

  bool any = false;
  for (int i = 0; i < w->nfaces; i++)
    any |= w->page_faces[i];
  HPDF_Dict res = HPDF_Dict_GetItem(page, "Resources", HPDF_OCLASS_DICT);
  if (!res)
    return fail(w, "adding the page's resources");
  if ((p->images || p->runs) && !page_resources(w, res))
    return false;
  if (p->marks && w->ocg) {
    HPDF_Dict props = HPDF_Dict_New(w->pdf->mmgr);
    if (!res || !props || HPDF_Dict_Add(res, "Properties", props) != HPDF_OK ||
        HPDF_Dict_Add(props, "zpdebug", w->ocg) != HPDF_OK)
      return fail(w, "adding the page's debug layer");
  }
  if (!any)
    return true;
  HPDF_Dict fonts = HPDF_Dict_New(w->pdf->mmgr);
  if (!res || !fonts || HPDF_Dict_Add(res, "Font", fonts) != HPDF_OK)
    return fail(w, "adding the page's font resources");
  attr->fonts = fonts;
  for (int i = 0; i < w->nfaces; i++)
    if (w->page_faces[i])
      ret |= HPDF_Dict_Add(fonts, w->faces[i].res, w->faces[i].font);
  if (ret != HPDF_OK)
    return fail(w, "adding the page's font resources");
  return true;
}

/* ---- Info and outlines ----------------------------------------------------
 */

/* Decodes one UTF-8 character at *s (advancing it); malformed input gives
 * U+FFFD. */
static uint32_t utf8_next(const unsigned char **s) {
  const unsigned char *p = *s;
  uint32_t c = *p++;
  int k = c < 0x80                ? 0
          : c >= 0xC2 && c < 0xE0 ? 1
          : c >= 0xE0 && c < 0xF0 ? 2
          : c >= 0xF0 && c < 0xF5 ? 3
                                  : -1;
  if (k < 0) {
    *s = p;
    return 0xFFFD;
  }
  if (k)
    c &= 0x3F >> k;
  for (int i = 0; i < k; i++) {
    if ((*p & 0xC0) != 0x80) {
      *s = p;
      return 0xFFFD;
    }
    c = (c << 6) | (*p++ & 0x3F);
  }
  *s = p;
  if ((k == 2 && c < 0x800) || (k == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c < 0xE000))
    return 0xFFFD;
  return c;
}

/* A PDF text string for the UTF-8 s: printable ASCII as a literal string,
 * anything else as UTF-16BE with a byte order mark.  NULL when out of
 * memory (libharu has recorded the error). */
static void *text_string(writer *w, const char *s) {
  bool ascii = true;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p >= 0x7F)
      ascii = false;
  if (ascii)
    return HPDF_String_New(w->pdf->mmgr, s, NULL);
  size_t len = strlen(s);
  unsigned char *u = malloc(2 + len * 4);
  if (!u) {
    w->b.oom = true;
    return NULL;
  }
  size_t n = 0;
  u[n++] = 0xFE;
  u[n++] = 0xFF;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    uint32_t c = utf8_next(&p);
    if (c >= 0x10000) {
      uint32_t v = c - 0x10000;
      uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
      u[n++] = (unsigned char)(hi >> 8);
      u[n++] = (unsigned char)hi;
      c = lo;
    }
    u[n++] = (unsigned char)(c >> 8);
    u[n++] = (unsigned char)c;
  }
  HPDF_Binary bin = HPDF_Binary_New(w->pdf->mmgr, u, (HPDF_UINT)n);
  free(u);
  return bin;
}

/* "YYYY-MM-DD" to "D:YYYYMMDD000000Z"; false when malformed. */
static bool pdf_date(const char *s, char out[18]) {
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
    return fail(w, "finding the document information dictionary");
  for (size_t i = 0; i < sizeof attrs / sizeof attrs[0]; i++) {
    const char *v = *(const char *const *)((const char *)w->dl + attrs[i].off);
    if (!v)
      continue;
    void *s = text_string(w, v);
    if (!s || HPDF_Dict_Add(info, attrs[i].key, s) != HPDF_OK)
      return fail(w, "setting the document information");
  }
  if (w->dl->date) {
    char date[18];
    if (!pdf_date(w->dl->date, date)) {
      zp_error(w->d, at(w),
               "cannot write the PDF: the date \"%s\" is not YYYY-MM-DD",
               w->dl->date);
      return false;
    }
    if (HPDF_Dict_Add(info, "CreationDate",
                      HPDF_String_New(w->pdf->mmgr, date, NULL)) != HPDF_OK ||
        HPDF_Dict_Add(info, "ModDate",
                      HPDF_String_New(w->pdf->mmgr, date, NULL)) != HPDF_OK)
      return fail(w, "setting the document date");
  }
  return true;
}

#define MAX_OUTLINE_LEVEL 16

/* [page /XYZ 0 y null], built here: HPDF_Destination_SetXYZ insists on a
 * zoom factor, and null keeps the reader's.  NULL on failure. */
static HPDF_Destination xyz_dest(writer *w, HPDF_Page page, float y) {
  HPDF_Destination dst = HPDF_Page_CreateDestination(page);
  if (!dst)
    return NULL;
  HPDF_Array_Clear(dst);
  HPDF_STATUS ret = HPDF_Array_Add(dst, page);
  ret |= HPDF_Array_AddName(dst, "XYZ");
  ret |= HPDF_Array_AddNumber(dst, 0);
  ret |= HPDF_Array_AddReal(dst, y < 0 ? 0 : y);
  ret |= HPDF_Array_Add(dst, HPDF_Null_New(w->pdf->mmgr));
  return ret == HPDF_OK ? dst : NULL;
}

/* A URL as a URI: bytes outside printable ASCII (a Chinese path, a
 * space) percent-encoded, in the arena-free buffer out of size n; false
 * when it does not fit. */
static bool uri_ascii(const char *s, char *out, size_t n) {
  static const char hex[] = "0123456789ABCDEF";
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (k + 4 > n)
      return false;
    if (*p <= 0x20 || *p >= 0x7F || *p == '"' || *p == '<' || *p == '>' ||
        *p == '\\' || *p == '^' || *p == '`' || *p == '{' || *p == '|' ||
        *p == '}') {
      out[k++] = '%';
      out[k++] = hex[*p >> 4];
      out[k++] = hex[*p & 15];
    } else {
      out[k++] = (char)*p;
    }
  }
  out[k] = 0;
  return true;
}

/* Is named destination d one the PDF can hold (on a page, a finite y, a
 * name libharu writes whole)?  Else an error. */
static bool dest_ok(writer *w, const zp_dl_dest *d, int npages) {
  if (d->page < 0 || d->page >= npages || !isfinite(d->y) ||
      strlen(d->name) > HPDF_LIMIT_MAX_NAME_LEN ||
      strchr(d->name, ' ') /* libharu writes it unescaped */) {
    zp_error(w->d, at(w),
             "cannot write the PDF: the destination \"%.60s\" is invalid",
             d->name);
    return false;
  }
  return true;
}

/* The named destinations in leaves of this many (a leaf's /Names array
 * holds twice as many elements; libharu's arrays hold 32767). */
#define DEST_LEAF 4000

/* More named destinations than a dictionary holds (libharu: 4095): the
 * catalog's /Names /Dests name tree (PDF 1.2), its keys strings in the
 * order of the ids (zp_dl keeps them sorted by bytes, as a name tree
 * must be), in indirect leaves of DEST_LEAF with their /Limits. */
static bool write_dest_tree(writer *w, HPDF_Page *pages, int npages) {
  HPDF_MMgr mm = w->pdf->mmgr;
  HPDF_Dict names = HPDF_Dict_New(mm), root = HPDF_Dict_New(mm);
  HPDF_Array kids = HPDF_Array_New(mm);
  if (!names || !root || !kids ||
      HPDF_Dict_Add(w->pdf->catalog, "Names", names) != HPDF_OK ||
      HPDF_Dict_Add(names, "Dests", root) != HPDF_OK ||
      HPDF_Dict_Add(root, "Kids", kids) != HPDF_OK)
    return fail(w, "adding the named destinations");
  for (const zp_dl_dest *d = w->dl->dests; d;) {
    HPDF_Dict leaf = HPDF_Dict_New(mm);
    HPDF_Array arr = HPDF_Array_New(mm), lim = HPDF_Array_New(mm);
    if (!leaf || !arr || !lim || HPDF_Xref_Add(w->pdf->xref, leaf) != HPDF_OK ||
        HPDF_Array_Add(kids, leaf) != HPDF_OK ||
        HPDF_Dict_Add(leaf, "Names", arr) != HPDF_OK ||
        HPDF_Dict_Add(leaf, "Limits", lim) != HPDF_OK)
      return fail(w, "adding the named destinations");
    const zp_dl_dest *first = d, *last = d;
    for (int k = 0; d && k < DEST_LEAF; k++, d = d->next) {
      if (!dest_ok(w, d, npages))
        return false;
      HPDF_Destination dst = xyz_dest(w, pages[d->page], d->y);
      HPDF_String key = HPDF_String_New(mm, d->name, NULL);
      if (!dst || !key || HPDF_Array_Add(arr, key) != HPDF_OK ||
          HPDF_Array_Add(arr, dst) != HPDF_OK)
        return fail(w, "adding a named destination");
      last = d;
    }
    HPDF_String lo = HPDF_String_New(mm, first->name, NULL);
    HPDF_String hi = HPDF_String_New(mm, last->name, NULL);
    if (!lo || !hi || HPDF_Array_Add(lim, lo) != HPDF_OK ||
        HPDF_Array_Add(lim, hi) != HPDF_OK)
      return fail(w, "adding the named destinations");
  }
  return true;
}

/* The named destinations: the catalog's /Dests, name to [page /XYZ 0 y
 * null] (PDF 1.1; libharu has no name trees), or a name tree when there
 * are more than a dictionary holds. */
static bool write_dests(writer *w, HPDF_Page *pages, int npages) {
  if (!w->dl->dests)
    return true;
  size_t n = 0;
  for (const zp_dl_dest *d = w->dl->dests; d; d = d->next)
    n++;
  if (n > HPDF_LIMIT_MAX_DICT_ELEMENT)
    return write_dest_tree(w, pages, npages);
  HPDF_Dict dests = HPDF_Dict_New(w->pdf->mmgr);
  if (!dests || HPDF_Dict_Add(w->pdf->catalog, "Dests", dests) != HPDF_OK)
    return fail(w, "adding the named destinations");
  for (const zp_dl_dest *d = w->dl->dests; d; d = d->next) {
    if (!dest_ok(w, d, npages))
      return false;
    HPDF_Destination dst = xyz_dest(w, pages[d->page], d->y);
    if (!dst || HPDF_Dict_Add(dests, d->name, dst) != HPDF_OK)
      return fail(w, "adding a named destination");
  }
  return true;
}

/* The link annotations of every page (after all pages exist: a link may
 * lead to a later page), each without a border. */
static bool write_links(writer *w, HPDF_Page *pages, int npages) {
  int pno = 0;
  char uri[3 * 2048 + 4];
  for (const zp_dl_page *p = w->dl->pages; p; p = p->next, pno++)
    for (const zp_dl_link *l = p->links; l; l = l->next) {
      float v[5] = {l->x0, l->y0, l->x1, l->y1, l->y};
      if (!finite_all(v, 5) || l->x1 < l->x0 || l->y1 < l->y0 ||
          (!l->uri && (l->page < 0 || l->page >= npages)) ||
          (l->uri && !uri_ascii(l->uri, uri, sizeof uri))) {
        zp_error(w->d, at(w),
                 "cannot write the PDF: page %d has an invalid link", pno + 1);
        return false;
      }
      HPDF_Rect r = {l->x0, l->y0, l->x1, l->y1};
      HPDF_Annotation a;
      if (l->uri) {
        a = HPDF_Page_CreateURILinkAnnot(pages[pno], r, uri);
      } else {
        HPDF_Destination dst = xyz_dest(w, pages[l->page], l->y);
        a = dst ? HPDF_Page_CreateLinkAnnot(pages[pno], r, dst) : NULL;
      }
      if (!a || HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0) != HPDF_OK)
        return fail(w, "adding a link");
    }
  return true;
}

static bool write_outlines(writer *w, HPDF_Page *pages, int npages) {
  if (!w->dl->outlines)
    return true;
  HPDF_Encoder utf8 = NULL;
  if (HPDF_UseUTFEncodings(w->pdf) != HPDF_OK ||
      !(utf8 = HPDF_GetEncoder(w->pdf, "UTF-8")))
    return fail(w, "loading the UTF-8 encoder");
  HPDF_Outline last[MAX_OUTLINE_LEVEL + 1] = {0};
  for (const zp_dl_outline *o = w->dl->outlines; o; o = o->next) {
    if (o->page < 0 || o->page >= npages || !o->title || !isfinite(o->y)) {
      zp_error(w->d, at(w),
               "cannot write the PDF: the bookmark \"%s\" points to page %d of "
               "%d",
               o->title ? o->title : "", o->page + 1, npages);
      return false;
    }
    int lv = o->level < 1                   ? 1
             : o->level > MAX_OUTLINE_LEVEL ? MAX_OUTLINE_LEVEL
                                            : o->level;
    HPDF_Outline parent = NULL;
    for (int k = lv - 1; k >= 1 && !parent; k--)
      parent = last[k];
    HPDF_Outline ol = HPDF_CreateOutline(w->pdf, parent, o->title, utf8);
    if (!ol)
      return fail(w, "adding a bookmark");
    /* libharu's encoder knows only the BMP and well-formed UTF-8: write
     * anything else ourselves */
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)o->title; *p;) {
      uint32_t c = utf8_next(&p);
      if (c > 0xFFFF || c == 0xFFFD)
        plain = false;
    }
    if (!plain &&
        HPDF_Dict_Add(ol, "Title", text_string(w, o->title)) != HPDF_OK)
      return fail(w, "adding a bookmark");
    last[lv] = ol;
    for (int k = lv + 1; k <= MAX_OUTLINE_LEVEL; k++)
      last[k] = NULL;
    HPDF_Destination dst = xyz_dest(w, pages[o->page], o->y);
    if (!dst)
      return fail(w, "adding a bookmark's destination");
    HPDF_STATUS ret = HPDF_Outline_SetDestination(ol, dst);
    if (lv == 1)
      ret |= HPDF_Outline_SetOpened(ol, HPDF_TRUE);
    if (ret != HPDF_OK)
      return fail(w, "adding a bookmark's destination");
  }
  if (HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
    return fail(w, "showing the bookmarks");
  return true;
}

/* The catalog's /PageLabels from the display list's ranges (none when it
 * has none).  Built through the object layer: HPDF_AddPageLabel writes a
 * prefix's bytes raw, and a Chinese number is all prefix. */
static bool write_labels(writer *w, int npages) {
  if (!w->dl->labels)
    return true;
  HPDF_Doc pdf = w->pdf;
  HPDF_Dict labels = HPDF_Dict_New(pdf->mmgr);
  HPDF_Array nums = HPDF_Array_New(pdf->mmgr);
  if (!labels || !nums)
    return fail(w, "making the page labels");
  HPDF_STATUS ret = HPDF_Dict_Add(labels, "Nums", nums);
  int last = -1;
  for (const zp_dl_label *l = w->dl->labels; l; l = l->next) {
    if (l->first <= last || l->first >= npages || l->start < 1) {
      zp_error(w->d, at(w),
               "cannot write the PDF: a page label range starts at page %d of "
               "%d",
               l->first + 1, npages);
      return false;
    }
    last = l->first;
    HPDF_Dict r = HPDF_Dict_New(pdf->mmgr);
    if (!r)
      return fail(w, "making the page labels");
    ret |= HPDF_Array_AddNumber(nums, l->first);
    ret |= HPDF_Array_Add(nums, r);
    static const char *const names[] = {NULL, "D", "r", "R"};
    if (l->style != ZP_DL_LABEL_NONE) {
      ret |= HPDF_Dict_AddName(r, "S", names[l->style]);
      if (l->start != 1)
        ret |= HPDF_Dict_AddNumber(r, "St", l->start);
    }
    if (l->prefix) {
      void *p = text_string(w, l->prefix);
      if (!p)
        return fail(w, "making the page labels");
      ret |= HPDF_Dict_Add(r, "P", p);
    }
  }
  ret |= HPDF_Dict_Add(pdf->catalog, "PageLabels", labels);
  if (ret != HPDF_OK)
    return fail(w, "making the page labels");
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
      zp_error(w->d, at(w), "cannot write the PDF: %s", strerror(errno));
      return false;
    }
    if (st == HPDF_STREAM_EOF)
      return true;
    if (st != HPDF_OK)
      return fail(w, "saving");
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
    fail(&w, "allocating");
    goto done;
  }
  if (!npages) {
    zp_error(d, at(&w), "cannot write the PDF: the document has no pages");
    goto done;
  }
  if (!collect(&w))
    goto done;

  w.pdf = HPDF_New(on_hpdf_error, &w.err);
  if (!w.pdf) {
    fail(&w, "creating the document");
    goto done;
  }
  if (!write_info(&w) || !make_ocg(&w))
    goto done;
  for (int i = 0; i < w.nfaces; i++)
    if (w.faces[i].ngids && !make_font(&w, i))
      goto done;
  /* images are compressed by libharu (zlib); their pixels are its own */
  if (HPDF_SetCompressionMode(w.pdf, HPDF_COMP_IMAGE) != HPDF_OK) {
    fail(&w, "setting up image compression");
    goto done;
  }
  int pno = 0;
  for (const zp_dl_page *p = dl->pages; p; p = p->next, pno++) {
    w.pno = pno;
    pages[pno] = HPDF_AddPage(w.pdf);
    if (!pages[pno]) {
      fail(&w, "adding a page");
      goto done;
    }
    if (!write_page(&w, p, pages[pno]))
      goto done;
  }
  if (!write_links(&w, pages, npages) || !write_dests(&w, pages, npages) ||
      !write_outlines(&w, pages, npages) || !write_labels(&w, npages))
    goto done;
  errno = 0;
  if (!path) {
    if (HPDF_SaveToStream(w.pdf) != HPDF_OK) {
      fail(&w, "saving");
      goto done;
    }
    if (!copy_saved(&w, out))
      goto done;
  } else if (HPDF_SaveToFile(w.pdf, path) != HPDF_OK) {
    w.sys_errno = errno;
    fail(&w, "saving");
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
