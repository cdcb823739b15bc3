#!/bin/sh
# Batch benchmark: a corpus of N (500) varied reports built from the samples
# (bench/corpus.py; every file passes zpgen check), rendered cold, warm
# (nothing changed) and after one change to a shared data file; then the
# per-worker peak memory over 50 and over N reports (one worker), which
# should be the same.  Prints reports per second, per-report median and
# p95, peak memory per worker and bytes written.  Needs python3.
set -e
ZPGEN=${ZPGEN:-bin/zpgen}
case $ZPGEN in /*) ;; *) ZPGEN=$PWD/$ZPGEN ;; esac
N=${N:-500}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
python3 bench/corpus.py "$N" "$T"
cd "$T"
echo "(cpu: user + system of the whole batch; on $(nproc) idle cores the wall time is about cpu / $(nproc))"
echo "corpus: $N reports ($(ls data | wc -l) data files, $(ls shared | wc -l) shared), $(nproc) cores"
# every file consistent with its template's checks
bad=0
while read -r line; do
  args=$(echo "$line" | python3 -c 'import json, sys
d = json.load(sys.stdin)
print(d["template"], " ".join("--data " + x for x in d["data"]))')
  # shellcheck disable=SC2086
  $ZPGEN check --template $args 2>/dev/null || bad=$((bad + 1))
done <manifest.jsonl
echo "zpgen check: $bad of $N files fail"
stats() { # REPORT: median and p95 of the rendered reports' ms
  sed -n 's/.*"status":"rendered".*"ms":\([0-9]*\),.*/\1/p' "$1" | sort -n |
    awk '{ v[NR] = $1 } END { if (NR) printf "per report median %d ms, p95 %d ms", v[int((NR + 1) / 2)], v[int((NR * 95 + 99) / 100)]; else printf "nothing rendered" }'
}
run() { # LABEL ARGS...
  label=$1
  shift
  /usr/bin/time -f "%U %S" -o cpu.txt $ZPGEN batch manifest.jsonl --quiet --report r.jsonl "$@" 2>err.txt || true
  cpu=$(awk '{ printf "%.2f", $1 + $2 }' cpu.txt)
  s=$(grep '^zpgen batch: [0-9]* reports' err.txt)
  secs=$(echo "$s" | sed -n 's/.* in \([0-9.]*\) s.*/\1/p')
  ren=$(echo "$s" | sed -n 's/.*: \([0-9]*\) rendered.*/\1/p')
  mem=$(echo "$s" | sed -n 's/.*peak memory per worker \([0-9]*\) KiB.*/\1/p')
  bytes=$(echo "$s" | sed -n 's/.* \([0-9]*\) bytes written.*/\1/p')
  printf "%-34s %5.2f s (cpu %5.2f s)  %4d rendered  %6s reports/s  %s  %s KiB peak/worker  %s bytes\n" \
    "$label" "$secs" "$cpu" "$ren" "$(awk -v r="$ren" -v s="$secs" 'BEGIN { printf "%.1f", (s > 0 ? r / s : 0) }')" \
    "$(stats r.jsonl)" "${mem:--}" "${bytes:-0}"
}
run "cold"
run "warm (nothing changed)"
f=$(ls shared | head -1)
sed -i 's/。"/，并持续改进。"/' "shared/$f"
run "after a change to shared/$f"
readers=$(grep -c "shared/$f" manifest.jsonl)
echo "  ($readers reports read shared/$f)"
# memory over a batch: one worker, 50 reports against all
head -50 manifest.jsonl >m50.jsonl
$ZPGEN batch m50.jsonl --force --quiet --jobs 1 2>err.txt
m50=$(sed -n 's/.*peak memory per worker \([0-9]*\) KiB.*/\1/p' err.txt)
$ZPGEN batch manifest.jsonl --force --quiet --jobs 1 2>err.txt
mall=$(sed -n 's/.*peak memory per worker \([0-9]*\) KiB.*/\1/p' err.txt)
echo "one worker's peak memory: $m50 KiB over 50 reports, $mall KiB over $N"
