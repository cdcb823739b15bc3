/* import.h — zpgen import: a sheet of a workbook (or a CSV file) to the
 * JSON data a template reads, by a mapping file.
 *
 * The mapping (JSON) names where each value is:
 *
 *   {"sheet": "自评表",                      the sheet (default: the first)
 *    "values": {"meta.title": "A1",          a JSON path: a cell and a type
 *               "meta.year": "B2 number",
 *               "budget.by_source[0].rate": "E7 number?"},
 *    "tables": [{"path": "indicators",       an array of the data
 *                "rows": "12:40",            the sheet rows it is read from
 *                "levels": [                 the hierarchy, outermost first
 *                  {"group": "A", "children": "children",
 *                   "fields": {"name": "A", "weight": "B number"}},
 *                  {"fields": {"name": "E", "score": "I number",
 *                              "basis": "J string?"}}]}]}
 *
 * Types: string (the default), number, and either followed by "?": an
 * empty cell is then null.  A group level's items are the merged cells of
 * its group column (a cell that is not merged is an item of one row; in a
 * CSV file, which has no merged cells, an empty group cell continues the
 * item above), each nested inside the item of the level above; the last
 * level has one item per row.  Several tables may add to the same array.
 * Every cell that does not fit is an error naming the sheet, the cell and
 * what was expected (a number typed as text, a merged cell crossing its
 * group's end, an empty required cell); the JSON is written only when
 * there is none, through a temporary file (out.h).
 */
#ifndef ZP_IMPORT_H
#define ZP_IMPORT_H

#include "diag.h"

/* Reads input (.xlsx, else CSV) by the mapping file mapping and writes the
 * JSON to output ("-": standard output).  sheet (may be NULL) overrides
 * the mapping's sheet.  Returns 0, 1 (the input does not fit the mapping,
 * or a malformed mapping or workbook) or 3 (a file could not be read or
 * written), every problem reported in d. */
int zp_import_run(const char *input, const char *mapping, const char *output,
                  const char *sheet, zp_diag *d);

#endif
