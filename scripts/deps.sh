#!/bin/sh
# Installs the Debian packages zpgen needs to build, render and test.
# As root it runs apt-get; otherwise it prints the exact line to run.
set -e
PKGS="build-essential pkg-config clang-format libhpdf-dev libxml2-dev libfreetype-dev
libcjson-dev libcmocka-dev libfontconfig-dev libunibreak-dev libharfbuzz-dev libdeflate-dev zlib1g-dev
poppler-utils time python3 clang libclang-rt-14-dev fonts-arphic-gbsn00lp fonts-arphic-gkai00mp
fonts-wqy-zenhei fonts-arphic-uming fonts-hanazono"
missing=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "zpgen needs these Debian packages; run:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  exit 1
fi
