/* calc.c — see calc.h.  A recursive-descent parser into a tree in the
 * template's arena, and an evaluator over the data (no allocation). */
#include "calc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h" /* ZP_CALC_MAX_DEPTH, ZP_CALC_MAX_OPS */
#include "diag.h"   /* zp_diag_nearest */
#include "fmt.h"

/* ---- the tree ---- */

typedef enum {
  X_NUM,
  X_STR,
  X_BOOL,
  X_NULL,
  X_PATH,
  X_NEG,
  X_NOT,
  X_AND,
  X_OR,
  X_COND,
  X_CMP,
  X_ARITH,
  X_CALL
} xkind;

typedef enum {
  F_SUM,
  F_COUNT,
  F_LEN,
  F_ROUND,
  F_MIN,
  F_MAX,
  F_RATIO,
  F_GRADE,
  F_IF
} xfn;

/* Types known at load: ANY is "whatever the data holds". */
typedef enum { T_ANY, T_NUM, T_STR, T_BOOL, T_NULL } xtype;

typedef enum { SEG_NAME, SEG_INDEX, SEG_ALL, SEG_EXPR } xseg_kind;

typedef struct xseg {
  xseg_kind kind;
  const char *name; /* SEG_NAME, NUL-terminated */
  size_t len;
  long index;        /* SEG_INDEX */
  const zp_expr *at; /* SEG_EXPR: a computed index or key */
} xseg;

#define MAX_ARGS 16 /* arguments of a call: real rules take 1 to 3 */

struct zp_expr {
  xkind kind;
  xtype type;
  char op;         /* X_CMP: = ! < l (<=) > g (>=); X_ARITH: + - * / */
  double num;      /* X_NUM */
  bool boolean;    /* X_BOOL */
  const char *str; /* X_STR: the string; X_PATH, X_CALL: source text */
  const zp_expr *a, *b, *c;
  xfn fn;
  const zp_expr *args[MAX_ARGS];
  int nargs;
  xseg *segs; /* X_PATH */
  int nsegs;
};

static const char *const type_names[] = {"a value", "a number", "a string",
                                         "a boolean", "null"};

/* ---- the parser ---- */

typedef struct parser {
  const char *s, *p;
  zp_arena *a;
  int nbands;
  char *err;
  size_t errsize;
  size_t col;
  bool failed;
  int depth; /* of nested expressions, up to ZP_CALC_MAX_DEPTH */
  int ops;   /* nodes made, up to ZP_CALC_MAX_OPS */
  int agg;   /* inside sum() or count(): [*] allowed */
} parser;

static void fail(parser *ps, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void fail(parser *ps, const char *fmt, ...) {
  if (ps->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(ps->err, ps->errsize, fmt, ap);
  va_end(ap);
  ps->failed = true;
  ps->col = (size_t)(ps->p - ps->s);
}

static void ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
    ps->p++;
}

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || (unsigned char)c >= 0x80;
}

static bool name_start(char c) {
  return name_char(c) && !(c >= '0' && c <= '9');
}

/* The keyword kw at p, as a whole word. */
static bool word(parser *ps, const char *kw) {
  size_t n = strlen(kw);
  if (strncmp(ps->p, kw, n) != 0 || name_char(ps->p[n]))
    return false;
  ps->p += n;
  return true;
}

static zp_expr *node(parser *ps, xkind kind, xtype type) {
  if (ps->failed)
    return NULL;
  if (++ps->ops > ZP_CALC_MAX_OPS) {
    fail(ps, "the expression has more than %d operators and operands",
         ZP_CALC_MAX_OPS);
    return NULL;
  }
  zp_expr *e = zp_arena_alloc(ps->a, sizeof *e);
  if (!e) {
    fail(ps, "out of memory");
    return NULL;
  }
  e->kind = kind;
  e->type = type;
  return e;
}

static zp_expr *expr(parser *ps);

/* One level deeper; refused past ZP_CALC_MAX_DEPTH so that no expression
 * can overflow the stack. */
static bool deeper(parser *ps) {
  if (ps->depth == ZP_CALC_MAX_DEPTH) {
    fail(ps,
         "the expression nests parentheses, minus signs or calls deeper "
         "than %d levels",
         ZP_CALC_MAX_DEPTH);
    return false;
  }
  ps->depth++;
  return true;
}

static zp_expr *nested(parser *ps) {
  if (!deeper(ps))
    return NULL;
  zp_expr *e = expr(ps);
  ps->depth--;
  return e;
}

/* A number operand: an error at load when its type is known not to be. */
static void want_number(parser *ps, const zp_expr *e, const char *what) {
  if (e && e->type != T_ANY && e->type != T_NUM)
    fail(ps, "%s takes numbers, not %s", what, type_names[e->type]);
}

static const struct {
  const char *name;
  xfn fn;
  int min, max; /* arguments */
} functions[] = {
    {"sum", F_SUM, 1, 1},     {"count", F_COUNT, 1, 1}, {"len", F_LEN, 1, 1},
    {"round", F_ROUND, 2, 2}, {"min", F_MIN, 1, 16},    {"max", F_MAX, 1, 16},
    {"ratio", F_RATIO, 2, 2}, {"grade", F_GRADE, 1, 1}, {"if", F_IF, 3, 3}};

static const char *arg_count(int min, int max) {
  return min == 1 && max == 1   ? "one argument"
         : min == 2 && max == 2 ? "two arguments"
         : min == 3 && max == 3 ? "three arguments"
                                : "at least one argument";
}

static zp_expr *call(parser *ps, const char *name, size_t len,
                     const char *start) {
  int f = -1;
  for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
    if (strlen(functions[i].name) == len &&
        strncmp(functions[i].name, name, len) == 0)
      f = (int)i;
  if (f < 0) {
    fail(ps,
         "unknown function \"%.*s\"; known: sum, count, len, round, min, "
         "max, ratio, grade, if",
         (int)(len < 31 ? len : 31), name);
    return NULL;
  }
  zp_expr *e = node(ps, X_CALL, T_NUM);
  if (!e)
    return NULL;
  e->fn = functions[f].fn;
  bool agg = e->fn == F_SUM || e->fn == F_COUNT;
  ps->agg += agg;
  ws(ps);
  if (*ps->p == ')') {
    ps->p++;
  } else {
    for (;;) {
      zp_expr *x = nested(ps);
      if (ps->failed)
        return NULL;
      if (e->nargs == MAX_ARGS) {
        fail(ps, "a function takes at most %d arguments", MAX_ARGS);
        return NULL;
      }
      e->args[e->nargs++] = x;
      ws(ps);
      if (*ps->p == ',') {
        ps->p++;
        continue;
      }
      if (*ps->p == ')') {
        ps->p++;
        break;
      }
      fail(ps,
           *ps->p ? "expected \",\" or \")\" at \"%s\""
                  : "an expression ends too soon%s",
           ps->p);
      return NULL;
    }
  }
  ps->agg -= agg;
  if (e->nargs < functions[f].min || e->nargs > functions[f].max) {
    fail(ps, "%s() takes %s", functions[f].name,
         arg_count(functions[f].min, functions[f].max));
    return NULL;
  }
  e->str = zp_arena_strndup(ps->a, start, (size_t)(ps->p - start));
  switch (e->fn) {
  case F_SUM:
  case F_COUNT:
    if (e->args[0]->kind != X_PATH)
      fail(ps, "%s() takes one data path", functions[f].name);
    break;
  case F_ROUND:
    want_number(ps, e->args[0], "round()");
    want_number(ps, e->args[1], "round()");
    if (e->args[1]->kind == X_NUM &&
        (e->args[1]->num < 0 || e->args[1]->num > 12 ||
         e->args[1]->num != floor(e->args[1]->num)))
      fail(ps, "round() takes 0 to 12 decimals");
    break;
  case F_MIN:
  case F_MAX:
  case F_RATIO:
    for (int i = 0; i < e->nargs; i++)
      want_number(ps, e->args[i], functions[f].name);
    break;
  case F_GRADE:
    want_number(ps, e->args[0], "grade()");
    e->type = T_STR;
    if (!ps->nbands)
      fail(ps, "grade() needs <grades> in the template");
    break;
  case F_IF:
    e->type = e->args[1]->type == e->args[2]->type ? e->args[1]->type : T_ANY;
    break;
  default:
    break;
  }
  return ps->failed ? NULL : e;
}

static zp_expr *path(parser *ps, const char *start) {
  zp_expr *e = node(ps, X_PATH, T_ANY);
  if (!e)
    return NULL;
  int cap = 8;
  e->segs = zp_arena_alloc(ps->a, sizeof *e->segs * (size_t)cap);
  ps->p = start;
  for (;;) {
    if (e->nsegs == cap) {
      xseg *v = zp_arena_alloc(ps->a, sizeof *v * (size_t)cap * 2);
      if (!v) {
        fail(ps, "out of memory");
        return NULL;
      }
      memcpy(v, e->segs, sizeof *v * (size_t)cap);
      e->segs = v;
      cap *= 2;
    }
    if (!e->segs) {
      fail(ps, "out of memory");
      return NULL;
    }
    xseg *s = &e->segs[e->nsegs];
    if (e->nsegs == 0 || *ps->p == '.') {
      if (e->nsegs)
        ps->p++;
      const char *b = ps->p;
      while (name_char(*ps->p))
        ps->p++;
      if (ps->p == b) {
        fail(ps, "a name is missing after \".\" at \"%s\"", b);
        return NULL;
      }
      s->kind = SEG_NAME;
      s->len = (size_t)(ps->p - b);
      s->name = zp_arena_strndup(ps->a, b, s->len);
      e->nsegs++;
    } else if (*ps->p == '[') {
      ps->p++;
      ws(ps);
      const char *q = ps->p;
      while (*q >= '0' && *q <= '9')
        q++;
      const char *r = q;
      while (*r == ' ')
        r++;
      if (*ps->p == '*') {
        ps->p++;
        ws(ps);
        if (*ps->p != ']') {
          fail(ps, "expected \"]\" at \"%s\"", ps->p);
          return NULL;
        }
        if (!ps->agg) {
          fail(ps, "[*] stands only inside sum() or count()");
          return NULL;
        }
        s->kind = SEG_ALL;
      } else if (q > ps->p && *r == ']' && q - ps->p < 12) {
        s->kind = SEG_INDEX;
        s->index = strtol(ps->p, NULL, 10);
        ps->p = r;
      } else {
        s->kind = SEG_EXPR;
        s->at = nested(ps);
        if (ps->failed)
          return NULL;
        ws(ps);
        if (*ps->p != ']') {
          fail(ps,
               *ps->p ? "expected \"]\" at \"%s\""
                      : "an expression ends too soon%s",
               ps->p);
          return NULL;
        }
      }
      ps->p++; /* the ] */
      e->nsegs++;
    } else {
      break;
    }
  }
  e->str = zp_arena_strndup(ps->a, start, (size_t)(ps->p - start));
  return e;
}

static zp_expr *primary(parser *ps) {
  ws(ps);
  const char *s = ps->p;
  if (*s == '(') {
    ps->p++;
    zp_expr *e = nested(ps);
    ws(ps);
    if (ps->failed)
      return NULL;
    if (*ps->p != ')') {
      fail(ps,
           *ps->p ? "expected \")\" at \"%s\""
                  : "an expression ends too soon: expected \")\"%s",
           ps->p);
      return NULL;
    }
    ps->p++;
    return e;
  }
  if ((*s >= '0' && *s <= '9') || (*s == '.' && s[1] >= '0' && s[1] <= '9')) {
    /* a plain decimal number: digits, a point, digits */
    const char *e = s;
    while (*e >= '0' && *e <= '9')
      e++;
    if (*e == '.')
      for (e++; *e >= '0' && *e <= '9'; e++)
        ;
    if (e - s > 40) { /* would be cut short, so read wrong */
      fail(ps, "a number of more than 40 characters");
      return NULL;
    }
    char buf[64];
    snprintf(buf, sizeof buf, "%.*s", (int)(e - s), s);
    ps->p = e;
    zp_expr *x = node(ps, X_NUM, T_NUM);
    if (x)
      x->num = strtod(buf, NULL);
    return x;
  }
  if (*s == '\'' || *s == '"') {
    const char *close = strchr(s + 1, *s);
    if (!close) {
      fail(ps, "the string %.20s… is not closed by %c", s, *s);
      return NULL;
    }
    zp_expr *x = node(ps, X_STR, T_STR);
    if (x)
      x->str = zp_arena_strndup(ps->a, s + 1, (size_t)(close - s - 1));
    ps->p = close + 1;
    return x;
  }
  if (!name_start(*s)) {
    fail(ps, *s ? "unexpected \"%s\"" : "an expression ends too soon%s", s);
    return NULL;
  }
  if (word(ps, "true") || word(ps, "false")) {
    zp_expr *x = node(ps, X_BOOL, T_BOOL);
    if (x)
      x->boolean = *s == 't';
    return x;
  }
  if (word(ps, "null"))
    return node(ps, X_NULL, T_NULL);
  const char *e = s;
  while (name_char(*e))
    e++;
  ps->p = e;
  ws(ps);
  if (*ps->p == '(') {
    ps->p++;
    return call(ps, s, (size_t)(e - s), s);
  }
  return path(ps, s);
}

static zp_expr *unary(parser *ps) {
  ws(ps);
  if (*ps->p != '-')
    return primary(ps);
  ps->p++;
  if (!deeper(ps))
    return NULL;
  zp_expr *a = unary(ps);
  ps->depth--;
  want_number(ps, a, "\"-\"");
  zp_expr *e = node(ps, X_NEG, T_NUM);
  if (e)
    e->a = a;
  return e;
}

static zp_expr *arith(parser *ps, zp_expr *a, char op, zp_expr *b) {
  char what[8];
  snprintf(what, sizeof what, "\"%c\"", op);
  want_number(ps, a, what);
  want_number(ps, b, what);
  zp_expr *e = node(ps, X_ARITH, T_NUM);
  if (e) {
    e->op = op;
    e->a = a;
    e->b = b;
  }
  return e;
}

static zp_expr *term(parser *ps) {
  zp_expr *v = unary(ps);
  for (;;) {
    ws(ps);
    char op = *ps->p;
    if (ps->failed || (op != '*' && op != '/'))
      return v;
    ps->p++;
    v = arith(ps, v, op, unary(ps));
  }
}

static zp_expr *sum(parser *ps) {
  zp_expr *v = term(ps);
  for (;;) {
    ws(ps);
    char op = *ps->p;
    if (ps->failed || (op != '+' && op != '-'))
      return v;
    ps->p++;
    v = arith(ps, v, op, term(ps));
  }
}

static zp_expr *cmp(parser *ps) {
  zp_expr *a = sum(ps);
  ws(ps);
  const char *p = ps->p;
  char op = 0;
  if (p[0] == '=' && p[1] == '=')
    op = '=';
  else if (p[0] == '!' && p[1] == '=')
    op = '!';
  else if (p[0] == '<')
    op = p[1] == '=' ? 'l' : '<';
  else if (p[0] == '>')
    op = p[1] == '=' ? 'g' : '>';
  else if (p[0] == '=') {
    fail(ps, "\"=\" is not an operator: compare with \"==\"");
    return NULL;
  }
  if (!op || ps->failed)
    return a;
  ps->p += op == '<' || op == '>' ? 1 : 2;
  zp_expr *b = sum(ps);
  if (ps->failed)
    return NULL;
  if (op != '=' && op != '!') {
    bool bad = (a->type == T_BOOL || a->type == T_NULL || b->type == T_BOOL ||
                b->type == T_NULL) ||
               (a->type != T_ANY && b->type != T_ANY && a->type != b->type);
    if (bad) {
      fail(ps, "an ordering compares two numbers or two strings, not %s and %s",
           type_names[a->type], type_names[b->type]);
      return NULL;
    }
  }
  zp_expr *e = node(ps, X_CMP, T_BOOL);
  if (e) {
    e->op = op;
    e->a = a;
    e->b = b;
  }
  return e;
}

static zp_expr *not_(parser *ps) {
  ws(ps);
  if (word(ps, "not") || (*ps->p == '!' && ps->p[1] != '=' && ps->p++)) {
    if (!deeper(ps))
      return NULL;
    zp_expr *a = not_(ps);
    ps->depth--;
    zp_expr *e = node(ps, X_NOT, T_BOOL);
    if (e)
      e->a = a;
    return e;
  }
  return cmp(ps);
}

static zp_expr *and_(parser *ps) {
  zp_expr *v = not_(ps);
  for (;;) {
    ws(ps);
    if (ps->failed)
      return v;
    if (!word(ps, "and")) {
      if (ps->p[0] == '&' && ps->p[1] == '&')
        ps->p += 2;
      else
        return v;
    }
    zp_expr *e = node(ps, X_AND, T_BOOL);
    if (!e)
      return NULL;
    e->a = v;
    e->b = not_(ps);
    v = e;
  }
}

static zp_expr *or_(parser *ps) {
  zp_expr *v = and_(ps);
  for (;;) {
    ws(ps);
    if (ps->failed)
      return v;
    if (!word(ps, "or")) {
      if (ps->p[0] == '|' && ps->p[1] == '|')
        ps->p += 2;
      else
        return v;
    }
    zp_expr *e = node(ps, X_OR, T_BOOL);
    if (!e)
      return NULL;
    e->a = v;
    e->b = and_(ps);
    v = e;
  }
}

static zp_expr *expr(parser *ps) {
  zp_expr *c = or_(ps);
  ws(ps);
  if (ps->failed || *ps->p != '?')
    return c;
  ps->p++;
  zp_expr *a = nested(ps);
  ws(ps);
  if (ps->failed)
    return NULL;
  if (*ps->p != ':') {
    fail(ps,
         *ps->p ? "expected \":\" at \"%s\""
                : "an expression ends too soon: expected \":\"%s",
         ps->p);
    return NULL;
  }
  ps->p++;
  zp_expr *b = nested(ps);
  if (ps->failed)
    return NULL;
  zp_expr *e = node(ps, X_COND, a->type == b->type ? a->type : T_ANY);
  if (e) {
    e->a = c;
    e->b = a;
    e->c = b;
  }
  return e;
}

zp_expr *zp_expr_parse(zp_arena *a, const char *text, int nbands, char *err,
                       size_t errsize, size_t *col) {
  parser ps = {.s = text,
               .p = text,
               .a = a,
               .nbands = nbands,
               .err = err,
               .errsize = errsize};
  zp_expr *e = nested(&ps);
  ws(&ps);
  if (!ps.failed && *ps.p)
    fail(&ps, "unexpected \"%s\"", ps.p);
  if (col)
    *col = ps.col;
  return ps.failed ? NULL : e;
}

bool zp_expr_is_path(const zp_expr *e) { return e && e->kind == X_PATH; }

/* ---- the paths an expression reads (zp_expr_uses) ---- */

typedef struct uses {
  zp_expr_use_fn fn;
  void *ctx;
} uses;

static void visit(const uses *u, const zp_expr *e, unsigned want, bool needed,
                  bool always);

/* What a comparison with an operand of type t asks of the other one. */
static unsigned like(xtype t, bool ordering) {
  unsigned null = ordering ? 0 : ZP_USE_NULL;
  switch (t) {
  case T_NUM:
    return ZP_USE_NUMBER | null;
  case T_STR:
    return ZP_USE_STRING | null;
  case T_BOOL:
    return ordering ? ZP_USE_ANY : ZP_USE_BOOL | ZP_USE_NULL;
  default:
    return ordering ? ZP_USE_NUMBER | ZP_USE_STRING : ZP_USE_ANY;
  }
}

static void visit_path(const uses *u, const zp_expr *e, unsigned want,
                       bool needed, bool always) {
  char buf[1024];
  size_t n = 0;
  for (int i = 0; i < e->nsegs; i++) {
    const xseg *s = &e->segs[i];
    int k;
    if (s->kind == SEG_EXPR) {
      /* the path up to a computed key is an array or an object; what it
       * leads to is not known at load */
      zp_expr_use up = {buf,
                        ZP_USE_ARRAY | ZP_USE_OBJECT |
                            (needed ? 0u : (unsigned)ZP_USE_NULL),
                        needed, always};
      u->fn(u->ctx, &up);
      visit(u, s->at, ZP_USE_NUMBER | ZP_USE_STRING, true, always);
      return;
    }
    if (s->kind == SEG_NAME)
      k = snprintf(buf + n, sizeof buf - n, "%s%s", i ? "." : "", s->name);
    else if (s->kind == SEG_INDEX)
      k = snprintf(buf + n, sizeof buf - n, "[%ld]", s->index);
    else
      k = snprintf(buf + n, sizeof buf - n, "[*]");
    if (k < 0 || (size_t)k >= sizeof buf - n)
      return; /* longer than any real path */
    n += (size_t)k;
  }
  zp_expr_use use = {buf, want, needed, always};
  u->fn(u->ctx, &use);
}

static void visit(const uses *u, const zp_expr *e, unsigned want, bool needed,
                  bool always) {
  if (!e)
    return;
  switch (e->kind) {
  case X_PATH:
    visit_path(u, e, want, needed, always);
    return;
  case X_NEG:
    visit(u, e->a, ZP_USE_NUMBER, true, always);
    return;
  case X_NOT:
    visit(u, e->a, ZP_USE_ANY, false, always);
    return;
  case X_AND:
  case X_OR:
    visit(u, e->a, ZP_USE_ANY, false, always);
    visit(u, e->b, ZP_USE_ANY, false, false);
    return;
  case X_COND:
    visit(u, e->a, ZP_USE_ANY, false, always);
    visit(u, e->b, want, needed, false);
    visit(u, e->c, want, needed, false);
    return;
  case X_CMP: {
    bool ordering = e->op != '=' && e->op != '!';
    visit(u, e->a, like(e->b->type, ordering), ordering, always);
    visit(u, e->b, like(e->a->type, ordering), ordering, always);
    return;
  }
  case X_ARITH:
    visit(u, e->a, ZP_USE_NUMBER, true, always);
    visit(u, e->b, ZP_USE_NUMBER, true, always);
    return;
  case X_CALL:
    switch (e->fn) {
    case F_SUM: /* absent and null members skipped */
      visit(u, e->args[0], ZP_USE_NUMBER | ZP_USE_NULL, false, always);
      return;
    case F_COUNT:
      visit(u, e->args[0], ZP_USE_ANY, false, always);
      return;
    case F_LEN:
      visit(u, e->args[0],
            ZP_USE_ARRAY | ZP_USE_OBJECT | ZP_USE_STRING | ZP_USE_NULL, false,
            always);
      return;
    case F_IF:
      visit(u, e->args[0], ZP_USE_ANY, false, always);
      visit(u, e->args[1], want, needed, false);
      visit(u, e->args[2], want, needed, false);
      return;
    default: /* round, min, max, ratio, grade: numbers */
      for (int i = 0; i < e->nargs; i++)
        visit(u, e->args[i], ZP_USE_NUMBER, true, always);
      return;
    }
  default: /* constants */
    return;
  }
}

void zp_expr_uses(const zp_expr *e, unsigned want, bool needed,
                  zp_expr_use_fn fn, void *ctx) {
  uses u = {fn, ctx};
  visit(&u, e, want, needed, true);
}

/* ---- evaluation ---- */

typedef struct ev {
  const zp_calc_env *env;
  char *err;
  size_t errsize;
  bool failed;
  char why[600]; /* why the last absent path is absent */
} ev;

/* s, or its first 60 bytes (whole characters) and "…", for a message. */
static const char *brief(const char *s, char buf[72]) {
  size_t n = strlen(s);
  if (n < 64)
    return s;
  n = 60;
  while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
    n--;
  memcpy(buf, s, n);
  memcpy(buf + n, "…", 4);
  return buf;
}

static void efail(ev *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void efail(ev *v, const char *fmt, ...) {
  if (v->failed)
    return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(v->err, v->errsize, fmt, ap);
  va_end(ap);
  v->failed = true;
}

static bool spend(ev *v) {
  if (!v->env->steps)
    return true;
  if (--*v->env->steps >= 0)
    return true;
  efail(v, "the template makes too much work for this data (a sum over "
           "[*] inside loops over the same data?): the binder's budget "
           "grows with the data, and is spent here");
  return false;
}

static zp_val of_json(const zp_json *j) {
  zp_val r = {0};
  r.data = j;
  switch (j->type) {
  case ZP_JSON_NULL:
    r.type = ZP_VAL_NULL;
    break;
  case ZP_JSON_BOOL:
    r.type = ZP_VAL_BOOL;
    r.boolean = j->boolean;
    break;
  case ZP_JSON_NUMBER:
    r.type = ZP_VAL_NUMBER;
    r.number = j->number;
    break;
  case ZP_JSON_STRING:
    r.type = ZP_VAL_STRING;
    r.string = j->string;
    break;
  default:
    r.type = ZP_VAL_DATA;
    break;
  }
  return r;
}

bool zp_val_true(const zp_val *v) {
  switch (v->type) {
  case ZP_VAL_NULL:
    return false;
  case ZP_VAL_BOOL:
    return v->boolean;
  case ZP_VAL_STRING:
    return *v->string != 0;
  case ZP_VAL_DATA:
    return v->data->length > 0;
  default:
    return true;
  }
}

static zp_val eval(ev *v, const zp_expr *e);

/* Where p starts: a variable or the root; *from is the first segment left. */
static const zp_json *path_start(ev *v, const zp_expr *e, int *from) {
  const zp_calc_env *env = v->env;
  const zp_json *var =
      env->var ? env->var(env->ctx, e->segs[0].name, e->segs[0].len) : NULL;
  *from = var ? 1 : 0;
  return var ? var : env->data->root;
}

/* Notes why e reaches nothing: near has no member or element "missing". */
static zp_val absent(ev *v, const zp_expr *e, const zp_json *near,
                     const char *missing) {
  char jp[256], b[72], hint[100] = "";
  zp_json_path(near, jp, sizeof jp);
  if (near->type == ZP_JSON_OBJECT) {
    const char *keys[256];
    int n = 0;
    for (const zp_json *c = near->child; c && n < 256; c = c->next)
      keys[n++] = c->key;
    const char *best = zp_diag_nearest(missing, keys, n);
    if (best)
      snprintf(hint, sizeof hint, "; did you mean \"%.60s\"?", best);
  }
  snprintf(v->why, sizeof v->why,
           "the data has no %s (%.160s:%d:%d: %.120s has no \"%.60s\"%s)",
           brief(e->str, b), zp_json_file(v->env->data, near), near->line,
           near->col, jp, missing, hint);
  zp_val r = {0};
  r.absent = true;
  return r;
}

/* The step from cur through segment s (not [*]); NULL when it reaches
 * nothing (then *missing names what is missing). */
static const zp_json *step(ev *v, const zp_json *cur, const xseg *s,
                           char *missing, size_t msize) {
  if (s->kind == SEG_NAME) {
    snprintf(missing, msize, "%s", s->name);
    return cur->type == ZP_JSON_OBJECT ? zp_json_get(cur, s->name) : NULL;
  }
  long idx = s->index;
  if (s->kind == SEG_EXPR) {
    zp_val k = eval(v, s->at);
    if (v->failed)
      return NULL;
    if (k.type == ZP_VAL_STRING) {
      snprintf(missing, msize, "%s", k.string);
      return cur->type == ZP_JSON_OBJECT ? zp_json_get(cur, k.string) : NULL;
    }
    if (k.type != ZP_VAL_NUMBER || k.number < 0 || k.number > 1e9 ||
        k.number != floor(k.number)) {
      efail(v,
            "an index is a whole number 0 or more, or a key (a string), "
            "not %s",
            k.absent ? "absent" : type_names[k.type == ZP_VAL_NUMBER ? 1 : 0]);
      return NULL;
    }
    idx = (long)k.number;
  }
  snprintf(missing, msize, "[%ld]", idx);
  return cur->type == ZP_JSON_ARRAY ? zp_json_at(cur, (size_t)idx) : NULL;
}

static zp_val eval_path(ev *v, const zp_expr *e) {
  int i;
  const zp_json *cur = path_start(v, e, &i);
  char missing[256];
  for (; i < e->nsegs; i++) {
    const zp_json *next = step(v, cur, &e->segs[i], missing, sizeof missing);
    if (v->failed)
      return (zp_val){0};
    if (!next)
      return absent(v, e, cur, missing);
    cur = next;
  }
  return of_json(cur);
}

/* sum() and count(): every value e reaches, [*] running over arrays. */
typedef struct agg {
  bool count;
  double total;
  bool bad; /* a value that is not a number (sum) */
} agg;

static void walk(ev *v, const zp_expr *e, int i, const zp_json *cur, agg *g) {
  if (v->failed || !cur || !spend(v))
    return;
  if (i == e->nsegs) {
    zp_val x = of_json(cur);
    if (g->count)
      g->total += zp_val_true(&x);
    else if (cur->type == ZP_JSON_NUMBER)
      g->total += cur->number;
    else if (cur->type != ZP_JSON_NULL)
      g->bad = true;
    return;
  }
  const xseg *s = &e->segs[i];
  if (s->kind == SEG_ALL) {
    if (cur->type != ZP_JSON_ARRAY) {
      g->bad |= !g->count && cur->type != ZP_JSON_NULL;
      return;
    }
    for (const zp_json *c = cur->child; c && !v->failed; c = c->next)
      walk(v, e, i + 1, c, g);
    return;
  }
  if (s->kind == SEG_NAME && cur->type != ZP_JSON_OBJECT &&
      cur->type != ZP_JSON_NULL) {
    g->bad |= !g->count; /* a member of something that is not an object */
    return;
  }
  char missing[256];
  walk(v, e, i + 1, step(v, cur, s, missing, sizeof missing), g);
}

static double number(ev *v, const zp_expr *e, const zp_val *x,
                     const char *what) {
  char b[72];
  if (v->failed)
    return 0;
  if (x->type == ZP_VAL_NUMBER)
    return x->number;
  if (x->absent)
    efail(v, "%s", v->why);
  else if (x->data)
    efail(v, "%s (%s:%d:%d) is %s, not a number",
          e->str ? brief(e->str, b) : "a value",
          zp_json_file(v->env->data, x->data), x->data->line, x->data->col,
          x->type == ZP_VAL_NULL     ? "null"
          : x->type == ZP_VAL_STRING ? "a string"
          : x->type == ZP_VAL_BOOL   ? "a boolean"
                                     : "an array or object");
  else
    efail(v, "%s takes numbers, not %s", what,
          type_names[x->type == ZP_VAL_STRING ? T_STR
                     : x->type == ZP_VAL_BOOL ? T_BOOL
                                              : T_NULL]);
  return 0;
}

static zp_val num(double d) {
  zp_val r = {0};
  r.type = ZP_VAL_NUMBER;
  r.number = d;
  return r;
}

static zp_val boolean(bool b) {
  zp_val r = {0};
  r.type = ZP_VAL_BOOL;
  r.boolean = b;
  return r;
}

static bool equal(const zp_val *a, const zp_val *b) {
  if (a->type != b->type)
    return false;
  switch (a->type) {
  case ZP_VAL_NULL:
    return true;
  case ZP_VAL_BOOL:
    return a->boolean == b->boolean;
  case ZP_VAL_NUMBER: {
    double scale = fmax(1, fmax(fabs(a->number), fabs(b->number)));
    return fabs(a->number - b->number) <= 1e-9 * scale;
  }
  case ZP_VAL_STRING:
    return strcmp(a->string, b->string) == 0;
  default:
    return a->data == b->data;
  }
}

static zp_val compare(ev *v, const zp_expr *e) {
  zp_val a = eval(v, e->a);
  zp_val b = eval(v, e->b);
  if (v->failed)
    return (zp_val){0};
  if (e->op == '=' || e->op == '!')
    return boolean(equal(&a, &b) == (e->op == '='));
  int c;
  if (a.type == ZP_VAL_STRING && b.type == ZP_VAL_STRING) {
    c = strcmp(a.string, b.string);
  } else {
    const char *op = e->op == '<'   ? "<"
                     : e->op == 'l' ? "<="
                     : e->op == '>' ? ">"
                                    : ">=";
    double x = number(v, e->a, &a, op), y = number(v, e->b, &b, op);
    if (v->failed)
      return (zp_val){0};
    c = x < y ? -1 : x > y ? 1 : 0;
  }
  return boolean(e->op == '<'   ? c < 0
                 : e->op == 'l' ? c <= 0
                 : e->op == '>' ? c > 0
                                : c >= 0);
}

/* The characters of UTF-8 s. */
static double chars(const char *s) {
  double n = 0;
  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

static zp_val eval_call(ev *v, const zp_expr *e) {
  double x[MAX_ARGS];
  switch (e->fn) {
  case F_SUM:
  case F_COUNT: {
    const zp_expr *p = e->args[0];
    agg g = {e->fn == F_COUNT, 0, false};
    int i;
    const zp_json *cur = path_start(v, p, &i);
    walk(v, p, i, cur, &g);
    if (!v->failed && g.bad) {
      char b[72];
      efail(v, "%s reaches values that are not numbers", brief(p->str, b));
    }
    return num(g.total);
  }
  case F_LEN: {
    zp_val a = eval(v, e->args[0]);
    if (v->failed)
      return a;
    if (a.type == ZP_VAL_NULL)
      return num(0);
    if (a.type == ZP_VAL_STRING)
      return num(chars(a.string));
    if (a.type == ZP_VAL_DATA)
      return num((double)a.data->length);
    efail(v, "len() takes an array, an object or a string");
    return a;
  }
  case F_IF: {
    zp_val c = eval(v, e->args[0]);
    return v->failed ? c : eval(v, e->args[zp_val_true(&c) ? 1 : 2]);
  }
  default:
    break;
  }
  for (int i = 0; i < e->nargs; i++) {
    zp_val a = eval(v, e->args[i]);
    x[i] = number(v, e->args[i], &a, "a function");
  }
  if (v->failed)
    return (zp_val){0};
  switch (e->fn) {
  case F_ROUND:
    if (x[1] < 0 || x[1] > 12 || x[1] != floor(x[1])) {
      efail(v, "round() takes 0 to 12 decimals");
      return num(0);
    }
    return num(zp_calc_round(x[0], (int)x[1]));
  case F_MIN:
  case F_MAX: {
    double r = x[0];
    for (int i = 1; i < e->nargs; i++)
      r = e->fn == F_MIN ? fmin(r, x[i]) : fmax(r, x[i]);
    return num(r);
  }
  case F_RATIO:
    if (x[1] == 0) {
      efail(v, "ratio() of a zero denominator");
      return num(0);
    }
    return num(x[0] / x[1] * 100);
  case F_GRADE: {
    const zp_calc_env *env = v->env;
    if (!env->nbands) {
      efail(v, "grade() needs <grades> in the template");
      return num(0);
    }
    const char *label = env->bands[env->nbands - 1].label;
    for (int i = env->nbands - 1; i >= 0; i--)
      if (x[0] >= env->bands[i].min - 1e-9)
        label = env->bands[i].label;
    zp_val r = {0};
    r.type = ZP_VAL_STRING;
    r.string = label;
    r.number = x[0]; /* the score, for messages */
    return r;
  }
  default:
    return num(0);
  }
}

static zp_val eval(ev *v, const zp_expr *e) {
  if (v->failed)
    return (zp_val){0};
  switch (e->kind) {
  case X_NUM:
    return num(e->num);
  case X_STR: {
    zp_val r = {0};
    r.type = ZP_VAL_STRING;
    r.string = e->str;
    return r;
  }
  case X_BOOL:
    return boolean(e->boolean);
  case X_NULL:
    return (zp_val){0};
  case X_PATH:
    return eval_path(v, e);
  case X_NEG: {
    zp_val a = eval(v, e->a);
    return num(-number(v, e->a, &a, "\"-\""));
  }
  case X_NOT: {
    zp_val a = eval(v, e->a);
    return boolean(!zp_val_true(&a));
  }
  case X_AND:
  case X_OR: {
    zp_val a = eval(v, e->a);
    if (v->failed)
      return a;
    bool t = zp_val_true(&a);
    if (t == (e->kind == X_OR))
      return boolean(t);
    zp_val b = eval(v, e->b);
    return boolean(zp_val_true(&b));
  }
  case X_COND: {
    zp_val c = eval(v, e->a);
    return v->failed ? c : eval(v, zp_val_true(&c) ? e->b : e->c);
  }
  case X_CMP:
    return compare(v, e);
  case X_ARITH: {
    char what[8];
    snprintf(what, sizeof what, "\"%c\"", e->op);
    zp_val a = eval(v, e->a);
    double x = number(v, e->a, &a, what);
    zp_val b = eval(v, e->b);
    double y = number(v, e->b, &b, what);
    if (v->failed)
      return (zp_val){0};
    if (e->op == '/' && y == 0) {
      efail(v, "division by zero");
      return num(0);
    }
    return num(e->op == '+'   ? x + y
               : e->op == '-' ? x - y
               : e->op == '*' ? x * y
                              : x / y);
  }
  case X_CALL:
    return eval_call(v, e);
  }
  return (zp_val){0};
}

bool zp_expr_eval(const zp_expr *e, const zp_calc_env *env, zp_val *out,
                  char *err, size_t errsize) {
  ev v = {.env = env, .err = err, .errsize = errsize};
  *out = eval(&v, e);
  if (!v.failed && out->type == ZP_VAL_NUMBER && !isfinite(out->number))
    efail(&v, "the result is not a finite number");
  if (!v.failed && out->absent)
    snprintf(err, errsize, "%s", v.why); /* for a caller that needs a value */
  return !v.failed;
}

double zp_calc_round(double x, int places) {
  char t[64], r[96];
  zp_fmt_double(x, t, sizeof t);
  if (!zp_fmt_decimal(t, places, false, r, sizeof r))
    return x;
  return strtod(r, NULL);
}
