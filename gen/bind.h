/* bind.h — the binder: template + data → document tree.
 *
 * Walks the compiled template (tmpl.h: kinds, attributes, styles and
 * macros resolved at load) once, evaluating fields ({path|formatter}),
 * loops, conditionals and macros against the data, numbering sections and
 * items by level and building tables (merged cells from the data's shape).
 * The template is only read: one template binds many data files.  A field the
 * data lacks, or of the wrong type, is an error naming the template's
 * file:line, the JSON path, the data file's line:col and what was expected.
 * <check> elements compare stated figures with computed ones (calc.h); each
 * failure names the JSON path, the data's line:col, both values and the rule.
 * Binding goes on after an error so that several are reported, but then returns
 * NULL.
 */
#ifndef ZP_BIND_H
#define ZP_BIND_H

#include "diag.h"
#include "doc.h"
#include "json.h"
#include "tmpl.h"

typedef struct zp_bind_opts {
  /* failed <check>s and broken digit grouping are warnings, not errors */
  bool inconsistent_as_warnings;
} zp_bind_opts;

/* Returns the document (free with zp_doc_free), or NULL after errors.
 * Failed checks are errors (warnings where the check says so). */
zp_doc *zp_bind(const zp_template *t, const zp_json_doc *data, zp_diag *d);
zp_doc *zp_bind_with(const zp_template *t, const zp_json_doc *data,
                     const zp_bind_opts *opts, zp_diag *d);

#endif
