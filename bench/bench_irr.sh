#!/bin/sh
# bench_irr.sh - manrs irrd: load time vs the decompression floor
# ("zcat FILES > /dev/null" on the same files), RSS per object, and
# "!g" / "!a4" latency (p50/p99) and throughput under 100 concurrent
# pipelining clients, next to a loopback echo round trip measured in the
# same run by the same load generator (bench/irr_load).
#
# Data: bench/irr_gen (deterministic), by default at today's scale
# (2.5 M route/route6, 80 k aut-num, 60 k as-set), generated once into
# $IRR_GEN_DIR (default /tmp/manrs-irr-gen) and gzip'ed.  Smaller runs:
# IRR_ROUTES=200000 IRR_AUTNUMS=10000 IRR_SETS=6000 IRR_GEN_DIR=/tmp/x.
set -u
M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
BR=${MANRS_BUILD_ROOT:-build}
SRC=${MANRS_SOURCE_ROOT:-.}
G=${IRR_GEN_DIR:-/tmp/manrs-irr-gen}
SECS=${IRR_SECONDS:-5}
LOAD="$BR/bench/irr_load"
[ -x "$LOAD" ] || { echo "skipped: $LOAD not built"; exit 0; }

if [ ! -s "$G/gen-route.db.gz" ]; then
	echo "generating into $G ..."
	python3 "$SRC/bench/irr_gen" "$G" --routes "${IRR_ROUTES:-2500000}" \
	    --autnums "${IRR_AUTNUMS:-80000}" --sets "${IRR_SETS:-60000}" ||
	    exit 1
	for f in "$G"/gen-*.db; do gzip -6 -f "$f" || exit 1; done
fi
FILES="$G/gen-as-set.db.gz,$G/gen-aut-num.db.gz,$G/gen-route.db.gz"
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT INT TERM

# 1. Load vs the decompression floor.
# Wall time and CPU time (user + sys): on a shared machine the CPU
# ratio is the stable one.
/usr/bin/time -f "%e %M %U %S" -o "$T/zcat" sh -c \
    "zcat $G/gen-*.db.gz >/dev/null"
/usr/bin/time -f "%e %M %U %S" -o "$T/load" "$M" irrd --check \
    --source "GEN=$FILES" 2>"$T/load.log"
zs=$(cut -d' ' -f1 "$T/zcat"); ls_=$(cut -d' ' -f1 "$T/load")
zc=$(awk '{print $3 + $4}' "$T/zcat"); lc=$(awk '{print $3 + $4}' "$T/load")
rss=$(cut -d' ' -f2 "$T/load")
objs=$(sed -n 's/.*loaded \([0-9]*\) objects.*/\1/p' "$T/load.log")
echo "load: manrs $ls_ s wall / $lc s CPU, zcat floor $zs s wall / $zc s" \
    "CPU; ratio $(echo "$ls_ $zs" | awk '{printf "%.2f", $1 / $2}')x wall," \
    "$(echo "$lc $zc" | awk '{printf "%.2f", $1 / $2}')x CPU"
echo "load: peak RSS $rss KiB for $objs objects =" \
    "$(echo "$rss $objs" | awk '{printf "%.0f", $1 * 1024 / $2}')" \
    "bytes/object"
grep "loaded" "$T/load.log" | sed 's/^.*manrs irrd: /  /'

# 2. Queries: 100 clients x 8 in flight.
"$M" irrd --listen 127.0.0.1:0 --port-file "$T/port" \
    --source "GEN=$FILES" 2>"$T/server.log" &
SRV=$!
while [ ! -s "$T/port" ]; do
	kill -0 $SRV 2>/dev/null || { cat "$T/server.log"; exit 1; }
	sleep 0.2
done
PORT=$(head -1 "$T/port")
# Queries: !g for 2000 origins, !a4 for 2000 ordinary sets (not tier-1).
zcat "$G/gen-aut-num.db.gz" | awk '/^aut-num:/ && NR % 37 == 1 {
    print "!g" $2 }' | head -2000 >"$T/qg"
zcat "$G/gen-as-set.db.gz" | awk '/^as-set:/ { n++; if (n > 20 &&
    n % 23 == 0) print "!a4" $2 }' | head -2000 >"$T/qa"
cpu() { awk '{print $14 + $15}' /proc/$SRV/stat; }
tck=$(getconf CLK_TCK)
"$LOAD" --echo --clients 100 --depth 8 --seconds "$SECS" "$T/qg"
for q in qg qa; do
	c0=$(cpu)
	"$LOAD" --port "$PORT" --clients 100 --depth 8 --seconds "$SECS" \
	    "$T/$q" >"$T/out" || { cat "$T/server.log"; exit 1; }
	c1=$(cpu)
	n=$(sed -n 's/.*: \([0-9]*\) answers.*/\1/p' "$T/out")
	echo "$(cat "$T/out") [$(head -1 "$T/$q" | cut -c1-3 | sed "s/!gA/!g/") queries];" \
	    "server CPU $(echo "$c0 $c1 $tck" | awk '{printf "%.2f",
	    ($2 - $1) / $3}') s = $(echo "$n $c0 $c1 $tck" | awk '{
	    s = ($3 - $2) / $4; printf "%.0f", (s > 0 ? $1 / s : 0)}')" \
	    "queries/s per core"
done
# One client, one query at a time: latency without queueing.
for q in qg qa; do
	python3 - "$PORT" "$T/$q" <<'PY'
import socket, sys, time
port, qs = int(sys.argv[1]), [l.strip() for l in open(sys.argv[2])][:500]
s = socket.create_connection(('127.0.0.1', port))
s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
s.sendall(b'!!\n')
def ask(q):
    s.sendall(q.encode() + b'\n')
    buf = b''
    while True:
        buf += s.recv(1 << 20)
        if buf[:1] == b'A':
            i = buf.index(b'\n')
            if len(buf) >= i + 1 + int(buf[1:i]) + 2:
                return buf
        elif buf.endswith(b'\n'):
            return buf
t, tot = [], 0
for q in qs:
    t0 = time.perf_counter()
    tot += len(ask(q))
    t.append(time.perf_counter() - t0)
t.sort()
print('1 client, sequential %s: %d queries, p50 %.0f us, p99 %.0f us, '
      'mean answer %d bytes' % (qs[0][:3] if qs[0][1] == 'a' else qs[0][:2], len(t), t[len(t) // 2] * 1e6,
                                t[len(t) * 99 // 100] * 1e6, tot // len(t)))
PY
done
# One tier-1 sized set (5,000+ member ASNs, nested), cold, single client.
set1=$(zcat "$G/gen-as-set.db.gz" | awk '/^as-set:/ { print $2; exit }')
python3 - "$PORT" "$set1" <<'PY'
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
for q in ('!i%s,1' % sys.argv[2], '!a4%s' % sys.argv[2]):
    t0 = time.monotonic()
    s.sendall(b'!!\n' + q.encode() + b'\n' if q[1] == 'i' else
              q.encode() + b'\n')
    buf = b''
    while True:
        buf += s.recv(1 << 20)
        if buf.startswith(b'A'):
            n = int(buf[1:buf.index(b'\n')])
            if len(buf) >= buf.index(b'\n') + 1 + n + 2:
                break
        elif buf.endswith(b'\n'):
            break
    dt = time.monotonic() - t0
    items = buf[buf.index(b'\n') + 1:].split(b'\n')[0].count(b' ') + 1
    print('%s: %d items, %d bytes, %.1f ms' % (q, items, len(buf), dt * 1e3))
PY
kill -TERM $SRV; wait $SRV 2>/dev/null; SRV=
