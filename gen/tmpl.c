/* tmpl.c — see tmpl.h. */
#include "tmpl-imp.h"

#include <errno.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/xmlerror.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "file.h"
#include "fmt.h"

extern const char zp_schema_rng[];

#define ZP_MAX_INCLUDE_DEPTH 16
/* A template or style sheet is read whole into memory and parsed there:
 * real ones are a few KB; 4 MB (some 300 MB as trees) bounds the memory
 * a template can take. */
#define ZP_MAX_TEMPLATE_BYTES (4L << 20)
/* RELAX NG errors of one file held for a second look; the rest are
 * counted (a template with more has bigger problems) */
#define ZP_MAX_HELD 64

typedef struct loader {
  zp_template *t;
  zp_diag *d;
  xmlRelaxNGPtr schema;
  const char *stack[ZP_MAX_INCLUDE_DEPTH]; /* files being loaded */
  const char *real[ZP_MAX_INCLUDE_DEPTH];  /* their canonical paths */
  int depth;
  int ntop, captop;
  xmlDocPtr schema_doc;     /* the schema as a tree, for hints; parsed lazily */
  bool bad;                 /* a malformed field was reported */
  bool doctype;             /* a DOCTYPE was refused */
  int global_errors;        /* errors without a parser context, this file */
  xmlParserCtxtPtr parsing; /* the parser at work, for their line */
  const void *unexpected;   /* the element last reported "Did not expect"
                               (libxml2 may add "has extra content") */
  /* RELAX NG errors held while a document validates, so that a vague one
   * can be replaced by what a second look finds (see report_held) */
  bool holding;
  xmlError held[ZP_MAX_HELD];
  int nheld, lost;
  /* while a <define>'s content is validated on its own: the element that
   * stands for the <define>, and how to name it ("<define> of rows") */
  xmlNodePtr wrapper;
  const char *wrapper_name;
} loader;

static void on_parse_error(void *data, xmlErrorPtr e);

/* ---- hints for schema errors: what the schema allows where ---- */

static bool is_rng(xmlNodePtr n, const char *name) {
  return n->type == XML_ELEMENT_NODE &&
         strcmp((const char *)n->name, name) == 0;
}

static bool name_is(xmlNodePtr n, const char *name) {
  xmlChar *v = xmlGetProp(n, BAD_CAST "name");
  bool eq = v && strcmp((const char *)v, name) == 0;
  xmlFree(v);
  return eq;
}

/* Appends the names of the elements (want "element") or attributes (want
 * "attribute") that the pattern under n allows directly, following refs
 * but not entering child elements, to buf as "<a>, <b>" or "a, b". */
static void collect(xmlDocPtr schema, xmlNodePtr n, const char *want, char *buf,
                    size_t size, int depth) {
  if (depth > 32)
    return;
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_rng(c, "element") || is_rng(c, "attribute")) {
      xmlChar *nm = xmlGetProp(c, BAD_CAST "name");
      if (nm && strcmp((const char *)c->name, want) == 0) {
        char item[128];
        snprintf(item, sizeof item, want[0] == 'e' ? "<%s>" : "%s",
                 (const char *)nm);
        /* once each: "<p>" must not match "<page>", so compare with the
         * separators around it */
        char padded[140];
        snprintf(padded, sizeof padded, " %s,", item);
        char hay[1200];
        snprintf(hay, sizeof hay, " %s,", buf);
        if (!strstr(hay, padded) && strlen(buf) + strlen(item) + 3 < size)
          snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
                   *buf ? ", " : "", item);
      }
      xmlFree(nm);
    } else if (is_rng(c, "ref")) {
      xmlChar *target = xmlGetProp(c, BAD_CAST "name");
      for (xmlNodePtr d = xmlDocGetRootElement(schema)->children; target && d;
           d = d->next)
        if (is_rng(d, "define") && name_is(d, (const char *)target))
          collect(schema, d, want, buf, size, depth + 1);
      xmlFree(target);
    } else {
      collect(schema, c, want, buf, size, depth + 1);
    }
  }
}

/* Appends the <value>s allowed for the attribute attr under pattern n
 * (following refs, not entering child elements) to buf as "a, b". */
static void collect_values(xmlDocPtr schema, xmlNodePtr n, const char *attr,
                           bool inside, char *buf, size_t size, int depth) {
  if (depth > 32)
    return;
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || is_rng(c, "element"))
      continue;
    if (is_rng(c, "attribute")) {
      if (!inside && name_is(c, attr))
        collect_values(schema, c, attr, true, buf, size, depth + 1);
    } else if (inside && is_rng(c, "value")) {
      xmlChar *v = xmlNodeGetContent(c);
      if (v && strlen(buf) + strlen((const char *)v) + 3 < size)
        snprintf(buf + strlen(buf), size - strlen(buf), "%s%s",
                 *buf ? ", " : "", (const char *)v);
      xmlFree(v);
    } else if (is_rng(c, "data") && inside) {
      xmlChar *t = xmlGetProp(c, BAD_CAST "type");
      if (t && strlen(buf) + strlen((const char *)t) + 6 < size)
        snprintf(buf + strlen(buf), size - strlen(buf), "%sa %s",
                 *buf ? ", " : "", (const char *)t);
      xmlFree(t);
    } else if (is_rng(c, "ref")) {
      xmlChar *target = xmlGetProp(c, BAD_CAST "name");
      for (xmlNodePtr d = xmlDocGetRootElement(schema)->children; target && d;
           d = d->next)
        if (is_rng(d, "define") && name_is(d, (const char *)target))
          collect_values(schema, d, attr, inside, buf, size, depth + 1);
      xmlFree(target);
    } else {
      collect_values(schema, c, attr, inside, buf, size, depth + 1);
    }
  }
}

/* Finds the schema's one definition of the element named name (NULL when
 * there is none, or several: then a hint could mislead). */
static xmlNodePtr find_element(xmlNodePtr n, const char *name, int *count,
                               xmlNodePtr found) {
  for (xmlNodePtr c = n->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_rng(c, "element") && name_is(c, name)) {
      (*count)++;
      found = c;
    }
    found = find_element(c, name, count, found);
  }
  return found;
}

/* What the schema allows in (want "element") or on (want "attribute") the
 * element named name, or as the values of its attribute named want, into
 * buf; false (and "") when it cannot tell (the schema defines the element
 * in several places, as <for> among blocks, inline and rows). */
static bool allowed(loader *l, const char *name, const char *want, char *buf,
                    size_t size) {
  buf[0] = 0;
  if (!l->schema_doc) {
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt || !ctxt->sax) {
      xmlFreeParserCtxt(ctxt);
      return false;
    }
    ctxt->_private = l;
    ctxt->sax->serror = on_parse_error;
    l->schema_doc =
        xmlCtxtReadMemory(ctxt, zp_schema_rng, (int)strlen(zp_schema_rng),
                          "zpgen.rng", NULL, XML_PARSE_NONET);
    xmlFreeParserCtxt(ctxt);
    if (!l->schema_doc)
      return false;
  }
  int count = 0;
  xmlNodePtr def =
      find_element(xmlDocGetRootElement(l->schema_doc), name, &count, NULL);
  if (count != 1)
    return false;
  if (strcmp(want, "element") == 0 || strcmp(want, "attribute") == 0)
    collect(l->schema_doc, def, want, buf, size, 0);
  else /* the values of the attribute named want */
    collect_values(l->schema_doc, def, want, false, buf, size, 0);
  return true;
}

/* The name in list ("<p>, <item>" or "style, parent") nearest to word, or
 * NULL: for "did you mean". */
static const char *nearest_in(const char *list, const char *word, char *buf,
                              size_t size) {
  char copy[1024];
  snprintf(copy, sizeof copy, "%s", list);
  const char *names[128];
  int n = 0;
  for (char *t = strtok(copy, ", "); t && n < 128; t = strtok(NULL, ", ")) {
    if (*t == '<')
      t++;
    size_t k = strlen(t);
    if (k && t[k - 1] == '>')
      t[k - 1] = 0;
    names[n++] = t;
  }
  const char *best = zp_diag_nearest(word, names, n);
  if (!best)
    return NULL;
  snprintf(buf, size, "%s", best);
  return buf;
}

/* Whether msg has word, with no name character either side. */
static bool has_word(const char *msg, const char *word) {
  size_t n = strlen(word);
  for (const char *p = strstr(msg, word); n && p; p = strstr(p + 1, word)) {
    char a = p == msg ? ' ' : p[-1], b = p[n];
    bool na = (a >= 'a' && a <= 'z') || (a >= 'A' && a <= 'Z') || a == '-';
    bool nb = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || b == '-';
    if (!na && !nb)
      return true;
  }
  return false;
}

/* Removes the text drop from the start of list, if it is there. */
static void drop_names(char *list, const char *drop) {
  size_t n = strlen(drop);
  if (strncmp(list, drop, n) == 0)
    memmove(list, list + n, strlen(list + n) + 1);
}

/* libxml2's schema messages with what would have been allowed, and the
 * nearest name: "Did not expect element paragraf there; did you mean <p>?
 * <body> allows <p>, <item>, …".  *needle is set to what to look for in
 * the source line (for the column): "<paragraf", "styel=". */
static void add_hint(loader *l, const xmlError *e, char *msg, size_t size,
                     char *needle, size_t nsize) {
  if (e->domain != XML_FROM_RELAXNGV || !e->node ||
      ((xmlNodePtr)e->node)->type != XML_ELEMENT_NODE)
    return;
  xmlNodePtr node = e->node;
  const char *name = (const char *)node->name;
  char list[1024] = "", what[200] = "", near[128] = "";
  bool known = false;     /* the schema told what is allowed */
  const char *bad = NULL; /* the misspelt name, if one */
  bool element = false;
  char attr[64];
  if (strncmp(msg, "Did not expect element ", 23) == 0 ||
      strncmp(msg, "Expecting element ", 18) == 0 ||
      strncmp(msg, "Expecting an element", 20) == 0) {
    /* the message is about node or one of its children */
    xmlNodePtr parent = node;
    if (has_word(msg, name) && node->parent &&
        node->parent->type == XML_ELEMENT_NODE &&
        !has_word(msg, (const char *)node->parent->name))
      parent = node->parent;
    /* <for>, <if> and <else> are defined among blocks, inline content,
     * rows and cells: what they allow is what the element around them
     * allows */
    xmlNodePtr context = parent;
    while (context != l->wrapper && context->parent &&
           context->parent->type == XML_ELEMENT_NODE &&
           (strcmp((const char *)context->name, "for") == 0 ||
            strcmp((const char *)context->name, "if") == 0 ||
            strcmp((const char *)context->name, "else") == 0))
      context = context->parent;
    known =
        allowed(l, (const char *)context->name, "element", list, sizeof list);
    if (known && (context != parent || context == l->wrapper) &&
        strcmp((const char *)context->name, "table") == 0)
      drop_names(list, "<col>, <head>, "); /* rows only, inside a <for> */
    if (strncmp(msg, "Did not expect element ", 23) == 0) {
      bad = name;
      element = true;
      snprintf(needle, nsize, "<%s", name);
    }
    if (strncmp(msg, "Expecting an element", 20) == 0)
      snprintf(msg, size, "<%s> is incomplete: an element is missing",
               (const char *)parent->name);
    if (parent == l->wrapper)
      snprintf(what, sizeof what, "%s allows", l->wrapper_name);
    else
      snprintf(what, sizeof what, "<%s> allows", (const char *)parent->name);
  } else if (sscanf(msg, "Invalid attribute %63s for element", attr) == 1) {
    allowed(l, name, attr, list, sizeof list);
    if (*list) { /* a known attribute with a value not allowed */
      snprintf(
          msg, size, "%s=\"%s\" is not allowed on <%s>", attr,
          xmlHasProp(node, BAD_CAST attr)
              ? (const char *)xmlHasProp(node, BAD_CAST attr)->children->content
              : "",
          name);
      snprintf(what, sizeof what, "%s takes", attr);
    } else {
      allowed(l, name, "attribute", list, sizeof list);
      snprintf(what, sizeof what, "<%s> takes", name);
      bad = attr;
    }
    snprintf(needle, nsize, "%s=", attr);
  } else if (strstr(msg, "failed to validate attributes")) {
    /* libxml2 may point at another node: the message names the element */
    if (sscanf(msg, "Element %63s failed", attr) == 1)
      name = attr;
    allowed(l, name, "attribute", list, sizeof list);
    snprintf(msg, size, "<%s> lacks a required attribute or has a wrong one",
             name);
    snprintf(what, sizeof what, "<%s> takes", name);
  } else {
    return;
  }
  size_t n = strlen(msg);
  if (*list)
    snprintf(msg + n, size - n, "; %.150s %.800s", what, list);
  else if (known && strstr(what, "allows"))
    snprintf(msg + n, size - n, "; %.150s no elements", what);
  n = strlen(msg);
  static const char *const inl[] = {"b", "sup", "sub",  "span",
                                    "a", "ref", "note", NULL};
  bool inline_el = false;
  for (int i = 0; element && inl[i]; i++)
    inline_el |= strcmp(bad, inl[i]) == 0;
  char tag[80];
  snprintf(tag, sizeof tag, "<%s>", bad ? bad : "");
  if (inline_el) { /* a known element in the wrong place */
    snprintf(msg + n, size - n,
             "; <%s> is inline: it stands in the text of <p>, <item>, "
             "<cell>, a section's <title>, or another inline element",
             bad);
  } else if (bad && element && *list && has_word(list, tag + 1)) {
    /* a known element in the wrong place: say where it stands */
    xmlNodePtr prev = node->prev;
    while (prev && prev->type != XML_ELEMENT_NODE)
      prev = prev->prev;
    if (prev)
      snprintf(msg + n, size - n, "; %s may not stand after <%s>", tag,
               (const char *)prev->name);
    else
      snprintf(msg + n, size - n, "; %s may not stand here", tag);
  } else if (bad && *list && nearest_in(list, bad, near, sizeof near)) {
    snprintf(msg + n, size - n, "; did you mean %s%s%s?", element ? "<" : "",
             near, element ? ">" : "");
  }
}

static int count_newlines(const xmlChar *s) {
  int n = 0;
  for (; s && *s; s++)
    n += *s == '\n';
  return n;
}

/* The line of an element.  libxml2 keeps lines up to 65535 in the node;
 * past that (with XML_PARSE_BIG_LINES) only text nodes know theirs: the
 * line where the parser flushed them, the end of a short text.  So an
 * element's line is where its first child text starts, or where the text
 * after it starts. */
static int line_of(xmlNodePtr n) {
  if (n->line < 65535)
    return n->line;
  xmlNodePtr t = n->children && n->children->type == XML_TEXT_NODE ? n->children
                 : n->next && n->next->type == XML_TEXT_NODE       ? n->next
                                                                   : NULL;
  if (t && t->line == 65535 && t->psvi)
    return (int)(ptrdiff_t)t->psvi - count_newlines(t->content);
  return (int)xmlGetLineNo(n);
}

/* libxml2's structured errors, as our diagnostics. */
static void report_xml_error(loader *l, const xmlError *e) {
  if (!e || e->level == XML_ERR_NONE)
    return;
  char msg[2048];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = 0;
  /* libxml2's own limit, in words a template author can act on (it
   * suggests an option of its API) */
  if (e->domain == XML_FROM_PARSER && e->code == XML_ERR_INTERNAL_ERROR &&
      strstr(msg, "Excessive depth"))
    snprintf(msg, sizeof msg,
             "elements nested deeper than 256 levels; a template nests a "
             "few levels deep");
  /* "Element section has extra content: b" after "Did not expect
   * element b there" says the same again */
  if (e->domain == XML_FROM_RELAXNGV && e->node && e->node == l->unexpected &&
      strstr(msg, "has extra content"))
    return;
  if (e->domain == XML_FROM_RELAXNGV && e->node &&
      strncmp(msg, "Did not expect element ", 23) == 0)
    l->unexpected = e->node;
  char needle[80] = "";
  add_hint(l, e, msg, sizeof msg, needle, sizeof needle);
  /* libxml2 caps a node's line at 65535; xmlGetLineNo knows better */
  int line = e->line;
  if (line >= 65535 && e->node)
    line = ((xmlNodePtr)e->node)->type == XML_ELEMENT_NODE
               ? line_of(e->node)
               : (int)xmlGetLineNo((xmlNodePtr)e->node);
  zp_loc loc = {e->file    ? zp_arena_strdup(l->t->arena, e->file)
                : l->depth ? l->stack[l->depth - 1]
                           : "zpgen.rng",
                line, e->int2};
  if (*needle && loc.col <= 0)
    loc.col = zp_diag_column(l->d, loc.file, &loc.line, needle);
  if (e->level == XML_ERR_WARNING)
    zp_warn(l->d, loc, "%s", msg);
  else
    zp_error(l->d, loc, "%s", msg);
}

/* Handler of the RELAX NG contexts: data is the loader.  While a document
 * validates, its errors are held (report_held). */
static void on_error(void *data, xmlErrorPtr e) {
  loader *l = data;
  if (!l->holding) {
    report_xml_error(l, e);
  } else if (l->nheld < ZP_MAX_HELD) {
    memset(&l->held[l->nheld], 0, sizeof l->held[l->nheld]);
    if (xmlCopyError(e, &l->held[l->nheld]) == 0)
      l->nheld++;
  } else {
    l->lost++;
  }
}

/* ---- a second look at a <define> ----
 *
 * A <define> holds blocks, inline content, rows or cells, patterns that
 * share <for>, <if> and <use>; when its content does not match, libxml2
 * says only "Element define has extra content: X" at its first child,
 * whatever is wrong deeper down.  So the content is validated again, on
 * its own, as each of the four kinds inside the element that holds that
 * kind (<body>, <p>, <table>, <row>), and the errors of the kind that got
 * furthest (its first error latest) are reported in its place: the misspelt
 * element or attribute itself, with what is allowed there and "did you mean".
 */

typedef struct recheck {
  loader *l;
  bool report;
  int errors;
  long at;   /* where the first error is: elements before it in the content */
  long base; /* elements of the stand-in before the content (a <col>) */
} recheck;

/* The elements before node in document order under top; -1 when it is
 * not under top. */
static long preorder(xmlNodePtr top, xmlNodePtr node) {
  long i = 0;
  xmlNodePtr n = top->children;
  while (n) {
    if (n == node)
      return i;
    if (n->type == XML_ELEMENT_NODE)
      i++;
    if (n->children && n->type == XML_ELEMENT_NODE) {
      n = n->children;
      continue;
    }
    while (n && !n->next && n->parent != top)
      n = n->parent;
    n = n ? n->next : NULL;
  }
  return -1;
}

static void on_recheck(void *data, xmlErrorPtr e) {
  recheck *r = data;
  if (r->errors++ == 0)
    r->at = e->node ? preorder(r->l->wrapper, e->node) - r->base : -1;
  if (r->report)
    report_xml_error(r->l, e);
}

static const struct {
  const char *name;  /* "<define> of …" in messages */
  const char *chain; /* the elements around the content, outermost first */
} define_kinds[] = {{"<define> of blocks", "body"},
                    {"<define> of inline content", "body p"},
                    {"<define> of rows", "body table"},
                    {"<define> of cells", "body table row"}};

/* Validates the content of def as kind k in a document of its own; the
 * errors counted in *r (and reported with r->report). */
static void validate_as(loader *l, xmlNodePtr def, int k, recheck *r) {
  xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
  xmlRelaxNGValidCtxtPtr v = NULL;
  if (!doc)
    goto done;
  if (def->doc->URL)
    doc->URL = xmlStrdup(def->doc->URL);
  xmlNodePtr top = xmlNewDocNode(doc, NULL, BAD_CAST "template", NULL);
  if (!top)
    goto done;
  xmlDocSetRootElement(doc, top);
  xmlNsPtr ns = xmlNewNs(top, def->ns ? def->ns->href : NULL, NULL);
  xmlSetNs(top, ns);
  xmlNodePtr at = top;
  char chain[64];
  snprintf(chain, sizeof chain, "%s", define_kinds[k].chain);
  for (char *e = strtok(chain, " "); e; e = strtok(NULL, " ")) {
    at = xmlNewChild(at, ns, BAD_CAST e, NULL);
    if (!at)
      goto done;
    if (strcmp(e, "table") == 0) {
      xmlNodePtr col = xmlNewChild(at, ns, BAD_CAST "col", NULL);
      if (!col || !xmlNewProp(col, BAD_CAST "width", BAD_CAST "1*"))
        goto done;
    }
  }
  r->base = 0;
  for (xmlNodePtr c = at->children; c; c = c->next)
    r->base++;
  for (xmlNodePtr c = def->children; c; c = c->next) {
    xmlNodePtr copy = xmlDocCopyNode(c, doc, 1); /* keeps the lines */
    if (!copy || !xmlAddChild(at, copy)) {
      xmlFreeNode(copy);
      goto done;
    }
  }
  v = xmlRelaxNGNewValidCtxt(l->schema);
  if (!v)
    goto done;
  xmlRelaxNGSetValidStructuredErrors(v, on_recheck, r);
  l->wrapper = at;
  l->wrapper_name = define_kinds[k].name;
  if (xmlRelaxNGValidateDoc(v, doc) != 0 && !r->errors)
    r->errors = 1; /* failed without saying why */
  l->wrapper = NULL;
done:
  if (v)
    xmlRelaxNGFreeValidCtxt(v);
  if (doc)
    xmlFreeDoc(doc);
}

/* Reports what is wrong inside def; 0 (nothing reported) when its content
 * is valid as one kind, so that libxml2's message stands (the content
 * mixes kinds). */
static int recheck_define(loader *l, xmlNodePtr def) {
  int best = -1;
  recheck bestr = {0};
  for (int k = 0; k < (int)(sizeof define_kinds / sizeof *define_kinds); k++) {
    recheck r = {l, false, 0, -1, 0};
    validate_as(l, def, k, &r);
    if (r.errors == 0)
      return 0;
    /* the kind that got furthest: the first error latest, then the
     * fewest errors */
    if (best < 0 || r.at > bestr.at ||
        (r.at == bestr.at && r.errors < bestr.errors)) {
      best = k;
      bestr = r;
    }
  }
  recheck r = {l, true, 0, -1, 0};
  validate_as(l, def, best, &r);
  return r.errors;
}

/* The <define> that libxml2's vague message e is about, or NULL. */
static xmlNodePtr vague_define(const xmlError *e) {
  xmlNodePtr n = e->node;
  if (e->domain != XML_FROM_RELAXNGV || !n || n->type != XML_ELEMENT_NODE ||
      !e->message || !strstr(e->message, "Element define has extra content"))
    return NULL;
  if (strcmp((const char *)n->name, "define") == 0)
    return n;
  return n->parent && n->parent->type == XML_ELEMENT_NODE &&
                 strcmp((const char *)n->parent->name, "define") == 0
             ? n->parent
             : NULL;
}

/* Reports the errors held while the document validated, in order, a
 * <define>'s vague one replaced by a second look at its content. */
static void report_held(loader *l) {
  for (int i = 0; i < l->nheld; i++) {
    const xmlError *e = &l->held[i];
    /* "Element body has extra content: define" after "Did not expect
     * element define there" says it again */
    bool again = i > 0 && e->node && e->node == l->held[i - 1].node &&
                 e->message && strstr(e->message, "has extra content");
    xmlNodePtr def = again ? NULL : vague_define(e);
    if (!again && (!def || recheck_define(l, def) == 0))
      report_xml_error(l, e);
  }
  for (int i = 0; i < l->nheld; i++)
    xmlResetError(&l->held[i]);
  if (l->lost)
    zp_diag_report(l->d, ZP_NOTE, (zp_loc){l->stack[l->depth - 1], 0, 0},
                   "%d more schema errors not shown", l->lost);
  l->nheld = l->lost = 0;
}

/* Handler of a parser context (its sax->serror): libxml2 passes the
 * context's userData, which is the context itself; the loader is in its
 * _private.  No global handler is installed. */
static void on_parse_error(void *data, xmlErrorPtr e) {
  xmlParserCtxtPtr ctxt = data;
  report_xml_error(ctxt->_private, e);
}

/* The parser's internalSubset callback: a template may not have a DOCTYPE
 * (no DTD, so no entity declarations and no entity expansion, in text or
 * attributes).  Reported at its line; the parser stops before reading a
 * single declaration. */
static void on_doctype(void *data, const xmlChar *name, const xmlChar *ext,
                       const xmlChar *sys) {
  xmlParserCtxtPtr ctxt = data;
  loader *l = ctxt->_private;
  if (!l->doctype)
    zp_error(l->d,
             (zp_loc){l->stack[l->depth - 1],
                      ctxt->input ? ctxt->input->line : 0, 0},
             "<!DOCTYPE %s> is not allowed: templates read no DTD and "
             "expand no entities (write the character itself or a &#x…; "
             "reference)",
             name ? (const char *)name : "");
  l->doctype = true;
  xmlStopParser(ctxt);
}

/* libxml2 reports a few errors with no parser context (an encoding
 * error, some I/O): while a template loads, these come here, as our
 * diagnostics at the file being read, instead of being printed bare. */
static void on_global_error(void *data, xmlErrorPtr e) {
  loader *l = data;
  if (l->global_errors++ != 0) /* the first; the rest repeat it */
    return;
  xmlError at = *e;
  char msg[600];
  if (!at.line && l->parsing && l->parsing->input) {
    /* where the parser stands: for an encoding error, the declaration */
    at.line = l->parsing->input->line;
    at.int2 = l->parsing->input->col;
  }
  if (at.domain == XML_FROM_I18N) {
    snprintf(msg, sizeof msg,
             "the file's bytes do not match its declared encoding (%s)",
             e->message ? e->message : "conversion failed");
    size_t n = strlen(msg);
    if (n > 1 && msg[n - 2] == '\n') /* libxml2's message ends in a newline */
      memmove(msg + n - 2, msg + n - 1, 2);
    at.message = msg;
  }
  report_xml_error(l, &at);
}

/* Generic (unstructured) messages: their text also arrives structured, so
 * this one stays silent. */
static void on_generic_error(void *data, const char *fmt, ...) {
  (void)data;
  (void)fmt;
}

static const char *intern(loader *l, const xmlChar *s) {
  return zp_arena_strdup(l->t->arena, (const char *)s);
}

/* ---- fields ---- */

static const char *skip_space(const char *s, const char *end) {
  while (s < end && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
    s++;
  return s;
}

static const char *trim_end(const char *s, const char *end) {
  while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\n' ||
                     end[-1] == '\r'))
    end--;
  return end;
}

/* A path: names separated by dots, each followed by any number of [N]. */
static bool path_ok(const char *p) {
  bool name = false;
  while (*p) {
    if (*p == '.') {
      if (!name)
        return false;
      name = false;
      p++;
    } else if (*p == '[') {
      if (!name)
        return false;
      p++;
      if (*p < '0' || *p > '9')
        return false;
      while (*p >= '0' && *p <= '9')
        p++;
      if (*p++ != ']')
        return false;
    } else if (*p == ']' || *p == ' ' || *p == '\t' || *p == '\n' ||
               *p == '{' || *p == '|' || *p == '?' || *p == '\'' || *p == ':' ||
               *p == '}') {
      return false;
    } else {
      name = true;
      p++;
    }
  }
  return name;
}

/* Parses one field's spec (between the braces) into f; false after an
 * error reported at f->loc. */
static bool parse_field(zp_arena *a, const char *b, const char *e, zp_tfield *f,
                        zp_diag *d) {
  b = skip_space(b, e);
  e = trim_end(b, e);
  const char *shown = zp_arena_strndup(a, b, (size_t)(e - b));
  if (b < e && *b == '=') {
    /* {=EXPR|fmt:arg}: the formatter after the last bar */
    const char *bar = NULL;
    for (const char *q = b; q < e; q++)
      if (*q == '|')
        bar = q;
    const char *xe = bar ? trim_end(b + 1, bar) : e;
    f->expr = zp_arena_strndup(a, skip_space(b + 1, xe),
                               (size_t)(xe - skip_space(b + 1, xe)));
    if (!*f->expr) {
      zp_error(d, f->loc, "the computed field {%s} has no expression", shown);
      return false;
    }
    b = bar ? bar : e;
  } else {
    /* {path ?? 'default'} */
    const char *dq = NULL;
    for (const char *q = b; q + 1 < e; q++)
      if (q[0] == '?' && q[1] == '?') {
        dq = q;
        break;
      }
    const char *pe = dq ? trim_end(b, dq) : e;
    if (dq) {
      const char *v = skip_space(dq + 2, e);
      const char *ve = e;
      if (ve - v >= 2 &&
          ((*v == '\'' && ve[-1] == '\'') || (*v == '"' && ve[-1] == '"'))) {
        v++;
        ve--;
      }
      f->dflt = zp_arena_strndup(a, v, (size_t)(ve - v));
    }
    const char *bar = NULL;
    for (const char *q = b; q < pe && !bar; q++)
      if (*q == '|')
        bar = q;
    const char *path_end = trim_end(b, bar ? bar : pe);
    if (path_end > b && path_end[-1] == '?') {
      f->optional = true;
      path_end = trim_end(b, path_end - 1);
    }
    f->path = zp_arena_strndup(a, b, (size_t)(path_end - b));
    if (!*f->path) {
      zp_error(d, f->loc, "the field {%s} names no data", shown);
      return false;
    }
    if (!path_ok(f->path)) {
      zp_error(d, f->loc,
               "the field {%s}: \"%s\" is not a path (names separated by "
               "dots, [N] for array elements: budget.by_source[0].name)",
               shown, f->path);
      return false;
    }
    b = bar ? bar : pe;
    e = pe;
  }
  if (b < e && *b == '|') {
    const char *fb = skip_space(b + 1, e);
    const char *colon = NULL;
    for (const char *q = fb; q < e && !colon; q++)
      if (*q == ':')
        colon = q;
    const char *fe = trim_end(fb, colon ? colon : e);
    f->fmt = zp_arena_strndup(a, fb, (size_t)(fe - fb));
    if (colon) {
      const char *ab = skip_space(colon + 1, e);
      f->arg = zp_arena_strndup(a, ab, (size_t)(trim_end(ab, e) - ab));
    }
    if (!zp_fmt_known(f->fmt)) {
      char near[64];
      const char *best = nearest_in(ZP_FMT_NAMES, f->fmt, near, sizeof near);
      zp_error(d, f->loc, "unknown formatter \"%s\" in {%s}; known: %s%s%s%s",
               f->fmt, shown, ZP_FMT_NAMES, best ? "; did you mean |" : "",
               best ? best : "", best ? "?" : "");
      return false;
    }
    const char *why = zp_fmt_check_arg(f->fmt, f->arg);
    if (why) {
      zp_error(d, f->loc, "{%s}: %s for |%s", shown, why, f->fmt);
      return false;
    }
  }
  return true;
}

bool zp_tmpl_parse_fields(zp_arena *a, const char *text, zp_loc loc,
                          const zp_tfield **fields, int *n, zp_diag *d) {
  *fields = NULL;
  *n = 0;
  int count = 0;
  for (const char *p = text; *p; p++)
    count += *p == '{';
  if (count == 0)
    return true;
  zp_tfield *v = zp_arena_alloc(a, sizeof *v * (size_t)count);
  if (!v)
    return false;
  bool ok = true;
  int line = loc.line;
  for (const char *p = text; *p;) {
    if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
      p += 2;
      continue;
    }
    if (*p == '\n')
      line++;
    if (*p != '{') {
      p++;
      continue;
    }
    zp_loc at = {loc.file, line, 0};
    const char *close = strchr(p, '}');
    const char *nl = strchr(p, '\n');
    if (!close) {
      zp_error(d, at,
               "the field \"%.20s…\" is not closed by \"}\" (write {{ "
               "for a literal brace)",
               p);
      return false;
    }
    if (!nl || nl > close) { /* the field's column, when it is on one line */
      char needle[256];
      if (close - p < (ptrdiff_t)sizeof needle - 1) {
        snprintf(needle, sizeof needle, "%.*s", (int)(close + 1 - p), p);
        int l = at.line;
        at.col = zp_diag_column(d, loc.file, &l, needle);
        if (at.col && l != at.line)
          at.col = 0; /* found elsewhere: not this one */
      }
    }
    zp_tfield *f = &v[*n];
    *f = (zp_tfield){.loc = at,
                     .start = (size_t)(p - text),
                     .end = (size_t)(close + 1 - text)};
    if (parse_field(a, p + 1, close, f, d))
      (*n)++;
    else
      ok = false;
    for (; nl && nl < close; nl = strchr(nl + 1, '\n'))
      line++;
    p = close + 1;
  }
  if (*n)
    *fields = v;
  return ok;
}

/* Attributes holding text with fields. */
static bool field_attr(const char *elem, const char *attr) {
  return (strcmp(elem, "section") == 0 && strcmp(attr, "title") == 0) ||
         (strcmp(elem, "contents") == 0 && strcmp(attr, "title") == 0) ||
         (strcmp(elem, "table") == 0 && strcmp(attr, "caption") == 0) ||
         strcmp(elem, "info") == 0 || strcmp(attr, "id") == 0 ||
         (strcmp(elem, "a") == 0 && strcmp(attr, "href") == 0) ||
         (strcmp(elem, "ref") == 0 && strcmp(attr, "to") == 0) ||
         (strcmp(elem, "attachment") == 0 &&
          (strcmp(attr, "title") == 0 || strcmp(attr, "label") == 0)) ||
         (strcmp(elem, "signature") == 0 &&
          (strcmp(attr, "unit") == 0 || strcmp(attr, "date") == 0)) ||
         (strcmp(elem, "level") == 0 &&
          (strcmp(attr, "prefix") == 0 || strcmp(attr, "suffix") == 0));
}

/* A text node of white space with at most one line break: what may stand
 * between a comment and the element it describes. */
static bool adjacent_space(xmlNodePtr c) {
  int breaks = 0;
  for (const xmlChar *s = c->content; s && *s; s++) {
    if (*s == '\n')
      breaks++;
    else if (*s != ' ' && *s != '\t' && *s != '\r')
      return false;
  }
  return breaks <= 1;
}

/* A comment's text with its white space runs made one space, trimmed;
 * NULL when it is empty. */
static const char *comment_text(loader *l, xmlNodePtr c) {
  const char *s = (const char *)(c->content ? c->content : BAD_CAST "");
  char *out = zp_arena_alloc(l->t->arena, strlen(s) + 1);
  if (!out)
    return NULL;
  size_t n = 0;
  for (; *s; s++) {
    bool space = *s == ' ' || *s == '\t' || *s == '\n' || *s == '\r';
    if (!space)
      out[n++] = *s;
    else if (n && out[n - 1] != ' ')
      out[n++] = ' ';
  }
  while (n && out[n - 1] == ' ')
    n--;
  out[n] = 0;
  return n ? out : NULL;
}

/* Converts an element and its content.  *end is set to the line where the
 * element's content ends, so that a following text knows where it starts
 * (libxml2 gives a text node the line where the parser first flushed it,
 * which is the end of a short text). */
static zp_tnode *convert(loader *l, xmlNodePtr x, const char *file, int *end) {
  zp_tnode *n = zp_arena_alloc(l->t->arena, sizeof *n);
  if (!n)
    return NULL;
  n->name = intern(l, x->name);
  n->loc = (zp_loc){file, line_of(x), 0};
  int na = 0;
  for (xmlAttrPtr a = x->properties; a; a = a->next)
    na++;
  n->attrs = zp_arena_alloc(l->t->arena, sizeof(zp_tattr) * (size_t)(na + 1));
  if (!n->attrs)
    return NULL;
  for (xmlAttrPtr a = x->properties; a; a = a->next) {
    xmlChar *v = xmlNodeListGetString(x->doc, a->children, 1);
    zp_tattr *at = &n->attrs[n->nattrs++];
    *at =
        (zp_tattr){intern(l, a->name), intern(l, v ? v : BAD_CAST ""), NULL, 0};
    xmlFree(v);
    if (field_attr(n->name, at->name) &&
        !zp_tmpl_parse_fields(l->t->arena, at->value, n->loc, &at->fields,
                              &at->nfields, l->d))
      l->bad = true;
  }
  int pos = n->loc.line; /* where the next child starts */
  bool fonts = strcmp(n->name, "family") == 0;
  zp_tnode **tail = &n->child;
  xmlNodePtr comment = NULL; /* the comment before the next element */
  for (xmlNodePtr c = x->children; c; c = c->next) {
    zp_tnode *k = NULL;
    if (c->type == XML_ELEMENT_NODE) {
      k = convert(l, c, file, &pos);
      if (k && comment)
        k->comment = comment_text(l, comment);
      comment = NULL;
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (!adjacent_space(c))
        comment = NULL;
      k = zp_arena_alloc(l->t->arena, sizeof *k);
      if (k) {
        k->text = intern(l, c->content ? c->content : BAD_CAST "");
        k->loc = (zp_loc){file, pos, 0};
        if (!fonts && !zp_tmpl_parse_fields(l->t->arena, k->text, k->loc,
                                            &k->fields, &k->nfields, l->d))
          l->bad = true;
        pos += count_newlines(c->content);
      }
    } else if (c->type == XML_ENTITY_REF_NODE) {
      zp_error(l->d, (zp_loc){file, pos, 0},
               "the entity &%s; is not expanded (templates read no DTD); "
               "write the character itself or a &#x…; reference",
               (const char *)c->name);
      return NULL;
    } else {
      /* comments, processing instructions: only move the position */
      comment = c->type == XML_COMMENT_NODE ? c : NULL;
      int at = (int)xmlGetLineNo(c);
      pos = at > pos ? at : pos + count_newlines(c->content);
      continue;
    }
    if (!k)
      return NULL;
    *tail = k;
    tail = &k->next;
  }
  *end = pos;
  return n;
}

static bool add_top(loader *l, const zp_tnode *n) {
  if (l->ntop == l->captop) {
    int cap = l->captop ? l->captop * 2 : 32;
    const zp_tnode **v = zp_arena_alloc(l->t->arena, sizeof *v * (size_t)cap);
    if (!v)
      return false;
    if (l->ntop)
      memcpy(v, l->t->top, sizeof *v * (size_t)l->ntop);
    l->t->top = v;
    l->captop = cap;
  }
  l->t->top[l->ntop++] = n;
  l->t->ntop = l->ntop;
  return true;
}

static bool load_file(loader *l, const char *path, zp_loc from,
                      bool stylesheet);

/* Gathers the top-level elements of a loaded root, following includes. */
static bool gather(loader *l, const zp_tnode *root, const char *path) {
  bool ok = true;
  for (const zp_tnode *c = root->child; c; c = c->next) {
    if (!c->name)
      continue;
    if (strcmp(c->name, "include") == 0) {
      const char *href = zp_tmpl_attr(c, "href");
      char *full;
      const char *slash = strrchr(path, '/');
      if (href[0] == '/' || !slash)
        full = zp_arena_strdup(l->t->arena, href);
      else
        full = zp_arena_printf(l->t->arena, "%.*s/%s", (int)(slash - path),
                               path, href);
      zp_loc at = c->loc;
      int line = at.line;
      at.col = zp_diag_column(l->d, at.file, &line, "<include");
      if (line != at.line)
        at.col = 0;
      ok &= load_file(l, full, at, true);
    } else {
      ok &= add_top(l, c);
    }
  }
  return ok;
}

/* Adds path to the template's list of files read, once. */
bool zp_tmpl_note_file(zp_template *t, const char *path) {
  for (int i = 0; i < t->nfiles; i++)
    if (strcmp(t->files[i], path) == 0)
      return true;
  if (t->nfiles == t->capfiles) {
    int cap = t->capfiles ? t->capfiles * 2 : 8;
    const char **v = zp_arena_alloc(t->arena, sizeof *v * (size_t)cap);
    if (!v)
      return false;
    if (t->nfiles)
      memcpy(v, t->files, sizeof *v * (size_t)t->nfiles);
    t->files = v;
    t->capfiles = cap;
  }
  const char *p = zp_arena_strdup(t->arena, path);
  if (!p)
    return false;
  t->files[t->nfiles++] = p;
  return true;
}

static bool load_file(loader *l, const char *path, zp_loc from,
                      bool stylesheet) {
  /* the same file under another spelling ("a/../b.xml") is the same */
  char *real = realpath(path, NULL);
  const char *key = zp_arena_strdup(l->t->arena, real ? real : path);
  free(real);
  for (int i = 0; i < l->depth; i++)
    if (strcmp(l->real[i], key) == 0) {
      zp_error(l->d, from, "include cycle: \"%s\" includes itself", path);
      return false;
    }
  if (l->depth == ZP_MAX_INCLUDE_DEPTH) {
    zp_error(l->d, from, "includes nested deeper than %d",
             ZP_MAX_INCLUDE_DEPTH);
    return false;
  }
  /* read here, a regular file only (a FIFO or a device would block),
   * and parsed from memory: libxml2 opens no file itself */
  char *text = NULL;
  size_t len = 0;
  if (!zp_file_read(path, from.file ? "included file" : "template", from,
                    ZP_MAX_TEMPLATE_BYTES, &text, &len, l->d))
    return false;
  if (len > INT_MAX || !zp_tmpl_note_file(l->t, path)) {
    zp_error(l->d, from.file ? from : (zp_loc){path, 0, 0},
             len > INT_MAX ? "the template \"%s\" is too large"
                           : "out of memory reading \"%s\"",
             path);
    free(text);
    return false;
  }
  l->real[l->depth] = key;
  l->global_errors = 0;
  l->stack[l->depth++] = path;
  bool ok = false;
  xmlDocPtr doc = NULL;
  xmlRelaxNGValidCtxtPtr v = NULL;
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt || !ctxt->sax)
    goto done;
  ctxt->_private = l;
  ctxt->sax->serror = on_parse_error;
  /* a DOCTYPE stops the parser before its declarations are read */
  ctxt->sax->internalSubset = on_doctype;
  /* no network, no entity expansion (so no external entities are read) */
  l->parsing = ctxt;
  doc = xmlCtxtReadMemory(ctxt, text, (int)len, path, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOCDATA |
                              XML_PARSE_BIG_LINES);
  l->parsing = NULL;
  if (!doc || l->doctype)
    goto done;
  v = xmlRelaxNGNewValidCtxt(l->schema);
  if (!v)
    goto done;
  xmlRelaxNGSetValidStructuredErrors(v, on_error, l);
  l->holding = true;
  int invalid = xmlRelaxNGValidateDoc(v, doc);
  l->holding = false;
  if (invalid) {
    int before = zp_diag_errors(l->d);
    report_held(l);
    if (zp_diag_errors(l->d) == before)
      zp_error(l->d, (zp_loc){path, 0, 0},
               "the template does not match the schema (zpgen.rng)");
    goto done;
  }
  xmlNodePtr root = xmlDocGetRootElement(doc);
  const char *want = stylesheet ? "stylesheet" : "template";
  if (strcmp((const char *)root->name, want) != 0) {
    zp_error(l->d, (zp_loc){path, (int)xmlGetLineNo(root), 0},
             "expected a <%s> here, found <%s>", want,
             (const char *)root->name);
    goto done;
  }
  const char *file = zp_arena_strdup(l->t->arena, path);
  int end = 0;
  zp_tnode *n = convert(l, root, file, &end);
  if (!n || l->bad)
    goto done;
  ok = gather(l, n, path);
done:
  if (v)
    xmlRelaxNGFreeValidCtxt(v);
  if (doc)
    xmlFreeDoc(doc);
  if (ctxt)
    xmlFreeParserCtxt(ctxt);
  free(text);
  l->depth--;
  return ok;
}

zp_template *zp_tmpl_load(const char *path, zp_diag *d) {
  loader l = {0};
  zp_template *ret = NULL;
  xmlRelaxNGParserCtxtPtr pc = NULL;
  zp_arena *a = zp_arena_new();
  if (!a)
    return NULL;
  l.t = zp_arena_alloc(a, sizeof *l.t);
  l.d = d;
  l.t->arena = a;
  l.t->path = zp_arena_strdup(a, path);
  /* libxml2's global handlers, borrowed while loading and given back */
  xmlStructuredErrorFunc saved_serror = xmlStructuredError;
  void *saved_sctx = xmlStructuredErrorContext;
  xmlGenericErrorFunc saved_generic = xmlGenericError;
  void *saved_gctx = xmlGenericErrorContext;
  xmlSetStructuredErrorFunc(&l, on_global_error);
  xmlSetGenericErrorFunc(NULL, on_generic_error);
  pc = xmlRelaxNGNewMemParserCtxt(zp_schema_rng, (int)strlen(zp_schema_rng));
  if (pc) {
    xmlRelaxNGSetParserStructuredErrors(pc, on_error, &l);
    l.schema = xmlRelaxNGParse(pc);
  }
  if (!l.schema) {
    zp_error(d, (zp_loc){"zpgen.rng", 0, 0}, "the built-in schema is broken");
    goto done;
  }
  if (load_file(&l, l.t->path, (zp_loc){0}, false) && zp_tmpl_compile(l.t, d))
    ret = l.t;
done:
  if (l.schema_doc)
    xmlFreeDoc(l.schema_doc);
  if (l.schema)
    xmlRelaxNGFree(l.schema);
  if (pc)
    xmlRelaxNGFreeParserCtxt(pc);
  xmlSetStructuredErrorFunc(saved_sctx, saved_serror);
  xmlSetGenericErrorFunc(saved_gctx, saved_generic);
  if (!ret)
    zp_arena_free(a);
  return ret;
}

void zp_tmpl_free(zp_template *t) {
  if (t)
    zp_arena_free(t->arena);
}

const char *zp_tmpl_attr(const zp_tnode *n, const char *name) {
  for (int i = 0; i < n->nattrs; i++)
    if (strcmp(n->attrs[i].name, name) == 0)
      return n->attrs[i].value;
  return NULL;
}

const zp_doc_role *zp_tmpl_roles(const zp_template *t) {
  if (t->roles)
    return t->roles;
  int n = 0;
  for (int i = 0; i < t->ntop; i++)
    if (strcmp(t->top[i]->name, "fonts") == 0)
      for (const zp_tnode *r = t->top[i]->child; r; r = r->next)
        n += r->name != NULL;
  if (n == 0)
    return NULL;
  zp_doc_role *roles =
      zp_arena_alloc(t->arena, sizeof *roles * (size_t)(n + 1));
  if (!roles)
    return NULL;
  int k = 0;
  for (int i = 0; i < t->ntop; i++) {
    if (strcmp(t->top[i]->name, "fonts") != 0)
      continue;
    for (const zp_tnode *r = t->top[i]->child; r; r = r->next) {
      if (!r->name)
        continue;
      int nf = 0;
      for (const zp_tnode *f = r->child; f; f = f->next)
        nf += f->name != NULL;
      const char **fams =
          zp_arena_alloc(t->arena, sizeof *fams * (size_t)(nf + 1));
      if (!fams)
        return NULL;
      int j = 0;
      for (const zp_tnode *f = r->child; f; f = f->next) {
        if (!f->name)
          continue;
        const char *txt = f->child && f->child->text ? f->child->text : "";
        while (*txt == ' ' || *txt == '\n' || *txt == '\t')
          txt++;
        char *s = zp_arena_strdup(t->arena, txt);
        size_t len = strlen(s);
        while (len &&
               (s[len - 1] == ' ' || s[len - 1] == '\n' || s[len - 1] == '\t'))
          s[--len] = 0;
        fams[j++] = s;
      }
      /* a later definition of a role replaces an earlier one */
      const char *name = zp_tmpl_attr(r, "name");
      int at = k;
      for (int q = 0; q < k; q++)
        if (strcmp(roles[q].name, name) == 0)
          at = q;
      roles[at] = (zp_doc_role){name, fams, r->loc};
      if (at == k)
        k++;
    }
  }
  roles[k].name = NULL;
  return roles;
}

/* ---- a generic XML reader (tmpl.h) ---- */

typedef struct xreader {
  zp_arena *a;
  zp_diag *d;
  const char *name;
  bool failed;
} xreader;

static void on_read_error(void *data, xmlErrorPtr e) {
  xreader *r = ((xmlParserCtxtPtr)data)->_private;
  if (!e || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING)
    return;
  char msg[1024];
  snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
  size_t n = strlen(msg);
  while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
    msg[--n] = 0;
  if (!r->failed) /* the first error only: the others follow from it */
    zp_error(r->d, (zp_loc){r->name, e->line, e->int2}, "malformed XML: %s",
             msg);
  r->failed = true;
}

/* Converts element x and its content (libxml2 bounds the depth). */
static zp_tnode *read_convert(xreader *r, xmlNodePtr x) {
  zp_tnode *n = zp_arena_alloc(r->a, sizeof *n);
  if (!n)
    return NULL;
  n->name = zp_arena_strdup(r->a, (const char *)x->name);
  n->loc = (zp_loc){r->name, (int)xmlGetLineNo(x), 0};
  int na = 0;
  for (xmlAttrPtr p = x->properties; p; p = p->next)
    na++;
  n->attrs = zp_arena_alloc(r->a, sizeof(zp_tattr) * (size_t)(na + 1));
  if (!n->name || !n->attrs)
    return NULL;
  for (xmlAttrPtr p = x->properties; p; p = p->next) {
    xmlChar *v = xmlNodeListGetString(x->doc, p->children, 1);
    n->attrs[n->nattrs++] =
        (zp_tattr){zp_arena_strdup(r->a, (const char *)p->name),
                   zp_arena_strdup(r->a, v ? (const char *)v : ""), NULL, 0};
    xmlFree(v);
  }
  zp_tnode **tail = &n->child;
  for (xmlNodePtr c = x->children; c; c = c->next) {
    zp_tnode *k = NULL;
    if (c->type == XML_ELEMENT_NODE) {
      k = read_convert(r, c);
    } else if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      k = zp_arena_alloc(r->a, sizeof *k);
      if (k && !(k->text = zp_arena_strdup(
                     r->a, c->content ? (const char *)c->content : "")))
        k = NULL;
    } else {
      continue; /* comments, processing instructions */
    }
    if (!k)
      return NULL;
    *tail = k;
    tail = &k->next;
  }
  return n;
}

zp_tnode *zp_tmpl_read_xml(zp_arena *a, const char *text, size_t len,
                           const char *name, zp_diag *d) {
  xreader r = {a, d, name, false};
  zp_tnode *root = NULL;
  xmlDocPtr doc = NULL;
  if (len > INT_MAX) {
    zp_error(d, (zp_loc){name, 0, 0}, "the XML is too large");
    return NULL;
  }
  /* no DTD: nothing can declare an entity (a "billion laughs") */
  static const char doctype[] = "<!DOCTYPE";
  for (size_t i = 0; i + sizeof doctype - 1 <= len; i++)
    if (text[i] == '<' && memcmp(text + i, doctype, sizeof doctype - 1) == 0) {
      zp_error(d, (zp_loc){name, 0, 0},
               "the XML has a document type declaration (<!DOCTYPE), which "
               "is not allowed here");
      return NULL;
    }
  xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
  if (!ctxt || !ctxt->sax) {
    zp_error(d, (zp_loc){name, 0, 0}, "out of memory");
    goto done;
  }
  ctxt->_private = &r;
  ctxt->sax->serror = on_read_error;
  doc = xmlCtxtReadMemory(ctxt, text, (int)len, name, NULL,
                          XML_PARSE_NONET | XML_PARSE_NOCDATA);
  if (!doc || r.failed) {
    if (!r.failed)
      zp_error(d, (zp_loc){name, 0, 0}, "malformed XML");
    goto done;
  }
  xmlNodePtr x = xmlDocGetRootElement(doc);
  if (!x) {
    zp_error(d, (zp_loc){name, 0, 0}, "the XML has no root element");
    goto done;
  }
  if (!(root = read_convert(&r, x)))
    zp_error(d, (zp_loc){name, 0, 0}, "out of memory reading the XML");
done:
  if (doc)
    xmlFreeDoc(doc);
  if (ctxt)
    xmlFreeParserCtxt(ctxt);
  return root;
}
