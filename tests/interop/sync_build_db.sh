#!/bin/sh
# manrs sync --build-db FILE (issue 15): after fetching, a snapshot of
# what DIR holds (DIR/irr/NAME/ as source NAME, folders in name order;
# DIR/rpki/) is built, also when a fetch failed (from the last good
# files, exit 1 still); filter --db on it gives what --source gives on
# the same files; --dry-run builds nothing.  The fetch goes to a closed
# loopback port (nothing is downloaded).  Skips without the shared data.
set -u
M=${MANRS_BIN:-manrs}
S=${MANRS_SHARED_DATA:-}/irr
if [ ! -r "$S/ripe.db.as-set.gz" ] || [ ! -r "$S/arin-whois-originas.json.bz2" ]; then
	echo "skip: no shared IRR data in \$MANRS_SHARED_DATA/irr"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

D=$T/data
mkdir -p "$D/irr/ripe" "$D/irr/arin"
cp "$S/ripe.db.as-set.gz" "$S/ripe-nonauth.db.aut-num.gz" \
    "$S/ripe-nonauth.db.route.gz" "$D/irr/ripe/"
cp "$S/arin-whois-originas.json.bz2" "$D/irr/arin/"
printf 'sync.retries = 0\n' >"$D/manrs.conf"

timeout 120 "$M" sync --data "$D" --only irr.ripe \
    --url irr.ripe=http://127.0.0.1:1/ --build-db "$T/x.mdb" 2>"$T/err"
rc=$?
[ $rc -eq 1 ] || bad "sync with failed fetches: exit $rc, want 1"
grep -q "the last good files are kept" "$T/err" || bad "no fetch failure"
grep -q "built $T/x.mdb" "$T/err" || bad "no snapshot built: $(tail -2 "$T/err")"
"$M" db check "$T/x.mdb" >"$T/check" 2>&1 || bad "db check: $(cat "$T/check")"
[ "$(grep -c '^input: ripe irr ' "$T/check")" -eq 3 ] ||
    bad "db check: not 3 ripe inputs"
[ "$(grep -c '^input: arin irr ' "$T/check")" -eq 1 ] ||
    bad "db check: not 1 arin input"

SRC="--source arin=$D/irr/arin/arin-whois-originas.json.bz2 --source ripe=$D/irr/ripe/ripe-nonauth.db.aut-num.gz,$D/irr/ripe/ripe-nonauth.db.route.gz,$D/irr/ripe/ripe.db.as-set.gz"
for job in "-4 AS-TEDATA" "-6 AS-TEDATA" "-j AS-RAYA"; do
	# shellcheck disable=SC2086
	"$M" filter $SRC $job >"$T/a" 2>&1
	# shellcheck disable=SC2086
	"$M" filter --db "$T/x.mdb" $job >"$T/b" 2>&1
	cmp -s "$T/a" "$T/b" || bad "filter $job: --db differs from --source"
done
[ "$(wc -l <"$T/a")" -gt 10 ] || bad "filter -j AS-RAYA: $(wc -l <"$T/a") lines"

timeout 60 "$M" sync --data "$D" --only irr.ripe --dry-run \
    --url irr.ripe=http://127.0.0.1:1/ --build-db "$T/y.mdb" \
    >/dev/null 2>&1
[ ! -e "$T/y.mdb" ] || bad "--dry-run built a snapshot"

[ $fail -eq 0 ] && echo "ok: sync --build-db" && exit 0
exit 1
