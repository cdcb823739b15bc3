/* test_bind.c — template + data → document tree. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bind.h"

static char dir[256];

static int setup(void **state) {
  (void)state;
  snprintf(dir, sizeof dir, "/tmp/zp-bind-XXXXXX");
  return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state) {
  (void)state;
  char cmd[300];
  snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
  return system(cmd);
}

/* The style sheet every test template starts from. */
static const char sheet[] =
    "<template xmlns=\"urn:zpgen:template:1\">\n"
    "<style name=\"body\" size=\"三号\" first-indent=\"2em\"/>\n"
    "<style name=\"h\" parent=\"body\" font=\"hei\" keep-with-next=\"yes\"/>\n"
    "<style name=\"td\" size=\"五号\"/><style name=\"th\" parent=\"td\"/>"
    "<style name=\"caption\" font=\"hei\"/>\n"
    "<numbering>\n"
    "<level n=\"1\" format=\"cn\" suffix=\"、\" heading-style=\"h\"/>\n"
    "<level n=\"2\" format=\"cn\" prefix=\"（\" suffix=\"）\" "
    "heading-style=\"h\"/>\n"
    "<level n=\"3\" format=\"decimal\" suffix=\".\" heading-style=\"h\"/>\n"
    "<level n=\"4\" format=\"decimal\" prefix=\"（\" suffix=\"）\" "
    "heading-style=\"h\"/>\n"
    "</numbering>\n";

typedef struct result {
  zp_diag *d;
  zp_template *t;
  zp_json_doc *j;
  zp_doc *doc;
} result;

/* Binds "sheet + defs + <body>body</body>" to json; the template's line 1
 * is the sheet's first line. */
static result bind(const char *defs, const char *body, const char *json) {
  char tpath[300], jpath[300];
  snprintf(tpath, sizeof tpath, "%s/t.xml", dir);
  snprintf(jpath, sizeof jpath, "%s/d.json", dir);
  FILE *f = fopen(tpath, "w");
  fprintf(f, "%s%s<body>\n%s\n</body></template>\n", sheet, defs, body);
  fclose(f);
  f = fopen(jpath, "w");
  fputs(json, f);
  fclose(f);
  result r = {0};
  r.d = zp_diag_new(getenv("ZP_DEBUG") ? stderr : NULL);
  /* a static error stops the load (r.t and r.doc NULL): the tests read
   * the diagnostics either way */
  r.t = zp_tmpl_load(tpath, r.d);
  r.j = zp_json_load_file(jpath, r.d);
  if (!r.j) {
    fprintf(stderr, "%s", zp_diag_last(r.d));
    fail();
  }
  r.doc = r.t ? zp_bind(r.t, r.j, r.d) : NULL;
  return r;
}

static void done(result *r) {
  zp_doc_free(r->doc);
  zp_json_free(r->j);
  zp_tmpl_free(r->t);
  zp_diag_free(r->d);
}

/* The texts of the blocks, joined by "|". */
static const char *texts(const zp_doc *doc) {
  static char buf[4096];
  buf[0] = 0;
  for (const zp_block *b = doc->first; b; b = b->next) {
    if (buf[0])
      strcat(buf, "|");
    strcat(buf, b->kind == ZP_BLOCK_PAGE_BREAK ? "<pb>"
                : b->kind == ZP_BLOCK_TABLE    ? "<table>"
                                               : b->text);
  }
  return buf;
}

/* A numbering level's prefix and suffix may come from the data (the
 * bureau's ladder: 1. or 1、), and the line-breaking options and em
 * indents of a style are resolved. */
static void level_suffix_from_data_and_fit_options(void **state) {
  (void)state;
  result r = bind("<numbering><level n=\"1\" format=\"decimal\" "
                  "suffix=\"{m.suffix ?? '.'}\" heading-style=\"h\"/>"
                  "</numbering>\n"
                  "<style name=\"old\" parent=\"body\" fit=\"push-in\" "
                  "bind-units=\"yes\" squeeze-pairs=\"yes\" "
                  "left-indent=\"1em\"/>\n",
                  "<section title=\"甲\"><p style=\"old\">正文</p></section>"
                  "<section title=\"乙\"/>",
                  "{\"m\": {\"suffix\": \"、\"}}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "1、甲|正文|2、乙");
  const zp_style *h = r.doc->first->style, *old = r.doc->first->next->style;
  assert_int_equal(h->fit, ZP_FIT_WORD); /* the default */
  assert_false(h->bind_units);
  assert_false(h->squeeze_pairs);
  assert_true(fabs(h->first_indent_em - 2) < 1e-9);
  assert_true(fabs(h->first_indent - 32) < 1e-9);
  assert_int_equal(old->fit, ZP_FIT_PUSHIN);
  assert_true(old->bind_units && old->squeeze_pairs);
  assert_true(fabs(old->left_indent_em - 1) < 1e-9);
  done(&r);
  /* without the member, the default after ?? */
  r = bind("<numbering><level n=\"1\" format=\"decimal\" "
           "suffix=\"{m.suffix ?? '.'}\" heading-style=\"h\"/></numbering>",
           "<section title=\"甲\"/>", "{\"m\": {}}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "1.甲");
  done(&r);
}

static void numbering_ladder_and_shared_counters(void **state) {
  (void)state;
  result r =
      bind("",
           "<section title=\"基本情况\">\n"
           "  <section title=\"{s}\">\n"
           "    <for each=\"items\" as=\"i\"><item>{i}</item></for>\n"
           "    <section title=\"职能转变\"><item>甲</item><item>乙</item>"
           "</section>\n"
           "  </section>\n"
           "  <section title=\"收支\"/>\n"
           "</section>\n"
           "<section title=\"综合评价\"><section title=\"结论\"/></section>",
           "{\"s\": \"部门职能\", \"items\": [\"统筹\", \"推动\"]}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc),
                      "一、基本情况|（一）部门职能|1.统筹|2.推动|3.职能转变|"
                      "（1）甲|（2）乙|（二）收支|二、综合评价|（一）结论");
  const zp_block *h = r.doc->first;
  assert_int_equal(h->kind, ZP_BLOCK_HEADING);
  assert_int_equal(h->level, 1);
  assert_true(h->outline);
  assert_int_equal(h->style->first_indent, 32); /* 2em of 三号, inherited */
  assert_true(h->style->keep_with_next);
  done(&r);
}

static void fields_formatters_loops_and_conditions(void **state) {
  (void)state;
  result r = bind(
      "",
      "<p>预算{b.total|money}万元，完成{b.rate|percent}，{b.n|int}项，"
      "{b.y|cn-digits}年第{b.k|cn}期，{b.d|date}。</p>\n"
      "<p><for each=\"b.src\" as=\"s\" sep=\"，\">{s.name}{s.v|money:1}</for>"
      "。</p>\n"
      "<p>{b.none ?? '无'}{b.none?}{{x}}</p>\n"
      "<if test=\"b.src\"><p>有</p><else/><p>没有</p></if>\n"
      "<if test=\"b.empty\"><p>有</p><else/><p>没有</p></if>\n"
      "<if test=\"b.none\" not=\"yes\"><p>缺</p></if>",
      "{\"b\": {\"total\": 18335.556, \"rate\": 99.66, \"n\": 12.0, "
      "\"y\": 2023, \"k\": 12, \"d\": \"2024-03-01\", \"empty\": [], "
      "\"src\": [{\"name\": \"一般\", \"v\": 1.25}, {\"name\": \"基金\", "
      "\"v\": 16}]}}");
  assert_non_null(r.doc);
  assert_string_equal(
      texts(r.doc), "预算18,335.56万元，完成99.66%，12项，二〇二三年第十二期，"
                    "2024年3月1日。|一般1.3，基金16.0。|无{x}|有|没有|缺");
  assert_int_equal(r.doc->first->data_loc.line, 1);
  done(&r);
}

/* The formatters' arguments and ranges, through the binder. */
static void formatter_arguments_and_ranges(void **state) {
  (void)state;
  result r = bind("",
                  "<p>{x.big|int:,}|{x.big|int}|{x.big|money:0}|"
                  "{x.r|percent:1}|{x.half|money}</p>",
                  "{\"x\": {\"big\": 1234567.5, \"r\": 99.95, "
                  "\"half\": 2.675}}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "1,234,568|1234568|1,234,568|100.0%|2.68");
  done(&r);
  r = bind("", "<p>{x.k|cn}</p>\n<p>{x.y|cn-digits}</p>",
           "{\"x\": {\"k\": 2.5, \"y\": -3}}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: wrong type of data "
                                    "$.x.k for {x.k}"));
  assert_true(zp_diag_contains(r.d, "expected a number |cn can write (an "
                                    "integer 0…99999)"));
  assert_true(zp_diag_contains(r.d, "t.xml:13: error: wrong type of data "
                                    "$.x.y for {x.y}"));
  done(&r);
}

static void macros_recurse(void **state) {
  (void)state;
  result r = bind("<define name=\"sec\"><section title=\"{s.title}\">"
                  "<if test=\"s.sections\"><for each=\"s.sections\" as=\"x\">"
                  "<use name=\"sec\" s=\"x\"/></for></if></section></define>\n",
                  "<use name=\"sec\" s=\"root\"/>",
                  "{\"root\": {\"title\": \"甲\", \"sections\": [{\"title\": "
                  "\"乙\", \"sections\": [{\"title\": \"丙\"}]}, {\"title\": "
                  "\"丁\"}]}}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "一、甲|（一）乙|1.丙|（二）丁");
  done(&r);
}

static void missing_field_names_everything(void **state) {
  (void)state;
  result r = bind("", "<p>完成{budget.rate|percent}</p>",
                  "{\n  \"budget\": {\n    \"total\": 1\n  }\n}");
  assert_null(r.doc);
  /* template file:line, JSON path, data line:col, what was expected */
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: missing data "
                                    "$.budget.rate for {budget.rate}"));
  assert_true(zp_diag_contains(r.d, "d.json:2:13: this object has no member "
                                    "\"rate\"; expected a number for "
                                    "|percent"));
  done(&r);
}

static void wrong_types_are_errors(void **state) {
  (void)state;
  result r = bind("",
                  "<p>{a.total|money}</p>\n"
                  "<for each=\"a\" as=\"x\"><p>{x}</p></for>\n"
                  "<p>{a}</p>",
                  "{\"a\": {\"total\": \"1,50.42\"}}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: wrong type of data "
                                    "$.a.total for {a.total}: "));
  assert_true(zp_diag_contains(r.d, "a string; expected a number for |money"));
  assert_true(zp_diag_contains(r.d, "t.xml:14: error: wrong type of data $.a "
                                    "for {a}"));
  assert_true(zp_diag_contains(r.d, "expected an array for <for each>"));
  assert_true(zp_diag_contains(r.d, "t.xml:13: error: wrong type of data $.a "
                                    "for {a}: "));
  assert_true(zp_diag_contains(r.d, "an object; expected an array"));
  done(&r);
}

static void styles_errors(void **state) {
  (void)state;
  result r = bind("<style name=\"loop1\" parent=\"loop2\"/>"
                  "<style name=\"loop2\" parent=\"loop1\"/>\n",
                  "<p style=\"loop1\">x</p><p style=\"nosuch\">y</p>", "{}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "inherits from itself"));
  assert_true(zp_diag_contains(r.d, "unknown style \"nosuch\""));
  done(&r);
  /* unknown names are template errors whatever the data: also in a loop
   * that never runs and a branch never taken, each reported once */
  r = bind("<style name=\"orphan\" parent=\"nobody\"/>\n",
           "<for each=\"none\" as=\"x\"><p style=\"gone\">{x}</p></for>\n"
           "<if test=\"none\"><section title=\"t\" style=\"lost\"/></if>\n"
           "<p style=\"orphan\">y</p>",
           "{\"none\": []}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:11: error: unknown style "
                                    "\"nobody\" (parent of <style>)"));
  assert_true(zp_diag_contains(r.d, "t.xml:13: error: unknown style \"gone\" "
                                    "(style of <p>)"));
  assert_true(zp_diag_contains(r.d, "t.xml:14: error: unknown style \"lost\" "
                                    "(style of <section>)"));
  assert_int_equal(zp_diag_errors(r.d), 3);
  done(&r);
}

static void tables_merge_cells_from_the_data(void **state) {
  (void)state;
  result r = bind(
      "",
      "<table caption=\"{cap}\" number=\"yes\" continued=\"（续）\">"
      "<col width=\"20mm\" align=\"center\"/><col width=\"2*\"/>"
      "<col width=\"fit\" min=\"10mm\" align=\"right\"/>"
      "<head><row><cell>一级</cell><cell>二级</cell><cell>分</cell></row>"
      "</head>"
      "<for each=\"rows\" as=\"a\"><for each=\"a.c\" as=\"b\"><row>"
      "<cell span=\"a\">{a.n}</cell><cell span=\"blank\">{b.n}</cell>"
      "<cell>{b.s|num}</cell></row></for></for></table>",
      "{\"cap\": \"评分表\", \"rows\": [{\"n\": \"甲\", \"c\": [{\"n\": \"x\","
      " \"s\": 1}, {\"n\": \"\", \"s\": 2}, {\"n\": \"y\", \"s\": 3}]}, "
      "{\"n\": \"乙\", \"c\": [{\"n\": \"z\", \"s\": 4}]}]}");
  assert_non_null(r.doc);
  const zp_table *t = r.doc->first->table;
  assert_non_null(t);
  assert_string_equal(t->caption, "表1：评分表");
  assert_string_equal(t->continued, "（续）");
  assert_int_equal(t->ncols, 3);
  assert_int_equal(t->cols[0].kind, ZP_COL_FIXED);
  assert_int_equal(t->cols[1].kind, ZP_COL_PROPORTIONAL);
  assert_int_equal(t->cols[2].kind, ZP_COL_FIT);
  assert_int_equal(t->header_rows, 1);
  assert_int_equal(t->nrows, 5);
  /* 甲 spans its three rows; the blank name merges into x above */
  assert_string_equal(t->rows[1].cells[0].text, "甲");
  assert_int_equal(t->rows[1].cells[0].rowspan, 3);
  assert_int_equal(t->rows[1].cells[1].rowspan, 2);
  assert_int_equal(t->rows[2].ncells, 1);
  assert_int_equal(t->rows[2].cells[0].col, 2);
  assert_string_equal(t->rows[2].cells[0].text, "2");
  assert_int_equal(t->rows[3].ncells, 2); /* y, 3 */
  assert_int_equal(t->rows[3].cells[0].col, 1);
  assert_string_equal(t->rows[4].cells[0].text, "乙");
  assert_int_equal(t->rows[4].cells[0].rowspan, 1);
  done(&r);
}

static void checks_pass_and_fail(void **state) {
  (void)state;
  static const char defs[] =
      "<grades><band min=\"90\" label=\"优\"/><band min=\"80\" label=\"良\"/>"
      "<band min=\"60\" label=\"中\"/><band min=\"0\" "
      "label=\"差\"/></grades>\n";
  static const char body[] =
      "<check value=\"rate\" equals=\"ratio(exe, bud)\" rule=\"完成率\"/>\n"
      "<check value=\"total\" equals=\"sum(parts[*].v)\" rule=\"合计\"/>\n"
      "<check value=\"score\" max=\"weight\" rule=\"得分不超过分值\"/>\n"
      "<check value=\"score\" min=\"0\" rule=\"得分不为负\"/>\n"
      "<check value=\"grade\" grade=\"score\" rule=\"等级\"/>\n"
      "<check value=\"none\" equals=\"1\" rule=\"跳过\"/>";
  /* all consistent: 63.4711… rounds to the stated 63.47 */
  result r = bind(defs, body,
                  "{\"rate\": 63.47, \"exe\": 22295.25, \"bud\": 35126.07, "
                  "\"total\": 6, \"parts\": [{\"v\": 1}, {\"v\": 5}, "
                  "{\"v\": null}], \"score\": 89.99, \"weight\": 100, "
                  "\"grade\": \"良\", \"none\": null}");
  assert_non_null(r.doc);
  assert_int_equal(zp_diag_errors(r.d), 0);
  done(&r);
  /* every rule broken */
  r = bind(defs, body,
           "{\"rate\": 63.48, \"exe\": 22295.25, \"bud\": 35126.07, "
           "\"total\": 7, \"parts\": [{\"v\": 1}, {\"v\": 5}], "
           "\"score\": 101, \"weight\": 100, \"grade\": \"良\"}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "d.json:1:10: error: $.rate: stated "
                                    "63.48, computed 63.47; rule: 完成率"));
  assert_true(zp_diag_contains(r.d, "$.total: stated 7, computed 6; rule: "
                                    "合计"));
  assert_true(zp_diag_contains(r.d, "$.score: stated 101, more than the "
                                    "maximum 100; rule: 得分不超过分值"));
  assert_true(zp_diag_contains(r.d, "$.grade: stated 良, the bands give 优"));
  assert_int_equal(zp_diag_errors(r.d), 4);
  done(&r);
  r = bind(defs, body,
           "{\"rate\": 63.47, \"exe\": 22295.25, \"bud\": 35126.07, "
           "\"total\": 6, \"parts\": [{\"v\": 6}], \"score\": -1, "
           "\"weight\": 100, \"grade\": \"差\"}");
  assert_true(zp_diag_contains(r.d, "$.score: stated -1, less than the "
                                    "minimum 0; rule: 得分不为负"));
  assert_int_equal(zp_diag_errors(r.d), 1);
  done(&r);
}

static void checks_round_half_up_to_the_stated_places(void **state) {
  (void)state;
  /* 1 ÷ 8 = 12.5 %: stated to 0 places it is 13, not 12 */
  result r =
      bind("", "<check value=\"r\" equals=\"ratio(1, 8)\"/>", "{\"r\": 13}");
  assert_int_equal(zp_diag_errors(r.d), 0);
  done(&r);
  r = bind("", "<check value=\"r\" equals=\"ratio(1, 8)\"/>", "{\"r\": 12}");
  assert_int_equal(zp_diag_errors(r.d), 1);
  done(&r);
  /* 0.125 to 2 places is 0.13 */
  r = bind("", "<check value=\"r\" equals=\"1 / 8\"/>", "{\"r\": 0.13}");
  assert_int_equal(zp_diag_errors(r.d), 0);
  done(&r);
  r = bind("", "<check value=\"r\" equals=\"1 / 8\" places=\"3\"/>",
           "{\"r\": 0.13}");
  assert_int_equal(zp_diag_errors(r.d), 1);
  done(&r);
}

static void broken_digit_grouping(void **state) {
  (void)state;
  /* only strings the template prints, each once however often */
  result r = bind("",
                  "<p><for each=\"ok\" as=\"x\">{x}</for>{bad1}{bad2}{bad3}"
                  "{bad1}{=bad2}</p>",
                  "{\"ok\": [\"18,335.56\", \"234,060,587.05\", \"1,000\", "
                  "\"共1,582.43万元，\", \"1，2\", \"rows 1, 3, 6, 7\"], "
                  "\"bad1\": \"1,50.42\", \"bad2\": "
                  "\"944,9330\", \"bad3\": \"约12,34万元\", \"unprinted\": "
                  "\"1,50.42\"}");
  assert_true(zp_diag_contains(r.d, "$.bad1: \"1,50.42\" has broken digit "
                                    "grouping"));
  assert_true(zp_diag_contains(r.d, "$.bad2: \"944,9330\""));
  assert_true(zp_diag_contains(r.d, "warning: $.bad3: \"12,34\""));
  assert_false(zp_diag_contains(r.d, "unprinted"));
  assert_int_equal(zp_diag_errors(r.d), 2); /* whole numbers: errors */
  assert_int_equal(zp_diag_warnings(r.d), 1);
  done(&r);
}

static void computed_fields(void **state) {
  (void)state;
  result r = bind("<grades><band min=\"90\" label=\"优\"/>"
                  "<band min=\"0\" label=\"差\"/></grades>\n",
                  "<p>{=sum(s[*].v)}|{=sum(s[*].v)|money}|{=ratio(a, b)|"
                  "percent:2}|{=grade(sum(s[*].v))}|{=a / 3}</p>",
                  "{\"s\": [{\"v\": 45.5}, {\"v\": 45.81}], \"a\": 22295.25, "
                  "\"b\": 35126.07}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "91.31|91.31|63.47%|优|7431.75");
  done(&r);
}

/* Each field's error names the line the field is on, also inside a
 * paragraph written over several lines, and a first name that is neither
 * data nor a variable is called out. */
static void errors_name_the_fields_own_line(void **state) {
  (void)state;
  result r = bind("",
                  "<p>第一行\n"      /* line 12 */
                  "   第二行{a.x}\n" /* 13 */
                  "   第三行<for each=\"l\" as=\"i\">{i}</for>{a.y|money}\n"
                  "   {g.title}</p>", /* 15 */
                  "{\"a\": {\"x\": \"1\"}, \"l\": [1]}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:14: error: missing data $.a.y "
                                    "for {a.y}"));
  assert_true(zp_diag_contains(r.d, "t.xml:15: error: missing data $.g for "
                                    "{g.title}"));
  assert_true(zp_diag_contains(r.d, "no enclosing <for as> or macro "
                                    "parameter is named \"g\""));
  done(&r);
  /* the text joins the lines without spaces */
  r = bind("",
           "<p>全年预算数{a.x}万元，\n"
           "      执行数{a.x}万元。</p>",
           "{\"a\": {\"x\": \"1\"}}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "全年预算数1万元，执行数1万元。");
  done(&r);
}

/* The report template with official.xml: page, grid pitches, folio, roles,
 * info, styles resolved through inheritance. */
static void official_sheet_resolves(void **state) {
  (void)state;
  const char *root = getenv("ZP_ROOT") ? getenv("ZP_ROOT") : ".";
  char tpath[600], jpath[300];
  snprintf(tpath, sizeof tpath, "%s/t2.xml", dir);
  snprintf(jpath, sizeof jpath, "%s/d2.json", dir);
  FILE *f = fopen(tpath, "w");
  assert_non_null(f);
  fprintf(f,
          "<template xmlns=\"urn:zpgen:template:1\">\n"
          "<include href=\"%s/templates/official.xml\"/>\n"
          "<info title=\"{m.title}\" author=\"{m.dept}\" "
          "subject=\"{m.year}年度报告\" date=\"{m.date?}\"/>\n"
          "<body><p style=\"title\">{m.title}</p>\n"
          "<section title=\"基本情况\"><p>正文</p></section></body>\n"
          "</template>\n",
          root);
  fclose(f);
  f = fopen(jpath, "w");
  fputs("{\"m\": {\"title\": \"报告\", \"dept\": \"某局\", \"year\": 2023}}",
        f);
  fclose(f);
  zp_diag *d = zp_diag_new(stderr);
  zp_template *t = zp_tmpl_load(tpath, d);
  assert_non_null(t);
  zp_json_doc *j = zp_json_load_file(jpath, d);
  assert_non_null(j);
  zp_doc *doc = zp_bind(t, j, d);
  assert_non_null(doc);
  const double mm = 72.0 / 25.4;
  assert_true(fabs(doc->page.width - 210 * mm) < 0.01);
  assert_true(fabs(doc->page.height - 297 * mm) < 0.01);
  assert_true(fabs(doc->page.margin_top - 37 * mm) < 0.01);
  assert_true(fabs(doc->page.margin_left - 28 * mm) < 0.01);
  assert_int_equal(doc->page.grid_lines, 22);
  assert_int_equal(doc->page.grid_chars, 28);
  assert_true(fabs(doc->page.line_pitch - 225 * mm / 22) < 0.01);
  assert_true(fabs(doc->page.char_pitch - 156 * mm / 28) < 0.01);
  assert_int_equal(doc->folio.pos, ZP_FOLIO_OUTER);
  assert_string_equal(doc->folio.format, "— {n} —");
  assert_string_equal(doc->folio.role, "song");
  assert_true(fabs(doc->folio.size - 14) < 1e-9);
  assert_true(fabs(doc->folio.below - 7 * mm) < 0.01);
  assert_true(fabs(doc->folio.indent - 14) < 1e-9); /* 1em of 四号 */
  assert_true(doc->folio.first_page);
  assert_string_equal(doc->title, "报告");
  assert_string_equal(doc->author, "某局");
  assert_string_equal(doc->subject, "2023年度报告");
  assert_null(doc->date); /* {m.date?} absent: unset */
  assert_non_null(doc->roles);
  int nroles = 0;
  for (const zp_doc_role *r = doc->roles; r->name; r++)
    nroles++;
  assert_int_equal(nroles, 5);
  /* title: 二号, centred, bold, from base: 仿宋's grid pitch, justify */
  const zp_block *title = doc->first;
  assert_string_equal(title->style->name, "title");
  assert_string_equal(title->style->role, "title");
  assert_true(fabs(title->style->size - 22) < 1e-9);
  assert_int_equal(title->style->align, ZP_ALIGN_CENTER);
  assert_true(title->style->bold && title->style->balance);
  assert_true(fabs(title->style->space_after - 225 * mm / 22) < 0.01);
  const zp_block *h = title->next;
  assert_int_equal(h->kind, ZP_BLOCK_HEADING);
  assert_string_equal(h->text, "一、基本情况");
  assert_true(h->outline);
  assert_string_equal(h->style->role, "hei");
  assert_true(h->style->grid);
  assert_true(h->style->keep_with_next);
  const zp_block *body = h->next;
  assert_string_equal(body->style->name, "body");
  assert_string_equal(body->style->role, "fangsong");
  assert_true(fabs(body->style->first_indent - 32) < 1e-9); /* 2em 三号 */
  assert_int_equal(body->style->align, ZP_ALIGN_JUSTIFY);
  assert_int_equal(body->style->rules, ZP_BREAK_BASIC);
  zp_doc_free(doc);
  zp_json_free(j);
  zp_tmpl_free(t);
  zp_diag_free(d);
}

/* The fixtures in tests/bad/ that load but do not bind. */
static void bad_fixtures_bind(void **state) {
  (void)state;
  const char *root = getenv("ZP_ROOT") ? getenv("ZP_ROOT") : ".";
  static const struct {
    const char *file, *want;
  } cases[] = {
      {"unknown-style.xml", "unknown-style.xml:5: error: unknown style "
                            "\"titel\" (style of <p>)"},
      {"style-cycle.xml", "style-cycle.xml:4: error: style \"a\" inherits "
                          "from itself"},
      {"loop-variable-outside.xml",
       "loop-variable-outside.xml:8: error: missing data $.s for {s.title}: "
       "data.json:1:1: this object has no member \"s\", and no enclosing "
       "<for as> or macro parameter is named \"s\"; expected a string or a "
       "number"},
  };
  static const char json[] =
      "{\"meta\": {\"title\": \"标题\"}, "
      "\"basic\": {\"sections\": [{\"title\": \"概况\"}]}}";
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    char path[600];
    snprintf(path, sizeof path, "%s/tests/bad/%s", root, cases[i].file);
    zp_diag *d = zp_diag_new(NULL);
    zp_template *t = zp_tmpl_load(path, d);
    zp_json_doc *j = zp_json_parse(json, strlen(json), "data.json", d);
    assert_non_null(j);
    zp_doc *doc = t ? zp_bind(t, j, d) : NULL; /* static errors: at load */
    if (doc || !zp_diag_contains(d, cases[i].want))
      fail_msg("%s: wanted \"%s\", got \"%s\"", cases[i].file, cases[i].want,
               zp_diag_last(d));
    zp_json_free(j);
    zp_tmpl_free(t);
    zp_diag_free(d);
  }
}

/* The compiled template: every static error is found at load, once,
 * whatever the data (in a loop that never runs, a macro never used), and
 * one template binds many data files. */
static void static_errors_at_load(void **state) {
  (void)state;
  result r = bind("<define name=\"unused\"><p>{=ratio(a, }</p></define>\n",
                  "<for each=\"none\" as=\"x\">\n"
                  "  <use name=\"nomacro\"/>\n"
                  "  <p>{=frob(x)}</p>\n"
                  "  <check value=\"x\" equals=\"1 +\"/>\n"
                  "  <check value=\"x\" grade=\"x\"/>\n"
                  "  <table><col width=\"2x\"/><row><cell>a</cell></row>"
                  "</table>\n"
                  "</for>",
                  "{\"none\": []}");
  assert_null(r.t);
  assert_true(zp_diag_contains(r.d, "t.xml:11: error: cannot compute "
                                    "{=ratio(a,}: an expression ends too "
                                    "soon"));
  assert_true(
      zp_diag_contains(r.d, "t.xml:14: error: no <define name=\"nomacro\">"));
  assert_true(zp_diag_contains(r.d, "t.xml:15: error: cannot compute "
                                    "{=frob(x)}: unknown function \"frob\""));
  assert_true(zp_diag_contains(r.d, "t.xml:16: error: cannot compute {=1 +}"));
  assert_true(zp_diag_contains(r.d, "t.xml:17: error: cannot compute "
                                    "{=grade(x)}: grade() needs <grades>"));
  assert_true(zp_diag_contains(r.d, "t.xml:18: error: width=\"2x\" is not a "
                                    "length"));
  assert_int_equal(zp_diag_errors(r.d), 6);
  done(&r);
  /* values the data decides (a zero denominator) are left to the binder */
  r = bind("", "<p>{=ratio(a, b)|percent:1}</p>", "{\"a\": 1, \"b\": 4}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "25.0%");
  /* the same compiled template, bound again to other data */
  zp_json_doc *j2 = zp_json_parse("{\"a\": 1, \"b\": 0}", 16, "e.json", r.d);
  assert_non_null(j2);
  assert_null(zp_bind(r.t, j2, r.d));
  assert_true(zp_diag_contains(r.d, "ratio() of a zero denominator"));
  zp_json_doc *j3 = zp_json_parse("{\"a\": 3, \"b\": 4}", 16, "f.json", r.d);
  zp_doc *doc3 = zp_bind(r.t, j3, r.d);
  assert_non_null(doc3);
  assert_string_equal(texts(doc3), "75.0%");
  zp_doc_free(doc3);
  zp_json_free(j3);
  zp_json_free(j2);
  done(&r);
}

/* The expression language in <if test>, fields and checks: comparisons,
 * logic, strings, count(), len(), lookups by computed key or index, the
 * conditional value; a bare path keeps meaning "exists and not empty". */
static void expressions_in_tests_fields_and_checks(void **state) {
  (void)state;
  result r = bind(
      "",
      "<for each=\"blocks\" as=\"b\">"
      "<if test=\"b.level == 1\"><p>{b.name}</p><else/>"
      "<p style=\"h\">{b.name}：{=tables[b.table].rows}行</p></if></for>\n"
      "<p>{=count(ind[*].met)}/{=len(ind)}项达标，"
      "{=count(ind[*].met) == len(ind) ? '全部' : '部分'}</p>\n"
      "<if test=\"note\"><p>有注</p><else/><p>无注</p></if>\n"
      "<if test=\"not note and len(ind) > 2 and who != '乙'\"><p>多</p></if>\n"
      "<p>{=ind[len(ind) - 1].name}{=sum(ind[*].nothing)}</p>\n"
      "<check value=\"met\" equals=\"count(ind[*].met)\" rule=\"met\"/>",
      "{\"blocks\": [{\"level\": 1, \"name\": \"甲\"}, {\"level\": 2, "
      "\"name\": \"乙\", \"table\": \"t2\"}], \"tables\": {\"t2\": "
      "{\"rows\": 5}}, \"ind\": [{\"met\": true, \"name\": \"x\"}, "
      "{\"met\": false, \"name\": \"y\"}, {\"met\": true, \"name\": "
      "\"z\"}], \"note\": \"\", \"who\": \"甲\", \"met\": 3}");
  assert_null(r.doc); /* the check: stated 3, computed 2 */
  assert_true(zp_diag_contains(r.d, "$.met: stated 3, computed 2; rule: met"));
  assert_int_equal(zp_diag_errors(r.d), 1);
  done(&r);
  r = bind("",
           "<for each=\"blocks\" as=\"b\">"
           "<if test=\"b.level == 1\"><p>{b.name}</p><else/>"
           "<p style=\"h\">{b.name}：{=tables[b.table].rows}行</p></if>"
           "</for>\n"
           "<p>{=count(ind[*].met)}/{=len(ind)}项达标，"
           "{=count(ind[*].met) == len(ind) ? '全部' : '部分'}</p>\n"
           "<if test=\"note\"><p>有注</p><else/><p>无注</p></if>\n"
           "<if test=\"not note and len(ind) > 2 and who != '乙'\"><p>多</p>"
           "</if>\n"
           "<p>{=ind[len(ind) - 1].name}{=sum(ind[*].nothing)}</p>",
           "{\"blocks\": [{\"level\": 1, \"name\": \"甲\"}, {\"level\": "
           "2, \"name\": \"乙\", \"table\": \"t2\"}], \"tables\": "
           "{\"t2\": {\"rows\": 5}}, \"ind\": [{\"met\": true, \"name\": "
           "\"x\"}, {\"met\": false, \"name\": \"y\"}, {\"met\": true, "
           "\"name\": \"z\"}], \"note\": \"\", \"who\": \"甲\"}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc), "甲|乙：5行|2/3项达标，部分|无注|多|z0");
  assert_string_equal(r.doc->first->next->style->name, "h");
  done(&r);
  /* errors: at load for what the text shows, at bind for what the data
   * decides, each at the template's line */
  r = bind("", "<if test=\"a = 1\"><p>x</p></if>\n<p>{='a' * 2}</p>", "{}");
  assert_null(r.t);
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: <if test=\"a = 1\">: "
                                    "\"=\" is not an operator: compare with "
                                    "\"==\""));
  assert_true(zp_diag_contains(r.d, "t.xml:13: error: cannot compute "
                                    "{='a' * 2}: \"*\" takes numbers, not a "
                                    "string"));
  done(&r);
  r = bind("", "<if test=\"x.n > 1\"><p>x</p></if>\n<p>{=x.n == 1}</p>",
           "{\"x\": {}}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: cannot compute "
                                    "{=x.n > 1}: the data has no x.n "));
  assert_true(zp_diag_contains(r.d, "t.xml:13: error: {=x.n == 1} is a "
                                    "condition (true or false)"));
  done(&r);
}

/* Semantics fixed in template language v2: a span covers every row one
 * iteration makes, from any of its <row>s (效益指标 from two <row>s); a
 * sum over members all absent is 0. */
static void spans_cover_an_iterations_rows(void **state) {
  (void)state;
  result r =
      bind("",
           "<table><col width=\"1*\"/><col width=\"1*\"/>"
           "<for each=\"g\" as=\"a\">"
           "<row><cell span=\"a\">{a.name}</cell><cell>{a.x}</cell></row>"
           "<if test=\"a.y\"><row><cell span=\"a\">{a.name}</cell>"
           "<cell>{a.y}</cell></row></if>"
           "<for each=\"a.more\" as=\"m\"><row><cell span=\"a\">{a.name}</cell>"
           "<cell>{m}</cell></row></for>"
           "</for></table>\n"
           "<p>{=sum(g[*].none)}</p>",
           "{\"g\": [{\"name\": \"效益指标\", \"x\": \"甲\", \"y\": \"乙\", "
           "\"more\": [\"丙\"]}, {\"name\": \"满意度\", \"x\": \"丁\", "
           "\"more\": []}]}");
  assert_non_null(r.doc);
  const zp_table *t = r.doc->first->table;
  assert_int_equal(t->nrows, 4);
  assert_int_equal(t->rows[0].ncells, 2);
  assert_string_equal(t->rows[0].cells[0].text, "效益指标");
  assert_int_equal(t->rows[0].cells[0].rowspan, 3); /* three <row>s */
  assert_int_equal(t->rows[1].ncells, 1);
  assert_int_equal(t->rows[2].ncells, 1);
  assert_string_equal(t->rows[3].cells[0].text, "满意度");
  assert_int_equal(t->rows[3].cells[0].rowspan, 1);
  assert_string_equal(r.doc->first->next->text, "0");
  done(&r);
}

/* One message per template site, however many iterations hit it: the
 * first iteration's, with the count of the others; findings of two checks
 * on one figure stay two. */
static void one_message_per_site(void **state) {
  (void)state;
  result r = bind("",
                  "<for each=\"xs\" as=\"x\"><p>{x.nmae}</p></for>\n"
                  "<check value=\"t\" equals=\"1\" rule=\"a\"/>"
                  "<check value=\"t\" equals=\"2\" rule=\"b\"/>",
                  "{\"xs\": [{\"name\": 1}, {\"name\": 2}, {\"name\": 3}, "
                  "{\"name\": 4}, {\"name\": 5}, {\"name\": 6}, {\"name\": "
                  "7}], \"t\": 3}");
  assert_null(r.doc);
  assert_int_equal(zp_diag_errors(r.d), 3);
  assert_true(zp_diag_contains(
      r.d, "t.xml:12: error: missing data $.xs[0].nmae for {x.nmae}: "));
  assert_true(zp_diag_contains(r.d, "this object has no member \"nmae\"; "
                                    "expected a string or a number; did you "
                                    "mean \"name\"? (and 6 more "
                                    "iterations)"));
  assert_true(zp_diag_contains(r.d, "rule: a ("));
  assert_true(zp_diag_contains(r.d, "rule: b ("));
  done(&r);
}

/* Macros of inline content (in paragraphs and cells), of rows and of
 * cells; a <use> where its macro's content does not belong is an error
 * at load. */
static void inline_row_and_cell_macros(void **state) {
  (void)state;
  result r = bind(
      "<define name=\"amount\">{v.amount|money}万元</define>\n"
      "<define name=\"pair\"><cell>{p.name}</cell><cell><use name=\"amount\" "
      "v=\"p\"/></cell></define>\n"
      "<define name=\"lines\"><for each=\"xs\" as=\"p\"><row>"
      "<use name=\"pair\" p=\"p\"/></row></for></define>\n",
      "<p>合计<use name=\"amount\" v=\"total\"/>。</p>\n"
      "<table><col width=\"1*\"/><col width=\"1*\"/>"
      "<use name=\"lines\"/></table>",
      "{\"total\": {\"amount\": 1234.5}, \"xs\": [{\"name\": \"甲\", "
      "\"amount\": 1}, {\"name\": \"乙\", \"amount\": 2.5}]}");
  assert_non_null(r.doc);
  assert_string_equal(r.doc->first->text, "合计1,234.50万元。");
  const zp_table *t = r.doc->first->next->table;
  assert_int_equal(t->nrows, 2);
  assert_string_equal(t->rows[1].cells[0].text, "乙");
  assert_string_equal(t->rows[1].cells[1].text, "2.50万元");
  done(&r);
  r = bind("<define name=\"para\"><p>x</p></define>\n"
           "<define name=\"word\">字</define>\n",
           "<p>a<use name=\"para\"/></p>\n"
           "<use name=\"word\"/>\n"
           "<table><col width=\"1*\"/><row><use name=\"para\"/></row></table>",
           "{}");
  assert_null(r.t);
  assert_true(zp_diag_contains(r.d, "t.xml:14: error: <use name=\"para\"> "
                                    "stands in text, but <define "
                                    "name=\"para\"> ("));
  assert_true(zp_diag_contains(r.d, "t.xml:15: error: <use name=\"word\"> "
                                    "stands among blocks, but"));
  assert_true(zp_diag_contains(r.d, "stands among cells, but <define "
                                    "name=\"para\">"));
  assert_int_equal(zp_diag_errors(r.d), 3);
  done(&r);
}

/* An <if> inside a table yields the rows of its branch, each once. */
static void table_if_rows(void **state) {
  (void)state;
  result r = bind("",
                  "<table><col width=\"1*\"/>"
                  "<if test=\"yes\"><row><cell>甲</cell></row>"
                  "<row><cell>乙</cell></row><else/><row><cell>丙</cell></row>"
                  "</if><if test=\"no\"><row><cell>丁</cell></row><else/>"
                  "<row><cell>戊</cell></row><row><cell>己</cell></row></if>"
                  "</table>",
                  "{\"yes\": true, \"no\": false}");
  assert_non_null(r.doc);
  const zp_table *t = r.doc->first->table;
  assert_int_equal(t->nrows, 4);
  const char *want[] = {"甲", "乙", "戊", "己"};
  for (int i = 0; i < 4; i++)
    assert_string_equal(t->rows[i].cells[0].text, want[i]);
  done(&r);
}

/* Review findings: computed percents default to 2 decimals; "?" covers
 * null; an unnumbered section restarts the numbering below it. */
static void optional_null_and_unnumbered_sections(void **state) {
  (void)state;
  result r = bind("",
                  "<p>{=ratio(a, b)|percent}|{n?|money}|{n ?? '无'}</p>\n"
                  "<section title=\"甲\"><item>一</item><item>二</item>"
                  "</section>\n"
                  "<section title=\"附\" number=\"no\"><item>三</item>"
                  "</section>",
                  "{\"a\": 22295.25, \"b\": 35126.07, \"n\": null}");
  assert_non_null(r.doc);
  assert_string_equal(texts(r.doc),
                      "63.47%||无|一、甲|（一）一|（二）二|附|（一）三");
  done(&r);
}

/* Review findings: runaway macros stop; non-finite or huge computed values
 * are errors; max/min compare with the exact bound; a stated number with
 * an exponent or too many decimals; merged cells only over adjacent rows. */
static void review_findings(void **state) {
  (void)state;
  result r = bind("<define name=\"m\"><use name=\"m\"/><use name=\"m\"/>"
                  "</define>\n",
                  "<use name=\"m\"/>", "{}");
  assert_null(r.doc);
  assert_true(zp_diag_errors(r.d) < 5); /* stops, not 2^32 messages */
  assert_true(zp_diag_contains(r.d, "call itself without end"));
  done(&r);
  r = bind("", "<p>{=h * h}</p>", "{\"h\": 1e200}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "not a finite number"));
  done(&r);
  r = bind("",
           "<check value=\"s\" max=\"w\" rule=\"max\"/>"
           "<check value=\"t\" min=\"u\" rule=\"min\"/>"
           "<check value=\"e\" equals=\"100\" rule=\"e\"/>",
           "{\"s\": 15, \"w\": 14.5, \"t\": 0, \"u\": 0.4, \"e\": 1e2}");
  assert_true(zp_diag_contains(r.d, "$.s: stated 15, more than the maximum "
                                    "14.5"));
  assert_true(zp_diag_contains(r.d, "$.t: stated 0, less than the minimum "
                                    "0.4"));
  assert_int_equal(zp_diag_errors(r.d), 2); /* 1e2 equals 100 */
  done(&r);
  r = bind("", "<check value=\"x\" equals=\"1\"/>",
           "{\"x\": 63.4691822880000}");
  assert_true(zp_diag_contains(r.d, "at most 12 decimals"));
  done(&r);
  r = bind("",
           "<table><col width=\"1*\"/><col width=\"1*\"/>"
           "<for each=\"xs\" as=\"a\"><for each=\"a.k\" as=\"k\">"
           "<row><cell span=\"a\">{a.n}</cell><cell>{k}</cell></row>"
           "<row><cell colspan=\"2\">注{k}</cell></row></for></for></table>",
           "{\"xs\": [{\"n\": \"A\", \"k\": [\"a1\", \"a2\"]}]}");
  assert_non_null(r.doc);
  const zp_table *t = r.doc->first->table;
  assert_int_equal(t->nrows, 4);
  assert_int_equal(t->rows[0].cells[0].rowspan, 1); /* not over the note */
  assert_string_equal(t->rows[2].cells[0].text, "A");
  done(&r);
}

/* Cells from a loop and a condition inside a row. */
static void row_cells_from_loops(void **state) {
  (void)state;
  result r = bind("",
                  "<table><col width=\"1*\"/><col width=\"1*\"/>"
                  "<col width=\"1*\"/><col width=\"1*\"/>"
                  "<row><cell>预算</cell><for each=\"xs\" as=\"x\">"
                  "<cell>{x|money}</cell></for><if test=\"more\">"
                  "<cell>多</cell><else/><cell>无</cell></if></row>"
                  "<row><for each=\"xs\" as=\"x\"><for each=\"xs\" as=\"y\">"
                  "<cell>{x}{y}</cell></for></for></row></table>",
                  "{\"xs\": [1, 2], \"more\": false}");
  assert_non_null(r.doc);
  const zp_table *t = r.doc->first->table;
  assert_int_equal(t->rows[0].ncells, 4);
  assert_string_equal(t->rows[0].cells[1].text, "1.00");
  assert_int_equal(t->rows[0].cells[2].col, 2);
  assert_string_equal(t->rows[0].cells[3].text, "无");
  assert_int_equal(t->rows[1].ncells, 4);
  assert_string_equal(t->rows[1].cells[3].text, "22");
  done(&r);
  /* more cells than columns is an error, not an overflow */
  r = bind("",
           "<table><col width=\"1*\"/><row><for each=\"xs\" as=\"x\">"
           "<cell>{x}</cell></for></row></table>",
           "{\"xs\": [1, 2, 3]}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "more cells than the table's 1 columns"));
  done(&r);
}

/* Hostile numbers in a template: each an error at its line (11: the
 * definitions, 12: the body) that says what was expected, never a value
 * that fails later (NaN, an overflow, a table off the page). */
static void numbers_validated_where_read(void **state) {
  (void)state;
  static const struct {
    const char *defs, *body, *want;
  } cases[] = {
      {"<style name=\"x\" parent=\"body\" first-indent=\"nanpt\"/>",
       "<p style=\"x\">a</p>",
       "t.xml:11: error: style \"x\": first-indent=\"nanpt\" is not a length"},
      {"<style name=\"x\" parent=\"body\" left-indent=\"infmm\"/>",
       "<p style=\"x\">a</p>", "left-indent=\"infmm\" is not a length"},
      {"<style name=\"x\" parent=\"body\" space-after=\"1e3mm\"/>",
       "<p style=\"x\">a</p>", "space-after=\"1e3mm\" is not a length"},
      {"<style name=\"x\" parent=\"body\" line-pitch=\"0x10pt\"/>",
       "<p style=\"x\">a</p>", "line-pitch=\"0x10pt\" is not a length"},
      {"<style name=\"x\" parent=\"body\" left-indent=\"150mm\"/>",
       "<p style=\"x\">a</p>",
       "t.xml:11: error: style \"x\": indents leave no room for a "
       "character"},
      {"<style name=\"x\" parent=\"body\" first-indent=\"-3em\"/>",
       "<p style=\"x\">a</p>", "indents reach out of the text block"},
      {"<style name=\"x\" parent=\"body\" space-before=\"300mm\"/>",
       "<p style=\"x\">a</p>", "space-before and space-after go from 0"},
      {"<style name=\"x\" parent=\"body\" size=\"1000\"/>",
       "<p style=\"x\">a</p>",
       "size=\"1000\" is neither a 号 size (三号, 小四 …) nor pt from 1 to "
       "300"},
      {"<style name=\"x\" parent=\"body\" size=\"nan\"/>",
       "<p style=\"x\">a</p>", "size=\"nan\" is neither"},
      {"<style name=\"x\" parent=\"body\" widows=\"99999999999999999999\"/>",
       "<p style=\"x\">a</p>",
       "widows=\"99999999999999999999\": expected 1 to"},
      {"<style name=\"x\" parent=\"body\" latin-space=\"nan\"/>",
       "<p style=\"x\">a</p>", "latin-space=\"nan\": expected a number of em"},
      {"<page paper=\"nanmm×nanmm\"/>", "<p>a</p>",
       "t.xml:11: error: paper=\"nanmm×nanmm\": expected"},
      {"<page grid-lines=\"4294967297\"/>", "<p>a</p>",
       "grid-lines=\"4294967297\": expected a whole number from 0 to 200"},
      {"<page line-pitch=\"300mm\"/>", "<p>a</p>",
       "line-pitch and char-pitch must fit the text block"},
      {"",
       "<p>{=sum(v"
       ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaa"
       ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaa"
       ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaa"
       ".aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
       "aaaaaa"
       ")}</p>",
       "aaaa… reaches values that are not numbers"}, /* any length */
      {"", "<check value=\"v\" equals=\"1\" places=\"4294967296\"/>",
       "t.xml:12: error: <check> compares 0 to 12 decimals"},
      {"", "<table><col width=\"500mm\"/><row><cell>a</cell></row></table>",
       "t.xml:12: error: the table's 1 columns need 500.0 mm"},
      {"",
       "<table><col width=\"20mm\"/><col width=\"20mm\"/><col width=\"20mm\"/>"
       "<col width=\"20mm\"/><col width=\"20mm\"/><col width=\"20mm\"/>"
       "<col width=\"20mm\"/><col width=\"20mm\"/><col width=\"fit\" "
       "min=\"10mm\"/><row><cell>a</cell></row></table>",
       "the table's 9 columns need 170.0 mm"},
      {"",
       "<table padding=\"20mm\"><col width=\"1*\"/><col width=\"1*\"/>"
       "<col width=\"fit\"/><col width=\"1*\"/><row><cell>a</cell></row>"
       "</table>",
       "the table's 4 columns need 175.5 mm (fixed widths, fit minimums, and "
       "for every column its padding, its rule and 1 em)"},
      {"", "<table><col width=\"0mm\"/><row><cell>a</cell></row></table>",
       "width=\"0mm\": a column must be wider than 0"},
      {"",
       "<table padding=\"2pt 10pt\"><col width=\"8mm\"/><row><cell>a</cell>"
       "</row></table>",
       "t.xml:12: error: column 1 is 8.0 mm wide; a column's width includes "
       "its padding (7.1 mm) and must leave 1 em (3.7 mm) for its text"},
      {"", "<table><col width=\"-5mm\"/><row><cell>a</cell></row></table>",
       "width=\"-5mm\": a column must be wider than 0"},
      {"", "<table><col width=\"nan*\"/><row><cell>a</cell></row></table>",
       "width=\"nan*\": a weight is a number above 0"},
      {"", "<table><col width=\"0*\"/><row><cell>a</cell></row></table>",
       "width=\"0*\": a weight is a number above 0"},
      {"",
       "<table><col width=\"fit\" "
       "min=\"nanmm\"/><row><cell>a</cell></row></table>",
       "min=\"nanmm\" is not a length"},
      {"",
       "<table><col width=\"1*\"/><row><cell colspan=\"2147483647\">a</cell>"
       "</row></table>",
       "t.xml:12: error: colspan=\"2147483647\": expected a whole number from "
       "1 to 100"},
      {"",
       "<table><col width=\"1*\"/><col width=\"1*\"/><row><cell>a</cell>"
       "<cell colspan=\"2\">b</cell></row></table>",
       "this row has more cells than the table's 2 columns"},
      {"",
       "<table><col width=\"1*\"/><row><cell rowspan=\"2147483647\">a</cell>"
       "</row></table>",
       "rowspan=\"2147483647\": expected a whole number from 1 to 100000"},
      {"",
       "<table><col width=\"1*\"/><col width=\"1*\"/><row><cell "
       "rowspan=\"3\">a</cell><cell>b</cell></row><row><cell>c</cell></row>"
       "</table>",
       "t.xml:12: error: rowspan=\"3\" reaches past the table's last row (the "
       "cell is in row 1 of 2)"},
      {"",
       "<table padding=\"nanpt\"><col width=\"1*\"/><row><cell>a</cell></row>"
       "</table>",
       "padding=\"nanpt\": one or two lengths from 0 to 20 mm"},
      {"",
       "<table rule=\"100mm\"><col width=\"1*\"/><row><cell>a</cell></row>"
       "</table>",
       "rule=\"100mm\" is not a length from 0 to 2 mm"},
      {"",
       "<table min-split-lines=\"2147483648\"><col width=\"1*\"/><row><cell>a"
       "</cell></row></table>",
       "min-split-lines=\"2147483648\": expected a whole number"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    result r = bind(cases[i].defs, cases[i].body, "{\"v\": 1.5}");
    if (r.doc || !zp_diag_contains(r.d, cases[i].want))
      fail_msg("case %zu: wanted \"%s\", got \"%s\"", i, cases[i].want,
               r.doc ? "(bound)" : zp_diag_last(r.d));
    done(&r);
  }
  /* the sane values next to them still work */
  result r = bind("<style name=\"x\" parent=\"body\" first-indent=\"-2em\" "
                  "left-indent=\"2em\" size=\"42\" latin-space=\"0.25\"/>"
                  "<style name=\"y\" size=\"300\"/>",
                  "<p style=\"x\">a</p><p style=\"y\">b</p><table padding=\"0 "
                  "20mm\" rule=\"2mm\">"
                  "<col width=\"150mm\"/><row><cell>a</cell></row></table>",
                  "{}");
  assert_non_null(r.doc);
  done(&r);
}

/* The binder's budget: a template whose macros multiply, or a sum over
 * the whole data in a loop over it, stops with one error at its line,
 * quickly, instead of growing for ever. */
static void budget_is_linear_in_the_data(void **state) {
  (void)state;
  static char defs[16384], with_text[17000], empty[17000];
  defs[0] = 0;
  for (int i = 0; i < 30; i++) {
    char one[400];
    snprintf(one, sizeof one, "<define name=\"m%d\">", i);
    strcat(defs, one);
    for (int k = 0; k < 10; k++) {
      snprintf(one, sizeof one, "<use name=\"m%d\"/>", i + 1);
      strcat(defs, one);
    }
    strcat(defs, "</define>");
  }
  snprintf(with_text, sizeof with_text,
           "%s<define name=\"m30\"><p>一段文字一段文字</p></define>", defs);
  result r = bind(with_text, "<use name=\"m0\"/>", "{}");
  assert_null(r.doc);
  assert_int_equal(zp_diag_errors(r.d), 1);
  assert_true(zp_diag_contains(r.d, "t.xml:11: error: the template makes too "
                                    "much text for this data"));
  done(&r);
  snprintf(empty, sizeof empty, "%s<define name=\"m30\"/>", defs);
  r = bind(empty, "<use name=\"m0\"/>", "{}");
  assert_null(r.doc);
  assert_int_equal(zp_diag_errors(r.d), 1);
  assert_true(zp_diag_contains(r.d, "too much work for this data"));
  done(&r);
  /* a sum over 4,000 values in a loop over the same 4,000: 16 million */
  size_t cap = 4000 * 16 + 64, n = 0;
  char *json = malloc(cap);
  n += (size_t)snprintf(json + n, cap - n, "{\"a\": [");
  for (int i = 0; i < 4000; i++)
    n += (size_t)snprintf(json + n, cap - n, "%s{\"v\": 1}", i ? "," : "");
  snprintf(json + n, cap - n, "]}");
  r = bind("",
           "<for each=\"a\" as=\"x\"><check value=\"x.v\" "
           "max=\"sum(a[*].v)\"/></for>",
           json);
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "too much work for this data (a sum over "
                                    "[*] inside loops"));
  assert_true(zp_diag_errors(r.d) < 3);
  done(&r);
  free(json);
}

/* PDF strings: a section title or an Info property over 32,000 bytes is
 * an error naming the data it came from. */
static void long_titles_are_errors(void **state) {
  (void)state;
  size_t cap = 70000;
  char *json = malloc(cap);
  strcpy(json, "{\"t\": \"");
  for (int i = 0; i < 11000; i++)
    strcat(json + 7 + (size_t)i * 3 - (size_t)i * 3, "长");
  strcat(json, "\"}");
  result r = bind("<info title=\"{t}\"/>",
                  "<section title=\"{t}\"><p>a</p></section>", json);
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "t.xml:11: error: <info title> is 33000 "
                                    "bytes long"));
  assert_true(zp_diag_contains(r.d, "t.xml:12: error: the section title is "
                                    "33000 bytes long; a PDF bookmark or "
                                    "document property holds at most 32000 "
                                    "(the text comes from $.t: "));
  done(&r);
  free(json);
}

/* The spans of a block or cell as "KIND:start-end" joined by " ", KIND
 * one of b (bold), sup, sub, s (a named style or colour), a (a URL), r (a
 * reference), n (a note). */
static const char *spans_of(const zp_span *sp, uint32_t n) {
  static char buf[1024];
  buf[0] = 0;
  for (uint32_t i = 0; i < n; i++) {
    const zp_span *s = &sp[i];
    const char *k = s->kind == ZP_SPAN_NOTE      ? "n"
                    : s->kind == ZP_SPAN_LINK    ? (s->uri ? "a" : "r")
                    : s->bold                    ? "b"
                    : s->shift == ZP_SHIFT_SUPER ? "sup"
                    : s->shift == ZP_SHIFT_SUB   ? "sub"
                                                 : "s";
    size_t len = strlen(buf);
    snprintf(buf + len, sizeof buf - len, "%s%s:%u-%u", i ? " " : "", k,
             (unsigned)s->start, (unsigned)s->end);
  }
  return buf;
}

/* Inline elements become spans: byte offsets into the final text, after
 * the trimming and with a numbering prefix counted; sorted and nested,
 * outer first for equal ranges. */
static void inline_spans_offsets_and_nesting(void **state) {
  (void)state;
  result r = bind(
      "<style name=\"red\" parent=\"body\" font=\"hei\" color=\"#C00000\"/>\n"
      "<define name=\"hi\"><b>{x}</b></define>\n",
      "<p>  面积 <b>10</b> m<sup>2</sup>，H<sub>2</sub>O  </p>\n"
      "<p><span color=\"#00aa00\"><b>甲</b>乙</span><span style=\"red\">"
      "<b>x</b></span></p>\n"
      "<item><b>要点</b>说明</item>\n"
      "<section><title>  <b>概况</b>与展望 </title></section>\n"
      "<p><for each=\"xs\" as=\"x\" sep=\"、\"><use name=\"hi\"/></for></p>\n"
      "<table><col width=\"*\"/><row><cell> <sup>注</sup>甲 </cell></row>"
      "</table>",
      "{\"xs\": [\"一\", \"二\"]}");
  assert_non_null(r.doc);
  const zp_block *b = r.doc->first;
  assert_string_equal(b->text, "面积 10 m2，H2O");
  assert_string_equal(spans_of(b->spans, b->nspans),
                      "b:7-9 sup:11-12 sub:16-17");
  b = b->next;
  assert_string_equal(b->text, "甲乙x");
  assert_string_equal(spans_of(b->spans, b->nspans), "s:0-6 b:0-3 s:6-7 b:6-7");
  assert_int_equal(b->spans[0].color, 0x00AA00);
  assert_null(b->spans[0].style);
  assert_string_equal(b->spans[2].style->name, "red");
  assert_int_equal(b->spans[2].style->color, 0xC00000);
  assert_int_equal(b->spans[2].color, ZP_COLOR_INHERIT);
  assert_int_equal(b->style->color, ZP_COLOR_INHERIT);
  b = b->next; /* the item's number is part of its text */
  assert_string_equal(b->text, "一、要点说明");
  assert_string_equal(spans_of(b->spans, b->nspans), "b:6-12");
  b = b->next; /* a heading's title with inline content, after its number */
  assert_int_equal(b->kind, ZP_BLOCK_HEADING);
  assert_string_equal(b->text, "二、概况与展望");
  assert_string_equal(spans_of(b->spans, b->nspans), "b:6-12");
  b = b->next; /* spans from a loop and a macro */
  assert_string_equal(b->text, "一、二");
  assert_string_equal(spans_of(b->spans, b->nspans), "b:0-3 b:6-9");
  b = b->next;
  const zp_cell *c = &b->table->rows[0].cells[0];
  assert_string_equal(c->text, "注甲");
  assert_string_equal(spans_of(c->spans, c->nspans), "sup:0-3");
  /* a block without inline elements has no spans */
  done(&r);
  r = bind("", "<p>甲</p>", "{}");
  assert_non_null(r.doc);
  assert_null(r.doc->first->spans);
  assert_int_equal(r.doc->first->nspans, 0);
  done(&r);
}

/* Links, references to ids, and notes: the marker in the text (①… in
 * document order), the note's own text and spans. */
static void links_references_and_notes(void **state) {
  (void)state;
  char json[4096] = "{\"u\": \"https://example.org/a\", \"n\": [";
  for (int i = 0; i < 21; i++)
    strcat(json, i ? ",1" : "1");
  strcat(json, "]}");
  result r =
      bind("",
           "<p id=\"p1\">见<a href=\"https://example.org/\">站</a>、<a "
           "href=\"{u}\"/>、<ref to=\"p1\">上文</ref><note> 注释<b>文</b> "
           "</note>。</p>\n"
           "<section id=\"s-{u}\" title=\"甲\"/>\n"
           "<table id=\"t1\"><col width=\"*\"/><row><cell>甲<note>表注</note>"
           "</cell></row></table>\n"
           "<p><for each=\"n\" as=\"k\"><note>注</note></for></p>",
           json);
  assert_non_null(r.doc);
  const zp_block *b = r.doc->first;
  assert_string_equal(b->id, "p1");
  assert_string_equal(b->text, "见站、https://example.org/a、上文①。");
  assert_string_equal(spans_of(b->spans, b->nspans),
                      "a:3-6 a:9-30 r:33-39 n:39-42");
  assert_string_equal(b->spans[0].uri, "https://example.org/");
  assert_string_equal(b->spans[1].uri, "https://example.org/a");
  assert_string_equal(b->spans[2].target, "p1");
  const zp_note *note = b->spans[3].note;
  assert_non_null(note);
  assert_string_equal(note->text, "注释文");
  assert_string_equal(spans_of(note->spans, note->nspans), "b:6-9");
  assert_int_equal(note->loc.line, 12);
  b = b->next;
  assert_string_equal(b->id, "s-https://example.org/a");
  b = b->next;
  assert_string_equal(b->id, "t1");
  const zp_cell *c = &b->table->rows[0].cells[0];
  assert_string_equal(c->text, "甲②");
  assert_string_equal(c->spans[0].note->text, "表注");
  b = b->next; /* ③ … ⑳, then ㉑ … (circled to 50: <footnotes marker>) */
  assert_int_equal(b->nspans, 21);
  assert_memory_equal(b->text, "③④", 6);
  assert_string_equal(b->text + b->spans[17].start, "⑳㉑㉒㉓");
  assert_int_equal(b->spans[18].end - b->spans[18].start, 3);
  done(&r);
}

/* <footnotes marker>: numbers and bracketed numbers are raised (a STYLE
 * span inside the NOTE span), circled digits are not; the layout gets the
 * settings. */
static void note_marker_styles(void **state) {
  (void)state;
  result r = bind("<footnotes marker=\"bracket\" numbering=\"per-page\"/>\n",
                  "<p>甲<note>注一</note>乙<note>注二</note></p>", "{}");
  assert_non_null(r.doc);
  const zp_block *b = r.doc->first;
  assert_string_equal(b->text, "甲[1]乙[2]");
  assert_string_equal(spans_of(b->spans, b->nspans),
                      "n:3-6 sup:3-6 n:9-12 sup:9-12");
  assert_int_equal(r.doc->footnotes.marker, ZP_MARKER_BRACKET);
  assert_true(r.doc->footnotes.per_page);
  done(&r);
  r = bind("<footnotes marker=\"super\"/>\n", "<p>甲<note>注</note></p>", "{}");
  assert_string_equal(r.doc->first->text, "甲1");
  assert_string_equal(spans_of(r.doc->first->spans, r.doc->first->nspans),
                      "n:3-4 sup:3-4");
  done(&r);
}

static void inline_errors(void **state) {
  (void)state;
  /* found at load, whatever the data */
  result r = bind(
      "<style name=\"red\" parent=\"body\" color=\"#C0000\"/>\n",
      "<p id=\"intro\"><span color=\"red\">x</span></p>\n"
      "<p><a href=\"ftp://x.org\">y</a><a href=\"https://\">z</a></p>\n"
      "<p><ref to=\"intra\">z</ref><note>a<note>b</note></note></p>\n"
      "<p><span>q</span><a href=\"https://x.org\"><ref to=\"intro\">w</ref>"
      "</a></p>\n"
      "<p id=\"intro\">again</p>",
      "{}");
  assert_null(r.t);
  assert_true(zp_diag_contains(r.d, "t.xml:11:33: error: style \"red\": "
                                    "color=\"#C0000\" is not a colour"));
  assert_true(zp_diag_contains(r.d, "t.xml:13:21: error: color=\"red\" is not "
                                    "a colour: expected #RRGGBB"));
  assert_true(zp_diag_contains(r.d,
                               "t.xml:14:7: error: <a "
                               "href=\"ftp://x.org\">: a link's URL "
                               "starts with http://, https:// or mailto:"));
  assert_true(zp_diag_contains(r.d, "error: <a href=\"https://\">: the URL "
                                    "has no host"));
  assert_true(zp_diag_contains(r.d, "t.xml:15:9: error: <ref to=\"intra\">: "
                                    "no element has id=\"intra\"; did you "
                                    "mean \"intro\"?"));
  assert_true(zp_diag_contains(r.d, "t.xml:15:34: error: a <note> inside a "
                                    "<note>")); /* the inner one */
  assert_true(
      zp_diag_contains(r.d, "t.xml:16:4: error: <span> needs style=\"NAME\" or "
                            "color=\"#RRGGBB\""));
  assert_true(zp_diag_contains(r.d, "error: a link (<ref>) inside another "
                                    "link"));
  assert_true(zp_diag_contains(r.d, "t.xml:17:4: error: id=\"intro\" is given "
                                    "twice (first at "));
  assert_int_equal(zp_diag_errors(r.d), 9);
  done(&r);
  /* nested too deep */
  r = bind("",
           "<p><b><b><b><b><b><b><b><b><b>x</b></b></b></b></b></b></b></b>"
           "</b></p>",
           "{}");
  assert_null(r.t);
  assert_true(zp_diag_contains(r.d, "nested deeper than 8"));
  done(&r);
  /* found when bound: from the data */
  r = bind("",
           "<p id=\"intro\">甲<note>{m.e}</note><ref to=\"{m.r}\">d</ref>"
           "<a href=\"{m.u}\">u</a></p>\n"
           "<for each=\"m.xs\" as=\"x\"><p id=\"dup\">{x}</p></for>\n"
           "<p><ref to=\"intro\"></ref><ref to=\"{m.e}\">e</ref></p>",
           "{\"m\": {\"e\": \"\", \"r\": \"intr\", \"u\": \"javascript:x\", "
           "\"xs\": [1, 2, 3]}}");
  assert_null(r.doc);
  assert_true(zp_diag_contains(
      r.d, "t.xml:12:16: error: this <note> is empty: it has nothing to print "
           "after binding; its text comes from $.m.e ("));
  assert_true(zp_diag_contains(r.d, "error: <a href=\"javascript:x\">: a "
                                    "link's URL starts with"));
  assert_true(zp_diag_contains(r.d, "t.xml:12:39: error: <ref to=\"intr\">: "
                                    "no element has that id; did you mean "
                                    "\"intro\"?"));
  assert_true(zp_diag_contains(r.d, "t.xml:13:28: error: id=\"dup\" is given "
                                    "twice (first at "));
  assert_true(zp_diag_contains(r.d, "t.xml:13) (and 1 more iteration)"));
  assert_true(zp_diag_contains(
      r.d, "t.xml:14:9: error: <ref to=\"intro\"> has no text to "
           "print"));
  assert_true(zp_diag_contains(r.d, "error: <ref to=\"{m.e}\"> gives an empty "
                                    "id"));
  assert_int_equal(zp_diag_errors(r.d), 6);
  done(&r);
}

/* Spans count against the binder's budget: 90,000 one-byte bold spans
 * from 300 × 300 iterations are too much (each is charged as 80 bytes),
 * while the same text without them is bound. */
static void spans_count_against_the_budget(void **state) {
  (void)state;
  char *json = malloc(4096);
  strcpy(json, "{\"xs\": [0");
  for (int i = 1; i < 300; i++)
    strcat(json, ",0");
  strcat(json, "]}");
  result r =
      bind("",
           "<p><for each=\"xs\" as=\"a\"><for each=\"xs\" as=\"b\">.</for>"
           "</for></p>",
           json);
  assert_non_null(r.doc);
  assert_int_equal(strlen(r.doc->first->text), 90000);
  done(&r);
  r = bind("",
           "<p><for each=\"xs\" as=\"a\"><for each=\"xs\" as=\"b\"><b>.</b>"
           "</for></for></p>",
           json);
  assert_null(r.doc);
  assert_true(zp_diag_contains(r.d, "the template makes too much text"));
  done(&r);
  free(json);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(numbering_ladder_and_shared_counters),
      cmocka_unit_test(level_suffix_from_data_and_fit_options),
      cmocka_unit_test(fields_formatters_loops_and_conditions),
      cmocka_unit_test(macros_recurse),
      cmocka_unit_test(missing_field_names_everything),
      cmocka_unit_test(wrong_types_are_errors),
      cmocka_unit_test(errors_name_the_fields_own_line),
      cmocka_unit_test(formatter_arguments_and_ranges),
      cmocka_unit_test(official_sheet_resolves),
      cmocka_unit_test(bad_fixtures_bind),
      cmocka_unit_test(static_errors_at_load),
      cmocka_unit_test(inline_row_and_cell_macros),
      cmocka_unit_test(one_message_per_site),
      cmocka_unit_test(spans_cover_an_iterations_rows),
      cmocka_unit_test(expressions_in_tests_fields_and_checks),
      cmocka_unit_test(styles_errors),
      cmocka_unit_test(tables_merge_cells_from_the_data),
      cmocka_unit_test(table_if_rows),
      cmocka_unit_test(optional_null_and_unnumbered_sections),
      cmocka_unit_test(review_findings),
      cmocka_unit_test(row_cells_from_loops),
      cmocka_unit_test(checks_pass_and_fail),
      cmocka_unit_test(checks_round_half_up_to_the_stated_places),
      cmocka_unit_test(broken_digit_grouping),
      cmocka_unit_test(computed_fields),
      cmocka_unit_test(numbers_validated_where_read),
      cmocka_unit_test(budget_is_linear_in_the_data),
      cmocka_unit_test(long_titles_are_errors),
      cmocka_unit_test(inline_spans_offsets_and_nesting),
      cmocka_unit_test(links_references_and_notes),
      cmocka_unit_test(note_marker_styles),
      cmocka_unit_test(inline_errors),
      cmocka_unit_test(spans_count_against_the_budget),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
