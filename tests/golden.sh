#!/bin/sh
# Golden layout dumps: every sample's dump must equal tests/golden/NAME.dump,
# and every dump (samples and the layout fixtures in tests/layout/) must pass
# the layout checker.  UPDATE=1 rewrites the golden files.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
SAMPLES=$(sed -n 's/^SAMPLES := //p' Makefile)
CASES=""
for s in $SAMPLES; do CASES="$CASES ${s%%:*}:templates/${s#*:}.xml:data/${s%%:*}.json"; done
for f in tests/layout/*.json; do
  [ -e "$f" ] || continue
  n=$(basename "$f" .json)
  CASES="$CASES layout-$n:tests/layout/$n.xml:$f"
done
for c in $CASES; do
  name=${c%%:*} rest=${c#*:}
  tpl=${rest%%:*} data=${rest#*:}
  if ! $ZPGEN render --template "$tpl" --data "$data" --output "$T/$name.pdf" \
      --dump-layout "$T/$name.dump"; then
    fail=$((fail + 1)); echo "FAIL: $name does not render"; continue
  fi
  if [ "${UPDATE:-0}" = 1 ]; then
    mkdir -p tests/golden && cp "$T/$name.dump" "tests/golden/$name.dump"
  fi
  if diff -u "tests/golden/$name.dump" "$T/$name.dump" >"$T/diff" 2>&1; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $name: layout differs from tests/golden/$name.dump"
    head -40 "$T/diff"
  fi
  if build/tools/layoutcheck "$T/$name.dump"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $name: layout checker findings"
  fi
done
# The checker itself must catch each kind of fault in a crafted dump:
# a line ending with an opening bracket, one starting with a comma, a number
# split from its fraction, a sign split from its number, an unjustified
# line, a line off the grid, and the number split "16万元" is fine.
build/tools/layoutcheck tests/layout/checker-bad.dump >"$T/bad.txt"
n=$(sed -n 's/^layoutcheck: \([0-9]*\) findings.*/\1/p' "$T/bad.txt")
if [ "$n" = 6 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: layoutcheck found $n faults in checker-bad.dump, expected 6"
  cat "$T/bad.txt"
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
