/* batch.h — `zpgen batch`: many reports, incremental, in worker processes.
 *
 * A manifest lists reports (JSON lines, CSV, or a directory of data files
 * with one template); each report whose inputs' fingerprint matches the
 * one recorded beside its PDF (OUT.pdf.zpgen) is skipped, the others are
 * rendered by --jobs worker processes that keep the templates, the font
 * sets and the faces' subsetting preparation from report to report.  See
 * README.md "Batch" and `zpgen batch --help`.
 */
#ifndef ZP_BATCH_H
#define ZP_BATCH_H

/* Runs `zpgen batch` with argv[0] == "batch".  Returns the exit status: 0
 * every report rendered or skipped; 1 one failed on its data or template;
 * or the manifest is invalid; 2 usage error; 3 one failed on I/O, or
 * the batch was interrupted (worth retrying). */
int zp_batch_main(int argc, char **argv);

#endif
