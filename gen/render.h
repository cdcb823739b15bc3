/* render.h — one report, from loaded inputs to a PDF file.
 *
 * What `zpgen render` and each batch worker do for a report: bind the data
 * to the template, lay the document out with a font set and write the
 * PDF.  The caller owns the template, the data and the font set, so a
 * worker keeps them (and the faces' subsetting preparation) from report to
 * report; the bytes written are the same either way.  The PDF and the dump
 * go to streams the caller opened: it makes them atomic (out.h: temporary
 * file + rename).
 */
#ifndef ZP_RENDER_H
#define ZP_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "font.h"
#include "json.h"
#include "tmpl.h"

/* Exit statuses, as documented in README.md. */
enum {
  ZP_RENDER_OK = 0,
  ZP_RENDER_INPUT = 1, /* bad data or template, a failed check, --strict */
  ZP_RENDER_IO = 3     /* a file could not be read or written, no font */
};

typedef struct zp_render_opts {
  const char *const *font_dirs; /* NULL-terminated user font dirs, or NULL */
  bool allow_inconsistent;      /* failed checks are warnings */
  const char *date;             /* "YYYY-MM-DD" when the data has none */
  bool debug; /* the debug overlay (layout.h), in the PDF's optional-content
                 group "zpgen debug" */
  const char *watermark; /* --watermark TEXT: a text watermark on every page
                            (the template's watermark settings, else the
                            defaults), or NULL */
} zp_render_opts;

typedef struct zp_render_info {
  int pages; /* of the PDF written */
} zp_render_info;

/* Whether text may be a --watermark (1 to 200 bytes of UTF-8, no control
 * characters); when not, zp_render_watermark_why says why. */
bool zp_render_watermark_ok(const char *text);
const char *zp_render_watermark_why(const char *text);

/* Checks that path is a regular file that can be read (without blocking on
 * a FIFO or a device), before any work is done on it; false with an error
 * naming it (what: "template", "data") when not. */
bool zp_render_readable(const char *path, const char *what, zp_diag *d);

/* Reads the n data files at paths (n >= 1) and merges them into one tree
 * (zp_json_merge: members added file by file, a member two files define
 * an error unless both are objects).  Returns NULL with an error, and
 * *rc set to ZP_RENDER_IO when a file cannot be read (else
 * ZP_RENDER_INPUT).  Free with zp_json_free(). */
zp_json_doc *zp_render_load_data(const char *const *paths, int n, int *rc,
                                 zp_diag *d);

/* Renders template t with data and writes the PDF to pdf (named pdf_name
 * in messages; the PDF is built in memory and written whole, once it is
 * complete) and, when dump is not NULL, the layout dump to dump.  *fs: the
 * font set to use, its roles already defined for t; when *fs is NULL one
 * is made (the user directories of o, the roles of t) after the data is
 * bound, and stored in *fs for the caller to free (zp_fontset_free), even
 * on failure.  info (may be NULL) gets what was written.  The streams stay
 * the caller's.  Returns a ZP_RENDER_ status; every problem is reported in
 * d, but for a write error on dump (ZP_RENDER_IO, nothing written to pdf),
 * which shows on the stream for the caller to report. */
int zp_render_pdf(const zp_template *t, const zp_json_doc *data,
                  zp_fontset **fs, const zp_render_opts *o, FILE *pdf,
                  const char *pdf_name, FILE *dump, zp_render_info *info,
                  zp_diag *d);

/* A font set with the roles of t (the built-in roles when t defines none),
 * user_dirs first (NULL-terminated, may be NULL).  NULL with an error.
 * Free with zp_fontset_free(). */
zp_fontset *zp_render_fonts(const zp_template *t, const char *const *user_dirs,
                            zp_diag *d);

/* The user font directories of a render, most preferred first, those that
 * exist: the --fonts ones, $ZPGEN_FONTS (colon-separated), fonts/ beside
 * the template's directory, ./fonts, and an installed zpgen's
 * PREFIX/share/zpgen/fonts.  The strings live in the structure (or are
 * the caller's --fonts strings). */
typedef struct zp_render_dirs {
  const char *dirs[24]; /* NULL-terminated */
  int n;
  char env[2048], beside_template[4096], installed[4096];
} zp_render_dirs;

/* Fills out from the nfonts --fonts directories and the template's path
 * (may be NULL). */
void zp_render_font_dirs(const char *const *fonts, int nfonts,
                         const char *template_path, zp_render_dirs *out);

/* YYYY-MM-DD from $SOURCE_DATE_EPOCH into buf (at least 32 bytes), or
 * NULL when it is unset or invalid (see zp_render_epoch_error). */
const char *zp_render_epoch_date(char *buf, size_t size);

/* NULL when $SOURCE_DATE_EPOCH is unset, empty or a whole number of seconds
 * from 0 to 253402300799 (9999-12-31); else a message (static) naming it
 * and what is expected.  render, watch and batch refuse an invalid one
 * (a usage error) before any work. */
const char *zp_render_epoch_error(void);

#endif
