#!/bin/sh
# zpgen import: the 番禺 workbook (data/panyu-agri-2021-table.xlsx, made by
# data/make-panyu-xlsx.py) imports to JSON that renders the same PDF as
# data/panyu-agri-2021-table.json; a merged cell out of place and a number
# typed as text are errors at their cells; CSV; damaged and hostile
# workbooks (a zip bomb, a shared string that does not exist, a target
# outside the package, a DTD); mapping errors.  Never a partial output.
# Needs $ZPGEN and python3 (its zipfile module only).
set -u
. tests/lib.sh
TPL=templates/dept-self-eval-table.xml
MAP=data/panyu-import.json

$ZPGEN import data/panyu-agri-2021-table.xlsx --mapping $MAP --output "$T/panyu.json" 2>"$T/err"
check "the 番禺 workbook imports: exit 0, no diagnostics" '[ $? -eq 0 ] && [ ! -s "$T/err" ]'
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data "$T/panyu.json" -o "$T/imported.pdf" \
  --dump-layout "$T/imported.dump" 2>/dev/null
SOURCE_DATE_EPOCH=0 $ZPGEN render --template $TPL --data data/panyu-agri-2021-table.json -o "$T/json.pdf" \
  --dump-layout "$T/json.dump" 2>/dev/null
check "its JSON renders the same PDF as data/panyu-agri-2021-table.json (cmp)" \
  'cmp -s "$T/imported.pdf" "$T/json.pdf" && cmp -s "$T/imported.dump" "$T/json.dump"'
check "numbers stay numbers, the nesting comes from the merged cells" \
  'grep -q "\"weight\": 45," "$T/panyu.json" && grep -q "\"score\": 91.31" "$T/panyu.json" &&
   [ "$(grep -c "\"children\": \[" "$T/panyu.json")" -eq 15 ]'
$ZPGEN import data/panyu-agri-2021-table.xlsx -m $MAP -o - >"$T/stdout.json" 2>/dev/null
check "-o - writes the same JSON to standard output" 'cmp -s "$T/stdout.json" "$T/panyu.json"'

# expect_fail NAME EXIT PATTERN ARGS...: the exit, the message, and the
# old output untouched (no partial JSON)
expect_fail() {
  what=$1 code=$2 pat=$3
  shift 3
  echo '{"old": true}' >"$T/out.json"
  $ZPGEN import "$@" -o "$T/out.json" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc -ne "$code" ]; then bad "$what: exit $rc, expected $code"; cat "$T/err"; return; fi
  if ! grep -qE "$pat" "$T/err"; then bad "$what: message lacks /$pat/"; cat "$T/err"; return; fi
  if [ "$(cat "$T/out.json")" != '{"old": true}' ] || ls -a "$T" | grep -q zpgen-tmp; then
    bad "$what: the output was touched"; return; fi
  ok
}
expect_fail "a merged cell out of place: an error at its cell" 1 \
  'bad-merge.xlsx: error: sheet "自评表", cell C35: expected a group inside its parent group for indicators\[0\]\.children\[5\], found the merged range C35:C40, which crosses the end of the group it is in \(rows 20 to 39\)' \
  tests/import/bad-merge.xlsx -m $MAP
expect_fail "a number typed as text: an error at its cell" 1 \
  'number-as-text.xlsx: error: sheet "自评表", cell D20: expected a number for indicators\[0\]\.children\[0\]\.weight, found the text "16" \(a number typed as text\)' \
  tests/import/number-as-text.xlsx -m $MAP
expect_fail "a sheet that does not exist" 1 'no sheet "其他" \(its sheets: "自评表"\)' \
  data/panyu-agri-2021-table.xlsx -m $MAP --sheet 其他

# CSV: an empty group cell continues the group above
cat >"$T/t.csv" <<'CSV'
一级,二级,三级,分值
产出指标,数量指标,"人居环境整治村居数（条）",7
,,"违法建设治理",5
,质量指标,垃圾转运效率,3.5
效益指标,社会效益,"水利, 防汛",10
CSV
cat >"$T/csv-map.json" <<'JSON'
{"values": {"title": "A1"},
 "tables": [{"path": "items", "rows": "2:5", "levels": [
   {"group": "A", "fields": {"name": "A"}},
   {"group": "B", "fields": {"name": "B"}, "children": "leaves"},
   {"fields": {"name": "C", "weight": "D number"}}]}]}
JSON
$ZPGEN import "$T/t.csv" -m "$T/csv-map.json" -o "$T/csv.json" 2>"$T/err"
check "CSV: exit 0" '[ $? -eq 0 ] || cat "$T/err"'
check "CSV: the groups nested, numbers as numbers, quoted commas kept" \
  'tr -d " \n" <"$T/csv.json" | grep -qF "{\"title\":\"一级\",\"items\":[{\"name\":\"产出指标\",\"children\":[{\"name\":\"数量指标\",\"leaves\":[{\"name\":\"人居环境整治村居数（条）\",\"weight\":7},{\"name\":\"违法建设治理\",\"weight\":5}]},{\"name\":\"质量指标\",\"leaves\":[{\"name\":\"垃圾转运效率\",\"weight\":3.5}]}]},{\"name\":\"效益指标\",\"children\":[{\"name\":\"社会效益\",\"leaves\":[{\"name\":\"水利,防汛\",\"weight\":10}]}]}]}"'
printf 'a,b\n"x,1\n' >"$T/open.csv"
expect_fail "CSV: an unclosed quote names its line" 1 'open.csv:2: error: a quoted field is not closed' \
  "$T/open.csv" -m "$T/csv-map.json"

# the mapping's own errors name its line:col
echo '{"values": {"a": "B"}}' >"$T/m1.json"
expect_fail "mapping: a cell without a row" 1 'm1.json:1:18: error: "B": expected a cell' "$T/t.csv" -m "$T/m1.json"
echo '{"tabels": []}' >"$T/m2.json"
expect_fail "mapping: an unknown member" 1 'm2.json:1:12: error: unknown member "tabels"' "$T/t.csv" -m "$T/m2.json"
echo '{"values": {"a": "A1", "a.b": "A2"}}' >"$T/m3.json"
expect_fail "mapping: a path set twice" 1 'm3.json:1:31: error: the path "a.b" sets "a" twice' "$T/t.csv" -m "$T/m3.json"

# hostile and damaged workbooks, made with python's zipfile
python3 - "$T" <<'PY'
import sys, zipfile
T = sys.argv[1]
wb = ('<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>')
def rels(target):
    return ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="x" Target="%s"/></Relationships>' % target)
def sheet(cells):
    return ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<sheetData><row r="1">%s</row></sheetData></worksheet>' % cells)
def make(name, members):
    with zipfile.ZipFile("%s/%s" % (T, name), "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
base = {"xl/workbook.xml": wb, "xl/_rels/workbook.xml.rels": rels("worksheets/sheet1.xml")}
make("bomb.xlsx", dict(base, **{"xl/worksheets/sheet1.xml": sheet("") + " " * (200 << 20)}))
make("sst.xlsx", dict(base, **{"xl/worksheets/sheet1.xml": sheet('<c r="A1" t="s"><v>7</v></c>'),
                              "xl/sharedStrings.xml": '<sst xmlns="x"><si><t>a</t></si></sst>'}))
make("escape.xlsx", dict(base, **{"xl/_rels/workbook.xml.rels": rels("../../etc/passwd")}))
make("dtd.xlsx", dict(base, **{"xl/worksheets/sheet1.xml":
     '<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + sheet('<c r="A1" t="inlineStr"><is><t>&b;</t></is></c>')}))
make("badref.xlsx", dict(base, **{"xl/worksheets/sheet1.xml": sheet('<c r="XFE1"><v>1</v></c>')}))
make("ok.xlsx", dict(base, **{"xl/worksheets/sheet1.xml": sheet('<c r="A1"><v>1.5</v></c><c r="B1" t="inlineStr"><is><t>x</t></is></c>')}))
# many merged ranges and rows: 50,000 groups of two rows
rows = "".join('<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d"><v>%d</v></c></row>' % (r, r, r, r, r)
               for r in range(1, 100001))
merges = "".join('<mergeCell ref="A%d:A%d"/>' % (r, r + 1) for r in range(1, 100001, 2))
make("big.xlsx", dict(base, **{"xl/worksheets/sheet1.xml":
     '<worksheet xmlns="x"><sheetData>%s</sheetData><mergeCells>%s</mergeCells></worksheet>' % (rows, merges)}))
make("overlap.xlsx", dict(base, **{"xl/worksheets/sheet1.xml":
     '<worksheet xmlns="x"><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
     '<mergeCells><mergeCell ref="A1:B3"/><mergeCell ref="B2:C4"/></mergeCells></worksheet>'}))
data = open("%s/ok.xlsx" % T, "rb").read()
open("%s/truncated.xlsx" % T, "wb").write(data[: len(data) // 2])
PY
echo '{"values": {"a": "A1 number", "b": "B1"}}' >"$T/m.json"
$ZPGEN import "$T/ok.xlsx" -m "$T/m.json" -o "$T/ok.json" 2>"$T/err"
check "a workbook made by another program (python's zipfile, inline strings) imports" \
  '[ $? -eq 0 ] && [ "$(tr -d " \n" <"$T/ok.json")" = "{\"a\":1.5,\"b\":\"x\"}" ]'
start=$(date +%s)
expect_fail "a zip bomb (200 MB of spaces) is refused before inflating" 1 'would inflate to 209715[0-9]* bytes from [0-9]+ \(more than zpgen reads' \
  "$T/bomb.xlsx" -m "$T/m.json"
check "... at once" '[ $(($(date +%s) - start)) -le 2 ]'
expect_fail "a shared string that does not exist" 1 'cell A1: shared string "7" does not exist \(the workbook has 1\)' \
  "$T/sst.xlsx" -m "$T/m.json"
expect_fail "a relationship target outside the package" 1 'sheet "S" has a target outside the workbook' \
  "$T/escape.xlsx" -m "$T/m.json"
expect_fail "a DTD (entities) is refused" 1 'document type declaration' "$T/dtd.xlsx" -m "$T/m.json"
expect_fail "a cell reference past XFD" 1 'a cell with the reference "XFE1"' "$T/badref.xlsx" -m "$T/m.json"
expect_fail "a truncated workbook" 1 'not a readable .xlsx workbook' "$T/truncated.xlsx" -m "$T/m.json"
printf 'PK\003\004garbage' >"$T/garbage.xlsx"
expect_fail "garbage" 1 'not a readable .xlsx workbook' "$T/garbage.xlsx" -m "$T/m.json"
expect_fail "a missing workbook: exit 3" 3 'cannot' "$T/none.xlsx" -m "$T/m.json"

echo '{"tables": [{"path": "g", "rows": "1:100000", "levels": [{"group": "A", "fields": {"n": "A number"}}, {"fields": {"v": "B number"}}]}]}' >"$T/big-map.json"
start=$(date +%s)
$ZPGEN import "$T/big.xlsx" -m "$T/big-map.json" -o "$T/big.json" 2>"$T/err"
rc=$?
check "100,000 rows in 50,000 merged groups: imported in a few seconds" \
  '[ $rc -eq 0 ] && [ $(($(date +%s) - start)) -le 10 ] && [ "$(grep -c "\"v\":" "$T/big.json")" -eq 100000 ]'
echo '{"values": {"a": "B2 number?"}}' >"$T/ov-map.json"
expect_fail "overlapping merged ranges" 1 'sheet "S", cell B2: two merged ranges overlap' "$T/overlap.xlsx" -m "$T/ov-map.json"

# usage
$ZPGEN import "$T/ok.xlsx" -o "$T/x.json" >/dev/null 2>"$T/err"
check "import without --mapping: exit 2" '[ $? -eq 2 ] && grep -q "mapping" "$T/err"'

echo "import: $pass passed, $fail failed"
[ $fail -eq 0 ]
