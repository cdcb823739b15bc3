/* diag.c — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct zp_diag {
  FILE *out;
  bool strict;
  int errors, warnings;
  char *log; /* every message, newline separated */
  size_t len, cap;
  size_t last; /* offset of the last message in log */
};

zp_diag *zp_diag_new(FILE *out) {
  zp_diag *d = calloc(1, sizeof *d);
  if (d)
    d->out = out;
  return d;
}

void zp_diag_free(zp_diag *d) {
  if (!d)
    return;
  free(d->log);
  free(d);
}

void zp_diag_set_strict(zp_diag *d, bool strict) { d->strict = strict; }

static void append(zp_diag *d, const char *s, size_t n) {
  if (d->len + n + 1 > d->cap) {
    size_t cap = d->cap ? d->cap * 2 : 1024;
    while (cap < d->len + n + 1)
      cap *= 2;
    char *p = realloc(d->log, cap);
    if (!p)
      return;
    d->log = p;
    d->cap = cap;
  }
  memcpy(d->log + d->len, s, n);
  d->len += n;
  d->log[d->len] = 0;
}

void zp_diag_report(zp_diag *d, zp_severity sev, zp_loc loc, const char *fmt,
                    ...) {
  if (sev == ZP_WARNING && d->strict)
    sev = ZP_ERROR;
  if (sev == ZP_ERROR)
    d->errors++;
  else if (sev == ZP_WARNING)
    d->warnings++;
  /* room for a file name of PATH_MAX and its line:col; a message names a
   * path or two and quotes a short excerpt */
  char head[4096 + 64] = "", msg[12288];
  if (loc.file && loc.line > 0 && loc.col > 0)
    snprintf(head, sizeof head, "%s:%d:%d: ", loc.file, loc.line, loc.col);
  else if (loc.file && loc.line > 0)
    snprintf(head, sizeof head, "%s:%d: ", loc.file, loc.line);
  else if (loc.file)
    snprintf(head, sizeof head, "%s: ", loc.file);
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  const char *what = sev == ZP_ERROR     ? "error"
                     : sev == ZP_WARNING ? "warning"
                                         : "note";
  if (d->out)
    fprintf(d->out, "%s%s: %s\n", head, what, msg);
  d->last = d->len;
  append(d, head, strlen(head));
  append(d, what, strlen(what));
  append(d, ": ", 2);
  append(d, msg, strlen(msg));
  append(d, "\n", 1);
}

int zp_diag_errors(const zp_diag *d) { return d->errors; }
int zp_diag_warnings(const zp_diag *d) { return d->warnings; }

const char *zp_diag_last(const zp_diag *d) {
  return d->log ? d->log + d->last : "";
}

bool zp_diag_contains(const zp_diag *d, const char *needle) {
  return d->log && strstr(d->log, needle) != NULL;
}
