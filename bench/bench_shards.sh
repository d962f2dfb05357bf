#!/bin/sh
# bench_shards.sh - what scale-out costs: "manrs observe" over all the
# BGP data in one run, against the same data cut in two shards
# (--partial each) merged (--merge), in CPU seconds (user + sys).  The
# issue's targets: shards + merge at most 1.10 x one run's CPU, and the
# merge's own work (merge minus what one run also does after streaming:
# the reports) under 5 % of one run.  The merge's own work: the merge
# with the report of one AS only (--asns) minus a run that loads the same
# reference data, streams one update and reports that AS.
#
# Inputs, generated here (tests/audit/mrt_split cuts by peer or time):
#   upd       bench/mrt_gen updates -n 2000000: a new route and pair with
#             nearly every message (the worst case for partials)
#   day       a RIB (bench/mrt_gen rib, 123 k prefixes x 30 peers) and
#             4 M updates over a pool of 100 k prefixes (-P): routes
#             repeat as in a collector-day; cut by time, the RIB in the
#             first shard
#   ris       the real RIS updates file of the shared data (if present)
#             with its VRPs, AS relationships and IRR, from the dumps and
#             from a snapshot (manrs db build): the reference data is
#             loaded by every shard and by the merge
set -eu
MANRS=${MANRS_BIN:?MANRS_BIN not set}
B=${MANRS_BUILD_ROOT:?MANRS_BUILD_ROOT not set}
SHARED=${MANRS_SHARED_DATA:-}
tmp=${BENCH_SHARDS_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/bench_shards.XXXXXX")}
keep=${BENCH_SHARDS_DIR:+1}
[ -n "$keep" ] || trap 'rm -rf "$tmp"' EXIT INT TERM
SPLIT="$B/tests/audit/mrt_split"
GEN="$B/bench/mrt_gen"

cpu() {	# cpu CMD...: user + sys seconds of CMD
	/usr/bin/time -f "%U %S" -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || {
		cat "$tmp/err" >&2
		return 1
	}
	awk '{ printf "%.2f", $1 + $2 }' "$tmp/t"
}

# case NAME "REF" "ONE" "SHARD_A" "SHARD_B"
case_() {
	c_name=$1 c_ref=$2 c_one=$3 c_sa=$4 c_sb=$5
	# shellcheck disable=SC2086
	{
		o=$(cpu "$MANRS" observe --no-progress $c_ref $c_one -o "$tmp/one.csv")
		a=$(cpu "$MANRS" observe --no-progress --partial "$tmp/a.part" \
		    $c_ref $c_sa)
		b=$(cpu "$MANRS" observe --no-progress --partial "$tmp/b.part" \
		    $c_ref $c_sb)
		m=$(cpu "$MANRS" observe --no-progress $c_ref --merge \
		    "$tmp/a.part" "$tmp/b.part" -o "$tmp/m.csv")
		o1=$(cpu "$MANRS" observe --no-progress $c_ref --updates \
		    "$tmp/tiny.mrt" --asns "$tmp/one.asn" -o /dev/null)
		m1=$(cpu "$MANRS" observe --no-progress $c_ref --asns \
		    "$tmp/one.asn" --merge "$tmp/a.part" "$tmp/b.part" \
		    -o /dev/null)
	}
	cmp -s "$tmp/one.csv" "$tmp/m.csv" && same=yes || same=NO
	sz=$(($(wc -c < "$tmp/a.part") + $(wc -c < "$tmp/b.part")))
	awk -v n="$c_name" -v o="$o" -v a="$a" -v b="$b" -v m="$m" -v o1="$o1" \
	    -v m1="$m1" -v s="$same" -v sz="$sz" 'BEGIN {
		t = a + b + m; own = m1 - o1; if (own < 0) own = 0
		printf "%-34s one %6.2f s | shards %6.2f + %6.2f | merge %6.2f" \
		    " (own work %5.2f) | total %+5.0f %% (target +10) | merge" \
		    " own %4.1f %% (target 5) | partials %5.1f MB | same: %s\n",
		    n, o, a, b, m, own, 100 * (t - o) / o, 100 * own / o,
		    sz / 1e6, s }'
}

echo 3356 > "$tmp/one.asn"
[ -s "$tmp/tiny.mrt" ] || "$GEN" updates -n 1 > "$tmp/tiny.mrt"
if [ ! -s "$tmp/upd.mrt" ]; then
	"$GEN" updates -n 2000000 > "$tmp/upd.mrt"
	"$SPLIT" time "$tmp/upd.mrt" "$tmp/ut_a.mrt" "$tmp/ut_b.mrt" >/dev/null
	"$SPLIT" peer "$tmp/upd.mrt" "$tmp/up_a.mrt" "$tmp/up_b.mrt" >/dev/null
	"$GEN" rib -4 100000 -6 23000 -p 30 > "$tmp/rib.mrt"
	"$GEN" updates -n 4000000 -P 100000 > "$tmp/day.mrt"
	"$SPLIT" time "$tmp/day.mrt" "$tmp/dt_a.mrt" "$tmp/dt_b.mrt" >/dev/null
fi
case_ "2 M updates, by time" "" "--updates $tmp/upd.mrt" \
    "--updates $tmp/ut_a.mrt" "--updates $tmp/ut_b.mrt"
case_ "2 M updates, by peer" "" "--updates $tmp/upd.mrt" \
    "--updates $tmp/up_a.mrt" "--updates $tmp/up_b.mrt"
case_ "RIB + 4 M updates (day), by time" "" \
    "--rib $tmp/rib.mrt --updates $tmp/day.mrt" \
    "--rib $tmp/rib.mrt --updates $tmp/dt_a.mrt" "--updates $tmp/dt_b.mrt"
D=$SHARED
UPD=$D/mrt/updates.20160811.1600.gz
if [ -n "$D" ] && [ -f "$UPD" ]; then
	"$SPLIT" time "$UPD" "$tmp/rt_a.mrt" "$tmp/rt_b.mrt" >/dev/null
	src="RIPE-NONAUTH=$D/irr/ripe-nonauth.db.route.gz,$D/irr/ripe-nonauth.db.aut-num.gz"
	ref="--now 1683212000 --asrel $D/caida/20210901.as-rel2.txt.bz2"
	case_ "real RIS 5 min, dumps" "$ref --vrps $D/rpki/json.gz --source $src" \
	    "--updates $UPD" "--updates $tmp/rt_a.mrt" "--updates $tmp/rt_b.mrt"
	"$MANRS" db build -o "$tmp/ref.mdb" --now 1683212000 \
	    --vrps "$D/rpki/json.gz" \
	    --source "$src" >/dev/null
	case_ "real RIS 5 min, --db snapshot" "$ref --db $tmp/ref.mdb" \
	    "--updates $UPD" "--updates $tmp/rt_a.mrt" "--updates $tmp/rt_b.mrt"
else
	echo "real RIS case skipped: shared data absent"
fi
