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
 * later definition (a style, the page) overrides an earlier one.
 * libxml2's types never leave tmpl.c.
 */
#ifndef ZP_TMPL_H
#define ZP_TMPL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "doc.h"

/* A field of a text or attribute, parsed when the template is loaded:
 *   {path}  {path|fmt}  {path|fmt:arg}  {path?}  {path ?? 'default'}
 *   {=EXPR|fmt:arg}   (a computed value, see calc.h)
 * The loader has already rejected unclosed braces, empty paths, unknown
 * formatters and bad formatter arguments, with the field's file:line. */
typedef struct zp_tfield {
  const char *path;  /* "budget.by_source[0].name"; NULL when computed */
  const char *expr;  /* the expression of {=EXPR}, else NULL */
  const char *fmt;   /* formatter name ("money") or NULL */
  const char *arg;   /* its argument ("2") or NULL */
  const char *dflt;  /* {path ?? 'x'}: "x"; else NULL */
  bool optional;     /* {path?} */
  zp_loc loc;        /* file and line of the field itself */
  size_t start, end; /* bytes of "{…}" in the text or attribute value */
} zp_tfield;

typedef struct zp_tattr {
  const char *name, *value;
  const zp_tfield *fields; /* the fields of a field attribute (section
                              title, table caption, info); else NULL */
  int nfields;
} zp_tattr;

typedef struct zp_tnode zp_tnode;
struct zp_tnode {
  const char *name; /* element name; NULL for a text node */
  const char *text; /* a text node's text */
  zp_tattr *attrs;
  int nattrs;
  zp_loc loc; /* file and line of the element; of a text node, the line
                 where the text starts */
  const zp_tfield *fields; /* a text node's fields, in order */
  int nfields;
  zp_tnode *child, *next;
};

typedef struct zp_template {
  zp_arena *arena; /* owns everything */
  const char *path;
  const zp_tnode **top; /* top-level elements, style sheets first */
  int ntop;
  /* every file read: the template, then each included file once, in the
   * order read (what a batch fingerprints) */
  const char **files;
  int nfiles, capfiles;
} zp_template;

/* Loads, validates and converts the template at path.  Every problem is
 * reported with its file and line; returns NULL when there was one.  Free
 * with zp_tmpl_free(). */
zp_template *zp_tmpl_load(const char *path, zp_diag *d);
void zp_tmpl_free(zp_template *t);

/* Parses the fields of text (fields in braces, {{ and }} as literal
 * braces) whose first line is loc.line, into the arena.  Sets *fields and
 * *n (NULL and 0 when there are none).  Reports each malformed field
 * (unclosed, empty path, unknown formatter, bad argument) at its own line
 * and returns false if there was one. */
bool zp_tmpl_parse_fields(zp_arena *a, const char *text, zp_loc loc,
                          const zp_tfield **fields, int *n, zp_diag *d);

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
 * terminated, in the template's arena; NULL when it defines none. */
const zp_doc_role *zp_tmpl_roles(const zp_template *t);

#endif
