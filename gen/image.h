/* image.h — images a template places (PNG, JPEG): read and checked.
 *
 * An image is read whole from a regular file (file.c), at most
 * ZP_MAX_IMAGE_BYTES, and its structure checked here before any decoder
 * sees it: for a PNG the signature, every chunk's length and CRC, the
 * header (dimensions, bit depth and colour type, a valid pair, compression
 * and filter 0, interlace 0 or 1), a palette where the colour type needs
 * one (tRNS only with a palette: libharu drops or fails on a grey or
 * RGB colour key; an interlaced PNG without transparency: libharu frees
 * an interlaced one's mask twice), no unknown critical chunk, the image data
 * inflating to exactly the header's size with a valid filter on every row
 * (libpng stopping on bad data would abort the process, libharu sets no
 * recovery), and the end chunk; for a JPEG the start marker, the
 * segments up to the frame header (baseline, extended or progressive
 * Huffman, 8-bit, grey or 3 components: CMYK is refused), a scan and the
 * end marker.
 * Dimensions are at most ZP_MAX_IMAGE_SIDE pixels a side and
 * ZP_MAX_IMAGE_PIXELS in all.  The pixels are decoded only by the PDF
 * writer (pdf-image.c).  The image's bytes live in the arena it was loaded
 * into: a template loads each file once, and a PDF embeds each image once.
 */
#ifndef ZP_IMAGE_H
#define ZP_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef enum { ZP_IMAGE_PNG, ZP_IMAGE_JPEG } zp_image_kind;

typedef struct zp_image {
  zp_image_kind kind;
  uint32_t width, height; /* pixels */
  uint8_t bits;           /* bits per sample (PNG 1..16, JPEG 8) */
  uint8_t color;          /* PNG colour type (0, 2, 3, 4, 6); JPEG
                             components (1, 3, 4) */
  bool alpha;             /* PNG with an alpha channel or tRNS */
  const uint8_t *data;    /* the file's bytes */
  size_t len;
  const char *path; /* as named, resolved against its template */
} zp_image;

/* Checks len bytes at p as a PNG or a JPEG (see above), filling *info
 * (data, len and path are left alone).  Returns true when valid; else
 * false with why (room for n bytes) saying what is wrong, in words for a
 * template author ("a PNG truncated in chunk IDAT", "a 16-bit JPEG",
 * ...). */
bool zp_image_check(const uint8_t *p, size_t len, zp_image *info, char *why,
                    size_t n);

/* Reads and checks the image file path, named at loc (the element that
 * names it), into arena a.  NULL with an error at loc when the file is
 * missing, not a regular file, unreadable, too large, or not a valid
 * image by zp_image_check. */
const zp_image *zp_image_load(zp_arena *a, const char *path, zp_loc loc,
                              zp_diag *d);

/* The last part of img's path ("seal.png"), for dumps that must not
 * depend on where the files are. */
const char *zp_image_basename(const zp_image *img);

#endif
