/* dlist.h — the display list: finished pages, as layout leaves them.
 *
 * Coordinates are PDF points with the origin at the bottom-left of the
 * page.  Text is kept as glyphs of a face with their absolute x positions;
 * the PDF writer never measures.  Everything lives in the list's arena.
 */
#ifndef ZP_DLIST_H
#define ZP_DLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "image.h"

typedef struct zp_dl_glyph {
  uint32_t cp;  /* the character, for ToUnicode and text extraction */
  uint16_t gid; /* glyph in the (original) face */
  float x;      /* pen position, pt from the page's left edge */
} zp_dl_glyph;

/* Where a run or an image is drawn among the page's content: the
 * content itself (rules, images, text, in that order), or a layer behind
 * or over it (a watermark, a seal).  Marked "behind" or "over", it is
 * also marked as an artifact (not the document's text). */
typedef enum {
  ZP_DL_LAYER_CONTENT, /* 0, the default */
  ZP_DL_LAYER_BEHIND,
  ZP_DL_LAYER_OVER
} zp_dl_layer;

/* Glyphs of one face and size on one baseline. */
typedef struct zp_dl_run {
  uint16_t face;
  bool bold;      /* synthesise bold (fill + stroke) */
  uint32_t color; /* fill (and a bold run's stroke) 0xRRGGBB; 0: black */
  float size;     /* pt */
  float y;        /* baseline, pt from the page's bottom edge */
  float angle;    /* degrees counter-clockwise about (glyphs[0].x, y), 0 =
                     upright: the glyphs' x are then along the turned
                     baseline as if it were upright */
  float opacity;  /* 1 = opaque (zp_dl_add_run's default), 0 = invisible */
  uint8_t layer;  /* zp_dl_layer */
  uint32_t n;
  zp_dl_glyph *glyphs;
  struct zp_dl_run *next;
} zp_dl_run;

/* A straight line. */
typedef struct zp_dl_rule {
  float x0, y0, x1, y1, width;
  struct zp_dl_rule *next;
} zp_dl_rule;

/* An image: a zp_image (its bytes; the PDF embeds each once, however
 * often it is drawn) in the rectangle (x, y)-(x + w, y + h), rotated by
 * angle degrees counter-clockwise about its centre. */
typedef struct zp_dl_image {
  const zp_image *img;
  float x, y, w, h; /* pt; (x, y) the bottom-left corner, upright */
  float angle;
  float opacity; /* 1 = opaque (the default) */
  bool multiply; /* blend as ink on paper (a seal over text): the text
                    under it stays legible */
  uint8_t layer; /* zp_dl_layer */
  struct zp_dl_image *next;
} zp_dl_image;

/* The debug layer (zpgen render --debug): thin coloured marks the PDF
 * writer puts in an optional-content group, never text.  What a mark
 * shows decides its colour. */
typedef enum {
  ZP_DL_MARK_RECT,  /* the rectangle (x0,y0)-(x1,y1) */
  ZP_DL_MARK_LINE,  /* the segment (x0,y0)-(x1,y1) */
  ZP_DL_MARK_LABEL, /* text (A-Z, 0-9, space, '-', ':') drawn as strokes,
                       its baseline starting at (x0,y0), x1 pt high */
} zp_dl_mark_kind;

typedef enum {
  ZP_DL_SHOW_BLOCK,    /* the text block */
  ZP_DL_SHOW_GRID,     /* the line and character grid */
  ZP_DL_SHOW_LINE,     /* a line's box */
  ZP_DL_SHOW_BASELINE, /* a line's baseline */
  ZP_DL_SHOW_CELL,     /* a table cell's box */
  ZP_DL_SHOW_PADDING,  /* a table cell's box less its padding */
  ZP_DL_SHOW_BREAK,    /* why the page broke where it did */
} zp_dl_show;

typedef struct zp_dl_mark {
  uint8_t kind, show; /* zp_dl_mark_kind, zp_dl_show */
  float x0, y0, x1, y1;
  const char *text; /* a label's, in the list's arena */
  struct zp_dl_mark *next;
} zp_dl_mark;

/* A link: a rectangle of the page that leads to a URL (uri) or, when uri
 * is NULL, to a place in the document (page, 0-based, and y: the top of
 * the view, pt from the bottom).  The PDF writer makes a link annotation
 * of it, without a border. */
typedef struct zp_dl_link {
  float x0, y0, x1, y1; /* the rectangle, x0 < x1, y0 < y1 */
  const char *uri;      /* in the list's arena, or NULL */
  int page;             /* the destination, when uri is NULL */
  float y;
  struct zp_dl_link *next;
} zp_dl_link;

typedef struct zp_dl_page {
  float width, height;
  zp_dl_run *runs, *runs_tail;
  zp_dl_rule *rules, *rules_tail;
  zp_dl_image *images, *images_tail;
  zp_dl_link *links, *links_tail;
  zp_dl_mark *marks, *marks_tail; /* the debug layer; NULL without --debug */
  struct zp_dl_page *next;
} zp_dl_page;

/* A bookmark. */
typedef struct zp_dl_outline {
  int level;         /* 1 = top */
  const char *title; /* UTF-8 */
  int page;          /* 0-based */
  float y;           /* top of the heading, pt from the bottom */
  struct zp_dl_outline *next;
} zp_dl_outline;

/* A named destination: a place readers can open by name
 * ("report.pdf#annex"). */
typedef struct zp_dl_dest {
  const char *name; /* in the list's arena */
  int page;         /* 0-based */
  float y;          /* the top of the view, pt from the bottom */
  struct zp_dl_dest *next;
} zp_dl_dest;

/* A page label range (the PDF's /PageLabels): from page first (0-based)
 * to the next range, labelled style + number (from start), after prefix. */
typedef enum {
  ZP_DL_LABEL_NONE, /* the prefix alone */
  ZP_DL_LABEL_DECIMAL,
  ZP_DL_LABEL_ROMAN, /* i ii */
  ZP_DL_LABEL_ROMAN_UPPER
} zp_dl_label_style;

typedef struct zp_dl_label {
  int first;
  zp_dl_label_style style;
  int start;          /* the first page's number, 1 or more */
  const char *prefix; /* UTF-8, or NULL */
  struct zp_dl_label *next;
} zp_dl_label;

typedef struct zp_dl {
  zp_arena *arena;
  zp_dl_page *pages, *pages_tail;
  int npages;
  zp_dl_outline *outlines, *outlines_tail;
  zp_dl_dest *dests, *dests_tail;    /* by name, each name once */
  zp_dl_label *labels, *labels_tail; /* NULL: the PDF has no page labels */
  const char *title, *author, *subject, *keywords, *creator; /* may be NULL */
  const char *date; /* "YYYY-MM-DD" or NULL: no date written */
} zp_dl;

/* A new, empty list; NULL when out of memory.  Free with zp_dl_free(). */
zp_dl *zp_dl_new(void);
void zp_dl_free(zp_dl *dl);

/* Appends a page. */
zp_dl_page *zp_dl_add_page(zp_dl *dl, float width, float height);

/* Appends a run of n glyphs, upright, opaque, in the content layer; the
 * caller fills run->glyphs[0..n-1]. */
zp_dl_run *zp_dl_add_run(zp_dl *dl, zp_dl_page *page, uint16_t face, float size,
                         float y, uint32_t n);

/* Appends an image of img in (x, y)-(x + w, y + h), upright, opaque, in
 * the content layer (the caller may change angle, opacity, multiply and
 * layer).  NULL when out of memory. */
zp_dl_image *zp_dl_add_image(zp_dl *dl, zp_dl_page *page, const zp_image *img,
                             float x, float y, float w, float h);

zp_dl_rule *zp_dl_add_rule(zp_dl *dl, zp_dl_page *page, float x0, float y0,
                           float x1, float y1, float width);

/* Appends a debug mark (see zp_dl_mark); text (a label's, else NULL) is
 * copied into the list's arena.  NULL when out of memory. */
zp_dl_mark *zp_dl_add_mark(zp_dl *dl, zp_dl_page *page, zp_dl_mark_kind kind,
                           zp_dl_show show, float x0, float y0, float x1,
                           float y1, const char *text);

/* Appends a link to page (see zp_dl_link); uri (NULL: to page dpage at
 * height dy) is copied into the list's arena.  NULL when out of memory. */
zp_dl_link *zp_dl_add_link(zp_dl *dl, zp_dl_page *page, float x0, float y0,
                           float x1, float y1, const char *uri, int dpage,
                           float dy);

/* Appends a named destination (name copied); NULL when out of memory.
 * The caller adds each name once. */
zp_dl_dest *zp_dl_add_dest(zp_dl *dl, const char *name, int page, float y);
/* Appends a page label range (see zp_dl_label); prefix is copied into the
 * list's arena.  NULL when out of memory. */
zp_dl_label *zp_dl_add_label(zp_dl *dl, int first, zp_dl_label_style style,
                             int start, const char *prefix);

zp_dl_outline *zp_dl_add_outline(zp_dl *dl, int level, const char *title,
                                 int page, float y);

#endif
