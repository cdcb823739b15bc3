/* pdf-nav.c — the PDF writer's navigation (see pdf-imp.h): link
 * annotations (to a URI or a place in the document), named destinations
 * (/Dests, or a name tree when there are many), outlines (bookmarks) and
 * page labels, built after every page exists.
 */
#include "pdf-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    zp_error(w->d, pdf_at(w),
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
    return pdf_fail(w, "adding the named destinations");
  for (const zp_dl_dest *d = w->dl->dests; d;) {
    HPDF_Dict leaf = HPDF_Dict_New(mm);
    HPDF_Array arr = HPDF_Array_New(mm), lim = HPDF_Array_New(mm);
    if (!leaf || !arr || !lim || HPDF_Xref_Add(w->pdf->xref, leaf) != HPDF_OK ||
        HPDF_Array_Add(kids, leaf) != HPDF_OK ||
        HPDF_Dict_Add(leaf, "Names", arr) != HPDF_OK ||
        HPDF_Dict_Add(leaf, "Limits", lim) != HPDF_OK)
      return pdf_fail(w, "adding the named destinations");
    const zp_dl_dest *first = d, *last = d;
    for (int k = 0; d && k < DEST_LEAF; k++, d = d->next) {
      if (!dest_ok(w, d, npages))
        return false;
      HPDF_Destination dst = xyz_dest(w, pages[d->page], d->y);
      HPDF_String key = HPDF_String_New(mm, d->name, NULL);
      if (!dst || !key || HPDF_Array_Add(arr, key) != HPDF_OK ||
          HPDF_Array_Add(arr, dst) != HPDF_OK)
        return pdf_fail(w, "adding a named destination");
      last = d;
    }
    HPDF_String lo = HPDF_String_New(mm, first->name, NULL);
    HPDF_String hi = HPDF_String_New(mm, last->name, NULL);
    if (!lo || !hi || HPDF_Array_Add(lim, lo) != HPDF_OK ||
        HPDF_Array_Add(lim, hi) != HPDF_OK)
      return pdf_fail(w, "adding the named destinations");
  }
  return true;
}

/* The named destinations: the catalog's /Dests, name to [page /XYZ 0 y
 * null] (PDF 1.1; libharu has no name trees), or a name tree when there
 * are more than a dictionary holds. */
bool pdf_nav_dests(writer *w, HPDF_Page *pages, int npages) {
  if (!w->dl->dests)
    return true;
  size_t n = 0;
  for (const zp_dl_dest *d = w->dl->dests; d; d = d->next)
    n++;
  if (n > HPDF_LIMIT_MAX_DICT_ELEMENT)
    return write_dest_tree(w, pages, npages);
  HPDF_Dict dests = HPDF_Dict_New(w->pdf->mmgr);
  if (!dests || HPDF_Dict_Add(w->pdf->catalog, "Dests", dests) != HPDF_OK)
    return pdf_fail(w, "adding the named destinations");
  for (const zp_dl_dest *d = w->dl->dests; d; d = d->next) {
    if (!dest_ok(w, d, npages))
      return false;
    HPDF_Destination dst = xyz_dest(w, pages[d->page], d->y);
    if (!dst || HPDF_Dict_Add(dests, d->name, dst) != HPDF_OK)
      return pdf_fail(w, "adding a named destination");
  }
  return true;
}

/* The link annotations of every page (after all pages exist: a link may
 * lead to a later page), each without a border. */
bool pdf_nav_links(writer *w, HPDF_Page *pages, int npages) {
  int pno = 0;
  char uri[3 * 2048 + 4];
  for (const zp_dl_page *p = w->dl->pages; p; p = p->next, pno++)
    for (const zp_dl_link *l = p->links; l; l = l->next) {
      float v[5] = {l->x0, l->y0, l->x1, l->y1, l->y};
      if (!pdf_finite_all(v, 5) || l->x1 < l->x0 || l->y1 < l->y0 ||
          (!l->uri && (l->page < 0 || l->page >= npages)) ||
          (l->uri && !uri_ascii(l->uri, uri, sizeof uri))) {
        zp_error(w->d, pdf_at(w),
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
        return pdf_fail(w, "adding a link");
    }
  return true;
}

bool pdf_nav_outlines(writer *w, HPDF_Page *pages, int npages) {
  if (!w->dl->outlines)
    return true;
  HPDF_Encoder utf8 = NULL;
  if (HPDF_UseUTFEncodings(w->pdf) != HPDF_OK ||
      !(utf8 = HPDF_GetEncoder(w->pdf, "UTF-8")))
    return pdf_fail(w, "loading the UTF-8 encoder");
  HPDF_Outline last[MAX_OUTLINE_LEVEL + 1] = {0};
  for (const zp_dl_outline *o = w->dl->outlines; o; o = o->next) {
    if (o->page < 0 || o->page >= npages || !o->title || !isfinite(o->y)) {
      zp_error(w->d, pdf_at(w),
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
      return pdf_fail(w, "adding a bookmark");
    /* libharu's encoder knows only the BMP and well-formed UTF-8: write
     * anything else ourselves */
    bool plain = true;
    for (const unsigned char *p = (const unsigned char *)o->title; *p;) {
      uint32_t c = pdf_buf_utf8_next(&p);
      if (c > 0xFFFF || c == 0xFFFD)
        plain = false;
    }
    if (!plain &&
        HPDF_Dict_Add(ol, "Title", pdf_buf_text_string(w, o->title)) != HPDF_OK)
      return pdf_fail(w, "adding a bookmark");
    last[lv] = ol;
    for (int k = lv + 1; k <= MAX_OUTLINE_LEVEL; k++)
      last[k] = NULL;
    HPDF_Destination dst = xyz_dest(w, pages[o->page], o->y);
    if (!dst)
      return pdf_fail(w, "adding a bookmark's destination");
    HPDF_STATUS ret = HPDF_Outline_SetDestination(ol, dst);
    if (lv == 1)
      ret |= HPDF_Outline_SetOpened(ol, HPDF_TRUE);
    if (ret != HPDF_OK)
      return pdf_fail(w, "adding a bookmark's destination");
  }
  if (HPDF_SetPageMode(w->pdf, HPDF_PAGE_MODE_USE_OUTLINE) != HPDF_OK)
    return pdf_fail(w, "showing the bookmarks");
  return true;
}

/* The catalog's /PageLabels from the display list's ranges (none when it
 * has none).  Built through the object layer: HPDF_AddPageLabel writes a
 * prefix's bytes raw, and a Chinese number is all prefix. */
bool pdf_nav_labels(writer *w, int npages) {
  if (!w->dl->labels)
    return true;
  HPDF_Doc pdf = w->pdf;
  HPDF_Dict labels = HPDF_Dict_New(pdf->mmgr);
  HPDF_Array nums = HPDF_Array_New(pdf->mmgr);
  if (!labels || !nums)
    return pdf_fail(w, "making the page labels");
  HPDF_STATUS ret = HPDF_Dict_Add(labels, "Nums", nums);
  int last = -1;
  for (const zp_dl_label *l = w->dl->labels; l; l = l->next) {
    if (l->first <= last || l->first >= npages || l->start < 1) {
      zp_error(w->d, pdf_at(w),
               "cannot write the PDF: a page label range starts at page %d of "
               "%d",
               l->first + 1, npages);
      return false;
    }
    last = l->first;
    HPDF_Dict r = HPDF_Dict_New(pdf->mmgr);
    if (!r)
      return pdf_fail(w, "making the page labels");
    ret |= HPDF_Array_AddNumber(nums, l->first);
    ret |= HPDF_Array_Add(nums, r);
    static const char *const names[] = {NULL, "D", "r", "R"};
    if (l->style != ZP_DL_LABEL_NONE) {
      ret |= HPDF_Dict_AddName(r, "S", names[l->style]);
      if (l->start != 1)
        ret |= HPDF_Dict_AddNumber(r, "St", l->start);
    }
    if (l->prefix) {
      void *p = pdf_buf_text_string(w, l->prefix);
      if (!p)
        return pdf_fail(w, "making the page labels");
      ret |= HPDF_Dict_Add(r, "P", p);
    }
  }
  ret |= HPDF_Dict_Add(pdf->catalog, "PageLabels", labels);
  if (ret != HPDF_OK)
    return pdf_fail(w, "making the page labels");
  return true;
}
