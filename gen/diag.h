/* diag.h — the diagnostic sink every stage reports into.
 *
 * A diagnostic has a severity, a location (file:line:col, any part may be
 * absent) and a message.  Messages are printed as they arrive, in the form
 *   FILE:LINE:COL: error: MESSAGE
 *     the offending source line
 *          ^
 * to the stream given at creation (NULL: collected only, for tests): like
 * a compiler's, the source line follows (each file read once, on first
 * use) with a caret under the column when it is known.  The log that
 * zp_diag_last() and zp_diag_contains() read holds the messages alone.
 * Under strict mode warnings count as errors.
 */
#ifndef ZP_DIAG_H
#define ZP_DIAG_H

#include <stdbool.h>
#include <stdio.h>

typedef enum { ZP_NOTE, ZP_WARNING, ZP_ERROR } zp_severity;

/* A place in an input file.  file NULL: no file; line/col 0: unknown. */
typedef struct zp_loc {
  const char *file;
  int line, col;
} zp_loc;

typedef struct zp_diag zp_diag;

/* Creates a sink printing to out (may be NULL).  Free with zp_diag_free(). */
zp_diag *zp_diag_new(FILE *out);
void zp_diag_free(zp_diag *d);

/* Warnings become errors. */
void zp_diag_set_strict(zp_diag *d, bool strict);

/* Source lines and carets after each message (default: on when the sink
 * prints). */
void zp_diag_set_excerpts(zp_diag *d, bool on);

/* The column (1-based, in characters) of needle in file at *line or one of
 * the 7 lines after it (then *line is moved there); 0 when not found or
 * the file is unreadable.  For callers that know what they point at (an
 * attribute, a field) but not its column. */
int zp_diag_column(zp_diag *d, const char *file, int *line, const char *needle);

/* Reports one diagnostic.  The location strings are copied. */
void zp_diag_report(zp_diag *d, zp_severity sev, zp_loc loc, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

#define zp_error(d, ...) zp_diag_report((d), ZP_ERROR, __VA_ARGS__)
#define zp_warn(d, ...) zp_diag_report((d), ZP_WARNING, __VA_ARGS__)

/* The name among names[0..n) nearest to word by edit distance (on
 * characters), for "did you mean"; NULL when none is close (more than a
 * third of word's characters, at least one, would change). */
const char *zp_diag_nearest(const char *word, const char *const *names, int n);

/* Number of errors (warnings included under strict mode) so far. */
int zp_diag_errors(const zp_diag *d);
int zp_diag_warnings(const zp_diag *d);

/* The text of the last diagnostic, formatted as printed ("" if none): for
 * tests. */
const char *zp_diag_last(const zp_diag *d);

/* Returns true when some diagnostic printed so far contains needle: for
 * tests.  A needle may leave out a location's column ("t.xml:12: error:"
 * finds "t.xml:12:5: error:"). */
bool zp_diag_contains(const zp_diag *d, const char *needle);

#endif
