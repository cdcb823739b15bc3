#!/bin/sh
# zpgen schema: the JSON Schema of the data a template reads.  Every
# sample's data must validate against its template's schema, checked by an
# independent validator (ajv, installed from npm into build/npm, not
# committed), and the schema must refuse what the binder refuses: a
# required member missing, an array that is not one, text where a number
# is formatted.  Skipped, with the reason, when npm is unavailable.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $1"; }
AJV=build/npm/node_modules/.bin/ajv
if [ ! -x "$AJV" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "schema: skipped: npm is not installed (ajv validates the schemas)"; exit 0
  fi
  mkdir -p build/npm
  if ! npm install --no-audit --no-fund --prefix build/npm ajv@8 ajv-cli@5 >"$T/npm.log" 2>&1; then
    echo "schema: skipped: npm could not install ajv:"; tail -3 "$T/npm.log"; exit 0
  fi
fi
valid() { "$AJV" validate --spec=draft2020 --strict=false -s "$1" -d "$2" >"$T/ajv.out" 2>&1; }
SAMPLES=$(sed -n 's/^SAMPLES := //p' Makefile)
for s in $SAMPLES; do
  d=${s%%:*} t=${s#*:}
  if ! $ZPGEN schema --template "templates/$t.xml" >"$T/$t.json"; then
    bad "schema of $t"; continue
  fi
  # several data files are merged as zpgen merges them: objects member by
  # member (jq's *), the later file adding to the earlier
  files=$(sed -n 's/^SAMPLE_BASE := //p' Makefile | tr ' ' '\n' | grep "^$d:" | cut -d: -f2 | tr '+' ' ')
  if [ -n "$files" ]; then
    # shellcheck disable=SC2046 # one word per file
    jq -s 'reduce .[] as $x ({}; . * $x)' $(for b in $files; do echo "data/$b.json"; done) "data/$d.json" >"$T/$d.merged.json" ||
      { bad "merging the data of $d"; continue; }
    dj="$T/$d.merged.json"
  else
    dj="data/$d.json"
  fi
  if valid "$T/$t.json" "$dj"; then ok; else bad "data/$d.json against the schema of $t"; cat "$T/ajv.out"; fi
done
# what the schema says, on a small template
cat >"$T/t.xml" <<'X'
<template xmlns="urn:zpgen:template:1">
<style name="body"/>
<body>
  <p>{meta.title}{meta.note?}{budget.total|money}</p>
  <for each="items" as="x" doc="the items, one paragraph each"><p>{x.name}</p></for>
  <if test="extra"><p>{extra.text}</p></if>
</body></template>
X
$ZPGEN schema --template "$T/t.xml" >"$T/t.json" || bad "schema of a small template"
case1() { # NAME WANT(valid|invalid) JSON
  printf '%s' "$3" >"$T/d.json"
  if valid "$T/t.json" "$T/d.json"; then got=valid; else got=invalid; fi
  if [ "$got" = "$2" ]; then ok; else bad "$1: $got, expected $2"; cat "$T/ajv.out"; fi
}
grep -q '"items": {"description": "the items, one paragraph each", "allOf": \[{"type": "array"' "$T/t.json" && ok || bad "doc= is the description"
case1 "complete" valid '{"meta": {"title": "t"}, "budget": {"total": 1}, "items": [{"name": "a"}]}'
case1 "optional members absent" valid '{"meta": {"title": "t", "note": null}, "budget": {"total": 1}, "items": []}'
case1 "a member in an <if> is optional" valid '{"meta": {"title": "t"}, "budget": {"total": 1}, "items": [], "extra": {}}'
case1 "a required member missing" invalid '{"meta": {}, "budget": {"total": 1}, "items": []}'
case1 "a <for each> that is no array" invalid '{"meta": {"title": "t"}, "budget": {"total": 1}, "items": {}}'
case1 "text where |money needs a number" invalid '{"meta": {"title": "t"}, "budget": {"total": "1"}, "items": []}'
# the data read inside inline elements and in their attributes (id, href, to)
cat >"$T/i.xml" <<'X'
<template xmlns="urn:zpgen:template:1">
<style name="body"/><style name="h1"/>
<numbering><level n="1" format="cn" heading-style="h1"/></numbering>
<body>
  <section id="s-{code}"><title><b>{name}</b></title>
    <p>见<a href="{site.url}">站</a><ref to="s-{code}">此</ref><note>{remark}</note>m<sup>{exp}</sup></p>
  </section>
</body></template>
X
$ZPGEN schema --template "$T/i.xml" >"$T/i.json" || bad "schema of a template with inline elements"
case_i() { # NAME WANT(valid|invalid) JSON
  printf '%s' "$3" >"$T/d.json"
  if valid "$T/i.json" "$T/d.json"; then got=valid; else got=invalid; fi
  if [ "$got" = "$2" ]; then ok; else bad "$1: $got, expected $2"; cat "$T/ajv.out"; fi
}
case_i "inline: complete" valid '{"code": "a", "name": "n", "site": {"url": "https://x.org"}, "remark": "r", "exp": 2}'
case_i "inline: a note's data missing" invalid '{"code": "a", "name": "n", "site": {"url": "https://x.org"}, "exp": 2}'
case_i "inline: an href's data missing" invalid '{"code": "a", "name": "n", "site": {}, "remark": "r", "exp": 2}'
case_i "inline: an id's data missing" invalid '{"name": "n", "site": {"url": "https://x.org"}, "remark": "r", "exp": 2}'
# descriptions from doc= on the element that reads a path, or the comment
# directly before it; types from computed fields, tests and checks
cat >"$T/e.xml" <<'X'
<template xmlns="urn:zpgen:template:1">
<style name="body"/><style name="td"/><style name="th"/>
<body>
  <!-- 单位全称 -->
  <p>{unit}</p>
  <!-- two paths: a comment for the reader -->
  <p>{a1}{a2}</p>
  <!-- a blank line: a comment for the reader -->

  <p>{a3}</p>
  <p doc="预算执行率的分子">{=spent / budget * 100|percent}</p>
  <if test="score >= 90 and len(rows) > 0"><p>优</p></if>
  <if test="kind == 'a'"><p>{=sum(rows[*].w)}</p></if>
  <table><col width="20mm"/>
    <for each="rows" as="r"><row><cell doc="指标名称">{r.name}</cell></row></for>
  </table>
</body></template>
X
$ZPGEN schema --template "$T/e.xml" >"$T/t.json" || bad "schema of a template with expressions"
grep -q '"unit": {"description": "单位全称"' "$T/t.json" && ok || bad "a comment before <p> is the description"
grep -q '"name": {"description": "指标名称"' "$T/t.json" && ok || bad "doc= on <cell> is the description"
grep -q '"a[123]": {"description"' "$T/t.json" && bad "a comment before several paths or a blank line is no description" || ok
grep -q '"spent": {"type": \["number"\]}' "$T/t.json" && ok || bad "arithmetic makes a number: $(grep spent "$T/t.json")"
grep -q '"w": {"type": \["number", "null"\]}' "$T/t.json" && ok || bad "sum() members are numbers or null"
grep -q '"required": \["unit", "a1", "a2", "a3", "spent", "budget", "score", "rows"\]' "$T/t.json" && ok || bad "what the binder stops on is required: $(grep -o '"required": [^]]*]' "$T/t.json" | tail -1)"
case1 "expressions satisfied" valid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": 1, "budget": 2, "score": 95, "rows": [{"name": "a", "w": null}], "kind": "a"}'
case1 "text in arithmetic" invalid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": "1", "budget": 2, "score": 95, "rows": []}'
case1 "text in an ordering with a number" invalid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": 1, "budget": 2, "score": "95", "rows": []}'
case1 "a number compared with a string" invalid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": 1, "budget": 2, "score": 95, "rows": [], "kind": 1}'
case1 "a number read by an ordering missing" invalid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": 1, "budget": 2, "rows": []}'
case1 "sum() of text" invalid '{"a1": 1, "a2": 1, "a3": 1, "unit": "u", "spent": 1, "budget": 2, "score": 1, "rows": [{"name": "a", "w": "x"}]}'
# an element read by its index is not every element
printf '%s\n' '<template xmlns="urn:zpgen:template:1"><style name="body"/><define name="m"><p>{t.c}</p></define><body><p>{xs[0].a}{xs[1].b}</p><use name="m" t="xs[1]"/><for each="xs[0].d" as="y"><p>{y.e}</p></for></body></template>' >"$T/i.xml"
$ZPGEN schema --template "$T/i.xml" >"$T/t.json" || bad "schema of a template reading by index"
case1 "members read at two indexes, through a macro parameter and a loop" valid '{"xs": [{"a": 1, "d": [{"e": 1}]}, {"b": 2, "c": 3}]}'
# the reference's example (templates/README.md, "Descriptions"), as printed there
cat >"$T/clerk.xml" <<'X'
<template xmlns="urn:zpgen:template:1">
  <style name="body"/>
  <body>
    <!-- 填报单位全称，与公章一致 -->
    <p>{unit}</p>
    <p doc="年度预算数（万元）">{budget|money}</p>
    <p>执行率{=spent / budget * 100|percent}</p>
    <if test="score >= 90"><p>评价等级为优。</p></if>
  </body>
</template>
X
$ZPGEN schema --template "$T/clerk.xml" >"$T/t.json" || bad "schema of the reference's example"
sed -n '/^gives (`zpgen schema`/,/^```$/p' templates/README.md | sed -n '/^```json$/,/^```$/p' | grep -v '^```' >"$T/readme.lines"
missing=$( [ -s "$T/readme.lines" ] || echo "(no example found)"
  while IFS= read -r line; do grep -qF "$line" "$T/t.json" || echo "$line"; done <"$T/readme.lines")
[ -z "$missing" ] && ok || bad "the reference's example is not what zpgen schema prints: $missing"
echo "schema: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
