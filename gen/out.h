/* out.h — writing an output file safely.
 *
 * An output is written to a temporary file beside its target and renamed
 * over the target only when everything succeeded, so that a failed or
 * killed render never leaves a partial file and the old output survives.
 *
 *   zp_out_signals();                          once, at start
 *   zp_out *o = zp_out_open("r.pdf", "output", d);
 *   fwrite(..., zp_out_stream(o));             write everything
 *   ok = zp_out_commit(o, d);                  or zp_out_abort(o)
 *
 * The target may be a regular file or a chain of symbolic links to one
 * (followed to its end: every link is kept, the file at the end is
 * replaced), or a name that does not exist yet; never a device, a FIFO, a
 * socket or a directory.  "-" is standard output: written directly (no
 * temporary file), so the caller must write only once everything is ready.
 *
 * Temporary files are named ".NAME.zpgen-tmp.PID.XXXXXX" in the target's
 * directory.  Every live one is in a registry that the signal handlers
 * (every catchable signal whose default ends the process: SIGINT, SIGTERM,
 * SIGHUP, SIGPIPE, SIGQUIT, SIGALRM, SIGUSR1/2, SIGXCPU, ...) empty before
 * the process dies with the signal's usual status (128 + signal); SIGBUS,
 * which a mapped font file that shrinks during the render raises, prints
 * why and exits 3.  A target that exists and may not be written (a
 * read-only file) is refused, as a write would be.  A leftover of a process
 * killed outright (kill -9) is removed by the next zpgen writing the same
 * target, once its PID is gone (or a zombie).  The module is not thread-safe.
 */
#ifndef ZP_OUT_H
#define ZP_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

typedef struct zp_out zp_out;

/* Installs the signal handlers that remove the live temporary files, for
 * each of the signals above not ignored at startup (an ignored signal, as
 * under nohup, stays ignored); and ignores SIGXFSZ, so
 * that a file size limit makes a write fail with EFBIG (reported) rather
 * than kill the process.  Idempotent. */
void zp_out_signals(void);

/* Starts writing path ("-": standard output).  what names the file in
 * messages ("output", "layout dump").  Follows path's symbolic links to
 * their end, refuses a target that exists and is not a regular file,
 * removes dead processes' leftovers, and creates the temporary file (mode
 * 0600 until commit).  Returns the handle (owned by the caller until
 * zp_out_commit or zp_out_abort), or NULL with an error naming path. */
zp_out *zp_out_open(const char *path, const char *what, zp_diag *d);

/* The stream to write to (the temporary file, or stdout).  Owned by o. */
FILE *zp_out_stream(zp_out *o);

/* The path the caller gave, for messages. */
const char *zp_out_name(const zp_out *o);

/* The temporary file's path (NULL for standard output).  Owned by o. */
const char *zp_out_temp(const zp_out *o);

/* Finishes: flushes and syncs the temporary file, gives it the target's
 * mode (an existing file's, else 0666 less the umask) and renames it over
 * the target; for standard output, flushes it.  Any write error (also an
 * earlier one on the stream) is reported, naming the path, and the
 * temporary file removed.  Frees o in every case.  Returns true when the
 * target holds the new content. */
bool zp_out_commit(zp_out *o, zp_diag *d);

/* Gives up: removes the temporary file (the target is untouched) and frees
 * o.  o may be NULL. */
void zp_out_abort(zp_out *o);

/* In a forked child, for a handle its parent opened: takes o's temporary
 * file out of this process's registry, so that a signal ending the child
 * does not remove the file the parent is still writing.  o stays the
 * parent's: the child neither writes, commits nor frees it.  o may be
 * NULL. */
void zp_out_forget(zp_out *o);

/* Removes the leftover temporary files of the targets of the n paths
 * whose process is gone (no such PID, or a zombie: killed and not yet
 * reaped), as zp_out_open does for its own target: for a writer of many
 * targets, as a batch, also for a target not written this time (a report
 * that is up to date).  Each directory is read once, whatever the number
 * of targets in it: O(n log n) in the number of paths, plus one pass over
 * each directory's entries. */
void zp_out_sweep(const char *const *paths, size_t n);

/* Whether zp_out_open removes dead processes' leftovers beside its target
 * (a scan of the target's directory; on by default).  A batch worker turns
 * it off: its parent swept every output's directory once with
 * zp_out_sweep. */
void zp_out_set_sweep(bool on);

/* The canonical name of path's final target: the end of its chain of
 * symbolic links, with its directory made absolute by realpath (no ".",
 * "..", "//" or links) and its base name; also for a name that does not
 * exist yet.  malloc'd (the caller frees it), or NULL when the directory
 * does not exist (errno set). */
char *zp_out_canonical(const char *path);

/* Do a and b name the same file (after their symbolic links, and also
 * when the file does not exist yet)?  "-" is standard output: the same as
 * "-" only.  For refusing a --dump-layout that names an input or the
 * output. */
bool zp_out_same_file(const char *a, const char *b);

#endif
