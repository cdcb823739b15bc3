/* fuzz_image.c — libFuzzer harness for the image check (image.c): any
 * bytes are refused with a reason, or accepted within the limits; an
 * accepted image goes through the PDF writer (libharu decodes it, with
 * libpng), which writes it or fails with an error message, never crashes
 * nor aborts.  A PNG's chunk CRCs are set right before the check, so that
 * the mutations reach past them (to the header, the data, libpng). */
#include <stddef.h>
#include <stdint.h>

#include <zlib.h>

#include "bounds.h"
#include "dlist.h"
#include "font.h"
#include "fuzz.h"
#include "image.h"
#include "pdf.h"

static uint32_t be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
         p[3];
}

/* Rewrites the CRC of every whole chunk of a PNG. */
static void fix_crcs(uint8_t *p, size_t n) {
  if (n < 8 || memcmp(p, "\x89PNG\r\n\x1a\n", 8) != 0)
    return;
  for (size_t at = 8; n - at >= 12;) {
    uint32_t len = be32(p + at);
    if (len > n - at - 12)
      return;
    uint32_t c = (uint32_t)crc32(0, p + at + 4, len + 4);
    uint8_t *q = p + at + 8 + len;
    q[0] = (uint8_t)(c >> 24), q[1] = (uint8_t)(c >> 16);
    q[2] = (uint8_t)(c >> 8), q[3] = (uint8_t)c;
    at += 12 + (size_t)len;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *in, size_t size) {
  static zp_fontset *fs;
  uint8_t *data = malloc(size ? size : 1);
  if (!data)
    abort();
  memcpy(data, in, size);
  fix_crcs(data, size);
  zp_diag *d = zp_diag_new(NULL);
  if (!fs && !(fs = zp_fontset_new(NULL, d)))
    abort();
  zp_image im = {0};
  char why[160] = "";
  if (!zp_image_check(data, size, &im, why, sizeof why)) {
    if (!why[0])
      abort(); /* a refusal always says why */
    zp_diag_free(d);
    free(data);
    return 0;
  }
  if (im.width == 0 || im.height == 0 || im.width > ZP_MAX_IMAGE_SIDE ||
      im.height > ZP_MAX_IMAGE_SIDE ||
      (uint64_t)im.width * im.height > (uint64_t)ZP_MAX_IMAGE_PIXELS)
    abort();
  if ((uint64_t)im.width * im.height > 1u << 20) { /* decoding is slow */
    zp_diag_free(d);
    free(data);
    return 0;
  }
  im.data = data;
  im.len = size;
  im.path = "in.png";
  zp_dl *dl = zp_dl_new();
  zp_dl_page *p = zp_dl_add_page(dl, 200, 200);
  zp_dl_image *di = zp_dl_add_image(dl, p, &im, 10, 10, 100, 100);
  di->opacity = 0.5f;
  di->angle = 30;
  char *buf = NULL;
  size_t len = 0;
  FILE *out = open_memstream(&buf, &len);
  if (!zp_pdf_write_stream(dl, fs, out, "out.pdf", d))
    fuzz_failed_with_message(d, "zp_pdf_write_stream");
  fclose(out);
  free(buf);
  zp_dl_free(dl);
  zp_diag_free(d);
  free(data);
  return 0;
}
