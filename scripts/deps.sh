#!/usr/bin/env bash
# Installs the Debian packages tldsec needs to build, test and benchmark,
# when they are missing. Runs apt-get as root; otherwise prints the command.
set -euo pipefail

pkgs=(
  # build
  gcc clang make pkg-config libclang-rt-14-dev
  # libraries linked into tldsec
  libsqlite3-dev libjansson-dev libidn2-dev libpsl-dev publicsuffix libisal-dev
  zlib1g-dev libxxhash-dev libsodium-dev libinih-dev libmicrohttpd-dev libpq-dev
  # tests: unit framework, the libzscanner oracle, real DNS servers and clients
  libcmocka-dev libknot-dev knot knot-dnsutils unbound dnsutils libxml2-utils
  # lint, benchmarks
  python3 jq gzip sqlite3
  # the statistics HTML test renders the page in headless Chromium
  chromium
  cppcheck clang-tidy wrk python3-numpy
)

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
((${#missing[@]} == 0)) && exit 0

echo "deps: installing ${missing[*]}" >&2
if [[ $(id -u) -ne 0 ]]; then
  echo "deps: not root; run: apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null || apt-get update
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Packaged daemons must not keep running from their install scripts: the
# tests start their own copies on loopback ports.
for d in knotd unbound; do pkill -x "$d" 2>/dev/null || true; done
