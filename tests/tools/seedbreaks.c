/* seedbreaks — how many of a published report's line breaks a layout dump
 * reproduces: the reference measure of LAYOUT.md ("Line breaking").
 *
 *   seedbreaks [-v] [--min PERCENT] [--max-over PERCENT] [--style NAME]
 *              SEED.txt DUMP
 *
 * SEED.txt is a published report as text, each non-blank line one printed
 * line (../shared/seeds/000_*.txt).  DUMP is zpgen's --dump-layout.
 *
 * A break of the seed is the boundary between two consecutive non-blank
 * lines.  It is a break inside a paragraph, and counted, when the dump has
 * the text around it inside one block (a paragraph, heading or cell), or,
 * when the dump does not have that text, when the seed's line is a full
 * line (at least 25 cells: a hanzi or full-width mark one cell, other
 * characters half, a space a quarter).  A counted break is reproduced when
 * the dump has a line break at the same place.  The text around a break is
 * matched without white space: up to 8 code points before it and 8 after,
 * looked for from the previous match on (then anywhere).
 *
 * It also counts the dump's full lines of style NAME (default "body": every
 * line but a block's last) that measure more than 28 cells, the first line
 * with its 2-cell indent.
 *
 * Prints "seedbreaks: R of N breaks reproduced (P%)" and the full-line
 * figure; with -v, each break not reproduced with the seed's two lines
 * around it and the dump's.  Exits 1 when P < --min's PERCENT or the share
 * of full lines over 28 cells is above --max-over's, 2 on a usage or I/O
 * error.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KEY 8

typedef struct text {
  uint32_t *cp;
  size_t n, cap;
} text;

static void put(text *t, uint32_t c) {
  if (t->n == t->cap) {
    t->cap = t->cap ? t->cap * 2 : 1024;
    t->cp = realloc(t->cp, t->cap * sizeof *t->cp);
    if (!t->cp) {
      perror("seedbreaks");
      exit(2);
    }
  }
  t->cp[t->n++] = c;
}

static uint32_t decode(const char **s) {
  const unsigned char *p = (const unsigned char *)*s;
  uint32_t c = *p;
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (len > 1)
    c &= 0x3F >> (len - 1);
  int i = 1;
  for (; i < len && p[i]; i++)
    c = (c << 6) | (p[i] & 0x3F);
  *s += i;
  return c;
}

static bool blank(uint32_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0x3000;
}

/* Width in quarter cells. */
static int quarters(const char *s) {
  int q = 0;
  while (*s) {
    uint32_t c = decode(&s);
    q += c == ' ' ? 1 : c < 0x80 ? 2 : 4;
  }
  return q;
}

/* Appends s without white space. */
static void append(text *t, const char *s) {
  while (*s) {
    uint32_t c = decode(&s);
    if (!blank(c))
      put(t, c);
  }
}

static void print_cp(const uint32_t *cp, size_t n) {
  for (size_t i = 0; i < n; i++) {
    uint32_t c = cp[i];
    char u[4];
    int k = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (k == 1)
      u[0] = (char)c;
    else {
      for (int j = k - 1; j > 0; j--, c >>= 6)
        u[j] = (char)(0x80 | (c & 0x3F));
      u[0] = (char)((0xF00 >> k) | c);
    }
    fwrite(u, 1, (size_t)k, stdout);
  }
}

static char **read_lines(const char *path, size_t *n) {
  FILE *f = fopen(path, "r");
  if (!f) {
    perror(path);
    exit(2);
  }
  char **v = NULL;
  size_t cap = 0;
  *n = 0;
  static char buf[1 << 16];
  while (fgets(buf, sizeof buf, f)) {
    buf[strcspn(buf, "\n")] = 0;
    if (*n == cap) {
      cap = cap ? cap * 2 : 256;
      v = realloc(v, cap * sizeof *v);
    }
    v[(*n)++] = strdup(buf);
  }
  fclose(f);
  return v;
}

/* The position of key (k code points) in t at or after from, else
 * anywhere; SIZE_MAX when absent. */
static size_t find(const text *t, const uint32_t *key, size_t k, size_t from) {
  for (int pass = 0; pass < 2; pass++) {
    for (size_t i = pass ? 0 : from; i + k <= t->n; i++)
      if (memcmp(t->cp + i, key, k * sizeof *key) == 0)
        return i;
  }
  return SIZE_MAX;
}

int main(int argc, char **argv) {
  bool verbose = false;
  double min = -1, max_over = -1;
  const char *style = "body";
  int a = 1;
  for (; a < argc && argv[a][0] == '-'; a++) {
    if (!strcmp(argv[a], "-v"))
      verbose = true;
    else if (!strcmp(argv[a], "--min") && a + 1 < argc)
      min = atof(argv[++a]);
    else if (!strcmp(argv[a], "--max-over") && a + 1 < argc)
      max_over = atof(argv[++a]);
    else if (!strcmp(argv[a], "--style") && a + 1 < argc)
      style = argv[++a];
    else
      break;
  }
  if (argc - a != 2) {
    fprintf(stderr, "usage: seedbreaks [-v] [--min PERCENT] [--max-over "
                    "PERCENT] [--style NAME] SEED.txt DUMP\n");
    return 2;
  }
  size_t ns, nd;
  char **seed = read_lines(argv[a], &ns);
  char **dump = read_lines(argv[a + 1], &nd);

  /* the seed's non-blank lines, trimmed (lines[] keeps what to free) */
  char **lines = malloc((ns ? ns : 1) * sizeof *lines);
  if (!lines) {
    perror("seedbreaks");
    return 2;
  }
  memcpy(lines, seed, ns * sizeof *lines);
  size_t nl = 0;
  for (size_t i = 0; i < ns; i++) {
    char *s = seed[i];
    while (*s == ' ' || *s == '\t')
      s++;
    size_t len = strlen(s);
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\r'))
      s[--len] = 0;
    if (len)
      seed[nl++] = s;
  }

  /* the dump's text; brk marks a line break inside a block, end a block's
   * end (one flag per position of the text: before cp[i]) */
  text t = {0};
  size_t cap = 0;
  char *mark = NULL;
  char style_key[128];
  snprintf(style_key, sizeof style_key, " style=%s ", style);
  int full = 0, over = 0;
  for (size_t i = 0; i < nd; i++) {
    const char *l = dump[i];
    if (strncmp(l, "  line", 6) != 0)
      continue;
    const char *tx = strstr(l, " text=");
    if (!tx)
      continue;
    bool last = strstr(l, " last") && strstr(l, " last") < tx;
    bool first = strstr(l, " first") && strstr(l, " first") < tx;
    append(&t, tx + 6);
    if (t.n + 1 > cap) {
      size_t old = cap;
      cap = t.cap + 1;
      mark = realloc(mark, cap);
      memset(mark + old, 0, cap - old);
    }
    mark[t.n] = last ? 'e' : 'b';
    if (!last && strstr(l, style_key) && strstr(l, style_key) < tx) {
      full++;
      if (quarters(tx + 6) + (first ? 8 : 0) > 28 * 4)
        over++;
    }
  }

  int counted = 0, reproduced = 0, unmatched = 0;
  size_t from = 0;
  for (size_t i = 0; i + 1 < nl; i++) {
    text ta = {0}, tb = {0};
    append(&ta, seed[i]);
    append(&tb, seed[i + 1]);
    size_t ka = ta.n < KEY ? ta.n : KEY, kb = tb.n < KEY ? tb.n : KEY;
    uint32_t key[2 * KEY];
    memcpy(key, ta.cp + ta.n - ka, ka * sizeof *key);
    memcpy(key + ka, tb.cp, kb * sizeof *key);
    size_t at = ka && kb ? find(&t, key, ka + kb, from) : SIZE_MAX;
    const char *why = NULL;
    if (at == SIZE_MAX) {
      if (quarters(seed[i]) >= 25 * 4) {
        counted++;
        unmatched++;
        why = "text not in the dump";
      }
    } else {
      size_t p = at + ka;
      from = at;
      if (mark[p] != 'e') {
        counted++;
        if (mark[p] == 'b')
          reproduced++;
        else
          why = "not reproduced";
      }
    }
    if (why && verbose) {
      printf("%s:\n  seed: %s\n        %s\n", why, seed[i], seed[i + 1]);
      if (at != SIZE_MAX) {
        /* the dump's lines around the place */
        size_t p = at + ka, s = p, e = p;
        while (s > 0 && !mark[s])
          s--;
        while (e < t.n && !mark[e])
          e++;
        size_t e2 = e + 1;
        while (e2 < t.n && !mark[e2])
          e2++;
        printf("  dump: ");
        print_cp(t.cp + s, e - s);
        printf("\n        ");
        print_cp(t.cp + e, e2 - e);
        printf("\n");
      }
    }
    free(ta.cp);
    free(tb.cp);
  }
  double pct = counted ? 100.0 * reproduced / counted : 0;
  printf("seedbreaks: %d of %d breaks reproduced (%.1f%%)", reproduced, counted,
         pct);
  if (unmatched)
    printf("; %d of them with text the dump does not have", unmatched);
  printf("\nseedbreaks: %d of %d full %s lines measure more than 28 cells "
         "(%.1f%%)\n",
         over, full, style, full ? 100.0 * over / full : 0.0);
  double over_pct = full ? 100.0 * over / full : 0;
  for (size_t i = 0; i < ns; i++)
    free(lines[i]);
  for (size_t i = 0; i < nd; i++)
    free(dump[i]);
  free(lines);
  free(seed);
  free(dump);
  free(t.cp);
  free(mark);
  return (min >= 0 && pct < min) || (max_over >= 0 && over_pct > max_over);
}
