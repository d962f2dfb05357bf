#!/bin/sh
# --db gives what the dumps give (issue 15): a snapshot built by
# "manrs db build" from the real RIPE and ARIN dumps, then manrs filter
# with --db and with --source, for as-sets and ASNs in several dialects
# (stdout, stderr and exit status byte for byte), validate --db against
# --vrps/--slurm on an MRT dump, audit and observe --db against --source
# and --vrps on the real RIB and updates; "manrs db check"
# passes on it and refuses a damaged copy (a byte overwritten in a
# section: exit 1 naming the section; truncated: refused at open).
# Skips without the shared data ($MANRS_SHARED_DATA).
set -u
M=${MANRS_BIN:-manrs}
D=${MANRS_SHARED_DATA:-}/irr
if [ ! -r "$D/ripe.db.as-set.gz" ] || [ ! -r "$D/arin-whois-originas.json.bz2" ]; then
	echo "skip: no shared IRR data in \$MANRS_SHARED_DATA/irr"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

SRC="--source RIPE=$D/ripe.db.as-set.gz,$D/ripe-nonauth.db.aut-num.gz,$D/ripe-nonauth.db.route.gz --source ARIN=$D/arin-whois-originas.json.bz2"
# shellcheck disable=SC2086
$M db build -o "$T/irr.mdb" $SRC 2>"$T/build.err" ||
    { bad "db build: $(cat "$T/build.err")"; exit 1; }
$M db check "$T/irr.mdb" >"$T/check.out" || bad "db check failed"
grep -q "^checksums: ok" "$T/check.out" || bad "db check: no 'checksums: ok'"
grep -q "^input: ARIN irr .*arin-whois-originas.json.bz2: 117503 records" \
    "$T/check.out" || bad "db check: ARIN provenance missing"

n=0
while read -r args; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	$M filter $SRC $args >"$T/a.out" 2>"$T/a.err"
	ra=$?
	# shellcheck disable=SC2086
	$M filter --db "$T/irr.mdb" $args >"$T/b.out" 2>"$T/b.err"
	rb=$?
	[ $ra -eq $rb ] || bad "$args: exit $ra from dumps, $rb from --db"
	cmp -s "$T/a.out" "$T/b.out" || bad "$args: output differs"
	cmp -s "$T/a.err" "$T/b.err" || bad "$args: stderr differs"
done <<'JOBS'
-4 AS-TEDATA
-6 AS-TEDATA
-A -4 AS-TEDATA
-J -l tedata AS-TEDATA
-b -6 -l raya AS-RAYA
-j AS-RAYA
-f 3320 AS-TEDATA
-G 8075 AS8075
-X -r 16 -R 24 AS3320
-t AS-TEDATA
-S ARIN -4 AS8075
-S RIPE -4 AS8075
-E AS-RAYA
-L 1 -t AS-TEDATA
JOBS
[ $n -ge 14 ] || bad "only $n jobs ran"

# validate --db: the VRPs (with SLURM) of a snapshot give the verdicts
# the files give, for the RIB entries of a real MRT dump, judged at the
# snapshot's time and a day later (expired VRPs withdrawn either way).
R=${MANRS_SHARED_DATA}/rpki
MRT=${MANRS_SHARED_DATA}/mrt/rib.20140523.0600_firstMB.bz2
if [ -r "$R/json.gz" ] && [ -r "$MRT" ]; then
	N=2023-05-04T15:00:00Z
	$M db build -o "$T/vrps.mdb" --vrps "$R/json.gz" \
	    --slurm "$R/full_v2.json" --now $N 2>"$T/vb.err" ||
	    bad "db build --vrps: $(cat "$T/vb.err")"
	for now in $N 2023-05-05T12:00:00Z; do
		$M validate --vrps "$R/json.gz" --slurm "$R/full_v2.json" \
		    --now $now --json --mrt "$MRT" >"$T/va.out" 2>/dev/null
		ra=$?
		$M validate --db "$T/vrps.mdb" --now $now --json --mrt "$MRT" \
		    >"$T/vb.out" 2>/dev/null
		rb=$?
		[ $ra -eq $rb ] || bad "validate at $now: exit $ra vs $rb"
		cmp -s "$T/va.out" "$T/vb.out" ||
		    bad "validate at $now: verdicts differ"
		[ "$(wc -l <"$T/vb.out")" -gt 100000 ] ||
		    bad "validate at $now: $(wc -l <"$T/vb.out") verdicts"
		n=$((n + 1))
	done
fi

# audit and observe --db (IRR and VRPs from one snapshot) against the
# dumps, on the real RIB and update files: the audit JSON and the observe
# CSV byte for byte; the inputs list gains the snapshot's own line (its
# build time) and otherwise carries each input's provenance as recorded
# in the snapshot, so stderr differs by that line alone.
U=${MANRS_SHARED_DATA}/mrt/updates.20160811.1600.gz
if [ -r "$R/json.gz" ] && [ -r "$MRT" ] && [ -r "$U" ]; then
	N=2023-05-04T15:00:00Z
	# shellcheck disable=SC2086
	$M db build -o "$T/all.mdb" $SRC --vrps "$R/json.gz" --now $N \
	    2>"$T/ab.err" || bad "db build IRR+VRPs: $(cat "$T/ab.err")"
	# shellcheck disable=SC2086
	$M audit 3320 12389 8452 --json --no-progress --rib "$MRT" $SRC \
	    --vrps "$R/json.gz" --now $N >"$T/aa.json" 2>"$T/aa.err"
	ra=$?
	$M audit 3320 12389 8452 --json --no-progress --rib "$MRT" \
	    --db "$T/all.mdb" --now $N >"$T/ab.json" 2>"$T/ab2.err"
	rb=$?
	[ $ra -eq 0 ] && [ $rb -eq 0 ] || bad "audit: exit $ra vs $rb"
	grep -q '"inputs":\[{"kind":"db","path":"[^"]*all.mdb"' "$T/ab.json" ||
	    bad "audit --db: the inputs do not name the snapshot"
	sed 's/{"kind":"db"[^}]*},//' "$T/ab.json" >"$T/ab.cut"
	cmp -s "$T/aa.json" "$T/ab.cut" || bad "audit JSON differs with --db"
	cmp -s "$T/aa.err" "$T/ab2.err" || bad "audit stderr differs with --db"
	[ "$(grep -c '"M7RPKI"' "$T/aa.json")" -eq 3 ] ||
	    bad "audit: not 3 ASes reported"
	for src in dumps db; do
		if [ $src = dumps ]; then
			in="$SRC --vrps $R/json.gz"
		else
			in="--db $T/all.mdb"
		fi
		# shellcheck disable=SC2086
		$M observe --csv --no-progress --rib "$MRT" --updates "$U" \
		    $in --now $N -o "$T/o-$src.csv" 2>"$T/o-$src.err" ||
		    bad "observe from $src failed: $(tail -1 "$T/o-$src.err")"
	done
	cmp -s "$T/o-dumps.csv" "$T/o-db.csv" ||
	    bad "observe CSV differs with --db"
	[ "$(wc -l <"$T/o-db.csv")" -gt 3000 ] ||
	    bad "observe: $(wc -l <"$T/o-db.csv") lines"
	grep -v '^  db .*all.mdb: .* (build time)$' "$T/o-db.err" |
	    cmp -s "$T/o-dumps.err" - ||
	    bad "observe stderr differs beyond the snapshot's line"
	n=$((n + 2))
fi

# A byte overwritten inside a section: check names it, exit 1.
size=$(stat -c %s "$T/irr.mdb")
cp "$T/irr.mdb" "$T/bad.mdb"
printf 'XXXX' | dd of="$T/bad.mdb" bs=1 seek=$((size / 2)) conv=notrunc \
    2>/dev/null
$M db check "$T/bad.mdb" >/dev/null 2>"$T/bad.err"
rc=$?
[ $rc -eq 1 ] && grep -q "checksum .* stored .*: damaged" "$T/bad.err" ||
    bad "damaged copy: rc $rc, $(cat "$T/bad.err")"
head -c $((size - 4096)) "$T/irr.mdb" >"$T/short.mdb"
$M filter --db "$T/short.mdb" AS-TEDATA >/dev/null 2>"$T/short.err"
rc=$?
[ $rc -eq 1 ] && grep -q "truncated" "$T/short.err" ||
    bad "truncated: rc $rc, $(cat "$T/short.err")"

[ $fail -eq 0 ] && echo "ok: $n filter/validate/audit/observe jobs identical with --db" && exit 0
exit 1
