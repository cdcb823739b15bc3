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
  if valid "$T/$t.json" "data/$d.json"; then ok; else bad "data/$d.json against the schema of $t"; cat "$T/ajv.out"; fi
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
echo "schema: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
