#!/bin/sh
# Reload safety of "manrs irrd": after SIGHUP over a truncated .gz, an
# empty file, a garbage file, or a dump with 10 % of the objects left,
# the server keeps the data it served (an as-set near the end of the real
# RIPE dump still answers), logs why, and a good file reloads again.
# "irrd --check" and "filter" exit non-zero on the truncated and empty
# files.  (Issue 12: a truncated .gz used to load "successfully".)
# Each accepted load logs one "input" line a file with its provenance,
# and /metrics has each source's data time (issue 11).
. "$(dirname "$0")/irrd_common.sh"
need_data
need_prog python3
# started as root, irrd reads its files as the unprivileged user
chmod 755 "$T"

cp "$D/ripe.db.as-set.gz" "$T/good.gz"
cp "$T/good.gz" "$T/cur.gz"
size=$(wc -c < "$T/good.gz")
head -c $((size / 2)) "$T/good.gz" > "$T/trunc.gz"
: > "$T/empty"
printf 'this is not\nan RPSL dump\n\n\001\002garbage\n' > "$T/garbage"
# a valid dump with every 10th object only: a 90 % shrink
python3 - "$T/good.gz" "$T/small.gz" <<'PY'
import gzip, sys
objs = gzip.open(sys.argv[1], "rt", encoding="latin-1").read().split("\n\n")
with gzip.open(sys.argv[2], "wt", encoding="latin-1") as f:
    f.write("\n\n".join(objs[::10]))
PY

SOURCES="RIPE=$T/cur.gz"
start_server --metrics 127.0.0.1:0

# the file's provenance in the log, its data time in /metrics
INPUT="input RIPE irr $T/cur.gz: 25174 records, 0 skipped; time 2023-11-28T22:35:05Z (last-modified)"
grep -qF "$INPUT" "$T/server.log" || {
	echo "FAIL: no \"$INPUT\" line at start"; cat "$T/server.log"; exit 1; }
MPORT=$(sed -n 's/.*metrics (http) listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' \
    "$T/server.log" | head -1)
python3 - "$MPORT" > "$T/metrics" <<'PY' || { echo "FAIL: /metrics"; exit 1; }
import sys, urllib.request
print(urllib.request.urlopen("http://127.0.0.1:%s/metrics" % sys.argv[1],
                             timeout=10).read().decode())
PY
grep -qx 'manrs_irrd_source_data_time_seconds{source="RIPE"} 1701210905' \
    "$T/metrics" || {
	echo "FAIL: no RIPE data time in /metrics"
	grep source_data "$T/metrics"; exit 1; }
echo "ok: input logged, source data time in /metrics"

# ask: the as-set's members line ("A..." answer) or FAIL
ask() {
	python3 - "$PORT" "$1" <<'PY'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
s.sendall(b"!i" + sys.argv[2].encode() + b"\n")
buf = b""
while True:
    d = s.recv(65536)
    if not d:
        break
    buf += d
    if buf.endswith(b"C\n") or buf.startswith((b"D\n", b"F")):
        break
print(buf.decode("latin-1").splitlines()[0][:1])
PY
}
# the last as-set of the dump: gone from a truncated copy
LAST=AS51505:AS-DEI
[ "$(ask $LAST)" = A ] || { echo "FAIL: $LAST not served at start"; exit 1; }

n=0
# reload_with FILE WANT: install FILE, SIGHUP, wait for the n-th verdict
reload_with() {
	cp "$1" "$T/next" && mv "$T/next" "$T/cur.gz"
	before=$(grep -c -e "keeping the previous data" -e "reload done" \
	    "$T/server.log")
	kill -HUP "$SRV"
	i=0
	while [ "$(grep -c -e "keeping the previous data" -e "reload done" \
	    "$T/server.log")" -le "$before" ]; do
		i=$((i + 1))
		if [ $i -gt 300 ]; then
			echo "FAIL: no reload verdict for $1"
			cat "$T/server.log"
			exit 1
		fi
		sleep 0.1
	done
	if ! tail -n 5 "$T/server.log" | grep -q -e "$2"; then
		echo "FAIL: reload with $1: want \"$2\" in the log"
		cat "$T/server.log"
		exit 1
	fi
	n=$((n + 1))
}

for f in trunc.gz empty garbage small.gz; do
	case $f in
	trunc.gz) why="input ends early" ;;
	empty) why="no objects (empty" ;;
	garbage) why="no objects (every object malformed)" ;;
	small.gz) why="reload refused (shrink): source RIPE: .* more than --max-shrink 50%" ;;
	esac
	reload_with "$T/$f" "$why"
	tail -n 5 "$T/server.log" | grep -q "keeping the previous data" || {
		echo "FAIL: $f: old data not kept"; cat "$T/server.log"; exit 1; }
	[ "$(ask $LAST)" = A ] || {
		echo "FAIL: $LAST not served after reloading $f"
		cat "$T/server.log"; exit 1; }
	echo "ok: $f refused, old data served"
done
reload_with "$T/good.gz" "reload done"
[ "$(ask $LAST)" = A ] || { echo "FAIL: $LAST after good reload"; exit 1; }
# logged at start and on the accepted reload, not on the refused ones
[ "$(grep -cF "$INPUT" "$T/server.log")" -eq 2 ] || {
	echo "FAIL: want 2 \"$INPUT\" lines"; cat "$T/server.log"; exit 1; }
echo "ok: a good file reloads, its input logged again"

# one-shot commands: non-zero exit on a truncated or empty file
for f in trunc.gz empty; do
	if "$M" irrd --check --source "RIPE=$T/$f" 2> "$T/check.log"; then
		echo "FAIL: irrd --check exits 0 on $f"; cat "$T/check.log"
		exit 1
	fi
	if "$M" filter --source "RIPE=$T/$f" AS-RESTENA \
	    > /dev/null 2> "$T/filter.log"; then
		echo "FAIL: filter exits 0 on $f"; cat "$T/filter.log"
		exit 1
	fi
done
grep -q "line .*read failed after .* bytes: input ends early" \
    "$T/filter.log" || grep -q "no objects" "$T/filter.log" || {
	echo "FAIL: filter does not say why"; cat "$T/filter.log"; exit 1; }
echo "ok: irrd --check and filter exit non-zero"
echo "PASS: $n refused or accepted reloads as expected"
