#!/bin/sh
# rtrmon (StayRTR) compares manrs rtrd (primary) and stayrtr (secondary)
# serving the same file over RTR: both counts must equal the loaded set
# and "only-primary" / "only-secondary" must be empty.
. "$(dirname "$0")/rtr_lib.sh"
need rtrmon stayrtr python3 curl

gen "$TMP/vrps.json" --v4 20000 --v6 5000 --aspa 100 --seed 14
want=$(expected "$TMP/vrps.json" | wc -l)
start_manrs m --vrps "$TMP/vrps.json"
start_stayrtr "$TMP/vrps.json"
mon=$(free_port)
rtrmon -primary.host "tcp://127.0.0.1:$MANRS_PORT" \
    -secondary.host "tcp://127.0.0.1:$STAY_PORT" \
    -addr "127.0.0.1:$mon" > "$TMP/rtrmon.log" 2>&1 &
PIDS="$PIDS $!"
i=0
while :; do
	i=$((i + 1))
	curl -s "http://127.0.0.1:$mon/diff.json" > "$TMP/diff.json" 2>/dev/null || true
	if python3 - "$TMP/diff.json" "$want" <<'PY'
import json, sys
try:
    d = json.load(open(sys.argv[1]))
except Exception:
    sys.exit(1)
want = int(sys.argv[2])
p, s = d.get("metadata-primary") or {}, d.get("metadata-secondary") or {}
if p.get("count") != want or s.get("count") != want:
    sys.exit(1)
if d["only-primary"] or d["only-secondary"]:
    print("FAIL: rtrmon differences: %d only in manrs, %d only in stayrtr"
          % (len(d["only-primary"]), len(d["only-secondary"])))
    print(json.dumps(d["only-primary"][:5]), json.dumps(d["only-secondary"][:5]))
    sys.exit(2)
print("ok: rtrmon: manrs and stayrtr both serve %d VRPs, no difference" % want)
PY
	then
		exit 0
	else
		rc=$?
		[ $rc -eq 2 ] && exit 1
	fi
	if [ $i -gt 120 ]; then
		echo "FAIL: rtrmon did not see both caches with $want VRPs"
		cat "$TMP/diff.json" | head -c 500
		exit 1
	fi
	sleep 0.5
done
