/* sheet.c — see sheet.h. */
#include "sheet.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deflate.h"
#include "file.h"
#include "tmpl.h"

/* ---- cell references ---- */

bool zp_sheet_parse_ref(const char *s, int *row, int *col, const char **end) {
  int c = 0, r = 0, nl = 0, nd = 0;
  while (*s >= 'A' && *s <= 'Z' && nl < 3) {
    c = c * 26 + (*s++ - 'A' + 1);
    nl++;
  }
  if (!nl || c > ZP_SHEET_MAX_COL || *s == '0')
    return false;
  while (*s >= '0' && *s <= '9' && nd < 8) {
    r = r * 10 + (*s++ - '0');
    nd++;
  }
  if (!nd || r > ZP_SHEET_MAX_ROW || (*s >= '0' && *s <= '9') ||
      (*s >= 'A' && *s <= 'Z'))
    return false;
  *row = r;
  *col = c;
  if (end)
    *end = s;
  return true;
}

char *zp_sheet_ref(int row, int col, char *buf) {
  char letters[8];
  int n = 0;
  for (int c = col; c > 0 && n < 7; c = (c - 1) / 26)
    letters[n++] = (char)('A' + (c - 1) % 26);
  int k = 0;
  while (n)
    buf[k++] = letters[--n];
  snprintf(buf + k, 16 - (size_t)k, "%d", row);
  return buf;
}

/* ---- the sheet being built ---- */

typedef struct builder {
  zp_sheet *s;
  size_t cap, capm;
  zp_diag *d;
} builder;

static zp_sheet *sheet_new(const char *file, const char *name) {
  zp_arena *a = zp_arena_new();
  if (!a)
    return NULL;
  zp_sheet *s = zp_arena_alloc(a, sizeof *s);
  if (!s) {
    zp_arena_free(a);
    return NULL;
  }
  s->arena = a;
  s->file = zp_arena_strdup(a, file);
  s->name = zp_arena_strdup(a, name);
  return s;
}

/* The merged ranges covering a column, by first row (indices into
 * s->merges). */
struct zp_sheet_col {
  bool built, overlap, reported;
  int orow; /* the first row where two ranges overlap */
  size_t n;
  uint32_t *v;
};

void zp_sheet_free(zp_sheet *s) {
  if (s) {
    if (s->cols)
      for (int c = 0; c <= ZP_SHEET_MAX_COL; c++)
        free(s->cols[c].v);
    free(s->cols);
    free(s->cells);
    free(s->merges);
    zp_arena_free(s->arena);
  }
}

static bool add_cell(builder *b, const zp_scell *c) {
  zp_sheet *s = b->s;
  if (s->ncells == ZP_SHEET_MAX_CELLS) {
    zp_error(b->d, (zp_loc){s->file, 0, 0},
             "sheet \"%s\" has more than %d cells", s->name,
             ZP_SHEET_MAX_CELLS);
    return false;
  }
  if (s->ncells == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 256;
    zp_scell *v = realloc(s->cells, sizeof *v * cap);
    if (!v) {
      zp_error(b->d, (zp_loc){s->file, 0, 0}, "out of memory");
      return false;
    }
    s->cells = v;
    b->cap = cap;
  }
  s->cells[s->ncells++] = *c;
  return true;
}

static bool add_merge(builder *b, const zp_merge *m) {
  zp_sheet *s = b->s;
  if (s->nmerges == ZP_SHEET_MAX_CELLS) {
    zp_error(b->d, (zp_loc){s->file, 0, 0}, "too many merged cells");
    return false;
  }
  if (s->nmerges == b->capm) {
    size_t cap = b->capm ? 2 * b->capm : 64;
    zp_merge *v = realloc(s->merges, sizeof *v * cap);
    if (!v) {
      zp_error(b->d, (zp_loc){s->file, 0, 0}, "out of memory");
      return false;
    }
    s->merges = v;
    b->capm = cap;
  }
  s->merges[s->nmerges++] = *m;
  return true;
}

static int cmp_cell(const void *a, const void *b) {
  const zp_scell *x = a, *y = b;
  if (x->row != y->row)
    return x->row < y->row ? -1 : 1;
  return (x->col > y->col) - (x->col < y->col);
}

static int cmp_merge(const void *a, const void *b) {
  const zp_merge *x = a, *y = b;
  if (x->r0 != y->r0)
    return x->r0 < y->r0 ? -1 : 1;
  return (x->c0 > y->c0) - (x->c0 < y->c0);
}

/* Sorts the cells and merges; a cell given twice is an error (overlapping
 * merged ranges are found per column, zp_sheet_check_column). */
static bool finish(builder *b) {
  zp_sheet *s = b->s;
  char ref[16];
  if (s->ncells) /* qsort wants a pointer even for nothing */
    qsort(s->cells, s->ncells, sizeof *s->cells, cmp_cell);
  for (size_t i = 1; i < s->ncells; i++)
    if (cmp_cell(&s->cells[i - 1], &s->cells[i]) == 0) {
      zp_error(b->d, (zp_loc){s->file, 0, 0},
               "sheet \"%s\", cell %s: the cell is given twice", s->name,
               zp_sheet_ref(s->cells[i].row, s->cells[i].col, ref));
      return false;
    }
  if (s->nmerges)
    qsort(s->merges, s->nmerges, sizeof *s->merges, cmp_merge);
  return true;
}

const zp_scell *zp_sheet_get(const zp_sheet *s, int row, int col) {
  size_t lo = 0, hi = s->ncells;
  zp_scell key = {row, col, ZP_SCELL_EMPTY, NULL, 0};
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = cmp_cell(&key, &s->cells[mid]);
    if (c == 0)
      return s->cells[mid].type == ZP_SCELL_EMPTY ? NULL : &s->cells[mid];
    if (c < 0)
      hi = mid;
    else
      lo = mid + 1;
  }
  return NULL;
}

/* The index of column col, built if need be; NULL when out of memory. */
static struct zp_sheet_col *column(zp_sheet *s, int col) {
  if (col < 1 || col > ZP_SHEET_MAX_COL)
    return NULL;
  if (!s->cols && !(s->cols = calloc(ZP_SHEET_MAX_COL + 1, sizeof *s->cols)))
    return NULL;
  struct zp_sheet_col *k = &s->cols[col];
  if (k->built)
    return k;
  size_t n = 0;
  for (size_t i = 0; i < s->nmerges; i++)
    n += s->merges[i].c0 <= col && col <= s->merges[i].c1;
  if (n && !(k->v = malloc(sizeof *k->v * n)))
    return NULL;
  /* s->merges is sorted by first row: so is each column's list */
  for (size_t i = 0; i < s->nmerges; i++)
    if (s->merges[i].c0 <= col && col <= s->merges[i].c1) {
      const zp_merge *m = &s->merges[i];
      if (k->n && !k->overlap && s->merges[k->v[k->n - 1]].r1 >= m->r0) {
        k->overlap = true;
        k->orow = m->r0;
      }
      k->v[k->n++] = (uint32_t)i;
    }
  k->built = true;
  return k;
}

bool zp_sheet_check_column(zp_sheet *s, int col, zp_diag *d) {
  struct zp_sheet_col *k = column(s, col);
  char ref[16];
  if (!k) {
    zp_error(d, (zp_loc){s->file, 0, 0}, "out of memory");
    return false;
  }
  if (k->overlap) {
    if (!k->reported) /* once, however many cells of the column are read */
      zp_error(d, (zp_loc){s->file, 0, 0},
               "sheet \"%s\", cell %s: two merged ranges overlap", s->name,
               zp_sheet_ref(k->orow, col, ref));
    k->reported = true;
    return false;
  }
  return true;
}

const zp_merge *zp_sheet_merge_at(zp_sheet *s, int row, int col) {
  struct zp_sheet_col *k = column(s, col);
  if (!k) { /* out of memory: the slow way */
    for (size_t i = 0; i < s->nmerges; i++) {
      const zp_merge *m = &s->merges[i];
      if (m->r0 <= row && row <= m->r1 && m->c0 <= col && col <= m->c1)
        return m;
    }
    return NULL;
  }
  /* the last range starting at or above row */
  size_t lo = 0, hi = k->n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (s->merges[k->v[mid]].r0 <= row)
      lo = mid + 1;
    else
      hi = mid;
  }
  if (!lo)
    return NULL;
  const zp_merge *m = &s->merges[k->v[lo - 1]];
  return m->r1 >= row ? m : NULL;
}

/* Is s (n bytes) a JSON number? */
static bool json_number(const char *s, size_t n) {
  size_t i = 0;
  if (i < n && s[i] == '-')
    i++;
  if (i >= n || s[i] < '0' || s[i] > '9')
    return false;
  if (s[i] == '0')
    i++;
  else
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  if (i < n && s[i] == '.') {
    if (++i >= n || s[i] < '0' || s[i] > '9')
      return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    i++;
    if (i < n && (s[i] == '+' || s[i] == '-'))
      i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
      return false;
    while (i < n && s[i] >= '0' && s[i] <= '9')
      i++;
  }
  return i == n;
}

/* A number cell from its text: the shortest of %.15g and %.17g that reads
 * back as the same double ("63.47", not "63.469999999999999"). */
static bool number_cell(zp_arena *a, const char *text, zp_scell *c) {
  size_t n = strlen(text);
  while (n && text[n - 1] == ' ')
    n--;
  while (n && *text == ' ')
    text++, n--;
  char tmp[64];
  if (!n || n >= sizeof tmp)
    return false;
  memcpy(tmp, text, n);
  tmp[n] = 0;
  char *end;
  errno = 0;
  double v = strtod(tmp, &end);
  if (*end || !isfinite(v) || errno == ERANGE)
    return false;
  char out[40];
  snprintf(out, sizeof out, "%.15g", v);
  if (strtod(out, NULL) != v)
    snprintf(out, sizeof out, "%.17g", v);
  if (!json_number(out, strlen(out)))
    return false;
  c->type = ZP_SCELL_NUMBER;
  c->number = v;
  c->text = zp_arena_strdup(a, out);
  return c->text != NULL;
}

/* ---- zip ---- */

typedef struct zmember {
  const char *name;
  unsigned method, flags;
  uint32_t crc, csize, usize, offset;
} zmember;

typedef struct zipf {
  const char *path;
  const unsigned char *p;
  size_t len;
  zmember *m;
  size_t n;
  size_t total; /* bytes inflated so far */
  zp_arena *a;
  zp_diag *d;
} zipf;

static unsigned u16(const unsigned char *p) {
  return p[0] | (unsigned)p[1] << 8;
}
static uint32_t u32(const unsigned char *p) {
  return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
         (uint32_t)p[3] << 24;
}

static bool zip_bad(zipf *z, const char *what) {
  zp_error(z->d, (zp_loc){z->path, 0, 0},
           "not a readable .xlsx workbook (a zip file): %s", what);
  return false;
}

/* Reads the central directory. */
static bool zip_open(zipf *z) {
  if (z->len < 22)
    return zip_bad(z, "too short");
  size_t lo = z->len > 22 + 65535 ? z->len - 22 - 65535 : 0, eocd = SIZE_MAX;
  for (size_t i = z->len - 22 + 1; i-- > lo;)
    if (u32(z->p + i) == 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd == SIZE_MAX)
    return zip_bad(z, "no end of central directory");
  const unsigned char *e = z->p + eocd;
  unsigned count = u16(e + 10);
  uint32_t size = u32(e + 12), off = u32(e + 16);
  if (u16(e + 4) != 0 || u16(e + 6) != 0 || u16(e + 8) != count)
    return zip_bad(z, "a multi-part archive");
  if (count == 0xFFFF || off == 0xFFFFFFFF)
    return zip_bad(z, "a ZIP64 archive (larger than zpgen reads)");
  if ((size_t)off > eocd || (size_t)size > eocd - off)
    return zip_bad(z, "the central directory lies outside the file");
  z->m = zp_arena_alloc(z->a, sizeof *z->m * (count ? count : 1));
  if (!z->m)
    return zip_bad(z, "out of memory");
  size_t at = off, end = (size_t)off + size;
  for (unsigned i = 0; i < count; i++) {
    if (end - at < 46 || u32(z->p + at) != 0x02014b50)
      return zip_bad(z, "a damaged central directory");
    const unsigned char *h = z->p + at;
    size_t nl = u16(h + 28), xl = u16(h + 30), cl = u16(h + 32);
    if (end - at - 46 < nl + xl + cl)
      return zip_bad(z, "a damaged central directory");
    zmember *m = &z->m[z->n++];
    m->flags = u16(h + 8);
    m->method = u16(h + 10);
    m->crc = u32(h + 16);
    m->csize = u32(h + 20);
    m->usize = u32(h + 24);
    m->offset = u32(h + 42);
    m->name = zp_arena_strndup(z->a, (const char *)h + 46, nl);
    if (!m->name)
      return zip_bad(z, "out of memory");
    at += 46 + nl + xl + cl;
  }
  return true;
}

/* The member named name, inflated and NUL-terminated (malloc'd, *n its
 * length), or NULL: with an error, unless it is absent and optional. */
static char *zip_read(zipf *z, const char *name, bool optional, size_t *n) {
  const zmember *m = NULL;
  for (size_t i = 0; i < z->n && !m; i++)
    if (strcmp(z->m[i].name, name) == 0)
      m = &z->m[i];
  char what[512];
  if (!m) {
    if (!optional) {
      snprintf(what, sizeof what, "it has no %s", name);
      zip_bad(z, what);
    }
    return NULL;
  }
  if (m->flags & 1) {
    snprintf(what, sizeof what, "%s is encrypted", name);
    zip_bad(z, what);
    return NULL;
  }
  if (m->method != 0 && m->method != 8) {
    snprintf(what, sizeof what,
             "%s is compressed with method %u (zpgen "
             "reads stored and deflated members)",
             name, m->method);
    zip_bad(z, what);
    return NULL;
  }
  if (m->usize > ZP_SHEET_MAX_MEMBER ||
      z->total + m->usize > ZP_SHEET_MAX_TOTAL ||
      (m->usize > (1u << 20) &&
       m->usize / (m->csize ? m->csize : 1) > ZP_SHEET_MAX_RATIO)) {
    snprintf(what, sizeof what,
             "%s would inflate to %u bytes from %u (more than zpgen reads: "
             "at most %u bytes a member, %u in all, %d times compressed)",
             name, m->usize, m->csize, ZP_SHEET_MAX_MEMBER, ZP_SHEET_MAX_TOTAL,
             ZP_SHEET_MAX_RATIO);
    zip_bad(z, what);
    return NULL;
  }
  size_t lh = m->offset;
  if (lh > z->len || z->len - lh < 30 || u32(z->p + lh) != 0x04034b50) {
    snprintf(what, sizeof what, "the header of %s is damaged", name);
    zip_bad(z, what);
    return NULL;
  }
  size_t data = lh + 30 + u16(z->p + lh + 26) + u16(z->p + lh + 28);
  if (data > z->len || z->len - data < m->csize ||
      (m->method == 0 && m->csize != m->usize)) {
    snprintf(what, sizeof what, "%s lies outside the file", name);
    zip_bad(z, what);
    return NULL;
  }
  char *out = malloc((size_t)m->usize + 1);
  if (!out) {
    zip_bad(z, "out of memory");
    return NULL;
  }
  bool ok = m->method == 0
                ? (memcpy(out, z->p + data, m->usize), true)
                : zp_inflate_raw(z->p + data, m->csize, out, m->usize);
  if (ok && zp_crc32(out, m->usize) != m->crc)
    ok = false;
  if (!ok) {
    snprintf(what, sizeof what,
             "%s is damaged (it does not inflate to its "
             "stated size and checksum)",
             name);
    zip_bad(z, what);
    free(out);
    return NULL;
  }
  z->total += m->usize;
  out[m->usize] = 0;
  *n = m->usize;
  return out;
}

/* Reads and parses member name as XML into the arena (NULL with an error,
 * or silently when optional and absent). */
static zp_tnode *zip_xml(zipf *z, const char *name, bool optional) {
  size_t n;
  char *text = zip_read(z, name, optional, &n);
  if (!text)
    return NULL;
  char label[1024];
  snprintf(label, sizeof label, "%s(%s)", z->path, name);
  zp_tnode *root = zp_tmpl_read_xml(z->a, text, n, label, z->d);
  free(text);
  return root;
}

/* ---- workbook XML ---- */

static const zp_tnode *child(const zp_tnode *n, const char *name) {
  for (const zp_tnode *c = n ? n->child : NULL; c; c = c->next)
    if (c->name && strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

static const zp_tnode *next_named(const zp_tnode *c, const char *name) {
  for (; c; c = c->next)
    if (c->name && strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

/* The text of n's text children, appended to *buf (grown). */
static bool text_of(const zp_tnode *n, char **buf, size_t *len, size_t *cap) {
  for (const zp_tnode *c = n->child; c; c = c->next) {
    if (c->name)
      continue;
    size_t k = strlen(c->text);
    if (*len + k + 1 > *cap) {
      size_t nc = (*len + k + 1) * 2;
      char *b = realloc(*buf, nc);
      if (!b)
        return false;
      *buf = b;
      *cap = nc;
    }
    memcpy(*buf + *len, c->text, k + 1);
    *len += k;
  }
  return true;
}

/* A string item (<si> or <is>): its <t>, or the <t> of each run <r>
 * (phonetic runs <rPh> left out). */
static const char *string_item(zp_arena *a, const zp_tnode *si) {
  char *buf = NULL;
  size_t len = 0, cap = 0;
  bool ok = true;
  for (const zp_tnode *c = si->child; c && ok; c = c->next) {
    if (!c->name)
      continue;
    if (strcmp(c->name, "t") == 0)
      ok = text_of(c, &buf, &len, &cap);
    else if (strcmp(c->name, "r") == 0 && child(c, "t"))
      ok = text_of(child(c, "t"), &buf, &len, &cap);
  }
  const char *s = ok ? zp_arena_strdup(a, buf ? buf : "") : NULL;
  free(buf);
  return s;
}

/* The member path of a relationship target relative to xl/, or NULL when
 * it would leave the package. */
static const char *target_path(zp_arena *a, const char *t) {
  char buf[1024];
  if (t[0] == '/')
    snprintf(buf, sizeof buf, "%s", t + 1);
  else
    snprintf(buf, sizeof buf, "xl/%s", t);
  for (const char *p = buf; *p; p++)
    if ((p == buf || p[-1] == '/') && p[0] == '.' && p[1] == '.' &&
        (p[2] == '/' || !p[2]))
      return NULL;
  return zp_arena_strdup(a, buf);
}

/* Reads the sheet element's cells and merged ranges. */
static bool read_cells(builder *b, zipf *z, const zp_tnode *ws,
                       const char **strings, size_t nstrings) {
  zp_sheet *s = b->s;
  char ref[16];
  int row = 0;
  const zp_tnode *data = child(ws, "sheetData");
  for (const zp_tnode *r = next_named(data ? data->child : NULL, "row"); r;
       r = next_named(r->next, "row")) {
    const char *ra = zp_tmpl_attr(r, "r");
    if (ra) {
      char *end;
      long v = strtol(ra, &end, 10);
      if (*end || v <= row || v > ZP_SHEET_MAX_ROW) {
        zp_error(b->d, (zp_loc){s->file, 0, 0},
                 "sheet \"%s\": a row numbered \"%s\" after row %d", s->name,
                 ra, row);
        return false;
      }
      row = (int)v;
    } else if (++row > ZP_SHEET_MAX_ROW) {
      zp_error(b->d, (zp_loc){s->file, 0, 0}, "sheet \"%s\": too many rows",
               s->name);
      return false;
    }
    int col = 0;
    for (const zp_tnode *c = next_named(r->child, "c"); c;
         c = next_named(c->next, "c")) {
      const char *cr = zp_tmpl_attr(c, "r");
      int crow = row, ccol = col + 1;
      const char *end;
      if (cr && (!zp_sheet_parse_ref(cr, &crow, &ccol, &end) || *end ||
                 crow != row)) {
        zp_error(b->d, (zp_loc){s->file, 0, 0},
                 "sheet \"%s\", row %d: a cell with the reference \"%s\"",
                 s->name, row, cr);
        return false;
      }
      if (ccol > ZP_SHEET_MAX_COL) {
        zp_error(b->d, (zp_loc){s->file, 0, 0},
                 "sheet \"%s\", row %d: too many columns", s->name, row);
        return false;
      }
      col = ccol;
      zp_sheet_ref(row, col, ref);
      const char *t = zp_tmpl_attr(c, "t");
      const zp_tnode *v = child(c, "v");
      char *vt = NULL;
      size_t vl = 0, vc = 0;
      if (v && !text_of(v, &vt, &vl, &vc)) {
        free(vt);
        zp_error(b->d, (zp_loc){s->file, 0, 0}, "out of memory");
        return false;
      }
      zp_scell cell = {row, col, ZP_SCELL_EMPTY, NULL, 0};
      bool ok = true;
      if (t && strcmp(t, "inlineStr") == 0) {
        const zp_tnode *is = child(c, "is");
        cell.type = ZP_SCELL_TEXT;
        ok = (cell.text = is ? string_item(s->arena, is) : "") != NULL;
      } else if (!v) {
        /* a styled cell with no value: empty */
      } else if (t && strcmp(t, "s") == 0) {
        char *e;
        unsigned long k = strtoul(vt, &e, 10);
        if (!*vt || *e || k >= nstrings) {
          zp_error(b->d, (zp_loc){s->file, 0, 0},
                   "sheet \"%s\", cell %s: shared string \"%s\" does not "
                   "exist (the workbook has %zu)",
                   s->name, ref, vt, nstrings);
          free(vt);
          return false;
        }
        cell.type = ZP_SCELL_TEXT;
        cell.text = strings[k];
      } else if (t && (strcmp(t, "str") == 0 || strcmp(t, "e") == 0)) {
        cell.type = strcmp(t, "e") == 0 ? ZP_SCELL_ERROR : ZP_SCELL_TEXT;
        ok = (cell.text = zp_arena_strdup(s->arena, vt)) != NULL;
      } else if (t && strcmp(t, "b") == 0) {
        cell.type = ZP_SCELL_BOOL;
        cell.text = strcmp(vt, "1") == 0 ? "TRUE" : "FALSE";
      } else if (!t || strcmp(t, "n") == 0) {
        if (!number_cell(s->arena, vt, &cell)) {
          zp_error(b->d, (zp_loc){s->file, 0, 0},
                   "sheet \"%s\", cell %s: a number cell holds \"%.40s\"",
                   s->name, ref, vt);
          free(vt);
          return false;
        }
      } else {
        zp_error(b->d, (zp_loc){s->file, 0, 0},
                 "sheet \"%s\", cell %s: unknown cell type \"%s\"", s->name,
                 ref, t);
        free(vt);
        return false;
      }
      free(vt);
      if (!ok) {
        zp_error(b->d, (zp_loc){s->file, 0, 0}, "out of memory");
        return false;
      }
      if (cell.type != ZP_SCELL_EMPTY && !add_cell(b, &cell))
        return false;
    }
  }
  const zp_tnode *mc = child(ws, "mergeCells");
  for (const zp_tnode *m = next_named(mc ? mc->child : NULL, "mergeCell"); m;
       m = next_named(m->next, "mergeCell")) {
    const char *r = zp_tmpl_attr(m, "ref"), *end;
    zp_merge g;
    if (!r || !zp_sheet_parse_ref(r, &g.r0, &g.c0, &end) || *end != ':' ||
        !zp_sheet_parse_ref(end + 1, &g.r1, &g.c1, &end) || *end ||
        g.r1 < g.r0 || g.c1 < g.c0) {
      zp_error(b->d, (zp_loc){s->file, 0, 0},
               "sheet \"%s\": a merged range \"%s\"", s->name, r ? r : "");
      return false;
    }
    if (!add_merge(b, &g))
      return false;
  }
  (void)z;
  return finish(b);
}

zp_sheet *zp_sheet_read_xlsx(const char *path, const char *sheet, zp_diag *d) {
  char *file = NULL;
  size_t len = 0;
  zp_sheet *s = NULL, *ret = NULL;
  zp_arena *a = zp_arena_new();
  if (!a)
    return NULL;
  if (!zp_file_read(path, "workbook", (zp_loc){0}, ZP_SHEET_MAX_FILE, &file,
                    &len, d))
    goto done;
  if (len > ZP_SHEET_MAX_FILE) {
    zp_error(d, (zp_loc){path, 0, 0}, "the workbook is larger than %u bytes",
             ZP_SHEET_MAX_FILE);
    goto done;
  }
  zipf z = {path, (const unsigned char *)file, len, NULL, 0, 0, a, d};
  if (!zip_open(&z))
    goto done;
  const zp_tnode *wb = zip_xml(&z, "xl/workbook.xml", false);
  if (!wb)
    goto done;
  const zp_tnode *rels = zip_xml(&z, "xl/_rels/workbook.xml.rels", false);
  if (!rels)
    goto done;
  /* the sheet: by name, or the first */
  const zp_tnode *sh = NULL, *sheets = child(wb, "sheets");
  char names[1024] = "";
  for (const zp_tnode *c = next_named(sheets ? sheets->child : NULL, "sheet");
       c; c = next_named(c->next, "sheet")) {
    const char *nm = zp_tmpl_attr(c, "name");
    if (!nm)
      continue;
    size_t k = strlen(names);
    snprintf(names + k, sizeof names - k, "%s\"%s\"", k ? ", " : "", nm);
    if (!sh && (!sheet || strcmp(nm, sheet) == 0))
      sh = c;
  }
  if (!sh) {
    zp_error(d, (zp_loc){path, 0, 0},
             sheet ? "the workbook has no sheet \"%s\" (its sheets: %s)"
                   : "the workbook has no sheet%s%s",
             sheet ? sheet : "", names);
    goto done;
  }
  const char *id = zp_tmpl_attr(sh, "id"), *target = NULL;
  for (const zp_tnode *r = next_named(rels->child, "Relationship");
       r && id && !target; r = next_named(r->next, "Relationship")) {
    const char *rid = zp_tmpl_attr(r, "Id");
    if (rid && strcmp(rid, id) == 0)
      target = zp_tmpl_attr(r, "Target");
  }
  const char *member = target ? target_path(a, target) : NULL;
  if (!member) {
    zp_error(d, (zp_loc){path, 0, 0}, "the workbook's sheet \"%s\" has %s",
             zp_tmpl_attr(sh, "name"),
             target ? "a target outside the workbook" : "no part");
    goto done;
  }
  /* shared strings (a workbook of numbers only has none) */
  const char **strings = NULL;
  size_t nstrings = 0;
  const zp_tnode *sst = zip_xml(&z, "xl/sharedStrings.xml", true);
  if (!sst && zp_diag_errors(d))
    goto done;
  if (sst) {
    size_t cap = 0;
    for (const zp_tnode *si = next_named(sst->child, "si"); si;
         si = next_named(si->next, "si"))
      cap++;
    strings = zp_arena_alloc(a, sizeof *strings * (cap ? cap : 1));
    if (!strings)
      goto done;
    for (const zp_tnode *si = next_named(sst->child, "si"); si;
         si = next_named(si->next, "si"))
      if (!(strings[nstrings++] = string_item(a, si)))
        goto done;
  }
  const zp_tnode *ws = zip_xml(&z, member, false);
  if (!ws)
    goto done;
  s = sheet_new(path, zp_tmpl_attr(sh, "name"));
  if (!s)
    goto done;
  /* the strings are in a; the sheet keeps its own copies of what it uses */
  builder b = {s, 0, 0, d};
  const char **own = zp_arena_alloc(s->arena, sizeof *own * (nstrings + 1));
  for (size_t i = 0; own && i < nstrings; i++)
    if (!(own[i] = zp_arena_strdup(s->arena, strings[i])))
      own = NULL;
  if (!own) {
    zp_error(d, (zp_loc){path, 0, 0}, "out of memory");
    goto done;
  }
  if (!read_cells(&b, &z, ws, own, nstrings))
    goto done;
  ret = s;
  s = NULL;
done:
  zp_sheet_free(s);
  zp_arena_free(a);
  free(file);
  return ret;
}

/* ---- CSV ---- */

zp_sheet *zp_sheet_read_csv(const char *path, zp_diag *d) {
  char *text = NULL;
  size_t len = 0;
  zp_sheet *s = NULL, *ret = NULL;
  char *field = NULL;
  if (!zp_file_read(path, "CSV file", (zp_loc){0}, ZP_SHEET_MAX_FILE, &text,
                    &len, d))
    return NULL;
  const char *base = strrchr(path, '/');
  if (!(s = sheet_new(path, base ? base + 1 : path)) ||
      !(field = malloc(len + 1))) {
    zp_error(d, (zp_loc){path, 0, 0}, "out of memory");
    goto done;
  }
  builder b = {s, 0, 0, d};
  s->csv = true;
  size_t i = 0;
  int row = 1, col = 1, line = 1;
  if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    i = 3; /* a byte-order mark, as Excel writes */
  while (i < len) {
    size_t n = 0;
    bool quoted = false;
    int at = line;
    if (text[i] == '"') {
      quoted = true;
      for (i++;; i++) {
        if (i >= len) {
          zp_error(d, (zp_loc){path, at, 0}, "a quoted field is not closed");
          goto done;
        }
        if (text[i] == '"') {
          if (i + 1 < len && text[i + 1] == '"') {
            field[n++] = '"';
            i++;
            continue;
          }
          i++;
          break;
        }
        line += text[i] == '\n';
        field[n++] = text[i];
      }
    } else {
      while (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
        if (text[i] == '"') {
          zp_error(d, (zp_loc){path, line, 0},
                   "a double quote inside an unquoted field (quote the "
                   "field and double the quote)");
          goto done;
        }
        field[n++] = text[i++];
      }
    }
    if (i < len && text[i] != ',' && text[i] != '\n' && text[i] != '\r') {
      zp_error(d, (zp_loc){path, line, 0},
               "text after a quoted field's closing quote");
      goto done;
    }
    field[n] = 0;
    if (row > ZP_SHEET_MAX_ROW || col > ZP_SHEET_MAX_COL) {
      zp_error(d, (zp_loc){path, line, 0}, "too many rows or columns");
      goto done;
    }
    zp_scell c = {row, col, ZP_SCELL_EMPTY, NULL, 0};
    if (n && !quoted && json_number(field, n)) {
      if (!number_cell(s->arena, field, &c)) {
        zp_error(d, (zp_loc){path, line, 0}, "the number %s is out of range",
                 field);
        goto done;
      }
    } else if (n) {
      c.type = ZP_SCELL_TEXT;
      if (!(c.text = zp_arena_strndup(s->arena, field, n))) {
        zp_error(d, (zp_loc){path, 0, 0}, "out of memory");
        goto done;
      }
    }
    if (c.type != ZP_SCELL_EMPTY && !add_cell(&b, &c))
      goto done;
    if (i < len && text[i] == ',') {
      i++;
      col++;
      if (i == len) /* a trailing comma: an empty last field */
        break;
    } else {
      if (i < len && text[i] == '\r')
        i++;
      if (i < len && text[i] == '\n')
        i++;
      line++;
      row++;
      col = 1;
    }
  }
  if (!finish(&b))
    goto done;
  ret = s;
  s = NULL;
done:
  zp_sheet_free(s);
  free(field);
  free(text);
  return ret;
}

zp_sheet *zp_sheet_read(const char *path, const char *sheet, zp_diag *d) {
  size_t n = strlen(path);
  if (n > 5 && strcmp(path + n - 5, ".xlsx") == 0)
    return zp_sheet_read_xlsx(path, sheet, d);
  return zp_sheet_read_csv(path, d);
}
