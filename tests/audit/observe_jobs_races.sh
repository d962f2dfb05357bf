#!/bin/sh
# observe --jobs under Valgrind's helgrind: the threads of the reference
# data load (IRR beside VRPs), the MRT jobs and the per-AS reports share
# no memory they write (no possible data race, no lock misuse), on real
# data.  Skipped without valgrind, without the shared data, and for a
# sanitizer build (valgrind cannot run those).
set -u
MANRS=${MANRS_BIN:-manrs}
D=${MANRS_SHARED_DATA:-../shared/data}
command -v valgrind >/dev/null 2>&1 || { echo "SKIP: no valgrind"; exit 77; }
[ -f "$D/mrt/updates.20160811.1600.gz" ] || {
	echo "SKIP: shared data absent ($D)"; exit 77; }
if ldd "$MANRS" 2>/dev/null | grep -q 'libasan\|libubsan' ||
    nm -D "$MANRS" 2>/dev/null | grep -q __asan_init; then
	echo "SKIP: a sanitizer build (valgrind cannot run it)"
	exit 77
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/races.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
timeout 900 valgrind --tool=helgrind --log-file="$tmp/hg.log" \
    "$MANRS" observe --no-progress --now 1683212000 \
    --vrps "$D/rpki/json.gz" --asrel "$D/caida/20210901.as-rel2.txt.bz2" \
    --source "RIPE-NONAUTH=$D/irr/ripe-nonauth.db.route.gz" \
    --rib "$D/mrt/bview.ipv4_unicast_add_path.gz" \
    --updates "$D/mrt/updates.20160811.1600.gz" --jobs 2 \
    -o "$tmp/jobs.csv" 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }
"$MANRS" observe --no-progress --now 1683212000 \
    --vrps "$D/rpki/json.gz" --asrel "$D/caida/20210901.as-rel2.txt.bz2" \
    --source "RIPE-NONAUTH=$D/irr/ripe-nonauth.db.route.gz" \
    --rib "$D/mrt/bview.ipv4_unicast_add_path.gz" \
    --updates "$D/mrt/updates.20160811.1600.gz" -o "$tmp/one.csv" \
    2>/dev/null || exit 1
fail=0
races=$(grep -c 'Possible data race\|lock order\|unlocked a not-locked' \
    "$tmp/hg.log")
# (libp11-kit's exit handlers destroy a mutex helgrind never saw: not ours)
if [ "$races" -eq 0 ]; then
	echo "ok   no possible data race"
else
	echo "FAIL $races possible data races or lock errors:"
	grep -A12 'Possible data race\|lock order' "$tmp/hg.log" | head -60
	fail=1
fi
if grep -q 'one job' "$tmp/err"; then
	echo "FAIL --jobs 2 ran as one job:"; cat "$tmp/err"; fail=1
else
	echo "ok   --jobs 2 ran its jobs"
fi
if cmp -s "$tmp/one.csv" "$tmp/jobs.csv"; then
	echo "ok   under helgrind, --jobs 2 == one job"
else
	echo "FAIL --jobs 2 differs from one job"; fail=1
fi
exit $fail
