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
 *   layout-note.c   footnotes: their lines, the room a page's notes need,
 *                   the note area at a page's foot, per-page numbers;
 *   layout-link.c   links: URLs and link spans found in a text, their
 *                   rectangles on the lines, where each block's first line
 *                   landed, links to blocks resolved after pagination;
 *   layout-contents.c  tables of contents: the entries' lines, and the
 *                   passes until the headings' pages settle.
 *   layout-part.c   parts: each part on its own page set-up, counted then
 *                   drawn; printed page numbers, folios, headers and
 *                   footers, page labels, a cover's placement;
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

/* At most this many layouts of a document with a table of contents before
 * its page numbers must have settled (zp_layout_opts.max_passes). */
#define LAY_MAX_PASSES 5
/* At most this many tables of contents in a document: each lists every
 * heading, so a contents repeated by a loop would grow the document as
 * the square of the data. */
#define LAY_MAX_CONTENTS 8

/* The longest id made a named destination, bytes (a PDF name's limit in
 * libharu). */
#define LAY_MAX_DEST_NAME 127

/* A link on a line: [x0, x1) pt from the line's left edge (line.left) to
 * a URL or to a block's first line. */
typedef struct llink {
  float x0, x1;
  const char *uri;        /* or NULL */
  const zp_block *target; /* when uri is NULL */
} llink;

/* A link found in the text being set: characters [a, b) (code point
 * indices). */
typedef struct lrange {
  uint32_t a, b;
  const char *uri;
  const zp_block *target;
} lrange;

/* Where a block's first line landed: 0-based page, top (PDF y). */
typedef struct lpos {
  const zp_block *blk;
  int page;
  float y;
} lpos;

/* A link of the display list that leads to a block, resolved after
 * pagination. */
typedef struct lpend {
  zp_dl_link *link;
  const zp_block *target;
} lpend;

/* A block's id, for links to it. */
typedef struct lid {
  const char *id;
  const zp_block *blk;
  size_t ord; /* its place in the document */
} lid;

typedef struct lglyph {
  uint32_t cp;
  uint16_t face, gid;
  float x; /* from the line's left edge */
} lglyph;

/* A glyph's look where STYLE spans change it (line.look). */
typedef struct lglook {
  float size;     /* pt */
  float rise;     /* baseline shift, pt up (a superscript) or down (< 0) */
  uint32_t color; /* 0xRRGGBB */
  bool bold;      /* synthesised where its face has no bold */
} lglook;

/* The look of a character while a text is measured (ctx.look). */
typedef struct llook {
  float size, rise;
  uint32_t color;
  int role; /* font role (zp_font_role_find) */
  bool bold;
} llook;

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
  zp_align align; /* as set (a cell's, not its style's) */
  bool hard;      /* ends at a hard line break */
  bool squeezed;  /* a mark of it is compressed (dump: ink) */
  /* each glyph's look, when spans change the size, shift, colour or bold
   * of one of them; NULL: every glyph in the line's (size, bold, the
   * style's colour) */
  const lglook *look;
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
  uint8_t img_at;     /* zp_image_place: FLOW, in the line's box; PAGE, at
                         img_x, img_dy from the page's top-left corner; BLOCK,
                         from the text block's left and the next line's top */
  bool reserve;       /* room only (below a seal): nothing drawn */
  uint32_t cp0;       /* index of its first code point in its text */
  uint32_t note0;     /* the footnotes of the markers it carries: */
  uint16_t nnote;     /* c->notes[note0 .. note0 + nnote) */
  const llink *links; /* in the arena; nlinks of them */
  uint32_t nlinks;
} line;

typedef struct lvec {
  line *v;
  size_t n, cap;
} lvec;

typedef struct lnote lnote; /* a footnote (layout-note.c) */

/* The footnotes a page's note area must hold so far (layout-note.c). */
typedef struct ltally {
  float full; /* the full heights of the notes whose markers it holds */
  float rest; /* of the last of them: all but its first line */
  bool any;
} ltally;

/* A page of a document with parts: its part (index), its number (printed
 * in the part's style) and its index in the part. */
typedef struct lay_pinfo {
  int part, number, in_part;
} lay_pinfo;

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
  uint32_t *off; /* each character's first byte in the text */
  llook *look;   /* each character's look (spans) */
  size_t cap;
  /* footnotes: every one in document order; the current page's share */
  lnote *notes;
  size_t nnotes, capnotes;
  const zp_style *note_style; /* the notes' default style */
  float note_indent;          /* the notes' text after their marker */
  ltally note_page;           /* notes of the markers placed on the page */
  float note_carry;           /* lines of notes continued from before */
  size_t *note_list;          /* the notes of the page being emitted */
  size_t note_nlist, note_caplist;
  float note_body_bottom; /* the lowest of the page's body and tables */
  /* parts (layout-part.c); part NULL: a document without parts */
  const zp_part *part;   /* the part being paginated */
  int part_index;        /* its index in partv */
  const zp_part **partv; /* the parts, in order */
  int *part_pages;       /* pages of each part (the first pass) */
  bool dry;              /* the first pass: pages counted, not drawn */
  int npages;            /* pages emitted in this pass */
  lay_pinfo *pinfo;      /* per page, from the first pass */
  size_t npinfo, cappinfo;
  /* code points already reported missing */
  /* code points already reported missing (kept over the passes: each is
   * reported once) */
  uint32_t *missing;
  size_t nmissing, capmissing;
  /* links (layout-link.c): the ranges of the text being set, each code
   * point's byte offset in it, the blocks' ids (sorted), the first lines'
   * places of this pass and (sorted by block) of the one before, the
   * links waiting for their target's place */
  lrange *ranges;
  size_t nranges, capranges, rcur;
  uint32_t *boff;
  size_t capboff;
  lid *ids;
  size_t nids;
  lpos *pos, *prev;
  size_t npos, cappos, nprev, capprev;
  lpend *plinks;
  size_t nplinks, capplinks;
  int pass; /* 1, 2, …: the layout's pass (a contents' numbers are known
               from the second) */
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
  const zp_span *spans; /* the text's spans (doc.h), or NULL */
  uint32_t nspans;
  bool no_links; /* find no URLs in it (a contents entry links as a whole) */
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
/* Glyphs of code points cps[0..n) in font role role at size, from pen *x
 * (moved past them), into out (room for n): no fitting and no grid (a
 * folio, a note's label, a page number).  Returns n. */
uint32_t lay_text_glyphs(ctx *c, int role, const uint32_t *cps, uint32_t n,
                         float size, lglyph *out, float *x);
/* Natural width of a text set on one line, pt. */
float lay_text_width(ctx *c, const zp_style *st, const char *text, zp_loc loc);
/* The same with the text's spans (their sizes change widths). */
float lay_text_width_spans(ctx *c, const zp_style *st, const char *text,
                           const zp_span *spans, uint32_t nspans, zp_loc loc);

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
/* Fills pages with lines [from, to) (at least one page); false after an
 * error. */
bool lay_page_paginate(ctx *c, size_t from, size_t to);
/* Appends glyphs g[0..n) to page p as runs (one per change of face or
 * look: size, shift, colour, bold), each glyph in its look looks[i] (or,
 * when looks is NULL, all in base), raised by the look's rise; the first's
 * origin at (x0, y) in PDF coordinates, turned angle degrees
 * counter-clockwise about it.  False when out of memory. */
bool lay_page_glyphs(ctx *c, zp_dl_page *p, const lglyph *g,
                     const lglook *looks, uint32_t n, lglook base, float x0,
                     float y, float angle);
/* Writes the UTF-8 of g[0..n) to f (the dump). */
void lay_page_dump_text(FILE *f, const lglyph *g, uint32_t n);

/* Draws a line whose box starts at top (pt from the block's top); tag goes
 * into its dump line after "line".  False when out of memory. */
bool lay_page_draw_line(ctx *c, zp_dl_page *p, const line *l, float top,
                        const char *tag);

/* ---- layout-note.c ---- */

/* Readies the footnotes of doc: their style and the indent of their text
 * after the marker.  False after an error. */
bool lay_note_prepare(ctx *c);
/* Finds the footnote markers (NOTE spans) of a text set into lines
 * ls[0..n) (their cp0 set), sets each line's notes and sets the notes'
 * text into lines.  A marker without a note and a note taller than a
 * page's text block are errors at loc (the marker's or the note's own
 * location when known).  False after an error. */
bool lay_note_scan(ctx *c, line *ls, size_t n, const char *text,
                   const zp_span *spans, uint32_t nspans, zp_loc loc);
/* Adds to *t the notes of lines ls[0..n) not yet begun on a page. */
void lay_note_tally(const ctx *c, const line *ls, size_t n, ltally *t);
/* The height the current page's note area needs (0 without notes) with
 * the notes of t (may be NULL) added: continued lines, the full notes
 * but the last, its first line, the rule and its spaces. */
float lay_note_need(const ctx *c, const ltally *t);
/* Counts the notes of t on the current page. */
void lay_note_count(ctx *c, const ltally *t);
/* Begins emitting a page of lines [from, to) and the pending table parts:
 * collects its notes (continued ones first, then in marker order),
 * numbers them (per page: the markers' text changed in place, with the
 * glyphs' places kept).  False when out of memory. */
bool lay_note_begin_page(ctx *c, size_t from, size_t to);
/* Draws the page's note area (rule, lines, markers) at the block's foot,
 * as many lines as fit below the body; the rest continue on the next
 * page.  With p NULL (a page only counted), the same without drawing.
 * False after an error. */
bool lay_note_end_page(ctx *c, zp_dl_page *p, size_t from, size_t to);
/* The dump's "notes=N,… " of a line: its markers whose notes begin on the
 * page being emitted (not those of a header row repeated later). */
void lay_note_dump_markers(ctx *c, const line *l);
/* True while some note has lines left for a next page. */
bool lay_note_pending(const ctx *c);
/* Places every note afresh, as before the first page (layout-part.c
 * paginates twice: counting, then drawing). */
void lay_note_restart(ctx *c);
/* Forgets the notes of a previous layout pass (layout.c reruns the layout
 * until a table of contents settles). */
void lay_note_new_pass(ctx *c);
/* Frees what the footnotes hold outside the arena. */
void lay_note_free(ctx *c);

/* ---- layout-link.c ---- */

/* Collects the document's block ids (once per layout); false when out of
 * memory. */
bool lay_link_ids(ctx *c);
/* The links of the text r sets, its n code points decoded in c->cp: link
 * spans (to a URL, or to the block with the span's target id: an unknown
 * id is an error at the span) and URLs in the text (http://, https://,
 * www. up to a space or a full-width character), as c->ranges sorted and
 * disjoint.  False after an error. */
bool lay_link_ranges(ctx *c, const shape_req *r, size_t n);
/* Adds to l a link [x0, x1) (from l->left) of range k; false when out of
 * memory. */
bool lay_link_add(ctx *c, line *l, float x0, float x1, const lrange *k);
/* Adds a link to block target over [x0, x1) of l (a contents entry). */
bool lay_link_add_to(ctx *c, line *l, float x0, float x1,
                     const zp_block *target);
/* Draws l's links on page p (page index pno, 0-based), its box's top at
 * PDF y top; false when out of memory. */
bool lay_link_emit(ctx *c, zp_dl_page *p, const line *l, float top);
/* Records that block b's first line is on page pno (0-based) at PDF y. */
bool lay_link_place(ctx *c, const zp_block *b, int pno, float y);
/* After pagination: sorts the places by block, sets every link to a
 * block to its place, and makes a named destination of every block id;
 * false after an error. */
bool lay_link_resolve(ctx *c);
/* The place of block b in the previous pass (NULL: none). */
const lpos *lay_link_prev(const ctx *c, const zp_block *b);
/* Ends a pass: its places become the previous pass's. */
void lay_link_next_pass(ctx *c);

/* ---- layout-contents.c ---- */
/* The text of heading e as a contents entry or a bookmark shows it: without
 * its footnote markers (the NOTE spans' text); e->text itself when it has
 * none, else a copy in c's arena; NULL when out of memory. */
const char *lay_contents_text(ctx *c, const zp_block *e);

/* Is there a table of contents in the document?  More than
 * LAY_MAX_CONTENTS is an error at the first one too many (*ok false). */
bool lay_contents_present(ctx *c, bool *ok);
/* Sets the entries of contents block b into the document's lines: the
 * first with break brk and space before; the page numbers from the
 * previous pass (blank in the first).  False after an error. */
bool lay_contents_lines(ctx *c, const zp_block *b, uint8_t brk, float before);
/* After a pass from the second on: did every heading stay on the page the
 * contents said?  When not and this was the last pass allowed (last), an
 * error at the contents naming a heading that moves. */
bool lay_contents_settled(ctx *c, bool last);

/* ---- layout-part.c ---- */

/* Turns the blocks from first up to end (exclusive) into lines. */
typedef bool (*lay_blocks_fn)(ctx *c, const zp_block *first,
                              const zp_block *end);
/* Lays out a document with parts: each part's blocks into lines (with
 * blocks) on its page set-up, the pages counted, then drawn; the page
 * labels.  False after an error. */
bool lay_part_layout(ctx *c, lay_blocks_fn blocks);
/* Sets the page area (text block, pitches) of c from ps. */
void lay_part_setup(ctx *c, const zp_page_setup *ps);
/* Records 0-based page page of c->part (the first pass); false when out of
 * memory. */
bool lay_part_count_page(ctx *c, int page);
/* Moves the lines [from, to) of a cover that fits its page to where its
 * valign puts them. */
void lay_part_place(ctx *c, size_t from, size_t to);
/* Draws page page's folio, header and footer (the second pass). */
bool lay_part_furniture(ctx *c, zp_dl_page *p, int page);
/* The printed number of 0-based page page, in its part's style, without the
 * folio's decoration ("1", "iv", "三"; "" when unnumbered), in buf (n
 * bytes); returns buf.  Known once the first pass has counted the pages;
 * a document without parts numbers its pages 1, 2, 3. */
const char *lay_page_number(ctx *c, int page, char *buf, size_t n);
/* The same number as page page's folio prints it, its format's decoration
 * included ("— 1 —", "第1页"; {pages} and {part-pages} as known), or as
 * lay_page_number gives it when the folio's format has no {n}.  In buf (n
 * bytes); returns buf. */
const char *lay_page_folio(ctx *c, int page, char *buf, size_t n);

#endif
