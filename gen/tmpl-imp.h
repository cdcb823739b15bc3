/* tmpl-imp.h — private to the template loader (tmpl.c) and its compiler
 * (tcompile.c); nothing else includes it.
 *
 * tmpl.c reads and validates the XML and converts it into zp_tnode trees
 * (names, attributes, fields); tcompile.c then compiles those trees once:
 * it sets every node's kind and its parsed attributes (zp_tnode.as),
 * resolves styles, macros and the defaults, reads the page, folio,
 * numbering and grades into the zp_template, and checks every expression,
 * so that the binder (bind.c) only evaluates.
 */
#ifndef ZP_TMPL_IMP_H
#define ZP_TMPL_IMP_H

#include "tmpl.h"

/* Compiles the converted template t (its top list gathered).  Every static
 * error is reported at its file:line; returns false when there was one. */
bool zp_tmpl_compile(zp_template *t, zp_diag *d);

#endif
