#!/usr/bin/env bash
# The command-line frame: help, version, usage errors, exit codes, and the
# man page listing every command that --help lists.
source "$(dirname "$0")/lib.sh"

run "$BIN" --help
expect_rc "--help exits 0" 0
expect_grep "--help lists commands" "$WORK/out" '^Commands:'

run "$BIN" --version
expect_rc "--version exits 0" 0
expect_grep "--version prints the version" "$WORK/out" '^tldsec [0-9]+\.[0-9]+\.[0-9]+$'

run "$BIN"
expect_rc "no command is a usage error" 2

run "$BIN" frobnicate
expect_rc "unknown command exits 2" 2
expect_grep "unknown command is named" "$WORK/err" "unknown command 'frobnicate'"

run "$BIN" version extra
expect_rc "extra argument exits 2" 2

run "$BIN" --db
expect_rc "global option without value exits 2" 2

# Every command in --help has a --help of its own and a section in the man page.
"$BIN" --help | sed -n '/^Commands:/,/^$/p' | awk 'NF>1 {print $1}' >"$WORK/cmds"
while read -r c; do
	run "$BIN" "$c" --help
	expect_rc "'$c --help' exits 0" 0
	expect_grep "'$c --help' prints a usage line" "$WORK/out" '^Usage: tldsec '
	expect_grep "man page documents '$c'" "$ROOT/docs/tldsec.1" "^\\.SS \"?$c"
done <"$WORK/cmds"

done_testing
