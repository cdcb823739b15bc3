#!/bin/sh
# Batch tests: zpgen batch over small reports (one page each), cold, warm,
# after a shared file changes, with a broken report, killed with kill -9 and
# interrupted with SIGINT, sharded; a worker's PDF against a single render.
# Needs $ZPGEN; no timing assertions.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
case $ZPGEN in /*) ;; *) ZPGEN=$PWD/$ZPGEN ;; esac
TPL=$PWD/templates/dept-self-eval-report.xml
. tests/lib.sh
export SOURCE_DATE_EPOCH=0

# own-N.json: one report's own figures; shared-a/b.json: a shared section
own() { # N
  cat <<EOF
{
  "meta": {"title": "测试单位$1 2023年度部门整体支出绩效自评报告",
           "department": "测试单位$1", "year": 2023},
  "basic": {"sections": [{"title": "部门概况",
    "paragraphs": ["测试单位$1主要职责是统筹推进各项工作，共有$1个科室。"]}]},
  "evaluation": {"paragraphs": ["总体完成情况良好，预算执行率为9$1.5%。"]},
  "problems": {"paragraphs": ["部分项目执行进度偏慢。"]}
}
EOF
}
shared() { # TEXT
  printf '{\n  "measures": {"paragraphs": ["%s"]}\n}\n' "$1"
}
cd "$T" || exit 1
mkdir out data
for n in 1 2 3 4 5 6; do own $n >data/own-$n.json; done
shared "加强预算绩效管理，提高资金使用效益。" >data/shared-a.json
shared "完善绩效目标，强化结果应用。" >data/shared-b.json
line() { # ID N SHARED
  printf '{"id": "%s", "template": "%s", "data": ["data/own-%s.json", "data/shared-%s.json"], "output": "out/%s.pdf"}\n' \
    "$1" "$TPL" "$2" "$3" "$1"
}
{ for n in 1 2 3; do line r$n $n a; done
  echo
  for n in 4 5 6; do line r$n $n b; done; } >m.jsonl
st() { grep -c "\"status\":\"$1\"" "$2"; }
has() { grep -q "\"id\":\"$1\",\"status\":\"$2\"" "$3"; }

# cold, one worker (so that r6 comes after its faces were prepared)
$ZPGEN batch m.jsonl --jobs 1 --report cold.jsonl >cold.out 2>cold.err
check "cold batch exits 0" '[ $? -eq 0 ] || cat cold.err'
check "cold batch renders all six" '[ "$(st rendered cold.jsonl)" = 6 ]'
check "every output a PDF, with its record" \
  'for n in 1 2 3 4 5 6; do pdfinfo out/r$n.pdf >/dev/null 2>&1 && [ -s out/r$n.pdf.zpgen ] || exit 1; done'
check "the summary counts" 'grep -q "6 reports: 6 rendered, 0 skipped, 0 failed" cold.err'
check "the report has sha256, pages and bytes" \
  'has r1 rendered cold.jsonl && grep "\"id\":\"r1\"" cold.jsonl | grep -q "\"pages\":1,\"bytes\":[1-9][0-9]*,\"sha256\":\"[0-9a-f]\{64\}\""'
sha=$(sha256sum out/r1.pdf | cut -d" " -f1)
check "the report's sha256 is the PDF's" 'grep -q "$sha" cold.jsonl'
for n in 1 6; do
  $ZPGEN render --template "$TPL" --data data/own-$n.json --data data/shared-$( [ $n -le 3 ] && echo a || echo b).json -o single-$n.pdf
  check "a worker's r$n is byte-identical to a single render" 'cmp -s single-$n.pdf out/r$n.pdf'
done

# two templates with the same font roles share a worker's font set: the
# bytes are still those of a single render
TABLE=$(dirname "$TPL")/dept-self-eval-table.xml
PANYU=$(dirname "$TPL")/../data/panyu-agri-2021-table.json
{ line r1 1 a | sed 's|out/r1.pdf|two/r1.pdf|'
  printf '{"id": "t", "template": "%s", "data": "%s", "output": "two/t.pdf"}\n' "$TABLE" "$PANYU"; } >two.jsonl
mkdir two
$ZPGEN batch two.jsonl --jobs 1 >/dev/null 2>two.err
$ZPGEN render --template "$TABLE" --data "$PANYU" -o single-t.pdf
check "a second template in the same worker: byte-identical to a single render" \
  'cmp -s single-t.pdf two/t.pdf && cmp -s single-1.pdf two/r1.pdf'

# warm: nothing to do
cp out/r1.pdf r1.before
$ZPGEN batch m.jsonl --report warm.jsonl >/dev/null 2>warm.err
check "warm batch exits 0" '[ $? -eq 0 ]'
check "warm batch renders nothing" '[ "$(st skipped warm.jsonl)" = 6 ] && [ "$(st rendered warm.jsonl)" = 0 ]'
check "warm batch leaves the PDFs alone" 'cmp -s r1.before out/r1.pdf && [ ! out/r1.pdf -nt r1.before ]'

# the fingerprint does not depend on how the paths are spelled
ln -s . here
mkdir -p sub
$ZPGEN batch "$T/m.jsonl" --dry-run >sp1.out 2>&1
(cd sub && $ZPGEN batch ../m.jsonl --dry-run) >sp2.out 2>&1
$ZPGEN batch here/./m.jsonl --dry-run >sp3.out 2>&1
check "the manifest named by an absolute path, from another directory, through a link: nothing to render" \
  'for f in sp1.out sp2.out sp3.out; do grep -q "^0 to render, 6 unchanged" $f || { cat $f; exit 1; }; done'

# a CSV manifest of the same reports: the same fingerprints
{ echo "id,template,data,output"
  for n in 1 2 3; do echo "r$n,$TPL,data/own-$n.json;data/shared-a.json,out/r$n.pdf"; done
  for n in 4 5 6; do echo "r$n,\"$TPL\",data/own-$n.json;data/shared-b.json,out/r$n.pdf"; done; } >m.csv
$ZPGEN batch m.csv --report csv.jsonl >/dev/null 2>csv.err
check "a CSV manifest of the same reports skips them all" '[ $? -eq 0 ] && [ "$(st skipped csv.jsonl)" = 6 ]'

# one shared file changes: exactly its readers
shared "加强预算绩效管理，提高资金使用效益，推进整改。" >data/shared-a.json
$ZPGEN batch m.jsonl --dry-run >dry.out 2>dry.err
check "--dry-run lists the readers of the changed file, and why" \
  '[ "$(grep -c "^render r[123]: data .*shared-a.json changed" dry.out)" = 3 ] && ! grep -q "^render r[456]" dry.out'
check "--dry-run renders nothing" 'cmp -s r1.before out/r1.pdf'
$ZPGEN batch m.jsonl --report shared.jsonl >/dev/null 2>shared.err
check "a shared-file change re-renders exactly its readers" \
  'has r1 rendered shared.jsonl && has r2 rendered shared.jsonl && has r3 rendered shared.jsonl &&
   [ "$(st skipped shared.jsonl)" = 3 ]'

# a broken report among good ones
cp out/r5.pdf r5.before
sed 's/"year": 2023}/"year": 2023,}/' data/own-5.json >x && mv x data/own-5.json
own 7 >data/own-4.json # and a good change
$ZPGEN batch m.jsonl --report broken.jsonl >/dev/null 2>broken.err
rc=$?
check "a broken report: exit 1" '[ $rc -eq 1 ]'
check "a broken report: the others render" 'has r4 rendered broken.jsonl && [ "$(st skipped broken.jsonl)" = 4 ]'
check "a broken report is reported with its first error" \
  'grep "\"id\":\"r5\"" broken.jsonl | grep -q "\"status\":\"failed\".*\"error\":\".*own-5.json:[0-9]*:[0-9]*: error: "' 
check "the summary names the failure and its first error" \
  'grep -q "failed r5: .*own-5.json:[0-9]*:[0-9]*: error:" broken.err'
check "a broken report keeps its old PDF" 'cmp -s r5.before out/r5.pdf'
$ZPGEN batch m.jsonl --force --jobs 1 >/dev/null 2>&1
check "the report after a failed one, in the same worker, is byte-identical to a single render" \
  'cmp -s single-6.pdf out/r6.pdf && cmp -s r5.before out/r5.pdf'
own 5 >data/own-5.json

# an output that cannot be written: exit 3
line r9 1 a | sed 's|out/r9.pdf|nowhere/r9.pdf|' >io.jsonl
$ZPGEN batch io.jsonl >/dev/null 2>io.err
check "an I/O failure: exit 3" '[ $? -eq 3 ]'

# the sweep of leftovers: never in --dry-run, never a live process's
# temporary file (a running render, another shard), always a dead or zombie
# process's
mkdir sw
long=$(printf 'L%.0s' $(seq 1 200))
{ line r1 1 a | sed 's|out/r1.pdf|sw/r1.pdf|'
  line "${long}x" 2 a | sed "s|out/${long}x.pdf|sw/${long}x.pdf|"; } >sw.jsonl
dead=999999
while kill -0 $dead 2>/dev/null; do dead=$((dead - 1)); done
sh -c 'sleep 0 & echo $! >zpid; exec sleep 30' &
zparent=$!
i=0
while [ $i -lt 100 ] && ! { [ -s zpid ] && grep -q ') Z' /proc/$(cat zpid)/stat 2>/dev/null; }; do sleep 0.05; i=$((i + 1)); done
zombie=$(cat zpid)
: >sw/.r1.pdf.zpgen-tmp.$dead.aaaaaa
: >sw/.r1.pdf.zpgen.zpgen-tmp.$dead.bbbbbb
: >sw/.r1.pdf.zpgen-tmp.$zombie.cccccc
: >sw/.r1.pdf.zpgen-tmp.$$.dddddd
: >"sw/.${long}.zpgen-tmp.$$.eeeeee"
: >sw/.other.pdf.zpgen-tmp.$dead.ffffff
$ZPGEN batch sw.jsonl --dry-run >/dev/null 2>sw.err
check "--dry-run sweeps nothing" '[ "$(ls -A sw | grep -c zpgen-tmp)" = 6 ]'
$ZPGEN batch sw.jsonl --quiet >/dev/null 2>sw.err
check "the sweep removes a dead process's leftovers (output and record)" \
  '[ $? -eq 0 ] && [ ! -e sw/.r1.pdf.zpgen-tmp.$dead.aaaaaa ] && [ ! -e sw/.r1.pdf.zpgen.zpgen-tmp.$dead.bbbbbb ]'
check "the sweep removes a zombie's leftover" \
  'grep -q ") Z" /proc/$zombie/stat 2>/dev/null || { echo "(no zombie)"; exit 0; }; [ ! -e sw/.r1.pdf.zpgen-tmp.$zombie.cccccc ]'
check "the sweep leaves a live process's temporary files (also a long name's)" \
  '[ -e sw/.r1.pdf.zpgen-tmp.$$.dddddd ] && [ -e "sw/.${long}.zpgen-tmp.$$.eeeeee" ]'
check "the sweep leaves another output's leftovers" '[ -e sw/.other.pdf.zpgen-tmp.$dead.ffffff ]'
kill $zparent 2>/dev/null
wait $zparent 2>/dev/null

# smaller ones: --report in a missing directory fails first; a CSV BOM;
# invalid UTF-8 in a CSV field; a 17th --fonts
$ZPGEN batch m.jsonl --force --report nodir/x.jsonl >/dev/null 2>nodir.err
check "--report in a missing directory: exit 3 before any work" \
  '[ $? -eq 3 ] && grep -q "nodir/x.jsonl: error: cannot write the report" nodir.err && ! grep -q "reports:" nodir.err'
{ printf '\357\273\277'; cat m.csv; } >bom.csv
$ZPGEN batch bom.csv --dry-run >bom.out 2>bom.err
check "a CSV manifest with a byte-order mark" '[ $? -eq 0 ] && grep -q "^0 to render, 6 unchanged" bom.out'
{ echo "id,template,data,output"; printf 'r1\377,%s,data/own-1.json,out/u.pdf\n' "$TPL"; } >u8.csv
$ZPGEN batch u8.csv --dry-run >/dev/null 2>u8.err
check "invalid UTF-8 in a CSV field: exit 1 at its line" '[ $? -eq 1 ] && grep -q "u8.csv:2: error: field 1 (id) is not valid UTF-8" u8.err'
set -- ; for i in $(seq 1 17); do set -- "$@" --fonts .; done
$ZPGEN batch m.jsonl --dry-run "$@" >/dev/null 2>f17.err
check "a 17th --fonts: exit 2" '[ $? -eq 2 ] && grep -q "at most 16 --fonts" f17.err'
set --

# FIFOs and directories among the inputs: errors naming the file, exit 3,
# never a hang (each run is bounded by timeout)
mkfifo fifo.jsonl fifo.xml fifo.json
timeout 20 $ZPGEN batch fifo.jsonl >/dev/null 2>fifo.err
check "a FIFO manifest: exit 3 naming it" '[ $? -eq 3 ] && grep -q "fifo.jsonl: error: cannot read the manifest: it is a FIFO" fifo.err'
timeout 20 $ZPGEN batch /dev/zero >/dev/null 2>fifo.err
check "a device manifest: exit 3 naming it" '[ $? -eq 3 ] && grep -q "/dev/zero: error: cannot read the manifest: it is a character device" fifo.err'
printf '{"id": "f", "template": "fifo.xml", "data": "data/own-1.json", "output": "out/f.pdf"}\n' >fifot.jsonl
timeout 20 $ZPGEN batch fifot.jsonl >/dev/null 2>fifo.err
rc=$?
timeout 20 $ZPGEN render --template fifo.xml --data data/own-1.json -o out/f.pdf 2>/dev/null
rc2=$?
check "a FIFO template: exit 3 naming it, as render" '[ $rc -eq 3 ] && [ $rc2 -eq 3 ] && grep -q "fifo.xml: error: cannot read the template: it is a FIFO" fifo.err'
printf '{"id": "f", "template": "%s", "data": "fifo.json", "output": "out/f.pdf"}\n' "$TPL" >fifod.jsonl
timeout 20 $ZPGEN batch fifod.jsonl >/dev/null 2>fifo.err
check "a FIFO data file: exit 3 naming it" '[ $? -eq 3 ] && grep -q "fifo.json: error: cannot read the data: it is a FIFO" fifo.err'
line r1 1 a | sed 's|out/r1.pdf|fr/r1.pdf|' >fifor.jsonl
mkdir fr && mkfifo fr/r1.pdf.zpgen
timeout 20 $ZPGEN batch fifor.jsonl >/dev/null 2>fifo.err
check "a FIFO record: exit 3 naming it" '[ $? -eq 3 ] && grep -q "r1.pdf.zpgen: error: cannot read the record: it is a FIFO" fifo.err && [ -p fr/r1.pdf.zpgen ]'
timeout 20 $ZPGEN batch fifor.jsonl --force >/dev/null 2>fifo.err
check "a FIFO record with --force: exit 3, the FIFO left alone" '[ $? -eq 3 ] && grep -q "r1.pdf.zpgen: error: cannot replace the record: it is a FIFO" fifo.err && [ -p fr/r1.pdf.zpgen ]'

# manifest errors name the line
{ line r1 1 a; line r1 2 a; } >dup.jsonl
$ZPGEN batch dup.jsonl >/dev/null 2>dup.err
check "a repeated id: exit 1, naming both lines" \
  '[ $? -eq 1 ] && grep -q "dup.jsonl:2: error: the id \"r1\" is also that of line 1" dup.err'
printf '{"id": "x", "template": "t.xml", "data": 3, "output": "x.pdf"}\n{"id": "y", "colour": 1}\nnot json\n' >bad.jsonl
$ZPGEN batch bad.jsonl >/dev/null 2>bad.err
check "a manifest's bad fields: each with its line and what was expected" \
  'grep -q "bad.jsonl:1:.*\"data\" is a number; expected a string or an array of strings" bad.err &&
   grep -q "bad.jsonl:2:.*unknown member \"colour\"" bad.err && grep -q "bad.jsonl:3:.*not a JSON object" bad.err'

# an output that would overwrite an input or another report's file: a
# manifest error naming the line, by identity (./, //, .., symbolic links)
mkdir -p cl/sub && own 1 >cl/own.json && shared "共享。" >cl/sh.json && ln -s .. cl/sub/up
cp "$TPL" cl/t.xml && cp "$(dirname "$TPL")/official.xml" cl/
clash() { # NAME LINE... : the manifest cl-NAME.jsonl
  n=$1; shift
  for l in "$@"; do printf '%s\n' "$l"; done >cl-$n.jsonl
  cp cl/own.json own.keep
  $ZPGEN batch cl-$n.jsonl --dry-run >cl.out 2>cl-$n.err
}
r() { printf '{"id": "%s", "template": "%s", "data": ["cl/own.json", "cl/sh.json"], "output": "%s"}' "$1" "$2" "$3"; }
clash data "$(r a cl/t.xml cl/a.pdf)" "$(r b cl/t.xml cl/sub/up/./own.json)"
check "an output that is a data file: exit 1 naming the line" \
  '[ $? -eq 1 ] && grep -q "cl-data.jsonl:2: error: the output \"cl/sub/up/./own.json\" is also a data file of line 1" cl-data.err && cmp -s own.keep cl/own.json'
clash tpl "$(r a cl/t.xml cl//t.xml)"
check "an output that is its template" '[ $? -eq 1 ] && grep -q "cl-tpl.jsonl:1: error: the output \"cl//t.xml\" is also the template of line 1" cl-tpl.err'
clash man "$(r a cl/t.xml cl/../cl-man.jsonl)"
check "an output that is the manifest" '[ $? -eq 1 ] && grep -q "cl-man.jsonl:1: error: the output \"cl/../cl-man.jsonl\" is also the manifest" cl-man.err'
clash rec "$(r a cl/t.xml cl/a.pdf)" "$(r b cl/t.xml cl/sub/up/a.pdf.zpgen)"
check "an output that is another report's record" '[ $? -eq 1 ] && grep -q "cl-rec.jsonl:2: error: the output \"cl/sub/up/a.pdf.zpgen\" is also the record of line 1" cl-rec.err'
clash out2 "$(r a cl/t.xml cl/a.pdf)" "$(r b cl/t.xml ./cl/sub/../a.pdf)"
check "two outputs spelled differently" '[ $? -eq 1 ] && grep -q "cl-out2.jsonl:2: error: the output \"./cl/sub/../a.pdf\" is also the output of line 1" cl-out2.err'
cp cl/official.xml official.keep
clash inc "$(r a cl/t.xml cl/a.pdf)" "$(r b cl/t.xml cl/sub/up/official.xml)"
check "an output that is a file the template includes" \
  '[ $? -eq 1 ] && grep -q "cl-inc.jsonl:2: error: the output \"cl/sub/up/official.xml\" is also a file the template includes (\"cl/official.xml\")" cl-inc.err && cmp -s official.keep cl/official.xml'
clash ok "$(r a cl/t.xml cl/a.pdf)" "$(r b cl/t.xml cl/b.pdf)"
check "distinct outputs pass" '[ $? -eq 0 ]'
$ZPGEN batch cl-ok.jsonl --dry-run --report cl/own.json >/dev/null 2>cl-rep.err
check "--report naming a data file: exit 2" '[ $? -eq 2 ] && grep -q "\-\-report \"cl/own.json\" names a data file of line 1" cl-rep.err && cmp -s own.keep cl/own.json'
$ZPGEN batch cl-ok.jsonl --dry-run --report ./cl/b.pdf >/dev/null 2>cl-rep.err
check "--report naming an output: exit 2" '[ $? -eq 2 ] && grep -q "names the output of line 2" cl-rep.err'
$ZPGEN batch cl-ok.jsonl --dry-run --report cl-ok.jsonl >/dev/null 2>cl-rep.err
check "--report naming the manifest: exit 2" '[ $? -eq 2 ] && grep -q "names the manifest" cl-rep.err'

# a directory of data files with one template
mkdir dir dirout
own 1 | sed 's/"problems"/"measures": {"paragraphs": ["措施。"]}, "problems"/' >dir/one.json
own 2 | sed 's/"problems"/"measures": {"paragraphs": ["措施。"]}, "problems"/' >dir/two.json
$ZPGEN batch dir --template "$TPL" --output-dir dirout >/dev/null 2>dir.err
check "a directory of data files" '[ $? -eq 0 ] && pdfinfo dirout/one.pdf >/dev/null && pdfinfo dirout/two.pdf >/dev/null'

# shards: three processes together render every report exactly once
for i in 0 1 2; do
  $ZPGEN batch m.jsonl --force --shard $i/3 --report shard$i.jsonl >/dev/null 2>shard$i.err &
done
wait
cat shard0.jsonl shard1.jsonl shard2.jsonl | sed -n 's/.*"id":"\([^"]*\)","status":"rendered".*/\1/p' | sort >shards.txt
check "shards cover the manifest exactly once" '[ "$(tr "\n" " " <shards.txt)" = "r1 r2 r3 r4 r5 r6 " ]'
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=3 $ZPGEN batch m.jsonl --dry-run --force >slurm.out 2>&1
check "the Slurm array variables pick the same slice as --shard 1/3" \
  '[ "$(sed -n "s/^render \([^:]*\):.*/\1/p" slurm.out | sort | tr "\n" " ")" = "$(sed -n "s/.*\"id\":\"\([^\"]*\)\".*/\1/p" shard1.jsonl | sort | tr "\n" " ")" ]'

# shard variables: range-checked, an index without a count is an error
shenv() { # NAME=VALUE... -- expects exit 2 naming the first name
  env "$@" $ZPGEN batch m.jsonl --dry-run >shenv.out 2>shenv.err
}
for e in "SLURM_ARRAY_TASK_ID=1" "SLURM_ARRAY_TASK_COUNT=3" \
  "SLURM_ARRAY_TASK_ID=9223372036854775807 SLURM_ARRAY_TASK_COUNT=3 SLURM_ARRAY_TASK_MIN=-1" \
  "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=99999999999999999999" \
  "SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=2000000" \
  "SLURM_ARRAY_TASK_ID=x SLURM_ARRAY_TASK_COUNT=3" \
  "JOB_COMPLETION_INDEX=1" "JOB_COMPLETION_INDEX=-1 ZPGEN_SHARD_COUNT=3" \
  "JOB_COMPLETION_INDEX=99999999999999999999 ZPGEN_SHARD_COUNT=3" \
  "JOB_COMPLETION_INDEX=1 ZPGEN_SHARD_COUNT=2000000"; do
  # shellcheck disable=SC2086
  shenv $e
  rc=$?
  check "shard variables $e: exit 2 naming a variable" \
    '[ $rc -eq 2 ] && grep -q "SLURM_ARRAY_TASK\|JOB_COMPLETION_INDEX\|ZPGEN_SHARD_COUNT" shenv.err && ! grep -q "^render" shenv.out'
done
env JOB_COMPLETION_INDEX=1 ZPGEN_SHARD_COUNT=3 $ZPGEN batch m.jsonl --dry-run --force >k8s.out 2>&1
check "JOB_COMPLETION_INDEX=1 with a count of 3 picks slice 1/3" \
  '[ "$(sed -n "s/^render \([^:]*\):.*/\1/p" k8s.out | sort | tr "\n" " ")" = "$(sed -n "s/^render \([^:]*\):.*/\1/p" slurm.out | sort | tr "\n" " ")" ]'

# kill -9 in the middle, then resume
mkdir big
# waits until N reports are finished (or 10 s)
wait_for() {
  i=0
  while [ "$(ls big | grep -c '\.zpgen$')" -lt "$1" ] && [ $i -lt 200 ]; do
    sleep 0.05
    i=$((i + 1))
  done
}
for n in $(seq 1 200); do line k$n $((n % 6 + 1)) b | sed "s|out/k$n.pdf|big/k$n.pdf|"; done >big.jsonl
setsid $ZPGEN batch big.jsonl --jobs 2 --quiet >/dev/null 2>&1 &
pid=$!
wait_for 10
kill -9 -$pid 2>/dev/null
wait $pid 2>/dev/null
ls big | grep '\.zpgen$' | sed 's/\.pdf\.zpgen$//' | sort >finished.txt
check "killed: every PDF is whole" \
  'for f in big/*.pdf; do [ -e "$f" ] || continue; pdfinfo "$f" >/dev/null 2>&1 || exit 1; done'
$ZPGEN batch big.jsonl --report resume.jsonl --quiet >/dev/null 2>resume.err
check "killed in the middle" '[ "$(wc -l <finished.txt)" -lt 200 ] || echo "(it had finished)"'
check "resumed: exit 0, all present" '[ $? -eq 0 ] && [ "$(ls big/*.pdf | wc -l)" = 200 ]'
check "resumed: nothing finished is rendered again" \
  'for id in $(cat finished.txt); do has $id skipped resume.jsonl || exit 1; done'
check "resumed: every report rendered once in all" \
  '[ $(( $(wc -l <finished.txt) + $(st rendered resume.jsonl) )) -ge 200 ] && [ "$(st failed resume.jsonl)" = 0 ]'
check "resumed: no temporary file left" '! ls -A big | grep -q zpgen-tmp'

# SIGINT: the running reports finish, the rest is left for the next run
rm -rf big && mkdir big
setsid $ZPGEN batch big.jsonl --jobs 2 --quiet --report int.jsonl >/dev/null 2>int.err &
pid=$!
wait_for 10
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
check "SIGINT: exit 3 (or 0 when it had finished)" '[ $rc -eq 3 ] || [ $rc -eq 0 ]'
check "SIGINT: the summary is printed" 'grep -q "zpgen batch: 200 reports:" int.err'
check "SIGINT: it stopped handing out work" '[ $rc -eq 0 ] || grep -q "not done (interrupted)" int.err'
check "SIGINT: the report lists the reports not done" '[ $rc -eq 0 ] || grep -q "\"status\":\"interrupted\"" int.jsonl'
check "SIGINT: no partial PDF, no temporary file" \
  '! ls -A big | grep -q zpgen-tmp && for f in big/*.pdf; do [ -e "$f" ] || continue; pdfinfo "$f" >/dev/null 2>&1 || exit 1; done'
check "SIGINT: the report written, no report temporary file left" '[ -s int.jsonl ] && ! ls -A | grep -q "int.jsonl.zpgen-tmp"'
check "SIGINT: every PDF written has its record" \
  'for f in big/*.pdf; do [ -e "$f" ] || continue; [ -s "$f.zpgen" ] || exit 1; done'

# two SIGINTs: the running reports aborted (their workers end on SIGTERM),
# the parent's report still written
rm -rf big && mkdir big
setsid $ZPGEN batch big.jsonl --jobs 2 --quiet --report int2.jsonl >/dev/null 2>int2.err &
pid=$!
wait_for 5
kill -INT $pid 2>/dev/null
sleep 0.05
kill -INT $pid 2>/dev/null
wait $pid
rc=$?
check "two SIGINTs: exit 3 (or 0), the report written, no temporary file" \
  '{ [ $rc -eq 3 ] || [ $rc -eq 0 ]; } && [ -s int2.jsonl ] && ! ls -A . big | grep -q zpgen-tmp'

# a worker killed (as by the OOM killer): its report fails, a new worker
# takes the rest
$ZPGEN batch big.jsonl --force --jobs 2 --quiet --report kw.jsonl >/dev/null 2>kw.err &
pid=$!
wait_for 1
sleep 0.1
kill -9 "$(pgrep -P $pid | head -1)" 2>/dev/null
wait $pid
rc=$?
check "a dead worker: exit 3, its report failed with the signal, the rest rendered" \
  '[ $rc -eq 0 ] || { [ $rc -eq 3 ] && [ "$(st failed kw.jsonl)" = 1 ] && grep -q "died of signal 9" kw.jsonl &&
    [ "$(st rendered kw.jsonl)" = 199 ]; }'

# 20,000 reports of 20,000 distinct data files: planned in linear time
# (hashed files in a hash table, one directory scan per output directory);
# the timeout bounds the test, it is not a measurement
mkdir -p many/d many/o
seq 1 20000 | sed 's|.*|many/d/&.json|' | xargs touch
seq 1 20000 | awk -v t="$TPL" '{printf "{\"id\": \"m%d\", \"template\": \"%s\", \"data\": \"many/d/%d.json\", \"output\": \"many/o/%d.pdf\"}\n", $1, t, $1, $1}' >many.jsonl
timeout 120 $ZPGEN batch many.jsonl --dry-run >many.out 2>many.err
check "20,000 reports planned in --dry-run" '[ $? -eq 0 ] && tail -1 many.out | grep -q "^20000 to render, 0 unchanged, 0 failing"'

# SOURCE_DATE_EPOCH out of range or malformed: a usage error before any work
for v in 253402300800 abc 1e9 -1 99999999999999999999; do
  SOURCE_DATE_EPOCH=$v $ZPGEN batch m.jsonl --force >sde.out 2>sde.err
  check "SOURCE_DATE_EPOCH=$v: batch exits 2 naming it" \
    '[ $? -eq 2 ] && grep -q "SOURCE_DATE_EPOCH.*expected a whole number of seconds from 0 to 253402300799" sde.err'
  SOURCE_DATE_EPOCH=$v $ZPGEN render --template "$TPL" --data data/own-1.json -o sde.pdf 2>sde.err
  check "SOURCE_DATE_EPOCH=$v: render exits 2 naming it" '[ $? -eq 2 ] && grep -q "SOURCE_DATE_EPOCH" sde.err && [ ! -e sde.pdf ]'
done
SOURCE_DATE_EPOCH=253402300799 $ZPGEN render --template "$TPL" --data data/own-1.json --data data/shared-a.json -o sde.pdf 2>sde.err
check "SOURCE_DATE_EPOCH=253402300799 (9999-12-31) renders" '[ $? -eq 0 ] && [ -s sde.pdf ]'

echo "batch: $pass passed, $fail failed"
[ $fail -eq 0 ]
