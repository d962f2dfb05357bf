#!/bin/sh
# bench_aggregate.sh - "manrs prefix aggregate" against Debian's
# aggregate(1) on the same input in the same run: real route objects
# (RIPE NONAUTH dump from the shared data; N lines, default 20000, as
# aggregate is quadratic).  Prints wall time and peak RSS of each, the
# ratio, and checks that both outputs are equal.
# usage: bench_aggregate.sh [N]
set -u
N=${1:-20000}
M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
D=${MANRS_SHARED_DATA:-../shared/data}
command -v aggregate >/dev/null 2>&1 || { echo "skipped: aggregate(1) not installed"; exit 0; }
[ -r "$D/irr/ripe-nonauth.db.route.gz" ] || { echo "skipped: shared data absent"; exit 0; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
zcat "$D/irr/ripe-nonauth.db.route.gz" | awk '$1 == "route:" { print $2 }' |
    head -n "$N" >"$T/in"
now() { date +%s%N; }
t0=$(now)
/usr/bin/time -f "%M" -o "$T/t.peer" aggregate -q <"$T/in" >"$T/peer.out"
t1=$(now)
/usr/bin/time -f "%M" -o "$T/t.ours" "$M" prefix aggregate -q "$T/in" \
    >"$T/ours.out"
t2=$(now)
if ! cmp -s "$T/peer.out" "$T/ours.out"; then
	echo "bench_aggregate: MISMATCH between aggregate and manrs output"
	exit 1
fi
read -r pm <"$T/t.peer"
read -r om <"$T/t.ours"
echo "input: $(wc -l <"$T/in") prefixes -> $(wc -l <"$T/ours.out") (outputs equal)"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v pm="$pm" -v om="$om" 'BEGIN {
	p = (b - a) / 1e9; o = (c - b) / 1e9
	printf "aggregate(1):           %.3f s, peak RSS %d KiB\n", p, pm
	printf "manrs prefix aggregate: %.3f s, peak RSS %d KiB\n", o, om
	printf "ratio: %.0fx faster (wall time, process start included)\n", p / o
}'
