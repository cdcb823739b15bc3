/* bind-part.c — the binder's parts (see bind-imp.h).
 *
 * A body of <part>s and <attachment>s (also in <for> and <if>) is walked
 * twice: first the attachments' titles and labels (an attachment list may
 * stand before them), then each part as a zp_part with its page set-up,
 * its headers and footers (text, fields and page fields) and its blocks;
 * an attachment's label (附件N, its bookmark) and title, and numbering
 * that restarts in it.  Also the <attachment-list/>.
 */
#include "bind-imp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A paragraph block of text in style st, made for n. */
static zp_block *made_block(binder *b, const zp_tnode *n, const zp_style *st,
                            const char *text) {
  zp_block *blk = bind_add_block(b, ZP_BLOCK_PARAGRAPH, n);
  if (blk) {
    blk->style = st;
    blk->text = text;
  }
  return blk;
}

/* <attachment-list/> n: "附件：1.名称", a later item's "2." under "1.", a
 * wrapped name under its first character (GB/T 9704 7.3.4). */
void bind_part_attachment_list(binder *b, const zp_tnode *n) {
  const zp_style *st = n->as.list_style;
  if (!st)
    return;
  if (!b->natt) {
    bind_check_report(
        b, ZP_ERROR, n->loc,
        "<attachment-list/> lists the document's <attachment>s, and it has "
        "none");
    return;
  }
  static const char lead[] = "附件：";
  for (int i = 0; i < b->natt; i++) {
    char num[16];
    /* one attachment: no number (附件：名称) */
    num[0] = 0;
    if (b->natt > 1)
      snprintf(num, sizeof num, "%d.", i + 1);
    /* a label 附件X numbers the list's item X. (a lone 附件1 too) */
    const char *l = b->att_labels[i];
    size_t ll = l ? strlen(l) : 0, pl = strlen("附件");
    if (ll > pl && ll - pl < sizeof num - 1 && !memcmp(l, "附件", pl) &&
        !strpbrk(l + pl, " \t"))
      snprintf(num, sizeof num, "%s.", l + pl);
    const char *text =
        zp_arena_printf(b->a, "%s%s%s", i ? "" : lead, num, b->att_titles[i]);
    zp_block *blk = text ? made_block(b, n, st, text) : NULL;
    if (!blk)
      return;
    blk->hang = (uint32_t)(strlen(num) + (i ? 0 : strlen(lead)));
    if (!blk->hang)
      blk->hang = (uint32_t)strlen(lead);
    blk->lead = i ? lead : NULL;
    /* under the body's text: the list starts no page (it takes the end
     * of the paragraph before, as the signature after it takes it) */
    blk->keep_with_previous = i == 0;
  }
}

/* The text of <header> or <footer> n, in the doc's arena: its text with
 * the data's fields (control characters as spaces), the report's title for
 * <report-title/>, and the ZP_HF_ bytes for the page fields. */
static const char *hf_text(binder *b, const zp_tnode *n) {
  sbuf s = {.left = &b->bytes_left};
  for (const zp_tnode *k = n->child; k; k = k->next) {
    if (k->kind == ZP_T_TEXT) {
      size_t from = s.n;
      bind_text_expand(b, k, k->text, k->fields, k->nfields, &s);
      /* one line: a control character of the data (a line break, or one
       * that would read as a page field) is a space */
      for (size_t i = from; s.s && i < s.n; i++)
        if ((unsigned char)s.s[i] < 0x20)
          s.s[i] = ' ';
    } else if (strcmp(k->name, "page-number") == 0)
      bind_text_put(&s, (char[]){ZP_HF_PAGE}, 1);
    else if (strcmp(k->name, "page-count") == 0)
      bind_text_put(&s, (char[]){ZP_HF_PAGES}, 1);
    else if (strcmp(k->name, "part-page-count") == 0)
      bind_text_put(&s, (char[]){ZP_HF_PART_PAGES}, 1);
    else if (strcmp(k->name, "report-title") == 0 && b->doc->title)
      bind_text_puts(&s, b->doc->title);
  }
  bind_check_over_budget(b, n);
  char *t = s.s ? s.s : "";
  while (*t == ' ' || *t == '\t')
    t++;
  size_t len = strlen(t);
  while (len && (t[len - 1] == ' ' || t[len - 1] == '\t'))
    len--;
  const char *r = zp_arena_strndup(b->a, t, len);
  free(s.s);
  return r;
}

/* <part> or <attachment> n as a zp_part on the doc's list; its blocks on
 * the doc's chain. */
static void part(binder *b, const zp_tnode *n, zp_part **tail) {
  const zp_tpart *tp = n->as.part;
  zp_part *p = zp_arena_alloc(b->a, sizeof *p);
  if (!tp || !p)
    return;
  p->kind = tp->kind;
  p->page = tp->page;
  p->folio = tp->folio;
  p->restart = tp->restart;
  p->start = tp->start;
  p->num = tp->num;
  p->folio_portrait = tp->folio_portrait;
  p->place = tp->place;
  p->watermark = tp->watermark;
  p->no_watermark = tp->no_watermark;
  p->loc = n->loc;
  if (*tail)
    (*tail)->next = p;
  else
    b->doc->parts = p;
  *tail = p;
  zp_hf *hf_tail = NULL;
  for (const zp_tnode *k = n->child; k; k = k->next) {
    if (k->kind != ZP_T_HF)
      continue;
    zp_hf *h = zp_arena_alloc(b->a, sizeof *h);
    if (!h)
      return;
    h->footer = k->as.hf.footer;
    h->pages = k->as.hf.pages;
    h->style = k->as.hf.style;
    h->align = k->as.hf.align;
    h->distance = k->as.hf.distance;
    h->loc = k->loc;
    h->text = hf_text(b, k);
    if (hf_tail)
      hf_tail->next = h;
    else
      p->hf = h;
    hf_tail = h;
  }
  zp_block *before = b->tail;
  if (tp->kind == ZP_PART_ATTACHMENT) {
    int k = p->attachment = ++b->natt_bound;
    p->title = k <= b->natt ? b->att_titles[k - 1] : "";
    /* 附件N; a lone attachment is 附件, unless its label says otherwise */
    const char *label = k <= b->natt ? b->att_labels[k - 1] : NULL;
    if (!label || !*label)
      label = b->natt > 1 ? zp_arena_printf(b->a, "附件%d", k) : "附件";
    /* the label is the attachment's bookmark (level 1, as a heading 一、
     * of the body): "附件1 名称" */
    zp_block *lb = made_block(b, n, tp->label_style, label);
    const char *bm =
        lb ? zp_arena_printf(b->a, "%s %s", label, p->title) : NULL;
    if (bm && strlen(bm) <= ZP_MAX_TEXT_STRING) { /* else none */
      lb->outline = true;
      lb->level = 1;
      lb->outline_text = bm;
    }
    made_block(b, n, tp->title_style, p->title);
  }
  /* the numbering of headings restarts in each attachment (a body split
   * into parts, a landscape table between portrait pages, numbers on) */
  if (tp->kind == ZP_PART_ATTACHMENT)
    for (int i = 0; i <= MAX_LEVELS; i++)
      b->counters[i] = 0;
  bind_blocks(b, n->child);
  p->first = b->tail != before ? (before ? before->next : b->doc->first) : NULL;
  p->last = p->first ? b->tail : NULL;
}

static void parts_walk(binder *b, const zp_tnode *first, bool bind,
                       zp_part **tail);

/* Part-level node n (a part, an attachment, a <for> or <if> of them):
 * bind false, an attachment's title into b->att_titles (counted in
 * b->natt); bind true, each part (once the titles are known: an
 * attachment list may come before its attachments). */
static void parts_node(binder *b, const zp_tnode *n, bool bind,
                       zp_part **tail) {
  if (n->kind == ZP_T_TEXT || !bind_check_spend(b, n, 1))
    return;
  if (n->kind == ZP_T_PART || (bind && n->kind == ZP_T_ATTACHMENT)) {
    if (bind)
      part(b, n, tail);
  } else if (n->kind == ZP_T_ATTACHMENT) {
    if (b->natt == b->capatt) {
      int cap = b->capatt ? b->capatt * 2 : 8;
      const char **v = zp_arena_alloc(b->a, sizeof *v * (size_t)cap);
      const char **w = zp_arena_alloc(b->a, sizeof *w * (size_t)cap);
      if (!v || !w)
        return;
      if (b->natt) {
        memcpy(v, b->att_titles, sizeof *v * (size_t)b->natt);
        memcpy(w, b->att_labels, sizeof *w * (size_t)b->natt);
      }
      b->att_titles = v;
      b->att_labels = w;
      b->capatt = cap;
    }
    b->data_loc = (zp_loc){0};
    b->data_val = NULL;
    const char *t = bind_text_attr(b, n, n->as.part ? n->as.part->title : NULL);
    if (t &&
        !bind_check_string_fits(b, n, "the attachment's title", t, b->data_val))
      t = "";
    else if (t && !t[strspn(t, " \t\n\r")]) {
      /* an empty 附件N title and list entry ("1.") */
      char jp[256] = "", src[600] = "";
      if (b->data_val) {
        zp_json_path(b->data_val, jp, sizeof jp);
        snprintf(src, sizeof src, "; its text comes from %s (%s:%d:%d)", jp,
                 b->data->file, b->data_val->line, b->data_val->col);
      }
      bind_check_report(
          b, ZP_ERROR, n->as.part->title_at,
          "this <attachment>'s title is empty: it has nothing to print "
          "after binding%s",
          src);
    }
    const char *l = n->as.part ? bind_text_attr(b, n, n->as.part->label) : NULL;
    b->att_labels[b->natt] = l && *l ? l : NULL;
    b->att_titles[b->natt++] = t ? t : "";
  } else if (n->kind == ZP_T_FOR) {
    const zp_json *arr = bind_loop_array(b, n);
    for (const zp_json *e = arr ? arr->child : NULL; e && !b->aborted;
         e = e->next) {
      if (!bind_push(b, n, n->as.loop.as, e))
        return;
      parts_walk(b, n->child, bind, tail);
      b->nvars--;
    }
  } else if (n->kind == ZP_T_IF) {
    const zp_tnode *from, *to;
    bind_if_branch(b, n, &from, &to);
    for (const zp_tnode *k = from; k != to && !b->aborted; k = k->next)
      parts_node(b, k, bind, tail);
  }
}

static void parts_walk(binder *b, const zp_tnode *first, bool bind,
                       zp_part **tail) {
  for (const zp_tnode *n = first; n && !b->aborted; n = n->next)
    parts_node(b, n, bind, tail);
}

/* Whether the content from first (the body's) holds parts, also in a <for>
 * or an <if>. */
bool bind_part_has(const zp_tnode *first) {
  for (const zp_tnode *n = first; n; n = n->next)
    if (n->kind == ZP_T_PART || n->kind == ZP_T_ATTACHMENT ||
        ((n->kind == ZP_T_FOR || n->kind == ZP_T_IF) &&
         bind_part_has(n->child)))
      return true;
  return false;
}

/* The parts of the body: the attachments' titles first, then each part. */
void bind_part_body(binder *b, const zp_tnode *first) {
  parts_walk(b, first, false, NULL);
  zp_part *tail = NULL;
  parts_walk(b, first, true, &tail);
}
