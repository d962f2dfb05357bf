#!/bin/sh
# bench_irrd_latency.sh - head-of-line blocking in "manrs irrd": p50/p99
# of a well-behaved client's "!gAS3333" alone, then while 50 clients
# loop "!aAS-DECIX" (a 1.4 MB answer) on the real RIPE/ARIN dumps, on
# loopback.  Each run is bounded (--count queries, --seconds).
#
#   MANRS_BIN=build/src/cmd/manrs/manrs MANRS_BUILD_ROOT=build \
#       MANRS_SHARED_DATA=../shared/data sh bench/bench_irrd_latency.sh \
#       [extra irrd arguments, e.g. --cache-size 0]
set -u
M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
BR=${MANRS_BUILD_ROOT:-build}
D=${MANRS_SHARED_DATA:-../shared/data}/irr
C="$BR/bench/bench_irrd_latency"
HEAVY=${BENCH_HEAVY:-50}
COUNT=${BENCH_COUNT:-500}
[ -x "$C" ] || { echo "skipped: $C not built"; exit 0; }
[ -r "$D/ripe.db.as-set.gz" ] || { echo "skipped: no data in $D"; exit 0; }
T=$(mktemp -d)
chmod 755 "$T"
SRV=
cleanup() {
	[ -n "$SRV" ] && kill "$SRV" 2>/dev/null && wait "$SRV" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
# 51 clients from one address: lift the per-address cap (builds
# without the daemon layer have none).
CAP=
"$M" irrd --help 2>&1 | grep -q max-per-address && CAP="--max-per-address 0"
# shellcheck disable=SC2086
"$M" irrd --listen 127.0.0.1:0 --port-file "$T/port" $CAP \
    --idle-timeout 120 \
    --source "RIPE=$D/ripe.db.as-set.gz" \
    --source "RIPE-NONAUTH=$D/ripe-nonauth.db.route.gz,$D/ripe-nonauth.db.aut-num.gz" \
    --source "ARIN-WHOIS=$D/arin-whois-originas.json.bz2" "$@" \
    2>"$T/log" &
SRV=$!
i=0
while [ ! -s "$T/port" ] || ! grep -q "loaded" "$T/log"; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 "$SRV" 2>/dev/null; then
		echo "server did not start"; cat "$T/log"; exit 1
	fi
	sleep 0.1
done
P=$(head -1 "$T/port")
echo "idle:   $(timeout 120 "$C" --port "$P" --count "$COUNT" --seconds 60)"
echo "loaded: $(timeout 120 "$C" --port "$P" --heavy "$HEAVY" \
    --count "$COUNT" --seconds 60)"
