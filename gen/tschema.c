/* tschema.c — the JSON Schema of the data a template reads (see
 * tschema.h).
 *
 * One walk over the compiled template, as the binder would walk it but
 * without data: every path a field, <for each>, <if test>, <check value>
 * or <use> parameter names is followed from the root or from the schema
 * node of its loop variable or parameter, building a tree of objects,
 * arrays and leaves.  What a path is used for gives its type: an array for
 * <for each>, a number for a numeric formatter or <check equals|max|min>,
 * a string for |date and <check grade>, a string or a number for a plain
 * field; the paths of computed fields, tests and check rules with the
 * types their expressions need (zp_expr_uses: a number in arithmetic, a
 * number or string in an ordering, an array for [*], …).  A member is
 * required when the template reads it outside every <if> and without ? or
 * ??, or as an operand the expression cannot do without, outside every
 * branch (the binder would stop on its absence); else optional, and null
 * is allowed wherever the binder accepts it.  Descriptions: the doc="…"
 * of the element that reads a path, else the comment directly before it
 * (a paragraph's, item's or cell's for the fields of its content; a
 * section's, table's or <info>'s for those of its attributes; a <for>'s
 * for its array, an <if>'s for its tested path, a <check>'s for the
 * checked figure, a <use>'s for its parameters); a comment only before an
 * element whose fields read one path; the first description wins.
 * Macros are followed 8 deep (the reports' own nesting); below that a
 * value is left unconstrained.
 */
#include "tschema.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"

enum {
  T_STRING = 1,
  T_NUMBER = 2,
  T_NULL = 4,
  T_BOOL = 8,
  T_ARRAY = 16, /* an array or object of unknown members: len(), a lookup */
  T_OBJECT = 32
};

typedef struct snode snode;
struct snode {
  const char *name; /* member name; NULL for items */
  int types;        /* leaf types seen (T_*) */
  const char *doc;  /* the first doc="…" of an element reading it */
  bool object, array, required;
  snode *members, *next; /* properties, in order of first use */
  snode *items;
};

/* Loop variables and macro parameters: the schema node they stand for. */
#define MAX_SCOPE 64
#define MAX_MACRO_DEPTH 8

typedef struct sgen {
  zp_arena *a;
  snode *root;
  const char *names[MAX_SCOPE];
  snode *nodes[MAX_SCOPE];
  bool loose[MAX_SCOPE]; /* reached through an index: stands for one
                            element, so what it reads is not required of
                            every element */
  int nscope;
  int optional; /* inside <if>: nothing is required */
  int macro_depth;
  const char *doc; /* the description of the fields being read, or NULL */
} sgen;

static snode *member(sgen *g, snode *obj, const char *name, size_t len) {
  obj->object = true;
  snode **tail = &obj->members;
  for (snode *m = obj->members; m; m = m->next) {
    if (strlen(m->name) == len && strncmp(m->name, name, len) == 0)
      return m;
    tail = &m->next;
  }
  snode *m = zp_arena_alloc(g->a, sizeof *m);
  if (!m)
    return NULL;
  m->name = zp_arena_strndup(g->a, name, len);
  *tail = m;
  return m;
}

static snode *items(sgen *g, snode *arr) {
  arr->array = true;
  if (!arr->items)
    arr->items = zp_arena_alloc(g->a, sizeof *arr->items);
  return arr->items;
}

/* The schema node of path ("a.b[0].c"), made as needed; with required,
 * every member on the way is required.  NULL when it cannot be followed. */
static snode *follow(sgen *g, const char *path, bool required) {
  if (!path || !*path)
    return NULL;
  size_t seg = strcspn(path, ".[");
  snode *cur = g->root;
  const char *p = path;
  for (int i = g->nscope - 1; i >= 0; i--)
    if (strlen(g->names[i]) == seg && strncmp(g->names[i], path, seg) == 0) {
      cur = g->nodes[i];
      p += seg;
      required = required && !g->loose[i];
      break;
    }
  required = required && !g->optional;
  while (cur && *p) {
    if (*p == '.')
      p++;
    if (*p == '[') {
      const char *e = strchr(p, ']');
      if (!e)
        return NULL;
      cur = items(g, cur);
      p = e + 1;
      /* one element (or [*]) stands for all of them: what it must hold
       * need not be in every element (sections[0] and sections[1] differ) */
      required = false;
      continue;
    }
    seg = strcspn(p, ".[");
    cur = member(g, cur, p, seg);
    if (cur && required)
      cur->required = true;
    p += seg;
  }
  return cur;
}

/* A path an expression reads (zp_expr_uses). */
static void expr_use(void *ctx, const zp_expr_use *u) {
  sgen *g = ctx;
  snode *s = follow(g, u->path, u->needed && u->always);
  if (!s || u->types == ZP_USE_ANY)
    return; /* anything will do */
  static const struct {
    unsigned use;
    int type;
  } map[] = {{ZP_USE_NULL, T_NULL},     {ZP_USE_BOOL, T_BOOL},
             {ZP_USE_NUMBER, T_NUMBER}, {ZP_USE_STRING, T_STRING},
             {ZP_USE_ARRAY, T_ARRAY},   {ZP_USE_OBJECT, T_OBJECT}};
  for (size_t i = 0; i < sizeof map / sizeof *map; i++)
    if (u->types & map[i].use)
      s->types |= map[i].type;
  if (!u->always)
    s->types |= T_NULL; /* a branch: a test before it may ask for null */
}

/* The paths the expression e reads, wanting want of its value. */
static void expr_paths(sgen *g, const zp_expr *e, unsigned want, bool needed) {
  if (e)
    zp_expr_uses(e, want, needed, expr_use, g);
}

static void fields(sgen *g, const zp_tfield *f, int n) {
  for (int i = 0; i < n; i++) {
    if (!f[i].path) {
      /* {=EXPR|fmt}: a numeric formatter takes a number; absent is an
       * error, null prints nothing */
      bool num = f[i].fmt && zp_fmt_numeric(f[i].fmt);
      expr_paths(g, f[i].cexpr,
                 num ? (unsigned)ZP_USE_NUMBER
                     : ZP_USE_NUMBER | ZP_USE_STRING | ZP_USE_NULL,
                 true);
      continue;
    }
    bool opt = f[i].optional || f[i].dflt;
    snode *s = follow(g, f[i].path, !opt);
    if (!s)
      continue;
    if (f[i].fmt && zp_fmt_numeric(f[i].fmt))
      s->types |= T_NUMBER;
    else if (f[i].fmt)
      s->types |= T_STRING; /* |date */
    else
      s->types |= T_STRING | T_NUMBER | T_NULL; /* null prints nothing */
    if (opt)
      s->types |= T_NULL;
    if (g->doc && !s->doc)
      s->doc = g->doc;
  }
}

static void walk(sgen *g, const zp_tnode *n);
static void walk_kind(sgen *g, const zp_tnode *n);

static void walk_list(sgen *g, const zp_tnode *first, const zp_tnode *stop) {
  for (const zp_tnode *n = first; n && n != stop; n = n->next)
    walk(g, n);
}

/* Whether path goes through an index, or starts from a variable that
 * does. */
static bool through_index(const sgen *g, const char *path) {
  if (!path)
    return false;
  size_t seg = strcspn(path, ".[");
  for (int i = g->nscope - 1; i >= 0; i--)
    if (strlen(g->names[i]) == seg && strncmp(g->names[i], path, seg) == 0) {
      if (g->loose[i])
        return true;
      break;
    }
  return strchr(path, '[') != NULL;
}

static bool push(sgen *g, const char *name, snode *s, bool loose) {
  if (g->nscope == MAX_SCOPE || !s)
    return false;
  g->names[g->nscope] = name;
  g->loose[g->nscope] = loose;
  g->nodes[g->nscope++] = s;
  return true;
}

/* The description an element gives the data it reads: its doc="…", else
 * the comment directly before it. */
static const char *doc_of(const zp_tnode *n) {
  const char *d = n->name ? zp_tmpl_attr(n, "doc") : NULL;
  return d && *d ? d : n->comment;
}

/* Whether n's description covers the fields of its content (a
 * paragraph, an item, a cell), only those of its attributes (a section's
 * title, a table's caption, <info>), or something else (the array of a
 * <for>, the tested path of an <if>, the checked figure, a macro's
 * parameters), the description around it passing through to its
 * content. */
typedef enum { DOC_CONTENT, DOC_ATTRS, DOC_OWN } doc_scope;

static doc_scope scope_of(const zp_tnode *n) {
  switch (n->kind) {
  case ZP_T_P:
  case ZP_T_ITEM:
  case ZP_T_CELL:
    return DOC_CONTENT;
  case ZP_T_TEXT:
  case ZP_T_FOR:
  case ZP_T_IF:
  case ZP_T_ELSE:
  case ZP_T_CHECK:
  case ZP_T_USE:
    return DOC_OWN;
  default:
    return DOC_ATTRS;
  }
}

/* Whether the plain fields of fields[0..n) all read the path *one (set
 * from the first); false at a second, different path. */
static bool same_path(const zp_tfield *f, int n, const char **one) {
  for (int i = 0; i < n; i++) {
    if (!f[i].path)
      continue;
    if (*one && strcmp(*one, f[i].path) != 0)
      return false;
    *one = f[i].path;
  }
  return true;
}

/* Whether the fields that n's description covers (its attributes' and,
 * with content, those of its content, depth levels down) read one path
 * and no other: a comment describes only such an element, for a comment
 * before a paragraph of several fields is rarely about one of them. */
static bool reads_one_path(const zp_tnode *n, bool content, const char **one,
                           int depth) {
  for (int i = 0; i < n->nattrs; i++)
    if (!same_path(n->attrs[i].fields, n->attrs[i].nfields, one))
      return false;
  if (!same_path(n->fields, n->nfields, one))
    return false;
  if (content && depth < 16)
    for (const zp_tnode *c = n->child; c; c = c->next)
      if (!reads_one_path(c, true, one, depth + 1))
        return false;
  return true;
}

static void walk(sgen *g, const zp_tnode *n) {
  const char *saved_doc = g->doc;
  doc_scope sc = scope_of(n);
  const char *attr = n->name ? zp_tmpl_attr(n, "doc") : NULL;
  const char *one = NULL;
  if (sc != DOC_OWN && attr && *attr)
    g->doc = attr;
  else if (sc != DOC_OWN && n->comment &&
           reads_one_path(n, sc == DOC_CONTENT, &one, 0) && one)
    g->doc = n->comment;
  for (int i = 0; i < n->nattrs; i++)
    fields(g, n->attrs[i].fields, n->attrs[i].nfields);
  if (sc == DOC_ATTRS)
    g->doc = NULL;
  walk_kind(g, n);
  g->doc = saved_doc;
}

static void walk_kind(sgen *g, const zp_tnode *n) {
  switch (n->kind) {
  case ZP_T_TEXT:
    fields(g, n->fields, n->nfields);
    return;
  case ZP_T_FOR: {
    snode *arr = follow(g, n->as.loop.each, true);
    if (arr && !arr->doc)
      arr->doc = doc_of(n);
    int saved = g->nscope;
    if (arr && push(g, n->as.loop.as, items(g, arr),
                    through_index(g, n->as.loop.each)))
      walk_list(g, n->child, NULL);
    g->nscope = saved;
    return;
  }
  case ZP_T_IF: {
    if (n->as.cond.bare) {
      snode *s = follow(g, n->as.cond.test, false);
      if (s && !s->doc)
        s->doc = doc_of(n);
    } else {
      expr_paths(g, n->as.cond.expr, ZP_USE_ANY, false);
    }
    g->optional++;
    walk_list(g, n->child, NULL);
    g->optional--;
    return;
  }
  case ZP_T_CHECK: {
    snode *v = follow(g, n->as.check.value, false); /* absent: skipped */
    if (v && !v->doc)
      v->doc = doc_of(n);
    if (v)
      v->types |=
          T_NULL | (n->as.check.kind == ZP_CHECK_GRADE ? T_STRING : T_NUMBER);
    /* the rule is computed only when a figure is stated: nothing in it is
     * required, but its numbers are numbers */
    g->optional++;
    expr_paths(g, n->as.check.cexpr,
               n->as.check.kind == ZP_CHECK_GRADE ? (unsigned)ZP_USE_STRING
                                                  : ZP_USE_NUMBER,
               true);
    g->optional--;
    return;
  }
  case ZP_T_USE: {
    const zp_tnode *def = n->as.use.def;
    if (!def || g->macro_depth == MAX_MACRO_DEPTH)
      return;
    snode *vals[16];
    bool loose[16];
    int np = n->as.use.nparams < 16 ? n->as.use.nparams : 16;
    for (int i = 0; i < np; i++) {
      loose[i] = through_index(g, n->as.use.params[i].path);
      vals[i] = follow(g, n->as.use.params[i].path, true);
      if (vals[i] && !vals[i]->doc)
        vals[i]->doc = doc_of(n) ? doc_of(n) : g->doc;
    }
    g->doc = NULL; /* the macro's own elements describe what they read */
    int saved = g->nscope;
    for (int i = 0; i < np; i++)
      if (!push(g, n->as.use.params[i].name, vals[i], loose[i]))
        break;
    g->macro_depth++;
    walk_list(g, def->child, NULL);
    g->macro_depth--;
    g->nscope = saved;
    return;
  }
  default:
    walk_list(g, n->child, NULL);
  }
}

/* ---- writing JSON ---- */

static void json_string(FILE *out, const char *s) {
  fputc('"', out);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(out, "\\%c", c);
    else if (c < 0x20)
      fprintf(out, "\\u%04x", c);
    else
      fputc(c, out);
  }
  fputc('"', out);
}

static void indent(FILE *out, int depth) {
  for (int i = 0; i < depth; i++)
    fputs("  ", out);
}

static void write_node(FILE *out, const snode *s, int depth) {
  if (s->doc) {
    fputs("{\"description\": ", out);
    json_string(out, s->doc);
    fputs(", \"allOf\": [", out);
    snode plain = *s;
    plain.doc = NULL;
    write_node(out, &plain, depth);
    fputs("]}", out);
    return;
  }
  if (s->object) {
    fputs("{\"type\": \"object\", \"properties\": {", out);
    bool first = true;
    for (const snode *m = s->members; m; m = m->next) {
      fputs(first ? "\n" : ",\n", out);
      first = false;
      indent(out, depth + 1);
      json_string(out, m->name);
      fputs(": ", out);
      write_node(out, m, depth + 1);
    }
    fputs("}", out);
    first = true;
    for (const snode *m = s->members; m; m = m->next)
      if (m->required) {
        fputs(first ? ", \"required\": [" : ", ", out);
        json_string(out, m->name);
        first = false;
      }
    if (!first)
      fputs("]", out);
    fputs("}", out);
  } else if (s->array) {
    fputs("{\"type\": \"array\", \"items\": ", out);
    if (s->items)
      write_node(out, s->items, depth);
    else
      fputs("{}", out);
    fputs("}", out);
  } else if (s->types) {
    static const struct {
      int bit;
      const char *name;
    } names[] = {{T_STRING, "string"}, {T_NUMBER, "number"},
                 {T_BOOL, "boolean"},  {T_ARRAY, "array"},
                 {T_OBJECT, "object"}, {T_NULL, "null"}};
    fputs("{\"type\": [", out);
    bool first = true;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
      if (s->types & names[i].bit) {
        fprintf(out, "%s\"%s\"", first ? "" : ", ", names[i].name);
        first = false;
      }
    fputs("]}", out);
  } else {
    fputs("{}", out); /* tested only: anything */
  }
}

bool zp_tmpl_schema(const zp_template *t, FILE *out, zp_diag *d) {
  zp_arena *a = zp_arena_new();
  bool ok = false;
  if (!a)
    goto done;
  sgen g = {a, zp_arena_alloc(a, sizeof(snode)), {0}, {0}, {0}, 0, 0, 0, NULL};
  if (!g.root)
    goto done;
  g.root->object = true;
  for (int k = 1; k <= ZP_TMPL_MAX_LEVELS; k++) {
    if (t->levels[k].prefix)
      fields(&g, t->levels[k].prefix->fields, t->levels[k].prefix->nfields);
    if (t->levels[k].suffix)
      fields(&g, t->levels[k].suffix->fields, t->levels[k].suffix->nfields);
  }
  if (t->info_node)
    walk(&g, t->info_node);
  if (t->body)
    walk_list(&g, t->body->child, NULL);
  fputs("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n",
        out);
  fputs(" \"title\": ", out);
  json_string(out, t->path);
  fputs(",\n \"description\": \"The data the template reads (zpgen schema): "
        "required members are those the binder stops on when absent (read "
        "outside every <if>, without ? or ??, or as an operand of "
        "arithmetic or an ordering).\",\n \"allOf\": [",
        out);
  write_node(out, g.root, 1);
  fputs("]}\n", out);
  ok = !ferror(out);
  if (!ok)
    zp_error(d, (zp_loc){"-", 0, 0}, "cannot write the schema");
done:
  zp_arena_free(a);
  return ok;
}
