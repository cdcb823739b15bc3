/* batch.c — see batch.h: zp_batch_main, that is the options, the flow
 * (manifest, templates, plan, sweep, workers) and the summary; the stages
 * are in batch-manifest.c, batch-plan.c and batch-work.c (batch-imp.h).
 *
 * The parent reads the manifest, loads every template once, makes each
 * template's font set (fontconfig and the faces, once), fingerprints every
 * report and compares with its sidecar.  It then forks the workers, which
 * inherit all of that, and hands out report indices over one pipe per
 * worker; a worker renders, commits (temporary file, rename, sidecar) and
 * answers with a fixed header and its diagnostics' text.
 *
 * Every file written (a PDF, its record, the report) goes through the
 * safe-output module (out.h): a temporary file beside the target, renamed
 * on success, removed on failure and when a signal ends a worker; what a
 * kill -9 left is swept for every report of the manifest, rendered again
 * or not.
 */
#define _GNU_SOURCE
#include "batch-imp.h"

#include <errno.h>
#include <getopt.h>
#include <sys/resource.h>
#include <unistd.h>

static const char usage[] =
    "usage: zpgen batch MANIFEST [options]\n"
    "       zpgen batch DIR --template T.xml [--output-dir OUT] [options]\n"
    "\n"
    "Renders every report of MANIFEST whose inputs changed since its PDF was\n"
    "written, in parallel worker processes.\n"
    "\n"
    "MANIFEST  JSON lines (.jsonl or anything not .csv): one object per line,\n"
    "            {\"id\": \"liwan\", \"template\": \"t.xml\",\n"
    "             \"data\": \"liwan.json\" or [\"liwan.json\", "
    "\"shared.json\"],\n"
    "             \"output\": \"out/liwan.pdf\"}\n"
    "          CSV (.csv): a header line naming the columns id, template,\n"
    "            data, output; several data files separated by ';'\n"
    "          a directory: every *.json in it is one report (id: the file's\n"
    "            name), with --template; PDFs go to --output-dir (default: "
    "the\n"
    "            directory itself) as ID.pdf\n"
    "          Relative paths are relative to the manifest's directory.\n"
    "\n"
    "options:\n"
    "  --jobs N        worker processes (default: the number of cores)\n"
    "  --force         render every report, changed or not\n"
    "  --dry-run       list what would be rendered, and why; render nothing\n"
    "  --report FILE   one JSON line per report: id, status, fingerprint, ms,\n"
    "                  pages, bytes, sha256, warnings, error\n"
    "  --shard I/N     only the reports of slice I of N (0 <= I < N, by a\n"
    "                  hash of the id); default from SLURM_ARRAY_TASK_ID and\n"
    "                  SLURM_ARRAY_TASK_COUNT, or JOB_COMPLETION_INDEX and\n"
    "                  --shard-count N (or $ZPGEN_SHARD_COUNT)\n"
    "  --template T    the template of a directory's reports\n"
    "  --output-dir D  where a directory's PDFs go\n"
    "  --fonts DIR, --strict, --allow-inconsistent, --watermark TEXT\n"
    "                  as for zpgen render\n"
    "  --quiet         no progress line\n"
    "\n"
    "Each PDF is written to a temporary file beside it and renamed; its\n"
    "inputs' fingerprint is then recorded in OUT.pdf.zpgen.  A report whose\n"
    "fingerprint and PDF are unchanged is skipped.  A failed report keeps its\n"
    "previous PDF.  Ctrl-C stops handing out reports and lets the running "
    "ones\n"
    "finish; a second Ctrl-C aborts them.\n"
    "\n"
    "exit status: 0 every report rendered or skipped; 1 a report failed on\n"
    "its data or template (retrying will not help), or the manifest is\n"
    "invalid; 2 usage error; 3 a report failed on I/O, or the batch was\n"
    "interrupted (retry: finished reports are skipped).\n";

static int cmp_long(const void *a, const void *b) {
  long x = *(const long *)a, y = *(const long *)b;
  return (x > y) - (x < y);
}

/* ---- options ------------------------------------------------------------ */

static bool parse_count(const char *s, long *v, long max) {
  char *end;
  errno = 0;
  *v = strtol(s, &end, 10);
  return end != s && !*end && !errno && *v >= 1 && *v <= max;
}

int zp_batch_main(int argc, char **argv) {
  static const struct option longopts[] = {
      {"jobs", required_argument, NULL, 'j'},
      {"force", no_argument, NULL, 'F'},
      {"dry-run", no_argument, NULL, 'n'},
      {"report", required_argument, NULL, 'r'},
      {"shard", required_argument, NULL, 'S'},
      {"shard-count", required_argument, NULL, 'C'},
      {"template", required_argument, NULL, 't'},
      {"output-dir", required_argument, NULL, 'O'},
      {"fonts", required_argument, NULL, 'f'},
      {"strict", no_argument, NULL, 's'},
      {"allow-inconsistent", no_argument, NULL, 'A'},
      {"quiet", no_argument, NULL, 'q'},
      {"watermark", required_argument, NULL, 'W'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  batch b = {0};
  b.nworkers = bat_work_cpu_count() < 256 ? bat_work_cpu_count() : 256;
  b.shard_n = 1;
  const char *shard = NULL, *count = NULL;
  int c;
  long v;
  optind = 1;
  while ((c = getopt_long(argc, argv, "j:t:f:hn", longopts, NULL)) != -1) {
    switch (c) {
    case 'j':
      if (!parse_count(optarg, &v, 256)) {
        fprintf(stderr, "zpgen batch: --jobs %s: expected 1 to 256\n", optarg);
        return EXIT_USAGE;
      }
      b.nworkers = (int)v;
      break;
    case 'F':
      b.force = true;
      break;
    case 'n':
      b.dry_run = true;
      break;
    case 'r':
      b.report = optarg;
      break;
    case 'S':
      shard = optarg;
      break;
    case 'C':
      count = optarg;
      break;
    case 't':
      b.dir_template = optarg;
      break;
    case 'O':
      b.output_dir = optarg;
      break;
    case 'f':
      if (b.nfonts == 16) {
        fprintf(stderr,
                "zpgen batch: --fonts %s: at most 16 --fonts "
                "directories\n",
                optarg);
        return EXIT_USAGE;
      }
      b.fonts[b.nfonts++] = optarg;
      break;
    case 's':
      b.strict = true;
      break;
    case 'A':
      b.allow_inconsistent = true;
      break;
    case 'q':
      b.quiet = true;
      break;
    case 'W':
      if (!zp_render_watermark_ok(optarg)) {
        fprintf(stderr, "zpgen batch: --watermark \"%.40s\": %s\n", optarg,
                zp_render_watermark_why(optarg));
        return EXIT_USAGE;
      }
      b.watermark = optarg;
      break;
    case 'h':
      fputs(usage, stdout);
      return EXIT_OK;
    default:
      fputs(usage, stderr);
      return EXIT_USAGE;
    }
  }
  if (optind + 1 != argc) {
    fprintf(stderr, "zpgen batch: %s\n%s",
            optind >= argc ? "no manifest given" : "more than one manifest",
            usage);
    return EXIT_USAGE;
  }
  b.manifest = argv[optind];
  if (shard) {
    if (!bat_plan_parse_shard(shard, &b.shard_i, &b.shard_n)) {
      fprintf(stderr, "zpgen batch: --shard %s: expected I/N with 0 <= I < N\n",
              shard);
      return EXIT_USAGE;
    }
  } else if (!bat_plan_default_shard(&b, count)) {
    return EXIT_USAGE;
  }
  if (zp_render_epoch_error()) {
    fprintf(stderr, "zpgen batch: %s\n", zp_render_epoch_error());
    return EXIT_USAGE;
  }
  b.datep = zp_render_epoch_date(b.date, sizeof b.date);
  b.d = zp_diag_new(stderr);
  if (!b.d)
    return EXIT_IO;
  /* a signal that ends the parent removes the report's temporary file */
  zp_out_signals();
  /* the report is opened first: a report that cannot be written fails now,
   * not after the whole batch */
  zp_out *report = NULL;
  if (b.report && !b.dry_run &&
      !(report = zp_out_open(b.report, "report", b.d))) {
    zp_diag_free(b.d);
    return EXIT_IO;
  }
  b.report_out = report;
  double t0 = now_s();
  int rc = EXIT_OK;
  if (!bat_manifest_load(&b)) {
    rc = b.usage_error ? EXIT_USAGE : b.io_error ? EXIT_IO : EXIT_INPUT;
    goto done;
  }
  bat_plan_load_templates(&b);
  if (!bat_manifest_check_includes(&b)) {
    rc = b.usage_error ? EXIT_USAGE : EXIT_INPUT;
    goto done;
  }
  bat_plan_fingerprint(&b);
  if (!b.dry_run)
    bat_plan_sweep(&b);
  int *todo = xcalloc((size_t)b.njobs, sizeof *todo);
  int ntodo = 0, nskip = 0, npre = 0;
  for (int i = 0; i < b.njobs; i++) {
    if (b.jobs[i].st == ST_PENDING)
      todo[ntodo++] = i;
    nskip += b.jobs[i].st == ST_SKIPPED;
    npre += b.jobs[i].st == ST_FAILED;
  }
  progress pr = {isatty(2), b.quiet, now_s(), 0, ntodo, 0, 0, 0, false};
  if (b.dry_run) {
    for (int i = 0; i < ntodo; i++) {
      const job *j = &b.jobs[todo[i]];
      printf("render %s: %s\n", j->id, j->why);
    }
    for (int i = 0; i < b.njobs; i++)
      if (b.jobs[i].st == ST_FAILED)
        printf("fail %s: %s\n", b.jobs[i].id,
               first_error(b.jobs[i].diag, (char[512]){0}, 512));
    printf("%d to render, %d unchanged, %d failing%s\n", ntodo, nskip, npre,
           b.shard_n > 1 ? " (this shard)" : "");
    free(todo);
    goto done;
  }
  for (int i = 0; i < b.njobs; i++)
    if (b.jobs[i].st == ST_FAILED)
      bat_work_print_diag(&pr, &b.jobs[i]);
  bool interrupted = false;
  if (ntodo)
    interrupted = !bat_work_run(&b, todo, ntodo, &pr);
  free(todo);
  bat_work_progress_clear(&pr);
  /* the summary */
  int nren = 0, nfail = 0, nint = 0;
  long long bytes = 0;
  long *ms = xcalloc((size_t)b.njobs, sizeof *ms);
  for (int i = 0; i < b.njobs; i++) {
    const job *j = &b.jobs[i];
    if (j->st == ST_RENDERED) {
      ms[nren++] = j->ms;
      bytes += j->bytes;
    }
    nfail += j->st == ST_FAILED;
    nint += j->st == ST_INTERRUPTED || j->st == ST_PENDING;
    if (j->st == ST_FAILED)
      rc = j->rc == ZP_RENDER_IO || rc == EXIT_IO ? EXIT_IO : EXIT_INPUT;
  }
  if (nint || interrupted)
    rc = EXIT_IO;
  double el = now_s() - t0;
  struct rusage ru;
  getrusage(RUSAGE_CHILDREN, &ru);
  qsort(ms, (size_t)nren, sizeof *ms, cmp_long);
  fprintf(stderr,
          "zpgen batch: %d report%s: %d rendered, %d skipped, %d failed",
          b.njobs, b.njobs == 1 ? "" : "s", nren, nskip, nfail);
  if (nint)
    fprintf(stderr, ", %d not done (interrupted)", nint);
  fprintf(stderr, " in %.2f s", el);
  if (nren)
    fprintf(stderr,
            " (%.1f reports/s; per report median %ld ms, p95 %ld ms; %lld "
            "bytes written; peak memory per worker %ld KiB)",
            el > 0 ? nren / el : 0.0, ms[nren / 2],
            ms[(nren * 95 + 99) / 100 - 1], bytes, ru.ru_maxrss);
  fputc('\n', stderr);
  free(ms);
  for (int i = 0; i < b.njobs; i++)
    if (b.jobs[i].st == ST_FAILED) {
      char err[1024];
      fprintf(stderr, "  failed %s: %s\n", b.jobs[i].id,
              first_error(b.jobs[i].diag, err, sizeof err));
    }
  if (report) {
    zp_diag *rd = zp_diag_new(stderr);
    if (!rd || !bat_work_write_report(&b, report, rd))
      rc = EXIT_IO;
    report = NULL; /* committed or removed */
    zp_diag_free(rd);
  }
done:
  zp_out_abort(report); /* a batch that stopped early writes no report */
  for (int i = 0; i < b.njobs; i++) {
    job *j = &b.jobs[i];
    free(j->id);
    free(j->tpl_path);
    free(j->out);
    for (int k = 0; k < j->ndata; k++)
      free(j->data[k]);
    free(j->inputs);
    free(j->diag);
  }
  free(b.jobs);
  for (int i = 0; i < b.ntpls; i++) {
    if (!b.tpls[i].fs_shared)
      zp_fontset_free(b.tpls[i].fs);
    zp_tmpl_free(b.tpls[i].t);
    free(b.tpls[i].path);
    free(b.tpls[i].diag);
    free(b.tpls[i].inputs);
  }
  free(b.tpls);
  for (size_t i = 0; i < b.nwritten; i++) {
    free(b.written[i].key);
    free(b.written[i].path);
  }
  free(b.written);
  bat_plan_free_hashes();
  free(b.base);
  if (rc == EXIT_OK && zp_diag_errors(b.d) > 0)
    rc = EXIT_INPUT;
  zp_diag_free(b.d);
  return rc;
}
