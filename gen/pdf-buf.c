/* pdf-buf.c — the bytes of the PDF writer's content streams and CMaps
 * (see pdf-imp.h): a growable buffer, numbers and UTF-16 in PDF syntax,
 * the same bytes whatever the locale; UTF-8 decoding and the PDF text
 * strings of Info, bookmarks and page labels.
 */
#include "pdf-imp.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

bool pdf_buf_reserve(buf *b, size_t extra) {
  if (b->oom)
    return false;
  if (b->n + extra <= b->cap)
    return true;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->n + extra)
    cap *= 2;
  char *p = realloc(b->p, cap);
  if (!p) {
    b->oom = true;
    return false;
  }
  b->p = p;
  b->cap = cap;
  return true;
}

void pdf_buf_put(buf *b, const char *s, size_t n) {
  if (!pdf_buf_reserve(b, n))
    return;
  memcpy(b->p + b->n, s, n);
  b->n += n;
}

void pdf_buf_puts(buf *b, const char *s) { pdf_buf_put(b, s, strlen(s)); }

void pdf_buf_putc(buf *b, char c) {
  if (pdf_buf_reserve(b, 1))
    b->p[b->n++] = c;
}

/* An integer in decimal. */
void pdf_buf_int(buf *b, long long v) {
  char tmp[24];
  int i = (int)sizeof tmp;
  unsigned long long u =
      v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
  do {
    tmp[--i] = (char)('0' + u % 10);
    u /= 10;
  } while (u);
  if (v < 0)
    tmp[--i] = '-';
  pdf_buf_put(b, tmp + i, sizeof tmp - (size_t)i);
}

/* A number rounded to dec (at most 6) decimals, without trailing zeros,
 * never "-0"; the same bytes whatever the locale. */
void pdf_buf_fixed(buf *b, double v, int dec) {
  long long scale = 1;
  for (int i = 0; i < dec; i++)
    scale *= 10;
  long long t = llround(v * (double)scale);
  if (t == 0) {
    pdf_buf_putc(b, '0');
    return;
  }
  unsigned long long u =
      t < 0 ? 0ULL - (unsigned long long)t : (unsigned long long)t;
  if (t < 0)
    pdf_buf_putc(b, '-');
  pdf_buf_int(b, (long long)(u / (unsigned long long)scale));
  unsigned long long frac = u % (unsigned long long)scale;
  if (frac) {
    char d[8];
    d[0] = '.';
    for (int i = dec; i >= 1; i--, frac /= 10)
      d[i] = (char)('0' + frac % 10);
    size_t k = (size_t)dec + 1;
    while (d[k - 1] == '0')
      k--;
    pdf_buf_put(b, d, k);
  }
}

/* A number rounded to 3 decimals (see pdf_buf_fixed). */
void pdf_buf_num(buf *b, double v) { pdf_buf_fixed(b, v, 3); }

void pdf_buf_hex4(buf *b, unsigned v) {
  static const char hex[] = "0123456789ABCDEF";
  char s[4] = {hex[(v >> 12) & 15], hex[(v >> 8) & 15], hex[(v >> 4) & 15],
               hex[v & 15]};
  pdf_buf_put(b, s, 4);
}

/* A character in UTF-16BE hex: four digits, or eight (a surrogate pair)
 * above U+FFFF. */
void pdf_buf_utf16(buf *b, uint32_t cp) {
  if (cp > 0xFFFF) {
    uint32_t v = cp - 0x10000;
    pdf_buf_hex4(b, 0xD800 | (v >> 10));
    cp = 0xDC00 | (v & 0x3FF);
  }
  pdf_buf_hex4(b, cp);
}

/* ---- text ------------------------------------------------------------------
 */

/* Decodes one UTF-8 character at *s (advancing it); malformed input gives
 * U+FFFD. */
uint32_t pdf_buf_utf8_next(const unsigned char **s) {
  const unsigned char *p = *s;
  uint32_t c = *p++;
  int k = c < 0x80                ? 0
          : c >= 0xC2 && c < 0xE0 ? 1
          : c >= 0xE0 && c < 0xF0 ? 2
          : c >= 0xF0 && c < 0xF5 ? 3
                                  : -1;
  if (k < 0) {
    *s = p;
    return 0xFFFD;
  }
  if (k)
    c &= 0x3F >> k;
  for (int i = 0; i < k; i++) {
    if ((*p & 0xC0) != 0x80) {
      *s = p;
      return 0xFFFD;
    }
    c = (c << 6) | (*p++ & 0x3F);
  }
  *s = p;
  if ((k == 2 && c < 0x800) || (k == 3 && (c < 0x10000 || c > 0x10FFFF)) ||
      (c >= 0xD800 && c < 0xE000))
    return 0xFFFD;
  return c;
}

/* A PDF text string for the UTF-8 s: printable ASCII as a literal string,
 * anything else as UTF-16BE with a byte order mark.  NULL when out of
 * memory (libharu has recorded the error). */
void *pdf_buf_text_string(writer *w, const char *s) {
  bool ascii = true;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p >= 0x7F)
      ascii = false;
  if (ascii)
    return HPDF_String_New(w->pdf->mmgr, s, NULL);
  size_t len = strlen(s);
  unsigned char *u = malloc(2 + len * 4);
  if (!u) {
    w->b.oom = true;
    return NULL;
  }
  size_t n = 0;
  u[n++] = 0xFE;
  u[n++] = 0xFF;
  for (const unsigned char *p = (const unsigned char *)s; *p;) {
    uint32_t c = pdf_buf_utf8_next(&p);
    if (c >= 0x10000) {
      uint32_t v = c - 0x10000;
      uint32_t hi = 0xD800 | (v >> 10), lo = 0xDC00 | (v & 0x3FF);
      u[n++] = (unsigned char)(hi >> 8);
      u[n++] = (unsigned char)hi;
      c = lo;
    }
    u[n++] = (unsigned char)(c >> 8);
    u[n++] = (unsigned char)c;
  }
  HPDF_Binary bin = HPDF_Binary_New(w->pdf->mmgr, u, (HPDF_UINT)n);
  free(u);
  return bin;
}
