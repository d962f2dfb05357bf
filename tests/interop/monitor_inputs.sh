#!/bin/sh
# monitor_inputs.sh - manrs monitor --stats names each input it read
# (issue 11 item 1): the VRP file, the as-rel file and every MRT replay
# file, one "input KIND PATH: ..." line each on stderr, with records,
# data time and its source (MRT: first and last record time), from the
# real shared data.  No network, no daemon; skips (77) without the data.
set -u
M=${MANRS_BIN:?MANRS_BIN not set}
D=${MANRS_SHARED_DATA:-../shared/data}
U=$D/mrt/updates.20160811.1600.gz
V=$D/rpki/json.gz
A=$D/caida/20210901.as-rel2.txt.bz2
for f in "$U" "$V" "$A"; do
	[ -r "$f" ] || { echo "SKIP: $f absent (shared data)"; exit 77; }
done
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
cat >"$T/p.yml" <<'YML'
200.12.26.0/24:
  description: correctly configured
  asn: 7004
  ignoreMorespecifics: false
  ignore: false
YML
timeout 120 "$M" monitor --prefixes "$T/p.yml" --mrt "$U" --vrps "$V" \
    --now 2023-05-04T14:52:07Z --asrel "$A" --stats --json \
    >"$T/out" 2>"$T/err"
rc=$?
grep '^input ' "$T/err" >"$T/got"
cat >"$T/want" <<EOT
input vrps $V: 424223 records, 0 skipped; time 2023-05-04T14:52:07Z (buildtime); 424223 in force, 0 expired at 2023-05-04T14:52:07Z
input asrel $A: 22 records, 0 skipped; time 2021-09-01T00:00:00Z (file name)
input mrt $U: 17406 records, 0 skipped; time 2016-08-11T16:00:00Z (first record); records 2016-08-11T16:00:00Z to 2016-08-11T16:04:59Z
EOT
fail=0
if [ $rc != 0 ] && [ $rc != 5 ]; then
	echo "FAIL: monitor exit $rc: $(cat "$T/err")"; fail=1
fi
if cmp -s "$T/got" "$T/want"; then
	echo "ok: monitor --stats names its 3 inputs"
else
	echo "FAIL: input lines differ:"; diff "$T/want" "$T/got"; fail=1
fi
# without --stats: no input line, and the alerts are the same
timeout 120 "$M" monitor --prefixes "$T/p.yml" --mrt "$U" --vrps "$V" \
    --now 2023-05-04T14:52:07Z --asrel "$A" --json >"$T/out2" 2>"$T/err2"
if grep -q '^input ' "$T/err2" || ! cmp -s "$T/out" "$T/out2"; then
	echo "FAIL: without --stats: input lines or other alerts"; fail=1
else
	echo "ok: without --stats no input line, same alerts"
fi
exit $fail
