/* pdf.h — the PDF writer: a display list to a PDF file, through libharu.
 *
 * Each face used is subset (zp_font_subset) to the glyphs the display list
 * draws and embedded as a Type0/CIDFontType2 font with Identity-H encoding
 * and a bfrange ToUnicode CMap, so that text extracts and copies correctly.
 * Info strings and bookmarks are written in UTF-8 (UTF-16BE in the file).
 * The same display list always gives the same bytes: no date is written
 * unless dl->date is set.  libharu's types never leave the PDF writer's
 * files (gen/pdf*.c and its private gen/pdf-imp.h).
 */
#ifndef ZP_PDF_H
#define ZP_PDF_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "dlist.h"
#include "font.h"

/* Writes dl to the file path (created or truncated).  The caller makes the
 * write atomic (temporary file + rename).  Returns false with an error
 * naming path when anything fails. */
bool zp_pdf_write(const zp_dl *dl, zp_fontset *fs, const char *path,
                  zp_diag *d);

/* Writes dl to the stream out (not closed; the caller checks its write
 * errors on flushing, and makes the file atomic, see out.h).  The document
 * is built in memory and written only when complete, so a failure writes
 * nothing.  name is the file's name for messages.  Returns false with an
 * error naming name when anything fails. */
bool zp_pdf_write_stream(const zp_dl *dl, zp_fontset *fs, FILE *out,
                         const char *name, zp_diag *d);

#endif
