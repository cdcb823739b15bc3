/* tmpl.h — the template loader: XML templates as our own tree.
 *
 * A template is read whole (at most 4 MB; a directory or another
 * non-regular file is an error at the including line) and parsed by
 * libxml2 (no network, no DOCTYPE so no entities, line numbers kept),
 * validated against the RELAX NG schema built into zpgen
 * (templates/zpgen.rng), its <include href="…"/> style sheets loaded and
 * validated the same way (paths relative to the including file; a cycle is
 * an error), and converted into zp_tnode trees that carry every element's
 * file and line.  The top-level elements of the included style sheets and
 * of the template are gathered in document order into one list, so that a
 * later definition (a style, the page) overrides an earlier one.  Then
 * tcompile.c compiles the trees (see zp_tmpl_load and tmpl-imp.h).
 * libxml2's types never leave tmpl.c.
 */
#ifndef ZP_TMPL_H
#define ZP_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "calc.h"
#include "diag.h"
#include "doc.h"

/* A field of a text or attribute, parsed when the template is loaded:
 *   {path}  {path|fmt}  {path|fmt:arg}  {path?}  {path ?? 'default'}
 *   {=EXPR|fmt:arg}   (a computed value, see calc.h)
 * The loader has already rejected unclosed braces, empty paths, unknown
 * formatters and bad formatter arguments, with the field's file:line. */
typedef struct zp_tfield {
  const char *path;     /* "budget.by_source[0].name"; NULL when computed */
  const char *expr;     /* the expression of {=EXPR}, else NULL */
  const char *fmt;      /* formatter name ("money") or NULL */
  const char *arg;      /* its argument ("2") or NULL */
  const char *dflt;     /* {path ?? 'x'}: "x"; else NULL */
  bool optional;        /* {path?} */
  zp_loc loc;           /* file and line of the field itself */
  size_t start, end;    /* bytes of "{…}" in the text or attribute value */
  const zp_expr *cexpr; /* expr, parsed when the template is compiled */
} zp_tfield;

typedef struct zp_tattr {
  const char *name, *value;
  const zp_tfield *fields; /* the fields of a field attribute (section
                              title, table caption, info); else NULL */
  int nfields;
} zp_tattr;

/* The elements the binder walks; the style sheet's elements (page, style,
 * numbering, folio, grades, fonts, define, info, body…) are ZP_T_SHEET:
 * the compiler reads them once, at load, into zp_template. */
typedef enum zp_tkind {
  ZP_T_TEXT, /* a text node: text and fields */
  ZP_T_SHEET,
  ZP_T_P,
  ZP_T_ITEM,
  ZP_T_SECTION,
  ZP_T_FOR,
  ZP_T_IF,
  ZP_T_ELSE,
  ZP_T_USE,
  ZP_T_CHECK,
  ZP_T_PAGE_BREAK,
  ZP_T_TABLE,
  ZP_T_COL,
  ZP_T_HEAD,
  ZP_T_ROW,
  ZP_T_CELL,
  ZP_T_BR,
  ZP_T_IMAGE,
  ZP_T_SIGNATURE,
  /* inline elements (spans, see doc.h), and a section's <title> */
  ZP_T_B,
  ZP_T_SUP,
  ZP_T_SUB,
  ZP_T_SPAN,
  ZP_T_A,
  ZP_T_REF,
  ZP_T_NOTE,
  ZP_T_TITLE,
  ZP_T_CONTENTS,
  ZP_T_PART,            /* <part> (a cover too) */
  ZP_T_ATTACHMENT,      /* <attachment> */
  ZP_T_ATTACHMENT_LIST, /* <attachment-list/> */
  ZP_T_HF               /* <header>, <footer> of a part */
} zp_tkind;

/* A <part>'s or <attachment>'s attributes, parsed and checked at load. */
typedef struct zp_tpart {
  zp_part_kind kind;
  zp_page_setup page; /* the sheet's page with the part's attributes,
                         pitches derived */
  zp_folio folio;     /* the sheet's folio with the part's <folio> */
  bool restart;
  int start;
  zp_num_style num;
  bool folio_portrait;
  zp_place place;
  const zp_tattr *title; /* an attachment's; NULL else */
  zp_loc title_at;       /* where its title= stands (an error's caret) */
  const zp_tattr *label; /* an attachment's label= (附件1), or NULL */
  const zp_style *label_style, *title_style; /* an attachment's */
  const zp_watermark *watermark;             /* a <watermark> child, or NULL */
  bool no_watermark;                         /* watermark="no" */
} zp_tpart;

typedef enum zp_check_kind {
  ZP_CHECK_EQUALS,
  ZP_CHECK_MAX,
  ZP_CHECK_MIN,
  ZP_CHECK_GRADE
} zp_check_kind;

/* A <use> parameter: name="path". */
typedef struct zp_tparam {
  const char *name, *path;
} zp_tparam;

/* A <table>'s attributes, parsed and checked at load. */
typedef struct zp_ttable {
  const zp_style *cell_style, *head_style; /* style / header-style */
  const zp_style *caption_style;           /* NULL without a caption */
  const zp_column *cols;                   /* the <col>s */
  int ncols;
  const zp_tattr *caption; /* with its fields; NULL: none */
  bool numbered;           /* number="yes": 表N： */
  const char *continued;   /* NULL: none */
  double rule_width, frame_width;
  double pad_top, pad_bottom, pad_left, pad_right;
  int min_split_lines;
} zp_ttable;

typedef struct zp_tnode zp_tnode;
struct zp_tnode {
  zp_tkind kind;
  const char *name; /* element name; NULL for a text node */
  const char *text; /* a text node's text */
  zp_tattr *attrs;
  int nattrs;
  zp_loc loc; /* file and line of the element; of a text node, the line
                 where the text starts */
  const zp_tfield *fields; /* a text node's fields, in order */
  int nfields;
  const char *comment; /* the text of an XML comment directly before the
                          element (nothing but white space between, no
                          blank line), its white space runs made one
                          space; NULL: none (zpgen schema's descriptions) */
  zp_tnode *child, *next;
  /* id="…" of a p, item, section or table, with its fields; else NULL */
  const zp_tattr *id;
  zp_loc id_at; /* where id= is written */
  /* what the compiler made of the element (by kind), in the template's
   * arena; styles are resolved (NULL: the binder's default by level) */
  union {
    struct {
      const zp_style *style;
      float fill; /* <p fill>: as zp_block.fill */
    } p;          /* P, ITEM */
    struct {
      const zp_tattr *title;    /* title="…", or NULL */
      const zp_tnode *title_el; /* or its <title> child (inline), or NULL */
      bool numbered, new_page;
      const zp_style *style;
    } section;
    struct {
      const char *each, *as, *sep; /* sep: NULL when none */
    } loop;
    struct {
      const char *test;    /* the text of the test */
      const zp_expr *expr; /* parsed (calc.h) */
      bool bare;           /* a bare path: "exists and is not empty" */
      bool negate;         /* not="yes" */
      const zp_tnode *els; /* the <else/> child, or NULL */
    } cond;
    struct {
      const zp_tnode *def; /* the effective <define> */
      const zp_tparam *params;
      int nparams;
    } use;
    struct {
      zp_check_kind kind;
      const char *value;    /* path of the stated figure */
      const char *expr;     /* grade: "grade(EXPR)" */
      const zp_expr *cexpr; /* expr, parsed */
      const char *rule;     /* NULL: none given */
      int places;           /* -1: the stated number's */
      bool warning;
    } check;
    const zp_ttable *table;
    const zp_tpart *part; /* PART, ATTACHMENT */
    struct {
      bool footer;
      zp_hf_pages pages;
      const zp_style *style; /* NULL: the folio's font and size */
      zp_align align;
      double distance;
    } hf;
    const zp_style *list_style; /* ATTACHMENT_LIST */
    struct {
      const zp_contents *toc;              /* levels, indents, leader */
      const zp_style *style, *title_style; /* entries; title (may be NULL) */
      const zp_tattr *title;               /* with its fields; NULL: none */
      bool outline;                        /* the title has a bookmark */
    } contents;
    struct {
      int colspan, rowspan;
      const zp_style *style; /* its own, or NULL */
      bool has_align;
      zp_align align;
      zp_valign valign;
      zp_loc rowspan_at; /* where rowspan= is written */
      const char *span;  /* the loop variable, "blank", or NULL */
      bool blank;        /* span="blank" */
    } cell;
    const zp_doc_image *image; /* IMAGE: read and checked (timage.c) */
    struct {
      const zp_tattr *unit, *date; /* with their fields */
      const zp_style *style;       /* its own, or NULL: "body" */
      zp_signature sign;           /* seal and indent; unit, date unset */
    } sign;                        /* SIGNATURE */
    /* B, SUP, SUB, SPAN: a STYLE span; A, REF: a LINK; NOTE: a NOTE */
    struct {
      const zp_style *style; /* <span style>, or NULL */
      bool bold;             /* <b> */
      zp_shift shift;        /* <sup>, <sub> */
      uint32_t color;        /* <span color>, or ZP_COLOR_INHERIT */
      const zp_tattr *href;  /* <a href>, with its fields */
      const zp_tattr *to;    /* <ref to>, with its fields */
      zp_loc at;             /* <note>: the element; <a>, <ref>: href=, to= */
    } inl;
  } as;
};

/* Numbering levels 1..ZP_TMPL_MAX_LEVELS. */
#define ZP_TMPL_MAX_LEVELS 8

/* A numbering level, compiled; prefix and suffix may hold fields from the
 * data's root, so the binder expands them. */
typedef enum zp_tnumber {
  ZP_NUMBER_DECIMAL, /* 1 2 3 */
  ZP_NUMBER_CN,      /* 一 二 三 */
  ZP_NUMBER_ALPHA    /* a b c … z aa ab */
} zp_tnumber;

typedef struct zp_tlevel {
  zp_tnumber format;
  const zp_tattr *prefix, *suffix;
  const zp_style *heading_style, *item_style; /* NULL: "body" */
  bool outline;
  const zp_tnode *node; /* the <level>, NULL when undefined */
} zp_tlevel;

/* Grade bands, highest first; at most ZP_TMPL_MAX_BANDS. */
#define ZP_TMPL_MAX_BANDS 16

typedef struct zp_template {
  zp_arena *arena; /* owns everything */
  const char *path;
  const zp_tnode **top; /* top-level elements, style sheets first */
  int ntop;
  /* every file read: the template, then each included file once, in the
   * order read (what a batch fingerprints) */
  const char **files;
  int nfiles, capfiles;
  /* ---- compiled at load (tcompile.c); a document may point into these
   * (styles, roles) and must be freed before the template ---- */
  zp_page_setup page; /* pitches derived */
  zp_folio folio;
  zp_footnotes footnotes; /* <footnotes>; style NULL: the built-in one */
  zp_tlevel levels[ZP_TMPL_MAX_LEVELS + 1];
  zp_calc_band bands[ZP_TMPL_MAX_BANDS];
  int nbands;
  const zp_doc_role *roles;
  const zp_style *body_style; /* "body", or NULL when undefined */
  const zp_tnode *body;
  const zp_tattr *info[5]; /* <info> title, author, subject, keywords,
                              date; NULL when unset */
  const zp_tnode *info_node;
  long size; /* nodes plus bytes of text, for the binder's budget */
  const zp_watermark *watermark; /* the last <watermark>, or NULL */
  /* the images read, each file once (timage.c) */
  struct zp_timage *images;
} zp_template;

/* Loads, validates, converts and compiles the template at path: element
 * kinds, attributes parsed and checked, styles resolved, macros found,
 * expressions checked, the page, folio, numbering and grades read, all
 * once and whatever the data (also in loops that never run).  Every
 * problem is reported with its file and line; returns NULL when there was
 * one.  Free with zp_tmpl_free(), after every document bound from it. */
zp_template *zp_tmpl_load(const char *path, zp_diag *d);
void zp_tmpl_free(zp_template *t);

/* Parses the fields of text (fields in braces, {{ and }} as literal
 * braces) whose first line is loc.line, into the arena.  Sets *fields and
 * *n (NULL and 0 when there are none).  Reports each malformed field
 * (unclosed, empty path, unknown formatter, bad argument) at its own line
 * and returns false if there was one. */
bool zp_tmpl_parse_fields(zp_arena *a, const char *text, zp_loc loc,
                          const zp_tfield **fields, int *n, zp_diag *d);

/* What is wrong with uri as a link's target (a sentence), or NULL when
 * it is a URL of scheme http or https with a host, or mailto with an
 * address, of printable ASCII and at most ZP_MAX_TEXT_STRING bytes. */
const char *zp_tmpl_uri_problem(const char *uri);

/* An attribute's value, or NULL. */
const char *zp_tmpl_attr(const zp_tnode *n, const char *name);

/* A generic XML reader, for the modules that read other XML (the workbook
 * reader, xlsx.c), so that libxml2 stays in this module.  Parses len bytes
 * at text, named name in messages, with no network access, into zp_tnode
 * elements and text nodes allocated in arena a: an element's name and its
 * attributes' names are local names (a namespace prefix is dropped:
 * "r:id" is "id"); fields are not parsed; CDATA is text.  A document with
 * a DTD (<!DOCTYPE) is refused, so no entity can be declared or expanded.
 * Returns the root element, or NULL with an error "name:LINE:COL: ...". */
zp_tnode *zp_tmpl_read_xml(zp_arena *a, const char *text, size_t len,
                           const char *name, zp_diag *d);

/* The font roles the template defines (<fonts><role>), NULL-name
 * terminated, in the template's arena; NULL when it defines none.  (The
 * compiled template keeps them in t->roles.) */
const zp_doc_role *zp_tmpl_roles(const zp_template *t);

#endif
