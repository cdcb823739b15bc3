/* bind-check.c — the binder's diagnostics and checks (see bind-imp.h).
 *
 * Diagnostics one per site: a place that reports again (a field in a
 * loop, a check) is counted and printed once at the end with the count;
 * messages' helpers (a text shortened, a PDF string's length); the budget
 * (bounds.h: steps and bytes, linear in the data and the template); the
 * <check>s (equals, max, min, grade) and their findings; the digit
 * grouping of numbers written as text in the data the template prints.
 */
#include "bind-imp.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

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
void bind_check_report(binder *b, zp_severity sev, zp_loc loc, const char *fmt,
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
void bind_check_flush(binder *b) {
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

/* ---- messages ---- */

/* s as it is, or its first bytes (whole characters) and "…" when it is
 * too long for a message. */
const char *bind_check_shorten(const char *s, char *buf, size_t size) {
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
bool bind_check_string_fits(binder *b, const zp_tnode *n, const char *what,
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
  bind_check_report(
      b, ZP_ERROR, n->loc,
      "%s is %zu bytes long; a PDF bookmark or document property holds "
      "at most %d%s",
      what, len, ZP_MAX_TEXT_STRING, src);
  return false;
}

/* ---- the budget (bounds.h) ---- */

/* The size of the data: its values plus the bytes of its strings, keys
 * and numbers. */
long bind_check_data_size(const zp_json *v) {
  long n = 1 + (long)(v->key ? strlen(v->key) : 0);
  if (v->type == ZP_JSON_STRING)
    n += (long)v->length;
  else if (v->type == ZP_JSON_NUMBER)
    n += (long)strlen(v->raw);
  for (const zp_json *c = v->child; c; c = c->next)
    n += bind_check_data_size(c);
  return n;
}

/* Reports, once, that the budget is spent, at n; binding stops. */
bool bind_check_over_budget(binder *b, const zp_tnode *n) {
  if (b->steps_left >= 0 && b->bytes_left >= 0)
    return b->aborted;
  if (!b->aborted)
    bind_check_report(
        b, ZP_ERROR, n->loc,
        "the template makes too much %s for this data (a macro or a "
        "loop that multiplies itself?): the binder's budget grows with "
        "the data, and is %s",
        b->steps_left < 0 ? "work" : "text",
        b->steps_left < 0 ? "spent here" : "spent on this text");
  b->aborted = true;
  return true;
}

/* Spends k steps at n; false (after the report) when none are left. */
bool bind_check_spend(binder *b, const zp_tnode *n, long k) {
  b->steps_left -= k;
  return !bind_check_over_budget(b, n);
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
  bind_check_report(b, warn ? ZP_WARNING : ZP_ERROR, bind_data_loc(b, v),
                    "%s: stated %s, %s %s; rule: %s (%s:%d)", jp,
                    bind_check_shorten(stated, st, sizeof st), what,
                    bind_check_shorten(computed_text, ct, sizeof ct),
                    rule ? rule : "(none given)", n->loc.file, n->loc.line);
  b->site_tag = NULL;
}

void bind_check_element(binder *b, const zp_tnode *n) {
  const char *path = n->as.check.value;
  if (!n->as.check.expr)
    return; /* reported at load */
  const zp_json *near;
  char missing[256];
  const zp_json *v = bind_resolve(b, path, &near, missing, sizeof missing);
  if (!v || v->type == ZP_JSON_NULL)
    return; /* nothing stated, nothing to check */
  zp_val r;
  zp_check_kind kind = n->as.check.kind;
  const zp_expr *ce = n->as.check.cexpr;
  if (kind == ZP_CHECK_GRADE) {
    if (!bind_text_calc(b, n, ce, n->as.check.expr, true, &r))
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
    bind_check_grouping(b, v); /* "91,31" for 91.31: say why */
    bind_report_type(b, n, path, v, "a number for <check>");
    return;
  }
  if (!bind_text_calc(b, n, ce, n->as.check.expr, true, &r))
    return;
  if (r.type != ZP_VAL_NUMBER) {
    bind_check_report(b, ZP_ERROR, n->loc, "<check>: %s is not a number",
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
    bind_check_report(b, ZP_ERROR, n->loc,
                      "<check> compares at most 12 decimals; %s has %d "
                      "(give places=\"N\")",
                      path, places);
    return;
  }
  zp_fmt_double(c, raw, sizeof raw);
  if (!zp_fmt_decimal(raw, places, false, cs, sizeof cs) ||
      !zp_fmt_decimal(stated, places, false, ss, sizeof ss)) {
    bind_check_report(b, ZP_ERROR, n->loc,
                      "<check> cannot compare %s with %s: too large", v->raw,
                      raw);
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
void bind_check_grouping(binder *b, const zp_json *v) {
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
          bind_check_report(b,
                            whole && !b->opts.inconsistent_as_warnings
                                ? ZP_ERROR
                                : ZP_WARNING,
                            bind_data_loc(b, v),
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
