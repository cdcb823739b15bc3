/* layout.h — the layout engine: a document tree to finished pages.
 *
 * Text is measured with the font module (never by the PDF library), broken
 * into lines by the brk module, justified by spreading each line's slack
 * between its characters, set on the page grid, and paginated with
 * keep-with-next, widow and orphan control and explicit page breaks.
 * The result is a display list; the input is not modified.  A document
 * with a table of contents (ZP_BLOCK_CONTENTS) is laid out again, with the
 * page numbers the last layout gave its headings, until no heading moves
 * (at most max_passes times; then an error at the contents).  Links (URLs
 * in the text, link spans, contents entries) become display-list links.
 */
#ifndef ZP_LAYOUT_H
#define ZP_LAYOUT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "dlist.h"
#include "doc.h"
#include "font.h"

typedef struct zp_layout_opts {
  FILE *dump;     /* when not NULL, a plain-text dump of every page goes here */
  bool debug;     /* each page gets the debug layer (dlist.h zp_dl_mark): text
                     block, grids, line boxes and baselines, cell boxes and
                     padding, and at its foot why the page broke there */
  int max_passes; /* layouts of a document with a table of contents before
                     its numbers must have settled; 0: 5 */
} zp_layout_opts;

/* Lays out doc with the fonts of fs.  The font roles the styles name must
 * already be defined in fs (zp_layout_define_roles).  A character no face
 * has is a warning naming the block's location (an error under strict
 * diagnostics).  Returns the display list (free with zp_dl_free), or NULL
 * when an error was reported. */
zp_dl *zp_layout(const zp_doc *doc, zp_fontset *fs, const zp_layout_opts *o,
                 zp_diag *d);

/* Defines in fs every role of roles (a template's, NULL-name terminated),
 * or the built-in roles when roles is NULL or empty.  Returns false when a
 * role cannot be resolved (with a note where the template defines it). */
bool zp_layout_define_roles(const zp_doc_role *roles, zp_fontset *fs,
                            zp_diag *d);

#endif
