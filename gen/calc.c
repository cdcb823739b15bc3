/* calc.c — see calc.h.  A recursive-descent evaluator; no allocation. */
#include "calc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h" /* ZP_CALC_MAX_DEPTH: no "(((…" can overflow the stack */
#include "fmt.h"

typedef struct parser {
  const char *p;
  const zp_calc_env *env;
  const char *text; /* a text result (grade) */
  char *err;
  size_t errsize;
  bool failed;
  int depth; /* of nested factors, up to ZP_CALC_MAX_DEPTH */
  bool dry;  /* only checking: no lookups, no checks of values */
} parser;

static void fail(parser *ps, const char *fmt, const char *arg) {
  if (!ps->failed)
    snprintf(ps->err, ps->errsize, fmt, arg);
  ps->failed = true;
}

static void ws(parser *ps) {
  while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n')
    ps->p++;
}

static bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_' || c == '.' ||
         (unsigned char)c >= 0x80;
}

/* The end of a path: names, dots, and [n] or [*] indexes. */
static const char *path_end(const char *s) {
  for (;;) {
    if (name_char(*s)) {
      s++;
    } else if (*s == '[') {
      const char *e = s + 1;
      while ((*e >= '0' && *e <= '9') || *e == '*')
        e++;
      if (*e != ']')
        return s;
      s = e + 1;
    } else {
      return s;
    }
  }
}

double zp_calc_round(double x, int places) {
  char t[64], r[96];
  zp_fmt_double(x, t, sizeof t);
  if (!zp_fmt_decimal(t, places, false, r, sizeof r))
    return x;
  return strtod(r, NULL);
}

static double expr(parser *ps);

/* Arguments of a function call, up to 16. */
static int args(parser *ps, double *v, const char **raw, size_t *rawlen) {
  int n = 0;
  ws(ps);
  if (*ps->p == ')') {
    ps->p++;
    return 0;
  }
  for (;;) {
    ws(ps);
    if (raw && n == 0) {
      raw[0] = ps->p;
      *rawlen = (size_t)(path_end(ps->p) - ps->p);
    }
    double x = expr(ps);
    if (n == 16) {
      fail(ps, "%s", "a function takes at most 16 arguments");
      return n;
    }
    v[n++] = x;
    ws(ps);
    if (*ps->p == ',') {
      ps->p++;
      continue;
    }
    if (*ps->p == ')') {
      ps->p++;
      return n;
    }
    fail(ps, "expected \",\" or \")\" at \"%s\"", ps->p);
    return n;
  }
}

static double call(parser *ps, const char *name, size_t len) {
  double v[16];
  if (len == 3 && strncmp(name, "sum", 3) == 0) {
    ws(ps);
    const char *start = ps->p;
    ps->p = path_end(ps->p);
    size_t plen = (size_t)(ps->p - start);
    ws(ps);
    if (plen == 0 || *ps->p != ')') {
      fail(ps, "sum() takes one data path, at \"%s\"", start);
      return 0;
    }
    ps->p++;
    double out = 0;
    char why[256] = "";
    if (ps->dry)
      return 1;
    zp_calc_status st =
        ps->env->lookup(ps->env->ctx, start, plen, true, &out, why, sizeof why);
    if (st != ZP_CALC_OK)
      fail(ps, "%s", why);
    return out;
  }
  int n = args(ps, v, NULL, NULL);
  if (ps->failed)
    return 0;
  char fname[32];
  snprintf(fname, sizeof fname, "%.*s", (int)(len < 31 ? len : 31), name);
  if (strcmp(fname, "round") == 0) {
    if (n != 2) {
      fail(ps, "%s() takes two arguments", fname);
      return 0;
    }
    if (!ps->dry && (v[1] < 0 || v[1] > 12 || v[1] != floor(v[1]))) {
      fail(ps, "%s", "round() takes 0 to 12 decimals");
      return 0;
    }
    return zp_calc_round(v[0], (int)v[1]);
  }
  if (strcmp(fname, "min") == 0 || strcmp(fname, "max") == 0) {
    if (n < 1) {
      fail(ps, "%s() takes at least one argument", fname);
      return 0;
    }
    double r = v[0];
    for (int i = 1; i < n; i++)
      r = fname[1] == 'i' ? fmin(r, v[i]) : fmax(r, v[i]);
    return r;
  }
  if (strcmp(fname, "ratio") == 0) {
    if (n != 2) {
      fail(ps, "%s() takes two arguments", fname);
      return 0;
    }
    if (v[1] == 0 && !ps->dry) {
      fail(ps, "%s", "ratio() of a zero denominator");
      return 0;
    }
    return v[0] / v[1] * 100;
  }
  if (strcmp(fname, "grade") == 0) {
    if (n != 1) {
      fail(ps, "%s() takes one argument", fname);
      return 0;
    }
    if (!ps->env->nbands) {
      fail(ps, "%s", "grade() needs <grades> in the template");
      return 0;
    }
    if (ps->dry)
      return v[0];
    for (int i = 0; i < ps->env->nbands; i++)
      if (v[0] >= ps->env->bands[i].min - 1e-9) {
        ps->text = ps->env->bands[i].label;
        return v[0];
      }
    ps->text = ps->env->bands[ps->env->nbands - 1].label;
    return v[0];
  }
  fail(ps,
       "unknown function \"%s\"; known: sum, round, min, max, ratio, "
       "grade",
       fname);
  return 0;
}

static double factor_at(parser *ps);

/* A factor, one level deeper; refused past ZP_CALC_MAX_DEPTH. */
static double factor(parser *ps) {
  if (ps->failed)
    return 0;
  if (ps->depth == ZP_CALC_MAX_DEPTH) {
    char n[16];
    snprintf(n, sizeof n, "%d", ZP_CALC_MAX_DEPTH);
    fail(ps,
         "the expression nests parentheses, minus signs or calls deeper "
         "than %s levels",
         n);
    return 0;
  }
  ps->depth++;
  double v = factor_at(ps);
  ps->depth--;
  return v;
}

static double factor_at(parser *ps) {
  ws(ps);
  const char *s = ps->p;
  if (*s == '(') {
    ps->p++;
    double v = expr(ps);
    ws(ps);
    if (*ps->p != ')')
      fail(ps, "expected \")\" at \"%s\"", ps->p);
    else
      ps->p++;
    return v;
  }
  if (*s == '-') {
    ps->p++;
    return -factor(ps);
  }
  if ((*s >= '0' && *s <= '9') || *s == '.') {
    /* a plain decimal number: digits, a point, digits */
    const char *e = s;
    while (*e >= '0' && *e <= '9')
      e++;
    if (*e == '.')
      for (e++; *e >= '0' && *e <= '9'; e++)
        ;
    char buf[64];
    if (e - s > 40) { /* would be cut short, so read wrong */
      fail(ps, "%s", "a number of more than 40 characters");
      return 0;
    }
    snprintf(buf, sizeof buf, "%.*s", (int)(e - s), s);
    ps->p = e;
    return strtod(buf, NULL);
  }
  if (!name_char(*s)) {
    fail(ps, *s ? "unexpected \"%s\"" : "an expression ends too soon%s", s);
    return 0;
  }
  ps->p = path_end(s);
  size_t len = (size_t)(ps->p - s);
  ws(ps);
  if (*ps->p == '(') {
    ps->p++;
    return call(ps, s, len);
  }
  double out = 0;
  char why[256] = "";
  if (ps->dry)
    return 1;
  if (ps->env->lookup(ps->env->ctx, s, len, false, &out, why, sizeof why) !=
      ZP_CALC_OK)
    fail(ps, "%s", why);
  return out;
}

static double term(parser *ps) {
  double v = factor(ps);
  for (;;) {
    ws(ps);
    char op = *ps->p;
    if (op != '*' && op != '/')
      return v;
    ps->p++;
    double r = factor(ps);
    if (op == '/' && r == 0 && !ps->dry) {
      fail(ps, "%s", "division by zero");
      return 0;
    }
    v = op == '*' ? v * r : v / r;
  }
}

static double expr(parser *ps) {
  double v = term(ps);
  for (;;) {
    ws(ps);
    char op = *ps->p;
    if (op != '+' && op != '-')
      return v;
    ps->p++;
    double r = term(ps);
    v = op == '+' ? v + r : v - r;
  }
}

bool zp_calc_check(const char *text, int nbands, char *err, size_t errsize) {
  zp_calc_env env = {NULL, NULL, NULL, nbands};
  parser ps = {text, &env, NULL, err, errsize, false, 0, true};
  expr(&ps);
  ws(&ps);
  if (!ps.failed && *ps.p)
    fail(&ps, "unexpected \"%s\"", ps.p);
  return !ps.failed;
}

bool zp_calc_eval(const char *text, const zp_calc_env *env, double *num,
                  const char **label, char *err, size_t errsize) {
  parser ps = {text, env, NULL, err, errsize, false, 0, false};
  double v = expr(&ps);
  ws(&ps);
  if (!ps.failed && *ps.p)
    fail(&ps, "unexpected \"%s\"", ps.p);
  if (!ps.failed && !isfinite(v))
    fail(&ps, "%s", "the result is not a finite number");
  if (ps.failed)
    return false;
  *num = v;
  *label = ps.text;
  return true;
}
