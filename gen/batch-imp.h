/* batch-imp.h — private to `zpgen batch` (batch.h): the structures its
 * files share, a few small helpers and the functions one file calls in
 * another (named bat_<file>_).  Nothing else includes it.
 *
 *   batch.c           zp_batch_main: the options, the flow, the summary
 *   batch-manifest.c  JSON-lines, CSV and directory manifests, their
 *                     validation, outputs that would overwrite inputs
 *   batch-plan.c      templates, fingerprints, records (sidecars), the
 *                     sweep of a killed run's files, shards
 *   batch-work.c      the workers, the pipe protocol, rendering one report,
 *                     the --report file
 *
 * Each .c defines _GNU_SOURCE before including it.
 */
#ifndef ZP_BATCH_IMP_H
#define ZP_BATCH_IMP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "batch.h"
#include "diag.h"
#include "font.h"
#include "out.h"
#include "render.h"
#include "tmpl.h"

#ifndef ZP_VERSION
#define ZP_VERSION "dev"
#endif

#define MAX_DATA 16
#define SIDECAR ".zpgen"
#define MAX_MANIFEST ((size_t)64 << 20) /* bytes */
#define MAX_RECORD ((size_t)1 << 20)
#define PREP_MIN_REPORTS 24 /* per worker, to keep subsetting preparations */

enum { EXIT_OK = 0, EXIT_INPUT = 1, EXIT_USAGE = 2, EXIT_IO = 3 };

typedef enum {
  ST_PENDING,
  ST_RENDERED,
  ST_SKIPPED,
  ST_FAILED,
  ST_INTERRUPTED
} status;

/* One distinct template of the manifest. */
typedef struct tpl {
  char *path;
  zp_template *t;
  zp_fontset *fs;
  bool fs_shared; /* fs is an earlier template's (same roles, same dirs) */
  zp_render_dirs dirs;
  int rc;       /* ZP_RENDER_ status of loading it */
  char *diag;   /* its diagnostics when it failed (malloc'd) */
  char *inputs; /* its part of the fingerprint's input lines (malloc'd) */
} tpl;

typedef struct job {
  char *id, *tpl_path, *out;
  char *data[MAX_DATA];
  int ndata;
  int line;     /* in the manifest */
  int tpl;      /* index into the templates */
  char *inputs; /* the fingerprint's input lines (malloc'd) */
  char fp[65];
  const char *why; /* why it is rendered (static or in whybuf) */
  char whybuf[320];
  status st;
  int rc; /* of a failure: ZP_RENDER_INPUT or ZP_RENDER_IO */
  long ms;
  int pages, warnings;
  long long bytes;
  char sha[65];
  char *diag; /* the report's diagnostics (malloc'd) */
} job;

typedef struct batch {
  const char *manifest;
  char *base; /* the manifest's directory, for relative paths */
  job *jobs;
  int njobs, capjobs;
  tpl *tpls;
  int ntpls;
  /* options */
  int nworkers;
  bool force, dry_run, strict, allow_inconsistent, quiet;
  bool prep; /* workers keep hb-subset preparations */
  const char *report, *dir_template, *output_dir;
  const char *fonts[16];
  int nfonts;
  long shard_i, shard_n;
  char date[32];
  const char *datep;
  const char *watermark; /* --watermark TEXT, or NULL */
  zp_out *report_out;    /* --report's file, opened first (the parent's) */
  bool io_error;         /* the manifest could not be read: exit 3 */
  bool usage_error;      /* --report names an input or an output: exit 2 */
  struct fent *written;  /* every output, record and the report, by key */
  size_t nwritten;
  zp_diag *d;
} batch;

/* The files a batch reads and writes, compared by identity (written kinds
 * first). */
typedef enum {
  F_OUTPUT,
  F_RECORD,
  F_REPORT,
  F_MANIFEST,
  F_TEMPLATE,
  F_DATA,
  F_INCLUDE
} fkind;
#define F_WRITTEN(k) ((k) <= F_REPORT)

typedef struct fent {
  char *key;  /* the file's identity (file_key), malloc'd */
  char *path; /* as the manifest gives it (resolved), malloc'd */
  int kind, line;
} fent;

/* The progress line on stderr (a terminal, not --quiet). */
typedef struct progress {
  bool tty, quiet;
  double t0, last;
  int total, done, failed, last_done;
  bool line_shown;
} progress;

/* ---- small helpers ------------------------------------------------------ */

static inline void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fputs("zpgen batch: out of memory\n", stderr);
    exit(EXIT_IO);
  }
  return p;
}

static inline char *xstrdup(const char *s) {
  char *p = strdup(s);
  if (!p) {
    fputs("zpgen batch: out of memory\n", stderr);
    exit(EXIT_IO);
  }
  return p;
}

static inline char *xprintf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
static inline char *xprintf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  char *s = NULL;
  int n = vasprintf(&s, fmt, ap);
  va_end(ap);
  if (n < 0) {
    fputs("zpgen batch: out of memory\n", stderr);
    exit(EXIT_IO);
  }
  return s;
}

static inline double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first line of text containing ": error: " (else the first line), in
 * buf. */
static inline const char *first_error(const char *text, char *buf,
                                      size_t size) {
  buf[0] = 0;
  if (!text)
    return buf;
  const char *e = strstr(text, ": error: ");
  const char *start = text;
  if (e) {
    start = e;
    while (start > text && start[-1] != '\n')
      start--;
  }
  size_t n = strcspn(start, "\n");
  snprintf(buf, size, "%.*s", (int)n, start);
  return buf;
}

/* FNV-1a of s: the files' table (batch-plan.c) and a report's shard. */
static inline uint64_t fnv1a(const char *s) {
  uint64_t h = 14695981039346656037ULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    h = (h ^ *p) * 1099511628211ULL;
  return h;
}

/* ---- batch-manifest.c --------------------------------------------------- */

/* Reads the manifest into b->jobs: every field checked, paths resolved,
 * ids and outputs unique; then keeps this shard's reports. */
bool bat_manifest_load(batch *b);
/* No output, record or --report may be a file a template includes (known
 * once the templates are loaded: this shard's).  False with the errors
 * reported. */
bool bat_manifest_check_includes(batch *b);

/* ---- batch-plan.c ------------------------------------------------------- */

/* A file's SHA-256 in hex; false with errno when it cannot be read (EINVAL
 * for a file that is not regular: a FIFO, a device or a directory is never
 * opened for reading, file.h). */
bool bat_plan_hash_file(const char *path, char hex[65], long long *size);
/* Writes the sidecar of out atomically (out.h).  False with an error in
 * d. */
bool bat_plan_sidecar_write(const char *out, const job *j, zp_diag *d);
/* Loads every distinct template once, with its font set; fills its input
 * lines (its files' hashes, the faces its roles use). */
void bat_plan_load_templates(batch *b);
/* Fingerprints every report and decides which to render. */
void bat_plan_fingerprint(batch *b);
/* Removes what a killed run left: every output's and record's temporary
 * files whose process is gone, whether or not the report is rendered
 * again; each output directory read once (out.h).  Not in --dry-run. */
void bat_plan_sweep(batch *b);
/* Frees the table of the files read in this run (their hashes). */
void bat_plan_free_hashes(void);
/* --shard I/N: false when s is not I/N with 0 <= I < N <= 1000000. */
bool bat_plan_parse_shard(const char *s, long *i, long *n);
/* --shard, else Slurm's array variables, else Kubernetes' index with a
 * count; false with a message when they are malformed, out of range (as
 * --shard: at most 1000000 slices) or inconsistent. */
bool bat_plan_default_shard(batch *b, const char *count_opt);

/* ---- batch-work.c ------------------------------------------------------- */

/* The CPUs this process may run on (its affinity), at least 1. */
int bat_work_cpu_count(void);
/* Clears the progress line (a terminal's). */
void bat_work_progress_clear(progress *p);
/* Prints a report's diagnostics, each line prefixed by its id. */
void bat_work_print_diag(progress *p, const job *j);
/* Runs the workers over the reports to render (a worker that dies is
 * replaced); returns false when the batch was interrupted. */
bool bat_work_run(batch *b, int *todo, int ntodo, progress *pr);
/* Writes --report's JSON lines atomically (out.h); false with an error in
 * d. */
bool bat_work_write_report(batch *b, zp_out *o, zp_diag *d);

#endif
