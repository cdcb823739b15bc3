/* watch.c — see watch.h.
 *
 * One inotify instance for the whole run; a directory is watched from the
 * first render that reads a file in it (a directory watched twice gives
 * the same watch descriptor, so adding again is harmless).  The list of
 * names that matter is rebuilt after each render from what it read; when
 * the template could not be loaded, the last good list is kept, plus the
 * template itself, so fixing a broken include is seen.
 */
#include "watch.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "out.h"
#include "render.h"
#include "tmpl.h"

enum { EXIT_OK = 0, EXIT_USAGE = 2, EXIT_IO = 3 };

/* A name that matters in a watched directory (name NULL: any name, for a
 * font directory). */
typedef struct watched {
  int wd;
  char *name;
} watched;

typedef struct watcher {
  const zp_watch_opts *o;
  int fd; /* inotify */
  watched *v;
  int n, cap;
  char **files; /* the template's files at the last good load */
  int nfiles;
} watcher;

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static void clear_watched(watcher *w) {
  for (int i = 0; i < w->n; i++)
    free(w->v[i].name);
  w->n = 0;
}

static void clear_files(watcher *w) {
  for (int i = 0; i < w->nfiles; i++)
    free(w->files[i]);
  free(w->files);
  w->files = NULL;
  w->nfiles = 0;
}

/* Watches the directory of path (path itself when dir is set) and records
 * the name that matters in it.  false with errno when the directory
 * cannot be watched (or out of memory). */
static bool watch_path(watcher *w, const char *path, bool dir) {
  char d[PATH_MAX];
  const char *name = NULL;
  if (dir) {
    snprintf(d, sizeof d, "%s", path);
  } else {
    const char *slash = strrchr(path, '/');
    if (!slash)
      snprintf(d, sizeof d, ".");
    else if (slash == path)
      snprintf(d, sizeof d, "/");
    else
      snprintf(d, sizeof d, "%.*s", (int)(slash - path), path);
    name = slash ? slash + 1 : path;
  }
  int wd = inotify_add_watch(w->fd, d,
                             IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
                                 IN_CREATE | IN_DELETE | IN_ATTRIB);
  if (wd < 0)
    return false;
  if (w->n == w->cap) {
    int cap = w->cap ? 2 * w->cap : 16;
    watched *v = realloc(w->v, sizeof *v * (size_t)cap);
    if (!v) {
      errno = ENOMEM;
      return false;
    }
    w->v = v;
    w->cap = cap;
  }
  char *copy = NULL;
  if (name && !(copy = strdup(name))) {
    errno = ENOMEM;
    return false;
  }
  w->v[w->n++] = (watched){wd, copy};
  return true;
}

/* Rebuilds the watched names: the template and its files (t's when it
 * loaded, else the last good list), the data files, the font directories.
 * false (with a message) when the directory of the template or of a data
 * file cannot be watched; a missing font directory or include directory
 * only gets a warning. */
static bool rewatch(watcher *w, const zp_template *t,
                    const zp_render_dirs *dirs) {
  const zp_watch_opts *o = w->o;
  clear_watched(w);
  if (t) {
    clear_files(w);
    w->files = calloc((size_t)(t->nfiles ? t->nfiles : 1), sizeof *w->files);
    for (int i = 0; w->files && i < t->nfiles; i++)
      if ((w->files[i] = strdup(t->files[i])))
        w->nfiles++;
  }
  if (!watch_path(w, o->template_path, false)) {
    fprintf(stderr, "zpgen watch: cannot watch the directory of \"%s\": %s\n",
            o->template_path, strerror(errno));
    return false;
  }
  for (int i = 0; i < o->ndata; i++)
    if (!watch_path(w, o->data[i], false)) {
      fprintf(stderr, "zpgen watch: cannot watch the directory of \"%s\": %s\n",
              o->data[i], strerror(errno));
      return false;
    }
  for (int i = 0; i < w->nfiles; i++)
    if (!watch_path(w, w->files[i], false))
      fprintf(stderr,
              "zpgen watch: warning: cannot watch the directory of \"%s\": "
              "%s\n",
              w->files[i], strerror(errno));
  for (int i = 0; i < dirs->n; i++)
    if (!watch_path(w, dirs->dirs[i], true))
      fprintf(stderr,
              "zpgen watch: warning: cannot watch the font directory "
              "\"%s\": %s\n",
              dirs->dirs[i], strerror(errno));
  return true;
}

/* Is name the output or one of zpgen's temporary files?  Those are our
 * own writes (and never inputs: the output must not name one), even in a
 * font directory. */
static bool own_file(const watcher *w, const char *name) {
  const char *slash = strrchr(w->o->output, '/');
  const char *base = slash ? slash + 1 : w->o->output;
  return strcmp(name, base) == 0 || strstr(name, ".zpgen-tmp.") != NULL;
}

/* Reads the events queued on the inotify descriptor; true when one names
 * a file that matters (or the queue overflowed: anything may have
 * changed). */
static bool drain(watcher *w) {
  char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
  bool hit = false;
  for (;;) {
    ssize_t len = read(w->fd, buf, sizeof buf);
    if (len <= 0)
      return hit; /* EAGAIN: nothing more queued */
    for (char *p = buf; p < buf + len;) {
      const struct inotify_event *ev = (const struct inotify_event *)p;
      p += sizeof *ev + ev->len;
      if (ev->mask & IN_Q_OVERFLOW) {
        hit = true;
        continue;
      }
      if (ev->len && own_file(w, ev->name))
        continue;
      for (int i = 0; i < w->n && !hit; i++)
        if (w->v[i].wd == ev->wd &&
            (!w->v[i].name || (ev->len && strcmp(w->v[i].name, ev->name) == 0)))
          hit = true;
    }
  }
}

/* Waits for a change that matters, then for the burst to end: the
 * directories quiet for ZP_WATCH_QUIET_MS, or ZP_WATCH_MAX_WAIT_MS after
 * the first event.  false when poll fails. */
static bool wait_change(watcher *w) {
  struct pollfd p = {w->fd, POLLIN, 0};
  for (;;) {
    int r = poll(&p, 1, -1);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0)
      return false;
    if (drain(w))
      break;
  }
  double first = now_ms();
  for (;;) {
    double left = first + ZP_WATCH_MAX_WAIT_MS - now_ms();
    if (left <= 0)
      return true;
    int r = poll(&p, 1,
                 left < ZP_WATCH_QUIET_MS ? (int)left + 1 : ZP_WATCH_QUIET_MS);
    if (r < 0 && errno != EINTR)
      return false;
    if (r == 0)
      return true; /* quiet */
    drain(w);      /* any event, even one that does not matter, waits */
  }
}

/* The first error line in the diagnostics text, or the first line. */
static void first_error(const char *text, char *out, size_t size, int *others) {
  const char *e = strstr(text, ": error: ");
  const char *line = e ? e : text;
  while (e && line > text && line[-1] != '\n')
    line--;
  size_t n = strcspn(line, "\n");
  snprintf(out, size, "%.*s", (int)n, line);
  *others = 0;
  for (const char *p = text; (p = strstr(p, ": error: ")); p++)
    (*others)++;
  if (*others)
    (*others)--;
}

/* Does the output name one of the template's files?  Then false, with
 * the message in msg. */
static bool output_distinct(const zp_watch_opts *o, const zp_template *t,
                            zp_diag *d) {
  for (int i = 0; t && i < t->nfiles; i++)
    if (zp_out_same_file(o->output, t->files[i])) {
      zp_error(d, (zp_loc){0},
               "--output \"%s\" names the included file \"%s\"; the output "
               "must be a file of its own",
               o->output, t->files[i]);
      return false;
    }
  return true;
}

/* One render, with its own diagnostics (collected and summed up in one
 * line).  Loads the template (for the watch list: *t, the caller frees
 * it) and the data, renders and commits the PDF. */
static void render_once(watcher *w, zp_template **t, zp_render_dirs *dirs) {
  const zp_watch_opts *o = w->o;
  char *text = NULL;
  size_t textlen = 0;
  FILE *mem = open_memstream(&text, &textlen);
  zp_diag *d = mem ? zp_diag_new(mem) : NULL;
  zp_json_doc *data = NULL;
  zp_fontset *fs = NULL;
  zp_out *out = NULL;
  zp_render_info info = {0};
  int rc = ZP_RENDER_INPUT;
  double t0 = now_ms();
  if (!d) {
    fprintf(stderr, "zpgen watch: out of memory\n");
    goto done;
  }
  zp_diag_set_strict(d, o->strict);
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, dirs);
  if (!zp_render_readable(o->template_path, "template", d))
    goto done;
  *t = zp_tmpl_load(o->template_path, d);
  int drc;
  data = zp_render_load_data(o->data, o->ndata, &drc, d);
  if (!*t || !data || !output_distinct(o, *t, d))
    goto done;
  if (!(out = zp_out_open(o->output, "output", d)))
    goto done;
  char datebuf[32];
  zp_render_opts ro = {dirs->dirs, o->allow_inconsistent,
                       zp_render_epoch_date(datebuf, sizeof datebuf), o->debug,
                       o->watermark};
  rc = zp_render_pdf(*t, data, &fs, &ro, zp_out_stream(out), o->output, NULL,
                     &info, d);
  if (rc == ZP_RENDER_OK && zp_diag_errors(d) == 0) {
    bool ok = zp_out_commit(out, d);
    out = NULL;
    rc = ok ? ZP_RENDER_OK : ZP_RENDER_IO;
  } else if (rc == ZP_RENDER_OK) {
    rc = ZP_RENDER_INPUT;
  }
done:
  zp_out_abort(out);
  zp_fontset_free(fs);
  zp_json_free(data);
  int warnings = d ? zp_diag_warnings(d) : 0;
  zp_diag_free(d);
  if (mem)
    fclose(mem);
  char stamp[16];
  time_t now = time(NULL);
  struct tm tm;
  strftime(stamp, sizeof stamp, "%H:%M:%S", localtime_r(&now, &tm));
  if (rc == ZP_RENDER_OK) {
    printf("%s %s: %d page%s, %d warning%s, %.0f ms\n", stamp, o->output,
           info.pages, info.pages == 1 ? "" : "s", warnings,
           warnings == 1 ? "" : "s", now_ms() - t0);
    fflush(stdout);
  } else {
    char first[4096];
    int others;
    first_error(text ? text : "", first, sizeof first, &others);
    fprintf(stderr, "%s %s kept: %s", stamp, o->output, first);
    if (others)
      fprintf(stderr, " (and %d more error%s)", others, others == 1 ? "" : "s");
    fputc('\n', stderr);
  }
  free(text);
}

int zp_watch_run(const zp_watch_opts *o) {
  watcher w = {.o = o, .fd = -1};
  int rc = EXIT_IO;
  for (int i = 0; i < o->ndata; i++)
    if (zp_out_same_file(o->output, o->data[i]) ||
        zp_out_same_file(o->output, o->template_path)) {
      fprintf(stderr,
              "zpgen watch: --output \"%s\" names an input; the output must "
              "be a file of its own\n",
              o->output);
      return EXIT_USAGE;
    }
  w.fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (w.fd < 0) {
    fprintf(stderr, "zpgen watch: cannot watch files (inotify): %s\n",
            strerror(errno));
    goto done;
  }
  zp_render_dirs dirs;
  /* watched before the first render, so that no change is missed */
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, &dirs);
  if (!rewatch(&w, NULL, &dirs))
    goto done;
  for (;;) {
    zp_template *t = NULL;
    render_once(&w, &t, &dirs);
    bool ok = rewatch(&w, t, &dirs);
    zp_tmpl_free(t);
    if (!ok)
      goto done;
    if (!wait_change(&w)) {
      fprintf(stderr, "zpgen watch: waiting for changes: %s\n",
              strerror(errno));
      goto done;
    }
  }
done:
  clear_watched(&w);
  free(w.v);
  clear_files(&w);
  if (w.fd >= 0)
    close(w.fd);
  return rc;
}
