/* pdf-imp.h — private to the PDF writer (gen/pdf*.c); nothing else
 * includes it, so libharu's types may appear here and nowhere else.
 *
 * The writer's parts share one state (writer) and the document's faces:
 *   pdf.c        zp_pdf_write: the document — pass 1 (checking the display
 *                list, collecting each face's glyphs), errors, compressed
 *                streams, pages (text runs, rules, the layers behind and
 *                over the content), Info, saving the file;
 *   pdf-buf.c    the bytes of content streams and CMaps: a growable
 *                buffer, numbers and UTF-16 in PDF syntax; UTF-8 decoding
 *                and PDF text strings;
 *   pdf-font.c   fonts: each face subset and embedded as a Type0/
 *                CIDFontType2 font (descriptor, /W widths, ToUnicode CMap);
 *   pdf-image.c  images (each embedded once), graphics states (opacity,
 *                blending), a page's /XObject and /ExtGState resources;
 *   pdf-debug.c  the debug layer: an optional-content group of marks and
 *                labels drawn in a stroke font of our own;
 *   pdf-nav.c    navigation: link annotations, named destinations,
 *                outlines (bookmarks), page labels.
 * Functions one file lends another are named pdf_<file>_* (pdf_* alone:
 * pdf.c).  Every libharu object made belongs to the document (w->pdf),
 * which HPDF_Free releases at the end of zp_pdf_write: no function here
 * hands its caller anything to free.
 */
#ifndef ZP_PDF_IMP_H
#define ZP_PDF_IMP_H

#include "pdf.h"

#include <stdint.h>

#include <hpdf.h>

#include "deflate.h"
#include "image.h"

/* Graphics states (opacity, blending) a document makes, at most: opacity
 * is kept to 1/1000, so 2,002 would cover every pair; a watermark and a
 * seal need two. */
#define ZP_PDF_MAX_GSTATES 64

/* ---- growable byte buffer (pdf-buf.c) ------------------------------------ */

/* A growable buffer (p, n bytes of cap; freed by its owner with free(p)).
 * A failed allocation sets oom; every write after it is dropped, so a
 * caller checks oom once, after writing. */
typedef struct buf {
  char *p;
  size_t n, cap;
  bool oom;
} buf;

/* Makes room for extra more bytes; false (oom set) when out of memory. */
bool pdf_buf_reserve(buf *b, size_t extra);
/* Appends n bytes at s / the string s / the byte c. */
void pdf_buf_put(buf *b, const char *s, size_t n);
void pdf_buf_puts(buf *b, const char *s);
void pdf_buf_putc(buf *b, char c);
/* Appends the integer v in decimal. */
void pdf_buf_int(buf *b, long long v);
/* Appends v rounded to dec (at most 6) decimals, without trailing zeros,
 * never "-0"; the same bytes whatever the locale. */
void pdf_buf_fixed(buf *b, double v, int dec);
/* Appends v rounded to 3 decimals (see pdf_buf_fixed). */
void pdf_buf_num(buf *b, double v);
/* Appends the low 16 bits of v as four capital hex digits. */
void pdf_buf_hex4(buf *b, unsigned v);
/* Appends the character cp in UTF-16BE hex: four digits, or eight (a
 * surrogate pair) above U+FFFF. */
void pdf_buf_utf16(buf *b, uint32_t cp);

/* ---- state ----------------------------------------------------------------
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

/* The writer of one document, made and freed by zp_pdf_write (pdf.c). */
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

/* ---- pdf.c ------------------------------------------------------------- */

/* The location errors are reported at: the output file's name. */
zp_loc pdf_at(const writer *w);
/* Reports the failure of step what (in words: the step, then libharu's
 * first error, an I/O error or being out of memory); always returns
 * false. */
bool pdf_fail(writer *w, const char *what);
/* Are all n floats at v finite? */
bool pdf_finite_all(const float *v, int n);
/* Writes n bytes at src, compressed once here (zlib format) into w->z,
 * into the stream of dict, which then carries /Filter /FlateDecode.
 * Returns a libharu status (HPDF_FAILD_TO_ALLOC_MEM with w->b.oom set
 * when out of memory). */
HPDF_STATUS pdf_write_deflated(writer *w, HPDF_Dict dict, const void *src,
                               size_t n);
/* A new dictionary registered as an indirect object of pdf (owned by the
 * document); NULL on failure. */
HPDF_Dict pdf_indirect_dict(HPDF_Doc pdf);

/* ---- pdf-buf.c: text ------------------------------------------------------
 */

/* Decodes one UTF-8 character at *s, advancing *s past it; malformed
 * input gives U+FFFD (one byte consumed at least). */
uint32_t pdf_buf_utf8_next(const unsigned char **s);
/* A PDF text string (an HPDF_String or HPDF_Binary, owned by the
 * document) for the UTF-8 s: printable ASCII as a literal string,
 * anything else as UTF-16BE with a byte order mark.  NULL when out of
 * memory (w->b.oom set, or libharu has recorded the error). */
void *pdf_buf_text_string(writer *w, const char *s);

/* ---- pdf-font.c ------------------------------------------------------- */

/* Subsets face (its glyphs collected in w->faces[face] by pass 1) and
 * builds its Type0 font: sets w->faces[face].sub (freed by zp_pdf_write
 * with zp_subset_free), .font and .res ("F1" for face 0).  False with an
 * error reported when anything fails. */
bool pdf_font_make(writer *w, int face);

/* ---- pdf-image.c ------------------------------------------------------ */

/* The graphics state of opacity (0-1, kept to 1/1000) and blending
 * (multiply or normal), made once per document and marked used by page
 * w->pno; its index in w->gss (resource name GS<index + 1>), or -1 after
 * an error (reported).  Raises the PDF version to 1.4. */
int pdf_image_gstate(writer *w, float opacity, bool multiply);
/* Appends image im to the page content in w->b (q [gs] cm /ImN Do Q,
 * rotated about its centre), embedding its image on first use.  False
 * after an error (reported). */
bool pdf_image_put(writer *w, const zp_dl_image *im);
/* Adds to the page's resource dictionary res the /XObject and /ExtGState
 * entries of the images and graphics states page w->pno used.  False
 * after an error (reported). */
bool pdf_image_resources(writer *w, HPDF_Dict res);

/* ---- pdf-debug.c ------------------------------------------------------ */

/* Makes the optional-content group "zpgen debug" (w->ocg), on and listed
 * in the catalog's /OCProperties, when a page has debug marks (PDF 1.5);
 * does nothing otherwise.  False after an error (reported). */
bool pdf_debug_layer(writer *w);
/* Appends the debug marks of page p to the page content in w->b, grouped
 * by what they show, as marked content /OC /zpdebug (the caller names
 * zpdebug in the page's /Properties). */
void pdf_debug_marks(writer *w, const zp_dl_page *p);

/* ---- pdf-nav.c -------------------------------------------------------- */

/* Each takes pages, the npages libharu pages made (pages[i] is display
 * list page i), and returns false after an error (reported). */
/* The link annotations of every page (after all pages exist: a link may
 * lead to a later page), each without a border. */
bool pdf_nav_links(writer *w, HPDF_Page *pages, int npages);
/* The named destinations: the catalog's /Dests, or a name tree when there
 * are more than a dictionary holds. */
bool pdf_nav_dests(writer *w, HPDF_Page *pages, int npages);
/* The outlines (bookmarks), level 1 open; the document opens showing
 * them. */
bool pdf_nav_outlines(writer *w, HPDF_Page *pages, int npages);
/* The catalog's /PageLabels from the display list's ranges (none when it
 * has none). */
bool pdf_nav_labels(writer *w, int npages);

#endif
