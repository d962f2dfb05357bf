#!/bin/sh
# bench_audit.sh - "manrs observe" (the audit of every AS) on a
# full-table-scale input, against decoding the same MRT input alone with
# the library (bench/mrt_decode) in the same run.
#
# Input, all generated deterministically here:
#   rib/      1 M IPv4 + 230 k IPv6 prefixes x 30 peers (bench/mrt_gen rib)
#   updates/  BENCH_AUDIT_UPDATES (default 2 M) update messages (mrt_gen)
#   rpki/     ~1.01 M VRPs + 3.1 k ASPAs (bench/vrp_gen)
#   irr/GEN/  2.5 M route/route6, 80 k aut-num, 60 k as-set (bench/irr_gen)
#   asrel/    the real CAIDA-derived graph from the shared data, if present
# Targets (issue 7): observe under 60 s and 4 GB peak RSS, and at most
# 1.5 x the decode-only time; (issue 16) --jobs 2 at least 1.7 x faster
# than one job on this 2-core machine, with the same CSV.  The generators are independent, so most
# pairs are RPKI not-found: the ROV and IRR lookups still run per pair.
set -eu
MANRS=${MANRS_BIN:?MANRS_BIN not set}
B=${MANRS_BUILD_ROOT:?MANRS_BUILD_ROOT not set}
SRC=${MANRS_SOURCE_ROOT:?MANRS_SOURCE_ROOT not set}
UPDATES=${BENCH_AUDIT_UPDATES:-2000000}
tmp=${BENCH_AUDIT_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench_audit.XXXXXX")}
keep=${BENCH_AUDIT_DIR:+1}
[ -n "$keep" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
d="$tmp/data"
mkdir -p "$d/rib" "$d/updates" "$d/rpki" "$d/irr/GEN" "$d/asrel"

measure() {	# measure NAME CMD...: wall, CPU, peak RSS into $tmp/NAME.t
	name=$1
	shift
	/usr/bin/time -f "%e %U %S %M" -o "$tmp/$name.t" "$@"
}
wall() { awk '{ print $1 }' "$tmp/$1.t"; }
rss() { awk '{ printf "%.0f", $4 / 1024 }' "$tmp/$1.t"; }

if [ ! -s "$d/rib/full.mrt" ]; then
	"$B/bench/mrt_gen" rib -4 1000000 -6 230000 -p 30 > "$d/rib/full.mrt"
	"$B/bench/mrt_gen" updates -n "$UPDATES" > "$d/updates/day.mrt"
	python3 "$SRC/bench/vrp_gen" --time 1767225600 > "$d/rpki/vrps.json"
	python3 "$SRC/bench/irr_gen" "$d/irr/GEN" >/dev/null
	if [ -f "${MANRS_SHARED_DATA:-/nonexistent}/caida/whole-internet-rel.txt" ]
	then
		cp "$MANRS_SHARED_DATA/caida/whole-internet-rel.txt" "$d/asrel/"
	fi
fi
echo "input: $(du -sh "$d/rib" | cut -f1) RIB, $(du -sh "$d/updates" | \
    cut -f1) updates ($UPDATES messages), $(du -sh "$d/rpki" | cut -f1) \
VRPs, $(du -sh "$d/irr" | cut -f1) IRR"
cat "$d/rib/full.mrt" "$d/updates/day.mrt" > /dev/null	# page cache

measure decode "$B/bench/mrt_decode" "$d/rib/full.mrt" "$d/updates/day.mrt"
measure mrtonly "$MANRS" observe --no-progress --rib "$d/rib/full.mrt" \
    --updates "$d/updates/day.mrt" -o "$tmp/mrtonly.csv"
measure observe "$MANRS" observe --no-progress --data "$d" \
    --rpki-now 1767225600 -o "$tmp/observe.csv"
measure jobs2 "$MANRS" observe --no-progress --data "$d" \
    --rpki-now 1767225600 --jobs 2 -o "$tmp/jobs2.csv"
cmp -s "$tmp/observe.csv" "$tmp/jobs2.csv" && same=yes || same=NO
ases=$(($(wc -l < "$tmp/observe.csv") - 1))
echo "decode only (bench/mrt_decode):       $(wall decode) s, $(rss decode) MiB"
echo "observe, MRT only:                    $(wall mrtonly) s, $(rss mrtonly) MiB"
echo "observe, all inputs ($ases ASes):     $(wall observe) s, $(rss observe) MiB"
echo "observe --jobs 2:                     $(wall jobs2) s, $(rss jobs2) MiB" \
    "(same CSV: $same)"
awk -v o="$(wall observe)" -v j="$(wall jobs2)" 'BEGIN { printf \
    "speed-up of --jobs 2: %.2f x (target >= 1.7 on 2 cores)\n", o / j }'
awk -v o="$(wall observe)" -v m="$(wall mrtonly)" -v d="$(wall decode)" \
    'BEGIN { printf "ratio observe/decode: %.2f (MRT only %.2f); " \
    "targets: <= 1.5, < 60 s\n", o / d, m / d }'
