/* deflate.h — DEFLATE compression and decompression.
 *
 * The one module that uses libdeflate: the PDF writer compresses its
 * streams here (zlib format, for /FlateDecode) and the workbook reader
 * inflates the members of an .xlsx (raw DEFLATE, as zip stores them).
 * libdeflate's types never leave deflate.c.
 */
#ifndef ZP_DEFLATE_H
#define ZP_DEFLATE_H

#include <stdbool.h>
#include <stddef.h>

typedef struct zp_deflate zp_deflate;

/* A compressor at level (1-12).  NULL when out of memory.  Free with
 * zp_deflate_free (NULL is fine). */
zp_deflate *zp_deflate_new(int level);
void zp_deflate_free(zp_deflate *z);

/* The most bytes zp_deflate_zlib can write for n input bytes. */
size_t zp_deflate_zlib_bound(zp_deflate *z, size_t n);

/* Compresses n bytes at src into dst (cap bytes) in zlib format.  Returns
 * the bytes written, or 0 when they did not fit (never with cap at least
 * zp_deflate_zlib_bound). */
size_t zp_deflate_zlib(zp_deflate *z, const void *src, size_t n, void *dst,
                       size_t cap);

/* Inflates n bytes of raw DEFLATE data at src into dst, which must come to
 * exactly size bytes.  False when the data is malformed, ends early, or
 * would inflate to more or fewer bytes than size (so a zip member can
 * never inflate past the size its directory states), or out of memory. */
bool zp_inflate_raw(const void *src, size_t n, void *dst, size_t size);

/* The CRC-32 of n bytes at src (as zip records it). */
unsigned long zp_crc32(const void *src, size_t n);

#endif
