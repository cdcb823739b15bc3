/* main.c — the zpgen command line.
 *
 *   zpgen render --template T.xml --data D.json --output OUT.pdf
 *   zpgen fonts [--template T.xml]
 *   zpgen --help | --version
 *
 * The output is written to a temporary file beside the target and renamed
 * over it only when everything succeeded, so a failed render never leaves a
 * half-written file over a good one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "batch.h"
#include "bind.h"
#include "diag.h"
#include "doc.h"
#include "font.h"
#include "json.h"
#include "layout.h"
#include "render.h"
#include "tmpl.h"

#ifndef ZP_VERSION
#define ZP_VERSION "dev"
#endif

enum {
  EXIT_OK = 0,
  EXIT_INPUT = 1, /* bad data or template (or a warning under --strict) */
  EXIT_USAGE = 2, /* bad command line */
  EXIT_IO = 3     /* a file could not be read or written, a font is missing */
};

static const char usage[] =
    "usage: zpgen render --template T.xml --data D.json... --output OUT.pdf\n"
    "                    [--fonts DIR]... [--strict] [--dump-layout FILE]\n"
    "                    [--allow-inconsistent]\n"
    "       zpgen check --template T.xml --data D.json...\n"
    "       zpgen batch MANIFEST [--jobs N] [--shard I/N] [--force]\n"
    "                    [--dry-run] [--report FILE] ...  (zpgen batch "
    "--help)\n"
    "       zpgen fonts [--template T.xml] [--fonts DIR]...\n"
    "       zpgen --help | --version\n"
    "\n"
    "render   merges the JSON data into the XML template, lays the report\n"
    "         out and writes the PDF.  --output - writes to standard output.\n"
    "         --data may be given several times: the files' top-level\n"
    "                      members are merged (see data/README.md)\n"
    "         --fonts DIR  a directory searched for fonts before the system's\n"
    "                      (repeatable; also $ZPGEN_FONTS, ./fonts, and the\n"
    "                      fonts/ beside the template's directory)\n"
    "         --strict     warnings (a character no font has) are errors\n"
    "         --dump-layout FILE  writes a plain-text dump of every page\n"
    "         --allow-inconsistent  figures that fail the template's checks\n"
    "                      are warnings, and the PDF is written\n"
    "check    reports every figure of the data that fails the template's\n"
    "         checks (rates, totals, scores, grades, digit grouping) and\n"
    "         every missing or mistyped field, without rendering.\n"
    "batch    renders every report of a manifest, skipping those whose\n"
    "         inputs did not change, in parallel worker processes.\n"
    "fonts    lists each font role, the face it resolved to, its file and\n"
    "         its coverage.\n"
    "\n"
    "exit status: 0 success; 1 bad data or template, an inconsistent figure\n"
    "(or a warning under --strict); 2 usage error; 3 a file could not be\n"
    "read or written, or a font could not be found.\n";

typedef struct opts {
  const char *template_path, *output, *dump;
  const char *data[16]; /* --data, repeatable: merged in order */
  int ndata;
  const char *fonts[16];
  int nfonts;
  bool strict, allow_inconsistent;
} opts;

static bool readable(const char *path, const char *what, zp_diag *d) {
  struct stat st;
  if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
    zp_error(d, (zp_loc){path, 0, 0}, "cannot read the %s: it is a directory",
             what);
    return false;
  }
  FILE *f = fopen(path, "rb");
  if (!f) {
    zp_error(d, (zp_loc){path, 0, 0}, "cannot read the %s: %s", what,
             strerror(errno));
    return false;
  }
  fclose(f);
  return true;
}

/* The file an output path names: a symbolic link's target (so that the
 * link stays a link), else the path itself. */
static const char *output_target(const char *path, char *buf, size_t size) {
  struct stat st;
  if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
    ssize_t n = readlink(path, buf, size - 1);
    if (n > 0) {
      buf[n] = 0;
      const char *slash = strrchr(path, '/');
      if (buf[0] != '/' && slash) { /* relative to the link's directory */
        size_t dir = (size_t)(slash - path) + 1, len = (size_t)n;
        if (dir + len + 1 > size)
          return path;
        memmove(buf + dir, buf, len + 1);
        memcpy(buf, path, dir);
      }
      return buf;
    }
  }
  return path;
}

/* Mode for a new output file: an existing file's, else 0666 less umask. */
static mode_t output_mode(const char *path) {
  struct stat st;
  if (stat(path, &st) == 0)
    return st.st_mode & 07777;
  mode_t u = umask(0);
  umask(u);
  return 0666 & ~u;
}

static int copy_to_stdout(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return EXIT_IO;
  char buf[65536];
  size_t n;
  int rc = EXIT_OK;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0)
    if (fwrite(buf, 1, n, stdout) != n)
      rc = EXIT_IO;
  if (fflush(stdout) != 0)
    rc = EXIT_IO;
  fclose(f);
  return rc;
}

static int render(const opts *o, zp_diag *d) {
  int rc = EXIT_INPUT;
  zp_template *t = NULL;
  zp_json_doc *data = NULL;
  zp_fontset *fs = NULL;
  char tmp[4200] = "";
  zp_render_dirs dl_fonts;

  if (!readable(o->template_path, "template", d)) {
    rc = EXIT_IO;
    goto done;
  }
  int drc = EXIT_INPUT;
  t = zp_tmpl_load(o->template_path, d);
  data = zp_render_load_data(o->data, o->ndata, &drc, d);
  if (!t || !data) {
    if (!data)
      rc = drc;
    goto done;
  }
  char datebuf[32];
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, &dl_fonts);
  zp_render_opts ro = {dl_fonts.dirs, o->allow_inconsistent, o->dump,
                       zp_render_epoch_date(datebuf, sizeof datebuf)};

  /* a temporary file beside the output (or in $TMPDIR for stdout) */
  bool to_stdout = strcmp(o->output, "-") == 0;
  char linkbuf[4096];
  const char *target = output_target(o->output, linkbuf, sizeof linkbuf);
  if (to_stdout) {
    const char *td = getenv("TMPDIR");
    snprintf(tmp, sizeof tmp, "%s/zpgen-XXXXXX", td && *td ? td : "/tmp");
  } else {
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", target);
  }
  int fd = mkstemp(tmp);
  if (fd < 0) {
    zp_error(d, (zp_loc){o->output, 0, 0}, "cannot write the output: %s",
             strerror(errno));
    tmp[0] = 0;
    rc = EXIT_IO;
    goto done;
  }
  close(fd);
  rc = zp_render_pdf(t, data, &fs, &ro, tmp, NULL, d);
  if (rc != EXIT_OK)
    goto done;
  if (to_stdout) {
    rc = copy_to_stdout(tmp);
    if (rc != EXIT_OK)
      zp_error(d, (zp_loc){"<stdout>", 0, 0}, "cannot write the output");
    goto done;
  }
  if (chmod(tmp, output_mode(target)) != 0 || rename(tmp, target) != 0) {
    zp_error(d, (zp_loc){o->output, 0, 0}, "cannot write the output: %s",
             strerror(errno));
    rc = EXIT_IO;
    goto done;
  }
  tmp[0] = 0;
  rc = EXIT_OK;
done:
  if (tmp[0])
    unlink(tmp);
  zp_fontset_free(fs);
  zp_json_free(data);
  zp_tmpl_free(t);
  return rc;
}

/* Binds without rendering: every data error and failed check. */
static int check_cmd(const opts *o, zp_diag *d) {
  if (!readable(o->template_path, "template", d))
    return EXIT_IO;
  int rc = EXIT_INPUT, drc = EXIT_INPUT;
  zp_template *t = zp_tmpl_load(o->template_path, d);
  zp_json_doc *data = zp_render_load_data(o->data, o->ndata, &drc, d);
  zp_doc *doc = NULL;
  if (!data && drc == EXIT_IO) {
    zp_tmpl_free(t);
    return EXIT_IO;
  }
  if (t && data) {
    zp_bind_opts bo = {false};
    doc = zp_bind_with(t, data, &bo, d);
    if (doc && zp_diag_errors(d) == 0)
      rc = EXIT_OK;
  }
  fprintf(stderr, "%s: %d error%s, %d warning%s\n", o->data[o->ndata - 1],
          zp_diag_errors(d), zp_diag_errors(d) == 1 ? "" : "s",
          zp_diag_warnings(d), zp_diag_warnings(d) == 1 ? "" : "s");
  zp_doc_free(doc);
  zp_json_free(data);
  zp_tmpl_free(t);
  return rc;
}

static int fonts_cmd(const opts *o, zp_diag *d) {
  zp_render_dirs dl_fonts;
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, &dl_fonts);
  const char *const *dirs = dl_fonts.dirs;
  zp_fontset *fs = zp_fontset_new(dirs, d);
  if (!fs)
    return EXIT_IO;
  int rc = EXIT_OK;
  zp_template *t = NULL;
  if (o->template_path) {
    /* the roles the template defines */
    t = zp_tmpl_load(o->template_path, d);
    if (!t) {
      rc = EXIT_INPUT;
      goto done;
    }
  }
  for (int i = 0; dirs[i]; i++)
    printf("user font directory: %s\n", dirs[i]);
  bool ok = zp_layout_define_roles(t ? zp_tmpl_roles(t) : NULL, fs, d);
  for (int r = 0; r < zp_font_role_count(fs); r++) {
    const uint16_t *chain;
    int n = zp_font_role_chain(fs, r, &chain);
    printf("%s:\n", zp_font_role_name(fs, r));
    for (int k = 0; k < n; k++) {
      const zp_face_info *f = zp_font_face_coverage(fs, chain[k]);
      printf("  %s %s (%s)  %s#%d%s\n", k == 0 ? "face    " : "fallback",
             f->family, f->style, f->file, f->index,
             f->user ? "  [user fonts]" : "");
      printf("           %u glyphs, %u code points, %u hanzi, GB2312 "
             "%u/6763%s\n",
             f->num_glyphs, f->cmap_size, f->hanzi, f->gb2312,
             f->bold ? ", bold" : "");
    }
  }
  if (!ok)
    rc = EXIT_IO;
done:
  zp_tmpl_free(t);
  zp_fontset_free(fs);
  return rc;
}

int main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"template", required_argument, NULL, 't'},
      {"data", required_argument, NULL, 'd'},
      {"output", required_argument, NULL, 'o'},
      {"fonts", required_argument, NULL, 'f'},
      {"strict", no_argument, NULL, 's'},
      {"dump-layout", required_argument, NULL, 'L'},
      {"allow-inconsistent", no_argument, NULL, 'A'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {NULL, 0, NULL, 0}};
  if (argc > 1 && strcmp(argv[1], "batch") == 0)
    return zp_batch_main(argc - 1, argv + 1);
  opts o = {0};
  int c;
  while ((c = getopt_long(argc, argv, "t:d:o:f:hV", longopts, NULL)) != -1) {
    switch (c) {
    case 't':
      o.template_path = optarg;
      break;
    case 'd':
      if (o.ndata == 16) {
        fprintf(stderr, "zpgen: at most 16 --data files\n");
        return EXIT_USAGE;
      }
      o.data[o.ndata++] = optarg;
      break;
    case 'o':
      o.output = optarg;
      break;
    case 'f':
      if (o.nfonts < 16)
        o.fonts[o.nfonts++] = optarg;
      break;
    case 's':
      o.strict = true;
      break;
    case 'L':
      o.dump = optarg;
      break;
    case 'A':
      o.allow_inconsistent = true;
      break;
    case 'h':
      fputs(usage, stdout);
      return EXIT_OK;
    case 'V':
      printf("zpgen %s\n", ZP_VERSION);
      return EXIT_OK;
    default:
      fputs(usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (optind >= argc) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *cmd = argv[optind];
  if (optind + 1 < argc) {
    fprintf(stderr, "zpgen: unexpected argument \"%s\"\n%s", argv[optind + 1],
            usage);
    return EXIT_USAGE;
  }
  zp_diag *d = zp_diag_new(stderr);
  if (!d)
    return EXIT_IO;
  zp_diag_set_strict(d, o.strict);
  int rc;
  if (strcmp(cmd, "render") == 0) {
    if (!o.template_path || !o.ndata || !o.output) {
      fprintf(stderr,
              "zpgen render: --template, --data and --output are "
              "required\n%s",
              usage);
      rc = EXIT_USAGE;
    } else {
      rc = render(&o, d);
    }
  } else if (strcmp(cmd, "check") == 0) {
    if (!o.template_path || !o.ndata) {
      fprintf(stderr, "zpgen check: --template and --data are required\n%s",
              usage);
      rc = EXIT_USAGE;
    } else {
      rc = check_cmd(&o, d);
    }
  } else if (strcmp(cmd, "fonts") == 0) {
    rc = fonts_cmd(&o, d);
  } else {
    fprintf(stderr, "zpgen: unknown command \"%s\"\n%s", cmd, usage);
    rc = EXIT_USAGE;
  }
  if (rc == EXIT_OK && zp_diag_errors(d) > 0)
    rc = EXIT_INPUT;
  zp_diag_free(d);
  return rc;
}
