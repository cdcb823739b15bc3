#!/bin/sh
# End-to-end tests: render every sample, check the PDF with poppler-utils,
# and feed bad inputs.  Needs $ZPGEN (the binary) and build/tools/textcheck
# and seedbreaks.
set -u
. tests/lib.sh

# sample name : template
SAMPLES=$(sed -n 's/^SAMPLES := //p' Makefile)
for s in $SAMPLES; do
  name=${s%%:*} tpl=${s#*:}
  dopts=$(sample_data "$name") # its base data files, then its own
  out=$T/$name.pdf
  cells=""  # a form is all tables: its texts may come in any order
  case $tpl in *table*) cells=--cells ;; esac
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml $dopts \
    --output "$out" 2>"$T/$name.err"
  check "$name renders" '[ $? -eq 0 ] && [ -s "$out" ]'
  check "$name: no diagnostics" '[ ! -s "$T/$name.err" ] || { cat "$T/$name.err"; false; }'
  check "$name: samples/$name.pdf is what this zpgen makes (run make samples after a change)" \
    'cmp -s "$out" samples/$name.pdf'
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
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml $dopts \
    --output "$T/again.pdf" 2>/dev/null
  check "$name: two renders are byte-identical" 'cmp -s "$out" "$T/again.pdf"'
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml $dopts \
    --output - >"$T/stdout.pdf" 2>/dev/null
  check "$name: -o - writes the same PDF to stdout" 'cmp -s "$out" "$T/stdout.pdf"'
  # --debug: the overlay in the optional-content group "zpgen debug"; the
  # same text, the same pages, a different picture
  SOURCE_DATE_EPOCH=0 $ZPGEN render --debug --template templates/$tpl.xml $dopts \
    --output "$T/debug.pdf" --dump-layout "$T/debug.dump" 2>"$T/debug.err"
  check "$name --debug renders, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/debug.err" ]'
  pdftotext -raw "$T/debug.pdf" "$T/debug.txt" 2>"$T/debug.err"
  pdftotext "$out" "$T/plain-layout.txt" 2>/dev/null
  pdftotext "$T/debug.pdf" "$T/debug-layout.txt" 2>>"$T/debug.err"
  check "$name --debug: pdftotext gives the same text (raw and physical layout)" \
    '[ ! -s "$T/debug.err" ] && cmp -s "$T/$name.txt" "$T/debug.txt" && cmp -s "$T/plain-layout.txt" "$T/debug-layout.txt"'
  check "$name --debug: the PDF lists the optional-content group \"zpgen debug\", on, in every page's resources" \
    'grep -aq "^/OCProperties" "$T/debug.pdf" && grep -aq "^/Type /OCG" "$T/debug.pdf" &&
     grep -aq "^/Name (zpgen debug)" "$T/debug.pdf" && grep -aq "^/ON \[" "$T/debug.pdf" &&
     [ "$(grep -ac "^/zpdebug [0-9]* 0 R" "$T/debug.pdf")" -eq "$(pdfinfo "$T/debug.pdf" | sed -n "s/^Pages: *//p")" ]'
  check "$name --debug: a PDF 1.5, pdfinfo and pdffonts clean, the same pages and fonts" \
    'head -c 8 "$T/debug.pdf" | grep -q "%PDF-1.5" && ! pdfinfo "$T/debug.pdf" 2>&1 | grep -qiE "error|warning" &&
     [ "$(pdfinfo "$T/debug.pdf" | grep "^Pages")" = "$(pdfinfo "$out" | grep "^Pages")" ] &&
     [ "$(pdffonts "$T/debug.pdf" 2>&1 | awk "NR>2 { print \$1, \$(NF-4), \$(NF-3), \$(NF-2) }")" = \
       "$(pdffonts "$out" 2>&1 | awk "NR>2 { print \$1, \$(NF-4), \$(NF-3), \$(NF-2) }")" ]'
  rm -f "$T"/plain-*.pgm "$T"/dbg-*.pgm # the last sample's (named -1 or -01)
  pdftoppm -r 30 -gray -f 1 -l 1 "$out" "$T/plain" 2>/dev/null
  pdftoppm -r 30 -gray -f 1 -l 1 "$T/debug.pdf" "$T/dbg" 2>/dev/null
  check "$name --debug: the overlay is drawn (page 1 renders differently)" \
    '[ -s "$T/plain-1.pgm" ] || [ -s "$T/plain-01.pgm" ]; ! cmp -s "$T"/plain-*1.pgm "$T"/dbg-*1.pgm'
  check "$name --debug: the layout is the same (the dump does not change)" \
    'SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/$tpl.xml $dopts -o "$T/nd.pdf" \
       --dump-layout "$T/nd.dump" 2>/dev/null && cmp -s "$T/nd.dump" "$T/debug.dump"'
  check "$name: the dump says why each page broke" \
    '! grep "^page " "$T/debug.dump" | grep -vqE " break=(forced|full|widow|orphan|keep-with-next|keep-together|table-head|table-row-split|table-row-moved|end)\$" &&
     [ "$(grep "^page " "$T/debug.dump" | tail -1 | sed "s/.* break=//")" = end ]'
done

# Bookmarks from the headings, nested: 一、 at the top, （一） under it.
check "bookmarks follow the headings, nested by level" \
  'SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/dept-self-eval-report.xml \
     --data data/liwan-agri-2023.json -o "$T/o.pdf" 2>/dev/null &&
   pdftohtml -xml -i -stdout "$T/o.pdf" 2>/dev/null | tr -d "\n" |
   grep -q "<outline><item page=\"1\">一、基本情况</item><outline><item page=\"1\">（一）部门职能</item>"'

# A table of contents (tests/layout/contents.xml, on pages 1 and 2): every
# entry's number is the page where pdftotext finds its heading, every entry
# links to that page, the URLs of the text are link annotations, and the
# title 目录 and the headings are bookmarks.
toc=$T/toc.pdf
SOURCE_DATE_EPOCH=0 $ZPGEN render --template tests/layout/contents.xml \
  --data tests/layout/contents.json -o "$toc" 2>"$T/toc.err"
check "contents: renders cleanly" '[ $? -eq 0 ] && [ ! -s "$T/toc.err" ]'
pdftotext -layout -f 1 -l 2 "$toc" - 2>/dev/null |
  tr -d '\f' | sed -n 's/^ *\(.*[^.]\)\.\.\.*\([0-9][0-9]*\)$/\2 \1/p' | tr -d ' ' |
  sed 's/^\([0-9]*\)/\1 /' >"$T/toc.txt"
tocok=1
while read -r n head; do
  pdftotext -f "$n" -l "$n" "$toc" - 2>/dev/null | tr -d ' \n' | grep -qF "$head" ||
    { echo "contents: \"$head\" is not on page $n"; tocok=0; }
done <"$T/toc.txt"
check "contents: 21 entries, each heading on the page its entry says" \
  '[ "$(wc -l <"$T/toc.txt")" -eq 21 ] && [ $tocok -eq 1 ]'
python3 tests/tools/pdflinks.py "$toc" >"$T/links.txt"
check "contents: each entry links to its heading's page" \
  '[ "$(awk "\$1 <= 2 && \$2 == \"dest\" { print \$3 }" "$T/links.txt" | uniq)" = \
     "$(cut -d" " -f1 "$T/toc.txt" | uniq)" ]'
check "contents: the URLs in the text are links, a wrapped one on each of its lines" \
  '[ "$(grep -c " uri https://www.example.gov.cn/zwgk/2023/performance-report-final-version-index.html\$" "$T/links.txt")" -eq 2 ] &&
   grep -q "^3 uri http://www.example.gov.cn\$" "$T/links.txt" &&
   pdfinfo -url "$toc" | grep -q "^ *3 *Annotation *http://www.example.gov.cn\$"'
check "a reference (<ref to>) links to its target's page, a link (<a href>) to its URL on both its lines" \
  'grep -q "^3 dest $(sed -n "s/ 附件：资金明细\$//p" "$T/toc.txt")\$" "$T/links.txt" &&
   [ "$(grep -c "^3 uri https://www.gov.cn/zhengce/\$" "$T/links.txt")" -eq 2 ]'
check "an id is a named destination on its element's page" \
  'pdfinfo -dests "$toc" | grep -q "^ *$(sed -n "s/ 附件：资金明细\$//p" "$T/toc.txt") .*\"annex\"\$"'
check "contents: its title and the headings are bookmarks" \
  'pdftohtml -xml -i -stdout "$toc" 2>/dev/null | tr -d "\n" |
   grep -q "<outline><item page=\"1\">目录</item><item page=\"3\">一、总体情况</item><outline><item page=\"3\">（一）子项1</item>"'

# Parts, contents and footnotes together (tests/layout/furniture.xml): a
# cover, a roman contents, a body restarting at 1 with footnotes, a
# landscape attachment.  Every contents number is the page label of the page
# pdftotext finds its heading on; every part's headings and the attachment
# are bookmarks.
fu="$T/furniture.pdf"
$ZPGEN render --template tests/layout/furniture.xml --data tests/layout/furniture.json -o "$fu" 2>"$T/fu.err"
check "furniture renders, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/fu.err" ]'
python3 tests/tools/pagelabels.py "$fu" "$(pdfinfo "$fu" | sed -n "s/^Pages: *//p")" >"$T/fu.labels"
check "furniture: each contents number is the label of its heading's page" \
  'n=0; bad=0
   for h in 一、第1部分 二、第2部分 三、第3部分 四、第4部分; do
     want=$(pdftotext -f 2 -l 2 "$fu" - | tr -d " " | sed -n "s/^$h\\.*\\([0-9]*\\)\$/\\1/p")
     pg=0; for p in $(seq 3 7); do pdftotext -f $p -l $p "$fu" - | grep -q "^$h" && pg=$p; done
     [ -n "$want" ] && [ "$(sed -n "${pg}p" "$T/fu.labels")" = "$want" ] || bad=1; n=$((n + 1))
   done; [ $n -eq 4 ] && [ $bad -eq 0 ]'
check "furniture: the landscape attachment is the last page, its bookmark 附件 评分表" \
  'pdfinfo -f 7 -l 7 "$fu" | grep -q "Page *7 size: *841.89 x 595.2" &&
   pdftohtml -xml -i -stdout "$fu" 2>/dev/null | tr -d "\n" |
   grep -q "<item page=\"3\">一、第1部分</item><item page=\"4\">二、第2部分</item><item page=\"5\">三、第3部分</item><item page=\"6\">四、第4部分</item><item page=\"7\">附件 评分表</item></outline>"'
$ZPGEN render --template tests/layout/furniture.xml --data tests/layout/furniture.json \
  -o "$T/fu2.pdf" --watermark 样稿 --dump-layout "$T/fu2.dump" 2>/dev/null
check "furniture: --watermark on every page but the cover's (watermark=no), in the attachment's own look" \
  '[ "$(grep -c "^  watermark .* angle=45.0 .*text=样稿\$" "$T/fu2.dump")" -eq 5 ] &&
   [ "$(grep -c "^  watermark .* angle=30.0 opacity=0.20 .*text=样稿\$" "$T/fu2.dump")" -eq 1 ] &&
   ! sed -n "/^page 1 /,/^page 2 /p" "$T/fu2.dump" | grep -q watermark'
sed 's#<contents levels="1-2" title="目录" attachments="yes"/>#<contents levels="1-2" title="目录" attachments="yes" numbers="folio"/>#' \
  tests/layout/furniture.xml >tests/layout/.furniture-folio.xml
$ZPGEN render --template tests/layout/.furniture-folio.xml --data tests/layout/furniture.json \
  -o "$T/fu3.pdf" 2>/dev/null
rm -f tests/layout/.furniture-folio.xml
check "furniture: contents numbers=folio prints each number as its page's folio (— 1 —)" \
  'pdftotext -f 2 -l 2 "$T/fu3.pdf" - | grep -q "^一、第1部分\.*— 1 —\$" &&
   pdftotext -f 2 -l 2 "$T/fu3.pdf" - | grep -q "^四、第4部分\.*— 4 —\$"'
# attachments listed in a contents move as its length changes: rendered
# without --dump-layout (which lays out once more), each number is still
# the label of the page its attachment starts on
ca="$T/ca.pdf"
$ZPGEN render --template tests/layout/contents-attachments.xml \
  --data tests/layout/contents-attachments.json -o "$ca" 2>/dev/null
python3 tests/tools/pagelabels.py "$ca" "$(pdfinfo "$ca" | sed -n "s/^Pages: *//p")" >"$T/ca.labels"
check "contents of attachments: 附件1 and 附件40 at the pages their numbers name" \
  'n1=$(pdftotext -f 1 -l 4 "$ca" - | tr -d " " | sed -n "s/^附件1标.*\.\([0-9]*\)\$/\1/p" | head -1)
   n40=$(pdftotext -f 1 -l 4 "$ca" - | tr -d " " | sed -n "s/^.*\.\.\([0-9]*\)\$/\1/p" | tail -1)
   p1=$(grep -nx "$n1" "$T/ca.labels" | head -1 | cut -d: -f1)
   p40=$(grep -nx "$n40" "$T/ca.labels" | head -1 | cut -d: -f1)
   [ -n "$p1" ] && [ -n "$p40" ] &&
   pdftotext -f "$p1" -l "$p1" "$ca" - | head -1 | grep -qx "附件1" &&
   pdftotext -f "$p40" -l "$p40" "$ca" - | head -1 | grep -qx "附件40"'
check "furniture: a footnote on its marker's page, in the body's numbering" \
  'pdftotext -f 3 -l 3 "$fu" - | tr -d " \n" | grep -q "①脚注第1部分"'

# Lines broken where the bureau's Word broke them: the 荔湾 sample against
# its publication (tests/seeds/liwan-agri-2023.txt, each line a printed
# line), LAYOUT.md's reference measure; the figures are printed.
SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/dept-self-eval-report.xml \
  --data data/liwan-agri-2023.json -o "$T/lw.pdf" --dump-layout "$T/lw.dump" 2>/dev/null
build/tools/seedbreaks --min 90 --max-over 6 tests/seeds/liwan-agri-2023.txt \
  "$T/lw.dump" >"$T/sb.txt"
sb=$?
sed 's/^/  /' "$T/sb.txt"
check "the 荔湾 sample reproduces >= 90 % of the publication's breaks, <= 6 % of full lines over 28 cells" \
  '[ $sb -eq 0 ]'

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
expect_fail "missing field" 1 'dept-self-eval-report.xml:[0-9]+(:[0-9]+)?: error: missing data .*budget\.rate .*norate.json:[0-9]+:[0-9]+.*expected a number' \
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
# The 核查报告 (review-report.xml over the 荔湖 自评报告 and the
# evaluator's file): its title and author, and the figures it computes
# from the two files, as pdftotext reads them.
SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/review-report.xml \
  $(sample_data lihu-2023-review) -o "$T/rv.pdf" 2>/dev/null
pdfinfo "$T/rv.pdf" >"$T/rv.info" 2>&1
check "核查报告: the title joins the department and the year, the evaluator is the author" \
  'grep -q "^Title: *广州市增城区人民政府荔湖街道办事处2023年度部门整体支出绩效自评核查报告$" "$T/rv.info" &&
   grep -q "^Author: *某某绩效评价中心（样例）$" "$T/rv.info"'
pdftotext -raw "$T/rv.pdf" - 2>/dev/null | tr -d " \n" >"$T/rv.txt"
check "核查报告: 自评得分 94.9 (the sum of the 26 三级指标), 调整 -0.49, 核查得分 94.41, 优" \
  'grep -q "自评得分94.9分，核查调整-0.49分，核查得分94.41分，评价等级为“优”" "$T/rv.txt"'
check "核查报告: the 一级指标 subtotals (48.9 and 46) and the counts of indicators" \
  'grep -q "履职效能指标分值50分，自评得分48.9分；管理效率指标分值50分，自评得分46分" "$T/rv.txt" &&
   grep -q "2个一级指标、8个二级指标和26个三级指标，部门年度关键指标14项，以及年度重点工作任务7项" "$T/rv.txt"'
check "核查报告: the summary table's 采购管理 row (10, 7.5, 75.0%) and its total (100, 94.9, 94.9%)" \
  'grep -q "采购管理107.575.0%" "$T/rv.txt" && grep -q "合计10094.994.9%" "$T/rv.txt"'
check "核查报告: the adjustment row (20, 19.99, -0.49, 19.5) and 附件1 ends with 核查得分 94.41（优）" \
  'grep -q "2019.99-0.4919.5" "$T/rv.txt" && grep -q "核查得分94.41（优）" "$T/rv.txt"'
last=$(pdfinfo "$T/rv.pdf" | sed -n "s/^Pages: *//p")
check "核查报告: 附件1 starts a page of its own after the signature block" \
  'p=$(for i in $(seq 1 "$last"); do pdftotext -raw -f $i -l $i "$T/rv.pdf" - | tr -d " \n" | grep -q "^附件1部门整体绩效指标评分核查表" && echo $i; done | head -1);
   [ -n "$p" ] && pdftotext -raw -f $((p - 1)) -l $((p - 1)) "$T/rv.pdf" - | tr -d " \n" | grep -q "某某绩效评价中心（样例）2024年3月29日"'
sed 's/"delta": -0.49/"delta": -25/' data/lihu-2023-review.json >"$T/rv-bad.json"
expect_fail "核查报告: an adjustment below 0 points is refused by its check" 1 \
  'review.adjustments\[0\].delta: stated -25, less than the minimum -19.99; rule: 核查后得分不为负' \
  render --template templates/review-report.xml --data data/lihu-2023.json --data "$T/rv-bad.json" -o "$T/bad.pdf"

# The 核查报告's furniture: an unnumbered cover and contents, the body from
# 1, 附件1 on landscape pages.  Its page labels are the printed numbers;
# each contents entry's heading is on the page whose label the entry names;
# the grade-band footnote is on its marker's page; the seal is an image.
SOURCE_DATE_EPOCH=0 $ZPGEN render --template templates/review-report.xml \
  $(sample_data lihu-2023-review) -o "$T/rv.pdf" --dump-layout "$T/rv.dump" 2>/dev/null
np=$(pdfinfo "$T/rv.pdf" | sed -n 's/^Pages: *//p')
check "核查报告: pdfinfo's page count is the layout's" \
  '[ -n "$np" ] && [ "$np" -eq "$(grep -c "^page " "$T/rv.dump")" ] && [ "$np" -ge 9 ]'
python3 tests/tools/pagelabels.py "$T/rv.pdf" "$np" >"$T/rv.labels"
sed -n 's/^  part .* number=//p' "$T/rv.dump" | sed 's/^-$//' >"$T/rv.numbers"
check "核查报告: the page labels are the printed numbers: cover and contents unlabelled, the body from 1" \
  'cmp -s "$T/rv.labels" "$T/rv.numbers" && [ "$(head -3 "$T/rv.labels" | tr "\n" "|")" = "||1|" ]'
# the contents' entries: "一、核查依据和范围……1" on the contents page
pdftotext -raw -f 2 -l 2 "$T/rv.pdf" - 2>/dev/null | tr -d " " |
  sed -n 's/^\(.*[^.]\)\.\.\.*\([0-9][0-9]*\)$/\2 \1/p' >"$T/rv.toc"
entries=0 found=0
while read -r num head; do
  entries=$((entries + 1))
  p=$(grep -nx "$num" "$T/rv.labels" | head -1 | cut -d: -f1)
  # a heading is a line of its page; an attachment's entry (附件1 名称) its
  # label and title lines, one after the other
  [ -n "$p" ] && { pdftotext -raw -f "$p" -l "$p" "$T/rv.pdf" - 2>/dev/null | tr -d " " |
    grep -qxF "$head" || pdftotext -raw -f "$p" -l "$p" "$T/rv.pdf" - 2>/dev/null |
    tr -d " \n" | grep -q "^$head"; } && found=$((found + 1))
done <"$T/rv.toc"
check "核查报告: each of the 13 contents entries (12 headings, 附件1) is on the page it names ($found of $entries)" \
  '[ $entries -eq 13 ] && [ $found -eq $entries ]'
check "核查报告: the contents links every entry to its heading's page" \
  '[ "$(grep -c "^  link .* to=" "$T/rv.dump")" -ge 13 ]'
fp=$(for i in $(seq 1 "$np"); do pdftotext -raw -f $i -l $i "$T/rv.pdf" - 2>/dev/null | tr -d " \n" |
  grep -q "评价等级为“优”①" && echo $i; done | head -1)
check "核查报告: the grade bands' footnote is on the page of its marker (page $fp)" \
  '[ -n "$fp" ] && pdftotext -f $fp -l $fp "$T/rv.pdf" - | tr -d " \n" |
     grep -q "①评价等级按综合得分划分为四档：90分（含）以上为“优”"'
# the note's label drawn before its text: text extraction in the content's
# order (-raw) reads ① first (it read it after the note's first line)
check "核查报告: pdftotext -raw reads the footnote's marker before its text" \
  'pdftotext -raw -f $fp -l $fp "$T/rv.pdf" - | tr -d " \n" | grep -q "①评价等级按综合得分划分为四档"'
ap=$(for i in $(seq 1 "$np"); do pdftotext -raw -f $i -l $i "$T/rv.pdf" - 2>/dev/null | tr -d " \n" |
  grep -q "^附件1部门整体绩效指标评分核查表" && echo $i; done | head -1)
check "核查报告: 附件1 on a landscape page (page $ap), its folio turned, its list 附件：1." \
  '[ -n "$ap" ] && pdfinfo -f $ap -l $ap "$T/rv.pdf" | grep -q "^Page *$ap size: *841.89 x 595.27" &&
   grep -q "^  folio .* angle=-90 text=— $(sed -n "${ap}p" "$T/rv.labels") —" "$T/rv.dump" &&
   pdftotext -raw "$T/rv.pdf" - | tr -d " " | grep -q "^附件：1.部门整体绩效指标评分核查表$"'
sp=$(for i in $(seq 1 "$np"); do pdftotext -raw -f $i -l $i "$T/rv.pdf" - 2>/dev/null | tr -d " \n" |
  grep -q "某某绩效评价中心（样例）2024年3月29日" && echo $i; done | head -1)
check "核查报告: the seal (600×600 with its mask) on the signature's page $sp, which has the body's last lines" \
  '[ -n "$sp" ] && pdfimages -list "$T/rv.pdf" | awk -v p="$sp" "\$1 == p && \$4 == 600 && \$5 == 600 { n[\$3]++ } END { exit !(n[\"image\"] == 1 && n[\"smask\"] == 1) }" &&
   [ "$(pdfimages -list "$T/rv.pdf" | tail -n +3 | wc -l)" -eq 2 ] &&
   pdftotext -raw -f $sp -l $sp "$T/rv.pdf" - | tr -d " \n" | grep -q "^（四）加强佐证材料管理。.*附件：1.部门整体绩效指标评分核查表某某绩效评价中心"'
pdftohtml -xml -i -stdout "$T/rv.pdf" 2>/dev/null | tr -d "\n" >"$T/rv.xml"
check "核查报告: bookmarks: 目录, the headings nested by level, 附件1 with its title on its page" \
  'grep -q "<outline><item page=\"2\">目　录</item><item page=\"3\">一、核查依据和范围</item><outline><item page=\"3\">（一）核查依据</item>" "$T/rv.xml" &&
   grep -q "<item page=\"$ap\">附件1 部门整体绩效指标评分核查表</item></outline>" "$T/rv.xml"'

# Hostile templates and data (issue 9): each a clear error at its file:line
# (or the data's line:col), exit 1, no output file, no sanitizer report.
# hostile NAME PATTERN TEMPLATE [DATA]
hostile() {
  h_name=$1 h_pat=$2 h_tpl=$3 h_data=${4:-$DATA}
  expect_fail "hostile: $h_name" 1 "$h_pat" render --template "$h_tpl" --data "$h_data" -o "$T/bad.pdf"
  # one message only (no libxml2 print before ours), never a libharu code
  # (the source line and caret under a message are indented: not counted)
  if [ "$(grep -vc '^  ' "$T/bad.err")" -gt 3 ] || grep -qiE "libharu|0x[0-9a-f]{4}|runtime error|Sanitizer" "$T/bad.err"; then
    bad "hostile: $h_name: stray output"; cat "$T/bad.err"; fi
}
B=tests/bad
# a table of contents repeated by a loop (each lists every heading: the
# document would grow as the square of the data)
cat >"$T/toc-loop.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:zpgen:template:1" version="1">
  <include href="$PWD/templates/official.xml"/>
  <body>
    <for each="basic.sections[0].items" as="x">
      <contents title="目录"/>
      <section title="{x}"/>
    </for>
  </body>
</template>
EOF
hostile "a contents in a loop" "toc-loop.xml:6: error: more than 8 tables of contents in one document" "$T/toc-loop.xml"
hostile "rowspan 2147483647" "rowspan-overflow.xml:7:*[0-9]*: error: rowspan=\"2147483647\": expected a whole number from 1 to 100000" $B/rowspan-overflow.xml
hostile "rowspan past the last row" "rowspan-past-end.xml:7:*[0-9]*: error: rowspan=\"3\" reaches past the table's last row" $B/rowspan-past-end.xml
hostile "colspan 2147483647" "colspan-overflow.xml:7:*[0-9]*: error: colspan=\"2147483647\": expected a whole number from 1 to 100" $B/colspan-overflow.xml
hostile "NaN length" "nan-length.xml:5:*[0-9]*: error: style \"wide\": first-indent=\"nanpt\" is not a length" $B/nan-length.xml
hostile "infinite margin" "inf-margin.xml:5:*[0-9]*: error: margin-left=\"infmm\" is not a length" $B/inf-margin.xml
hostile "NaN padding" "nan-padding.xml:6:*[0-9]*: error: padding=\"nanpt\": one or two lengths" $B/nan-padding.xml
hostile "three padding lengths" "padding-three.xml:6:*[0-9]*: error: padding=\"1mm 2mm 3mm\": one or two lengths" $B/padding-three.xml
hostile "elements 300 deep" "deep-elements.xml:4:*[0-9]*: error: elements nested deeper than 256 levels" $B/deep-elements.xml
hostile "1000 pt font size" "huge-size.xml:5:*[0-9]*: error: style \"huge\": size=\"1000\" is neither .* nor pt from 1 to 300" $B/huge-size.xml
hostile "a 500 mm column" "wide-column.xml:6:*[0-9]*: error: the table's 1 columns need 500.0 mm .* more than the text block's 156.0 mm" $B/wide-column.xml
hostile "200 columns of 20 mm" "many-columns.xml:6:*[0-9]*: error: a table has at most 100 columns; this one has 200" $B/many-columns.xml
hostile "a column 0 wide" "zero-column.xml:6:*[0-9]*: error: width=\"0mm\": a column must be wider than 0" $B/zero-column.xml
hostile "macros that multiply" "macro-bomb.xml:[0-9]+: error: the template makes too much text for this data" $B/macro-bomb.xml
hostile "an internal DTD subset with an entity in an attribute" "doctype-entity.xml:4:*[0-9]*: error: <!DOCTYPE template> is not allowed" $B/doctype-entity.xml
hostile "bytes not in the declared encoding" "bad-encoding.xml:[0-9]+:[0-9]+: error: the file's bytes do not match its declared encoding" $B/bad-encoding.xml
hostile "an include of a directory" "include-directory.xml:4:*[0-9]*: error: cannot read the included file .*templates\": it is a directory" $B/include-directory.xml
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
  hostile "20,000 nested $kind in {=…}" "deep-$kind.xml:5:*[0-9]*: error: cannot compute .*deeper than 64 levels" "$T/deep-$kind.xml"
  check "hostile: 20,000 nested $kind in <check equals>" 'grep -q "deep-$kind.xml:6:*[0-9]*: error: cannot compute .*deeper than 64 levels" "$T/bad.err"'
done
# from data alone: a section title of 90,000 bytes, a document of 10,001 pages
{ printf '<?xml version="1.0" encoding="UTF-8"?>\n<template xmlns="urn:zpgen:template:1">\n'
  printf '  <include href="%s/templates/official.xml"/>\n' "$PWD"
  printf '  <body>\n    <section title="{t}"><p>x</p></section>\n'
  printf '    <for each="pages" as="p"><p>{p}</p><page-break/></for>\n  </body>\n</template>\n'
} >"$T/limits.xml"
awk 'BEGIN { printf "{\"t\": \""; for (i = 0; i < 30000; i++) printf "长"; print "\", \"pages\": []}" }' >"$T/long-title.json"
hostile "a 90,000-byte section title" "limits.xml:5:*[0-9]*: error: the section title is 90000 bytes long; .* \(the text comes from \\\$\.t: .*long-title.json:1:7\)" "$T/limits.xml" "$T/long-title.json"
awk 'BEGIN { printf "{\"t\": \"x\", \"pages\": [\n"; for (i = 0; i < 10001; i++) printf "%s\"第%d页\"\n", i ? "," : "", i; print "]}" }' >"$T/pages.json"
hostile "10,001 pages" "limits.xml:6:*[0-9]*: error: the document would have more than 10000 pages, the most zpgen writes \(this text comes from \\$\.pages\[10000\]: .*pages.json:10002:2\)" "$T/limits.xml" "$T/pages.json"
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
check "check --layout: the sample's layout passes the layout checker" \
  '$ZPGEN check --layout --template $TPL --data $DATA 2>&1 | grep -q "^zpgen check --layout: 0 findings in [1-9][0-9]* lines"'
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

# Inputs must be regular files: a FIFO, a device or a directory is refused
# at once (never read, never blocked on), naming it.
mkfifo "$T/fifo"
expect_fail "a FIFO as the data" 3 "fifo: error: cannot read the data: it is a FIFO" \
  render --template $TPL --data "$T/fifo" -o "$T/bad.pdf"
expect_fail "a FIFO as the template" 3 "fifo: error: cannot read the template: it is a FIFO" \
  render --template "$T/fifo" --data $DATA -o "$T/bad.pdf"
expect_fail "a device as the data" 3 "/dev/zero: error: cannot read the data: it is a character device" \
  render --template $TPL --data /dev/zero -o "$T/bad.pdf"
expect_fail "a directory as the template" 3 "error: cannot read the template: it is a directory" \
  render --template "$T" --data $DATA -o "$T/bad.pdf"
mkdir -p "$T/inc" && cp tests/bad/missing-include.xml "$T/inc/t.xml" && mkfifo "$T/inc/no-such-sheet.xml"
expect_fail "a FIFO as an include" 1 't.xml:3:*[0-9]*: error: cannot read the included file ".*no-such-sheet.xml": it is a FIFO' \
  render --template "$T/inc/t.xml" --data $DATA -o "$T/bad.pdf"
mkdir "$T/inc/dir" && sed 's/no-such-sheet.xml/dir/' tests/bad/missing-include.xml >"$T/inc/d.xml"
expect_fail "a directory as an include: its file:line first" 1 '^[^ ]*d.xml:3:*[0-9]*: error: cannot read the included file ".*dir": it is a directory' \
  render --template "$T/inc/d.xml" --data $DATA -o "$T/bad.pdf"
printf '<?xml version="1.0"?>\n<!DOCTYPE template SYSTEM "%s">\n<template xmlns="urn:zpgen:template:1" version="1"><body><p>x</p></body></template>\n' \
  "$T/fifo" >"$T/inc/dtd.xml"
timeout 20 $ZPGEN render --template "$T/inc/dtd.xml" --data $DATA -o "$T/bad.pdf" >/dev/null 2>&1
check "a DOCTYPE naming a FIFO is not read (no hang)" '[ $? -ne 124 ] && [ ! -e "$T/bad.pdf" ]'
mkdir -p "$T/fdir/sub" && mkfifo "$T/fdir/x.ttf" && ln -s /dev/zero "$T/fdir/sub/zero.ttf" && : >"$T/fdir/empty.ttf"
timeout 20 $ZPGEN fonts --fonts "$T/fdir" >"$T/f.out" 2>"$T/f.err"
check "a FIFO, a device or an empty file in a fonts directory is skipped with a warning, not opened" \
  '[ $? -eq 0 ] && grep -q "fdir/x.ttf: warning: not a font file: it is a FIFO; skipped" "$T/f.err" &&
   grep -q "sub/zero.ttf: warning: not a font file: it is a character device; skipped" "$T/f.err" &&
   grep -q "empty.ttf: warning: not a font file: it is empty; skipped" "$T/f.err" && grep -q "^song:" "$T/f.out"'
timeout 20 $ZPGEN fonts --fonts /proc >/dev/null 2>"$T/f.err"
check "/proc as a fonts directory: no hang, its empty files' warnings bounded" \
  '[ $? -eq 0 ] && [ $(grep -c "not a font file" "$T/f.err") -le 10 ]'

# The output: a regular file or a link chain to one, never a device, a FIFO
# or a directory.
good=$T/liwan-agri-2023.pdf
expect_fail "a character device as the output" 3 "/dev/null: error: cannot write the output: it is a character device" \
  render --template $TPL --data $DATA -o /dev/null
check "/dev/null is still a character device" '[ -c /dev/null ]'
expect_fail "a FIFO as the output" 3 "fifo: error: cannot write the output: it is a FIFO" \
  render --template $TPL --data $DATA -o "$T/fifo"
check "the FIFO is still a FIFO" '[ -p "$T/fifo" ]'
expect_fail "a directory as the output" 3 "error: cannot write the output: it is a directory" \
  render --template $TPL --data $DATA -o "$T/inc"
ln -s /dev/null "$T/devlink"
expect_fail "a link to a device as the output" 3 'devlink: error: cannot write the output: its link leads to "/dev/null", which is a character device' \
  render --template $TPL --data $DATA -o "$T/devlink"
mkdir -p "$T/chain" && echo old >"$T/chain/end.pdf"
ln -s end.pdf "$T/chain/mid" && ln -s mid "$T/chain/start"
ln -s ../chain/new.pdf "$T/chain/dangling"
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA -o "$T/chain/start" 2>/dev/null &&
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA -o "$T/chain/dangling" 2>/dev/null
check "a chain of links is followed to its end, every link kept" \
  '[ -L "$T/chain/start" ] && [ -L "$T/chain/mid" ] && [ -L "$T/chain/dangling" ] &&
   cmp -s "$T/chain/end.pdf" "$good" && cmp -s "$T/chain/new.pdf" "$good" &&
   [ "$(ls -A "$T/chain" | wc -l)" -eq 5 ]'

# --dump-layout may not name the output or an input; its write errors are
# reported; it is written whole or not at all.
cp "$good" "$T/keep.pdf"
expect_fail "--dump-layout naming the output" 2 'dump-layout ".*keep.pdf" names the output' \
  render --template $TPL --data $DATA -o "$T/keep.pdf" --dump-layout "$T/keep.pdf"
ln -s keep.pdf "$T/keeplink"
expect_fail "--dump-layout naming the output through a link" 2 "names the output" \
  render --template $TPL --data $DATA -o "$T/keep.pdf" --dump-layout "$T/keeplink"
expect_fail "--dump-layout naming the data" 2 "names the data file" \
  render --template $TPL --data $DATA -o "$T/bad.pdf" --dump-layout "$DATA"
expect_fail "--dump-layout naming the template" 2 "names the template" \
  render --template $TPL --data $DATA -o "$T/bad.pdf" --dump-layout "./$TPL"
check "the output named as the dump is intact" 'cmp -s "$T/keep.pdf" "$good"'
cp $DATA "$T/data-copy.json"
expect_fail "--output naming the data" 2 'output ".*data-copy.json" names the data file' \
  render --template $TPL --data "$T/data-copy.json" -o "$T/data-copy.json"
check "the data named as the output is intact" 'cmp -s "$T/data-copy.json" $DATA'
cp templates/official.xml "$T/official.orig"
expect_fail "--dump-layout naming an included file" 2 'dump-layout "templates/official.xml" names the included file' \
  render --template $TPL --data $DATA -o "$T/bad.pdf" --dump-layout templates/official.xml
check "the included file is intact, no temporary file beside it" \
  'cmp -s templates/official.xml "$T/official.orig" && ! ls -a templates | grep -q zpgen-tmp'
# a file size limit of 40 KB: the dump (80 KB) cannot be written
(trap '' XFSZ; ulimit -f 80; exec $ZPGEN render --template $TPL --data $DATA -o "$T/keep.pdf" \
  --dump-layout "$T/d.txt") 2>"$T/d.err"
rc=$?
check "a write error on the dump is reported, exit 3" \
  '[ $rc -eq 3 ] && grep -q "d.txt: error: cannot write the layout dump: File too large" "$T/d.err" && [ ! -e "$T/d.txt" ]'
# a write error on the output (323 KB) keeps the old file (SIGXFSZ ignored)
(ulimit -f 400; exec $ZPGEN render --template $TPL --data $DATA -o "$T/keep.pdf") 2>"$T/o.err"
rc=$?
check "a write error on the output is reported, exit 3, the old file kept" \
  '[ $rc -eq 3 ] && grep -qE "keep.pdf: error: cannot write the (output|PDF): File too large" "$T/o.err" && cmp -s "$T/keep.pdf" "$good"'
check "no temporary file is left beside the outputs" \
  '! ls -a "$T" "$T/chain" | grep -q zpgen-tmp'

# Signals: a render killed by SIGTERM, SIGINT or SIGHUP removes its temporary
# file and dies of the signal (128 + signal); the old output survives.
# `-o - | head -c 10` (SIGPIPE) leaves nothing either.  A 1,000-page render.
mkdir -p "$T/sig" "$T/tmp"
sh bench/gen-indicators.sh 18000 >"$T/big.json"
cp "$good" "$T/sig/out.pdf"
# killed SIGNAL: renders in the background, sends SIGNAL once the temporary
# file exists, and leaves the exit status in $rc (0: finished first)
killed() {
  TMPDIR=$T/tmp env --default-signal=INT $ZPGEN render --template $TPL --data "$T/big.json" \
    -o "$T/sig/out.pdf" 2>/dev/null &
  pid=$!
  i=0
  while [ $i -lt 500 ] && ! ls -a "$T/sig" | grep -q "^\.out\.pdf\.zpgen-tmp\.$pid\."; do
    sleep 0.01; i=$((i + 1))
  done
  kill -s "$1" $pid
  { wait $pid; } 2>/dev/null
  rc=$?
}
for sig in TERM:143 INT:130 HUP:129; do
  killed ${sig%:*}
  # the render won the race: once more, from the old output
  [ $rc -eq 0 ] && cp "$good" "$T/sig/out.pdf" && killed ${sig%:*}
  check "SIG${sig%:*} during a render: exit ${sig#*:}, no temporary file, the old output intact" \
    '[ $rc -eq ${sig#*:} ] && [ "$(ls -A "$T/sig")" = out.pdf ] && cmp -s "$T/sig/out.pdf" "$good"'
done
(TMPDIR=$T/tmp $ZPGEN render --template $TPL --data "$T/big.json" -o - 2>"$T/pipe.err"; echo $? >"$T/pipe.rc") |
  head -c 10 >"$T/head.out"
check "-o - | head -c 10: the PDF's first bytes, death by SIGPIPE, nothing left in TMPDIR" \
  '[ "$(cat "$T/pipe.rc")" -eq 141 ] && [ "$(cat "$T/head.out")" = "%PDF-1.3
%" ] && [ -z "$(ls -A "$T/tmp")" ] && [ -z "$(ls -A "$T/sig" | grep -v "^out.pdf$")" ]'
# kill -9 leaves a temporary file named after the output and the PID; the
# next render to the same output removes it (a live PID's is kept)
killed KILL
[ $rc -eq 0 ] && cp "$good" "$T/sig/out.pdf" && killed KILL
left=$(ls -A "$T/sig" | grep "^\.out\.pdf\.zpgen-tmp\.$pid\.......$")
check "kill -9: the leftover is recognisable by its name, the old output intact" \
  '[ $rc -eq 137 ] && [ -n "$left" ] && cmp -s "$T/sig/out.pdf" "$good"'
: >"$T/sig/.out.pdf.zpgen-tmp.$$.abcdef"             # this shell: alive
: >"$T/sig/.out.pdf.zpgen-tmp.999999999.abcdef"      # no such process
: >"$T/sig/.other.pdf.zpgen-tmp.999999999.abcdef"    # another output's
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA -o "$T/sig/out.pdf" 2>/dev/null
check "the next render removes the dead processes' leftovers of its output only" \
  '[ "$(ls -A "$T/sig" | sort | tr "\n" " ")" = ".other.pdf.zpgen-tmp.999999999.abcdef .out.pdf.zpgen-tmp.$$.abcdef out.pdf " ] &&
   cmp -s "$T/sig/out.pdf" "$good"'

# Fonts: a damaged face in a fonts directory is skipped with a warning
# naming its file, and the role falls back (to the installed face of the
# same family); a face whose outlines are damaged is detected by loading
# the glyphs.  The faces are small subsets made here and damaged on purpose.
# damaged NAME TAG MODE PATTERN: renders with the damaged face, exit 0
damaged() {
  d_pat=$4
  rm -rf "$T/dfonts" "$T/dmg.pdf" && mkdir -p "$T/dfonts"
  build/tools/fontdamage "AR PL SungtiL GB" $DATA "$T/dfonts/sungti-small.ttf" $2 "$3" 2>"$T/dmg.err" &&
    XDG_CACHE_HOME=$T/fccache SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data $DATA --fonts "$T/dfonts" \
      -o "$T/dmg.pdf" 2>"$T/dmg.err"
  rc=$?
  check "damaged font, $1: exit 0, a warning naming the file, the text intact" \
    '[ $rc -eq 0 ] && grep -qE "dfonts/sungti-small.ttf: warning: font face #0 \(AR PL SungtiL GB\) $d_pat" "$T/dmg.err" &&
     pdftotext -raw "$T/dmg.pdf" "$T/dmg.txt" && build/tools/textcheck data/liwan-agri-2023.json "$T/dmg.txt" >/dev/null ||
     { cat "$T/dmg.err"; false; }'
}
damaged "empty outlines (glyf)" glyf zero "cannot be used: glyph [0-9]+ \(U\+[0-9A-F]+\): its outline is empty"
damaged "garbage outlines (glyf)" glyf noise "cannot be used: glyph [0-9]+ \(U\+[0-9A-F]+\): FreeType cannot load"
damaged "broken offsets (loca)" loca ff "cannot be used: glyph .*: its outline is empty"
damaged "broken advances (hmtx)" hmtx ff "cannot be used: glyph .*: its advance is out of range"
damaged "no character map (cmap)" cmap zero "cannot be used: it has no usable Unicode character map"
damaged "a damaged head" head noise "cannot be used: "
damaged "a damaged maxp" maxp ff "cannot be used: "
damaged "one damaged glyph, 荔" glyf chars:荔 "is damaged: glyph [0-9]+ \(U\+8354\): FreeType cannot load its outline; the face is skipped"
damaged "one blank glyph, 荔" glyf blank:荔 "has a blank glyph [0-9]+ \(U\+8354\): its outline is empty; such characters are set from the role's next face"
rm -rf "$T/dfonts"

# Characters above U+FFFF (CJK Extension B: 𠀋 U+2000B, 𠂇 U+20087) render
# through the fallback chain (HanaMinB last) and copy out correctly, in the
# title, the bookmarks and in justified body text (ActualText); one that no
# face has (U+30000, Extension G) is a warning like any missing glyph.
sed -e 's/"title": "广州市荔湾区农业农村局/"title": "𠀋𠂇广州市荔湾区农业农村局/' \
    -e 's/区农业农村局贯彻落实/区农业农村局𠀋贯彻𠂇落实/' $DATA >"$T/astral.json"
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data "$T/astral.json" -o "$T/astral.pdf" 2>"$T/astral.err"
rc=$?
check "U+2000B renders: exit 0, no diagnostics, HanaMinB embedded" \
  '[ $rc -eq 0 ] && [ ! -s "$T/astral.err" ] && pdffonts "$T/astral.pdf" | grep -q "+HanaMinB .*CID TrueType .*yes yes yes"'
pdftotext -raw "$T/astral.pdf" "$T/astral.txt" 2>"$T/astral.err"
check "U+2000B copies out: pdftotext gives every text, 𠀋 and 𠂇 included" \
  '[ ! -s "$T/astral.err" ] && grep -q "^𠀋𠂇广州市荔湾区农业农村局" "$T/astral.txt" &&
   build/tools/textcheck "$T/astral.json" "$T/astral.txt" >/dev/null'
check "U+2000B in the document title (Info)" 'pdfinfo "$T/astral.pdf" | grep -q "^Title: *𠀋𠂇广州市"'
sed 's/"title": "广州市荔湾区农业农村局/"title": "\xf0\xb0\x80\x80广州市荔湾区农业农村局/' $DATA >"$T/extg.json"
$ZPGEN render --template $TPL --data "$T/extg.json" -o "$T/extg.pdf" 2>"$T/extg.err"
rc=$?
check "U+30000, which no face has: a warning with its location, the PDF written" \
  '[ $rc -eq 0 ] && [ -s "$T/extg.pdf" ] && grep -q "warning: no face of font role .* has U+30000 .*extg.json:[0-9]*:[0-9]*" "$T/extg.err"'
expect_fail "U+30000 under --strict" 1 "error: no face of font role .* U\+30000" \
  render --strict --template $TPL --data "$T/extg.json" -o "$T/bad.pdf"

# Review findings, each a regression test.
mkdir -p "$T/fd" && cp /usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf "$T/fd/"
cp "$T/fd/gbsn00lp.ttf" "$T/fd.orig"
expect_fail "--output naming a font file the render reads" 2 'output names the font file ".*gbsn00lp.ttf"' \
  render --template $TPL --data $DATA --fonts "$T/fd" -o "$T/fd/gbsn00lp.ttf"
check "the font file is intact" 'cmp -s "$T/fd/gbsn00lp.ttf" "$T/fd.orig"'
if command -v setpriv >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  mkdir -p "$T/rw" && chmod 777 "$T/rw" && cp "$T/liwan-agri-2023.pdf" "$T/rw/ro.pdf" && chmod 444 "$T/rw/ro.pdf"
  cp "$T/rw/ro.pdf" "$T/ro.orig"
  setpriv --reuid=65534 --regid=65534 --clear-groups $ZPGEN render --template $TPL --data $DATA \
    -o "$T/rw/ro.pdf" 2>"$T/ro.err"
  rc=$?
  check "a read-only output is refused, exit 3, as a write would be" \
    '[ $rc -eq 3 ] && grep -q "ro.pdf: error: cannot write the output: Permission denied" "$T/ro.err" &&
     cmp -s "$T/rw/ro.pdf" "$T/ro.orig" && ! ls -a "$T/rw" | grep -q zpgen-tmp'
fi
printf '{"meta": {"title": "x\0y"}}' >"$T/nul.json"
expect_fail "a NUL byte in the data" 1 'nul.json:1:22: error: a NUL byte' \
  render --template $TPL --data "$T/nul.json" -o "$T/bad.pdf"
truncate -s 65M "$T/huge.json"
expect_fail "a data file over 64 MB" 1 'huge.json: error: cannot read: it is larger than 64 MB' \
  render --template $TPL --data "$T/huge.json" -o "$T/bad.pdf"
rm -f "$T/huge.json"
# a template deep in the file tree: its message keeps file:line
deep="$T/$(printf 'd%.0s' $(seq 1 200))/$(printf 'e%.0s' $(seq 1 200))/$(printf 'f%.0s' $(seq 1 200))"
deep="$deep/$(printf 'g%.0s' $(seq 1 200))/$(printf 'h%.0s' $(seq 1 200))"
mkdir -p "$deep" && cp tests/bad/misspelt-element.xml "$deep/t.xml"
$ZPGEN render --template "$deep/t.xml" --data $DATA -o "$T/bad.pdf" 2>"$T/deep.err"
check "a template in a 1,000-character directory: its message keeps file:line" \
  'grep -q "hhhh/t.xml:[0-9][0-9]*:[0-9]*:* *error: " "$T/deep.err"'

# characters no face has, and line separators: each copies out as itself
cat >"$T/chars.json" <<'JSON'
{"meta": {"title": "字符", "department": "某局", "year": 2023},
 "basic": {"paragraphs": ["甲\u0F00乙\u13A0丙\ud834\udd1e丁\u0F01戊", "第一行\r第二行\u2029第三行\r\n第四行"]},
 "evaluation": {}, "problems": {}, "measures": {}}
JSON
$ZPGEN render --template $TPL --data "$T/chars.json" -o "$T/chars.pdf" --dump-layout "$T/chars.dump" 2>"$T/chars.err"
check "characters no face has copy out as themselves" \
  'pdftotext "$T/chars.pdf" - | grep -q "甲ༀ乙Ꭰ丙𝄞丁༁戊"'
check "CR, CRLF and U+2029 are hard breaks: short lines, not stretched" \
  '[ $(grep -c " hard .*text=第[一二三]行$" "$T/chars.dump") -eq 3 ] && ! grep -q " just .*text=第[一二三]行" "$T/chars.dump"'

# Footnotes: each note's text is on its marker's page (pdftotext by page).
for n in notes-continue notes-per-page notes-table; do
  $ZPGEN render --template tests/layout/$n.xml --data tests/layout/$n.json \
    --output "$T/$n.pdf" 2>"$T/$n.err"
  check "$n renders" '[ $? -eq 0 ] && [ ! -s "$T/$n.err" ]'
done
page_text() { pdftotext -f "$2" -l "$2" "$T/$1.pdf" - 2>/dev/null | tr -d '\n '; }
check "a footnote starts on its marker's page and continues on the next" \
  'page_text notes-continue 2 | grep -q "按照市委和①" &&
   page_text notes-continue 2 | grep -q "①区农业农村局贯彻落实党中央" &&
   page_text notes-continue 3 | grep -q "按照市委和②" &&
   page_text notes-continue 3 | grep -q "第二条脚注。" &&
   ! page_text notes-continue 3 | grep -q "①"'
check "footnotes numbered per page: page 2 starts again at ①" \
  'page_text notes-per-page 1 | grep -q "①第一页的第一条脚注。" &&
   page_text notes-per-page 1 | grep -q "②第一页的第二条脚注。" &&
   page_text notes-per-page 2 | grep -q "①第二页的第一条脚注" &&
   ! page_text notes-per-page 2 | grep -q "③"'
check "a table cell's footnote on the cell's page, a repeated header's once" \
  'page_text notes-table 1 | grep -q "第4行的数值按决算口径统计" &&
   page_text notes-table 1 | grep -q "指标名称以区财政局下达的绩效目标为准" &&
   page_text notes-table 3 | grep -q "第27行的数值按决算口径统计" &&
   ! page_text notes-table 2 | grep -q "绩效目标为准"'

for n in layout-note-too-tall inline-empty-note layout-contents-never-settles; do
  $ZPGEN render --template tests/bad/$n.xml --data tests/bad/data/$n.json \
    --output "$T/$n.pdf" 2>"$T/$n.err"
  check "$n: an error with file:line, no output file" \
    '[ $? -eq 1 ] && grep -q "^tests/bad/$n.xml:[0-9]*:[0-9]*: error: " "$T/$n.err" && [ ! -e "$T/$n.pdf" ]'
done
# inline spans (tests/layout/inline.xml): bold, superscript, subscript, a
# coloured span, a link, a reference and a note marker copy out in order,
# each where it stands in the text; the colour is in the content
$ZPGEN render --template tests/layout/inline.xml --data tests/layout/inline.json \
  -o "$T/inline.pdf" 2>"$T/inline.err"
check "inline spans render, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/inline.err" ]'
pdftotext "$T/inline.pdf" - 2>/dev/null | tr -d '\n' >"$T/inline.txt"
check "inline spans copy out in order" \
  'grep -q "一是加强组织领导。局党组把" "$T/inline.txt" &&
   grep -q "新建高标准农田12.5万m2，减少CO2排放380吨，其中两个项目未按期完工。详见政策文件和上文所述①。" "$T/inline.txt" &&
   grep -q "面积（m2）" "$T/inline.txt"'
pdftotext -bbox "$T/inline.pdf" - 2>/dev/null >"$T/inline.bbox"
# the words "2" of m² and CO₂ in the text: 0.6 of 16 pt high, the first
# ending above the line's bottom (raised), the second below it (lowered);
# m² in the table's header cell: 0.6 of 10.5 pt
check "inline spans: a superscript raised, a subscript lowered, both smaller" \
  'awk -F"\"" "/>2<\\/word>/ { h = \$8 - \$4; if (h > 9.5 && h < 9.7) d[n++] = \$8 - prev; if (h > 6.2 && h < 6.4) m++ }
     { prev = \$8 } END { exit !(n == 2 && d[0] < 0 && d[1] > 0 && m == 1) }" "$T/inline.bbox"'
# Parts: a cover, roman front matter, a body restarting at 1 with headers
# and footers; a landscape part between portrait ones with its folio turned
# to the portrait page's foot; attachments and their list.  The PDF's page
# labels (tests/tools/pagelabels.py reads /PageLabels) agree with the
# numbers printed on the pages.
for n in parts-front parts-annex; do
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template tests/layout/$n.xml --data tests/layout/$n.json \
    --output "$T/$n.pdf" --dump-layout "$T/$n.dump" 2>"$T/$n.err"
  check "$n renders, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/$n.err" ]'
  SOURCE_DATE_EPOCH=0 $ZPGEN render --template tests/layout/$n.xml --data tests/layout/$n.json \
    --output "$T/$n-again.pdf" 2>/dev/null
  check "$n: two renders are byte-identical" 'cmp -s "$T/$n.pdf" "$T/$n-again.pdf"'
  np=$(pdfinfo "$T/$n.pdf" | sed -n 's/^Pages: *//p')
  python3 tests/tools/pagelabels.py "$T/$n.pdf" "$np" >"$T/$n.labels"
  check "$n: a page label for every page" '[ $? -eq 0 ] && [ "$(wc -l <"$T/$n.labels")" -eq "$np" ]'
  # the dump's printed numbers ("-": unnumbered) are the labels ("")
  sed -n 's/^  part .* number=//p' "$T/$n.dump" | sed 's/^-$//' >"$T/$n.numbers"
  check "$n: the page labels are the printed numbers" 'cmp -s "$T/$n.labels" "$T/$n.numbers" || diff "$T/$n.labels" "$T/$n.numbers"'
  # and each numbered page shows its number in its folio
  k=0 shown=0 numbered=0
  while read -r label; do
    k=$((k + 1))
    [ -n "$label" ] || continue
    numbered=$((numbered + 1))
    pdftotext -f $k -l $k "$T/$n.pdf" - 2>/dev/null |
      grep -qxE "(— |- |第)?$label( —| -|页)?" && shown=$((shown + 1))
  done <"$T/$n.labels"
  check "$n: pdftotext finds each page's label as its folio" '[ $numbered -gt 0 ] && [ $shown -eq $numbered ]'
done
check "parts: the cover, front matter i and ii, the body from 1" \
  '[ "$(tr "\n" " " <"$T/parts-front.labels")" = " i ii 1 2 3 4 " ]'
check "parts: the cover has no number, its blocks spread down the page" \
  '! pdftotext -f 1 -l 1 "$T/parts-front.pdf" - | grep -qE "^[-— ]*[0-9ivx]+[-— ]*$" &&
   pdftotext -f 1 -l 1 "$T/parts-front.pdf" - | grep -q "^二〇二四年三月$" &&
   grep -A6 "^page 1 " "$T/parts-front.dump" | grep -q "top=6[0-9][0-9]\.[0-9]* .*text=二〇二四年三月"'
check "parts: the footer counts the document's and the part's pages" \
  'pdftotext -f 4 -l 4 "$T/parts-front.pdf" - | grep -q "^第 1 页 共 7 页（本部分 4 页）$" &&
   pdftotext -f 7 -l 7 "$T/parts-front.pdf" - | grep -q "^第 4 页 共 7 页（本部分 4 页）$"'
check "parts: the headers of the first, odd and even pages" \
  'pdftotext -f 4 -l 4 "$T/parts-front.pdf" - | head -1 | grep -qx "广州市荔湾区财政局" &&
   pdftotext -f 5 -l 5 "$T/parts-front.pdf" - | head -1 | grep -qx "广州市荔湾区财政局" &&
   pdftotext -f 6 -l 6 "$T/parts-front.pdf" - | head -1 | grep -qx "2023年度部门整体支出绩效评价报告"'
pdfinfo -f 1 -l 6 "$T/parts-annex.pdf" | sed -n "s/^Page *\([0-9]*\) size: *\([0-9.]*\) x \([0-9.]*\).*/\1 \2 \3/p" >"$T/sizes"
check "parts: pages 2 and 5 landscape A4, the others portrait" \
  '[ "$(awk "{ printf \"%s\", (\$2 > \$3) ? \"L\" : \"P\" }" "$T/sizes")" = "PLPPLP" ]'
pdftotext -bbox -f 2 -l 2 "$T/parts-annex.pdf" - >"$T/bbox.txt"
check "parts: the landscape page's folio is turned, at its left edge (the portrait page's foot)" \
  'grep -q "angle=-90 text=— 2 —" "$T/parts-annex.dump" &&
   awk -F\" "/>2<\/word>/ { if (\$2 + 0 < 100 && \$8 - \$6 > \$6 - \$4) ok = 1 } END { exit !ok }" "$T/bbox.txt"'
check "parts: the attachment list after the body, 2. under 1., a wrapped name under its first character" \
  'pdftotext -f 1 -l 1 "$T/parts-annex.pdf" - | grep -q "^附件：1.部门整体支出绩效评价指标体系及评分表$" &&
   grep "text=附件：1\." "$T/parts-annex.dump" | grep -q " x=110.96 " &&
   grep "text=2\.二〇二三" "$T/parts-annex.dump" | grep -q " x=158.34 " &&
   grep "text=项目预算批复数" "$T/parts-annex.dump" | grep -q " x=174.13 "'
check "parts: each attachment on a new page, 附件N on line 1, its title on line 3, numbers continuing" \
  '[ "$(pdftotext -f 4 -l 4 "$T/parts-annex.pdf" - | head -3 | tr "\n" "|")" = "附件1||部门整体支出绩效评价指标体系及评分表|" ] &&
   pdftotext -f 5 -l 5 "$T/parts-annex.pdf" - | head -1 | grep -qx "附件2" &&
   grep -A3 "^page 4 " "$T/parts-annex.dump" | grep -q "top=57.98 .*style=title .*text=部门整体" &&
   [ "$(sed -n 4,5p "$T/parts-annex.labels" | tr "\n" " ")" = "4 5 " ]'
# the reference's example of parts renders as it says
awk '/<!-- example: parts -->/ { f = 1; next } f && /^```xml/ { g = 1; next } g && /^```/ { exit } g' \
  templates/README.md | sed "s|href=\"official.xml\"|href=\"$PWD/templates/official.xml\"|" >"$T/example.xml"
$ZPGEN render --template "$T/example.xml" --data data/liwan-agri-2023.json -o "$T/example.pdf" \
  --dump-layout "$T/example.dump" 2>"$T/example.err"
check "templates/README.md: the parts example renders: \"\", i, 1, 2 (turned), 3" \
  '[ $? -eq 0 ] && [ ! -s "$T/example.err" ] &&
   [ "$(python3 tests/tools/pagelabels.py "$T/example.pdf" 5 | tr "\n" "|")" = "|i|1|2|3|" ] &&
   grep -q "angle=-90 text=— 2 —" "$T/example.dump" &&
   pdftotext -f 3 -l 3 "$T/example.pdf" - | grep -q "^第 1 页 共 5 页$" &&
   pdftotext -f 4 -l 4 "$T/example.pdf" - | grep -qx "附件1"'
# one attachment: 附件 and 附件：名称, without a number (GB/T 9704 7.3.4);
# label= gives the label as the template wants it
cat >"$T/one.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:zpgen:template:1" version="1">
  <include href="$PWD/templates/official.xml"/>
  <body>
    <part><p>正文。</p><attachment-list/></part>
    <attachment title="{meta.department}评分表"><p>表。</p></attachment>
  </body>
</template>
EOF
$ZPGEN render --template "$T/one.xml" --data $DATA -o "$T/one.pdf" 2>"$T/one.err"
check "one attachment: 附件 and 附件：名称, unnumbered" \
  '[ $? -eq 0 ] && pdftotext -f 1 -l 1 "$T/one.pdf" - | grep -qx "附件：广州市荔湾区农业农村局评分表" &&
   pdftotext -f 2 -l 2 "$T/one.pdf" - | head -1 | grep -qx "附件"'
sed -i 's|<attachment title=|<attachment label="附件1" title=|' "$T/one.xml"
$ZPGEN render --template "$T/one.xml" --data $DATA -o "$T/one.pdf" 2>"$T/one.err"
check "an attachment's label= is its label" \
  '[ $? -eq 0 ] && pdftotext -f 2 -l 2 "$T/one.pdf" - | head -1 | grep -qx "附件1"'
# parts repeated by <for> and chosen by <if>: an attachment per element
# of the data, numbered in order, listed before they come
cat >"$T/loop.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<template xmlns="urn:zpgen:template:1" version="1">
  <include href="$PWD/templates/official.xml"/>
  <body>
    <part><p>正文。</p><attachment-list/></part>
    <for each="annexes" as="a">
      <attachment title="{a}"><p>表。</p></attachment>
    </for>
    <if test="nosuch"><part><p>不该出现。</p></part><else/>
      <part orientation="landscape" grid-lines="0"><p>横页。</p></part>
    </if>
  </body>
</template>
EOF
$ZPGEN render --template "$T/loop.xml" --data tests/layout/parts-annex.json -o "$T/loop.pdf" 2>"$T/loop.err"
check "parts in <for> and <if>: an attachment per element, listed, numbered; the <else/> part" \
  '[ $? -eq 0 ] && [ "$(pdfinfo "$T/loop.pdf" | sed -n "s/^Pages: *//p")" = 4 ] &&
   pdftotext -f 1 -l 1 "$T/loop.pdf" - | grep -q "^附件：1.部门整体支出绩效评价指标体系及评分表$" &&
   pdftotext -f 1 -l 1 "$T/loop.pdf" - | grep -q "^2.二〇二三年度重点项目" &&
   pdftotext -f 3 -l 3 "$T/loop.pdf" - | head -1 | grep -qx "附件2" &&
   pdftotext -f 4 -l 4 "$T/loop.pdf" - | grep -qx "横页。" &&
   ! pdftotext "$T/loop.pdf" - | grep -q "不该出现" &&
   pdfinfo -f 4 -l 4 "$T/loop.pdf" | grep -q "Page *4 size: *841.89 x 595.276"'
# a header wider than its text block (its text from the data) is an error
# at the header's line, no output
sed 's|<header pages="first" align="right" style="hf">{unit}</header>|<header pages="first" style="hf">{summary}</header>|' \
  tests/layout/parts-front.xml >"$T/wide-header.xml"
sed -i 's|\.\./\.\./templates/|'"$PWD"'/templates/|' "$T/wide-header.xml"
expect_fail "a header wider than the text block" 1 'wide-header.xml:[0-9]+: error: the header on page 4 is [0-9.]+ mm wide, wider than the text block \(156.0 mm\)' \
  render --template "$T/wide-header.xml" --data tests/layout/parts-front.json -o "$T/bad.pdf"
check "parts: a last part numbered in Chinese numbers, its label 一" \
  '[ "$(sed -n 6p "$T/parts-annex.labels")" = "一" ] && pdftotext -f 6 -l 6 "$T/parts-annex.pdf" - | grep -qx "第一页"'

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
  check "make install puts the manual page in PREFIX/share/man/man1" \
    'cmp -s doc/zpgen.1 "$T/inst/opt/zp/share/man/man1/zpgen.1"'
fi

echo "e2e: $pass passed, $fail failed"
[ $fail -eq 0 ]
