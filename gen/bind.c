/* bind.c — see bind.h. */
#include "bind.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "calc.h"
#include "fmt.h"

#define MM (72.0 / 25.4)
#define MAX_VARS 64
#define MAX_LEVELS 8
#define MAX_USE_DEPTH 32
#define MAX_STYLES 128

typedef struct var {
  const char *name;
  const zp_json *val;
  long iter; /* which iteration of its loop: for merged cells */
} var;

typedef struct level {
  const char *format, *prefix, *suffix, *heading_style, *item_style;
  bool outline;
} level;

typedef struct named_style {
  const char *name;
  const zp_tnode *node;
  zp_style *resolved;
  bool resolving;
} named_style;

/* A growable text buffer, charged to a budget of bytes: past it nothing
 * more is appended (the caller reports it). */
typedef struct sbuf {
  char *s;
  size_t n, cap;
  long *left; /* bytes the binder may still produce */
} sbuf;

/* A body cell with an explicit rowspan: row, index in the row, <cell>. */
typedef struct rowspan_rec {
  int row, k;
  zp_loc loc;
} rowspan_rec;

/* A merged cell being extended down: template cell + loop iteration. */
typedef struct span_rec {
  const zp_tnode *node;
  long iter;
  zp_cell *cell;
  int last_row; /* the last row the cell covers so far */
} span_rec;

typedef struct binder {
  const zp_template *t;
  const zp_json_doc *data;
  zp_diag *d;
  zp_doc *doc;
  zp_arena *a;
  var vars[MAX_VARS];
  int nvars;
  long iters;
  int counters[MAX_LEVELS + 1];
  int depth;
  level levels[MAX_LEVELS + 1];
  named_style styles[MAX_STYLES];
  int nstyles;
  int use_depth;
  int tables;
  zp_block *tail;
  double line_pitch;       /* the page grid's, for "line" lengths */
  zp_loc data_loc;         /* of the first field of the text being built */
  const zp_json *data_val; /* and its value */
  int errors;
  zp_bind_opts opts;
  zp_calc_band bands[16];
  int nbands;
  int findings; /* checks that failed */
  bool aborted; /* a runaway macro or the budget spent: stop binding */
  /* the budget (bounds.h): steps and bytes left, linear in the data */
  long steps_left, bytes_left;
} binder;

/* ---- small helpers ---- */

static void sb_put(sbuf *b, const char *s, size_t n) {
  if (*b->left < (long)n) {
    *b->left = -1;
    return;
  }
  *b->left -= (long)n;
  if (b->n + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 256;
    while (cap < b->n + n + 1)
      cap *= 2;
    char *p = realloc(b->s, cap);
    if (!p)
      return;
    b->s = p;
    b->cap = cap;
  }
  memcpy(b->s + b->n, s, n);
  b->n += n;
  b->s[b->n] = 0;
}

static void sb_puts(sbuf *b, const char *s) { sb_put(b, s, strlen(s)); }

static zp_loc data_loc(const binder *b, const zp_json *v) {
  return (zp_loc){zp_json_file(b->data, v), v->line, v->col};
}

/* The JSON path of v in the doc's arena, or NULL without a v. */
static const char *json_path(binder *b, const zp_json *v) {
  char jp[256];
  return v ? zp_arena_strdup(b->a, zp_json_path(v, jp, sizeof jp)) : NULL;
}

static bool yes(const char *v) { return v && strcmp(v, "yes") == 0; }

/* s as it is, or its first bytes (whole characters) and "…" when it is
 * too long for a message. */
static const char *shorten(const char *s, char *buf, size_t size) {
  size_t n = strlen(s);
  if (n < size)
    return s;
  n = size - 4; /* room for "…" */
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  memcpy(buf, s, n);
  memcpy(buf + n, "…", 4);
  return buf;
}

/* A text that becomes a PDF string (a bookmark, an Info property) must be
 * short enough (ZP_MAX_TEXT_STRING); else an error at n naming the data
 * it came from. */
static bool string_fits(binder *b, const zp_tnode *n, const char *what,
                        const char *text, const zp_json *from) {
  size_t len = strlen(text);
  if (len <= ZP_MAX_TEXT_STRING)
    return true;
  char jp[256] = "", src[600] = "";
  if (from) {
    zp_json_path(from, jp, sizeof jp);
    snprintf(src, sizeof src, " (the text comes from %s: %s:%d:%d)", jp,
             b->data->file, from->line, from->col);
  }
  zp_error(b->d, n->loc,
           "%s is %zu bytes long; a PDF bookmark or document property holds "
           "at most %d%s",
           what, len, ZP_MAX_TEXT_STRING, src);
  return false;
}

/* ---- the budget (bounds.h) ---- */

/* The size of the data: its values plus the bytes of its strings, keys
 * and numbers. */
static long data_size(const zp_json *v) {
  long n = 1 + (long)(v->key ? strlen(v->key) : 0);
  if (v->type == ZP_JSON_STRING)
    n += (long)v->length;
  else if (v->type == ZP_JSON_NUMBER)
    n += (long)strlen(v->raw);
  for (const zp_json *c = v->child; c; c = c->next)
    n += data_size(c);
  return n;
}

/* The size of a template: its nodes plus the bytes of its texts. */
static long template_size(const zp_tnode *n) {
  long k = 0;
  for (; n; n = n->next)
    k += 1 + (long)(n->text ? strlen(n->text) : 0) + template_size(n->child);
  return k;
}

/* Reports, once, that the budget is spent, at n; binding stops. */
static bool over_budget(binder *b, const zp_tnode *n) {
  if (b->steps_left >= 0 && b->bytes_left >= 0)
    return b->aborted;
  if (!b->aborted)
    zp_error(b->d, n->loc,
             "the template makes too much %s for this data (a macro or a "
             "loop that multiplies itself?): the binder's budget grows with "
             "the data, and is %s",
             b->steps_left < 0 ? "work" : "text",
             b->steps_left < 0 ? "spent here" : "spent on this text");
  b->aborted = true;
  return true;
}

/* Spends k steps at n; false (after the report) when none are left. */
static bool spend(binder *b, const zp_tnode *n, long k) {
  b->steps_left -= k;
  return !over_budget(b, n);
}

/* left | center | right | justify (the schema allows no other value). */
static zp_align parse_align(const char *v) {
  return strcmp(v, "center") == 0    ? ZP_ALIGN_CENTER
         : strcmp(v, "right") == 0   ? ZP_ALIGN_RIGHT
         : strcmp(v, "justify") == 0 ? ZP_ALIGN_JUSTIFY
                                     : ZP_ALIGN_LEFT;
}

/* A number as templates write it: an optional sign, digits, an optional
 * point and digits; no exponent, no "nan" or "inf", no hex, at most
 * ZP_MAX_NUMBER_CHARS characters, so the result is always finite.  Sets
 * *end past it; false (and *end = s) when there is none. */
static bool parse_number(const char *s, double *out, const char **end) {
  const char *p = s;
  *end = s;
  if (*p == '-' || *p == '+')
    p++;
  const char *digits = p;
  while (*p >= '0' && *p <= '9')
    p++;
  bool intpart = p > digits;
  if (*p == '.') {
    p++;
    const char *frac = p;
    while (*p >= '0' && *p <= '9')
      p++;
    if (!intpart && p == frac)
      return false;
  } else if (!intpart) {
    return false;
  }
  if (p - s > ZP_MAX_NUMBER_CHARS)
    return false;
  char buf[ZP_MAX_NUMBER_CHARS + 1];
  memcpy(buf, s, (size_t)(p - s));
  buf[p - s] = 0;
  *out = strtod(buf, NULL);
  *end = p;
  return isfinite(*out);
}

/* A whole number in [min, max] (the schema has checked the digits, but
 * not the size: atoi would overflow). */
static bool parse_count(const char *s, long min, long max, int *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (end == s || *end || errno == ERANGE || v < min || v > max)
    return false;
  *out = (int)v;
  return true;
}

/* An integer attribute of n with its default, checked against [min, max];
 * an error at n's line names the range. */
static int count_attr(binder *b, const zp_tnode *n, const char *key, long min,
                      long max, int dflt) {
  const char *v = zp_tmpl_attr(n, key);
  int r = dflt;
  if (v && !parse_count(v, min, max, &r)) {
    zp_error(b->d, n->loc,
             "%s=\"%.40s\": expected a whole number from %ld to %ld", key, v,
             min, max);
    return dflt;
  }
  return r;
}

/* A length: "37mm", "1.5cm", "16pt", "2em", "1line", "0".  em is the size
 * of an em in pt.  Returns false when malformed, or longer than the
 * largest page (ZP_MAX_LENGTH) either way. */
static bool parse_length(const char *s, double em, double line, double *out) {
  const char *end;
  double v;
  if (!parse_number(s, &v, &end))
    return false;
  while (*end == ' ')
    end++;
  if (strcmp(end, "mm") == 0)
    v *= MM;
  else if (strcmp(end, "cm") == 0)
    v *= 10 * MM;
  else if (strcmp(end, "pt") == 0 || (*end == 0 && v == 0))
    ;
  else if (strcmp(end, "em") == 0)
    v *= em;
  else if (strcmp(end, "line") == 0 || strcmp(end, "lines") == 0)
    v *= line;
  else
    return false;
  if (!isfinite(v) || fabs(v) > ZP_MAX_LENGTH)
    return false;
  *out = v;
  return true;
}

/* A font size: a 号 name or a number of pt. */
static bool parse_size(const char *s, double *out) {
  static const struct {
    const char *name;
    double pt;
  } hao[] = {{"初号", 42},  {"小初", 36},  {"一号", 26},   {"小一", 24},
             {"二号", 22},  {"小二", 18},  {"三号", 16},   {"小三", 15},
             {"四号", 14},  {"小四", 12},  {"五号", 10.5}, {"小五", 9},
             {"六号", 7.5}, {"小六", 6.5}, {"七号", 5.5},  {"八号", 5}};
  for (size_t i = 0; i < sizeof hao / sizeof *hao; i++)
    if (strcmp(s, hao[i].name) == 0) {
      *out = hao[i].pt;
      return true;
    }
  const char *end;
  double v;
  if (!parse_number(s, &v, &end) || v < ZP_MIN_FONT_SIZE ||
      v > ZP_MAX_FONT_SIZE || (*end && strcmp(end, "pt") != 0))
    return false;
  *out = v;
  return true;
}

/* ---- data paths ---- */

/* Resolves a path ("budget.by_source[1].name", or from a loop variable).
 * On failure returns NULL and sets *near to the deepest node found and
 * *missing to the part not found. */
static const zp_json *resolve(binder *b, const char *path, const zp_json **near,
                              char *missing, size_t msize) {
  const zp_json *cur = b->data->root;
  const char *p = path;
  /* first segment: a loop variable, innermost first */
  size_t seg = strcspn(p, ".[");
  for (int i = b->nvars - 1; i >= 0; i--)
    if (strlen(b->vars[i].name) == seg &&
        strncmp(b->vars[i].name, p, seg) == 0) {
      cur = b->vars[i].val;
      p += seg;
      break;
    }
  *near = cur;
  while (*p) {
    if (*p == '.')
      p++;
    if (*p == '[') {
      char *end;
      long idx = strtol(p + 1, &end, 10);
      if (*end != ']') {
        snprintf(missing, msize, "%s", p);
        return NULL;
      }
      const zp_json *next = zp_json_at(cur, (size_t)idx);
      if (!next) {
        snprintf(missing, msize, "[%ld]", idx);
        *near = cur;
        return NULL;
      }
      cur = next;
      p = end + 1;
      continue;
    }
    seg = strcspn(p, ".[");
    char key[256];
    snprintf(key, sizeof key, "%.*s", (int)seg, p);
    const zp_json *next = zp_json_get(cur, key);
    if (!next) {
      snprintf(missing, msize, "%s", key);
      *near = cur;
      return NULL;
    }
    cur = next;
    p += seg;
  }
  return cur;
}

static void report_missing(binder *b, const zp_tnode *n, const char *path,
                           const zp_json *near, const char *missing,
                           const char *expected) {
  char jp[256];
  zp_json_path(near, jp, sizeof jp);
  bool arr = near->type == ZP_JSON_ARRAY;
  /* a first name that is neither in the data nor a variable: perhaps a
   * loop variable used outside its loop, or misspelt */
  size_t first = strcspn(path, ".[");
  bool var_hint = near == b->data->root && strlen(missing) == first &&
                  strncmp(path, missing, first) == 0;
  if (near->type == ZP_JSON_OBJECT || arr)
    zp_error(b->d, n->loc,
             "missing data %s%s%s for {%s}: %s:%d:%d: this %s has no %s "
             "\"%s\"%s%s%s; expected %s",
             jp, arr ? "" : ".", missing, path, zp_json_file(b->data, near),
             near->line, near->col, arr ? "array" : "object",
             arr ? "element" : "member", missing,
             var_hint ? ", and no enclosing <for as> or macro parameter is "
                        "named \""
                      : "",
             var_hint ? missing : "", var_hint ? "\"" : "", expected);
  else
    zp_error(b->d, n->loc,
             "missing data for {%s}: %s:%d:%d: %s is a %s, not an object; "
             "expected %s",
             path, zp_json_file(b->data, near), near->line, near->col, jp,
             zp_json_type_name(near->type), expected);
}

static void report_type(binder *b, const zp_tnode *n, const char *path,
                        const zp_json *v, const char *expected) {
  char jp[256];
  zp_json_path(v, jp, sizeof jp);
  static const char *const article[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
  zp_error(b->d, n->loc,
           "wrong type of data %s for {%s}: %s:%d:%d: %s; "
           "expected %s",
           jp, path, zp_json_file(b->data, v), v->line, v->col,
           article[v->type], expected);
}

/* ---- fields ---- */

/* Formats value v with formatter fmt (may be NULL) into out. */
static bool format_value(binder *b, const zp_tnode *n, const char *path,
                         const zp_json *v, const char *fmt, const char *arg,
                         sbuf *out) {
  char buf[256];
  if (!fmt || !*fmt) {
    switch (v->type) {
    case ZP_JSON_STRING:
      sb_puts(out, v->string);
      return true;
    case ZP_JSON_NUMBER:
      sb_puts(out, v->raw);
      return true;
    case ZP_JSON_NULL:
      return true;
    default:
      report_type(b, n, path, v, "a string or a number");
      return false;
    }
  }
  if (zp_fmt_numeric(fmt)) {
    if (v->type != ZP_JSON_NUMBER) {
      char exp[64];
      snprintf(exp, sizeof exp, "a number for |%s", fmt);
      report_type(b, n, path, v, exp);
      return false;
    }
    /* the shared formatters (fmt.h), on the number's text as written */
    if (!zp_fmt_number(fmt, arg && *arg ? arg : NULL, v->raw, buf,
                       sizeof buf)) {
      char exp[128];
      if (strpbrk(v->raw, "eE"))
        snprintf(exp, sizeof exp,
                 "a number written without an exponent for |%s (1000, not "
                 "1e3)",
                 fmt);
      else
        snprintf(exp, sizeof exp, "a number |%s can write%s", fmt,
                 strcmp(fmt, "cn") == 0 ? " (an integer 0…99999)"
                 : strcmp(fmt, "cn-digits") == 0
                     ? " (a whole number, 0 or more)"
                     : "");
      report_type(b, n, path, v, exp);
      return false;
    }
    sb_puts(out, buf);
    return true;
  }
  if (strcmp(fmt, "date") == 0) {
    if (v->type != ZP_JSON_STRING || !zp_fmt_date(v->string, buf, sizeof buf)) {
      report_type(b, n, path, v, "a date \"YYYY-MM-DD\" for |date");
      return false;
    }
    sb_puts(out, buf);
    return true;
  }
  zp_error(b->d, n->loc,
           "unknown formatter \"%s\"; known: money, percent, int, num, date, "
           "cn, cn-digits",
           fmt);
  return false;
}

/* One field, parsed by the template loader, into out; errors at the
 * field's own line. */
static void computed_value(binder *b, const zp_tnode *n, const char *spec,
                           const char *fmt, const char *arg, sbuf *out);

static void field(binder *b, const zp_tnode *n, const zp_tfield *f, sbuf *out) {
  zp_tnode at = *n;
  at.loc = f->loc;
  if (!spend(b, &at, 1))
    return;
  if (f->expr) {
    computed_value(b, &at, f->expr, f->fmt, f->arg, out);
    return;
  }
  const zp_json *near;
  char missing[256];
  const zp_json *v = resolve(b, f->path, &near, missing, sizeof missing);
  if (!v || (v->type == ZP_JSON_NULL && (f->dflt || f->optional))) {
    if (f->dflt) {
      sb_puts(out, f->dflt);
      return;
    }
    if (f->optional)
      return;
    char exp[96];
    bool num = f->fmt && zp_fmt_numeric(f->fmt);
    snprintf(exp, sizeof exp, "%s%s%s",
             !f->fmt ? "a string or a number"
             : num   ? "a number"
                     : "a date",
             f->fmt ? " for |" : "", f->fmt ? f->fmt : "");
    report_missing(b, &at, f->path, near, missing, exp);
    return;
  }
  if (!b->data_loc.file) {
    b->data_loc = data_loc(b, v);
    b->data_val = v;
  }
  format_value(b, &at, f->path, v, f->fmt, f->arg, out);
}

/* Expands text s with its fields (parsed by the loader, in order).  {{ and
 * }} are braces; a line break with the indentation after it is dropped
 * (Chinese has no spaces between lines).  Literal runs are copied whole. */
static void expand(binder *b, const zp_tnode *n, const char *s,
                   const zp_tfield *fields, int nfields, sbuf *out) {
  const char *base = s;
  int k = 0;
  while (*s) {
    if (k < nfields && (size_t)(s - base) == fields[k].start) {
      field(b, n, &fields[k], out);
      s = base + fields[k].end;
      k++;
    } else if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
      sb_put(out, s, 1);
      s += 2;
    } else if (*s == '\n' || *s == '\r') {
      while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    } else {
      size_t run = 1 + strcspn(s + 1, "{}\n\r");
      if (k < nfields && (size_t)(s - base) + run > fields[k].start)
        run = fields[k].start - (size_t)(s - base);
      sb_put(out, s, run);
      s += run;
    }
  }
}

/* An attribute's value with its fields expanded, in the doc's arena. */
static const char *attr_text(binder *b, const zp_tnode *n, const char *name) {
  const zp_tattr *a = NULL;
  for (int i = 0; i < n->nattrs && !a; i++)
    if (strcmp(n->attrs[i].name, name) == 0)
      a = &n->attrs[i];
  if (!a)
    return NULL;
  const zp_tfield *fields = a->fields;
  int nfields = a->nfields;
  /* an attribute the loader does not parse: parse it here */
  if (!fields && strchr(a->value, '{') &&
      !zp_tmpl_parse_fields(b->a, a->value, n->loc, &fields, &nfields, b->d))
    return "";
  sbuf s = {.left = &b->bytes_left};
  expand(b, n, a->value, fields, nfields, &s);
  over_budget(b, n);
  const char *r = zp_arena_strdup(b->a, s.s ? s.s : "");
  free(s.s);
  return r;
}

/* ---- computed values ---- */

/* Sums the numbers that path reaches from cur; [*] runs over arrays. */
static void sum_walk(const zp_json *cur, const char *p, double *sum, int *count,
                     bool *bad, long *steps) {
  if (!cur || --*steps < 0)
    return;
  if (*p == '.')
    p++;
  if (!*p) {
    if (cur->type == ZP_JSON_NUMBER) {
      *sum += cur->number;
      (*count)++;
    } else if (cur->type != ZP_JSON_NULL) {
      *bad = true;
    }
    return;
  }
  if (p[0] == '[' && p[1] == '*' && p[2] == ']') {
    if (cur->type != ZP_JSON_ARRAY) {
      *bad = true;
      return;
    }
    for (const zp_json *e = cur->child; e; e = e->next)
      sum_walk(e, p + 3, sum, count, bad, steps);
    return;
  }
  if (*p == '[') {
    char *end;
    long i = strtol(p + 1, &end, 10);
    if (*end == ']')
      sum_walk(zp_json_at(cur, (size_t)i), end + 1, sum, count, bad, steps);
    return;
  }
  size_t seg = strcspn(p, ".[");
  char key[256];
  snprintf(key, sizeof key, "%.*s", (int)seg, p);
  if (cur->type != ZP_JSON_OBJECT && cur->type != ZP_JSON_NULL) {
    *bad = true; /* a member of something that is not an object */
    return;
  }
  sum_walk(zp_json_get(cur, key), p + seg, sum, count, bad, steps);
}

static zp_calc_status lookup(void *ctx, const char *path, size_t len, bool many,
                             double *out, char *err, size_t errsize) {
  binder *b = ctx;
  char p[512];
  if (len >= sizeof p) { /* would be cut short, so read wrong */
    snprintf(err, errsize, "a data path of more than %zu characters",
             sizeof p - 1);
    return ZP_CALC_TYPE;
  }
  snprintf(p, sizeof p, "%.*s", (int)len, path);
  if (many && strstr(p, "[*]")) {
    /* the first segment: a loop variable or the root */
    const zp_json *cur = b->data->root;
    const char *rest = p;
    size_t seg = strcspn(p, ".[");
    for (int i = b->nvars - 1; i >= 0; i--)
      if (strlen(b->vars[i].name) == seg &&
          strncmp(b->vars[i].name, p, seg) == 0) {
        cur = b->vars[i].val;
        rest = p + seg;
        break;
      }
    double sum = 0;
    int count = 0;
    bool bad = false;
    sum_walk(cur, rest, &sum, &count, &bad, &b->steps_left);
    if (b->steps_left < 0) {
      snprintf(err, errsize,
               "the template makes too much work for this data (a sum over "
               "[*] inside loops over the same data?): the binder's budget "
               "grows with the data, and is spent here");
      b->aborted = true; /* reported by the caller */
      return ZP_CALC_TYPE;
    }
    if (bad) {
      snprintf(err, errsize, "%s reaches values that are not numbers", p);
      return ZP_CALC_TYPE;
    }
    if (count == 0) {
      snprintf(err, errsize, "%s reaches no numbers in the data", p);
      return ZP_CALC_MISSING;
    }
    *out = sum;
    return ZP_CALC_OK;
  }
  const zp_json *near;
  char missing[256];
  const zp_json *v = resolve(b, p, &near, missing, sizeof missing);
  if (!v || v->type == ZP_JSON_NULL) {
    char jp[256];
    zp_json_path(near, jp, sizeof jp);
    snprintf(err, errsize, "the data has no %s (%s:%d:%d: %s has no \"%s\")", p,
             zp_json_file(b->data, near), near->line, near->col, jp,
             v ? "value" : missing);
    return ZP_CALC_MISSING;
  }
  if (v->type != ZP_JSON_NUMBER) {
    snprintf(err, errsize, "%s (%s:%d:%d) is not a number", p,
             zp_json_file(b->data, v), v->line, v->col);
    return ZP_CALC_TYPE;
  }
  *out = v->number;
  return ZP_CALC_OK;
}

/* Evaluates an expression at template node n; false after an error. */
static bool calc(binder *b, const zp_tnode *n, const char *expr, double *num,
                 const char **text) {
  zp_calc_env env = {lookup, b, b->bands, b->nbands};
  char err[512];
  /* parsing is linear in the expression: a long one in a loop costs */
  if (!spend(b, n, 1 + (long)(strlen(expr) / 8)))
    return false;
  if (!zp_calc_eval(expr, &env, num, text, err, sizeof err)) {
    char shown[96];
    zp_error(b->d, n->loc, "cannot compute {=%s}: %s",
             shorten(expr, shown, sizeof shown), err);
    return false;
  }
  return true;
}

/* A computed field "{=EXPR|fmt:arg}". */
/* A computed field's value: expression spec, formatter fmt (or NULL). */
static void computed_value(binder *b, const zp_tnode *n, const char *spec,
                           const char *fmt, const char *arg, sbuf *out) {
  double v;
  const char *text;
  if (!calc(b, n, spec, &v, &text))
    return;
  if (text) {
    sb_puts(out, text);
    return;
  }
  char raw[512], shown[512];
  zp_fmt_double(v, raw, sizeof raw);
  if (!fmt) {
    /* up to two decimals, trailing zeros dropped */
    if (!zp_fmt_decimal(raw, 2, false, shown, sizeof shown)) {
      zp_error(b->d, n->loc, "{=%s} is too large to write (%g)", spec, v);
      return;
    }
    char *dot = strchr(shown, '.');
    if (dot) {
      char *e = shown + strlen(shown) - 1;
      while (e > dot && *e == '0')
        *e-- = 0;
      if (e == dot)
        *e = 0;
    }
    sb_puts(out, shown);
    return;
  }
  zp_json tmp = {0};
  tmp.type = ZP_JSON_NUMBER;
  tmp.number = v;
  tmp.raw = raw;
  /* a computed number has no stated decimals: two unless told */
  if (!arg && (strcmp(fmt, "percent") == 0 || strcmp(fmt, "num") == 0))
    arg = "2";
  format_value(b, n, spec, &tmp, fmt, arg, out);
}

/* ---- checks ---- */

static void finding(binder *b, const zp_tnode *n, const zp_json *v,
                    const char *stated, const char *computed_text,
                    const char *what) {
  const char *rule = zp_tmpl_attr(n, "rule");
  const char *sev = zp_tmpl_attr(n, "severity");
  bool warn =
      (sev && strcmp(sev, "warning") == 0) || b->opts.inconsistent_as_warnings;
  char jp[256], st[64], ct[64];
  zp_json_path(v, jp, sizeof jp);
  b->findings++;
  zp_diag_report(b->d, warn ? ZP_WARNING : ZP_ERROR, data_loc(b, v),
                 "%s: stated %s, %s %s; rule: %s (%s:%d)", jp,
                 shorten(stated, st, sizeof st), what,
                 shorten(computed_text, ct, sizeof ct),
                 rule ? rule : "(none given)", n->loc.file, n->loc.line);
}

static void check(binder *b, const zp_tnode *n) {
  const char *path = zp_tmpl_attr(n, "value");
  const zp_json *near;
  char missing[256];
  const zp_json *v = resolve(b, path, &near, missing, sizeof missing);
  if (!v || v->type == ZP_JSON_NULL)
    return; /* nothing stated, nothing to check */
  const char *e;
  double c;
  const char *text;
  if ((e = zp_tmpl_attr(n, "grade"))) {
    if (!calc(b, n, zp_arena_printf(b->a, "grade(%s)", e), &c, &text))
      return;
    if (v->type != ZP_JSON_STRING || strcmp(v->string, text) != 0) {
      char score[64];
      zp_fmt_double(c, score, sizeof score);
      finding(b, n, v, v->type == ZP_JSON_STRING ? v->string : "(not text)",
              zp_arena_printf(b->a, "%s for a score of %s", text, score),
              "the bands give");
    }
    return;
  }
  if (v->type != ZP_JSON_NUMBER) {
    report_type(b, n, path, v, "a number for <check>");
    return;
  }
  const char *attr = (e = zp_tmpl_attr(n, "equals")) ? "equals"
                     : (e = zp_tmpl_attr(n, "max"))  ? "max"
                     : (e = zp_tmpl_attr(n, "min"))  ? "min"
                                                     : NULL;
  if (!attr) {
    zp_error(b->d, n->loc, "<check> needs equals, max, min or grade");
    return;
  }
  if (!calc(b, n, e, &c, &text))
    return;
  /* the stated figure as decimal text (a stated "1e2" is 100) */
  char stated[512], raw[512], cs[512], ss[512];
  if (strpbrk(v->raw, "eE"))
    zp_fmt_double(v->number, stated, sizeof stated);
  else
    snprintf(stated, sizeof stated, "%s", v->raw);
  const char *pl = zp_tmpl_attr(n, "places");
  int places = zp_fmt_places(stated);
  if (pl && !parse_count(pl, 0, 12, &places)) {
    zp_error(b->d, n->loc,
             "<check> compares 0 to 12 decimals, not places=\"%.40s\"", pl);
    return;
  }
  if (places > 12) {
    zp_error(b->d, n->loc,
             "<check> compares at most 12 decimals; %s has %d "
             "(give places=\"N\")",
             path, places);
    return;
  }
  zp_fmt_double(c, raw, sizeof raw);
  if (!zp_fmt_decimal(raw, places, false, cs, sizeof cs) ||
      !zp_fmt_decimal(stated, places, false, ss, sizeof ss)) {
    zp_error(b->d, n->loc, "<check> cannot compare %s with %s: too large",
             v->raw, raw);
    return;
  }
  /* equals: both rounded to the stated decimals; max and min: the stated
   * figure against the exact bound */
  if (attr[0] == 'e' && strcmp(cs, ss) != 0)
    finding(b, n, v, v->raw, cs, "computed");
  else if (attr[1] == 'a' && v->number > c + 1e-9)
    finding(b, n, v, v->raw, raw, "more than the maximum");
  else if (attr[1] == 'i' && v->number < c - 1e-9)
    finding(b, n, v, v->raw, raw, "less than the minimum");
}

/* Numbers written as text with broken thousands grouping ("1,50.42"). */
static void grouping_walk(binder *b, const zp_json *v) {
  if (v->type == ZP_JSON_STRING) {
    const char *s = v->string;
    while (*s) {
      if (!(*s >= '0' && *s <= '9')) {
        s++;
        continue;
      }
      const char *e = s;
      bool comma = false;
      while ((*e >= '0' && *e <= '9') || *e == ',' || *e == '.') {
        comma |= *e == ',';
        e++;
      }
      while (e > s && (e[-1] == ',' || e[-1] == '.'))
        e--; /* a comma or stop ending the number belongs to the text */
      if (comma) {
        /* groups: 1-3 digits, then exactly 3 between commas, no comma
         * after the decimal point */
        bool ok = true;
        int group = 0, groups = 0;
        bool frac = false;
        for (const char *q = s; q < e; q++) {
          if (*q == ',') {
            ok &= !frac && ((groups == 0 && group >= 1 && group <= 3) ||
                            (groups > 0 && group == 3));
            groups++;
            group = 0;
          } else if (*q == '.') {
            ok &= !frac && (groups == 0 || group == 3);
            frac = true;
            group = 0;
          } else {
            group++;
          }
        }
        if (!frac)
          ok &= group == 3;
        if (!ok) {
          char jp[256];
          zp_json_path(v, jp, sizeof jp);
          bool whole = s == v->string && *e == 0;
          b->findings++;
          zp_diag_report(b->d,
                         whole && !b->opts.inconsistent_as_warnings
                             ? ZP_ERROR
                             : ZP_WARNING,
                         data_loc(b, v),
                         "%s: \"%.*s\" has broken digit grouping; rule: "
                         "thousands are separated by commas every three "
                         "digits (1,234,567.89)",
                         jp, (int)(e - s), s);
        }
      }
      s = e > s ? e : s + 1;
    }
  }
  for (const zp_json *c = v->child; c; c = c->next)
    grouping_walk(b, c);
}

/* ---- conditions and loops ---- */

static bool truthy(const zp_json *v) {
  if (!v)
    return false;
  switch (v->type) {
  case ZP_JSON_NULL:
    return false;
  case ZP_JSON_BOOL:
    return v->boolean;
  case ZP_JSON_STRING:
    return v->length > 0;
  case ZP_JSON_ARRAY:
  case ZP_JSON_OBJECT:
    return v->length > 0;
  default:
    return true;
  }
}

static bool test(binder *b, const zp_tnode *n) {
  const zp_json *near;
  char missing[256];
  const zp_json *v =
      resolve(b, zp_tmpl_attr(n, "test"), &near, missing, sizeof missing);
  bool t = truthy(v);
  return yes(zp_tmpl_attr(n, "not")) ? !t : t;
}

/* The children of <if> n in the branch its test selects: [*from, *to). */
static void if_branch(binder *b, const zp_tnode *n, const zp_tnode **from,
                      const zp_tnode **to) {
  const zp_tnode *els = NULL;
  for (const zp_tnode *k = n->child; k && !els; k = k->next)
    if (k->name && strcmp(k->name, "else") == 0)
      els = k;
  if (test(b, n)) {
    *from = n->child;
    *to = els;
  } else {
    *from = els ? els->next : NULL;
    *to = NULL;
  }
}

/* The array a <for> iterates, or NULL after an error. */
static const zp_json *loop_array(binder *b, const zp_tnode *n) {
  const char *path = zp_tmpl_attr(n, "each");
  const zp_json *near;
  char missing[256];
  const zp_json *v = resolve(b, path, &near, missing, sizeof missing);
  if (!v) {
    report_missing(b, n, path, near, missing, "an array for <for each>");
    return NULL;
  }
  if (v->type != ZP_JSON_ARRAY) {
    report_type(b, n, path, v, "an array for <for each>");
    return NULL;
  }
  return v;
}

static bool push(binder *b, const zp_tnode *n, const char *name,
                 const zp_json *v) {
  if (b->nvars == MAX_VARS) {
    zp_error(b->d, n->loc, "loops and macros nested deeper than %d", MAX_VARS);
    return false;
  }
  b->vars[b->nvars++] = (var){name, v, ++b->iters};
  return true;
}

/* ---- inline content ---- */

static void inline_content(binder *b, const zp_tnode *first, sbuf *out);

static void inline_node(binder *b, const zp_tnode *c, sbuf *out) {
  if (!spend(b, c, 1))
    return;
  if (!c->name) {
    expand(b, c, c->text, c->fields, c->nfields, out);
  } else if (strcmp(c->name, "br") == 0) {
    sb_put(out, "\n", 1);
  } else if (strcmp(c->name, "for") == 0) {
    const zp_json *arr = loop_array(b, c);
    if (!arr)
      return;
    const char *sep = zp_tmpl_attr(c, "sep");
    const char *as = zp_tmpl_attr(c, "as");
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (e != arr->child && sep)
        sb_puts(out, sep);
      if (!push(b, c, as, e) || !spend(b, c, 1))
        return;
      inline_content(b, c->child, out);
      b->nvars--;
    }
  } else if (strcmp(c->name, "if") == 0) {
    const zp_tnode *from, *to;
    if_branch(b, c, &from, &to);
    for (const zp_tnode *k = from; k != to; k = k->next)
      inline_node(b, k, out);
  }
}

static void inline_content(binder *b, const zp_tnode *first, sbuf *out) {
  for (const zp_tnode *c = first; c && !b->aborted; c = c->next)
    inline_node(b, c, out);
}

/* The text of a p, item or cell, trimmed, in the doc's arena. */
static const char *content_text(binder *b, const zp_tnode *n,
                                const char *prefix) {
  sbuf s = {.left = &b->bytes_left};
  if (prefix)
    sb_puts(&s, prefix);
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  inline_content(b, n->child, &s);
  over_budget(b, n);
  char *t = s.s ? s.s : "";
  while (*t == ' ' || *t == '\t')
    t++;
  size_t len = strlen(t);
  while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
    len--;
  const char *r = zp_arena_strndup(b->a, t, len);
  free(s.s);
  return r;
}

/* ---- styles ---- */

static named_style *find_style(binder *b, const char *name) {
  for (int i = b->nstyles - 1; i >= 0; i--)
    if (strcmp(b->styles[i].name, name) == 0)
      return &b->styles[i];
  return NULL;
}

/* The attribute of a style, looked up along its parents. */
static const char *style_attr(binder *b, const zp_tnode *n, const char *key) {
  for (int guard = 0; n && guard < MAX_STYLES; guard++) {
    const char *v = zp_tmpl_attr(n, key);
    if (v)
      return v;
    const char *parent = zp_tmpl_attr(n, "parent");
    named_style *p = parent ? find_style(b, parent) : NULL;
    n = p ? p->node : NULL;
  }
  return NULL;
}

static void length_attr(binder *b, const zp_tnode *n, const char *key,
                        double em, double *out) {
  const char *v = style_attr(b, n, key);
  if (v && !parse_length(v, em, b->line_pitch, out))
    zp_error(b->d, n->loc,
             "style \"%s\": %s=\"%.40s\" is not a length (mm, cm, pt, em, "
             "line; no exponents, at most 5 m)",
             zp_tmpl_attr(n, "name"), key, v);
}

/* An indent: in pt, and, when given in em, also in em (*em_out, else 0),
 * so that layout can make "2em" exactly two cells on the grid. */
static void indent_attr(binder *b, const zp_tnode *n, const char *key,
                        double em, double *out, double *em_out) {
  length_attr(b, n, key, em, out);
  const char *v = style_attr(b, n, key);
  const char *end;
  double k = 0;
  *em_out = 0;
  if (v && parse_number(v, &k, &end)) {
    while (*end == ' ')
      end++;
    if (strcmp(end, "em") == 0)
      *em_out = k;
  }
}

/* The text block's width and height, pt. */
static double block_width(const binder *b) {
  const zp_page_setup *p = &b->doc->page;
  return p->width - p->margin_left - p->margin_right;
}
static double block_height(const binder *b) {
  const zp_page_setup *p = &b->doc->page;
  return p->height - p->margin_top - p->margin_bottom;
}

/* A style's lengths must leave its text on the page: indents within the
 * text block and leaving a line some room, spaces and pitch at most a
 * text block high. */
static void check_style_lengths(binder *b, const zp_tnode *n,
                                const zp_style *s) {
  double w = block_width(b), h = block_height(b);
  double first = s->left_indent + s->first_indent;
  const char *what = NULL;
  if (s->left_indent < 0 || s->right_indent < 0 || first < 0)
    what = "indents reach out of the text block (left of its edge)";
  else if (s->left_indent + s->right_indent + s->size > w ||
           first + s->right_indent + s->size > w)
    what = "indents leave no room for a character in the text block";
  else if (s->space_before < 0 || s->space_after < 0 || s->space_before > h ||
           s->space_after > h)
    what = "space-before and space-after go from 0 to the text block's "
           "height";
  else if ((s->line_pitch != 0 && s->line_pitch < 1) || s->line_pitch > h)
    what = "line-pitch goes from 1 pt to the text block's height";
  if (what)
    zp_error(b->d, n->loc, "style \"%s\": %s (%.0f × %.0f mm)", s->name, what,
             w / MM, h / MM);
}

/* A style by name, resolved; NULL with an error at n when unknown. */
/* The attributes that name a style. */
static const char *const style_refs[] = {"style",         "parent",
                                         "heading-style", "item-style",
                                         "header-style",  "caption-style"};

/* True when n names style name in one of its attributes (so that
 * check_style_refs has reported it if it is unknown). */
static bool names_style(const zp_tnode *n, const char *name) {
  if (!n->name || strcmp(n->name, "use") == 0)
    return false;
  for (size_t i = 0; i < sizeof style_refs / sizeof *style_refs; i++) {
    const char *v = zp_tmpl_attr(n, style_refs[i]);
    if (v && strcmp(v, name) == 0)
      return true;
  }
  return false;
}

/* Reports every style name that n and its content refer to and no <style>
 * defines, whatever the data (a <use>'s attributes are parameters). */
static void check_style_refs(binder *b, const zp_tnode *n) {
  if (!n->name)
    return;
  if (strcmp(n->name, "use") != 0)
    for (size_t i = 0; i < sizeof style_refs / sizeof *style_refs; i++) {
      const char *v = zp_tmpl_attr(n, style_refs[i]);
      if (v && !find_style(b, v))
        zp_error(b->d, n->loc, "unknown style \"%s\" (%s of <%s>)", v,
                 style_refs[i], n->name);
    }
  for (const zp_tnode *c = n->child; c; c = c->next)
    check_style_refs(b, c);
}

static const zp_style *get_style(binder *b, const char *name,
                                 const zp_tnode *at) {
  named_style *ns = find_style(b, name);
  if (!ns) {
    if (!names_style(at, name)) /* else reported by check_style_refs */
      zp_error(b->d, at->loc, "unknown style \"%s\"", name);
    return NULL;
  }
  if (ns->resolved)
    return ns->resolved;
  if (ns->resolving) {
    zp_error(b->d, ns->node->loc, "style \"%s\" inherits from itself", name);
    return NULL;
  }
  ns->resolving = true;
  const zp_tnode *n = ns->node;
  /* check the parent chain exists and has no cycle */
  const char *parent = zp_tmpl_attr(n, "parent");
  if (parent && !get_style(b, parent, n)) {
    ns->resolving = false;
    return NULL;
  }
  zp_style *s = zp_arena_alloc(b->a, sizeof *s);
  s->name = ns->name;
  const char *v = style_attr(b, n, "font");
  s->role = v ? v : "song";
  s->size = 16;
  if ((v = style_attr(b, n, "size")) && !parse_size(v, &s->size))
    zp_error(b->d, n->loc,
             "style \"%s\": size=\"%.40s\" is neither a 号 size (三号, 小四 "
             "…) nor pt from %g to %g",
             name, v, ZP_MIN_FONT_SIZE, ZP_MAX_FONT_SIZE);
  double em = s->size;
  indent_attr(b, n, "first-indent", em, &s->first_indent, &s->first_indent_em);
  indent_attr(b, n, "left-indent", em, &s->left_indent, &s->left_indent_em);
  indent_attr(b, n, "right-indent", em, &s->right_indent, &s->right_indent_em);
  length_attr(b, n, "space-before", em, &s->space_before);
  length_attr(b, n, "space-after", em, &s->space_after);
  if ((v = style_attr(b, n, "line-pitch"))) {
    if (strcmp(v, "grid") == 0)
      s->grid = true;
    else
      length_attr(b, n, "line-pitch", em, &s->line_pitch);
  }
  s->align = ZP_ALIGN_LEFT;
  if ((v = style_attr(b, n, "align")))
    s->align = parse_align(v);
  s->bold = yes(style_attr(b, n, "bold"));
  s->keep_with_next = yes(style_attr(b, n, "keep-with-next"));
  s->balance = yes(style_attr(b, n, "balance"));
  s->page_break_before = yes(style_attr(b, n, "page-break-before"));
  s->widows = s->orphans = 2;
  if ((v = style_attr(b, n, "widows")) &&
      !parse_count(v, 1, ZP_MAX_COUNT, &s->widows))
    zp_error(b->d, n->loc, "style \"%s\": widows=\"%.40s\": expected 1 to %d",
             name, v, ZP_MAX_COUNT);
  if ((v = style_attr(b, n, "orphans")) &&
      !parse_count(v, 1, ZP_MAX_COUNT, &s->orphans))
    zp_error(b->d, n->loc, "style \"%s\": orphans=\"%.40s\": expected 1 to %d",
             name, v, ZP_MAX_COUNT);
  s->rules = ZP_BREAK_BASIC;
  if ((v = style_attr(b, n, "breaks")))
    s->rules = strcmp(v, "strict") == 0  ? ZP_BREAK_STRICT
               : strcmp(v, "loose") == 0 ? ZP_BREAK_LOOSE
                                         : ZP_BREAK_BASIC;
  const char *end;
  if ((v = style_attr(b, n, "latin-space")) &&
      (!parse_number(v, &s->latin_space, &end) || *end || s->latin_space < 0 ||
       s->latin_space > 1))
    zp_error(b->d, n->loc,
             "style \"%s\": latin-space=\"%.40s\": expected a number of em "
             "from 0 to 1",
             name, v);
  s->fit = ZP_FIT_WORD;
  if ((v = style_attr(b, n, "fit")) && strcmp(v, "push-in") == 0)
    s->fit = ZP_FIT_PUSHIN;
  s->bind_units = yes(style_attr(b, n, "bind-units"));
  s->squeeze_pairs = yes(style_attr(b, n, "squeeze-pairs"));
  check_style_lengths(b, n, s);
  ns->resolved = s;
  ns->resolving = false;
  return s;
}

/* ---- blocks ---- */

static zp_block *add_block(binder *b, zp_block_kind kind, const zp_tnode *n) {
  zp_block *blk = zp_arena_alloc(b->a, sizeof *blk);
  if (!blk)
    return NULL;
  blk->kind = kind;
  blk->loc = n->loc;
  if (b->tail)
    b->tail->next = blk;
  else
    b->doc->first = blk;
  b->tail = blk;
  return blk;
}

/* The number of level lv in its format, with prefix and suffix. */
static const char *number_text(binder *b, int lv) {
  const level *L = &b->levels[lv];
  char num[64];
  int c = b->counters[lv];
  if (L->format && strcmp(L->format, "cn") == 0) {
    if (!zp_fmt_cn(c, num, sizeof num))
      snprintf(num, sizeof num, "%d", c); /* past 九万九千九百九十九 */
  } else if (L->format && strcmp(L->format, "lower-alpha") == 0) {
    /* a … z, aa, ab … */
    char rev[16];
    int k = 0;
    for (int v = c; v > 0 && k < 15; v = (v - 1) / 26)
      rev[k++] = (char)('a' + (v - 1) % 26);
    for (int i = 0; i < k; i++)
      num[i] = rev[k - 1 - i];
    num[k] = 0;
  } else {
    snprintf(num, sizeof num, "%d", c);
  }
  return zp_arena_printf(b->a, "%s%s%s", L->prefix ? L->prefix : "", num,
                         L->suffix ? L->suffix : "");
}

static void count(binder *b, int lv) {
  b->counters[lv]++;
  for (int i = lv + 1; i <= MAX_LEVELS; i++)
    b->counters[i] = 0;
}

static void blocks(binder *b, const zp_tnode *first);
static void table(binder *b, const zp_tnode *n);

static void block(binder *b, const zp_tnode *n) {
  if (!n->name || !spend(b, n, 1))
    return; /* whitespace between blocks, or the budget spent */
  const char *name = n->name;
  if (strcmp(name, "p") == 0 || strcmp(name, "item") == 0) {
    bool item = name[0] == 'i';
    int lv = b->depth + 1;
    if (item && lv > MAX_LEVELS) {
      zp_error(b->d, n->loc, "an item deeper than %d levels", MAX_LEVELS);
      return;
    }
    const char *sname = zp_tmpl_attr(n, "style");
    if (!sname)
      sname =
          item && b->levels[lv].item_style ? b->levels[lv].item_style : "body";
    const zp_style *st = get_style(b, sname, n);
    const char *prefix = NULL;
    if (item) {
      count(b, lv);
      prefix = number_text(b, lv);
    }
    const char *text = content_text(b, n, prefix);
    zp_block *blk = add_block(b, ZP_BLOCK_PARAGRAPH, n);
    if (!blk || !st)
      return;
    blk->style = st;
    blk->text = text;
    blk->data_loc = b->data_loc;
    blk->data_path = json_path(b, b->data_val);
  } else if (strcmp(name, "section") == 0) {
    int lv = b->depth + 1;
    if (lv > MAX_LEVELS) {
      zp_error(b->d, n->loc, "sections nested deeper than %d", MAX_LEVELS);
      return;
    }
    if (yes(zp_tmpl_attr(n, "new-page")))
      add_block(b, ZP_BLOCK_PAGE_BREAK, n);
    b->data_loc = (zp_loc){0};
    b->data_val = NULL;
    const char *title = attr_text(b, n, "title");
    zp_loc dl = b->data_loc;
    const zp_json *title_val = b->data_val;
    if (!string_fits(b, n, "the section title", title, b->data_val))
      title = "";
    const char *num = "";
    if (!zp_tmpl_attr(n, "number") || yes(zp_tmpl_attr(n, "number"))) {
      count(b, lv);
      num = number_text(b, lv);
    } else {
      /* unnumbered, it still starts the numbering below it afresh */
      for (int i = lv + 1; i <= MAX_LEVELS; i++)
        b->counters[i] = 0;
    }
    const char *sname = zp_tmpl_attr(n, "style");
    if (!sname)
      sname =
          b->levels[lv].heading_style ? b->levels[lv].heading_style : "body";
    const zp_style *st = get_style(b, sname, n);
    zp_block *blk = add_block(b, ZP_BLOCK_HEADING, n);
    if (blk && st) {
      blk->style = st;
      blk->text = zp_arena_printf(b->a, "%s%s", num, title);
      blk->level = lv;
      blk->outline = b->levels[lv].outline;
      blk->data_loc = dl;
      blk->data_path = json_path(b, title_val);
    }
    b->depth++;
    blocks(b, n->child);
    b->depth--;
  } else if (strcmp(name, "for") == 0) {
    const zp_json *arr = loop_array(b, n);
    if (!arr)
      return;
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (!push(b, n, zp_tmpl_attr(n, "as"), e) || !spend(b, n, 1))
        return;
      blocks(b, n->child);
      b->nvars--;
    }
  } else if (strcmp(name, "if") == 0) {
    const zp_tnode *from, *to;
    if_branch(b, n, &from, &to);
    for (const zp_tnode *k = from; k != to; k = k->next)
      block(b, k);
  } else if (strcmp(name, "use") == 0) {
    const char *mname = zp_tmpl_attr(n, "name");
    const zp_tnode *def = NULL;
    for (int i = 0; i < b->t->ntop; i++)
      if (strcmp(b->t->top[i]->name, "define") == 0 &&
          strcmp(zp_tmpl_attr(b->t->top[i], "name"), mname) == 0)
        def = b->t->top[i];
    if (!def) {
      zp_error(b->d, n->loc, "no <define name=\"%s\">", mname);
      return;
    }
    if (b->use_depth == MAX_USE_DEPTH) {
      zp_error(b->d, n->loc,
               "macros nested deeper than %d (does \"%s\" call itself "
               "without end?)",
               MAX_USE_DEPTH, mname);
      b->aborted = true; /* a branching recursion would go on for ages */
      return;
    }
    /* parameters: name="path", evaluated here, bound for the macro */
    int saved = b->nvars;
    var params[16];
    int np = 0;
    if (n->nattrs > 17) {
      zp_error(b->d, n->loc, "<use> takes at most 16 parameters");
      return;
    }
    for (int i = 0; i < n->nattrs; i++) {
      if (strcmp(n->attrs[i].name, "name") == 0)
        continue;
      const zp_json *near;
      char missing[256];
      const zp_json *v =
          resolve(b, n->attrs[i].value, &near, missing, sizeof missing);
      if (!v) {
        report_missing(b, n, n->attrs[i].value, near, missing,
                       "a value for the macro's parameter");
        return;
      }
      params[np++] = (var){n->attrs[i].name, v, 0};
    }
    for (int i = 0; i < np; i++)
      if (!push(b, n, params[i].name, params[i].val))
        break;
    b->use_depth++;
    blocks(b, def->child);
    b->use_depth--;
    b->nvars = saved;
  } else if (strcmp(name, "check") == 0) {
    check(b, n);
  } else if (strcmp(name, "page-break") == 0) {
    add_block(b, ZP_BLOCK_PAGE_BREAK, n);
  } else if (strcmp(name, "table") == 0) {
    table(b, n);
  }
}

static void blocks(binder *b, const zp_tnode *first) {
  for (const zp_tnode *c = first; c && !b->aborted; c = c->next)
    block(b, c);
}

/* ---- tables ---- */

typedef struct tbuild {
  zp_table *t;
  zp_row *rows;
  int nrows, cap;
  int *busy; /* per column: last row covered by an explicit rowspan */
  span_rec *spans;
  int nspans, capspans;
  rowspan_rec *rowspans; /* body cells with a rowspan, to check */
  int nrowspans, caprowspans;
  const zp_style *cell_style, *head_style;
} tbuild;

static span_rec *span_find(tbuild *tb, const zp_tnode *node) {
  for (int i = tb->nspans - 1; i >= 0; i--)
    if (tb->spans[i].node == node)
      return &tb->spans[i];
  return NULL;
}

static long var_iter(binder *b, const char *name) {
  for (int i = b->nvars - 1; i >= 0; i--)
    if (strcmp(b->vars[i].name, name) == 0)
      return b->vars[i].iter;
  return -1;
}

/* One <cell> of row r at *colp (advanced past it); false after an error
 * that ends the row. */
static bool row_cell(binder *b, tbuild *tb, zp_row *row, int r,
                     const zp_tnode *c, int *colp, bool header) {
  zp_table *t = tb->t;
  int col = *colp;
  while (col < t->ncols && tb->busy[col] >= r)
    col++;
  const char *v;
  int colspan = count_attr(b, c, "colspan", 1, ZP_MAX_COLUMNS, 1);
  int rowspan = count_attr(b, c, "rowspan", 1, ZP_MAX_COUNT, 1);
  if (colspan > t->ncols - col) {
    zp_error(b->d, c->loc,
             "this row has more cells than the table's %d "
             "columns",
             t->ncols);
    return false;
  }
  const char *span = zp_tmpl_attr(c, "span");
  const char *text = content_text(b, c, NULL);
  zp_loc dl = b->data_loc;
  if (span) {
    span_rec *s = span_find(tb, c);
    long it = strcmp(span, "blank") == 0 ? -2 : var_iter(b, span);
    if (it == -1) {
      zp_error(b->d, c->loc, "span=\"%s\" names no enclosing loop", span);
      return false;
    }
    /* it continues the cell above: same iteration (or blank), and that
     * cell reaches down to the row just above this one */
    bool cont = s && s->cell && s->last_row == r - 1 &&
                (it == -2 ? *text == 0 : s->iter == it);
    if (cont) {
      /* the cell above grows down over this row */
      s->cell->rowspan++;
      s->last_row = r;
      *colp = col + colspan;
      return true;
      return true;
    }
  }
  zp_cell *cell = &row->cells[row->ncells++];
  const char *sname = zp_tmpl_attr(c, "style");
  cell->style = sname    ? get_style(b, sname, c)
                : header ? tb->head_style
                         : tb->cell_style;
  cell->text = text;
  cell->col = col;
  cell->colspan = colspan;
  cell->rowspan = rowspan;
  cell->data_loc = dl;
  /* alignment: the cell's own, its style's, centred in a header, the
   * column's */
  v = zp_tmpl_attr(c, "align");
  cell->align = v                      ? parse_align(v)
                : sname && cell->style ? cell->style->align
                : header               ? ZP_ALIGN_CENTER
                                       : t->cols[col].align;
  cell->valign = ZP_VALIGN_MIDDLE;
  if ((v = zp_tmpl_attr(c, "valign")))
    cell->valign = strcmp(v, "top") == 0      ? ZP_VALIGN_TOP
                   : strcmp(v, "bottom") == 0 ? ZP_VALIGN_BOTTOM
                                              : ZP_VALIGN_MIDDLE;
  if (rowspan > 1) {
    for (int k = col; k < col + colspan; k++)
      tb->busy[k] = r + rowspan - 1; /* both at most ZP_MAX_COUNT */
    if (!header) { /* checked against the last row when it is known */
      if (tb->nrowspans == tb->caprowspans) {
        int cap = tb->caprowspans ? tb->caprowspans * 2 : 16;
        rowspan_rec *ns = realloc(tb->rowspans, sizeof *ns * (size_t)cap);
        if (!ns)
          return false;
        tb->rowspans = ns;
        tb->caprowspans = cap;
      }
      tb->rowspans[tb->nrowspans++] = (rowspan_rec){r, row->ncells - 1, c->loc};
    }
  }
  if (span) {
    span_rec *s = span_find(tb, c);
    if (!s) {
      if (tb->nspans == tb->capspans) {
        int cap = tb->capspans ? tb->capspans * 2 : 16;
        span_rec *ns = realloc(tb->spans, sizeof *ns * (size_t)cap);
        if (!ns)
          return false;
        tb->spans = ns;
        tb->capspans = cap;
      }
      s = &tb->spans[tb->nspans++];
      s->node = c;
    }
    s->last_row = r;
    s->iter = strcmp(span, "blank") == 0 ? -2 : var_iter(b, span);
    s->cell = cell;
  }
  *colp = col + colspan;
  return true;
}

/* The cells of the template nodes [first, stop): <cell>s, and <for> and
 * <if> around them. */
static bool row_cells(binder *b, tbuild *tb, zp_row *row, int r,
                      const zp_tnode *first, const zp_tnode *stop, int *col,
                      bool header) {
  for (const zp_tnode *c = first; c != stop; c = c->next) {
    if (!c->name)
      continue;
    if (!spend(b, c, 1))
      return false;
    if (strcmp(c->name, "cell") == 0) {
      if (!row_cell(b, tb, row, r, c, col, header))
        return false;
    } else if (strcmp(c->name, "for") == 0) {
      const zp_json *arr = loop_array(b, c);
      if (!arr)
        return false;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!push(b, c, zp_tmpl_attr(c, "as"), e) || !spend(b, c, 1))
          return false;
        bool ok = row_cells(b, tb, row, r, c->child, NULL, col, header);
        b->nvars--;
        if (!ok)
          return false;
      }
    } else if (strcmp(c->name, "if") == 0) {
      const zp_tnode *from, *to;
      if_branch(b, c, &from, &to);
      if (!row_cells(b, tb, row, r, from, to, col, header))
        return false;
    }
  }
  return true;
}

static void table_row(binder *b, tbuild *tb, const zp_tnode *n, bool header) {
  zp_table *t = tb->t;
  if (tb->nrows == tb->cap) {
    int cap = tb->cap ? tb->cap * 2 : 64;
    zp_row *r = realloc(tb->rows, sizeof *r * (size_t)cap);
    if (!r)
      return;
    tb->rows = r;
    tb->cap = cap;
  }
  int r = tb->nrows;
  zp_row *row = &tb->rows[tb->nrows++];
  memset(row, 0, sizeof *row);
  row->header = header;
  /* a cell takes a column at least: no more cells than columns */
  row->cells = zp_arena_alloc(b->a, sizeof(zp_cell) * (size_t)(t->ncols + 1));
  int col = 0;
  row_cells(b, tb, row, r, n->child, NULL, &col, header);
}

/* The rows of the template nodes [first, stop). */
static void table_rows(binder *b, tbuild *tb, const zp_tnode *first,
                       const zp_tnode *stop) {
  for (const zp_tnode *c = first; c != stop; c = c->next) {
    if (!c->name)
      continue;
    if (!spend(b, c, 1))
      return;
    if (strcmp(c->name, "row") == 0) {
      table_row(b, tb, c, false);
    } else if (strcmp(c->name, "for") == 0) {
      const zp_json *arr = loop_array(b, c);
      if (!arr)
        continue;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!push(b, c, zp_tmpl_attr(c, "as"), e) || !spend(b, c, 1))
          return;
        table_rows(b, tb, c->child, NULL);
        b->nvars--;
      }
    } else if (strcmp(c->name, "if") == 0) {
      const zp_tnode *from, *to;
      if_branch(b, c, &from, &to);
      table_rows(b, tb, from, to);
    }
  }
}

/* Every column needs its padding and a character at least, a fixed one
 * its width and a fitted one its minimum; together they must fit the text
 * block: else the table, or the text in its cells, would be drawn off the
 * page. */
static void table_fits(binder *b, const zp_tnode *n, const zp_table *t,
                       double em) {
  /* a column holds its padding, a rule and 1 em of text; the frame, if
   * heavier than the rules, takes its excess on both sides */
  double rule = t->rule_width,
         frame = t->frame_width > rule ? t->frame_width : 0;
  double need = frame > rule ? 2 * (frame - rule) : 0;
  double least = t->pad_left + t->pad_right + rule + em;
  for (int i = 0; i < t->ncols; i++) {
    double w = t->cols[i].kind == ZP_COL_PROPORTIONAL ? 0 : t->cols[i].width;
    need += w > least ? w : least;
  }
  double w = block_width(b);
  if (need > w + 0.01)
    zp_error(b->d, n->loc,
             "the table's %d columns need %.1f mm (fixed widths, fit minimums, "
             "and for every column its padding, its rule and 1 em), more than "
             "the text block's %.1f mm",
             t->ncols, need / MM, w / MM);
}

static void table(binder *b, const zp_tnode *n) {
  zp_table *t = zp_arena_alloc(b->a, sizeof *t);
  tbuild tb = {0};
  tb.t = t;
  const char *v;
  tb.cell_style = get_style(b, (v = zp_tmpl_attr(n, "style")) ? v : "td", n);
  tb.head_style =
      get_style(b, (v = zp_tmpl_attr(n, "header-style")) ? v : "th", n);
  for (const zp_tnode *c = n->child; c; c = c->next)
    t->ncols += c->name && strcmp(c->name, "col") == 0;
  if (t->ncols > ZP_MAX_COLUMNS) {
    zp_error(b->d, n->loc, "a table has at most %d columns; this one has %d",
             ZP_MAX_COLUMNS, t->ncols);
    return;
  }
  t->cols = zp_arena_alloc(b->a, sizeof(zp_column) * (size_t)t->ncols);
  tb.busy = calloc((size_t)t->ncols + 1, sizeof *tb.busy);
  for (int i = 0; i < t->ncols; i++)
    tb.busy[i] = -1;
  double em = tb.cell_style ? tb.cell_style->size : 10.5;
  int k = 0;
  for (const zp_tnode *c = n->child; c; c = c->next) {
    if (!c->name || strcmp(c->name, "col") != 0)
      continue;
    zp_column *col = &t->cols[k++];
    const char *w = zp_tmpl_attr(c, "width");
    size_t wl = strlen(w);
    const char *end = w;
    if (strcmp(w, "fit") == 0) {
      col->kind = ZP_COL_FIT;
      if ((v = zp_tmpl_attr(c, "min")) &&
          (!parse_length(v, em, b->line_pitch, &col->width) || col->width < 0))
        zp_error(b->d, c->loc, "min=\"%.40s\" is not a length of 0 or more", v);
    } else if (wl && w[wl - 1] == '*') {
      col->kind = ZP_COL_PROPORTIONAL;
      col->width = 1;
      if (wl > 1 && (!parse_number(w, &col->width, &end) || *end != '*' ||
                     col->width <= 0 || col->width > 1e6))
        zp_error(b->d, c->loc,
                 "width=\"%.40s\": a weight is a number above 0 and at most "
                 "1000000 (2*)",
                 w);
    } else {
      col->kind = ZP_COL_FIXED;
      if (!parse_length(w, em, b->line_pitch, &col->width))
        zp_error(b->d, c->loc,
                 "width=\"%.40s\" is not a length, a weight (2*) or fit", w);
      else if (col->width <= 0)
        zp_error(b->d, c->loc, "width=\"%.40s\": a column must be wider than 0",
                 w);
    }
    v = zp_tmpl_attr(c, "align");
    col->align = v ? parse_align(v) : ZP_ALIGN_LEFT;
  }
  for (const zp_tnode *c = n->child; c; c = c->next)
    if (c->name && strcmp(c->name, "head") == 0)
      for (const zp_tnode *r = c->child; r; r = r->next)
        if (r->name) {
          table_row(b, &tb, r, true);
          t->header_rows++;
        }
  /* a header cell's rowspan stops at the header's last row */
  for (int r = 0; r < tb.nrows; r++)
    for (int k = 0; k < tb.rows[r].ncells; k++) {
      zp_cell *cell = &tb.rows[r].cells[k];
      if (r + cell->rowspan > t->header_rows) {
        zp_warn(b->d, n->loc,
                "a header cell's rowspan reaches into the body; it stops at "
                "the header's last row");
        cell->rowspan = t->header_rows - r;
      }
    }
  for (int k = 0; k < t->ncols; k++)
    if (tb.busy[k] >= t->header_rows)
      tb.busy[k] = t->header_rows - 1;
  table_rows(b, &tb, n->child, NULL);
  for (int i = 0; i < tb.nrowspans; i++) {
    int r = tb.rowspans[i].row;
    zp_cell *cell = &tb.rows[r].cells[tb.rowspans[i].k];
    if (cell->rowspan > tb.nrows - r) {
      zp_error(b->d, tb.rowspans[i].loc,
               "rowspan=\"%d\" reaches past the table's last row (the cell "
               "is in row %d of %d)",
               cell->rowspan, r + 1, tb.nrows);
      cell->rowspan = tb.nrows - r;
    }
  }
  free(tb.rowspans);
  t->nrows = tb.nrows;
  t->rows = zp_arena_alloc(b->a, sizeof(zp_row) * (size_t)(tb.nrows + 1));
  if (t->rows && tb.nrows)
    memcpy(t->rows, tb.rows, sizeof(zp_row) * (size_t)tb.nrows);
  free(tb.rows);
  free(tb.busy);
  free(tb.spans);
  /* caption */
  const char *cap = attr_text(b, n, "caption");
  if (cap) {
    b->tables++;
    if (yes(zp_tmpl_attr(n, "number")))
      cap = zp_arena_printf(b->a, "表%d：%s", b->tables, cap);
    t->caption = cap;
    t->caption_style =
        get_style(b, (v = zp_tmpl_attr(n, "caption-style")) ? v : "caption", n);
  }
  t->continued = zp_tmpl_attr(n, "continued");
  t->rule_width = 0.5;
  if ((v = zp_tmpl_attr(n, "rule")) &&
      (!parse_length(v, em, b->line_pitch, &t->rule_width) ||
       t->rule_width < 0 || t->rule_width > ZP_MAX_RULE))
    zp_error(b->d, n->loc, "rule=\"%.40s\" is not a length from 0 to 2 mm", v);
  if ((v = zp_tmpl_attr(n, "frame")) &&
      (!parse_length(v, em, b->line_pitch, &t->frame_width) ||
       t->frame_width < 0 || t->frame_width > ZP_MAX_RULE))
    zp_error(b->d, n->loc, "frame=\"%.40s\" is not a length from 0 to 2 mm", v);
  t->pad_top = t->pad_bottom = 2;
  t->pad_left = t->pad_right = 3;
  if ((v = zp_tmpl_attr(n, "padding"))) {
    char a1[32] = "", a2[32] = "", a3[2] = "";
    int got = sscanf(v, "%31s %31s %1s", a1, a2, a3);
    double pv = 0, ph = 0;
    if (got < 1 || got > 2 || strlen(v) > 64 ||
        !parse_length(a1, em, b->line_pitch, &pv) ||
        (got == 2 && !parse_length(a2, em, b->line_pitch, &ph)) || pv < 0 ||
        ph < 0 || pv > ZP_MAX_PADDING || ph > ZP_MAX_PADDING) {
      zp_error(b->d, n->loc,
               "padding=\"%.40s\": one or two lengths from 0 to 20 mm", v);
      pv = ph = 0;
    }
    t->pad_top = t->pad_bottom = pv;
    t->pad_left = t->pad_right = got == 2 ? ph : pv;
  }
  t->min_split_lines = count_attr(b, n, "min-split-lines", 1, ZP_MAX_COUNT, 2);
  table_fits(b, n, t, em);
  zp_block *blk = add_block(b, ZP_BLOCK_TABLE, n);
  if (!blk)
    return;
  blk->table = t;
  blk->style = tb.cell_style;
  blk->text = "";
}

/* ---- the style sheet: page, folio, numbering, info ---- */

static void page_setup(binder *b, const zp_tnode *n) {
  zp_page_setup *p = &b->doc->page;
  const char *v;
  if ((v = zp_tmpl_attr(n, "paper"))) {
    static const struct {
      const char *name;
      double w, h;
    } papers[] = {
        {"A4", 210, 297}, {"A3", 297, 420}, {"A5", 148, 210}, {"B5", 176, 250}};
    bool found = false;
    for (size_t i = 0; i < sizeof papers / sizeof *papers; i++)
      if (strcmp(v, papers[i].name) == 0) {
        p->width = papers[i].w * MM;
        p->height = papers[i].h * MM;
        found = true;
      }
    double w, h;
    const char *e1, *e2;
    if (!found && parse_number(v, &w, &e1) && strncmp(e1, "mm×", 5) == 0 &&
        parse_number(e1 + 5, &h, &e2) && strcmp(e2, "mm") == 0) {
      p->width = w * MM;
      p->height = h * MM;
      found = true;
    }
    if (!found)
      zp_error(b->d, n->loc,
               "paper=\"%s\": expected A4, A3, A5, B5 or WIDTHmm×HEIGHTmm", v);
  }
  if ((v = zp_tmpl_attr(n, "orientation"))) {
    bool land = strcmp(v, "landscape") == 0;
    if (land != (p->width > p->height)) {
      double t = p->width;
      p->width = p->height;
      p->height = t;
    }
  }
  static const char *const keys[] = {"margin-top", "margin-bottom",
                                     "margin-left", "margin-right"};
  double *vals[] = {&p->margin_top, &p->margin_bottom, &p->margin_left,
                    &p->margin_right};
  for (int i = 0; i < 4; i++)
    if ((v = zp_tmpl_attr(n, keys[i])) && !parse_length(v, 16, 0, vals[i]))
      zp_error(b->d, n->loc, "%s=\"%.40s\" is not a length", keys[i], v);
  p->grid_lines = count_attr(b, n, "grid-lines", 0, ZP_MAX_GRID, p->grid_lines);
  p->grid_chars = count_attr(b, n, "grid-chars", 0, ZP_MAX_GRID, p->grid_chars);
  /* pitches: above 0, at most the page (checked against the text block
   * once the page is known) */
  if ((v = zp_tmpl_attr(n, "line-pitch")) &&
      (!parse_length(v, 16, 0, &p->line_pitch) || p->line_pitch < 1))
    zp_error(b->d, n->loc,
             "line-pitch=\"%.40s\" is not a length of 1 pt or more", v);
  if ((v = zp_tmpl_attr(n, "char-pitch")) &&
      (!parse_length(v, 16, 0, &p->char_pitch) || p->char_pitch < 1))
    zp_error(b->d, n->loc,
             "char-pitch=\"%.40s\" is not a length of 1 pt or more", v);
}

static void sheet(binder *b) {
  zp_doc *doc = b->doc;
  /* defaults: LAYOUT.md's page */
  doc->page = (zp_page_setup){210 * MM, 297 * MM, 37 * MM, 35 * MM, 28 * MM,
                              26 * MM,  22,       28,      0,       0};
  doc->folio =
      (zp_folio){ZP_FOLIO_CENTER, "- {n} -", "song", 14, 7 * MM, 0, true};
  const zp_tnode *folio = NULL;
  for (int i = 0; i < b->t->ntop; i++) {
    const zp_tnode *n = b->t->top[i];
    if (strcmp(n->name, "page") == 0) {
      page_setup(b, n);
    } else if (strcmp(n->name, "style") == 0) {
      if (b->nstyles == MAX_STYLES) {
        zp_error(b->d, n->loc, "more than %d styles", MAX_STYLES);
        continue;
      }
      b->styles[b->nstyles++] =
          (named_style){zp_tmpl_attr(n, "name"), n, NULL, false};
    } else if (strcmp(n->name, "numbering") == 0) {
      for (const zp_tnode *l = n->child; l; l = l->next) {
        if (!l->name)
          continue;
        int k;
        if (!parse_count(zp_tmpl_attr(l, "n"), 1, MAX_LEVELS, &k)) {
          zp_error(b->d, l->loc, "numbering levels go from 1 to %d",
                   MAX_LEVELS);
          continue;
        }
        const char *o = zp_tmpl_attr(l, "outline");
        /* prefix and suffix may take fields from the data's root (a
         * bureau's ladder: 1. or 1、) */
        b->levels[k] = (level){
            zp_tmpl_attr(l, "format"),     attr_text(b, l, "prefix"),
            attr_text(b, l, "suffix"),     zp_tmpl_attr(l, "heading-style"),
            zp_tmpl_attr(l, "item-style"), o ? yes(o) : k <= 2};
      }
    } else if (strcmp(n->name, "folio") == 0) {
      folio = n;
    } else if (strcmp(n->name, "grades") == 0) {
      b->nbands = 0;
      for (const zp_tnode *g = n->child; g; g = g->next) {
        if (!g->name)
          continue;
        if (b->nbands == 16) {
          zp_error(b->d, g->loc, "<grades> holds at most 16 bands");
          break;
        }
        double min;
        const char *end, *v = zp_tmpl_attr(g, "min");
        if (!parse_number(v, &min, &end) || *end) {
          zp_error(b->d, g->loc, "min=\"%.40s\" is not a number", v);
          continue;
        }
        b->bands[b->nbands++] = (zp_calc_band){min, zp_tmpl_attr(g, "label")};
      }
      /* highest band first */
      for (int i = 1; i < b->nbands; i++)
        for (int j = i; j > 0 && b->bands[j].min > b->bands[j - 1].min; j--) {
          zp_calc_band t = b->bands[j];
          b->bands[j] = b->bands[j - 1];
          b->bands[j - 1] = t;
        }
    }
  }
  /* the grid's pitches, resolved: text block ÷ grid counts (225mm/22,
   * 156mm/28 on the official page) */
  zp_page_setup *p = &doc->page;
  if (p->width < 72 || p->height < 72 || p->width > 14400 ||
      p->height > 14400 || p->width - p->margin_left - p->margin_right < 36 ||
      p->height - p->margin_top - p->margin_bottom < 36 || p->margin_left < 0 ||
      p->margin_right < 0 || p->margin_top < 0 || p->margin_bottom < 0) {
    const zp_tnode *pg = NULL;
    for (int i = 0; i < b->t->ntop; i++)
      if (strcmp(b->t->top[i]->name, "page") == 0)
        pg = b->t->top[i];
    zp_error(b->d, pg ? pg->loc : (zp_loc){b->t->path, 0, 0},
             "the page (%.0f × %.0f mm) with its margins leaves no text "
             "block of at least 12.7 mm each way",
             p->width / MM, p->height / MM);
  }
  if (p->line_pitch > block_height(b) || p->char_pitch > block_width(b)) {
    const zp_tnode *pg = NULL;
    for (int i = 0; i < b->t->ntop; i++)
      if (strcmp(b->t->top[i]->name, "page") == 0)
        pg = b->t->top[i];
    zp_error(b->d, pg ? pg->loc : (zp_loc){b->t->path, 0, 0},
             "the grid's line-pitch and char-pitch must fit the text block "
             "(%.0f × %.0f mm)",
             block_width(b) / MM, block_height(b) / MM);
  }
  if (p->line_pitch <= 0 && p->grid_lines > 0)
    p->line_pitch =
        (p->height - p->margin_top - p->margin_bottom) / p->grid_lines;
  if (p->char_pitch <= 0 && p->grid_chars > 0)
    p->char_pitch =
        (p->width - p->margin_left - p->margin_right) / p->grid_chars;
  if (p->line_pitch <= 0)
    p->line_pitch = 28.95; /* Word's fixed pitch of the official grid */
  b->line_pitch = p->line_pitch;
  if (folio) {
    const char *v;
    if ((v = zp_tmpl_attr(folio, "position")))
      doc->folio.pos = strcmp(v, "outer") == 0    ? ZP_FOLIO_OUTER
                       : strcmp(v, "center") == 0 ? ZP_FOLIO_CENTER
                                                  : ZP_FOLIO_NONE;
    if ((v = zp_tmpl_attr(folio, "format")))
      doc->folio.format = v;
    if ((v = zp_tmpl_attr(folio, "style"))) {
      const zp_style *st = get_style(b, v, folio);
      if (st) {
        doc->folio.role = st->role;
        doc->folio.size = st->size;
      }
    }
    /* the folio stays on the page: below the text block within the
     * bottom margin, indented within the text block */
    if ((v = zp_tmpl_attr(folio, "below")) &&
        (!parse_length(v, doc->folio.size, b->line_pitch, &doc->folio.below) ||
         doc->folio.below < 0 || doc->folio.below > p->margin_bottom))
      zp_error(b->d, folio->loc,
               "below=\"%.40s\" is not a length from 0 to the bottom margin "
               "(%.1f mm)",
               v, p->margin_bottom / MM);
    if ((v = zp_tmpl_attr(folio, "indent")) &&
        (!parse_length(v, doc->folio.size, b->line_pitch, &doc->folio.indent) ||
         doc->folio.indent < 0 || doc->folio.indent > block_width(b) / 2))
      zp_error(b->d, folio->loc,
               "indent=\"%.40s\" is not a length from 0 to half the text "
               "block (%.1f mm)",
               v, block_width(b) / MM / 2);
    if ((v = zp_tmpl_attr(folio, "first-page")))
      doc->folio.first_page = yes(v);
  }
  doc->roles = zp_tmpl_roles(b->t);
}

static const char *nonempty(const char *s) { return s && *s ? s : NULL; }

zp_doc *zp_bind(const zp_template *t, const zp_json_doc *data, zp_diag *d) {
  zp_bind_opts o = {0};
  return zp_bind_with(t, data, &o, d);
}

zp_doc *zp_bind_with(const zp_template *t, const zp_json_doc *data,
                     const zp_bind_opts *opts, zp_diag *d) {
  binder b = {0};
  b.opts = *opts;
  zp_arena *a = zp_arena_new();
  if (!a)
    return NULL;
  b.t = t;
  b.data = data;
  b.d = d;
  b.a = a;
  b.doc = zp_arena_alloc(a, sizeof *b.doc);
  b.doc->arena = a;
  int errors = zp_diag_errors(d);
  long size = data_size(data->root), tsize = 0;
  for (int i = 0; i < t->ntop; i++)
    tsize += template_size(t->top[i]->child) + 1;
  b.steps_left = ZP_BIND_STEPS_BASE + ZP_BIND_STEPS_PER_DATA * size +
                 ZP_BIND_STEPS_PER_TEMPLATE * tsize;
  b.bytes_left = ZP_BIND_BYTES_BASE + ZP_BIND_BYTES_PER_DATA * size +
                 ZP_BIND_BYTES_PER_TEMPLATE * tsize;
  sheet(&b);
  for (int i = 0; i < t->ntop; i++)
    check_style_refs(&b, t->top[i]);
  grouping_walk(&b, data->root);
  for (int i = 0; i < t->ntop; i++) {
    const zp_tnode *n = t->top[i];
    if (strcmp(n->name, "info") == 0) {
      static const char *const keys[] = {"title", "author", "subject",
                                         "keywords", "date"};
      const char **vals[] = {&b.doc->title, &b.doc->author, &b.doc->subject,
                             &b.doc->keywords, &b.doc->date};
      for (int k = 0; k < 5; k++) {
        b.data_loc = (zp_loc){0};
        b.data_val = NULL;
        const char *v = nonempty(attr_text(&b, n, keys[k]));
        char what[32];
        snprintf(what, sizeof what, "<info %s>", keys[k]);
        *vals[k] = v && string_fits(&b, n, what, v, b.data_val) ? v : NULL;
      }
    } else if (strcmp(n->name, "body") == 0) {
      blocks(&b, n->child);
    }
  }
  if (zp_diag_errors(d) > errors) {
    zp_arena_free(a);
    return NULL;
  }
  return b.doc;
}

void zp_doc_free(zp_doc *doc) {
  if (doc)
    zp_arena_free(doc->arena);
}
