/* bind.h — the binder: template + data → document tree.
 *
 * Walks the template once, evaluating fields ({path|formatter}), loops,
 * conditionals and macros against the data, numbering sections and items
 * by level, resolving styles (inheritance, units) and building tables
 * (merged cells from the data's shape).  A field the data lacks, or of the
 * wrong type, is an error naming the template's file:line, the JSON path,
 * the data file's line:col and what was expected.  Binding goes on after an
 * error so that several are reported, but then returns NULL.
 */
#ifndef ZP_BIND_H
#define ZP_BIND_H

#include "diag.h"
#include "doc.h"
#include "json.h"
#include "tmpl.h"

/* Returns the document (free with zp_doc_free), or NULL after errors. */
zp_doc *zp_bind(const zp_template *t, const zp_json_doc *data, zp_diag *d);

#endif
