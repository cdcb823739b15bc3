/* out.c — see out.h. */
#define _GNU_SOURCE
#include "out.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "file.h"

#define TMP_TAG ".zpgen-tmp."
#define MAX_LIVE 16
#define MAX_LINKS 40
/* a long name is cut in the temporary file's name, to stay under NAME_MAX */
#define MAX_BASE 200

struct zp_out {
  char *name;   /* as given */
  char *what;   /* "output", "layout dump" */
  char *target; /* the file replaced: the end of the link chain */
  char *temp;   /* NULL for stdout */
  FILE *f;
  int fd;   /* under f (a cookie stream), -1 when closed */
  int err;  /* errno of the first failed write, or 0 */
  int slot; /* in the registry, -1 for none */
};

/* ---- the registry of live temporary files -------------------------------
 * Written with the signals blocked; read by the handler, which only
 * unlinks. */

static struct {
  volatile sig_atomic_t used;
  char path[PATH_MAX];
} live[MAX_LIVE];

/* Every signal whose default action ends the process (but SIGKILL and
 * SIGSTOP, which cannot be caught): a timeout's SIGALRM, a CPU limit's
 * SIGXCPU, a user's SIGQUIT or SIGUSR1 remove the temporary files too. */
static const int handled[] = {SIGINT,  SIGTERM, SIGHUP,    SIGPIPE,
                              SIGQUIT, SIGALRM, SIGUSR1,   SIGUSR2,
                              SIGXCPU, SIGPROF, SIGVTALRM, SIGBUS};
#define NHANDLED ((int)(sizeof handled / sizeof *handled))

static void on_signal(int sig) {
  int saved = errno;
  for (int i = 0; i < MAX_LIVE; i++)
    if (live[i].used)
      unlink(live[i].path);
  if (sig == SIGBUS) {
    /* a mapped file (a font) shrank while it was read: say so, exit 3 */
    static const char msg[] =
        "zpgen: error: a font file changed while it was being read "
        "(replaced during the render?); nothing was written\n";
    ssize_t w = write(2, msg, sizeof msg - 1);
    (void)w;
    _exit(3);
  }
  /* die of the signal, as if it had not been caught */
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, sig);
  sigprocmask(SIG_UNBLOCK, &s, NULL);
  raise(sig);
  errno = saved;
}

void zp_out_signals(void) {
  static bool done;
  if (done)
    return;
  done = true;
  for (int i = 0; i < NHANDLED; i++) {
    struct sigaction old, sa;
    if (sigaction(handled[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
      continue;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask); /* one handler at a time */
    sigaction(handled[i], &sa, NULL);
  }
  /* over a file size limit, a write fails (and is reported) instead of
   * killing the process with its temporary files */
  struct sigaction old;
  if (sigaction(SIGXFSZ, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
    signal(SIGXFSZ, SIG_IGN);
}

static void block(sigset_t *old) {
  sigset_t s;
  sigemptyset(&s);
  for (int i = 0; i < NHANDLED; i++)
    sigaddset(&s, handled[i]);
  sigprocmask(SIG_BLOCK, &s, old);
}

static void unblock(const sigset_t *old) {
  sigprocmask(SIG_SETMASK, old, NULL);
}

/* ---- paths -------------------------------------------------------------- */

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

/* dir of path ("." when none) and its base name, both malloc'd. */
static bool split(const char *path, char **dir, char **base) {
  const char *slash = strrchr(path, '/');
  if (!slash) {
    *dir = xstrdup(".");
    *base = xstrdup(path);
  } else {
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    *dir = malloc(n + 1);
    if (*dir) {
      memcpy(*dir, path, n);
      (*dir)[n] = 0;
    }
    *base = xstrdup(slash + 1);
  }
  if (!*dir || !*base) {
    free(*dir);
    free(*base);
    *dir = *base = NULL;
    return false;
  }
  return true;
}

/* The end of path's chain of symbolic links (path itself when it is not a
 * link, or does not exist), malloc'd; NULL with errno set (ELOOP for a
 * chain too long, ENOMEM). */
static char *resolve_links(const char *path) {
  char *cur = xstrdup(path);
  for (int hop = 0; cur; hop++) {
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode))
      return cur; /* not there (to be created) or the end */
    if (hop == MAX_LINKS) {
      free(cur);
      errno = ELOOP;
      return NULL;
    }
    char link[PATH_MAX];
    ssize_t n = readlink(cur, link, sizeof link - 1);
    if (n < 0) {
      free(cur);
      return NULL;
    }
    link[n] = 0;
    char *next;
    const char *slash = strrchr(cur, '/');
    if (link[0] == '/' || !slash) {
      next = xstrdup(link);
    } else { /* relative to the link's directory */
      size_t dl = (size_t)(slash - cur) + 1;
      next = malloc(dl + (size_t)n + 1);
      if (next) {
        memcpy(next, cur, dl);
        memcpy(next + dl, link, (size_t)n + 1);
      }
    }
    free(cur);
    cur = next;
  }
  errno = ENOMEM;
  return NULL;
}

/* The prefix of the temporary files of base: ".BASE.zpgen-tmp.", a long
 * base cut to MAX_BASE bytes at a UTF-8 character's boundary (a file
 * system that takes only UTF-8 names refuses a cut character). */
static void temp_prefix(const char *base, char *out, size_t size) {
  int n = (int)strnlen(base, MAX_BASE + 1);
  if (n > MAX_BASE) {
    n = MAX_BASE;
    while (n > 0 && ((unsigned char)base[n] & 0xC0) == 0x80)
      n--;
  }
  snprintf(out, size, ".%.*s" TMP_TAG, n, base);
}

/* Is process pid gone: no such process, or a zombie (killed, not yet
 * reaped: a kill -9'd batch worker under an init that does not reap)? */
static bool pid_gone(long pid) {
  if (kill((pid_t)pid, 0) != 0)
    return errno == ESRCH;
  char path[64], buf[512];
  snprintf(path, sizeof path, "/proc/%ld/stat", pid);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  ssize_t n = read(fd, buf, sizeof buf - 1);
  close(fd);
  if (n <= 0)
    return false;
  buf[n] = 0;
  /* "PID (COMM) STATE ...": COMM may hold ") ", so the last ')' */
  const char *paren = strrchr(buf, ')');
  return paren && paren[1] == ' ' && paren[2] == 'Z';
}

/* The PID of a temporary file's name: NAME is PREFIX PID "." XXXXXX with
 * PREFIX ending in TMP_TAG; returns the PID (> 0) and the prefix's length
 * in *pl, or 0 when name is not a temporary file's. */
static long temp_pid(const char *name, size_t *pl) {
  size_t len = strlen(name), tl = strlen(TMP_TAG);
  if (name[0] != '.' || len < 1 + tl + 1 + 1 + 6 || name[len - 7] != '.')
    return 0;
  size_t p = len - 7;
  while (p > 0 && name[p - 1] >= '0' && name[p - 1] <= '9')
    p--;
  if (p == len - 7 || len - 7 - p > 18 || p < 1 + tl ||
      strncmp(name + p - tl, TMP_TAG, tl) != 0)
    return 0;
  long pid = strtol(name + p, NULL, 10);
  *pl = p;
  return pid > 0 ? pid : 0;
}

/* Removes the leftover entry name of dir (its fd) when it is a regular
 * file of a process that is gone (never this process's own). */
static void remove_if_stale(DIR *dp, const char *name, long pid) {
  if (pid == (long)getpid() || !pid_gone(pid))
    return; /* alive (or not ours to know) */
  struct stat st;
  if (fstatat(dirfd(dp), name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
      S_ISREG(st.st_mode))
    unlinkat(dirfd(dp), name, 0);
}

/* Removes dir's leftovers for base of processes that are gone. */
static void remove_stale(const char *dir, const char *base) {
  char prefix[MAX_BASE + 32];
  temp_prefix(base, prefix, sizeof prefix);
  size_t pl = strlen(prefix);
  DIR *dp = opendir(dir);
  if (!dp)
    return;
  struct dirent *e;
  while ((e = readdir(dp)) != NULL) {
    size_t l;
    long pid;
    if (strncmp(e->d_name, prefix, pl) == 0 &&
        (pid = temp_pid(e->d_name, &l)) > 0 && l == pl)
      remove_if_stale(dp, e->d_name, pid);
  }
  closedir(dp);
}

static bool sweep_on_open = true;

void zp_out_set_sweep(bool on) { sweep_on_open = on; }

/* ---- writing ------------------------------------------------------------ */

static void out_free(zp_out *o) {
  if (!o)
    return;
  free(o->name);
  free(o->what);
  free(o->target);
  free(o->temp);
  free(o);
}

/* The temporary file's stream writes through these, which keep the first
 * write error's errno (stdio forgets it). */
static ssize_t cookie_write(void *cookie, const char *buf, size_t size) {
  zp_out *o = cookie;
  size_t done = 0;
  while (done < size) {
    ssize_t n = write(o->fd, buf + done, size - done);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (!o->err)
        o->err = n < 0 ? errno : EIO;
      return done ? (ssize_t)done : -1;
    }
    done += (size_t)n;
  }
  return (ssize_t)done;
}

static int cookie_close(void *cookie) {
  zp_out *o = cookie;
  int rc = o->fd >= 0 ? close(o->fd) : 0;
  if (rc != 0 && !o->err)
    o->err = errno;
  o->fd = -1;
  return rc;
}

/* Takes o's temporary file out of the registry (signals blocked). */
static void deregister(zp_out *o) {
  if (o->slot >= 0) {
    live[o->slot].used = 0;
    o->slot = -1;
  }
}

zp_out *zp_out_open(const char *path, const char *what, zp_diag *d) {
  zp_loc loc = {path, 0, 0};
  zp_out *o = calloc(1, sizeof *o);
  char *dir = NULL, *base = NULL;
  bool ok = false;
  sigset_t old;
  bool blocked = false;
  if (o) {
    o->slot = -1;
    o->fd = -1;
  }
  if (!o || !(o->name = xstrdup(path)) || !(o->what = xstrdup(what))) {
    zp_error(d, loc, "cannot write the %s: out of memory", what);
    goto done;
  }
  if (strcmp(path, "-") == 0) {
    o->f = stdout;
    ok = true;
    goto done;
  }
  o->target = resolve_links(path);
  if (!o->target) {
    zp_error(d, loc, "cannot write the %s: %s", what, strerror(errno));
    goto done;
  }
  struct stat st;
  const char *kind;
  if (stat(o->target, &st) == 0 && (kind = zp_file_kind(st.st_mode))) {
    if (strcmp(o->target, path) == 0)
      zp_error(d, loc,
               "cannot write the %s: it is %s, not a regular file (use - "
               "for standard output)",
               what, kind);
    else
      zp_error(d, loc,
               "cannot write the %s: its link leads to \"%s\", which is %s, "
               "not a regular file",
               what, o->target, kind);
    goto done;
  }
  /* a file that may not be written is not replaced either (rename would
   * replace a read-only file) */
  if (access(o->target, F_OK) == 0 && access(o->target, W_OK) != 0) {
    zp_error(d, loc, "cannot write the %s: %s", what, strerror(errno));
    goto done;
  }
  if (!split(o->target, &dir, &base)) {
    zp_error(d, loc, "cannot write the %s: out of memory", what);
    goto done;
  }
  if (!*base) {
    zp_error(d, loc, "cannot write the %s: it names a directory", what);
    goto done;
  }
  if (sweep_on_open)
    remove_stale(dir, base);
  char prefix[MAX_BASE + 32];
  temp_prefix(base, prefix, sizeof prefix);
  size_t need = strlen(dir) + strlen(prefix) + 40;
  o->temp = malloc(need);
  if (!o->temp) {
    zp_error(d, loc, "cannot write the %s: out of memory", what);
    goto done;
  }
  snprintf(o->temp, need, "%s/%s%ld.XXXXXX", dir, prefix, (long)getpid());
  if (strlen(o->temp) >= PATH_MAX) {
    zp_error(d, loc, "cannot write the %s: the path is too long", what);
    goto done;
  }
  int slot = -1;
  for (int i = 0; i < MAX_LIVE && slot < 0; i++)
    if (!live[i].used)
      slot = i;
  if (slot < 0) {
    zp_error(d, loc, "cannot write the %s: too many open outputs", what);
    goto done;
  }
  /* created and registered with the signals held, so that no signal
   * falls between the two */
  block(&old);
  blocked = true;
  int fd = mkostemp(o->temp, O_CLOEXEC);
  if (fd < 0) {
    zp_error(d, loc, "cannot write the %s: %s", what, strerror(errno));
    goto done;
  }
  memcpy(live[slot].path, o->temp, strlen(o->temp) + 1);
  live[slot].used = 1;
  o->slot = slot;
  o->fd = fd;
  o->f = fopencookie(
      o, "wb", (cookie_io_functions_t){NULL, cookie_write, NULL, cookie_close});
  if (!o->f) {
    zp_error(d, loc, "cannot write the %s: %s", what, strerror(errno));
    close(fd);
    o->fd = -1;
    goto done;
  }
  ok = true;
done:
  if (!ok && o && o->slot >= 0) {
    unlink(o->temp);
    deregister(o);
  }
  if (blocked)
    unblock(&old);
  free(dir);
  free(base);
  if (!ok) {
    out_free(o);
    return NULL;
  }
  return o;
}

FILE *zp_out_stream(zp_out *o) { return o->f; }
const char *zp_out_name(const zp_out *o) { return o->name; }
const char *zp_out_temp(const zp_out *o) { return o->temp; }

/* Mode for the new file: the old target's, else 0666 less the umask. */
static mode_t target_mode(const char *target) {
  struct stat st;
  if (stat(target, &st) == 0)
    return st.st_mode & 07777;
  mode_t u = umask(0);
  umask(u);
  return 0666 & ~u;
}

bool zp_out_commit(zp_out *o, zp_diag *d) {
  zp_loc loc = {o->name, 0, 0};
  bool ok = false;
  if (!o->temp) { /* standard output */
    ok = fflush(o->f) == 0 && !ferror(o->f);
    if (!ok)
      zp_error(d, (zp_loc){"<stdout>", 0, 0}, "cannot write the %s: %s",
               o->what, errno ? strerror(errno) : "write error");
    out_free(o);
    return ok;
  }
  bool wrote = fflush(o->f) == 0 && !ferror(o->f) && !o->err;
  int e = o->err;
  if (wrote &&
      (fchmod(o->fd, target_mode(o->target)) != 0 || fsync(o->fd) != 0)) {
    wrote = false;
    e = errno;
  }
  if (fclose(o->f) != 0 && wrote) {
    wrote = false;
    e = o->err ? o->err : errno;
  }
  o->f = NULL;
  sigset_t old;
  block(&old);
  if (wrote && rename(o->temp, o->target) == 0) {
    ok = true;
  } else {
    if (wrote)
      e = errno;
    unlink(o->temp);
  }
  deregister(o);
  unblock(&old);
  if (!ok)
    zp_error(d, loc, "cannot write the %s: %s", o->what,
             e ? strerror(e) : "write error");
  out_free(o);
  return ok;
}

void zp_out_forget(zp_out *o) {
  if (!o || !o->temp)
    return;
  sigset_t old;
  block(&old);
  deregister(o);
  unblock(&old);
}

void zp_out_abort(zp_out *o) {
  if (!o)
    return;
  if (o->temp) {
    if (o->f)
      fclose(o->f);
    sigset_t old;
    block(&old);
    unlink(o->temp);
    deregister(o);
    unblock(&old);
  }
  out_free(o);
}

/* The canonical name of path, also when it does not exist yet (then its
 * directory's canonical name and its base name); malloc'd or NULL. */
static char *canonical(const char *path) {
  char *end = resolve_links(path);
  if (!end)
    return NULL;
  char *r = realpath(end, NULL);
  if (!r) {
    char *dir = NULL, *base = NULL;
    if (split(end, &dir, &base)) {
      char *rd = realpath(dir, NULL);
      if (rd) {
        size_t n = strlen(rd) + strlen(base) + 2;
        r = malloc(n);
        if (r)
          snprintf(r, n, "%s/%s", rd, base);
        free(rd);
      }
    }
    free(dir);
    free(base);
  }
  free(end);
  return r;
}

/* One target of zp_out_sweep: its directory and its temporary files'
 * prefix. */
typedef struct sweep_key {
  char *dir, *prefix;
} sweep_key;

static int cmp_key(const void *a, const void *b) {
  const sweep_key *x = a, *y = b;
  int c = strcmp(x->dir, y->dir);
  return c ? c : strcmp(x->prefix, y->prefix);
}

static int cmp_prefix(const void *a, const void *b) {
  return strcmp(((const sweep_key *)a)->prefix, ((const sweep_key *)b)->prefix);
}

void zp_out_sweep(const char *const *paths, size_t n) {
  sweep_key *k = calloc(n ? n : 1, sizeof *k);
  size_t nk = 0;
  if (!k)
    return;
  for (size_t i = 0; i < n; i++) {
    char *target = resolve_links(paths[i]), *dir = NULL, *base = NULL;
    if (target && split(target, &dir, &base) && *base) {
      char prefix[MAX_BASE + 32];
      temp_prefix(base, prefix, sizeof prefix);
      char *rd = realpath(dir, NULL); /* "out" and "./out": one scan */
      k[nk].dir = rd ? rd : xstrdup(dir);
      k[nk].prefix = xstrdup(prefix);
      if (k[nk].dir && k[nk].prefix)
        nk++;
      else {
        free(k[nk].dir);
        free(k[nk].prefix);
      }
    }
    free(target);
    free(dir);
    free(base);
  }
  qsort(k, nk, sizeof *k, cmp_key);
  for (size_t g = 0; g < nk;) {
    size_t end = g + 1;
    while (end < nk && strcmp(k[end].dir, k[g].dir) == 0)
      end++;
    DIR *dp = opendir(k[g].dir);
    struct dirent *e;
    while (dp && (e = readdir(dp)) != NULL) {
      size_t pl;
      long pid = temp_pid(e->d_name, &pl);
      if (!pid)
        continue;
      char prefix[MAX_BASE + 32];
      if (pl >= sizeof prefix)
        continue;
      memcpy(prefix, e->d_name, pl);
      prefix[pl] = 0;
      sweep_key key = {NULL, prefix};
      if (bsearch(&key, k + g, end - g, sizeof *k, cmp_prefix))
        remove_if_stale(dp, e->d_name, pid);
    }
    if (dp)
      closedir(dp);
    g = end;
  }
  for (size_t i = 0; i < nk; i++) {
    free(k[i].dir);
    free(k[i].prefix);
  }
  free(k);
}

char *zp_out_canonical(const char *path) { return canonical(path); }

bool zp_out_same_file(const char *a, const char *b) {
  bool da = strcmp(a, "-") == 0, db = strcmp(b, "-") == 0;
  if (da || db)
    return da && db;
  struct stat sa, sb;
  if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
    return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
  char *ca = canonical(a), *cb = canonical(b);
  bool same = ca && cb ? strcmp(ca, cb) == 0 : strcmp(a, b) == 0;
  free(ca);
  free(cb);
  return same;
}
