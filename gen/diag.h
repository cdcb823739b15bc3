/* diag.h — the diagnostic sink every stage reports into.
 *
 * A diagnostic has a severity, a location (file:line:col, any part may be
 * absent) and a message.  Messages are printed as they arrive, in the form
 *   FILE:LINE:COL: error: MESSAGE
 * to the stream given at creation (NULL: collected only, for tests).  Under
 * strict mode warnings count as errors.
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

/* Reports one diagnostic.  The location strings are copied. */
void zp_diag_report(zp_diag *d, zp_severity sev, zp_loc loc, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

#define zp_error(d, ...) zp_diag_report((d), ZP_ERROR, __VA_ARGS__)
#define zp_warn(d, ...) zp_diag_report((d), ZP_WARNING, __VA_ARGS__)

/* Number of errors (warnings included under strict mode) so far. */
int zp_diag_errors(const zp_diag *d);
int zp_diag_warnings(const zp_diag *d);

/* The text of the last diagnostic, formatted as printed ("" if none): for
 * tests. */
const char *zp_diag_last(const zp_diag *d);

/* Returns true when some diagnostic printed so far contains needle: for
 * tests. */
bool zp_diag_contains(const zp_diag *d, const char *needle);

#endif
