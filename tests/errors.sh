#!/bin/sh
# Golden errors: every bad-input fixture of tests/bad/ gives exactly the
# diagnostics in tests/bad/expected/NAME.err (messages, source lines and
# carets, as zpgen prints them).  A template fixture is checked with a
# sample's data, a data fixture with the report template.  UPDATE=1
# rewrites the expected files.  A template fixture with data of its own
# (tests/bad/data/NAME.json) is checked with that; one named layout-* is
# also laid out (check --layout).
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
mkdir -p tests/bad/expected
for f in tests/bad/*.xml tests/bad/*.json; do
  n=$(basename "$f")
  case $f in
    *.xml)
      data=tests/bad/data/${n%.xml}.json
      [ -f "$data" ] || data=data/liwan-agri-2023.json
      # a layout-* fixture is bad only once laid out
      lay=""; case $n in layout-*) lay=--layout ;; esac
      $ZPGEN check $lay --template "$f" --data "$data" >"$T/out" 2>&1 ;;
    *) $ZPGEN check --template templates/dept-self-eval-report.xml --data "$f" >"$T/out" 2>&1 ;;
  esac
  echo "exit $?" >>"$T/out"
  if [ "${UPDATE:-0}" = 1 ]; then cp "$T/out" "tests/bad/expected/$n.err"; fi
  if diff -u "tests/bad/expected/$n.err" "$T/out" >"$T/diff" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $n: the diagnostics differ"; cat "$T/diff"
  fi
done
echo "errors: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
