#!/bin/sh
# manrs monitor --ris-live: RIS Live messages (the websocket envelope
# {"type":"ris_message","data":{...}}, one a line) built from the real
# RIS update file ../shared/data/mrt/updates.20160811.1600.gz (through
# "manrs mrt -m", each announcement, withdrawal and peer state change as
# RIS Live would send it) give exactly the alerts the MRT replay of the
# same file gives: the planted wrong origin raises one hijack naming
# AS13118; a generated configuration raises nothing; a message that is
# not JSON is reported with its line and the rest goes on.
set -u
M=${MANRS_BIN:-manrs}
U=${MANRS_SHARED_DATA:-}/mrt/updates.20160811.1600.gz
if [ ! -r "$U" ]; then
	echo "skip: no $U"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

"$M" mrt -m "$U" 2>/dev/null |
    python3 "$(dirname "$0")/monitor_rislive_msgs.py" >"$T/ris.jsonl"
n=$(wc -l <"$T/ris.jsonl")
[ "$n" -gt 40000 ] || bad "only $n RIS Live messages built"

cat >"$T/p.yml" <<'YML'
93.181.192.0/19:
  description: planted wrong origin
  asn: 64496
  ignoreMorespecifics: false
  ignore: false
200.12.26.0/24:
  description: correctly configured
  asn: 7004
  ignoreMorespecifics: false
  ignore: false
YML
strip() { sed 's/"time":"[^"]*",//' "$1" | sort; }
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --json >"$T/mrt.out" 2>/dev/null
"$M" monitor --prefixes "$T/p.yml" --ris-live - --json <"$T/ris.jsonl" \
    >"$T/ris.out" 2>"$T/ris.err"
rc=$?
[ $rc -eq 5 ] || bad "ris-live: exit $rc: $(cat "$T/ris.err")"
[ "$(grep -c . "$T/ris.out")" -eq 1 ] || bad "ris-live alerts: $(cat "$T/ris.out")"
grep -q '"type":"hijack","resolved":false,"repeat":false,"prefix":"93.181.192.0/19","origin":13118' \
    "$T/ris.out" || bad "no hijack naming AS13118: $(cat "$T/ris.out")"
strip "$T/mrt.out" >"$T/a"
strip "$T/ris.out" >"$T/b"
cmp -s "$T/a" "$T/b" || bad "ris-live and MRT replay differ: $(diff "$T/a" "$T/b" | head -5)"

"$M" monitor generate --asn 13118 --asn 7004 --rib "$U" -o "$T/gen.yml" \
    2>/dev/null
"$M" monitor --prefixes "$T/gen.yml" --ris-live "$T/ris.jsonl" --json \
    >"$T/g.out" 2>&1
rc=$?
[ $rc -eq 0 ] || bad "generated config over ris-live: exit $rc: $(head -3 "$T/g.out")"

# hostile lines: reported with the line, the good ones still count
{ echo 'not json'; head -1000 "$T/ris.jsonl"; echo '{"type":"ris_message","data":{"type":"UPDATE","peer":"192.0.2.1","peer_asn":"x"}}'; } |
    "$M" monitor --prefixes "$T/p.yml" --ris-live - --stats >/dev/null \
    2>"$T/h.err"
grep -q "line 1: " "$T/h.err" || bad "bad line not reported: $(cat "$T/h.err")"
grep -q "line 1002: " "$T/h.err" || bad "bad peer_asn not reported"
grep -q "routes" "$T/h.err" || bad "no stats after bad lines"
"$M" monitor --prefixes "$T/p.yml" --ris-live http://127.0.0.1:9/ \
    >/dev/null 2>"$T/u.err"
[ $? -eq 2 ] || bad "http:// URL accepted for --ris-live"

[ $fail -eq 0 ] && echo "ok: monitor ris-live"
exit $fail
