/* file.h — opening input files safely.
 *
 * Every input (template, include, data, font file) is opened through this
 * module: the file is opened without blocking (O_NONBLOCK, so that a FIFO
 * or a device cannot hang the process) and refused unless it is a regular
 * file.  The error names the file and what it is ("a FIFO", "a
 * directory", "a character device", ...).
 */
#ifndef ZP_FILE_H
#define ZP_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "diag.h"

/* What kind of file mode describes, as a phrase for a message ("a
 * directory", "a FIFO", "a character device", "a block device", "a
 * socket"), or NULL for a regular file.  mode: a struct stat st_mode. */
const char *zp_file_kind(unsigned mode);

/* Opens path for reading.  Refuses anything but a regular file, and never
 * blocks.  what names the file's role in a message ("template", "data",
 * "font file"; NULL: "cannot read: WHY"); from, when from.file is set, is where
 * the file was named (an include's element): the error is then reported there,
 * naming path. Returns a file descriptor (close-on-exec and non-blocking:
 * a regular file that would block on reading, as /proc/kmsg, fails with
 * EAGAIN instead; the caller closes it), or -1 with an error reported to d (d
 * may be NULL: then nothing is reported and errno tells why; EINVAL for a file
 * that is not regular). */
int zp_file_open(const char *path, const char *what, zp_loc from, zp_diag *d);

/* The same as a stdio stream ("rb"); the caller fcloses it.  NULL with an
 * error reported. */
FILE *zp_file_fopen(const char *path, const char *what, zp_loc from,
                    zp_diag *d);

/* Reads the whole regular file path, of at most max bytes.  On success
 * *data is a malloc'd buffer of *len bytes followed by a NUL (the caller
 * frees it).  Returns false with an error reported (the same messages as
 * zp_file_open, a read error, or a file larger than max). */
bool zp_file_read(const char *path, const char *what, zp_loc from, size_t max,
                  char **data, size_t *len, zp_diag *d);

#endif
