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
# a sample's data: its SAMPLE_BASE files, then its own ("+" between them)
BASES=$(sed -n 's/^SAMPLE_BASE := //p' Makefile)
for s in $SAMPLES; do
  n=${s%%:*} data=""
  for b in $(echo "$BASES" | tr ' ' '\n' | grep "^$n:" | cut -d: -f2 | tr '+' ' '); do
    data="${data}data/$b.json+"
  done
  CASES="$CASES $n:templates/${s#*:}.xml:${data}data/$n.json"
done
for f in tests/layout/*.json; do
  [ -e "$f" ] || continue
  n=$(basename "$f" .json)
  CASES="$CASES layout-$n:tests/layout/$n.xml:$f"
done
for c in $CASES; do
  name=${c%%:*} rest=${c#*:}
  tpl=${rest%%:*} data=${rest#*:}
  dopts=$(echo "$data" | tr '+' '\n' | sed 's/^/--data /' | tr '\n' ' ')
  # shellcheck disable=SC2086 # one word per option
  if ! $ZPGEN render --template "$tpl" $dopts --output "$T/$name.pdf" \
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
# The grid of GB/T 9704 on the first sample: a full body line of hanzi holds
# 28 characters (29 where a closing mark is pushed in) -- 27 only when the
# next line begins with a unit longer than one em that was pushed out (a
# number, a character with the closing mark after it, or an opening mark
# with what it opens) -- a full page 22 lines, and no page more.
d=tests/golden/liwan-agri-2023.dump
if LC_ALL=C awk '
  function check_short(next_text) {
    # the unit that was pushed out: digits, or a character and a mark
    if (next_text ~ /^[0-9]/) return
    if (substr(next_text, 4, 3) ~ /^(\342\200\235|\343\200\213|\357\274\214|\343\200\201|\343\200\202|\357\274\211)/) return
    # or an opening mark, which may not end a line, with what it opens
    if (substr(next_text, 1, 3) ~ /^(\342\200\234|\343\200\212|\357\274\210)/) return
    bad++; print "short line: " short
  }
  /^page / { if (n > max) max = n; n = 0 }
  /^  line / && / grid/ {
    n++
    t = $0; sub(/.* text=/, "", t)
    if (short != "") { check_short(t); short = "" }
  }
  /style=body/ && / just/ && /x=79.37 / {
    if (t !~ /[ -~]/) {
      full++
      if (length(t) == 81) short = t
      else if (length(t) < 84) { bad++; print "short of 28: " t }
    }
  }
  END { if (n > max) max = n
        printf "grid: %d full lines of hanzi, %d off the grid; at most %d lines a page\n", full, bad, max
        exit !(full > 0 && bad == 0 && max == 22) }' "$d"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: the first sample is off the 28 x 22 grid"
fi

# Tables of contents: each entry's number (after its last line's leader, its
# link "to=" the heading's text) is the page where that heading's first
# line is, in every layout fixture with a contents and in the 核查报告.
for d in tests/golden/layout-contents*.dump tests/golden/layout-furniture.dump \
    tests/golden/layout-cn-contents.dump tests/golden/lihu-2023-review.dump; do
  [ -e "$d" ] || continue
  if awk '
    /^page / { page = $2 }
    /^  part / { page = $0; sub(/.* number=/, "", page) } # its printed number
    # headings, and the attachments (their label line) of a contents with
    # attachments="yes" (all of these fixtures list them)
    /^  line / && / first/ && (/style=h1 / || /style=h2 / || /style=attachment-label /) {
      t = $0; sub(/.* text=/, "", t); nh++; htext[nh] = t; hpage[nh] = page
    }
    /^  line / && /style=toc / {
      t = $0; sub(/.* text=/, "", t); last = ""
      # the number after the leader: 12, xiv, 十二
      if (match(t, /\.[^.]+$/)) last = substr(t, RSTART + 1)
      next
    }
    /^  link / && / to=/ && last != "" {
      to = $0; sub(/.* to=/, "", to); n++; eto[n] = to; enum[n] = last
      last = ""
    }
    END { for (k = 1; k <= n; k++)
            if (index(htext[k], eto[k]) != 1) { bad++; print "entry " k " leads to " eto[k] ", heading " k " is " htext[k] }
            else if (hpage[k] != enum[k]) { bad++; print eto[k] ": contents says " enum[k] ", heading on " hpage[k] }
          printf "contents: %d entries checked in %s, %d wrong\n", n, FILENAME, bad
          exit !(n > 0 && n == nh && bad == 0) }' "$d"; then
    pass=$((pass + 1))
  else
    fail=$((fail + 1)); echo "FAIL: $d: a contents number is not its heading's page"
  fi
done

# The checker itself must catch each kind of fault in a crafted dump:
# a line ending with an opening bracket, one starting with a comma, a number
# split from its fraction, a sign split from its number, an unjustified
# line, a line off the grid, a heading ending a page; a break inside an
# ASCII run, a weak break at no operator, a weak break on the grid, a mark's
# ink against its neighbour's; "16万元" is fine.
build/tools/layoutcheck tests/layout/checker-bad.dump >"$T/bad.txt"
n=$(sed -n 's/^layoutcheck: \([0-9]*\) findings.*/\1/p' "$T/bad.txt")
if [ "$n" = 11 ]; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: layoutcheck found $n faults in checker-bad.dump, expected 11"
  cat "$T/bad.txt"
fi
# A footnote whose note begins on the page after its marker's.
build/tools/layoutcheck tests/layout/checker-notes-bad.dump >"$T/bad.txt"
if grep -q 'checker-notes-bad.dump:3: footnote 2 does not begin on the page of its marker' "$T/bad.txt" &&
    grep -q '^layoutcheck: 1 findings' "$T/bad.txt"; then
  pass=$((pass + 1))
else
  fail=$((fail + 1)); echo "FAIL: layoutcheck on checker-notes-bad.dump"
  cat "$T/bad.txt"
fi
echo "golden: $pass passed, $fail failed"
[ $fail -eq 0 ]
