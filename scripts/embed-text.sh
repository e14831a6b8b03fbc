#!/usr/bin/env bash
# embed-text.sh SYMBOL IN OUT: writes a C source defining
#   const char SYMBOL[]; const unsigned long SYMBOL_len;
# holding the text file IN, so data kept as a file in the repository is built
# into the binary (the binary never reads the repository at run time).
set -euo pipefail
sym=$1 in=$2 out=$3
mkdir -p "$(dirname "$out")"
tmp=$out.tmp.$$
{
	echo "/* Generated from $in by scripts/embed-text.sh; do not edit. */"
	echo "extern const char ${sym}[];"
	echo "extern const unsigned long ${sym}_len;"
	echo "const char ${sym}[] ="
	LC_ALL=C sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/\t/\\t/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$in"
	echo "\t\"\";" | sed 's/\\t/\t/'
	echo "const unsigned long ${sym}_len = sizeof(${sym}) - 1;"
} >"$tmp"
mv "$tmp" "$out"
