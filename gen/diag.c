/* diag.c — see diag.h. */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* A source file read for excerpts, once; lines found as needed. */
typedef struct src {
  char *name;
  char *text; /* NULL: unreadable (then no excerpt) */
  size_t len;
  size_t *starts; /* offsets of the lines' starts, made on first use */
  int nlines;
  struct src *next;
} src;

/* Source files are read for excerpts up to this size: templates are at
 * most 4 MB, and a data file past 64 MB is shown without excerpts. */
#define MAX_SOURCE (64L << 20)

struct zp_diag {
  FILE *out;
  bool strict;
  bool excerpts; /* print the source line and a caret under the column */
  src *sources;
  int errors, warnings;
  char *log; /* every message, newline separated */
  size_t len, cap;
  size_t last; /* offset of the last message in log */
};

zp_diag *zp_diag_new(FILE *out) {
  zp_diag *d = calloc(1, sizeof *d);
  if (d) {
    d->out = out;
    d->excerpts = out != NULL;
  }
  return d;
}

void zp_diag_free(zp_diag *d) {
  if (!d)
    return;
  for (src *s = d->sources, *next; s; s = next) {
    next = s->next;
    free(s->name);
    free(s->text);
    free(s->starts);
    free(s);
  }
  free(d->log);
  free(d);
}

void zp_diag_set_excerpts(zp_diag *d, bool on) { d->excerpts = on; }

/* The source named file, read on first use (a regular file only). */
static src *source(zp_diag *d, const char *file) {
  for (src *s = d->sources; s; s = s->next)
    if (strcmp(s->name, file) == 0)
      return s;
  src *s = calloc(1, sizeof *s);
  if (!s)
    return NULL;
  s->name = strdup(file);
  struct stat st;
  FILE *f = NULL;
  if (s->name && stat(file, &st) == 0 && S_ISREG(st.st_mode) &&
      st.st_size <= MAX_SOURCE && (f = fopen(file, "rb"))) {
    s->text = malloc((size_t)st.st_size + 1);
    if (s->text) {
      s->len = fread(s->text, 1, (size_t)st.st_size, f);
      s->text[s->len] = 0;
    }
  }
  if (f)
    fclose(f);
  s->next = d->sources;
  d->sources = s;
  return s;
}

/* The start of line (1-based) of s and its length in *n; NULL when there
 * is no such line. */
static const char *line_of(src *s, int line, size_t *n) {
  if (!s || !s->text || line < 1)
    return NULL;
  if (!s->starts) { /* once: the lines' starts, so a lookup is direct */
    int count = 1;
    for (size_t i = 0; i < s->len; i++)
      count += s->text[i] == '\n';
    s->starts = malloc(sizeof *s->starts * (size_t)count);
    if (!s->starts)
      return NULL;
    s->starts[0] = 0;
    s->nlines = 1;
    for (size_t i = 0; i < s->len; i++)
      if (s->text[i] == '\n')
        s->starts[s->nlines++] = i + 1;
  }
  if (line > s->nlines)
    return NULL;
  const char *p = s->text + s->starts[line - 1], *end = s->text + s->len;
  const char *e = memchr(p, '\n', (size_t)(end - p));
  *n = (size_t)((e ? e : end) - p);
  if (*n && p[*n - 1] == '\r')
    (*n)--;
  return p;
}

/* Bytes of the first k UTF-8 characters of p (at most n bytes). */
static size_t chars_bytes(const char *p, size_t n, int k) {
  size_t i = 0;
  for (int c = 0; i < n && c < k; c++) {
    i++;
    while (i < n && ((unsigned char)p[i] & 0xC0) == 0x80)
      i++;
  }
  return i;
}

/* Terminal columns of n bytes of UTF-8 at p: East Asian wide characters
 * (U+1100 and from U+2E80) take two, a tab is kept as a tab. */
static void caret_pad(FILE *out, const char *p, size_t n) {
  for (size_t i = 0; i < n;) {
    unsigned char c = (unsigned char)p[i];
    unsigned cp = c;
    size_t k = 1;
    if (c >= 0xF0 && i + 3 < n + 3)
      cp = 0x10000, k = 4;
    else if (c >= 0xE0)
      cp = (unsigned)((c & 0x0F) << 12) |
           (unsigned)(((unsigned char)p[i + 1] & 0x3F) << 6),
      k = 3;
    else if (c >= 0xC0)
      cp = 0x100, k = 2;
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || cp >= 0x2E80;
    fputs(c == '\t' ? "\t" : wide ? "  " : " ", out);
    i += k;
  }
}

/* Prints the source line of loc, then a caret under loc.col when known.
 * A line of more than 100 bytes (minified JSON) is shown as 60 bytes
 * around the column, with "…" where it is cut. */
static void excerpt(zp_diag *d, zp_loc loc) {
  size_t n;
  const char *p = line_of(source(d, loc.file), loc.line, &n);
  if (!p)
    return;
  size_t at = loc.col > 0 ? chars_bytes(p, n, loc.col - 1) : 0;
  size_t from = 0, to = n;
  if (n > 100) {
    from = at > 30 ? at - 30 : 0;
    while (from > 0 && ((unsigned char)p[from] & 0xC0) == 0x80)
      from--;
    to = from + 60 < n ? from + 60 : n;
    while (to < n && ((unsigned char)p[to] & 0xC0) == 0x80)
      to++;
  }
  fprintf(d->out, "  %s%.*s%s\n", from ? "…" : "", (int)(to - from), p + from,
          to < n ? "…" : "");
  if (loc.col > 0) {
    fputs(from ? "   " : "  ", d->out);
    caret_pad(d->out, p + from, at - from);
    fputs("^\n", d->out);
  }
}

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
}

int zp_diag_column(zp_diag *d, const char *file, int *line,
                   const char *needle) {
  if (!file || !needle || !*needle)
    return 0;
  src *s = source(d, file);
  for (int l = *line; l < *line + 8; l++) {
    size_t n;
    const char *p = line_of(s, l, &n);
    if (!p)
      return 0;
    size_t k = strlen(needle);
    /* "<cel" is not the start of "<cell" */
    bool tag = needle[0] == '<' && name_char(needle[k - 1]);
    for (size_t i = 0; i + k <= n; i++)
      if (memcmp(p + i, needle, k) == 0 &&
          !(tag && i + k < n && name_char(p[i + k]))) {
        int col = 1;
        for (size_t j = 0; j < i; j++)
          col += ((unsigned char)p[j] & 0xC0) != 0x80;
        *line = l;
        return col;
      }
  }
  return 0;
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

/* The length of the well-formed UTF-8 sequence at p (1 for ASCII), 0 when
 * there is none (a stray byte, or a character cut short by a "%.60s"). */
static size_t utf8_len(const unsigned char *p) {
  size_t n = *p < 0x80             ? 1
             : (*p & 0xE0) == 0xC0 ? 2
             : (*p & 0xF0) == 0xE0 ? 3
             : (*p & 0xF8) == 0xF0 ? 4
                                   : 0;
  for (size_t i = 1; i < n; i++)
    if ((p[i] & 0xC0) != 0x80)
      return 0;
  return n;
}

/* Writes the control characters of msg (from the data or a template's
 * attribute: a newline, an escape sequence for the terminal) as \n, \t,
 * \r or \xHH, and so the bytes that are no UTF-8 (a character cut short),
 * so that a message stays one line of text and prints as written; what
 * does not fit in size is cut. */
static void visible(char *msg, size_t size) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)msg; *p;) {
    size_t l = utf8_len(p);
    n += l == 0 || *p < 0x20 || *p == 0x7F;
    p += l ? l : 1;
  }
  if (!n)
    return;
  char *copy = strdup(msg);
  if (!copy)
    return;
  size_t k = 0;
  for (const unsigned char *p = (const unsigned char *)copy; *p;) {
    char esc[8];
    size_t l = utf8_len(p), e = l;
    if (l && *p >= 0x20 && *p != 0x7F) {
      memcpy(esc, p, l);
    } else if (*p == '\n' || *p == '\t' || *p == '\r') {
      e = (size_t)snprintf(esc, sizeof esc, "\\%c",
                           *p == '\n'   ? 'n'
                           : *p == '\t' ? 't'
                                        : 'r');
    } else {
      e = (size_t)snprintf(esc, sizeof esc, "\\x%02X", *p);
    }
    p += l ? l : 1;
    if (k + e >= size)
      break;
    memcpy(msg + k, esc, e);
    k += e;
  }
  msg[k] = 0;
  free(copy);
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
  visible(msg, sizeof msg);
  const char *what = sev == ZP_ERROR     ? "error"
                     : sev == ZP_WARNING ? "warning"
                                         : "note";
  if (d->out) {
    fprintf(d->out, "%s%s: %s\n", head, what, msg);
    if (d->excerpts && loc.file && loc.line > 0)
      excerpt(d, loc);
  }
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
  if (!d->log)
    return false;
  if (strstr(d->log, needle))
    return true;
  /* the log without the columns of the messages' locations, so that a
   * needle "t.xml:12: error: …" finds "t.xml:12:5: error: …" */
  char *plain = malloc(d->len + 1);
  if (!plain)
    return false;
  size_t k = 0;
  for (size_t i = 0; i < d->len;) {
    size_t eol = i;
    while (eol < d->len && d->log[eol] != '\n')
      eol++;
    const char *at = strstr(d->log + i, ": error: ");
    const char *w = strstr(d->log + i, ": warning: ");
    const char *n = strstr(d->log + i, ": note: ");
    const char *head = at;
    if (!head || (w && w < head))
      head = w;
    if (!head || (n && n < head))
      head = n;
    size_t cut_from = 0, cut_to = 0; /* the ":COL" before the head */
    if (head && head < d->log + eol) {
      const char *q = head;
      while (q > d->log + i && q[-1] >= '0' && q[-1] <= '9')
        q--;
      const char *r = q > d->log + i && q[-1] == ':' ? q - 1 : NULL;
      const char *t = r;
      while (t && t > d->log + i && t[-1] >= '0' && t[-1] <= '9')
        t--;
      if (r && q < head && t < r && t > d->log + i && t[-1] == ':') {
        cut_from = (size_t)(r - d->log);
        cut_to = (size_t)(head - d->log);
      }
    }
    for (size_t j = i; j <= eol && j < d->len; j++)
      if (!(j >= cut_from && j < cut_to))
        plain[k++] = d->log[j];
    i = eol + 1;
  }
  plain[k] = 0;
  bool found = strstr(plain, needle) != NULL;
  free(plain);
  return found;
}

/* The code points of UTF-8 s, at most max of them, into out; their count. */
static int code_points(const char *s, unsigned *out, int max) {
  int n = 0;
  while (*s && n < max) {
    unsigned char c = (unsigned char)*s++;
    unsigned cp = c;
    int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
    cp = more ? c & (0x3F >> more) : c;
    for (; more && ((unsigned char)*s & 0xC0) == 0x80; more--)
      cp = cp << 6 | ((unsigned char)*s++ & 0x3F);
    out[n++] = cp;
  }
  return n;
}

/* Names longer than this are not compared (the table is quadratic). */
#define MAX_NAME 64

const char *zp_diag_nearest(const char *word, const char *const *names, int n) {
  unsigned a[MAX_NAME], b[MAX_NAME];
  int la = code_points(word, a, MAX_NAME);
  if (la == 0 || la == MAX_NAME)
    return NULL;
  const char *best = NULL;
  int bestd = la / 3 > 1 ? la / 3 : 1; /* at most a third of it wrong */
  bestd++;
  for (int k = 0; k < n; k++) {
    if (!names[k] || strcmp(names[k], word) == 0)
      continue;
    int lb = code_points(names[k], b, MAX_NAME);
    if (lb == MAX_NAME || abs(lb - la) >= bestd)
      continue;
    /* optimal string alignment: a transposition ("styel") counts one */
    int r0[MAX_NAME + 1], r1[MAX_NAME + 1], r2[MAX_NAME + 1];
    int *pp = r0, *p = r1, *cur = r2;
    for (int j = 0; j <= lb; j++)
      p[j] = j;
    for (int i = 1; i <= la; i++) {
      cur[0] = i;
      for (int j = 1; j <= lb; j++) {
        int v = p[j - 1] + (a[i - 1] != b[j - 1]);
        if (p[j] + 1 < v)
          v = p[j] + 1;
        if (cur[j - 1] + 1 < v)
          v = cur[j - 1] + 1;
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
            pp[j - 2] + 1 < v)
          v = pp[j - 2] + 1;
        cur[j] = v;
      }
      int *t = pp;
      pp = p;
      p = cur;
      cur = t;
    }
    int *row = p;
    if (row[lb] < bestd) {
      bestd = row[lb];
      best = names[k];
    }
  }
  return best;
}
