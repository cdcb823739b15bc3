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

typedef struct zp_dl_glyph {
  uint32_t cp;  /* the character, for ToUnicode and text extraction */
  uint16_t gid; /* glyph in the (original) face */
  float x;      /* pen position, pt from the page's left edge */
} zp_dl_glyph;

/* Glyphs of one face and size on one baseline. */
typedef struct zp_dl_run {
  uint16_t face;
  bool bold;  /* synthesise bold (fill + stroke) */
  float size; /* pt */
  float y;    /* baseline, pt from the page's bottom edge */
  uint32_t n;
  zp_dl_glyph *glyphs;
  struct zp_dl_run *next;
} zp_dl_run;

/* A straight line. */
typedef struct zp_dl_rule {
  float x0, y0, x1, y1, width;
  struct zp_dl_rule *next;
} zp_dl_rule;

typedef struct zp_dl_page {
  float width, height;
  zp_dl_run *runs, *runs_tail;
  zp_dl_rule *rules, *rules_tail;
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

typedef struct zp_dl {
  zp_arena *arena;
  zp_dl_page *pages, *pages_tail;
  int npages;
  zp_dl_outline *outlines, *outlines_tail;
  const char *title, *author, *subject, *keywords, *creator; /* may be NULL */
  const char *date; /* "YYYY-MM-DD" or NULL: no date written */
} zp_dl;

/* A new, empty list; NULL when out of memory.  Free with zp_dl_free(). */
zp_dl *zp_dl_new(void);
void zp_dl_free(zp_dl *dl);

/* Appends a page. */
zp_dl_page *zp_dl_add_page(zp_dl *dl, float width, float height);

/* Appends a run of n glyphs; the caller fills run->glyphs[0..n-1]. */
zp_dl_run *zp_dl_add_run(zp_dl *dl, zp_dl_page *page, uint16_t face, float size,
                         float y, uint32_t n);

zp_dl_rule *zp_dl_add_rule(zp_dl *dl, zp_dl_page *page, float x0, float y0,
                           float x1, float y1, float width);

zp_dl_outline *zp_dl_add_outline(zp_dl *dl, int level, const char *title,
                                 int page, float y);

#endif
