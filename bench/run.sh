#!/bin/sh
# Speed and memory: the 荔湖 report, and 2,000- and 20,000-row indicator
# tables.  Prints wall time (best of 5) and peak resident memory.
set -e
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TPL=templates/dept-self-eval-report.xml
run() { # name data
  best=999999
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$T/time" $ZPGEN render --template $TPL --data "$2" -o "$T/out.pdf"
    read -r s kb <"$T/time"
    ms=$(echo "$s" | awk '{ printf "%d", $1 * 1000 }')
    [ "$ms" -lt "$best" ] && best=$ms && mem=$kb
  done
  pages=$(pdfinfo "$T/out.pdf" | awk '/^Pages:/ { print $2 }')
  size=$(wc -c <"$T/out.pdf")
  printf "%-28s %4d pages  %6d ms  %6d KiB peak  %7d bytes\n" "$1" "$pages" "$best" "$mem" "$size"
}
for s in data/*.json; do
  case $s in *table*) continue ;; esac
  run "$(basename "$s" .json)" "$s"
done
for n in 2000 20000; do
  sh bench/gen-indicators.sh $n >"$T/ind$n.json"
  run "indicator table, $n rows" "$T/ind$n.json"
done
