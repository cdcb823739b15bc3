/* fuzz_render.c — libFuzzer harness for bind + layout + PDF.  An input is
 * a template, a NUL byte and the data; an input without a NUL is data for
 * a sample template: the 自评表's when its length is odd, else the
 * report's.  Every stage either succeeds or fails with an error message;
 * nothing crashes, leaks or runs away. */
#include <stddef.h>
#include <stdint.h>

#include "bind.h"
#include "fuzz.h"
#include "json.h"
#include "layout.h"
#include "pdf.h"
#include "tmpl.h"

static char *samples[2]; /* the report's and the 自评表's templates */
static size_t sample_len[2];
static char pdf_path[300];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fuzz_setup();
  if (!samples[0]) {
    static const char *const names[] = {"dept-self-eval-report",
                                        "dept-self-eval-table"};
    const char *root = getenv("ZP_ROOT");
    for (int i = 0; i < 2; i++) {
      char path[512];
      snprintf(path, sizeof path, "%s/templates/%s.xml",
               root && *root ? root : ".", names[i]);
      samples[i] = fuzz_slurp(path, &sample_len[i]);
    }
    snprintf(pdf_path, sizeof pdf_path, "%s/out.pdf", fuzz_dir);
  }
  const uint8_t *nul = memchr(data, 0, size);
  const char *tpl = nul ? (const char *)data : samples[size & 1];
  size_t tpl_len = nul ? (size_t)(nul - data) : sample_len[size & 1];
  const char *json = nul ? (const char *)nul + 1 : (const char *)data;
  size_t json_len = nul ? size - tpl_len - 1 : size;

  zp_diag *d = zp_diag_new(NULL);
  zp_template *t = zp_tmpl_load(fuzz_template(tpl, tpl_len), d);
  zp_json_doc *j = zp_json_parse(json, json_len, "in.json", d);
  zp_doc *doc = NULL;
  zp_fontset *fs = NULL;
  zp_dl *dl = NULL;
  if (!t || !j) {
    fuzz_failed_with_message(d, "loading");
    goto done;
  }
  zp_bind_opts bo = {true};
  doc = zp_bind_with(t, j, &bo, d);
  if (!doc) {
    fuzz_failed_with_message(d, "zp_bind");
    goto done;
  }
  fs = zp_fontset_new(NULL, d);
  if (!fs || !zp_layout_define_roles(doc->roles, fs, d)) {
    fuzz_failed_with_message(d, "fonts");
    goto done;
  }
  zp_layout_opts lo = {NULL, false, 0};
  dl = zp_layout(doc, fs, &lo, d);
  if (!dl) {
    fuzz_failed_with_message(d, "zp_layout");
    goto done;
  }
  if (zp_diag_errors(d) == 0 && !zp_pdf_write(dl, fs, pdf_path, d))
    fuzz_failed_with_message(d, "zp_pdf_write");
  unlink(pdf_path);
done:
  zp_dl_free(dl);
  zp_fontset_free(fs);
  zp_doc_free(doc);
  zp_json_free(j);
  zp_tmpl_free(t);
  zp_diag_free(d);
  return 0;
}
