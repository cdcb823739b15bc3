#!/bin/sh
# Speed and memory of one render: each sample, a 100-page report (a
# 1,800-row indicator table) and 2,000- and 20,000-row indicator tables.
# Prints wall time (best of 5) and peak resident memory.
set -e
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
TPL=templates/dept-self-eval-report.xml
run() { # name data [template [base data]]
  best=999999
  for i in 1 2 3 4 5; do
    /usr/bin/time -f "%e %M" -o "$T/time" $ZPGEN render --template "${3:-$TPL}" \
      ${4:+--data "$4"} --data "$2" -o "$T/out.pdf"
    read -r s kb <"$T/time"
    ms=$(echo "$s" | awk '{ printf "%d", $1 * 1000 }')
    [ "$ms" -lt "$best" ] && best=$ms && mem=$kb
  done
  pages=$(pdfinfo "$T/out.pdf" | awk '/^Pages:/ { print $2 }')
  size=$(wc -c <"$T/out.pdf")
  printf "%-28s %4d pages  %6d ms  %6d KiB peak  %7d bytes\n" "$1" "$pages" "$best" "$mem" "$size"
  echo "$pages $best $mem" >"$T/last"
}
for s in data/*.json; do
  tpl=$TPL base=
  case $s in
    *-import.json) continue ;; # a mapping for zpgen import, not a report's data
    *table*) tpl=templates/dept-self-eval-table.xml ;;
    # the 核查报告: the department's data, then the evaluator's
    *-review.json) tpl=templates/review-report.xml base=${s%-review.json}.json ;;
  esac
  run "$(basename "$s" .json)" "$s" "$tpl" "$base"
done
for n in 1800 2000 20000; do
  sh bench/gen-indicators.sh $n >"$T/ind$n.json"
  run "indicator table, $n rows" "$T/ind$n.json"
  cp "$T/last" "$T/last$n"
done
# the cost of a page as documents grow: 2,000 rows against 20,000
read -r p1 t1 m1 <"$T/last2000"
read -r p2 t2 m2 <"$T/last20000"
echo "per extra page (112 -> 1,112 pages): $(awk -v a="$t1" -v b="$t2" -v p="$p1" -v q="$p2" 'BEGIN { printf "%.2f", (b - a) / (q - p) }') ms, $(( (m2 - m1) / (p2 - p1) )) KiB"

