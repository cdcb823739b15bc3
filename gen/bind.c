/* bind.c — see bind.h; the parts share bind-imp.h.
 *
 * zp_bind_with sets up the binder (the budget, the style sheet's fields,
 * the document's info) and walks the body once: the data paths and the
 * variables of loops and macros, conditions, loops and macros themselves,
 * and the blocks — paragraphs and items, sections and their numbering by
 * level, contents, images, signatures, page breaks.  A <table> is bound by
 * bind-table.c, parts and attachments by bind-part.c, text by bind-text.c;
 * the diagnostics and the budget are bind-check.c's.
 */
#include "bind-imp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"

/* ---- data paths ---- */

zp_loc bind_data_loc(const binder *b, const zp_json *v) {
  return (zp_loc){zp_json_file(b->data, v), v->line, v->col};
}

/* The JSON path of v in the doc's arena, or NULL without a v. */
static const char *json_path(binder *b, const zp_json *v) {
  char jp[256];
  return v ? zp_arena_strdup(b->a, zp_json_path(v, jp, sizeof jp)) : NULL;
}

/* Resolves a path ("budget.by_source[1].name", or from a loop variable).
 * On failure returns NULL and sets *near to the deepest node found and
 * *missing to the part not found. */
const zp_json *bind_resolve(binder *b, const char *path, const zp_json **near,
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

void bind_report_missing(binder *b, const zp_tnode *n, const char *path,
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
    bind_check_report(
        b, ZP_ERROR, n->loc,
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
    bind_check_report(
        b, ZP_ERROR, n->loc,
        "missing data for {%s}: %s:%d:%d: %s is a %s, not an object; "
        "expected %s",
        path, zp_json_file(b->data, near), near->line, near->col, jp,
        zp_json_type_name(near->type), expected);
}

void bind_report_type(binder *b, const zp_tnode *n, const char *path,
                      const zp_json *v, const char *expected) {
  char jp[256];
  zp_json_path(v, jp, sizeof jp);
  static const char *const article[] = {"null",     "a boolean", "a number",
                                        "a string", "an array",  "an object"};
  bind_check_report(b, ZP_ERROR, n->loc,
                    "wrong type of data %s for {%s}: %s:%d:%d: %s; "
                    "expected %s",
                    jp, path, zp_json_file(b->data, v), v->line, v->col,
                    article[v->type], expected);
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
    t = truthy(
        bind_resolve(b, n->as.cond.test, &near, missing, sizeof missing));
  } else {
    zp_val r;
    t = bind_text_calc(b, n, n->as.cond.expr, n->as.cond.test, false, &r) &&
        zp_val_true(&r);
  }
  return n->as.cond.negate ? !t : t;
}

/* The children of <if> n in the branch its test selects: [*from, *to). */
void bind_if_branch(binder *b, const zp_tnode *n, const zp_tnode **from,
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
const zp_json *bind_loop_array(binder *b, const zp_tnode *n) {
  const char *path = n->as.loop.each;
  const zp_json *near;
  char missing[256];
  const zp_json *v = bind_resolve(b, path, &near, missing, sizeof missing);
  if (!v) {
    bind_report_missing(b, n, path, near, missing, "an array for <for each>");
    return NULL;
  }
  if (v->type != ZP_JSON_ARRAY) {
    bind_report_type(b, n, path, v, "an array for <for each>");
    return NULL;
  }
  return v;
}

bool bind_push(binder *b, const zp_tnode *n, const char *name,
               const zp_json *v) {
  if (b->nvars == MAX_VARS) {
    bind_check_report(b, ZP_ERROR, n->loc,
                      "loops and macros nested deeper than %d", MAX_VARS);
    return false;
  }
  b->vars[b->nvars++] = (var){name, v, ++b->iters};
  return true;
}

/* ---- blocks ---- */

zp_block *bind_add_block(binder *b, zp_block_kind kind, const zp_tnode *n) {
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

static void signature(binder *b, const zp_tnode *n);

/* A style the compiler left to the binder (NULL): "body"; an error at n
 * when the template has none. */
static const zp_style *or_body(binder *b, const zp_tnode *n,
                               const zp_style *st) {
  if (!st && !(st = b->t->body_style))
    bind_check_report(b, ZP_ERROR, n->loc, "unknown style \"body\"");
  return st;
}

static void paragraph(binder *b, const zp_tnode *n) {
  bool item = n->kind == ZP_T_ITEM;
  int lv = b->depth + 1;
  if (item && lv > MAX_LEVELS) {
    bind_check_report(b, ZP_ERROR, n->loc, "an item deeper than %d levels",
                      MAX_LEVELS);
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
  const char *id = bind_text_id(b, n);
  const zp_span *spans;
  uint32_t nspans;
  const char *text = bind_text_content(b, n, prefix, &spans, &nspans);
  zp_block *blk = bind_add_block(b, ZP_BLOCK_PARAGRAPH, n);
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
    bind_check_report(b, ZP_ERROR, n->loc, "sections nested deeper than %d",
                      MAX_LEVELS);
    return;
  }
  if (n->as.section.new_page)
    bind_add_block(b, ZP_BLOCK_PAGE_BREAK, n);
  const char *id = bind_text_id(b, n);
  b->data_loc = (zp_loc){0};
  b->data_val = NULL;
  const zp_span *spans = NULL;
  uint32_t nspans = 0;
  const char *title =
      n->as.section.title_el
          ? bind_text_content(b, n->as.section.title_el, NULL, &spans, &nspans)
          : bind_text_attr(b, n, n->as.section.title);
  zp_loc dl = b->data_loc;
  const zp_json *title_val = b->data_val;
  if (!title ||
      !bind_check_string_fits(b, n, "the section title", title, b->data_val))
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
  zp_block *blk = bind_add_block(b, ZP_BLOCK_HEADING, n);
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
  bind_blocks(b, n->child);
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
    const char *title = bind_text_attr(b, n, n->as.contents.title);
    if (!title || !bind_check_string_fits(b, n, "the contents' title", title,
                                          b->data_val))
      title = "";
    zp_block *t = bind_add_block(b, ZP_BLOCK_PARAGRAPH, n);
    if (t) {
      t->style = n->as.contents.title_style;
      t->text = title;
      t->outline = n->as.contents.outline;
      t->level = t->outline ? 1 : 0;
      t->data_loc = b->data_loc;
    }
  }
  zp_block *blk = bind_add_block(b, ZP_BLOCK_CONTENTS, n);
  if (blk) {
    blk->style = st;
    blk->text = "";
    blk->contents = n->as.contents.toc;
  }
}

/* Enters macro <use> n: its parameters (paths, looked up where <use>
 * stands) bound for its content; the macro's <define>, or NULL (after an
 * error, or reported at load).  *saved: what bind_use_leave() restores. */
const zp_tnode *bind_use_enter(binder *b, const zp_tnode *n, int *saved) {
  const zp_tnode *def = n->as.use.def;
  *saved = b->nvars;
  if (!def)
    return NULL; /* reported at load */
  if (b->use_depth == MAX_USE_DEPTH) {
    bind_check_report(b, ZP_ERROR, n->loc,
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
    vals[i] = bind_resolve(b, path, &near, missing, sizeof missing);
    if (!vals[i]) {
      bind_report_missing(b, n, path, near, missing,
                          "a value for the macro's parameter");
      return NULL;
    }
  }
  for (int i = 0; i < np && i < 16; i++)
    if (!bind_push(b, n, n->as.use.params[i].name, vals[i]))
      break;
  b->use_depth++;
  return def;
}

void bind_use_leave(binder *b, int saved) {
  b->use_depth--;
  b->nvars = saved;
}

static void block(binder *b, const zp_tnode *n) {
  if (n->kind == ZP_T_TEXT || !bind_check_spend(b, n, 1))
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
    const zp_json *arr = bind_loop_array(b, n);
    if (!arr)
      return;
    for (const zp_json *e = arr->child; e; e = e->next) {
      if (!bind_push(b, n, n->as.loop.as, e) || !bind_check_spend(b, n, 1))
        return;
      bind_blocks(b, n->child);
      b->nvars--;
    }
    break;
  }
  case ZP_T_IF: {
    const zp_tnode *from, *to;
    bind_if_branch(b, n, &from, &to);
    for (const zp_tnode *k = from; k != to; k = k->next)
      block(b, k);
    break;
  }
  case ZP_T_USE: {
    int saved;
    const zp_tnode *def = bind_use_enter(b, n, &saved);
    if (def) {
      bind_blocks(b, def->child);
      bind_use_leave(b, saved);
    }
    break;
  }
  case ZP_T_CHECK:
    bind_check_element(b, n);
    break;
  case ZP_T_PAGE_BREAK:
    bind_add_block(b, ZP_BLOCK_PAGE_BREAK, n);
    break;
  case ZP_T_IMAGE:
    if (n->as.image) {
      zp_block *blk = bind_add_block(b, ZP_BLOCK_IMAGE, n);
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
    bind_table(b, n);
    break;
  case ZP_T_CONTENTS:
    contents(b, n);
    break;
  case ZP_T_ATTACHMENT_LIST:
    bind_part_attachment_list(b, n);
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
  s->unit = bind_text_attr(b, n, n->as.sign.unit);
  s->date = bind_text_attr(b, n, n->as.sign.date);
  if (!s->unit)
    s->unit = "";
  if (!s->date)
    s->date = "";
  zp_block *blk = bind_add_block(b, ZP_BLOCK_SIGNATURE, n);
  if (!blk || !n->as.sign.style)
    return;
  blk->style = n->as.sign.style;
  blk->sign = s;
  blk->text = s->unit;
  blk->data_loc = b->data_loc;
}

void bind_blocks(binder *b, const zp_tnode *first) {
  for (const zp_tnode *c = first; c && !b->aborted; c = c->next)
    block(b, c);
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
      b->prefix[k] = bind_text_attr(b, t->levels[k].node, t->levels[k].prefix);
      b->suffix[k] = bind_text_attr(b, t->levels[k].node, t->levels[k].suffix);
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
  long size = bind_check_data_size(data->root), tsize = t->size;
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
      const char *v = nonempty(bind_text_attr(&b, t->info_node, t->info[k]));
      char what[32];
      snprintf(what, sizeof what, "<info %s>", keys[k]);
      *vals[k] =
          v && bind_check_string_fits(&b, t->info_node, what, v, b.data_val)
              ? v
              : NULL;
    }
  }
  if (t->body && bind_part_has(t->body->child))
    bind_part_body(&b, t->body->child);
  else if (t->body)
    bind_blocks(&b, t->body->child);
  if (!b.aborted)
    bind_text_check_ids(&b);
  free(b.spans.v);
  free(b.ids.v);
  free(b.refs.v);
  free(b.printed);
  bind_check_flush(&b);
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
