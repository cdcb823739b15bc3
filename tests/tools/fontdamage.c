/* fontdamage — a small TrueType face with a damaged table, for the tests.
 *
 *   fontdamage FAMILY TEXT OUT.ttf [TAG MODE]...
 *
 * Subsets the installed face of FAMILY to the characters of the UTF-8 file
 * TEXT, writes it to OUT.ttf, and damages each table TAG ("glyf", "cmap",
 * ...; located through the table directory) as MODE says:
 *   zero   every byte 0
 *   ff     every byte 0xFF
 *   noise  pseudo-random bytes (the same every run)
 *   chars:TEXT  (glyf only) the glyphs of the characters of TEXT become
 *          0xFF bytes, the rest of the face stays sound
 *   blank:TEXT  (glyf only) those glyphs become zero bytes: empty outlines
 * The face keeps FAMILY's name, so in a user fonts directory it wins over
 * the installed face.  Exits 1 on failure, with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "font.h"

static size_t utf8_decode(const unsigned char *s, size_t n, uint32_t *out) {
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    uint32_t c = s[i];
    int extra = c < 0x80 ? 0 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
    if (extra)
      c &= 0x3F >> extra;
    i++;
    for (int e = 0; e < extra && i < n; e++, i++)
      c = (c << 6) | (s[i] & 0x3F);
    out[k++] = c;
  }
  return k;
}

static unsigned be32(const unsigned char *p) {
  return (unsigned)p[0] << 24 | (unsigned)p[1] << 16 | (unsigned)p[2] << 8 |
         p[3];
}

/* The table directory entry of tag in the font p: its offset, or 0. */
static unsigned table_at(const unsigned char *p, const char *tag) {
  unsigned n = (unsigned)p[4] << 8 | p[5];
  for (unsigned i = 0; i < n; i++)
    if (memcmp(p + 12 + 16 * i, tag, 4) == 0)
      return be32(p + 12 + 16 * i + 8);
  return 0;
}

/* Fills the glyf data of the characters of text (in the subset) with the
 * byte fill. */
static bool damage_glyphs(zp_subset *sub, unsigned glyf, unsigned glyf_len,
                          zp_fontset *fs, int role, const char *text,
                          int fill) {
  unsigned char *p = sub->data;
  unsigned head = table_at(p, "head"), loca = table_at(p, "loca");
  if (!head || !loca)
    return false;
  bool long_loca = p[head + 51] != 0;
  uint32_t cps[64];
  size_t n = utf8_decode((const unsigned char *)text, strlen(text), cps);
  for (size_t i = 0; i < n && i < 64; i++) {
    zp_glyph g;
    if (!zp_font_glyph(fs, role, cps[i], &g))
      return false;
    unsigned sg = sub->new_gid[g.gid], a, b;
    if (long_loca) {
      a = be32(p + loca + 4 * sg);
      b = be32(p + loca + 4 * sg + 4);
    } else {
      a = 2u * ((unsigned)p[loca + 2 * sg] << 8 | p[loca + 2 * sg + 1]);
      b = 2u * ((unsigned)p[loca + 2 * sg + 2] << 8 | p[loca + 2 * sg + 3]);
    }
    if (b <= a || b > glyf_len)
      return false;
    memset(p + glyf + a, fill, b - a);
  }
  return true;
}

int main(int argc, char **argv) {
  if (argc < 4 || (argc - 4) % 2) {
    fprintf(stderr, "usage: fontdamage FAMILY TEXT OUT.ttf [TAG MODE]...\n");
    return 1;
  }
  int rc = 1;
  zp_diag *d = zp_diag_new(stderr);
  zp_fontset *fs = zp_fontset_new(NULL, d);
  if (fs)
    zp_fontset_subset_names(fs, true); /* found by its family name */
  unsigned char *text = NULL;
  uint32_t *cps = NULL;
  uint16_t *gids = NULL;
  zp_subset sub = {0};
  FILE *f = fopen(argv[2], "rb");
  if (!fs || !f) {
    fprintf(stderr, "fontdamage: cannot read %s\n", argv[2]);
    goto done;
  }
  fseek(f, 0, SEEK_END);
  long len = ftell(f);
  rewind(f);
  text = malloc((size_t)len + 1);
  cps = malloc(sizeof *cps * ((size_t)len + 1));
  gids = malloc(sizeof *gids * ((size_t)len + 1));
  if (!text || !cps || !gids || fread(text, 1, (size_t)len, f) != (size_t)len)
    goto done;
  const char *const fam[] = {argv[1], NULL};
  int role = zp_font_role(fs, "x", fam, d);
  if (role < 0)
    goto done;
  size_t n = utf8_decode(text, (size_t)len, cps), k = 0;
  for (size_t i = 0; i < n; i++) {
    zp_glyph g;
    if (zp_font_glyph(fs, role, cps[i], &g)) {
      cps[k] = cps[i]; /* cps[k] is gids[k]'s code point (k <= i) */
      gids[k++] = g.gid;
    }
  }
  if (!zp_font_subset(fs, 0, gids, cps, k, &sub, d))
    goto done;
  unsigned char *p = sub.data;
  unsigned ntables = (unsigned)p[4] << 8 | p[5];
  for (int a = 4; a + 1 < argc; a += 2) {
    const char *tag = argv[a], *mode = argv[a + 1];
    unsigned i;
    for (i = 0; i < ntables; i++)
      if (memcmp(p + 12 + 16 * i, tag, 4) == 0)
        break;
    if (i == ntables) {
      fprintf(stderr, "fontdamage: no table %s\n", tag);
      goto done;
    }
    unsigned off = be32(p + 12 + 16 * i + 8), tlen = be32(p + 12 + 16 * i + 12);
    if ((size_t)off + tlen > sub.size)
      goto done;
    if (strncmp(mode, "chars:", 6) == 0 || strncmp(mode, "blank:", 6) == 0) {
      if (!damage_glyphs(&sub, off, tlen, fs, role, mode + 6,
                         mode[0] == 'c' ? 0xFF : 0))
        goto done;
      continue;
    }
    uint32_t x = 2463534242u;
    for (unsigned b = 0; b < tlen; b++) {
      x ^= x << 13, x ^= x >> 17, x ^= x << 5;
      p[off + b] = strcmp(mode, "zero") == 0 ? 0
                   : strcmp(mode, "ff") == 0 ? 0xFF
                                             : (unsigned char)x;
    }
  }
  FILE *o = fopen(argv[3], "wb");
  if (!o || fwrite(sub.data, 1, sub.size, o) != sub.size || fclose(o) != 0) {
    fprintf(stderr, "fontdamage: cannot write %s\n", argv[3]);
    goto done;
  }
  rc = 0;
done:
  if (f)
    fclose(f);
  zp_subset_free(&sub);
  free(text);
  free(cps);
  free(gids);
  zp_fontset_free(fs);
  zp_diag_free(d);
  return rc;
}
