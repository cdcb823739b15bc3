/* bind.c — see bind.h. */
#include "bind.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bind-span.h"
#include "bounds.h"
#include "calc.h"
#include "fmt.h"

#define MAX_VARS 64
#define MAX_LEVELS ZP_TMPL_MAX_LEVELS
#define MAX_USE_DEPTH 32

typedef struct var {
  const char *name;
  const zp_json *val;
  long iter; /* which iteration of its loop: for merged cells */
} var;

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

/* A merged cell being extended down: the column it starts in and the loop
 * iteration that made it (rows of several <row>s of one iteration share
 * it). */
typedef struct span_rec {
  int col;
  long iter;
  zp_cell *cell;
  int last_row; /* the last row the cell covers so far */
} span_rec;

struct site;

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
  /* the numbering levels' prefix and suffix, expanded for this data */
  const char *prefix[MAX_LEVELS + 1], *suffix[MAX_LEVELS + 1];
  int use_depth;
  int tables;
  zp_block *tail;
  zp_loc data_loc;         /* of the first field of the text being built */
  const zp_json *data_val; /* and its value */
  int errors;
  zp_bind_opts opts;
  int findings; /* checks that failed */
  bool aborted; /* a runaway macro or the budget spent: stop binding */
  /* the budget (bounds.h): steps and bytes left, linear in the data */
  long steps_left, bytes_left;
  /* the data's strings printed so far (a hash set): each is checked for
   * digit grouping once */
  const zp_json **printed;
  size_t nprinted, capprinted;
  /* the diagnostics of this bind, one per site (report()), printed in
   * order at the end, and a hash of them by site */
  struct site *sites;
  size_t nsites, capsites;
  int *site_hash; /* indexes + 1 into sites; 0: free */
  size_t caphash;
  const void *site_tag; /* part of the site: the <check> of a finding */
  /* the spans of the texts being built (content_text: nested for notes),
   * the order inline elements were entered in, their nesting */
  zp_bind_spans spans;
  uint32_t seq;
  int inline_depth;
  int notes;             /* notes so far: the next one's marker */
  zp_bind_ids ids, refs; /* ids given, and <ref>s' targets */
  /* the attachments' titles and labels (NULL: none given), bound before
   * the parts (an attachment list may stand before them) */
  const char **att_titles, **att_labels;
  int natt, capatt, natt_bound;
} binder;

/* A place that reported: the template's (or the data's) location and the
 * kind of message (its format), with the first message and how often. */
typedef struct site {
  zp_severity sev;
  zp_loc loc;
  const char *fmt;
  const void *tag;
  char *msg;
  long count;
} site;

/* ---- diagnostics: one per site ---- */

static size_t site_key(zp_loc loc, const char *fmt, const void *tag) {
  size_t h = (size_t)(uintptr_t)fmt * 31 + (size_t)loc.line * 131 +
             (size_t)loc.col + (size_t)(uintptr_t)tag * 7;
  for (const char *p = loc.file; p && *p; p++)
    h = h * 33 + (unsigned char)*p;
  return h;
}

static bool same_site(const site *s, zp_loc loc, const char *fmt,
                      const void *tag) {
  return s->fmt == fmt && s->tag == tag && s->loc.line == loc.line &&
         s->loc.col == loc.col &&
         (s->loc.file == loc.file ||
          (s->loc.file && loc.file && strcmp(s->loc.file, loc.file) == 0));
}

/* Reports at loc, once per site: a message that the same place (a field
 * in a loop, a check) gives again, for other iterations, is counted, and
 * printed once at the end of the bind with the count ("(and 6 more
 * iterations)"); the first iteration's message, with its JSON path, is
 * the one shown.  Out of memory: printed at once. */
static void report(binder *b, zp_severity sev, zp_loc loc, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void report(binder *b, zp_severity sev, zp_loc loc, const char *fmt,
                   ...) {
  if (b->nsites * 2 >= b->caphash) {
    size_t cap = b->caphash ? b->caphash * 2 : 64;
    int *h = calloc(cap, sizeof *h);
    if (h) {
      for (size_t i = 0; i < b->nsites; i++) {
        size_t k = site_key(b->sites[i].loc, b->sites[i].fmt, b->sites[i].tag) &
                   (cap - 1);
        while (h[k])
          k = (k + 1) & (cap - 1);
        h[k] = (int)i + 1;
      }
      free(b->site_hash);
      b->site_hash = h;
      b->caphash = cap;
    }
  }
  size_t k = 0;
  if (b->site_hash) {
    for (k = site_key(loc, fmt, b->site_tag) & (b->caphash - 1);
         b->site_hash[k]; k = (k + 1) & (b->caphash - 1))
      if (same_site(&b->sites[b->site_hash[k] - 1], loc, fmt, b->site_tag)) {
        b->sites[b->site_hash[k] - 1].count++;
        return;
      }
  }
  char msg[4096];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  if (b->nsites == b->capsites || !b->site_hash) {
    size_t cap = b->capsites ? b->capsites * 2 : 32;
    site *v = b->site_hash ? realloc(b->sites, sizeof *v * cap) : NULL;
    if (!v) {
      zp_diag_report(b->d, sev, loc, "%s", msg);
      return;
    }
    b->sites = v;
    b->capsites = cap;
  }
  char *copy = strdup(msg);
  if (!copy) {
    zp_diag_report(b->d, sev, loc, "%s", msg);
    return;
  }
  b->sites[b->nsites] = (site){sev, loc, fmt, b->site_tag, copy, 1};
  b->site_hash[k] = (int)++b->nsites;
}

/* Prints the sites' messages, in the order first reported, and frees
 * them. */
static void flush_sites(binder *b) {
  for (size_t i = 0; i < b->nsites; i++) {
    site *s = &b->sites[i];
    if (s->count > 1)
      zp_diag_report(b->d, s->sev, s->loc, "%s (and %ld more iteration%s)",
                     s->msg, s->count - 1, s->count > 2 ? "s" : "");
    else
      zp_diag_report(b->d, s->sev, s->loc, "%s", s->msg);
    free(s->msg);
  }
  free(b->sites);
  free(b->site_hash);
  b->sites = NULL;
  b->site_hash = NULL;
  b->nsites = b->capsites = b->caphash = 0;
}

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
  report(b, ZP_ERROR, n->loc,
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

/* Reports, once, that the budget is spent, at n; binding stops. */
static bool over_budget(binder *b, const zp_tnode *n) {
  if (b->steps_left >= 0 && b->bytes_left >= 0)
    return b->aborted;
  if (!b->aborted)
    report(b, ZP_ERROR, n->loc,
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

/* "; did you mean \"key\"?" for the member of object obj nearest to name,
 * or "" (in buf). */
static const char *nearest_key(const zp_json *obj, const char *name, char *buf,
                               size_t size) {
  const char *keys[256];
  int n = 0;
  buf[0] = 0;
  if (obj->type != ZP_JSON_OBJECT)
    return buf;
  for (const zp_json *c = obj->child; c && n < 256; c = c->next)
    keys[n++] = c->key;
  const char *best = zp_diag_nearest(name, keys, n);
  if (best)
    snprintf(buf, size, "; did you mean \"%s\"?", best);
  return buf;
}

static void report_missing(binder *b, const zp_tnode *n, const char *path,
                           const zp_json *near, const char *missing,
                           const char *expected) {
  char hint[160];
  nearest_key(near, missing, hint, sizeof hint);
  char jp[256];
  zp_json_path(near, jp, sizeof jp);
  bool arr = near->type == ZP_JSON_ARRAY;
  /* a first name that is neither in the data nor a variable: perhaps a
   * loop variable used outside its loop, or misspelt */
  size_t first = strcspn(path, ".[");
  bool var_hint = near == b->data->root && strlen(missing) == first &&
                  strncmp(path, missing, first) == 0;
  if (near->type == ZP_JSON_OBJECT || arr)
    report(b, ZP_ERROR, n->loc,
           "missing data %s%s%s for {%s}: %s:%d:%d: this %s has no %s "
           "\"%s\"%s%s%s; expected %s%s",
           jp, arr ? "" : ".", missing, path, zp_json_file(b->data, near),
           near->line, near->col, arr ? "array" : "object",
           arr ? "element" : "member", missing,
           var_hint ? ", and no enclosing <for as> or macro parameter is "
                      "named \""
                    : "",
           var_hint ? missing : "", var_hint ? "\"" : "", expected, hint);
  else
    report(b, ZP_ERROR, n->loc,
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
  report(b, ZP_ERROR, n->loc,
         "wrong type of data %s for {%s}: %s:%d:%d: %s; "
         "expected %s",
         jp, path, zp_json_file(b->data, v), v->line, v->col, article[v->type],
         expected);
}

/* ---- fields ---- */

static void grouping_check(binder *b, const zp_json *v);

/* Formats value v with formatter fmt (may be NULL) into out. */
static bool format_value(binder *b, const zp_tnode *n, const char *path,
                         const zp_json *v, const char *fmt, const char *arg,
                         sbuf *out) {
  char buf[256];
  if (!fmt || !*fmt) {
    switch (v->type) {
    case ZP_JSON_STRING:
      grouping_check(b, v);
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
      grouping_check(b, v); /* "91,31" for 91.31: say why */
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
  report(b, ZP_ERROR, n->loc,
         "unknown formatter \"%s\"; known: money, percent, int, num, date, "
         "cn, cn-digits",
         fmt);
  return false;
}

/* One field, parsed by the template loader, into out; errors at the
 * field's own line. */
static void computed_value(binder *b, const zp_tnode *n, const zp_tfield *f,
                           sbuf *out);

static void field(binder *b, const zp_tnode *n, const zp_tfield *f, sbuf *out) {
  zp_tnode at = *n;
  at.loc = f->loc;
  if (!spend(b, &at, 1))
    return;
  if (f->expr) {
    computed_value(b, &at, f, out);
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

/* An attribute's value (fields parsed by the loader) with its fields
 * expanded, in the doc's arena; NULL when a is NULL. */
static const char *attr_text(binder *b, const zp_tnode *n, const zp_tattr *a) {
  if (!a)
    return NULL;
  sbuf s = {.left = &b->bytes_left};
  expand(b, n, a->value, a->fields, a->nfields, &s);
  over_budget(b, n);
  const char *r = zp_arena_strdup(b->a, s.s ? s.s : "");
  free(s.s);
  return r;
}

/* ---- computed values ---- */

/* The variable named by the len bytes of name, innermost first (calc.h's
 * zp_calc_var). */
static const zp_json *var_of(void *ctx, const char *name, size_t len) {
  binder *b = ctx;
  for (int i = b->nvars - 1; i >= 0; i--)
    if (strlen(b->vars[i].name) == len &&
        strncmp(b->vars[i].name, name, len) == 0)
      return b->vars[i].val;
  return NULL;
}

/* Evaluates the compiled expression e (its text: text) at template node
 * n; false after an error.  With need_value an absent result is an error
 * too. */
static bool calc(binder *b, const zp_tnode *n, const zp_expr *e,
                 const char *text, bool need_value, zp_val *out) {
  if (!e)
    return false; /* reported at load */
  zp_calc_env env = {b->data,     var_of,       b,
                     b->t->bands, b->t->nbands, &b->steps_left};
  char err[512];
  if (!spend(b, n, 1 + (long)(strlen(text) / 8)))
    return false;
  bool ok = zp_expr_eval(e, &env, out, err, sizeof err);
  if (b->steps_left < 0)
    b->aborted = true; /* reported here, once */
  if (ok && !(need_value && out->absent))
    return true;
  char shown[96];
  report(b, ZP_ERROR, n->loc, "cannot compute {=%s}: %s",
         shorten(text, shown, sizeof shown), err);
  return false;
}

/* A computed field's value "{=EXPR|fmt:arg}". */
static void computed_value(binder *b, const zp_tnode *n, const zp_tfield *f,
                           sbuf *out) {
  zp_val r;
  if (!calc(b, n, f->cexpr, f->expr, true, &r))
    return;
  const char *spec = f->expr, *fmt = f->fmt, *arg = f->arg;
  if (r.type == ZP_VAL_STRING && !fmt) {
    if (r.data)
      grouping_check(b, r.data);
    sb_puts(out, r.string);
    return;
  }
  if (r.type == ZP_VAL_NULL && !fmt)
    return;
  if (r.type != ZP_VAL_NUMBER) {
    report(b, ZP_ERROR, n->loc,
           "{=%s} is %s; a field prints a number or a string%s", spec,
           r.type == ZP_VAL_BOOL     ? "a condition (true or false)"
           : r.type == ZP_VAL_STRING ? "a string"
           : r.type == ZP_VAL_NULL   ? "null"
                                     : "an array or object",
           fmt ? " (and a formatter takes a number)" : "");
    return;
  }
  double v = r.number;
  char raw[512], shown[512];
  zp_fmt_double(v, raw, sizeof raw);
  if (!fmt) {
    /* up to two decimals, trailing zeros dropped */
    if (!zp_fmt_decimal(raw, 2, false, shown, sizeof shown)) {
      report(b, ZP_ERROR, n->loc, "{=%s} is too large to write (%g)", spec, v);
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
  const char *rule = n->as.check.rule;
  bool warn = n->as.check.warning || b->opts.inconsistent_as_warnings;
  char jp[256], st[64], ct[64];
  zp_json_path(v, jp, sizeof jp);
  b->findings++;
  b->site_tag = n;
  report(b, warn ? ZP_WARNING : ZP_ERROR, data_loc(b, v),
         "%s: stated %s, %s %s; rule: %s (%s:%d)", jp,
         shorten(stated, st, sizeof st), what,
         shorten(computed_text, ct, sizeof ct), rule ? rule : "(none given)",
         n->loc.file, n->loc.line);
  b->site_tag = NULL;
}

static void check(binder *b, const zp_tnode *n) {
  const char *path = n->as.check.value;
  if (!n->as.check.expr)
    return; /* reported at load */
  const zp_json *near;
  char missing[256];
  const zp_json *v = resolve(b, path, &near, missing, sizeof missing);
  if (!v || v->type == ZP_JSON_NULL)
    return; /* nothing stated, nothing to check */
  zp_val r;
  zp_check_kind kind = n->as.check.kind;
  const zp_expr *ce = n->as.check.cexpr;
  if (kind == ZP_CHECK_GRADE) {
    if (!calc(b, n, ce, n->as.check.expr, true, &r))
      return;
    double c = r.number;
    const char *text = r.string;
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
    grouping_check(b, v); /* "91,31" for 91.31: say why */
    report_type(b, n, path, v, "a number for <check>");
    return;
  }
  if (!calc(b, n, ce, n->as.check.expr, true, &r))
    return;
  if (r.type != ZP_VAL_NUMBER) {
    report(b, ZP_ERROR, n->loc, "<check>: %s is not a number",
           n->as.check.expr);
    return;
  }
  double c = r.number;
  /* the stated figure as decimal text (a stated "1e2" is 100) */
  char stated[512], raw[512], cs[512], ss[512];
  if (strpbrk(v->raw, "eE"))
    zp_fmt_double(v->number, stated, sizeof stated);
  else
    snprintf(stated, sizeof stated, "%s", v->raw);
  int places =
      n->as.check.places >= 0 ? n->as.check.places : zp_fmt_places(stated);
  if (places > 12) {
    report(b, ZP_ERROR, n->loc,
           "<check> compares at most 12 decimals; %s has %d "
           "(give places=\"N\")",
           path, places);
    return;
  }
  zp_fmt_double(c, raw, sizeof raw);
  if (!zp_fmt_decimal(raw, places, false, cs, sizeof cs) ||
      !zp_fmt_decimal(stated, places, false, ss, sizeof ss)) {
    report(b, ZP_ERROR, n->loc, "<check> cannot compare %s with %s: too large",
           v->raw, raw);
    return;
  }
  /* equals: both rounded to the stated decimals; max and min: the stated
   * figure against the exact bound */
  if (kind == ZP_CHECK_EQUALS && strcmp(cs, ss) != 0)
    finding(b, n, v, v->raw, cs, "computed");
  else if (kind == ZP_CHECK_MAX && v->number > c + 1e-9)
    finding(b, n, v, v->raw, raw, "more than the maximum");
  else if (kind == ZP_CHECK_MIN && v->number < c - 1e-9)
    finding(b, n, v, v->raw, raw, "less than the minimum");
}

/* Adds v to the set of strings checked for digit grouping; false when it
 * was there already (a string printed twice is reported once). */
static bool first_print(binder *b, const zp_json *v) {
  if (b->nprinted * 2 >= b->capprinted) {
    size_t cap = b->capprinted ? b->capprinted * 2 : 256;
    const zp_json **t = calloc(cap, sizeof *t);
    if (!t)
      return false;
    for (size_t i = 0; i < b->capprinted; i++)
      if (b->printed[i]) {
        size_t h = ((uintptr_t)b->printed[i] >> 4) & (cap - 1);
        while (t[h])
          h = (h + 1) & (cap - 1);
        t[h] = b->printed[i];
      }
    free(b->printed);
    b->printed = t;
    b->capprinted = cap;
  }
  size_t h = ((uintptr_t)v >> 4) & (b->capprinted - 1);
  for (; b->printed[h]; h = (h + 1) & (b->capprinted - 1))
    if (b->printed[h] == v)
      return false;
  b->printed[h] = v;
  b->nprinted++;
  return true;
}

/* Numbers written as text with broken thousands grouping ("1,50.42"), in a
 * string of the data that the template prints (once however often). */
static void grouping_check(binder *b, const zp_json *v) {
  if (v->type == ZP_JSON_STRING && strchr(v->string, ',') &&
      first_print(b, v)) {
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
        e--;         /* a comma or stop ending the number belongs to the text */
      comma = false; /* "rows 1, 3": the comma after 1 is the text's */
      for (const char *q = s; q < e; q++)
        comma |= *q == ',';
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
          report(b,
                 whole && !b->opts.inconsistent_as_warnings ? ZP_ERROR
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

/* <if test>: a bare path is true when its value exists and is not empty
 * (never an error); an expression is true by calc.h's truth. */
static bool test(binder *b, const zp_tnode *n) {
  bool t;
  if (n->as.cond.bare) {
    const zp_json *near;
    char missing[256];
    t = truthy(resolve(b, n->as.cond.test, &near, missing, sizeof missing));
  } else {
    zp_val r;
    t = calc(b, n, n->as.cond.expr, n->as.cond.test, false, &r) &&
        zp_val_true(&r);
  }
  return n->as.cond.negate ? !t : t;
}

/* The children of <if> n in the branch its test selects: [*from, *to). */
static void if_branch(binder *b, const zp_tnode *n, const zp_tnode **from,
                      const zp_tnode **to) {
  const zp_tnode *els = n->as.cond.els;
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
  const char *path = n->as.loop.each;
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
    report(b, ZP_ERROR, n->loc, "loops and macros nested deeper than %d",
           MAX_VARS);
    return false;
  }
  b->vars[b->nvars++] = (var){name, v, ++b->iters};
  return true;
}

/* ---- inline content ---- */

static void inline_content(binder *b, const zp_tnode *first, sbuf *out);
static const zp_tnode *use_enter(binder *b, const zp_tnode *n, int *saved);
static void use_leave(binder *b, int saved);

static void inline_span(binder *b, const zp_tnode *c, sbuf *out);
static void inline_note(binder *b, const zp_tnode *c, sbuf *out);

static void inline_node(binder *b, const zp_tnode *c, sbuf *out) {
  if (!spend(b, c, 1))
    return;
  switch (c->kind) {
  case ZP_T_B:
  case ZP_T_SUP:
  case ZP_T_SUB:
  case ZP_T_SPAN:
  case ZP_T_A:
  case ZP_T_REF:
    inline_span(b, c, out);
    break;
  case ZP_T_NOTE:
    inline_note(b, c, out);
    break;
  case ZP_T_TEXT:
    expand(b, c, c->text, c->fields, c->nfields, out);
    break;
  case ZP_T_BR:
    sb_put(out, "\n", 1);
    break;
  case ZP_T_USE: { /* an inline macro: its text here */
    int saved;
    const zp_tnode *def = use_enter(b, c, &saved);
    if (def) {
      inline_content(b, def->child, out);
      use_leave(b, saved);
    }
    break;
  }
  case ZP_T_FOR: {
    const zp_json *arr = loop_array(b, c);
    if (!arr)
      return;
    const char *sep = c->as.loop.sep;
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (e != arr->child && sep)
        sb_puts(out, sep);
      if (!push(b, c, c->as.loop.as, e) || !spend(b, c, 1))
        return;
      inline_content(b, c->child, out);
      b->nvars--;
    }
    break;
  }
  case ZP_T_IF: {
    const zp_tnode *from, *to;
    if_branch(b, c, &from, &to);
    for (const zp_tnode *k = from; k != to; k = k->next)
      inline_node(b, k, out);
    break;
  }
  default:
    break;
  }
}

static void inline_content(binder *b, const zp_tnode *first, sbuf *out) {
  for (const zp_tnode *c = first; c && !b->aborted; c = c->next)
    inline_node(b, c, out);
}

/* ---- spans ---- */

/* Records a span of kind over [start, end) of the text being built, made
 * by element c entered as seq; charged to the budget.  NULL when it cannot
 * be (the budget spent, out of memory). */
static zp_span *add_span(binder *b, const zp_tnode *c, zp_span_kind kind,
                         size_t start, size_t end, uint32_t seq) {
  b->bytes_left -= ZP_BIND_BYTES_PER_SPAN;
  if (!spend(b, c, 1))
    return NULL;
  return zp_bind_span_add(&b->spans, kind, start, end, seq, c->loc);
}

/* The text built in s (its spans from k0), trimmed, with its spans, into
 * the doc's arena (bind-span.h).  Frees s. */
static const char *finish_text(binder *b, sbuf *s, size_t k0,
                               const zp_span **spans, uint32_t *nspans) {
  const char *r = zp_bind_span_finish(&b->spans, k0, b->a, s->s ? s->s : "",
                                      s->s ? s->n : 0, spans, nspans);
  free(s->s);
  s->s = NULL;
  return r;
}

/* A STYLE or LINK element: its content, and a span over it. */
static void inline_span(binder *b, const zp_tnode *c, sbuf *out) {
  if (b->inline_depth >= ZP_MAX_INLINE_DEPTH) {
    report(b, ZP_ERROR, c->loc,
           "inline elements (<b>, <sup>, <span>, <a>, <note> …) nested deeper "
           "than %d (through macros)",
           ZP_MAX_INLINE_DEPTH);
    return;
  }
  uint32_t seq = b->seq++;
  size_t start = out->n;
  const char *uri = NULL, *target = NULL, *why;
  if (c->kind == ZP_T_A) {
    uri = attr_text(b, c, c->as.inl.href);
    if (uri && c->as.inl.href->nfields && (why = zp_tmpl_uri_problem(uri))) {
      char shown[96];
      report(b, ZP_ERROR, c->as.inl.at, "<a href=\"%s\">: %s",
             shorten(uri, shown, sizeof shown), why);
      uri = NULL;
    }
  } else if (c->kind == ZP_T_REF) {
    target = attr_text(b, c, c->as.inl.to);
    if (target && !*target) {
      report(b, ZP_ERROR, c->as.inl.at, "<ref to=\"%s\"> gives an empty id",
             c->as.inl.to->value);
      target = NULL;
    }
  }
  b->inline_depth++;
  inline_content(b, c->child, out);
  b->inline_depth--;
  if (c->kind == ZP_T_A && uri && out->n == start) /* <a href="…"/>: the
                                                      URL, or the address */
    sb_puts(out, strncmp(uri, "mailto:", 7) == 0 ? uri + 7 : uri);
  if (c->kind == ZP_T_REF && target && out->n == start) {
    report(b, ZP_ERROR, c->as.inl.at, "<ref to=\"%s\"> has no text to print",
           c->as.inl.to->value);
    return;
  }
  if ((c->kind == ZP_T_A && !uri) || (c->kind == ZP_T_REF && !target))
    return;
  zp_span *sp = add_span(
      b, c,
      c->kind == ZP_T_A || c->kind == ZP_T_REF ? ZP_SPAN_LINK : ZP_SPAN_STYLE,
      start, out->n, seq);
  if (!sp)
    return;
  sp->style = c->as.inl.style;
  sp->bold = c->as.inl.bold;
  sp->shift = c->as.inl.shift;
  sp->color = c->as.inl.color;
  sp->uri = uri;
  sp->target = target;
  if (target)
    zp_bind_id_add(&b->refs, target, c->as.inl.at);
}

/* A <note>: its content becomes a zp_note; its marker is printed here,
 * with a NOTE span over it. */
static void inline_note(binder *b, const zp_tnode *c, sbuf *out) {
  if (b->inline_depth >= ZP_MAX_INLINE_DEPTH) {
    report(b, ZP_ERROR, c->loc,
           "inline elements (<b>, <sup>, <span>, <a>, <note> …) nested deeper "
           "than %d (through macros)",
           ZP_MAX_INLINE_DEPTH);
    return;
  }
  uint32_t seq = b->seq++;
  zp_loc dl = b->data_loc;
  const zp_json *dv = b->data_val;
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  sbuf ns = {.left = &b->bytes_left};
  size_t k0 = b->spans.n;
  b->inline_depth++;
  inline_content(b, c->child, &ns);
  b->inline_depth--;
  zp_note *note = zp_arena_alloc(b->a, sizeof *note);
  const zp_span *spans;
  uint32_t nspans;
  const char *text = finish_text(b, &ns, k0, &spans, &nspans);
  const zp_json *from = b->data_val;
  zp_loc from_loc = b->data_loc;
  b->data_loc = dl;
  b->data_val = dv;
  if (!note || b->aborted)
    return;
  if (!*text) {
    char jp[256] = "", src[600] = "";
    if (from) {
      zp_json_path(from, jp, sizeof jp);
      snprintf(src, sizeof src, "; its text comes from %s (%s:%d:%d)", jp,
               from_loc.file, from_loc.line, from_loc.col);
    }
    report(b, ZP_ERROR, c->as.inl.at,
           "this <note> is empty: it has nothing to print after binding%s",
           src);
    return;
  }
  note->text = text;
  note->spans = spans;
  note->nspans = nspans;
  note->loc = c->as.inl.at;
  /* the marker in the style sheet's <footnotes marker>: a number (or
   * [number]) raised as a superscript, a circled digit as it is */
  char marker[32];
  bool circled = false;
  size_t start = out->n;
  if (!zp_fmt_note_marker((int)b->t->footnotes.marker, ++b->notes, marker,
                          sizeof marker, &circled))
    return;
  sb_puts(out, marker);
  zp_span *sp = add_span(b, c, ZP_SPAN_NOTE, start, out->n, seq);
  if (sp) {
    sp->note = note;
    sp->loc = c->as.inl.at;
  }
  if (!circled && (sp = add_span(b, c, ZP_SPAN_STYLE, start, out->n, b->seq++)))
    sp->shift = ZP_SHIFT_SUPER; /* inside the NOTE span: a later seq */
}

/* The text of a p, item or cell, trimmed, in the doc's arena, with its
 * spans (*spans, *nspans: NULL and 0 when it has none). */
static const char *content_text(binder *b, const zp_tnode *n,
                                const char *prefix, const zp_span **spans,
                                uint32_t *nspans) {
  sbuf s = {.left = &b->bytes_left};
  if (prefix)
    sb_puts(&s, prefix);
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  size_t k0 = b->spans.n;
  inline_content(b, n->child, &s);
  over_budget(b, n);
  return finish_text(b, &s, k0, spans, nspans);
}

/* The id of p, item, section or table n (expanded), recorded for the
 * check at the end; NULL when it has none. */
static const char *id_text(binder *b, const zp_tnode *n) {
  if (!n->id)
    return NULL;
  const char *id = attr_text(b, n, n->id);
  if (!id || !*id) {
    report(b, ZP_ERROR, n->id_at, "id=\"%s\" gives an empty id", n->id->value);
    return NULL;
  }
  zp_bind_id_add(&b->ids, id, n->id_at);
  return id;
}

/* Every id given twice, every <ref> to no id (with the nearest ids). */
static void check_ids(binder *b) {
  zp_bind_id_sort(&b->ids);
  const zp_bind_id *v = b->ids.v;
  for (size_t i = 1; i < b->ids.n; i++)
    if (strcmp(v[i].id, v[i - 1].id) == 0) {
      size_t f = i - 1;
      while (f > 0 && strcmp(v[f - 1].id, v[i].id) == 0)
        f--;
      report(b, ZP_ERROR, v[i].loc, "id=\"%s\" is given twice (first at %s:%d)",
             v[i].id, v[f].loc.file, v[f].loc.line);
    }
  int hints = 0;
  for (size_t i = 0; i < b->refs.n; i++) {
    const zp_bind_id *r = &b->refs.v[i];
    if (zp_bind_id_has(&b->ids, r->id))
      continue;
    /* the nearest id, for the first few (each is a pass over the ids) */
    char hint[160] = "";
    const char *best = hints++ < 16 ? zp_bind_id_nearest(&b->ids, r->id) : NULL;
    if (best)
      snprintf(hint, sizeof hint, "; did you mean \"%s\"?", best);
    char shown[96];
    report(b, ZP_ERROR, r->loc, "<ref to=\"%s\">: no element has that id%s",
           shorten(r->id, shown, sizeof shown), hint);
  }
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
  const zp_tlevel *L = &b->t->levels[lv];
  char num[64];
  int c = b->counters[lv];
  if (L->format == ZP_NUMBER_CN) {
    if (!zp_fmt_cn(c, num, sizeof num))
      snprintf(num, sizeof num, "%d", c); /* past 九万九千九百九十九 */
  } else if (L->format == ZP_NUMBER_ALPHA) {
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
  return zp_arena_printf(b->a, "%s%s%s", b->prefix[lv] ? b->prefix[lv] : "",
                         num, b->suffix[lv] ? b->suffix[lv] : "");
}

static void count(binder *b, int lv) {
  b->counters[lv]++;
  for (int i = lv + 1; i <= MAX_LEVELS; i++)
    b->counters[i] = 0;
}

static void blocks(binder *b, const zp_tnode *first);
static void table(binder *b, const zp_tnode *n);
static void attachment_list(binder *b, const zp_tnode *n);
static void signature(binder *b, const zp_tnode *n);

/* A style the compiler left to the binder (NULL): "body"; an error at n
 * when the template has none. */
static const zp_style *or_body(binder *b, const zp_tnode *n,
                               const zp_style *st) {
  if (!st && !(st = b->t->body_style))
    report(b, ZP_ERROR, n->loc, "unknown style \"body\"");
  return st;
}

static void paragraph(binder *b, const zp_tnode *n) {
  bool item = n->kind == ZP_T_ITEM;
  int lv = b->depth + 1;
  if (item && lv > MAX_LEVELS) {
    report(b, ZP_ERROR, n->loc, "an item deeper than %d levels", MAX_LEVELS);
    return;
  }
  const zp_style *st = n->as.p.style;
  if (!st && item)
    st = or_body(b, n, b->t->levels[lv].item_style);
  const char *prefix = NULL;
  if (item) {
    count(b, lv);
    prefix = number_text(b, lv);
  }
  const char *id = id_text(b, n);
  const zp_span *spans;
  uint32_t nspans;
  const char *text = content_text(b, n, prefix, &spans, &nspans);
  zp_block *blk = add_block(b, ZP_BLOCK_PARAGRAPH, n);
  if (!blk || !st)
    return;
  blk->style = st;
  blk->text = text;
  blk->spans = spans;
  blk->nspans = nspans;
  blk->id = id;
  blk->data_loc = b->data_loc;
  blk->data_path = json_path(b, b->data_val);
  blk->fill = n->as.p.fill;
}

static void section(binder *b, const zp_tnode *n) {
  int lv = b->depth + 1;
  if (lv > MAX_LEVELS) {
    report(b, ZP_ERROR, n->loc, "sections nested deeper than %d", MAX_LEVELS);
    return;
  }
  if (n->as.section.new_page)
    add_block(b, ZP_BLOCK_PAGE_BREAK, n);
  const char *id = id_text(b, n);
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  const zp_span *spans = NULL;
  uint32_t nspans = 0;
  const char *title =
      n->as.section.title_el
          ? content_text(b, n->as.section.title_el, NULL, &spans, &nspans)
          : attr_text(b, n, n->as.section.title);
  zp_loc dl = b->data_loc;
  const zp_json *title_val = b->data_val;
  if (!title || !string_fits(b, n, "the section title", title, b->data_val))
    title = "";
  const char *num = "";
  if (n->as.section.numbered) {
    count(b, lv);
    num = number_text(b, lv);
  } else {
    /* unnumbered, it still starts the numbering below it afresh */
    for (int i = lv + 1; i <= MAX_LEVELS; i++)
      b->counters[i] = 0;
  }
  const zp_style *st = n->as.section.style;
  if (!st)
    st = or_body(b, n, b->t->levels[lv].heading_style);
  zp_block *blk = add_block(b, ZP_BLOCK_HEADING, n);
  if (blk && st) {
    blk->style = st;
    blk->text = zp_arena_printf(b->a, "%s%s", num, title);
    /* the title's spans move past the number */
    size_t shift = strlen(num);
    zp_span *sp = nspans ? zp_arena_alloc(b->a, sizeof *sp * nspans) : NULL;
    for (uint32_t i = 0; sp && i < nspans; i++) {
      sp[i] = spans[i];
      sp[i].start += (uint32_t)shift;
      sp[i].end += (uint32_t)shift;
    }
    blk->spans = sp;
    blk->nspans = sp ? nspans : 0;
    blk->id = id;
    blk->level = lv;
    blk->outline = b->t->levels[lv].outline;
    blk->data_loc = dl;
    blk->data_path = json_path(b, title_val);
  }
  b->depth++;
  blocks(b, n->child);
  b->depth--;
}

/* <contents>: its title (a paragraph with a bookmark of level 1, not an
 * entry of any contents), then the contents block. */
static void contents(binder *b, const zp_tnode *n) {
  const zp_style *st = n->as.contents.style;
  if (!st || !n->as.contents.toc)
    return; /* reported at load */
  if (n->as.contents.title) {
    b->data_loc = (zp_loc){0};
    b->data_val = NULL;
    const char *title = attr_text(b, n, n->as.contents.title);
    if (!title || !string_fits(b, n, "the contents' title", title, b->data_val))
      title = "";
    zp_block *t = add_block(b, ZP_BLOCK_PARAGRAPH, n);
    if (t) {
      t->style = n->as.contents.title_style;
      t->text = title;
      t->outline = n->as.contents.outline;
      t->level = t->outline ? 1 : 0;
      t->data_loc = b->data_loc;
    }
  }
  zp_block *blk = add_block(b, ZP_BLOCK_CONTENTS, n);
  if (blk) {
    blk->style = st;
    blk->text = "";
    blk->contents = n->as.contents.toc;
  }
}

/* Enters macro <use> n: its parameters (paths, looked up where <use>
 * stands) bound for its content; the macro's <define>, or NULL (after an
 * error, or reported at load).  *saved: what use_leave() restores. */
static const zp_tnode *use_enter(binder *b, const zp_tnode *n, int *saved) {
  const zp_tnode *def = n->as.use.def;
  *saved = b->nvars;
  if (!def)
    return NULL; /* reported at load */
  if (b->use_depth == MAX_USE_DEPTH) {
    report(b, ZP_ERROR, n->loc,
           "macros nested deeper than %d (does \"%s\" call itself "
           "without end?)",
           MAX_USE_DEPTH, zp_tmpl_attr(n, "name"));
    b->aborted = true; /* a branching recursion would go on for ages */
    return NULL;
  }
  const zp_json *vals[16];
  int np = n->as.use.nparams;
  for (int i = 0; i < np && i < 16; i++) {
    const zp_json *near;
    char missing[256];
    const char *path = n->as.use.params[i].path;
    vals[i] = resolve(b, path, &near, missing, sizeof missing);
    if (!vals[i]) {
      report_missing(b, n, path, near, missing,
                     "a value for the macro's parameter");
      return NULL;
    }
  }
  for (int i = 0; i < np && i < 16; i++)
    if (!push(b, n, n->as.use.params[i].name, vals[i]))
      break;
  b->use_depth++;
  return def;
}

static void use_leave(binder *b, int saved) {
  b->use_depth--;
  b->nvars = saved;
}

static void block(binder *b, const zp_tnode *n) {
  if (n->kind == ZP_T_TEXT || !spend(b, n, 1))
    return; /* whitespace between blocks, or the budget spent */
  switch (n->kind) {
  case ZP_T_P:
  case ZP_T_ITEM:
    paragraph(b, n);
    break;
  case ZP_T_SECTION:
    section(b, n);
    break;
  case ZP_T_FOR: {
    const zp_json *arr = loop_array(b, n);
    if (!arr)
      return;
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (!push(b, n, n->as.loop.as, e) || !spend(b, n, 1))
        return;
      blocks(b, n->child);
      b->nvars--;
    }
    break;
  }
  case ZP_T_IF: {
    const zp_tnode *from, *to;
    if_branch(b, n, &from, &to);
    for (const zp_tnode *k = from; k != to; k = k->next)
      block(b, k);
    break;
  }
  case ZP_T_USE: {
    int saved;
    const zp_tnode *def = use_enter(b, n, &saved);
    if (def) {
      blocks(b, def->child);
      use_leave(b, saved);
    }
    break;
  }
  case ZP_T_CHECK:
    check(b, n);
    break;
  case ZP_T_PAGE_BREAK:
    add_block(b, ZP_BLOCK_PAGE_BREAK, n);
    break;
  case ZP_T_IMAGE:
    if (n->as.image) {
      zp_block *blk = add_block(b, ZP_BLOCK_IMAGE, n);
      if (blk) {
        blk->image = n->as.image;
        blk->style = b->t->body_style;
      }
    }
    break;
  case ZP_T_SIGNATURE:
    signature(b, n);
    break;
  case ZP_T_TABLE:
    table(b, n);
    break;
  case ZP_T_CONTENTS:
    contents(b, n);
    break;
  case ZP_T_ATTACHMENT_LIST:
    attachment_list(b, n);
    break;
  default:
    break;
  }
}

/* A signature block: its unit and date expanded. */
static void signature(binder *b, const zp_tnode *n) {
  zp_signature *s = zp_arena_alloc(b->a, sizeof *s);
  if (!s)
    return;
  *s = n->as.sign.sign;
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  s->unit = attr_text(b, n, n->as.sign.unit);
  s->date = attr_text(b, n, n->as.sign.date);
  if (!s->unit)
    s->unit = "";
  if (!s->date)
    s->date = "";
  zp_block *blk = add_block(b, ZP_BLOCK_SIGNATURE, n);
  if (!blk || !n->as.sign.style)
    return;
  blk->style = n->as.sign.style;
  blk->sign = s;
  blk->text = s->unit;
  blk->data_loc = b->data_loc;
}

static void blocks(binder *b, const zp_tnode *first) {
  for (const zp_tnode *c = first; c && !b->aborted; c = c->next)
    block(b, c);
}

/* ---- parts ---- */

/* A paragraph block of text in style st, made for n. */
static zp_block *made_block(binder *b, const zp_tnode *n, const zp_style *st,
                            const char *text) {
  zp_block *blk = add_block(b, ZP_BLOCK_PARAGRAPH, n);
  if (blk) {
    blk->style = st;
    blk->text = text;
  }
  return blk;
}

/* <attachment-list/> n: "附件：1.名称", a later item's "2." under "1.", a
 * wrapped name under its first character (GB/T 9704 7.3.4). */
static void attachment_list(binder *b, const zp_tnode *n) {
  const zp_style *st = n->as.list_style;
  if (!st)
    return;
  if (!b->natt) {
    report(b, ZP_ERROR, n->loc,
           "<attachment-list/> lists the document's <attachment>s, and it has "
           "none");
    return;
  }
  static const char lead[] = "附件：";
  for (int i = 0; i < b->natt; i++) {
    char num[16];
    /* one attachment: no number (附件：名称) */
    num[0] = 0;
    if (b->natt > 1)
      snprintf(num, sizeof num, "%d.", i + 1);
    /* a label 附件X numbers the list's item X. (a lone 附件1 too) */
    const char *l = b->att_labels[i];
    size_t ll = l ? strlen(l) : 0, pl = strlen("附件");
    if (ll > pl && ll - pl < sizeof num - 1 && !memcmp(l, "附件", pl) &&
        !strpbrk(l + pl, " \t"))
      snprintf(num, sizeof num, "%s.", l + pl);
    const char *text =
        zp_arena_printf(b->a, "%s%s%s", i ? "" : lead, num, b->att_titles[i]);
    zp_block *blk = text ? made_block(b, n, st, text) : NULL;
    if (!blk)
      return;
    blk->hang = (uint32_t)(strlen(num) + (i ? 0 : strlen(lead)));
    if (!blk->hang)
      blk->hang = (uint32_t)strlen(lead);
    blk->lead = i ? lead : NULL;
    /* under the body's text: the list starts no page (it takes the end
     * of the paragraph before, as the signature after it takes it) */
    blk->keep_with_previous = i == 0;
  }
}

/* The text of <header> or <footer> n, in the doc's arena: its text with
 * the data's fields (control characters as spaces), the report's title for
 * <report-title/>, and the ZP_HF_ bytes for the page fields. */
static const char *hf_text(binder *b, const zp_tnode *n) {
  sbuf s = {.left = &b->bytes_left};
  for (const zp_tnode *k = n->child; k; k = k->next) {
    if (k->kind == ZP_T_TEXT) {
      size_t from = s.n;
      expand(b, k, k->text, k->fields, k->nfields, &s);
      /* one line: a control character of the data (a line break, or one
       * that would read as a page field) is a space */
      for (size_t i = from; s.s && i < s.n; i++)
        if ((unsigned char)s.s[i] < 0x20)
          s.s[i] = ' ';
    } else if (strcmp(k->name, "page-number") == 0)
      sb_put(&s, (char[]){ZP_HF_PAGE}, 1);
    else if (strcmp(k->name, "page-count") == 0)
      sb_put(&s, (char[]){ZP_HF_PAGES}, 1);
    else if (strcmp(k->name, "part-page-count") == 0)
      sb_put(&s, (char[]){ZP_HF_PART_PAGES}, 1);
    else if (strcmp(k->name, "report-title") == 0 && b->doc->title)
      sb_puts(&s, b->doc->title);
  }
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

/* <part> or <attachment> n as a zp_part on the doc's list; its blocks on
 * the doc's chain. */
static void part(binder *b, const zp_tnode *n, zp_part **tail) {
  const zp_tpart *tp = n->as.part;
  zp_part *p = zp_arena_alloc(b->a, sizeof *p);
  if (!tp || !p)
    return;
  p->kind = tp->kind;
  p->page = tp->page;
  p->folio = tp->folio;
  p->restart = tp->restart;
  p->start = tp->start;
  p->num = tp->num;
  p->folio_portrait = tp->folio_portrait;
  p->place = tp->place;
  p->watermark = tp->watermark;
  p->no_watermark = tp->no_watermark;
  p->loc = n->loc;
  if (*tail)
    (*tail)->next = p;
  else
    b->doc->parts = p;
  *tail = p;
  zp_hf *hf_tail = NULL;
  for (const zp_tnode *k = n->child; k; k = k->next) {
    if (k->kind != ZP_T_HF)
      continue;
    zp_hf *h = zp_arena_alloc(b->a, sizeof *h);
    if (!h)
      return;
    h->footer = k->as.hf.footer;
    h->pages = k->as.hf.pages;
    h->style = k->as.hf.style;
    h->align = k->as.hf.align;
    h->distance = k->as.hf.distance;
    h->loc = k->loc;
    h->text = hf_text(b, k);
    if (hf_tail)
      hf_tail->next = h;
    else
      p->hf = h;
    hf_tail = h;
  }
  zp_block *before = b->tail;
  if (tp->kind == ZP_PART_ATTACHMENT) {
    int k = p->attachment = ++b->natt_bound;
    p->title = k <= b->natt ? b->att_titles[k - 1] : "";
    /* 附件N; a lone attachment is 附件, unless its label says otherwise */
    const char *label = k <= b->natt ? b->att_labels[k - 1] : NULL;
    if (!label || !*label)
      label = b->natt > 1 ? zp_arena_printf(b->a, "附件%d", k) : "附件";
    /* the label is the attachment's bookmark (level 1, as a heading 一、
     * of the body): "附件1 名称" */
    zp_block *lb = made_block(b, n, tp->label_style, label);
    const char *bm =
        lb ? zp_arena_printf(b->a, "%s %s", label, p->title) : NULL;
    if (bm && strlen(bm) <= ZP_MAX_TEXT_STRING) { /* else none */
      lb->outline = true;
      lb->level = 1;
      lb->outline_text = bm;
    }
    made_block(b, n, tp->title_style, p->title);
  }
  /* the numbering of headings restarts in each attachment (a body split
   * into parts, a landscape table between portrait pages, numbers on) */
  if (tp->kind == ZP_PART_ATTACHMENT)
    for (int i = 0; i <= MAX_LEVELS; i++)
      b->counters[i] = 0;
  blocks(b, n->child);
  p->first = b->tail != before ? (before ? before->next : b->doc->first) : NULL;
  p->last = p->first ? b->tail : NULL;
}

static void parts_walk(binder *b, const zp_tnode *first, bool bind,
                       zp_part **tail);

/* Part-level node n (a part, an attachment, a <for> or <if> of them):
 * bind false, an attachment's title into b->att_titles (counted in
 * b->natt); bind true, each part (once the titles are known: an
 * attachment list may come before its attachments). */
static void parts_node(binder *b, const zp_tnode *n, bool bind,
                       zp_part **tail) {
  if (n->kind == ZP_T_TEXT || !spend(b, n, 1))
    return;
  if (n->kind == ZP_T_PART || (bind && n->kind == ZP_T_ATTACHMENT)) {
    if (bind)
      part(b, n, tail);
  } else if (n->kind == ZP_T_ATTACHMENT) {
    if (b->natt == b->capatt) {
      int cap = b->capatt ? b->capatt * 2 : 8;
      const char **v = zp_arena_alloc(b->a, sizeof *v * (size_t)cap);
      const char **w = zp_arena_alloc(b->a, sizeof *w * (size_t)cap);
      if (!v || !w)
        return;
      if (b->natt) {
        memcpy(v, b->att_titles, sizeof *v * (size_t)b->natt);
        memcpy(w, b->att_labels, sizeof *w * (size_t)b->natt);
      }
      b->att_titles = v;
      b->att_labels = w;
      b->capatt = cap;
    }
    b->data_loc = (zp_loc){0};
    b->data_val = NULL;
    const char *t = attr_text(b, n, n->as.part ? n->as.part->title : NULL);
    if (t && !string_fits(b, n, "the attachment's title", t, b->data_val))
      t = "";
    else if (t && !t[strspn(t, " \t\n\r")]) {
      /* an empty 附件N title and list entry ("1.") */
      char jp[256] = "", src[600] = "";
      if (b->data_val) {
        zp_json_path(b->data_val, jp, sizeof jp);
        snprintf(src, sizeof src, "; its text comes from %s (%s:%d:%d)", jp,
                 b->data->file, b->data_val->line, b->data_val->col);
      }
      report(b, ZP_ERROR, n->as.part->title_at,
             "this <attachment>'s title is empty: it has nothing to print "
             "after binding%s",
             src);
    }
    const char *l = n->as.part ? attr_text(b, n, n->as.part->label) : NULL;
    b->att_labels[b->natt] = l && *l ? l : NULL;
    b->att_titles[b->natt++] = t ? t : "";
  } else if (n->kind == ZP_T_FOR) {
    const zp_json *arr = loop_array(b, n);
    for (const zp_json *e = arr ? arr->child : NULL; e && !b->aborted;
         e = e->next) {
      if (!push(b, n, n->as.loop.as, e))
        return;
      parts_walk(b, n->child, bind, tail);
      b->nvars--;
    }
  } else if (n->kind == ZP_T_IF) {
    const zp_tnode *from, *to;
    if_branch(b, n, &from, &to);
    for (const zp_tnode *k = from; k != to && !b->aborted; k = k->next)
      parts_node(b, k, bind, tail);
  }
}

static void parts_walk(binder *b, const zp_tnode *first, bool bind,
                       zp_part **tail) {
  for (const zp_tnode *n = first; n && !b->aborted; n = n->next)
    parts_node(b, n, bind, tail);
}

/* Whether the content from first (the body's) holds parts, also in a <for>
 * or an <if>. */
static bool has_parts(const zp_tnode *first) {
  for (const zp_tnode *n = first; n; n = n->next)
    if (n->kind == ZP_T_PART || n->kind == ZP_T_ATTACHMENT ||
        ((n->kind == ZP_T_FOR || n->kind == ZP_T_IF) && has_parts(n->child)))
      return true;
  return false;
}

/* The parts of the body: the attachments' titles first, then each part. */
static void parts(binder *b, const zp_tnode *first) {
  parts_walk(b, first, false, NULL);
  zp_part *tail = NULL;
  parts_walk(b, first, true, &tail);
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

static span_rec *span_find(tbuild *tb, int col) {
  for (int i = tb->nspans - 1; i >= 0; i--)
    if (tb->spans[i].col == col)
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
  int colspan = c->as.cell.colspan;
  int rowspan = c->as.cell.rowspan;
  if (colspan > t->ncols - col) {
    report(b, ZP_ERROR, c->loc,
           "this row has more cells than the table's %d "
           "columns",
           t->ncols);
    return false;
  }
  const char *span = c->as.cell.span;
  const zp_span *spans;
  uint32_t nspans;
  int notes = b->notes;
  const char *text = content_text(b, c, NULL, &spans, &nspans);
  zp_loc dl = b->data_loc;
  if (span) {
    span_rec *s = span_find(tb, col);
    long it = c->as.cell.blank ? -2 : var_iter(b, span);
    if (it == -1) {
      report(b, ZP_ERROR, c->loc, "span=\"%s\" names no enclosing loop", span);
      return false;
    }
    /* it continues the cell above: same iteration (or blank), and that
     * cell reaches down to the row just above this one */
    bool cont = s && s->cell && s->last_row == r - 1 &&
                s->cell->colspan == colspan &&
                (it == -2 ? s->iter == -2 && *text == 0 : s->iter == it);
    if (cont) {
      /* the cell above grows down over this row (its text, and any note
       * in it, is the one above's) */
      b->notes = notes;
      s->cell->rowspan++;
      s->last_row = r;
      *colp = col + colspan;
      return true;
    }
  }
  zp_cell *cell = &row->cells[row->ncells++];
  const zp_style *own = c->as.cell.style;
  cell->style = own ? own : header ? tb->head_style : tb->cell_style;
  cell->text = text;
  cell->spans = spans;
  cell->nspans = nspans;
  cell->col = col;
  cell->colspan = colspan;
  cell->rowspan = rowspan;
  cell->data_loc = dl;
  /* alignment: the cell's own, its style's, centred in a header, the
   * column's */
  cell->align = c->as.cell.has_align ? c->as.cell.align
                : own                ? own->align
                : header             ? ZP_ALIGN_CENTER
                                     : t->cols[col].align;
  cell->valign = c->as.cell.valign;
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
      tb->rowspans[tb->nrowspans++] =
          (rowspan_rec){r, row->ncells - 1, c->as.cell.rowspan_at};
    }
  }
  if (span) {
    span_rec *s = span_find(tb, col);
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
      s->col = col;
    }
    s->last_row = r;
    s->iter = c->as.cell.blank ? -2 : var_iter(b, span);
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
    if (c->kind == ZP_T_TEXT)
      continue;
    if (!spend(b, c, 1))
      return false;
    if (c->kind == ZP_T_CELL) {
      if (!row_cell(b, tb, row, r, c, col, header))
        return false;
    } else if (c->kind == ZP_T_USE) { /* cells from a macro */
      int saved;
      const zp_tnode *def = use_enter(b, c, &saved);
      if (!def)
        return false;
      bool ok = row_cells(b, tb, row, r, def->child, NULL, col, header);
      use_leave(b, saved);
      if (!ok)
        return false;
    } else if (c->kind == ZP_T_FOR) {
      const zp_json *arr = loop_array(b, c);
      if (!arr)
        return false;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!push(b, c, c->as.loop.as, e) || !spend(b, c, 1))
          return false;
        bool ok = row_cells(b, tb, row, r, c->child, NULL, col, header);
        b->nvars--;
        if (!ok)
          return false;
      }
    } else if (c->kind == ZP_T_IF) {
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
    if (c->kind == ZP_T_TEXT)
      continue;
    if (!spend(b, c, 1))
      return;
    if (c->kind == ZP_T_ROW) {
      table_row(b, tb, c, false);
    } else if (c->kind == ZP_T_USE) { /* rows from a macro */
      int saved;
      const zp_tnode *def = use_enter(b, c, &saved);
      if (def) {
        table_rows(b, tb, def->child, NULL);
        use_leave(b, saved);
      }
    } else if (c->kind == ZP_T_FOR) {
      const zp_json *arr = loop_array(b, c);
      if (!arr)
        continue;
      for (const zp_json *e = arr->child; e; e = e->next) {
        if (!push(b, c, c->as.loop.as, e) || !spend(b, c, 1))
          return;
        table_rows(b, tb, c->child, NULL);
        b->nvars--;
      }
    } else if (c->kind == ZP_T_IF) {
      const zp_tnode *from, *to;
      if_branch(b, c, &from, &to);
      table_rows(b, tb, from, to);
    }
  }
}

static void table(binder *b, const zp_tnode *n) {
  const zp_ttable *tt = n->as.table;
  zp_table *t = zp_arena_alloc(b->a, sizeof *t);
  if (!tt || !t || tt->ncols == 0)
    return; /* reported at load (or out of memory) */
  const char *id = id_text(b, n);
  tbuild tb = {0};
  tb.t = t;
  tb.cell_style = tt->cell_style;
  tb.head_style = tt->head_style;
  t->ncols = tt->ncols;
  t->cols = zp_arena_alloc(b->a, sizeof(zp_column) * (size_t)t->ncols);
  tb.busy = calloc((size_t)t->ncols + 1, sizeof *tb.busy);
  if (!t->cols || !tb.busy) {
    free(tb.busy);
    return;
  }
  memcpy(t->cols, tt->cols, sizeof(zp_column) * (size_t)t->ncols);
  for (int i = 0; i < t->ncols; i++)
    tb.busy[i] = -1;
  for (const zp_tnode *c = n->child; c; c = c->next)
    if (c->kind == ZP_T_HEAD)
      for (const zp_tnode *r = c->child; r; r = r->next)
        if (r->kind != ZP_T_TEXT) {
          table_row(b, &tb, r, true);
          t->header_rows++;
        }
  /* a header cell's rowspan stops at the header's last row */
  for (int r = 0; r < tb.nrows; r++)
    for (int k = 0; k < tb.rows[r].ncells; k++) {
      zp_cell *cell = &tb.rows[r].cells[k];
      if (r + cell->rowspan > t->header_rows) {
        report(b, ZP_WARNING, n->loc,
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
      report(b, ZP_ERROR, tb.rowspans[i].loc,
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
  /* caption: tables are numbered by the captions they print (so 表1 is
   * followed by 表3 when a table in between has no caption) */
  const char *cap = attr_text(b, n, tt->caption);
  if (cap) {
    b->tables++;
    if (tt->numbered)
      cap = zp_arena_printf(b->a, "表%d：%s", b->tables, cap);
    t->caption = cap;
    t->caption_style = tt->caption_style;
  }
  t->continued = tt->continued;
  t->rule_width = tt->rule_width;
  t->frame_width = tt->frame_width;
  t->pad_top = tt->pad_top;
  t->pad_bottom = tt->pad_bottom;
  t->pad_left = tt->pad_left;
  t->pad_right = tt->pad_right;
  t->min_split_lines = tt->min_split_lines;
  zp_block *blk = add_block(b, ZP_BLOCK_TABLE, n);
  if (!blk)
    return;
  blk->table = t;
  blk->style = tb.cell_style;
  blk->text = "";
  blk->id = id;
}

/* ---- the style sheet, compiled at load: the numbering's fields ---- */

static void sheet(binder *b) {
  const zp_template *t = b->t;
  b->doc->page = t->page;
  b->doc->folio = t->folio;
  b->doc->footnotes = t->footnotes;
  b->doc->roles = t->roles;
  b->doc->watermark = t->watermark;
  /* prefix and suffix may take fields from the data's root (a bureau's
   * ladder: 1. or 1、) */
  for (int k = 1; k <= MAX_LEVELS; k++)
    if (t->levels[k].node) {
      b->prefix[k] = attr_text(b, t->levels[k].node, t->levels[k].prefix);
      b->suffix[k] = attr_text(b, t->levels[k].node, t->levels[k].suffix);
    }
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
  long size = data_size(data->root), tsize = t->size;
  b.steps_left = ZP_BIND_STEPS_BASE + ZP_BIND_STEPS_PER_DATA * size +
                 ZP_BIND_STEPS_PER_TEMPLATE * tsize;
  b.bytes_left = ZP_BIND_BYTES_BASE + ZP_BIND_BYTES_PER_DATA * size +
                 ZP_BIND_BYTES_PER_TEMPLATE * tsize;
  sheet(&b);
  if (t->info_node) {
    const char **vals[] = {&b.doc->title, &b.doc->author, &b.doc->subject,
                           &b.doc->keywords, &b.doc->date};
    static const char *const keys[] = {"title", "author", "subject", "keywords",
                                       "date"};
    for (int k = 0; k < 5; k++) {
      b.data_loc = (zp_loc){0};
      b.data_val = NULL;
      const char *v = nonempty(attr_text(&b, t->info_node, t->info[k]));
      char what[32];
      snprintf(what, sizeof what, "<info %s>", keys[k]);
      *vals[k] =
          v && string_fits(&b, t->info_node, what, v, b.data_val) ? v : NULL;
    }
  }
  if (t->body && has_parts(t->body->child))
    parts(&b, t->body->child);
  else if (t->body)
    blocks(&b, t->body->child);
  if (!b.aborted)
    check_ids(&b);
  free(b.spans.v);
  free(b.ids.v);
  free(b.refs.v);
  free(b.printed);
  flush_sites(&b);
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
