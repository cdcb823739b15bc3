/* pdf-image.c — the PDF writer's images and graphics states (see
 * pdf-imp.h): each image embedded once (libharu decodes PNG and JPEG, the
 * bytes checked by image.c) and drawn scaled and rotated; the graphics
 * states of opacity and blending (ExtGState) that images and translucent
 * runs share; the /XObject and /ExtGState resources of a page.
 */
#include "pdf-imp.h"

#include <math.h>
#include <stdlib.h>

/* The graphics state of opacity op (1/1000) and blending, made once per
 * document; its index in w->gss, or -1 after an error (reported). */
int pdf_image_gstate(writer *w, float opacity, bool multiply) {
  int alpha = (int)lroundf(opacity * 1000.0f);
  for (int i = 0; i < w->ngss; i++)
    if (w->gss[i].alpha == alpha && w->gss[i].multiply == multiply) {
      w->gss[i].page = w->pno;
      return i;
    }
  if (w->ngss == ZP_PDF_MAX_GSTATES) {
    zp_error(w->d, pdf_at(w),
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
    pdf_fail(w, "making a graphics state (opacity)");
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
      pdf_fail(w, "embedding an image");
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
    zp_error(w->d, pdf_at(w),
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
bool pdf_image_put(writer *w, const zp_dl_image *im) {
  int k = image_use(w, im->img);
  if (k < 0)
    return false;
  buf *b = &w->b;
  pdf_buf_puts(b, "q ");
  if (im->opacity < 1 || im->multiply) {
    int g = pdf_image_gstate(w, im->opacity, im->multiply);
    if (g < 0)
      return false;
    pdf_buf_puts(b, "/GS");
    pdf_buf_int(b, g + 1);
    pdf_buf_puts(b, " gs ");
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
    pdf_buf_fixed(b, m[i], 4);
    pdf_buf_putc(b, ' ');
  }
  pdf_buf_puts(b, "cm /Im");
  pdf_buf_int(b, k + 1);
  pdf_buf_puts(b, " Do Q\n");
  return true;
}

/* The page's /XObject and /ExtGState resources: what it used. */
bool pdf_image_resources(writer *w, HPDF_Dict res) {
  HPDF_STATUS ret = HPDF_OK;
  HPDF_Dict xo = NULL, gs = NULL;
  char name[16];
  for (int i = 0; i < w->nimgs; i++)
    if (w->imgs[i].page == w->pno) {
      if (!xo && (!(xo = HPDF_Dict_New(w->pdf->mmgr)) ||
                  HPDF_Dict_Add(res, "XObject", xo) != HPDF_OK))
        return pdf_fail(w, "adding the page's images");
      snprintf(name, sizeof name, "Im%d", i + 1);
      ret |= HPDF_Dict_Add(xo, name, w->imgs[i].obj);
    }
  for (int i = 0; i < w->ngss; i++)
    if (w->gss[i].page == w->pno) {
      if (!gs && (!(gs = HPDF_Dict_New(w->pdf->mmgr)) ||
                  HPDF_Dict_Add(res, "ExtGState", gs) != HPDF_OK))
        return pdf_fail(w, "adding the page's graphics states");
      snprintf(name, sizeof name, "GS%d", i + 1);
      ret |= HPDF_Dict_Add(gs, name, w->gss[i].obj);
    }
  if (ret != HPDF_OK)
    return pdf_fail(w, "adding the page's images and graphics states");
  return true;
}
