#!/bin/sh
# bench_filter.sh - "manrs filter" on the local database vs
# "bgpq4 -h" against "manrs irrd" serving the same files, for the five
# largest as-sets of the real IRR (RIPE as-sets + RIPE NONAUTH routes in
# $MANRS_SHARED_DATA/irr) and of the generated IRR (bench/irr_gen, as
# bench_irr.sh makes it), two jobs a set (Cisco prefix list, plain and
# -A): the same 10 lists both ways, checked equal byte for byte.
#
# Reported, wall and CPU (user + sys; bgpq4's CPU includes the server's
# share, read from /proc/PID/stat around the run):
#   bgpq4      the 10 bgpq4 runs, server already loaded;
#   ours -h    the same 10 jobs through "manrs filter -h" (our client);
#   load       "manrs filter --batch /dev/null": loading the dumps only;
#   batch      "manrs filter --batch JOBS": load + the 10 jobs;
#   compute    batch - load: what the 10 jobs cost once loaded;
#   single     load + compute / 10: one invocation of one job;
# and the ratios bgpq4 / ours.  Peak RSS of ours and of the server.
# Smaller generated run: IRR_ROUTES=200000 IRR_AUTNUMS=10000 IRR_SETS=6000
# IRR_GEN_DIR=/tmp/x.
set -u
M=${MANRS_BIN:-build/src/cmd/manrs/manrs}
SRC=${MANRS_SOURCE_ROOT:-.}
SHARED=${MANRS_SHARED_DATA:-../shared/data}
G=${IRR_GEN_DIR:-/tmp/manrs-irr-gen}
command -v bgpq4 >/dev/null 2>&1 || { echo "skipped: bgpq4 missing"; exit 0; }
T=$(mktemp -d)
SRV=
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT INT TERM

now() { date +%s.%N; }
cpu_of() {	# utime + stime of a pid, in seconds
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' \
	    "/proc/$1/stat"
}

# bench NAME SOURCES SET...
bench() {
	name=$1 srcs=$2
	shift 2
	: >"$T/jobs"
	i=0
	for s in "$@"; do
		i=$((i + 1))
		echo "$T/got.$i $s" >>"$T/jobs"
		i=$((i + 1))
		echo "$T/got.$i -A $s" >>"$T/jobs"
	done
	args=
	for s in $srcs; do args="$args --source $s"; done
	rm -f "$T/port"
	# shellcheck disable=SC2086
	"$M" irrd --listen 127.0.0.1:0 --port-file "$T/port" $args \
	    2>"$T/server.log" &
	SRV=$!
	while [ ! -s "$T/port" ]; do
		kill -0 $SRV 2>/dev/null || { cat "$T/server.log"; return 1; }
		sleep 0.2
	done
	PORT=$(head -1 "$T/port")

	# bgpq4, one run per job.
	c0=$(cpu_of $SRV)
	t0=$(now)
	: >"$T/bgpq4.cpu"
	while read -r out a1 a2; do
		# shellcheck disable=SC2086
		/usr/bin/time -a -o "$T/bgpq4.cpu" -f "%U %S %M" \
		    bgpq4 -h "127.0.0.1:$PORT" $a1 ${a2:-} >"$out.want" ||
		    return 1
	done <"$T/jobs"
	t1=$(now)
	c1=$(cpu_of $SRV)
	# ours as a client of the same server (-h), same jobs.
	: >"$T/remote.cpu"
	t2=$(now)
	while read -r out a1 a2; do
		# shellcheck disable=SC2086
		/usr/bin/time -a -o "$T/remote.cpu" -f "%U %S %M" \
		    "$M" filter --keep-bogons --allow-empty \
		    -h "127.0.0.1:$PORT" $a1 ${a2:-} >"$out.remote" ||
		    return 1
		cmp -s "$out.remote" "$out.want" || {
			echo "$name: -h $a1 ${a2:-}: differs from bgpq4"
			return 1; }
	done <"$T/jobs"
	t3=$(now)
	c2=$(cpu_of $SRV)
	srss=$(awk '/VmHWM/ { print $2 }' "/proc/$SRV/status")
	kill $SRV; wait $SRV 2>/dev/null; SRV=

	# ours: load only, then load + jobs.
	# shellcheck disable=SC2086
	/usr/bin/time -o "$T/load" -f "%e %U %S %M" "$M" filter \
	    --keep-bogons --allow-empty $args --batch /dev/null 2>/dev/null
	# shellcheck disable=SC2086
	/usr/bin/time -o "$T/batch" -f "%e %U %S %M" "$M" filter \
	    --keep-bogons --allow-empty $args --batch "$T/jobs" \
	    2>"$T/batch.err" || { cat "$T/batch.err"; return 1; }
	lines=0
	while read -r out rest; do
		cmp -s "$out" "$out.want" || {
			echo "$name: $rest: output differs from bgpq4"; return 1; }
		lines=$((lines + $(wc -l <"$out")))
	done <"$T/jobs"
	awk -v name="$name" -v jobs="$(wc -l <"$T/jobs")" -v lines="$lines" \
	    -v bw="$(echo "$t1 $t0" | awk '{print $1 - $2}')" \
	    -v bs="$(echo "$c1 $c0" | awk '{print $1 - $2}')" \
	    -v srss="$srss" \
	    -v rw="$(echo "$t3 $t2" | awk '{print $1 - $2}')" \
	    -v rs="$(echo "$c2 $c1" | awk '{print $1 - $2}')" '
	FILENAME ~ /bgpq4.cpu$/ { bc += $1 + $2; if ($3 > brss) brss = $3 }
	FILENAME ~ /remote.cpu$/ { rc += $1 + $2 }
	FILENAME ~ /load$/ { lw = $1; lc = $2 + $3 }
	FILENAME ~ /batch$/ { aw = $1; ac = $2 + $3; arss = $4 }
	END {
		bcpu = bc + bs
		cw = aw - lw; cc = ac - lc
		if (cw < 0.001) cw = 0.001; if (cc < 0.001) cc = 0.001
		printf "%s: %d jobs, %d lines, outputs equal to bgpq4\n",
		    name, jobs, lines
		printf "  bgpq4 -h:   %.2f s wall, %.2f s CPU (client %.2f +" \
		    " server %.2f); server peak RSS %d KiB\n", bw, bcpu, bc,
		    bs, srss
		printf "  ours -h:    %.2f s wall, %.2f s CPU (client %.2f +" \
		    " server %.2f)  -> %.2fx wall, %.2fx CPU vs bgpq4\n", rw,
		    rc + rs, rc, rs, bw / rw, bcpu / (rc + rs)
		printf "  load only:  %.2f s wall, %.2f s CPU\n", lw, lc
		printf "  batch:      %.2f s wall, %.2f s CPU, peak RSS %d KiB" \
		    "  -> %.2fx wall, %.2fx CPU vs bgpq4\n", aw, ac, arss,
		    bw / aw, bcpu / ac
		printf "  compute:    %.3f s wall, %.3f s CPU" \
		    "  -> %.1fx wall, %.1fx CPU vs bgpq4\n", cw, cc,
		    bw / cw, bcpu / cc
		printf "  single job: %.2f s wall (load + 1/%d of compute)" \
		    "  vs bgpq4 %.3f s -> %.3fx\n", lw + cw / jobs, jobs,
		    bw / jobs, (bw / jobs) / (lw + cw / jobs)
	}' "$T/bgpq4.cpu" "$T/remote.cpu" "$T/load" "$T/batch"
}

D="$SHARED/irr"
if [ -r "$D/ripe.db.as-set.gz" ] && [ -r "$D/ripe-nonauth.db.route.gz" ]; then
	# The five as-sets with the most route objects among their direct
	# ASN members (RIPE as-sets x RIPE NONAUTH routes).
	bench real "RIPE=$D/ripe.db.as-set.gz
RIPE-NONAUTH=$D/ripe-nonauth.db.route.gz" AS-TEDATA AS-SEABONECUSTMEAF \
	    AS-36992 AS-TRATATA AS-SEABONE-V6 || exit 1
else
	echo "real: skipped (shared data absent)"
fi

if [ ! -s "$G/gen-route.db.gz" ]; then
	echo "generating into $G ..."
	mkdir -p "$G"
	python3 "$SRC/bench/irr_gen" "$G" --routes "${IRR_ROUTES:-2500000}" \
	    --autnums "${IRR_AUTNUMS:-80000}" --sets "${IRR_SETS:-60000}" ||
	    exit 1
	for f in "$G"/gen-*.db; do gzip -6 -f "$f" || exit 1; done
fi
# The five generated as-sets with the most direct members.
GSETS=$(zcat "$G/gen-as-set.db.gz" | awk '/^as-set:/ { n = $2 }
    /^members:/ { c[n] += split($0, a, ",") }
    END { for (k in c) print c[k], k }' | sort -k1,1nr -k2 | head -5 |
    awk '{ print $2 }')
# shellcheck disable=SC2086
bench generated "GEN=$G/gen-as-set.db.gz,$G/gen-aut-num.db.gz,$G/gen-route.db.gz" \
    $GSETS
