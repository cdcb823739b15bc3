/* layout-imp.h — private to the layout engine (gen/layout*.c); nothing
 * else includes it.
 *
 * The layout's stages share one context (ctx) and the document's lines:
 *   layout.c        zp_layout: the page area, the first pass over the blocks
 *                   (breaks, spacing, keep-with-next) and the cleanup;
 *   layout-text.c   text: measuring, fitting (brk.h), shaping into lines;
 *   layout-table.c  tables: preparing (columns, cells) and placing them;
 *   layout-page.c   pages: pagination, pending table parts, emitting a
 *                   page (lines, folio, outlines, the dump, debug marks);
 *   layout-image.c  images in the flow and on the page, the signature
 *                   block and its seal, the watermark.
 * Functions one file lends another are named lay_<file>_*.
 */
#ifndef ZP_LAYOUT_IMP_H
#define ZP_LAYOUT_IMP_H

#include "layout.h"

#include "arena.h"

/* Where the ideographic em box's centre sits above the baseline, in em:
 * CJK faces put the box from -0.12 to 0.88 em. */
#define LAY_EM_CENTRE 0.38
/* Tolerance for comparing positions in pt: sums of floats that should meet
 * (a line filling the block to the last grid line) must still fit. */
#define LAY_EPS 0.01

/* May a page break before a line (line.brk)? */
enum { BRK_ALLOW, BRK_NEVER, BRK_FORCE };

/* Why a page may not break before a line (line.why), and why a page broke
 * where it did (the dump's "break=", the debug layer's label). */
enum {
  WHY_NONE,
  WHY_FORCED,     /* a page break, or a style's page-break-before */
  WHY_FULL,       /* the next line did not fit */
  WHY_WIDOW,      /* a paragraph's last lines stay together */
  WHY_ORPHAN,     /* a paragraph's first lines stay together */
  WHY_KEEP,       /* a block kept with the next one (keep-with-next) */
  WHY_TOGETHER,   /* a heading's lines are never split */
  WHY_TABLE_HEAD, /* a table's caption and header kept with its body */
  WHY_ROW_SPLIT,  /* a table row split across the pages */
  WHY_ROW_MOVED,  /* a table row moved whole to the next page */
  WHY_END         /* the end of the document */
};

typedef struct tlayout tlayout; /* a prepared table (layout-table.c) */

typedef struct lglyph {
  uint32_t cp;
  uint16_t face, gid;
  float x; /* from the line's left edge */
} lglyph;

typedef struct line {
  const zp_block *blk;
  const zp_style *st;
  lglyph *g;
  uint32_t n;
  float size;
  float left;    /* x of the line box's left edge, pt from the page edge */
  float measure; /* width of the line box */
  float width;   /* from the first glyph's origin to the last's advance */
  float height;  /* the line's pitch */
  float space_before;
  uint8_t brk; /* before this line: BRK_ALLOW / NEVER / FORCE */
  uint8_t why; /* when brk is BRK_NEVER: WHY_WIDOW, ORPHAN, KEEP, TOGETHER */
  bool last;   /* last line of its block */
  bool first;  /* first line of its block */
  bool justified;
  bool grid;
  bool bold;
  zp_align align;     /* as set (a cell's, not its style's) */
  bool hard;          /* ends at a hard line break */
  bool squeezed;      /* a mark of it is compressed (dump: ink) */
  uint8_t end;        /* how it ended: ZP_END_BREAK, WEAK, FORCED */
  bool space;         /* ended at a typed space (not drawn) */
  float top;          /* pt from the text block's top, once placed */
  const tlayout *tbl; /* a table's place holder in the line list */
  /* an image drawn with the line (layout-image.c): a flow image's line (no
   * glyphs), a page image's (no glyphs, no height), a seal over a
   * signature's date line */
  const zp_doc_image *img;
  float img_x, img_dy, img_w, img_h; /* x from the page's left; dy: its
                                        top below the line box's top */
  uint8_t img_at; /* zp_image_place: FLOW, in the line's box; PAGE, at
                     img_x, img_dy from the page's top-left corner; BLOCK,
                     from the text block's left and the next line's top */
  bool reserve;   /* room only (below a seal): nothing drawn */
} line;

typedef struct lvec {
  line *v;
  size_t n, cap;
} lvec;

typedef struct ctx {
  const zp_doc *doc;
  zp_fontset *fs;
  zp_diag *d;
  zp_arena *arena; /* lines and their glyphs */
  zp_dl *dl;
  FILE *dump;
  bool debug; /* the display list gets the debug layer */
  int why;    /* why the page lay_page_emit ends breaks there (WHY_) */
  /* the page */
  float block_left, block_top, block_w, block_h; /* top: pt from the top */
  float pitch, char_pitch;
  /* lines of the whole document */
  lvec lines;
  /* what a table draws on the current page, flushed by lay_page_emit */
  struct tdraw *pending, *pending_tail;
  struct tdraw *spare; /* drawn ones, reused: memory per page stays flat */
  /* scratch, grown as needed, reused by every paragraph */
  uint32_t *cp;
  int32_t *adv, *squeeze, *endsq;
  uint8_t *kinds;
  zp_glyph *gl;
  size_t *ends;
  size_t cap;
  /* code points already reported missing */
  uint32_t *missing;
  size_t nmissing, capmissing;
} ctx;

/* How a text is to be set. */
typedef struct shape_req {
  const zp_style *st;
  const char *text;
  zp_loc loc, data_loc;
  float left, width;  /* the line box: x of its left edge and its width */
  float first_indent; /* extra indent of the first line */
  zp_align align;
  bool balance;
} shape_req;

/* What a table leaves on a page: a line of a cell or caption, or a rule. */
typedef struct tdraw {
  const line *l; /* NULL: a rule */
  float x, top;  /* line: left edge and top of its box; rule: unused */
  float x0, y0, x1, y1, width; /* rule, y from the block top */
  int row, col; /* for the dump: a cell line's cell; row -1: a caption */
  int8_t mark;  /* a debug rectangle (x0,y0)-(x1,y1): a
                   zp_dl_show; -1: not a mark */
  struct tdraw *next;
} tdraw;

/* ---- layout-text.c ---- */

/* Appends a zeroed line to v; NULL when out of memory. */
line *lay_text_new_line(lvec *v);
/* Decodes UTF-8 into out (room for strlen(s) code points); an invalid byte
 * becomes U+FFFD.  Returns the count. */
size_t lay_text_utf8_decode(const char *s, uint32_t *out);
/* Encodes c into o (room for 4 bytes); returns the byte count. */
size_t lay_text_utf8_encode(uint32_t c, char *o);
/* Line pitch of a style. */
float lay_text_style_pitch(const ctx *c, const zp_style *st);
/* A space before or after a block, on the grid rounded up to its pitch. */
float lay_text_snap_space(const ctx *c, const zp_style *st, double space);
/* An indent given in pt and, when given in em, in em. */
float lay_text_indent(const ctx *c, const zp_style *st, double pt, double em);
/* Sets a text into lines appended to out; false on error. */
bool lay_text_shape(ctx *c, const shape_req *r, lvec *out);
/* Natural width of a text set on one line, pt. */
float lay_text_width(ctx *c, const zp_style *st, const char *text, zp_loc loc);

/* ---- layout-table.c ---- */

/* Prepares a table: columns, cell lines, row heights, captions; NULL after
 * an error.  In the arena. */
tlayout *lay_table_prepare(ctx *c, const zp_block *b);
/* Room a table needs at its start: caption, header, a little of a row. */
float lay_table_first_need(const tlayout *tl);
/* Places a table from *y on the current page (whose lines start at
 * *start; the table's place holder is line i), emitting pages as it
 * needs; *y: in, the top; out, the bottom.  False after an error. */
bool lay_table_place(ctx *c, tlayout *tl, size_t *start, size_t i, float *y);

/* ---- layout-image.c ---- */

/* The line of an image block (ZP_BLOCK_IMAGE): in the flow, a line as
 * high as the image (on the grid, whole grid lines) that never splits;
 * at a position, a line of no height kept with the next block.  *keep:
 * set when the next block must stay with it.  False after an error. */
bool lay_image_lines(ctx *c, const zp_block *b, uint8_t brk, float before,
                     bool *keep);
/* The lines of a signature block (ZP_BLOCK_SIGNATURE): the unit centred
 * over the date, the date right-indented, kept together and with the
 * block before; the seal on the date's last line, with room above (the
 * space before) and below (a reserve line).  False after an error. */
bool lay_image_signature(ctx *c, const zp_block *b, uint8_t brk, float before);
/* Draws line l's image, its box's top at top, the next line's at next
 * (pt from the block's top). */
bool lay_image_draw(ctx *c, zp_dl_page *p, const line *l, float top,
                    float next);
/* Draws the document's watermark, if any, on page p. */
bool lay_image_watermark(ctx *c, zp_dl_page *p);

/* ---- layout-page.c ---- */

/* A table's parts wait in c->pending until the page is emitted; y from the
 * block top.  Each returns false when out of memory. */
/* A rule of width w; none at all when w is 0 (a table's rule="0"). */
bool lay_page_pend_rule(ctx *c, float x0, float y0, float x1, float y1,
                        float w);
/* A line whose box starts at top; row, col: its cell (row -1: a caption). */
bool lay_page_pend_line(ctx *c, const line *l, float top, int row, int col);
/* A debug rectangle. */
bool lay_page_pend_mark(ctx *c, zp_dl_show show, float x0, float y0, float x1,
                        float y1);
/* Emits lines [from, to), placed, and the pending table parts as a page
 * that broke for c->why; false after an error. */
bool lay_page_emit(ctx *c, size_t from, size_t to);
/* Fills pages with the document's lines; false after an error. */
bool lay_page_paginate(ctx *c);

#endif
