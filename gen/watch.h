/* watch.h — zpgen watch: render, then render again on every change.
 *
 * Renders the report once, then waits for a change to any file the render
 * read — the template and every file it includes (zp_template.files), each
 * data file — or to any file in the user font directories, and renders
 * again.  Changes are seen with inotify on the files' directories (editors
 * replace a file by renaming a new one over it, which a watch on the file
 * itself would miss), filtered by name; a burst of events gives one render,
 * once the directories have been quiet for ZP_WATCH_QUIET_MS (and at the
 * latest ZP_WATCH_MAX_WAIT_MS after the first event).
 *
 * Each render prints one line: on standard output when the PDF was written
 * ("12:00:01 out.pdf: 16 pages, 0 warnings, 21 ms"), on standard error when
 * it failed (the time, that the last good PDF was kept, and the first error
 * in full, with the count of the others).  The PDF is written to a
 * temporary file and renamed (out.h), so a failed render keeps the last
 * good one and a viewer that reloads on change sees only complete files.
 * Ctrl-C (SIGINT) removes the temporary file of a render under way and
 * ends the process with status 130 (out.h, zp_out_signals).
 */
#ifndef ZP_WATCH_H
#define ZP_WATCH_H

#include <stdbool.h>

#define ZP_WATCH_QUIET_MS 150
#define ZP_WATCH_MAX_WAIT_MS 1000

typedef struct zp_watch_opts {
  const char *template_path;
  const char *const *data; /* ndata data files, merged in order */
  int ndata;
  const char *output;       /* a file, not "-" */
  const char *const *fonts; /* nfonts --fonts directories */
  int nfonts;
  bool strict, allow_inconsistent, debug; /* as for zpgen render */
  const char *watermark;                  /* --watermark, or NULL */
} zp_watch_opts;

/* Runs the watch loop with o (the strings stay the caller's).  Returns
 * only on an error that ends it, with its exit status and a message on
 * standard error: 2 when the output names an input, 3 when the inotify
 * instance cannot be made or the template's or a data file's directory
 * cannot be watched.  A render's failure never ends the loop; a signal
 * does (see above). */
int zp_watch_run(const zp_watch_opts *o);

#endif
