#!/bin/sh
# manrs rtrd --db (issue 15): the VRP set of a snapshot built by "manrs db
# build --vrps --slurm" from the real RPKI data is served to rtrclient
# exactly as rtrd --vrps --slurm serves the files, judged at the data's
# time and a day later (expired VRPs withdrawn either way); a snapshot
# with everything expired is refused at start (served with
# --allow-empty); a snapshot replaced by rename is mapped anew on SIGHUP.
# Skips without rtrclient or the shared data ($MANRS_SHARED_DATA).
. "$(dirname "$0")/rtr_lib.sh"
need rtrclient python3
R=${MANRS_SHARED_DATA:-}/rpki
if [ ! -r "$R/json.gz" ] || [ ! -r "$R/full_v2.json" ]; then
	echo "SKIP: no shared RPKI data in \$MANRS_SHARED_DATA/rpki"
	exit 77
fi
status=0
bad() { echo "FAIL: $*"; status=1; }

export_set() {	# export_set PORT OUT : rtrclient's table, sorted
	timeout 120 rtrclient -e -t csv -o "$TMP/x.csv" tcp 127.0.0.1 "$1" \
	    >/dev/null 2>&1
	sort "$TMP/x.csv" > "$2"
}

# Version 0 (prefixes only): rtrlib 0.8 reports the real data's router
# key as a malformed PDU at versions 1 and 2 whichever input it came from.
V="--max-version 0"
N=2023-05-04T15:00:00Z
cp "$R/json.gz" "$R/full_v2.json" "$TMP/"
"$MANRS_BIN" db build -o "$TMP/vrps.mdb" --vrps "$TMP/json.gz" \
    --slurm "$TMP/full_v2.json" --now $N 2>"$TMP/build.err" ||
    { echo "FAIL: db build: $(cat "$TMP/build.err")"; exit 1; }
chmod 644 "$TMP"/*
for now in $N 2023-05-05T08:30:00Z; do
	start_manrs "f$now" --vrps "$TMP/json.gz" --slurm "$TMP/full_v2.json" \
	    --now $now --no-watch $V
	export_set "$MANRS_PORT" "$TMP/want.txt"
	start_manrs "d$now" --db "$TMP/vrps.mdb" --now $now --no-watch $V
	export_set "$MANRS_PORT" "$TMP/got.txt"
	n=$(wc -l < "$TMP/want.txt")
	[ "$n" -gt 300000 ] || bad "at $now: only $n VRPs from the files"
	if cmp -s "$TMP/want.txt" "$TMP/got.txt"; then
		echo "ok: at $now: --db serves the same $n VRPs as --vrps"
	else
		bad "at $now: sets differ ($n vs $(wc -l < "$TMP/got.txt"))"
	fi
done

# everything expired (no SLURM assertions): refused at start, served
# with --allow-empty
"$MANRS_BIN" db build -o "$TMP/live.mdb" --vrps "$TMP/json.gz" --now $N \
    2>/dev/null || bad "db build without SLURM"
chmod 644 "$TMP/live.mdb"
if timeout 60 "$MANRS_BIN" rtrd --listen 127.0.0.1:0 --db "$TMP/live.mdb" \
    --now 2035-01-01T00:00:00Z >/dev/null 2>"$TMP/empty.err"; then
	bad "all-expired snapshot served"
fi
grep -q "every entry expired" "$TMP/empty.err" ||
    bad "all-expired: $(cat "$TMP/empty.err")"
start_manrs empty --db "$TMP/live.mdb" --now 2035-01-01T00:00:00Z \
    --allow-empty
# --max-age judges the snapshot's build time
if timeout 60 "$MANRS_BIN" rtrd --listen 127.0.0.1:0 --db "$TMP/vrps.mdb" \
    --max-age 60 >/dev/null 2>"$TMP/stale.err"; then
	bad "stale snapshot served"
fi
grep -q "stale" "$TMP/stale.err" || bad "stale: $(cat "$TMP/stale.err")"
# --db with --vrps is a usage error
rc=0
"$MANRS_BIN" rtrd --listen 127.0.0.1:0 --db "$TMP/vrps.mdb" \
    --vrps "$TMP/json.gz" >/dev/null 2>&1 || rc=$?
[ $rc -eq 2 ] || bad "--db with --vrps: exit $rc, not a usage error"

# reload: a new snapshot renamed over the old one, SIGHUP
gen "$TMP/small.json" --v4 300 --v6 50 --aspa 0 --seed 5
"$MANRS_BIN" db build -o "$TMP/new.mdb" --vrps "$TMP/small.json" \
    2>/dev/null || bad "db build small"
chmod 644 "$TMP"/*.mdb
start_manrs live --db "$TMP/live.mdb" --now $N --no-watch
pid=${PIDS##* }
mv "$TMP/new.mdb" "$TMP/live.mdb"
kill -HUP "$pid"
i=0
while ! grep -q "loaded (SIGHUP)" "$TMP/live.log"; do
	i=$((i + 1))
	[ $i -gt 300 ] && break
	sleep 0.1
done
grep -q "loaded (SIGHUP): 300 IPv4 + 50 IPv6" "$TMP/live.log" ||
    bad "reload: $(tail -3 "$TMP/live.log")"
echo "ok: reload mapped the new snapshot"
exit $status
