#!/bin/sh
# manrs monitor's ROA monitors, on generated VRP files whose "expires"
# are relative to a pinned --now (never the calendar):
#  1. replay of the real RIS update file with --roa-expiry 24: the ROA of
#     a monitored prefix expiring in 5 h raises one roa-expiry alert; the
#     one expiring in 30 days, the ignored prefix's and an unrelated
#     ROA expiring in 1 h raise nothing;
#  2. live (BMP station on 127.0.0.1, no router needed): the VRP file
#     rewritten and SIGHUP: the renewed ROA's alert is resolved, a
#     changed maxLength and an added ROA are roa-change alerts naming
#     them; rewritten again: --vrps-refresh 1s picks it up unasked.
set -u
M=${MANRS_BIN:-manrs}
U=${MANRS_SHARED_DATA:-}/mrt/updates.20160811.1600.gz
if [ ! -r "$U" ]; then
	echo "skip: no $U"
	exit 77
fi
T=$(mktemp -d)
chmod 755 "$T"	# the live monitor reloads as nobody when run as root
pid=
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT INT TERM
fail=0
bad() { echo "FAIL: $*"; fail=$((fail + 1)); }

NOW=1470931200			# 2016-08-11T16:00:00Z
H=3600
cat >"$T/p.yml" <<'YML'
93.181.192.0/19:
  description: expiring ROA
  asn: 13118
  ignoreMorespecifics: false
  ignore: false
200.12.26.0/24:
  description: long-lived ROA
  asn: 7004
  ignoreMorespecifics: false
  ignore: false
192.0.2.0/24:
  description: ignored
  asn: 64500
  ignore: true
YML
vrps() {	# $1: expiry of 93.181.192.0/19, $2: maxLength of 200.12.26/24,
		# $3: extra ROA line or ""
	cat <<JSON
{"metadata":{"buildtime":"2016-08-11T15:00:00Z"},"roas":[
{"asn":"AS13118","prefix":"93.181.192.0/19","maxLength":19,"ta":"ripe","expires":$1},
{"asn":"AS7004","prefix":"200.12.26.0/24","maxLength":$2,"ta":"lacnic","expires":$((NOW + 30 * 24 * H))},
{"asn":"AS64500","prefix":"192.0.2.0/24","maxLength":24,"ta":"ripe","expires":$((NOW + H))},
$3{"asn":"AS64501","prefix":"198.51.100.0/24","maxLength":24,"ta":"ripe","expires":$((NOW + H))}
]}
JSON
}
vrps $((NOW + 5 * H)) 24 "" >"$T/v.json"

# 1. replay
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --vrps "$T/v.json" \
    --now $NOW --roa-expiry 24 --json >"$T/r.out" 2>"$T/r.err"
rc=$?
[ $rc -eq 5 ] || bad "replay: exit $rc: $(head -3 "$T/r.err")"
n=$(grep -c '"type":"roa-expiry"' "$T/r.out")
[ "$n" -eq 1 ] || bad "replay: $n roa-expiry alerts, not 1: $(grep roa- "$T/r.out")"
grep '"type":"roa-expiry"' "$T/r.out" | grep -q \
    '"prefix":"93.181.192.0/19","origin":13118.*"evidence":"ROA 93.181.192.0/19 maxLength 19 AS13118 expires 2016-08-11T21:00:00Z (in 300 min)"' ||
    bad "replay: roa-expiry alert: $(grep roa-expiry "$T/r.out")"
grep -q '"type":"roa-change"' "$T/r.out" && bad "replay: roa-change without a reload"
# a 4-hour window: nothing; disabled: nothing
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --vrps "$T/v.json" \
    --now $NOW --roa-expiry 4 --json 2>/dev/null | grep -q roa-expiry &&
    bad "roa-expiry 4: an alert for a ROA 5 h away"
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --vrps "$T/v.json" \
    --now $NOW --roa-expiry 24 --disable roa-expiry --json 2>/dev/null |
    grep -q roa-expiry && bad "--disable roa-expiry: an alert"
"$M" monitor --prefixes "$T/p.yml" --mrt "$U" --roa-expiry 24 \
    >/dev/null 2>&1
[ $? -eq 2 ] || bad "--roa-expiry without --vrps accepted"

# 2. live: reload on SIGHUP, then by --vrps-refresh
"$M" monitor --prefixes "$T/p.yml" --vrps "$T/v.json" --now $NOW \
    --roa-expiry 24 --vrps-refresh 2s --json \
    --bmp-listen 127.0.0.1:0 --port-file "$T/port" \
    >"$T/l.out" 2>"$T/l.err" &
pid=$!
i=0
while [ ! -s "$T/port" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$T/port" ] || bad "live: no port file: $(cat "$T/l.err")"
waitfor() {	# $1: pattern, $2: count
	i=0
	while [ "$(grep -c "$1" "$T/l.out")" -lt "$2" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ "$(grep -c "$1" "$T/l.out")" -ge "$2" ]
}
waitfor '"type":"roa-expiry","resolved":false' 1 ||
    bad "live: no roa-expiry at start: $(cat "$T/l.out" "$T/l.err")"
# renewed, 200.12.26.0/24 maxLength 24 -> 25, a new ROA for 93.181.192.0/20
vrps $((NOW + 60 * 24 * H)) 25 \
    '{"asn":"AS64511","prefix":"93.181.192.0/20","maxLength":20,"ta":"ripe","expires":9999999999},' \
    >"$T/v.tmp" && mv "$T/v.tmp" "$T/v.json"
kill -HUP $pid
waitfor '"type":"roa-change"' 2 ||
    bad "live: no roa-change after SIGHUP: $(cat "$T/l.out" "$T/l.err")"
grep -q '"type":"roa-expiry","resolved":true,"repeat":false,"prefix":"93.181.192.0/19"' \
    "$T/l.out" || bad "live: renewed ROA not resolved: $(cat "$T/l.out")"
grep -q '"type":"roa-change".*"prefix":"200.12.26.0/24".*"evidence":"removed 200.12.26.0/24 maxLength 24 AS7004; added 200.12.26.0/24 maxLength 25 AS7004"' \
    "$T/l.out" || bad "live: maxLength change: $(grep roa-change "$T/l.out")"
grep -q '"type":"roa-change".*"prefix":"93.181.192.0/20".*"evidence":"added 93.181.192.0/20 maxLength 20 AS64511"' \
    "$T/l.out" || bad "live: added ROA: $(grep roa-change "$T/l.out")"
grep 'roa-' "$T/l.out" | grep -q '198.51.100\|192.0.2.0' &&
    bad "live: an alert for a ROA not monitored"
# no signal: --vrps-refresh 2s sees the 200.12.26.0/24 ROA withdrawn
vrps $((NOW + 60 * 24 * H)) 25 "" | grep -v '"AS7004"' >"$T/v.tmp" &&
    mv "$T/v.tmp" "$T/v.json"
waitfor '"evidence":"removed 200.12.26.0/24 maxLength 25 AS7004"' 1 ||
    bad "live: --vrps-refresh: $(grep roa-change "$T/l.out") $(cat "$T/l.err")"
kill $pid
wait $pid
rc=$?
pid=
[ $rc -eq 0 ] || bad "live: exit $rc after SIGTERM: $(tail -3 "$T/l.err")"

[ $fail -eq 0 ] && echo "ok: monitor roa"
exit $fail
