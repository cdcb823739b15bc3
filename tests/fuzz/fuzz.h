/* fuzz.h — what the libFuzzer harnesses share: a scratch tree for the
 * files the template loader reads, and the invariant every stage keeps
 * (a failure always comes with an error message).
 *
 * The scratch tree, made once per process under $TMPDIR:
 *   DIR/templates/official.xml   the official sheet
 *   DIR/a/b/official.xml         the same, beside the input
 *   DIR/a/b/in.xml               each input template
 * so that both include spellings the samples use ("official.xml" and
 * "../../templates/official.xml") resolve.
 */
#ifndef ZP_FUZZ_H
#define ZP_FUZZ_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

static char fuzz_dir[256];

static inline void fuzz_put(const char *path, const void *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f || (size && fwrite(data, 1, size, f) != size)) {
    perror(path);
    abort();
  }
  fclose(f);
}

static inline char *fuzz_slurp(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    perror(path);
    abort();
  }
  char *buf = NULL;
  size_t n = 0, cap = 0;
  for (;;) {
    if (n + 4096 > cap) {
      cap = cap ? cap * 2 : 65536;
      buf = realloc(buf, cap);
    }
    size_t k = fread(buf + n, 1, cap - n, f);
    n += k;
    if (k == 0)
      break;
  }
  fclose(f);
  *size = n;
  return buf;
}

/* Removes the scratch tree (at exit). */
static inline void fuzz_cleanup(void) {
  static const char *const files[] = {"a/b/in.xml", "a/b/official.xml",
                                      "out.pdf",    "templates/official.xml",
                                      "a/b",        "a",
                                      "templates",  ""};
  for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
    char path[600];
    snprintf(path, sizeof path, "%s/%s", fuzz_dir, files[i]);
    if (unlink(path) != 0)
      rmdir(path);
  }
}

/* Makes the scratch tree; the official sheet comes from $ZP_ROOT (or the
 * current directory). */
static inline void fuzz_setup(void) {
  if (fuzz_dir[0])
    return;
  const char *tmp = getenv("TMPDIR");
  snprintf(fuzz_dir, sizeof fuzz_dir, "%s/zp-fuzz-XXXXXX",
           tmp && *tmp ? tmp : "/tmp");
  if (!mkdtemp(fuzz_dir)) {
    perror(fuzz_dir);
    abort();
  }
  const char *root = getenv("ZP_ROOT");
  char path[512], to[512];
  snprintf(path, sizeof path, "%s/templates/official.xml",
           root && *root ? root : ".");
  size_t n;
  char *sheet = fuzz_slurp(path, &n);
  snprintf(to, sizeof to, "%s/templates", fuzz_dir);
  mkdir(to, 0700);
  snprintf(to, sizeof to, "%s/templates/official.xml", fuzz_dir);
  fuzz_put(to, sheet, n);
  snprintf(to, sizeof to, "%s/a", fuzz_dir);
  mkdir(to, 0700);
  snprintf(to, sizeof to, "%s/a/b", fuzz_dir);
  mkdir(to, 0700);
  snprintf(to, sizeof to, "%s/a/b/official.xml", fuzz_dir);
  fuzz_put(to, sheet, n);
  free(sheet);
  atexit(fuzz_cleanup);
}

/* Writes an input template into the scratch tree; returns its path. */
static inline const char *fuzz_template(const void *data, size_t size) {
  static char path[512];
  snprintf(path, sizeof path, "%s/a/b/in.xml", fuzz_dir);
  fuzz_put(path, data, size);
  return path;
}

/* A stage that failed must have said why: else zpgen would exit 1 with
 * no message. */
static inline void fuzz_failed_with_message(const zp_diag *d,
                                            const char *stage) {
  if (zp_diag_errors(d) == 0) {
    fprintf(stderr, "%s failed without an error message\n", stage);
    abort();
  }
}

#endif
