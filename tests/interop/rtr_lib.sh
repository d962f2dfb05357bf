# rtr_lib.sh - shared by the RTR interop tests (sourced, not a test).
# Starts processes on ephemeral loopback ports and kills every one of
# them on exit.  Needs MANRS_BIN and MANRS_SOURCE_ROOT (set by meson).

set -eu
PIDS=""
TMP=$(mktemp -d "${TMPDIR:-/tmp}/manrs-rtr.XXXXXX")
# started as root, rtrd drops to "manrs" or nobody before reading its
# files: they must be readable by that user
chmod 755 "$TMP"
cleanup() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null || true
	done
	for p in $PIDS; do
		wait "$p" 2>/dev/null || true
	done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

need() {
	for t in "$@"; do
		if ! command -v "$t" >/dev/null 2>&1; then
			echo "SKIP: $t not installed"
			exit 77
		fi
	done
}

gen() {	# gen OUT ARGS... : a deterministic VRP file valid now
	out=$1
	shift
	python3 "$MANRS_SOURCE_ROOT/bench/vrp_gen" "$@" > "$out"
}

free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# start_manrs NAME ARGS... : sets MANRS_PORT; log in $TMP/NAME.log
start_manrs() {
	name=$1
	shift
	"$MANRS_BIN" rtrd --listen 127.0.0.1:0 "$@" \
	    > "$TMP/$name.out" 2> "$TMP/$name.log" &
	PIDS="$PIDS $!"
	i=0
	while ! grep -q "rtr listening on" "$TMP/$name.out" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			echo "FAIL: manrs rtrd did not start"; cat "$TMP/$name.log"
			exit 1
		fi
		sleep 0.1
	done
	MANRS_PORT=$(awk '/rtr listening on/ { n = split($4, a, ":"); print a[n] }' "$TMP/$name.out")
}

# start_stayrtr FILE ARGS... : sets STAY_PORT
start_stayrtr() {
	file=$1
	shift
	STAY_PORT=$(free_port)
	mport=$(free_port)
	stayrtr -bind "127.0.0.1:$STAY_PORT" -metrics.addr "127.0.0.1:$mport" \
	    -cache "$file" -checktime=false "$@" > "$TMP/stayrtr.log" 2>&1 &
	PIDS="$PIDS $!"
	i=0
	while ! grep -q "Server started" "$TMP/stayrtr.log" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt 600 ]; then
			echo "FAIL: stayrtr did not start"; cat "$TMP/stayrtr.log"
			exit 1
		fi
		sleep 0.1
	done
}

# expected FILE : the unique, unexpired VRPs of an rpki-client JSON file,
# one "PREFIX/LEN-MAXLEN ASN" line each, sorted (computed independently
# of manrs, with Python's ipaddress module).
expected() {
	python3 - "$1" <<'PY'
import ipaddress, json, sys, time
d = json.load(open(sys.argv[1]))
now = time.time()
out = set()
for r in d.get("roas", []):
    if r.get("expires", now + 1) <= now:
        continue
    n = ipaddress.ip_network(r["prefix"])
    asn = r["asn"]
    if isinstance(asn, str):
        asn = int(asn.upper().lstrip("AS"))
    out.add("%s-%d %d" % (n.compressed, r.get("maxLength", n.prefixlen), asn))
for l in sorted(out):
    print(l)
PY
}
