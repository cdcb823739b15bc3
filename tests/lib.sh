# lib.sh — what the shell test scripts share, sourced from the repository's
# root (as the Makefile runs them): $ZPGEN (default bin/zpgen), a scratch
# directory $T removed at exit, and the counters with ok, bad and
# check NAME 'CONDITION'.  Each script ends with "NAME: P passed, F failed".
ZPGEN=${ZPGEN:-bin/zpgen}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$2"; then ok; else bad "$1"; fi; }
# sample_data NAME: the --data options of sample NAME (the Makefile's
# SAMPLE_BASE files, then data/NAME.json)
sample_data() {
  for b in $(sed -n 's/^SAMPLE_BASE := //p' Makefile | tr ' ' '\n' | grep "^$1:" | cut -d: -f2 | tr '+' ' '); do
    printf -- '--data data/%s.json ' "$b"
  done
  printf -- '--data data/%s.json' "$1"
}
