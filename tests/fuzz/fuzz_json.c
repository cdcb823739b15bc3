/* fuzz_json.c — libFuzzer harness for the JSON loader: any bytes are
 * either a document or an error with its line:col. */
#include <stddef.h>
#include <stdint.h>

#include "fuzz.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  zp_diag *d = zp_diag_new(NULL);
  zp_json_doc *doc = zp_json_parse((const char *)data, size, "in.json", d);
  if (!doc) {
    fuzz_failed_with_message(d, "zp_json_parse");
  } else {
    /* walk it: paths and lookups on every value */
    char path[256];
    const zp_json *stack[64];
    int n = 0;
    stack[n++] = doc->root;
    while (n) {
      const zp_json *v = stack[--n];
      zp_json_path(v, path, sizeof path);
      if (v->key)
        (void)zp_json_get(v->parent, v->key);
      for (const zp_json *c = v->child; c && n < 64; c = c->next)
        stack[n++] = c;
    }
  }
  zp_json_free(doc);
  zp_diag_free(d);
  return 0;
}
