/* tcompile-imp.h — private to the template compiler's files (tcompile.c
 * and tcompile-*.c); nothing else includes it.
 *
 * The compiler (see tmpl-imp.h) is cut by stage: tcompile.c drives it
 * (the element kinds, the walk over every node); tcompile-read.c reads
 * what attributes hold (locations for messages, numbers, lengths,
 * colours, expressions); tcompile-sheet.c reads the style sheet (the
 * page, the styles and their resolution, the folio, the footnotes, the
 * numbering, the grades); tcompile-block.c compiles the blocks (parts,
 * paragraphs, sections, loops, conditions, macros, checks, tables, cells,
 * contents); tcompile-inline.c the inline elements, the ids and the
 * references.  They share the state of one compilation, struct comp,
 * freed when the compilation ends.
 */
#ifndef ZP_TCOMPILE_IMP_H
#define ZP_TCOMPILE_IMP_H

#include <string.h>

#include "calc.h"
#include "tmpl-imp.h"

#define MM (72.0 / 25.4)
/* Styles of one template: the official sheet has 20; a name defined
 * twice takes two slots (the later wins). */
#define MAX_STYLES 128

/* A <style> of the template, resolved along its parents on first use. */
typedef struct named_style {
  const char *name;
  const zp_tnode *node;
  zp_style *resolved;
  bool resolving, failed;
} named_style;

/* One compilation of one template. */
typedef struct comp {
  zp_template *t;
  zp_diag *d;
  zp_arena *a;
  named_style styles[MAX_STYLES];
  const char *style_names[MAX_STYLES]; /* for "did you mean" */
  int nstyles;
  int errors; /* zp_diag_errors() at the start */
  /* what each <define> holds (content_class), computed once: -1 while it
   * is being computed (a macro that uses itself) */
  const zp_tnode *class_def[512];
  int class_of[512];
  int nclass;
  /* inline elements around the node being compiled, and whether a note or
   * a link is among them */
  int inline_depth;
  bool in_note, in_link;
  /* the elements with an id and the <ref>s, checked against each other
   * once every node is compiled */
  const zp_tnode **ids, **refs;
  size_t nids, capids, nrefs, caprefs;
  zp_page_setup raw_page; /* the sheet's page before its pitches are derived
                             (a part's page starts from it) */
  const zp_tnode *sheet_folio; /* the <folio> in force, or NULL */
} comp;

/* Where content stands: what a <use> there must bring. */
enum { IN_SHEET, IN_BLOCKS, IN_INLINE, IN_ROWS, IN_CELLS, IN_DEFINE };

/* Is n the element name? */
static inline bool is(const zp_tnode *n, const char *name) {
  return n->name && strcmp(n->name, name) == 0;
}

/* Is v "yes"? */
static inline bool yes(const char *v) { return v && strcmp(v, "yes") == 0; }

/* ---- tcompile-read.c: locations, values, expressions ---- */

/* Where attribute attr of n is written (its line and column: an element
 * may run over several lines); n's own line when it cannot be found. */
zp_loc tc_read_at_attr(comp *c, const zp_tnode *n, const char *attr);
/* Where element n starts ("<table"), on its line (column 0 when not
 * found there). */
zp_loc tc_read_at_elem(comp *c, const zp_tnode *n);
/* Where element n starts, told from other elements of its name on its
 * line (<note>a<note>b…) by its first attribute or the start of its text;
 * tc_read_at_elem() when that is not found. */
zp_loc tc_read_at_elem_exact(comp *c, const zp_tnode *n);
/* "; did you mean <open>x<close>?" for the name x among names[0..n)
 * nearest to word, or "" when none is near; written in buf (size bytes),
 * which is returned. */
const char *tc_read_did_you_mean(const char *word, const char *const *names,
                                 int n, const char *open, const char *close,
                                 char *buf, size_t size);
/* left | center | right | justify (the schema allows no other value). */
zp_align tc_read_align(const char *v);
/* A number as templates write it (an optional sign, digits, an optional
 * point and digits; at most ZP_MAX_NUMBER_CHARS characters), always
 * finite, in *out; *end past it.  False (and *end = s) when there is
 * none. */
bool tc_read_number(const char *s, double *out, const char **end);
/* A whole number s in [min, max] in *out; false when malformed or out of
 * range. */
bool tc_read_count(const char *s, long min, long max, int *out);
/* Integer attribute key of n in [min, max], or dflt when absent; an error
 * at the attribute (naming the range) and dflt when bad. */
int tc_read_count_attr(comp *c, const zp_tnode *n, const char *key, long min,
                       long max, int dflt);
/* A length ("37mm", "1.5cm", "16pt", "2em", "1line", "0"), em and line
 * the sizes of an em and a line in pt, in *out; false when malformed or
 * longer than ZP_MAX_LENGTH either way. */
bool tc_read_length(const char *s, double em, double line, double *out);
/* A font size (a 号 name or pt) in *out; false when malformed or outside
 * ZP_MIN_FONT_SIZE to ZP_MAX_FONT_SIZE. */
bool tc_read_size(const char *s, double *out);
/* A colour "#RRGGBB" (six hex digits) in *out; false when malformed. */
bool tc_read_color(const char *s, uint32_t *out);
/* Attribute name of n (with its fields), or NULL. */
const zp_tattr *tc_read_attr(const zp_tnode *n, const char *name);
/* Expression expr of the template (a computed field, a <check>, a test
 * when what is "test") parsed in c's arena; NULL after an error at at. */
const zp_expr *tc_read_expr(comp *c, zp_loc at, const char *expr,
                            const char *what);
/* Parses the expression of each computed field among f[0..n) into its
 * cexpr (errors reported at the field). */
void tc_read_fields(comp *c, const zp_tfield *f, int n);

/* ---- tcompile-sheet.c: the style sheet ---- */

/* The text block's width and height of page p, pt. */
double tc_sheet_page_width(const zp_page_setup *p);
double tc_sheet_page_height(const zp_page_setup *p);
/* The text block's width of the template's page, pt. */
double tc_sheet_block_width(const comp *c);
/* Applies the page attributes of n (paper, margins, grid, pitches, …)
 * to p; errors at the attributes. */
void tc_sheet_page_setup(comp *c, const zp_tnode *n, zp_page_setup *p);
/* Checks page p, set up at at (its text block, grid and margins), and
 * derives its pitches. */
void tc_sheet_page_check(comp *c, zp_loc at, zp_page_setup *p);
/* Step 1: every <page> at the top in document order into t->page (and
 * c->raw_page before its pitches are derived). */
void tc_sheet_page(comp *c);
/* Step 2: the <style>s at the top into c->styles (the last of a name
 * wins), each resolved along its parents. */
void tc_sheet_styles(comp *c);
/* The style named name as c holds it (the last of that name), or NULL. */
named_style *tc_sheet_find_style(comp *c, const char *name);
/* A style by name, resolved; NULL (silently) when unknown, broken or
 * name is NULL. */
const zp_style *tc_sheet_style(comp *c, const char *name);
/* The default style name (body, td, th, caption) for n; an error at n
 * when the template defines none of that name. */
const zp_style *tc_sheet_default_style(comp *c, const zp_tnode *n,
                                       const char *name);
/* Step 3: reports every style name that n and its content refer to and
 * no <style> defines, whatever the data. */
void tc_sheet_style_refs(comp *c, const zp_tnode *n);
/* Applies the attributes of <folio> n to f, checked against page p. */
void tc_sheet_folio(comp *c, const zp_tnode *n, zp_folio *f,
                    const zp_page_setup *p);
/* Step 4: the folio, footnotes, numbering, grades, watermark, info and
 * <body> at the top into the template; where parts may stand; the body
 * style and the font roles. */
void tc_sheet_read(comp *c);

/* ---- tcompile-block.c: blocks ---- */

/* <part> or <attachment> n: its page, numbering, watermark, folio,
 * headers and footers, a cover's placement, an attachment's title and
 * styles, into n->as.part. */
void tc_block_part(comp *c, zp_tnode *n);
/* <p> or <item> n: its style and a cover's fill share. */
void tc_block_paragraph(comp *c, zp_tnode *n);
/* <section> n: its title (attribute or <title> child), numbering, page
 * break and style. */
void tc_block_section(comp *c, zp_tnode *n);
/* <for> n: each, as, sep. */
void tc_block_for(zp_tnode *n);
/* <if> n: its test parsed, its <else>. */
void tc_block_if(comp *c, zp_tnode *n);
/* <use> n: bound to its <define> (the last of the name; did you mean
 * when none), its parameters. */
void tc_block_use(comp *c, zp_tnode *n);
/* A <use> n must stand where its macro's content belongs (where: IN_*). */
void tc_block_use_fits(comp *c, const zp_tnode *n, int where);
/* <check> n: its kind, expression, value, rule, severity and places. */
void tc_block_check(comp *c, zp_tnode *n);
/* <table> n: its styles, rules, padding, caption and columns, checked to
 * fit the text block, into n->as.table. */
void tc_block_table(comp *c, zp_tnode *n);
/* <cell> n: its column and row spans, alignment, style and blank span. */
void tc_block_cell(comp *c, zp_tnode *n);
/* <contents> n: its levels, styles, indents, leader and numbers. */
void tc_block_contents(comp *c, zp_tnode *n);

/* ---- tcompile-inline.c: inline elements, ids and references ---- */

/* An inline element (B, SUP, SUB, SPAN, A, REF, NOTE): its attributes
 * parsed, its place checked (nesting, a note in a note, a link in a
 * link); a static <ref> remembered for tc_inline_check_ids(). */
void tc_inline_element(comp *c, zp_tnode *n);
/* The id of block n (P, ITEM, SECTION, TABLE), remembered for
 * tc_inline_check_ids(). */
void tc_inline_id(comp *c, zp_tnode *n);
/* Every id given twice, and every <ref to> without its id, when both are
 * static (a computed one is checked when bound); with the nearest ids. */
void tc_inline_check_ids(comp *c);

#endif
