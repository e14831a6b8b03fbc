#!/usr/bin/env bash
# The patched-zone benchmark: on a generated zone of N delegations (default
# 1M, cached under bench/data/), the scanner alone (bench/zone_parse, NS and
# DS decoded) against the writer (bench/export_zone: 1000 suspensions and
# 1000 redirects spread over the zone, output to a file on the same disk),
# and `tldsec export zone` end to end on an empty desk (replacing its last
# output, to a new file, and --one-line), beside `tldsec scan` and a plain
# copy of the zone (cp, sync, mv). Prints seconds, MB/s of zone text read,
# peak RSS and the time over tldsec scan's and over the in-order scanner's.
# Usage: bench/run-export.sh [BUILD_DIR] [DELEGATIONS] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${1:-build/release}
N=${2:-1000000}
RUNS=${3:-3}
DIR=bench/data/z$N
BIN=$BUILD/tldsec
ZP=$BUILD/bench/zone_parse
XZ=$BUILD/bench/export_zone
[[ -x $BIN && -x $ZP && -x $XZ ]] || { echo "run-export: build first (make $BIN $ZP $XZ)" >&2; exit 2; }
if [[ ! -s $DIR/zone.db ]]; then
	echo "run-export: generating $N delegations in $DIR" >&2
	python3 bench/gen_zone.py "$N" "$DIR"
fi
origin=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["origin"])' "$DIR/expected.json")
bytes=$(stat -c %s "$DIR/zone.db")
tmp=$(mktemp -d bench/data/export.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

best() {
	local b=999999 rss=0
	for ((i = 0; i < RUNS; i++)); do
		/usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >"$tmp/out" 2>"$tmp/err" || {
			echo "run-export: failed: $*" >&2; cat "$tmp/err" >&2; exit 1; }
		read -r s k <"$tmp/t"
		if awk -v s="$s" -v b="$b" 'BEGIN { exit !(s < b) }'; then b=$s; rss=$k; fi
	done
	echo "$b $rss"
}

"$BIN" --db "$tmp/desk.db" init >/dev/null
read -r zp_s zp_k < <(best "$ZP" "$DIR/zone.db" "$origin." 2)
# the writer's own time (bench/export_zone first lists the delegations to act on, untimed)
xz_s=999999
for ((i = 0; i < RUNS; i++)); do
	/usr/bin/time -f '%M' -o "$tmp/t" "$XZ" "$DIR/zone.db" "$origin." "$tmp/patched.zone" 1000 1000 >"$tmp/out"
	grep -q 'suspended 1000, redirected 1000' "$tmp/out" || { echo "run-export: the writer did not apply the actions" >&2; cat "$tmp/out" >&2; exit 1; }
	s=$(awk '{ for (i = 1; i < NF; i++) if ($(i + 1) == "s") print $i }' "$tmp/out")
	if awk -v s="$s" -v b="$xz_s" 'BEGIN { exit !(s < b) }'; then xz_s=$s; xz_k=$(cat "$tmp/t"); fi
done
# once more, checked: the copied form holds the same records as the one-line form
"$XZ" "$DIR/zone.db" "$origin." "$tmp/patched.zone" 1000 1000 check >"$tmp/out" ||
	{ echo "run-export: the two forms of the patched zone differ" >&2; cat "$tmp/out" >&2; exit 1; }
rm -f "$tmp/patched.zone.line"
read -r cl_s cl_k < <(best "$BIN" -q --db "$tmp/desk.db" export zone --zone "$DIR/zone.db" --out "$tmp/same.zone")
# to a new file each time (nothing replaced: the file system frees no old file)
read -r fr_s fr_k < <(best bash -c 'rm -f "$4" && exec "$1" -q --db "$2" export zone --zone "$3" --out "$4"' - \
	"$BIN" "$tmp/desk.db" "$DIR/zone.db" "$tmp/fresh.zone")
read -r ol_s ol_k < <(best "$BIN" -q --db "$tmp/desk.db" export zone --one-line --zone "$DIR/zone.db" --out "$tmp/line.zone")
# the scanner as the product runs it, and the file system's floor: the zone copied, synced, renamed over the last copy
feeds=(--feed "openphish:$DIR/openphish.txt" --feed "urlhaus:$DIR/urlhaus.csv" --feed "domains:$DIR/domains.txt:botnet")
read -r sc_s sc_k < <(best "$BIN" scan -q --zone "$DIR/zone.db" "${feeds[@]}" --out "$tmp/f.jsonl" --summary "$tmp/s.json")
read -r cp_s cp_k < <(best bash -c 'cp --reflink=never "$1" "$2.tmp" && sync "$2.tmp" && mv "$2.tmp" "$2"' - \
	"$DIR/zone.db" "$tmp/copy.zone")
mbps() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b / a }'; }
printf 'zone: %s delegations, %s bytes, best of %s runs, %s cores, load %s\n' "$N" "$bytes" "$RUNS" "$(nproc)" \
	"$(cut -d' ' -f1 /proc/loadavg)"
printf '%-58s %8s %8s %8s %8s %8s\n' "what" "seconds" "MB/s" "RSS MB" "x scan" "x order"
row() { printf '%-58s %8s %8s %8s %8s %8s\n' "$1" "$2" "$(mbps "$2")" "$(( $3 / 1024 ))" "$(ratio "$sc_s" "$2")" "$(ratio "$zp_s" "$2")"; }
row "tldsec scan (3 feeds; the scanner as the product runs it)" "$sc_s" "$sc_k"
row "scanner alone, in order (NS, DS; bench/zone_parse)" "$zp_s" "$zp_k"
row "export zone writer, 1000 suspend + 1000 redirect" "$xz_s" "$xz_k"
row "tldsec export zone, empty desk, replacing the last output" "$cl_s" "$cl_k"
row "  the same, to a new file" "$fr_s" "$fr_k"
row "  the same, --one-line (every record formatted)" "$ol_s" "$ol_k"
row "cp + sync + mv of the zone (the file system's share)" "$cp_s" "$cp_k"
