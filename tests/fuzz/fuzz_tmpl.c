/* fuzz_tmpl.c — libFuzzer harness for the template loader (libxml2,
 * RELAX NG, fields), then the binder on a small fixed data file: any
 * template is either loaded and bound or an error at its file:line. */
#include <stddef.h>
#include <stdint.h>

#include "bind.h"
#include "fuzz.h"
#include "json.h"
#include "tmpl.h"

static const char data_text[] =
    "{\"meta\": {\"title\": \"标题\", \"year\": 2023, \"department\": \"局\"},"
    " \"budget\": {\"total\": 18335.56, \"executed\": 11637.43, \"rate\": "
    "63.47, \"by_source\": [{\"name\": \"财政拨款\", \"amount\": 11637.43}]},"
    " \"items\": [\"甲\", \"乙\", null, 3], \"s\": {\"paragraphs\": "
    "[\"段落\"], \"sections\": [{\"title\": \"小节\", \"paragraphs\": "
    "[\"文字\"]}]}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_setup();
  zp_diag *d = zp_diag_new(NULL);
  zp_template *t = zp_tmpl_load(fuzz_template(data, size), d);
  if (!t) {
    fuzz_failed_with_message(d, "zp_tmpl_load");
  } else {
    (void)zp_tmpl_roles(t);
    zp_json_doc *j =
        zp_json_parse(data_text, sizeof data_text - 1, "data.json", d);
    if (!j)
      abort();
    zp_doc *doc = zp_bind(t, j, d);
    if (!doc)
      fuzz_failed_with_message(d, "zp_bind");
    zp_doc_free(doc);
    zp_json_free(j);
  }
  zp_tmpl_free(t);
  zp_diag_free(d);
  return 0;
}
