#!/usr/bin/env bash
# The zone-scanner benchmark: a generated zone of N delegations (default 1M,
# cached under bench/data/), parsed by Knot DNS's libzscanner (the anchor,
# bench/zscanner_parse.c) and by `tldsec zone stats` (parse + statistics),
# plain and gzip. Prints MB/s (of zone text), peak RSS and the ratio to
# libzscanner. Usage: bench/run-zone.sh [BUILD_DIR] [DELEGATIONS] [RUNS]
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
if [[ ! -s $DIR/zone.db ]]; then
	echo "run-zone: generating $N delegations in $DIR" >&2
	python3 bench/gen_zone.py "$N" "$DIR"
fi
[[ -s $DIR/zone.db.gz && $DIR/zone.db.gz -nt $DIR/zone.db ]] || gzip -c -6 "$DIR/zone.db" >"$DIR/zone.db.gz"
origin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["origin"])' "$DIR/expected.json")
bytes=$(stat -c %s "$DIR/zone.db")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# best of RUNS: elapsed seconds and peak RSS (KB) of a command
best() {
	local b=999999 rss=0
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || {
			echo "run-zone: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
		read -r s k <"$tmp/t"
		if awk -v s="$s" -v b="$b" 'BEGIN { exit !(s < b) }'; then b=$s; rss=$k; fi
	done
	echo "$b $rss"
}

read -r zs_s zs_k < <(best "$ZS" "$DIR/zone.db" "$origin.")
read -r sp_s sp_k < <(best "$ZP" "$DIR/zone.db" "$origin." 2)
read -r sg_s sg_k < <(best "$ZP" "$DIR/zone.db.gz" "$origin." 2)
read -r pl_s pl_k < <(best "$BIN" zone stats "$DIR/zone.db")
cp "$tmp/out" "$tmp/plain.json"
read -r gz_s gz_k < <(best "$BIN" zone stats "$DIR/zone.db.gz")
cmp -s "$tmp/out" "$tmp/plain.json" || { echo "run-zone: gzip and plain statistics differ" >&2; exit 1; }
read -r t1_s t1_k < <(best "$BIN" zone stats --threads 1 "$DIR/zone.db")
# the statistics must be the generator's exact counts
python3 - "$tmp/plain.json" "$DIR/expected.json" <<'PY'
import json, sys
got, want = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
for k in ("records", "delegations", "ds_delegations", "single_ns_delegations",
          "in_bailiwick_delegations", "distinct_ns_hosts"):
    if got[k] != want[k]:
        sys.exit("run-zone: %s is %s, expected %s" % (k, got[k], want[k]))
PY
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
printf 'zone: %s delegations, %s bytes (%s MB gzip), best of %s runs, %s cores\n' "$N" "$bytes" \
	"$(( $(stat -c %s "$DIR/zone.db.gz") / 1000000 ))" "$RUNS" "$(nproc)"
printf '%-40s %8s %10s %8s %8s\n' "what" "seconds" "MB/s" "RSS MB" "ratio"
printf '%-40s %8s %10s %8s %8s\n' "libzscanner parse (no-op callback)" "$zs_s" "$(mbps "$zs_s")" "$((zs_k / 1024))" "1.00"
printf '%-40s %8s %10s %8s %8s\n' "tldsec scanner alone (NS, DS), plain" "$sp_s" "$(mbps "$sp_s")" "$((sp_k / 1024))" "$(ratio "$sp_s" "$zs_s")"
printf '%-40s %8s %10s %8s %8s\n' "tldsec scanner alone (NS, DS), gzip" "$sg_s" "$(mbps "$sg_s")" "$((sg_k / 1024))" "$(ratio "$sg_s" "$zs_s")"
printf '%-40s %8s %10s %8s %8s\n' "tldsec zone stats, plain" "$pl_s" "$(mbps "$pl_s")" "$((pl_k / 1024))" "$(ratio "$pl_s" "$zs_s")"
printf '%-40s %8s %10s %8s %8s\n' "tldsec zone stats, gzip" "$gz_s" "$(mbps "$gz_s")" "$((gz_k / 1024))" "$(ratio "$gz_s" "$zs_s")"
printf '%-40s %8s %10s %8s %8s\n' "tldsec zone stats, plain, --threads 1" "$t1_s" "$(mbps "$t1_s")" "$((t1_k / 1024))" "$(ratio "$t1_s" "$zs_s")"
