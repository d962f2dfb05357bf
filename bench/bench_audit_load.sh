#!/bin/sh
# bench_audit_load.sh - the fixed load time of "manrs observe" (and audit:
# the same loader) at full scale, from the dumps and from a snapshot
# (issue 15: under 1 s with --db).  The reference data of bench_audit.sh,
# generated the same way: ~1.01 M VRPs + 3.1 k ASPAs (bench/vrp_gen) and
# 2.5 M route/route6, 80 k aut-num, 60 k as-set (bench/irr_gen); the BGP
# input is a small RIB (10 k prefixes x 2 peers), so the wall time is the
# load.  Also: the same observe with no reference data (the MRT part),
# and "manrs db build" once.
# BENCH_AUDIT_DIR keeps the generated data for a second run.
set -eu
MANRS=${MANRS_BIN:?MANRS_BIN not set}
B=${MANRS_BUILD_ROOT:?MANRS_BUILD_ROOT not set}
SRC=${MANRS_SOURCE_ROOT:?MANRS_SOURCE_ROOT not set}
tmp=${BENCH_AUDIT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench_audit_load.XXXXXX")}
keep=${BENCH_AUDIT_DIR:+1}
[ -n "$keep" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
d="$tmp/data"
mkdir -p "$d/rpki" "$d/irr/GEN"
NOW=1767225600

measure() {	# measure NAME CMD...: wall, CPU, peak RSS into $tmp/NAME.t
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/$name.t" "$@" \
	    2>"$tmp/$name.err"
}
wall() { awk '{ print $1 }' "$tmp/$1.t"; }
rss() { awk '{ printf "%.0f", $4 / 1024 }' "$tmp/$1.t"; }

[ -s "$tmp/small.mrt" ] ||
	"$B/bench/mrt_gen" rib -4 10000 -6 1000 -p 2 > "$tmp/small.mrt"
[ -s "$d/rpki/vrps.json" ] ||
	python3 "$SRC/bench/vrp_gen" --time $NOW > "$d/rpki/vrps.json"
[ -s "$d/irr/GEN/route.db" ] || [ -n "$(ls "$d/irr/GEN")" ] ||
	python3 "$SRC/bench/irr_gen" "$d/irr/GEN" >/dev/null
irr=$(ls "$d"/irr/GEN/* | tr '\n' ',' | sed 's/,$//')
echo "input: $(du -sh "$d/rpki" | cut -f1) VRPs, $(du -sh "$d/irr" | \
    cut -f1) IRR ($irr)"
cat "$d"/rpki/* "$d"/irr/GEN/* > /dev/null	# page cache

measure build "$MANRS" db build -o "$tmp/ref.mdb" --source "GEN=$irr" \
    --vrps "$d/rpki/vrps.json" --now $NOW
cat "$tmp/ref.mdb" > /dev/null
measure mrtonly "$MANRS" observe --no-progress --rib "$tmp/small.mrt" \
    -o "$tmp/mrtonly.csv"
measure dumps "$MANRS" observe --no-progress --rib "$tmp/small.mrt" \
    --source "GEN=$irr" --vrps "$d/rpki/vrps.json" --now $NOW \
    -o "$tmp/dumps.csv"
measure db "$MANRS" observe --no-progress --rib "$tmp/small.mrt" \
    --db "$tmp/ref.mdb" --now $NOW -o "$tmp/db.csv"
cmp -s "$tmp/dumps.csv" "$tmp/db.csv" ||
    { echo "FAIL: observe CSV differs with --db"; exit 1; }
echo "db build (once):                 $(wall build) s, $(rss build) MiB, $(du -h "$tmp/ref.mdb" | cut -f1)"
echo "observe, small RIB only:         $(wall mrtonly) s, $(rss mrtonly) MiB"
echo "observe + IRR + VRPs from dumps: $(wall dumps) s, $(rss dumps) MiB"
echo "observe + IRR + VRPs from --db:  $(wall db) s, $(rss db) MiB"
awk -v a="$(wall dumps)" -v b="$(wall db)" -v m="$(wall mrtonly)" \
    'BEGIN { printf "fixed load: dumps %.2f s, --db %.2f s (%.0fx); " \
    "target < 1 s\n", a - m, b - m, (a - m) / (b - m > 0.005 ? b - m : 0.005) }'
