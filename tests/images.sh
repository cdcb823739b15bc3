#!/bin/sh
# Images, the signature block and its seal, the watermark, end to end: the
# PDF read back with poppler-utils (pdfimages, pdftotext), bad images with
# no output file, --watermark on render and batch.  Needs $ZPGEN.
set -u
. tests/lib.sh
export SOURCE_DATE_EPOCH=0
FIX=tests/layout/seal

$ZPGEN render -t $FIX.xml -d $FIX.json -o "$T/seal.pdf" 2>"$T/err"
check "the image fixture renders, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/err" ]'
pdfimages -list "$T/seal.pdf" >"$T/list" 2>&1
# --debug's optional content needs PDF 1.5, a transparency 1.4: the higher
# stays (libharu's graphics state set 1.4 over it)
$ZPGEN render --debug -t $FIX.xml -d $FIX.json -o "$T/seal-debug.pdf" 2>"$T/err"
check "the image fixture with --debug: a PDF 1.5 (optional content and transparency)" \
  '[ ! -s "$T/err" ] && head -c 8 "$T/seal-debug.pdf" | grep -q "%PDF-1.5"'
check "pdfimages runs clean" '! grep -qiE "error|warning" "$T/list"'
# page num type width height color comp bpc enc interp object ...
img() { awk -v p="$1" -v t="$2" -v w="$3" -v e="$4" \
  'NR>2 && $1==p && $3==t && $4==w && $9==e { n++ } END { print n+0 }' "$T/list"; }
check "the JPEG logo, on the page and in the flow: one image object, DCT" \
  '[ "$(img 1 image 240 jpeg)" = 2 ] && [ "$(awk "NR>2 && \$4==240 { print \$11 }" "$T/list" | sort -u | wc -l)" = 1 ]'
check "the grey PNG with alpha, in the flow and beside a block: one image object and its soft mask" \
  '[ "$(img 1 image 64 image)" = 2 ] && [ "$(img 1 smask 64 image)" = 2 ] &&
   [ "$(awk "NR>2 && \$4==64 { print \$11 }" "$T/list" | sort -u | wc -l)" = 1 ]'
check "the palette PNG with tRNS: indexed, with a soft mask" \
  'awk "NR>2 && \$1==1 && \$4==32 && \$6==\"index\"" "$T/list" | grep -q . && [ "$(img 1 smask 32 image)" = 1 ]'
check "the seal: RGB with a soft mask, compressed (not 100%)" \
  '[ "$(img 4 image 600 image)" = 1 ] && [ "$(img 4 smask 600 image)" = 1 ] &&
   ! awk "NR>2 && \$4==600 && \$3==\"smask\"" "$T/list" | grep -q "100%"'
pdftotext -f 4 -l 4 "$T/seal.pdf" "$T/p4.txt"
check "pdftotext of the seal page: the body, then the unit and the date, unbroken" \
  'tr -d "\n" <"$T/p4.txt" | grep -q "无效必问责。广州市某某区某某局（样章示例）2024年3月15日"'
pdftotext "$T/seal.pdf" "$T/all.txt"
check "the watermark (样稿) is not in the extracted text" '! grep -q "稿" "$T/all.txt"'
check "the watermark is drawn on every page (the dump)" \
  '$ZPGEN render -t $FIX.xml -d $FIX.json -o "$T/s2.pdf" --dump-layout "$T/d" &&
   [ "$(grep -c "^  watermark .*text=样稿" "$T/d")" = "$(grep -c "^page " "$T/d")" ]'
check "two renders with images are byte-identical" 'cmp -s "$T/seal.pdf" "$T/s2.pdf"'
pdftoppm -r 20 -png -f 4 -l 4 "$T/seal.pdf" "$T/p4" 2>"$T/ppm.err"
check "the seal page rasterises clean" '[ ! -s "$T/ppm.err" ] && ls "$T"/p4*.png >/dev/null'

# the signature block kept with the paragraph before it: a body that ends
# one line short of the page's foot moves its last lines and the block
/usr/bin/env printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' \
  '<template xmlns="urn:zpgen:template:1" version="1">' \
  "  <include href=\"$PWD/templates/official.xml\"/>" \
  '  <body><for each="paras" as="t"><p>{t}</p></for>' \
  "    <signature unit=\"{unit}\" date=\"{date}\" seal=\"$PWD/data/seal-specimen.png\"/></body>" \
  '</template>' >"$T/keep.xml"
for n in 1 2 3 4 5 6 7 8 9 10 11; do
  para="部门整体支出绩效自评工作按照市委和区委的部署，坚持目标导向，加强预算绩效管理。"
  printf '{"unit": "某某局", "date": "2024年3月15日", "paras": [' >"$T/keep.json"
  k=0; while [ $k -lt $n ]; do [ $k -gt 0 ] && printf ',' >>"$T/keep.json"; printf '"%s%s"' "$para" "$para" >>"$T/keep.json"; k=$((k+1)); done
  printf ']}\n' >>"$T/keep.json"
  $ZPGEN render -t "$T/keep.xml" -d "$T/keep.json" -o "$T/keep.pdf" --dump-layout "$T/keep-$n.dump" 2>/dev/null || bad "keep $n renders"
done
# in every dump: the unit, the date and the seal on one page, with a body
# line before them on that page
check "the signature block and its seal are never split, never alone on a page" \
  'for f in "$T"/keep-*.dump; do awk "
     /^page / { p++; body = 0 }
     /^  line / && /text=某某局\$/ { up = p; if (!body) alone = 1 }
     /^  line / && /text=2024年3月15日\$/ { dp = p }
     /^  seal / { sp = p }
     /^  line / && /text=部门/ { body = 1 }
     END { exit !(up && up == dp && dp == sp && !alone) }" "$f" || { echo "$f"; exit 1; }; done'
check "a page break fell inside the body before the block in one of the cases" \
  'grep -l "break=keep-with-next" "$T"/keep-*.dump | grep -q .'

# a signature's doc= describes the data its unit and date read (zpgen schema)
sed 's|<signature unit="{unit}" date="{date}"|<signature unit="{unit}" date="{date}" doc="落款单位与日期"|' "$T/keep.xml" >"$T/doc.xml"
check "zpgen schema: a signature's doc= describes unit and date" \
  '$ZPGEN schema -t "$T/doc.xml" | grep -q "\"unit\": {\"description\": \"落款单位与日期\""'

# bad images: an error with file:line, exit 1, no output file
for f in missing-image image-unreadable; do
  rm -f "$T/bad.pdf"
  $ZPGEN render -t tests/bad/$f.xml -d data/liwan-agri-2023.json -o "$T/bad.pdf" 2>"$T/bad.err"
  check "$f: exit 1, file:line:col, no output file" \
    '[ $? -eq 1 ] && [ ! -e "$T/bad.pdf" ] && grep -q "^tests/bad/$f.xml:[0-9]*:[0-9]*: error: cannot" "$T/bad.err"'
done

# --watermark
TPL=templates/dept-self-eval-report.xml DATA=data/liwan-agri-2023.json
$ZPGEN render -t $TPL -d $DATA -o "$T/plain.pdf" --dump-layout "$T/plain.dump"
$ZPGEN render -t $TPL -d $DATA -o "$T/wm.pdf" --watermark 草稿 --dump-layout "$T/wm.dump" 2>"$T/err"
check "render --watermark 草稿: exit 0, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/err" ]'
check "--watermark: on every page, behind, 45°, 0.15" \
  '[ "$(grep -c "^  watermark .* size=72.0 angle=45.0 opacity=0.15 behind text=草稿$" "$T/wm.dump")" = "$(grep -c "^page " "$T/wm.dump")" ]'
check "--watermark changes nothing else of the layout" \
  'grep -v "^  watermark" "$T/wm.dump" | cmp -s - "$T/plain.dump"'
check "--watermark: the text extracted is the same as without it" \
  'pdftotext "$T/plain.pdf" "$T/plain.txt" && pdftotext "$T/wm.pdf" "$T/wm.txt" && cmp -s "$T/plain.txt" "$T/wm.txt"'
check "--watermark: its ExtGState is in the PDF" 'grep -aq "/ExtGState" "$T/wm.pdf"'
$ZPGEN render -t $FIX.xml -d $FIX.json -o "$T/over.pdf" --watermark 草稿 --dump-layout "$T/over.dump"
check "--watermark over a template's <watermark>: its settings, this text" \
  'grep -q "^  watermark .* size=96.0 angle=45.0 opacity=0.15 behind text=草稿$" "$T/over.dump"'
for v in "" "$(printf 'a\tb')" "$(head -c 201 /dev/zero | tr '\0' x)"; do
  $ZPGEN render -t $TPL -d $DATA -o "$T/u.pdf" --watermark "$v" 2>"$T/err"
  check "--watermark \"$(printf %s "$v" | head -c 12)…\": a usage error" '[ $? -eq 2 ] && [ ! -e "$T/u.pdf" ] && grep -q "^zpgen render: --watermark" "$T/err"'
done
mkdir "$T/b"
printf '{"id": "r", "template": "%s", "data": "%s", "output": "%s"}\n' "$PWD/$TPL" "$PWD/$DATA" "$T/b/r.pdf" >"$T/b.jsonl"
$ZPGEN batch "$T/b.jsonl" --quiet --report "$T/b1.jsonl" 2>/dev/null
$ZPGEN batch "$T/b.jsonl" --quiet --watermark 样稿 --report "$T/b2.jsonl" 2>/dev/null
check "batch --watermark: a new watermark renders the report again" 'grep -q "\"status\":\"rendered\"" "$T/b2.jsonl"'
$ZPGEN batch "$T/b.jsonl" --quiet --watermark 样稿 --report "$T/b3.jsonl" 2>/dev/null
check "batch --watermark: the same watermark skips it" 'grep -q "\"status\":\"skipped\"" "$T/b3.jsonl"'
$ZPGEN render -t $TPL -d $DATA -o "$T/single.pdf" --watermark 样稿
check "batch --watermark: byte-identical to render --watermark" 'cmp -s "$T/single.pdf" "$T/b/r.pdf"'

# every example of templates/README.md's section on images renders: its
# ```xml blocks, images and signatures in a body, each watermark in a
# template of its own, in a template beside templates/official.xml
mkdir -p "$T/ex/templates" && ln -s "$PWD/data" "$T/ex/data" && cp templates/official.xml "$T/ex/templates/"
awk '/^## Images, the signature block and the watermark/ { on = 1; next }
     /^## / { on = 0 }
     on && /^```xml/ { n++; file = sprintf("'"$T"'/ex/block-%d", n); next }
     on && /^```/ { file = ""; next }
     file { print > file }' templates/README.md
printf '{"meta": {"department": "广州市某某区某某局", "date_cn": "2024年3月15日"}}\n' >"$T/ex/d.json"
nex=0
for b in "$T"/ex/block-*; do
  if grep -q "<part\|<attachment" "$b"; then
    # parts with watermarks of their own: a body of parts, "…" a paragraph;
    # the cover without one, the attachment's page with its own
    { printf '<template xmlns="urn:zpgen:template:1" version="1">\n<include href="official.xml"/>\n<body>\n'
      sed 's|…|<p>正文</p>|' "$b"; printf '</body></template>\n'; } >"$T/ex/templates/p.xml"
    $ZPGEN render -t "$T/ex/templates/p.xml" -d "$T/ex/d.json" -o "$T/ex/p.pdf" --dump-layout "$T/ex/p.dump" 2>"$T/ex/err" &&
      awk '/^page / { n = $2 } /^  watermark / { w[n]++ } END { exit !(w[1] == 0 && w[2] == 1) }' "$T/ex/p.dump" ||
      { bad "README example block $b (parts)"; cat "$T/ex/err" "$b"; }
    nex=$((nex + 1))
  elif grep -q "<watermark" "$b"; then
    k=0
    while IFS= read -r l; do
      k=$((k + 1))
      { printf '<template xmlns="urn:zpgen:template:1" version="1">\n<include href="official.xml"/>\n'
        printf '%s\n<body><p>正文</p></body></template>\n' "$l"; } >"$T/ex/templates/w$k.xml"
      $ZPGEN render -t "$T/ex/templates/w$k.xml" -d "$T/ex/d.json" -o "$T/ex/w$k.pdf" --dump-layout "$T/ex/w$k.dump" 2>"$T/ex/err" &&
        grep -q "^  watermark " "$T/ex/w$k.dump" || { bad "README example: $l"; cat "$T/ex/err"; }
      nex=$((nex + 1))
    done <"$b"
  else
    { printf '<template xmlns="urn:zpgen:template:1" version="1">\n<include href="official.xml"/>\n<body><p>正文</p>\n'
      cat "$b"; printf '</body></template>\n'; } >"$T/ex/templates/b.xml"
    $ZPGEN render -t "$T/ex/templates/b.xml" -d "$T/ex/d.json" -o "$T/ex/b.pdf" --dump-layout "$T/ex/b.dump" 2>"$T/ex/err" &&
      [ "$(grep -c "^  \(image\|seal\) " "$T/ex/b.dump")" -ge 2 ] || { bad "README example block $b"; cat "$T/ex/err" "$b"; }
    nex=$((nex + 1))
  fi
done
check "the README's image examples were all found and rendered ($nex)" '[ $nex -eq 6 ]'

echo "images: $pass passed, $fail failed"
[ $fail -eq 0 ]
