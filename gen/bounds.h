/* bounds.h — some internal limits, each with its reason.
 *
 * Templates are shared between bureaus and data comes from many clerks, so
 * both are untrusted: every number they give is checked against these
 * limits where it is read, and a hit is an error naming the template's
 * file:line (or the JSON path and the data's line:col), never a silent
 * cut, a crash or a run that does not end.  README.md ("Limits") lists
 * them for users.
 */
#ifndef ZP_BOUNDS_H
#define ZP_BOUNDS_H

/* ---- the template ---- */

/* Parentheses, unary minus signs, "not" and calls in an expression ({=…},
 * <check equals>, <if test>) nest by recursion in calc.c: deeper is refused so
 * that no expression can overflow the stack.  Real rules nest 3 or 4 deep. */
#define ZP_CALC_MAX_DEPTH 64

/* Operators and operands of one expression: a chain "a + b + c …" is a
 * tree as deep as it is long, evaluated by recursion; real rules have a
 * dozen. */
#define ZP_CALC_MAX_OPS 1000

/* Columns of a table.  Each column holds at least a character: 100
 * columns of 五号 already fill an A3 landscape text block. */
#define ZP_MAX_COLUMNS 100

/* rowspan, widows, orphans, min-split-lines and the like: small counts.
 * A value past this is a typo, and would overflow int arithmetic. */
#define ZP_MAX_COUNT 100000

/* Font sizes, pt.  libharu refuses sizes above 600 pt; 300 pt (10.6 cm) is
 * seven times 初号 and still leaves a character room on an A4 text block. */
#define ZP_MIN_FONT_SIZE 1.0
#define ZP_MAX_FONT_SIZE 300.0

/* Any length, pt: 14,400 pt (5.08 m) is the largest page PDF and libharu
 * allow, so no length on a page can be longer.  Lengths with a place on
 * the page (indents, column widths, margins) are checked against the
 * page's own text block as well. */
#define ZP_MAX_LENGTH 14400.0

/* Grid lines and characters of the page grid: 200 lines on the largest
 * A3 text block is a 1.7 pt pitch, far below readable text. */
#define ZP_MAX_GRID 200

/* Rules and frames of tables, and cell padding, pt (2 mm and 20 mm).  A
 * rule is drawn on a cell's border, half of it over the cell: 2 mm (the
 * heaviest frame a form has is 1.5 pt) keeps it off text with the default
 * padding, and the column widths count it. */
#define ZP_MAX_RULE 5.67
#define ZP_MAX_PADDING 56.7

/* Digits of a number in the template (lengths, weights, grade bands):
 * more are a typo, and no exponent is allowed, so every number is finite
 * and exact enough. */
#define ZP_MAX_NUMBER_CHARS 24

/* Inline elements (<b>, <sup>, <span>, <a>, <note> …) inside one another:
 * a superscript inside bold inside a coloured span is 3; past 8 nothing
 * typographic is left to say, and the layout resolves a character's look
 * through a stack of this depth. */
#define ZP_MAX_INLINE_DEPTH 8

/* ---- the work the binder does ----
 *
 * Macros may call themselves 32 deep (bind.c), and a 2 KB template whose
 * macros each call the next ten times would expand 10^30 times; loops in
 * loops over the same array grow as its square.  So the binder keeps a
 * budget, linear in the size of the data and of the template, however
 * the template combines them: steps (every template node visited, every
 * loop iteration, every field, every value a sum reaches) and bytes of
 * text produced.  The size of the data is its number of values plus the
 * bytes of its strings, keys and numbers; that of the template, its nodes
 * plus the bytes of its texts (so a long template of literal text is never
 * refused).  The sample reports use under 0.1 step and about 1 byte per
 * unit of data: 32 steps a unit is 300 times that, and keeps a hostile
 * template's work on the largest data file (64 MB) to about 2 billion
 * steps; the base (4 MB of text) is some 2,000 pages. */
#define ZP_BIND_STEPS_BASE 1000000L
#define ZP_BIND_STEPS_PER_DATA 32L
#define ZP_BIND_STEPS_PER_TEMPLATE 16L
#define ZP_BIND_BYTES_BASE (4L << 20)
#define ZP_BIND_BYTES_PER_DATA 64L
#define ZP_BIND_BYTES_PER_TEMPLATE 16L
/* A span (an inline element's range, doc.h) is charged as this many bytes
 * of text, about its size, and as one step. */
#define ZP_BIND_BYTES_PER_SPAN 80L

/* A data file is read whole into memory (as a tree, about ten times its
 * size): the largest real data is a few hundred KB, and 64 MB holds some
 * 300,000 table rows -- far past the page limit below. */
#define ZP_MAX_DATA_BYTES (64L << 20)

/* ---- images ----
 *
 * An image (image.h) is read whole and embedded once per PDF; a scanned
 * seal or logo is 20-500 KB, a photograph a few MB.  16 MB a file, and a
 * decoded size of 16 million pixels (libharu holds an image's pixels
 * decoded while it writes it: 64 MB for RGBA), 16,384 pixels a side. */
#define ZP_MAX_IMAGE_BYTES (16L << 20)
#define ZP_MAX_IMAGE_PIXELS (16L << 20)
#define ZP_MAX_IMAGE_SIDE 16384

/* ---- the PDF ---- */

/* Pages of a document.  libharu's page tree holds at most 32,767 pages,
 * and layout keeps every page in memory (about 100 KB each): 10,000 pages
 * is 500 times the longest real report and stays under 1 GB. */
#define ZP_MAX_PAGES 10000

/* Bytes of UTF-8 in a section title (a bookmark) or an Info property:
 * libharu writes them as UTF-16 strings of at most 65,535 bytes, and
 * 32,000 bytes of UTF-8 never need more. */
#define ZP_MAX_TEXT_STRING 32000

#endif
