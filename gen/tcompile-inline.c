/* tcompile-inline.c — the template compiler's inline elements, ids and
 * references (step 5, see tcompile.c and tcompile-imp.h): <b>, <sup>,
 * <sub>, <span>, <a>, <ref> and <note> parsed and their nesting checked;
 * the blocks' ids and the <ref>s remembered while the nodes are compiled,
 * then checked against each other (an id given twice, a reference to no
 * id, with the nearest ids).
 */
#include <stdlib.h>
#include <string.h>

#include "bounds.h"
#include "tcompile-imp.h"

/* Appends x to the list *v (grown by doubling); false when out of
 * memory (the check it serves is then skipped). */
static bool remember(const zp_tnode ***v, size_t *n, size_t *cap,
                     const zp_tnode *x) {
  if (*n == *cap) {
    size_t nc = *cap ? *cap * 2 : 32;
    const zp_tnode **nv = realloc(*v, sizeof *nv * nc);
    if (!nv)
      return false;
    *v = nv;
    *cap = nc;
  }
  (*v)[(*n)++] = x;
  return true;
}

/* A block's id, remembered to check it against the others and the
 * <ref>s. */
void tc_inline_id(comp *c, zp_tnode *n) {
  if (n->kind == ZP_T_P || n->kind == ZP_T_ITEM || n->kind == ZP_T_SECTION ||
      n->kind == ZP_T_TABLE) {
    n->id = tc_read_attr(n, "id");
    if (n->id) {
      n->id_at = tc_read_at_attr(c, n, "id");
      remember(&c->ids, &c->nids, &c->capids, n);
    }
  }
}

/* An inline element (B, SUP, SUB, SPAN, A, REF, NOTE): its attributes
 * parsed, its place checked (nesting, a note in a note, a link in a
 * link). */
void tc_inline_element(comp *c, zp_tnode *n) {
  const char *v;
  n->as.inl.color = ZP_COLOR_INHERIT;
  if (c->inline_depth >= ZP_MAX_INLINE_DEPTH)
    zp_error(c->d, tc_read_at_elem_exact(c, n),
             "inline elements (<b>, <sup>, <span>, <a>, <note> …) nested "
             "deeper than %d",
             ZP_MAX_INLINE_DEPTH);
  switch (n->kind) {
  case ZP_T_B:
    n->as.inl.bold = true;
    break;
  case ZP_T_SUP:
  case ZP_T_SUB:
    n->as.inl.shift = n->kind == ZP_T_SUP ? ZP_SHIFT_SUPER : ZP_SHIFT_SUB;
    break;
  case ZP_T_SPAN:
    /* an unknown style is reported with the other style references */
    n->as.inl.style = tc_sheet_style(c, zp_tmpl_attr(n, "style"));
    if ((v = zp_tmpl_attr(n, "color")) && !tc_read_color(v, &n->as.inl.color))
      zp_error(c->d, tc_read_at_attr(c, n, "color"),
               "color=\"%.40s\" is not a colour: expected #RRGGBB, six hex "
               "digits (#C00000)",
               v);
    if (!zp_tmpl_attr(n, "style") && !v)
      zp_error(c->d, tc_read_at_elem(c, n),
               "<span> needs style=\"NAME\" or color=\"#RRGGBB\"");
    break;
  case ZP_T_A:
  case ZP_T_REF: {
    bool a = n->kind == ZP_T_A;
    const char *key = a ? "href" : "to";
    const zp_tattr *at = tc_read_attr(n, key);
    n->as.inl.at = tc_read_at_attr(c, n, key);
    if (a)
      n->as.inl.href = at;
    else
      n->as.inl.to = at;
    const char *why;
    if (a && at && at->nfields == 0 && (why = zp_tmpl_uri_problem(at->value)))
      zp_error(c->d, n->as.inl.at, "<a href=\"%.60s%s\">: %s", at->value,
               strlen(at->value) > 60 ? "…" : "", why);
    if (!a && at)
      remember(&c->refs, &c->nrefs, &c->caprefs, n);
    if (c->in_link)
      zp_error(c->d, tc_read_at_elem_exact(c, n),
               "a link (<%s>) inside another link (<a> or <ref>)", n->name);
    break;
  }
  case ZP_T_NOTE:
    n->as.inl.at = tc_read_at_elem_exact(c, n);
    if (c->in_note)
      zp_error(c->d, n->as.inl.at,
               "a <note> inside a <note>: a note's text holds no notes");
    break;
  default:
    break;
  }
}

/* Does the id attribute id (its fields match any text) give s?  A
 * wildcard match with one backtracking point: linear in practice, never
 * worse than the product of the lengths. */
static bool id_matches(const zp_tattr *id, const char *s) {
  char pat[512];
  size_t np = 0;
  const char *v = id->value;
  int k = 0;
  for (size_t i = 0; v[i] && np + 1 < sizeof pat;) {
    if (k < id->nfields && i == id->fields[k].start) {
      pat[np++] = 1; /* XML text holds no U+0001 */
      i = id->fields[k++].end;
    } else {
      pat[np++] = v[i++];
    }
  }
  pat[np] = 0;
  const char *p = pat, *star = NULL, *back = NULL;
  while (*s) {
    if (*p == 1) {
      star = ++p;
      back = s;
    } else if (*p == *s) {
      p++;
      s++;
    } else if (star) {
      p = star;
      s = ++back;
    } else {
      return false;
    }
  }
  while (*p == 1)
    p++;
  return *p == 0;
}

/* Every id given twice, and every <ref to> without its id, when both are
 * static (a computed one is checked when bound); with the nearest ids. */
void tc_inline_check_ids(comp *c) {
  const char **names = malloc(sizeof *names * (c->nids + 1));
  int nn = 0;
  if (!names)
    return;
  for (size_t i = 0; i < c->nids; i++) {
    const zp_tattr *id = c->ids[i]->id;
    if (id->nfields)
      continue;
    for (int k = 0; k < nn; k++)
      if (strcmp(names[k], id->value) == 0) {
        const zp_tnode *first = NULL;
        for (size_t j = 0; j < i && !first; j++)
          if (!c->ids[j]->id->nfields &&
              strcmp(c->ids[j]->id->value, id->value) == 0)
            first = c->ids[j];
        zp_error(c->d, c->ids[i]->id_at,
                 "id=\"%s\" is given twice (first at %s:%d)", id->value,
                 first->loc.file, first->loc.line);
        break;
      }
    names[nn++] = id->value;
  }
  for (size_t i = 0; i < c->nrefs; i++) {
    const zp_tattr *to = c->refs[i]->as.inl.to;
    if (to->nfields)
      continue;
    bool found = false;
    for (size_t j = 0; j < c->nids && !found; j++) {
      const zp_tattr *id = c->ids[j]->id;
      found = id->nfields ? id_matches(id, to->value)
                          : strcmp(id->value, to->value) == 0;
    }
    if (!found) {
      char hint[160];
      zp_error(c->d, c->refs[i]->as.inl.at,
               "<ref to=\"%s\">: no element has id=\"%s\"%s", to->value,
               to->value,
               tc_read_did_you_mean(to->value, names, nn, "\"", "\"", hint,
                                    sizeof hint));
    }
  }
  free(names);
}
