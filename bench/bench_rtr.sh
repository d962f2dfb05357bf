#!/bin/sh
# bench_rtr.sh - manrs rtrd against stayrtr on the same files in the same
# run: load time, peak and steady RSS, full-sync time to rtrclient; then
# 1,000 concurrent routers doing a full reset against manrs rtrd (and
# stayrtr); then route origin validation of 1 M routes against rtrlib.
#
# Inputs: a deterministic set at today's scale from bench/vrp_gen (790 k
# IPv4 + 225 k IPv6 VRPs, 3.1 k ASPAs), and the real rpki-client prepdev
# file from the shared corpus with its "expires" moved past 2100 (it
# expired in 2023 and both servers drop expired entries).
#
# Environment: MANRS_BIN, MANRS_BUILD_ROOT, MANRS_SOURCE_ROOT,
# MANRS_SHARED_DATA (set by scripts/bench); SETS (default "gen prepdev
# rov": which parts run); ROUTERS (default 1000) for
# manrs, ROUTERS_PEER (default 100) for stayrtr, which is far slower.
set -eu
ROUTERS=${ROUTERS:-1000}
for t in stayrtr rtrclient python3; do
	command -v $t >/dev/null 2>&1 || { echo "skipped: $t missing"; exit 0; }
done
TMP=$(mktemp -d "${TMPDIR:-/tmp}/bench-rtr.XXXXXX")
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	for p in $PIDS; do wait "$p" 2>/dev/null || true; done
	rm -rf "$TMP"
}
trap cleanup EXIT INT TERM
LOAD="$MANRS_BUILD_ROOT/bench/rtr_load"
ROV="$MANRS_BUILD_ROOT/bench/rov_bench"

now_ms() { python3 -c 'import time; print(int(time.time() * 1000))'; }
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}
kb() { awk -v k="$2" '$1 == k":" { print $2 }' "/proc/$1/status"; }

# serve NAME FILE: start the server, time its load, sync rtrclient once,
# print one line of figures.  Leaves PORT and PID set.
serve() {
	name=$1
	file=$2
	t0=$(now_ms)
	if [ "$name" = manrs ]; then
		"$MANRS_BIN" rtrd --listen 127.0.0.1:0 --vrps "$file" \
		    --max-clients 5000 > "$TMP/$name.out" 2> "$TMP/$name.log" &
		PID=$!
		until grep -q "rtr listening" "$TMP/$name.out" 2>/dev/null; do
			kill -0 $PID 2>/dev/null || { cat "$TMP/$name.log"; return 1; }
			sleep 0.05
		done
		PORT=$(awk '/rtr listening/ { n = split($4, a, ":"); print a[n] }' "$TMP/$name.out")
	else
		PORT=$(free_port)
		stayrtr -bind "127.0.0.1:$PORT" -metrics.addr "127.0.0.1:$(free_port)" \
		    -cache "$file" -checktime=false -log.verbose=false \
		    > "$TMP/$name.log" 2>&1 &
		PID=$!
		until grep -q "Server started" "$TMP/$name.log" 2>/dev/null; do
			kill -0 $PID 2>/dev/null || { cat "$TMP/$name.log"; return 1; }
			sleep 0.05
		done
	fi
	PIDS="$PIDS $PID"
	# stayrtr logs "started" before it binds: wait until the port answers
	until python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1).close()' "$PORT" 2>/dev/null; do
		sleep 0.05
	done
	t1=$(now_ms)
	hwm_load=$(kb $PID VmHWM)
	timeout 600 rtrclient -e -t csv -o "$TMP/$name.csv" tcp 127.0.0.1 "$PORT" \
	    > /dev/null 2>&1
	t2=$(now_ms)
	n=$(grep -c , "$TMP/$name.csv" || true)
	sleep 2
	printf "%-7s load %6.2f s  peak RSS after load %7d KiB  full sync to rtrclient %6.2f s (%d VRPs)  steady RSS %7d KiB  peak %7d KiB\n" \
	    "$name" "$(echo "($t1 - $t0) / 1000" | bc -l)" "$hwm_load" \
	    "$(echo "($t2 - $t1) / 1000" | bc -l)" "$n" "$(kb $PID VmRSS)" \
	    "$(kb $PID VmHWM)"
	eval "${name}_hwm=$(kb $PID VmHWM)"
	eval "${name}_sync=$((t2 - t1))"
}

compare() {	# compare LABEL FILE
	echo "-- $1"
	serve manrs "$2"
	mpid=$PID
	mport=$PORT
	serve stayrtr "$2"
	spid=$PID
	sport=$PORT
	if cmp -s "$TMP/manrs.csv" "$TMP/stayrtr.csv" ||
	    [ "$(sort "$TMP/manrs.csv" | md5sum)" = "$(sort "$TMP/stayrtr.csv" | md5sum)" ]; then
		echo "rtrclient got the same set from both"
	else
		echo "WARNING: rtrclient sets differ"
	fi
	echo "peak RSS ratio manrs/stayrtr: $(echo "scale=3; $manrs_hwm / $stayrtr_hwm" | bc) (target <= 0.100); full sync time ratio: $(echo "scale=2; $manrs_sync / $stayrtr_sync" | bc) (target <= 1)"
}

SETS=${SETS:-gen prepdev rov}	# which parts to run
has() { case " $SETS " in *" $1 "*) return 0;; esac; return 1; }
if has gen || has rov; then
	echo "generating the VRP set (bench/vrp_gen --seed 1) ..."
	python3 "$MANRS_SOURCE_ROOT/bench/vrp_gen" --seed 1 > "$TMP/gen.json"
fi
if has gen; then
compare "generated: 790k IPv4 + 225k IPv6 VRPs, 3.1k ASPAs" "$TMP/gen.json"
fi

if has gen && [ -x "$LOAD" ]; then
	echo "-- $ROUTERS concurrent routers, full reset each (generated set)"
	printf "manrs:   "
	"$LOAD" 127.0.0.1 "$mport" -n "$ROUTERS" -t 900 || true
	echo "manrs rtrd peak RSS after the load test: $(kb $mpid VmHWM) KiB"
	# stayrtr needed 450 s for 100 such routers here: cap its share
	speer=$(( ROUTERS < ${ROUTERS_PEER:-100} ? ROUTERS : ${ROUTERS_PEER:-100} ))
	printf "stayrtr: "
	"$LOAD" 127.0.0.1 "$sport" -n "$speer" -t 900 || true
	echo "stayrtr peak RSS after the load test: $(kb $spid VmHWM) KiB"
fi
for p in $PIDS; do kill "$p" 2>/dev/null || true; done
for p in $PIDS; do wait "$p" 2>/dev/null || true; done
PIDS=""

if has prepdev && [ -f "$MANRS_SHARED_DATA/rpki/json.gz" ]; then
	gzip -dc "$MANRS_SHARED_DATA/rpki/json.gz" |
	    sed -E 's/"expires": [0-9]+/"expires": 4102444800/' > "$TMP/prepdev.json"
	compare "real rpki-client prepdev file (424k VRPs, 6.6k ASPAs)" "$TMP/prepdev.json"
	for p in $PIDS; do kill "$p" 2>/dev/null || true; done
	PIDS=""
fi

if has rov && [ -x "$ROV" ]; then
	echo "-- route origin validation, 1 M routes, generated set"
	/usr/bin/time -f "rov_bench peak RSS (both structures): %M KiB" \
	    "$ROV" "$TMP/gen.json" -q 1000000 -r 3
fi
