# servelib.sh — starting the real daemon on a random loopback port and
# talking to it with curl. Source after lib.sh.

# serve_start DB [CONF] [EXTRA...]: starts `tldsec serve` on 127.0.0.1:0;
# sets SPID, URL; stderr goes to $WORK/serve.err (appended).
serve_start() {
	local db=$1 conf=${2:-} ; shift 2 || shift $#
	local args=(--db "$db")
	[[ -n $conf ]] && args+=(--config "$conf")
	: >>"$WORK/serve.err"
	local mark
	mark=$(wc -l <"$WORK/serve.err")
	"$BIN" "${args[@]}" serve --listen 127.0.0.1:0 "$@" 2>>"$WORK/serve.err" &
	SPID=$!
	URL=
	for _ in $(seq 400); do
		URL=$(tail -n +$((mark + 1)) "$WORK/serve.err" | grep -o 'msg=ready url=[^ ]*' | head -1 | cut -d= -f3)
		[[ -n $URL ]] && return 0
		kill -0 "$SPID" 2>/dev/null || return 1
		sleep 0.05
	done
	return 1
}

# serve_stop: SIGTERM and wait; sets SRC to the exit status.
serve_stop() {
	kill -TERM "$SPID" 2>/dev/null
	wait "$SPID"
	SRC=$?
}

# req METHOD PATH TOKEN [BODY] [CURL ARGS...]: body in $WORK/out, headers in
# $WORK/hdr, status in $CODE. TOKEN "-" sends no Authorization.
req() {
	local method=$1 path=$2 tok=$3 body=${4-}
	shift 3; shift || true
	local a=(-s -S -o "$WORK/out" -D "$WORK/hdr" -w '%{http_code}' -X "$method" --max-time 20)
	[[ $tok != - ]] && a+=(-H "Authorization: Bearer $tok")
	[[ -n $body ]] && a+=(--data-binary "$body" -H 'Content-Type: application/json')
	CODE=$(curl "${a[@]}" "$@" "$URL$path" 2>"$WORK/curl.err")
}

# expect_code NAME WANT: the last req answered WANT.
expect_code() {
	if [[ $CODE == "$2" ]]; then ok "$1"; else not_ok "$1" "status $CODE, wanted $2" "$(head -c 400 "$WORK/out")"; fi
}

# json_get FILE EXPR: a value from a JSON answer (python's json).
json_get() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
v = eval(sys.argv[2], {"d": d})
print(" ".join(map(str, v)) if isinstance(v, tuple) else v)' "$1" "$2" 2>/dev/null
}

# expect_no_sanitizer NAME: the daemon's stderr holds no sanitizer report.
expect_no_sanitizer() {
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|WARNING: ThreadSanitizer' "$WORK/serve.err"; then
		not_ok "$1" "$(grep -A30 -E 'Sanitizer|runtime error' "$WORK/serve.err" | head -40)"
	else
		ok "$1"
	fi
}
