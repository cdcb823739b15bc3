/* import.c — see import.h. */
#include "import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "json.h"
#include "out.h"
#include "render.h"
#include "sheet.h"

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_IO = 3 };

/* The JSON being built. */
typedef enum { O_NULL, O_NUM, O_STR, O_ARR, O_OBJ } otype;

typedef struct onode onode;
struct onode {
  otype type;
  const char *key;  /* in an object */
  const char *text; /* O_NUM: as written; O_STR: UTF-8 */
  onode *child, *last, *next;
  size_t n;
};

typedef struct importer {
  zp_arena *a;
  zp_diag *d;
  zp_sheet *s;
  const char *mapfile;
  onode *root;
  int errors; /* cells that do not fit */
} importer;

static onode *onew(importer *im, otype t, const char *key) {
  onode *n = zp_arena_alloc(im->a, sizeof *n);
  if (n) {
    memset(n, 0, sizeof *n);
    n->type = t;
    n->key = key;
  }
  return n;
}

static void oadd(onode *parent, onode *k) {
  if (parent->last)
    parent->last->next = k;
  else
    parent->child = k;
  parent->last = k;
  parent->n++;
}

static zp_loc at(const importer *im, const zp_json *v) {
  return (zp_loc){im->mapfile, v ? v->line : 0, v ? v->col : 0};
}

/* ---- paths ("budget.by_source[0].rate") ---- */

/* The node at path under root, created as needed; the last step made of
 * type last (a value put where one already is, or a step of another type,
 * is an error at where, the mapping's place).  NULL with an error. */
static onode *place(importer *im, const char *path, otype last,
                    const zp_json *where) {
  onode *cur = im->root;
  const char *p = path;
  while (*p) {
    /* a member name */
    size_t n = strcspn(p, ".[");
    if (!n) {
      zp_error(im->d, at(im, where), "the path \"%s\" has an empty step", path);
      return NULL;
    }
    const char *key = zp_arena_strndup(im->a, p, n);
    p += n;
    /* what the member holds: an array when [i] follows, an object when a
     * member follows, else the value */
    otype want = *p == '[' ? O_ARR : *p == '.' ? O_OBJ : last;
    onode *k = NULL;
    for (onode *c = cur->child; c; c = c->next)
      if (strcmp(c->key, key) == 0)
        k = c;
    if (k && (k->type != want || (want != O_ARR && want != O_OBJ))) {
      zp_error(im->d, at(im, where),
               "the path \"%s\" sets \"%s\" twice, or as two kinds of value",
               path, key);
      return NULL;
    }
    if (!k) {
      if (!(k = onew(im, want, key)))
        return NULL;
      oadd(cur, k);
    }
    cur = k;
    while (*p == '[') {
      char *end;
      long i = strtol(p + 1, &end, 10);
      if (end == p + 1 || *end != ']' || i < 0 || (size_t)i > cur->n) {
        zp_error(im->d, at(im, where),
                 "the path \"%s\": an index must be a number, at most the "
                 "array's length so far (%zu)",
                 path, cur->n);
        return NULL;
      }
      p = end + 1;
      want = *p == '[' ? O_ARR : *p == '.' ? O_OBJ : last;
      onode *e = cur->child;
      for (long j = 0; e && j < i; j++)
        e = e->next;
      if (e && (e->type != want || (want != O_ARR && want != O_OBJ))) {
        zp_error(im->d, at(im, where),
                 "the path \"%s\" sets an element twice, or as two kinds of "
                 "value",
                 path);
        return NULL;
      }
      if (!e) {
        if (!(e = onew(im, want, NULL)))
          return NULL;
        oadd(cur, e);
      }
      cur = e;
    }
    if (*p == '.')
      p++;
    else if (*p) {
      zp_error(im->d, at(im, where), "the path \"%s\" is malformed", path);
      return NULL;
    }
  }
  return cur;
}

/* ---- cells ---- */

/* A field's spec: "C" or "C12", then a type. */
typedef struct spec {
  int row, col; /* row 0: a column only */
  bool number, nullable;
} spec;

static bool col_of(const char *s, int *col, const char **end) {
  int c = 0, n = 0;
  while (*s >= 'A' && *s <= 'Z' && n < 3) {
    c = c * 26 + (*s++ - 'A' + 1);
    n++;
  }
  if (!n || c > ZP_SHEET_MAX_COL)
    return false;
  *col = c;
  *end = s;
  return true;
}

static bool parse_spec(importer *im, const zp_json *v, bool cell, spec *sp) {
  const char *end;
  memset(sp, 0, sizeof *sp);
  if (!v || v->type != ZP_JSON_STRING) {
    zp_error(im->d, at(im, v),
             "expected a string naming a %s and a type (\"%s number\")",
             cell ? "cell" : "column", cell ? "B12" : "B");
    return false;
  }
  bool ok = cell ? zp_sheet_parse_ref(v->string, &sp->row, &sp->col, &end)
                 : col_of(v->string, &sp->col, &end);
  if (ok) {
    while (*end == ' ')
      end++;
    if (!*end || strcmp(end, "string") == 0)
      ;
    else if (strcmp(end, "string?") == 0)
      sp->nullable = true;
    else if (strcmp(end, "number") == 0)
      sp->number = true;
    else if (strcmp(end, "number?") == 0)
      sp->number = sp->nullable = true;
    else
      ok = false;
  }
  if (!ok)
    zp_error(im->d, at(im, v),
             "\"%s\": expected a %s (\"%s\") and optionally a type: string, "
             "number, string? or number?",
             v->string, cell ? "cell" : "column", cell ? "B12" : "B");
  return ok;
}

/* The cell error: "sheet "S", cell C12: expected E for PATH, found F". */
static void cell_error(importer *im, int row, int col, const char *path,
                       const char *expected, const char *found) {
  char ref[16];
  zp_error(im->d, (zp_loc){im->s->file, 0, 0},
           "sheet \"%s\", cell %s: expected %s for %s, found %s", im->s->name,
           zp_sheet_ref(row, col, ref), expected, path, found);
  im->errors++;
}

/* The value of cell row, col as sp says, into a new node keyed key (NULL
 * when the cell does not fit: reported, counted).  one_row: a merged
 * range covering the cell must not span rows (one item per row). */
static onode *cell_value(importer *im, int row, int col, const spec *sp,
                         const char *key, const char *path, bool one_row) {
  if (!zp_sheet_check_column(im->s, col, im->d)) {
    im->errors++;
    return NULL;
  }
  const zp_merge *m = zp_sheet_merge_at(im->s, row, col);
  char found[512], ref0[16], ref1[16];
  if (m && (m->r0 != row || m->c0 != col)) {
    snprintf(found, sizeof found,
             "a cell inside the merged range %s:%s (its value is in %s)",
             zp_sheet_ref(m->r0, m->c0, ref0), zp_sheet_ref(m->r1, m->c1, ref1),
             ref0);
    cell_error(im, row, col, path,
               one_row ? "a cell of its own on each row" : "a cell of its own",
               found);
    return NULL;
  }
  if (m && one_row && m->r1 > m->r0) {
    snprintf(found, sizeof found, "the merged range %s:%s over %d rows",
             zp_sheet_ref(m->r0, m->c0, ref0), zp_sheet_ref(m->r1, m->c1, ref1),
             m->r1 - m->r0 + 1);
    cell_error(im, row, col, path, "a cell of one row (one item a row)", found);
    return NULL;
  }
  const zp_scell *c = zp_sheet_get(im->s, row, col);
  const char *what = sp->number ? "a number" : "text";
  if (!c) {
    if (sp->nullable)
      return onew(im, O_NULL, key);
    cell_error(im, row, col, path, what, "an empty cell");
    return NULL;
  }
  if (sp->number && c->type == ZP_SCELL_NUMBER) {
    onode *n = onew(im, O_NUM, key);
    if (n)
      n->text = c->text;
    return n;
  }
  if (!sp->number && c->type == ZP_SCELL_TEXT) {
    onode *n = onew(im, O_STR, key);
    if (n)
      n->text = c->text;
    return n;
  }
  if (c->type == ZP_SCELL_TEXT) {
    char *end;
    strtod(c->text, &end);
    bool numeric = *c->text && !*end;
    snprintf(found, sizeof found, "the text \"%.200s\"%s", c->text,
             numeric ? " (a number typed as text)" : "");
  } else if (c->type == ZP_SCELL_NUMBER) {
    snprintf(found, sizeof found, "the number %s", c->text);
  } else if (c->type == ZP_SCELL_BOOL) {
    snprintf(found, sizeof found, "the truth value %s", c->text);
  } else {
    snprintf(found, sizeof found, "the error value %.200s", c->text);
  }
  cell_error(im, row, col, path, what, found);
  return NULL;
}

/* ---- values and tables ---- */

static bool read_values(importer *im, const zp_json *values) {
  if (!values)
    return true;
  if (values->type != ZP_JSON_OBJECT) {
    zp_error(im->d, at(im, values),
             "\"values\" must be an object: {\"json.path\": \"B12 type\"}");
    return false;
  }
  for (const zp_json *v = values->child; v; v = v->next) {
    spec sp;
    if (!parse_spec(im, v, true, &sp))
      return false;
    onode *slot = place(im, v->key, O_NULL, v);
    if (!slot)
      return false;
    onode *val = cell_value(im, sp.row, sp.col, &sp, slot->key, v->key, false);
    if (val) { /* the slot takes the value's type and text */
      slot->type = val->type;
      slot->text = val->text;
    }
  }
  return true;
}

/* One level of a table's hierarchy, parsed. */
typedef struct level {
  int group; /* the group column, 0 for the last level */
  const char *children;
  int nfields;
  const char *keys[32];
  spec specs[32];
} level;

/* Reads the items of levels[k] in rows r0..r1 into array arr; path is the
 * array's JSON path (for messages). */
static bool read_items(importer *im, const level *lv, int nlv, int k, int r0,
                       int r1, onode *arr, const char *path) {
  const level *L = &lv[k];
  char ipath[1024], fpath[1200], ref0[16], ref1[16], found[256];
  bool csv = im->s->csv;
  for (int r = r0; r <= r1;) {
    int end = r; /* the item's last row */
    if (k < nlv - 1) {
      if (!zp_sheet_check_column(im->s, L->group, im->d))
        return false;
      const zp_merge *m = zp_sheet_merge_at(im->s, r, L->group);
      if (m && (m->r0 < r0 || m->r1 > r1)) {
        snprintf(
            found, sizeof found,
            "the merged range %s:%s, which crosses %s (rows %d to %d)",
            zp_sheet_ref(m->r0, m->c0, ref0), zp_sheet_ref(m->r1, m->c1, ref1),
            k ? "the end of the group it is in" : "the table's rows", r0, r1);
        char pp[1100];
        snprintf(pp, sizeof pp, "%s[%zu]", path, arr->n);
        cell_error(im, m->r0 < r0 ? r : m->r0, m->c0, pp,
                   "a group inside its parent group", found);
        return false; /* the rest would be out of step */
      }
      if (m) {
        end = m->r1;
      } else if (csv && zp_sheet_get(im->s, r, L->group)) {
        while (end < r1 && !zp_sheet_get(im->s, end + 1, L->group))
          end++;
      }
    }
    snprintf(ipath, sizeof ipath, "%s[%zu]", path, arr->n);
    onode *item = onew(im, O_OBJ, NULL);
    if (!item)
      return false;
    oadd(arr, item);
    for (int f = 0; f < L->nfields; f++) {
      snprintf(fpath, sizeof fpath, "%s.%s", ipath, L->keys[f]);
      onode *v = cell_value(im, r, L->specs[f].col, &L->specs[f], L->keys[f],
                            fpath, k == nlv - 1);
      if (v)
        oadd(item, v);
    }
    if (k < nlv - 1) {
      onode *kids = onew(im, O_ARR, L->children);
      if (!kids)
        return false;
      oadd(item, kids);
      snprintf(fpath, sizeof fpath, "%s.%s", ipath, L->children);
      if (!read_items(im, lv, nlv, k + 1, r, end, kids, fpath))
        return false;
    }
    r = end + 1;
  }
  return true;
}

static bool parse_level(importer *im, const zp_json *j, bool leaf, level *L) {
  memset(L, 0, sizeof *L);
  if (!j || j->type != ZP_JSON_OBJECT) {
    zp_error(im->d, at(im, j), "a level must be an object with \"fields\"");
    return false;
  }
  const zp_json *g = zp_json_get(j, "group"), *f = zp_json_get(j, "fields"),
                *c = zp_json_get(j, "children");
  for (const zp_json *m = j->child; m; m = m->next)
    if (strcmp(m->key, "group") && strcmp(m->key, "fields") &&
        strcmp(m->key, "children")) {
      zp_error(im->d, at(im, m),
               "unknown member \"%s\" of a level (group, fields, children)",
               m->key);
      return false;
    }
  if (!leaf) {
    spec sp;
    if (!g) {
      zp_error(im->d, at(im, j),
               "a level with levels under it needs a \"group\" column, whose "
               "merged cells are its items");
      return false;
    }
    if (!parse_spec(im, g, false, &sp))
      return false;
    L->group = sp.col;
    if (c && c->type != ZP_JSON_STRING) {
      zp_error(im->d, at(im, c), "\"children\" must be a member name");
      return false;
    }
    L->children = c ? c->string : "children";
  } else if (g || c) {
    zp_error(im->d, at(im, g ? g : c),
             "the last level has one item a row: no \"group\" or "
             "\"children\"");
    return false;
  }
  if (!f || f->type != ZP_JSON_OBJECT || !f->child) {
    zp_error(im->d, at(im, f ? f : j),
             "\"fields\" must be an object: {\"name\": \"A\", \"weight\": "
             "\"B number\"}");
    return false;
  }
  for (const zp_json *m = f->child; m; m = m->next) {
    if (L->nfields == 32) {
      zp_error(im->d, at(im, m), "at most 32 fields a level");
      return false;
    }
    L->keys[L->nfields] = m->key;
    if (!parse_spec(im, m, false, &L->specs[L->nfields]))
      return false;
    L->nfields++;
  }
  return true;
}

static bool read_table(importer *im, const zp_json *t) {
  const zp_json *path = zp_json_get(t, "path"), *rows = zp_json_get(t, "rows"),
                *levels = zp_json_get(t, "levels");
  if (t->type != ZP_JSON_OBJECT || !path || path->type != ZP_JSON_STRING ||
      !rows || rows->type != ZP_JSON_STRING || !levels ||
      levels->type != ZP_JSON_ARRAY || !levels->length || levels->length > 8) {
    zp_error(im->d, at(im, t),
             "a table is {\"path\": \"indicators\", \"rows\": \"12:40\", "
             "\"levels\": [1 to 8 levels]}");
    return false;
  }
  int r0, r1;
  char tail;
  if (sscanf(rows->string, "%d:%d%c", &r0, &r1, &tail) != 2 || r0 < 1 ||
      r1 < r0 || r1 > ZP_SHEET_MAX_ROW) {
    zp_error(im->d, at(im, rows),
             "\"rows\": expected FIRST:LAST, row numbers (\"12:40\")");
    return false;
  }
  level lv[8];
  int n = 0;
  for (const zp_json *l = levels->child; l; l = l->next, n++)
    if (!parse_level(im, l, !l->next, &lv[n]))
      return false;
  onode *arr = place(im, path->string, O_ARR, path); /* may exist: added to */
  if (!arr)
    return false;
  return read_items(im, lv, n, 0, r0, r1, arr, path->string);
}

/* ---- writing ---- */

static void put_node(FILE *f, const onode *n, int depth) {
  switch (n->type) {
  case O_NULL:
    fputs("null", f);
    return;
  case O_NUM:
    fputs(n->text, f);
    return;
  case O_STR:
    zp_json_write_string(f, n->text);
    return;
  default:
    break;
  }
  bool obj = n->type == O_OBJ;
  if (!n->child) {
    fputs(obj ? "{}" : "[]", f);
    return;
  }
  fputc(obj ? '{' : '[', f);
  for (const onode *c = n->child; c; c = c->next) {
    fprintf(f, "\n%*s", 2 * (depth + 1), "");
    if (obj) {
      zp_json_write_string(f, c->key);
      fputs(": ", f);
    }
    put_node(f, c, depth + 1);
    if (c->next)
      fputc(',', f);
  }
  fprintf(f, "\n%*s%c", 2 * depth, "", obj ? '}' : ']');
}

int zp_import_run(const char *input, const char *mapping, const char *output,
                  const char *sheet, zp_diag *d) {
  int rc = EXIT_INPUT;
  zp_json_doc *map = NULL;
  zp_sheet *s = NULL;
  zp_out *out = NULL;
  importer im = {0};
  if (!zp_render_readable(mapping, "mapping", d) ||
      !zp_render_readable(input, "workbook", d)) {
    rc = EXIT_IO;
    goto done;
  }
  if (!(map = zp_json_load_file(mapping, d)))
    goto done;
  const zp_json *root = map->root;
  im = (importer){zp_arena_new(), d, NULL, mapping, NULL, 0};
  if (!im.a || !(im.root = onew(&im, O_OBJ, NULL)))
    goto done;
  if (root->type != ZP_JSON_OBJECT) {
    zp_error(d, at(&im, root),
             "the mapping must be an object: {\"sheet\", \"values\", "
             "\"tables\"}");
    goto done;
  }
  for (const zp_json *m = root->child; m; m = m->next)
    if (strcmp(m->key, "sheet") && strcmp(m->key, "values") &&
        strcmp(m->key, "tables")) {
      zp_error(d, at(&im, m),
               "unknown member \"%s\" of the mapping (sheet, values, tables)",
               m->key);
      goto done;
    }
  const zp_json *sh = zp_json_get(root, "sheet");
  if (sh && sh->type != ZP_JSON_STRING) {
    zp_error(d, at(&im, sh), "\"sheet\" must be the sheet's name");
    goto done;
  }
  if (!(s = zp_sheet_read(input, sheet ? sheet : sh ? sh->string : NULL, d)))
    goto done;
  im.s = s;
  if (!read_values(&im, zp_json_get(root, "values")))
    goto done;
  const zp_json *tables = zp_json_get(root, "tables");
  if (tables && tables->type != ZP_JSON_ARRAY) {
    zp_error(d, at(&im, tables), "\"tables\" must be an array");
    goto done;
  }
  for (const zp_json *t = tables ? tables->child : NULL; t; t = t->next)
    if (!read_table(&im, t))
      goto done;
  if (im.errors || zp_diag_errors(d))
    goto done;
  zp_out_signals();
  if (!(out = zp_out_open(output, "output", d))) {
    rc = EXIT_IO;
    goto done;
  }
  put_node(zp_out_stream(out), im.root, 0);
  fputc('\n', zp_out_stream(out));
  bool ok = zp_out_commit(out, d);
  out = NULL;
  rc = ok ? EXIT_OK : EXIT_IO;
done:
  zp_out_abort(out);
  zp_sheet_free(s);
  zp_json_free(map);
  zp_arena_free(im.a);
  return rc;
}
