/* laycheck.c — see laycheck.h.  Moved from tests/tools/layoutcheck.c,
 * whose main() now calls it; the prohibition lists are kept here on
 * purpose apart from the line breaker's own tables (brk.c): this is the
 * independent check. */
#include "laycheck.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char no_start[] =
    "、，。．：；！？）］｝〕】〗》〉」』”’·…—％‰℃°,.;:!?)]}%";
static const char no_end[] = "（［｛〔【〖《〈「『“‘$£¥￥([{";
static unsigned decode(const char **s) {
  const unsigned char *p = (const unsigned char *)*s;
  unsigned c = *p;
  int len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  if (len > 1)
    c &= 0x3F >> (len - 1);
  for (int i = 1; i < len && p[i]; i++)
    c = (c << 6) | (p[i] & 0x3F);
  *s += len;
  return c;
}

static const char units[] = "%％‰";
/* operators after which, and brackets before which, a weak break may fall */
static const char operators[] = "+-*/=<>^|÷×";
static const char openers[] = "([{";

/* Least ink clearance next to a full-width mark, in em: a third of a point
 * at 三号, less than the blank any free face leaves beside a mark at its
 * natural width (the narrowest seen: WenQuanYi Zen Hei's 〝, 0.024 em on
 * its right, 0.029 em from the next hanzi once set on the grid's 15.79 pt
 * cells); a mark compressed into its ink goes below it. */
#define CLEARANCE 0.02

static int is_ascii_graphic(unsigned c) {
  return (c > 0x20 && c < 0x7F) || c == 0xF7 || c == 0xD7;
}

/* A full-width mark (the marks that are compressed; for the clearance
 * rule). */
static int is_mark(unsigned c) {
  return (c >= 0x2010 && c <= 0x206F) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFF65 && !(c >= 0xFF10 && c <= 0xFF19) &&
          !((c | 0x20) >= 0xFF41 && (c | 0x20) <= 0xFF5A)) ||
         c == 0xB7;
}

/* Checks the ink extents of a line ("ink=a:b,-,c:d ..."); returns the
 * number of findings printed. */
static int check_ink(FILE *out, const char *file, int ln, const char *line,
                     const char *text) {
  const char *p = strstr(line, " ink=");
  if (!p || p > text)
    return 0;
  p += 5;
  double size = 0;
  const char *sz = strstr(line, " size=");
  if (sz)
    size = atof(sz + 6);
  int found = 0;
  double prev_r = NAN;
  unsigned prev_c = 0;
  const char *t = text;
  while (*p && *p != ' ' && *t) {
    unsigned c = decode(&t);
    double l = NAN, r = NAN;
    if (*p == '-')
      p++;
    else {
      l = strtod(p, (char **)&p);
      if (*p == ':')
        r = strtod(p + 1, (char **)&p);
    }
    if (*p == ',')
      p++;
    int joined = c == prev_c && (c == 0x2014 || c == 0x2026);
    if (!isnan(l) && !isnan(prev_r) && (is_mark(c) || is_mark(prev_c)) &&
        !joined && l - prev_r < CLEARANCE * size) {
      fprintf(out,
              "%s:%d: ink of U+%04X and U+%04X %.2f pt apart (less than "
              "%.2f em): %s\n",
              file, ln, prev_c, c, l - prev_r, CLEARANCE, text);
      found++;
    }
    prev_r = isnan(r) ? NAN : r;
    prev_c = c;
  }
  return found;
}

static int in_set(unsigned c, const char *set) {
  const char *s = set;
  while (*s)
    if (decode(&s) == c)
      return 1;
  return 0;
}

static int isdig(unsigned c) { return c >= '0' && c <= '9'; }

/* first and last code points of s */
static void ends(const char *s, unsigned *first, unsigned *last,
                 unsigned *before_last) {
  *first = *last = *before_last = 0;
  const char *p = s;
  while (*p) {
    unsigned c = decode(&p);
    if (!*first)
      *first = c;
    *before_last = *last;
    *last = c;
  }
}

static double num(const char *line, const char *key) {
  const char *p = strstr(line, key);
  return p ? atof(p + strlen(key)) : NAN;
}

/* The footnotes of one page: the markers its lines carry ("notes=3,4")
 * and the notes that begin on it ("line note=3 " not " cont"). */
typedef struct ids {
  int *v; /* pairs: the note's number, the dump's line */
  size_t n, cap;
} ids;

static void ids_add(ids *s, int id, int ln) {
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 16;
    int *nv = realloc(s->v, cap * 2 * sizeof *nv);
    if (!nv)
      return;
    s->v = nv;
    s->cap = cap;
  }
  s->v[2 * s->n] = id;
  s->v[2 * s->n++ + 1] = ln;
}

/* Reports each marker of the page whose note does not begin on it. */
static int check_notes(FILE *out, const char *name, ids *marks, ids *starts) {
  int found = 0;
  for (size_t i = 0; i < marks->n; i++) {
    size_t k = 0;
    while (k < starts->n && starts->v[2 * k] != marks->v[2 * i])
      k++;
    if (k == starts->n) {
      fprintf(out,
              "%s:%d: footnote %d does not begin on the page of its "
              "marker\n",
              name, marks->v[2 * i + 1], marks->v[2 * i]);
      found++;
    }
  }
  marks->n = starts->n = 0;
  return found;
}

int zp_laycheck(FILE *f, const char *name, FILE *out, int *nlines) {
  int findings = 0, lines = 0;
  char buf[65536], prev_text[65536] = "", prev_tag[64] = "";
  int prev_last = 1, prev_weak = 0, prev_grid = 0, prev_hard = 0, ln = 0;
  int prev_forced = 0, prev_space = 0;
  double pitch = 0;
  int last_keep = 0; /* the page's last line so far keeps with the next */
  ids marks = {0}, starts = {0};
  while (fgets(buf, sizeof buf, f)) {
    ln++;
    buf[strcspn(buf, "\n")] = 0;
    if (strncmp(buf, "page ", 5) == 0) {
      findings += check_notes(out, name, &marks, &starts);
      if (last_keep) {
        fprintf(out,
                "%s:%d: the page before ends with a line that keeps with "
                "the next\n",
                name, ln);
        findings++;
      }
      last_keep = 0;
      pitch = num(buf, "pitch=");
      continue;
    }
    if (strncmp(buf, "  line", 6) != 0)
      continue;
    lines++;
    last_keep = strstr(buf, " keep ") != NULL ||
                strncmp(buf, "  line caption", 14) == 0;
    /* the line's owner: a cell "cell=R,C", a caption, or the body */
    char tag[64] = "";
    sscanf(buf + 6, " cell=%63s", tag);
    int note = 0;
    if (sscanf(buf + 6, " note=%d", &note) == 1) {
      snprintf(tag, sizeof tag, "note=%d", note);
      const char *cont = strstr(buf, " cont "), *t = strstr(buf, " text=");
      if (!cont || (t && cont > t))
        ids_add(&starts, note, ln);
    }
    const char *nm = strstr(buf, " notes="), *nt = strstr(buf, " text=");
    if (nm && (!nt || nm < nt))
      for (const char *q = nm + 7; *q >= '0' && *q <= '9';) {
        ids_add(&marks, atoi(q), ln);
        q += strspn(q, "0123456789");
        if (*q == ',')
          q++;
      }
    if (strncmp(buf, "  line caption", 14) == 0)
      strcpy(tag, "caption");
    int same_owner = strcmp(tag, prev_tag) == 0;
    const char *text = strstr(buf, " text=");
    text = text ? text + 6 : "";
    int first = strstr(buf, " first") != NULL;
    int last = strstr(buf, " last") != NULL;
    unsigned c0, cn, cn1;
    ends(text, &c0, &cn, &cn1);
#define FIND(...)                                                              \
  do {                                                                         \
    fprintf(out, "%s:%d: ", name, ln);                                         \
    fprintf(out, __VA_ARGS__);                                                 \
    fprintf(out, ": %s\n", text);                                              \
    findings++;                                                                \
  } while (0)
    if (!first && c0 && in_set(c0, no_start))
      FIND("line starts with a prohibited U+%04X", c0);
    if (!last && cn && in_set(cn, no_end))
      FIND("line ends with a prohibited U+%04X", cn);
    /* a unit wider than its line (" forced") is split where it must be */
    if (!first && !prev_last && !prev_hard && !prev_forced && same_owner) {
      unsigned p0, pn, pn1;
      ends(prev_text, &p0, &pn, &pn1);
      int prev_num = isdig(pn) || ((pn == ',' || pn == '.') && isdig(pn1));
      int split = 0;
      if (!prev_weak && prev_num &&
          (isdig(c0) || in_set(c0, units) || c0 == '.' || c0 == ',')) {
        FIND("number split from the line before");
        split = 1;
      }
      if (!prev_weak &&
          (pn == 0x2265 || pn == 0x2264 || pn == '+' || pn == '-') &&
          isdig(c0)) {
        FIND("sign split from its number");
        split = 1;
      }
      if (!split && !prev_space && is_ascii_graphic(pn) &&
          is_ascii_graphic(c0) && pn != '-') {
        if (!prev_weak)
          FIND("break inside a run of ASCII");
        else if (prev_grid)
          FIND("weak break on the grid");
        else if (!in_set(pn, operators) && !in_set(c0, openers))
          FIND("weak break neither after an operator nor before a "
               "bracket");
      }
    }
    findings += check_ink(out, name, ln, buf, text);
    int hard = strstr(buf, " hard ") != NULL; /* ends at a line break */
    if (strstr(buf, "align=j") && !last && !hard) {
      double w = num(buf, " w="), m = num(buf, " m=");
      if (fabs(w - m) > 0.1)
        FIND("not justified: width %.2f, measure %.2f", w, m);
    }
    if (strstr(buf, " grid") && pitch > 0) {
      double top = num(buf, " top=");
      double k = top / pitch;
      if (fabs(k - round(k)) * pitch > 0.05)
        FIND("off the grid: top %.2f is not a multiple of %.3f", top, pitch);
    }
    prev_weak = strstr(buf, " weak ") != NULL;
    prev_forced = strstr(buf, " forced ") != NULL;
    prev_space = strstr(buf, " space ") != NULL;
    prev_hard = strstr(buf, " hard ") != NULL;
    prev_grid = strstr(buf, " grid") != NULL && strstr(buf, " grid") < text;
    snprintf(prev_text, sizeof prev_text, "%s", text);
    snprintf(prev_tag, sizeof prev_tag, "%s", tag);
    prev_last = last;
  }
  findings += check_notes(out, name, &marks, &starts);
  free(marks.v);
  free(starts.v);
  if (nlines)
    *nlines = lines;
  return findings;
}
