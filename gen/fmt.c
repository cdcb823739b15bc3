/* fmt.c — see fmt.h. */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool zp_fmt_decimal(const char *text, int places, bool group, char *out,
                    size_t size) {
  const char *p = text;
  bool neg = false;
  if (*p == '-' || *p == '+')
    neg = *p++ == '-';
  /* digits, without the point, in a buffer with room for a carry */
  char dig[128];
  int nint = 0, nfrac = 0;
  dig[0] = '0'; /* carry slot */
  int n = 1;
  while (*p >= '0' && *p <= '9' && n < 100) {
    dig[n++] = *p++;
    nint++;
  }
  if (*p == '.') {
    p++;
    while (*p >= '0' && *p <= '9' && n < 120) {
      dig[n++] = *p++;
      nfrac++;
    }
  }
  if (*p || nint + nfrac == 0 || places < 0 || places > 12)
    return false;
  while (nfrac < places && n < 127) {
    dig[n++] = '0';
    nfrac++;
  }
  /* round half up at the places-th decimal */
  int keep = 1 + nint + places; /* digits kept, carry slot included */
  if (nfrac > places && dig[keep] >= '5') {
    int i = keep - 1;
    while (i >= 0 && dig[i] == '9')
      dig[i--] = '0';
    if (i >= 0)
      dig[i]++;
  }
  n = keep;
  /* integer part without leading zeros (keep one) */
  int s = 0;
  while (s < nint && dig[s] == '0')
    s++;
  bool zero = true;
  for (int i = 0; i < n; i++)
    zero &= dig[i] == '0';
  char buf[256];
  size_t o = 0;
  if (neg && !zero)
    buf[o++] = '-';
  int intlen = 1 + nint - s;
  if (intlen == 0) {
    buf[o++] = '0';
  } else {
    for (int i = 0; i < intlen; i++) {
      if (group && i > 0 && (intlen - i) % 3 == 0)
        buf[o++] = ',';
      buf[o++] = dig[s + i];
    }
  }
  if (places > 0) {
    buf[o++] = '.';
    for (int i = 0; i < places; i++)
      buf[o++] = dig[1 + nint + i];
  }
  buf[o] = 0;
  if (o + 1 > size)
    return false;
  memcpy(out, buf, o + 1);
  return true;
}

void zp_fmt_double(double v, char *out, size_t size) {
  /* 9 decimals, then trailing zeros off: computed values round well */
  snprintf(out, size, "%.9f", v);
  char *dot = strchr(out, '.');
  if (dot) {
    char *e = out + strlen(out) - 1;
    while (e > dot && *e == '0')
      *e-- = 0;
    if (e == dot)
      *e = 0;
  }
  if (strcmp(out, "-0") == 0)
    strcpy(out, "0");
}

int zp_fmt_places(const char *text) {
  const char *dot = strchr(text, '.');
  if (!dot)
    return 0;
  int n = 0;
  for (const char *p = dot + 1; *p >= '0' && *p <= '9'; p++)
    n++;
  return n;
}

static const char *const digit[] = {"〇", "一", "二", "三", "四",
                                    "五", "六", "七", "八", "九"};

bool zp_fmt_cn(long n, char *out, size_t size) {
  if (n < 0 || n >= 100000 || size < 64)
    return false;
  if (n == 0) {
    snprintf(out, size, "零");
    return true;
  }
  static const char *const unit[] = {"", "十", "百", "千", "万"};
  int d[5], len = 0;
  for (long v = n; v > 0; v /= 10)
    d[len++] = (int)(v % 10);
  out[0] = 0;
  bool zero = false;
  for (int i = len - 1; i >= 0; i--) {
    if (d[i] == 0) {
      zero = true;
      continue;
    }
    if (zero) {
      strcat(out, "零");
      zero = false;
    }
    /* 十一, not 一十一, at the head */
    if (!(i == 1 && d[i] == 1 && i == len - 1))
      strcat(out, digit[d[i]]);
    strcat(out, unit[i]);
  }
  return true;
}

bool zp_fmt_cn_digits(long n, char *out, size_t size) {
  char num[32];
  snprintf(num, sizeof num, "%ld", n);
  if (n < 0 || strlen(num) * 3 + 1 > size)
    return false;
  out[0] = 0;
  for (const char *p = num; *p; p++)
    strcat(out, digit[*p - '0']);
  return true;
}

bool zp_fmt_date(const char *iso, char *out, size_t size) {
  int y, m, d;
  char tail;
  if (sscanf(iso, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      strlen(iso) != 10 || m < 1 || m > 12 || d < 1)
    return false;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > days[m - 1] || (m == 2 && d == 29 && !leap))
    return false;
  snprintf(out, size, "%d年%d月%d日", y, m, d);
  return true;
}
