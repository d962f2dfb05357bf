#!/bin/sh
# bench_db.sh - compiled snapshots (issue 15, docs/db.md), each figure
# beside the dump-loading path in the same run:
#  1. manrs filter, one job on the real RIPE+ARIN data: loading the dumps
#     (--source) vs mapping a snapshot (--db); median of $DB_REPS runs,
#     process start included.
#  2. the same job from bgpq4 asking a resident "manrs irrd" (started
#     once, not timed), process start included, vs manrs filter --db.
#  3. irrd start (process start to the first answer) on a large IRR
#     (bench/irr_gen, 2.5 M routes by default): --source vs --db; and
#     the time to build the snapshot.
#  4. memory of two irrd processes mapping the same large snapshot
#     (RSS and PSS from /proc/PID/smaps_rollup, after a query each).
# Data: $MANRS_SHARED_DATA/irr and bench/irr_gen output in $IRR_GEN_DIR
# (default /tmp/manrs-irr-gen; generated when missing, as bench_irr.sh).
set -u
M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
SRC=${MANRS_SOURCE_ROOT:-.}
D=${MANRS_SHARED_DATA:-../shared/data}/irr
G=${IRR_GEN_DIR:-/tmp/manrs-irr-gen}
REPS=${DB_REPS:-5}
JOB=${DB_JOB:--4 AS-TEDATA}
T=$(mktemp -d)
chmod 755 "$T"
PIDS=
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$T"
}
trap cleanup EXIT INT TERM

now() { date +%s%N; }
# median of the numbers on stdin
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# time_ms CMD...: run it REPS times (output discarded), print the median
# wall time in ms, process start included (timed in Python, not with
# date(1) forks around it)
time_ms() {
	python3 - "$REPS" "$@" <<'PY'
import subprocess, sys, time
reps, cmd = int(sys.argv[1]), sys.argv[2:]
t = []
for _ in range(reps):
    t0 = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    t.append((time.perf_counter() - t0) * 1000)
t.sort()
print("%.1f" % t[(len(t) - 1) // 2])
PY
}

cat >"$T/wait.py" <<'PY'
# Poll 127.0.0.1:PORT (from the port file) until "!gAS1" is answered;
# print the seconds since argv[2] (ns).
import os, socket, sys, time
pf, t0 = sys.argv[1], int(sys.argv[2])
deadline = time.time() + 600
while time.time() < deadline:
    try:
        port = int(open(pf).read().split()[0])
        s = socket.create_connection(("127.0.0.1", port), timeout=60)
        s.sendall(b"!gAS1\n")
        s.shutdown(socket.SHUT_WR)
        if s.recv(1):
            print("%.3f" % ((time.time_ns() - t0) / 1e9))
            sys.exit(0)
    except (OSError, ValueError, IndexError):
        time.sleep(0.005)
sys.exit(1)
PY

echo "== 1. manrs filter $JOB, real data (median of $REPS)"
SOURCES="--source RIPE=$D/ripe.db.as-set.gz,$D/ripe-nonauth.db.aut-num.gz,$D/ripe-nonauth.db.route.gz --source ARIN=$D/arin-whois-originas.json.bz2"
# shellcheck disable=SC2086
t0=$(now); $M db build -o "$T/real.mdb" $SOURCES 2>/dev/null || exit 1; t1=$(now)
echo "db build: $(((t1 - t0) / 1000000)) ms, $(($(stat -c %s "$T/real.mdb") / 1048576)) MiB"
# shellcheck disable=SC2086
dump=$(time_ms $M filter $SOURCES $JOB)
# shellcheck disable=SC2086
snap=$(time_ms $M filter --db "$T/real.mdb" $JOB)
echo "filter --source: $dump ms"
echo "filter --db:     $snap ms"
echo "speedup: $(echo "$dump $snap" | awk '{printf "%.1fx", $1 / $2}')"

echo "== 2. bgpq4 -h (resident manrs irrd) vs manrs filter --db"
if command -v bgpq4 >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	$M irrd --listen 127.0.0.1:0 --port-file "$T/port" $SOURCES \
	    2>"$T/irrd.log" &
	PIDS="$PIDS $!"
	IRRD=$!
	python3 "$T/wait.py" "$T/port" "$(now)" >/dev/null || exit 1
	P=$(head -1 "$T/port")
	# shellcheck disable=SC2086
	bg=$(time_ms bgpq4 -h 127.0.0.1:$P $JOB)
	# shellcheck disable=SC2086
	bgpq4 -h 127.0.0.1:$P $JOB >"$T/bgpq4.out" 2>/dev/null
	# shellcheck disable=SC2086
	$M filter --db "$T/real.mdb" $JOB >"$T/db.out" 2>/dev/null
	echo "bgpq4 -h irrd:   $bg ms ($(wc -l <"$T/bgpq4.out") lines)"
	echo "filter --db:     $snap ms ($(wc -l <"$T/db.out") lines; bogons removed by default)"
	echo "ratio: $(echo "$bg $snap" | awk '{printf "%.2fx", $1 / $2}') (wall, > 1: filter --db faster)"
	# CPU per job: bgpq4 and the server's share vs filter --db alone
	cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
	hz=$(getconf CLK_TCK)
	c0=$(cpu "$IRRD")
	# shellcheck disable=SC2086
	bc=$( { /usr/bin/time -f "%U %S" sh -c "i=0; while [ \$i -lt 20 ]; do bgpq4 -h 127.0.0.1:$P $JOB >/dev/null; i=\$((i+1)); done" ; } 2>&1 | tail -1 | awk '{print ($1 + $2) * 1000 / 20}')
	c1=$(cpu "$IRRD")
	# shellcheck disable=SC2086
	fc=$( { /usr/bin/time -f "%U %S" sh -c "i=0; while [ \$i -lt 20 ]; do $M filter --db $T/real.mdb $JOB >/dev/null 2>&1; i=\$((i+1)); done" ; } 2>&1 | tail -1 | awk '{print ($1 + $2) * 1000 / 20}')
	echo "CPU per job (20 runs): bgpq4 $bc ms + irrd $(( (c1 - c0) * 1000 / hz / 20 )) ms; filter --db $fc ms"
else
	echo "skipped: bgpq4 not installed"
fi

echo "== 3. irrd start, large IRR ($G)"
if [ ! -s "$G/gen-route.db.gz" ]; then
	echo "generating into $G ..."
	python3 "$SRC/bench/irr_gen" "$G" --routes "${IRR_ROUTES:-2500000}" \
	    --autnums "${IRR_AUTNUMS:-80000}" --sets "${IRR_SETS:-60000}" ||
	    exit 1
	for f in "$G"/gen-*.db; do gzip -6 -f "$f" || exit 1; done
fi
GS="--source GEN=$G/gen-as-set.db.gz,$G/gen-aut-num.db.gz,$G/gen-route.db.gz"
# shellcheck disable=SC2086
t0=$(now); $M db build -o "$T/big.mdb" $GS 2>/dev/null || exit 1; t1=$(now)
echo "db build: $(((t1 - t0) / 1000000)) ms, $(($(stat -c %s "$T/big.mdb") / 1048576)) MiB, $($M db check "$T/big.mdb" | grep '^irr:')"
# start NAME ARGS...: sets pid; seconds to the first answer in $T/up.NAME
start() {
	name=$1; shift
	rm -f "$T/port.$name"
	t0=$(now)
	$M irrd --listen 127.0.0.1:0 --port-file "$T/port.$name" "$@" \
	    >/dev/null 2>"$T/$name.log" &
	pid=$!
	PIDS="$PIDS $pid"
	python3 "$T/wait.py" "$T/port.$name" "$t0" >"$T/up.$name" ||
	    { echo "irrd $name did not answer"; cat "$T/$name.log"; exit 1; }
}
stop() { kill "$pid"; wait "$pid" 2>/dev/null; }
# shellcheck disable=SC2086
start src $GS; stop
s_src=$(cat "$T/up.src")
for i in 1 2 3; do start db$i --db "$T/big.mdb"; stop; done
s_db=$(cat "$T"/up.db? | median)
echo "irrd --source start: $s_src s"
echo "irrd --db start:     $s_db s (median of 3)"

echo "== 4. two irrd --db processes on the same snapshot"
rollup() {	# PID: RSS and PSS in MiB
	awk '/^Rss:/ {r=$2} /^Pss:/ {p=$2} END {printf "RSS %.0f MiB PSS %.0f MiB", r/1024, p/1024}' "/proc/$1/smaps_rollup"
}
start a --db "$T/big.mdb"; pa=$pid
start b --db "$T/big.mdb"; pb=$pid
for n in a b; do
	P=$(head -1 "$T/port.$n")
	printf '!iAS-GEN1,1\n!gAS65001\n' | python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.stdin.buffer.read()); s.shutdown(socket.SHUT_WR)
while s.recv(65536): pass' "$P"
done
echo "irrd a: $(rollup $pa)"
echo "irrd b: $(rollup $pb)"
start c $GS; pc=$pid
echo "irrd --source (one): $(rollup $pc)"
