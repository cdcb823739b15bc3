/* file.c — see file.h. */
#define _GNU_SOURCE
#include "file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *zp_file_kind(unsigned mode) {
  if (S_ISREG(mode))
    return NULL;
  if (S_ISDIR(mode))
    return "a directory";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISSOCK(mode))
    return "a socket";
  return "not a regular file";
}

/* Reports "cannot read the WHAT: WHY" at path, or at from naming path. */
static void report(zp_diag *d, const char *path, const char *what, zp_loc from,
                   const char *why) {
  if (!d)
    return;
  if (from.file)
    zp_error(d, from, "cannot read the %s \"%s\": %s", what ? what : "file",
             path, why);
  else if (what)
    zp_error(d, (zp_loc){path, 0, 0}, "cannot read the %s: %s", what, why);
  else
    zp_error(d, (zp_loc){path, 0, 0}, "cannot read: %s", why);
}

int zp_file_open(const char *path, const char *what, zp_loc from, zp_diag *d) {
  struct stat st;
  const char *kind;
  /* a look first: opening some devices has effects of its own */
  if (stat(path, &st) != 0) {
    int e = errno;
    report(d, path, what, from, strerror(e));
    errno = e;
    return -1;
  }
  if ((kind = zp_file_kind(st.st_mode)) != NULL) {
    char why[64];
    snprintf(why, sizeof why, "it is %s", kind);
    report(d, path, what, from, why);
    errno = EINVAL;
    return -1;
  }
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    int e = errno;
    report(d, path, what, from, strerror(e));
    errno = e;
    return -1;
  }
  /* and again on what was opened: the name may have changed meanwhile */
  if (fstat(fd, &st) != 0 || (kind = zp_file_kind(st.st_mode)) != NULL) {
    char why[64];
    snprintf(why, sizeof why, "it is %s", kind ? kind : "unreadable");
    report(d, path, what, from, why);
    close(fd);
    errno = EINVAL;
    return -1;
  }
  /* the descriptor stays non-blocking: no matter for a regular file, and
   * one that would block all the same (/proc/kmsg) fails instead */
  return fd;
}

FILE *zp_file_fopen(const char *path, const char *what, zp_loc from,
                    zp_diag *d) {
  int fd = zp_file_open(path, what, from, d);
  if (fd < 0)
    return NULL;
  FILE *f = fdopen(fd, "rb");
  if (!f) {
    report(d, path, what, from, strerror(errno));
    close(fd);
  }
  return f;
}

bool zp_file_read(const char *path, const char *what, zp_loc from, size_t max,
                  char **data, size_t *len, zp_diag *d) {
  bool ok = false;
  char *buf = NULL;
  size_t n = 0, cap = 0;
  *data = NULL;
  *len = 0;
  int fd = zp_file_open(path, what, from, d);
  if (fd < 0)
    goto done;
  for (;;) {
    if (cap - n < 2) {
      size_t nc = cap ? cap * 2 : 65536;
      char *nb = nc > cap ? realloc(buf, nc) : NULL;
      if (!nb) {
        report(d, path, what, from, "out of memory");
        goto done;
      }
      buf = nb;
      cap = nc;
    }
    ssize_t got = read(fd, buf + n, cap - n - 1);
    if (got < 0 && errno == EINTR)
      continue;
    if (got < 0) {
      report(d, path, what, from, strerror(errno));
      goto done;
    }
    if (got == 0)
      break;
    n += (size_t)got;
    if (n > max) {
      char why[96];
      snprintf(why, sizeof why, "it is larger than %zu MB, the most it may be",
               max >> 20);
      report(d, path, what, from, why);
      goto done;
    }
  }
  buf[n] = 0;
  *data = buf;
  *len = n;
  buf = NULL;
  ok = true;
done:
  if (fd >= 0)
    close(fd);
  free(buf);
  return ok;
}
