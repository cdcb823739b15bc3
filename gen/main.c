/* main.c — the zpgen command line.
 *
 *   zpgen render --template T.xml --data D.json --output OUT.pdf
 *   zpgen check | batch | fonts ...
 *   zpgen COMMAND --help, zpgen help COMMAND, zpgen --help | --version
 *
 * The command comes first; each command has its own help text and accepts
 * only its own options (anything else is a usage error, exit 2, naming the
 * command).  batch parses its own command line (batch.c).
 *
 * The output is written to a temporary file beside the target and renamed
 * over it only when everything succeeded, so a failed render never leaves a
 * half-written file over a good one.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
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
#include "import.h"
#include "json.h"
#include "laycheck.h"
#include "layout.h"
#include "out.h"
#include "render.h"
#include "tmpl.h"
#include "tschema.h"
#include "watch.h"

#ifndef ZP_VERSION
#define ZP_VERSION "dev"
#endif

enum {
  EXIT_OK = 0,
  EXIT_INPUT = 1, /* bad data or template (or a warning under --strict) */
  EXIT_USAGE = 2, /* bad command line */
  EXIT_IO = 3     /* a file could not be read or written, a font is missing */
};

/* The general help: every command, one line each. */
static const char usage[] =
    "usage: zpgen COMMAND [options]\n"
    "       zpgen COMMAND --help    the options of one command\n"
    "       zpgen --help | --version\n"
    "\n"
    "commands:\n"
    "  render   merge JSON data into an XML template, lay the report out and\n"
    "           write the PDF\n"
    "  check    report every figure that fails the template's checks, and\n"
    "           every missing or mistyped field, without rendering\n"
    "  batch    render the reports of a manifest whose inputs changed, in\n"
    "           parallel worker processes\n"
    "  watch    render, then render again on every change of the template,\n"
    "           the data or the fonts\n"
    "  import   a sheet of an .xlsx workbook (or a CSV file) to the JSON data\n"
    "           a template reads, by a mapping file\n"
    "  schema   the JSON Schema (draft 2020-12) of the data a template reads\n"
    "  fonts    list each font role: face, file, coverage\n"
    "\n"
    "exit status: 0 success; 1 bad data or template, an inconsistent figure\n"
    "(or a warning under --strict); 2 usage error; 3 a file could not be\n"
    "read or written, or a font could not be found.\n"
    "See zpgen(1).\n";

static const char render_help[] =
    "usage: zpgen render --template T.xml --data D.json... --output OUT.pdf\n"
    "                    [--fonts DIR]... [--strict] [--dump-layout FILE]\n"
    "                    [--allow-inconsistent] [--debug] [--watermark TEXT]\n"
    "\n"
    "Merges the JSON data into the XML template, lays the report out and\n"
    "writes the PDF.\n"
    "\n"
    "options:\n"
    "  --template T.xml      the template (required)\n"
    "  --data D.json         a data file (required; repeatable, up to 16:\n"
    "                        the files' top-level members are merged, see\n"
    "                        data/README.md)\n"
    "  --output OUT.pdf      the PDF (required); - writes to standard output\n"
    "  --fonts DIR           a directory searched for fonts before the\n"
    "                        system's (repeatable; also $ZPGEN_FONTS, ./fonts\n"
    "                        and the fonts/ beside the template's directory)\n"
    "  --strict              warnings (a character no font has) are errors\n"
    "  --dump-layout FILE    a plain-text dump of every page's lines and "
    "cells\n"
    "  --allow-inconsistent  figures that fail the template's checks are\n"
    "                        warnings, and the PDF is written\n"
    "  --debug               draws the layout over the pages, in a layer\n"
    "                        \"zpgen debug\" a viewer can hide: the text\n"
    "                        block, the line and character grid, each line's\n"
    "                        box and baseline, table cells and padding, and\n"
    "                        at each page's foot why it broke there\n"
    "  --watermark TEXT      TEXT (草稿, 样稿) across every page, behind the\n"
    "                        text, turned and faint, as the template's\n"
    "                        <watermark> sets it (else 黑体 72 pt, 45°,\n"
    "                        opacity 0.15); it does not copy out with the "
    "text\n"
    "  --help                this text\n"
    "  -t, -d, -o, -f        short for --template, --data, --output, --fonts\n"
    "\n"
    "The output and the dump are regular files (or links to one, or new),\n"
    "never an input; each is written to a temporary file beside it and\n"
    "renamed when complete, so a failed render keeps the old file.\n"
    "\n"
    "exit status: 0 success; 1 bad data or template, an inconsistent figure\n"
    "(or a warning under --strict); 2 usage error; 3 a file could not be\n"
    "read or written, or a font could not be found.\n";

static const char watch_help[] =
    "usage: zpgen watch --template T.xml --data D.json... --output OUT.pdf\n"
    "                   [--fonts DIR]... [--strict] [--allow-inconsistent]\n"
    "                   [--debug] [--watermark TEXT]\n"
    "\n"
    "Renders the report, then renders it again whenever the template, a file\n"
    "it includes, an image it shows, a data file or a file in the user font\n"
    "directories changes (a burst of saves gives one render).  Each render\n"
    "prints one line: the time, the pages and warnings on standard output,\n"
    "or on standard error that the last good PDF was kept and the first\n"
    "error.\n"
    "A viewer that reloads on change (evince, okular, zathura) shows the new\n"
    "pages at once.  Ctrl-C ends it (exit status 130).\n"
    "\n"
    "options:\n"
    "  --template T.xml      the template (required)\n"
    "  --data D.json         a data file (required; repeatable, merged)\n"
    "  --output OUT.pdf      the PDF (required; a file, not -)\n"
    "  --fonts DIR           a directory searched for fonts first "
    "(repeatable;\n"
    "                        also $ZPGEN_FONTS); its files are watched too\n"
    "  --strict, --allow-inconsistent, --debug, --watermark TEXT\n"
    "                        as for zpgen render\n"
    "  --help                this text\n"
    "  -t, -d, -o, -f        short for --template, --data, --output, --fonts\n"
    "\n"
    "exit status: 130 after Ctrl-C; 2 usage error; 3 the files cannot be\n"
    "watched.  A failed render never ends it.\n";

static const char import_help[] =
    "usage: zpgen import INPUT.xlsx|INPUT.csv --mapping MAP.json\n"
    "                    --output OUT.json [--sheet NAME]\n"
    "\n"
    "Reads a sheet of a workbook (.xlsx) or a CSV file and writes the JSON\n"
    "data a template reads, as the mapping file says: which cell holds each\n"
    "value, and which rows and columns hold a table, its levels nested by\n"
    "the merged cells of their group columns.  Every cell that does not fit\n"
    "(a number typed as text, a merged cell out of place, an empty required\n"
    "cell) is an error naming the sheet and the cell; the JSON is written\n"
    "only when there is none.  See data/README.md for the mapping.\n"
    "\n"
    "options:\n"
    "  --mapping MAP.json  the mapping (required)\n"
    "  --output OUT.json   the JSON (required); - writes to standard output\n"
    "  --sheet NAME        the sheet to read (default: the mapping's, or the\n"
    "                      first)\n"
    "  --help              this text\n"
    "  -m, -o              short for --mapping, --output\n"
    "\n"
    "exit status: 0 success; 1 a cell does not fit the mapping, or the\n"
    "mapping or the workbook is malformed; 2 usage error; 3 a file could not\n"
    "be read or written.\n";

static const char check_help[] =
    "usage: zpgen check --template T.xml --data D.json... [--strict]\n"
    "                   [--layout]\n"
    "\n"
    "Reports every figure of the data that fails the template's checks\n"
    "(rates, totals, scores, grades, digit grouping) and every missing or\n"
    "mistyped field, without rendering.\n"
    "\n"
    "options:\n"
    "  --template T.xml  the template (required)\n"
    "  --data D.json     a data file (required; repeatable, merged in order)\n"
    "  --strict          warnings count as errors\n"
    "  --layout          also lay the document out and check the layout\n"
    "                    (prohibited line starts and ends, split numbers,\n"
    "                    unjustified lines, lines off the grid, ink clashes)\n"
    "  --help            this text\n"
    "  -t, -d            short for --template, --data\n"
    "\n"
    "exit status: 0 every figure is consistent; 1 an error in the data or the\n"
    "template; 2 usage error; 3 a file could not be read.\n";

static const char schema_help[] =
    "usage: zpgen schema --template T.xml\n"
    "\n"
    "Writes on standard output a JSON Schema (draft 2020-12) of the data the\n"
    "template reads: types from formatters, checks and tests, required and\n"
    "optional members, arrays from loops, descriptions from doc=\"...\", so\n"
    "that an editor validates and completes a clerk's JSON.\n"
    "\n"
    "options:\n"
    "  --template T.xml  the template (required)\n"
    "  --help            this text\n"
    "  -t                short for --template\n"
    "\n"
    "exit status: 0 written; 1 an error in the template; 2 usage error; 3 the\n"
    "template could not be read or the output not written.\n";

static const char fonts_help[] =
    "usage: zpgen fonts [--template T.xml] [--fonts DIR]...\n"
    "\n"
    "Lists each font role (the template's, or the built-in ones), the face\n"
    "it resolved to and its fallbacks, with file, glyph count and coverage\n"
    "(hanzi, GB2312).\n"
    "\n"
    "options:\n"
    "  --template T.xml  the template whose roles to resolve\n"
    "  --fonts DIR       a directory searched for fonts before the system's\n"
    "                    (repeatable; also $ZPGEN_FONTS)\n"
    "  --help            this text\n"
    "  -t, -f            short for --template, --fonts\n"
    "\n"
    "exit status: 0 every role resolved; 1 a bad template; 2 usage error;\n"
    "3 a role has no font.\n";

typedef struct opts {
  const char *template_path, *output, *dump;
  const char *data[16]; /* --data, repeatable: merged in order */
  int ndata;
  const char *fonts[16];
  int nfonts;
  bool strict, allow_inconsistent, debug;
  const char *mapping, *sheet, *input; /* import */
  bool layout;                         /* check --layout */
  const char *watermark;               /* render --watermark */
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
                       zp_render_epoch_date(datebuf, sizeof datebuf), o->debug,
                       o->watermark};
  /* the PDF is built in memory and written when complete: standard output
   * never gets half a document */
  rc = zp_render_pdf(t, data, &fs, &ro, zp_out_stream(out), o->output,
                     dump ? zp_out_stream(dump) : NULL, NULL, d);
  /* the output and the dump may not replace a font file the render read */
  for (int i = 0; rc == EXIT_OK && fs && i < zp_font_face_count(fs); i++) {
    const char *font = zp_font_face(fs, i)->file;
    const char *opt = zp_out_same_file(o->output, font) ? "output"
                      : o->dump && zp_out_same_file(o->dump, font)
                          ? "dump-layout"
                          : NULL;
    if (opt) {
      fprintf(stderr,
              "zpgen render: --%s names the font file \"%s\" that the render "
              "reads; give it a file of its own\n",
              opt, font);
      rc = EXIT_USAGE;
    }
  }
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
  zp_render_opts ro = {dirs.dirs, false, NULL, false, NULL};
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

/* Options, as bits of a command's accepted set. */
enum {
  OPT_TEMPLATE = 1 << 0,
  OPT_DATA = 1 << 1,
  OPT_OUTPUT = 1 << 2,
  OPT_FONTS = 1 << 3,
  OPT_STRICT = 1 << 4,
  OPT_DUMP = 1 << 5,
  OPT_ALLOW = 1 << 6,
  OPT_DEBUG = 1 << 7,
  OPT_MAPPING = 1 << 8, /* also: one INPUT argument */
  OPT_SHEET = 1 << 9,
  OPT_LAYOUT = 1 << 10,
  OPT_WATERMARK = 1 << 11,
};

/* A command of main's own: its name, help text and accepted options. */
typedef struct command {
  const char *name, *help;
  unsigned opts;
} command;

static const command commands[] = {
    {"render", render_help,
     OPT_TEMPLATE | OPT_DATA | OPT_OUTPUT | OPT_FONTS | OPT_STRICT | OPT_DUMP |
         OPT_ALLOW | OPT_DEBUG | OPT_WATERMARK},
    {"watch", watch_help,
     OPT_TEMPLATE | OPT_DATA | OPT_OUTPUT | OPT_FONTS | OPT_STRICT | OPT_ALLOW |
         OPT_DEBUG | OPT_WATERMARK},
    {"check", check_help, OPT_TEMPLATE | OPT_DATA | OPT_STRICT | OPT_LAYOUT},
    {"schema", schema_help, OPT_TEMPLATE},
    {"import", import_help, OPT_MAPPING | OPT_SHEET | OPT_OUTPUT},
    {"fonts", fonts_help, OPT_TEMPLATE | OPT_FONTS},
};

/* A usage error of command cmd: the message, then the command's synopsis
 * (its help up to the first blank line) and where to read more.  Returns
 * EXIT_USAGE. */
static int usage_error(const command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int usage_error(const command *cmd, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "zpgen %s: ", cmd->name);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  const char *blank = strstr(cmd->help, "\n\n");
  fprintf(stderr, "\n%.*s\n(zpgen %s --help for the options)\n",
          blank ? (int)(blank - cmd->help) : (int)strlen(cmd->help), cmd->help,
          cmd->name);
  return EXIT_USAGE;
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
      {"debug", no_argument, NULL, 'D'},
      {"mapping", required_argument, NULL, 'm'},
      {"sheet", required_argument, NULL, 'S'},
      {"layout", no_argument, NULL, 'Y'},
      {"watermark", required_argument, NULL, 'W'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  /* the option each getopt code stands for, and its bit */
  static const struct {
    int code;
    unsigned bit;
    const char *name;
  } optbits[] = {{'t', OPT_TEMPLATE, "--template"},
                 {'d', OPT_DATA, "--data"},
                 {'o', OPT_OUTPUT, "--output"},
                 {'f', OPT_FONTS, "--fonts"},
                 {'s', OPT_STRICT, "--strict"},
                 {'L', OPT_DUMP, "--dump-layout"},
                 {'A', OPT_ALLOW, "--allow-inconsistent"},
                 {'D', OPT_DEBUG, "--debug"},
                 {'m', OPT_MAPPING, "--mapping"},
                 {'S', OPT_SHEET, "--sheet"},
                 {'Y', OPT_LAYOUT, "--layout"},
                 {'W', OPT_WATERMARK, "--watermark"}};
  if (argc < 2) {
    fputs(usage, stderr);
    return EXIT_USAGE;
  }
  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 ||
      strcmp(name, "help") == 0) {
    if (strcmp(name, "help") == 0 && argc > 2) { /* zpgen help CMD */
      if (strcmp(argv[2], "batch") == 0) {
        char *hv[] = {argv[2], (char *)"--help", NULL};
        return zp_batch_main(2, hv);
      }
      for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[2], commands[i].name) == 0) {
          fputs(commands[i].help, stdout);
          return EXIT_OK;
        }
      fprintf(stderr, "zpgen help: unknown command \"%s\"\n%s", argv[2], usage);
      return EXIT_USAGE;
    }
    fputs(usage, stdout);
    return EXIT_OK;
  }
  if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
    printf("zpgen %s\n", ZP_VERSION);
    return EXIT_OK;
  }
  if (strcmp(name, "batch") == 0)
    return zp_batch_main(argc - 1, argv + 1);
  const command *cmd = NULL;
  for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
    if (strcmp(name, commands[i].name) == 0)
      cmd = &commands[i];
  if (!cmd) {
    fprintf(stderr,
            "zpgen: %s \"%s\"; the commands are render, watch, check, "
            "batch, import, schema and fonts\n(zpgen --help for more)\n",
            name[0] == '-' ? "expected a command before the options, not"
                           : "unknown command",
            name);
    return EXIT_USAGE;
  }
  opts o = {0};
  int c;
  optind = 1;
  opterr = 0; /* our own messages, naming the command */
  while ((c = getopt_long(argc - 1, argv + 1, ":t:d:o:f:m:h", longopts,
                          NULL)) != -1) {
    if (c == 'h') {
      fputs(cmd->help, stdout);
      return EXIT_OK;
    }
    if (c == '?')
      return optopt ? usage_error(cmd, "unknown option \"-%c\"", optopt)
                    : usage_error(cmd, "unknown option \"%s\"", argv[optind]);
    if (c == ':')
      return usage_error(cmd, "%s needs a value", argv[optind]);
    for (size_t i = 0; i < sizeof optbits / sizeof *optbits; i++)
      if (optbits[i].code == c && !(cmd->opts & optbits[i].bit))
        return usage_error(cmd, "%s is not an option of this command",
                           optbits[i].name);
    switch (c) {
    case 't':
      o.template_path = optarg;
      break;
    case 'd':
      if (o.ndata == 16)
        return usage_error(cmd, "at most 16 --data files");
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
    case 'D':
      o.debug = true;
      break;
    case 'm':
      o.mapping = optarg;
      break;
    case 'S':
      o.sheet = optarg;
      break;
    case 'Y':
      o.layout = true;
      break;
    case 'W':
      if (!zp_render_watermark_ok(optarg))
        return usage_error(cmd, "--watermark \"%.40s\": %s", optarg,
                           zp_render_watermark_why(optarg));
      o.watermark = optarg;
      break;
    }
  }
  if ((cmd->opts & OPT_MAPPING) && optind < argc - 1)
    o.input = argv[1 + optind++];
  if (optind < argc - 1)
    return usage_error(cmd, "unexpected argument \"%s\"", argv[optind + 1]);
  if (cmd->opts & OPT_MAPPING) {
    if (!o.input || !o.mapping || !o.output)
      return usage_error(cmd, "an INPUT, --mapping and --output are required");
    zp_diag *d = zp_diag_new(stderr);
    if (!d)
      return EXIT_IO;
    int rc = zp_import_run(o.input, o.mapping, o.output, o.sheet, d);
    zp_diag_free(d);
    return rc;
  }
  if ((cmd->opts & OPT_OUTPUT) && (!o.template_path || !o.ndata || !o.output))
    return usage_error(cmd, "--template, --data and --output are required");
  if ((cmd->opts & OPT_DATA) && !(cmd->opts & OPT_OUTPUT) &&
      (!o.template_path || !o.ndata))
    return usage_error(cmd, "--template and --data are required");
  if ((cmd->opts & OPT_OUTPUT) && zp_render_epoch_error()) {
    fprintf(stderr, "zpgen %s: %s\n", cmd->name, zp_render_epoch_error());
    return EXIT_USAGE;
  }
  if (strcmp(cmd->name, "watch") == 0) {
    if (strcmp(o.output, "-") == 0)
      return usage_error(cmd, "--output must be a file");
    zp_watch_opts wo = {
        o.template_path, o.data,     o.ndata,  o.output,
        o.fonts,         o.nfonts,   o.strict, o.allow_inconsistent,
        o.debug,         o.watermark};
    zp_out_signals();
    return zp_watch_run(&wo);
  }
  zp_diag *d = zp_diag_new(stderr);
  if (!d)
    return EXIT_IO;
  zp_diag_set_strict(d, o.strict);
  int rc;
  if (cmd->opts & OPT_OUTPUT) {
    if (!outputs_distinct(&o, NULL)) {
      rc = EXIT_USAGE;
    } else {
      zp_out_signals();
      rc = render(&o, d);
    }
  } else if (strcmp(cmd->name, "check") == 0) {
    rc = check_cmd(&o, d);
  } else if (strcmp(cmd->name, "schema") == 0) {
    /* the JSON Schema of the data the template reads, on standard output */
    zp_template *t = NULL;
    if (!zp_render_readable(o.template_path, "template", d))
      rc = EXIT_IO;
    else if (!(t = zp_tmpl_load(o.template_path, d)))
      rc = EXIT_INPUT;
    else
      rc = zp_tmpl_schema(t, stdout, d) && fflush(stdout) == 0 ? EXIT_OK
                                                               : EXIT_IO;
    zp_tmpl_free(t);
  } else {
    rc = fonts_cmd(&o, d);
  }
  if (rc == EXIT_OK && zp_diag_errors(d) > 0)
    rc = EXIT_INPUT;
  zp_diag_free(d);
  return rc;
}
