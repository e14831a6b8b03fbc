#!/usr/bin/env bash
# make lint: cppcheck and clang-tidy over src/. Exits non-zero on any finding.
set -euo pipefail
cd "$(dirname "$0")/.."
pkgs="sqlite3 jansson libidn2 libpsl libisal libxxhash libsodium inih libmicrohttpd zlib"
inc=$(pkg-config --cflags $pkgs)
mapfile -t files < <(find src -name '*.c' | sort)

echo "lint: cppcheck"
cppcheck --quiet --error-exitcode=1 --inline-suppr --std=c11 -D_GNU_SOURCE -Isrc \
	--enable=warning,performance,portability \
	--suppress=missingIncludeSystem "${files[@]}"

echo "lint: clang-tidy"
checks='-*,bugprone-*,cert-*,-bugprone-easily-swappable-parameters,-cert-err33-c,-bugprone-reserved-identifier,-cert-dcl37-c,-cert-dcl51-cpp,-bugprone-narrowing-conversions,-bugprone-assignment-in-if-condition,-cert-err34-c,-bugprone-implicit-widening-of-multiplication-result'
fail=0
for f in "${files[@]}"; do
	out=$(clang-tidy --quiet --checks="$checks" --warnings-as-errors='*' "$f" -- \
		-std=c11 -D_GNU_SOURCE -Isrc $inc 2>/dev/null) || { fail=1; echo "$out"; }
done
((fail == 0)) && echo "lint: clean"
exit $fail
