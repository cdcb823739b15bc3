#!/bin/sh
# zpgen watch: a new PDF after each edit of the data, the template and a
# file it includes, and of a file in a font directory; the last good PDF
# kept after a broken edit; a burst of 10 saves gives one or two renders;
# Ctrl-C ends it with 130 and leaves no temporary file.  Needs $ZPGEN.
# Bounded: every wait polls and gives up after $LIMIT seconds.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
LIMIT=${LIMIT:-20}
T=$(mktemp -d)
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

# until COMMAND succeeds, polling every 20 ms, for at most $LIMIT seconds
until_true() {
  n=0
  while ! eval "$1"; do
    n=$((n + 1))
    [ $n -gt $((LIMIT * 50)) ] && return 1
    sleep 0.02
  done
}
renders() { cat "$T/out.log" 2>/dev/null | grep -c ' pages\?, '; }
failures() { cat "$T/err.log" 2>/dev/null | grep -c ' kept: '; }
inode() { stat -c %i "$T/out.pdf" 2>/dev/null || echo none; }
text() { pdftotext -raw "$T/out.pdf" - 2>/dev/null; }
# replace a file the way editors do: write a new one, rename it over
save() { cat >"$1.new" && mv "$1.new" "$1"; }

cp templates/dept-self-eval-table.xml templates/official.xml "$T/"
cp data/panyu-agri-2021-table.json "$T/d.json"
mkdir "$T/fonts"
env --default-signal=INT $ZPGEN watch --template "$T/dept-self-eval-table.xml" --data "$T/d.json" \
  --output "$T/out.pdf" --fonts "$T/fonts" >"$T/out.log" 2>"$T/err.log" &
pid=$!
check "the first render" 'until_true "[ \$(renders) -ge 1 ]" && [ -s "$T/out.pdf" ]'
check "one line per render: the time, the output, pages, warnings" \
  'grep -qE "^[0-9]{2}:[0-9]{2}:[0-9]{2} .*out.pdf: 8 pages, 0 warnings, [0-9]+ ms$" "$T/out.log"'

# an edit of the data: a new PDF with the new text
i0=$(inode)
sed 's/广州市番禺区农业农村局/广州市番禺区农业农村局甲/' "$T/d.json" | save "$T/d.json"
check "a data edit gives a new PDF with the new text" \
  'until_true "[ \$(renders) -ge 2 ]" && [ "$(inode)" != "$i0" ] && text | grep -q 番禺区农业农村局甲'

# an edit of the template
i0=$(inode)
sed 's|<p style="form-title">{meta.title}</p>|<p style="form-title">{meta.title}（模板）</p>|' \
  "$T/dept-self-eval-table.xml" | save "$T/dept-self-eval-table.xml"
check "a template edit gives a new PDF" \
  'until_true "[ \$(renders) -ge 3 ]" && [ "$(inode)" != "$i0" ] && text | grep -q "（模板）"'

# a broken edit: the error reported, the last good PDF kept
cp "$T/out.pdf" "$T/good.pdf"
i0=$(inode)
printf '{"meta": ' | save "$T/d.json"
check "a broken data file: its error in one line, the last good PDF kept" \
  'until_true "[ \$(failures) -ge 1 ]" && [ "$(inode)" = "$i0" ] && cmp -s "$T/out.pdf" "$T/good.pdf" &&
   grep -q "out.pdf kept: .*d.json:1:[0-9]*: error: " "$T/err.log"'
sed 's/广州市番禺区农业农村局/广州市番禺区农业农村局乙/' data/panyu-agri-2021-table.json | save "$T/d.json"
check "after the fix, a new PDF" \
  'until_true "[ \$(renders) -ge 4 ]" && text | grep -q 番禺区农业农村局乙'

# a broken include, then fixed
cp "$T/official.xml" "$T/official.good"
i0=$(inode)
echo '<styles><bad' | save "$T/official.xml"
check "a broken include: reported, the PDF kept" \
  'until_true "[ \$(failures) -ge 2 ]" && [ "$(inode)" = "$i0" ] && grep -q "kept: .*official.xml:" "$T/err.log"'
n0=$(renders)
save "$T/official.xml" <"$T/official.good"
check "the include fixed: a new PDF" 'until_true "[ \$(renders) -gt $n0 ]"'

# a burst of 10 saves: one render (two if the burst straddles the quiet time)
n0=$(renders)
for k in 1 2 3 4 5 6 7 8 9 10; do
  sed "s/广州市番禺区农业农村局/广州市番禺区农业农村局$k/" data/panyu-agri-2021-table.json | save "$T/d.json"
done
until_true "[ \$(renders) -gt $n0 ]"
sleep 0.5 # what a second render would take to come
burst=$(($(renders) - n0))
check "a burst of 10 saves gives 1 or 2 renders (got $burst), the last text shown" \
  '[ $burst -ge 1 ] && [ $burst -le 2 ] && text | grep -q 番禺区农业农村局10'

# a file in a font directory
n0=$(renders)
echo x >"$T/fonts/README"
check "a file added to a font directory gives a render" 'until_true "[ \$(renders) -gt $n0 ]"'

# files nobody reads are not changes, nor is our own output in a font
# directory (which would otherwise render for ever)
n0=$(renders)
echo x >"$T/unrelated.txt"
sleep 0.4
check "a file the render does not read changes nothing" '[ $(renders) -eq $n0 ]'

# Ctrl-C
kill -INT $pid
wait $pid
rc=$?
pid=""
check "Ctrl-C: exit 130, no temporary file left" \
  '[ $rc -eq 130 ] && ! ls -a "$T" | grep -q zpgen-tmp'
check "no diagnostics but the two failures" '[ $(wc -l <"$T/err.log") -eq 2 ] || cat "$T/err.log"'

# the output in a watched font directory: its own writes are no change
env --default-signal=INT $ZPGEN watch --template "$T/dept-self-eval-table.xml" --data "$T/d.json" \
  --output "$T/fonts/o.pdf" --fonts "$T/fonts" >"$T/out.log" 2>"$T/err.log" &
pid=$!
until_true "[ \$(renders) -ge 1 ]"
sleep 0.5
check "the output in a watched font directory: one render, not a loop" '[ $(renders) -eq 1 ]'
kill -INT $pid
wait $pid
pid=""

# usage errors
$ZPGEN watch --template "$T/dept-self-eval-table.xml" --data "$T/d.json" -o - >/dev/null 2>"$T/e"
check "watch -o -: a usage error" '[ $? -eq 2 ] && grep -q "must be a file" "$T/e"'
$ZPGEN watch --template "$T/dept-self-eval-table.xml" --data "$T/d.json" -o "$T/d.json" >/dev/null 2>"$T/e"
check "watch with the output naming the data: a usage error" '[ $? -eq 2 ] && grep -q "names an input" "$T/e"'

echo "watch: $pass passed, $fail failed"
[ $fail -eq 0 ]
