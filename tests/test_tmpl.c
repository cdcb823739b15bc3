/* test_tmpl.c — loading, validating and including templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "tmpl.h"

static char dir[256];

static const char *root(void) {
  const char *r = getenv("ZP_ROOT");
  return r ? r : ".";
}

/* Writes a file into the test's directory; returns its path. */
static const char *put(const char *name, const char *text) {
  static char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs(text, f);
  fclose(f);
  return path;
}

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/zp-tmpl-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

static zp_template *load(const char *path, zp_diag *d) {
  return zp_tmpl_load(path, d);
}

static void loads_the_report_template(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/templates/dept-self-eval-report.xml", root());
  zp_diag *d = zp_diag_new(stderr);
  zp_template *t = load(path, d);
  assert_non_null(t);
  /* the style sheet's elements come first, then the template's */
  assert_string_equal(t->top[0]->name, "page");
  assert_string_equal(t->top[t->ntop - 1]->name, "body");
  const zp_doc_role *roles = zp_tmpl_roles(t);
  assert_non_null(roles);
  assert_string_equal(roles[0].name, "song");
  assert_string_equal(roles[0].families[0], "SimSun");
  assert_true(roles[0].loc.line > 0);
  zp_tmpl_free(t);
  zp_diag_free(d);
}

static void misspelt_element_names_file_and_line(void **state) {
  (void)state;
  const char *p = put("bad.xml", "<?xml version=\"1.0\"?>\n"
                                 "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "  <body>\n"
                                 "    <paragraf>x</paragraf>\n"
                                 "  </body>\n"
                                 "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  char want[600];
  snprintf(want, sizeof want, "%s:4: error: Did not expect element paragraf",
           p);
  assert_true(zp_diag_contains(d, want));
  zp_diag_free(d);
}

static void misspelt_attribute_names_file_and_line(void **state) {
  (void)state;
  const char *p = put("attr.xml", "<?xml version=\"1.0\"?>\n"
                                  "<template xmlns=\"urn:zpgen:template:1\">\n"
                                  "  <body>\n"
                                  "    <p styel=\"x\">x</p>\n"
                                  "  </body>\n"
                                  "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(
      zp_diag_contains(d, "attr.xml:4: error: Invalid attribute styel"));
  zp_diag_free(d);
}

static void malformed_xml_has_line_and_column(void **state) {
  (void)state;
  const char *p = put("mal.xml", "<?xml version=\"1.0\"?>\n"
                                 "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "  <body><p>x</body>\n"
                                 "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "mal.xml:3:20: error:"));
  zp_diag_free(d);
}

static void includes_resolve_relative_and_detect_cycles(void **state) {
  (void)state;
  put("a.xml", "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
               "  <include href=\"b.xml\"/>\n"
               "</stylesheet>\n");
  put("b.xml", "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
               "  <include href=\"a.xml\"/>\n"
               "</stylesheet>\n");
  const char *p = put("cyc.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "  <include href=\"a.xml\"/>\n"
                                 "  <body/>\n"
                                 "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "b.xml:2: error: include cycle"));
  zp_diag_free(d);

  p = put("miss.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                      "  <include href=\"nowhere.xml\"/>\n"
                      "  <body/>\n"
                      "</template>\n");
  d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "miss.xml:2: error: cannot read the "
                                  "included file"));
  zp_diag_free(d);

  put("s.xml", "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
               "  <style name=\"x\" size=\"三号\"/>\n"
               "</stylesheet>\n");
  p = put("ok.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                    "  <include href=\"s.xml\"/>\n"
                    "  <style name=\"y\" parent=\"x\"/>\n"
                    "  <body/>\n"
                    "</template>\n");
  d = zp_diag_new(stderr);
  zp_template *t = load(p, d);
  assert_non_null(t);
  assert_int_equal(t->ntop, 3);
  assert_string_equal(zp_tmpl_attr(t->top[0], "name"), "x");
  assert_true(strstr(t->top[0]->loc.file, "s.xml") != NULL);
  assert_int_equal(t->top[0]->loc.line, 2);
  zp_tmpl_free(t);
  zp_diag_free(d);
}

static void a_stylesheet_is_not_a_template(void **state) {
  (void)state;
  const char *p =
      put("sheet.xml", "<stylesheet xmlns=\"urn:zpgen:template:1\"/>");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "expected a <template> here"));
  zp_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(loads_the_report_template),
      cmocka_unit_test(misspelt_element_names_file_and_line),
      cmocka_unit_test(misspelt_attribute_names_file_and_line),
      cmocka_unit_test(malformed_xml_has_line_and_column),
      cmocka_unit_test(includes_resolve_relative_and_detect_cycles),
      cmocka_unit_test(a_stylesheet_is_not_a_template),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
