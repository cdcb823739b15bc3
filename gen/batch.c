/* batch.c — see batch.h.
 *
 * The parent reads the manifest, loads every template once, makes each
 * template's font set (fontconfig and the faces, once), fingerprints every
 * report and compares with its sidecar.  It then forks the workers, which
 * inherit all of that, and hands out report indices over one pipe per
 * worker; a worker renders, commits (temporary file, rename, sidecar) and
 * answers with a fixed header and its diagnostics' text.
 *
 * Every file written (a PDF, its record, the report) goes through the
 * safe-output module (out.h): a temporary file beside the target, renamed
 * on success, removed on failure and when a signal ends a worker; what a
 * kill -9 left is swept for every report of the manifest, rendered again
 * or not.
 *
 * The manifest is read and checked in batch-manifest.c, the reports are
 * planned in batch-plan.c (batch-imp.h).
 */
#define _GNU_SOURCE
#include "batch-imp.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "file.h"
#include "font.h"
#include "json.h"
#include "out.h"
#include "render.h"
#include "sha256.h"
#include "tmpl.h"

static const char usage[] =
    "usage: zpgen batch MANIFEST [options]\n"
    "       zpgen batch DIR --template T.xml [--output-dir OUT] [options]\n"
    "\n"
    "Renders every report of MANIFEST whose inputs changed since its PDF was\n"
    "written, in parallel worker processes.\n"
    "\n"
    "MANIFEST  JSON lines (.jsonl or anything not .csv): one object per line,\n"
    "            {\"id\": \"liwan\", \"template\": \"t.xml\",\n"
    "             \"data\": \"liwan.json\" or [\"liwan.json\", "
    "\"shared.json\"],\n"
    "             \"output\": \"out/liwan.pdf\"}\n"
    "          CSV (.csv): a header line naming the columns id, template,\n"
    "            data, output; several data files separated by ';'\n"
    "          a directory: every *.json in it is one report (id: the file's\n"
    "            name), with --template; PDFs go to --output-dir (default: "
    "the\n"
    "            directory itself) as ID.pdf\n"
    "          Relative paths are relative to the manifest's directory.\n"
    "\n"
    "options:\n"
    "  --jobs N        worker processes (default: the number of cores)\n"
    "  --force         render every report, changed or not\n"
    "  --dry-run       list what would be rendered, and why; render nothing\n"
    "  --report FILE   one JSON line per report: id, status, fingerprint, ms,\n"
    "                  pages, bytes, sha256, warnings, error\n"
    "  --shard I/N     only the reports of slice I of N (0 <= I < N, by a\n"
    "                  hash of the id); default from SLURM_ARRAY_TASK_ID and\n"
    "                  SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX and\n"
    "                  --shard-count N (or $ZPGEN_SHARD_COUNT)\n"
    "  --template T    the template of a directory's reports\n"
    "  --output-dir D  where a directory's PDFs go\n"
    "  --fonts DIR, --strict, --allow-inconsistent   as for zpgen render\n"
    "  --quiet         no progress line\n"
    "\n"
    "Each PDF is written to a temporary file beside it and renamed; its\n"
    "inputs' fingerprint is then recorded in OUT.pdf.zpgen.  A report whose\n"
    "fingerprint and PDF are unchanged is skipped.  A failed report keeps its\n"
    "previous PDF.  Ctrl-C stops handing out reports and lets the running "
    "ones\n"
    "finish; a second Ctrl-C aborts them.\n"
    "\n"
    "exit status: 0 every report rendered or skipped; 1 a report failed on\n"
    "its data or template (retrying will not help), or the manifest is\n"
    "invalid; 2 usage error; 3 a report failed on I/O, or the batch was\n"
    "interrupted (retry: finished reports are skipped).\n";

static const char *const status_name[] = {"pending", "rendered", "skipped",
                                          "failed", "interrupted"};

/* ---- the worker --------------------------------------------------------- */

/* What a worker answers for one report; then diag_len bytes of text. */
typedef struct answer {
  int32_t job, st, rc, pages, warnings, diag_len;
  int64_t ms, bytes;
  char sha[65];
} answer;

static bool write_all(int fd, const void *p, size_t n) {
  const char *s = p;
  while (n) {
    ssize_t k = write(fd, s, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    s += k;
    n -= (size_t)k;
  }
  return true;
}

static bool read_all(int fd, void *p, size_t n) {
  char *s = p;
  while (n) {
    ssize_t k = read(fd, s, n);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return false;
    s += k;
    n -= (size_t)k;
  }
  return true;
}

/* Renders job j; fills a and *text (malloc'd diagnostics). */
static void work_one(batch *b, job *j, answer *a, char **text) {
  size_t len = 0;
  FILE *mem = open_memstream(text, &len);
  zp_diag *d = zp_diag_new(mem);
  zp_diag_set_strict(d, b->strict);
  tpl *t = &b->tpls[j->tpl];
  double t0 = now_s();
  int rc = ZP_RENDER_INPUT;
  zp_out *po = NULL;
  zp_json_doc *data =
      zp_render_load_data((const char *const *)j->data, j->ndata, &rc, d);
  if (!data)
    goto done;
  po = zp_out_open(j->out, "output", d);
  if (!po) {
    rc = ZP_RENDER_IO;
    goto done;
  }
  const char *tmp = zp_out_temp(po);
  if (!tmp) {
    zp_error(d, ((zp_loc){j->out, 0, 0}),
             "cannot write a batch's output to standard output");
    rc = ZP_RENDER_INPUT;
    goto done;
  }
  zp_render_opts ro = {t->dirs.dirs, b->allow_inconsistent, b->datep, false};
  zp_render_info info;
  rc = zp_render_pdf(t->t, data, &t->fs, &ro, zp_out_stream(po), j->out, NULL,
                     &info, d);
  if (rc == ZP_RENDER_OK && fflush(zp_out_stream(po)) != 0) {
    zp_error(d, ((zp_loc){j->out, 0, 0}), "cannot write the output: %s",
             strerror(errno));
    rc = ZP_RENDER_IO;
  }
  if (rc == ZP_RENDER_OK && zp_diag_errors(d) > 0)
    rc = ZP_RENDER_INPUT;
  if (rc != ZP_RENDER_OK)
    goto done;
  a->pages = info.pages;
  long long size = 0;
  if (b->report) {
    if (!bat_plan_hash_file(tmp, a->sha, &size)) {
      zp_error(d, ((zp_loc){j->out, 0, 0}), "cannot read back the output: %s",
               strerror(errno));
      rc = ZP_RENDER_IO;
      goto done;
    }
  } else {
    struct stat st;
    if (stat(tmp, &st) == 0)
      size = (long long)st.st_size;
  }
  a->bytes = size;
  /* the old record goes first: a kill between the two renames leaves a
   * PDF without a record (rendered again next time), never a record that
   * vouches for another PDF */
  char sc[PATH_MAX + 16];
  snprintf(sc, sizeof sc, "%s" SIDECAR, j->out);
  struct stat sst;
  const char *kind;
  if (stat(sc, &sst) == 0 && (kind = zp_file_kind(sst.st_mode))) {
    zp_error(d, ((zp_loc){sc, 0, 0}),
             "cannot replace the record: it is %s, not a regular file", kind);
    rc = ZP_RENDER_IO;
    goto done;
  }
  if (unlink(sc) != 0 && errno != ENOENT) {
    zp_error(d, ((zp_loc){sc, 0, 0}), "cannot remove the old record: %s",
             strerror(errno));
    rc = ZP_RENDER_IO;
    goto done;
  }
  bool committed = zp_out_commit(po, d);
  po = NULL;
  if (!committed || !bat_plan_sidecar_write(j->out, j, d)) {
    rc = ZP_RENDER_IO;
    goto done;
  }
done:
  zp_out_abort(po);
  zp_json_free(data);
  a->st = rc == ZP_RENDER_OK ? ST_RENDERED : ST_FAILED;
  a->rc = rc;
  a->warnings = zp_diag_warnings(d);
  a->ms = (int64_t)((now_s() - t0) * 1000.0 + 0.5);
  zp_diag_free(d);
  fclose(mem);
  a->diag_len = (int32_t)len;
}

static struct sigaction saved_int, saved_term, saved_hup;

static void worker(batch *b, int in, int out) {
  signal(SIGINT, SIG_IGN); /* the parent decides */
  signal(SIGPIPE, SIG_IGN);
  sigaction(SIGTERM, &saved_term, NULL); /* not the parent's on_term */
  sigaction(SIGHUP, &saved_hup, NULL);
  zp_out_forget(b->report_out); /* the parent's report: not removed here */
  /* SIGTERM, SIGHUP and the like remove the temporary files the worker is
   * writing, then end it (out.h); SIGINT and SIGPIPE stay ignored */
  zp_out_signals();
  zp_out_set_sweep(false); /* the parent swept every output's directory */
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1)
    _exit(EXIT_IO);
  for (int i = 0; i < b->ntpls; i++)
    if (b->tpls[i].fs)
      zp_fontset_keep_subset_prep(b->tpls[i].fs, b->prep);
  int32_t k;
  while (read_all(in, &k, sizeof k) && k >= 0 && k < b->njobs) {
    answer a;
    memset(&a, 0, sizeof a);
    a.job = k;
    char *text = NULL;
    work_one(b, &b->jobs[k], &a, &text);
    bool ok = write_all(out, &a, sizeof a) &&
              write_all(out, text ? text : "", (size_t)a.diag_len);
    free(text);
    if (!ok)
      break;
  }
  _exit(0);
}

/* ---- the parent --------------------------------------------------------- */

static volatile sig_atomic_t n_int, got_term;
/* saved_int, saved_term, saved_hup (above): the parent's actions before
 * run_workers (out.h's), restored after it and in each worker */

static void on_int(int sig) { n_int++; }
static void on_term(int sig) { got_term = 1; }

typedef struct wk {
  pid_t pid;
  int in, out; /* job pipe (write end), answer pipe (read end) */
  int job;     /* running, or -1 */
  bool alive;
} wk;

typedef struct progress {
  bool tty, quiet;
  double t0, last;
  int total, done, failed, last_done;
  bool line_shown;
} progress;

static void progress_clear(progress *p) {
  if (p->tty && p->line_shown) {
    fputs("\r\033[K", stderr);
    p->line_shown = false;
  }
}

static void progress_show(progress *p, bool force) {
  if (p->quiet)
    return;
  double t = now_s();
  double el = t - p->t0;
  double rate = el > 0 ? p->done / el : 0;
  double left = rate > 0 ? (p->total - p->done) / rate : 0;
  if (p->tty) {
    if (!force && t - p->last < 0.1)
      return;
    fprintf(stderr, "\r\033[K[%d/%d] %d failed, %.1f reports/s, %.0f s left",
            p->done, p->total, p->failed, rate, left);
    p->line_shown = true;
  } else {
    int step = p->total / 10 > 0 ? p->total / 10 : 1;
    if (!force && p->done - p->last_done < step && t - p->last < 10)
      return;
    fprintf(stderr,
            "zpgen batch: %d/%d rendered or failed, %d failed, %.1f reports/s, "
            "%.0f s left\n",
            p->done, p->total, p->failed, rate, left);
    p->last_done = p->done;
  }
  p->last = t;
}

/* Prints a report's diagnostics, each line prefixed by its id. */
static void print_diag(progress *p, const job *j) {
  if (!j->diag || !*j->diag)
    return;
  progress_clear(p);
  for (const char *s = j->diag; *s;) {
    size_t n = strcspn(s, "\n");
    fprintf(stderr, "[%s] %.*s\n", j->id, (int)n, s);
    s += n + (s[n] ? 1 : 0);
  }
}

static int cpu_count(void) {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0)
    return CPU_COUNT(&set);
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? (int)n : 1;
}

/* Starts worker slot i of n (its pipes in w[i]).  False when the pipes or
 * the process cannot be made (reported). */
static bool spawn(batch *b, wk *w, int i, int n) {
  int jp[2], ap[2];
  if (pipe2(jp, O_CLOEXEC) != 0) {
    perror("zpgen batch: pipe");
    return false;
  }
  if (pipe2(ap, O_CLOEXEC) != 0) {
    perror("zpgen batch: pipe");
    close(jp[0]);
    close(jp[1]);
    return false;
  }
  fflush(NULL);
  pid_t pid = fork();
  if (pid < 0) {
    perror("zpgen batch: fork");
    close(jp[0]);
    close(jp[1]);
    close(ap[0]);
    close(ap[1]);
    return false;
  }
  if (pid == 0) {
    for (int k = 0; k < n; k++)
      if (k != i && w[k].alive) {
        if (w[k].in >= 0)
          close(w[k].in);
        close(w[k].out);
      }
    close(jp[1]);
    close(ap[0]);
    worker(b, jp[0], ap[1]);
  }
  close(jp[0]);
  close(ap[1]);
  w[i] = (wk){pid, jp[1], ap[0], -1, true};
  return true;
}

/* Runs the workers over the reports to render (a worker that dies is
 * replaced); returns false when the batch was interrupted. */
static bool run_workers(batch *b, int *todo, int ntodo, progress *pr) {
  int nw = b->nworkers < ntodo ? b->nworkers : ntodo;
  wk *w = xcalloc((size_t)nw, sizeof *w);
  /* preparing a face costs about ten subsets of it: worth it when each
   * worker has a few dozen reports to render */
  b->prep = ntodo / nw >= PREP_MIN_REPORTS;
  struct sigaction sa = {0};
  sa.sa_handler = on_int;
  sigaction(SIGINT, &sa, &saved_int);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, &saved_term);
  sigaction(SIGHUP, &sa, &saved_hup);
  signal(SIGPIPE, SIG_IGN);
  int started = 0;
  for (int i = 0; i < nw && spawn(b, w, i, nw); i++)
    started++;
  int next = 0, running = 0;
  bool stopping = false, aborted = false;
  for (;;) {
    if ((n_int >= 1 || got_term) && !stopping) {
      stopping = true;
      progress_clear(pr);
      fprintf(stderr, "zpgen batch: interrupted: finishing the running "
                      "reports (interrupt again to abort them)\n");
    }
    if ((n_int >= 2 || got_term) && !aborted) {
      aborted = true;
      for (int i = 0; i < started; i++)
        if (w[i].alive)
          kill(w[i].pid, SIGTERM);
    }
    /* hand out work */
    for (int i = 0; i < started; i++) {
      if (!w[i].alive || w[i].job >= 0 || w[i].in < 0)
        continue;
      if (stopping || next >= ntodo) {
        close(w[i].in); /* the worker exits */
        w[i].in = -1;
        continue;
      }
      int32_t k = todo[next];
      if (!write_all(w[i].in, &k, sizeof k)) {
        close(w[i].in);
        w[i].in = -1;
        continue;
      }
      next++;
      w[i].job = k;
      running++;
    }
    struct pollfd pf[256];
    int map[256], np = 0;
    for (int i = 0; i < started && np < 256; i++)
      if (w[i].alive) {
        pf[np] = (struct pollfd){w[i].out, POLLIN, 0};
        map[np++] = i;
      }
    if (!np)
      break;
    int r = poll(pf, (nfds_t)np, 200);
    if (r < 0 && errno != EINTR)
      break;
    if (r <= 0) {
      progress_show(pr, false);
      continue;
    }
    for (int q = 0; q < np; q++) {
      if (!(pf[q].revents & (POLLIN | POLLHUP | POLLERR)))
        continue;
      wk *x = &w[map[q]];
      answer a;
      if (!read_all(x->out, &a, sizeof a) || a.job != x->job ||
          a.diag_len < 0) {
        /* the worker is gone */
        close(x->out);
        if (x->in >= 0)
          close(x->in);
        x->in = -1;
        x->alive = false;
        int ws = 0;
        waitpid(x->pid, &ws, 0);
        if (x->job >= 0) {
          job *j = &b->jobs[x->job];
          j->st = aborted ? ST_INTERRUPTED : ST_FAILED;
          j->rc = ZP_RENDER_IO;
          if (aborted)
            j->diag = xprintf("%s: error: aborted\n", j->out);
          else if (WIFSIGNALED(ws))
            j->diag = xprintf("%s: error: the worker rendering it died of "
                              "signal %d (%s)\n",
                              j->out, WTERMSIG(ws), strsignal(WTERMSIG(ws)));
          else
            j->diag =
                xprintf("%s: error: the worker rendering it exited\n", j->out);
          running--;
          pr->done++;
          pr->failed += !aborted;
          if (!aborted)
            print_diag(pr, j);
          x->job = -1;
          /* the next report gets a fresh worker */
          if (!stopping && next < ntodo)
            spawn(b, w, map[q], started);
        }
        continue;
      }
      job *j = &b->jobs[a.job];
      j->diag = xcalloc((size_t)a.diag_len + 1, 1);
      if (!read_all(x->out, j->diag, (size_t)a.diag_len))
        j->diag[0] = 0;
      j->st = (status)a.st;
      j->rc = a.rc;
      j->ms = (long)a.ms;
      j->pages = a.pages;
      j->warnings = a.warnings;
      j->bytes = a.bytes;
      memcpy(j->sha, a.sha, sizeof j->sha);
      j->sha[64] = 0;
      x->job = -1;
      running--;
      pr->done++;
      pr->failed += j->st == ST_FAILED;
      if (j->st == ST_FAILED || j->warnings)
        print_diag(pr, j);
      progress_show(pr, pr->done == pr->total);
    }
  }
  for (int i = 0; i < started; i++) {
    if (w[i].in >= 0)
      close(w[i].in);
    if (w[i].alive) {
      close(w[i].out);
      waitpid(w[i].pid, NULL, 0);
    }
  }
  free(w);
  sigaction(SIGINT, &saved_int, NULL); /* out.h's again */
  sigaction(SIGTERM, &saved_term, NULL);
  sigaction(SIGHUP, &saved_hup, NULL);
  for (int i = next; i < ntodo; i++)
    b->jobs[todo[i]].st = ST_INTERRUPTED;
  return !stopping && started > 0;
}

/* Writes --report's JSON lines atomically (out.h); false with an error in
 * d. */
static bool write_report(batch *b, zp_out *o, zp_diag *d) {
  FILE *f = zp_out_stream(o);
  for (int i = 0; i < b->njobs; i++) {
    const job *j = &b->jobs[i];
    char err[1024];
    fputs("{\"id\":", f);
    zp_json_write_string(f, j->id);
    fprintf(f, ",\"status\":\"%s\",\"fingerprint\":", status_name[j->st]);
    zp_json_write_string(f, j->fp);
    fprintf(f, ",\"ms\":%ld,\"pages\":%d,\"bytes\":%lld,\"sha256\":", j->ms,
            j->pages, j->bytes);
    if (j->st == ST_RENDERED)
      zp_json_write_string(f, j->sha);
    else
      fputs("null", f);
    fprintf(f, ",\"warnings\":%d,\"error\":", j->warnings);
    if (j->st == ST_FAILED || j->st == ST_INTERRUPTED)
      zp_json_write_string(f, first_error(j->diag, err, sizeof err));
    else
      fputs("null", f);
    if (j->why && j->st != ST_SKIPPED) {
      fputs(",\"why\":", f);
      zp_json_write_string(f, j->why);
    }
    fputs("}\n", f);
  }
  return zp_out_commit(o, d);
}

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* ---- options ------------------------------------------------------------ */

static bool parse_count(const char *s, long *v, long max) {
  char *end;
  errno = 0;
  *v = strtol(s, &end, 10);
  return end != s && !*end && !errno && *v >= 1 && *v <= max;
}

int zp_batch_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"jobs", required_argument, NULL, 'j'},
      {"force", no_argument, NULL, 'F'},
      {"dry-run", no_argument, NULL, 'n'},
      {"report", required_argument, NULL, 'r'},
      {"shard", required_argument, NULL, 'S'},
      {"shard-count", required_argument, NULL, 'C'},
      {"template", required_argument, NULL, 't'},
      {"output-dir", required_argument, NULL, 'O'},
      {"fonts", required_argument, NULL, 'f'},
      {"strict", no_argument, NULL, 's'},
      {"allow-inconsistent", no_argument, NULL, 'A'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  batch b = {0};
  b.nworkers = cpu_count() < 256 ? cpu_count() : 256;
  b.shard_n = 1;
  const char *shard = NULL, *count = NULL;
  int c;
  long v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "j:t:f:hn", longopts, NULL)) != -1) {
    switch (c) {
    case 'j':
      if (!parse_count(optarg, &v, 256)) {
        fprintf(stderr, "zpgen batch: --jobs %s: expected 1 to 256\n", optarg);
        return EXIT_USAGE;
      }
      b.nworkers = (int)v;
      break;
    case 'F':
      b.force = true;
      break;
    case 'n':
      b.dry_run = true;
      break;
    case 'r':
      b.report = optarg;
      break;
    case 'S':
      shard = optarg;
      break;
    case 'C':
      count = optarg;
      break;
    case 't':
      b.dir_template = optarg;
      break;
    case 'O':
      b.output_dir = optarg;
      break;
    case 'f':
      if (b.nfonts == 16) {
        fprintf(stderr,
                "zpgen batch: --fonts %s: at most 16 --fonts "
                "directories\n",
                optarg);
        return EXIT_USAGE;
      }
      b.fonts[b.nfonts++] = optarg;
      break;
    case 's':
      b.strict = true;
      break;
    case 'A':
      b.allow_inconsistent = true;
      break;
    case 'q':
      b.quiet = true;
      break;
    case 'h':
      fputs(usage, stdout);
      return EXIT_OK;
    default:
      fputs(usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (optind + 1 != argc) {
    fprintf(stderr, "zpgen batch: %s\n%s",
            optind >= argc ? "no manifest given" : "more than one manifest",
            usage);
    return EXIT_USAGE;
  }
  b.manifest = argv[optind];
  if (shard) {
    if (!bat_plan_parse_shard(shard, &b.shard_i, &b.shard_n)) {
      fprintf(stderr, "zpgen batch: --shard %s: expected I/N with 0 <= I < N\n",
              shard);
      return EXIT_USAGE;
    }
  } else if (!bat_plan_default_shard(&b, count)) {
    return EXIT_USAGE;
  }
  if (zp_render_epoch_error()) {
    fprintf(stderr, "zpgen batch: %s\n", zp_render_epoch_error());
    return EXIT_USAGE;
  }
  b.datep = zp_render_epoch_date(b.date, sizeof b.date);
  b.d = zp_diag_new(stderr);
  if (!b.d)
    return EXIT_IO;
  /* a signal that ends the parent removes the report's temporary file */
  zp_out_signals();
  /* the report is opened first: a report that cannot be written fails now,
   * not after the whole batch */
  zp_out *report = NULL;
  if (b.report && !b.dry_run &&
      !(report = zp_out_open(b.report, "report", b.d))) {
    zp_diag_free(b.d);
    return EXIT_IO;
  }
  b.report_out = report;
  double t0 = now_s();
  int rc = EXIT_OK;
  if (!bat_manifest_load(&b)) {
    rc = b.usage_error ? EXIT_USAGE : b.io_error ? EXIT_IO : EXIT_INPUT;
    goto done;
  }
  bat_plan_load_templates(&b);
  if (!bat_manifest_check_includes(&b)) {
    rc = b.usage_error ? EXIT_USAGE : EXIT_INPUT;
    goto done;
  }
  bat_plan_fingerprint(&b);
  if (!b.dry_run)
    bat_plan_sweep(&b);
  int *todo = xcalloc((size_t)b.njobs, sizeof *todo);
  int ntodo = 0, nskip = 0, npre = 0;
  for (int i = 0; i < b.njobs; i++) {
    if (b.jobs[i].st == ST_PENDING)
      todo[ntodo++] = i;
    nskip += b.jobs[i].st == ST_SKIPPED;
    npre += b.jobs[i].st == ST_FAILED;
  }
  progress pr = {isatty(2), b.quiet, now_s(), 0, ntodo, 0, 0, 0, false};
  if (b.dry_run) {
    for (int i = 0; i < ntodo; i++) {
      const job *j = &b.jobs[todo[i]];
      printf("render %s: %s\n", j->id, j->why);
    }
    for (int i = 0; i < b.njobs; i++)
      if (b.jobs[i].st == ST_FAILED)
        printf("fail %s: %s\n", b.jobs[i].id,
               first_error(b.jobs[i].diag, (char[512]){0}, 512));
    printf("%d to render, %d unchanged, %d failing%s\n", ntodo, nskip, npre,
           b.shard_n > 1 ? " (this shard)" : "");
    free(todo);
    goto done;
  }
  for (int i = 0; i < b.njobs; i++)
    if (b.jobs[i].st == ST_FAILED)
      print_diag(&pr, &b.jobs[i]);
  bool interrupted = false;
  if (ntodo)
    interrupted = !run_workers(&b, todo, ntodo, &pr);
  free(todo);
  progress_clear(&pr);
  /* the summary */
  int nren = 0, nfail = 0, nint = 0;
  long long bytes = 0;
  long *ms = xcalloc((size_t)b.njobs, sizeof *ms);
  for (int i = 0; i < b.njobs; i++) {
    const job *j = &b.jobs[i];
    if (j->st == ST_RENDERED) {
      ms[nren++] = j->ms;
      bytes += j->bytes;
    }
    nfail += j->st == ST_FAILED;
    nint += j->st == ST_INTERRUPTED || j->st == ST_PENDING;
    if (j->st == ST_FAILED)
      rc = j->rc == ZP_RENDER_IO || rc == EXIT_IO ? EXIT_IO : EXIT_INPUT;
  }
  if (nint || interrupted)
    rc = EXIT_IO;
  double el = now_s() - t0;
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  qsort(ms, (size_t)nren, sizeof *ms, cmp_long);
  fprintf(stderr,
          "zpgen batch: %d report%s: %d rendered, %d skipped, %d failed",
          b.njobs, b.njobs == 1 ? "" : "s", nren, nskip, nfail);
  if (nint)
    fprintf(stderr, ", %d not done (interrupted)", nint);
  fprintf(stderr, " in %.2f s", el);
  if (nren)
    fprintf(stderr,
            " (%.1f reports/s; per report median %ld ms, p95 %ld ms; %lld "
            "bytes written; peak memory per worker %ld KiB)",
            el > 0 ? nren / el : 0.0, ms[nren / 2],
            ms[(nren * 95 + 99) / 100 - 1], bytes, ru.ru_maxrss);
  fputc('\n', stderr);
  free(ms);
  for (int i = 0; i < b.njobs; i++)
    if (b.jobs[i].st == ST_FAILED) {
      char err[1024];
      fprintf(stderr, "  failed %s: %s\n", b.jobs[i].id,
              first_error(b.jobs[i].diag, err, sizeof err));
    }
  if (report) {
    zp_diag *rd = zp_diag_new(stderr);
    if (!rd || !write_report(&b, report, rd))
      rc = EXIT_IO;
    report = NULL; /* committed or removed */
    zp_diag_free(rd);
  }
done:
  zp_out_abort(report); /* a batch that stopped early writes no report */
  for (int i = 0; i < b.njobs; i++) {
    job *j = &b.jobs[i];
    free(j->id);
    free(j->tpl_path);
    free(j->out);
    for (int k = 0; k < j->ndata; k++)
      free(j->data[k]);
    free(j->inputs);
    free(j->diag);
  }
  free(b.jobs);
  for (int i = 0; i < b.ntpls; i++) {
    if (!b.tpls[i].fs_shared)
      zp_fontset_free(b.tpls[i].fs);
    zp_tmpl_free(b.tpls[i].t);
    free(b.tpls[i].path);
    free(b.tpls[i].diag);
    free(b.tpls[i].inputs);
  }
  free(b.tpls);
  for (size_t i = 0; i < b.nwritten; i++) {
    free(b.written[i].key);
    free(b.written[i].path);
  }
  free(b.written);
  bat_plan_free_hashes();
  free(b.base);
  if (rc == EXIT_OK && zp_diag_errors(b.d) > 0)
    rc = EXIT_INPUT;
  zp_diag_free(b.d);
  return rc;
}
