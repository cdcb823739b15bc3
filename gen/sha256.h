/* sha256.h — SHA-256 (FIPS 180-4), for fingerprints and the batch report.
 *
 * Incremental: zp_sha256_init, any number of zp_sha256_update, then
 * zp_sha256_final.  The context is a plain value; nothing to free. */
#ifndef ZP_SHA256_H
#define ZP_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct zp_sha256 {
  uint32_t h[8];
  uint64_t len; /* bytes so far */
  unsigned char buf[64];
  size_t nbuf;
} zp_sha256;

/* Starts a hash in c. */
void zp_sha256_init(zp_sha256 *c);
/* Adds n bytes at p. */
void zp_sha256_update(zp_sha256 *c, const void *p, size_t n);
/* Finishes: the 32-byte digest into out, and, when hex is not NULL, its 64
 * lowercase hex digits and a NUL into hex (65 bytes). */
void zp_sha256_final(zp_sha256 *c, unsigned char out[32], char *hex);

#endif
