/* batch-plan.c — `zpgen batch`'s planning (batch-imp.h): the files read
 * in this run and their SHA-256 (each once), the records beside the PDFs
 * (OUT.pdf.zpgen), every distinct template loaded once with its font set,
 * every report's fingerprint and whether it is rendered or skipped, the
 * sweep of what a killed run left, and the shard options (--shard, Slurm's
 * and Kubernetes' variables).
 */
#define _GNU_SOURCE
#include "batch-imp.h"

#include <errno.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file.h"
#include "sha256.h"

/* A file's SHA-256 in hex; false with errno when it cannot be read (EINVAL
 * for a file that is not regular: a FIFO, a device or a directory is never
 * opened for reading, file.h). */
bool bat_plan_hash_file(const char *path, char hex[65], long long *size) {
  int fd = zp_file_open(path, NULL, (zp_loc){0}, NULL);
  if (fd < 0)
    return false;
  zp_sha256 c;
  zp_sha256_init(&c);
  unsigned char buf[65536], dig[32];
  long long total = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) != 0) {
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      break;
    zp_sha256_update(&c, buf, (size_t)n);
    total += n;
  }
  int err = errno;
  close(fd);
  if (n < 0) {
    errno = err;
    return false;
  }
  zp_sha256_final(&c, dig, hex);
  if (size)
    *size = total;
  return true;
}

/* Hashes of files already read in this run (a shared data file is read
 * once for all its readers). */
typedef struct hashed {
  char *path;
  char *real; /* its canonical path (realpath; out.h's when it is missing) */
  char hex[65];
  int err;     /* 0, or the errno of reading it */
  bool hashed; /* hex and err are set */
} hashed;

static hashed *hashes;
static size_t nhashes, caphashes;
/* an open-addressing table of indices into hashes + 1 (0: empty), of
 * nslots (a power of two, at least twice nhashes) */
static size_t *slots, nslots;

/* The entry of path, made (with its canonical path) on first use. */
static hashed *file_entry(const char *path) {
  if (nslots < 2 * (nhashes + 1)) { /* grow and rehash */
    size_t ns = nslots ? nslots * 2 : 256;
    size_t *t = calloc(ns, sizeof *t);
    if (!t) {
      fputs("zpgen batch: out of memory\n", stderr);
      exit(EXIT_IO);
    }
    for (size_t i = 0; i < nhashes; i++) {
      size_t k = (size_t)fnv1a(hashes[i].path) & (ns - 1);
      while (t[k])
        k = (k + 1) & (ns - 1);
      t[k] = i + 1;
    }
    free(slots);
    slots = t;
    nslots = ns;
  }
  size_t k = (size_t)fnv1a(path) & (nslots - 1);
  for (; slots[k]; k = (k + 1) & (nslots - 1))
    if (strcmp(hashes[slots[k] - 1].path, path) == 0)
      return &hashes[slots[k] - 1];
  if (nhashes == caphashes) {
    caphashes = caphashes ? caphashes * 2 : 64;
    hashes = realloc(hashes, caphashes * sizeof *hashes);
    if (!hashes) {
      fputs("zpgen batch: out of memory\n", stderr);
      exit(EXIT_IO);
    }
  }
  slots[k] = nhashes + 1;
  hashed *h = &hashes[nhashes++];
  memset(h, 0, sizeof *h);
  h->path = xstrdup(path);
  h->real = realpath(path, NULL);
  if (!h->real)
    h->real = zp_out_canonical(path);
  if (!h->real)
    h->real = xstrdup(path);
  return h;
}

/* path's entry with its SHA-256, read once. */
static const hashed *file_hash(const char *path) {
  hashed *h = file_entry(path);
  if (!h->hashed) {
    h->hashed = true;
    h->err = 0;
    if (!bat_plan_hash_file(path, h->hex, NULL))
      h->err = errno ? errno : EIO;
  }
  return h;
}

/* ---- sidecar: OUT.pdf.zpgen --------------------------------------------- */

/* The recorded state of one output: the fingerprint, the PDF's size and
 * modification time when it was written, and the input lines. */
typedef struct sidecar {
  char fp[65];
  long long size, mtime_ns;
  char *inputs; /* malloc'd */
} sidecar;

/* Reads out's record into sc.  Returns 1 when it was read, 0 when there is
 * none (or it is not a record: the report is rendered again), -1 when it
 * cannot be read (not a regular file, larger than MAX_RECORD, a read
 * error): reported to d. */
static int sidecar_read(const char *out, sidecar *sc, zp_diag *d) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s" SIDECAR, out);
  memset(sc, 0, sizeof *sc);
  struct stat st;
  if (stat(path, &st) != 0 && errno == ENOENT)
    return 0;
  char *text;
  size_t len;
  if (!zp_file_read(path, "record", (zp_loc){0}, MAX_RECORD, &text, &len, d))
    return -1;
  int ok = 0;
  char *line2 = strchr(text, '\n');
  if (strncmp(text, "zpgen-state 1\n", 14) != 0 || !line2)
    goto done;
  char *p = line2 + 1;
  if (sscanf(p, "fingerprint %64s\npdf %lld %lld\n", sc->fp, &sc->size,
             &sc->mtime_ns) != 3 ||
      strlen(sc->fp) != 64)
    goto done;
  p = strchr(p, '\n');
  p = p ? strchr(p + 1, '\n') : NULL;
  if (!p)
    goto done;
  sc->inputs = xstrdup(p + 1);
  ok = 1;
done:
  free(text);
  return ok;
}

/* Writes the sidecar of out atomically (out.h).  False with an error in
 * d. */
bool bat_plan_sidecar_write(const char *out, const job *j, zp_diag *d) {
  char path[PATH_MAX + 16];
  snprintf(path, sizeof path, "%s" SIDECAR, out);
  struct stat st;
  if (stat(out, &st) != 0) {
    zp_error(d, ((zp_loc){out, 0, 0}), "cannot read back the output: %s",
             strerror(errno));
    return false;
  }
  zp_out *o = zp_out_open(path, "record", d);
  if (!o)
    return false;
  fprintf(zp_out_stream(o), "zpgen-state 1\nfingerprint %s\npdf %lld %lld\n%s",
          j->fp, (long long)st.st_size,
          (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec,
          j->inputs);
  return zp_out_commit(o, d);
}

/* ---- templates and fingerprints ----------------------------------------- */

/* Do templates a and b define the same font roles (names and families, in
 * order) and search the same font directories? */
static bool same_fonts(const tpl *a, const tpl *b) {
  for (int i = 0; i < 24; i++) {
    const char *x = a->dirs.dirs[i], *y = b->dirs.dirs[i];
    if (!x || !y || strcmp(x, y) != 0) {
      if (x || y)
        return false;
      break;
    }
  }
  const zp_doc_role *r = zp_tmpl_roles(a->t), *q = zp_tmpl_roles(b->t);
  for (;; r++, q++) {
    if (!r || !q || !r->name || !q->name)
      return (!r || !r->name) && (!q || !q->name);
    if (strcmp(r->name, q->name) != 0)
      return false;
    const char *const *f = r->families, *const *g = q->families;
    for (; *f && *g; f++, g++)
      if (strcmp(*f, *g) != 0)
        return false;
    if (*f || *g)
      return false;
  }
}

/* Loads every distinct template once, with its font set; fills its input
 * lines (its files' hashes, the faces its roles use). */
void bat_plan_load_templates(batch *b) {
  b->tpls = xcalloc((size_t)b->njobs, sizeof *b->tpls);
  for (int i = 0; i < b->njobs; i++) {
    job *j = &b->jobs[i];
    int k = 0;
    while (k < b->ntpls && strcmp(b->tpls[k].path, j->tpl_path) != 0)
      k++;
    j->tpl = k;
    if (k < b->ntpls)
      continue;
    tpl *t = &b->tpls[b->ntpls++];
    t->path = xstrdup(j->tpl_path);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    zp_diag *d = zp_diag_new(mem);
    zp_diag_set_strict(d, b->strict);
    t->rc = ZP_RENDER_OK;
    if (!zp_render_readable(t->path, "template", d)) {
      t->rc = ZP_RENDER_IO; /* as zpgen render: missing, a FIFO, ... */
    } else if (!(t->t = zp_tmpl_load(t->path, d))) {
      t->rc = ZP_RENDER_INPUT;
    } else {
      zp_render_font_dirs(b->fonts, b->nfonts, t->path, &t->dirs);
      /* templates with the same roles and font directories share one font
       * set, so its faces are opened and prepared once: the faces are
       * numbered the same as in a set of their own */
      for (int o = 0; o < b->ntpls - 1 && !t->fs; o++)
        if (b->tpls[o].fs && same_fonts(&b->tpls[o], t)) {
          t->fs = b->tpls[o].fs;
          t->fs_shared = true;
        }
      if (!t->fs)
        t->fs = zp_render_fonts(t->t, t->dirs.dirs, d);
      if (!t->fs)
        t->rc = ZP_RENDER_IO;
    }
    zp_diag_free(d);
    fclose(mem);
    if (t->rc != ZP_RENDER_OK) {
      t->diag = text;
      continue;
    }
    free(text);
    /* its input lines */
    char *lines = NULL;
    size_t ll = 0;
    FILE *f = open_memstream(&lines, &ll);
    for (int n = 0; n < t->t->nfiles; n++) {
      const hashed *h = file_hash(t->t->files[n]);
      fprintf(f, "input template %s %s\n", h->real,
              h->err ? "unreadable" : h->hex);
    }
    for (int n = 0; n < zp_font_face_count(t->fs); n++) {
      const zp_face_info *fi = zp_font_face(t->fs, n);
      struct stat fst;
      long long size = -1, mt = -1;
      if (stat(fi->file, &fst) == 0) {
        size = (long long)fst.st_size;
        mt = (long long)fst.st_mtim.tv_sec * 1000000000LL + fst.st_mtim.tv_nsec;
      }
      fprintf(f, "input font %s#%d %lld.%lld\n", file_entry(fi->file)->real,
              fi->index, size, mt);
    }
    fclose(f);
    t->inputs = lines;
  }
}

/* What changed between the recorded input lines and the new ones, in buf:
 * the first line that differs, as "data x.json changed". */
static const char *what_changed(const char *old, const char *now, char *buf,
                                size_t size) {
  for (const char *p = now; *p;) {
    size_t n = strcspn(p, "\n");
    bool found = false;
    for (const char *q = old; *q && !found;) {
      size_t m = strcspn(q, "\n");
      found = m == n && strncmp(p, q, n) == 0;
      q += m + (q[m] ? 1 : 0);
    }
    if (!found && (strncmp(p, "input version ", 14) == 0 ||
                   strncmp(p, "input options ", 14) == 0)) {
      snprintf(buf, size, "the zpgen %s changed",
               p[6] == 'v' ? "version" : "options");
      return buf;
    }
    if (!found) {
      /* "input KIND NAME VALUE": was KIND NAME there at all? */
      const char *sp = p + 6;
      const char *name_end = memchr(sp, ' ', n - 6);
      name_end = name_end
                     ? memchr(name_end + 1, ' ', (size_t)(p + n - name_end - 1))
                     : NULL;
      size_t key = name_end ? (size_t)(name_end - p) : n;
      bool had = false;
      for (const char *q = old; *q && !had;) {
        size_t m = strcspn(q, "\n");
        had = m > key && strncmp(p, q, key) == 0 && q[key] == ' ';
        q += m + (q[m] ? 1 : 0);
      }
      snprintf(buf, size, "%.*s %s", (int)(key - 6), sp,
               had ? "changed" : "is new");
      return buf;
    }
    p += n + (p[n] ? 1 : 0);
  }
  snprintf(buf, size, "an input was removed");
  return buf;
}

/* The SHA-256 of the running executable (a rebuilt zpgen of the same
 * version may write other bytes), computed once; "unknown" when it cannot
 * be read. */
static const char *exe_hash(void) {
  static char hex[65];
  if (!hex[0] && !bat_plan_hash_file("/proc/self/exe", hex, NULL))
    snprintf(hex, sizeof hex, "unknown");
  return hex;
}

/* Fingerprints every report and decides which to render. */
void bat_plan_fingerprint(batch *b) {
  for (int i = 0; i < b->njobs; i++) {
    job *j = &b->jobs[i];
    const tpl *t = &b->tpls[j->tpl];
    if (t->rc != ZP_RENDER_OK) {
      j->st = ST_FAILED;
      j->rc = t->rc;
      j->diag = xstrdup(t->diag ? t->diag : "");
      continue;
    }
    char *lines = NULL;
    size_t ll = 0;
    FILE *f = open_memstream(&lines, &ll);
    fprintf(f, "input version %s %s\n", ZP_VERSION, exe_hash());
    fprintf(f, "input options strict=%d allow-inconsistent=%d date=%s",
            b->strict, b->allow_inconsistent, b->datep ? b->datep : "-");
    if (b->watermark) { /* in hex: any text stays one line */
      fputs(" watermark=", f);
      for (const unsigned char *u = (const unsigned char *)b->watermark; *u;
           u++)
        fprintf(f, "%02x", *u);
    }
    fputc('\n', f);
    fputs(t->inputs, f);
    bool unreadable = false;
    for (int k = 0; k < j->ndata; k++) {
      const hashed *h = file_hash(j->data[k]);
      unreadable |= h->err != 0;
      fprintf(f, "input data %s %s\n", h->real, h->err ? "unreadable" : h->hex);
    }
    fclose(f);
    j->inputs = lines;
    zp_sha256 c;
    unsigned char dig[32];
    zp_sha256_init(&c);
    zp_sha256_update(&c, lines, ll);
    zp_sha256_final(&c, dig, j->fp);
    if (b->force) {
      j->why = "--force";
      continue;
    }
    if (unreadable) {
      j->why = "an input cannot be read";
      continue;
    }
    sidecar sc;
    struct stat st;
    bool have_pdf = stat(j->out, &st) == 0 && S_ISREG(st.st_mode);
    char *rtext = NULL;
    size_t rlen = 0;
    FILE *rmem = open_memstream(&rtext, &rlen);
    zp_diag *rd = zp_diag_new(rmem);
    int got = rd ? sidecar_read(j->out, &sc, rd) : -1;
    zp_diag_free(rd);
    fclose(rmem);
    if (got < 0) { /* a FIFO, a device, too large, a read error */
      j->st = ST_FAILED;
      j->rc = ZP_RENDER_IO;
      j->diag = rtext;
      continue;
    }
    free(rtext);
    if (got == 0) {
      j->why = have_pdf ? "no record of its inputs" : "new";
      continue;
    }
    long long mt =
        (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
    if (!have_pdf)
      j->why = "the PDF is missing";
    else if (st.st_size != sc.size || mt != sc.mtime_ns)
      j->why = "the PDF was changed since it was written";
    else if (strcmp(sc.fp, j->fp) != 0)
      j->why = what_changed(sc.inputs, j->inputs, j->whybuf, sizeof j->whybuf);
    else
      j->st = ST_SKIPPED;
    free(sc.inputs);
  }
}

/* Removes what a killed run left: every output's and record's temporary
 * files whose process is gone, whether or not the report is rendered
 * again; each output directory read once (out.h).  Not in --dry-run. */
void bat_plan_sweep(batch *b) {
  char **paths = xcalloc((size_t)b->njobs * 2, sizeof *paths);
  size_t n = 0;
  for (int i = 0; i < b->njobs; i++) {
    paths[n++] = xstrdup(b->jobs[i].out);
    paths[n++] = xprintf("%s" SIDECAR, b->jobs[i].out);
  }
  zp_out_sweep((const char *const *)paths, n);
  for (size_t i = 0; i < n; i++)
    free(paths[i]);
  free(paths);
}

void bat_plan_free_hashes(void) {
  for (size_t i = 0; i < nhashes; i++) {
    free(hashes[i].path);
    free(hashes[i].real);
  }
  free(hashes);
  free(slots);
  hashes = NULL;
  slots = NULL;
  nhashes = caphashes = nslots = 0;
}

/* ---- shards ------------------------------------------------------------- */

bool bat_plan_parse_shard(const char *s, long *i, long *n) {
  char *end;
  errno = 0;
  *i = strtol(s, &end, 10);
  if (end == s || *end != '/' || errno)
    return false;
  const char *t = end + 1;
  *n = strtol(t, &end, 10);
  return end != t && !*end && !errno && *n >= 1 && *n <= 1000000 && *i >= 0 &&
         *i < *n;
}

/* A whole number from lo to hi in s (strtol, range and overflow
 * checked). */
static bool parse_range(const char *s, long lo, long hi, long *v) {
  char *end;
  errno = 0;
  long x = strtol(s, &end, 10);
  if (end == s || *end || errno || x < lo || x > hi)
    return false;
  *v = x;
  return true;
}

/* Reports an environment variable that is not what it should be. */
static bool bad_env(const char *name, const char *value, const char *want) {
  fprintf(stderr, "zpgen batch: %s=%s: expected %s\n", name, value ? value : "",
          want);
  return false;
}

/* --shard, else Slurm's array variables, else Kubernetes' index with a
 * count; false with a message when they are malformed, out of range (as
 * --shard: at most 1000000 slices) or inconsistent. */
bool bat_plan_default_shard(batch *b, const char *count_opt) {
  const char *id = getenv("SLURM_ARRAY_TASK_ID");
  const char *cnt = getenv("SLURM_ARRAY_TASK_COUNT");
  const char *min = getenv("SLURM_ARRAY_TASK_MIN");
  long i, n, m = 0;
  if ((id && *id) || (cnt && *cnt)) {
    if (!id || !*id)
      return bad_env("SLURM_ARRAY_TASK_ID", "",
                     "the task's index with SLURM_ARRAY_TASK_COUNT");
    if (!cnt || !*cnt)
      return bad_env("SLURM_ARRAY_TASK_COUNT", "",
                     "the array's task count with SLURM_ARRAY_TASK_ID (a "
                     "Slurm job array)");
    if (!parse_range(cnt, 1, 1000000, &n))
      return bad_env("SLURM_ARRAY_TASK_COUNT", cnt,
                     "a whole number from 1 to 1000000");
    if (!parse_range(id, 0, LONG_MAX / 2, &i))
      return bad_env("SLURM_ARRAY_TASK_ID", id, "a whole number from 0");
    if (min && *min && !parse_range(min, 0, LONG_MAX / 2, &m))
      return bad_env("SLURM_ARRAY_TASK_MIN", min, "a whole number from 0");
    if (i < m || i - m >= n) {
      fprintf(stderr,
              "zpgen batch: SLURM_ARRAY_TASK_ID=%s (minimum %ld) is not a "
              "slice of SLURM_ARRAY_TASK_COUNT=%s; use --array=0-%ld\n",
              id, m, cnt, n - 1);
      return false;
    }
    b->shard_i = i - m;
    b->shard_n = n;
    return true;
  }
  const char *k8s = getenv("JOB_COMPLETION_INDEX");
  if (k8s && *k8s) {
    const char *c = count_opt ? count_opt : getenv("ZPGEN_SHARD_COUNT");
    const char *cname = count_opt ? "--shard-count" : "ZPGEN_SHARD_COUNT";
    if (!c || !*c) {
      fprintf(stderr,
              "zpgen batch: JOB_COMPLETION_INDEX=%s needs "
              "--shard-count N (or ZPGEN_SHARD_COUNT) above it, the "
              "Job's completions\n",
              k8s);
      return false;
    }
    if (!parse_range(c, 1, 1000000, &n)) {
      fprintf(stderr,
              "zpgen batch: %s %s: expected a whole number from 1 to "
              "1000000\n",
              cname, c);
      return false;
    }
    if (!parse_range(k8s, 0, n - 1, &i)) {
      fprintf(stderr,
              "zpgen batch: JOB_COMPLETION_INDEX=%s: expected a whole number "
              "from 0 to %ld (%s %ld)\n",
              k8s, n - 1, cname, n);
      return false;
    }
    b->shard_i = i;
    b->shard_n = n;
  } else if (count_opt && !parse_range(count_opt, 1, 1000000, &n)) {
    fprintf(stderr,
            "zpgen batch: --shard-count %s: expected a whole number "
            "from 1 to 1000000\n",
            count_opt);
    return false;
  }
  return true;
}
