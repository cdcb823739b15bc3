/* image.c — see image.h. */
#include "image.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

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

/* The columns and rows of pass k of a PNG's image data: one pass, or the
 * seven of Adam7 interlacing. */
static void png_pass(int k, uint32_t w, uint32_t h, bool interlaced,
                     uint64_t *cols, uint64_t *rows) {
  static const uint8_t x0[7] = {0, 4, 0, 2, 0, 1, 0},
                       dx[7] = {8, 8, 4, 4, 2, 2, 1},
                       y0[7] = {0, 0, 4, 0, 2, 0, 1},
                       dy[7] = {8, 8, 8, 4, 4, 2, 2};
  if (!interlaced) {
    *cols = w;
    *rows = h;
    return;
  }
  *cols = w > x0[k] ? (w - x0[k] + dx[k] - 1) / dx[k] : 0;
  *rows = h > y0[k] ? (h - y0[k] + dy[k] - 1) / dy[k] : 0;
}

/* The image data (the IDAT chunks, one zlib stream) inflates to exactly
 * the bytes the header says, every row's filter one PNG defines: what
 * libpng would stop on (and libharu, which sets no recovery, abort on) is
 * refused here.  Inflated with zlib, libpng's own inflater (libdeflate
 * accepts streams zlib rejects), a window at a time: memory stays small
 * whatever the image's size. */
static bool png_data_ok(const uint8_t *p, size_t len, const zp_image *im,
                        bool interlaced, char *why, size_t n) {
  static const uint8_t channels[7] = {1, 0, 3, 1, 2, 0, 4};
  unsigned bpp = im->bits * channels[im->color];
  int passes = interlaced ? 7 : 1, pass = 0;
  uint64_t cols = 0, rows = 0, row = 0, rowbytes = 0;
  uint64_t want = 0;
  for (int k = 0; k < passes; k++) {
    png_pass(k, im->width, im->height, interlaced, &cols, &rows);
    if (cols && rows) /* each row: a filter byte, then its pixels */
      want += rows * (1 + (cols * bpp + 7) / 8);
  }
  /* the next row's filter byte is at offset next of the inflated data */
  uint64_t next = 0, pos = 0;
  png_pass(0, im->width, im->height, interlaced, &cols, &rows);
  rowbytes = 1 + (cols * bpp + 7) / 8;
  z_stream z = {0};
  uint8_t out[16384];
  bool ok = false;
  int ret = Z_OK;
  if (inflateInit(&z) != Z_OK)
    return say(why, n, "a PNG too large to check here (out of memory)");
  for (size_t at = 8; len - at >= 12 && ret != Z_STREAM_END;) {
    uint32_t clen = be32(p + at);
    if (memcmp(p + at + 4, "IEND", 4) == 0)
      break;
    if (memcmp(p + at + 4, "IDAT", 4) != 0) {
      at += 12 + (size_t)clen;
      continue;
    }
    z.next_in = (Bytef *)(p + at + 8);
    z.avail_in = clen;
    while (z.avail_in && ret == Z_OK) {
      z.next_out = out;
      z.avail_out = sizeof out;
      ret = inflate(&z, Z_NO_FLUSH);
      if (ret != Z_OK && ret != Z_STREAM_END)
        goto bad_data;
      size_t got = sizeof out - z.avail_out;
      if (pos + got > want)
        goto bad_data;
      for (; next < pos + got && pass < passes; next += rowbytes) {
        while (pass < passes && (!cols || !rows || row == rows)) {
          if (++pass < passes) {
            png_pass(pass, im->width, im->height, interlaced, &cols, &rows);
            rowbytes = 1 + (cols * bpp + 7) / 8;
          }
          row = 0;
        }
        if (pass == passes || next >= pos + got)
          break;
        if (out[next - pos] > 4) {
          say(why, n, "a PNG with a damaged row (filter %u)", out[next - pos]);
          goto done;
        }
        row++;
      }
      pos += got;
    }
    if (z.avail_in) /* data after the stream's end */
      goto bad_data;
    at += 12 + (size_t)clen;
  }
  if (ret == Z_STREAM_END && pos == want) {
    ok = true;
    goto done;
  }
bad_data:
  say(why, n,
      "a PNG whose image data is damaged or does not match its size (%ux%u)",
      im->width, im->height);
done:
  inflateEnd(&z);
  return ok;
}

static bool png_check(const uint8_t *p, size_t len, zp_image *im, char *why,
                      size_t n) {
  size_t at = 8;
  bool ihdr = false, plte = false, idat = false, idat_ended = false;
  bool interlaced = false;
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
    if (crc32(0, p + at + 4, clen + 4) != be32(d + clen))
      return say(why, n, "a PNG whose chunk %s is damaged (bad CRC)", type);
    bool is_idat = strcmp(type, "IDAT") == 0;
    if (idat && !is_idat)
      idat_ended = true;
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
      interlaced = d[12] == 1;
      im->bits = (uint8_t)depth;
      im->color = (uint8_t)ctype;
      im->alpha = ctype == 4 || ctype == 6;
    } else if (strcmp(type, "PLTE") == 0) {
      if (plte || idat || clen == 0 || clen % 3 || clen / 3 > 256 ||
          (ctype == 3 && clen / 3 > (1u << depth)))
        return say(why, n, "a PNG with a malformed palette (PLTE)");
      if (ctype == 0 || ctype == 4)
        return say(why, n, "a grey PNG with a palette (PLTE)");
      plte = true;
    } else if (strcmp(type, "tRNS") == 0) {
      if (ctype == 0 || ctype == 2)
        return say(why, n,
                   "%s PNG with a transparent colour (tRNS), which the PDF "
                   "writer cannot embed: save it with an alpha channel",
                   ctype == 0 ? "a grey" : "an RGB");
      if (ctype != 3 || !plte || idat || clen > 256)
        return say(why, n, "a PNG with a misplaced transparency (tRNS)");
      im->alpha = true;
    } else if (is_idat) {
      if (ctype == 3 && !plte)
        return say(why, n, "a palette PNG without its palette (PLTE)");
      if (idat_ended)
        return say(why, n, "a PNG whose image data (IDAT) is split");
      idat = true;
    } else if (strcmp(type, "IEND") == 0) {
      if (!idat)
        return say(why, n, "a PNG without image data (IDAT)");
      if (interlaced && im->alpha) /* libharu 2.3.0 frees twice */
        return say(why, n,
                   "an interlaced PNG with transparency, which the PDF "
                   "writer cannot embed: save it without interlacing");
      return png_data_ok(p, len, im, interlaced, why, n);
    } else if (type[0] >= 'A' && type[0] <= 'Z') {
      return say(why, n, "a PNG with an unknown critical chunk %s", type);
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
