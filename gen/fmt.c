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

bool zp_fmt_note_marker(int style, long n, char *out, size_t size,
                        bool *circled) {
  if (circled)
    *circled = false;
  if (n < 1 || size < 16)
    return false;
  if (style == 0 && n <= 50) {
    /* ①–⑳ U+2460…, ㉑–㉟ U+3251…, ㊱–㊿ U+32B1… */
    unsigned cp = n <= 20   ? 0x2460 + (unsigned)(n - 1)
                  : n <= 35 ? 0x3251 + (unsigned)(n - 21)
                            : 0x32B1 + (unsigned)(n - 36);
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    out[3] = 0;
    if (circled)
      *circled = true;
    return true;
  }
  snprintf(out, size, style == 2 ? "[%ld]" : "%ld", n);
  return true;
}

bool zp_fmt_date(const char *iso, char *out, size_t size) {
  /* exactly DDDD-DD-DD */
  if (strlen(iso) != 10 || iso[4] != '-' || iso[7] != '-')
    return false;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (iso[i] < '0' || iso[i] > '9'))
      return false;
  int y = atoi(iso), m = atoi(iso + 5), d = atoi(iso + 8);
  if (m < 1 || m > 12 || d < 1)
    return false;
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > days[m - 1] || (m == 2 && d == 29 && !leap))
    return false;
  snprintf(out, size, "%d年%d月%d日", y, m, d);
  return true;
}

bool zp_fmt_known(const char *name) {
  return zp_fmt_numeric(name) || (name && strcmp(name, "date") == 0);
}

bool zp_fmt_numeric(const char *name) {
  static const char *const numeric[] = {"money", "percent", "num",
                                        "int",   "cn",      "cn-digits"};
  for (size_t i = 0; name && i < sizeof numeric / sizeof *numeric; i++)
    if (strcmp(name, numeric[i]) == 0)
      return true;
  return false;
}

/* Decimals "0" … "12", or -1. */
static int places_arg(const char *arg) {
  if (!arg || !*arg || strlen(arg) > 2)
    return -1;
  for (const char *p = arg; *p; p++)
    if (*p < '0' || *p > '9')
      return -1;
  int n = atoi(arg);
  return n <= 12 ? n : -1;
}

const char *zp_fmt_check_arg(const char *name, const char *arg) {
  if (!arg)
    return NULL;
  if (strcmp(name, "money") == 0 || strcmp(name, "percent") == 0 ||
      strcmp(name, "num") == 0)
    return places_arg(arg) < 0 ? "the argument is a number of decimals, 0 to 12"
                               : NULL;
  if (strcmp(name, "int") == 0)
    return strcmp(arg, ",") == 0
               ? NULL
               : "the argument is \",\" (thousands separators) or none";
  return "this formatter takes no argument";
}

/* An integer written as raw ("21", "21.0"), or false. */
static bool integer_of(const char *raw, long *out) {
  char buf[64];
  if (!zp_fmt_decimal(raw, 0, false, buf, sizeof buf))
    return false;
  char whole[64];
  if (!zp_fmt_decimal(raw, 12, false, whole, sizeof whole))
    return false;
  /* no fraction: all decimals zero */
  const char *dot = strchr(whole, '.');
  for (const char *p = dot ? dot + 1 : ""; *p; p++)
    if (*p != '0')
      return false;
  char *end;
  long v = strtol(buf, &end, 10);
  if (*end || strlen(buf) > 15)
    return false;
  *out = v;
  return true;
}

bool zp_fmt_number(const char *name, const char *arg, const char *raw,
                   char *out, size_t size) {
  if (!zp_fmt_numeric(name) || zp_fmt_check_arg(name, arg) || !raw)
    return false;
  int places = places_arg(arg);
  if (strcmp(name, "money") == 0)
    return zp_fmt_decimal(raw, places < 0 ? 2 : places, true, out, size);
  if (strcmp(name, "percent") == 0) {
    if (!zp_fmt_decimal(raw, places < 0 ? zp_fmt_places(raw) : places, false,
                        out, size) ||
        strlen(out) + 2 > size)
      return false;
    strcat(out, "%");
    return true;
  }
  if (strcmp(name, "num") == 0)
    return zp_fmt_decimal(raw, places < 0 ? zp_fmt_places(raw) : places, false,
                          out, size);
  if (strcmp(name, "int") == 0)
    return zp_fmt_decimal(raw, 0, arg != NULL, out, size);
  long n;
  if (!integer_of(raw, &n))
    return false;
  if (strcmp(name, "cn") == 0)
    return zp_fmt_cn(n, out, size);
  return zp_fmt_cn_digits(n, out, size);
}
