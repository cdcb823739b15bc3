/* test_out.c — safe outputs (out.c) and safe inputs (file.c). */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "file.h"
#include "out.h"

typedef struct fixture {
  char dir[64];
  zp_diag *d;
} fixture;

static int setup(void **state) {
  fixture *f = calloc(1, sizeof *f);
  strcpy(f->dir, "/tmp/test_out.XXXXXX");
  if (!mkdtemp(f->dir))
    return -1;
  f->d = zp_diag_new(NULL);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture *f = *state;
  char cmd[128];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
  if (system(cmd) != 0)
    return -1;
  zp_diag_free(f->d);
  free(f);
  return 0;
}

/* dir/name into buf. */
static const char *at(const fixture *f, const char *name, char *buf) {
  snprintf(buf, 256, "%s/%s", f->dir, name);
  return buf;
}

static void put(const char *path, const char *text) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  fputs(text, fp);
  assert_int_equal(fclose(fp), 0);
}

/* The file's content (static buffer). */
static const char *content(const char *path) {
  static char buf[256];
  FILE *fp = fopen(path, "rb");
  if (!fp)
    return NULL;
  size_t n = fread(buf, 1, sizeof buf - 1, fp);
  buf[n] = 0;
  fclose(fp);
  return buf;
}

/* The names in the fixture's directory, sorted, space-separated. */
static const char *listing(const fixture *f) {
  static char out[1024];
  struct dirent **v;
  int n = scandir(f->dir, &v, NULL, alphasort);
  assert_true(n >= 0);
  out[0] = 0;
  for (int i = 0; i < n; i++) {
    if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, ".."))
      snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s",
               *out ? " " : "", v[i]->d_name);
    free(v[i]);
  }
  free(v);
  return out;
}

static void test_commit_keeps_mode(void **state) {
  fixture *f = *state;
  char p[256];
  at(f, "out.pdf", p);
  put(p, "old");
  assert_int_equal(chmod(p, 0640), 0);
  zp_out *o = zp_out_open(p, "output", f->d);
  assert_non_null(o);
  /* the temporary file: beside the target, named after it and the PID */
  char prefix[300];
  snprintf(prefix, sizeof prefix, "%s/.out.pdf.zpgen-tmp.%ld.", f->dir,
           (long)getpid());
  assert_memory_equal(zp_out_temp(o), prefix, strlen(prefix));
  assert_int_equal(strlen(zp_out_temp(o)), strlen(prefix) + 6);
  fputs("new", zp_out_stream(o));
  assert_string_equal(content(p), "old"); /* not before the commit */
  assert_true(zp_out_commit(o, f->d));
  assert_string_equal(content(p), "new");
  struct stat st;
  assert_int_equal(stat(p, &st), 0);
  assert_int_equal(st.st_mode & 07777, 0640);
  assert_string_equal(listing(f), "out.pdf");
  assert_int_equal(zp_diag_errors(f->d), 0);
}

static void test_abort_keeps_old(void **state) {
  fixture *f = *state;
  char p[256];
  at(f, "out.pdf", p);
  put(p, "old");
  zp_out *o = zp_out_open(p, "output", f->d);
  assert_non_null(o);
  fputs("half", zp_out_stream(o));
  zp_out_abort(o);
  zp_out_abort(NULL);
  assert_string_equal(content(p), "old");
  assert_string_equal(listing(f), "out.pdf");
}

static void test_refuses_special(void **state) {
  fixture *f = *state;
  char p[256];
  assert_null(zp_out_open("/dev/null", "output", f->d));
  assert_true(zp_diag_contains(
      f->d, "/dev/null: error: cannot write the output: it is a character "
            "device"));
  assert_null(zp_out_open(f->dir, "output", f->d));
  assert_true(zp_diag_contains(f->d, "it is a directory"));
  at(f, "fifo", p);
  assert_int_equal(mkfifo(p, 0600), 0);
  assert_null(zp_out_open(p, "layout dump", f->d));
  assert_true(
      zp_diag_contains(f->d, "cannot write the layout dump: it is a FIFO"));
  assert_string_equal(listing(f), "fifo");
}

static void test_link_chain(void **state) {
  fixture *f = *state;
  char p[256], a[256], b[256];
  put(at(f, "end", p), "old");
  assert_int_equal(symlink("end", at(f, "mid", a)), 0);
  assert_int_equal(symlink(a, at(f, "start", b)), 0); /* absolute */
  zp_out *o = zp_out_open(b, "output", f->d);
  assert_non_null(o);
  fputs("new", zp_out_stream(o));
  assert_true(zp_out_commit(o, f->d));
  struct stat st;
  assert_int_equal(lstat(a, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_int_equal(lstat(b, &st), 0);
  assert_true(S_ISLNK(st.st_mode));
  assert_string_equal(content(p), "new");
  /* a loop */
  char x[256], y[256];
  assert_int_equal(symlink("y", at(f, "x", x)), 0);
  assert_int_equal(symlink("x", at(f, "y", y)), 0);
  assert_null(zp_out_open(x, "output", f->d));
  assert_true(zp_diag_contains(f->d, "Too many levels of symbolic links"));
}

static void test_stale_removed(void **state) {
  fixture *f = *state;
  char p[256], live[256], dead[256], other[256], odd[256];
  at(f, "out.pdf", p);
  snprintf(live, sizeof live, "%s/.out.pdf.zpgen-tmp.%ld.abcdef", f->dir,
           (long)getppid());
  put(live, "");
  put(at(f, ".out.pdf.zpgen-tmp.999999999.abcdef", dead), "");
  put(at(f, ".other.pdf.zpgen-tmp.999999999.abcdef", other), "");
  put(at(f, ".out.pdf.zpgen-tmp.999999999.abc", odd), ""); /* not ours */
  zp_out *o = zp_out_open(p, "output", f->d);
  assert_non_null(o);
  zp_out_abort(o);
  assert_int_equal(access(dead, F_OK), -1);
  assert_int_equal(access(live, F_OK), 0);
  assert_int_equal(access(other, F_OK), 0);
  assert_int_equal(access(odd, F_OK), 0);
}

/* A child writes an output and gets sig: it dies of it, and its temporary
 * file is gone. */
static void die_of(fixture *f, int sig) {
  char p[256];
  at(f, "out.pdf", p);
  put(p, "old");
  pid_t pid = fork();
  assert_true(pid >= 0);
  if (pid == 0) {
    zp_out_signals();
    zp_diag *d = zp_diag_new(NULL);
    zp_out *o = zp_out_open(p, "output", d);
    zp_out *o2 = zp_out_open(p, "second output", d);
    if (!o || !o2)
      _exit(2);
    fputs("half", zp_out_stream(o));
    fflush(zp_out_stream(o));
    raise(sig);
    _exit(3);
  }
  int status;
  assert_int_equal(waitpid(pid, &status, 0), pid);
  assert_true(WIFSIGNALED(status));
  assert_int_equal(WTERMSIG(status), sig);
  assert_string_equal(content(p), "old");
  assert_string_equal(listing(f), "out.pdf");
}

static void test_signals(void **state) {
  fixture *f = *state;
  die_of(f, SIGTERM);
  die_of(f, SIGINT);
  die_of(f, SIGHUP);
  die_of(f, SIGPIPE);
}

static void test_stdout(void **state) {
  fixture *f = *state;
  zp_out *o = zp_out_open("-", "output", f->d);
  assert_non_null(o);
  assert_ptr_equal(zp_out_stream(o), stdout);
  assert_null(zp_out_temp(o));
  assert_true(zp_out_commit(o, f->d));
}

static void test_same_file(void **state) {
  fixture *f = *state;
  char a[256], l[256], n[256], n2[256];
  put(at(f, "a", a), "x");
  assert_int_equal(symlink("a", at(f, "l", l)), 0);
  at(f, "new", n);
  snprintf(n2, sizeof n2, "%s/./new", f->dir);
  assert_true(zp_out_same_file(a, l));
  assert_true(zp_out_same_file(n, n2)); /* neither exists yet */
  assert_false(zp_out_same_file(a, n));
  assert_true(zp_out_same_file("-", "-"));
  assert_false(zp_out_same_file("-", a));
}

static void test_inputs(void **state) {
  fixture *f = *state;
  char p[256], q[256];
  put(at(f, "in.json", p), "{}");
  char *data;
  size_t len;
  assert_true(zp_file_read(p, "data", (zp_loc){0}, 1 << 20, &data, &len, f->d));
  assert_int_equal(len, 2);
  assert_string_equal(data, "{}");
  free(data);
  assert_int_equal(mkfifo(at(f, "fifo", q), 0600), 0);
  assert_int_equal(zp_file_open(q, "data", (zp_loc){0}, f->d), -1);
  assert_true(zp_diag_contains(f->d, "fifo: error: cannot read the data: it is "
                                     "a FIFO"));
  assert_false(zp_file_read(q, "included file", (zp_loc){"t.xml", 3, 0},
                            1 << 20, &data, &len, f->d));
  assert_true(zp_diag_contains(f->d, "t.xml:3: error: cannot read the included "
                                     "file"));
  assert_null(zp_file_fopen("/dev/zero", "data", (zp_loc){0}, f->d));
  assert_true(zp_diag_contains(f->d, "it is a character device"));
  assert_null(zp_file_fopen(f->dir, NULL, (zp_loc){0}, f->d));
  assert_true(zp_diag_contains(f->d, "cannot read: it is a directory"));
  assert_int_equal(zp_file_open(f->dir, "x", (zp_loc){0}, NULL), -1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_commit_keeps_mode, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_keeps_old, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refuses_special, setup, teardown),
      cmocka_unit_test_setup_teardown(test_link_chain, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stale_removed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_signals, setup, teardown),
      cmocka_unit_test_setup_teardown(test_stdout, setup, teardown),
      cmocka_unit_test_setup_teardown(test_same_file, setup, teardown),
      cmocka_unit_test_setup_teardown(test_inputs, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
