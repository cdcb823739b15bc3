/* test_json.c — the JSON loader: positions, raw numbers, escapes, errors
 * with line:col, duplicate keys, paths, lookups, files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json.h"

/* Parses s; on failure the doc is NULL and *d holds the diagnostics. */
static zp_json_doc *parse(const char *s, zp_diag **d) {
  *d = zp_diag_new(NULL);
  assert_non_null(*d);
  return zp_json_parse(s, strlen(s), "data/x.json", *d);
}

/* Asserts that s fails to parse with a diagnostic containing want. */
static void expect_error(const char *s, const char *want) {
  zp_diag *d;
  zp_json_doc *doc = parse(s, &d);
  if (doc || !zp_diag_contains(d, want))
    fail_msg("input %s\n  wanted: %s\n  got:    %s", s, want,
             doc ? "(parsed)" : zp_diag_last(d));
  assert_int_equal(zp_diag_errors(d), 1);
  zp_diag_free(d);
}

static void assert_pos(const zp_json *n, int line, int col) {
  assert_non_null(n);
  if (n->line != line || n->col != col)
    fail_msg("expected %d:%d, got %d:%d", line, col, n->line, n->col);
}

static void test_positions_nested(void **state) {
  (void)state;
  const char *s =
      "{\n"
      "  \"budget\": {\n"
      "    \"items\": [\n"
      "      {\"name\": \"一般公共预算\", \"amount\": 99.66},\n"
      "      {\"名称\": \"项目支出\", \"sub\": {\"x\": 1e3}}\n"
      "    ]\n"
      "  },\n"
      "  \"中文键\": \"值\", \"n\": -0.5, \"t\": true, \"z\": null\n"
      "}\n";
  zp_diag *d;
  zp_json_doc *doc = parse(s, &d);
  assert_non_null(doc);
  const zp_json *root = doc->root;
  assert_int_equal(root->type, ZP_JSON_OBJECT);
  assert_pos(root, 1, 1);
  assert_int_equal(root->length, 5);
  assert_null(root->parent);
  assert_null(root->key);

  const zp_json *budget = zp_json_get(root, "budget");
  assert_pos(budget, 2, 13);
  assert_string_equal(budget->key, "budget");
  assert_ptr_equal(budget->parent, root);
  const zp_json *items = zp_json_get(budget, "items");
  assert_pos(items, 3, 14);
  assert_int_equal(items->type, ZP_JSON_ARRAY);
  assert_int_equal(items->length, 2);

  const zp_json *it0 = zp_json_at(items, 0);
  assert_pos(it0, 4, 7);
  assert_null(it0->key);
  assert_ptr_equal(it0->parent, items);
  const zp_json *name = zp_json_get(it0, "name");
  assert_pos(name, 4, 16);
  assert_string_equal(name->string, "一般公共预算");
  assert_int_equal(name->length, strlen("一般公共预算"));
  /* columns count characters: the 6 CJK characters take 6 columns */
  const zp_json *amount = zp_json_get(it0, "amount");
  assert_pos(amount, 4, 36);
  assert_string_equal(amount->raw, "99.66");

  const zp_json *it1 = zp_json_at(items, 1);
  assert_pos(it1, 5, 7);
  assert_pos(zp_json_get(it1, "名称"), 5, 14);
  const zp_json *sub = zp_json_get(it1, "sub");
  assert_pos(sub, 5, 29);
  assert_ptr_equal(sub->parent, it1);
  const zp_json *x = zp_json_get(sub, "x");
  assert_pos(x, 5, 35);
  assert_ptr_equal(x->parent->parent->parent, items);

  assert_pos(zp_json_get(root, "中文键"), 8, 10);
  assert_pos(zp_json_get(root, "n"), 8, 20);
  const zp_json *t = zp_json_get(root, "t");
  assert_pos(t, 8, 31);
  assert_int_equal(t->type, ZP_JSON_BOOL);
  assert_true(t->boolean);
  const zp_json *z = zp_json_get(root, "z");
  assert_pos(z, 8, 42);
  assert_int_equal(z->type, ZP_JSON_NULL);
  assert_null(z->next);
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_positions_crlf_bom_tabs(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc =
      parse("\xEF\xBB\xBF{\r\n\t\"a\": [1,\r\n\t\t\"é\", {}]}\r\n", &d);
  assert_non_null(doc);
  assert_pos(doc->root, 1, 1);
  const zp_json *a = zp_json_get(doc->root, "a");
  assert_pos(a, 2, 7);
  assert_pos(zp_json_at(a, 0), 2, 8);
  assert_pos(zp_json_at(a, 1), 3, 3);
  assert_pos(zp_json_at(a, 2), 3, 8);
  assert_int_equal(zp_json_at(a, 2)->type, ZP_JSON_OBJECT);
  assert_int_equal(zp_json_at(a, 2)->length, 0);
  assert_null(zp_json_at(a, 2)->child);
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_raw_numbers(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc = parse("{\"a\": 99.66, \"b\": 1e3, \"c\": -0.5, \"d\": "
                           "18335.560, \"e\": 0, \"f\": -12E-2}",
                           &d);
  assert_non_null(doc);
  static const struct {
    const char *key, *raw;
    double v;
  } want[] = {{"a", "99.66", 99.66}, {"b", "1e3", 1000},
              {"c", "-0.5", -0.5},   {"d", "18335.560", 18335.56},
              {"e", "0", 0},         {"f", "-12E-2", -0.12}};
  for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
    const zp_json *n = zp_json_get(doc->root, want[i].key);
    assert_non_null(n);
    assert_int_equal(n->type, ZP_JSON_NUMBER);
    assert_string_equal(n->raw, want[i].raw);
    assert_true(fabs(n->number - want[i].v) < 1e-12);
  }
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_escapes(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc =
      parse("{\"a\": \"\\u4e2d\\u6587\", \"b\": \"\\ud83d\\ude00\", "
            "\"c\": \"q\\\"b\\\\s\\/n\\nt\\t\", \"k\\u00e9y\": 7, \"d\": 1}",
            &d);
  assert_non_null(doc);
  const zp_json *a = zp_json_get(doc->root, "a");
  assert_string_equal(a->string, "中文");
  assert_int_equal(a->length, 6);
  const zp_json *b = zp_json_get(doc->root, "b");
  assert_string_equal(b->string, "\xF0\x9F\x98\x80");
  assert_int_equal(b->length, 4);
  const zp_json *c = zp_json_get(doc->root, "c");
  assert_string_equal(c->string, "q\"b\\s/n\nt\t");
  assert_int_equal(c->length, 10);
  assert_non_null(zp_json_get(doc->root, "kéy"));
  /* escapes count as the characters written in the file */
  assert_pos(a, 1, 7);
  assert_pos(b, 1, 28);
  assert_pos(zp_json_get(doc->root, "d"), 1, 88);
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_malformed(void **state) {
  (void)state;
  /* missing comma */
  expect_error("{\n  \"a\": 1\n  \"b\": 2\n}",
               "data/x.json:3:3: error: malformed JSON: expected ',' or '}' "
               "after an object member, found '\"'");
  expect_error("{\"a\": [1 2]}", "data/x.json:1:10: error: malformed JSON: "
                                 "expected ',' or ']' after an array element");
  /* trailing commas: reported at the comma */
  expect_error("{\n  \"a\": 1,\n}",
               "data/x.json:2:9: error: malformed JSON: trailing comma "
               "before '}'");
  expect_error("{\"a\": [1, 2, ]}",
               "data/x.json:1:12: error: malformed JSON: trailing comma "
               "before ']'");
  /* unterminated string: reported at its opening quote */
  expect_error("{\"名称\": \"abc\n}",
               "data/x.json:1:8: error: malformed JSON: unterminated string");
  expect_error("{\"名称\": \"abc",
               "data/x.json:1:8: error: malformed JSON: unterminated string");
  expect_error("{\"ab", "data/x.json:1:2: error: malformed JSON: "
                        "unterminated string");
  /* bad literals */
  expect_error("{\n\"a\": tru}", "data/x.json:2:6: error: malformed JSON: "
                                 "invalid literal 'tru'");
  expect_error("{\"a\": [nul]}", "data/x.json:1:8: error: malformed JSON: "
                                 "invalid literal 'nul'");
  expect_error("{\"a\": -}", "data/x.json:1:7: error: malformed JSON: "
                             "malformed number '-'");
  expect_error("{\"a\": 012}", "data/x.json:1:7: error: malformed JSON: "
                               "malformed number '012'");
  expect_error("{\"a\": 1.}", "data/x.json:1:7: error: malformed JSON: "
                              "malformed number '1.'");
  /* truncated files: reported at the end */
  expect_error("{\n  \"a\": [1, 2",
               "data/x.json:2:13: error: malformed JSON: unexpected end of "
               "file, expected ',' or ']' after an array element (the array "
               "opened at 2:8 is not closed)");
  expect_error("{\"a\": 1", "data/x.json:1:8: error: malformed JSON: "
                            "unexpected end of file, expected ',' or '}'");
  expect_error("{\"a\":", "data/x.json:1:6: error: malformed JSON: unexpected "
                          "end of file, expected a value");
  expect_error("{\"a\"", "data/x.json:1:5: error: malformed JSON: unexpected "
                         "end of file, expected ':' after an object key");
  expect_error("{\"a\":1,", "data/x.json:1:8: error: malformed JSON: "
                            "unexpected end of file, expected a string key");
  expect_error("  \n ", "data/x.json:2:2: error: malformed JSON: unexpected "
                        "end of file, expected a JSON object");
  /* keys */
  expect_error("{\"a\": 1, b: 2}", "data/x.json:1:10: error: malformed "
                                   "JSON: expected a string key, found 'b'");
  expect_error("{'a': 1}", "data/x.json:1:2: error: malformed JSON: object "
                           "keys must be in double quotes");
  expect_error("{\"a\" 1}", "data/x.json:1:6: error: malformed JSON: "
                            "expected ':' after an object key, found '1'");
  /* strings */
  expect_error("{\"a\": \"x\\qy\"}", "data/x.json:1:9: error: malformed JSON: "
                                     "invalid escape '\\q'");
  expect_error("{\"a\": \"中\\ud800\"}",
               "data/x.json:1:9: error: malformed JSON: high surrogate");
  expect_error("{\"a\": \"\\udc00\"}",
               "data/x.json:1:8: error: malformed JSON: unpaired low "
               "surrogate");
  expect_error("{\"a\": \"\\u0000\"}",
               "data/x.json:1:8: error: malformed JSON: \\u0000 is not "
               "allowed");
  expect_error("{\"a\": \"x\ty\"}",
               "data/x.json:1:9: error: malformed JSON: control character "
               "U+0009 in string");
  expect_error("{\"a\": \"中\xFF\"}",
               "data/x.json:1:9: error: malformed JSON: invalid UTF-8 byte "
               "0xFF in string");
  expect_error("{\"a\": \"\xE4\xB8\"}", /* truncated sequence */
               "data/x.json:1:8: error: malformed JSON: invalid UTF-8 byte "
               "0xE4 in string");
  expect_error("{\"\xC0\xAF\": 1}", /* overlong '/' in a key */
               "data/x.json:1:3: error: malformed JSON: invalid UTF-8 byte "
               "0xC0 in string");
  /* things cJSON accepts */
  expect_error("{\"a\":\x01 1}",
               "data/x.json:1:6: error: malformed JSON: control character "
               "U+0001 between tokens");
  expect_error("{\"a\": 1}\n x", "data/x.json:2:2: error: malformed JSON: "
                                 "found 'x' after the top-level object");
  expect_error("{\"a\": 1}}", "data/x.json:1:9: error: malformed JSON: "
                              "found '}' after the top-level object");
  expect_error("{\"a\": 1e999}",
               "data/x.json:1:7: error: number 1e999 is out of range");
}

static void test_nesting_limit(void **state) {
  (void)state;
  char s[1200] = "{\"a\":";
  size_t n = strlen(s);
  for (int i = 0; i < 1100; i++)
    s[n++] = '[';
  s[n] = 0;
  expect_error(s, "data/x.json:1:1005: error: malformed JSON: nesting "
                  "deeper than 1000 levels");
}

static void test_duplicate_keys(void **state) {
  (void)state;
  expect_error("{\n  \"a\": 1,\n  \"b\": {\"a\": 2},\n  \"a\": 3\n}",
               "data/x.json:4:3: error: duplicate key \"a\" in object (first "
               "defined at 2:3)");
  expect_error("{\"x\": [{\"名\": 1, \"名\": 2}]}",
               "data/x.json:1:17: error: duplicate key \"名\" in object "
               "(first defined at 1:9)");
  /* keys that only an escape tells apart are the same key */
  expect_error("{\"é\": 1, \"\\u00e9\": 2}",
               "data/x.json:1:10: error: duplicate key \"é\"");

  /* a large object goes through the hash table */
  char *s = malloc(64 * 1024);
  assert_non_null(s);
  size_t n = (size_t)sprintf(s, "{");
  for (int i = 0; i < 500; i++)
    n += (size_t)sprintf(s + n, "%s\"k%d\": {\"k%d\": %d}", i ? ", " : "", i, i,
                         i);
  sprintf(s + n, "}");
  zp_diag *d;
  zp_json_doc *doc = parse(s, &d);
  assert_non_null(doc);
  assert_int_equal(doc->root->length, 500);
  assert_int_equal(zp_json_get(doc->root, "k499")->child->number, 499);
  zp_json_free(doc);
  zp_diag_free(d);
  sprintf(s + n, ", \"k123\": 0}");
  expect_error(s, "duplicate key \"k123\" in object (first defined at 1:");
  free(s);
}

static void test_top_level(void **state) {
  (void)state;
  expect_error("[1, 2]", "data/x.json:1:1: error: the top-level value must "
                         "be an object, found an array");
  expect_error("\n  \"s\"", "data/x.json:2:3: error: the top-level value "
                            "must be an object, found a string");
  expect_error("42", "found a number");
  expect_error("hello", "data/x.json:1:1: error: malformed JSON: expected a "
                        "JSON object, found 'h'");
  expect_error("", "data/x.json: error: empty file, expected a JSON object");
}

static void test_paths(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc = parse("{\"budget\": {\"items\": [{}, {}, {\"name\": "
                           "\"x\"}]}, \"a b\": [[1, {\"q\\\"\": 2}]], "
                           "\"中文键\": 1, \"_x9\": 2, \"9x\": 3}",
                           &d);
  assert_non_null(doc);
  char buf[128];
  const zp_json *items = zp_json_get(zp_json_get(doc->root, "budget"), "items");
  const zp_json *name = zp_json_get(zp_json_at(items, 2), "name");
  assert_string_equal(zp_json_path(name, buf, sizeof buf),
                      "$.budget.items[2].name");
  assert_string_equal(zp_json_path(doc->root, buf, sizeof buf), "$");
  assert_string_equal(zp_json_path(items, buf, sizeof buf), "$.budget.items");
  const zp_json *ab = zp_json_get(doc->root, "a b");
  const zp_json *q = zp_json_get(zp_json_at(zp_json_at(ab, 0), 1), "q\"");
  assert_non_null(q);
  assert_string_equal(zp_json_path(q, buf, sizeof buf),
                      "$[\"a b\"][0][1][\"q\\\"\"]");
  assert_string_equal(
      zp_json_path(zp_json_get(doc->root, "中文键"), buf, sizeof buf),
      "$.中文键");
  assert_string_equal(
      zp_json_path(zp_json_get(doc->root, "_x9"), buf, sizeof buf), "$._x9");
  assert_string_equal(
      zp_json_path(zp_json_get(doc->root, "9x"), buf, sizeof buf), "$[\"9x\"]");
  /* truncated to the buffer, always terminated */
  char small[8];
  assert_string_equal(zp_json_path(name, small, sizeof small), "$.budge");
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_lookups_wrong_types(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc =
      parse("{\"arr\": [10, 20], \"s\": \"str\", \"o\": {\"k\": 1}}", &d);
  assert_non_null(doc);
  const zp_json *arr = zp_json_get(doc->root, "arr");
  const zp_json *s = zp_json_get(doc->root, "s");
  const zp_json *o = zp_json_get(doc->root, "o");
  assert_null(zp_json_get(arr, "0"));
  assert_null(zp_json_get(s, "k"));
  assert_null(zp_json_get(NULL, "k"));
  assert_null(zp_json_get(doc->root, "missing"));
  assert_null(zp_json_at(o, 0));
  assert_null(zp_json_at(s, 0));
  assert_null(zp_json_at(NULL, 0));
  assert_null(zp_json_at(arr, 2));
  assert_int_equal(zp_json_at(arr, 1)->number, 20);
  assert_non_null(zp_json_get(o, "k"));
  assert_string_equal(zp_json_type_name(arr->type), "array");
  assert_string_equal(zp_json_type_name(s->type), "string");
  assert_string_equal(zp_json_type_name(ZP_JSON_BOOL), "boolean");
  assert_string_equal(zp_json_type_name(ZP_JSON_NULL), "null");
  zp_json_free(doc);
  zp_diag_free(d);
}

/* Writes n bytes of s to a fresh temporary file; returns its path. */
static char *temp_file(const char *s, size_t n) {
  char *path = strdup("/tmp/zp_test_json_XXXXXX");
  assert_non_null(path);
  int fd = mkstemp(path);
  assert_true(fd >= 0);
  assert_int_equal(write(fd, s, n), (ssize_t)n);
  close(fd);
  return path;
}

static void test_files(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  assert_null(zp_json_load_file("/nonexistent/dir/x.json", d));
  assert_true(zp_diag_contains(d, "/nonexistent/dir/x.json: error: cannot "
                                  "read: No such file or directory"));
  assert_null(zp_json_load_file("/tmp", d)); /* a directory */
  assert_true(zp_diag_contains(d, "/tmp: error: cannot read: "));
  assert_int_equal(zp_diag_errors(d), 2);

  char *empty = temp_file("", 0);
  assert_null(zp_json_load_file(empty, d));
  char want[256];
  snprintf(want, sizeof want, "%s: error: empty file, expected a JSON object",
           empty);
  assert_true(zp_diag_contains(d, want));
  unlink(empty);
  free(empty);

  const char *text = "{\"a\": [1, \"两\"],\n \"b\": x}";
  char *bad = temp_file(text, strlen(text));
  assert_null(zp_json_load_file(bad, d));
  snprintf(want, sizeof want, "%s:2:7: error: malformed JSON: invalid literal",
           bad);
  assert_true(zp_diag_contains(d, want));
  unlink(bad);
  free(bad);

  text = "{\"a\": [1, \"两\"],\n \"b\": 2.50}";
  char *good = temp_file(text, strlen(text));
  zp_json_doc *doc = zp_json_load_file(good, d);
  assert_non_null(doc);
  assert_string_equal(doc->file, good);
  const zp_json *b = zp_json_get(doc->root, "b");
  assert_pos(b, 2, 7);
  assert_string_equal(b->raw, "2.50");
  assert_string_equal(zp_json_at(zp_json_get(doc->root, "a"), 1)->string, "两");
  zp_json_free(doc);
  unlink(good);
  free(good);
  assert_int_equal(zp_diag_errors(d), 4);
  zp_diag_free(d);
}

/* Messages a clerk can act on: a stray byte-order mark named, a file cut
 * inside a character, a huge number shortened, underflow. */
static void test_clerk_messages(void **state) {
  (void)state;
  zp_diag *d;
  zp_json_doc *doc = parse("\xEF\xBB\xBF{\"a\": 1}", &d);
  assert_non_null(doc); /* a leading BOM is skipped */
  zp_json_free(doc);
  zp_diag_free(d);
  expect_error("\xEF\xBB\xBF\xEF\xBB\xBF{}",
               "x.json:1:1: error: malformed JSON: expected a JSON object, "
               "found a byte-order mark (U+FEFF)");
  expect_error("{\"a\": \xEF\xBB\xBF"
               "1}",
               "found a byte-order mark (U+FEFF)");
  expect_error("{\"a\":\xE3\x80\x80 1}", "found '\xE3\x80\x80' (U+3000)");
  expect_error("{\"t\": \"\xE4\xB8\xAD\xE4\xB8",
               "x.json:1:9: error: malformed JSON: unexpected end of file "
               "inside a character");
  expect_error("{\"t\": 1\xE4\xB8", "found the end of the file inside a "
                                    "character");
  expect_error("{\"t\": \"\xE4\x41\"}", "invalid UTF-8 byte 0xE4");
  char big[6000] = "{\"n\": ";
  size_t k = strlen(big);
  for (int i = 0; i < 5000; i++)
    big[k++] = '7';
  strcpy(big + k, "}");
  doc = parse(big, &d);
  assert_null(doc);
  assert_true(zp_diag_contains(
      d, "number 77777777777777777777…(5000 characters) is out of range"));
  assert_true(strlen(zp_diag_last(d)) < 300);
  zp_diag_free(d);
  expect_error("{\"n\": 1e-400}", "number 1e-400 is out of range (so close "
                                  "to zero it would be 0");
  expect_error("{\"n\": -0.5e-999}", "is out of range");
  doc = parse("{\"n\": 0e-400, \"m\": 0.000e5, \"k\": 1e-300}", &d);
  assert_non_null(doc); /* zero written so, and small numbers, are fine */
  zp_json_free(doc);
  zp_diag_free(d);
}

static void test_not_nul_terminated(void **state) {
  (void)state;
  /* the length bounds the text: what follows is not read */
  const char text[] = "{\"a\": 1}garbage";
  zp_diag *d = zp_diag_new(NULL);
  zp_json_doc *doc = zp_json_parse(text, 8, "t.json", d);
  assert_non_null(doc);
  assert_int_equal(zp_json_get(doc->root, "a")->number, 1);
  zp_json_free(doc);
  assert_null(zp_json_parse(text, 7, "t.json", d));
  assert_true(zp_diag_contains(d, "t.json:1:8: error: malformed JSON: "
                                  "unexpected end of file"));
  zp_json_free(NULL);
  zp_diag_free(d);
}

/* Several files read as one: members added, objects merged, a conflict an
 * error naming both places; every value keeps its file. */
/* Large objects and arrays are indexed: every member and element is found,
 * also after a merge adds members to an object of another file. */
static void test_large_lookups(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  size_t cap = 1 << 16, n = 0;
  char *a = malloc(cap), *b = malloc(cap);
  assert_non_null(a);
  assert_non_null(b);
  n = (size_t)snprintf(a, cap, "{\"o\": {");
  for (int i = 0; i < 1000; i++)
    n += (size_t)snprintf(a + n, cap - n, "%s\"k%d\": %d", i ? ", " : "", i, i);
  n += (size_t)snprintf(a + n, cap - n, "}, \"v\": [");
  for (int i = 0; i < 1000; i++)
    n += (size_t)snprintf(a + n, cap - n, "%s%d", i ? ", " : "", i * 2);
  snprintf(a + n, cap - n, "]}");
  n = (size_t)snprintf(b, cap, "{\"o\": {");
  for (int i = 0; i < 40; i++)
    n +=
        (size_t)snprintf(b + n, cap - n, "%s\"m%d\": %d", i ? ", " : "", i, -i);
  snprintf(b + n, cap - n, "}}");
  zp_json_doc *da = zp_json_parse(a, strlen(a), "a.json", d);
  assert_non_null(da);
  const zp_json *o = zp_json_get(da->root, "o"),
                *v = zp_json_get(da->root, "v");
  char key[16];
  for (int i = 0; i < 1000; i++) {
    snprintf(key, sizeof key, "k%d", i);
    const zp_json *m = zp_json_get(o, key);
    assert_non_null(m);
    assert_true(m->number == i);
    assert_true(zp_json_at(v, (size_t)i)->number == 2 * i);
  }
  assert_null(zp_json_get(o, "k1000"));
  assert_null(zp_json_at(v, 1000));
  zp_json_doc *docs[2] = {da, zp_json_parse(b, strlen(b), "b.json", d)};
  assert_non_null(docs[1]);
  zp_json_doc *m = zp_json_merge(docs, 2, d);
  assert_non_null(m);
  o = zp_json_get(m->root, "o");
  assert_int_equal(o->length, 1040);
  assert_true(zp_json_get(o, "k999")->number == 999);
  assert_true(zp_json_get(o, "m39")->number == -39);
  assert_string_equal(zp_json_file(m, zp_json_get(o, "m39")), "b.json");
  assert_null(zp_json_get(o, "m40"));
  zp_json_free(m);
  free(a);
  free(b);
  zp_diag_free(d);
}

static void test_merge(void **state) {
  (void)state;
  zp_diag *d = zp_diag_new(NULL);
  const char *a = "{\"meta\": {\"title\": \"t\"},\n \"rows\": [1, 2]}";
  const char *b = "{\"meta\": {\"year\": 2023},\n \"shared\": {\"x\": 1}}";
  zp_json_doc *docs[2] = {zp_json_parse(a, strlen(a), "own.json", d),
                          zp_json_parse(b, strlen(b), "shared.json", d)};
  assert_non_null(docs[0]);
  assert_non_null(docs[1]);
  zp_json_doc *m = zp_json_merge(docs, 2, d);
  assert_non_null(m);
  const zp_json *meta = zp_json_get(m->root, "meta");
  assert_int_equal(meta->length, 2);
  const zp_json *title = zp_json_get(meta, "title"),
                *year = zp_json_get(meta, "year");
  assert_string_equal(zp_json_file(m, title), "own.json");
  assert_string_equal(zp_json_file(m, year), "shared.json");
  assert_int_equal(year->line, 1);
  const zp_json *rows = zp_json_get(m->root, "rows");
  assert_string_equal(zp_json_file(m, zp_json_at(rows, 1)), "own.json");
  const zp_json *x = zp_json_get(zp_json_get(m->root, "shared"), "x");
  assert_string_equal(zp_json_file(m, x), "shared.json");
  assert_int_equal(x->line, 2);
  char path[64];
  assert_string_equal(zp_json_path(year, path, sizeof path), "$.meta.year");
  zp_json_free(m);

  /* the same member in two files, not both objects */
  const char *c = "{\"rows\": 3}";
  docs[0] = zp_json_parse(a, strlen(a), "own.json", d);
  docs[1] = zp_json_parse(c, strlen(c), "other.json", d);
  assert_null(zp_json_merge(docs, 2, d));
  if (!zp_diag_contains(d, "error: $.rows is also defined in own.json:2:"))
    fail_msg("%s", zp_diag_last(d));
  assert_true(zp_diag_contains(d, "other.json:1:"));
  zp_diag_free(d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_positions_nested),
      cmocka_unit_test(test_positions_crlf_bom_tabs),
      cmocka_unit_test(test_raw_numbers),
      cmocka_unit_test(test_escapes),
      cmocka_unit_test(test_malformed),
      cmocka_unit_test(test_nesting_limit),
      cmocka_unit_test(test_duplicate_keys),
      cmocka_unit_test(test_top_level),
      cmocka_unit_test(test_paths),
      cmocka_unit_test(test_lookups_wrong_types),
      cmocka_unit_test(test_files),
      cmocka_unit_test(test_not_nul_terminated),
      cmocka_unit_test(test_merge),
      cmocka_unit_test(test_large_lookups),
      cmocka_unit_test(test_clerk_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
