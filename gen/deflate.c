/* deflate.c — see deflate.h. */
#include "deflate.h"

#include <libdeflate.h>

zp_deflate *zp_deflate_new(int level) {
  struct libdeflate_compressor *c = libdeflate_alloc_compressor(level);
  return (zp_deflate *)c; /* the handle is the compressor itself */
}

void zp_deflate_free(zp_deflate *z) {
  if (z)
    libdeflate_free_compressor((struct libdeflate_compressor *)z);
}

size_t zp_deflate_zlib_bound(zp_deflate *z, size_t n) {
  return libdeflate_zlib_compress_bound((struct libdeflate_compressor *)z, n);
}

size_t zp_deflate_zlib(zp_deflate *z, const void *src, size_t n, void *dst,
                       size_t cap) {
  return libdeflate_zlib_compress((struct libdeflate_compressor *)z, src, n,
                                  dst, cap);
}

unsigned long zp_crc32(const void *src, size_t n) {
  return (unsigned long)libdeflate_crc32(0, src, n);
}

bool zp_inflate_raw(const void *src, size_t n, void *dst, size_t size) {
  struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
  if (!d)
    return false;
  size_t in = 0, out = 0;
  enum libdeflate_result r =
      libdeflate_deflate_decompress_ex(d, src, n, dst, size, &in, &out);
  libdeflate_free_decompressor(d);
  return r == LIBDEFLATE_SUCCESS && out == size && in <= n;
}
