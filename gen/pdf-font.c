/* pdf-font.c — the PDF writer's fonts (see pdf-imp.h).
 *
 * Each face the display list draws with is subset (zp_font_subset) to the
 * glyphs pass 1 collected and embedded as a Type0 font with Identity-H
 * encoding: a CIDFontType2 descendant (its descriptor, the compressed
 * font file, the /W widths) and a bfrange ToUnicode CMap, so that text
 * extracts and copies correctly.  Built on libharu's object layer:
 * libharu's own TrueType path probes every BMP code point of a face,
 * writes a CID-keyed ToUnicode CMap that poppler rejects, and mis-reads
 * glyph ids above 32767.
 */
#include "pdf-imp.h"

#include <stdlib.h>
#include <string.h>

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
  pdf_buf_puts(b, "/CIDInit /ProcSet findresource begin\n"
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
            pdf_buf_int(b, block);
            pdf_buf_puts(b, kind ? " beginbfrange\n" : " beginbfchar\n");
          }
          pdf_buf_putc(b, '<');
          pdf_buf_hex4(b, g);
          if (kind) {
            pdf_buf_puts(b, "> <");
            pdf_buf_hex4(b, e - 1);
          }
          pdf_buf_puts(b, "> <");
          pdf_buf_utf16(b, sub_cp[g]);
          pdf_buf_puts(b, ">\n");
          done++;
          if (--block == 0)
            pdf_buf_puts(b, kind ? "endbfrange\n" : "endbfchar\n");
        }
        g = e;
      }
    }
  }
  pdf_buf_puts(b, "endcmap\n"
                  "CMapName currentdict /CMap defineresource pop\n"
                  "end\n"
                  "end\n");
}

/* Subsets face fi and builds its Type0 font. */
bool pdf_font_make(writer *w, int face) {
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
    zp_error(w->d, pdf_at(w), "cannot write the PDF: subsetting %s failed",
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
          w->d, pdf_at(w),
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
  snprintf(f->res, sizeof f->res, "F%u", (unsigned)face + 1);

  HPDF_STATUS ret = HPDF_OK;
  /* the font file, compressed once here */
  HPDF_Dict file = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
  if (!file)
    goto done;
  ret |= pdf_write_deflated(w, file, f->sub.data, f->sub.size);
  ret |= HPDF_Dict_AddNumber(file, "Length1", (HPDF_INT32)f->sub.size);
  if (w->b.oom)
    goto done;

  HPDF_Dict desc = pdf_indirect_dict(pdf);
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

  HPDF_Dict cid = pdf_indirect_dict(pdf);
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
  ret |= pdf_write_deflated(w, tu, w->b.p, w->b.n);
  if (w->b.oom)
    goto done;

  HPDF_Dict font = pdf_indirect_dict(pdf);
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
    return pdf_fail(w, "building a font");
  return ok;
}
