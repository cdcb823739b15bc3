#!/bin/sh
# The command line: every command's own --help (exit 0, on stdout), usage
# errors (exit 2, naming the command), and the manual page doc/zpgen.1,
# which must render without warnings and list every option each --help
# lists.  Needs $ZPGEN.
set -u
. tests/lib.sh

COMMANDS="render watch check batch import fonts"
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

# The manual page: renders without a warning, and each command's section
# names every option (long and short) and environment variable its --help
# names.
MAN=doc/zpgen.1
groff -man -ww -z "$MAN" >"$T/groff.err" 2>&1
check "zpgen.1 renders without warnings (groff -man -ww)" '[ ! -s "$T/groff.err" ] || { cat "$T/groff.err"; false; }'
if command -v man >/dev/null 2>&1; then
  MANWIDTH=80 man --warnings -l "$MAN" >"$T/man.txt" 2>"$T/man.err"
  check "zpgen.1 renders without warnings (man --warnings -l)" '[ -s "$T/man.txt" ] && [ ! -s "$T/man.err" ]'
fi
# the roff source with its escapes undone: \- is -, \fB/\fR fonts dropped
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" >"$T/man.src"
section() { # the source of section .SS $1 (up to the next .SS or .SH)
  awk -v s=".SS $1" '$0 == s { on = 1; next } /^\.S[SH] / { on = 0 } on' "$T/man.src"
}
for c in $COMMANDS; do
  section $c >"$T/sec.$c"
  check "zpgen.1 has a section for $c" '[ -s "$T/sec.$c" ]'
  for opt in $(grep -oE -- '--[a-z][a-z-]*' "$T/$c.help" | sort -u) \
             $(grep -oE -- '(^|[ ,])-[a-zA-Z]\b' "$T/$c.help" | tr -d ' ,' | sort -u); do
    [ "$opt" = "--" ] && continue
    if grep -qE -- "(^|[^a-zA-Z-])$opt([^a-zA-Z-]|\$)" "$T/sec.$c" ||
       { [ "$opt" = --help ] && grep -q "^--help" "$T/sec.$c"; }; then ok
    else bad "zpgen.1, section $c, does not name $opt (from zpgen $c --help)"; fi
  done
  for var in $(grep -oE '\b[A-Z][A-Z]+_[A-Z_]+\b' "$T/$c.help" | sort -u); do
    check "zpgen.1 documents \$$var (named by zpgen $c --help)" \
      'awk "/^\\.SH ENVIRONMENT/ { on = 1 } on" "$T/man.src" | grep -q "$var"'
  done
done
for opt in --help --version; do
  check "zpgen.1 documents zpgen $opt" 'awk "/^\\.SH OPTIONS/ { on = 1 } on" "$T/man.src" | grep -q -- "$opt"'
done
for var in ZPGEN_FONTS SOURCE_DATE_EPOCH FONTCONFIG_FILE FONTCONFIG_PATH SLURM_ARRAY_TASK_ID \
           SLURM_ARRAY_TASK_MIN SLURM_ARRAY_TASK_COUNT JOB_COMPLETION_INDEX ZPGEN_SHARD_COUNT; do
  check "zpgen.1 documents \$$var (read by gen/*.c)" \
    'grep -q "getenv(\"$var\")" gen/*.c && awk "/^\\.SH ENVIRONMENT/ { on = 1 } on" "$T/man.src" | grep -q "$var"'
done
check "every variable the sources read is in the list above" \
  '[ "$(grep -ohE "getenv\(\"[A-Z_]+\"\)" gen/*.c | sort -u | wc -l)" -eq 9 ]'
for s in "EXIT STATUS" ENVIRONMENT; do
  check "zpgen.1 has $s" 'grep -q "^\.SH $s" "$T/man.src"'
done

echo "cli: $pass passed, $fail failed"
[ $fail -eq 0 ]
