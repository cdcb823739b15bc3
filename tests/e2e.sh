#!/bin/sh
# End-to-end tests: render every sample, check the PDF with poppler-utils,
# and feed bad inputs.  Needs $ZPGEN (the binary) and build/tools/textcheck.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# sample name : template
SAMPLES=$(sed -n 's/^SAMPLES := //p' Makefile)
for s in $SAMPLES; do
  name=${s%%:*} tpl=${s#*:}
  out=$T/$name.pdf
  cells=""  # a form is all tables: its texts may come in any order
  case $tpl in *table*) cells=--cells ;; esac
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml --data data/$name.json \
    --output "$out" 2>"$T/$name.err"
  check "$name renders" '[ $? -eq 0 ] && [ -s "$out" ]'
  check "$name: no diagnostics" '[ ! -s "$T/$name.err" ] || { cat "$T/$name.err"; false; }'
  pdffonts "$out" >"$T/fonts.txt" 2>&1
  check "$name: pdffonts runs clean" '! grep -qiE "error|warning" "$T/fonts.txt"'
  check "$name: every face embedded, subset, with ToUnicode" \
    'awk "NR>2 { if (\$(NF-4)!=\"yes\" || \$(NF-3)!=\"yes\" || \$(NF-2)!=\"yes\") bad=1; n++ } END { exit bad || n==0 }" "$T/fonts.txt"'
  check "$name: CID TrueType faces only" \
    'awk "NR>2 && !/CID TrueType/ { bad=1 } END { exit bad }" "$T/fonts.txt"'
  pdfinfo "$out" >"$T/info.txt" 2>&1
  title=$(sed -n 's/.*"title": *"\([^"]*\)".*/\1/p' data/$name.json | head -1)
  check "$name: pdfinfo shows the Chinese title" 'grep -q "^Title: *$title" "$T/info.txt"'
  dept=$(sed -n 's/.*"department": *"\([^"]*\)".*/\1/p' data/$name.json | head -1)
  check "$name: pdfinfo shows the department as author, and a Chinese subject" \
    'grep -q "^Author: *$dept" "$T/info.txt" && grep -q "^Subject: *.*[自年]" "$T/info.txt"'
  check "$name: pdfinfo clean" '! grep -qiE "error|warning" "$T/info.txt"'
  pdftotext -raw "$out" "$T/$name.txt" 2>"$T/pdftotext.err"
  check "$name: pdftotext clean" '[ ! -s "$T/pdftotext.err" ]'
  check "$name: every text of the data appears, in order" \
    'build/tools/textcheck $cells data/$name.json "$T/$name.txt" >"$T/tc.txt" || { cat "$T/tc.txt"; false; }'
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml --data data/$name.json \
    --output "$T/again.pdf" 2>/dev/null
  check "$name: two renders are byte-identical" 'cmp -s "$out" "$T/again.pdf"'
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml --data data/$name.json \
    --output - >"$T/stdout.pdf" 2>/dev/null
  check "$name: -o - writes the same PDF to stdout" 'cmp -s "$out" "$T/stdout.pdf"'
done

# Bookmarks from the headings, nested: 一、 at the top, （一） under it.
check "bookmarks follow the headings, nested by level" \
  'SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/dept-self-eval-report.xml \
     --data data/liwan-agri-2023.json -o "$T/o.pdf" 2>/dev/null &&
   pdftohtml -xml -i -stdout "$T/o.pdf" 2>/dev/null | tr -d "\n" |
   grep -q "<outline><item page=\"1\">一、基本情况</item><outline><item page=\"1\">（一）部门职能</item>"'

# Bad inputs: a clear message, a non-zero exit, and no output file.
# expect_fail NAME EXIT PATTERN ARGS...
expect_fail() {
  what=$1 code=$2 pat=$3
  shift 3
  rm -f "$T/bad.pdf"
  $ZPGEN "$@" >"$T/bad.out" 2>"$T/bad.err"
  rc=$?
  if [ $rc -ne "$code" ]; then bad "$what: exit $rc, expected $code"; cat "$T/bad.err"; return; fi
  if ! grep -qE "$pat" "$T/bad.err"; then bad "$what: message lacks /$pat/"; cat "$T/bad.err"; return; fi
  if [ -e "$T/bad.pdf" ] || ls "$T"/bad.pdf.* >/dev/null 2>&1; then bad "$what: left an output file"; return; fi
  ok
}
TPL=templates/dept-self-eval-report.xml
DATA=data/liwan-agri-2023.json
printf '{\n  "meta": {\n    "title": "x",\n  }\n}\n' >"$T/malformed.json"
expect_fail "malformed JSON" 1 "malformed.json:3:17: error: malformed JSON" render --template $TPL --data "$T/malformed.json" -o "$T/bad.pdf"
sed 's/"rate": *[0-9.]*,//' $DATA >"$T/norate.json"
expect_fail "missing field" 1 'dept-self-eval-report.xml:[0-9]+: error: missing data .*budget\.rate .*norate.json:[0-9]+:[0-9]+.*expected a number' \
  render --template $TPL --data "$T/norate.json" -o "$T/bad.pdf"
sed 's/"total": *\([0-9.]*\)/"total": "\1"/' $DATA >"$T/wrongtype.json"
expect_fail "wrong type" 1 'dept-self-eval-report.xml:[0-9]+.*budget\.total.*wrongtype.json:[0-9]+:[0-9]+.*number' \
  render --template $TPL --data "$T/wrongtype.json" -o "$T/bad.pdf"
expect_fail "unknown template element" 1 'misspelt-element.xml:[0-9]+.*paragraf' \
  render --template tests/bad/misspelt-element.xml --data $DATA -o "$T/bad.pdf"
expect_fail "a directory as the data" 3 "error: cannot read the data: it is a directory" \
  render --template $TPL --data "$T" -o "$T/bad.pdf"
expect_fail "missing data file" 3 "nonexistent.json: error: cannot read" \
  render --template $TPL --data "$T/nonexistent.json" -o "$T/bad.pdf"
expect_fail "missing font" 3 'font role "nosuch"' \
  render --template tests/bad/missing-font.xml --data $DATA -o "$T/bad.pdf"
expect_fail "unwritable output" 3 "/nonexistent-dir/out.pdf: error: cannot write" \
  render --template $TPL --data $DATA -o /nonexistent-dir/out.pdf
# Hostile templates and data (issue 9): each a clear error at its file:line
# (or the data's line:col), exit 1, no output file, no sanitizer report.
# hostile NAME PATTERN TEMPLATE [DATA]
hostile() {
  h_name=$1 h_pat=$2 h_tpl=$3 h_data=${4:-$DATA}
  expect_fail "hostile: $h_name" 1 "$h_pat" render --template "$h_tpl" --data "$h_data" -o "$T/bad.pdf"
  # one message only (no libxml2 print before ours), never a libharu code
  if [ "$(grep -c . "$T/bad.err")" -gt 3 ] || grep -qiE "libharu|0x[0-9a-f]{4}|runtime error|Sanitizer" "$T/bad.err"; then
    bad "hostile: $h_name: stray output"; cat "$T/bad.err"; fi
}
B=tests/bad
hostile "rowspan 2147483647" "rowspan-overflow.xml:7: error: rowspan=\"2147483647\": expected a whole number from 1 to 100000" $B/rowspan-overflow.xml
hostile "rowspan past the last row" "rowspan-past-end.xml:7: error: rowspan=\"3\" reaches past the table's last row" $B/rowspan-past-end.xml
hostile "colspan 2147483647" "colspan-overflow.xml:7: error: colspan=\"2147483647\": expected a whole number from 1 to 100" $B/colspan-overflow.xml
hostile "NaN length" "nan-length.xml:5: error: style \"wide\": first-indent=\"nanpt\" is not a length" $B/nan-length.xml
hostile "infinite margin" "inf-margin.xml:5: error: margin-left=\"infmm\" is not a length" $B/inf-margin.xml
hostile "NaN padding" "nan-padding.xml:6: error: padding=\"nanpt\": one or two lengths" $B/nan-padding.xml
hostile "1000 pt font size" "huge-size.xml:5: error: style \"huge\": size=\"1000\" is neither .* nor pt from 1 to 300" $B/huge-size.xml
hostile "a 500 mm column" "wide-column.xml:6: error: the table's 1 columns need 500.0 mm .* more than the text block's 156.0 mm" $B/wide-column.xml
hostile "200 columns of 20 mm" "many-columns.xml:6: error: a table has at most 100 columns; this one has 200" $B/many-columns.xml
hostile "a column 0 wide" "zero-column.xml:6: error: width=\"0mm\": a column must be wider than 0" $B/zero-column.xml
hostile "macros that multiply" "macro-bomb.xml:[0-9]+: error: the template makes too much text for this data" $B/macro-bomb.xml
hostile "an internal DTD subset with an entity in an attribute" "doctype-entity.xml:4: error: <!DOCTYPE template> is not allowed" $B/doctype-entity.xml
hostile "bytes not in the declared encoding" "bad-encoding.xml:[0-9]+:[0-9]+: error: the file's bytes do not match its declared encoding" $B/bad-encoding.xml
hostile "an include of a directory" "include-directory.xml:4: error: cannot read the included file .*templates\": it is a directory" $B/include-directory.xml
hostile "a second byte-order mark" "bom-twice.json:1:1: error: malformed JSON: expected a JSON object, found a byte-order mark \(U\+FEFF\)" $TPL $B/bom-twice.json
hostile "JSON cut inside a character" "cut-in-character.json:2:24: error: malformed JSON: unexpected end of file inside a character" $TPL $B/cut-in-character.json
hostile "1e-400" "underflow.json:2:34: error: number 1e-400 is out of range \(so close to zero" $TPL $B/underflow.json
# generated: too big to commit
awk 'BEGIN { printf "{\"meta\": {\"title\": \"x\", \"year\": 1"; for (i = 0; i < 5000; i++) printf "7"; print "}}" }' >"$T/digits.json"
hostile "a number of 5,000 digits, shortened" "digits.json:1:33: error: number 17777777777777777777…\(5001 characters\) is out of range" $TPL "$T/digits.json"
check "hostile: the 5,000 digits are not echoed" '[ "$(wc -c <"$T/bad.err")" -lt 300 ]'
deep() { awk -v o="$1" -v c="$2" 'BEGIN { for (i = 0; i < 20000; i++) printf "%s", o; printf "1"; for (i = 0; i < 20000; i++) printf "%s", c }'; }
for kind in paren minus; do
  case $kind in paren) o="(" c=")" ;; minus) o="-" c="" ;; esac
  { printf '<?xml version="1.0" encoding="UTF-8"?>\n<template xmlns="urn:zpgen:template:1">\n'
    printf '  <include href="%s/templates/official.xml"/>\n  <body>\n' "$PWD"
    printf '    <p>{='; deep "$o" "$c"; printf '}</p>\n'
    printf '    <check value="meta.year" equals="'; deep "$o" "$c"; printf '"/>\n  </body>\n</template>\n'
  } >"$T/deep-$kind.xml"
  hostile "20,000 nested $kind in {=…}" "deep-$kind.xml:5: error: cannot compute .*deeper than 64 levels" "$T/deep-$kind.xml"
  check "hostile: 20,000 nested $kind in <check equals>" 'grep -q "deep-$kind.xml:6: error: cannot compute .*deeper than 64 levels" "$T/bad.err"'
done
# from data alone: a section title of 90,000 bytes, a document of 10,001 pages
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<template xmlns="urn:zpgen:template:1">\n'
  printf '  <include href="%s/templates/official.xml"/>\n' "$PWD"
  printf '  <body>\n    <section title="{t}"><p>x</p></section>\n'
  printf '    <for each="pages" as="p"><p>{p}</p><page-break/></for>\n  </body>\n</template>\n'
} >"$T/limits.xml"
awk 'BEGIN { printf "{\"t\": \""; for (i = 0; i < 30000; i++) printf "长"; print "\", \"pages\": []}" }' >"$T/long-title.json"
hostile "a 90,000-byte section title" "limits.xml:5: error: the section title is 90000 bytes long; .* \(the text comes from \\\$\.t: .*long-title.json:1:7\)" "$T/limits.xml" "$T/long-title.json"
awk 'BEGIN { printf "{\"t\": \"x\", \"pages\": [\n"; for (i = 0; i < 10001; i++) printf "%s\"第%d页\"\n", i ? "," : "", i; print "]}" }' >"$T/pages.json"
hostile "10,001 pages" "limits.xml:6: error: the document would have more than 10000 pages, the most zpgen writes \(this text comes from \\$\.pages\[10000\]: .*pages.json:10002:2\)" "$T/limits.xml" "$T/pages.json"
# a failed render leaves a good file untouched
cp "$T/liwan-agri-2023.pdf" "$T/bad.pdf" 2>/dev/null && {
  $ZPGEN render --template $TPL --data "$T/malformed.json" -o "$T/bad.pdf" 2>/dev/null
  check "a failed render keeps the old file" 'cmp -s "$T/bad.pdf" "$T/liwan-agri-2023.pdf"'
  rm -f "$T/bad.pdf"; }
# The 自评表's figures: each broken figure in a copy of the data is found by
# `zpgen check` with its JSON path and line, and the render refuses it.
# broken NAME LINE SED PATTERN: the copy, and what the report must say
TTPL=templates/dept-self-eval-table.xml
TDATA=data/panyu-agri-2021-table.json
broken() {
  b_name=$1 b_line=$2 b_edit=$3 b_pat=$4
  sed "${b_line}s/$b_edit" $TDATA >"$T/$b_name.json"
  expect_fail "check: $b_name" 1 "$b_name.json:$b_line:[0-9]+: error: $b_pat" \
    check --template $TTPL --data "$T/$b_name.json"
  expect_fail "render refuses: $b_name" 1 "$b_name.json:$b_line:[0-9]+: error: $b_pat" \
    render --template $TTPL --data "$T/$b_name.json" -o "$T/bad.pdf"
}
broken rate 40 '63.47/63.57/' '\$\.budget\.by_source\[0\]\.rate: stated 63\.57, computed 63\.47'
broken over 118 '1.05/3.05/' '\$\.indicators\[0\]\.children\[0\]\.children\[0\]\.score: stated 3\.05, more than the maximum 2'
broken negative 118 '1.05/-1.05/' '.*score: stated -1\.05, less than the minimum 0;'
broken weights 111 '16/17/' '\$\.indicators\[0\]\.children\[0\]\.weight: stated 17, computed 16\.00'
broken total 495 '91.31/92.31/' '\$\.total\.score: stated 92\.31, computed 91\.31'
sed '18s/增长率6%/增长率1,50.42%/' $TDATA >"$T/grouping.json"
$ZPGEN check --template $TTPL --data "$T/grouping.json" >/dev/null 2>"$T/g.err"
check "check: broken digit grouping in text is a warning" \
  'grep -q "grouping.json:18:[0-9]*: warning: \$\.goal\.target: \"1,50.42\" has broken digit grouping" "$T/g.err"'
sed '495s/91.31/"91,31"/' $TDATA >"$T/grouped.json"
expect_fail "check: a number written as text with broken grouping" 1 \
  'grouped.json:495:[0-9]+: error: \$\.total\.score: "91,31" has broken digit grouping' \
  check --template $TTPL --data "$T/grouped.json"
SOURCE_DATE_EPOCH=0 $ZPGEN render --allow-inconsistent --template $TTPL \
  --data "$T/rate.json" -o "$T/allowed.pdf" 2>"$T/allowed.err"
check "--allow-inconsistent renders, with warnings" \
  '[ -s "$T/allowed.pdf" ] && grep -q "warning: \$\.budget\.by_source\[0\]\.rate" "$T/allowed.err"'
check "the published figures pass every check" \
  '$ZPGEN check --template $TTPL --data $TDATA 2>&1 | grep -q ": 0 errors, 0 warnings"'
check "总分 shown is the computed sum of the 得分" \
  'pdftotext -raw "$T/panyu-agri-2021-table.pdf" - | tr -d " \n" | grep -q "总分10091.31"'

# A character no face has: a warning naming where it came from; an error
# (and no PDF) under --strict.
sed 's/"title": "广州市荔湾区农业农村局/"title": "\xee\x80\x80广州市荔湾区农业农村局/' $DATA >"$T/pua.json"
$ZPGEN render --template $TPL --data "$T/pua.json" -o "$T/pua.pdf" 2>"$T/pua.err"
pua_rc=$?
check "a character no font has is a warning with its location" \
  '[ $pua_rc -eq 0 ] && [ -s "$T/pua.pdf" ] && grep -q "dept-self-eval-report.xml:[0-9]*: warning: no face of font role .* has U+E000 .*pua.json:[0-9]*:[0-9]*" "$T/pua.err"'
expect_fail "--strict makes it an error" 1 "error: no face of font role" \
  render --strict --template $TPL --data "$T/pua.json" -o "$T/bad.pdf"

# Writing over an existing file keeps its mode, and a link stays a link.
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA -o "$T/mode.pdf" 2>/dev/null
chmod 600 "$T/mode.pdf"
ln -s mode.pdf "$T/link.pdf"
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA -o "$T/link.pdf" 2>/dev/null
check "an existing output keeps its mode; a symlink stays a link" \
  '[ "$(stat -c %a "$T/mode.pdf")" = 600 ] && [ -L "$T/link.pdf" ] && [ -s "$T/mode.pdf" ]'

expect_fail "usage error" 2 "usage" render --template $TPL
check "--help documents the exit codes" '$ZPGEN --help | grep -q "exit status"'
check "--version" '$ZPGEN --version | grep -q "^zpgen "'
check "fonts lists each role" '$ZPGEN fonts | grep -q "^song:"'
# make install with PREFIX and DESTDIR
if [ "$ZPGEN" = bin/zpgen ]; then
  make -s install PREFIX=/opt/zp DESTDIR="$T/inst" >/dev/null 2>&1
  check "make install PREFIX=/opt/zp DESTDIR=…" \
    '[ -x "$T/inst/opt/zp/bin/zpgen" ] && [ -f "$T/inst/opt/zp/share/zpgen/templates/official.xml" ] &&
     "$T/inst/opt/zp/bin/zpgen" fonts | grep -q "share/zpgen/fonts"'
fi

echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
