/* test_tmpl.c — loading, validating and including templates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libxml/xmlerror.h>

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

  /* a directory: our message at the include's line, the only one */
  char sub[600];
  snprintf(sub, sizeof sub, "%s/a-dir.xml", dir);
  mkdir(sub, 0700);
  p = put("incdir.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                        "  <include href=\"a-dir.xml\"/>\n"
                        "  <body/>\n"
                        "</template>\n");
  d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "incdir.xml:2: error: cannot read the "
                                  "included file \""));
  assert_true(zp_diag_contains(d, "/a-dir.xml\": it is a directory"));
  assert_int_equal(zp_diag_errors(d), 1);
  rmdir(sub);
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

/* A caller's own libxml2 handler is neither called nor replaced. */
static int foreign_calls;
static void foreign_handler(void *data, xmlErrorPtr e) {
  (void)data;
  (void)e;
  foreign_calls++;
}

static void leaves_no_global_error_handler(void **state) {
  (void)state;
  const char *p = put("mal2.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                                  "  <body><p>x</body>\n"
                                  "</template>\n");
  int marker = 0;
  xmlSetStructuredErrorFunc(&marker, foreign_handler);
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "mal2.xml:2:"));
  assert_int_equal(foreign_calls, 0);
  assert_ptr_equal(xmlStructuredError, foreign_handler);
  assert_ptr_equal(xmlStructuredErrorContext, &marker);
  zp_diag_free(d);
  /* an encoding error has no parser context: libxml2 would print it
   * bare; it is ours, once, and the foreign handler is untouched */
  p = put("enc.xml", "<?xml version=\"1.0\" encoding=\"GB2312\"?>\n"
                     "<template xmlns=\"urn:zpgen:template:1\">\n"
                     "  <body><p>\x85\x65"
                     "ak</p></body>\n"
                     "</template>\n");
  xmlGenericErrorFunc generic = xmlGenericError;
  d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "enc.xml:1:38: error: the file's bytes do "
                                  "not match its declared encoding (input "
                                  "conversion failed"));
  assert_int_equal(foreign_calls, 0);
  assert_ptr_equal(xmlStructuredError, foreign_handler);
  assert_ptr_equal(xmlGenericError, generic);
  xmlSetStructuredErrorFunc(NULL, NULL);
  zp_diag_free(d);
}

/* The same file spelt differently is still a cycle. */
static void include_cycle_through_another_spelling(void **state) {
  (void)state;
  put("c.xml", "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
               "  <include href=\"./d.xml\"/>\n"
               "</stylesheet>\n");
  /* d.xml names its own directory through .. */
  char text[512];
  const char *base = strrchr(dir, '/') + 1;
  snprintf(text, sizeof text,
           "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
           "  <style name=\"x\"/>\n"
           "  <include href=\"../%s/c.xml\"/>\n"
           "</stylesheet>\n",
           base);
  put("d.xml", text);
  const char *p = put("cyc2.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                                  "  <include href=\"c.xml\"/>\n"
                                  "  <body/>\n"
                                  "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "d.xml:3: error: include cycle"));
  assert_false(zp_diag_contains(d, "deeper"));
  zp_diag_free(d);
}

/* Entities are not expanded: no DTD, no external files read. */
static void entities_are_refused(void **state) {
  (void)state;
  const char *p = put("ent.xml", "<?xml version=\"1.0\"?>\n"
                                 "<!DOCTYPE template [\n"
                                 "  <!ENTITY secret SYSTEM \"/etc/passwd\">\n"
                                 "]>\n"
                                 "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "  <body><p>&secret;</p></body>\n"
                                 "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  /* the DOCTYPE itself is refused, before any declaration is read */
  assert_true(zp_diag_contains(
      d, "ent.xml:2: error: <!DOCTYPE template> is not allowed"));
  assert_int_equal(zp_diag_errors(d), 1);
  zp_diag_free(d);
  /* an internal entity used in an attribute: refused the same way, in
   * a style sheet as in a template */
  put("ent-sheet.xml", "<?xml version=\"1.0\"?>\n"
                       "<!-- a sheet -->\n"
                       "<!DOCTYPE stylesheet [<!ENTITY n \"body\">]>\n"
                       "<stylesheet xmlns=\"urn:zpgen:template:1\">\n"
                       "  <style name=\"&n;\"/>\n"
                       "</stylesheet>\n");
  p = put("ent-attr.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                          "  <include href=\"ent-sheet.xml\"/>\n"
                          "  <body/>\n"
                          "</template>\n");
  d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(
      d, "ent-sheet.xml:3: error: <!DOCTYPE stylesheet> is not allowed"));
  zp_diag_free(d);
  /* without a DTD an entity is simply undefined */
  p = put("undef.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                       "  <body><p style=\"&nbsp;\">&nbsp;</p></body>\n"
                       "</template>\n");
  d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "undef.xml:2:"));
  zp_diag_free(d);
  /* character references are fine */
  /* (a <p> needs the style "body": that too is checked at load) */
  p = put("chr.xml", "<template xmlns=\"urn:zpgen:template:1\">"
                     "<style name=\"body\"/>\n"
                     "  <body><p>&#x4E00;&lt;</p></body>\n"
                     "</template>\n");
  d = zp_diag_new(stderr);
  zp_template *t = load(p, d);
  assert_non_null(t);
  const zp_tnode *body = t->top[t->ntop - 1];
  const zp_tnode *para = body->child;
  while (para && !para->name)
    para = para->next;
  assert_non_null(para);
  assert_string_equal(para->child->text, "一<");
  zp_tmpl_free(t);
  zp_diag_free(d);
}

/* The fixtures in tests/bad/ that the end-to-end tests reuse. */
static void bad_fixtures(void **state) {
  (void)state;
  static const struct {
    const char *file, *want;
  } cases[] = {
      {"misspelt-element.xml", "misspelt-element.xml:5: error:"},
      {"misspelt-attribute.xml", "misspelt-attribute.xml:5: error:"},
      {"malformed.xml", "malformed.xml:5:"},
      {"missing-include.xml", "missing-include.xml:3: error: cannot read "
                              "the included file"},
      {"include-cycle.xml", "include-cycle-b.xml:3: error: include cycle"},
      {"unknown-formatter.xml", "unknown-formatter.xml:6: error: unknown "
                                "formatter \"percnet\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[512];
    snprintf(path, sizeof path, "%s/tests/bad/%s", root(), cases[i].file);
    zp_diag *d = zp_diag_new(NULL);
    zp_template *t = load(path, d);
    if (t || !zp_diag_contains(d, cases[i].want))
      fail_msg("%s: wanted \"%s\", got \"%s\"", cases[i].file, cases[i].want,
               zp_diag_last(d));
    zp_diag_free(d);
  }
}

/* Schema errors say what would have been allowed there. */
static void schema_errors_list_what_is_allowed(void **state) {
  (void)state;
  static const struct {
    const char *text, *want;
  } cases[] = {
      {"<template xmlns=\"urn:zpgen:template:1\">\n"
       "  <body>\n"
       "    <paragraf/>\n"
       "  </body>\n"
       "</template>\n",
       ":3: error: Did not expect element paragraf there; <body> allows <p>, "
       "<item>, <section>"},
      {"<template xmlns=\"urn:zpgen:template:1\">\n"
       "  <body><p styel=\"x\">x</p></body>\n"
       "</template>\n",
       ":2: error: Invalid attribute styel for element p; <p> takes style"},
      {"<template xmlns=\"urn:zpgen:template:1\">\n"
       "  <style name=\"x\" align=\"middle\"/>\n"
       "  <body/>\n"
       "</template>\n",
       ":2: error: align=\"middle\" is not allowed on <style>; align takes "
       "left, center, right, justify"},
      {"<template xmlns=\"urn:zpgen:template:1\">\n"
       "  <body>\n"
       "    <check equals=\"1\"/>\n"
       "  </body>\n"
       "</template>\n",
       ":3: error: <check> lacks a required attribute or has a wrong one; "
       "<check> takes value,"},
      {"<template xmlns=\"urn:zpgen:template:1\">\n"
       "  <style name=\"x\"/>\n"
       "</template>\n",
       ":1: error: <template> is incomplete: an element is missing; "
       "<template> allows <include>"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    const char *p = put("hint.xml", cases[i].text);
    zp_diag *d = zp_diag_new(NULL);
    zp_template *t = load(p, d);
    char want[600];
    snprintf(want, sizeof want, "hint.xml%s", cases[i].want);
    if (t || !zp_diag_contains(d, want))
      fail_msg("case %zu: wanted \"%s\", got \"%s\"", i, want, zp_diag_last(d));
    zp_diag_free(d);
  }
}

/* Fields are parsed when the template is loaded: malformed ones are
 * template errors at the field's own line, whatever the data. */
static void fields_are_checked_when_loading(void **state) {
  (void)state;
  const char *p = put("fields.xml",
                      "<template xmlns=\"urn:zpgen:template:1\">\n"
                      "  <info title=\"{meta.title|bogus}\"/>\n" /* 2 */
                      "  <body>\n"
                      "    <p>一{a|money:x}\n"                           /* 4 */
                      "       二{b|percent:1}{c|int:,}{d?}{e ?? '无'}\n" /* 5 */
                      "       三{}</p>\n"                                /* 6 */
                      "    <section title=\"{x..y}\"/>\n"                /* 7 */
                      "    <p>{{literal}} {=sum(a[*].b)|money}</p>\n"    /* 8 */
                      "    <p>{cn|cn:2}</p>\n"                           /* 9 */
                      "    <p>{open</p>\n" /* 10 */
                      "  </body>\n"
                      "</template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_true(zp_diag_contains(d, "fields.xml:2: error: unknown formatter "
                                  "\"bogus\" in {meta.title|bogus}; known: "
                                  "money, percent"));
  assert_true(zp_diag_contains(d, "fields.xml:4: error: {a|money:x}: the "
                                  "argument is a number of decimals"));
  assert_true(zp_diag_contains(d, "fields.xml:6: error: the field {} names "
                                  "no data"));
  assert_true(zp_diag_contains(d, "fields.xml:7: error: the field {x..y}: "
                                  "\"x..y\" is not a path"));
  assert_true(zp_diag_contains(d, "fields.xml:9: error: {cn|cn:2}: this "
                                  "formatter takes no argument"));
  assert_true(zp_diag_contains(d, "fields.xml:10: error: the field \"{open"));
  assert_false(zp_diag_contains(d, "fields.xml:5:"));
  assert_false(zp_diag_contains(d, "fields.xml:8:"));
  assert_int_equal(zp_diag_errors(d), 6);
  zp_diag_free(d);
}

/* The parsed fields, and the lines of texts and fields. */
static void fields_are_parsed(void **state) {
  (void)state;
  const char *p = put(
      "parsed.xml", "<template xmlns=\"urn:zpgen:template:1\">"
                    "<style name=\"body\"/>\n"
                    "  <body>\n"
                    "    <section title=\"{s.title ?? '部门职能'}\">\n"
                    "      <p>按资金来源分，\n" /* 4 */
                    "        <for each=\"b.by_source\" as=\"s\" sep=\"，\">"
                    "{s.name}支出{s.amount|money:2}万元</for>\n"         /* 5 */
                    "        {meta.date?}{=ratio(b.x, b.y)|percent:1}\n" /* 6 */
                    "      </p>\n"
                    "    </section>\n"
                    "  </body>\n"
                    "</template>\n");
  zp_diag *d = zp_diag_new(stderr);
  zp_template *t = load(p, d);
  assert_non_null(t);
  const zp_tnode *body = t->top[t->ntop - 1];
  const zp_tnode *sec = body->child;
  while (!sec->name)
    sec = sec->next;
  assert_int_equal(sec->attrs[0].nfields, 1);
  const zp_tfield *f = &sec->attrs[0].fields[0];
  assert_string_equal(f->path, "s.title");
  assert_string_equal(f->dflt, "部门职能");
  assert_null(f->fmt);
  assert_int_equal(f->loc.line, 3);
  const zp_tnode *para = sec->child;
  while (!para->name)
    para = para->next;
  const zp_tnode *text1 = para->child;
  assert_int_equal(text1->loc.line, 4);
  assert_int_equal(text1->nfields, 0);
  const zp_tnode *loop = text1->next;
  assert_string_equal(loop->name, "for");
  assert_int_equal(loop->loc.line, 5);
  const zp_tnode *in = loop->child;
  assert_int_equal(in->nfields, 2);
  assert_string_equal(in->fields[1].path, "s.amount");
  assert_string_equal(in->fields[1].fmt, "money");
  assert_string_equal(in->fields[1].arg, "2");
  assert_int_equal(in->fields[1].start, strlen("{s.name}支出"));
  const zp_tnode *text2 = loop->next;
  assert_int_equal(text2->loc.line, 5); /* starts after </for> */
  assert_int_equal(text2->nfields, 2);
  assert_string_equal(text2->fields[0].path, "meta.date");
  assert_true(text2->fields[0].optional);
  assert_int_equal(text2->fields[0].loc.line, 6);
  assert_null(text2->fields[1].path);
  assert_string_equal(text2->fields[1].expr, "ratio(b.x, b.y)");
  assert_string_equal(text2->fields[1].fmt, "percent");
  assert_string_equal(text2->fields[1].arg, "1");
  zp_tmpl_free(t);
  zp_diag_free(d);
}

/* Line numbers past 65535 are exact. */
static void big_line_numbers(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/big.xml", dir);
  FILE *f = fopen(path, "w");
  assert_non_null(f);
  fputs("<template xmlns=\"urn:zpgen:template:1\">\n<body>\n", f);
  for (int i = 0; i < 70000; i++)
    fputs("<p>x</p>\n", f);
  fputs("<paragraf/>\n</body>\n</template>\n", f);
  fclose(f);
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(path, d));
  assert_true(zp_diag_contains(d, "big.xml:70003: error: Did not expect "
                                  "element paragraf"));
  zp_diag_free(d);
}

/* A missing required attribute names the element that lacks it. */
static void missing_attribute_names_its_element(void **state) {
  (void)state;
  const char *p = put("nosec.xml", "<template xmlns=\"urn:zpgen:template:1\">"
                                   "<body>\n<check equals=\"1\"/>\n"
                                   "</body></template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(zp_tmpl_load(p, d));
  assert_true(zp_diag_contains(d, "nosec.xml:2: error: <check> lacks a "
                                  "required attribute"));
  assert_true(zp_diag_contains(d, "<check> takes value"));
  zp_diag_free(d);
}

/* <footnotes>: the official sheet's defaults, a template's own, and bad
 * lengths at their attribute. */
static void footnote_settings(void **state) {
  (void)state;
  char path[512];
  snprintf(path, sizeof path, "%s/templates/dept-self-eval-report.xml", root());
  zp_diag *d = zp_diag_new(stderr);
  zp_template *t = load(path, d);
  assert_non_null(t);
  assert_non_null(t->footnotes.style);
  assert_string_equal(t->footnotes.style->name, "footnote");
  assert_float_equal(t->footnotes.style->size, 12, 1e-9);
  assert_false(t->footnotes.style->grid);
  assert_int_equal(t->footnotes.marker, ZP_MARKER_CIRCLED);
  assert_false(t->footnotes.per_page);
  double bw = t->page.width - t->page.margin_left - t->page.margin_right;
  assert_float_equal(t->footnotes.rule_length, bw / 4, 1e-6);
  assert_float_equal(t->footnotes.rule_width, 0.5, 1e-9);
  assert_float_equal(t->footnotes.space, 5, 1e-9);
  zp_tmpl_free(t);
  const char *ok =
      put("fn.xml",
          "<template xmlns=\"urn:zpgen:template:1\">\n"
          "<style name=\"fn\" font=\"song\" size=\"五号\"/>\n"
          "<footnotes style=\"fn\" marker=\"bracket\" numbering=\"per-page\""
          " rule-length=\"40mm\" rule-width=\"0\" space=\"1em\"/>\n"
          "<body/></template>\n");
  t = load(ok, d);
  assert_non_null(t);
  assert_string_equal(t->footnotes.style->name, "fn");
  assert_int_equal(t->footnotes.marker, ZP_MARKER_BRACKET);
  assert_true(t->footnotes.per_page);
  assert_float_equal(t->footnotes.rule_length, 40 * 72 / 25.4, 1e-6);
  assert_float_equal(t->footnotes.rule_width, 0, 1e-9);
  assert_float_equal(t->footnotes.space, 10.5, 1e-9);
  zp_tmpl_free(t);
  const char *bad =
      put("fnbad.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                       "<footnotes rule-length=\"120%\"\n"
                       "  space=\"9cm\"/>\n"
                       "<body/></template>\n");
  int before = zp_diag_errors(d);
  assert_null(load(bad, d));
  assert_int_equal(zp_diag_errors(d), before + 2);
  zp_diag_free(d);
}

/* The comment directly before an element is kept (white space runs made
 * one space); a blank line, or text, between them cuts it off. */
static void comments_before_elements_are_kept(void **state) {
  (void)state;
  const char *p = put("doc.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "<style name=\"body\"/>\n"
                                 "<body>\n"
                                 "  <!--  单位名称\n"
                                 "        (全称) -->\n"
                                 "  <p>{meta.unit}</p>\n"
                                 "  <!-- far -->\n"
                                 "\n"
                                 "  <p>{meta.a}</p>\n"
                                 "  <p>x<!-- inline --><br/></p>\n"
                                 "  <!---->\n"
                                 "  <p doc=\"d\">{meta.b}</p>\n"
                                 "</body></template>\n");
  zp_diag *d = zp_diag_new(stderr);
  zp_template *t = load(p, d);
  assert_non_null(t);
  const zp_tnode *ps[4];
  int n = 0;
  for (const zp_tnode *c = t->body->child; c; c = c->next)
    if (c->name && n < 4)
      ps[n++] = c;
  assert_int_equal(n, 4);
  assert_string_equal(ps[0]->comment, "单位名称 (全称)");
  assert_null(ps[1]->comment); /* a blank line between */
  const zp_tnode *br = ps[2]->child;
  while (br && !br->name)
    br = br->next;
  assert_non_null(br);
  assert_string_equal(br->comment, "inline");
  assert_null(ps[3]->comment); /* an empty comment */
  assert_string_equal(zp_tmpl_attr(ps[3], "doc"), "d");
  zp_tmpl_free(t);
  zp_diag_free(d);
}

/* A misspelt element inside a <define>: libxml2 says only "Element define
 * has extra content" at its first child; the second look reports the
 * misspelt element itself, and nothing else. */
static void misspelt_element_in_define_is_found(void **state) {
  (void)state;
  const char *p = put("def.xml", "<template xmlns=\"urn:zpgen:template:1\">\n"
                                 "<define name=\"m\">\n"
                                 "  <p>a</p>\n"
                                 "  <section title=\"s\">\n"
                                 "    <tabel><col width=\"1*\"/></tabel>\n"
                                 "  </section>\n"
                                 "</define>\n"
                                 "<define name=\"r\">\n"
                                 "  <row><cell>a</cell><cel>b</cel></row>\n"
                                 "</define>\n"
                                 "<body/></template>\n");
  zp_diag *d = zp_diag_new(NULL);
  assert_null(load(p, d));
  assert_int_equal(zp_diag_errors(d), 2);
  char want[600];
  snprintf(want, sizeof want,
           "%s:5:5: error: Did not expect element tabel there; <section> "
           "allows",
           p);
  assert_true(zp_diag_contains(d, want));
  assert_true(zp_diag_contains(d, "did you mean <table>?"));
  snprintf(want, sizeof want,
           "%s:9:22: error: Did not expect element cel there; <row> allows "
           "<cell>, <use>, <for>, <if>; did you mean <cell>?",
           p);
  assert_true(zp_diag_contains(d, want));
  assert_false(zp_diag_contains(d, "extra content"));
  zp_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(missing_attribute_names_its_element),
      cmocka_unit_test(loads_the_report_template),
      cmocka_unit_test(misspelt_element_names_file_and_line),
      cmocka_unit_test(misspelt_attribute_names_file_and_line),
      cmocka_unit_test(malformed_xml_has_line_and_column),
      cmocka_unit_test(includes_resolve_relative_and_detect_cycles),
      cmocka_unit_test(a_stylesheet_is_not_a_template),
      cmocka_unit_test(leaves_no_global_error_handler),
      cmocka_unit_test(include_cycle_through_another_spelling),
      cmocka_unit_test(entities_are_refused),
      cmocka_unit_test(bad_fixtures),
      cmocka_unit_test(schema_errors_list_what_is_allowed),
      cmocka_unit_test(fields_are_checked_when_loading),
      cmocka_unit_test(fields_are_parsed),
      cmocka_unit_test(big_line_numbers),
      cmocka_unit_test(footnote_settings),
      cmocka_unit_test(comments_before_elements_are_kept),
      cmocka_unit_test(misspelt_element_in_define_is_found),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
