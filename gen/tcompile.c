/* tcompile.c — the template compiler's driver (see tmpl-imp.h; its
 * stages share tcompile-imp.h).
 *
 * Runs once per template, after tmpl.c has converted and gathered it, in
 * this order (each step needs the ones before):
 *   1. the page: every <page> in document order, checked, pitches derived;
 *   2. the styles: the last <style> of each name wins; every one resolved
 *      along its parents (cycles and bad values reported at its line);
 *   3. style references: every name an element gives that no <style>
 *      defines, at that element, once, whatever the data;
 *   4. the folio, the numbering levels, the grade bands, the font roles
 *      (1 to 4: tcompile-sheet.c);
 *   5. every node: its kind and its attributes parsed into zp_tnode.as,
 *      <use> bound to its <define>, each expression checked (calc.h) —
 *      the walk is here, the blocks are tcompile-block.c's, the inline
 *      elements, ids and references tcompile-inline.c's, the values
 *      tcompile-read.c's.
 * Nothing here reads data: the binder (bind.c) evaluates what is left.
 */
#include <stdlib.h>
#include <string.h>

#include "tcompile-imp.h"

/* ---- 5. the nodes ---- */

static const struct {
  const char *name;
  zp_tkind kind;
} kinds[] = {{"p", ZP_T_P},
             {"item", ZP_T_ITEM},
             {"section", ZP_T_SECTION},
             {"for", ZP_T_FOR},
             {"if", ZP_T_IF},
             {"else", ZP_T_ELSE},
             {"use", ZP_T_USE},
             {"check", ZP_T_CHECK},
             {"page-break", ZP_T_PAGE_BREAK},
             {"table", ZP_T_TABLE},
             {"col", ZP_T_COL},
             {"head", ZP_T_HEAD},
             {"row", ZP_T_ROW},
             {"cell", ZP_T_CELL},
             {"br", ZP_T_BR},
             {"image", ZP_T_IMAGE},
             {"signature", ZP_T_SIGNATURE},
             {"b", ZP_T_B},
             {"sup", ZP_T_SUP},
             {"sub", ZP_T_SUB},
             {"span", ZP_T_SPAN},
             {"a", ZP_T_A},
             {"ref", ZP_T_REF},
             {"note", ZP_T_NOTE},
             {"title", ZP_T_TITLE},
             {"contents", ZP_T_CONTENTS},
             {"part", ZP_T_PART},
             {"attachment", ZP_T_ATTACHMENT},
             {"attachment-list", ZP_T_ATTACHMENT_LIST},
             {"header", ZP_T_HF},
             {"footer", ZP_T_HF}};

static bool is_inline_kind(zp_tkind k) {
  return k == ZP_T_B || k == ZP_T_SUP || k == ZP_T_SUB || k == ZP_T_SPAN ||
         k == ZP_T_A || k == ZP_T_REF || k == ZP_T_NOTE;
}

/* Compiles n and its siblings and their content; where: what content
 * this is (IN_SHEET: the style sheet's own elements, not the content of
 * <define> or <body>). */
static void node(comp *c, zp_tnode *n, int where) {
  bool sheet_level = where == IN_SHEET;
  for (; n; n = n->next) {
    c->t->size += 1 + (long)(n->text ? strlen(n->text) : 0);
    if (!n->name) {
      n->kind = ZP_T_TEXT;
      tc_read_fields(c, n->fields, n->nfields);
      continue;
    }
    n->kind = ZP_T_SHEET;
    if (!sheet_level)
      for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(n->name, kinds[i].name) == 0)
          n->kind = kinds[i].kind;
    for (int i = 0; i < n->nattrs; i++)
      tc_read_fields(c, n->attrs[i].fields, n->attrs[i].nfields);
    const char *v;
    tc_inline_id(c, n);
    if (is_inline_kind(n->kind))
      tc_inline_element(c, n);
    switch (n->kind) {
    case ZP_T_P:
    case ZP_T_ITEM:
      tc_block_paragraph(c, n);
      break;
    case ZP_T_SECTION:
      tc_block_section(c, n);
      break;
    case ZP_T_FOR:
      tc_block_for(n);
      break;
    case ZP_T_IF:
      tc_block_if(c, n);
      break;
    case ZP_T_USE:
      tc_block_use(c, n);
      tc_block_use_fits(c, n, where);
      break;
    case ZP_T_CHECK:
      tc_block_check(c, n);
      break;
    case ZP_T_TABLE:
      tc_block_table(c, n);
      break;
    case ZP_T_CELL:
      tc_block_cell(c, n);
      break;
    case ZP_T_IMAGE:
      n->as.image = zp_timage_image(c->t, n, "src", c->d);
      break;
    case ZP_T_SIGNATURE:
      n->as.sign.unit = tc_read_attr(n, "unit");
      n->as.sign.date = tc_read_attr(n, "date");
      v = zp_tmpl_attr(n, "style");
      n->as.sign.style =
          v ? tc_sheet_style(c, v) : tc_sheet_default_style(c, n, "body");
      zp_timage_signature(c->t, n, c->d);
      break;
    case ZP_T_CONTENTS:
      tc_block_contents(c, n);
      break;
    case ZP_T_PART:
    case ZP_T_ATTACHMENT:
      tc_block_part(c, n);
      break;
    case ZP_T_HF: /* compiled with its part */
      break;
    case ZP_T_ATTACHMENT_LIST:
      v = zp_tmpl_attr(n, "style");
      n->as.list_style =
          v ? tc_sheet_style(c, v) : tc_sheet_default_style(c, n, "body");
      break;
    default:
      break;
    }
    /* the content of <define> and <body> is the binder's; the rest of the
     * sheet (styles, numbering, …) the compiler has read */
    int inner = where;
    if (sheet_level)
      inner = is(n, "define") ? IN_DEFINE
              : is(n, "body") ? IN_BLOCKS
                              : IN_SHEET;
    else if (n->kind == ZP_T_P || n->kind == ZP_T_ITEM ||
             n->kind == ZP_T_CELL || n->kind == ZP_T_TITLE ||
             is_inline_kind(n->kind))
      inner = IN_INLINE;
    else if (n->kind == ZP_T_TABLE || n->kind == ZP_T_HEAD)
      inner = IN_ROWS;
    else if (n->kind == ZP_T_ROW)
      inner = IN_CELLS;
    else if (n->kind == ZP_T_SECTION)
      inner = IN_BLOCKS;
    bool note = c->in_note, link = c->in_link;
    if (is_inline_kind(n->kind)) {
      c->inline_depth++;
      c->in_note |= n->kind == ZP_T_NOTE;
      c->in_link |= n->kind == ZP_T_A || n->kind == ZP_T_REF;
    }
    node(c, n->child, inner);
    if (is_inline_kind(n->kind))
      c->inline_depth--;
    c->in_note = note;
    c->in_link = link;
  }
}

bool zp_tmpl_compile(zp_template *t, zp_diag *d) {
  comp *c = calloc(1, sizeof *c);
  if (!c) {
    zp_error(d, (zp_loc){t->path, 0, 0}, "out of memory compiling \"%s\"",
             t->path);
    return false;
  }
  c->t = t;
  c->d = d;
  c->a = t->arena;
  c->errors = zp_diag_errors(d);
  tc_sheet_page(c);
  tc_sheet_styles(c);
  for (int i = 0; i < t->ntop; i++)
    tc_sheet_style_refs(c, t->top[i]);
  tc_sheet_read(c);
  for (int i = 0; i < t->ntop; i++) {
    zp_tnode *top = (zp_tnode *)t->top[i];
    zp_tnode *next = top->next;
    top->next = NULL; /* one top-level element at a time */
    node(c, top, IN_SHEET);
    top->next = next;
  }
  tc_inline_check_ids(c);
  free(c->ids);
  free(c->refs);
  bool ok = zp_diag_errors(d) == c->errors;
  free(c);
  return ok;
}
