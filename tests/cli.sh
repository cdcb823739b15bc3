#!/bin/sh
# The command line: every command's own --help (exit 0, on stdout), usage
# errors (exit 2, naming the command), and the manual page doc/zpgen.1,
# which must render without warnings and list every option each --help
# lists.  Needs $ZPGEN.
set -u
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }

COMMANDS="render check batch fonts"
for c in $COMMANDS; do
  $ZPGEN $c --help >"$T/$c.help" 2>"$T/err"
  rc=$?
  check "$c --help: exit 0, its own text on stdout, nothing on stderr" \
    '[ $rc -eq 0 ] && grep -q "^usage: zpgen $c" "$T/$c.help" && [ ! -s "$T/err" ]'
  $ZPGEN help $c >"$T/help2" 2>&1
  check "zpgen help $c is zpgen $c --help" 'cmp -s "$T/$c.help" "$T/help2"'
  $ZPGEN $c --no-such-option >"$T/out" 2>"$T/err"
  rc=$?
  check "$c --no-such-option: exit 2, on stderr" '[ $rc -eq 2 ] && [ ! -s "$T/out" ] && grep -q "no-such-option" "$T/err"'
done
$ZPGEN --help >"$T/general.help"
check "--help lists every command and points to the commands' help" \
  'for c in $COMMANDS; do grep -q "^  $c " "$T/general.help" || exit 1; done; grep -q "COMMAND --help" "$T/general.help"'
check "zpgen batch --help is not the general help" '! cmp -s "$T/batch.help" "$T/general.help"'
$ZPGEN frobnicate >"$T/out" 2>"$T/err"
rc=$?
check "an unknown command is reported as such, exit 2" \
  '[ $rc -eq 2 ] && grep -q "unknown command \"frobnicate\"" "$T/err" && ! grep -q "unexpected argument" "$T/err"'
$ZPGEN >"$T/out" 2>"$T/err"
check "no command: exit 2" '[ $? -eq 2 ] && grep -q "^usage" "$T/err"'
$ZPGEN check --output x.pdf --template t.xml --data d.json >"$T/out" 2>"$T/err"
rc=$?
check "an option of another command: exit 2, named" \
  '[ $rc -eq 2 ] && grep -q "^zpgen check: --output is not an option" "$T/err"'
$ZPGEN render --template t.xml --data >"$T/out" 2>"$T/err"
rc=$?
check "an option without its value: exit 2" '[ $rc -eq 2 ] && grep -q "^zpgen render: --data needs a value" "$T/err"'
$ZPGEN fonts surplus >"$T/out" 2>"$T/err"
rc=$?
check "a surplus argument: exit 2" '[ $rc -eq 2 ] && grep -q "^zpgen fonts: unexpected argument \"surplus\"" "$T/err"'

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
