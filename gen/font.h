/* font.h — the font module: roles, faces, metrics, coverage, subsets.
 *
 * Uses fontconfig (finding faces by family name, looking in the user's
 * fonts/ directory first), FreeType (advances, coverage, face metrics) and
 * HarfBuzz's hb-subset (subsetting a face to the glyphs used).  None of
 * their types appear here.
 *
 * A font set holds every face of one render.  Each face is opened once.  A
 * role ("song", "fangsong", "kai", "hei", "title", ...) is a chain of faces:
 * a code point is looked up along the chain and set in the first face that
 * has it (per-character fallback).  Advances are in 1/1000 em.
 *
 * A font set is not thread-safe; a render owns its own.
 */
#ifndef ZP_FONT_H
#define ZP_FONT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

typedef struct zp_fontset zp_fontset;

/* One resolved character. */
typedef struct zp_glyph {
  uint16_t face;    /* index of the face in the set */
  uint16_t gid;     /* glyph id in that face (the original, unsubset face) */
  uint16_t advance; /* horizontal advance, 1/1000 em */
} zp_glyph;

/* What a face is. */
typedef struct zp_face_info {
  const char *family; /* "AR PL SungtiL GB" */
  const char *style;  /* "Regular" */
  const char *psname; /* PostScript name, ASCII, no spaces */
  const char *file;   /* absolute path */
  int index;          /* face index inside a .ttc */
  bool user;          /* found in a user fonts/ directory */
  bool bold;          /* the face itself is bold */
  unsigned num_glyphs;
  unsigned units_per_em;
  /* in 1/1000 em: */
  int ascent, descent, cap_height, bbox[4];
  unsigned hanzi;     /* code points of U+4E00..U+9FFF covered */
  unsigned gb2312;    /* of the 6,763 GB2312 hanzi, how many are covered */
  unsigned cmap_size; /* code points in the cmap */
} zp_face_info;

/* One role's definition: a name and its family chain (most preferred
 * first).  The default roles follow LAYOUT.md. */
typedef struct zp_role_def {
  const char *name;
  const char *const *families; /* NULL-terminated */
} zp_role_def;

/* The built-in roles (song, fangsong, kai, hei, title), NULL-name
 * terminated. */
const zp_role_def *zp_font_default_roles(void);

/* Creates an empty font set.  user_dirs: NULL-terminated list of
 * directories searched before the system fonts (may be NULL); a FIFO, a
 * device or a socket in them is skipped with a warning (never opened).
 * The system fonts are those of fontconfig's default directories, read from
 * its caches (a built-in configuration: the system's is loaded only when
 * $FONTCONFIG_FILE or $FONTCONFIG_PATH is set).  d receives the warnings of
 * later glyph lookups too, so it must outlive the font set.  Returns NULL
 * on failure (reported); free with zp_fontset_free(). */
zp_fontset *zp_fontset_new(const char *const *user_dirs, zp_diag *d);
void zp_fontset_free(zp_fontset *fs);

/* keep true: each face stays open for subsetting, and after a few subsets
 * keeps hb-subset's preprocessed form (kept until the set is freed), so
 * that later subsets of the face cost about a quarter less in all (its
 * cmap and tables are not parsed again).  Preprocessing costs about ten
 * subsets and tens of MB per large face: for workers that render report
 * after report with one set, not for one document.  The bytes are the same
 * either way. */
void zp_fontset_keep_subset_prep(zp_fontset *fs, bool keep);

/* Subsets made after this keep the face's 'name' table when keep is set:
 * a standalone font file that fontconfig finds by its family (a test
 * tool's); a PDF names its fonts itself, so renders drop it.  Call before
 * the first subset of a face. */
void zp_fontset_subset_names(zp_fontset *fs, bool keep);

/* Defines (or redefines) a role from a family chain.  Families that are not
 * installed are skipped; faces are opened once and shared between roles.
 * A face that cannot be used (not a regular file, FreeType cannot open it,
 * no TrueType outlines, damaged metrics, character map or probe glyphs,
 * HarfBuzz reads it otherwise, or, for a face of a user directory, a trial
 * subset fails) is skipped with a warning naming its file, and the family's
 * next face, or the next family, is used.
 * Returns the role id (>= 0), or -1 with an error when no family of the
 * chain can be found or opened (the message names the role and the
 * families tried, and says where to put a licensed font). */
int zp_font_role(zp_fontset *fs, const char *name, const char *const *families,
                 zp_diag *d);

/* Role id by name, or -1. */
int zp_font_role_find(const zp_fontset *fs, const char *name);
/* Number of roles, and each role's name and chain (face indices). */
int zp_font_role_count(const zp_fontset *fs);
const char *zp_font_role_name(const zp_fontset *fs, int role);
int zp_font_role_chain(const zp_fontset *fs, int role, const uint16_t **faces);

/* Resolves code point cp in role: the first face in the chain that covers
 * it with a sound glyph.  Each glyph is checked (its outline loaded) once;
 * a damaged one marks its face broken, with a warning naming the file, and
 * the face is skipped by every later lookup.  Returns false when no face of the
 * chain has it (out gets the first face's .notdef, gid 0, with its advance).
 * Constant time after the first lookup of a code point (a per-role cache). */
bool zp_font_glyph(zp_fontset *fs, int role, uint32_t cp, zp_glyph *out);

/* The faces every role falls back to, last, for a character above U+FFFF
 * that no face of its chain has (HanaMinB, HanaMinA, BabelStone Han: those
 * installed; opened now if not yet).  Returns their number and points
 * *faces at their indices (owned by the font set). */
int zp_font_astral_faces(zp_fontset *fs, const int **faces);

/* Number of faces opened so far, and what each is.  zp_font_face leaves
 * the coverage counts (hanzi, gb2312, cmap_size) at 0: they walk the whole
 * cmap, so only zp_font_face_coverage fills them (once per face). */
int zp_font_face_count(const zp_fontset *fs);
const zp_face_info *zp_font_face(const zp_fontset *fs, int face);
const zp_face_info *zp_font_face_coverage(const zp_fontset *fs, int face);

/* The horizontal extent of glyph gid's ink in face (its outline's control
 * box), in 1/1000 em from the glyph's origin: *x0 the left, *x1 the right
 * edge.  Returns false when the glyph has no outline (a space) or cannot be
 * loaded.  Read once per glyph: the first call for a face allocates a
 * table of num_glyphs entries, freed with the set. */
bool zp_font_ink(zp_fontset *fs, int face, unsigned gid, int *x0, int *x1);

/* Does face cover cp? */
bool zp_font_covers(zp_fontset *fs, int face, uint32_t cp);

/* A face cut down to some glyphs. */
typedef struct zp_subset {
  unsigned char *data; /* the subset TrueType file (malloc'd) */
  size_t size;
  unsigned num_glyphs; /* glyphs in the subset, .notdef is 0 */
  uint16_t *new_gid;   /* indexed by original gid: its gid in the subset,
                          0 when not kept (malloc'd, num_glyphs of the
                          original face entries) */
  uint16_t *widths;    /* indexed by subset gid: advance, 1/1000 em */
} zp_subset;

/* Subsets face to the n glyphs gids (original ids; duplicates allowed;
 * .notdef is always kept).  cps (may be NULL) holds the character each
 * glyph stands for: the subset's cmap maps those (a PDF does not need it,
 * a TrueType loader does); a character the face does not map to that
 * glyph is left out.  Deterministic, and the same bytes whether or not the
 * set keeps the subsetting preparation.  Returns false with an error when
 * hb-subset fails.  Free with zp_subset_free(). */
bool zp_font_subset(zp_fontset *fs, int face, const uint16_t *gids,
                    const uint32_t *cps, size_t n, zp_subset *out, zp_diag *d);
void zp_subset_free(zp_subset *s);

#endif
