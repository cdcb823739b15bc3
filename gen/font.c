/* font.c — see font.h.
 *
 * One FcConfig (system fonts plus the user directories) and one FT_Library
 * per font set.  A face is opened once (FT_Face kept open) and shared by
 * every role that uses it.  Each role keeps a cache of resolved code points:
 * 256 pages of 256 entries over the BMP, a page allocated on first use, and
 * a small open-addressing table above U+FFFF. */
#include "font.h"

#include <dirent.h>
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include FT_TRUETYPE_TAGS_H
#include FT_ADVANCES_H
#include FT_OUTLINE_H

#include <hb-subset.h>
#include <hb.h>

#include "file.h"

#define NOLOC ((zp_loc){NULL, 0, 0})
#define FLOC(f) ((zp_loc){(f), 0, 0})

/* ---- default roles ------------------------------------------------------ */

static const char *const song_families[] = {
    "SimSun", "宋体", "AR PL SungtiL GB", "AR PL UMing CN", "WenQuanYi Zen Hei",
    NULL};
static const char *const fangsong_families[] = {"仿宋_GB2312",
                                                "FangSong_GB2312",
                                                "仿宋",
                                                "FangSong",
                                                "AR PL SungtiL GB",
                                                "AR PL UMing CN",
                                                "WenQuanYi Zen Hei",
                                                NULL};
static const char *const kai_families[] = {
    "楷体_GB2312",    "KaiTi_GB2312",      "楷体", "KaiTi", "AR PL KaitiM GB",
    "AR PL UMing CN", "WenQuanYi Zen Hei", NULL};
static const char *const hei_families[] = {
    "黑体", "SimHei", "WenQuanYi Zen Hei", "AR PL UMing CN", NULL};
static const char *const title_families[] = {"方正小标宋简体",
                                             "方正小标宋_GBK",
                                             "FZXiaoBiaoSong-B05S",
                                             "AR PL SungtiL GB",
                                             "AR PL UMing CN",
                                             "WenQuanYi Zen Hei",
                                             NULL};

static const zp_role_def default_roles[] = {
    {"song", song_families},   {"fangsong", fangsong_families},
    {"kai", kai_families},     {"hei", hei_families},
    {"title", title_families}, {NULL, NULL}};

const zp_role_def *zp_font_default_roles(void) { return default_roles; }

/* Faces for characters above U+FFFF (CJK Extension B and beyond, found in
 * people's and places' names) that no face of a role's chain has: every
 * role falls back to them last.  Opened on first need. */
static const char *const astral_families[] = {"HanaMinB", "HanaMinA",
                                              "BabelStone Han", NULL};
#define MAX_ASTRAL 4

/* The Debian package of each free family, for the error message. */
static const struct {
  const char *family, *package;
} free_packages[] = {{"AR PL SungtiL GB", "fonts-arphic-gbsn00lp"},
                     {"AR PL KaitiM GB", "fonts-arphic-gkai00mp"},
                     {"AR PL UMing CN", "fonts-arphic-uming"},
                     {"WenQuanYi Zen Hei", "fonts-wqy-zenhei"},
                     {"HanaMinB", "fonts-hanazono"}};

/* ---- types -------------------------------------------------------------- */

/* One cached lookup.  state: 0 unknown, 1 found, 2 missing. */
typedef struct entry {
  uint16_t face, gid, advance;
  uint8_t state;
} entry;

typedef struct hi_slot {
  uint32_t cp; /* 0: empty (every key is above U+FFFF) */
  entry e;
} hi_slot;

typedef struct role {
  char *name;
  uint16_t *chain;
  int n;
  entry *pages[256];
  hi_slot *hi;
  size_t hi_cap, hi_used;
} role;

typedef struct face {
  zp_face_info info;
  FT_Face ft;
  void *map; /* the file, mapped; FreeType and hb-subset read it */
  size_t map_size;
  uint8_t *gstate;   /* by gid: G_UNCHECKED, G_SOUND, G_DAMAGED, G_BLANK */
  bool broken;       /* a damaged glyph was found: skipped from then on */
  bool warned_blank; /* about a blank glyph for a character with ink */
  bool counted;      /* hanzi, gb2312, cmap_size computed */
  int16_t (*ink)[2]; /* per gid: ink extent (zp_font_ink), or INK_UNKNOWN /
                        INK_NONE in [0]; allocated on first use */
  hb_face_t *prep;   /* the face kept for subsetting, when asked */
  bool prepped;      /* prep is hb-subset's preprocessed form */
  unsigned nsub;     /* subsets made */
  hb_set_t *drop;    /* the tables a subset drops, found at the first one */
} face;

#define INK_UNKNOWN INT16_MIN
#define INK_NONE INT16_MAX

/* GB2312 hanzi as a bitmap over U+4E00..U+9FFF, computed on first use. */
#define HAN_FIRST 0x4E00u
#define HAN_LAST 0x9FFFu
typedef struct gbset {
  bool done, ok;
  unsigned count;
  uint8_t bits[(HAN_LAST - HAN_FIRST + 1 + 7) / 8];
} gbset;

struct zp_fontset {
  FcConfig *fc;
  FT_Library ft;
  char **user_dirs; /* absolute, resolved; NULL-terminated */
  face **faces;
  int nfaces, capfaces;
  role **roles;
  int nroles, caproles;
  char **rejected; /* "file#index" of faces that cannot be used */
  int nrejected, caprejected;
  gbset *gb;
  zp_diag *d;             /* for warnings found while looking glyphs up */
  int astral[MAX_ASTRAL]; /* faces of astral_families found */
  int nastral;
  bool astral_done; /* looked for */
  bool keep_prep;   /* keep each face's subsetting preparation */
  bool keep_names;  /* subsets keep the 'name' table */
};

/* ---- small helpers ------------------------------------------------------ */

/* Reports running out of memory. */
static void oom(zp_diag *d) { zp_error(d, NOLOC, "out of memory"); }

static char *xstrdup(const char *s) {
  size_t n = strlen(s) + 1;
  char *p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

static int to_milli(long v, unsigned upem) {
  if (upem == 0)
    return 0;
  long long n = (long long)v * 1000;
  long long h = upem / 2;
  return (int)(n >= 0 ? (n + h) / upem : -((-n + h) / upem));
}

static uint16_t advance_of(const face *f, unsigned gid) {
  FT_Fixed adv = 0;
  if (FT_Get_Advance(f->ft, gid, FT_LOAD_NO_SCALE, &adv) != 0)
    return 0;
  int m = to_milli((long)adv, f->info.units_per_em);
  return (uint16_t)(m < 0 ? 0 : m > 65535 ? 65535 : m);
}

/* Grows *arr (of elem-sized items) so that it holds at least need. */
static bool grow(void *arr, int *cap, int need, size_t elem) {
  if (need <= *cap)
    return true;
  int nc = *cap ? *cap * 2 : 8;
  while (nc < need)
    nc *= 2;
  void *p = realloc(*(void **)arr, (size_t)nc * elem);
  if (!p)
    return false;
  *(void **)arr = p;
  *cap = nc;
  return true;
}

/* ---- font set ----------------------------------------------------------- */

#define MAX_DIR_DEPTH 8
#define MAX_DIR_ENTRIES 20000
#define MAX_DIR_WARNINGS 10

/* A walk over a user font directory's tree. */
typedef struct walk {
  zp_diag *d;
  int budget; /* entries left to look at */
  int warned; /* files warned about */
} walk;

/* Warns that path is left out (at most MAX_DIR_WARNINGS times a walk). */
static void skip_warn(walk *w, const char *path, const char *why) {
  if (w->warned++ < MAX_DIR_WARNINGS)
    zp_warn(w->d, FLOC(path), "not a font file: %s; skipped", why);
}

/* Looks at each entry of the tree under dir as fontconfig's scan would (it
 * skips names starting with a dot) and calls add (when not NULL) with each
 * regular file that may be a font.  Returns true when the tree holds
 * something fontconfig must not open: a FIFO, a device or a socket (it
 * would block), an empty file (an empty file is no font, and some, as in
 * /proc, block when read), or more than MAX_DIR_ENTRIES entries; each is
 * warned about when add is not NULL (the second walk). */
static bool walk_dir(walk *w, const char *dir, int depth, zp_fontset *fs,
                     bool add) {
  bool found = false;
  DIR *dp = depth < MAX_DIR_DEPTH ? opendir(dir) : NULL;
  if (!dp)
    return false;
  struct dirent *e;
  while ((e = readdir(dp)) != NULL) {
    if (e->d_name[0] == '.')
      continue;
    if (w->budget-- <= 0) {
      if (add && w->budget == -1)
        zp_warn(w->d, FLOC(dir),
                "font directory tree too large: only its first %d entries "
                "are used",
                MAX_DIR_ENTRIES);
      found = true;
      break;
    }
    char path[PATH_MAX];
    struct stat st;
    if (snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >=
            (int)sizeof path ||
        stat(path, &st) != 0)
      continue; /* fontconfig cannot open it either */
    if (S_ISDIR(st.st_mode)) {
      found |= walk_dir(w, path, depth + 1, fs, add);
    } else if (!S_ISREG(st.st_mode)) {
      char why[64];
      snprintf(why, sizeof why, "it is %s", zp_file_kind(st.st_mode));
      if (add)
        skip_warn(w, path, why);
      found = true;
    } else if (st.st_size == 0) {
      if (add)
        skip_warn(w, path, "it is empty");
      found = true;
    } else if (add) {
      FcConfigAppFontAddFile(fs->fc, (const FcChar8 *)path);
    }
  }
  closedir(dp);
  return found;
}

/* Adds a user font directory (absolute) to the configuration: as a
 * directory (scanned by fontconfig, with its cache) when it holds only
 * regular font-sized files and directories, else file by file, leaving
 * out (with a warning) what fontconfig would block on. */
static void add_user_dir(zp_fontset *fs, const char *dir, const char *given,
                         zp_diag *d) {
  walk w = {d, MAX_DIR_ENTRIES, 0};
  if (walk_dir(&w, dir, 0, fs, false)) {
    w = (walk){d, MAX_DIR_ENTRIES, 0};
    walk_dir(&w, dir, 0, fs, true);
    if (w.warned > MAX_DIR_WARNINGS)
      zp_warn(d, FLOC(given), "%d more files of this font directory skipped",
              w.warned - MAX_DIR_WARNINGS);
  } else if (!FcConfigAppFontAddDir(fs->fc, (const FcChar8 *)dir)) {
    zp_warn(d, FLOC(given), "fontconfig cannot read this font directory");
  }
}

/* fontconfig's system configuration parses some forty files of XML on every
 * start (about a quarter of a small render's time).  Family lookups
 * (FcFontList) need only the font directories and the caches, so unless
 * the user points fontconfig at a configuration of their own
 * ($FONTCONFIG_FILE or $FONTCONFIG_PATH), a built-in one with Debian's
 * default directories and cache directories is loaded instead. */
static const char minimal_fc_conf[] =
    "<?xml version=\"1.0\"?>\n"
    "<!DOCTYPE fontconfig SYSTEM \"urn:fontconfig:fonts.dtd\">\n"
    "<fontconfig>\n"
    "  <dir>/usr/share/fonts</dir>\n"
    "  <dir>/usr/local/share/fonts</dir>\n"
    "  <dir prefix=\"xdg\">fonts</dir>\n"
    "  <dir>~/.fonts</dir>\n"
    "  <cachedir>/var/cache/fontconfig</cachedir>\n"
    "  <cachedir prefix=\"xdg\">fontconfig</cachedir>\n"
    "  <cachedir>~/.fontconfig</cachedir>\n"
    "</fontconfig>\n";

/* The configuration to search: the built-in one, or the user's own.  NULL
 * on failure. */
static FcConfig *load_config(void) {
  const char *file = getenv("FONTCONFIG_FILE"),
             *path = getenv("FONTCONFIG_PATH");
  if ((file && *file) || (path && *path))
    return FcInitLoadConfigAndFonts();
  FcConfig *c = FcConfigCreate();
  if (!c)
    return NULL;
  if (!FcConfigParseAndLoadFromMemory(c, (const FcChar8 *)minimal_fc_conf,
                                      FcTrue) ||
      !FcConfigBuildFonts(c)) {
    FcConfigDestroy(c);
    return NULL;
  }
  return c;
}

zp_fontset *zp_fontset_new(const char *const *user_dirs, zp_diag *d) {
  zp_fontset *fs = calloc(1, sizeof *fs);
  size_t n = 0;
  if (!fs) {
    oom(d);
    goto fail;
  }
  fs->d = d;
  fs->gb = calloc(1, sizeof *fs->gb);
  while (user_dirs && user_dirs[n])
    n++;
  fs->user_dirs = calloc(n + 1, sizeof *fs->user_dirs);
  if (!fs->gb || !fs->user_dirs) {
    oom(d);
    goto fail;
  }
  if (FT_Init_FreeType(&fs->ft) != 0) {
    fs->ft = NULL;
    zp_error(d, NOLOC, "cannot initialise FreeType");
    goto fail;
  }
  fs->fc = load_config();
  if (!fs->fc) {
    zp_error(d, NOLOC, "cannot load the fontconfig configuration");
    goto fail;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char *dir = realpath(user_dirs[i], NULL);
    if (!dir) {
      zp_warn(d, FLOC(user_dirs[i]), "font directory skipped: %s",
              strerror(errno));
      continue;
    }
    bool dup = false;
    for (size_t j = 0; j < k; j++)
      dup |= strcmp(fs->user_dirs[j], dir) == 0;
    if (dup) {
      free(dir);
      continue;
    }
    fs->user_dirs[k++] = dir;
    add_user_dir(fs, dir, user_dirs[i], d);
  }
  return fs;
fail:
  zp_fontset_free(fs);
  return NULL;
}

static void role_clear_cache(role *r) {
  for (int i = 0; i < 256; i++) {
    free(r->pages[i]);
    r->pages[i] = NULL;
  }
  free(r->hi);
  r->hi = NULL;
  r->hi_cap = r->hi_used = 0;
}

void zp_fontset_free(zp_fontset *fs) {
  if (!fs)
    return;
  for (int i = 0; i < fs->nroles; i++) {
    role *r = fs->roles[i];
    role_clear_cache(r);
    free(r->chain);
    free(r->name);
    free(r);
  }
  free(fs->roles);
  for (int i = 0; i < fs->nfaces; i++) {
    face *f = fs->faces[i];
    if (f->ft)
      FT_Done_Face(f->ft);
    hb_face_destroy(f->prep);
    hb_set_destroy(f->drop);
    if (f->map)
      munmap(f->map, f->map_size);
    free(f->gstate);
    free(f->ink);
    free((char *)f->info.family);
    free((char *)f->info.style);
    free((char *)f->info.psname);
    free((char *)f->info.file);
    free(f);
  }
  free(fs->faces);
  for (int i = 0; i < fs->nrejected; i++)
    free(fs->rejected[i]);
  free(fs->rejected);
  if (fs->user_dirs)
    for (int i = 0; fs->user_dirs[i]; i++)
      free(fs->user_dirs[i]);
  free(fs->user_dirs);
  if (fs->ft)
    FT_Done_FreeType(fs->ft);
  if (fs->fc)
    FcConfigDestroy(fs->fc);
  free(fs->gb);
  free(fs);
}

/* ---- opening faces ------------------------------------------------------ */

/* The rank of the first user directory holding file (0 for the first
 * directory given), or INT_MAX when file is not in any. */
static int user_rank(const zp_fontset *fs, const char *file) {
  for (int i = 0; fs->user_dirs[i]; i++) {
    size_t n = strlen(fs->user_dirs[i]);
    if (strncmp(file, fs->user_dirs[i], n) == 0 &&
        (file[n] == '/' || (n > 0 && fs->user_dirs[i][n - 1] == '/')))
      return i;
  }
  return INT_MAX;
}

/* A PostScript name usable as a PDF name: printable ASCII, no spaces or
 * delimiters. */
static bool ps_name_ok(const char *s) {
  if (!s || !*s || strlen(s) > 63)
    return false;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if (*p <= 32 || *p >= 127 || strchr("()<>[]{}/%#", *p))
      return false;
  return true;
}

/* An ASCII name from the file's base name (and the index in a collection). */
static char *synth_ps_name(const char *file, int index) {
  const char *base = strrchr(file, '/');
  base = base ? base + 1 : file;
  const char *dot = strrchr(base, '.');
  size_t len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
  char *out = malloc(len + 24);
  if (!out)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)base[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || ((c == '-' || c == '_') && k > 0))
      out[k++] = (char)c;
  }
  while (k > 0 && (out[k - 1] == '-' || out[k - 1] == '_'))
    k--;
  if (k == 0) {
    memcpy(out, "ZPFont", 6);
    k = 6;
  }
  if (index > 0)
    k += (size_t)sprintf(out + k, "-%d", index);
  out[k] = 0;
  return out;
}

static bool rejected(const zp_fontset *fs, const char *key) {
  for (int i = 0; i < fs->nrejected; i++)
    if (strcmp(fs->rejected[i], key) == 0)
      return true;
  return false;
}

static void reject(zp_fontset *fs, const char *key) {
  char *k = xstrdup(key);
  if (!k || !grow(&fs->rejected, &fs->caprejected, fs->nrejected + 1,
                  sizeof *fs->rejected)) {
    free(k);
    return;
  }
  fs->rejected[fs->nrejected++] = k;
}

/* Fills the metrics of f->info from FreeType (OS/2 when present). */
static void face_metrics(face *f) {
  FT_Face ft = f->ft;
  zp_face_info *in = &f->info;
  unsigned upem = ft->units_per_EM ? ft->units_per_EM : 1000;
  in->units_per_em = upem;
  in->num_glyphs = (unsigned)ft->num_glyphs;
  in->bold = (ft->style_flags & FT_STYLE_FLAG_BOLD) != 0;
  long asc = ft->ascender, desc = ft->descender, cap = 0;
  TT_OS2 *os2 = FT_Get_Sfnt_Table(ft, FT_SFNT_OS2);
  if (os2 && os2->version != 0xFFFFu) {
    if (os2->sTypoAscender != 0 || os2->sTypoDescender != 0) {
      asc = os2->sTypoAscender;
      desc = os2->sTypoDescender;
    }
    if (os2->version >= 2 && os2->sCapHeight > 0)
      cap = os2->sCapHeight;
  }
  if (cap == 0) {
    FT_UInt g = FT_Get_Char_Index(ft, 'H');
    if (g && FT_Load_Glyph(ft, g, FT_LOAD_NO_SCALE) == 0)
      cap = ft->glyph->metrics.horiBearingY;
    else
      cap = asc;
  }
  in->ascent = to_milli(asc, upem);
  in->descent = to_milli(desc, upem);
  in->cap_height = to_milli(cap, upem);
  in->bbox[0] = to_milli(ft->bbox.xMin, upem);
  in->bbox[1] = to_milli(ft->bbox.yMin, upem);
  in->bbox[2] = to_milli(ft->bbox.xMax, upem);
  in->bbox[3] = to_milli(ft->bbox.yMax, upem);
}

/* ---- is a face sound? ---------------------------------------------------- */

/* Does cp normally have ink and an advance?  Not spaces, controls, format
 * characters or combining marks, whose glyphs may be empty. */
static bool expect_ink(uint32_t cp) {
  return cp > 0x20 && !(cp >= 0x7F && cp <= 0xA0) && cp != 0xAD &&
         !(cp >= 0x300 && cp <= 0x36F) && !(cp >= 0x1AB0 && cp <= 0x1AFF) &&
         !(cp >= 0x1DC0 && cp <= 0x1DFF) && !(cp >= 0x2000 && cp <= 0x206F) &&
         !(cp >= 0x20D0 && cp <= 0x20FF) && cp != 0x3000 &&
         !(cp >= 0x302A && cp <= 0x302F) && cp != 0x3099 && cp != 0x309A &&
         !(cp >= 0xFE00 && cp <= 0xFE0F) && !(cp >= 0xFE20 && cp <= 0xFE2F) &&
         cp != 0xFEFF && !(cp >= 0xE0000 && cp <= 0xE0FFF) && cp != 0x2800 &&
         cp != 0x3164 && cp != 0x115F && cp != 0x1160 &&
         cp != 0xFFA0; /* blank by design: braille blank, Hangul fillers */
}

/* What loading a glyph's outline found (face.gstate). */
enum { G_UNCHECKED, G_SOUND, G_DAMAGED, G_BLANK };

/* Checks glyph gid of ft by loading its outline: G_SOUND; G_DAMAGED (it
 * does not load, or its advance or points are far out of range: the face
 * is damaged); or G_BLANK (it loads but is empty or has no advance: wrong
 * for a character with ink, see expect_ink).  *why: what is wrong (a
 * static string). */
static int glyph_check(FT_Face ft, unsigned gid, const char **why) {
  if (FT_Load_Glyph(ft, gid,
                    FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                        FT_LOAD_IGNORE_TRANSFORM | FT_LOAD_NO_BITMAP) != 0) {
    *why = "FreeType cannot load its outline";
    return G_DAMAGED;
  }
  FT_GlyphSlot g = ft->glyph;
  long limit = 8L * (ft->units_per_EM ? ft->units_per_EM : 1000);
  if (g->format != FT_GLYPH_FORMAT_OUTLINE) {
    *why = "it is not an outline";
    return G_DAMAGED;
  }
  if (g->metrics.horiAdvance > limit || g->metrics.horiAdvance < 0) {
    *why = "its advance is out of range";
    return G_DAMAGED;
  }
  for (int i = 0; i < g->outline.n_points; i++)
    if (labs(g->outline.points[i].x) > limit ||
        labs(g->outline.points[i].y) > limit) {
      *why = "its outline lies far outside the em square";
      return G_DAMAGED;
    }
  if (g->outline.n_points == 0 || g->outline.n_contours == 0) {
    *why = "its outline is empty";
    return G_BLANK;
  }
  if (g->metrics.horiAdvance == 0) {
    *why = "its advance is zero";
    return G_BLANK;
  }
  *why = NULL;
  return G_SOUND;
}

/* Characters whose glyphs are checked when a face is opened (those the
 * face has): common hanzi, digits, Latin letters, punctuation. */
static const uint32_t probe_cps[] = {
    0x7684, 0x4E00, 0x662F, 0x4E0D, 0x4E86, 0x4EBA, 0x5728, 0x6709,
    0x4E2D, 0x56FD, 0x5E74, 0x90E8, 0x9884, 0x7B97, 0x7EE9, 0x6548,
    0x8BC4, 0x4EF7, 0x91D1, 0x989D, 0x9F98, 0x3001, 0x3002, 0xFF0C,
    '0',    '5',    '9',    'A',    'Z',    'a',    'z',    '%'};

/* Subsets hf to the glyphs g < n with want[g] set, dropping the tables in
 * drop, mapping in the subset's cmap each cps[i] (ncps of them, may be 0)
 * whose glyph in ft is gids[i], and checks the result (every table a
 * TrueType font needs is there, and not empty).  Returns the subset face
 * (the caller destroys it) and fills new_gid (n entries, may be NULL: the
 * subset gid of each kept glyph, 0 for the others), or returns NULL with
 * why set. */
static hb_face_t *run_subset(hb_face_t *hf, const hb_set_t *drop,
                             const uint8_t *want, unsigned n,
                             const uint16_t *gids, const uint32_t *cps,
                             size_t ncps, FT_Face ft, uint16_t *new_gid,
                             const char **why);
static const char *trial_subset(const void *data, size_t size, int index,
                                const uint8_t *want, unsigned n);

/* Is the face sound enough to be used?  Checks its metrics and character
 * map, the glyphs of the probe characters, that HarfBuzz reads it as
 * FreeType does, and (trial) that hb-subset can cut it down.  NULL when it
 * is, else what is wrong (a static string, or buf). */
static const char *face_fault(FT_Face ft, const void *data, size_t size,
                              int index, bool trial, char *buf,
                              size_t bufsize) {
  if (ft->units_per_EM < 16 || ft->units_per_EM > 16384)
    return "its units per em are out of range (damaged 'head' table)";
  if (ft->num_glyphs < 1)
    return "it has no glyphs (damaged 'maxp' table)";
  FT_UInt g0 = 0;
  if (FT_Select_Charmap(ft, FT_ENCODING_UNICODE) != 0 ||
      (FT_Get_First_Char(ft, &g0), g0 == 0))
    return "it has no usable Unicode character map (damaged 'cmap' table)";
  unsigned ng = (unsigned)ft->num_glyphs;
  if (ng > 65536)
    ng = 65536;
  uint8_t *w = calloc(ng, 1);
  if (!w)
    return "out of memory";
  w[0] = 1;
  const char *why = NULL;
  for (size_t i = 0; i < sizeof probe_cps / sizeof *probe_cps && !why; i++) {
    FT_UInt g = FT_Get_Char_Index(ft, probe_cps[i]);
    if (g == 0 || g >= ng)
      continue;
    if (glyph_check(ft, g, &why) == G_SOUND)
      why = NULL;
    if (why) {
      snprintf(buf, bufsize, "glyph %u (U+%04X): %s", g, (unsigned)probe_cps[i],
               why);
      why = buf;
    }
    w[g] = 1;
  }
  /* HarfBuzz must read the face as FreeType does (its sanitizer rejects
   * a damaged 'head' or 'maxp' table); a user's face is also cut down for
   * a trial (installed faces come from packages, and the trial costs about
   * a millisecond a face) */
  if (!why) {
    hb_blob_t *blob =
        hb_blob_create((const char *)data, size > UINT_MAX ? 0 : (unsigned)size,
                       HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_t *hf = hb_face_create(blob, (unsigned)index);
    if (hb_face_get_upem(hf) != ft->units_per_EM)
      why = "its 'head' table is damaged";
    else if (hb_face_get_glyph_count(hf) != (unsigned)ft->num_glyphs)
      why = "its 'maxp' table is damaged";
    hb_face_destroy(hf);
    hb_blob_destroy(blob);
  }
  if (!why && trial) {
    why = trial_subset(data, size, index, w, ng);
  }
  free(w);
  return why;
}

/* Returns the index of the face file#index in the set, opening it if
 * needed; -1 when it cannot be used (warned once per font set). */
static int open_face(zp_fontset *fs, const char *file, int index,
                     const char *family, const char *style, zp_diag *d) {
  for (int i = 0; i < fs->nfaces; i++)
    if (fs->faces[i]->info.index == index &&
        strcmp(fs->faces[i]->info.file, file) == 0)
      return i;
  char key[PATH_MAX + 32];
  snprintf(key, sizeof key, "%s#%d", file, index);
  if (rejected(fs, key))
    return -1;
  int rc = -1;
  FT_Face ft = NULL;
  face *f = NULL;
  void *map = NULL;
  size_t map_size = 0;
  if (fs->nfaces >= UINT16_MAX) {
    zp_error(d, FLOC(file), "too many font faces");
    goto done;
  }
  /* a regular file only, opened without blocking, and mapped once */
  int fd = zp_file_open(file, "font file", NOLOC, NULL);
  struct stat st;
  if (fd < 0 || fstat(fd, &st) != 0 || st.st_size <= 0 ||
      (uintmax_t)st.st_size > SIZE_MAX ||
      (map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0)) ==
          MAP_FAILED) {
    const char *kind = NULL;
    int e = errno;
    if (stat(file, &st) == 0)
      kind = zp_file_kind(st.st_mode);
    zp_warn(d, FLOC(file), "font file skipped: %s%s", kind ? "it is " : "",
            kind                         ? kind
            : fd >= 0 && st.st_size == 0 ? "it is empty"
                                         : strerror(e));
    map = NULL;
    if (fd >= 0)
      close(fd);
    reject(fs, key);
    goto done;
  }
  map_size = (size_t)st.st_size;
  close(fd);
  if (FT_New_Memory_Face(fs->ft, map, (FT_Long)map_size, index, &ft) != 0) {
    ft = NULL;
    zp_warn(d, FLOC(file),
            "font face #%d cannot be opened by FreeType; skipped", index);
    reject(fs, key);
    goto done;
  }
  FT_ULong len = 0;
  if (!FT_IS_SFNT(ft) ||
      FT_Load_Sfnt_Table(ft, TTAG_glyf, 0, NULL, &len) != 0) {
    zp_warn(d, FLOC(file),
            "font \"%s\" has no TrueType outlines (CFF-flavoured OpenType or "
            "not an sfnt): it cannot be embedded, skipped; use a TrueType "
            "(.ttf/.ttc) file",
            family);
    reject(fs, key);
    goto done;
  }
  char why[160];
  const char *fault =
      face_fault(ft, map, map_size, index, user_rank(fs, file) != INT_MAX, why,
                 sizeof why);
  if (fault) {
    zp_warn(d, FLOC(file),
            "font face #%d (%s) cannot be used: %s; skipped, its roles fall "
            "back to their next face",
            index, family, fault);
    reject(fs, key);
    goto done;
  }
  /* the checks touched pages all over the file: give them back (a clean
   * file mapping; what FreeType needs later is read again) */
  madvise(map, map_size, MADV_DONTNEED);
  f = calloc(1, sizeof *f);
  if (!f ||
      !grow(&fs->faces, &fs->capfaces, fs->nfaces + 1, sizeof *fs->faces)) {
    oom(d);
    goto done;
  }
  f->ft = ft;
  f->map = map;
  f->map_size = map_size;
  f->info.index = index;
  f->info.user = user_rank(fs, file) != INT_MAX;
  f->info.family = xstrdup(family);
  f->info.style = xstrdup(style ? style : "Regular");
  f->info.file = xstrdup(file);
  const char *ps = FT_Get_Postscript_Name(ft);
  f->info.psname = ps_name_ok(ps) ? xstrdup(ps) : synth_ps_name(file, index);
  if (!f->info.family || !f->info.style || !f->info.file || !f->info.psname) {
    oom(d);
    goto done;
  }
  f->gstate = calloc(ft->num_glyphs > 0 ? (size_t)ft->num_glyphs : 1, 1);
  if (!f->gstate) {
    oom(d);
    goto done;
  }
  face_metrics(f);
  fs->faces[fs->nfaces] = f;
  rc = fs->nfaces++;
  f = NULL;
  ft = NULL;
  map = NULL;
  goto done;
done:
  if (f) {
    free(f->gstate);
    free((char *)f->info.family);
    free((char *)f->info.style);
    free((char *)f->info.file);
    free((char *)f->info.psname);
    free(f);
  }
  if (ft)
    FT_Done_Face(ft);
  if (map)
    munmap(map, map_size);
  return rc;
}

typedef struct cand {
  const char *file, *family, *style;
  int index, weight, slant;
  int user; /* user_rank() */
} cand;

/* Order: user directories first (in the order given), then the face closest to
 * a regular upright weight, then by file and index (deterministic). */
static int cand_cmp(const void *a, const void *b) {
  const cand *x = a, *y = b;
  if (x->user != y->user)
    return x->user < y->user ? -1 : 1;
  if ((x->slant != 0) != (y->slant != 0))
    return x->slant ? 1 : -1;
  int dx = abs(x->weight - FC_WEIGHT_REGULAR);
  int dy = abs(y->weight - FC_WEIGHT_REGULAR);
  if (dx != dy)
    return dx < dy ? -1 : 1;
  int c = strcmp(x->file, y->file);
  if (c)
    return c;
  return (x->index > y->index) - (x->index < y->index);
}

/* Finds and opens the best face of family; -1 when none (errors only on
 * out of memory, warnings for unusable files). */
static int find_family(zp_fontset *fs, const char *family, zp_diag *d) {
  int rc = -1;
  FcPattern *pat = FcPatternCreate();
  FcObjectSet *os = FcObjectSetBuild(FC_FAMILY, FC_STYLE, FC_FILE, FC_INDEX,
                                     FC_WEIGHT, FC_SLANT, (char *)NULL);
  FcFontSet *set = NULL;
  cand *c = NULL;
  if (!pat || !os ||
      !FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family))
    goto done;
  set = FcFontList(fs->fc, pat, os);
  if (!set || set->nfont == 0)
    goto done;
  c = calloc((size_t)set->nfont, sizeof *c);
  if (!c)
    goto done;
  int n = 0;
  for (int i = 0; i < set->nfont; i++) {
    FcPattern *p = set->fonts[i];
    FcChar8 *s = NULL, *file = NULL, *fam0 = NULL;
    bool match = false;
    for (int k = 0; FcPatternGetString(p, FC_FAMILY, k, &s) == FcResultMatch;
         k++) {
      if (k == 0)
        fam0 = s;
      match |= strcasecmp((const char *)s, family) == 0;
    }
    if (!match || FcPatternGetString(p, FC_FILE, 0, &file) != FcResultMatch)
      continue;
    cand *x = &c[n];
    x->file = (const char *)file;
    x->family = (const char *)fam0;
    x->style = NULL;
    if (FcPatternGetString(p, FC_STYLE, 0, &s) == FcResultMatch)
      x->style = (const char *)s;
    if (FcPatternGetInteger(p, FC_INDEX, 0, &x->index) != FcResultMatch)
      x->index = 0;
    if (x->index < 0 || x->index > 0xFFFF) /* named variable instances */
      continue;
    if (FcPatternGetInteger(p, FC_WEIGHT, 0, &x->weight) != FcResultMatch)
      x->weight = FC_WEIGHT_REGULAR;
    if (FcPatternGetInteger(p, FC_SLANT, 0, &x->slant) != FcResultMatch)
      x->slant = FC_SLANT_ROMAN;
    x->user = user_rank(fs, x->file);
    n++;
  }
  qsort(c, (size_t)n, sizeof *c, cand_cmp);
  for (int i = 0; i < n && rc < 0; i++)
    rc = open_face(fs, c[i].file, c[i].index, c[i].family, c[i].style, d);
done:
  free(c);
  if (set)
    FcFontSetDestroy(set);
  if (os)
    FcObjectSetDestroy(os);
  if (pat)
    FcPatternDestroy(pat);
  return rc;
}

/* ---- roles -------------------------------------------------------------- */

int zp_font_role(zp_fontset *fs, const char *name, const char *const *families,
                 zp_diag *d) {
  int rc = -1;
  int nfam = 0;
  uint16_t *chain = NULL;
  role *r = NULL;
  while (families && families[nfam])
    nfam++;
  chain = malloc(((size_t)nfam + 1) * sizeof *chain);
  if (!chain) {
    oom(d);
    goto done;
  }
  int n = 0;
  for (int i = 0; i < nfam; i++) {
    int f = find_family(fs, families[i], d);
    if (f < 0)
      continue;
    bool dup = false;
    for (int k = 0; k < n; k++)
      dup |= chain[k] == f;
    if (!dup)
      chain[n++] = (uint16_t)f;
  }
  if (n == 0) {
    char list[1536];
    size_t used = 0;
    list[0] = 0;
    for (int i = 0; i < nfam && used < sizeof list; i++)
      used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                               i ? ", " : "", families[i]);
    if (nfam == 0)
      snprintf(list, sizeof list, "(no family given)");
    const char *pkg = NULL;
    for (int i = 0; i < nfam && !pkg; i++)
      for (size_t k = 0; k < sizeof free_packages / sizeof *free_packages; k++)
        if (strcasecmp(families[i], free_packages[k].family) == 0) {
          pkg = free_packages[k].package;
          break;
        }
    zp_error(d, NOLOC,
             "font role \"%s\": none of %s is installed; put a licensed "
             "TrueType file in fonts/%s%s",
             name, list, pkg ? " or install " : "", pkg ? pkg : "");
    goto done;
  }
  int id = zp_font_role_find(fs, name);
  if (id >= 0) {
    r = fs->roles[id];
    role_clear_cache(r);
    free(r->chain);
    r->chain = chain;
    r->n = n;
    chain = NULL;
    r = NULL;
    rc = id;
    goto done;
  }
  r = calloc(1, sizeof *r);
  if (!r || !(r->name = xstrdup(name)) ||
      !grow(&fs->roles, &fs->caproles, fs->nroles + 1, sizeof *fs->roles)) {
    oom(d);
    goto done;
  }
  r->chain = chain;
  r->n = n;
  chain = NULL;
  fs->roles[fs->nroles] = r;
  r = NULL;
  rc = fs->nroles++;
  goto done;
done:
  if (r) {
    free(r->name);
    free(r);
  }
  free(chain);
  return rc;
}

int zp_font_role_find(const zp_fontset *fs, const char *name) {
  for (int i = 0; i < fs->nroles; i++)
    if (strcmp(fs->roles[i]->name, name) == 0)
      return i;
  return -1;
}

int zp_font_role_count(const zp_fontset *fs) { return fs->nroles; }

const char *zp_font_role_name(const zp_fontset *fs, int role) {
  if (role < 0 || role >= fs->nroles)
    return NULL;
  return fs->roles[role]->name;
}

int zp_font_role_chain(const zp_fontset *fs, int role, const uint16_t **faces) {
  if (role < 0 || role >= fs->nroles) {
    *faces = NULL;
    return 0;
  }
  *faces = fs->roles[role]->chain;
  return fs->roles[role]->n;
}

/* ---- glyph lookup ------------------------------------------------------- */

/* Is glyph g of face f sound for cp?  Checked once per glyph.  The first
 * damaged glyph marks the face broken, with a warning (its later lookups
 * fall back); a blank glyph for a character with ink falls back alone
 * (warned once per face). */
static bool glyph_sound(zp_fontset *fs, face *f, unsigned g, uint32_t cp) {
  if (g >= f->info.num_glyphs)
    return false;
  const char *why = NULL;
  if (f->gstate[g] == G_UNCHECKED)
    f->gstate[g] = (uint8_t)glyph_check(f->ft, g, &why);
  else if (f->gstate[g] != G_SOUND)
    glyph_check(f->ft, g, &why); /* again, for the message */
  if (f->gstate[g] == G_DAMAGED && !f->broken) {
    f->broken = true;
    zp_warn(fs->d, FLOC(f->info.file),
            "font face #%d (%s) is damaged: glyph %u (U+%04X): %s; the face "
            "is skipped from here on, its roles fall back to their next face",
            f->info.index, f->info.family, g, (unsigned)cp, why);
  }
  if (f->gstate[g] == G_BLANK && expect_ink(cp)) {
    if (!f->warned_blank)
      zp_warn(fs->d, FLOC(f->info.file),
              "font face #%d (%s) has a blank glyph %u (U+%04X): %s; such "
              "characters are set from the role's next face",
              f->info.index, f->info.family, g, (unsigned)cp, why);
    f->warned_blank = true;
    return false;
  }
  return f->gstate[g] != G_DAMAGED;
}

/* Finds the faces of astral_families, once. */
static void open_astral(zp_fontset *fs) {
  if (fs->astral_done)
    return;
  fs->astral_done = true;
  for (int i = 0; astral_families[i] && fs->nastral < MAX_ASTRAL; i++) {
    int f = find_family(fs, astral_families[i], fs->d);
    if (f >= 0)
      fs->astral[fs->nastral++] = f;
  }
}

int zp_font_astral_faces(zp_fontset *fs, const int **faces) {
  open_astral(fs);
  *faces = fs->astral;
  return fs->nastral;
}

static entry resolve(zp_fontset *fs, const role *r, uint32_t cp) {
  for (int k = 0; k < r->n; k++) {
    face *f = fs->faces[r->chain[k]];
    if (f->broken)
      continue;
    FT_UInt g = FT_Get_Char_Index(f->ft, cp);
    if (g != 0 && g <= UINT16_MAX && glyph_sound(fs, f, g, cp))
      return (entry){r->chain[k], (uint16_t)g, advance_of(f, g), 1};
  }
  /* above the BMP: the supplementary-plane faces */
  if (cp > 0xFFFF) {
    open_astral(fs);
    for (int k = 0; k < fs->nastral; k++) {
      face *f = fs->faces[fs->astral[k]];
      FT_UInt g = f->broken ? 0 : FT_Get_Char_Index(f->ft, cp);
      if (g != 0 && g <= UINT16_MAX && glyph_sound(fs, f, g, cp))
        return (entry){(uint16_t)fs->astral[k], (uint16_t)g, advance_of(f, g),
                       1};
    }
  }
  /* none: the .notdef of the first sound face */
  int k = 0;
  while (k + 1 < r->n && fs->faces[r->chain[k]]->broken)
    k++;
  const face *f = fs->faces[r->chain[k]];
  return (entry){r->chain[k], 0, advance_of(f, 0), 2};
}

static uint32_t hi_hash(uint32_t cp) { return cp * 2654435761u; }

/* The cache slot of cp (BMP page entry or high table slot); NULL when out of
 * memory. */
static entry *cache_slot(role *r, uint32_t cp) {
  if (cp <= 0xFFFF) {
    entry **pg = &r->pages[cp >> 8];
    if (!*pg && !(*pg = calloc(256, sizeof **pg)))
      return NULL;
    return &(*pg)[cp & 0xFF];
  }
  if (r->hi_used * 2 >= r->hi_cap) {
    size_t nc = r->hi_cap ? r->hi_cap * 2 : 16;
    hi_slot *t = calloc(nc, sizeof *t);
    if (!t)
      return NULL;
    for (size_t i = 0; i < r->hi_cap; i++) {
      if (!r->hi[i].cp)
        continue;
      size_t j = hi_hash(r->hi[i].cp) & (nc - 1);
      while (t[j].cp)
        j = (j + 1) & (nc - 1);
      t[j] = r->hi[i];
    }
    free(r->hi);
    r->hi = t;
    r->hi_cap = nc;
  }
  size_t j = hi_hash(cp) & (r->hi_cap - 1);
  while (r->hi[j].cp && r->hi[j].cp != cp)
    j = (j + 1) & (r->hi_cap - 1);
  if (!r->hi[j].cp) {
    r->hi[j].cp = cp;
    r->hi_used++;
  }
  return &r->hi[j].e;
}

bool zp_font_glyph(zp_fontset *fs, int role_id, uint32_t cp, zp_glyph *out) {
  if (role_id < 0 || role_id >= fs->nroles) {
    *out = (zp_glyph){0, 0, 0};
    return false;
  }
  role *r = fs->roles[role_id];
  entry tmp = {0, 0, 0, 0};
  entry *e = cp <= 0x10FFFF ? cache_slot(r, cp) : NULL;
  if (!e) /* not a code point, or out of memory: resolve uncached */
    e = &tmp;
  if (e->state == 0)
    *e = resolve(fs, r, cp);
  *out = (zp_glyph){e->face, e->gid, e->advance};
  return e->state == 1;
}

/* ---- faces and coverage ------------------------------------------------- */

/* Fills the GB2312 hanzi bitmap: EUC-CN rows 0xB0..0xF7, cells 0xA1..0xFE,
 * except 0xD7FA..0xD7FE, converted with iconv. */
static void gb_compute(gbset *gb) {
  gb->done = true;
  iconv_t cd = iconv_open("UTF-32LE", "EUC-CN");
  if (cd == (iconv_t)-1)
    return;
  unsigned count = 0;
  for (unsigned hi = 0xB0; hi <= 0xF7; hi++)
    for (unsigned lo = 0xA1; lo <= 0xFE; lo++) {
      if (hi == 0xD7 && lo >= 0xFA)
        continue;
      char in[2] = {(char)hi, (char)lo};
      unsigned char outb[8];
      char *ip = in, *op = (char *)outb;
      size_t il = 2, ol = sizeof outb;
      if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 || ol != 4) {
        iconv(cd, NULL, NULL, NULL, NULL);
        continue;
      }
      uint32_t u = (uint32_t)outb[0] | (uint32_t)outb[1] << 8 |
                   (uint32_t)outb[2] << 16 | (uint32_t)outb[3] << 24;
      if (u < HAN_FIRST || u > HAN_LAST)
        continue;
      uint32_t b = u - HAN_FIRST;
      if (!(gb->bits[b >> 3] & (1u << (b & 7)))) {
        gb->bits[b >> 3] |= (uint8_t)(1u << (b & 7));
        count++;
      }
    }
  iconv_close(cd);
  gb->count = count;
  gb->ok = count > 0;
}

static void face_count(gbset *gb, face *f) {
  if (!gb->done)
    gb_compute(gb);
  unsigned total = 0, han = 0, g2 = 0;
  FT_UInt gid;
  FT_ULong cp = FT_Get_First_Char(f->ft, &gid);
  while (gid != 0) {
    total++;
    if (cp >= HAN_FIRST && cp <= HAN_LAST) {
      han++;
      uint32_t b = (uint32_t)cp - HAN_FIRST;
      if (gb->ok && (gb->bits[b >> 3] & (1u << (b & 7))))
        g2++;
    }
    cp = FT_Get_Next_Char(f->ft, cp, &gid);
  }
  f->info.cmap_size = total;
  f->info.hanzi = han;
  f->info.gb2312 = g2;
  f->counted = true;
}

int zp_font_face_count(const zp_fontset *fs) { return fs->nfaces; }

const zp_face_info *zp_font_face(const zp_fontset *fs, int i) {
  if (i < 0 || i >= fs->nfaces)
    return NULL;
  return &fs->faces[i]->info;
}

bool zp_font_ink(zp_fontset *fs, int face_id, unsigned gid, int *x0, int *x1) {
  if (face_id < 0 || face_id >= fs->nfaces)
    return false;
  face *f = fs->faces[face_id];
  if (gid >= f->info.num_glyphs)
    return false;
  if (!f->ink) {
    f->ink = malloc((size_t)f->info.num_glyphs * sizeof *f->ink);
    if (!f->ink)
      return false;
    for (unsigned g = 0; g < f->info.num_glyphs; g++)
      f->ink[g][0] = INK_UNKNOWN;
  }
  int16_t *e = f->ink[gid];
  if (e[0] == INK_UNKNOWN) {
    e[0] = INK_NONE;
    FT_Face ft = f->ft;
    if (FT_Load_Glyph(ft, gid,
                      FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING |
                          FT_LOAD_NO_BITMAP) == 0 &&
        ft->glyph->format == FT_GLYPH_FORMAT_OUTLINE &&
        ft->glyph->outline.n_points > 0) {
      FT_BBox box;
      FT_Outline_Get_CBox(&ft->glyph->outline, &box);
      int a = to_milli(box.xMin, f->info.units_per_em);
      int b = to_milli(box.xMax, f->info.units_per_em);
      if (a > -30000 && b < 30000 && a <= b) {
        e[0] = (int16_t)a;
        e[1] = (int16_t)b;
      }
    }
  }
  if (e[0] == INK_NONE)
    return false;
  *x0 = e[0];
  *x1 = e[1];
  return true;
}

const zp_face_info *zp_font_face_coverage(const zp_fontset *fs, int i) {
  if (i < 0 || i >= fs->nfaces)
    return NULL;
  face *f = fs->faces[i];
  if (!f->counted)
    face_count(fs->gb, f);
  return &f->info;
}

bool zp_font_covers(zp_fontset *fs, int i, uint32_t cp) {
  if (i < 0 || i >= fs->nfaces)
    return false;
  return FT_Get_Char_Index(fs->faces[i]->ft, cp) != 0;
}

/* ---- subsetting --------------------------------------------------------- */

/* Tables a PDF CIDFontType2 needs (and cmap, OS/2, post, which some
 * viewers read); every other table is dropped.  The name table too: a PDF
 * names the font itself, and hb-subset writes it differently from a
 * preprocessed face, which would make a worker's bytes differ. */
static const char keep_tables[][5] = {"glyf", "loca", "head", "hhea",
                                      "hmtx", "maxp", "cvt ", "fpgm",
                                      "prep", "cmap", "OS/2", "post"};
/* Of those, the ones a subset must have (a damaged one that hb-subset's
 * sanitizer dropped would embed an unusable font). */
static const char need_tables[][5] = {"glyf", "loca", "head",
                                      "hhea", "hmtx", "maxp"};

void zp_fontset_keep_subset_prep(zp_fontset *fs, bool keep) {
  fs->keep_prep = keep;
}

void zp_fontset_subset_names(zp_fontset *fs, bool keep) {
  fs->keep_names = keep;
}

/* The tables of hf that a subset drops: every one not in keep_tables (but
 * 'name' when names is set).  NULL when out of memory. */
static hb_set_t *tables_to_drop(hb_face_t *hf, bool names) {
  hb_set_t *drop = hb_set_create();
  if (!hb_set_allocation_successful(drop)) {
    hb_set_destroy(drop);
    return NULL;
  }
  hb_tag_t tags[64];
  unsigned total = hb_face_get_table_tags(hf, 0, NULL, NULL);
  for (unsigned start = 0; start < total;) {
    unsigned count = sizeof tags / sizeof *tags;
    hb_face_get_table_tags(hf, start, &count, tags);
    if (count == 0)
      break;
    for (unsigned i = 0; i < count; i++) {
      bool keep = false;
      for (size_t k = 0; k < sizeof keep_tables / sizeof *keep_tables; k++)
        keep |= tags[i] == HB_TAG(keep_tables[k][0], keep_tables[k][1],
                                  keep_tables[k][2], keep_tables[k][3]);
      if (!keep && !(names && tags[i] == HB_TAG('n', 'a', 'm', 'e')))
        hb_set_add(drop, tags[i]);
    }
    start += count;
  }
  return drop;
}

/* An hb face over the bytes of a mapped font file; NULL when out of
 * memory or the file is too large. */
static hb_face_t *face_of_mapping(const void *data, size_t size, int index) {
  if (size > UINT_MAX)
    return NULL;
  hb_blob_t *blob = hb_blob_create_or_fail((const char *)data, (unsigned)size,
                                           HB_MEMORY_MODE_READONLY, NULL, NULL);
  if (!blob)
    return NULL;
  hb_face_t *hf = hb_face_create(blob, (unsigned)index);
  hb_blob_destroy(blob);
  return hf;
}

static hb_face_t *run_subset(hb_face_t *hf, const hb_set_t *drop,
                             const uint8_t *want, unsigned n,
                             const uint16_t *gids, const uint32_t *cps,
                             size_t ncps, FT_Face ft, uint16_t *new_gid,
                             const char **why) {
  hb_face_t *sub = NULL;
  hb_subset_plan_t *plan = NULL;
  hb_subset_input_t *in = hb_subset_input_create_or_fail();
  *why = NULL;
  if (!in) {
    *why = "out of memory";
    goto done;
  }
  hb_set_t *gs = hb_subset_input_glyph_set(in);
  for (unsigned g = 0; g < n; g++)
    if (want[g])
      hb_set_add(gs, g);
  /* the code points of the kept glyphs, so that the subset's cmap maps
   * them (a PDF does not need it, a TrueType loader does) */
  hb_set_t *us = hb_subset_input_unicode_set(in);
  for (size_t i = 0; cps && i < ncps; i++)
    if (cps[i] <= 0x10FFFF && FT_Get_Char_Index(ft, cps[i]) == gids[i])
      hb_set_add(us, cps[i]);
  /* drop every table not needed */
  hb_set_union(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG), drop);
  hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
  plan = hb_subset_plan_create_or_fail(hf, in);
  if (!plan) {
    *why = "hb-subset cannot plan a subset of this face";
    goto done;
  }
  const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);
  sub = hb_subset_plan_execute_or_fail(plan);
  if (!sub) {
    *why = "hb-subset failed on this face";
    goto done;
  }
  unsigned sng = hb_face_get_glyph_count(sub);
  if (sng == 0 || sng > 65535)
    *why = "hb-subset produced a font without glyphs";
  for (size_t k = 0; k < sizeof need_tables / sizeof *need_tables && !*why;
       k++) {
    hb_blob_t *t = hb_face_reference_table(
        sub, HB_TAG(need_tables[k][0], need_tables[k][1], need_tables[k][2],
                    need_tables[k][3]));
    if (hb_blob_get_length(t) == 0)
      *why = "a table it needs is damaged (hb-subset dropped it)";
    hb_blob_destroy(t);
  }
  for (unsigned g = 0; g < n && new_gid && !*why; g++) {
    hb_codepoint_t nw = hb_map_get(map, g);
    new_gid[g] = nw == HB_MAP_VALUE_INVALID || nw >= sng ? 0 : (uint16_t)nw;
  }
done:
  if (*why) {
    hb_face_destroy(sub);
    sub = NULL;
  }
  hb_subset_plan_destroy(plan);
  hb_subset_input_destroy(in);
  return sub;
}

/* A trial subset of the face in data (size bytes, face index) to the
 * glyphs g < n with want[g] set: NULL when hb-subset can cut it down, else
 * why not. */
static const char *trial_subset(const void *data, size_t size, int index,
                                const uint8_t *want, unsigned n) {
  const char *why = "out of memory";
  hb_face_t *hf = face_of_mapping(data, size, index);
  hb_set_t *drop = hf ? tables_to_drop(hf, false) : NULL;
  if (drop) {
    hb_face_t *sub =
        run_subset(hf, drop, want, n, NULL, NULL, 0, NULL, NULL, &why);
    hb_face_destroy(sub);
  }
  hb_set_destroy(drop);
  hb_face_destroy(hf);
  return why;
}

/* Subsets of a face before its preparation is made: preprocessing costs
 * about as much as ten subsets, so a face used by a few reports only is
 * not worth it. */
#define PREP_AFTER 3

/* The hb face to subset face f from: when the set keeps preparations, the
 * face kept open (preprocessed once it has been subset PREP_AFTER times),
 * else a new one in *tmp (the caller destroys it), both over the face's
 * mapped file.  Also fills f->drop from the file's table directory (a
 * preprocessed face does not list its tables).  NULL when memory runs
 * out. */
static hb_face_t *subset_source(const zp_fontset *fs, face *f,
                                hb_face_t **tmp) {
  *tmp = NULL;
  if (f->prep && (f->prepped || !fs->keep_prep || f->nsub < PREP_AFTER))
    return f->prep;
  if (f->prep) { /* the time has come */
    hb_face_t *pre = hb_subset_preprocess(f->prep);
    hb_face_destroy(f->prep);
    f->prep = pre;
    f->prepped = true;
    return pre;
  }
  hb_face_t *hf = face_of_mapping(f->map, f->map_size, f->info.index);
  if (!hf)
    return NULL;
  if (!f->drop && !(f->drop = tables_to_drop(hf, fs->keep_names))) {
    hb_face_destroy(hf);
    return NULL;
  }
  if (!fs->keep_prep)
    return *tmp = hf;
  return f->prep = hf;
}

bool zp_font_subset(zp_fontset *fs, int face_id, const uint16_t *gids,
                    const uint32_t *cps, size_t n, zp_subset *out, zp_diag *d) {
  bool ok = false;
  hb_blob_t *res = NULL;
  hb_face_t *hf = NULL, *tmp = NULL, *sub = NULL;
  uint8_t *want = NULL;
  memset(out, 0, sizeof *out);
  if (face_id < 0 || face_id >= fs->nfaces) {
    zp_error(d, NOLOC, "font subset: no face %d", face_id);
    return false;
  }
  face *f = fs->faces[face_id];
  zp_loc loc = {f->info.file, 0, 0};
  unsigned ng = f->info.num_glyphs;
  want = calloc(ng ? ng : 1, 1);
  out->new_gid = calloc(ng ? ng : 1, sizeof *out->new_gid);
  if (!want || !out->new_gid) {
    oom(d);
    goto done;
  }
  for (size_t i = 0; i < n; i++) {
    if (gids[i] >= ng) {
      zp_error(d, loc, "font subset: glyph %u is not in the face (%u glyphs)",
               gids[i], ng);
      goto done;
    }
    want[gids[i]] = 1;
  }
  want[0] = 1;
  hf = subset_source(fs, f, &tmp);
  f->nsub++;
  if (!hf) {
    oom(d);
    goto done;
  }
  const char *why;
  sub = run_subset(hf, f->drop, want, ng, gids, cps, cps ? n : 0, f->ft,
                   out->new_gid, &why);
  if (!sub) {
    zp_error(d, loc, "font subset: %s", why);
    goto done;
  }
  unsigned sng = hb_face_get_glyph_count(sub);
  out->widths = calloc(sng, sizeof *out->widths);
  if (!out->widths) {
    oom(d);
    goto done;
  }
  for (unsigned g = 0; g < ng; g++)
    if (out->new_gid[g] || g == 0)
      out->widths[out->new_gid[g]] = advance_of(f, g);
  res = hb_face_reference_blob(sub);
  unsigned len = 0;
  const char *data = hb_blob_get_data(res, &len);
  if (!data || len == 0) {
    zp_error(d, loc, "hb-subset produced an empty font");
    goto done;
  }
  out->data = malloc(len);
  if (!out->data) {
    oom(d);
    goto done;
  }
  memcpy(out->data, data, len);
  out->size = len;
  out->num_glyphs = sng;
  ok = true;
  /* as after opening: the pages hb-subset read go back (a kept
   * preparation holds what it needs) */
  if (!f->prep)
    madvise(f->map, f->map_size, MADV_DONTNEED);
done:
  if (!ok)
    zp_subset_free(out);
  hb_blob_destroy(res);
  hb_face_destroy(sub);
  hb_face_destroy(tmp);
  free(want);
  return ok;
}

void zp_subset_free(zp_subset *s) {
  if (!s)
    return;
  free(s->data);
  free(s->new_gid);
  free(s->widths);
  memset(s, 0, sizeof *s);
}
