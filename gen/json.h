/* json.h — the JSON loader: the report's data as a tree with positions.
 *
 * Parsing is done by cJSON; this module converts its tree into our own
 * zp_json nodes, each carrying the line and column (1-based, column counted
 * in characters) where its value starts in the file, and the raw text of
 * numbers (so that "99.66" keeps its stated precision).  cJSON's types never
 * appear outside json.c.
 */
#ifndef ZP_JSON_H
#define ZP_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"

typedef enum {
  ZP_JSON_NULL,
  ZP_JSON_BOOL,
  ZP_JSON_NUMBER,
  ZP_JSON_STRING,
  ZP_JSON_ARRAY,
  ZP_JSON_OBJECT
} zp_json_type;

typedef struct zp_json zp_json;
struct zp_json {
  zp_json_type type;
  int line, col;      /* where the value starts */
  const char *key;    /* member name when inside an object, else NULL */
  bool boolean;       /* ZP_JSON_BOOL */
  double number;      /* ZP_JSON_NUMBER */
  const char *raw;    /* ZP_JSON_NUMBER: the token as written, "18335.56" */
  const char *string; /* ZP_JSON_STRING: UTF-8, NUL-terminated */
  size_t length;      /* ZP_JSON_STRING: bytes; ARRAY/OBJECT: members */
  zp_json *child;     /* ARRAY/OBJECT: first member */
  zp_json *next;      /* next sibling */
  const zp_json *parent;
  /* ARRAY/OBJECT of more than 16 members: an index of them (the JSON
   * module's own, in the document's arena), so that a member or element is
   * found in constant time; NULL for smaller ones */
  const struct zp_json_index *index;
};

typedef struct zp_json_origin zp_json_origin;

typedef struct zp_json_doc {
  zp_arena *arena; /* owns every node and string */
  const zp_json *root;
  const char *file; /* the name used in diagnostics */
  /* a merge of several files (zp_json_merge), else NULL and 0: */
  struct zp_json_doc **parts; /* the files' documents, owned */
  int nparts;
  const zp_json_origin *origins; /* the merged nodes and their files */
  size_t norigins;
} zp_json_doc;

/* Parses text (len bytes, need not be NUL-terminated).  name is used in
 * diagnostics.  On malformed input reports "name:LINE:COL: error: ..." and
 * returns NULL.  Free the result with zp_json_free(). */
zp_json_doc *zp_json_parse(const char *text, size_t len, const char *name,
                           zp_diag *d);

/* Reads and parses a file; an unreadable file is an error naming it. */
zp_json_doc *zp_json_load_file(const char *path, zp_diag *d);

void zp_json_free(zp_json_doc *doc);

/* Merges the documents of several data files (in this order) into one:
 * each root must be an object; a member of a later file is added to the
 * earlier ones' members; a member that two files both define is merged the
 * same way when both values are objects, and is an error otherwise (naming
 * both places).  Takes ownership of the n documents in every case (they
 * are freed with the result, or at once on failure).  One document is
 * returned as it is.  Returns NULL with an error.  Free with
 * zp_json_free(). */
zp_json_doc *zp_json_merge(zp_json_doc **docs, int n, zp_diag *d);

/* The file a value of doc came from: doc->file, or for a merge the file
 * that defined it. */
const char *zp_json_file(const zp_json_doc *doc, const zp_json *v);

/* The member named key of an object, or NULL (also when obj is not an
 * object). */
const zp_json *zp_json_get(const zp_json *obj, const char *key);

/* Element i of an array, or NULL. */
const zp_json *zp_json_at(const zp_json *arr, size_t i);

/* "null", "boolean", "number", "string", "array", "object". */
const char *zp_json_type_name(zp_json_type t);

/* Writes the JSON path of node ("$.budget.items[2].name") into buf (at most
 * size bytes, NUL-terminated); returns buf. */
char *zp_json_path(const zp_json *node, char *buf, size_t size);

/* Writes s (UTF-8, may be NULL: "") to f as a JSON string literal: quotes,
 * backslashes and control characters escaped. */
void zp_json_write_string(FILE *f, const char *s);

/* (Re)builds node's index (see zp_json.index) in arena a, after its
 * members changed: for code of the JSON module that builds nodes
 * (json_merge.c).  False when out of memory (the node then has none, and
 * lookups scan its members). */
bool zp_json_reindex(zp_arena *a, zp_json *node);

#endif
