# dnslib.sh — real DNS servers for integration tests: Knot DNS (knotd) as the
# authoritative server, Unbound as the resolver, both on random free loopback
# ports, both stopped when the test exits, whatever happens. Source it after
# lib.sh. Nothing here talks to the internet: the servers listen on 127.0.0.1,
# Unbound sends only from 127.0.0.1, its only upstreams are the local Knot
# servers (stub zones, and "." forwarded to a local server), and no root hints
# or trust anchors are used.
#
#   dns_need_tools                   fails the test when a tool is missing (deps.sh installs them)
#   knot_start VAR DIR ZONE=FILE...  starts knotd serving the zones; VAR gets its port
#   unbound_start VAR DIR RPZ_ORIGIN RPZ_FILE ROOT_PORT ZONE=PORT...
#                                    starts unbound with one RPZ (RPZ_FILE "-": none),
#                                    a stub zone per ZONE=PORT, "." forwarded to
#                                    127.0.0.1@ROOT_PORT; VAR gets its port
#   dns_wait PORT NAME TYPE [PID]    waits (at most about 5 s) until the server answers NOERROR
#                                    over TCP (refused at once while not listening)
#   dns_stop_all                     stops every server started (also run on exit)

DNS_PIDS=()
DNS_LOGS=()

dns_stop_all() {
	local pid i
	for pid in "${DNS_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${DNS_PIDS[@]}"; do
		for ((i = 0; i < 30; i++)); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	DNS_PIDS=()
}
trap 'dns_stop_all; rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM

dns_need_tools() {
	local t
	for t in knotd kdig dig unbound python3; do
		if ! command -v "$t" >/dev/null 2>&1; then
			not_ok "$t is installed (scripts/deps.sh installs it)"
			done_testing
			exit 1
		fi
	done
}
export PATH=$PATH:/usr/sbin

# A loopback port free for both UDP and TCP right now.
dns_free_port() {
	python3 - <<'PY'
import socket
for _ in range(50):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    port = u.getsockname()[1]
    t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        t.bind(("127.0.0.1", port))
    except OSError:
        u.close(); t.close(); continue
    u.close(); t.close()
    print(port)
    break
PY
}

# dns_wait PORT NAME TYPE [PID]: true once the server answers NOERROR (a
# foreign server that took the port would not know our zone).
dns_wait() {
	local port=$1 name=$2 type=$3 pid=${4:-} i
	for ((i = 0; i < 50; i++)); do
		if [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null; then
			return 1
		fi
		if kdig @127.0.0.1 -p "$port" +tcp +time=1 +retry=0 "$name" "$type" 2>/dev/null | grep -q 'status: NOERROR'; then
			return 0
		fi
		sleep 0.1
	done
	return 1
}

# _dns_launch VAR LOG PROBE_NAME PROBE_TYPE WRITE_CONF_FN CMD...: picks a port,
# writes the config through WRITE_CONF_FN PORT, starts CMD, waits; three tries
# in case another process takes the port in between.
_dns_launch() {
	local var=$1 log=$2 pname=$3 ptype=$4 confn=$5 try port pid
	shift 5
	for ((try = 0; try < 3; try++)); do
		port=$(dns_free_port)
		[[ -n $port ]] || continue
		"$confn" "$port"
		"$@" >"$log" 2>&1 &
		pid=$!
		DNS_PIDS+=("$pid")
		DNS_LOGS+=("$log")
		if dns_wait "$port" "$pname" "$ptype" "$pid"; then
			printf -v "$var" '%s' "$port"
			return 0
		fi
		kill "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "# could not start: $*" >&2
	sed 's/^/#   /' "$log" >&2
	return 1
}

knot_start() {
	local var=$1 dir=$2
	shift 2
	mkdir -p "$dir/storage"
	_KNOT_DIR=$dir
	_KNOT_ZONES=("$@")
	local first=${1%%=*}
	_dns_launch "$var" "$dir/knotd.log" "$first" SOA _knot_conf \
		knotd -c "$dir/knot.conf" -s "$dir/knot.sock"
}

_knot_conf() {
	local port=$1 dir=$_KNOT_DIR z
	{
		echo "server:"
		echo "    rundir: \"$dir\""
		echo "    pidfile: \"$dir/knot.pid\""
		echo "    listen: 127.0.0.1@$port"
		echo "    udp-workers: 1"
		echo "    tcp-workers: 1"
		echo "    background-workers: 1"
		echo "log:"
		echo "  - target: stderr"
		echo "    any: info"
		echo "database:"
		echo "    storage: \"$dir/storage\""
		echo "template:"
		echo "  - id: default"
		echo "    storage: \"$dir/storage\""
		echo "    zonefile-sync: -1"
		echo "    zonefile-load: whole"
		echo "    journal-content: none"
		echo "    semantic-checks: on"
		echo "zone:"
		for z in "${_KNOT_ZONES[@]}"; do
			echo "  - domain: \"${z%%=*}\""
			echo "    file: \"${z#*=}\""
		done
	} >"$dir/knot.conf"
}

unbound_start() {
	local var=$1 dir=$2
	_UB_DIR=$dir
	_UB_RPZ_ORIGIN=$3
	_UB_RPZ_FILE=$4
	_UB_ROOT_PORT=$5
	shift 5
	_UB_STUBS=("$@")
	mkdir -p "$dir"
	_dns_launch "$var" "$dir/unbound.log" localhost. A _unbound_conf \
		unbound -d -c "$dir/unbound.conf"
}

_unbound_conf() {
	local port=$1 dir=$_UB_DIR s
	{
		echo "server:"
		echo "    interface: 127.0.0.1"
		echo "    port: $port"
		echo "    outgoing-interface: 127.0.0.1"
		echo "    do-ip6: no"
		echo "    do-daemonize: no"
		echo "    chroot: \"\""
		echo "    username: \"\""
		echo "    directory: \"$dir\""
		echo "    pidfile: \"$dir/unbound.pid\""
		echo "    logfile: \"\""
		echo "    use-syslog: no"
		echo "    log-time-ascii: yes"
		echo "    verbosity: 1"
		echo "    num-threads: 1"
		echo "    so-reuseport: no"
		echo "    outgoing-range: 32"
		echo "    access-control: 127.0.0.0/8 allow"
		echo "    do-not-query-localhost: no"
		echo "    module-config: \"respip iterator\""
		echo "    qname-minimisation: no"
		echo "    cache-max-ttl: 0"
		echo "    cache-max-negative-ttl: 0"
		if [[ $_UB_RPZ_FILE != - ]]; then
			echo "rpz:"
			echo "    name: \"$_UB_RPZ_ORIGIN\""
			echo "    zonefile: \"$_UB_RPZ_FILE\""
			echo "    rpz-log: yes"
			echo "    rpz-log-name: \"tldsec-test\""
		fi
		for s in "${_UB_STUBS[@]}"; do
			echo "stub-zone:"
			echo "    name: \"${s%%=*}\""
			echo "    stub-addr: 127.0.0.1@${s#*=}"
		done
		echo "forward-zone:"
		echo "    name: \".\""
		echo "    forward-addr: 127.0.0.1@$_UB_ROOT_PORT"
		echo "remote-control:"
		echo "    control-enable: no"
	} >"$dir/unbound.conf"
}
