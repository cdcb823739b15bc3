/* image.c — see image.h. */
#include "image.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "file.h"

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

static unsigned be16(const uint8_t *p) { return (unsigned)p[0] << 8 | p[1]; }

static bool say(char *why, size_t n, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(why, n, fmt, ap);
  va_end(ap);
  return false;
}

/* CRC-32 as PNG computes it (ISO 3309), bitwise: images are checked once
 * per template, a few MB at most. */
static uint32_t crc32_of(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
  }
  return c ^ 0xFFFFFFFFu;
}

static bool dims_ok(uint32_t w, uint32_t h, const char *what, char *why,
                    size_t n) {
  if (w == 0 || h == 0)
    return say(why, n, "a %s of %ux%u pixels (no pixels)", what, w, h);
  if (w > ZP_MAX_IMAGE_SIDE || h > ZP_MAX_IMAGE_SIDE ||
      (uint64_t)w * h > (uint64_t)ZP_MAX_IMAGE_PIXELS)
    return say(why, n,
               "a %s of %ux%u pixels, more than zpgen embeds (%d a side, "
               "%ld in all)",
               what, w, h, ZP_MAX_IMAGE_SIDE, ZP_MAX_IMAGE_PIXELS);
  return true;
}

static bool png_check(const uint8_t *p, size_t len, zp_image *im, char *why,
                      size_t n) {
  size_t at = 8;
  bool ihdr = false, plte = false, idat = false;
  unsigned depth = 0, ctype = 0;
  for (;;) {
    if (len - at < 12)
      return say(why, n, "a PNG that ends before its IEND chunk (truncated)");
    uint32_t clen = be32(p + at);
    char type[5];
    memcpy(type, p + at + 4, 4);
    type[4] = 0;
    for (int k = 0; k < 4; k++)
      if (!((type[k] >= 'A' && type[k] <= 'Z') ||
            (type[k] >= 'a' && type[k] <= 'z')))
        return say(why, n, "a PNG with a malformed chunk at byte %zu", at);
    if (clen > 0x7FFFFFFFu || clen > len - at - 12)
      return say(why, n, "a PNG truncated in chunk %s", type);
    const uint8_t *d = p + at + 8;
    if (crc32_of(p + at + 4, clen + 4) != be32(d + clen))
      return say(why, n, "a PNG whose chunk %s is damaged (bad CRC)", type);
    if (!ihdr && strcmp(type, "IHDR") != 0)
      return say(why, n, "a PNG that does not start with its header (IHDR)");
    if (strcmp(type, "IHDR") == 0) {
      if (ihdr || clen != 13)
        return say(why, n, "a PNG with a malformed header (IHDR)");
      ihdr = true;
      im->width = be32(d);
      im->height = be32(d + 4);
      depth = d[8];
      ctype = d[9];
      if (!dims_ok(im->width, im->height, "PNG", why, n))
        return false;
      bool pair = (ctype == 0 && (depth == 1 || depth == 2 || depth == 4 ||
                                  depth == 8 || depth == 16)) ||
                  (ctype == 3 &&
                   (depth == 1 || depth == 2 || depth == 4 || depth == 8)) ||
                  ((ctype == 2 || ctype == 4 || ctype == 6) &&
                   (depth == 8 || depth == 16));
      if (!pair)
        return say(why, n,
                   "a PNG of colour type %u at %u bits, which PNG does not "
                   "define",
                   ctype, depth);
      if (d[10] != 0 || d[11] != 0 || d[12] > 1)
        return say(why, n,
                   "a PNG with an unknown compression, filter or interlace "
                   "method");
      im->bits = (uint8_t)depth;
      im->color = (uint8_t)ctype;
      im->alpha = ctype == 4 || ctype == 6;
    } else if (strcmp(type, "PLTE") == 0) {
      if (clen == 0 || clen % 3 || clen / 3 > 256 ||
          (ctype == 3 && clen / 3 > (1u << depth)))
        return say(why, n, "a PNG with a malformed palette (PLTE)");
      if (ctype == 0 || ctype == 4)
        return say(why, n, "a grey PNG with a palette (PLTE)");
      plte = true;
    } else if (strcmp(type, "tRNS") == 0) {
      if (ctype == 4 || ctype == 6 || (ctype == 3 && !plte))
        return say(why, n, "a PNG with a misplaced transparency (tRNS)");
      im->alpha = true;
    } else if (strcmp(type, "IDAT") == 0) {
      if (ctype == 3 && !plte)
        return say(why, n, "a palette PNG without its palette (PLTE)");
      idat = true;
    } else if (strcmp(type, "IEND") == 0) {
      if (!idat)
        return say(why, n, "a PNG without image data (IDAT)");
      return true;
    }
    at += 12 + (size_t)clen;
  }
}

static bool jpeg_check(const uint8_t *p, size_t len, zp_image *im, char *why,
                       size_t n) {
  size_t at = 2;
  bool frame = false;
  for (;;) {
    if (at >= len || p[at] != 0xFF) {
      if (at >= len)
        return say(why, n, "a JPEG truncated before its image data");
      return say(why, n, "a JPEG with a malformed segment at byte %zu", at);
    }
    while (at < len && p[at] == 0xFF)
      at++; /* fill bytes */
    if (at >= len)
      return say(why, n, "a JPEG truncated before its image data");
    unsigned m = p[at++];
    if ((m >= 0xD0 && m <= 0xD7) || m == 0x01)
      continue; /* no length */
    if (m == 0xD8 || m == 0xD9)
      return say(why, n, "a JPEG that ends before its image data");
    if (len - at < 2 || be16(p + at) < 2 || be16(p + at) > len - at)
      return say(why, n, "a JPEG truncated in a segment");
    unsigned slen = be16(p + at);
    const uint8_t *d = p + at + 2;
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      if (frame)
        return say(why, n, "a JPEG with two frame headers");
      if (m > 0xC2)
        return say(why, n,
                   "a lossless, hierarchical or arithmetic-coded JPEG "
                   "(only baseline and progressive JPEGs are embedded)");
      if (slen < 8)
        return say(why, n, "a JPEG with a malformed frame header");
      im->bits = d[0];
      im->height = be16(d + 1);
      im->width = be16(d + 3);
      im->color = d[5];
      if (im->bits != 8)
        return say(why, n, "a %u-bit JPEG (only 8-bit JPEGs are embedded)",
                   im->bits);
      if (!dims_ok(im->width, im->height, "JPEG", why, n))
        return false;
      if (im->color == 4)
        return say(why, n, "a CMYK JPEG (convert it to RGB or grey)");
      if (im->color != 1 && im->color != 3)
        return say(why, n, "a JPEG of %u colour components", im->color);
      if (slen != 8u + 3u * im->color)
        return say(why, n, "a JPEG with a malformed frame header");
      frame = true;
    } else if (m == 0xDA) {
      if (!frame)
        return say(why, n, "a JPEG whose image data has no frame header");
      /* the entropy-coded data runs to the end marker */
      for (size_t k = at + slen; k + 1 < len; k++)
        if (p[k] == 0xFF && p[k + 1] == 0xD9)
          return true;
      return say(why, n, "a JPEG truncated in its image data (no end marker)");
    }
    at += slen;
  }
}

bool zp_image_check(const uint8_t *p, size_t len, zp_image *info, char *why,
                    size_t n) {
  static const uint8_t png_sig[8] = {0x89, 'P',  'N',  'G',
                                     '\r', '\n', 0x1A, '\n'};
  info->alpha = false;
  info->width = info->height = 0;
  if (len >= 8 && memcmp(p, png_sig, 8) == 0) {
    info->kind = ZP_IMAGE_PNG;
    return png_check(p, len, info, why, n);
  }
  if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF) {
    info->kind = ZP_IMAGE_JPEG;
    return jpeg_check(p, len, info, why, n);
  }
  if (len >= 4 && (memcmp(p, "GIF8", 4) == 0 || memcmp(p, "BM", 2) == 0 ||
                   memcmp(p, "II*", 4) == 0 || memcmp(p, "MM\0*", 4) == 0 ||
                   (memcmp(p, "RIFF", 4) == 0)))
    return say(why, n,
               "an image of a kind zpgen does not embed (only PNG and JPEG)");
  return say(why, n, "not a PNG or JPEG image");
}

const zp_image *zp_image_load(zp_arena *a, const char *path, zp_loc loc,
                              zp_diag *d) {
  char *data = NULL;
  size_t len = 0;
  zp_image *im = NULL;
  char why[160];
  if (!zp_file_read(path, "image", loc, (size_t)ZP_MAX_IMAGE_BYTES, &data, &len,
                    d))
    goto done;
  zp_image info = {0};
  if (!zp_image_check((const uint8_t *)data, len, &info, why, sizeof why)) {
    zp_error(d, loc, "cannot use the image \"%s\": it is %s", path, why);
    goto done;
  }
  uint8_t *copy = zp_arena_alloc(a, len);
  char *name = zp_arena_alloc(a, strlen(path) + 1);
  im = zp_arena_alloc(a, sizeof *im);
  if (!copy || !name || !im) {
    zp_error(d, loc, "out of memory reading the image \"%s\"", path);
    im = NULL;
    goto done;
  }
  memcpy(copy, data, len);
  strcpy(name, path);
  *im = info;
  im->data = copy;
  im->len = len;
  im->path = name;
done:
  free(data);
  return im;
}

const char *zp_image_basename(const zp_image *img) {
  const char *s = strrchr(img->path, '/');
  return s ? s + 1 : img->path;
}
