/* json.c — see json.h.
 *
 * cJSON parses and validates the grammar.  We then walk the source text in
 * step with the cJSON tree (the text is known to be valid JSON, so the walk
 * only has to skip tokens) to learn where each value starts, copying the
 * tree into zp_json nodes allocated in the document's arena.  The walk also
 * enforces what cJSON lets through: only JSON whitespace between tokens,
 * strictly formed numbers, valid UTF-8 and no control characters in strings,
 * no "\u0000", no duplicate keys, an object at the top level and nothing
 * after it.
 *
 * When cJSON fails it gives only an offset; diagnose() looks at the text
 * around it (with a light scan tracking strings and brackets) to say what
 * was expected and what was found.
 */
#include "json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "file.h"

#define NESTING_LIMIT CJSON_NESTING_LIMIT

/* ---- small text helpers ------------------------------------------------ */

/* A location (a function, so that it can be a macro argument). */
static zp_loc mkloc(const char *file, int line, int col) {
  return (zp_loc){file, line, col};
}

static size_t skip_bom(const char *s, size_t len) {
  return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* Line and column (1-based, column in UTF-8 characters) of offset off,
 * counting from start.  Error paths only: linear in off. */
static zp_loc loc_at(const char *file, const char *s, size_t start,
                     size_t off) {
  zp_loc l = {file, 1, 1};
  for (size_t i = start; i < off; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '\n') {
      l.line++;
      l.col = 1;
    } else if ((c & 0xC0) != 0x80) {
      l.col++;
    }
  }
  return l;
}

/* Length of the valid UTF-8 sequence at s[i] (i < len), or 0 when the bytes
 * at i do not form one (overlong forms, surrogates, code points above
 * U+10FFFF and truncated sequences are invalid). */
static size_t utf8_seq(const unsigned char *s, size_t len, size_t i) {
  unsigned char c = s[i];
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF; /* range of the second byte */
  if (c < 0x80)
    return 1;
  if (c >= 0xC2 && c <= 0xDF)
    n = 2;
  else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0)
      lo = 0xA0;
    else if (c == 0xED)
      hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0)
      lo = 0x90;
    else if (c == 0xF4)
      hi = 0x8F;
  } else {
    return 0;
  }
  for (size_t k = 1; k < n; k++) {
    if (i + k >= len)
      return 0;
    unsigned char b = s[i + k];
    if (k == 1 ? (b < lo || b > hi) : (b & 0xC0) != 0x80)
      return 0;
  }
  return n;
}

/* True when the bytes from s[i] to the end of the file are the start of a
 * valid UTF-8 sequence that the end cuts off. */
static bool utf8_cut(const unsigned char *s, size_t len, size_t i) {
  unsigned char c = s[i];
  size_t n = c >= 0xC2 && c <= 0xDF   ? 2
             : c >= 0xE0 && c <= 0xEF ? 3
             : c >= 0xF0 && c <= 0xF4 ? 4
                                      : 0;
  if (!n || i + n <= len)
    return false;
  for (size_t k = i + 1; k < len; k++)
    if ((s[k] & 0xC0) != 0x80)
      return false;
  return true;
}

/* The code point of the valid n-byte UTF-8 sequence at s. */
static unsigned utf8_cp(const unsigned char *s, size_t n) {
  unsigned c = n == 1 ? s[0] : s[0] & (0x7F >> n);
  for (size_t k = 1; k < n; k++)
    c = c << 6 | (s[k] & 0x3F);
  return c;
}

static int hex4(const unsigned char *p) {
  int v = 0;
  for (int k = 0; k < 4; k++) {
    int c = p[k], d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else if (c >= 'A' && c <= 'F')
      d = c - 'A' + 10;
    else
      return -1;
    v = v * 16 + d;
  }
  return v;
}

/* Result of scanning one string token. */
typedef struct {
  size_t end;   /* offset just past the closing quote */
  size_t chars; /* characters from the opening to the closing quote */
  size_t err;   /* on error: offset of the problem */
  const char *msg;
  char buf[64];
} str_scan;

/* Scans the string token whose opening quote is at s[i].  Checks escapes,
 * UTF-8 and control characters.  Returns false with r->err/msg set. */
static bool scan_string(const char *text, size_t len, size_t i, str_scan *r) {
  const unsigned char *s = (const unsigned char *)text;
  size_t q = i, chars = 1;
  i++;
  while (i < len) {
    unsigned char c = s[i];
    if (c == '"') {
      r->end = i + 1;
      r->chars = chars + 1;
      return true;
    }
    if (c == '\\') {
      if (i + 1 >= len)
        break;
      unsigned char e = s[i + 1];
      if (e == 'u') {
        int u = i + 6 <= len ? hex4(s + i + 2) : -1;
        if (u < 0) {
          r->err = i;
          r->msg = "invalid \\u escape (expected 4 hex digits)";
          return false;
        }
        if (u == 0) {
          r->err = i;
          r->msg = "\\u0000 is not allowed in strings";
          return false;
        }
        if (u >= 0xDC00 && u <= 0xDFFF) {
          r->err = i;
          r->msg = "unpaired low surrogate in \\u escape";
          return false;
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
          int v = i + 12 <= len && s[i + 6] == '\\' && s[i + 7] == 'u'
                      ? hex4(s + i + 8)
                      : -1;
          if (v < 0xDC00 || v > 0xDFFF) {
            r->err = i;
            r->msg = "high surrogate in \\u escape not followed by a low "
                     "surrogate";
            return false;
          }
          i += 12;
          chars += 12;
          continue;
        }
        i += 6;
        chars += 6;
        continue;
      }
      if (!strchr("\"\\/bfnrt", e) || e == 0) {
        r->err = i;
        snprintf(r->buf, sizeof r->buf,
                 e >= 0x20 && e < 0x7F ? "invalid escape '\\%c' in string"
                                       : "invalid escape in string",
                 e);
        r->msg = r->buf;
        return false;
      }
      i += 2;
      chars += 2;
      continue;
    }
    if (c == '\n' || c == '\r') {
      r->err = q;
      r->msg = "unterminated string (a string cannot contain a line break; "
               "write it as \\n)";
      return false;
    }
    if (c < 0x20) {
      r->err = i;
      snprintf(r->buf, sizeof r->buf,
               "control character U+%04X in string (escape it)", c);
      r->msg = r->buf;
      return false;
    }
    size_t n = utf8_seq(s, len, i);
    if (n == 0) {
      r->err = i;
      if (utf8_cut(s, len, i)) {
        r->msg = "unexpected end of file inside a character (the file is "
                 "cut off in a UTF-8 sequence)";
      } else {
        snprintf(r->buf, sizeof r->buf, "invalid UTF-8 byte 0x%02X in string",
                 c);
        r->msg = r->buf;
      }
      return false;
    }
    i += n;
    chars++;
  }
  r->err = q;
  r->msg = "unterminated string";
  return false;
}

/* Describes the character at offset o for "found ..." ("end of file",
 * "'x'", "'中'", "control character U+0001", "byte 0xFF"). */
static const char *describe_at(const char *text, size_t len, size_t o,
                               char *buf, size_t size) {
  const unsigned char *s = (const unsigned char *)text;
  if (o >= len)
    snprintf(buf, size, "end of file");
  else if (s[o] < 0x20 || s[o] == 0x7F)
    snprintf(buf, size, "control character U+%04X", s[o]);
  else if (s[o] < 0x80)
    snprintf(buf, size, "'%c'", s[o]);
  else {
    size_t n = utf8_seq(s, len, o);
    unsigned cp = n ? utf8_cp(s + o, n) : 0;
    if (cp == 0xFEFF)
      snprintf(buf, size, "a byte-order mark (U+FEFF)");
    else if (n)
      /* with its code point: an invisible or full-width character
       * ('　' U+3000, '，' U+FF0C) is then plain */
      snprintf(buf, size, "'%.*s' (U+%04X)", (int)n, text + o, cp);
    else if (utf8_cut(s, len, o))
      snprintf(buf, size, "the end of the file inside a character");
    else
      snprintf(buf, size, "byte 0x%02X", s[o]);
  }
  return buf;
}

/* ---- diagnosing a cJSON failure ---------------------------------------- */

typedef struct {
  char type; /* '{' or '[' */
  bool after_colon;
  size_t open;
} scan_frame;

typedef struct {
  scan_frame *stack; /* NESTING_LIMIT + 1 frames */
  int depth;         /* may exceed NESTING_LIMIT: frames beyond not stored */
  bool in_string;
  size_t quote; /* opening quote of the current string */
  size_t last;  /* last significant character, SIZE_MAX if none */
  size_t pos;   /* next byte to scan */
} ctx_scan;

static scan_frame *ctx_top(ctx_scan *c) {
  return c->depth > 0 && c->depth <= NESTING_LIMIT ? &c->stack[c->depth - 1]
                                                   : NULL;
}

/* Advances the context scan up to offset to (an escape may carry it one
 * byte past).  Treats every byte <= 32 as whitespace, like cJSON. */
static void ctx_advance(ctx_scan *c, const char *text, size_t to) {
  for (; c->pos < to; c->pos++) {
    size_t i = c->pos;
    unsigned char ch = (unsigned char)text[i];
    if (c->in_string) {
      if (ch == '\\')
        c->pos++;
      else if (ch == '"') {
        c->in_string = false;
        c->last = i;
      }
      continue;
    }
    if (ch <= 32)
      continue;
    c->last = i;
    scan_frame *top = ctx_top(c);
    switch (ch) {
    case '"':
      c->in_string = true;
      c->quote = i;
      break;
    case '{':
    case '[':
      if (c->depth < NESTING_LIMIT)
        c->stack[c->depth] = (scan_frame){(char)ch, false, i};
      c->depth++;
      break;
    case '}':
    case ']':
      if (c->depth > 0)
        c->depth--;
      break;
    case ':':
      if (top && top->type == '{')
        top->after_colon = true;
      break;
    case ',':
      if (top && top->type == '{')
        top->after_colon = false;
      break;
    default:
      break;
    }
  }
}

/* A key is due: inside an object, right after '{' or ','. */
static bool ctx_key_due(ctx_scan *c, const unsigned char *s) {
  scan_frame *top = ctx_top(c);
  return !c->in_string && top && top->type == '{' && !top->after_colon &&
         c->last != SIZE_MAX && (s[c->last] == '{' || s[c->last] == ',');
}

static bool is_word(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '_';
}

static bool is_num_char(unsigned char c) {
  return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' ||
         c == 'e' || c == 'E';
}

/* Reports the error cJSON found at offset o (o <= len; len means end of
 * file).  start is the offset after a BOM. */
static void diagnose(const char *text, size_t len, size_t start, size_t o,
                     const char *file, zp_diag *d) {
  const unsigned char *s = (const unsigned char *)text;
  char found[48], what[256];
  ctx_scan c = {.stack = malloc((NESTING_LIMIT + 1) * sizeof(scan_frame)),
                .last = SIZE_MAX};
  if (!c.stack) {
    zp_error(d, loc_at(file, text, start, o), "malformed JSON");
    return;
  }
  if (o > len)
    o = len;
  if (o < start)
    o = start;
  size_t at = o; /* where the error is reported */

  /* cJSON reports a failed string (a key where a key is due) one past
   * where it started: look at o - 1 first. */
  c.pos = start;
  size_t k = o > start ? o - 1 : o;
  ctx_advance(&c, text, k);
  bool key_due = ctx_key_due(&c, s);
  if (k < o && c.pos == k && key_due && s[k] > 32 && s[k] != '"') {
    at = k;
  } else {
    ctx_advance(&c, text, o);
    key_due = ctx_key_due(&c, s);
  }
  scan_frame *top = ctx_top(&c);

  if (c.in_string) {
    str_scan r;
    if (!scan_string(text, len, c.quote, &r)) {
      zp_error(d, loc_at(file, text, start, r.err), "malformed JSON: %s",
               r.msg);
      goto cleanup;
    }
  }
  describe_at(text, len, at, found, sizeof found);
  unsigned char ch = at < len ? s[at] : 0;
  unsigned char prev = c.last != SIZE_MAX ? s[c.last] : 0;
  if (c.depth >= NESTING_LIMIT && (ch == '[' || ch == '{')) {
    snprintf(what, sizeof what, "nesting deeper than %d levels", NESTING_LIMIT);
  } else if (key_due) {
    if (ch == '}' && prev == ',') {
      at = c.last;
      snprintf(what, sizeof what, "trailing comma before '}'");
    } else if (ch == '\'') {
      snprintf(what, sizeof what, "object keys must be in double quotes");
    } else if (at >= len) {
      snprintf(what, sizeof what,
               "unexpected end of file, expected a string key");
    } else {
      snprintf(what, sizeof what, "expected a string key, found %s", found);
    }
  } else if (c.last == SIZE_MAX) {
    if (at >= len)
      snprintf(what, sizeof what,
               "unexpected end of file, expected a JSON object");
    else
      snprintf(what, sizeof what, "expected a JSON object, found %s", found);
  } else if (prev == ':' || prev == '[' ||
             (prev == ',' && top && top->type == '[')) {
    const char *expected = "a value";
    size_t n = 0;
    if (ch == ']' && prev == ',') {
      at = c.last;
      snprintf(what, sizeof what, "trailing comma before ']'");
    } else if (at >= len) {
      snprintf(what, sizeof what, "unexpected end of file, expected %s",
               expected);
    } else if (ch == '-' || (ch >= '0' && ch <= '9')) {
      while (at + n < len && n < 40 && is_num_char(s[at + n]))
        n++;
      snprintf(what, sizeof what, "malformed number '%.*s'", (int)n, text + at);
    } else if (is_word(ch)) {
      while (at + n < len && n < 40 && is_word(s[at + n]))
        n++;
      snprintf(what, sizeof what,
               "invalid literal '%.*s' (expected true, false, null, a "
               "number, a \"string\", an object or an array)",
               (int)n, text + at);
    } else if (ch == '\'') {
      snprintf(what, sizeof what, "strings must be in double quotes");
    } else {
      snprintf(what, sizeof what, "expected %s, found %s", expected, found);
    }
  } else {
    const char *expected =
        !top                ? "the end of the file"
        : top->type == '['  ? "',' or ']' after an array element"
        : !top->after_colon ? "':' after an object key"
                            : "',' or '}' after an object member";
    if (at >= len && top) {
      zp_loc open = loc_at(file, text, start, top->open);
      snprintf(what, sizeof what,
               "unexpected end of file, expected %s (the %s opened at "
               "%d:%d is not closed)",
               expected, top->type == '[' ? "array" : "object", open.line,
               open.col);
    } else {
      snprintf(what, sizeof what, "expected %s, found %s", expected, found);
    }
  }
  zp_error(d, loc_at(file, text, start, at), "malformed JSON: %s", what);
cleanup:
  free(c.stack);
}

/* ---- the walk ---------------------------------------------------------- */

typedef struct {
  const char *key;
  size_t len;
  int line, col;
} key_pos;

typedef struct {
  const char *s; /* the text; s[len] is readable */
  size_t len, i, start;
  int line, col; /* of s[i] */
  zp_arena *arena;
  const char *file;
  zp_diag *d;
  key_pos *keys; /* keys of the objects being walked (a stack) */
  size_t nkeys, capkeys;
} walker;

static zp_loc here(const walker *w) { return mkloc(w->file, w->line, w->col); }

/* Reports an error at offset off (which lies on the current line or
 * after the walker's position). */
static zp_loc loc_of(const walker *w, size_t off) {
  return loc_at(w->file, w->s, w->start, off);
}

/* Skips JSON whitespace.  cJSON takes every byte <= 32 as whitespace; we
 * do not. */
static bool skip_ws(walker *w) {
  while (w->i < w->len) {
    unsigned char c = (unsigned char)w->s[w->i];
    if (c == '\n') {
      w->line++;
      w->col = 1;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      w->col++;
    } else if (c < 0x20) {
      zp_error(w->d, here(w),
               "malformed JSON: control character U+%04X between tokens "
               "(only spaces, tabs and line breaks are allowed)",
               c);
      return false;
    } else {
      return true;
    }
    w->i++;
  }
  return true;
}

/* Advances over n ASCII/one-column-each bytes of the current line. */
static void advance(walker *w, size_t n) {
  w->i += n;
  w->col += (int)n;
}

static bool out_of_step(walker *w) {
  zp_error(w->d, here(w), "internal error: JSON walk out of step with cJSON");
  return false;
}

static bool expect(walker *w, char c) {
  if (!skip_ws(w))
    return false;
  if (w->i >= w->len || w->s[w->i] != c)
    return out_of_step(w);
  advance(w, 1);
  return true;
}

/* Skips the string token at the current position, validating it. */
static bool walk_string_token(walker *w) {
  str_scan r;
  if (w->i >= w->len || w->s[w->i] != '"')
    return out_of_step(w);
  if (!scan_string(w->s, w->len, w->i, &r)) {
    zp_error(w->d, loc_of(w, r.err), "malformed JSON: %s", r.msg);
    return false;
  }
  w->i = r.end;
  w->col += (int)r.chars; /* a valid string holds no line break */
  return true;
}

/* True when the number token p (n bytes) has a non-zero digit before its
 * exponent yet reads as 0: "1e-400". */
static bool underflows(const char *p, size_t n, double v) {
  if (v != 0)
    return false;
  for (size_t i = 0; i < n && p[i] != 'e' && p[i] != 'E'; i++)
    if (p[i] >= '1' && p[i] <= '9')
      return true;
  return false;
}

/* Checks the number token at the current position against the JSON
 * grammar (cJSON's strtod also takes "01", "1.", ".5e", "+1"). */
static bool walk_number_token(walker *w, size_t *n_out) {
  const char *p = w->s + w->i, *q = p;
  size_t n = 0;
  while (w->i + n < w->len && is_num_char((unsigned char)p[n]))
    n++;
  const char *end = p + n;
  if (q < end && *q == '-')
    q++;
  if (q < end && *q == '0')
    q++;
  else if (q < end && *q >= '1' && *q <= '9')
    while (q < end && *q >= '0' && *q <= '9')
      q++;
  else
    goto bad;
  if (q < end && *q == '.') {
    q++;
    if (!(q < end && *q >= '0' && *q <= '9'))
      goto bad;
    while (q < end && *q >= '0' && *q <= '9')
      q++;
  }
  if (q < end && (*q == 'e' || *q == 'E')) {
    q++;
    if (q < end && (*q == '+' || *q == '-'))
      q++;
    if (!(q < end && *q >= '0' && *q <= '9'))
      goto bad;
    while (q < end && *q >= '0' && *q <= '9')
      q++;
  }
  if (q != end)
    goto bad;
  *n_out = n;
  return true;
bad:
  zp_error(w->d, here(w), "malformed JSON: malformed number '%.*s'",
           (int)(n > 40 ? 40 : n), p);
  return false;
}

static size_t key_hash(const char *k, size_t n) {
  size_t h = 2166136261u;
  for (size_t i = 0; i < n; i++)
    h = (h ^ (unsigned char)k[i]) * 16777619u;
  return h;
}

/* Records key kp as member number idx (0-based) of the object whose keys
 * start at base on the key stack, and reports a duplicate.  Small objects
 * are checked pairwise; larger ones pass table, an open-addressing hash
 * table of mask + 1 slots (initially all UINT32_MAX). */
static bool add_key(walker *w, size_t base, size_t idx, uint32_t *table,
                    size_t mask, key_pos kp) {
  const key_pos *dup = NULL;
  if (w->nkeys == w->capkeys) {
    size_t cap = w->capkeys ? w->capkeys * 2 : 64;
    key_pos *k = realloc(w->keys, cap * sizeof *k);
    if (!k) {
      zp_error(w->d, here(w), "out of memory");
      return false;
    }
    w->keys = k;
    w->capkeys = cap;
  }
  w->keys[w->nkeys++] = kp;
  if (!table) {
    for (size_t j = base; j < base + idx && !dup; j++)
      if (w->keys[j].len == kp.len &&
          memcmp(w->keys[j].key, kp.key, kp.len) == 0)
        dup = &w->keys[j];
  } else {
    size_t h = key_hash(kp.key, kp.len) & mask;
    for (; table[h] != UINT32_MAX; h = (h + 1) & mask) {
      const key_pos *o = &w->keys[base + table[h]];
      if (o->len == kp.len && memcmp(o->key, kp.key, kp.len) == 0) {
        dup = o;
        break;
      }
    }
    if (!dup)
      table[h] = (uint32_t)idx;
  }
  if (dup) {
    zp_error(w->d, mkloc(w->file, kp.line, kp.col),
             "duplicate key \"%s\" in object (first defined at %d:%d)", kp.key,
             dup->line, dup->col);
    return false;
  }
  return true;
}

static zp_json *walk_value(walker *w, const cJSON *item, zp_json *parent,
                           const char *key);

/* Walks the members of an object (the '{' is consumed). */
static bool walk_object(walker *w, const cJSON *item, zp_json *node) {
  enum { SMALL = 16 }; /* members checked pairwise for duplicates */
  size_t n = 0, base = w->nkeys, mask = 0, idx = 0;
  bool ok = false;
  uint32_t *table = NULL;
  for (const cJSON *m = item->child; m; m = m->next)
    n++;
  if (n > SMALL) {
    size_t size = 64;
    while (size < 2 * n)
      size *= 2;
    table = malloc(size * sizeof *table);
    if (!table) {
      zp_error(w->d, here(w), "out of memory");
      goto done;
    }
    memset(table, 0xFF, size * sizeof *table);
    mask = size - 1;
  }
  zp_json **tail = &node->child;
  for (const cJSON *m = item->child; m; m = m->next, idx++) {
    if (idx > 0 && !expect(w, ','))
      goto done;
    if (!skip_ws(w))
      goto done;
    key_pos kp = {.line = w->line, .col = w->col};
    if (!walk_string_token(w))
      goto done;
    kp.len = strlen(m->string);
    kp.key = zp_arena_strndup(w->arena, m->string, kp.len);
    if (!kp.key) {
      zp_error(w->d, here(w), "out of memory");
      goto done;
    }
    if (!add_key(w, base, idx, table, mask, kp) || !expect(w, ':'))
      goto done;
    zp_json *child = walk_value(w, m, node, kp.key);
    if (!child)
      goto done;
    *tail = child;
    tail = &child->next;
  }
  node->length = n;
  ok = expect(w, '}');
done:
  free(table);
  w->nkeys = base;
  return ok;
}

static zp_json *walk_value(walker *w, const cJSON *item, zp_json *parent,
                           const char *key) {
  if (!skip_ws(w))
    return NULL;
  if (w->i >= w->len) {
    out_of_step(w);
    return NULL;
  }
  zp_json *node = zp_arena_alloc(w->arena, sizeof *node);
  if (!node) {
    zp_error(w->d, here(w), "out of memory");
    return NULL;
  }
  node->line = w->line;
  node->col = w->col;
  node->key = key;
  node->parent = parent;
  const char *p = w->s + w->i;
  switch (item->type & 0xFF) {
  case cJSON_NULL:
    node->type = ZP_JSON_NULL;
    if (strncmp(p, "null", 4) != 0)
      return out_of_step(w), NULL;
    advance(w, 4);
    break;
  case cJSON_True:
  case cJSON_False: {
    bool b = (item->type & 0xFF) == cJSON_True;
    const char *lit = b ? "true" : "false";
    node->type = ZP_JSON_BOOL;
    node->boolean = b;
    if (strncmp(p, lit, strlen(lit)) != 0)
      return out_of_step(w), NULL;
    advance(w, strlen(lit));
    break;
  }
  case cJSON_Number: {
    size_t n;
    node->type = ZP_JSON_NUMBER;
    if (!walk_number_token(w, &n))
      return NULL;
    if (!isfinite(item->valuedouble) || underflows(p, n, item->valuedouble)) {
      char shown[64];
      if (n > 40)
        snprintf(shown, sizeof shown, "%.20s…(%zu characters)", p, n);
      else
        snprintf(shown, sizeof shown, "%.*s", (int)n, p);
      zp_error(w->d, here(w),
               "number %s is out of range (%s; the magnitude must lie "
               "between about 1e-308 and 1e308)",
               shown,
               isfinite(item->valuedouble) ? "so close to zero it would be 0"
                                           : "too large");
      return NULL;
    }
    node->number = item->valuedouble;
    node->raw = zp_arena_strndup(w->arena, p, n);
    if (!node->raw) {
      zp_error(w->d, here(w), "out of memory");
      return NULL;
    }
    advance(w, n);
    break;
  }
  case cJSON_String:
    node->type = ZP_JSON_STRING;
    if (!walk_string_token(w))
      return NULL;
    node->length = strlen(item->valuestring);
    node->string = zp_arena_strndup(w->arena, item->valuestring, node->length);
    if (!node->string) {
      zp_error(w->d, here(w), "out of memory");
      return NULL;
    }
    break;
  case cJSON_Array: {
    node->type = ZP_JSON_ARRAY;
    if (*p != '[')
      return out_of_step(w), NULL;
    advance(w, 1);
    zp_json **tail = &node->child;
    size_t n = 0;
    for (const cJSON *m = item->child; m; m = m->next, n++) {
      if (n > 0 && !expect(w, ','))
        return NULL;
      zp_json *child = walk_value(w, m, node, NULL);
      if (!child)
        return NULL;
      *tail = child;
      tail = &child->next;
    }
    node->length = n;
    if (!expect(w, ']'))
      return NULL;
    if (!zp_json_reindex(w->arena, node)) {
      zp_error(w->d, here(w), "out of memory");
      return NULL;
    }
    break;
  }
  case cJSON_Object:
    node->type = ZP_JSON_OBJECT;
    if (*p != '{')
      return out_of_step(w), NULL;
    advance(w, 1);
    if (!walk_object(w, item, node))
      return NULL;
    if (!zp_json_reindex(w->arena, node)) {
      zp_error(w->d, here(w), "out of memory");
      return NULL;
    }
    break;
  default:
    out_of_step(w);
    return NULL;
  }
  return node;
}

static const char *article_type(zp_json_type t) {
  switch (t) {
  case ZP_JSON_NULL:
    return "null";
  case ZP_JSON_BOOL:
    return "a boolean";
  case ZP_JSON_NUMBER:
    return "a number";
  case ZP_JSON_STRING:
    return "a string";
  case ZP_JSON_ARRAY:
    return "an array";
  case ZP_JSON_OBJECT:
    return "an object";
  }
  return "?";
}

static zp_json_type type_of(const cJSON *item) {
  switch (item->type & 0xFF) {
  case cJSON_True:
  case cJSON_False:
    return ZP_JSON_BOOL;
  case cJSON_Number:
    return ZP_JSON_NUMBER;
  case cJSON_String:
    return ZP_JSON_STRING;
  case cJSON_Array:
    return ZP_JSON_ARRAY;
  case cJSON_Object:
    return ZP_JSON_OBJECT;
  default:
    return ZP_JSON_NULL;
  }
}

/* Parses text[0, len); text[len] and text[len + 1] must be writable: the
 * buffer is padded with a sentinel byte so that cJSON reports a truncated
 * file at offset len (it clamps positions past the end to len - 1). */
static zp_json_doc *parse_padded(char *text, size_t len, const char *name,
                                 zp_diag *d) {
  zp_json_doc *doc = NULL;
  zp_arena *arena = NULL;
  cJSON *root = NULL;
  walker w = {0};
  const char *file = name ? name : "<input>";
  size_t start = skip_bom(text, len);

  if (len == 0) {
    zp_error(d, mkloc(file, 0, 0), "empty file, expected a JSON object");
    goto fail;
  }
  /* cJSON stops at a NUL byte and would call the rest the end of file */
  const char *nul = memchr(text, 0, len);
  if (nul) {
    zp_error(d, loc_at(file, text, start, (size_t)(nul - text)),
             "a NUL byte (0x00) is not allowed in JSON text; expected UTF-8 "
             "text");
    goto fail;
  }
  text[len] = '#';
  text[len + 1] = 0;
  const char *end = NULL;
  root = cJSON_ParseWithLengthOpts(text, len + 1, &end, false);
  text[len] = 0;
  if (!root) {
    diagnose(text, len, start, end ? (size_t)(end - text) : len, file, d);
    goto fail;
  }
  arena = zp_arena_new();
  if (!arena) {
    zp_error(d, mkloc(file, 0, 0), "out of memory");
    goto fail;
  }
  w = (walker){.s = text,
               .len = len,
               .i = start,
               .start = start,
               .line = 1,
               .col = 1,
               .arena = arena,
               .file = zp_arena_strdup(arena, file),
               .d = d};
  if (!w.file || !skip_ws(&w))
    goto fail;
  if ((root->type & 0xFF) != cJSON_Object) {
    zp_error(d, here(&w), "the top-level value must be an object, found %s",
             article_type(type_of(root)));
    goto fail;
  }
  const zp_json *top = walk_value(&w, root, NULL, NULL);
  if (!top || !skip_ws(&w))
    goto fail;
  if (w.i < len) {
    char found[48];
    zp_error(d, here(&w),
             "malformed JSON: found %s after the top-level object; expected "
             "the end of the file",
             describe_at(text, len, w.i, found, sizeof found));
    goto fail;
  }
  doc = zp_arena_alloc(arena, sizeof *doc);
  if (!doc) {
    zp_error(d, mkloc(file, 0, 0), "out of memory");
    goto fail;
  }
  doc->arena = arena;
  doc->root = top;
  doc->file = w.file;
  arena = NULL;
fail:
  free(w.keys);
  cJSON_Delete(root);
  zp_arena_free(arena);
  return doc;
}

zp_json_doc *zp_json_parse(const char *text, size_t len, const char *name,
                           zp_diag *d) {
  char *buf = malloc(len + 2);
  if (!buf) {
    zp_error(d, mkloc(name, 0, 0), "out of memory");
    return NULL;
  }
  if (len)
    memcpy(buf, text, len);
  zp_json_doc *doc = parse_padded(buf, len, name, d);
  free(buf);
  return doc;
}

zp_json_doc *zp_json_load_file(const char *path, zp_diag *d) {
  zp_json_doc *doc = NULL;
  char *buf = NULL;
  size_t len = 0, cap = 0;
  bool read_ok = false;
  /* a regular file only: a FIFO or a device would block or never end */
  FILE *f = zp_file_fopen(path, NULL, mkloc(NULL, 0, 0), d);
  if (!f)
    return NULL; /* reported */
  for (;;) {
    if (cap - len < 3) { /* room for a byte, the sentinel and a NUL */
      size_t ncap = cap ? cap * 2 : 65536;
      char *nb = realloc(buf, ncap);
      if (!nb) {
        errno = ENOMEM;
        goto cleanup;
      }
      buf = nb;
      cap = ncap;
    }
    size_t got = fread(buf + len, 1, cap - len - 2, f);
    len += got;
    if (len > ZP_MAX_DATA_BYTES) {
      zp_error(d, mkloc(path, 0, 0),
               "cannot read: it is larger than %ld MB, the most a data file "
               "may be",
               ZP_MAX_DATA_BYTES >> 20);
      read_ok = true; /* reported */
      goto cleanup;
    }
    if (got == 0) {
      if (ferror(f))
        goto cleanup;
      break;
    }
  }
  read_ok = true;
  doc = parse_padded(buf, len, path, d);
cleanup:
  if (!read_ok)
    zp_error(d, mkloc(path, 0, 0), "cannot read: %s", strerror(errno));
  if (f)
    fclose(f);
  free(buf);
  return doc;
}

void zp_json_write_string(FILE *f, const char *s) {
  fputc('"', f);
  for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
    if (*p == '"' || *p == '\\')
      fprintf(f, "\\%c", *p);
    else if (*p == '\n')
      fputs("\\n", f);
    else if (*p == '\t')
      fputs("\\t", f);
    else if (*p == '\r')
      fputs("\\r", f);
    else if (*p < 0x20)
      fprintf(f, "\\u%04x", *p);
    else
      fputc(*p, f);
  }
  fputc('"', f);
}

void zp_json_free(zp_json_doc *doc) {
  if (!doc)
    return;
  for (int i = 0; i < doc->nparts; i++) /* a merge (json_merge.c) */
    zp_json_free(doc->parts[i]);
  zp_arena_free(doc->arena); /* the doc lives in its own arena */
}

/* ---- member indexes ----
 * An object of more than INDEX_MIN members gets an open-addressing hash
 * table of its members by key (a power of two at least twice their count),
 * an array of more than INDEX_MIN elements the vector of them: lookups in
 * a loop over the data stay linear in it. */
#define INDEX_MIN 16

struct zp_json_index {
  size_t mask; /* objects: slots - 1; arrays: elements */
  const zp_json *slot[];
};

static size_t member_hash(const char *k) {
  size_t h = 1469598103934665603u;
  for (const unsigned char *p = (const unsigned char *)k; *p; p++)
    h = (h ^ *p) * 1099511628211u;
  return h;
}

bool zp_json_reindex(zp_arena *a, zp_json *node) {
  node->index = NULL;
  size_t n = 0;
  for (const zp_json *m = node->child; m; m = m->next)
    n++;
  if (n <= INDEX_MIN ||
      (node->type != ZP_JSON_OBJECT && node->type != ZP_JSON_ARRAY))
    return true;
  size_t slots = n;
  if (node->type == ZP_JSON_OBJECT)
    for (slots = 32; slots < 2 * n; slots *= 2)
      ;
  struct zp_json_index *ix =
      zp_arena_alloc(a, sizeof *ix + slots * sizeof ix->slot[0]);
  if (!ix)
    return false;
  memset(ix->slot, 0, slots * sizeof ix->slot[0]);
  size_t i = 0;
  for (const zp_json *m = node->child; m; m = m->next, i++) {
    if (node->type == ZP_JSON_ARRAY) {
      ix->slot[i] = m;
      continue;
    }
    size_t h = member_hash(m->key) & (slots - 1);
    while (ix->slot[h])
      h = (h + 1) & (slots - 1);
    ix->slot[h] = m;
  }
  ix->mask = node->type == ZP_JSON_OBJECT ? slots - 1 : n;
  node->index = ix;
  return true;
}

const zp_json *zp_json_get(const zp_json *obj, const char *key) {
  if (!obj || obj->type != ZP_JSON_OBJECT || !key)
    return NULL;
  if (obj->index) {
    const struct zp_json_index *ix = obj->index;
    for (size_t h = member_hash(key) & ix->mask; ix->slot[h];
         h = (h + 1) & ix->mask)
      if (strcmp(ix->slot[h]->key, key) == 0)
        return ix->slot[h];
    return NULL;
  }
  for (const zp_json *m = obj->child; m; m = m->next)
    if (strcmp(m->key, key) == 0)
      return m;
  return NULL;
}

const zp_json *zp_json_at(const zp_json *arr, size_t i) {
  if (!arr || arr->type != ZP_JSON_ARRAY)
    return NULL;
  if (arr->index)
    return i < arr->index->mask ? arr->index->slot[i] : NULL;
  const zp_json *m = arr->child;
  for (; m && i > 0; i--)
    m = m->next;
  return m;
}

const char *zp_json_type_name(zp_json_type t) {
  switch (t) {
  case ZP_JSON_NULL:
    return "null";
  case ZP_JSON_BOOL:
    return "boolean";
  case ZP_JSON_NUMBER:
    return "number";
  case ZP_JSON_STRING:
    return "string";
  case ZP_JSON_ARRAY:
    return "array";
  case ZP_JSON_OBJECT:
    return "object";
  }
  return "?";
}

/* ---- paths ------------------------------------------------------------- */

typedef struct {
  char *buf;
  size_t size, len;
} path_out;

static void put(path_out *o, const char *s, size_t n) {
  for (size_t i = 0; i < n && o->len + 1 < o->size; i++)
    o->buf[o->len++] = s[i];
  o->buf[o->len] = 0;
}

static bool is_ident(const char *k) {
  const unsigned char *s = (const unsigned char *)k;
  if (!*s || (*s >= '0' && *s <= '9'))
    return false;
  for (; *s; s++)
    if (!(*s >= 0x80 || is_word(*s)))
      return false;
  return true;
}

static void put_path(path_out *o, const zp_json *n) {
  char tmp[32];
  if (!n->parent) {
    put(o, "$", 1);
    return;
  }
  put_path(o, n->parent);
  if (n->parent->type == ZP_JSON_ARRAY) {
    size_t i = 0;
    for (const zp_json *m = n->parent->child; m && m != n; m = m->next)
      i++;
    put(o, tmp, (size_t)snprintf(tmp, sizeof tmp, "[%zu]", i));
  } else if (n->key && is_ident(n->key)) {
    put(o, ".", 1);
    put(o, n->key, strlen(n->key));
  } else {
    put(o, "[\"", 2);
    for (const unsigned char *s = (const unsigned char *)(n->key ? n->key : "");
         *s; s++) {
      if (*s == '"' || *s == '\\') {
        tmp[0] = '\\';
        tmp[1] = (char)*s;
        put(o, tmp, 2);
      } else if (*s < 0x20) {
        put(o, tmp, (size_t)snprintf(tmp, sizeof tmp, "\\u%04x", *s));
      } else {
        put(o, (const char *)s, 1);
      }
    }
    put(o, "\"]", 2);
  }
}

char *zp_json_path(const zp_json *node, char *buf, size_t size) {
  if (!buf || size == 0)
    return buf;
  path_out o = {buf, size, 0};
  buf[0] = 0;
  if (node)
    put_path(&o, node);
  return buf;
}
