/* layout-link.c — links (see layout-imp.h).
 *
 * While a text is set, its links are found as ranges of its code points:
 * the link spans the binder made (a URL, or the id of a block) and the
 * URLs written in the text itself (http://, https://, www., up to a space
 * or a full-width character, less a final mark of punctuation).  Each
 * line a range touches gets a link over the part of it the range covers
 * (layout-text.c measures it), so a URL that wraps is a link on each of
 * its lines.  When a page is emitted, a line's links become links of the
 * display list, and the place of each block's first line is recorded;
 * after pagination the links that lead to a block are pointed at its
 * place.  A table of contents reads the places of the pass before
 * (layout-contents.c).  Memory: the ranges of one text, one place per
 * block and one record per link to a block, reused by every pass.
 */
#include "layout-imp.h"

#include <stdlib.h>
#include <string.h>

#include "brk.h"

/* The longest URL made a link, bytes (a longer one stays text). */
#define MAX_URL 2048

/* Makes room for n more elements in *v (count *len, capacity *cap). */
static bool room(void *v, size_t len, size_t *cap, size_t n, size_t size) {
  void **pp = v;
  if (len + n <= *cap)
    return true;
  size_t nc = *cap ? *cap : 16;
  while (nc < len + n)
    nc *= 2;
  void *np = realloc(*pp, nc * size);
  if (!np)
    return false;
  *pp = np;
  *cap = nc;
  return true;
}

/* By id, then by position: the first of equal ids wins. */
static int cmp_id(const void *a, const void *b) {
  const lid *x = a, *y = b;
  int k = strcmp(x->id, y->id);
  return k ? k : x->ord < y->ord ? -1 : x->ord > y->ord;
}

bool lay_link_ids(ctx *c) {
  size_t n = 0;
  for (const zp_block *b = c->doc->first; b; b = b->next)
    n += b->id != NULL;
  free(c->ids);
  c->ids = NULL;
  c->nids = 0;
  if (!n)
    return true;
  if (!(c->ids = malloc(n * sizeof *c->ids)))
    return false;
  for (const zp_block *b = c->doc->first; b; b = b->next)
    if (b->id) {
      c->ids[c->nids] = (lid){b->id, b, c->nids};
      c->nids++;
    }
  qsort(c->ids, n, sizeof *c->ids, cmp_id);
  return true;
}

static const zp_block *block_of_id(const ctx *c, const char *id) {
  size_t lo = 0, hi = c->nids;
  while (lo < hi) { /* the first entry not below id */
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(c->ids[mid].id, id) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo < c->nids && strcmp(c->ids[lo].id, id) == 0 ? c->ids[lo].blk : NULL;
}

/* c->boff[i]: the byte offset of code point i of text, decoded exactly as
 * lay_text_utf8_decode does; boff[n] the text's length. */
static bool byte_offsets(ctx *c, const char *s, size_t n) {
  if (!room(&c->boff, 0, &c->capboff, n + 1, sizeof *c->boff))
    return false;
  const unsigned char *p = (const unsigned char *)s;
  size_t k = 0;
  while (*p && k < n) {
    c->boff[k++] = (uint32_t)(p - (const unsigned char *)s);
    uint32_t b = *p;
    int len = b < 0x80         ? 1
              : (b >> 5) == 6  ? 2
              : (b >> 4) == 14 ? 3
              : (b >> 3) == 30 ? 4
                               : 0;
    if (len == 0) {
      p++;
      continue;
    }
    int i = 1;
    while (i < len && (p[i] & 0xC0) == 0x80)
      i++;
    p += i; /* a short sequence: U+FFFD for its first i bytes */
  }
  c->boff[k] = (uint32_t)strlen(s);
  return true;
}

/* The first code point whose byte offset is at least byte. */
static uint32_t cp_at(const ctx *c, size_t n, uint32_t byte) {
  size_t lo = 0, hi = n;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (c->boff[mid] < byte)
      lo = mid + 1;
    else
      hi = mid;
  }
  return (uint32_t)lo;
}

static bool push_range(ctx *c, lrange r) {
  if (!room(&c->ranges, c->nranges, &c->capranges, 1, sizeof *c->ranges))
    return false;
  c->ranges[c->nranges++] = r;
  return true;
}

static bool starts(const uint32_t *cp, size_t n, size_t i, const char *pre) {
  for (size_t k = 0; pre[k]; k++) {
    uint32_t ch = i + k < n ? cp[i + k] : 0;
    if (ch >= 'A' && ch <= 'Z')
      ch += 'a' - 'A';
    if (ch != (unsigned char)pre[k])
      return false;
  }
  return true;
}

static bool url_char(uint32_t cp) {
  return cp > 0x20 && cp != 0x7F && cp != 0xFFFD && !zp_brk_wide(cp) &&
         !zp_brk_newline(cp) && !(cp >= 0x2000 && cp <= 0x206F) && cp != 0x3000;
}

static bool word_char(uint32_t cp) {
  return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') ||
         (cp >= 'A' && cp <= 'Z') || cp == '/' || cp == '.' || cp == '@' ||
         cp == '-' || cp == '_';
}

/* The URL at code point i, if one starts there: its end in *end. */
static bool url_at(const uint32_t *cp, size_t n, size_t i, size_t *end) {
  size_t pre = starts(cp, n, i, "https://")  ? 8
               : starts(cp, n, i, "http://") ? 7
               : starts(cp, n, i, "www.")    ? 4
                                             : 0;
  if (!pre || (i > 0 && word_char(cp[i - 1])))
    return false;
  size_t j = i + pre;
  while (j < n && url_char(cp[j]))
    j++;
  /* a mark that ends the sentence is not the URL's; nor a closing bracket
   * it does not open (the balance counted once: linear however many) */
  long paren = 0, bracket = 0;
  for (size_t k = i; k < j; k++) {
    paren += cp[k] == '(' ? 1 : cp[k] == ')' ? -1 : 0;
    bracket += cp[k] == '[' ? 1 : cp[k] == ']' ? -1 : 0;
  }
  while (j > i + pre) {
    uint32_t l = cp[j - 1];
    if (l < 0x80 && strchr(".,;:!?'\"", (int)l))
      j--;
    else if (l == ')' && paren < 0)
      j--, paren++;
    else if (l == ']' && bracket < 0)
      j--, bracket++;
    else
      break;
  }
  if (j == i + pre)
    return false;
  *end = j;
  return true;
}

static int cmp_range(const void *a, const void *b) {
  const lrange *x = a, *y = b;
  return x->a < y->a ? -1 : x->a > y->a ? 1 : x->b > y->b ? -1 : x->b < y->b;
}

bool lay_link_ranges(ctx *c, const shape_req *r, size_t n) {
  c->nranges = c->rcur = 0;
  bool spans = false;
  for (uint32_t k = 0; k < r->nspans; k++)
    spans |= r->spans[k].kind == ZP_SPAN_LINK;
  if (spans && !byte_offsets(c, r->text, n))
    return false;
  for (uint32_t k = 0; spans && k < r->nspans; k++) {
    const zp_span *s = &r->spans[k];
    if (s->kind != ZP_SPAN_LINK || s->start >= s->end ||
        (!s->uri && !s->target))
      continue;
    lrange g = {cp_at(c, n, s->start), cp_at(c, n, s->end), s->uri, NULL};
    if (!s->uri && !(g.target = block_of_id(c, s->target))) {
      zp_error(c->d, s->loc, "a link to \"%s\": no element has id=\"%s\"",
               s->target, s->target);
      return false;
    }
    if (g.a < g.b && !push_range(c, g))
      return false;
  }
  size_t nspan = c->nranges;
  if (!r->no_links)
    for (size_t i = 0; i < n; i++) {
      size_t end;
      if (!url_at(c->cp, n, i, &end))
        continue;
      bool inside = false; /* a URL inside a link span is the span's */
      for (size_t k = 0; k < nspan && !inside; k++)
        inside = i < c->ranges[k].b && end > c->ranges[k].a;
      if (!inside) {
        char buf[MAX_URL + 16], *o = buf;
        bool fits = true;
        if (c->cp[i] == 'w' || c->cp[i] == 'W')
          o += sprintf(o, "http://");
        for (size_t k = i; k < end && fits; k++) {
          if (o - buf + 4 > MAX_URL)
            fits = false;
          else
            o += lay_text_utf8_encode(c->cp[k], o);
        }
        *o = 0;
        const char *uri = fits ? zp_arena_strdup(c->arena, buf) : NULL;
        if (fits && (!uri || !push_range(c, (lrange){(uint32_t)i, (uint32_t)end,
                                                     uri, NULL})))
          return false;
      }
      i = end - 1;
    }
  if (c->nranges > 1) { /* sorted; a range inside or across another goes */
    qsort(c->ranges, c->nranges, sizeof *c->ranges, cmp_range);
    size_t k = 1;
    for (size_t i = 1; i < c->nranges; i++)
      if (c->ranges[i].a >= c->ranges[k - 1].b)
        c->ranges[k++] = c->ranges[i];
    c->nranges = k;
  }
  return true;
}

static bool add(ctx *c, line *l, llink k) {
  /* a line has few links: its array grows by copying, in the arena */
  llink *v = zp_arena_alloc(c->arena, (l->nlinks + 1) * sizeof *v);
  if (!v)
    return false;
  if (l->nlinks)
    memcpy(v, l->links, l->nlinks * sizeof *v);
  v[l->nlinks] = k;
  l->links = v;
  l->nlinks++;
  return true;
}

bool lay_link_add(ctx *c, line *l, float x0, float x1, const lrange *k) {
  return x1 <= x0 || add(c, l, (llink){x0, x1, k->uri, k->target});
}

bool lay_link_add_to(ctx *c, line *l, float x0, float x1,
                     const zp_block *target) {
  return x1 <= x0 || add(c, l, (llink){x0, x1, NULL, target});
}

bool lay_link_emit(ctx *c, zp_dl_page *p, const line *l, float top) {
  for (uint32_t i = 0; i < l->nlinks; i++) {
    const llink *k = &l->links[i];
    zp_dl_link *d = zp_dl_add_link(c->dl, p, l->left + k->x0, top - l->height,
                                   l->left + k->x1, top, k->uri, -1, 0);
    if (!d)
      return false;
    if (!k->uri) {
      if (!room(&c->plinks, c->nplinks, &c->capplinks, 1, sizeof *c->plinks))
        return false;
      c->plinks[c->nplinks++] = (lpend){d, k->target};
    }
  }
  return true;
}

bool lay_link_place(ctx *c, const zp_block *b, int pno, float y) {
  if (c->npos && c->pos[c->npos - 1].blk == b)
    return true; /* a contents' later entries, a table's later parts */
  if (!room(&c->pos, c->npos, &c->cappos, 1, sizeof *c->pos))
    return false;
  c->pos[c->npos++] = (lpos){b, pno, y};
  return true;
}

static int cmp_pos(const void *a, const void *b) {
  const lpos *x = a, *y = b;
  return x->blk < y->blk ? -1 : x->blk > y->blk;
}

static const lpos *find(const lpos *v, size_t n, const zp_block *b) {
  lpos key = {b, 0, 0};
  return n ? bsearch(&key, v, n, sizeof *v, cmp_pos) : NULL;
}

/* Can id be a PDF name of the /Dests?  At most LAY_MAX_DEST_NAME bytes,
 * and no space: the PDF writer (libharu 2.3.0) writes a name's space as
 * it is, which ends the name there and breaks the catalog. */
static bool dest_name_ok(const char *id) {
  return strlen(id) <= LAY_MAX_DEST_NAME && !strchr(id, ' ');
}

bool lay_link_resolve(ctx *c) {
  if (c->npos > 1)
    qsort(c->pos, c->npos, sizeof *c->pos, cmp_pos);
  for (size_t i = 0; i < c->nplinks; i++) {
    const lpos *at = find(c->pos, c->npos, c->plinks[i].target);
    if (!at) {
      zp_error(c->d, c->plinks[i].target->loc,
               "a link leads here, but this element is not on any page");
      return false;
    }
    c->plinks[i].link->page = at->page;
    c->plinks[i].link->y = at->y;
  }
  /* a named destination for every id (the first of equal ones), in the
   * order of the names */
  for (size_t i = 0; i < c->nids; i++) {
    if (i && strcmp(c->ids[i].id, c->ids[i - 1].id) == 0)
      continue;
    const lpos *at = find(c->pos, c->npos, c->ids[i].blk);
    if (at && dest_name_ok(c->ids[i].id) &&
        !zp_dl_add_dest(c->dl, c->ids[i].id, at->page, at->y))
      return false;
  }
  return true;
}

const lpos *lay_link_prev(const ctx *c, const zp_block *b) {
  return find(c->prev, c->nprev, b);
}

void lay_link_next_pass(ctx *c) {
  lpos *t = c->prev;
  size_t cap = c->capprev;
  c->prev = c->pos;
  c->nprev = c->npos;
  c->capprev = c->cappos;
  c->pos = t;
  c->cappos = cap;
  c->npos = 0;
  c->nplinks = 0;
}
