#!/bin/sh
# The tutorial works: every file templates/TUTORIAL.md gives (a line
# "`NAME`:" then a fenced block) is written into a scratch directory beside
# a copy of templates/official.xml, and every command of its ```sh blocks
# is run there, in order; each must succeed, except one marked "# exit N",
# which must exit N.  Then the printed example message must be what zpgen
# prints.
set -u
ZPGEN=$(cd "$(dirname "${ZPGEN:-bin/zpgen}")" && pwd)/$(basename "${ZPGEN:-bin/zpgen}")
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp templates/official.xml "$T/"
pass=0 fail=0
awk -v dir="$T" '
  /^`[^`]+`:$/ { name = substr($0, 2, length($0) - 3); next }
  /^```sh$/ { insh = 1; next }
  /^```/ && !inblock && !insh && name != "" { inblock = 1; file = dir "/" name; printf "" > file; next }
  /^```$/ && inblock { inblock = 0; close(file); name = ""; next }
  /^```$/ && insh { insh = 0; next }
  inblock { print > file; next }
  insh { print >> (dir "/commands.sh"); next }
' templates/TUTORIAL.md
while IFS= read -r cmd; do
  [ -n "$cmd" ] || continue
  want=0
  case $cmd in *"# exit "*) want=${cmd##*# exit }; cmd=${cmd%%#*} ;; esac
  (cd "$T" && eval "\"$ZPGEN\" ${cmd#zpgen }") >"$T/out" 2>&1
  rc=$?
  if [ "$rc" -eq "$want" ]; then pass=$((pass + 1)); else
    fail=$((fail + 1)); echo "FAIL: tutorial: $cmd: exit $rc, expected $want"; cat "$T/out"; fi
done <"$T/commands.sh"
# the example error message is the real one
(cd "$T" && "$ZPGEN" check --template report-typo.xml --data report.json) >"$T/typo.err" 2>&1
if grep -q 'report-typo.xml:4:8: error: unknown style "titel" (style of <p>); did you mean "title"?' "$T/typo.err"; then
  pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: tutorial: the typo message"; cat "$T/typo.err"; fi
echo "tutorial: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
