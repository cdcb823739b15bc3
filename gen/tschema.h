/* tschema.h — the JSON Schema (draft 2020-12) of the data a compiled
 * template reads: `zpgen schema --template T`.  Objects and their members
 * from the paths of fields, loops, tests, checks and macro parameters;
 * arrays from <for each>; types from formatters, checks and the
 * expressions of computed fields, tests and rules; required versus
 * optional from <if>, ?, ?? and what an expression cannot do without;
 * descriptions from doc="…" or the comment before the element that reads
 * a path.  See tschema.c for the rules. */
#ifndef ZP_TSCHEMA_H
#define ZP_TSCHEMA_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "tmpl.h"

/* Writes the schema of the data t reads to out; false (after an error in
 * d) when out could not be written.  Allocates nothing that outlives the
 * call. */
bool zp_tmpl_schema(const zp_template *t, FILE *out, zp_diag *d);

#endif
