/* pdf-debug.c — the PDF writer's debug layer (see pdf-imp.h).
 *
 * Marks go in the optional-content group "zpgen debug" (marked content
 * /OC /zpdebug), as strokes only: a label is drawn in a stroke font of
 * our own, so the layer adds no text and pdftotext reads the same page
 * with and without it.
 */
#include "pdf-imp.h"

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
      pdf_buf_num(b, x + (g[0] - '0') * unit);
      pdf_buf_putc(b, ' ');
      pdf_buf_num(b, m->y0 + (g[1] - '0') * unit);
      pdf_buf_puts(b, first ? " m " : " l ");
      first = false;
      g++;
    }
    if (!first)
      pdf_buf_putc(b, '\n');
  }
}

/* The page's debug marks, grouped by what they show (each its colour and
 * width), in the optional-content group. */
void pdf_debug_marks(writer *w, const zp_dl_page *p) {
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
  pdf_buf_puts(b, "/OC /zpdebug BDC\nq 0 J 0 j [] 0 d\n");
  for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
    bool any = false;
    for (const zp_dl_mark *m = p->marks; m; m = m->next) {
      if (m->show != order[k].show)
        continue;
      if (!any) {
        pdf_buf_puts(b, order[k].style);
        pdf_buf_putc(b, '\n');
        any = true;
      }
      if (m->kind == ZP_DL_MARK_LABEL) {
        put_label(b, m);
        continue;
      }
      pdf_buf_num(b, m->x0);
      pdf_buf_putc(b, ' ');
      pdf_buf_num(b, m->y0);
      if (m->kind == ZP_DL_MARK_RECT) {
        pdf_buf_putc(b, ' ');
        pdf_buf_num(b, m->x1 - m->x0);
        pdf_buf_putc(b, ' ');
        pdf_buf_num(b, m->y1 - m->y0);
        pdf_buf_puts(b, " re\n");
      } else {
        pdf_buf_puts(b, " m ");
        pdf_buf_num(b, m->x1);
        pdf_buf_putc(b, ' ');
        pdf_buf_num(b, m->y1);
        pdf_buf_puts(b, " l\n");
      }
    }
    if (any)
      pdf_buf_puts(b, "S\n");
  }
  pdf_buf_puts(b, "Q\nEMC\n");
}

/* Makes the optional-content group "zpgen debug", on and listed in the
 * catalog's /OCProperties, when a page has debug marks (PDF 1.5). */
bool pdf_debug_layer(writer *w) {
  bool any = false;
  for (const zp_dl_page *p = w->dl->pages; p && !any; p = p->next)
    any = p->marks != NULL;
  if (!any)
    return true;
  HPDF_Doc pdf = w->pdf;
  HPDF_STATUS ret = HPDF_OK;
  HPDF_Dict ocg = pdf_indirect_dict(pdf);
  HPDF_Dict props = HPDF_Dict_New(pdf->mmgr), dflt = HPDF_Dict_New(pdf->mmgr);
  HPDF_Array ocgs = HPDF_Array_New(pdf->mmgr), on = HPDF_Array_New(pdf->mmgr),
             ord = HPDF_Array_New(pdf->mmgr);
  if (!ocg || !props || !dflt || !ocgs || !on || !ord)
    return pdf_fail(w, "making the debug layer");
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
    return pdf_fail(w, "making the debug layer");
  if (pdf->pdf_version < HPDF_VER_15)
    pdf->pdf_version = HPDF_VER_15;
  w->ocg = ocg;
  return true;
}
