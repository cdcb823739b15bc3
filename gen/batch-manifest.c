/* batch-manifest.c — `zpgen batch`'s manifest (batch-imp.h): JSON lines,
 * CSV or a directory of data files read into the batch's jobs, every field
 * checked and every path resolved; duplicate ids and outputs; outputs,
 * records and --report that would overwrite an input (the manifest, a
 * template, a data file, a file a template includes); this shard's slice.
 */
#define _GNU_SOURCE
#include "batch-imp.h"

#include <dirent.h>
#include <errno.h>
#include <sys/stat.h>

#include "file.h"
#include "json.h"

/* path relative to the manifest's directory, unless absolute. */
static char *resolve_path(const batch *b, const char *p) {
  if (p[0] == '/' || !b->base)
    return xstrdup(p);
  return xprintf("%s/%s", b->base, p);
}

/* ---- the manifest ------------------------------------------------------- */

static job *new_job(batch *b, int line) {
  if (b->njobs == b->capjobs) {
    b->capjobs = b->capjobs ? b->capjobs * 2 : 64;
    b->jobs = realloc(b->jobs, (size_t)b->capjobs * sizeof *b->jobs);
    if (!b->jobs) {
      fputs("zpgen batch: out of memory\n", stderr);
      exit(EXIT_IO);
    }
  }
  job *j = &b->jobs[b->njobs++];
  memset(j, 0, sizeof *j);
  j->line = line;
  return j;
}

/* "a number", "an object": a JSON type with its article. */
static const char *type_phrase(zp_json_type t, char *buf, size_t size) {
  const char *n = zp_json_type_name(t);
  snprintf(buf, size, "%s %s", strchr("aeiou", n[0]) ? "an" : "a", n);
  return buf;
}

static bool has_ctl(const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p < 0x20 || *p == 0x7F)
      return true;
  return false;
}

/* Checks a string field of a manifest line. */
static bool field_ok(batch *b, int line, const char *name, const char *v) {
  if (!v || !*v) {
    zp_error(b->d, ((zp_loc){b->manifest, line, 0}),
             "\"%s\" is empty; expected %s", name,
             strcmp(name, "id") == 0 ? "the report's name" : "a file name");
    return false;
  }
  if (has_ctl(v)) {
    zp_error(b->d, ((zp_loc){b->manifest, line, 0}),
             "\"%s\" contains a control character", name);
    return false;
  }
  if (strlen(v) > 1024) {
    zp_error(b->d, ((zp_loc){b->manifest, line, 0}),
             "\"%s\" is longer than 1024 bytes", name);
    return false;
  }
  return true;
}

/* One JSON line: {"id", "template", "data": file or [files], "output"}. */
static bool parse_json_line(batch *b, const char *text, size_t len, int line) {
  zp_diag *jd = zp_diag_new(NULL);
  zp_json_doc *doc = jd ? zp_json_parse(text, len, "", jd) : NULL;
  bool ok = false;
  if (!doc) {
    /* "1:COL: error: MSG" from the json module: put it on this line */
    const char *m = jd ? zp_diag_last(jd) : "";
    int col = 0;
    const char *e = strstr(m, "error: ");
    if (m[0] == ':')
      sscanf(m, ":%*d:%d", &col);
    size_t n = strcspn(e ? e + 7 : m, "\n");
    zp_error(b->d, ((zp_loc){b->manifest, line, col}),
             "not a JSON object: %.*s", (int)n, e ? e + 7 : m);
    goto done;
  }
  const zp_json *r = doc->root;
  if (r->type != ZP_JSON_OBJECT) {
    zp_error(b->d, ((zp_loc){b->manifest, line, r->col}),
             "expected an object {\"id\", \"template\", \"data\", \"output\"}, "
             "found %s",
             type_phrase(r->type, (char[32]){0}, 32));
    goto done;
  }
  job *j = new_job(b, line);
  for (const zp_json *m = r->child; m; m = m->next) {
    bool is_str = m->type == ZP_JSON_STRING;
    if (strcmp(m->key, "id") == 0 && is_str)
      j->id = xstrdup(m->string);
    else if (strcmp(m->key, "template") == 0 && is_str)
      j->tpl_path = xstrdup(m->string);
    else if (strcmp(m->key, "output") == 0 && is_str)
      j->out = xstrdup(m->string);
    else if (strcmp(m->key, "data") == 0 && is_str)
      j->data[j->ndata++] = xstrdup(m->string);
    else if (strcmp(m->key, "data") == 0 && m->type == ZP_JSON_ARRAY) {
      if (m->length == 0 || m->length > MAX_DATA) {
        zp_error(b->d, ((zp_loc){b->manifest, line, m->col}),
                 "\"data\" lists %zu files; expected 1 to %d", m->length,
                 MAX_DATA);
        goto done;
      }
      for (const zp_json *e = m->child; e; e = e->next) {
        if (e->type != ZP_JSON_STRING) {
          zp_error(b->d, ((zp_loc){b->manifest, line, e->col}),
                   "\"data\" lists %s; expected file names (strings)",
                   type_phrase(e->type, (char[32]){0}, 32));
          goto done;
        }
        j->data[j->ndata++] = xstrdup(e->string);
      }
    } else if (strcmp(m->key, "id") == 0 || strcmp(m->key, "template") == 0 ||
               strcmp(m->key, "output") == 0 || strcmp(m->key, "data") == 0) {
      zp_error(b->d, ((zp_loc){b->manifest, line, m->col}),
               "\"%s\" is %s; expected a string%s", m->key,
               type_phrase(m->type, (char[32]){0}, 32),
               strcmp(m->key, "data") == 0 ? " or an array of strings" : "");
      goto done;
    } else {
      zp_error(b->d, ((zp_loc){b->manifest, line, m->col}),
               "unknown member \"%s\"; expected id, template, data, output",
               m->key);
      goto done;
    }
  }
  ok = true;
done:
  zp_json_free(doc);
  zp_diag_free(jd);
  return ok;
}

/* Splits one CSV record (RFC 4180 quoting) at *p into at most max fields
 * (malloc'd); advances *p past the record.  Returns the field count, or -1
 * on an unterminated quote. */
static int csv_record(const char **p, int *line, char **fields, int max) {
  int n = 0;
  const char *s = *p;
  for (;;) {
    size_t cap = 64, len = 0;
    char *f = malloc(cap);
    if (!f)
      exit(EXIT_IO);
    bool quoted = *s == '"';
    if (quoted)
      s++;
    for (;;) {
      if (quoted && *s == '"' && s[1] == '"') {
        s += 2;
        f[len++] = '"';
      } else if (quoted && *s == '"') {
        s++;
        quoted = false;
        continue;
      } else if (!*s && quoted) {
        free(f);
        for (int i = 0; i < n; i++)
          free(fields[i]);
        return -1;
      } else if (!quoted && (!*s || *s == ',' || *s == '\n' || *s == '\r')) {
        break;
      } else {
        if (*s == '\n')
          (*line)++;
        f[len++] = *s++;
      }
      if (len + 1 >= cap) {
        cap *= 2;
        char *nf = realloc(f, cap);
        if (!nf)
          exit(EXIT_IO);
        f = nf;
      }
    }
    f[len] = 0;
    if (n < max)
      fields[n] = f;
    else
      free(f);
    n++;
    if (*s == ',') {
      s++;
      continue;
    }
    if (*s == '\r')
      s++;
    if (*s == '\n')
      s++;
    break;
  }
  *p = s;
  return n;
}

/* Is s valid UTF-8 (no overlong form, no surrogate, at most U+10FFFF)? */
static bool utf8_valid(const char *s) {
  const unsigned char *p = (const unsigned char *)s;
  while (*p) {
    unsigned c = *p;
    int n = c < 0x80                 ? 0
            : c >= 0xC2 && c <= 0xDF ? 1
            : (c & 0xF0) == 0xE0     ? 2
            : c >= 0xF0 && c <= 0xF4 ? 3
                                     : -1;
    if (n < 0)
      return false;
    unsigned cp = n == 0 ? c : c & (0x3F >> n);
    for (int i = 1; i <= n; i++) {
      if ((p[i] & 0xC0) != 0x80)
        return false;
      cp = cp << 6 | (p[i] & 0x3F);
    }
    if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
      return false;
    p += n + 1;
  }
  return true;
}

static bool parse_csv(batch *b, const char *text) {
  const char *p = text;
  int line = 1;
  char *f[8];
  int col[4] = {-1, -1, -1, -1}; /* id, template, data, output */
  static const char *const names[4] = {"id", "template", "data", "output"};
  int n = csv_record(&p, &line, f, 8);
  if (n < 0 || n > 8) {
    zp_error(b->d, ((zp_loc){b->manifest, 1, 0}),
             n < 0
                 ? "unterminated quote"
                 : "more than 8 columns; expected id, template, data, output");
    return false;
  }
  bool ok = true;
  int ncols = n;
  for (int i = 0; i < n; i++) {
    int k = -1;
    for (int c = 0; c < 4; c++)
      if (strcmp(f[i], names[c]) == 0)
        k = c;
    if (k < 0 || col[k] >= 0) {
      zp_error(b->d, ((zp_loc){b->manifest, 1, 0}),
               "%s column \"%s\"; expected the columns id, template, data, "
               "output",
               k < 0 ? "unknown" : "repeated", f[i]);
      ok = false;
    } else {
      col[k] = i;
    }
    free(f[i]);
  }
  for (int c = 0; c < 4 && ok; c++)
    if (col[c] < 0) {
      zp_error(b->d, ((zp_loc){b->manifest, 1, 0}),
               "no column \"%s\" in the header; expected id, template, data, "
               "output",
               names[c]);
      ok = false;
    }
  if (!ok)
    return false;
  line++;
  while (*p) {
    int start = line;
    const char *rec = p;
    n = csv_record(&p, &line, f, 8);
    line++;
    if (n == 1 && !f[0][0] && (*rec == '\n' || *rec == '\r')) {
      free(f[0]); /* a blank line */
      continue;
    }
    if (n != ncols) {
      if (n < 0)
        zp_error(b->d, ((zp_loc){b->manifest, start, 0}), "unterminated quote");
      else
        zp_error(b->d, ((zp_loc){b->manifest, start, 0}),
                 "%d fields; expected %d, as in the header (id, template, "
                 "data, output)",
                 n, ncols);
      for (int i = 0; i < n && i < 8; i++)
        free(f[i]);
      ok = false;
      if (n < 0)
        break;
      continue;
    }
    bool valid = true;
    for (int i = 0; i < n && valid; i++)
      if (!utf8_valid(f[i])) {
        zp_error(b->d, ((zp_loc){b->manifest, start, 0}),
                 "field %d (%s) is not valid UTF-8; expected UTF-8 text", i + 1,
                 i == col[0]   ? "id"
                 : i == col[1] ? "template"
                 : i == col[2] ? "data"
                 : i == col[3] ? "output"
                               : "?");
        valid = false;
      }
    if (!valid) {
      for (int i = 0; i < n; i++)
        free(f[i]);
      ok = false;
      continue;
    }
    job *j = new_job(b, start);
    j->id = f[col[0]];
    j->tpl_path = f[col[1]];
    j->out = f[col[3]];
    char *data = f[col[2]], *save = NULL;
    for (char *s = strtok_r(data, ";", &save); s;
         s = strtok_r(NULL, ";", &save))
      if (j->ndata < MAX_DATA)
        j->data[j->ndata++] = xstrdup(s);
      else {
        zp_error(b->d, ((zp_loc){b->manifest, start, 0}),
                 "more than %d data files", MAX_DATA);
        ok = false;
      }
    free(data);
  }
  return ok;
}

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory of data files: one report per *.json, sorted by name. */
static bool parse_dir(batch *b) {
  if (!b->dir_template) {
    zp_error(b->d, ((zp_loc){b->manifest, 0, 0}),
             "a directory of data files needs --template");
    return false;
  }
  DIR *dp = opendir(b->manifest);
  if (!dp) {
    zp_error(b->d, ((zp_loc){b->manifest, 0, 0}), "cannot read: %s",
             strerror(errno));
    return false;
  }
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(dp))) {
    size_t len = strlen(e->d_name);
    if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0 ||
        e->d_name[0] == '.')
      continue;
    if (n == cap) {
      cap = cap ? cap * 2 : 64;
      names = realloc(names, cap * sizeof *names);
      if (!names)
        exit(EXIT_IO);
    }
    names[n++] = xstrdup(e->d_name);
  }
  closedir(dp);
  if (n)
    qsort(names, n, sizeof *names, cmp_str);
  const char *od = b->output_dir ? b->output_dir : b->manifest;
  for (size_t i = 0; i < n; i++) {
    job *j = new_job(b, 0);
    j->id = xprintf("%.*s", (int)(strlen(names[i]) - 5), names[i]);
    j->data[j->ndata++] = xprintf("%s/%s", b->manifest, names[i]);
    j->tpl_path = xstrdup(b->dir_template);
    j->out = xprintf("%s/%s.pdf", od, j->id);
    free(names[i]);
  }
  free(names);
  return true;
}

static int cmp_idx_id(const void *a, const void *b, void *ctx) {
  const job *jobs = ctx;
  return strcmp(jobs[*(const int *)a].id, jobs[*(const int *)b].id);
}
static int cmp_idx_out(const void *a, const void *b, void *ctx) {
  const job *jobs = ctx;
  return strcmp(jobs[*(const int *)a].out, jobs[*(const int *)b].out);
}

/* ---- outputs that would overwrite inputs -------------------------------- */

/* The identity of path: "i DEV INO" when it exists (a hard link or a
 * symbolic link to it is the same file), else "p " and the canonical path
 * of its final target (out.h), else "p " and path itself (its directory
 * does not exist: writing it will fail). */
static char *file_key(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0)
    return xprintf("i %llu %llu", (unsigned long long)st.st_dev,
                   (unsigned long long)st.st_ino);
  char *c = zp_out_canonical(path);
  char *k = xprintf("p %s", c ? c : path);
  free(c);
  return k;
}

static int cmp_fent_path(const void *a, const void *b) {
  return strcmp(((const fent *)a)->path, ((const fent *)b)->path);
}

static int cmp_fent_key(const void *a, const void *b) {
  const fent *x = a, *y = b;
  int c = strcmp(x->key, y->key);
  if (c)
    return c;
  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return x->kind - y->kind;
}

/* "the output", "a data file of line 3": what e is, in buf.  with_line:
 * name its line (it is not the message's own). */
static const char *fent_phrase(const fent *e, bool with_line, char *buf,
                               size_t size) {
  static const char *const what[] = {"the output",
                                     "the record",
                                     "the --report file",
                                     "the manifest",
                                     "the template",
                                     "a data file",
                                     "a file the template includes"};
  if (e->kind == F_REPORT || e->kind == F_MANIFEST || !with_line ||
      e->line <= 0)
    snprintf(buf, size, "%s", what[e->kind]);
  else
    snprintf(buf, size, "%s of line %d", what[e->kind], e->line);
  if (e->kind == F_RECORD && (!with_line || e->line <= 0))
    snprintf(buf, size, "the output's record");
  else if (e->kind == F_RECORD)
    snprintf(buf, size, "the record of line %d's output", e->line);
  return buf;
}

/* Reports that written file w is also file o (an input, or another written
 * file); --report is a usage error. */
static void report_clash(batch *b, const fent *w, const fent *o) {
  char wb[128], ob[128];
  if (w->kind == F_REPORT || o->kind == F_REPORT) {
    const fent *x = w->kind == F_REPORT ? o : w;
    fprintf(stderr,
            "zpgen batch: --report \"%s\" names %s (\"%s\"); give the "
            "report a file of its own\n",
            b->report, fent_phrase(x, true, ob, sizeof ob), x->path);
    b->usage_error = true;
    return;
  }
  zp_error(
      b->d, ((zp_loc){b->manifest, w->line, 0}),
      "%s \"%s\" is also %s%s%s%s; a report may not write over an input "
      "or another report's files",
      fent_phrase(w, false, wb, sizeof wb), w->path,
      fent_phrase(o, true, ob, sizeof ob), o->kind == F_INCLUDE ? " (\"" : "",
      o->kind == F_INCLUDE ? o->path : "", o->kind == F_INCLUDE ? "\")" : "");
}

static void fent_add(fent **v, size_t *n, size_t *cap, const char *path,
                     int kind, int line) {
  if (*n == *cap) {
    *cap = *cap ? *cap * 2 : 256;
    *v = realloc(*v, *cap * sizeof **v);
    if (!*v) {
      fputs("zpgen batch: out of memory\n", stderr);
      exit(EXIT_IO);
    }
  }
  (*v)[(*n)++] = (fent){NULL, xstrdup(path), kind, line};
}

/* No output, record or --report may be an input (the manifest, a template,
 * a data file) or another report's output or record, compared by identity
 * (after symbolic links, ".", "..", "//", hard links): O(n log n).  Keeps
 * the written files in b->written for check_includes.  False with the
 * errors reported. */
static bool check_clashes(batch *b) {
  fent *v = NULL;
  size_t n = 0, cap = 0;
  for (int i = 0; i < b->njobs; i++) {
    const job *j = &b->jobs[i];
    fent_add(&v, &n, &cap, j->out, F_OUTPUT, j->line);
    char *rec = xprintf("%s" SIDECAR, j->out);
    fent_add(&v, &n, &cap, rec, F_RECORD, j->line);
    free(rec);
    fent_add(&v, &n, &cap, j->tpl_path, F_TEMPLATE, j->line);
    for (int k = 0; k < j->ndata; k++)
      fent_add(&v, &n, &cap, j->data[k], F_DATA, j->line);
  }
  fent_add(&v, &n, &cap, b->manifest, F_MANIFEST, 0);
  if (b->report)
    fent_add(&v, &n, &cap, b->report, F_REPORT, 0);
  /* each distinct path looked up once (a shared data file, a template) */
  qsort(v, n, sizeof *v, cmp_fent_path);
  for (size_t i = 0; i < n; i++)
    v[i].key = i > 0 && strcmp(v[i].path, v[i - 1].path) == 0
                   ? xstrdup(v[i - 1].key)
                   : file_key(v[i].path);
  qsort(v, n, sizeof *v, cmp_fent_key);
  bool ok = true;
  for (size_t s = 0; s < n;) {
    size_t e = s + 1;
    while (e < n && strcmp(v[e].key, v[s].key) == 0)
      e++;
    /* v[s] is the first (by line); every written file of the run that is
     * not v[s] itself is reported once, as is v[s] when it is written */
    bool first_done = false;
    for (size_t i = s + 1; i < e; i++) {
      const fent *x = &v[s], *y = &v[i];
      if (!F_WRITTEN(x->kind) && !F_WRITTEN(y->kind))
        continue;
      if (F_WRITTEN(y->kind))
        report_clash(b, y, x);
      else if (!first_done) {
        report_clash(b, x, y);
        first_done = true;
      } else
        continue;
      ok = false;
    }
    s = e;
  }
  /* keep the written files, by key */
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (F_WRITTEN(v[i].kind))
      v[k++] = v[i];
    else {
      free(v[i].key);
      free(v[i].path);
    }
  }
  b->written = v;
  b->nwritten = k;
  return ok;
}

static int cmp_fent_only_key(const void *a, const void *b) {
  return strcmp(((const fent *)a)->key, ((const fent *)b)->key);
}

/* No output, record or --report may be a file a template includes (known
 * once the templates are loaded: this shard's).  False with the errors
 * reported. */
bool bat_manifest_check_includes(batch *b) {
  bool ok = true;
  for (int i = 0; i < b->ntpls; i++) {
    const zp_template *t = b->tpls[i].t;
    for (int n = 1; t && n < t->nfiles; n++) {
      char *key = file_key(t->files[n]);
      fent probe = {key, NULL, 0, 0};
      const fent *w = bsearch(&probe, b->written, b->nwritten, sizeof probe,
                              cmp_fent_only_key);
      if (w) {
        char *path = xprintf("%s", t->files[n]);
        fent inc = {key, path, F_INCLUDE, 0};
        /* every written file with this key (sorted: around w) */
        while (w > b->written && strcmp(w[-1].key, key) == 0)
          w--;
        for (; w < b->written + b->nwritten && strcmp(w->key, key) == 0; w++)
          report_clash(b, w, &inc);
        free(path);
        ok = false;
      }
      free(key);
    }
  }
  return ok;
}

/* Reads the manifest into b->jobs: every field checked, paths resolved,
 * ids and outputs unique; then keeps this shard's reports. */
bool bat_manifest_load(batch *b) {
  struct stat st;
  if (stat(b->manifest, &st) != 0) {
    zp_error(b->d, ((zp_loc){b->manifest, 0, 0}),
             "cannot read the manifest: %s", strerror(errno));
    b->io_error = true;
    return false;
  }
  bool ok = true;
  if (S_ISDIR(st.st_mode)) {
    ok = parse_dir(b);
  } else {
    if (b->dir_template || b->output_dir)
      zp_warn(b->d, ((zp_loc){b->manifest, 0, 0}),
              "--template and --output-dir apply to a directory of data "
              "files only; ignored");
    const char *slash = strrchr(b->manifest, '/');
    if (slash)
      b->base = xprintf("%.*s", (int)(slash - b->manifest), b->manifest);
    size_t len;
    char *text;
    if (!zp_file_read(b->manifest, "manifest", (zp_loc){0}, MAX_MANIFEST, &text,
                      &len, b->d)) {
      b->io_error = true;
      return false;
    }
    /* a byte-order mark (as spreadsheets write in front of a CSV file) is
     * not part of the first line */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
      memmove(text, text + 3, len - 2);
      len -= 3;
    }
    if (strlen(text) != len) {
      zp_error(b->d, ((zp_loc){b->manifest, 0, 0}),
               "the manifest contains a NUL byte");
      free(text);
      return false;
    }
    size_t nl = strlen(b->manifest);
    if (nl > 4 && strcmp(b->manifest + nl - 4, ".csv") == 0) {
      ok = parse_csv(b, text);
    } else {
      int line = 1;
      for (char *p = text; *p; line++) {
        char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        size_t k = 0;
        while (k < n && (p[k] == ' ' || p[k] == '\t' || p[k] == '\r'))
          k++;
        if (k < n)
          ok &= parse_json_line(b, p, n, line);
        p += n + (e ? 1 : 0);
      }
    }
    free(text);
  }
  /* every field present and sane; paths resolved */
  for (int i = 0; i < b->njobs && ok; i++) {
    job *j = &b->jobs[i];
    static const char *const miss[] = {"id", "template", "data", "output"};
    const char *vals[] = {j->id, j->tpl_path, j->ndata ? j->data[0] : NULL,
                          j->out};
    for (int k = 0; k < 4; k++)
      if (!vals[k]) {
        zp_error(b->d, ((zp_loc){b->manifest, j->line, 0}),
                 "no \"%s\"; expected id, template, data and output", miss[k]);
        ok = false;
      }
    if (!ok)
      break;
    ok &= field_ok(b, j->line, "id", j->id);
    ok &= field_ok(b, j->line, "template", j->tpl_path);
    ok &= field_ok(b, j->line, "output", j->out);
    for (int k = 0; k < j->ndata; k++)
      ok &= field_ok(b, j->line, "data", j->data[k]);
    if (!ok)
      break;
    if (S_ISDIR(st.st_mode))
      continue; /* already relative to the working directory */
    char *t = resolve_path(b, j->tpl_path);
    free(j->tpl_path);
    j->tpl_path = t;
    t = resolve_path(b, j->out);
    free(j->out);
    j->out = t;
    for (int k = 0; k < j->ndata; k++) {
      t = resolve_path(b, j->data[k]);
      free(j->data[k]);
      j->data[k] = t;
    }
  }
  if (!ok)
    return false;
  /* unique ids and outputs */
  int *idx = xcalloc((size_t)b->njobs, sizeof *idx);
  for (int pass = 0; pass < 2; pass++) {
    for (int i = 0; i < b->njobs; i++)
      idx[i] = i;
    qsort_r(idx, (size_t)b->njobs, sizeof *idx, pass ? cmp_idx_out : cmp_idx_id,
            b->jobs);
    for (int i = 1; i < b->njobs; i++) {
      const job *x = &b->jobs[idx[i - 1]], *y = &b->jobs[idx[i]];
      const char *a = pass ? x->out : x->id, *c = pass ? y->out : y->id;
      if (strcmp(a, c) == 0) {
        const job *late = x->line > y->line ? x : y,
                  *early = x->line > y->line ? y : x;
        zp_error(b->d, ((zp_loc){b->manifest, late->line, 0}),
                 "%s \"%s\" is also that of line %d; each report needs its "
                 "own",
                 pass ? "the output" : "the id", a, early->line);
        ok = false;
      }
    }
  }
  free(idx);
  /* and by identity: no report writes over an input or another's file */
  if (ok)
    ok = check_clashes(b);
  if (!ok)
    return false;
  /* this shard's slice */
  if (b->shard_n > 1) {
    int k = 0;
    for (int i = 0; i < b->njobs; i++) {
      if ((long)(fnv1a(b->jobs[i].id) % (uint64_t)b->shard_n) == b->shard_i)
        b->jobs[k++] = b->jobs[i];
      else {
        job *j = &b->jobs[i];
        free(j->id);
        free(j->tpl_path);
        free(j->out);
        for (int m = 0; m < j->ndata; m++)
          free(j->data[m]);
      }
    }
    b->njobs = k;
  }
  return true;
}
