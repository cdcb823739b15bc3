/* bind-text.c — the binder's text (see bind-imp.h).
 *
 * Text buffers charged to the budget; fields ({path|formatter}) and the
 * formatters, computed values ({=EXPR}); inline content (text, line
 * breaks, inline macros, loops and conditions) and its elements, each a
 * span over the text it prints (bind-span.h): <b>, <sup>, <sub>, <span>,
 * <a href> and <ref to>, and <note>, whose content becomes a zp_note with
 * its marker printed in the text; the ids given and the check, at the end,
 * of the <ref>s to them.
 */
#include "bind-imp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* ---- text buffers ---- */

void bind_text_put(sbuf *b, const char *s, size_t n) {
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

void bind_text_puts(sbuf *b, const char *s) { bind_text_put(b, s, strlen(s)); }

/* ---- fields ---- */

/* Formats value v with formatter fmt (may be NULL) into out. */
static bool format_value(binder *b, const zp_tnode *n, const char *path,
                         const zp_json *v, const char *fmt, const char *arg,
                         sbuf *out) {
  char buf[256];
  if (!fmt || !*fmt) {
    switch (v->type) {
    case ZP_JSON_STRING:
      bind_check_grouping(b, v);
      bind_text_puts(out, v->string);
      return true;
    case ZP_JSON_NUMBER:
      bind_text_puts(out, v->raw);
      return true;
    case ZP_JSON_NULL:
      return true;
    default:
      bind_report_type(b, n, path, v, "a string or a number");
      return false;
    }
  }
  if (zp_fmt_numeric(fmt)) {
    if (v->type != ZP_JSON_NUMBER) {
      bind_check_grouping(b, v); /* "91,31" for 91.31: say why */
      char exp[64];
      snprintf(exp, sizeof exp, "a number for |%s", fmt);
      bind_report_type(b, n, path, v, exp);
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
      bind_report_type(b, n, path, v, exp);
      return false;
    }
    bind_text_puts(out, buf);
    return true;
  }
  if (strcmp(fmt, "date") == 0) {
    if (v->type != ZP_JSON_STRING || !zp_fmt_date(v->string, buf, sizeof buf)) {
      bind_report_type(b, n, path, v, "a date \"YYYY-MM-DD\" for |date");
      return false;
    }
    bind_text_puts(out, buf);
    return true;
  }
  bind_check_report(
      b, ZP_ERROR, n->loc,
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
  if (!bind_check_spend(b, &at, 1))
    return;
  if (f->expr) {
    computed_value(b, &at, f, out);
    return;
  }
  const zp_json *near;
  char missing[256];
  const zp_json *v = bind_resolve(b, f->path, &near, missing, sizeof missing);
  if (!v || (v->type == ZP_JSON_NULL && (f->dflt || f->optional))) {
    if (f->dflt) {
      bind_text_puts(out, f->dflt);
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
    bind_report_missing(b, &at, f->path, near, missing, exp);
    return;
  }
  if (!b->data_loc.file) {
    b->data_loc = bind_data_loc(b, v);
    b->data_val = v;
  }
  format_value(b, &at, f->path, v, f->fmt, f->arg, out);
}

/* Expands text s with its fields (parsed by the loader, in order).  {{ and
 * }} are braces; a line break with the indentation after it is dropped
 * (Chinese has no spaces between lines).  Literal runs are copied whole. */
void bind_text_expand(binder *b, const zp_tnode *n, const char *s,
                      const zp_tfield *fields, int nfields, sbuf *out) {
  const char *base = s;
  int k = 0;
  while (*s) {
    if (k < nfields && (size_t)(s - base) == fields[k].start) {
      field(b, n, &fields[k], out);
      s = base + fields[k].end;
      k++;
    } else if ((s[0] == '{' && s[1] == '{') || (s[0] == '}' && s[1] == '}')) {
      bind_text_put(out, s, 1);
      s += 2;
    } else if (*s == '\n' || *s == '\r') {
      while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
        s++;
    } else {
      size_t run = 1 + strcspn(s + 1, "{}\n\r");
      if (k < nfields && (size_t)(s - base) + run > fields[k].start)
        run = fields[k].start - (size_t)(s - base);
      bind_text_put(out, s, run);
      s += run;
    }
  }
}

/* An attribute's value (fields parsed by the loader) with its fields
 * expanded, in the doc's arena; NULL when a is NULL. */
const char *bind_text_attr(binder *b, const zp_tnode *n, const zp_tattr *a) {
  if (!a)
    return NULL;
  sbuf s = {.left = &b->bytes_left};
  bind_text_expand(b, n, a->value, a->fields, a->nfields, &s);
  bind_check_over_budget(b, n);
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
bool bind_text_calc(binder *b, const zp_tnode *n, const zp_expr *e,
                    const char *text, bool need_value, zp_val *out) {
  if (!e)
    return false; /* reported at load */
  zp_calc_env env = {b->data,     var_of,       b,
                     b->t->bands, b->t->nbands, &b->steps_left};
  char err[512];
  if (!bind_check_spend(b, n, 1 + (long)(strlen(text) / 8)))
    return false;
  bool ok = zp_expr_eval(e, &env, out, err, sizeof err);
  if (b->steps_left < 0)
    b->aborted = true; /* reported here, once */
  if (ok && !(need_value && out->absent))
    return true;
  char shown[96];
  bind_check_report(b, ZP_ERROR, n->loc, "cannot compute {=%s}: %s",
                    bind_check_shorten(text, shown, sizeof shown), err);
  return false;
}

/* A computed field's value "{=EXPR|fmt:arg}". */
static void computed_value(binder *b, const zp_tnode *n, const zp_tfield *f,
                           sbuf *out) {
  zp_val r;
  if (!bind_text_calc(b, n, f->cexpr, f->expr, true, &r))
    return;
  const char *spec = f->expr, *fmt = f->fmt, *arg = f->arg;
  if (r.type == ZP_VAL_STRING && !fmt) {
    if (r.data)
      bind_check_grouping(b, r.data);
    bind_text_puts(out, r.string);
    return;
  }
  if (r.type == ZP_VAL_NULL && !fmt)
    return;
  if (r.type != ZP_VAL_NUMBER) {
    bind_check_report(b, ZP_ERROR, n->loc,
                      "{=%s} is %s; a field prints a number or a string%s",
                      spec,
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
      bind_check_report(b, ZP_ERROR, n->loc, "{=%s} is too large to write (%g)",
                        spec, v);
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
    bind_text_puts(out, shown);
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

/* ---- inline content ---- */

static void inline_content(binder *b, const zp_tnode *first, sbuf *out);

static void inline_span(binder *b, const zp_tnode *c, sbuf *out);
static void inline_note(binder *b, const zp_tnode *c, sbuf *out);

static void inline_node(binder *b, const zp_tnode *c, sbuf *out) {
  if (!bind_check_spend(b, c, 1))
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
    bind_text_expand(b, c, c->text, c->fields, c->nfields, out);
    break;
  case ZP_T_BR:
    bind_text_put(out, "\n", 1);
    break;
  case ZP_T_USE: { /* an inline macro: its text here */
    int saved;
    const zp_tnode *def = bind_use_enter(b, c, &saved);
    if (def) {
      inline_content(b, def->child, out);
      bind_use_leave(b, saved);
    }
    break;
  }
  case ZP_T_FOR: {
    const zp_json *arr = bind_loop_array(b, c);
    if (!arr)
      return;
    const char *sep = c->as.loop.sep;
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (e != arr->child && sep)
        bind_text_puts(out, sep);
      if (!bind_push(b, c, c->as.loop.as, e) || !bind_check_spend(b, c, 1))
        return;
      inline_content(b, c->child, out);
      b->nvars--;
    }
    break;
  }
  case ZP_T_IF: {
    const zp_tnode *from, *to;
    bind_if_branch(b, c, &from, &to);
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
  if (!bind_check_spend(b, c, 1))
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

/* Are inline elements nested too deep at c (through macros: the compiler
 * checks what it sees)?  Reported when so. */
static bool too_deep(binder *b, const zp_tnode *c) {
  if (b->inline_depth < ZP_MAX_INLINE_DEPTH)
    return false;
  bind_check_report(b, ZP_ERROR, c->loc,
                    "inline elements (<b>, <sup>, <span>, <a>, <note> …) "
                    "nested deeper than %d (through macros)",
                    ZP_MAX_INLINE_DEPTH);
  return true;
}

/* A STYLE or LINK element: its content, and a span over it. */
static void inline_span(binder *b, const zp_tnode *c, sbuf *out) {
  if (too_deep(b, c))
    return;
  uint32_t seq = b->seq++;
  size_t start = out->n;
  const char *uri = NULL, *target = NULL, *why;
  if (c->kind == ZP_T_A) {
    uri = bind_text_attr(b, c, c->as.inl.href);
    if (uri && c->as.inl.href->nfields && (why = zp_tmpl_uri_problem(uri))) {
      char shown[96];
      bind_check_report(b, ZP_ERROR, c->as.inl.at, "<a href=\"%s\">: %s",
                        bind_check_shorten(uri, shown, sizeof shown), why);
      uri = NULL;
    }
  } else if (c->kind == ZP_T_REF) {
    target = bind_text_attr(b, c, c->as.inl.to);
    if (target && !*target) {
      bind_check_report(b, ZP_ERROR, c->as.inl.at,
                        "<ref to=\"%s\"> gives an empty id",
                        c->as.inl.to->value);
      target = NULL;
    }
  }
  b->inline_depth++;
  inline_content(b, c->child, out);
  b->inline_depth--;
  if (c->kind == ZP_T_A && uri && out->n == start) /* <a href="…"/>: the
                                                      URL, or the address */
    bind_text_puts(out, strncmp(uri, "mailto:", 7) == 0 ? uri + 7 : uri);
  if (c->kind == ZP_T_REF && target && out->n == start) {
    bind_check_report(b, ZP_ERROR, c->as.inl.at,
                      "<ref to=\"%s\"> has no text to print",
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
  if (too_deep(b, c))
    return;
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
    bind_check_report(
        b, ZP_ERROR, c->as.inl.at,
        "this <note> is empty: it has nothing to print after binding%s", src);
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
  bind_text_puts(out, marker);
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
const char *bind_text_content(binder *b, const zp_tnode *n, const char *prefix,
                              const zp_span **spans, uint32_t *nspans) {
  sbuf s = {.left = &b->bytes_left};
  if (prefix)
    bind_text_puts(&s, prefix);
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  size_t k0 = b->spans.n;
  inline_content(b, n->child, &s);
  bind_check_over_budget(b, n);
  return finish_text(b, &s, k0, spans, nspans);
}

/* The id of p, item, section or table n (expanded), recorded for the
 * check at the end; NULL when it has none. */
const char *bind_text_id(binder *b, const zp_tnode *n) {
  if (!n->id)
    return NULL;
  const char *id = bind_text_attr(b, n, n->id);
  if (!id || !*id) {
    bind_check_report(b, ZP_ERROR, n->id_at, "id=\"%s\" gives an empty id",
                      n->id->value);
    return NULL;
  }
  zp_bind_id_add(&b->ids, id, n->id_at);
  return id;
}

/* Every id given twice, every <ref> to no id (with the nearest ids). */
void bind_text_check_ids(binder *b) {
  zp_bind_id_sort(&b->ids);
  const zp_bind_id *v = b->ids.v;
  for (size_t i = 1; i < b->ids.n; i++)
    if (strcmp(v[i].id, v[i - 1].id) == 0) {
      size_t f = i - 1;
      while (f > 0 && strcmp(v[f - 1].id, v[i].id) == 0)
        f--;
      bind_check_report(b, ZP_ERROR, v[i].loc,
                        "id=\"%s\" is given twice (first at %s:%d)", v[i].id,
                        v[f].loc.file, v[f].loc.line);
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
    bind_check_report(b, ZP_ERROR, r->loc,
                      "<ref to=\"%s\">: no element has that id%s",
                      bind_check_shorten(r->id, shown, sizeof shown), hint);
  }
}
