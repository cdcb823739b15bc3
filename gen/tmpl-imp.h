/* tmpl-imp.h — private to the template loader (tmpl.c) and its compiler
 * (tcompile.c and tcompile-*.c, which share tcompile-imp.h besides);
 * nothing else includes it.
 *
 * tmpl.c reads and validates the XML and converts it into zp_tnode trees
 * (names, attributes, fields); the compiler then compiles those trees once:
 * it sets every node's kind and its parsed attributes (zp_tnode.as),
 * resolves styles, macros and the defaults, reads the page, folio,
 * numbering and grades into the zp_template, and checks every expression,
 * so that the binder (bind.c) only evaluates.
 */
#ifndef ZP_TMPL_IMP_H
#define ZP_TMPL_IMP_H

#include "tmpl.h"

/* Compiles the converted template t (its top list gathered).  Every static
 * error is reported at its file:line; returns false when there was one. */
bool zp_tmpl_compile(zp_template *t, zp_diag *d);

/* ---- shared between the compiler's files ---- */

/* A length as a template writes it ("37mm", "16pt", "2em", "1line", "0"),
 * em and line the sizes of an em and a line in pt; false when malformed
 * or longer than ZP_MAX_LENGTH (tcompile-read.c). */
bool zp_tmpl_length(const char *s, double em, double line, double *out);
/* A font size: a 号 name or pt, ZP_MIN_FONT_SIZE to ZP_MAX_FONT_SIZE;
 * false when malformed or out of range (tcompile-read.c). */
bool zp_tmpl_font_size(const char *s, double *out);
/* A plain decimal number ("0.15", "-45"), finite; false when malformed
 * (tcompile-read.c). */
bool zp_tmpl_number(const char *s, double *out);
/* Where attribute attr of n is written, line and column (tcompile-read.c). */
zp_loc zp_tmpl_at_attr(zp_diag *d, const zp_tnode *n, const char *attr);
/* Adds path to t->files (what a batch fingerprints and watch watches),
 * once; false when out of memory (tmpl.c). */
bool zp_tmpl_note_file(zp_template *t, const char *path);

/* ---- timage.c: images, the signature block, the watermark ---- */

/* The image that attribute attr of n names (a path relative to the file
 * that holds n), read and checked once per template, with the sizes,
 * alignment, position and opacity of n's other attributes (for <image>:
 * width, height, align, position, x, y, opacity, layer).  NULL after an
 * error (reported at the attribute). */
const zp_doc_image *zp_timage_image(zp_template *t, const zp_tnode *n,
                                    const char *attr, zp_diag *d);
/* Compiles a <signature> (seal, seal-size, right-indent) into
 * n->as.sign.sign. */
void zp_timage_signature(zp_template *t, zp_tnode *n, zp_diag *d);
/* Compiles a <watermark> (the style sheet's, or a part's own), in t's
 * arena; NULL after an error. */
const zp_watermark *zp_timage_watermark(zp_template *t, const zp_tnode *n,
                                        zp_diag *d);

#endif
