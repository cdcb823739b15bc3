/* bind-imp.h — private to the binder (gen/bind*.c); nothing else includes
 * it.
 *
 * The binder's parts share one state (binder) while they walk the template:
 *   bind.c        zp_bind_with: the walk (data paths and variables,
 *                 conditions, loops, macros), blocks, paragraphs, sections
 *                 and their numbering, contents, signatures, the style
 *                 sheet's fields, the document's info;
 *   bind-text.c   text: fields and their formatters, computed values,
 *                 inline content (<b>, <sup>, <span>, <a>, <ref>, <note>)
 *                 and its spans, ids and the check of references to them;
 *   bind-table.c  tables: header and body rows, cells, merged cells (from
 *                 the data's shape, span="VAR") and rowspans, captions;
 *   bind-part.c   parts: the body's parts and attachments, the attachments'
 *                 titles and their list, headers and footers;
 *   bind-check.c  diagnostics (one per site, counted over iterations), the
 *                 budget, <check>s and their findings, digit grouping;
 *   bind-span.c   spans and ids: bookkeeping without diagnostics
 *                 (bind-span.h, zp_bind_*).
 * Functions one file lends another are named bind_<file>_* (bind.c's own:
 * bind_*, with no file's name after it).
 */
#ifndef ZP_BIND_IMP_H
#define ZP_BIND_IMP_H

#include "bind.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "bind-span.h"
#include "bounds.h"
#include "calc.h"

#define MAX_VARS 64 /* loop variables and macro parameters in scope */
#define MAX_LEVELS ZP_TMPL_MAX_LEVELS /* numbering levels */
#define MAX_USE_DEPTH 32              /* macros inside macros */

/* A loop variable or macro parameter in scope: its name and value. */
typedef struct var {
  const char *name;
  const zp_json *val;
  long iter; /* which iteration of its loop: for merged cells */
} var;

/* A growable text buffer, charged to a budget of bytes: past it nothing
 * more is appended (the caller reports it). */
typedef struct sbuf {
  char *s;
  size_t n, cap;
  long *left; /* bytes the binder may still produce */
} sbuf;

struct site; /* bind-check.c's */

/* The state of one bind (zp_bind_with), shared by its parts. */
typedef struct binder {
  const zp_template *t;
  const zp_json_doc *data;
  zp_diag *d;
  zp_doc *doc;
  zp_arena *a;
  var vars[MAX_VARS];
  int nvars;
  long iters;
  int counters[MAX_LEVELS + 1];
  int depth;
  /* the numbering levels' prefix and suffix, expanded for this data */
  const char *prefix[MAX_LEVELS + 1], *suffix[MAX_LEVELS + 1];
  int use_depth;
  int tables;
  zp_block *tail;
  zp_loc data_loc;         /* of the first field of the text being built */
  const zp_json *data_val; /* and its value */
  int errors;
  zp_bind_opts opts;
  int findings; /* checks that failed */
  bool aborted; /* a runaway macro or the budget spent: stop binding */
  /* the budget (bounds.h): steps and bytes left, linear in the data */
  long steps_left, bytes_left;
  /* the data's strings printed so far (a hash set): each is checked for
   * digit grouping once */
  const zp_json **printed;
  size_t nprinted, capprinted;
  /* the diagnostics of this bind, one per site (bind_check_report()), printed
   * in order at the end, and a hash of them by site */
  struct site *sites;
  size_t nsites, capsites;
  int *site_hash; /* indexes + 1 into sites; 0: free */
  size_t caphash;
  const void *site_tag; /* part of the site: the <check> of a finding */
  /* the spans of the texts being built (bind_text_content: nested for
   * notes),
   * the order inline elements were entered in, their nesting */
  zp_bind_spans spans;
  uint32_t seq;
  int inline_depth;
  int notes;             /* notes so far: the next one's marker */
  zp_bind_ids ids, refs; /* ids given, and <ref>s' targets */
  /* the attachments' titles and labels (NULL: none given), bound before
   * the parts (an attachment list may stand before them) */
  const char **att_titles, **att_labels;
  int natt, capatt, natt_bound;
} binder;

/* ---- bind.c: the walk ---- */

/* The data file's location of value v. */
zp_loc bind_data_loc(const binder *b, const zp_json *v);
/* Resolves a path ("budget.by_source[1].name", or from a loop variable).
 * On failure returns NULL and sets *near to the deepest node found and
 * *missing (msize bytes) to the part not found.  Reports nothing. */
const zp_json *bind_resolve(binder *b, const char *path, const zp_json **near,
                            char *missing, size_t msize);
/* Reports at n that {path} found no data: near and missing as
 * bind_resolve() left them, expected what the template wanted. */
void bind_report_missing(binder *b, const zp_tnode *n, const char *path,
                         const zp_json *near, const char *missing,
                         const char *expected);
/* Reports at n that {path}'s value v is of the wrong type. */
void bind_report_type(binder *b, const zp_tnode *n, const char *path,
                      const zp_json *v, const char *expected);
/* The children of <if> n in the branch its test selects: [*from, *to). */
void bind_if_branch(binder *b, const zp_tnode *n, const zp_tnode **from,
                    const zp_tnode **to);
/* The array a <for> n iterates, or NULL after an error. */
const zp_json *bind_loop_array(binder *b, const zp_tnode *n);
/* Binds loop variable (or macro parameter) name to v for the content of n
 * (the caller pops it: b->nvars--); false after an error (too deep). */
bool bind_push(binder *b, const zp_tnode *n, const char *name,
               const zp_json *v);
/* Enters macro <use> n: its parameters (paths, looked up where <use>
 * stands) bound for its content; the macro's <define>, or NULL (after an
 * error, or reported at load).  *saved: what bind_use_leave() restores,
 * called only when a <define> was returned. */
const zp_tnode *bind_use_enter(binder *b, const zp_tnode *n, int *saved);
void bind_use_leave(binder *b, int saved);
/* A new block of kind made for n, appended to the doc's chain (in its
 * arena); NULL when out of memory. */
zp_block *bind_add_block(binder *b, zp_block_kind kind, const zp_tnode *n);
/* The blocks of the template nodes from first on, onto the doc's chain. */
void bind_blocks(binder *b, const zp_tnode *first);

/* ---- bind-text.c: fields, inline content, spans, ids ---- */

/* Appends the n bytes at s (or the string s) to buffer b, charged to its
 * budget; nothing when out of memory or past the budget (*b->left < 0). */
void bind_text_put(sbuf *b, const char *s, size_t n);
void bind_text_puts(sbuf *b, const char *s);
/* Expands text s with its fields (parsed by the loader, in order) into
 * out.  {{ and }} are braces; a line break with the indentation after it
 * is dropped (Chinese has no spaces between lines). */
void bind_text_expand(binder *b, const zp_tnode *n, const char *s,
                      const zp_tfield *fields, int nfields, sbuf *out);
/* An attribute's value (fields parsed by the loader) with its fields
 * expanded, in the doc's arena; NULL when a is NULL. */
const char *bind_text_attr(binder *b, const zp_tnode *n, const zp_tattr *a);
/* Evaluates the compiled expression e (its text: text) at template node
 * n into *out; false after an error (reported).  With need_value an absent
 * result is an error too. */
bool bind_text_calc(binder *b, const zp_tnode *n, const zp_expr *e,
                    const char *text, bool need_value, zp_val *out);
/* The text of a p, item or cell n (its inline content after prefix, when
 * not NULL), trimmed, in the doc's arena, with its spans (*spans,
 * *nspans: NULL and 0 when it has none); b->data_loc and b->data_val tell
 * its first field's data. */
const char *bind_text_content(binder *b, const zp_tnode *n, const char *prefix,
                              const zp_span **spans, uint32_t *nspans);
/* The id of p, item, section or table n (expanded, in the doc's arena),
 * recorded for bind_text_check_ids(); NULL when it has none. */
const char *bind_text_id(binder *b, const zp_tnode *n);
/* Reports every id given twice, every <ref> to no id (with the nearest
 * ids); at the end of a bind. */
void bind_text_check_ids(binder *b);

/* ---- bind-table.c ---- */

/* <table> n as a table block on the doc's chain (its id, rows, merged
 * cells, caption numbered 表N). */
void bind_table(binder *b, const zp_tnode *n);

/* ---- bind-part.c ---- */

/* <attachment-list/> n: "附件：1.名称" paragraphs of the attachments'
 * titles (known before the parts are bound). */
void bind_part_attachment_list(binder *b, const zp_tnode *n);
/* Whether the content from first (the body's) holds parts, also in a <for>
 * or an <if>. */
bool bind_part_has(const zp_tnode *first);
/* The parts of the body from first: the attachments' titles first, then
 * each part (doc->parts) with its blocks on the doc's chain. */
void bind_part_body(binder *b, const zp_tnode *first);

/* ---- bind-check.c: diagnostics, the budget, checks ---- */

/* Reports at loc, once per site (loc, fmt and b->site_tag): the same place
 * reporting again, for other iterations, is counted, and printed once by
 * bind_check_flush() with the count; out of memory, printed at once. */
void bind_check_report(binder *b, zp_severity sev, zp_loc loc, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));
/* Prints the sites' messages to b->d, in the order first reported, and
 * frees them. */
void bind_check_flush(binder *b);
/* s as it is, or its first bytes (whole characters) and "…" in buf (size
 * bytes) when it is too long for a message. */
const char *bind_check_shorten(const char *s, char *buf, size_t size);
/* A text that becomes a PDF string (a bookmark, an Info property) must be
 * short enough (ZP_MAX_TEXT_STRING); else false, after an error at n
 * naming what and the data from (may be NULL) it came from. */
bool bind_check_string_fits(binder *b, const zp_tnode *n, const char *what,
                            const char *text, const zp_json *from);
/* The size of the data from v: its values plus the bytes of its strings,
 * keys and numbers (the budget's unit). */
long bind_check_data_size(const zp_json *v);
/* Whether binding must stop: the budget spent (reported, once, at n) or
 * b->aborted. */
bool bind_check_over_budget(binder *b, const zp_tnode *n);
/* Spends k steps at n; false (after the report) when none are left. */
bool bind_check_spend(binder *b, const zp_tnode *n, long k);
/* <check> n: the stated figure against the computed one (or a grade
 * against the bands); a failure is a finding (error or warning). */
void bind_check_element(binder *b, const zp_tnode *n);
/* Numbers written as text with broken thousands grouping ("1,50.42") in
 * v, a string of the data that the template prints (once however often). */
void bind_check_grouping(binder *b, const zp_json *v);

#endif
