/* sheet.h — one sheet of a workbook (.xlsx) or a CSV file, as cells.
 *
 * An .xlsx is a zip of XML files: this module reads the zip's central
 * directory and inflates the members it needs (deflate.h), and parses the
 * workbook, its relationships, the shared strings and the sheet through
 * the template loader's generic XML reader (tmpl.h), so that libxml2 and
 * libdeflate each keep one module.  The workbook is untrusted: the file is
 * at most ZP_SHEET_MAX_FILE bytes, a member inflates to at most
 * ZP_SHEET_MAX_MEMBER bytes and at most ZP_SHEET_MAX_RATIO times its
 * compressed size, the members read come to at most ZP_SHEET_MAX_TOTAL,
 * every offset and size is checked against the file, a relationship's
 * target may not leave the package ("..") , shared-string indices and
 * cell references are checked, and a sheet holds at most
 * ZP_SHEET_MAX_CELLS cells.  Each violation is an error naming the file
 * (and the member or cell).
 *
 * A CSV file (RFC 4180: commas, double quotes doubled inside quoted
 * fields, CRLF or LF) is one sheet whose cells are text, but for an
 * unquoted field that is a number, which is a number; it has no merged
 * cells.
 */
#ifndef ZP_SHEET_H
#define ZP_SHEET_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "diag.h"

#define ZP_SHEET_MAX_FILE (64u << 20)
#define ZP_SHEET_MAX_MEMBER (32u << 20)
#define ZP_SHEET_MAX_TOTAL (128u << 20)
#define ZP_SHEET_MAX_RATIO 200
#define ZP_SHEET_MAX_CELLS 1000000
#define ZP_SHEET_MAX_ROW 1048576 /* Excel's limits */
#define ZP_SHEET_MAX_COL 16384

typedef enum {
  ZP_SCELL_EMPTY,
  ZP_SCELL_NUMBER,
  ZP_SCELL_TEXT,
  ZP_SCELL_BOOL,
  ZP_SCELL_ERROR /* #N/A, #DIV/0!, ... */
} zp_scell_type;

typedef struct zp_scell {
  int row, col; /* 1-based */
  zp_scell_type type;
  const char *text; /* NUMBER: the number as written; TEXT, ERROR: the
                       text; BOOL: "TRUE"/"FALSE" */
  double number;    /* NUMBER */
} zp_scell;

/* A merged range, rows r0..r1 and columns c0..c1 (1-based, inclusive). */
typedef struct zp_merge {
  int r0, c0, r1, c1;
} zp_merge;

typedef struct zp_sheet {
  zp_arena *arena;         /* owns everything */
  const char *file, *name; /* the file, and the sheet's name */
  zp_scell *cells;         /* sorted by row, then column */
  size_t ncells;
  zp_merge *merges;
  size_t nmerges;
  bool csv;                  /* read from CSV: no merged cells can be told */
  struct zp_sheet_col *cols; /* per column, the merged ranges covering it,
                                built when first asked for */
} zp_sheet;

/* Reads the sheet named sheet (NULL: the first) of the workbook at path
 * (.xlsx).  NULL with an error.  Free with zp_sheet_free(). */
zp_sheet *zp_sheet_read_xlsx(const char *path, const char *sheet, zp_diag *d);

/* Reads the CSV file at path as a sheet named after the file.  NULL with
 * an error (malformed quoting names its line). */
zp_sheet *zp_sheet_read_csv(const char *path, zp_diag *d);

/* Reads path as a workbook when it ends in .xlsx, else as CSV. */
zp_sheet *zp_sheet_read(const char *path, const char *sheet, zp_diag *d);

void zp_sheet_free(zp_sheet *s);

/* The cell at row, col, or NULL when it is empty (absent). */
const zp_scell *zp_sheet_get(const zp_sheet *s, int row, int col);

/* Checks that no two merged ranges overlap in column col (1-based),
 * building the column's index of merged ranges that zp_sheet_merge_at
 * uses (once: O(merges) for a column, then O(log merges) a lookup).
 * False with an error naming the sheet and the cell. */
bool zp_sheet_check_column(zp_sheet *s, int col, zp_diag *d);

/* The merged range that covers row, col, or NULL (where ranges overlap,
 * the first; zp_sheet_check_column tells). */
const zp_merge *zp_sheet_merge_at(zp_sheet *s, int row, int col);

/* Parses a cell reference "C12" (columns A to XFD, rows 1 to 1048576)
 * into *row, *col; *end (may be NULL) gets the first byte after it.
 * False when s does not start with one. */
bool zp_sheet_parse_ref(const char *s, int *row, int *col, const char **end);

/* Writes the reference of row, col ("C12") into buf (at least 16 bytes);
 * returns buf. */
char *zp_sheet_ref(int row, int col, char *buf);

#endif
