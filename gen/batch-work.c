/* batch-work.c — `zpgen batch`'s workers (batch-imp.h): a worker renders
 * one report, commits it (temporary file, rename, record) and answers over
 * its pipe with a fixed header and its diagnostics' text; the parent
 * spawns the workers, hands out report indices, replaces a worker that
 * dies, handles SIGINT/SIGTERM and shows the progress; and it writes the
 * --report file.
 */
#define _GNU_SOURCE
#include "batch-imp.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"
#include "json.h"

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
  zp_render_opts ro = {t->dirs.dirs, b->allow_inconsistent, b->datep, false,
                       b->watermark};
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
 * bat_work_run (out.h's), restored after it and in each worker */

static void on_int(int sig) { n_int++; }
static void on_term(int sig) { got_term = 1; }

typedef struct wk {
  pid_t pid;
  int in, out; /* job pipe (write end), answer pipe (read end) */
  int job;     /* running, or -1 */
  bool alive;
} wk;

void bat_work_progress_clear(progress *p) {
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
void bat_work_print_diag(progress *p, const job *j) {
  if (!j->diag || !*j->diag)
    return;
  bat_work_progress_clear(p);
  for (const char *s = j->diag; *s;) {
    size_t n = strcspn(s, "\n");
    fprintf(stderr, "[%s] %.*s\n", j->id, (int)n, s);
    s += n + (s[n] ? 1 : 0);
  }
}

int bat_work_cpu_count(void) {
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
bool bat_work_run(batch *b, int *todo, int ntodo, progress *pr) {
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
      bat_work_progress_clear(pr);
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
            bat_work_print_diag(pr, j);
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
        bat_work_print_diag(pr, j);
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
bool bat_work_write_report(batch *b, zp_out *o, zp_diag *d) {
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
