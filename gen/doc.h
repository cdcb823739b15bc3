/* doc.h — the document tree: what the binder produces and layout consumes.
 *
 * Everything here is resolved: styles carry concrete values in points,
 * numbering is already part of heading text, fields are formatted.  The
 * tree lives in the arena of the zp_doc that holds it.
 */
#ifndef ZP_DOC_H
#define ZP_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"
#include "image.h"

typedef enum {
  ZP_ALIGN_LEFT,
  ZP_ALIGN_CENTER,
  ZP_ALIGN_RIGHT,
  ZP_ALIGN_JUSTIFY
} zp_align;

typedef enum { ZP_VALIGN_TOP, ZP_VALIGN_MIDDLE, ZP_VALIGN_BOTTOM } zp_valign;

/* Line-breaking strictness (clreq): strict, basic (the default), loose. */
typedef enum { ZP_BREAK_STRICT, ZP_BREAK_BASIC, ZP_BREAK_LOOSE } zp_break_rules;

/* How a line that does not fit is resolved (brk.h):
 *  - ZP_FIT_WORD (the default): as the bureaus' Word on the grid: the
 *    longest prefix that fits; push in only to keep a character that may
 *    not start a line, taking the overflow from the marks inside the line;
 *    otherwise push out.
 *  - ZP_FIT_PUSHIN: clreq's "push in before push out": the line-final mark
 *    and the pause marks inside the line are compressed whenever that lets
 *    the line keep one more unit (the behaviour before Word's model). */
typedef enum { ZP_FIT_WORD, ZP_FIT_PUSHIN } zp_fit;

/* A resolved style.  Lengths in pt. */
typedef struct zp_style {
  const char *name;
  const char *role;    /* font role: "song", "hei", ... */
  double size;         /* font size */
  double first_indent; /* extra indent of a paragraph's first line */
  double left_indent, right_indent;
  zp_align align;
  double line_pitch; /* baseline to baseline; 0: the page grid's */
  bool grid;         /* lines on the page grid, characters at its pitch */
  double space_before, space_after;
  bool bold;           /* synthesised when the face has no bold */
  uint32_t color;      /* 0xRRGGBB; ZP_COLOR_INHERIT: none given (black,
                          or in a span the enclosing colour) */
  bool keep_with_next; /* never last on a page */
  bool balance;        /* balanced lines (titles) */
  bool page_break_before;
  int widows, orphans; /* least lines at a page top / bottom; 1: no rule */
  zp_break_rules rules;
  zp_fit fit;
  bool bind_units; /* a number stays with its Han unit (2023年, 765批次) */
  bool squeeze_pairs; /* adjacent full-width marks take 1.5 em (。” ）、) */
  double latin_space; /* extra space between Han and Latin/digits, em */
  /* the indents as given in em (0 when given in other units): on the grid
   * an em is one character cell, so "2em" is exactly two cells */
  double first_indent_em, left_indent_em, right_indent_em;
} zp_style;

typedef struct zp_table zp_table;

/* ---- inline spans ----
 *
 * A block's or a cell's text is plain UTF-8; what is set differently
 * inside it, or carries a reference, is a span: bytes [start, end) of the
 * text.  Spans are sorted by start (then by end, longest first) and nest:
 * two spans are disjoint or one lies inside the other, whatever their
 * kinds.  A character's look is the block's style changed by every STYLE
 * span around it, outermost first.  Line breaking and justification see
 * one text: a span changes widths, never the break rules. */
typedef enum {
  ZP_SPAN_STYLE, /* bold, a super/subscript, a named style (span.style) */
  ZP_SPAN_LINK,  /* a link: span.uri (a URL) or span.target (an id) */
  ZP_SPAN_NOTE   /* a footnote marker (its text is the marker): span.note */
} zp_span_kind;

typedef enum { ZP_SHIFT_NONE, ZP_SHIFT_SUPER, ZP_SHIFT_SUB } zp_shift;

/* No colour given: the enclosing one (black at the top). */
#define ZP_COLOR_INHERIT 0xFFFFFFFFu

typedef struct zp_note zp_note;

typedef struct zp_span {
  zp_span_kind kind;
  uint32_t start, end; /* bytes of the text */
  /* STYLE */
  const struct zp_style *style; /* a named style: its font role, size and
                                   colour apply; NULL: none */
  bool bold;
  zp_shift shift;
  uint32_t color; /* 0xRRGGBB or ZP_COLOR_INHERIT */
  /* LINK */
  const char *uri;    /* an external URL, or NULL */
  const char *target; /* an id of a block, table or part, or NULL */
  /* NOTE */
  const zp_note *note;
  zp_loc loc; /* the template element that made it */
} zp_span;

/* A footnote: its text (with spans of its own), set at the foot of the
 * page that holds its marker. */
struct zp_note {
  const char *text;
  const zp_span *spans;
  uint32_t nspans;
  const struct zp_style *style; /* NULL: the template's footnote style */
  zp_loc loc;
};

typedef enum {
  ZP_BLOCK_PARAGRAPH,
  ZP_BLOCK_HEADING,
  ZP_BLOCK_PAGE_BREAK,
  ZP_BLOCK_TABLE,
  ZP_BLOCK_CONTENTS, /* a table of contents (zp_block.contents) */
  ZP_BLOCK_IMAGE,    /* block.image */
  ZP_BLOCK_SIGNATURE /* block.sign: the unit and the date (落款) */
} zp_block_kind;

/* Levels of a table of contents: 1..ZP_CONTENTS_LEVELS. */
#define ZP_CONTENTS_LEVELS 8

/* A table of contents: an entry for every heading (ZP_BLOCK_HEADING) of
 * the document whose level is in [min_level, max_level], in document
 * order, set in the block's style: indented by its level's indent, the
 * heading's text, a leader and the page number of the heading's first
 * line flush right; a wrapped entry's later lines are indented one em
 * more.  Each entry links to its heading. */
typedef struct zp_contents {
  int min_level, max_level;
  /* indent of an entry of level k: indent[k] pt, or indent_em[k] em when
   * not 0 (exactly that many cells on the grid); k in 1..8 */
  double indent[ZP_CONTENTS_LEVELS + 1], indent_em[ZP_CONTENTS_LEVELS + 1];
  bool leader; /* dots from the text to the number; else blank */
  bool folio;  /* numbers as the page's folio prints them ("— 3 —"); else
                  the bare number in the page's style ("3", "iv", "三") */
  bool attachments; /* the attachments listed too (附件1 名称, level 1) */
  zp_loc at;        /* the <contents> element, its column too */
} zp_contents;

/* ---- images ----
 *
 * An image in the flow is a block that never splits, set like a line
 * (aligned in the text block); one at a position takes no room: it is
 * drawn on the page where the next block starts, at x, y from the page's
 * top-left corner (ZP_IMAGE_PAGE) or from the text block's left edge and
 * the top of the next block's first line (ZP_IMAGE_BLOCK). */
typedef enum { ZP_IMAGE_FLOW, ZP_IMAGE_PAGE, ZP_IMAGE_BLOCK } zp_image_place;

typedef struct zp_doc_image {
  const zp_image *img;
  double width, height; /* pt as asked; 0: from the other, keeping the
                           aspect ratio (both 0: 96 pixels an inch); the
                           layout scales a flow image down to the text
                           block */
  zp_align align;       /* ZP_IMAGE_FLOW: left, center, right */
  zp_image_place place;
  double x, y;    /* PAGE, BLOCK: its top-left corner (see above) */
  double opacity; /* 0..1 */
  bool behind;    /* PAGE, BLOCK: under the text (else over it) */
  zp_loc loc;
} zp_doc_image;

/* A signature block (GB/T 9704 7.3.5).  With a seal (7.3.5.1): the date
 * right-aligned with right_indent (4 characters), the unit centred over
 * it, the seal centred on the two, over the text.  Without (7.3.5.2): the
 * unit right-aligned with right_indent (2 characters), the date under it
 * starting 2 characters further right (or right-aligned with the same
 * indent, the unit moved left to keep the 2, when it is the longer). */
typedef struct zp_signature {
  const char *unit, *date;  /* UTF-8; either may be "" */
  const zp_doc_image *seal; /* NULL: none; its width is the seal's size */
  double right_indent;      /* pt */
  double right_indent_em;   /* the same in em when given so, else 0 */
} zp_signature;

/* A watermark on every page: a text or an image, centred on the page,
 * turned angle degrees counter-clockwise. */
typedef struct zp_watermark {
  const char *text;          /* UTF-8, or NULL */
  const zp_doc_image *image; /* or NULL (then text is set) */
  const char *role;          /* the text's font role */
  double size;               /* the text's size, pt */
  double angle, opacity;
  bool over; /* over the content (else behind it) */
  zp_loc loc;
} zp_watermark;

/* A watermark's settings when the template gives none: 黑体 72 pt, turned
 * 45°, opacity 0.15, behind the text. */
#define ZP_WATERMARK_DEFAULT                                                   \
  {                                                                            \
    NULL, NULL, "hei", 72, 45, 0.15, false, { 0 }                              \
  }

typedef struct zp_block zp_block;
struct zp_block {
  zp_block_kind kind;
  const zp_style *style;
  const char *text;         /* UTF-8; headings include their number "一、" */
  int level;                /* heading level, 1 = 一、; 0 for other blocks;
                               a paragraph with outline set: its bookmark's
                               level (a contents' title) */
  bool outline;             /* make a bookmark of it (needs level > 0) */
  const char *outline_text; /* the bookmark's title when not text (an
                               attachment's label: "附件1 名称"), or NULL */
  bool keep_with_previous;  /* never first on a page after the block before
                               (the attachment list under the body's text,
                               GB/T 9704 7.3.4) */
  zp_loc loc;               /* the template element that made it */
  zp_loc data_loc;          /* the data value its text came from, if one did */
  const char *data_path;    /* and its JSON path ("$.items[3]"), or NULL */
  const zp_table *table;    /* ZP_BLOCK_TABLE */
  const zp_span *spans;     /* inline spans of text (see zp_span), sorted */
  uint32_t nspans;
  const zp_contents *contents; /* ZP_BLOCK_CONTENTS */
  const char *id;              /* a target for links and references, or NULL */
  /* a hanging first line (the attachment list, GB/T 9704 7.3.4): when
   * hang > 0, the lines after the first start under byte hang of the text
   * (the character after "附件：1."); lead, when not NULL, is a text not
   * drawn whose width the first line starts after (a later item's "附件："),
   * so that "2." stands under "1." */
  uint32_t hang;
  const char *lead;
  /* in a cover placed by ZP_PLACE_DISTRIBUTE, this block's share of the
   * room left on the page, set above it: 0 (unset) a share of 1, -1 none
   * (<p fill="0">), else the share */
  float fill;
  const zp_doc_image *image; /* ZP_BLOCK_IMAGE */
  const zp_signature *sign;  /* ZP_BLOCK_SIGNATURE */
  zp_block *next;
};

/* ---- tables (ZP_BLOCK_TABLE) ---- */

typedef enum { ZP_COL_FIXED, ZP_COL_PROPORTIONAL, ZP_COL_FIT } zp_col_kind;

typedef struct zp_column {
  zp_col_kind kind;
  double width;   /* FIXED: pt; PROPORTIONAL: weight; FIT: minimum pt */
  zp_align align; /* default alignment of the column's cells (JUSTIFY:
                     wrapped lines set to the full width) */
} zp_column;

typedef struct zp_cell {
  const char *text; /* UTF-8; may be "" */
  const zp_style *style;
  int col; /* first column */
  int colspan, rowspan;
  zp_align align;
  zp_valign valign;
  zp_loc data_loc;
  const zp_span *spans; /* inline spans of text (see zp_span), sorted */
  uint32_t nspans;
} zp_cell;

typedef struct zp_row {
  zp_cell *cells;
  int ncells;
  bool header; /* repeats on every page */
} zp_row;

struct zp_table {
  int ncols;
  zp_column *cols;
  zp_row *rows;
  int nrows;
  int header_rows;     /* the first header_rows rows are the header */
  const char *caption; /* NULL: none */
  const zp_style *caption_style;
  const char *continued; /* suffix for continued captions, "（续）", or NULL */
  double rule_width;     /* cell rules, pt (0.5) */
  double frame_width;    /* outer frame, pt (0 = same as rules) */
  double pad_top, pad_bottom, pad_left, pad_right;
  int min_split_lines; /* least lines on each side of a split row */
};

/* ---- the page ---- */

typedef struct zp_page_setup {
  double width, height; /* pt, orientation applied */
  double margin_top, margin_bottom, margin_left, margin_right;
  int grid_lines, grid_chars; /* 22 × 28; 0 = no grid */
  double line_pitch;          /* pt; derived from grid_lines when 0 */
  double char_pitch;          /* pt; derived from grid_chars when 0 */
} zp_page_setup;

typedef enum { ZP_FOLIO_NONE, ZP_FOLIO_OUTER, ZP_FOLIO_CENTER } zp_folio_pos;

typedef struct zp_folio {
  zp_folio_pos pos;   /* OUTER: odd pages right, even pages left */
  const char *format; /* "— {n} —", "{n}" is the number */
  const char *role;
  double size;     /* pt */
  double below;    /* pt from the text block's bottom to the folio's top */
  double indent;   /* pt in from the text block's edge (OUTER) */
  bool first_page; /* number the first page too */
} zp_folio;

/* How footnote markers are numbered and shown (<footnotes marker=>). */
typedef enum {
  ZP_MARKER_CIRCLED, /* ①②… (up to 50; further ones as superscript numbers) */
  ZP_MARKER_SUPER,  /* superscript numbers 1 2 … */
  ZP_MARKER_BRACKET /* superscript numbers in brackets [1] [2] … */
} zp_marker_style;

/* The footnotes' settings (<footnotes> in the style sheet).  Lengths in
 * pt. */
typedef struct zp_footnotes {
  const struct zp_style *style; /* the notes' text; NULL: 12 pt song at
                                   18 pt */
  zp_marker_style marker;
  bool per_page;      /* numbered from 1 on every page (else through the
                         document, as the binder numbered them) */
  double rule_length; /* the separator rule; 0: a quarter of the block */
  double rule_width;  /* its weight; 0: no rule drawn (the space stays) */
  double space;       /* from the body to the rule, and from the rule to
                         the first note line */
} zp_footnotes;

/* How a part's pages are numbered (printed and in the PDF's page labels). */
typedef enum {
  ZP_NUM_ARABIC,      /* 1 2 3 */
  ZP_NUM_ROMAN,       /* i ii iii */
  ZP_NUM_ROMAN_UPPER, /* I II III */
  ZP_NUM_CN,          /* 一 二 三 */
  ZP_NUM_NONE         /* unnumbered: no folio, no number in headers */
} zp_num_style;

typedef enum {
  ZP_PART_BODY,      /* a <part> */
  ZP_PART_COVER,     /* <part kind="cover">: unnumbered, blocks placed by
                        valign */
  ZP_PART_ATTACHMENT /* <attachment>: 附件N and its title on a new page */
} zp_part_kind;

/* How a cover's blocks stand on its page. */
typedef enum {
  ZP_PLACE_TOP,       /* as in running text */
  ZP_PLACE_CENTER,    /* the whole centred vertically */
  ZP_PLACE_BOTTOM,    /* the whole at the foot */
  ZP_PLACE_DISTRIBUTE /* the room left shared out above the blocks but the
                         first, by their fill (equally by default) */
} zp_place;

/* Which pages of a part a header or footer is on. */
typedef enum {
  ZP_HF_ALL,   /* every page without a more particular one */
  ZP_HF_FIRST, /* the part's first page */
  ZP_HF_ODD,   /* odd-numbered pages (by the printed number; in an
                  unnumbered part, by the page's place in it) */
  ZP_HF_EVEN
} zp_hf_pages;

/* The page fields of a header's or footer's text, as bound: the binder
 * has put the data's fields and the report's title in already, these
 * bytes stand for what only the layout knows. */
#define ZP_HF_PAGE '\x01'       /* the printed number of the page */
#define ZP_HF_PAGES '\x02'      /* the pages of the document */
#define ZP_HF_PART_PAGES '\x03' /* the pages of the part */

/* A header (above the text block) or footer (below it). */
typedef struct zp_hf {
  bool footer;
  zp_hf_pages pages;
  const char *text;      /* UTF-8 with ZP_HF_ bytes; one line */
  const zp_style *style; /* its font and size; NULL: the folio's */
  zp_align align;        /* left, center or right in the text block */
  double distance;       /* pt between the text block and the line's em box */
  zp_loc loc;
  struct zp_hf *next;
} zp_hf;

/* A part of the document: its own page set-up, numbering, folio, headers
 * and footers, and blocks [first, last] of the document's chain
 * (doc->first runs through every part's blocks in order; a part with no
 * blocks has first NULL).  A part always starts on a new page. */
typedef struct zp_part {
  zp_part_kind kind;
  zp_page_setup page;
  zp_folio folio;
  bool restart;        /* numbering restarts at start; else it continues */
  int start;           /* the first page's number when restart */
  zp_num_style num;    /* ZP_NUM_NONE: unnumbered */
  bool folio_portrait; /* on a landscape page, the folio stands (rotated)
                          where a portrait page has it */
  zp_place place;      /* a cover's vertical placement */
  const zp_hf *hf;     /* headers and footers, or NULL */
  const char *title;   /* an attachment's title (bound), else NULL */
  int attachment;      /* an attachment's number N (附件N), else 0 */
  zp_block *first, *last;
  zp_loc loc;
  /* its own watermark (a <watermark> in the part), or NULL: the
   * document's; none at all when no_watermark (watermark="no") */
  const zp_watermark *watermark;
  bool no_watermark;
  struct zp_part *next;
} zp_part;

/* A font role as the template defines it. */
typedef struct zp_doc_role {
  const char *name;
  const char *const *families; /* NULL-terminated */
  zp_loc loc;                  /* where the template defines it */
} zp_doc_role;

typedef struct zp_doc {
  zp_arena *arena;
  zp_page_setup page;
  zp_folio folio;
  const char *title, *author, *subject, *keywords; /* PDF Info, may be NULL */
  const char *date;                                /* "YYYY-MM-DD" or NULL */
  const zp_doc_role *roles; /* terminated by a NULL name; may be NULL */
  zp_footnotes footnotes;
  const zp_watermark *watermark; /* NULL: none */
  zp_block *first;
  /* the parts (<part>, <attachment>), or NULL: then the whole body is one
   * sequence on page and folio, as without parts */
  zp_part *parts;
} zp_doc;

void zp_doc_free(zp_doc *doc);

#endif
