/* render.c — see render.h. */
#include "render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "bind.h"
#include "dlist.h"
#include "doc.h"
#include "file.h"
#include "layout.h"
#include "pdf.h"

#ifndef ZP_VERSION
#define ZP_VERSION "dev"
#endif

bool zp_render_readable(const char *path, const char *what, zp_diag *d) {
  int fd = zp_file_open(path, what, (zp_loc){0}, d);
  if (fd < 0)
    return false;
  close(fd);
  return true;
}

zp_json_doc *zp_render_load_data(const char *const *paths, int n, int *rc,
                                 zp_diag *d) {
  zp_json_doc **docs = calloc((size_t)(n > 0 ? n : 1), sizeof *docs);
  zp_json_doc *out = NULL;
  int k = 0;
  *rc = ZP_RENDER_INPUT;
  if (!docs) {
    zp_error(d, (zp_loc){NULL, 0, 0}, "out of memory");
    goto done;
  }
  for (int i = 0; i < n; i++)
    if (!zp_render_readable(paths[i], "data", d)) {
      *rc = ZP_RENDER_IO;
      goto done;
    }
  for (k = 0; k < n; k++)
    if (!(docs[k] = zp_json_load_file(paths[k], d)))
      goto done;
  out = zp_json_merge(docs, n, d); /* owns the documents from here */
  k = 0;
done:
  for (int i = 0; i < k; i++)
    zp_json_free(docs[i]);
  free(docs);
  return out;
}

zp_fontset *zp_render_fonts(const zp_template *t, const char *const *user_dirs,
                            zp_diag *d) {
  zp_fontset *fs = zp_fontset_new(user_dirs, d);
  if (fs && !zp_layout_define_roles(t ? zp_tmpl_roles(t) : NULL, fs, d)) {
    zp_fontset_free(fs);
    return NULL;
  }
  return fs;
}

int zp_render_pdf(const zp_template *t, const zp_json_doc *data,
                  zp_fontset **fs, const zp_render_opts *o, FILE *pdf,
                  const char *pdf_name, FILE *dump, zp_render_info *info,
                  zp_diag *d) {
  int rc = ZP_RENDER_INPUT;
  zp_doc *doc = NULL;
  zp_dl *dl = NULL;
  if (info)
    info->pages = 0;
  zp_bind_opts bo = {o->allow_inconsistent};
  doc = zp_bind_with(t, data, &bo, d);
  if (!doc)
    goto done;
  if (!doc->date)
    doc->date = o->date;
  if (o->watermark) { /* the template's look, if it sets one; this text */
    zp_watermark *w = zp_arena_alloc(doc->arena, sizeof *w);
    if (!w)
      goto done;
    *w = doc->watermark ? *doc->watermark : (zp_watermark)ZP_WATERMARK_DEFAULT;
    w->text = o->watermark;
    w->image = NULL;
    doc->watermark = w;
    /* a part's own watermark shows the text in its look; a part without
     * (watermark="no") stays without */
    for (zp_part *p = doc->parts; p; p = p->next)
      if (p->watermark) {
        zp_watermark *pw = zp_arena_alloc(doc->arena, sizeof *pw);
        if (!pw)
          goto done;
        *pw = *p->watermark;
        pw->text = o->watermark;
        pw->image = NULL;
        p->watermark = pw;
      }
  }
  if (!*fs) {
    *fs = zp_fontset_new(o->font_dirs, d);
    if (!*fs || !zp_layout_define_roles(doc->roles, *fs, d)) {
      rc = ZP_RENDER_IO;
      goto done;
    }
  }
  zp_layout_opts lo = {dump, o->debug, 0};
  dl = zp_layout(doc, *fs, &lo, d);
  if (!dl || zp_diag_errors(d) > 0)
    goto done;
  dl->creator = "zpgen " ZP_VERSION;
  /* a dump that could not be written stops the render before the PDF is
   * written: the caller reports the stream's error when it commits it */
  if (dump && fflush(dump) != 0) {
    rc = ZP_RENDER_IO;
    goto done;
  }
  if (!zp_pdf_write_stream(dl, *fs, pdf, pdf_name, d)) {
    rc = ZP_RENDER_IO;
    goto done;
  }
  if (info)
    for (const zp_dl_page *p = dl->pages; p; p = p->next)
      info->pages++;
  rc = ZP_RENDER_OK;
done:
  zp_dl_free(dl);
  zp_doc_free(doc);
  return rc;
}

/* The largest SOURCE_DATE_EPOCH: 9999-12-31T23:59:59Z (a PDF date has
 * four digits for the year). */
#define MAX_EPOCH 253402300799LL

const char *zp_render_epoch_error(void) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (!e || !*e)
    return NULL;
  static char msg[200];
  const char *p = e;
  while (*p >= '0' && *p <= '9')
    p++;
  if (*p || p - e > 12) {
    snprintf(msg, sizeof msg,
             "SOURCE_DATE_EPOCH=\"%.40s%s\": expected a whole number of "
             "seconds from 0 to %lld",
             e, strlen(e) > 40 ? "..." : "", MAX_EPOCH);
    return msg;
  }
  errno = 0;
  long long v = strtoll(e, NULL, 10);
  if (errno || v > MAX_EPOCH) {
    snprintf(msg, sizeof msg,
             "SOURCE_DATE_EPOCH=%s is after the year 9999: expected a whole "
             "number of seconds from 0 to %lld",
             e, MAX_EPOCH);
    return msg;
  }
  return NULL;
}

const char *zp_render_epoch_date(char *buf, size_t size) {
  const char *e = getenv("SOURCE_DATE_EPOCH");
  if (!e || !*e || zp_render_epoch_error())
    return NULL;
  time_t t = (time_t)strtoll(e, NULL, 10);
  struct tm tm;
  if (!gmtime_r(&t, &tm))
    return NULL;
  strftime(buf, size, "%Y-%m-%d", &tm);
  return buf;
}

static bool is_dir(const char *p) {
  struct stat st;
  return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir(zp_render_dirs *l, const char *d) {
  if (l->n < 23 && is_dir(d))
    l->dirs[l->n++] = d;
  l->dirs[l->n] = NULL;
}

void zp_render_font_dirs(const char *const *fonts, int nfonts,
                         const char *template_path, zp_render_dirs *l) {
  l->n = 0;
  l->dirs[0] = NULL;
  for (int i = 0; i < nfonts; i++)
    add_dir(l, fonts[i]);
  const char *env = getenv("ZPGEN_FONTS");
  if (env && *env) {
    snprintf(l->env, sizeof l->env, "%s", env);
    char *save = NULL;
    for (char *s = strtok_r(l->env, ":", &save); s;
         s = strtok_r(NULL, ":", &save))
      add_dir(l, s);
  }
  if (template_path) {
    const char *slash = strrchr(template_path, '/');
    if (slash)
      snprintf(l->beside_template, sizeof l->beside_template, "%.*s/../fonts",
               (int)(slash - template_path), template_path);
    else
      snprintf(l->beside_template, sizeof l->beside_template, "../fonts");
    add_dir(l, l->beside_template);
  }
  add_dir(l, "fonts");
  /* PREFIX/bin/zpgen beside PREFIX/share/zpgen/fonts */
  char exe[2048];
  ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
  if (len > 0) {
    exe[len] = 0;
    char *slash = strrchr(exe, '/');
    if (slash) {
      *slash = 0;
      snprintf(l->installed, sizeof l->installed, "%s/../share/zpgen/fonts",
               exe);
      add_dir(l, l->installed);
    }
  }
}

const char *zp_render_watermark_why(const char *text) {
  size_t n = strlen(text);
  if (n == 0)
    return "the text is empty";
  if (n > 200)
    return "longer than 200 bytes";
  const unsigned char *u = (const unsigned char *)text;
  for (size_t i = 0; i < n;) {
    unsigned c = u[i];
    int k = c < 0x80             ? 0
            : (c & 0xE0) == 0xC0 ? 1
            : (c & 0xF0) == 0xE0 ? 2
            : (c & 0xF8) == 0xF0 ? 3
                                 : -1;
    if (k < 0 || n - i <= (size_t)k)
      return "not UTF-8";
    for (int j = 1; j <= k; j++)
      if ((u[i + (size_t)j] & 0xC0) != 0x80)
        return "not UTF-8";
    if (c < 0x20 || c == 0x7F)
      return "a control character";
    i += (size_t)k + 1;
  }
  return NULL;
}

bool zp_render_watermark_ok(const char *text) {
  return zp_render_watermark_why(text) == NULL;
}
