/* tmpl.h — the template loader: XML templates as our own tree.
 *
 * A template is parsed by libxml2 (no network, line numbers kept),
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

#include "diag.h"
#include "doc.h"

typedef struct zp_tattr {
  const char *name, *value;
} zp_tattr;

typedef struct zp_tnode zp_tnode;
struct zp_tnode {
  const char *name; /* element name; NULL for a text node */
  const char *text; /* a text node's text */
  zp_tattr *attrs;
  int nattrs;
  zp_loc loc; /* file and line of the element */
  zp_tnode *child, *next;
};

typedef struct zp_template {
  zp_arena *arena; /* owns everything */
  const char *path;
  const zp_tnode **top; /* top-level elements, style sheets first */
  int ntop;
} zp_template;

/* Loads, validates and converts the template at path.  Every problem is
 * reported with its file and line; returns NULL when there was one.  Free
 * with zp_tmpl_free(). */
zp_template *zp_tmpl_load(const char *path, zp_diag *d);
void zp_tmpl_free(zp_template *t);

/* An attribute's value, or NULL. */
const char *zp_tmpl_attr(const zp_tnode *n, const char *name);

/* The font roles the template defines (<fonts><role>), NULL-name
 * terminated, in the template's arena; NULL when it defines none. */
const zp_doc_role *zp_tmpl_roles(const zp_template *t);

#endif
