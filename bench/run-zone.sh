#!/usr/bin/env bash
# The zone-scanner benchmark: a generated zone of N delegations (default 1M,
# cached under bench/data/) with its threat feeds, parsed in the same run by
#   - Knot DNS's libzscanner (the anchor, bench/zscanner_parse.c);
#   - our scanner alone (bench/zone_parse.c "scan" mode: NS and DS decoded,
#     a thread-safe callback like the scan's), 1 and 2 threads, plain and gzip,
#     and without decoding (what `tldsec scan` asks for);
#   - `tldsec scan` with the generated feeds, plain and gzip (when the build
#     has the command), and `tldsec zone stats` (records in order).
# Prints seconds, MB/s (of zone text), peak RSS, the ratio to libzscanner and
# the CPU seconds (user + system: what the run cost, whatever the load),
# best of RUNS; checks the counts against the generator's (expected.json).
# Usage: bench/run-zone.sh [BUILD_DIR] [DELEGATIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
N=${2:-1000000}
RUNS=${3:-3}
DIR=bench/data/z$N
BIN=$BUILD/tldsec
ZS=$BUILD/bench/zscanner_parse
ZP=$BUILD/bench/zone_parse
[[ -x $BIN && -x $ZS && -x $ZP ]] || { echo "run-zone: build first (make $BIN $ZS $ZP)" >&2; exit 2; }
if [[ ! -s $DIR/zone.db || ! -s $DIR/openphish.txt ]]; then
	echo "run-zone: generating $N delegations in $DIR" >&2
	python3 bench/gen_zone.py "$N" "$DIR"
fi
[[ -s $DIR/zone.db.gz && $DIR/zone.db.gz -nt $DIR/zone.db ]] || gzip -c -6 "$DIR/zone.db" >"$DIR/zone.db.gz"
origin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["origin"])' "$DIR/expected.json")
bytes=$(stat -c %s "$DIR/zone.db")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best of RUNS: elapsed seconds, peak RSS (KB) and CPU seconds (user + system)
# of a command; its output (of the best run) in $tmp/out
best() {
	local b=999999 rss=0 cpu=0
	for ((i = 0; i < RUNS; i++)); do
		local t0=$EPOCHREALTIME
		/usr/bin/time -f '%e %M %U %S' -o "$tmp/t" "$@" >"$tmp/o" 2>"$tmp/err" || {
			echo "run-zone: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
		local t1=$EPOCHREALTIME
		read -r s k u y <"$tmp/t"
		# elapsed to the millisecond (time's %e has two decimals)
		s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
		if awk -v s="$s" -v b="$b" 'BEGIN { exit !(s < b) }'; then
			b=$s; rss=$k; cpu=$(awk -v u="$u" -v y="$y" 'BEGIN { printf "%.2f", u + y }')
			cp "$tmp/o" "$tmp/out"
		fi
	done
	echo "$b $rss $cpu"
}
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
printf 'zone: %s delegations, %s bytes (%s MB gzip), best of %s runs, %s cores, load %s\n' "$N" "$bytes" \
	"$(( $(stat -c %s "$DIR/zone.db.gz") / 1000000 ))" "$RUNS" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-46s %8s %8s %8s %8s %8s\n' "what" "seconds" "MB/s" "RSS MB" "ratio" "CPU s"
read -r zs_s zs_k zs_c < <(best "$ZS" "$DIR/zone.db" "$origin.")
row() {  # label seconds rss_kb cpu_seconds
	printf '%-46s %8s %8s %8s %8s %8s\n' "$1" "$2" "$(mbps "$2")" "$(($3 / 1024))" "$(ratio "$2" "$zs_s")" "$4"
}
row "libzscanner parse (no-op callback)" "$zs_s" "$zs_k" "$zs_c"
want_records=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["records"])' "$DIR/expected.json")
check_records() {  # the scanner's output line names the records it passed on
	grep -q " $want_records records" "$tmp/out" || {
		echo "run-zone: $1: not $want_records records: $(cat "$tmp/out")" >&2; exit 1; }
}
read -r s k c < <(best "$ZP" "$DIR/zone.db" "$origin." 1 scan); check_records "1 thread"
row "tldsec scanner alone, scan callback, 1 thread" "$s" "$k" "$c"
read -r s k c < <(best "$ZP" "$DIR/zone.db" "$origin." 2 scan); check_records "2 threads"
row "tldsec scanner alone, scan callback, 2 threads" "$s" "$k" "$c"
read -r s k c < <(best "$ZP" "$DIR/zone.db.gz" "$origin." 2 scan); check_records "gzip"
row "  the same, gzip" "$s" "$k" "$c"
read -r s k c < <(best "$ZP" "$DIR/zone.db" "$origin." 2 owners); check_records "owners"
row "  the same, no RDATA decoded (as tldsec scan)" "$s" "$k" "$c"
read -r s k c < <(best "$ZP" "$DIR/zone.db" "$origin." 2 count); check_records "in order"
row "tldsec scanner alone, in order (reader thread)" "$s" "$k" "$c"

if "$BIN" scan --help >/dev/null 2>&1; then
	feeds=(--feed "openphish:$DIR/openphish.txt" --feed "urlhaus:$DIR/urlhaus.csv" --feed "domains:$DIR/domains.txt:botnet")
	read -r s k c < <(best "$BIN" scan -q --zone "$DIR/zone.db" "${feeds[@]}" --out "$tmp/f.jsonl" --summary "$tmp/s.json")
	row "tldsec scan (3 feeds), plain" "$s" "$k" "$c"
	cp "$tmp/f.jsonl" "$tmp/plain.jsonl"
	read -r s k c < <(best "$BIN" scan -q --zone "$DIR/zone.db.gz" "${feeds[@]}" --out "$tmp/f.jsonl" --summary "$tmp/s.json")
	row "tldsec scan (3 feeds), gzip" "$s" "$k" "$c"
	cmp -s "$tmp/f.jsonl" "$tmp/plain.jsonl" || { echo "run-zone: gzip and plain findings differ" >&2; exit 1; }
	python3 - "$tmp/s.json" "$DIR/expected.json" "$tmp/f.jsonl" "$DIR/implicated.txt" <<'PY'
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("records", "delegations", "ds_delegations"):
    if got[k] != want[k]:
        sys.exit("run-zone: scan %s is %s, expected %s" % (k, got[k], want[k]))
doms = sorted({json.loads(l)["domain"] for l in open(sys.argv[3])})
if doms != sorted(l.strip() for l in open(sys.argv[4]) if l.strip()):
    sys.exit("run-zone: the implicated domains are not the generator's")
PY
fi

read -r s k c < <(best "$BIN" zone stats "$DIR/zone.db")
row "tldsec zone stats, plain" "$s" "$k" "$c"
python3 - "$tmp/out" "$DIR/expected.json" <<'PY'
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("records", "delegations", "ds_delegations", "single_ns_delegations",
          "in_bailiwick_delegations", "distinct_ns_hosts"):
    if got[k] != want[k]:
        sys.exit("run-zone: %s is %s, expected %s" % (k, got[k], want[k]))
PY
