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
#include "file.h"
#include "font.h"
#include "json.h"
#include "laycheck.h"
#include "layout.h"
#include "out.h"
#include "render.h"
#include "tmpl.h"
#include "tschema.h"

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
    "       zpgen check --template T.xml --data D.json... [--layout]\n"
    "       zpgen schema --template T.xml   (JSON Schema of its data)\n"
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
    "         The output and the dump are regular files (or links to one,\n"
    "         or new), never an input; each is written to a temporary\n"
    "         file beside it and renamed when complete.\n"
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
  bool layout; /* check --layout */
} opts;

/* What input (or the output) path names, or NULL: "the template", ... */
static const char *names_input(const char *path, const opts *o,
                               const zp_template *t, bool is_dump, char *buf,
                               size_t size) {
  if (is_dump && zp_out_same_file(path, o->output))
    return "the output";
  if (zp_out_same_file(path, o->template_path))
    return "the template";
  for (int i = 0; i < o->ndata; i++)
    if (zp_out_same_file(path, o->data[i])) {
      snprintf(buf, size, "the data file \"%s\"", o->data[i]);
      return buf;
    }
  for (int i = 1; t && i < t->nfiles; i++)
    if (zp_out_same_file(path, t->files[i])) {
      snprintf(buf, size, "the included file \"%s\"", t->files[i]);
      return buf;
    }
  return NULL;
}

/* The output and the dump must not overwrite an input (nor each other):
 * false with a usage message when one does.  t: the loaded template, for
 * its includes (NULL before loading). */
static bool outputs_distinct(const opts *o, const zp_template *t) {
  char buf[4200];
  const char *what;
  if (strcmp(o->output, "-") != 0 &&
      (what = names_input(o->output, o, t, false, buf, sizeof buf))) {
    fprintf(stderr,
            "zpgen render: --output \"%s\" names %s; the output must be a "
            "file of its own\n",
            o->output, what);
    return false;
  }
  if (o->dump && (what = names_input(o->dump, o, t, true, buf, sizeof buf))) {
    fprintf(stderr,
            "zpgen render: --dump-layout \"%s\" names %s; give the dump a "
            "file of its own\n",
            o->dump, what);
    return false;
  }
  return true;
}

static int render(const opts *o, zp_diag *d) {
  int rc = EXIT_INPUT;
  zp_template *t = NULL;
  zp_json_doc *data = NULL;
  zp_fontset *fs = NULL;
  zp_out *out = NULL, *dump = NULL;
  zp_render_dirs dirs;

  if (!zp_render_readable(o->template_path, "template", d)) {
    rc = EXIT_IO;
    goto done;
  }
  /* the outputs first: a target that cannot be written fails at once, and
   * from here on a signal removes their temporary files */
  out = zp_out_open(o->output, "output", d);
  if (!out || (o->dump && !(dump = zp_out_open(o->dump, "layout dump", d)))) {
    rc = EXIT_IO;
    goto done;
  }
  t = zp_tmpl_load(o->template_path, d);
  if (t && !outputs_distinct(o, t)) { /* an include named as an output */
    rc = EXIT_USAGE;
    goto done;
  }
  int drc = EXIT_INPUT;
  data = zp_render_load_data(o->data, o->ndata, &drc, d);
  if (!t || !data) {
    if (!data)
      rc = drc;
    goto done;
  }
  char datebuf[32];
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, &dirs);
  zp_render_opts ro = {dirs.dirs, o->allow_inconsistent,
                       zp_render_epoch_date(datebuf, sizeof datebuf)};
  /* the PDF is built in memory and written when complete: standard output
   * never gets half a document */
  rc = zp_render_pdf(t, data, &fs, &ro, zp_out_stream(out), o->output,
                     dump ? zp_out_stream(dump) : NULL, NULL, d);
  /* the dump is committed when all went well, or to report its own write
   * error (zp_out_commit names it and removes the temporary file) */
  if (dump && (rc == EXIT_OK || ferror(zp_out_stream(dump)))) {
    bool ok = zp_out_commit(dump, d);
    dump = NULL;
    if (!ok)
      rc = EXIT_IO;
  }
  if (rc != EXIT_OK)
    goto done;
  bool ok = zp_out_commit(out, d);
  out = NULL;
  rc = ok ? EXIT_OK : EXIT_IO;
done:
  zp_out_abort(dump);
  zp_out_abort(out);
  zp_fontset_free(fs);
  zp_json_free(data);
  zp_tmpl_free(t);
  return rc;
}

/* check --layout: lays the document out (the PDF is discarded) and reads
 * the layout dump with the layout checker (laycheck.h); each finding is
 * printed as "layout:LINE: what: text", LINE that of the dump that
 * --dump-layout would write. */
static int check_layout(const opts *o, const zp_template *t,
                        const zp_json_doc *data, zp_diag *d) {
  int rc = EXIT_INPUT;
  zp_fontset *fs = NULL;
  FILE *pdf = tmpfile(), *dump = tmpfile();
  if (!pdf || !dump) {
    zp_error(d, ((zp_loc){0}), "cannot make a temporary file for the layout");
    rc = EXIT_IO;
    goto done;
  }
  zp_render_dirs dirs;
  zp_render_font_dirs(o->fonts, o->nfonts, o->template_path, &dirs);
  zp_render_opts ro = {dirs.dirs, false, NULL};
  rc = zp_render_pdf(t, data, &fs, &ro, pdf, "layout", dump, NULL, d);
  if (rc != EXIT_OK)
    goto done;
  rewind(dump);
  int lines = 0;
  int n = zp_laycheck(dump, "layout", stderr, &lines);
  fprintf(stderr, "zpgen check --layout: %d finding%s in %d lines\n", n,
          n == 1 ? "" : "s", lines);
  rc = n ? EXIT_INPUT : EXIT_OK;
done:
  if (pdf)
    fclose(pdf);
  if (dump)
    fclose(dump);
  zp_fontset_free(fs);
  return rc;
}

/* Binds without rendering: every data error and failed check. */
static int check_cmd(const opts *o, zp_diag *d) {
  if (!zp_render_readable(o->template_path, "template", d))
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
  if (rc == EXIT_OK && o->layout)
    rc = check_layout(o, t, data, d);
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
  const int *astral;
  int na = zp_font_astral_faces(fs, &astral);
  if (na)
    printf("above U+FFFF (every role, last):\n");
  for (int k = 0; k < na; k++) {
    const zp_face_info *f = zp_font_face(fs, astral[k]);
    printf("  fallback %s (%s)  %s#%d%s\n", f->family, f->style, f->file,
           f->index, f->user ? "  [user fonts]" : "");
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
      {"layout", no_argument, NULL, 'Y'},
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
    case 'Y':
      o.layout = true;
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
    } else if (!outputs_distinct(&o, NULL)) {
      rc = EXIT_USAGE;
    } else {
      zp_out_signals();
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
  } else if (strcmp(cmd, "schema") == 0) {
    /* the JSON Schema of the data the template reads, on standard output */
    zp_template *t = NULL;
    if (!o.template_path) {
      fprintf(stderr, "zpgen schema: --template is required\n%s", usage);
      rc = EXIT_USAGE;
    } else if (!zp_render_readable(o.template_path, "template", d)) {
      rc = EXIT_IO;
    } else if (!(t = zp_tmpl_load(o.template_path, d))) {
      rc = EXIT_INPUT;
    } else {
      rc = zp_tmpl_schema(t, stdout, d) && fflush(stdout) == 0 ? EXIT_OK
                                                               : EXIT_IO;
    }
    zp_tmpl_free(t);
  } else {
    fprintf(stderr, "zpgen: unknown command \"%s\"\n%s", cmd, usage);
    rc = EXIT_USAGE;
  }
  if (rc == EXIT_OK && zp_diag_errors(d) > 0)
    rc = EXIT_INPUT;
  zp_diag_free(d);
  return rc;
}
